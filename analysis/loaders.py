"""Turn files on disk into `Article` records, reporting every bad input and losing nothing else.

Supported inputs: `.txt`/`.md` (copy-pasted articles with header conventions such as
`Written by …` and `date 2019-10-08`, or YAML front matter), `.html`/`.htm` (saved pages, via
trafilatura), `.json`/`.jsonl`/`.csv`/`.tsv` (one article per object or row). A metadata table
(`--metadata FILE`, or a `metadata.csv`/`metadata.tsv` beside the files) sets or overrides title,
date, author, outlet and url per file name.

A problem with one file (or one row) never stops the others: it becomes a `Problem` with the
file name, the line where there is one, and the reason.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis.dates import parse_date
from analysis.records import Article, Problem

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
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


def read_text(path: Path, max_bytes: int, problems: list[Problem]) -> tuple[str, str] | None:
    """Read and decode a file, or record why it cannot be an article."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            problems.append(Problem(name, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit "
                                          "(raise it with --max-bytes)"))
            return None
        data = path.read_bytes()
    except PermissionError:
        problems.append(Problem(name, "cannot be read: permission denied"))
        return None
    except OSError as exc:
        problems.append(Problem(name, f"cannot be read: {exc.strerror or exc}"))
        return None
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
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        try:
            text = data.decode(FALLBACK_ENCODING)
            enc = FALLBACK_ENCODING
        except UnicodeDecodeError:
            text, enc = data.decode("latin-1"), "latin-1"
        problems.append(Problem(name, f"not valid UTF-8 (byte {exc.start}); decoded as {enc} instead",
                                rejected=False))
        return text, enc


# ---------------------------------------------------------------------------------------------
# Plain text and Markdown

_BYLINE = re.compile(r"^\s*(?:written\s+by|by|author(?:s)?\s*:|byline\s*:)\s*(?P<v>.+?)\s*$", re.I)
_DATELINE = re.compile(
    r"^\s*(?:date(?:d)?|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|last\s+updated)\s*[:\-]?\s*"
    r"(?P<v>.+?)\s*$", re.I)
_INLINE_DATE = re.compile(r"^\s*date\s*[:\-]?\s*(?P<d>\d{4}-\d{2}-\d{2})\s*(?P<rest>.*)$", re.I)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_READ_PREFIX = re.compile(r"^(?:read|read more|related|title)\s*:\s*", re.I)


def _is_heading(line: str) -> bool:
    """Short lines without closing punctuation are titles or section names, not body text."""
    s = line.strip().lstrip("#").strip()
    if not s or len(s) > 160:
        return False
    words = s.split()
    return len(words) <= 20 and not re.search(r"[.!?:;,]['\"”’)]*$", s)


def parse_text_article(text: str, source: str, encoding: str = "utf-8") -> Article:
    """Recognise the header conventions of copy-pasted articles.

    The header is the run of lines before the body: YAML front matter, then short lines that are
    a section name and/or the title, a byline and a date line. The last heading line before the
    body is taken as the title, because copy-paste puts section names (`North Korea`) above it.
    """
    meta: dict[str, str] = {}
    pos = 0
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            import yaml

            data = yaml.safe_load(m.group("yaml"))
            if isinstance(data, dict):
                meta.update(_pick_fields({str(k).lower(): v for k, v in data.items()}))
        except Exception:  # noqa: BLE001 - malformed front matter: keep it as text rather than lose the article
            pass
        else:
            pos = m.end()

    headings: list[str] = []
    body_start = pos
    scanned = 0
    for line_match in re.finditer(r"[^\n]*(?:\n|$)", text[pos:]):
        raw = line_match.group(0)
        if not raw:
            break
        line = raw.strip()
        line_end = pos + line_match.end()
        if not line:
            body_start = line_end
            continue
        scanned += 1
        if scanned > 8:
            break
        if (dm := _INLINE_DATE.match(line)):
            meta.setdefault("date", dm.group("d"))
            rest = _READ_PREFIX.sub("", dm.group("rest")).strip()
            if rest and _is_heading(rest):
                headings.append(rest)
            body_start = line_end
            continue
        if (bm := _BYLINE.match(line)) and len(line) < 120:
            meta.setdefault("author", bm.group("v"))
            body_start = line_end
            continue
        if (dm := _DATELINE.match(line)) and len(line) < 80 and parse_date(dm.group("v")):
            meta.setdefault("date", dm.group("v"))
            body_start = line_end
            continue
        if _is_heading(line):
            headings.append(_READ_PREFIX.sub("", line.lstrip("#").strip()))
            body_start = line_end
            continue
        break
    if headings and "title" not in meta:
        meta["title"] = headings[-1]
    return _make_article(text, source, meta, body_start=body_start, encoding=encoding)


# ---------------------------------------------------------------------------------------------
# HTML

def parse_html_article(html: str, source: str, problems: list[Problem]) -> Article | None:
    """Main text and metadata of a saved web page, via trafilatura."""
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
    meta = {k: (doc or {}).get(k) for k in ("title", "author", "date", "url")}
    meta["outlet"] = (doc or {}).get("sitename") or (doc or {}).get("hostname")
    return _make_article(text, source, {k: v for k, v in meta.items() if v})


# ---------------------------------------------------------------------------------------------
# JSON, JSON lines, CSV / TSV

def _pick_fields(record: dict) -> dict[str, str]:
    lowered = {str(k).strip().lower(): v for k, v in record.items()}
    out: dict[str, str] = {}
    for name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            value = lowered.get(alias)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value if v)
            if value not in (None, "") and str(value).strip() and str(value).strip().lower() not in {"none", "nan"}:
                out[name] = str(value).strip()
                break
    return out


def _record_text(record: dict) -> str | None:
    lowered = {str(k).strip().lower(): v for k, v in record.items()}
    for key in TEXT_FIELDS:
        value = lowered.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _records_from_json(text: str, source: str, problems: list[Problem], lines: bool) -> Iterator[tuple[int, dict]]:
    if not lines:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            # A .json file that is really JSON lines is common; try that before giving up.
            if "\n{" in text.strip():
                yield from _records_from_json(text, source, problems, lines=True)
                return
            problems.append(Problem(source, f"malformed JSON: {exc.msg}", line=exc.lineno))
            return
        if isinstance(data, dict):
            items = data.get("articles") if isinstance(data.get("articles"), list) else [data]
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
        return
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(source, f"malformed JSON line: {exc.msg}", line=lineno))
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
        if error:
            problems.append(Problem(source, error, line=line))
        else:
            yield line, row


def parse_record_file(text: str, path: Path, problems: list[Problem]) -> list[Article]:
    source = str(path)
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
        articles.append(_make_article(body, f"{source}#{line}", _pick_fields(record)))
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
    found = read_text(path, 1 << 30, problems)
    if found is None:
        return {}
    text, _ = found
    delimiter = "\t" if path.suffix.lower() == ".tsv" or text.split("\n", 1)[0].count("\t") > 0 else ","
    table: dict[str, dict[str, str]] = {}
    for line, row, error in _read_table(text, delimiter):
        if error:
            problems.append(Problem(str(path), error, line=line))
            continue
        lowered = {k.strip().lower(): v for k, v in row.items()}
        key = next((lowered[f] for f in FILENAME_FIELDS if lowered.get(f)), None)
        if not key:
            problems.append(Problem(str(path), "row has no file name column (filename/file/path)", line=line))
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


# ---------------------------------------------------------------------------------------------

def _make_article(text: str, source: str, meta: dict, *, body_start: int = 0, encoding: str = "utf-8") -> Article:
    date_value = meta.get("date")
    return Article(
        article_id=article_id(text),
        source=source,
        text=text,
        title=_clean(meta.get("title")),
        author=_clean(meta.get("author")),
        date=parse_date(str(date_value)) if date_value else None,
        outlet=_clean(meta.get("outlet")),
        url=_clean(meta.get("url")),
        body_start=body_start,
        encoding=encoding,
    )


def _clean(value) -> str | None:
    if value is None:
        return None
    value = re.sub(r"\s+", " ", str(value)).strip()
    return value or None


def _apply_metadata(article: Article, meta: dict[str, str]) -> Article:
    if not meta:
        return article
    changes = {k: _clean(v) for k, v in meta.items() if k in {"title", "author", "outlet", "url"} and _clean(v)}
    if meta.get("date"):
        parsed = parse_date(meta["date"])
        if parsed:
            changes["date"] = parsed
    return replace(article, **changes)


def iter_files(paths: Iterable[str | Path], problems: list[Problem]) -> Iterator[Path]:
    """Files under the given paths, recursively, in a stable order; hidden files are skipped."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append(Problem(str(path), "no such file or folder"))
            continue
        if path.is_dir():
            found = []

            def onerror(exc: OSError, path: Path = path) -> None:
                problems.append(Problem(exc.filename or str(path), f"cannot be read: {exc.strerror or exc}"))

            for root, dirs, files in os.walk(path, onerror=onerror):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / f for f in files if not f.startswith("."))
            yield from sorted(found)
        else:
            yield path


def load_paths(paths: Iterable[str | Path], *, metadata: str | Path | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
    """Load every article under `paths`; duplicates (same normalised text) are kept once."""
    result = LoadResult()
    problems = result.problems
    explicit: list[dict[str, dict[str, str]]] = []
    if metadata:
        explicit.append(load_metadata(metadata, problems))
    beside: dict[Path, dict[str, dict[str, str]]] = {}
    seen: dict[str, str] = {}
    for path in iter_files(paths, problems):
        if path.name.lower() in METADATA_NAMES:
            continue  # read below as the metadata of its folder, not as articles
        ext = path.suffix.lower()
        if ext not in SUPPORTED:
            problems.append(Problem(str(path), f"unsupported file type {ext or '(no extension)'!r}; "
                                               f"supported: {', '.join(sorted(SUPPORTED))}"))
            continue
        found = read_text(path, max_bytes, problems)
        if found is None:
            continue
        text, encoding = found
        if ext in TEXT_EXTENSIONS:
            articles = [parse_text_article(text, str(path), encoding)]
        elif ext in HTML_EXTENSIONS:
            art = parse_html_article(text, str(path), problems)
            articles = [art] if art else []
        else:
            articles = parse_record_file(text, path, problems)
        folder = path.parent
        if folder not in beside:
            beside[folder] = {}
            for name in METADATA_NAMES:
                if (folder / name).is_file():
                    beside[folder] = load_metadata(folder / name, problems)
                    break
        meta = _metadata_for(path, [beside[folder], *explicit])
        for art in articles:
            if not art.text.strip():
                problems.append(Problem(art.source, "article text is empty"))
                continue
            if art.article_id in seen:
                result.duplicates.append((art.source, seen[art.article_id]))
                continue
            seen[art.article_id] = art.source
            result.articles.append(_apply_metadata(art, meta))
    return result
