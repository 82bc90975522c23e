"""Test corpora for the dashboard tests: the seeds ingested once per test session into a
temporary store (through the real pipeline), optionally with a hostile article whose title,
byline and text hold `<script>` and `<img onerror>`: rendering it must run nothing."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

INJECTION_TITLE = "Breaking <script>window.__xss = 'title'</script> news"
INJECTION_TEXT = f"""{INJECTION_TITLE}

By <img src=x onerror="window.__xss='byline'"> Mallory

date 2019-10-09

The summit <script>window.__xss = 'body'</script> ended early, officials said on Monday.

“We will <img src=x onerror="window.__xss='quote'"> not return to the table,” said Dr. Jane <b>Doe</b>, \
an analyst at the Institute for <i>Peace</i> Studies.

Jane Doe added that the talks were <script>alert(1)</script> over for now.
"""

_built: dict[str, Path] = {}


# The seeds with the metadata an outlet-aware view needs, a hostile title and a hostile "url".
OUTLET_METADATA = """filename,outlet,url,title
000_b08667397bbd2785.txt,Reuters,https://www.reuters.com/world/they-are-not-wrong,
001_90a5f173795d5729.txt,Daily NK,javascript:alert(1),"=HYPERLINK(""http://evil.example"",""click"")"
003_60916ff5a57a2136.txt,Reuters,https://www.reuters.com/world/running-out-of-time,
"""


def seeded_store(tmp_root: Path, *, injection: bool = False, outlets: bool = False) -> Path:
    """A store folder holding the seeds (and the hostile article, or outlets): built once per kind."""
    key = "injection" if injection else ("outlets" if outlets else "seeds")
    if key not in _built:
        from analysis.pipeline import ingest
        from analysis.store import Store

        src = tmp_root / f"src-{key}"
        shutil.copytree(SEEDS, src)
        if injection:
            (src / "zz_injection.txt").write_text(INJECTION_TEXT, encoding="utf-8")
        if outlets:
            (src / "metadata.csv").write_text(OUTLET_METADATA, encoding="utf-8")
        store_dir = tmp_root / f"store-{key}"
        report = ingest([src], Store(store_dir))
        assert not report.rejected, report.rejected
        _built[key] = store_dir
    return _built[key]


def expected_counts(store_dir: Path) -> dict:
    """What the overview must show, computed from the stored tables without the dashboard's queries."""
    from analysis.store import Store

    con = Store(store_dir).connect()
    quotes = con.execute("SELECT count(*) FROM quotes").fetchone()[0]
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    narang = con.execute("SELECT count(*) FROM quotes WHERE speaker = 'Vipin Narang'").fetchone()[0]
    try:
        from analysis.corpus import open_corpus

        ccon = open_corpus(Store(store_dir))
        speakers = ccon.execute("SELECT count(DISTINCT speaker_key) FROM quotes").fetchone()[0]
        narang = ccon.execute("SELECT count(*) FROM quotes WHERE speaker_key = 'Vipin Narang'").fetchone()[0]
    except Exception:  # noqa: BLE001 - the corpus step unavailable: the dashboard falls back to the raw names
        speakers = con.execute("SELECT count(DISTINCT speaker) FROM quotes").fetchone()[0]
    return {"articles": articles, "quotes": quotes, "speakers": speakers, "narang": narang}


def use_store(monkeypatch, store: Path) -> Path:
    """Point the app at `store` for one test, as an operator would with $ANALYSIS_STORE (no seeding)."""
    monkeypatch.setenv("ANALYSIS_STORE", str(store))
    monkeypatch.setenv("ANALYSIS_SEEDS", "")
    monkeypatch.chdir(ROOT)
    return store
