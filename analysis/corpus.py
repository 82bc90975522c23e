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
- `opinions`: statement groups and stance (`codebook` file on top of the automatic grouping);
- the summary tables and word index of `analysis.indexes`, which the dashboard counts from.

The analyst's files are found by environment variable or in the working folder (see
`analyst_files`). The derived tables are cached in the store folder as one DuckDB file (see `open_corpus`).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analysis import indexes
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


VERSION = 1  # the steps of this module: a change to them must not keep serving an old cache
CORPUS_TABLES = ("articles", "entities", "quotes", "speakers", "speakers_corpus", "opinions", *indexes.INDEX_TABLES)


def corpus_key(store: Store, files: AnalystFiles) -> str:
    """Names one state of everything the corpus tables are derived from: the committed parts,
    the analyst's files and the versions of the corpus-level modules."""
    from analysis import aliases, opinions, roles, speaker_identity, speakers, wordlists

    versions = (VERSION, *(m.VERSION for m in (aliases, speakers, speaker_identity, roles, opinions, indexes)),
                wordlists.corpus_hash())
    return hashlib.sha1(repr((store.signature(), files.signature(), versions)).encode()).hexdigest()[:16]


def cache_path(store: Store, files: AnalystFiles) -> Path:
    """Where the corpus tables of this store state and these analyst files are kept."""
    return store.root / "derived" / f"corpus-{corpus_key(store, files)}.duckdb"


def open_corpus(store: Store | None = None, files: AnalystFiles | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the snapshot and every corpus-level table.

    Deriving the corpus tables costs seconds to minutes on a large store (opinion grouping,
    entity resolution over millions of mentions), so the result is kept in the store folder as
    a DuckDB file named by `corpus_key`. Later opens, in any process, attach it read-only and
    see it through views: nothing is recomputed and nothing is copied into memory, so the
    dashboard starts fast and stays small. Any new ingest or edited analyst file changes the key.
    """
    store = store or Store()
    files = files or analyst_files()
    cache = cache_path(store, files)
    if cache.is_file():
        try:
            return _attach(cache)
        except duckdb.Error:
            cache.unlink(missing_ok=True)  # a damaged cache is rebuilt, never trusted
    con = store.connect()
    _resolve_entities(con, files)
    _resolve_speakers(con)
    _assign_roles(con, files)
    _group_opinions(con, files)
    indexes.build(con)
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
    from analysis.speaker_identity import speaker_keys

    # One row per (article, speaker) with its quote count: how often each variant is used is what
    # decides between spellings; the article's own PERSON mentions decide who a surname is.
    pairs = con.execute("SELECT article_id, speaker, count(*) AS n FROM quotes WHERE speaker IS NOT NULL "
                        "GROUP BY ALL ORDER BY article_id, speaker").df()
    mentions = con.execute("SELECT article_id, text, entity, count(*) AS n FROM entities WHERE entity_label = 'PERSON' "
                           "AND article_id IN (SELECT article_id FROM quotes WHERE speaker IS NOT NULL) "
                           "GROUP BY ALL ORDER BY article_id, text, entity").df()
    con.register("_keys", speaker_keys(pairs, mentions))
    con.execute("CREATE OR REPLACE TABLE quotes AS SELECT q.*, k.speaker_key FROM quotes q "
                "LEFT JOIN _keys k ON q.article_id = k.article_id AND q.speaker = k.speaker")
    con.unregister("_keys")


def _assign_roles(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    from analysis.roles import assign_roles

    per_speaker = con.execute("""
        SELECT q.speaker_key,
               mode(q.speaker_label) AS label,
               list(DISTINCT q.speaker_description ORDER BY q.speaker_description)
                   FILTER (WHERE q.speaker_description IS NOT NULL) AS descriptions,
               list(DISTINCT q.speaker_mention ORDER BY q.speaker_mention)
                   FILTER (WHERE q.speaker_mention IS NOT NULL) AS mentions,
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
    # A speaker the quote step took for a person but whose entity the corpus knows as an
    # organisation ("PolitiFact said") is read as one.
    orgs = {e for (e,) in con.execute("SELECT DISTINCT entity FROM entities WHERE entity_label = 'ORG'").fetchall()}
    per_speaker.loc[per_speaker["entity"].isin(orgs).fillna(False).astype(bool), "label"] = "ORG"
    # What the coverage says about the same person wherever it names them ("President Trump",
    # "Loretta Lynch, the attorney general,"): the role evidence for speakers quoted as "he".
    context = _entity_context(con)
    per_speaker["context"] = [context.get(e, []) if isinstance(e, str) else [] for e in per_speaker["entity"]]
    roles = assign_roles(per_speaker, files.speakers)
    roles["description"] = roles["descriptions"].apply(lambda v: max(v, key=len) if len(v) else None)
    _replace(con, "speakers_corpus", roles)


def _entity_context(con: duckdb.DuckDBPyConnection, per_entity: int = 20) -> dict[str, list[str]]:
    """Per PERSON entity, its descriptors and titles across the corpus, most frequent first."""
    rows = con.execute(f"""
        SELECT entity, list(phrase ORDER BY n DESC, phrase)[:{per_entity}]
        FROM (SELECT entity, coalesce(descriptor, title) AS phrase, count(*) AS n FROM entities
              WHERE entity_label = 'PERSON' AND coalesce(descriptor, title) IS NOT NULL GROUP BY ALL)
        GROUP BY entity
    """).fetchall()
    return {entity: list(phrases) for entity, phrases in rows}


def _speaker_entities(con: duckdb.DuckDBPyConnection, keys: pd.Series) -> pd.Series:
    """Speakers are entities: the PERSON/ORG entity each speaker is, so a speaker's page can show
    what they are quoted about and who appears with them."""
    from analysis.aliases import link_names

    people = con.execute("SELECT text, canonical, entity, entity_label FROM entities "
                         "WHERE entity_label IN ('PERSON', 'ORG')").df()
    links = link_names(keys, people) if len(keys) else {}
    return keys.map(links).astype("string")


def _group_opinions(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    from analysis import opinions

    statements = con.execute("""
        SELECT q.article_id, q.start, q.text, q.speaker_key, q.kind, a.date
        FROM quotes q JOIN articles a USING (article_id)
    """).df()
    roles = con.execute("SELECT * FROM speakers_corpus").df()
    grouped = opinions.group_opinions(statements, files.codebook, roles)
    _replace(con, "opinions", grouped)
