"""Ingest: load files, parse once with spaCy, run every extractor on the parse, commit to the store.

Articles already in the store with the same model, extractor versions and metadata are not
parsed again; articles stored with older versions are reprocessed from their stored text.
Batches are committed as they finish, so a killed ingest loses at most the batch in flight.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from analysis import entities as entities_mod
from analysis import names as names_mod
from analysis import quotes as quotes_mod
from analysis import speakers as speakers_mod
from analysis import wordlists
from analysis.loaders import DEFAULT_MAX_BYTES, load_paths
from analysis.opinions import claims as claims_mod
from analysis.records import Article, Problem
from analysis.store import ProcessedArticle, Store, fingerprint

PIPELINE_VERSION = "1"


def extractor_version() -> str:
    """One string naming every extractor's version: stored with the data, compared on ingest.

    The hash of the word lists the extractors read (`analysis/data/`) is part of it, so editing
    a list reprocesses the stored articles as a code change does."""
    return (f"p{PIPELINE_VERSION}.e{entities_mod.VERSION}.q{quotes_mod.VERSION}.s{speakers_mod.VERSION}"
            f".c{claims_mod.VERSION}.n{names_mod.VERSION}.d{wordlists.ingest_hash()}")


def process_doc(doc, article: Article) -> ProcessedArticle:
    """Run every extractor on one parse. An extractor that fails on one article costs that
    article its extractions (reported), never the rest of the ingest."""
    processed = ProcessedArticle(article=article)
    for name, run in (("entities", _entities), ("quotes", _quotes), ("claims", _claims)):
        try:
            run(doc, article, processed)
        except Exception as exc:  # noqa: BLE001 - one article's failure is reported, not fatal
            processed.problems.append(Problem(
                article.source, f"{name} extraction failed ({type(exc).__name__}: {exc}); "
                                f"the article is stored without its {name}", rejected=False))
    return processed


def _entities(doc, article: Article, out: ProcessedArticle) -> None:
    out.entities = entities_mod.extract_entities(doc, article)


def _quotes(doc, article: Article, out: ProcessedArticle) -> None:
    out.quotes, out.speakers = quotes_mod.extract_quotes(doc, article)


def _claims(doc, article: Article, out: ProcessedArticle) -> None:
    """What each quote is about and claims, while the parse exists (after quotes and entities)."""
    out.claims = claims_mod.extract_claims(doc, article, out.quotes, out.entities)


def process_articles(articles: Iterable[Article], *, workers: int = 1, batch_size: int = 32,
                     nlp=None) -> Iterator[ProcessedArticle]:
    """Parse with `nlp.pipe` (spaCy's own multiprocessing when workers > 1) and extract.

    With workers, the extractors run in the workers too (a last pipeline component, added for
    the call): each worker sends back the extracted records instead of the serialised parse,
    so the main process neither rebuilds Docs nor extracts, and the two cores both parse.

    Memory follows the characters parsed together (`analysis.nlp`): a batch holds at most
    `BATCH_CHARS` of them (with workers, `batch_size` is lowered so that it does), and a text
    over `PIECE_CHARS` (or the model's `max_length`) is taken out of the stream and parsed in
    pieces here, between the results of the others. So no one text, however long, aborts the
    run or its reruns.
    """
    from analysis.nlp import load_model, piece_chars

    nlp = nlp or load_model()
    long: list[Article] = []
    short = _set_aside_long(articles, long, piece_chars(nlp))
    stream = _process_short(short, nlp, workers, batch_size)
    for processed in stream:
        yield processed
        yield from _process_long(long, nlp)
    yield from _process_long(long, nlp)


def _set_aside_long(articles: Iterable[Article], long: list[Article], limit: int) -> Iterator[Article]:
    for article in articles:
        if len(article.text) > limit:
            long.append(article)
        else:
            yield article


def _process_long(long: list[Article], nlp) -> Iterator[ProcessedArticle]:
    from analysis.nlp import parse_long

    disable = [EXTRACT_COMPONENT] if EXTRACT_COMPONENT in nlp.pipe_names else []
    while long:
        article = long.pop(0)
        yield process_doc(parse_long(nlp, article.text, disable=disable), article)


def _process_short(articles: Iterable[Article], nlp, workers: int, batch_size: int) -> Iterator[ProcessedArticle]:
    from analysis.nlp import BATCH_CHARS, piece_chars

    if workers <= 1:
        for group in _batches(articles, batch_size, BATCH_CHARS):
            for doc, article in zip(nlp.pipe([a.text for a in group], batch_size=len(group)), group, strict=True):
                yield process_doc(doc, article)
        return
    # spaCy's multiprocessing batches by count: bound the count so that any batch fits.
    batch_size = max(1, min(batch_size, BATCH_CHARS // piece_chars(nlp)))
    with _extract_in_pipeline(nlp):
        stream = nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=batch_size,
                          n_process=workers)
        for _, processed in stream:
            yield processed


def _batches(articles: Iterable[Article], size: int, max_chars: int) -> Iterator[list[Article]]:
    """Consecutive groups of at most `size` articles and, unless one article is longer, `max_chars` characters."""
    group: list[Article] = []
    chars = 0
    for article in articles:
        if group and (len(group) >= size or chars + len(article.text) > max_chars):
            yield group
            group, chars = [], 0
        group.append(article)
        chars += len(article.text)
    if group:
        yield group


EXTRACT_COMPONENT = "analysis_extract"


@Language.component(EXTRACT_COMPONENT)
def _extract_component(doc: Doc) -> Doc:
    """Run the extractors where the parse is, and hand on only their records (as the context)."""
    processed = process_doc(doc, doc._context)
    empty = Doc(doc.vocab)
    empty._context = processed
    return empty


@contextmanager
def _extract_in_pipeline(nlp):
    nlp.add_pipe(EXTRACT_COMPONENT, last=True)
    try:
        yield
    finally:
        nlp.remove_pipe(EXTRACT_COMPONENT)


@dataclass
class IngestReport:
    loaded: int = 0
    ingested: int = 0  # parsed and committed in this run (new, changed or reprocessed)
    reprocessed: int = 0  # of those, stored articles redone for a new model/extractor version
    replaced: int = 0  # stored articles whose file now holds another text: removed from the store
    unchanged: int = 0  # already in the store, not parsed again
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    parts_removed: int = 0
    seconds: float = 0.0  # the whole run, the derivation included
    derivation: str = ""  # how the corpus tables were updated: unchanged, incremental or full
    derive_seconds: float = 0.0

    @property
    def rejected(self) -> list[Problem]:
        return [p for p in self.problems if p.rejected]


ProgressFn = Callable[[int, int], None]
# How articles become processed records: `process_articles` here by default, or another engine
# (`analysis.engines`) that runs the same `process_doc` elsewhere, e.g. on a Ray cluster.
Engine = Callable[[Iterable[Article]], Iterable[ProcessedArticle]]


def ingest(paths: Iterable[str | Path], store: Store, *, metadata: str | Path | None = None,
           workers: int = 1, commit_every: int = 64, max_bytes: int = DEFAULT_MAX_BYTES,
           progress: ProgressFn | None = None, articles: list[Article] | None = None,
           engine: Engine | None = None, derive: bool = True) -> IngestReport:
    """Bring the store up to date with the files under `paths` (or with `articles` given directly).

    With `derive` (the default), the corpus-level tables are then brought up to date too
    (`corpus.update_corpus`) before the store's write lock is released, so that no reader has to
    derive them; a caller that derives on its own (a temporary store) passes False."""
    started = time.perf_counter()
    report = IngestReport()
    if articles is None:
        loaded = load_paths(paths, metadata=metadata, max_bytes=max_bytes)
        articles = loaded.articles
        report.problems.extend(loaded.problems)
        report.duplicates.extend(loaded.duplicates)
    report.loaded = len(articles)

    with store.writer():
        stored = {aid: s for aid, s in store.article_versions().items() if not s.deleted}
        from analysis.nlp import model_version

        current = (model_version(), extractor_version())
        todo: list[Article] = []
        for art in articles:
            have = stored.get(art.article_id)
            if have and (have.model, have.extractor_version) == current and have.fingerprint == fingerprint(art):
                report.unchanged += 1
            else:
                todo.append(art)
        given = {a.article_id for a in articles}
        # A file edited since it was ingested: its old text is another article id, which must
        # go, or the corpus would hold both versions.
        by_source = {_source_key(s.source): aid for aid, s in stored.items() if s.source}
        replaced = sorted({by_source[k] for a in articles if (k := _source_key(a.source)) in by_source} - given)
        report.replaced = len(replaced)
        stale = [aid for aid, have in stored.items()
                 if (have.model, have.extractor_version) != current and aid not in given and aid not in replaced]
        todo_count = len(todo) + len(stale)
        report.reprocessed = len(stale) + sum(1 for a in todo if a.article_id in stored
                                              and (stored[a.article_id].model,
                                                   stored[a.article_id].extractor_version) != current)
        store.set_status(articles=todo_count)
        if progress:
            progress(0, todo_count)
        if todo_count or replaced:
            batch: list[ProcessedArticle] = []
            done = 0
            source = _chain(todo, store.stored_articles(stale))
            processed_stream = engine(source) if engine else process_articles(source, workers=workers)
            for processed in processed_stream:
                batch.append(processed)
                report.problems.extend(processed.problems)
                done += 1
                if len(batch) >= commit_every:
                    store.write_part(batch, model=current[0], extractor_version=current[1], removed=replaced)
                    batch, replaced = [], []
                if progress:
                    progress(done, todo_count)
            if batch or replaced:
                store.write_part(batch, model=current[0], extractor_version=current[1], removed=replaced)
            report.ingested = done
            report.parts_removed = store.remove_superseded()
        if derive:
            from analysis.corpus import update_corpus

            store.set_status(articles=report.ingested, deriving=True)
            derive_started = time.perf_counter()
            report.derivation = update_corpus(store).mode
            report.derive_seconds = time.perf_counter() - derive_started
    report.seconds = time.perf_counter() - started
    return report


def _source_key(source: str) -> str:
    """The same input file however its path was written (relative, absolute), row kept."""
    path, sep, row = source.partition("#")
    return os.path.abspath(path) + sep + row


def _chain(first: list[Article], rest: Iterable[Article]) -> Iterator[Article]:
    yield from first
    yield from rest
