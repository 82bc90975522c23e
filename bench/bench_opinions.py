"""Opinion grouping at scale: `derive_opinions` on every statement of a benchmark store.

The store is the one `bench_scale.py` makes (the processed PolNeAR records copied with distinct
article ids; 100,000 articles hold about 1.27 million quotes), built here if missing. In a
fresh process per run, the quotes, claims and articles are loaded into an in-memory DuckDB with
the keys `derive_opinions` expects (`quote_no`, `article_no`, `speaker_key`), then the grouping
is timed and its peak memory sampled (psutil, every 20 ms, the whole process).

Copies of one article make identical statements, which the grouping joins at once. `--perturb`
drops a share of each statement's lemmas at random (independently per copy), so that no two
copies are alike and the grouping does the work of a corpus of distinct statements.

    python bench/bench_opinions.py [--articles 100000] [--stores /tmp/bench-scale] [--repeat 3] [--perturb 0.15]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def ensure_store(stores: Path, articles: int) -> Path:
    import bench_scale

    from analysis.store import Store

    dest = stores / f"store-{articles}"
    if Store(dest).is_empty():
        source = bench_scale.source_store(stores / "source", bench_scale.CORPUS)
        print(f"building {dest}…", file=sys.stderr, flush=True)
        bench_scale.build_store(source, dest, articles)
    return dest


def load(store_dir: Path, perturb: float):
    """An in-memory DuckDB with quotes (keys added), claims, articles and the entity names."""
    import duckdb

    from analysis.store import Store

    store = Store(store_dir)
    parts = store.part_dirs()
    con = duckdb.connect()
    files = lambda t: [str(p / f"{t}.parquet") for p in parts]  # noqa: E731
    con.execute("CREATE TABLE articles AS SELECT article_id, date, (row_number() OVER (ORDER BY article_id))::INTEGER "
                "AS article_no FROM read_parquet(?)", [files("articles")])
    con.execute("CREATE TABLE quotes AS SELECT (row_number() OVER (ORDER BY q.article_id, q.start))::INTEGER AS quote_no, "
                "a.article_no, q.article_id, q.start, q.text, q.kind, q.speaker AS speaker_key "
                "FROM read_parquet(?) q JOIN articles a USING (article_id)", [files("quotes")])
    drop = f"list_filter(%s, lambda x: random() >= {float(perturb)})" if perturb else "%s"
    con.execute(f"CREATE TABLE claims AS SELECT * REPLACE ({drop % 'terms'} AS terms, {drop % 'words'} AS words) "
                "FROM read_parquet(?)", [files("claims")])
    con.execute("CREATE TABLE entities AS SELECT DISTINCT canonical, label FROM read_parquet(?) "
                "WHERE label IN ('NORP', 'GPE', 'LOC')", [files("entities")])
    return con


def measure(store_dir: Path, perturb: float) -> dict:
    import psutil

    from analysis.opinions import derive_opinions

    con = load(store_dir, perturb)
    proc = psutil.Process()
    before = proc.memory_info().rss
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.02)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    import resource

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    derive_opinions(con, None)
    seconds = time.perf_counter() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    done.set()
    t.join()
    row = con.execute("SELECT count(*), count(DISTINCT claim_id), avg((claim_size >= 2)::INTEGER), "
                      "count(DISTINCT subject_key) FROM opinions").fetchone()
    assert row is not None
    return {"statements": row[0], "claims": row[1], "shared_share": row[2], "subjects": row[3],
            "seconds": seconds, "cpu_seconds": cpu,
            "rss_before_mb": before / 2**20, "peak_rss_mb": peak[0] / 2**20}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python bench/bench_opinions.py")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--stores", type=Path, default=Path("/tmp/bench-scale"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--perturb", type=float, default=0.0, help="share of lemmas dropped at random per statement")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.perturb)))
        return 0
    store = ensure_store(args.stores, args.articles)
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, __file__, "--child", str(store), "--perturb", str(args.perturb)],
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    secs = [r["seconds"] for r in runs]
    cpus = [r["cpu_seconds"] for r in runs]
    peak = [r["peak_rss_mb"] for r in runs]
    r = runs[0]
    print(f"`derive_opinions` on {r['statements']:,} statements ({args.articles:,} articles, perturb {args.perturb}): "
          f"median {statistics.median(secs):.1f} s wall (runs {', '.join(f'{s:.1f}' for s in secs)}), "
          f"{statistics.median(cpus):.1f} s CPU (user + system, all threads), "
          f"peak RSS {statistics.median(peak):,.0f} MB (data loaded before: {r['rss_before_mb']:,.0f} MB); "
          f"{r['claims']:,} claims, {r['subjects']:,} subjects, {r['shared_share']:.1%} of statements in a shared claim; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
