"""Command line: `python -m analysis SUBCOMMAND …`.

Each subcommand is one module in `analysis/commands/` with `NAME`, `HELP`, `add_arguments(parser)`
and `run(args) -> int`; the modules are discovered, so a new subcommand is one new file.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from analysis import commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Ingest news articles and extract who said what: entities, quotes, speakers, opinions.",
    )
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        sp = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sp)
        sp.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `python -m analysis quotes … | head`: the reader left; say nothing more, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
