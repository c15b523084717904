"""Smoke test of the benchmarks: ``benchmarks/build.py --limit 5`` runs and prints its figures and the machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "corpus" / "bbc-2005.jsonl").is_file(), reason=f"{SHARED} (the corpora) is absent")
def test_build_benchmark_prints_its_figures(tmp_path):
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "build.py"), "--limit", "5", "--cache", str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    text = out.stdout
    assert "slice: 5 records" in text
    assert "articles/s" in text and "passages/s" in text
    assert "ratio build / (parse + encode)" in text
    assert "ratio quotes / parse" in text
    assert "cores" in text and "load avg" in text
