"""Name/title/alias helpers and the cross-corpus speaker registry."""

from __future__ import annotations

import pytest

from assistant.models import Quote
from assistant.speakers import (
    aliases,
    build_registry,
    family_name,
    match_speaker,
    names_match,
    split_title,
)


@pytest.mark.parametrize(
    "mention, title, name",
    [
        ("Foreign Minister Kang Kyung-wha", "Foreign Minister", "Kang Kyung-wha"),
        ("Vice Foreign Minister Lim Sung-nam", "Vice Foreign Minister", "Lim Sung-nam"),
        ("another senior foreign ministry official Kim Hong-kyun",
         "senior foreign ministry official", "Kim Hong-kyun"),
        ("U.S. President Donald Trump", "U.S. President", "Donald Trump"),
        ("the foreign minister", "foreign minister", ""),
        ("Ms Hewitt", "", "Hewitt"),
        ("Prime Minister Justin Trudeau's", "Prime Minister", "Justin Trudeau"),
    ],
)
def test_split_title(mention, title, name):
    assert split_title(mention) == (title, name)


def test_aliases_family_name_order():
    assert aliases("Kang Kyung-wha") == ["Kang Kyung-wha", "Kang"]
    assert aliases("Moon Jae-in")[-1] == "Moon"
    assert aliases("Xi Jinping")[-1] == "Xi"
    assert aliases("Donald Trump") == ["Donald Trump", "Trump"]
    assert family_name("Harry J. Kazianis") == "Kazianis"
    assert family_name("Martin Luther King Jr.") == "King"
    assert aliases("Scheer") == ["Scheer"]


def test_names_match_alias_aware():
    assert names_match("Kang", "Kang Kyung-wha")
    assert names_match("Foreign Minister Kang Kyung-wha", "Kang Kyung-wha")
    assert names_match("Ms Hewitt", "Patricia Hewitt")
    # same family name counts as a match (the scoring convention) ...
    assert names_match("Kim", "Kim Gang-lip")
    assert not names_match("Trump", "Tillerson")


def _q(speaker, article, title="", kind="person", mention=None):
    return Quote(text="x", start=0, end=1, kind="direct", speaker=speaker,
                 speaker_type=kind, speaker_title=title, article_id=article,
                 mention=mention if mention is not None else speaker)


def test_registry_merges_unique_family_name_and_keeps_kims_apart():
    quotes = [
        _q("Kang Kyung-wha", "a1", "Foreign Minister"),
        _q("Kang Kyung-wha", "a1", "Foreign Minister", mention="she"),
        _q("Kang", "a2"),
        _q("Kim Hong-kyun", "a1", "senior foreign ministry official"),
        _q("Kim Gang-lip", "a3", "vice health minister"),
        _q("Kim", "a4"),
        _q("the ministry", "a3", kind="organization"),
        _q("police", "a5", kind="organization"),
        _q(None, "a5"),
    ]
    reg = build_registry(quotes)
    by_name = {s.name: s for s in reg}
    kang = by_name["Kang Kyung-wha"]
    assert kang.n_quotes == 3 and sorted(kang.articles) == ["a1", "a2"]
    assert "Kang" in kang.aliases and "Foreign Minister" in kang.titles
    assert kang.gender == "female"
    assert "Kim Hong-kyun" in by_name and "Kim Gang-lip" in by_name
    assert by_name["Kim"].n_quotes == 1  # ambiguous: not merged
    assert by_name["police"].type == "organization"
    assert [s.id for s in reg] == list(range(len(reg)))
    assert sum(s.n_quotes for s in reg) == 8


def test_match_speaker_references():
    quotes = [
        _q("Kang Kyung-wha", "a1", "Foreign Minister"),
        _q("Kim Gang-lip", "a3", "vice health minister"),
        _q("Kim Hong-kyun", "a1", "senior foreign ministry official"),
        _q("Andrew Scheer", "g1", "Conservative Leader"),
        _q("Justin Trudeau", "g1", "Prime Minister"),
        _q("Ministry of Health and Welfare", "a3", kind="organization",
           mention="the health ministry"),
        _q("police", "a5", kind="organization"),
    ]
    reg = build_registry(quotes)

    def top(ref):
        hits = match_speaker(ref, reg)
        return hits[0].name if hits else None

    assert top("Kang") == "Kang Kyung-wha"
    assert top("Foreign Minister Kang") == "Kang Kyung-wha"
    assert top("the foreign minister") == "Kang Kyung-wha"
    assert top("the vice health minister") == "Kim Gang-lip"
    assert top("Scheer") == "Andrew Scheer"
    assert top("the prime minister") == "Justin Trudeau"
    assert top("police") == "police"
    assert top("the health ministry") == "Ministry of Health and Welfare"
    assert match_speaker("Gandalf", reg) == []
    kims = {s.name for s in match_speaker("Kim", reg)}
    assert kims == {"Kim Gang-lip", "Kim Hong-kyun"}


def test_name_key_spelling_variants():
    from assistant.speakers import name_key

    assert name_key("Ki Mo-ran") == name_key("Ki Moran") == name_key("ki mo ran")
    assert name_key("Moon Jae-in") == name_key("Moon Jae In")
    assert name_key("Kim Jong-un") != name_key("Kim Jong-il")
    assert names_match("Ki Moran", "Ki Mo-ran")
    # the kind of apostrophe does not matter ("O’Neill" as printed, "O'Neill" as typed)
    assert name_key("O’Neill") == name_key("O'Neill")
    assert names_match("O’Neill", "Richard Yongjae O'Neill")
    reg = build_registry([_q("Richard Yongjae O'Neill", "k1", "violist")])
    assert [s.name for s in match_speaker("O’Neill", reg)] == ["Richard Yongjae O'Neill"]


def test_registry_merges_spelling_variants_and_acronyms():
    quotes = [
        _q("Ki Mo-ran", "k1", "Professor"),
        _q("Ki Moran", "k2", "preventive medicine specialist"),
        _q("Ki", "k2"),
        _q("Seoul Philharmonic Orchestra", "k3", kind="organization"),
        _q("SPO", "k3", kind="organization"),
        _q("SPO", "k9", kind="organization"),
        _q("ABC", "k4", kind="organization"),
        _q("Alberta Beef Council", "k5", kind="organization"),  # not quoted with ABC
    ]
    reg = build_registry(quotes)
    ki = [s for s in reg if s.name.startswith("Ki")]
    assert len(ki) == 1 and ki[0].name == "Ki Mo-ran" and ki[0].n_quotes == 3
    assert "Ki" in ki[0].aliases and "Moran" not in ki[0].aliases
    assert match_speaker("Ki Moran", reg)[0].name == "Ki Mo-ran"
    spo = [s for s in reg if s.name == "Seoul Philharmonic Orchestra"]
    assert spo and spo[0].n_quotes == 3 and "SPO" in spo[0].aliases
    assert {"ABC", "Alberta Beef Council"} <= {s.name for s in reg}


def test_registry_one_word_name_prefers_full_name_in_same_article():
    quotes = [
        _q("Jagmeet Singh", "g1", "NDP leader"),
        _q("Singh", "g1"),
        _q("Manmohan Singh", "g2"),
    ]
    reg = build_registry(quotes)
    names = {s.name: s.n_quotes for s in reg}
    assert names == {"Jagmeet Singh": 2, "Manmohan Singh": 1}


def test_generic_speakers_are_unknown_and_never_win_a_name_lookup():
    quotes = [
        _q("officials", "a1"),
        _q("data", "a2", kind="person"),
        _q("sources", "a3", kind="unknown"),
        _q("Kim Hong-kyun", "a1", "senior foreign ministry official"),
    ]
    reg = build_registry(quotes)
    types = {s.name: s.type for s in reg}
    assert types["officials"] == types["data"] == types["sources"] == "unknown"
    assert [s.name for s in match_speaker("Kim", reg)] == ["Kim Hong-kyun"]
    assert all(s.type != "unknown" for s in match_speaker("Mr. Data", reg))
    assert match_speaker("officials", reg)[0].name == "officials"
