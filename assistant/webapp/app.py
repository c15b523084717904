"""The Gradio app (:func:`build_app`): the *Ask*, *Speakers* and *Add articles* tabs and the ``/ask`` API."""

from __future__ import annotations

import os
import time
from typing import Any

import gradio as gr

from ..errors import AssistantError
from .render import (
    LOOKING_PLACEHOLDER,
    PANEL_CSS,
    SOURCES_PLACEHOLDER,
    esc,
    escape_markdown,
    format_answer_markdown,
    render_quotes,
    render_sources,
)
from .session import AssistantHolder, Session, _article_text_fn, _citation_choices, _status_line, _stream_chunks
from .speakers import MAX_SPEAKER_ROWS, SPEAKER_COLUMNS, speaker_rows
from .uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, STAGE_LABELS, UPLOAD_SUFFIXES, add_uploads

APP_TITLE = "Who said what: news quotes assistant"
EXAMPLE_QUESTIONS = [
    "What did Kang say about China?",
    "And what about the US?",
    "Who talked about Trump and Tillerson?",
]
#: Documented API endpoint of the chat (``client.predict(question, api_name="/ask")``).
API_NAME = "ask"
MAX_QUESTION_CHARS = 1000


def build_app(assistant_or_index_dir: Any) -> gr.Blocks:
    """The Gradio app over an :class:`~assistant.Assistant` (or an index folder, opened lazily).

    Tabs: *Ask* (chat + sources panel), *Speakers* (registry and quotes), *Add articles*
    (uploads). The chat is also an API endpoint, ``/ask``: question in, ``(answer text,
    citations)`` out, with one conversation per client session.
    """
    if isinstance(assistant_or_index_dir, AssistantHolder):
        holder = assistant_or_index_dir
    elif isinstance(assistant_or_index_dir, (str, os.PathLike)):
        holder = AssistantHolder(index_dir=assistant_or_index_dir)
    else:
        holder = AssistantHolder(assistant=assistant_or_index_dir)

    def session_of(state: Session | None) -> Session:
        return state if isinstance(state, Session) else Session()

    def conversation_of(sess: Session) -> Any:
        if sess.conversation is None:
            sess.conversation = holder.get().chat()
        return sess.conversation

    # ---- chat -----------------------------------------------------------------
    def respond(question: str, state: Session | None):
        """UI handler: stream the answer into the chat and fill the sources panel."""
        sess = session_of(state)
        q = (question or "").strip()
        if not q:
            yield sess.messages, gr.skip(), gr.skip(), sess, gr.skip()
            return
        q = q[:MAX_QUESTION_CHARS]
        sess.messages = sess.messages + [
            {"role": "user", "content": escape_markdown(q)},
            {"role": "assistant", "content": "*Looking for quotes…*"},
        ]
        sess.citations = []
        yield sess.messages, LOOKING_PLACEHOLDER, gr.update(choices=[], value=None), sess, ""
        try:
            assistant = holder.get()
            answer = conversation_of(sess).ask(q)
        except AssistantError as e:
            sess.messages[-1] = {"role": "assistant", "content": "**Error:** " + escape_markdown(str(e))}
            yield sess.messages, f'<div class="wsw-error">{esc(e)}</div>', gr.update(choices=[], value=None), sess, ""
            return
        except Exception as e:  # never leave the chat hanging
            sess.messages[-1] = {
                "role": "assistant",
                "content": "**Error:** " + escape_markdown(f"{type(e).__name__}: {e}"),
            }
            yield sess.messages, f'<div class="wsw-error">{esc(e)}</div>', gr.update(choices=[], value=None), sess, ""
            return
        sess.citations = list(answer.citations)
        for part in _stream_chunks(answer.text):
            sess.messages[-1] = {"role": "assistant", "content": escape_markdown(part) + " ▌"}
            yield sess.messages, gr.skip(), gr.skip(), sess, gr.skip()
            time.sleep(0.03)
        sess.messages[-1] = {"role": "assistant", "content": format_answer_markdown(answer)}
        panel = render_sources(sess.citations, 1, _article_text_fn(assistant))
        radio = gr.update(choices=_citation_choices(sess.citations), value="1" if sess.citations else None)
        yield sess.messages, panel, radio, sess, gr.skip()

    def show_citation(choice: str | None, state: Session | None) -> str:
        """Sources panel for the citation number picked."""
        sess = session_of(state)
        if not sess.citations:
            return SOURCES_PLACEHOLDER
        try:
            n = int(choice) if choice else 1
        except ValueError:
            n = 1
        try:
            assistant = holder.get()
        except AssistantError as e:
            return f'<div class="wsw-error">{esc(e)}</div>'
        return render_sources(sess.citations, n, _article_text_fn(assistant))

    def new_conversation(state: Session | None):
        """Forget this session's conversation."""
        return [], SOURCES_PLACEHOLDER, gr.update(choices=[], value=None), Session()

    def ask(question: str, state: Session | None) -> tuple[str, list[dict], Session]:
        """Answer ``question`` in this client's conversation.

        Returns the answer text (quotes with [1], [2] markers) and the citations as
        dicts (article_id, title, source, date, start, end, text, speaker, cue, kind,
        score), in marker order.
        """
        sess = session_of(state)
        q = (question or "").strip()[:MAX_QUESTION_CHARS]
        if not q:
            return "Please ask a question.", [], sess
        answer = conversation_of(sess).ask(q)
        sess.citations = list(answer.citations)
        sess.messages = sess.messages + [
            {"role": "user", "content": escape_markdown(q)},
            {"role": "assistant", "content": format_answer_markdown(answer)},
        ]
        return answer.text, [c.to_dict() for c in answer.citations], sess

    # ---- speakers ------------------------------------------------------------
    def speakers_table(query: str):
        """Rows of the registry matching ``query``, and the speaker list for the picker."""
        try:
            assistant = holder.get()
            found = assistant.speakers(query or "")
        except AssistantError as e:
            gr.Warning(str(e))
            return gr.skip(), gr.skip()
        rows = speaker_rows(found)
        names = [s.name for s in found[:MAX_SPEAKER_ROWS]]
        return rows, gr.update(choices=names, value=None)

    def speaker_quotes(name: str | None) -> str:
        """Quote cards of the speaker picked."""
        if not name:
            return render_quotes("", [], lambda _a: None)
        try:
            assistant = holder.get()
            cites = assistant.quotes_of(name)
        except AssistantError as e:
            return f'<div class="wsw-error">{esc(e)}</div>'
        return render_quotes(name, cites, _article_text_fn(assistant))

    def pick_from_table(evt: gr.SelectData):
        """A click in the speaker table picks that row's speaker."""
        row = getattr(evt, "row_value", None)
        if row:
            return str(row[0])
        return gr.skip()

    # ---- uploads -------------------------------------------------------------
    def add_files(files: list[str] | None, progress=gr.Progress()):  # noqa: B008  (gradio injects the tracker)
        """Index uploaded files into the live index; the chat uses them from the next question."""
        if not files:
            return '<div class="wsw-empty">Choose one or more files first.</div>', *[gr.skip()] * 4
        try:
            assistant = holder.get()
        except AssistantError as e:
            return f'<div class="wsw-error">{esc(e)}</div>', *[gr.skip()] * 4

        def cb(stage: str, done: int, total: int) -> None:
            progress((done, max(total, 1)), desc=STAGE_LABELS.get(stage, stage))

        report = add_uploads(assistant, files, holder.uploads_dir(), progress=cb)
        rows, picker = speakers_table("")
        status_md = escape_markdown(_status_line(assistant))
        return report.html(), status_md, rows, picker, (None if report.added_ids else gr.skip())

    def on_load():
        """Page load: the index status and the speaker table."""
        try:
            assistant = holder.get()
        except AssistantError as e:
            return f"**Index not usable:** {escape_markdown(str(e))}", gr.skip(), gr.skip()
        rows, picker = speakers_table("")
        return escape_markdown(_status_line(assistant)), rows, picker

    # ---- layout --------------------------------------------------------------
    # gradio's own copies of uploads (in its temp folder) are deleted after an hour
    with gr.Blocks(title=APP_TITLE, delete_cache=(3600, 3600)) as demo:
        state = gr.State(None)
        gr.Markdown(f"## {APP_TITLE}\nAnswers quote the articles verbatim and cite them; click a number to see the source.")
        status = gr.Markdown("Loading the index…", elem_id="wsw-status")
        with gr.Tabs():
            with gr.Tab("Ask", id="ask-tab"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=420):
                        chatbot = gr.Chatbot(
                            label="Conversation",
                            elem_id="wsw-chat",
                            height=460,
                            sanitize_html=True,
                            render_markdown=True,
                            latex_delimiters=[],
                            allow_tags=False,
                            feedback_options=None,
                            buttons=["copy"],
                            placeholder="Ask who said what: try one of the examples below.",
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                show_label=False,
                                placeholder="e.g. What did Kang say about China?",
                                scale=5,
                                max_lines=3,
                                elem_id="wsw-question",
                                autofocus=True,
                            )
                            ask_btn = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="wsw-ask")
                        gr.Markdown("**Try an example** (the second one is a follow-up to the first):")
                        with gr.Row():
                            example_btns = [
                                gr.Button(q, size="sm", variant="secondary", elem_classes=["wsw-example"])
                                for q in EXAMPLE_QUESTIONS
                            ]
                        clear_btn = gr.Button("New conversation", size="sm", variant="secondary")
                    with gr.Column(scale=2, min_width=320):
                        cite_pick = gr.Radio(
                            choices=[], label="Sources: pick a citation", elem_id="wsw-cite-pick", interactive=True
                        )
                        sources = gr.HTML(SOURCES_PLACEHOLDER, elem_id="wsw-sources", css_template=PANEL_CSS)
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

        # hidden components of the API endpoint /ask
        api_question = gr.Textbox(visible=False, label="question")
        api_answer = gr.Textbox(visible=False, label="answer")
        api_citations = gr.JSON(visible=False, label="citations")
        api_btn = gr.Button(visible=False)

        chat_outputs = [chatbot, sources, cite_pick, state, question]
        common = {"concurrency_id": "answer", "concurrency_limit": 1}
        ui = {"api_visibility": "private", "show_progress": "minimal", **common}
        ask_btn.click(respond, [question, state], chat_outputs, **ui)
        question.submit(respond, [question, state], chat_outputs, **ui)
        for btn, q in zip(example_btns, EXAMPLE_QUESTIONS, strict=True):
            btn.click(lambda q=q: q, None, question, api_visibility="private", queue=False).then(
                respond, [question, state], chat_outputs, **ui
            )
        cite_pick.change(show_citation, [cite_pick, state], sources, api_visibility="private")
        clear_btn.click(new_conversation, [state], [chatbot, sources, cite_pick, state], api_visibility="private")
        chatbot.clear(new_conversation, [state], [chatbot, sources, cite_pick, state], api_visibility="private")
        api_btn.click(ask, [api_question, state], [api_answer, api_citations, state], api_name=API_NAME, **common)

        speaker_search.change(speakers_table, speaker_search, [speaker_table, speaker_pick], api_visibility="private")
        speaker_table.select(pick_from_table, None, speaker_pick, api_visibility="private")
        speaker_pick.change(speaker_quotes, speaker_pick, speaker_html, api_visibility="private")
        add_btn.click(
            add_files, upload, [add_result, status, speaker_table, speaker_pick, upload], api_visibility="private",
            concurrency_id="add", concurrency_limit=1,
        )
        demo.load(on_load, None, [status, speaker_table, speaker_pick], api_visibility="private")
    if not isinstance(assistant_or_index_dir, AssistantHolder):
        holder.start()
    demo.wsw_holder = holder  # type: ignore[attr-defined]  # for tests and launch()
    return demo
