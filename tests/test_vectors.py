"""Lexical and dense indexes split into segments score like one index; reciprocal rank fusion."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.fuse import rrf
from assistant.vectors import DenseIndex, LexicalIndex, SegmentedDense, SegmentedLexical, make_faiss

TEXTS = [
    "The minister said sanctions on the North would stay in place.",
    "Police said the road reopened after the storm on Monday.",
    "The mayor promised new funding for the city's buses.",
    "Sanctions relief was not on the table, the envoy told reporters.",
    "Storm damage closed two schools, the school board said.",
    "The envoy said talks with the North could resume in spring.",
]


def test_segments_rank_like_one_bm25_index():
    whole = LexicalIndex.build(list(range(6)), TEXTS)
    parts = SegmentedLexical([LexicalIndex.build([0, 1, 2, 3], TEXTS[:4]), LexicalIndex.build([4, 5], TEXTS[4:])])
    for query in ("sanctions North", "storm schools", "envoy talks spring"):
        assert [i for i, _ in parts.search(query, 3)] == [i for i, _ in whole.search(query, 3)]
        assert np.allclose(parts.scores(query), whole.scores(query), rtol=0.35)
    assert [i for i, _ in parts.search("sanctions", 5, subset=[3, 4, 5])] == [3]
    assert parts.search("zebra", 3) == []


def test_segmented_dense_merges_and_reconstructs():
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(6, 8)).astype("float32")
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    a, b = DenseIndex(make_faiss(8, 3, 1000)), DenseIndex(make_faiss(8, 3, 1000))
    a.add([10, 11, 12], vecs[:3])
    b.add([13, 14, 15], vecs[3:])
    both = SegmentedDense([a, b])
    assert both.size == 6
    assert [i for i, _ in both.search(vecs[4], 1)] == [14]
    assert np.allclose(both.reconstruct(12), vecs[2])
    assert [i for i, _ in both.search(vecs[0], 2, subset=[10, 15])][0] == 10
    with pytest.raises(KeyError):
        both.reconstruct(99)


def test_rrf_rewards_agreement_and_checks_weights():
    fused = rrf([["a", "b", "c"], ["b", "a", "d"]], k=60)
    assert [d for d, _ in fused][:2] in (["a", "b"], ["b", "a"])
    assert fused[-1][0] in ("c", "d")
    assert rrf([["x"], ["y"]], weights=[2.0, 1.0])[0][0] == "x"
    with pytest.raises(ValueError, match="2 weights for 1 rankings"):
        rrf([["x"]], weights=[1.0, 1.0])
