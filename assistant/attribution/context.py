"""The per-article context every pass reads: text, paragraphs, parse, sentences, quoted tokens.

:class:`ArticleContext` is built once per article.  It holds the original
text (quotes, cues and mentions are read from it) and the spaCy ``Doc`` of its
:func:`assistant.nlp.clean_for_parse` form (same offsets), the paragraphs, a
character/token index, the sentence bounds the passes use (spaCy's sentences,
also cut after . ? ! before a capital and at each paragraph start), and which
tokens lie inside a direct quote or a quoted fragment.  The mentions table
(:mod:`.people`) hangs off it as ``mentions`` once built.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Any

from .lexicon import CAPTION, TITLE_ABBREVIATIONS
from .marks import QSpan, paragraphs

if TYPE_CHECKING:
    from .mentions import Mentions


class Index:
    """Character/token lookups over one Doc, built once (linear)."""

    def __init__(self, doc: Any):
        self.doc = doc
        self.starts = [t.idx for t in doc]
        self.text = doc.text

    def tok_at_or_after(self, char: int) -> int:
        return bisect_left(self.starts, char)

    def tok_before(self, char: int) -> int:
        """Index of the last token starting before ``char``."""
        return bisect_right(self.starts, char - 1) - 1


def span_chars(doc: Any, a: int, b: int) -> tuple[int, int]:
    """Char span of tokens a..b inclusive."""
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def trim(doc: Any, a: int, b: int) -> tuple[int, int]:
    """Drop punctuation/space tokens at both ends of token range a..b."""
    while a <= b and (doc[a].is_punct and doc[a].text not in "“\"" or doc[a].is_space):
        a += 1
    while b >= a and (doc[b].is_punct and doc[b].text not in "”\"" or doc[b].is_space):
        b -= 1
    return a, b


class ArticleContext:
    """One article as the passes see it (see the module docstring)."""

    mentions: Mentions

    def __init__(self, doc: Any, article_id: str, text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.article_id = article_id
        self.ix = Index(doc)
        self.paras = paragraphs(self.text)
        self.para_starts = [a for a, _ in self.paras]
        # paragraphs ending like prose (not headlines, captions, link lists)
        self.para_ok = [bool(re.search(r"[.?!:\"”’')…]\s*$", self.text[a:b]))
                        for a, b in self.paras]
        # photo captions: the people in them are pictured, not the story's speakers
        self.para_caption = [bool(CAPTION.search(self.text[a:b])) for a, b in self.paras]
        self.direct_spans: list[QSpan] = []
        self.fragments: list[QSpan] = []
        self.tok_direct: list[int] = []
        self.tok_fragment: list[bool] = []
        #: True while a stand-in mention ("the statement", "they") is resolved to
        #: what it stands for: the document and pronoun rules are then off.
        self.in_doc = False
        #: acronym -> the name it stands for in this article ("" when none).
        self.acronyms: dict[str, str] = {}

    # ---- small helpers
    def para_of_char(self, c: int) -> int:
        return max(0, bisect_right(self.para_starts, c) - 1)

    def in_direct(self, tok_i: int) -> bool:
        return self.tok_direct[tok_i] >= 0

    def mark_spans(self, spans: list[QSpan]) -> None:
        """Record the direct quotes and fragments among ``spans`` and the tokens inside them."""
        self.direct_spans = [s for s in spans if s.direct]
        self.fragments = [s for s in spans if not s.direct]
        # token -> index of direct span containing it (-1)
        n = len(self.doc)
        self.tok_direct = [-1] * n
        self.tok_fragment = [False] * n
        for k, s in enumerate(self.direct_spans):
            a = self.ix.tok_at_or_after(s.start)
            b = self.ix.tok_at_or_after(s.end)
            for i in range(a, min(b, n)):
                self.tok_direct[i] = k
        for s in self.fragments:
            a = self.ix.tok_at_or_after(s.start)
            b = self.ix.tok_at_or_after(s.end)
            for i in range(a, min(b, n)):
                self.tok_fragment[i] = True

    def demote(self, s: QSpan) -> None:
        """Turn a direct span into a fragment (tokens become usable content)."""
        a = self.ix.tok_at_or_after(s.start)
        b = self.ix.tok_at_or_after(s.end)
        for i in range(a, min(b, len(self.doc))):
            self.tok_direct[i] = -1
            self.tok_fragment[i] = True
        s.direct = False

    # ---- sentences: spaCy sentences, also cut after . ? ! before a capital
    def sentence_bounds(self) -> None:
        """Fill ``sent_start_of``, ``sent_end_of`` and ``strong_end_of`` (token -> token)."""
        start, strong = self._sentence_starts()
        n = len(self.doc)
        self.sent_start_of = [0] * n
        cur = 0
        for i in range(n):
            if start[i]:
                cur = i
            self.sent_start_of[i] = cur
        self.sent_end_of = [n - 1] * n
        self.strong_end_of = [n - 1] * n
        cur = cur_s = n - 1
        for i in range(n - 1, -1, -1):
            self.sent_end_of[i] = cur
            self.strong_end_of[i] = cur_s
            if start[i] and i > 0:
                cur = i - 1
            if strong[i] and i > 0:
                cur_s = i - 1

    def _sentence_starts(self) -> tuple[list[bool], list[bool]]:
        """Per token: does a sentence start here, and a strong one (after . ? ! or a paragraph break)?"""
        doc = self.doc
        n = len(doc)
        start = [False] * n
        strong = [False] * n
        for s in doc.sents:
            start[s.start] = True
        for i in range(1, n):
            prev = doc[i - 1]
            if prev.text in {".", "?", "!"} and doc[i].text[:1].isupper() and (
                    prev.whitespace_ or i >= 2 and doc[i - 2].text in '"”'):
                start[i] = strong[i] = True
        for i in range(2, n):
            # "Police Lt. Tom Wilkison said": no sentence ends after a title abbreviation
            if start[i] and doc[i - 1].text == "." and not doc[i - 2].whitespace_ and \
                    doc[i - 2].text.lower().rstrip(".") in TITLE_ABBREVIATIONS:
                start[i] = strong[i] = False
        for lo, _hi in self.paras:
            i = self.ix.tok_at_or_after(lo)
            while i < n and doc[i].is_space:
                i += 1
            if i < n:
                start[i] = strong[i] = True
                if i > 0 and doc[i - 1].is_space:
                    start[i - 1] = strong[i - 1] = True
        return start, strong
