"""Engines: where the parse and the extractors run during an ingest.

`local` is `pipeline.process_articles` in this process (spaCy's own multiprocessing with
`--workers`); `ray` runs the same `process_doc` on a Ray cluster (`ray_engine`, an optional
extra: `pip install -r requirements-scale.txt`). Either way the store is written by the ingest
process itself, with the same skip-what-is-done, batch-by-batch commits.
"""
from __future__ import annotations

from analysis.pipeline import Engine

ENGINES = ("local", "ray")


def get_engine(name: str = "local", *, workers: int = 1, address: str | None = None) -> Engine | None:
    """The engine to pass to `pipeline.ingest` (None: the default local one)."""
    if name == "local":
        if address:
            raise ValueError("--address is for --engine ray")
        return None
    if name == "ray":
        from analysis.engines.ray_engine import RayEngine

        return RayEngine(address=address, workers=workers if workers > 1 else None)
    raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
