"""Index segments: the vectors and BM25 of a batch of passages and quotes, written beside the old
ones (hard links) or merged into one, and the fsync helpers that make a generation durable.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .vectors import DenseIndex, LexicalIndex, make_faiss

#: A build adds a segment while the index has fewer than this many, and the new items are
#: under ``MERGE_SHARE`` of the whole; otherwise it merges everything into one segment
#: (a merge policy in the manner of Lucene's: small additions stay cheap).
MAX_SEGMENTS = 8
MERGE_SHARE = 0.25


def _link_tree(src: Path, dst: Path) -> None:
    """Hard-link every file of ``src`` into ``dst`` (copy where links are impossible); old files are never written."""
    for dirpath, _, files in os.walk(src):
        target = dst / Path(dirpath).relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        for f in files:
            try:
                os.link(Path(dirpath) / f, target / f)
            except OSError:
                shutil.copy2(Path(dirpath) / f, target / f)


def _should_merge(old_meta: dict | None, new_items: int, counts: dict) -> bool:
    """True when this build merges all segments into one (and re-clusters the speaker registry)."""
    old_segments = list(old_meta.get("segments", [])) if old_meta else []
    total = counts["passages"] + counts["quotes"]
    return not old_segments or len(old_segments) >= MAX_SEGMENTS or new_items > MERGE_SHARE * total


def _write_segments(tmp, old, old_meta, new_passages, new_quotes, pv, qv, counts, settings, store,
                    merge: bool) -> list[str]:
    """Write the vectors and BM25 of the new items as a new segment beside the old ones (hard links),
    or merge everything into one segment (see ``MAX_SEGMENTS``). Returns the segment names in order."""
    import numpy as np

    old_segments = list(old_meta.get("segments", [])) if old_meta else []
    next_n = 1 + max((int(n.split("-")[1]) for n in old_segments), default=0)
    name = f"seg-{next_n:06d}"
    seg_dir = tmp / name
    seg_dir.mkdir()
    dim = pv.shape[1] if len(pv) else qv.shape[1]
    for kind, items, vecs, n_total in (("passages", new_passages, pv, counts["passages"]),
                                       ("quotes", new_quotes, qv, counts["quotes"])):
        if merge:
            dense = DenseIndex(make_faiss(dim, n_total, settings.index.hnsw_threshold))
            for seg in old_segments:
                prev = DenseIndex.load(old / seg / f"{kind}.faiss")
                ids = faiss_ids(prev)
                if ids:
                    dense.add(ids, np.vstack([prev.index.reconstruct(int(i)) for i in ids]))
            ids, texts = store.passage_texts() if kind == "passages" else store.quote_texts()
        else:
            dense = DenseIndex(make_faiss(dim, len(items), settings.index.hnsw_threshold))
            ids, texts = [x.id for x in items], [x.text for x in items]
        dense.add([x.id for x in items], vecs)
        dense.save(seg_dir / f"{kind}.faiss")
        LexicalIndex.build(ids, texts).save(seg_dir / f"bm25-{kind}")
    if merge:
        return [name]
    for seg in old_segments:
        _link_tree(old / seg, tmp / seg)
    return [*old_segments, name]


def faiss_ids(dense: DenseIndex) -> list[int]:
    """Ids held by an ID-mapped FAISS index, in insertion order."""
    import faiss

    return faiss.vector_to_array(dense.index.id_map).tolist()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    _fsync_file(path)


def _fsync_tree(root: Path) -> None:
    for dirpath, _, files in os.walk(root):
        for f in files:
            _fsync_file(Path(dirpath) / f)
        _fsync_dir(Path(dirpath))
