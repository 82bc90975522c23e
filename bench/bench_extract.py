"""Quote extraction speed: this checkout's `extract_quotes` side by side with a baseline checkout.

The articles are loaded and parsed once (the model load and the parse are not timed) and saved
as a spaCy DocBin. Each code version then runs in its own child process, with its checkout
first on `sys.path`, and times whole passes of `extract_quotes` over every parsed article,
after one untimed warm-up pass (word lists load on first use); the memo of name keys is
emptied before each timed pass, so that a pass costs what new articles cost. The versions alternate, one
pass each per round, so that load from other processes on the machine falls on both alike.

    git worktree add /tmp/quotes-baseline 42e47b8      # the code before the quotes package
    python bench/bench_extract.py --baseline /tmp/quotes-baseline [--rounds 5] [PATH ...]

PATH defaults to the seeds and, when present, the two dev sets beside the checkout. Markdown
goes to stdout: median CPU and wall seconds per pass, and the ratios new / baseline. CPU time
(`time.process_time`) is the figure to compare on a shared machine: the wall time of one pass
moves by half when another process takes a core.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT_PATHS = [ROOT / "seeds", SHARED / "eval" / "ggt-dev" / "texts", SHARED / "corpora" / "polnear" / "dev" / "text"]


def parse_once(paths: list[str], out: Path) -> tuple[int, int]:
    """Load and parse the articles with this checkout's loader and model; (articles, tokens)."""
    sys.path.insert(0, str(ROOT))
    import dataclasses

    from spacy.tokens import DocBin

    from analysis.loaders import load_paths
    from analysis.nlp import load_model

    articles = load_paths(paths).articles
    nlp = load_model()
    docs = DocBin()
    tokens = 0
    for doc in nlp.pipe(a.text for a in articles):
        docs.add(doc)
        tokens += len(doc)
    docs.to_disk(out / "docs.spacy")
    (out / "articles.json").write_text(json.dumps([dataclasses.asdict(a) for a in articles]), encoding="utf-8")
    return len(articles), tokens


def child(code: str, data: str, passes: int) -> None:
    """Time `passes` passes of the checkout `code`'s extraction over the saved parse; print JSON."""
    sys.path.insert(0, code)
    from spacy.tokens import DocBin

    from analysis.nlp import load_model
    from analysis.quotes import extract_quotes
    from analysis.records import Article

    nlp = load_model()
    articles = [Article(**a) for a in json.loads((Path(data) / "articles.json").read_text(encoding="utf-8"))]
    docs = list(DocBin().from_disk(Path(data) / "docs.spacy").get_docs(nlp.vocab))
    quotes = sum(len(extract_quotes(d, a)[0]) for d, a in zip(docs, articles, strict=True))  # warm-up
    from analysis import speakers

    wall, cpu = [], []
    for _ in range(passes):
        # a memo of name keys would make a second pass over the same articles cheaper than new
        # articles are: each pass starts without it
        getattr(speakers.key_tokens, "cache_clear", lambda: None)()
        started, started_cpu = time.perf_counter(), time.process_time()
        for d, a in zip(docs, articles, strict=True):
            extract_quotes(d, a)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(json.dumps({"wall": wall, "cpu": cpu, "quotes": quotes}))


def run_child(code: Path, data: Path, passes: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(code), str(data), str(passes)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="article files or folders (default: seeds and the dev sets)")
    ap.add_argument("--baseline", required=True, type=Path, help="a checkout of the code to compare with")
    ap.add_argument("--rounds", type=int, default=5, help="timed passes per version (default 5)")
    args = ap.parse_args()
    if not (args.baseline / "analysis").is_dir():
        ap.error(f"{args.baseline} is not a checkout of this project (no analysis/ folder)")
    paths = args.paths or [str(p) for p in DEFAULT_PATHS if p.exists()]
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        n_articles, n_tokens = parse_once(paths, Path(tmp))
        versions = {"baseline": args.baseline.resolve(), "new": ROOT}
        runs: dict[str, dict[str, list[float]]] = {v: {"cpu": [], "wall": []} for v in versions}
        quotes: dict[str, int] = {}
        for _ in range(args.rounds):
            for name, code in versions.items():
                got = run_child(code, Path(tmp), 1)
                runs[name]["cpu"] += got["cpu"]
                runs[name]["wall"] += got["wall"]
                quotes[name] = got["quotes"]
    print(f"Extraction over {n_articles} parsed articles ({n_tokens:,} tokens), median of {args.rounds} passes\n")
    print("| code | CPU s / pass | wall s / pass | CPU ms / article | quotes | CPU s of each pass |")
    print("|---|---:|---:|---:|---:|---|")
    med = {v: {k: statistics.median(t) for k, t in r.items()} for v, r in runs.items()}
    for v in versions:
        print(f"| {v} | {med[v]['cpu']:.3f} | {med[v]['wall']:.3f} | {1000 * med[v]['cpu'] / n_articles:.2f} | "
              f"{quotes[v]} | {', '.join(f'{t:.3f}' for t in runs[v]['cpu'])} |")
    print(f"\nnew / baseline: {med['new']['cpu'] / med['baseline']['cpu']:.2f}x CPU time, "
          f"{med['new']['wall'] / med['baseline']['wall']:.2f}x wall time")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(main())
