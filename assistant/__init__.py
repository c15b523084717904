"""Conversational Q&A over news articles: who said what, answered with verbatim, cited quotes.

Public API::

    from assistant import Assistant, extract_quotes
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import AssistantError, GoldError, IndexNotUsable, IngestError
from .models import Answer, Article, Citation, Passage, Quote, Speaker
from .settings import Settings

__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "AssistantError",
    "Citation",
    "Conversation",
    "GoldError",
    "IndexNotUsable",
    "IngestError",
    "Passage",
    "Quote",
    "Settings",
    "Speaker",
    "evaluate",
    "extract_quotes",
]

if TYPE_CHECKING:  # pragma: no cover
    from .api import Assistant, Conversation


def __getattr__(name: str):
    # heavy modules (torch, spaCy, FAISS) load only when used, so `import assistant` stays fast
    if name in ("Assistant", "Conversation"):
        from . import api

        return getattr(api, name)
    if name == "extract_quotes":
        from .attribution import extract_quotes

        return extract_quotes
    if name == "evaluate":
        from .evaluation import evaluate

        return evaluate
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
