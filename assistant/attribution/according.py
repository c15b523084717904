"""The cue "according to X": the source X and the statement it attributes.

"According to X, content.", "content, according to X." and the parenthetical
"Wilson-Raybould, according to the report, rebuffed ..." (the statement goes
on after the source).  Used by the direct pass (a quote whose cue is
"according to") and the indirect pass.
"""

from __future__ import annotations

from typing import Any

from .context import ArticleContext, trim


def according_source(ctx: ArticleContext, v: Any) -> tuple[int, int] | None:
    """Token range of X in 'according to X' (up to punctuation or a verb)."""
    doc = ctx.doc
    i = v.i + 2
    a = i
    end = ctx.sent_end_of[v.i]
    while i <= end and (not doc[i].is_punct or doc[i].dep_ == "case") and \
            doc[i].pos_ not in ("VERB", "AUX") and \
            not doc[i].is_space and (doc[i].pos_ != "ADP" or doc[i].lower_ == "of"):
        i += 1
    b = i - 1
    return (a, b) if b >= a else None


def according(ctx: ArticleContext, v: Any) -> tuple[tuple[int, int], int, tuple[int, int]] | None:
    """'according to X' -> (content range, subject head token, mention range)."""
    doc = ctx.doc
    n = len(doc)
    src = according_source(ctx, v)
    if src is None:
        return None
    a, b = src
    head = b
    ss = ctx.sent_start_of[v.i]
    se = ctx.sent_end_of[v.i]
    prev = doc[v.i - 1] if v.i > 0 else None
    mid = b + 2 <= se and doc[b + 1].text == "," and not doc[b + 2].is_punct
    if prev is not None and prev.text == "," and v.i - 1 > ss and mid and \
            doc[b + 2].pos_ in ("VERB", "AUX", "CCONJ", "SCONJ", "ADV"):
        # "Wilson-Raybould, according to the report, rebuffed ...":
        # the statement goes on after the parenthetical source
        ca, cb = b + 2, se
        if doc[ca].pos_ == "CCONJ":
            ca += 1
    elif prev is not None and prev.text == "," and v.i - 1 > ss:
        ca, cb = ss, v.i - 2
    elif v.i == ss or (prev is not None and prev.is_space):
        # "According to X, content."
        j = b + 1
        if j < n and doc[j].text == ",":
            j += 1
        ca, cb = j, se
    elif prev is not None and prev.text != ",":
        return None
    else:
        return None
    ca, cb = trim(doc, ca, cb)
    if cb - ca < 2:
        return None
    return (ca, cb), head, (a, b)
