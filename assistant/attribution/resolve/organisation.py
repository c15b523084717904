"""Resolvers of organisation mentions ("the ministry", "EDC", "Seoul", "the state-funded orchestra").

A mention with an organisation, place or nationality entity, or headed by an
organisation noun, is an organisation.  "the ministry" goes to the last
organisation named with that head word, "the railway company" to the last
with "railway" in its name, "the company" to the organisation quoted just
before or the last one named (a place noun: the last place).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...kinds import SpeakerType
from ...models import Quote
from ...speakers import strip_possessive
from ..context import ArticleContext
from ..lexicon import ANAPHORIC_ORG, BUSINESS_NOUNS, ORG_NOUNS, PLACE_NOUNS
from ..settings import current
from ..syntax import human_head, strip_det

if TYPE_CHECKING:
    from .dispatch import MentionInfo


def resolve_organisation(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """An organisation, place or nationality: as named, or the one an anaphoric noun refers to."""
    ent_types, head_lemma, mention = m.ent_types, m.head_lemma, m.mention
    if not ("ORG" in ent_types or "GPE" in ent_types or "NORP" in ent_types or
            head_lemma in ORG_NOUNS):
        return False
    q.speaker_type = SpeakerType.ORGANIZATION
    words = mention.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    org = strip_possessive(" ".join(words))
    bare = len(mention.split()) == 1 and mention.lower() == head_lemma and head_lemma in ORG_NOUNS
    if "ORG" not in ent_types and len(words) <= 2 and (
            mention.lower().startswith(("the ", "its ")) or bare):
        found = _referent(ctx, m, recent, bare)
        org = strip_det(strip_possessive(found)) if found else org
    elif org and len(org.split()) <= 2 and "GPE" not in ent_types and "NORP" not in ent_types:
        # "the Commission" after "the European Commission": the longer name this one ends
        longer = ctx.mentions.last_named(m.a, lambda e: strip_det(strip_possessive(e)).lower().endswith(
            " " + org.lower()))
        org = strip_det(strip_possessive(longer)) if longer else org
    q.speaker = org or None
    return True


def _referent(ctx: ArticleContext, m: MentionInfo, recent: list[Quote], bare: bool) -> str:
    """"the ministry" -> the last organisation named with that head
    word; "the company" -> the last organisation named (or '')."""
    a, head, head_lemma = m.a, m.head, m.head_lemma
    found = ctx.mentions.last_named(a, lambda e: head_lemma in e.lower())
    mods = {t.lemma_.lower() for t in m.toks if t.i != head.i and t.is_alpha
            and t.pos_ in ("NOUN", "ADJ", "PROPN") and len(t.text) > 3}
    if not found and mods:
        # "the railway company" -> the last organisation with "railway" in its name
        found = ctx.mentions.last_named(a, lambda e: bool(mods & set(re.findall(r"[a-z]+", e.lower()))))
    if not found and head_lemma in BUSINESS_NOUNS:
        # "..., according to media buying company GroupM. ..., the company
        # wrote": the organisation quoted just before
        for r in reversed(recent[-2:]):
            if r.speaker and r.speaker_type == SpeakerType.ORGANIZATION and \
                    0 <= ctx.doc[a].idx - r.end < current().generic_org_reach:
                found = r.speaker
                break
    if not found and head_lemma in ANAPHORIC_ORG and not bare:
        pool = ctx.mentions.gpe_events if head_lemma in PLACE_NOUNS else ctx.mentions.org_events
        found = ctx.mentions.last_named(a, reach=400, pool=pool)
    return found


def resolve_org_noun(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """"the state-funded orchestra": the organisation named with that word."""
    head, head_lemma = m.head, m.head_lemma
    if m.low.startswith(("the ", "its ")) and head.pos_ == "NOUN" and not human_head(head):
        named = ctx.mentions.last_named(m.a, lambda e: re.search(r"\b" + re.escape(head_lemma) + r"\b", e.lower()))
        if named:
            q.speaker, q.speaker_type = strip_det(named), SpeakerType.ORGANIZATION
            return True
    return False
