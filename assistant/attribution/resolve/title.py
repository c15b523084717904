"""Resolver of a title alone ("the foreign minister", "the spokeswoman").

The title goes to the article's person holding it (the best match among the
titles collected from the mentions); a title no one holds types the speaker
as a person named by the title, and resolution ends there unless a
description rule (:mod:`.description`) finds whom it describes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kinds import SpeakerType
from ...models import Quote
from ..context import ArticleContext
from ..lexicon import GENDERED_TITLE_WORDS, TITLE_NOUNS
from ..syntax import strip_det

if TYPE_CHECKING:
    from .dispatch import MentionInfo


def resolve_title(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """A title alone: the person holding it in the article (else the title, typed person, and go on)."""
    low = m.low
    if m.head_lemma in TITLE_NOUNS or any(w in GENDERED_TITLE_WORDS for w in low.split()):
        best = ctx.mentions.title_holder(low)
        if best:
            q.speaker, q.speaker_type = best, SpeakerType.PERSON
            q.speaker_title = ctx.mentions.people[best].titles[0]
            return True
        q.speaker_type = SpeakerType.PERSON
        q.speaker_title = m.title or m.mention
        q.speaker = strip_det(m.mention) or None
    return False


def settled_as_person(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """A speaker already typed person (an unheld title) is settled."""
    return q.speaker_type == SpeakerType.PERSON
