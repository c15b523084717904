"""Resolvers of pronoun mentions: he/she/his/her, they, it.

"he"/"she" go to the previous sentence's person subject, else the most
salient gender-compatible person (:mod:`.salience`), unless an unnamed
speaker ("a woman in the crowd") was introduced since; "they" to the plural
or organisation subject before it; "it" to the previous sentence's
organisation subject; both, failing that, to a recent quote's speaker.
"""

from __future__ import annotations

from ...kinds import SpeakerType
from ...models import Quote
from ..context import ArticleContext
from ..lexicon import ACRONYM, PRONOUN_GENDER, PRONOUNS_PERSON
from ..settings import current
from ..syntax import mention_range
from . import dispatch
from .salience import nearest_person, prev_sentence_root, prev_subject, recent_generic


def resolve_pronoun(ctx: ArticleContext, mention: str, a: int, b: int, q: Quote, recent: list[Quote]) -> bool:
    """Resolve ``mention`` when it is a pronoun; False (nothing done) when it is not one."""
    low = mention.lower().strip()
    if low in PRONOUNS_PERSON or low in ("his", "her"):
        _resolve_he_she(ctx, low, a, q, recent)
        return True
    if low == "they" and not ctx.in_doc and _plural_subject_before(ctx, a, q, recent):
        return True
    if low == "it" and not ctx.in_doc and _org_subject_before(ctx, a, q, recent):
        return True
    if low in ("they", "it"):
        _recent_speaker(ctx, low, a, q, recent)
        return True
    return False


def _resolve_he_she(ctx: ArticleContext, low: str, a: int, q: Quote, recent: list[Quote]) -> None:
    g = PRONOUN_GENDER[low]
    span = (q.start, q.end)  # a name inside the quote is what it is about, not who says it
    name = (current().prev_subject and prev_subject(ctx, a, g, span)) or nearest_person(ctx, a, g, inside=span)
    gen = recent_generic(ctx, a, name, g)
    if gen is not None:
        q.speaker, q.speaker_type, q.speaker_title = gen[1], gen[2], gen[3]
        return
    if name is None:
        for r in reversed(recent[-3:]):
            if r.speaker_type == SpeakerType.PERSON and r.speaker:
                name = r.speaker
                break
    if name:
        q.speaker, q.speaker_type = name, SpeakerType.PERSON
        p = ctx.mentions.people.get(name)
        if p is not None:
            q.speaker_title = p.titles[0] if p.titles else ""
            if not p.gender:
                p.votes[g] += 1


def _plural_subject_before(ctx: ArticleContext, a: int, q: Quote, recent: list[Quote]) -> bool:
    """"they": the nearest plural (or organisation) subject before the pronoun."""
    doc = ctx.doc
    for i in range(a - 1, max(-1, a - 120), -1):
        t = doc[i]
        if ctx.tok_direct[i] >= 0 or t.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if t.tag_ in ("NNS", "NNPS") or t.ent_type_ in ("ORG", "NORP") or (
                any(c.dep_ == "conj" for c in t.children) and t.pos_ == "PROPN"):
            return dispatch.resolve_tokens(ctx, *mention_range(ctx, t), q, recent)
    return False


def _org_subject_before(ctx: ArticleContext, a: int, q: Quote, recent: list[Quote]) -> bool:
    """"EDC declined to answer ... '...,' it said": the previous sentence's
    organisation subject."""
    root = prev_sentence_root(ctx, a)
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None) if root is not None else None
    if subj is not None and ctx.tok_direct[subj.i] < 0 and (
            subj.ent_type_ == "ORG" or subj.i in ctx.mentions.tok_as_org
            or ACRONYM.fullmatch(subj.text)) and subj.i not in ctx.mentions.tok_as_person:
        return dispatch.resolve_tokens(ctx, *mention_range(ctx, subj), q, recent)
    return False


def _recent_speaker(ctx: ArticleContext, low: str, a: int, q: Quote, recent: list[Quote]) -> None:
    """"they"/"it" unresolved: a recent quote's speaker ("it": an organisation), else ("it") the last organisation named."""
    for r in reversed(recent[-3:]):
        if r.speaker and (low == "they" or r.speaker_type == SpeakerType.ORGANIZATION):
            q.speaker, q.speaker_type = r.speaker, r.speaker_type
            q.speaker_title = r.speaker_title
            return
    if low == "it":
        org_events = ctx.mentions.org_events
        k = len(org_events) - 1
        while k >= 0 and org_events[k][0] > a:
            k -= 1
        if k >= 0 and a - org_events[k][0] < 150:
            q.speaker, q.speaker_type = org_events[k][1], SpeakerType.ORGANIZATION
