"""Pass 2: the mentions table, who is named where in the article.

Names are clustered by alias (family name; spelling variants such as "Ki
Moran" and "Ki Mo-ran" are one person), titles and gender are collected from
the mentions, and every mention of a person outside quotation marks becomes
a salience *event* (token, canonical name, weight, role): weight 1 for a
mention, 2 for a subject, ``intro_weight`` for a person introduced as a
subject, ``speaker_weight`` for a quoted speaker and ``pronoun_weight`` for a
resolved he/she (both added during resolution).  The role says whether the
person leads the passage (:class:`.mentions.Role`), independently of the weights.
Organisations and places named outside quotes are recorded too; unnamed
speakers ("a Cheong Wa Dae official") are recorded as *generic* events
during resolution.
"""

from __future__ import annotations

import re
from typing import Any

from ..speakers import aliases, gender_of, name_key, split_title, strip_possessive
from .context import ArticleContext
from .lexicon import (
    ADDRESSEE_VERBS,
    DETERMINER_WORDS,
    GENERIC_PERSON_HEADS,
    HONORIFICS,
    NOT_IN_NAMES,
    ORG_NAME_TITLES,
    ORG_NOUNS,
    PLACE_WORDS,
    PRONOUN_GENDER,
    SEATS_OF_GOVERNMENT,
    SPEECH_VERBS,
    TITLE_NOUNS,
)
from .mentions import Mentions, Person, PersonEvent, Role
from .settings import current
from .syntax import human_head


def build_mentions(ctx: ArticleContext) -> Mentions:
    """Cluster PERSON/ORG entities by name and alias; record positions."""
    doc = ctx.doc
    mt = Mentions(doc)
    ents = _entity_spans(ctx, mt)
    ents = [e for e in ents if not _is_credit(doc, e[0], e[1])]
    ents = _generic_heads_to_orgs(ctx, mt, ents)
    first_full = _register_full_names(mt, doc, ents)
    _untagged_surnames(mt, doc, ents, first_full)
    ents.sort()
    for a, b, label in ents:
        _add_entity(ctx, mt, a, b, label)
    mt.person_events.sort(key=lambda e: e[:3])  # by position, name, weight (roles have no order)
    mt.event_pos = [e[0] for e in mt.person_events]
    return mt


def _absorbs_next(doc: Any, b: int) -> bool:
    """Does the PERSON ending before token ``b`` go on with it ("Richard Yongjae" + "O'Neill")?"""
    return b < len(doc) and doc[b - 1].dep_ == "compound" and \
        doc[b - 1].head.i == b and doc[b].pos_ == "PROPN" and doc[b].text[:1].isupper() \
        and doc[b - 1].whitespace_ and doc[b].ent_iob_ != "I" and \
        doc[b].ent_type_ in ("", "ORG", "PERSON", "NORP", "GPE") and \
        doc[b].lemma_.lower() not in ORG_NOUNS and doc[b].lower_ not in PLACE_WORDS and \
        (b + 1 >= len(doc) or doc[b + 1].ent_iob_ != "I")


def _titled_person_start(doc: Any, a: int, b: int) -> int:
    """First name token of a titled person inside a non-PERSON entity a..b-1, or -1.

    "Wet'suwet'en Hereditary Chief Na'moks" tagged ORG: a capitalised title
    word followed by one or two proper nouns is a titled person (not
    "General Motors", "Imam Khomeini International Airport", "Dr Pepper").
    """
    k = max((i for i in range(a, b - 1) if doc[i].lower_ in TITLE_NOUNS
             and doc[i].lower_ not in ORG_NAME_TITLES and doc[i].text[:1].isupper()),
            default=-1)
    if k >= 0 and b - k - 1 <= 2 and all(
            doc[i].tag_ == "NNP" and doc[i].text[:1].isupper()  # not "General Motors"
            and doc[i].lemma_.lower() not in ORG_NOUNS and doc[i].lower_ not in TITLE_NOUNS
            for i in range(k + 1, b)):
        return k + 1
    return -1


def _entity_spans(ctx: ArticleContext, mt: Mentions) -> list[tuple[int, int, str]]:
    """(start, end, label) of the PERSON/ORG entities (and lone GPE/NORP words), relabelled."""
    doc = ctx.doc
    ents = []
    # starts of entities already taken into the PERSON before them (a surname the
    # NER split off: "Ursula von der" + "Leyen")
    absorbed: set[int] = set()
    for ent in doc.ents:
        if ent.start in absorbed:
            continue
        if ent.label_ == "GPE" and ctx.tok_direct[ent.start] < 0:
            mt.gpe_events.append((ent.start, ent.text))
        if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        if ent.label_ in ("GPE", "NORP") and (len(ent) != 1 or not ent.text[:1].isupper()):
            continue  # only a lone word may be a mislabelled family name
        a, b = ent.start, ent.end
        # re-attach hyphenated name parts ("Moon Jae" + "-in")
        while b + 1 < len(doc) and doc[b].text == "-" and not doc[b - 1].whitespace_ \
                and not doc[b].whitespace_ and doc[b + 1].text[:1].isalpha():
            b += 2
        label = ent.label_
        if label == "PERSON" and _absorbs_next(doc, b):
            # "violist Richard Yongjae O'Neill" tagged PERSON + ORG: the parse makes
            # the next proper noun the head of the name
            absorbed.add(b)
            b += 1
        if label == "PERSON" and any(doc[i].lower_ in NOT_IN_NAMES for i in range(a, b)):
            continue  # a book title ("My Name's Not George", "They Call Me George"), no name
        if label != "PERSON" and b - a >= 2:
            k = _titled_person_start(doc, a, b)
            if k >= 0:
                a, label = k, "PERSON"
                mt.tok_as_person.update(range(a, b))
        if label == "PERSON" and re.fullmatch(r"[A-Z]{2,6}", strip_possessive(ent.text)):
            label = "ORG"  # an acronym ("EHS", "EDC") names an organisation
            mt.tok_as_org.update(range(a, b))
        elif strip_possessive(doc[a:b].text).lower() in SEATS_OF_GOVERNMENT:
            label = "ORG"  # "Cheong Wa Dae has no position ...": the office, not a person
            mt.tok_as_org.update(range(a, b))
        ents.append((a, b, label))
    return ents


def _is_credit(doc: Any, a: int, b: int) -> bool:
    """A photo/byline credit: '(Evan Vucci/Associated Press)', 'Name / CBC'."""
    if "/" in doc[a:b].text:
        return True
    if b < len(doc) and doc[b].text == "/":
        return True
    return a > 0 and doc[a - 1].text == "/"


def _generic_heads_to_orgs(ctx: ArticleContext, mt: Mentions,
                           ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A "person" that modifies "official"/"spokesman" is an organisation
    ("a Cheong Wa Dae official"): so is every mention of that name."""
    doc = ctx.doc
    org_names = set()
    for h in doc:
        if h.pos_ == "NOUN" and h.lemma_.lower() in GENERIC_PERSON_HEADS and h.i > 0:
            j = h.i - 1
            while j >= 0 and j > h.i - 7 and doc[j].text[:1].isupper() and \
                    doc[j].lower_ not in DETERMINER_WORDS and not doc[j].is_punct and \
                    ctx.sent_start_of[j] == ctx.sent_start_of[h.i] and \
                    (j == h.i - 1 or not doc[j].is_sent_start):
                j -= 1
            if j < h.i - 1:
                org_names.add(strip_possessive(doc[j + 1 : h.i].text))
    if org_names:
        ents = [(a, b, "ORG" if label == "PERSON" and
                 strip_possessive(doc[a:b].text) in org_names else label)
                for a, b, label in ents]
        for a, b, _label in ents:
            if strip_possessive(doc[a:b].text) in org_names:
                mt.tok_as_org.update(range(a, b))
    return ents


def _register_full_names(mt: Mentions, doc: Any, ents: list[tuple[int, int, str]]) -> dict[str, int]:
    """Add every full name (two words or more) and its aliases; return last word -> first token naming it."""
    full_names: list[str] = []
    first_full: dict[str, int] = {}  # last word of a full name -> first token naming it
    for a, b, label in ents:
        if label != "PERSON":
            continue
        name = strip_possessive(doc[a:b].text)
        name = " ".join(w for w in name.split() if w.lower() not in HONORIFICS)
        if len(name.split()) >= 2 and name[:1].isupper():
            full_names.append(name)
            first_full.setdefault(name.split()[-1].lower(), a)
    # one person per spelling-insensitive key ("Ki Mo-ran" = "Ki Moran"),
    # named by the hyphenated spelling
    for name in sorted(full_names, key=lambda n: "-" not in n):
        mt.key_canon.setdefault(name_key(name), name)
    full_names = [mt.key_canon[name_key(n)] for n in full_names]
    for name in full_names:
        if name not in mt.people:
            mt.people[name] = Person(name)
            for al in aliases(name):
                mt.alias_map.setdefault(al.lower(), [])
                if name not in mt.alias_map[al.lower()]:
                    mt.alias_map[al.lower()].append(name)
                # last word too (Western habit for any name)
            last = name.split()[-1].lower()
            mt.alias_map.setdefault(last, [])
            if name not in mt.alias_map[last]:
                mt.alias_map[last].append(name)
    return first_full


def _untagged_surnames(mt: Mentions, doc: Any, ents: list[tuple[int, int, str]], first_full: dict[str, int]) -> None:
    """A family name the NER left untagged ("Vickers said he ...") after the full name: a PERSON."""
    covered = {i for a, b, _label in ents for i in range(a, b)}
    for t in doc:
        if t.i not in covered and t.pos_ in ("PROPN", "NOUN") and t.text[:1].isupper() \
                and not t.ent_type_ and not t.text.isupper() \
                and (len(mt.alias_map.get(strip_possessive(t.text).lower(), [])) == 1
                     or first_full.get(strip_possessive(t.text).lower(), len(doc)) < t.i) \
                and not (t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN") \
                and not (t.i > 0 and doc[t.i - 1].pos_ == "PROPN"):
            ents.append((t.i, t.i + 1, "PERSON"))
            mt.tok_as_person.add(t.i)  # also when tagged NOUN ("Woods said")


def _add_entity(ctx: ArticleContext, mt: Mentions, a: int, b: int, label: str) -> None:
    """Record entity a..b-1: an organisation event, or a person's mention, title and salience event."""
    doc = ctx.doc
    if label in ("GPE", "NORP") and \
            strip_possessive(doc[a:b].text).lower() not in mt.alias_map:
        return
    if label in ("ORG", "GPE", "NORP"):
        org_name = strip_possessive(doc[a:b].text)
        if org_name.lower() in mt.alias_map and b - a == 1:
            label = "PERSON"  # NER mislabel: "Vickers" after "Kevin Vickers"
            for i in range(a, b):
                mt.tok_as_person.add(i)
        else:
            if ctx.tok_direct[a] < 0:
                mt.org_events.append((a, doc[a:b].text))
            return
    name = strip_possessive(doc[a:b].text)
    canon = mt.canonical_person(name, a)
    if not canon:
        return
    person = mt.people.setdefault(canon, Person(canon))
    # title words before the entity (compounds of its root)
    root = doc[b - 1]
    left = min([c.left_edge.i for c in root.lefts if c.i < a
                and c.dep_ in ("compound", "amod", "nmod")] + [a])
    pre = doc[left:a].text
    if pre:
        title, _ = split_title(pre + " " + doc[a:b].text)
        if title and title not in person.titles:
            person.titles.append(title)
        g = gender_of(pre)
        if g:
            person.gender = person.gender or g
    for i in range(a, b):
        mt.tok_person[i] = canon
    if ctx.tok_direct[a] < 0 and not ctx.para_caption[ctx.para_of_char(doc[a].idx)]:
        mt.person_events.append(PersonEvent(a, canon, *_mention_weight(ctx, mt, a, b, canon)))
        _gender_vote(ctx, mt, a, b, person)


def _is_subject(ctx: ArticleContext, mt: Mentions, a: int, b: int) -> bool:
    """Is the name a..b-1 the subject of its clause (also inverted, or of a relative "who")?"""
    doc = ctx.doc
    subj = any(doc[i].dep_ in ("nsubj", "nsubjpass") for i in range(a, b))
    er = doc[a:b].root
    v = er.head
    if not subj and er.dep_ == "dobj" and 0 < v.i < a and doc[v.i - 1].text in (",", "”", '"') \
            and v.lemma_.lower() in SPEECH_VERBS and v.lemma_.lower() not in ADDRESSEE_VERBS \
            and v.tag_ in ("VBZ", "VBD") and \
            not any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        # "..., insists 16-year-old Xander Wise, in seeing ...": the parser took
        # the inverted subject of a reporting verb right after a comma or
        # quote for its object (not "Lee smiled and asked Bob Hartley")
        subj = True
    elif not subj and any(
            c.dep_ == "relcl" and any(x.dep_ in ("nsubj", "nsubjpass") and x.lower_ == "who"
                                      for x in c.children)
            for c in doc[b - 1].children):
        # "I'm talking about Alfonso Espinos, who ... was born in Mexico": the
        # antecedent of a relative "who" is that clause's subject (but does not,
        # like a main-clause subject, take up the next cue-less quote)
        subj = True
        mt.relcl_subjects.add(a)
    return subj


def _mention_weight(ctx: ArticleContext, mt: Mentions, a: int, b: int, canon: str) -> tuple[float, Role]:
    """Salience weight and role of the mention a..b-1 of ``canon`` (see the module docstring)."""
    doc = ctx.doc
    subj = _is_subject(ctx, mt, a, b)
    er = doc[a:b].root
    w = 2.0 if subj else 1.0
    if subj and canon not in mt.seen_people:
        w = current().intro_weight  # a person introduced as a subject
    mt.seen_people.add(canon)
    role = Role.SUBJECT if subj else Role.MENTION
    if er.dep_ == "compound" and er.head.pos_ == "NOUN" and \
            not human_head(er.head):
        w *= current().compound_name_factor  # "the Moon administration"
        role = Role.MENTION
    elif er.dep_ == "pobj" and er.head.head.dep_ == "pobj":
        w *= current().nested_name_factor  # "a deal between Trump and Kim"
    if len(canon.split()) < 2:
        w *= current().lone_name_factor  # often an NER slip ("Ont", "Pop-Tart")
        role = Role.MENTION
    return w, role


def _gender_vote(ctx: ArticleContext, mt: Mentions, a: int, b: int, person: Person) -> None:
    """Gender vote: first he/she/his/her later in the same sentence as the name a..b-1."""
    doc = ctx.doc
    end = ctx.sent_end_of[a]
    for i in range(b, min(end + 1, b + 25)):
        if i in mt.tok_person or ctx.tok_direct[i] >= 0:
            if i in mt.tok_person:
                break
            continue
        g = PRONOUN_GENDER.get(doc[i].lower_)
        if g:
            person.votes[g] += 1
            break
