"""The grouping on in-memory tables, and its summaries: for the `opinions` command and the tests.

`group_statements` runs the very code the corpus runs (`derive_opinions`) on pandas frames
through an in-memory DuckDB, so a command over a few files and the dashboard over a store group
alike.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from analysis.opinions.derive import TABLE, derive_opinions
from analysis.opinions.grouping import Params


def group_statements(quotes: pd.DataFrame, claims: pd.DataFrame, *, articles: pd.DataFrame | None = None,
                     roles: pd.DataFrame | None = None, entities: pd.DataFrame | None = None,
                     codebook: Path | None = None, params: Params | None = None) -> pd.DataFrame:
    """One row per quote with its subject, claim, stance and role (see `derive_opinions`).

    `quotes`: `article_id`, `start`, `text`, `speaker_key`, `kind`; `claims`: `Claim` records
    as rows; `articles`: `article_id`, `date`; `roles`: `speaker_key`, `role`, `side`;
    `entities`: mentions with `article_id`, `canonical` and the corpus `entity`, `entity_label`.
    """
    con = duckdb.connect()
    q = quotes.reset_index(drop=True).copy()
    q["quote_no"] = range(1, len(q) + 1)
    if articles is None:
        articles = pd.DataFrame({"article_id": q["article_id"].drop_duplicates(), "date": None})
    arts = articles.drop_duplicates("article_id").reset_index(drop=True).copy()
    arts["article_no"] = range(1, len(arts) + 1)
    q = q.merge(arts[["article_id", "article_no"]], on="article_id", how="left")
    for name, df in (("quotes", q), ("articles", arts), ("claims", claims), ("speakers_corpus", roles),
                     ("entities", entities)):
        if df is not None:
            con.register(f"_{name}", df)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _{name}")
            con.unregister(f"_{name}")
    derive_opinions(con, codebook, params)
    return con.execute(f"SELECT o.*, q.text FROM {TABLE} o JOIN quotes q USING (quote_no) ORDER BY quote_no").df()


def summarize_claims(grouped: pd.DataFrame, examples: int = 2) -> pd.DataFrame:
    """Per claim: subject, label, size, speakers, experts, articles, stance counts, examples."""
    rows = []
    for (subject, gid, label), g in grouped.groupby(["subject", "group_id", "group_label"], sort=False, dropna=False):
        speakers = g["speaker_key"].dropna().value_counts()
        stance = g["stance"].value_counts()
        ex = g.sort_values("claim_fit", ascending=False)
        rows.append({
            "subject": subject, "group_id": gid, "group_label": label, "statements": len(g),
            "speakers": speakers.index.tolist()[:20], "speaker_count": int(speakers.size),
            "experts": g.loc[g["role"] == "expert", "speaker_key"].dropna().unique().tolist(),
            "articles": int(g["article_id"].nunique()),
            "positive": int(stance.get("positive", 0)), "negative": int(stance.get("negative", 0)),
            "neutral": int(stance.get("neutral", 0)), "examples": ex["text"].head(examples).tolist(),
        })
    out = pd.DataFrame(rows)
    return out.sort_values("statements", ascending=False, kind="stable").reset_index(drop=True) if len(out) else out


def speaker_stances(grouped: pd.DataFrame) -> pd.DataFrame:
    """Per speaker and subject: statements leaning each way, and the phrases that decided it."""
    g = grouped.dropna(subset=["speaker_key"])
    agg = g.groupby(["speaker_key", "subject"]).agg(
        statements=("text", "size"),
        negative=("stance", lambda s: int((s == "negative").sum())),
        positive=("stance", lambda s: int((s == "positive").sum())),
        score=("stance_score", "sum"),
        evidence=("stance_evidence", lambda s: "; ".join(x for x in s if x)[:300]),
    ).reset_index()
    return agg.sort_values(["speaker_key", "statements"], ascending=[True, False]).reset_index(drop=True)
