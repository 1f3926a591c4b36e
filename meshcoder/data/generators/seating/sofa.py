"""Sofa: two- to four-seat upholstered sofas."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.seating.upholstered import upholstered


@register("Sofa")
def sofa(rng: np.random.Generator) -> ProgramBuilder:
    """Two- to four-seat sofas: rolled, box, track, sloped or no arms; legs (four or six) or a plinth;
    one bench or several seat cushions, back cushions and throw pillows."""
    d = Design("sofa")
    upholstered(d, rng, int(rng.choice([2, 3, 3, 4], p=[0.4, 0.25, 0.2, 0.15])), sofa=True)
    return d.builder()
