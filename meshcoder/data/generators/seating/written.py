"""Numbers as the program writes them: rounding, the smallest written size, and the library calls
without their default arguments."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from meshcoder.data.builder import PartWriter
from meshcoder.data.frame import Frame
from meshcoder.data.generators.geometry import MIN_SIZE

_STATE = threading.local()  # .exact is set while the frame is fitted to the unrounded design


@contextmanager
def unrounded() -> Iterator[None]:
    """Within it, :func:`rounded` leaves numbers as they are (on this thread): the first fit of the frame
    is to the unrounded design."""
    _STATE.exact = True
    try:
        yield
    finally:
        _STATE.exact = False


def rounded(x, decimals: int = 2) -> np.ndarray:
    """Round as the program text will (not while the frame is fitted to the unrounded design)."""
    if getattr(_STATE, "exact", False):
        return np.asarray(x, dtype=float) + 0.0
    return np.round(np.asarray(x, dtype=float), decimals) + 0.0


def written_size(f: Frame, x) -> np.ndarray:
    """A design length as a written size: canonical, never below MIN_SIZE, rounded."""
    return rounded(np.maximum(np.asarray(f.l(x), dtype=float), MIN_SIZE))


def call(p: PartWriter, function: str, **arguments) -> None:
    """``p.call`` without the arguments left as None (their defaults say the same) or ``apply=False``."""
    if arguments.get("apply") is False:
        arguments["apply"] = None
    p.call(function, **{k: v for k, v in arguments.items() if v is not None})
