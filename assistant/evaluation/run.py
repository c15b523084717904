"""Running the gold items: replay each conversation, ask, time and score (:func:`run_item`, :func:`run_qa`),
and the whole evaluation of a gold file (:func:`evaluate`)."""

from __future__ import annotations

import math
import os
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import AssistantError, GoldError
from ..metrics import citation_valid, locate_all, same_speaker, speaker_accuracy
from .cache import Log, _stderr, open_corpus_index
from .gold import GoldItem, default_corpus_dir, gold_kind, load_qa_gold, read_jsonl
from .scores import KS, _failures, _score_spans, score_rows


def _dense_baseline(assistant: Any, question: str, k: int) -> list[Any]:
    from ..retrieve import Retriever

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


def _gold_spans(item: GoldItem, texts: _Texts) -> tuple[list[list[tuple[str, int, int]]], list[str]]:
    """Where each gold quote stands in the stored article texts (``(article_id, start, end)`` per place),
    and the gold quotes found nowhere."""
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
    return golds, unlocated


def _run_baseline(
    rec: dict,
    item: GoldItem,
    assistant: Any,
    texts: _Texts,
    ks: Sequence[int],
    baseline_fn: Callable[[Any, str, int], list[Any]],
    golds: list[list[tuple[str, int, int]]],
) -> dict:
    """The baseline's record for ``item`` (``citations``, ``scores``, ``latency_ms``); an error it raises
    is appended to ``rec["error"]`` and scored as no citation."""
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
    return {"citations": bcit, "scores": _score_spans(bcit, golds, ks, item.answerable), "latency_ms": b_latency}


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
    golds, unlocated = _gold_spans(item, texts)
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
        rec["baseline"] = _run_baseline(rec, item, assistant, texts, ks, baseline_fn, golds)

    rec["failures"] = _failures(rec, ks)
    return rec


def _num(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


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
    model: str | None = None,
) -> dict:
    """Evaluate the assistant against a gold file; returns a JSON-serialisable dict.

    * ``gold``: Q&A gold (``seed.jsonl``, ``qa-dev.jsonl``) or attribution gold
      (records with ``quotes``, delegated to :mod:`assistant.attribution_eval`).
    * ``corpus_dir``: folder of the corpora; default ``gold/../corpus``.
    * ``k``: the headline recall cut-off (reported with 1, 3, 5 and 10).
    * ``baseline``: also score the dense-passage baseline on the same indexes.
    * ``cache_dir``: per-corpus indexes, reused while corpus, model and schema match.
    * ``limit``: score only the first N gold items (all are validated).
    * ``model``: the embedding model to build and open the indexes with (default: the settings' one).

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
            from ..attribution_eval import evaluate_attribution
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
        assistants[name], indexes[name] = open_corpus_index(corpora[name], Path(cache_dir), model=model)
    ks = tuple(sorted(set(KS) | {k}))
    from ..settings import Settings

    result: dict[str, Any] = {
        "kind": "qa", "gold": str(gold), "corpus_dir": str(cdir), "k": k, "model": model or Settings().model,
        "n_items": len(items), "indexes": indexes,
    }
    result.update(run_qa(items, assistants, ks, baseline, log=_stderr))
    result["seconds"] = round(time.perf_counter() - t0, 2)
    return result

