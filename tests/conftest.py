"""Shared fixtures. In CI (CI=true) a skipped test is a failure: a browser test that skips
because Chromium is missing has tested nothing."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

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
