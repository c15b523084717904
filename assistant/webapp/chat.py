"""The *Ask* tab: the chat with its sources panel, and the ``/ask`` API endpoint (one conversation per session)."""

from __future__ import annotations

import time
from types import SimpleNamespace
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
    render_sources,
)
from .session import AssistantHolder, Session, _article_text_fn, _citation_choices, _stream_chunks

EXAMPLE_QUESTIONS = [
    "What did Kang say about China?",
    "And what about the US?",
    "Who talked about Trump and Tillerson?",
]
#: Documented API endpoint of the chat (``client.predict(question, api_name="/ask")``).
API_NAME = "ask"
MAX_QUESTION_CHARS = 1000


class ChatHandlers:
    """The chat's event handlers over ``holder``; each browser session keeps its conversation in a :class:`Session`."""

    def __init__(self, holder: AssistantHolder):
        self.holder = holder

    @staticmethod
    def session_of(state: Session | None) -> Session:
        return state if isinstance(state, Session) else Session()

    def conversation_of(self, sess: Session) -> Any:
        if sess.conversation is None:
            sess.conversation = self.holder.get().chat()
        return sess.conversation

    def respond(self, question: str, state: Session | None):
        """UI handler: stream the answer into the chat and fill the sources panel."""
        sess = self.session_of(state)
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
            assistant = self.holder.get()
            answer = self.conversation_of(sess).ask(q)
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

    def show_citation(self, choice: str | None, state: Session | None) -> str:
        """Sources panel for the citation number picked."""
        sess = self.session_of(state)
        if not sess.citations:
            return SOURCES_PLACEHOLDER
        try:
            n = int(choice) if choice else 1
        except ValueError:
            n = 1
        try:
            assistant = self.holder.get()
        except AssistantError as e:
            return f'<div class="wsw-error">{esc(e)}</div>'
        return render_sources(sess.citations, n, _article_text_fn(assistant))

    def new_conversation(self, state: Session | None):
        """Forget this session's conversation."""
        return [], SOURCES_PLACEHOLDER, gr.update(choices=[], value=None), Session()

    def ask(self, question: str, state: Session | None) -> tuple[str, list[dict], Session]:
        """Answer ``question`` in this client's conversation.

        Returns the answer text (quotes with [1], [2] markers) and the citations as
        dicts (article_id, title, source, date, start, end, text, speaker, cue, kind,
        score), in marker order.
        """
        sess = self.session_of(state)
        q = (question or "").strip()[:MAX_QUESTION_CHARS]
        if not q:
            return "Please ask a question.", [], sess
        answer = self.conversation_of(sess).ask(q)
        sess.citations = list(answer.citations)
        sess.messages = sess.messages + [
            {"role": "user", "content": escape_markdown(q)},
            {"role": "assistant", "content": format_answer_markdown(answer)},
        ]
        return answer.text, [c.to_dict() for c in answer.citations], sess


def ask_tab() -> SimpleNamespace:
    """The *Ask* tab's components (built inside ``gr.Tabs``)."""
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
    return SimpleNamespace(chatbot=chatbot, question=question, ask_btn=ask_btn, example_btns=example_btns,
                           clear_btn=clear_btn, cite_pick=cite_pick, sources=sources)


def wire_chat(chat: ChatHandlers, tab: SimpleNamespace, state: gr.State) -> None:
    """Connect the *Ask* tab to ``chat`` and add the ``/ask`` API endpoint (built inside ``gr.Blocks``)."""
    # hidden components of the API endpoint /ask
    api_question = gr.Textbox(visible=False, label="question")
    api_answer = gr.Textbox(visible=False, label="answer")
    api_citations = gr.JSON(visible=False, label="citations")
    api_btn = gr.Button(visible=False)

    chat_outputs = [tab.chatbot, tab.sources, tab.cite_pick, state, tab.question]
    common = {"concurrency_id": "answer", "concurrency_limit": 1}
    ui = {"api_visibility": "private", "show_progress": "minimal", **common}
    tab.ask_btn.click(chat.respond, [tab.question, state], chat_outputs, **ui)
    tab.question.submit(chat.respond, [tab.question, state], chat_outputs, **ui)
    for btn, q in zip(tab.example_btns, EXAMPLE_QUESTIONS, strict=True):
        btn.click(lambda q=q: q, None, tab.question, api_visibility="private", queue=False).then(
            chat.respond, [tab.question, state], chat_outputs, **ui
        )
    tab.cite_pick.change(chat.show_citation, [tab.cite_pick, state], tab.sources, api_visibility="private")
    tab.clear_btn.click(chat.new_conversation, [state], [tab.chatbot, tab.sources, tab.cite_pick, state], api_visibility="private")
    tab.chatbot.clear(chat.new_conversation, [state], [tab.chatbot, tab.sources, tab.cite_pick, state], api_visibility="private")
    api_btn.click(chat.ask, [api_question, state], [api_answer, api_citations, state], api_name=API_NAME, **common)
