"""Unit tests of the pure Q&A metrics in :mod:`assistant.metrics` (hand-made cases, no models)."""

from __future__ import annotations

import pytest

from assistant.metrics import (
    abstention_rates,
    citation_valid,
    covers,
    first_found_rank,
    locate,
    locate_all,
    percentile,
    recall_at_k,
    reciprocal_rank,
    same_speaker,
    speaker_accuracy,
)

# one gold quote of 100 characters at [100, 200) of article "a1"
GOLD = [("a1", 100, 200)]


def test_citation_covering_51_percent_finds_the_quote_49_does_not():
    assert covers(("a1", 149, 260), GOLD)  # covers [149, 200): 51 chars
    assert not covers(("a1", 151, 260), GOLD)  # covers [151, 200): 49 chars
    assert covers(("a1", 150, 260), GOLD)  # exactly half counts
    assert recall_at_k([("a1", 149, 260)], [GOLD], k=1) == 1.0
    assert recall_at_k([("a1", 151, 260)], [GOLD], k=1) == 0.0


def test_citation_from_the_wrong_article_never_counts():
    assert not covers(("a2", 100, 200), GOLD)
    assert recall_at_k([("a2", 0, 1000)], [GOLD], k=5) == 0.0


def test_recall_at_k_counts_only_the_first_k_citations():
    cited = [("a1", 0, 10), ("a1", 20, 30), ("a1", 100, 200)]
    golds = [GOLD, [("a1", 500, 540)]]
    assert recall_at_k(cited, golds, k=2) == 0.0
    assert recall_at_k(cited, golds, k=3) == 0.5
    assert recall_at_k(cited + [("a1", 490, 600)], golds, k=4) == 1.0
    assert recall_at_k(cited, [], k=3) is None


def test_mrr_is_the_rank_of_the_first_gold_quote_found():
    cited = [("a1", 0, 10), ("a1", 500, 540), ("a1", 100, 200)]
    golds = [GOLD, [("a1", 500, 540)]]
    assert first_found_rank(cited, GOLD) == 3
    assert reciprocal_rank(cited, golds) == pytest.approx(1 / 2)
    assert reciprocal_rank([("a1", 0, 10)], golds) == 0.0
    assert reciprocal_rank([], []) is None


def test_unlocated_gold_quote_is_never_found():
    assert recall_at_k([("a1", 0, 1000)], [[]], k=5) == 0.0


def test_alias_of_the_gold_speaker_counts():
    assert same_speaker("Kang", "Kang Kyung-wha")
    assert same_speaker("Foreign Minister Kang Kyung-wha", "Kang Kyung-wha")
    assert same_speaker("kang kyung-wha", "Kang Kyung-wha")
    assert same_speaker("Scheer", "Andrew Scheer")
    assert same_speaker("President Moon", "Moon Jae-in")
    assert same_speaker("Osmo Vänskä", "Osmo Vanska")


def test_a_different_kim_is_not_the_gold_speaker():
    assert not same_speaker("Kim Gang-lip", "Kim Hong-kyun")
    assert not same_speaker("Kim Yong-beom", "Kim Dong-ho")
    assert not same_speaker("Doug McCallum", "John McCallum")
    assert not same_speaker("Lim Sung-nam", "Kang Kyung-wha")
    assert not same_speaker(None, "Kang Kyung-wha")
    assert not same_speaker("Kang", None)


def test_speaker_accuracy_is_the_share_of_citations():
    assert speaker_accuracy(["Kang", "Kang Kyung-wha", "Lim Sung-nam", None], "Kang Kyung-wha") == 0.5
    assert speaker_accuracy([], "Kang Kyung-wha") is None


def test_abstention_counted():
    # (answerable, number of citations)
    rates = abstention_rates([(False, 0), (False, 2), (True, 0), (True, 3), (True, 1), (True, 1)])
    assert rates["abstention"] == 0.5
    assert rates["false_abstention"] == 0.25
    assert rates["n_unanswerable"] == 2 and rates["n_answerable"] == 4
    assert abstention_rates([(True, 1)])["abstention"] is None


def test_citation_validity_catches_a_shifted_span():
    article = "The minister said the plan would go ahead next year."
    start = article.index("the plan")
    end = start + len("the plan would go ahead")
    assert citation_valid("the plan would go ahead", start, end, article)
    assert not citation_valid("the plan would go ahead", start + 1, end + 1, article)
    assert not citation_valid("the plan would go ahead", start, end, None)
    assert not citation_valid("x", 60, 61, article)


def test_locate_ignores_whitespace_inserted_by_cleaning():
    stored = 'It hit during the pandemic. Some said "no."\nOthers\n  agreed.'
    span = locate("the pandemic.Some said", stored)
    assert span is not None and stored[span[0]:span[1]] == "the pandemic. Some said"
    span = locate("said \u201cno.\u201d Others agreed", stored)
    assert span is not None and stored[span[0]:span[1]] == 'said "no."\nOthers\n  agreed'
    assert locate("absent words", stored) is None
    assert locate("   ", stored) is None
    assert locate_all("a", "a b a") == [(0, 1), (4, 5)]


def test_percentile():
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([1.0, 2.0], 95) == pytest.approx(1.95)
    assert percentile([], 50) is None


def test_organisation_and_title_forms():
    assert same_speaker("The Unification Ministry", "Unification Ministry")
    assert same_speaker("Lametti", "David Lametti")
    assert not same_speaker("Health Ministry", "Unification Ministry")
    assert not same_speaker("Prime Minister Theresa May and the European Union", "Justin Trudeau")
