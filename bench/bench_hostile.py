"""Peak memory and time of `python -m analysis ingest` on each input of the hostile folder alone.

Issue 17 asks that no single input file takes the ingest over 1.5 GB. The hostile folder of
`tests/hostile.py` is built once; then each of its entries (a file, a symbolic link, a folder)
is ingested on its own, in a fresh store, by a child process whose peak resident memory is read
from `os.wait4`. With `--before DIR` (a checkout of an earlier commit, e.g. made with
`git worktree add /tmp/before main`) the same inputs also go through that code, side by side.

    python bench/bench_hostile.py [--before DIR] [--timeout 300] [--no-long]

Every child runs with an address-space limit (`--limit-gb`, 8 by default), so that code which
reads `/dev/zero` to the end fails there instead of taking the machine's memory; a child that
runs past `--timeout` (a FIFO read that waits for a writer) is killed and shown as hung.
Markdown goes to stdout.
"""
from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(code: Path, target: Path, store: Path, timeout: float, limit_bytes: int) -> dict:
    """Ingest `target` with the `analysis` package of `code`; exit code, peak RSS (MB), seconds."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    env = {**os.environ, "PYTHONPATH": str(code)}
    errors = tempfile.TemporaryFile()  # not a pipe: a child that fills a pipe nobody reads would seem hung
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "analysis", "ingest", str(target), "--store", str(store), "--quiet"],
                             cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=errors,
                             preexec_fn=limit, start_new_session=True)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(child.pid, 0)
            return {"outcome": f"still running after {timeout:g} s: killed", "peak_mb": usage.ru_maxrss / 1024,
                    "seconds": timeout}
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    errors.seek(0)
    stderr = errors.read().decode("utf-8", "replace")
    code_ = os.waitstatus_to_exitcode(status)
    crashed = "Traceback" in stderr
    last = stderr.strip().splitlines()[-1] if crashed else ""
    outcome = f"exit {code_}" + (f", traceback ({last.split(':')[0]})" if crashed else "")
    return {"outcome": outcome, "peak_mb": usage.ru_maxrss / 1024, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="a checkout of earlier code to run side by side")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a child is killed as hung")
    parser.add_argument("--limit-gb", type=float, default=8, help="address-space limit of each child")
    parser.add_argument("--no-long", action="store_true", help="leave out the text over 1,000,000 characters")
    args = parser.parse_args()

    from tests.hostile import build_hostile_folder

    codes = {"this code": ROOT} | ({"before": args.before.resolve()} if args.before else {})
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        h = build_hostile_folder(Path(tmp), long=not args.no_long)
        entries = sorted(h.folder.iterdir())
        rows = []
        for entry in entries:
            row = [entry.name.encode("unicode_escape").decode()]
            for i, code in enumerate(codes.values()):
                r = run(code, entry, Path(tmp) / f"store-{len(rows)}-{i}", args.timeout, int(args.limit_gb * 1024**3))
                row += [r["outcome"], f"{r['peak_mb']:,.0f}", f"{r['seconds']:.1f}"]
                print(entry.name.encode("unicode_escape").decode(), list(codes)[i], r, file=sys.stderr, flush=True)
            rows.append(row)
        whole = ["(the whole folder)"]
        for i, code in enumerate(codes.values()):
            r = run(code, h.folder, Path(tmp) / f"store-all-{i}", args.timeout * 3, int(args.limit_gb * 1024**3))
            whole += [r["outcome"], f"{r['peak_mb']:,.0f}", f"{r['seconds']:.1f}"]
        rows.append(whole)

    head = ["input"] + [f"{name}: {col}" for name in codes for col in ("outcome", "peak RSS MB", "s")]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\n{len(entries)} inputs; child address space limited to {args.limit_gb:g} GB; "
          f"killed after {args.timeout:g} s (the whole folder: {args.timeout * 3:g} s).")


if __name__ == "__main__":
    main()
