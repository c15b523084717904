"""The mentions table: who is named where in one article.

:class:`Mentions` holds the people of the article (:class:`Person`: name,
titles, gender and gender votes), the aliases of their names, and the
salience *events* (token, canonical name, weight, role) of their mentions outside
quotation marks; also the organisations and places named, the unnamed
speakers met during resolution (generic events), and which tokens name a
person or an organisation whatever the NER said.  It is built by
:func:`.people.build_mentions` and extended during resolution.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple

from ..kinds import SpeakerType
from ..speakers import aliases, family_name, name_gender, name_key
from .lexicon import HONORIFICS
from .settings import current


class Role(Enum):
    """How a salience event names its person.

    ``SUBJECT`` and ``SPEAKER`` mark the person who leads the passage: a
    description opening the next sentence describes them, and a cue-less quote
    after them is theirs.  A name that modifies a noun ("the Moon
    administration") or is a lone word matching no full name (often an NER slip)
    is a ``MENTION`` even as a subject.
    """

    MENTION = "mention"  # named, not as the subject of its clause
    SUBJECT = "subject"  # named as the subject of its clause
    SPEAKER = "speaker"  # named as the speaker of a quote
    PRONOUN = "pronoun"  # a he/she subject resolved to the person

    @property
    def leads(self) -> bool:
        return self in (Role.SUBJECT, Role.SPEAKER)


class PersonEvent(NamedTuple):
    """One mention of a person outside quotation marks (see :class:`Mentions`)."""

    pos: int  # token index
    name: str  # canonical name
    weight: float  # salience weight
    role: Role


@dataclass
class Person:
    """One person (or organisation) cluster inside an article."""

    name: str
    kind: SpeakerType = SpeakerType.PERSON
    titles: list[str] = field(default_factory=list)
    gender: str = ""
    votes: dict[str, int] = field(default_factory=lambda: {"male": 0, "female": 0})

    def gender_guess(self) -> str:
        if self.gender:
            return self.gender
        g = name_gender(self.name)
        if g:
            return g
        m, f = self.votes["male"], self.votes["female"]
        if m > f:
            return "male"
        if f > m:
            return "female"
        return ""


class Mentions:
    """Who is named where in one article (built by :func:`build_mentions`, extended by resolution)."""

    def __init__(self, doc: Any):
        self.people: dict[str, Person] = {}
        self.alias_map: dict[str, list[str]] = {}
        # mentions of persons outside quotes, in text order
        self.person_events: list[PersonEvent] = []
        #: token positions of ``person_events``; None until the table is built.
        self.event_pos: list[int] | None = None
        self.org_events: list[tuple[int, str]] = []
        self.gpe_events: list[tuple[int, str]] = []
        self.tok_person: dict[int, str] = {}
        self.tok_as_person: set[int] = set()
        self.generic_org = ""
        self.tok_as_org: set[int] = set()
        self.seen_people: set[str] = set()
        self.generic_events: list[tuple[int, str | None, str, str]] = []
        self.relcl_subjects: set[int] = set()  # positions of "X, who ..." antecedents
        self.token_text_counts = Counter(t.text for t in doc)
        self.key_canon: dict[str, str] = {}

    def canonical_person(self, name: str, tok_i: int = -1) -> str:
        """Full name for ``name`` within the article (alias-aware)."""
        name = " ".join(w for w in name.split() if w.lower() not in HONORIFICS)
        if not name:
            return ""
        key = name_key(name)
        if len(name.split()) > 1 or "-" in name:
            if key in self.key_canon:  # "Ki Moran" is "Ki Mo-ran"
                return self.key_canon[key]
            for other in self.people:
                if name_key(other) == key:
                    return other
        if name in self.people:
            return name
        cands = self.alias_map.get(name.lower(), [])
        if len(cands) == 1:
            return cands[0]
        if len(cands) > 1:
            return self._latest_of(cands, tok_i)
        if len(name.split()) == 1 and name[:1].isupper():
            # "Denise" after "Denise Closs": a first name that opens exactly one full name
            firsts = [p for p in self.people if len(p.split()) >= 2 and p.split()[0] == name]
            if len(firsts) == 1:
                return firsts[0]
        if len(name.split()) >= 2:
            fam = family_name(name).lower()
            cands = self.alias_map.get(fam, [])
            for c in cands:
                if c.split()[0] == name.split()[0]:
                    return c
        return name

    def _latest_of(self, cands: list[str], tok_i: int) -> str:
        """Several people share the name ("Cowell" for Simon and Tony Cowell). Once the table is built: the
        latest one named before ``tok_i``. While it is being built (its events come in text order): the
        first one named before ``tok_i`` as a subject or speaker ("Writer Tony Cowell is among the judges",
        not "the brother of Simon Cowell"; "Dorie Greenspan", not "her husband Michael Greenspan"), else
        the first one named."""
        if tok_i >= 0 and self.event_pos is None:
            return next((e.name for e in self.person_events if e.pos < tok_i and e.name in cands and e.role.leads),
                        cands[0])
        if tok_i >= 0:
            k = bisect_left(self.event_pos, tok_i) - 1
            while k >= 0:
                if self.person_events[k][1] in cands:
                    return self.person_events[k][1]
                k -= 1
        return cands[0]

    def add_event(self, tok_i: int, name: str, role: Role = Role.SPEAKER) -> None:
        """Record a quoted speaker (or a resolved he/she subject) ``name`` at ``tok_i``."""
        weight = current().speaker_weight if role is Role.SPEAKER else current().pronoun_weight
        if len(name.split()) >= 2:
            for al in aliases(name) + [name.split()[-1]]:
                lst = self.alias_map.setdefault(al.lower(), [])
                if name not in lst:
                    lst.append(name)
        k = bisect_left(self.event_pos, tok_i)
        self.event_pos.insert(k, tok_i)
        self.person_events.insert(k, PersonEvent(tok_i, name, weight, role))

    def add_generic(self, ev: tuple) -> None:
        k = bisect_left([e[0] for e in self.generic_events], ev[0])
        self.generic_events.insert(k, ev)

    def title_holder(self, low: str) -> str | None:
        """The article's person whose title best matches ``low`` ("the mayor")."""
        tw = [w for w in re.findall(r"[a-z\-\.]+", low) if w not in ("the", "a", "an")]
        best, best_score = None, 0.0
        for name_, p in self.people.items():
            for t in p.titles:
                tl = set(t.lower().split())
                if tw and tw[-1] in tl:
                    sc = sum(1 for w in tw if w in tl) / len(tw)
                    if sc > best_score:
                        best, best_score = name_, sc
        return best

    def last_named(self, before: int, test: Callable[[str], object] | None = None, reach: int | None = None,
                   pool: list[tuple[int, str]] | None = None) -> str:
        """The latest entity named before token ``before`` whose text passes ``test``, or ''.

        ``pool`` is a list of (token index, text) in text order, the organisations named
        outside quotes by default; with ``reach``, only those fewer than ``reach`` tokens back.
        """
        for pos, text in reversed(self.org_events if pool is None else pool):
            if pos < before and (reach is None or before - pos < reach) and (test is None or test(text)):
                return text
        return ""
