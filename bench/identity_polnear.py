"""Who is who on PolNeAR: the top PERSON entities, the top speakers and the role coverage.

The issue's acceptance check (issue 13): among the 60 most-mentioned PERSON entities and the 40
most-quoted speakers of a corpus, how many rows are not a person, the same person twice, a
headline fragment or a wrong merge; and the share of quoted statements whose speaker has a
known role. The rows are printed with what an analyst needs to judge them (variants merged into
each entity with their counts, the role's evidence); the judging is by reading.

    python bench/identity_polnear.py --store /tmp/p84 [--ingest DIR --metadata FILE]

With `--ingest`, the articles in DIR are ingested into the store first (a store that already
has them is left as it is). Markdown to stdout.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.analyst_files import AnalystFiles
from analysis.corpus import open_corpus
from analysis.store import Store


def _s(value) -> str:
    return value if isinstance(value, str) else ""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--ingest", type=Path, nargs="*", help="article files or folders to ingest first")
    ap.add_argument("--metadata", type=Path)
    ap.add_argument("--people", type=int, default=60)
    ap.add_argument("--speakers", type=int, default=40)
    args = ap.parse_args()

    store = Store(args.store)
    if args.ingest:
        from analysis.pipeline import ingest

        ingest([str(p) for p in args.ingest], store, metadata=str(args.metadata) if args.metadata else None)
    con = open_corpus(store, AnalystFiles())
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"# Who is who: {args.store} ({n_articles} articles)\n")

    people = con.execute(f"""
        SELECT entity, count(*) AS mentions, count(DISTINCT article_id) AS articles
        FROM entities WHERE entity_label = 'PERSON'
        GROUP BY entity ORDER BY mentions DESC, entity LIMIT {args.people}
    """).df()
    variants = dict(con.execute("""
        SELECT entity, string_agg(form || ' (' || n || ')', ', ' ORDER BY n DESC)
        FROM (SELECT entity, text AS form, count(*) AS n FROM entities WHERE entity_label = 'PERSON' GROUP BY ALL)
        GROUP BY entity
    """).fetchall())
    print(f"## {args.people} most-mentioned PERSON entities\n")
    print("| # | entity | mentions | articles | mention texts |\n|---|---|---|---|---|")
    for i, r in enumerate(people.itertuples(index=False), 1):
        forms = variants.get(r.entity, "")
        print(f"| {i} | {r.entity} | {r.mentions} | {r.articles} | {forms[:160]} |")

    speakers = con.execute(f"""
        SELECT q.speaker_key, count(*) AS quotes, count(DISTINCT q.article_id) AS articles,
               any_value(s.role) AS role, any_value(s.side) AS side, any_value(s.role_evidence) AS evidence,
               string_agg(DISTINCT q.speaker, ' | ') AS names
        FROM quotes q LEFT JOIN speakers_corpus s USING (speaker_key)
        WHERE q.speaker_key IS NOT NULL
        GROUP BY q.speaker_key ORDER BY quotes DESC, q.speaker_key LIMIT {args.speakers}
    """).df()
    print(f"\n## {args.speakers} most-quoted speakers\n")
    print("| # | speaker | quotes | articles | role | side | evidence | names merged |\n|---|---|---|---|---|---|---|---|")
    for i, r in enumerate(speakers.itertuples(index=False), 1):
        print(f"| {i} | {r.speaker_key} | {r.quotes} | {r.articles} | {r.role} | {_s(r.side)} | "
              f"{_s(r.evidence)[:80]} | {_s(r.names)[:80]} |")

    total, attributed, known = con.execute("""
        SELECT count(*), count(q.speaker_key), count(*) FILTER (WHERE s.role IS NOT NULL AND s.role <> 'unknown')
        FROM quotes q LEFT JOIN speakers_corpus s USING (speaker_key)
    """).fetchone()
    print(f"\n## Roles\n\nquoted statements: {total}; with a speaker: {attributed}; "
          f"speaker with a known role: {known} ({known / max(total, 1):.1%} of all statements, "
          f"{known / max(attributed, 1):.1%} of attributed ones)\n")
    for role, n in con.execute("""
        SELECT coalesce(s.role, '(no speaker)'), count(*) FROM quotes q LEFT JOIN speakers_corpus s USING (speaker_key)
        GROUP BY 1 ORDER BY 2 DESC""").fetchall():
        print(f"- {role}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
