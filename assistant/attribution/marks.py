"""Pass 1: quotation marks, paired on the text alone (no parse needed).

Marks are paired per paragraph (straight and curly double quotes; a
paragraph whose quote is not closed continues when the next paragraph opens
with a mark, the newspaper convention for multi-paragraph quotes; where the break
was lost, a straight mark after a finished sentence and before a capital letter
opens the next piece of the same quotation).  A quoted
span long enough and standing at a sentence start (or after ``:``/``,``) is a
*direct quote*; a short one inside a sentence ("constructive") is a
*fragment* and only marks reported speech as mixed (:func:`classify`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import MINOR_WORDS
from .settings import current

OPENERS = "“„‟«"
CLOSERS = "”»"
STRAIGHT = '"'
_MARKS = re.compile(r"’’|''|‘‘|``|[\"“”„‟«»]")


@dataclass
class QSpan:
    """A span between quotation marks: [start, end) including the marks."""

    start: int
    end: int
    closed: bool
    para: int
    chain: int = -1
    direct: bool = False
    words: int = 0
    #: the quotation goes on in the next span: a new paragraph's opening mark after a sentence
    #: the mark before left open, in text whose paragraph break was lost
    continued: bool = False


def _hard_wrapped(text: str) -> bool:
    """True for text whose lines are wrapped at a fixed width (Reuters-style)."""
    lines = [ln for ln in text[:20000].split("\n") if ln.strip()]
    if len(lines) < 6:
        return False
    lengths = sorted(len(ln) for ln in lines)
    open_ends = sum(1 for ln in lines if ln.rstrip()[-1:] not in '.?!:"”’)')
    return lengths[len(lengths) // 2] < 90 and open_ends > 0.5 * len(lines)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (start, end) without the line breaks, blank ones dropped.

    A line break ends a paragraph, except in hard-wrapped text where only a
    blank line or an indented line does.
    """
    out = []
    pos = 0
    brk = r"\n(?:[ \t]*\n)+|\n(?=[ \t]{2,}\S)" if _hard_wrapped(text) else r"\n"
    for m in re.finditer(brk, text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _role(text: str, i: int, j: int, lo: int, hi: int) -> str:
    """'open', 'close' or 'either' for the mark ``text[i:j]`` from its context."""
    mark = text[i:j]
    p = text[i - 1] if i > lo else " "
    n = text[j] if j < hi else " "
    opener = p.isspace() or p in "([{—–-/:;‘'"
    closer = n.isspace() or n in ".,;:!?)]}—–-…'’"
    if mark in OPENERS or mark in ("‘‘", "``"):
        return "close" if closer and not opener and n != " " else "open"
    if mark in CLOSERS or mark == "’’":
        # a closing mark used to open ("”This is ...") at a paragraph start
        return "open" if opener and not closer and i == lo else "close"
    if opener and not closer:
        return "open"
    if closer and not opener:
        return "close"
    return "either"


def _pair_in_paragraph(text: str, lo: int, hi: int, pi: int) -> tuple[list[QSpan], int]:
    """The closed spans of paragraph ``pi`` (``text[lo:hi]``) and the offset of a mark left open (-1)."""
    open_at = -1
    para_spans: list[QSpan] = []
    for m in _MARKS.finditer(text, lo, hi):
        i = m.start()
        role = _role(text, i, m.end(), lo, hi)
        if role == "either":
            role = "close" if open_at >= 0 else "open"
        if role == "open":
            if open_at >= 0 and _reopens(text, open_at, i, m.end(), hi):
                # '"... was reared. "I am led to ponder ..."': one quotation over two paragraphs
                para_spans.append(QSpan(open_at, _trim_end(text, open_at, i), True, pi, continued=True))
                open_at = i
                continue
            if open_at >= 0 and m.group() in (STRAIGHT, "''"):
                role = "close"
            else:
                open_at = i
                continue
        if role == "close" and open_at >= 0:
            para_spans.append(QSpan(open_at, m.end(), True, pi))
            open_at = -1
    return para_spans, open_at


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over the whitespace before it, never before ``start``."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _reopens(text: str, open_at: int, i: int, j: int, hi: int) -> bool:
    """Is the straight mark ``text[i:j]``, met while the one at ``open_at`` is open, a new paragraph's
    opening mark (the newspaper convention for a quotation over several paragraphs, the break lost)?
    It must stand after whitespace and before a capital letter, the open quotation must hold at least
    four words, and its text must end a sentence before it."""
    if text[i:j] != STRAIGHT or i == 0 or not text[i - 1].isspace() or j >= hi or not text[j].isupper():
        return False
    inner = text[open_at + 1:i].rstrip()
    return inner[-1:] in (".", "?", "!") and len(inner.split()) >= 4


def _link_pieces(spans: list[QSpan], chain_id: int) -> int:
    """Give a span marked ``continued`` and the span after it one chain id; the next free id."""
    for a, b in zip(spans, spans[1:]):
        if a.continued:
            if a.chain < 0:
                a.chain = chain_id
                chain_id += 1
            b.chain = a.chain
    return chain_id


def _keeps_unclosed(text: str, paras: list[tuple[int, int]], q: QSpan) -> bool:
    """An unclosed span not continued: kept only when it filled its paragraph and is short."""
    lo_prev = paras[q.para][0]
    filled = not text[lo_prev:q.start].strip()
    return filled and (q.end - q.start) <= current().max_unclosed


def find_quoted_spans(text: str) -> list[QSpan]:
    """Pair double quotation marks paragraph by paragraph.

    Returns spans sorted by start.  Unbalanced marks never produce a span
    running past its paragraph; an unclosed mark produces a span only at a
    paragraph start (multi-paragraph convention) and for paragraphs of at
    most ``max_unclosed`` characters (:mod:`.settings`).
    """
    paras = paragraphs(text)
    spans: list[QSpan] = []
    chain_id = 0
    prev_unclosed: QSpan | None = None
    for pi, (lo, hi) in enumerate(paras):
        first = lo + (len(text[lo:hi]) - len(text[lo:hi].lstrip()))
        para_spans, open_at = _pair_in_paragraph(text, lo, hi, pi)
        starts_with_mark = bool(text[first:first + 1]) and (
            text[first] in OPENERS or text[first] == STRAIGHT)
        if prev_unclosed is not None:
            if starts_with_mark:
                if prev_unclosed.chain < 0:
                    prev_unclosed.chain = chain_id
                    chain_id += 1
                if para_spans and para_spans[0].start == first:
                    para_spans[0].chain = prev_unclosed.chain
            elif prev_unclosed.chain < 0:
                # not continued: keep it only when it filled its paragraph
                # and is short
                if not _keeps_unclosed(text, paras, prev_unclosed):
                    spans.remove(prev_unclosed)
            prev_unclosed = None
        if open_at >= 0:
            q = QSpan(open_at, _trim_end(text, open_at, hi), False, pi)
            if spans and spans[-1].chain >= 0 and spans[-1].para == pi - 1:
                q.chain = spans[-1].chain
            para_spans.append(q)
            prev_unclosed = q
        chain_id = _link_pieces(para_spans, chain_id)
        spans.extend(para_spans)
    if prev_unclosed is not None and prev_unclosed.chain < 0:
        if not _keeps_unclosed(text, paras, prev_unclosed):
            spans.remove(prev_unclosed)
    spans = [s for s in spans if s.end - s.start <= current().max_direct]
    spans.sort(key=lambda s: s.start)
    return spans


def classify(text: str, spans: list[QSpan], paras: list[tuple[int, int]]) -> None:
    """Mark each span ``direct`` (a standalone quote) or not (fragment)."""
    for s in spans:
        inner = text[s.start : s.end].strip("\"“”„‟«»’‘'`")
        s.words = len(inner.split())
        lo = paras[s.para][0]
        before = text[lo : s.start].rstrip()
        prev = before[-1:] if before else ""
        at_start = not before or prev in ".?!:;—–…(" or (
            prev == "," and s.words >= 4) or before.endswith("--")
        ends_punct = inner.rstrip()[-1:] in {",", ".", "?", "!", "…", "—", "-"}
        if s.chain >= 0 or not s.closed:
            s.direct = s.words >= 2
        elif s.words >= 3 and at_start:
            s.direct = True
        elif s.words >= 8 and ends_punct:
            s.direct = True
        else:
            s.direct = False


#: How far (characters, same paragraph) a reported-speech span may grow to close a quotation it cuts.
BALANCE_REACH = 300


def balance_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A reported-speech span that never cuts a quotation inside it: ``(start, end)`` balanced.

    A quotation opened inside and not closed runs on to its closing mark (in the same
    paragraph, within :data:`BALANCE_REACH` characters), else the span ends before its
    opening mark ('the ruling would "make more difficult' -> 'the ruling would'); a
    quotation closed inside but opened before the span starts at its opening mark, under
    the same conditions, else the span starts after the closing mark.
    """
    inner = text[start:end]
    straight = inner.count('"')
    if straight % 2 == 1 or inner.count("“") > inner.count("”"):
        m = re.match(rf'[^"”\n]{{0,{BALANCE_REACH}}}?["”]', text[end:])
        if m:
            end += m.end()
        else:
            cut = max(inner.rfind("“"), inner.rfind('"') if straight % 2 else -1)
            if cut > 0:
                end = start + len(inner[:cut].rstrip(" ,;:"))
    inner = text[start:end]
    if inner.count("”") > inner.count("“"):
        first_close = inner.find("”")
        m = re.search(rf'“[^”\n]{{0,{BALANCE_REACH}}}$', text[max(0, start - BALANCE_REACH):start])
        if m and "“" not in inner[:first_close]:
            start = max(0, start - BALANCE_REACH) + m.start()
        elif "“" not in inner[:first_close]:
            start += first_close + 1
            start += len(text[start:end]) - len(text[start:end].lstrip(" ,;:"))
    return start, end


def is_title(quoted: str) -> bool:
    """True for a short quoted span in title case ("The Kid Who Would Be King")."""
    words = re.findall(r"[A-Za-z][\w'’-]*", quoted)
    if not 2 <= len(words) <= 8 or re.search(r"[.?!,]\W*$", quoted):
        return False
    return all(w[0].isupper() for w in words if w.lower() not in MINOR_WORDS) and \
        words[0][0].isupper()
