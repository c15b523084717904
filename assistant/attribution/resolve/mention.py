"""The speaker mention of a quote: from the subject token to the words as written.

The subject token of a cue is first moved to the name it stands beside
("Hussein Sayed, chief strategist at FXTM, said": the apposition; "members
of Northern Ireland's Democratic Unionist Party (DUP) have said": the
organisation), then widened to the mention (:func:`..syntax.mention_range`)
and trimmed ("a senior aide who spoke").  A relative pronoun ("Smith, who
said") is replaced by its antecedent.  The mention is then resolved by
:func:`.dispatch.resolve_text`.
"""

from __future__ import annotations

from typing import Any

from ...models import Quote
from ..context import ArticleContext, span_chars
from ..lexicon import KINSHIP, POSTPOSITIVE, REL_PRONOUNS, SKIP_SUBJECTS
from ..syntax import human_head, mention_range
from .dispatch import resolve_text


def resolve_quote(ctx: ArticleContext, h_i: int, q: Quote, recent: list[Quote]) -> None:
    """Set the mention and speaker of ``q`` from its subject token ``h_i`` (nothing when -1)."""
    doc = ctx.doc
    if h_i < 0:
        return
    h = doc[h_i]
    if h.ent_type_ != "PERSON" and h.pos_ in ("NOUN", "PROPN"):
        h = _named_beside(ctx, h)
    mr = q.__dict__.pop("_mrange", None)
    if mr is not None:
        a, b = mr
    else:
        a, b = mention_range(ctx, h)
    while b > a and (doc[b].lower_ in REL_PRONOUNS or (
            doc[b].pos_ == "ADJ" and doc[b - 1].pos_ == "NOUN" and doc[b].head.i == b - 1
            and doc[b].lower_ not in ("familiar", "close")) or (
            doc[b].lower_ in POSTPOSITIVE and doc[b - 1].pos_ in ("NOUN", "ADJ"))):
        b -= 1  # "a senior aide who spoke", "a security professional present during"
    ms, me = span_chars(doc, a, b)
    while ms < me - 1 and not ctx.text[ms].isalnum():
        ms += 1  # a quotation mark glued to the name ('"Industry insiders')
    mention = ctx.text[ms:me]
    q.mention, q.mention_start, q.mention_end = mention, ms, me
    low = mention.lower()
    # relative pronoun: "Smith, who said" -> antecedent
    if low in REL_PRONOUNS and h.head.head.i != h.head.i:
        ant = h.head.head
        a2, b2 = mention_range(ctx, ant)
        mention2 = ctx.text[span_chars(doc, a2, b2)[0]:span_chars(doc, a2, b2)[1]]
        resolve_text(ctx, mention2, a2, b2, q, recent)
        return
    resolve_text(ctx, mention, a, b, q, recent)


def _named_beside(ctx: ArticleContext, h: Any) -> Any:
    """"Hussein Sayed, chief strategist at FXTM, said": the named person (or organisation) beside ``h``."""
    doc = ctx.doc
    for c in list(h.children) + [x for x in h.subtree if x.dep_ == "appos" and
                                 x.right_edge.i + 2 == h.head.i and h.head.i > h.i]:
        # "Keeper of the Ruler's Seal, Syed Danial Syed Ahmad, said": the
        # apposition next to the cue, even where the parser hangs it lower
        if c.dep_ == "appos" and c.i > h.i and any(
                doc[i].text in (":", ";") or doc[i].dep_ in ("relcl", "acl") and doc[i].head.i == h.i
                for i in range(h.i + 1, c.left_edge.i)):
            # "the self-taught Cambridge resident, who sold ... his comic Forgotten
            # Grunt: The Undead Soldier": a title past a relative or participle
            # clause of the head, or past a colon or semicolon, is no name
            continue
        if c.dep_ == "appos" and (c.ent_type_ == "PERSON" or (
                # "says Wise's dad, Darrin"
                c.pos_ == "PROPN" and c.ent_type_ in ("", "GPE", "NORP") and c.left_edge.i == c.right_edge.i
                and c.text[:1].isupper() and h.pos_ == "NOUN" and (
                    human_head(h) or h.lemma_.lower() in KINSHIP))):
            if c.ent_type_ != "PERSON":
                ctx.mentions.tok_as_person.add(c.i)  # a person's name, whatever the NER said
            return c
        appos_like = c.dep_ == "appos" or (c.dep_ == "conj" and doc[c.i - 1].text == "," and
                                           not any(x.dep_ == "cc" for x in h.children))
        if appos_like and h.pos_ == "NOUN" and not h.ent_type_ and \
                h.lower_ not in SKIP_SUBJECTS and any(
                    x.ent_type_ == "ORG" for x in c.subtree):
            # "their allies, members of Northern Ireland's Democratic Unionist
            # Party (DUP), have said": the organisation the apposition names
            h = next(x for x in c.subtree if x.ent_type_ == "ORG")
            while h.head.ent_type_ == "ORG" and h.head.i != h.i and h.dep_ == "compound":
                h = h.head
            return h
    if h.dep_ == "appos" and h.head.ent_type_ == "PERSON":
        return h.head
    if h.left_edge.i >= 2 and doc[h.left_edge.i - 1].text == "," and \
            doc[h.left_edge.i - 2].ent_type_ == "PERSON":
        # "Hussein Sayed, chief market strategist at FXTM, said"
        return doc[h.left_edge.i - 2]
    return h
