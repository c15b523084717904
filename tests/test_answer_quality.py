"""The failure classes of answering on news nobody tuned on (issue "Answer quality"), each on a few
invented sentences: registry splits, question shapes, soft speaker evidence and how reported speech is shown."""

from __future__ import annotations

import pytest
from test_speakers import _q

from assistant import Assistant
from assistant.converse import DialogueState, analyse
from assistant.speakers import build_registry, match_speaker, person_name, real_title

# ---- the speaker registry -------------------------------------------------


def test_registry_keeps_one_person_under_title_honorific_and_stray_mark():
    reg = build_registry([
        _q("Councillor Marit Holloway", "a1"),
        _q("Marit Holloway", "a1", "Councillor"),
        _q("Ms Marit Holloway", "a2"),
        _q("Donald Trump '", "a3"),
        _q("Donald Trump", "a4"),
    ])
    names = sorted(s.name for s in reg)
    assert names == ["Donald Trump", "Marit Holloway"], names
    holloway = next(s for s in reg if s.name == "Marit Holloway")
    assert holloway.n_quotes == 3 and "Councillor" in holloway.titles


def test_registry_reads_a_short_given_name_as_its_long_form():
    reg = build_registry([_q("Mike Okonjo", "a1"), _q("Michael Okonjo", "a2"), _q("Bill Tarrant", "a3"),
                          _q("William Tarrant", "a3"), _q("Bob Tarrant", "a4")])
    counts = sorted((s.n_quotes, s.name.split()[-1]) for s in reg)
    assert counts == [(1, "Tarrant"), (2, "Okonjo"), (2, "Tarrant")], counts  # Bob (Robert) is someone else


def test_registry_reads_a_person_name_tagged_organisation_as_the_person():
    reg = build_registry([_q("Marit Holloway", "a1"), _q("Marit Holloway", "a2", kind="organization"),
                          _q("Holloway", "a2", kind="organization"), _q("Holloway Shipping", "a3", kind="organization"),
                          _q("Holloway Ministry", "a3", kind="organization")])
    by_name = {s.name: s for s in reg}
    assert by_name["Marit Holloway"].n_quotes == 3 and by_name["Marit Holloway"].type == "person"
    assert by_name["Holloway Ministry"].type == "organization"


def test_registry_titles_are_real_titles():
    reg = build_registry([_q("Alma Reyes", "a1", "London"), _q("Alma Reyes", "a2", "Labour MP"),
                          _q("Alma Reyes", "a3", "But"), _q("Alma Reyes", "a4", "city engineer")])
    assert reg[0].titles == ["Labour MP", "city engineer"]
    assert real_title("Labour") == "" and real_title("Backbench MP") == "Backbench MP"


def test_person_name_never_keeps_punctuation_or_honorifics():
    assert person_name("Donald Trump '")[0] == "Donald Trump"
    assert person_name("“Lucky,")[0] == "Lucky"
    assert person_name("Dr. Ana Ruiz")[0] == "Ana Ruiz"
    assert person_name("Martin Eze Jr.")[0] == "Martin Eze Jr."


def test_full_name_does_not_resolve_to_a_one_word_speaker_sharing_its_first_word():
    reg = build_registry([_q("Harriet", "a1"), _q("Harriet Vance", "a2"), _q("Tobias", "a3")])
    found = match_speaker("Harriet Vance", reg)
    assert found and found[0].name == "Harriet Vance"
    assert not match_speaker("Tobias Lund", reg), "a full name must not fall back on a given name"


# ---- question analysis ---------------------------------------------------


@pytest.mark.parametrize(("question", "qtype", "ref", "topic"), [
    ("Kang on China?", "speaker-topic", "Kang", "China"),
    ("Tell me what Kang said about China", "speaker-topic", "Kang", "China"),
    ("Can you show me what the minister has said on tariffs?", "speaker-topic", "the minister", "tariffs"),
    ("Show me Kang's remarks on the US", "speaker-topic", "Kang", "the US"),
    ("Who is Kim Hong-kyun?", "who-is", "Kim Hong-kyun", ""),
    ("What did Lim and Kim say about sanctions?", "speaker-topic", "Lim and Kim", "sanctions"),
    ("Which harbour commissioner promised to dredge the channel?", "who-said", "harbour commissioner",
     "harbour commissioner promised to dredge the channel"),
    ("Which article mentions the ferry?", "topic", "", "Which article mentions the ferry"),
    ("Which Manchester United player said the referee was wrong?", "who-said", "Manchester United player",
     "Manchester United player said the referee was wrong"),
    ("Which team won the cup?", "topic", "", "Which team won the cup"),
])
def test_question_shapes(question, qtype, ref, topic):
    q = analyse(question)
    assert (q.type, q.ref, q.topic) == (qtype, ref, topic)


@pytest.mark.parametrize("question", ["How did the minister respond to him?", "How did Trump respond?",
                                      "And what did Rubio say?", "Did the justice minister say anything?"])
def test_a_reply_keeps_the_conversation_topic(question):
    state = DialogueState(turns=1, topic="the Muslim ban", speaker_ids=[3])
    q = analyse(question, state)
    assert q.topic == "the Muslim ban" and q.follow_up and q.ref and not q.pronoun


def test_a_new_speaker_question_without_topic_starts_afresh():
    q = analyse("What did Tedros say?", DialogueState(turns=2, topic="masks"))
    assert q.type == "speaker-only" and q.topic == ""


# ---- answering on a small invented archive ------------------------------

ARTICLES = [
    {"id": "ferry", "title": "Harbour council approves ferry link", "date": "2024-03-05",
     "text": ("The harbour council voted on Tuesday to fund a ferry link between Almsby and the island of "
              "Corwen, ending a debate that has run for six years.\n\n"
              "\"This ferry will finally connect the island to the mainland hospital,\" said Councillor Marit "
              "Holloway, who chairs the transport committee. She said the first crossings would start in the "
              "spring.\n\n"
              "Opposition leader Tomas Brandt said the council had ignored the cost of fuel. \"Nobody has told us "
              "who pays when the diesel price doubles,\" Brandt said.\n\n"
              "Varnholt officials said the contract had been signed in February. Transport officer Lena Idris "
              "told reporters: \"The bus contract ends in June and the ferry takes over the route.\"")},
    {"id": "budget", "title": "Almsby budget passes", "date": "2024-04-10",
     "text": ("Almsby's budget passed on Monday after a long night of votes.\n\n"
              "\"We protected the libraries and the swimming pool,\" Marit Holloway said after the vote. "
              "Holloway added that the ferry subsidy was safe for three years.\n\n"
              "Brandt called the budget \"a lost chance\" and said taxes would rise next year.")},
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Assistant:
    d = tmp_path_factory.mktemp("quality")
    return Assistant.build(ARTICLES, d / "index")


def _valid(assistant: Assistant, answer) -> bool:
    return all(assistant.article(c.article_id).text[c.start:c.end] == c.text for c in answer.citations)


def test_one_speaker_across_articles_under_title_and_bare_name(archive):
    names = [s.name for s in archive.speakers("Holloway")]
    assert names == ["Marit Holloway"], names
    answer = archive.ask("What did Marit Holloway say about the ferry?")
    assert not answer.abstained and _valid(archive, answer)
    assert {c.article_id for c in answer.citations} == {"ferry", "budget"}
    assert any("connect the island" in c.text for c in answer.citations)


def test_several_speakers_are_answered_each(archive):
    answer = archive.ask("What did Holloway and Brandt say about the ferry?")
    assert _valid(archive, answer)
    speakers = {c.speaker for c in answer.citations}
    assert {"Marit Holloway", "Tomas Brandt"} <= speakers, answer.text
    assert "[1]" in answer.text and f"[{len(answer.citations)}]" in answer.text


def test_who_is_describes_the_speaker_with_citations(archive):
    answer = archive.ask("Who is Tomas Brandt?")
    assert not answer.abstained and answer.citations and _valid(archive, answer)
    assert "Opposition leader" in answer.text
    assert all("Brandt" in c.text for c in answer.citations)


def test_reported_speech_is_the_articles_sentence_not_a_quotation(archive):
    answer = archive.ask("What did Holloway say about the crossings?")
    indirect = [c for c in answer.citations if c.kind == "indirect"]
    assert indirect, answer.text
    line = next(line for line in answer.text.splitlines() if "first crossings" in line)
    assert "She said the first crossings would start in the spring." in line
    assert "“" not in line and "”" not in line


def test_direct_quotes_are_in_quotation_marks(archive):
    answer = archive.ask("What did Brandt say about the diesel price?")
    line = next(line for line in answer.text.splitlines() if "diesel" in line and line.startswith("- "))
    assert "“Nobody has told us who pays when the diesel price doubles”" in line


def test_a_group_reference_resolves_to_its_organisation(archive):
    # "Varnholt officials said ..." registers the organisation Varnholt; the group reference finds it
    answer = archive.ask("What did Varnholt officials say about the contract?")
    assert not answer.abstained, answer.text
    assert _valid(archive, answer)
    assert [c.speaker for c in answer.citations] == ["Varnholt"]
    assert "signed in February" in answer.citations[0].text


def test_an_off_topic_question_about_a_quoted_speaker_abstains(archive):
    answer = archive.ask("What did Brandt say about the football season?")
    assert answer.abstained and not answer.citations, answer.text


def test_a_bidi_mark_inside_a_quote_stays_in_the_cited_text(tmp_path):
    """A cited quote must stand in the source as published: format characters are not stripped."""
    import json

    from assistant import extract_quotes
    from assistant.ingest import load_sources

    body = ("The mayor of Qasr spoke on Friday. \"\u202aWe will rebuild the bridge before winter\u202c,\" "
            "Mayor Leila Haddad said.\x00 Work starts next month.")
    p = tmp_path / "bridge.jsonl"
    p.write_text(json.dumps({"id": "b1", "text": body}) + "\n", encoding="utf-8")
    (art,) = load_sources([p]).articles
    assert "\u202a" in art.text and "\x00" not in art.text
    (q,) = [q for q in extract_quotes(art.text) if q.kind == "direct"]
    assert "\u202aWe will rebuild" in q.text and art.text[q.start:q.end] == q.text
    assert q.speaker == "Leila Haddad"


def test_shown_text_keeps_inner_marks_and_whole_sentences():
    from assistant.compose import _sentence_around, display_text

    # a quotation inside a double-quoted quote keeps its closing mark
    assert display_text("“They told us, ‘oh, you have to approve it.’”") == "They told us, ‘oh, you have to approve it.’"
    assert display_text("'We will act,'") == "We will act"
    text = ("Voters were angry. Mrs. Trump said she believes her husband was egged on. "
            "He said: \"It's pretty rattling. You love your father.\" Then he left.")
    start = text.index("she believes")
    assert _sentence_around(text, start, start + 12) == "Mrs. Trump said she believes her husband was egged on."
    start = text.index("pretty rattling")
    shown = _sentence_around(text, start, start + 15)
    assert shown.count('"') % 2 == 0 and "You love your father." in shown


# ---- title-only references ---------------------------------------------------

TITLED = [
    {"id": "rugby", "title": "Walsh unmoved by Robson complaint", "date": "2024-02-12",
     "text": ("Ireland coach Eddie Walsh was surprised that England coach Andy Robson criticised the referee "
              "after Sunday's match in Dublin.\n\n"
              "\"We lost one lineout and they lost five, so I do not know what he is complaining about,\" "
              "Walsh said.\n\n"
              "Robson said: \"Only one side was refereed today, and the lineout calls went against us.\"\n\n"
              "England captain Jason Robson said the squad would recover. \"We are not in decline,\" he said.")},
    {"id": "cup", "title": "No action over manager's remarks", "date": "2024-02-14",
     "text": ("An FA spokesman told reporters: \"We have looked at the manager's comments and no further action "
              "will be taken.\"\n\n"
              "Analysts said the fall in ticket sales had hurt the smaller clubs this season.")},
    {"id": "port", "title": "New commissioner for Almsby harbour", "date": "2024-03-01",
     "text": ("The appointment of Lena Ortiz as the new harbour commissioner was announced on Monday. "
              "\"We will dredge the channel this summer,\" Ortiz said.\n\n"
              "Rafael Gomez, the dean of the Almsby law school, said the harbour ruling was badly drafted.")},
]


@pytest.fixture(scope="module")
def titled(tmp_path_factory) -> Assistant:
    return Assistant.build(TITLED, tmp_path_factory.mktemp("titled") / "index")


@pytest.mark.parametrize("question, speaker", [
    ("What did the Ireland coach say about the lineout?", "Eddie Walsh"),
    ("What did the England coach say about the referee?", "Andy Robson"),
    ("What did the England rugby coach say about the lineout calls?", "Andy Robson"),
    ("What did the harbour commissioner say about the channel?", "Lena Ortiz"),
    ("What did the dean of the law school say about the harbour ruling?", "Rafael Gomez"),
])
def test_a_title_only_reference_finds_the_holder_of_that_title(titled, question, speaker):
    # the words before another person's name ("... surprised that England coach Andy Robson") do not
    # describe Eddie Walsh, and "England" alone (the captain) is not "the England coach"
    answer = titled.ask(question)
    assert answer.speaker == speaker, answer.text
    assert not answer.abstained and _valid(titled, answer)


def test_an_acronym_reference_is_the_body_written_so_not_a_word_it_begins(titled):
    answer = titled.ask("What did the FA say about the manager's comments?")
    assert not answer.abstained, answer.text
    assert "Analysts" not in (answer.speaker or "") and "no further action" in answer.citations[0].text


def test_which_description_said_prefers_the_speaker_so_described(titled):
    answer = titled.ask("Which harbour commissioner promised to dredge the channel?")
    assert answer.speaker == "Lena Ortiz", answer.text
    assert answer.citations and all(c.speaker == "Lena Ortiz" for c in answer.citations) and _valid(titled, answer)
