"""benchmarks/calibrate.py: fitting and replaying the ranking policy on candidate records (synthetic
records with known labels; the real records need the dev corpora and take minutes)."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

from assistant.settings import FEATURES

ROOT = Path(__file__).resolve().parents[1]


def _calibrate():
    spec = importlib.util.spec_from_file_location("calibrate", ROOT / "benchmarks" / "calibrate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _cand(rng: random.Random, gold: bool, order: int) -> list:
    f = dict.fromkeys(FEATURES, 0.0)
    f["spk_attr"] = 1.0
    f["d"] = rng.uniform(0.45, 0.7) if gold else rng.uniform(-0.05, 0.25)
    f["support"] = f["qsup"] = 0.5 if gold else 0.0
    return [[f[n] for n in FEATURES], [0] if gold else [], order, 1, True]


def _records(seed: int) -> list[dict]:
    rng = random.Random(seed)
    recs = []
    for corpus in ("koreaherald-2020", "ggt-2019", "bbc-2005", "polnear-2016"):
        for i in range(12):
            answerable = i % 3 != 0
            cands = [_cand(rng, answerable and j == 0, j) for j in range(6)]
            recs.append({"id": f"{corpus}-{i}", "corpus": corpus, "answerable": answerable,
                         "n_gold": 1 if answerable else 0, "path": "speaker", "cands": cands})
    return recs


def test_fit_separates_what_the_features_separate_and_replays_the_policy():
    cal = _calibrate()
    recs = _records(1)
    train = [r for r in recs if r["corpus"] != "bbc-2005"]
    held = [r for r in recs if r["corpus"] == "bbc-2005"]
    w, b, t = cal.fit(train, 1.0)
    assert w[FEATURES.index("d")] > 0
    s = cal.score(held, [cal.ranked(r, w, b) for r in held], t)
    assert s["recall@5"] == 1.0 and s["abstention"] == 1.0 and s["false_abstention"] == 0.0, s


def test_a_higher_abstention_weight_never_lowers_the_threshold():
    cal = _calibrate()
    recs = _records(2)
    for r in recs[::4]:  # noisy records: an unanswerable question with one near-topic candidate
        if not r["answerable"]:
            r["cands"][0][0][FEATURES.index("d")] = 0.5
    t_low = cal.fit(recs, 1.0, abstention_weight=0.1)[2]
    t_high = cal.fit(recs, 1.0, abstention_weight=2.0)[2]
    assert t_high >= t_low
