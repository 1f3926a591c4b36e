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
from meshcoder.shapes.program import Program

GRID = 32


def lowest_cell(mesh: TriangleMesh, grid: int = GRID, samples: int = 4096) -> tuple[int, int, int]:
    """The part's lowest occupied cell as a sort key ``(iy, ix, -iz)``."""
    from meshcoder.geometry.sampling import sample_surface

    points = np.concatenate([mesh.vertices, sample_surface(mesh, samples, seed=0).points])
    cells = np.clip(np.floor((points + 0.5) * grid).astype(int), 0, grid - 1)
    keys = np.stack([cells[:, 1], cells[:, 0], -cells[:, 2]], axis=1)
    best = keys[np.lexsort(keys.T[::-1])[0]]
    return int(best[0]), int(best[1]), int(best[2])


def part_order(program: Program, parts: Mapping[str, TriangleMesh]) -> list[int]:
    """Part indices in the spec's order, from each part's executed mesh (``parts`` by object name)."""
    keyed = []
    for position, part in enumerate(program.parts):
        mesh = parts.get(part.object_name)
        if mesh is None or mesh.is_empty or mesh.area <= 0:
            raise ValueError(f"part {part.index} ({part.object_name!r}) has no mesh to order it by")
        keyed.append((lowest_cell(mesh), position, part.index))
    return [index for _, _, index in sorted(keyed)]


def order_parts(program: Program, parts: Mapping[str, TriangleMesh]) -> tuple[str, dict[str, str]]:
    """The program text with parts in the spec's order, and the renaming of part objects it did."""
    order = part_order(program, parts)
    by_index = {p.index: p for p in program.parts}
    renamed = {by_index[old].object_name: f"{by_index[old].label}_{new}" for new, old in enumerate(order, 1)}
    return renumber_parts(program, order), renamed
