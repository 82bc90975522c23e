"""Shared fixtures. In CI (CI=true) a skipped test is a failure: a browser test that skips
because Chromium is missing has tested nothing."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.entity_cases import WRITTEN, frame

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"


def pytest_collectreport(report):
    """A whole module skipped at collection (pytest.importorskip) is a failure in CI too."""
    if in_ci() and report.skipped:
        report.outcome = "failed"


@pytest.fixture(scope="session")
def nlp():
    from analysis.nlp import load_model

    return load_model()


# Entities of the seed articles: parsed and extracted once per test module that asks for them.

@pytest.fixture(scope="module")
def seeds(nlp):
    from analysis.loaders import load_paths

    articles = load_paths([SEEDS]).articles
    assert len(articles) == 3
    return [(a, nlp(a.text)) for a in articles]


@pytest.fixture(scope="module")
def seed_mentions(seeds):
    from analysis.entities import extract_entities

    return {a.source: extract_entities(doc, a) for a, doc in seeds}


@pytest.fixture(scope="module")
def corpus(nlp, seed_mentions):
    """Seeds plus the written article, resolved with the shipped aliases only."""
    from analysis.aliases import resolve_corpus_entities
    from analysis.entities import extract_entities

    rows = [m for ms in seed_mentions.values() for m in ms] + extract_entities(nlp(WRITTEN.text), WRITTEN)
    return resolve_corpus_entities(frame(rows), [])
