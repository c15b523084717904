"""Word lists and patterns of quote attribution (English news), each defined once.

All verb entries are lemmas (``token.lemma_`` of spaCy's English lemmatizer,
lower case, one token: a multi-word entry such as "point_out" could never
match a lemma; ``tests/test_lexicon.py`` checks this).  The reporting-verb
groups:

* :data:`SPEECH_VERBS` take a clausal complement ("X said (that) ...") or
  introduce a direct quote ("..., she added.").
* :data:`OBJECT_CONTENT_VERBS` report speech through their direct object
  ("Kang emphasized the need for ...").
* :data:`XCOMP_CONTENT_VERBS` report speech through an infinitive
  ("pledged to seek ...").
* :data:`WEAK_VERBS` count as cues only when introducing a clause.

The approach (reporting verbs + dependency parse) follows the Gender Gap
Tracker's quote extractor (Asr et al. 2021, "The Gender Gap Tracker",
PLOS ONE 16(1)), with our own word lists.  The nouns, titles and patterns
after them are the extractor's rules for mentions, documents and layout.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------- reporting verbs

#: Verbs that take a clausal complement ("X said (that) ...") or introduce a direct
#: quote ("..., she added."). Particle verbs ("point out") are in :data:`PARTICLE_CUES`.
SPEECH_VERBS: frozenset[str] = frozenset(
    """
    say tell add note stress warn urge vow pledge claim explain emphasize emphasise
    underline underscore insist argue assert state declare announce acknowledge admit
    allege reply respond retort remark comment observe mention
    write tweet post blog report reveal unveil disclose confirm deny recommend
    predict forecast estimate caution concede contend counter complain lament
    grumble protest object disagree boast brag promise threaten guarantee assure
    reassure maintain reiterate repeat recall recount testify swear affirm reaffirm
    proclaim pronounce shout yell scream whisper mutter cry exclaim joke quip muse
    ask inquire demand plead beg tout hint imply inform notify advise brief remind
    preach lecture posit theorize hypothesize propose charge accuse clarify
    elaborate specify telegraph email text narrate opine venture submit
    implore instruct order rule concur dispute rebut refute counsel quote
    """.split()
)

#: Verbs whose direct object is the reported content ("emphasized the need").
#: Not "announce": its object is an event ("announced the end of the siege").
OBJECT_CONTENT_VERBS: frozenset[str] = frozenset(
    """
    emphasize emphasise stress underline underscore highlight explain reiterate
    express voice demand propose recommend reaffirm
    outline detail acknowledge admit predict urge stress
    """.split()
)

#: Verbs whose infinitival complement is the reported content ("vowed to ...").
XCOMP_CONTENT_VERBS: frozenset[str] = frozenset(
    """
    pledge vow promise threaten urge swear claim
    """.split()
)

#: Verbs that only count as cues when introducing a clause.
WEAK_VERBS: frozenset[str] = frozenset(
    """
    answer reply respond suggest report note mention write post
    """.split()
)

# ---------------------------------------------------------------------------- nouns, titles, gender

#: Nouns that head an organisation-like speaker mention ("the ministry said").
ORG_NOUNS: frozenset[str] = frozenset(
    """
    ministry department agency office police government administration company
    firm corporation bank union party committee commission council board court
    service military army navy force forces council authority authorities
    organization organisation association group institute foundation
    university school hospital newspaper paper agency network station broadcaster
    campaign team club league federation coalition embassy consulate parliament
    congress senate assembly cabinet secretariat prosecution prosecutors
    bureau center centre unit command headquarters house
    utility diocese church school district province city municipality
    airline retailer carrier manufacturer automaker insurer regulator
    watchdog tribunal commission secretariat office
    """.split()
)

#: Common nouns for people or groups of people that can be speakers.
HUMAN_NOUNS: frozenset[str] = frozenset(
    """
    people person man woman men women boy girl child children kid kids teen
    teenager student students resident residents citizen citizens voter voters
    worker workers employee employees member members staff official officials
    source sources expert experts analyst analysts critic critics supporter
    supporters opponent opponents observer observers witness witnesses victim
    victims family families parent parents mother father son daughter wife
    husband friend friends neighbour neighbor neighbours neighbors colleague
    colleagues researcher researchers scientist scientists doctor doctors
    nurse nurses lawyer lawyers attorney attorneys prosecutor prosecutors
    investigator investigators police officer officers leader leaders
    organizer organizers organiser organisers advocate advocates activist
    activists protester protesters demonstrator demonstrators user users
    customer customers owner owners fan fans player players coach spokesperson
    spokesman spokeswoman representative representatives authorities
    economist economists forecaster forecasters strategist strategists
    investor investors trader traders executive executives manager managers
    farmer farmers driver drivers passenger passengers patient patients
    survivor survivors veteran veterans soldier soldiers candidate candidates
    lawmaker lawmakers legislator legislators senator senators politician
    politicians diplomat diplomats negotiator negotiators insider insiders
    aide aides adviser advisers advisor advisors counsel commentator
    commentators writer author authors reporter reporters journalist
    journalists editor editors columnist firefighter firefighters paramedic
    paramedics teacher teachers professor professors partner partners
    founder founders co-founder cofounder artist artists creator entrepreneur
    professional professionals
    """.split()
)

#: Nouns that name a role held by one person ("the foreign minister said").
TITLE_NOUNS: frozenset[str] = frozenset(
    """
    president minister secretary spokesperson spokesman spokeswoman official
    chairman chairwoman chair chairperson director chief head leader premier
    mayor governor senator congressman congresswoman representative
    ambassador envoy commissioner superintendent inspector sergeant officer
    constable detective general admiral colonel captain lieutenant commander
    judge justice attorney lawyer prosecutor counsel ceo executive manager
    founder owner president-elect king queen prince princess chancellor
    councillor councilor mp mla mpp deputy vice candidate nominee
    professor dr doctor coach analyst economist strategist adviser advisor
    aide counsellor researcher scientist expert author editor reporter
    columnist correspondent pastor priest bishop pope rabbi imam
    lawmaker legislator politician diplomat negotiator
    """.split()
)

#: Honorifics stripped from names; value is the gender they imply ("" unknown).
HONORIFICS: dict[str, str] = {
    "mr": "male", "mr.": "male", "mister": "male", "sir": "male",
    "ms": "female", "ms.": "female", "mrs": "female", "mrs.": "female",
    "miss": "female", "madam": "female", "dame": "female", "lady": "female",
    "dr": "", "dr.": "", "prof": "", "prof.": "", "rev": "", "rev.": "",
    "hon": "", "hon.": "",
    # British peerages and their forms of address ("Lord Falconer", "Baroness Warsi")
    "lord": "male", "baron": "male", "baroness": "female",
}

#: Words in a title that imply a gender.
GENDERED_TITLE_WORDS: dict[str, str] = {
    "spokesman": "male", "chairman": "male", "congressman": "male",
    "king": "male", "prince": "male", "father": "male", "husband": "male",
    "son": "male", "brother": "male", "businessman": "male", "actor": "male",
    "spokeswoman": "female", "chairwoman": "female", "congresswoman": "female",
    "queen": "female", "princess": "female", "mother": "female", "wife": "female",
    "daughter": "female", "sister": "female", "businesswoman": "female",
    "actress": "female", "grandmother": "female", "grandfather": "male",
}

PRONOUN_GENDER: dict[str, str] = {
    "he": "male", "him": "male", "his": "male", "himself": "male",
    "she": "female", "her": "female", "hers": "female", "herself": "female",
}

# ---------------------------------------------------------------------------- extractor rules

PRONOUNS_PERSON = {"he", "she"}
SKIP_SUBJECTS = {"i", "we", "you", "me", "us", "one", "there", "what", "that", "this",
                  "these", "those", "something", "nothing", "everyone", "anyone",
                  "someone", "nobody", "many", "few", "all", "both"}
REL_PRONOUNS = {"who", "which", "that"}
DOC_NOUNS = {"statement", "release", "report", "memo", "document", "post", "tweet",
              "study", "survey", "poll", "findings", "data", "figures", "numbers", "paper",
              "claim", "commentary", "analysis", "assessment", "review", "research",
              "website", "blog", "brief", "submission", "application", "order", "motion",
              "letter", "email", "e-mail", "complaint", "suit", "lawsuit", "filing",
              "affidavit", "ruling", "decision", "notice", "message", "announcement",
              "book", "memoir", "column", "essay", "op-ed", "editorial", "biography"}
#: Participles whose agent did not write the document: "the memo obtained by The
#: Globe", "a report seen by Reuters" (any other agent, "released by X", is its issuer).
NOT_ISSUING_VERBS = {"obtain", "see", "review", "receive", "cite", "quote", "leak", "report",
                      "acquire", "examine", "analyze", "analyse", "criticize", "criticise",
                      "reject", "dismiss", "challenge", "question"}
#: Adjectives that follow the noun they modify ("a security professional present during
#: the attack"), which the tagger can take for the mention's head noun.
POSTPOSITIVE = {"present", "involved", "concerned", "responsible", "available", "affected",
                 "interviewed", "questioned", "polled", "surveyed", "contacted", "nearby"}
#: Person nouns that imply a gender, for unnamed speakers ("a woman in the crowd told ...").
GENDERED_PERSON_NOUNS = {"man": "male", "men": "male", "boy": "male", "gentleman": "male",
                          "dad": "male", "uncle": "male", "boyfriend": "male", "woman": "female",
                          "women": "female", "girl": "female", "lady": "female", "mom": "female",
                          "mum": "female", "aunt": "female", "girlfriend": "female"}
#: Heads of place names, never a surname ("Trump Tower", "Obama Library").
PLACE_WORDS = {"tower", "library", "hall", "street", "avenue", "road", "park", "airport",
                "bridge", "stadium", "arena", "building", "museum", "hotel", "square", "plaza"}
#: Words no personal name contains: a PERSON entity holding one is a title of a work.
NOT_IN_NAMES = {"me", "my", "you", "your", "we", "our", "they", "them", "their",
                 "not", "is", "are", "was"}
#: Title words that also open names of companies and places ("General Motors", "King's College").
ORG_NAME_TITLES = {"general", "king", "queen", "prince", "princess", "dr", "imam", "pope",
                    "justice", "head", "executive", "counsel", "representative"}
#: Where a document is posted: "a document ... on Canadian Pacific Railway's website".
OUTLET_NOUNS = {"website", "site", "page", "account", "blog", "feed", "channel", "portal"}
#: A photo caption's closing credit: "( THE CANADIAN PRESS FILE PHOTO )",
#: "( Peter Lee / Waterloo Region Record )", "(AP Photo/Evan Vucci)".
CAPTION = re.compile(r"\(\s*(?:[^()]{0,80}\b(?:PHOTO|[Pp]hoto|Getty Images|FILE)\b[^()]{0,80}"
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
KINSHIP = {"dad", "father", "mom", "mum", "mother", "brother", "sister", "son", "daughter",
            "uncle", "aunt", "grandfather", "grandmother", "cousin", "nephew", "niece", "wife",
            "husband", "boyfriend", "girlfriend", "fiancé", "fiancée", "fiance", "fiancee"}
#: Abbreviated titles before a name ("Lt. Tom Wilkison", "Sgt. Jane Doe").
TITLE_ABBREVIATIONS = {"lt", "sgt", "cpl", "const", "cst", "det", "insp", "supt", "capt", "col",
                        "gen", "maj", "adm", "cmdr", "gov", "sen", "rep", "dr", "prof", "rev",
                        "mr", "mrs", "ms", "hon", "atty", "pres", "lieut"}
#: A dateline opening a story: "OTTAWA — ", "SEOUL, Jan. 5 (Yonhap) -- ".
DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,}(?:,[^—–\n]{0,40})?(?:\s*\([^)]{0,30}\))?\s*(?:—|–|--|-)\s+")
DETERMINER_WORDS = {"a", "an", "the", "this", "that", "another", "one"}
#: The signature closing an embedded post: "— BC Hydro (@bchydro) December 22, 2018".
EMBED_SIG = re.compile(r"\s[—–-]\s*([^()\n—]{2,60}?)\s*\(@\w+\)\s+[A-Z][a-z]+\.? \d{1,2},\s*\d{4}\s*$")
EMBED_LINK = re.compile(r"https?://t\.co/\S+|pic\.twitter\.com/\S+")
#: Cues whose direct object is the addressee ("told reporters").
ADDRESSEE_VERBS = {"tell", "inform", "assure", "reassure", "remind", "warn", "brief",
                    "advise", "notify", "ask", "urge", "caution", "email", "text"}
NAMING_VERBS = {"call", "describe", "dub", "label", "brand", "term", "nickname"}
UTTER_VERBS = {"say", "shout", "chant", "yell", "scream", "blurt", "exclaim", "cry",
                "tweet", "write", "add", "reply", "respond", "ask", "whisper", "mutter"}
NOT_SPEAKERS = {"read more", "watch", "update", "updated", "breaking", "exclusive", "photos",
                 "video", "analysis", "opinion", "editorial", "related", "listen", "live",
                 "note", "correction", "editor's note", "see also", "more"}
#: Particle verbs that are cues with their particle ("pointed out", "summed up").
PARTICLE_CUES = {"point": "out", "sum": "up", "chime": "in", "spell": "out"}
NOT_INDIRECT = {"ask", "inquire", "wonder", "estimate", "forecast", "order", "specify",
                 "remind", "detail", "outline", "propose"}
WH_START = {"whether", "why", "how", "what", "when", "where", "who", "which", "if"}
CONTENT_MARKS = {"because", "since", "although", "though", "while", "if", "unless",
                  "until", "so", "as", "whereas", "once"}
HUMAN_SUFFIXES = ("er", "or", "ist", "man", "woman", "ian", "ant", "ent", "ee", "ive",
                   "wing", "guard", "back", "coach", "chief")
PLACE_NOUNS = {"city", "province", "country", "state", "town", "municipality"}
ANAPHORIC_ORG = {"company", "firm", "agency", "department", "union", "organization",
                  "organisation", "group", "corporation", "retailer", "bank", "carrier",
                  "airline", "automaker", "network", "club", "team", "league", "ministry",
                  "university", "hospital", "board", "charity", "publisher", "startup",
                  "maker", "giant", "brand", "developer", "insurer", "utility", "regulator",
                  "watchdog", "broadcaster", "operator", "manufacturer", "association",
                  "commission", "institute", "foundation"} | PLACE_NOUNS
#: Verbs that attribute a direct quote ('"...," Sinclair concludes') but whose clause
#: complement is a thought, not speech ("concluded that ...").
DIRECT_ONLY_VERBS = frozenset({"conclude", "continue", "laugh", "agree", "smile", "sigh"})
#: An organisation's acronym as a speaker name ("IRCC", "PBO").
ACRONYM = re.compile(r"[A-Z]{2,6}")
#: Organisation nouns that refer back to any company named just before.
BUSINESS_NOUNS = {"company", "firm", "corporation", "retailer", "carrier", "airline",
                   "automaker", "maker", "startup", "developer", "insurer", "publisher",
                   "brand", "giant", "network", "club", "team", "league", "bank"}
MENTION_DEPS = {"compound", "amod", "det", "poss", "nmod", "nummod", "case",
                 "punct", "prt", "quantmod", "advmod", "cc", "conj", "flat"}

#: Heads of mentions of an unnamed person speaking for an organisation.
GENERIC_PERSON_HEADS = frozenset(
    """official source spokesperson spokesman spokeswoman representative insider
    staffer employee spokespeople""".split())


MINOR_WORDS = {"a", "an", "the", "of", "in", "on", "and", "or", "to", "for", "at", "by",
                "with", "from", "as", "is", "who", "be"}
