"""BeverageFridge: a drinks fridge with racks, stock, doors and a vent grille."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.appliances.parts import hinge_pose, shell, wire_frame
from meshcoder.data.generators.geometry import (
    handle_codes,
    pick,
    quat_from_matrix,
)
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.storage.parts import knob_or_pull
from meshcoder.data.generators.storage.sketch import (
    AXIS,
    Sketch,
    compose,
)


def _cans(s: Sketch, kind: str, x0, x1, z0, z1, y_first, pitch_y, levels, r, h) -> None:
    """Cans or bottles standing on every rack level: an array_3d of one can or lathed bottle."""
    gap = 0.006
    nx = max(1, int((x1 - x0 + gap) // (2 * r + gap)))
    nz = max(1, min(4, int((z1 - z0 + gap) // (2 * r + gap))))
    if kind == "bottle":  # a lathed bottle is heavy: keep the crate to about 240 of them
        nz = max(1, min(nz, 240 // max(1, nx * levels)))
    sx, sz = s.q(2 * r + gap), s.q(2 * r + gap)
    c0 = [(x0 + x1) / 2 - (nx - 1) / 2 * sx, y_first, (z0 + z1) / 2 - (nz - 1) / 2 * sz]
    with s.part("bottle" if kind == "bottle" else "can") as p:
        if kind == "bottle":
            prof = p.helper("curve")
            pts = [
                [0, 0, 0],
                [r, 0, 0],
                [r, h * 0.6, 0],
                [r * 0.35, h * 0.82, 0],
                [r * 0.35, h, 0],
                [0, h, 0],
            ]
            p.call(
                "create_curve",
                name=prof,
                control_points=s.L(np.array(pts)),
                handle_type=handle_codes("sslrss"),  # smooth shoulder,
                resolution=4,
            )
            p.call(
                "bezier_rotation",
                name=p.obj,
                profile_name=prof,
                location=s.at(c0),
                rotation=quat_from_matrix(AXIS["y"], normalise=True),
                resolution=4,
            )
            # the bottle's box about its base as written (the profile's 3 decimals aside)
            offsets = [[dx, dy, dz] for dx in (-r, r) for dy in (0, h) for dz in (-r, r)]
            unit = s.view.p(s.w(c0)) + np.array(offsets)
            s.grow_world(unit, unit)
        else:
            unit = s.cylinder(
                p, p.obj, [c0[0], c0[1] + h / 2, c0[2]], r, h / 2, axis="y", apply=True, vertices=16
            )
        steps = [(nx, [sx, 0, 0]), (nz, [0, 0, sz]), (levels, [0, s.q(pitch_y), 0])]
        s.array(p, p.obj, unit, steps)


# ----------------------------------------------------------------------------------- BeverageFridge


@dataclass(frozen=True)
class _Fridge:
    """The random choices of one beverage fridge, and how to draw it."""

    kind: str
    W: float
    H: float
    D: float
    glass: bool
    wall: float
    door_t: float
    frame_w: float
    round_frame: bool
    base_h: float
    legs: str
    header: bool
    header_h: float
    handle: str
    handle_len: float
    hinge_left: bool
    door_open: bool
    racks: int
    wire: bool
    stock: str
    bevel: float

    @property
    def top(self) -> float:
        """The height of the door opening's top: under the header panel when there is one."""
        return self.H - (self.header_h if self.header else 0.0)

    @property
    def foot_h(self) -> float:
        """The height of the feet or castors the body stands on."""
        return 0.03 if self.legs != "none" else 0.0

    def draw(self, s: Sketch) -> None:
        """The hollow body, the grille and header, racks and stock, the doors, then feet or castors."""
        zb, zf = -self.D / 2, self.D / 2 - self.door_t
        y_body = self.foot_h
        shell(s, "body", [-self.W / 2, y_body, zb], [self.W / 2, self.H, zf], self.wall, bevel=self.bevel)
        self._grille_and_header(s)
        self._racks(s)
        n_doors = 2 if self.kind == "double" else 1
        dw = self.W / n_doors
        for k in range(n_doors):
            x0, x1 = -self.W / 2 + k * dw + 0.003, -self.W / 2 + (k + 1) * dw - 0.003
            hinge_at_left = (k == 0) if n_doors == 2 else self.hinge_left
            self._door(s, x0, x1, hinge_at_left)
        self._feet(s)

    def _grille_and_header(self, s: Sketch) -> None:
        """The slotted vent grille below the doors and the header sign panel above them."""
        top = self.top
        zf = self.D / 2 - self.door_t
        y_body = self.foot_h
        # the cabinet below the doors holds the compressor behind a slotted grille
        with s.part("vent grille") as p:
            gx0, gx1 = -self.W / 2 + self.wall, self.W / 2 - self.wall
            s.box(
                p,
                p.obj,
                [gx0, y_body + 0.01, zf - 0.02],
                [gx1, y_body + self.base_h - 0.01, zf + 0.004],
                apply=True,
            )
            slots = p.helper("cube")
            slot = max(0.012, s.thinnest())
            n = max(3, int((gx1 - gx0 - 0.04) / (2.2 * slot)))
            step = s.q((gx1 - gx0 - 0.04 - slot) / (n - 1))
            x = -(n - 1) / 2 * step
            s.box(
                p,
                slots,
                [x - slot / 2, y_body + 0.025, zf - 0.01],
                [x + slot / 2, y_body + self.base_h - 0.025, zf + 0.02],
                apply=True,
                grow=False,
            )
            p.call("array_1d", name=slots, count=n, constant_offset=s.V([step, 0, 0]))
            p.call("boolean_operation", name1=p.obj, name2=slots, operation="DIFFERENCE")
        if self.header:
            with s.part("header panel") as p:
                s.box(
                    p,
                    p.obj,
                    [-self.W / 2 + 0.01, top + 0.01, zf],
                    [self.W / 2 - 0.01, self.H - 0.01, zf + self.door_t * 0.6],
                    apply=True,
                    bevel=0.005,
                )

    def _racks(self, s: Sketch) -> None:
        """Wire racks (arrays of rods on swept rims) or glass shelves, with cans or bottles on them."""
        top = self.top
        zb, zf = -self.D / 2, self.D / 2 - self.door_t
        y_body = self.foot_h
        inner_x0, inner_x1 = -self.W / 2 + self.wall + 0.01, self.W / 2 - self.wall - 0.01
        inner_z0, inner_z1 = zb + self.wall + 0.01, zf - 0.03
        y_lo, y_hi = y_body + self.base_h + self.wall, top - self.wall
        pitch = (y_hi - y_lo) / (self.racks + 1)
        py = s.q(pitch)
        centre = y_lo + (self.racks + 1) / 2 * pitch
        y_first = centre - (self.racks - 1) / 2 * py
        if self.wire:
            with s.part("rack") as p:
                n_rod, sx = s.fit(inner_x1 - inner_x0 - 0.02, 0.03)
                x = (inner_x0 + inner_x1) / 2 - (n_rod - 1) / 2 * sx
                unit = s.rod(p, p.obj, [x, y_first, inner_z0 + 0.01], [x, y_first, inner_z1 - 0.01], 0.003)
                s.array(p, p.obj, unit, [(n_rod, [sx, 0, 0]), (self.racks, [0, py, 0])])
            with s.part("rack frame") as p:
                unit = wire_frame(s, p, p.obj, inner_x0, inner_x1, y_first, inner_z0, inner_z1, 0.004)
                s.array(p, p.obj, unit, [(self.racks, [0, py, 0])])
        else:
            with s.part("shelf") as p:
                unit = s.box(
                    p,
                    p.obj,
                    [inner_x0, y_first - 0.003, inner_z0],
                    [inner_x1, y_first + 0.003, inner_z1],
                    apply=True,
                )
                s.array(p, p.obj, unit, [(self.racks, [0, py, 0])])
        if self.stock != "none":
            r = 0.033 if self.stock == "can" else 0.035
            h = 0.122 if self.stock == "can" else min(0.3, pitch - 0.05)
            if h > 0.08:
                _cans(
                    s,
                    self.stock,
                    inner_x0 + 0.01,
                    inner_x1 - 0.01,
                    inner_z0 + 0.01,
                    inner_z1 - 0.01,
                    y_first + 0.005,
                    pitch,
                    self.racks,
                    r,
                    h,
                )

    def _door(self, s: Sketch, x0: float, x1: float, hinge_at_left: bool) -> None:
        """One door across [x0, x1], turned open about its hinge when the fridge stands open: a swept
        frame holding a glass panel, or a solid door, with its handle."""
        zf = self.D / 2 - self.door_t
        door_y0, door_y1 = self.foot_h + self.base_h, self.top
        hx = x0 if hinge_at_left else x1
        R, t = hinge_pose("y", [hx, 0, zf], (-90 if hinge_at_left else 90) if self.door_open else 0)
        with s.posed(R, t):
            zc = zf + self.door_t / 2
            yc = (door_y0 + door_y1) / 2
            if self.glass:
                with s.part("door frame") as p:
                    s.rectangle_sweep(
                        p,
                        [(x0 + x1) / 2, yc, zc],
                        x1 - x0 - self.frame_w,
                        door_y1 - door_y0 - self.frame_w,
                        self.frame_w,
                        self.door_t,
                        mitred=not self.round_frame,
                        bevel_width=s.L(self.frame_w * 0.8) if self.round_frame else None,
                        bevel_segments=4 if self.round_frame else None,
                    )
                with s.part("glass panel") as p:
                    s.box(
                        p,
                        p.obj,
                        [x0 + self.frame_w * 0.7, door_y0 + self.frame_w * 0.7, zc - 0.003],
                        [x1 - self.frame_w * 0.7, door_y1 - self.frame_w * 0.7, zc + 0.003],
                    )
            else:
                with s.part("door") as p:
                    s.box(
                        p,
                        p.obj,
                        [x0, door_y0, zf],
                        [x1, door_y1, zf + self.door_t],
                        apply=True,
                        bevel=0.006,
                    )
                    if self.handle == "recess":
                        cut = p.helper("cube")
                        gx = x1 - 0.005 if hinge_at_left else x0 + 0.005
                        s.box(
                            p,
                            cut,
                            [gx - 0.02, yc - self.handle_len / 2, zf + self.door_t * 0.4],
                            [gx + 0.02, yc + self.handle_len / 2, zf + self.door_t + 0.01],
                            apply=True,
                            grow=False,
                        )
                        p.call("boolean_operation", name1=p.obj, name2=cut, operation="DIFFERENCE")
            free = x1 - self.frame_w / 2 if hinge_at_left else x0 + self.frame_w / 2
            h_y = yc if self.kind == "mini" else door_y0 + (door_y1 - door_y0) * 0.55
            if self.handle == "bar":
                knob_or_pull(s, "bar", [free, h_y, zf + self.door_t], self.handle_len, vertical=True)
            elif self.handle == "grip":
                with s.part("handle") as p:
                    gx = x1 if hinge_at_left else x0 - 0.018
                    s.box(
                        p,
                        p.obj,
                        [gx, h_y - self.handle_len / 2, zf + self.door_t * 0.2],
                        [gx + 0.018, h_y + self.handle_len / 2, zf + self.door_t + 0.012],
                        apply=True,
                        bevel=0.004,
                    )

    def _feet(self, s: Sketch) -> None:
        """Feet or castors under the corners (an array_2d of one)."""
        zb = -self.D / 2
        foot_h = self.foot_h
        if self.legs == "feet":
            with s.part("foot") as p:
                c = [-self.W / 2 + 0.05, foot_h / 2, zb + 0.05]
                unit = s.cylinder(p, p.obj, c, 0.018, foot_h / 2, axis="y", apply=True, vertices=16)
                s.array(
                    p,
                    p.obj,
                    unit,
                    [(2, [s.q(self.W - 0.1), 0, 0]), (2, [0, 0, s.q(self.D - self.door_t - 0.1)])],
                )
        elif self.legs == "castors":
            with s.part("castor") as p:
                c = [-self.W / 2 + 0.05, foot_h / 2, zb + 0.05]
                unit = s.cylinder(p, p.obj, c, foot_h / 2, 0.01, axis="x", apply=True, vertices=16)
                s.array(
                    p,
                    p.obj,
                    unit,
                    [(2, [s.q(self.W - 0.1), 0, 0]), (2, [0, 0, s.q(self.D - self.door_t - 0.1)])],
                )


@register("BeverageFridge")
def beverage_fridge(rng: np.random.Generator) -> ProgramBuilder:
    """A drinks fridge: a hollow body (boolean), one or two doors (a swept frame with a glass panel,
    or a solid door), handles (swept bars or recessed grips), wire racks (arrays of rods and swept
    rims) or glass shelves, cans or bottles (array_3d), a slotted vent grille, feet or castors and a
    header sign on display coolers; a single door may stand open."""
    kind = pick(rng, {"mini": 0.4, "tall": 0.4, "double": 0.2})
    W = {"mini": rng.uniform(0.43, 0.6), "tall": rng.uniform(0.55, 0.75), "double": rng.uniform(0.9, 1.3)}[
        kind
    ]
    H = {"mini": rng.uniform(0.75, 0.9), "tall": rng.uniform(1.6, 2.0), "double": rng.uniform(1.7, 2.0)}[kind]
    D = {"mini": rng.uniform(0.45, 0.6), "tall": rng.uniform(0.55, 0.7), "double": rng.uniform(0.6, 0.75)}[
        kind
    ]
    glass = kind != "mini" or rng.random() < 0.7
    wall = rng.uniform(0.035, 0.06)
    door_t = rng.uniform(0.04, 0.06)
    frame_w = rng.uniform(0.04, 0.08)
    round_frame = rng.random() < 0.3
    base_h = rng.uniform(0.07, 0.13)
    legs = pick(rng, {"feet": 0.6, "castors": 0.2, "none": 0.2})
    header = kind != "mini" and rng.random() < 0.6
    header_h = rng.uniform(0.12, 0.2)
    handle = pick(rng, {"bar": 0.6, "grip": 0.4 if not glass else 0.1, "recess": 0.0 if glass else 0.3})
    handle_len = rng.uniform(0.2, 0.35) if kind == "mini" else rng.uniform(0.3, 0.7)
    hinge_left = rng.random() < 0.5
    door_open = kind != "double" and rng.random() < 0.2
    racks = int(rng.integers(1, 4)) if kind == "mini" else int(rng.integers(3, 7))
    wire = rng.random() < 0.65
    stock = pick(rng, {"none": 0.45, "can": 0.35, "bottle": 0.2}) if glass or door_open else "none"
    bevel = rng.uniform(0.004, 0.02)
    return compose(
        "beverage fridge",
        _Fridge(
            kind=kind,
            W=W,
            H=H,
            D=D,
            glass=glass,
            wall=wall,
            door_t=door_t,
            frame_w=frame_w,
            round_frame=round_frame,
            base_h=base_h,
            legs=legs,
            header=header,
            header_h=header_h,
            handle=handle,
            handle_len=handle_len,
            hinge_left=hinge_left,
            door_open=door_open,
            racks=racks,
            wire=wire,
            stock=stock,
            bevel=bevel,
        ).draw,
    )
