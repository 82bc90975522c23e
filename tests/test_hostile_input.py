"""Hostile input, one file at a time (issue 17): each costs itself at most, never the good files.

The whole folder of `tests/hostile.py` goes through the CLI in `test_hostile_cli.py`; here each
case is checked where it is handled, on small files of its own.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pyarrow as pa
import pytest

from analysis import dates, indexes
from analysis import nlp as nlp_mod
from analysis.loaders import load_paths, parse_text_article
from analysis.pipeline import process_articles
from analysis.records import Article

from .conftest import SEEDS
from .hostile import ALIAS_BOMB, article, nested


def rel(result, root: Path) -> dict[str, Article]:
    return {a.source[len(str(root)) + 1:]: a for a in result.articles}


def reasons(result, root: Path) -> dict[str, str]:
    out = {}
    for p in result.problems:
        name = p.source[len(str(root)) + 1:] + (f":{p.line}" if p.line is not None else "")
        out[name] = ("" if p.rejected else "notice: ") + p.reason
    return out


# 1. Deeply nested JSON ------------------------------------------------------------------------------

def test_deeply_nested_json_costs_its_file_or_line_only(tmp_path):
    (tmp_path / "good.txt").write_text(article(1), encoding="utf-8")
    (tmp_path / "nested.json").write_text(nested(100_000), encoding="utf-8")
    (tmp_path / "deep-field.json").write_text('{"text": "A deep field.", "extra": ' + nested(100_000) + "}",
                                              encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text(f'{json.dumps({"text": article(2)})}\n{nested(100_000)}\n'
                                         f'{json.dumps({"text": article(3)})}\n'
                                         f'{{"text": "A huge number.", "date": {"9" * 5000}}}\n', encoding="utf-8")
    result = load_paths([tmp_path])
    assert set(rel(result, tmp_path)) == {"good.txt", "rows.jsonl#1", "rows.jsonl#3"}
    why = reasons(result, tmp_path)
    assert why.pop("rows.jsonl:4").startswith("JSON could not be read (Exceeds the limit (4300 digits)")
    assert why == {"nested.json": "JSON nested too deeply to be read (a hostile or broken file)",
                   "deep-field.json": "JSON nested too deeply to be read (a hostile or broken file)",
                   "rows.jsonl:2": "JSON nested too deeply to be read (a hostile or broken file)"}


def test_structured_fields_are_never_printed_into_metadata(tmp_path):
    """A list of scalars is a field (`authors: [A, B]`); nested structures are ignored, not printed."""
    (tmp_path / "a.json").write_text(json.dumps({"text": article(1), "authors": ["Jane Roe", "John Doe"],
                                                 "title": {"nested": [[["x"]]]}, "source": [[1, 2], [3]]}),
                                     encoding="utf-8")
    (art,) = load_paths([tmp_path]).articles
    assert (art.author, art.title, art.outlet) == ("Jane Roe, John Doe", None, None)


# 2. Texts over spaCy's max_length ------------------------------------------------------------------

def test_pieces_join_back_exactly_and_cut_at_paragraphs():
    text = "".join(f"Paragraph {i} says something. It goes on a while.\n\n" for i in range(200))
    parts = nlp_mod.pieces(text, 1000)
    assert "".join(parts) == text
    assert all(len(p) <= 1000 for p in parts) and len(parts) > 5
    assert all(p.endswith("\n\n") for p in parts[:-1])  # every cut after a blank line
    assert nlp_mod.pieces("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]  # no break anywhere: cut anyway
    assert nlp_mod.pieces("short", 1000) == ["short"]


def test_text_over_the_models_limit_is_parsed_in_pieces_with_offsets_kept(nlp, monkeypatch):
    """spaCy refuses a text over `nlp.max_length` (1,000,000 characters), which aborted the whole
    ingest and every rerun. Here the limit is lowered so that the seeds are over it: the long
    article is parsed in pieces and gives what a whole parse gives, at the same offsets."""
    seeds = load_paths([SEEDS]).articles
    text = "\n\n".join(a.text for a in seeds)
    long = Article(article_id="long", source="long.txt", text=text)
    whole = next(process_articles([long], nlp=nlp))
    short = Article(article_id="short", source="short.txt", text=article(1))
    monkeypatch.setattr(nlp, "max_length", 3000)
    assert len(short.text) < 3000 < len(text) and len(nlp_mod.pieces(text, 3000)) > 2
    done = {p.article.source: p for p in process_articles([long, short], nlp=nlp)}
    assert set(done) == {"long.txt", short.source}
    split = done["long.txt"]
    assert not split.problems
    assert [(e.start, e.end, e.label, e.canonical) for e in split.entities] == \
           [(e.start, e.end, e.label, e.canonical) for e in whole.entities]
    assert [(q.start, q.end, q.speaker) for q in split.quotes] == [(q.start, q.end, q.speaker) for q in whole.quotes]
    assert all(text[e.start:e.end] == e.text for e in split.entities)
    assert all(text[q.start:q.end] == q.text for q in split.quotes)
    assert max(q.start for q in split.quotes) > 2 * 3000  # quotes found beyond the first pieces


def test_long_texts_beside_workers(nlp, monkeypatch):
    """With workers the extractors run as a pipeline component; a long text is parsed in the
    main process with that component left out, between the workers' results."""
    seeds = load_paths([SEEDS]).articles
    text = "\n\n".join(a.text for a in seeds)
    monkeypatch.setattr(nlp, "max_length", 3000)
    arts = [Article(article_id="long", source="long.txt", text=text), seeds[0],
            Article(article_id="short", source="short.txt", text=article(1))]
    done = {p.article.source: p for p in process_articles(arts, nlp=nlp, workers=2)}
    assert set(done) == {a.source for a in arts}
    assert done["long.txt"].quotes and all(text[q.start:q.end] == q.text for q in done["long.txt"].quotes)
    assert "analysis_extract" not in nlp.pipe_names


def test_over_the_character_limit_is_rejected_with_a_reason(tmp_path):
    (tmp_path / "huge.txt").write_text("word " * 2_001, encoding="utf-8")
    (tmp_path / "fine.txt").write_text(article(1), encoding="utf-8")
    result = load_paths([tmp_path], max_chars=10_000)
    assert list(rel(result, tmp_path)) == ["fine.txt"]
    assert reasons(result, tmp_path) == {"huge.txt": "article is 10,005 characters, over the 10,000-character limit; "
                                                     "split it into several files"}


# 3. YAML front matter -----------------------------------------------------------------------------

def test_yaml_alias_bomb_is_refused_and_the_text_kept(tmp_path):
    """505 bytes that expand to 387 million strings took 40 s and 3 GB: aliases are refused."""
    assert len(ALIAS_BOMB.encode()) < 600
    problems = []
    art = parse_text_article(ALIAS_BOMB + article(1), "bomb.md", problems=problems)
    assert art.text == ALIAS_BOMB + article(1)  # kept as it is
    assert art.body.startswith("Negotiators met")  # the front matter is the header, read or not
    assert (art.title, art.author) == ("Talks resume, round 1", None)
    (notice,) = problems
    assert not notice.rejected
    assert notice.reason == "YAML front matter not read (aliases (*a) are not allowed in front matter); kept as text"


def test_front_matter_is_read_with_a_size_cap(tmp_path):
    problems = []
    front = "---\ntitle: x\nnote: " + "y" * 20_000 + "\n---\n"
    art = parse_text_article(front + article(1), "a.md", problems=problems)
    assert art.title == "Talks resume, round 1" and art.body.startswith("Negotiators met")
    assert [p.reason for p in problems] == ["YAML front matter over 16,384 characters not read; kept as text"]
    fine = parse_text_article("---\ntitle: Fine\nauthors: [Jane Roe, John Doe]\n---\n" + article(1), "b.md")
    assert (fine.title, fine.author) == ("Fine", "Jane Roe, John Doe")


# 4. Only regular files ---------------------------------------------------------------------------

def _load_within(paths, seconds=60):
    out = {}
    worker = threading.Thread(target=lambda: out.setdefault("result", load_paths(paths)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "loading hung"
    return out["result"]


def test_only_regular_files_are_read(tmp_path):
    (tmp_path / "good.txt").write_text(article(1), encoding="utf-8")
    os.mkfifo(tmp_path / "fifo.txt")  # an open() for reading would wait for a writer forever
    os.symlink("/dev/zero", tmp_path / "zero.txt")  # reports size 0, never ends
    os.symlink(tmp_path / "gone.txt", tmp_path / "broken.txt")
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "folder.txt" / "inner.md").write_text(article(2), encoding="utf-8")
    result = _load_within([tmp_path, tmp_path / "fifo.txt"])
    assert set(rel(result, tmp_path)) == {"good.txt", "folder.txt/inner.md"}
    why = reasons(result, tmp_path)
    assert why == {"fifo.txt": "a named pipe (FIFO), not a regular file: only regular files are read",
                   "zero.txt": "a character device, not a regular file: only regular files are read",
                   "broken.txt": f"broken symbolic link (to {tmp_path / 'gone.txt'})"}
    assert len(result.rejected) == 4  # fifo.txt named twice (in the folder and as a path), one problem each


def test_size_is_read_from_the_open_file_not_trusted(tmp_path, monkeypatch):
    """A file that grows between the size check and the read is still cut at the limit."""
    (tmp_path / "grows.txt").write_text("x " * 10_000, encoding="utf-8")
    real = os.fstat

    def fstat(fd):  # the size the file had when it was listed, before it grew
        st = real(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 10,
                               st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr(os, "fstat", fstat)
    result = load_paths([tmp_path], max_bytes=1000)
    assert not result.articles
    assert [p.reason for p in result.problems] == [
        "file is more than 1,000 bytes, over the 1,000-byte limit (raise it with --max-bytes)"]


# 6. Searches of hundreds of words ----------------------------------------------------------------

def test_search_words_are_capped_and_the_rest_reported():
    typed = " ".join(f"w{i}" for i in range(500)) + ' "w1 w2" "w1 w400"'
    search = indexes.parse_search(typed)
    assert search.words == tuple(f"w{i}" for i in range(indexes.MAX_SEARCH_WORDS))
    assert search.phrases == (("w1", "w2"),)  # a phrase with a word left out is not checked
    assert search.dropped == (*(f"w{i}" for i in range(indexes.MAX_SEARCH_WORDS, 500)), '"w1 w400"')
    assert indexes.parse_search("Kim kim").dropped == ()


def test_a_search_of_hundreds_of_words_runs():
    """500 words were 500 INTERSECTs: DuckDB's "Max expression depth limit of 1000 exceeded".
    The word index of two titles, as `indexes.build` lays it out, is enough to run the SQL."""
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE search_units AS SELECT * FROM (VALUES (1, 1, NULL::INTEGER, 'narang says talks stall'), "
                "(2, 2, NULL::INTEGER, 'kim meets trump')) t(unit_no, article_no, quote_no, doc)")
    con.execute("CREATE TABLE search_words AS SELECT (row_number() OVER (ORDER BY word) - 1)::INTEGER AS word_no, word "
                "FROM (SELECT DISTINCT unnest(string_split(doc, ' ')) AS word FROM search_units)")
    con.execute("CREATE TABLE search_postings AS SELECT w.word_no, u.unit_no, u.article_no, u.quote_no "
                "FROM search_units u JOIN search_words w ON list_contains(string_split(u.doc, ' '), w.word)")
    for q, expected in (("narang " + " ".join(f"w{i}" for i in range(500)), []), ("narang talks " * 300, [(1,)])):
        for c in (None, con):  # built each time, and kept per connection
            sql, params = indexes.matching_articles(q, c)
            try:
                assert con.execute(sql, params).fetchall() == expected
            except duckdb.Error as exc:
                pytest.fail(f"search failed: {exc}")


# 7. Dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["yesterday", "2 days ago", "today", "last week", "2019-13-45", "2019",
                                   "Monday", "x" * 500])
def test_no_date_is_made_up(value):
    assert dates.parse_date(value) is None


@pytest.mark.parametrize("value, iso", [("2019-10-08", "2019-10-08"), ("October 5, 2019", "2019-10-05"),
                                        ("Oct 2019", "2019-10-01"), ("2019-02-28T10:00:00Z", "2019-02-28"),
                                        ("5 October 2019 10:00", "2019-10-05")])
def test_calendar_dates_are_read(value, iso):
    assert dates.parse_date(value) == iso


def test_unreadable_dates_are_notices_naming_file_and_value(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": article(1), "date": "yesterday"}) + "\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(f"---\ndate: 2019-13-45\ntitle: B\n---\n{article(2)}", encoding="utf-8")
    (tmp_path / "c.txt").write_text(f"Talks\ndate 2019-13-45\n\n{article(3)}", encoding="utf-8")
    (tmp_path / "d.txt").write_text(article(4), encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("filename,date\nd.txt,last week\n", encoding="utf-8")
    result = load_paths([tmp_path])
    arts = rel(result, tmp_path)
    assert {k: a.date for k, a in arts.items()} == {"a.jsonl#1": None, "b.md": None, "c.txt": None, "d.txt": None}
    assert arts["b.md"].title == "B"  # the front matter is read: only the date is left out
    tail = "is not a calendar date that can be read (relative dates such as 'yesterday' are not used); "
    assert reasons(result, tmp_path) == {
        "a.jsonl#1": f"notice: date 'yesterday' {tail}the article is kept undated",
        "b.md": f"notice: date '2019-13-45' {tail}the article is kept undated",
        "c.txt": f"notice: date '2019-13-45' {tail}the article is kept undated",
        "d.txt": f"notice: date 'last week' in the metadata table {tail}ignored"}


BODY = "".join(f"<p>{p}</p>" for p in article(1).split("\n\n"))


@pytest.mark.parametrize("markup, date", [
    ("", None),  # only numbers in the text: undated (trafilatura said 2012-01-01)
    ("<meta property='article:published_time' content='2016-05-04'>", "2016-05-04"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2016-07-08"}</script>',
     "2016-07-08"),
    ("<time datetime='2016-03-04'>March 4</time>", "2016-03-04"),
    ("<span class='post-date'>March 4, 2016</span>", "2016-03-04"),
])
def test_page_dates_come_from_markup_never_from_the_text(tmp_path, markup, date):
    html = (f"<html><head><title>Budget 2012</title>{markup}</head><body><article><h1>Talks</h1>{BODY}"
            "<p>The 2012 agreement, signed on 20120101, was mentioned. Posted 2012-01-01.</p>"
            f"{BODY.replace('round', 'part')}</article><footer>Copyright 2012</footer></body></html>")
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (art,) = load_paths([tmp_path]).articles
    assert art.date == date == dates.page_date(html)
    if date is None:  # a date in the page's address is the page's own
        assert dates.page_date(html, "https://example.org/2016/09/10/talks.html") == "2016-09-10"


# 8. Symbolic links to folders ----------------------------------------------------------------------

def test_linked_folders_are_followed_once(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "elsewhere").mkdir()
    for i in range(3):
        (tmp_path / "elsewhere" / f"{i}.txt").write_text(article(i), encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", tmp_path / "in" / "linked")
    os.symlink(tmp_path / "elsewhere", tmp_path / "in" / "again")  # the same folder twice
    os.symlink(tmp_path / "in", tmp_path / "elsewhere" / "back")  # a loop
    root = tmp_path / "in"
    result = load_paths([root])
    # "again" sorts first, so it is the link that is read; "linked" leads to the same folder
    assert sorted(rel(result, root)) == ["again/0.txt", "again/1.txt", "again/2.txt"]
    assert reasons(result, root) == {
        "linked": f"notice: symbolic link to a folder that is read already ({tmp_path / 'elsewhere'}); not read twice",
        "again/back": f"notice: symbolic link to a folder that is read already ({root}); not read twice"}
    assert not result.duplicates


def test_a_link_up_the_tree_reads_each_folder_once(tmp_path):
    """Ingesting `in/sub` whose `up` leads to `in`: `in` is read through it, `in/sub` not again."""
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "top.txt").write_text(article(1), encoding="utf-8")
    (tmp_path / "in" / "sub" / "low.txt").write_text(article(2), encoding="utf-8")
    os.symlink(tmp_path / "in", tmp_path / "in" / "sub" / "up")
    result = load_paths([tmp_path / "in" / "sub"])
    assert sorted(rel(result, tmp_path / "in" / "sub")) == ["low.txt", "up/top.txt"]
    assert not result.duplicates and not result.problems


# 9. Bytes that are not UTF-8 ----------------------------------------------------------------------

def test_one_bad_byte_costs_only_itself(tmp_path):
    text = "\u201cWe are not there yet,\u201d she said. The talks\u2019 next round is in May.\n"
    data = text.encode("utf-8").replace(b"next", b"ne\x9dxt")
    (tmp_path / "a.txt").write_bytes(data)
    result = load_paths([tmp_path])
    (art,) = result.articles
    assert art.text == text.replace("next", "ne\ufffdxt") and art.encoding == "utf-8"
    (notice,) = result.problems
    assert not notice.rejected
    first = data.index(b"ne\x9dxt") + 2
    assert notice.reason == (f"not valid UTF-8: 1 invalid byte (the first at byte {first}) "
                             "replaced with U+FFFD; the rest read as UTF-8")


def test_legacy_encoded_files_are_still_read_as_windows_1252(tmp_path):
    (tmp_path / "a.txt").write_bytes("\u201cCaf\xe9 talks,\u201d she said.".encode("cp1252") + b" \x9d")
    result = load_paths([tmp_path])
    (art,) = result.articles
    assert art.text == "\u201cCaf\xe9 talks,\u201d she said. \ufffd"
    assert [p.reason for p in result.problems] == [
        "not valid UTF-8 (byte 0); decoded as cp1252 instead, 1 undefined byte replaced with U+FFFD"]


# Strings no store can hold ------------------------------------------------------------------------

def test_unstorable_names_and_escapes_are_stored_with_a_notice(tmp_path):
    """A lone surrogate (JSON can escape one) or a file name that is not UTF-8 made the batch's
    Parquet write fail, which aborted the ingest with every article of the batch."""
    (tmp_path / "s.json").write_text(json.dumps({"text": article(1) + "\ud800", "title": "Half \udcff"}),
                                     encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as f:
        f.write(article(2).encode("utf-8"))
    result = load_paths([tmp_path])
    arts = rel(result, tmp_path)
    assert sorted(arts) == ["caf\ufffd.txt", "s.json#1"]
    assert arts["s.json#1"].text.endswith("\ufffd") and arts["s.json#1"].title == "Half \ufffd"
    for a in arts.values():
        pa.array([a.source, a.text, a.title])  # raised UnicodeEncodeError before
    assert set(reasons(result, tmp_path)) == {"caf\ufffd.txt", "s.json#1"}
