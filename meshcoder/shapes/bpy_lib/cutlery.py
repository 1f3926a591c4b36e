"""Cutlery: a fork and a spoon, each a grid shaped by anchor profiles, solidified and smoothed.

Both are modelled along local +X, handle first: ``x_anchors`` are positions along the length (in
increasing order), ``y_anchors`` the half-widths there and ``z_anchors`` the height of the centre
line there. Between anchors the profiles follow a monotone cubic spline, which is smooth and never
overshoots the anchors (no negative widths, no bumps the anchors do not ask for). The part is then
given its ``thickness`` (centred on the shaped surface), smoothed by one level of Catmull-Clark
subdivision and placed by ``location``, ``rotation`` (quaternion) and ``scale``. Runs in Blender.
"""

from __future__ import annotations

import bmesh
import numpy as np

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError

__all__ = ["create_fork", "create_spoon"]

_ROWS = 96  # grid rows along the length
_TINE_CELLS, _SLOT_CELLS = 2, 1  # grid cells across one tine and one slot
_SLOT_WIDTH = 0.6  # a slot's width as a fraction of a tine's
_MIN_WIDTH = 0.02  # narrowest half-width kept, as a fraction of the widest (no zero-area rows)


def create_fork(
    name: str,
    x_tip: float = 0.22,
    thickness: float = 0.015,
    n_cuts: int = 3,
    x_anchors: list[float] = [-0.5, -0.2, 0.08, 0.2, 0.32, 0.5],  # noqa: B006 (literal default: catalogue contract)
    y_anchors: list[float] = [0.035, 0.026, 0.014, 0.04, 0.05, 0.05],  # noqa: B006
    z_anchors: list[float] = [0.0, 0.02, 0.0, -0.015, 0.0, 0.03],  # noqa: B006
    location: list[float] = [0, 0, 0],  # noqa: B006
    rotation: list[float] = [1, 0, 0, 0],  # noqa: B006
    scale: list[float] = [1, 1, 1],  # noqa: B006
):
    """A fork along local +X (handle at the first anchor, tines at the last).

    ``n_cuts`` slots run from ``x_tip`` to the far end and split the head into ``n_cuts + 1``
    tines of equal width (each slot is 0.6 of a tine wide). ``x_tip`` must lie between the first
    and last x anchor. The profiles (``x_anchors``, ``y_anchors`` half-widths, ``z_anchors``
    heights) and ``thickness``, ``location``, ``rotation``, ``scale`` are as described in the
    module docstring; the defaults make a dinner fork one unit long.
    """
    xs, half_width, height = _profiles("create_fork", x_anchors, y_anchors, z_anchors)
    x_tip, cuts = float(x_tip), int(n_cuts)
    if not xs[0] < x_tip < xs[-1]:
        raise ProgramRuntimeError(
            f"create_fork: x_tip={x_tip} must lie between the first and last x anchor ({xs[0]}, {xs[-1]})"
        )
    if cuts < 0:
        raise ProgramRuntimeError(f"create_fork: n_cuts must be >= 0, got {n_cuts}")

    # Columns across the width: tine, slot, tine, ..., tine, with the slot strips' cells marked.
    strips = [(_TINE_CELLS, 1.0, False)]
    for _ in range(cuts):
        strips += [(_SLOT_CELLS, _SLOT_WIDTH, True), (_TINE_CELLS, 1.0, False)]
    total = sum(width for _, width, _ in strips)
    v_lines, slot_cells, v = [-1.0], [], -1.0
    for cells, width, is_slot in strips:
        for _ in range(cells):
            slot_cells.append(is_slot)
            v += 2.0 * width / total / cells
            v_lines.append(v)
    v_lines[-1] = 1.0

    n_base = max(4, round(_ROWS * (x_tip - xs[0]) / (xs[-1] - xs[0])))
    rows = np.concatenate(
        [np.linspace(xs[0], x_tip, n_base + 1), np.linspace(x_tip, xs[-1], max(4, _ROWS - n_base) + 1)[1:]]
    )

    def in_slot(i: int, j: int) -> bool:  # cell between rows i, i+1 and columns j, j+1
        return slot_cells[j] and rows[i] >= x_tip - 1e-12

    grid = _grid(rows, np.array(v_lines), half_width, height)
    return _finish(name, grid, in_slot, thickness, location, rotation, scale)


def create_spoon(
    name: str,
    z_depth: float = 0.04,
    thickness: float = 0.012,
    x_anchors: list[float] = [-0.5, -0.2, 0.06, 0.15, 0.3, 0.42, 0.47, 0.5],  # noqa: B006 (catalogue contract)
    y_anchors: list[float] = [0.035, 0.026, 0.012, 0.05, 0.075, 0.06, 0.04, 0.0],  # noqa: B006
    z_anchors: list[float] = [0.0, 0.02, 0.0, -0.01, -0.01, -0.01, -0.005, 0.0],  # noqa: B006
    location: list[float] = [0, 0, 0],  # noqa: B006
    rotation: list[float] = [1, 0, 0, 0],  # noqa: B006
    scale: list[float] = [1, 1, 1],  # noqa: B006
):
    """A spoon along local +X (handle at the first anchor, bowl at the last).

    The bowl runs from the neck (the narrowest point before the widest one) to the far end; its
    centre sinks ``z_depth`` below the rim (towards -Z, so it holds liquid with +Z up): the depth
    is ``z_depth * (1 - v^2) * sin(pi * t)`` for ``v`` in [-1, 1] across the width and ``t`` in
    [0, 1] along the bowl. The profiles and ``thickness``, ``location``, ``rotation``, ``scale``
    are as described in the module docstring; the defaults make a table spoon one unit long.
    """
    xs, half_width, height = _profiles("create_spoon", x_anchors, y_anchors, z_anchors)
    rows = np.linspace(xs[0], xs[-1], _ROWS + 1)
    widths = half_width(rows)
    widest = int(np.argmax(widths))
    neck = widest
    while neck > 0 and widths[neck - 1] <= widths[neck]:
        neck -= 1
    x_neck = rows[neck] if neck < widest else xs[0]
    depth = float(z_depth)

    def bowl_height(x: np.ndarray, v: np.ndarray) -> np.ndarray:
        t = np.clip((x - x_neck) / max(xs[-1] - x_neck, 1e-9), 0.0, 1.0)
        return height(x) - depth * (1.0 - v**2) * np.sin(np.pi * t)

    grid = _grid(rows, np.linspace(-1.0, 1.0, 13), half_width, height, bowl_height)
    return _finish(name, grid, lambda i, j: False, thickness, location, rotation, scale)


# ------------------------------------------------------------------------------------- internals


def _profiles(where: str, x_anchors, y_anchors, z_anchors):
    """Validated anchors and the two interpolating profiles ``half_width(x)`` and ``height(x)``."""
    try:
        xs = np.array(x_anchors, dtype=np.float64).ravel()
        ys = np.abs(np.array(y_anchors, dtype=np.float64).ravel())
        zs = np.array(z_anchors, dtype=np.float64).ravel()
    except (TypeError, ValueError) as err:
        raise ProgramRuntimeError(f"{where}: anchors must be lists of numbers ({err})") from err
    if not (len(xs) == len(ys) == len(zs)) or len(xs) < 2:
        raise ProgramRuntimeError(
            f"{where}: x_anchors, y_anchors and z_anchors need the same length, at least 2 "
            f"(got {len(xs)}, {len(ys)}, {len(zs)})"
        )
    if np.any(np.diff(xs) <= 0):
        raise ProgramRuntimeError(f"{where}: x_anchors must increase strictly, got {xs.tolist()}")
    floor = _MIN_WIDTH * ys.max() if ys.max() > 0 else 1e-4

    def half_width(x):
        return np.maximum(_monotone_cubic(xs, ys, x), floor)

    def height(x):
        return _monotone_cubic(xs, zs, x)

    return xs, half_width, height


def _monotone_cubic(xk: np.ndarray, yk: np.ndarray, x) -> np.ndarray:
    """Piecewise cubic Hermite interpolation with Fritsch-Carlson slopes (no overshoot)."""
    x = np.asarray(x, dtype=np.float64)
    h = np.diff(xk)
    delta = np.diff(yk) / h
    slopes = np.zeros_like(yk)
    if len(xk) == 2:
        slopes[:] = delta[0]
    else:
        for k in range(1, len(xk) - 1):
            if delta[k - 1] * delta[k] > 0:
                w1, w2 = 2 * h[k] + h[k - 1], h[k] + 2 * h[k - 1]
                slopes[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k])
        for end, (d0, d1, h0, h1) in (
            (0, (delta[0], delta[1], h[0], h[1])),
            (-1, (delta[-1], delta[-2], h[-1], h[-2])),
        ):
            s = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1)
            if np.sign(s) != np.sign(d0):
                s = 0.0
            elif np.sign(d0) != np.sign(d1) and abs(s) > abs(3 * d0):
                s = 3 * d0
            slopes[end] = s
    k = np.clip(np.searchsorted(xk, x, side="right") - 1, 0, len(xk) - 2)
    t = (x - xk[k]) / h[k]
    h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
    h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
    return h00 * yk[k] + h10 * h[k] * slopes[k] + h01 * yk[k + 1] + h11 * h[k] * slopes[k + 1]


def _grid(rows, v_lines, half_width, height, surface_height=None) -> np.ndarray:
    """Vertex positions ``(len(rows), len(v_lines), 3)`` of the shaped grid."""
    x = np.repeat(rows[:, None], len(v_lines), axis=1)
    v = np.repeat(v_lines[None, :], len(rows), axis=0)
    y = v * half_width(rows)[:, None]
    z = (
        surface_height(x, v)
        if surface_height is not None
        else np.repeat(height(rows)[:, None], len(v_lines), 1)
    )
    return np.stack([x, y, z], axis=-1)


def _finish(name, grid, is_hole, thickness, location, rotation, scale):
    """Build the grid's faces (skipping holes), solidify, smooth, place; the new object."""
    n_rows, n_cols, _ = grid.shape
    bm = bmesh.new()
    verts = [[bm.verts.new(grid[i, j]) for j in range(n_cols)] for i in range(n_rows)]
    for i in range(n_rows - 1):
        for j in range(n_cols - 1):
            if not is_hole(i, j):
                bm.faces.new((verts[i][j], verts[i + 1][j], verts[i + 1][j + 1], verts[i][j + 1]))
    loose = [v for v in bm.verts if not v.link_faces]
    if loose:
        bmesh.ops.delete(bm, geom=loose, context="VERTS")
    for face in bm.faces:
        face.smooth = True
    bm.normal_update()
    obj = objects.new_mesh_object(name, bm)
    if thickness is not None and abs(float(thickness)) > 1e-10:
        objects.solidify_mesh(obj, float(thickness), offset=0.0)
    subsurf = obj.modifiers.new("Smooth", "SUBSURF")
    subsurf.levels = subsurf.render_levels = 1
    objects.apply_modifiers(obj)
    objects.set_transform(obj, location=location, rotation=rotation, scale=scale)
    objects.update()
    return obj
