"""Reporting cues: the verbs (and "according to") that introduce speech, and their text as written.

A cue is a token outside direct quotes whose lemma is in one of the
reporting-verb groups of :mod:`.lexicon` (speech, object-content and
infinitive-content verbs, naming and utterance verbs, verbs that only
attribute direct quotes), "read" with a document subject ('"...," the
statement read'), a particle verb ("point out"), or the "according" of
"according to".
"""

from __future__ import annotations

from typing import Any

from .context import ArticleContext, span_chars
from .lexicon import (
    DIRECT_ONLY_VERBS,
    DOC_NOUNS,
    NAMING_VERBS,
    OBJECT_CONTENT_VERBS,
    PARTICLE_CUES,
    SPEECH_VERBS,
    UTTER_VERBS,
    XCOMP_CONTENT_VERBS,
)


def find_cues(ctx: ArticleContext) -> list[int]:
    """Token indices of the cues outside direct quotes, in text order."""
    out = []
    n = len(ctx.doc)
    for t in ctx.doc:
        if ctx.tok_direct[t.i] >= 0:
            continue
        if t.lower_ == "according" and t.i + 1 < n and ctx.doc[t.i + 1].lower_ == "to":
            out.append(t.i)
            continue
        if not (t.pos_ == "VERB" or t.tag_.startswith("VB")):
            continue
        lem = t.lemma_.lower()
        if lem in SPEECH_VERBS or lem in OBJECT_CONTENT_VERBS or lem in XCOMP_CONTENT_VERBS:
            out.append(t.i)
        elif lem in NAMING_VERBS or lem in UTTER_VERBS or lem in DIRECT_ONLY_VERBS:
            out.append(t.i)
        elif lem == "read" and any(c.dep_ == "nsubj" and c.lemma_.lower() in DOC_NOUNS
                                   for c in t.children):
            out.append(t.i)  # '"...," the statement read'
        elif lem in PARTICLE_CUES and any(
                c.dep_ == "prt" and c.lower_ == PARTICLE_CUES[lem] for c in t.children):
            out.append(t.i)
    return out


def cue_text(ctx: ArticleContext, v: Any) -> tuple[str, int, int]:
    """The cue as written and its character span: "said", "according to", "quoted as saying", "pointed out"."""
    doc = ctx.doc
    a = b = v.i
    if v.lower_ == "according":
        b = v.i + 1
    elif v.lemma_ == "quote" and v.i + 2 < len(doc) and doc[v.i + 1].lower_ == "as":
        b = v.i + 2
    else:
        for c in v.children:
            if c.dep_ == "prt" and c.i == v.i + 1:
                b = c.i
    s, e = span_chars(doc, a, b)
    return ctx.text[s:e], s, e
