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

Gradio is imported only by this module, so ``import assistant`` stays fast.
"""

from __future__ import annotations

import os

# Before gradio is imported: no usage analytics, no Hugging Face Hub calls.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import html  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import unicodedata  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gradio as gr  # noqa: E402

from .errors import AssistantError, IngestError  # noqa: E402
from .models import Answer, Article, Citation, Speaker  # noqa: E402

APP_TITLE = "Who said what: news quotes assistant"
EXAMPLE_QUESTIONS = [
    "What did Kang say about China?",
    "And what about the US?",
    "Who talked about Trump and Tillerson?",
]
#: Documented API endpoint of the chat (``client.predict(question, api_name="/ask")``).
API_NAME = "ask"
#: Characters of article text shown on each side of a cited quote in the sources panel.
CONTEXT_CHARS = 300
#: Upload limits: bytes per file and files per upload.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_FILES = 20
UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
UPLOADS_DIRNAME = "uploads"
#: Speaker rows shown in the table (the search box narrows the rest down).
MAX_SPEAKER_ROWS = 500
MAX_QUESTION_CHARS = 1000

# --------------------------------------------------------------------------------------
# Escaping: everything taken from articles goes through these before reaching the page.
# --------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$<>])")


def esc(text: object) -> str:
    """HTML-escape ``text`` for the page, also neutralising template syntax (``{ } $ ` ``).

    ``gr.HTML`` fills a JS/Handlebars template; entities keep article text from ever
    being read as template code.
    """
    s = html.escape("" if text is None else str(text), quote=True)
    return s.replace("{", "&#123;").replace("}", "&#125;").replace("$", "&#36;").replace("`", "&#96;")


def escape_markdown(text: str) -> str:
    """Make ``text`` display literally in a Markdown+HTML renderer (the chat).

    HTML-escapes it (so ``<script>`` shows as text) and backslash-escapes Markdown
    punctuation (so ``*`` or ``[x](y)`` in a quote do not format or link).
    """
    s = "" if text is None else str(text)
    if "\n" in s:  # line by line, keeping the answer's own "- " bullets as a list
        return "\n".join(
            ("- " + escape_markdown(line[2:])) if line.startswith("- ") else escape_markdown(line)
            for line in s.split("\n")
        )
    s = _MD_SPECIAL.sub(r"\\\1", s)
    # after the backslashes: html.escape turns < > & " ' into entities, which Markdown keeps
    return html.escape(s, quote=True).replace("\\&lt;", "&lt;").replace("\\&gt;", "&gt;")


_MARKER = re.compile(r"\\\[(\d{1,3})\\\]")


def format_answer_markdown(answer: Answer) -> str:
    """The chat message for ``answer``: escaped text with bold [n] markers, then a numbered source list."""
    body = escape_markdown(answer.text.strip() or "No answer.")
    body = _MARKER.sub(r"**\\[\1\\]**", body)
    lines = [body]
    if answer.citations:
        lines.append("")
        lines.append("**Sources**")
        lines.append("")
        for i, c in enumerate(answer.citations, start=1):
            lines.append(f"- **\\[{i}\\]** {escape_markdown(_citation_label(c))}")
    return "\n".join(lines)


def _citation_label(c: Citation) -> str:
    who = c.speaker or "unattributed"
    meta = ", ".join(x for x in (c.source, c.date) if x)
    title = c.title or c.article_id
    return f"{who} in “{title}”" + (f" ({meta})" if meta else "")


# --------------------------------------------------------------------------------------
# HTML rendering of sources, speakers and quotes
# --------------------------------------------------------------------------------------

LOOKING_PLACEHOLDER = '<div class="wsw-empty">Looking for quotes…</div>'
SOURCES_PLACEHOLDER = (
    '<div class="wsw-empty">Ask a question: the sources of the answer appear here, '
    "each quote highlighted in its article.</div>"
)

PANEL_CSS = """
.wsw-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin: 0 0 10px 0; background: #fff; }
.wsw-head { font-weight: 600; font-size: 1.02em; margin-bottom: 2px; }
.wsw-num { display: inline-block; min-width: 2.2em; color: #0b5cad; }
.wsw-meta { color: #57606a; font-size: 0.88em; margin-bottom: 6px; }
.wsw-who { font-size: 0.92em; margin-bottom: 6px; }
.wsw-kind { display: inline-block; padding: 0 6px; border-radius: 10px; background: #eef2f7; color: #384452; font-size: 0.85em; }
.wsw-context { white-space: pre-wrap; line-height: 1.5; margin: 0; padding: 8px 10px; border-left: 3px solid #f0c000; background: #fafbfc; color: #24292f; font-size: 0.95em; }
.wsw-context mark { background: #ffe58a; color: #000; padding: 0 1px; border-radius: 2px; }
.wsw-empty { color: #57606a; font-style: italic; padding: 8px; }
.wsw-error { color: #a40e26; padding: 8px; }
.wsw-ok { color: #116329; }
.wsw-list { margin: 4px 0 0 0; padding-left: 1.2em; }
.wsw-all { list-style: none; margin: 2px 0 0 0; padding: 0; font-size: 0.9em; }
.wsw-all li { padding: 1px 0; }
.wsw-all li.wsw-current { font-weight: 600; }
"""


def _window(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[str, str, str, bool, bool]:
    """Split ``text`` into (before, quote, after) around [start, end), about ``context`` chars each side."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    lo = max(0, start - context)
    hi = min(len(text), end + context)
    if lo > 0:  # begin at a word boundary
        sp = text.find(" ", lo, start)
        lo = sp + 1 if sp != -1 else lo
    if hi < len(text):
        sp = text.rfind(" ", end, hi)
        hi = sp if sp != -1 else hi
    return text[lo:start], text[start:end], text[end:hi], lo > 0, hi < len(text)


def render_citation(number: int, c: Citation, article_text: str | None) -> str:
    """One citation card: title, source and date, speaker and cue, and the quote highlighted in its passage."""
    meta = " · ".join(esc(x) for x in (c.source, c.date, c.article_id) if x)
    if article_text is not None and article_text[c.start : c.end] == c.text:
        before, quote, after, cut_lo, cut_hi = _window(article_text, c.start, c.end)
    else:  # article unavailable or offsets stale: show the quote alone
        before, quote, after, cut_lo, cut_hi = "", c.text, "", False, False
    context = (
        ("…" if cut_lo else "") + esc(before) + f"<mark>{esc(quote)}</mark>" + esc(after) + ("…" if cut_hi else "")
    )
    kind = {"direct": "direct quote", "indirect": "reported speech", "mixed": "partly quoted", "passage": "passage"}
    who = (
        f"Speaker: <b>{esc(c.speaker)}</b>" if c.speaker else "Speaker: <i>not attributed</i>"
    ) + (f" · cue: <i>{esc(c.cue)}</i>" if c.cue else "")
    return (
        f'<div class="wsw-card" data-citation="{number}">'
        f'<div class="wsw-head"><span class="wsw-num">[{number}]</span>{esc(c.title or c.article_id)}</div>'
        f'<div class="wsw-meta">{meta}</div>'
        f'<div class="wsw-who">{who} <span class="wsw-kind">{esc(kind.get(c.kind, c.kind))}</span></div>'
        f'<blockquote class="wsw-context">{context}</blockquote>'
        "</div>"
    )


def render_sources(
    citations: Sequence[Citation], selected: int | None, article_text: Callable[[str], str | None]
) -> str:
    """The sources panel: the ``selected`` citation (1-based) in full; an empty-state note without citations."""
    if not citations:
        return '<div class="wsw-empty">No quote was cited for this answer.</div>'
    n = selected if selected and 1 <= selected <= len(citations) else 1
    c = citations[n - 1]
    card = render_citation(n, c, article_text(c.article_id))
    if len(citations) == 1:
        return card
    items = []
    for i, x in enumerate(citations, start=1):
        meta = " · ".join(esc(v) for v in (x.source, x.date) if v)
        current = ' class="wsw-current"' if i == n else ""
        items.append(
            f'<li{current}><span class="wsw-num">[{i}]</span>'
            f"{esc(x.speaker or 'unattributed')}: {esc(x.title or x.article_id)}"
            + (f' <span class="wsw-meta">{meta}</span>' if meta else "")
            + "</li>"
        )
    return card + '<div class="wsw-meta">All sources of this answer:</div><ul class="wsw-all">' + "".join(items) + "</ul>"


def render_quotes(speaker: str, citations: Sequence[Citation], article_text: Callable[[str], str | None]) -> str:
    """Every quote of ``speaker`` as citation cards."""
    if not speaker:
        return '<div class="wsw-empty">Pick a speaker in the table (or the list) to read their quotes.</div>'
    if not citations:
        return f'<div class="wsw-empty">No quotes of {esc(speaker)} in the index.</div>'
    head = f'<div class="wsw-head">{len(citations)} quote{"s" if len(citations) != 1 else ""} of {esc(speaker)}</div>'
    cache: dict[str, str | None] = {}

    def text_of(aid: str) -> str | None:
        if aid not in cache:
            cache[aid] = article_text(aid)
        return cache[aid]

    return head + "".join(render_citation(i, c, text_of(c.article_id)) for i, c in enumerate(citations, start=1))


SPEAKER_COLUMNS = ["Speaker", "Type", "Titles", "Quotes", "Articles"]


def speaker_rows(speakers: Sequence[Speaker], limit: int = MAX_SPEAKER_ROWS) -> list[list[Any]]:
    """Table rows for the speaker registry (plain text cells; the table shows them as text)."""
    rows = []
    for s in speakers[:limit]:
        rows.append([s.name, s.type, ", ".join(s.titles), int(s.n_quotes), len(s.articles)])
    return rows


# --------------------------------------------------------------------------------------
# Uploads
# --------------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_display_name(name: str) -> str:
    """A harmless version of an uploaded file's name: last path part, plain characters, no leading dots.

    Used only for display and as the article id; never as a path to write to.
    """
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = unicodedata.normalize("NFKC", base)
    base = _UNSAFE.sub("_", base).strip("._-")
    return base[:120] or "upload"


@dataclass
class StagedUpload:
    """An accepted upload: its sanitised display name and where it was copied (a generated name)."""

    display_name: str
    path: Path
    suffix: str


@dataclass
class UploadCheck:
    """Result of staging a batch of uploads: the accepted files and a message per refused one."""

    staged: list[StagedUpload] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def stage_uploads(
    files: Sequence[str | os.PathLike | tuple[str | os.PathLike, str]],
    uploads_dir: Path,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_files: int = MAX_UPLOAD_FILES,
) -> UploadCheck:
    """Check uploads against the limits and copy the good ones to ``uploads_dir/<uuid>.<ext>``.

    ``files`` are temporary paths (the display name is the path's last part) or
    ``(path, original_name)`` pairs. The original name never chooses where
    anything is written.
    """
    out = UploadCheck()
    items: list[tuple[Path, str]] = []
    for f in files or []:
        if isinstance(f, tuple):
            items.append((Path(f[0]), f[1]))
        else:
            items.append((Path(f), Path(f).name))
    if len(items) > max_files:
        out.refused.append(
            f"{len(items)} files uploaded at once; the limit is {max_files}. Upload them in smaller batches."
        )
        return out
    uploads_dir.mkdir(parents=True, exist_ok=True)
    for src, original in items:
        name = safe_display_name(original)
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            out.refused.append(f"{name}: unsupported file type '{suffix or '(none)'}'; use {', '.join(UPLOAD_SUFFIXES)}")
            continue
        try:
            size = src.stat().st_size
        except OSError as e:
            out.refused.append(f"{name}: cannot read the upload ({e.strerror or e})")
            continue
        if size > max_bytes:
            out.refused.append(
                f"{name}: file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit per file; not added"
            )
            continue
        if size == 0:
            out.refused.append(f"{name}: empty file; not added")
            continue
        dest = uploads_dir / f"{uuid.uuid4().hex}{suffix}"
        shutil.copyfile(src, dest)
        out.staged.append(StagedUpload(display_name=name, path=dest, suffix=suffix))
    return out


def load_uploads(
    staged: Sequence[StagedUpload], owners: dict[str, Path] | None = None
) -> tuple[list[Article], list[str]]:
    """Read staged uploads into articles (file articles take the sanitised original name as id).

    Returns the articles and one message per problem, naming the original file;
    ``owners``, when given, is filled with article id -> the stored copy it came from.
    """
    from .ingest import load_file

    articles: list[Article] = []
    problems: list[str] = []
    for up in staged:
        result = load_file(up.path)
        for p in result.problems:
            problems.append(_problem_line(p, up.display_name))
        for art in result.articles:
            if up.suffix != ".jsonl":
                art.id = Path(up.display_name).stem or art.id
            art.origin = up.display_name + (art.origin[len(str(up.path)) :] if art.origin.startswith(str(up.path)) else "")
            articles.append(art)
            if owners is not None:
                owners.setdefault(art.id, up.path)
    return articles, problems


def _problem_line(p: IngestError | Exception, display_name: str | None = None) -> str:
    if isinstance(p, IngestError):
        where = display_name or Path(p.path).name
        return f"{where}{':' + str(p.line) if p.line is not None else ''}: {p.problem}"
    return str(p)


STAGE_LABELS = {
    "upload": "reading files",
    "load": "loading",
    "parse": "finding quotes",
    "embed": "embedding",
    "write": "writing the index",
}


@dataclass
class AddReport:
    """What an upload did: lines to show as done (``ok``) and one line per refused file or problem (``bad``)."""

    ok: list[str] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    added_ids: list[str] = field(default_factory=list)
    stored: list[Path] = field(default_factory=list)

    def html(self) -> str:
        """The report as escaped HTML for the page."""
        parts = []
        if self.ok:
            first, *rest = self.ok
            parts.append(f'<div class="wsw-ok"><b>{esc(first)}</b></div>')
            parts.append("".join(f'<div class="wsw-meta">{esc(x)}</div>' for x in rest))
        if self.bad:
            parts.append(
                '<div class="wsw-error">Not added:<ul class="wsw-list">'
                + "".join(f"<li>{esc(x)}</li>" for x in self.bad)
                + "</ul></div>"
            )
        return "".join(parts) or '<div class="wsw-empty">Nothing to add.</div>'


def add_uploads(
    assistant: Any,
    files: Sequence[str | os.PathLike | tuple[str | os.PathLike, str]],
    uploads_dir: Path,
    progress: Callable[[str, int, int], None] | None = None,
) -> AddReport:
    """Check, copy (to ``uploads_dir`` under generated names) and index uploaded files into ``assistant``.

    The assistant switches to the new index version inside ``add``, so conversations
    see the new articles from their next question.
    """
    report = AddReport()
    check = stage_uploads(files, uploads_dir)
    report.bad.extend(check.refused)
    report.stored = [up.path for up in check.staged]
    if not check.staged:
        return report
    if progress:
        progress("upload", 0, len(check.staged))
    owners: dict[str, Path] = {}
    articles, problems = load_uploads(check.staged, owners)
    report.bad.extend(problems)
    if not articles:
        _discard(report)
        return report
    try:
        summary = assistant.add(articles, progress=progress)
    except AssistantError as e:
        report.bad.append(str(e))
        _discard(report)
        return report
    report.bad.extend(_problem_line(p) for p in summary.problems)
    if summary.added_articles:
        report.added_ids = sorted(set(summary.added_ids))
        kept = {owners[i] for i in summary.added_ids if i in owners}
        for path in report.stored:  # copies whose articles were all duplicates add nothing: remove them
            if path not in kept:
                path.unlink(missing_ok=True)
        report.stored = [p for p in report.stored if p in kept]
        report.ok.append(f"Added: {', '.join(report.added_ids)}. Ask about them in the chat now.")
    else:
        _discard(report)
        if summary.duplicates:
            report.ok.append("These articles were already in the index.")
    report.ok.append(summary.line())
    return report


def _discard(report: AddReport) -> None:
    """Remove the copies of uploads that added nothing to the index."""
    for path in report.stored:
        path.unlink(missing_ok=True)
    report.stored = []


# --------------------------------------------------------------------------------------
# The assistant, loaded in the background
# --------------------------------------------------------------------------------------


class AssistantHolder:
    """Holds the :class:`~assistant.Assistant`, loading it lazily (in a thread) from an index folder."""

    def __init__(self, assistant: Any = None, index_dir: str | os.PathLike | None = None):
        self._assistant = assistant
        self.index_dir = Path(index_dir) if index_dir is not None else Path(getattr(getattr(assistant, "index", None), "dir", "index"))
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._started = False
        self._lock = threading.Lock()
        if assistant is not None:
            self._ready.set()

    def start(self) -> None:
        """Begin loading in a background thread (idempotent)."""
        with self._lock:
            if self._started or self._ready.is_set():
                return
            self._started = True
        threading.Thread(target=self._load, name="assistant-load", daemon=True).start()

    def _load(self) -> None:
        try:
            from .api import Assistant

            self._assistant = Assistant.load(self.index_dir)
            # load the embedding model now, not at the first question (it is most of the start-up time)
            self._assistant.index.encoder.warm_up()
        except BaseException as e:  # surfaced to the page by get()
            self._error = e
        finally:
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._error is None

    def get(self, timeout: float | None = 600) -> Any:
        """The loaded assistant; waits for the load. Raises :class:`AssistantError` if loading failed."""
        self.start()
        if not self._ready.wait(timeout):
            raise AssistantError("The index is still loading; try again in a moment")
        if self._error is not None:
            if isinstance(self._error, AssistantError):
                raise self._error
            raise AssistantError(f"Could not open the index at {self.index_dir}: {self._error}") from self._error
        return self._assistant

    def uploads_dir(self) -> Path:
        """Where uploaded files are copied: ``<index>/uploads``."""
        return self.index_dir / UPLOADS_DIRNAME


@dataclass
class Session:
    """Per-browser-session state: the conversation, the chat as shown, the last answer's citations."""

    conversation: Any = None
    messages: list[dict] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


def _article_text_fn(assistant: Any) -> Callable[[str], str | None]:
    def get(aid: str) -> str | None:
        try:
            return assistant.article(aid).text
        except Exception:
            return None

    return get


def _status_line(assistant: Any) -> str:
    try:
        c = assistant.counts()
    except Exception:
        return ""
    return "Index: " + " · ".join(
        _plural(c.get(k, 0), k[:-1]) for k in ("articles", "quotes", "speakers")
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _stream_chunks(text: str, step: int = 6) -> Iterator[str]:
    """Growing prefixes of ``text``, a few words at a time (for a streamed answer)."""
    words = re.split(r"(\s+)", text)
    for i in range(step * 2, len(words), step * 2):
        yield "".join(words[:i])
    yield text


def _citation_choices(citations: Sequence[Citation]) -> list[tuple[str, str]]:
    return [(f"[{i}]", str(i)) for i in range(1, len(citations) + 1)]


# --------------------------------------------------------------------------------------
# The app
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# Launching
# --------------------------------------------------------------------------------------


def has_index(index_dir: Path) -> bool:
    """Whether ``index_dir`` holds a built index (a ``CURRENT`` pointer)."""
    return (Path(index_dir) / "CURRENT").is_file()


def _print_progress(stage: str, done: int, total: int) -> None:
    label = {"load": "reading articles", "parse": "finding quotes", "embed": "embedding", "write": "writing index"}
    print(f"  {label.get(stage, stage)}: {done}/{total}", file=sys.stderr, flush=True)


def prepare_index(index_dir: Path) -> None:
    """On a first run (no index yet), index the bundled sample article, printing progress."""
    if has_index(index_dir):
        return
    from .api import sample_articles
    from .indexing import build_index

    print(f"No index at {index_dir}/ yet: indexing the bundled sample article (first run only)…", file=sys.stderr)
    t0 = time.time()
    summary = build_index(sample_articles(), index_dir, progress=_print_progress)
    print(f"{summary.line()} ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)


def launch(
    index_dir: Path = Path("index"),
    host: str = "127.0.0.1",
    port: int = 7860,
    *,
    block: bool = True,
) -> gr.Blocks:
    """Serve the app on ``host:port`` (127.0.0.1 by default) over the index at ``index_dir``.

    A first run indexes the bundled sample article before serving; later runs serve at
    once and open the index in the background. ``block=False`` returns the running app.
    """
    index_dir = Path(index_dir)
    try:
        prepare_index(index_dir)
    except AssistantError as e:
        print(f"error: {e}", file=sys.stderr)
        raise SystemExit(1) from None
    holder = AssistantHolder(index_dir=index_dir)
    demo = build_app(holder)
    demo.queue(default_concurrency_limit=1)
    print(f"Serving {APP_TITLE} on http://{host}:{port}/ (index: {index_dir}/)", file=sys.stderr, flush=True)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        show_error=True,
        ssr_mode=False,
        max_file_size=f"{(MAX_UPLOAD_BYTES * 5) // (1024 * 1024)}mb",
        prevent_thread_lock=True,
        quiet=False,
        enable_monitoring=False,
        theme=gr.themes.Default(),
    )
    # open the index once the page is being served (importing the models takes a few seconds)
    holder.start()
    if block:
        try:
            demo.block_thread()
        except KeyboardInterrupt:
            pass
    return demo
