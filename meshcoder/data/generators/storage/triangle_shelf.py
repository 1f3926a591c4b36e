"""TriangleShelf: corner shelves, equilateral etageres and step shelves."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import primitive
from meshcoder.data.generators.geometry import (
    UP,
    pick,
    quat_from_matrix,
    turn_about,
)
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.storage.sketch import (
    MITRE,
    Sketch,
    compose,
)
from meshcoder.shapes.program import ARGUMENT_DECIMALS


def _even_outline(points) -> list:
    """A straight-sided outline fill_grid can fill: one with an odd number of points gets another
    halfway along its longest side (the shape is unchanged)."""
    pts = [np.asarray(q, float) for q in points]
    if len(pts) % 2 == 0:
        return pts
    lengths = [np.linalg.norm(pts[(i + 1) % len(pts)] - pts[i]) for i in range(len(pts))]
    i = int(np.argmax(lengths))
    return [*pts[: i + 1], (pts[i] + pts[(i + 1) % len(pts)]) / 2, *pts[i + 1 :]]


@dataclass(frozen=True)
class _TriangleShelf:
    """The random choices of one triangle shelf, and how to draw it."""

    style: str
    levels: int
    t: float
    spacing: float
    leg_r: float
    square_legs: bool
    leg_extra: float
    top_gap: float
    finials: bool
    a: float
    rounded: bool
    support: str
    radius: float
    point_back: bool
    step_depth: float
    step_width: float

    def legs(self, s: Sketch, corners: np.ndarray, height: float) -> None:
        """Legs at ``corners`` (x, z pairs) up to ``height``, with ball finials on top now and then."""
        r = self.leg_r
        for x, z in corners:
            if self.square_legs:
                s.add(primitive, "leg", "cube", [x, height / 2, z], [r, height / 2, r])
            else:
                s.add(primitive, "leg", "cylinder", [x, height / 2, z], [r, r, height / 2], UP)
            if self.finials:
                s.add(primitive, "finial", "uv_sphere", [x, height + r * 1.2, z], [r * 1.5] * 3)

    def draw(self, s: Sketch) -> None:
        {"corner": self._corner, "equilateral": self._equilateral, "step": self._step}[self.style](s)

    def _boards(self, s: Sketch) -> tuple[float, float, float]:
        """Where the board array starts: the height the boards start at (the leg extra), the first
        board's centre and the written step; the boards are centred on where the design puts them."""
        y0 = self.leg_extra
        step = s.q(self.spacing)
        return y0, y0 + self.t / 2 + (self.levels - 1) / 2 * (self.spacing - step), step

    def _corner(self, s: Sketch) -> None:
        """A corner shelf: right-triangle (or quarter-round) boards on three legs or two back panels."""
        y0, first, step = self._boards(s)
        h = self.a * MITRE  # the right angle sits at the back, the long edge faces the front
        apex, left, right = np.array([0.0, -h]), np.array([-h, 0.0]), np.array([h, 0.0])
        outline = [apex, left]
        if self.rounded:
            angles = np.linspace(135, 45, 9)[1:-1]
            outline += [
                apex + self.a * np.array([math.cos(math.radians(g)), math.sin(math.radians(g))])
                for g in angles
            ]
        outline.append(right)
        outline = np.array(outline)
        with s.part("board") as p:
            pts = _even_outline([[x, first, z] for x, z in outline])
            p.call("create_quad", name=p.obj, control_points=s.P(pts))
            p.call("fill_grid", name=p.obj)
            p.call("solidify", name=p.obj, thickness=s.L(self.t), offset=0)
            unit = s.w(np.array([[x, first + sg * self.t / 2, z] for x, z in outline for sg in (-1, 1)]))
            s.grow_world(unit, unit)
            s.array(p, p.obj, unit, [(self.levels, [0, step, 0])])
        top = y0 + (self.levels - 1) * self.spacing + self.t + self.top_gap
        if self.support == "legs":
            inset = self.leg_r * 2.2
            corners = np.array(
                [
                    apex + np.array([0, inset * 1.41]),
                    left + np.array([inset * 2.4, inset]),
                    right + np.array([-inset * 2.4, inset]),
                ]
            )
            self.legs(s, corners, top)
        else:
            for end in (left, right):
                with s.part("side panel") as p:
                    d = (end - apex) / np.linalg.norm(end - apex)
                    outward = np.array([d[1], -d[0]]) * (1 if end[0] > 0 else -1)
                    c = (apex + end) / 2 + outward * self.t / 2
                    yaw = math.degrees(math.atan2(-d[1], d[0]))
                    s.cube(
                        p,
                        p.obj,
                        [c[0], top / 2, c[1]],
                        [self.a / 2, top / 2, self.t / 2],
                        R=turn_about("y", yaw),
                    )

    def _equilateral(self, s: Sketch) -> None:
        """An etagere of equilateral create_polygon boards on three legs."""
        y0, first, step = self._boards(s)
        R = self.radius
        turn = turn_about("x", -90) if self.point_back else turn_about("x", 90)
        zs = -1 if self.point_back else 1
        tri = np.array([[0, zs * R], [-R * 0.866, -zs * R / 2], [R * 0.866, -zs * R / 2]])
        with s.part("board") as p:
            p.call(
                "create_polygon",
                name=p.obj,
                sides=3,
                radius=s.L(R),
                location=s.at([0, first, 0]),
                rotation=quat_from_matrix(turn, normalise=True),
            )
            # three points: Grid Fill would leave it open, a clipped grid fills any outline
            p.call("curve2meshgrid", name=p.obj, resolution=4)
            p.call("solidify", name=p.obj, thickness=s.L(self.t), offset=0)
            # the board as written: its centre, radius and thickness rounded
            centre = s.view.p(s.w([0, first, 0]))
            grow, half_t = s.view.l(R) / R, s.view.l(self.t, ARGUMENT_DECIMALS["thickness"]) / 2
            unit = centre + np.array([[x * grow, sg * half_t, z * grow] for x, z in tri for sg in (-1, 1)])
            s.grow_world(unit, unit)
            s.array(p, p.obj, unit, [(self.levels, [0, step, 0])])
        top = y0 + (self.levels - 1) * self.spacing + self.t + self.top_gap
        inward = tri / np.linalg.norm(tri, axis=1, keepdims=True) * (self.leg_r * 2.5)
        self.legs(s, tri - inward, top)

    def _step(self, s: Sketch) -> None:
        """A step shelf: two triangular side panels, shelves shallower towards the top, a back rail."""
        Hs = self.spacing * self.levels + 0.1
        D = self.step_depth
        zb = -D / 2
        half_w = self.step_width / 2
        for sx in (-1, 1):
            with s.part("side panel") as p:
                x = sx * (half_w - self.t / 2)
                pts = _even_outline([[x, 0, zb], [x, 0, zb + D], [x, Hs, zb]])
                p.call("create_quad", name=p.obj, control_points=s.P(pts))
                p.call("fill_grid", name=p.obj)
                p.call("solidify", name=p.obj, thickness=s.L(self.t), offset=0)
                s.grow([[x - self.t / 2, 0, zb], [x + self.t / 2, Hs, zb + D]])
        for k in range(self.levels):
            y = 0.06 + k * self.spacing
            d = D * (1 - (y + self.t) / Hs) - 0.01
            with s.part("shelf") as p:
                s.box(p, p.obj, [-half_w + self.t, y, zb], [half_w - self.t, y + self.t, zb + d])
        with s.part("back rail") as p:
            s.box(p, p.obj, [-half_w + self.t, Hs - 0.12, zb], [half_w - self.t, Hs - 0.06, zb + self.t])


@register("TriangleShelf")
def triangle_shelf(rng: np.random.Generator) -> ProgramBuilder:
    """Triangular shelving: a corner shelf of right-triangle (or quarter-round) boards drawn with
    create_quad on three legs or two back panels, an equilateral etagere of create_polygon boards
    (filled by curve2meshgrid) on three legs, or a step shelf whose two triangular side panels hold
    shelves getting shallower upwards. Grid Fill leaves an outline with an odd number of points
    unfilled (spec 3b, item 8), so a create_quad triangle gets a fourth point halfway along one side
    (:func:`_even_outline`)."""
    style = pick(rng, {"corner": 0.45, "equilateral": 0.35, "step": 0.2})
    levels = int(rng.integers(2, 7))
    t = rng.uniform(0.015, 0.03)
    spacing = rng.uniform(0.2, 0.38)
    leg_r = rng.uniform(0.012, 0.025)
    square_legs = rng.random() < 0.35
    leg_extra = rng.uniform(0.0, 0.25)
    top_gap = rng.uniform(0.02, 0.08)
    finials = rng.random() < 0.3
    a = rng.uniform(0.28, 0.5)  # corner shelf: length along each wall
    rounded = rng.random() < 0.35
    support = pick(rng, {"legs": 0.6, "panels": 0.4})
    radius = rng.uniform(0.18, 0.35)  # equilateral: circumradius of a board
    point_back = rng.random() < 0.7
    step_depth = rng.uniform(0.3, 0.5)
    step_width = rng.uniform(0.5, 1.1)
    return compose(
        "triangle shelf",
        _TriangleShelf(
            style=style,
            levels=levels,
            t=t,
            spacing=spacing,
            leg_r=leg_r,
            square_legs=square_legs,
            leg_extra=leg_extra,
            top_gap=top_gap,
            finials=finials,
            a=a,
            rounded=rounded,
            support=support,
            radius=radius,
            point_back=point_back,
            step_depth=step_depth,
            step_width=step_width,
        ).draw,
    )
