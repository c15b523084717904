"""Quote extraction and speaker attribution for one article.

Pipeline (one spaCy parse, linear in the article length):

1. **Quotation marks** are paired per paragraph (straight and curly double
   quotes; a paragraph whose quote is not closed continues when the next
   paragraph opens with a mark, the newspaper convention for multi-paragraph
   quotes).  A quoted span long enough and standing at a sentence start (or
   after ``:``/``,``) is a *direct quote*; a short one inside a sentence
   ("constructive") is a *fragment* and only marks reported speech as mixed.
2. **Reporting verbs** (:mod:`assistant.cues`) found in the dependency parse
   give the cue and the speaker (their subject).  A direct quote takes the cue
   just after it ("...," she said) or just before it (Kang said: "...").
   Other cues yield indirect speech: the clausal complement ("said South Korea
   will ..."), the main clause before a trailing cue ("..., Kim said"), the
   object of verbs such as *emphasize*, the infinitive of *pledge*, and the
   clause around "according to X".
   Quoted words right after a naming or utterance verb ('called it "a
   disaster"', 'chanted "..."') are direct quotes; a headline of the form
   "Speaker: words" is attributed too.
3. **Floating quotes** (a quote paragraph with no cue) belong to the speaker
   of the quote just before.
4. **Speakers** are resolved inside the article: names are clustered by alias
   (family name), titles and gender are collected from the mentions;
   pronouns go to the nearest gender-compatible person who is a subject
   outside quotation marks, titles alone ("the foreign minister") to the
   person holding that title, organisation nouns ("the ministry") to the
   organisation.  An unnamed "official"/"source"/"spokesman" speaks for the
   organisation the mention names ("a Cheong Wa Dae official"), else stays
   generic (type ``unknown``); a document ("the report", "a statement from
   X") goes to whoever issued it; spelling variants of a name ("Ki Moran",
   "Ki Mo-ran") are one person.
5. **Embedded posts** ("... pic.twitter.com/x — Name (@handle) Date") are
   direct quotes of their author.

The overall approach (reporting-verb lexicon + dependency parse, quotation
marks, floating quotes, name/pronoun resolution) follows the Gender Gap
Tracker's extractor: Asr, Mazraeh, Lopes, Gautam, Gonzales, Rao, Taboada
(2021), "The Gender Gap Tracker: Using Natural Language Processing to measure
gender bias in media", PLOS ONE 16(1): e0245533.  Rules and lists are ours.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .cues import (
    GENDERED_TITLE_WORDS,
    HONORIFICS,
    HUMAN_NOUNS,
    OBJECT_CONTENT_VERBS,
    ORG_NOUNS,
    PRONOUN_GENDER,
    SPEECH_VERBS,
    TITLE_NOUNS,
    WEAK_VERBS,
    XCOMP_CONTENT_VERBS,
)
from .models import Quote
from .nlp import load_nlp, parse
from .speakers import (
    aliases,
    family_name,
    gender_of,
    name_gender,
    name_key,
    split_title,
    strip_possessive,
)

OPENERS = "“„‟«"
CLOSERS = "”»"
STRAIGHT = '"'
_MARKS = re.compile(r"’’|''|‘‘|``|[\"“”„‟«»]")
#: An unclosed quotation at a paragraph start runs to the paragraph end only
#: when the paragraph is at most this long (characters); otherwise ignored.
MAX_UNCLOSED = 1500
#: Direct quotes longer than this (characters) are treated as mis-paired.
MAX_DIRECT = 4000
#: Distance (tokens) over which a mention's salience decays by a factor e.
SALIENCE_DECAY = 60.0
#: Salience weight of a person's quoted-speaker mention (subject 2, other 1).
SPEAKER_WEIGHT = 3.0
#: Salience weight of a resolved he/she subject outside quotes (0: off).
PRONOUN_WEIGHT = 1.0
#: Factor for candidates whose known gender matches the pronoun's.
GENDER_BONUS = 1.5
#: Resolve a quote's "he"/"she" to the previous sentence's person subject before salience.
PREV_SUBJECT = True
#: Resolve "the 26-year-old right wing" to the most salient person nearby.
DESCRIPTIVE_NP = True
#: How far back (characters) a bare "an official" looks for the organisation quoted just before it.
GENERIC_ORG_REACH = 300
#: How far back (characters) a description ("the 32-year-old labourer") looks for the person it describes.
DESCRIPTION_REACH = 250
#: A cue-less quote goes to a person made subject since the last quote.
FLOAT_TO_SUBJECT = True
#: Weight factor for one-word PERSON names that match no full name.
LONE_NAME_FACTOR = 0.5
#: Salience weight of a person's first mention when it is a subject.
INTRO_WEIGHT = 3.0
#: Weight factor for a name modifying a noun ("the Moon administration").
COMPOUND_NAME_FACTOR = 0.5
#: Weight factor for a name deep in prepositional phrases (1.0: off; 0.5 measured no better).
NESTED_NAME_FACTOR = 1.0
#: Sum the decayed weights of all mentions (True) or keep the best one (False).
SALIENCE_SUM = False
#: Indirect content longer than this (characters) is a parse gone wrong.
MAX_INDIRECT = 1500
_PRONOUNS_PERSON = {"he", "she"}
_SKIP_SUBJECTS = {"i", "we", "you", "me", "us", "one", "there", "what", "that", "this",
                  "these", "those", "something", "nothing", "everyone", "anyone",
                  "someone", "nobody", "many", "few", "all", "both"}
_REL_PRONOUNS = {"who", "which", "that"}
_DOC_NOUNS = {"statement", "release", "report", "memo", "document", "post", "tweet",
              "study", "survey", "poll", "findings", "data", "figures", "numbers", "paper",
              "claim", "commentary", "analysis", "assessment", "review", "research",
              "website", "blog", "brief", "submission", "application", "order", "motion",
              "letter", "email", "e-mail", "complaint", "suit", "lawsuit", "filing",
              "affidavit", "ruling", "decision", "notice", "message", "announcement",
              "book", "memoir", "column", "essay", "op-ed", "editorial", "biography"}
#: Participles whose agent did not write the document: "the memo obtained by The
#: Globe", "a report seen by Reuters" (any other agent, "released by X", is its issuer).
_NOT_ISSUING_VERBS = {"obtain", "see", "review", "receive", "cite", "quote", "leak", "report",
                      "acquire", "examine", "analyze", "analyse", "criticize", "criticise",
                      "reject", "dismiss", "challenge", "question"}
#: Adjectives that follow the noun they modify ("a security professional present during
#: the attack"), which the tagger can take for the mention's head noun.
_POSTPOSITIVE = {"present", "involved", "concerned", "responsible", "available", "affected",
                 "interviewed", "questioned", "polled", "surveyed", "contacted", "nearby"}
#: Person nouns that imply a gender, for unnamed speakers ("a woman in the crowd told ...").
_GENDERED_PERSON_NOUNS = {"man": "male", "men": "male", "boy": "male", "gentleman": "male",
                          "dad": "male", "uncle": "male", "boyfriend": "male", "woman": "female",
                          "women": "female", "girl": "female", "lady": "female", "mom": "female",
                          "mum": "female", "aunt": "female", "girlfriend": "female"}
#: Heads of place names, never a surname ("Trump Tower", "Obama Library").
_PLACE_WORDS = {"tower", "library", "hall", "street", "avenue", "road", "park", "airport",
                "bridge", "stadium", "arena", "building", "museum", "hotel", "square", "plaza"}
#: Words no personal name contains: a PERSON entity holding one is a title of a work.
_NOT_IN_NAMES = {"me", "my", "you", "your", "we", "our", "they", "them", "their",
                 "not", "is", "are", "was"}
#: Title words that also open names of companies and places ("General Motors", "King's College").
_ORG_NAME_TITLES = {"general", "king", "queen", "prince", "princess", "dr", "imam", "pope",
                    "justice", "head", "executive", "counsel", "representative"}
#: Where a document is posted: "a document ... on Canadian Pacific Railway's website".
_OUTLET_NOUNS = {"website", "site", "page", "account", "blog", "feed", "channel", "portal"}
#: A photo caption's closing credit: "( THE CANADIAN PRESS FILE PHOTO )",
#: "( Peter Lee / Waterloo Region Record )", "(AP Photo/Evan Vucci)".
_CAPTION = re.compile(r"\(\s*(?:[^()]{0,80}\b(?:PHOTO|[Pp]hoto|Getty Images|FILE)\b[^()]{0,80}"
                      r"|[^()/]{2,60}/[^()]{2,60})\)\s*$")
#: Buildings that stand for the office in them (metonymy), which the NER model tends
#: to tag as people or places: "Cheong Wa Dae said", "the Kremlin said".
SEATS_OF_GOVERNMENT = frozenset({
    "cheong wa dae", "chong wa dae", "blue house", "kremlin", "white house", "elysee",
    "élysée", "elysee palace", "élysée palace", "downing street", "zhongnanhai", "kantei",
    "rideau hall", "pentagon", "whitehall", "quai d'orsay", "foggy bottom", "casa rosada",
    "palacio de la moncloa", "moncloa", "chigi", "palazzo chigi", "bellevue", "malacanang",
    "malacañang", "rashtrapati bhavan", "istana",
})
#: Kinship nouns: they name someone other than the person they are said of ("Wise's dad").
_KINSHIP = {"dad", "father", "mom", "mum", "mother", "brother", "sister", "son", "daughter",
            "uncle", "aunt", "grandfather", "grandmother", "cousin", "nephew", "niece", "wife",
            "husband", "boyfriend", "girlfriend", "fiancé", "fiancée", "fiance", "fiancee"}
#: Abbreviated titles before a name ("Lt. Tom Wilkison", "Sgt. Jane Doe").
_TITLE_ABBREVIATIONS = {"lt", "sgt", "cpl", "const", "cst", "det", "insp", "supt", "capt", "col",
                        "gen", "maj", "adm", "cmdr", "gov", "sen", "rep", "dr", "prof", "rev",
                        "mr", "mrs", "ms", "hon", "atty", "pres", "lieut"}
#: A dateline opening a story: "OTTAWA — ", "SEOUL, Jan. 5 (Yonhap) -- ".
_DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,}(?:,[^—–\n]{0,40})?(?:\s*\([^)]{0,30}\))?\s*(?:—|–|--|-)\s+")
_DETERMINER_WORDS = {"a", "an", "the", "this", "that", "another", "one"}
#: The signature closing an embedded post: "— BC Hydro (@bchydro) December 22, 2018".
_EMBED_SIG = re.compile(r"\s[—–-]\s*([^()\n—]{2,60}?)\s*\(@\w+\)\s+[A-Z][a-z]+\.? \d{1,2},\s*\d{4}\s*$")
_EMBED_LINK = re.compile(r"https?://t\.co/\S+|pic\.twitter\.com/\S+")
#: Cues whose direct object is the addressee ("told reporters").
_ADDRESSEE_VERBS = {"tell", "inform", "assure", "reassure", "remind", "warn", "brief",
                    "advise", "notify", "ask", "urge", "caution", "email", "text"}
_NAMING_VERBS = {"call", "describe", "dub", "label", "brand", "term", "nickname"}
_UTTER_VERBS = {"say", "shout", "chant", "yell", "scream", "blurt", "exclaim", "cry",
                "tweet", "write", "add", "reply", "respond", "ask", "whisper", "mutter"}
_NOT_SPEAKERS = {"read more", "watch", "update", "updated", "breaking", "exclusive", "photos",
                 "video", "analysis", "opinion", "editorial", "related", "listen", "live",
                 "note", "correction", "editor's note", "see also", "more"}
_PARTICLE_CUES = {"point": "out", "sum": "up", "chime": "in", "spell": "out"}
_NOT_INDIRECT = {"ask", "inquire", "wonder", "estimate", "forecast", "order", "specify",
                 "remind", "detail", "outline", "propose"}
_WH_START = {"whether", "why", "how", "what", "when", "where", "who", "which", "if"}
_CONTENT_MARKS = {"because", "since", "although", "though", "while", "if", "unless",
                  "until", "so", "as", "whereas", "once"}
_HUMAN_SUFFIXES = ("er", "or", "ist", "man", "woman", "ian", "ant", "ent", "ee", "ive",
                   "wing", "guard", "back", "coach", "chief")
_PLACE_NOUNS = {"city", "province", "country", "state", "town", "municipality"}
_ANAPHORIC_ORG = {"company", "firm", "agency", "department", "union", "organization",
                  "organisation", "group", "corporation", "retailer", "bank", "carrier",
                  "airline", "automaker", "network", "club", "team", "league", "ministry",
                  "university", "hospital", "board", "charity", "publisher", "startup",
                  "maker", "giant", "brand", "developer", "insurer", "utility", "regulator",
                  "watchdog", "broadcaster", "operator", "manufacturer", "association",
                  "commission", "institute", "foundation"} | _PLACE_NOUNS
#: Verbs that attribute a direct quote ('"...," Sinclair concludes') but whose clause
#: complement is a thought, not speech ("concluded that ...").
DIRECT_ONLY_VERBS = frozenset({"conclude", "continue", "laugh", "agree", "smile", "sigh"})
#: An organisation's acronym as a speaker name ("IRCC", "PBO").
_ACRONYM = re.compile(r"[A-Z]{2,6}")
#: Organisation nouns that refer back to any company named just before.
_BUSINESS_NOUNS = {"company", "firm", "corporation", "retailer", "carrier", "airline",
                   "automaker", "maker", "startup", "developer", "insurer", "publisher",
                   "brand", "giant", "network", "club", "team", "league", "bank"}
_MENTION_DEPS = {"compound", "amod", "det", "poss", "nmod", "nummod", "case",
                 "punct", "prt", "quantmod", "advmod", "cc", "conj", "flat"}


@dataclass
class _QSpan:
    """A span between quotation marks: [start, end) including the marks."""

    start: int
    end: int
    closed: bool
    para: int
    chain: int = -1
    direct: bool = False
    words: int = 0


@dataclass
class _Person:
    """One person (or organisation) cluster inside an article."""

    name: str
    kind: str = "person"
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


# --------------------------------------------------------------------------
# quotation marks


def _hard_wrapped(text: str) -> bool:
    """True for text whose lines are wrapped at a fixed width (Reuters-style)."""
    lines = [ln for ln in text[:20000].split("\n") if ln.strip()]
    if len(lines) < 6:
        return False
    lengths = sorted(len(ln) for ln in lines)
    open_ends = sum(1 for ln in lines if ln.rstrip()[-1:] not in '.?!:"”’)')
    return lengths[len(lengths) // 2] < 90 and open_ends > 0.5 * len(lines)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (start, end) without the line breaks, blank ones dropped.

    A line break ends a paragraph, except in hard-wrapped text where only a
    blank line or an indented line does.
    """
    out = []
    pos = 0
    brk = r"\n(?:[ \t]*\n)+|\n(?=[ \t]{2,}\S)" if _hard_wrapped(text) else r"\n"
    for m in re.finditer(brk, text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _role(text: str, i: int, j: int, lo: int, hi: int) -> str:
    """'open', 'close' or 'either' for the mark ``text[i:j]`` from its context."""
    mark = text[i:j]
    p = text[i - 1] if i > lo else " "
    n = text[j] if j < hi else " "
    opener = p.isspace() or p in "([{—–-/:;‘'"
    closer = n.isspace() or n in ".,;:!?)]}—–-…'’"
    if mark in OPENERS or mark in ("‘‘", "``"):
        return "close" if closer and not opener and n != " " else "open"
    if mark in CLOSERS or mark == "’’":
        # a closing mark used to open ("”This is ...") at a paragraph start
        return "open" if opener and not closer and i == lo else "close"
    if opener and not closer:
        return "open"
    if closer and not opener:
        return "close"
    return "either"


def find_quoted_spans(text: str) -> list[_QSpan]:
    """Pair double quotation marks paragraph by paragraph.

    Returns spans sorted by start.  Unbalanced marks never produce a span
    running past its paragraph; an unclosed mark produces a span only at a
    paragraph start (multi-paragraph convention) and for paragraphs of at
    most :data:`MAX_UNCLOSED` characters.
    """
    paras = _paragraphs(text)
    spans: list[_QSpan] = []
    chain_id = 0
    prev_unclosed: _QSpan | None = None
    for pi, (lo, hi) in enumerate(paras):
        first = lo + (len(text[lo:hi]) - len(text[lo:hi].lstrip()))
        open_at = -1
        para_spans: list[_QSpan] = []
        for m in _MARKS.finditer(text, lo, hi):
            i = m.start()
            role = _role(text, i, m.end(), lo, hi)
            if role == "either":
                role = "close" if open_at >= 0 else "open"
            if role == "open":
                if open_at >= 0 and m.group() in (STRAIGHT, "''"):
                    role = "close"
                else:
                    open_at = i
                    continue
            if role == "close" and open_at >= 0:
                para_spans.append(_QSpan(open_at, m.end(), True, pi))
                open_at = -1
        starts_with_mark = bool(text[first:first + 1]) and (
            text[first] in OPENERS or text[first] == STRAIGHT)
        if prev_unclosed is not None:
            if starts_with_mark:
                if prev_unclosed.chain < 0:
                    prev_unclosed.chain = chain_id
                    chain_id += 1
                if para_spans and para_spans[0].start == first:
                    para_spans[0].chain = prev_unclosed.chain
            elif prev_unclosed.chain < 0:
                # not continued: keep it only when it filled its paragraph
                # and is short
                lo_prev = paras[prev_unclosed.para][0]
                filled = not text[lo_prev:prev_unclosed.start].strip()
                if not filled or (prev_unclosed.end - prev_unclosed.start) > MAX_UNCLOSED:
                    spans.remove(prev_unclosed)
            prev_unclosed = None
        if open_at >= 0:
            end = hi
            while end > open_at and text[end - 1].isspace():
                end -= 1
            q = _QSpan(open_at, end, False, pi)
            if spans and spans[-1].chain >= 0 and spans[-1].para == pi - 1:
                q.chain = spans[-1].chain
            para_spans.append(q)
            prev_unclosed = q
        spans.extend(para_spans)
    if prev_unclosed is not None and prev_unclosed.chain < 0:
        lo_prev = paras[prev_unclosed.para][0]
        filled = not text[lo_prev:prev_unclosed.start].strip()
        if not filled or (prev_unclosed.end - prev_unclosed.start) > MAX_UNCLOSED:
            spans.remove(prev_unclosed)
    spans = [s for s in spans if s.end - s.start <= MAX_DIRECT]
    spans.sort(key=lambda s: s.start)
    return spans


def _classify(text: str, spans: list[_QSpan], paras: list[tuple[int, int]]) -> None:
    """Mark each span ``direct`` (a standalone quote) or not (fragment)."""
    for s in spans:
        inner = text[s.start : s.end].strip("\"“”„‟«»’‘'`")
        s.words = len(inner.split())
        lo = paras[s.para][0]
        before = text[lo : s.start].rstrip()
        prev = before[-1:] if before else ""
        at_start = not before or prev in ".?!:;—–…(" or (
            prev == "," and s.words >= 4) or before.endswith("--")
        ends_punct = inner.rstrip()[-1:] in {",", ".", "?", "!", "…", "—", "-"}
        if s.chain >= 0 or not s.closed:
            s.direct = s.words >= 2
        elif s.words >= 3 and at_start:
            s.direct = True
        elif s.words >= 8 and ends_punct:
            s.direct = True
        else:
            s.direct = False


# --------------------------------------------------------------------------
# parse helpers


class _Index:
    """Character/token lookups over one Doc, built once (linear)."""

    def __init__(self, doc: Any):
        self.doc = doc
        self.starts = [t.idx for t in doc]
        self.text = doc.text

    def tok_at_or_after(self, char: int) -> int:
        return bisect_left(self.starts, char)

    def tok_before(self, char: int) -> int:
        """Index of the last token starting before ``char``."""
        return bisect_right(self.starts, char - 1) - 1


def _span_chars(doc: Any, a: int, b: int) -> tuple[int, int]:
    """Char span of tokens a..b inclusive."""
    return doc[a].idx, doc[b].idx + len(doc[b].text)


def _trim(doc: Any, a: int, b: int) -> tuple[int, int]:
    """Drop punctuation/space tokens at both ends of token range a..b."""
    while a <= b and (doc[a].is_punct and doc[a].text not in "“\"" or doc[a].is_space):
        a += 1
    while b >= a and (doc[b].is_punct and doc[b].text not in "”\"" or doc[b].is_space):
        b -= 1
    return a, b


def _balance_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend an indirect span to include an unmatched closing quote mark."""
    inner = text[start:end]
    n = sum(inner.count(c) for c in '"“”')
    opens = sum(inner.count(c) for c in "“")
    closes = sum(inner.count(c) for c in "”")
    if n % 2 == 1 or opens > closes:
        m = re.match(r'[,.!?]?["”]', text[end : end + 2])
        if m:
            end += m.end()
    return start, end


# --------------------------------------------------------------------------
# main extraction


def extract_quotes(text: str, nlp: Any = None, article_id: str = "") -> list[Quote]:
    """Extract attributed quotes from raw ``text``.

    Parses ``text`` once (long texts in chunks, see :func:`assistant.nlp.parse`)
    and calls :func:`extract_quotes_doc`.  Returned offsets index ``text`` as
    given; ``quote.text == text[quote.start:quote.end]``.  Never raises on odd
    input (unbalanced marks, control characters, non-English text): it may
    return an empty list.
    """
    if not text or not text.strip():
        return []
    doc = parse(text, nlp or load_nlp())
    return extract_quotes_doc(doc, article_id=article_id, text=text)


def extract_quotes_doc(doc: Any, article_id: str = "", text: str | None = None) -> list[Quote]:
    """Extract attributed quotes from an already parsed spaCy ``Doc``.

    Offsets are character offsets into ``doc.text``.  ``text``, when given, is
    the original the Doc was parsed from (``doc.text`` is its
    :func:`assistant.nlp.clean_for_parse` form, of the same length): quote
    texts, cues and mentions are read from it, so they stand verbatim in the
    article.  Raises ``ValueError`` when its length differs.  Needs the parser and
    NER (``en_core_web_sm``; best with :func:`assistant.nlp.load_nlp`, whose
    ``paragraph_breaks`` component keeps paragraphs apart in the parse).
    Returns quotes sorted by ``start``, each with ``kind``
    ``direct``/``indirect``/``mixed``, the cue and the speaker mention as
    written, and the speaker resolved within this article.  Raises
    ``ValueError`` when the Doc has no dependency parse.  Runs in time linear
    in the Doc length (about 3% of the parse time).
    """
    if len(doc) and not doc.has_annotation("DEP"):
        raise ValueError("extract_quotes_doc needs a parsed Doc (pipeline with a parser)")
    if text is not None and len(text) != len(doc.text):
        raise ValueError(f"extract_quotes_doc: text has {len(text)} characters, the Doc {len(doc.text)}")
    return _Extractor(doc, article_id, text).run()


class _Extractor:
    def __init__(self, doc: Any, article_id: str, text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.article_id = article_id
        self.ix = _Index(doc)
        self.paras = _paragraphs(self.text)
        self.para_starts = [a for a, _ in self.paras]
        # paragraphs ending like prose (not headlines, captions, link lists)
        self.para_ok = [bool(re.search(r"[.?!:\"”’')…]\s*$", self.text[a:b]))
                        for a, b in self.paras]
        # photo captions: the people in them are pictured, not the story's speakers
        self.para_caption = [bool(_CAPTION.search(self.text[a:b])) for a, b in self.paras]

    # ---- small helpers
    def para_of_char(self, c: int) -> int:
        return max(0, bisect_right(self.para_starts, c) - 1)

    def in_direct(self, tok_i: int) -> bool:
        return self.tok_direct[tok_i] >= 0

    def run(self) -> list[Quote]:
        doc, text = self.doc, self.text
        if len(doc) == 0:
            return []
        spans = find_quoted_spans(text)
        _classify(text, spans, self.paras)
        for s in spans:
            if not s.direct and s.closed and self._named_fragment(s):
                s.direct = True
        self.direct_spans = [s for s in spans if s.direct]
        self.fragments = [s for s in spans if not s.direct]
        # token -> index of direct span containing it (-1)
        n = len(doc)
        self.tok_direct = [-1] * n
        self.tok_fragment = [False] * n
        for k, s in enumerate(self.direct_spans):
            a = self.ix.tok_at_or_after(s.start)
            b = self.ix.tok_at_or_after(s.end)
            for i in range(a, min(b, n)):
                self.tok_direct[i] = k
        for s in self.fragments:
            a = self.ix.tok_at_or_after(s.start)
            b = self.ix.tok_at_or_after(s.end)
            for i in range(a, min(b, n)):
                self.tok_fragment[i] = True
        self._sentence_bounds()
        self._build_people()
        cues = self._find_cues()
        quotes: list[tuple[Quote, int]] = []  # (quote, subject token or -1)
        used_verbs: set[int] = set()
        direct_quotes = self._attach_direct(cues, used_verbs)
        indirect = self._indirect(cues, used_verbs)
        quotes = direct_quotes + indirect + self._headline()
        quotes.sort(key=lambda t: t[0].start)
        quotes = self._dedupe(quotes)
        self._resolve_all(quotes)
        out = [q for q, _ in quotes] + self._embedded_posts()
        out.sort(key=lambda q: q.start)
        for q in out:
            q.article_id = self.article_id
        return out

    def _embedded_posts(self) -> list[Quote]:
        """Embedded social posts: a paragraph ending '... pic.twitter.com/x —
        BC Hydro (@bchydro) December 22, 2018' is a direct quote of its author."""
        out: list[Quote] = []
        for lo, hi in self.paras:
            para = self.text[lo:hi]
            m = _EMBED_SIG.search(para)
            if m is None:
                continue
            body_end = lo + m.start()
            link = _EMBED_LINK.search(self.text, lo, body_end)
            if link is not None:
                body_end = link.start()
            body = self.text[lo:body_end]
            body = re.sub(r"(?:\s*#\w*)+\s*$", "", body).rstrip()
            start = lo + len(self.text[lo:body_end]) - len(self.text[lo:body_end].lstrip())
            end = lo + len(body)
            if len(self.text[start:end].split()) < 3:
                continue
            ns, ne = lo + m.start(1), lo + m.end(1)
            name = self.text[ns:ne]
            a, b = self.ix.tok_at_or_after(ns), self.ix.tok_before(ne)
            labels = {t.ent_type_ for t in self.doc[a : b + 1]} if 0 <= a <= b else set()
            if "ORG" in labels or any(w.lower() in ORG_NOUNS for w in name.split()):
                kind = "organization"
            elif "PERSON" in labels or 2 <= len(name.split()) <= 3:
                kind = "person"
            else:
                kind = "unknown"
            q = Quote(text=self.text[start:end], start=start, end=end, kind="direct",
                      mention=name, mention_start=ns, mention_end=ne, speaker=name,
                      speaker_type=kind)  # type: ignore[arg-type]
            p = self.people.get(name)
            if p is not None and p.titles:
                q.speaker_title = p.titles[0]
            out.append(q)
        return out

    def _named_fragment(self, s: _QSpan) -> bool:
        """A quoted phrase that a verb attributes as words used by someone.

        '... called the plan "a disaster"', 'described it as "chaos"',
        'protesters chanted "Trudeau must go!"', 'he said "nobody knows"'.
        Scare quotes elsewhere stay fragments.
        """
        doc = self.doc
        i = self.ix.tok_before(s.start)
        steps = 0
        while i >= 0 and steps < 4 and (doc[i].is_punct and doc[i].text in ",:" or
                                        doc[i].is_space):
            i -= 1
            steps += 1
        if i < 0:
            return False
        w = doc[i]
        lem = w.lemma_.lower()
        def active(v: Any) -> bool:
            # a subject of its own, or inherited ("..., calling it", "and called")
            return any(c.dep_ == "nsubj" for c in v.children) or (
                v.dep_ in ("advcl", "xcomp", "conj") and v.tag_ in ("VBG", "VBD", "VBZ"))

        if lem in _NAMING_VERBS or lem in _UTTER_VERBS:
            return (w.pos_ in ("VERB", "AUX") or w.tag_.startswith("VB")) and (
                lem in _UTTER_VERBS or active(w))
        if s.words >= 2 and w.pos_ in ("NOUN", "PROPN") and w.dep_ == "dobj" and \
                w.head.lemma_.lower() in _NAMING_VERBS and w.head.i < w.i and any(
                    c.dep_ == "nsubj" for c in w.head.children):
            return True  # 'called the story "false"'
        if w.lower_ in ("as", "it", "him", "her", "them", "this", "that", "himself",
                        "herself", "themselves"):
            h = w.head
            if h.lemma_.lower() not in _NAMING_VERBS and w.lower_ == "as":
                h = h.head  # 'described the delay as "..."'
            return h.lemma_.lower() in _NAMING_VERBS and h.i < w.i and active(h)
        return False

    # ---- sentences: spaCy sentences, also cut after . ? ! before a capital
    def _sentence_bounds(self) -> None:
        doc = self.doc
        n = len(doc)
        start = [False] * n
        strong = [False] * n
        for s in doc.sents:
            start[s.start] = True
        for i in range(1, n):
            prev = doc[i - 1]
            if prev.text in {".", "?", "!"} and doc[i].text[:1].isupper() and (
                    prev.whitespace_ or i >= 2 and doc[i - 2].text in '"”'):
                start[i] = strong[i] = True
        for i in range(2, n):
            # "Police Lt. Tom Wilkison said": no sentence ends after a title abbreviation
            if start[i] and doc[i - 1].text == "." and not doc[i - 2].whitespace_ and \
                    doc[i - 2].text.lower().rstrip(".") in _TITLE_ABBREVIATIONS:
                start[i] = strong[i] = False
        for lo, _hi in self.paras:
            i = self.ix.tok_at_or_after(lo)
            while i < n and doc[i].is_space:
                i += 1
            if i < n:
                start[i] = strong[i] = True
                if i > 0 and doc[i - 1].is_space:
                    start[i - 1] = strong[i - 1] = True
        self.sent_start_of = [0] * n
        cur = 0
        for i in range(n):
            if start[i]:
                cur = i
            self.sent_start_of[i] = cur
        self.sent_end_of = [n - 1] * n
        self.strong_end_of = [n - 1] * n
        cur = cur_s = n - 1
        for i in range(n - 1, -1, -1):
            self.sent_end_of[i] = cur
            self.strong_end_of[i] = cur_s
            if start[i] and i > 0:
                cur = i - 1
            if strong[i] and i > 0:
                cur_s = i - 1

    # ---- people in the article
    def _build_people(self) -> None:
        """Cluster PERSON/ORG entities by name and alias; record positions."""
        doc = self.doc
        self.people: dict[str, _Person] = {}
        self.alias_map: dict[str, list[str]] = {}
        # (token index, canonical name, is_subject) for persons outside quotes
        self.person_events: list[tuple[int, str, float]] = []
        self.org_events: list[tuple[int, str]] = []
        self.gpe_events: list[tuple[int, str]] = []
        self.tok_person: dict[int, str] = {}
        self.tok_as_person: set[int] = set()
        self.generic_org = ""
        self.tok_as_org: set[int] = set()
        self._seen_people: set[str] = set()
        self.generic_events: list[tuple[int, str | None, str, str]] = []
        self.relcl_subjects: set[int] = set()  # positions of "X, who ..." antecedents
        self._token_text_counts = Counter(t.text for t in doc)
        ents = []
        # starts of entities already taken into the PERSON before them (a surname the
        # NER split off: "Ursula von der" + "Leyen")
        absorbed: set[int] = set()
        for ent in doc.ents:
            if ent.start in absorbed:
                continue
            if ent.label_ == "GPE" and self.tok_direct[ent.start] < 0:
                self.gpe_events.append((ent.start, ent.text))
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
            if label == "PERSON" and b < len(doc) and doc[b - 1].dep_ == "compound" and \
                    doc[b - 1].head.i == b and doc[b].pos_ == "PROPN" and doc[b].text[:1].isupper() \
                    and doc[b - 1].whitespace_ and doc[b].ent_iob_ != "I" and \
                    doc[b].ent_type_ in ("", "ORG", "PERSON", "NORP", "GPE") and \
                    doc[b].lemma_.lower() not in ORG_NOUNS and doc[b].lower_ not in _PLACE_WORDS and \
                    (b + 1 >= len(doc) or doc[b + 1].ent_iob_ != "I"):
                # "violist Richard Yongjae O'Neill" tagged PERSON + ORG: the parse makes
                # the next proper noun the head of the name
                absorbed.add(b)
                b += 1
            if label == "PERSON" and any(doc[i].lower_ in _NOT_IN_NAMES for i in range(a, b)):
                continue  # a book title ("My Name's Not George", "They Call Me George"), no name
            if label != "PERSON" and b - a >= 2:
                # "Wet'suwet'en Hereditary Chief Na'moks" tagged ORG: a capitalised title
                # word followed by one or two proper nouns is a titled person (not
                # "General Motors", "Imam Khomeini International Airport", "Dr Pepper")
                k = max((i for i in range(a, b - 1) if doc[i].lower_ in TITLE_NOUNS
                         and doc[i].lower_ not in _ORG_NAME_TITLES and doc[i].text[:1].isupper()),
                        default=-1)
                if k >= 0 and b - k - 1 <= 2 and all(
                        doc[i].tag_ == "NNP" and doc[i].text[:1].isupper()  # not "General Motors"
                        and doc[i].lemma_.lower() not in ORG_NOUNS and doc[i].lower_ not in TITLE_NOUNS
                        for i in range(k + 1, b)):
                    a, label = k + 1, "PERSON"
                    self.tok_as_person.update(range(a, b))
            if label == "PERSON" and re.fullmatch(r"[A-Z]{2,6}", strip_possessive(ent.text)):
                label = "ORG"  # an acronym ("EHS", "EDC") names an organisation
                self.tok_as_org.update(range(a, b))
            elif strip_possessive(doc[a:b].text).lower() in SEATS_OF_GOVERNMENT:
                label = "ORG"  # "Cheong Wa Dae has no position ...": the office, not a person
                self.tok_as_org.update(range(a, b))
            ents.append((a, b, label))
        full_names: list[str] = []
        first_full: dict[str, int] = {}  # last word of a full name -> first token naming it
        ents = [e for e in ents if not self._is_credit(e[0], e[1])]
        # a "person" that modifies "official"/"spokesman" is an organisation
        # ("a Cheong Wa Dae official"): so is every mention of that name
        org_names = set()
        for h in doc:
            if h.pos_ == "NOUN" and h.lemma_.lower() in GENERIC_PERSON_HEADS and h.i > 0:
                j = h.i - 1
                while j >= 0 and j > h.i - 7 and doc[j].text[:1].isupper() and \
                        doc[j].lower_ not in _DETERMINER_WORDS and not doc[j].is_punct and \
                        self.sent_start_of[j] == self.sent_start_of[h.i] and \
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
                    self.tok_as_org.update(range(a, b))
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
        self.key_canon: dict[str, str] = {}
        for name in sorted(full_names, key=lambda n: "-" not in n):
            self.key_canon.setdefault(name_key(name), name)
        full_names = [self.key_canon[name_key(n)] for n in full_names]
        for name in full_names:
            if name not in self.people:
                self.people[name] = _Person(name)
                for al in aliases(name):
                    self.alias_map.setdefault(al.lower(), [])
                    if name not in self.alias_map[al.lower()]:
                        self.alias_map[al.lower()].append(name)
                    # last word too (Western habit for any name)
                last = name.split()[-1].lower()
                self.alias_map.setdefault(last, [])
                if name not in self.alias_map[last]:
                    self.alias_map[last].append(name)
        # a family name the NER left untagged ("Vickers said he ...") after the full name
        covered = {i for a, b, _label in ents for i in range(a, b)}
        for t in doc:
            if t.i not in covered and t.pos_ in ("PROPN", "NOUN") and t.text[:1].isupper() \
                    and not t.ent_type_ and not t.text.isupper() \
                    and (len(self.alias_map.get(strip_possessive(t.text).lower(), [])) == 1
                         or first_full.get(strip_possessive(t.text).lower(), len(doc)) < t.i) \
                    and not (t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN") \
                    and not (t.i > 0 and doc[t.i - 1].pos_ == "PROPN"):
                ents.append((t.i, t.i + 1, "PERSON"))
                self.tok_as_person.add(t.i)  # also when tagged NOUN ("Woods said")
        ents.sort()
        for a, b, label in ents:
            if label in ("GPE", "NORP") and \
                    strip_possessive(doc[a:b].text).lower() not in self.alias_map:
                continue
            if label in ("ORG", "GPE", "NORP"):
                org_name = strip_possessive(doc[a:b].text)
                if org_name.lower() in self.alias_map and b - a == 1:
                    label = "PERSON"  # NER mislabel: "Vickers" after "Kevin Vickers"
                    for i in range(a, b):
                        self.tok_as_person.add(i)
                elif self.tok_direct[a] < 0:
                    self.org_events.append((a, doc[a:b].text))
                    continue
                else:
                    continue
            name = strip_possessive(doc[a:b].text)
            canon = self.canonical_person(name, a)
            if not canon:
                continue
            person = self.people.setdefault(canon, _Person(canon))
            # title words before the entity (compounds of its root)
            left = doc[a].left_edge.i if doc[a].head.i >= a else a
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
                self.tok_person[i] = canon
            if self.tok_direct[a] < 0 and not self.para_caption[self.para_of_char(doc[a].idx)]:
                subj = any(doc[i].dep_ in ("nsubj", "nsubjpass") for i in range(a, b))
                er = doc[a:b].root
                v = er.head
                if not subj and er.dep_ == "dobj" and 0 < v.i < a and doc[v.i - 1].text in (",", "”", '"') \
                        and v.lemma_.lower() in SPEECH_VERBS and v.lemma_.lower() not in _ADDRESSEE_VERBS \
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
                    self.relcl_subjects.add(a)
                w = 2.0 if subj else 1.0
                if subj and canon not in self._seen_people:
                    w = INTRO_WEIGHT  # a person introduced as a subject
                self._seen_people.add(canon)
                if er.dep_ == "compound" and er.head.pos_ == "NOUN" and \
                        not _human_head(er.head):
                    w *= COMPOUND_NAME_FACTOR  # "the Moon administration"
                elif er.dep_ == "pobj" and er.head.head.dep_ == "pobj":
                    w *= NESTED_NAME_FACTOR  # "a deal between Trump and Kim"
                if len(canon.split()) < 2:
                    w *= LONE_NAME_FACTOR  # often an NER slip ("Ont", "Pop-Tart")
                self.person_events.append((a, canon, w))
                # gender vote: first he/she/his/her later in the same sentence
                end = self.sent_end_of[a]
                for i in range(b, min(end + 1, b + 25)):
                    if i in self.tok_person or self.tok_direct[i] >= 0:
                        if i in self.tok_person:
                            break
                        continue
                    g = PRONOUN_GENDER.get(doc[i].lower_)
                    if g:
                        person.votes[g] += 1
                        break
        self.person_events.sort()
        self.event_pos = [e[0] for e in self.person_events]

    def _is_credit(self, a: int, b: int) -> bool:
        """A photo/byline credit: '(Evan Vucci/Associated Press)', 'Name / CBC'."""
        doc = self.doc
        if "/" in doc[a:b].text:
            return True
        if b < len(doc) and doc[b].text == "/":
            return True
        return a > 0 and doc[a - 1].text == "/"

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
            # several people share the name: the latest one named before
            if tok_i >= 0 and hasattr(self, "event_pos"):
                k = bisect_left(self.event_pos, tok_i) - 1
                while k >= 0:
                    if self.person_events[k][1] in cands:
                        return self.person_events[k][1]
                    k -= 1
            return cands[0]
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

    # ---- cues
    def _find_cues(self) -> list[int]:
        out = []
        n = len(self.doc)
        for t in self.doc:
            if self.tok_direct[t.i] >= 0:
                continue
            if t.lower_ == "according" and t.i + 1 < n and self.doc[t.i + 1].lower_ == "to":
                out.append(t.i)
                continue
            if not (t.pos_ == "VERB" or t.tag_.startswith("VB")):
                continue
            lem = t.lemma_.lower()
            if lem in SPEECH_VERBS or lem in OBJECT_CONTENT_VERBS or lem in XCOMP_CONTENT_VERBS:
                out.append(t.i)
            elif lem in _NAMING_VERBS or lem in _UTTER_VERBS or lem in DIRECT_ONLY_VERBS:
                out.append(t.i)
            elif lem == "read" and any(c.dep_ == "nsubj" and c.lemma_.lower() in _DOC_NOUNS
                                       for c in t.children):
                out.append(t.i)  # '"...," the statement read'
            elif lem in _PARTICLE_CUES and any(
                    c.dep_ == "prt" and c.lower_ == _PARTICLE_CUES[lem] for c in t.children):
                out.append(t.i)
        return out

    def _subject(self, v: Any) -> Any:
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass") and self.tok_direct[c.i] < 0:
                if c.dep_ == "nsubjpass" and v.lemma_ != "quote":
                    continue
                return c
        # "..., Kim said, unveiling that ...": the participle's subject is the cue's before it
        doc = self.doc
        if v.tag_ == "VBG" and v.i >= 2 and doc[v.i - 1].text == "," and \
                doc[v.i - 2].lemma_.lower() in SPEECH_VERBS and doc[v.i - 2].i != v.i:
            prev = doc[v.i - 2]
            for c in prev.children:
                if c.dep_ == "nsubj" and self.tok_direct[c.i] < 0:
                    return c
        stranded = self._stranded_subject(v)
        if stranded is not None:
            return stranded
        if v.dep_ == "acl" and (v.tag_ == "VBD" or self._call_for(v) is not None) and v.head.i < v.i and v.head.pos_ in ("NOUN", "PROPN") \
                and (_human_head(v.head) or v.head.ent_type_ == "PERSON") and \
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
                    if c.dep_ in ("nsubj", "nsubjpass") and self.tok_direct[c.i] < 0:
                        return c
            else:
                break
        return None

    def _stranded_subject(self, v: Any) -> Any:
        """The noun phrase ending right before a finite cue the parser left subjectless.

        "The remarks came a day after Keith Krach, undersecretary of state, said
        that ...": the parser hangs "Krach" under "after" and gives "said" no
        subject; the name whose phrase (appositive included) ends at the cue is it.
        """
        doc = self.doc
        if v.tag_ not in ("VBD", "VBZ", "VBP") or v.i < 1:
            return None
        p = doc[v.i - 1]
        if p.text == ",":
            p = p.head
        if p.i >= v.i or p.head.i == v.i or self.tok_direct[p.i] >= 0:
            return None
        if p.dep_ == "appos":
            p = p.head
        if p.right_edge.i < v.i - 2 or p.dep_ not in ("pobj", "conj", "appos", "npadvmod"):
            return None
        if p.ent_type_ in ("PERSON", "ORG") and p.pos_ == "PROPN":
            return p
        return None

    def _cue_text(self, v: Any) -> tuple[str, int, int]:
        doc = self.doc
        a = b = v.i
        if v.lower_ == "according":
            b = v.i + 1
        elif v.lemma_ == "quote" and v.i + 2 < len(doc) and doc[v.i + 1].lower_ == "as":
            b = v.i + 2
        else:
            for c in v.children:
                if c.dep_ == "prt" and c.i == v.i + 1:
                    b = c.i
        s, e = _span_chars(doc, a, b)
        return self.text[s:e], s, e

    # ---- direct quotes
    def _attach_direct(self, cues: list[int], used: set[int]) -> list[tuple[Quote, int]]:
        doc, text = self.doc, self.text
        cue_set = list(cues)
        cue_pos = [doc[c].idx for c in cue_set]
        out: list[tuple[Quote, int]] = []
        spans = self.direct_spans
        for k, s in enumerate(spans):
            para_lo, para_hi = self.paras[s.para]
            nxt = spans[k + 1].start if k + 1 < len(spans) else len(text)
            prv = spans[k - 1].end if k > 0 else 0
            inner_end = text[s.start:s.end].rstrip("\"”»’'").rstrip()[-1:]
            found = None
            # after: cue in the rest of the sentence following the mark
            after_limit = min(para_hi, nxt)
            j = bisect_left(cue_pos, s.end)
            cand_after = None
            while j < len(cue_set) and cue_pos[j] < after_limit:
                v = doc[cue_set[j]]
                first_after = self.ix.tok_at_or_after(s.end)
                if first_after < len(doc) and self.sent_start_of[v.i] > first_after and \
                        doc[self.sent_start_of[v.i]].idx > s.end + 1:
                    break
                # a quote closed by a full stop: only '"..." Kim said.' follows
                if v.i - first_after <= (4 if inner_end in {".", "…"} else 40):
                    cand_after = v
                break
            # before: cue earlier in the same sentence / paragraph
            cand_before = None
            j = bisect_left(cue_pos, s.start) - 1
            first_in = self.ix.tok_at_or_after(s.start)
            if j >= 0 and cue_pos[j] >= max(para_lo, prv):
                v = doc[cue_set[j]]
                gap = text[v.idx + len(v.text) : s.start]
                sent_ok = first_in < len(doc) and self.sent_start_of[v.i] == \
                    self.sent_start_of[max(0, first_in - 1)]
                ended = re.search(r"[.?!][\"”’']?\s", gap + " ") is not None
                if not ended and (gap.rstrip().endswith((":", ",")) or (
                        sent_ok and len(gap) < 60)):
                    cand_before = v
            if inner_end in {",", "?", "!", "—", "-"} and cand_after is not None:
                found = cand_after
            elif cand_before is not None:
                found = cand_before
            else:
                found = cand_after
            if found is not None and found is cand_before and found.i in used:
                # '"A," X said. "B."': B goes on with the quote before
                found = None
                if s.chain < 0:
                    s.chain = -2 - k  # not demoted
            if found is not None:
                used.add(found.i)
            before = text[para_lo:s.start].rstrip()
            if found is None and s.chain == -1 and before and before[-1] not in ".?!:;—…\"”":
                # no cue and inside a sentence: a fragment, not a quote
                self._demote(s)
                continue
            if _is_title(text[s.start:s.end]):
                # "“The Kid Who Would Be King”": a title, not words spoken
                self._demote(s)
                continue
            q = Quote(text=text[s.start:s.end], start=s.start, end=s.end, kind="direct")
            subj = -1
            if found is not None:
                q.cue, q.cue_start, q.cue_end = self._cue_text(found)
                if found.lower_ == "according":
                    src = self._according_source(found)
                    if src is None:
                        out.append((q, -1))
                        continue
                    q.__dict__["_mrange"] = src
                    out.append((q, src[1]))
                    q.__dict__["_chain"] = s.chain
                    continue
                sj = self._subject(found)
                if sj is None:
                    sj = self._loose_subject(found, s)
                subj = sj.i if sj is not None else -1
                if sj is not None and sj.lower_ in ("i", "we", "you"):
                    continue  # the writer's own words
            out.append((q, subj))
            s_q = out[-1]
            s_q[0].__dict__["_chain"] = s.chain
            s_q[0].__dict__["_para"] = s.para
        return out

    def _loose_subject(self, v: Any, s: _QSpan) -> Any:
        """Speaker of a cue whose parse has no subject (mis-tagged names).

        ``"...," DeBoer said`` -> the words between the quote and the cue;
        ``"...," says the founder`` -> the noun phrase after the cue.
        """
        doc = self.doc
        first_after = self.ix.tok_at_or_after(s.end)
        if v.i > first_after and v.idx >= s.end:
            between = [doc[i] for i in range(first_after, v.i)]
            if between and len(between) <= 6 and not any(
                    t.is_punct or t.is_space for t in between):
                if between[-1].pos_ in ("NOUN", "PROPN", "PRON") or between[-1].ent_type_:
                    return between[-1]
                if all(t.pos_ == "CCONJ" for t in between):
                    # 'Nienaber said "...," and added': the earlier cue's subject
                    qs = self.ix.tok_at_or_after(s.start)
                    for i in range(qs - 1, max(self.sent_start_of[qs] - 1, qs - 6), -1):
                        u = doc[i]
                        if u.lemma_.lower() in SPEECH_VERBS:
                            return next((c for c in u.children if c.dep_ == "nsubj"), None)
                return None  # no one named between
            k = 0
            while k < len(between) and between[k].is_punct:
                k += 1
            if 0 < len(between) <= 16 and k < len(between) and between[k].ent_type_ == "PERSON":
                # '"...," Pierre Gignac, EDC's then-chief risk officer, mentioned'
                t = between[k]
                while t.i + 1 < v.i and doc[t.i + 1].ent_iob_ == "I" and doc[t.i + 1].ent_type_ == "PERSON":
                    t = doc[t.i + 1]
                return t
        n = len(doc)
        for i in range(v.i + 1, min(n, v.i + 8)):
            t = doc[i]
            if t.is_punct or t.is_space or t.pos_ == "ADP":
                break  # "mentioned in a 2013 commentary": not the speaker
            if t.pos_ in ("NOUN", "PROPN", "PRON") or t.ent_type_ in ("PERSON", "ORG"):
                while t.head.i > t.i and t.head.i < v.i + 10 and \
                        t.head.pos_ in ("NOUN", "PROPN") and t.dep_ in ("compound", "amod", "nmod"):
                    t = t.head
                return t
        return None

    def _demote(self, s: _QSpan) -> None:
        """Turn a direct span into a fragment (tokens become usable content)."""
        a = self.ix.tok_at_or_after(s.start)
        b = self.ix.tok_at_or_after(s.end)
        for i in range(a, min(b, len(self.doc))):
            self.tok_direct[i] = -1
            self.tok_fragment[i] = True
        s.direct = False

    # ---- indirect quotes
    def _content_clause(self, v: Any) -> tuple[int, int] | None:
        lem = v.lemma_.lower()
        ccomps = [c for c in v.children if c.dep_ == "ccomp" and self.tok_direct[c.i] < 0]
        if ccomps and lem not in _ADDRESSEE_VERBS and all(c.i < v.i for c in ccomps) and any(
                x.dep_ in ("dobj", "xcomp") and x.i > v.i and x.pos_ in ("NOUN", "VERB")
                and not self._speakerlike(x) for x in v.children):
            # "... announced a policy: Trudeau promised a rise in spending":
            # the cue's own object follows; what precedes is narration
            ccomps = []
        if ccomps:
            c = ccomps[-1] if any(x.i > v.i for x in ccomps) else ccomps[0]
            right = [x for x in ccomps if x.i > v.i]
            if right:
                c = right[0]
            a = max(c.left_edge.i, self.sent_start_of[v.i])
            b = c.right_edge.i
            if c.i > v.i:
                # "said X because Y": adverbial clauses after the content
                for x in v.rights:
                    if x.i > b and x.dep_ == "advcl" and any(
                            m.dep_ == "mark" and m.lower_ in _CONTENT_MARKS for m in x.children):
                        b = max(b, x.right_edge.i)
                    elif x.i > b and x.dep_ == "conj" and x.pos_ in ("VERB", "AUX") and \
                            x.lemma_.lower() not in SPEECH_VERBS and not any(
                                y.dep_ in ("nsubj", "nsubjpass") for y in x.children):
                        # "says he drank too much, used drugs and ..." (conj
                        # attached to the cue by the parser)
                        b = max(b, x.right_edge.i)
            b = min(b, self.strong_end_of[v.i])
            # "..., saying ...": a participle cue starts a quote of its own
            for i in range(c.i + 1, b + 1):
                t = self.doc[i]
                if t.tag_ == "VBG" and t.lemma_.lower() in SPEECH_VERBS and \
                        self.doc[i - 1].text in {",", "—", "–"} and t.i > v.i:
                    b = i - 2
                    break
            if c.i < v.i:
                # content before the cue: stop before the cue clause
                subj = self._subject(v)
                lim = min(v.i, subj.left_edge.i if subj is not None else v.i) - 1
                b = min(b, lim)
                a = max(a, self.sent_start_of[v.i])
            return a, b
        if lem in WEAK_VERBS:
            return None
        # trailing cue: "Content ..., Kim said" with cue as parataxis/ccomp
        subj = self._subject(v)
        if v.dep_ in ("parataxis", "ccomp", "advcl") and v.head.i < v.i and subj is not None \
                and subj.i < v.i and subj.i > v.head.i and subj.left_edge.i > 0 \
                and self.doc[subj.left_edge.i - 1].text in {",", "—", "–"}:
            a = max(self.sent_start_of[v.i], v.head.left_edge.i)
            b = subj.left_edge.i - 1
            if a < b:
                return a, b
        if lem in XCOMP_CONTENT_VERBS or lem == "urge" or (
                lem == "ask" and not any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)):
            # "vowed to ...", "urged the government to ...", "asked the envoys to explore ..."
            xs = [c for c in v.children if c.dep_ == "xcomp" and c.i > v.i]
            subj = self._subject(v)
            if xs and subj is not None and self._speakerlike(subj):
                objs = [c for c in v.children if c.dep_ == "dobj" and c.i > v.i]
                a = objs[0].left_edge.i if objs and lem in ("urge", "call") else xs[0].left_edge.i
                return a, xs[0].right_edge.i
        pf = self._call_for(v)
        if pf is not None:
            # "called for stepped-up efforts to ...": the demand is the content
            subj = self._subject(v)
            if subj is not None and self._speakerlike(subj):
                obj = next(c for c in pf.children if c.dep_ == "pobj")
                return obj.left_edge.i, min(pf.right_edge.i, self.sent_end_of[v.i])
        if lem in OBJECT_CONTENT_VERBS:
            objs = [c for c in v.children if c.dep_ == "dobj" and c.i > v.i]
            if objs and objs[0].pos_ != "PRON":
                subj = self._subject(v)
                if subj is None or not self._speakerlike(subj):
                    return None
                a = objs[0].left_edge.i
                b = a
                for c in v.children:
                    if c.i > v.i and c.dep_ not in ("conj", "cc", "punct", "parataxis"):
                        b = max(b, c.right_edge.i)
                return a, min(b, self.sent_end_of[v.i])
        return None

    def _call_for(self, v: Any) -> Any:
        """The "for" of "called for <demand>" (a speech act, unlike "called it X"), or None."""
        if v.lemma_.lower() != "call":
            return None
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ == "for" and c.i == v.i + 1 and \
                    any(x.dep_ == "pobj" for x in c.children):
                return c
        return None

    def _speakerlike(self, t: Any) -> bool:
        """Could token ``t`` head a speaker mention (person, pronoun, organisation)?"""
        if t.lower_ in ("he", "she", "they", "who"):
            return True
        if t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            return True
        lem = t.lemma_.lower()
        return (t.pos_ == "PROPN" or lem in ORG_NOUNS or lem in TITLE_NOUNS
                or lem in HUMAN_NOUNS or t.lower_ in HUMAN_NOUNS
                or t.lower_ in _REL_PRONOUNS)

    def _according_source(self, v: Any) -> tuple[int, int] | None:
        """Token range of X in 'according to X' (up to punctuation or a verb)."""
        doc = self.doc
        i = v.i + 2
        a = i
        end = self.sent_end_of[v.i]
        while i <= end and (not doc[i].is_punct or doc[i].dep_ == "case") and \
                doc[i].pos_ not in ("VERB", "AUX") and \
                not doc[i].is_space and (doc[i].pos_ != "ADP" or doc[i].lower_ == "of"):
            i += 1
        b = i - 1
        return (a, b) if b >= a else None

    def _according(self, v: Any) -> tuple[tuple[int, int], int, tuple[int, int]] | None:
        """'according to X' -> (content range, subject head token, mention range)."""
        doc = self.doc
        n = len(doc)
        src = self._according_source(v)
        if src is None:
            return None
        a, b = src
        head = b
        ss = self.sent_start_of[v.i]
        se = self.sent_end_of[v.i]
        prev = doc[v.i - 1] if v.i > 0 else None
        mid = b + 2 <= se and doc[b + 1].text == "," and not doc[b + 2].is_punct
        if prev is not None and prev.text == "," and v.i - 1 > ss and mid and \
                doc[b + 2].pos_ in ("VERB", "AUX", "CCONJ", "SCONJ", "ADV"):
            # "Wilson-Raybould, according to the report, rebuffed ...":
            # the statement goes on after the parenthetical source
            ca, cb = b + 2, se
            if doc[ca].pos_ == "CCONJ":
                ca += 1
        elif prev is not None and prev.text == "," and v.i - 1 > ss:
            ca, cb = ss, v.i - 2
        elif v.i == ss or (prev is not None and prev.is_space):
            # "According to X, content."
            j = b + 1
            if j < n and doc[j].text == ",":
                j += 1
            ca, cb = j, se
        elif prev is not None and prev.text != ",":
            return None
        else:
            return None
        ca, cb = _trim(doc, ca, cb)
        if cb - ca < 2:
            return None
        return (ca, cb), head, (a, b)

    def _indirect(self, cues: list[int], used: set[int]) -> list[tuple[Quote, int]]:
        doc = self.doc
        out: list[tuple[Quote, int]] = []
        for ci in cues:
            v = doc[ci]
            if ci in used and v.lower_ == "according":
                continue
            if v.lemma_.lower() in DIRECT_ONLY_VERBS:
                continue  # "concluded that ..." reports a thought; '"...," he concluded' a quote
            if v.lemma_.lower() in _NAMING_VERBS and v.lemma_.lower() not in SPEECH_VERBS \
                    and not self._call_for(v):
                continue  # naming verbs only attribute quoted words
            if v.lower_ == "according":
                r = self._according(v)
                if r is None:
                    continue
                (a, b), subj_i, mrange = r
                self._emit(v, a, b, subj_i, mrange, out)
                continue
            subj = self._subject(v)
            if subj is None:
                continue
            if v.lemma_.lower() not in SPEECH_VERBS and not self._speakerlike(subj):
                continue
            if subj.pos_ not in ("NOUN", "PROPN", "PRON") and not subj.ent_type_:
                continue
            if subj.lower_ in _SKIP_SUBJECTS:
                continue
            if not self.para_ok[self.para_of_char(v.idx)] and not re.match(
                    r"[^.?!]*[.?!]\s", self.text[v.idx : self.paras[self.para_of_char(v.idx)][1]]):
                continue  # a headline or link, unless the cue's sentence ends
            rngs = self._middle_cue(v, subj)
            if not rngs:
                rng = self._content_clause(v)
                rngs = [rng] if rng is not None else []
            for rng in rngs:
                a, b = _trim(doc, *rng)
                self._emit(v, a, b, subj.i, None, out)
        return out

    def _middle_cue(self, v: Any, subj: Any) -> list[tuple[int, int]]:
        """'Too often, he says, they get it' -> the two pieces around the cue."""
        doc = self.doc
        lo = min(subj.left_edge.i, v.i)
        hi = v.i
        for c in v.rights:
            if c.dep_ in ("npadvmod", "advmod", "prep", "dobj") and c.right_edge.i < v.i + 6:
                hi = max(hi, c.right_edge.i)
        ss, se = self.sent_start_of[v.i], self.sent_end_of[v.i]
        if not (lo - 1 > ss and hi + 1 < se and doc[lo - 1].text == "," and
                doc[hi + 1].text == ","):
            return []
        if any(c.dep_ == "ccomp" and c.i > v.i for c in v.children):
            return []
        first = (ss, lo - 2)
        second = (hi + 2, se)
        nxt = doc[hi + 2] if hi + 2 < len(doc) else None
        if nxt is not None and nxt.tag_ == "VBG" and nxt.dep_ in ("advcl", "xcomp", "conj"):
            # "..., Kim said, unveiling that ...": a participle clause of the
            # cue, not the rest of the statement
            second = (se + 1, se)
        return [r for r in (first, second) if r[1] - r[0] >= 0]

    def _emit(self, v: Any, a: int, b: int, subj_i: int,
              mrange: tuple[int, int] | None, out: list[tuple[Quote, int]]) -> None:
        """Append the indirect quote over tokens a..b unless it is not one."""
        doc, text = self.doc, self.text
        if b < a or sum(1 for t in doc[a : b + 1] if not t.is_punct) < 3:
            return
        if (v.lemma_.lower() in _NOT_INDIRECT and not (v.lemma_.lower() == "ask" and doc[a].lower_ == "to")) \
                or doc[a].lower_ in _WH_START:
            return  # questions and figures, not reported statements ("asked them to ..." is a request)
        if doc[a].lower_ == "according" and v.lower_ != "according":
            return  # the source clause itself, not content
        span = doc[a : b + 1]
        if v.i < a and span.root.tag_ == "VBG" and not any(
                t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in span):
            return  # '..., he said, his voice breaking': a description
        if any(self.tok_direct[i] >= 0 for i in (a, b)):
            return
        start, end = _span_chars(doc, a, b)
        m = _DATELINE.match(text, start, end)
        if m:  # "OTTAWA — ...": the dateline is no part of what was said
            start = m.end()
        if v.i > b:
            # content before the cue opens inside a parenthesis: "(and yes,
            # winter beards are a thing, says McMillen."
            k = text.rfind("(", start, end)
            if k >= 0 and ")" not in text[k:end] and end - k > 20:
                start = k + 1
                while start < end and not text[start].isalnum():
                    start += 1
                if text[start:start + 4].lower() == "and ":
                    start += 4
        if end - start > MAX_INDIRECT:
            return
        start, end = _balance_marks(text, start, end)
        if any(self.tok_direct[i] >= 0 for i in range(a, b + 1)):
            return
        kind = "mixed" if any(self.tok_fragment[i] for i in range(a, b + 1)) else "indirect"
        q = Quote(text=text[start:end], start=start, end=end, kind=kind)  # type: ignore[arg-type]
        q.cue, q.cue_start, q.cue_end = self._cue_text(v)
        if mrange is not None:
            q.__dict__["_mrange"] = mrange
        out.append((q, subj_i))

    def _headline(self) -> list[tuple[Quote, int]]:
        """A headline 'Speaker: what they said' (or 'what they said: Speaker').

        Only the first paragraph, when it is short and has no sentence end.
        The speaker part must be one to five capitalised words.
        """
        for lo, hi in self.paras[:2]:
            line = self.text[lo:hi]
            if len(line) > 200 or line.rstrip().endswith((".", "?", "!")) or \
                    line.count(":") != 1:
                continue
            got = self._headline_line(lo, line)
            if got:
                return got
        return []

    def _headline_line(self, lo: int, line: str) -> list[tuple[Quote, int]]:
        name_re = r"(?:[A-Z][\w.'’-]*\s?){1,5}"
        m = re.match(r"\s*(" + name_re + r"):\s+(\S.*\S)\s*$", line)
        speaker_first = m is not None
        if m is None:
            m = re.match(r"\s*(\S.*\S):\s+(" + name_re + r")\s*$", line)
        if m is None:
            return []
        sp_g, ct_g = (1, 2) if speaker_first else (2, 1)
        ms, me = lo + m.start(sp_g), lo + m.end(sp_g)
        mention = self.text[ms:me].rstrip()
        if mention.isupper() or mention.lower() in _NOT_SPEAKERS:
            return []  # "READ MORE: ...", "WATCH: ..."
        me = ms + len(mention)
        cs, ce = lo + m.start(ct_g), lo + m.end(ct_g)
        if len(self.text[cs:ce].split()) < 3:
            return []
        a, b = self.ix.tok_at_or_after(ms), self.ix.tok_before(me)
        if not (0 <= a <= b < len(self.doc)):
            return []
        colon = lo + line.index(":")
        q = Quote(text=self.text[cs:ce], start=cs, end=ce, kind="indirect", cue=":",
                  cue_start=colon, cue_end=colon + 1)
        q.__dict__["_mrange"] = (a, b)
        return [(q, b)]

    def _dedupe(self, quotes: list[tuple[Quote, int]]) -> list[tuple[Quote, int]]:
        out: list[tuple[Quote, int]] = []
        for q, s in quotes:
            dup = False
            for q2, _ in out[-6:]:
                if q2.start <= q.start and q.end <= q2.end and q.kind != "direct":
                    dup = True
                    break
            if not dup:
                out.append((q, s))
        return out

    # ---- speaker resolution
    def _mention_range(self, h: Any) -> tuple[int, int]:
        doc = self.doc
        a = h.i
        for c in h.lefts:
            if c.dep_ in _MENTION_DEPS or c.dep_ in ("nsubj",):
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
        while b > a and doc[b].lower_ in _REL_PRONOUNS:
            b -= 1
        return a, b

    def _recent_generic(self, tok_i: int, name: str | None, gender: str = "") -> tuple | None:
        """The generic speaker ("a Cheong Wa Dae official") named after ``name``.

        Returned when it is within 150 tokens before ``tok_i``, later than
        every mention of the named person ``name``, and (for a pronoun of
        ``gender``) not of the other gender ("a woman in the crowd" is no "he").
        """
        ev = None
        for e in reversed(self.generic_events):
            if e[0] < tok_i:
                ev = e
                break
        if ev is None or tok_i - ev[0] > 150 or not ev[1]:
            return None
        if gender and ev[3]:
            words = ev[3].lower().split()
            g = gender_of(ev[3]) or next((_GENDERED_PERSON_NOUNS[w] for w in reversed(words)
                                          if w in _GENDERED_PERSON_NOUNS), "")
            if g and g != gender:
                return None
        if name:
            k = bisect_left(self.event_pos, tok_i) - 1
            while k >= 0:
                if self.person_events[k][1] == name and self.person_events[k][2] >= 1.0:
                    if self.person_events[k][0] > ev[0]:
                        return None
                    break
                k -= 1
        return ev

    def _nearest_person(self, tok_i: int, gender: str, max_back: int = 600) -> str | None:
        """Most salient gender-compatible person before token ``tok_i``.

        Salience sums, over the person's earlier mentions outside quotes,
        a weight (1 mention, 2 subject, 3 quoted speaker) decaying
        exponentially with the distance in tokens (scale :data:`SALIENCE_DECAY`).
        An addressee named earlier in the same sentence does not count.
        """
        k = bisect_left(self.event_pos, tok_i) - 1
        scores: dict[str, float] = {}
        s0 = self.sent_start_of[tok_i] if tok_i < len(self.doc) else len(self.doc)
        while k >= 0:
            pos, name, weight = self.person_events[k]
            dist = tok_i - pos
            if dist > max_back:
                break
            if pos >= s0 and self._addressee(pos):
                k -= 1
                continue
            g = self.people[name].gender_guess() if name in self.people else ""
            if not gender or not g or g == gender:
                sc = weight * math.exp(-dist / SALIENCE_DECAY)
                if gender and g == gender:
                    sc *= GENDER_BONUS
                if SALIENCE_SUM:
                    scores[name] = scores.get(name, 0.0) + sc
                else:
                    scores[name] = max(scores.get(name, 0.0), sc)
            k -= 1
        if not scores:
            return None
        return max(scores.items(), key=lambda kv: kv[1])[0]

    def _named_earlier_in_sentence(self, tok_i: int) -> set[str]:
        """The people named (outside quotes) in ``tok_i``'s sentence before it.

        Addressees are left out: in "Asked what he would tell Mayor John Tory ..., he
        said", Tory is who is spoken to, not who speaks. So are names inside a noun's
        prepositional modifier ("companies such as Yukos"; :meth:`_in_noun_modifier_pp`).
        """
        return {self.tok_person[i] for i in range(self.sent_start_of[tok_i], tok_i)
                if i in self.tok_person and self.tok_direct[i] < 0 and not self._addressee(i)
                and not self._in_noun_modifier_pp(i)}

    def _in_noun_modifier_pp(self, i: int) -> bool:
        """True when token ``i`` names something inside a prepositional phrase of a noun.

        "The privatisation of companies such as Yukos ... had been badly handled, he
        said": a name deep in a noun's modifier (also as part of an apposition or
        coordination there) is neither a same-sentence referent for a pronoun
        (:meth:`_in_sentence_person`) nor a reason to pass over the previous
        sentence's subject (:meth:`_prev_subject`).
        """
        t = self.doc[i]
        while t.dep_ in ("compound", "flat", "appos", "conj") and t.head.i != t.i:
            t = t.head
        return t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.head.pos_ in ("NOUN", "PROPN") \
            and t.head.head.i != t.i

    def _addressee(self, i: int) -> bool:
        """True when token ``i`` lies in the object of a verb of telling ("tell Mayor John Tory")."""
        t = self.doc[i]
        while t.dep_ in ("compound", "flat") and t.head.i != t.i:
            t = t.head
        return t.dep_ in ("dobj", "dative") and t.head.lemma_.lower() in _ADDRESSEE_VERBS

    def _in_sentence_person(self, tok_i: int, gender: str) -> str | None:
        """The one gender-compatible person named earlier in ``tok_i``'s sentence, or None.

        "For Espinos, who understands the challenges ..., he's simply ...": a subject
        pronoun after a name in its own clause-initial phrase refers back to it.
        """
        names = {n for n in self._named_earlier_in_sentence(tok_i) if n in self.people and
                 self.people[n].gender_guess() in (gender, "")}
        return names.pop() if len(names) == 1 else None

    def _prev_sentence_root(self, tok_i: int, skip_quoted: bool = False) -> Any:
        """The ROOT token of the sentence before ``tok_i``'s, or None.

        With ``skip_quoted``, up to three sentences wholly inside a direct quote (or
        punctuation) are passed over first; None when all three are.
        """
        doc = self.doc
        s0 = self.sent_start_of[tok_i]
        for _ in range(3):
            if s0 <= 0:
                return None
            prev = self.sent_start_of[s0 - 1]
            if skip_quoted and all(self.tok_direct[i] >= 0 or doc[i].is_punct or doc[i].is_space
                                   for i in range(prev, s0)):
                s0 = prev
                continue
            return next((t for t in doc[prev:s0] if t.dep_ == "ROOT"), None)
        return None

    def _prev_subject(self, tok_i: int, gender: str) -> str | None:
        """The person who is the main-clause subject of the sentence before ``tok_i``'s.

        Sentences wholly inside a direct quote are skipped. The subject counts when
        it names a person of the article (or is a pronoun already resolved to one)
        whose known gender does not clash with ``gender``. "Vickers said he's a long
        way from a decision ... '"It's a long haul," he said': the subject of the
        sentence before is the likeliest referent (the centering preference for the
        previous utterance's subject; Grosz, Joshi & Weinstein 1995).
        """
        doc = self.doc
        if self._named_earlier_in_sentence(tok_i):
            return None  # "Freeland said she wanted ...": someone is named in the same sentence
        root = self._prev_sentence_root(tok_i, skip_quoted=True)
        if root is None:
            return None
        prev = self.sent_start_of[root.i]
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")
                     and self.tok_direct[c.i] < 0), None)
        if subj is None and root.i == prev and prev >= 1 and prev - self.sent_start_of[prev - 1] <= 3:
            # "Vickers | said he's ...": the parser split the name off as a sentence
            subj = doc[prev - 1] if (prev - 1) in self.tok_person else None
        if subj is None:
            return None
        name = None
        if subj.lower_ in _PRONOUNS_PERSON:
            k = bisect_left(self.event_pos, subj.i)
            if k < len(self.event_pos) and self.event_pos[k] == subj.i:
                name = self.person_events[k][1]
        elif subj.i in self.tok_person:  # not "Hua's comments"
            name = self.tok_person[subj.i]
        elif subj.pos_ == "PROPN" and not subj.ent_type_ and \
                subj.text[:1].isupper() and not subj.text.isupper() and \
                subj.i not in self.tok_as_org and not any(c.dep_ in ("compound", "det", "poss")
                                                           for c in subj.children) and \
                self._token_text_counts[subj.text] == 1:
            # "..., Mulder didn't hesitate. '...,' he said": a surname named once that
            # the NER left untagged, as the subject right before. (A word it tagged a
            # place or nationality is left alone: "Russia rejected the plan. He said")
            return subj.text
        if not name or name not in self.people:
            return None
        g = self.people[name].gender_guess()
        if gender and g and g != gender:
            return None
        return name

    def _subject_before(self, tok_i: int) -> str | None:
        """The person named as a subject in the sentence before token ``tok_i``'s, or None.

        "Niederreiter has four goals since ... The 26-year-old right wing said ...":
        a description opening a sentence describes the previous sentence's subject.
        """
        s0 = self.sent_start_of[tok_i]
        if s0 <= 0:
            return None
        prev = self.sent_start_of[s0 - 1]
        k = bisect_left(self.event_pos, s0) - 1
        while k >= 0 and self.event_pos[k] >= prev:
            pos, name, weight = self.person_events[k]
            if weight >= 2.0:
                return name
            k -= 1
        # a surname the parser did not tag as a person, but the article named in full before
        for t in self.doc[prev:s0]:
            if t.dep_ == "nsubj" and t.pos_ == "PROPN" and self.tok_direct[t.i] < 0 and \
                    t.ent_type_ in ("", "PERSON") and t.text[:1].isupper():
                cands = self.alias_map.get(t.lower_, [])
                if len(cands) == 1:
                    return cands[0]
                # "Nino Niederreiter scored twice ... Niederreiter has four goals": the full name
                full = re.search(r"\b([A-Z][a-z][\w'’-]*) " + re.escape(t.text) + r"\b", self.text[: t.idx])
                first = self.doc.char_span(full.start(1), full.end(1)) if full else None
                if first is not None and first[0].pos_ == "PROPN":
                    return self.canonical_person(full.group(0), t.i)
        return None

    def _resolve(self, h_i: int, q: Quote, recent: list[Quote]) -> None:
        doc = self.doc
        if h_i < 0:
            return
        h = doc[h_i]
        if h.ent_type_ != "PERSON" and h.pos_ in ("NOUN", "PROPN"):
            # "Hussein Sayed, chief strategist at FXTM, said": the named person
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
                            _human_head(h) or h.lemma_.lower() in _KINSHIP))):
                    if c.ent_type_ != "PERSON":
                        self.tok_as_person.add(c.i)  # a person's name, whatever the NER said
                    h = c
                    break
                appos_like = c.dep_ == "appos" or (c.dep_ == "conj" and doc[c.i - 1].text == "," and
                                                   not any(x.dep_ == "cc" for x in h.children))
                if appos_like and h.pos_ == "NOUN" and not h.ent_type_ and \
                        h.lower_ not in _SKIP_SUBJECTS and any(
                            x.ent_type_ == "ORG" for x in c.subtree):
                    # "their allies, members of Northern Ireland's Democratic Unionist
                    # Party (DUP), have said": the organisation the apposition names
                    h = next(x for x in c.subtree if x.ent_type_ == "ORG")
                    while h.head.ent_type_ == "ORG" and h.head.i != h.i and h.dep_ == "compound":
                        h = h.head
                    break
            else:
                if h.dep_ == "appos" and h.head.ent_type_ == "PERSON":
                    h = h.head
                elif h.left_edge.i >= 2 and doc[h.left_edge.i - 1].text == "," and \
                        doc[h.left_edge.i - 2].ent_type_ == "PERSON":
                    # "Hussein Sayed, chief market strategist at FXTM, said"
                    h = doc[h.left_edge.i - 2]
        mr = q.__dict__.pop("_mrange", None)
        if mr is not None:
            a, b = mr
        else:
            a, b = self._mention_range(h)
        while b > a and (doc[b].lower_ in _REL_PRONOUNS or (
                doc[b].pos_ == "ADJ" and doc[b - 1].pos_ == "NOUN" and doc[b].head.i == b - 1
                and doc[b].lower_ not in ("familiar", "close")) or (
                doc[b].lower_ in _POSTPOSITIVE and doc[b - 1].pos_ in ("NOUN", "ADJ"))):
            b -= 1  # "a senior aide who spoke", "a security professional present during"
        ms, me = _span_chars(doc, a, b)
        while ms < me - 1 and not self.text[ms].isalnum():
            ms += 1  # a quotation mark glued to the name ('"Industry insiders')
        mention = self.text[ms:me]
        q.mention, q.mention_start, q.mention_end = mention, ms, me
        low = mention.lower()
        # relative pronoun: "Smith, who said" -> antecedent
        if low in _REL_PRONOUNS and h.head.head.i != h.head.i:
            ant = h.head.head
            a2, b2 = self._mention_range(ant)
            mention2 = self.text[_span_chars(doc, a2, b2)[0]:_span_chars(doc, a2, b2)[1]]
            self._resolve_text(mention2, a2, b2, q, recent)
            return
        self._resolve_text(mention, a, b, q, recent)

    def _resolve_text(self, mention: str, a: int, b: int, q: Quote, recent: list[Quote]) -> None:
        doc = self.doc
        low = mention.lower().strip()
        if low in _PRONOUNS_PERSON or low in ("his", "her"):
            g = PRONOUN_GENDER[low]
            name = (PREV_SUBJECT and self._prev_subject(a, g)) or self._nearest_person(a, g)
            gen = self._recent_generic(a, name, g)
            if gen is not None:
                q.speaker, q.speaker_type, q.speaker_title = gen[1], gen[2], gen[3]
                return
            if name is None:
                for r in reversed(recent[-3:]):
                    if r.speaker_type == "person" and r.speaker:
                        name = r.speaker
                        break
            if name:
                q.speaker, q.speaker_type = name, "person"
                p = self.people.get(name)
                if p is not None:
                    q.speaker_title = p.titles[0] if p.titles else ""
                    if not p.gender:
                        p.votes[g] += 1
            return
        if low == "they" and not getattr(self, "_in_doc", False):
            # the nearest plural (or organisation) subject before the pronoun
            for i in range(a - 1, max(-1, a - 120), -1):
                t = doc[i]
                if self.tok_direct[i] >= 0 or t.dep_ not in ("nsubj", "nsubjpass"):
                    continue
                if t.tag_ in ("NNS", "NNPS") or t.ent_type_ in ("ORG", "NORP") or (
                        any(c.dep_ == "conj" for c in t.children) and t.pos_ == "PROPN"):
                    if self._resolve_tokens(*self._mention_range(t), q, recent):
                        return
                    break
        if low == "it" and not getattr(self, "_in_doc", False):
            # "EDC declined to answer ... '...,' it said": the previous sentence's
            # organisation subject
            root = self._prev_sentence_root(a)
            subj = next((c for c in root.children if c.dep_ == "nsubj"), None) if root is not None else None
            if subj is not None and self.tok_direct[subj.i] < 0 and (
                    subj.ent_type_ == "ORG" or subj.i in self.tok_as_org
                    or _ACRONYM.fullmatch(subj.text)) and subj.i not in self.tok_as_person:
                if self._resolve_tokens(*self._mention_range(subj), q, recent):
                    return
        if low in ("they", "it"):
            for r in reversed(recent[-3:]):
                if r.speaker and (low == "they" or r.speaker_type == "organization"):
                    q.speaker, q.speaker_type = r.speaker, r.speaker_type
                    q.speaker_title = r.speaker_title
                    return
            if low == "it":
                k = len(self.org_events) - 1
                while k >= 0 and self.org_events[k][0] > a:
                    k -= 1
                if k >= 0 and a - self.org_events[k][0] < 150:
                    q.speaker, q.speaker_type = self.org_events[k][1], "organization"
            return
        full = doc[a : b + 1]
        root = full.root if len(full) else doc[b]
        # the head's own words: not those of a modifier after it ("Jingyi Pan
        # of IG", "a spokeswoman for Trudeau")
        bc = b
        for i in range(root.i + 1, b + 1):
            if doc[i].dep_ in ("prep", "acl", "relcl") and doc[i].head.i == root.i and \
                    doc[i].ent_iob_ != "I":  # "the Ministry of Justice" stays whole
                bc = i - 1
                break
        if bc < a:
            bc = b
        if bc < b:
            mention = self.text[_span_chars(doc, a, bc)[0]:_span_chars(doc, a, bc)[1]]
            low = mention.lower().strip()
        toks = doc[a : bc + 1]
        ent_types = {t.ent_type_ for t in toks if t.ent_type_}
        title, name = split_title(mention)
        head = root if a <= root.i <= bc else doc[bc]
        # a possessive name is not the speaker: "Elizabeth May's Greens"
        poss_run: set[int] = set()
        for t in toks:
            if t.tag_ == "POS" and t.i < bc:
                j = t.i - 1
                while j >= a and (doc[j].ent_type_ == "PERSON" or j in self.tok_as_person):
                    poss_run.add(j)
                    j -= 1
        poss_run |= self.tok_as_org
        if any(t.i in self.tok_as_org for t in toks):
            ent_types = {t.ent_type_ for t in toks if t.ent_type_ and t.i not in self.tok_as_org}
            if head.i in self.tok_as_org:
                ent_types.add("ORG")
        lead = [t for t in toks if t.lower_ not in _DETERMINER_WORDS]
        if len(lead) >= 3 and lead[0].pos_ == "NOUN" and lead[0].text.islower() and \
                _human_head(lead[0]) and all(t.pos_ == "PROPN" and t.text[:1].isupper()
                                             for t in lead[1:]) and len(lead) <= 4:
            # "economist Philip Cross" (tagged ORG for "Cross"): a person with a job title
            self.tok_as_person.update(t.i for t in lead[1:])
        person_tok = any((t.ent_type_ == "PERSON" or t.i in self.tok_as_person)
                         and t.i not in poss_run for t in toks)
        if person_tok:
            ent_types -= {"ORG", "GPE", "NORP"}
        head = root if a <= root.i <= bc else doc[bc]
        if head.i - 4 >= a and doc[head.i - 1].text == "-" and doc[head.i - 3].text == "-" \
                and doc[head.i - 2].pos_ == "ADP":
            head = doc[head.i - 4]  # "sergeant-at-arms", "editor-in-chief": the first word
        if head.lemma_.lower() in GENERIC_PERSON_HEADS and head.pos_ == "NOUN" and \
                head.ent_type_ != "PERSON":
            self._resolve_generic(head, a, b, mention, q, recent)
            return
        if head.pos_ == "NOUN" and _human_head(head) and not person_tok:
            ent_types -= {"ORG", "GPE", "NORP"}  # "the WHL commissioner" is a person
        b = bc
        if not person_tok and re.fullmatch(r"[A-Z&]{2,6}", name):
            ent_types.add("ORG")  # an untagged acronym ("EDC says") is an organisation
        if person_tok or (name and "ORG" not in ent_types and "GPE" not in ent_types
                          and "NORP" not in ent_types and head.pos_ == "PROPN"
                          and head.lemma_.lower() not in ORG_NOUNS):
            ent_toks = [t.i for t in toks if (t.ent_type_ == "PERSON" or t.i in self.tok_as_person)
                        and t.i not in poss_run]
            if ent_toks:
                # the last run of PERSON tokens is the name
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
            if name:
                canon = self.canonical_person(name, a)
                q.speaker, q.speaker_type = canon, "person"
                p = self.people.get(canon)
                if title:
                    q.speaker_title = title
                    if p is not None and title not in p.titles:
                        p.titles.append(title)
                elif p is not None and p.titles:
                    q.speaker_title = p.titles[0]
                g = gender_of(mention)
                if p is not None and g and not p.gender:
                    p.gender = g
                return
        head_lemma = head.lemma_.lower()
        if head_lemma in _DOC_NOUNS and not getattr(self, "_in_doc", False):
            # "The RCMP statement", "her statement": whoever issued it
            for t in toks:
                if t.i != b and t.dep_ in ("poss", "compound") and (
                        t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
                        or t.pos_ in ("PROPN", "PRON") and not t.ent_type_
                        or t.lemma_.lower() in ORG_NOUNS):
                    if self._resolve_tokens(max(a, t.left_edge.i), t.i, q, recent):
                        return
            src = self._issuer(head) or self._earlier_issuer(head, a)
            if src is not None:
                if self._resolve_tokens(src[0], src[1], q, recent):
                    return
        if DESCRIPTIVE_NP and low.startswith("the ") and head.ent_type_ == "NORP" and head.tag_ == "NNP" \
                and not head.text.endswith("s") and not person_tok:
            # "the Kentucky Republican said": a description of a person just named
            name = self._subject_before(a) or self._nearest_person(a, gender_of(mention), max_back=DESCRIPTION_REACH)
            if name:
                q.speaker, q.speaker_type = name, "person"
                q.speaker_title = _strip_det(mention)
                return
        if "ORG" in ent_types or "GPE" in ent_types or "NORP" in ent_types or \
                head_lemma in ORG_NOUNS:
            q.speaker_type = "organization"
            words = mention.split()
            while words and words[0].lower() in ("the", "a", "an"):
                words = words[1:]
            org = strip_possessive(" ".join(words))
            bare = len(mention.split()) == 1 and mention.lower() == head_lemma and head_lemma in ORG_NOUNS
            if "ORG" not in ent_types and len(words) <= 2 and (
                    mention.lower().startswith(("the ", "its ")) or bare):
                # "the ministry" -> the last organisation named with that head
                # word; "the company" -> the last organisation named
                found = self._last_named(a, lambda e: head_lemma in e.lower())
                mods = {t.lemma_.lower() for t in toks if t.i != head.i and t.is_alpha
                        and t.pos_ in ("NOUN", "ADJ", "PROPN") and len(t.text) > 3}
                if not found and mods:
                    # "the railway company" -> the last organisation with "railway" in its name
                    found = self._last_named(a, lambda e: bool(mods & set(re.findall(r"[a-z]+", e.lower()))))
                if not found and head_lemma in _BUSINESS_NOUNS:
                    # "..., according to media buying company GroupM. ..., the company
                    # wrote": the organisation quoted just before
                    for r in reversed(recent[-2:]):
                        if r.speaker and r.speaker_type == "organization" and \
                                0 <= doc[a].idx - r.end < GENERIC_ORG_REACH:
                            found = r.speaker
                            break
                if not found and head_lemma in _ANAPHORIC_ORG and not bare:
                    pool = self.gpe_events if head_lemma in _PLACE_NOUNS else self.org_events
                    found = self._last_named(a, reach=400, pool=pool)
                org = _strip_det(strip_possessive(found)) if found else org
            q.speaker = org or None
            return
        if head_lemma in TITLE_NOUNS or any(w in GENDERED_TITLE_WORDS for w in low.split()):
            # a title alone: the person holding it in the article
            best = self._title_holder(low)
            if best:
                q.speaker, q.speaker_type = best, "person"
                q.speaker_title = self.people[best].titles[0]
                return
            q.speaker_type = "person"
            q.speaker_title = title or mention
            q.speaker = _strip_det(mention) or None
        # "the lanky, bespectacled professor": the mention was cut at the comma
        definite = low.startswith("the ") or (
            head.left_edge.i < a and doc[head.left_edge.i].lower_ == "the") or (
            # "Seoul's top diplomat", "Canada's foreign minister": a place's office holder
            len(toks) >= 3 and toks[0].ent_type_ == "GPE" and toks[1].tag_ == "POS")
        if DESCRIPTIVE_NP and definite and head.pos_ == "NOUN" and \
                head.tag_ != "NNS" and head_lemma not in _DOC_NOUNS and (
                    head_lemma in HUMAN_NOUNS or head_lemma in TITLE_NOUNS
                    or head_lemma.endswith(_HUMAN_SUFFIXES) or re.search(r"\d+-year-old", low)):
            # "the 32-year-old labourer": a description of someone just named
            name = self._subject_before(a) or self._nearest_person(a, gender_of(mention), max_back=DESCRIPTION_REACH)
            if name:
                q.speaker, q.speaker_type = name, "person"
                if not q.speaker_title:
                    q.speaker_title = _strip_det(mention)
                return
        if q.speaker_type == "person":
            return
        if low.startswith(("the ", "its ")) and head.pos_ == "NOUN" and not _human_head(head):
            # "the state-funded orchestra": the organisation named with that word
            named = self._last_named(a, lambda e: re.search(r"\b" + re.escape(head_lemma) + r"\b", e.lower()))
            if named:
                q.speaker, q.speaker_type = _strip_det(named), "organization"
                return
        if DESCRIPTIVE_NP and definite and head.pos_ == "NOUN" and head.tag_ == "NN" and \
                not ent_types and head_lemma not in _DOC_NOUNS and head_lemma not in ORG_NOUNS \
                and head_lemma not in _ANAPHORIC_ORG and head_lemma not in _PLACE_NOUNS:
            # "says the bow-tied maverick": a feature writer's epithet for the person
            # just named
            name = self._subject_before(a) or self._nearest_person(
                a, gender_of(mention), max_back=DESCRIPTION_REACH)
            if name:
                q.speaker, q.speaker_type = name, "person"
                q.speaker_title = q.speaker_title or _strip_det(mention)
                return
        q.speaker = _strip_det(mention) or None
        q.speaker_type = "unknown"
        last = doc[b]
        if q.speaker and low.startswith(("a ", "an ")) and not getattr(self, "_in_doc", False) and (
                _human_head(last) or last.lemma_.lower().endswith(_HUMAN_SUFFIXES)):
            # "..., a private security professional present during the attack told
            # Reuters. ... he said": an unnamed person now speaking, whom a later
            # he/she may continue (see :meth:`_recent_generic`)
            self._add_generic((b, q.speaker, "unknown", q.speaker))
        if head.pos_ == "NOUN" and not head.ent_type_ and not self._speakerlike(head) and \
                head_lemma not in _DOC_NOUNS and not _human_head(head) and \
                not head_lemma.endswith(_HUMAN_SUFFIXES) and \
                not any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC") or
                        t.pos_ == "PROPN" or t.text[:1].isupper() and t.i > a for t in toks):
            q.speaker = None  # "the two sides", "talks": no one to name

    def _resolve_tokens(self, a: int, b: int, q: Quote, recent: list[Quote]) -> bool:
        """Resolve tokens ``a..b`` (inclusive) as the speaker of ``q``, one level deep.

        For a mention that stands in for another ("the statement" -> its issuer, "they" ->
        the plural subject before it): the stand-in's own mention is resolved with the
        document and pronoun rules switched off, so the lookup cannot recurse. Returns
        whether ``q`` got a speaker.
        """
        ms, me = _span_chars(self.doc, a, b)
        self._in_doc = True
        try:
            self._resolve_text(self.text[ms:me], a, b, q, recent)
        finally:
            self._in_doc = False
        return bool(q.speaker)

    def _last_named(self, before: int, test: Callable[[str], object] | None = None, reach: int | None = None,
                    pool: list[tuple[int, str]] | None = None) -> str:
        """The latest entity named before token ``before`` whose text passes ``test``, or ''.

        ``pool`` is a list of (token index, text) in text order, the organisations named
        outside quotes by default; with ``reach``, only those fewer than ``reach`` tokens back.
        """
        for pos, text in reversed(self.org_events if pool is None else pool):
            if pos < before and (reach is None or before - pos < reach) and (test is None or test(text)):
                return text
        return ""

    def _named_src(self, t: Any) -> tuple[int, int] | None:
        """Mention range of ``t`` when it names a source (entity, proper noun, org noun)."""
        if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or (
                t.pos_ == "PROPN" and not t.ent_type_) or (
                t.pos_ == "NOUN" and (t.lemma_.lower() in ORG_NOUNS or _human_head(t))
                and t.lemma_.lower() not in _DOC_NOUNS):
            a, b = self._mention_range(t)
            return (a, b) if a <= t.i <= b else (t.i, t.i)
        return None

    def _issuer(self, head: Any) -> tuple[int, int] | None:
        """Who issued document noun ``head``: "a statement from the EU",
        "a study released by Civic Action", "the RCMP's report"."""
        for c in head.children:
            if c.dep_ in ("poss", "compound") and c.i < head.i:
                got = self._named_src(c)
                if got is not None and c.pos_ != "PRON":
                    return got
            if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
                for o in c.children:
                    if o.dep_ == "pobj":
                        got = self._named_src(o)
                        if got is not None:
                            return got
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() not in _NOT_ISSUING_VERBS:
                for x in c.children:
                    if x.dep_ == "agent":
                        for o in x.children:
                            if o.dep_ == "pobj":
                                got = self._named_src(o)
                                if got is not None:
                                    return got
        doc = self.doc
        for x in doc[head.i + 1 : min(self.sent_end_of[head.i] + 1, head.i + 40)]:
            # the sentence, not the subtree: a title's colon breaks the parse
            if x.dep_ == "poss" and x.head.lemma_.lower() in _OUTLET_NOUNS \
                    and x.head.head.lower_ in ("on", "in", "from"):
                got = self._named_src(x)
                if got is not None:
                    return got
        return None

    def _earlier_issuer(self, head: Any, a: int) -> tuple[int, int] | None:
        """Issuer of the same document named earlier ("X released a report ...
        the report said"): the issuer of an earlier mention of the noun, or the
        subject of the verb that has it as object."""
        doc = self.doc
        lem = head.lemma_.lower()
        for i in range(a - 1, max(-1, a - 2000), -1):
            t = doc[i]
            if t.lemma_.lower() != lem or self.tok_direct[i] >= 0 or t.pos_ not in ("NOUN", "PROPN"):
                continue
            v = t.head
            if t.pos_ == "PROPN":
                # "a document titled White Paper: ...": the issuer of the titled document
                if t.dep_ in ("dobj", "oprd", "attr") and v.dep_ == "acl" and \
                        v.lemma_.lower() in ("title", "entitle", "call", "name"):
                    got = self._issuer(v.head)
                    if got is not None:
                        return got
                continue
            got = self._issuer(t)
            if got is not None:
                return got
            if t.dep_ == "pobj" and v.lower_ in ("in", "on") and v.head.pos_ == "VERB" and (
                    v.head.lemma_.lower() in SPEECH_VERBS or v.head.lemma_.lower() == "write"):
                # "economist Philip Cross wrote in a recent report": the writer
                for c in v.head.children:
                    if c.dep_ == "nsubj" and c.lower_ not in _SKIP_SUBJECTS:
                        got = self._named_src(c)
                        if got is not None:
                            return got
            if t.dep_ in ("dobj", "nsubjpass") and v.pos_ in ("VERB", "AUX"):
                for c in v.children:
                    if c.dep_ == "nsubj" and t.dep_ == "dobj" or c.dep_ == "agent":
                        o = c if c.dep_ == "nsubj" else next(
                            (x for x in c.children if x.dep_ == "pobj"), None)
                        if o is not None and o.lower_ not in _SKIP_SUBJECTS:
                            got = self._named_src(o)
                            if got is not None:
                                return got
        return None

    def _org_of(self, head: Any, a: int, b: int) -> str:
        """The organisation a generic person mention speaks for, or ''.

        "a Cheong Wa Dae official", "an official at the State Department",
        "K-League officials" name it; "a company official" refers back to the
        last organisation named ("the company").
        """
        doc = self.doc
        for t in doc[a : b + 1]:
            if t.i == head.i or t.is_punct:
                continue
            anc = t.head
            if not (t.head.i == head.i or anc.dep_ in ("prep", "compound", "poss", "pobj")):
                continue
            if t.ent_type_ in ("ORG", "GPE", "NORP", "PERSON") or (
                    t.pos_ == "PROPN" and t.dep_ in ("compound", "pobj", "poss")):
                ea, eb = t.i, t.i
                while ea - 1 >= a and (doc[ea - 1].pos_ == "PROPN" or doc[ea].ent_iob_ == "I"
                                       or doc[ea - 1].text == "-") and not doc[ea - 1].is_punct \
                        or ea - 1 >= a and doc[ea - 1].text == "-":
                    ea -= 1
                while eb + 1 <= b and eb + 1 != head.i and (
                        doc[eb + 1].pos_ == "PROPN" or doc[eb + 1].ent_iob_ == "I"
                        or doc[eb + 1].text == "-"):
                    eb += 1
                while ea < eb and doc[ea].lower_ in ("the", "a", "an"):
                    ea += 1
                if t.ent_type_ == "PERSON" and t.dep_ != "compound":
                    return ""  # "a spokeswoman for Trudeau": no organisation
                return strip_possessive(doc[ea : eb + 1].text)
        for t in doc[a : b + 1]:
            lem = t.lemma_.lower()
            if t.i != head.i and t.pos_ == "NOUN" and lem in _ANAPHORIC_ORG:
                named = self._last_named(a, lambda e, lem=lem: lem in e.lower() or lem in _BUSINESS_NOUNS, reach=400)
                if named:
                    return strip_possessive(named)
        return ""

    def _resolve_generic(self, head: Any, a: int, b: int, mention: str, q: Quote,
                         recent: list[Quote] | None = None) -> None:
        """'an official said': the organisation it speaks for, else generic.

        The organisation comes from the mention itself, else (for a singular
        "the official") from the last generic mention that named one, else (for
        one unnamed official) from the organisation the quote is about
        (:meth:`_org_in_context`), else (for a bare "an official") from the
        organisation quoted right before it: "The ministry reiterated that ...
        '...,' an official said, echoing the ministry's stance".
        """
        org = self._org_of(head, a, b)
        if not org and head.tag_ == "NN" and self.generic_org and \
                mention.lower().startswith(("the ", "this ", "that ")):
            org = self.generic_org
        if not org and head.tag_ == "NN":
            org = self._org_in_context(q)
        bare = {w.lower() for w in mention.split()} <= {"a", "an", "the", "one", "another", "senior",
                                                         head.lower_}
        if not org and head.tag_ == "NN" and bare and recent:
            last = recent[-1]
            if last.speaker_type == "organization" and last.speaker and \
                    0 <= q.start - last.end <= GENERIC_ORG_REACH:
                org = last.speaker
        if org:
            self.generic_org = org
            q.speaker, q.speaker_type = org, "organization"
        else:
            q.speaker, q.speaker_type = _strip_det(mention) or None, "unknown"
        q.speaker_title = _strip_det(mention)
        if head.tag_ == "NN":
            self._add_generic((head.i, q.speaker, q.speaker_type, q.speaker_title))

    def _org_in_context(self, q: Quote) -> str:
        """The organisation one unnamed official speaks for, read from the context, or ''.

        "The ministry has no conclusive position ..., an official said": the
        organisation (an ORG entity) that is the subject of the quote's first clause.
        (The organisation quoted just before is another matter: :meth:`_resolve_generic`
        gives it only to a bare "an official", not to "a union representative".)
        """
        ix = self.ix
        lo, hi = ix.tok_at_or_after(q.start), ix.tok_at_or_after(q.end)
        for t in self.doc[lo : min(hi, lo + 8)]:
            if t.dep_ == "nsubj" and (t.ent_type_ == "ORG" or t.i in self.tok_as_org) and \
                    (t.ent_type_ != "PERSON" or t.i in self.tok_as_org):
                ea, eb = t.i, t.i
                while ea - 1 >= lo and self.doc[ea - 1].ent_iob_ == "I" or \
                        ea - 1 >= lo and self.doc[ea].ent_iob_ == "I":
                    ea -= 1
                while eb + 1 < hi and self.doc[eb + 1].ent_iob_ == "I":
                    eb += 1
                return _strip_det(strip_possessive(self.doc[ea : eb + 1].text))
        return ""

    def _add_generic(self, ev: tuple) -> None:
        k = bisect_left([e[0] for e in self.generic_events], ev[0])
        self.generic_events.insert(k, ev)

    def _title_holder(self, low: str) -> str | None:
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

    def _add_event(self, tok_i: int, name: str, weight: float = SPEAKER_WEIGHT) -> None:
        if len(name.split()) >= 2:
            for al in aliases(name) + [name.split()[-1]]:
                lst = self.alias_map.setdefault(al.lower(), [])
                if name not in lst:
                    lst.append(name)
        k = bisect_left(self.event_pos, tok_i)
        self.event_pos.insert(k, tok_i)
        self.person_events.insert(k, (tok_i, name, weight))

    def _resolve_all(self, quotes: list[tuple[Quote, int]]) -> None:
        recent: list[Quote] = []
        chain_speaker: dict[int, Quote] = {}
        doc = self.doc
        # he/she subjects outside quotes, resolved in text order so that a
        # chain of pronouns keeps its referent salient
        pron = [t.i for t in doc if t.dep_ in ("nsubj", "nsubjpass") and
                self.tok_direct[t.i] < 0 and (t.lower_ in _PRONOUNS_PERSON or (
                    t.lemma_.lower() in TITLE_NOUNS and t.tag_ == "NN" and
                    any(c.lower_ == "the" for c in t.children)))]
        ptr = 0

        def advance(limit: int) -> None:
            nonlocal ptr
            while ptr < len(pron) and pron[ptr] < limit:
                i = pron[ptr]
                ptr += 1
                if doc[i].lower_ in _PRONOUNS_PERSON:
                    g = PRONOUN_GENDER[doc[i].lower_]
                    name = self._in_sentence_person(i, g) or (
                        PREV_SUBJECT and self._prev_subject(i, g)) or self._nearest_person(i, g)
                    gen = self._recent_generic(i, name, g)
                    if gen is not None:  # "an official ... He pointed out"
                        self._add_generic((i,) + tuple(gen[1:]))
                        continue
                else:  # "the mayor brought up ..."
                    ta, tb = self._mention_range(doc[i])
                    name = self._title_holder(doc[ta : tb + 1].text.lower())
                if name:
                    self._add_event(i, name, PRONOUN_WEIGHT)

        for q, h in quotes:
            if PRONOUN_WEIGHT > 0:
                advance(h if h >= 0 else self.ix.tok_at_or_after(q.start))
            if h >= 0:
                self._resolve(h, q, recent)
            if q.speaker:
                recent.append(q)
                if q.speaker_type == "person" and q.mention and h >= 0 and \
                        q.mention.lower() not in _PRONOUNS_PERSON and (
                            q.speaker in self.people or q.speaker[:1].isupper()):
                    self.people.setdefault(q.speaker, _Person(q.speaker))
                    self._add_event(h, q.speaker)
        # floating quotes (no cue): previous quote's speaker
        last: Quote | None = None
        for q, _h in quotes:
            if q.kind == "direct" and q.__dict__.get("_chain", -1) >= 0 and q.speaker:
                chain_speaker.setdefault(q.__dict__["_chain"], q)
        for q, _h in quotes:
            ch = q.__dict__.pop("_chain", -1)
            q.__dict__.pop("_para", None)
            if not q.speaker and not q.cue and q.kind == "direct":
                src = chain_speaker.get(ch) if ch >= 0 else None
                qi = self.ix.tok_at_or_after(q.start)
                if FLOAT_TO_SUBJECT:
                    # a person introduced as a subject after the last quote
                    # ("Trevor Nicholson ... outlined how ...") speaks next
                    lo_tok = self.ix.tok_at_or_after(last.end) if last is not None else 0
                    k = bisect_left(self.event_pos, qi) - 1
                    while k >= 0 and self.event_pos[k] >= lo_tok:
                        pos, name, weight = self.person_events[k]
                        conjoined = doc[pos].dep_ == "conj" or any(
                            c.dep_ == "conj" for c in doc[pos].children)
                        if weight >= 2.0 and qi - pos < 150 and not conjoined and \
                                pos not in self.relcl_subjects:
                            # "Silverman and Svensson have also won ...": a pair speaks no
                            # one quote; "... says House. Durning did not need much coaxing. '...'":
                            # a new subject between two quotes of a chain speaks next
                            q.speaker, q.speaker_type = name, "person"
                            p = self.people.get(name)
                            q.speaker_title = p.titles[0] if p and p.titles else ""
                            src = None
                            break
                        k -= 1
                if src is None and not q.speaker and last is not None and \
                        q.start - last.end < 1500:
                    src = last
                if src is not None:
                    q.speaker, q.speaker_type = src.speaker, src.speaker_type
                    q.speaker_title = src.speaker_title
            if q.speaker:
                last = q
            q.__dict__.pop("_mrange", None)
        # "IRCC" -> "Immigration, Refugees and Citizenship Canada" where the article spells it out
        for q, _h in quotes:
            if q.speaker and _ACRONYM.fullmatch(q.speaker):
                full = self._spelled_out(q.speaker)
                if full:
                    q.speaker, q.speaker_type = full, "organization"
        # "the State Department" -> "US State Department" where the article names it in full
        named = {_strip_det(strip_possessive(e)) for _, e in self.org_events}
        named |= {q.speaker for q, _h in quotes if q.speaker and q.speaker_type == "organization"}
        for q, _h in quotes:
            if q.speaker and q.speaker_type == "organization" and len(q.speaker.split()) >= 2:
                fuller = {o for o in named if o.endswith(" " + q.speaker) and
                          len(o.split()) <= len(q.speaker.split()) + 2}
                if len(fuller) == 1:
                    q.speaker = fuller.pop()

    def _spelled_out(self, acronym: str) -> str:
        """The name an acronym stands for in this article ("EDC" -> "Export Development Canada"), or ''.

        A run of capitalised words whose initials spell the acronym, linked only by
        "of", "and", "for", "the", "on" or commas; the first such run in the text wins.
        """
        cache = self.__dict__.setdefault("_acronyms", {})
        if acronym not in cache:
            link = r"(?:,?\s+(?:(?:of|and|for|the|on|&)\s+)*)"
            pattern = link.join(rf"{c}[a-z][\w'’-]*" for c in acronym)
            m = re.search(rf"\b(?:The\s+)?({pattern})\b", self.text)
            cache[acronym] = m.group(1) if m and m.group(1) != acronym else ""
        return cache[acronym]


#: Heads of mentions of an unnamed person speaking for an organisation.
GENERIC_PERSON_HEADS = frozenset(
    """official source spokesperson spokesman spokeswoman representative insider
    staffer employee spokespeople""".split())


def _human_head(t: Any) -> bool:
    """True when noun ``t`` denotes a person ("commissioner", "defenceman")."""
    lem = t.lemma_.lower()
    return (lem in TITLE_NOUNS or lem in HUMAN_NOUNS or t.lower_ in HUMAN_NOUNS
            or lem in GENDERED_TITLE_WORDS
            or lem.endswith(("man", "woman", "person", "ist", "ian")))


_MINOR_WORDS = {"a", "an", "the", "of", "in", "on", "and", "or", "to", "for", "at", "by",
                "with", "from", "as", "is", "who", "be"}


def _is_title(quoted: str) -> bool:
    """True for a short quoted span in title case ("The Kid Who Would Be King")."""
    words = re.findall(r"[A-Za-z][\w'’-]*", quoted)
    if not 2 <= len(words) <= 8 or re.search(r"[.?!,]\W*$", quoted):
        return False
    return all(w[0].isupper() for w in words if w.lower() not in _MINOR_WORDS) and \
        words[0][0].isupper()


def _strip_det(mention: str) -> str:
    words = mention.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return strip_possessive(" ".join(words))
