"""Part samplers: one-part programs of the paper's part-to-code stage, in the cube [-1, 1]^3.

Eight part types, one module each (the two cutlery types share one), registered in
:mod:`meshcoder.data.generators.registry` when this package is imported, so
``generate_program("Boolean", seed)`` and :func:`generate_part` write the same program:

* ``Primitive`` (:mod:`.primitive`): the paper's rule exactly.
* ``Translation`` (:mod:`.translation`): a section swept along a path.
* ``BridgeLoop`` (:mod:`.bridge_loop`): two to five loops bridged into one surface.
* ``Boolean`` (:mod:`.boolean`): two primitives combined by union, difference or intersection.
* ``Array`` (:mod:`.array`): a primitive repeated by a 1D, 2D or 3D array or a radial array.
* ``FillGrid`` (:mod:`.fill_grid`): a closed outline filled with a quad grid, optionally solidified.
* ``PartSpoon`` and ``PartFork`` (:mod:`.cutlery`): the cutlery functions with random anchor profiles.

How a part is sized and placed in the cube is in :mod:`.placement`.
"""

from __future__ import annotations

# Importing the part-type modules registers their samplers.
from meshcoder.data.generators.parts import (  # noqa: F401
    array,
    boolean,
    bridge_loop,
    cutlery,
    fill_grid,
    primitive,
    translation,
)
from meshcoder.data.generators.registry import REGISTRY, rng_for

__all__ = ["PART_TYPES", "generate_part"]

#: Part types in the paper's order, as registered (``PartSpoon``/``PartFork`` avoid the category names).
PART_TYPES: tuple[str, ...] = (
    "Primitive",
    "Translation",
    "BridgeLoop",
    "Boolean",
    "Array",
    "FillGrid",
    "PartSpoon",
    "PartFork",
)


def generate_part(part_type: str, seed: int) -> str:
    """The program text of part type ``part_type`` (one of :data:`PART_TYPES`) for ``seed``."""
    if part_type not in PART_TYPES:
        raise KeyError(f"unknown part type {part_type!r}; use one of {', '.join(PART_TYPES)}")
    return REGISTRY[part_type](rng_for(part_type, seed)).to_text()
