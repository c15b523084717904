"""Quote extraction and speaker attribution for one article (the ``attribution`` package).

Pipeline (one spaCy parse, linear in the article length):

1. **Quotation marks** are paired per paragraph (straight and curly double
   quotes; a paragraph whose quote is not closed continues when the next
   paragraph opens with a mark, the newspaper convention for multi-paragraph
   quotes).  A quoted span long enough and standing at a sentence start (or
   after ``:``/``,``) is a *direct quote*; a short one inside a sentence
   ("constructive") is a *fragment* and only marks reported speech as mixed.
2. **Reporting verbs** (:mod:`.lexicon`, :mod:`.cues`) found in the dependency parse
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


Modules, one pass each, in the order :func:`extract_quotes_doc` runs them:
:mod:`.marks` (pairing quotation marks, text only), :mod:`.context` (the
per-article context), :mod:`.people` (the mentions table), :mod:`.cues`,
:mod:`.direct`, :mod:`.indirect` (with :mod:`.according`), :mod:`.headline`,
:mod:`.resolve` (speakers; the order of the resolvers is written once in
:mod:`.resolve.dispatch`), :mod:`.posts`.  Word lists and patterns are in
:mod:`.lexicon`, tunable numbers in :mod:`.settings`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .marks import find_quoted_spans

if TYPE_CHECKING:
    from .pipeline import extract_quotes, extract_quotes_doc

__all__ = ["extract_quotes", "extract_quotes_doc", "find_quoted_spans"]


def __getattr__(name: str):
    # the passes load on first use: assistant.speakers imports the word lists of
    # .lexicon, and the passes import assistant.speakers
    if name in ("extract_quotes", "extract_quotes_doc"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
