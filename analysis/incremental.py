"""The corpus tables updated from new articles only: what `corpus.update_corpus` does after an
ingest that only added articles.

The full derivation (`analysis.derive`) reads every mention, quote and statement of the corpus.
After a daily ingest of a few dozen articles into a corpus of 100,000, almost all of that work
would give the same answer again; here the previous derivation (a copy of its DuckDB file) is
the starting point and only the new parts are read:

1. entities: the new articles' mentions are resolved among themselves (aliases, within-article
   short forms), then joined to the corpus: a name the corpus already resolves (`Trump` ->
   `Donald Trump`) goes where the corpus sends it, an entity the corpus has keeps its label and
   group; anything else is a new entity;
2. speakers: the new quotes' speakers are keyed as the full step keys them, with the corpus's
   known speaker keys taking part in the merge, so a new variant joins a known name and no known
   key changes;
3. roles: redone for the speakers the new quotes name (their evidence now includes the new
   articles), from all their quotes;
4. row numbers: new articles and quotes are numbered after the last ones;
5. opinions: new statements are filed into the existing claims
   (`opinions.assign_new_statements`), against the claims' mean vectors and the corpus's lemma
   and subject counts that the derivation keeps (`opinions.STATE_TABLES`), so the corpus's 1.3
   million statements are not read again; no statement already grouped moves; the new ones that
   join no claim are grouped among themselves as a full grouping groups them;
6. summary tables and word index: the new rows appended; the entity counts and forms of the
   entities the new mentions name are updated.

What names resolve against (step 1) and which written forms name which entity (step 3) are kept
as counts too (`indexes.entity_names`, `entity_forms`), grown with the new mentions in step 1.

By design, an incremental update differs from a full rebuild in what only the whole corpus
decides (a rebuild, `python -m analysis rebuild`, redoes all of it): an old name that a new
majority would now resolve elsewhere keeps its entity, an entity's majority label is not
revisited, a known speaker key that a full merge would now join to a new name stays apart,
speakers not quoted in the new articles keep their role evidence, statements stay in their
claims (a full regroup may split or join claims), and row numbers (`article_no`, `entity_no`,
`word_no`) of new rows follow the old ones instead of the date or frequency order a full
numbering uses. `tests/test_incremental.py` checks the rest is the same.

Everything here is SQL in DuckDB under a memory limit, except the resolution of the new
mentions and speakers (a few thousand rows) and the roles of the speakers concerned.
"""
from __future__ import annotations

import time
from pathlib import Path

import duckdb

from analysis import aliases, derive, indexes, opinions, speaker_identity
from analysis.analyst_files import AnalystFiles
from analysis.store import Store, table_columns

VERSION = 2  # part of the derived file's inputs key (`corpus.inputs_key`)
SHORT_ARTICLES = 3
SHORT_SHARE = 0.75
_PART = "regexp_extract(filename, '([^/\\\\]+)[/\\\\][a-z]+\\.parquet$', 1)"


def applies(store: Store, derived: Path, new_parts: list[str]) -> bool:
    """Whether the new parts only add articles the derivation does not hold (no tombstone, no
    new copy of a derived article): then an incremental update gives the corpus."""
    if not new_parts:
        return False
    files = [str(store.parts_dir / p / "articles.parquet") for p in new_parts]
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{_sql(derived)}' AS old (READ_ONLY)")
        row = con.execute(
            "SELECT count(*) FILTER (WHERE coalesce(n.deleted, false)) + count(o.article_id) "
            "+ count(*) - count(DISTINCT n.article_id) "
            "FROM read_parquet(?, union_by_name=true) n LEFT JOIN old.articles o USING (article_id)",
            [files]).fetchone()
    except duckdb.Error:
        return False
    finally:
        con.close()
    return row is not None and row[0] == 0


def update(path: Path, store: Store, new_parts: list[str], files: AnalystFiles, *,
           memory_limit: str = "1GB", timings: dict[str, float] | None = None) -> int:
    """Add the articles of `new_parts` to the derived corpus file at `path` (a copy of the
    current one, written in place). Returns how many articles were added; `timings` gets the
    seconds of each step."""
    timings = timings if timings is not None else {}
    con = duckdb.connect(str(path))
    try:
        con.execute(f"SET memory_limit = '{memory_limit}'")
        started = time.perf_counter()
        added = _load_new(con, store, new_parts)
        timings["load"] = time.perf_counter() - started
        steps = (("entities", lambda: _entities(con, files)), ("numbers", lambda: _number(con)),
                 ("speakers", lambda: _speakers(con)), ("roles", lambda: _roles(con, files)),
                 ("opinions", lambda: _opinions(con, files)), ("indexes", lambda: _indexes(con)))
        for name, step in steps if added else ():
            started = time.perf_counter()
            step()
            timings[name] = time.perf_counter() - started
        started = time.perf_counter()
        con.execute("CHECKPOINT")
        timings["checkpoint"] = time.perf_counter() - started
        return added
    finally:
        con.close()


def _sql(path: Path) -> str:
    return str(path).replace("'", "''")


def _load_new(con: duckdb.DuckDBPyConnection, store: Store, new_parts: list[str]) -> int:
    """The new parts' rows as temp tables `new_articles`, `new_entities`, `new_quotes` and
    `new_speakers`, each with its `part`, as `Store.connect` reads them."""
    def files(table: str) -> list[str]:
        return [str(p) for part in new_parts if (p := store.parts_dir / part / f"{table}.parquet").is_file()]

    con.execute(f"CREATE TEMP TABLE new_articles AS SELECT * EXCLUDE (text, filename), {_PART} AS part "
                "FROM read_parquet(?, filename=true, union_by_name=true)", [files("articles")])
    for table in ("entities", "quotes", "speakers"):  # every part since claims were added has all four
        con.execute(f"CREATE TEMP TABLE new_{table} AS SELECT * EXCLUDE (filename), {_PART} AS part "
                    "FROM read_parquet(?, filename=true, union_by_name=true)", [files(table)])
    if files("claims"):  # the statements' claims as the opinion step reads them (`claims`)
        con.execute("CREATE TEMP TABLE claims AS SELECT * FROM read_parquet(?, union_by_name=true)", [files("claims")])
    row = con.execute("SELECT count(*) FROM new_articles").fetchone()
    return int(row[0]) if row else 0


def _entities(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    """1. New mentions resolved among themselves, then joined to the corpus's names."""
    mentions = con.execute("SELECT * FROM new_entities").df()
    resolved = aliases.resolve_corpus_entities(mentions, list(files.aliases))
    con.register("_resolved", resolved)
    # Where the corpus sends each name the new mentions use (its canonical form or the entity the
    # new articles resolved it to): the entity most of the corpus's mentions of it resolve to.
    # A one-word name ("Kim") is read as a longer one only where the corpus reads it so across
    # articles (in at least SHORT_ARTICLES of them and SHORT_SHARE of those naming it): in one
    # article it may have been that article's own short form of someone else.
    con.execute(f"""
        CREATE TEMP TABLE _corpus_names AS
        SELECT name, entity FROM (
            SELECT canonical AS name, arg_max(entity, articles) AS entity, max(articles) AS top, sum(articles) AS total
            FROM entity_names
            WHERE canonical IN (SELECT canonical FROM _resolved UNION SELECT entity FROM _resolved)
            GROUP BY canonical)
        WHERE entity = name OR contains(name, ' ')
              OR (top >= {SHORT_ARTICLES} AND top >= {SHORT_SHARE} * total)""")
    # Spellings that differ in case or full stops are one entity (as `aliases` joins them): a new
    # spelling joins the corpus's entity, the most mentioned one of that key.
    key = "lower(replace({x}, '.', ''))"
    con.execute(f"""
        CREATE TEMP TABLE _spellings AS
        SELECT {key.format(x='entity')} AS k, arg_max(entity, mentions) AS entity FROM entity_index
        WHERE {key.format(x='entity')} IN (SELECT {key.format(x='entity')} FROM _resolved) GROUP BY k""")
    con.execute(f"""
        CREATE TEMP TABLE _joined AS
        SELECT r.* EXCLUDE (entity, entity_label, "group"),
               coalesce(by_entity.entity, known.entity, by_name.entity, spelling.entity, r.entity) AS entity,
               r.entity_label AS new_label, r."group" AS new_group
        FROM _resolved r
        LEFT JOIN _corpus_names by_entity ON by_entity.name = r.entity
        LEFT JOIN entity_index known ON known.entity = r.entity
        LEFT JOIN _corpus_names by_name ON by_name.name = r.canonical
        LEFT JOIN _spellings spelling ON spelling.k = {key.format(x='r.entity')}""")
    con.execute("DROP TABLE _spellings")
    con.unregister("_resolved")
    con.execute("DROP TABLE new_entities")
    con.execute("""
        CREATE TEMP TABLE new_entities AS
        SELECT j.* EXCLUDE (new_label, new_group),
               coalesce(i.entity_label, j.new_label) AS entity_label,
               coalesce(i."group", CASE WHEN i.entity IS NULL THEN j.new_group END, j.entity) AS "group"
        FROM _joined j LEFT JOIN entity_index i ON i.entity = j.entity""")
    con.execute("DROP TABLE _joined")
    con.execute("DROP TABLE _corpus_names")
    con.execute("INSERT INTO entities BY NAME SELECT * FROM new_entities")
    # The names and forms the next steps (and the next update) resolve against.
    indexes.add_counts(con, "entity_names", indexes.entity_names_sql("new_entities"), ("canonical", "entity"), "articles")
    indexes.add_counts(con, "entity_forms", indexes.entity_forms_sql("new_entities"), ("form", "entity", "entity_label"), "n")


def _number(con: duckdb.DuckDBPyConnection) -> None:
    """4. New articles and quotes numbered after the last ones (date order within the new)."""
    con.execute("""
        CREATE TEMP TABLE _numbered AS
        SELECT (row_number() OVER (ORDER BY TRY_CAST(date AS DATE) NULLS LAST, article_id)
                + (SELECT coalesce(max(article_no), 0) FROM articles))::INTEGER AS article_no,
               *, TRY_CAST(date AS DATE) AS day
        FROM new_articles""")
    con.execute("DROP TABLE new_articles")
    con.execute("ALTER TABLE _numbered RENAME TO new_articles")
    con.execute("INSERT INTO articles BY NAME SELECT * FROM new_articles")
    con.execute("""
        CREATE TEMP TABLE _numbered AS
        SELECT (row_number() OVER (ORDER BY a.article_no, q.start)
                + (SELECT coalesce(max(quote_no), 0) FROM quotes))::INTEGER AS quote_no,
               a.article_no, q.*
        FROM new_quotes q JOIN new_articles a ON a.article_id = q.article_id""")
    con.execute("DROP TABLE new_quotes")
    con.execute("ALTER TABLE _numbered RENAME TO new_quotes")
    con.execute("INSERT INTO speakers BY NAME SELECT * FROM new_speakers")


def _speakers(con: duckdb.DuckDBPyConnection) -> None:
    """2. The new quotes' speaker keys, the corpus's keys taking part in the merge."""
    pairs = con.execute("SELECT article_id, speaker, count(*) AS n FROM new_quotes WHERE speaker IS NOT NULL "
                        "GROUP BY ALL ORDER BY article_id, speaker").df()
    mentions = con.execute("SELECT article_id, text, entity, count(*) AS n FROM new_entities "
                           "WHERE entity_label = 'PERSON' GROUP BY ALL ORDER BY article_id, text, entity").df()
    known = dict(con.execute("SELECT speaker_key, quote_count FROM speakers_corpus").fetchall())
    con.register("_keys", speaker_identity.speaker_keys(pairs, mentions, known=known))
    con.execute("""
        CREATE TEMP TABLE _keyed AS SELECT q.*, k.speaker_key FROM new_quotes q
        LEFT JOIN _keys k ON q.article_id = k.article_id AND q.speaker = k.speaker""")
    con.unregister("_keys")
    con.execute("DROP TABLE new_quotes")
    con.execute("ALTER TABLE _keyed RENAME TO new_quotes")
    con.execute("INSERT INTO quotes BY NAME SELECT * FROM new_quotes")


def _roles(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    """3. Roles again for the speakers the new quotes name, from all their quotes."""
    con.execute("CREATE TEMP TABLE _affected AS SELECT DISTINCT speaker_key FROM new_quotes WHERE speaker_key IS NOT NULL")
    table = derive.speaker_roles(con, files, only="_affected")
    con.execute("DELETE FROM speakers_corpus WHERE speaker_key IN (SELECT speaker_key FROM _affected)")
    if len(table):
        derive.untyped_to_text(con, "speakers_corpus")
        have = table_columns(con, "speakers_corpus")
        con.register("_roles", table[[c for c in table.columns if c in have]])
        con.execute("INSERT INTO speakers_corpus BY NAME SELECT * FROM _roles")
        con.unregister("_roles")
    con.execute("DROP TABLE _affected")


def _opinions(con: duckdb.DuckDBPyConnection, files: AnalystFiles) -> None:
    """5. New statements filed into the existing claims; none already grouped moves. Only the new
    parts' claims are read: the corpus's claims are in the state the derivation kept."""
    opinions.assign_new_statements(con, files.codebook, statements="new_quotes")
    con.execute("DROP TABLE IF EXISTS claims")


def _indexes(con: duckdb.DuckDBPyConnection) -> None:
    """6. The summary tables and the word index get the new rows."""
    numeric = ", ".join(f"'{x}'" for x in indexes.NUMERIC_LABELS)
    con.execute("""
        CREATE TEMP TABLE _counts AS
        SELECT entity, mode(entity_label) AS entity_label, mode("group") AS "group",
               count(*) AS mentions, count(DISTINCT article_id) AS articles
        FROM new_entities WHERE entity IS NOT NULL GROUP BY entity""")
    con.execute("""
        UPDATE entity_index i SET mentions = i.mentions + c.mentions, articles = i.articles + c.articles
        FROM _counts c WHERE c.entity = i.entity""")
    con.execute(f"""
        INSERT INTO entity_index BY NAME
        SELECT (row_number() OVER (ORDER BY c.mentions DESC, c.entity) - 1
                + (SELECT coalesce(max(entity_no) + 1, 0) FROM entity_index))::INTEGER AS entity_no,
               c.entity, c.entity_label, coalesce(c."group", c.entity) AS "group",
               c.entity_label IN ({numeric}) AS numeric, c.mentions, c.articles, NULL AS forms
        FROM _counts c ANTI JOIN entity_index i ON i.entity = c.entity""")
    con.execute(f"CREATE TEMP TABLE _forms AS {indexes.forms_sql(only='_counts')}")
    con.execute("UPDATE entity_index i SET forms = f.forms FROM _forms f WHERE f.entity = i.entity")
    con.execute("DROP TABLE _forms")
    con.execute("DROP TABLE _counts")
    con.execute(f"INSERT INTO entity_articles BY NAME {indexes.entity_articles_sql('new_entities', 'new_articles')}")
    con.execute(f"INSERT INTO entity_lists BY NAME "
                f"{indexes.entity_lists_sql(only='SELECT article_no FROM new_articles')} ORDER BY article_no")
    con.execute(f"INSERT INTO entity_pairs BY NAME {indexes.entity_pairs_sql('new_entities', 'new_articles')}")
    row = con.execute("SELECT coalesce(max(unit_no), 0) + 1 FROM search_units").fetchone()
    units = indexes.search_units_sql("new_articles", "new_quotes", row[0] if row else 1)
    con.execute(f"CREATE TEMP TABLE new_units AS {units}")
    con.execute("INSERT INTO search_units BY NAME SELECT * FROM new_units")
    con.execute(f"INSERT INTO search_words BY NAME {indexes.new_words_sql('new_units', known=True)}")
    con.execute(f"INSERT INTO search_postings BY NAME {indexes.postings_sql('new_units')}")
    con.execute(f"INSERT INTO speaker_articles BY NAME {indexes.speaker_articles_sql('new_quotes')}")
    con.execute(f"INSERT INTO quote_entities BY NAME {indexes.quote_entities_sql('new_quotes', 'new_entities')}")

