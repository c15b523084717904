"""Quote extraction and in-article speaker attribution.

Unit cases use short news-style snippets written for these tests; the seed
tests read the seed article bundled in the package.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.attribution import extract_quotes, extract_quotes_doc, find_quoted_spans
from assistant.nlp import MAX_CHUNK, chunks, load_nlp

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
#: The seed article as bundled in the package (the same bytes as ../shared/corpus's copy).
SEED = Path(__file__).resolve().parents[1] / "assistant" / "data" / "yonhap-2017-08-23-moon-engage-denuclearize.txt"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _by_text(quotes, fragment):
    hits = [q for q in quotes if fragment in q.text]
    assert hits, f"no quote containing {fragment!r}: {[q.text for q in quotes]}"
    return hits[0]


def _check_offsets(text, quotes):
    for q in quotes:
        assert text[q.start:q.end] == q.text
        if q.mention:
            assert text[q.mention_start:q.mention_end] == q.mention
        if q.cue:
            assert text[q.cue_start:q.cue_end] == q.cue
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)


def test_direct_cue_after_and_pronoun(nlp):
    text = (
        "Mayor Linda Okafor defended the new bus lanes on Tuesday.\n\n"
        "\u201cThe lanes are working and ridership is up,\u201d Okafor said.\n\n"
        "\u201cWe will not go back to the old schedule,\u201d she added."
    )
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    q1 = _by_text(qs, "ridership is up")
    q2 = _by_text(qs, "old schedule")
    assert q1.kind == q2.kind == "direct"
    assert q1.text.startswith("\u201c") and q1.text.endswith("\u201d")
    assert q1.speaker == "Linda Okafor" and q1.cue == "said"
    assert q2.speaker == "Linda Okafor" and q2.mention == "she" and q2.cue == "added"


def test_cue_before_with_colon_and_straight_quotes(nlp):
    text = ('Fire Chief Tomas Berg told reporters: "The blaze started in the kitchen '
            'and spread quickly through the roof."')
    qs = extract_quotes(text, nlp)
    q = _by_text(qs, "blaze started")
    assert q.kind == "direct" and q.speaker == "Tomas Berg"
    assert q.speaker_title == "Fire Chief"


def test_inverted_cue_and_floating_quote(nlp):
    text = (
        '"Prices have climbed for six straight months," said Priya Raman, an economist '
        'at a Toronto bank.\n\n'
        '"Nobody expects that to change before the spring."\n\n'
        'The central bank meets next week.'
    )
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    assert _by_text(qs, "six straight months").speaker == "Priya Raman"
    floating = _by_text(qs, "Nobody expects")
    assert floating.cue == "" and floating.speaker == "Priya Raman"


def test_indirect_and_scare_quotes_are_mixed(nlp):
    text = ('Health Minister Ravi Mehta said the province will hire 300 nurses this year. '
            'He called the plan "ambitious" but said it was "entirely achievable" '
            'within the budget.')
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    ind = _by_text(qs, "will hire 300 nurses")
    assert ind.kind == "indirect" and ind.speaker == "Ravi Mehta"
    # a one-word scare quote is never a direct quote by itself
    assert not any(q.kind == "direct" and q.text.strip('"') == "ambitious" for q in qs)
    mixed = [q for q in qs if "entirely achievable" in q.text]
    assert mixed and mixed[0].kind == "mixed" and mixed[0].speaker == "Ravi Mehta"


def test_quoted_words_attributed_by_naming_verbs(nlp):
    text = ('Mayor Linda Okafor described the delay as "unacceptable and avoidable." '
            'Outside, protesters chanted "Fix our buses!" for an hour.')
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    q = _by_text(qs, "unacceptable and avoidable")
    assert q.kind == "direct" and q.cue == "described" and q.speaker == "Linda Okafor"
    chant = _by_text(qs, "Fix our buses!")
    assert chant.cue == "chanted" and chant.speaker == "protesters"


def test_according_to_and_organisation(nlp):
    text = ("Two people were hurt in the crash, according to Ottawa police. "
            "The ministry said the road would reopen on Friday.")
    qs = extract_quotes(text, nlp)
    q = _by_text(qs, "Two people were hurt")
    assert q.cue == "according to" and q.speaker_type == "organization"
    assert "police" in (q.speaker or "").lower()
    q2 = _by_text(qs, "road would reopen")
    assert q2.speaker_type == "organization"


def test_person_inside_quote_is_not_speaker(nlp):
    text = ('"Prime Minister Arnold Wexley has made a serious mistake on trade," '
            'opposition leader Carla Nunes said on Monday.')
    qs = extract_quotes(text, nlp)
    q = _by_text(qs, "serious mistake")
    assert q.speaker == "Carla Nunes"


def test_multi_paragraph_quote(nlp):
    text = (
        'Coach Dana Ruiz said after the game: "We played hard in the first half and '
        'we kept our shape.\n\n'
        '"In the second half we lost our legs and they punished us for it."\n\n'
        "The team plays again on Saturday."
    )
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    first = _by_text(qs, "kept our shape")
    second = _by_text(qs, "lost our legs")
    assert first.kind == second.kind == "direct"
    assert first.speaker == second.speaker == "Dana Ruiz"
    assert "The team plays" not in first.text + second.text


def test_hard_wrapped_wire_text(nlp):
    text = (
        "Grain shipments through the port rose sharply in\n"
        "March as dry weather let barges move again, the port\n"
        "authority said in its monthly report on Tuesday.\n"
        "    Harbour master Lena Ortiz said traffic would stay\n"
        "high through the spring because farmers were clearing\n"
        "stocks held back during the winter freeze.\n"
        "    Rates for river freight were unchanged.\n"
    )
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    q = _by_text(qs, "traffic would stay")
    assert "clearing\nstocks held back" in q.text  # not cut at the line wrap
    assert q.speaker == "Lena Ortiz"
    first = _by_text(qs, "Grain shipments")
    assert first.speaker_type == "organization" and "authority" in first.mention


def test_headline_attribution(nlp):
    text = ("Harmon: New levy will not touch family farms\n\n"
            "Agriculture Minister Ruth Harmon defended the levy on Monday.")
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    q = _by_text(qs, "New levy will not touch")
    assert q.cue == ":" and q.speaker == "Ruth Harmon"


def test_parenthetical_cues(nlp):
    text = ("Too often, he says, the clinics close before workers get off their shifts. "
            "The rent, according to the tenants' union, has doubled since 2015.")
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    assert any(q.text.startswith("the clinics close") for q in qs)
    q = _by_text(qs, "has doubled since 2015")
    assert q.cue == "according to" and "union" in q.mention


def test_participle_cue_starts_new_quote(nlp):
    text = ("Councillor Amir Haddad said the budget was balanced, adding that "
            "property taxes would rise by two per cent.")
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    first = _by_text(qs, "the budget was balanced")
    assert "property taxes" not in first.text
    second = _by_text(qs, "property taxes would rise")
    assert second.speaker == first.speaker == "Amir Haddad"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        'He said "this never closes and goes on ' + "and on " * 3000,
        "\x00\x01 said \x07 \"\x00\" \x1b",
        "Der Minister sagte, dass die Regierung handeln werde. « Nous verrons », a-t-il dit.",
        '"""""" "" " “ ” ” “',
        "No quotation here at all, just a plain sentence about weather.",
    ],
)
def test_bad_input_no_crash_no_invented_quote(nlp, text):
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    for q in qs:
        assert q.end - q.start < 2000


def test_unclosed_mark_does_not_swallow_article(nlp):
    body = "The council voted on the budget. " * 200
    text = 'The mayor said "we are ready.\n\n' + body + '\n\nShe said the vote was close.'
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    assert all(q.end - q.start < 500 for q in qs)
    assert any("vote was close" in q.text for q in qs)


def test_huge_paragraph_is_chunked(nlp):
    sentence = 'The agency said the figures were preliminary. "Demand is strong," she said. '
    huge = sentence * 13500  # over 1 MB, one paragraph
    assert len(huge) > 1_000_000
    pieces = chunks(huge)
    assert "".join(pieces) == huge
    assert max(len(p) for p in pieces) <= MAX_CHUNK
    # parsing a whole megabyte takes over a minute; a 60 kB paragraph goes
    # through the same chunked path
    text = sentence * 800
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    assert len(qs) >= 1000
    assert all(q.end - q.start < 200 for q in qs)


def test_find_quoted_spans_pairs_per_paragraph():
    text = 'A "b c" d.\n\nE "f g h.\n\n"I j k," l said.'
    spans = find_quoted_spans(text)
    got = [text[s.start:s.end] for s in spans]
    assert '"b c"' in got and '"I j k,"' in got
    assert not any("\n" in g for g in got)


# ---------------------------------------------------------------- seed article

@pytest.fixture(scope="module")
def seed(nlp):
    text = SEED.read_text(encoding="utf-8")
    return text, extract_quotes(text, nlp, article_id=SEED.stem)


@pytest.mark.parametrize(
    "fragment, speaker, cue",
    [
        ("simultaneously pursue efforts to engage North Korea", "Moon Jae-in", "said"),
        ("Efforts for denuclearizing North Korea", "Moon Jae-in", "quoted as saying"),
        ("There were some notable remarks", "Lim Sung-nam", "said"),
        ("reaffirmed South Korea's determination", "Lim Sung-nam", "according to"),
        ("mobilize both sanctions and dialogue", "Kim Hong-kyun", "said"),
        ("continue to review the adoption of its own sanctions", "Kim Hong-kyun", "unveiling"),
        ("the need for stepped-up communication", "Kang Kyung-wha", "emphasized"),
        ("importance of a \"watertight\" alliance", "Kang Kyung-wha", "underlined"),
        ("seek a \"turning point\"", "Kang Kyung-wha", "pledged"),
        ("While maintaining watertight coordination", "Kang Kyung-wha", "said"),
        ("Based on strong coordination with the US", "Kang Kyung-wha", "added"),
        ("policy direction on what it calls people's diplomacy", "Kang Kyung-wha", "explained"),
        ("the ministry will strengthen its platform", "Kang Kyung-wha", "said"),
        ("the ministry will launch a safety center", "Kang Kyung-wha", "added"),
    ],
)
def test_seed_quotes(seed, fragment, speaker, cue):
    text, qs = seed
    _check_offsets(text, qs)
    q = _by_text(qs, fragment)
    assert q.speaker == speaker, (q.text[:60], q.speaker, q.mention)
    assert q.cue == cue
    assert q.article_id == SEED.stem


def test_seed_pronoun_mentions(seed):
    _, qs = seed
    added = _by_text(qs, "Based on strong coordination")
    assert added.mention == "she" and added.kind == "direct"
    said_that = _by_text(qs, "strengthen its platform")
    assert said_that.mention == "she" and said_that.kind == "indirect"
    assert said_that.text.startswith("that the ministry")


def test_seed_trump_remark_is_lims(seed):
    _, qs = seed
    for q in qs:
        assert q.speaker not in {"Donald Trump", "Rex Tillerson"}
    q = _by_text(qs, "Rex Tillerson")
    assert q.speaker == "Lim Sung-nam" and q.speaker_title == "Vice Foreign Minister"


def test_seed_scare_quotes_not_direct(seed):
    _, qs = seed
    for q in qs:
        if q.kind == "direct":
            assert len(q.text.split()) > 3
    assert _by_text(qs, '"constructive"').kind == "mixed"


def test_unparsed_doc_is_refused(nlp):
    doc = nlp.make_doc('"We will win," she said.')
    with pytest.raises(ValueError):
        extract_quotes_doc(doc)


def test_seed_registry(seed):
    from assistant.speakers import build_registry, match_speaker

    _, qs = seed
    reg = build_registry(qs)
    names = {s.name for s in reg}
    assert {"Moon Jae-in", "Lim Sung-nam", "Kim Hong-kyun", "Kang Kyung-wha"} <= names
    kang = next(s for s in reg if s.name == "Kang Kyung-wha")
    assert kang.n_quotes >= 8 and "Kang" in kang.aliases and "Foreign Minister" in kang.titles
    assert match_speaker("the foreign minister", reg)[0].name == "Kang Kyung-wha"
    assert match_speaker("the vice foreign minister", reg)[0].name == "Lim Sung-nam"
    assert match_speaker("Moon", reg)[0].name == "Moon Jae-in"


def test_safe_pipe_keeps_order_and_lengths(nlp):
    from assistant.nlp import pipe

    texts = ["Short one said hi.", "word " * 6000, "\x00 odd \x07 text", ""]
    docs = list(pipe(texts, nlp, batch_size=2))
    assert [len(d.text) for d in docs] == [len(t) for t in texts]
    assert docs[1].has_annotation("DEP")
    assert "paragraph_breaks" in nlp.pipe_names


# ---- generic speakers, organisations, sentence bounds (made-up snippets)


def test_unnamed_official_speaks_for_named_organisation(nlp):
    text = ("A Harbour Authority official told reporters that the pier will reopen in June. "
            "He said repairs were ahead of schedule.\n\n"
            "Officials said the ferry would keep running.")
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    q = _by_text(qs, "pier will reopen")
    assert q.speaker == "Harbour Authority" and q.speaker_type == "organization"
    # "he" after an unnamed official stays with that official's organisation
    assert _by_text(qs, "repairs were ahead").speaker == "Harbour Authority"
    plural = _by_text(qs, "ferry would keep running")
    assert plural.speaker_type == "unknown"


def test_unnamed_official_without_organisation_stays_generic(nlp):
    text = ("The city has no plan to raise fares this year, an official said Friday. "
            "The review is still at an early stage, the official said.")
    qs = extract_quotes(text, nlp)
    for frag in ("no plan to raise fares", "review is still"):
        q = _by_text(qs, frag)
        assert q.speaker == "official" and q.speaker_type == "unknown"


def test_cue_of_previous_sentence_is_not_a_cue_before(nlp):
    text = ('Mayor Linda Okafor spoke at the opening. "It is clear that the new line is the '
            'way to go," Okafor was quoted as saying. "We need a grand plan for the whole '
            'network."\n\nThe line opens in May.')
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    q = _by_text(qs, "grand plan")
    assert q.cue == "" and q.speaker == "Linda Okafor"


def test_full_stop_quote_takes_no_distant_cue(nlp):
    text = ('"We will finish the bridge on time." The project refers to a plan to counter '
            'traffic jams in the old town, officials explained.')
    qs = extract_quotes(text, nlp)
    q = [x for x in qs if "finish the bridge" in x.text]
    assert not q or q[0].cue != "counter"


def test_document_noun_resolves_to_issuer(nlp):
    text = ("The Northern Policy Institute released a report on Monday about rural roads. "
            "The report said two in five bridges need urgent repair.\n\n"
            "A statement from the Ontario Trucking Association said drivers face long detours.")
    qs = extract_quotes(text, nlp)
    assert _by_text(qs, "two in five bridges").speaker == "Northern Policy Institute"
    assert "Ontario Trucking Association" in (_by_text(qs, "long detours").speaker or "")


def test_person_headed_mention_with_organisation_is_a_person(nlp):
    text = ("Omar Haddad, the league's commissioner, opened the season on Friday.\n\n"
            "The NHL commissioner said ticket sales were the best in a decade.")
    qs = extract_quotes(text, nlp)
    q = _by_text(qs, "ticket sales")
    assert q.speaker_type == "person"


def test_dateline_is_not_part_of_an_indirect_quote(nlp):
    text = ("OTTAWA — In the last week of August, the party announced a plan that differed "
            "from its rivals: leader Maria Costa promised a large rise in transit spending.")
    qs = extract_quotes(text, nlp)
    assert not any(q.text.startswith("OTTAWA") for q in qs)


def test_quoted_title_is_not_a_quote(nlp):
    text = ('The film, "The Boy Who Would Be King," opens Friday. Critics liked it.')
    qs = extract_quotes(text, nlp)
    assert not any("Would Be King" in q.text and q.kind == "direct" for q in qs)


def test_hyphen_spelling_variants_are_one_person(nlp):
    text = ("Preventive medicine specialist Ki Mo-ran warned of a second wave.\n\n"
            '"Masks remain essential," Ki Moran said.')
    qs = extract_quotes(text, nlp)
    assert _by_text(qs, "Masks remain").speaker == "Ki Mo-ran"


# ---- Korea Herald articles (cleaned text, from ../shared; skipped where absent)


def _kh_article(article_id):
    return _shared_article("koreaherald-2020.jsonl", article_id)


def _shared_article(corpus, article_id):
    """The cleaned text of one record of a ../shared corpus file (skipped where absent)."""
    import json

    from assistant.clean import clean_text

    path = SHARED / "corpus" / corpus
    if not path.exists():
        pytest.skip(f"{path} is absent")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] == article_id:
                return clean_text(rec["text"], page=False)
    pytest.skip(f"{article_id} not in {path}")


def test_kh_knapper_quotes_not_given_to_kim_jong_un(nlp):
    text = _kh_article("koreaherald-20200520000692")
    qs = extract_quotes(text, nlp)
    for frag in ("leave the door open", "fulfill the spirit of the Singapore"):
        assert _by_text(qs, frag).speaker == "Marc Knapper"
    assert not any(q.speaker and "sides" in q.speaker for q in qs)


def test_kh_moon_green_new_deal_quotes_have_a_speaker(nlp):
    text = _kh_article("koreaherald-20200520000815")
    qs = extract_quotes(text, nlp)
    for frag in ("Green New Deal is the way", "grand plan for the Green"):
        assert _by_text(qs, frag).speaker == "Moon Jae-in"
    q = _by_text(qs, "make public specific schemes")
    assert q.speaker == "Cheong Wa Dae" and q.speaker_type == "organization"


def test_embedded_post_is_a_quote_of_its_author(nlp):
    text = ("Crews worked through the night.\n\n"
            "Damage is unprecedented with hundreds of trees on power lines across the island. "
            "pic.twitter.com/AbC123xyz \u2014 Harbour Power (@harbourpower) December 22, 2018\n\n"
            "Repairs could take days.")
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    q = _by_text(qs, "Damage is unprecedented")
    assert q.kind == "direct" and q.speaker == "Harbour Power"
    assert q.text.endswith("across the island.") and "pic.twitter" not in q.text


def test_kh_bare_police_is_the_police_station_named_before(nlp):
    text = _kh_article("koreaherald-20200521000901")
    qs = extract_quotes(text, nlp)
    for frag in ("went outside on eight different days", "surveillance camera footage"):
        q = _by_text(qs, frag)
        assert q.mention.lower() == "police"
        assert q.speaker == "Seodaemun Police Station" and q.speaker_type == "organization"


def test_acronym_speaker_is_spelled_out_and_the_utility_is_named(nlp):
    text = ("Immigration, Refugees and Citizenship Canada (IRCC) reviewed the file in March. "
            "IRCC said a final decision on the application would come within weeks.\n\n"
            "BC Hydro crews restored power to 40,000 homes. The utility said more than 800 "
            "field workers will stay on the job overnight.")
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)
    q = _by_text(qs, "final decision")
    assert q.mention == "IRCC" and q.speaker == "Immigration, Refugees and Citizenship Canada"
    assert _by_text(qs, "800 field workers").speaker == "BC Hydro"


def test_kh_bare_official_speaks_for_the_organisation_quoted_just_before(nlp):
    text = _kh_article("koreaherald-20200521000665")
    qs = extract_quotes(text, nlp)
    q = _by_text(qs, "large part of the May 24 Measures")
    assert q.mention == "an official"
    assert q.speaker == "Unification Ministry" and q.speaker_type == "organization"
    # "an official at the State Department" names their own organisation
    assert _by_text(qs, "supports inter-Korean cooperation").speaker == "State Department"


def test_family_name_the_parser_missed_still_carries_the_speaker(nlp):
    text = _shared_article("ggt-2019.jsonl", "ggt-5c49ef691e67d78e272197a5")
    qs = extract_quotes(text, nlp)
    # "Niederreiter has four goals ... The 26-year-old right wing said his new teammates ..."
    q = _by_text(qs, "new teammates have been creating")
    assert q.speaker == "Nino Niederreiter"
    assert _by_text(qs, "great playmakers").speaker == "Nino Niederreiter"
    # "Vancouver's Bo Horvat": the city is not part of his name
    assert "Bo Horvat" in {x.speaker for x in qs} and not any("Vancouver" in (x.speaker or "") for x in qs)


def test_document_quotes_go_to_their_issuer(nlp):
    # CP Rail's winter white paper: "says a document titled White Paper: ... on Canadian
    # Pacific Railway's website", "The white paper said ...", "A report by the railway
    # company ... the report said": every one is the railway's, not the safety board's.
    text = _shared_article("ggt-2019.jsonl", "ggt-5c5e50711e67d78e27616b23")
    qs = extract_quotes(text, nlp)
    for frag in ("Harsh winter conditions", "cold increases air leakage",
                 "Trains are shortened when temperatures dip", "unavoidably increases"):
        assert _by_text(qs, frag).speaker == "Canadian Pacific Railway", frag
    # "economist Philip Cross wrote in a recent report ... the report said": the writer
    text = _shared_article("ggt-2019.jsonl", "ggt-5c2aa6971e67d78e27b9ab24")
    q = _by_text(extract_quotes(text, nlp), "infrastructure spending in Canada across all")
    assert q.mention == "the report" and q.speaker == "Philip Cross"


def test_cue_stranded_after_a_prepositional_name(nlp):
    # "The remarks came a day after Keith Krach, undersecretary of state ..., said that he
    # ...": the parser hangs Krach under "after"; he is still the one who said it.
    text = _kh_article("koreaherald-20200521000746")
    q = _by_text(extract_quotes(text, nlp), "he and South Korean officials talked about")
    assert q.speaker == "Keith Krach" and q.mention == "Keith Krach"


def test_feature_epithets_and_untagged_surnames_name_the_person(nlp):
    # '"...," says the bow-tied maverick': the person the story is about (Andre Campbell)
    text = _shared_article("ggt-2019.jsonl", "ggt-5c1dccbf1e67d78e279807d8")
    q = _by_text(extract_quotes(text, nlp), "a whole lot of representation of disabled")
    assert q.speaker == "Andre Campbell"
    # "the lanky, bespectacled professor said": the mention is cut at the comma
    text = _shared_article("ggt-2019.jsonl", "ggt-5c201b371e67d78e279e248a")
    assert _by_text(extract_quotes(text, nlp), "know any carmaker").speaker == "Guenther Schuh"
    # "Woods said he likes ...": "Woods" tagged a common noun is still Tiger Woods
    text = _shared_article("ggt-2019.jsonl", "ggt-5c48278d1e67d78e271c1a28")
    assert _by_text(extract_quotes(text, nlp), "likes having caddie").speaker == "Tiger Woods"


def test_called_for_is_reported_speech_of_the_office_holder(nlp):
    # "..., Oman and Bahrain, Seoul's top diplomat called for stepped-up efforts to
    # provide ...": "called for" reports a demand (unlike "called it a sham"), and
    # "Seoul's top diplomat" is the minister the article names (Kang Kyung-wha).
    text = _kh_article("koreaherald-20200520000942")
    q = _by_text(extract_quotes(text, nlp), "stepped-up efforts to provide the best assistance")
    assert q.cue == "called" and q.kind == "indirect"
    assert q.speaker == "Kang Kyung-wha"
    # a naming "call" still reports nothing
    qs = extract_quotes("Smith called the plan a disaster for the town's budget.", nlp)
    assert not qs


def test_loose_cues_find_the_named_speaker(nlp):
    # 'Nienaber said "nobody knows ...," and added: "I promise you ..."': both his
    text = _shared_article("ggt-2019.jsonl", "ggt-5c4962f31e67d78e271f9498")
    qs = extract_quotes(text, nlp)
    for frag in ("nobody knows the story", "I promise you, those people"):
        q = _by_text(qs, frag)
        assert q.speaker == "Joe Nienaber" and q.mention != "and", frag
    # '"...," Pierre Gignac, EDC's then-chief risk officer, mentioned in a 2013 commentary'
    text = _shared_article("ggt-2019.jsonl", "ggt-5c5d532a795bd2d5c282a094")
    q = _by_text(extract_quotes(text, nlp), "largest political risk insurance claim")
    assert q.speaker == "Pierre Gignac"


def test_seat_of_government_speaks_as_an_organisation(nlp):
    # '"Cheong Wa Dae has no "conclusive" position on ..., an official said': the
    # presidential office (tagged PERSON by the NER model) is who the official speaks for,
    # and so are the official's next words.
    text = _kh_article("koreaherald-20200522000256")
    qs = extract_quotes(text, nlp)
    for frag in ("has no \"conclusive\" position", "still in a planning stage", "no conclusive answer"):
        q = _by_text(qs, frag)
        assert (q.speaker, q.speaker_type) == ("Cheong Wa Dae", "organization"), frag


def test_relative_who_makes_its_antecedent_the_described_speaker(nlp):
    # "I'm talking about Alfonso Espinos, who like Montalban was born in Mexico ...
    # '...,' says the 39-year-old founder of Studiocomix Press": Espinos is the subject
    # of the "who" clause, so the description is his (not the actor named inside it).
    text = _shared_article("ggt-2019.jsonl", "ggt-5c1dccbf1e67d78e279807d8")
    qs = extract_quotes(text, nlp)
    for frag in ("We dedicate ourselves solely", "If you want Marvel"):
        assert _by_text(qs, frag).speaker == "Alfonso Espinos", frag


def test_titled_name_tagged_as_organisation_is_a_person(nlp):
    # "Wet'suwet'en Hereditary Chief Na'moks said he ..." (the NER tags it all ORG):
    # the chief is a person, and the next "he said" quotes are his, not the RCMP officer's.
    text = _shared_article("ggt-2019.jsonl", "ggt-5c3e11b11e67d78e27f2357a")
    qs = extract_quotes(text, nlp)
    q = _by_text(qs, "consider those actions to be threatening")
    assert (q.speaker, q.speaker_type) == ("Na'moks", "person")
    assert "Chief" in q.speaker_title
    for frag in ("When you discuss a threatening action", "some inhumanity that happened"):
        assert _by_text(qs, frag).speaker == "Na'moks", frag
    # company names that open with a title word stay organisations
    qs = extract_quotes("General Motors said it would close the plant in Oshawa next year.", nlp)
    assert (qs[0].speaker, qs[0].speaker_type) == ("General Motors", "organization")


def test_description_after_inverted_cue_and_past_a_relative_clause(nlp):
    # "There is a particular satisfaction, insists 16-year-old Xander Wise, in seeing ...
    # '...,' says the self-taught Cambridge resident, who sold 40 copies of his ... comic
    # Forgotten Grunt: The Undead Soldier": the resident is Wise (the parser made him the
    # object of "insists"), and the comic's title is not an apposed name.
    text = _shared_article("ggt-2019.jsonl", "ggt-5c1dccbf1e67d78e279807d8")
    qs = extract_quotes(text, nlp)
    for frag in ("months and months of doing panels", "have that copy in your hands"):
        assert _by_text(qs, frag).speaker == "Xander Wise", frag
    assert not any(q.speaker and "Soldier" in q.speaker for q in qs)


def test_book_title_tagged_as_a_person_speaks_no_quote(nlp):
    # "'...,' says Cecil Foster, author of the new book They Call Me George: ...
    # 'You had no identity. You were just a George.'" The memoir "My Name's Not George",
    # named later and tagged PERSON, is no one's name: the cue-less quote stays Foster's.
    text = _shared_article("ggt-2019.jsonl", "ggt-5c5490681e67d78e2742d421")
    qs = extract_quotes(text, nlp)
    assert _by_text(qs, "You had no identity").speaker == "Cecil Foster"
    assert not any(q.speaker and "George" in q.speaker for q in qs)


def test_unnamed_witness_is_the_referent_of_the_next_pronoun(nlp):
    # "..., a private security professional present during the attack told Reuters. ...
    # Eventually the militants holed up ..., he said": the mention stops before the
    # postposed "present", and "he" continues that unnamed witness, not President Kenyatta
    # (named earlier).
    text = _shared_article("ggt-2019.jsonl", "ggt-5c3fefc41e67d78e270257d3")
    qs = extract_quotes(text, nlp)
    q = _by_text(qs, "left a grenade in the lobby")
    assert q.mention == "a private security professional"
    q = _by_text(qs, "holed up on or near the top floor")
    assert q.mention == "he" and q.speaker == "private security professional"


def test_addressee_of_tell_is_not_the_pronoun_speaker(nlp):
    # 'Asked what he would tell Toronto Mayor John Tory about being homeless, he said:
    # "Just listen. ..."': the mayor is spoken to; "he" is Dennis Brooks, the story's subject.
    text = _shared_article("ggt-2019.jsonl", "ggt-5c25054e1e67d78e27aac4ef")
    q = _by_text(extract_quotes(text, nlp), "Just listen. Just listen to us. We")
    assert q.mention == "he" and q.speaker == "Dennis Brooks"


def test_pronoun_after_an_untagged_surname_and_not_after_a_place(nlp):
    # "Zbrowski did not hesitate. / '...,' he said": a surname named once that the NER
    # left untagged is the previous sentence's subject, so "he" is him ...
    qs = extract_quotes("The veteran pitcher spoke last. Zbrowski did not hesitate.\n\n"
                        "\"It is this for sure,\" he said.", nlp)
    assert _by_text(qs, "this for sure").speaker == "Zbrowski"
    # ... but a place as that subject is no referent: "he" stays the person named before
    qs = extract_quotes("Prime Minister John Smith spoke to reporters on Monday. Russia rejected "
                        "the plan on Tuesday. \"We will keep talking,\" he said.", nlp)
    assert _by_text(qs, "keep talking").speaker == "John Smith"


def test_unnamed_speaker_of_the_other_gender_is_not_the_pronoun(nlp):
    # an unnamed woman who spoke last is no referent for "he"
    qs = extract_quotes("John Smith, the mayor, spoke first. A woman in the crowd told reporters "
                        "the plan was unfair. \"It will not work,\" he said.", nlp)
    assert _by_text(qs, "plan was unfair").speaker == "woman"
    assert _by_text(qs, "It will not work").speaker == "John Smith"


def test_object_of_a_coordinated_verb_is_not_a_subject(nlp):
    # "Lee smiled and asked Bob Hartley about it": Hartley is asked, he does not speak next
    qs = extract_quotes("Tom Lee spoke to the board on Monday. Lee smiled and asked Bob Hartley "
                        "about it. \"We are ready,\" he said.", nlp)
    assert _by_text(qs, "We are ready").speaker == "Tom Lee"


def test_name_in_a_nouns_modifier_does_not_take_the_pronoun(nlp):
    # "Gref ... was keen to distance himself from Mr Iliaronov's comments. The
    # privatisation of companies such as Yukos ... had been badly handled, he said. But he
    # stressed ...": every "he" is German Gref, not the oil company the NER tagged a person.
    text = _shared_article("bbc-2005.jsonl", "bbc-business-426")
    qs = extract_quotes(text, nlp)
    for frag in ("privatisation of companies such as Yukos", "government needed to get out of oil",
                 "should it become a state-owned company"):
        assert _by_text(qs, frag).speaker == "German Gref", frag
    assert not any(q.speaker == "Yukos" for q in qs)


def test_surname_split_off_by_the_ner_stays_in_the_name(nlp):
    # "European Commission President Ursula von der Leyen" (PERSON "Ursula von der" + "Leyen")
    text = _kh_article("koreaherald-20200521000707")
    q = _by_text(extract_quotes(text, nlp), "As in any crisis, when our industrial")
    assert q.speaker == "Ursula von der Leyen"


def test_curly_apostrophes_are_parsed_as_apostrophes_but_quoted_verbatim(nlp):
    from assistant.nlp import clean_for_parse

    s = "O’Neill said ‘fine’ and didn’t stop."
    assert clean_for_parse(s) == "O'Neill said ‘fine’ and didn't stop."  # quote marks kept
    # "violist Richard Yongjae O’Neill": with the curly apostrophe the small English model
    # reads "O’Neill" as an adverb, and his "he said" quotes went to violinist Yang In-mo
    text = _kh_article("koreaherald-20200521000893")
    qs = extract_quotes(text, nlp)
    _check_offsets(text, qs)  # quote texts and mentions stand verbatim, curly marks and all
    for frag in ("It was a good lesson to be with myself in stasis", "I missed it so much"):
        assert _by_text(qs, frag).speaker == "Richard Yongjae O'Neill", frag
    with pytest.raises(ValueError, match="characters"):
        extract_quotes_doc(nlp("He said so."), text="He said so!!")
