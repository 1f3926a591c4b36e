"""Argument types shared by the sub-commands: numbers with a range, and output paths that can be written.

Each type turns a bad value into an ``argparse.ArgumentTypeError`` whose message says what was expected,
so argparse reports it as one line naming the option.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from pathlib import Path

from meshcoder.cli import CLIError


def whole(minimum: int, words: str) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum`` (``words`` say so in the error)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {words}, got {value}")
        return value

    return parse


positive_int = whole(1, "at least 1")
non_negative_int = whole(0, "0 or more")


def finite_float(text: str) -> float:
    """An argparse type: a finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a finite number greater than 0."""
    value = finite_float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {value:g}")
    return value


def non_negative_float(text: str) -> float:
    """An argparse type: a finite number, 0 or more."""
    value = finite_float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value:g}")
    return value


def unit_interval(text: str) -> float:
    """An argparse type: a number in (0, 1]."""
    value = finite_float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {value:g}")
    return value


def check_writable_folder(folder: Path, option: str, target: Path | None = None) -> None:
    """Create ``folder`` (and its parents) and check that a file can be written in it; a
    :class:`CLIError` naming ``option`` and ``target`` (default: the folder) otherwise. An ``option``
    ending in ``=`` is a Hydra setting (``out_dir=``) and is shown joined to its value."""
    shown = f"{option}{target or folder}" if option.endswith("=") else f"{option} {target or folder}"
    if folder.exists() and not folder.is_dir():
        raise CLIError(f"{shown}: {folder} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        raise CLIError(f"{shown}: cannot write in {folder} ({err.strerror or err})") from None


def check_writable_file(path: Path, option: str) -> None:
    """Check that ``path`` can be written: not a folder, and its folder creatable and writable."""
    if path.is_dir():
        raise CLIError(f"{option} {path}: is a folder; give a file name")
    check_writable_folder(path.parent, option, target=path)
