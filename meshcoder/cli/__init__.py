"""``meshcoder`` command line: one sub-command per module in this package.

Each sub-command module defines ``add_parser(subparsers)`` (returning its parser) and
``run(args) -> int`` (the exit status). Errors a user can fix are printed in one line, without a
traceback, and give a non-zero status.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> module under meshcoder.cli; kept explicit so `meshcoder --help` lists them in this order.
SUBCOMMANDS = ("predict", "run", "validate", "render", "examples", "convert", "score", "pack")


class CLIError(Exception):
    """A problem with the user's input: printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meshcoder", description="MeshCoder: point clouds to editable Blender Python programs."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"meshcoder.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"meshcoder.cli.{name}":
                continue  # a sub-command not (yet) shipped in this build
            raise
        p = module.add_parser(sub)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except CLIError as err:
        print(f"meshcoder {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
