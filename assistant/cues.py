"""Reporting-verb and cue lexicon for quote attribution (our own list).

All entries are lemmas (``token.lemma_`` of spaCy's English lemmatizer) or
lower-cased multi-word phrases.  Four groups matter to the extractor:

* :data:`SPEECH_VERBS` take a clausal complement ("X said (that) ...") or
  introduce a direct quote ("..., she added.").
* :data:`OBJECT_CONTENT_VERBS` report speech through their direct object
  ("Kang emphasized the need for ...").
* :data:`XCOMP_CONTENT_VERBS` report speech through an infinitive
  ("pledged to seek ...").
* :data:`CUE_PHRASES` are multi-word cues matched on the surface text.

The approach (reporting verbs + dependency parse) follows the Gender Gap
Tracker's quote extractor (Asr et al. 2021, "The Gender Gap Tracker",
PLOS ONE 16(1)), with our own word lists.
"""

from __future__ import annotations

SPEECH_VERBS: frozenset[str] = frozenset(
    """
    say tell add note stress warn urge vow pledge claim explain emphasize emphasise
    underline underscore insist argue assert state declare announce acknowledge admit
    allege reply respond retort remark comment observe point_out mention
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

#: Cognition verbs ("believe", "found"): cues in some annotation schemes
#: (PolNeAR) but not in others (GGT); not used by default.
COGNITION_VERBS: frozenset[str] = frozenset(
    """
    think feel believe hope expect fear worry know find learn understand realize
    recognize show indicate signal wonder figure guess calculate reckon suspect
    conclude discover agree decline suggest
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

#: Multi-word cues matched on lower-cased surface text.
CUE_PHRASES: tuple[str, ...] = (
    "according to",
    "quoted as saying",
    "was quoted as saying",
    "were quoted as saying",
    "in the words of",
    "as quoted by",
    "in a statement",
    "told reporters",
    "told the",
    "said in a statement",
    "went on to say",
    "pointed out",
    "called for",
    "called on",
    "made clear",
    "made it clear",
)

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
    bureau center centre unit command headquarters house white_house
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


def is_speech_verb(lemma: str) -> bool:
    """True when ``lemma`` (lower case) is a reporting verb of any group."""
    return (
        lemma in SPEECH_VERBS
        or lemma in OBJECT_CONTENT_VERBS
        or lemma in XCOMP_CONTENT_VERBS
    )


def all_cue_lemmas() -> frozenset[str]:
    """Every single-word cue lemma used by default (for reports and tests)."""
    return SPEECH_VERBS | OBJECT_CONTENT_VERBS | XCOMP_CONTENT_VERBS
