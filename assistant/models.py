"""Typed records passed between the stages of the flow (see DESIGN.md).

Every span is a pair of character offsets ``start``/``end`` (Python slice
semantics, ``end`` exclusive) into the text of the article *as stored*, that is
after cleaning: ``article.text[start:end] == record.text`` always holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .kinds import QuoteKind, SpeakerType  # noqa: E402  (string enums; members equal their values)


@dataclass
class Article:
    """One news article.

    ``id`` is the record's ``id`` field or, for a file, its name without the
    extension. ``text`` is the cleaned body text that every span points into.
    ``origin`` names the file (and line, for JSONL) the article came from.
    """

    id: str
    text: str
    title: str = ""
    date: str = ""
    source: str = ""
    author: str = ""
    url: str = ""
    origin: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Passage:
    """A sentence-aligned chunk of an article: ``text == article.text[start:end]``."""

    article_id: str
    start: int
    end: int
    text: str
    id: int | None = None


@dataclass
class Quote:
    """One attributed quotation in a text.

    Fields:
      * ``text``/``start``/``end``: the quoted content and its character span.
        For direct quotes the span includes the quotation marks.
      * ``kind``: ``direct`` (in quotation marks), ``indirect`` (reported
        speech, "X said that ..."), ``mixed`` (reported speech holding a quoted
        fragment).
      * ``cue``/``cue_start``/``cue_end``: the reporting verb or phrase as
        written ("said", "according to", "quoted as saying").
      * ``mention``/``mention_start``/``mention_end``: the speaker as written
        ("she", "Kang", "the ministry"); empty with -1 offsets when none.
      * ``speaker``: canonical name of the resolved speaker ("Kang Kyung-wha"),
        or ``None`` when unresolved.
      * ``speaker_type``: ``person``, ``organization`` or ``unknown``.
      * ``speaker_title``: the title the article gives the speaker
        ("Foreign Minister"), or "".
    """

    text: str
    start: int
    end: int
    kind: QuoteKind
    cue: str = ""
    cue_start: int = -1
    cue_end: int = -1
    mention: str = ""
    mention_start: int = -1
    mention_end: int = -1
    speaker: str | None = None
    speaker_type: SpeakerType = SpeakerType.UNKNOWN
    speaker_title: str = ""
    article_id: str = ""
    id: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Speaker:
    """A canonical speaker in the registry (one per person or organisation).

    ``name`` is the canonical full name; ``aliases`` every form seen
    ("Kang", "Kang Kyung-wha", "Foreign Minister Kang Kyung-wha"); ``titles``
    the titles seen ("Foreign Minister"); ``articles`` the ids of articles in
    which the speaker is quoted; ``n_quotes`` the number of quotes.
    """

    name: str
    type: SpeakerType = SpeakerType.PERSON
    aliases: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    n_quotes: int = 0
    gender: str = ""
    id: int | None = None


@dataclass
class Citation:
    """One cited span supporting an answer. ``text == article.text[start:end]``.

    ``kind`` is ``direct``, ``indirect``, ``mixed`` or ``passage`` (a passage
    cited for context, not a quote). ``score`` is the retrieval score (higher is
    better; its scale depends on the retriever).
    """

    article_id: str
    title: str
    source: str
    date: str
    start: int
    end: int
    text: str
    speaker: str | None
    cue: str
    kind: str
    score: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    """An answer: readable ``text`` with [1], [2] markers, ``citations`` in the
    order of the markers, and ``abstained`` (True when no quote answers)."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    speaker: str | None = None
    question_type: str = ""

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "abstained": self.abstained,
            "speaker": self.speaker,
            "question_type": self.question_type,
        }
