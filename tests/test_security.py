"""Security: loopback binding, no outbound connections, no unpickling of user files, upload names.

The app runs in a subprocess (``python app.py --index DIR --port P``, host left at its
default) under a network guard: a ``sitecustomize`` module, put first on ``PYTHONPATH``,
wraps ``socket.socket.connect``/``connect_ex``, ``socket.getaddrinfo`` and
``socket.gethostbyname`` and installs an audit hook on the same events, so that every
connection to a non-loopback address and every name lookup other than ``localhost`` is
written to a log file and refused. The index starts empty, so the same guarded process
also builds the index (the bundled sample) before serving.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import upload_via_app

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "assistant"

GUARD = r'''
"""Test network guard: record and refuse non-loopback connections and DNS lookups."""
import ipaddress as _ip
import json as _json
import os as _os
import socket as _socket
import sys as _sys

_LOG = _os.environ.get("NET_GUARD_LOG")


def _record(kind, what):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(_json.dumps({"kind": kind, "what": repr(what), "pid": _os.getpid(), "argv": _sys.argv[:3]}) + "\n")


def _local_name(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip().lower().rstrip(".")
    if host in ("", "localhost") or host.endswith(".localhost"):
        return True
    try:
        _ip.ip_address(host.split("%")[0])
    except ValueError:
        return False  # a name: would need DNS
    return True  # a numeric address needs no lookup; connect() judges it


def _local_addr(address):
    if not (isinstance(address, tuple) and address and isinstance(address[0], (str, bytes))):
        return True  # AF_UNIX paths, netlink, ...
    host = address[0].decode() if isinstance(address[0], bytes) else address[0]
    host = host.split("%")[0]
    if host == "localhost":
        return True
    try:
        a = _ip.ip_address(host)
    except ValueError:
        return False  # connect() to a name resolves it
    if a.version == 6 and a.ipv4_mapped is not None:
        a = a.ipv4_mapped
    return a.is_loopback or a.is_unspecified


def _refuse(kind, what):
    _record(kind, what)
    raise OSError(f"network guard: {kind} {what!r} refused")


if _LOG:
    def _audit(event, args):
        if event == "socket.connect" and not _local_addr(args[1]):
            _refuse("connect", args[1])
        elif event == "socket.getaddrinfo" and not _local_name(args[0]):
            _refuse("getaddrinfo", args[0])
        elif event in ("socket.gethostbyname", "socket.gethostbyaddr") and not _local_name(args[0]):
            _refuse(event.split(".")[1], args[0])

    _sys.addaudithook(_audit)

    _connect, _connect_ex = _socket.socket.connect, _socket.socket.connect_ex
    _getaddrinfo, _gethostbyname = _socket.getaddrinfo, _socket.gethostbyname

    def connect(self, address):
        if not _local_addr(address):
            _refuse("connect", address)
        return _connect(self, address)

    def connect_ex(self, address):
        if not _local_addr(address):
            _refuse("connect", address)
        return _connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _local_name(host):
            _record("getaddrinfo", host)
            raise _socket.gaierror(_socket.EAI_NONAME, f"network guard: lookup of {host!r} refused")
        return _getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host):
        if not _local_name(host):
            _refuse("gethostbyname", host)
        return _gethostbyname(host)

    _socket.socket.connect, _socket.socket.connect_ex = connect, connect_ex
    _socket.getaddrinfo, _socket.gethostbyname = getaddrinfo, gethostbyname
    _record("armed", _sys.executable)
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _guard_env(tmp: Path) -> tuple[dict, Path]:
    """Environment for a guarded subprocess and the log it writes."""
    guard_dir = tmp / "guard"
    guard_dir.mkdir(exist_ok=True)
    (guard_dir / "sitecustomize.py").write_text(GUARD)
    log = tmp / "net-guard.jsonl"
    log.touch()
    env = dict(os.environ, NET_GUARD_LOG=str(log), PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join([str(guard_dir), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env, log


def _log_entries(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def _client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False)


@pytest.fixture(scope="module")
def guarded_app(tmp_path_factory):
    """``python app.py`` with defaults except index and port, under the network guard, on an empty index."""
    tmp = tmp_path_factory.mktemp("security")
    env, log = _guard_env(tmp)
    index = tmp / "index"
    port = _free_port()
    out = (tmp / "app.out").open("w")
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--index", str(index), "--port", str(port)],
        cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        import urllib.request

        deadline = time.monotonic() + 300  # the first start indexes the sample article
        while True:
            assert proc.poll() is None, f"app exited {proc.returncode}:\n{(tmp / 'app.out').read_text()}"
            assert time.monotonic() < deadline, "app did not serve within 300 s"
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        yield {"url": url, "port": port, "proc": proc, "log": log, "index": index, "tmp": tmp,
               "out": tmp / "app.out"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()


# ======================================================================================
# Binding
# ======================================================================================


def _hex_addr(field: str) -> tuple[str, int]:
    """An address of /proc/net/tcp{,6} ("0100007F:1EFB") as (ip, port)."""
    import ipaddress

    addr, port = field.split(":")
    raw = bytes.fromhex(addr)
    # the kernel prints each 32-bit word in host (little-endian) order
    raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(raw)), int(port, 16)


def _listening(pid: int) -> list[tuple[str, int]]:
    """(address, port) of every TCP socket in LISTEN state owned by process ``pid``."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            cols = line.split()
            if cols[3] == "0A" and cols[9] in inodes:  # 0A = TCP_LISTEN
                found.append(_hex_addr(cols[1]))
    return found


def test_defaults_bind_loopback(monkeypatch, tmp_path):
    """``launch``, ``python app.py`` and ``assistant serve`` default to host 127.0.0.1."""
    import inspect

    import assistant.webapp as webapp

    assert inspect.signature(webapp.launch).parameters["host"].default == "127.0.0.1"
    calls: list[dict] = []
    monkeypatch.setattr(webapp, "launch", lambda **kw: calls.append(kw))
    monkeypatch.syspath_prepend(str(REPO))
    import app

    app.main(["--index", str(tmp_path), "--port", "7999"])
    from typer.testing import CliRunner

    from assistant.cli import app as cli

    result = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path), "--port", "7998"])
    assert result.exit_code == 0, result.output
    assert [c["host"] for c in calls] == ["127.0.0.1", "127.0.0.1"], calls


@pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="needs Linux /proc/net/tcp")
def test_app_listens_only_on_loopback(guarded_app):
    """``python app.py`` without --host: its only listening socket is 127.0.0.1:port."""
    listening = _listening(guarded_app["proc"].pid)
    assert listening == [("127.0.0.1", guarded_app["port"])], listening


# ======================================================================================
# No outbound connections
# ======================================================================================


def test_network_guard_records_and_refuses(tmp_path):
    """Positive control: the guard sees and refuses a lookup and a connection to a public address."""
    env, log = _guard_env(tmp_path)
    code = (
        "import socket\n"
        "for target in (('example.com', 80), ('192.0.2.1', 9)):\n"
        "    try:\n"
        "        socket.create_connection(target, timeout=2).close(); print('connected', target)\n"
        "    except OSError as e:\n"
        "        print('refused', target, e)\n"
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
        "c = socket.create_connection(s.getsockname(), timeout=2); c.close(); s.close(); print('loopback ok')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "connected" not in r.stdout and "loopback ok" in r.stdout, r.stdout
    kinds = [(e["kind"], e["what"]) for e in _log_entries(log)]
    assert ("getaddrinfo", "'example.com'") in kinds, kinds
    assert any(k == "connect" and "192.0.2.1" in w for k, w in kinds), kinds
    assert not any("127.0.0.1" in w for k, w in kinds if k == "connect"), kinds


# ======================================================================================
# No pickle, no eval
# ======================================================================================


class _Trap:
    """Unpickling this creates ``marker`` (``open(marker, "w")``)."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _payload(marker: Path) -> bytes:
    return pickle.dumps(_Trap(marker), protocol=pickle.HIGHEST_PROTOCOL)


def test_pickle_payload_is_live(tmp_path):
    """Control: the payload does create its marker when unpickled, so its absence below means something."""
    marker = tmp_path / "control-marker"
    pickle.loads(_payload(marker)).close()  # noqa: S301  (the control)
    assert marker.exists()


def test_pickled_files_are_never_unpickled(tmp_path):
    from assistant.indexing import build_index

    marker = tmp_path / "PWNED"
    good_jsonl = tmp_path / "good.jsonl"
    good_jsonl.write_text(json.dumps({
        "id": "jsonl-1", "title": "Port reopens",
        "text": 'The port reopened on Monday. "Ships are moving again," harbour master Yoon Dae-ho said.',
    }) + "\n")
    good_json = tmp_path / "good.json"
    good_json.write_text(json.dumps([{
        "id": "json-1", "title": "Bridge closes",
        "text": 'The bridge closed for repairs on Friday. "It will take a month," engineer Seo Ji-hye said.',
    }]))
    pkl = tmp_path / "articles.pkl"
    pkl.write_bytes(_payload(marker))
    fake_jsonl = tmp_path / "pickled.jsonl"  # pickle bytes behind a supported name
    fake_jsonl.write_bytes(_payload(marker))
    fake_json = tmp_path / "pickled.json"
    fake_json.write_bytes(_payload(marker))
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "more.pkl").write_bytes(_payload(marker))

    summary = build_index([good_jsonl, good_json, pkl, fake_jsonl, fake_json, folder], tmp_path / "index")
    assert not marker.exists(), "a pickle payload was unpickled"
    assert summary.added_articles == 2, summary.line()
    problems = {Path(p.path).name: p.problem for p in summary.problems}
    assert "unsupported file type '.pkl'" in problems.get("articles.pkl", ""), problems
    assert "pickled.jsonl" in problems and "pickled.json" in problems, problems
    assert "more.pkl" not in str(problems)  # a folder's unsupported files are not read at all

    from assistant.webapp import stage_uploads

    check = stage_uploads([(pkl, "articles.pkl"), (pkl, "articles.jsonl.pkl")], tmp_path / "uploads")
    assert not check.staged and len(check.refused) == 2
    assert all("unsupported file type '.pkl'" in m for m in check.refused), check.refused
    assert not marker.exists()


_RISKY_CALLS = {
    "eval", "exec", "pickle.load", "pickle.loads", "pickle.Unpickler", "cPickle.load", "cPickle.loads",
    "dill.load", "dill.loads", "cloudpickle.load", "cloudpickle.loads", "joblib.load", "marshal.load",
    "marshal.loads", "shelve.open", "pandas.read_pickle", "pd.read_pickle",
}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def test_package_source_has_no_eval_exec_or_unpickling():
    """Walk assistant/**/*.py: no eval/exec, no pickle-family loads, no numpy.load(allow_pickle=True), no torch.load
    without weights_only=True, no yaml.load."""
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    found = []
    for path in files:
        tree = ast.parse(path.read_text(), filename=str(path))
        aliases = {}  # `import numpy as np`, `from pickle import loads as l`
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    aliases[a.asname or a.name] = a.name
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _dotted(node.func)
            head, _, rest = name.partition(".")
            full = aliases.get(head, head) + (f".{rest}" if rest else "")
            kw = {k.arg: k.value for k in node.keywords}
            where = f"{path.relative_to(REPO)}:{node.lineno}: {name}"
            if name in _RISKY_CALLS or full in _RISKY_CALLS:
                found.append(where)
            elif full in ("numpy.load", "np.load") and _is_true(kw.get("allow_pickle")):
                found.append(where + "(allow_pickle=True)")
            elif full == "torch.load" and not _is_true(kw.get("weights_only")):
                found.append(where + " without weights_only=True")
            elif full == "yaml.load" and "safe" not in ast.unparse(kw.get("Loader", ast.Constant(""))).lower():
                found.append(where)
    assert not found, found


# ======================================================================================
# Uploads through the running app: names never choose where files are written
# ======================================================================================


def _upload(url: str, files: list[tuple[Path, str]]) -> dict:
    """Upload ``files`` (path, name the browser sends) as the page does and press *Add articles*."""
    return upload_via_app(url, files)


def _article(title: str, speaker: str, words: str) -> str:
    return f'{title}\n\nOfficials met on Monday to discuss {words}.\n\n"We agreed on {words}," {speaker} said.\n'


def test_upload_names_with_absolute_paths_and_symlinks_write_nowhere_else(guarded_app, tmp_path):
    uploads = guarded_app["index"] / "uploads"
    uploads.mkdir(exist_ok=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("original content\n")
    # a symlink planted in the uploads folder, named like the next upload
    (uploads / "notes.txt").symlink_to(victim)
    absolute_target = outside / "abs-article.txt"
    src = [tmp_path / f"src{i}.txt" for i in range(3)]
    src[0].write_text(_article("Absolute name", "Finance Minister Ahn Sung-woo", "a new tax on sugar"))
    src[1].write_text(_article("Symlink name", "Energy Minister Bae Min-ho", "a grid of solar farms"))
    src[2].write_text(_article("Dot-dot name", "Health Minister Cho Yu-na", "free flu shots for children"))
    before = set(uploads.iterdir())

    res = _upload(guarded_app["url"], [
        (src[0], str(absolute_target)),
        (src[1], "notes.txt"),
        (src[2], "../../../" + str(outside.relative_to("/")) + "/dotdot.txt"),
    ])
    assert res["status"] == 200 and res["success"], res
    assert "Added:" in res["html"], res["html"]
    # nothing was written outside the uploads folder, nor through the symlink
    assert not absolute_target.exists()
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    assert victim.read_text() == "original content\n"
    assert (uploads / "notes.txt").is_symlink() and os.readlink(uploads / "notes.txt") == str(victim)
    new = set(uploads.iterdir()) - before
    assert len(new) == 3, new
    for p in new:
        assert p.parent == uploads and not p.is_symlink() and len(p.stem) == 32 and p.suffix == ".txt", p
    assert sorted(p.read_text() for p in new) == sorted(s.read_text() for s in src)
    # gradio's own copies are in its cache, under the plain last part of the name
    for path in res["paths"]:
        assert not Path(path).is_relative_to(outside), path
    # the three articles are answerable, under ids made of the plain last part of each name
    client = _client(guarded_app["url"])
    _, cites = client.predict("What did Bae Min-ho say about solar farms?", api_name="/ask")
    assert cites and cites[0]["speaker"] == "Bae Min-ho", cites
    assert "/" not in cites[0]["article_id"] and ".." not in cites[0]["article_id"], cites[0]


def test_stage_uploads_ignores_absolute_names_and_planted_symlinks(tmp_path):
    """The app's own check, behind gradio's (which already keeps only a name's last part)."""
    from assistant.webapp import stage_uploads

    uploads = tmp_path / "uploads"
    uploads.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("original content\n")
    (uploads / "notes.txt").symlink_to(victim)
    src = tmp_path / "src.txt"
    src.write_text(_article("Names", "Mayor Ryu Han-na", "new bus lanes"))
    check = stage_uploads([(src, str(outside / "abs.txt")), (src, "notes.txt"), (src, "C:\\Windows\\x.txt")], uploads)
    assert not check.refused, check.refused
    assert [u.display_name for u in check.staged] == ["abs.txt", "notes.txt", "x.txt"]
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"] and victim.read_text() == "original content\n"
    for up in check.staged:
        assert up.path.parent == uploads and not up.path.is_symlink() and len(up.path.stem) == 32
        assert up.path.read_text() == src.read_text()


def test_upload_limits_through_the_app(guarded_app, tmp_path):
    """Over the count limit: nothing kept; a file over gradio's request limit is refused before reaching the app."""
    from assistant.webapp import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES

    uploads = guarded_app["index"] / "uploads"
    uploads.mkdir(exist_ok=True)
    before = set(uploads.iterdir())
    many = []
    for i in range(MAX_UPLOAD_FILES + 1):
        p = tmp_path / f"many-{i}.txt"
        p.write_text(_article(f"Batch {i}", f"Mayor Kim Batch{i}", f"road number {i}"))
        many.append((p, p.name))
    res = _upload(guarded_app["url"], many)
    assert res["status"] == 200 and res["success"], res
    assert f"the limit is {MAX_UPLOAD_FILES}" in res["html"] and "Added:" not in res["html"], res["html"]
    assert set(uploads.iterdir()) == before

    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:  # over the 5 x 10 MB request limit given to gradio by launch()
        fh.truncate(MAX_UPLOAD_BYTES * 5 + 1024)
    res = _upload(guarded_app["url"], [(huge, "huge.txt")])
    assert res["status"] == 413, res
    assert set(uploads.iterdir()) == before


def test_upload_report_names_only_articles_added(guarded_app, tmp_path):
    """Two identical files in one upload: one article is indexed, and only it is reported as added."""
    uploads = guarded_app["index"] / "uploads"
    uploads.mkdir(exist_ok=True)
    before = set(uploads.iterdir())
    src = tmp_path / "twin.txt"
    src.write_text(_article("Twin article", "Farm Minister Nam Gi-tae", "rice prices in autumn"))
    res = _upload(guarded_app["url"], [(src, "first-twin.txt"), (src, "second-twin.txt")])
    assert res["status"] == 200 and res["success"], res
    assert "indexed 1 article" in res["html"] and "1 duplicate skipped" in res["html"], res["html"]
    assert len(set(uploads.iterdir()) - before) == 1, "the duplicate's copy was kept"
    assert "Added: first-twin." in res["html"], res["html"]  # not "Added: first-twin, second-twin."


def test_pickle_upload_through_the_app_is_refused(guarded_app, tmp_path):
    marker = tmp_path / "PWNED-upload"
    pkl = tmp_path / "evil.pkl"
    pkl.write_bytes(_payload(marker))
    uploads = guarded_app["index"] / "uploads"
    uploads.mkdir(exist_ok=True)
    before = set(uploads.iterdir())
    res = _upload(guarded_app["url"], [(pkl, "evil.pkl")])
    # refused either by the upload component's file types or by the app's own check
    refused = res["status"] != 200 or not res["success"] or "unsupported file type '.pkl'" in res["html"]
    assert refused and "Added:" not in (res.get("html") or ""), res
    assert not marker.exists()
    assert set(uploads.iterdir()) == before


# ======================================================================================
# Last: nothing above (index build, answers, uploads) reached beyond loopback
# ======================================================================================


def test_app_and_index_builder_make_no_outbound_connection(guarded_app):
    """Index the sample (first start), serve, answer over gradio_client: no attempt beyond loopback."""
    client = _client(guarded_app["url"])
    text, cites = client.predict("What did Kang say about China?", api_name="/ask")
    assert cites and cites[0]["speaker"] == "Kang Kyung-wha", text
    text2, _ = client.predict("And what about the US?", api_name="/ask")
    assert "Kang" in text2, text2
    import urllib.request

    with urllib.request.urlopen(guarded_app["url"], timeout=10) as r:  # the page itself
        assert r.status == 200
    entries = _log_entries(guarded_app["log"])
    armed = [e for e in entries if e["kind"] == "armed"]
    assert any(e["pid"] == guarded_app["proc"].pid for e in armed), "the guard was not active in the app process"
    attempts = [e for e in entries if e["kind"] != "armed"]
    assert not attempts, attempts
    out = guarded_app["out"].read_text()
    assert "indexing the bundled sample" in out and "indexed 1 article" in out, out
