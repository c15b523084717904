"""Build benchmark: how close does indexing come to its floor (spaCy parse + embedding)?

Indexes a fixed slice of N articles (default 1,000: the first N/2 of bbc-2005 and the
first N/2 of polnear-2016) into a fresh index under the cache folder, timing the
stages (parse + quotes, embed, write). In the same run it measures the floor on the
same cleaned texts:

* parse: ``assistant.nlp.pipe`` (spaCy ``nlp.pipe``, one process) alone;
* quotes: ``extract_quotes_doc`` on those docs (target: ≤ 20 % of parse);
* encode: the embedding of the same passages and quotes alone (256 at a time, as the build).

Prints wall time, articles/s, passages/s, ``build / (parse + encode)`` (target ≤ 1.25),
``quotes / parse``, and the machine (cores, CPU, load average at start and end).
Models are loaded and warmed up before any timing.

``--compare`` also builds the same slice with one parse process
(``ASSISTANT_PARSE_PROCESSES=1``) and checks that both builds hold the same passages,
quotes and speakers (and the same vectors).

    python benchmarks/build.py [--limit N] [--cache DIR] [--compare] [--processes P]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DEFAULT_CACHE,
    corpus,
    cpu_seconds,
    fmt_ratio,
    load_avg,
    machine_line,
    require_shared,
    timed,
    verdict,
)


def slice_records(limit: int) -> list[dict]:
    """The first ceil(N/2) articles of bbc-2005 and the first floor(N/2) of polnear-2016."""
    return corpus("bbc-2005", (limit + 1) // 2) + corpus("polnear-2016", limit // 2)


class StageClock:
    """A build progress callback that records when each stage is first and last seen."""

    def __init__(self):
        self.first: dict[str, tuple[float, float]] = {}
        self.last: dict[str, tuple[float, float]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = (time.perf_counter(), cpu_seconds())
        self.first.setdefault(stage, now)
        self.last[stage] = now


def timed_build(records: list[dict], folder: Path, processes: int | None) -> tuple[float, float, StageClock, object]:
    """Build a fresh index of ``records`` at ``folder``; returns (wall s, cpu s, stage clock, summary)."""
    from assistant.indexing import build_index

    shutil.rmtree(folder, ignore_errors=True)
    old = os.environ.get("ASSISTANT_PARSE_PROCESSES")
    if processes is not None:
        os.environ["ASSISTANT_PARSE_PROCESSES"] = str(processes)
    clock = StageClock()
    try:
        c0, t0 = cpu_seconds(), time.perf_counter()
        summary = build_index(records, folder, progress=clock)
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    finally:
        if old is None:
            os.environ.pop("ASSISTANT_PARSE_PROCESSES", None)
        else:
            os.environ["ASSISTANT_PARSE_PROCESSES"] = old
    clock.start = (t0, c0)  # type: ignore[attr-defined]
    clock.end = (t0 + wall, c0 + cpu)  # type: ignore[attr-defined]
    return wall, cpu, clock, summary


def stage_breakdown(clock: StageClock) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of: reading + dedupe, parse+quotes+SQLite rows, embed, registry+FAISS+BM25+write.

    Stage boundaries are progress calls: the last "parse" call (after the last article's quotes) ends parsing.
    """
    s, e = clock.start, clock.end  # type: ignore[attr-defined]
    p0 = clock.first.get("load", s)
    e0 = clock.last.get("parse", p0)  # the first "embed" call comes after the first 256 texts are encoded
    w0 = clock.first.get("write", clock.last.get("embed", e))
    bounds = {"read": (s, p0), "parse+quotes+sqlite": (p0, e0), "embed": (e0, w0), "registry+faiss+bm25+write": (w0, e)}
    return {k: (b[0] - a[0], b[1] - a[1]) for k, (a, b) in bounds.items()}


def stages_line(stages: dict[str, tuple[float, float]]) -> str:
    return ", ".join(f"{k} {w:.1f} s ({c:.1f} s CPU)" for k, (w, c) in stages.items())


def digest(folder: Path) -> dict[str, list]:
    """Every passage, quote and speaker row of an index (for comparing two builds)."""
    gen = folder / (folder / "CURRENT").read_text().strip()
    db = sqlite3.connect(f"file:{gen / 'store.sqlite'}?mode=ro", uri=True)
    out = {
        "passages": db.execute('SELECT article_id,start,"end" FROM passages ORDER BY id').fetchall(),
        "quotes": db.execute("SELECT * FROM quotes ORDER BY id").fetchall(),
        "speakers": db.execute("SELECT * FROM speakers ORDER BY id").fetchall(),
    }
    db.close()
    return out


def vectors_diff(a: Path, b: Path) -> float:
    """Largest absolute difference between the passage and quote vectors of two indexes (any segment layout)."""
    import numpy as np
    from scale import stored_vectors

    worst = 0.0
    for name in ("passages", "quotes"):
        (ia, va), (ib, vb) = stored_vectors(a, name), stored_vectors(b, name)
        if len(ia) != len(ib):
            return float("inf")
        va, vb = va[np.argsort(ia)], vb[np.argsort(ib)]
        if len(va):
            worst = max(worst, float(np.abs(va - vb).max()))
    return worst


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=1000, help="articles in the slice (default 1000)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cache folder (default /tmp/bench-cache)")
    ap.add_argument("--processes", type=int, default=None,
                    help="parse processes of the measured build (default: the indexer's own choice)")
    ap.add_argument("--compare", action="store_true", help="also build single-process and compare the outputs")
    args = ap.parse_args(argv)
    require_shared()

    from assistant import nlp as nlp_mod
    from assistant.attribution import extract_quotes_doc
    from assistant.embed import get_encoder
    from assistant.ingest import load_sources
    from assistant.settings import Settings

    print(machine_line("machine at start"), flush=True)
    settings = Settings()
    records = slice_records(args.limit)
    nlp = nlp_mod.load_nlp()
    encoder = get_encoder(settings.embedding.model, settings.embedding.batch_size)
    encoder.encode(["warm up the encoder"])
    list(nlp_mod.pipe(["Warm up the parser, he said."], nlp))

    # ---- the build
    folder = args.cache / f"build-{args.limit}"
    wall, cpu, clock, summary = timed_build(records, folder, args.processes)
    stages = stage_breakdown(clock)
    n_art, n_pas, n_quo = summary.added_articles, summary.added_passages, summary.added_quotes
    load_after_build = load_avg()

    # ---- the floor, on the same cleaned texts
    loaded = load_sources(records)
    arts = loaded.articles
    t: dict[str, float] = {}
    with timed(t, "parse"):
        docs = list(nlp_mod.pipe((a.text for a in arts), nlp, batch_size=settings.nlp.parse_batch))
    with timed(t, "quotes"):
        for a, d in zip(arts, docs, strict=True):
            extract_quotes_doc(d, article_id=a.id)
    del docs
    from assistant.store import Store

    gen = folder / (folder / "CURRENT").read_text().strip()
    store = Store(gen / "store.sqlite", readonly=True)
    texts = store.passage_texts()[1] + store.quote_texts()[1]
    store.close()
    with timed(t, "encode"):
        for i in range(0, len(texts), 256):
            encoder.encode(texts[i : i + 256])
    floor = t["parse"] + t["encode"]

    print(f"\nslice: {len(records)} records (bbc-2005 first {(args.limit + 1) // 2}, polnear-2016 first "
          f"{args.limit // 2}) -> {n_art} articles, {n_pas} passages, {n_quo} quotes, "
          f"{summary.totals.get('speakers', 0)} speakers")
    procs = args.processes if args.processes is not None else os.environ.get("ASSISTANT_PARSE_PROCESSES", "default")
    print(f"build (parse processes: {procs}): {wall:.1f} s wall, {cpu:.1f} s CPU (incl. children) -> "
          f"{n_art / wall:.2f} articles/s, {n_pas / wall:.1f} passages/s  [load after build {load_after_build}]")
    print("  stages: " + stages_line(stages))
    print(f"floor (one process): parse {t['parse']:.1f} s ({t['parse_cpu']:.1f} s CPU), encode {t['encode']:.1f} s "
          f"({t['encode_cpu']:.1f} s CPU; {len(texts)} texts, {len(texts) / t['encode']:.1f}/s), "
          f"quotes {t['quotes']:.1f} s ({t['quotes_cpu']:.1f} s CPU)  [load after floor {load_avg()}]")
    r_build = wall / floor
    r_quotes = t["quotes"] / t["parse"]
    floor_cpu = t["parse_cpu"] + t["encode_cpu"]
    print(f"ratio build / (parse + encode), wall = {wall:.1f} / {floor:.1f} = {r_build:.2f}  "
          f"(target <= 1.25: {verdict(r_build, 1.25)}); CPU = {cpu:.1f} / {floor_cpu:.1f} = {fmt_ratio(cpu, floor_cpu)}")
    print(f"ratio quotes / parse, wall = {t['quotes']:.1f} / {t['parse']:.1f} = {r_quotes:.2f}  "
          f"(target <= 0.20: {verdict(r_quotes, 0.20)}); CPU = {fmt_ratio(t['quotes_cpu'], t['parse_cpu'])}")

    if args.compare:
        other = args.cache / f"build-{args.limit}-single"
        wall1, cpu1, clock1, _ = timed_build(records, other, 1)
        st1 = stage_breakdown(clock1)
        print(f"single-process build: {wall1:.1f} s wall, {cpu1:.1f} s CPU; stages: " + stages_line(st1))
        print(f"speed-up of the measured build over single-process: {fmt_ratio(wall1, wall)}x; "
              f"single-process ratio build / floor = {wall1 / floor:.2f}")
        da, db = digest(folder), digest(other)
        same = {k: da[k] == db[k] for k in da}
        print("outputs identical to single-process build: "
              + ", ".join(f"{k} {'yes' if v else 'NO'} ({len(da[k])} vs {len(db[k])})" for k, v in same.items())
              + f"; max |vector difference| {vectors_diff(folder, other):.2e}")
    print(machine_line("machine at end"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
