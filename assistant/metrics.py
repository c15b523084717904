"""Pure metric functions shared by the attribution and the Q&A evaluation.

Definitions follow ``shared/gold/README.md``:

* span match (attribution): a predicted quote matches a gold one when their
  spans overlap by at least ``threshold`` (0.3 lenient, 0.8 strict) of the
  *longer* of the two spans;
* quote recall@k (Q&A): a gold quote is found when one of the first k
  citations comes from the right article and covers at least half of the gold
  quote's characters.
"""

from __future__ import annotations

from collections.abc import Sequence


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Number of characters shared by spans [a_start, a_end) and [b_start, b_end)."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def overlap_of_longer(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two spans as a share (0..1) of the longer span's length."""
    longer = max(a[1] - a[0], b[1] - b[0])
    if longer <= 0:
        return 0.0
    return overlap(a[0], a[1], b[0], b[1]) / longer


def coverage(cited: tuple[int, int], gold: tuple[int, int]) -> float:
    """Share (0..1) of the gold span's characters covered by the cited span."""
    length = gold[1] - gold[0]
    if length <= 0:
        return 0.0
    return overlap(cited[0], cited[1], gold[0], gold[1]) / length


def match_spans(
    predicted: Sequence[tuple[int, int]],
    gold: Sequence[tuple[int, int]],
    threshold: float,
) -> list[tuple[int, int]]:
    """One-to-one matching of predicted to gold spans.

    Pairs are taken greedily by decreasing overlap (share of the longer span),
    keeping only pairs with overlap >= ``threshold``. Returns a list of
    ``(predicted_index, gold_index)``.
    """
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            score = overlap_of_longer(p, g)
            if score >= threshold and score > 0:
                candidates.append((score, i, j))
    candidates.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def prf(n_match: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts; 0.0 where undefined."""
    p = n_match / n_pred if n_pred else 0.0
    r = n_match / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}
