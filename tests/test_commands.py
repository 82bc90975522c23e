"""The extraction commands' output, read as a script would (`python -m analysis entities|opinions`)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from .conftest import SEEDS


def test_entities_command(capsys):
    from analysis.cli import main

    assert main(["entities", str(SEEDS), "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and set(records[0]) == {"file", "start", "end", "text", "canonical", "label"}
    narang = [r for r in records if r["text"] == "Narang"]
    assert narang and narang[0]["canonical"] == "Vipin Narang" and narang[0]["label"] == "PERSON"
    dprk = [r for r in records if r["text"] == "DPRK"]
    assert dprk and {r["canonical"] for r in dprk} == {"North Korea"}
    for r in records:
        text = Path(r["file"]).read_text(encoding="utf-8")
        assert text[r["start"]:r["end"]] == r["text"]


def test_entities_command_csv(capsys, tmp_path):
    from analysis.cli import main

    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\nPyongyang,North Korea\n", encoding="utf-8")
    assert main(["entities", str(SEEDS), "--format", "csv", "--aliases", str(aliases)]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(df.columns) == ["file", "start", "end", "text", "canonical", "label"]
    assert set(df[df.text == "Pyongyang"].canonical) == {"North Korea"}


def test_opinions_command_and_dashboard_agree_on_speakers_and_roles(capsys, tmp_path):
    """One derivation path: the `opinions` command (over a temporary store) and the dashboard's
    corpus (over the ingested store) give every statement the same speaker, role and group."""
    from analysis.cli import main
    from analysis.corpus import open_corpus
    from analysis.pipeline import ingest
    from analysis.store import Store

    assert main(["opinions", str(SEEDS), "--format", "jsonl"]) == 0
    command = {(Path(r["file"]).name, r["start"]): (r["speaker"], r["role"], r["group"])
               for r in map(json.loads, capsys.readouterr().out.splitlines())}
    store = Store(tmp_path / "store")
    ingest([SEEDS], store)
    con = open_corpus(store)
    dashboard = {(Path(f).name, s): (k, r, g) for f, s, k, r, g in con.execute("""
        SELECT a.source, q.start, o.speaker_key, sc.role, o.group_label
        FROM opinions o JOIN quotes q ON q.quote_no = o.quote_no JOIN articles a ON a.article_no = q.article_no
             LEFT JOIN speakers_corpus sc ON sc.speaker_key = o.speaker_key""").fetchall()}
    assert len(command) >= 15 and command == dashboard
    assert command[next(k for k, v in command.items() if v[0] == "Vipin Narang")][1] == "expert"
