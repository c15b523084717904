"""Cleaning of article text: page furniture, doubled lines, run-together sentences.

All rules are general (no list of one site's lines):

* control characters (NUL, C0/C1 except tab and newline) are dropped and line
  ends normalised to ``\\n``;
* *furniture* is removed from the head and the tail of a page: short lines
  (at most ``MAX_FURNITURE_WORDS`` words) with no sentence-final punctuation,
  such as "Back To Top", "MOST POPULAR", "subscribe", and lines without any
  Latin letter in an otherwise Latin-script article (a stray line in another
  script);
* a paragraph repeated verbatim right after itself (a photo caption printed
  twice by the page template) is kept once;
* run-together sentences ("pandemic.Some 100", upstream loss of paragraph
  breaks) get a space after the sentence-final mark, placed after a closing
  quotation mark or before an opening one by the parity of straight double
  quotes seen so far.
"""

from __future__ import annotations

import re
import unicodedata

MAX_FURNITURE_WORDS = 4
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]]\s*$")
_LATIN = re.compile(r"[A-Za-z]")
# lower-case letter, digit, % or ) then . ! ? then an optional quote mark, then a capitalised word
# (or an acronym: "KCDC.An educator")
_RUN_TOGETHER = re.compile(r"(?:(?<=[a-z0-9%)])|(?<=[A-Z]{2}))([.!?])([\"”’]?)(?=[A-Z][a-z])")


def strip_control(text: str) -> str:
    """Remove NUL and other control characters (Unicode category Cc) except tab and newline, and byte-order
    marks; normalise line ends.

    Format characters (category Cf: bidi marks such as U+202A, zero-width joiners, soft hyphens) are kept:
    they are part of the text as published, and a quote cited without them would not stand in the source
    as given. The parser sees them as spaces (:func:`assistant.nlp.clean_for_parse`).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and ch != "\ufeff"))


def _is_furniture(line: str, latin_article: bool) -> bool:
    s = line.strip()
    if not s:
        return True
    if latin_article and not _LATIN.search(s):
        return True
    words = s.split()
    return len(words) <= MAX_FURNITURE_WORDS and not _SENTENCE_END.search(s)


def strip_furniture(lines: list[str]) -> list[str]:
    """Drop furniture lines from the head and tail of a page (see module docstring)."""
    text = " ".join(lines)
    latin_article = len(_LATIN.findall(text)) > 0.5 * max(1, sum(ch.isalpha() for ch in text))
    lo, hi = 0, len(lines)
    while lo < hi and _is_furniture(lines[lo], latin_article):
        lo += 1
    while hi > lo and _is_furniture(lines[hi - 1], latin_article):
        hi -= 1
    return lines[lo:hi]


def drop_repeated_lines(lines: list[str]) -> list[str]:
    """Keep one copy of a non-empty line repeated verbatim right after itself (blank lines between allowed)."""
    out: list[str] = []
    last = None
    for line in lines:
        key = line.strip()
        if key and key == last:
            continue
        if key:
            last = key
        out.append(line)
    return out


def repair_run_together(text: str) -> str:
    """Insert the missing space in "pandemic.Some" and 'year."Industry' (see module docstring)."""
    out: list[str] = []
    pos = 0
    quotes_before = 0
    for m in _RUN_TOGETHER.finditer(text):
        quotes_before += text.count('"', pos, m.start())
        mark, q = m.group(1), m.group(2)
        out.append(text[pos : m.start()])
        if q == '"' and quotes_before % 2 == 0:
            out.append(f"{mark} {q}")  # an opening quote starts the next sentence
        else:
            out.append(f"{mark}{q} ")
        quotes_before += q.count('"')
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _squeeze_blank_lines(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def clean_text(text: str, *, page: bool = True) -> str:
    """Clean one article body.

    ``page=True`` (plain-text scrapes) also strips head/tail furniture; records
    from JSONL, whose text is already a body, get only control-character
    removal, de-duplication of repeated lines and the run-together repair.
    Returns the cleaned text (may be empty).
    """
    text = strip_control(text)
    lines = text.split("\n")
    if page:
        lines = strip_furniture(lines)
    lines = drop_repeated_lines(lines)
    return repair_run_together(_squeeze_blank_lines(lines))


def split_headline(text: str) -> tuple[str, str]:
    """Split a leading headline line (no sentence-final mark, under 25 words) off a page.

    Returns ``(title, body)``; ``title`` is "" when the first line reads as a sentence.
    """
    first, sep, rest = text.partition("\n")
    s = first.strip()
    if sep and rest.strip() and s and len(s.split()) < 25 and not re.search(r"[.!?\"”]$", s):
        return s, rest.strip()
    return "", text
