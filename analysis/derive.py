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

import itertools
from collections.abc import Callable

import duckdb
import pandas as pd

from analysis import aliases, indexes, opinions, roles, speakers
from analysis.analyst_files import AnalystFiles

VERSION = 2  # the steps of this module: a change to them must not keep serving an old cache


def versions() -> tuple:
    """Everything whose change must re-derive a stored corpus: part of the corpus cache key."""
    return (VERSION, *(m.VERSION for m in (aliases, speakers, roles, opinions, indexes)))


def derive(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    """Add the corpus-level tables to a connection holding the store's `articles`, `entities`,
    `quotes` and `speakers` tables (`Store.connect`)."""
    for step in STEPS:
        step(con, files)


def replace_table(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    con.register("_df", df)
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _df")
    con.unregister("_df")


def resolve_entities(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    mentions = con.execute("SELECT * FROM entities").df()
    replace_table(con, "entities", aliases.resolve_corpus_entities(mentions, list(files.aliases)))


def resolve_speakers(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    # One name per quote, not per distinct name: how often each variant is used is what decides
    # between "Obama" as Barack or Michelle.
    counted = con.execute("SELECT speaker, count(*) FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker").fetchall()
    mapping = speakers.corpus_speaker_names(itertools.chain.from_iterable(itertools.repeat(n, c) for n, c in counted))
    keys = pd.DataFrame({"speaker": list(mapping), "speaker_key": list(mapping.values())},
                        columns=["speaker", "speaker_key"]).astype("string")
    con.register("_keys", keys)
    con.execute("CREATE OR REPLACE TABLE quotes AS SELECT q.*, k.speaker_key FROM quotes q "
                "LEFT JOIN _keys k ON q.speaker = k.speaker")
    con.unregister("_keys")


def assign_roles(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
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
    for col in ("descriptions", "mentions"):
        per_speaker[col] = per_speaker[col].apply(lambda v: list(v) if pd.api.types.is_list_like(v) else [])
    per_speaker["entity"] = _speaker_entities(con, per_speaker["speaker_key"])
    # A speaker quoted without a description is often titled elsewhere in the coverage
    # ("President Trump"): those titles are the only role evidence there is for them.
    titles = dict(con.execute("SELECT entity, list(DISTINCT title ORDER BY title) FROM entities "
                              "WHERE title IS NOT NULL AND entity_label = 'PERSON' GROUP BY entity").fetchall())
    per_speaker["descriptions"] = [
        d if d or pd.isna(e) else list(titles.get(e, []))
        for d, e in zip(per_speaker["descriptions"], per_speaker["entity"], strict=True)]
    table = roles.assign_roles(per_speaker, files.speakers)
    table["description"] = table["descriptions"].apply(lambda v: max(v, key=len) if len(v) else None)
    replace_table(con, "speakers_corpus", table)


def _speaker_entities(con: duckdb.DuckDBPyConnection, keys: pd.Series) -> pd.Series:
    """Speakers are entities: the PERSON/ORG entity each speaker is, so a speaker's page can show
    what they are quoted about and who appears with them."""
    people = con.execute("SELECT text, canonical, entity, entity_label FROM entities "
                         "WHERE entity_label IN ('PERSON', 'ORG')").df()
    links = aliases.link_names(keys, people) if len(keys) else {}
    return keys.map(links).astype("string")


def number_rows(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    indexes.number_rows(con)


def group_opinions(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    opinions.derive_opinions(con, files.codebook)


def build_indexes(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    indexes.build(con)


Step = Callable[[duckdb.DuckDBPyConnection, AnalystFiles], None]
STEPS: tuple[Step, ...] = (resolve_entities, resolve_speakers, assign_roles, number_rows, group_opinions, build_indexes)
