"""The processed corpus: Parquet parts on disk, read through DuckDB.

Layout of a store folder (default `data/`):

    parts/<seq>-<id>/articles.parquet   one committed ingest batch: the articles with their
                     entities.parquet   text, metadata and the model/extractor versions they
                     quotes.parquet     were processed with, and what was extracted from them
                     speakers.parquet
    staging/                            batches being written (never read)
    ingest.lock                         held by the one process that writes
    ingest.status                       what that process is doing (read for readers' notices)
    derived/                            the corpus-level tables (`analysis.corpus`)

Why parts and not one DuckDB file: a DuckDB file admits one writing process and no readers from
other processes while it writes, but the dashboard must keep reading while the CLI ingests. A
batch is written into `staging/` and then renamed into `parts/` in one atomic step, so a reader
sees a batch entirely or not at all, a killed ingest leaves every committed batch intact, and a
rerun only processes what is missing. When the model or an extractor changes, articles are
reprocessed from the text kept in the store and the superseded parts are removed afterwards;
until then a reader keeps the newest copy of each article.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import json
import os
import shutil
import time
import typing
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.records import Article, Claim, EntityMention, Problem, Quote, Speaker

DEFAULT_STORE = Path(os.environ.get("ANALYSIS_STORE", "data"))
# Record type per table; `ProcessedArticle` has a list of each under the table's name.
STATUS_FILE = "ingest.status"  # what the process holding ingest.lock is doing (JSON)
TABLES: dict[str, type] = {"entities": EntityMention, "quotes": Quote, "speakers": Speaker, "claims": Claim}


@dataclass
class ProcessedArticle:
    """An article with everything extracted from it: the unit the store writes."""

    article: Article
    entities: list[EntityMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # reported by ingest, not stored


class StoreBusy(RuntimeError):
    pass


@dataclass(frozen=True)
class StoredArticle:
    """What the store knows of an article's newest copy: enough to decide whether to redo it."""

    model: str
    extractor_version: str
    fingerprint: str
    source: str
    deleted: bool = False


# ---------------------------------------------------------------------------------------------
# Schemas derived from the record dataclasses, so a new field is a new column.

_ARROW = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def _arrow_type(tp) -> pa.DataType:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    origin = typing.get_origin(tp)
    if origin in (list, tuple):
        return pa.list_(_arrow_type(args[0]) if args else pa.string())
    if args and origin is not None:  # Optional[X] / X | None
        return _arrow_type(args[0])
    return _ARROW.get(tp, pa.string())


def schema_for(cls: type, extra: dict[str, pa.DataType] | None = None) -> pa.Schema:
    hints = typing.get_type_hints(cls)
    fields = [pa.field(f.name, _arrow_type(hints[f.name])) for f in dataclasses.fields(cls)]
    fields += [pa.field(k, v) for k, v in (extra or {}).items()]
    return pa.schema(fields)


ARTICLE_EXTRA = {"word_count": pa.int64(), "model": pa.string(), "extractor_version": pa.string(),
                 "fingerprint": pa.string(), "processed_at": pa.string(), "deleted": pa.bool_()}
SCHEMAS = {"articles": schema_for(Article, ARTICLE_EXTRA), **{k: schema_for(v) for k, v in TABLES.items()}}


def _table(name: str, rows: list[dict]) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()


# ---------------------------------------------------------------------------------------------

class Store:
    """A corpus store folder. Writing is for one process at a time; reading is always safe."""

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root is not None else DEFAULT_STORE
        self.parts_dir = self.root / "parts"
        self.staging_dir = self.root / "staging"

    # -- reading ------------------------------------------------------------------------------
    def part_dirs(self) -> list[Path]:
        if not self.parts_dir.is_dir():
            return []
        return sorted(p for p in self.parts_dir.iterdir() if p.is_dir() and (p / "articles.parquet").is_file())

    def signature(self) -> tuple[str, ...]:
        """Changes whenever a batch is committed or removed: the key for a reader's cache."""
        return tuple(p.name for p in self.part_dirs())

    def is_empty(self) -> bool:
        return not self.part_dirs()

    def article_versions(self) -> dict[str, StoredArticle]:
        """article_id → its newest stored copy (a removed article is there, marked `deleted`)."""
        parts = self.part_dirs()
        if not parts:
            return {}
        files = [str(p / "articles.parquet") for p in parts]
        rows = self._read(
            f"SELECT article_id, model, extractor_version, fingerprint, source, {_deleted(files)} "
            "FROM read_parquet(?, filename=true, union_by_name=true) "
            "QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY filename DESC) = 1", [files])
        return {r[0]: StoredArticle(*r[1:]) for r in rows}

    def _read(self, sql: str, params: list) -> list[tuple]:
        return duckdb.connect().execute(sql, params).fetchall()

    def stored_articles(self, ids: Iterable[str]) -> Iterator[Article]:
        """Articles as stored (with their text), for reprocessing without the original files."""
        ids = list(ids)
        parts = self.part_dirs()
        if not ids or not parts:
            return
        con = duckdb.connect()
        con.register("wanted", pa.table({"article_id": pa.array(ids, pa.string())}))
        files = [str(p / "articles.parquet") for p in parts]
        names = [f.name for f in dataclasses.fields(Article)]
        cur = con.execute(
            f"SELECT {', '.join(names)} FROM read_parquet(?, filename=true, union_by_name=true) "
            "WHERE article_id IN (SELECT article_id FROM wanted) "
            "QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY filename DESC) = 1 "
            f"AND NOT {_deleted(files)} ORDER BY source", [files])
        while batch := cur.fetchmany(256):
            for row in batch:
                yield Article(**dict(zip(names, row, strict=True)))

    def connect(self, *, with_text: bool = False, into: duckdb.DuckDBPyConnection | None = None,
                temporary: tuple[str, ...] = ()) -> duckdb.DuckDBPyConnection:
        """See `_connect`; retried when an ingest removed a part between listing and reading it.

        `into`: the tables are created in that connection instead of a new in-memory one (a
        full derivation's file, whose tables DuckDB keeps on disk beyond its memory limit);
        those named in `temporary` as temporary tables (not written to its file)."""
        if into is None:
            return _retrying(lambda: self._connect(duckdb.connect(), with_text=with_text))
        return _retrying(lambda: self._connect(_cleared(into), with_text=with_text, temporary=temporary))

    def _connect(self, con: duckdb.DuckDBPyConnection, *, with_text: bool = False,
                 temporary: tuple[str, ...] = ()) -> duckdb.DuckDBPyConnection:
        """A DuckDB snapshot of the store: one table per record type.

        Each article appears once (its newest copy), and its entities, quotes and speakers come
        from that same copy. Tables are materialised in `con` (in memory, or a derivation's file),
        not views over the Parquet parts; the article text stays on disk unless `with_text` (see
        `article_text`).
        """
        parts = self.part_dirs()
        if not parts:
            for name, schema in SCHEMAS.items():
                con.register(f"_{name}_empty", schema.empty_table())
                cols = "*" if with_text or name != "articles" else "* EXCLUDE (text)"
                con.execute(f"CREATE TABLE {name} AS SELECT {cols}, '' AS part FROM _{name}_empty")
                con.unregister(f"_{name}_empty")
            return con
        files = lambda t: [str(p / f"{t}.parquet") for p in parts]  # noqa: E731
        part_of = "regexp_extract(filename, '([^/\\\\]+)[/\\\\][a-z]+\\.parquet$', 1)"
        drop = "filename" if with_text else "text, filename"
        con.execute(
            f"CREATE TABLE articles AS SELECT * EXCLUDE ({drop}) FROM (SELECT *, {part_of} AS part "
            "FROM read_parquet(?, filename=true, union_by_name=true)) "
            "QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY part DESC) = 1 "
            f"AND NOT {_deleted(files('articles'))}",
            [files("articles")])
        for name in TABLES:
            have = [f for f in files(name) if os.path.isfile(f)]
            kind = "TEMP TABLE" if name in temporary else "TABLE"
            if not have:  # parts written before this record type existed: an empty table
                con.register("_empty", SCHEMAS[name].empty_table())
                con.execute(f"CREATE {kind} {name} AS SELECT *, '' AS part FROM _empty")
                con.unregister("_empty")
                continue
            con.execute(
                f"CREATE {kind} {name} AS SELECT t.* EXCLUDE (filename), {part_of.replace('filename', 't.filename')} AS part "
                f"FROM read_parquet(?, filename=true, union_by_name=true) t "
                f"SEMI JOIN articles a ON t.article_id = a.article_id "
                f"AND {part_of.replace('filename', 't.filename')} = a.part",
                [have])
        _add_missing_columns(con, with_text)
        return con

    def article_text(self, article_id: str) -> str | None:
        return _retrying(lambda: self._article_text(article_id))  # a part removed meanwhile: list again

    def _article_text(self, article_id: str) -> str | None:
        parts = self.part_dirs()
        if not parts:
            return None
        files = [str(p / "articles.parquet") for p in parts]
        rows = self._read(
            f"SELECT text, {_deleted(files)} FROM read_parquet(?, filename=true, union_by_name=true) "
            "WHERE article_id = ? ORDER BY filename DESC LIMIT 1", [files, article_id])
        return rows[0][0] if rows and not rows[0][1] else None

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def writer(self) -> Iterator["Store"]:
        """Hold the store's write lock: two ingests at once would duplicate work, not corrupt."""
        self.root.mkdir(parents=True, exist_ok=True)
        lock = open(self.root / "ingest.lock", "w")
        for attempt in range(5):  # a reader's probe (`writing`) holds the lock for microseconds
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if attempt == 4:
                    lock.close()
                    raise StoreBusy(f"another ingest is writing to {self.root}; wait for it to finish") from None
                time.sleep(0.05)
        try:
            # Batches left half-written by a killed ingest are never read; clear them.
            shutil.rmtree(self.staging_dir, ignore_errors=True)
            shutil.rmtree(self.root / "trash", ignore_errors=True)
            yield self
        finally:
            (self.root / STATUS_FILE).unlink(missing_ok=True)
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()

    def writing(self) -> bool:
        """Whether a process holds the write lock now (an ingest or a derivation is running)."""
        try:
            fd = os.open(self.root / "ingest.lock", os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        finally:
            os.close(fd)  # closing the descriptor releases a lock taken here
        return False

    def set_status(self, **status) -> None:
        """What the writer is doing (`articles` being processed), for readers' notices; removed
        when the write lock is released. Only believed while the lock is held."""
        path = self.root / STATUS_FILE
        tmp = path.with_name(f"{STATUS_FILE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(status), encoding="utf-8")
        os.replace(tmp, path)

    def status(self) -> dict:
        """The running writer's status (see `set_status`); empty when no writer runs."""
        if not self.writing():
            return {}
        try:
            value = json.loads((self.root / STATUS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def write_part(self, processed: list[ProcessedArticle], *, model: str, extractor_version: str,
                   removed: Iterable[str] = ()) -> Path:
        """Commit one batch atomically: written to staging, fsynced, then renamed into parts/.

        `removed` article ids get a tombstone (an empty copy marked `deleted`): the newest copy of
        an article decides, so this removes it from every reader's snapshot in the same step.
        """
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        rows: dict[str, list[dict]] = {"articles": [], **{k: [] for k in TABLES}}
        for aid in removed:
            rows["articles"].append({"article_id": aid, "source": "", "text": "", "deleted": True,
                                     "model": model, "extractor_version": extractor_version,
                                     "processed_at": now, "word_count": 0})
        for p in processed:
            rec = dataclasses.asdict(p.article)
            rec.update(word_count=p.article.word_count, model=model, extractor_version=extractor_version,
                       fingerprint=fingerprint(p.article), processed_at=now, deleted=False)
            rows["articles"].append(rec)
            for table in TABLES:
                rows[table].extend(dataclasses.asdict(r) for r in getattr(p, table))
        self.staging_dir.mkdir(parents=True, exist_ok=True)
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        seq = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        name = f"{seq}-{uuid.uuid4().hex[:8]}"
        tmp = self.staging_dir / name
        tmp.mkdir()
        for table, recs in rows.items():
            path = tmp / f"{table}.parquet"
            pq.write_table(_table(table, recs), path, compression="zstd")
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
        _fsync_dir(tmp)
        final = self.parts_dir / name
        os.rename(tmp, final)
        _fsync_dir(self.parts_dir)
        return final

    def remove_superseded(self) -> int:
        """Drop parts none of whose articles are needed any more (all have a newer current copy)."""
        parts = self.part_dirs()
        if len(parts) < 2:
            return 0
        con = duckdb.connect()
        rows = con.execute(
            "WITH a AS (SELECT article_id, model, extractor_version, "
            "regexp_extract(filename, '([^/\\\\]+)[/\\\\]articles\\.parquet$', 1) AS part "
            "FROM read_parquet(?, filename=true, union_by_name=true)), "
            "newest AS (SELECT article_id, max(part) AS part FROM a GROUP BY article_id) "
            "SELECT a.part, bool_and(a.part <> n.part) FROM a JOIN newest n USING (article_id) GROUP BY a.part",
            [[str(p / "articles.parquet") for p in parts]]).fetchall()
        # Each part leaves parts/ in one rename, so a reader never sees half of one; a reader that
        # listed it just before retries (see `connect`).
        trash = self.root / "trash"
        trash.mkdir(exist_ok=True)
        removed = 0
        for part, superseded in rows:
            if superseded:
                os.rename(self.parts_dir / part, trash / part)
                removed += 1
        shutil.rmtree(trash, ignore_errors=True)
        return removed


def _cleared(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """`con` without the snapshot tables of an attempt that failed halfway (see `_retrying`)."""
    for name in SCHEMAS:
        con.execute(f"DROP TABLE IF EXISTS temp.{name}")
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return con


def _retrying(read, attempts: int = 4):
    """`read()`, again (a few times) if an ingest removed a part between listing and reading it."""
    for attempt in range(attempts):
        try:
            return read()
        except (duckdb.IOException, duckdb.InvalidInputException, FileNotFoundError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def create_table(con: duckdb.DuckDBPyConnection, name: str, data, *, temporary: bool = False, order: str = "") -> None:
    """Create or replace the table `name` from a pandas frame or Arrow table (sorted by `order`
    when given): what Python computed, handed to the SQL steps that follow."""
    con.register("_create_table_data", data)
    try:
        con.execute(f"CREATE OR REPLACE {'TEMP ' if temporary else ''}TABLE {name} AS SELECT * FROM _create_table_data"
                    + (f" ORDER BY {order}" if order else ""))
    finally:
        con.unregister("_create_table_data")


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """The column names of `table` (a table or a view); empty if there is none."""
    rows = con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()
    return {r[0] for r in rows}


_DUCK = {pa.string(): "VARCHAR", pa.int64(): "BIGINT", pa.float64(): "DOUBLE", pa.bool_(): "BOOLEAN"}


def _add_missing_columns(con: duckdb.DuckDBPyConnection, with_text: bool) -> None:
    """Parts written before a record gained a field lack its column; until the next ingest
    reprocesses them, readers still see today's schema (the column empty), not a query error."""
    for name, schema in SCHEMAS.items():
        have = table_columns(con, name)
        for fld in schema:
            if fld.name not in have and not (name == "articles" and fld.name == "text" and not with_text):
                con.execute(f'ALTER TABLE {name} ADD COLUMN "{fld.name}" {_DUCK.get(fld.type, "VARCHAR")}')


def _deleted(files: list[str]) -> str:
    """SQL for "this copy is a tombstone"; stores written before tombstones have no such column."""
    # Parts are named in commit order and every part written since tombstones exist has the
    # column, so the newest part tells for all.
    has = bool(files) and "deleted" in pq.read_schema(max(files)).names
    return "coalesce(deleted, false)" if has else "false"


def fingerprint(article: Article) -> str:
    """Changes when an article's metadata changes (a new metadata table), so it is rewritten."""
    import hashlib

    meta = "\x1f".join(str(getattr(article, k) or "") for k in ("title", "author", "date", "outlet", "url"))
    return hashlib.sha1(meta.encode("utf-8")).hexdigest()[:12]


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
