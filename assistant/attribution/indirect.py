"""Pass 4: indirect (reported) speech, one statement per cue outside quotation marks.

The content of a cue is its clausal complement ("said South Korea will
..."), the main clause before a trailing cue ("..., Kim said"), the two
pieces around a cue in the middle ("Too often, he says, they get it"), the
object of verbs such as *emphasize*, the infinitive of *pledge*, the demand
of "called for", and the clause around "according to X".  A statement that
holds a quoted fragment is ``mixed``.
"""

from __future__ import annotations

import re
from typing import Any

from ..kinds import QuoteKind
from ..models import Quote
from .according import according
from .context import ArticleContext, span_chars, trim
from .cues import cue_text
from .lexicon import (
    ADDRESSEE_VERBS,
    CONTENT_MARKS,
    DATELINE,
    DIRECT_ONLY_VERBS,
    NAMING_VERBS,
    NOT_INDIRECT,
    OBJECT_CONTENT_VERBS,
    SKIP_SUBJECTS,
    SPEECH_VERBS,
    WEAK_VERBS,
    WH_START,
    XCOMP_CONTENT_VERBS,
)
from .marks import balance_marks
from .settings import current
from .syntax import call_for, speakerlike, subject


def indirect(ctx: ArticleContext, cues: list[int], used: set[int]) -> list[tuple[Quote, int]]:
    """Indirect quotes as (quote, subject token) for the cues not taken by an "according to" direct quote."""
    doc = ctx.doc
    out: list[tuple[Quote, int]] = []
    for ci in cues:
        v = doc[ci]
        if ci in used and v.lower_ == "according":
            continue
        if v.lemma_.lower() in DIRECT_ONLY_VERBS:
            continue  # "concluded that ..." reports a thought; '"...," he concluded' a quote
        if v.lemma_.lower() in NAMING_VERBS and v.lemma_.lower() not in SPEECH_VERBS \
                and not call_for(v):
            continue  # naming verbs only attribute quoted words
        if v.lower_ == "according":
            r = according(ctx, v)
            if r is None:
                continue
            (a, b), subj_i, mrange = r
            _emit(ctx, v, a, b, subj_i, mrange, out)
            continue
        subj = _reporting_subject(ctx, v)
        if subj is None:
            continue
        rngs = _middle_cue(ctx, v, subj)
        if not rngs:
            rng = content_clause(ctx, v)
            rngs = [rng] if rng is not None else []
        for rng in rngs:
            a, b = trim(doc, *rng)
            _emit(ctx, v, a, b, subj.i, None, out)
    return out


def _reporting_subject(ctx: ArticleContext, v: Any) -> Any:
    """The subject of cue ``v`` when it can report speech here, else None."""
    subj = subject(ctx, v)
    if subj is None:
        return None
    if v.lemma_.lower() not in SPEECH_VERBS and not speakerlike(subj):
        return None
    if subj.pos_ not in ("NOUN", "PROPN", "PRON") and not subj.ent_type_:
        return None
    if subj.lower_ in SKIP_SUBJECTS:
        return None
    if not ctx.para_ok[ctx.para_of_char(v.idx)] and not re.match(
            r"[^.?!]*[.?!]\s", ctx.text[v.idx : ctx.paras[ctx.para_of_char(v.idx)][1]]):
        return None  # a headline or link, unless the cue's sentence ends
    return subj


def _middle_cue(ctx: ArticleContext, v: Any, subj: Any) -> list[tuple[int, int]]:
    """'Too often, he says, they get it' -> the two pieces around the cue."""
    doc = ctx.doc
    lo = min(subj.left_edge.i, v.i)
    hi = v.i
    for c in v.rights:
        if c.dep_ in ("npadvmod", "advmod", "prep", "dobj") and c.right_edge.i < v.i + 6:
            hi = max(hi, c.right_edge.i)
    ss, se = ctx.sent_start_of[v.i], ctx.sent_end_of[v.i]
    if not (lo - 1 > ss and hi + 1 < se and doc[lo - 1].text == "," and
            doc[hi + 1].text == ","):
        return []
    if any(c.dep_ == "ccomp" and c.i > v.i for c in v.children):
        return []
    first = (ss, lo - 2)
    second = (hi + 2, se)
    nxt = doc[hi + 2] if hi + 2 < len(doc) else None
    if nxt is not None and nxt.tag_ == "VBG" and nxt.dep_ in ("advcl", "xcomp", "conj"):
        # "..., Kim said, unveiling that ...": a participle clause of the
        # cue, not the rest of the statement
        second = (se + 1, se)
    return [r for r in (first, second) if r[1] - r[0] >= 0]


def _emit(ctx: ArticleContext, v: Any, a: int, b: int, subj_i: int,
          mrange: tuple[int, int] | None, out: list[tuple[Quote, int]]) -> None:
    """Append the indirect quote over tokens a..b unless it is not one."""
    doc, text = ctx.doc, ctx.text
    if b < a or sum(1 for t in doc[a : b + 1] if not t.is_punct) < 3:
        return
    if (v.lemma_.lower() in NOT_INDIRECT and not (v.lemma_.lower() == "ask" and doc[a].lower_ == "to")) \
            or doc[a].lower_ in WH_START:
        return  # questions and figures, not reported statements ("asked them to ..." is a request)
    if doc[a].lower_ == "according" and v.lower_ != "according":
        return  # the source clause itself, not content
    span = doc[a : b + 1]
    if v.i < a and span.root.tag_ == "VBG" and not any(
            t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in span):
        return  # '..., he said, his voice breaking': a description
    if any(ctx.tok_direct[i] >= 0 for i in (a, b)):
        return
    start, end = _content_chars(ctx, v, a, b)
    if end - start > current().max_indirect:
        return
    start, end = balance_marks(text, start, end)
    if any(ctx.tok_direct[i] >= 0 for i in range(a, b + 1)):
        return
    kind = QuoteKind.MIXED if any(ctx.tok_fragment[i] for i in range(a, b + 1)) else QuoteKind.INDIRECT
    q = Quote(text=text[start:end], start=start, end=end, kind=kind)
    q.cue, q.cue_start, q.cue_end = cue_text(ctx, v)
    if mrange is not None:
        q.__dict__["_mrange"] = mrange
    out.append((q, subj_i))


def _content_chars(ctx: ArticleContext, v: Any, a: int, b: int) -> tuple[int, int]:
    """Character span of content tokens a..b, without a dateline or the text before an open parenthesis."""
    text = ctx.text
    start, end = span_chars(ctx.doc, a, b)
    m = DATELINE.match(text, start, end)
    if m:  # "OTTAWA — ...": the dateline is no part of what was said
        start = m.end()
    if v.i > b:
        # content before the cue opens inside a parenthesis: "(and yes,
        # winter beards are a thing, says McMillen."
        k = text.rfind("(", start, end)
        if k >= 0 and ")" not in text[k:end] and end - k > 20:
            start = k + 1
            while start < end and not text[start].isalnum():
                start += 1
            if text[start:start + 4].lower() == "and ":
                start += 4
    return start, end


# ---------------------------------------------------------------------------- the content of a cue


def content_clause(ctx: ArticleContext, v: Any) -> tuple[int, int] | None:
    """Token range (inclusive) of what cue ``v`` reports, or None.

    Tried in this order: the clausal complement; then, unless the verb is weak
    (:data:`.lexicon.WEAK_VERBS`), the clause before a trailing cue, the
    infinitive ("vowed to ..."), the demand of "called for", the direct object
    of an object-content verb.
    """
    lem = v.lemma_.lower()
    ccomps = _content_ccomps(ctx, v, lem)
    if ccomps:
        return _clausal_content(ctx, v, ccomps)
    if lem in WEAK_VERBS:
        return None
    for rule in (_trailing_content, _xcomp_content, _demand_content, _object_content):
        rng = rule(ctx, v, lem)
        if rng is not None:
            return rng
    return None


def _content_ccomps(ctx: ArticleContext, v: Any, lem: str) -> list:
    """The clausal complements of ``v`` outside direct quotes that may be its content."""
    ccomps = [c for c in v.children if c.dep_ == "ccomp" and ctx.tok_direct[c.i] < 0]
    if ccomps and lem not in ADDRESSEE_VERBS and all(c.i < v.i for c in ccomps) and any(
            x.dep_ in ("dobj", "xcomp") and x.i > v.i and x.pos_ in ("NOUN", "VERB")
            and not speakerlike(x) for x in v.children):
        # "... announced a policy: Trudeau promised a rise in spending":
        # the cue's own object follows; what precedes is narration
        ccomps = []
    return ccomps


def _clausal_content(ctx: ArticleContext, v: Any, ccomps: list) -> tuple[int, int]:
    """The clausal complement as content ("said South Korea will ...", "..., Kim said")."""
    c = ccomps[-1] if any(x.i > v.i for x in ccomps) else ccomps[0]
    right = [x for x in ccomps if x.i > v.i]
    if right:
        c = right[0]
    a = max(c.left_edge.i, ctx.sent_start_of[v.i])
    b = c.right_edge.i
    if c.i > v.i:
        b = _extend_past_content(v, b)
    b = min(b, ctx.strong_end_of[v.i])
    # "..., saying ...": a participle cue starts a quote of its own
    for i in range(c.i + 1, b + 1):
        t = ctx.doc[i]
        if t.tag_ == "VBG" and t.lemma_.lower() in SPEECH_VERBS and \
                ctx.doc[i - 1].text in {",", "—", "–"} and t.i > v.i:
            b = i - 2
            break
    if c.i < v.i:
        # content before the cue: stop before the cue clause
        subj = subject(ctx, v)
        lim = min(v.i, subj.left_edge.i if subj is not None else v.i) - 1
        b = min(b, lim)
        a = max(a, ctx.sent_start_of[v.i])
    return a, b


def _extend_past_content(v: Any, b: int) -> int:
    """"said X because Y": adverbial clauses after the content."""
    for x in v.rights:
        if x.i > b and x.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in CONTENT_MARKS for m in x.children):
            b = max(b, x.right_edge.i)
        elif x.i > b and x.dep_ == "conj" and x.pos_ in ("VERB", "AUX") and \
                x.lemma_.lower() not in SPEECH_VERBS and not any(
                    y.dep_ in ("nsubj", "nsubjpass") for y in x.children):
            # "says he drank too much, used drugs and ..." (conj
            # attached to the cue by the parser)
            b = max(b, x.right_edge.i)
    return b


def _trailing_content(ctx: ArticleContext, v: Any, lem: str) -> tuple[int, int] | None:
    """Trailing cue: "Content ..., Kim said" with cue as parataxis/ccomp."""
    subj = subject(ctx, v)
    if v.dep_ in ("parataxis", "ccomp", "advcl") and v.head.i < v.i and subj is not None \
            and subj.i < v.i and subj.i > v.head.i and subj.left_edge.i > 0 \
            and ctx.doc[subj.left_edge.i - 1].text in {",", "—", "–"}:
        a = max(ctx.sent_start_of[v.i], v.head.left_edge.i)
        b = subj.left_edge.i - 1
        if a < b:
            return a, b
    return None


def _xcomp_content(ctx: ArticleContext, v: Any, lem: str) -> tuple[int, int] | None:
    """"vowed to ...", "urged the government to ...", "asked the envoys to explore ..."."""
    if lem in XCOMP_CONTENT_VERBS or lem == "urge" or (
            lem == "ask" and not any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)):
        xs = [c for c in v.children if c.dep_ == "xcomp" and c.i > v.i]
        subj = subject(ctx, v)
        if xs and subj is not None and speakerlike(subj):
            objs = [c for c in v.children if c.dep_ == "dobj" and c.i > v.i]
            a = objs[0].left_edge.i if objs and lem in ("urge", "call") else xs[0].left_edge.i
            return a, xs[0].right_edge.i
    return None


def _demand_content(ctx: ArticleContext, v: Any, lem: str) -> tuple[int, int] | None:
    """"called for stepped-up efforts to ...": the demand is the content."""
    pf = call_for(v)
    if pf is not None:
        subj = subject(ctx, v)
        if subj is not None and speakerlike(subj):
            obj = next(c for c in pf.children if c.dep_ == "pobj")
            return obj.left_edge.i, min(pf.right_edge.i, ctx.sent_end_of[v.i])
    return None


def _object_content(ctx: ArticleContext, v: Any, lem: str) -> tuple[int, int] | None:
    """The direct object of an object-content verb ("emphasized the need for ...")."""
    if lem in OBJECT_CONTENT_VERBS:
        objs = [c for c in v.children if c.dep_ == "dobj" and c.i > v.i]
        if objs and objs[0].pos_ != "PRON":
            subj = subject(ctx, v)
            if subj is None or not speakerlike(subj):
                return None
            a = objs[0].left_edge.i
            b = a
            for c in v.children:
                if c.i > v.i and c.dep_ not in ("conj", "cc", "punct", "parataxis"):
                    b = max(b, c.right_edge.i)
            return a, min(b, ctx.sent_end_of[v.i])
    return None
