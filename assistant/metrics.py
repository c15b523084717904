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


# ---------------------------------------------------------------------------
# Q&A metrics (see ``shared/gold/README.md``, "How an answer is scored").
# All pure: spans are ``(start, end)`` character offsets, end exclusive.
# ---------------------------------------------------------------------------

#: Characters treated as equal when locating a gold quote in a stored text.
_CHAR_FOLD = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "`": "'",
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00ad": "",
}


def _fold(text: str) -> tuple[str, list[int]]:
    """Drop whitespace and fold quote/dash variants; returns (folded, position of each folded char in ``text``)."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        ch = _CHAR_FOLD.get(ch, ch)
        if not ch:
            continue
        chars.append(ch)
        where.append(i)
    return "".join(chars), where


def locate_all(needle: str, haystack: str) -> list[tuple[int, int]]:
    """Every span of ``haystack`` that equals ``needle`` up to whitespace and quote/dash style.

    Cleaning may insert a space ("pandemic.Some" -> "pandemic. Some") or
    reflow lines, so raw gold offsets do not carry over to stored text; this
    finds the gold quote again. Returns ``[(start, end), ...]`` in text order
    (``start`` at the first, ``end`` after the last non-space character
    matched); ``[]`` when absent or when ``needle`` is blank.
    """
    n, _ = _fold(needle)
    if not n:
        return []
    h, where = _fold(haystack)
    spans = []
    i = h.find(n)
    while i >= 0:
        spans.append((where[i], where[i + len(n) - 1] + 1))
        i = h.find(n, i + 1)
    return spans


def locate(needle: str, haystack: str) -> tuple[int, int] | None:
    """The first span found by :func:`locate_all`, or ``None``."""
    spans = locate_all(needle, haystack)
    return spans[0] if spans else None


CitedSpan = tuple[str, int, int]
"""A citation reduced to ``(article_id, start, end)``."""

GoldLocations = Sequence[tuple[str, int, int]]
"""Where one gold quote stands: ``[(article_id, start, end), ...]`` (usually one place)."""


def covers(cited: CitedSpan, gold: GoldLocations, min_coverage: float = 0.5) -> bool:
    """True when ``cited`` comes from a gold location's article and covers >= ``min_coverage`` of its characters."""
    return any(
        cited[0] == art and coverage((cited[1], cited[2]), (s, e)) >= min_coverage for art, s, e in gold
    )


def first_found_rank(cited: Sequence[CitedSpan], gold: GoldLocations, min_coverage: float = 0.5) -> int | None:
    """1-based rank of the first citation that finds this gold quote, or ``None`` when none does."""
    for rank, c in enumerate(cited, start=1):
        if covers(c, gold, min_coverage):
            return rank
    return None


def recall_at_k(
    cited: Sequence[CitedSpan], golds: Sequence[GoldLocations], k: int, min_coverage: float = 0.5
) -> float | None:
    """Share (0..1) of gold quotes found by the first ``k`` citations; ``None`` when there are no gold quotes.

    A gold quote is found when one of ``cited[:k]`` is from its article and
    covers at least ``min_coverage`` (half) of its characters. A gold quote
    that could not be located (empty locations) counts as not found.
    """
    if not golds:
        return None
    top = cited[:k]
    found = sum(1 for g in golds if any(covers(c, g, min_coverage) for c in top))
    return found / len(golds)


def reciprocal_rank(cited: Sequence[CitedSpan], golds: Sequence[GoldLocations], min_coverage: float = 0.5) -> float | None:
    """1 / rank of the first citation that finds any gold quote (0.0 if none); ``None`` without gold quotes.

    The mean over items is the MRR of the first gold quote found.
    """
    if not golds:
        return None
    ranks = [r for g in golds if (r := first_found_rank(cited, g, min_coverage)) is not None]
    return 1.0 / min(ranks) if ranks else 0.0


_NAME_TITLES = frozenset(
    """the mr mrs ms miss dr prof sir dame lord lady rev president vice prime minister foreign deputy
    first secretary senator sen rep representative governor gov mayor premier chancellor ambassador
    spokesman spokeswoman spokesperson director chief chairman chairwoman chair general gen judge justice
    king queen prince princess pope sheikh""".split()
)


def _name_tokens(name: str) -> list[str]:
    """Lower-case name tokens, accents, periods, hyphens and apostrophes removed, leading titles dropped."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    tokens = []
    for raw in text.replace(",", " ").split():
        tok = "".join(ch for ch in raw if ch.isalnum())
        if tok:
            tokens.append(tok)
    while len(tokens) > 1 and tokens[0] in _NAME_TITLES:
        tokens = tokens[1:]
    if len(tokens) > 1 and tokens[-1] in {"jr", "sr", "ii", "iii"}:
        tokens = tokens[:-1]
    return tokens


def same_speaker(predicted: str | None, gold: str | None) -> bool:
    """Whether ``predicted`` names the gold speaker, alias-aware.

    Matches: the same name (case, accents, hyphens and leading titles aside:
    "Foreign Minister Kang Kyung-wha" = "Kang Kyung-wha"); a single-token
    name equal to the other's family name, which is its first token for
    "Kang Kyung-wha" and last for "Andrew Scheer" (so "Kang" = "Kang
    Kyung-wha", "Scheer" = "Andrew Scheer"); a longer name ending with the
    other's full name. Two different full names sharing one token do *not*
    match ("Kim Gang-lip" != "Kim Hong-kyun"). ``None`` never matches.
    """
    if not predicted or not gold:
        return False
    p, g = _name_tokens(predicted), _name_tokens(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    if len(p) == 1 or len(g) == 1:
        short, full = (p, g) if len(p) == 1 else (g, p)
        if len(full) == 1:
            return False
        return short[0] in (full[0], full[-1])
    longer, shorter = (p, g) if len(p) > len(g) else (g, p)
    return len(longer) > len(shorter) and longer[-len(shorter):] == shorter


def speaker_accuracy(speakers: Sequence[str | None], gold: str | None) -> float | None:
    """Share (0..1) of citation speakers that are the gold speaker (:func:`same_speaker`).

    ``None`` when there are no citations or no gold speaker (not applicable).
    """
    if not speakers or not gold:
        return None
    return sum(1 for s in speakers if same_speaker(s, gold)) / len(speakers)


def citation_valid(text: str, start: int, end: int, article_text: str | None) -> bool:
    """True when ``text`` stands verbatim at ``article_text[start:end]``; False for an unknown article (``None``),
    an empty or out-of-range span, or any shifted offset."""
    if article_text is None or start < 0 or end > len(article_text) or start >= end:
        return False
    return article_text[start:end] == text


def abstention_rates(items: Sequence[tuple[bool, int]]) -> dict[str, float | None]:
    """Abstention scores from ``(answerable, n_citations)`` per item.

    Returns ``abstention`` = share of unanswerable items answered with no
    citation, ``false_abstention`` = share of answerable items answered with
    no citation, and the counts ``n_unanswerable``/``n_answerable``; a rate is
    ``None`` when its denominator is 0.
    """
    unans = [n for a, n in items if not a]
    ans = [n for a, n in items if a]
    return {
        "abstention": sum(1 for n in unans if n == 0) / len(unans) if unans else None,
        "false_abstention": sum(1 for n in ans if n == 0) / len(ans) if ans else None,
        "n_unanswerable": len(unans),
        "n_answerable": len(ans),
    }


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0..100) with linear interpolation; ``None`` for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
