"""The *Speakers* tab: the registry table (:func:`speaker_rows`), its handlers and layout."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import gradio as gr

from ..errors import AssistantError
from ..models import Speaker
from .render import PANEL_CSS, esc, render_quotes
from .session import AssistantHolder, _article_text_fn

#: Speaker rows shown in the table (the search box narrows the rest down).
MAX_SPEAKER_ROWS = 500

SPEAKER_COLUMNS = ["Speaker", "Type", "Titles", "Quotes", "Articles"]


def speaker_rows(speakers: Sequence[Speaker], limit: int = MAX_SPEAKER_ROWS) -> list[list[Any]]:
    """Table rows for the speaker registry (plain text cells; the table shows them as text)."""
    rows = []
    for s in speakers[:limit]:
        rows.append([s.name, s.type, ", ".join(s.titles), int(s.n_quotes), len(s.articles)])
    return rows


class SpeakerHandlers:
    """The *Speakers* tab's event handlers over ``holder``."""

    def __init__(self, holder: AssistantHolder):
        self.holder = holder

    def speakers_table(self, query: str):
        """Rows of the registry matching ``query``, and the speaker list for the picker."""
        try:
            assistant = self.holder.get()
            found = assistant.speakers(query or "")
        except AssistantError as e:
            gr.Warning(str(e))
            return gr.skip(), gr.skip()
        rows = speaker_rows(found)
        names = [s.name for s in found[:MAX_SPEAKER_ROWS]]
        return rows, gr.update(choices=names, value=None)

    def speaker_quotes(self, name: str | None) -> str:
        """Quote cards of the speaker picked."""
        if not name:
            return render_quotes("", [], lambda _a: None)
        try:
            assistant = self.holder.get()
            cites = assistant.quotes_of(name)
        except AssistantError as e:
            return f'<div class="wsw-error">{esc(e)}</div>'
        return render_quotes(name, cites, _article_text_fn(assistant))

    def pick_from_table(self, evt: gr.SelectData):
        """A click in the speaker table picks that row's speaker."""
        row = getattr(evt, "row_value", None)
        if row:
            return str(row[0])
        return gr.skip()


def speakers_tab() -> SimpleNamespace:
    """The *Speakers* tab's components (built inside ``gr.Tabs``)."""
    with gr.Tab("Speakers", id="speakers-tab"):
        speaker_search = gr.Textbox(
            label="Search speakers (name, alias or title)", placeholder="e.g. minister", elem_id="wsw-speaker-search"
        )
        speaker_table = gr.Dataframe(
            headers=SPEAKER_COLUMNS,
            datatype=["str", "str", "str", "number", "number"],
            interactive=False,
            wrap=True,
            max_height=320,
            label="Speaker registry (click a row to read the quotes)",
            elem_id="wsw-speakers",
        )
        speaker_pick = gr.Dropdown(choices=[], label="Speaker", elem_id="wsw-speaker-pick", filterable=True)
        speaker_html = gr.HTML(
            render_quotes("", [], lambda _a: None), elem_id="wsw-speaker-quotes", css_template=PANEL_CSS
        )
    return SimpleNamespace(speaker_search=speaker_search, speaker_table=speaker_table, speaker_pick=speaker_pick,
                           speaker_html=speaker_html)


def wire_speakers(handlers: SpeakerHandlers, tab: SimpleNamespace) -> None:
    """Connect the *Speakers* tab to ``handlers``."""
    tab.speaker_search.change(handlers.speakers_table, tab.speaker_search, [tab.speaker_table, tab.speaker_pick], api_visibility="private")
    tab.speaker_table.select(handlers.pick_from_table, None, tab.speaker_pick, api_visibility="private")
    tab.speaker_pick.change(handlers.speaker_quotes, tab.speaker_pick, tab.speaker_html, api_visibility="private")
