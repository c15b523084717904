"""The closed vocabularies of the flow, as string enums (each member equals its string value,
so stored rows, JSON and gold files keep plain strings).

* :class:`QuoteKind`: direct (in quotation marks), indirect (reported speech), mixed
  (reported speech holding a quoted fragment); a citation of a passage rather than a
  quote has kind :attr:`QuoteKind.PASSAGE`.
* :class:`SpeakerType`: person, organization, unknown (no proper name: "officials").
* :class:`QuestionType`: the shapes a question is read as (:mod:`assistant.converse`)
  and the groups the evaluation reports by (one spelling for each, hyphenated).
"""

from __future__ import annotations

from enum import StrEnum


class QuoteKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"
    PASSAGE = "passage"


class SpeakerType(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    UNKNOWN = "unknown"


class QuestionType(StrEnum):
    SPEAKER_TOPIC = "speaker-topic"
    SPEAKER_ONLY = "speaker-only"
    WHO_SAID = "who-said"
    WHO_IS = "who-is"
    TOPIC = "topic"
    FOLLOW_UP = "follow-up"
    UNANSWERABLE = "unanswerable"
    EMPTY = "empty"
