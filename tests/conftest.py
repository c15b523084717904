"""Shared fixtures: the shared corpora (skipped cleanly where absent) and indexes built once per session."""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_ID = "yonhap-2017-08-23-moon-engage-denuclearize"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test (with the reason printed) where it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared holds the real corpora; a fresh clone has none)")
    return path


def shared_records_assistant(tmp_path_factory, corpus: str, ids: set[str], name: str):
    """An Assistant built over the records ``ids`` of ``../shared/corpus/<corpus>`` (skipped where absent).

    The records are copied to a JSONL file of their own under a fresh temporary folder
    named after ``name``; the index is built beside it.
    """
    from assistant import Assistant

    path = shared_path("corpus", corpus)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if json.loads(line)["id"] in ids]
    assert len(lines) == len(ids), f"{len(ids) - len(lines)} of {sorted(ids)} missing from {path}"
    folder = tmp_path_factory.mktemp(name)
    (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Assistant.build([folder / f"{name}.jsonl"], folder / "index")


@pytest.fixture(scope="session")
def sample_file() -> Path:
    """The seed article bundled inside the package."""
    from assistant.api import sample_articles

    (path,) = [p for p in sample_articles() if p.stem == SEED_ID]
    return path


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, sample_file) -> Path:
    """An index of the bundled seed article alone."""
    from assistant.indexing import build_index

    d = tmp_path_factory.mktemp("seed-index")
    build_index([sample_file], d)
    return d


@pytest.fixture(scope="session")
def kh_seed_index(tmp_path_factory) -> Path:
    """koreaherald-2020.jsonl plus the seed article from ../shared (about 30 s to build)."""
    from assistant.indexing import build_index

    kh = shared_path("corpus", "koreaherald-2020.jsonl")
    seed = shared_path("corpus", f"{SEED_ID}.txt")
    d = tmp_path_factory.mktemp("kh-seed-index")
    build_index([kh, seed], d)
    return d


def upload_via_app(url: str, files: list[tuple[Path, str]], on_start=None, timeout: float = 300) -> dict:
    """Upload ``files`` (path, name sent) as the page does and press *Add articles*.

    POSTs the files to ``/gradio_api/upload``, joins the queue with the add button's event
    (found in ``/config`` by the button's elem_id) and reads the event stream to the end.
    ``on_start()`` is called when the app begins processing the event. Returns
    ``{"status", "started": t, "completed": t, "output": [...], "html", "success": bool, "error", "paths"}``
    (monotonic times; ``status`` is the upload's HTTP status, ``text`` its body when not 200).
    """
    import httpx

    with httpx.Client(base_url=url.rstrip("/"), timeout=timeout) as http:
        config = http.get("/config").json()
        prefix = config.get("api_prefix", "/gradio_api")
        ids = {c["props"].get("elem_id"): c["id"] for c in config["components"]}
        (dep,) = [d for d in config["dependencies"] if [ids["wsw-add"], "click"] in d["targets"]]
        assert dep["inputs"] == [ids["wsw-upload"]], dep
        handles = [(name, open(path, "rb")) for path, name in files]
        try:
            r = http.post(f"{prefix}/upload", files=[("files", (name, fh, "text/plain")) for name, fh in handles])
        finally:
            for _, fh in handles:
                fh.close()
        if r.status_code != 200:
            return {"status": r.status_code, "text": r.text, "output": None, "success": False}
        payload = [
            {"path": p, "orig_name": name, "meta": {"_type": "gradio.FileData"}}
            for p, (_, name) in zip(r.json(), files, strict=True)
        ]
        session = uuid.uuid4().hex
        joined = http.post(
            f"{prefix}/queue/join",
            json={"data": [payload], "event_data": None, "fn_index": dep["id"], "trigger_id": ids["wsw-add"],
                  "session_hash": session},
        )
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        out: dict = {"status": 200, "started": None, "completed": None, "output": None, "success": False}
        with http.stream("GET", f"{prefix}/queue/data", params={"session_hash": session}) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                msg = json.loads(line[5:])
                if msg.get("event_id") != event_id:
                    continue
                if msg.get("msg") == "process_starts":
                    out["started"] = time.monotonic()
                    if on_start is not None:
                        on_start()
                if msg.get("msg") == "process_completed":
                    out["completed"] = time.monotonic()
                    out["success"] = bool(msg.get("success"))
                    out["output"] = (msg.get("output") or {}).get("data")
                    out["error"] = (msg.get("output") or {}).get("error")
                    out["html"] = (out["output"] or [""])[0]
                    out["paths"] = r.json()
                    break
        return out
