"""A blind role-judgement kit: a random sample of speakers, each with the role the rules gave, the
phrase that decided it and the article paragraphs where the speaker is quoted or named.

The judge sees nothing else (no rule, no other speaker, no statistics), marks each role right,
wrong or "can't tell" and, when wrong, writes the role they would give; `score.py` turns the
answers into the share of roles right. The sample itself (speaker keys, roles, articles) is kept
as `key.csv`; the sheet quotes the corpus's text, so it is written outside the project (the
corpus may not be copied into it):

    python eval/roles_blind/make_kit.py --store /tmp/p84 --n 100 --seed 14 --out /tmp/roles_blind \
        --key eval/roles_blind/key-seed14.csv
    # hand /tmp/roles_blind/judge_sheet.md (and answers.csv to fill in) to the judge, then:
    python eval/roles_blind/score.py /tmp/roles_blind/answers.csv eval/roles_blind/key-seed14.csv

Each judged sample is kept as key-seedN.csv and answers-seedN.csv: seed 13 was judged before the
rules it led to (family lawyers, local-government offices, fronted appositives), seed 14 after.
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analysis.analyst_files import AnalystFiles
from analysis.corpus import open_corpus
from analysis.roles import ROLE_HELP, ROLE_LABELS
from analysis.store import Store

HERE = Path(__file__).resolve().parent
MAX_CHARS = 2500  # of article text per speaker: the paragraphs that quote or name them
INSTRUCTIONS = """# Speaker roles: blind judgement

For each speaker below you see the role a program gave them, the phrase it read the role from, and
the paragraphs of the article(s) where the speaker is quoted or named. Decide, from the text alone,
whether the role is right: the kind of source this speaker is in this coverage.

Mark each item in `answers.csv` (same `id`): `verdict` = `right`, `wrong` or `unclear` (the text does
not let you decide). When wrong, write the role you would give in `correct_role` (one of the roles
below). "Unknown" is right only if the text really does not say what kind of source the speaker is.
The side (country, party or organisation) is shown for information: mark it in `side_verdict`
(`right`, `wrong`, or leave empty when there is none).

## The roles

{roles}
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, required=True, help="folder for judge_sheet.md and answers.csv (outside the project)")
    ap.add_argument("--key", type=Path, default=HERE / "key.csv")
    args = ap.parse_args()

    store = Store(args.store)
    con = open_corpus(store, AnalystFiles())
    speakers = con.execute("SELECT speaker_key, role, role_label, side, role_evidence, entity FROM speakers_corpus "
                           "ORDER BY speaker_key").df()
    rng = random.Random(args.seed)
    sample = speakers.iloc[sorted(rng.sample(range(len(speakers)), min(args.n, len(speakers))))]
    order = list(range(len(sample)))
    rng.shuffle(order)  # the sheet's order says nothing about the speakers

    args.out.mkdir(parents=True, exist_ok=True)
    roles = "\n".join(f"- **{label}**: {ROLE_HELP[r]}" for r, label in ROLE_LABELS.items())
    sheet = [INSTRUCTIONS.format(roles=roles)]
    key_rows = []
    for item, i in enumerate(order, 1):
        row = sample.iloc[i]
        articles, excerpt = _excerpt(con, store, row.speaker_key, row.entity)
        sheet.append(_item(item, row, excerpt))
        key_rows.append({"id": item, "speaker_key": row.speaker_key, "role": row.role,
                         "side": row.side if isinstance(row.side, str) else "",
                         "evidence": row.role_evidence if isinstance(row.role_evidence, str) else "",
                         "articles": " ".join(articles)})
    (args.out / "judge_sheet.md").write_text("\n".join(sheet), encoding="utf-8")
    with (args.out / "answers.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "verdict", "correct_role", "side_verdict", "note"])
        for item in range(1, len(order) + 1):
            w.writerow([item, "", "", "", ""])
    with args.key.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "speaker_key", "role", "side", "evidence", "articles"])
        w.writeheader()
        w.writerows(key_rows)
    print(f"{len(order)} speakers: {args.out / 'judge_sheet.md'}, {args.out / 'answers.csv'}; key: {args.key}")
    return 0


def _item(item: int, row, excerpt: str) -> str:
    side = row.side if isinstance(row.side, str) else "none"
    evidence = row.role_evidence if isinstance(row.role_evidence, str) else "(none)"
    quoted = "\n".join("> " + line if line.strip() else ">" for line in excerpt.splitlines())
    return (f"\n---\n\n## Item {item}\n\n**Speaker:** {row.speaker_key}  \n**Role given:** {row.role_label}  \n"
            f"**Evidence:** {evidence}  \n**Side given:** {side}\n\n{quoted}\n")


def _excerpt(con, store: Store, key: str, entity) -> tuple[list[str], str]:
    """The paragraphs of the speaker's articles (at most two, most quoted first) that quote or name them."""
    quotes = con.execute("SELECT article_id, start, \"end\", mention_start FROM quotes WHERE speaker_key = ? "
                         "ORDER BY article_id, start", [key]).df()
    counts = quotes.groupby("article_id").size().sort_values(ascending=False)
    articles = counts.index[:2].tolist()
    parts = []
    for a in articles:
        text = store.article_text(a) or ""
        offsets = [int(x) for x in quotes.loc[quotes.article_id == a, ["start", "mention_start"]].stack().dropna()]
        if isinstance(entity, str):
            offsets += [int(x) for x in con.execute("SELECT start FROM entities WHERE article_id = ? AND entity = ?",
                                                     [a, entity]).df()["start"]]
        title = con.execute("SELECT title FROM articles WHERE article_id = ?", [a]).fetchone()
        parts.append(f"[Article: {title[0] if title and title[0] else a}]\n\n" + _paragraphs(text, offsets))
    return articles, "\n\n".join(parts)[: MAX_CHARS * 2]


def _paragraphs(text: str, offsets: list[int]) -> str:
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    keep = sorted({i for off in offsets for i, (a, b) in enumerate(spans) if a <= off < b})
    out, used = [], 0
    for i in keep:
        para = text[spans[i][0]:spans[i][1]].strip()
        if used + len(para) > MAX_CHARS and out:
            out.append("[…]")
            break
        out.append(para)
        used += len(para)
    return "\n\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
