"""Articles a visitor uploads on the Add page: processed for that session only.

The files go through the same loaders and extractors as the CLI ingest, so an upload gets the same
per-file problems and the same per-article quotes and entities, but nothing is written to the
shared store: on a hosted link one visitor's files must never show up for the next.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from analysis.filters import Filters
from analysis.loaders import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, load_paths, parse_text_article
from analysis.pipeline import process_articles
from analysis.records import Article, Problem
from analysis.store import ProcessedArticle

UNDATED = "undated"


UNATTRIBUTED = "unattributed"
ARTICLE_COLUMNS = ["article_id", "title", "author", "date", "outlet", "word_count", "quotes", "entities", "url",
                   "file"]
QUOTE_COLUMNS = ["article_id", "quote", "speaker", "description", "cue", "kind", "start", "end", "article", "outlet",
                 "date", "url", "quote_id"]
ENTITY_COLUMNS = ["article_id", "start", "end", "text", "entity", "type"]


def uploads_frames(processed: Sequence[ProcessedArticle]) -> dict[str, pd.DataFrame]:
    """The articles, quotes and entities of a session's uploads, in the columns of the corpus's
    own tables (per-article results only: corpus-level names, roles and groups are the shared
    corpus's)."""
    arts, quotes, ents = [], [], []
    for p in processed:
        a = p.article
        title = a.title or Path(a.source).name
        arts.append({"article_id": a.article_id, "title": title, "author": a.author, "date": a.date or UNDATED,
                     "outlet": a.outlet, "word_count": a.word_count, "quotes": len(p.quotes),
                     "entities": len(p.entities), "url": a.url, "file": Path(a.source).name})
        for q in p.quotes:
            quotes.append({"article_id": a.article_id, "quote": q.text, "speaker": q.speaker or UNATTRIBUTED,
                           "description": q.speaker_description, "cue": q.cue, "kind": q.kind, "start": q.start,
                           "end": q.end, "article": title, "outlet": a.outlet, "date": a.date or UNDATED,
                           "url": a.url, "quote_id": f"{a.article_id}:{q.start}"})
        for e in p.entities:
            ents.append({"article_id": a.article_id, "start": e.start, "end": e.end, "text": e.text,
                         "entity": e.canonical, "type": e.label})
    return {"articles": pd.DataFrame(arts, columns=ARTICLE_COLUMNS),
            "quotes": pd.DataFrame(quotes, columns=QUOTE_COLUMNS),
            "entities": pd.DataFrame(ents, columns=ENTITY_COLUMNS)}


def matching_quotes(processed: Sequence[ProcessedArticle], f: Filters) -> pd.DataFrame:
    """The session's uploaded quotes that the analyst's filters leave, with the filters' meaning
    (`analysis.filters`) read on the upload's own fields. A role or entity filter needs the
    corpus's derivation, which uploads do not get: it leaves none of them."""
    quotes = uploads_frames(processed)["quotes"]
    if f.role or f.entities or quotes.empty:
        return quotes.iloc[0:0]
    keep = pd.Series(True, index=quotes.index)
    if f.speakers:
        keep &= quotes["speaker"].isin(f.speakers)
    if f.outlets:
        keep &= quotes["outlet"].isin(f.outlets)
    if f.article:
        keep &= quotes["article_id"] == f.article
    if f.has_date:
        days = pd.to_datetime(quotes["date"], errors="coerce").dt.date
        keep &= days.notna() & days.map(lambda d: _in_range(d, f))
    for words, fields in ((f.q, ("quote", "speaker", "article")), (f.said, ("quote",))):
        if words.strip():
            keep &= quotes.apply(lambda r, w=words, c=fields: _has_words(w, [str(r[x]) for x in c]), axis=1)
    return quotes[keep].reset_index(drop=True)


def _in_range(day, f: Filters) -> bool:
    return not pd.isna(day) and (f.date_from is None or day >= f.date_from) and (f.date_to is None or day <= f.date_to)


def _has_words(q: str, fields: list[str]) -> bool:
    """Every word in one field (the quote with its speaker counts as one unit, as in the index)."""
    words = [w.strip('"').lower() for w in q.split() if w.strip('"')]
    unit = " ".join(fields[:2]).lower()
    return all(w in unit for w in words) or any(all(w in x.lower() for w in words) for x in fields[2:])


ProgressFn = Callable[[int, int], None]


@dataclass
class UploadResult:
    processed: list[ProcessedArticle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the file it repeats)


def process_uploads(files: Sequence[tuple[str, bytes]], pasted: str = "", progress: ProgressFn | None = None,
                    nlp=None, max_bytes: int | None = None) -> UploadResult:
    """Process uploaded files and pasted text for one visitor's session, without touching the store."""
    result = UploadResult()
    articles = _load_files(files, max_bytes or DEFAULT_MAX_BYTES, result)
    if len(pasted) > DEFAULT_MAX_CHARS:
        result.problems.append(Problem("pasted text", f"{len(pasted):,} characters, over the limit of "
                                                      f"{DEFAULT_MAX_CHARS:,}; paste a shorter text"))
    elif pasted.strip():
        articles.append(parse_text_article(pasted, "pasted text", problems=result.problems))
    unique = _once_each(articles, result)
    if progress:
        progress(0, len(unique))
    for i, processed in enumerate(process_articles(unique, nlp=nlp), start=1):
        result.processed.append(processed)
        if progress:
            progress(i, len(unique))
    return result


def _load_files(files: Sequence[tuple[str, bytes]], max_bytes: int, result: UploadResult) -> list[Article]:
    """The files through the CLI's loaders, written to a private temporary folder under their base
    names (a crafted name cannot escape it); problems name the file as the visitor knows it."""
    if not files:
        return []
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        paths = []
        for i, (name, data) in enumerate(files):
            folder = Path(tmp) / f"{i:03d}"  # one folder each: two uploads may share a name
            folder.mkdir()
            path = folder / (Path(name).name or f"upload-{i}")
            path.write_bytes(data)
            paths.append(path)
        loaded = load_paths(paths, max_bytes=max_bytes)
    prefix = str(Path(tmp)) + "/"
    result.problems.extend(replace(p, source=_strip_tmp(p.source, prefix)) for p in loaded.problems)
    result.duplicates.extend((_strip_tmp(s, prefix), _strip_tmp(f, prefix)) for s, f in loaded.duplicates)
    return [replace(a, source=_strip_tmp(a.source, prefix)) for a in loaded.articles]


def _once_each(articles: list[Article], result: UploadResult) -> list[Article]:
    seen: set[str] = set()
    unique = []
    for a in articles:
        if a.article_id in seen:
            result.duplicates.append((a.source, "another article in this upload"))
            continue
        seen.add(a.article_id)
        unique.append(a)
    return unique


def _strip_tmp(source: str, prefix: str) -> str:
    if source.startswith(prefix):
        rest = source[len(prefix):]
        return rest.split("/", 1)[1] if "/" in rest else rest
    return source
