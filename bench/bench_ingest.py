"""Ingestion benchmark on PolNeAR: the full ingest side by side with bare spaCy parsing.

One run measures, for each repetition and in turn:

- `bare`: `nlp.pipe` over the same texts with the same model, one process (the baseline);
- `full-1`: `pipeline.ingest` into a fresh temporary store, one process: load the files,
  parse, entities, quotes, speakers, Parquet writes;
- `full-2`: the same with `workers=2` (spaCy's own multiprocessing).

Each measurement runs in its own child process (the model is loaded before the clock starts,
as it is once per dashboard/CLI process), so peak memory is that of one variant alone: the
parent samples the resident memory of the child and its children (psutil) every 50 ms, and the
child reports its own `ru_maxrss`. Inside the full ingest, the time spent in `process_doc`
(extraction alone) and in `Store.write_part` is measured by wrapping those two functions.

    python bench/bench_ingest.py [--corpus ../shared/corpora/polnear] [--repeat 3] [--limit N]

Markdown goes to stdout; the raw figures to bench/results/ingest-<timestamp>.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpora" / "polnear"
RESULTS = ROOT / "bench" / "results"
MODES = ("bare", "full-1", "full-2")
EXTRA_MODES = ("ray-2",)  # the Ray engine on a local 2-CPU Ray (run it with --modes ray-2)


# ---------------------------------------------------------------------------------------------
# Child: one measurement

def corpus_paths(corpus: Path, limit: int | None) -> list[str]:
    paths = sorted(str(p) for p in corpus.glob("*/text/*.txt"))
    return paths[:limit] if limit else paths


def cpu_seconds() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child(mode: str, corpus: Path, limit: int | None, batch_size: int) -> dict:
    from analysis import pipeline
    from analysis.loaders import load_paths
    from analysis.nlp import load_model
    from analysis.store import Store

    nlp = load_model()
    paths = corpus_paths(corpus, limit)
    cpu0 = cpu_seconds()
    metadata = corpus / "metadata.tsv"
    out: dict = {"mode": mode}
    if mode == "bare":
        texts = [a.text for a in load_paths(paths, metadata=metadata).articles]
        cpu0 = cpu_seconds()
        t0 = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size, n_process=1))
        out.update(seconds=time.perf_counter() - t0, cpu_seconds=cpu_seconds() - cpu0,
                   articles=len(texts), tokens=tokens)
    else:
        workers = int(mode.split("-")[1])
        engine = None
        if mode.startswith("ray"):
            import ray

            from analysis.engines.ray_engine import RayEngine, job_runtime_env

            t = time.perf_counter()
            ray.init(address="local", num_cpus=workers, include_dashboard=False, runtime_env=job_runtime_env(),
                     log_to_driver=False)
            out["ray_init_seconds"] = time.perf_counter() - t
            engine = RayEngine(workers=workers)
        timers = {"process_doc": 0.0, "write_part": 0.0, "load": 0.0}
        orig_process, orig_write, orig_load = pipeline.process_doc, Store.write_part, pipeline.load_paths

        def timed(name, fn):
            def wrapper(*a, **k):
                t = time.perf_counter()
                try:
                    return fn(*a, **k)
                finally:
                    timers[name] += time.perf_counter() - t
            return wrapper

        pipeline.process_doc = timed("process_doc", orig_process)
        Store.write_part = timed("write_part", orig_write)
        pipeline.load_paths = timed("load", orig_load)
        tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
        try:
            store = Store(tmp / "store")
            t0 = time.perf_counter()
            report = pipeline.ingest(paths, store, metadata=metadata, workers=workers, engine=engine)
            seconds = time.perf_counter() - t0
            out["cpu_seconds"] = cpu_seconds() - cpu0  # this process and its (joined) workers
            con = store.connect()
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("articles", "entities", "quotes", "speakers")}
            out.update(seconds=seconds, articles=report.ingested, counts=counts,
                       parts=len(store.part_dirs()), **{f"{k}_seconds": v for k, v in timers.items()})
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    out["self_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return out


# ---------------------------------------------------------------------------------------------
# Parent: run the children, sample their memory, summarise

def tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_child(mode: str, args) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--corpus", str(args.corpus),
           "--batch-size", str(args.batch_size)] + (["--limit", str(args.limit)] if args.limit else [])
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        import psutil

        p = psutil.Process(proc.pid)
        while not stop.is_set():
            peak = max(peak, tree_rss(p))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child {mode} failed with exit code {proc.returncode}")
    result = json.loads(stdout.strip().splitlines()[-1])
    if not peak:
        raise SystemExit(f"benchmark child {mode}: no memory sample was taken")
    result["peak_tree_rss_mb"] = peak / 2**20
    return result


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    import spacy

    from analysis.nlp import model_version

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem, "python": platform.python_version(),
            "spacy": spacy.__version__, "model": model_version(), "platform": platform.platform()}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=int, help="only the first N files (a quick check)")
    ap.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch size for the bare baseline")
    ap.add_argument("--modes", default=",".join(MODES), help="comma-separated, from " + ",".join(MODES + EXTRA_MODES))
    ap.add_argument("--child", choices=MODES + EXTRA_MODES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.corpus, args.limit, args.batch_size)))
        return 0
    try:  # a benchmark that cannot measure memory fails loudly rather than report a peak of 0
        import psutil  # noqa: F401
    except ImportError:
        raise SystemExit("psutil is needed to measure memory: pip install -r requirements-dev.txt") from None

    modes = [m for m in args.modes.split(",") if m]
    started = dt.datetime.now(dt.timezone.utc)
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    loads = [f"start {load()}"]
    for rep in range(args.repeat):
        for mode in modes:  # interleaved, so a burst of load from elsewhere hits every variant
            r = run_child(mode, args)
            r["load_after"] = load()
            runs[mode].append(r)
            print(f"[rep {rep + 1}/{args.repeat}] {mode}: {r['seconds']:.1f} s, load {r['load_after']}",
                  file=sys.stderr, flush=True)
    loads.append(f"end {load()}")

    tokens = next((r["tokens"] for r in runs.get("bare", [])), None)
    summary: dict[str, dict] = {}
    for mode, rs in runs.items():
        secs = statistics.median(r["seconds"] for r in rs)
        arts = rs[0]["articles"]
        s = {"median_seconds": secs, "all_seconds": [round(r["seconds"], 2) for r in rs], "articles": arts,
             "median_cpu_seconds": statistics.median(r["cpu_seconds"] for r in rs),
             "articles_per_s": arts / secs, "tokens_per_s": tokens / secs if tokens else None,
             "peak_tree_rss_mb": max((r["peak_tree_rss_mb"] or 0) for r in rs) or None,
             "self_maxrss_mb": max(r["self_maxrss_mb"] for r in rs)}
        if mode != "bare":
            for k in ("process_doc_seconds", "write_part_seconds", "load_seconds"):
                s["median_" + k] = statistics.median(r[k] for r in rs)
            s["counts"] = rs[0]["counts"]
        summary[mode] = s
    ratios = {}
    if "bare" in summary and "full-1" in summary:
        ratios["full1_over_bare"] = summary["full-1"]["median_seconds"] / summary["bare"]["median_seconds"]
        ratios["full1_over_bare_per_rep"] = [f["seconds"] / b["seconds"]
                                             for f, b in zip(runs["full-1"], runs["bare"], strict=True)]
        ratios["full1_over_bare_cpu"] = summary["full-1"]["median_cpu_seconds"] / summary["bare"]["median_cpu_seconds"]
    if "full-1" in summary and "full-2" in summary:
        ratios["workers2_speedup"] = summary["full-1"]["median_seconds"] / summary["full-2"]["median_seconds"]
        ratios["workers2_speedup_per_rep"] = [a["seconds"] / b["seconds"]
                                              for a, b in zip(runs["full-1"], runs["full-2"], strict=True)]
        # What 2 workers could reach on 2 otherwise idle cores: the CPU work split over both.
        ratios["workers2_cpu_bound"] = 2 * summary["full-1"]["median_cpu_seconds"] / summary["full-2"]["median_cpu_seconds"]
    if "bare" in summary and "full-2" in summary:
        ratios["bare_over_full2"] = summary["bare"]["median_seconds"] / summary["full-2"]["median_seconds"]

    result = {"started": started.isoformat(timespec="seconds"), "command": " ".join(sys.argv),
              "machine": machine(), "load": loads, "repeat": args.repeat, "tokens": tokens,
              "summary": summary, "ratios": ratios, "runs": runs}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"ingest-{started.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2))

    m = result["machine"]
    print(f"## Ingestion, {summary[modes[0]]['articles']} PolNeAR articles ({started:%Y-%m-%d %H:%M} UTC)\n")
    print(f"`{result['command']}`  \n{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; Python {m['python']}, "
          f"spaCy {m['spacy']}, {m['model']}; load average {'; '.join(loads)}; median of {args.repeat}.\n")
    print("| variant | median wall s (all runs) | articles/s | tokens/s | × bare (wall) | CPU s | × bare (CPU) "
          "| peak RSS MB (tree) | extraction s | store writes s | load files s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    bare_cpu = summary.get("bare", {}).get("median_cpu_seconds")
    bare_s = summary.get("bare", {}).get("median_seconds")
    for mode, s in summary.items():
        rel = f"{s['median_seconds'] / bare_s:.2f}" if bare_s else "–"
        def ex(k: str, s: dict = s, mode: str = mode) -> str:
            if k not in s:
                return "–"
            return f"{s[k]:.1f}" if mode == "full-1" or k != "median_process_doc_seconds" else "in workers"
        cpu_rel = f"{s['median_cpu_seconds'] / bare_cpu:.2f}" if bare_cpu else "–"
        print(f"| {mode} | {s['median_seconds']:.1f} ({', '.join(map(str, s['all_seconds']))}) | "
              f"{s['articles_per_s']:.1f} | {s['tokens_per_s'] or 0:,.0f} | {rel} | {s['median_cpu_seconds']:.1f} | "
              f"{cpu_rel} | {s['peak_tree_rss_mb'] or 0:,.0f} | {ex('median_process_doc_seconds')} | "
              f"{ex('median_write_part_seconds')} | {ex('median_load_seconds')} |")
    print()
    if "full1_over_bare" in ratios:
        r = ratios["full1_over_bare"]
        print(f"- full ingest / bare parse, one process: **{r:.2f}×** wall time (target ≤ 1.25×: "
              f"{'holds' if r <= 1.25 else 'misses'}); {ratios['full1_over_bare_cpu']:.2f}× in CPU time")
    if "workers2_speedup" in ratios:
        r = ratios["workers2_speedup"]
        print(f"- `--workers 2` speedup over one process: **{r:.2f}×** (target ≥ 1.6×: {'holds' if r >= 1.6 else 'misses'}); "
              f"per repetition {', '.join(f'{x:.2f}' for x in ratios['workers2_speedup_per_rep'])}; "
              f"CPU-bound limit on 2 idle cores 2 × CPU(full-1)/CPU(full-2) = {ratios['workers2_cpu_bound']:.2f}×")
    if "bare_over_full2" in ratios:
        print(f"- full ingest with 2 workers vs bare one-process parse: {ratios['bare_over_full2']:.2f}× the throughput")
    if tokens:
        print(f"- tokens (spaCy tokens in the parsed texts): {tokens:,}")
    if "full-1" in summary:
        print(f"- stored: {summary['full-1']['counts']}")
    print(f"\nraw figures: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
