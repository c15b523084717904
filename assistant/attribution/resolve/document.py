"""Resolver of a document mention ("the statement", "the RCMP's report"): whoever issued it.

The issuer is a possessive or compound in the mention ("her statement",
"the RCMP statement"), else named with the document ("a statement from the
EU", "a study released by Civic Action", "a document ... on Canadian
Pacific Railway's website"), else the issuer of the same document named
earlier ("X released a report ... the report said").  The issuer's mention
is resolved with the document and pronoun rules off
(:func:`.dispatch.resolve_tokens`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...models import Quote
from ..context import ArticleContext
from ..lexicon import DOC_NOUNS, NOT_ISSUING_VERBS, ORG_NOUNS, OUTLET_NOUNS, SKIP_SUBJECTS, SPEECH_VERBS
from ..syntax import human_head, mention_range
from . import dispatch

if TYPE_CHECKING:
    from .dispatch import MentionInfo


def resolve_document(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """"The RCMP statement", "her statement": whoever issued it."""
    if m.head_lemma not in DOC_NOUNS or ctx.in_doc:
        return False
    a, b, head = m.a, m.bc, m.head
    for t in m.toks:
        if t.i != b and t.dep_ in ("poss", "compound") and (
                t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
                or t.pos_ in ("PROPN", "PRON") and not t.ent_type_
                or t.lemma_.lower() in ORG_NOUNS):
            if dispatch.resolve_tokens(ctx, max(a, t.left_edge.i), t.i, q, recent):
                return True
    src = issuer(ctx, head) or earlier_issuer(ctx, head, a)
    if src is not None:
        if dispatch.resolve_tokens(ctx, src[0], src[1], q, recent):
            return True
    return False


def named_src(ctx: ArticleContext, t: Any) -> tuple[int, int] | None:
    """Mention range of ``t`` when it names a source (entity, proper noun, org noun)."""
    if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or (
            t.pos_ == "PROPN" and not t.ent_type_) or (
            t.pos_ == "NOUN" and (t.lemma_.lower() in ORG_NOUNS or human_head(t))
            and t.lemma_.lower() not in DOC_NOUNS):
        a, b = mention_range(ctx, t)
        return (a, b) if a <= t.i <= b else (t.i, t.i)
    return None


def issuer(ctx: ArticleContext, head: Any) -> tuple[int, int] | None:
    """Who issued document noun ``head``: "a statement from the EU",
    "a study released by Civic Action", "the RCMP's report"."""
    for c in head.children:
        got = _issuer_in(ctx, head, c)
        if got is not None:
            return got
    doc = ctx.doc
    for x in doc[head.i + 1 : min(ctx.sent_end_of[head.i] + 1, head.i + 40)]:
        # the sentence, not the subtree: a title's colon breaks the parse
        if x.dep_ == "poss" and x.head.lemma_.lower() in OUTLET_NOUNS \
                and x.head.head.lower_ in ("on", "in", "from"):
            got = named_src(ctx, x)
            if got is not None:
                return got
    return None


def _issuer_in(ctx: ArticleContext, head: Any, c: Any) -> tuple[int, int] | None:
    """The issuer named by child ``c`` of document noun ``head`` (possessive, "from"/"by"/"of", agent)."""
    if c.dep_ in ("poss", "compound") and c.i < head.i:
        got = named_src(ctx, c)
        if got is not None and c.pos_ != "PRON":
            return got
    if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
        for o in c.children:
            if o.dep_ == "pobj":
                got = named_src(ctx, o)
                if got is not None:
                    return got
    if c.dep_ in ("acl", "relcl") and c.lemma_.lower() not in NOT_ISSUING_VERBS:
        for x in c.children:
            if x.dep_ == "agent":
                for o in x.children:
                    if o.dep_ == "pobj":
                        got = named_src(ctx, o)
                        if got is not None:
                            return got
    return None


def earlier_issuer(ctx: ArticleContext, head: Any, a: int) -> tuple[int, int] | None:
    """Issuer of the same document named earlier ("X released a report ...
    the report said"): the issuer of an earlier mention of the noun, or the
    subject of the verb that has it as object."""
    doc = ctx.doc
    lem = head.lemma_.lower()
    for i in range(a - 1, max(-1, a - 2000), -1):
        t = doc[i]
        if t.lemma_.lower() != lem or ctx.tok_direct[i] >= 0 or t.pos_ not in ("NOUN", "PROPN"):
            continue
        v = t.head
        if t.pos_ == "PROPN":
            # "a document titled White Paper: ...": the issuer of the titled document
            if t.dep_ in ("dobj", "oprd", "attr") and v.dep_ == "acl" and \
                    v.lemma_.lower() in ("title", "entitle", "call", "name"):
                got = issuer(ctx, v.head)
                if got is not None:
                    return got
            continue
        got = issuer(ctx, t) or _writer_of(ctx, t, v) or _producer_of(ctx, t, v)
        if got is not None:
            return got
    return None


def _writer_of(ctx: ArticleContext, t: Any, v: Any) -> tuple[int, int] | None:
    """"economist Philip Cross wrote in a recent report": the writer."""
    if t.dep_ == "pobj" and v.lower_ in ("in", "on") and v.head.pos_ == "VERB" and (
            v.head.lemma_.lower() in SPEECH_VERBS or v.head.lemma_.lower() == "write"):
        for c in v.head.children:
            if c.dep_ == "nsubj" and c.lower_ not in SKIP_SUBJECTS:
                got = named_src(ctx, c)
                if got is not None:
                    return got
    return None


def _producer_of(ctx: ArticleContext, t: Any, v: Any) -> tuple[int, int] | None:
    """The subject of the verb that has document ``t`` as object (or the agent of its passive)."""
    if t.dep_ in ("dobj", "nsubjpass") and v.pos_ in ("VERB", "AUX"):
        for c in v.children:
            if c.dep_ == "nsubj" and t.dep_ == "dobj" or c.dep_ == "agent":
                o = c if c.dep_ == "nsubj" else next(
                    (x for x in c.children if x.dep_ == "pobj"), None)
                if o is not None and o.lower_ not in SKIP_SUBJECTS:
                    got = named_src(ctx, o)
                    if got is not None:
                        return got
    return None
