"""The dashboard in Chromium, each test against a freshly started `streamlit run app.py`.

What only a real browser shows: the first deep link on a fresh server (Streamlit's folder-page
trap, see `ui.runner.page`), the address bar following the filters, filters kept across a page
switch, a shared link reproducing a view in a new browser, and escaped article text that runs no
script. Screenshots of every page go to `test-artifacts/`.

Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); Playwright never downloads a browser.
Without it these tests skip locally, and fail in CI (CI=true), where a skip would hide a gap.
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.dashboard_corpus import INJECTION_TITLE, ROOT, SEEDS, expected_counts, seeded_store

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def _missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set $CHROMIUM)"
    return None


MISSING = _missing_browser()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# On a developer's machine without Chromium these tests skip; in CI they fail instead.
pytestmark = pytest.mark.skipif(bool(MISSING) and not IN_CI, reason=MISSING or "")


def _need_browser():
    if MISSING:
        pytest.fail(f"browser tests cannot run in CI: {MISSING}")


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return seeded_store(tmp_path_factory.mktemp("browser"), injection=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, store: Path, seeds: Path | None, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "ANALYSIS_STORE": str(store), "ANALYSIS_SEEDS": str(seeds) if seeds else ""}
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1", "--client.showErrorDetails", "full"],
            cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def server(store_dir, tmp_path):
    """A freshly started server on a free port: no session has run `st.navigation` yet."""
    s = Server(store_dir, None, tmp_path / "streamlit.log")
    yield s
    s.stop()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1440, "height": 1800})
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    ctx.close()


def settle(pg, timeout: float = 60) -> None:
    """Wait until the app has rendered and no script run is in progress."""
    pg.wait_for_selector("[data-testid='stApp']", timeout=timeout * 1000)
    pg.wait_for_selector("h1", timeout=timeout * 1000)
    deadline = time.time() + timeout
    quiet_since = None
    while time.time() < deadline:
        running = pg.locator("[data-testid='stStatusWidget']").count() > 0 or \
            pg.locator("[data-testid='stSkeleton']").count() > 0
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.time()
        elif time.time() - quiet_since > 1.5:
            break
        time.sleep(0.2)
    assert pg.locator("[data-testid='stException']").count() == 0, pg.locator("[data-testid='stException']").first.inner_text()


def caption_count(pg) -> tuple[int, str]:
    text = pg.locator("[data-testid='stCaptionContainer']", has_text=re.compile(r"^[\d,]+ quotes?\b")).first.inner_text()
    return int(re.match(r"([\d,]+)", text).group(1).replace(",", "")), text


def params(url: str) -> dict:
    return parse_qs(urlparse(url).query)


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_deep_link_first_visit_on_a_fresh_server(server, store_dir, page):
    want = expected_counts(store_dir)["narang"]
    page.goto(server.url + "/quotes?speaker=Vipin%20Narang")
    settle(page)
    assert page.locator("h1").first.inner_text() == "Quotes"
    n, text = caption_count(page)
    assert n == want > 0, text
    assert "Filtered: speaker Vipin Narang." in page.locator("[data-testid='stMain']").inner_text()
    assert params(page.url) == {"speaker": ["Vipin Narang"]}
    # The sidebar filter shows the speaker: app.py ran, not pages/quotes.py on its own.
    assert "Vipin Narang" in page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.inner_text()
    shot(page, "quotes-vipin-narang")


def test_filter_survives_page_switches(server, store_dir, page):
    want = expected_counts(store_dir)["narang"]
    page.goto(server.url + "/quotes?speaker=Vipin%20Narang")
    settle(page)
    page.get_by_role("link", name="Speakers").first.click()
    settle(page)
    assert urlparse(page.url).path == "/speakers"
    assert params(page.url).get("speaker") == ["Vipin Narang"]
    assert page.locator("h2", has_text="Vipin Narang").count() >= 1
    page.get_by_role("link", name="Quotes").first.click()
    settle(page)
    assert params(page.url).get("speaker") == ["Vipin Narang"]
    assert caption_count(page)[0] == want
    page.get_by_role("link", name="Overview").first.click()
    settle(page)
    assert params(page.url).get("speaker") == ["Vipin Narang"]


def test_changing_a_filter_changes_the_url_and_the_url_reproduces_the_view(server, browser, page):
    page.goto(server.url + "/quotes")
    settle(page)
    total, _ = caption_count(page)
    box = page.locator("[data-testid='stSidebar'] input[aria-label='Search quotes, speakers, titles']")
    box.fill("Easley")
    box.press("Enter")
    settle(page)
    deadline = time.time() + 10
    while "q" not in params(page.url) and time.time() < deadline:
        time.sleep(0.2)
    assert params(page.url).get("q") == ["Easley"]
    n, text = caption_count(page)
    assert 0 < n < total
    shown = page.locator("[data-testid='stMain']").inner_text()
    # The same link in a new browser (fresh context: no cookies, no session) shows the same rows.
    other = browser.new_context(viewport={"width": 1440, "height": 1800})
    try:
        p2 = other.new_page()
        p2.goto(page.url)
        settle(p2)
        n2, text2 = caption_count(p2)
        assert (n2, text2) == (n, text)
        assert "Filtered: search “Easley”." in shown
        assert p2.locator("[data-testid='stMain']").inner_text() == shown
    finally:
        other.close()


def test_quote_download_holds_every_row_of_the_view(server, store_dir, page):
    """The CSV is built when the button is clicked (the page lists only the first rows of a long
    result); it holds the filtered quotes, all of them, with the table's columns."""
    want = expected_counts(store_dir)["narang"]
    page.goto(server.url + "/quotes?speaker=Vipin%20Narang")
    settle(page)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name=re.compile(r"Download .*quotes")).click()
    with open(download.value.path(), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == want > 0
    assert {r["speaker"] for r in rows} == {"Vipin Narang"}
    assert ["quote", "speaker", "description", "role", "cue", "kind", "date", "outlet", "article", "url", "article_id",
            "start", "end"] == list(rows[0])


def test_unknown_speaker_shows_a_notice(server, page):
    page.goto(server.url + "/quotes?speaker=Nobody%20McNoname")
    settle(page)
    alert = page.locator("[data-testid='stAlert']", has_text="Nobody McNoname")
    assert alert.count() >= 1
    assert caption_count(page)[0] == 0


def test_hostile_article_runs_nothing(server, store_dir, page):
    from analysis.store import Store

    con = Store(store_dir).connect()
    aid = con.execute("SELECT article_id FROM articles WHERE source LIKE '%zz_injection%'").fetchone()[0]
    for path in ["/", "/quotes", f"/article?article={aid}", "/speakers", "/entities"]:
        page.goto(server.url + path)
        settle(page)
        if path.startswith("/article"):
            shot(page, "article-hostile")
            body = page.locator("[data-testid='stMain']").inner_text()
            assert "<script>" in body, "the markup shows as text"
        assert page.evaluate("() => window.__xss") is None, f"script ran on {path}"
        assert page.dialogs == [], f"alert() ran on {path}"
    assert INJECTION_TITLE  # (the fixture article holds it)


def test_screenshots_of_every_page(server, page):
    for path, name in [("/", "overview"), ("/quotes", "quotes"), ("/speakers?speaker=Leif-Eric%20Easley", "speakers"),
                       ("/entities", "entities"), ("/opinions", "opinions"), ("/article", "article"), ("/add", "add")]:
        page.goto(server.url + path)
        settle(page)
        shot(page, name)
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000


def test_first_start_ingests_the_seeds_with_progress(tmp_path, page):
    s = Server(tmp_path / "fresh-store", SEEDS, tmp_path / "streamlit.log")
    try:
        page.goto(s.url + "/")
        page.wait_for_selector("[data-testid='stProgress'], h1", timeout=60_000)
        saw_progress = page.locator("[data-testid='stProgress']").count() > 0
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Overview" in nav and "app" not in nav.split(), "page names, never file names, while seeding"
        settle(page, timeout=120)
        assert saw_progress, "the first start shows a progress bar while it ingests the seeds"
        main = page.locator("[data-testid='stMain']").inner_text()
        assert "3 articles" in main
        assert "First start" not in main, "the seeding message is gone once the seeds are in"
        shot(page, "first-start")
    finally:
        s.stop()


def test_clicking_a_speaker_bar_filters_the_view_and_the_link(server, browser, page):
    """A click on a bar of "Most quoted speakers" picks that speaker, in the view and in the URL.

    (Playwright's `page.url` does not follow Streamlit's history.replaceState; `location.href`
    is what the visitor's address bar shows.)"""
    page.goto(server.url + "/")
    settle(page)
    chart = page.locator("[data-testid='stPlotlyChart']", has_text="Most quoted speakers").first
    box = chart.locator(".point path").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page)
    href = page.evaluate("location.href")
    (speaker,) = params(href)["speaker"]
    assert speaker in page.locator("[data-testid='stSidebar']").inner_text()
    # The link, opened in a fresh context, shows that speaker's quotes only.
    other = browser.new_context(viewport={"width": 1440, "height": 1800}).new_page()
    assert urlparse(href).path == "/"
    other.goto(href.replace("/?", "/quotes?", 1))
    settle(other)
    count, text = caption_count(other)
    assert count >= 1 and f"Filtered: speaker {speaker}." in other.locator("[data-testid='stMain']").inner_text()
    other.context.close()


# --- the dashboard issue: what only a browser shows ------------------------------------------

def href(pg) -> str:
    """What the visitor's address bar shows (Streamlit updates it with history.replaceState)."""
    return pg.evaluate("location.href")


def wait_for_param(pg, key: str, present: bool = True, timeout: float = 10) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if (key in params(href(pg))) == present:
            break
        time.sleep(0.2)
    return params(href(pg))


@pytest.fixture(scope="module")
def outlets_store(tmp_path_factory):
    return seeded_store(tmp_path_factory.mktemp("browser-outlets"), outlets=True)


@pytest.fixture
def outlets_server(outlets_store, tmp_path):
    s = Server(outlets_store, None, tmp_path / "streamlit.log")
    yield s
    s.stop()


def test_a_one_day_link_stays_one_day(server, page):
    """`/quotes?date=D&date=D` is a one-day range even when that day is the corpus's whole span:
    it stays in the address bar and leaves the undated articles' quotes out."""
    page.goto(server.url + "/quotes?date=2019-10-08&date=2019-10-08")
    settle(page)
    assert params(href(page)).get("date") in (["2019-10-08", "2019-10-08"], ["2019-10-08"])
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Filtered: dated 2019-10-08." in main
    assert "undated article" in page.locator("[data-testid='stSidebar']").inner_text()


def test_clear_all_filters_clears_the_dates_from_the_address_bar(server, page):
    page.goto(server.url + "/quotes?date=2019-10-08&date=2019-10-08&speaker=Vipin%20Narang")
    settle(page)
    page.get_by_role("button", name="Clear all filters").click()
    settle(page)
    left = wait_for_param(page, "date", present=False)
    assert "date" not in left and "speaker" not in left
    assert page.get_by_role("button", name="Clear all filters").count() == 0
    assert "Filtered:" not in page.locator("[data-testid='stMain']").inner_text()


def test_clicking_an_entity_bar_keeps_the_articles_naming_it(server, browser, page):
    page.goto(server.url + "/")
    settle(page)
    before = page.locator("[data-testid='stMetricValue']").first.inner_text()
    chart = page.locator("[data-testid='stPlotlyChart']", has_text="Most mentioned entities").first
    box = chart.locator(".point path").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page)
    (entity,) = wait_for_param(page, "entity")["entity"]
    assert "q" not in params(href(page)), "an entity click is an entity filter, not a text search"
    assert f"Filtered: naming {entity}." in page.locator("[data-testid='stMain']").inner_text()
    after = page.locator("[data-testid='stMetricValue']").first.inner_text()
    assert int(after) <= int(before)
    other = browser.new_context(viewport={"width": 1440, "height": 1800}).new_page()
    other.goto(href(page))
    settle(other)
    assert other.locator("[data-testid='stMetricValue']").first.inner_text() == after
    other.context.close()


def _click_first_row(pg, table_index: int = 0) -> None:
    grid = pg.locator("[data-testid='stMain'] [data-testid='stDataFrame']").nth(table_index)
    box = grid.bounding_box()
    pg.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the row's selection box, below the header


def test_a_selected_quote_goes_into_the_link(server, browser, page):
    page.goto(server.url + "/quotes?speaker=Vipin%20Narang")
    settle(page)
    _click_first_row(page)
    settle(page)
    (quote_id,) = wait_for_param(page, "quote")["quote"]
    picked = page.locator("[data-testid='stMain'] h3").first.inner_text()
    assert "Vipin Narang in" in picked
    other = browser.new_context(viewport={"width": 1440, "height": 1800}).new_page()
    other.goto(href(page))
    settle(other)
    assert other.locator("[data-testid='stMain'] h3").first.inner_text() == picked
    assert "<mark" not in other.locator("[data-testid='stMain']").inner_text()
    assert other.locator(".reader mark.quote").count() == 1
    other.context.close()
    assert ":" in quote_id


def test_downloads_hold_every_filtered_row_as_csv_and_json_and_neutralise_formulas(outlets_server, page):
    page.goto(outlets_server.url + "/quotes")
    settle(page)
    total, _ = caption_count(page)
    with page.expect_download(timeout=30_000) as csv_download:
        page.get_by_role("button", name=re.compile(r"Download .*quotes \(CSV\)")).click()
    assert csv_download.value.suggested_filename == "quotes.csv"
    with open(csv_download.value.path(), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with page.expect_download(timeout=30_000) as json_download:
        page.get_by_role("button", name="JSON").click()
    import json

    with open(json_download.value.path(), encoding="utf-8") as fh:
        records = json.load(fh)
    assert len(rows) == len(records) == total > 0
    assert list(records[0]) == list(rows[0])
    hostile = [r["article"] for r in rows if "HYPERLINK" in r["article"]]
    assert hostile and all(t.startswith("'=") for t in hostile), "a formula is written as text"
    assert all(r["url"] == "" or r["url"].startswith("https://") for r in rows)
    page.goto(outlets_server.url + "/quotes?outlet=Reuters&date=2019-10-08&date=2019-10-08")
    settle(page)
    with page.expect_download(timeout=30_000) as named:
        page.get_by_role("button", name=re.compile(r"Download .*quotes \(CSV\)")).click()
    assert named.value.suggested_filename == "quotes_2019-10-08_outlet-Reuters.csv"


def test_opinion_cell_click_puts_the_choice_in_the_link(server, browser, page):
    """On the opinion page, a click on a cell of the speakers × claims grid lists that speaker's
    statements of that claim and writes subject, speaker and claim into the address bar; the link
    in a fresh context shows the same statements."""
    page.goto(server.url + "/opinions?subject=North%20Korea")
    settle(page)
    shot(page, "opinions")
    grid = page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").nth(3)  # subjects, camp, claims, grid
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 30, box["y"] + 35 + 35 + 17)  # the second speaker's row
    settle(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # from the speaker's name to the first claim's cell
    settle(page)
    href = page.evaluate("location.href")
    got = params(href)
    assert got["subject"] == ["North Korea"] and len(got["voice"]) == 1 and len(got["claim"]) == 1
    heading = page.locator("h3", has_text="Statements about North Korea").first.inner_text()
    assert f"by {got['voice'][0]}" in heading and "claiming" in heading
    other = browser.new_context(viewport={"width": 1440, "height": 1800})
    try:
        p2 = other.new_page()
        p2.goto(href)
        settle(p2)
        assert p2.locator("h3", has_text="Statements about North Korea").first.inner_text() == heading
    finally:
        other.close()


def test_the_add_page_keeps_the_good_files_of_a_mixed_upload(server, page, tmp_path):
    """Upload a good article beside a JSON file nested 100,000 deep and a binary: the good one is
    processed and readable, each bad one is named with its reason, nothing is written to the store."""
    from tests.hostile import article, nested

    good = tmp_path / "good.txt"
    good.write_text(article(7, "Ann Lee"), encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text(nested(100_000), encoding="utf-8")
    binary = tmp_path / "notes.txt"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    page.goto(server.url + "/add")
    settle(page)
    page.locator("input[type='file']").set_input_files([str(good), str(deep), str(binary)])
    settle(page)
    page.get_by_role("button", name="Process").click()
    settle(page, timeout=120)
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "2 files or rows could not be used; the others were processed" in main
    assert "Your articles (1)" in main and "Talks resume, round 7" in main
    assert "deep.json" in main and "notes.txt" in main
    page.get_by_role("button", name=re.compile("Talks resume, round 7")).click()
    settle(page)
    assert page.locator(".reader mark.quote").count() >= 1
    shot(page, "add-mixed-upload")
