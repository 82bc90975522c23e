"""Turn files on disk into `Article` records, reporting every bad input and losing nothing else.

Supported inputs: `.txt`/`.md` (copy-pasted articles with header conventions such as
`Written by …` and `date 2019-10-08`, or YAML front matter), `.html`/`.htm` (saved pages, via
trafilatura), `.json`/`.jsonl`/`.csv`/`.tsv` (one article per object or row). A metadata table
(`--metadata FILE`, or a `metadata.csv`/`metadata.tsv` beside the files) sets or overrides title,
date, author, outlet and url per file name.

A problem with one file (or one row) never stops the others: it becomes a `Problem` with the
file name, the line where there is one, and the reason. Input is treated as hostile: only
regular files are read, never more than `max_bytes` of them; nesting, YAML aliases and texts
too long to parse are refused per file; bytes that are not UTF-8 cost only themselves.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis.dates import page_date, parse_date
from analysis.records import Article, Problem

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# The longest article text, in characters. Parsing costs about 3 MB of memory per 1,000
# characters in flight; longer texts are parsed in pieces (`analysis.nlp.parse_long`), but the
# finished parse and its extractions still grow with the text: an ingest of one article of
# 1,990,000 characters (some 330,000 words, a book) peaked at 1.1 GB, under the 1.5 GB cap.
DEFAULT_MAX_CHARS = 2_000_000
METADATA_MAX_BYTES = 256 * 1024 * 1024  # a metadata table lists files, it is not one of them
FRONT_MATTER_MAX_CHARS = 16 * 1024  # YAML front matter is a few fields, not a document
TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text"}
HTML_EXTENSIONS = {".html", ".htm"}
RECORD_EXTENSIONS = {".json", ".jsonl", ".ndjson", ".csv", ".tsv"}
SUPPORTED = TEXT_EXTENSIONS | HTML_EXTENSIONS | RECORD_EXTENSIONS
METADATA_NAMES = {"metadata.csv", "metadata.tsv"}
FALLBACK_ENCODING = "cp1252"

# Field names accepted in JSON/CSV records and metadata tables, in order of preference.
TEXT_FIELDS = ("text", "body", "content", "article", "maintext")
FIELD_ALIASES = {
    "title": ("title", "headline"),
    "date": ("date", "publication_date", "published", "date_publish", "pubdate", "published_at"),
    "author": ("author", "authors", "byline", "by"),
    "outlet": ("outlet", "source", "publisher", "site", "sitename", "site_name", "newspaper"),
    "url": ("url", "link", "source_url"),
}
FILENAME_FIELDS = ("filename", "file", "file_name", "path", "name", "id")


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, source it repeats)

    @property
    def rejected(self) -> list[Problem]:
        return [p for p in self.problems if p.rejected]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _source(path: Path) -> str:
    """The path as text that can be printed and stored.

    A file name that is not UTF-8 comes from the OS with its bad bytes as lone surrogates, which
    neither a terminal nor Parquet accepts (the whole batch would fail to commit): each becomes
    U+FFFD.
    """
    return _SURROGATE.sub("\ufffd", str(path))


def article_id(text: str) -> str:
    """A stable id from the normalised text: the same article loaded twice is one article.

    Normalisation folds Unicode forms, case and all whitespace, so a copy that differs only in
    line wrapping or a trailing newline is still the same article.
    """
    norm = unicodedata.normalize("NFKC", text).casefold()
    norm = re.sub(r"\s+", " ", norm).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Reading bytes

def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > max(8, len(head) // 50)


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"{kind}, not a regular file: only regular files are read"


def _unreadable(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot be read: permission denied"
    if isinstance(exc, FileNotFoundError) and path.is_symlink():
        return f"broken symbolic link (to {_source(Path(os.readlink(path)))})"
    return f"cannot be read: {exc.strerror or exc}"


def read_bytes(path: Path, max_bytes: int, problems: list[Problem]) -> bytes | None:
    """The bytes of a regular file of at most `max_bytes`, or None with the reason recorded.

    A FIFO named `a.txt` would block a plain open forever, and `/dev/zero` reports a size of 0
    and never ends: the kind is checked before opening, the file is opened without blocking,
    checked again on the open descriptor (the path may have been swapped meanwhile), and never
    more than `max_bytes + 1` bytes are read, whatever size was reported.
    """
    name = _source(path)
    try:
        why = _not_regular(os.stat(path).st_mode)
        if why:
            problems.append(Problem(name, why))
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            why = _not_regular(info.st_mode)
            if why:
                problems.append(Problem(name, why))
                return None
            data = f.read(max_bytes + 1) if info.st_size <= max_bytes else None
    except OSError as exc:
        problems.append(Problem(name, _unreadable(path, exc)))
        return None
    if data is None or len(data) > max_bytes:  # too big, or grew past the limit while read
        size = f"{info.st_size:,} bytes" if data is None else f"more than {max_bytes:,} bytes"
        problems.append(Problem(name, f"file is {size}, over the {max_bytes:,}-byte limit (raise it with --max-bytes)"))
        return None
    return data


def read_text(path: Path, max_bytes: int, problems: list[Problem]) -> tuple[str, str] | None:
    """Read and decode a file, or record why it cannot be an article."""
    data = read_bytes(path, max_bytes, problems)
    if data is None:
        return None
    name = _source(path)
    if not data.strip():
        problems.append(Problem(name, "file is empty"))
        return None
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        problems.append(Problem(name, "looks like a binary file, not text"))
        return None
    return decode(data, name, problems)


_ESCAPED = re.compile("[\udc80-\udcff]")  # an undecodable byte, as "surrogateescape" keeps it
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def decode(data: bytes, source: str, problems: list[Problem]) -> tuple[str, str]:
    """Text of the bytes: UTF-8 if it is, else whichever of UTF-8 and Windows-1252 it is written in.

    A UTF-8 file with one stray byte (0x9D is invalid in UTF-8 and undefined in Windows-1252)
    used to be decoded whole as Latin-1, so every curly quote became `â\\x80\\x99`. When the
    file's valid UTF-8 characters outnumber its bad bytes, it is UTF-8 and only the bad bytes
    are replaced (U+FFFD); else it is a legacy file, read as Windows-1252. Either way a notice.
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        first = exc.start
    text = data.decode("utf-8-sig", errors="surrogateescape")
    bad = len(_ESCAPED.findall(text))
    if len(_NON_ASCII.findall(text)) >= bad:
        problems.append(Problem(source, f"not valid UTF-8: {bad:,} invalid byte{'s' if bad != 1 else ''} (the first at "
                                        f"byte {first:,}) replaced with U+FFFD; the rest read as UTF-8",
                                rejected=False))
        return _ESCAPED.sub("\ufffd", text), "utf-8"
    text = data.decode(FALLBACK_ENCODING, errors="replace")
    undefined = text.count("\ufffd")  # U+FFFD has no Windows-1252 byte: each is an undefined byte
    note = f", {undefined:,} undefined byte{'s' if undefined != 1 else ''} replaced with U+FFFD" if undefined else ""
    problems.append(Problem(source, f"not valid UTF-8 (byte {first:,}); decoded as {FALLBACK_ENCODING} instead{note}",
                            rejected=False))
    return text, FALLBACK_ENCODING


# ---------------------------------------------------------------------------------------------
# Plain text and Markdown

_BYLINE = re.compile(r"^\s*(?:written\s+by|by|author(?:s)?\s*:|byline\s*:)\s*(?P<v>.+?)\s*$", re.I)
_DATELINE = re.compile(
    r"^\s*(?:date(?:d)?|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|last\s+updated)\s*[:\-]?\s*"
    r"(?P<v>.+?)\s*$", re.I)
_INLINE_DATE = re.compile(r"^\s*date\s*[:\-]?\s*(?P<d>\d{4}-\d{2}-\d{2})\s*(?P<rest>.*)$", re.I)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_READ_PREFIX = re.compile(r"^(?:read|read more|related|title)\s*:\s*", re.I)
HEADER_LINES = 8  # non-blank lines looked at for a title, byline and date before the body


def _is_heading(line: str) -> bool:
    """Short lines without closing punctuation are titles or section names, not body text."""
    s = line.strip().lstrip("#").strip()
    if not s or len(s) > 160:
        return False
    words = s.split()
    return len(words) <= 20 and not re.search(r"[.!?:;,]['\"”’)]*$", s)


@functools.lru_cache(maxsize=1)
def _front_matter_loader():
    """PyYAML's safe loader without aliases and without its date type.

    A 505-byte front matter of nested aliases (`b: &b [*a, *a, …]`) stands for billions of
    strings: PyYAML shares them, but anything that walks the result (reading a field as text)
    expands them, for minutes and gigabytes. Aliases are refused. Dates stay the strings that
    were written, so that `2019-13-45` is reported as an unreadable date instead of making the
    whole front matter fail.
    """
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError(f"aliases (*{self.peek_event().anchor}) are not allowed in front matter")
            return super().compose_node(parent, index)

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def _front_matter(text: str, source: str, problems: list[Problem]) -> tuple[dict[str, str], int]:
    """Fields of the YAML front matter and where it ends; ({}, 0) when there is none.

    Front matter that is refused (over the size cap, aliases, malformed) gives no fields and a
    notice; it is still the header, not the body, so the title is looked for after it.
    """
    if not text.startswith("---"):
        return {}, 0
    m = _FRONT_MATTER.match(text, 0, FRONT_MATTER_MAX_CHARS)
    if not m:
        whole = _FRONT_MATTER.match(text)
        if whole:
            problems.append(Problem(source, f"YAML front matter over {FRONT_MATTER_MAX_CHARS:,} characters not read; "
                                            "kept as text", rejected=False))
        return {}, whole.end() if whole else 0
    import yaml

    try:
        data = yaml.load(m.group("yaml"), Loader=_front_matter_loader())
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        problems.append(Problem(source, f"YAML front matter not read ({reason}); kept as text", rejected=False))
        return {}, m.end()
    if not isinstance(data, dict):
        return {}, m.end()
    return _pick_fields({str(k).lower(): v for k, v in data.items()}), m.end()


def _header_line(line: str, meta: dict[str, str], headings: list[str]) -> bool:
    """Take what a header line says into `meta`/`headings`; False when the line is body text."""
    if (dm := _INLINE_DATE.match(line)):
        meta.setdefault("date", dm.group("d"))
        rest = _READ_PREFIX.sub("", dm.group("rest")).strip()
        if rest and _is_heading(rest):
            headings.append(rest)
        return True
    if (bm := _BYLINE.match(line)) and len(line) < 120:
        meta.setdefault("author", bm.group("v"))
        return True
    if (dm := _DATELINE.match(line)) and len(line) < 80 and parse_date(dm.group("v")):
        meta.setdefault("date", dm.group("v"))
        return True
    if _is_heading(line):
        headings.append(_READ_PREFIX.sub("", line.lstrip("#").strip()))
        return True
    return False


def parse_text_article(text: str, source: str, encoding: str = "utf-8", *,
                       problems: list[Problem] | None = None) -> Article:
    """Recognise the header conventions of copy-pasted articles.

    The header is the run of lines before the body: YAML front matter, then short lines that are
    a section name and/or the title, a byline and a date line. The last heading line before the
    body is taken as the title, because copy-paste puts section names (`North Korea`) above it.
    Notices (front matter not read, an unreadable date) go to `problems` when it is given.
    """
    problems = problems if problems is not None else []
    meta, pos = _front_matter(text, source, problems)
    headings: list[str] = []
    body_start = pos
    scanned = 0
    for line_match in re.finditer(r"[^\n]*(?:\n|$)", text[pos:]):
        raw = line_match.group(0)
        line = raw.strip()
        if line:
            scanned += 1
            if scanned > HEADER_LINES or not _header_line(line, meta, headings):
                break
        elif not raw:
            break
        body_start = pos + line_match.end()
    if headings and "title" not in meta:
        meta["title"] = headings[-1]
    return _make_article(text, source, meta, body_start=body_start, encoding=encoding, problems=problems)


# ---------------------------------------------------------------------------------------------
# HTML

def parse_html_article(html: str, source: str, problems: list[Problem]) -> Article | None:
    """Main text and metadata of a saved web page, via trafilatura; the date via `page_date`."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False)
    except Exception as exc:  # noqa: BLE001 - trafilatura/lxml raise many types; the file is reported
        problems.append(Problem(source, f"HTML could not be parsed: {exc}"))
        return None
    if doc is not None and not isinstance(doc, dict):
        doc = doc.as_dict() if hasattr(doc, "as_dict") else vars(doc)
    text = (doc or {}).get("text") or ""
    if not text.strip():
        problems.append(Problem(source, "HTML page has no article text that could be extracted"))
        return None
    meta = {k: (doc or {}).get(k) for k in ("title", "author", "url")}
    meta["outlet"] = (doc or {}).get("sitename") or (doc or {}).get("hostname")
    meta["date"] = page_date(html, meta["url"])  # trafilatura's own date may come from the body text
    return _make_article(text, source, {k: v for k, v in meta.items() if v}, problems=problems)


# ---------------------------------------------------------------------------------------------
# JSON, JSON lines, CSV / TSV

_SCALARS = (str, int, float, dt.date)


def _field_value(value) -> str | None:
    """A metadata field as text: a scalar, or a list of scalars joined (`authors: [A, B]`).

    Nested lists and objects are not fields; they are ignored rather than printed, because
    printing a hostile structure (deeply nested, or YAML-shared) can take gigabytes.
    """
    if isinstance(value, list):
        value = ", ".join(str(v).strip() for v in value if isinstance(v, _SCALARS) and str(v).strip())
    if isinstance(value, bool) or not isinstance(value, _SCALARS):
        return None
    text = str(value).strip()
    return text if text and text.lower() not in {"none", "nan"} else None


def _pick_fields(record: dict) -> dict[str, str]:
    lowered = {str(k).strip().lower(): v for k, v in record.items()}
    out: dict[str, str] = {}
    for name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            value = _field_value(lowered.get(alias))
            if value is not None:
                out[name] = value
                break
    return out


def _record_text(record: dict) -> str | None:
    lowered = {str(k).strip().lower(): v for k, v in record.items()}
    for key in TEXT_FIELDS:
        value = lowered.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


TOO_DEEP = "JSON nested too deeply to be read (a hostile or broken file)"


def _unreadable_json(exc: Exception) -> str:
    return TOO_DEEP if isinstance(exc, RecursionError) else f"JSON could not be read ({str(exc)[:200]})"


def _json_items(data, source: str, problems: list[Problem]) -> Iterator[tuple[int, dict]]:
    items: list
    if isinstance(data, dict):
        items = data["articles"] if isinstance(data.get("articles"), list) else [data]
    elif isinstance(data, list):
        items = data
    else:
        problems.append(Problem(source, "JSON holds neither an object nor a list of objects"))
        return
    for i, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield i, item
        else:
            problems.append(Problem(source, f"item {i} is not a JSON object", line=None))


def _records_from_json(text: str, source: str, problems: list[Problem], lines: bool) -> Iterator[tuple[int, dict]]:
    """Objects of a JSON file (a list, one object, or `{"articles": [...]}`) or of JSON lines.

    JSON nested deeper than Python's recursion limit (`[[[[…` 100,000 times, in the file, one
    line or one field) raises RecursionError: it costs that file or that line, nothing else.
    """
    if lines:
        yield from _records_from_json_lines(text, source, problems)
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # A .json file that is really JSON lines is common; try that before giving up.
        if "\n{" in text.strip():
            yield from _records_from_json_lines(text, source, problems)
            return
        problems.append(Problem(source, f"malformed JSON: {exc.msg}", line=exc.lineno))
        return
    except (RecursionError, ValueError) as exc:  # ValueError: an integer of over 4,300 digits
        problems.append(Problem(source, _unreadable_json(exc)))
        return
    yield from _json_items(data, source, problems)


def _records_from_json_lines(text: str, source: str, problems: list[Problem]) -> Iterator[tuple[int, dict]]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(source, f"malformed JSON line: {exc.msg}", line=lineno))
            continue
        except (RecursionError, ValueError) as exc:
            problems.append(Problem(source, _unreadable_json(exc), line=lineno))
            continue
        if isinstance(item, dict):
            yield lineno, item
        else:
            problems.append(Problem(source, "line is not a JSON object", line=lineno))


def _read_table(text: str, delimiter: str) -> Iterator[tuple[int, dict | None, str | None]]:
    """Rows of a CSV/TSV with the line each starts on; a bad row yields its error instead."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, None, f"malformed row: {exc}"
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield line, None, f"row has {len(row)} fields, the header has {len(header)}"
            continue
        yield line, dict(zip(header, row, strict=True)), None


def _records_from_table(text: str, source: str, problems: list[Problem], delimiter: str) -> Iterator[tuple[int, dict]]:
    csv.field_size_limit(1 << 30)
    for line, row, error in _read_table(text, delimiter):
        if row is None:
            problems.append(Problem(source, error or "malformed row", line=line))
        else:
            yield line, row


def parse_record_file(text: str, path: Path, problems: list[Problem]) -> list[Article]:
    source = _source(path)
    ext = path.suffix.lower()
    if ext == ".json":
        rows = _records_from_json(text, source, problems, lines=False)
    elif ext in {".jsonl", ".ndjson"}:
        rows = _records_from_json(text, source, problems, lines=True)
    else:
        rows = _records_from_table(text, source, problems, "\t" if ext == ".tsv" else ",")
    articles = []
    for line, record in rows:
        body = _record_text(record)
        if body is None:
            problems.append(Problem(source, f"record has no text field ({'/'.join(TEXT_FIELDS[:3])})", line=line))
            continue
        articles.append(_make_article(body, f"{source}#{line}", _pick_fields(record), problems=problems))
    if not articles and not any(p.source == source for p in problems):
        problems.append(Problem(source, "no articles found in the file"))
    return articles


# ---------------------------------------------------------------------------------------------
# Metadata tables

def load_metadata(path: str | Path, problems: list[Problem] | None = None) -> dict[str, dict[str, str]]:
    """A per-file metadata table, keyed by file name with and without extension.

    PolNeAR's `metadata.tsv` (filename, publisher, publication_date, author, title) is one such
    table; any CSV/TSV with a file-name column and some of title/date/author/outlet/url works.
    """
    problems = problems if problems is not None else []
    path = Path(path)
    found = read_text(path, METADATA_MAX_BYTES, problems)
    if found is None:
        return {}
    text, _ = found
    delimiter = "\t" if path.suffix.lower() == ".tsv" or text.split("\n", 1)[0].count("\t") > 0 else ","
    table: dict[str, dict[str, str]] = {}
    for line, row, error in _read_table(text, delimiter):
        if error or row is None:
            problems.append(Problem(_source(path), error or "malformed row", line=line))
            continue
        lowered = {k.strip().lower(): v for k, v in row.items()}
        key = next((lowered[f] for f in FILENAME_FIELDS if lowered.get(f)), None)
        if not key:
            problems.append(Problem(_source(path), "row has no file name column (filename/file/path)", line=line))
            continue
        fields = _pick_fields(row)
        name = Path(key.strip()).name
        table[name] = fields
        table.setdefault(Path(name).stem, fields)
    return table


def _metadata_for(path: Path, tables: list[dict[str, dict[str, str]]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for table in tables:
        merged.update(table.get(path.name) or table.get(path.stem) or {})
    return merged


class _BesideMetadata:
    """The `metadata.csv`/`metadata.tsv` of each folder, read once, when a file of it is loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.tables: dict[Path, dict[str, dict[str, str]]] = {}

    def __call__(self, folder: Path) -> dict[str, dict[str, str]]:
        if folder not in self.tables:
            self.tables[folder] = {}
            for name in METADATA_NAMES:
                if (folder / name).exists():
                    self.tables[folder] = load_metadata(folder / name, self.problems)
                    break
        return self.tables[folder]


# ---------------------------------------------------------------------------------------------

def _date(value, source: str, problems: list[Problem] | None, *, table: bool = False) -> str | None:
    """The ISO date of a metadata value; an unreadable one is a notice naming the value."""
    if value is None or not str(value).strip():
        return None
    parsed = parse_date(str(value))
    if parsed is None and problems is not None:
        shown = str(value).strip()
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        where, then = (" in the metadata table", "ignored") if table else ("", "the article is kept undated")
        problems.append(Problem(source, f"date {shown!r}{where} is not a calendar date that can be read (relative "
                                        f"dates such as 'yesterday' are not used); {then}", rejected=False))
    return parsed


def _make_article(text: str, source: str, meta: dict, *, body_start: int = 0, encoding: str = "utf-8",
                  problems: list[Problem] | None = None) -> Article:
    if _SURROGATE.search(text):  # JSON can escape half a character ("\\ud800"): not text, and not storable
        text = _SURROGATE.sub("\ufffd", text)
        if problems is not None:
            problems.append(Problem(source, "text holds unpaired surrogate escapes (such as \\ud800), replaced "
                                            "with U+FFFD", rejected=False))
    return Article(
        article_id=article_id(text),
        source=source,
        text=text,
        title=_clean(meta.get("title")),
        author=_clean(meta.get("author")),
        date=_date(meta.get("date"), source, problems),
        outlet=_clean(meta.get("outlet")),
        url=_clean(meta.get("url")),
        body_start=body_start,
        encoding=encoding,
    )


def _clean(value) -> str | None:
    if value is None:
        return None
    value = re.sub(r"\s+", " ", _SURROGATE.sub("\ufffd", str(value))).strip()
    return value or None


def _apply_metadata(article: Article, meta: dict[str, str], problems: list[Problem]) -> Article:
    if not meta:
        return article
    changes: dict = {k: _clean(v) for k, v in meta.items() if k in {"title", "author", "outlet", "url"} and _clean(v)}
    parsed = _date(meta.get("date"), article.source, problems, table=True)
    if parsed:
        changes["date"] = parsed
    return replace(article, **changes)


# ---------------------------------------------------------------------------------------------
# Files and folders

def _walk(top: Path, problems: list[Problem]) -> list[Path]:
    """Files under `top`, following each symbolic link to a folder once.

    `os.walk` does not follow links to folders (it would loop on a link to a parent); skipping
    them lost their articles without a word. The tree is walked first, then each linked folder
    that is not already read (not inside the tree, not a loop, not a second link to it); a
    link that leads to a folder already read is reported.
    """
    found: list[Path] = []
    seen: set[str] = set()
    links: list[Path] = [top]

    def onerror(exc: OSError) -> None:
        problems.append(Problem(_source(Path(exc.filename or top)), f"cannot be read: {exc.strerror or exc}"))

    while links:
        start = links.pop(0)
        real = os.path.realpath(start)
        if real in seen:
            problems.append(Problem(_source(start), f"symbolic link to a folder that is read already ({_source(Path(real))}); "
                                                "not read twice", rejected=False))
            continue
        for root, dirs, files in os.walk(start, onerror=onerror):
            seen.add(os.path.realpath(root))
            visible = [os.path.join(root, d) for d in sorted(dirs) if not d.startswith(".")]
            links.extend(Path(d) for d in visible if os.path.islink(d))
            # A linked folder may hold one read already (the tree the link is in): not twice.
            dirs[:] = [os.path.basename(d) for d in visible if not os.path.islink(d) and os.path.realpath(d) not in seen]
            found.extend(Path(root) / f for f in files if not f.startswith("."))
    return sorted(found)


def iter_files(paths: Iterable[str | Path], problems: list[Problem]) -> Iterator[Path]:
    """Files under the given paths, recursively, in a stable order; hidden files are skipped."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append(Problem(_source(path), "no such file or folder" if not path.is_symlink()
                                    else f"broken symbolic link (to {_source(Path(os.readlink(path)))})"))
        elif path.is_dir():
            yield from _walk(path, problems)
        else:
            yield path


def _parse_file(path: Path, text: str, encoding: str, problems: list[Problem]) -> list[Article]:
    ext = path.suffix.lower()
    if ext in TEXT_EXTENSIONS:
        return [parse_text_article(text, _source(path), encoding, problems=problems)]
    if ext in HTML_EXTENSIONS:
        art = parse_html_article(text, _source(path), problems)
        return [art] if art else []
    return parse_record_file(text, path, problems)


def load_file(path: Path, problems: list[Problem], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """The articles of one file; whatever is wrong with it is recorded in `problems`, never raised."""
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        problems.append(Problem(_source(path), f"unsupported file type {ext or '(no extension)'!r}; "
                                          f"supported: {', '.join(sorted(SUPPORTED))}"))
        return []
    found = read_text(path, max_bytes, problems)
    if found is None:
        return []
    if _source(path) != str(path):
        problems.append(Problem(_source(path), "file name is not valid UTF-8: shown with U+FFFD for its bad bytes",
                                rejected=False))
    try:
        return _parse_file(path, *found, problems)
    except Exception as exc:  # noqa: BLE001 - a parser's failure on one hostile file must not cost the others
        problems.append(Problem(_source(path), f"could not be read ({type(exc).__name__}: {str(exc)[:200]})"))
        return []


def _too_long(article: Article, max_chars: int, problems: list[Problem]) -> bool:
    if len(article.text) <= max_chars:
        return False
    problems.append(Problem(article.source, f"article is {len(article.text):,} characters, over the {max_chars:,}-character "
                                            "limit; split it into several files"))
    return True


def load_paths(paths: Iterable[str | Path], *, metadata: str | Path | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS) -> LoadResult:
    """Load every article under `paths`; duplicates (same normalised text) are kept once."""
    result = LoadResult()
    problems = result.problems
    explicit = [load_metadata(metadata, problems)] if metadata else []
    beside = _BesideMetadata(problems)
    seen: dict[str, str] = {}
    for path in iter_files(paths, problems):
        if path.name.lower() in METADATA_NAMES:
            continue  # read as the metadata of its folder, not as articles
        articles = load_file(path, problems, max_bytes=max_bytes)
        meta = _metadata_for(path, [beside(path.parent), *explicit]) if articles else {}
        for art in articles:
            if not art.text.strip():
                problems.append(Problem(art.source, "article text is empty"))
            elif _too_long(art, max_chars, problems):
                continue
            elif art.article_id in seen:
                result.duplicates.append((art.source, seen[art.article_id]))
            else:
                seen[art.article_id] = art.source
                result.articles.append(_apply_metadata(art, meta, problems))
    return result
