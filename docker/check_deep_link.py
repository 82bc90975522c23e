"""Open a running container's deep link to one speaker's quotes in Chromium, as a first visitor
would, and check the page against the container's own store (docker/check-image.sh runs it).

    python docker/check_deep_link.py URL CONTAINER SCREENSHOT [--speaker "Vipin Narang"]

The page must keep the link's filter (URL and sidebar) and list exactly the quotes that the
store attributes to the speaker; the store is read inside the container after the visit, because
on an empty volume the visit is what seeds it.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from urllib.parse import parse_qs, quote, urlparse

from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
GRID = "[data-testid='stDataFrame'] table[role='grid']"
FIRST_VISIT_SECONDS = 300  # an empty store is seeded on the first visit: the language model loads

# Run inside the container as the dashboard's own user; prints the speaker's quote texts as JSON.
STORE_QUOTES = """
import json, sys
from analysis.corpus import open_corpus
con = open_corpus()
rows = con.execute("SELECT text FROM quotes WHERE speaker_key = ?", [sys.argv[1]]).fetchall()
print(json.dumps([r[0] for r in rows]))
"""


def store_quotes(container: str, speaker: str) -> list[str]:
    """The speaker's quotes in the container's store, read by the user that runs the dashboard."""
    def docker(*args: str) -> str:
        return subprocess.run(["docker", *args], check=True, capture_output=True, text=True).stdout.strip()

    user = docker("exec", container, "stat", "-c", "%u:%g", "/proc/1")
    return json.loads(docker("exec", "-u", user, container, "python", "-c", STORE_QUOTES, speaker))


def settle(page: Page, timeout: float = 60) -> None:
    """Wait until no script run is in progress for a moment."""
    deadline = time.time() + timeout
    quiet_since = None
    while time.time() < deadline:
        if page.locator("[data-testid='stStatusWidget'], [data-testid='stSkeleton']").count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.time()
        elif time.time() - quiet_since > 1.5:
            return
        time.sleep(0.2)


def table_rows(page: Page) -> list[dict[str, str]]:
    """The quote table's rows, read from the grid's accessible table (the cells are drawn on a canvas)."""
    grid = page.locator(GRID).first
    headers = grid.locator("th[role='columnheader']").all_inner_texts()
    rows = []
    for row in grid.locator("tbody tr[role='row']").all():
        cells = row.locator("td[role='gridcell']").all_text_contents()
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def normalise(text: str) -> str:
    return " ".join(text.split())


def check(page: Page, base_url: str, container: str, speaker: str) -> list[str]:
    """What is wrong with the deep link's page (nothing: an empty list)."""
    page.goto(f"{base_url}/quotes?speaker={quote(speaker)}")
    try:  # the grid's accessible rows are in the page, hidden: the canvas shows them
        page.locator(f"{GRID} tbody tr[role='row']").first.wait_for(state="attached",
                                                                    timeout=FIRST_VISIT_SECONDS * 1000)
    except PlaywrightTimeout:
        return [f"no quote table within {FIRST_VISIT_SECONDS} s"]
    settle(page)
    problems = []
    if page.locator("[data-testid='stException']").count():
        problems.append("an exception is shown: " + page.locator("[data-testid='stException']").first.inner_text())
    if (title := page.locator("h1").first.inner_text()) != "Quotes":
        problems.append(f"the page is {title!r}, not Quotes")
    if parse_qs(urlparse(page.url).query).get("speaker") != [speaker]:
        problems.append(f"the link lost its filter: {page.url}")
    if speaker not in page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.inner_text():
        problems.append("the sidebar's speaker filter does not show the speaker")
    caption = page.locator("[data-testid='stCaptionContainer']", has_text=re.compile(r"^[\d,]+ quotes?\b")).first
    count = re.match(r"[\d,]+", caption.inner_text())
    shown = int(count.group().replace(",", "")) if count else -1
    expected = sorted(normalise(t) for t in store_quotes(container, speaker))
    rows = table_rows(page)
    listed = sorted(normalise(r.get("Quote", "")) for r in rows)
    if not expected:
        problems.append(f"the store has no quote by {speaker}")
    if shown != len(expected):
        problems.append(f"the caption counts {shown} quotes, the store has {len(expected)}")
    if {r.get("Speaker") for r in rows} != {speaker}:
        problems.append(f"the table lists other speakers: {sorted({r.get('Speaker', '') for r in rows})}")
    if listed != expected:
        problems.append(f"the table lists {listed}, the store has {expected}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("container")
    parser.add_argument("screenshot")
    parser.add_argument("--speaker", default="Vipin Narang")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            problems = check(page, args.url.rstrip("/"), args.container, args.speaker)
        finally:
            page.screenshot(path=args.screenshot, full_page=True)
            browser.close()
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if not problems:
        print(f"the deep link lists the store's quotes by {args.speaker}; screenshot: {args.screenshot}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
