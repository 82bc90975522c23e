"""Score a blind role judgement: the share of speakers whose role the judge found right.

    python eval/roles_blind/score.py ANSWERS.csv [KEY.csv]

`unclear` answers are left out of the share and counted apart; the 95 % interval is Wilson's.
Per role, the rows show where the rules go wrong, and which role the judge would give instead.
"""
from __future__ import annotations

import csv
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    answers = {r["id"]: r for r in csv.DictReader(open(argv[0], encoding="utf-8"))}
    key = {r["id"]: r for r in csv.DictReader(open(argv[1] if len(argv) > 1 else HERE / "key.csv", encoding="utf-8"))}
    missing = sorted(set(key) - {i for i, a in answers.items() if a.get("verdict", "").strip()}, key=int)
    verdicts: Counter[str] = Counter()
    per_role: dict[str, Counter[str]] = defaultdict(Counter)
    instead: dict[str, Counter[str]] = defaultdict(Counter)
    sides: Counter[str] = Counter()
    for i, k in key.items():
        a = answers.get(i, {})
        v = a.get("verdict", "").strip().lower()
        if v not in ("right", "wrong", "unclear"):
            continue
        verdicts[v] += 1
        per_role[k["role"]][v] += 1
        if v == "wrong" and a.get("correct_role", "").strip():
            instead[k["role"]][a["correct_role"].strip()] += 1
        if a.get("side_verdict", "").strip().lower() in ("right", "wrong"):
            sides[a["side_verdict"].strip().lower()] += 1
    judged = verdicts["right"] + verdicts["wrong"]
    lo, hi = wilson(verdicts["right"], judged)
    print(f"judged {judged} of {len(key)} ({verdicts['unclear']} unclear, {len(missing)} unanswered)")
    if judged:
        print(f"roles right: {verdicts['right']}/{judged} = {verdicts['right'] / judged:.1%} (95% CI {lo:.1%}-{hi:.1%})")
    if sides["right"] + sides["wrong"]:
        print(f"sides right: {sides['right']}/{sides['right'] + sides['wrong']}")
    for role, c in sorted(per_role.items(), key=lambda kv: -sum(kv[1].values())):
        wrong = ", ".join(f"{r} x{n}" for r, n in instead[role].most_common())
        line = f"  {role:13} right {c['right']:3}  wrong {c['wrong']:3}  unclear {c['unclear']:3}"
        print(line + (f"  -> {wrong}" if wrong else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
