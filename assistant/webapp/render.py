"""Rendering for the page: escaping (HTML, Markdown), the chat answer with its numbered sources, and the
citation cards of the sources panel and the speaker tab, each quote highlighted in its passage."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from ..models import Answer, Citation

#: Characters of article text shown on each side of a cited quote in the sources panel.
CONTEXT_CHARS = 300

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
