"""Re-read judged samples against a store built with today's rules: which judged speakers now get
another role, and what the old verdicts would score if every unchanged role kept its verdict.

A guide for rule work, not a judgement: a changed role counts as right only when it is the role the
judge wrote; a fresh blind sample (`make_kit.py`) is the measurement.

    python eval/roles_blind/rescore.py --store /tmp/p84 --seeds 13 14 15
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analysis.analyst_files import AnalystFiles
from analysis.corpus import open_corpus
from analysis.roles import role_id
from analysis.store import Store

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 14, 15])
    args = ap.parse_args()
    con = open_corpus(Store(args.store), AnalystFiles())
    now = (con.execute("SELECT speaker_key, role, role_evidence FROM speakers_corpus").df()
           .drop_duplicates("speaker_key").set_index("speaker_key"))
    for seed in args.seeds:
        judged = pd.read_csv(HERE / f"key-seed{seed}.csv").merge(pd.read_csv(HERE / f"answers-seed{seed}.csv"), on="id")
        judged = judged[judged.verdict != "unclear"]
        right = 0
        lines = []
        for r in judged.itertuples():
            role = now.loc[r.speaker_key, "role"] if r.speaker_key in now.index else r.role
            wanted = role_id(r.correct_role) if isinstance(r.correct_role, str) else None
            if role == r.role:
                right += r.verdict == "right"
                continue
            right += role == wanted
            mark = "fixed" if role == wanted else ("was right" if r.verdict == "right" else "still wrong")
            lines.append(f"  {mark}: {r.speaker_key[:60]!r} {r.role} -> {role} (judge: {r.verdict}, {wanted})")
        before = (judged.verdict == "right").sum()
        print(f"seed {seed}: {len(judged)} judged; right then {before} ({100 * before / len(judged):.1f}%), "
              f"now {right} ({100 * right / len(judged):.1f}%) if unchanged roles keep their verdicts")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
