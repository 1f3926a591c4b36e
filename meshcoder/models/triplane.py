"""Three axis-aligned feature planes (xy, yz, zx) over the points: cell indexing, scatter-max pooling,
gathering back to the points, and the side-by-side ``C x R x 3R`` image the ViT reads.

Coordinates in ``[-bound, bound]`` map to ``R`` cells per axis; points outside land in the border cells
(clamped) rather than being dropped, so an object a little larger than the canonical cube still counts.
Padded points go to one extra "dump" cell past the planes, which is discarded, so they never reach a
plane. Plane ``p`` uses axes ``PLANE_AXES[p]`` as (row, column).
"""

from __future__ import annotations

import torch

from meshcoder.models.scatter import ScatterBackend, flat_rows, scatter_max

PLANE_NAMES = ("xy", "yz", "zx")
PLANE_AXES = ((0, 1), (1, 2), (2, 0))


def plane_cells(
    xyz: torch.Tensor, resolution: int, bound: float, points_mask: torch.Tensor | None = None
) -> torch.Tensor:
    """Flat cell index of every point in each of the three planes.

    Args:
        xyz: ``B x N x 3`` coordinates.
        resolution: ``R``, cells per plane side.
        bound: half side of the covered cube ``[-bound, bound]^3``.
        points_mask: ``B x N`` bool, True for real points; padded points get the dump cell.

    Returns:
        ``B x 3N`` long indices into ``3 * R * R + 1`` cells: plane ``p``'s cells are
        ``[p R^2, (p + 1) R^2)``, the last cell (``3 R^2``) is the dump cell. Rows are ordered plane-major
        (all points for xy, then yz, then zx).
    """
    r = resolution
    axis_cell = ((xyz.detach().float() + bound) * (r / (2.0 * bound))).floor().clamp_(0, r - 1).long()
    planes = [axis_cell[..., a] * r + axis_cell[..., b] + p * r * r for p, (a, b) in enumerate(PLANE_AXES)]
    cells = torch.stack(planes, dim=1)  # B x 3 x N
    if points_mask is not None:
        cells = cells.masked_fill(~points_mask.bool().unsqueeze(1), 3 * r * r)
    return cells.flatten(1)


def pool_planes(
    features: torch.Tensor, cells: torch.Tensor, resolution: int, backend: ScatterBackend = "auto"
) -> torch.Tensor:
    """Scatter-max point features into the three planes.

    Args:
        features: ``B x N x C`` point features.
        cells: ``B x 3N`` indices from :func:`plane_cells`.
        resolution: ``R``.
        backend: scatter backend (see :mod:`meshcoder.models.scatter`).

    Returns:
        ``B x (3 R^2 + 1) x C``: the three flattened planes then the dump cell (empty cells hold 0).
    """
    src = features.repeat(1, 3, 1)  # plane-major like ``cells``
    return scatter_max(src, cells, 3 * resolution * resolution + 1, backend)


def gather_planes(pooled: torch.Tensor, cells: torch.Tensor) -> torch.Tensor:
    """Each point's three plane cells, read back and summed: ``B x N x C`` (local context)."""
    b, m, c = pooled.shape
    # Empty the dump cell so padded points read zeros whatever was scattered there.
    pooled = torch.cat([pooled[:, :-1], pooled.new_zeros(b, 1, c)], dim=1)
    # Whole rows by index_select on the flattened batch: several times faster than gather along dim 1.
    picked = pooled.reshape(b * m, c).index_select(0, flat_rows(cells, m))
    return picked.view(b, 3, -1, c).sum(dim=1)


def planes_to_image(pooled: torch.Tensor, resolution: int) -> torch.Tensor:
    """The three planes side by side as one image, ``B x C x R x 3R`` (xy | yz | zx)."""
    b, _, c = pooled.shape
    r = resolution
    planes = pooled[:, : 3 * r * r].view(b, 3, r, r, c)  # plane, row, column, channel
    return planes.permute(0, 4, 2, 1, 3).reshape(b, c, r, 3 * r)
