"""Scoring answers against gold: per-item spans and failures, per-group metrics (:func:`summarise`, :func:`score_rows`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..metrics import abstention_rates, covers, percentile, recall_at_k, reciprocal_rank
from .gold import QUESTION_TYPES

#: The cut-offs of quote recall@k always reported.
KS = (1, 3, 5, 10)
#: Citations counted for the "cited characters" figure.
CITED_CHARS_K = 5


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

