"""The analyst's corrections of the machine: merge, split or rename a speaker or an entity, set a
speaker's role or side. Kept as data, applied when the corpus is read.

Why at read time: a correction must show on the next page load, without a re-parse or a
rebuild of the corpus tables, and it must be undoable. So each one is a row of a small log in
the store folder (`corrections.parquet`: what, on what, by whom, when, and when undone), and
`apply` lays the active ones over the derived tables of a connection as views and small tables
of its own. The log is rewritten whole by an atomic rename under a lock: a reader sees the old
log or the new one, never half of one.

Which one wins: corrections apply in the order they were made; a merge or rename maps a name to
another, a chain (A into B, then B renamed C) ends at the last name; a split takes one name the
articles used (a speaker as one article names them, or an entity's spelling) out of the merged
speaker or entity and makes it its own; role and side replace the automatic guess (a
`speakers.csv` row is applied before, at derivation).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FILE = "corrections.parquet"
ENV = "ANALYSIS_CORRECTIONS"
KINDS = {
    "merge_speaker": "merge speaker {target} into {value}",
    "rename_speaker": "rename speaker {target} to {value}",
    "split_speaker": "take “{value}” out of speaker {target}",
    "set_role": "set the role of {target} to {value}",
    "set_side": "set the side of {target} to {value}",
    "merge_entity": "merge entity {target} into {value}",
    "rename_entity": "rename entity {target} to {value}",
    "split_entity": "take “{value}” out of entity {target}",
}
SCHEMA = pa.schema([("id", pa.int64()), ("kind", pa.string()), ("target", pa.string()), ("value", pa.string()),
                    ("who", pa.string()), ("at", pa.string()), ("undone_at", pa.string()),
                    ("undone_by", pa.string())])


class CorrectionError(ValueError):
    """A correction that cannot be made (unknown kind, empty name, a merge into itself)."""


def enabled() -> bool:
    """Corrections change what every visitor sees, so the dashboard offers them only where the
    operator switched them on (`ANALYSIS_CORRECTIONS=on`): a hosted link is open to anyone."""
    return os.environ.get(ENV, "").strip().lower() in {"1", "on", "true", "yes"}


@dataclass(frozen=True)
class Correction:
    id: int
    kind: str
    target: str
    value: str
    who: str
    at: str
    undone_at: str | None = None
    undone_by: str | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def describe(self) -> str:
        return KINDS[self.kind].format(target=self.target, value=self.value)


class CorrectionLog:
    """The log of one store folder."""

    def __init__(self, store_root: str | Path):
        self.root = Path(store_root)
        self.path = self.root / FILE

    def all(self) -> list[Correction]:
        if not self.path.is_file():
            return []
        rows = pq.read_table(self.path).to_pylist()
        return [Correction(**r) for r in rows]

    def active(self) -> list[Correction]:
        return [c for c in self.all() if c.active]

    def signature(self) -> tuple:
        """Changes with every correction made or undone: part of the dashboard's cache key."""
        if not self.path.is_file():
            return ()
        st = self.path.stat()
        return (st.st_mtime_ns, st.st_size)

    def add(self, kind: str, target: str, value: str, who: str = "analyst") -> Correction:
        target, value = (target or "").strip(), (value or "").strip()
        if kind not in KINDS:
            raise CorrectionError(f"unknown correction {kind!r}; one of {', '.join(KINDS)}")
        if not target or not value:
            raise CorrectionError("a correction needs both a name and what to do with it")
        if kind.startswith(("merge", "rename")) and target == value:
            raise CorrectionError(f"{target} cannot be merged into or renamed to itself")
        with self._locked():
            rows = self.all()
            made = Correction(id=max((c.id for c in rows), default=0) + 1, kind=kind, target=target, value=value,
                              who=who or "analyst", at=_now())
            self._write([*rows, made])
        return made

    def undo(self, correction_id: int, who: str = "analyst") -> Correction:
        with self._locked():
            rows = self.all()
            found = next((c for c in rows if c.id == correction_id), None)
            if found is None or not found.active:
                raise CorrectionError(f"there is no active correction {correction_id}")
            undone = Correction(**{**asdict(found), "undone_at": _now(), "undone_by": who or "analyst"})
            self._write([undone if c.id == correction_id else c for c in rows])
        return undone

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "corrections.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, rows: list[Correction]) -> None:
        tmp = self.path.with_name(f"{FILE}.{os.getpid()}.tmp")
        pq.write_table(pa.Table.from_pylist([asdict(r) for r in rows], schema=SCHEMA), tmp)
        os.replace(tmp, self.path)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# Applying the log to a corpus connection


SPEAKER_TABLES = ("quotes", "speakers_corpus", "speaker_articles", "opinions")
ENTITY_TABLES = ("entities", "entity_index", "entity_articles", "quote_entities", "entity_pairs", "entity_lists")


def apply(con: duckdb.DuckDBPyConnection, corrections: Sequence[Correction]) -> None:
    """Lay the active corrections over the corpus tables of `con` (see `analysis.corpus`).

    Only what a correction touches is recomputed, once, into small tables of the connection; each
    corrected table becomes a view of its untouched rows plus those. A page's query then costs
    what it cost before, whatever the corpus size.
    """
    active = [c for c in corrections if c.active]
    names = [c for c in active if c.kind in ("merge_speaker", "rename_speaker", "split_speaker")]
    settings = [c for c in active if c.kind in ("set_role", "set_side")]
    if names or settings:
        _apply_speakers(con, names, settings)
    entities = [c for c in active if c.kind.endswith("_entity")]
    if entities:
        _apply_entities(con, entities)


def assign(name: str, form: str | None, corrections: Sequence[Correction]) -> str:
    """Where a name the derivation gave (a speaker key, an entity) ends up for one form the
    articles used (a speaker as an article names them, an entity's spelling), the corrections
    taken in the order they were made: a merge or rename moves the whole name; a split moves
    that one form out to a name of its own."""
    for c in corrections:
        if c.kind.startswith(("merge", "rename")) and name == c.target:
            name = c.value
        elif c.kind.startswith("split") and name == c.target and form == c.value:
            name = c.value
    return name


def _touched(corrections: Sequence[Correction]) -> set[str]:
    return {c.target for c in corrections} | {c.value for c in corrections}


def _base(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """The uncorrected relation behind `table`, moved aside once as `_base_<table>`: a view over
    the attached corpus file keeps its body, a table of the connection is renamed."""
    base = f"_base_{table}"
    kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables "
                             "WHERE table_schema = 'main' AND table_catalog = current_database()").fetchall())
    if base in kinds:
        return base
    if table not in kinds:
        return None
    if kinds[table] == "VIEW":
        (sql,) = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = ? AND database_name = "
                             "current_database()", [table]).fetchone() or ("",)
        body = sql.split(" AS ", 1)[1].rstrip().rstrip(";") if " AS " in sql else f"SELECT * FROM {table}"
        con.execute(f"CREATE VIEW {base} AS {body}")
        con.execute(f"DROP VIEW {table}")
    else:
        con.execute(f"ALTER TABLE {table} RENAME TO {base}")
    return base


def _register(con: duckdb.DuckDBPyConnection, name: str, rows: list[tuple], columns: list[str]) -> None:
    con.register(f"_{name}_rows", pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)},
                                           schema=pa.schema([(c, pa.string()) for c in columns])))
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _{name}_rows")
    con.unregister(f"_{name}_rows")


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> set[str]:
    return {d[0] for d in con.execute(f"SELECT * FROM {relation} LIMIT 0").description}


# -- speakers ----------------------------------------------------------------------------------

def _apply_speakers(con: duckdb.DuckDBPyConnection, names: Sequence[Correction],
                    settings: Sequence[Correction]) -> None:
    _register(con, "_touched_speakers", [(k,) for k in _touched(names)], ["speaker_key"])
    quotes = _base(con, "quotes")
    forms = con.execute(f"SELECT DISTINCT speaker_key, speaker FROM {quotes} "
                        "WHERE speaker_key IN (SELECT speaker_key FROM _touched_speakers)").fetchall()
    assigned = [(k, f, assign(k, f, names)) for k, f in forms]
    _register(con, "_speaker_assign", assigned, ["speaker_key", "speaker", "new_key"])
    con.execute(f"""
        CREATE OR REPLACE TABLE _corrected_quotes AS
        SELECT q.* REPLACE (a.new_key AS speaker_key)
        FROM {quotes} q JOIN _speaker_assign a
             ON a.speaker_key = q.speaker_key AND a.speaker IS NOT DISTINCT FROM q.speaker""")
    con.execute(f"""CREATE VIEW quotes AS
        SELECT * FROM {quotes}
        WHERE speaker_key IS NULL OR speaker_key NOT IN (SELECT speaker_key FROM _touched_speakers)
        UNION ALL SELECT * FROM _corrected_quotes""")
    _speaker_rows(con, {(k, new) for k, _, new in assigned}, settings)
    articles = _base(con, "speaker_articles")
    con.execute(f"""CREATE VIEW speaker_articles AS
        SELECT * FROM {articles} WHERE speaker_key NOT IN (SELECT speaker_key FROM _touched_speakers)
        UNION ALL SELECT speaker_key, article_no, count(*)::INTEGER AS n FROM _corrected_quotes
                  WHERE speaker_key IS NOT NULL GROUP BY ALL""")
    opinions = _base(con, "opinions")
    if opinions is not None and {"quote_no", "speaker_key"} <= _columns(con, opinions):
        con.execute(f"""CREATE VIEW opinions AS
            SELECT o.* REPLACE (coalesce(c.speaker_key, o.speaker_key) AS speaker_key)
            FROM {opinions} o LEFT JOIN _corrected_quotes c ON c.quote_no = o.quote_no""")


def _speaker_rows(con: duckdb.DuckDBPyConnection, moves: set[tuple[str, str]],
                  settings: Sequence[Correction]) -> None:
    """One `speakers_corpus` row per speaker after the corrections: a merge keeps the row of the
    speaker merged into, a rename carries its row over, a split-off name gets a row of its own
    (its role guessed from its own descriptions); a set role or side wins, with its evidence."""
    base = _base(con, "speakers_corpus")
    old = con.execute(f"SELECT * FROM {base} WHERE speaker_key IN (SELECT speaker_key FROM _touched_speakers)").df()
    stats = con.execute("""
        SELECT speaker_key, mode(speaker_label) AS label,
               list(DISTINCT speaker_description) FILTER (WHERE speaker_description IS NOT NULL) AS descriptions,
               count(*) AS quote_count, count(DISTINCT article_id) AS article_count
        FROM _corrected_quotes WHERE speaker_key IS NOT NULL GROUP BY 1""").df()
    rows = [_speaker_row(old, moves, stat) for stat in stats.to_dict("records")]
    fresh = pd.DataFrame(rows, columns=list(old.columns)) if rows else old.iloc[0:0]
    con.register("_fresh_speakers", fresh)
    con.execute("CREATE OR REPLACE TABLE _corrected_speakers AS SELECT * FROM _fresh_speakers")
    con.unregister("_fresh_speakers")
    last: dict[str, dict[str, str]] = {}
    for c in settings:
        last.setdefault(c.target, {})[c.kind] = c.value
        if c.kind == "set_role":
            last[c.target]["evidence"] = f"set by {c.who} on {c.at[:10]}"
    _register(con, "_speaker_settings", [(k, v.get("set_role"), v.get("set_side"), v.get("evidence"))
                                         for k, v in last.items()], ["speaker_key", "role", "side", "evidence"])
    cols = set(old.columns)
    role = "coalesce(s.role, m.role)" if "role" in cols else "s.role"
    side = "coalesce(s.side, m.side)" if "side" in cols else "s.side"
    evidence = "coalesce(s.evidence, m.role_evidence)" if "role_evidence" in cols else "s.evidence"
    con.execute(f"""CREATE VIEW speakers_corpus AS
        WITH merged AS (
            SELECT * FROM {base} WHERE speaker_key NOT IN (SELECT speaker_key FROM _touched_speakers)
            UNION ALL BY NAME SELECT * FROM _corrected_speakers)
        SELECT m.* REPLACE ({role} AS role, {side} AS side, {evidence} AS role_evidence)
        FROM merged m LEFT JOIN _speaker_settings s USING (speaker_key)""")


def _speaker_row(old: pd.DataFrame, moves: set[tuple[str, str]], stat: dict) -> dict:
    key = stat["speaker_key"]
    own = old[old["speaker_key"] == key]
    sources = old[old["speaker_key"].isin({k for k, new in moves if new == key})]
    if len(own):
        row = own.iloc[0].to_dict()
    elif len(sources):
        row = sources.sort_values("quote_count", ascending=False).iloc[0].to_dict()
    else:  # a name split out of a merged speaker: its own role, from its own descriptions
        row = _guessed_row(key, stat)
    row.update(speaker_key=key, quote_count=int(stat["quote_count"]), article_count=int(stat["article_count"]))
    return {c: row.get(c) for c in old.columns}


def _guessed_row(key: str, stat: dict) -> dict:
    from analysis.roles import assign_roles

    descriptions = list(stat["descriptions"]) if stat["descriptions"] is not None else []
    frame = pd.DataFrame([{"speaker_key": key, "label": stat["label"], "descriptions": descriptions, "mentions": [],
                           "quote_count": stat["quote_count"], "article_count": stat["article_count"],
                           "entity": None}])
    row = assign_roles(frame, None).iloc[0].to_dict()
    row["description"] = max(descriptions, key=len) if descriptions else None
    return row


# -- entities ----------------------------------------------------------------------------------

# An entity's spelling as the views list it (`entity_index.forms`): typographic apostrophes as '.
SPELLING = "replace(e.text, chr(8217), chr(39))"


def _apply_entities(con: duckdb.DuckDBPyConnection, corrections: Sequence[Correction]) -> None:
    """Merges, renames and splits of entities: the mentions they touch get their new entity, and
    the summary tables (`analysis.indexes`) are recounted for those entities only."""
    _register(con, "_touched_entities", [(e,) for e in _touched(corrections)], ["entity"])
    mentions = _base(con, "entities")
    forms = con.execute(f"SELECT DISTINCT e.entity, e.canonical, {SPELLING} FROM {mentions} e "
                        "WHERE e.entity IN (SELECT entity FROM _touched_entities)").fetchall()
    # A split names a form: the mention's canonical name or its spelling, whichever the analyst picked.
    assigned = [(e, c, t, _assign_entity(e, c, t, corrections)) for e, c, t in forms]
    _register(con, "_entity_assign", assigned, ["entity", "canonical", "form", "new_entity"])
    con.execute(f"""
        CREATE OR REPLACE TABLE _corrected_mentions AS
        SELECT e.* REPLACE (a.new_entity AS entity)
        FROM {mentions} e JOIN _entity_assign a
             ON a.entity = e.entity AND a.canonical IS NOT DISTINCT FROM e.canonical AND a.form = {SPELLING}""")
    con.execute(f"""CREATE VIEW entities AS
        SELECT * FROM {mentions} WHERE entity IS NULL OR entity NOT IN (SELECT entity FROM _touched_entities)
        UNION ALL SELECT * FROM _corrected_mentions""")
    _entity_index(con)
    _entity_summaries(con)


def _assign_entity(entity: str, canonical: str | None, form: str, corrections: Sequence[Correction]) -> str:
    by_canonical = assign(entity, canonical, corrections)
    return by_canonical if by_canonical != entity else assign(entity, form, corrections)


def _entity_index(con: duckdb.DuckDBPyConnection) -> None:
    from analysis.indexes import FORMS, NUMERIC_LABELS

    index = _base(con, "entity_index")
    con.execute(f"""
        CREATE OR REPLACE TABLE _entity_numbers AS
        WITH names AS (SELECT DISTINCT entity FROM _corrected_mentions UNION SELECT entity FROM _touched_entities),
             known AS (SELECT n.entity, i.entity_no FROM names n LEFT JOIN {index} i USING (entity))
        SELECT entity, coalesce(entity_no, (SELECT max(entity_no) FROM {index})
                                + row_number() OVER (PARTITION BY entity_no IS NULL ORDER BY entity))::INTEGER AS entity_no
        FROM known""")
    group = 'e."group"' if "group" in _columns(con, "_corrected_mentions") else "e.entity"
    numeric = ", ".join(f"'{x}'" for x in NUMERIC_LABELS)
    con.execute(f"""
        CREATE OR REPLACE TABLE _corrected_index AS
        WITH per AS (SELECT e.entity, mode(e.entity_label) AS entity_label, mode({group}) AS "group",
                            count(*) AS mentions, count(DISTINCT e.article_id) AS articles
                     FROM _corrected_mentions e GROUP BY 1),
             forms AS (SELECT entity, list(text ORDER BY n DESC, text)[1:{FORMS}] AS forms
                       FROM (SELECT e.entity, {SPELLING} AS text, count(*) AS n
                             FROM _corrected_mentions e GROUP BY ALL) GROUP BY entity)
        SELECT n.entity_no, p.entity, p.entity_label, coalesce(p."group", p.entity) AS "group",
               p.entity_label IN ({numeric}) AS numeric, p.mentions, p.articles, f.forms
        FROM per p JOIN _entity_numbers n USING (entity) LEFT JOIN forms f USING (entity)""")
    con.execute(f"""CREATE VIEW entity_index AS
        SELECT * FROM {index} WHERE entity NOT IN (SELECT entity FROM _entity_numbers)
        UNION ALL BY NAME SELECT * FROM _corrected_index""")


def _entity_summaries(con: duckdb.DuckDBPyConnection) -> None:
    from analysis.indexes import entity_lists_sql

    touched = "(SELECT entity_no FROM _entity_numbers)"
    con.execute("""
        CREATE OR REPLACE TABLE _corrected_mention_keys AS
        SELECT n.entity_no, a.article_no, e.article_id, e.sentence, e.start, e."end", i.numeric
        FROM _corrected_mentions e JOIN _entity_numbers n USING (entity) JOIN _corrected_index i USING (entity_no)
             JOIN articles a ON a.article_id = e.article_id""")
    ea = _base(con, "entity_articles")
    con.execute(f"""CREATE VIEW entity_articles AS
        SELECT * FROM {ea} WHERE entity_no NOT IN {touched}
        UNION ALL SELECT entity_no, article_no, count(*)::INTEGER AS mentions FROM _corrected_mention_keys
        GROUP BY 1, 2""")
    lists = _base(con, "entity_lists")
    if lists is not None:  # the articles naming a touched entity: their lists again, from the corrected counts
        touched_articles = f"SELECT article_no FROM {ea} WHERE entity_no IN {touched} " \
                           "UNION SELECT article_no FROM _corrected_mention_keys"
        con.execute(f"CREATE OR REPLACE TABLE _corrected_lists AS {entity_lists_sql(only=touched_articles)}")
        con.execute(f"""CREATE VIEW entity_lists AS
            SELECT * FROM {lists} WHERE article_no NOT IN (SELECT article_no FROM _corrected_lists)
            UNION ALL SELECT * FROM _corrected_lists""")
    qe = _base(con, "quote_entities")
    con.execute("""
        CREATE OR REPLACE TABLE _corrected_quote_entities AS
        SELECT DISTINCT q.quote_no, k.entity_no
        FROM quotes q JOIN _corrected_mention_keys k ON k.article_id = q.article_id
             AND ((k.start >= q.start AND k."end" <= q."end") OR (q.sentence IS NOT NULL AND k.sentence = q.sentence))""")
    con.execute(f"""CREATE VIEW quote_entities AS
        SELECT * FROM {qe} WHERE entity_no NOT IN {touched} UNION ALL SELECT * FROM _corrected_quote_entities""")
    pairs = _base(con, "entity_pairs")
    con.execute(f"""
        CREATE OR REPLACE TABLE _corrected_pairs AS
        WITH mine AS (SELECT DISTINCT entity_no, article_no, sentence FROM _corrected_mention_keys
                      WHERE NOT numeric AND sentence IS NOT NULL),
             others AS (SELECT DISTINCT i.entity_no, a.article_no, e.sentence
                        FROM entities e JOIN entity_index i USING (entity) JOIN articles a ON a.article_id = e.article_id
                        WHERE NOT i.numeric AND e.sentence IS NOT NULL AND i.entity_no NOT IN {touched}
                              AND a.article_no IN (SELECT article_no FROM mine)),
             every AS (SELECT * FROM mine UNION SELECT * FROM others)
        SELECT least(m.entity_no, o.entity_no) AS source_no, greatest(m.entity_no, o.entity_no) AS target_no,
               m.article_no, count(*)::INTEGER AS sentences
        FROM mine m JOIN every o ON o.article_no = m.article_no AND o.sentence = m.sentence
                                 AND o.entity_no <> m.entity_no
                                 AND (o.entity_no NOT IN {touched} OR m.entity_no < o.entity_no)
        GROUP BY ALL""")
    con.execute(f"""CREATE VIEW entity_pairs AS
        SELECT * FROM {pairs} WHERE source_no NOT IN {touched} AND target_no NOT IN {touched}
        UNION ALL SELECT * FROM _corrected_pairs""")
