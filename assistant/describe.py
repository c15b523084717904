""""Who is X?": the registry's description of a speaker, cited to the articles that name them.

The answer gives the speaker's titles (as the articles write them), how often and in how many
articles they are quoted, and for each of their first articles the sentence that first names them
in full, cited (kind ``passage``) so a reader sees the description in its source.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .kinds import QuestionType, QuoteKind, SpeakerType
from .models import Answer, Citation, Speaker

if TYPE_CHECKING:  # pragma: no cover
    from .answer import Answerer

#: Articles described in a "Who is X?" answer.
MAX_ARTICLES = 3


def first_mention(text: str, speaker: Speaker) -> tuple[int, int] | None:
    """Span of the first mention of the speaker's full name (else longest alias) in ``text``."""
    for name in sorted({speaker.name, *speaker.aliases}, key=len, reverse=True):
        m = re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text)
        if m:
            return m.start(), m.end()
    return None


def describe(answerer: Answerer, ref: str, cands: list[Speaker]) -> Answer:
    """The answer to "Who is ``ref``?" for the speakers ``cands`` it resolves to (best first; the first is
    described); abstains, naming where ``ref`` is mentioned, when there are none."""
    from .compose import _sentence_span

    if not cands:
        answer = answerer._unknown_speaker(ref, QuestionType.WHO_IS)
        return answer
    sp = cands[0]
    titles = [t for t in sp.titles if t][:3]
    kind = {SpeakerType.PERSON: "", SpeakerType.ORGANIZATION: " (an organisation)"}.get(sp.type, "")
    lines = [f"{sp.name}{kind}" + (f": {'; '.join(titles)}." if titles else ".")]
    n_art = len(sp.articles)
    lines.append(f"Quoted {sp.n_quotes} time{'s' if sp.n_quotes != 1 else ''} in {n_art} "
                 f"article{'s' if n_art != 1 else ''} of the index.")
    citations: list[Citation] = []
    for aid in sp.articles[:MAX_ARTICLES]:
        text = answerer.store.article_text(aid)
        at = first_mention(text, sp)
        if at is None:
            continue
        a, b = _sentence_span(text, *at)
        meta = answerer.store.article_meta(aid)
        citations.append(Citation(aid, meta["title"], meta["source"], meta["date"], a, b, text[a:b], sp.name,
                                  "", QuoteKind.PASSAGE, 1.0))
        lines.append(f"- In \"{meta['title'] or aid}\": {text[a:b]} [{len(citations)}]")
    lines.append(f"Ask \"What did {sp.name} say?\" to read the quotes.")
    return Answer("\n".join(lines), citations, abstained=False, speaker=sp.name, question_type=QuestionType.WHO_IS)
