"""Pass 5: a headline of the form "Speaker: words" (or "words: Speaker") is attributed too."""

from __future__ import annotations

import re

from ..kinds import QuoteKind
from ..models import Quote
from .context import ArticleContext
from .lexicon import NOT_SPEAKERS


def headline(ctx: ArticleContext) -> list[tuple[Quote, int]]:
    """A headline 'Speaker: what they said' (or 'what they said: Speaker').

    Only the first paragraph, when it is short and has no sentence end.
    The speaker part must be one to five capitalised words.
    """
    for lo, hi in ctx.paras[:2]:
        line = ctx.text[lo:hi]
        if len(line) > 200 or line.rstrip().endswith((".", "?", "!")) or \
                line.count(":") != 1:
            continue
        got = _headline_line(ctx, lo, line)
        if got:
            return got
    return []


def _headline_line(ctx: ArticleContext, lo: int, line: str) -> list[tuple[Quote, int]]:
    name_re = r"(?:[A-Z][\w.'’-]*\s?){1,5}"
    m = re.match(r"\s*(" + name_re + r"):\s+(\S.*\S)\s*$", line)
    speaker_first = m is not None
    if m is None:
        m = re.match(r"\s*(\S.*\S):\s+(" + name_re + r")\s*$", line)
    if m is None:
        return []
    sp_g, ct_g = (1, 2) if speaker_first else (2, 1)
    ms, me = lo + m.start(sp_g), lo + m.end(sp_g)
    mention = ctx.text[ms:me].rstrip()
    if mention.isupper() or mention.lower() in NOT_SPEAKERS:
        return []  # "READ MORE: ...", "WATCH: ..."
    me = ms + len(mention)
    cs, ce = lo + m.start(ct_g), lo + m.end(ct_g)
    if len(ctx.text[cs:ce].split()) < 3:
        return []
    a, b = ctx.ix.tok_at_or_after(ms), ctx.ix.tok_before(me)
    if not (0 <= a <= b < len(ctx.doc)):
        return []
    colon = lo + line.index(":")
    q = Quote(text=ctx.text[cs:ce], start=cs, end=ce, kind=QuoteKind.INDIRECT, cue=":",
              cue_start=colon, cue_end=colon + 1)
    q.__dict__["_mrange"] = (a, b)
    return [(q, b)]
