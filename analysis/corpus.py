"""The corpus as the dashboard and the reports see it: the store snapshot plus what is decided
across articles.

Per-article extraction is done once, at ingest. What depends on the whole corpus or on the
analyst's own files is derived here, when a snapshot is opened, so that editing those files never
needs a re-parse:

- `entities.entity`, `entities.entity_label`, `entities.group`: corpus-wide canonical names after
  the alias table (`aliases.csv`), one label per entity by majority;
- `quotes.speaker_key`: the same person under one name across articles (Trump / President Trump
  / Donald Trump);
- `speakers_corpus`: one row per speaker with role, side and the evidence (`speakers.csv` wins);
- `opinions`: statement groups and stance (`codebook` file on top of the automatic grouping).

The analyst's files are found by environment variable or in the working folder (see
`analyst_files`). Opinion grouping is the one costly step, so its result is cached in the store
folder, keyed on the snapshot, the analyst's files and the versions of the modules involved.
"""
from __future__ import annotations

import hashlib
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analysis.store import Store


@dataclass(frozen=True)
class AnalystFiles:
    aliases: Path | None
    speakers: Path | None
    codebook: Path | None

    def signature(self) -> tuple:
        """Changes when any of the files is edited: part of the dashboard's cache key."""
        return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) if p and p.is_file() else None
                     for p in (self.aliases, self.speakers, self.codebook))


def _find(env: str, *names: str) -> Path | None:
    if os.environ.get(env):
        return Path(os.environ[env])
    for name in names:
        if Path(name).is_file():
            return Path(name)
    return None


def analyst_files() -> AnalystFiles:
    """`$ANALYSIS_ALIASES`, `$ANALYSIS_SPEAKERS`, `$ANALYSIS_CODEBOOK`, else files in the working folder."""
    return AnalystFiles(
        aliases=_find("ANALYSIS_ALIASES", "aliases.csv"),
        speakers=_find("ANALYSIS_SPEAKERS", "speakers.csv"),
        codebook=_find("ANALYSIS_CODEBOOK", "codebook.yaml", "codebook.yml", "codebook.csv"),
    )


def open_corpus(store: Store | None = None, files: AnalystFiles | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the snapshot and every corpus-level table."""
    store = store or Store()
    files = files or analyst_files()
    con = store.connect()
    _resolve_entities(con, files)
    _resolve_speakers(con)
    _assign_roles(con, files)
    _group_opinions(con, store, files)
    return con


def _replace(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    con.register("_df", df)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _df")
    con.unregister("_df")


def _resolve_entities(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    from analysis.aliases import resolve_corpus_entities

    mentions = con.execute("SELECT * FROM entities").df()
    resolved = resolve_corpus_entities(mentions, [files.aliases] if files.aliases else [])
    _replace(con, "entities", resolved)


def _resolve_speakers(con: duckdb.DuckDBPyConnection) -> None:
    from analysis.speakers import corpus_speaker_names

    # One name per quote, not per distinct name: how often each variant is used is what decides
    # between "Obama" as Barack or Michelle.
    counted = con.execute("SELECT speaker, count(*) FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker").fetchall()
    mapping = corpus_speaker_names(itertools.chain.from_iterable(itertools.repeat(n, c) for n, c in counted))
    keys = pd.DataFrame({"speaker": list(mapping), "speaker_key": list(mapping.values())},
                        columns=["speaker", "speaker_key"]).astype("string")
    con.register("_keys", keys)
    con.execute("CREATE OR REPLACE TABLE quotes AS SELECT q.*, k.speaker_key FROM quotes q "
                "LEFT JOIN _keys k ON q.speaker = k.speaker")
    con.unregister("_keys")


def _assign_roles(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    from analysis.roles import assign_roles

    per_speaker = con.execute("""
        SELECT q.speaker_key,
               mode(q.speaker_label) AS label,
               list(DISTINCT q.speaker_description) FILTER (WHERE q.speaker_description IS NOT NULL) AS descriptions,
               list(DISTINCT q.speaker_mention) FILTER (WHERE q.speaker_mention IS NOT NULL) AS mentions,
               count(*) AS quote_count,
               count(DISTINCT q.article_id) AS article_count,
               min(a.date) AS first_date,
               max(a.date) AS last_date
        FROM quotes q JOIN articles a USING (article_id)
        WHERE q.speaker_key IS NOT NULL
        GROUP BY q.speaker_key
    """).df()
    per_speaker["descriptions"] = per_speaker["descriptions"].apply(lambda v: list(v) if pd.api.types.is_list_like(v) else [])
    per_speaker["mentions"] = per_speaker["mentions"].apply(lambda v: list(v) if pd.api.types.is_list_like(v) else [])
    per_speaker["entity"] = _speaker_entities(con, per_speaker["speaker_key"])
    # A speaker quoted without a description is often titled elsewhere in the coverage
    # ("President Trump"): those titles are the only role evidence there is for them.
    titles = dict(con.execute("SELECT entity, list(DISTINCT title ORDER BY title) FROM entities "
                              "WHERE title IS NOT NULL AND entity_label = 'PERSON' GROUP BY entity").fetchall())
    per_speaker["descriptions"] = [
        d if d or pd.isna(e) else list(titles.get(e, []))
        for d, e in zip(per_speaker["descriptions"], per_speaker["entity"])]
    roles = assign_roles(per_speaker, files.speakers)
    roles["description"] = roles["descriptions"].apply(lambda v: max(v, key=len) if len(v) else None)
    _replace(con, "speakers_corpus", roles)


def _speaker_entities(con: duckdb.DuckDBPyConnection, keys: pd.Series) -> pd.Series:
    """Speakers are entities: the PERSON/ORG entity each speaker is, so a speaker's page can show
    what they are quoted about and who appears with them."""
    from analysis.aliases import link_names

    people = con.execute("SELECT text, canonical, entity, entity_label FROM entities "
                         "WHERE entity_label IN ('PERSON', 'ORG')").df()
    links = link_names(keys, people) if len(keys) else {}
    return keys.map(links).astype("string")


def _group_opinions(con: duckdb.DuckDBPyConnection, store: Store, files: AnalystFiles) -> None:
    from analysis import opinions

    from analysis import roles, speakers

    # The cached rows carry roles and speaker names too, so every analyst file and every version
    # they depend on is part of the key: editing speakers.csv must show on the next load.
    key = hashlib.sha1(repr((store.signature(), files.signature(), opinions.VERSION, roles.VERSION,
                             speakers.VERSION)).encode()).hexdigest()[:16]
    cache = store.root / "derived" / f"opinions-{key}.parquet"
    if cache.is_file():
        con.execute("CREATE OR REPLACE TABLE opinions AS SELECT * FROM read_parquet(?)", [str(cache)])
        return
    statements = con.execute("""
        SELECT q.article_id, q.start, q.text, q.speaker_key, q.kind, a.date
        FROM quotes q JOIN articles a USING (article_id)
    """).df()
    roles = con.execute("SELECT * FROM speakers_corpus").df()
    grouped = opinions.group_opinions(statements, files.codebook, roles)
    _replace(con, "opinions", grouped)
    if store.is_empty():
        return
    try:  # a reader may not be allowed to write the store folder; the cache is only a speed-up
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        import pyarrow.parquet as pq

        pq.write_table(con.sql("SELECT * FROM opinions").to_arrow_table(), tmp)
        os.replace(tmp, cache)
        for old in cache.parent.glob("opinions-*.parquet"):
            if old != cache:
                old.unlink(missing_ok=True)
    except OSError:
        pass
