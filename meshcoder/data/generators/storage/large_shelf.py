"""LargeShelf: a wooden cabinet, an industrial rack or a ladder frame."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.generators.geometry import (
    pick,
    turn_about,
)
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.storage.parts import back_sheet, doors_row
from meshcoder.data.generators.storage.sketch import (
    Sketch,
    compose,
)


@dataclass(frozen=True)
class _LargeShelf:
    """The random choices of one large shelf, and how to draw it."""

    style: str
    bays: int
    bay_w: float
    height: float
    depth: float
    levels: int
    t: float
    kick: float
    back: bool
    top_cap: bool
    overhang: float
    cornice: bool
    doors: bool
    doors_per_bay: int
    pull: str
    post: float
    round_posts: bool
    feet: bool
    braces: bool
    rail_h: float
    bottom_gap: float

    def draw(self, s: Sketch) -> None:
        {"cabinet": self._cabinet, "industrial": self._industrial, "ladder": self._ladder}[self.style](s)

    def _cabinet(self, s: Sketch) -> None:
        """A wooden cabinet: sides, top (sometimes a cornice), plinth, dividers between the bays, shelves
        in every bay by one array, a back and lower doors now and then."""
        W = self.bays * self.bay_w + (self.bays - 1) * self.t
        zb, zf = -self.depth / 2, self.depth / 2
        top_y = self.height - (self.t if self.top_cap else 0.0)
        for sx in (-1, 1):
            with s.part("side panel") as p:
                s.box(p, p.obj, [sx * W / 2, 0, zb], [sx * (W / 2 + self.t), top_y, zf])
        with s.part("top panel") as p:
            if self.top_cap:
                s.box(
                    p,
                    p.obj,
                    [-W / 2 - self.t - self.overhang, top_y, zb],
                    [W / 2 + self.t + self.overhang, self.height, zf + self.overhang],
                )
            else:
                s.box(p, p.obj, [-W / 2, self.height - self.t, zb], [W / 2, self.height, zf])
        if self.cornice:
            with s.part("cornice") as p:
                c_lo = [-W / 2 - self.t - self.overhang - 0.02, self.height, zb]
                c_hi = [
                    W / 2 + self.t + self.overhang + 0.02,
                    self.height + 0.05,
                    zf + self.overhang + 0.02,
                ]
                s.box(p, p.obj, c_lo, c_hi, apply=True, bevel=0.01)
        with s.part("bottom panel") as p:
            s.box(p, p.obj, [-W / 2, self.kick, zb], [W / 2, self.kick + self.t, zf])
        with s.part("plinth") as p:
            s.box(p, p.obj, [-W / 2, 0, zf - 0.04 - self.t], [W / 2, self.kick, zf - 0.04])
        inner_lo, inner_hi = self.kick + self.t, self.height - self.t
        if self.bays > 1:
            with s.part("divider") as p:
                step = s.q(self.bay_w + self.t)
                first = [-(self.bays - 2) / 2 * step, (inner_lo + inner_hi) / 2, 0]
                unit = s.cube(
                    p, p.obj, first, [self.t / 2, (inner_hi - inner_lo) / 2, self.depth / 2], apply=True
                )
                s.array(p, p.obj, unit, [(self.bays - 1, [step, 0, 0])])
        n_shelves = self.levels - 1
        pitch = (inner_hi - inner_lo + self.t) / self.levels
        with s.part("shelf") as p:
            sx, sy = s.q(self.bay_w + self.t), s.q(pitch)
            first = [
                -(self.bays - 1) / 2 * sx,
                inner_lo + pitch - self.t / 2 - (n_shelves - 1) / 2 * (sy - pitch),
                -0.005,
            ]
            unit = s.cube(
                p, p.obj, first, [self.bay_w / 2 - 0.002, self.t / 2, self.depth / 2 - 0.015], apply=True
            )
            s.array(p, p.obj, unit, [(self.bays, [sx, 0, 0]), (n_shelves, [0, sy, 0])])
        if self.back:
            back_sheet(s, -W / 2 - self.t, W / 2 + self.t, 0.0, top_y, zb, 0.006)
        if self.doors:
            for k in range(self.bays):
                x0 = -W / 2 + k * (self.bay_w + self.t)
                doors_row(
                    s,
                    x0,
                    x0 + self.bay_w,
                    inner_lo,
                    inner_lo + pitch - self.t,
                    zf + 0.018,
                    self.doors_per_bay,
                    self.pull,
                )

    def _industrial(self, s: Sketch) -> None:
        """An industrial rack: posts (on levelling feet), boards, front and back rails, side rails and
        X braces at the back."""
        pitch_x = self.bay_w + self.post
        W = self.bays * pitch_x + self.post
        zb = -self.depth / 2
        foot_h = 0.03 if self.feet else 0.0
        y_lo = foot_h
        hh = (self.height - y_lo) / 2

        def upright(p: PartWriter, c) -> np.ndarray:
            """A post, standing on a levelling foot when there are feet."""
            if self.round_posts:
                pts = s.cylinder(p, p.obj, c, self.post / 2, hh, axis="y", apply=True)
            else:
                pts = s.cube(p, p.obj, c, [self.post / 2, hh, self.post / 2], apply=True)
            if self.feet:
                foot = p.helper("cylinder")
                s.cylinder(
                    p, foot, [c[0], foot_h / 2, c[2]], self.post * 0.4, foot_h / 2, axis="y", apply=True
                )
                p.call("join_obj", name=p.obj, seq_name=[foot, p.obj])
                pts = np.concatenate([pts, pts * [1, 0, 1]])
            return pts

        # corner posts set the size, so each is its own part (an array would add up rounding)
        for sx in (-1, 1):
            for sz in (-1, 1):
                with s.part("post") as p:
                    upright(
                        p,
                        [sx * (W / 2 - self.post / 2), y_lo + hh, sz * (self.depth / 2 - self.post / 2)],
                    )
        if self.bays > 1:
            with s.part("post") as p:
                first = [-(self.bays - 2) / 2 * s.q(pitch_x), y_lo + hh, zb + self.post / 2]
                unit = upright(p, first)
                s.array(
                    p,
                    p.obj,
                    unit,
                    [(self.bays - 1, [s.q(pitch_x), 0, 0]), (2, [0, 0, s.q(self.depth - self.post)])],
                )
        bottom = y_lo + self.bottom_gap
        # posts stand a little above the top board, which hides the rounding of the board array
        pitch_y = (self.height - max(0.03, 0.02 * self.height) - self.t - bottom) / (self.levels - 1)
        with s.part("board") as p:
            c = [-(self.bays - 1) / 2 * s.q(pitch_x), bottom + self.t / 2, 0]
            c[1] += (self.levels - 1) / 2 * (pitch_y - s.q(pitch_y))
            unit = s.cube(p, p.obj, c, [self.bay_w / 2, self.t / 2, self.depth / 2], apply=True)
            s.array(p, p.obj, unit, [(self.bays, [s.q(pitch_x), 0, 0]), (self.levels, [0, s.q(pitch_y), 0])])
        with s.part("rail") as p:
            c = [-(self.bays - 1) / 2 * s.q(pitch_x), bottom - self.rail_h / 2, zb + self.post / 2]
            c[1] += (self.levels - 1) / 2 * (pitch_y - s.q(pitch_y))
            unit = s.cube(p, p.obj, c, [self.bay_w / 2, self.rail_h / 2, self.post * 0.3], apply=True)
            s.array(
                p,
                p.obj,
                unit,
                [
                    (self.bays, [s.q(pitch_x), 0, 0]),
                    (self.levels, [0, s.q(pitch_y), 0]),
                    (2, [0, 0, s.q(self.depth - self.post)]),
                ],
            )
        with s.part("side rail") as p:
            c = [-self.bays / 2 * s.q(pitch_x), bottom - self.rail_h / 2, 0]  # centred: rounding both ways
            c[1] += (self.levels - 1) / 2 * (pitch_y - s.q(pitch_y))
            unit = s.cube(
                p, p.obj, c, [self.post * 0.3, self.rail_h / 2, self.depth / 2 - self.post], apply=True
            )
            s.array(
                p,
                p.obj,
                unit,
                [(self.bays + 1, [s.q(pitch_x), 0, 0]), (self.levels, [0, s.q(pitch_y), 0])],
            )
        if self.braces:
            x0 = -W / 2 + self.post
            for sign in (1, -1):
                with s.part("brace") as p:
                    a = [x0 if sign > 0 else x0 + self.bay_w, bottom, zb + self.post / 2]
                    b = [x0 + self.bay_w if sign > 0 else x0, self.height - self.t, zb + self.post / 2]
                    unit = s.rod(p, p.obj, a, b, min(0.006, self.post * 0.2))
                    s.array(p, p.obj, unit, [(self.bays, [s.q(pitch_x), 0, 0])])

    def _ladder(self, s: Sketch) -> None:
        """Ladder frames (rectangles swept with a square tube) holding boards, braced at the back."""
        tube = self.post * 0.9
        W = self.bays * self.bay_w + (self.bays + 1) * tube
        zb = -self.depth / 2
        frames_x = [-W / 2 + tube / 2 + k * (self.bay_w + tube) for k in range(self.bays + 1)]
        for x in frames_x:
            with s.part("side frame") as p:
                centre = [x, self.height / 2, 0]
                s.rectangle_sweep(
                    p, centre, self.depth - tube, self.height - tube, tube, tube, turn_about("y", 90)
                )
        bottom = self.bottom_gap + tube
        pitch_y = (self.height - tube - self.t - bottom) / (self.levels - 1)
        with s.part("board") as p:
            c = [-(self.bays - 1) / 2 * s.q(self.bay_w + tube), bottom + self.t / 2, 0]
            c[1] += (self.levels - 1) / 2 * (pitch_y - s.q(pitch_y))
            unit = s.cube(p, p.obj, c, [self.bay_w / 2, self.t / 2, self.depth / 2 - tube], apply=True)
            s.array(
                p,
                p.obj,
                unit,
                [(self.bays, [s.q(self.bay_w + tube), 0, 0]), (self.levels, [0, s.q(pitch_y), 0])],
            )
        if self.braces:
            x0 = -W / 2 + tube
            for sign in (1, -1):
                with s.part("brace") as p:
                    a = [x0 if sign > 0 else x0 + self.bay_w, bottom, zb + tube / 2]
                    b = [x0 + self.bay_w if sign > 0 else x0, self.height - tube, zb + tube / 2]
                    unit = s.rod(p, p.obj, a, b, 0.005)
                    s.array(p, p.obj, unit, [(self.bays, [s.q(self.bay_w + tube), 0, 0])])


@register("LargeShelf")
def large_shelf(rng: np.random.Generator) -> ProgramBuilder:
    """A big shelving unit in one of three builds: a wooden cabinet (sides, top, plinth, dividers,
    shelves per bay, back, optional lower doors and cornice), an industrial rack (posts, boards,
    front/back rails, side rails, X braces, feet) or a ladder frame (swept side frames, boards,
    braces)."""
    style = pick(rng, {"cabinet": 0.45, "industrial": 0.35, "ladder": 0.2})
    bays = int(rng.choice([1, 2, 3, 4], p=[0.2, 0.35, 0.3, 0.15]))
    if style == "ladder":
        bays = min(bays, 2)
    bay_w = rng.uniform(0.6, 1.0)
    height = rng.uniform(1.5, 2.4)
    depth = rng.uniform(0.3, 0.6)
    levels = int(rng.integers(4, 8))
    t = rng.uniform(0.018, 0.035)
    kick = rng.uniform(0.05, 0.12)
    back = rng.random() < 0.7
    top_cap = rng.random() < 0.5
    overhang = rng.uniform(0.005, 0.03)
    cornice = rng.random() < 0.25
    doors = rng.random() < 0.3 and bays <= 3
    doors_per_bay = int(rng.choice([1, 2]))
    pull = pick(rng, {"knob": 0.5, "bar": 0.5})
    post = rng.uniform(0.03, 0.05)
    round_posts = rng.random() < 0.35
    feet = rng.random() < 0.5
    braces = rng.random() < 0.7
    rail_h = rng.uniform(0.03, 0.06)
    bottom_gap = rng.uniform(0.05, 0.2)
    return compose(
        "large shelf",
        _LargeShelf(
            style=style,
            bays=bays,
            bay_w=bay_w,
            height=height,
            depth=depth,
            levels=levels,
            t=t,
            kick=kick,
            back=back,
            top_cap=top_cap,
            overhang=overhang,
            cornice=cornice,
            doors=doors,
            doors_per_bay=doors_per_bay,
            pull=pull,
            post=post,
            round_posts=round_posts,
            feet=feet,
            braces=braces,
            rail_h=rail_h,
            bottom_gap=bottom_gap,
        ).draw,
    )
