"""Dense (FAISS) and lexical (bm25s) indexes over one kind of item (passages or quotes)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import faiss
import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def make_faiss(dim: int, n: int, hnsw_threshold: int) -> faiss.Index:
    """An ID-mapped inner-product index: exact (flat) up to ``hnsw_threshold`` vectors, HNSW above.

    Vectors are unit length, so inner product is cosine similarity.
    HNSW: Malkov & Yashunin, TPAMI 2018; M=32, efConstruction=80, efSearch=512 (recall@10
    against flat with all of Reuters, 103k passages / 87k quotes: 0.983 / 0.988 at about
    1.3 ms a search, where 256 gave 0.975 / 0.979; benchmarks/RESULTS.md).
    """
    if n > hnsw_threshold:
        base = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        base.hnsw.efConstruction = 80
        base.hnsw.efSearch = 512
    else:
        base = faiss.IndexFlatIP(dim)
    return faiss.IndexIDMap2(base)


class DenseIndex:
    """FAISS vectors keyed by row id (passage or quote id)."""

    def __init__(self, index: faiss.Index):
        self.index = index

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(vectors, np.asarray(ids, dtype="int64"))

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Top-k ``(id, cosine)`` for one query vector of shape (dim,) (a subset search: :class:`SegmentedDense`)."""
        if self.size == 0 or k <= 0:
            return []
        q = vector.reshape(1, -1).astype("float32")
        scores, ids = self.index.search(q, min(k, self.size))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1]


@lru_cache(maxsize=1)
def _stemmer():
    try:
        import Stemmer

        return Stemmer.Stemmer("english")
    except ImportError:  # stemming is an improvement, not a requirement
        return None


_DOTTED_ACRONYM = re.compile(r"\b((?:[A-Z]\.){2,})")
_CAPS = re.compile(r"\b([A-Z]{2,4})\b")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def _protect_acronyms(text: str) -> str:
    """"U.S." -> "US"; an all-caps acronym that is also a stopword ("US", "IT") becomes "US_acr" so it is kept."""
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(1).replace(".", ""), text)
    stop = _stopwords()
    return _CAPS.sub(lambda m: m.group(1) + "_acr" if m.group(1).lower() in stop else m.group(1), text)


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased word tokens (2+ chars), English stopwords removed, Snowball-stemmed where PyStemmer is installed.

    Acronyms that collide with stopwords ("US") are kept (see ``_protect_acronyms``).
    """
    import bm25s

    texts = [_protect_acronyms(t) for t in texts]
    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)


def top_k(scores: np.ndarray, ids: list[int], row: dict[int, int], k: int,
          subset: list[int] | None = None) -> list[tuple[int, float]]:
    """The k best ``(id, score)`` with a positive score; ``scores`` is aligned with ``ids``,
    ``row`` maps id -> position; ``subset`` restricts to those ids."""
    if not len(scores) or k <= 0:
        return []
    if subset is not None:
        rows = np.asarray([row[i] for i in subset if i in row], dtype="int64")
        if not len(rows):
            return []
        sub = scores[rows]
        order = np.argsort(-sub)[:k]
        return [(ids[int(rows[j])], float(sub[j])) for j in order if sub[j] > 0]
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top])]
    return [(ids[int(r)], float(scores[r])) for r in top if scores[r] > 0]


class LexicalIndex:
    """BM25 (bm25s, Lucene variant) over item texts; ``ids`` maps BM25 row -> item id."""

    def __init__(self, bm25, ids: list[int]):
        self.bm25 = bm25
        self.ids = ids
        self.row = {i: r for r, i in enumerate(ids)}

    @classmethod
    def build(cls, ids: list[int], texts: list[str]) -> LexicalIndex:
        import bm25s

        bm25 = bm25s.BM25()
        if texts:
            bm25.index(tokenize(texts), show_progress=False)
        return cls(bm25, list(ids))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.ids:
            self.bm25.save(str(folder), show_progress=False)
        np.save(folder / "ids.npy", np.asarray(self.ids, dtype="int64"))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        ids = np.load(folder / "ids.npy").tolist()
        bm25 = bm25s.BM25.load(str(folder), mmap=False, show_progress=False) if ids else bm25s.BM25()
        return cls(bm25, ids)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every item (array aligned with ``ids``); zeros when the query has no known word."""
        if not self.ids:
            return np.zeros(0)
        tokens = tokenize([query])[0]
        if not tokens:
            return np.zeros(len(self.ids))
        return np.asarray(self.bm25.get_scores(tokens))

    def scores_tokens(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every item for already tokenized (stemmed) query tokens."""
        if not self.ids or not tokens:
            return np.zeros(len(self.ids))
        return np.asarray(self.bm25.get_scores(tokens))

    def search(self, query: str, k: int, subset: list[int] | None = None) -> list[tuple[int, float]]:
        """Top-k ``(id, bm25)`` with positive score, optionally within ``subset`` ids."""
        return top_k(self.scores(query), self.ids, self.row, k, subset)


class SegmentedDense:
    """Several :class:`DenseIndex` segments searched as one (ids are unique across segments).

    Inner products are comparable across segments, so the top-k of the union is
    the merge of each segment's top-k.
    """

    def __init__(self, segments: list[DenseIndex]):
        self.segments = segments

    @property
    def size(self) -> int:
        return sum(s.size for s in self.segments)

    def reconstruct(self, item_id: int) -> np.ndarray:
        """The stored vector of one id, shape (dim,); raises KeyError when no segment holds it."""
        for seg in self.segments:
            try:
                return seg.index.reconstruct(int(item_id))
            except RuntimeError:
                continue
        raise KeyError(item_id)

    def search(self, vector: np.ndarray, k: int, subset: list[int] | None = None) -> list[tuple[int, float]]:
        """Top-k ``(id, cosine)`` over all segments, optionally within ``subset`` ids."""
        if subset is not None:
            if not subset or k <= 0:
                return []
            ids = np.asarray(subset, dtype="int64")
            sims = np.vstack([self.reconstruct(int(i)) for i in ids]) @ vector.astype("float32")
            order = np.argsort(-sims)[:k]
            return [(int(ids[j]), float(sims[j])) for j in order]
        hits = [h for seg in self.segments for h in seg.search(vector, k)]
        return sorted(hits, key=lambda t: -t[1])[:k]


def _idf(n: int, df: np.ndarray | int) -> np.ndarray:
    """BM25 idf as bm25s's default (Lucene) variant: log(1 + (N - df + 0.5) / (df + 0.5))."""
    return np.log(1 + (n - np.asarray(df, dtype="float64") + 0.5) / (np.asarray(df, dtype="float64") + 0.5))


class SegmentedLexical:
    """Several :class:`LexicalIndex` segments scored as one BM25 index.

    Each segment's bm25s matrix holds idf_segment(t) x tf-part(t, d). Scoring a
    query term per segment and multiplying by idf_global(t) / idf_segment(t)
    gives the scores one index over all documents would give (up to the
    average document length, which stays per segment). Document frequencies
    are counted from the term's column. The same interface as LexicalIndex:
    ``ids``, ``scores(query)``, ``scores_tokens(tokens)``, ``search(query, k, subset)``.
    """

    def __init__(self, segments: list[LexicalIndex]):
        self.segments = [s for s in segments if s.ids]
        self.ids = [i for s in self.segments for i in s.ids]
        self.row = {i: r for r, i in enumerate(self.ids)}

    def scores_tokens(self, tokens: list[str]) -> np.ndarray:
        if not self.ids or not tokens:
            return np.zeros(len(self.ids))
        if len(self.segments) == 1:
            return self.segments[0].scores_tokens(tokens)
        n_total = len(self.ids)
        out = np.zeros(n_total)
        for t in set(tokens):
            cols = [s.scores_tokens([t]) for s in self.segments]
            dfs = [int((c > 0).sum()) for c in cols]
            df_total = sum(dfs)
            if df_total == 0:
                continue
            g = _idf(n_total, df_total)
            pos = 0
            for seg, col, df in zip(self.segments, cols, dfs):
                n = len(seg.ids)
                if df:
                    out[pos : pos + n] += col * (g / _idf(n, df)) * tokens.count(t)
                pos += n
        return out

    def scores(self, query: str) -> np.ndarray:
        tokens = tokenize([query])[0]
        return self.scores_tokens(tokens)

    def search(self, query: str, k: int, subset: list[int] | None = None) -> list[tuple[int, float]]:
        return top_k(self.scores(query), self.ids, self.row, k, subset)
