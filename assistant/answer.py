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
from functools import lru_cache

from .converse import PRONOUNS, DialogueState, Query, analyse, normalize_question
from .evidence import Candidate, Evidence, SpeakerEvidence
from .indexing import Index
from .models import Answer, Citation, Quote, Speaker
from .ranking import rank, select
from .retrieve import Hit, Retriever

_QUOTE_MARKS = "\"“”„«»'‘’ "


def display_text(quote_text: str) -> str:
    """The quote as shown inside quotation marks: outer marks and a trailing comma removed.

    The result is always a substring of ``quote_text``.
    """
    t = quote_text.strip()
    t = t.strip(_QUOTE_MARKS)
    t = t.rstrip(",; ").rstrip(_QUOTE_MARKS).rstrip(",; ")
    return t if t else quote_text.strip()


class Answerer:
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
        # word -> speakers whose name, aliases or titles hold it: a reference is matched only against
        # the speakers sharing a word with it, not the whole registry (which grows with the corpus)
        self._by_word: dict[str, list[Speaker]] = {}
        for sp in self.registry:
            words = {w for text in (sp.name, *sp.aliases, *sp.titles) for w in _name_words(text)}
            for w in words:
                self._by_word.setdefault(w, []).append(sp)
        self._descriptions: dict[int, str] = {}
        self.settings = index.settings
        self.evidence = Evidence(index, self.retriever)
        #: when a list, each question's ranked candidates are appended to it (for calibration)
        self.trace: list | None = getattr(self, "trace", None)

    # ---- speakers -----------------------------------------------------
    def _description(self, speaker: Speaker) -> str:
        """Titles plus the text around the speaker's first full-name mention in each article (lower-cased).

        This is how a title-only reference ("the Surrey mayor", "Canada's ambassador
        to China") finds its holder: the words describing a person stand next to
        their name ("Surrey Mayor Doug McCallum", "John McCallum, Canada's ambassador to China").
        """
        desc = self._descriptions.get(speaker.id)
        if desc is None:
            parts = list(speaker.titles)
            for aid in speaker.articles[:5]:
                try:
                    text = self.store.article_text(aid)
                except KeyError:
                    continue
                for name in sorted(speaker.aliases, key=len, reverse=True)[:3]:
                    at = text.find(name)
                    if at >= 0:  # the title stands just before the name, an appositive just after
                        parts.append(text[max(0, at - 60) : at + len(name) + 80])
                        break
            desc = " ".join(parts).lower()
            self._descriptions[speaker.id] = desc
        return desc

    def _by_description(self, ref: str) -> list[Speaker]:
        """Speakers whose description fits a title-only reference, best first.

        Score: each content word of the reference found in the description counts
        1 (2 when capitalised in the reference: "Niagara County", "KCDC"), plus 2
        for each pair of consecutive words found together ("deputy director"). The
        head noun (last word) or every capitalised word must be found.
        """
        raw = re.findall(r"[A-Za-z0-9][\w-]*", re.sub(r"['’]s\b", "", ref))
        stop = {"the", "a", "an", "of", "for", "to", "in", "at", "on", "and", "its", "his", "her", "their", "our"}
        words = [(w.lower(), w[0].isupper()) for w in raw if w.lower() not in stop]
        if not words:
            return []
        head = words[-1][0]
        caps = [w for w, c in words if c]
        bigrams = [f"{a} {b}" for (a, _), (b, _) in zip(words, words[1:])]
        from .speakers import is_org_mention

        wanted = "organization" if is_org_mention(ref) else "person"
        scored = []
        head_stem = head.rstrip("s")
        for sp in self.registry:
            if sp.type != wanted:
                continue
            desc = self._description(sp)
            if head_stem not in desc and not (caps and all(c in desc for c in caps)):
                continue  # the test below cannot pass: skip its regular expressions
            found = {w for w, _ in words if re.search(r"\b" + re.escape(w), desc)}
            if not found or not (re.search(r"\b" + re.escape(head_stem), desc) or (caps and set(caps) <= found)):
                continue
            score = sum(2 if c else 1 for w, c in words if w in found) + 2 * sum(b in desc for b in bigrams)
            scored.append((score, sp.n_quotes, sp))
        if not scored:
            return []
        scored.sort(key=lambda t: (-t[0], -t[1]))
        top = scored[0][0]
        return [sp for score, _, sp in scored if score >= top - 1]

    def resolve(self, ref: str) -> list[Speaker]:
        """Registry speakers a reference may denote, best first.

        A reference with a proper name goes to :func:`assistant.speakers.match_speaker`
        (names, aliases, titles); a title-only reference ("the prime minister") first
        to the speakers whose titles and name context hold all its words.
        """
        from .speakers import match_speaker as _match

        def match_speaker(reference: str, registry) -> list[Speaker]:
            cands = {id(sp): sp for w in _name_words(reference) for sp in self._by_word.get(w, ())}
            return _match(reference, list(cands.values())) if cands else []

        if re.match(r"(?i)^(?:the|a|an)\s", ref.strip()) or re.search(r"['’]s\b", ref) or not re.search(
                r"\b[A-Z][a-z]", ref):
            found = self._by_description(ref)
            if found:
                return found
        found = match_speaker(ref, self.registry)
        if found:
            return found
        # a proper name inside a longer reference: "the health ministry's Yoon Tae-ho"
        names = re.findall(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*", ref)
        for name in sorted(names, key=len, reverse=True):
            found = match_speaker(name, self.registry)
            if found:
                return found
        # a one-word reference may be a given name ("Tedros" for Tedros Adhanom Ghebreyesus); a full
        # name that matched nobody ("Stephen Harper") must not fall back on its first name
        tokens = [t for t in re.findall(r"[\w'’-]+", ref) if t[:1].isupper() and len(t) > 2]
        if len(tokens) != 1:
            return []
        token = tokens[0].lower()
        return [s for s in self.registry if s.type == "person" and token in {w.lower() for w in s.name.split()}]

    def _ambiguous(self, cands: list[Speaker], ref: str) -> list[Speaker]:
        """Other people a short reference fits as well as the first (two Kims for "Kim")."""
        if len(cands) < 2 or len(ref.split()) > 1 and "-" in ref:
            return []
        from .speakers import match_speaker

        first = cands[0]
        return [s for s in cands[1:4] if s.type == first.type and match_speaker(ref, [s]) and
                s.name.split()[0] == first.name.split()[0] and s.name != first.name]

    # ---- citations ----------------------------------------------------
    def citation(self, q: Quote, score: float) -> Citation:
        meta = self.store.article_meta(q.article_id)
        return Citation(q.article_id, meta["title"], meta["source"], meta["date"], q.start, q.end, q.text,
                        q.speaker, q.cue, q.kind, float(score))

    def quotes_of(self, name: str) -> list[Citation]:
        """Every quote of the speaker with canonical ``name``, in article order (empty for unknown names)."""
        ids = [s.id for s in self.registry if s.name == name]
        rows = self.store.quotes(self.store.quotes_of_speakers(ids))
        quotes = sorted((q for q, _ in rows.values()), key=lambda q: (q.article_id, q.start))
        return [self.citation(q, 0.0) for q in quotes]

    # ---- answering ----------------------------------------------------
    def answer(self, question: str, state: DialogueState) -> Answer:
        """Answer ``question`` and update ``state``; odd input gets a helpful answer, never an exception."""
        q = normalize_question(question)
        if not re.search(r"\w", q):
            return Answer("Please ask a question about the indexed articles, for example "
                          "\"What did <person> say about <topic>?\" or \"Who said <something>?\"", abstained=True,
                          question_type="empty")
        query = analyse(q, state)
        parts = _several(query.ref) if query.type in ("speaker_topic", "speaker_only") else []
        if query.type == "who_is":
            from .describe import describe

            answer = describe(self, query.ref)
            sp = self.resolve(query.ref)
            if sp:
                state.speaker_ids, state.speaker_name = [sp[0].id], sp[0].name
        elif len(parts) > 1:
            answer = self._several_speakers(query, parts, state)
        elif query.type in ("speaker_topic", "speaker_only"):
            answer = self._speaker_answer(query, state)
        else:
            answer = self._who_said(query, state)
        state.turns += 1
        if query.topic and not query.exclude_shown:
            state.topic = query.topic
        state.shown.update(c_id for c_id in getattr(answer, "_quote_ids", []))
        return answer

    def _unregistered_speaker(self, query: Query, qtype: str, state: DialogueState) -> Answer:
        """A reference no registry speaker fits ("Varnholt officials", a person the extractor missed):
        the quotes in passages that name it, ranked like any other candidates, each shown with the
        speaker the article attributes it to; else the answer abstains."""
        names = re.findall(r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*", query.ref)
        names = [n for n in names if n.lower() not in _NAME_STOP]
        if not query.topic or not names:
            return self._unknown_speaker(query.ref, qtype)
        from .speakers import family_name

        evidence = SpeakerEvidence(names=[*names, *(family_name(n) for n in names)])
        cands = self._candidates(query.topic, query.question, [], evidence, None)
        self._record(query, cands)
        chosen_c = select(cands, self.settings.ranking)
        if not chosen_c:
            return self._unknown_speaker(query.ref, qtype)
        chosen = [(c.quote, Hit(c.quote.id, c.score, c.hit.dense, c.hit.bm25)) for c in chosen_c]
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
                        question_type="speaker-topic" if query.topic else "speaker-only")
        answer._quote_ids = quote_ids  # type: ignore[attr-defined]
        return answer

    def _speaker_answer(self, query: Query, state: DialogueState) -> Answer:
        qtype = "follow-up" if query.follow_up else query.type.replace("_", "-")
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
            cands = self._speaker_candidates(query, speaker, [speaker, *others, *cands[1:4]], state)
            chosen_c = select(cands, self.settings.ranking)
            self._record(query, cands)
            if not chosen_c:
                return self._abstain_topic(speaker, query.topic, qtype)
            chosen = [(c.quote, Hit(c.quote.id, c.score, c.hit.dense, c.hit.bm25)) for c in chosen_c]
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

    def _best_dense(self, speaker: Speaker, topic: str) -> float:
        ids = self.store.quotes_of_speakers([speaker.id])
        hits = self.retriever.search_quotes(topic, k=3, quote_ids=ids) if ids else []
        return max((h.dense for _, _, h in hits), default=-1.0)

    # ---- candidates ---------------------------------------------------
    def same_person(self, speaker: Speaker) -> list[Speaker]:
        """Registry entries that are ``speaker`` under another form: the same name once titles and
        honorifics are set aside ("Councillor Marit Holloway", "Marit Holloway"), or a one-word
        name of theirs ("Holloway") quoted in one of their articles."""
        from .speakers import name_key, split_title

        if speaker.type != "person":
            return []
        key = name_key(split_title(speaker.name)[1] or speaker.name)
        words = set(_name_words(speaker.name))
        arts = set(speaker.articles)
        out = []
        for w in words:
            for sp in self._by_word.get(w, ()):
                if sp.id == speaker.id or sp.type != "person" or sp in out:
                    continue
                bare = split_title(sp.name)[1] or sp.name
                if name_key(bare) == key or (len(bare.split()) == 1 and bare.lower() in words
                                             and arts & set(sp.articles)):
                    out.append(sp)
        return out

    def _speaker_evidence(self, speaker: Speaker, others: list[Speaker]) -> SpeakerEvidence:
        same = [speaker, *self.same_person(speaker)]
        names = [n for sp in same for n in (sp.name, *sp.aliases)]
        if speaker.type == "person":  # a person is named by their name, not by their titles
            from .speakers import split_title

            names = [split_title(n)[1] or n for n in names]
        return SpeakerEvidence(same={sp.id for sp in same}, other={sp.id for sp in others} - {sp.id for sp in same},
                               names=names)

    def _speaker_candidates(self, query: Query, speaker: Speaker, others: list[Speaker],
                            state: DialogueState) -> list[Candidate]:
        """Ranked candidates for a speaker question (routes and features: :mod:`assistant.evidence`)."""
        rs = self.settings.retrieval
        evidence = self._speaker_evidence(speaker, others)
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
                    state: DialogueState | None) -> list[Candidate]:
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
        return rank(cands, self.settings.ranking)

    def _record(self, query: Query, cands: list[Candidate]) -> None:
        """Keep the candidates of the last question when tracing (``benchmarks/calibrate.py`` replays them)."""
        if self.trace is not None:
            self.trace.append({"query": query, "candidates": cands, "path": "who" if query.type in (
                "who_said", "topic") else "speaker"})

    def _who_said(self, query: Query, state: DialogueState) -> Answer:
        qtype = "who-said" if query.type == "who_said" else "topic"
        if query.follow_up:
            qtype = "follow-up"
        topic = query.topic or query.question
        rs = self.settings.retrieval
        hits = self.retriever.search_quotes(topic, k=rs.who_said_depth)
        hits = [(q, sid, h) for q, sid, h in hits if sid is not None and q.speaker]
        cands = [c for c in self._candidates(topic, query.question, hits, None, None) if c.speaker_id is not None]
        self._record(query, cands)
        relevant = select(cands, self.settings.ranking)
        if not relevant:
            return Answer(f"The indexed articles hold no quote about {topic}.", abstained=True, question_type=qtype)
        top = relevant[0]
        speaker = self.by_id.get(top.speaker_id)
        # then that speaker's other quotes that pass the same test, best first
        chosen = [(c.quote, Hit(c.quote.id, c.score, c.hit.dense, c.hit.bm25)) for c in relevant
                  if c.speaker_id == top.speaker_id]
        state.speaker_ids = [top.speaker_id]
        state.speaker_name = speaker.name if speaker else top.quote.speaker
        return self._compose(speaker, query, chosen, qtype, who_said=True)

    @staticmethod
    def _title(speaker: Speaker) -> str:
        """The title to show: the first one written as a title ("Foreign Minister": every word
        capitalised but of/and/the/for) of at most six words, else none."""
        for t in speaker.titles:
            words = t.split()
            if 0 < len(words) <= 6 and all(w[0].isupper() or w in {"of", "and", "the", "for", "on"} for w in words):
                return t
        return ""

    def _who(self, speaker: Speaker) -> str:
        title = self._title(speaker) if speaker.type == "person" else ""
        return f"{title} {speaker.name}".strip() if title else speaker.name

    def _unknown_speaker(self, ref: str, qtype: str) -> Answer:
        name = ref.strip()
        mentioned = self._mentions(name)
        text = f"The indexed articles hold no quote of {name}."
        if mentioned:
            text += (f" {name} is mentioned in {len(mentioned)} article{'s' if len(mentioned) > 1 else ''} "
                     f"(for example \"{mentioned[0]}\") but is not quoted there.")
        return Answer(text, abstained=True, question_type=qtype)

    def _mentions(self, name: str) -> list[str]:
        words = [w for w in re.findall(r"[A-Za-z][\w'’-]+", name) if w[0].isupper()]
        if not words:
            return []
        probe = words[-1]
        rows = self.store.db.execute(
            "SELECT title, id FROM articles WHERE instr(text, ?) > 0 LIMIT 20", (probe,)).fetchall()
        return [t or i for t, i in rows]

    def _abstain_topic(self, speaker: Speaker, topic: str, qtype: str) -> Answer:
        """No relevant quote: say so, cite nothing, and name the articles where the speaker is quoted."""
        text = f"The indexed articles hold no quote of {self._who(speaker)} about {topic}."
        if speaker.articles:
            titles = [self.store.article_meta(a)["title"] or a for a in speaker.articles[:3]]
            more = len(speaker.articles) - len(titles)
            text += (f" {speaker.name} is quoted on other subjects in "
                     + "; ".join(f"\"{t}\"" for t in titles) + (f" and {more} more" if more > 0 else "")
                     + f". Ask \"What did {speaker.name} say?\" to read those quotes.")
        return Answer(text, abstained=True, speaker=speaker.name, question_type=qtype)

    def _compose(self, speaker: Speaker | None, query: Query, chosen: list[tuple[Quote, Hit]], qtype: str,
                 who_said: bool = False, foreign: frozenset[int] = frozenset(), head: str = "",
                 ref: str = "") -> Answer:
        """The answer text and citations. Direct quotes are shown in quotation marks; reported speech as
        the article's own sentence, without marks (the words are the reporter's). A quote in ``foreign``
        (ids of quotes the extractor attributed to someone else, found near a mention of the speaker)
        says whom the article attributes it to."""
        # one block per article, articles in the order of their best citation, ranks
        # kept within each (a stable sort), so no article header is repeated
        first = {}
        for q, _ in chosen:
            first.setdefault(q.article_id, len(first))
        chosen = sorted(chosen, key=lambda qh: first[qh[0].article_id])
        citations = [self.citation(q, h.score) for q, h in chosen]
        name = speaker.name if speaker else (chosen[0][0].speaker or "An unnamed speaker")
        short = name.split()[0] if speaker and speaker.type == "person" and _family_first(name) else name.split()[-1]
        if speaker is None or speaker.type != "person":
            short = name
        who = self._who(speaker) if speaker else name
        if ref:
            short = ref
        if head:
            pass
        elif who_said:
            head = f"{who} said this."
        elif query.topic:
            head = f"{who} on {query.topic}:"
        else:
            head = f"What {who} said:"
        lines = [head]
        last_article = None
        shown_sentences: dict[tuple[str, str], int] = {}
        for i, (q, _) in enumerate(chosen, start=1):
            c = citations[i - 1]
            if c.article_id != last_article:
                meta = ", ".join(x for x in (c.source, c.date) if x)
                lines.append(f"\nIn \"{c.title or c.article_id}\"" + (f" ({meta})" if meta else "") + ":")
                last_article = c.article_id
            cue = (q.cue or "said").strip()
            shown = display_text(q.text)
            who_q = short
            if q.id in foreign:
                who_q = q.speaker or "an unnamed speaker"
                lines.append(f"- In a passage naming {short}, the article attributes this to {who_q}:")
            # "according to Lim", not "Lim according to"
            says = f"according to {who_q}" if cue.lower() == "according to" else f"{who_q} {cue}"
            if q.kind == "direct":
                lines.append(f"- {says[0].upper() + says[1:]}: “{shown}” [{i}]")
                continue
            sentence = _sentence_around(self.store.article_text(q.article_id), q.start, q.end)
            if (q.article_id, sentence) in shown_sentences:  # two reported parts of one sentence: one line
                at = shown_sentences[(q.article_id, sentence)]
                lines[at] += f"[{i}]"
                continue
            shown_sentences[(q.article_id, sentence)] = len(lines)
            lines.append(f"- Reported speech, in the article's words: {sentence} [{i}]")
        answer = Answer("\n".join(lines), citations, abstained=False, speaker=name, question_type=qtype)
        answer._quote_ids = [q.id for q, _ in chosen]  # type: ignore[attr-defined]
        return answer


def _several(ref: str) -> list[str]:
    """The speakers of a reference naming several ("Lim and Kim", "Sanders, Clinton and Trump"): each
    part must hold a capitalised word; else ``[ref]``."""
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+", ref) if p.strip()]
    if len(parts) > 1 and all(re.search(r"\b[A-Z]", p) for p in parts) and not re.search(
            r"(?i)\b(?:ministry|department|committee|council|office|agency) of\b", ref):
        return parts
    return [ref]


def _sentence_span(text: str, start: int, end: int, limit: int = 600) -> tuple[int, int]:
    """Span of the sentence(s) of ``text`` holding ``text[start:end]``: from after the last sentence end
    (``. ! ?`` and a space, or a line break) before ``start`` to the first after ``end``; at most
    ``limit`` characters each side, surrounding whitespace excluded."""
    lo = max(0, start - limit)
    ends = [m.end() for m in re.finditer(r"[.!?][\"”’']?\s+(?=[\"“‘'A-Z0-9])|\n+", text[lo:start])]
    a = lo + ends[-1] if ends else lo
    m = re.search(r"[.!?](?:[\"”’'])?(?=\s|$)|\n", text[end:end + limit])
    b = end + m.end() if m else min(len(text), end + limit)
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _sentence_around(text: str, start: int, end: int) -> str:
    """The text of :func:`_sentence_span` (always a substring of ``text``)."""
    a, b = _sentence_span(text, start, end)
    return text[a:b]


_NAME_STOP = {"the", "a", "an", "of", "and", "for", "to", "in", "on", "at", "mr", "mrs", "ms", "dr"}


@lru_cache(maxsize=262144)
def _name_words(text: str) -> frozenset[str]:
    """Lower-cased words of a name or title, possessives and hyphen parts included ("Kyung-wha", "kyung").

    Cached: the registry is re-read after every addition, and its names barely change.
    """
    words = set()
    for w in re.findall(r"[\w'’-]+", re.sub(r"['’]s\b", "", text.lower())):
        w = w.strip("'’-")
        if w and w not in _NAME_STOP:
            words.add(w)
            words.update(p for p in w.split("-") if p)
    return frozenset(words)


def _family_first(name: str) -> bool:
    from .speakers import is_east_asian_name

    return is_east_asian_name(name)
