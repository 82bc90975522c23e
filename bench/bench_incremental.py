"""A daily ingest at scale: the corpus tables after +20 and +1,000 new articles, derived in full
(what the dashboard's first open did before issue 14) against the incremental update the
ingest now runs (`corpus.update_corpus`, `analysis.incremental`), side by side in one run.

The base stores are `bench_scale.py`'s (PolNeAR records copied to 10,000 or 100,000 articles,
parts of 64), derived once in full. The new articles are real PolNeAR articles made new: each
gets a distinct sentence appended to its text (so a new text hash, the article id) and a new
date (2031 onwards, after every base date), and keeps the records its text was extracted into
(the appended sentence names nobody and quotes nobody, and offsets before it are unchanged),
written as new parts of 64 as an ingest with the default `--commit-every` writes them. Parsing
is thus left out, as the issue asks (`bench_ingest.py` times it: about 3.5 articles/s/core).

For each size and number of new articles, on a copy of the base store, each in a fresh process
(so the peak is that of one process): the incremental update, the next dashboard open
(`corpus.open_connection`, which attaches the new file), then the full derivation of the same
store (`update_corpus(full=True)`, the same work as `python -m analysis rebuild`). Wall time of
`update_corpus` itself (what an ingest adds to its run; the process's total, with Python's
imports, in brackets), peak resident memory (ru_maxrss) of the process, and the seconds of each
incremental step in the JSON.

    python bench/bench_incremental.py [--sizes 10000,100000] [--added 20,1000] [--stores /tmp/bench-incremental]

Markdown to stdout, raw figures to bench/results/incremental-<timestamp>.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results"
NEW_DATE = dt.date(2031, 1, 1)


# ---------------------------------------------------------------------------------------------
# In a child process: one measured step

def child(step: str, store_dir: str) -> None:
    started = time.perf_counter()
    from analysis import corpus
    from analysis.store import Store

    store = Store(store_dir)
    out: dict = {"step": step}
    if step in ("incremental", "full"):
        with store.writer():
            report = corpus.update_corpus(store, full=step == "full")
        out.update(mode=report.mode, articles=report.new_articles, steps=report.timings, update_seconds=report.seconds)
    elif step == "open":
        con = corpus.open_connection(store).con
        out["articles"] = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        out["quotes"] = con.execute("SELECT count(*) FROM quotes").fetchone()[0]
    out["seconds"] = time.perf_counter() - started
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run_child(step: str, store_dir: Path) -> dict:
    env = {**os.environ, "ANALYSIS_SEEDS": ""}
    done = subprocess.run([sys.executable, __file__, "--child", step, str(store_dir)], capture_output=True,
                          text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{step} on {store_dir} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# New articles from the source records

def source_tables(source) -> dict:
    import pyarrow as pa

    from analysis.store import SCHEMAS

    con = source.connect(with_text=True)
    tables = {}
    for t in ("articles", "entities", "quotes", "speakers", "claims"):
        table = con.sql(f"SELECT * EXCLUDE (part) FROM {t} ORDER BY article_id").to_arrow_table()
        for f in SCHEMAS[t]:
            if f.name not in table.schema.names:
                table = table.append_column(f, pa.nulls(len(table), f.type))
        tables[t] = table.select(SCHEMAS[t].names).cast(SCHEMAS[t])
    return tables


def add_new_articles(tables: dict, store_dir: Path, count: int, tag: str, part_size: int = 64) -> int:
    """Write `count` new articles (see the module's docstring) into the store as new parts."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from analysis.loaders import article_id
    from analysis.store import SCHEMAS

    arts = tables["articles"]
    n_src = len(arts)
    parts_dir = store_dir / "parts"
    written = 0
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    for p0 in range(0, count, part_size):
        idx = [(p0 + i) % n_src for i in range(min(part_size, count - p0))]
        batch = arts.take(pa.array(idx))
        texts, ids, dates, sources = [], [], [], []
        old_ids = batch["article_id"].to_pylist()
        for j, (text, src) in enumerate(zip(batch["text"].to_pylist(), batch["source"].to_pylist(), strict=True)):
            n = p0 + j
            day = NEW_DATE + dt.timedelta(days=n % 365)
            new_text = f"{text}\n\nThis copy was filed on {day.isoformat()} as item {tag}-{n}."
            texts.append(new_text)
            ids.append(article_id(new_text))
            dates.append(day.isoformat())
            sources.append(f"{src}#new-{tag}-{n}")
        mapping = dict(zip(old_ids, ids, strict=True))
        out = {"articles": batch.set_column(batch.schema.get_field_index("text"), "text", pa.array(texts, pa.string()))}
        for col, values in (("article_id", ids), ("date", dates), ("source", sources)):
            out["articles"] = out["articles"].set_column(out["articles"].schema.get_field_index(col), col,
                                                         pa.array(values, pa.string()))
        for t in ("entities", "quotes", "speakers", "claims"):
            rows = tables[t].filter(pc.is_in(tables[t]["article_id"], pa.array(old_ids, pa.string())))
            new = pa.array([mapping[a] for a in rows["article_id"].to_pylist()], pa.string())
            out[t] = rows.set_column(rows.schema.get_field_index("article_id"), "article_id", new)
        name = f"{stamp}{p0:06d}-{uuid.uuid4().hex[:8]}"
        pdir = parts_dir / name
        pdir.mkdir()
        for t, table in out.items():
            pq.write_table(table.cast(SCHEMAS[t]), pdir / f"{t}.parquet", compression="zstd")
        written += len(idx)
    return written


# ---------------------------------------------------------------------------------------------

def base_store(source, stores: Path, size: int) -> tuple[Path, dict | None]:
    """The base store of `size` articles, derived in full once (timed when done here)."""
    import bench_scale

    from analysis import corpus
    from analysis.analyst_files import AnalystFiles
    from analysis.store import Store

    base = stores / f"store-{size}"
    if not base.is_dir():
        print(f"building {base}…", file=sys.stderr, flush=True)
        bench_scale.build_store(source, base, size)
    found = corpus.current(Store(base))
    # A derivation under other versions or analyst files is stale: the update would redo it in full.
    if found is None or found.inputs != corpus.inputs_key(AnalystFiles.find(base)) or found.parts != Store(base).signature():
        print(f"deriving {base} in full…", file=sys.stderr, flush=True)
        return base, run_child("full", base)
    return base, None


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--added", default="20,1000")
    ap.add_argument("--stores", default="/tmp/bench-incremental")
    ap.add_argument("--source", default=None, help="processed PolNeAR store (default: STORES/polnear, ingested once)")
    ap.add_argument("--child", nargs=2, metavar=("STEP", "STORE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    import bench_scale

    stores = Path(args.stores)
    stores.mkdir(parents=True, exist_ok=True)
    source = bench_scale.source_store(Path(args.source) if args.source else stores / "polnear", bench_scale.CORPUS)
    tables = source_tables(source)
    results: list[dict] = []
    print(f"# Incremental derivation ({dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {load()})\n")
    print("| articles | new | incremental update (process) | next open | full derivation (process) | ratio | load |")
    print("| ---: | ---: | --- | --- | --- | ---: | --- |")
    for size in (int(s) for s in args.sizes.split(",")):
        base, first = base_store(source, stores, size)
        if first:
            results.append({"size": size, "added": 0, "full": first})
        for added in (int(a) for a in args.added.split(",")):
            work = stores / f"work-{size}-{added}"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(base, work)
            add_new_articles(tables, work, added, uuid.uuid4().hex[:6])
            row = {"size": size, "added": added, "load_before": os.getloadavg()}
            row["incremental"] = run_child("incremental", work)
            assert row["incremental"]["mode"] == "incremental", row
            row["open"] = run_child("open", work)
            row["full"] = run_child("full", work)
            row["load_after"] = os.getloadavg()
            results.append(row)
            inc, opened, full = row["incremental"], row["open"], row["full"]
            print(f"| {size:,} | +{added:,} | {inc['update_seconds']:.1f} s ({inc['seconds']:.1f} s), "
                  f"{inc['peak_mb']:,.0f} MB | {opened['seconds']:.2f} s, {opened['peak_mb']:,.0f} MB | "
                  f"{full['update_seconds']:.1f} s ({full['seconds']:.1f} s), {full['peak_mb']:,.0f} MB | "
                  f"{full['update_seconds'] / inc['update_seconds']:.1f}× | "
                  f"{row['load_before'][0]:.2f} → {row['load_after'][0]:.2f} |", flush=True)
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"incremental-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"\n{load()}; raw figures: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
