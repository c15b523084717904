"""Building, extending and opening an index folder, atomically.

Layout of an index folder (``index/`` by default)::

    index/
      CURRENT            name of the live generation, replaced atomically (os.replace)
      gen-000002/        one complete generation
        meta.json        schema version, settings (model!), counts, build time
        store.sqlite     articles, passages, quotes, speakers
        seg-000001/      one or more segments, each with the items of one build:
          passages.faiss quotes.faiss      dense vectors (FAISS, ids = row ids)
          bm25-passages/ bm25-quotes/      lexical indexes (bm25s, no pickle)
      .tmp-*/            a generation being built (removed by the next build)

A build copies the live generation's SQLite file into a temporary folder, adds
the new articles there (only they are parsed and embedded), writes their
vectors and BM25 as a new segment beside hard links to the old segments (or
merges all segments into one, see ``MAX_SEGMENTS``), then renames the folder to
``gen-N`` and points ``CURRENT`` at it. A crash or
``kill -9`` at any point leaves ``CURRENT`` naming the previous, complete
generation; the next build removes the leftovers.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .embed import get_encoder
from .errors import AssistantError, IndexNotUsable, IngestError
from .ingest import LoadResult, dedupe, load_sources, text_hash
from .locks import _lock
from .models import Article, Passage, Quote, Speaker
from .passages import chunk_passages
from .segments import (  # noqa: F401
    MAX_SEGMENTS,
    MERGE_SHARE,
    _fsync_dir,
    _fsync_file,
    _fsync_tree,
    _should_merge,
    _write_segments,
    faiss_ids,
)
from .settings import SCHEMA_VERSION, Settings, build_mismatch
from .store import Store
from .vectors import DenseIndex, LexicalIndex, SegmentedDense, SegmentedLexical

log = logging.getLogger(__name__)

DEFAULT_INDEX_DIR = Path("index")
Progress = Callable[[str, int, int], None]


@dataclass
class BuildSummary:
    """What a build did: counts of articles/passages/quotes added (and the added article ids), totals,
    problems, warnings, seconds."""

    added_articles: int = 0
    added_ids: list[str] = field(default_factory=list)
    added_passages: int = 0
    added_quotes: int = 0
    duplicates: int = 0
    totals: dict = field(default_factory=dict)
    problems: list[IngestError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    index_dir: str = ""

    def line(self) -> str:
        """One summary line: what was added, in how long, and what the index holds now."""
        t = self.totals
        return (
            f"indexed {_n(self.added_articles, 'article')} ({_n(self.added_passages, 'passage')}, "
            f"{_n(self.added_quotes, 'quote')}) in {self.seconds:.1f} s; index now holds "
            f"{_n(t.get('articles', 0), 'article')}, {_n(t.get('passages', 0), 'passage')}, "
            f"{_n(t.get('quotes', 0), 'quote')}, {_n(t.get('speakers', 0), 'speaker')}"
            + (f"; {_n(self.duplicates, 'duplicate')} skipped" if self.duplicates else "")
            + (f"; {_n(len(self.problems), 'problem')}" if self.problems else "")
            + (f"; {_n(len(self.warnings), 'warning')}" if self.warnings else "")
        )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _current_generation(index_dir: Path) -> Path | None:
    cur = index_dir / "CURRENT"
    if not cur.is_file():
        return None
    name = cur.read_text().strip()
    if not re.fullmatch(r"gen-\d+", name) or not (index_dir / name).is_dir():
        return None
    return index_dir / name


def _check_meta(meta: dict, where: Path, model: str | None, wanted: Settings | None = None) -> Settings:
    """The settings an index was built with; raises :class:`IndexNotUsable` when it cannot serve ``wanted``.

    Refused: another schema version; another embedding ``model``; any build field of
    ``wanted`` (embedding, nlp, index sections) that differs from the saved one, each
    named with its two values and the command that fixes it.
    """
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexNotUsable(
            f"Index at {where} has schema version {meta.get('schema_version')}, this assistant reads version "
            f"{SCHEMA_VERSION}; rebuild it: remove the folder and run `assistant index PATH --index {where}`"
        )
    try:
        saved = Settings.from_dict(meta.get("settings", {}))
    except (TypeError, ValueError) as e:
        raise IndexNotUsable(f"Index at {where} has unreadable settings ({e}); rebuild it with "
                             f"`assistant index PATH --index {where}`") from e
    built_with = saved.embedding.model
    if model is not None and built_with != model:
        raise IndexNotUsable(
            f"Index at {where} was built with embedding model '{built_with}', not '{model}'; open it with "
            f"--model {built_with} or rebuild it with `assistant index PATH --index {where} --model {model}`"
        )
    if wanted is not None:
        differ = build_mismatch(saved, wanted)
        if differ:
            raise IndexNotUsable(
                f"Index at {where} was built with other settings: " + "; ".join(differ)
                + ". Extend it with the settings it was built with (pass no settings), or build a new index "
                  "in another folder (`assistant index PATH --index NEW_DIR`)"
            )
    return saved


class Index:
    """A read-only view of the live generation of an index folder.

    Holds the SQLite store, the FAISS and BM25 indexes of passages and quotes,
    and the encoder of the model that built it. Raises
    :class:`~assistant.errors.IndexNotUsable` when the folder holds no index,
    an index of another schema version, or one built with another model.
    """

    def __init__(self, index_dir: Path, generation: Path, meta: dict):
        self.dir = Path(index_dir)
        self.generation = generation
        self.meta = meta
        # build sections as saved; retrieval and ranking from the running code (a recalibration applies)
        current = Settings()
        self.settings = replace(Settings.from_dict(meta["settings"]), retrieval=current.retrieval,
                                ranking=current.ranking)
        self.store = Store(generation / "store.sqlite", readonly=True)
        segs = [generation / name for name in meta["segments"]]
        self.passage_vectors = SegmentedDense([DenseIndex.load(d / "passages.faiss") for d in segs])
        self.quote_vectors = SegmentedDense([DenseIndex.load(d / "quotes.faiss") for d in segs])
        self.passage_bm25 = SegmentedLexical([LexicalIndex.load(d / "bm25-passages") for d in segs])
        self.quote_bm25 = SegmentedLexical([LexicalIndex.load(d / "bm25-quotes") for d in segs])
        self.encoder = get_encoder(self.settings.embedding.model, self.settings.embedding.batch_size)

    @classmethod
    def open(cls, index_dir: str | os.PathLike = DEFAULT_INDEX_DIR, model: str | None = None,
             settings: Settings | None = None) -> Index:
        index_dir = Path(index_dir)
        gen = _current_generation(index_dir)
        if gen is None:
            raise IndexNotUsable(f"No index at {index_dir}/; build one with `assistant index PATH --index {index_dir}`")
        try:
            meta = json.loads((gen / "meta.json").read_text())
        except (OSError, ValueError) as e:
            raise IndexNotUsable(f"Index at {index_dir} is damaged ({e}); rebuild it with `assistant index PATH`") from e
        _check_meta(meta, index_dir, model, settings)
        return cls(index_dir, gen, meta)

    def counts(self) -> dict[str, int]:
        return dict(self.meta.get("counts", {}))

    def close(self) -> None:
        self.store.close()


_AT_FORK_SET = False


def _workers_die_with_parent() -> None:
    """Make processes forked from here (spaCy's parser workers) get SIGKILL when their parent dies.

    Without it a ``kill -9`` of a build left its parser workers waiting on their queues for ever.
    Linux ``prctl(PR_SET_PDEATHSIG)``; a no-op elsewhere.
    """
    global _AT_FORK_SET
    if _AT_FORK_SET or not sys.platform.startswith("linux"):
        return
    _AT_FORK_SET = True

    def set_pdeathsig() -> None:
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    os.register_at_fork(after_in_child=set_pdeathsig)


def _parse_articles(articles: list[Article], settings: Settings, progress: Progress | None, warnings: list[str]):
    """Parse each article once; yield (article, passages, quotes). Failures become warnings, not crashes.

    From 64 articles on, spaCy parses in ``ASSISTANT_PARSE_PROCESSES`` processes (default: up to 2, one per
    core; ``nlp.pipe(n_process=...)``, same docs as one process) while this process extracts quotes; texts
    longer than ``nlp.MAX_CHUNK`` are parsed here in chunks as by ``nlp.pipe``.
    """
    from . import nlp as nlp_mod
    from .attribution import extract_quotes_doc

    nlp = nlp_mod.load_nlp(settings.nlp.model)
    procs = int(os.environ.get("ASSISTANT_PARSE_PROCESSES") or min(2, os.cpu_count() or 1))
    if procs > 1 and len(articles) >= 64:
        _workers_die_with_parent()
        cleaned = [nlp_mod.clean_for_parse(a.text) for a in articles]
        short = nlp.pipe((t for t in cleaned if len(t) <= nlp_mod.MAX_CHUNK), batch_size=settings.nlp.parse_batch,
                         n_process=procs)
        docs = (next(short) if len(t) <= nlp_mod.MAX_CHUNK else nlp_mod.parse(t, nlp) for t in cleaned)
    else:
        docs = nlp_mod.pipe((a.text for a in articles), nlp, batch_size=settings.nlp.parse_batch)
    for i, (art, doc) in enumerate(zip(articles, docs)):
        sents = [(s.start_char, s.end_char) for s in doc.sents]
        passages = chunk_passages(art.text, sents, art.id, settings.index.passage_chars)
        try:
            quotes = extract_quotes_doc(doc, article_id=art.id, text=art.text, settings=settings.attribution)
        except Exception as e:  # one bad article must not stop a build
            warnings.append(f"{art.origin or art.id}: quotes not extracted ({type(e).__name__}: {e})")
            quotes = []
        quotes = [q for q in quotes if 0 <= q.start < q.end <= len(art.text)]
        for q in quotes:
            q.article_id = art.id
        if progress:
            progress("parse", i + 1, len(articles))
        yield art, passages, quotes


def _rebuild_registry(store: Store) -> None:
    """Cluster every quote's speaker into the registry anew (:func:`assistant.speakers.build_registry`)."""
    from .speakers import assign_quotes, build_registry

    quotes = store.raw_quotes()
    speakers = build_registry(quotes)
    store.replace_speakers(speakers, assign_quotes(quotes, speakers))


def _extend_registry(store: Store, new_quotes: list[Quote]) -> None:
    """Add the speakers of a small addition to the stored registry (:func:`assistant.speakers.extend_registry`)."""
    from .speakers import extend_registry

    # rows read by the last addition to this index are not parsed again (they are copied before a change)
    existing = store.speakers(reuse=_REGISTRY_ROWS.setdefault(str(store.path.parent.parent.resolve()), {}))
    changed, fresh, assigned = extend_registry(existing, new_quotes)
    store.upsert_speakers([*changed, *fresh], assigned)


#: Per index folder: raw speaker rows -> Speaker, as last read by ``_extend_registry`` (in this process).
_REGISTRY_ROWS: dict[str, dict[tuple, Speaker]] = {}

def _remove_leftovers(index_dir: Path, keep: set[str]) -> None:
    for p in index_dir.iterdir():
        if p.name.startswith(".tmp-") or (p.name.startswith("gen-") and p.name not in keep):
            shutil.rmtree(p, ignore_errors=True)


def _new_articles(index_dir: Path, old: Path | None, sources: Iterable, loaded: LoadResult | None,
                  progress: Progress | None) -> LoadResult:
    """The loaded sources without articles the index (generation ``old``) already holds."""
    if progress:
        progress("load", 0, 1)
    result = loaded if loaded is not None else load_sources(sources)
    seen: dict[str, str] = {}
    if old:
        ro = Store(old / "store.sqlite", readonly=True)
        seen = ro.article_ids_hashes()
        ro.close()
    return dedupe(result, seen_ids=seen, seen_hashes=set(seen.values()))


def _open_new_generation(index_dir: Path, old: Path | None) -> tuple[Path, Store]:
    """A fresh ``.tmp-*`` folder holding a copy of the old store (or an empty one), and that store."""
    tmp = index_dir / f".tmp-{uuid.uuid4().hex[:12]}"
    tmp.mkdir()
    if old:
        src = sqlite3.connect(f"file:{old / 'store.sqlite'}?mode=ro", uri=True)
        dst = sqlite3.connect(str(tmp / "store.sqlite"))
        src.backup(dst)
        src.close()
        dst.close()
    return tmp, Store(tmp / "store.sqlite")


def _add_articles(store: Store, result: LoadResult, settings: Settings, progress: Progress | None,
                  summary: BuildSummary) -> tuple[list[Passage], list[Quote]]:
    """Parse the new articles into the store; returns their passages and quotes."""
    new_passages: list[Passage] = []
    new_quotes: list[Quote] = []
    for art, passages, quotes in _parse_articles(result.articles, settings, progress, summary.warnings):
        store.add_article(art, text_hash(art.text))
        store.add_passages(passages)
        store.add_quotes(quotes)
        new_passages.extend(passages)
        new_quotes.extend(quotes)
    summary.added_articles = len(result.articles)
    summary.added_ids = [a.id for a in result.articles]
    summary.added_passages = len(new_passages)
    summary.added_quotes = len(new_quotes)
    store.add_problems(result.problems)
    return new_passages, new_quotes


def _embed(texts: list[str], settings: Settings, progress: Progress | None):
    """Unit vectors of ``texts``, shape (len(texts), dim), in batches of 256 (progress stage ``embed``)."""
    import numpy as np

    encoder = get_encoder(settings.embedding.model, settings.embedding.batch_size)
    vectors = []
    step = 256
    for i in range(0, len(texts), step):
        vectors.append(encoder.encode(texts[i : i + step]))
        if progress:
            progress("embed", min(i + step, len(texts)), len(texts))
    return np.vstack(vectors) if vectors else np.zeros((0, encoder.dim), dtype="float32")


def _switch_to(index_dir: Path, tmp: Path, old: Path | None) -> None:
    """Make ``tmp`` the next generation and point ``CURRENT`` at it, durably (fsync), atomically."""
    _fsync_tree(tmp)
    n = int(old.name.split("-")[1]) + 1 if old else 1
    gen = index_dir / f"gen-{n:06d}"
    os.rename(tmp, gen)
    cur_tmp = index_dir / f".tmp-CURRENT-{uuid.uuid4().hex[:8]}"
    cur_tmp.write_text(gen.name)
    _fsync_file(cur_tmp)
    os.replace(cur_tmp, index_dir / "CURRENT")
    _fsync_dir(index_dir)
    # keep the previous generation for readers that still have it open
    _remove_leftovers(index_dir, keep={gen.name} | ({old.name} if old else set()))


def build_index(
    sources: Iterable,
    index_dir: str | os.PathLike = DEFAULT_INDEX_DIR,
    settings: Settings | None = None,
    progress: Progress | None = None,
    loaded: LoadResult | None = None,
) -> BuildSummary:
    """Build an index from ``sources`` (paths, folders, records) or extend the existing one.

    Only articles whose text is not yet indexed are parsed and embedded. The
    index is switched atomically when complete (see module docstring).
    ``progress(stage, done, total)`` is called as work proceeds (stages
    ``load``, ``parse``, ``embed``, ``write``).

    Raises :class:`AssistantError` when nothing at all could be indexed and no
    index exists yet, or when the existing index was built with other build settings.
    """
    t0 = time.time()
    index_dir = Path(index_dir)
    lock = _lock(index_dir)
    try:
        old = _current_generation(index_dir)
        old_meta = json.loads((old / "meta.json").read_text()) if old else None
        if old_meta:
            saved = _check_meta(old_meta, index_dir, None, settings)
            settings = settings or saved
        settings = settings or Settings()
        _remove_leftovers(index_dir, keep={old.name} if old else set())
        result = _new_articles(index_dir, old, sources, loaded, progress)
        summary = BuildSummary(duplicates=result.duplicates, problems=result.problems, index_dir=str(index_dir))
        if not result.articles:
            if old is None:
                detail = "; ".join(str(p) for p in result.problems[:5]) or "no supported files found"
                raise AssistantError(f"Nothing could be indexed into {index_dir}: {detail}")
            ro = Store(old / "store.sqlite", readonly=True)
            summary.totals = ro.counts()
            ro.close()
            summary.seconds = time.time() - t0
            return summary

        tmp, store = _open_new_generation(index_dir, old)
        new_passages, new_quotes = _add_articles(store, result, settings, progress, summary)
        allv = _embed([p.text for p in new_passages] + [q.text for q in new_quotes], settings, progress)
        pv, qv = allv[: len(new_passages)], allv[len(new_passages) :]

        if progress:
            progress("write", 0, 1)
        merge = _should_merge(old_meta, len(new_passages) + len(new_quotes), store.counts())
        if merge:
            _rebuild_registry(store)
        else:
            _extend_registry(store, new_quotes)
        store.commit()
        counts = store.counts()
        segments = _write_segments(tmp, old, old_meta, new_passages, new_quotes, pv, qv, counts, settings, store,
                                   merge)
        store.close()
        meta = {
            "schema_version": SCHEMA_VERSION,
            "settings": settings.to_dict(),
            "counts": counts,
            "segments": segments,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2))
        _switch_to(index_dir, tmp, old)
        summary.totals = counts
        summary.seconds = time.time() - t0
        return summary
    finally:
        lock.close()
