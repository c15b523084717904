"""Scale benchmark: the query benchmark on the query index plus Reuters 1987 articles.

* Index: the query index (see ``query.py``; built once, cached) plus the first ``--limit``
  articles of reuters-1987 (default: all 19,043), added with ``build_index`` to a copy and
  cached as ``scale-N``; a larger N starts from the largest cached smaller one.
* For the base index and the scaled one, each in a fresh process: disk size of the index
  (SQLite, FAISS, BM25), resident memory after ``Assistant.load`` and after the questions
  (current RSS and ru_maxrss), and p50/p95 of ``Assistant.ask`` and of the naive dense
  search over the same questions (generated once from the base index, see ``query.py``).
* FAISS: recall@10 of HNSW (``vectors.make_faiss`` above ``Settings.hnsw_threshold``, with
  its M, efConstruction and efSearch; a sweep of other efSearch values follows) against the exact flat index, both built in this
  script over the same stored passage (and quote) vectors of the scaled index, queried with
  the encoded questions (target ≥ 0.98), with build time and per-query search time of both.

    python benchmarks/scale.py [--limit N] [--cache DIR] [--base DIR | --base-limit M] [--questions 200]

``--base DIR`` uses an existing index as base instead of building the query index (e.g. one grown
with ``assistant index`` from a copy of another; it is only read: Reuters goes into copies, cached as
``scale-<DIR name>-N``). ``--base-limit`` uses the query index of ``query.py --limit M`` as base (for
development). Running with growing ``--limit`` and ``--build-only`` adds Reuters in steps, each step
starting from the previous one's cached copy.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DEFAULT_CACHE,
    cached_index,
    corpus,
    current_rss_mb,
    load_avg,
    machine_line,
    query_index_dir,
    query_sources,
    require_shared,
    verdict,
)

REUTERS = 19043


def generation(folder: Path) -> Path:
    return folder / (folder / "CURRENT").read_text().strip()


def disk_sizes(folder: Path) -> dict[str, float]:
    """MiB of the live generation: total, SQLite, FAISS, BM25."""
    gen = generation(folder)
    files = [f for f in gen.rglob("*") if f.is_file()]
    mb = lambda fs: sum(f.stat().st_size for f in fs) / 1024 / 1024  # noqa: E731
    return {
        "total": mb(files),
        "sqlite": mb([f for f in files if f.suffix == ".sqlite"]),
        "faiss": mb([f for f in files if f.suffix == ".faiss"]),
        "bm25": mb([f for f in files if "bm25" in f.parent.name]),
    }


def scaled_index(base: Path, cache: Path, n: int, base_tag: str) -> tuple[Path, float | None]:
    """The base index plus the first ``n`` Reuters articles (cached; grown from the largest smaller one)."""
    from assistant.indexing import build_index

    folder = cache / f"scale{base_tag}-{n}"
    if (folder / "CURRENT").is_file():
        return folder, None
    start, src = 0, base
    for cand in sorted(cache.glob(f"scale{base_tag}-*")):
        try:
            m = int(cand.name.rsplit("-", 1)[1])
        except ValueError:
            continue
        if start < m < n and (cand / "CURRENT").is_file():
            start, src = m, cand
    tmp = cache / f".building-{folder.name}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    gen = generation(src)
    shutil.copytree(gen, tmp / gen.name)
    (tmp / "CURRENT").write_text(gen.name)
    records = corpus("reuters-1987", n)[start:]
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        if time.time() - last[0] > 60 or done == total:
            last[0] = time.time()
            print(f"  [{time.strftime('%H:%M:%S')}] adding Reuters {start}..{n}: {stage} {done}/{total}  "
                  f"[load {load_avg()}]", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    summary = build_index(records, tmp, progress=progress)
    secs = time.perf_counter() - t0
    print(f"  added Reuters {start}..{n} to {src.name}: {summary.line()}", file=sys.stderr, flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder, secs


# ---------------------------------------------------------------------------- one index, in a fresh process
def worker(index: Path, questions_file: Path) -> dict:
    """Load ``index``, measure memory and the latencies of the given questions; a dict of figures."""
    import query

    from assistant.api import Assistant

    rss0 = current_rss_mb()
    t0 = time.perf_counter()
    a = Assistant.load(index)
    a.index.encoder.encode(["load the model"])
    load_s = time.perf_counter() - t0
    rss_load = current_rss_mb()
    qs = [tuple(q) for q in json.loads(questions_file.read_text())]
    errors: list = []
    t_ask, t_naive = query.measure(a, qs, errors)
    return {"errors": errors,
        "index": str(index), "counts": a.counts(), "load_s": load_s, "rss_before_mb": rss0, "rss_loaded_mb": rss_load,
        "rss_after_mb": current_rss_mb(), "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ask": query.summarize(t_ask), "naive": query.summarize(t_naive), "load_avg": load_avg(),
    }


def run_worker(index: Path, questions_file: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", str(index), "--questions-file", str(questions_file)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------- HNSW vs flat
def stored_vectors(folder: Path, name: str):
    """(ids, vectors) of every ``<name>.faiss`` of the live generation (one file, or one per segment)."""
    import faiss
    import numpy as np

    all_ids, all_vecs = [], []
    for f in sorted(generation(folder).rglob(f"{name}.faiss")):
        stored = faiss.read_index(str(f))
        ids = faiss.vector_to_array(stored.id_map).astype("int64")
        if len(ids):
            all_ids.append(ids)
            all_vecs.append(np.vstack([stored.reconstruct(int(i)) for i in ids]).astype("float32"))
    return np.concatenate(all_ids), np.vstack(all_vecs)


def hnsw_recall(folder: Path, qvecs, k: int = 10) -> list[dict]:
    """Recall@k of HNSW against flat over the stored vectors of ``folder`` (passages and quotes)."""
    import faiss
    import numpy as np

    from assistant.settings import Settings
    from assistant.vectors import make_faiss

    out = []
    for name in ("passages", "quotes"):
        ids, vecs = stored_vectors(folder, name)
        dim, n = vecs.shape[1], len(ids)
        flat = make_faiss(dim, n, hnsw_threshold=n + 1)
        hnsw = make_faiss(dim, n, hnsw_threshold=0)
        t0 = time.perf_counter()
        flat.add_with_ids(vecs, ids)
        t_flat_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        hnsw.add_with_ids(vecs, ids)
        t_hnsw_build = time.perf_counter() - t0
        res = {}
        for label, index in (("flat", flat), ("hnsw", hnsw)):
            t0 = time.perf_counter()
            got = [index.search(q.reshape(1, -1), k) for q in qvecs]
            res[label] = (got, (time.perf_counter() - t0) / len(qvecs))
        pairs = list(zip(res["flat"][0], res["hnsw"][0], strict=True))
        recall = float(np.mean([len(set(f[1][0]) & set(h[1][0])) / k for f, h in pairs]))
        # tie-aware: an HNSW hit counts when it is as similar as flat's k-th (duplicate texts have equal vectors)
        recall_sim = float(np.mean([np.sum(h[0][0] >= f[0][0][-1] - 1e-5) / k for f, h in pairs]))
        sweep = {}
        base = faiss.downcast_index(hnsw.index)
        setting = base.hnsw.efSearch  # what make_faiss sets (the recall above is at this value)
        for ef in sorted({64, 128, 256, 512} - {setting}):
            base.hnsw.efSearch = ef
            t0 = time.perf_counter()
            got = [hnsw.search(q.reshape(1, -1), k)[1][0] for q in qvecs]
            ms = (time.perf_counter() - t0) / len(qvecs) * 1e3
            sweep[ef] = (float(np.mean([len(set(f[1][0]) & set(g)) / k for (f, _), g in zip(pairs, got, strict=True)])), ms)
        base.hnsw.efSearch = setting
        out.append({"items": name, "n": n, "ef_search": setting, "recall": recall, "recall_sim": recall_sim, "sweep": sweep, "flat_ms": res["flat"][1] * 1e3,
                    "hnsw_ms": res["hnsw"][1] * 1e3, "flat_build_s": t_flat_build, "hnsw_build_s": t_hnsw_build,
                    "threshold": Settings().hnsw_threshold})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=REUTERS, help="Reuters articles to add (default all 19,043)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cache folder (default /tmp/bench-cache)")
    ap.add_argument("--base", type=Path, default=None, help="base = this existing index (only read)")
    ap.add_argument("--base-limit", type=int, default=None, help="base = the query index of query.py --limit M")
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--build-only", action="store_true", help="only build (or grow) the cached scaled index")
    ap.add_argument("--recall-only", action="store_true", help="only the HNSW vs flat recall")
    ap.add_argument("--worker", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--questions-file", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.questions_file)))
        return 0
    require_shared()
    print(machine_line("machine at start"), flush=True)
    if args.base is not None:
        if not (args.base / "CURRENT").is_file():
            sys.exit(f"--base {args.base}: not an index folder (no CURRENT)")
        base, tag = args.base.resolve(), f"-{args.base.resolve().name}"
    else:
        base, _ = cached_index(query_index_dir(args.cache, args.base_limit), lambda: query_sources(args.base_limit),
                               "query index")
        tag = "" if args.base_limit is None else f"-b{args.base_limit}"
    scaled, add_s = scaled_index(base, args.cache, args.limit, tag)
    if add_s is not None:
        print(f"built {scaled} in {add_s:.0f} s  [load {load_avg()}]", flush=True)
    if args.build_only:
        return 0
    if args.recall_only:
        import query

        from assistant.api import Assistant

        a = Assistant.load(base)
        qvecs = a.index.encoder.encode([q for _, q in query.questions(a, args.questions)])
        report_recall(scaled, qvecs)
        return 0

    import query

    from assistant.api import Assistant

    a = Assistant.load(base)
    qs = query.questions(a, args.questions)
    qfile = args.cache / f"scale-questions{tag}.json"
    qfile.write_text(json.dumps(qs))
    qvecs = a.index.encoder.encode([q for _, q in qs])
    del a

    rows = []
    for folder in (base, scaled):
        r = run_worker(folder, qfile)
        r["disk"] = disk_sizes(folder)
        rows.append(r)
        c = r["counts"]
        print(f"\n{folder.name}: {c['articles']} articles, {c['passages']} passages, {c['quotes']} quotes, "
              f"{c['speakers']} speakers  [load {r['load_avg']}]")
        d = r["disk"]
        print(f"  disk {d['total']:.1f} MiB (SQLite {d['sqlite']:.1f}, FAISS {d['faiss']:.1f}, BM25 {d['bm25']:.1f}); "
              f"load {r['load_s']:.1f} s; RSS {r['rss_before_mb']:.0f} MiB before, {r['rss_loaded_mb']:.0f} after load, "
              f"{r['rss_after_mb']:.0f} after the questions (ru_maxrss {r['maxrss_mb']:.0f})")
        print(f"  p50/p95 ms: ask {r['ask']['p50'] * 1e3:.1f} / {r['ask']['p95'] * 1e3:.1f}, naive "
              f"{r['naive']['p50'] * 1e3:.1f} / {r['naive']['p95'] * 1e3:.1f}; ratio ask/naive p50 "
              f"{r['ask']['p50'] / r['naive']['p50']:.2f}, p95 {r['ask']['p95'] / r['naive']['p95']:.2f}")
        query.report_errors(r["errors"], len(qs))
    b, s = rows
    print(f"\ngrowth {base.name} -> {scaled.name}: articles x{s['counts']['articles'] / b['counts']['articles']:.2f}, "
          f"passages x{s['counts']['passages'] / b['counts']['passages']:.2f}; ask p50 "
          f"x{s['ask']['p50'] / b['ask']['p50']:.2f}, p95 x{s['ask']['p95'] / b['ask']['p95']:.2f}; naive p50 "
          f"x{s['naive']['p50'] / b['naive']['p50']:.2f}, p95 x{s['naive']['p95'] / b['naive']['p95']:.2f}; "
          f"disk x{s['disk']['total'] / b['disk']['total']:.2f}; RSS after load "
          f"x{s['rss_loaded_mb'] / b['rss_loaded_mb']:.2f}")
    report_recall(scaled, qvecs)
    print(machine_line("machine at end"), flush=True)
    return 0


def report_recall(scaled: Path, qvecs) -> None:
    for r in hnsw_recall(scaled, qvecs):
        print(f"FAISS {r['items']} ({r['n']} vectors; HNSW threshold {r['threshold']}): recall@10 HNSW vs flat "
              f"{r['recall']:.3f} (target >= 0.98: {verdict(r['recall'], 0.98, higher_is_better=True)}), "
              f"tie-aware (similarity >= flat's 10th) {r['recall_sim']:.3f}; "
              f"search {r['flat_ms']:.2f} ms flat, {r['hnsw_ms']:.2f} ms HNSW; build {r['flat_build_s']:.2f} s flat, "
              f"{r['hnsw_build_s']:.1f} s HNSW  [load {load_avg()}]")
        print(f"  efSearch sweep ({r['ef_search']} is the setting, measured above): " + ", ".join(
            f"{ef}: recall {rec:.3f}, {ms:.2f} ms" for ef, (rec, ms) in r["sweep"].items()))


if __name__ == "__main__":
    sys.exit(main())
