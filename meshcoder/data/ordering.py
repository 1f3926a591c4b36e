"""Part order of the spec: bottom to top, then left to right, then front to back.

Each part is keyed by its lowest occupied cell of a 32^3 grid over the canonical cube [-0.5, 0.5]^3,
compared as (y, x, z) cell indices (Y up; x grows to the right; z grows towards the front, so the
front comes first by sorting on -z). Parts are sorted by that key, ties keeping their written order.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from meshcoder.data.builder import renumber_parts
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.sampling import sample_surface_points
from meshcoder.shapes.program import Program

GRID = 32


def lowest_cell(mesh: TriangleMesh, grid: int = GRID, samples: int = 4096) -> tuple[int, int, int]:
    """The part's lowest occupied cell as a sort key ``(iy, ix, -iz)``."""
    points = np.concatenate([mesh.vertices, sample_surface_points(mesh, samples, seed=0)])
    cells = np.clip(np.floor((points + 0.5) * grid).astype(int), 0, grid - 1)
    # The key (iy, ix, -iz) as one integer that sorts the same way: the lowest cell is its minimum.
    code = (cells[:, 1] * grid + cells[:, 0]) * grid + (grid - 1 - cells[:, 2])
    iy, ix, back = (int(c) for c in np.unravel_index(int(code.min()), (grid, grid, grid)))
    return iy, ix, back - (grid - 1)


def part_order(program: Program, parts: Mapping[str, TriangleMesh]) -> list[int]:
    """Part indices in the spec's order, from each part's executed mesh (``parts`` by object name)."""
    keyed = []
    for position, part in enumerate(program.parts):
        mesh = parts.get(part.object_name)
        try:
            key = None if mesh is None else lowest_cell(mesh)
        except ValueError:  # a mesh without area to sample
            key = None
        if key is None:
            raise ValueError(f"part {part.index} ({part.object_name!r}) has no mesh to order it by")
        keyed.append((key, position, part.index))
    return [index for _, _, index in sorted(keyed)]


def order_parts(program: Program, parts: Mapping[str, TriangleMesh]) -> tuple[str, dict[str, str]]:
    """The program text with parts in the spec's order, and the renaming of part objects it did."""
    order = part_order(program, parts)
    by_index = {p.index: p for p in program.parts}
    renamed = {by_index[old].object_name: f"{by_index[old].label}_{new}" for new, old in enumerate(order, 1)}
    return renumber_parts(program, order), renamed
