"""Dashboard at scale: stores of 10,000 and 100,000 articles, the queries behind each page.

The big stores are made from the processed PolNeAR records (no re-parse): the articles and
everything extracted from them are copied with distinct article ids (`<id>-c0001`), distinct
sources and dates shifted by four weeks per copy, and written as Parquet parts of 64 articles,
the layout an ingest with the default `--commit-every 64` leaves. Then, in a fresh process per
store (so that memory is that of one dashboard process):

- app start: `corpus.open_connection` (the corpus cache of `analysis.corpus`: entity names,
  speaker merge, roles, opinion groups and the summary tables, attached from disk), the
  sidebar's `filter_options`, and the overview page's queries with no filter;
- every page's queries (the functions of `analysis/queries.py` the pages call) with no filter
  and after a filter change: a speaker, a date range, a one-word search, two words, a quoted
  exact phrase, an outlet, and all of speaker + date + search at once. A filter change reruns every query of the page (the app
  caches results per filter), so its cost is the sum of one run of each, in page order, with
  the search cache emptied first; the figure is the median of `--repeat` such page runs;
- resident memory after all of it (and the peak, `ru_maxrss`).

Opinion grouping: `opinions.derive_opinions` on the statements of the smallest store, timed once
(`bench_opinions.py` times the 1.27 million of the 100,000-article store). The 10,000-article
store is opened cold once (deriving its corpus cache, grouping its ~130,000 quotes included);
for the 100,000-article store the corpus cache is derived with the opinion grouping replaced by
a copy of the PolNeAR grouping to the copies (`bench_open_corpus.py` times the real derivation).

    python bench/bench_scale.py [--sizes 10000,100000] [--repeat 5] [--stores /tmp/bench-scale]

Markdown to stdout, raw figures to bench/results/scale-<timestamp>.json.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
CORPUS = ROOT.parent / "shared" / "corpora" / "polnear"
RESULTS = ROOT / "bench" / "results"
TABLES = ("articles", "entities", "quotes", "speakers", "claims")
SHIFT_DAYS = 28
OPINION_SUBJECT = "Donald Trump"
ENTITY = "Russia"  # an entity filter (`entity=`): the articles that name it
PART_SIZE = 64


# ---------------------------------------------------------------------------------------------
# Building the stores

def source_store(path: Path, corpus: Path):
    """The processed PolNeAR corpus (ingested once, with 2 workers, if the folder is empty)."""
    from analysis.pipeline import ingest
    from analysis.store import Store

    store = Store(path)
    if store.is_empty():
        print(f"ingesting PolNeAR into {path} (once)…", file=sys.stderr, flush=True)
        ingest(sorted(corpus.glob("*/text")), store, metadata=corpus / "metadata.tsv", workers=2)
    return store


def build_store(source, dest: Path, size: int, part_size: int = PART_SIZE) -> dict:
    """`size` articles copied from `source` into a new store at `dest`, in parts of `part_size`."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from analysis.store import SCHEMAS

    started = time.perf_counter()
    con = source.connect(with_text=True)
    src = {}
    for t in TABLES:
        table = con.sql(f"SELECT * EXCLUDE (part) FROM {t} ORDER BY article_id").to_arrow_table()
        for f in SCHEMAS[t]:  # a field added to a record since the source was ingested: null, as a reader sees it
            if f.name not in table.schema.names:
                table = table.append_column(f, pa.nulls(len(table), f.type))
        src[t] = table.select(SCHEMAS[t].names).cast(SCHEMAS[t])
    ids = src["articles"]["article_id"].to_pylist()
    n_src = len(ids)
    child_ids = {t: np.array(src[t]["article_id"].to_pylist(), dtype=object) for t in TABLES[1:]}
    chunks = []  # (article slice, {table: row slice}) for one copy
    for i0 in range(0, n_src, part_size):
        i1 = min(i0 + part_size, n_src)
        rows = {t: (int(np.searchsorted(child_ids[t], ids[i0], "left")),
                    int(np.searchsorted(child_ids[t], ids[i1 - 1], "right"))) for t in TABLES[1:]}
        chunks.append(((i0, i1), rows))

    tmp = dest.with_name(dest.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "parts").mkdir(parents=True)
    written = parts = 0
    copy = 0
    while written < size:
        suffix = f"-c{copy:04d}"
        for (i0, i1), rows in chunks:
            take = min(i1 - i0, size - written)
            if take <= 0:
                break
            arts = src["articles"].slice(i0, take)
            last_id = ids[i0 + take - 1]
            out = {"articles": _copy_articles(arts, suffix, copy * SHIFT_DAYS)}
            for t in TABLES[1:]:
                r0, r1 = rows[t]
                if take < i1 - i0:  # a partial last chunk: only the rows of the articles taken
                    r1 = int(np.searchsorted(child_ids[t], last_id, "right"))
                part = src[t].slice(r0, r1 - r0)
                idx = part.schema.get_field_index("article_id")
                out[t] = part.set_column(idx, "article_id", pc.binary_join_element_wise(part["article_id"], suffix, ""))
            name = f"20260101T000000{parts:06d}-{uuid.uuid4().hex[:8]}"
            pdir = tmp / "parts" / name
            pdir.mkdir()
            for t, table in out.items():
                pq.write_table(table.cast(SCHEMAS[t]), pdir / f"{t}.parquet", compression="zstd")
            parts += 1
            written += take
        copy += 1
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(tmp, dest)
    return {"articles": written, "parts": parts, "copies": copy, "seconds": time.perf_counter() - started,
            "bytes": sum(f.stat().st_size for f in dest.rglob("*.parquet"))}


def _copy_articles(arts, suffix: str, shift: int):
    import pyarrow as pa
    import pyarrow.compute as pc

    def shifted(d):
        if not d:
            return d
        try:
            return (dt.date.fromisoformat(d) + dt.timedelta(days=shift)).isoformat()
        except ValueError:
            return d

    cols = {name: arts[name] for name in arts.column_names}
    cols["article_id"] = pc.binary_join_element_wise(arts["article_id"], suffix, "")
    cols["source"] = pc.binary_join_element_wise(arts["source"], "#copy" + suffix, "")
    cols["date"] = pa.array([shifted(d) for d in arts["date"].to_pylist()], pa.string())
    return pa.table(cols)


def seed_opinion_cache(store, source) -> float | None:
    """Give `store` the opinion grouping of its PolNeAR originals, through the corpus module's
    own cache (so the cache key is the real one). Returns seconds, or None without opinions."""
    try:
        from analysis import corpus, opinions
    except ImportError:
        return None
    started = time.perf_counter()
    src = corpus.open_corpus(source).execute("SELECT * FROM opinions").df()
    real = opinions.derive_opinions

    def replicated(con, codebook=None, params=None):
        con.register("_src_opinions", src)
        con.execute("""
            CREATE OR REPLACE TABLE opinions AS
            SELECT q.quote_no, q.article_no, q.article_id, q.start, q.speaker_key,
                   s.* EXCLUDE (quote_no, article_no, article_id, start, speaker_key)
            FROM quotes q JOIN _src_opinions s ON s.article_id = substr(q.article_id, 1, 16) AND s.start = q.start""")
        con.unregister("_src_opinions")

    opinions.derive_opinions = replicated
    try:
        corpus.open_corpus(store)
    finally:
        opinions.derive_opinions = real
    return time.perf_counter() - started


def corpus_cached(store) -> bool:
    """Whether the corpus tables of this store state (and of the current code) are derived."""
    from analysis import corpus

    return corpus.cache_path(store).is_file()


# ---------------------------------------------------------------------------------------------
# Measuring one store (in a child process)

def page_plan(options: dict, first_article: str | None) -> dict[str, list[tuple[str, tuple, str]]]:
    """Per page: (query, extra args, which filters) — what the page scripts call, in order."""
    speaker = options["speakers"][0] if options.get("speakers") else None
    # Every page runs the sidebar first: under a date filter, what the dates leave out. Its facet
    # counts run only while their expander is open (`ui/sidebar.facets`): measured as a page of
    # their own, what opening the expander (or a filter change with it open) adds.
    sidebar = [("date_exclusions", (), "f")]
    pages = {
        "overview": [("overview_counts", (), "f"), ("quotes_over_time", (), "f"), ("top_speakers", (12,), "f"),
                     ("top_entities", (12,), "f"), ("articles_by_outlet", (), "f"), ("articles_list", (200,), "f")],
        "quotes": [("quotes_count", (), "f"), ("quotes_table", (1000,), "f")],
        "speakers": [("speakers_table", (), "f-speakers")],
        "speaker profile": [("speaker_profile", (speaker,), "raw"), ("speaker_timeline", (speaker,), "f-speakers"),
                            ("speaker_topics", (speaker,), "f-speakers"), ("co_speakers", (speaker,), "f-speakers"),
                            ("quotes_count", (speaker,), "f+speaker"), ("quotes_table", (speaker, 500), "f+speaker")],
        "entities": [("entity_type_counts", (), "f-entity_type"), ("entity_timeline", (6,), "f"),
                     ("entity_pairs", (12,), "f"), ("entities_table", (), "f")],
        # The opinion page opens on the subject with most statements ("Donald Trump" in these stores).
        "opinions": [("opinion_summary", (), "f"), ("opinion_subjects", (), "f"),
                     ("opinion_claims", (OPINION_SUBJECT,), "f"), ("opinion_camps", (OPINION_SUBJECT,), "f"),
                     ("opinion_grid", (OPINION_SUBJECT,), "f"), ("opinion_statement_count", (OPINION_SUBJECT,), "f"),
                     ("opinion_statements", (OPINION_SUBJECT, None, None, 1000), "f")],
        "outlets": [("outlet_roles", (8,), "f"), ("outlet_stances", (8,), "f"), ("outlet_speakers", (8, 10), "f")],
        "article": [("article_meta", (first_article,), "raw"), ("articles_count", (), "f-article"),
                    ("articles_list", (1000,), "f-article"),
                    ("article_quotes", (first_article,), "raw"), ("article_entities", (first_article,), "raw")],
    }
    pages["sidebar counts (open)"] = [("speaker_facet", (), "f"), ("outlet_facet", (), "f"), ("role_facet", (), "f")]
    return {page: sidebar + calls for page, calls in pages.items()}


def scenarios(options: dict):
    from analysis.filters import Filters

    speaker = options["speakers"][0] if options.get("speakers") else None
    lo, hi = options.get("date_min"), options.get("date_max")
    mid = lo + (hi - lo) / 2 if lo and hi else None
    date = dict(date_from=mid, date_to=mid + dt.timedelta(days=365)) if mid else {}
    outlet = options["outlets"][0] if options.get("outlets") else None
    return {
        "no filter": Filters(),
        "speaker": Filters(speakers=(speaker,)) if speaker else Filters(),
        "date range (1 year)": Filters(**date),
        "text search": Filters(q="border"),
        "two words": Filters(q="white house"),
        "exact phrase": Filters(q='"white house"'),
        "outlet": Filters(outlets=(outlet,)) if outlet else Filters(),
        "entity": Filters(entities=(ENTITY,)),
        "quote text only": Filters(said="border"),
        "speaker+date+search": Filters(speakers=(speaker,) if speaker else (), q="said", **date),
    }


def measure(store_dir: Path, repeat: int) -> dict:
    import psutil

    from analysis import corpus as corpus_mod
    from analysis import indexes
    from analysis import opinion_queries as OQ
    from analysis import queries as Q
    from analysis.store import Store

    proc = psutil.Process()
    out: dict = {"rss_before_mb": proc.memory_info().rss / 2**20}
    store = Store(store_dir)
    out["parts"] = len(store.part_dirs())
    out["bytes"] = sum(f.stat().st_size for f in store.parts_dir.rglob("*.parquet"))
    t = time.perf_counter()
    store.connect().close()
    out["snapshot_seconds"] = time.perf_counter() - t
    t = time.perf_counter()
    corpus = corpus_mod.open_connection(store)
    out["open_seconds"] = time.perf_counter() - t
    out["notices"] = corpus.notices
    con = corpus.con
    t = time.perf_counter()
    options = Q.filter_options(con)
    out["filter_options_seconds"] = time.perf_counter() - t
    out["rss_after_open_mb"] = proc.memory_info().rss / 2**20
    counts = {tb: con.execute(f"SELECT count(*) FROM {tb}").fetchone()[0]
              for tb in ("articles", "entities", "quotes", "speakers", "speakers_corpus", "opinions")
              if corpus_mod.has_table(con, tb)}
    out["counts"] = counts
    first_article = con.execute("SELECT min(article_id) FROM articles").fetchone()[0]
    plan = page_plan(options, first_article)
    scen = scenarios(options)

    def run(name: str, args: tuple, which: str, f, times: int = repeat) -> tuple[float, int | None, str | None]:
        fn = getattr(Q, name, None) or getattr(OQ, name, None)
        if fn is None:
            return float("nan"), None, "missing"
        if which == "raw":
            call = lambda: fn(con.cursor(), *args)  # noqa: E731
        else:
            ff = f
            if which.startswith("f-"):
                ff = f.without(which[2:])
            elif which == "f+speaker":  # the profile's quote list: the global filters plus this speaker
                ff, args = dataclasses.replace(f, speakers=args[:1]), args[1:]
            call = lambda: fn(con.cursor(), ff, *args)  # noqa: E731
        taken, rows = [], None
        try:
            for _ in range(times):
                t0 = time.perf_counter()
                res = call()
                taken.append(time.perf_counter() - t0)
            rows = len(res) if hasattr(res, "__len__") else None
        except Exception as exc:  # noqa: BLE001 - a broken query is reported, not fatal
            return float("nan"), None, f"{type(exc).__name__}: {exc}"[:200]
        return statistics.median(taken), rows, None

    # App start = open + sidebar options + the overview with no filter.
    first = [run(n, a, w, scen["no filter"]) for n, a, w in plan["overview"]]
    out["overview_first_seconds"] = sum(x[0] for x in first if x[0] == x[0])
    out["app_start_seconds"] = out["open_seconds"] + out["filter_options_seconds"] + out["overview_first_seconds"]
    # A filter change runs each query of the page once, in page order, with nothing kept from an
    # earlier run of the same search: each repetition starts with the search cache emptied, the
    # page's total is the median of the repetitions' sums, and each query's figure the median of
    # its runs (the first query of a page pays for matching a search, the others reuse it).
    pages: dict = {}
    for page, calls in plan.items():
        pages[page] = {}
        for sname, f in scen.items():
            per_query: dict[str, list] = {n: [] for n, _, _ in calls}
            totals = []
            for _ in range(repeat):
                indexes.clear_search_cache(con)
                total = 0.0
                for n, a, w in calls:
                    r = run(n, a, w, f, times=1)
                    per_query[n].append(r)
                    total += r[0] if r[0] == r[0] else 0.0
                totals.append(total)
            pages[page][sname] = {
                "total_seconds": statistics.median(totals),
                "queries": {n: {"seconds": statistics.median(x[0] for x in rs), "rows": rs[-1][1], "error": rs[-1][2]}
                            for n, rs in per_query.items()},
            }
    out["pages"] = pages
    out["scenarios"] = {k: {f.name: getattr(v, f.name) for f in dataclasses.fields(v) if getattr(v, f.name)}
                        for k, v in scen.items()}
    out["rss_end_mb"] = proc.memory_info().rss / 2**20
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def opinion_bench(store_dir: Path, n: int) -> dict:
    """`derive_opinions` over the statements of `store_dir` (see bench/bench_opinions.py, which
    also times the 1.27 million statements of the 100,000-article store)."""
    import bench_opinions

    out = bench_opinions.measure(store_dir, 0.0)
    return {"statements": out["statements"], "seconds": out["seconds"], "groups": out["claims"],
            "shared_share": out["shared_share"], "maxrss_mb": out["peak_rss_mb"]}


def child_json(args: list[str], timeout: float | None = None) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--stores", type=Path, default=Path("/tmp/bench-scale"), help="where the big stores are built")
    ap.add_argument("--source", type=Path, help="a store holding processed PolNeAR (default: <stores>/polnear)")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the stores even if present")
    ap.add_argument("--opinions", type=int, default=100_000, help="statements for the grouping benchmark (0: skip)")
    ap.add_argument("--child", choices=("measure", "opinions", "seed"), help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "measure":
        print(json.dumps(measure(args.store, args.repeat), default=str))
        return 0
    if args.child == "seed":
        from analysis.store import Store

        src = args.source or args.stores / "polnear"
        print(json.dumps({"seconds": seed_opinion_cache(Store(args.store), Store(src))}))
        return 0
    if args.child == "opinions":
        print(json.dumps(opinion_bench(args.store, args.opinions)))
        return 0

    from analysis.store import Store

    started = dt.datetime.now(dt.timezone.utc)
    load0 = " ".join(f"{x:.2f}" for x in os.getloadavg())
    args.stores.mkdir(parents=True, exist_ok=True)
    source = source_store(args.source or args.stores / "polnear", args.corpus)
    result: dict = {"started": started.isoformat(timespec="seconds"), "command": " ".join(sys.argv),
                    "load_start": load0, "stores": {}}
    from bench.bench_ingest import machine

    result["machine"] = machine()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    for size in sizes:
        dest = args.stores / f"store-{size}"
        info: dict = {}
        if args.rebuild or Store(dest).is_empty():
            print(f"building {size:,} articles…", file=sys.stderr, flush=True)
            info["build"] = build_store(source, dest, size)
            shutil.rmtree(dest / "derived", ignore_errors=True)
        store = Store(dest)
        if not corpus_cached(store):
            if size <= 20_000:
                # Cold start: the corpus step groups every quote once and caches the grouping.
                print(f"cold start of {size:,} (groups every quote)…", file=sys.stderr, flush=True)
                cold = child_json(["--child", "measure", "--store", str(dest), "--repeat", "1"])
                info["cold_start_seconds"] = cold.get("open_seconds")
                info["cold_start"] = {k: cold.get(k) for k in ("open_seconds", "snapshot_seconds", "error")}
            else:
                # In a child: the parent stays small, so the children forked later start small too
                # (on Linux a child's ru_maxrss starts from its parent's size at the fork).
                seeded = child_json(["--child", "seed", "--store", str(dest), "--stores", str(args.stores),
                                     *(["--source", str(args.source)] if args.source else [])])
                info["opinion_cache_seeded_seconds"] = seeded.get("seconds")
        print(f"measuring {size:,}…", file=sys.stderr, flush=True)
        info["measure"] = child_json(["--child", "measure", "--store", str(dest), "--repeat", str(args.repeat)])
        info["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        result["stores"][size] = info
    if args.opinions and sizes:
        small = args.stores / f"store-{sizes[0]}"
        print(f"grouping {args.opinions:,} statements…", file=sys.stderr, flush=True)
        result["opinions"] = child_json(["--child", "opinions", "--store", str(small), "--opinions", str(args.opinions)])
        result["opinions"]["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"scale-{started.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    report(result, path)
    return 0


def report(result: dict, path: Path) -> None:
    m = result["machine"]
    print(f"## Dashboard at scale ({result['started']})\n")
    print(f"`{result['command']}`  \n{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; load average at start "
          f"{result['load_start']}; query times are medians of repeated runs, server-side (DuckDB + pandas).\n")
    sizes = list(result["stores"])
    print("| | " + " | ".join(f"{int(s):,} articles" for s in sizes) + " |")
    print("|---|" + "---|" * len(sizes))

    def row(label, fn):
        vals = []
        for s in sizes:
            try:
                vals.append(fn(result["stores"][s]))
            except (KeyError, TypeError):
                vals.append("–")
        print(f"| {label} | " + " | ".join(vals) + " |")

    row("stored rows", lambda i: ", ".join(f"{k} {v:,}" for k, v in i["measure"]["counts"].items()))
    row("parts (64 articles each), size on disk", lambda i: f"{i['measure']['parts']:,}, {i['measure']['bytes'] / 2**20:,.0f} MB")
    row("store snapshot (`Store.connect`)", lambda i: f"{i['measure']['snapshot_seconds']:.2f} s")
    row("open corpus (corpus cache attached)", lambda i: f"{i['measure']['open_seconds']:.2f} s")
    row("**app start** (open + sidebar options + overview)", lambda i: f"**{i['measure']['app_start_seconds']:.2f} s**")
    row("cold open (opinion grouping not cached)", lambda i: f"{i['cold_start_seconds']:.1f} s")
    row("**resident memory** after all pages (peak)",
        lambda i: f"**{i['measure']['rss_end_mb']:,.0f} MB** ({i['measure']['maxrss_mb']:,.0f})")
    print()
    for s in sizes:
        meas = result["stores"][s]["measure"]
        if "pages" not in meas:
            print(f"{int(s):,} articles: measurement failed: {meas.get('error', '')[-500:]}\n")
            continue
        scen = list(next(iter(meas["pages"].values())))
        print(f"### Filter change at {int(s):,} articles: seconds per page (sum of its queries)\n")
        print("| page | " + " | ".join(scen) + " |")
        print("|---|" + "---|" * len(scen))
        worst = (0.0, "")
        for page, by in meas["pages"].items():
            cells = []
            for sc in scen:
                tot = by[sc]["total_seconds"]
                errs = [q for q, r in by[sc]["queries"].items() if r["error"]]
                cells.append(f"{tot:.3f}" + (f" ({', '.join(errs)} failed)" if errs else ""))
                if sc != "no filter" and tot > worst[0]:
                    worst = (tot, f"{page} / {sc}")
            print(f"| {page} | " + " | ".join(cells) + " |")
        slow = sorted(((r["seconds"], f"{page}: {q} ({sc}, {r['rows']} rows)")
                       for page, by in meas["pages"].items() for sc, v in by.items()
                       for q, r in v["queries"].items() if r["seconds"] == r["seconds"]), reverse=True)[:6]
        print(f"\nslowest filter change: {worst[0]:.3f} s ({worst[1]}); slowest queries: "
              + "; ".join(f"{t:.3f} s {d}" for t, d in slow) + "\n")
    if "opinions" in result:
        o = result["opinions"]
        if "seconds" in o:
            print(f"### Opinion grouping\n\n`derive_opinions` on {o['statements']:,} statements: **{o['seconds']:.0f} s** "
                  f"({o['groups']} claims, {o['shared_share']:.0%} in a shared claim, peak {o['maxrss_mb']:,.0f} MB; "
                  f"load after {o['load_after']})\n")
        else:
            print(f"### Opinion grouping failed\n\n{o.get('error', '')[-800:]}\n")
    print(f"raw figures: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
