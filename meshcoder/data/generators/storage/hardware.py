"""Hardware: small cabinet hardware (knobs, pulls, hinges, hooks), one item per program."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.generators.design import primitive
from meshcoder.data.generators.geometry import (
    AUTO,
    SHARP,
    UP,
    arc_through,
    bezier_polyline,
    fillet,
    pick,
    turn_about,
)
from meshcoder.data.generators.library_model import arc_control_points
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.storage.parts import knob_or_pull
from meshcoder.data.generators.storage.sketch import (
    AXIS,
    IDENTITY,
    Sketch,
    circle_profile,
    compose,
    grow_tube,
    profile_radius,
)


def _holes(
    s: Sketch,
    p: PartWriter,
    target: str,
    first,
    step,
    count: int,
    radius: float,
    depth: float,
    axis: str = "z",
    number: int = 1,
) -> None:
    """Drill ``count`` screw holes through ``target``: one cutter cylinder, arrayed, subtracted."""
    cutter = p.helper("cylinder", number)
    s.cylinder(p, cutter, first, radius, depth, axis=axis, apply=True, vertices=16, grow=False)
    if count > 1:
        p.call("array_1d", name=cutter, count=count, constant_offset=s.V(step))
    p.call("boolean_operation", name1=target, name2=cutter, operation="DIFFERENCE")


def _lathe(
    s: Sketch, p: PartWriter, name: str, profile, base, axis: str = "z", auto_from: int | None = None
) -> None:
    """A solid of revolution of a profile given as (radius, height) pairs, standing on ``base`` along
    ``axis``; points from ``auto_from`` on get smooth (AUTO) handles."""
    prof = p.helper("curve")
    pts = [[r, h, 0.0] for r, h in profile]
    codes = []
    for i in range(len(pts)):
        smooth = auto_from is not None and auto_from <= i < len(pts) - 1
        codes += [AUTO, AUTO] if smooth else [SHARP, SHARP]
    p.call("create_curve", name=prof, control_points=s.L(np.array(pts)), handle_type=codes, resolution=6)
    p.call(
        "bezier_rotation",
        name=name,
        profile_name=prof,
        location=s.at(base),
        rotation=s.quat(AXIS[axis]),
        resolution=8,
    )
    # the profile as Blender evaluates it (smooth handles overshoot), turned about its written location
    line = bezier_polyline(profile, codes, 6)
    r_max = float(np.abs(line[:, 0]).max())
    h_lo, h_hi = float(line[:, 1].min()), float(line[:, 1].max())
    local = np.array([[x, y, z] for x in (-r_max, r_max) for y in (-r_max, r_max) for z in (h_lo, h_hi)])
    s.grow_world(s.view.p(s.w(base)) + local @ (s.R @ AXIS[axis]).T, s.view.p(s.w(base)))


@dataclass(frozen=True)
class _Hardware:
    """The random choices of one piece of hardware, and how to draw it."""

    kind: str
    style: str
    u: np.ndarray
    rosette: str
    screw: bool
    open_angle: float
    hook_count: int

    def lerp(self, k: int, a: float, b: float) -> float:
        """Shape knob ``k`` (uniform in [0, 1)) mapped onto [a, b]."""
        return a + (b - a) * float(self.u[k])

    def draw(self, s: Sketch) -> None:
        """Draw the item the choices describe."""
        {"knob": self._knob, "pull": self._pull, "hinge": self._hinge, "hook": self._hooks}[self.kind](s)

    def _knob(self, s: Sketch) -> None:
        """A knob on an optional rosette, with a screw behind it now and then."""
        d = self.lerp(0, 0.022, 0.045)
        h = self.lerp(1, 0.02, 0.035)
        base_z = 0.0
        if self.rosette != "none":
            rt = self.lerp(2, 0.002, 0.004)
            if self.rosette == "round":
                r = d * 0.55
                s.add(primitive, "rosette", "cylinder", [0, 0, rt / 2], [r, r, rt / 2], resolution=(32, 1))
            else:
                half = [d * 0.5, d * 0.5, rt / 2]
                s.add(primitive, "rosette", "cube", [0, 0, rt / 2], half, bevel=(0.2, 2))
            base_z = rt
        if self.style == "mushroom":
            rs, rh = d * self.lerp(3, 0.2, 0.3), d / 2
            prof = [
                (0, 0),
                (rs * 1.4, 0),
                (rs, h * 0.12),
                (rs, h * 0.45),
                (rh, h * 0.7),
                (rh * 0.8, h * 0.95),
                (0, h),
            ]
            with s.part("knob") as p:
                _lathe(s, p, p.obj, prof, [0, 0, base_z], axis="z", auto_from=4)
        elif self.style == "ribbed":
            r = d / 2
            s.add(primitive, "knob", "cylinder", [0, 0, base_z + h / 2], [r, r, h / 2], bevel=(0.15, 2))
            n = (8, 10, 20)[int(self.u[4] * 3)]  # counts whose turn 2/n is exact in two decimals
            with s.part("grip rib") as p:
                rib = r * 0.07
                s.box(
                    p,
                    p.obj,
                    [r - rib, -rib, base_z + h * 0.15],
                    [r + rib, rib, base_z + h * 0.9],
                    apply=True,
                )
                axis_foot = s.at([0, 0, base_z])
                p.call("change_origin", name=p.obj, location=axis_foot)
                p.call("array_rotate", name=p.obj, count=n, rotation_angle=2 / n, rotation_origin=axis_foot)
                s.grow([[-r - rib, -r - rib, base_z], [r + rib, r + rib, base_z + h * 0.9]])
        elif self.style == "square":
            bevel = (self.lerp(5, 0.15, 0.5), 3)
            s.add(primitive, "knob", "cube", [0, 0, base_z + h / 2], [d / 2, d / 2, h / 2], bevel=bevel)
        elif self.style == "tbar":
            r = d * 0.18
            s.add(primitive, "stem", "cylinder", [0, 0, base_z + h * 0.35], [r, r, h * 0.35])
            bar = self.lerp(6, 1.3, 2.0) * d
            half = [bar / 2, d * 0.18, h * 0.2]
            s.add(primitive, "knob", "cube", [0, 0, base_z + h * 0.8], half, bevel=(0.5, 3))
        else:  # ring pull hanging from a boss
            r = d * 0.22
            s.add(primitive, "boss", "cylinder", [0, 0, base_z + h * 0.25], [r, r, h * 0.25], bevel=(0.2, 2))
            with s.part("ring") as p:
                R = d * self.lerp(7, 0.6, 1.0)
                wire = R * self.lerp(9, 0.08, 0.14)
                c = [0, -R * 0.85, base_z + h * 0.5]
                prof = circle_profile(s, p, wire)
                p.call(
                    "create_circle",
                    name=p.obj,
                    profile_name=prof,
                    radius=s.L(R),
                    location=s.at(c),
                )
                # the ring as written: its centre, radius and wire rounded
                reach = s.view.l(R) + profile_radius(s, wire)
                centre, pad = s.view.p(s.w(c)), np.array([reach, reach, profile_radius(s, wire)])
                s.grow_world(centre - pad, centre + pad)
        if self.screw:
            L, r = self.lerp(8, 0.015, 0.03), d * 0.08
            s.add(primitive, "screw", "cylinder", [0, 0, -L / 2], [r, r, L / 2], resolution=(16, 1))

    def _pull(self, s: Sketch) -> None:
        """A pull handle: its mounting points ``L`` apart, standing ``stand`` off the front."""
        L = self.lerp(0, 0.06, 0.2)  # distance between the mounting points
        stand = self.lerp(1, 0.02, 0.035)
        r = self.lerp(2, 0.004, 0.008)
        if self.style == "bar":
            self._bar_pull(s, L, stand, r)
        elif self.style == "arch":
            self._arch_pull(s, L, stand, r)
        elif self.style == "d":
            knob_or_pull(s, "bar", [0, 0, 0], L)
        elif self.style == "cup":
            self._cup_pull(s, L)
        else:
            self._edge_pull(s, L)

    def _bar_pull(self, s: Sketch, L: float, stand: float, r: float) -> None:
        """A round bar on two end posts, the posts placed as the caps of a one-copy array."""
        bar = L + self.lerp(3, 0.02, 0.12)
        with s.part("handle") as p:
            c = [0, 0, stand]
            s.cylinder(p, p.obj, c, r, bar / 2, axis="x", apply=True)
            p.call("change_origin", name=p.obj, location=s.at(c))
            cap = p.helper("cap")
            post_r = r * self.lerp(4, 0.8, 1.2)
            # a cap's mesh is placed relative to the bar's origin, so its location is an offset
            p.call(
                "create_primitive",
                name=cap,
                primitive_type="cylinder",
                location=s.V([0, 0, -stand / 2]),
                scale=s.half_written([post_r, post_r, stand / 2]),
                apply=True,
            )
            p.call(
                "array_1d",
                name=p.obj,
                count=1,
                constant_offset=s.V([L / 2, 0, 0]),
                start_cap=cap,
                end_cap=cap,
            )
            p.call("delete_obj", sub_name=cap)
            # the posts as written: offset from the bar's origin, at the array's ends
            view, centre = s.view, s.view.p(s.w(c))
            drop, post_h = view.l(-stand / 2), view.size(stand / 2)
            reach, post_w = view.l(L / 2), view.size(post_r)
            posts = np.array([reach + post_w, post_w, post_h])
            mid = centre + np.array([0.0, 0.0, drop])
            s.grow_world(mid - posts, mid + posts)

    def _arch_pull(self, s: Sketch, L: float, stand: float, r: float) -> None:
        """A bar bent in a circular arch through both mounting points, of squashed round section."""
        with s.part("handle") as p:
            prof = p.helper("circle")
            rc = s.L(r)
            squash = round(self.lerp(5, 0.6, 1.0), 2)
            p.call("create_circle", name=prof, radius=rc, scale=[1.0, squash, 1.0])
            pts = [[-L / 2, 0, 0], [0, 0, stand], [L / 2, 0, 0]]
            p.call(
                "create_arc_by_3Dpoints",
                name=p.obj,
                profile_name=prof,
                control_points=arc_control_points(*pts, s.P)[0],
                fill_caps="both",
            )
            arc = arc_through(*pts, 64)
            grow_tube(s, arc, [0, 1, 0], r * squash, r, dense=1)

    def _cup_pull(self, s: Sketch, L: float) -> None:
        """A half-cylinder cup under a drilled plate."""
        R = self.lerp(6, 0.018, 0.03)
        t = 0.002
        wide = L * 0.8 + 0.02
        with s.part("plate") as p:
            s.box(
                p,
                p.obj,
                [-wide / 2 - 0.012, -R * 1.2, 0],
                [wide / 2 + 0.012, R * 0.9, 0.003],
                apply=True,
            )
            _holes(
                s,
                p,
                p.obj,
                [-wide / 2 - 0.006, -R * 0.15, 0.0015],
                [wide + 0.012, 0, 0],
                2,
                0.0018,
                0.004,
            )
        with s.part("cup") as p:
            c = [0, 0, 0]
            body = s.cylinder(p, p.obj, c, R, wide / 2, axis="x", apply=True, grow=False)
            inner = p.helper("cylinder", 1)
            s.cylinder(p, inner, c, R - t, wide / 2 - t, axis="x", apply=True, grow=False)
            p.call("boolean_operation", name1=p.obj, name2=inner, operation="DIFFERENCE")
            cut = p.helper("cube", 2)
            below = s.box(p, cut, [-wide, -2 * R, -2 * R], [wide, 0, 2 * R], apply=True, grow=False)
            p.call("boolean_operation", name1=p.obj, name2=cut, operation="DIFFERENCE")
            cut = p.helper("cube", 3)
            behind = s.box(p, cut, [-wide, -2 * R, -2 * R], [wide, 2 * R, 0.003], apply=True, grow=False)
            p.call("boolean_operation", name1=p.obj, name2=cut, operation="DIFFERENCE")
            # the cylinder's box less what the two cutters took (the faces as written)
            s.grow_world([body[:, 0].min(), below[:, 1].max(), behind[:, 2].max()], body.max(0))

    def _edge_pull(self, s: Sketch, L: float) -> None:
        """An L-section extruded along X, gripping the drawer's top edge."""
        with s.part("handle") as p:
            a, b, th = self.lerp(7, 0.015, 0.03), self.lerp(8, 0.012, 0.025), 0.003
            prof = p.helper("quad")
            shape = [[0, 0, 0], [a, 0, 0], [a, th, 0], [th, th, 0], [th, b, 0], [0, b, 0]]
            p.call("create_quad", name=prof, control_points=s.L(np.array(shape)))
            length = L + 0.04
            p.call(
                "create_curve",
                name=p.obj,
                profile_name=prof,
                control_points=s.P([[-length / 2, 0, 0], [length / 2, 0, 0]]),
                handle_type=[SHARP] * 4,
                fill_caps="both",
            )
            # the profile's X runs down the mounting face (-Y), its Y out over the drawer (+Z)
            s.grow([[-length / 2, -a, 0], [length / 2, 0, b]])

    def _hinge(self, s: Sketch) -> None:
        if self.style == "concealed":
            self._concealed_hinge(s)
        else:
            self._leaf_hinge(s)

    def _concealed_hinge(self, s: Sketch) -> None:
        """A cup hinge: the cup sunk in the door, a drilled flange, the arm and its mounting plate."""
        cup_r, cup_d = 0.0175, 0.012
        with s.part("cup") as p:
            s.cylinder(p, p.obj, [0, 0, -cup_d / 2], cup_r, cup_d / 2)
            hollow = p.helper("cylinder", 1)
            s.cylinder(p, hollow, [0, 0, -cup_d / 2 + 0.002], cup_r - 0.0015, cup_d / 2, grow=False)
            p.call("boolean_operation", name1=p.obj, name2=hollow, operation="DIFFERENCE")
        with s.part("flange") as p:
            s.box(p, p.obj, [-0.024, -0.022, 0], [0.024, 0.022, 0.0015], apply=True, bevel=0.004)
            _holes(s, p, p.obj, [-0.0195, 0.0, 0.001], [0.039, 0, 0], 2, 0.0018, 0.003)
        arm_l = self.lerp(0, 0.05, 0.07)
        with s.part("arm") as p:
            s.box(p, p.obj, [-0.008, -0.013, 0.0015], [arm_l, 0.013, 0.011], apply=True, bevel=0.003)
        with s.part("mounting plate") as p:
            s.box(
                p,
                p.obj,
                [arm_l - 0.02, -0.018, 0.011],
                [arm_l + 0.005, 0.018, 0.014],
                apply=True,
                bevel=0.003,
            )
            _holes(s, p, p.obj, [arm_l - 0.008, -0.012, 0.0125], [0, 0.024, 0], 2, 0.0018, 0.003)

    def _leaf_hinge(self, s: Sketch) -> None:
        """A butt or strap hinge: two drilled leaves on alternating knuckles about a pin, one leaf turned
        to the opening angle, with finials on the pin now and then."""
        pin_r = self.lerp(0, 0.0025, 0.004)
        knuckle_r = pin_r * self.lerp(1, 1.6, 2.0)
        t = self.lerp(2, 0.0015, 0.003)
        h = self.lerp(3, 0.05, 0.1) if self.style == "butt" else self.lerp(3, 0.05, 0.08)
        n_k = int(3 + 2 * int(self.u[4] * 2))  # 3 or 5 knuckles
        seg = h / n_k
        leaf_w = self.lerp(5, 0.02, 0.04)
        # leaf A lies to the left of the knuckle axis (Y), leaf B to the right, turned open
        turn = -(180.0 - self.open_angle)
        for side, R in ((-1, IDENTITY), (1, turn_about("y", turn))):
            with s.posed(R, [0, 0, 0]):
                label = "leaf"
                with s.part(label) as p:
                    if self.style == "strap" and side == 1:
                        strap = self.lerp(6, 0.1, 0.2)
                        tip = h * self.lerp(7, 0.25, 0.4)
                        pts = [
                            [knuckle_r * 0.6, -h / 2, 0],
                            [strap, -tip / 2, 0],
                            [strap, tip / 2, 0],
                            [knuckle_r * 0.6, h / 2, 0],
                        ]
                        p.call("create_quad", name=p.obj, control_points=s.P(pts))
                        p.call("fill_grid", name=p.obj)
                        p.call("solidify", name=p.obj, thickness=s.L(t), offset=0)
                        s.grow(np.array(pts) + np.array([0, 0, t / 2]))
                        s.grow(np.array(pts) - [0, 0, t / 2])
                        n_holes = 3
                        _holes(s, p, p.obj, [strap * 0.35, 0, 0], [strap * 0.25, 0, 0], n_holes, 0.002, 0.004)
                    else:
                        x0, x1 = (-leaf_w, -knuckle_r * 0.6) if side < 0 else (knuckle_r * 0.6, leaf_w)
                        s.box(p, p.obj, [x0, -h / 2, -t / 2], [x1, h / 2, t / 2], apply=True)
                        xm = (x0 + x1) / 2 + side * 0.002
                        _holes(
                            s,
                            p,
                            p.obj,
                            [xm, -h * 0.3, 0],
                            [0, h * 0.3, 0],
                            3,
                            min(0.0022, leaf_w * 0.09),
                            0.004,
                        )
                with s.part("knuckle") as p:
                    first = -h / 2 + seg / 2 + (0 if side < 0 else seg)
                    count = (n_k + 1) // 2 if side < 0 else n_k // 2
                    unit = s.cylinder(
                        p, p.obj, [0, first, 0], knuckle_r, seg / 2 - 0.0003, axis="y", apply=True
                    )
                    s.array(p, p.obj, unit, [(count, [0, s.q(2 * seg), 0])])
        s.add(primitive, "pin", "cylinder", [0, 0, 0], [pin_r, pin_r, h / 2 + 0.002], UP)
        if self.u[8] < 0.5:
            for sy in (-1, 1):
                with s.part("finial") as p:
                    c = [0, sy * (h / 2 + 0.002 + knuckle_r * 0.5), 0]
                    if self.u[9] < 0.5:
                        s.sphere(p, p.obj, c, [knuckle_r, knuckle_r * 0.7, knuckle_r])
                    else:
                        s.cylinder(
                            p,
                            p.obj,
                            c,
                            knuckle_r,
                            knuckle_r * 0.5,
                            axis="y" if sy > 0 else "-y",
                            kind="cone",
                        )

    def _hooks(self, s: Sketch) -> None:
        """One or two J hooks on a drilled plate, or a row of them on a rail."""
        plate_t = self.lerp(0, 0.003, 0.006)
        wire = self.lerp(1, 0.003, 0.006)
        reach = self.lerp(2, 0.03, 0.06)
        rise = self.lerp(3, 0.015, 0.035)

        if self.style == "rail":
            span = self.lerp(4, 0.25, 0.5)
            with s.part("rail") as p:
                s.box(p, p.obj, [-span / 2, -0.02, 0], [span / 2, 0.02, plate_t], apply=True, bevel=0.004)
                _holes(
                    s, p, p.obj, [-span / 2 + 0.015, 0, plate_t / 2], [span - 0.03, 0, 0], 2, 0.002, plate_t
                )
            with s.part("hook") as p:
                step = s.q((span - 0.06) / (self.hook_count - 1))
                x = -(self.hook_count - 1) / 2 * step
                unit = _hook_arm(s, p, plate_t, wire, x, 0.0, reach, rise)
                s.array(p, p.obj, unit, [(self.hook_count, [step, 0, 0])])
            return
        plate_h = self.lerp(5, 0.04, 0.07)
        with s.part("plate") as p:
            if self.u[6] < 0.5:
                s.cylinder(p, p.obj, [0, 0, plate_t / 2], [plate_h * 0.35, plate_h / 2], plate_t / 2)
            else:
                s.box(
                    p,
                    p.obj,
                    [-plate_h * 0.3, -plate_h / 2, 0],
                    [plate_h * 0.3, plate_h / 2, plate_t],
                    apply=True,
                    bevel=0.004,
                )
            _holes(s, p, p.obj, [0, -plate_h * 0.32, plate_t / 2], [0, plate_h * 0.64, 0], 2, 0.0018, plate_t)
        with s.part("hook") as p:
            _hook_arm(s, p, plate_t, wire, 0.0, -plate_h * 0.1, reach, rise)
        if self.style == "double":
            with s.part("hook") as p:
                _hook_arm(s, p, plate_t, wire, 0.0, plate_h * 0.2, reach * 0.55, rise * 0.7)
        if self.u[7] < 0.5:
            s.add(primitive, "tip", "uv_sphere", [0, -plate_h * 0.1 + rise, reach + wire], [wire * 1.3] * 3)


def _hook_arm(
    s: Sketch, p: PartWriter, plate_t: float, wire: float, x: float, y: float, reach: float, rise: float
) -> np.ndarray:
    """A J-shaped wire from the plate: out along +Z, dipping a little, then up at the tip."""
    pts = np.array([[x, y, plate_t * 0.5], [x, y - rise * 0.25, reach], [x, y + rise, reach + wire]])
    prof = circle_profile(s, p, wire)
    radius = min(reach, rise) * 0.6
    p.call(
        "create_curve",
        name=p.obj,
        profile_name=prof,
        control_points=s.P(pts),
        handle_type=[SHARP] * 6,
        bevel_width=s.L(radius),
        bevel_segments=6,
    )
    p.call("make_caps", name=p.obj, type="start")
    p.call("make_caps", name=p.obj, type="end")
    return grow_tube(s, fillet(pts, radius, 6), [1, 0, 0], wire)


@register("Hardware")
def hardware(rng: np.random.Generator) -> ProgramBuilder:
    """Small cabinet hardware, one item per program: a knob (lathed mushroom, ribbed cylinder,
    square, T-bar or ring pull, with a rosette and screw), a pull handle (bar on end posts placed as
    array caps, arched bar, D-handle, cup pull with a drilled plate, L-profile edge pull), a hinge
    (butt hinge with drilled leaves at an opening angle, strap hinge, concealed cup hinge) or a
    hook (single, double, or a rail of hooks, on a drilled plate)."""
    kind = pick(rng, {"knob": 0.3, "pull": 0.3, "hinge": 0.2, "hook": 0.2})
    if kind == "knob":
        style = pick(rng, {"mushroom": 0.35, "ribbed": 0.2, "square": 0.15, "tbar": 0.15, "ring": 0.15})
    elif kind == "pull":
        style = pick(rng, {"bar": 0.3, "arch": 0.2, "d": 0.2, "cup": 0.15, "edge": 0.15})
    elif kind == "hinge":
        style = pick(rng, {"butt": 0.55, "strap": 0.25, "concealed": 0.2})
    else:
        style = pick(rng, {"single": 0.45, "double": 0.3, "rail": 0.25})
    u = rng.uniform(size=12)  # continuous shape knobs, each used by the styles that need them
    rosette = pick(rng, {"none": 0.5, "round": 0.3, "square": 0.2})
    screw = rng.random() < 0.35
    open_angle = pick(rng, {180.0: 0.4, 90.0: 0.3, float(rng.uniform(100, 170)): 0.3})
    hook_count = int(rng.integers(3, 7))
    return compose(
        "hardware",
        _Hardware(
            kind=kind,
            style=style,
            u=u,
            rosette=rosette,
            screw=screw,
            open_angle=open_angle,
            hook_count=hook_count,
        ).draw,
    )
