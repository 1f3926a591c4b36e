"""CellShelf: cube storage, a grid of cells in a thick frame."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import primitive
from meshcoder.data.generators.geometry import (
    UP,
    pick,
)
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.storage.parts import back_sheet, knob_or_pull
from meshcoder.data.generators.storage.sketch import (
    Sketch,
    compose,
)


@dataclass(frozen=True)
class _CellShelf:
    """The random choices of one cell shelf, and how to draw it."""

    cols: int
    rows: int
    cell_w: float
    cell_h: float
    depth: float
    t_out: float
    t_in: float
    swept: bool
    horizontal_through: bool
    inset_front: float
    back: str
    base: str
    base_h: float
    leg_round: bool
    leg_r: float
    chosen: list
    kinds: dict
    hinge_left: dict
    pull: str
    sides_full: bool

    @property
    def inside(self) -> tuple[float, float]:
        """Width and height of the grid of cells inside the outer frame."""
        W = self.cols * self.cell_w + (self.cols - 1) * self.t_in
        return W, self.rows * self.cell_h + (self.rows - 1) * self.t_in

    @property
    def outside(self) -> tuple[float, float]:
        """Width and height of the outer frame."""
        W, H = self.inside
        return W + 2 * self.t_out, H + 2 * self.t_out

    def draw(self, s: Sketch) -> None:
        """The frame, the inner boards, the back, the base, then the cell inserts."""
        self._frame(s)
        self._inner_boards(s)
        if self.back == "panel":
            Wo, Ho = self.outside
            back_sheet(s, -Wo / 2, Wo / 2, self.base_h, self.base_h + Ho, -self.depth / 2, 0.006)
        self._base(s)
        self._inserts(s)

    def _frame(self, s: Sketch) -> None:
        """The outer frame: one rectangle swept with a board section, or four boards."""
        W, H = self.inside
        Wo, Ho = self.outside
        y0 = self.base_h
        zb, zf = -self.depth / 2, self.depth / 2
        yc = y0 + Ho / 2

        if self.swept:
            with s.part("frame") as p:
                s.rectangle_sweep(p, [0, yc, 0], W + self.t_out, H + self.t_out, self.t_out, self.depth)
        else:
            for sx in (-1, 1):
                with s.part("side panel") as p:
                    ylo, yhi = (y0, y0 + Ho) if self.sides_full else (y0 + self.t_out, y0 + Ho - self.t_out)
                    s.box(p, p.obj, [sx * W / 2, ylo, zb], [sx * (W / 2 + self.t_out), yhi, zf])
            span = W / 2 if self.sides_full else Wo / 2
            for label, ya in (("bottom panel", y0), ("top panel", y0 + Ho - self.t_out)):
                with s.part(label) as p:
                    s.box(p, p.obj, [-span, ya, zb], [span, ya + self.t_out, zf])

    def _inner_boards(self, s: Sketch) -> None:
        """Shelves and dividers between the cells, by arrays: the boards running through in one
        direction, the short ones between them in a grid."""
        cw, ch = self.cell_w, self.cell_h
        W, H = self.inside
        # Array steps are rounded when written; arrays are centred so the error spreads both ways.
        px, py = s.q(cw + self.t_in), s.q(ch + self.t_in)
        zb, zf = -self.depth / 2, self.depth / 2
        y_in = self.base_h + self.t_out
        zfi = zf - self.inset_front
        zc, hz = (zb + zfi) / 2, (zfi - zb) / 2

        def board_row(label, n, step, centre, half, axis):
            """``n`` boards centred on ``centre`` at ``step`` along ``axis`` (0 x, 1 y)."""
            first = np.array(centre, float)
            first[axis] -= (n - 1) / 2 * step
            offset = [step if k == axis else 0.0 for k in range(3)]
            with s.part(label) as p:
                unit = s.cube(p, p.obj, first, half, apply=True)
                s.array(p, p.obj, unit, [(n, offset)])

        def board_grid(label, nx, ny, centre, half):
            first = np.array(centre, float) - [(nx - 1) / 2 * px, (ny - 1) / 2 * py, 0]
            with s.part(label) as p:
                unit = s.cube(p, p.obj, first, half, apply=True)
                s.array(p, p.obj, unit, [(nx, [px, 0, 0]), (ny, [0, py, 0])])

        if self.horizontal_through:
            if self.rows > 1:
                board_row("shelf", self.rows - 1, py, [0, y_in + H / 2, zc], [W / 2, self.t_in / 2, hz], 1)
            if self.cols > 1:
                board_grid(
                    "divider", self.cols - 1, self.rows, [0, y_in + H / 2, zc], [self.t_in / 2, ch / 2, hz]
                )
        else:
            if self.cols > 1:
                board_row("divider", self.cols - 1, px, [0, y_in + H / 2, zc], [self.t_in / 2, H / 2, hz], 0)
            if self.rows > 1:
                board_grid(
                    "shelf", self.cols, self.rows - 1, [0, y_in + H / 2, zc], [cw / 2, self.t_in / 2, hz]
                )

    def _base(self, s: Sketch) -> None:
        """Legs, a plinth or castors under the frame (or nothing)."""
        Wo, _ = self.outside
        zb, zf = -self.depth / 2, self.depth / 2
        if self.base == "legs":
            inset = self.leg_r + 0.02
            for sx in (-1, 1):
                for sz in (-1, 1):
                    c = [sx * (Wo / 2 - inset), self.base_h / 2, sz * (self.depth / 2 - inset)]
                    r, h = self.leg_r, self.base_h / 2
                    if self.leg_round:
                        s.add(primitive, "leg", "cylinder", c, [r, r, h], UP)
                    else:
                        s.add(primitive, "leg", "cube", c, [r, h, r])
        elif self.base == "plinth":
            with s.part("plinth") as p:
                s.box(p, p.obj, [-Wo / 2 + 0.02, 0, zb + 0.02], [Wo / 2 - 0.02, self.base_h, zf - 0.03])
        elif self.base == "castors":
            r = self.base_h * 0.38
            for sx in (-1, 1):
                for sz in (-1, 1):
                    c = np.array([sx * (Wo / 2 - 0.05), 0, sz * (self.depth / 2 - 0.05)])
                    with s.part("castor") as p:
                        wheel = p.helper("cylinder")
                        s.cylinder(p, wheel, c + np.array([0, r, 0]), r, r * 0.45, axis="x")
                        s.box(
                            p,
                            p.obj,
                            c + np.array([-r * 0.6, r, -r * 0.6]),
                            c + np.array([r * 0.6, self.base_h, r * 0.6]),
                        )
                        p.call("join_obj", name=p.obj, seq_name=[wheel, p.obj])

    def _inserts(self, s: Sketch) -> None:
        """Fabric bins, drawers and doors in the chosen cells, the last two with a knob or pull."""
        cw, ch = self.cell_w, self.cell_h
        W, _ = self.inside
        zb, zf = -self.depth / 2, self.depth / 2
        y_in = self.base_h + self.t_out
        zfi = zf - self.inset_front

        gap = 0.004
        for c, r in self.chosen:
            x0, yb = -W / 2 + c * (cw + self.t_in), y_in + r * (ch + self.t_in)
            xm, ym = x0 + cw / 2, yb + ch / 2
            kind = self.kinds[(c, r)]
            if kind == "bin":
                with s.part("bin") as p:
                    s.box(
                        p,
                        p.obj,
                        [x0 + 0.01, yb, zb + 0.03],
                        [x0 + cw - 0.01, yb + ch * 0.92, zf + 0.01],
                        apply=True,
                        bevel=0.01,
                    )
                    hole = p.helper("cylinder")
                    s.cylinder(p, hole, [xm, yb + ch * 0.72, zf], [cw * 0.16, ch * 0.06], 0.05, grow=False)
                    p.call("boolean_operation", name1=p.obj, name2=hole, operation="DIFFERENCE")
                continue
            if kind == "drawer":
                with s.part("drawer") as p:
                    s.box(p, p.obj, [x0 + gap, yb + gap, zb + 0.02], [x0 + cw - gap, yb + ch - gap, zfi])
                at, vertical = [xm, yb + ch * 0.62, zfi], False
            else:
                with s.part("door") as p:
                    s.box(p, p.obj, [x0 + gap, yb + gap, zfi - 0.018], [x0 + cw - gap, yb + ch - gap, zfi])
                side = 1 if self.hinge_left[(c, r)] else -1
                at, vertical = [xm + side * (cw / 2 - 0.045), ym, zfi], True
            knob_or_pull(
                s, self.pull, at, 0.03 if self.pull != "bar" else min(cw * 0.45, 0.16), vertical=vertical
            )


@register("CellShelf")
def cell_shelf(rng: np.random.Generator) -> ProgramBuilder:
    """A cube-storage shelf: a grid of cells in a thick outer frame (four boards or one swept frame),
    inner boards by arrays, optional back, base (legs, plinth or castors) and cell inserts (drawers,
    doors, fabric bins) with knobs or pulls."""
    cols = int(rng.choice([1, 2, 3, 4, 5], p=[0.12, 0.3, 0.26, 0.2, 0.12]))
    rows = int(rng.choice([1, 2, 3, 4, 5], p=[0.14, 0.3, 0.26, 0.2, 0.1]))
    if cols * rows == 1:
        cols = 2
    cell_w = rng.uniform(0.26, 0.4)
    cell_h = cell_w if rng.random() < 0.6 else rng.uniform(0.24, 0.42)
    depth = rng.uniform(0.28, 0.42)
    t_out = rng.uniform(0.02, 0.05)
    t_in = rng.uniform(0.012, min(t_out, 0.03))
    swept = rng.random() < 0.35
    horizontal_through = rng.random() < 0.6
    inset_front = rng.uniform(0.0, 0.02) if rng.random() < 0.3 else 0.0
    back = pick(rng, {"none": 0.4, "panel": 0.6})
    base = pick(rng, {"none": 0.4, "legs": 0.3, "plinth": 0.2, "castors": 0.1})
    base_h = {
        "none": 0.0,
        "legs": rng.uniform(0.08, 0.25),
        "plinth": rng.uniform(0.04, 0.1),
        "castors": rng.uniform(0.05, 0.08),
    }[base]
    leg_round = rng.random() < 0.6
    leg_r = rng.uniform(0.015, 0.03)
    insert_p = rng.choice([0.0, 0.15, 0.35, 0.6], p=[0.35, 0.25, 0.25, 0.15])
    insert_kind = pick(rng, {"drawer": 0.35, "door": 0.3, "bin": 0.35})
    mixed = rng.random() < 0.3
    cells = [(c, r) for r in range(rows) for c in range(cols)]
    chosen = [cell for cell in cells if rng.random() < insert_p][:6]
    kinds = {
        cell: (pick(rng, {"drawer": 1, "door": 1, "bin": 1}) if mixed else insert_kind) for cell in chosen
    }
    hinge_left = {cell: rng.random() < 0.5 for cell in chosen}
    pull = pick(rng, {"knob": 0.5, "ball": 0.15, "bar": 0.35})
    sides_full = rng.random() < 0.5
    return compose(
        "cell shelf",
        _CellShelf(
            cols=cols,
            rows=rows,
            cell_w=cell_w,
            cell_h=cell_h,
            depth=depth,
            t_out=t_out,
            t_in=t_in,
            swept=swept,
            horizontal_through=horizontal_through,
            inset_front=inset_front,
            back=back,
            base=base,
            base_h=base_h,
            leg_round=leg_round,
            leg_r=leg_r,
            chosen=chosen,
            kinds=kinds,
            hinge_left=hinge_left,
            pull=pull,
            sides_full=sides_full,
        ).draw,
    )
