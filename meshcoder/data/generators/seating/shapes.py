"""Design-space shapes: each writes the calls that create it and predicts, from exactly the numbers it
writes, the points whose box is the geometry Blender builds. :func:`add` makes a part of a
:class:`~meshcoder.data.generators.design.Design` from shapes (joined), operations and arrays; the fit,
the rounding and the frame are the design layer's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from meshcoder.data.builder import PartWriter
from meshcoder.data.frame import Frame
from meshcoder.data.generators.design import Design, Written, call
from meshcoder.data.generators.geometry import (
    MIN_SIZE,
    UP,
    X_AXIS,
    Y_AXIS,
    quat_from_matrix,
    rotation_about,
    unit,
)
from meshcoder.data.generators.seating.curves import bezier, fillet_corners, profile_frames, tangents
from meshcoder.data.generators.seating.ops import Bend, Bevel, Subsurf
from meshcoder.data.generators.seating.rotations import axis_quat, qmat


class Shape:
    """A design-space piece of geometry: ``emit`` writes the calls that create object ``name``;
    ``points`` gives canonical points whose box is the built geometry's box, both from the numbers as
    :class:`~meshcoder.data.generators.design.Written` in a frame."""

    kind = "mesh"
    ops: list

    def emit(self, p: PartWriter, w: Written, name: str, names: Names, apply: bool = False) -> None:
        raise NotImplementedError

    def points(self, w: Written) -> np.ndarray:
        raise NotImplementedError

    def finish(self, p: PartWriter, w: Written, name: str, names: Names) -> None:
        for op in self.ops:
            op.emit(p, w, name, names)

    def final_points(self, w: Written) -> np.ndarray:
        pts = self.points(w)
        for op in self.ops:
            pts = op.points(w, pts)
        return pts


class Names:
    """Helper object names of one part: 'curve_3', then 'curve_2_3', 'curve_3_3'..."""

    def __init__(self, p: PartWriter):
        self.p, self.used = p, {}

    def __call__(self, kind: str) -> str:
        k = self.used.get(kind, 0) + 1
        self.used[kind] = k
        name = self.p.helper(kind) if k == 1 else self.p.helper(kind, k)
        return self(kind) if name == self.p.obj else name  # a part labelled like a helper kind

    def many(self, kind: str, n: int) -> list[str]:
        """``n`` numbered names for the loops of one call: 'circle_1_3', 'circle_2_3'..."""
        k = self.used.get(kind, 0)
        self.used[kind] = k + n
        return [self.p.helper(kind, k + i + 1) for i in range(n)]


def _grid_box(n: int = 7) -> np.ndarray:
    """Points on the surface of the cube [-1, 1]^3 (corners included)."""
    s = np.linspace(-1, 1, n)
    u, v = np.meshgrid(s, s)
    u, v = u.ravel(), v.ravel()
    faces = []
    for axis in range(3):
        for side in (-1.0, 1.0):
            pts = np.zeros((len(u), 3))
            pts[:, axis] = side
            pts[:, (axis + 1) % 3], pts[:, (axis + 2) % 3] = u, v
            faces.append(pts)
    return np.concatenate(faces)


_BOX = _grid_box()
# the unit-cube surface points pushed onto a unit ball around their own corner's octant direction
_BALL = np.sign(_BOX) * np.abs(_BOX) / np.linalg.norm(_BOX, axis=1, keepdims=True)
#: How far out a subdivided bevel corner reaches, as a fraction of the bevel width (measured).
SUBSURF_CORNER = 0.97
#: How much subdividing a bevelled box shrinks its flat faces, per unit of bevel width (measured).
SUBSURF_FLAT = {1: 0.03, 2: 0.022, 3: 0.011}
_RING32 = np.stack([np.sin(np.arange(32) * 2 * np.pi / 32), np.cos(np.arange(32) * 2 * np.pi / 32)], 1)
_CYLINDER = np.concatenate([np.column_stack([_RING32, np.full(32, h)]) for h in np.linspace(-1, 1, 5)])


@dataclass
class Box(Shape):
    """Cube primitive: centre ``c``, half extents ``h``, optional rotation matrix ``R``."""

    c: Sequence[float]
    h: Sequence[float]
    R: np.ndarray | None = None
    res: list[int] | None = None
    ops: list = field(default_factory=list)
    kind = "cube"

    def _spec(self, w: Written):
        q = None if self.R is None else w.round(quat_from_matrix(self.R))
        return w.round(w.canonical.p(self.c)), w.sizes(self.h), q

    def emit(self, p, w, name, names, apply=False):
        loc, scale, q = self._spec(w)
        call(
            p, "create_primitive", name=name, primitive_type="cube", location=loc, scale=scale, rotation=q,
            use_minimum_face=None if self.res is None else False, resolution=self.res, apply=apply,
        )  # fmt: skip

    def points(self, w):
        loc, scale, q = self._spec(w)
        bevel = next((op for op in self.ops if isinstance(op, Bevel)), None)
        smooth = any(isinstance(op, Subsurf) for op in self.ops)
        if q is not None and bevel is not None:
            # a turned box reaches out at its corners, which the bevel rounds: a cube with corners
            # rounded by the bevel width (local units), then scaled; subdivision pulls them in a bit.
            # A bevel after a bend rounds the bent corners about half as much (measured).
            bw = min(float(w.round(bevel.width)), 1.0)
            if any(isinstance(op, Bend) for op in self.ops[: self.ops.index(bevel)]):
                bw *= 0.5
            pts = (np.sign(_BOX) * (1 - bw) + _BALL * bw * (SUBSURF_CORNER if smooth else 1.0)) * scale
        elif bevel is not None and smooth:  # subdividing a bevelled box pulls even its flat faces in
            bw = min(float(w.round(bevel.width)), 1.0)
            pts = _BOX * scale * (1 - SUBSURF_FLAT.get(bevel.segments, 0.011) * bw)
        else:
            pts = _BOX * scale
        return (pts @ qmat(q).T if q is not None else pts) + loc


@dataclass
class Cyl(Shape):
    """Cylinder primitive from ``a`` to ``b`` with radius ``r`` (``r2`` across, for ovals)."""

    a: Sequence[float]
    b: Sequence[float]
    r: float
    r2: float | None = None
    hint: Sequence[float] = (1.0, 0.0, 0.0)
    ops: list = field(default_factory=list)
    kind = "cylinder"

    def _spec(self, w):
        a, b = np.asarray(self.a, float), np.asarray(self.b, float)
        d = b - a
        if d[np.argmax(np.abs(d))] < 0:  # a cylinder is symmetric: point it along the positive axis
            a, b = b, a
        q = w.round(axis_quat(tuple(b - a), tuple(self.hint)))
        half = np.linalg.norm(b - a) / 2
        scale = w.sizes([self.r, self.r if self.r2 is None else self.r2, half])
        return w.round(w.canonical.p((a + b) / 2)), scale, q

    def emit(self, p, w, name, names, apply=False):
        loc, scale, q = self._spec(w)
        rot = None if np.allclose(q, [1, 0, 0, 0]) else q
        call(
            p, "create_primitive", name=name, primitive_type="cylinder", location=loc, scale=scale,
            rotation=rot, apply=apply,
        )  # fmt: skip

    def points(self, w):
        loc, scale, q = self._spec(w)
        return (_CYLINDER * scale) @ qmat(q).T + loc


@dataclass
class Sphere(Shape):
    """UV sphere primitive: centre ``c``, radii ``h``."""

    c: Sequence[float]
    h: Sequence[float]
    ops: list = field(default_factory=list)
    kind = "sphere"

    def _spec(self, w):
        return w.round(w.canonical.p(self.c)), w.sizes(self.h)

    def emit(self, p, w, name, names, apply=False):
        loc, scale = self._spec(w)
        call(
            p,
            "create_primitive",
            name=name,
            primitive_type="uv_sphere",
            location=loc,
            scale=scale,
            apply=apply,
        )

    def points(self, w):
        loc, scale = self._spec(w)
        th = np.arange(17) * np.pi / 16
        ph = np.arange(32) * 2 * np.pi / 32
        T, P = np.meshgrid(th, ph)
        pts = np.stack([np.sin(T) * np.cos(P), np.sin(T) * np.sin(P), np.cos(T)], -1).reshape(-1, 3)
        return pts * scale + loc


@dataclass
class Trap(Shape):
    """Trapezoid body from the centre of its bottom face ``a`` to its top face ``b``; ``top`` and
    ``bottom`` are (length, width) with length along ``hint`` (X by default)."""

    a: Sequence[float]
    b: Sequence[float]
    top: Sequence[float]
    bottom: Sequence[float]
    hint: Sequence[float] = (1.0, 0.0, 0.0)
    ops: list = field(default_factory=list)
    kind = "trapezoid"

    def _spec(self, w):
        a, b = np.asarray(self.a, float), np.asarray(self.b, float)
        q = w.round(axis_quat(tuple(b - a), tuple(self.hint), 0, 1))
        size = w.sizes([*self.top, *self.bottom, np.linalg.norm(b - a)])
        return w.round(w.canonical.p((a + b) / 2)), size, q

    def emit(self, p, w, name, names, apply=False):
        loc, size, q = self._spec(w)
        call(p, "create_trapezoid_body", name=name, size=size, location=loc, rotation=q, apply=apply)

    def points(self, w):
        loc, (tl, tw, bl, bw, h), q = self._spec(w)
        pts = [
            (x, sy * ln / 2, sz * wd / 2)
            for x, ln, wd in ((h / 2, tl, tw), (-h / 2, bl, bw))
            for sy in (-1, 1)
            for sz in (-1, 1)
        ]
        return np.array(pts) @ qmat(q).T + loc


def _profile_call(p: PartWriter, w: Written, name: str, profile) -> None:
    if profile[0] == "circle":
        call(p, "create_circle", name=name, radius=float(w.sizes(profile[1])))
    else:
        call(
            p,
            "create_rectangle",
            name=name,
            width=float(w.sizes(profile[1])),
            length=float(w.sizes(profile[2])),
        )


@dataclass
class Sweep(Shape):
    """A profile (``('circle', r)`` or ``('rect', w, h)``) swept along a Bezier path (codes: 0 AUTO,
    1 VECTOR per handle; default all VECTOR), optionally tapered by ``radii`` and filleted."""

    pts: Sequence[Sequence[float]]
    profile: tuple
    codes: Sequence[int] | None = None
    radii: Sequence[float] | None = None
    closed: bool = False
    caps: str = "both"
    fillet: float | None = None
    resolution: int | None = None
    ops: list = field(default_factory=list)
    kind = "curve"

    def _codes(self):
        return list(self.codes) if self.codes is not None else [1] * (2 * len(self.pts))

    def emit(self, p, w, name, names, apply=False):
        prof = names("circle" if self.profile[0] == "circle" else "rectangle")
        _profile_call(p, w, prof, self.profile)
        co = w.round(w.canonical.ps(self.pts), 3)
        call(
            p, "create_curve", name=name, profile_name=prof, control_points=co,
            points_radius=None if self.radii is None else w.round(self.radii), handle_type=self._codes(),
            closed=self.closed or None, fill_caps=None if self.closed or self.caps == "none" else self.caps,
            bevel_width=None if not self.fillet else float(w.round(w.canonical.l(self.fillet))),
            resolution=self.resolution,
        )  # fmt: skip

    def points(self, w):
        co = w.round(w.canonical.ps(self.pts), 3)
        codes = self._codes()
        if self.fillet:
            # a straight run of a sweep lies within its end sections: the polyline's points suffice
            path = fillet_corners(co, float(w.round(w.canonical.l(self.fillet))), 8, self.closed)
        else:
            path = bezier(co, codes, self.closed)
        if self.radii is not None:
            rad = np.interp(np.linspace(0, len(co) - 1, len(path)), np.arange(len(co)), self.radii)
        else:
            rad = np.ones(len(path))
        if self.profile[0] == "circle":  # a disc across the path reaches r * sqrt(1 - t_i^2) along axis i
            r = float(w.sizes(self.profile[1]))
            reach = r * rad[:, None] * np.sqrt(np.maximum(1 - tangents(path) ** 2, 0.0))
            return np.concatenate(
                [path + reach * e for e in np.eye(3)] + [path - reach * e for e in np.eye(3)]
            )
        xs, ys = profile_frames(path)
        a, b = w.sizes(self.profile[1]) / 2, w.sizes(self.profile[2]) / 2
        ring = np.array([[-a, b], [a, b], [a, -b], [-a, -b]])
        pts = path[:, None, :] + rad[:, None, None] * (
            ring[None, :, :1] * xs[:, None, :] + ring[None, :, 1:] * ys[:, None, :]
        )
        return pts.reshape(-1, 3)


@dataclass
class Ring(Shape):
    """A circle of radius ``R`` through ``c`` (horizontal unless ``rot`` turns its local Z), swept
    with a round tube of radius ``r``, or with a ``rect`` (radial width, axial height) profile."""

    c: Sequence[float]
    R: float
    r: float = 0.01
    rot: np.ndarray | None = None  # the ring's local Z; None stands it along +Y
    rect: tuple | None = None
    ops: list = field(default_factory=list)
    kind = "ring"

    def _spec(self, w):
        q = np.array(UP) if self.rot is None else w.round(quat_from_matrix(self.rot))
        prof = ("circle", self.r) if self.rect is None else ("rect", *self.rect)
        return w.round(w.canonical.p(self.c)), float(w.sizes(self.R)), prof, q

    def emit(self, p, w, name, names, apply=False):
        loc, R, prof, q = self._spec(w)
        pname = names("circle" if prof[0] == "circle" else "rectangle")
        _profile_call(p, w, pname, prof)
        call(p, "create_circle", name=name, profile_name=pname, location=loc, rotation=q, radius=R)

    def points(self, w):
        loc, R, prof, q = self._spec(w)
        if prof[0] == "circle":
            a = b = float(w.sizes(prof[1]))
        else:
            a, b = float(w.sizes(prof[1])) / 2, float(w.sizes(prof[2])) / 2
        ang = np.arange(48) * 2 * np.pi / 48
        pts = []
        for rr in (R - a, R + a):
            for z in (-b, 0, b):
                pts.append(np.column_stack([rr * np.cos(ang), rr * np.sin(ang), np.full(48, z)]))
        return np.concatenate(pts) @ qmat(q).T + loc


@dataclass
class Panel(Shape):
    """A closed outline (Bezier, codes as in Sweep) filled with a grid and thickened ``t`` behind the
    side from which the outline runs counter-clockwise; ``fillet`` rounds its corners first."""

    pts: Sequence[Sequence[float]]
    t: float
    codes: Sequence[int] | None = None
    fillet: float | None = None
    ops: list = field(default_factory=list)
    kind = "curve"

    def _codes(self):
        return list(self.codes) if self.codes is not None else [1] * (2 * len(self.pts))

    def emit(self, p, w, name, names, apply=False):
        # Grid Fill's faces look against the side from which the written outline runs
        # counter-clockwise and the solidify grows towards it (spec 3b, item 8), so the outline is
        # written backwards to thicken the panel behind its front. Reversed, each point's (left,
        # right) handle codes swap, which reversing the flat list does.
        call(
            p,
            "create_curve",
            name=name,
            control_points=w.round(w.canonical.ps(self.pts), 3)[::-1],
            handle_type=self._codes()[::-1],
            closed=True,
        )
        if self.fillet:
            call(p, "bevel", name=name, width=float(w.round(w.canonical.l(self.fillet))), segments=4)
        call(p, "fill_grid", name=name, thickness=float(w.round(w.canonical.l(self.t), 4)))

    def points(self, w):
        co = w.round(w.canonical.ps(self.pts), 3)
        path = bezier(co, self._codes(), closed=True)
        if self.fillet:
            path = fillet_corners(co, float(w.round(w.canonical.l(self.fillet))), 4, True)
        nxt = np.roll(path, -1, axis=0)
        normal = unit(np.sum(np.cross(path, nxt), axis=0))
        return np.concatenate([path, path - normal * float(w.round(w.canonical.l(self.t), 4))])


@dataclass
class Loft(Shape):
    """Bridge loops through horizontal-or-tilted ellipses: ``sections`` of (centre, (rx, ry), R),
    the ellipse in the plane of R's local X and Y; capped both ends."""

    sections: Sequence[tuple]
    cuts: int = 4
    res: int = 32
    ops: list = field(default_factory=list)
    kind = "loft"

    def _spec(self, w):
        out = []
        for c, (rx, ry), R in self.sections:
            radius = float(w.sizes(rx))
            sy = float(w.round(max(ry / rx, 0.01)))
            q = None if R is None else w.round(quat_from_matrix(R))
            out.append((w.round(w.canonical.p(c)), radius, sy, q))
        return out

    def _interpolation(self, spec: list) -> str | None:
        """PATH (the default) where the written sections share one axis, else LINEAR.

        The loops are bridged in the first section's local space (spec 3b, item 7), where an
        ellipse's squashed scale magnifies any sideways step between sections (two-decimal locations
        on a tilted axis always have some) into a shear that the PATH interpolation follows far out
        of the sections' hull. A linear one stays inside it: an affine space keeps straight lines."""
        rots = [q for *_, q in spec]
        if any(q is None for q in rots):
            axis = np.array([0.0, 0.0, 1.0]) if all(q is None for q in rots) else None
        else:
            axis = qmat(rots[0])[:, 2] if all(np.allclose(q, rots[0]) for q in rots) else None
        if axis is not None:
            centres = np.array([c for c, *_ in spec], dtype=float)
            steps = centres - centres[0]
            if np.abs(steps - np.outer(steps @ axis, axis)).max() < 1e-9:
                return None
        return "LINEAR"

    def emit(self, p, w, name, names, apply=False):
        spec = self._spec(w)
        loops = names.many("circle", len(spec))
        rots = [s[3] for s in spec]
        same_rot = all(r is None for r in rots) or all(
            r is not None and np.allclose(r, rots[0]) for r in rots
        )
        call(
            p, "create_circle", name=loops, location=[s[0] for s in spec],
            rotation=(rots[0] if same_rot else rots), radius=[s[1] for s in spec],
            scale=[[1.0, s[2], 1.0] for s in spec], resolution=None if self.res == 32 else self.res,
        )  # fmt: skip
        call(
            p, "bridge_edge_loops", name=name, profile_name=loops, number_cuts=self.cuts,
            interpolation=self._interpolation(spec), fill_caps="both",
        )  # fmt: skip

    def points(self, w):
        ang = np.arange(self.res) * 2 * np.pi / self.res
        pts = []
        for loc, radius, sy, q in self._spec(w):
            ring = np.column_stack([radius * np.cos(ang), radius * sy * np.sin(ang), np.zeros_like(ang)])
            pts.append((ring @ qmat(q).T if q is not None else ring) + loc)
        return np.concatenate(pts)


@dataclass
class Lathe(Shape):
    """A solid of revolution about +Y through ``c``: profile points (radius, height above c)."""

    c: Sequence[float]
    profile: Sequence[Sequence[float]]
    codes: Sequence[int] | None = None
    thickness: float | None = None
    ops: list = field(default_factory=list)
    kind = "lathe"

    def _spec(self, w):
        prof = w.round([[w.canonical.l(r), w.canonical.l(h), 0.0] for r, h in self.profile], 3)
        codes = list(self.codes) if self.codes is not None else [1] * (2 * len(self.profile))
        return w.round(w.canonical.p(self.c)), prof, codes

    def emit(self, p, w, name, names, apply=False):
        loc, prof, codes = self._spec(w)
        curve = names("curve")
        call(p, "create_curve", name=curve, control_points=prof, handle_type=codes)
        thick = None if not self.thickness else float(w.round(w.canonical.l(self.thickness), 4))
        call(p, "bezier_rotation", name=name, profile_name=curve, location=loc, rotation=UP, thickness=thick)

    def points(self, w):
        loc, prof, codes = self._spec(w)
        path = bezier(prof, codes)
        ang = np.arange(48) * 2 * np.pi / 48
        r, h = path[:, 0:1], path[:, 1:2] * np.ones_like(ang)
        pts = np.stack([r * np.cos(ang), h, r * np.sin(ang)], -1)
        return pts.reshape(-1, 3) + loc


@dataclass
class CurvedPanel(Shape):
    """A flat board ``w`` wide (X) and ``t`` thick laid along a Bezier path in a vertical YZ plane
    (Blender's curve modifier): seat-and-back shells, bent plywood."""

    pts: Sequence[Sequence[float]]
    w: float
    t: float
    codes: Sequence[int] | None = None
    ops: list = field(default_factory=list)
    kind = "cube"

    def _spec(self, w):
        co = w.round(w.canonical.ps(self.pts), 3)
        codes = list(self.codes) if self.codes is not None else [0] * (2 * len(self.pts))
        path = bezier(co, codes, per_span=12)  # the curve modifier measures the curve at its resolution
        length = float(np.sum(np.linalg.norm(np.diff(path, axis=0), axis=1)))
        start = co[0]
        half = w.round(
            [
                max(w.canonical.l(self.w / 2), MIN_SIZE),
                max(w.canonical.l(self.t / 2), MIN_SIZE),
                length / 2 - 0.005,
            ]
        )
        # the board covers the path up to its own length (and runs on straight past its end)
        acc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
        s = np.linspace(0.0, 2 * half[2], 200)
        covered = np.stack([np.interp(np.minimum(s, acc[-1]), acc, path[:, k]) for k in range(3)], 1)
        end_dir = unit(path[-1] - path[-2])
        covered += np.maximum(s - acc[-1], 0.0)[:, None] * end_dir
        return co, codes, covered, start, half

    def emit(self, p, w, name, names, apply=False):
        co, codes, _, start, half = self._spec(w)
        loc = w.round(start + np.array([0.0, 0.0, half[2]]))
        call(
            p, "create_primitive", name=name, primitive_type="cube", location=loc, scale=half,
            use_minimum_face=False, resolution=[2, 1, 32],
        )  # fmt: skip
        curve = names("curve")
        call(p, "create_curve", name=curve, control_points=co, handle_type=codes)
        origin = w.round(loc - np.array([0.0, 0.0, half[2]]))
        call(p, "add_curve_modifier_to_object", name=name, curve_name=curve, origin=origin, axis="POS_Z")

    def points(self, w):
        path, half = self._spec(w)[2::2]
        tan = tangents(path)
        normal = np.cross(X_AXIS, tan)
        pts = []
        for sx in (-1, 1):
            for sy in (-1, 1):
                pts.append(path + sx * half[0] * X_AXIS + sy * half[1] * normal)
        return np.concatenate(pts)


def add(d: Design, label: str, *shapes: Shape, ops=(), array=None, radial=None) -> None:
    """A part of ``d`` made of ``shapes`` (joined into the first), then ``ops``, then repeated: ``array``
    (count, offset) or (count1, offset1, count2, offset2) in metres, ``radial`` (count, centre) about
    the vertical through the centre."""
    shapes, ops = list(shapes), list(ops)
    if len(shapes) == 1 and ops:  # one shape: its ops are the part's (written the same)
        shapes[0].ops = list(shapes[0].ops) + ops
        ops = []
    apply = array is not None  # arrays offset in world units, as programs usually do
    if apply and any(isinstance(op, Bevel) for shape in shapes for op in shape.ops):
        raise ValueError(f"part {label!r}: a bevel on an applied (arrayed) shape is in world units")

    def bounds(w: Written) -> np.ndarray:
        pts = np.concatenate([s.final_points(w) for s in shapes])
        for op in ops:
            pts = op.points(w, pts)
        if array is not None:
            pts = np.concatenate([pts + k * w.round(w.canonical.l(array[1])) for k in range(array[0])])
            if len(array) == 4:
                pts = np.concatenate([pts + k * w.round(w.canonical.l(array[3])) for k in range(array[2])])
        if radial is not None:
            count, centre = radial
            o, step = w.round(w.canonical.p(centre)), float(w.round(2.0 / count)) * np.pi
            pts = np.concatenate([(pts - o) @ rotation_about(Y_AXIS, step * k).T + o for k in range(count)])
        return w.metres(pts)

    def write(p: PartWriter, f: Frame) -> None:
        w, names = Written(f), Names(p)
        made = []
        for i, shape in enumerate(shapes):
            name = p.obj if i == 0 else names(shape.kind)
            shape.emit(p, w, name, names, apply=apply)
            shape.finish(p, w, name, names)
            made.append(name)
        if len(made) > 1:
            call(p, "join_obj", name=p.obj, seq_name=made[1:] + made[:1])
        for op in ops:
            op.emit(p, w, p.obj, names)
        if array is not None:
            offsets = [w.round(f.l(array[1]))] + ([w.round(f.l(array[3]))] if len(array) == 4 else [])
            if len(array) == 2:
                call(p, "array_1d", name=p.obj, count=array[0], constant_offset=offsets[0])
            else:
                call(
                    p, "array_2d", name=p.obj, count_1=array[0], constant_offset_1=offsets[0],
                    count_2=array[2], constant_offset_2=offsets[1],
                )  # fmt: skip
        if radial is not None:
            count, centre = radial
            call(
                p, "array_rotate", name=p.obj, count=count, rotation_angle=float(w.round(2.0 / count)),
                rotation_origin=w.round(f.p(centre)), rotation_axis=UP, rotation_mode="QUATERNION",
            )  # fmt: skip

    d.add(label, bounds, write)
