"""Resolvers of unnamed speakers: "an official", "a Cheong Wa Dae source", anyone else as written.

An unnamed official/source/spokesman speaks for the organisation the mention
names ("a Cheong Wa Dae official", "an official at the State Department"),
else for the one a singular "the official" spoke for before, the
organisation the quote is about, or (for a bare "an official") the
organisation quoted just before; otherwise the speaker stays generic (type
``unknown``).  Such mentions are recorded as generic events, which a later
he/she may continue (:func:`.salience.recent_generic`).
:func:`resolve_unknown` is the last resolver: the mention as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...kinds import SpeakerType
from ...models import Quote
from ...speakers import strip_possessive
from ..context import ArticleContext
from ..lexicon import ANAPHORIC_ORG, BUSINESS_NOUNS, DOC_NOUNS, GENERIC_PERSON_HEADS, HUMAN_SUFFIXES
from ..settings import current
from ..syntax import human_head, speakerlike, strip_det

if TYPE_CHECKING:
    from .dispatch import MentionInfo


def resolve_generic_mention(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """A mention headed by "official", "source", "spokesperson" ...: :func:`resolve_generic`."""
    head = m.head
    if head.lemma_.lower() in GENERIC_PERSON_HEADS and head.pos_ == "NOUN" and \
            head.ent_type_ != "PERSON":
        resolve_generic(ctx, head, m.a, m.b, m.mention, q, recent)
        return True
    return False


def resolve_generic(ctx: ArticleContext, head: Any, a: int, b: int, mention: str, q: Quote,
                    recent: list[Quote] | None = None) -> None:
    """'an official said': the organisation it speaks for, else generic.

    The organisation comes from the mention itself, else (for a singular
    "the official") from the last generic mention that named one, else (for
    one unnamed official) from the organisation the quote is about
    (:func:`org_in_context`), else (for a bare "an official") from the
    organisation quoted right before it: "The ministry reiterated that ...
    '...,' an official said, echoing the ministry's stance".
    """
    org = org_of(ctx, head, a, b)
    if not org and head.tag_ == "NN" and ctx.mentions.generic_org and \
            mention.lower().startswith(("the ", "this ", "that ")):
        org = ctx.mentions.generic_org
    if not org and head.tag_ == "NN":
        org = org_in_context(ctx, q)
    bare = {w.lower() for w in mention.split()} <= {"a", "an", "the", "one", "another", "senior",
                                                     head.lower_}
    if not org and head.tag_ == "NN" and bare and recent:
        last = recent[-1]
        if last.speaker_type == SpeakerType.ORGANIZATION and last.speaker and \
                0 <= q.start - last.end <= current().generic_org_reach:
            org = last.speaker
    if org:
        ctx.mentions.generic_org = org
        q.speaker, q.speaker_type = org, SpeakerType.ORGANIZATION
    else:
        q.speaker, q.speaker_type = strip_det(mention) or None, SpeakerType.UNKNOWN
    q.speaker_title = strip_det(mention)
    if head.tag_ == "NN":
        ctx.mentions.add_generic((head.i, q.speaker, q.speaker_type, q.speaker_title))


def org_of(ctx: ArticleContext, head: Any, a: int, b: int) -> str:
    """The organisation a generic person mention speaks for, or ''.

    "a Cheong Wa Dae official", "an official at the State Department",
    "K-League officials" name it; "a company official" refers back to the
    last organisation named ("the company").
    """
    doc = ctx.doc
    for t in doc[a : b + 1]:
        if t.i == head.i or t.is_punct:
            continue
        anc = t.head
        if not (t.head.i == head.i or anc.dep_ in ("prep", "compound", "poss", "pobj")):
            continue
        if t.ent_type_ in ("ORG", "GPE", "NORP", "PERSON") or (
                t.pos_ == "PROPN" and t.dep_ in ("compound", "pobj", "poss")):
            if t.ent_type_ == "PERSON" and t.dep_ != "compound":
                return ""  # "a spokeswoman for Trudeau": no organisation
            return _name_around(doc, t, head, a, b)
    for t in doc[a : b + 1]:
        lem = t.lemma_.lower()
        if t.i != head.i and t.pos_ == "NOUN" and lem in ANAPHORIC_ORG:
            named = ctx.mentions.last_named(a, lambda e, lem=lem: lem in e.lower() or lem in BUSINESS_NOUNS, reach=400)
            if named:
                return strip_possessive(named)
    return ""


def _name_around(doc: Any, t: Any, head: Any, a: int, b: int) -> str:
    """The proper-noun run (within a..b, before ``head``) around token ``t``, without a leading article."""
    ea, eb = t.i, t.i
    while ea - 1 >= a and (doc[ea - 1].pos_ == "PROPN" or doc[ea].ent_iob_ == "I"
                           or doc[ea - 1].text == "-") and not doc[ea - 1].is_punct \
            or ea - 1 >= a and doc[ea - 1].text == "-":
        ea -= 1
    while eb + 1 <= b and eb + 1 != head.i and (
            doc[eb + 1].pos_ == "PROPN" or doc[eb + 1].ent_iob_ == "I"
            or doc[eb + 1].text == "-"):
        eb += 1
    while ea < eb and doc[ea].lower_ in ("the", "a", "an"):
        ea += 1
    return strip_possessive(doc[ea : eb + 1].text)


def org_in_context(ctx: ArticleContext, q: Quote) -> str:
    """The organisation one unnamed official speaks for, read from the context, or ''.

    "The ministry has no conclusive position ..., an official said": the
    organisation (an ORG entity) that is the subject of the quote's first clause.
    (The organisation quoted just before is another matter: :func:`resolve_generic`
    gives it only to a bare "an official", not to "a union representative".)
    """
    ix = ctx.ix
    lo, hi = ix.tok_at_or_after(q.start), ix.tok_at_or_after(q.end)
    for t in ctx.doc[lo : min(hi, lo + 8)]:
        if t.dep_ == "nsubj" and (t.ent_type_ == "ORG" or t.i in ctx.mentions.tok_as_org) and \
                (t.ent_type_ != "PERSON" or t.i in ctx.mentions.tok_as_org):
            ea, eb = t.i, t.i
            while ea - 1 >= lo and ctx.doc[ea - 1].ent_iob_ == "I" or \
                    ea - 1 >= lo and ctx.doc[ea].ent_iob_ == "I":
                ea -= 1
            while eb + 1 < hi and ctx.doc[eb + 1].ent_iob_ == "I":
                eb += 1
            return strip_det(strip_possessive(ctx.doc[ea : eb + 1].text))
    return ""


def resolve_unknown(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """Anyone else: the mention as written, type ``unknown`` (no one for "the two sides")."""
    doc, a, b, head, head_lemma, low = ctx.doc, m.a, m.bc, m.head, m.head_lemma, m.low
    q.speaker = strip_det(m.mention) or None
    q.speaker_type = SpeakerType.UNKNOWN
    last = doc[b]
    if q.speaker and low.startswith(("a ", "an ")) and not ctx.in_doc and (
            human_head(last) or last.lemma_.lower().endswith(HUMAN_SUFFIXES)):
        # "..., a private security professional present during the attack told
        # Reuters. ... he said": an unnamed person now speaking, whom a later
        # he/she may continue (see :func:`.salience.recent_generic`)
        ctx.mentions.add_generic((b, q.speaker, SpeakerType.UNKNOWN, q.speaker))
    if head.pos_ == "NOUN" and not head.ent_type_ and not speakerlike(head) and \
            head_lemma not in DOC_NOUNS and not human_head(head) and \
            not head_lemma.endswith(HUMAN_SUFFIXES) and \
            not any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC") or
                    t.pos_ == "PROPN" or t.text[:1].isupper() and t.i > a for t in m.toks):
        q.speaker = None  # "the two sides", "talks": no one to name
    return True
