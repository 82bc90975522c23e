"""Word lists kept as data in `analysis/data/`, and the fingerprint of those read at ingest.

Lists are data so that an analyst can extend one without touching code; because the extractors
read them at ingest, the extractor version carries a hash of their contents (`ingest_hash`),
and editing one reprocesses the stored articles on the next ingest.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
# Read by the extractors at ingest; editing one reprocesses the stored articles.
INGEST_FILES = ("entity_types.txt", "first_names.tsv", "name_parts.txt", "quote_words.txt", "reporting_verbs.txt",
                "stance_cues.tsv",
                "titles.tsv")
# Read when the store loads (`analysis.corpus`): editing one re-derives the corpus tables, no re-parse.
CORPUS_FILES = ("aliases.csv", "nicknames.tsv", "roles.toml", "sides.toml")


def lines(name: str) -> list[str]:
    """The file's lines without comments (from "#") and blank lines, stripped."""
    out = []
    for raw in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if line.strip():
            out.append(line)
    return out


@lru_cache(maxsize=None)
def sections(name: str) -> dict[str, frozenset[str]]:
    """A file of one word a line under `[section]` headings, as {section: words}."""
    found: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in lines(name):
        word = line.strip()
        if word.startswith("[") and word.endswith("]"):
            current = found.setdefault(word[1:-1], set())
        elif current is None:
            raise ValueError(f"{DATA / name}: {word!r} stands before any [section] heading")
        else:
            current.add(word.lower())
    return {k: frozenset(v) for k, v in found.items()}


@lru_cache(maxsize=None)
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """A tab-separated file as rows of stripped cells (missing trailing cells are empty)."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in lines(name))


@lru_cache(maxsize=1)
def ingest_hash() -> str:
    """A short hash of every list the extractors read, for the extractor version."""
    return _hash(INGEST_FILES)


@lru_cache(maxsize=1)
def corpus_hash() -> str:
    """A short hash of every list the corpus step reads, for the corpus cache key."""
    return _hash(CORPUS_FILES)


def _hash(files: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode())
        digest.update((DATA / name).read_bytes())
    return digest.hexdigest()[:8]
