"""The corpus as the dashboard and the reports open it: the store snapshot plus the corpus-level
tables of `analysis.derive`, kept in a DuckDB file in the store folder.

Deriving the corpus tables costs seconds to minutes on a large store (opinion grouping, entity
resolution over millions of mentions), so the ingest does it before it exits, never the first
visitor after it (`update_corpus`, called by `pipeline.ingest` while it holds the store's write
lock). Each derivation is written to a new file, `derived/corpus-<stamp>.duckdb`, and then named
in `derived/CURRENT.json` (replaced in one rename) with what it was derived from: the analyst's
files and the derivation versions (`inputs_key`) and the store parts it covers. A reader attaches
the file the pointer names, read-only, and keeps it until it reloads; an older file removed
meanwhile stays readable to the processes that have it open.

After an ingest that only added articles, the new file is the previous one with the new parts
added (`analysis.incremental`); when parts were removed or reprocessed, or a version or an
analyst file changed, the whole corpus is derived again (`python -m analysis rebuild` does the
same on demand). A reader that finds no file derived with the current analyst files and versions
(a store from before this layout, an edited `speakers.csv`) derives once, under the write lock,
and saves the result for every later open.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from analysis import corrections, incremental, indexes, opinions
from analysis import derive as derive_mod
from analysis.analyst_files import AnalystFiles
from analysis.corrections import CorrectionLog
from analysis.store import Store, StoreBusy, table_columns

log_ = logging.getLogger(__name__)

VERSION = 3  # this module's own steps (cache layout, schema completion)
CORPUS_TABLES = ("articles", "entities", "quotes", "speakers", "speakers_corpus", "opinions", *opinions.STATE_TABLES,
                 *indexes.INDEX_TABLES)
POINTER = "CURRENT.json"
# DuckDB's own memory for a derivation: the set-based steps spill to disk beyond it.
MEMORY_LIMIT = os.environ.get("ANALYSIS_MEMORY_LIMIT", "1GB")
# A full derivation's memory, DuckDB's and the Python steps' together (`derive.derive`), in MB.
FULL_MEMORY_MB = int(os.environ.get("ANALYSIS_FULL_MEMORY_MB", "1280"))


def inputs_key(files: AnalystFiles) -> str:
    """Names what the corpus tables are derived with, the articles aside: the analyst's files and
    the derivation versions. A derived file of another inputs key is not served as current."""
    return hashlib.sha1(repr((files.signature(), VERSION, incremental.VERSION, derive_mod.versions())).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Derived:
    """One complete derivation in the store folder, as `derived/CURRENT.json` names it."""

    path: Path
    inputs: str
    parts: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.path.stem.removeprefix("corpus-")


def current(store: Store) -> Derived | None:
    """The derivation readers attach now, if there is one."""
    pointer = store.root / "derived" / POINTER
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
        found = Derived(store.root / "derived" / str(data["file"]), str(data["inputs"]), tuple(data["parts"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if found.path.is_file() else None


def corpus_key(store: Store, files: AnalystFiles | None = None) -> str:
    """Names the corpus state a reader opens: the current derived file when it was derived with
    these analyst files and versions, else the state that `open_corpus` will derive."""
    files = files if files is not None else AnalystFiles.find(store.root)
    inputs = inputs_key(files)
    found = current(store)
    if found is not None and found.inputs == inputs:
        return found.key
    return hashlib.sha1(repr((store.signature(), inputs)).encode()).hexdigest()[:16]


def cache_path(store: Store, files: AnalystFiles | None = None) -> Path:
    """The derived file a reader attaches (it exists once a derivation for these files ran)."""
    files = files if files is not None else AnalystFiles.find(store.root)
    found = current(store)
    if found is not None and found.inputs == inputs_key(files):
        return found.path
    return store.root / "derived" / f"corpus-{corpus_key(store, files)}.duckdb"


def derived_connection(store: Store, files: AnalystFiles) -> duckdb.DuckDBPyConnection:
    """An in-memory snapshot of the store with every corpus-level table derived, uncached."""
    con = duckdb.connect()
    _derive_in(con, store, files, Path(tempfile.gettempdir()) / f"analysis-{uuid.uuid4().hex[:8]}")
    return con


def _derive_in(con: duckdb.DuckDBPyConnection, store: Store, files: AnalystFiles, spill: Path,
               temporary: tuple[str, ...] = ()) -> None:
    """Load the store's snapshot into `con` (the tables in `temporary` as temporary ones) and
    derive the corpus tables there, within `FULL_MEMORY_MB`, DuckDB spilling to `spill`."""
    con.execute(f"SET memory_limit = '{FULL_MEMORY_MB}MB'")
    con.execute(f"SET temp_directory = '{_sql_path(spill)}'")
    store.connect(into=con, temporary=temporary)
    derive_mod.derive(con, files, FULL_MEMORY_MB)
    con.execute(f"SET memory_limit = '{FULL_MEMORY_MB}MB'")  # the steps lower it for their Python work


def derive_file(store: Store, files: AnalystFiles, path: Path) -> int:
    """Derive every corpus-level table into a new DuckDB file at `path`, there from the start,
    within `FULL_MEMORY_MB` (`derive.derive`). Returns how many articles it holds.

    Measured at 100,000 articles: an in-memory database holds ~4 GB of tables that its memory
    limit makes it spill (and then read back) all through the derivation, and writing the
    result costs another minute; in the file, DuckDB keeps its tables compressed and evicts
    them without writing. The snapshot tables that a step replaces or that are not kept
    (`entities`, `quotes`, `claims`) are loaded as temporary tables, never compressed and
    written; their replacements are the file's."""
    path.unlink(missing_ok=True)
    path.with_name(f"{path.name}.wal").unlink(missing_ok=True)  # a crashed writer's log must not replay
    spill = path.with_name(f"{path.name}.spill")
    con = duckdb.connect(str(path))
    try:
        _derive_in(con, store, files, spill, temporary=("entities", "quotes", "claims"))
        keep = set(CORPUS_TABLES)
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                                    "AND NOT temporary").fetchall():
            if table not in keep:
                con.execute(f"DROP TABLE {table}")
        row = con.execute("SELECT count(*) FROM articles").fetchone()
        con.execute("CHECKPOINT")
        return int(row[0]) if row else 0
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


@dataclass
class UpdateReport:
    mode: str  # "unchanged", "incremental" or "full"
    new_articles: int = 0
    seconds: float = 0.0
    path: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step of an incremental update


def update_corpus(store: Store, files: AnalystFiles | None = None, *, full: bool = False) -> UpdateReport:
    """Bring the derived corpus tables up to date with the store; call it holding `store.writer()`.

    Only new parts since the current derivation, with the same inputs, and nothing removed or
    reprocessed: the previous file is copied and the new articles are added to it (`analysis.
    incremental`). Anything else, or `full`: everything is derived again."""
    started = time.perf_counter()
    files = files if files is not None else AnalystFiles.find(store.root)
    inputs = inputs_key(files)
    parts = store.signature()
    found = current(store)
    if not full and found is not None and found.inputs == inputs and found.parts == parts:
        return UpdateReport("unchanged", path=found.path)
    if store.is_empty():
        return UpdateReport("unchanged")
    out = store.root / "derived" / f"corpus-{dt.datetime.now(dt.timezone.utc).strftime('%Y%m%dT%H%M%S%f')}-" \
                                   f"{uuid.uuid4().hex[:6]}.duckdb"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.stem}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    new_parts = [p for p in parts if found is None or p not in found.parts]
    mode, added = "full", 0
    timings: dict[str, float] = {}
    try:
        if (not full and found is not None and found.inputs == inputs and set(found.parts) <= set(parts)
                and incremental.applies(store, found.path, new_parts)):
            copy_started = time.perf_counter()
            shutil.copyfile(found.path, tmp)
            timings["copy"] = time.perf_counter() - copy_started
            try:
                added = incremental.update(tmp, store, new_parts, files, memory_limit=MEMORY_LIMIT, timings=timings)
                mode = "incremental"
            except Exception:  # logged with its traceback: a failed shortcut costs time, never the corpus
                log_.exception("the incremental update failed; deriving the corpus tables in full")
                tmp.unlink(missing_ok=True)
        if mode != "incremental":
            added = derive_file(store, files, tmp)
        _fsync(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    _point_to(out, inputs, parts)
    return UpdateReport(mode, added, time.perf_counter() - started, out, timings)


def _point_to(path: Path, inputs: str, parts: tuple[str, ...]) -> None:
    """Name `path` as the current derivation (one rename) and drop the older files."""
    pointer = path.parent / POINTER
    tmp = pointer.with_name(f"{POINTER}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"file": path.name, "inputs": inputs, "parts": list(parts)}), encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, pointer)
    for old in [*path.parent.glob("corpus-*.duckdb"), *path.parent.glob("opinions-*.parquet")]:
        if old != path:
            old.unlink(missing_ok=True)  # a process that still has it attached keeps reading it


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def open_corpus(store: Store | None = None, files: AnalystFiles | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the snapshot and every corpus-level table: the current derived
    file when it was derived with these analyst files and versions (new parts not yet derived
    wait for the ingest that adds them), else derived now, saved, and attached."""
    store = store or Store()
    files = files if files is not None else AnalystFiles.find(store.root)
    inputs = inputs_key(files)
    damaged = False
    for attempt in range(3):  # the file named may be replaced between reading the pointer and attaching it
        found = current(store)
        if found is None or found.inputs != inputs:
            break
        try:
            return _attach(found.path)
        except duckdb.Error:
            damaged = attempt == 2  # the same file three times: damaged, derived again, never trusted
            time.sleep(0.05)
    if store.is_empty():
        return derived_connection(store, files)
    try:  # a reader may not be allowed to write the store folder; the saved file is only a speed-up
        with store.writer():
            update_corpus(store, files, full=damaged)
    except StoreBusy:
        stale = current(store)
        if stale is not None:  # an ingest or a rebuild is deriving now: the last complete corpus
            return _attach(stale.path)
        return derived_connection(store, files)
    except (OSError, duckdb.Error):
        return derived_connection(store, files)
    found = current(store)
    return _attach(found.path) if found is not None else derived_connection(store, files)


def pending_notice(store: Store) -> str | None:
    """What the dashboard says while the corpus it shows lacks articles of the store: being
    processed by a running ingest, or left by one that stopped before deriving."""
    status = store.status()
    found, waiting = _waiting_parts(store)
    if status:
        n = int(status.get("articles") or 0) or _articles_in(waiting)
        if not n:
            return None if not status.get("deriving") else "The corpus tables are being updated; reload in a minute."
        return f"{n:,} new article{'s are' if n != 1 else ' is'} being processed; reload in a minute."
    if found is not None and waiting:
        n = _articles_in(waiting)
        return (f"{n:,} article{'s' if n != 1 else ''} in the store {'are' if n != 1 else 'is'} not on the dashboard "
                f"yet: the ingest that added them stopped before updating the corpus tables. "
                f"`python -m analysis rebuild --store {store.root}` adds them.")
    return None


# Every page run asks; listing a large store's parts takes tens of milliseconds, so the answer is
# kept until the parts folder or the pointer changes (a commit renames a part in, a derivation
# replaces the pointer: both change a modification time).
_WAITING: dict[Path, tuple[tuple[int, int], tuple[Derived | None, list[Path]]]] = {}


def _waiting_parts(store: Store) -> tuple[Derived | None, list[Path]]:
    """The current derivation and the committed parts it does not cover."""
    try:
        stamp = (store.parts_dir.stat().st_mtime_ns, (store.root / "derived" / POINTER).stat().st_mtime_ns)
    except OSError:
        stamp = None
    kept = _WAITING.get(store.root)
    if stamp is not None and kept is not None and kept[0] == stamp:
        return kept[1]
    found = current(store)
    covered = set(found.parts) if found is not None else set()
    answer = (found, [p for p in store.part_dirs() if p.name not in covered])
    if stamp is not None:
        _WAITING[store.root] = (stamp, answer)
    return answer


def _articles_in(parts: list[Path]) -> int:
    n = 0
    for part in parts:
        try:
            n += pq.ParquetFile(part / "articles.parquet").metadata.num_rows
        except (OSError, ValueError):
            continue
    return n


def _attach(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"ATTACH '{_sql_path(path)}' AS corpus (READ_ONLY)")
    for table in CORPUS_TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM corpus.{table}")
    return con


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
        log_.exception("corpus-level analysis failed; using the plain store snapshot")
        notices.append(f"Corpus-level analysis (speaker names across articles, roles, opinion groups) "
                       f"is unavailable: {type(exc).__name__}: {exc}")
        con = store.connect()
    # Counts per entity number (13,000 numbers at 100,000 articles) are grouped in an array
    # indexed by the number (DuckDB's perfect hash aggregate) up to 2^16 keys instead of 2^12:
    # a quarter of the time of a hash table for the million summary rows of a speaker filter.
    # GLOBAL: every cursor of the connection (one per dashboard session) has it.
    con.execute("SET GLOBAL perfect_ht_threshold = 16")
    complete_schema(con)
    log = CorrectionLog(store.root)
    try:
        corrections.apply(con, log.active())
    except (duckdb.Error, ValueError) as exc:  # a log that no longer fits the corpus must not hide it
        log_.exception("analyst corrections not applied")
        notices.append(f"The analyst's corrections could not be applied: {type(exc).__name__}: {exc}")
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
