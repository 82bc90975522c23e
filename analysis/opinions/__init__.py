"""Expert opinions: what each statement is about, what it claims, and who agrees with whom.

An analyst asks where the experts agree or split. The answer is built in layers, one module each:

- `claims`: at ingest, on the parse, each quote's subject and what it asserts about it, with
  negation, modality, hedges and stance (stored as the `claims` table);
- `stance`: general English stance cues (`data/stance_cues.tsv`), negation, denials;
- `subjects`: the corpus-wide subject of each statement (entities resolved, "I" as the speaker);
- `features`, `grouping`: statements that assert the same thing about the same subject become
  one claim, by sparse algebra over the whole corpus;
- `labels`: each claim named by its most typical statement's own claim phrase;
- `codebook`: the analyst's themes and stance cues on top, the only domain knowledge;
- `derive`: the `opinions` table (`derive_opinions`, in two steps `file_statements` and
  `group_filed`; `assign_new_statements`);
- `frames`: the same grouping on pandas frames (tests, notebooks) and per-claim summaries.

The views over `opinions` are in `analysis.opinion_queries`.
"""
from analysis.opinions.codebook import Codebook, Theme, apply_codebook, load_codebook
from analysis.opinions.derive import STATE_TABLES, assign_new_statements, derive_opinions, file_statements, group_filed
from analysis.opinions.frames import group_statements, speaker_stances, summarize_claims

VERSION = "8"  # the corpus-level grouping: a change re-derives the corpus tables

__all__ = ["STATE_TABLES", "VERSION", "Codebook", "Theme", "apply_codebook", "assign_new_statements", "derive_opinions",
           "file_statements", "group_filed", "group_statements", "load_codebook", "speaker_stances", "summarize_claims"]
