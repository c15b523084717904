"""Candidate quotes for a question, and the evidence (features) that each answers it.

A question's candidates come from three routes, so that one wrong or split
attribution does not make a quote unreachable:

1. the quotes attributed to the speakers the question's reference resolves to
   (hybrid dense + BM25 search restricted to them, :mod:`assistant.retrieve`);
2. the quotes standing in the passages that the question itself retrieves (the
   naive dense passage search a user would build instead), whoever they are
   attributed to;
3. for who-said and topic questions, a hybrid search over all quotes.

Each candidate gets the features listed in :data:`assistant.settings.FEATURES`
(all floats, most in [0, 1], cosines in [-1, 1]):

* ``d``: cosine of the topic with the quote; ``ctx``: with the quote's passage;
  ``near``: the best of its passage and the two next to it; ``art_d``: the best
  passage of its article.
* ``qsup``: idf-weighted share of the topic's stemmed words in the quote;
  ``support``: in the quote and its passage; ``art_sup``: in its article;
  ``cov``: unweighted share of the topic's words in the quote.
* ``direct``, ``mixed``: the quote's kind (indirect is neither).
* ``spk_attr``: attributed to the asked speaker (or a registry entry that is the
  same person: one name, another title); ``spk_other``: to another speaker the
  reference may denote; ``spk_near``: the speaker's name or alias stands in the
  quote's passage or the one before; ``spk_article``: anywhere in its article.
* ``p_cos``: cosine of the question with the quote's passage; ``p_rank``:
  ``1 / (1 + rank)`` of that passage in the question's passage search (0 when
  not among the first ``passage_depth``).
* ``open``: 1 for a who-said or topic question (no speaker asked).

:mod:`assistant.ranking` turns the features into a probability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .indexing import Index
from .kinds import QuoteKind
from .models import Passage, Quote
from .retrieve import Hit, Retriever
from .settings import FEATURES
from .vectors import tokenize


@dataclass
class Candidate:
    """One quote that may answer the question: its retrieval ``hit``, ``features`` by name, ``score``
    (probability from :mod:`assistant.ranking`, 0..1), ``speaker_id`` (registry id or None) and
    ``order`` (its place in retrieval order)."""

    quote: Quote
    speaker_id: int | None
    hit: Hit
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    #: position in retrieval order (ties in score keep it)
    order: int = 0

    def vector(self) -> list[float]:
        """The features in :data:`FEATURES` order."""
        return [float(self.features.get(name, 0.0)) for name in FEATURES]

    def scored_hit(self) -> Hit:
        """The retrieval hit with the ranking's probability as its score (what a citation shows)."""
        return Hit(self.quote.id, self.score, self.hit.dense, self.hit.bm25)


@dataclass
class SpeakerEvidence:
    """Who the question asks about: ``same`` registry ids (the person, under every registry entry that is
    them), ``other`` ids the reference may also denote, and ``names`` to look for in the text (full
    names and aliases of at least three letters)."""

    same: set[int] = field(default_factory=set)
    other: set[int] = field(default_factory=set)
    names: list[str] = field(default_factory=list)

    def pattern(self) -> re.Pattern | None:
        names = sorted({n for n in self.names if len(n) >= 3}, key=len, reverse=True)
        if not names:
            return None
        return re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


class Evidence:
    """Computes candidates and their features over one :class:`Index` (caches per index)."""

    def __init__(self, index: Index, retriever: Retriever):
        self.index = index
        self.store = index.store
        self.retriever = retriever
        self._idfs: dict[str, float] = {}
        self._article_tokens: dict[str, frozenset[str]] = {}
        self._quote_tokens: dict[int, frozenset[str]] = {}
        self._passage_tokens: dict[int, frozenset[str]] = {}
        self._passages: dict[str, list[Passage]] = {}

    # ---- candidate routes ------------------------------------------------
    def passage_route(self, query: str, depth: int) -> tuple[list[tuple[Quote, int | None]], dict[int, int]]:
        """Quotes inside the first ``depth`` passages the question retrieves (dense search, as the naive
        baseline), and the rank (0-based) of each retrieved passage id."""
        ranked = self.retriever.dense_passages(query, depth)
        ranks = {p.id: r for r, (p, _) in enumerate(ranked)}
        out: list[tuple[Quote, int | None]] = []
        by_article: dict[str, list[Passage]] = {}
        for p, _ in ranked:
            by_article.setdefault(p.article_id, []).append(p)
        for aid, plist in by_article.items():
            for q, sid in self.store.quotes_with_speakers_of_article(aid):
                if any(p.start <= q.start < p.end for p in plist):
                    out.append((q, sid))
        return out, ranks

    def quote_dense(self, quote_ids: list[int], vector: np.ndarray) -> dict[int, float]:
        """Cosine of ``vector`` with each stored quote vector."""
        out = {}
        for i in quote_ids:
            try:
                out[i] = float(self.index.quote_vectors.reconstruct(i) @ vector)
            except KeyError:
                out[i] = -1.0
        return out

    # ---- features ----------------------------------------------------------
    def passages_of(self, article_id: str) -> list[Passage]:
        plist = self._passages.get(article_id)
        if plist is None:
            if len(self._passages) > 4096:
                self._passages.clear()
            plist = self._passages[article_id] = self.store.passages_of(article_id)
        return plist

    def features(self, cands: list[Candidate], topic: str, speaker: SpeakerEvidence | None,
                 question_vector: np.ndarray | None, passage_ranks: dict[int, int], depth: int) -> None:
        """Fill ``c.features`` of every candidate (see the module docstring). ``depth`` caps how many
        candidates (in the given order) are read in their passage and article context."""
        words = set(tokenize([topic])[0]) if topic else set()
        weights = {w: self._idf(w) for w in words}
        total = sum(weights.values()) or 1.0
        vector = self.retriever.encode(topic) if topic else question_vector
        texts = {c.quote.id: c.quote.text for c in cands}
        quote_words_of = _token_sets(self._quote_tokens, 200_000, list(texts), texts.__getitem__)
        ctx_cands = cands[:depth]
        holder = {}
        held = {}
        for c in ctx_cands:
            plist = self.passages_of(c.quote.article_id)
            at = next((j for j, p in enumerate(plist) if p.start <= c.quote.start < p.end), None)
            holder[c.quote.id] = at
            if at is not None:
                held[plist[at].id] = plist[at].text
        article_words_of = self._article_words(list(dict.fromkeys(c.quote.article_id for c in ctx_cands)))
        passage_words_of = _token_sets(self._passage_tokens, 200_000, list(held), held.__getitem__)
        name_re = speaker.pattern() if speaker else None
        articles: dict[str, tuple[float, float, bool]] = {}
        for i, c in enumerate(cands):
            q, f = c.quote, c.features
            quote_words = quote_words_of[q.id]
            d = -1.0 if np.isnan(c.hit.dense) else c.hit.dense
            f["d"] = d
            f["cov"] = len(words & quote_words) / len(words) if words else 0.0
            f["qsup"] = sum(weights[w] for w in words & quote_words) / total if words else 0.0
            f["direct"] = 1.0 if q.kind == QuoteKind.DIRECT else 0.0
            f["mixed"] = 1.0 if q.kind == QuoteKind.MIXED else 0.0
            f["open"] = 0.0 if speaker else 1.0
            if speaker:
                f["spk_attr"] = 1.0 if c.speaker_id in speaker.same else 0.0
                f["spk_other"] = 1.0 if c.speaker_id in speaker.other and c.speaker_id not in speaker.same else 0.0
            ctx = near = art_d = p_cos = -1.0
            support, art_sup, p_rank = f["qsup"], 0.0, 0.0
            if i < depth:
                plist = self.passages_of(q.article_id)
                at = holder[q.id]
                if at is not None:
                    p = plist[at]
                    ctx = self._cosine(p.id, vector)
                    near = max([ctx, *(self._cosine(plist[j].id, vector) for j in (at - 1, at + 1)
                                       if 0 <= j < len(plist))])
                    if words:
                        support = sum(weights[w] for w in words & (quote_words | passage_words_of[p.id])) / total
                    if question_vector is not None:
                        p_cos = self._cosine(p.id, question_vector)
                    if p.id in passage_ranks:
                        p_rank = 1.0 / (1 + passage_ranks[p.id])
                    if name_re is not None:
                        lo = plist[at - 1].start if at > 0 else p.start
                        f["spk_near"] = 1.0 if name_re.search(self.store.article_text(q.article_id)[lo:p.end]) else 0.0
                if q.article_id not in articles:
                    art_words = article_words_of[q.article_id]
                    named = bool(name_re.search(self.store.article_text(q.article_id))) if name_re else False
                    articles[q.article_id] = (
                        max((self._cosine(p.id, vector) for p in plist), default=-1.0),
                        sum(weights[w] for w in words & art_words) / total if words else 0.0, named)
                art_d, art_sup, named = articles[q.article_id]
                f["spk_article"] = 1.0 if named else 0.0
            f.update(ctx=ctx, near=near, art_d=art_d, support=support, art_sup=art_sup, p_cos=p_cos, p_rank=p_rank)

    # ---- helpers -----------------------------------------------------------
    def _idf(self, word: str) -> float:
        """BM25 idf of a (stemmed) word over the passages: log(1 + (N - df + 0.5) / (df + 0.5))."""
        val = self._idfs.get(word)
        if val is None:
            bm = self.index.passage_bm25
            n = len(bm.ids)
            df = int((bm.scores_tokens([word]) > 0).sum()) if n else 0
            val = self._idfs[word] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
        return val

    def _article_words(self, article_ids: list[str]) -> dict[str, frozenset[str]]:
        """Stemmed words of articles' titles and texts, by id (at most 4,096 articles kept)."""
        def text_of(aid: str) -> str:
            return f"{self.store.article_meta(aid)['title'] or ''}\n{self.store.article_text(aid)}"

        return _token_sets(self._article_tokens, 4096, article_ids, text_of)

    def _cosine(self, passage_id: int | None, vector: np.ndarray | None) -> float:
        """Cosine of ``vector`` with a stored passage vector (-1 when there is none)."""
        if passage_id is None or vector is None:
            return -1.0
        try:
            return float(self.index.passage_vectors.reconstruct(passage_id) @ vector)
        except KeyError:
            return -1.0


def _token_sets(cache: dict, limit: int, keys: list, text_of) -> dict:
    """Stemmed word sets for ``keys``, from ``cache`` or tokenized: the missing ones in one batch
    (bm25s's tokenizer has a fixed cost per call); ``text_of(key)`` is read only for those.
    The cache is emptied when it holds more than ``limit`` entries."""
    missing = [k for k in dict.fromkeys(keys) if k not in cache]
    if missing:
        if len(cache) > limit:
            cache.clear()
        for k, toks in zip(missing, tokenize([text_of(k) for k in missing])):
            cache[k] = frozenset(toks)
    return {k: cache[k] for k in keys}
