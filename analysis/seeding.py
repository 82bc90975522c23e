"""First start: an empty store is filled from the bundled seed articles.

The dashboard must open on something an analyst can read, on a fresh machine, a fresh container
volume or a hosted instance, without anyone running the CLI first. Several visitors may arrive
at once: one ingests, the others wait for its store lock and then find the store filled.
The UI only shows the progress this module reports.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.nlp import ModelNotFound
from analysis.pipeline import ingest
from analysis.records import Problem
from analysis.store import Store, StoreBusy

SEEDS_ENV = "ANALYSIS_SEEDS"
DEFAULT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
WAIT_SECONDS = 600.0

# (done, total, waiting_for_another_process)
SeedProgress = Callable[[int, int, bool], None]


@dataclass
class SeedResult:
    seeded: int = 0  # articles ingested by this call
    rejected: list[Problem] = field(default_factory=list)
    error: str | None = None  # nothing could be seeded (no model, the store stayed locked)


def seeds_dir() -> Path | None:
    """`$ANALYSIS_SEEDS` (set but empty: never seed) or the repository's `seeds/`."""
    value = os.environ.get(SEEDS_ENV)
    if value is not None:
        return Path(value) if value.strip() else None
    return DEFAULT_SEEDS


def needs_seeding(store: Store, seeds: Path | None = None) -> bool:
    seeds = seeds if seeds is not None else seeds_dir()
    return store.is_empty() and seeds is not None and seeds.is_dir()


def seed_if_empty(store: Store, seeds: Path | None = None, progress: SeedProgress | None = None,
                  wait_seconds: float = WAIT_SECONDS, poll_seconds: float = 1.0) -> SeedResult:
    """Ingest the seed folder into an empty store; wait while another process holds the lock."""
    seeds = seeds if seeds is not None else seeds_dir()
    result = SeedResult()
    if seeds is None or not needs_seeding(store, seeds):
        return result
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            report = ingest([seeds], store, progress=(lambda d, t: progress(d, t, False)) if progress else None)
        except StoreBusy:
            if progress:
                progress(0, 0, True)
            if not store.is_empty():
                return result  # the other process committed a batch: readable now
            if time.monotonic() >= deadline:
                result.error = "The store stayed locked by another ingest; reload the page later."
                return result
            time.sleep(poll_seconds)
            continue
        except ModelNotFound as exc:
            result.error = f"Cannot process the seed articles: {exc}"
            return result
        result.seeded = report.ingested
        result.rejected = report.rejected
        return result
