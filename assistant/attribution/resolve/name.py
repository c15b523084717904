"""Resolver of a mention that names a person ("Kang", "Foreign Minister Kang Kyung-wha").

The last run of person-name tokens is the name (a possessive name is not:
"Elizabeth May's Greens"); the words before it are the title.  The name goes
to the article's person it names (:meth:`..people.Mentions.canonical_person`),
whose title and gender the mention may add.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kinds import SpeakerType
from ...models import Quote
from ...speakers import gender_of, split_title, strip_possessive
from ..context import ArticleContext
from ..lexicon import ORG_NOUNS

if TYPE_CHECKING:
    from .dispatch import MentionInfo


def resolve_name(ctx: ArticleContext, m: MentionInfo, q: Quote, recent: list[Quote]) -> bool:
    """A person's name (or an untyped proper noun): the person it names."""
    ent_types, head = m.ent_types, m.head
    if not (m.person_tok or (m.name and "ORG" not in ent_types and "GPE" not in ent_types
                             and "NORP" not in ent_types and head.pos_ == "PROPN"
                             and head.lemma_.lower() not in ORG_NOUNS)):
        return False
    name, title = m.name, m.title
    ent_toks = [t.i for t in m.toks if (t.ent_type_ == "PERSON" or t.i in ctx.mentions.tok_as_person)
                and t.i not in m.poss_run]
    if ent_toks:
        name, title = _last_name_run(ctx, m, ent_toks, name, title)
    if not name:
        return False
    canon = ctx.mentions.canonical_person(name, m.a)
    q.speaker, q.speaker_type = canon, SpeakerType.PERSON
    p = ctx.mentions.people.get(canon)
    if title:
        q.speaker_title = title
        if p is not None and title not in p.titles:
            p.titles.append(title)
    elif p is not None and p.titles:
        q.speaker_title = p.titles[0]
    g = gender_of(m.mention)
    if p is not None and g and not p.gender:
        p.gender = g
    return True


def _last_name_run(ctx: ArticleContext, m: MentionInfo, ent_toks: list[int], name: str,
                   title: str) -> tuple[str, str]:
    """The last run of PERSON tokens is the name; (name, title) updated from it."""
    doc, a, b = ctx.doc, m.a, m.bc
    ea = eb = ent_toks[-1]
    while ea - 1 >= a and (ea - 1 in ent_toks or doc[ea - 1].text == "-"):
        ea -= 1
    while eb + 1 <= b and (eb + 1 in ent_toks or doc[eb + 1].text == "-" or
                           (doc[eb].text == "-" and not doc[eb].whitespace_)):
        eb += 1
    ent_name = strip_possessive(doc[ea : eb + 1].text)
    _, ent_name2 = split_title(ent_name)
    if ent_name2:
        name = ent_name2
        if ea > a:
            title = split_title(doc[a:ea].text + " X")[0] or title
    return name, title
