"""Pass 7: embedded social posts are direct quotes of their author.

A paragraph ending "... pic.twitter.com/x — BC Hydro (@bchydro) December 22,
2018" quotes the account named in the signature; it is resolved on the spot
(no cue, no pronoun), after the other quotes are resolved.
"""

from __future__ import annotations

import re

from ..kinds import QuoteKind, SpeakerType
from ..models import Quote
from .context import ArticleContext
from .lexicon import EMBED_LINK, EMBED_SIG, ORG_NOUNS


def embedded_posts(ctx: ArticleContext) -> list[Quote]:
    """Embedded social posts: a paragraph ending '... pic.twitter.com/x —
    BC Hydro (@bchydro) December 22, 2018' is a direct quote of its author."""
    out: list[Quote] = []
    for lo, hi in ctx.paras:
        para = ctx.text[lo:hi]
        m = EMBED_SIG.search(para)
        if m is None:
            continue
        body_end = lo + m.start()
        link = EMBED_LINK.search(ctx.text, lo, body_end)
        if link is not None:
            body_end = link.start()
        body = ctx.text[lo:body_end]
        body = re.sub(r"(?:\s*#\w*)+\s*$", "", body).rstrip()
        start = lo + len(ctx.text[lo:body_end]) - len(ctx.text[lo:body_end].lstrip())
        end = lo + len(body)
        if len(ctx.text[start:end].split()) < 3:
            continue
        ns, ne = lo + m.start(1), lo + m.end(1)
        name = ctx.text[ns:ne]
        a, b = ctx.ix.tok_at_or_after(ns), ctx.ix.tok_before(ne)
        labels = {t.ent_type_ for t in ctx.doc[a : b + 1]} if 0 <= a <= b else set()
        if "ORG" in labels or any(w.lower() in ORG_NOUNS for w in name.split()):
            kind = SpeakerType.ORGANIZATION
        elif "PERSON" in labels or 2 <= len(name.split()) <= 3:
            kind = SpeakerType.PERSON
        else:
            kind = SpeakerType.UNKNOWN
        q = Quote(text=ctx.text[start:end], start=start, end=end, kind=QuoteKind.DIRECT,
                  mention=name, mention_start=ns, mention_end=ne, speaker=name,
                  speaker_type=kind)
        p = ctx.mentions.people.get(name)
        if p is not None and p.titles:
            q.speaker_title = p.titles[0]
        out.append(q)
    return out
