"""TV: a flat panel on a stand or the wall, or an old CRT set."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.generators.design import primitive
from meshcoder.data.generators.geometry import (
    SHARP,
    UP,
    pick,
    quat_from_matrix,
    turn_about,
)
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.storage.sketch import (
    IDENTITY,
    MITRE,
    Sketch,
    compose,
    grow_tube,
)


def _tapered(s: Sketch, p: PartWriter, sizes: list[float], centre: list[float]) -> None:
    """A tapered body (``create_trapezoid_body``, its axis turned to run along Z) of ``sizes`` (back
    height and width, front height and width, depth) centred at ``centre``, bounded as written."""
    p.call(
        "create_trapezoid_body",
        name=p.obj,
        size=s.L(sizes),
        location=s.at(centre),
        rotation=quat_from_matrix(turn_about("y", 90), normalise=True),
    )
    view = s.view
    half = np.array([view.l(sizes[3]), view.l(sizes[2]), view.l(sizes[4])]) / 2
    mid = view.p(s.w(centre))
    s.grow_world(mid - half, mid + half)


@dataclass(frozen=True)
class _TV:
    """The random choices of one TV, and how to draw it."""

    style: str
    Ws: float
    Hs: float
    bezel: float
    panel_t: float
    round_corners: bool
    corner: float
    back_kind: str
    back_w: float
    back_h: float
    back_d: float
    stand: str
    neck_round: bool
    base_shape: str
    lift: float
    feet_spread: float
    feet_kind: str
    speaker: bool
    crt_depth: float
    crt_buttons: int

    def draw(self, s: Sketch) -> None:
        if self.style == "crt":
            self._crt(s)
        else:
            y_bottom, by = self._flat_panel(s)
            self._stand(s, y_bottom, by)

    def _crt(self, s: Sketch) -> None:
        """An old CRT set: a bevelled cabinet with the screen opening cut out, a bulging screen, a tapered
        back housing, buttons and feet."""
        Wc, Hc = self.Ws + 0.1, self.Hs + 0.16
        front_d = 0.12
        y0 = 0.02
        zf = 0.0
        with s.part("cabinet") as p:
            s.box(p, p.obj, [-Wc / 2, y0, zf - front_d], [Wc / 2, y0 + Hc, zf], apply=True, bevel=0.02)
            cut = p.helper("cube")
            s.box(
                p,
                cut,
                [-self.Ws / 2, y0 + Hc - self.Hs - 0.04, zf - 0.03],
                [self.Ws / 2, y0 + Hc - 0.04, zf + 0.02],
                apply=True,
                bevel=0.02,
                grow=False,
            )
            p.call("boolean_operation", name1=p.obj, name2=cut, operation="DIFFERENCE")
        c = [0, y0 + Hc - self.Hs / 2 - 0.04, zf - 0.03]
        s.add(primitive, "screen", "uv_sphere", c, [self.Ws / 2, self.Hs / 2, 0.025])
        depth = self.Ws * self.crt_depth
        with s.part("back housing") as p:
            L = depth - front_d
            sizes = [Hc * 0.55, Wc * 0.55, Hc * 0.92, Wc * 0.92, L]
            _tapered(s, p, sizes, [0, y0 + Hc * 0.52, zf - front_d - L / 2])
        with s.part("button") as p:
            step = s.q(0.03)
            c = [Wc / 2 - 0.05 - (self.crt_buttons - 1) * step, y0 + 0.04, zf + 0.004]
            unit = s.cube(p, p.obj, c, [0.008, 0.006, 0.005], apply=True)
            s.array(p, p.obj, unit, [(self.crt_buttons, [step, 0, 0])])
        with s.part("foot") as p:
            c = [-Wc / 2 + 0.05, y0 / 2, zf - 0.05]
            unit = s.cube(p, p.obj, c, [0.03, y0 / 2, 0.03], apply=True)
            s.array(p, p.obj, unit, [(2, [s.q(Wc - 0.1), 0, 0]), (2, [0, 0, s.q(-(depth - 0.15))])])

    def _flat_panel(self, s: Sketch) -> tuple[float, float]:
        """A flat panel: a speaker bar under it now and then, the screen, a bezel swept along a rectangle
        (square or rounded), a box or tapered back cover. Returns the panel's bottom and the height of
        the back cover's centre, where the stand holds it."""
        # the bezel as the written profile makes it (thin profiles are written at the minimum size)
        eb = s.written(self.bezel if self.round_corners else self.bezel / MITRE) * (
            1.0 if self.round_corners else MITRE
        )
        Wt, Ht = self.Ws + 2 * eb, self.Hs + 2 * eb
        y_bottom = {"pedestal": self.lift, "feet": self.lift * 0.8, "wall": 0.0}[self.stand]
        if self.speaker:
            with s.part("speaker") as p:
                sh = 0.035
                s.box(
                    p,
                    p.obj,
                    [-Wt / 2, y_bottom, -self.panel_t],
                    [Wt / 2, y_bottom + sh, 0.005],
                    apply=True,
                    bevel=0.006,
                )
            y_bottom += 0.035
        yc = y_bottom + Ht / 2
        with s.part("screen") as p:
            s.box(
                p,
                p.obj,
                [-self.Ws / 2, yc - self.Hs / 2, -self.panel_t],
                [self.Ws / 2, yc + self.Hs / 2, -0.002],
            )
        with s.part("bezel") as p:
            depth = self.panel_t + 0.003
            s.rectangle_sweep(
                p,
                [0, yc, -self.panel_t + depth / 2],
                self.Ws + eb,
                self.Hs + eb,
                self.bezel,
                depth,
                mitred=not self.round_corners,
                bevel_width=s.L(eb * self.corner) if self.round_corners else None,
                bevel_segments=6 if self.round_corners else None,
            )
            p.call("weld", name=p.obj, merge_threshold=0.0005)
        bw, bh = self.Ws * self.back_w, self.Hs * self.back_h
        by = yc - self.Hs / 2 + bh / 2 + self.Hs * 0.05
        zb = -self.panel_t
        with s.part("back cover") as p:
            if self.back_kind == "box":
                s.box(
                    p,
                    p.obj,
                    [-bw / 2, by - bh / 2, zb - self.back_d],
                    [bw / 2, by + bh / 2, zb],
                    apply=True,
                    bevel=0.008,
                )
            else:
                _tapered(s, p, [bh * 0.7, bw * 0.7, bh, bw, self.back_d], [0, by, zb - self.back_d / 2])
        return y_bottom, by

    def _stand(self, s: Sketch, y_bottom: float, by: float) -> None:
        """A pedestal (neck and base), two feet or a wall bracket behind the back cover."""
        bw, bh = self.Ws * self.back_w, self.Hs * self.back_h
        zb = -self.panel_t
        if self.stand == "pedestal":
            base_d = max(0.18, self.Ws * 0.18)
            base_w = self.Ws * 0.35 if self.base_shape == "box" else base_d * 1.2
            neck_z = zb - self.back_d * 0.5
            ny1 = by
            if self.neck_round:
                s.add(primitive, "neck", "cylinder", [0, ny1 / 2, neck_z], [0.025, 0.025, ny1 / 2], UP)
            else:
                with s.part("neck") as p:
                    s.box(p, p.obj, [-0.04, 0.015, neck_z - 0.012], [0.04, ny1, neck_z + 0.012])
            with s.part("base") as p:
                if self.base_shape == "box":
                    s.box(
                        p,
                        p.obj,
                        [-base_w / 2, 0, neck_z - base_d / 2],
                        [base_w / 2, 0.018, neck_z + base_d / 2],
                        apply=True,
                        bevel=0.01,
                    )
                else:
                    rx = base_d * (0.6 if self.base_shape == "disc" else 0.9)
                    s.cylinder(p, p.obj, [0, 0.009, neck_z], [rx, base_d / 2], 0.009, axis="-y", R=IDENTITY)
        elif self.stand == "feet":
            spread = self.Ws * self.feet_spread / 2
            foot_d = max(0.16, self.Ws * 0.15)
            for sx in (-1, 1):
                x = sx * spread
                with s.part("foot") as p:
                    prof = p.helper("rectangle")
                    p.call(
                        "create_rectangle",
                        name=prof,
                        width=s.Lw(max(0.025, self.Ws * 0.025)),
                        length=s.Lw(0.012),
                    )
                    if self.feet_kind == "v":
                        pts = [
                            [x, 0.006, zb - foot_d * 0.6],
                            [x, y_bottom + 0.03, zb * 0.5],
                            [x, 0.006, foot_d * 0.5],
                        ]
                    else:
                        pts = [
                            [x, y_bottom + 0.03, zb * 0.5],
                            [x + sx * 0.05, 0.006, foot_d * 0.15],
                            [x + sx * 0.05, 0.006, foot_d * 0.5],
                        ]
                    p.call(
                        "create_curve",
                        name=p.obj,
                        profile_name=prof,
                        control_points=s.P(pts),
                        handle_type=[SHARP] * 6,
                        fill_caps="both",
                    )
                    # the section's width lies across the path's plane, its length in it
                    arr = np.array(pts)
                    normal = np.cross(arr[1] - arr[0], arr[2] - arr[1])
                    out, across = s.written(max(0.025, self.Ws * 0.025)) / 2, s.written(0.012) / 2
                    grow_tube(s, arr, normal, across, out)
        else:
            with s.part("wall bracket") as p:
                s.box(
                    p,
                    p.obj,
                    [-bw * 0.3, by - bh * 0.3, zb - self.back_d - 0.025],
                    [bw * 0.3, by + bh * 0.3, zb - self.back_d],
                )


@register("TV")
def tv(rng: np.random.Generator) -> ProgramBuilder:
    """A television: a flat panel (screen, a bezel swept along a rectangle, square or rounded, a box
    or tapered back cover) on a pedestal (neck and base), two feet, or a wall bracket, sometimes with
    a speaker bar; or an old CRT set (bevelled cabinet, bulging screen, tapered back, buttons)."""
    style = pick(rng, {"flat": 0.85, "crt": 0.15})
    if style == "flat":
        aspect = pick(rng, {16 / 9: 0.85, 21 / 9: 0.05, 4 / 3: 0.1})
        Ws = rng.uniform(0.6, 1.8)
    else:
        aspect = 4 / 3
        Ws = rng.uniform(0.3, 0.6)
    Hs = Ws / aspect
    bezel = rng.uniform(0.005, 0.03)
    panel_t = rng.uniform(0.008, 0.03)
    round_corners = rng.random() < 0.3
    corner = rng.uniform(0.6, 2.0)
    back_kind = pick(rng, {"box": 0.6, "tapered": 0.4})
    back_w, back_h = rng.uniform(0.55, 0.9), rng.uniform(0.5, 0.8)
    back_d = rng.uniform(0.02, 0.06)
    stand = pick(rng, {"pedestal": 0.45, "feet": 0.35, "wall": 0.2})
    neck_round = rng.random() < 0.35
    base_shape = pick(rng, {"box": 0.5, "disc": 0.25, "oval": 0.25})
    lift = rng.uniform(0.04, 0.12)
    feet_spread = rng.uniform(0.6, 0.9)
    feet_kind = pick(rng, {"v": 0.5, "blade": 0.5})
    speaker = style == "flat" and stand != "wall" and rng.random() < 0.2
    crt_depth = rng.uniform(0.8, 1.1)
    crt_buttons = int(rng.integers(2, 6))
    return compose(
        "tv",
        _TV(
            style=style,
            Ws=Ws,
            Hs=Hs,
            bezel=bezel,
            panel_t=panel_t,
            round_corners=round_corners,
            corner=corner,
            back_kind=back_kind,
            back_w=back_w,
            back_h=back_h,
            back_d=back_d,
            stand=stand,
            neck_round=neck_round,
            base_shape=base_shape,
            lift=lift,
            feet_spread=feet_spread,
            feet_kind=feet_kind,
            speaker=speaker,
            crt_depth=crt_depth,
            crt_buttons=crt_buttons,
        ).draw,
    )
