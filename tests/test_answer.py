"""Answering on the seed article: the gold questions, conversations, abstention and odd questions."""

from __future__ import annotations

import json
import re

import pytest
from conftest import shared_path, shared_records_assistant

from assistant import Assistant
from assistant.converse import DialogueState, analyse


@pytest.fixture(scope="module")
def seed_assistant(seed_index) -> Assistant:
    return Assistant.load(seed_index)


def _covered(citations, gold: str, text_of) -> bool:
    for c in citations[:5]:
        article = text_of(c.article_id)
        at = article.find(gold)
        if at >= 0 and min(c.end, at + len(gold)) - max(c.start, at) >= len(gold) / 2:
            return True
    return False


def test_every_seed_gold_question_is_answered_right(seed_assistant):
    items = [json.loads(line) for line in shared_path("gold", "seed.jsonl").read_text().splitlines() if line.strip()]
    text_of = lambda aid: seed_assistant.article(aid).text  # noqa: E731
    wrong = []
    for item in items:
        conv = seed_assistant.chat()
        for turn in item["history"]:
            conv.ask(turn)
        answer = conv.ask(item["question"])
        if not item["answerable"]:
            if not answer.abstained or answer.citations:
                wrong.append((item["id"], "should abstain", answer.text[:200]))
            continue
        if answer.abstained:
            wrong.append((item["id"], "abstained", answer.text[:200]))
            continue
        if any(c.speaker != item["speaker"] for c in answer.citations):
            wrong.append((item["id"], "speaker", [c.speaker for c in answer.citations]))
        found = [g for g in item["gold_quotes"] if _covered(answer.citations, g, text_of)]
        if not found:
            wrong.append((item["id"], "no gold quote cited", answer.text[:300]))
    assert not wrong, wrong


def test_citations_slice_the_article_and_answer_text_carries_them(seed_assistant):
    answer = seed_assistant.ask("What did Kang say about China?")
    assert answer.citations and not answer.abstained
    for i, c in enumerate(answer.citations, start=1):
        assert seed_assistant.article(c.article_id).text[c.start : c.end] == c.text
        assert f"[{i}]" in answer.text
        assert c.speaker == "Kang Kyung-wha"
    assert "stepped-up communication with China and Russia" in answer.text


def test_according_to_reads_as_english(seed_assistant):
    # the seed's "..., according to Lim" quote is reported speech: the answer shows the article's
    # own sentence, which ends "according to Lim.", never "Lim according to"
    ans = seed_assistant.ask("Who said South Korea wants a peaceful resolution and to prevent a war?")
    n = next((i for i, c in enumerate(ans.citations, 1) if c.cue == "according to"), None)
    assert n is not None, ans.text
    assert f"in any case, according to Lim. [{n}]" in ans.text and "Lim according to" not in ans.text


def test_conversation_follows_the_speaker_and_topic(seed_assistant):
    conv = seed_assistant.chat()
    conv.ask("What did Kang say about China?")
    us = conv.ask("And what about the US?")
    assert us.speaker == "Kang Kyung-wha" and us.citations
    # the best answers are about the new topic (the policy cites fewer, looser ones after them)
    assert all("US" in c.text for c in us.citations[:2])
    lim = conv.ask("What did Lim say about it?")
    assert lim.speaker == "Lim Sung-nam"
    more = conv.ask("What else did she say?")
    shown = {(c.start, c.end) for _, a in conv.history[:-1] for c in a.citations}
    assert all((c.start, c.end) not in shown for c in more.citations)


def test_two_conversations_do_not_share_state(seed_assistant):
    a, b = seed_assistant.chat(), seed_assistant.chat()
    a.ask("What did Kang say about China?")
    answer = b.ask("What did she say about the US?")
    assert answer.abstained and not answer.citations and "Who do you mean" in answer.text


def test_unknown_and_unquoted_people_get_an_honest_answer(seed_assistant):
    answer = seed_assistant.ask("What did Rex Tillerson say?")
    assert answer.abstained and not answer.citations
    assert "no quote of Rex Tillerson" in answer.text and "mentioned" in answer.text
    nobody = seed_assistant.ask("What did Angela Merkel say about trade?")
    assert nobody.abstained and not nobody.citations


@pytest.mark.parametrize(
    "question",
    ["", "   ", "?!?...", "x" * 10_000, "'; DROP TABLE quotes; --", "What did <script>alert(1)</script> say?",
     "**What** did _Kang_ say about [China](http://x)?", "¿Qué dijo Kang sobre China?", "\x00\x01 Kang \x7f"],
)
def test_odd_questions_never_crash_or_miscite(seed_assistant, question):
    answer = seed_assistant.ask(question)
    assert isinstance(answer.text, str) and answer.text
    for c in answer.citations:
        assert seed_assistant.article(c.article_id).text[c.start : c.end] == c.text
    assert seed_assistant.counts()["quotes"] > 0  # the SQL-looking question dropped nothing


def test_question_analysis_reads_the_usual_shapes():
    q = analyse("What did the vice health minister say about whether the virus is going away?")
    assert (q.type, q.ref, q.topic) == ("speaker-topic", "the vice health minister", "whether the virus is going away")
    assert analyse("Who said a second round could be worse?").type == "who-said"
    assert analyse("What did Tedros say?").type == "speaker-only"
    state = DialogueState(speaker_ids=[1], topic="China", turns=1)
    follow = analyse("And what about the US?", state)
    assert follow.pronoun and follow.topic == "the US"
    assert analyse("What did Lim say about it?", state).topic == "China"
    assert analyse("What else did she say?", state).exclude_shown


@pytest.fixture(scope="module")
def snc_assistant(tmp_path_factory) -> Assistant:
    """Three GGT articles (../shared): the SNC-Lavalin story, and two others on other subjects."""
    keep = {"ggt-5c5d3e251e67d78e275e54b5", "ggt-5c3eac6f1e67d78e27f3dc55", "ggt-5c54662d1e67d78e27425afa"}
    return shared_records_assistant(tmp_path_factory, "ggt-2019.jsonl", keep, "snc")


def test_quotes_that_never_name_the_topic_are_found_through_their_article(snc_assistant):
    # Trudeau's denials ("The allegations in the Globe story this morning are false") never say
    # "SNC-Lavalin": the story around them does, which is what makes them relevant
    answer = snc_assistant.ask("What did Trudeau say about the accusation of political interference in the SNC-Lavalin case?")
    assert not answer.abstained and answer.citations
    assert all(c.speaker == "Justin Trudeau" for c in answer.citations)
    texts = [c.text for c in answer.citations]
    assert any("SNC" not in t and "Lavalin" not in t for t in texts)
    assert any("allegations in the Globe story" in t or "At no time did I or my office" in t for t in texts)
    assert not snc_assistant.ask("What did Trudeau say about the SNC-Lavalin affair?").abstained
    # the same speaker on a subject none of his articles is about still gets an honest "no"
    assert snc_assistant.ask("What did Trudeau say about Japanese whaling?").abstained


def test_a_one_passage_article_is_answered(tmp_path):
    # a short wire story is one passage: its quotes have no neighbouring passage to read
    (tmp_path / "wire.txt").write_text(
        "Harbour board chairman Tomas Verlaine said on Monday that the port will reopen the north pier "
        "in June after repairs to the storm wall.\n", encoding="utf-8")
    assistant = Assistant.build([tmp_path / "wire.txt"], tmp_path / "index")
    answer = assistant.ask("What did Verlaine say about the north pier?")
    assert not answer.abstained and answer.citations[0].speaker == "Tomas Verlaine"
    assert "north pier" in answer.citations[0].text


def test_citations_come_in_one_block_per_article(snc_assistant):
    # Trudeau is quoted in two of the three articles: each article gets one header, its
    # citations together, and the markers still run [1], [2], ... in order
    for question in ("What did Trudeau say?", "What did Trudeau say about Doug Ford?",
                     "What did Trudeau say about the SNC-Lavalin affair?"):
        answer = snc_assistant.ask(question)
        ids = [c.article_id for c in answer.citations]
        assert ids == sorted(ids, key=ids.index), (question, ids)  # contiguous blocks
        for c in answer.citations:
            header = f"In \"{c.title or c.article_id}\""
            assert answer.text.count(header) == 1, (question, header)
        marks = [int(m) for m in re.findall(r"\[(\d+)\]", answer.text)]
        assert marks == sorted(marks) == list(range(1, len(answer.citations) + 1)), question
