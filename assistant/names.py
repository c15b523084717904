"""Person and organisation names: titles, aliases, keys, gender cues.

* :func:`split_title` separates a role from a name in a mention
  ("Foreign Minister Kang Kyung-wha" -> ("Foreign Minister", "Kang Kyung-wha")).
* :func:`aliases` gives the short forms a name goes by: the family name, which
  comes first in Korean/Chinese-style names ("Kang Kyung-wha" -> "Kang") and
  last in Western ones ("Donald Trump" -> "Trump").
* :func:`name_key`, :func:`person_key`: spelling-insensitive keys of a name.
* :func:`person_name`, :func:`real_title`: a person speaker's name and title as
  the registry (:mod:`assistant.speakers`) keeps them.
"""

from __future__ import annotations

import re

from .attribution.lexicon import GENDERED_TITLE_WORDS, HONORIFICS, ORG_NOUNS, TITLE_NOUNS

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
