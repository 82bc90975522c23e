"""Corpus-wide entity names: the alias table, label majority and short-name merging.

This runs when the corpus tables are derived (`analysis.derive`), not at ingest, so an analyst
who edits an alias file sees the effect on the next derivation without re-parsing anything. It
works on what DuckDB counts over the mentions (`resolve_table`): per distinct name and label,
per distinct written form, and per article's distinct PERSON mention with its number; Python
decides on those with dict lookups, and the result is joined back onto the mentions in SQL. The
8.5 million mentions of 100,000 articles are never all in Python's memory.

Alias files
-----------
CSV with a header `alias,canonical[,label][,group]`; lines whose first cell starts with `#` are
comments. Matching ignores case, full stops, typographic quotes and a leading "the", so `U.S.`,
`US` and `the U.S.` are one alias. The shipped defaults (`analysis/data/aliases.csv`: countries,
their abbreviations and demonyms, a few agencies and parties) are always read first; the
analyst's files are read after them and win on any alias they repeat. The analyst's files are:

* every path in `$ANALYSIS_ALIASES` (several separated by `os.pathsep`), if the variable is set;
* otherwise `aliases.csv` in the store directory, if there is one;
* otherwise `aliases.csv` in the working directory, if there is one.

`label` forces the entity's type; `group` names what a view may group the entity under (the
demonym `North Korean` under `North Korea`); entities without a group are their own group. A row
whose alias equals its canonical name (`Clinton,Clinton`) pins the name: it is never merged
automatically, which is how an analyst undoes a wrong automatic merge.

Automatic merging (names that no alias row mentions)
---------------------------------------------------
1. Spellings that differ only in case or full stops join the most frequent spelling.
2. Each name gets the label most of its mentions carry across the corpus.
3. PERSON names: `Donald J. Trump` joins `Donald Trump` (same first and last word, one has no
   middle); a one-word name joins the multi-word person whose last or first word it is, when
   that person is named in at least twice as many articles as all other such people together:
   `Trump` -> `Donald Trump`, `Clinton` -> `Hillary Clinton`, `Hillary` -> `Hillary Clinton`
   (and that person appears in at least a third as many articles as the word alone),
   while `Kim` with two equally common Kims, or `Bush` with Jeb and George W., stays as it is.
   A name that is a more frequent person's name plus stray words at either end (`Floridians Jeb
   Bush`, a headline fragment) joins that person.
4. NORP plurals join their singular (or the other way, whichever is more frequent).
5. Then, mention by mention, what the article itself says overrides the name-level guess for
   a surname the article left open: its title ("Mr.", "Mrs.", "President") and the article's
   other mentions of the same surname (`analysis.corpus_people`), so that "Mr. Obama" never
   joins Michelle Obama however many articles name her.
"""
from __future__ import annotations

import csv
import re
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from analysis import wordlists
from analysis.corpus_people import dominant, fix_short_forms, looks_like_full_name, person_parts
from analysis.entities import NORP, PERSON, normalise
from analysis.names import INSTITUTION_WORDS, is_suffix
from analysis.store import create_table

VERSION = "4"  # part of the corpus cache key: a change here re-derives the corpus tables

DEFAULT_ALIASES = Path(__file__).resolve().parent / "data" / "aliases.csv"

_KEY_TRANSLATE = str.maketrans({"\u2019": "'", "\u2018": "'", ".": "", "\u00a0": " "})


def name_key(name: str) -> str:
    """The form two spellings of one name share: `U.S.` ~ `US` ~ `the U.S.`."""
    key = " ".join(name.translate(_KEY_TRANSLATE).casefold().split())
    return key[4:] if key.startswith("the ") else key


@dataclass(frozen=True)
class Alias:
    canonical: str
    label: str | None = None
    group: str | None = None


def load_aliases(files: list[Path], *, include_defaults: bool = True) -> dict[str, Alias]:
    """Alias key -> Alias; later files override earlier ones. A missing file is a warning."""
    table: dict[str, Alias] = {}
    for path in ([DEFAULT_ALIASES] if include_defaults else []) + [Path(f) for f in files]:
        try:
            handle = open(path, newline="", encoding="utf-8-sig")
        except OSError as exc:
            warnings.warn(f"alias file {path} not read: {exc}", stacklevel=2)
            continue
        with handle:
            rows = (line for line in handle if not line.lstrip().startswith("#"))
            for row in csv.DictReader(rows):
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
                alias, canonical = row.get("alias", ""), row.get("canonical") or row.get("entity", "")
                if not alias or not canonical:
                    continue
                table[name_key(alias)] = Alias(canonical, row.get("label") or None, row.get("group") or None)
    # A canonical name is an alias of itself unless a row says otherwise, so that mentions of the
    # canonical spelling get the row's label and group too.
    for alias in list(table.values()):
        table.setdefault(name_key(alias.canonical), alias)
    return table


def resolve_corpus_entities(mentions: pd.DataFrame, alias_files: list[Path], *,
                            include_defaults: bool = True) -> pd.DataFrame:
    """The mentions table with `entity`, `entity_label` and `group` columns added (a copy)."""
    out = mentions.copy(deep=False)  # new columns only: the caller's frame is left as it was
    if out.empty:
        for col in ("entity", "entity_label", "group"):
            out[col] = pd.Series(dtype="string")
        return out
    con = duckdb.connect()
    try:
        create_table(con, "_mentions", out)  # keeps the row order (rowid), which the SELECT sorts by
        got = con.execute(resolve_table(con, "_mentions", alias_files, include_defaults=include_defaults)).df()
    finally:
        con.close()
    for col in ("entity", "entity_label", "group"):
        out[col] = pd.array(got[col].tolist(), dtype="string")
    return out


# The temporary tables `resolve_table` leaves for the SELECT it returns.
_HELPERS = ("_en_counts", "_en_names", "_en_labels", "_en_texts", "_en_first", "_en_map", "_en_fixed", "_en_entities")


def resolve_table(con: duckdb.DuckDBPyConnection, table: str, alias_files: list[Path], *,
                  include_defaults: bool = True, order: str = "m.rowid", sort: bool = True) -> str:
    """A SELECT of `table`'s rows (a DuckDB table of mentions) with `entity`, `entity_label` and
    `group` added, sorted by `order` unless not `sort` (SQL over the table's columns: the order
    in which names and labels first occur also decides a tie between two labels); it reads
    temporary tables made here (`drop_helpers`).

    The names are resolved from counts DuckDB makes over the mentions (per distinct name and
    label, per distinct written form, per article and short form), not from the mentions
    themselves: 8.5 million mentions at 100,000 articles come down to a few hundred thousand
    names and forms, and the mentions are read only by SQL, within DuckDB's memory limit."""
    aliases = load_aliases(list(alias_files), include_defaults=include_defaults)
    cols = _table_columns(con, table)
    title = 'm."title"::VARCHAR' if "title" in cols else "NULL::VARCHAR"
    drop_helpers(con)
    # One pass over the mentions: per (name, label), its mentions, the first it occurs at and
    # (for PERSON) its articles. Names and labels are numbered in the order they first occur
    # (ties between labels go to the first).
    con.execute(f"""
        CREATE TEMP TABLE _en_counts AS
        SELECT canonical::VARCHAR AS canonical, label::VARCHAR AS label, count(*) AS n, min(({order})) AS first_row,
               count(DISTINCT article_id) FILTER (WHERE label = '{PERSON}') AS articles
        FROM {table} m GROUP BY ALL""")
    for name, col in (("_en_names", "canonical"), ("_en_labels", "label")):
        con.execute(f"""
            CREATE TEMP TABLE {name} AS
            SELECT {col}, (row_number() OVER (ORDER BY first_row) - 1)::BIGINT AS code
            FROM (SELECT {col}, min(first_row) AS first_row FROM _en_counts WHERE {col} IS NOT NULL GROUP BY {col})""")
    names: list[str] = [r[0] for r in con.execute("SELECT canonical FROM _en_names ORDER BY code").fetchall()]
    labels: list[str] = [r[0] for r in con.execute("SELECT label FROM _en_labels ORDER BY code").fetchall()]
    n_names, n_labels = len(names), len(labels)
    keep = ", ".join(f'm."{c}"' for c in cols if c not in ("entity", "entity_label", "group"))
    if not n_names or not n_labels:
        return f"""SELECT {keep}, NULL::VARCHAR AS entity, NULL::VARCHAR AS entity_label, NULL::VARCHAR AS "group"
                   FROM {table} m{f" ORDER BY {order}" if sort else ""}"""
    # Mentions per (name, label) and articles per name; article counts only decide between
    # people, so only PERSON mentions are counted.
    counts = con.execute("""
        SELECT n.code AS name, l.code AS label, c.n, coalesce(c.articles, 0) AS articles FROM _en_counts c
        JOIN _en_names n ON n.canonical = c.canonical JOIN _en_labels l ON l.label = c.label""").fetchnumpy()
    label_counts = np.zeros((n_names, n_labels), dtype=np.int64)
    label_counts[np.asarray(counts["name"]), np.asarray(counts["label"])] = np.asarray(counts["n"])
    article_counts = np.zeros(n_names, dtype=np.int64)
    np.add.at(article_counts, np.asarray(counts["name"]), np.asarray(counts["articles"], dtype=np.int64))
    _person_texts(con, table)

    mapping, forced = _resolve_names(names, labels, label_counts, article_counts, aliases,
                                     _first_name_uses(con, table, names, labels, label_counts))

    # One label per entity: forced by an alias row, else the majority of its mentions.
    entities = list(dict.fromkeys(mapping[n] for n in names))
    entity_index = {e: i for i, e in enumerate(entities)}
    entity_of_name = np.fromiter((entity_index[mapping[n]] for n in names), dtype=np.int64, count=n_names)
    per_entity = np.zeros((len(entities), n_labels), dtype=np.int64)
    for j in range(n_labels):
        per_entity[:, j] = np.bincount(entity_of_name, weights=label_counts[:, j], minlength=len(entities))
    person_entity = np.array(labels)[per_entity.argmax(axis=1)] == PERSON if PERSON in labels \
        else np.zeros(len(entities), dtype=bool)
    arts_of_entity = np.bincount(entity_of_name, weights=article_counts, minlength=len(entities))
    # What the articles say about their short forms, from their PERSON mentions (and the titled
    # mentions of full names, whose titles tell a person's gender and office), identical mentions
    # of an article counted once with their number.
    people = con.execute(f"""
        SELECT m.article_id::VARCHAR AS article_id, m.text::VARCHAR AS text, m.canonical::VARCHAR AS canonical,
               m.label::VARCHAR AS label, {title} AS title,
               n.code AS name, l.code AS label_code, count(*)::BIGINT AS n
        FROM {table} m JOIN _en_names n ON n.canonical = m.canonical JOIN _en_labels l ON l.label = m.label
        WHERE m.label = '{PERSON}' OR ({title} IS NOT NULL AND contains(m.canonical, ' '))
        GROUP BY ALL ORDER BY ALL""").df()
    before = entity_of_name[people["name"].to_numpy(dtype=np.int64)]
    weights = people["n"].astype(np.int64).tolist()
    ent_codes = fix_short_forms(people, before, entities, person_entity, arts_of_entity, forced, weights)
    moved = np.flatnonzero(ent_codes != before)
    if len(entities) > len(per_entity):  # bare surnames made entities of their own
        per_entity = np.vstack([per_entity, np.zeros((len(entities) - len(per_entity), n_labels), dtype=np.int64)])
    label_code = people["label_code"].to_numpy(dtype=np.int64)
    n = people["n"].to_numpy(dtype=np.int64)
    np.subtract.at(per_entity, (before[moved], label_code[moved]), n[moved])
    np.add.at(per_entity, (ent_codes[moved], label_code[moved]), n[moved])
    majority = [labels[j] for j in per_entity.argmax(axis=1)]
    entity_label, group = [], []
    for ent, lab in zip(entities, majority, strict=True):
        alias = forced.get(ent)
        entity_label.append(alias.label if alias and alias.label else lab)
        group.append(alias.group if alias and alias.group else ent)

    create_table(con, "_en_map", pa.table({
        "canonical": pa.array(names, pa.string()),
        "entity": pa.array([entities[e] for e in entity_of_name.tolist()], pa.string())}), temporary=True)
    fixed = people.iloc[moved]
    create_table(con, "_en_fixed", pa.table({
        "article_id": _strings(fixed["article_id"]), "text": _strings(fixed["text"]),
        "canonical": _strings(fixed["canonical"]), "title": _strings(fixed["title"]),
        "entity": pa.array([entities[e] for e in ent_codes[moved].tolist()], pa.string())}), temporary=True)
    create_table(con, "_en_entities", pa.table({
        "entity": pa.array(entities, pa.string()), "entity_label": pa.array(entity_label, pa.string()),
        "group": pa.array(group, pa.string())}), temporary=True)
    del people, fixed
    return f"""
        SELECT {keep}, e.entity, e.entity_label, e."group"
        FROM {table} m
        LEFT JOIN _en_map n ON n.canonical = m.canonical
        LEFT JOIN _en_fixed f ON m.label = '{PERSON}' AND f.article_id = m.article_id AND f.text = m.text
             AND f.canonical = m.canonical AND f.title IS NOT DISTINCT FROM {title}
        LEFT JOIN _en_entities e ON e.entity = coalesce(f.entity, n.entity){f" ORDER BY {order}" if sort else ""}"""


def drop_helpers(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temporary tables of `resolve_table` (once its SELECT has been run)."""
    for name in _HELPERS:
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]


def _strings(column: pd.Series) -> pa.Array:
    return pa.array([v if isinstance(v, str) else None for v in column.tolist()], pa.string())


_SPACE = re.compile(r"\s")


def _person_texts(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """`_en_texts`: per distinct written form that a short-name rule reads (of PERSON mentions, and
    one-word texts of multi-word names), the name it writes (`normalise`) and whether it is one
    word (no whitespace of any kind)."""
    texts = [r[0] for r in con.execute(f"""
        SELECT DISTINCT text::VARCHAR FROM {table}
        WHERE text IS NOT NULL AND (label = '{PERSON}' OR contains(canonical, ' '))""").fetchall()]
    create_table(con, "_en_texts", pa.table({
        "text": pa.array(texts, pa.string()), "form": pa.array([normalise(t, PERSON) for t in texts], pa.string()),
        "one_word": pa.array([not _SPACE.search(t) for t in texts], pa.bool_())}), temporary=True)


def _first_name_uses(con: duckdb.DuckDBPyConnection, table: str, names: list[str], labels: list[str],
                     label_counts: np.ndarray) -> set[tuple[str, str]]:
    """(word, full name) pairs that license reading a lone first name as that person: an article
    itself wrote it alone for them ("Hillary" resolved to "Hillary Clinton"), or an article that
    writes the first name alone also names the family ("Chelsea" beside "Clinton")."""
    pairs = con.execute(f"""
        SELECT DISTINCT t.form, m.canonical::VARCHAR FROM {table} m JOIN _en_texts t ON t.text = m.text
        WHERE t.one_word AND contains(m.canonical, ' ')""").fetchall()
    uses = {(form, c) for form, c in pairs if c.split(" ")[0] == form}
    person = label_counts[:, labels.index(PERSON)] > 0 if PERSON in labels else np.zeros(len(names), dtype=bool)
    rows: list[tuple[str, str, str]] = []
    for name, is_person in zip(names, person.tolist(), strict=True):
        if is_person and " " in name and (parts := person_parts(name)) is not None:
            rows.append((parts[0][0], name, name.split(" ")[-1]))
    create_table(con, "_en_first", pa.table({
        "first": pa.array([r[0] for r in rows], pa.string()), "full": pa.array([r[1] for r in rows], pa.string()),
        "last": pa.array([r[2] for r in rows], pa.string())}), temporary=True)
    # An article's one-word PERSON forms: a first name whose person's last name is among them.
    found = con.execute(f"""
        WITH w AS (SELECT DISTINCT m.article_id, t.form FROM {table} m JOIN _en_texts t ON t.text = m.text
                   WHERE t.one_word AND m.label = '{PERSON}')
        SELECT DISTINCT b.first, b.full FROM w JOIN _en_first b ON b.first = w.form
        JOIN w w2 ON w2.article_id = w.article_id AND w2.form = b.last""").fetchall()
    uses.update((w, full) for w, full in found)
    return uses


def _resolve_names(names: list[str], labels: list[str], label_counts: np.ndarray, article_counts: np.ndarray,
                   aliases: dict[str, Alias], first_name_uses: set[tuple[str, str]] | None = None
                   ) -> tuple[dict[str, str], dict[str, Alias]]:
    """name -> entity for every distinct canonical name, and entity -> alias row for pinned entities."""
    mapping, forced = _spellings(names, label_counts.sum(axis=1), aliases)
    pinned = set(forced)

    # Label counts and article counts of each surviving name, summed over its spellings.
    targets = list(dict.fromkeys(mapping.values()))
    index = {t: i for i, t in enumerate(targets)}
    target_of = np.fromiter((index[mapping[n]] for n in names), dtype=np.int64, count=len(names))
    sums = np.zeros((len(targets), len(labels)), dtype=np.int64)
    for j in range(len(labels)):
        sums[:, j] = np.bincount(target_of, weights=label_counts[:, j], minlength=len(targets))
    art_sums = np.bincount(target_of, weights=article_counts, minlength=len(targets))
    arts: Counter[str] = Counter(dict(zip(targets, art_sums.astype(int).tolist(), strict=True)))
    mentions_of: Counter[str] = Counter(dict(zip(targets, sums.sum(axis=1).tolist(), strict=True)))
    majority = dict(zip(targets, (labels[j] for j in sums.argmax(axis=1)), strict=True))
    for name, alias in forced.items():
        if alias.label:
            majority[name] = alias.label

    persons = [n for n, lab in majority.items() if lab == PERSON]
    merge: dict[str, str] = {}
    _merge_middle_names(persons, arts, pinned, merge)
    _merge_fragments(persons, arts, pinned, merge)
    uses = {(w, mapping.get(c, c)) for w, c in first_name_uses or ()}
    _merge_short_names(persons, arts, pinned, merge, uses)
    _merge_norp_plurals(majority, mentions_of, pinned, merge)

    def final(name: str) -> str:
        seen = set()
        while name in merge and name not in seen:
            seen.add(name)
            name = merge[name]
        return name

    return {name: final(entity) for name, entity in mapping.items()}, forced


def _spellings(names: list[str], mention_counts: np.ndarray,
               aliases: dict[str, Alias]) -> tuple[dict[str, str], dict[str, Alias]]:
    """1. Alias rows, then spellings that differ in case or full stops (the most frequent wins)."""
    mapping: dict[str, str] = {}
    forced: dict[str, Alias] = {}
    best_of_key: dict[str, int] = {}
    keys = [name_key(name) for name in names]
    for i, name in enumerate(names):
        alias = aliases.get(keys[i])
        if alias is not None:
            mapping[name] = alias.canonical
            forced[alias.canonical] = alias
            continue
        best = best_of_key.get(keys[i])
        if best is None or (mention_counts[i], names[i]) > (mention_counts[best], names[best]):
            best_of_key[keys[i]] = i
    for name, key in zip(names, keys, strict=True):
        if name not in mapping:
            mapping[name] = names[best_of_key[key]]
    return mapping, forced


def _merge_middle_names(persons: list[str], arts: Counter[str], pinned: set[str], merge: dict[str, str]) -> None:
    """`Donald J. Trump` -> `Donald Trump`: same first and last word, a middle name or none; a
    first name and its common short form are one ("Len Burman" / "Leonard E. Burman")."""
    by_first_last: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    middles: dict[str, str] = {}
    formal = nicknames()
    for name in persons:
        parts = person_parts(name)
        if parts is not None:
            (first, last, suffix), middles[name] = parts
            by_first_last[(formal.get(first.lower(), first.lower()), last, suffix)].append(name)
    _suffix_variants(by_first_last, middles)
    for group in by_first_last.values():
        if len(group) < 2:
            continue
        distinct = {middles[n] for n in group if middles[n]}
        target = max(group, key=lambda n: (n in pinned, arts[n], -len(n), n))
        tm = middles[target]
        for name in group:
            m = middles[name]
            if name != target and name not in pinned and \
                    (m == tm or (not m and len(distinct) <= 1) or (not tm and len(distinct) <= 1)):
                merge[name] = target


def _suffix_variants(by_first_last: dict[tuple[str, str, str], list[str]], middles: dict[str, str]) -> None:
    """"Joseph R. Biden Jr." and "Joseph R. Biden": one person when the same middle name stands in
    both (the suffix dropped); without a middle name "Donald Trump Jr." stays his father's son."""
    for (first, last, suffix), group in list(by_first_last.items()):
        plain = by_first_last.get((first, last, ""))
        if not suffix or not plain:
            continue
        for name in list(group):
            if middles[name] and any(middles[p] == middles[name] for p in plain):
                plain.append(name)
                group.remove(name)


@lru_cache(maxsize=1)
def nicknames() -> dict[str, str]:
    """Nickname -> formal given name (`analysis/data/nicknames.tsv`)."""
    return {row[0].lower(): row[1].lower() for row in wordlists.table("nicknames.tsv") if len(row) >= 2}


def _merge_fragments(persons: list[str], arts: Counter[str], pinned: set[str], merge: dict[str, str]) -> None:
    """A longer name that is a known person plus stray words of a headline ("Floridians Jeb Bush",
    "Billy Bush Joins") joins that person; name suffixes are not stray words."""
    person_set = set(persons)
    for name in persons:
        words = name.split(" ")
        if name in merge or name in pinned or len(words) < 3 or is_suffix(words[-1]):
            continue
        if any(w.strip(".,'").lower() in INSTITUTION_WORDS for w in words):
            continue  # "Hillary Clinton Foundation" is not Hillary Clinton
        for size in range(len(words) - 1, 1, -1):
            inner = [" ".join(words[:size]), " ".join(words[-size:])]
            hit = [n for n in inner if n in person_set and arts[n] > arts[name] and looks_like_full_name(n)]
            if hit:
                merge[name] = max(hit, key=lambda n: arts[n])
                break


def _merge_short_names(persons: list[str], arts: Counter[str], pinned: set[str], merge: dict[str, str],
                       first_name_uses: set[tuple[str, str]]) -> None:
    """A one-word name joins the dominant person whose surname or first name it is (in at least
    twice the articles of all others), unless that "full name" is a fragment around the word,
    seen in far fewer articles than the word itself ("Among Latinos"). A first name counts only
    for a person some article itself calls by it ("Hillary", but not "Joseph" for a vice president
    no article calls so: that "Joseph" is someone's surname)."""
    by_word: dict[str, list[str]] = defaultdict(list)
    for name in persons:
        if name not in merge and looks_like_full_name(name):
            (first, last, _), _middle = person_parts(name)  # type: ignore[misc]
            by_word[last].append(name)
            if first != last and (first, name) in first_name_uses:
                by_word[first].append(name)
    for name in persons:
        if " " in name or name in pinned:
            continue
        target = dominant(by_word.get(name), arts)
        if target is not None and 3 * arts[target] >= arts[name]:
            merge[name] = target


def _merge_norp_plurals(majority: dict[str, str], mentions_of: Counter[str], pinned: set[str],
                        merge: dict[str, str]) -> None:
    """NORP plurals join their singular (or the other way, whichever is more frequent)."""
    for name, lab in majority.items():
        if lab != NORP or not name.endswith("s") or name in pinned:
            continue
        singular = name[:-1]
        if majority.get(singular) == NORP:
            if singular in pinned or mentions_of[singular] >= mentions_of[name]:
                merge[name] = singular
            else:
                merge[singular] = name


def link_names(names: list[str] | pd.Series, resolved: pd.DataFrame,
               labels: tuple[str, ...] = (PERSON, "ORG")) -> dict[str, str]:
    """Name (a quote speaker, say) -> the corpus entity it is, for names that are one.

    Speakers are resolved by their own module; this joins them to the entity table so that a
    speaker's page can show the entity's counts and neighbours. A name matches an entity's name
    or any mention's text or canonical form (`Narang`, `Donald J. Trump`), ignoring case and full
    stops;
    a form that several entities share goes to the one with most mentions. Entities of other
    labels (a place named like a person) are not candidates.
    """
    pool = resolved[resolved["entity_label"].isin(labels)]
    if pool.empty:
        return {}
    by_form = (pd.concat([pool[["canonical", "entity"]].rename(columns={"canonical": "form"}),
                          pool[["text", "entity"]].rename(columns={"text": "form"}),
                          pool[["entity"]].assign(form=pool["entity"])])
               .groupby(["form", "entity"]).size().rename("n").reset_index())
    return link_forms(names, by_form)


def link_forms(names: list[str] | pd.Series, forms: pd.DataFrame) -> dict[str, str]:
    """`link_names` from the forms already counted: `forms` has one row per written form and
    entity with `n`, how often the form names it (`indexes.entity_forms`, for a few speakers)."""
    index: dict[str, str] = {}
    ranked = forms.sort_values(["n", "form", "entity"], ascending=[False, True, True], kind="stable")
    for form, entity in zip(ranked["form"], ranked["entity"], strict=True):
        index.setdefault(name_key(form), entity)
    out: dict[str, str] = {}
    for name in dict.fromkeys(n for n in names if isinstance(n, str) and n):
        entity = index.get(name_key(name))
        if entity is not None:
            out[name] = entity
    return out
