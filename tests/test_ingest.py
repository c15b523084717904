"""Ingestion and cleaning on real text, and every bad input named in the Foundation issue."""

from __future__ import annotations

import json
import re

import pytest
from conftest import SEED_ID, shared_path

from assistant.clean import clean_text, repair_run_together
from assistant.errors import IngestError
from assistant.ingest import decode_bytes, load_sources


def _seed_raw() -> str:
    return shared_path("corpus", f"{SEED_ID}.txt").read_text(encoding="utf-8")


def test_seed_article_is_cleaned_of_furniture_and_keeps_caption_once():
    raw = _seed_raw()
    result = load_sources([shared_path("corpus", f"{SEED_ID}.txt")])
    assert not result.problems
    (art,) = result.articles
    assert art.id == SEED_ID
    assert art.title.startswith("Korea to pursue engaging")
    assert (art.date, art.source) == ("2017-08-23", "Yonhap")  # from the file name and the wire credit
    lines = [line.strip() for line in art.text.split("\n") if line.strip()]
    for furniture in ("Back To Top", "MOST POPULAR", "LATEST NEWS", "subscribe"):
        assert furniture not in lines
    assert all(re.search(r"[A-Za-z]", line) for line in lines), "a line in another script survived"
    caption = next(line for line in raw.split("\n") if line.startswith("President Moon Jae-in (second from R)"))
    assert raw.count(caption) == 2
    assert art.text.count(caption.strip()) == 1
    # every body paragraph of the raw page is intact in the cleaned text
    body = [p.strip() for p in raw.split("\n") if len(p.split()) > 12]
    for para in body:
        assert para in art.text


def test_korea_herald_run_together_sentences_are_repaired():
    path = shared_path("corpus", "koreaherald-2020.jsonl")
    raw = [json.loads(line) for line in path.read_text().splitlines()]
    result = load_sources([path])
    assert len(result.articles) == len(raw)
    joined = re.compile(r"[a-z]{3,}[.!?][A-Z][a-z]")
    assert sum(len(joined.findall(r["text"])) for r in raw) > 100
    assert sum(len(joined.findall(a.text)) for a in result.articles) == 0
    first = next(a for a in result.articles if "pandemic. Some 100" in a.text)
    assert first.id.startswith("koreaherald-")


def test_repair_places_space_by_quote_parity():
    text = 'He said it was over."It is not," she replied.The end came.'
    fixed = repair_run_together(text)
    assert 'over. "It is not," she replied. The end' in fixed


def test_clean_text_keeps_ordinary_record_text():
    text = "Police said the road reopened on Monday.\n\nDrivers were told to expect delays."
    assert clean_text(text, page=False) == text


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\t \n", "no article text"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
        ("archive.md", b"PK\x03\x04" + bytes(100), "binary"),
        ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no main article text"),
        ("data.csv", b"a,b\n1,2\n", "unsupported file type"),
    ],
)
def test_bad_files_are_reported_by_name(tmp_path, name, content, problem):
    p = tmp_path / name
    p.write_bytes(content)
    result = load_sources([p])
    assert not result.articles
    (err,) = result.problems
    assert name in str(err) and problem in str(err)


def test_missing_path_is_reported(tmp_path):
    result = load_sources([tmp_path / "nowhere"])
    assert "no such file" in str(result.problems[0])


def test_non_utf8_texts_are_decoded(tmp_path):
    body = "Café owners said the new rules would hurt business in Montréal this winter."
    (tmp_path / "latin.txt").write_bytes(("Headline here\n\n" + body).encode("latin-1"))
    (tmp_path / "wide.txt").write_bytes(("Headline here\n\n" + body + " Others agreed.").encode("utf-16"))
    result = load_sources([tmp_path])
    assert not result.problems
    assert sorted(a.id for a in result.articles) == ["latin", "wide"]
    assert all(body in a.text for a in result.articles)


def test_decode_refuses_binary():
    with pytest.raises(IngestError, match="binary"):
        decode_bytes(b"%PDF-1.4 ...", "doc.txt")


def test_jsonl_bad_lines_name_file_and_line_and_good_records_survive(tmp_path):
    good = {"id": "a1", "title": "T", "text": "The mayor said the budget would be balanced next year."}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"id": "a2", "title": "no text"}),
        json.dumps({"id": "a3", "text": 42}),
        json.dumps({"id": "a1", "text": "A different text under the same id as the first record."}),
        json.dumps({"id": "a4", "text": "The mayor said the budget would be balanced next year."}),
    ]
    p = tmp_path / "batch.jsonl"
    p.write_text("\n".join(lines))
    result = load_sources([p])
    assert [a.id for a in result.articles] == ["a1"]
    messages = [str(e) for e in result.problems]
    assert any("batch.jsonl:2" in m and "not valid JSON" in m for m in messages)
    assert any("batch.jsonl:3" in m and "no 'text'" in m for m in messages)
    assert any("batch.jsonl:4" in m and "expected a string" in m for m in messages)
    assert any("duplicate id 'a1'" in m for m in messages)
    assert result.duplicates == 1  # a4 repeats a1's text


def test_folders_recurse_and_survive_symlink_loops(tmp_path):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "story one.md").write_text("# A headline\n\nThe minister said talks would resume in the spring.")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    result = load_sources([tmp_path])
    assert [a.id for a in result.articles] == ["story one"]
    assert result.articles[0].title == "A headline"


def test_html_main_text_title_are_extracted(tmp_path):
    page = """<html><head><title>Mayor backs transit plan</title><script>var x = 1;</script>
    <style>p {color: red}</style></head><body><nav>Home | News | Sports</nav>
    <article><h1>Mayor backs transit plan</h1>
    <p>The mayor said on Tuesday that the city would fund the new light-rail line in full, calling it
    the most important project of her term.</p>
    <p>"We cannot wait another decade," she told reporters at city hall, adding that construction
    could begin as early as next spring if the council agrees.</p></article>
    <footer>Subscribe to our newsletter</footer></body></html>"""
    (tmp_path / "transit.html").write_text(page)
    result = load_sources([tmp_path / "transit.html"])
    assert not result.problems
    (art,) = result.articles
    assert art.id == "transit" and "Mayor backs transit plan" in art.title
    assert "We cannot wait another decade" in art.text
    assert "var x" not in art.text and "color: red" not in art.text


def test_short_article_names_its_length_and_the_minimum(tmp_path):
    p = tmp_path / "short.jsonl"
    p.write_text(json.dumps({"id": "s1", "text": "Short text here ok"}) + "\n", encoding="utf-8")
    result = load_sources([p])
    assert not result.articles
    (err,) = result.problems
    assert "short.jsonl" in str(err)
    assert "article text is 18 characters, under the 20-character minimum" in str(err)


_HTML_PAGE = """<html><head><title>Harbour council approves ferry link</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour council approves ferry link</h1>
<p>The harbour council voted on Tuesday to fund a ferry link between Almsby and the island of Corwen,
ending a debate that has run for six years.</p>
<p>"This ferry will finally connect the island to the mainland hospital," said Councillor Marit Holloway,
who chairs the transport committee. She said the first crossings would start in the spring.</p>
<p>Opponents argued the money should go to road repairs, but the motion passed by nine votes to four.</p>
</article><footer>Copyright Almsby Gazette</footer></body></html>"""


def test_html_article_is_indexed_and_answered_through_the_public_api(tmp_path):
    """A fresh install must read .html (trafilatura -> jusText -> lxml_html_clean) end to end."""
    from assistant import Assistant

    page = tmp_path / "ferry.html"
    page.write_text(_HTML_PAGE, encoding="utf-8")
    assistant = Assistant.build([page], tmp_path / "index")
    answer = assistant.ask("Who said the ferry would connect the island to the hospital?")
    assert not answer.abstained, answer.text
    text = load_sources([page]).articles[0].text
    assert "Copyright Almsby Gazette" not in text and "Home" not in text.split()
    cited = [c for c in answer.citations if "connect the island to the mainland hospital" in c.text]
    assert cited and all(text[c.start:c.end] == c.text for c in answer.citations)
    assert cited[0].speaker.endswith("Marit Holloway")


def test_missing_html_dependency_names_the_package(tmp_path, monkeypatch):
    """An ImportError in trafilatura's chain is reported per file, naming the package to install."""
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "trafilatura":
            raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean.\n"
                              "Install lxml[html_clean] or lxml_html_clean directly.")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    page = tmp_path / "ferry.html"
    page.write_text(_HTML_PAGE, encoding="utf-8")
    result = load_sources([page])
    assert not result.articles
    (err,) = result.problems
    assert "ferry.html" in str(err) and "pip install lxml_html_clean" in str(err)
