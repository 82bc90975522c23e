"""The words an analyst reads for an entity type, instead of spaCy's codes.

Charts and filters that say GPE, NORP or WORK_OF_ART make an analyst look up a table; "Country or
city", "Nationality or group" and "Book, film or song" do not. The spaCy label stays the stored
value and a column of its own (queries filter on it, URLs name it); this module only says how to
show it. Labels the model does not know are shown as they are, so a new model never breaks a page.
"""
from __future__ import annotations

import pandas as pd

# OntoNotes 5 labels, as the English spaCy models use them.
ENTITY_LABELS: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Country or city",
    "NORP": "Nationality or group",
    "LOC": "Place",
    "FAC": "Building or facility",
    "EVENT": "Event",
    "WORK_OF_ART": "Book, film or song",
    "LAW": "Law or document",
    "PRODUCT": "Product",
    "LANGUAGE": "Language",
    "DATE": "Date",
    "TIME": "Time",
    "PERCENT": "Percentage",
    "MONEY": "Money",
    "QUANTITY": "Quantity",
    "ORDINAL": "Ordinal",
    "CARDINAL": "Number",
}
# Speaker labels of the quote extractor (`Quote.speaker_label`).
SPEAKER_LABELS: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GROUP": "Group of people",
    "UNNAMED": "Unnamed source",
    "PRON": "Pronoun",
}


def entity_label(label: str | None) -> str:
    """"GPE" -> "Country or city"; an unknown label is shown as it is, no label as ""."""
    if not label:
        return ""
    return ENTITY_LABELS.get(label, label)


def speaker_label(label: str | None) -> str:
    if not label:
        return ""
    return SPEAKER_LABELS.get(label, label)


def entity_label_code(text: str) -> str | None:
    """The spaCy label an analyst's word names ("Country or city" -> "GPE"), for filters given in words."""
    wanted = " ".join(text.split()).casefold()
    for code, words in ENTITY_LABELS.items():
        if wanted in (code.casefold(), words.casefold()):
            return code
    return None


def with_type_words(df: pd.DataFrame, column: str = "entity_label", into: str = "type") -> pd.DataFrame:
    """The frame with a column of the analyst's words for the spaCy labels in `column` (a copy)."""
    out = df.copy()
    out[into] = out[column].map(entity_label).astype("string")
    return out
