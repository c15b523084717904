"""The passes run in order over one article: :func:`extract_quotes_doc` and :func:`extract_quotes`."""

from __future__ import annotations

from typing import Any

from ..kinds import QuoteKind
from ..models import Quote
from ..nlp import load_nlp, parse
from .context import ArticleContext
from .cues import find_cues
from .direct import attach_direct, named_fragment
from .headline import headline
from .indirect import indirect
from .marks import classify, find_quoted_spans
from .people import build_mentions
from .posts import embedded_posts
from .resolve import resolve_all
from .settings import AttributionSettings, using


def extract_quotes(text: str, nlp: Any = None, article_id: str = "") -> list[Quote]:
    """Extract attributed quotes from raw ``text``.

    Parses ``text`` once (long texts in chunks, see :func:`assistant.nlp.parse`)
    and calls :func:`extract_quotes_doc`.  Returned offsets index ``text`` as
    given; ``quote.text == text[quote.start:quote.end]``.  Never raises on odd
    input (unbalanced marks, control characters, non-English text): it may
    return an empty list.
    """
    if not text or not text.strip():
        return []
    doc = parse(text, nlp or load_nlp())
    return extract_quotes_doc(doc, article_id=article_id, text=text)


def extract_quotes_doc(doc: Any, article_id: str = "", text: str | None = None,
                       settings: AttributionSettings | None = None) -> list[Quote]:
    """Extract attributed quotes from an already parsed spaCy ``Doc``.

    Offsets are character offsets into ``doc.text``.  ``text``, when given, is
    the original the Doc was parsed from (``doc.text`` is its
    :func:`assistant.nlp.clean_for_parse` form, of the same length): quote
    texts, cues and mentions are read from it, so they stand verbatim in the
    article.  Raises ``ValueError`` when its length differs.  Needs the parser and
    NER (``en_core_web_sm``; best with :func:`assistant.nlp.load_nlp`, whose
    ``paragraph_breaks`` component keeps paragraphs apart in the parse).
    Returns quotes sorted by ``start``, each with ``kind``
    ``direct``/``indirect``/``mixed``, the cue and the speaker mention as
    written, and the speaker resolved within this article.  Raises
    ``ValueError`` when the Doc has no dependency parse.  Runs in time linear
    in the Doc length (about 3% of the parse time). ``settings`` (default: the
    ones in force, :func:`assistant.attribution.settings.current`) steer the passes.
    """
    if len(doc) and not doc.has_annotation("DEP"):
        raise ValueError("extract_quotes_doc needs a parsed Doc (pipeline with a parser)")
    if text is not None and len(text) != len(doc.text):
        raise ValueError(f"extract_quotes_doc: text has {len(text)} characters, the Doc {len(doc.text)}")
    with using(settings):
        return run(ArticleContext(doc, article_id, text))


def run(ctx: ArticleContext) -> list[Quote]:
    """All passes over one article; the quotes sorted by start."""
    doc, text = ctx.doc, ctx.text
    if len(doc) == 0:
        return []
    spans = find_quoted_spans(text)
    classify(text, spans, ctx.paras)
    for s in spans:
        if not s.direct and s.closed and named_fragment(ctx, s):
            s.direct = True
    ctx.mark_spans(spans)
    ctx.sentence_bounds()
    ctx.mentions = build_mentions(ctx)
    cues = find_cues(ctx)
    used_verbs: set[int] = set()
    direct_quotes = attach_direct(ctx, cues, used_verbs)
    indirect_quotes = indirect(ctx, cues, used_verbs)
    quotes = direct_quotes + indirect_quotes + headline(ctx)  # (quote, subject token or -1)
    quotes.sort(key=lambda t: t[0].start)
    quotes = _dedupe(quotes)
    resolve_all(ctx, quotes)
    out = [q for q, _ in quotes] + embedded_posts(ctx)
    out.sort(key=lambda q: q.start)
    for q in out:
        q.article_id = ctx.article_id
    return out


def _dedupe(quotes: list[tuple[Quote, int]]) -> list[tuple[Quote, int]]:
    """Drop a reported statement inside one of the six quotes before it."""
    out: list[tuple[Quote, int]] = []
    for q, s in quotes:
        dup = False
        for q2, _ in out[-6:]:
            if q2.start <= q.start and q.end <= q2.end and q.kind != QuoteKind.DIRECT:
                dup = True
                break
        if not dup:
            out.append((q, s))
    return out
