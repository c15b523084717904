"""Tests of :mod:`assistant.evaluation`: gold validation, scoring with a fake assistant, and (slow) the real seed run."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from assistant.errors import GoldError
from assistant.evaluation import (
    evaluate,
    format_result,
    load_qa_gold,
    question_type,
    run_qa,
    write_report,
)
from assistant.models import Answer, Citation, Passage

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# A tiny corpus of our own sentences.
ARTICLES = [
    {
        "id": "t-1", "title": "Harbour plan", "date": "2030-01-02", "source": "Test Wire", "author": "", "url": "",
        "text": (
            "Mayor Ada Quill said the harbour would reopen in spring. "
            '"We will rebuild the pier before the summer fishing season," Quill told reporters.\n'
            "Councillor Ben Ostrava said the budget was too small for the work."
        ),
    },
    {
        "id": "t-2", "title": "Rail line", "date": "2030-01-03", "source": "Test Wire", "author": "", "url": "",
        "text": "Engineer Kim Sol-ji said the new rail line would cut travel time in half. Nobody else commented.",
    },
]


def _item(**over) -> dict:
    base = {
        "id": "q1", "corpus": "tiny", "history": [], "question": "What did Quill say about the pier?",
        "answerable": True, "speaker": "Ada Quill",
        "gold_quotes": ["We will rebuild the pier before the summer fishing season"], "articles": ["t-1"],
    }
    base.update(over)
    return base


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    """``tmp/gold/`` beside ``tmp/corpus/tiny.jsonl``; returns the gold folder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tiny.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    (corpus / "lone-article.txt").write_text(
        "Lone headline\n\nThe director said the museum would stay open late on Fridays.\n", encoding="utf-8"
    )
    gold = tmp_path / "gold"
    gold.mkdir()
    return gold


def _write(gold_dir: Path, lines: list[str | dict]) -> Path:
    path = gold_dir / "gold.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


# ---- validation ----------------------------------------------------------------


def test_valid_gold_loads_with_default_corpus_dir(tiny: Path):
    path = _write(tiny, [
        _item(),
        _item(id="q2", corpus=None, question="What did the director say?", speaker=None,
              gold_quotes=["the museum would stay open late"], articles=["lone-article"]),
    ])
    items, corpora = load_qa_gold(path)
    assert [i.id for i in items] == ["q1", "q2"]
    assert set(corpora) == {"tiny", "lone-article"}
    assert corpora["tiny"].files[0].name == "tiny.jsonl"
    assert items[1].corpus_name == "lone-article"


def test_malformed_line_names_file_and_line(tiny: Path):
    path = _write(tiny, [_item(), '{"id": "q2", "question": '])
    with pytest.raises(GoldError, match=r"gold\.jsonl:2: malformed JSON"):
        load_qa_gold(path)


def test_missing_field_names_the_field_and_line(tiny: Path):
    rec = _item(id="q2")
    del rec["answerable"]
    with pytest.raises(GoldError, match=r"gold\.jsonl:2: missing field 'answerable'"):
        load_qa_gold(_write(tiny, [_item(), rec]))


def test_unknown_article_id(tiny: Path):
    path = _write(tiny, [_item(), _item(id="q2"), _item(id="q3", articles=["t-404"])])
    with pytest.raises(GoldError, match=r"gold\.jsonl:3: unknown article id 't-404'"):
        load_qa_gold(path)


def test_unknown_corpus(tiny: Path):
    with pytest.raises(GoldError, match=r"gold\.jsonl:1: unknown corpus 'nope'"):
        load_qa_gold(_write(tiny, [_item(corpus="nope")]))


def test_quote_not_in_article(tiny: Path):
    path = _write(tiny, [_item(), _item(id="q2", gold_quotes=["the harbour would close forever"])])
    with pytest.raises(GoldError, match=r"gold\.jsonl:2: gold quote 'the harbour would close forever' is not in"):
        load_qa_gold(path)


def test_quote_in_another_article_of_the_corpus_is_not_enough(tiny: Path):
    path = _write(tiny, [_item(gold_quotes=["the new rail line would cut travel time"], articles=["t-1"])])
    with pytest.raises(GoldError, match=r"gold\.jsonl:1: gold quote"):
        load_qa_gold(path)


def test_quote_differing_only_in_whitespace_is_accepted(tiny: Path):
    items, _ = load_qa_gold(_write(tiny, [_item(gold_quotes=["fishing   season,\" Quill told reporters. Councillor"])]))
    assert len(items) == 1


def test_duplicate_id_rejected(tiny: Path):
    with pytest.raises(GoldError, match=r"gold\.jsonl:2: duplicate id 'q1' \(first on line 1\)"):
        load_qa_gold(_write(tiny, [_item(), _item()]))


def test_question_types():
    assert question_type(_item(answerable=False, gold_quotes=[], history=["x"])) == "unanswerable"
    assert question_type(_item(history=["What did Quill say?"], question="Did anyone disagree?")) == "follow-up"
    assert question_type(_item(question="Who said the pier would be rebuilt?")) == "who-said"
    assert question_type(_item(question="Did anyone mention the budget?")) == "who-said"
    assert question_type(_item(question="What did the pier plan cost?", speaker=None)) == "who-said"
    assert question_type(_item(question="What did Ada Quill say?")) == "speaker-only"
    assert question_type(_item(question="What did the harbour master say?")) == "speaker-only"
    assert question_type(_item()) == "speaker-topic"


# ---- scoring with a fake assistant (no models) -------------------------------------


class FakeConversation:
    def __init__(self, owner: FakeAssistant):
        self.owner = owner
        self.turns: list[str] = []

    def ask(self, question: str) -> Answer:
        self.turns.append(question)
        self.owner.conversations.append(self.turns)
        return self.owner.replies.get(question, Answer("No quote found.", [], True))


class FakeAssistant:
    """Answers from a table; records the turns each conversation saw."""

    def __init__(self, articles: list[dict], replies: dict[str, Answer]):
        from assistant.models import Article

        self.articles = {a["id"]: Article(id=a["id"], text=a["text"], title=a["title"]) for a in articles}
        self.replies = replies
        self.conversations: list[list[str]] = []

    def chat(self) -> FakeConversation:
        return FakeConversation(self)

    def article(self, article_id: str):
        from assistant.errors import AssistantError

        if article_id not in self.articles:
            raise AssistantError(f"No article '{article_id}'")
        return self.articles[article_id]


def _cite(article_id: str, phrase: str, speaker: str | None, shift: int = 0) -> Citation:
    text = next(a["text"] for a in ARTICLES if a["id"] == article_id)
    start = text.index(phrase) + shift
    return Citation(article_id, "", "", "", start, start + len(phrase), phrase, speaker, "said", "direct", 1.0)


def test_run_qa_scores_a_fake_assistant_and_writes_a_report(tiny: Path, tmp_path: Path):
    path = _write(tiny, [
        _item(),  # found at rank 2, both citations by Quill (one alias)
        _item(id="q2", history=["What did Quill say about the pier?"], question="And the budget?",
              speaker="Ben Ostrava", gold_quotes=["the budget was too small for the work"]),  # wrong speaker, missed
        _item(id="q3", question="What did Quill say about the airport?", answerable=False, gold_quotes=[], articles=[]),
        _item(id="q4", question="What did Kim say about rail?", speaker="Kim Sol-ji",
              gold_quotes=["the new rail line would cut travel time in half"], articles=["t-2"]),  # abstains wrongly
        _item(id="q5", question="What did Quill say about taxes?", answerable=False, gold_quotes=[], articles=[]),
    ])
    items, _ = load_qa_gold(path)
    replies = {
        "What did Quill say about the pier?": Answer("...", [
            _cite("t-1", "the harbour would reopen in spring", "Quill"),
            _cite("t-1", "We will rebuild the pier before the summer", "Ada Quill"),  # 43 of 56 chars: found
        ], False, "Ada Quill"),
        "And the budget?": Answer("...", [_cite("t-1", "the harbour would reopen", "Kim Sol-ji", shift=1)], False, "Kim Sol-ji"),
        "What did Quill say about the airport?": Answer("...", [_cite("t-1", "harbour", "Ada Quill")], False, "Ada Quill"),
    }
    fake = FakeAssistant(ARTICLES, replies)

    def baseline(assistant, question, k):  # the whole of t-1: finds q1 and q2, not q4 (t-2)
        text = ARTICLES[0]["text"]
        return [Passage("t-1", 0, len(text), text)][:k]

    result = run_qa(items, {"tiny": fake}, baseline=True, baseline_fn=baseline)
    a, b = result["overall"]["assistant"], result["overall"]["baseline"]
    # history is replayed in the same conversation before the question
    assert ["What did Quill say about the pier?", "And the budget?"] in fake.conversations
    by_id = {r["id"]: r for r in result["items"]}
    assert by_id["q1"]["scores"]["recall@1"] == 0.0 and by_id["q1"]["scores"]["recall@3"] == 1.0
    assert by_id["q1"]["scores"]["rr"] == 0.5
    assert by_id["q2"]["scores"]["recall@10"] == 0.0
    assert a["recall@3"] == pytest.approx(1 / 3)  # q1 found; q2, q4 not
    assert a["mrr"] == pytest.approx(0.5 / 3)
    assert a["speaker_accuracy"] == pytest.approx(2 / 3)  # q1: 2 of 2; q2: 0 of 1
    assert a["abstention"] == 0.5 and a["false_abstention"] == pytest.approx(1 / 3)
    assert a["citation_validity"] == pytest.approx(3 / 4)  # q2's shifted span is invalid
    assert b["recall@1"] == pytest.approx(2 / 3) and b["abstention"] == 0.0 and b["speaker_accuracy"] is None
    assert b["citation_validity"] == 1.0
    assert set(result["by_type"]) == {"speaker-topic", "follow-up", "unanswerable"}
    failures = {r["id"]: " ".join(r["failures"]) for r in result["items"]}
    assert failures["q1"] == ""
    assert "wrong speaker" in failures["q2"] and "invalid citation" in failures["q2"] and "recall@5 miss" in failures["q2"]
    assert "missed abstention" in failures["q3"]
    assert "wrong abstention" in failures["q4"]
    assert failures["q5"] == ""

    result.update({"kind": "qa", "gold": str(path), "k": 5, "n_items": 5, "indexes": {}, "model": "fake"})
    table = format_result(result)
    assert "assistant" in table and "baseline" in table and "quote recall@5" in table
    json.dumps(result)  # JSON-serialisable for --json
    report = write_report(result, tmp_path / "report")
    text = report.read_text()
    assert text.startswith("# Q&A evaluation")
    assert text.index("Headline") < text.index("Failed items")
    assert "## Failed items (3 of 5)" in text and "And the budget?" in text
    for png in ("recall_at_k.png", "by_type.png"):
        assert (tmp_path / "report" / png).read_bytes()[:4] == b"\x89PNG"


def test_attribution_gold_is_delegated(tiny: Path, monkeypatch):
    import sys
    import types

    calls = {}

    def fake_eval(gold_path, corpus_dir, limit=None):
        calls["args"] = (Path(gold_path).name, Path(corpus_dir).name, limit)
        return {"precision": 1.0}

    mod = types.ModuleType("assistant.attribution_eval")
    mod.evaluate_attribution = fake_eval
    mod.format_attribution_report = lambda r: f"attribution P={r['precision']}"
    monkeypatch.setitem(sys.modules, "assistant.attribution_eval", mod)
    path = _write(tiny, [{"article_id": "t-1", "quotes": []}])
    result = evaluate(path, limit=3)
    assert result["kind"] == "attribution" and calls["args"] == ("gold.jsonl", "corpus", 3)
    assert format_result(result) == "attribution P=1.0"


# ---- end to end on the real seed gold (slow) ---------------------------------------


def _in_unit(x) -> bool:
    return x is None or (isinstance(x, float | int) and not math.isnan(x) and 0.0 <= x <= 1.0)


@pytest.mark.slow
def test_evaluate_seed_end_to_end(tmp_path: Path):
    seed = SHARED / "gold" / "seed.jsonl"
    if not seed.is_file():
        print(f"skipping: shared gold not found at {seed}")
        pytest.skip(f"shared data not found at {SHARED}")
    result = evaluate(seed, baseline=True, cache_dir=tmp_path / "cache")
    assert result["n_items"] == 12 and len(result["items"]) == 12
    for group in [result["overall"], *result["by_corpus"].values(), *result["by_type"].values()]:
        for system in ("assistant", "baseline"):
            m = group[system]
            for key in ("recall@1", "recall@3", "recall@5", "recall@10", "mrr", "speaker_accuracy",
                        "citation_validity", "abstention", "false_abstention"):
                assert _in_unit(m[key]), (key, m[key])
    o = result["overall"]
    assert o["baseline"]["recall@10"] is not None and o["baseline"]["abstention"] == 0.0
    assert o["assistant"]["citation_validity"] in (None, 1.0)
    report = write_report(result, tmp_path / "report")
    assert report.is_file() and report.read_text().startswith("# Q&A evaluation")
    assert (tmp_path / "report" / "recall_at_k.png").stat().st_size > 1000
    assert (tmp_path / "report" / "by_type.png").stat().st_size > 1000
    # the second run reuses the cached index
    again = evaluate(seed, cache_dir=tmp_path / "cache", limit=2)
    assert all(info["cached"] for info in again["indexes"].values())


def test_cache_key_follows_corpus_content_model_schema_and_code(tmp_path: Path):
    from assistant.evaluation import corpus_key

    f = tmp_path / "c.jsonl"
    f.write_text(json.dumps(ARTICLES[0]) + "\n", encoding="utf-8")
    key = corpus_key([f], "model-a", 3, "code-1")
    assert key == corpus_key([f], "model-a", 3, "code-1") and len(key) == 64
    assert key != corpus_key([f], "model-b", 3, "code-1")
    assert key != corpus_key([f], "model-a", 4, "code-1")
    assert key != corpus_key([f], "model-a", 3, "code-2")
    f.write_text(json.dumps(ARTICLES[1]) + "\n", encoding="utf-8")
    assert key != corpus_key([f], "model-a", 3, "code-1")


def test_fingerprint_follows_build_code_not_query_time_packages(tmp_path: Path):
    import shutil

    import assistant
    from assistant.evaluation import PACKAGE_ROOT, source_fingerprint

    assert PACKAGE_ROOT == Path(assistant.__file__).resolve().parent  # the package, not the evaluation folder
    root = tmp_path / "assistant"
    shutil.copytree(PACKAGE_ROOT, root, ignore=lambda d, names: [
        n for n in names if not n.endswith(".py") and not (Path(d) / n).is_dir() or n == "__pycache__"
    ])
    before = source_fingerprint(root)
    for rel in ("evaluation/run.py", "evaluation/__init__.py", "webapp/__init__.py", "settings.py", "answer.py"):
        path = root / rel
        if path.is_file():  # query-time code: the cached indexes stay valid
            path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
            assert source_fingerprint(root) == before, rel
    for rel in ("attribution/settings.py", "attribution/__init__.py", "indexing.py"):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\n# edited\n", encoding="utf-8")
        assert source_fingerprint(root) != before, rel  # build code: a new cache key
        path.write_text(text, encoding="utf-8")
    assert source_fingerprint(root) == before
