"""Question analysis and conversation state.

A question is read into a :class:`Query`: its type, the speaker reference as
written ("Kang", "the foreign minister", "she"), and its topic. The patterns
are the shapes users ask in ("What did X say about Y?", "Did X mention Y?",
"Who said Y?", "And what about Y?", "What else did she say?"); follow-ups take
the speaker and/or topic from :class:`DialogueState`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .kinds import QuestionType

MAX_QUESTION_CHARS = 1000

SPEECH_VERBS = (
    "say|said|says|saying|tell|told|tells|ask|asked|asks|find|found|finds|make|made|think|thought|thinks|"
    "mention|mentioned|mentions|claim|claimed|claims|argue|argued|argues|warn|warned|warns|predict|predicted|"
    "comment|commented|talk|talked|announce|announced|suggest|suggested|note|noted|add|added|explain|explained|"
    "reveal|revealed|propose|proposed|want|wanted|promise|promised|pledge|pledged|urge|urged|call|called|"
    "describe|described|have|had|tie|tied|believe|believed|report|reported|insist|insisted|write|wrote|stress|"
    "stressed|emphasize|emphasized|emphasise|emphasised|feel|felt|expect|expected|vow|vowed|admit|admitted|"
    "deny|denied|criticize|criticized|criticise|criticised|recommend|recommended|demand|demanded|hope|hoped|"
    "respond|responded|react|reacted|reply|replied|testify|testified|confirm|confirmed|acknowledge|acknowledged|"
    "blame|blamed|praise|praised|defend|defended|point out|pointed out|speak|spoke|discuss|discussed|address|"
    "addressed|express|expressed|raise|raised|share|shared|offer|offered|give|gave|cite|cited|caution|cautioned"
)
_AUX = r"(?:did|does|do|has|have|had|was|is|were|would|will|could|can)"
_LEAD = r"^(?:(?:and|but|so|ok|okay|also|then|now)[,\s]+)*"

_WHO = re.compile(
    _LEAD + r"(?:who|which\s+(?:\w+\s+){0,2}?(?:official|person|people|minister|leader|one|spokesperson|group|"
    r"agency|organi[sz]ation)s?|did\s+any(?:one|body)|has\s+any(?:one|body)|does\s+any(?:one|body)|"
    r"was\s+any(?:one|body)|is\s+there\s+any(?:one|body)(?:\s+who)?)\s+(?P<rest>.+)$",
    re.I,
)
_WH_SPEAKER = re.compile(
    _LEAD + r"(?:what|how|why|when|where|which)\s+(?P<else>else\s+)?" + _AUX
    + r"\s+(?P<ref>.+?)\s+(?P<else2>else\s+)?(?:also\s+|actually\s+|really\s+|ever\s+)?(?P<verb>"
    + SPEECH_VERBS + r")\b(?P<rest>.*)$",
    re.I,
)
_YN_SPEAKER = re.compile(
    _LEAD + _AUX + r"\s+(?P<ref>.+?)\s+(?:also\s+|ever\s+|actually\s+)?(?P<verb>" + SPEECH_VERBS + r")\b(?P<rest>.*)$",
    re.I,
)
#: "Which former basketball star said ...?", "Which security expert compared ...?": a description of the
#: speaker (one to five words) before the first verb (a speech verb, a past tense in -ed, or a common
#: irregular one); the topic is the question after "which".
_WHICH = re.compile(
    _LEAD + r"which\s+(?P<desc>(?:[\w'’.&-]+\s+){1,5}?)(?P<verb>(?:" + SPEECH_VERBS
    + r")|(?-i:[a-z]+ed)|told|spoke|wrote|thought|felt|sought)\s+(?P<rest>.+)$",
    re.I,
)
#: A description ending so is not a speaker's: "Which newly elected ...", "Which minister was praised ...".
_NOT_DESCRIPTION = re.compile(r"(?i)(?:\w+ly|was|were|is|are|has|had|have|been|be|articles?|stor(?:y|ies)|"
                              r"reports?|papers?|quotes?|pieces?|sources?|outlets?|days?|years?|months?|times?)\s*$")
_ABOUT = re.compile(_LEAD + r"(?:(?:what|how)\s+about|what\s+of|and\s+on|and\s+about|on|about|regarding)\s+(?P<rest>.+)$", re.I)
_ELSE = re.compile(_LEAD + r"(?:what|anything)\s+else\b", re.I)

PRONOUNS = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female", "hers": "female",
            "they": "", "them": "", "it": "", "the speaker": ""}
_TOPIC_LEAD = re.compile(r"^(?:about|on|of|regarding|concerning|over|with regard to|in relation to|as to)\s+", re.I)
_FILLER = re.compile(
    r"\b(?:anything|something|too|also|as well|else|at all|in the articles?|in the news|publicly|recently)\b", re.I
)
# an anaphor in the first two words of a topic ("tie that to ...") points back to the last topic
_ANAPHOR = re.compile(r"^(?:\w+\s+)?(?:it|that|this|those|these|the same|the matter|the issue)\b", re.I)


@dataclass
class Query:
    """What a question asks.

    ``type`` is a :class:`~assistant.kinds.QuestionType`: ``speaker-topic`` ("What
    did X say about Y?"), ``speaker-only`` ("What did X say?"), ``who-said`` ("Who
    said Y?"), ``who-is`` ("Who is X?") or ``topic`` (no speaker and not a
    who-question: search all quotes).
    ``ref`` is the speaker reference as written (or "" ), ``pronoun`` true when
    it is a pronoun resolved from the history, ``topic`` the subject searched
    for, ``exclude_shown`` true for "What else ...".
    """

    type: QuestionType
    ref: str = ""
    topic: str = ""
    pronoun: bool = False
    follow_up: bool = False
    exclude_shown: bool = False
    question: str = ""


@dataclass
class DialogueState:
    """What a conversation remembers: the last speaker(s), the last topic, quotes already shown."""

    speaker_ids: list[int] = field(default_factory=list)
    speaker_name: str | None = None
    topic: str = ""
    shown: set[int] = field(default_factory=set)
    turns: int = 0


def normalize_question(question: str) -> str:
    """Collapse whitespace, drop control characters, cap the length at ``MAX_QUESTION_CHARS``."""
    q = "".join(ch if ch.isprintable() else " " for ch in question or "")
    q = " ".join(q.split())
    return q[:MAX_QUESTION_CHARS]


def _clean_topic(text: str) -> str:
    t = text.strip(" ?.!,;:")
    t = _TOPIC_LEAD.sub("", t)
    t = _FILLER.sub(" ", t)
    t = " ".join(t.split()).strip(" ?.!,;:")
    return t


def _is_anaphoric(topic: str) -> bool:
    return not topic or bool(re.fullmatch(r"(?:(?:on|about|of)\s+)?(?:it|that|this|those|these|the same)", topic, re.I))


#: "Tell me what Kang said about China", "Show me what ...", "Can you tell me ...": the request wrapper
_IMPERATIVE = re.compile(r"^(?:(?:can|could|would)\s+you\s+|please\s+)?(?:tell|show|give|find|list)\s+me\s+"
                         r"(?:(?:please|again)\s+)?", re.I)
#: "Kang on China", "Kang's remarks on China", "Kang's views about the US": elliptical speaker + topic
_ELLIPTICAL = re.compile(
    r"^(?:and\s+)?(?P<ref>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|de|van|von|al))*?)"
    r"(?:['’]s?\s+(?:\w+\s+)?(?:remarks|comments|views|words|statements?|quotes?|position|take))?"
    r"\s+(?:on|about|regarding)\s+(?P<rest>.+)$")
#: "Who is Kim Hong-kyun?", "Who's the KCDC director?"
_WHO_IS = re.compile(r"^(?:who\s+is|who['’]s|who\s+was|tell\s+me\s+about)\s+(?P<ref>.+)$", re.I)
#: reaction verbs: "How did the minister respond (to him)?" asks about the last topic
_RESPONSE_VERBS = {"respond", "responded", "react", "reacted", "reply", "replied"}


def analyse(question: str, state: DialogueState | None = None) -> Query:
    """Read a question (already normalised) into a :class:`Query`, using ``state`` for follow-ups.

    Shapes: "What did X say about Y?" and its variants; "Who said Y?"; "Which <description> said
    Y?" (who-said, ``ref`` the description: "former basketball star"); "X on Y?" and
    "X's remarks on Y" (elliptical); "Tell me what X said about Y" (imperative);
    "Who is X?" (``who-is``: the registry's description of X); follow-ups ("And what
    about Y?", "What else did she say?", "How did X respond?", which keeps the last topic).
    """
    state = state or DialogueState()
    q = question.strip().rstrip("?.! ")
    if _IMPERATIVE.match(q):  # "Tell me what Kang said about China" -> "what did Kang said about China"
        q = _IMPERATIVE.sub("", q)
        q = re.sub(r"(?i)^what\s+(.+?)\s+(?:has|have|had|did|does|would|will)\s+(?=\w)", r"what \1 ", q)
        q = re.sub(r"(?i)^what\s+(?!" + _AUX[3:-1] + r"\b)", "what did ", q)
    q = q[:1].upper() + q[1:] if q[:4].lower() not in ("what", "who ", "who'", "how ", "did ", "does", "has ")\
        else q
    has_history = state.turns > 0
    m = _WHO_IS.match(q)
    if m and not re.match(r"(?i)who\s+(?:is|was)\s+(?:quoted|saying|said|the\s+one|it)\b", q):
        return Query(QuestionType.WHO_IS, ref=m.group("ref").strip(" ?.!"), question=question)
    m = _WHO.match(q)
    if m:
        rest = re.sub(r"^(?:" + SPEECH_VERBS + r")\b\s*(?:that\s+)?", "", m.group("rest"), flags=re.I)
        topic = _clean_topic(rest)
        if _is_anaphoric(topic) and state.topic:
            topic = state.topic
        return Query(QuestionType.WHO_SAID, topic=topic or _clean_topic(m.group("rest")), question=question,
                     follow_up=has_history and _is_anaphoric(_clean_topic(rest)))
    m = _WHICH.match(q)
    if m and not _NOT_DESCRIPTION.search(m.group("desc")):
        # the topic keeps the description: the story that quotes the speaker also describes them
        topic = _clean_topic(f"{m.group('desc').strip()} {m.group('verb')} {m.group('rest')}")
        return Query(QuestionType.WHO_SAID, ref=m.group("desc").strip(), topic=topic, question=question)
    m = _WH_SPEAKER.match(q) or _YN_SPEAKER.match(q)
    if m:
        ref = m.group("ref").strip()
        ref = re.sub(r"^(?:else\s+)", "", ref, flags=re.I)
        exclude = bool(m.groupdict().get("else") or m.groupdict().get("else2")) or bool(_ELSE.match(q))
        verb = m.group("verb").lower()
        rest = m.group("rest")
        # "ask of the ambassadors", "find about the board", "make of Trump musing": the verb's
        # preposition goes with it; what follows is the topic
        rest = re.sub(r"^\s*(?:of|about|on|for|regarding)\b", "", rest, flags=re.I) if verb not in {
            "say", "said", "says", "saying", "mention", "mentioned", "mentions", "talk", "talked", "comment",
            "commented", "speak", "spoke"} else rest
        topic = _clean_topic(rest)
        if re.fullmatch(r"(?:tell|told|ask|asked)(?:\s+\w+)?", topic, re.I):
            topic = ""
        if verb in _RESPONSE_VERBS and re.fullmatch(r"(?:to\s+)?(?:him|her|them|it|that|this|the\s+\w+)?", topic,
                                                    re.I):
            topic = ""  # "How did the minister respond to him?": the reply is on the last topic
        pronoun = ref.lower() in PRONOUNS
        follow = has_history and (pronoun or _is_anaphoric(topic) or exclude)
        if _is_anaphoric(topic) and has_history and not exclude and (pronoun or re.search(r"\b(?:it|that|this|too|anything)\b", q, re.I)):
            topic = state.topic
        elif topic and _ANAPHOR.search(topic) and has_history and state.topic:
            topic = f"{topic} ({state.topic})"
        elif not topic and has_history and state.topic and not exclude and (
                re.match(r"(?i)and\b", q) or verb in _RESPONSE_VERBS or re.search(r"(?i)\banything\b", rest)):
            # "And what did Rubio say?", "How did Trump respond?": the conversation's subject goes on
            topic, follow = state.topic, True
        qtype = QuestionType.SPEAKER_TOPIC if topic else QuestionType.SPEAKER_ONLY
        return Query(qtype, ref=ref, topic=topic, pronoun=pronoun, follow_up=follow, exclude_shown=exclude,
                     question=question)
    if has_history and (_ELSE.match(q)):
        return Query(QuestionType.SPEAKER_ONLY, topic="", pronoun=True, follow_up=True, exclude_shown=True, question=question)
    m = _ELLIPTICAL.match(q)
    if m and m.group("ref").split()[-1].lower() not in {"what", "and", "so", "also", "the"}:
        return Query(QuestionType.SPEAKER_TOPIC, ref=m.group("ref"), topic=_clean_topic(m.group("rest")), question=question)
    m = _ABOUT.match(q)
    if m and has_history and state.speaker_ids:
        return Query(QuestionType.SPEAKER_TOPIC, topic=_clean_topic(m.group("rest")), pronoun=True, follow_up=True,
                     question=question)
    return Query(QuestionType.TOPIC, topic=_clean_topic(q), question=question)
