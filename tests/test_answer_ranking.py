"""Ranking of a speaker's quotes: the speaker's own words first among equally close quotes
(real articles from ../shared, skipped where absent)."""

from __future__ import annotations

import pytest
from conftest import shared_records_assistant

from assistant import Assistant
from assistant.evidence import Candidate
from assistant.models import Quote
from assistant.ranking import rank, select, weights_of
from assistant.retrieve import Hit
from assistant.settings import FEATURES, RankingSettings

TRUDEAU_ON_FORD_CUTS = "ggt-5c54662d1e67d78e27425afa"


def _cand(i: int, start: int, text: str = "", article: str = "a", **features) -> Candidate:
    q = Quote(text=text or f"words of quote {i}", start=start, end=start + 10, kind="direct", article_id=article, id=i)
    return Candidate(q, 1, Hit(i, 0.0, 0.0, 0.0), features={"spk_attr": 1.0, **features})


def test_policy_cites_only_what_passes_the_threshold_once_each():
    settings = RankingSettings(weights=tuple(1.0 if f == "d" else 0.0 for f in FEATURES), bias=0.0,
                               cite_threshold=0.6, max_citations=5)
    cands = [_cand(1, 0, d=0.1), _cand(2, 20, d=2.0), _cand(3, 20, d=3.0), _cand(4, 40, d=1.0)]
    ranked = rank(cands, settings)
    assert [c.quote.id for c in ranked] == [2, 4, 1]  # the repeat of span 20-30 is dropped, first kept
    chosen = select(ranked, settings)
    assert [c.quote.id for c in chosen] == [2, 4]  # fewer than five when fewer are relevant
    assert not select(rank([_cand(5, 0, d=-3.0)], settings), settings)  # none relevant: abstain
    # a close quote with nothing tying it to the asked speaker is never cited for them
    assert not select(rank([_cand(6, 0, d=3.0, spk_attr=0.0)], settings), settings)
    # the same words in a republished article are cited once
    twice = [_cand(7, 0, "“We will act on the ferry,” she said", "a", d=2.0),
             _cand(8, 90, "We will act on the ferry, she said.", "b", d=2.0)]
    assert [c.quote.id for c in rank(twice, settings)] == [7]


def test_weights_must_match_the_features():
    with pytest.raises(ValueError, match="features"):
        weights_of(RankingSettings(weights=(1.0, 2.0)))
    w, _ = weights_of(RankingSettings())
    assert len(w) == len(FEATURES)


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
