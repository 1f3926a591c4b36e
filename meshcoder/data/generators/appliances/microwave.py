"""Microwave: a countertop or over-the-range oven with a turntable and controls."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.appliances.parts import hinge_pose
from meshcoder.data.generators.geometry import (
    pick,
)
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.storage.parts import knob_or_pull
from meshcoder.data.generators.storage.sketch import (
    Sketch,
    compose,
)


@dataclass(frozen=True)
class _Microwave:
    """The random choices of one microwave, and how to draw it."""

    kind: str
    W: float
    H: float
    D: float
    body_bevel: float
    panel_w: float
    door_t: float
    wall: float
    window_round: bool
    margin: float
    handle: str
    controls: str
    rows: int
    cols: int
    n_dials: int
    display: bool
    release: bool
    vents: str
    feet: bool
    foot_h: float
    door_open: bool
    rollers: bool

    @property
    def y0(self) -> float:
        """The height of the body's bottom (on its feet)."""
        return self.foot_h if self.feet else 0.0

    @property
    def x_split(self) -> float:
        """Where the door ends and the control panel begins."""
        return -self.W / 2 + (self.W - self.panel_w)

    def draw(self, s: Sketch) -> None:
        """The hollow body, the turntable, the control panel, the door (open about its hinge now and
        then), then feet."""
        self._body(s)
        self._turntable(s)
        self._controls(s)
        zf = self.D / 2 - self.door_t
        R, t = hinge_pose("y", [-self.W / 2, 0, zf], -90 if self.door_open else 0)
        with s.posed(R, t):
            self._door(s)
        if self.feet:
            zb = -self.D / 2
            with s.part("foot") as p:
                c = [-self.W / 2 + 0.04, self.foot_h / 2, zb + 0.04]
                unit = s.cylinder(p, p.obj, c, 0.015, self.foot_h / 2, axis="y", apply=True, vertices=16)
                s.array(
                    p,
                    p.obj,
                    unit,
                    [(2, [s.q(self.W - 0.08), 0, 0]), (2, [0, 0, s.q(self.D - self.door_t - 0.08)])],
                )

    def _body(self, s: Sketch) -> None:
        """The body with its bevelled edges, the cavity cut out and vent slots cut in the side or top."""
        y0 = self.y0
        zb, zf = -self.D / 2, self.D / 2 - self.door_t
        x_split = self.x_split
        with s.part("body") as p:
            s.box(
                p,
                p.obj,
                [-self.W / 2, y0, zb],
                [self.W / 2, y0 + self.H, zf],
                apply=True,
                bevel=self.body_bevel,
                segments=3,
            )
            cavity = p.helper("cube")
            s.box(
                p,
                cavity,
                [-self.W / 2 + self.wall, y0 + self.wall, zb + self.wall],
                [x_split - self.wall, y0 + self.H - self.wall, zf + 0.02],
                apply=True,
                grow=False,
            )
            p.call("boolean_operation", name1=p.obj, name2=cavity, operation="DIFFERENCE")
            if self.vents != "none":
                slots = p.helper("cube", 2)
                n, step = s.fit(self.D * 0.5, max(0.018, 2 * s.thinnest()))
                slot = max(0.006, s.thinnest())
                if self.vents == "side":
                    xs = self.W / 2
                    zc = zb + self.D * 0.45 - (n - 1) / 2 * step
                    s.box(
                        p,
                        slots,
                        [xs - 0.004, y0 + self.H * 0.55, zc - slot / 2],
                        [xs + 0.01, y0 + self.H * 0.85, zc + slot / 2],
                        apply=True,
                        grow=False,
                    )
                else:
                    zc = zb + self.D * 0.35 - (n - 1) / 2 * step
                    s.box(
                        p,
                        slots,
                        [-self.W * 0.3, y0 + self.H - 0.004, zc - slot / 2],
                        [self.W * 0.3, y0 + self.H + 0.01, zc + slot / 2],
                        apply=True,
                        grow=False,
                    )
                p.call("array_1d", name=slots, count=n, constant_offset=s.V([0, 0, step]))
                p.call("boolean_operation", name1=p.obj, name2=slots, operation="DIFFERENCE")

    def _turntable(self, s: Sketch) -> None:
        """A glass plate on four rollers (one roller turned about the plate's axis by array_rotate)."""
        y0 = self.y0
        zb, zf = -self.D / 2, self.D / 2 - self.door_t
        x_split = self.x_split
        cx = (-self.W / 2 + self.wall + x_split - self.wall) / 2
        cz = (zb + self.wall + zf) / 2
        plate_r = min(x_split - self.wall - (-self.W / 2 + self.wall), zf - zb - self.wall) * 0.45
        ring_y = y0 + self.wall
        if self.rollers:
            with s.part("roller") as p:
                s.cylinder(
                    p, p.obj, [cx + plate_r * 0.6, ring_y + 0.006, cz], 0.008, 0.006, axis="y", vertices=16
                )
                p.call("change_origin", name=p.obj, location=s.at([cx, ring_y, cz]))
                p.call(
                    "array_rotate",
                    name=p.obj,
                    count=4,
                    rotation_angle=0.5,
                    rotation_origin=s.at([cx, ring_y, cz]),
                )
        with s.part("turntable") as p:
            s.cylinder(p, p.obj, [cx, ring_y + 0.012 + 0.004, cz], plate_r, 0.004, axis="y")

    def _controls(self, s: Sketch) -> None:
        """The control panel: a display, a keypad (array_2d) or dials, and a door-release button."""
        y0 = self.y0
        zf = self.D / 2 - self.door_t
        x_split = self.x_split
        with s.part("control panel") as p:
            s.box(
                p,
                p.obj,
                [x_split + 0.003, y0 + 0.004, zf],
                [self.W / 2 - 0.004, y0 + self.H - 0.004, zf + self.door_t * 0.85],
            )
        zc = zf + self.door_t * 0.85
        px = (x_split + self.W / 2) / 2
        top_y = y0 + self.H - 0.03
        if self.display:
            with s.part("display") as p:
                s.box(
                    p,
                    p.obj,
                    [px - self.panel_w * 0.35, top_y - 0.03, zc],
                    [px + self.panel_w * 0.35, top_y, zc + 0.003],
                )
            top_y -= 0.045
        if self.controls == "keypad":
            with s.part("button") as p:
                sx = s.q(max(self.panel_w * 0.75 / self.cols, 2 * s.thinnest()))
                sy = s.q(max(min(0.03, (top_y - y0 - 0.05) / self.rows), 2 * s.thinnest()))
                bw, bh = sx * 0.3, min(sx * 0.3, sy * 0.3)
                c = [px - (self.cols - 1) / 2 * sx, top_y - bh, zc + 0.003]
                unit = s.cube(p, p.obj, c, [bw, bh, 0.003], apply=True)
                s.array(p, p.obj, unit, [(self.cols, [sx, 0, 0]), (self.rows, [0, -sy, 0])])
        else:
            for k in range(self.n_dials):
                with s.part("dial") as p:
                    r = min(0.025, self.panel_w * 0.3)
                    yk = top_y - r - k * (r * 2 + 0.03)
                    s.cylinder(p, p.obj, [px, yk, zc + 0.01], r, 0.01)
                    p.call("bevel", name=p.obj, width=0.3, segments=2)
        if self.release:
            with s.part("door button") as p:
                s.box(
                    p,
                    p.obj,
                    [px - self.panel_w * 0.3, y0 + 0.03, zc],
                    [px + self.panel_w * 0.3, y0 + 0.06, zc + 0.008],
                    apply=True,
                    bevel=0.003,
                )

    def _door(self, s: Sketch) -> None:
        """The door with its window cut out and glazed, and its handle."""
        y0 = self.y0
        zf = self.D / 2 - self.door_t
        x_split = self.x_split
        door_w = self.W - self.panel_w
        with s.part("door") as p:
            s.box(
                p,
                p.obj,
                [-self.W / 2 + 0.003, y0 + 0.003, zf],
                [x_split - 0.003, y0 + self.H - 0.003, zf + self.door_t],
                apply=True,
                bevel=min(self.body_bevel, self.door_t * 0.3),
            )
            cut = p.helper("cube")
            s.box(
                p,
                cut,
                [-self.W / 2 + self.margin, y0 + self.margin, zf - 0.01],
                [
                    x_split - self.margin - (0.03 if self.handle == "edge" else 0.0),
                    y0 + self.H - self.margin,
                    zf + self.door_t + 0.01,
                ],
                apply=True,
                bevel=0.02 if self.window_round else None,
                grow=False,
            )
            p.call("boolean_operation", name1=p.obj, name2=cut, operation="DIFFERENCE")
        with s.part("window") as p:
            s.box(
                p,
                p.obj,
                [
                    -self.W / 2 + self.margin - 0.01,
                    y0 + self.margin - 0.01,
                    zf + self.door_t * 0.5 - 0.004,
                ],
                [x_split - self.margin + 0.01, y0 + self.H - self.margin + 0.01, zf + self.door_t * 0.5],
            )
        zd = zf + self.door_t
        if self.handle == "bar":
            if self.kind == "otr":
                knob_or_pull(s, "bar", [(-self.W / 2 + x_split) / 2, y0 + self.H - 0.035, zd], door_w * 0.7)
            else:
                knob_or_pull(s, "bar", [x_split - 0.03, y0 + self.H / 2, zd], self.H * 0.6, vertical=True)
        elif self.handle == "edge":
            with s.part("handle") as p:
                s.box(
                    p,
                    p.obj,
                    [x_split - 0.03, y0 + self.H * 0.15, zd - 0.004],
                    [x_split - 0.008, y0 + self.H * 0.85, zd + 0.018],
                    apply=True,
                    bevel=0.004,
                )


@register("Microwave")
def microwave(rng: np.random.Generator) -> ProgramBuilder:
    """A microwave oven, countertop or over-the-range: a rounded hollow body (boolean cavity), a door
    with its window cut by a boolean (square or rounded) and a glass pane, a bar or edge handle, a
    control panel with a display and a keypad (array_2d) or dials, a turntable on rollers
    (change_origin + array_rotate about the turntable axis), vent slots cut into the side or top
    and feet; the door may stand open."""
    kind = pick(rng, {"countertop": 0.75, "otr": 0.25})
    if kind == "countertop":
        W, H, D = rng.uniform(0.44, 0.56), rng.uniform(0.25, 0.34), rng.uniform(0.33, 0.45)
    else:
        W, H, D = rng.uniform(0.74, 0.77), rng.uniform(0.39, 0.43), rng.uniform(0.38, 0.42)
    retro = kind == "countertop" and rng.random() < 0.25
    body_bevel = rng.uniform(0.02, 0.04) if retro else rng.uniform(0.003, 0.012)
    panel_w = rng.uniform(0.1, 0.15) if kind == "countertop" else rng.uniform(0.13, 0.18)
    door_t = rng.uniform(0.025, 0.04)
    wall = rng.uniform(0.02, 0.035)
    window_round = rng.random() < 0.45
    margin = rng.uniform(0.035, 0.06)
    handle = pick(rng, {"bar": 0.45, "edge": 0.3, "none": 0.25}) if kind == "countertop" else "bar"
    controls = pick(rng, {"keypad": 0.65, "dials": 0.35}) if not retro else "dials"
    rows, cols = int(rng.integers(3, 6)), int(rng.choice([2, 3]))
    n_dials = int(rng.choice([1, 2]))
    display = controls == "keypad" or rng.random() < 0.3
    release = handle == "none"
    vents = pick(rng, {"side": 0.5, "top": 0.2, "none": 0.3})
    feet = kind == "countertop" and rng.random() < 0.8
    foot_h = rng.uniform(0.008, 0.015)
    door_open = rng.random() < 0.2
    rollers = rng.random() < 0.7
    return compose(
        "microwave",
        _Microwave(
            kind=kind,
            W=W,
            H=H,
            D=D,
            body_bevel=body_bevel,
            panel_w=panel_w,
            door_t=door_t,
            wall=wall,
            window_round=window_round,
            margin=margin,
            handle=handle,
            controls=controls,
            rows=rows,
            cols=cols,
            n_dials=n_dials,
            display=display,
            release=release,
            vents=vents,
            feet=feet,
            foot_h=foot_h,
            door_open=door_open,
            rollers=rollers,
        ).draw,
    )
