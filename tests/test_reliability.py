"""Bad input through the whole build (`assistant index`): each file named with its problem,
the good files of the batch indexed, the index consistent afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO

from assistant.indexing import Index, build_index

GOOD = ("Harbour reopens\n\nThe harbour reopened on Tuesday after the storm, port officials said. "
        "\"We are back to normal,\" harbour master Jane Okafor told reporters.")


def _write_batch(d):
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "empty.txt").write_bytes(b"")
    (d / "spaces.txt").write_text("  \n\n \t ")
    (d / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(512))
    (d / "bundle.md").write_bytes(b"PK\x03\x04" + os.urandom(512))
    (d / "nav.html").write_text("<html><body><nav><a href='/'>Home</a> <a href='/x'>World</a></nav></body></html>")
    (d / "latin1.txt").write_bytes("Café reopens\n\nThe café in Montréal reopened, its owner said on Friday.".encode("latin-1"))
    (d / "utf16.txt").write_bytes("Bridge closed\n\nThe bridge will stay closed until May, the city said.".encode("utf-16"))
    (d / "nul.txt").write_text("Water main\n\nCrews\x00 fixed the \x07water main overnight, the utility said. 🚰 "
                               "قال المسؤول إن المياه عادت")
    (d / "unbalanced.txt").write_text('Budget vote\n\n"We will not support this budget, the councillor said. '
                                      'The vote is set for Monday.\n\n"It is a mistake," she added.')
    (d / "one quote.txt").write_text('Speech\n\n"' + "This is what the whole article quotes, at length. " * 200 + '"')
    (d / "it's \"odd\" ..name.txt").write_text("Odd name\n\nThe library extended its hours, the librarian said.")
    lines = [json.dumps({"id": "r1", "text": "The school board said classes resume on Monday after the break."}),
             "{broken",
             json.dumps({"id": "r2"}),
             json.dumps({"id": "r3", "text": ["not", "a", "string"]}),
             json.dumps({"id": "r1", "text": "Another text claiming the id of the first record in this file."})]
    (d / "records.jsonl").write_text("\n".join(lines))
    loop = d / "loop"
    loop.symlink_to(d, target_is_directory=True)


def test_bad_batch_indexes_the_good_files_and_names_each_bad_one(tmp_path):
    src = tmp_path / "batch"
    _write_batch(src)
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "index", str(src), "--index", str(tmp_path / "idx")],
                         capture_output=True, text=True, timeout=600, env=env, cwd=REPO)
    assert out.returncode == 0, out.stderr[-3000:]
    err = out.stderr
    for name, problem in [("empty.txt", "empty file"), ("spaces.txt", "no article text"), ("picture.txt", "binary"),
                          ("bundle.md", "binary"), ("nav.html", "no main article text"),
                          ("records.jsonl:2", "not valid JSON"), ("records.jsonl:3", "no 'text'"),
                          ("records.jsonl:4", "expected a string"), ("records.jsonl:5", "duplicate id 'r1'")]:
        assert any(name in line and problem in line for line in err.splitlines()), (name, problem, err[-2000:])
    idx = Index.open(tmp_path / "idx")
    ids = {a.id for a in idx.store.iter_articles()}
    assert {"good", "latin1", "utf16", "nul", "unbalanced", "one quote", "it's \"odd\" ..name", "r1"} <= ids
    nul = idx.store.article("nul")
    assert "\x00" not in nul.text and "\x07" not in nul.text and "🚰" in nul.text
    for art in idx.store.iter_articles():
        for q in idx.store.quotes_of_article(art.id):
            assert art.text[q.start : q.end] == q.text and q.end - q.start < len(art.text) + 1
    good = [q for q in idx.store.quotes_of_article("good") if "back to normal" in q.text]
    assert good and good[0].speaker == "Jane Okafor"
    assert idx.counts()["articles"] == len(ids)


def test_oversized_inputs_are_refused_or_indexed_without_blowing_up(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "w") as fh:  # 50 MB of text: over the per-article limit, refused by message
        i = 0
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(f"The committee said on day {i} it would review the figures again next week. " * 16 + "\n")
            i += 1
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"a" * (65 * 1024 * 1024))
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    summary = build_index([big, huge, good], tmp_path / "idx")
    messages = [str(p) for p in summary.problems]
    assert any("big.txt" in m and "over the" in m for m in messages)
    assert any("huge.txt" in m and "MB limit" in m for m in messages)
    assert summary.added_articles == 1


@pytest.mark.slow
def test_a_one_megabyte_paragraph_is_indexed(tmp_path):
    text = " ".join(f"Officials said on day {i} that the count of ballots was continuing in ward {i % 40}."
                    for i in range(12_000))[:1_000_000]
    (tmp_path / "long.jsonl").write_text(json.dumps({"id": "long", "title": "Count", "text": text}))
    summary = build_index([tmp_path / "long.jsonl"], tmp_path / "idx")
    assert summary.added_articles == 1 and summary.added_passages > 1000
    idx = Index.open(tmp_path / "idx")
    for p in idx.store.passages_of("long")[:50]:
        assert text[p.start : p.end] == p.text


def test_the_same_bad_batch_through_the_app_upload(tmp_path, seed_index):
    """The app's upload path (webapp.add_uploads): each bad file named with its problem, the good ones indexed."""
    import shutil

    from assistant import Assistant
    from assistant.webapp import add_uploads

    src = tmp_path / "batch"
    _write_batch(src)
    d = tmp_path / "idx"
    shutil.copytree(seed_index, d)
    assistant = Assistant.load(d)
    files = [(p, p.name) for p in sorted(src.iterdir()) if p.is_file() and not p.is_symlink()]
    report = add_uploads(assistant, files, d / "uploads")
    bad = "\n".join(report.bad)
    for name, problem in [("empty.txt", "empty"), ("spaces.txt", "no article text"), ("picture.txt", "binary"),
                          ("nav.html", "no main article text"), ("records.jsonl:2", "not valid JSON"),
                          ("records.jsonl:3", "no 'text'"), ("records.jsonl:4", "expected a string"),
                          ("records.jsonl:5", "duplicate id 'r1'"), ("bundle.md", "binary")]:
        assert any(name in line and problem in line for line in report.bad), (name, problem, bad)
    assert {"good", "latin1", "utf16", "nul", "unbalanced", "r1"} <= set(report.added_ids)
    counts = assistant.counts()
    assert counts["articles"] == 1 + len(report.added_ids)
    answer = assistant.ask("What did Jane Okafor say about the harbour?")
    assert answer.citations and answer.citations[0].article_id == "good"
    # every stored upload lies inside the uploads folder under a generated name
    for path in report.stored:
        assert path.parent == d / "uploads" and path.stem not in {p.stem for p, _ in files}
