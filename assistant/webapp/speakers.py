"""The speaker registry tab: its table rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..models import Speaker

#: Speaker rows shown in the table (the search box narrows the rest down).
MAX_SPEAKER_ROWS = 500

SPEAKER_COLUMNS = ["Speaker", "Type", "Titles", "Quotes", "Articles"]


def speaker_rows(speakers: Sequence[Speaker], limit: int = MAX_SPEAKER_ROWS) -> list[list[Any]]:
    """Table rows for the speaker registry (plain text cells; the table shows them as text)."""
    rows = []
    for s in speakers[:limit]:
        rows.append([s.name, s.type, ", ".join(s.titles), int(s.n_quotes), len(s.articles)])
    return rows
