"""Shared helpers of the benchmarks: machine description, timing, corpus slices, cached indexes.

Every benchmark prints :func:`machine_line` (cores, CPU model from /proc/cpuinfo,
load average at start and end) beside its figures, because the machine is shared
and figures taken under load are not comparable with figures taken idle.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"
DEFAULT_CACHE = Path("/tmp/bench-cache")

if str(ROOT) not in sys.path:  # run as `python benchmarks/x.py` from anywhere
    sys.path.insert(0, str(ROOT))


# ---------------------------------------------------------------------------- machine
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_avg() -> str:
    try:
        a, b, c = os.getloadavg()
        return f"{a:.2f} {b:.2f} {c:.2f}"
    except OSError:
        return "n/a"


def machine_info() -> dict:
    """Cores, CPU model, load average (1/5/15 min), memory, date (UTC), Python."""
    mem = "n/a"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "mem": mem,
        "load": load_avg(),
        "python": platform.python_version(),
    }


def machine_line(label: str = "machine") -> str:
    m = machine_info()
    return f"{label}: {m['date']}; {m['cores']} cores, {m['cpu']}, {m['mem']}; load avg {m['load']}; Python {m['python']}"


# ---------------------------------------------------------------------------- timing
@contextmanager
def timed(out: dict, key: str):
    """``with timed(t, "parse"): ...`` adds the wall seconds to ``t["parse"]`` and the CPU seconds to ``t["parse_cpu"]``."""
    t0, c0 = time.perf_counter(), cpu_seconds()
    try:
        yield
    finally:
        out[key] = out.get(key, 0.0) + time.perf_counter() - t0
        out[key + "_cpu"] = out.get(key + "_cpu", 0.0) + cpu_seconds() - c0


def time_calls(fn: Callable, args: Iterable) -> list[float]:
    """Wall seconds of ``fn(a)`` for each ``a``."""
    out = []
    for a in args:
        t0 = time.perf_counter()
        fn(a)
        out.append(time.perf_counter() - t0)
    return out


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation (numpy's default)."""
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype="float64"), p)) if values else float("nan")


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and its waited-for children."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def max_rss_mb() -> float:
    """Peak resident memory of this process (ru_maxrss, MiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Current resident memory (MiB), from psutil if installed, else /proc/self/status."""
    try:
        import psutil

        return psutil.Process().memory_info().rss / 1024 / 1024
    except ImportError:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1024 / 1024


def fmt_ratio(num: float, den: float) -> str:
    return f"{num / den:.2f}" if den else "n/a"


def verdict(value: float, target: float, higher_is_better: bool = False) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "MET" if ok else "NOT MET"


# ---------------------------------------------------------------------------- corpus
def require_shared() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"corpus folder {CORPUS} not found; the benchmarks need /work/shared")


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    """The first ``limit`` records of a JSON-lines file (all when ``limit`` is None)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(out) >= limit:
                break
            if line.strip():
                out.append(json.loads(line))
    return out


def corpus(name: str, limit: int | None = None) -> list[dict]:
    return read_jsonl(CORPUS / f"{name}.jsonl", limit)


# ---------------------------------------------------------------------------- indexes
def has_index(folder: Path) -> bool:
    return (Path(folder) / "CURRENT").is_file()


def cached_index(folder: Path, sources: Callable[[], list], label: str = "") -> tuple[Path, float | None]:
    """Build the index at ``folder`` from ``sources()`` unless it exists; returns (folder, build seconds or None)."""
    folder = Path(folder)
    if has_index(folder):
        return folder, None
    from assistant.indexing import build_index

    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        if time.time() - last[0] > 30 or done == total:
            last[0] = time.time()
            print(f"  [{time.strftime('%H:%M:%S')}] building {label or folder.name}: {stage} {done}/{total}",
                  file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    summary = build_index(sources(), folder, progress=progress)
    secs = time.perf_counter() - t0
    print(f"  built {folder}: {summary.line()}", file=sys.stderr, flush=True)
    return folder, secs


def query_sources(limit: int | None = None) -> list:
    """The query-benchmark corpus: ggt-2019 + koreaherald-2020 + polnear-2016 + bbc-2005 + the seed article.

    ``limit`` caps polnear and bbc at ``limit`` articles each (ggt, koreaherald and the seed are always whole:
    the dev gold asks about them).
    """
    from assistant.api import sample_articles

    if limit is None:  # whole files, as `assistant index` would be given them
        names = ("ggt-2019", "koreaherald-2020", "polnear-2016", "bbc-2005")
        return [str(CORPUS / f"{n}.jsonl") for n in names] + [str(p) for p in sample_articles()]
    return [
        *corpus("ggt-2019"),
        *corpus("koreaherald-2020"),
        *corpus("polnear-2016", limit),
        *corpus("bbc-2005", limit),
        *sample_articles(),
    ]


def query_index_dir(cache: Path, limit: int | None) -> Path:
    return Path(cache) / ("query-all" if limit is None else f"query-{limit}")
