"""The cross-corpus speaker registry: one canonical speaker per person or organisation.

* :func:`build_registry` merges the speakers of many quotes into one canonical
  :class:`~assistant.models.Speaker` per person or organisation.
* :func:`match_speaker` finds the registry speakers a user's reference
  ("Kang", "the foreign minister", "police") points to, best first.

The name functions it relies on live in :mod:`assistant.names` and are
re-exported here for the modules that import them from this one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .attribution.lexicon import HONORIFICS, ORG_NOUNS
from .kinds import SpeakerType
from .models import Quote, Speaker
from .names import (  # noqa: F401  (re-exported)
    _DETERMINERS,
    EAST_ASIAN_SURNAMES,
    GIVEN_NAME_VARIANTS,
    _bare,
    _words,
    acronym_of,
    aliases,
    family_name,
    gender_of,
    is_east_asian_name,
    is_generic,
    is_org_mention,
    name_gender,
    name_key,
    names_match,
    person_key,
    person_name,
    real_title,
    split_title,
    strip_possessive,
)

#: Mentions that never become an alias.
_PRONOUN_MENTIONS = {"he", "she", "they", "it", "we", "i", "you", "who", "which"}


class _Keys:
    """How quotes' speakers are keyed: ``key_of(q) -> (type, key)`` and ``name_of(q)``.

    Persons are keyed by :func:`person_key` of their bare name; organisations and
    unnamed speakers by their lower-cased name without a leading article. A name the
    NER tagged ORG that is a person's name quoted elsewhere in the batch ("Marit Holloway
    said" in one story, tagged ORG in another), or their family name, with no
    organisation word, is that person.
    """

    def __init__(self, quotes: list[Quote]):
        self.person_keys: set[str] = set()
        self.family_keys: set[str] = set()
        for q in quotes:
            if q.speaker_type not in (SpeakerType.ORGANIZATION, SpeakerType.UNKNOWN) and not is_generic(q.speaker):
                nm = person_name(q.speaker)[0]
                if len(_words(nm)) > 1:
                    self.person_keys.add(person_key(nm))
                    self.family_keys.add(name_key(family_name(nm)))

    def _misread_person(self, q: Quote) -> bool:
        bare = _bare(q.speaker)
        if any(w.lower().strip(".,") in ORG_NOUNS for w in _words(bare)) or not bare[:1].isupper():
            return False
        return person_key(bare) in self.person_keys or (
            len(_words(bare)) == 1 and name_key(bare) in self.family_keys)

    def key_of(self, q: Quote) -> tuple[str, str]:
        kind = q.speaker_type if q.speaker_type in (SpeakerType.ORGANIZATION, SpeakerType.UNKNOWN) else SpeakerType.PERSON
        if kind == SpeakerType.ORGANIZATION and self._misread_person(q):
            kind = SpeakerType.PERSON
        if kind == SpeakerType.PERSON and is_generic(q.speaker):
            kind = SpeakerType.UNKNOWN  # "officials", "the bespectacled professor"
        if kind == SpeakerType.PERSON:
            return kind, person_key(person_name(q.speaker)[0])
        return kind, _bare(q.speaker).lower()  # "the Ministry of Justice" = "Ministry of Justice"

    def name_of(self, q: Quote) -> str:
        return person_name(q.speaker)[0] if self.key_of(q)[0] == SpeakerType.PERSON else _bare(q.speaker)


def _canonical_keys(quotes: list[Quote], keys: _Keys) -> dict[tuple[str, str], tuple[str, str]]:
    """Each speaker key -> the key of the speaker it merges into: a one-word person ("Kang") into the
    unique multi-word person with that family name (several: the one quoted in the same articles;
    the hyphenated spelling decides the family name: "Ki Mo-ran" -> "Ki", even where also spelled
    "Ki Moran"); an acronym ("SPO") into the one organisation with those initials in the same articles."""
    spellings: dict[str, list[str]] = defaultdict(list)
    articles_of: dict[str, set[str]] = defaultdict(set)
    org_by_initials: dict[str, set[str]] = defaultdict(set)
    for q in quotes:
        kind, k = keys.key_of(q)
        articles_of[k].add(q.article_id)
        if kind == SpeakerType.PERSON and len(_words(keys.name_of(q))) > 1:
            spellings[k].append(keys.name_of(q))
        if kind == SpeakerType.ORGANIZATION and len(ini := acronym_of(q.speaker)) >= 2:
            org_by_initials[ini].add(k)
    full_by_family: dict[str, set[str]] = defaultdict(set)
    for k, names in spellings.items():
        best = max(names, key=lambda n: ("-" in n, names.count(n)))
        full_by_family[name_key(family_name(best))].add(k)
    canon: dict[tuple[str, str], tuple[str, str]] = {}
    for q in quotes:
        kind, k = keys.key_of(q)
        target = (kind, k)
        if kind == SpeakerType.ORGANIZATION and re.fullmatch(r"[A-Z&]{2,7}", q.speaker.strip()):
            full = {f for f in org_by_initials.get(q.speaker.strip(), set())
                    if f != k and articles_of[f] & articles_of[k]}
            if len(full) == 1:
                canon[(kind, k)] = (kind, next(iter(full)))
                continue
        if kind == SpeakerType.PERSON and len(_words(keys.name_of(q))) == 1:
            full = full_by_family.get(k, set())
            if len(full) > 1:  # several people share the family name: the one quoted in the same articles
                full = {f for f in full if articles_of[f] & articles_of[k]}
            if len(full) == 1:
                target = (kind, next(iter(full)))
        canon[(kind, k)] = target
    return canon


def _absorb(sp: Speaker, q: Quote, name: str) -> None:
    """Count quote ``q`` (speaker name ``name`` as keyed) for ``sp``: the longer or hyphenated name
    wins, articles, real titles and gender are collected."""
    if len(_words(name)) > len(_words(sp.name)) or (
            len(_words(name)) == len(_words(sp.name)) and "-" in name and "-" not in sp.name):
        sp.name = name
    sp.n_quotes += 1
    if q.article_id and q.article_id not in sp.articles:
        sp.articles.append(q.article_id)
    titles = [q.speaker_title, person_name(q.speaker)[1]] if sp.type == SpeakerType.PERSON else [q.speaker_title]
    for t in titles:
        t = real_title(t) if sp.type == SpeakerType.PERSON else (t or "").strip()
        if t and t not in sp.titles:
            sp.titles.append(t)
    if not sp.gender:
        sp.gender = gender_of(q.mention) or gender_of(q.speaker_title)
        if not sp.gender and q.mention.lower() in ("he", "she"):
            sp.gender = "male" if q.mention.lower() == "he" else "female"


def _aliases_of(sp: Speaker, mentions: Iterable[str]) -> list[str]:
    """The speaker's name, its mentions, and for a person the short forms of each (:func:`aliases`)."""
    al: list[str] = []
    for m in [sp.name, *sorted(mentions)]:
        forms = [m]
        if sp.type == SpeakerType.PERSON:
            _, nm = split_title(m)
            if nm and name_key(nm) == name_key(sp.name):
                nm = sp.name  # another spelling: the canonical one's aliases
            forms += aliases(nm) if nm else []
        for a in forms:
            if a and a not in al:
                al.append(a)
    return al


def build_registry(quotes: Iterable[Quote]) -> list[Speaker]:
    """Merge quote speakers into one canonical :class:`Speaker` each (keys: :class:`_Keys`, merges:
    :func:`_canonical_keys`).

    Returns speakers sorted by decreasing ``n_quotes`` then name, with ids
    0..n-1. Quotes with no ``speaker`` are skipped.
    """
    quotes = [q for q in quotes if q.speaker]
    keys = _Keys(quotes)
    canon = _canonical_keys(quotes, keys)
    by_key: dict[tuple[str, str], Speaker] = {}
    mentions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for q in quotes:
        kind, _ = key = keys.key_of(q)
        target = canon[key]
        name = keys.name_of(q)
        sp = by_key.get(target)
        if sp is None:
            sp = by_key[target] = Speaker(name=name, type=kind)  # type: ignore[arg-type]
        _absorb(sp, q, name)
        mentions[target].add(q.speaker.strip())
        if q.mention and q.mention.lower() not in _PRONOUN_MENTIONS:
            mentions[target].add(q.mention.strip())
    out = []
    for key, sp in by_key.items():
        sp.aliases = _aliases_of(sp, mentions[key])
        out.append(sp)
    out.sort(key=lambda s: (-s.n_quotes, s.name))
    for i, sp in enumerate(out):
        sp.id = i
    return out


def assign_quotes(quotes: list[Quote], speakers: list[Speaker]) -> dict[int, int]:
    """Map quote id -> index into ``speakers`` by canonical name, then alias (same article first)."""
    by_name: dict[str, list[int]] = {}
    by_alias: dict[str, list[int]] = {}
    for i, s in enumerate(speakers):
        by_name.setdefault(s.name.lower(), []).append(i)
        for a in s.aliases:
            by_alias.setdefault(a.lower(), []).append(i)
    mapping: dict[int, int] = {}
    for q in quotes:
        if not q.speaker:
            continue
        key = q.speaker.lower()
        cands = by_name.get(key) or by_alias.get(key) or []
        if len(cands) > 1:
            cands = [c for c in cands if q.article_id in speakers[c].articles] or cands
        if cands:
            mapping[q.id] = cands[0]
    return mapping


def extend_registry(existing: list[Speaker], new_quotes: list[Quote]
                    ) -> tuple[list[Speaker], list[Speaker], dict[int, int]]:
    """Add the speakers of a small addition to ``existing`` without re-clustering it.

    A new quote whose speaker is a registered speaker's name (or an alias that only one
    registered speaker has) joins that speaker (a copy: ``existing`` is not changed); the
    rest are clustered among themselves (:func:`build_registry`) and numbered after the
    existing ids. Returns ``(changed, fresh, assigned)``: the updated copies, the new
    speakers, and quote id -> speaker id for every new quote with a speaker. A later
    full build re-clusters everything, as a segment merge does.
    """
    import copy

    unique_alias: dict[str, Speaker | None] = {}
    for sp in existing:
        for a in {sp.name.lower(), *(x.lower() for x in sp.aliases)}:
            unique_alias[a] = sp if a not in unique_alias else None
    by_name = {sp.name.lower(): sp for sp in existing}
    changed: dict[int, Speaker] = {}
    assigned: dict[int, int] = {}
    rest: list[Quote] = []
    for q in new_quotes:
        if not q.speaker:
            continue
        sp = by_name.get(q.speaker.lower()) or unique_alias.get(q.speaker.lower())
        if sp is None:
            rest.append(q)
            continue
        sp = changed.get(sp.id) or copy.deepcopy(sp)
        _absorb(sp, q, sp.name)
        if q.mention and q.mention.lower() not in _PRONOUN_MENTIONS and q.mention not in sp.aliases:
            sp.aliases.append(q.mention)
        changed[sp.id] = sp
        assigned[q.id] = sp.id
    fresh = build_registry(rest) if rest else []
    next_id = 1 + max((sp.id for sp in existing), default=0)
    for i, sp in enumerate(fresh):
        sp.id = next_id + i
    for qid, idx in assign_quotes(rest, fresh).items():
        assigned[qid] = fresh[idx].id
    return list(changed.values()), fresh, assigned


def _norm_words(text: str) -> list[str]:
    return [w.strip(".,'’\"").lower().replace("’", "'") for w in _words(strip_possessive(text))
            if w.strip(".,'’\"")]


def _name_score(ref: str, ref_words: list[str], name: str, sp: Speaker, al_lower: set[str]) -> float:
    """10 for the name or an alias as written, 8 for the name part's alias or spelling, 6 for an
    alias-aware match (:func:`names_match`; a one-word speaker only for the family name of a full one)."""
    al_keys = {name_key(a) for a in al_lower} if sp.type == SpeakerType.PERSON else set()
    if ref.lower() in al_lower or " ".join(ref_words) in al_lower or \
            (name and name_key(name) in al_keys and len(_words(name)) > 1):
        return 10.0
    if name and sp.type == SpeakerType.PERSON:
        if name.lower() in al_lower or name_key(name) in al_keys:
            return 8.0
        if names_match(name, sp.name) and (len(_words(sp.name)) > 1 or len(_words(name)) == 1
                                           or name_key(sp.name) == name_key(family_name(name))):
            # a one-word speaker ("Firstname") is no match for a full name that it does not end
            return 6.0
    return 0.0


def _title_score(title_words: list[str], name: str, sp: Speaker) -> float:
    """Up to 4 for the share of the reference's title words in one of the speaker's titles (the head
    noun must match for a title-only reference), less 0.1 per extra word of that title."""
    best = 0.0
    for t in sp.titles:
        tw = set(_norm_words(t))
        hit = sum(1 for w in title_words if w in tw)
        if hit and (name or title_words[-1] in tw):
            best = max(best, hit / len(title_words) * 4.0 - 0.1 * len(tw - set(title_words)))
    return best


def _org_score(ref_words: list[str], al_lower: set[str]) -> float:
    """5 when every word of the reference is in the organisation's names, else a share if its head is."""
    words = {w for a in al_lower for w in a.split()}
    hit = sum(1 for w in ref_words if w in words)
    if hit == len(ref_words):
        return 5.0
    return 2.0 * hit / len(ref_words) if hit and ref_words[-1] in words else 0.0


def match_speaker(reference: str, registry: Iterable[Speaker]) -> list[Speaker]:
    """Speakers of ``registry`` that ``reference`` may denote, best first.

    Scoring: exact name or alias match (highest); family/last-name match of
    the name part (:func:`_name_score`); title words of the reference matched
    against each speaker's titles (:func:`_title_score`); for organisation
    references ("the health ministry", "police"), words of the reference found
    in the organisation's name or aliases (:func:`_org_score`). Ties are broken
    by ``n_quotes``. Returns ``[]`` when nothing matches.
    """
    ref = reference.strip()
    if not ref:
        return []
    title, name = split_title(ref)
    ref_words = [w for w in _norm_words(ref) if w not in _DETERMINERS and w not in HONORIFICS]
    title_words = [w for w in _norm_words(title) if w not in _DETERMINERS]
    org_ref = not name and bool(ref_words) and ref_words[-1] in ORG_NOUNS
    scored: list[tuple[float, Speaker]] = []
    ref_key = name_key(ref)
    for sp in registry:
        if org_ref and sp.type == SpeakerType.PERSON:
            continue  # "the health ministry" names an organisation
        if sp.type == SpeakerType.UNKNOWN and (name or is_generic(sp.name)) and ref_key != name_key(sp.name):
            continue  # generic speakers ("officials") never win a name lookup
        al_lower = {a.lower() for a in sp.aliases} | {sp.name.lower()}
        score = _name_score(ref, ref_words, name, sp, al_lower)
        if sp.type == SpeakerType.PERSON and title_words and (score > 0 or not name):
            score += _title_score(title_words, name, sp)
        if sp.type == SpeakerType.ORGANIZATION and score == 0 and ref_words:
            score = _org_score(ref_words, al_lower)
        if score > 0:
            scored.append((score, sp))
    scored.sort(key=lambda t: (-t[0], -t[1].n_quotes, t[1].name))
    return [sp for _, sp in scored]
