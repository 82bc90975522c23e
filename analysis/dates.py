"""Dates as ISO `yyyy-mm-dd` strings, or None: an article without a date stays undated."""
from __future__ import annotations

import datetime as dt
import functools
import re

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")


@functools.lru_cache(maxsize=4096)
def parse_date(value: str | None) -> str | None:
    """Parse a date as people write it; ISO dates skip dateparser, which is slow to call."""
    if not value or not str(value).strip():
        return None
    value = str(value).strip()
    m = _ISO.match(value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    import dateparser

    parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False,
                                               "REQUIRE_PARTS": ["year"]}, languages=["en"])
    return parsed.date().isoformat() if parsed else None
