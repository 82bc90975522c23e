"""The analyst's own files: entity aliases, speaker role corrections and the opinion codebook.

They live in the store folder, beside the corpus they correct, so that the CLI, the dashboard
and a container find the same ones whatever their working folder; an environment variable
names another file instead (`ANALYSIS_ALIASES` may name several, separated by `:`). One lookup
for every caller: the corpus cache key, the derivation and the CLI all ask `AnalystFiles.find`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ALIASES_ENV = "ANALYSIS_ALIASES"
SPEAKERS_ENV = "ANALYSIS_SPEAKERS"
CODEBOOK_ENV = "ANALYSIS_CODEBOOK"
ALIASES_NAME = "aliases.csv"
SPEAKERS_NAME = "speakers.csv"
CODEBOOK_NAMES = ("codebook.yaml", "codebook.yml", "codebook.csv")


@dataclass(frozen=True)
class AnalystFiles:
    aliases: tuple[Path, ...] = ()
    speakers: Path | None = None
    codebook: Path | None = None

    @classmethod
    def find(cls, store_root: str | Path) -> AnalystFiles:
        """The files for the store at `store_root`: environment variables first, else the
        store folder's `aliases.csv`, `speakers.csv` and `codebook.yaml` (or `.yml`, `.csv`)."""
        root = Path(store_root)
        env_aliases = os.environ.get(ALIASES_ENV)
        if env_aliases:
            aliases = tuple(Path(p) for p in env_aliases.split(os.pathsep) if p)
        else:
            aliases = tuple(p for p in [root / ALIASES_NAME] if p.is_file())
        return cls(aliases=aliases,
                   speakers=_one(SPEAKERS_ENV, root, (SPEAKERS_NAME,)),
                   codebook=_one(CODEBOOK_ENV, root, CODEBOOK_NAMES))

    def paths(self) -> list[Path]:
        return [*self.aliases, *(p for p in (self.speakers, self.codebook) if p is not None)]

    def missing(self) -> list[Path]:
        """Files named (by an environment variable) that do not exist: said as a notice."""
        return [p for p in self.paths() if not p.is_file()]

    def signature(self) -> tuple:
        """Changes when any of the files is edited, added or removed: part of the corpus key."""
        return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) if p.is_file() else (str(p), None)
                     for p in self.paths())


def _one(env: str, root: Path, names: tuple[str, ...]) -> Path | None:
    if os.environ.get(env):
        return Path(os.environ[env])
    return next((root / n for n in names if (root / n).is_file()), None)
