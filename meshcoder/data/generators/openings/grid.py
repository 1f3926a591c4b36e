"""Openings laid out in rows and columns (:class:`Grid`) and what fills them: cut leaves and sashes, panes
and panels, glazing bars and louvres."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import PartWriter
from meshcoder.data.frame import Frame
from meshcoder.data.generators.blocks import box, part, sizes, snap
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import quat_axis_angle


class Grid:
    """Equal openings in rows and columns: the first one's centre, its size, counts and pitches.

    Array offsets are written with two decimals, so the written pitch is snapped and the cells are
    laid out about the grid's centre: every array over the same grid (cutters, panes, mouldings)
    lands on the same cells."""

    def __init__(self, x0, y0, w, h, nx=1, dx=0.0, ny=1, dy=0.0):
        self.x0, self.y0, self.w, self.h = x0, y0, w, h
        self.nx, self.dx, self.ny, self.dy = nx, dx, ny, dy

    def centres(self) -> list[tuple[float, float]]:
        """Every cell's centre (x, y)."""
        return [
            (self.x0 + i * self.dx, self.y0 + j * self.dy) for i in range(self.nx) for j in range(self.ny)
        ]

    def first(self, f: Frame, z: float) -> list[float]:
        """The written location of the first cell's centre at depth ``z``."""
        cx = self.x0 + (self.nx - 1) * self.dx / 2
        cy = self.y0 + (self.ny - 1) * self.dy / 2
        x, y, zz = f.p([cx, cy, z])
        return [x - (self.nx - 1) * snap(self.dx, f) / 2, y - (self.ny - 1) * snap(self.dy, f) / 2, zz]


def array_grid(wr: PartWriter, f: Frame, name: str, g: Grid) -> None:
    """Repeat ``name`` over the grid's cells (nothing to do for one cell)."""
    dx = [snap(g.dx, f), 0.0, 0.0]
    dy = [0.0, snap(g.dy, f), 0.0]
    if g.nx > 1 and g.ny > 1:
        wr.call("array_2d", name=name, count_1=g.nx, constant_offset_1=dx, count_2=g.ny, constant_offset_2=dy)
    elif g.nx > 1:
        wr.call("array_1d", name=name, count=g.nx, constant_offset=dx)
    elif g.ny > 1:
        wr.call("array_1d", name=name, count=g.ny, constant_offset=dy)


def slab(d: Design, label: str, xc: float, w: float, h: float, t: float, grids: list[Grid], y0: float = 0.0):
    """A door leaf (or sash) with openings cut through it for the grids."""
    with part(d, label) as p:
        box(p, p.obj, [xc, y0 + h / 2, 0], [w / 2, h / 2, t / 2])

        def cut(wr: PartWriter, f: Frame) -> None:
            for k, g in enumerate(grids):
                cutter = wr.helper("cutter", k + 1)
                wr.call(
                    "create_primitive",
                    name=cutter,
                    primitive_type="cube",
                    location=g.first(f, 0.0),
                    scale=f.l([g.w / 2, g.h / 2, t / 2 + 0.01]),
                    apply=True,
                )
                array_grid(wr, f, cutter, g)
                wr.call("boolean_operation", name1=wr.obj, name2=cutter, operation="DIFFERENCE")

        p.write(cut)


def panes(
    d: Design, rng: np.random.Generator, label: str, g: Grid, thickness: float, z: float = 0.0, fill="mesh"
):
    """Flat infills of a grid's openings: glass (a fine mesh grid) or panels (grid fill)."""
    with part(d, label) as p:
        for cx, cy in g.centres():
            p.cover(
                [
                    [cx - g.w / 2, cy - g.h / 2, z - thickness / 2],
                    [cx + g.w / 2, cy + g.h / 2, z + thickness / 2],
                ]
            )
        resolution = int(rng.integers(4, 10)) if fill == "mesh" else None

        def write(wr: PartWriter, f: Frame) -> None:
            wr.call(
                "create_rectangle",
                name=wr.obj,
                width=f.l(g.w),
                length=f.l(g.h),
                location=g.first(f, z - thickness / 2),
            )
            if fill == "mesh":
                wr.call("curve2meshgrid", name=wr.obj, resolution=resolution, thickness=f.l(thickness))
            else:
                wr.call("fill_grid", name=wr.obj, thickness=f.l(thickness))
            array_grid(wr, f, wr.obj, g)

        p.write(write)


def glazing_bars(
    d: Design, label: str, g: Grid, cols: int, rows: int, bar: float, depth: float, z: float = 0.0
):
    """Glazing bars dividing one opening into cols x rows lights (array_1d of one bar each way)."""
    if cols <= 1 and rows <= 1:
        return
    with part(d, label) as p:
        p.cover(
            [[g.x0 - g.w / 2, g.y0 - g.h / 2, z - depth / 2], [g.x0 + g.w / 2, g.y0 + g.h / 2, z + depth / 2]]
        )
        bars = []  # (grid of one bar's copies, half sizes) across and along
        for count, along in ((cols, 0), (rows, 1)):
            if count <= 1:
                continue
            grid = (
                Grid(g.x0, g.y0, 0, 0, nx=count - 1, dx=g.w / count)
                if along == 0
                else Grid(g.x0, g.y0, 0, 0, ny=count - 1, dy=g.h / count)
            )
            grid.x0 -= (grid.nx - 1) * grid.dx / 2
            grid.y0 -= (grid.ny - 1) * grid.dy / 2
            half = [bar / 2, g.h / 2, depth / 2] if along == 0 else [g.w / 2, bar / 2, depth / 2]
            bars.append((grid, half))

        def write(wr: PartWriter, f: Frame) -> None:
            names = [wr.obj, wr.helper("bar")][: len(bars)]
            for name, (grid, half) in zip(names, bars):
                wr.call(
                    "create_primitive",
                    name=name,
                    primitive_type="cube",
                    location=grid.first(f, z),
                    scale=sizes(f, half),
                    apply=True,
                )
                array_grid(wr, f, name, grid)
            if len(names) > 1:
                wr.call("join_obj", name=wr.obj, seq_name=names)

        p.write(write)


def louvres(
    d: Design,
    label: str,
    xc: float,
    w: float,
    y0: float,
    y1: float,
    t: float,
    angle: float,
    slat_t: float,
    z: float = 0.0,
):
    """Tilted slats filling the height y0..y1 of an opening of width ``w``: one slat and array_1d
    (the count follows the pitch as written, so the slats stay inside the opening)."""
    width = t * 0.92 / math.cos(angle)
    rise = width * math.sin(angle) + slat_t * math.cos(angle)
    pitch = rise * 0.85
    q = quat_axis_angle([1, 0, 0], -angle)  # the front edge of each slat lower than its back edge
    with part(d, label) as p:
        box(p, p.obj, [xc, y0 + rise / 2, z], [w / 2 + 0.005, slat_t / 2, width / 2], q=q, apply=True)
        p.cover([[xc - w / 2, y1, z]])

        def array(wr: PartWriter, f: Frame) -> None:
            step = snap(pitch, f)
            count = max(2, int((y1 - y0 - rise) * f.scale / step) + 1)
            wr.call("array_1d", name=wr.obj, count=count, constant_offset=[0.0, step, 0.0])

        p.write(array)
