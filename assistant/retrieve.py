"""Hybrid retrieval: dense (FAISS) and lexical (BM25) ranked lists fused by RRF."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fuse import rrf
from .indexing import Index
from .models import Passage, Quote


@dataclass
class Hit:
    """One retrieved item: fused ``score`` (RRF), ``dense`` cosine (-1..1) and ``bm25`` score."""

    id: int
    score: float
    dense: float
    bm25: float


def hybrid(dense: list[tuple[int, float]], lexical: list[tuple[int, float]], k: int, rrf_k: int = 60) -> list[Hit]:
    """Fuse a dense and a lexical ranking into the top-k :class:`Hit` list."""
    dmap, lmap = dict(dense), dict(lexical)
    fused = rrf([[i for i, _ in dense], [i for i, _ in lexical]], k=rrf_k)
    return [Hit(int(i), s, dmap.get(i, float("nan")), lmap.get(i, 0.0)) for i, s in fused[:k]]


class Retriever:
    """Searches an :class:`Index` for passages and quotes.

    ``search_passages(query, k)`` returns ``(Passage, Hit)`` pairs;
    ``search_quotes(query, k, quote_ids=None)`` returns ``(Quote, Hit)``
    pairs, optionally restricted to the given quote ids (a speaker's quotes).
    Candidate depth per list is ``max(50, 5k)`` before fusion.
    """

    def __init__(self, index: Index):
        self.index = index
        self._vectors: dict[str, np.ndarray] = {}

    def encode(self, query: str) -> np.ndarray:
        """The query's unit vector, shape (dim,); the last 256 queries are cached (a question is encoded once)."""
        vec = self._vectors.get(query)
        if vec is None:
            vec = self.index.encoder.encode([query])[0]
            if len(self._vectors) >= 256:
                self._vectors.pop(next(iter(self._vectors)))
            self._vectors[query] = vec
        return vec

    def search_passages(self, query: str, k: int = 5, vector: np.ndarray | None = None) -> list[tuple[Passage, Hit]]:
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        vector = self.encode(query) if vector is None else vector
        depth = max(50, 5 * k)
        hits = hybrid(
            self.index.passage_vectors.search(vector, depth),
            self.index.passage_bm25.search(query, depth),
            k,
            self.index.settings.retrieval.rrf_k,
        )
        return [(self.index.store.passage(h.id), h) for h in hits]

    def dense_passages(self, query: str, k: int = 5) -> list[tuple[Passage, float]]:
        """Plain dense top-k passages (the naive baseline)."""
        return [(self.index.store.passage(i), s) for i, s in self.index.passage_vectors.search(self.encode(query), k)]

    def search_quotes(
        self, query: str, k: int = 10, quote_ids: list[int] | None = None, vector: np.ndarray | None = None
    ) -> list[tuple[Quote, int | None, Hit]]:
        """Top-k quotes as ``(Quote, speaker_id, Hit)``, every dense score filled in."""
        vector = self.encode(query) if vector is None else vector
        depth = max(50, 5 * k) if quote_ids is None else len(quote_ids)
        dense = self.index.quote_vectors.search(vector, depth, subset=quote_ids)
        lexical = self.index.quote_bm25.search(query, depth, subset=quote_ids)
        hits = hybrid(dense, lexical, k, self.index.settings.retrieval.rrf_k)
        missing = [h.id for h in hits if np.isnan(h.dense)]
        if missing:
            for i, s in self.index.quote_vectors.search(vector, len(missing), subset=missing):
                for h in hits:
                    if h.id == i:
                        h.dense = s
        rows = self.index.store.quotes([h.id for h in hits])
        return [(rows[h.id][0], rows[h.id][1], h) for h in hits if h.id in rows]
