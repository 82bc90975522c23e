"""The article reader's HTML: quotes highlighted, entities underlined by type (shared by pages).

Article text is data, never markup: every piece of it goes through `html.escape` before it is
placed in the page, and hover titles are escaped as attributes.
"""
from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

READER_CSS = """<style>
.reader { font-family: Georgia, serif; font-size: 1.08rem; line-height: 1.65; max-width: 62rem; }
.reader mark.quote { background: #fff1a8; padding: 0 2px; border-radius: 3px; cursor: help; }
.reader span.ent { border-bottom: 2px solid #9ecae1; cursor: help; }
.reader span.ent-person { border-bottom-color: #e6550d; }
.reader span.ent-org { border-bottom-color: #31a354; }
.reader span.ent-gpe, .reader span.ent-loc { border-bottom-color: #3182bd; }
.reader span.ent-norp { border-bottom-color: #756bb1; }
.legend span, .legend mark { margin-right: 0.8rem; }
</style>"""

LEGEND = ('<div class="reader legend"><mark class="quote">quote</mark> '
          '<span class="ent ent-person">person</span> <span class="ent ent-org">organisation</span> '
          '<span class="ent ent-gpe">place</span> <span class="ent ent-norp">group</span> '
          '<span class="ent">other entity</span> — hover for the speaker or the entity</div>')


def paragraph_around(text: str, start: int, end: int, max_chars: int = 1500) -> tuple[str, int, int]:
    """The paragraph (blank-line or line delimited) holding [start, end), and the span within it."""
    p0 = max(text.rfind("\n", 0, start) + 1, 0)
    p1 = text.find("\n", end)
    p1 = len(text) if p1 == -1 else p1
    if p1 - p0 > max_chars:  # one-paragraph articles: a window around the quote instead
        p0 = max(p0, start - max_chars // 3)
        p1 = min(p1, end + max_chars // 3)
    return text[p0:p1], start - p0, end - p0


def quote_in_paragraph_html(text: str, start: int, end: int, speaker: str | None) -> str:
    """The paragraph with the quote marked; every piece of article text is escaped."""
    para, s, e = paragraph_around(text, start, end)
    title = html.escape(f"quoted: {speaker or 'unknown speaker'}", quote=True)
    return (html.escape(para[:s]) + f'<mark class="quote" title="{title}">' + html.escape(para[s:e])
            + "</mark>" + html.escape(para[e:]))



def highlight_html(text: str, entities: pd.DataFrame | Iterable[dict], quotes: pd.DataFrame | Iterable[dict],
                   body_start: int = 0) -> str:
    """The article as HTML with quotes and entities marked; every text piece goes through html.escape.

    Quotes become `<mark class="quote" title="speaker">`, entities `<span class="ent">` with the
    type and canonical name on hover. Spans that overlap a quote boundary are dropped rather
    than nested wrongly; entities inside a quote are nested in it. Paragraphs keep their breaks.
    """
    ents = _records(entities)
    qs = sorted(_records(quotes), key=lambda r: int(r["start"]))
    # Quotes: keep non-overlapping ones.
    kept_q: list[dict] = []
    for q in qs:
        if int(q["start"]) < 0 or int(q["end"]) > len(text) or int(q["end"]) <= int(q["start"]):
            continue
        if kept_q and int(q["start"]) < int(kept_q[-1]["end"]):
            continue
        kept_q.append(q)
    # Entities: drop those crossing a quote boundary or overlapping each other.
    def crosses(e: dict) -> bool:
        s, t = int(e["start"]), int(e["end"])
        return any((s < int(q["start"]) < t) or (s < int(q["end"]) < t) for q in kept_q)
    kept_e: list[dict] = []
    for e in sorted(ents, key=lambda r: int(r["start"])):
        s, t = int(e["start"]), int(e["end"])
        if s < body_start or t > len(text) or t <= s or crosses(e):
            continue
        if kept_e and s < int(kept_e[-1]["end"]):
            continue
        kept_e.append(e)
    events: list[tuple[int, int, str]] = []  # (offset, order, html): closes before opens at one offset
    for q in kept_q:
        who = q.get("speaker") or "unknown speaker"
        title = html.escape(f"{who} ({q.get('kind') or 'quote'}; cue: {q.get('cue') or '-'})", quote=True)
        events.append((int(q["start"]), 2, f'<mark class="quote" title="{title}">'))
        events.append((int(q["end"]), 0, "</mark>"))
    for e in kept_e:
        title = html.escape(f"{e.get('type') or ''}: {e.get('entity') or e.get('text') or ''}", quote=True)
        cls = "ent ent-" + "".join(ch for ch in str(e.get("type") or "x").lower() if ch.isalnum())
        events.append((int(e["start"]), 3, f'<span class="{cls}" title="{title}">'))
        events.append((int(e["end"]), 1, "</span>"))
    events.sort(key=lambda ev: (ev[0], ev[1]))
    out: list[str] = []
    pos = 0
    for off, _, tag in events:
        out.append(_escape_text(text[pos:off]))
        out.append(tag)
        pos = off
    out.append(_escape_text(text[pos:]))
    return "".join(out)


def _escape_text(s: str) -> str:
    return html.escape(s).replace("\n", "<br>\n")


def _records(rows) -> list[dict]:
    if rows is None:
        return []
    if isinstance(rows, pd.DataFrame):
        return rows.to_dict("records")
    return list(rows)
