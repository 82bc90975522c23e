"""Loading articles: the header conventions of real copy-paste, structured files, and bad input."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from analysis.loaders import article_id, load_metadata, load_paths

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
POLNEAR = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "polnear"


def by_name(result):
    return {Path(a.source.split("#")[0]).name + ("#" + a.source.split("#")[1] if "#" in a.source else ""): a
            for a in result.articles}


def test_seed_headers_give_title_author_date():
    result = load_paths([SEEDS])
    assert not result.problems
    arts = by_name(result)
    first = arts["000_b08667397bbd2785.txt"]
    # "North Korea" is the section name above the title; "Written by SK Ashby" is the byline.
    assert first.title == "They’re Not Wrong"
    assert first.author == "SK Ashby"
    assert first.date is None  # no date in the article: never invented
    assert first.body.startswith("Talks between North Korean and American diplomats")
    third = arts["003_60916ff5a57a2136.txt"]
    assert third.date == "2019-10-08"
    assert third.body.startswith("The setting was")
    second = arts["001_90a5f173795d5729.txt"]
    assert second.title.startswith("Trump-Kim Summit Sequel Flops")
    # Offsets stay those of the file: the text is the file's text as read.
    assert first.text == (SEEDS / "000_b08667397bbd2785.txt").read_text(encoding="utf-8")


def test_byline_and_published_variants_and_front_matter(tmp_path):
    (tmp_path / "a.txt").write_text("Talks resume in Stockholm\nBy Jane Roe\nPublished October 5, 2019\n\n"
                                    "Negotiators met on Saturday. They said little.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: Summit ends early\nauthor: John Doe\ndate: 2019-02-28\n"
                                   "outlet: Example News\nurl: https://example.org/summit\n---\n\n"
                                   "The summit in Hanoi ended without a deal.\n", encoding="utf-8")
    arts = by_name(load_paths([tmp_path]))
    a = arts["a.txt"]
    assert (a.title, a.author, a.date) == ("Talks resume in Stockholm", "Jane Roe", "2019-10-05")
    assert a.body.startswith("Negotiators met")
    b = arts["b.md"]
    assert (b.title, b.author, b.date, b.outlet, b.url) == (
        "Summit ends early", "John Doe", "2019-02-28", "Example News", "https://example.org/summit")
    assert b.body.strip() == "The summit in Hanoi ended without a deal."


def test_json_jsonl_csv_records(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([
        {"text": "Pompeo said talks would resume.", "title": "One", "date": "March 1, 2019", "source": "Wire"},
        {"body": "Narang said it was stalling.", "author": "X"}]), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"content": "A third article.", "outlet": "Daily", "url": "https://e.org/3"}) + "\n",
        encoding="utf-8")
    (tmp_path / "c.csv").write_text("title,text,date\nFour,\"A fourth, with a comma.\",2019-10-08\n", encoding="utf-8")
    result = load_paths([tmp_path])
    assert not result.problems
    texts = {a.text: a for a in result.articles}
    assert texts["Pompeo said talks would resume."].date == "2019-03-01"
    assert texts["Pompeo said talks would resume."].outlet == "Wire"
    assert texts["A third article."].url == "https://e.org/3"
    assert texts["A fourth, with a comma."].title == "Four"
    assert texts["A fourth, with a comma."].source.endswith("c.csv#2")


def test_html_page_via_trafilatura(tmp_path):
    body = " ".join(["Negotiators from both sides met in Stockholm on Saturday and talked for hours."] * 6)
    (tmp_path / "page.html").write_text(
        "<html><head><title>Talks in Stockholm | Example News</title>"
        "<meta name='author' content='Jane Roe'><meta property='article:published_time' content='2019-10-05'>"
        f"</head><body><nav>Home | World</nav><article><h1>Talks in Stockholm</h1><p>{body}</p>"
        f"<p>{body}</p></article><footer>Copyright</footer></body></html>", encoding="utf-8")
    result = load_paths([tmp_path])
    assert not result.rejected, result.problems
    (art,) = result.articles
    assert "Negotiators from both sides" in art.text and "Copyright" not in art.text
    assert art.date == "2019-10-05"
    assert art.title.startswith("Talks in Stockholm")


def test_same_article_twice_is_one_article(tmp_path):
    (tmp_path / "a.txt").write_text("Same text here.\nSecond line.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same   text here.\r\nSecond line.", encoding="utf-8")
    result = load_paths([tmp_path])
    assert len(result.articles) == 1
    assert [Path(s).name for s, _ in result.duplicates] == ["b.txt"]
    assert article_id("Same text here.\nSecond line.\n") == article_id("Same   text here.\r\nSecond line.")


# --- bad input: each is reported with the file name and reason; the good files still load ----------

def make_bad_folder(root: Path) -> None:
    (root / "good.txt").write_text("A good article.\n\nNarang said North Korea is buying time.\n", encoding="utf-8")
    (root / "latin1.txt").write_bytes("Caf\xe9 talks: the minister said d\xe9j\xe0 vu.".encode("cp1252"))
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_text("   \n\n", encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (root / "big.txt").write_text("word " * 5000, encoding="utf-8")
    (root / "rows.jsonl").write_text(
        json.dumps({"text": "Row one is fine."}) + "\n{not json\n" + json.dumps({"text": "Row three is fine."}) + "\n"
        + json.dumps({"title": "no text"}) + "\n", encoding="utf-8")
    (root / "rows.csv").write_text("title,text\nok,Fine csv row.\nbad,too,many,fields\nlast,Last good row.\n"
                                   "broken,\"unterminated\n", encoding="utf-8")
    (root / "broken.json").write_text('{"text": "unterminated', encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    locked = root / "locked.txt"
    locked.write_text("You cannot read me.", encoding="utf-8")
    locked.chmod(0)


def test_bad_inputs_are_reported_and_good_ones_kept(tmp_path):
    make_bad_folder(tmp_path)
    result = load_paths([tmp_path, tmp_path / "missing-folder"], max_bytes=10_000)
    texts = sorted(a.text.strip() for a in result.articles)
    assert "A good article.\n\nNarang said North Korea is buying time." in texts
    assert "Row one is fine." in texts and "Row three is fine." in texts
    assert "Fine csv row." in texts
    assert any(t.startswith("Café talks") for t in texts)  # decoded with the fallback, not lost

    reasons = {(Path(p.source).name, p.line): p for p in result.problems}

    def reason(name, line=None):
        return reasons[(name, line)].reason

    assert "decoded as cp1252" in reason("latin1.txt") and not reasons[("latin1.txt", None)].rejected
    assert reason("empty.txt") == "file is empty"
    assert reason("blank.md") == "file is empty"
    assert "binary" in reason("binary.txt")
    assert "over the 10,000-byte limit" in reason("big.txt")
    assert "malformed JSON line" in reason("rows.jsonl", 2)
    assert "no text field" in reason("rows.jsonl", 4)
    assert "malformed JSON" in reason("broken.json", 1)
    assert "unsupported file type '.png'" in reason("image.png")
    assert reason("missing-folder") == "no such file or folder"
    assert "Last good row." in texts
    assert "row has 4 fields, the header has 2" in reason("rows.csv", 3)
    assert "malformed row" in reason("rows.csv", 5)
    if os.geteuid() != 0:  # root reads any file; the permission check only means something for users
        assert "permission denied" in reason("locked.txt")
    for problem in result.rejected:
        assert str(problem).startswith(problem.source)


@pytest.mark.skipif(not (POLNEAR / "metadata.tsv").is_file(), reason="../shared/corpora/polnear is not beside the project")
def test_polnear_metadata_table():
    table = load_metadata(POLNEAR / "metadata.tsv")
    row = table["breitbart_2015-11-16_o-malley-campaign-to-shift-staff"]
    assert row == {"title": "O’Malley campaign to shift staff, resources to Iowa", "date": "2015-11-16",
                   "author": "AP", "outlet": "breitbart"}


def test_metadata_table_overrides_and_beside_files(tmp_path):
    (tmp_path / "one.txt").write_text("Headline in file\n\nBody text of one.\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("filename,title,publisher,publication_date\n"
                                           "one.txt,Better headline,Example Times,2019-02-27\n", encoding="utf-8")
    (art,) = load_paths([tmp_path]).articles
    assert (art.title, art.outlet, art.date) == ("Better headline", "Example Times", "2019-02-27")


def test_unreadable_file_is_reported_even_as_root(tmp_path, monkeypatch):
    """Root reads any file, so simulate the permission error the way a user would meet it."""
    (tmp_path / "ok.txt").write_text("Readable article.", encoding="utf-8")
    (tmp_path / "locked.txt").write_text("Locked article.", encoding="utf-8")
    real = os.open

    def open_(path, flags, *args, **kwargs):
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    result = load_paths([tmp_path])
    assert [a.text for a in result.articles] == ["Readable article."]
    (problem,) = result.problems
    assert Path(problem.source).name == "locked.txt" and problem.reason == "cannot be read: permission denied"
