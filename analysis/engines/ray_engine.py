"""Ingest on a Ray cluster: the same parse and extractors, run by Ray Data actors.

    python -m analysis ingest PATH… --engine ray                 # a local Ray instance
    python -m analysis ingest PATH… --engine ray --address auto  # the cluster this node is in
    python -m analysis ingest PATH… --engine ray --address ray://head:10001 --workers 16

Division of work:

- The driver (the `ingest` process) loads the files, decides what needs processing (the same
  skip-what-is-already-stored logic as the local engine, in `pipeline.ingest`) and writes the
  store. It alone holds the store's write lock, and it commits each batch with
  `Store.write_part` as results stream back, so a killed run keeps every committed batch and a
  rerun parses only the rest. The store folder only has to exist where the driver runs.
- Ray Data `map_batches` sends the articles to a pool of actors (`ArticleProcessor`, a callable
  class): each actor loads the spaCy model once, when it starts, and runs
  `pipeline.process_articles` — the very code of the local engine — on its batches. Records
  travel as pickled `Article`/`ProcessedArticle` objects, so nothing is re-encoded on the way.

The cluster's nodes need the Python packages of `requirements-scale.txt`, including the spaCy
model; the `analysis` package itself is shipped with the job (`runtime_env` `py_modules`), so
the nodes need not have this repository. If a node has a different model version than the
driver, the run stops rather than stamp the store with the wrong version.
"""
from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import ray  # the optional extra: importing this module fails clearly without it

import analysis
from analysis.records import Article
from analysis.store import ProcessedArticle

BATCH_SIZE = 16  # articles per map_batches call: small, so results stream back to the writer


def job_runtime_env() -> dict:
    """What a Ray job needs to run this engine: this `analysis` package and its settings.

    Give it to `ray.init(runtime_env=...)` when initialising Ray yourself (Ray accepts a local
    package only at the job level).
    """
    return {"py_modules": [str(Path(analysis.__file__).parent)],
            "env_vars": {k: v for k, v in os.environ.items() if k.startswith("ANALYSIS_")}}


class ArticleProcessor:
    """One Ray actor: the model, loaded once, and the extractors, applied to batches of articles."""

    def __init__(self, model: str):
        from analysis.nlp import load_model, model_version

        self.nlp = load_model(model)
        self.model_version = model_version(model)

    def __call__(self, batch):
        import pyarrow as pa

        from analysis.pipeline import process_articles

        articles = [pickle.loads(b) for b in batch.column("article").to_pylist()]
        done = [pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL)
                for p in process_articles(articles, nlp=self.nlp, batch_size=len(articles) or 1)]
        return pa.table({"processed": pa.array(done, pa.large_binary()),
                         "model": pa.array([self.model_version] * len(done), pa.string())})


class RayEngine:
    """An `Engine` for `pipeline.ingest`: articles in, processed articles out, computed by Ray.

    `address`: None is Ray's default (the cluster in $RAY_ADDRESS or one already running on this
    machine, else a new local Ray for the run); "auto" or "ray://host:port" connect to a
    cluster. If Ray is already initialised in this process (as in the tests), that is used.
    `workers`: the number of model actors (default: one per CPU of the cluster).
    """

    def __init__(self, *, address: str | None = None, workers: int | None = None,
                 batch_size: int = BATCH_SIZE, model: str | None = None):
        self.address = address
        self.workers = workers
        self.batch_size = batch_size
        self.model = model

    def __call__(self, articles: Iterable[Article]) -> Iterator[ProcessedArticle]:
        from analysis.nlp import model_name, model_version

        items = [{"article": pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL)} for a in articles]
        if not items:
            return
        model = self.model or model_name()
        expected = model_version(model)
        started_here = not ray.is_initialized()
        if started_here:
            ray.init(address=self.address, runtime_env=job_runtime_env(), include_dashboard=False,
                     log_to_driver=False, configure_logging=False)
        try:
            yield from self._run(items, model, expected)
        finally:
            if started_here:
                ray.shutdown()

    def _run(self, items: list[dict], model: str, expected: str) -> Iterator[ProcessedArticle]:
        import ray.data

        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False  # the ingest command has its own
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        workers = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        workers = min(workers, max(1, -(-len(items) // self.batch_size)))
        source = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), workers * 4)))
        ds = source.map_batches(
            ArticleProcessor,
            fn_constructor_kwargs={"model": model},
            batch_size=self.batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1,
        )
        for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None, prefetch_batches=1):
            assert isinstance(batch, pa.Table)
            versions = set(batch.column("model").to_pylist())
            if versions - {expected}:
                raise RuntimeError(f"a Ray worker has spaCy model {sorted(versions - {expected})}, the driver "
                                   f"{expected}: install the same model version on every node")
            for blob in batch.column("processed").to_pylist():
                yield pickle.loads(blob)
