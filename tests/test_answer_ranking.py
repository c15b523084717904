"""Ranking of a speaker's quotes: the speaker's own words first among equally close quotes
(real articles from ../shared, skipped where absent)."""

from __future__ import annotations

import pytest
from conftest import shared_records_assistant

from assistant import Assistant
from assistant.answer import DIRECT_BONUS, _kind_bonus

TRUDEAU_ON_FORD_CUTS = "ggt-5c54662d1e67d78e27425afa"


def test_kind_bonus_orders_direct_then_mixed_then_reported():
    assert _kind_bonus("direct") == DIRECT_BONUS > _kind_bonus("mixed") > _kind_bonus("indirect") == 0.0


@pytest.fixture(scope="module")
def trudeau_assistant(tmp_path_factory) -> Assistant:
    """One GGT article: Trudeau on possible Ontario education cuts, in his words and in the reporter's."""
    return shared_records_assistant(tmp_path_factory, "ggt-2019.jsonl", {TRUDEAU_ON_FORD_CUTS}, "trudeau")


def test_the_speakers_own_words_make_the_top_five(trudeau_assistant):
    # the reporter's paraphrases ("he's not just concerned about possible cuts ...") repeat the
    # question's words; Trudeau's own words on the same point ("I'm also a parent who has three kids
    # in the Ontario public school system") must not be pushed out of the five citations by them
    answer = trudeau_assistant.ask("What did Trudeau say about the Ford government's education cuts?")
    assert not answer.abstained
    top = answer.citations[:5]
    assert all(c.speaker == "Justin Trudeau" for c in top)
    assert any("I'm also a parent" in c.text for c in top), [c.text for c in top]
    assert sum(c.kind == "direct" for c in top) >= 2
