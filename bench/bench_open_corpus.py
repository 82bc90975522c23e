"""Time `open_corpus` on a store in a fresh process: run it twice, the first derives and caches
the corpus tables (after an ingest), the second attaches the cache (every app start after it).

    python bench/bench_open_corpus.py /tmp/bench-scale/store-100000    # then again
"""
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

t = time.time()
from analysis.corpus import open_corpus  # noqa: E402
from analysis.store import Store  # noqa: E402

con = open_corpus(Store(sys.argv[1]))
n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
print(f"open_corpus {time.time() - t:.1f}s articles={n} "
      f"maxrss={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}MB")
