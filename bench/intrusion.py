"""Blind statement-intrusion test (Chang et al. 2009) of the opinion claims against a baseline.

A judge sees a few statements of one group and one statement of another, and must find the one
that does not belong. If the groups say one thing each, the outsider stands out; if they are
word bags, it does not. Both systems group the same statements: the project's claims
(`analysis.opinions`) and a TF-IDF + NMF baseline with 20 topics. Tasks of both are shuffled
together with no system named; the key is written to another folder.

    python bench/intrusion.py build [--out /tmp/intrusion] [--key-dir bench/intrusion-key]
    python bench/intrusion.py proxy [--out /tmp/intrusion]   # a machine stand-in for a judge (not the measure)
    python bench/intrusion.py score ANSWERS            # ANSWERS: one "task: statement letter" a line

The judge's sheet and the statements' texts quote the corpus, so they are written outside the
project (`--out`); the project keeps the key (statement numbers, the right letters) and the
judge's answers (`bench/intrusion-key/answers-*.txt`).

`build` ingests the PolNeAR dev articles into a temporary store (parse included: about a
minute), writes `tasks.md` (the only file a judge gets, with the instruction "find the one
statement that does not belong") and, apart, `key.json`, and prints the coverage figure: the
share of statements in a claim that two or more statements share.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POLNEAR = ROOT.parent / "shared" / "corpora" / "polnear"
OUT = Path(tempfile.gettempdir()) / "intrusion"
KEY_DIR = ROOT / "bench" / "intrusion-key"
MIN_TASKS = 50
TOPICS = 20
LETTERS = "ABCDEF"
SHOWN_CHARS = 320


def statements() -> "pd.DataFrame":  # noqa: F821 - pandas is imported inside
    """The PolNeAR dev statements with their claims, through the real ingest and corpus steps."""
    from analysis.analyst_files import AnalystFiles
    from analysis.corpus import open_corpus
    from analysis.pipeline import ingest
    from analysis.store import Store

    with tempfile.TemporaryDirectory(prefix="intrusion-") as tmp:
        store = Store(Path(tmp) / "store")
        ingest([POLNEAR / "dev" / "text"], store, metadata=POLNEAR / "metadata.tsv")
        con = open_corpus(store, AnalystFiles())
        return con.execute("SELECT o.quote_no, q.text, o.subject, o.claim_id, o.claim_size FROM opinions o "
                           "JOIN quotes q USING (quote_no) ORDER BY o.quote_no").df()


def nmf_topics(texts: list[str], seed: int = 0) -> list[int]:
    """The baseline: TF-IDF (English stop words, words in two statements or more) and NMF."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(stop_words="english", min_df=2, sublinear_tf=True).fit_transform(texts)
    W = NMF(n_components=TOPICS, random_state=seed, init="nndsvd", max_iter=400).fit_transform(X)
    return W.argmax(axis=1).tolist()


def tasks_for(groups: dict[str, list[int]], system: str, rnd: random.Random, minimum: int) -> list[dict]:
    """One task per group of three statements or more (five + one from six on, three + one below),
    then more from the largest groups, with other members, until `minimum` tasks."""
    every = [i for g in groups.values() for i in g]
    eligible = sorted((g for g in groups if len(groups[g]) >= 3), key=lambda g: (-len(groups[g]), g))
    out, used = [], set()
    rounds = 0
    while eligible and (rounds == 0 or len(out) < minimum) and rounds < 20:
        for g in eligible if rounds == 0 else eligible[:max(1, minimum - len(out))]:
            members = groups[g]
            k = 5 if len(members) >= 6 else 3
            pick = tuple(sorted(rnd.sample(members, k)))
            if (g, pick) in used:
                continue
            used.add((g, pick))
            inside = set(members)
            intruder = rnd.choice([i for i in every if i not in inside])
            out.append({"system": system, "group": g, "members": list(pick), "intruder": intruder})
        rounds += 1
    return out


def build(out: Path, key_dir: Path, seed: int) -> None:
    df = statements()
    texts = df["text"].fillna("").tolist()
    shared = float((df["claim_size"] >= 2).mean())
    claims: dict[str, list[int]] = {}
    for i, c in enumerate(df["claim_id"]):
        claims.setdefault(str(c), []).append(i)
    topics: dict[str, list[int]] = {}
    for i, t in enumerate(nmf_topics(texts, seed)):
        topics.setdefault(f"topic{t}", []).append(i)
    rnd = random.Random(seed)
    tasks = tasks_for(claims, "claims", rnd, MIN_TASKS) + tasks_for(topics, "tfidf-nmf", rnd, MIN_TASKS)
    rnd.shuffle(tasks)
    lines = ["# Which statement does not belong?", "",
             "Each task lists statements from news coverage. All but one were grouped together; find the one "
             "statement that does not belong. Answer one line per task: `task number: letter` (e.g. `7: C`).", ""]
    key = []
    for n, t in enumerate(tasks, start=1):
        shown = t["members"] + [t["intruder"]]
        rnd.shuffle(shown)
        lines.append(f"## Task {n}")
        lines += [f"- **{LETTERS[j]}.** {_clip(texts[i])}" for j, i in enumerate(shown)]
        lines.append("")
        key.append({"task": n, "system": t["system"], "group": t["group"],
                    "answer": LETTERS[shown.index(t["intruder"])], "statements": [int(df.at[i, "quote_no"]) for i in shown]})
    out.mkdir(parents=True, exist_ok=True)
    key_dir.mkdir(parents=True, exist_ok=True)
    (out / "tasks.md").write_text("\n".join(lines), encoding="utf-8")
    (key_dir / "key.json").write_text(json.dumps({"seed": seed, "statements": len(df), "shared_claim_share": shared,
                                                  "tasks": key}, indent=1), encoding="utf-8")
    (out / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    per = {s: sum(1 for t in tasks if t["system"] == s) for s in ("claims", "tfidf-nmf")}
    print(f"{len(df)} statements; {shared:.1%} in a claim shared by two or more; tasks {per}; "
          f"claims of 3+: {sum(1 for g in claims.values() if len(g) >= 3)}")
    print(f"judge file: {out / 'tasks.md'}; key: {key_dir / 'key.json'}")


def score(answers: Path, key_dir: Path) -> None:
    key = json.loads((key_dir / "key.json").read_text(encoding="utf-8"))
    given = {}
    for line in answers.read_text(encoding="utf-8").splitlines():
        # "7: C", also "Task 7: C", "7. C", "7 - **C**"
        m = re.match(r"\s*(?:task\s*)?(\d+)\s*[:.)\-]\s*\**\s*([A-F])\b", line, re.IGNORECASE)
        if m:
            given[int(m.group(1))] = m.group(2).upper()
    for system in ("claims", "tfidf-nmf"):
        mine = [t for t in key["tasks"] if t["system"] == system]
        right = sum(given.get(t["task"]) == t["answer"] for t in mine)
        answered = sum(t["task"] in given for t in mine)
        print(f"{system}: {right}/{len(mine)} intruders found ({right / max(1, len(mine)):.0%}); {answered} answered")
    print(f"statements in a shared claim: {key['shared_claim_share']:.1%} of {key['statements']}")


def proxy(key_dir: Path, out: Path) -> None:
    """A machine judge: the statement least similar (TF-IDF cosine) to the others. Only a sanity
    check on the tasks; the measure is a reader's judgement."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    key = json.loads((key_dir / "key.json").read_text(encoding="utf-8"))
    texts = json.loads((out / "texts.json").read_text(encoding="utf-8"))
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(texts)
    by_no = {}
    for t in key["tasks"]:
        by_no.update({q: None for q in t["statements"]})
    for system in ("claims", "tfidf-nmf"):
        right = total = 0
        for t in (t for t in key["tasks"] if t["system"] == system):
            X = vec.transform([texts[q - 1] if q - 1 < len(texts) else "" for q in t["statements"]])
            S = (X @ X.T).toarray()
            mean = (S.sum(axis=1) - 1) / (len(S) - 1)
            right += LETTERS[int(mean.argmin())] == t["answer"]
            total += 1
        print(f"proxy judge, {system}: {right}/{total} ({right / max(1, total):.0%})")


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS].rsplit(" ", 1)[0] + " …"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python bench/intrusion.py")
    ap.add_argument("command", choices=("build", "score", "proxy"))
    ap.add_argument("answers", nargs="?", type=Path)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--key-dir", type=Path, default=KEY_DIR)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.command == "build":
        build(args.out, args.key_dir, args.seed)
    elif args.command == "score":
        if args.answers is None:
            ap.error("score needs the answers file")
        score(args.answers, args.key_dir)
    else:
        proxy(args.key_dir, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
