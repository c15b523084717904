"""The web app: escaping, uploads, the /ask API over gradio_client, and a real browser (Chromium).

The app runs in-process on a free port over a copy of the seed index (built once per
session by ``conftest.seed_index``). Browser tests are marked ``browser`` and skip
when /usr/bin/chromium is absent (``apt-get install -y chromium``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"

from assistant.models import Article, Citation  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KANG_CHINA = ("stepped-up communication with China and Russia", "strategic communication with China and Russia")
HOSTILE_ID = "hostile-article"
HOSTILE_TEXT = (
    "Security officials met in Seoul on Monday to discuss web safety and the risks of hostile pages.\n\n"
    '"Never paste <script>alert(1)</script> or <img src=x onerror=alert(1)> into a page, because the browser '
    'runs it," Interior Minister Park Ji-won said on Monday.\n\n'
    "Park added that templates like {{constructor}} and ${alert(2)} must be shown as plain text as well."
)
HOSTILE_TITLE = "<img src=x onerror=alert(3)> Hostile headline"

# ---- every outbound connection made by this process is recorded (loopback is fine) ----
_CONNECTS: list[object] = []


def _audit(event: str, args: tuple) -> None:
    if event == "socket.connect":
        addr = args[1]
        if isinstance(addr, tuple) and addr and isinstance(addr[0], str):
            host = addr[0]
            if not (host.startswith("127.") or host in ("::1", "localhost", "0.0.0.0")):
                _CONNECTS.append(addr)


sys.addaudithook(_audit)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ======================================================================================
# Pure functions: no index needed
# ======================================================================================


def _cite(text: str, start: int, **kw) -> Citation:
    fields = dict(article_id="a1", title="T", source="S", date="2020-01-01", speaker="Jane Roe", cue="said",
                  kind="direct", score=1.0)
    fields.update(kw)
    return Citation(start=start, end=start + len(text), text=text, **fields)


def test_escape_helpers_neutralise_markup():
    from assistant.webapp import esc, escape_markdown

    hostile = '<script>alert(1)</script> <img src=x onerror=alert(1)> {{x}} ${y}'
    out = esc(hostile)
    assert "<" not in out and ">" not in out and "{" not in out and "$" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    md = escape_markdown(hostile + " *bold* [link](http://x)")
    assert "<script" not in md and "<img" not in md
    assert "\\*bold\\*" in md and "\\[link\\]\\(http://x\\)" in md


def test_render_citation_highlights_quote_in_context_and_escapes():
    from assistant.webapp import render_citation

    article = "Before text. " * 40 + '"Say <b>hi</b>," she said.' + " After text." * 40
    quote = '"Say <b>hi</b>,"'
    start = article.index(quote)
    c = _cite(quote, start, title="<i>Title</i>", source="<b>Src</b>", speaker="<u>Jane</u>", cue="said")
    out = render_citation(2, c, article)
    assert "<mark>&quot;Say &lt;b&gt;hi&lt;/b&gt;,&quot;</mark>" in out
    assert "[2]" in out and "&lt;i&gt;Title&lt;/i&gt;" in out and "&lt;b&gt;Src&lt;/b&gt;" in out
    assert "&lt;u&gt;Jane&lt;/u&gt;" in out and "<i>said</i>" in out
    assert "<b>hi" not in out and "<u>" not in out
    assert out.count("…") == 2  # context cut on both sides, about 300 chars each
    assert len(out) < 2000


def test_format_answer_markdown_escapes_and_lists_sources():
    from assistant.models import Answer
    from assistant.webapp import format_answer_markdown

    c = _cite("<script>x</script>", 0)
    md = format_answer_markdown(Answer(text="Roe said:\n- “<script>x</script>” [1]", citations=[c]))
    assert "<script" not in md
    assert "**\\[1\\]**" in md and "- " in md and "Sources" in md


def test_upload_name_with_dotdot_is_stored_under_generated_name(tmp_path):
    from assistant.webapp import safe_display_name, stage_uploads

    src = tmp_path / "incoming" / "payload.txt"
    src.parent.mkdir()
    src.write_text("Some article text that is long enough to index.")
    uploads = tmp_path / "index" / "uploads"
    check = stage_uploads([(src, "../../x.txt")], uploads)
    assert not check.refused
    (up,) = check.staged
    assert up.path.parent == uploads
    assert up.path.name != "x.txt" and len(up.path.stem) == 32 and up.path.suffix == ".txt"
    assert up.display_name == "x.txt"
    assert not (tmp_path / "x.txt").exists() and not (tmp_path / "index" / "x.txt").exists()
    assert sorted(p.name for p in uploads.iterdir()) == [up.path.name]
    assert safe_display_name("..\\..\\evil<script>.md") == "evil_script_.md"
    assert safe_display_name("...") == "upload"


def test_upload_limits_name_the_file(tmp_path):
    from assistant.webapp import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, stage_uploads

    big = tmp_path / "huge-report.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_UPLOAD_BYTES + 1)
    small = tmp_path / "ok.md"
    small.write_text("# Title\n\nA small article, long enough to keep.")
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    check = stage_uploads([big, small, exe], tmp_path / "uploads")
    assert [u.display_name for u in check.staged] == ["ok.md"]
    assert any("huge-report.txt" in m and "limit" in m for m in check.refused), check.refused
    assert any("tool.exe" in m and "unsupported" in m for m in check.refused), check.refused
    many = stage_uploads([small] * (MAX_UPLOAD_FILES + 1), tmp_path / "uploads2")
    assert not many.staged and "limit is" in many.refused[0]


def test_import_assistant_does_not_import_gradio():
    code = "import sys, assistant; assert 'gradio' not in sys.modules, 'gradio imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


# ======================================================================================
# The app over the seed index
# ======================================================================================


@pytest.fixture(scope="session")
def web_index(seed_index, tmp_path_factory) -> Path:
    """A private copy of the seed index (the app adds articles to it)."""
    d = tmp_path_factory.mktemp("web") / "index"
    shutil.copytree(seed_index, d)
    return d


@pytest.fixture(scope="session")
def assistant(web_index):
    from assistant import Assistant

    return Assistant.load(web_index)


@pytest.fixture(scope="session")
def app_url(assistant):
    """The app served in-process on a free port of 127.0.0.1."""
    from assistant.webapp import build_app

    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=1)
    port = _free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, ssr_mode=False)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="session")
def hostile(assistant):
    """Add the hostile article (tags inside a quote, title and source) to the live index."""
    summary = assistant.add(
        [Article(id=HOSTILE_ID, text=HOSTILE_TEXT, title=HOSTILE_TITLE, source="<b>Evil</b> Times", date="2026-01-01")]
    )
    assert summary.added_articles == 1, summary.line()
    return assistant


def _client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False)


def test_api_endpoint_is_documented(app_url):
    info = _client(app_url).view_api(return_format="dict", print_info=False)
    assert "/ask" in info["named_endpoints"]
    params = info["named_endpoints"]["/ask"]["parameters"]
    assert [p["parameter_name"] for p in params] == ["question"]


def test_api_answers_and_follows_up_per_session(app_url):
    client = _client(app_url)
    text, citations = client.predict("What did Kang say about China?", api_name="/ask")
    assert any(s in text for s in KANG_CHINA), text
    assert citations and citations[0]["speaker"] == "Kang Kyung-wha"
    assert any(any(s in c["text"] for s in KANG_CHINA) for c in citations)
    assert "[1]" in text

    text2, cites2 = client.predict("And what about the US?", api_name="/ask")
    assert "Kang" in text2 or any(c["speaker"] == "Kang Kyung-wha" for c in cites2), text2



def test_two_clients_keep_separate_conversations(app_url):
    """Interleaved turns of two clients: each follow-up leans on its own client's history."""
    a, b = _client(app_url), _client(app_url)
    a.predict("What did Kang say about China?", api_name="/ask")
    b.predict("What did Lim say about Trump?", api_name="/ask")
    text_a, cites_a = a.predict("And what about the US?", api_name="/ask")
    text_b, cites_b = b.predict("And what about the US?", api_name="/ask")
    assert "Kang" in text_a and "Lim" not in text_a, text_a
    assert all(c["speaker"] == "Kang Kyung-wha" for c in cites_a), cites_a
    assert "Lim" in text_b and "Kang" not in text_b, text_b
    assert all(c["speaker"] == "Lim Sung-nam" for c in cites_b), cites_b


def test_concurrent_sessions_do_not_share_history(app_url):
    results: dict[str, str] = {}

    def run(name: str, first: str) -> None:
        c = _client(app_url)
        c.predict(first, api_name="/ask")
        results[name] = c.predict("And what about the US?", api_name="/ask")[0]

    threads = [
        threading.Thread(target=run, args=("kang", "What did Kang say about China?")),
        threading.Thread(target=run, args=("lim", "What did Lim say about Trump?")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert "Kang" in results["kang"] and "Lim" not in results["kang"], results
    assert "Kang" not in results["lim"], results


def test_hostile_article_is_escaped_in_sources_and_speakers(hostile):
    from assistant.webapp import _article_text_fn, render_quotes, render_sources, speaker_rows

    a = hostile
    cites = a.quotes_of("Park Ji-won")
    assert any("<script>alert(1)</script>" in c.text for c in cites), [c.text for c in cites]
    for html_out in (render_quotes("Park Ji-won", cites, _article_text_fn(a)),
                     render_sources(cites, 1, _article_text_fn(a))):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_out
        assert "&lt;img src=x onerror=alert(1)&gt;" in html_out
        assert "&lt;img src=x onerror=alert(3)&gt; Hostile headline" in html_out
        low = html_out.lower()
        assert "<script" not in low and "<img" not in low and "<b>evil" not in low
        assert "${" not in html_out and "{{" not in html_out
        assert "<mark>" in html_out
    answer = a.chat().ask("What did Park say about pasting scripts?")
    assert answer.citations and answer.citations[0].speaker == "Park Ji-won"
    from assistant.webapp import format_answer_markdown

    md = format_answer_markdown(answer)
    assert "<script" not in md.lower() and "<img" not in md.lower()
    assert ["Park Ji-won"] == [r[0] for r in speaker_rows(a.speakers("park"))]


def test_upload_adds_articles_usable_at_once(assistant, web_index, tmp_path):
    from assistant.webapp import add_uploads

    src = tmp_path / "tmpupload.txt"
    src.write_text(
        "Ferry service to Jeju resumes after storm\n\n"
        "Ferry service between Mokpo and Jeju resumed on Tuesday after a two-day halt caused by the storm.\n\n"
        '"All routes are open again and passengers should check the timetable before leaving home," '
        "Transport Minister Han Seo-yeon said at a briefing.\n"
    )
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    conv = assistant.chat()
    stages: list[str] = []
    report = add_uploads(
        assistant, [(src, "../../ferry news.txt"), (big, "big.txt")], web_index / "uploads",
        progress=lambda s, d, t: stages.append(s),
    )
    assert report.added_ids == ["ferry_news"], report
    assert any("big.txt" in m and "MB" in m for m in report.bad), report.bad
    assert {"parse", "embed"} <= set(stages)
    (stored,) = report.stored
    assert stored.parent == web_index / "uploads" and stored.name != "ferry news.txt"
    assert not (web_index.parent.parent / "ferry news.txt").exists()
    assert assistant.article("ferry_news").title.startswith("Ferry service")
    # a conversation opened before the upload sees it from its next question
    answer = conv.ask("What did Han say about the ferry routes?")
    assert answer.citations and answer.citations[0].article_id == "ferry_news", answer.text
    assert "All routes are open again" in answer.text
    assert "big.txt" in report.html() and "<script" not in report.html()
    again = add_uploads(assistant, [(src, "ferry news.txt")], web_index / "uploads")
    assert not again.added_ids and not again.stored and "already in the index" in again.html()
    assert sorted(p.name for p in (web_index / "uploads").iterdir()) == [stored.name]


def test_first_run_indexes_the_sample_with_progress(tmp_path, capsys):
    from assistant.webapp import has_index, prepare_index

    d = tmp_path / "fresh-index"
    prepare_index(d)
    err = capsys.readouterr().err
    assert has_index(d)
    assert "indexing the bundled sample" in err and "finding quotes: 1/1" in err and "indexed 1 article" in err
    prepare_index(d)  # a second start reuses it
    assert "indexing" not in capsys.readouterr().err


def test_app_script_serves_existing_index_quickly(web_index):
    """``python app.py`` on a built index answers HTTP within seconds (the index loads in the background)."""
    import urllib.request

    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--index", str(web_index), "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        t0 = time.time()
        ok = False
        while time.time() - t0 < 30 and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    ok = r.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        elapsed = time.time() - t0
        assert ok, f"app did not serve; exit={proc.poll()}"
        # about 3-5 s on an idle 2-core machine (mostly importing gradio); slack for a loaded CI runner
        assert elapsed < 25, f"took {elapsed:.1f} s to serve"
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert "Serving" in out and "indexing the bundled sample" not in out, out


# ======================================================================================
# A real browser
# ======================================================================================


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: install it with `apt-get install -y chromium` (never `playwright install`)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh page on the app that records dialogs and requests leaving 127.0.0.1."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.dialogs = []
    pg.external = []

    def on_dialog(d):
        pg.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("request", lambda r: pg.external.append(r.url) if r.url.split("/")[2].split(":")[0] not in ("127.0.0.1", "localhost") and r.url.startswith("http") else None)
    pg.goto(app_url)
    pg.wait_for_selector("#wsw-question textarea", timeout=30000)
    yield pg
    ctx.close()


def _ask_in_page(pg, question: str) -> None:
    pg.fill("#wsw-question textarea", question)
    pg.click("#wsw-ask")


def _wait_answer_done(pg, n_answers: int) -> None:
    """Wait until the chat shows ``n_answers`` finished answers (streaming over)."""
    pg.wait_for_function(
        """n => { const t = (document.querySelector('#wsw-chat')?.innerText || '');
                  return !t.includes('Looking for quotes') && !t.includes('\u258c')
                         && (t.match(/Sources|no quote|No answer|Error/g) || []).length >= n; }""",
        arg=n_answers,
        timeout=90000,
    )


@pytest.mark.browser
def test_browser_ask_shows_quote_citation_and_highlight(page, tmp_path):
    _ask_in_page(page, "What did Kang say about China?")
    _wait_answer_done(page, n_answers=1)
    page.wait_for_selector("#wsw-sources mark", timeout=30000)
    chat = page.inner_text("#wsw-chat")
    assert any(s in chat for s in KANG_CHINA), chat
    assert "[1]" in chat
    mark = page.inner_text("#wsw-sources mark")
    assert any(s in mark for s in KANG_CHINA) or "communication with China and Russia" in mark, mark
    assert "Kang Kyung-wha" in page.inner_text("#wsw-sources")
    # the second citation, by its number
    page.get_by_label("[2]").check()
    page.wait_for_function("() => document.querySelector('#wsw-sources [data-citation=\"2\"]') !== null", timeout=15000)
    # the follow-up in the same page keeps the speaker
    _ask_in_page(page, "And what about the US?")
    _wait_answer_done(page, n_answers=2)
    time.sleep(1.5)  # let the last update settle before the screenshot
    shot = tmp_path / "ask.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert "Kang" in page.inner_text("#wsw-chat").split("And what about the US?")[-1]
    assert not page.dialogs and not page.external, (page.dialogs, page.external)


@pytest.mark.browser
def test_browser_hostile_article_runs_nothing(page, hostile, tmp_path):
    _ask_in_page(page, "What did Park say about pasting scripts?")
    _wait_answer_done(page, n_answers=1)
    page.wait_for_selector("#wsw-sources mark", timeout=30000)
    time.sleep(1)
    sources = page.inner_text("#wsw-sources")
    assert "<script>alert(1)</script>" in sources and "<img src=x onerror=alert(1)>" in sources, sources
    assert "<img src=x onerror=alert(3)> Hostile headline" in sources
    assert page.locator("#wsw-sources script, #wsw-sources img, #wsw-chat img[src='x'], #wsw-chat script").count() == 0
    chat = page.inner_text("#wsw-chat")
    assert "<script>alert(1)</script>" in chat, chat
    # the speakers tab: pick Park, read the quotes
    page.get_by_role("tab", name="Speakers").click()
    page.fill("#wsw-speaker-search textarea, #wsw-speaker-search input", "park")
    page.wait_for_function(
        "() => (document.querySelector('#wsw-speakers')?.innerText || '').includes('Park Ji-won')"
        " && !(document.querySelector('#wsw-speakers')?.innerText || '').includes('Kang Kyung-wha')",
        timeout=15000,
    )
    page.locator("#wsw-speakers").get_by_text("Park Ji-won", exact=True).filter(visible=True).first.click()
    page.wait_for_selector("#wsw-speaker-quotes mark", timeout=15000)
    quotes = page.inner_text("#wsw-speaker-quotes")
    assert "{{constructor}} and ${alert(2)}" in quotes, quotes
    assert page.locator("#wsw-speaker-quotes script, #wsw-speaker-quotes img").count() == 0
    time.sleep(1)
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert not page.dialogs, page.dialogs
    assert not page.external, page.external


@pytest.mark.browser
def test_browser_upload_then_ask(page, tmp_path):
    art = tmp_path / "rail strike.txt"
    art.write_text(
        "Rail unions call off weekend strike\n\n"
        "Rail unions called off a planned weekend strike on Thursday after overnight talks with the operator.\n\n"
        '"We reached a fair deal on safety staffing and the trains will run as normal," '
        "Labor Minister Oh Min-jae said on Thursday.\n"
    )
    page.get_by_role("tab", name="Add articles").click()
    page.locator("#wsw-upload input[type=file]").set_input_files(str(art))
    page.wait_for_function(
        "() => (document.querySelector('#wsw-upload')?.innerText || '').includes('rail')", timeout=30000
    )
    page.click("#wsw-add")
    page.wait_for_function(
        "() => /Added|Not added/.test((document.querySelector('#wsw-add-result')?.innerText || ''))", timeout=120000
    )
    result = page.inner_text("#wsw-add-result")
    assert "Added: rail_strike" in result, result
    time.sleep(1.5)
    page.screenshot(path=str(tmp_path / "upload.png"), full_page=True)
    page.get_by_role("tab", name="Ask").click()
    _ask_in_page(page, "What did Oh Min-jae say about safety staffing?")
    _wait_answer_done(page, n_answers=1)
    assert "fair deal on safety staffing" in page.inner_text("#wsw-chat")
    page.screenshot(path=str(tmp_path / "upload-ask.png"), full_page=True)
    page.wait_for_selector("#wsw-sources mark", timeout=30000)
    assert "Rail unions call off weekend strike" in page.inner_text("#wsw-sources")
    assert not page.dialogs and not page.external


class _FakeAssistant:
    """Just enough of the Assistant API for the page, with hostile speaker names and titles."""

    NAME = "<img src=x onerror=alert(5)>Evil Name"
    TEXT = 'Intro. "<script>alert(6)</script> is text," she said.'

    def counts(self):
        return {"articles": 1, "quotes": 1, "speakers": 1}

    def speakers(self, query=""):
        from assistant.models import Speaker

        return [Speaker(name=self.NAME, titles=["<script>alert(7)</script>"], articles=["a1"], n_quotes=1)]

    def quotes_of(self, name):
        start = self.TEXT.index('"<script>')
        end = self.TEXT.index(" she")
        return [_cite(self.TEXT[start:end], start, speaker=self.NAME, title="<b>T</b>")]

    def article(self, aid):
        return Article(id=aid, text=self.TEXT)

    def chat(self):
        raise AssertionError("not used")


@pytest.mark.browser
def test_browser_speakers_table_shows_hostile_names_as_text(browser, tmp_path):
    from assistant.webapp import build_app

    demo = build_app(_FakeAssistant())
    demo.queue()
    port = _free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, ssr_mode=False)
    try:
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.goto(f"http://127.0.0.1:{port}/")
        pg.get_by_role("tab", name="Speakers").click()
        pg.wait_for_function(
            "() => (document.querySelector('#wsw-speakers')?.innerText || '').includes('Evil Name')", timeout=30000
        )
        table = pg.inner_text("#wsw-speakers")
        assert "<img src=x onerror=alert(5)>Evil Name" in table and "<script>alert(7)</script>" in table, table
        pg.locator("#wsw-speakers").get_by_text("Evil Name").filter(visible=True).first.click()
        pg.wait_for_selector("#wsw-speaker-quotes mark", timeout=15000)
        quotes = pg.inner_text("#wsw-speaker-quotes")
        assert "<script>alert(6)</script> is text" in quotes and "<img src=x onerror=alert(5)>Evil Name" in quotes
        assert pg.locator("#wsw-speakers img, #wsw-speakers script, #wsw-speaker-quotes img, "
                          "#wsw-speaker-quotes script").count() == 0
        time.sleep(1)
        pg.screenshot(path=str(tmp_path / "speakers.png"), full_page=True)
        assert not dialogs, dialogs
        pg.close()
    finally:
        demo.close()


def test_no_outbound_connections():
    """Nothing in this process (app, models, gradio) connected beyond the loopback interface."""
    assert not _CONNECTS, _CONNECTS
