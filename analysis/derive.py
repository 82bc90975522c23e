"""The corpus-level tables, derived from the stored per-article records: one code path.

Per-article extraction runs once, at ingest. What depends on the whole corpus or on the
analyst's files is derived here, and everything that shows corpus-level names, roles or groups
(the dashboard through `analysis.corpus`, the `entities` and `opinions` commands over a
temporary store) goes through `derive`, so the same articles give the same speakers, roles and
groups wherever they are read. The steps, in order:

1. entities: corpus-wide canonical names after the alias tables, one label per entity by
   majority (`entities.entity`, `entity_label`, `group`);
2. speakers: the same person under one name across articles (`quotes.speaker_key`);
3. roles: one row per speaker with role, side and evidence (`speakers_corpus`; `speakers.csv`
   wins); a speaker quoted without a description takes the titles the corpus gives their entity;
4. row numbers: `articles.article_no`/`day` and `quotes.quote_no`/`article_no`, the integer keys
   the later steps and the views join on;
5. opinions: statement groups and stance (`opinions`, the codebook on top);
6. summary tables and word index (`analysis.indexes`).
"""
from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from analysis import aliases, indexes, opinions, roles, speaker_identity, speakers, wordlists
from analysis.analyst_files import AnalystFiles
from analysis.store import create_table, table_columns

VERSION = 2  # the steps of this module: a change to them must not keep serving an old cache


def versions() -> tuple:
    """Everything whose change must re-derive a stored corpus: part of the corpus cache key."""
    return (VERSION, *(m.VERSION for m in (aliases, speakers, speaker_identity, roles, opinions, indexes)),
            wordlists.corpus_hash())


def derive(con: duckdb.DuckDBPyConnection, files: AnalystFiles, memory_mb: int | None = None) -> None:
    """Add the corpus-level tables to a connection holding the store's `articles`, `entities`,
    `quotes` and `speakers` tables (`Store.connect`).

    `memory_mb`: what the derivation may hold, DuckDB and Python together, beyond the process's
    own ~0.3 GB. The steps that work in Python on what DuckDB hands them (the short-name rules,
    the speaker keys and roles, the statements' matrix) lower DuckDB's limit to leave room for it
    (`PYTHON_SHARE`): DuckDB then keeps its tables in its temporary folder, not in memory."""
    for step in STEPS:
        if memory_mb:
            share = PYTHON_SHARE.get(step.__name__, 0.0)
            con.execute(f"SET memory_limit = '{max(int(memory_mb * (1 - share)), 64)}MB'")
        step(con, files)


def replace_table(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    create_table(con, name, df)
    untyped_to_text(con, name)


def untyped_to_text(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """A column that was all missing in a frame has no type ("NULL"); rows added later (an
    incremental update) could not be inserted into it: it becomes text (a list: of text)."""
    rows = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_name = ? AND replace(data_type, '\"', '') IN ('NULL', 'NULL[]')", [name]).fetchall()
    for column, kind in rows:
        con.execute(f'ALTER TABLE {name} ALTER "{column}" TYPE {"VARCHAR[]" if kind.endswith("[]") else "VARCHAR"}')


ENTITY_ORDER = "m.article_id, m.start, m.\"end\", m.text, m.label"


def resolve_entities(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    # In SQL over the mentions, from counts of their distinct names and forms (`aliases.resolve_table`);
    # which name or label occurs "first" (a tie between labels) in article order, not in the
    # snapshot's row order, which varies from one load to the next.
    resolved = aliases.resolve_table(con, "entities", list(files.aliases), order=ENTITY_ORDER, sort=False)
    con.execute(f"CREATE OR REPLACE TABLE entities AS {resolved}")
    aliases.drop_helpers(con)
    drop_temporary(con, "entities")


def drop_temporary(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Drop the snapshot's temporary `table` once a step has made its replacement (see
    `corpus.derive_file`): a temporary table comes first when a name is looked up."""
    if is_temporary(con, table):
        con.execute(f"DROP TABLE temp.{table}")


def is_temporary(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [table]).fetchone() == (1,)


def resolve_speakers(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    # One row per (article, speaker) with its quote count: how often each variant is used is what
    # decides between spellings; the article's own PERSON mentions decide who a surname is.
    pairs = con.execute("SELECT article_id, speaker, count(*) AS n FROM quotes WHERE speaker IS NOT NULL "
                        "GROUP BY ALL ORDER BY article_id, speaker").df()
    # Only the mentions a speaker's name can be looked up by (its forms, in its own article).
    con.register("_speaker_forms", speaker_identity.name_forms(pairs["speaker"].unique().tolist()))
    texts = [r[0] for r in con.execute("SELECT DISTINCT text FROM entities WHERE entity_label = 'PERSON' "
                                       "AND text IS NOT NULL").fetchall()]
    con.register("_text_forms", pd.DataFrame({"text": texts, "form": [speaker_identity.mention_form(t) for t in texts]},
                                             dtype="string"))
    try:
        mentions = con.execute("""
            SELECT m.article_id, m.text, m.entity, count(*) AS n
            FROM entities m JOIN _text_forms t ON t.text = m.text
            SEMI JOIN (SELECT DISTINCT q.article_id, f.form FROM quotes q JOIN _speaker_forms f ON f.speaker = q.speaker) k
                 ON k.article_id = m.article_id AND k.form = t.form
            WHERE m.entity_label = 'PERSON'
            GROUP BY ALL ORDER BY m.article_id, m.text, m.entity""").df()
    finally:
        con.unregister("_speaker_forms")
        con.unregister("_text_forms")
    con.register("_keys", speaker_identity.speaker_keys(pairs, mentions))
    # A temporary snapshot table stays one (`corpus.derive_file`): the row numbers rewrite it.
    kind = "TEMP TABLE" if is_temporary(con, "quotes") else "TABLE"
    con.execute(f"CREATE OR REPLACE {kind} quotes AS SELECT q.*, k.speaker_key FROM quotes q "
                "LEFT JOIN _keys k ON q.article_id = k.article_id AND q.speaker = k.speaker")
    con.unregister("_keys")


def assign_roles(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    replace_table(con, "speakers_corpus", speaker_roles(con, files))


def speaker_roles(con: duckdb.DuckDBPyConnection, files: AnalystFiles, only: str = "") -> pd.DataFrame:
    """One row per speaker key with role, side and evidence: every key, or those in the table
    `only` (column `speaker_key`; an incremental update redoes the speakers new quotes name)."""
    where = f"AND q.speaker_key IN (SELECT speaker_key FROM {only})" if only else ""
    per_speaker = con.execute(f"""
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
        WHERE q.speaker_key IS NOT NULL {where}
        GROUP BY q.speaker_key ORDER BY q.speaker_key
    """).df()
    for col in ("descriptions", "mentions"):
        per_speaker[col] = per_speaker[col].apply(lambda v: list(v) if pd.api.types.is_list_like(v) else [])
    per_speaker["entity"] = _speaker_entities(con, per_speaker["speaker_key"], narrow=bool(only))
    # A speaker the quote step took for a person but whose entity the corpus knows as an
    # organisation ("PolitiFact said") is read as one.
    con.register("_speaker_entities", pd.DataFrame({"entity": per_speaker["entity"].dropna().astype(str).unique()}))
    try:
        orgs = {e for (e,) in con.execute("SELECT DISTINCT entity FROM entities WHERE entity_label = 'ORG' "
                                          "AND entity IN (SELECT entity FROM _speaker_entities)").fetchall()}
        # What the coverage says about the same person wherever it names them ("President Trump",
        # "Loretta Lynch, the attorney general,"): the role evidence for speakers quoted as "he".
        context = _entity_context(con, only="_speaker_entities")
        # How widely the coverage names the person (a public figure is named across articles).
        spread = dict(con.execute("SELECT entity, count(DISTINCT article_id) FROM entities WHERE entity_label = 'PERSON' "
                                  "AND entity IN (SELECT entity FROM _speaker_entities) GROUP BY entity").fetchall())
    finally:
        con.unregister("_speaker_entities")
    per_speaker.loc[per_speaker["entity"].isin(orgs).fillna(False).astype(bool), "label"] = "ORG"
    per_speaker["context"] = [context.get(e, []) if isinstance(e, str) else [] for e in per_speaker["entity"]]
    per_speaker["mentioned_articles"] = [max(spread.get(e, 0), n) if isinstance(e, str) else n
                                         for e, n in zip(per_speaker["entity"], per_speaker["article_count"],
                                                         strict=True)]
    table = roles.assign_roles(per_speaker, files.speakers)
    table["description"] = table["descriptions"].apply(lambda v: max(v, key=len) if len(v) else None)
    return table


def _entity_context(con: duckdb.DuckDBPyConnection, per_entity: int = 20, only: str = "") -> dict[str, list[str]]:
    """Per PERSON entity (of those in the table `only`), its descriptors and titles across the
    corpus, most frequent first."""
    descriptor = "descriptor" if "descriptor" in _columns(con, "entities") else "NULL"
    where = f"AND entity IN (SELECT entity FROM {only})" if only else ""
    rows = con.execute(f"""
        SELECT entity, list(phrase ORDER BY n DESC, phrase)[:{per_entity}]
        FROM (SELECT entity, coalesce({descriptor}, title) AS phrase, count(*) AS n FROM entities
              WHERE entity_label = 'PERSON' AND coalesce({descriptor}, title) IS NOT NULL {where} GROUP BY ALL)
        GROUP BY entity
    """).fetchall()
    return {entity: list(phrases) for entity, phrases in rows}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description}


# `aliases.name_key` in SQL, loosely (a superset of its matches): which mentions can name a speaker.
_NAME_KEY_SQL = ("regexp_replace(trim(regexp_replace(lower(replace(replace(replace(replace({x}, '.', ''), chr(8217), ''''), "
                 "chr(8216), ''''), chr(160), ' ')), '\\s+', ' ', 'g')), '^the ', '')")


def _speaker_entities(con: duckdb.DuckDBPyConnection, keys: pd.Series, narrow: bool = False) -> pd.Series:
    """Speakers are entities: the PERSON/ORG entity each speaker is, so a speaker's page can show
    what they are quoted about and who appears with them. `narrow`: read only the written forms
    that can match one of `keys` (a few speakers of a large corpus), from `indexes.entity_forms`."""
    if narrow and table_columns(con, "entity_forms"):
        # The written forms counted once per corpus (`indexes.entity_forms`); the loose key is
        # computed for each distinct form, not for each mention.
        con.register("_name_keys", pd.DataFrame({"k": sorted({aliases.name_key(k) for k in keys if isinstance(k, str)})}))
        try:
            forms = con.execute(f"SELECT form, entity, n FROM entity_forms "
                                f"WHERE {_NAME_KEY_SQL.format(x='form')} IN (SELECT k FROM _name_keys)").df()
        finally:
            con.unregister("_name_keys")
        links = aliases.link_forms(keys, forms) if len(keys) else {}
        return keys.map(links).astype("string")
    # `aliases.link_names` over every PERSON and ORG mention, from their forms counted in SQL.
    forms = con.execute(f"SELECT form, entity, n FROM ({indexes.entity_forms_sql()})").df()
    links = aliases.link_forms(keys, forms) if len(keys) else {}
    return keys.map(links).astype("string")


def number_rows(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    indexes.number_rows(con)
    drop_temporary(con, "quotes")  # numbered, the file's own table


def file_statements(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    opinions.file_statements(con)


def group_opinions(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    opinions.group_filed(con, files.codebook)


def build_indexes(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    indexes.build(con, opinions_keyed=True)  # `group_opinions` ran after `number_rows`, just before


Step = Callable[[duckdb.DuckDBPyConnection, AnalystFiles], None]
# The share of the derivation's memory that DuckDB leaves to each step's Python work (at 100,000
# articles the short-name rules' PERSON groups take ~0.6 GB; the statements' grouping needs
# DuckDB's joins over the claims too, which fail below ~0.6 GB).
PYTHON_SHARE = {"resolve_entities": 0.45, "resolve_speakers": 0.35, "assign_roles": 0.35, "group_opinions": 0.3}
STEPS: tuple[Step, ...] = (resolve_entities, resolve_speakers, assign_roles, number_rows, file_statements, group_opinions,
                           build_indexes)
