"""Downloads: every cell a spreadsheet would run as a formula is neutralised, JSON is an array of
the CSV's rows, and the file is named by the filters."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pytest

from analysis.export import file_stem, neutralise, to_csv, to_json
from analysis.filters import Filters


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3",
                                  "@SUM(A1:A2)", "\t=1", "\r=1"])
def test_formula_cells_get_a_leading_apostrophe(cell):
    assert neutralise(cell) == "'" + cell
    rows = list(csv.reader(io.StringIO(to_csv(pd.DataFrame({"title": [cell], "n": [1]})).decode())))
    assert rows[1][0] == "'" + cell and rows[1][1] == "1"


def test_plain_cells_and_numbers_are_untouched():
    df = pd.DataFrame({"quote": ["“We are done,” she said", "a - b"], "start": [0, -1], "spellings": [["a", "b"], []]})
    rows = list(csv.DictReader(io.StringIO(to_csv(df).decode())))
    assert rows[0]["quote"] == "“We are done,” she said" and rows[1]["start"] == "-1"
    assert rows[0]["spellings"] == "a; b"


def test_json_is_an_array_of_the_rows_with_nulls():
    df = pd.DataFrame({"quote": ["x", None], "start": np.array([3, 4]), "date": [dt.date(2019, 10, 8), None],
                       "score": [1.5, float("nan")]})
    rows = json.loads(to_json(df))
    assert rows == [{"quote": "x", "start": 3, "date": "2019-10-08", "score": 1.5},
                    {"quote": None, "start": 4, "date": None, "score": None}]


def test_file_names_say_the_filters():
    f = Filters(speakers=("Vipin Narang",), date_from=dt.date(2019, 10, 1), date_to=dt.date(2019, 10, 31))
    assert file_stem("quotes", f) == "quotes_speaker-Vipin-Narang_2019-10"
    assert file_stem("quotes", Filters()) == "quotes"
    one_day = Filters(date_from=dt.date(2019, 10, 8), date_to=dt.date(2019, 10, 8), outlets=("The Globe & Mail",))
    assert file_stem("articles", one_day) == "articles_2019-10-08_outlet-The-Globe-Mail"
    assert file_stem("quotes", Filters(q='../../etc/passwd "x"')) == "quotes_search-etc-passwd-x"
    assert len(file_stem("quotes", Filters(speakers=tuple(f"Speaker {i}" for i in range(40))))) <= 120
