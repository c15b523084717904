"""Attribution scoring: the speaker check, and a small real run on GGT gold."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.attribution_eval import (
    evaluate_attribution,
    format_attribution_report,
    speaker_correct,
)
from assistant.models import Quote

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GGT = SHARED / "gold" / "attribution" / "ggt.jsonl"
CORPUS = SHARED / "corpus"


def _pred(speaker=None, mention=""):
    return Quote(text="x", start=0, end=1, kind="indirect", speaker=speaker, mention=mention)


def test_speaker_correct_with_resolved_gold_name():
    gold = {"speaker": "she", "speaker_name": "Darian Lonechild"}
    assert speaker_correct(_pred("Darian Lonechild", "she"), gold)
    assert speaker_correct(_pred("Lonechild", "Lonechild"), gold)
    assert not speaker_correct(_pred("Jordan Lafond", "she"), gold)
    assert not speaker_correct(_pred(None, "she"), gold)


def test_speaker_correct_against_gold_mention_only():
    gold = {"speaker": "Mr. Clarke", "speaker_name": None}
    assert speaker_correct(_pred("David Clarke", "Clarke"), gold)
    assert not speaker_correct(_pred("Hillary Clinton", "Clinton"), gold)
    pron = {"speaker": "he", "speaker_name": None}
    assert speaker_correct(_pred("Donald Trump", "he"), pron)
    assert not speaker_correct(_pred("Donald Trump", "Trump"), pron)


@pytest.fixture(scope="module")
def small_run():
    if not GGT.exists():
        print(f"shared gold not found at {GGT}")
        pytest.skip(f"shared data absent: {GGT}")
    return evaluate_attribution(GGT, CORPUS, limit=8)


def test_evaluate_attribution_small_ggt(small_run):
    r = small_run
    assert r["n_articles"] == 8 and r["n_gold"] > 50
    for th in ("at_0.3", "at_0.8"):
        assert 0.0 <= r[th]["precision"] <= 1.0 and 0.0 <= r[th]["recall"] <= 1.0
    assert r["at_0.8"]["matched"] <= r["at_0.3"]["matched"]
    # a working extractor finds most GGT quotes with the right speaker
    assert r["at_0.3"]["f1"] > 0.75
    assert r["speaker_accuracy"] > 0.7
    assert len(r["worst_articles"]) <= 10
    # extraction is cheap next to parsing (target: at most +20 %)
    assert r["extract_seconds"] < 0.2 * r["parse_seconds"]
    text = format_attribution_report(r)
    assert "0.3" in text and "speaker accuracy" in text


def test_missing_gold_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        evaluate_attribution(tmp_path / "nope.jsonl", tmp_path)
