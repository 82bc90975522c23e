"""The Ray engine (`--engine ray`) against the local one, on a local Ray instance.

Ray is an optional extra (`requirements-scale.txt`); without it these tests skip (and in CI,
where the extra is installed, a skip counts as a failure).
"""
from __future__ import annotations

import pytest

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install -r requirements-scale.txt")

from analysis import pipeline  # noqa: E402
from analysis.pipeline import ingest  # noqa: E402
from analysis.store import Store  # noqa: E402

from .conftest import SEEDS  # noqa: E402

TABLES = ("articles", "entities", "quotes", "speakers")


@pytest.fixture(scope="module")
def local_ray():
    from analysis.engines.ray_engine import job_runtime_env

    # address="local": always a fresh Ray of our own, never a cluster that happens to run here.
    ray.init(address="local", num_cpus=2, include_dashboard=False, runtime_env=job_runtime_env(), log_to_driver=False)
    yield
    ray.shutdown()


def rows(store: Store, table: str) -> list[tuple]:
    con = store.connect()
    if table == "articles":
        return con.execute("SELECT article_id, title, date, model, extractor_version FROM articles ORDER BY ALL").fetchall()
    return con.execute(f"SELECT * EXCLUDE (part) FROM {table} ORDER BY ALL").fetchall()


def test_ray_engine_stores_what_the_local_engine_stores(tmp_path, nlp, local_ray, monkeypatch):
    from analysis.engines.ray_engine import RayEngine

    local = Store(tmp_path / "local")
    ingest([SEEDS], local)
    distributed = Store(tmp_path / "ray")
    report = ingest([SEEDS], distributed, engine=RayEngine(workers=2), commit_every=2)
    assert (report.loaded, report.ingested) == (3, 3)
    assert len(distributed.part_dirs()) == 2  # committed batch by batch, as the local engine does
    for table in TABLES:
        assert rows(distributed, table) == rows(local, table), table
    assert len(rows(distributed, "quotes")) > 5

    # Already stored: nothing is sent to Ray again.
    again = ingest([SEEDS], distributed, engine=RayEngine(workers=2))
    assert (again.ingested, again.unchanged) == (0, 3)

    # A new extractor version: the stored articles are redone on Ray from their stored text.
    monkeypatch.setattr(pipeline, "PIPELINE_VERSION", "test-bump")
    redo = ingest([], distributed, engine=RayEngine(workers=2))
    assert (redo.ingested, redo.reprocessed) == (3, 3)
    assert [len(rows(distributed, t)) for t in TABLES] == [len(rows(local, t)) for t in TABLES]


def test_the_command_rejects_an_address_without_ray(tmp_path, capsys):
    from analysis.cli import main

    code = main(["ingest", str(SEEDS), "--store", str(tmp_path / "s"), "--address", "auto", "--quiet"])
    assert code == 2
    assert "--address is for --engine ray" in capsys.readouterr().err
