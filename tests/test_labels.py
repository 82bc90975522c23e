"""Entity types in the words an analyst reads, the spaCy label kept beside them."""
from __future__ import annotations

import pandas as pd

from analysis.labels import ENTITY_LABELS, entity_label, entity_label_code, speaker_label, with_type_words


def test_every_label_of_the_model_has_words(nlp):
    ner = nlp.get_pipe("ner")
    assert set(ner.labels) <= set(ENTITY_LABELS)


def test_words_for_labels():
    assert entity_label("GPE") == "Country or city"
    assert entity_label("NORP") == "Nationality or group"
    assert entity_label("WORK_OF_ART") == "Book, film or song"
    assert entity_label("CARDINAL") == "Number"
    assert entity_label("NEW_LABEL") == "NEW_LABEL"  # a new model's label is shown, not hidden
    assert entity_label(None) == ""
    assert speaker_label("UNNAMED") == "Unnamed source"


def test_the_label_back_from_its_words():
    assert entity_label_code("country or city") == "GPE"
    assert entity_label_code("ORG") == "ORG"
    assert entity_label_code("nothing") is None


def test_the_spacy_label_stays_a_column():
    df = pd.DataFrame({"entity": ["North Korea", "Jane Doe"], "entity_label": ["GPE", "PERSON"]})
    out = with_type_words(df)
    assert list(out["type"]) == ["Country or city", "Person"]
    assert list(out["entity_label"]) == ["GPE", "PERSON"]
    assert "type" not in df
