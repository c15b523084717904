"""Speaker names, titles, aliases, and the cross-corpus speaker registry.

* :func:`split_title` separates a role from a name in a mention
  ("Foreign Minister Kang Kyung-wha" -> ("Foreign Minister", "Kang Kyung-wha")).
* :func:`aliases` gives the short forms a name goes by: the family name, which
  comes first in Korean/Chinese-style names ("Kang Kyung-wha" -> "Kang") and
  last in Western ones ("Donald Trump" -> "Trump").
* :func:`build_registry` merges the speakers of many quotes into one canonical
  :class:`~assistant.models.Speaker` per person or organisation.
* :func:`match_speaker` finds the registry speakers a user's reference
  ("Kang", "the foreign minister", "police") points to, best first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .attribution.lexicon import GENDERED_TITLE_WORDS, HONORIFICS, ORG_NOUNS, TITLE_NOUNS
from .models import Quote, Speaker

#: Family names common in Korea and China (written first in the name).
EAST_ASIAN_SURNAMES: frozenset[str] = frozenset(
    """
    kim lee yi park pak choi choe jung jeong chung kang cho jo yoon yun jang
    chang lim im han oh shin sin seo suh kwon hwang ahn an song yoo yu hong
    jeon chun ko go moon mun yang son bae baek paek heo huh nam noh roh ha
    ban ri wang li zhang liu chen yang zhao huang zhou wu xu sun ma zhu hu
    guo he lin luo gao zheng liang xie tang han feng deng cao peng zeng xiao
    tian dong pan yuan cai jiang yu du ye cheng wei su lu ding shen xi jin
    fu tan lai mao qin hou shi kong ng tsai lam chan wong leung cheung
    """.split()
)

_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_DETERMINERS = {"the", "a", "an", "another", "this", "that", "its", "his", "her",
                "their", "our", "former", "then", "acting", "new"}
#: Capitalised words that belong to a title rather than a name.
_TITLE_WORDS = TITLE_NOUNS | {
    "vice", "deputy", "foreign", "prime", "finance", "defence", "defense",
    "health", "trade", "interior", "justice", "unification", "state", "general",
    "senior", "chief", "first", "lady", "national", "security", "press",
    "u.s.", "us", "u.k.", "uk", "federal", "provincial", "liberal",
    "conservative", "democratic", "republican", "ndp", "opposition", "party",
    "house", "speaker", "minority", "majority", "whip", "acting", "former",
    "interim", "assistant", "associate", "executive", "managing", "lead",
    "ministry", "department", "local", "union", "labor", "labour",
} | set(HONORIFICS)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text.strip()) if w]


def _is_name_word(word: str) -> bool:
    w = word.strip(",.;:'\"")
    if not w or w.lower() in ("'s", "’s"):
        return False
    if w.lower() in _TITLE_WORDS:
        return False
    return w[0].isupper() or (w[0] in "'’" and len(w) > 1)


def strip_possessive(text: str) -> str:
    """'Kang's' -> 'Kang'."""
    return re.sub(r"(?:'s|’s|'|’)$", "", text.strip())


def split_title(mention: str) -> tuple[str, str]:
    """Split a mention into ``(title, name)``.

    The name is the trailing run of capitalised words that are not title words;
    the title is what precedes it, without leading determiners. Honorifics
    (Mr, Ms, Dr) are dropped from both. A mention with no name gives
    ``(title, "")``; e.g. ``"the foreign minister"`` -> ``("foreign minister", "")``,
    ``"UFCW Local 832 president Jeff Traeger"`` ->
    ``("UFCW Local 832 president", "Jeff Traeger")``.
    """
    # run-together sentences upstream ("264.Health Minister"): drop the tail
    mention = re.sub(r"^\S*[a-z0-9][.!?](?=[A-Z])", "", mention.strip())
    words = _words(strip_possessive(mention))
    words = [w.rstrip(",") for w in words]
    i = len(words)
    while i > 0 and (_is_name_word(words[i - 1]) or (
            i < len(words) and re.fullmatch(r"[A-Z]\.?", words[i - 1]))):
        i -= 1
    # A trailing suffix ("Jr.") without name before it is no name.
    # "Vancouver's Bo Horvat": a possessive before the name belongs to the description
    for j in range(len(words) - 2, i - 1, -1):
        if re.search(r"['’]s$", words[j]):
            i = j + 1
            break
    name_words = words[i:]
    title_words = words[:i]
    while title_words and title_words[0].lower() in _DETERMINERS:
        title_words = title_words[1:]
    title_words = [w for w in title_words if w.lower() not in HONORIFICS]
    if name_words and all(w.lower().strip(".") in _NAME_SUFFIXES for w in name_words):
        name_words = []
    return " ".join(title_words), " ".join(name_words)


def gender_of(mention: str) -> str:
    """'male'/'female' from an honorific or gendered title word, else ''."""
    for w in _words(mention.lower()):
        w = w.strip(",")
        if HONORIFICS.get(w):
            return HONORIFICS[w]
        if w in GENDERED_TITLE_WORDS:
            return GENDERED_TITLE_WORDS[w]
    return ""


def is_east_asian_name(name: str) -> bool:
    """True for family-name-first names: 'Kang Kyung-wha', 'Xi Jinping'.

    A hyphenated lower-case given name ("Kyung-wha", "Jong-un") or a common
    Korean/Chinese family name in first place of a two- or three-word name.
    """
    words = _words(name)
    if len(words) < 2 or len(words) > 3:
        return False
    if re.fullmatch(r"[A-Z][a-z]+-[a-z]+", words[-1]):
        return True
    return words[0].lower() in EAST_ASIAN_SURNAMES and len(words) == 2 and (
        words[1][:1].isupper() and "." not in words[1])


def family_name(name: str) -> str:
    """The family name: first word of East-Asian names, else last non-suffix word."""
    words = [w for w in _words(name) if w.lower() not in HONORIFICS]
    if not words:
        return ""
    if is_east_asian_name(" ".join(words)):
        return words[0]
    while len(words) > 1 and words[-1].lower().strip(",") in _NAME_SUFFIXES:
        words = words[:-1]
    return words[-1].rstrip(",")


def aliases(name: str) -> list[str]:
    """Short forms of a person's ``name``: the family name (and the name itself).

    ``aliases("Kang Kyung-wha") == ["Kang Kyung-wha", "Kang"]``,
    ``aliases("Donald Trump") == ["Donald Trump", "Trump"]``; a one-word name
    gives just itself.
    """
    name = " ".join(_words(name))
    if not name:
        return []
    out = [name]
    fam = family_name(name)
    if fam and fam != name:
        out.append(fam)
    return out


def name_key(name: str) -> str:
    """Spelling-insensitive key of a romanised name.

    Case, hyphens, the spaces inside a name and the kind of apostrophe are
    ignored, so that ``"Ki Mo-ran"``, ``"Ki Moran"`` and ``"Ki Mo Ran"`` give
    one key, and so do ``"O’Neill"`` and ``"O'Neill"``.
    """
    return re.sub(r"[\s\-‐‑–.]+", "", strip_possessive(name).lower().replace("’", "'"))


def _bare(name: str) -> str:
    """A speaker name without a leading article: "the Ministry of Justice" -> "Ministry of Justice"."""
    return re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE)


def acronym_of(name: str) -> str:
    """Initials of the capitalised words: "Seoul Philharmonic Orchestra" -> "SPO"."""
    words = [w for w in _words(strip_possessive(name)) if w[:1].isupper()]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def is_generic(name: str) -> bool:
    """True for a speaker without a proper name: "officials", "data", "sources"."""
    words = _words(name)
    return not any(w[:1].isupper() or w[:1].isdigit() for w in words)


def names_match(a: str, b: str) -> bool:
    """Alias-aware, case-insensitive equality of two names or mentions.

    True when equal, or when the family name of one equals the family name
    of the other or any of its words is equal to the other one-word name.
    """
    a, b = a.replace("’", "'"), b.replace("’", "'")  # "O’Neill" = "O'Neill"
    a_t, a_n = split_title(a)
    b_t, b_n = split_title(b)
    a_n = (a_n or a).lower().strip()
    b_n = (b_n or b).lower().strip()
    if not a_n or not b_n:
        return False
    if a_n == b_n or name_key(a_n) == name_key(b_n):
        return True
    fa, fb = family_name(a_n.title()).lower(), family_name(b_n.title()).lower()
    if fa and fa == fb:
        return True
    wa, wb = set(a_n.split()), set(b_n.split())
    return (len(wa) == 1 and wa <= wb) or (len(wb) == 1 and wb <= wa)


def is_org_mention(mention: str) -> bool:
    """True when the head noun of ``mention`` names an organisation."""
    words = _words(mention.lower())
    return bool(words) and words[-1].strip(".,") in ORG_NOUNS


#: Short given names and their long forms, so "Mike Smith" and "Michael Smith" are one key.
#: A small table of the commonest English pairs (our own list).
GIVEN_NAME_VARIANTS: dict[str, str] = {
    "mike": "michael", "mick": "michael", "bill": "william", "will": "william", "billy": "william",
    "bob": "robert", "rob": "robert", "bobby": "robert", "jim": "james", "jimmy": "james",
    "tom": "thomas", "tommy": "thomas", "dick": "richard", "rick": "richard", "ricky": "richard",
    "dave": "david", "steve": "steven", "stephen": "steven", "chris": "christopher", "dan": "daniel",
    "danny": "daniel", "joe": "joseph", "ted": "edward", "ed": "edward", "eddie": "edward",
    "tony": "anthony", "andy": "andrew", "ben": "benjamin", "sam": "samuel", "nick": "nicholas",
    "pat": "patrick", "alex": "alexander", "greg": "gregory", "ken": "kenneth", "larry": "lawrence",
    "jerry": "gerald", "matt": "matthew", "pete": "peter", "phil": "philip", "ron": "ronald",
    "tim": "timothy", "jeff": "jeffrey", "fred": "frederick", "charlie": "charles", "chuck": "charles",
    "liz": "elizabeth", "beth": "elizabeth", "kate": "katherine", "cathy": "catherine", "sue": "susan",
    "jenny": "jennifer", "jen": "jennifer", "meg": "margaret", "maggie": "margaret", "peggy": "margaret",
    "pam": "pamela", "becky": "rebecca", "vicky": "victoria", "debbie": "deborah", "deb": "deborah",
}


def person_name(raw: str) -> tuple[str, str]:
    """``(name, title)`` of a person speaker as the registry keeps it: titles and honorifics set
    aside (:func:`split_title`), and no punctuation left at either end ("Donald Trump '" ->
    "Donald Trump"; "Jr." keeps its dot). A mention with no name part keeps its text as the name."""
    title, name = split_title(raw)
    name = name or raw.strip()
    name = re.sub(r"^[^\w]+", "", name)
    name = re.sub(r"(?<!\b[A-Z])(?<!\bJr)(?<!\bSr)[^\w]+$", "", name)
    return " ".join(name.split()), title


def person_key(name: str) -> str:
    """:func:`name_key` with a short given name read as its long form (``GIVEN_NAME_VARIANTS``)."""
    words = _words(name)
    if len(words) > 1 and not is_east_asian_name(name):
        first = words[0].lower().strip(".")
        words = [GIVEN_NAME_VARIANTS.get(first, words[0]), *words[1:]]
    return name_key(" ".join(words))


def real_title(title: str) -> str:
    """``title`` when it is a title: it holds a title noun ("Labour MP", "Foreign Minister") or ends in a
    lower-case noun ("city engineer"); else "" (a place, a party or a sentence-initial word such as
    "London", "Labour", "But" is no title)."""
    raw = [w.strip(",.;:'\"“”") for w in _words(title)]
    words = [w.lower() for w in raw if w]
    if any(w in TITLE_NOUNS or w.rstrip("s") in TITLE_NOUNS for w in words):
        return title.strip()
    return title.strip() if words and raw[-1].isalpha() and raw[-1].islower() else ""


def build_registry(quotes: Iterable[Quote]) -> list[Speaker]:
    """Merge quote speakers into one canonical :class:`Speaker` each.

    Persons are keyed by full name; a one-word speaker ("Kang") merges into
    the unique multi-word name in the corpus having it as family name (several
    candidates: it stays apart). Organisations are keyed by lower-cased name.
    Returns speakers sorted by decreasing ``n_quotes`` then name, with ids
    0..n-1. Quotes with no ``speaker`` are skipped.
    """
    quotes = [q for q in quotes if q.speaker]
    by_key: dict[tuple[str, str], Speaker] = {}
    mentions: dict[tuple[str, str], set[str]] = defaultdict(set)

    # names the NER tagged ORG that are a person's name quoted elsewhere ("Marit Holloway said" in one
    # story, tagged ORG in another), or their family name, with no organisation word: persons
    person_keys: set[str] = set()
    family_keys: set[str] = set()
    for q in quotes:
        if q.speaker_type not in ("organization", "unknown") and not is_generic(q.speaker):
            nm = person_name(q.speaker)[0]
            if len(_words(nm)) > 1:
                person_keys.add(person_key(nm))
                family_keys.add(name_key(family_name(nm)))

    def misread_person(q: Quote) -> bool:
        bare = _bare(q.speaker)
        if any(w.lower().strip(".,") in ORG_NOUNS for w in _words(bare)) or not bare[:1].isupper():
            return False
        return person_key(bare) in person_keys or (len(_words(bare)) == 1 and name_key(bare) in family_keys)

    def key_of(q: Quote) -> tuple[str, str]:
        kind = q.speaker_type if q.speaker_type in ("organization", "unknown") else "person"
        if kind == "organization" and misread_person(q):
            kind = "person"
        if kind == "person" and is_generic(q.speaker):
            kind = "unknown"  # "officials", "the bespectacled professor"
        if kind == "person":
            return kind, person_key(person_name(q.speaker)[0])
        return kind, _bare(q.speaker).lower()  # "the Ministry of Justice" = "Ministry of Justice"

    def name_of(q: Quote) -> str:
        return person_name(q.speaker)[0] if key_of(q)[0] == "person" else _bare(q.speaker)

    # family names of multi-word persons (the hyphenated spelling decides
    # the order: "Ki Mo-ran" -> "Ki", even where also spelled "Ki Moran")
    spellings: dict[str, list[str]] = defaultdict(list)
    for q in quotes:
        kind, k = key_of(q)
        if kind == "person" and len(_words(name_of(q))) > 1:
            spellings[k].append(name_of(q))
    family_of: dict[str, str] = {}
    full_by_family: dict[str, set[str]] = defaultdict(set)
    for k, names in spellings.items():
        best = max(names, key=lambda n: ("-" in n, names.count(n)))
        family_of[k] = family_name(best)
        full_by_family[name_key(family_of[k])].add(k)
    articles_of: dict[str, set[str]] = defaultdict(set)
    for q in quotes:
        articles_of[key_of(q)[1]].add(q.article_id)
    canon: dict[tuple[str, str], tuple[str, str]] = {}
    # acronyms: "SPO" is the "Seoul Philharmonic Orchestra" quoted in the same article
    org_by_initials: dict[str, set[str]] = defaultdict(set)
    for q in quotes:
        kind, k = key_of(q)
        if kind == "organization":
            ini = acronym_of(q.speaker)
            if len(ini) >= 2:
                org_by_initials[ini].add(k)
    for q in quotes:
        kind, k = key_of(q)
        target = (kind, k)
        if kind == "organization" and re.fullmatch(r"[A-Z&]{2,7}", q.speaker.strip()):
            full = {f for f in org_by_initials.get(q.speaker.strip(), set())
                    if f != k and articles_of[f] & articles_of[k]}
            if len(full) == 1:
                canon[(kind, k)] = (kind, next(iter(full)))
                continue
        if kind == "person" and len(_words(name_of(q))) == 1:
            full = full_by_family.get(k, set())
            if len(full) > 1:
                # several people share the family name: the one quoted in
                # the same articles
                full = {f for f in full if articles_of[f] & articles_of[k]}
            if len(full) == 1:
                target = (kind, next(iter(full)))
        canon[(kind, k)] = target
    for q in quotes:
        kind, k = key_of(q)
        target = canon[(kind, k)]
        sp = by_key.get(target)
        name = name_of(q)
        if sp is None:
            sp = Speaker(name=name, type=kind)  # type: ignore[arg-type]
            by_key[target] = sp
        if len(_words(name)) > len(_words(sp.name)) or (
                len(_words(name)) == len(_words(sp.name)) and "-" in name and "-" not in sp.name):
            sp.name = name
        sp.n_quotes += 1
        if q.article_id and q.article_id not in sp.articles:
            sp.articles.append(q.article_id)
        titles = [q.speaker_title]
        if kind == "person":
            titles.append(person_name(q.speaker)[1])
        for t in titles:
            t = real_title(t) if kind == "person" else (t or "").strip()
            if t and t not in sp.titles:
                sp.titles.append(t)
        mentions[target].add(q.speaker.strip())
        if q.mention and q.mention.lower() not in {
                "he", "she", "they", "it", "we", "i", "you", "who", "which"}:
            mentions[target].add(q.mention.strip())
        if not sp.gender:
            sp.gender = gender_of(q.mention) or gender_of(q.speaker_title)
            if not sp.gender and q.mention.lower() in ("he", "she"):
                sp.gender = "male" if q.mention.lower() == "he" else "female"
    out = []
    for key, sp in by_key.items():
        al: list[str] = []
        names = [sp.name] + sorted(mentions[key])
        for m in names:
            forms = [m]
            if sp.type == "person":
                _, nm = split_title(m)
                if nm and name_key(nm) == name_key(sp.name):
                    nm = sp.name  # another spelling: the canonical one's aliases
                forms += aliases(nm) if nm else []
            for a in forms:
                if a and a not in al:
                    al.append(a)
        sp.aliases = al
        out.append(sp)
    out.sort(key=lambda s: (-s.n_quotes, s.name))
    for i, sp in enumerate(out):
        sp.id = i
    return out


def _norm_words(text: str) -> list[str]:
    return [w.strip(".,'’\"").lower().replace("’", "'") for w in _words(strip_possessive(text))
            if w.strip(".,'’\"")]


def match_speaker(reference: str, registry: Iterable[Speaker]) -> list[Speaker]:
    """Speakers of ``registry`` that ``reference`` may denote, best first.

    Scoring: exact name or alias match (highest); family/last-name match of
    the name part; title words of the reference matched against each
    speaker's titles (all words present beats some words present); for
    organisation references ("the health ministry", "police"), words of the
    reference found in the organisation's name or aliases. Ties are broken by
    ``n_quotes``. Returns ``[]`` when nothing matches.
    """
    ref = reference.strip()
    if not ref:
        return []
    title, name = split_title(ref)
    ref_words = _norm_words(ref)
    ref_words = [w for w in ref_words if w not in _DETERMINERS and w not in HONORIFICS]
    title_words = [w for w in _norm_words(title) if w not in _DETERMINERS]
    org_ref = not name and bool(ref_words) and ref_words[-1] in ORG_NOUNS
    scored: list[tuple[float, Speaker]] = []
    ref_key = name_key(ref)
    for sp in registry:
        if org_ref and sp.type == "person":
            continue  # "the health ministry" names an organisation
        if sp.type == "unknown" and (name or is_generic(sp.name)) and \
                ref_key != name_key(sp.name):
            continue  # generic speakers ("officials") never win a name lookup
        score = 0.0
        al_lower = {a.lower() for a in sp.aliases} | {sp.name.lower()}
        al_keys = {name_key(a) for a in al_lower} if sp.type == "person" else set()
        if ref.lower() in al_lower or " ".join(ref_words) in al_lower or \
                (name and name_key(name) in al_keys and len(_words(name)) > 1):
            score = 10.0
        elif name and sp.type == "person":
            if name.lower() in al_lower or name_key(name) in al_keys:
                score = 8.0
            elif names_match(name, sp.name) and (len(_words(sp.name)) > 1 or len(_words(name)) == 1
                                                  or name_key(sp.name) == name_key(family_name(name))):
                # a one-word speaker ("Firstname") is no match for a full name that it does not end
                score = 6.0
        if sp.type == "person" and title_words and (score > 0 or not name):
            best = 0.0
            for t in sp.titles:
                tw = set(_norm_words(t))
                hit = sum(1 for w in title_words if w in tw)
                if hit:
                    frac = hit / len(title_words)
                    # the head noun (last word) must match for a title-only reference
                    if not name and title_words[-1] not in tw:
                        continue
                    best = max(best, frac * 4.0 - 0.1 * len(tw - set(title_words)))
            score += best
        if sp.type == "organization" and score == 0 and ref_words:
            words = set()
            for a in al_lower:
                words |= set(a.split())
            hit = sum(1 for w in ref_words if w in words)
            if hit == len(ref_words):
                score = 5.0
            elif hit and ref_words[-1] in words:
                score = 2.0 * hit / len(ref_words)
        if score > 0:
            scored.append((score, sp))
    scored.sort(key=lambda t: (-t[0], -t[1].n_quotes, t[1].name))
    return [sp for _, sp in scored]


#: Common English given names with a strong gender association (our own short
#: list; used only to break ties when resolving "he"/"she").
_FEMALE_NAMES = frozenset(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy
    lisa betty margaret sandra ashley kimberly emily donna michelle dorothy carol
    amanda melissa deborah stephanie rebecca sharon laura cynthia kathleen amy
    shirley angela helen anna brenda pamela nicole emma samantha katherine christine
    debra rachel catherine carolyn janet ruth maria heather diane virginia julie
    joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl
    andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice
    jean alice madison doris abigail julia judy grace denise amber marilyn beverly
    danielle theresa sophia marie diana brittany natalie isabella charlotte rose
    alexis kayla wendy carole caroline hillary theresa chrystia jody jane elaine
    jenny kate katie sophie claire ellen nadia fatima yasmin priya aisha leah
    jill gina tina monica erin erica vanessa valerie tracy tammy holly melanie
    kristen kirsten krista lynn lindsay leslie paula peggy patty penny sheila
    sylvia vera irene ingrid ida iris ivy joanne josephine kathy kristin liz
    marian maureen meghan melinda miriam molly nora patti rita robin roberta
    rosa ruby sally sue susanne suzanne tanya tara tess vicky yvonne zoe
    nancy elizabeth kamala nikki meg marsha sheryl chelsea ivanka melania
    """.split()
)
_MALE_NAMES = frozenset(
    """
    james robert john michael david william richard joseph thomas charles
    christopher daniel matthew anthony mark donald steven paul andrew joshua
    kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob
    gary nicholas eric jonathan stephen larry justin scott brandon benjamin
    samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron
    jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy
    christian keith roger terry gerald harold sean austin carl arthur lawrence
    dylan jesse bryan billy joe bruce gabriel logan albert willie alan
    juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip
    louis harry allan allen dave doug jim jeff mike tom tony bill bob steve
    andy ben chris dan don ed fred greg jon ken len matt nick phil rob ron
    sam ted tim vic bernie barack mitt ted marco rand jeb newt mitch chuck
    justin stephen jagmeet andrew doug jason ernie neil ken hussein mohammed
    muhammad ahmed ali omar ivan igor vladimir sergei dmitri hans klaus pierre
    jean-pierre francois michel luc marc rene jacques emmanuel boris nigel
    gordon tony keir rishi angus hamish callum connor liam owen declan seamus
    trevor caleb nino sebastian erik eric kody calvin cole colin craig curtis
    dale darren derek dustin earl edwin floyd glenn gordon grant howard hugh
    ian isaac jared jay joel johnny kurt lance leon lloyd luke marcus martin
    max melvin miles neil norman oscar otto perry quentin ray reed rex rick
    ricky rodney ross ruben rudy shane spencer stanley stuart todd travis troy
    vernon victor wade warren wesley
    """.split()
)


def name_gender(name: str) -> str:
    """'female'/'male' from a common given name in ``name``, else ''."""
    words = [w.strip(".,").lower() for w in _words(name)]
    words = [w for w in words if w not in HONORIFICS]
    if len(words) < 2:
        return ""
    first = words[0]
    if first in _FEMALE_NAMES and first not in _MALE_NAMES:
        return "female"
    if first in _MALE_NAMES and first not in _FEMALE_NAMES:
        return "male"
    return ""
