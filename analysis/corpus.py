"""The corpus as the dashboard and the reports open it: the store snapshot plus the corpus-level
tables of `analysis.derive`, kept in a cache file per corpus state.

Deriving the corpus tables costs seconds to minutes on a large store (opinion grouping, entity
resolution over millions of mentions), so the result is kept in the store folder as a DuckDB
file named by `corpus_key`: the committed parts, the analyst's files and the derivation
versions. Later opens, in any process, attach it read-only and see it through views: nothing is
recomputed and nothing is copied into memory. A new ingest or an edited analyst file changes
the key.
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from analysis import derive as derive_mod
from analysis import indexes
from analysis.analyst_files import AnalystFiles
from analysis.store import Store, table_columns

log = logging.getLogger(__name__)

VERSION = 2  # this module's own steps (cache layout, schema completion)
CORPUS_TABLES = ("articles", "entities", "quotes", "speakers", "speakers_corpus", "opinions", *indexes.INDEX_TABLES)


def corpus_key(store: Store, files: AnalystFiles | None = None) -> str:
    """Names one state of everything the corpus tables are derived from."""
    files = files if files is not None else AnalystFiles.find(store.root)
    state = (store.signature(), files.signature(), VERSION, derive_mod.versions())
    return hashlib.sha1(repr(state).encode()).hexdigest()[:16]


def cache_path(store: Store, files: AnalystFiles | None = None) -> Path:
    """Where the corpus tables of this store state and these analyst files are kept."""
    return store.root / "derived" / f"corpus-{corpus_key(store, files)}.duckdb"


def derived_connection(store: Store, files: AnalystFiles) -> duckdb.DuckDBPyConnection:
    """An in-memory snapshot of the store with every corpus-level table derived, uncached."""
    con = store.connect()
    derive_mod.derive(con, files)
    return con


def open_corpus(store: Store | None = None, files: AnalystFiles | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the snapshot and every corpus-level table, from the cache file
    of this corpus state when there is one, else derived now and saved for the next open."""
    store = store or Store()
    files = files if files is not None else AnalystFiles.find(store.root)
    cache = cache_path(store, files)
    if cache.is_file():
        try:
            return _attach(cache)
        except duckdb.Error:
            cache.unlink(missing_ok=True)  # a damaged cache is rebuilt, never trusted
    con = derived_connection(store, files)
    if store.is_empty():
        return con
    try:  # a reader may not be allowed to write the store folder; the cache is only a speed-up
        _save(con, cache)
    except (OSError, duckdb.Error):
        return con
    con.close()
    return _attach(cache)


def _attach(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"ATTACH '{_sql_path(path)}' AS corpus (READ_ONLY)")
    for table in CORPUS_TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM corpus.{table}")
    return con


def _save(con: duckdb.DuckDBPyConnection, cache: Path) -> None:
    """Write the corpus tables to a new file and rename it into place; drop older versions."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_name(f"{cache.stem}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con.execute(f"ATTACH '{_sql_path(tmp)}' AS out")
    try:
        for table in CORPUS_TABLES:
            con.execute(f"CREATE TABLE out.{table} AS SELECT * FROM {table}")
    finally:
        con.execute("DETACH out")
    os.replace(tmp, cache)
    for old in [*cache.parent.glob("corpus-*.duckdb"), *cache.parent.glob("opinions-*.parquet")]:
        if old != cache:
            old.unlink(missing_ok=True)  # a process that still has it attached keeps reading it


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


# ---------------------------------------------------------------------------------------------
# The dashboard's connection: never a crash, at worst the plain snapshot with a notice

@dataclass
class Corpus:
    """A connection plus what was missing while opening it (shown as a notice, never a crash)."""

    con: duckdb.DuckDBPyConnection
    notices: list[str] = field(default_factory=list)


def open_connection(store: Store, files: AnalystFiles | None = None) -> Corpus:
    """`open_corpus`, or the bare store snapshot completed with plain defaults when the
    corpus-level step fails.

    Why a fallback: the derivation depends on several extractor modules and the analyst's files,
    and one broken piece must not take the whole dashboard down; articles and quotes still show.
    """
    files = files if files is not None else AnalystFiles.find(store.root)
    notices = [f"The analyst file {p} does not exist; it is ignored." for p in files.missing()]
    try:
        con = open_corpus(store, files)
    except Exception as exc:
        log.exception("corpus-level analysis failed; using the plain store snapshot")
        notices.append(f"Corpus-level analysis (speaker names across articles, roles, opinion groups) "
                       f"is unavailable: {type(exc).__name__}: {exc}")
        con = store.connect()
    complete_schema(con)
    return Corpus(con, notices)


def complete_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Add the derived columns the queries use when the corpus step did not provide them."""
    ent = table_columns(con, "entities")
    if "entity" not in ent:
        con.execute("ALTER TABLE entities ADD COLUMN entity VARCHAR")
        con.execute("UPDATE entities SET entity = canonical")
    if "entity_label" not in ent:
        con.execute("ALTER TABLE entities ADD COLUMN entity_label VARCHAR")
        con.execute("UPDATE entities SET entity_label = label")
    if "speaker_key" not in table_columns(con, "quotes"):
        con.execute("ALTER TABLE quotes ADD COLUMN speaker_key VARCHAR")
        con.execute("UPDATE quotes SET speaker_key = speaker")
    _complete_speakers(con)
    if not indexes.has_indexes(con):
        if "article_no" not in table_columns(con, "articles"):
            indexes.number_rows(con)
        indexes.build(con)


def _complete_speakers(con: duckdb.DuckDBPyConnection) -> None:
    have = table_columns(con, "speakers_corpus")
    if have:
        for col in ("label", "description", "role", "side", "role_evidence", "entity"):
            if col not in have:
                con.execute(f"ALTER TABLE speakers_corpus ADD COLUMN {col} VARCHAR")
        return
    con.execute("""
        CREATE TABLE speakers_corpus AS
        SELECT q.speaker_key, mode(q.speaker_label) AS label,
               max(q.speaker_description) AS description,
               CAST(NULL AS VARCHAR) AS role, CAST(NULL AS VARCHAR) AS side,
               CAST(NULL AS VARCHAR) AS role_evidence, CAST(NULL AS VARCHAR) AS entity,
               count(*) AS quote_count, count(DISTINCT q.article_id) AS article_count
        FROM quotes q WHERE q.speaker_key IS NOT NULL GROUP BY q.speaker_key""")


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(table_columns(con, table))


def has_opinions(con: duckdb.DuckDBPyConnection) -> bool:
    return {"quote_no", "group_label", "stance"} <= table_columns(con, "opinions")
