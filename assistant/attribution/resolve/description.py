"""Resolvers of descriptions of a person just named.

"the Kentucky Republican", "the 32-year-old labourer", "says the bow-tied
maverick": a definite description in a quote's cue describes the subject of
the sentence before, else the most salient person within
``description_reach`` tokens (:mod:`.salience`).  Switched off with
``descriptive_np`` (:mod:`..settings`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...kinds import SpeakerType
from ...models import Quote
from ...speakers import gender_of
from ..context import ArticleContext
from ..lexicon import ANAPHORIC_ORG, DOC_NOUNS, HUMAN_NOUNS, HUMAN_SUFFIXES, ORG_NOUNS, PLACE_NOUNS, TITLE_NOUNS
from ..settings import current
from ..syntax import strip_det
from .salience import nearest_person, subject_before

if TYPE_CHECKING:
    from .dispatch import MentionInfo


def _described(ctx: ArticleContext, m: MentionInfo) -> str | None:
    """The person a description at ``m`` describes, or None."""
    return subject_before(ctx, m.a) or nearest_person(
        ctx, m.a, gender_of(m.mention), max_back=current().description_reach)


def resolve_norp_description(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """"the Kentucky Republican said": a description of a person just named."""
    head = m.head
    if current().descriptive_np and m.low.startswith("the ") and head.ent_type_ == "NORP" and head.tag_ == "NNP" \
            and not head.text.endswith("s") and not m.person_tok:
        name = _described(ctx, m)
        if name:
            q.speaker, q.speaker_type = name, SpeakerType.PERSON
            q.speaker_title = strip_det(m.mention)
            return True
    return False


def resolve_description(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """"the 32-year-old labourer": a description of someone just named."""
    head, head_lemma = m.head, m.head_lemma
    if current().descriptive_np and m.definite and head.pos_ == "NOUN" and \
            head.tag_ != "NNS" and head_lemma not in DOC_NOUNS and (
                head_lemma in HUMAN_NOUNS or head_lemma in TITLE_NOUNS
                or head_lemma.endswith(HUMAN_SUFFIXES) or re.search(r"\d+-year-old", m.low)):
        name = _described(ctx, m)
        if name:
            q.speaker, q.speaker_type = name, SpeakerType.PERSON
            if not q.speaker_title:
                q.speaker_title = strip_det(m.mention)
            return True
    return False


def resolve_epithet(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """"says the bow-tied maverick": a feature writer's epithet for the person just named."""
    head, head_lemma = m.head, m.head_lemma
    if current().descriptive_np and m.definite and head.pos_ == "NOUN" and head.tag_ == "NN" and \
            not m.ent_types and head_lemma not in DOC_NOUNS and head_lemma not in ORG_NOUNS \
            and head_lemma not in ANAPHORIC_ORG and head_lemma not in PLACE_NOUNS:
        name = _described(ctx, m)
        if name:
            q.speaker, q.speaker_type = name, SpeakerType.PERSON
            q.speaker_title = q.speaker_title or strip_det(m.mention)
            return True
    return False
