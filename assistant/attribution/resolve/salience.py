"""Antecedents: who a pronoun or a description refers back to.

Salience sums (or, by default, maximises) over a person's earlier mentions
outside quotes a weight decaying exponentially with the distance in tokens
(:func:`nearest_person`); before it, the subject of the previous sentence is
preferred (:func:`prev_subject`, the centering preference), and a person
named earlier in the same sentence (:func:`in_sentence_person`).  Addressees
("told Mayor John Tory") and names inside a noun's modifier ("companies such
as Yukos") are no referents.  An unnamed speaker introduced since ("a Cheong
Wa Dae official") takes precedence (:func:`recent_generic`).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from typing import Any

from ...speakers import gender_of
from ..context import ArticleContext
from ..lexicon import ADDRESSEE_VERBS, GENDERED_PERSON_NOUNS, PRONOUNS_PERSON
from ..settings import current


def recent_generic(ctx: ArticleContext, tok_i: int, name: str | None, gender: str = "") -> tuple | None:
    """The generic speaker ("a Cheong Wa Dae official") named after ``name``.

    Returned when it is within 150 tokens before ``tok_i``, later than
    every mention of the named person ``name``, and (for a pronoun of
    ``gender``) not of the other gender ("a woman in the crowd" is no "he").
    """
    ev = None
    for e in reversed(ctx.mentions.generic_events):
        if e[0] < tok_i:
            ev = e
            break
    if ev is None or tok_i - ev[0] > 150 or not ev[1]:
        return None
    if gender and ev[3]:
        words = ev[3].lower().split()
        g = gender_of(ev[3]) or next((GENDERED_PERSON_NOUNS[w] for w in reversed(words)
                                      if w in GENDERED_PERSON_NOUNS), "")
        if g and g != gender:
            return None
    if name:
        k = bisect_left(ctx.mentions.event_pos, tok_i) - 1
        while k >= 0:
            if ctx.mentions.person_events[k][1] == name and ctx.mentions.person_events[k][2] >= 1.0:
                if ctx.mentions.person_events[k][0] > ev[0]:
                    return None
                break
            k -= 1
    return ev


def nearest_person(ctx: ArticleContext, tok_i: int, gender: str, max_back: int = 600,
                   inside: tuple[int, int] | None = None) -> str | None:
    """Most salient gender-compatible person before token ``tok_i``.

    Salience sums, over the person's earlier mentions outside quotes,
    a weight (1 mention, 2 subject, 3 quoted speaker) decaying
    exponentially with the distance in tokens (scale ``salience_decay``, :mod:`..settings`).
    An addressee named earlier in the same sentence does not count, nor a name inside the
    character span ``inside`` (the quote being attributed: its speaker is not who it talks about).
    """
    k = bisect_left(ctx.mentions.event_pos, tok_i) - 1
    scores: dict[str, float] = {}
    s0 = ctx.sent_start_of[tok_i] if tok_i < len(ctx.doc) else len(ctx.doc)
    while k >= 0:
        pos, name, weight, _role = ctx.mentions.person_events[k]
        dist = tok_i - pos
        if dist > max_back:
            break
        if pos >= s0 and addressee(ctx, pos) or _within(ctx, pos, inside):
            k -= 1
            continue
        g = ctx.mentions.people[name].gender_guess() if name in ctx.mentions.people else ""
        if not gender or not g or g == gender:
            sc = weight * math.exp(-dist / current().salience_decay)
            if gender and g == gender:
                sc *= current().gender_bonus
            if current().salience_sum:
                scores[name] = scores.get(name, 0.0) + sc
            else:
                scores[name] = max(scores.get(name, 0.0), sc)
        k -= 1
    if not scores:
        return None
    return max(scores.items(), key=lambda kv: kv[1])[0]


def _within(ctx: ArticleContext, i: int, span: tuple[int, int] | None) -> bool:
    """True when token ``i`` starts inside the character span ``span``."""
    return span is not None and span[0] <= ctx.doc[i].idx < span[1]


def named_earlier_in_sentence(ctx: ArticleContext, tok_i: int, inside: tuple[int, int] | None = None) -> set[str]:
    """The people named (outside quotes) in ``tok_i``'s sentence before it.

    Addressees are left out: in "Asked what he would tell Mayor John Tory ..., he
    said", Tory is who is spoken to, not who speaks. So are names inside a noun's
    prepositional modifier ("companies such as Yukos"; :func:`in_noun_modifier_pp`), and names
    inside the character span ``inside``: 'Mr Sullivan "made accounting decisions," he told the court'
    names Sullivan in what is reported, not as who reports it.
    """
    return {ctx.mentions.tok_person[i] for i in range(ctx.sent_start_of[tok_i], tok_i)
            if i in ctx.mentions.tok_person and ctx.tok_direct[i] < 0 and not addressee(ctx, i)
            and not in_noun_modifier_pp(ctx, i) and not _within(ctx, i, inside)}


def in_noun_modifier_pp(ctx: ArticleContext, i: int) -> bool:
    """True when token ``i`` names something inside a prepositional phrase of a noun.

    "The privatisation of companies such as Yukos ... had been badly handled, he
    said": a name deep in a noun's modifier (also as part of an apposition or
    coordination there) is neither a same-sentence referent for a pronoun
    (:func:`in_sentence_person`) nor a reason to pass over the previous
    sentence's subject (:func:`prev_subject`).
    """
    t = ctx.doc[i]
    while t.dep_ in ("compound", "flat", "appos", "conj") and t.head.i != t.i:
        t = t.head
    return t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.head.pos_ in ("NOUN", "PROPN") \
        and t.head.head.i != t.i


def addressee(ctx: ArticleContext, i: int) -> bool:
    """True when token ``i`` lies in the object of a verb of telling ("tell Mayor John Tory")."""
    t = ctx.doc[i]
    while t.dep_ in ("compound", "flat") and t.head.i != t.i:
        t = t.head
    return t.dep_ in ("dobj", "dative") and t.head.lemma_.lower() in ADDRESSEE_VERBS


def in_sentence_person(ctx: ArticleContext, tok_i: int, gender: str) -> str | None:
    """The one gender-compatible person named earlier in ``tok_i``'s sentence, or None.

    "For Espinos, who understands the challenges ..., he's simply ...": a subject
    pronoun after a name in its own clause-initial phrase refers back to it.
    """
    names = {n for n in named_earlier_in_sentence(ctx, tok_i) if n in ctx.mentions.people and
             ctx.mentions.people[n].gender_guess() in (gender, "")}
    return names.pop() if len(names) == 1 else None


def prev_sentence_root(ctx: ArticleContext, tok_i: int, skip_quoted: bool = False) -> Any:
    """The ROOT token of the sentence before ``tok_i``'s, or None.

    With ``skip_quoted``, up to three sentences wholly inside a direct quote (or
    punctuation) are passed over first; None when all three are.
    """
    doc = ctx.doc
    s0 = ctx.sent_start_of[tok_i]
    for _ in range(3):
        if s0 <= 0:
            return None
        prev = ctx.sent_start_of[s0 - 1]
        if skip_quoted and all(ctx.tok_direct[i] >= 0 or doc[i].is_punct or doc[i].is_space
                               for i in range(prev, s0)):
            s0 = prev
            continue
        return next((t for t in doc[prev:s0] if t.dep_ == "ROOT"), None)
    return None


def prev_subject(ctx: ArticleContext, tok_i: int, gender: str, inside: tuple[int, int] | None = None) -> str | None:
    """The person who is the main-clause subject of the sentence before ``tok_i``'s.

    Sentences wholly inside a direct quote are skipped. The subject counts when
    it names a person of the article (or is a pronoun already resolved to one)
    whose known gender does not clash with ``gender``. "Vickers said he's a long
    way from a decision ... '"It's a long haul," he said': the subject of the
    sentence before is the likeliest referent (the centering preference for the
    previous utterance's subject; Grosz, Joshi & Weinstein 1995).
    """
    doc = ctx.doc
    if named_earlier_in_sentence(ctx, tok_i, inside):
        return None  # "Freeland said she wanted ...": someone is named in the same sentence
    root = prev_sentence_root(ctx, tok_i, skip_quoted=True)
    if root is None:
        return None
    prev = ctx.sent_start_of[root.i]
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")
                 and ctx.tok_direct[c.i] < 0), None)
    if subj is None and root.i == prev and prev >= 1 and prev - ctx.sent_start_of[prev - 1] <= 3:
        # "Vickers | said he's ...": the parser split the name off as a sentence
        subj = doc[prev - 1] if (prev - 1) in ctx.mentions.tok_person else None
    if subj is None:
        return None
    name = None
    if subj.lower_ in PRONOUNS_PERSON:
        k = bisect_left(ctx.mentions.event_pos, subj.i)
        if k < len(ctx.mentions.event_pos) and ctx.mentions.event_pos[k] == subj.i:
            name = ctx.mentions.person_events[k][1]
    elif subj.i in ctx.mentions.tok_person:  # not "Hua's comments"
        name = ctx.mentions.tok_person[subj.i]
    elif subj.pos_ == "PROPN" and subj.lower_ in ctx.mentions.alias_map:
        # "Mr Ebbers denied the allegations" where the NER tagged only "Bernie Ebbers": the alias
        name = ctx.mentions.canonical_person(subj.text, subj.i)
    elif subj.pos_ == "PROPN" and not subj.ent_type_ and \
            subj.text[:1].isupper() and not subj.text.isupper() and \
            subj.i not in ctx.mentions.tok_as_org and not any(c.dep_ in ("compound", "det", "poss")
                                                       for c in subj.children) and \
            ctx.mentions.token_text_counts[subj.text] == 1:
        # "..., Mulder didn't hesitate. '...,' he said": a surname named once that
        # the NER left untagged, as the subject right before. (A word it tagged a
        # place or nationality is left alone: "Russia rejected the plan. He said")
        return subj.text
    if not name or name not in ctx.mentions.people:
        return None
    g = ctx.mentions.people[name].gender_guess()
    if gender and g and g != gender:
        return None
    return name


def subject_before(ctx: ArticleContext, tok_i: int) -> str | None:
    """The person named as a subject in the sentence before token ``tok_i``'s, or None.

    "Niederreiter has four goals since ... The 26-year-old right wing said ...":
    a description opening a sentence describes the previous sentence's subject.
    """
    s0 = ctx.sent_start_of[tok_i]
    if s0 <= 0:
        return None
    prev = ctx.sent_start_of[s0 - 1]
    k = bisect_left(ctx.mentions.event_pos, s0) - 1
    while k >= 0 and ctx.mentions.event_pos[k] >= prev:
        if ctx.mentions.person_events[k].role.leads:
            return ctx.mentions.person_events[k].name
        k -= 1
    # a surname the parser did not tag as a person, but the article named in full before
    for t in ctx.doc[prev:s0]:
        if t.dep_ == "nsubj" and t.pos_ == "PROPN" and ctx.tok_direct[t.i] < 0 and \
                t.ent_type_ in ("", "PERSON") and t.text[:1].isupper():
            cands = ctx.mentions.alias_map.get(t.lower_, [])
            if len(cands) == 1:
                return cands[0]
            # "Nino Niederreiter scored twice ... Niederreiter has four goals": the full name
            full = re.search(r"\b([A-Z][a-z][\w'’-]*) " + re.escape(t.text) + r"\b", ctx.text[: t.idx])
            first = ctx.doc.char_span(full.start(1), full.end(1)) if full else None
            if first is not None and first[0].pos_ == "PROPN":
                return ctx.mentions.canonical_person(full.group(0), t.i)
    return None
