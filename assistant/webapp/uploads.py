"""Uploads: checking files against the limits, copying them under generated names, and indexing them
into the live index (:func:`add_uploads`)."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AssistantError, IngestError
from ..models import Article
from .render import esc

#: Upload limits: bytes per file and files per upload.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_FILES = 20
UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
UPLOADS_DIRNAME = "uploads"

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
    from ..ingest import load_file

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
