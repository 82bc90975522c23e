"""Text helpers for the pages: corpus strings made safe for Markdown, counts in words, links that
carry the current filters."""
from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def md_escape(text) -> str:
    """Corpus or URL text placed in Markdown (titles, names, notices): shown as typed, never
    interpreted as Markdown, HTML, links, images or LaTeX."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """"1 entity", "3 entities", "1,204 quotes"."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def short(text, n: int = 70) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def link(url_path: str, **overrides) -> str:
    """A relative link to another page that carries the current filters (and `overrides`), so
    it opens the same view in a new tab or for whoever receives it."""
    params: list[tuple[str, str]] = []
    for k in st.query_params:
        if k in overrides:
            continue
        params += [(k, v) for v in st.query_params.get_all(k)]
    params += [(k, str(v)) for k, v in overrides.items() if v is not None]
    query = urlencode(params)
    return f"./{url_path}" + (f"?{query}" if query else "")


def md_link(text, url: str) -> str:
    """A Markdown link whose text is escaped corpus text and whose target is our own URL."""
    return f"[{md_escape(text)}]({url.replace(')', '%29').replace(' ', '%20')})"
