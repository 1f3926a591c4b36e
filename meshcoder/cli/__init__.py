"""Every command of MeshCoder: the ``meshcoder`` sub-commands (argparse, one module each, listed in
:data:`SUBCOMMANDS`), the Hydra commands ``meshcoder-train`` (:mod:`.train`), ``meshcoder-datagen``
(:mod:`.datagen`) and ``meshcoder-eval`` (:mod:`.evaluate`), and ``python -m meshcoder.cli.gallery``.
The rest of the package is the library they call and imports nothing from here.

Each sub-command module defines ``add_parser(subparsers)`` (returning its parser) and
``run(args) -> int`` (the exit status). Errors a user can fix are printed in one line, without a
traceback, and give a non-zero status: a bad option or file is status 2, anything unexpected 1. With
``--debug`` (or ``MESHCODER_DEBUG=1`` in the environment) unexpected errors show their traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NoReturn

# name -> module under meshcoder.cli; kept explicit so `meshcoder --help` lists them in this order.
SUBCOMMANDS = ("predict", "run", "validate", "render", "examples", "convert", "score", "pack")
#: Environment variable that turns on tracebacks in every entry point (the Hydra ones too).
DEBUG_ENV = "MESHCODER_DEBUG"


class CLIError(Exception):
    """A problem with the user's input: printed as one line, exit status 2."""


def debug_requested() -> bool:
    """Whether ``MESHCODER_DEBUG`` asks for tracebacks (any value but empty, 0, false, no)."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


def one_line(err: BaseException) -> str:
    """An exception as one line: its message with line breaks folded, or its type when it has none."""
    text = " ".join(str(err).split())
    return text or type(err).__name__


def exit_on_error(prog: str, err: Exception, expected: tuple[type[Exception], ...]) -> NoReturn:
    """How a Hydra command ends on an error: an ``expected`` one (bad input) in one line, exit 2;
    anything else with its type and a pointer to the traceback (``MESHCODER_DEBUG=1`` re-raises), exit 1."""
    if isinstance(err, expected):
        print(f"{prog}: error: {one_line(err)}", file=sys.stderr)
        raise SystemExit(2) from None
    if debug_requested():
        raise err
    print(
        f"{prog}: error: {type(err).__name__}: {one_line(err)} (set MESHCODER_DEBUG=1 for the traceback)",
        file=sys.stderr,
    )
    raise SystemExit(1) from None


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr (``prog: error: ...; see prog --help``)
    rather than the usage block and the error."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog="meshcoder", description="MeshCoder: point clouds to editable Blender Python programs."
    )
    parser.add_argument(
        "--debug", action="store_true", help=f"show tracebacks of unexpected errors (or set {DEBUG_ENV}=1)"
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
        # Also after the command (`meshcoder score --debug ...`); SUPPRESS keeps an earlier --debug.
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = args.debug or debug_requested()
    prefix = f"meshcoder {args.command}: error:"
    try:
        return int(args._run(args) or 0)
    except CLIError as err:
        print(f"{prefix} {one_line(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        if debug:
            raise
        if isinstance(err, OSError) and err.filename is not None:
            # A file the command itself could not read or write (permissions, a full disk...).
            print(f"{prefix} {err.filename}: {err.strerror or one_line(err)}", file=sys.stderr)
            return 2
        print(
            f"{prefix} {type(err).__name__}: {one_line(err)} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
