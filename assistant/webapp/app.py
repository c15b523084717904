"""The Gradio app (:func:`build_app`): the *Ask*, *Speakers* and *Add articles* tabs and the ``/ask`` API."""

from __future__ import annotations

import os
from typing import Any

import gradio as gr

from ..errors import AssistantError
from .chat import ChatHandlers, ask_tab, wire_chat
from .render import escape_markdown
from .session import AssistantHolder, _status_line
from .speakers import SpeakerHandlers, speakers_tab, wire_speakers
from .upload_tab import UploadHandlers, add_tab

APP_TITLE = "Who said what: news quotes assistant"


def _holder_of(assistant_or_index_dir: Any) -> AssistantHolder:
    if isinstance(assistant_or_index_dir, AssistantHolder):
        return assistant_or_index_dir
    if isinstance(assistant_or_index_dir, (str, os.PathLike)):
        return AssistantHolder(index_dir=assistant_or_index_dir)
    return AssistantHolder(assistant=assistant_or_index_dir)


def build_app(assistant_or_index_dir: Any) -> gr.Blocks:
    """The Gradio app over an :class:`~assistant.Assistant` (or an index folder, opened lazily).

    Tabs: *Ask* (chat + sources panel), *Speakers* (registry and quotes), *Add articles*
    (uploads). The chat is also an API endpoint, ``/ask``: question in, ``(answer text,
    citations)`` out, with one conversation per client session.
    """
    holder = _holder_of(assistant_or_index_dir)
    chat = ChatHandlers(holder)
    speakers = SpeakerHandlers(holder)
    uploads = UploadHandlers(holder, speakers)

    def on_load():
        """Page load: the index status and the speaker table."""
        try:
            assistant = holder.get()
        except AssistantError as e:
            return f"**Index not usable:** {escape_markdown(str(e))}", gr.skip(), gr.skip()
        rows, picker = speakers.speakers_table("")
        return escape_markdown(_status_line(assistant)), rows, picker

    # gradio's own copies of uploads (in its temp folder) are deleted after an hour
    with gr.Blocks(title=APP_TITLE, delete_cache=(3600, 3600)) as demo:
        state = gr.State(None)
        gr.Markdown(f"## {APP_TITLE}\nAnswers quote the articles verbatim and cite them; click a number to see the source.")
        status = gr.Markdown("Loading the index…", elem_id="wsw-status")
        with gr.Tabs():
            ask = ask_tab()
            spk = speakers_tab()
            add = add_tab()
        wire_chat(chat, ask, state)
        wire_speakers(speakers, spk)
        add.add_btn.click(
            uploads.add_files, add.upload, [add.add_result, status, spk.speaker_table, spk.speaker_pick, add.upload],
            api_visibility="private", concurrency_id="add", concurrency_limit=1,
        )
        demo.load(on_load, None, [status, spk.speaker_table, spk.speaker_pick], api_visibility="private")
    if not isinstance(assistant_or_index_dir, AssistantHolder):
        holder.start()
    demo.wsw_holder = holder  # type: ignore[attr-defined]  # for tests and launch()
    return demo
