"""Random draws besides weighted choices (:func:`meshcoder.data.generators.geometry.pick`): a uniform
number and a coin, as plain Python values."""

from __future__ import annotations

import numpy as np


def uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A number drawn uniformly from ``[lo, hi)``."""
    return float(rng.uniform(lo, hi))


def chance(rng: np.random.Generator, p: float) -> bool:
    """True with probability ``p``."""
    return bool(rng.random() < p)
