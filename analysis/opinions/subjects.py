"""Which subject each statement is filed under, across the corpus.

The claim record names a subject as its article does; here it becomes a corpus-wide key:

* a speaker talking of themselves ("I", "we") → the speaker's corpus key;
* an entity → the corpus entity that its within-article name resolved to (aliases, surnames);
  a nationality names its country when the corpus has that place ("North Korean" → "North
  Korea"), by the usual English endings, not by a list of countries;
* a noun phrase → its lemmas ("the talks" → `talk`), unless it is the subject in many
  unrelated stories ("people", "things"): then it says nothing about what is claimed.

A statement whose subject no other statement shares (or that has none) is filed under the entity
it or the text just before it names that most other statements are about, if any: "the plan
would hurt workers" in a story about a candidate is about the candidate. What is still unshared
stays under its own subject, alone.

A quoted fragment ('called the vote a "farce"'), or a statement whose subject is still its own
alone, is part of the point its speaker was making: it goes under the subject of that speaker's
nearest statement in the same article whose subject others share.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from analysis.opinions.labels import FULL_WORDS
from analysis.store import table_columns

# Nouns that name a meeting: as the head of a subject they are one event ("the talks", "the
# negotiations", "these discussions", "peace summit" → `talk`, `peace talk`). General English.
# A quoted fragment of a few words without a verb ('called the plan a "blunder"') names a word,
# it states no claim: it has no features (`derive`), so it stays alone under its subject.
FRAGMENT_WORDS = 3
MEETING_NOUNS = ("talk", "negotiation", "discussion", "summit", "meeting", "dialogue")
DEMONYM_ENDINGS = ("ians", "ans", "ese", "ian", "an", "is", "i", "ish", "ns", "n", "s")
NO_SUBJECT = "(no subject named)"


def build(con: duckdb.DuckDBPyConnection, statements: str = "quotes", prior_bases: str | None = None) -> None:
    """Create `_op_st`: one row per statement (`row_no` 0..n-1 in quote order) with its quote's
    keys, its claim's `rowid` in `claims` (`claim_row`), `subject_key`, `subject_kind`,
    `subject` (as shown), `fragment` (a few words, no verb: no claim) and `short` (under
    `labels.FULL_WORDS` words or no verb: no label). Only these light columns are
    carried: the claims' lists and phrases are joined where they are used.

    Also `_op_base_counts`: per subject, its statements, articles and whether it is only ever a
    noun, the corpus-wide counts that decide which subjects are shared. `prior_bases` names a
    table of those counts for statements grouped before (an incremental update files new
    statements by the whole corpus's counts); the caller keeps or drops `_op_base_counts`."""
    _names(con, None if statements == "quotes" else statements)
    _demonyms(con)
    _sides(con, None if statements == "quotes" else statements)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _op_base AS
        SELECT q.quote_no, q.article_id, q.start, q.speaker_key, c.rowid AS claim_row, c.subject_kind AS kind,
               CASE WHEN c.subject_kind = 'noun' THEN c.subject END AS written,
               CASE c.subject_kind
                    WHEN 'speaker' THEN coalesce(q.speaker_key, c.subject_key)
                    WHEN 'entity' THEN coalesce(d.place, n.entity, c.subject_key)
                    WHEN 'noun' THEN {meeting_sql('lower(c.subject_key)')} END AS base,
               sd.side, coalesce(c.stance_score, 0) AS score,
               len(string_split(trim(q.text), ' ')) AS n_words, coalesce(c.predicate IS NULL, true) AS no_verb
        FROM {statements} q
        LEFT JOIN claims c ON c.article_id = q.article_id AND c.start = q.start
        LEFT JOIN _op_names n ON n.article_id = q.article_id AND n.canonical = c.subject_key
        LEFT JOIN _op_demonyms d ON d.name = coalesce(n.entity, c.subject_key)
        LEFT JOIN _op_sides sd ON sd.speaker_key = q.speaker_key""")
    # A speaker's own side is not what they complain of ("our rivals left us no choice": the
    # rivals): such statements are filed like unshared ones, under what else they name.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _op_base AS
        SELECT *, (score < 0 AND base IS NOT NULL AND base = side) AS redirect FROM _op_base""")
    # A common noun that is the subject in many unrelated stories ("people", "things", "the
    # day") groups nothing: it counts as unshared. One story's noun ("the museum") counts.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _op_base_counts AS
        SELECT base, count(*)::BIGINT AS n, count(DISTINCT article_id)::BIGINT AS articles, bool_and(kind = 'noun') AS noun
        FROM _op_base WHERE base IS NOT NULL GROUP BY base""")
    if prior_bases:  # articles add up: new statements are of new articles
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _op_base_counts AS
            SELECT base, sum(n)::BIGINT AS n, sum(articles)::BIGINT AS articles, bool_and(noun) AS noun
            FROM (SELECT * FROM _op_base_counts UNION ALL SELECT base, n, articles, noun FROM {prior_bases})
            GROUP BY base""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _op_counts AS
        SELECT base, n, noun FROM _op_base_counts WHERE NOT (noun AND articles > greatest(3, n / 2))""")
    _backoff(con)
    # Statements are numbered 0..n-1 in quote order: the quote number itself when the quotes are
    # numbered 1..n (as `analysis.indexes` numbers them), which spares a sort of every statement.
    dense = con.execute("SELECT min(quote_no) = 1 AND max(quote_no) = count(*) AND count(*) = count(DISTINCT quote_no) "
                        "FROM _op_base").fetchone()
    row_no = "(s.quote_no - 1)::BIGINT" if dense and dense[0] else "(row_number() OVER (ORDER BY s.quote_no) - 1)::BIGINT"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _op_st AS
        WITH s AS (
            SELECT b.quote_no, b.article_id, b.start, b.speaker_key, b.claim_row, b.kind, b.written, b.base,
                   b.n_words <= {FRAGMENT_WORDS} AND b.no_verb AS fragment, b.n_words < {FULL_WORDS} OR b.no_verb AS short,
                   coalesce(o.cand, b.base) AS subject_key,
                   CASE WHEN o.cand IS NULL THEN b.kind WHEN o.noun THEN 'noun' ELSE 'entity' END AS subject_kind
            FROM _op_base b LEFT JOIN _op_backoff o USING (quote_no)),
        shown AS (
            SELECT subject_key, mode(written) AS noun FROM s
            WHERE kind = 'noun' AND base = subject_key GROUP BY subject_key)
        SELECT {row_no} AS row_no, s.quote_no, s.article_id, s.start, s.speaker_key, s.claim_row, s.subject_key,
               s.subject_kind, s.fragment, s.short,
               coalesce(CASE WHEN s.subject_kind = 'noun' THEN lower(sh.noun) END, s.subject_key,
                        '{NO_SUBJECT}') AS subject
        FROM s LEFT JOIN shown sh USING (subject_key)""")
    _fragments_follow_their_speaker(con)
    for t in ("_op_base", "_op_counts", "_op_backoff", "_op_sides"):
        con.execute(f"DROP TABLE IF EXISTS {t}")


def _fragments_follow_their_speaker(con: duckdb.DuckDBPyConnection) -> None:
    """A quoted fragment ('called the vote a "farce"') states no claim of its own: it is a word
    the speaker chose for the point they were making. A statement about something no other
    statement is about ("the gangway is too steep") is, for the corpus, part of that speaker's
    point too. Both go under the subject of the speaker's nearest statement in the same article
    that is a full statement under a shared subject, where the grouping puts them with it
    (`grouping._one_story`)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _op_follow AS
        WITH n AS (SELECT subject_key, count(*) AS n FROM _op_st GROUP BY subject_key),
        f AS (SELECT st.* FROM _op_st st LEFT JOIN n USING (subject_key) WHERE st.fragment OR coalesce(n.n, 0) < 2)
        SELECT f.row_no, s.subject_key, s.subject_kind, s.subject FROM f
        JOIN _op_st s ON s.article_id = f.article_id AND s.speaker_key = f.speaker_key
        JOIN n ON n.subject_key = s.subject_key
        WHERE NOT s.fragment AND n.n >= 2
        QUALIFY row_number() OVER (PARTITION BY f.row_no ORDER BY abs(s.start - f.start), s.start) = 1""")
    if not _count(con, "SELECT count(*) FROM _op_follow"):
        con.execute("DROP TABLE _op_follow")
        return
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _op_st AS
        SELECT s.* REPLACE (coalesce(f.subject_key, s.subject_key) AS subject_key,
                            coalesce(f.subject_kind, s.subject_kind) AS subject_kind,
                            coalesce(f.subject, s.subject) AS subject)
        FROM _op_st s LEFT JOIN _op_follow f USING (row_no) ORDER BY s.row_no""")
    con.execute("DROP TABLE _op_follow")


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _backoff(con: duckdb.DuckDBPyConnection) -> None:
    """`_op_backoff`: for each statement whose own subject is unshared, the most shared entity it
    (or the text before it) names. A statement against the speaker's own side, or about the
    speaker alone ("we raised new proposals at the talks": the talks; a speaker who speaks of
    themselves in several statements stays their subject), may also go under a noun subject its
    claim names, and never under the speaker or their side: first the entities it names, then
    the nouns of its claim (for a statement about the speaker, after the text before it)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _op_backoff AS
        WITH lone AS (
            SELECT b.quote_no, b.article_id, b.kind, b.redirect, b.speaker_key, b.side, b.base, c.mentions, c.context, c.terms
            FROM _op_base b
            JOIN claims c ON c.rowid = b.claim_row
            LEFT JOIN _op_counts k ON k.base = b.base WHERE coalesce(k.n, 0) < 2 OR b.redirect),
        named AS (
            SELECT quote_no, article_id, unnest(mentions) AS name, 0 AS far FROM lone
            UNION ALL SELECT quote_no, article_id, context, 2 FROM lone WHERE context IS NOT NULL),
        cand AS (
            SELECT m.quote_no, coalesce(d.place, n.entity, m.name) AS cand, m.far FROM named m
            LEFT JOIN _op_names n ON n.article_id = m.article_id AND n.canonical = m.name
            LEFT JOIN _op_demonyms d ON d.name = coalesce(n.entity, m.name)
            UNION ALL
            SELECT quote_no, {meeting_sql('lower(t)')}, CASE WHEN redirect THEN 1 ELSE 3 END FROM (
                SELECT quote_no, redirect, unnest(terms) AS t FROM lone WHERE redirect OR kind = 'speaker')),
        ok AS (
            SELECT c.* FROM cand c JOIN lone l USING (quote_no)
            WHERE NOT (l.redirect OR l.kind = 'speaker')
               OR (c.cand IS DISTINCT FROM l.speaker_key AND c.cand IS DISTINCT FROM l.side
                   AND c.cand IS DISTINCT FROM l.base))
        SELECT c.quote_no, c.cand, k.noun FROM ok c JOIN _op_counts k ON k.base = c.cand
        QUALIFY row_number() OVER (PARTITION BY c.quote_no ORDER BY c.far, k.n DESC, c.cand) = 1""")


def meeting_sql(key: str) -> str:
    """SQL: a noun subject's key with a meeting noun at its head read as `talk`."""
    return f"regexp_replace({key}, '(^| )({'|'.join(MEETING_NOUNS)})$', '\\1talk')"


def _sides(con: duckdb.DuckDBPyConnection, speakers_of: str | None = None) -> None:
    """`_op_sides`: each speaker's side as a corpus subject key ("U.S." → "United States" when
    the articles resolve it so), from `speakers_corpus` when there is one; only for the speakers
    of the table `speakers_of`, when given (a few new statements)."""
    if {"speaker_key", "side"} <= table_columns(con, "speakers_corpus"):
        # The corpus entity of each side's name, as `_op_names` reads names (per article, then
        # across them), for the side names only: an incremental update has `_op_names` for its
        # new articles alone.
        only = f"AND speaker_key IN (SELECT speaker_key FROM {speakers_of})" if speakers_of else ""
        names = ("""SELECT canonical, mode(entity) AS entity FROM (
                        SELECT article_id, canonical, mode(entity) AS entity FROM entities
                        WHERE entity IS NOT NULL AND canonical IN (SELECT side FROM s) GROUP BY ALL)
                    GROUP BY canonical""" if {"article_id", "canonical", "entity"} <= table_columns(con, "entities")
                 else "SELECT NULL::VARCHAR AS canonical, NULL::VARCHAR AS entity WHERE false")
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _op_sides AS
            WITH s AS (SELECT speaker_key, any_value(side) AS side FROM speakers_corpus
                       WHERE side IS NOT NULL {only} GROUP BY speaker_key),
            n AS ({names})
            SELECT s.speaker_key, coalesce(d.place, n.entity, s.side) AS side FROM s
            LEFT JOIN n ON n.canonical = s.side
            LEFT JOIN _op_demonyms d ON d.name = coalesce(n.entity, s.side)""")
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _op_sides (speaker_key VARCHAR, side VARCHAR)")


def _names(con: duckdb.DuckDBPyConnection, articles_of: str | None = None) -> None:
    """Within-article canonical name → corpus entity (`entities.entity`, when resolved); only
    for the articles of the table `articles_of`, when given (a few new statements)."""
    cols = table_columns(con, "entities")
    if {"article_id", "canonical", "entity"} <= cols:
        only = f"AND article_id IN (SELECT DISTINCT article_id FROM {articles_of})" if articles_of else ""
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _op_names AS
            SELECT article_id, canonical, mode(entity) AS entity FROM entities
            WHERE entity IS NOT NULL AND canonical IS NOT NULL {only} GROUP BY ALL""")
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _op_names (article_id VARCHAR, canonical VARCHAR, entity VARCHAR)")


def _demonyms(con: duckdb.DuckDBPyConnection) -> None:
    """Nationality → place, for names of both kinds in this corpus ("North Koreans" → "North Korea")."""
    cols = table_columns(con, "entities")
    name = "entity" if "entity" in cols else "canonical"
    label = "entity_label" if "entity_label" in cols else "label"
    pairs: list[tuple[str, str]] = []
    if {name, label} <= cols:
        rows = con.execute(f"SELECT DISTINCT {name}, {label} FROM entities WHERE {label} IN ('NORP', 'GPE', 'LOC')"
                           ).fetchall()
        places = {n for n, lab in rows if lab in ("GPE", "LOC") and n}
        for n, lab in rows:
            if lab == "NORP" and n:
                place = demonym_place(n, places)
                if place:
                    pairs.append((n, place))
    con.register("_op_demonyms_df", pd.DataFrame(pairs, columns=["name", "place"], dtype="string"))
    con.execute("CREATE OR REPLACE TEMP TABLE _op_demonyms AS SELECT * FROM _op_demonyms_df")
    con.unregister("_op_demonyms_df")


def demonym_place(name: str, places: set[str]) -> str | None:
    """The place a nationality word names, if it is among `places`: "North Koreans" → "North
    Korea", "Iranian" → "Iran", "Chinese" → None unless "Chin" is a place (it is not)."""
    for ending in DEMONYM_ENDINGS:
        if name.endswith(ending) and len(name) - len(ending) >= 3:
            stem = name[: -len(ending)]
            for cand in (stem, stem + "a"):
                if cand in places and cand != name:
                    return cand
    return None
