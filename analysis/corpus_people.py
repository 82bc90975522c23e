"""Who a short name is when its article does not say: titles, gender and the article's other mentions.

At ingest each article joins the short forms it can settle to its own full names
(`analysis.article_people`). What is left is a surname the article never expands ("Mr. Obama" in
an article that says "Barack" nowhere), or one it leaves open on purpose ("Obama" in an article
that names Michelle Obama once and speaks fifteen times of "Mr. Obama"). The corpus step
(`analysis.aliases`) first merges names as names (a one-word name joins the dominant person of
that surname in the coverage); then, mention by mention, the evidence of the article overrides
that guess, so that a person's identity does not hang on which other articles are loaded:

1. A surname after Mr/Mrs/Ms goes to the person of that surname and gender: the one the
   article names if there is exactly one, else the corpus's dominant one. A person's gender is
   their given name's (`analysis.names.first_name_genders`), else what the corpus's Mr/Mrs/Ms
   before their name says (three to one, at least twice). No person of that gender: the mention
   stays the bare surname rather than join someone of the other gender.
2. A surname after an office ("President Obama", "Sen. Graham") goes to the person of that
   surname whom the corpus gives that title: the one the article names, else the one titled so at
   least twice as often as all others. When the corpus gives nobody of that name the title, the
   mention is left to rule 3.
3. The other mentions of that surname in the same article follow: an untitled "Obama" goes to
   the person the article's own words point to (its full names, and the titled mentions settled
   in 1-2), when one has at least twice the mentions of all others together.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import TypeVar

import numpy as np
import pandas as pd

from analysis import names
from analysis.mentions import PERSON, normalise

DOMINANCE = 2.0
GENDERED_TITLES = names.gendered_forms()  # {"Mr": "m", "Mrs": "f", "Ms": "f"}


def person_parts(name: str) -> tuple[tuple[str, str, str], str] | None:
    """((first, last, suffix), middle) of a multi-word name, or None for a one-word name."""
    words = name.split(" ")
    suffix: list[str] = []
    while len(words) > 1 and names.is_suffix(words[-1]):
        suffix.insert(0, words.pop().rstrip(".").lower())
    if len(words) < 2:
        return None
    middle = " ".join(words[1:-1]).replace(".", "").casefold()
    return (words[0], words[-1], " ".join(suffix)), middle


def looks_like_full_name(name: str) -> bool:
    """A multi-word name fit to absorb short forms: capitalised words (`realDonaldTrump Twitter` is not)."""
    if person_parts(name) is None:
        return False
    for word in name.split(" "):
        core = word.strip(".'-")
        if not core or any(c.isdigit() for c in core):
            return False
        if not core[0].isupper() and core.lower() not in names.NAME_PARTICLES:
            return False
    return True


K = TypeVar("K", str, int)


def dominant(candidates: Iterable[K] | None, weight: Mapping[K, float]) -> K | None:
    """The candidate with at least DOMINANCE times the weight of all others together, if any."""
    if not candidates:
        return None
    ranked = sorted(set(candidates), key=lambda n: (-weight[n], str(n)))
    if weight[ranked[0]] > 0 and weight[ranked[0]] >= DOMINANCE * sum(weight[n] for n in ranked[1:]):
        return ranked[0]
    return None


class CorpusPeople:
    """The corpus's full-name people by surname, with their gender and the titles given them."""

    def __init__(self, out: pd.DataFrame, ent_codes: np.ndarray, entities: list[str], person_entity: np.ndarray,
                 arts_of_entity: np.ndarray, weights: list[int]):
        self.entities = entities
        self.arts = arts_of_entity
        self.surname: dict[int, str] = {}
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for i in np.flatnonzero(person_entity):
            name = entities[i]
            if " " in name and looks_like_full_name(name):
                (first, last, _), _ = person_parts(name)  # type: ignore[misc]
                self.surname[int(i)] = last
                self.by_word[last].append(int(i))
                if first != last:
                    self.by_word[first].append(int(i))
        # The titles an article itself gives the person (its canonical is their full name), not
        # those of bare surnames the name-level merge attached to them.
        titles = out["title"] if "title" in out.columns else pd.Series([None] * len(out))
        full = out["canonical"].astype("string").str.contains(" ", regex=False).fillna(False).tolist()
        self.titles: dict[int, Counter[str]] = defaultdict(Counter)
        for e, t, f, w in zip(ent_codes.tolist(), titles.tolist(), full, weights, strict=True):
            if isinstance(t, str) and f and e in self.surname:
                self.titles[e][t] += w
        self.gender = {e: g for e in self.surname if (g := self._gender(e))}

    def _gender(self, e: int) -> str | None:
        given = names.first_name_genders().get(self.entities[e].split()[0].lower())
        if given:
            return given
        t = self.titles.get(e, Counter())
        m = sum(n for title, n in t.items() if GENDERED_TITLES.get(title) == "m")
        f = sum(n for title, n in t.items() if GENDERED_TITLES.get(title) == "f")
        if m >= 2 and m >= 3 * f:
            return "m"
        if f >= 2 and f >= 3 * m:
            return "f"
        return None

    def titled(self, word: str, title: str, present: set[int]) -> int | None:
        """The person a surname after `title` is: by gender for Mr/Mrs/Ms, else by office."""
        cands = [e for e in self.by_word.get(word, []) if self.surname[e] == word]
        g = GENDERED_TITLES.get(title)
        if g is not None:
            fitting = [e for e in cands if self.gender.get(e) == g]
            weight: dict[int, float] = {e: self.arts[e] for e in fitting}
        else:
            fitting = [e for e in cands if self.titles[e][title]]
            weight = {e: self.titles[e][title] for e in fitting}
        here = [e for e in fitting if e in present]
        if len(here) == 1:
            return here[0]
        return dominant(here or fitting, weight)

    def conflicts(self, e: int, title: str) -> bool:
        """A person of the other gender than the title says ("Mr." before Michelle Obama's surname)."""
        g = GENDERED_TITLES.get(title)
        return g is not None and self.gender.get(e) not in (None, g)


def fix_short_forms(out: pd.DataFrame, ent_codes: np.ndarray, entities: list[str], person_entity: np.ndarray,
                    arts_of_entity: np.ndarray, pinned, weights: list[int] | None = None) -> np.ndarray:
    """Apply rules 1-3 of the module docstring; `entities` may grow by a bare surname. `weights`:
    how many mentions each row of `out` stands for (rows of identical mentions counted once)."""
    weights = weights or [1] * len(out)
    people = CorpusPeople(out, ent_codes, entities, person_entity, arts_of_entity, weights)
    forms = _person_forms(out)
    open_word = forms.where(~out["canonical"].astype("string").str.contains(" ", regex=False).fillna(True), "")
    open_word = open_word.where(~open_word.str.contains(" ", regex=False), "")
    titles = out["title"] if "title" in out.columns else pd.Series([None] * len(out), index=out.index)
    titled = titles.notna().to_numpy()
    codes, decided = _fix_titled(out, ent_codes, people, forms, open_word, titles)
    return _follow_the_article(out["article_id"].tolist(), codes, people, forms, open_word, titled & decided, pinned,
                               weights)


def _person_forms(out: pd.DataFrame) -> pd.Series:
    """Per PERSON mention, its text as a name ("Mr. Obama's" -> "Obama"); "" for other labels."""
    person = out["label"].eq(PERSON).to_numpy(dtype=bool, na_value=False)
    texts = out["text"].where(person, "")
    forms = {t: normalise(t, PERSON) for t in pd.unique(texts) if isinstance(t, str) and t}
    return texts.map(lambda t: forms.get(t, "")).astype(object)


def _present(articles: list[str], codes: np.ndarray, people: CorpusPeople, forms: pd.Series) -> dict[str, set[int]]:
    """The full-name people each article names in its own words."""
    present: dict[str, set[int]] = defaultdict(set)
    for a, e, f in zip(articles, codes.tolist(), forms.tolist(), strict=True):
        if e in people.surname and " " in f:
            present[a].add(e)
    return present


def _fix_titled(out: pd.DataFrame, ent_codes: np.ndarray, people: CorpusPeople, forms: pd.Series,
                open_word: pd.Series, titles: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Titled surnames the article left open, or joined to someone the title does not fit; and
    which titled mentions a title decided (the others follow their article, rule 3)."""
    one_word = (forms != "").to_numpy() & ~forms.str.contains(" ", regex=False).to_numpy(dtype=bool)
    todo = np.flatnonzero(one_word & titles.notna().to_numpy())
    decided = np.ones(len(ent_codes), dtype=bool)
    if not len(todo):
        return ent_codes, decided
    articles = out["article_id"].tolist()
    present = _present(articles, ent_codes, people, forms)
    codes = ent_codes.copy()
    bare: dict[str, int] = {}
    form_list: list[str] = forms.tolist()
    open_list: list[str] = open_word.tolist()
    title_list: list[str] = titles.tolist()
    for i in todo.tolist():
        w, t = form_list[i], title_list[i]
        if not open_list[i] and not people.conflicts(int(codes[i]), t):
            continue  # the article settled it, and the title fits
        e = people.titled(w, t, present.get(articles[i], set()))
        if e is not None:
            codes[i] = e
        elif people.conflicts(int(codes[i]), t):
            codes[i] = _entity(w, people.entities, bare)  # not her: the bare surname, until someone fits
        else:
            decided[i] = False
    return codes, decided


def _entity(name: str, entities: list[str], made: dict[str, int]) -> int:
    if name not in made:
        made[name] = entities.index(name) if name in entities else len(entities)
        if made[name] == len(entities):
            entities.append(name)
    return made[name]


def _follow_the_article(articles: list[str], codes: np.ndarray, people: CorpusPeople, forms: pd.Series,
                        open_word: pd.Series, titled: np.ndarray, pinned, weights: list[int]) -> np.ndarray:
    """Untitled one-word mentions go to the person the article's own mentions of the word point to:
    its full names, and the short forms already settled (by the article, or by a title)."""
    targets = np.flatnonzero((open_word != "").to_numpy() & ~titled)  # `titled`: settled by their title
    if not len(targets):
        return codes
    open_list: list[str] = open_word.tolist()
    # Only the votes a target reads are counted (one Counter per article and word is costly at
    # millions of mentions).
    wanted = {(articles[i], open_list[i]) for i in targets.tolist() if open_list[i] not in pinned}
    settled = (open_word == "").to_numpy() | titled
    votes, by_title = _votes(articles, codes, people, forms, settled, titled, weights, wanted)
    # Besides titled mentions, only words several people share are looked at: the article's own
    # step left a word alone that one full name of it contains for a reason ("Voters" beside the
    # fragment "Among Voters").
    shared = {w for w, es in people.by_word.items() if len(es) >= 2}
    fixed = codes.copy()
    for i in targets.tolist():
        w = open_list[i]
        if w in pinned or ((articles[i], w) not in by_title and w not in shared):
            continue
        counts = votes.get((articles[i], w))
        best = dominant(list(counts), counts) if counts else None
        if best is not None:
            fixed[i] = best
    return fixed


def _votes(articles: list[str], codes: np.ndarray, people: CorpusPeople, forms: pd.Series, settled: np.ndarray,
           titled: np.ndarray, weights: list[int], wanted: set[tuple[str, str]]
           ) -> tuple[dict[tuple[str, str], Counter[int]], set[tuple[str, str]]]:
    """Per (article, word) of `wanted`, the people its settled mentions name (a full name votes
    by its first and last word), weighted; and the (article, word) pairs a title settled."""
    votes: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    by_title: set[tuple[str, str]] = set()
    first_last: dict[int, tuple[str, str]] = {}
    for a, e, f, ok, t, n in zip(articles, codes.tolist(), forms.tolist(), settled.tolist(), titled.tolist(), weights,
                                 strict=True):
        if e not in people.surname or not f or not ok:
            continue
        if " " in f:
            if e not in first_last:
                (first, last, _), _ = person_parts(people.entities[e])  # type: ignore[misc]
                first_last[e] = (first, last)
            first, last = first_last[e]
            if (a, last) in wanted:
                votes[(a, last)][e] += n
            if (a, first) in wanted:
                votes[(a, first)][e] += n
        else:
            if (a, f) in wanted:
                votes[(a, f)][e] += n
            if t:
                by_title.add((a, f))
    return votes, by_title
