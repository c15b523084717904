"""Score quote extraction and speaker attribution against the attribution gold.

Follows ``shared/gold/README.md``: a predicted quote matches a gold one when
their spans overlap by at least 30% (lenient) or 80% (strict) of the longer
span (:func:`assistant.metrics.match_spans`, one-to-one, greedy by overlap);
precision/recall/F1 from the match counts; speaker accuracy on the pairs
matched at 0.3.

Speaker check: where the gold gives ``speaker_name`` (Gender Gap Tracker) the
predicted canonical speaker must match it alias-aware (same full name, same
family/last name, or one one-word name contained in the other).  Where it is
null (PolNeAR) the predicted mention or the resolved speaker must match the
gold mention the same way (a pronoun matches the same pronoun).

Usage::

    python -m assistant.attribution_eval ../shared/gold/attribution/ggt.jsonl \
        ../shared/corpus [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .attribution import extract_quotes_doc
from .kinds import QuoteKind
from .metrics import match_spans, prf
from .models import Quote
from .nlp import load_nlp
from .nlp import pipe as safe_pipe
from .speakers import names_match, split_title

_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that"}


def load_corpus(corpus_dir: str | Path, ids: Iterable[str] | None = None) -> dict[str, dict]:
    """Read every ``*.jsonl`` under ``corpus_dir``; return ``{id: record}``.

    When ``ids`` is given only those records are kept.
    """
    wanted = set(ids) if ids is not None else None
    out: dict[str, dict] = {}
    for path in sorted(Path(corpus_dir).glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if wanted is not None and not any(w in line[:300] for w in wanted):
                    # cheap prefilter on the id near the start of the record
                    continue
                rec = json.loads(line)
                if wanted is None or rec.get("id") in wanted:
                    out[rec["id"]] = rec
    return out


def _norm(s: str | None) -> str:
    return " ".join((s or "").replace("’", "'").split()).strip().lower()


def speaker_correct(pred: Quote, gold: dict) -> bool:
    """Alias-aware speaker check for one matched pair (see module doc)."""
    gname = gold.get("speaker_name")
    if gname:
        if not pred.speaker:
            return False
        if names_match(pred.speaker, gname):
            return True
        # organisations: word containment either way
        p, g = _norm(pred.speaker), _norm(gname)
        return bool(p) and (p in g or g in p)
    gm = _norm(gold.get("speaker"))
    if not gm:
        return not pred.mention and not pred.speaker
    for cand in (pred.mention, pred.speaker):
        c = _norm(cand)
        if not c:
            continue
        if c == gm:
            return True
        if gm in _PRONOUNS or c in _PRONOUNS:
            continue
        if names_match(cand or "", gold.get("speaker") or ""):
            return True
        _, gn = split_title(gold.get("speaker") or "")
        _, cn = split_title(cand or "")
        if gn and cn and names_match(cn, gn):
            return True
        if c in gm or gm in c:
            return True
    return False


def evaluate_attribution(
    gold_path: str | Path,
    corpus_dir: str | Path,
    limit: int | None = None,
    nlp: Any = None,
    batch_size: int = 16,
) -> dict:
    """Run extraction on the gold articles and score it.

    Returns a dict with ``n_articles``, ``n_gold``, ``n_pred``, ``at_0.3`` and
    ``at_0.8`` (each ``{"precision", "recall", "f1", "matched"}``),
    ``speaker_accuracy`` (on pairs matched at 0.3) and ``speaker_n``,
    ``by_kind`` (recall at 0.3 of direct / indirect gold quotes),
    ``worst_articles`` (the 10 articles with most gold quotes missed:
    ``(article_id, missed, n_gold)``), ``sample_misses`` (gold quotes not
    matched, up to 20), ``sample_false`` (predictions not matched, up to 20),
    ``sample_wrong_speaker`` (up to 20), and ``parse_seconds`` /
    ``extract_seconds``.  Raises ``FileNotFoundError`` when a path is missing.
    """
    gold_path = Path(gold_path)
    golds = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    if limit is not None:
        golds = golds[:limit]
    corpus = load_corpus(corpus_dir, [g["article_id"] for g in golds])
    golds = [g for g in golds if g["article_id"] in corpus]
    nlp = nlp or load_nlp()
    texts = [corpus[g["article_id"]]["text"] for g in golds]
    t0 = time.perf_counter()
    docs = list(safe_pipe(texts, nlp, batch_size=batch_size))
    t1 = time.perf_counter()
    preds_all = [extract_quotes_doc(d, g["article_id"], text=t) for d, g, t in zip(docs, golds, texts, strict=True)]
    t2 = time.perf_counter()
    tally = _Tally(wrong_limit=int(os.environ.get("ASSISTANT_ATTR_WRONG", "20")))
    for g, preds in zip(golds, preds_all, strict=True):
        tally.add(g["article_id"], g["quotes"], preds)
    result = tally.result()
    result.update({"gold": str(gold_path.name), "n_articles": len(golds), "parse_seconds": t1 - t0,
                   "extract_seconds": t2 - t1})
    return result


@dataclass
class _Tally:
    """Counts and samples of :func:`evaluate_attribution`, article by article."""

    wrong_limit: int = 20
    n_gold: int = 0
    n_pred: int = 0
    matched: dict = field(default_factory=lambda: {0.3: 0, 0.8: 0})
    sp_ok: int = 0
    sp_n: int = 0
    kind_tot: dict = field(default_factory=lambda: {QuoteKind.DIRECT: 0, QuoteKind.INDIRECT: 0})
    kind_hit: dict = field(default_factory=lambda: {QuoteKind.DIRECT: 0, QuoteKind.INDIRECT: 0})
    worst: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    false: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

    def add(self, article_id: str, gq: list[dict], preds: list) -> None:
        """Score one article's predicted quotes ``preds`` against its gold quotes ``gq``."""
        self.n_gold += len(gq)
        self.n_pred += len(preds)
        pspans = [(p.start, p.end) for p in preds]
        gspans = [(q["start"], q["end"]) for q in gq]
        pairs = match_spans(pspans, gspans, 0.3)
        self.matched[0.3] += len(pairs)
        self.matched[0.8] += len(match_spans(pspans, gspans, 0.8))
        hit_g = {j for _, j in pairs}
        hit_p = {i for i, _ in pairs}
        for j, q in enumerate(gq):
            k = QuoteKind.DIRECT if q.get("direct") else QuoteKind.INDIRECT
            self.kind_tot[k] += 1
            if j in hit_g:
                self.kind_hit[k] += 1
            elif len(self.misses) < 20:
                self.misses.append({"article_id": article_id, "speaker": q.get("speaker"),
                                    "cue": q.get("cue"), "text": q["text"][:200]})
        for i, p in enumerate(preds):
            if i not in hit_p and len(self.false) < 20:
                self.false.append({"article_id": article_id, "speaker": p.speaker, "cue": p.cue,
                                   "text": p.text[:200]})
        for i, j in pairs:
            self.sp_n += 1
            if speaker_correct(preds[i], gq[j]):
                self.sp_ok += 1
            elif len(self.wrong) < self.wrong_limit:
                self.wrong.append({"article_id": article_id, "gold": gq[j].get("speaker_name")
                                   or gq[j].get("speaker"), "gold_mention": gq[j].get("speaker"),
                                   "pred": preds[i].speaker, "mention": preds[i].mention,
                                   "text": preds[i].text[:120]})
        self.worst.append((article_id, len(gq) - len(pairs), len(gq)))

    def result(self) -> dict:
        worst = sorted(self.worst, key=lambda t: (-t[1], t[0]))
        result: dict = {
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "speaker_accuracy": self.sp_ok / self.sp_n if self.sp_n else 0.0,
            "speaker_n": self.sp_n,
            "by_kind": {k: (self.kind_hit[k] / self.kind_tot[k] if self.kind_tot[k] else 0.0) for k in self.kind_tot},
            "worst_articles": worst[:10],
            "sample_misses": self.misses,
            "sample_false": self.false,
            "sample_wrong_speaker": self.wrong,
        }
        for th in (0.3, 0.8):
            r = prf(self.matched[th], self.n_pred, self.n_gold)
            r["matched"] = self.matched[th]
            result[f"at_{th}"] = r
        return result


def format_attribution_report(result: dict) -> str:
    """A compact plain-text table of :func:`evaluate_attribution`'s result."""
    lines = [
        f"{result['gold']}: {result['n_articles']} articles, "
        f"{result['n_gold']} gold quotes, {result['n_pred']} predicted",
        f"{'overlap':>8} {'P':>6} {'R':>6} {'F1':>6} {'matched':>8}",
    ]
    for th in (0.3, 0.8):
        r = result[f"at_{th}"]
        lines.append(f"{th:>8} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
                     f"{r['matched']:>8}")
    lines.append(f"speaker accuracy (matched at 0.3): {result['speaker_accuracy']:.3f} "
                 f"on {result['speaker_n']} pairs")
    bk = result.get("by_kind", {})
    lines.append("recall by kind: " + ", ".join(f"{k} {v:.3f}" for k, v in bk.items()))
    lines.append(f"time: parse {result['parse_seconds']:.1f}s, extract "
                 f"{result['extract_seconds']:.1f}s")
    lines.append("worst articles (missed/gold): " + ", ".join(
        f"{a} {m}/{n}" for a, m, n in result["worst_articles"][:5]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI: print the report (and with ``--verbose`` sample errors)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("corpus_dir")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    res = evaluate_attribution(args.gold, args.corpus_dir, args.limit)
    print(format_attribution_report(res))
    if args.verbose:
        for key in ("sample_misses", "sample_false", "sample_wrong_speaker"):
            print(f"\n{key}:")
            for item in res[key]:
                print("  ", json.dumps(item, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
