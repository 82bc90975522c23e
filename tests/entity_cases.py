"""Entity-mention tables the entity tests share: a written article, table builders, lookups."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.entities import extract_entities
from analysis.records import Article, EntityMention

COLUMNS = list(EntityMention.__dataclass_fields__)


WRITTEN = Article(
    article_id="written-trump",
    source="written.txt",
    text="President Donald Trump met reporters at the White House on Monday. "
         "Trump said the talks with North Korea would resume.",
)


def frame(mentions: list[EntityMention]) -> pd.DataFrame:
    return pd.DataFrame([m.__dict__ for m in mentions], columns=COLUMNS)


def article_mentions(seed_mentions, stem: str) -> list[EntityMention]:
    return next(ms for src, ms in seed_mentions.items() if Path(src).name.startswith(stem))


def run_on(nlp, text: str) -> list[EntityMention]:
    return extract_entities(nlp(text), Article(article_id="t", source="t.txt", text=text))


def table(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(article_id, canonical, label) rows as a mentions table."""
    return pd.DataFrame([dict(article_id=a, start=i, end=i + 1, text=c, label=lab, canonical=c, sentence=0)
                         for i, (a, c, lab) in enumerate(rows)], columns=COLUMNS)


def entity_of(df: pd.DataFrame, canonical: str) -> str:
    values = set(df[df.canonical == canonical].entity)
    assert len(values) == 1, values
    return values.pop()


def titled(rows: list[tuple[str, str, str, str, str | None]]) -> pd.DataFrame:
    """(article_id, text, canonical, label, title) rows as a mentions table."""
    return pd.DataFrame([dict(article_id=a, start=i, end=i + 1, text=t, label=lab, canonical=c, sentence=0,
                              title=ti) for i, (a, t, c, lab, ti) in enumerate(rows)], columns=COLUMNS)
