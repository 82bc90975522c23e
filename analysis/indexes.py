"""Summary tables and a word index, built once per corpus, that the dashboard counts from.

At 100,000 articles the store holds 8.3 million entity mentions and 1.3 million quotes. Every
filter change on the entity views used to count those mentions again (0.3 to 5 s per page); a
text search scanned every quote with `ILIKE` from each of the page's queries. These tables hold
the same facts at the grain the views ask for, with integer keys, so that a count reads a few
hundred thousand small rows and a search reads a few postings:

* `articles` gains `article_no` (dates ascending, so a date range is a run of numbers) and `day`
  (the date as a DATE; NULL for undated articles);
* `entity_index`: one row per entity (`entity_no` by mentions, most mentioned first) with its
  label, group, corpus-wide mentions and articles and its most frequent written forms;
* `entity_articles`: mentions per entity and article, sorted by entity, so the timeline of a few
  entities reads only their rows;
* `entity_lists`: per article, its entities' numbers and mentions (`entity_articles` by
  article), for counts per entity over a set of articles;
* `entity_pairs`: sentences per article in which two named (non-numeric) entities both appear;
  the network view sums it instead of self-joining millions of mentions;
* `search_units`, `search_words`, `search_postings`: a word index of the searchable text, one
  unit per article title and per quote (its text and speaker name). A one-word search finds
  the words that contain it (a substring, as `ILIKE '%word%'` would), then their units; a
  postings row per place a word stands, so that a quoted phrase finds its words one after the
  other (`phrase_units`). `quotes` gains `quote_no`, the key a unit and an opinion point at, and
  `article_no`;
* `quote_entities`: the entities named inside each quote or in its sentence (what a speaker is
  quoted about); `opinions` gains the quote's `quote_no`, `article_no` and `speaker_key`;
* `speaker_articles`: the articles quoting each speaker and how often, for the speaker filter at
  the article level (entity views, article lists) and the per-speaker counts under filters that
  name no quote, without scanning every quote;
* `entity_names` (per within-article name and corpus entity, its articles) and `entity_forms`
  (per written form of a person or organisation and its entity, its mentions): what a daily
  update (`analysis.incremental`) resolves new names and speakers against, instead of reading
  the 8 million mentions again.

All of it is derived from `articles`, `entities` and `quotes` after the corpus-level steps
(entity names, speaker keys), and saved with them in the corpus cache (`analysis.corpus`).
"""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

import duckdb

from analysis.store import table_columns

# Labels spaCy gives to dates and numbers: kept in the tables (an analyst can pick them as the
# entity type) but not in the pairs, which feed a network of who and what the news is about.
NUMERIC_LABELS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY")
INDEX_TABLES = ("entity_index", "entity_articles", "entity_pairs", "search_units", "search_words", "search_postings",
                "speaker_articles", "quote_entities", "entity_names", "entity_forms", "entity_lists")
FORMS = 5
# Field separator inside a search document: never typed in a search box, so no match spans two
# quotes, and the word splitter treats it as a break.
SEP = "\x1f"
VERSION = 12


def has_indexes(con: duckdb.DuckDBPyConnection) -> bool:
    return "article_no" in table_columns(con, "articles") and all(table_columns(con, t) for t in INDEX_TABLES)


def number_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Give articles their `article_no` (dates ascending) and `day`, and quotes their `quote_no`
    and `article_no`: the integer keys every later table and view joins on."""
    cols = table_columns(con, "articles") - {"article_no", "day"}
    con.execute(f"""
        CREATE OR REPLACE TABLE articles AS
        SELECT (row_number() OVER (ORDER BY TRY_CAST(date AS DATE) NULLS LAST, article_id))::INTEGER AS article_no,
               {', '.join(f'"{c}"' for c in sorted(cols))}, TRY_CAST(date AS DATE) AS day
        FROM articles ORDER BY article_no""")
    _number_quotes(con)


def build(con: duckdb.DuckDBPyConnection, opinions_keyed: bool = False) -> None:
    """Create (or replace) the summary tables from `articles`, `entities` and `quotes`.

    Runs after `number_rows`. `entities` must carry the corpus-level `entity`, `entity_label`
    and `group` columns and `quotes` the `speaker_key` (see `analysis.derive`;
    `corpus.complete_schema` adds them to a bare snapshot). About 15 s at 100,000 articles.
    """
    numeric = ", ".join(f"'{x}'" for x in NUMERIC_LABELS)
    group = 'e."group"' if "group" in table_columns(con, "entities") else "e.entity"
    con.execute(f"""
        CREATE OR REPLACE TABLE entity_index AS
        WITH per_entity AS (
            SELECT e.entity, mode(e.entity_label) AS entity_label, mode({group}) AS "group",
                   count(*) AS mentions, count(DISTINCT e.article_id) AS articles
            FROM entities e WHERE e.entity IS NOT NULL GROUP BY e.entity),
        forms AS ({forms_sql()})
        SELECT (row_number() OVER (ORDER BY p.mentions DESC, p.entity) - 1)::INTEGER AS entity_no,
               p.entity, p.entity_label, coalesce(p."group", p.entity) AS "group",
               p.entity_label IN ({numeric}) AS numeric, p.mentions, p.articles, f.forms
        FROM per_entity p LEFT JOIN forms f USING (entity)
        ORDER BY entity_no""")
    con.execute(f"CREATE OR REPLACE TABLE entity_articles AS {entity_articles_sql()} ORDER BY entity_no, article_no")
    con.execute(f"CREATE OR REPLACE TABLE entity_names AS {entity_names_sql()} ORDER BY canonical, entity")
    con.execute(f"CREATE OR REPLACE TABLE entity_forms AS {entity_forms_sql()} ORDER BY form, entity")
    con.execute(f"CREATE OR REPLACE TABLE entity_pairs AS {entity_pairs_sql()} ORDER BY source_no, target_no, article_no")
    con.execute(f"CREATE OR REPLACE TABLE search_units AS {search_units_sql()} ORDER BY unit_no")
    con.execute(f"CREATE OR REPLACE TABLE search_words AS {new_words_sql()} ORDER BY word_no")
    con.execute(f"CREATE OR REPLACE TABLE search_postings AS {postings_sql()} ORDER BY word_no, unit_no, pos")
    con.execute(f"CREATE OR REPLACE TABLE speaker_articles AS {speaker_articles_sql()} ORDER BY speaker_key, article_no")
    ocols = table_columns(con, "opinions")
    # `opinions_keyed`: the opinions were grouped after `number_rows` in this same derivation, so
    # they already carry these keys and order (`analysis.opinions.derive`): 2.5 s less at 100,000.
    if {"article_id", "start"} <= ocols and not opinions_keyed:
        # The quote's keys copied in, so the opinion views filter and count without a join; sorted
        # by subject, so that a subject's views read only its row groups (0.25 -> 0.14 s for the
        # opinion page under a speaker filter at 100,000 articles).
        keep = ", ".join(f'o."{c}"' for c in sorted(ocols - {"quote_no", "article_no", "speaker_key"}))
        con.execute(f"""
            CREATE OR REPLACE TABLE opinions AS
            SELECT {keep}, q.quote_no, q.article_no, q.speaker_key
            FROM opinions o JOIN quotes q ON q.article_id = o.article_id AND q.start = o.start
            ORDER BY o.subject, q.quote_no""")
    con.execute(f"CREATE OR REPLACE TABLE quote_entities AS {quote_entities_sql()} ORDER BY quote_no, entity_no")
    build_entity_lists(con)


def build_entity_lists(con: duckdb.DuckDBPyConnection) -> None:
    """`entity_lists`: per article, the numbers of the entities it names and their mentions (two
    lists, by entity number), sorted by article: `entity_articles` turned around. A count per
    entity over a set of articles (a search's, a speaker's) reads the lists of those articles,
    100,000 rows at 100,000 articles, instead of testing each of the 4.4 million summary rows
    (0.04 -> 0.02 s for a search). Built after `entity_articles` (`build`; a daily update appends
    the new articles' lists, `analysis.incremental`)."""
    con.execute(f"CREATE OR REPLACE TABLE entity_lists AS {entity_lists_sql()} ORDER BY article_no")


# The index tables' rows as SELECTs over named source tables: `build` runs them over the whole
# corpus, `analysis.incremental` over the rows of new articles only (and appends them).

def forms_sql(only: str = "") -> str:
    """Per entity (of those in the table `only`, else all), its most frequent written forms."""
    where = f"AND e.entity IN (SELECT entity FROM {only})" if only else ""
    return f"""
        SELECT entity, list(text ORDER BY n DESC, text)[1:{FORMS}] AS forms
        FROM (SELECT e.entity, replace(e.text, '’', '''') AS text, count(*) AS n FROM entities e
              WHERE e.entity IS NOT NULL {where} GROUP BY ALL)
        GROUP BY entity"""


def entity_names_sql(entities: str = "entities") -> str:
    """Per within-article name (`canonical`) and the corpus entity it resolved to, its articles."""
    return f"""
        SELECT canonical, entity, count(DISTINCT article_id)::BIGINT AS articles
        FROM {entities} WHERE canonical IS NOT NULL GROUP BY ALL"""


def entity_forms_sql(entities: str = "entities") -> str:
    """Per written form of a person or organisation (a mention's text, its canonical name, the
    entity's name) and the entity it names, how often (`aliases.link_forms` reads it)."""
    return f"""
        SELECT form, entity, entity_label, count(*)::BIGINT AS n FROM (
            SELECT text AS form, entity, entity_label FROM {entities} WHERE entity_label IN ('PERSON', 'ORG')
            UNION ALL SELECT canonical, entity, entity_label FROM {entities} WHERE entity_label IN ('PERSON', 'ORG')
            UNION ALL SELECT entity, entity, entity_label FROM {entities} WHERE entity_label IN ('PERSON', 'ORG'))
        WHERE form IS NOT NULL AND entity IS NOT NULL GROUP BY ALL"""


def add_counts(con: duckdb.DuckDBPyConnection, table: str, new_sql: str, keys: tuple[str, ...], count: str) -> None:
    """Add the rows of `new_sql` (the new articles' counts) to the count table `table`: counts of
    known keys grow, new keys are inserted. Keys may be NULL (a name no entity resolved)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _add_counts AS {new_sql}")
    same = " AND ".join(f"t.{k} IS NOT DISTINCT FROM x.{k}" for k in keys)
    con.execute(f"UPDATE {table} t SET {count} = t.{count} + x.{count} FROM _add_counts x WHERE {same}")
    con.execute(f"INSERT INTO {table} BY NAME SELECT x.* FROM _add_counts x WHERE NOT EXISTS "
                f"(SELECT 1 FROM {table} t WHERE {same})")
    con.execute("DROP TABLE _add_counts")


def entity_articles_sql(entities: str = "entities", articles: str = "articles") -> str:
    return f"""
        SELECT i.entity_no, a.article_no, count(*)::INTEGER AS mentions
        FROM {entities} e JOIN entity_index i ON i.entity = e.entity JOIN {articles} a ON a.article_id = e.article_id
        GROUP BY ALL"""


def entity_lists_sql(entity_articles: str = "entity_articles", only: str = "") -> str:
    """Per article (of those `only` selects, else all), its entities' numbers and mentions."""
    where = f"WHERE article_no IN ({only})" if only else ""
    return f"""
        SELECT article_no, list(entity_no ORDER BY entity_no) AS entity_nos, list(mentions ORDER BY entity_no) AS mentions
        FROM {entity_articles} {where} GROUP BY article_no"""


def entity_pairs_sql(entities: str = "entities", articles: str = "articles") -> str:
    return f"""
        WITH m AS (
            SELECT DISTINCT i.entity_no, a.article_no, e.sentence
            FROM {entities} e JOIN entity_index i ON i.entity = e.entity JOIN {articles} a ON a.article_id = e.article_id
            WHERE NOT i.numeric AND e.sentence IS NOT NULL)
        SELECT m1.entity_no AS source_no, m2.entity_no AS target_no, m1.article_no, count(*)::INTEGER AS sentences
        FROM m m1 JOIN m m2 ON m1.article_no = m2.article_no AND m1.sentence = m2.sentence
                           AND m1.entity_no < m2.entity_no
        GROUP BY ALL"""


def search_units_sql(articles: str = "articles", quotes: str = "quotes", first_unit: int = 1) -> str:
    """One unit per article title and per quote (its text and speaker), numbered from `first_unit`."""
    return f"""
        SELECT (row_number() OVER (ORDER BY article_no, quote_no NULLS FIRST) + {int(first_unit) - 1})::INTEGER
                   AS unit_no, *
        FROM (SELECT a.article_no, NULL::INTEGER AS quote_no, lower(a.title) AS doc
              FROM {articles} a WHERE a.title IS NOT NULL
              UNION ALL
              SELECT q.article_no, q.quote_no, lower(concat_ws(chr(31), q.text, q.speaker_key)) AS doc
              FROM {quotes} q)"""


def tokens_sql(units: str = "search_units") -> str:
    """Each word of each unit and where it stands (`pos`, its place among the unit's tokens). The
    field separator is a token of its own, so that the last word of a quote and the speaker's name
    are never next to each other: a quoted phrase matches where its words stand one after the other
    (`phrase_units`), as the phrase's pattern would in the text."""
    return f"""
        SELECT unit_no, article_no, quote_no, word, pos
        FROM (SELECT unit_no, article_no, quote_no, unnest(t) AS word, unnest(range(1, len(t) + 1))::INTEGER AS pos
              FROM (SELECT unit_no, article_no, quote_no,
                           string_split_regex(replace(doc, chr(31), ' ' || chr(31) || ' '), '\\s+') AS t
                    FROM {units}))
        WHERE word <> '' AND word <> chr(31)"""


def new_words_sql(units: str = "search_units", known: bool = False) -> str:
    """The words of `units`, numbered in alphabetical order; with `known`, only those not yet in
    `search_words`, numbered after the words it holds (a daily update)."""
    after = "(SELECT coalesce(max(word_no) + 1, 0) FROM search_words)" if known else "0"
    unknown = " ANTI JOIN search_words USING (word)" if known else ""
    return f"""
        SELECT (row_number() OVER (ORDER BY word) - 1 + {after})::INTEGER AS word_no, word
        FROM (SELECT DISTINCT word FROM ({tokens_sql(units)})){unknown}"""


def postings_sql(units: str = "search_units") -> str:
    """One row per word of a unit where it stands (a word twice in a unit is two rows).

    Rows, not a list of positions per word and unit: grouping 30 million tokens into 26 million
    (word, unit) lists took 24 s of the full rebuild at 100,000 articles; numbering the words and
    sorting the tokens takes 10 s. A phrase joins its words on `pos`. The units are split again
    here after `new_words_sql` split them for the words: 30 million tokens kept in a table between
    the two would spill, where a split costs ~2.5 s."""
    return f"""
        SELECT w.word_no, t.unit_no, t.article_no, t.quote_no, t.pos
        FROM ({tokens_sql(units)}) t JOIN search_words w USING (word)"""


def speaker_articles_sql(quotes: str = "quotes") -> str:
    """Per speaker and article quoting them, how many quotes (`n`)."""
    return f"SELECT speaker_key, article_no, count(*)::INTEGER AS n FROM {quotes} WHERE speaker_key IS NOT NULL GROUP BY ALL"


def quote_entities_sql(quotes: str = "quotes", entities: str = "entities") -> str:
    return f"""
        SELECT DISTINCT q.quote_no, i.entity_no
        FROM {quotes} q JOIN {entities} e ON e.article_id = q.article_id
             AND ((e.start >= q.start AND e."end" <= q."end") OR (q.sentence IS NOT NULL AND e.sentence = q.sentence))
        JOIN entity_index i ON i.entity = e.entity"""


def _number_quotes(con: duckdb.DuckDBPyConnection) -> None:
    """Give every quote a `quote_no` (the key the search index and opinions point at) and its
    article's `article_no` (an integer join instead of a string one), in article order."""
    cols = table_columns(con, "quotes") - {"quote_no", "article_no"}
    select = f"""
        SELECT (row_number() OVER (ORDER BY a.article_no, q.start))::INTEGER AS quote_no, a.article_no,
               {', '.join(f'q."{c}"' for c in sorted(cols))}
        FROM quotes q JOIN articles a ON a.article_id = q.article_id
        ORDER BY quote_no"""
    # The quote text is stored uncompressed (DuckDB would compress it with a dictionary and FSST):
    # the tables of the pages read the text of a thousand quotes spread over the table (the
    # newest under a search), and a compressed column is decompressed in whole vectors, 0.05 s
    # for any thousand quotes at 100,000 articles, against 0.01 s uncompressed. It costs ~90 MB of
    # file at 100,000 articles. The column keeps its setting for the rows an update appends.
    columns = ", ".join(f'"{name}" {kind}' + (" USING COMPRESSION uncompressed" if name == "text" else "")
                        for name, kind, *_ in con.execute(f"DESCRIBE {select}").fetchall())
    con.execute(f"CREATE OR REPLACE TABLE _numbered_quotes ({columns})")
    con.execute(f"INSERT INTO _numbered_quotes {select}")
    con.execute("DROP TABLE quotes")  # the snapshot's (a temporary one comes first when a name is looked up)
    con.execute("ALTER TABLE _numbered_quotes RENAME TO quotes")


# Words searched at most: each is one INTERSECT of postings. 400 words took 2 s a query and 500
# overflowed DuckDB's expression depth; nobody types 33 words that must all be in one quote.
MAX_SEARCH_WORDS = 32


@dataclass(frozen=True)
class Search:
    """What a search box asks for: words that must all occur in one title or quote (each as a
    substring of a word there, case-insensitive: `korea` finds "North Korea's"), and exact
    phrases typed in double quotes (their words in that order, any white space between).

    `dropped`: the words (and `"quoted phrases"`) past `MAX_SEARCH_WORDS` that are not searched,
    in the order typed, so that the page can say which were left out."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    dropped: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.words


def parse_search(q: str) -> Search:
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for quoted, bare in re.findall(r'"([^"]*)"|([^\s"]+)', (q or "").lower().replace(SEP, " ")):
        parts = tuple(quoted.split()) if not bare else (bare,)
        words += parts
        if len(parts) > 1:
            phrases.append(parts)
    unique = tuple(dict.fromkeys(words))
    kept = set(unique[:MAX_SEARCH_WORDS])
    # A phrase is checked only if all its words are searched; at most as many phrases as words.
    whole = [p for p in dict.fromkeys(phrases) if kept.issuperset(p)]
    dropped = unique[MAX_SEARCH_WORDS:] + tuple(f'"{" ".join(p)}"' for p in dict.fromkeys(phrases)
                                                if p not in whole[:MAX_SEARCH_WORDS])
    return Search(unique[:MAX_SEARCH_WORDS], tuple(whole[:MAX_SEARCH_WORDS]), dropped)


def phrase_pattern(phrase: tuple[str, ...]) -> str:
    """A regular expression for a quoted phrase's words in order, any whitespace between them."""
    return r"\s+".join(re.escape(w) for w in phrase)


def matching_units(q: str | Search) -> tuple[str, list]:
    """SQL selecting `unit_no, article_no, quote_no` of the titles (quote_no NULL) and quotes
    (with their speaker) that match the search `q` (see `Search`), and its parameters.

    Words are looked up in the index (a few milliseconds at 100,000 articles), and so are quoted
    phrases, by where their words stand (`phrase_units`); only a phrase of more than
    `MAX_PHRASE_JOIN` words reads the text of the units that hold its words. Empty search:
    nothing."""
    search = q if isinstance(q, Search) else parse_search(q)
    if search.empty:
        return ("SELECT NULL::INTEGER AS unit_no, NULL::INTEGER AS article_no, NULL::INTEGER AS quote_no "
                "WHERE FALSE"), []
    words = "SELECT word_no FROM search_words WHERE contains(word, ?)"
    if len(search.words) == 1:
        # DISTINCT: a unit holds a word at several places, or several words containing the search
        return (f"SELECT DISTINCT unit_no, article_no, quote_no FROM search_postings WHERE word_no IN ({words})",
                list(search.words))
    sets = [f"SELECT unit_no FROM search_postings WHERE word_no IN ({words})"] * len(search.words)
    params: list = list(search.words)
    long = [p for p in search.phrases if len(p) > MAX_PHRASE_JOIN]
    for phrase in search.phrases:  # where the words stand, from the index: no text is read
        if len(phrase) <= MAX_PHRASE_JOIN:
            sql, ps = phrase_units(phrase)
            sets.append(sql)
            params += ps
    together = " INTERSECT ".join(sets)
    if not long:  # the keys of the units, never their text
        return f"SELECT unit_no, article_no, quote_no FROM search_units WHERE unit_no IN ({together})", params
    # As in `quote_text_matches`, the long phrases travel as columns of the candidates, so that
    # only the candidates' text is read.
    cols = ", ".join(f"?::VARCHAR AS p{j}" for j in range(len(long)))
    checks = " AND ".join(f"regexp_matches(u.doc, c.p{j})" for j in range(len(long)))
    return (f"SELECT u.unit_no, u.article_no, u.quote_no FROM (SELECT unit_no, {cols} FROM ({together})) c "
            f"JOIN search_units u ON u.unit_no = c.unit_no WHERE {checks}"), [*map(phrase_pattern, long), *params]


# A quoted phrase of up to this many words is matched on the positions in the word index (one
# join per word); a longer one on the text of the units that hold its words (about 0.1 s at
# 100,000 articles for a common pair, since those units lie all over the table).
MAX_PHRASE_JOIN = 4


def phrase_units(phrase: tuple[str, ...]) -> tuple[str, list]:
    """SQL selecting the `unit_no` of the units where the words of `phrase` stand one after the
    other, and its parameters: what `phrase_pattern` finds in a unit's text (the first word ends a
    token, the last begins one, the words between are whole tokens, only white space between
    them), read from the positions of the word index instead of the text."""
    n = len(phrase)
    tests = []
    for i, _ in enumerate(phrase):
        if i == 0:
            tests.append("ends_with(word, ?)" if n > 1 else "contains(word, ?)")
        elif i == n - 1:
            tests.append("starts_with(word, ?)")
        else:
            tests.append("word = ?")
    # Word i of the phrase stands i places after its first word, in the same unit.
    joins = " ".join(f"JOIN search_postings p{i} ON p{i}.unit_no = p0.unit_no AND p{i}.pos = p0.pos + {i}"
                     for i in range(1, n))
    conds = [f"p{i}.word_no IN (SELECT word_no FROM search_words WHERE {t})" for i, t in enumerate(tests)]
    return f"SELECT DISTINCT p0.unit_no FROM search_postings p0 {joins} WHERE {' AND '.join(conds)}", list(phrase)


def matching_articles(q: str, con: duckdb.DuckDBPyConnection | None = None) -> tuple[str, list]:
    """SQL selecting the `article_no` of articles whose title, quotes or speaker names match `q`."""
    sql, params = search_units(q, con)
    return f"SELECT article_no FROM ({sql})", params


def quote_matches(q: str, quote: str = "q", con: duckdb.DuckDBPyConnection | None = None) -> tuple[str, list]:
    """A condition on a quote (`quote`.quote_no, `quote`.article_no): the quote or its speaker
    matches `q`, or the title of its article does (then every quote of that article matches)."""
    sql, params = search_units(q, con)
    if con is None:
        return (f"({quote}.quote_no IN (SELECT quote_no FROM ({sql})) "
                f"OR {quote}.article_no IN (SELECT article_no FROM ({sql}) WHERE quote_no IS NULL))"), [*params, *params]
    # With a connection, the matching quotes themselves are kept once per search: the quotes
    # matched in the index and every quote of an article whose title matched. A page's quote-level
    # queries then semi-join one small set instead of testing each quote against two (an OR of two
    # subqueries, 0.04 s a query at 100,000 articles against 0.01 s).
    search = parse_search(q)
    quotes = (f"SELECT quote_no FROM ({sql}) WHERE quote_no IS NOT NULL UNION "
              f"SELECT x.quote_no FROM quotes x WHERE x.article_no IN (SELECT article_no FROM ({sql}) WHERE quote_no IS NULL)")
    kept_sql, kept_params = _kept(con, "quotes", (search.words, search.phrases), quotes, [*params, *params], "quote_no")
    return f"{quote}.quote_no IN ({kept_sql})", kept_params


def quote_text_matches(q: str, con: duckdb.DuckDBPyConnection | None = None) -> tuple[str, list]:
    """SQL selecting `quote_no, article_no` of the quotes whose own text holds every word of `q`
    (and its quoted phrases in order): the quote-only search. The word index narrows the
    candidates (a quote unit also holds the speaker's name), then the candidates' text is checked."""
    search = parse_search(q)
    if search.empty:
        return "SELECT NULL::INTEGER AS quote_no, NULL::INTEGER AS article_no WHERE FALSE", []
    sql, params = search_units(q, con)
    # The words travel as columns of the candidates, so the checks need both sides of the join:
    # DuckDB then reads the text of the candidates only, instead of pushing the checks into a
    # scan of every quote's text (0.19 s against 0.07 s at 10,000 articles).
    cols = [f"?::VARCHAR AS w{i}" for i in range(len(search.words))]
    checks = [f"contains(lower(q.text), c.w{i})" for i in range(len(search.words))]
    values: list = list(search.words)
    for j, phrase in enumerate(search.phrases):
        cols.append(f"?::VARCHAR AS p{j}")
        checks.append(f"regexp_matches(lower(q.text), c.p{j})")
        values.append(phrase_pattern(phrase))
    # A candidate's words are in its quote's text or in its speaker's name: when the name holds
    # none of them (nor a phrase), they are all in the text, and the text need not be read. Only
    # the candidates whose speaker's name answers the search are checked on their text (at
    # 100,000 articles the text of candidates all over the table cost 0.08-0.1 s).
    in_name = " OR ".join([f"contains(lower(q.speaker_key), c.w{i})" for i in range(len(search.words))]
                          + [f"regexp_matches(lower(q.speaker_key), c.p{j})" for j in range(len(search.phrases))])
    sql = f"""
        WITH c AS MATERIALIZED (SELECT DISTINCT quote_no, {', '.join(cols)} FROM ({sql}) WHERE quote_no IS NOT NULL),
        keyed AS MATERIALIZED (SELECT c.*, q.article_no, coalesce({in_name}, FALSE) AS in_name
                               FROM c JOIN quotes q ON q.quote_no = c.quote_no)
        SELECT quote_no, article_no FROM keyed WHERE NOT in_name
        UNION ALL
        SELECT q.quote_no, q.article_no FROM (SELECT * FROM keyed WHERE in_name) c
             JOIN quotes q ON q.quote_no = c.quote_no WHERE {' AND '.join(checks)}"""
    params = [*values, *params]
    if con is None:
        return sql, params
    # Reading the candidates' text is the cost (a second at 100,000 articles): once per search.
    return _kept(con, "said", (search.words, search.phrases), sql, params, "quote_no, article_no")


# A page asks the same search in four to eight queries. With a connection, the matching units
# are kept once per search in a small table of the connection's own (in-memory) catalog, which
# every cursor of the connection sees. The CACHED_SEARCHES most recently used are kept, and none
# used in the last KEEP_SECONDS: another session may be between building its SQL and running it.
CACHED_SEARCHES = 32
KEEP_SECONDS = 60
_REGISTRY = "search_cache_registry"


def search_units(q: str, con: duckdb.DuckDBPyConnection | None = None) -> tuple[str, list]:
    """`matching_units(q)`, or with `con` a SELECT over the kept result (computed on first use)."""
    search = parse_search(q)
    if con is None or search.empty:
        return matching_units(search)
    sql, params = matching_units(search)
    return _kept(con, "units", (search.words, search.phrases), sql, params, "unit_no, article_no, quote_no")


def kept(con: duckdb.DuckDBPyConnection, kind: str, key: tuple, sql: str, params: list,
         columns: str) -> tuple[str, list]:
    """A SELECT over the result of `sql` (with `params`), computed once per connection and
    (`kind`, `key`) and kept with the search results: for an intermediate result that several
    queries of a page share (the per-entity counts of one filter, say). `key` must name
    everything the result depends on (the SQL and its parameters, as `sql_key` gives them).
    `clear_search_cache` forgets these too."""
    return _kept(con, kind, key, sql, params, columns, prefix="kept_result_")


def sql_key(sql: str, params: list) -> tuple:
    """A key for `kept` naming a query by its text and parameter values."""
    return (sql, repr(list(params)))


def _kept(con: duckdb.DuckDBPyConnection, kind: str, search: tuple, sql: str, params: list,
          columns: str, prefix: str = "search_result_") -> tuple[str, list]:
    """A SELECT over the result of `sql`, computed once per connection and search and kept."""
    key = hashlib.sha1(repr((kind, search)).encode()).hexdigest()[:16]
    table = f"{prefix}{key}"
    if not _touch(con, table):
        try:
            con.execute(f"CREATE TABLE IF NOT EXISTS memory.main.{table} AS {sql}", params)
            con.execute(f"CREATE TABLE IF NOT EXISTS memory.main.{_REGISTRY} (name VARCHAR, used TIMESTAMP)")
            con.execute(f"INSERT INTO memory.main.{_REGISTRY} VALUES (?, now())", [table])
            _mark_touched(table, time.monotonic())
            _evict(con)
        except duckdb.Error:
            if not _table_exists(con, table):  # another session made it meanwhile, or a real error
                return sql, params
    return f"SELECT {columns} FROM memory.main.{table}", []


def _touch(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether `table` is kept, marking it used now (at most every `TOUCH_SECONDS` from this
    process). A page looks its kept results up ten to twenty times: a look-up in the catalog
    (`duckdb_tables()`) and an update of the registry each time cost 1.1 ms, a read of nothing
    from the table 0.3 ms. The registry's time only orders what eviction drops, and nothing
    used in the last `KEEP_SECONDS` (far more than `TOUCH_SECONDS`) is dropped."""
    try:
        con.execute(f"SELECT 1 FROM memory.main.{table} LIMIT 0")
    except duckdb.Error:
        return False
    now = time.monotonic()
    if now - _TOUCHED.get(table, -TOUCH_SECONDS) >= TOUCH_SECONDS:
        try:
            con.execute(f"UPDATE memory.main.{_REGISTRY} SET used = now() WHERE name = ?", [table])
        except duckdb.Error:
            pass  # another session touched it at the same moment: used just now anyway
        _mark_touched(table, now)
    return True


# When this process last marked each kept table used (by name; a stale entry only delays a mark).
_TOUCHED: dict[str, float] = {}
TOUCH_SECONDS = 10.0


def _mark_touched(table: str, now: float) -> None:
    if len(_TOUCHED) > 4 * CACHED_SEARCHES:
        _TOUCHED.clear()
    _TOUCHED[table] = now


def clear_search_cache(con: duckdb.DuckDBPyConnection) -> None:
    """Forget every kept search result and other kept result (`kept`): the benchmark times a
    filter change from scratch."""
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'memory' "
                               "AND (table_name LIKE 'search_result_%' OR table_name LIKE 'kept_result_%' "
                               "OR table_name = ?)", [_REGISTRY]).fetchall():
        con.execute(f"DROP TABLE IF EXISTS memory.main.{name}")


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute("SELECT 1 FROM duckdb_tables() WHERE database_name = 'memory' AND table_name = ?",
                            [table]).fetchone())


def _evict(con: duckdb.DuckDBPyConnection) -> None:
    old = con.execute(f"""
        SELECT name FROM (SELECT name, used FROM memory.main.{_REGISTRY} ORDER BY used DESC OFFSET {int(CACHED_SEARCHES)})
        WHERE used < now() - to_seconds(?)""", [KEEP_SECONDS]).fetchall()
    for (name,) in old:
        con.execute(f"DROP TABLE IF EXISTS memory.main.{name}")
        con.execute(f"DELETE FROM memory.main.{_REGISTRY} WHERE name = ?", [name])


def name_matches(q: str, column: str) -> tuple[str, list]:
    """A condition that the name in `column` holds every word of the search `q` (and each quoted
    phrase as typed): how an entity's own name answers a search."""
    search = parse_search(q)
    if search.empty:
        return "FALSE", []
    parts = [(f"contains(lower({column}), ?)", w) for w in search.words]
    parts += [(f"contains(lower({column}), ?)", " ".join(p)) for p in search.phrases]
    return "(" + " AND ".join(sql for sql, _ in parts) + ")", [v for _, v in parts]

