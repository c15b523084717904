"""Which resolver a speaker mention goes to, in the order they are tried (written once here).

A mention is first tried as a pronoun (:mod:`.pronoun`: he/she/his/her,
they, it).  Any other mention is analysed once (:func:`analyse`: its head,
the name and title it holds, its entity types) and handed to the resolvers
of :data:`NOUN_PHRASE_RESOLVERS` in turn until one settles it.  A resolver
returns True when it has settled the speaker; one that returns False may
still have set fields of the quote that later resolvers read (the title rule
types an unheld title as a person).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...models import Quote
from ...speakers import split_title
from ..context import ArticleContext, span_chars
from ..lexicon import DETERMINER_WORDS
from ..syntax import human_head
from . import description, document, generic, name, organisation, pronoun, title


@dataclass
class MentionInfo:
    """A noun-phrase mention analysed once for every resolver.

    ``a``..``b`` is the mention as given (tokens, inclusive); ``bc`` its end
    without a modifier after the head ("Jingyi Pan of IG", "a spokeswoman for
    Trudeau"); ``mention``/``low`` the text up to ``bc``.  ``title``/``name``
    are :func:`assistant.speakers.split_title` of it.  ``ent_types`` are the
    entity labels it holds, adjusted (a person's name or a person noun drops
    ORG/GPE/NORP, an untagged acronym adds ORG).  ``poss_run`` are tokens
    that name no speaker (possessive names, organisation tokens);
    ``person_tok`` whether a person's name remains.
    """

    a: int
    b: int
    bc: int
    mention: str
    low: str
    toks: Any
    root: Any
    head: Any
    head_lemma: str
    title: str
    name: str
    ent_types: set[str]
    poss_run: set[int]
    person_tok: bool
    definite: bool


Resolver = Callable[[ArticleContext, MentionInfo, Quote, list[Quote]], bool]

#: The resolvers of a noun-phrase mention, in the order they are tried.
NOUN_PHRASE_RESOLVERS: tuple[Resolver, ...] = (
    generic.resolve_generic_mention,  # "an official", "a Cheong Wa Dae source"
    name.resolve_name,  # "Kang", "Foreign Minister Kang Kyung-wha"
    document.resolve_document,  # "the statement", "the RCMP's report": its issuer
    description.resolve_norp_description,  # "the Kentucky Republican"
    organisation.resolve_organisation,  # "the ministry", "EDC", "Seoul"
    title.resolve_title,  # "the foreign minister": the person holding the title
    description.resolve_description,  # "the 32-year-old labourer"
    title.settled_as_person,  # an unheld title ends here
    organisation.resolve_org_noun,  # "the state-funded orchestra"
    description.resolve_epithet,  # "the bow-tied maverick"
    generic.resolve_unknown,  # anyone else, as written
)


def resolve_text(ctx: ArticleContext, mention: str, a: int, b: int, q: Quote, recent: list[Quote]) -> None:
    """Resolve ``mention`` (tokens ``a..b``) as the speaker of ``q``; ``recent`` are the quotes resolved before."""
    if pronoun.resolve_pronoun(ctx, mention, a, b, q, recent):
        return
    m = analyse(ctx, mention, a, b)
    for resolver in NOUN_PHRASE_RESOLVERS:
        if resolver(ctx, m, q, recent):
            return


def resolve_tokens(ctx: ArticleContext, a: int, b: int, q: Quote, recent: list[Quote]) -> bool:
    """Resolve tokens ``a..b`` (inclusive) as the speaker of ``q``, one level deep.

    For a mention that stands in for another ("the statement" -> its issuer, "they" ->
    the plural subject before it): the stand-in's own mention is resolved with the
    document and pronoun rules switched off, so the lookup cannot recurse. Returns
    whether ``q`` got a speaker.
    """
    ms, me = span_chars(ctx.doc, a, b)
    ctx.in_doc = True
    try:
        resolve_text(ctx, ctx.text[ms:me], a, b, q, recent)
    finally:
        ctx.in_doc = False
    return bool(q.speaker)


def analyse(ctx: ArticleContext, mention: str, a: int, b: int) -> MentionInfo:
    """The :class:`MentionInfo` of a noun-phrase mention (marks "economist Philip Cross" as a person)."""
    doc = ctx.doc
    low = mention.lower().strip()
    full = doc[a : b + 1]
    root = full.root if len(full) else doc[b]
    bc = _head_end(ctx, root, a, b)
    if bc < b:
        mention = ctx.text[span_chars(doc, a, bc)[0]:span_chars(doc, a, bc)[1]]
        low = mention.lower().strip()
    toks = doc[a : bc + 1]
    title_, name_ = split_title(mention)
    head = root if a <= root.i <= bc else doc[bc]
    poss_run = _possessive_run(ctx, toks, a, bc)
    ent_types = {t.ent_type_ for t in toks if t.ent_type_}
    if any(t.i in ctx.mentions.tok_as_org for t in toks):
        ent_types = {t.ent_type_ for t in toks if t.ent_type_ and t.i not in ctx.mentions.tok_as_org}
        if head.i in ctx.mentions.tok_as_org:
            ent_types.add("ORG")
    _mark_job_title_names(ctx, toks)
    person_tok = any((t.ent_type_ == "PERSON" or t.i in ctx.mentions.tok_as_person)
                     and t.i not in poss_run for t in toks)
    if person_tok:
        ent_types -= {"ORG", "GPE", "NORP"}
    head = root if a <= root.i <= bc else doc[bc]
    if head.i - 4 >= a and doc[head.i - 1].text == "-" and doc[head.i - 3].text == "-" \
            and doc[head.i - 2].pos_ == "ADP":
        head = doc[head.i - 4]  # "sergeant-at-arms", "editor-in-chief": the first word
    if head.pos_ == "NOUN" and human_head(head) and not person_tok:
        ent_types -= {"ORG", "GPE", "NORP"}  # "the WHL commissioner" is a person
    if not person_tok and re.fullmatch(r"[A-Z&]{2,6}", name_):
        ent_types.add("ORG")  # an untagged acronym ("EDC says") is an organisation
    # "the lanky, bespectacled professor": the mention was cut at the comma
    definite = low.startswith("the ") or (
        head.left_edge.i < a and doc[head.left_edge.i].lower_ == "the") or (
        # "Seoul's top diplomat", "Canada's foreign minister": a place's office holder
        len(toks) >= 3 and toks[0].ent_type_ == "GPE" and toks[1].tag_ == "POS")
    return MentionInfo(a=a, b=b, bc=bc, mention=mention, low=low, toks=toks, root=root, head=head,
                       head_lemma=head.lemma_.lower(), title=title_, name=name_, ent_types=ent_types,
                       poss_run=poss_run, person_tok=person_tok, definite=definite)


def _head_end(ctx: ArticleContext, root: Any, a: int, b: int) -> int:
    """The head's own words: not those of a modifier after it ("Jingyi Pan
    of IG", "a spokeswoman for Trudeau"); the last token kept."""
    doc = ctx.doc
    bc = b
    for i in range(root.i + 1, b + 1):
        if doc[i].dep_ in ("prep", "acl", "relcl") and doc[i].head.i == root.i and \
                doc[i].ent_iob_ != "I":  # "the Ministry of Justice" stays whole
            bc = i - 1
            break
    if bc < a:
        bc = b
    return bc


def _possessive_run(ctx: ArticleContext, toks: Any, a: int, bc: int) -> set[int]:
    """A possessive name is not the speaker: "Elizabeth May's Greens" (nor is an organisation token)."""
    doc = ctx.doc
    poss_run: set[int] = set()
    for t in toks:
        if t.tag_ == "POS" and t.i < bc:
            j = t.i - 1
            while j >= a and (doc[j].ent_type_ == "PERSON" or j in ctx.mentions.tok_as_person):
                poss_run.add(j)
                j -= 1
    poss_run |= ctx.mentions.tok_as_org
    return poss_run


def _mark_job_title_names(ctx: ArticleContext, toks: Any) -> None:
    """"economist Philip Cross" (tagged ORG for "Cross"): a person with a job title."""
    lead = [t for t in toks if t.lower_ not in DETERMINER_WORDS]
    if len(lead) >= 3 and lead[0].pos_ == "NOUN" and lead[0].text.islower() and \
            human_head(lead[0]) and all(t.pos_ == "PROPN" and t.text[:1].isupper()
                                        for t in lead[1:]) and len(lead) <= 4:
        ctx.mentions.tok_as_person.update(t.i for t in lead[1:])

