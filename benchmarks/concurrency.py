"""Concurrency benchmark: many ``gradio_client`` sessions asking at once.

Starts ``python app.py --index DIR --port P`` in a subprocess (on a copy of the index),
computes each session's expected answers with a lone session (one client at a time, same
server), then runs ``--sessions`` clients in parallel threads, ``--questions`` questions each
(follow-ups included, a different order per session), all released together. Prints the
latency of each ``client.predict(question, api_name="/ask")`` (p50, p95, max), throughput,
errors, answers differing from the lone session's, and the machine (cores, CPU model, load
average before and after).

    python benchmarks/concurrency.py [--index DIR] [--sessions 20] [--questions 10] [--seed 0]

Without ``--index`` it uses an index of the bundled seed article (built once into
``--cache``). The app's ``/ask`` event has ``concurrency_limit=1``: questions are answered one
at a time, so a question's latency under load is mostly its wait in the queue.
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_CACHE, ROOT, cached_index, load_avg, machine_line, percentile  # noqa: E402

KANG_CHINA = "What did Kang say about China?"
US = "And what about the US?"
ELSE_SHE = "What else did she say?"
ELSE_HE = "What else did he say?"
LIM_IT = "What did Lim say about it?"
#: A lead question and the follow-ups that lean on it; sessions shuffle these blocks.
BLOCKS: list[list[str]] = [
    [KANG_CHINA, US, ELSE_SHE],
    ["What did Lim say about Trump?", US, ELSE_HE],
    ["Who said South Korea will mobilize both sanctions and dialogue?", ELSE_HE],
    ["What did Kim Hong-kyun say about sanctions?", LIM_IT],
    ["Did Kang mention Russia?", US],
    ["What did Kang say about Japan?", ELSE_SHE],
    ["What did Moon say about denuclearization?", ELSE_HE, US],
    [KANG_CHINA, LIM_IT],
]


def session_questions(n_sessions: int, n_questions: int, seed: int) -> list[list[str]]:
    """``n_sessions`` question lists of ``n_questions`` each: shuffled blocks, so follow-ups follow a lead."""
    rng = random.Random(seed)
    out = []
    for _ in range(n_sessions):
        qs: list[str] = []
        while len(qs) < n_questions:
            blocks = BLOCKS[:]
            rng.shuffle(blocks)
            for b in blocks:
                qs.extend(b)
        out.append(qs[:n_questions])
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(index_dir: Path, timeout: float = 300) -> tuple[subprocess.Popen, str]:
    """``python app.py --index DIR --port P``; returns once a client gets an answer."""
    from gradio_client import Client

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--index", str(index_dir), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    t0 = time.perf_counter()
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"app.py exited with {proc.returncode}: {proc.stderr.read()[-2000:]}")
        try:
            Client(url, verbose=False, download_files=False).predict(KANG_CHINA, api_name="/ask")
            return proc, url
        except Exception:
            if time.perf_counter() - t0 > timeout:
                proc.kill()
                raise
            time.sleep(0.2)


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_session(url: str, questions: list[str], release: threading.Barrier | None = None) -> dict:
    """One client asking ``questions`` in turn: answers, latencies (s) and errors."""
    from gradio_client import Client

    out: dict = {"answers": [], "latency": [], "errors": []}
    try:
        client = Client(url, verbose=False, download_files=False)
    except Exception as e:
        out["errors"].append(f"connect: {type(e).__name__}: {e}")
        if release is not None:
            release.abort()
        return out
    if release is not None:
        release.wait()
    for q in questions:
        t0 = time.perf_counter()
        try:
            text, cites = client.predict(q, api_name="/ask")
        except Exception as e:
            out["errors"].append(f"{q!r}: {type(e).__name__}: {e}")
            out["answers"].append(None)
            continue
        out["latency"].append(time.perf_counter() - t0)
        out["answers"].append((text, cites))
    return out


def fmt_ms(values: list[float]) -> str:
    return (f"p50 {percentile(values, 50) * 1000:.0f} ms, p95 {percentile(values, 95) * 1000:.0f} ms, "
            f"max {max(values) * 1000:.0f} ms") if values else "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, help="index to serve (copied first); default: the seed article's")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--questions", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    print(machine_line("machine (start)"), flush=True)
    if args.index is None:
        from assistant.api import sample_articles

        args.index, _ = cached_index(args.cache / "seed-index", sample_articles, "seed article")
    workdir = Path(tempfile.mkdtemp(prefix="bench-concurrency-"))
    index_copy = workdir / "index"
    shutil.copytree(args.index, index_copy)
    plans = session_questions(args.sessions, args.questions, args.seed)
    proc, url = start_app(index_copy)
    try:
        # expected answers: each session's questions asked by a lone client, one session at a time
        t0 = time.perf_counter()
        lone = [run_session(url, qs) for qs in plans]
        lone_wall = time.perf_counter() - t0
        lone_errors = [e for r in lone for e in r["errors"]]
        if lone_errors:
            print(f"lone sessions failed: {lone_errors[:5]}", file=sys.stderr)
            return 2
        lone_lat = [x for r in lone for x in r["latency"]]

        # all sessions at once, released together once every client is connected
        release = threading.Barrier(args.sessions)
        results: list[dict] = [{} for _ in plans]

        def worker(i: int) -> None:
            results[i] = run_session(url, plans[i], release)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.sessions)]
        load_before = load_avg()
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        stop_app(proc)
        shutil.rmtree(workdir, ignore_errors=True)

    errors = [e for r in results for e in r.get("errors", [])]
    lat = [x for r in results for x in r.get("latency", [])]
    mismatches = []
    for i, (r, ref) in enumerate(zip(results, lone, strict=True)):
        for k, (got, exp) in enumerate(zip(r.get("answers", []), ref["answers"], strict=False)):
            if got is not None and got != exp:
                mismatches.append(f"session {i} turn {k} {plans[i][k]!r}")
    n = args.sessions * args.questions
    print(f"index: {args.index}")
    print(f"lone sessions (one at a time): {len(lone_lat)} questions in {lone_wall:.1f} s; {fmt_ms(lone_lat)}")
    print(f"{args.sessions} sessions in parallel x {args.questions} questions = {n}: "
          f"{len(lat)} answered in {wall:.1f} s ({len(lat) / wall:.1f} answers/s); {fmt_ms(lat)}")
    print(f"errors: {len(errors)}; answers differing from the lone session's: {len(mismatches)}")
    for line in (errors + mismatches)[:10]:
        print("  " + line)
    print(f"load avg when the parallel run began: {load_before}")
    print(machine_line("machine (end)"))
    return 1 if errors or mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
