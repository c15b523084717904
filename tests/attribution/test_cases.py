"""Attribution regression cases: one test per line of ``cases.jsonl`` (and ``known_failures.jsonl``).

Each line is a small invented news text and what the extractor must find in it::

    {"id": "...", "rule": "<rule class>", "text": "...",
     "quotes": [{"text": "<part of the quote span>", "kind": "direct|indirect|mixed", "speaker": "<name>"}],
     "must_not": [{"text": "..."}, {"speaker": "..."}, {"text": "...", "speaker": null}]}

Matching (the same for ``quotes`` and ``must_not``): an extracted quote matches an item when
  * ``text`` (if given) is contained in the quote's text, or the quote's span overlaps an
    occurrence of it in the case text by at least 80% of its characters;
  * ``kind`` (if given) is equal;
  * ``speaker`` (if the key is present) equals the quote's speaker case-insensitively
    (canonical name only, no alias matching); ``"speaker": null`` means unresolved (None).
Every ``quotes`` item must match some quote; no ``must_not`` item may match any quote.
Lines of ``known_failures.jsonl`` carry a ``why`` and run as ``xfail(strict=True)``: when one
starts passing, move it to ``cases.jsonl``. A new rule is one new line in ``cases.jsonl``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases.jsonl"
KNOWN_FAILURES = HERE / "known_failures.jsonl"
MIN_OVERLAP = 0.8


def _load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            row["_where"] = f"{path.name}:{n}"
            rows.append(row)
    return rows


def _params() -> list:
    params = [pytest.param(c, id=c["id"]) for c in _load(CASES)]
    params += [
        pytest.param(c, id=c["id"], marks=pytest.mark.xfail(strict=True, reason=c["why"]))
        for c in _load(KNOWN_FAILURES)
    ]
    return params


@pytest.fixture(scope="module")
def nlp():
    # the pipeline extract_quotes loads by default (cached), loaded once for the module
    from assistant.nlp import load_nlp

    return load_nlp()


def _occurrences(text: str, part: str) -> list[tuple[int, int]]:
    out, at = [], text.find(part)
    while at >= 0:
        out.append((at, at + len(part)))
        at = text.find(part, at + 1)
    return out


def matches(q, item: dict, text: str) -> bool:
    """True when the extracted quote ``q`` matches the expected (or forbidden) ``item``."""
    if "kind" in item and q.kind != item["kind"]:
        return False
    if "speaker" in item:
        want = item["speaker"]
        if want is None:
            if q.speaker is not None:
                return False
        elif (q.speaker or "").casefold() != want.casefold():
            return False
    part = item.get("text")
    if part is None or part in q.text:
        return True
    for a, b in _occurrences(text, part):
        if min(b, q.end) - max(a, q.start) >= MIN_OVERLAP * len(part):
            return True
    return False


def _show(quotes) -> str:
    return "\n".join(f"  {q.kind:8} {q.speaker!r:28} {q.text!r}" for q in quotes) or "  (no quotes)"


def test_case_file_is_well_formed():
    rows = _load(CASES) + _load(KNOWN_FAILURES)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    for r in rows:
        assert {"id", "rule", "text", "quotes"} <= set(r), r["_where"]
        for item in r["quotes"] + r.get("must_not", []):
            assert "text" not in item or item["text"] in r["text"], (r["_where"], item["text"])
            assert item.get("kind", "direct") in {"direct", "indirect", "mixed"}, r["_where"]
    for r in _load(KNOWN_FAILURES):
        assert r.get("why"), r["_where"]


@pytest.mark.parametrize("case", _params())
def test_case(case, nlp):
    from assistant import extract_quotes

    text = case["text"]
    quotes = extract_quotes(text, nlp)
    for q in quotes:
        assert text[q.start:q.end] == q.text, (q.start, q.end, q.text)
    problems = []
    for item in case["quotes"]:
        if not any(matches(q, item, text) for q in quotes):
            problems.append(f"missing {item}")
    for item in case.get("must_not", []):
        bad = [q for q in quotes if matches(q, item, text)]
        if bad:
            problems.append(f"forbidden {item} matched {[q.text for q in bad]}")
    assert not problems, f"[{case['rule']}] {case['_where']}\n" + "\n".join(problems) + "\ngot:\n" + _show(quotes)
