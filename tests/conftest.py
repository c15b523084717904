"""Shared fixtures: the shared corpora (skipped cleanly where absent) and indexes built once per session."""

from __future__ import annotations

import os
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
