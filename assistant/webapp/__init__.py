"""The web app (Gradio): chat with cited quotes, a sources panel, the speaker registry, uploads.

Start it with ``python app.py`` or ``assistant serve``; it binds 127.0.0.1:7860 by default.
:func:`build_app` returns the :class:`gradio.Blocks`; :func:`launch` prepares the index
(indexing the bundled sample article on a first run, with progress in the terminal) and
serves the page, loading the index in the background so a later start is ready at once.

Programmatic use, one conversation per ``Client`` (follow-ups keep their context)::

    from gradio_client import Client
    client = Client("http://127.0.0.1:7860/")
    text, citations = client.predict("What did Kang say about China?", api_name="/ask")

Safety: every piece of article text, quote, title or speaker name put into the page is
HTML-escaped here (and Markdown-escaped in the chat); uploads are copied only into
``<index>/uploads/`` under generated names.

Gradio is imported only by this package, so ``import assistant`` stays fast. Modules:
:mod:`.app` (:func:`build_app`), :mod:`.serve` (:func:`launch`), the tabs :mod:`.chat`
(and the ``/ask`` API), :mod:`.speakers` and :mod:`.upload_tab`, :mod:`.render` (escaping,
answer and citation rendering), :mod:`.uploads` (checking and indexing uploads) and
:mod:`.session` (the assistant loaded in the background, per-browser sessions).
"""

from __future__ import annotations

import os

# Before gradio is imported (by the modules below): no usage analytics, no Hugging Face Hub calls.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from .app import APP_TITLE, build_app  # noqa: E402
from .chat import API_NAME, EXAMPLE_QUESTIONS, MAX_QUESTION_CHARS, ChatHandlers  # noqa: E402
from .render import (  # noqa: E402
    CONTEXT_CHARS,
    LOOKING_PLACEHOLDER,
    PANEL_CSS,
    SOURCES_PLACEHOLDER,
    esc,
    escape_markdown,
    format_answer_markdown,
    render_citation,
    render_quotes,
    render_sources,
)
from .serve import has_index, launch, prepare_index  # noqa: E402
from .session import AssistantHolder, Session, _article_text_fn  # noqa: E402
from .speakers import MAX_SPEAKER_ROWS, SPEAKER_COLUMNS, SpeakerHandlers, speaker_rows  # noqa: E402
from .upload_tab import UploadHandlers  # noqa: E402
from .uploads import (  # noqa: E402
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_FILES,
    STAGE_LABELS,
    UPLOAD_SUFFIXES,
    UPLOADS_DIRNAME,
    AddReport,
    StagedUpload,
    UploadCheck,
    add_uploads,
    load_uploads,
    safe_display_name,
    stage_uploads,
)

__all__ = [
    "API_NAME", "APP_TITLE", "CONTEXT_CHARS", "EXAMPLE_QUESTIONS", "LOOKING_PLACEHOLDER", "MAX_QUESTION_CHARS",
    "MAX_SPEAKER_ROWS", "MAX_UPLOAD_BYTES", "MAX_UPLOAD_FILES", "PANEL_CSS", "SOURCES_PLACEHOLDER", "SPEAKER_COLUMNS",
    "STAGE_LABELS", "UPLOADS_DIRNAME", "UPLOAD_SUFFIXES", "AddReport", "AssistantHolder", "Session", "StagedUpload",
    "UploadCheck", "ChatHandlers", "SpeakerHandlers", "UploadHandlers", "_article_text_fn", "add_uploads", "build_app", "esc", "escape_markdown", "format_answer_markdown",
    "has_index", "launch", "load_uploads", "prepare_index", "render_citation", "render_quotes", "render_sources",
    "safe_display_name", "speaker_rows", "stage_uploads",
]
