"""Pass 6: the speakers of all quotes of an article, in text order.

Each quote's mention is resolved (:mod:`.mention`, :mod:`.dispatch`) after
the he/she subjects before it have been resolved too (so that a chain of
pronouns keeps its referent salient); a quoted person becomes a salience
event of weight ``speaker_weight``.  Then *floating quotes* (a direct quote
with no cue) take the speaker of a person made subject since the last quote,
else of the quote chain they continue, else of the quote just before.
Finally an acronym is spelled out ("IRCC" -> "Immigration, Refugees and
Citizenship Canada") and a short organisation name completed ("the State
Department" -> "US State Department") where the article has the full form.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ...kinds import QuoteKind, SpeakerType
from ...models import Quote
from ...speakers import strip_possessive
from ..context import ArticleContext
from ..lexicon import ACRONYM, PRONOUN_GENDER, PRONOUNS_PERSON, TITLE_NOUNS
from ..mentions import Person, Role
from ..settings import current
from ..syntax import mention_range, strip_det
from .mention import resolve_quote
from .salience import in_sentence_person, nearest_person, prev_subject, recent_generic


def resolve_all(ctx: ArticleContext, quotes: list[tuple[Quote, int]]) -> None:
    """Resolve the speaker of every (quote, subject token) in ``quotes`` (sorted by start)."""
    _resolve_cued(ctx, quotes)
    _resolve_floating(ctx, quotes)
    _complete_org_names(ctx, quotes)


class _PronounEvents:
    """He/she subjects outside quotes, resolved in text order so that a
    chain of pronouns keeps its referent salient."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx
        doc = ctx.doc
        self.pron = [t.i for t in doc if t.dep_ in ("nsubj", "nsubjpass") and
                     ctx.tok_direct[t.i] < 0 and (t.lower_ in PRONOUNS_PERSON or (
                         t.lemma_.lower() in TITLE_NOUNS and t.tag_ == "NN" and
                         any(c.lower_ == "the" for c in t.children)))]
        self.ptr = 0

    def advance(self, limit: int) -> None:
        """Resolve the subjects before token ``limit`` not yet resolved and add them as events."""
        ctx, doc, pron = self.ctx, self.ctx.doc, self.pron
        while self.ptr < len(pron) and pron[self.ptr] < limit:
            i = pron[self.ptr]
            self.ptr += 1
            if doc[i].lower_ in PRONOUNS_PERSON:
                g = PRONOUN_GENDER[doc[i].lower_]
                name = in_sentence_person(ctx, i, g) or (
                    current().prev_subject and prev_subject(ctx, i, g)) or nearest_person(ctx, i, g)
                gen = recent_generic(ctx, i, name, g)
                if gen is not None:  # "an official ... He pointed out"
                    ctx.mentions.add_generic((i,) + tuple(gen[1:]))
                    continue
            else:  # "the mayor brought up ..."
                ta, tb = mention_range(ctx, doc[i])
                name = ctx.mentions.title_holder(doc[ta : tb + 1].text.lower())
            if name:
                ctx.mentions.add_event(i, name, Role.PRONOUN)


def _resolve_cued(ctx: ArticleContext, quotes: list[tuple[Quote, int]]) -> None:
    """Resolve each quote's mention in text order; a quoted person becomes a salience event."""
    recent: list[Quote] = []
    events = _PronounEvents(ctx)
    for q, h in quotes:
        if current().pronoun_weight > 0:
            events.advance(h if h >= 0 else ctx.ix.tok_at_or_after(q.start))
        if h >= 0:
            resolve_quote(ctx, h, q, recent)
        if q.speaker:
            recent.append(q)
            if q.speaker_type == SpeakerType.PERSON and q.mention and h >= 0 and \
                    q.mention.lower() not in PRONOUNS_PERSON and (
                        q.speaker in ctx.mentions.people or q.speaker[:1].isupper()):
                ctx.mentions.people.setdefault(q.speaker, Person(q.speaker))
                ctx.mentions.add_event(h, q.speaker)


def _resolve_floating(ctx: ArticleContext, quotes: list[tuple[Quote, int]]) -> None:
    """Floating quotes (no cue): previous quote's speaker."""
    chain_speaker: dict[int, Quote] = {}
    last: Quote | None = None
    for q, _h in quotes:
        if q.kind == QuoteKind.DIRECT and q.__dict__.get("_chain", -1) >= 0 and q.speaker:
            chain_speaker.setdefault(q.__dict__["_chain"], q)
    for q, _h in quotes:
        ch = q.__dict__.pop("_chain", -1)
        q.__dict__.pop("_para", None)
        if not q.speaker and not q.cue and q.kind == QuoteKind.DIRECT:
            src = chain_speaker.get(ch) if ch >= 0 else None
            if current().float_to_subject and _new_subject_speaks(ctx, q, last):
                src = None
            if src is None and not q.speaker and last is not None and \
                    q.start - last.end < 1500:
                src = last
            if src is not None:
                q.speaker, q.speaker_type = src.speaker, src.speaker_type
                q.speaker_title = src.speaker_title
        if q.speaker:
            last = q
        q.__dict__.pop("_mrange", None)


def _new_subject_speaks(ctx: ArticleContext, q: Quote, last: Quote | None) -> bool:
    """A person introduced as a subject after the last quote ("Trevor Nicholson
    ... outlined how ...") speaks next: give ``q`` to them (True) or not."""
    doc, mt = ctx.doc, ctx.mentions
    qi = ctx.ix.tok_at_or_after(q.start)
    lo_tok = ctx.ix.tok_at_or_after(last.end) if last is not None else 0
    k = bisect_left(mt.event_pos, qi) - 1
    while k >= 0 and mt.event_pos[k] >= lo_tok:
        pos, name, _weight, role = mt.person_events[k]
        conjoined = doc[pos].dep_ == "conj" or any(
            c.dep_ == "conj" for c in doc[pos].children)
        if role.leads and qi - pos < 150 and not conjoined and \
                pos not in mt.relcl_subjects:
            # "Silverman and Svensson have also won ...": a pair speaks no
            # one quote; "... says House. Durning did not need much coaxing. '...'":
            # a new subject between two quotes of a chain speaks next
            q.speaker, q.speaker_type = name, SpeakerType.PERSON
            p = mt.people.get(name)
            q.speaker_title = p.titles[0] if p and p.titles else ""
            return True
        k -= 1
    return False


def _complete_org_names(ctx: ArticleContext, quotes: list[tuple[Quote, int]]) -> None:
    """Spell out acronyms and complete short organisation names where the article has the full form."""
    # "IRCC" -> "Immigration, Refugees and Citizenship Canada" where the article spells it out
    for q, _h in quotes:
        if q.speaker and ACRONYM.fullmatch(q.speaker):
            full = spelled_out(ctx, q.speaker)
            if full:
                q.speaker, q.speaker_type = full, SpeakerType.ORGANIZATION
    # "the State Department" -> "US State Department" where the article names it in full
    named = {strip_det(strip_possessive(e)) for _, e in ctx.mentions.org_events}
    named |= {q.speaker for q, _h in quotes if q.speaker and q.speaker_type == SpeakerType.ORGANIZATION}
    for q, _h in quotes:
        if q.speaker and q.speaker_type == SpeakerType.ORGANIZATION and len(q.speaker.split()) >= 2:
            fuller = {o for o in named if o.endswith(" " + q.speaker) and
                      len(o.split()) <= len(q.speaker.split()) + 2}
            if len(fuller) == 1:
                q.speaker = fuller.pop()


def spelled_out(ctx: ArticleContext, acronym: str) -> str:
    """The name an acronym stands for in this article ("EDC" -> "Export Development Canada"), or ''.

    A run of capitalised words whose initials spell the acronym, linked only by
    "of", "and", "for", "the", "on" or commas; the first such run in the text wins.
    """
    cache = ctx.acronyms
    if acronym not in cache:
        link = r"(?:,?\s+(?:(?:of|and|for|the|on|&)\s+)*)"
        pattern = link.join(rf"{c}[a-z][\w'’-]*" for c in acronym)
        m = re.search(rf"\b(?:The\s+)?({pattern})\b", ctx.text)
        cache[acronym] = m.group(1) if m and m.group(1) != acronym else ""
    return cache[acronym]
