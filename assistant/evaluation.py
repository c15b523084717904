"""Evaluation against gold files: Q&A gold (``seed.jsonl``, ``qa-dev.jsonl``) and attribution gold.

Entry points (used by ``assistant eval``)::

    result = evaluate("gold/qa-dev.jsonl", baseline=True)   # -> dict (JSON-serialisable)
    print(format_result(result))                            # compact table, both systems side by side
    write_report(result, "report/")                         # report.md + recall_at_k.png + by_type.png

Q&A gold (format and metric definitions: ``shared/gold/README.md``). Every
item names a corpus (a file stem under ``corpus_dir``; without one, the corpus
is the item's article files themselves, e.g. the seed article). Each corpus
is indexed alone, once, with :meth:`Assistant.build`, and cached under
``cache_dir`` keyed by the SHA-256 of the corpus file content, the embedding
model, :data:`~assistant.settings.SCHEMA_VERSION` and the build-time source
code (:func:`pipeline_fingerprint`, so extractor changes are not scored on a
stale index). Each item's ``history``
is replayed through one fresh :class:`~assistant.api.Conversation`, then the
question is asked and timed. Scores:

* quote recall@k (k = 1, 3, 5, 10, and the requested k): per item, the share
  of gold quotes found by the first k citations (same article, cited span
  covering >= half the gold quote's characters, gold quote located in the
  *stored* article text whitespace-insensitively); mean over answerable items;
* MRR: per item, 1 / rank of the first citation finding any gold quote (0
  when none does); mean over answerable items;
* speaker accuracy: share of all citations on answerable items whose speaker is
  the gold speaker, alias-aware (:func:`assistant.metrics.same_speaker`);
* resolved speaker: share of answerable items whose ``Answer.speaker`` is the
  gold speaker (a diagnostic of speaker and follow-up resolution);
* citation validity: share of citations with ``text == article.text[start:end]``
  in an article the index holds (anything below 1.0 is a bug);
* abstention: share of unanswerable items answered with no citation; false
  abstention: share of answerable items answered with no citation;
* latency of the final ask, p50/p95 in milliseconds;
* cited characters: mean characters in the first 5 citations (how much a
  reader must read; the baseline cites whole passages).

Groups: ``overall``, ``by_corpus``, ``by_type`` (``speaker+topic``,
``who-said``, ``speaker-only``, ``follow-up``, ``unanswerable``, see
:func:`question_type`). With ``baseline=True`` a naive baseline is scored on
the same indexes: the top dense passages for the question alone (no history);
it never abstains and has no speaker.

Attribution gold (records with ``quotes``) is delegated to
:mod:`assistant.attribution_eval`; its result carries ``kind: attribution``.

Errors: :class:`~assistant.errors.GoldError` naming the file and line for a
malformed gold file (bad JSON, missing or mistyped fields, duplicate ids,
unknown corpus or article id, a gold quote not in its articles).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AssistantError, GoldError
from .metrics import (
    abstention_rates,
    citation_valid,
    covers,
    locate_all,
    percentile,
    recall_at_k,
    reciprocal_rank,
    same_speaker,
    speaker_accuracy,
)

#: The cut-offs of quote recall@k always reported.
KS = (1, 3, 5, 10)
#: Question types, in report order.
QUESTION_TYPES = ("speaker+topic", "who-said", "speaker-only", "follow-up", "unanswerable")
#: File suffixes tried for an article given by id alone (no ``corpus`` field).
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json")
#: Citations counted for the "cited characters" figure.
CITED_CHARS_K = 5

_QA_FIELDS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "history": (list,),
    "question": (str,),
    "answerable": (bool,),
    "speaker": (str, type(None)),
    "gold_quotes": (list,),
    "articles": (list,),
}

Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Gold loading and validation
# ---------------------------------------------------------------------------


@dataclass
class GoldItem:
    """One validated Q&A gold item; ``line`` is its 1-based line in the gold file.

    ``corpus`` is the corpus stem, or ``None`` when the item's articles are the
    corpus (seed); ``corpus_name`` is the group name used in results either way.
    """

    id: str
    question: str
    history: list[str]
    answerable: bool
    speaker: str | None
    gold_quotes: list[str]
    articles: list[str]
    corpus: str | None
    line: int
    corpus_name: str = ""
    type: str = ""


@dataclass
class CorpusSpec:
    """A corpus to index: ``name`` and the ``files`` that make it up."""

    name: str
    files: list[Path] = field(default_factory=list)


def read_jsonl(path: Path) -> list[tuple[int, dict]]:
    """``[(line_number, record), ...]`` of a JSONL file, blank lines skipped.

    Raises :class:`GoldError` ("<file>:<line>: ...") for a line that is not
    JSON or not a JSON object, and for an unreadable or empty file.
    """
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise GoldError(f"{path}: cannot read gold file ({e})") from e
    out = []
    for n, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(f"{path}:{n}: malformed JSON ({e.msg} at column {e.colno})") from e
        if not isinstance(rec, dict):
            raise GoldError(f"{path}:{n}: expected a JSON object, got a {type(rec).__name__}")
        out.append((n, rec))
    if not out:
        raise GoldError(f"{path}: gold file holds no records")
    return out


def gold_kind(records: Sequence[tuple[int, dict]]) -> str:
    """``attribution`` when the first record has ``quotes`` (attribution gold), else ``qa``."""
    return "attribution" if "quotes" in records[0][1] else "qa"


def default_corpus_dir(gold: Path) -> Path:
    """The ``corpus`` folder beside the gold file's folder, or beside a folder above it (``gold/../corpus``)."""
    gold = Path(gold).resolve()
    for parent in gold.parents[1:]:
        if (parent / "corpus").is_dir():
            return parent / "corpus"
    return gold.parent.parent / "corpus"


_TEXT_CACHE: dict[tuple[str, float, int], dict[str, str]] = {}


def corpus_texts(path: Path) -> dict[str, str]:
    """Raw article texts of a corpus file by id: every record of a ``.jsonl``, or the one article of another file.

    Raises :class:`GoldError` when the file cannot be read.
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError as e:
        raise GoldError(f"{path}: corpus file not readable ({e})") from e
    key = (str(path.resolve()), st.st_mtime, st.st_size)
    if key in _TEXT_CACHE:
        return _TEXT_CACHE[key]
    texts: dict[str, str] = {}
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        for line in raw.split("\n"):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and "id" in rec and isinstance(rec.get("text"), str):
                texts[str(rec["id"])] = rec["text"]
    else:
        texts[path.stem] = raw
    _TEXT_CACHE[key] = texts
    return texts


def _article_file(corpus_dir: Path, article_id: str) -> Path | None:
    for suffix in ARTICLE_SUFFIXES:
        p = corpus_dir / f"{article_id}{suffix}"
        if p.is_file():
            return p
    return None


_WHO = re.compile(r"^\s*(who|which|did anyone|has anyone|does anyone|was anyone)\b", re.I)
_SPEAKER_ONLY = re.compile(
    r"^\s*what\s+(did|has|have|does|do)\s+.{1,80}?\s+(say|said|says|tell|told|state|stated)\s*[?.!]*\s*$", re.I
)


def question_type(item: GoldItem | dict) -> str:
    """The question type of a gold item, in this order of precedence:

    ``unanswerable`` (answerable false), ``follow-up`` (non-empty history),
    ``who-said`` (no gold speaker, or the question starts with Who/Which/Did
    anyone), ``speaker-only`` (no topic: "What did X say?"), else
    ``speaker+topic``.
    """
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    if not get("answerable"):
        return "unanswerable"
    if get("history"):
        return "follow-up"
    q = get("question") or ""
    if get("speaker") is None or _WHO.match(q):
        return "who-said"
    if _SPEAKER_ONLY.match(q):
        return "speaker-only"
    return "speaker+topic"


def load_qa_gold(gold: str | os.PathLike, corpus_dir: str | os.PathLike | None = None) -> tuple[list[GoldItem], dict[str, CorpusSpec]]:
    """Read and validate a Q&A gold file.

    Returns ``(items, corpora)``: the items in file order and the corpora they
    use by name. Raises :class:`GoldError` naming the file and line for a
    malformed line, a missing or mistyped field, a duplicate id, an unknown
    corpus or article id, an answerable item without gold quotes, or a gold
    quote that does not stand (whitespace aside) in any of the item's articles.
    """
    gold = Path(gold)
    cdir = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir(gold)
    records = read_jsonl(gold)
    if gold_kind(records) != "qa":
        raise GoldError(f"{gold}:{records[0][0]}: this is attribution gold (records with 'quotes'), not Q&A gold")
    if not cdir.is_dir():
        raise GoldError(f"{gold}: corpus folder {cdir} not found; pass --corpus-dir")
    items: list[GoldItem] = []
    corpora: dict[str, CorpusSpec] = {}
    seen: dict[str, int] = {}
    loose: list[tuple[GoldItem, list[Path]]] = []  # items whose articles are the corpus
    for n, rec in records:
        where = f"{gold}:{n}"
        for name, types in _QA_FIELDS.items():
            if name not in rec:
                raise GoldError(f"{where}: missing field '{name}'")
            if not isinstance(rec[name], types) or (types == (str,) and not rec[name].strip()):
                raise GoldError(f"{where}: field '{name}' has the wrong type or is empty ({rec[name]!r})")
        for name in ("history", "gold_quotes", "articles"):
            if not all(isinstance(x, str) and x.strip() for x in rec[name]):
                raise GoldError(f"{where}: field '{name}' must be a list of non-empty strings")
        if rec["id"] in seen:
            raise GoldError(f"{where}: duplicate id '{rec['id']}' (first on line {seen[rec['id']]})")
        seen[rec["id"]] = n
        corpus = rec.get("corpus")
        if corpus is not None and (not isinstance(corpus, str) or not corpus.strip()):
            raise GoldError(f"{where}: field 'corpus' must be a corpus file stem, got {corpus!r}")
        if rec["answerable"] and not rec["gold_quotes"]:
            raise GoldError(f"{where}: answerable item '{rec['id']}' has no gold_quotes")
        if rec["gold_quotes"] and not rec["articles"]:
            raise GoldError(f"{where}: item '{rec['id']}' has gold_quotes but no articles")
        item = GoldItem(
            id=rec["id"], question=rec["question"], history=list(rec["history"]), answerable=rec["answerable"],
            speaker=rec["speaker"], gold_quotes=list(rec["gold_quotes"]), articles=list(rec["articles"]),
            corpus=corpus, line=n,
        )
        item.type = question_type(item)
        # the texts the articles must be found in
        texts: dict[str, str] = {}
        if corpus is not None:
            cfile = cdir / f"{corpus}.jsonl"
            if not cfile.is_file():
                known = sorted(p.stem for p in cdir.glob("*.jsonl"))
                raise GoldError(f"{where}: unknown corpus '{corpus}' (no {cfile}; known: {', '.join(known)})")
            all_texts = corpus_texts(cfile)
            for aid in item.articles:
                if aid not in all_texts:
                    raise GoldError(f"{where}: unknown article id '{aid}' in corpus '{corpus}' ({cfile})")
                texts[aid] = all_texts[aid]
            item.corpus_name = corpus
            corpora.setdefault(corpus, CorpusSpec(corpus, [cfile]))
        else:
            files = []
            for aid in item.articles:
                f = _article_file(cdir, aid)
                if f is None:
                    raise GoldError(
                        f"{where}: unknown article id '{aid}' (no field 'corpus', and no article file "
                        f"{aid}{{{','.join(ARTICLE_SUFFIXES)}}} in {cdir})"
                    )
                files.append(f)
                texts[aid] = corpus_texts(f)[f.stem]
            loose.append((item, files))
        for q in item.gold_quotes:
            if not any(locate_all(q, t) for t in texts.values()):
                short = q if len(q) <= 80 else q[:77] + "..."
                raise GoldError(f"{where}: gold quote {short!r} is not in article(s) {', '.join(item.articles)}")
        items.append(item)
    if loose:
        files = sorted({f for _, fs in loose for f in fs})
        if not files:
            raise GoldError(f"{gold}: items without 'corpus' name no articles, so there is nothing to index")
        name = files[0].stem if len(files) == 1 else f"articles-{len(files)}"
        corpora[name] = CorpusSpec(name, files)
        for item, _ in loose:
            item.corpus_name = name
    return items, corpora


# ---------------------------------------------------------------------------
# Indexes (cached per corpus)
# ---------------------------------------------------------------------------


#: Modules used only at question time (or not by indexing at all): changing them keeps cached indexes valid.
#: ``settings`` is among them: its build fields are compared with the saved ones when a cached index opens.
QUERY_TIME_MODULES = frozenset({
    "__init__", "answer", "api", "attribution_eval", "cli", "converse", "evaluation", "evidence", "fuse",
    "metrics", "ranking", "retrieve", "settings", "webapp",
})


@functools.lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """SHA-256 (hex) of the package's build-time source (every ``assistant/*.py`` outside
    :data:`QUERY_TIME_MODULES`): the quote extractor, speaker registry, cleaning, chunking...

    Part of the cache key, so an index cached before a change to extraction is not
    reused to score the changed code (the schema version alone does not move then).
    Computed once per process: it stands for the code this process runs, even if
    the files are edited meanwhile.
    """
    h = hashlib.sha256()
    root = Path(__file__).parent
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root)
        if len(rel.parts) == 1 and f.stem in QUERY_TIME_MODULES:  # top-level modules only: a subpackage's
            continue  # __init__.py or settings.py is build code
        h.update(str(rel).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


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


def open_corpus_index(spec: CorpusSpec, cache_dir: Path, log: Log = _stderr) -> tuple[Any, dict]:
    """Open the cached index of ``spec`` under ``cache_dir``, building it when absent or unusable.

    Returns ``(assistant, info)``; ``info`` has ``dir``, ``cached`` (bool),
    ``seconds`` (build or load time), ``key``, ``counts`` and ``problems``
    (sources skipped by this build, as messages).
    """
    from .api import Assistant
    from .errors import IndexNotUsable
    from .settings import SCHEMA_VERSION, Settings

    model = Settings().model
    key = corpus_key(spec.files, model, SCHEMA_VERSION, pipeline_fingerprint())
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", spec.name)[:60]
    index_dir = Path(cache_dir) / f"{safe}-{key[:16]}"
    t0 = time.perf_counter()
    assistant = None
    if (index_dir / "CURRENT").is_file():
        try:
            assistant = Assistant.load(index_dir, model=model, settings=Settings())
        except IndexNotUsable as e:
            log(f"cached index {index_dir} not usable ({e}); rebuilding")
    cached = assistant is not None
    problems: list[str] = []
    if assistant is None:
        if index_dir.exists():
            shutil.rmtree(index_dir)
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        log(f"indexing corpus '{spec.name}' ({', '.join(f.name for f in spec.files)}) into {index_dir} ...")
        assistant = Assistant.build([str(f) for f in spec.files], index_dir, settings=Settings.with_model(model))
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


# ---------------------------------------------------------------------------
# Running and scoring items
# ---------------------------------------------------------------------------


def _dense_baseline(assistant: Any, question: str, k: int) -> list[Any]:
    from .retrieve import Retriever

    return [p for p, _ in Retriever(assistant.index).dense_passages(question, k)]


class _Texts:
    """Stored article texts of one assistant, fetched once (``None`` for an unknown id)."""

    def __init__(self, assistant: Any):
        self.assistant = assistant
        self.cache: dict[str, str | None] = {}

    def get(self, article_id: str) -> str | None:
        if article_id not in self.cache:
            try:
                self.cache[article_id] = self.assistant.article(article_id).text
            except AssistantError:
                self.cache[article_id] = None
        return self.cache[article_id]


def _score_spans(spans: list[dict], golds: list[list[tuple[str, int, int]]], ks: Sequence[int], answerable: bool) -> dict:
    cited = [(c["article_id"], c["start"], c["end"]) for c in spans]
    out: dict[str, Any] = {}
    for k in ks:
        out[f"recall@{k}"] = recall_at_k(cited, golds, k) if answerable else None
    out["rr"] = reciprocal_rank(cited, golds) if answerable else None
    out["n_citations"] = len(spans)
    out["n_valid"] = sum(1 for c in spans if c["valid"])
    out["cited_chars"] = sum(c["end"] - c["start"] for c in spans[:CITED_CHARS_K])
    for c in spans:
        c["finds"] = [i for i, g in enumerate(golds) if covers((c["article_id"], c["start"], c["end"]), g)]
    return out


def run_item(
    item: GoldItem,
    assistant: Any,
    texts: _Texts,
    ks: Sequence[int],
    baseline_fn: Callable[[Any, str, int], list[Any]] | None,
) -> dict:
    """Replay ``item.history`` in a fresh conversation, ask the question, and score the answer (and the baseline).

    Returns a JSON-serialisable record: the gold fields, ``answer`` (text,
    abstained, speaker, question_type, citations each with ``valid`` and
    ``finds`` = indexes of the gold quotes it finds), ``latency_ms``,
    ``scores``, optionally ``baseline`` (``citations``, ``scores``), the
    ``unlocated`` gold quotes, ``error`` and ``failures`` (reasons).
    """
    golds: list[list[tuple[str, int, int]]] = []
    unlocated = []
    for q in item.gold_quotes:
        locs = []
        for aid in item.articles:
            t = texts.get(aid)
            if t is not None:
                locs += [(aid, s, e) for s, e in locate_all(q, t)]
        if not locs:
            unlocated.append(q)
        golds.append(locs)

    rec: dict[str, Any] = {
        "id": item.id, "corpus": item.corpus_name, "type": item.type, "line": item.line,
        "question": item.question, "history": item.history, "answerable": item.answerable,
        "speaker": item.speaker, "gold_quotes": item.gold_quotes, "articles": item.articles,
        "unlocated": unlocated, "error": None,
    }
    answer = None
    latency = None
    try:
        conv = assistant.chat()
        for turn in item.history:
            conv.ask(turn)
        t0 = time.perf_counter()
        answer = conv.ask(item.question)
        latency = (time.perf_counter() - t0) * 1000.0
    except Exception as e:  # an evaluation must report a crash, not stop on it
        rec["error"] = f"{type(e).__name__}: {e}\n" + "".join(traceback.format_exc(limit=6))
    citations = []
    if answer is not None:
        for c in answer.citations:
            citations.append({
                "article_id": c.article_id, "start": c.start, "end": c.end, "text": c.text,
                "speaker": c.speaker, "cue": c.cue, "kind": c.kind, "score": _num(c.score),
                "valid": citation_valid(c.text, c.start, c.end, texts.get(c.article_id)),
            })
    rec["answer"] = None if answer is None else {
        "text": answer.text, "abstained": bool(answer.abstained), "speaker": answer.speaker,
        "question_type": answer.question_type, "citations": citations,
    }
    rec["latency_ms"] = latency
    scores = _score_spans(citations, golds, ks, item.answerable)
    scores["speaker_correct"] = sum(1 for c in citations if same_speaker(c["speaker"], item.speaker))
    scores["speaker_accuracy"] = speaker_accuracy([c["speaker"] for c in citations], item.speaker)
    scores["answer_speaker_ok"] = same_speaker(answer.speaker, item.speaker) if answer is not None else False
    rec["scores"] = scores

    if baseline_fn is not None:
        t0 = time.perf_counter()
        try:
            passages = baseline_fn(assistant, item.question, max(ks))
        except Exception as e:  # scored as no citation, reported with the item
            passages = []
            rec["error"] = (rec["error"] or "") + f"baseline: {type(e).__name__}: {e}\n"
        b_latency = (time.perf_counter() - t0) * 1000.0
        bcit = [{
            "article_id": p.article_id, "start": p.start, "end": p.end, "text": p.text, "speaker": None,
            "kind": "passage", "valid": citation_valid(p.text, p.start, p.end, texts.get(p.article_id)),
        } for p in passages]
        rec["baseline"] = {"citations": bcit, "scores": _score_spans(bcit, golds, ks, item.answerable),
                           "latency_ms": b_latency}

    rec["failures"] = _failures(rec, ks)
    return rec


def _num(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _failures(rec: dict, ks: Sequence[int]) -> list[str]:
    """Why an item failed (empty when it passed): recall@5 miss, wrong/missed abstention, wrong speaker, ..."""
    out = []
    s = rec["scores"]
    n = s["n_citations"]
    kf = 5 if 5 in ks else max(ks)
    if rec["error"]:
        out.append("error: " + rec["error"].splitlines()[0])
    if rec["answerable"]:
        if n == 0:
            out.append("wrong abstention (answerable, no citation)")
        elif s[f"recall@{kf}"] is not None and s[f"recall@{kf}"] < 1.0:
            got = round(s[f"recall@{kf}"] * len(rec["gold_quotes"]))
            out.append(f"recall@{kf} miss ({got} of {len(rec['gold_quotes'])} gold quotes found)")
        if s["speaker_accuracy"] is not None and s["speaker_accuracy"] < 1.0:
            out.append(f"wrong speaker ({s['speaker_correct']} of {n} citations by {rec['speaker']})")
    elif n > 0:
        out.append(f"missed abstention (unanswerable, {n} citations)")
    a = rec.get("answer")
    if a is not None and a["abstained"] != (n == 0):
        out.append(f"abstained flag {str(a['abstained']).lower()} disagrees with {n} citations")
    if s["n_valid"] < n:
        out.append(f"invalid citation ({n - s['n_valid']} of {n} not verbatim at their offsets)")
    if rec["unlocated"]:
        out.append(f"{len(rec['unlocated'])} gold quote(s) not found in the stored article text")
    return out


def _mean(xs: Iterable[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return sum(vals) / len(vals) if vals else None


def summarise(rows: Sequence[dict], ks: Sequence[int], system: str = "assistant") -> dict:
    """Aggregate item records (from :func:`run_item`) into one group's metrics for ``system``.

    ``system`` is ``assistant`` or ``baseline``. Rates are in [0, 1] or
    ``None`` when not applicable (no answerable items, no citations, ...);
    latencies in milliseconds.
    """
    if system == "baseline":
        rows = [r for r in rows if "baseline" in r]
        scores = [r["baseline"]["scores"] for r in rows]
        lat = [r["baseline"]["latency_ms"] for r in rows]
    else:
        scores = [r["scores"] for r in rows]
        lat = [r["latency_ms"] for r in rows if r["latency_ms"] is not None]
    pairs = list(zip(rows, scores, strict=True))
    ans = [(r, s) for r, s in pairs if r["answerable"]]
    out: dict[str, Any] = {"n_items": len(rows)}
    for k in ks:
        out[f"recall@{k}"] = _mean(s[f"recall@{k}"] for _, s in ans)
    out["mrr"] = _mean(s["rr"] for _, s in ans)
    if system == "baseline":
        out["speaker_accuracy"] = None
        out["resolved_speaker"] = None
    else:
        n_cit = sum(s["n_citations"] for r, s in ans if r["speaker"])
        out["speaker_accuracy"] = sum(s["speaker_correct"] for r, s in ans if r["speaker"]) / n_cit if n_cit else None
        spk = [s["answer_speaker_ok"] for r, s in ans if r["speaker"]]
        out["resolved_speaker"] = sum(spk) / len(spk) if spk else None
    n_all = sum(s["n_citations"] for s in scores)
    out["citation_validity"] = sum(s["n_valid"] for s in scores) / n_all if n_all else None
    out["n_citations"] = n_all
    out.update(abstention_rates([(r["answerable"], s["n_citations"]) for r, s in pairs]))
    out["cited_chars"] = _mean(s["cited_chars"] for _, s in ans if s["n_citations"])
    out["latency_p50_ms"] = percentile(lat, 50)
    out["latency_p95_ms"] = percentile(lat, 95)
    if system == "assistant":
        out["n_errors"] = sum(1 for r in rows if r["error"])
        out["n_failed"] = sum(1 for r in rows if r["failures"])
    return out


def _groups(rows: Sequence[dict], key: str, order: Sequence[str] = ()) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {k: [] for k in order}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return {k: v for k, v in out.items() if v}


def score_rows(rows: Sequence[dict], ks: Sequence[int], baseline: bool) -> dict:
    """``overall``, ``by_corpus`` and ``by_type`` metrics, each ``{"assistant": {...}, "baseline": {...}}``."""
    systems = ["assistant"] + (["baseline"] if baseline else [])

    def both(rs: Sequence[dict]) -> dict:
        return {s: summarise(rs, ks, s) for s in systems}

    return {
        "overall": both(rows),
        "by_corpus": {c: both(rs) for c, rs in _groups(rows, "corpus").items()},
        "by_type": {t: both(rs) for t, rs in _groups(rows, "type", QUESTION_TYPES).items()},
    }


#: Asked once per index before timing, so model loading is not counted as the first item's latency.
WARM_UP_QUESTION = "What did the minister say about the economy?"


def warm_up(assistant: Any, baseline_fn: Callable[[Any, str, int], list[Any]] | None = None) -> float:
    """Ask :data:`WARM_UP_QUESTION` once in a throwaway conversation (and run the baseline once),
    loading lazy models before latencies are measured. Returns the seconds it took; never raises."""
    t0 = time.perf_counter()
    try:
        assistant.chat().ask(WARM_UP_QUESTION)
        if baseline_fn is not None:
            baseline_fn(assistant, WARM_UP_QUESTION, 1)
    except Exception:  # a failing question is reported by the item that asks it
        pass
    return time.perf_counter() - t0


def run_qa(
    items: Sequence[GoldItem],
    assistants: dict[str, Any],
    ks: Sequence[int] = KS,
    baseline: bool = False,
    baseline_fn: Callable[[Any, str, int], list[Any]] | None = None,
    log: Log | None = None,
) -> dict:
    """Run and score ``items`` against ``assistants`` (corpus name -> :class:`Assistant`).

    ``baseline_fn(assistant, question, k) -> [Passage]`` defaults to the
    dense-passage baseline. Each assistant is warmed up first (:func:`warm_up`).
    Returns ``{"ks", "systems", "warm_up_seconds", "overall", "by_corpus", "by_type", "items"}`` (see :func:`score_rows`, :func:`run_item`).
    """
    if baseline and baseline_fn is None:
        baseline_fn = _dense_baseline
    texts = {name: _Texts(a) for name, a in assistants.items()}
    warm = {name: round(warm_up(a, baseline_fn if baseline else None), 2) for name, a in assistants.items()}
    rows = []
    for i, item in enumerate(items, start=1):
        rows.append(run_item(item, assistants[item.corpus_name], texts[item.corpus_name], ks,
                             baseline_fn if baseline else None))
        if log and (i % 10 == 0 or i == len(items)):
            log(f"asked {i}/{len(items)} questions")
    result = {"ks": list(ks), "systems": ["assistant"] + (["baseline"] if baseline else []), "warm_up_seconds": warm}
    result.update(score_rows(rows, ks, baseline))
    result["items"] = rows
    return result


def evaluate(
    gold: str | os.PathLike,
    corpus_dir: str | os.PathLike | None = None,
    k: int = 5,
    baseline: bool = False,
    cache_dir: str | os.PathLike = Path(".eval-cache"),
    limit: int | None = None,
) -> dict:
    """Evaluate the assistant against a gold file; returns a JSON-serialisable dict.

    * ``gold``: Q&A gold (``seed.jsonl``, ``qa-dev.jsonl``) or attribution gold
      (records with ``quotes``, delegated to :mod:`assistant.attribution_eval`).
    * ``corpus_dir``: folder of the corpora; default ``gold/../corpus``.
    * ``k``: the headline recall cut-off (reported with 1, 3, 5 and 10).
    * ``baseline``: also score the dense-passage baseline on the same indexes.
    * ``cache_dir``: per-corpus indexes, reused while corpus, model and schema match.
    * ``limit``: score only the first N gold items (all are validated).

    Q&A result keys: ``kind`` ("qa"), ``gold``, ``corpus_dir``, ``k``, ``ks``,
    ``systems``, ``model``, ``n_items``, ``indexes`` (per corpus: dir, cached,
    seconds, counts), ``overall``/``by_corpus``/``by_type`` (per system: see
    :func:`summarise`), ``items`` (see :func:`run_item`), ``seconds``.

    Raises :class:`GoldError` for a malformed gold file and
    :class:`~assistant.errors.AssistantError` for indexing problems.
    """
    t0 = time.perf_counter()
    gold = Path(gold)
    records = read_jsonl(gold)
    cdir = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir(gold)
    if gold_kind(records) == "attribution":
        try:
            from .attribution_eval import evaluate_attribution
        except ImportError as e:
            raise AssistantError(f"{gold}: attribution gold needs assistant.attribution_eval, which is not available ({e})") from e
        try:
            result = dict(evaluate_attribution(gold, cdir, limit=limit))
        except (OSError, ValueError, KeyError) as e:  # a missing corpus, a bad record
            raise GoldError(f"{gold}: attribution evaluation failed: {type(e).__name__}: {e}") from e
        result["kind"] = "attribution"
        result.setdefault("gold", str(gold))
        return result
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    items, corpora = load_qa_gold(gold, cdir)
    if limit is not None:
        items = items[: max(0, limit)]
    used = {i.corpus_name for i in items}
    assistants: dict[str, Any] = {}
    indexes: dict[str, dict] = {}
    for name in sorted(used):
        assistants[name], indexes[name] = open_corpus_index(corpora[name], Path(cache_dir))
    ks = tuple(sorted(set(KS) | {k}))
    from .settings import Settings

    result: dict[str, Any] = {
        "kind": "qa", "gold": str(gold), "corpus_dir": str(cdir), "k": k, "model": Settings().model,
        "n_items": len(items), "indexes": indexes,
    }
    result.update(run_qa(items, assistants, ks, baseline, log=_stderr))
    result["seconds"] = round(time.perf_counter() - t0, 2)
    return result


# ---------------------------------------------------------------------------
# Output: compact table and report
# ---------------------------------------------------------------------------


def _f(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0f}"


def _headline_rows(result: dict) -> list[tuple[str, str, str]]:
    """``(label, assistant, baseline)`` rows of the headline table."""
    o = result["overall"]
    a, b = o["assistant"], o.get("baseline")

    def bv(key: str, fmt: Callable[[Any], str] = _f) -> str:
        return fmt(b[key]) if b else "-"

    rows = [(f"quote recall@{k}", _f(a[f"recall@{k}"]), bv(f"recall@{k}")) for k in result["ks"]]
    rows += [
        ("MRR (first gold quote)", _f(a["mrr"]), bv("mrr")),
        ("speaker accuracy", _f(a["speaker_accuracy"]), "n/a" if b else "-"),
        ("resolved speaker", _f(a["resolved_speaker"]), "n/a" if b else "-"),
        ("citation validity", _f(a["citation_validity"]), bv("citation_validity")),
        (f"abstention (n={a['n_unanswerable']})", _f(a["abstention"]), bv("abstention")),
        (f"false abstention (n={a['n_answerable']})", _f(a["false_abstention"]), bv("false_abstention")),
        (f"cited chars (top {CITED_CHARS_K})", _f(a["cited_chars"], 0), bv("cited_chars", lambda x: _f(x, 0))),
        ("latency p50 / p95 (ms)", f"{_ms(a['latency_p50_ms'])} / {_ms(a['latency_p95_ms'])}",
         f"{_ms(b['latency_p50_ms'])} / {_ms(b['latency_p95_ms'])}" if b else "-"),
    ]
    return rows


def _group_rows(result: dict, group: str) -> list[list[str]]:
    hk = 5 if 5 in result["ks"] else result["k"]
    out = []
    for name, g in result[group].items():
        a, b = g["assistant"], g.get("baseline")
        out.append([
            name, str(a["n_items"]),
            _f(a[f"recall@{hk}"]), _f(b[f"recall@{hk}"]) if b else "-",
            _f(a["mrr"]), _f(b["mrr"]) if b else "-",
            _f(a["speaker_accuracy"]), _f(a["abstention"]), _f(a["false_abstention"]),
            _ms(a["latency_p50_ms"]),
        ])
    return out


def _group_header(result: dict) -> list[str]:
    hk = 5 if 5 in result["ks"] else result["k"]
    return ["", "n", f"R@{hk} asst", f"R@{hk} base", "MRR asst", "MRR base", "speaker", "abstain", "false abst", "p50 ms"]


def _text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        lines.append("  ".join(str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r)))
    return "\n".join(lines)


def _title(result: dict) -> str:
    a = result["overall"]["assistant"]
    names = ", ".join(
        f"{c} ({info.get('counts', {}).get('articles', '?')} articles{', cached' if info.get('cached') else ''})"
        for c, info in result.get("indexes", {}).items()
    )
    return (
        f"Q&A evaluation of {Path(result['gold']).name}: {result['n_items']} items "
        f"({a['n_answerable']} answerable, {a['n_unanswerable']} unanswerable); corpora: {names}; "
        f"model {result.get('model', '?')}; {result.get('seconds', 0):.1f} s"
    )


def format_result(result: dict) -> str:
    """A compact, printable summary: headline table with assistant and baseline side by side,
    then per corpus and per question type. Attribution results are formatted by
    :func:`assistant.attribution_eval.format_attribution_report`."""
    if result.get("kind") == "attribution":
        from .attribution_eval import format_attribution_report

        return format_attribution_report(result)
    parts = [_title(result), ""]
    parts.append(_text_table(["", "assistant", "baseline"], [list(r) for r in _headline_rows(result)]))
    parts += ["", "by corpus:", _text_table(_group_header(result), _group_rows(result, "by_corpus"))]
    parts += ["", "by question type:", _text_table(_group_header(result), _group_rows(result, "by_type"))]
    a = result["overall"]["assistant"]
    parts += ["", f"{a['n_failed']} of {a['n_items']} items failed (see the report); {a['n_errors']} raised errors"]
    return "\n".join(parts)


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    esc = [[str(c).replace("|", "\\|") for c in r] for r in [header, *rows]]
    lines = ["| " + " | ".join(esc[0]) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in esc[1:]]
    return "\n".join(lines)


def _plot_recall(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    ks = [k for k in result["ks"] if k in KS] or result["ks"]
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    styles = {"assistant": ("#1f77b4", "o"), "baseline": ("#ff7f0e", "s")}
    for system in result["systems"]:
        m = result["overall"][system]
        ys = [m[f"recall@{k}"] for k in ks]
        xs = [x for x, y in zip(ks, ys, strict=True) if y is not None]
        ys = [y for y in ys if y is not None]
        color, marker = styles.get(system, ("gray", "^"))
        label = f"{system} (MRR {_f(m['mrr'])})"
        ax.plot(xs, ys, marker=marker, color=color, label=label, linewidth=2)
        for x, y in zip(xs, ys, strict=True):
            dy = 7 if system == "assistant" else -13  # assistant labels above, baseline below: no overlap
            ax.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(0, dy), ha="center", fontsize=8,
                        color=color)
    ax.set_xscale("log")
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(ks)
    ax.set_xticklabels([str(k) for k in ks])
    ax.set_ylim(0, 1.08)
    ax.set_xlabel("k (citations considered)")
    ax.set_ylabel("quote recall@k")
    n = result["overall"]["assistant"]["n_answerable"]
    ax.set_title(f"Quote recall@k, {Path(result['gold']).name} ({n} answerable items)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _plot_types(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    hk = 5 if 5 in result["ks"] else result["k"]
    types = list(result["by_type"])
    series: list[tuple[str, Callable[[dict], float | None], str]] = [
        (f"assistant recall@{hk}", lambda g: g["assistant"][f"recall@{hk}"], "#1f77b4"),
    ]
    if "baseline" in result["systems"]:
        series.append((f"baseline recall@{hk}", lambda g: g["baseline"][f"recall@{hk}"], "#ff7f0e"))
    series.append(("assistant MRR", lambda g: g["assistant"]["mrr"], "#aec7e8"))
    if "baseline" in result["systems"]:
        series.append(("baseline MRR", lambda g: g["baseline"]["mrr"], "#ffbb78"))
    series.append(("speaker accuracy", lambda g: g["assistant"]["speaker_accuracy"], "#2ca02c"))

    def decision(g: dict) -> float | None:
        a = g["assistant"]
        if a["n_answerable"] == 0:
            return a["abstention"]
        return None if a["false_abstention"] is None else 1.0 - a["false_abstention"]

    series.append(("right answer/abstain call", decision, "#9467bd"))
    fig, ax = plt.subplots(figsize=(max(7.0, 1.6 * len(types) + 2), 4.6), dpi=110)
    width = 0.8 / len(series)
    for j, (label, get, color) in enumerate(series):
        for i, t in enumerate(types):
            v = get(result["by_type"][t])
            x = i - 0.4 + width * (j + 0.5)
            if v is None:
                continue
            ax.bar(x, v, width, color=color, label=label if i == next(
                (ii for ii, tt in enumerate(types) if get(result["by_type"][tt]) is not None), -1) else None)
            ax.text(x, v + 0.01, f"{v:.2f}", ha="center", va="bottom", fontsize=6, rotation=90)
    ax.set_xticks(range(len(types)))
    ax.set_xticklabels([f"{t}\n(n={result['by_type'][t]['assistant']['n_items']})" for t in types])
    ax.set_ylim(0, 1.18)
    ax.set_ylabel("score")
    ax.set_title(f"Metrics by question type, {Path(result['gold']).name}")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.16))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _quote_md(text: str, limit: int = 400) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 3] + "..."


def _failed_item_md(r: dict) -> list[str]:
    s = r["scores"]
    lines = [f"### {r['id']} ({r['type']}, {r['corpus']}, gold line {r['line']})", ""]
    lines.append("- **failed:** " + "; ".join(r["failures"]))
    if r["history"]:
        lines.append("- **history:** " + " → ".join(f"“{h}”" for h in r["history"]))
    lines.append(f"- **question:** “{r['question']}”")
    lines.append(f"- **expected speaker:** {r['speaker'] or '(any)'}; answerable: {str(r['answerable']).lower()}")
    for i, q in enumerate(r["gold_quotes"]):
        lines.append(f"  - gold quote {i + 1}: “{_quote_md(q)}”")
    a = r["answer"]
    if a is None:
        lines.append("- **came back:** nothing (the question raised an error)")
        lines += ["", "```", (r["error"] or "").strip(), "```"]
    else:
        lines.append(
            f"- **came back:** speaker {a['speaker'] or '(none)'}, abstained {str(a['abstained']).lower()}, "
            f"type {a['question_type'] or '?'}, {len(a['citations'])} citations, "
            f"recall@5 {_f(s.get('recall@5'))}, RR {_f(s['rr'])}, latency {_ms(r['latency_ms'])} ms"
        )
        lines += ["", "  > " + _quote_md(a["text"], 700).replace("\n", " "), ""]
        for i, c in enumerate(a["citations"], start=1):
            found = f" finds gold {', '.join(str(j + 1) for j in c['finds'])}" if c.get("finds") else ""
            bad = "" if c["valid"] else " **INVALID SPAN**"
            lines.append(
                f"  {i}. [{c['article_id']} {c['start']}:{c['end']}] ({c['kind']}, {c['speaker'] or 'no speaker'}"
                f"{', ' + c['cue'] if c.get('cue') else ''}){found}{bad}: “{_quote_md(c['text'], 300)}”"
            )
    b = r.get("baseline")
    if b:
        hits = [str(i) for i, c in enumerate(b["citations"], start=1) if c.get("finds")]
        lines.append(
            f"- **baseline:** recall@5 {_f(b['scores'].get('recall@5'))}, RR {_f(b['scores']['rr'])}"
            + (f" (gold found at ranks {', '.join(hits)})" if hits else "")
        )
    if r["unlocated"]:
        lines.append("- gold quotes not found in the stored article text: " + "; ".join(f"“{_quote_md(q, 120)}”" for q in r["unlocated"]))
    lines.append("")
    return lines


def write_report(result: dict, report_dir: str | os.PathLike) -> Path:
    """Write ``report.md`` (headline figures of both systems first, the charts, per-corpus and
    per-type tables, then every failed item) and the PNG charts ``recall_at_k.png`` and
    ``by_type.png`` into ``report_dir`` (created). Returns the path of ``report.md``.

    Attribution results get a ``report.md`` with their formatted report.
    """
    out = Path(report_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.md"
    if result.get("kind") == "attribution":
        path.write_text(f"# Attribution evaluation: {Path(str(result.get('gold', ''))).name}\n\n```\n"
                        f"{format_result(result)}\n```\n", encoding="utf-8")
        return path
    _plot_recall(result, out / "recall_at_k.png")
    _plot_types(result, out / "by_type.png")
    a = result["overall"]["assistant"]
    md = [f"# Q&A evaluation: {Path(result['gold']).name}", "", _title(result), "",
          "## Headline: assistant vs baseline", ""]
    md.append(_md_table(["metric", "assistant", "baseline"], [list(r) for r in _headline_rows(result)]))
    md += ["", "![recall@k, assistant vs baseline](recall_at_k.png)", "",
           "![metrics by question type](by_type.png)", ""]
    md += [
        "Definitions: a gold quote is found when one of the first k citations is from its article and covers at "
        "least half its characters; recall@k and MRR are means over answerable items; speaker accuracy is the "
        "share of citations (answerable items) whose speaker is the gold speaker, alias-aware; resolved speaker "
        "is the share of answerable items whose answer names the gold speaker; abstention is over unanswerable "
        "items, false abstention over answerable ones. The baseline cites whole dense-retrieved passages for the "
        "question alone (no history): it never abstains and names no speaker; its long spans make coverage "
        "easier, see cited chars.", "",
    ]
    md += ["## By corpus", "", _md_table(_group_header(result), _group_rows(result, "by_corpus")), ""]
    md += ["## By question type", "", _md_table(_group_header(result), _group_rows(result, "by_type")), ""]
    md += ["## Question type: gold (inferred) vs the assistant's analysis", ""]
    pairs: dict[tuple[str, str], int] = {}
    for r in result["items"]:
        got = (r["answer"] or {}).get("question_type") or "(error)"
        pairs[(r["type"], got)] = pairs.get((r["type"], got), 0) + 1
    md.append(_md_table(["gold type", "Answer.question_type", "items"],
                        [[g, a, str(n)] for (g, a), n in sorted(pairs.items())]))
    md += ["", "## Indexes", ""]
    for c, info in result.get("indexes", {}).items():
        counts = ", ".join(f"{v} {k}" for k, v in info.get("counts", {}).items())
        md.append(f"- {c}: `{info['dir']}` ({'cached' if info['cached'] else 'built'} in {info['seconds']} s; {counts})")
        md += [f"  - skipped while indexing: {p}" for p in info.get("problems", [])]
    failed = [r for r in result["items"] if r["failures"]]
    md += ["", f"## Failed items ({len(failed)} of {a['n_items']})", ""]
    if not failed:
        md.append("None.")
    for r in failed:
        md += _failed_item_md(r)
    path.write_text("\n".join(md) + "\n", encoding="utf-8")
    return path
