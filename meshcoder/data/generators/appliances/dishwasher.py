"""Dishwasher: a tub body, a hinged door with controls, baskets inside."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.appliances.parts import hinge_pose, shell, wire_frame
from meshcoder.data.generators.geometry import (
    pick,
    turn_about,
)
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.storage.parts import knob_or_pull
from meshcoder.data.generators.storage.sketch import (
    Sketch,
    compose,
)


@dataclass(frozen=True)
class _Dishwasher:
    """The random choices of one dishwasher, and how to draw it."""

    W: float
    freestanding: bool
    H: float
    D: float
    door_t: float
    kick: float
    controls: str
    strip_h: float
    n_buttons: int
    round_buttons: bool
    display: bool
    dial: bool
    handle: str
    handle_len: float
    worktop_t: float
    feet: bool
    door_open: bool
    pull_out: float
    tine_step: float
    spray_arms: bool
    cutlery: bool
    wall: float
    bevel: float

    @property
    def top(self) -> float:
        """The height of the body's top: under the worktop when freestanding."""
        return self.H - (self.worktop_t if self.freestanding else 0.0)

    def draw(self, s: Sketch) -> None:
        """The hollow body and what stands outside it, the baskets inside, then the door with its controls
        and handle, hinged down about its bottom edge."""
        zb, zf = -self.D / 2, self.D / 2 - self.door_t
        shell(
            s, "body", [-self.W / 2, self.kick, zb], [self.W / 2, self.top, zf], self.wall, bevel=self.bevel
        )
        self._outside(s)
        self._baskets(s)
        R, t = hinge_pose("x", [0, self.kick, zf], 90 if self.door_open else 0)
        with s.posed(R, t):
            self._door(s)
            self._controls(s)
            self._handle(s)

    def _outside(self, s: Sketch) -> None:
        """A worktop when freestanding, the recessed kick plate, feet now and then."""
        top = self.top
        zb, zf = -self.D / 2, self.D / 2 - self.door_t
        if self.freestanding:
            with s.part("worktop") as p:
                s.box(
                    p,
                    p.obj,
                    [-self.W / 2 - 0.005, top, zb],
                    [self.W / 2 + 0.005, self.H, self.D / 2 + 0.01],
                    apply=True,
                    bevel=0.006,
                )
        with s.part("kick plate") as p:
            s.box(
                p,
                p.obj,
                [-self.W / 2 + 0.01, 0.0 if not self.feet else 0.02, zf - 0.05],
                [self.W / 2 - 0.01, self.kick, zf - 0.03],
            )
        if self.feet:
            with s.part("foot") as p:
                c = [-self.W / 2 + 0.04, 0.01, zb + 0.05]
                unit = s.cylinder(p, p.obj, c, 0.015, 0.01, axis="y", apply=True, vertices=16)
                s.array(
                    p,
                    p.obj,
                    unit,
                    [(2, [s.q(self.W - 0.08), 0, 0]), (2, [0, 0, s.q(self.D - self.door_t - 0.1)])],
                )

    def _baskets(self, s: Sketch) -> None:
        """Two wire baskets (the lower one may be pulled out over the open door), rack tines, spray arms
        and a cutlery basket."""
        top = self.top
        zb, zf = -self.D / 2, self.D / 2 - self.door_t
        x0, x1 = -self.W / 2 + self.wall + 0.02, self.W / 2 - self.wall - 0.02
        z0, z1 = zb + self.wall + 0.02, zf - 0.02
        y_in0, y_in1 = self.kick + self.wall, top - self.wall
        levels = [y_in0 + 0.03, y_in0 + (y_in1 - y_in0) * 0.52]
        rim_h = [0.12, 0.09]
        for k, (y, h) in enumerate(zip(levels, rim_h, strict=True)):
            slide = self.pull_out if k == 0 else 0.0
            with s.part("lower rack" if k == 0 else "upper rack") as p:
                unit = wire_frame(s, p, p.obj, x0, x1, y, z0 + slide, z1 + slide, 0.004)
                s.array(p, p.obj, unit, [(2, [0, s.q(h), 0])])
        with s.part("rack tine") as p:
            nx, sx = s.fit(x1 - x0 - 0.06, self.tine_step)
            nz, sz = s.fit(z1 - z0 - 0.1, 0.09)
            tx = (x0 + x1) / 2 - (nx - 1) / 2 * sx
            tz = (z0 + z1) / 2 - (nz - 1) / 2 * sz + self.pull_out
            unit = s.rod(p, p.obj, [tx, levels[0], tz], [tx, levels[0] + 0.1, tz], 0.0025)
            if self.pull_out:
                s.array(p, p.obj, unit, [(nx, [sx, 0, 0]), (nz, [0, 0, sz])])
            else:
                s.array(
                    p,
                    p.obj,
                    unit,
                    [(nx, [sx, 0, 0]), (nz, [0, 0, sz]), (2, [0, s.q(levels[1] - levels[0]), 0])],
                )
        if self.spray_arms:
            with s.part("spray arm") as p:
                c = [0, levels[0] - 0.015, (z0 + z1) / 2]
                unit = s.cube(p, p.obj, c, [(x1 - x0) * 0.4, 0.006, 0.02], R=turn_about("y", 25), apply=True)
                s.array(p, p.obj, unit, [(2, [0, s.q(levels[1] - levels[0]), 0])])
        if self.cutlery:
            with s.part("cutlery basket") as p:
                s.box(
                    p,
                    p.obj,
                    [x1 - 0.14, levels[0], z1 - 0.24 + self.pull_out],
                    [x1 - 0.01, levels[0] + 0.13, z1 - 0.02 + self.pull_out],
                )

    def _door(self, s: Sketch) -> None:
        """The door panel, with a recessed grip cut in now and then."""
        zf = self.D / 2 - self.door_t
        door_top = self.top
        with s.part("door") as p:
            s.box(
                p,
                p.obj,
                [-self.W / 2, self.kick, zf],
                [self.W / 2, door_top, zf + self.door_t],
                apply=True,
                bevel=0.005,
            )
            if self.handle == "recess":
                cut = p.helper("cube")
                y_r = door_top - (self.strip_h if self.controls == "front" else 0.0) - 0.03
                s.box(
                    p,
                    cut,
                    [-self.handle_len / 2, y_r - 0.025, zf + self.door_t - 0.02],
                    [self.handle_len / 2, y_r + 0.025, zf + self.door_t + 0.02],
                    apply=True,
                    bevel=0.012,
                    grow=False,
                )
                p.call("boolean_operation", name1=p.obj, name2=cut, operation="DIFFERENCE")

    def _controls(self, s: Sketch) -> None:
        """A control strip on the front (or buttons along the top edge), with a display and a dial."""
        zf = self.D / 2 - self.door_t
        door_top = self.top
        zd = zf + self.door_t
        if self.controls == "front":
            with s.part("control panel") as p:
                s.box(
                    p,
                    p.obj,
                    [-self.W / 2 + 0.004, door_top - self.strip_h, zd],
                    [self.W / 2 - 0.004, door_top - 0.004, zd + 0.006],
                )
            y_c = door_top - self.strip_h / 2
            z_face = zd + 0.006
        else:
            y_c = door_top
            z_face = None
        with s.part("button") as p:
            step = s.q(0.035)
            bx = self.W / 2 - 0.06 - (self.n_buttons - 1) * step
            if z_face is not None:
                c = [bx, y_c, z_face + 0.004]
                if self.round_buttons:
                    unit = s.cylinder(p, p.obj, c, 0.009, 0.004, axis="z", apply=True, vertices=16)
                else:
                    unit = s.cube(p, p.obj, c, [0.011, 0.007, 0.004], apply=True)
            else:
                c = [bx, door_top + 0.003, zf + self.door_t * 0.5]
                unit = s.cube(p, p.obj, c, [0.011, 0.003, 0.008], apply=True)
            s.array(p, p.obj, unit, [(self.n_buttons, [step, 0, 0])])
        if self.display and z_face is not None:
            with s.part("display") as p:
                xd = (
                    -self.W / 2 + 0.12
                    if self.dial
                    else self.W / 2 - 0.06 - (self.n_buttons - 1) * 0.035 - 0.09
                )
                s.box(p, p.obj, [xd - 0.04, y_c - 0.015, z_face], [xd + 0.04, y_c + 0.015, z_face + 0.004])
        if self.dial and z_face is not None:
            with s.part("knob") as p:
                s.cylinder(
                    p,
                    p.obj,
                    [-self.W / 2 + 0.05, y_c, z_face + 0.012],
                    min(0.025, self.strip_h * 0.35),
                    0.012,
                )
                p.call("bevel", name=p.obj, width=0.3, segments=2)

    def _handle(self, s: Sketch) -> None:
        """A bar handle or a lip under the controls (a recessed grip is cut with the door)."""
        zf = self.D / 2 - self.door_t
        door_top = self.top
        zd = zf + self.door_t
        y_h = door_top - (self.strip_h if self.controls == "front" else 0.0) - 0.045
        if self.handle == "bar":
            knob_or_pull(s, "bar", [0, y_h, zd], self.handle_len)
        elif self.handle == "lip":
            with s.part("handle") as p:
                y_l = door_top - (self.strip_h if self.controls == "front" else 0.0)
                s.box(
                    p,
                    p.obj,
                    [-self.handle_len / 2, y_l - 0.035, zd],
                    [self.handle_len / 2, y_l - 0.015, zd + 0.025],
                    apply=True,
                    bevel=0.006,
                )


@register("Dishwasher")
def dishwasher(rng: np.random.Generator) -> ProgramBuilder:
    """A dishwasher: a hollow tub body (boolean), a door with a bar handle, a lip or a recessed grip
    (boolean), a control strip with buttons (array) and display on the front or along the top edge,
    a recessed kick plate, a worktop and feet when freestanding, and inside two wire baskets (swept
    rims), rack tines (array_3d of rods), spray arms and a cutlery basket. The door may lie open with
    the lower basket pulled out."""
    W = (0.45 if rng.random() < 0.25 else 0.6) + rng.uniform(-0.01, 0.01)
    freestanding = rng.random() < 0.35
    H = rng.uniform(0.81, 0.87)
    D = rng.uniform(0.55, 0.62)
    door_t = rng.uniform(0.05, 0.07)
    kick = rng.uniform(0.08, 0.12)
    controls = pick(rng, {"front": 0.55, "top": 0.45})
    strip_h = rng.uniform(0.08, 0.12)
    n_buttons = int(rng.integers(3, 8))
    round_buttons = rng.random() < 0.5
    display = rng.random() < 0.6
    dial = rng.random() < 0.25
    handle = pick(rng, {"bar": 0.4, "recess": 0.35, "lip": 0.25})
    handle_len = rng.uniform(0.3, 0.5) * W / 0.6
    worktop_t = rng.uniform(0.02, 0.035)
    feet = freestanding and rng.random() < 0.6
    door_open = rng.random() < 0.3
    pull_out = rng.uniform(0.2, 0.35) if door_open and rng.random() < 0.6 else 0.0
    tine_step = rng.uniform(0.04, 0.06)
    spray_arms = rng.random() < 0.75
    cutlery = rng.random() < 0.45
    wall = rng.uniform(0.03, 0.045)
    bevel = rng.uniform(0.003, 0.012)
    return compose(
        "dishwasher",
        _Dishwasher(
            W=W,
            freestanding=freestanding,
            H=H,
            D=D,
            door_t=door_t,
            kick=kick,
            controls=controls,
            strip_h=strip_h,
            n_buttons=n_buttons,
            round_buttons=round_buttons,
            display=display,
            dial=dial,
            handle=handle,
            handle_len=handle_len,
            worktop_t=worktop_t,
            feet=feet,
            door_open=door_open,
            pull_out=pull_out,
            tine_step=tine_step,
            spray_arms=spray_arms,
            cutlery=cutlery,
            wall=wall,
            bevel=bevel,
        ).draw,
    )
