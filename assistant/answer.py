"""Answering: resolve the speaker, retrieve their quotes, abstain or compose a cited answer.

Retrieval restricts the hybrid quote search (:mod:`assistant.retrieve`) to the
resolved speaker's quotes across all articles and aliases. Relevance of a quote
to the topic combines its dense cosine similarity ``d`` with the lexical
coverage ``c`` (share of the topic's stemmed content words found in the quote):
the quote is relevant when ``d >= RELEVANT_DENSE``, or ``c >= 0.5`` and ``d >=
RELEVANT_DENSE_COVERED``, or ``c > 0`` and ``d >= RELEVANT_DENSE_LEXICAL``.
When no quote of the speaker is relevant the answer abstains: it says so,
cites nothing, and names what the speaker did talk about. The thresholds were
calibrated on ``shared/gold/qa-dev.jsonl`` and ``seed.jsonl`` by listing, per
question, the best gold and non-gold scores of the speaker's quotes and
choosing the values that keep abstention on unanswerable questions >= 0.85
with the fewest false abstentions (see README, "Abstention").
"""

from __future__ import annotations

import re

import numpy as np

from .converse import PRONOUNS, DialogueState, Query, analyse, normalize_question
from .indexing import Index
from .models import Answer, Citation, Quote, Speaker
from .retrieve import Hit, Retriever
from .vectors import tokenize

#: Dense cosine (topic vs quote) at or above which a quote is relevant on its own.
RELEVANT_DENSE = 0.46
#: Dense cosine at or above which a quote holding half the topic's words or more is relevant.
RELEVANT_DENSE_COVERED = 0.15
#: Dense cosine at or above which a quote sharing any topic word is relevant.
RELEVANT_DENSE_LEXICAL = 0.40
#: A cited quote's relevance must lie within this margin of the best one's (keeps off-topic extras out).
RELATIVE_MARGIN = 0.35
#: Who-said questions: the best quote must reach this cosine, else we abstain.
WHO_SAID_DENSE = 0.40
MAX_CITATIONS = 5

_QUOTE_MARKS = "\"“”„«»'‘’ "


def display_text(quote_text: str) -> str:
    """The quote as shown inside quotation marks: outer marks and a trailing comma removed.

    The result is always a substring of ``quote_text``.
    """
    t = quote_text.strip()
    t = t.strip(_QUOTE_MARKS)
    t = t.rstrip(",; ").rstrip(_QUOTE_MARKS).rstrip(",; ")
    return t if t else quote_text.strip()


def _short(text: str, words: int = 12) -> str:
    w = display_text(text).split()
    return " ".join(w[:words]) + (" …" if len(w) > words else "")


class Answerer:
    """Turns a question and a :class:`DialogueState` into an :class:`Answer` over one :class:`Index`."""

    def __init__(self, index: Index):
        self.set_index(index)

    def set_index(self, index: Index) -> None:
        self.index = index
        self.store = index.store
        self.retriever = Retriever(index)
        self.registry: list[Speaker] = index.store.speakers()
        self.by_id = {s.id: s for s in self.registry}

    # ---- speakers -----------------------------------------------------
    def resolve(self, ref: str) -> list[Speaker]:
        """Registry speakers a reference may denote, best first (see :func:`assistant.speakers.match_speaker`)."""
        from .speakers import match_speaker

        found = match_speaker(ref, self.registry)
        if found:
            return found
        # a proper name inside a longer reference: "the health ministry's Yoon Tae-ho"
        names = re.findall(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*", ref)
        for name in sorted(names, key=len, reverse=True):
            found = match_speaker(name, self.registry)
            if found:
                return found
        # a first name ("Tedros") or any single name token of a multi-word name
        tokens = {t.lower() for t in re.findall(r"[\w'’-]+", ref) if t[:1].isupper() and len(t) > 2}
        return [s for s in self.registry if s.type == "person" and tokens & {w.lower() for w in s.name.split()}]

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
        if query.type in ("speaker_topic", "speaker_only"):
            answer = self._speaker_answer(query, state)
        else:
            answer = self._who_said(query, state)
        state.turns += 1
        if query.topic and not query.exclude_shown:
            state.topic = query.topic
        state.shown.update(c_id for c_id in getattr(answer, "_quote_ids", []))
        return answer

    def _speaker_answer(self, query: Query, state: DialogueState) -> Answer:
        qtype = "follow-up" if query.follow_up else query.type
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
            return self._unknown_speaker(query.ref, qtype)
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
            hits = self.retriever.search_quotes(query.topic, k=len(quote_ids), quote_ids=quote_ids)
            relevant = [(q, h) for q, _, h, _ in self._rank(query.topic, hits)]
            if not relevant:
                return self._abstain_topic(speaker, query.topic, hits, qtype)
            chosen = relevant[:MAX_CITATIONS]
        else:
            rows = self.store.quotes(quote_ids)
            quotes = sorted((q for q, _ in rows.values()), key=lambda q: (q.article_id, q.start))
            chosen = [(q, Hit(q.id, 0.0, 1.0, 0.0)) for q in quotes[:MAX_CITATIONS]]
        answer = self._compose(speaker, query, chosen, qtype)
        if others:
            answer.text += ("\n\nOther people this could mean are quoted too: "
                            + ", ".join(o.name for o in others) + ". Ask with the full name to hear from them.")
        return answer

    def _best_dense(self, speaker: Speaker, topic: str) -> float:
        ids = self.store.quotes_of_speakers([speaker.id])
        hits = self.retriever.search_quotes(topic, k=3, quote_ids=ids) if ids else []
        return max((h.dense for _, _, h in hits), default=-1.0)

    @staticmethod
    def _relevant(h: Hit, cov: float) -> bool:
        d = -1.0 if np.isnan(h.dense) else h.dense
        return d >= RELEVANT_DENSE or (cov >= 0.5 and d >= RELEVANT_DENSE_COVERED) or (
            cov > 0 and d >= RELEVANT_DENSE_LEXICAL)

    def _rank(self, topic: str, hits) -> list[tuple[Quote, int | None, Hit, float]]:
        """Relevant hits as (quote, speaker id, hit, relevance), best first.

        relevance = dense cosine + 0.3 x lexical coverage; hits more than
        ``RELATIVE_MARGIN`` below the best are dropped.
        """
        words = set(tokenize([topic])[0])
        out = []
        for q, sid, h in hits:
            cov = len(words & set(tokenize([q.text])[0])) / len(words) if words else 0.0
            if self._relevant(h, cov):
                d = -1.0 if np.isnan(h.dense) else h.dense
                out.append((q, sid, h, d + 0.3 * cov))
        out.sort(key=lambda t: -t[3])
        if out:
            best = out[0][3]
            out = [t for t in out if t[3] >= best - RELATIVE_MARGIN]
        return out

    def _who_said(self, query: Query, state: DialogueState) -> Answer:
        qtype = "who-said" if query.type == "who_said" else "topic"
        if query.follow_up:
            qtype = "follow-up"
        topic = query.topic or query.question
        hits = self.retriever.search_quotes(topic, k=30)
        hits = [(q, sid, h) for q, sid, h in hits if sid is not None and q.speaker]
        top = [(q, sid, h) for q, sid, h, _ in self._rank(topic, hits) if h.dense >= WHO_SAID_DENSE]
        if not top:
            return Answer(f"The indexed articles hold no quote about {topic}.", abstained=True, question_type=qtype)
        q0, sid0, _ = top[0]
        speaker = self.by_id.get(sid0)
        chosen = [(q, h) for q, sid, h in top if sid == sid0][:3]
        state.speaker_ids = [sid0]
        state.speaker_name = speaker.name if speaker else q0.speaker
        return self._compose(speaker, query, chosen, qtype, who_said=True)

    def _who(self, speaker: Speaker) -> str:
        title = speaker.titles[0] if speaker.titles else ""
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

    def _abstain_topic(self, speaker: Speaker, topic: str, hits, qtype: str) -> Answer:
        text = f"The indexed articles hold no quote of {self._who(speaker)} about {topic}."
        if hits:
            samples = "; ".join(f"“{_short(q.text)}”" for q, _, _ in hits[:3])
            text += f" {speaker.name} is quoted on other subjects, for example: {samples}"
        return Answer(text, abstained=True, speaker=speaker.name, question_type=qtype)

    def _compose(self, speaker: Speaker | None, query: Query, chosen: list[tuple[Quote, Hit]], qtype: str,
                 who_said: bool = False) -> Answer:
        citations = [self.citation(q, h.score) for q, h in chosen]
        name = speaker.name if speaker else (chosen[0][0].speaker or "An unnamed speaker")
        short = name.split()[0] if speaker and speaker.type == "person" and _family_first(name) else name.split()[-1]
        if speaker is None or speaker.type != "person":
            short = name
        who = self._who(speaker) if speaker else name
        if who_said:
            head = f"{who} said this."
        elif query.topic:
            head = f"{who} on {query.topic}:"
        else:
            head = f"What {who} said:"
        lines = [head]
        last_article = None
        for i, (q, _) in enumerate(chosen, start=1):
            c = citations[i - 1]
            if c.article_id != last_article:
                meta = ", ".join(x for x in (c.source, c.date) if x)
                lines.append(f"\nIn \"{c.title or c.article_id}\"" + (f" ({meta})" if meta else "") + ":")
                last_article = c.article_id
            cue = (q.cue or "said").strip()
            shown = display_text(q.text)
            if q.kind == "direct":
                lines.append(f"- {short} {cue}: “{shown}” [{i}]")
            elif q.kind == "mixed":
                lines.append(f"- Reported speech with quoted words — {short} {cue}: “{shown}” [{i}]")
            else:
                lines.append(f"- Reported speech (the article's words) — {short} {cue}: “{shown}” [{i}]")
        answer = Answer("\n".join(lines), citations, abstained=False, speaker=name, question_type=qtype)
        answer._quote_ids = [q.id for q, _ in chosen]  # type: ignore[attr-defined]
        return answer


def _family_first(name: str) -> bool:
    from .speakers import is_east_asian_name

    return is_east_asian_name(name)
