"""Moved: the word lists of quote attribution are in :mod:`assistant.attribution.lexicon`.

This module only re-exports the four lists :mod:`assistant.speakers` imports
from it (that import line is not ours to change); delete it once
``speakers.py`` imports them from ``.attribution.lexicon``.
"""

from __future__ import annotations

from .attribution.lexicon import GENDERED_TITLE_WORDS, HONORIFICS, ORG_NOUNS, TITLE_NOUNS

__all__ = ["GENDERED_TITLE_WORDS", "HONORIFICS", "ORG_NOUNS", "TITLE_NOUNS"]
