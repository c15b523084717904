"""Answering: resolve the speaker, gather candidate quotes, rank them, abstain or compose a cited answer.

A speaker question ("What did Kang say about China?") resolves the reference to
registry speakers (:meth:`Answerer.resolve`), then gathers candidates by the
routes of :mod:`assistant.evidence` (the speaker's quotes, the quotes in the
passages the question retrieves) and scores each on all its evidence together
(:mod:`assistant.ranking`): the speaker is evidence, not a filter, so a quote
whose attribution went wrong can still be found through its passage. Quotes
scoring at least ``ranking.cite_threshold`` are cited, best first; when none
does, the answer abstains, says so, cites nothing, and names what the speaker
did talk about. A who-said question ranks all quotes the same way and answers
for the speaker of the best one. Weights and threshold live in
:class:`assistant.settings.RankingSettings`, fitted by ``benchmarks/calibrate.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .compose import Composer
from .converse import PRONOUNS, DialogueState, Query, analyse, normalize_question
from .evidence import Candidate, Evidence, SpeakerEvidence
from .indexing import Index
from .kinds import QuestionType, SpeakerType
from .models import Answer, Speaker
from .ranking import choose, rank
from .retrieve import Hit, Retriever
from .speaker_lookup import _NAME_STOP, SpeakerLookup

#: Question types answered for a named speaker.
_SPEAKER_QUESTIONS = (QuestionType.SPEAKER_TOPIC, QuestionType.SPEAKER_ONLY)


class Answerer(SpeakerLookup, Composer):
    """Turns a question and a :class:`DialogueState` into an :class:`Answer` over one :class:`Index`."""

    def __init__(self, index: Index):
        self.set_index(index)

    def set_index(self, index: Index) -> None:
        self.index = index
        self.store = index.store
        self.retriever = Retriever(index)
        # rows unchanged since the last index (most of them, after an addition) are not parsed again
        self._speaker_rows: dict[tuple, Speaker] = getattr(self, "_speaker_rows", {})
        self.registry: list[Speaker] = index.store.speakers(reuse=self._speaker_rows)
        self.by_id = {s.id: s for s in self.registry}
        self.index_registry()
        self.settings = index.settings
        self.evidence = Evidence(index, self.retriever)
        #: when a list, each question's ranked candidates are appended to it (for calibration)
        self.trace: list | None = getattr(self, "trace", None)

    # ---- answering ----------------------------------------------------
    def answer(self, question: str, state: DialogueState) -> Answer:
        """Answer ``question`` and update ``state``; odd input gets a helpful answer, never an exception."""
        q = normalize_question(question)
        if not re.search(r"\w", q):
            return Answer("Please ask a question about the indexed articles, for example "
                          "\"What did <person> say about <topic>?\" or \"Who said <something>?\"", abstained=True,
                          question_type=QuestionType.EMPTY)
        query = analyse(q, state)
        parts = _several(query.ref) if query.type in _SPEAKER_QUESTIONS else []
        if query.type == QuestionType.WHO_IS:
            from .describe import describe

            found = self.resolve(query.ref)
            answer = describe(self, query.ref, found)
            if found:
                state.speaker_ids, state.speaker_name = [found[0].id], found[0].name
        elif len(parts) > 1:
            answer = self._several_speakers(query, parts, state)
        elif query.type in _SPEAKER_QUESTIONS:
            answer = self._speaker_answer(query, state)
        else:
            answer = self._who_said(query, state)
        state.turns += 1
        if query.topic and not query.exclude_shown:
            state.topic = query.topic
        state.shown.update(c_id for c_id in getattr(answer, "_quote_ids", []))
        return answer

    def _unregistered_speaker(self, query: Query, qtype: str, state: DialogueState) -> Answer:
        """A group reference no registry speaker fits ("Varnholt officials"): the quotes in passages that
        name it, ranked like any other candidates, each shown with the speaker the article attributes
        it to; else, and for a person's name, the answer abstains."""
        names = _proper_names(query.ref)
        head = query.ref.split()[-1] if query.ref.split() else ""
        if not query.topic or not names or head[:1].isupper():
            # a person's name that nothing is attributed to: that person is not quoted; only a group
            # or body ("Varnholt officials", "the Varnholt council") is looked for by name
            return self._unknown_speaker(query.ref, qtype)
        from .speakers import family_name

        evidence = SpeakerEvidence(names=[*names, *(family_name(n) for n in names)])
        cands = self._candidates(query.topic, query.question, [], evidence, None, group=True)
        chosen_c = self._choose(query, cands, "unregistered")
        if not chosen_c:
            return self._unknown_speaker(query.ref, qtype)
        chosen = [(c.quote, c.scored_hit()) for c in chosen_c]
        head = (f"No quote in the indexed articles is attributed to {query.ref}; these stand in passages "
                f"that name {query.ref}:")
        return self._compose(None, query, chosen, qtype, foreign=frozenset(q.id for q, _ in chosen), head=head,
                             ref=query.ref)

    def _several_speakers(self, query: Query, refs: list[str], state: DialogueState) -> Answer:
        """"What did Lim and Kim say about sanctions?": one answer per speaker, one after the other,
        citations numbered on; abstains only when every part abstains."""
        texts, citations, ids, names, quote_ids = [], [], [], [], []
        for ref in refs:
            part = self._speaker_answer(replace(query, ref=ref), state)
            offset = len(citations)
            texts.append(re.sub(r"\[(\d+)\]", lambda m, off=offset: f"[{int(m.group(1)) + off}]", part.text))
            citations += part.citations
            ids += state.speaker_ids
            names.append(part.speaker or ref)
            quote_ids += getattr(part, "_quote_ids", [])
        state.speaker_ids = list(dict.fromkeys(ids))
        answer = Answer("\n\n".join(texts), citations, abstained=not citations, speaker=" and ".join(names),
                        question_type=QuestionType.SPEAKER_TOPIC if query.topic else QuestionType.SPEAKER_ONLY)
        answer._quote_ids = quote_ids  # type: ignore[attr-defined]
        return answer

    def _speaker_answer(self, query: Query, state: DialogueState) -> Answer:
        qtype = QuestionType.FOLLOW_UP if query.follow_up else query.type
        if query.pronoun or not query.ref:
            if not state.speaker_ids:
                who = query.ref or "that"
                return Answer(f"Who do you mean by \"{who}\"? Ask with a name, for example \"What did Kang say?\"",
                              abstained=True, question_type=qtype)
            cands = [self.by_id[i] for i in state.speaker_ids if i in self.by_id]
            gender = PRONOUNS.get(query.ref.lower(), "")
            if gender and cands and cands[0].gender and cands[0].gender != gender:
                pass  # the last speaker stays the likeliest referent in a two-party conversation
        else:
            cands = self.resolve(query.ref)
        if not cands:
            return self._unregistered_speaker(query, qtype, state)
        others = self._ambiguous(cands, query.ref) if not query.pronoun else []
        speaker = cands[0]
        if others and query.topic:
            # answer for the likeliest: the one whose quotes fit the topic best
            best = max([speaker, *others], key=lambda s: self._best_dense(s, query.topic))
            if best is not speaker:
                others = [speaker, *[o for o in others if o is not best]]
                speaker = best
        state.speaker_ids = [speaker.id]
        state.speaker_name = speaker.name
        quote_ids = self.store.quotes_of_speakers([speaker.id])
        if query.exclude_shown:
            quote_ids = [i for i in quote_ids if i not in state.shown]
        if not quote_ids:
            text = (f"The indexed articles hold no {'other ' if query.exclude_shown else ''}quote of "
                    f"{self._who(speaker)}.")
            return Answer(text, abstained=True, speaker=speaker.name, question_type=qtype)
        if query.topic:
            # the other speakers the reference may denote: none when it names this speaker in full
            # ("Simon Cowell" does not also mean his brother Tony Cowell)
            maybe = [] if _names_in_full(query.ref, speaker) else cands[1:4]
            cands = self._speaker_candidates(query, speaker, [speaker, *others, *maybe], state)
            chosen_c = self._choose(query, cands, "speaker")
            if not chosen_c:
                return self._abstain_topic(speaker, query.topic, qtype)
            chosen = [(c.quote, c.scored_hit()) for c in chosen_c]
            foreign = frozenset(c.quote.id for c in chosen_c if not c.features.get("spk_attr"))
        else:
            foreign = frozenset()
            rows = self.store.quotes(quote_ids)
            quotes = sorted((q for q, _ in rows.values()), key=lambda q: (q.article_id, q.start))
            chosen = [(q, Hit(q.id, 0.0, 1.0, 0.0)) for q in quotes[: self.settings.ranking.max_citations]]
        answer = self._compose(speaker, query, chosen, qtype, foreign=foreign)
        if others:
            answer.text += ("\n\nOther people this could mean are quoted too: "
                            + ", ".join(o.name for o in others) + ". Ask with the full name to hear from them.")
        return answer

    def _speaker_evidence(self, speaker: Speaker, others: list[Speaker], ref: str = "") -> SpeakerEvidence:
        """Who the question asks about: the speaker and the registry entries that are the same person,
        the others the reference may denote, and the names to look for in passages: the speaker's
        names and aliases, and the proper names of the reference as the user wrote it ("the FA",
        "the Bank of England governor": "FA", "Bank of England")."""
        same = [speaker, *self.same_person(speaker)]
        names = [n for sp in same for n in (sp.name, *sp.aliases)]
        if speaker.type == SpeakerType.PERSON:  # a person is named by their name, not by their titles
            from .speakers import split_title

            names = [split_title(n)[1] or n for n in names]
        names += _proper_names(ref)
        return SpeakerEvidence(same={sp.id for sp in same}, other={sp.id for sp in others} - {sp.id for sp in same},
                               names=names)

    def _speaker_candidates(self, query: Query, speaker: Speaker, others: list[Speaker],
                            state: DialogueState) -> list[Candidate]:
        """Ranked candidates for a speaker question (routes and features: :mod:`assistant.evidence`)."""
        rs = self.settings.retrieval
        evidence = self._speaker_evidence(speaker, others, "" if query.pronoun else query.ref)
        ids = self.store.quotes_of_speakers(sorted(evidence.same | evidence.other))
        if query.exclude_shown:
            ids = [i for i in ids if i not in state.shown]
        hits = (self.retriever.search_quotes(query.topic, k=min(len(ids), rs.max_candidates), quote_ids=ids)
                if ids else [])
        # the question as the user asked it retrieves passages, as a naive dense search would; a
        # follow-up ("And what did Rubio say?") is asked again with its speaker and topic spelt out
        asked = query.question if not query.follow_up else f"What did {speaker.name} say about {query.topic}?"
        return self._candidates(query.topic, asked, hits, evidence, state if query.exclude_shown else None)

    def _candidates(self, topic: str, asked: str, hits, evidence: SpeakerEvidence | None,
                    state: DialogueState | None, group: bool = False) -> list[Candidate]:
        """Candidates by the routes of :mod:`assistant.evidence`, with features, ranked. For a ``group``
        reference that no registry speaker fits, a quote in a passage that names the group counts as
        attributed to it (``spk_attr`` = ``spk_near``): that is all the attribution a group has."""
        rs = self.settings.retrieval
        routed, ranks = self.evidence.passage_route(asked, rs.passage_depth)
        vector = self.retriever.encode(topic)
        have = {q.id for q, _, _ in hits}
        extra = [(q, sid) for q, sid in routed if q.id not in have and (state is None or q.id not in state.shown)]
        dense = self.evidence.quote_dense([q.id for q, _ in extra], vector)
        first = [Candidate(q, sid, h) for q, sid, h in hits[: rs.context_depth]]
        first += [Candidate(q, sid, Hit(q.id, 0.0, dense[q.id], 0.0)) for q, sid in extra]
        rest = [Candidate(q, sid, h) for q, sid, h in hits[rs.context_depth:]]
        cands = first + rest
        self.evidence.features(cands, topic, evidence, self.retriever.encode(asked), ranks, depth=len(first))
        if group:
            for c in cands:
                c.features["spk_attr"] = c.features.get("spk_near", 0.0)
        return rank(cands, self.settings.ranking)

    def _choose(self, query: Query, cands: list[Candidate], path: str) -> list[Candidate]:
        """What to cite (:func:`assistant.ranking.choose` for ``path``). When tracing, the ranked candidates
        and the path are kept: ``benchmarks/calibrate.py`` replays the same policy on them."""
        if self.trace is not None:
            self.trace.append({"query": query, "candidates": cands, "path": path})
        return choose(cands, self.settings.ranking, path)

    def _more_of(self, speaker: Speaker, query: Query, topic: str, chosen: list[Candidate],
                  state: DialogueState) -> list[Candidate]:
        """Once a who-said question has found its speaker, what else that speaker said on the topic in the
        same articles: the speaker question "What did <speaker> say about <topic>?" ranked and cited as such
        (a quote of theirs the search over all quotes did not reach: "it also is in danger of turning users
        into vigilantes"), after the quotes already chosen, up to ``max_citations`` in all. Only the articles
        already cited: a who-said question asks about one remark, not all the speaker's views. Not traced:
        the calibration replays the who-said ranking only."""
        asked = replace(query, type=QuestionType.SPEAKER_TOPIC, ref=speaker.name, topic=topic,
                        question=f"What did {speaker.name} say about {topic}?", follow_up=False, pronoun=False)
        cands = self._speaker_candidates(asked, speaker, [], state)
        have = {c.quote.id for c in chosen}
        articles = {c.quote.article_id for c in chosen}
        more = [c for c in choose(cands, self.settings.ranking, "speaker")
                if c.quote.id not in have and c.quote.article_id in articles]
        return more[: self.settings.ranking.max_citations - len(chosen)]

    def _who_said(self, query: Query, state: DialogueState) -> Answer:
        qtype = query.type
        if query.follow_up:
            qtype = QuestionType.FOLLOW_UP
        topic = query.topic or query.question
        rs = self.settings.retrieval
        hits = self.retriever.search_quotes(topic, k=rs.who_said_depth)
        # "Which former basketball star said ...?": the speakers the description fits (as a title-only
        # reference is resolved), whose quotes on the topic are candidates too and are preferred
        described = {sp.id for sp in self.described_fully(query.ref)} if query.ref else set()
        if described:
            ids = self.store.quotes_of_speakers(sorted(described))
            have = {q.id for q, _, _ in hits}
            hits += [h for h in self.retriever.search_quotes(topic, k=min(len(ids), rs.who_said_depth), quote_ids=ids)
                     if h[0].id not in have]
        hits = [(q, sid, h) for q, sid, h in hits if sid is not None and q.speaker]
        cands = [c for c in self._candidates(topic, query.question, hits, None, None) if c.speaker_id is not None]
        fitting = [c for c in cands if c.speaker_id in described]
        if fitting and choose(fitting, self.settings.ranking, "who"):
            cands = fitting
        relevant = self._choose(query, cands, "who")  # the best quote's speaker's quotes, best first
        if not relevant:
            return Answer(f"The indexed articles hold no quote that answers this (searched for: “{topic}”).",
                          abstained=True, question_type=qtype)
        top = relevant[0]
        speaker = self.by_id.get(top.speaker_id)
        if speaker is not None and len(relevant) < self.settings.ranking.max_citations:
            relevant += self._more_of(speaker, query, topic, relevant, state)
        chosen = [(c.quote, c.scored_hit()) for c in relevant]
        state.speaker_ids = [top.speaker_id]
        state.speaker_name = speaker.name if speaker else top.quote.speaker
        return self._compose(speaker, query, chosen, qtype, who_said=True)


def _proper_names(ref: str) -> list[str]:
    """Runs of capitalised words in a reference ("the Bank of England governor" -> ["Bank of England"],
    "Varnholt officials" -> ["Varnholt"]), possessives and honorifics dropped."""
    ref = re.sub(r"['’]s\b", "", ref)
    runs = re.findall(r"[A-Z][\w'’.&-]*(?:\s+(?:of|de|du|van|von|al|the)?\s*[A-Z][\w'’.&-]*)*", ref)
    return [r for r in (run.strip() for run in runs) if r.lower() not in _NAME_STOP and len(r) >= 2]


def _names_in_full(ref: str, speaker: Speaker) -> bool:
    """True when ``ref`` is a person's name of two or more words (titles and honorifics aside) that is the
    speaker's name or one of their aliases, spelling aside ("Mr Simon Cowell" for Simon Cowell)."""
    from .speakers import name_key, person_key, split_title

    if speaker.type != SpeakerType.PERSON:
        return False
    name = split_title(ref)[1]
    if len(name.split()) < 2:
        return False
    keys = {name_key(name), person_key(name)}
    return any(keys & {name_key(n), person_key(n)} for n in (speaker.name, *speaker.aliases))


def _several(ref: str) -> list[str]:
    """The speakers of a reference naming several ("Lim and Kim", "Sanders, Clinton and Trump"): each
    part must hold a capitalised word; else ``[ref]``."""
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+", ref) if p.strip()]
    if len(parts) > 1 and all(re.search(r"\b[A-Z]", p) for p in parts) and not re.search(
            r"(?i)\b(?:ministry|department|committee|council|office|agency) of\b", ref):
        return parts
    return [ref]
