"""Dates as ISO `yyyy-mm-dd` strings, or None: an article without a date stays undated.

A wrong date is worse than none: it puts an article in the wrong week of every timeline and
nobody sees it. So only calendar dates are read. "yesterday" or "2 days ago" in metadata would
become the day of the ingest, and a bare year would take the month of the ingest, so both stay
undated (the loaders report the value). A saved web page is dated from what the page says about
itself (its metadata, its URL, `<time>` and date-marked elements), never from a number that
happens to be in its text.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
# dateparser's parsers minus "relative-time" (yesterday, 3 days ago, last week, now).
_PARSERS = ["timestamp", "custom-formats", "absolute-time"]
_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False,
             "REQUIRE_PARTS": ["year", "month"], "PARSERS": _PARSERS}
MAX_DATE_CHARS = 100  # a longer "date" is text in the wrong field, not a date to hand to dateparser


@functools.lru_cache(maxsize=4096)
def parse_date(value: str | None) -> str | None:
    """Parse a calendar date as people write it (`2019-10-08`, `October 5, 2019`, `Oct 2019`).

    ISO dates skip dateparser, which is slow to call. Relative dates and bare years give None.
    """
    if not value or not str(value).strip():
        return None
    value = str(value).strip()
    m = _ISO.match(value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    if len(value) > MAX_DATE_CHARS:
        return None
    import dateparser

    parsed = dateparser.parse(value, settings=_SETTINGS, languages=["en"])
    return parsed.date().isoformat() if parsed else None


# ---------------------------------------------------------------------------------------------
# Saved web pages

# class, id or itemprop of an element that says it holds a date ("date", "post-date",
# "datePublished", "entry-time", "posted-on").
_DATE_MARK = re.compile(r"date|time|publish|posted|datum", re.I)


def _marks_date(el) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("time", "abbr"):
        return True
    if tag == "script":
        return "ld+json" in (el.get("type") or "")  # JSON-LD metadata (datePublished)
    return bool(_DATE_MARK.search(" ".join(el.get(a) or "" for a in ("class", "id", "itemprop"))))


def _metadata_view(tree) -> None:
    """Blank, in place, every text of the page that no markup marks as a date.

    What is left (attributes, `<meta>` tags, JSON-LD, `<time>`/`<abbr>` and date-marked elements)
    is what the page says about its own date; htmldate's text searches then find nothing else.
    """
    inside = set()
    for el in tree.iter():
        parent = el.getparent()
        if (parent is not None and parent in inside) or _marks_date(el):
            inside.add(el)
        else:
            el.text = None
        if parent is None or parent not in inside:
            el.tail = None


def page_date(html: str, url: str | None = None) -> str | None:
    """The publication date a saved page gives for itself, or None.

    htmldate reads meta tags, JSON-LD, the URL and date elements; given the whole page it also
    guesses from the text, even in its fast mode (`20120101` or "the 2012 agreement" in the body
    became 2012-01-01). It is given the page with that text blanked.
    """
    from htmldate import find_date
    from lxml.etree import LxmlError
    from trafilatura import load_html

    try:
        tree = load_html(html)
        if tree is None:
            return None
        _metadata_view(tree)
        found = find_date(tree, extensive_search=False, original_date=True, url=url,
                          max_date=dt.date.today().isoformat())
    except (LxmlError, ValueError, RecursionError):
        return None
    return parse_date(found) if found else None
