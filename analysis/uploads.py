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

from analysis.loaders import DEFAULT_MAX_BYTES, load_paths, parse_text_article
from analysis.pipeline import process_articles
from analysis.records import Article, Problem
from analysis.store import ProcessedArticle

UNDATED = "undated"


def uploads_frames(processed: Sequence[ProcessedArticle]) -> dict[str, pd.DataFrame]:
    """The articles, quotes and entities of a session's uploads as the pages' tables."""
    arts, quotes, ents = [], [], []
    for p in processed:
        a = p.article
        arts.append({"article_id": a.article_id, "title": a.title or a.source, "author": a.author,
                     "date": a.date or UNDATED, "outlet": a.outlet, "word_count": a.word_count,
                     "quotes": len(p.quotes), "entities": len(p.entities), "source": a.source})
        for q in p.quotes:
            quotes.append({"article_id": a.article_id, "quote": q.text, "speaker": q.speaker or "unknown",
                           "cue": q.cue, "kind": q.kind, "start": q.start, "end": q.end,
                           "article": a.title or a.source})
        for e in p.entities:
            ents.append({"article_id": a.article_id, "start": e.start, "end": e.end, "text": e.text,
                         "entity": e.canonical, "type": e.label})
    return {"articles": pd.DataFrame(arts, columns=["article_id", "title", "author", "date", "outlet", "word_count",
                                                    "quotes", "entities", "source"]),
            "quotes": pd.DataFrame(quotes, columns=["article_id", "quote", "speaker", "cue", "kind", "start", "end",
                                                    "article"]),
            "entities": pd.DataFrame(ents, columns=["article_id", "start", "end", "text", "entity", "type"])}


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
    if pasted.strip():
        articles.append(parse_text_article(pasted, "pasted text"))
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
