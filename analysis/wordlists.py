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
# Read by the extractors at ingest (aliases.csv is read when the store loads, so it is not here).
INGEST_FILES = ("first_names.tsv", "name_parts.txt", "quote_words.txt", "reporting_verbs.txt", "titles.tsv")


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
    digest = hashlib.sha256()
    for name in INGEST_FILES:
        digest.update(name.encode())
        digest.update((DATA / name).read_bytes())
    return digest.hexdigest()[:8]
