"""Sentence-aware passages with character offsets into the article text."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Passage


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def chunk_passages(text: str, sentences: Iterable[tuple[int, int]], article_id: str, max_chars: int = 600) -> list[Passage]:
    """Group consecutive sentences into passages of about ``max_chars`` characters.

    ``sentences`` are (start, end) character spans in order. A passage never
    splits a sentence, and a paragraph break (a blank line) ends a passage once
    it holds at least a quarter of ``max_chars``. A sentence longer than
    ``max_chars`` becomes a passage of its own. Returns passages whose ``text``
    equals ``text[start:end]``.
    """
    out: list[Passage] = []
    cur_start = cur_end = None
    for s, e in sentences:
        s, e = trim_span(text, s, e)
        if s >= e:
            continue
        if cur_start is not None:
            gap = text[cur_end:s]
            too_long = e - cur_start > max_chars
            para_break = "\n" in gap and cur_end - cur_start >= max_chars // 4
            if too_long or para_break:
                out.append(Passage(article_id, cur_start, cur_end, text[cur_start:cur_end]))
                cur_start = None
        if cur_start is None:
            cur_start = s
        cur_end = e
    if cur_start is not None:
        out.append(Passage(article_id, cur_start, cur_end, text[cur_start:cur_end]))
    return out
