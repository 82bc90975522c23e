"""Corpus-wide entity names: the alias table, label majority and short-name merging.

This runs when the store loads a snapshot (`analysis.corpus`), not at ingest, so an analyst who
edits an alias file sees the effect on the next load without re-parsing anything. It works on
the distinct names of the corpus with dict lookups only, and maps the result back onto the
mentions table with vectorised pandas: 8.3 million mentions of 300,000 distinct names (about
100,000 articles) resolve in 10-15 s on a 2-core machine (`bench/entities_polnear.py --scale`).

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
5. A surname after Mr/Mrs/Ms (`EntityMention.title`) that landed on a person of the other
   gender, or on no one, moves to the person of that surname and gender: in the article if it
   names exactly one, else the corpus's dominant one. Gender is learnt from the titles the
   corpus itself puts before each person's name.
6. A one-word person name still on its own joins the person of that surname or first name
   whom the same article names in full: the only one, or the one it names far more than the
   others.
"""
from __future__ import annotations

import csv
import os
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.entities import NORP, PERSON, normalise
from analysis.names import INSTITUTION_WORDS, NAME_PARTICLES, gendered_forms, is_suffix

VERSION = "2"  # part of the corpus cache key: a change here re-derives the corpus tables

ALIASES_ENV = "ANALYSIS_ALIASES"
ALIASES_FILENAME = "aliases.csv"
DEFAULT_ALIASES = Path(__file__).resolve().parent / "data" / "aliases.csv"
DOMINANCE = 2.0  # a short name joins the top candidate only if it has this many times the others' articles together

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


def alias_files(store_dir: str | Path | None = None) -> list[Path]:
    """The analyst's alias files, in the order of precedence documented in the module docstring."""
    env = os.environ.get(ALIASES_ENV)
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    for folder in ([Path(store_dir)] if store_dir is not None else []) + [Path.cwd()]:
        candidate = folder / ALIASES_FILENAME
        if candidate.is_file():
            return [candidate]
    return []


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
    aliases = load_aliases(list(alias_files), include_defaults=include_defaults)

    codes, names = pd.factorize(out["canonical"], sort=False)
    label_codes, labels = pd.factorize(out["label"], sort=False)
    n_names, n_labels = len(names), len(labels)
    # Mentions per (name, label) and articles per name, without a Python loop over mentions.
    # Article counts only decide between people, so only PERSON mentions are counted (a fifth
    # of the table).
    label_counts = _count_pairs(codes, label_codes, n_names, n_labels)
    person = label_codes == (labels.tolist().index(PERSON) if PERSON in labels else -1)
    article_codes = pd.factorize(out["article_id"][person], sort=False)[0].astype(np.int64)
    n_articles = int(article_codes.max()) + 1 if len(article_codes) else 1
    pairs = pd.unique(codes[person].astype(np.int64) * n_articles + article_codes)
    article_counts = np.bincount(pairs // n_articles, minlength=n_names)

    names, labels = names.tolist(), labels.tolist()
    mapping, forced = _resolve_names(names, labels, label_counts, article_counts, aliases)

    # One label per entity: forced by an alias row, else the majority of its mentions.
    entities = list(dict.fromkeys(mapping[n] for n in names))
    entity_index = {e: i for i, e in enumerate(entities)}
    entity_of_name = np.fromiter((entity_index[mapping[n]] for n in names), dtype=np.int64, count=n_names)
    ent_codes = entity_of_name[codes]
    if "title" in out.columns:
        per_entity = _count_pairs(ent_codes, label_codes, len(entities), n_labels)
        person_entity = np.array(labels)[per_entity.argmax(axis=1)] == PERSON if PERSON in labels \
            else np.zeros(len(entities), dtype=bool)
        arts_of_entity = np.bincount(entity_of_name, weights=article_counts, minlength=len(entities))
        ent_codes = _fix_by_gender(out, ent_codes, entities, person_entity, arts_of_entity)
    ent_codes = _fix_in_article(out, ent_codes, entities, person, forced)
    per_entity = _count_pairs(ent_codes, label_codes, len(entities), n_labels)
    majority = [labels[j] for j in per_entity.argmax(axis=1)]
    entity_label, group = [], []
    for ent, lab in zip(entities, majority, strict=True):
        alias = forced.get(ent)
        entity_label.append(alias.label if alias and alias.label else lab)
        group.append(alias.group if alias and alias.group else ent)
    out["entity"] = _take(entities, ent_codes)
    out["entity_label"] = _take(entity_label, ent_codes)
    out["group"] = _take(group, ent_codes)
    return out


GENDERED_TITLES = gendered_forms()  # {"Mr": "m", "Mrs": "f", "Ms": "f"}


def _fix_by_gender(out: pd.DataFrame, ent_codes: np.ndarray, entities: list[str],
                   person_entity: np.ndarray, arts_of_entity: np.ndarray) -> np.ndarray:
    """`Mr. Clinton` is Bill, `Mrs. Clinton` Hillary: move a titled surname to the person of that gender.

    A person's gender is what the corpus's Mr/Mrs/Ms before their name says (three to one, at
    least twice), learnt from the mentions themselves, so no list of first names is needed.
    Only surname mentions with Mr/Mrs/Ms whose entity is unresolved (`Clinton`) or of the other
    gender are looked at: the person of the title's gender in the same article if there is
    exactly one, else the corpus's dominant person of that surname and gender.
    """
    titles = out["title"]
    male = titles.eq("Mr").to_numpy(dtype=bool, na_value=False)
    female = titles.isin(["Mrs", "Ms"]).to_numpy(dtype=bool, na_value=False)
    if not (male.any() or female.any()):
        return ent_codes
    n = len(entities)
    m_count = np.bincount(ent_codes[male], minlength=n)
    f_count = np.bincount(ent_codes[female], minlength=n)
    gender = np.full(n, "", dtype=object)
    gender[(m_count >= 2) & (m_count >= 3 * f_count)] = "m"
    gender[(f_count >= 2) & (f_count >= 3 * m_count)] = "f"
    multi = np.fromiter((" " in e for e in entities), dtype=bool, count=n)
    row_g = np.where(male, "m", np.where(female, "f", ""))
    ent_g = gender[ent_codes]
    todo = np.flatnonzero((row_g != "") & person_entity[ent_codes]
                          & (~multi[ent_codes] | ((ent_g != "") & (ent_g != row_g))))
    if not len(todo):
        return ent_codes

    surname: dict[int, str] = {}
    by_surname: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in np.flatnonzero(person_entity & multi & (gender != "")):
        parts = _person_parts(entities[i])
        if parts is not None:
            surname[int(i)] = parts[0][1]
            by_surname[(parts[0][1], gender[i])].append(int(i))
    article_ids = out["article_id"]
    todo_articles = article_ids.iloc[todo].tolist()
    known = np.zeros(n, dtype=bool)
    known[list(surname)] = True
    sel = np.flatnonzero(article_ids.isin(set(todo_articles)).to_numpy(dtype=bool, na_value=False)
                         & known[ent_codes])
    present: dict[str, set[int]] = defaultdict(set)
    for a, e in zip(article_ids.iloc[sel].tolist(), ent_codes[sel].tolist(), strict=True):
        present[a].add(e)

    texts = out["text"].iloc[todo].tolist()
    fixed = ent_codes.copy()
    for i, article, text in zip(todo, todo_articles, texts, strict=True):
        word = normalise(text, PERSON)
        if not word or " " in word:
            continue
        g = row_g[i]
        here = [e for e in present.get(article, ()) if surname.get(e) == word and gender[e] == g]
        if len(here) == 1:
            fixed[i] = here[0]
        elif not here:
            pool = {entities[e]: e for e in by_surname.get((word, g), [])}
            best = _dominant(list(pool), Counter({name: arts_of_entity[e] for name, e in pool.items()}))
            if best is not None:
                fixed[i] = pool[best]
    return fixed


def _fix_in_article(out: pd.DataFrame, ent_codes: np.ndarray, entities: list[str], person: np.ndarray,
                    pinned: dict) -> np.ndarray:
    """A one-word person name still on its own after the corpus merge (`Bush`) joins the person
    of that surname or first name whom the same article names in full.

    The ingest resolves short forms inside each article too, but only with the spellings the
    article itself has; after the corpus merge a headline fragment (`Floridians Jeb Bush`) or a
    variant has become the full name, so those articles are looked at again. When the article
    names several (Jeb and George W. Bush), the word goes to the one it names in full most, if
    `_dominant` (twice the others together): reading the nearest full mention before the word
    was tried and was wrong about half the time on PolNeAR (an article about Billy Bush mentions
    George W. in passing). Only words the corpus left alone because several people share them
    are looked at (`Voters`, which only the fragment `Among Voters` contains, was kept apart on
    purpose), and names an alias row pins stay as they are.
    """
    words: dict[int, tuple[str, str]] = {}  # full-name entity -> (first, last)
    for i, e in enumerate(entities):
        if " " in e and _looks_like_full_name(e):
            parts = _person_parts(e)
            words[i] = (parts[0][0], parts[0][1])
    sharing = Counter(w for pair in words.values() for w in set(pair))
    shared = np.fromiter((sharing[e] >= 2 and e not in pinned for e in entities), dtype=bool, count=len(entities))
    todo = np.flatnonzero(person & shared[ent_codes])
    if not len(todo):
        return ent_codes
    full = np.zeros(len(entities), dtype=bool)
    full[list(words)] = True
    articles = out["article_id"]
    sel = np.flatnonzero(person & full[ent_codes] & articles.isin(set(articles.iloc[todo])).to_numpy())
    # People the article names in its own words (not short forms the ingest attached to someone).
    sel = sel[out["text"].iloc[sel].str.strip().str.contains(" ", regex=False).to_numpy(dtype=bool, na_value=False)]
    named: dict[str, Counter[int]] = defaultdict(Counter)  # article -> full mentions per person
    for a, e in zip(articles.iloc[sel].tolist(), ent_codes[sel].tolist(), strict=True):
        named[a][e] += 1
    fixed = ent_codes.copy()
    for i, a in zip(todo.tolist(), articles.iloc[todo].tolist(), strict=True):
        word = entities[ent_codes[i]]
        counts = Counter({e: c for e, c in named.get(a, Counter()).items() if word in words[e]})
        best = _dominant(list(counts), counts)
        if best is not None:
            fixed[i] = best
    return fixed


def _take(values: list[str], codes: np.ndarray):
    """values[codes] as a string column, built without one Python object per mention."""
    return pd.array(values, dtype="string").take(codes)


def _count_pairs(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> np.ndarray:
    flat = rows.astype(np.int64) * n_cols + cols
    return np.bincount(flat, minlength=n_rows * n_cols).reshape(n_rows, n_cols)


def _resolve_names(names: list[str], labels: list[str], label_counts: np.ndarray,
                   article_counts: np.ndarray, aliases: dict[str, Alias]) -> tuple[dict[str, str], dict[str, Alias]]:
    """name -> entity for every distinct canonical name, and entity -> alias row for pinned entities."""
    mapping: dict[str, str] = {}
    forced: dict[str, Alias] = {}
    pinned: set[str] = set()
    mention_counts = label_counts.sum(axis=1)

    # 1. Alias rows, then spellings that differ in case or full stops (the most frequent wins).
    best_of_key: dict[str, int] = {}
    keys = [name_key(name) for name in names]
    for i, name in enumerate(names):
        key = keys[i]
        alias = aliases.get(key)
        if alias is not None:
            mapping[name] = alias.canonical
            forced[alias.canonical] = alias
            pinned.add(alias.canonical)
            continue
        best = best_of_key.get(key)
        if best is None or (mention_counts[i], names[i]) > (mention_counts[best], names[best]):
            best_of_key[key] = i
    for name, key in zip(names, keys, strict=True):
        if name not in mapping:
            mapping[name] = names[best_of_key[key]]

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

    # 2. People: middle names, then one-word surnames / first names.
    merge: dict[str, str] = {}
    persons = [n for n, lab in majority.items() if lab == PERSON]
    by_first_last: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for name in persons:
        parts = _person_parts(name)
        if parts is not None:
            by_first_last[parts[0]].append(name)
    for group in by_first_last.values():
        if len(group) < 2:
            continue
        middles = {name: _person_parts(name)[1] for name in group}
        distinct = {m for m in middles.values() if m}
        target = max(group, key=lambda n: (n in pinned, arts[n], -len(n), n))
        for name in group:
            if name == target or name in pinned:
                continue
            m, tm = middles[name], middles[target]
            if m == tm or (not m and len(distinct) <= 1) or (not tm and len(distinct) <= 1):
                merge[name] = target

    # A longer name that is a known person plus stray words of a headline ("Floridians Jeb
    # Bush", "Billy Bush Joins") joins that person; name suffixes are not stray words.
    person_set = set(persons)
    looks_full = {n: _looks_like_full_name(n) for n in persons}
    for name in persons:
        if name in merge or name in pinned:
            continue
        words = name.split(" ")
        if len(words) < 3 or is_suffix(words[-1]):
            continue
        if any(w.strip(".,'").lower() in _INSTITUTION_WORDS for w in words):
            continue  # "Hillary Clinton Foundation" is not Hillary Clinton
        for size in range(len(words) - 1, 1, -1):
            inner = [" ".join(words[:size]), " ".join(words[-size:])]
            hit = [n for n in inner if n in person_set and arts[n] > arts[name] and looks_full[n]]
            if hit:
                merge[name] = max(hit, key=lambda n: arts[n])
                break

    full_names = [n for n in persons if n not in merge and looks_full[n]]
    by_word: dict[str, list[str]] = defaultdict(list)
    for name in full_names:
        (first, last, _), _middle = _person_parts(name)
        by_word[last].append(name)
        if first != last:
            by_word[first].append(name)
    for name in persons:
        if " " in name or name in pinned:
            continue
        target = _dominant(by_word.get(name), arts)
        # A "full name" in far fewer articles than the word itself is a fragment around the
        # word ("Among Latinos"), not the person the word is short for.
        if target is not None and 3 * arts[target] >= arts[name]:
            merge[name] = target

    # 3. NORP plurals.
    for name, lab in majority.items():
        if lab != NORP or not name.endswith("s") or name in pinned:
            continue
        singular = name[:-1]
        if majority.get(singular) == NORP:
            if singular in pinned or mentions_of[singular] >= mentions_of[name]:
                merge[name] = singular
            else:
                merge[singular] = name

    def final(name: str) -> str:
        seen = set()
        while name in merge and name not in seen:
            seen.add(name)
            name = merge[name]
        return name

    return {name: final(entity) for name, entity in mapping.items()}, forced


def _person_parts(name: str) -> tuple[tuple[str, str, str], str] | None:
    """((first, last, suffix), middle) of a multi-word name, or None for a one-word name."""
    words = name.split(" ")
    suffix = []
    while len(words) > 1 and is_suffix(words[-1]):
        suffix.insert(0, words.pop().rstrip(".").lower())
    if len(words) < 2:
        return None
    middle = " ".join(words[1:-1]).replace(".", "").casefold()
    return (words[0], words[-1], " ".join(suffix)), middle


_INSTITUTION_WORDS = INSTITUTION_WORDS
_PARTICLES = NAME_PARTICLES


def _looks_like_full_name(name: str) -> bool:
    """A multi-word name fit to absorb short forms: capitalised words (`realDonaldTrump Twitter` is not)."""
    if _person_parts(name) is None:
        return False
    for word in name.split(" "):
        core = word.strip(".'-")
        if not core or any(c.isdigit() for c in core):
            return False
        if not core[0].isupper() and core.lower() not in _PARTICLES:
            return False
    return True


def _dominant(candidates: list[str] | None, arts: Counter[str]) -> str | None:
    if not candidates:
        return None
    ranked = sorted(set(candidates), key=lambda n: (-arts[n], n))
    if arts[ranked[0]] >= DOMINANCE * sum(arts[n] for n in ranked[1:]):
        return ranked[0]
    return None


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
               .groupby(["form", "entity"]).size().rename("n").reset_index()
               .sort_values("n", ascending=False))
    index: dict[str, str] = {}
    for form, entity in zip(by_form["form"], by_form["entity"], strict=True):
        index.setdefault(name_key(form), entity)
    out: dict[str, str] = {}
    for name in dict.fromkeys(n for n in names if isinstance(n, str) and n):
        entity = index.get(name_key(name))
        if entity is not None:
            out[name] = entity
    return out
