"""Fit the ranking weights and the citation threshold, with leave-one-corpus-out validation.

    python benchmarks/calibrate.py [--cache-dir .eval-cache] [--json reports/calibration.json]

1. **Collect.** For every question of ``../shared/gold/qa-dev.jsonl`` (koreaherald-2020,
   ggt-2019) and ``qa-dev2.jsonl`` (bbc-2005, polnear-2016) the assistant answers as in
   ``assistant eval`` with tracing on: each ranked question keeps its candidates, their
   features (:mod:`assistant.evidence`) and a label (the candidate's span covers at least
   half of a gold quote, the scorer's rule). Questions answered without ranking (a speaker
   with no quote, "What did X say?") keep their actual citations: no weight changes them.
2. **Fit.** Logistic regression (scikit-learn, L2, C=``--C``) on standardised features,
   folded back into raw weights; the citation threshold is chosen on the same training
   questions as the value maximising ``recall@5 + w * abstention - false abstention``
   (``--abstention-weight`` w, 0.5 by default: at 1.0 the held-out false abstention rose to
   0.24 on polnear-2016 and 0.08 on ggt-2019, for abstention 0.80 / 0.83 instead of 0.60 / 0.50)
   over a grid (each term a rate over that fold's questions).
3. **Leave one corpus out.** For each of the four corpora: fit on the other three, replay
   the policy (:mod:`assistant.ranking`: rank, cite those at or above the threshold, at most
   five) on the held-out one, and score recall@5, abstention and false abstention there.
   Then fit on all four: those are the values to put in
   :class:`assistant.settings.RankingSettings` (printed at the end).

The seed questions (``seed.jsonl``) are scored with the final values as a check, never fitted on.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
GOLDS = ("qa-dev.jsonl", "qa-dev2.jsonl")
CORPORA = ("koreaherald-2020", "ggt-2019", "bbc-2005", "polnear-2016")
K = 5


def collect(gold_file: Path, cache_dir: Path) -> list[dict]:
    """One record per gold item: ``corpus``, ``answerable``, ``n_gold``, and either ``cands`` (a list of
    ``(features, finds, order, speaker_id, speaker_ok)``) with ``path`` or ``fixed`` (gold indexes
    found by the actual answer's first K citations)."""
    from assistant.evaluation import _Texts, load_qa_gold, open_corpus_index
    from assistant.metrics import covers, locate_all, same_speaker

    items, specs = load_qa_gold(gold_file)
    out = []
    for name, spec in specs.items():
        assistant, _ = open_corpus_index(spec, cache_dir)
        texts = _Texts(assistant)
        for item in (i for i in items if i.corpus_name == name):
            golds = []
            for g in item.gold_quotes:
                golds.append([(aid, s, e) for aid in item.articles if (t := texts.get(aid)) is not None
                              for s, e in locate_all(g, t)])
            conv = assistant.chat()
            for turn in item.history:
                conv.ask(turn)
            assistant.answerer.trace = []
            answer = conv.ask(item.question)
            trace, assistant.answerer.trace = assistant.answerer.trace, None
            rec = {"id": item.id, "corpus": name, "answerable": item.answerable, "n_gold": len(golds)}
            if trace:
                t = trace[-1]
                rec["path"] = t["path"]
                rec["cands"] = [
                    (c.vector(), [i for i, g in enumerate(golds)
                                  if covers((c.quote.article_id, c.quote.start, c.quote.end), g)],
                     c.order, c.speaker_id, same_speaker(c.quote.speaker, item.speaker))
                    for c in t["candidates"]]
            else:
                cited = [(c.article_id, c.start, c.end) for c in answer.citations[:K]]
                rec["fixed"] = sorted({i for i, g in enumerate(golds) for c in cited if covers(c, g)})
                rec["fixed_n"] = len(answer.citations)
                rec["fixed_spk"] = [same_speaker(c.speaker, item.speaker) for c in answer.citations]
            out.append(rec)
            print(f"  {item.id}: {len(rec.get('cands', []))} candidates", file=sys.stderr)
    return out


def ranked(rec: dict, weights: np.ndarray, bias: float) -> list:
    """The record's candidates scored with these values and sorted, as the answerer ranks them
    (:func:`assistant.ranking.rescore`); a candidate's ``order`` (its place in retrieval order, unique
    in the record) identifies it. Candidates carry no quote: the policy reads only features, scores,
    speaker ids and order."""
    from assistant.evidence import Candidate
    from assistant.ranking import rescore
    from assistant.settings import FEATURES

    cands = [Candidate(None, sid, None, features=dict(zip(FEATURES, vec, strict=True)), order=order)
             for vec, _finds, order, sid, _ok in rec.get("cands", [])]
    return rescore(cands, list(weights), bias)


def replay(rec: dict, cands: list, threshold: float) -> tuple[list[int], int, list[bool]]:
    """(gold indexes found in the first K citations, number cited, speaker-correct flags) when the
    answerer's policy (:func:`assistant.ranking.choose`, the settings' other values) cites from ``cands``
    (:func:`ranked`) at this threshold."""
    from dataclasses import replace

    from assistant.ranking import choose
    from assistant.settings import Settings

    if "fixed" in rec:
        return rec["fixed"], rec["fixed_n"], rec["fixed_spk"]
    by_order = {c[2]: c for c in rec["cands"]}
    chosen = [by_order[c.order] for c in choose(cands, replace(Settings().ranking, cite_threshold=threshold),
                                                 rec["path"])]
    return sorted({g for c in chosen for g in c[1]}), len(chosen), [c[4] for c in chosen]


def score(recs: list[dict], rankings: list[list], threshold: float) -> dict:
    """recall@K (over answerable questions' gold quotes, averaged per question), abstention, false
    abstention, speaker accuracy of the citations; ``rankings[i]`` is :func:`ranked` of ``recs[i]``."""
    rec_k, abst, fabst, spk = [], [], [], []
    for r, cands in zip(recs, rankings, strict=True):
        found, n, spk_ok = replay(r, cands, threshold)
        spk += spk_ok
        if r["answerable"]:
            rec_k.append(len(found) / r["n_gold"] if r["n_gold"] else 0.0)
            fabst.append(n == 0)
        else:
            abst.append(n == 0)

    def mean(xs):
        return (float(np.mean(xs)) if xs else float("nan"))
    return {"recall@5": mean(rec_k), "abstention": mean(abst), "false_abstention": mean(fabst),
            "speaker_accuracy": mean(spk), "questions": len(recs)}


def fit(recs: list[dict], C: float, abstention_weight: float = 0.5) -> tuple[np.ndarray, float, float]:
    """(weights, bias, threshold) fitted on ``recs``; the threshold maximises
    ``recall@5 + abstention_weight * abstention - false abstention``."""
    from sklearn.linear_model import LogisticRegression

    X, y = [], []
    for r in recs:
        for feats, finds, *_ in r.get("cands", []):
            X.append(feats)
            y.append(1 if finds else 0)
    X, y = np.array(X, dtype=float), np.array(y)
    mu, sd = X.mean(axis=0), X.std(axis=0)
    sd[sd == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000).fit((X - mu) / sd, y)
    w = model.coef_[0] / sd
    b = float(model.intercept_[0] - (model.coef_[0] * mu / sd).sum())
    rankings = [ranked(r, w, b) for r in recs]
    best = None
    for t in np.concatenate([np.linspace(0.01, 0.2, 39), np.linspace(0.22, 0.9, 35)]):
        s = score(recs, rankings, float(t))
        obj = s["recall@5"] + abstention_weight * s["abstention"] - s["false_abstention"]
        if best is None or obj > best[0] + 1e-9:
            best = (obj, float(t))
    return w, b, best[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache-dir", type=Path, default=REPO / ".eval-cache")
    ap.add_argument("--json", type=Path, default=None, help="write the collected records and the figures here")
    ap.add_argument("--records", type=Path, default=None, help="reuse records written by an earlier --json run")
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 strength of the logistic regression")
    ap.add_argument("--abstention-weight", type=float, default=0.5,
                    help="weight of the abstention rate against recall@5 when the threshold is chosen")
    args = ap.parse_args()
    if not (SHARED / "gold").is_dir():
        print(f"skipped: {SHARED}/gold is absent (the dev gold and corpora live in ../shared)")
        return
    from assistant.settings import FEATURES

    if args.records:
        recs = json.loads(args.records.read_text())["records"]
    else:
        recs = [r for g in GOLDS for r in collect(SHARED / "gold" / g, args.cache_dir)]
    by_corpus = defaultdict(list)
    for r in recs:
        by_corpus[r["corpus"]].append(r)
    rows = {}
    print(f"\nleave-one-corpus-out (fit on three corpora, scored on the fourth); C={args.C}")
    print(f"{'held out':18} {'questions':>9} {'recall@5':>9} {'abstain':>8} {'false abst':>10} {'spk acc':>8} {'threshold':>9}")
    for held in CORPORA:
        train = [r for c in CORPORA if c != held for r in by_corpus[c]]
        w, b, t = fit(train, args.C, args.abstention_weight)
        s = score(by_corpus[held], [ranked(r, w, b) for r in by_corpus[held]], t)
        rows[held] = {**s, "threshold": t}
        print(f"{held:18} {s['questions']:9d} {s['recall@5']:9.3f} {s['abstention']:8.3f} "
              f"{s['false_abstention']:10.3f} {s['speaker_accuracy']:8.3f} {t:9.3f}")
    allrecs = [r for c in CORPORA for r in by_corpus[c]]
    w, b, t = fit(allrecs, args.C, args.abstention_weight)
    s = score(allrecs, [ranked(r, w, b) for r in allrecs], t)
    print(f"\nfitted on all four (in-sample, for reference only): recall@5 {s['recall@5']:.3f}, abstention "
          f"{s['abstention']:.3f}, false abstention {s['false_abstention']:.3f}, threshold {t:.3f}")
    print("\nRankingSettings values:")
    print("    weights: tuple[float, ...] = (" + ", ".join(f"{x:.4g}" for x in w) + ")")
    print(f"    bias: float = {b:.4g}")
    print(f"    cite_threshold: float = {t:.3f}")
    print("  " + ", ".join(f"{n}={x:+.3g}" for n, x in zip(FEATURES, w)))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"loco": rows, "weights": list(w), "bias": b, "threshold": t,
                                         "features": list(FEATURES), "records": recs}))


if __name__ == "__main__":
    main()
