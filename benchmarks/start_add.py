"""Start-up and add benchmark.

1. Start-up: time from launching ``python app.py --index DIR --port P`` (a subprocess) to the
   first answer received through ``gradio_client`` (``client.predict(question, api_name="/ask")``),
   with the intermediate marks (port accepting connections, client connected). Target ≤ 5 s.
2. Add: time of ``Assistant.add`` of one new article (a Reuters 1987 article, from the end of the
   file, not yet in the index) to a copy of
   the query index (~3,400 articles, see ``query.py``), repeated ``--adds`` times with
   different articles. Target ≤ 1 s. A cProfile breakdown says where the time goes
   (SQLite copy, parse, embed, registry, FAISS, BM25, fsync, reopening the index).

    python benchmarks/start_add.py [--limit N] [--cache DIR] [--index DIR] [--adds 3]

``--limit`` is passed to the query index (first N of polnear and bbc); ``--index`` uses an
existing index instead (it is copied before adding to it).
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DEFAULT_CACHE,
    ROOT,
    cached_index,
    corpus,
    load_avg,
    machine_line,
    query_index_dir,
    query_sources,
    require_shared,
    verdict,
)

QUESTION = "What did Kang say about China?"

#: Functions that call the pieces below during a build (the second one writes segmented indexes).
BUILD = ("build_index", "_write_segments")
#: (label, file, function, calling functions or None): cumulative times that make up an add, in pipeline order.
BREAKDOWN = [
    ("load_sources + dedupe", "ingest.py", "load_sources", None),
    ("read old ids/hashes", "store.py", "article_ids_hashes", None),
    ("SQLite copy (backup)", None, "backup", BUILD),
    ("parse + quotes", "indexing.py", "_parse_articles", None),
    ("embed", "embed.py", "encode", BUILD),
    ("speaker registry rebuild", "indexing.py", "_rebuild_registry", None),
    ("speaker registry extend", "indexing.py", "_extend_registry", None),
    ("SQLite commit", "store.py", "commit", None),
    ("FAISS read (old)", "vectors.py", "load", BUILD),
    ("FAISS add", "vectors.py", "add", BUILD),
    ("FAISS + BM25 write", "vectors.py", "save", BUILD),
    ("texts for BM25 (SQLite)", "store.py", "passage_texts", BUILD),
    ("texts for BM25 (SQLite)", "store.py", "quote_texts", BUILD),
    ("BM25 build", "vectors.py", "build", BUILD),
    ("fsync", "indexing.py", "_fsync_tree", None),
    ("remove old generations", "indexing.py", "_remove_leftovers", None),
    ("reopen index (Index.open)", "indexing.py", "open", None),
    ("  of which FAISS + BM25 load", "vectors.py", "load", ("__init__",)),
    ("answerer.set_index (registry, word map)", "answer.py", "set_index", ("add",)),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def startup(index_dir: Path, timeout: float = 300) -> dict[str, float]:
    """Seconds from starting ``app.py`` to: port open, client connected, first answer."""
    from gradio_client import Client

    port = free_port()
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--index", str(index_dir), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while not port_open(port):
            if proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {proc.returncode}: {proc.stderr.read()[-2000:]}")
            if time.perf_counter() - t0 > timeout:
                raise RuntimeError("app.py did not open its port in time")
            time.sleep(0.05)
        marks["port open"] = time.perf_counter() - t0
        while True:
            try:
                client = Client(f"http://127.0.0.1:{port}/", verbose=False)
                break
            except Exception:  # server up but not ready yet
                if time.perf_counter() - t0 > timeout:
                    raise
                time.sleep(0.1)
        marks["client connected"] = time.perf_counter() - t0
        text, citations = client.predict(QUESTION, api_name="/ask")
        marks["first answer"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        client.predict("And what about the US?", api_name="/ask")
        marks["second answer (latency)"] = time.perf_counter() - t1
        marks["answer chars"] = len(text)
        marks["citations"] = len(citations)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return marks


ANATOMY = """
import json, sys, time
t0 = time.perf_counter(); marks = {}
import assistant.webapp  # noqa: gradio
marks["import gradio + webapp"] = time.perf_counter() - t0; t = time.perf_counter()
from assistant.api import Assistant
a = Assistant.load(sys.argv[1])
marks["Assistant.load (SQLite, FAISS, BM25, registry)"] = time.perf_counter() - t; t = time.perf_counter()
a.index.encoder.warm_up()
marks["encoder load (torch, sentence-transformers, weights)"] = time.perf_counter() - t; t = time.perf_counter()
a.ask(sys.argv[2])
marks["first ask"] = time.perf_counter() - t; t = time.perf_counter()
a.ask(sys.argv[2])
marks["second ask"] = time.perf_counter() - t
print(json.dumps(marks))
"""


def startup_anatomy(index_dir: Path) -> dict[str, float]:
    """Where start-up time goes, in a fresh process, in the order the app pays it (sequentially)."""
    out = subprocess.run([sys.executable, "-c", ANATOMY, str(index_dir), QUESTION], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def copy_index(src: Path, dst: Path) -> Path:
    """A copy of the live generation of ``src`` at ``dst`` (a fresh index folder)."""
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    gen = (src / "CURRENT").read_text().strip()
    shutil.copytree(src / gen, dst / gen)
    (dst / "CURRENT").write_text(gen)
    return dst


def breakdown(stats) -> list[tuple[str, float]]:
    """Cumulative seconds per BREAKDOWN label (restricted to the given caller where one is named)."""
    totals: dict[str, float] = {}
    for (file, _line, fn), (_, _, _, ct, callers) in stats.stats.items():
        for label, fname, func, caller in BREAKDOWN:
            if fn != func or (fname is not None and Path(file).name != fname):
                continue
            if caller is None:
                totals[label] = totals.get(label, 0.0) + ct
            else:
                for (_, _, cfn), (_, _, _, cct) in callers.items():
                    if cfn in caller:
                        totals[label] = totals.get(label, 0.0) + cct
    return [(label, totals.get(label, 0.0)) for label in dict.fromkeys(b[0] for b in BREAKDOWN)]


def adds(index_dir: Path, work: Path, n: int) -> tuple[list[tuple[float, list[tuple[str, float]], object]], list[float]]:
    """Profiled then unprofiled adds of one Reuters article each to a copy of ``index_dir``."""
    import cProfile
    import pstats

    from assistant.api import Assistant
    from assistant.ingest import text_hash

    copy_index(index_dir, work)
    a = Assistant.load(work)
    a.ask(QUESTION)
    a.index.encoder.encode(["warm up the encoder"])  # models loaded before timing (the app loads spaCy on first add)
    from assistant.nlp import load_nlp

    load_nlp()
    present = a.index.store.article_ids_hashes()
    fresh = [r for r in reversed(corpus("reuters-1987")) if r["id"] not in present
             and text_hash(r["text"]) not in set(present.values())][: 2 * n]  # from the end: not in any scale index
    articles, later = fresh[:n], fresh[n:]
    out = []
    for rec in articles:
        pr = cProfile.Profile()
        t0 = time.perf_counter()
        pr.enable()
        summary = a.add([rec])
        pr.disable()
        secs = time.perf_counter() - t0
        out.append((secs, breakdown(pstats.Stats(pr)), summary))
    # the same add, unprofiled, for a clean wall time
    clean = []
    for rec in later:
        t0 = time.perf_counter()
        a.add([rec])
        clean.append(time.perf_counter() - t0)
    return out, clean


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="query index with the first N of polnear and bbc")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cache folder (default /tmp/bench-cache)")
    ap.add_argument("--index", type=Path, default=None, help="use this existing index")
    ap.add_argument("--adds", type=int, default=3, help="articles added one at a time (default 3)")
    ap.add_argument("--skip-startup", action="store_true")
    args = ap.parse_args(argv)
    require_shared()
    print(machine_line("machine at start"), flush=True)
    folder = args.index
    if folder is None:
        folder, _ = cached_index(query_index_dir(args.cache, args.limit), lambda: query_sources(args.limit),
                                 "query index")

    if not args.skip_startup:
        for attempt in (1, 2):  # the first start also warms the OS file cache
            m = startup(folder)
            print(f"start-up #{attempt} (python app.py --index {folder}): "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in m.items() if k.endswith(("open", "connected", "answer")))
                  + f"; then a follow-up answered in {m['second answer (latency)']:.2f} s; "
                  f"{int(m['citations'])} citations  [load {load_avg()}]")
            print(f"  first answer <= 5 s: {verdict(m['first answer'], 5.0)}", flush=True)

        parts = startup_anatomy(folder)
        print("start-up anatomy (fresh process, sequential): "
              + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()) + f"  [load {load_avg()}]", flush=True)

    work = args.cache / "add-work"
    profiled, clean = adds(folder, work, args.adds)
    for i, (secs, parts, summary) in enumerate(profiled, 1):
        print(f"add #{i} (profiled): {secs:.2f} s; {summary.line()}")
        other = secs - sum(v for k, v in parts if not k.startswith(" "))
        print("  " + ", ".join(f"{k} {v:.2f}" for k, v in parts if v >= 0.005) + f", other {other:.2f} (s)")
    print("add, unprofiled: " + ", ".join(f"{s:.2f} s" for s in clean)
          + f"  (target <= 1 s: {verdict(min(clean), 1.0)})  [load {load_avg()}]")
    shutil.rmtree(work, ignore_errors=True)
    print(machine_line("machine at end"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
