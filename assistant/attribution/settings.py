"""Tunable numbers of quote attribution, in one frozen dataclass.

The passes read the settings in force with :func:`current`: :data:`DEFAULTS` (the
values the extractor has been measured with) unless a caller runs them inside
:func:`using` (``extract_quotes_doc(..., settings=...)`` does; the index build
passes ``Settings.attribution``, saved with the index).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AttributionSettings:
    """Limits, salience weights and switches of the attribution passes."""

    #: An unclosed quotation at a paragraph start runs to the paragraph end only
    #: when the paragraph is at most this long (characters); otherwise ignored.
    max_unclosed: int = 1500
    #: Direct quotes longer than this (characters) are treated as mis-paired.
    max_direct: int = 4000
    #: Indirect content longer than this (characters) is a parse gone wrong.
    max_indirect: int = 1500
    #: Distance (tokens) over which a mention's salience decays by a factor e.
    salience_decay: float = 60.0
    #: Salience weight of a person's quoted-speaker mention (subject 2, other 1).
    speaker_weight: float = 3.0
    #: Salience weight of a resolved he/she subject outside quotes (0: off).
    pronoun_weight: float = 1.0
    #: Factor for candidates whose known gender matches the pronoun's.
    gender_bonus: float = 1.5
    #: Resolve a quote's "he"/"she" to the previous sentence's person subject before salience.
    prev_subject: bool = True
    #: Resolve "the 26-year-old right wing" to the most salient person nearby.
    descriptive_np: bool = True
    #: How far back (characters) a bare "an official" looks for the organisation quoted just before it.
    generic_org_reach: int = 300
    #: How far back (characters) a description ("the 32-year-old labourer") looks for the person it describes.
    description_reach: int = 250
    #: A cue-less quote goes to a person made subject since the last quote.
    float_to_subject: bool = True
    #: Weight factor for one-word PERSON names that match no full name.
    lone_name_factor: float = 0.5
    #: Salience weight of a person's first mention when it is a subject.
    intro_weight: float = 3.0
    #: Weight factor for a name modifying a noun ("the Moon administration").
    compound_name_factor: float = 0.5
    #: Weight factor for a name deep in prepositional phrases (1.0: off; 0.5 measured no better).
    nested_name_factor: float = 1.0
    #: Sum the decayed weights of all mentions (True) or keep the best one (False).
    salience_sum: bool = False


#: The settings every pass reads.
DEFAULTS = AttributionSettings()

_CURRENT: ContextVar[AttributionSettings] = ContextVar("attribution_settings", default=DEFAULTS)


def current() -> AttributionSettings:
    """The attribution settings in force (:data:`DEFAULTS` outside :func:`using`)."""
    return _CURRENT.get()


@contextmanager
def using(settings: AttributionSettings | None) -> Iterator[AttributionSettings]:
    """Run the passes inside this block with ``settings`` (None: the ones in force)."""
    token = _CURRENT.set(settings or _CURRENT.get())
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)
