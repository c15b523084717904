"""Reading the dependency parse: subjects of cues, speaker-like heads, mention spans.

Shared by the extraction passes and the resolvers.  ``subject`` finds the
speaker token of a reporting verb (its subject, else one the parser hung
elsewhere or inherited along a chain of verbs); ``mention_range`` widens a
head token to the mention as written ("Foreign Minister Kang Kyung-wha",
"a spokeswoman for the ministry").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..speakers import strip_possessive
from .lexicon import GENDERED_TITLE_WORDS, HUMAN_NOUNS, MENTION_DEPS, ORG_NOUNS, REL_PRONOUNS, SPEECH_VERBS, TITLE_NOUNS

if TYPE_CHECKING:
    from .context import ArticleContext


def human_head(t: Any) -> bool:
    """True when noun ``t`` denotes a person ("commissioner", "defenceman")."""
    lem = t.lemma_.lower()
    return (lem in TITLE_NOUNS or lem in HUMAN_NOUNS or t.lower_ in HUMAN_NOUNS
            or lem in GENDERED_TITLE_WORDS
            or lem.endswith(("man", "woman", "person", "ist", "ian")))


def speakerlike(t: Any) -> bool:
    """Could token ``t`` head a speaker mention (person, pronoun, organisation)?"""
    if t.lower_ in ("he", "she", "they", "who"):
        return True
    if t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    lem = t.lemma_.lower()
    return (t.pos_ == "PROPN" or lem in ORG_NOUNS or lem in TITLE_NOUNS
            or lem in HUMAN_NOUNS or t.lower_ in HUMAN_NOUNS
            or t.lower_ in REL_PRONOUNS)


def call_for(v: Any) -> Any:
    """The "for" of "called for <demand>" (a speech act, unlike "called it X"), or None."""
    if v.lemma_.lower() != "call":
        return None
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "for" and c.i == v.i + 1 and \
                any(x.dep_ == "pobj" for x in c.children):
            return c
    return None


def subject(ctx: ArticleContext, v: Any) -> Any:
    for c in v.children:
        if c.dep_ in ("nsubj", "nsubjpass") and ctx.tok_direct[c.i] < 0:
            if c.dep_ == "nsubjpass" and v.lemma_ != "quote":
                continue
            return c
    # "..., Kim said, unveiling that ...": the participle's subject is the cue's before it
    doc = ctx.doc
    if v.tag_ == "VBG" and v.i >= 2 and doc[v.i - 1].text == "," and \
            doc[v.i - 2].lemma_.lower() in SPEECH_VERBS and doc[v.i - 2].i != v.i:
        prev = doc[v.i - 2]
        for c in prev.children:
            if c.dep_ == "nsubj" and ctx.tok_direct[c.i] < 0:
                return c
    stranded = _stranded_subject(ctx, v)
    if stranded is not None:
        return stranded
    if v.dep_ == "acl" and (v.tag_ == "VBD" or call_for(v) is not None) and v.head.i < v.i and v.head.pos_ in ("NOUN", "PROPN") \
            and (human_head(v.head) or v.head.ent_type_ == "PERSON") and \
            not any(c.dep_ in ("agent", "auxpass") for c in v.children):
        # "..., Oman and Bahrain, Seoul's top diplomat called for ...": a finite verb
        # the parser hung on its subject as a clause modifier
        return v.head
    # inherit along conj / participle / xcomp chains ("and added", "saying")
    h = v
    for _ in range(3):
        if h.dep_ in ("conj", "advcl", "xcomp", "ccomp") and h.head.i != h.i and (
                h.dep_ != "ccomp" or h.tag_ == "VBG"):
            if h.dep_ == "advcl" and h.tag_ != "VBG":
                break
            h = h.head
            for c in h.children:
                if c.dep_ in ("nsubj", "nsubjpass") and ctx.tok_direct[c.i] < 0:
                    return c
        else:
            break
    return None


def _stranded_subject(ctx: ArticleContext, v: Any) -> Any:
    """The noun phrase ending right before a finite cue the parser left subjectless.

    "The remarks came a day after Keith Krach, undersecretary of state, said
    that ...": the parser hangs "Krach" under "after" and gives "said" no
    subject; the name whose phrase (appositive included) ends at the cue is it.
    """
    doc = ctx.doc
    if v.tag_ not in ("VBD", "VBZ", "VBP") or v.i < 1:
        return None
    p = doc[v.i - 1]
    if p.text == ",":
        p = p.head
    if p.i >= v.i or p.head.i == v.i or ctx.tok_direct[p.i] >= 0:
        return None
    if p.dep_ == "appos":
        p = p.head
    if p.right_edge.i < v.i - 2 or p.dep_ not in ("pobj", "conj", "appos", "npadvmod"):
        return None
    if p.ent_type_ in ("PERSON", "ORG") and p.pos_ == "PROPN":
        return p
    return None


def mention_range(ctx: ArticleContext, h: Any) -> tuple[int, int]:
    doc = ctx.doc
    a = h.i
    for c in h.lefts:
        if c.dep_ in MENTION_DEPS or c.dep_ in ("nsubj",):
            a = min(a, c.left_edge.i)
    b = h.i
    if h.ent_type_:
        while b + 1 < len(doc) and doc[b + 1].ent_iob_ == "I":
            b += 1
    # hyphenated name tail ("Jae" "-" "in")
    while b + 2 < len(doc) and doc[b + 1].text == "-" and not doc[b].whitespace_ \
            and not doc[b + 1].whitespace_:
        b += 2
    for c in h.rights:
        if c.dep_ == "conj" and c.pos_ == "PROPN":
            if any(doc[i].dep_ == "cc" for i in range(h.i + 1, c.i)):
                b = max(b, c.right_edge.i)
            # else "Hussein Sayed, Chief Market Strategist at FXTM": an apposition
        elif h.pos_ == "NOUN" and c.dep_ in ("prep", "amod") and c.i == b + 1 and \
                c.lower_ in ("of", "with", "from", "at", "for", "familiar", "close"):
            end = c.right_edge.i
            if not any(doc[i].is_punct or doc[i].is_space for i in range(c.i, end + 1)) \
                    and end - c.i < 8:
                b = end
    # no commas inside a mention
    for i in range(b, a - 1, -1):
        if doc[i].text in {",", "(", ")", ";", ":"} or doc[i].is_space:
            a = i + 1
            break
    while a < b and (doc[a].is_punct or doc[a].is_space):
        a += 1
    while b > a and doc[b].lower_ in REL_PRONOUNS:
        b -= 1
    return a, b


def strip_det(mention: str) -> str:
    """``mention`` without leading articles and a possessive ending ("the ministry's" -> "ministry")."""
    words = mention.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return strip_possessive(" ".join(words))
