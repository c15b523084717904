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

Groups: ``overall``, ``by_corpus``, ``by_type`` (``speaker-topic``,
``who-said``, ``speaker-only``, ``follow-up``, ``unanswerable``, see
:func:`question_type`). With ``baseline=True`` a naive baseline is scored on
the same indexes: the top dense passages for the question alone (no history);
it never abstains and has no speaker.

Attribution gold (records with ``quotes``) is delegated to
:mod:`assistant.attribution_eval`; its result carries ``kind: attribution``.

Errors: :class:`~assistant.errors.GoldError` naming the file and line for a
malformed gold file (bad JSON, missing or mistyped fields, duplicate ids,
unknown corpus or article id, a gold quote not in its articles).

Modules: :mod:`.gold` (reading and validating gold, question types), :mod:`.cache`
(per-corpus indexes and their cache key), :mod:`.run` (asking the items, :func:`evaluate`),
:mod:`.scores` (metrics per item and per group), :mod:`.report` (table, charts, report.md).
"""

from __future__ import annotations

from .cache import (
    CACHE_KEEP,
    PACKAGE_ROOT,
    QUERY_TIME_MODULES,
    Log,
    corpus_key,
    open_corpus_index,
    pipeline_fingerprint,
    source_fingerprint,
)
from .gold import (
    ARTICLE_SUFFIXES,
    QUESTION_TYPES,
    CorpusSpec,
    GoldItem,
    corpus_texts,
    default_corpus_dir,
    gold_kind,
    load_qa_gold,
    question_type,
    read_jsonl,
)
from .report import format_result, write_report
from .run import WARM_UP_QUESTION, _Texts, evaluate, run_item, run_qa, warm_up
from .scores import CITED_CHARS_K, KS, score_rows, summarise

__all__ = [
    "ARTICLE_SUFFIXES", "CACHE_KEEP", "CITED_CHARS_K", "KS", "PACKAGE_ROOT", "QUERY_TIME_MODULES", "QUESTION_TYPES",
    "WARM_UP_QUESTION", "CorpusSpec", "GoldItem", "Log", "_Texts", "corpus_key", "corpus_texts", "default_corpus_dir",
    "evaluate", "format_result", "gold_kind", "load_qa_gold", "open_corpus_index", "pipeline_fingerprint",
    "question_type", "read_jsonl", "run_item", "run_qa", "score_rows", "source_fingerprint", "summarise", "warm_up",
    "write_report",
]
