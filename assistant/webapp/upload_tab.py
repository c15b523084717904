"""The *Add articles* tab: uploads indexed into the live index, then the speaker tab refreshed."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from ..errors import AssistantError
from .render import PANEL_CSS, esc, escape_markdown
from .session import AssistantHolder, _status_line
from .speakers import SpeakerHandlers
from .uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, STAGE_LABELS, UPLOAD_SUFFIXES, add_uploads


class UploadHandlers:
    """The *Add articles* tab's handler over ``holder``; ``speakers`` refreshes the speaker tab after an upload."""

    def __init__(self, holder: AssistantHolder, speakers: SpeakerHandlers):
        self.holder = holder
        self.speakers = speakers

    def add_files(self, files: list[str] | None, progress=gr.Progress()):  # noqa: B008  (gradio injects the tracker)
        """Index uploaded files into the live index; the chat uses them from the next question."""
        if not files:
            return '<div class="wsw-empty">Choose one or more files first.</div>', *[gr.skip()] * 4
        try:
            assistant = self.holder.get()
        except AssistantError as e:
            return f'<div class="wsw-error">{esc(e)}</div>', *[gr.skip()] * 4

        def cb(stage: str, done: int, total: int) -> None:
            progress((done, max(total, 1)), desc=STAGE_LABELS.get(stage, stage))

        report = add_uploads(assistant, files, self.holder.uploads_dir(), progress=cb)
        rows, picker = self.speakers.speakers_table("")
        status_md = escape_markdown(_status_line(assistant))
        return report.html(), status_md, rows, picker, (None if report.added_ids else gr.skip())


def add_tab() -> SimpleNamespace:
    """The *Add articles* tab's components (built inside ``gr.Tabs``)."""
    with gr.Tab("Add articles", id="add-tab"):
        gr.Markdown(
            f"Upload news articles as **.txt**, **.md**, **.html** or **.jsonl** (records with `id` and `text`). "
            f"Up to {MAX_UPLOAD_FILES} files, {MAX_UPLOAD_BYTES // (1024 * 1024)} MB each. "
            "They are indexed into the live index and the chat can use them at once."
        )
        upload = gr.File(
            file_count="multiple",
            file_types=list(UPLOAD_SUFFIXES),
            type="filepath",
            label="Articles",
            elem_id="wsw-upload",
        )
        add_btn = gr.Button("Add to the index", variant="primary", elem_id="wsw-add")
        add_result = gr.HTML("", elem_id="wsw-add-result", css_template=PANEL_CSS)
    return SimpleNamespace(upload=upload, add_btn=add_btn, add_result=add_result)
