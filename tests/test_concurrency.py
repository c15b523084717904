"""Concurrent sessions against one running app, with an upload through the app in the middle.

Five ``gradio_client`` sessions (threads) ask ten questions each, follow-ups included, in
different orders, against one app served by :func:`assistant.webapp.launch` on a copy of the
seed index. Each answer must equal the answer a lone conversation gets for the same history
(computed first with the Python API on the same index, and again afterwards on the index as
the upload left it), so neither errors, nor interleaving, nor another session's state may
change an answer. While they ask, an article is uploaded the way the page uploads it (the
file to ``/gradio_api/upload``, then the *Add articles* button's event through the queue);
afterwards a new session can ask about it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import upload_via_app

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"

KANG_CHINA = "What did Kang say about China?"
US = "And what about the US?"
ELSE_SHE = "What else did she say?"
LIM_IT = "What did Lim say about it?"
WHO_MOBILIZE = "Who said South Korea will mobilize both sanctions and dialogue?"
KIM_SANCTIONS = "What did Kim Hong-kyun say about sanctions?"
KANG_RUSSIA = "Did Kang mention Russia?"
KANG_JAPAN = "What did Kang say about Japan?"
MOON_DENUC = "What did Moon say about denuclearization?"
ELSE_HE = "What else did he say?"
LIM_TRUMP = "What did Lim say about Trump?"

#: Ten questions per session, each order different, so that the same follow-up text
#: ("And what about the US?", "What else did she/he say?", "What did Lim say about it?")
#: leans on a different history in different sessions.
SESSIONS: list[list[str]] = [
    [KANG_CHINA, US, ELSE_SHE, LIM_IT, WHO_MOBILIZE, KIM_SANCTIONS, KANG_RUSSIA, KANG_JAPAN, MOON_DENUC, ELSE_HE],
    [LIM_TRUMP, US, ELSE_HE, KANG_CHINA, ELSE_SHE, KANG_JAPAN, US, WHO_MOBILIZE, ELSE_HE, LIM_IT],
    [MOON_DENUC, ELSE_HE, US, WHO_MOBILIZE, KIM_SANCTIONS, KANG_CHINA, LIM_IT, US, KANG_RUSSIA, ELSE_SHE],
    [KANG_RUSSIA, US, LIM_IT, ELSE_HE, KANG_JAPAN, ELSE_SHE, MOON_DENUC, US, LIM_TRUMP, KIM_SANCTIONS],
    [WHO_MOBILIZE, ELSE_HE, LIM_IT, KANG_CHINA, US, LIM_TRUMP, ELSE_HE, KANG_JAPAN, MOON_DENUC, US],
]
#: Sessions wait at this question until the upload is being processed, so that the rest
#: of their questions are asked while (or after) the new article is indexed.
GATE = 3

NEW_NAME = "rail strike.txt"
NEW_ID = "rail_strike"
NEW_TEXT = (
    "Rail unions call off weekend strike\n\n"
    "Rail unions called off a planned weekend strike on Thursday after overnight talks with the operator.\n\n"
    '"We reached a fair deal on safety staffing and the trains will run as normal," '
    "Labor Minister Oh Min-jae said on Thursday.\n\n"
    "The operator said timetables for Saturday and Sunday would be published on Friday morning.\n"
)
NEW_QUESTION = "What did Oh Min-jae say about safety staffing?"
NEW_QUOTE = "fair deal on safety staffing"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _norm(text: str, citations: list) -> tuple[str, list]:
    """An answer as plain JSON data (what the /ask endpoint sends), for exact comparison.

    A citation's ``score`` is left out: it is the ranking's probability, which reads corpus
    statistics (word idf, passage ranks) that an added article moves by design; what is cited,
    in which order and with which text must not move.
    """
    return text, [{k: v for k, v in c.items() if k != "score"} for c in json.loads(json.dumps(citations))]


def lone_answers(index_dir: Path, questions: list[str]) -> list[tuple[str, list]]:
    """What one conversation, alone, answers to ``questions`` in turn (Python API)."""
    from assistant import Assistant

    conv = Assistant.load(index_dir).chat()
    out = []
    for q in questions:
        a = conv.ask(q)
        out.append(_norm(a.text, [c.to_dict() for c in a.citations]))
    return out




@pytest.fixture(scope="module")
def live_index(seed_index, tmp_path_factory) -> Path:
    """A private copy of the seed index (the app adds an article to it)."""
    d = tmp_path_factory.mktemp("concurrency") / "index"
    shutil.copytree(seed_index, d)
    return d


@pytest.fixture(scope="module")
def expected(live_index) -> list[list[tuple[str, list]]]:
    """Each session's answers as a lone conversation gets them, before the app starts."""
    return [lone_answers(live_index, qs) for qs in SESSIONS]


@pytest.fixture(scope="module")
def app_url(live_index, expected):
    """The app as ``launch`` serves it (default host 127.0.0.1), on a free port."""
    from assistant.webapp import launch

    port = _free_port()
    demo = launch(live_index, port=port, block=False)
    url = f"http://127.0.0.1:{port}/"
    holder = demo.wsw_holder
    assert holder.get(timeout=120) is not None  # the index is open (loads in the background)
    yield url
    demo.close()


def _client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False)


def test_parallel_sessions_with_upload_match_lone_sessions(app_url, live_index, expected, tmp_path):
    # the check has teeth: the same follow-up text gets different answers in different sessions
    by_question: dict[str, set[str]] = {}
    for qs, answers in zip(SESSIONS, expected, strict=True):
        for q, (text, _) in zip(qs, answers, strict=True):
            by_question.setdefault(q, set()).add(text)
    assert len(by_question[US]) >= 3 and len(by_question[ELSE_HE]) >= 2 and len(by_question[LIM_IT]) >= 2, by_question

    got: list[list[tuple[str, list] | None]] = [[None] * len(qs) for qs in SESSIONS]
    times: list[list[tuple[float, float]]] = [[] for _ in SESSIONS]
    errors: list[str] = []
    at_gate = threading.Barrier(len(SESSIONS) + 1, timeout=180)
    upload_running = threading.Event()
    upload_result: dict = {}

    def session(i: int) -> None:
        try:
            client = _client(app_url)
            for k, q in enumerate(SESSIONS[i]):
                if k == GATE:
                    at_gate.wait()
                    if not upload_running.wait(180):
                        raise TimeoutError("the upload never started")
                t0 = time.monotonic()
                text, cites = client.predict(q, api_name="/ask")
                times[i].append((t0, time.monotonic()))
                got[i][k] = _norm(text, cites)
        except Exception as e:  # collected and asserted below
            errors.append(f"session {i}: {type(e).__name__}: {e}")
            at_gate.abort()

    def upload() -> None:
        try:
            at_gate.wait()
            src = tmp_path / "incoming.txt"
            src.write_text(NEW_TEXT)
            result = upload_via_app(app_url, [(src, NEW_NAME)], on_start=upload_running.set)
            upload_result.update(result)
        except Exception as e:
            errors.append(f"upload: {type(e).__name__}: {e}")
        finally:
            upload_running.set()

    threads = [threading.Thread(target=session, args=(i,), name=f"session-{i}") for i in range(len(SESSIONS))]
    threads.append(threading.Thread(target=upload, name="upload"))
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert not any(t.is_alive() for t in threads), "a session hung"
    assert not errors, errors

    # the upload went through the app and added the article
    assert upload_result.get("success"), upload_result
    assert f"Added: {NEW_ID}" in upload_result["output"][0], upload_result["output"][0]
    # questions were answered while the article was being indexed
    during = [
        (s, e) for ts in times for s, e in ts if upload_result["started"] <= s and e <= upload_result["completed"]
    ]
    print(f"upload indexed in {upload_result['completed'] - upload_result['started']:.2f} s; "
          f"{len(during)} of {sum(map(len, times))} questions answered meanwhile")
    assert during, "no question was answered while the upload was being indexed"

    # every answer equals the lone session's for the same history, before and after the upload
    after = [lone_answers(live_index, qs) for qs in SESSIONS]
    for i, qs in enumerate(SESSIONS):
        for k, q in enumerate(qs):
            assert expected[i][k] == after[i][k], (
                f"adding an unrelated article changed a lone answer (session {i}, turn {k}, {q!r}): "
                f"{expected[i][k][0]!r} -> {after[i][k][0]!r}"
            )
            assert got[i][k] == expected[i][k], (
                f"session {i}, turn {k} {q!r} differs from a lone session's answer\n"
                f"got:      {got[i][k][0]!r}\nexpected: {expected[i][k][0]!r}"
            )

    # a new session can ask about the uploaded article
    text, cites = _client(app_url).predict(NEW_QUESTION, api_name="/ask")
    assert NEW_QUOTE in text, text
    assert cites and cites[0]["article_id"] == NEW_ID and cites[0]["speaker"] == "Oh Min-jae", cites
    (stored,) = (live_index / "uploads").iterdir()
    assert stored.name != NEW_NAME and stored.read_text() == NEW_TEXT

