"""A folder of hostile input beside good articles, built by the tests (issue 17).

`build_hostile_folder(root)` writes it under `root` and returns a `HostileFolder` that says what
an ingest of `folder` must do with each file: the good articles (every one stored), the bad
files (each rejected, with words its reason must hold) and the notices (stored, with a notice).
The CLI tests ingest it; the dashboard tests can upload the same files.

Nothing here is fetched: the bombs are a few lines each, and the long text is the seed
articles repeated until it is over spaCy's 1,000,000-character limit.
"""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SPACY_MAX_LENGTH = 1_000_000

# 505 bytes of YAML that stand for 9**9 (387 million) strings once expanded.
ALIAS_BOMB = """---
title: Talks resume
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
author: [*h]
---
"""


def article(n: int, speaker: str = "Jane Roe") -> str:
    """A short article of its own (distinct texts: the same text twice is one article)."""
    return (f"Talks resume, round {n}\n\nNegotiators met in Stockholm for round {n} of the talks on Saturday. "
            f"\u201cWe are not there yet,\u201d said {speaker}, a senior official, after the meeting.\n\n"
            f"{speaker} said the two sides would meet again within {n + 1} weeks.\n")


def long_text(chars: int) -> str:
    """Real news paragraphs (the seeds, numbered) until the text is over `chars` characters."""
    paragraphs = [p.strip() for f in sorted(SEEDS.glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 80]
    out, size, i = [], 0, 0
    while size <= chars:
        para = f"({i}) {paragraphs[i % len(paragraphs)]}\n\n"
        out.append(para)
        size += len(para)
        i += 1
    return "".join(out)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@dataclass
class HostileFolder:
    folder: Path  # what to ingest
    good: set[str] = field(default_factory=set)  # sources (relative to folder, "file#line" for a row) to be stored
    rejected: dict[str, str] = field(default_factory=dict)  # source -> words its reason holds
    notices: dict[str, str] = field(default_factory=dict)  # source -> words its notice holds
    undated: set[str] = field(default_factory=set)  # stored sources whose date must stay empty

    def write(self, name: str, data: str | bytes, *, good: bool = True) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        if good:
            self.good.add(name)
        return path


def build_hostile_folder(root: Path, *, long: bool = True) -> HostileFolder:
    """Write the folder under `root` (`root/in`, plus `root/elsewhere` that a link points to).

    `long=False` leaves out the text over spaCy's limit, whose parse takes most of a minute.
    """
    h = HostileFolder(root / "in")
    h.folder.mkdir(parents=True)
    n = iter(range(1, 1000))

    # Good articles of every format.
    for seed in sorted(SEEDS.glob("*.txt")):
        h.write(f"seeds/{seed.name}", seed.read_bytes())
    h.write("good.txt", article(next(n)))
    h.write("good.md", f"---\ntitle: Summit ends early\nauthor: John Doe\ndate: 2019-02-28\n---\n\n{article(next(n))}")
    h.write("good.json", json.dumps([{"text": article(next(n)), "title": "One", "date": "2019-03-01"},
                                     {"text": article(next(n)), "title": "Two"}]), good=False)
    h.good |= {"good.json#1", "good.json#2"}
    table = io.StringIO()
    csv.writer(table).writerows([("title", "outlet", "text"), ('=HYPERLINK("http://example.com/x","click")',
                                                               "+cmd|' /C calc'!A0", article(next(n)))])
    h.write("formula.csv", table.getvalue(), good=False)  # spreadsheet formulas as title and outlet
    h.good.add("formula.csv#2")
    h.write("script.md", f"<script>alert('xss')</script> in a title\n\n{article(next(n), 'Mary <b>Major</b>')}")
    h.write("red\x1b[31m.txt", article(next(n)))  # terminal escapes in file names
    h.write("clear\x1b[2J.txt", b"", good=False)
    h.rejected["clear\x1b[2J.txt"] = "file is empty"

    # 1. JSON nested deeper than the recursion limit: the file, the line, the record with the field.
    h.write("nested.json", nested(100_000), good=False)
    h.rejected["nested.json"] = "nested too deeply"
    h.write("nested-line.jsonl", "\n".join([json.dumps({"text": article(next(n))}), nested(100_000),
                                            json.dumps({"text": article(next(n))})]) + "\n", good=False)
    h.good |= {"nested-line.jsonl#1", "nested-line.jsonl#3"}
    h.rejected["nested-line.jsonl:2"] = "nested too deeply"
    h.write("deep-field.json", '{"text": "A deep field.", "extra": ' + nested(100_000) + "}", good=False)
    h.rejected["deep-field.json"] = "nested too deeply"

    # 2. A text over spaCy's limit is parsed (in pieces); one over the character limit is refused.
    if long:
        h.write("long.txt", f"A very long report\n\n{long_text(SPACY_MAX_LENGTH)}")
    from analysis.loaders import DEFAULT_MAX_CHARS

    h.write("too-long.txt", "word " * (DEFAULT_MAX_CHARS // 5 + 1), good=False)
    h.rejected["too-long.txt"] = "character limit"

    # 3. YAML front matter: an alias bomb, and front matter too long to read. Both keep the text.
    h.write("bomb.md", ALIAS_BOMB + article(next(n)))
    h.notices["bomb.md"] = "aliases"
    h.write("long-front.md", "---\ntitle: x\nnote: " + "y" * 20_000 + "\n---\n" + article(next(n)))
    h.notices["long-front.md"] = "front matter over"

    # 4. Not regular files: a FIFO, a link to /dev/zero, a broken link.
    os.mkfifo(h.folder / "fifo.txt")
    h.rejected["fifo.txt"] = "named pipe"
    os.symlink("/dev/zero", h.folder / "zero.txt")
    h.rejected["zero.txt"] = "character device"
    os.symlink(h.folder / "no-such-file.txt", h.folder / "broken.txt")
    h.rejected["broken.txt"] = "broken symbolic link"

    # 7. Dates: relative, impossible, and a page whose only dates are numbers in its text.
    h.write("yesterday.jsonl", json.dumps({"text": article(next(n)), "date": "yesterday"}) + "\n", good=False)
    h.good.add("yesterday.jsonl#1")
    h.notices["yesterday.jsonl#1"] = "'yesterday'"
    h.write("bad-date.md", f"---\ndate: 2019-13-45\n---\n{article(next(n))}")
    h.notices["bad-date.md"] = "'2019-13-45'"
    body = "".join(f"<p>{p}</p>" for p in article(next(n)).split("\n\n"))
    h.write("undated.html", "<html><head><title>Talks resume</title></head><body><article><h1>Talks resume</h1>"
                            f"{body}<p>The 2012 agreement was signed on 20120101, it said.</p>{body.replace('round', 'part')}"
                            "</article></body></html>")
    h.undated |= {"undated.html", "yesterday.jsonl#1", "bad-date.md"}

    # 8. A symbolic link to a folder outside the tree (followed), and one back to the tree (a loop).
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    for i in range(3):
        (elsewhere / f"linked-{i}.txt").write_text(article(next(n)), encoding="utf-8")
        h.good.add(f"linked/linked-{i}.txt")
    os.symlink(elsewhere, h.folder / "linked")
    os.symlink(h.folder, h.folder / "seeds" / "loop")
    h.notices["seeds/loop"] = "read already"

    # 9. UTF-8 with one byte that is neither UTF-8 nor Windows-1252.
    h.write("stray-byte.txt", article(next(n)).encode("utf-8").replace(b"Saturday", b"Satur\x9dday"))
    h.notices["stray-byte.txt"] = "1 invalid byte"

    # Strings no store can hold: a lone surrogate escaped in JSON, a file name that is not UTF-8.
    h.write("surrogate.json", json.dumps({"text": article(next(n)) + "\ud800", "title": "Half \ud800 a character"}),
            good=False)
    h.good.add("surrogate.json#1")
    h.notices["surrogate.json#1"] = "surrogate"
    (h.folder / "notutf8").mkdir()
    with open(os.path.join(os.fsencode(h.folder / "notutf8"), b"caf\xe9.txt"), "wb") as f:
        f.write(article(next(n)).encode("utf-8"))
    h.good.add("notutf8/caf\ufffd.txt")
    h.notices["notutf8/caf\ufffd.txt"] = "file name is not valid UTF-8"
    return h
