"""Per-corpus indexes cached between evaluation runs, keyed by corpus content, model, schema and build code."""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .gold import CorpusSpec

Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


#: Modules and subpackages used only at question time (or not by indexing at all): changing them keeps
#: cached indexes valid.
#: ``settings`` is among them: its build fields are compared with the saved ones when a cached index opens.
QUERY_TIME_MODULES = frozenset({
    "__init__", "answer", "api", "attribution_eval", "cli", "compose", "converse", "describe", "evaluation",
    "evidence", "fuse", "metrics", "ranking", "retrieve", "settings", "speaker_lookup", "webapp",
})


#: The package folder (``assistant/``) whose build-time source :func:`pipeline_fingerprint` hashes.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def source_fingerprint(root: Path) -> str:
    """SHA-256 (hex) of the ``*.py`` files under ``root`` (relative path and content), leaving out
    every file whose top-level part (a module, or a subpackage folder) is in :data:`QUERY_TIME_MODULES`.

    Only the top level counts: ``evaluation/run.py`` is skipped with the ``evaluation`` package, while
    a subpackage's own ``__init__.py`` or ``settings.py`` (``attribution/settings.py``) is build code.
    """
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root)
        if rel.parts[0].removesuffix(".py") in QUERY_TIME_MODULES:
            continue
        h.update(str(rel).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """SHA-256 (hex) of the package's build-time source (every ``assistant/**/*.py`` outside
    :data:`QUERY_TIME_MODULES`, see :func:`source_fingerprint`): the quote extractor, speaker
    registry, cleaning, chunking...

    Part of the cache key, so an index cached before a change to extraction is not
    reused to score the changed code (the schema version alone does not move then).
    Computed once per process: it stands for the code this process runs, even if
    the files are edited meanwhile.
    """
    return source_fingerprint(PACKAGE_ROOT)


def corpus_key(files: Iterable[Path], model: str, schema_version: int, code: str = "") -> str:
    """SHA-256 (hex) of the corpus files' content, the model name, the index schema version
    and ``code`` (the :func:`pipeline_fingerprint`, "" to leave it out)."""
    h = hashlib.sha256()
    for f in sorted(Path(p) for p in files):
        h.update(f.name.encode())
        h.update(b"\0")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    h.update(f"model={model}\0schema={schema_version}\0code={code}".encode())
    return h.hexdigest()


#: Cached indexes kept per corpus name (older ones, from earlier code or corpus versions, are removed).
CACHE_KEEP = 3


def _prune_cache(cache_dir: Path, name: str, keep: Path) -> None:
    """Remove all but the :data:`CACHE_KEEP` newest cached indexes of corpus ``name`` (``keep`` always stays)."""
    pattern = re.compile(re.escape(name) + r"-[0-9a-f]{16}$")
    old = sorted(
        (p for p in cache_dir.iterdir() if p.is_dir() and pattern.match(p.name) and p != keep),
        key=lambda p: p.stat().st_mtime, reverse=True,
    )
    for p in old[CACHE_KEEP - 1:]:
        shutil.rmtree(p, ignore_errors=True)


def open_corpus_index(spec: CorpusSpec, cache_dir: Path, log: Log = _stderr,
                      model: str | None = None) -> tuple[Any, dict]:
    """Open the cached index of ``spec`` under ``cache_dir``, building it when absent or unusable.

    ``model``: the embedding model (default: the settings' one); part of the cache key.

    Returns ``(assistant, info)``; ``info`` has ``dir``, ``cached`` (bool),
    ``seconds`` (build or load time), ``key``, ``counts`` and ``problems``
    (sources skipped by this build, as messages).
    """
    from ..api import Assistant
    from ..errors import IndexNotUsable
    from ..settings import SCHEMA_VERSION, Settings

    settings = Settings.with_model(model) if model else Settings()
    model = settings.model
    key = corpus_key(spec.files, model, SCHEMA_VERSION, pipeline_fingerprint())
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", spec.name)[:60]
    index_dir = Path(cache_dir) / f"{safe}-{key[:16]}"
    t0 = time.perf_counter()
    assistant = None
    if (index_dir / "CURRENT").is_file():
        try:
            assistant = Assistant.load(index_dir, model=model, settings=settings)
        except IndexNotUsable as e:
            log(f"cached index {index_dir} not usable ({e}); rebuilding")
    cached = assistant is not None
    problems: list[str] = []
    if assistant is None:
        if index_dir.exists():
            shutil.rmtree(index_dir)
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        log(f"indexing corpus '{spec.name}' ({', '.join(f.name for f in spec.files)}) into {index_dir} ...")
        assistant = Assistant.build([str(f) for f in spec.files], index_dir, settings=settings)
        _prune_cache(Path(cache_dir), safe, keep=index_dir)
        summary = getattr(assistant, "last_build", None)
        if summary is not None and hasattr(summary, "line"):
            log(summary.line())
            problems = [str(p) for p in getattr(summary, "problems", [])]
            for p in problems:
                log(f"skipped while indexing: {p}")
    seconds = time.perf_counter() - t0
    try:
        counts = dict(assistant.counts())
    except Exception:  # counts are informative only
        counts = {}
    return assistant, {
        "dir": str(index_dir), "cached": cached, "seconds": round(seconds, 2), "key": key, "counts": counts,
        "problems": problems,
    }
