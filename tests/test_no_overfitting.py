"""Rules must be general: the extractors are checked on news text they have never seen, so no
name or phrase peculiar to the seed articles or the dev set may stand in the library's rules.

Rules are string literals (regular expressions, keyword lists) and data files; docstrings and
comments may quote the seeds as examples, so they are left out."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Data files that are lists of general facts by design: country aliases and common first names.
ALLOWED_DATA = {"aliases.csv", "first_names.tsv"}
SEED_SPECIFIC = ("narang", "mintaro", "vipin", "easley", "ewha", "myong", "ri yong", "pompeo", "sickening",
                 "fictional", "intensive engagement", "new initiatives", "dangl", "string .* along",
                 "create the impression", "kim jong", "moon jae", "lonechild", "niederreiter", "mccallum",
                 "dixon hall", "telford", "poulter")


def rule_strings(path: Path) -> list[tuple[int, str]]:
    if path.suffix != ".py":
        return list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_seed_or_dev_set_names_in_rules():
    files = [p for p in sorted((ROOT / "analysis").rglob("*"))
             if p.is_file() and p.suffix in {".py", ".txt", ".tsv", ".csv", ".yaml"} and p.name not in ALLOWED_DATA]
    assert len(files) > 10
    found = [f"{path.relative_to(ROOT)}:{line}: {term}"
             for path in files for line, text in rule_strings(path)
             for term in SEED_SPECIFIC if re.search(rf"\b{term}", text.lower())]
    assert not found, "\n".join(found)
