"""SimpleBookcase: a boxed bookcase with shelves, back and optional doors."""

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
from meshcoder.data.generators.storage.parts import back_sheet, doors_row
from meshcoder.data.generators.storage.sketch import (
    Sketch,
    compose,
)


@dataclass(frozen=True)
class _Bookcase:
    """The random choices of one simple bookcase, and how to draw it."""

    two_bays: bool
    width: float
    height: float
    depth: float
    t: float
    base: str
    cut_arch: bool
    kick: float
    foot_h: float
    top: str
    overhang: float
    compartments: int
    back: bool
    doors: bool
    door_rows: int
    pull: str
    front_edge: bool

    @property
    def lift(self) -> float:
        """How far bun feet raise the carcass."""
        return self.foot_h if self.base == "feet" else 0.0

    @property
    def side_top(self) -> float:
        """Where the sides end: under a top board laid on them, or flush with a top between them."""
        return self.height - (self.t if self.top != "flush" else 0.0)

    @property
    def inner(self) -> tuple[float, float]:
        """The heights of the bottom board's top and of the top board's underside."""
        return self.lift + self.kick + self.t, self.height - self.t

    @property
    def pitch(self) -> float:
        """The height of one compartment plus one shelf."""
        inner_lo, inner_hi = self.inner
        return (inner_hi - inner_lo + self.t) / self.compartments

    def draw(self, s: Sketch) -> None:
        """The carcass, the shelves, then the back and lower doors."""
        self._carcass(s)
        self._shelves(s)
        W, zb, zf = self.width - 2 * self.t, -self.depth / 2, self.depth / 2
        inner_lo, _ = self.inner
        pitch = self.pitch
        if self.back:
            back_sheet(s, -W / 2 - self.t, W / 2 + self.t, self.lift, self.side_top, zb, 0.005)
        if self.doors:
            y_top = inner_lo + self.door_rows * pitch - self.t
            if self.two_bays:
                doors_row(s, -W / 2, -self.t / 2, inner_lo, y_top, zf + 0.018, 1, self.pull)
                doors_row(s, self.t / 2, W / 2, inner_lo, y_top, zf + 0.018, 1, self.pull)
            else:
                doors_row(s, -W / 2, W / 2, inner_lo, y_top, zf + 0.018, 2 if W > 0.55 else 1, self.pull)

    def _carcass(self, s: Sketch) -> None:
        """Sides (their feet cut out now and then), top, cornice, bottom, and a plinth or bun feet."""
        lift = self.lift
        W = self.width - 2 * self.t
        zb, zf = -self.depth / 2, self.depth / 2
        side_top = self.side_top
        for sx in (-1, 1):
            with s.part("side panel") as p:
                s.box(p, p.obj, [sx * W / 2, lift, zb], [sx * (W / 2 + self.t), side_top, zf])
                if self.base == "cutout":
                    cutter = p.helper("cube")
                    if self.cut_arch:
                        r = self.depth * 0.32
                        s.cylinder(
                            p,
                            cutter,
                            [sx * (W / 2 + self.t / 2), 0, 0],
                            [r, self.kick],
                            self.t,
                            axis="x",
                            grow=False,
                        )
                    else:
                        s.box(
                            p,
                            cutter,
                            [sx * (W / 2 - self.t), -0.01, zb + 0.05],
                            [sx * (W / 2 + 2 * self.t), self.kick, zf - 0.05],
                            grow=False,
                        )
                    p.call("boolean_operation", name1=p.obj, name2=cutter, operation="DIFFERENCE")
        with s.part("top panel") as p:
            if self.top == "flush":
                s.box(p, p.obj, [-W / 2, self.height - self.t, zb], [W / 2, self.height, zf])
            else:
                ex = self.overhang
                s.box(
                    p,
                    p.obj,
                    [-W / 2 - self.t - ex, side_top, zb],
                    [W / 2 + self.t + ex, self.height, zf + ex],
                    apply=self.top == "cap",
                    bevel=0.004 if self.top == "cap" else None,
                )
        if self.top == "cornice":
            with s.part("cornice") as p:
                ex = self.overhang + 0.025
                s.box(
                    p,
                    p.obj,
                    [-W / 2 - self.t - ex, self.height, zb],
                    [W / 2 + self.t + ex, self.height + 0.04, zf + ex],
                    apply=True,
                    bevel=0.012,
                )
        bottom_y = lift + self.kick
        with s.part("bottom panel") as p:
            s.box(p, p.obj, [-W / 2, bottom_y, zb], [W / 2, bottom_y + self.t, zf])
        if self.base == "plinth":
            with s.part("plinth") as p:
                s.box(p, p.obj, [-W / 2, 0, zf - 0.02 - self.t], [W / 2, self.kick, zf - 0.02])
        elif self.base == "feet":
            for sx in (-1, 1):
                for sz in (-1, 1):
                    c = [sx * (W / 2 + self.t / 2), self.foot_h / 2, sz * (self.depth / 2 - 0.04)]
                    s.add(primitive, "foot", "cylinder", c, [0.025, 0.025, self.foot_h / 2], UP)

    def _shelves(self, s: Sketch) -> None:
        """Shelves by one array (two bays around a divider now and then), with front edges sometimes."""
        W = self.width - 2 * self.t
        zb, zf = -self.depth / 2, self.depth / 2
        inner_lo, inner_hi = self.inner
        bay_w = (W - self.t) / 2 if self.two_bays else W
        if self.two_bays:
            with s.part("divider") as p:
                s.box(p, p.obj, [-self.t / 2, inner_lo, zb], [self.t / 2, inner_hi, zf])
        n = self.compartments - 1
        pitch = self.pitch
        with s.part("shelf") as p:
            sy = s.q(pitch)
            cy = inner_lo + pitch - self.t / 2 + (n - 1) / 2 * (pitch - sy)
            if self.two_bays:
                sx = s.q(bay_w + self.t)
                unit = s.cube(
                    p,
                    p.obj,
                    [-sx / 2, cy, -0.004],
                    [bay_w / 2, self.t / 2, self.depth / 2 - 0.01],
                    apply=True,
                )
                s.array(p, p.obj, unit, [(2, [sx, 0, 0]), (n, [0, sy, 0])])
            else:
                unit = s.cube(
                    p, p.obj, [0, cy, -0.004], [W / 2, self.t / 2, self.depth / 2 - 0.01], apply=True
                )
                s.array(p, p.obj, unit, [(n, [0, sy, 0])])
        if self.front_edge:
            with s.part("shelf edge") as p:
                sy = s.q(pitch)
                cy = inner_lo + pitch + (n - 1) / 2 * (pitch - sy)
                unit = s.cube(
                    p, p.obj, [0, cy - self.t / 2, zf - 0.01], [W / 2, self.t * 0.75, 0.01], apply=True
                )
                s.array(p, p.obj, unit, [(n, [0, sy, 0])])


@register("SimpleBookcase")
def simple_bookcase(rng: np.random.Generator) -> ProgramBuilder:
    """A boxed bookcase: two sides, a flush or overhanging top (sometimes a cornice), a raised bottom
    on a plinth, bun feet or cut-out sides (an arch or notch cut by a boolean), shelves by an array
    (two bays with a middle divider now and then), a back panel and optional lower doors."""
    two_bays = rng.random() < 0.18
    width = rng.uniform(0.9, 1.5) if two_bays else rng.uniform(0.4, 1.0)
    height = rng.uniform(0.7, 2.1)
    depth = rng.uniform(0.22, 0.4)
    t = rng.uniform(0.015, 0.03)
    base = pick(rng, {"plinth": 0.4, "flush": 0.2, "cutout": 0.25, "feet": 0.15})
    cut_arch = rng.random() < 0.6
    kick = {"plinth": rng.uniform(0.05, 0.1), "flush": 0.0, "cutout": rng.uniform(0.06, 0.12), "feet": 0.0}[
        base
    ]
    foot_h = rng.uniform(0.03, 0.08)
    top = pick(rng, {"flush": 0.45, "cap": 0.4, "cornice": 0.15})
    overhang = rng.uniform(0.005, 0.025)
    compartments = int(np.clip(round(height / rng.uniform(0.25, 0.38)), 2, 7))
    back = rng.random() < 0.8
    doors = rng.random() < 0.25 and compartments >= 3
    door_rows = 1 if compartments < 5 or rng.random() < 0.7 else 2
    pull = pick(rng, {"knob": 0.6, "ball": 0.15, "bar": 0.25})
    front_edge = rng.random() < 0.2
    return compose(
        "bookcase",
        _Bookcase(
            two_bays=two_bays,
            width=width,
            height=height,
            depth=depth,
            t=t,
            base=base,
            cut_arch=cut_arch,
            kick=kick,
            foot_h=foot_h,
            top=top,
            overhang=overhang,
            compartments=compartments,
            back=back,
            doors=doors,
            door_rows=door_rows,
            pull=pull,
            front_edge=front_edge,
        ).draw,
    )
