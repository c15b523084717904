"""Answer text and citations: direct quotes in quotation marks, reported speech as the article's sentence.

One block per article (articles in the order of their best citation), numbered
citations ``[1]``, ``[2]`` whose text is exactly the article's text at their span.
"""

from __future__ import annotations

import re

from .converse import Query
from .kinds import QuoteKind, SpeakerType
from .models import Answer, Citation, Quote, Speaker
from .names import family_name
from .retrieve import Hit

_DOUBLE_MARKS = "\"“”„«» "
_SINGLE_MARKS = "'‘’"


def display_text(quote_text: str) -> str:
    """The quote as shown inside quotation marks: outer marks and a trailing comma removed.

    Single marks are outer marks only for a quote that opens with one; inside a double-quoted
    quote a closing ’ belongs to a quotation within it ("…you have to approve it.’”" keeps its ’).
    The result is always a substring of ``quote_text``.
    """
    t = quote_text.strip()
    marks = _DOUBLE_MARKS + (_SINGLE_MARKS if t[:1] in _SINGLE_MARKS else "")
    t = t.strip(marks)
    t = t.rstrip(",; ").rstrip(marks).rstrip(",; ")
    return t if t else quote_text.strip()


class Composer:
    """Mixin of :class:`assistant.answer.Answerer`: needs ``store`` and ``registry``."""

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
        title = self._title(speaker) if speaker.type == SpeakerType.PERSON else ""
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
        short = family_name(name) or name  # "Kang" for Kang Kyung-wha, "Trump" for Donald Trump Jr.
        if speaker is None or speaker.type != SpeakerType.PERSON:
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
            if q.kind == QuoteKind.DIRECT:
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


#: a full stop after these is no sentence end ("Mrs. Trump said", "the U.S. economy")
_ABBREVIATION = r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bSr)(?<!\bGov)(?<!\bSen)" \
                r"(?<!\bRep)(?<!\bGen)(?<!\bLt)(?<!\bCol)(?<!\bProf)(?<!\bU\.S)(?<!\bNo)(?<!\b[A-Z])"


def _sentence_span(text: str, start: int, end: int, limit: int = 600) -> tuple[int, int]:
    """Span of the sentence(s) of ``text`` holding ``text[start:end]``: from after the last sentence end
    (``. ! ?`` and a space, or a line break; not after "Mrs." and other abbreviations) before ``start``
    to the first after ``end``; at most ``limit`` characters each side, surrounding whitespace excluded;
    never cutting a quotation (:func:`assistant.attribution.marks.balance_marks`)."""
    from .attribution.marks import balance_marks

    lo = max(0, start - limit)
    ends = [m.end() for m in re.finditer(_ABBREVIATION + r"[.!?][\"”’']?\s+(?=[\"“‘'A-Z0-9])|\n+", text[lo:start])]
    a = lo + ends[-1] if ends else lo
    m = re.search(_ABBREVIATION + r"[.!?](?:[\"”’'])?(?=\s|$)|\n", text[end:end + limit])
    b = end + m.end() if m else min(len(text), end + limit)
    a, b = balance_marks(text, a, b)
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _sentence_around(text: str, start: int, end: int) -> str:
    """The text of :func:`_sentence_span` (always a substring of ``text``)."""
    a, b = _sentence_span(text, start, end)
    return text[a:b]
