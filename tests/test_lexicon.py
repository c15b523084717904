"""The word lists of quote attribution (:mod:`assistant.attribution.lexicon`).

Cue lists are compared with ``token.lemma_.lower()``, which is one token: an
entry with a space or an underscore ("point_out") could never match, and an
upper-case letter never does.
"""

from __future__ import annotations

import pytest

from assistant.attribution import lexicon

CUE_LISTS = {
    "SPEECH_VERBS": lexicon.SPEECH_VERBS,
    "OBJECT_CONTENT_VERBS": lexicon.OBJECT_CONTENT_VERBS,
    "XCOMP_CONTENT_VERBS": lexicon.XCOMP_CONTENT_VERBS,
    "WEAK_VERBS": lexicon.WEAK_VERBS,
    "DIRECT_ONLY_VERBS": lexicon.DIRECT_ONLY_VERBS,
    "NAMING_VERBS": lexicon.NAMING_VERBS,
    "UTTER_VERBS": lexicon.UTTER_VERBS,
    "ADDRESSEE_VERBS": lexicon.ADDRESSEE_VERBS,
    "NOT_INDIRECT": lexicon.NOT_INDIRECT,
    "PARTICLE_CUES": set(lexicon.PARTICLE_CUES) | set(lexicon.PARTICLE_CUES.values()),
}
#: Noun lists also compared with one token's lemma or lower-cased text.
NOUN_LISTS = {
    "ORG_NOUNS": lexicon.ORG_NOUNS,
    "HUMAN_NOUNS": lexicon.HUMAN_NOUNS,
    "TITLE_NOUNS": lexicon.TITLE_NOUNS,
    "GENERIC_PERSON_HEADS": lexicon.GENERIC_PERSON_HEADS,
    "DOC_NOUNS": lexicon.DOC_NOUNS,
}


@pytest.mark.parametrize("name", sorted(CUE_LISTS) + sorted(NOUN_LISTS))
def test_entries_are_single_token_lemmas(name):
    entries = CUE_LISTS.get(name) or NOUN_LISTS[name]
    bad = sorted(e for e in entries if not e or "_" in e or " " in e or e != e.lower())
    assert not bad, f"{name}: entries that can never equal a token's lemma: {bad}"


def test_speech_verbs_cover_the_basic_cues():
    assert {"say", "tell", "add", "claim", "warn"} <= lexicon.SPEECH_VERBS


def test_dead_lists_are_gone():
    for name in ("COGNITION_VERBS", "CUE_PHRASES", "is_speech_verb", "all_cue_lemmas"):
        assert not hasattr(lexicon, name)
