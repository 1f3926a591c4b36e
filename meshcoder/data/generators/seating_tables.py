"""Seating and tables: ArmChair, BarChair, Chair, OfficeChair, Sofa, SidetableDesk, SimpleDesk,
TableCocktail, TableDining and TVStand.

Each generator samples a real object in metres (Y up, X to the right, its front towards +Z) as parts made
of design-space shapes. A shape knows the numbers it will write and, from exactly those numbers (rounded as
the program rounds them), where its geometry lies; so the frame that makes the program canonical (centred,
longest side 1) is fitted to what Blender will build, rounding included, not to the unrounded design.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.registry import register

# ------------------------------------------------------------------------------------------- numbers

#: Smallest half extent or radius written (2 decimals would round anything smaller to 0).
MIN_SIZE = 0.006
#: Quaternion standing a lathe's or a ring's local Z along +Y.
UP = [0.71, -0.71, 0.0, 0.0]
X_AXIS, Y_AXIS, Z_AXIS = np.eye(3)


_STATE = threading.local()  # .exact is set while the frame is fitted to the unrounded design


def _r(x, decimals: int = 2) -> np.ndarray:
    """Round as the program text will (not while the frame is fitted to the unrounded design)."""
    if getattr(_STATE, "exact", False):
        return np.asarray(x, dtype=float) + 0.0
    return np.round(np.asarray(x, dtype=float), decimals) + 0.0


def _size(f: Frame, x) -> np.ndarray:
    """A design length as a written size: canonical, never below MIN_SIZE, rounded."""
    return _r(np.maximum(np.asarray(f.l(x), dtype=float), MIN_SIZE))


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def _rot(axis, angle: float) -> np.ndarray:
    """Rotation matrix about ``axis`` by ``angle`` radians."""
    x, y, z = _unit(axis)
    c, s = math.cos(angle), math.sin(angle)
    C = 1 - c
    return np.array(
        [
            [c + x * x * C, x * y * C - z * s, x * z * C + y * s],
            [y * x * C + z * s, c + y * y * C, y * z * C - x * s],
            [z * x * C - y * s, z * y * C + x * s, c + z * z * C],
        ]
    )


def _basis(main, hint, main_axis: int = 2, hint_axis: int = 0) -> np.ndarray:
    """Rotation whose local ``main_axis`` points along ``main``, ``hint_axis`` as near ``hint`` as it can."""
    m = _unit(main)
    h = np.asarray(hint, dtype=float)
    h = h - m * (h @ m)
    if np.linalg.norm(h) < 1e-6:
        for alt in (X_AXIS, Z_AXIS, Y_AXIS):
            h = alt - m * (alt @ m)
            if np.linalg.norm(h) > 1e-3:
                break
    h = _unit(h)
    R = np.zeros((3, 3))
    R[:, main_axis], R[:, hint_axis] = m, h
    third = 3 - main_axis - hint_axis
    # right-handed: e_third = e_{third+1} x e_{third+2}
    a, b = (third + 1) % 3, (third + 2) % 3
    R[:, third] = np.cross(R[:, a], R[:, b])
    return R


@functools.lru_cache(maxsize=4096)
def _axis_quat(main: tuple, hint: tuple, main_axis: int = 2, hint_axis: int = 0) -> np.ndarray:
    """``_quat(_basis(...))``, remembered: the same directions recur at every trial frame."""
    return _quat(_basis(main, hint, main_axis, hint_axis))


def _quat(R: np.ndarray) -> np.ndarray:
    """Unit quaternion ``[w, x, y, z]`` (w >= 0) of a rotation matrix."""
    m = np.asarray(R, dtype=float)
    t = np.trace(m)
    if t > 0:
        s = math.sqrt(t + 1.0) * 2
        q = [0.25 * s, (m[2, 1] - m[1, 2]) / s, (m[0, 2] - m[2, 0]) / s, (m[1, 0] - m[0, 1]) / s]
    elif m[0, 0] > m[1, 1] and m[0, 0] > m[2, 2]:
        s = math.sqrt(1.0 + m[0, 0] - m[1, 1] - m[2, 2]) * 2
        q = [(m[2, 1] - m[1, 2]) / s, 0.25 * s, (m[0, 1] + m[1, 0]) / s, (m[0, 2] + m[2, 0]) / s]
    elif m[1, 1] > m[2, 2]:
        s = math.sqrt(1.0 + m[1, 1] - m[0, 0] - m[2, 2]) * 2
        q = [(m[0, 2] - m[2, 0]) / s, (m[0, 1] + m[1, 0]) / s, 0.25 * s, (m[1, 2] + m[2, 1]) / s]
    else:
        s = math.sqrt(1.0 + m[2, 2] - m[0, 0] - m[1, 1]) * 2
        q = [(m[1, 0] - m[0, 1]) / s, (m[0, 2] + m[2, 0]) / s, (m[1, 2] + m[2, 1]) / s, 0.25 * s]
    q = np.array(q)
    return q if q[0] >= 0 else -q


def _qmat(q) -> np.ndarray:
    """Rotation matrix of a (written, so unnormalised) quaternion."""
    return _qmat_cached(tuple(float(v) for v in q))


@functools.lru_cache(maxsize=4096)
def _qmat_cached(q: tuple) -> np.ndarray:
    w, x, y, z = _unit(q)
    m = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )
    m.setflags(write=False)  # shared by every caller
    return m


def _tilt_x(angle: float) -> np.ndarray:
    """Rotation about X by ``angle`` radians (positive turns +Y towards +Z)."""
    return _rot(X_AXIS, angle)


def _call(p: PartWriter, function: str, **arguments) -> None:
    """``p.call`` without the arguments left as None (their defaults say the same) or ``apply=False``."""
    if arguments.get("apply") is False:
        arguments["apply"] = None
    p.call(function, **{k: v for k, v in arguments.items() if v is not None})


# ------------------------------------------------------------------------------------ Bezier paths


def _handles(co: np.ndarray, codes: Sequence[int], closed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Left and right handles as Blender computes AUTO (0) and VECTOR (1) handles of a curve."""
    n = len(co)
    left, right = co.copy(), co.copy()
    for i in range(n):
        p2 = co[i]
        prev = co[i - 1] if (i > 0 or closed) and n > 1 else None
        nxt = co[(i + 1) % n] if (i < n - 1 or closed) and n > 1 else None
        if prev is None and nxt is None:
            continue
        p1 = prev if prev is not None else 2 * p2 - nxt
        p3 = nxt if nxt is not None else 2 * p2 - p1
        da, db = p2 - p1, p3 - p2
        la, lb = np.linalg.norm(da) or 1.0, np.linalg.norm(db) or 1.0
        h1, h2 = codes[2 * i], codes[2 * i + 1]
        if 0 in (h1, h2):
            t = db / lb + da / la
            length = np.linalg.norm(t) * 2.5614
            if length != 0:
                la, lb = min(la, 5 * lb), min(lb, 5 * la)
                if h1 == 0:
                    left[i] = p2 - t * (la / length)
                if h2 == 0:
                    right[i] = p2 + t * (lb / length)
        if h1 == 1:
            left[i] = p2 - da / 3
        if h2 == 1:
            right[i] = p2 + db / 3
    return left, right


def _bezier(points, codes: Sequence[int] | None, closed: bool = False, per_span: int = 24) -> np.ndarray:
    """Points along the Bezier path (AUTO/VECTOR handles only), ``per_span`` samples per span."""
    key = tuple(map(tuple, np.asarray(points, dtype=float).tolist()))
    return _bezier_cached(key, tuple(codes) if codes else None, bool(closed), per_span)


@functools.lru_cache(maxsize=4096)
def _bezier_cached(points: tuple, codes: tuple | None, closed: bool, per_span: int) -> np.ndarray:
    co = np.asarray(points, dtype=float)
    n = len(co)
    codes = list(codes) if codes else [0] * (2 * n)
    left, right = _handles(co, codes, closed)
    spans = [(i, i + 1) for i in range(n - 1)] + ([(n - 1, 0)] if closed else [])
    t = np.linspace(0, 1, per_span + 1)[:, None]
    out = [co[:1]]
    for i, j in spans:
        a, b, c, d = co[i], right[i], left[j], co[j]
        seg = (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d
        out.append(seg[1:])
    path = np.concatenate(out)
    path.setflags(write=False)  # shared by every caller
    return path


def _fillet(points, width: float, segments: int, closed: bool) -> np.ndarray:
    """A polyline's corners (turns over 30 degrees) rounded as the library's curve bevel rounds them
    (in plain floats: it runs for every filleted shape at every trial frame)."""
    pts = [tuple(map(float, q)) for q in np.asarray(points, dtype=float)]
    n = len(pts)
    if n < 3 or width <= 0:
        return np.asarray(pts)

    def sub(a, b):
        return (a[0] - b[0], a[1] - b[1], a[2] - b[2])

    def norm(a):
        return math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2])

    def turn(i):
        a, b = sub(pts[i], pts[i - 1]), sub(pts[(i + 1) % n], pts[i])
        c = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / max(norm(a) * norm(b), 1e-12)
        return math.acos(max(-1.0, min(1.0, c)))

    limit_angle = math.radians(30)
    corners = {i for i in range(n) if (closed or 0 < i < n - 1) and turn(i) > limit_angle}
    limit = width
    for i in range(n if closed else n - 1):
        j = (i + 1) % n
        if i in corners or j in corners:
            length = norm(sub(pts[j], pts[i]))
            limit = min(limit, length / 2 if (i in corners and j in corners) else length)
    out = []
    for i in range(n):
        if i not in corners:
            out.append(pts[i])
            continue
        c = pts[i]
        a, b = sub(pts[i - 1], c), sub(pts[(i + 1) % n], c)
        la, lb = norm(a), norm(b)
        start = tuple(c[k] + a[k] / la * limit for k in range(3))
        end = tuple(c[k] + b[k] / lb * limit for k in range(3))
        centre = tuple(start[k] + end[k] - c[k] for k in range(3))
        for k in range(segments + 1):
            th = 0.5 * math.pi * k / segments
            cs, sn = math.cos(th), math.sin(th)
            out.append(
                tuple(centre[m] + (start[m] - centre[m]) * cs + (end[m] - centre[m]) * sn for m in range(3))
            )
    return np.array(out)


def _tangents(path: np.ndarray) -> np.ndarray:
    d = np.gradient(path, axis=0)
    return d / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-12)


def _profile_frames(path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sweep's profile X and Y axes along a path: Blender starts X at (world Z) x tangent and keeps
    the twist minimal (parallel transport, in plain floats: it runs for every sample of every sweep)."""
    tan = _tangents(path).tolist()
    tx, ty = tan[0][0], tan[0][1]
    x = [-ty, tx, 0.0]  # Z x t
    if math.hypot(x[0], x[1]) < 1e-6:
        x = [1.0, 0.0, 0.0]
    xs = []
    for t in tan:
        d = x[0] * t[0] + x[1] * t[1] + x[2] * t[2]
        x = [x[0] - d * t[0], x[1] - d * t[1], x[2] - d * t[2]]
        n = math.sqrt(x[0] ** 2 + x[1] ** 2 + x[2] ** 2)
        if n > 1e-9:
            x = [x[0] / n, x[1] / n, x[2] / n]
        xs.append(x)
    xs = np.array(xs)
    return xs, np.cross(np.array(tan), xs)


# -------------------------------------------------------------------------------------------- shapes


class Shape:
    """A design-space piece of geometry: ``emit`` writes the calls that create object ``name``;
    ``points`` gives canonical points whose box is the built geometry's box."""

    kind = "mesh"
    ops: list

    def emit(self, p: PartWriter, f: Frame, name: str, names: _Names, apply: bool = False) -> None:
        raise NotImplementedError

    def points(self, f: Frame) -> np.ndarray:
        raise NotImplementedError

    def finish(self, p: PartWriter, f: Frame, name: str, names: _Names) -> None:
        for op in self.ops:
            op.emit(p, f, name, names)

    def final_points(self, f: Frame) -> np.ndarray:
        pts = self.points(f)
        for op in self.ops:
            pts = op.points(f, pts)
        return pts


class _Names:
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

    def _spec(self, f: Frame):
        q = None if self.R is None else _r(_quat(self.R))
        return _r(f.p(self.c)), _size(f, self.h), q

    def emit(self, p, f, name, names, apply=False):
        loc, scale, q = self._spec(f)
        _call(
            p, "create_primitive", name=name, primitive_type="cube", location=loc, scale=scale, rotation=q,
            use_minimum_face=None if self.res is None else False, resolution=self.res, apply=apply,
        )  # fmt: skip

    def points(self, f):
        loc, scale, q = self._spec(f)
        bevel = next((op for op in self.ops if isinstance(op, Bevel)), None)
        smooth = any(isinstance(op, Subsurf) for op in self.ops)
        if q is not None and bevel is not None:
            # a turned box reaches out at its corners, which the bevel rounds: a cube with corners
            # rounded by the bevel width (local units), then scaled; subdivision pulls them in a bit.
            # A bevel after a bend rounds the bent corners about half as much (measured).
            w = min(float(_r(bevel.width)), 1.0)
            if any(isinstance(op, Bend) for op in self.ops[: self.ops.index(bevel)]):
                w *= 0.5
            pts = (np.sign(_BOX) * (1 - w) + _BALL * w * (SUBSURF_CORNER if smooth else 1.0)) * scale
        elif bevel is not None and smooth:  # subdividing a bevelled box pulls even its flat faces in
            w = min(float(_r(bevel.width)), 1.0)
            pts = _BOX * scale * (1 - SUBSURF_FLAT.get(bevel.segments, 0.011) * w)
        else:
            pts = _BOX * scale
        return (pts @ _qmat(q).T if q is not None else pts) + loc


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

    def _spec(self, f):
        a, b = np.asarray(self.a, float), np.asarray(self.b, float)
        d = b - a
        if d[np.argmax(np.abs(d))] < 0:  # a cylinder is symmetric: point it along the positive axis
            a, b = b, a
        q = _r(_axis_quat(tuple(b - a), tuple(self.hint)))
        half = np.linalg.norm(b - a) / 2
        scale = _size(f, [self.r, self.r if self.r2 is None else self.r2, half])
        return _r(f.p((a + b) / 2)), scale, q

    def emit(self, p, f, name, names, apply=False):
        loc, scale, q = self._spec(f)
        rot = None if np.allclose(q, [1, 0, 0, 0]) else q
        _call(
            p, "create_primitive", name=name, primitive_type="cylinder", location=loc, scale=scale,
            rotation=rot, apply=apply,
        )  # fmt: skip

    def points(self, f):
        loc, scale, q = self._spec(f)
        return (_CYLINDER * scale) @ _qmat(q).T + loc


@dataclass
class Sphere(Shape):
    """UV sphere primitive: centre ``c``, radii ``h``."""

    c: Sequence[float]
    h: Sequence[float]
    ops: list = field(default_factory=list)
    kind = "sphere"

    def _spec(self, f):
        return _r(f.p(self.c)), _size(f, self.h)

    def emit(self, p, f, name, names, apply=False):
        loc, scale = self._spec(f)
        _call(
            p,
            "create_primitive",
            name=name,
            primitive_type="uv_sphere",
            location=loc,
            scale=scale,
            apply=apply,
        )

    def points(self, f):
        loc, scale = self._spec(f)
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

    def _spec(self, f):
        a, b = np.asarray(self.a, float), np.asarray(self.b, float)
        q = _r(_axis_quat(tuple(b - a), tuple(self.hint), 0, 1))
        size = _size(f, [*self.top, *self.bottom, np.linalg.norm(b - a)])
        return _r(f.p((a + b) / 2)), size, q

    def emit(self, p, f, name, names, apply=False):
        loc, size, q = self._spec(f)
        _call(p, "create_trapezoid_body", name=name, size=size, location=loc, rotation=q, apply=apply)

    def points(self, f):
        loc, (tl, tw, bl, bw, h), q = self._spec(f)
        pts = [
            (x, sy * ln / 2, sz * wd / 2)
            for x, ln, wd in ((h / 2, tl, tw), (-h / 2, bl, bw))
            for sy in (-1, 1)
            for sz in (-1, 1)
        ]
        return np.array(pts) @ _qmat(q).T + loc


def _profile_call(p: PartWriter, f: Frame, name: str, profile) -> None:
    if profile[0] == "circle":
        _call(p, "create_circle", name=name, radius=float(_size(f, profile[1])))
    else:
        _call(
            p,
            "create_rectangle",
            name=name,
            width=float(_size(f, profile[1])),
            length=float(_size(f, profile[2])),
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

    def emit(self, p, f, name, names, apply=False):
        prof = names("circle" if self.profile[0] == "circle" else "rectangle")
        _profile_call(p, f, prof, self.profile)
        _call(
            p, "create_curve", name=name, profile_name=prof, control_points=_r(f.ps(self.pts), 3),
            points_radius=None if self.radii is None else _r(self.radii), handle_type=self._codes(),
            closed=self.closed or None, fill_caps=None if self.closed or self.caps == "none" else self.caps,
            bevel_width=None if not self.fillet else float(_r(f.l(self.fillet))), resolution=self.resolution,
        )  # fmt: skip

    def points(self, f):
        co = _r(f.ps(self.pts), 3)
        codes = self._codes()
        if self.fillet:
            # a straight run of a sweep lies within its end sections: the polyline's points suffice
            path = _fillet(co, float(_r(f.l(self.fillet))), 8, self.closed)
        else:
            path = _bezier(co, codes, self.closed)
        if self.radii is not None:
            rad = np.interp(np.linspace(0, len(co) - 1, len(path)), np.arange(len(co)), self.radii)
        else:
            rad = np.ones(len(path))
        if self.profile[0] == "circle":  # a disc across the path reaches r * sqrt(1 - t_i^2) along axis i
            r = float(_size(f, self.profile[1]))
            reach = r * rad[:, None] * np.sqrt(np.maximum(1 - _tangents(path) ** 2, 0.0))
            return np.concatenate(
                [path + reach * e for e in np.eye(3)] + [path - reach * e for e in np.eye(3)]
            )
        xs, ys = _profile_frames(path)
        w, h = _size(f, self.profile[1]) / 2, _size(f, self.profile[2]) / 2
        ring = np.array([[-w, h], [w, h], [w, -h], [-w, -h]])
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

    def _spec(self, f):
        q = np.array(UP) if self.rot is None else _r(_quat(self.rot))
        prof = ("circle", self.r) if self.rect is None else ("rect", *self.rect)
        return _r(f.p(self.c)), float(_size(f, self.R)), prof, q

    def emit(self, p, f, name, names, apply=False):
        loc, R, prof, q = self._spec(f)
        pname = names("circle" if prof[0] == "circle" else "rectangle")
        _profile_call(p, f, pname, prof)
        _call(p, "create_circle", name=name, profile_name=pname, location=loc, rotation=q, radius=R)

    def points(self, f):
        loc, R, prof, q = self._spec(f)
        if prof[0] == "circle":
            a = b = float(_size(f, prof[1]))
        else:
            a, b = float(_size(f, prof[1])) / 2, float(_size(f, prof[2])) / 2
        ang = np.arange(48) * 2 * np.pi / 48
        pts = []
        for rr in (R - a, R + a):
            for z in (-b, 0, b):
                pts.append(np.column_stack([rr * np.cos(ang), rr * np.sin(ang), np.full(48, z)]))
        return np.concatenate(pts) @ _qmat(q).T + loc


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

    def emit(self, p, f, name, names, apply=False):
        # Grid Fill's faces look against the side from which the written outline runs
        # counter-clockwise and the solidify grows towards it (spec 3b, item 8), so the outline is
        # written backwards to thicken the panel behind its front. Reversed, each point's (left,
        # right) handle codes swap, which reversing the flat list does.
        _call(
            p,
            "create_curve",
            name=name,
            control_points=_r(f.ps(self.pts), 3)[::-1],
            handle_type=self._codes()[::-1],
            closed=True,
        )
        if self.fillet:
            _call(p, "bevel", name=name, width=float(_r(f.l(self.fillet))), segments=4)
        _call(p, "fill_grid", name=name, thickness=float(_r(f.l(self.t), 4)))

    def points(self, f):
        co = _r(f.ps(self.pts), 3)
        path = _bezier(co, self._codes(), closed=True)
        if self.fillet:
            path = _fillet(co, float(_r(f.l(self.fillet))), 4, True)
        nxt = np.roll(path, -1, axis=0)
        normal = _unit(np.sum(np.cross(path, nxt), axis=0))
        return np.concatenate([path, path - normal * float(_r(f.l(self.t), 4))])


@dataclass
class Loft(Shape):
    """Bridge loops through horizontal-or-tilted ellipses: ``sections`` of (centre, (rx, ry), R),
    the ellipse in the plane of R's local X and Y; capped both ends."""

    sections: Sequence[tuple]
    cuts: int = 4
    res: int = 32
    ops: list = field(default_factory=list)
    kind = "loft"

    def _spec(self, f):
        out = []
        for c, (rx, ry), R in self.sections:
            radius = float(_size(f, rx))
            sy = float(_r(max(ry / rx, 0.01)))
            q = None if R is None else _r(_quat(R))
            out.append((_r(f.p(c)), radius, sy, q))
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
            axis = _qmat(rots[0])[:, 2] if all(np.allclose(q, rots[0]) for q in rots) else None
        if axis is not None:
            centres = np.array([c for c, *_ in spec], dtype=float)
            steps = centres - centres[0]
            if np.abs(steps - np.outer(steps @ axis, axis)).max() < 1e-9:
                return None
        return "LINEAR"

    def emit(self, p, f, name, names, apply=False):
        spec = self._spec(f)
        loops = names.many("circle", len(spec))
        rots = [s[3] for s in spec]
        same_rot = all(r is None for r in rots) or all(
            r is not None and np.allclose(r, rots[0]) for r in rots
        )
        _call(
            p, "create_circle", name=loops, location=[s[0] for s in spec],
            rotation=(rots[0] if same_rot else rots), radius=[s[1] for s in spec],
            scale=[[1.0, s[2], 1.0] for s in spec], resolution=None if self.res == 32 else self.res,
        )  # fmt: skip
        _call(
            p, "bridge_edge_loops", name=name, profile_name=loops, number_cuts=self.cuts,
            interpolation=self._interpolation(spec), fill_caps="both",
        )  # fmt: skip

    def points(self, f):
        ang = np.arange(self.res) * 2 * np.pi / self.res
        pts = []
        for loc, radius, sy, q in self._spec(f):
            ring = np.column_stack([radius * np.cos(ang), radius * sy * np.sin(ang), np.zeros_like(ang)])
            pts.append((ring @ _qmat(q).T if q is not None else ring) + loc)
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

    def _spec(self, f):
        prof = _r([[f.l(r), f.l(h), 0.0] for r, h in self.profile], 3)
        codes = list(self.codes) if self.codes is not None else [1] * (2 * len(self.profile))
        return _r(f.p(self.c)), prof, codes

    def emit(self, p, f, name, names, apply=False):
        loc, prof, codes = self._spec(f)
        curve = names("curve")
        _call(p, "create_curve", name=curve, control_points=prof, handle_type=codes)
        thick = None if not self.thickness else float(_r(f.l(self.thickness), 4))
        _call(p, "bezier_rotation", name=name, profile_name=curve, location=loc, rotation=UP, thickness=thick)

    def points(self, f):
        loc, prof, codes = self._spec(f)
        path = _bezier(prof, codes)
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

    def _spec(self, f):
        co = _r(f.ps(self.pts), 3)
        codes = list(self.codes) if self.codes is not None else [0] * (2 * len(self.pts))
        path = _bezier(co, codes, per_span=12)  # the curve modifier measures the curve at its resolution
        length = float(np.sum(np.linalg.norm(np.diff(path, axis=0), axis=1)))
        start = co[0]
        half = _r([max(f.l(self.w / 2), MIN_SIZE), max(f.l(self.t / 2), MIN_SIZE), length / 2 - 0.005])
        # the board covers the path up to its own length (and runs on straight past its end)
        acc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
        s = np.linspace(0.0, 2 * half[2], 200)
        covered = np.stack([np.interp(np.minimum(s, acc[-1]), acc, path[:, k]) for k in range(3)], 1)
        end_dir = _unit(path[-1] - path[-2])
        covered += np.maximum(s - acc[-1], 0.0)[:, None] * end_dir
        return co, codes, covered, start, half

    def emit(self, p, f, name, names, apply=False):
        co, codes, _, start, half = self._spec(f)
        loc = _r(start + _v(0.0, 0.0, half[2]))
        _call(
            p, "create_primitive", name=name, primitive_type="cube", location=loc, scale=half,
            use_minimum_face=False, resolution=[2, 1, 32],
        )  # fmt: skip
        curve = names("curve")
        _call(p, "create_curve", name=curve, control_points=co, handle_type=codes)
        origin = _r(loc - _v(0.0, 0.0, half[2]))
        _call(p, "add_curve_modifier_to_object", name=name, curve_name=curve, origin=origin, axis="POS_Z")

    def points(self, f):
        path, half = self._spec(f)[2::2]
        tan = _tangents(path)
        normal = np.cross(X_AXIS, tan)
        pts = []
        for sx in (-1, 1):
            for sy in (-1, 1):
                pts.append(path + sx * half[0] * X_AXIS + sy * half[1] * normal)
        return np.concatenate(pts)


# ------------------------------------------------------------------------------------ part-level ops


@dataclass
class Bevel:
    width: float  # local units of the object (a fraction of a unit cube's half size)
    segments: int = 3

    def emit(self, p, f, name, names=None):
        _call(p, "bevel", name=name, width=float(_r(self.width)), segments=self.segments)

    def points(self, f, pts):
        return pts


@dataclass
class Subsurf:
    levels: int = 1

    def emit(self, p, f, name, names=None):
        _call(p, "subsurf", name=name, levels=self.levels)

    def points(self, f, pts):
        return pts


@dataclass
class Smooth:
    factor: float = 0.5
    repeat: int = 5

    def emit(self, p, f, name, names=None):
        _call(p, "corrective_smooth", name=name, factor=self.factor, repeat=self.repeat)

    def points(self, f, pts):
        return pts


@dataclass
class Bend:
    """Simple Deform BEND about a vertical axis through ``origin``: the object's X extent curls by
    ``angle`` (units of pi) towards the frame's +Y, which is +Z (the front) for the default frame."""

    angle: float
    origin: Sequence[float]
    frame: Sequence[float] = (0.71, 0.71, 0.0, 0.0)  # X stays X, Y to +Z, Z to -Y

    def emit(self, p, f, name, names=None):
        _call(
            p, "add_simple_deform_modifier", name=name, mode="BEND", angle=float(_r(self.angle)),
            origin=_r(f.p(self.origin)), rotation=list(self.frame), axis="Z",
        )  # fmt: skip

    def points(self, f, pts):
        o, R = _r(f.p(self.origin)), _qmat(self.frame)
        local = (pts - o) @ R
        x, y = local[:, 0], local[:, 1]
        span = max(x.max() - x.min(), 1e-9)
        k = float(_r(self.angle)) * math.pi / span
        if abs(k) < 1e-7:
            return pts
        theta = x * k
        out = local.copy()
        out[:, 0] = -(y - 1 / k) * np.sin(theta)
        out[:, 1] = (y - 1 / k) * np.cos(theta) + 1 / k
        return out @ R.T + o


@dataclass
class Cut:
    """Boolean difference with a ``cutter`` shape: holes, slots, finger pulls. A cut only removes,
    so the object's box stays what its own points say."""

    cutter: Shape

    def emit(self, p, f, name, names=None):
        helper = names(self.cutter.kind)
        self.cutter.emit(p, f, helper, names)
        _call(p, "boolean_operation", name1=name, name2=helper, operation="DIFFERENCE")

    def points(self, f, pts):
        return pts


# --------------------------------------------------------------------------------------- the object


@dataclass
class _Part:
    label: str
    shapes: list
    ops: list
    array: tuple | None  # (count, offset) or (count1, offset1, count2, offset2)
    radial: tuple | None  # (count, centre)


class Design:
    """The parts of one object in design units; ``build`` fits the frame and writes the program."""

    def __init__(self, name: str):
        self.name = name
        self.parts: list[_Part] = []

    def add(self, label: str, *shapes: Shape, ops=(), array=None, radial=None) -> None:
        shapes, ops = list(shapes), list(ops)
        if len(shapes) == 1 and ops:  # one shape: its ops are the part's (written the same)
            shapes[0].ops = list(shapes[0].ops) + ops
            ops = []
        self.parts.append(_Part(label, shapes, ops, array, radial))

    def _points(self, part: _Part, f: Frame) -> np.ndarray:
        pts = np.concatenate([s.final_points(f) for s in part.shapes])
        for op in part.ops:
            pts = op.points(f, pts)
        if part.array is not None:
            copies = [pts]
            a = part.array
            for k in range(1, a[0]):
                copies.append(pts + k * _r(f.l(a[1])))
            pts = np.concatenate(copies)
            if len(a) == 4:
                pts = np.concatenate([pts + k * _r(f.l(a[3])) for k in range(a[2])])
        if part.radial is not None:
            count, centre = part.radial
            o, step = _r(f.p(centre)), float(_r(2.0 / count)) * np.pi
            pts = np.concatenate([(pts - o) @ _rot(Y_AXIS, step * k).T + o for k in range(count)])
        return pts

    def _bounds(self, f: Frame) -> tuple[np.ndarray, np.ndarray]:
        pts = np.concatenate([self._points(part, f) for part in self.parts])
        return pts.min(0), pts.max(0)

    def frame(self) -> Frame:
        """The frame whose written program spans a box of longest side 1 centred on the origin.

        The frame is first fitted to the unrounded design; rounding the written numbers then moves
        the geometry by a few thousandths, differently for every scale, so nearby scales are tried
        and the one whose rounded program fits best is kept.
        """

        def measure(f: Frame) -> tuple[float, np.ndarray]:
            lo, hi = self._bounds(f)
            return float((hi - lo).max()), (lo + hi) / 2

        unit = Frame([-0.5] * 3, [0.5] * 3)
        _STATE.exact = True
        try:
            size, mid = measure(unit)
        finally:
            _STATE.exact = False
        centre, half = mid, 0.5 * size
        best, best_err = None, math.inf
        for k in range(25):
            nudge = 1 + 0.0008 * ((k + 1) // 2) * (1 if k % 2 else -1)
            f = Frame(centre - half * nudge, centre + half * nudge)
            size, mid = measure(f)
            # the size matters most (2% allowed); the centre has 0.02 of slack, so it counts less
            err = max(abs(size - 1), float(np.abs(mid).max()) / 3)
            if err < best_err:
                best, best_err = f, err
            if best_err < 0.0025:
                break
        return best

    def build(self) -> ProgramBuilder:
        f = self.frame()
        b = ProgramBuilder(self.name)
        for part in self.parts:
            with b.part(part.label) as p:
                self._emit(part, p, f)
        return b

    def _emit(self, part: _Part, p: PartWriter, f: Frame) -> None:
        names = _Names(p)
        apply = part.array is not None  # arrays offset in world units, as programs usually do
        if apply and any(isinstance(op, Bevel) for shape in part.shapes for op in shape.ops):
            raise ValueError(f"part {part.label!r}: a bevel on an applied (arrayed) shape is in world units")
        made = []
        for i, shape in enumerate(part.shapes):
            name = p.obj if i == 0 else names(shape.kind)
            shape.emit(p, f, name, names, apply=apply)
            shape.finish(p, f, name, names)
            made.append(name)
        if len(made) > 1:
            _call(p, "join_obj", name=p.obj, seq_name=made[1:] + made[:1])
        for op in part.ops:
            op.emit(p, f, p.obj, names)
        if part.array is not None:
            a = part.array
            if len(a) == 2:
                _call(p, "array_1d", name=p.obj, count=a[0], constant_offset=_r(f.l(a[1])))
            else:
                _call(
                    p, "array_2d", name=p.obj, count_1=a[0], constant_offset_1=_r(f.l(a[1])),
                    count_2=a[2], constant_offset_2=_r(f.l(a[3])),
                )  # fmt: skip
        if part.radial is not None:
            count, centre = part.radial
            _call(
                p, "array_rotate", name=p.obj, count=count, rotation_angle=float(_r(2.0 / count)),
                rotation_origin=_r(f.p(centre)), rotation_axis=UP, rotation_mode="QUATERNION",
            )  # fmt: skip


# ------------------------------------------------------------------------------------ shared pieces


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _pick(rng: np.random.Generator, options: Sequence, p: Sequence[float] | None = None):
    if p is not None:
        p = np.asarray(p, dtype=float) / np.sum(p)
    return options[int(rng.choice(len(options), p=p))]


def _v(*xyz) -> np.ndarray:
    return np.array(xyz, dtype=float)


LEG_STYLES = ("square", "round", "tapered", "tapered round", "turned")
ROUND_STYLES = ("round", "tapered round", "turned")


def _turned(a, h: float, t: float, k: float = 0.35) -> Lathe:
    """A lathe-turned leg standing at ``a``, ``h`` tall and ``t`` thick at its top block, its bulb
    at ``k`` of the height."""
    r = t / 2
    prof = [(0, 0), (r * 0.55, 0), (r * 0.6, h * 0.06), (r * 0.45, h * (k - 0.2)), (r * 0.85, h * k)]
    prof += [(r * 0.5, h * (k + 0.15)), (r * 0.6, h * 0.78), (r, h * 0.8), (r, h), (0, h)]
    codes = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    return Lathe(a, prof, codes)


def _leg(style: str, a, b, t: float, taper: float = 0.65) -> Shape:
    """A straight leg from foot ``a`` up to ``b``, ``t`` thick at the top; a turned leg must stand
    upright (tilted, it is a tapered round one)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if style == "turned":
        if np.allclose(_unit(b - a), Y_AXIS):
            return _turned(a, float(b[1] - a[1]), t)
        style = "tapered round"
    if style == "square":
        R = None if np.allclose(_unit(b - a), Y_AXIS) else _basis(b - a, X_AXIS, 1, 0)
        return Box((a + b) / 2, (t / 2, np.linalg.norm(b - a) / 2, t / 2), R)
    if style == "round":
        return Cyl(a, b, t / 2)
    if style == "tapered":
        return Trap(a, b, (t, t), (t * taper, t * taper))
    return Sweep([a, b], ("circle", t / 2), radii=[taper, 1.0])


def _lerp(a, b, s: float) -> np.ndarray:
    return np.asarray(a, float) + (np.asarray(b, float) - np.asarray(a, float)) * s


def _rail(style: str, a, b, t: float, h: float | None = None) -> Shape:
    """A stretcher or rail from ``a`` to ``b``: round (``t`` diameter) or a board ``t`` thick, ``h`` tall."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if style == "round":
        return Cyl(a, b, t / 2)
    return _beam(a, b, t, h or t)


def _beam(a, b, t: float, h: float, up=Y_AXIS) -> Box:
    """A board from ``a`` to ``b``, ``h`` tall (towards ``up``) and ``t`` thick; unrotated when it runs
    along an axis."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = b - a
    length = np.linalg.norm(d)
    R = _basis(d, up, 0, 1)
    if np.allclose(np.abs(R), np.round(np.abs(R)), atol=1e-9):  # axis-aligned: permute, do not rotate
        half = np.abs(R) @ np.array([length / 2, h / 2, t / 2])
        return Box((a + b) / 2, half)
    return Box((a + b) / 2, (length / 2, h / 2, t / 2), R)


def _up_facing(pts) -> list:
    """The outline ordered so that it runs counter-clockwise seen from above (its panel thickens down)."""
    pts = [np.asarray(q, float) for q in pts]
    arr = np.array(pts)
    normal = np.sum(np.cross(arr, np.roll(arr, -1, axis=0)), axis=0)
    return pts if normal[1] > 0 else pts[::-1]


def _facing(pts, direction) -> list:
    """The outline ordered so that its panel's front faces ``direction`` (it thickens away from it)."""
    pts = [np.asarray(q, float) for q in pts]
    arr = np.array(pts)
    normal = np.sum(np.cross(arr, np.roll(arr, -1, axis=0)), axis=0)
    return pts if normal @ np.asarray(direction, float) > 0 else pts[::-1]


def _rounded_rect(cx: float, y: float, cz: float, w_front: float, w_back: float, depth: float) -> list:
    """Corners of a horizontal seat outline, wider at the front when w_front > w_back."""
    return _up_facing(
        [
            (cx + w_front / 2, y, cz + depth / 2),
            (cx + w_back / 2, y, cz - depth / 2),
            (cx - w_back / 2, y, cz - depth / 2),
            (cx - w_front / 2, y, cz + depth / 2),
        ]
    )


def _seat_board(d: Design, rng, style: str, top: float, w: float, wb: float, depth: float, t: float, cz=0.0):
    """A chair seat whose top is at height ``top``: board, trapezoid board, filled outline or padded."""
    if style == "board":
        shape = Box((0, top - t / 2, cz), (w / 2, t / 2, depth / 2), ops=[Bevel(_u(rng, 0.05, 0.3), 3)])
        if abs(w - wb) > 0.01:
            shape = Trap((0, top - t / 2, cz - depth / 2), (0, top - t / 2, cz + depth / 2), (w, t), (wb, t))
        d.add("seat", shape)
    elif style == "rounded":
        outline = _rounded_rect(0, top, cz, w, wb, depth)
        d.add("seat", Panel(outline, t, fillet=_u(rng, 0.03, 0.09)))
    else:  # padded: a board with a cushion on it
        base = min(t, 0.025)
        d.add("seat", Box((0, top - base / 2, cz), (w / 2, base / 2, depth / 2)))
        ct = _u(rng, 0.03, 0.06)
        cushion = Box((0, top + ct / 2, cz + 0.005), (w / 2 - 0.01, ct / 2, depth / 2 - 0.01))
        d.add("seat cushion", cushion, ops=[Bevel(_u(rng, 0.3, 0.6), 2), Subsurf(1)])


@register("Chair")
def chair(rng: np.random.Generator) -> ProgramBuilder:
    """Dining and side chairs: wooden frames (posts, ladder, slat, spindle, splat or upholstered backs,
    aprons, stretchers) and modern chairs (splayed legs, tube sleds or a tulip pedestal, with a moulded
    shell or a seat and a bent backrest)."""
    d = Design("chair")
    H = _u(rng, 0.43, 0.48)
    W = _u(rng, 0.40, 0.50)
    D = _u(rng, 0.40, 0.48)
    if rng.random() < 0.6:
        _frame_chair(d, rng, H, W, D)
    else:
        _modern_chair(d, rng, H, W, D)
    return d.build()


def _frame_chair(d: Design, rng, H: float, W: float, D: float) -> None:
    style = _pick(rng, [*LEG_STYLES, "sabre"], [1, 1, 1, 0.7, 0.6, 0.7])
    round_legs = style in ROUND_STYLES
    t = _u(rng, 0.03, 0.045)
    st = _u(rng, 0.02, 0.045)
    Wb = W * _u(rng, 0.82, 1.0)
    inset = _u(rng, 0.0, 0.03)
    ytop = H - st
    xf, xb = W / 2 - inset - t / 2, Wb / 2 - inset - t / 2
    zf, zb = D / 2 - inset - t / 2, -D / 2 + inset + t / 2
    posts = rng.random() < 0.75
    tilt = math.radians(_u(rng, 4, 14))
    Hb = _u(rng, 0.35, 0.55)
    rake = _u(rng, 0.0, 0.05) if posts or style == "sabre" else 0.0

    def back_point(u: float, x: float = 0.0, dz: float = 0.0) -> np.ndarray:
        """A point ``u`` above the seat in the back plane (through the back legs), ``dz`` in front of it."""
        return _v(
            x, H + u * math.cos(tilt) + dz * math.sin(tilt), zb - u * math.sin(tilt) + dz * math.cos(tilt)
        )

    # legs
    profile = ("circle", t / 2) if round_legs else ("rect", t, t)
    back_feet = []
    for sx in (-1, 1):
        foot, seat = _v(sx * xf, 0, zf), _v(sx * xf, ytop, zf)
        if style == "sabre":
            d.add(
                "leg",
                Sweep(
                    [foot + _v(0, 0, 0.03), (sx * xf, ytop * 0.5, zf + 0.005), seat],
                    profile,
                    [1, 1, 0, 0, 1, 1],
                ),
            )
        else:
            d.add("leg", _leg(style, foot, seat, t))
    for sx in (-1, 1):
        foot, seat = _v(sx * xb, 0, zb - rake), _v(sx * xb, ytop, zb)
        back_feet.append((foot, seat))
        pts = [foot, seat] + ([back_point(Hb, sx * xb)] if posts else [])
        codes = [1] * (2 * len(pts))
        if style == "sabre":
            pts = [foot, _lerp(foot, seat, 0.5) + _v(0, 0, rake * 0.3), seat, *pts[2:]]
            codes = [1, 1, *[0] * (2 * len(pts) - 4), 1, 1]
        radii = None
        if style.startswith("tapered"):
            radii = [0.65, 1.0] + ([0.8] if posts else [])
        if len(pts) == 2 and style != "sabre":
            d.add("leg", _leg(style, foot, seat, t))
        else:
            d.add("leg", Sweep(pts, profile, codes, radii=radii))

    # apron and stretchers
    if rng.random() < 0.6:
        ah, at = _u(rng, 0.05, 0.09), 0.02
        y = ytop - ah / 2
        d.add("apron", _beam((-xf, y, zf), (xf, y, zf), at, ah))
        d.add("apron", _beam((-xb, y, zb), (xb, y, zb), at, ah))
        for sx in (-1, 1):
            d.add("apron", _beam((sx * xb, y, zb), (sx * xf, y, zf), at, ah))
    kind = _pick(rng, ["none", "H", "box", "sides"], [1, 1, 1, 1])
    if kind != "none":
        rt = t * _u(rng, 0.5, 0.7)
        rs = "round" if round_legs else "square"
        y = _u(rng, 0.1, 0.22)
        s_back = y / ytop

        def front(sx):
            return _v(sx * xf, y, zf)

        def back(sx):
            foot, seat = back_feet[(sx + 1) // 2]
            return _lerp(foot, seat, s_back)

        for sx in (-1, 1):
            d.add("stretcher", _rail(rs, back(sx), front(sx), rt))
        if kind == "H":
            mid = [(_lerp(back(sx), front(sx), 0.5)) for sx in (-1, 1)]
            d.add("stretcher", _rail(rs, mid[0], mid[1], rt))
        elif kind == "box":
            d.add("stretcher", _rail(rs, front(-1), front(1), rt))
            d.add("stretcher", _rail(rs, back(-1), back(1), rt))

    _seat_board(d, rng, _pick(rng, ["board", "rounded", "padded"]), H, W, Wb, D, st)

    if posts:
        _post_back(d, rng, back_point, xb, t, Hb, tilt)
    else:
        _board_back(d, rng, H, Wb, D, Hb, tilt)


def _post_back(d: Design, rng, back_point, xb: float, t: float, Hb: float, tilt: float) -> None:
    """Backrest between two posts: ladder rails, slats, spindles, a splat or an upholstered panel."""
    R = _tilt_x(-tilt)
    kind = _pick(rng, ["rails", "slats", "spindles", "splat", "panel"])
    rt = _u(rng, 0.018, 0.025)
    top_h = _u(rng, 0.05, 0.11)
    over = _u(rng, 0.0, 0.03) if rng.random() < 0.4 else 0.0
    u_top = Hb - top_h / 2 - (0.0 if over else _u(rng, 0.0, 0.03))
    if kind == "panel":
        u0 = _u(rng, 0.12, 0.22)
        h = u_top + top_h / 2 - u0
        board = Box(
            back_point(u0 + h / 2), (xb, h / 2, _u(rng, 0.015, 0.03)), R, ops=[Bevel(_u(rng, 0.1, 0.3), 3)]
        )
        d.add("backrest", board)
        return
    if kind == "rails":
        n = int(rng.integers(2, 5))
        rh = _u(rng, 0.04, 0.07)
        gap = _u(rng, 0.05, 0.1)
        step = rh + gap
        lowest = u_top - (n - 1) * step
        if lowest < 0.08:
            step = (u_top - 0.08) / max(n - 1, 1)
        rail = Box(back_point(u_top), (xb + over, rh / 2, rt / 2), R)
        down = back_point(u_top - step) - back_point(u_top)
        d.add("back rail", rail, array=(n, down))
        return
    # a top rail over uprights, with a bottom rail
    bend = [Bend(_u(rng, 0.08, 0.2), back_point(u_top))] if rng.random() < 0.4 else []
    res = [12, 1, 1] if bend else None
    d.add("top rail", Box(back_point(u_top), (xb + over, top_h / 2, rt / 2), R, res=res, ops=bend))
    u_bot = _u(rng, 0.08, 0.16)
    bh = _u(rng, 0.03, 0.05)
    if rng.random() < 0.7:
        d.add("back rail", Box(back_point(u_bot), (xb, bh / 2, rt / 2), R))
    lo, hi = u_bot, u_top
    span = hi - lo
    if kind == "splat":
        sw = _u(rng, 0.08, 0.18)
        d.add("splat", Box(back_point(lo + span / 2), (sw / 2, span / 2, rt / 2 * 0.8), R))
        return
    n = int(rng.integers(3, 7))
    gap = 2 * xb / (n + 1)
    if kind == "slats":
        sw = min(_u(rng, 0.02, 0.05), gap * 0.7)
        slat = Box(back_point(lo + span / 2, -xb + gap), (sw / 2, span / 2, rt / 2 * 0.7), R)
        d.add("slats", slat, array=(n, (gap, 0.0, 0.0)))
    else:
        r = min(_u(rng, 0.008, 0.013), gap * 0.3)
        rod = Cyl(back_point(lo, -xb + gap), back_point(hi, -xb + gap), r)
        d.add("spindles", rod, array=(n, (gap, 0.0, 0.0)))


def _board_back(d: Design, rng, H: float, Wb: float, D: float, Hb: float, tilt: float) -> None:
    """A backrest board (flat, rounded or bent) held above the seat's back edge by two supports."""
    R = _tilt_x(-tilt)
    u0 = _u(rng, 0.15, 0.25)
    h = Hb - u0
    bt = _u(rng, 0.015, 0.03)
    zb = -D / 2 + 0.02

    def back_point(u, x=0.0):
        return _v(x, H + u * math.cos(tilt), zb - u * math.sin(tilt))

    for sx in (-1, 1):
        x = sx * Wb * _u(rng, 0.25, 0.35)
        a = _v(x, H - 0.01, zb + 0.02)
        b = back_point(u0 + h * 0.5, x) - R @ _v(0, 0, bt / 2 + 0.01)
        d.add("back support", _beam(a, b, 0.04, 0.012, up=Z_AXIS))
    centre = back_point(u0 + h / 2)
    width = Wb * _u(rng, 0.9, 1.05)
    if rng.random() < 0.5:
        frame = _r(_quat(R @ _rot(X_AXIS, math.pi / 2)))
        board = Box(
            centre,
            (width / 2, h / 2, bt / 2),
            R,
            res=[16, 1, 1],
            ops=[Bend(_u(rng, 0.15, 0.35), centre, frame)],
        )
        d.add("backrest", board)
    else:
        corners = [
            centre + R @ _v(sx * width / 2, sy * h / 2, bt / 2)
            for sx, sy in ((1, 1), (-1, 1), (-1, -1), (1, -1))
        ]
        d.add("backrest", Panel(_facing(corners, R @ Z_AXIS), bt, fillet=_u(rng, 0.02, 0.06)))


def _modern_chair(d: Design, rng, H: float, W: float, D: float) -> None:
    base = _pick(rng, ["splayed", "sled", "tulip"], [1.2, 1, 0.7])
    shell = rng.random() < 0.55
    tilt = math.radians(_u(rng, 6, 16))
    Hb = _u(rng, 0.33, 0.48)
    st = _u(rng, 0.012, 0.03) if shell else _u(rng, 0.02, 0.04)
    seat_bottom = H - (st if not shell else st / 2 + 0.005)
    if base == "splayed":
        t = _u(rng, 0.025, 0.04)
        splay = _u(rng, 0.03, 0.07)
        style = _pick(rng, ["round", "tapered round", "square"])
        for sx in (-1, 1):
            for sz in (-1, 1):
                top = _v(sx * (W / 2 - 0.07), seat_bottom, sz * (D / 2 - 0.07))
                foot = top + _v(sx * splay, -seat_bottom, sz * splay)
                d.add("leg", _leg(style, foot, top, t))
        if rng.random() < 0.4:
            y = _u(rng, 0.15, 0.25)
            s = y / seat_bottom
            for sx in (-1, 1):
                a = _v(sx * (W / 2 - 0.07 + splay * (1 - s)), y, (D / 2 - 0.07 + splay * (1 - s)))
                b = a * [1, 1, -1]
                d.add("stretcher", Cyl(a, b, t * 0.3))
    elif base == "sled":
        r = _u(rng, 0.009, 0.013)
        zf, zb = D / 2 - _u(rng, 0.02, 0.06), -D / 2 + _u(rng, 0.02, 0.06)
        for sx in (-1, 1):
            x = sx * (W / 2 - _u(rng, 0.03, 0.05))
            pts = [
                (x, seat_bottom - r, zf - 0.04),
                (x, r, zf + 0.02),
                (x, r, zb - 0.02),
                (x, seat_bottom - r, zb + 0.04),
            ]
            d.add("sled", Sweep(pts, ("circle", r), fillet=0.05))
    else:
        rb = _u(rng, 0.2, 0.26)
        rc = _u(rng, 0.025, 0.04)
        prof = [(0, 0), (rb, 0), (rb, 0.012), (rc * 2.2, 0.07), (rc, 0.18), (rc, seat_bottom)]
        d.add("base", Lathe((0, 0, 0), prof, [1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1]))
    if shell:
        lip = _u(rng, 0.01, 0.03)
        zb = -D / 2 + 0.03
        top = _v(0, H + Hb * math.cos(tilt), zb - Hb * math.sin(tilt))
        path = [
            (0, H - lip, D / 2),
            (0, H, D / 2 - 0.1),
            (0, H + 0.01, zb + 0.06),
            (0, H + 0.12, zb - 0.01),
            top,
        ]
        d.add("shell", CurvedPanel(path, W, st, codes=[1, 1, 0, 0, 0, 0, 0, 0, 1, 1]))
        return
    _seat_board(d, rng, _pick(rng, ["rounded", "padded"]), H, W, W * _u(rng, 0.85, 1.0), D, st)
    _board_back(d, rng, H, W * 0.95, D, Hb, tilt)


# ------------------------------------------------------------------------------ upholstered seating

FOOT_STYLES = ("round", "tapered round", "square", "tapered", "bun")


def _foot(style: str, x: float, z: float, h: float, t: float, splay=(0.0, 0.0)) -> Shape:
    """A short sofa leg of height ``h`` standing at (x, z), its foot pushed out by ``splay``."""
    top = _v(x, h, z)
    if style == "bun":
        return Sphere((x, h / 2, z), (t / 2, h / 2, t / 2))
    return _leg(style, top + _v(splay[0], -h, splay[1]), top, t)


def _pillow(c, half, R: np.ndarray | None = None, ends: float = 0.85, cuts: int = 4) -> Loft:
    """A cushion as bridged ellipses along its local Z (``half`` = half width, half thickness, half
    length), fuller in the middle than at the ends."""
    c = np.asarray(c, float)
    hx, hy, hz = half
    axis = (R if R is not None else np.eye(3)) @ Z_AXIS
    secs = []
    for s, k in ((-1.0, ends), (-0.8, 1.0), (0.8, 1.0), (1.0, ends)):
        secs.append((c + axis * s * hz, (hx * k, hy * k), R))
    return Loft(secs, cuts=cuts)


def _cushion(rng, style: str, c, half, R: np.ndarray | None = None) -> tuple[Shape, list]:
    """A seat or back cushion: bridged ellipses ('pillow') or a rounded box."""
    if style == "pillow":
        return _pillow(c, half, R), [Smooth()]
    return Box(c, half, R), [Bevel(_u(rng, 0.3, 0.6), 2), Subsurf(1)]


def _upholstered(d: Design, rng, n: int, sofa: bool) -> None:
    """Sofas and armchairs: legs or a plinth, a base, arms, a back, seat and back cushions."""
    sw = _u(rng, 0.5, 0.68) if sofa else _u(rng, 0.5, 0.62)
    arm = _pick(rng, ["rolled", "box", "track", "slope", "none"], [1, 1.2, 1, 0.6, 0.4 if sofa else 0.0])
    aw = {
        "rolled": (0.14, 0.24),
        "box": (0.12, 0.24),
        "track": (0.07, 0.13),
        "slope": (0.1, 0.2),
        "none": (0, 0),
    }
    aw = _u(rng, *aw[arm])
    inner = n * sw
    Wt = inner + 2 * aw
    Dt = _u(rng, 0.82, 1.0) if sofa else _u(rng, 0.75, 0.92)
    base_kind = _pick(rng, ["legs", "plinth"], [0.8, 0.2])
    lh = _u(rng, 0.05, 0.18) if base_kind == "legs" else 0.0
    H = _u(rng, 0.4, 0.47)
    ct = _u(rng, 0.1, 0.17)
    bt = _u(rng, 0.14, 0.24)
    wing = not sofa and arm != "none" and rng.random() < 0.3
    Hb = _u(rng, 0.92, 1.1) if wing else _u(rng, 0.72, 0.92)
    ah = min(_u(rng, 0.55, 0.68), Hb - 0.05)
    if not wing and rng.random() < 0.12:  # tuxedo: arms as high as the back
        ah = Hb
    zb, zf = -Dt / 2, Dt / 2
    style = _pick(rng, ["pillow", "box"])
    # a chaise: the seat at one end runs forward
    chaise = sofa and rng.random() < 0.25
    cs = int(rng.choice([-1, 1]))
    ext = _u(rng, 0.45, 0.65) if chaise else 0.0
    xin = cs * (inner / 2 - sw)  # where the chaise starts across the sofa

    def front(x: float) -> float:
        return zf + ext if chaise and x * cs > 0 and abs(x) >= abs(xin) - 1e-9 else zf

    # legs or plinth
    if base_kind == "legs":
        fs = _pick(rng, FOOT_STYLES)
        t = _u(rng, 0.035, 0.06)
        ins = _u(rng, 0.02, 0.06)
        sp = _u(rng, 0.0, 0.03) if fs in ("round", "tapered round", "tapered") else 0.0
        xs = [-Wt / 2 + ins + t / 2, Wt / 2 - ins - t / 2]
        if sofa and Wt > 1.8 and rng.random() < 0.6:
            xs.insert(1, 0.0)
        for x in xs:
            for z in (zb + ins + t / 2, front(x) - ins - t / 2):
                sx = 0.0 if x == 0 else math.copysign(sp, x)
                d.add("leg", _foot(fs, x, z, lh, t, (sx, math.copysign(sp, z))))
        if chaise:
            x = xin + cs * (ins + t / 2)
            d.add("leg", _foot(fs, x, zf + ext - ins - t / 2, lh, t, (0.0, sp)))
    else:
        rec = _u(rng, 0.02, 0.05)
        ph = _u(rng, 0.03, 0.08)
        d.add("plinth", Box((0, ph / 2, 0), (Wt / 2 - rec, ph / 2, Dt / 2 - rec)))
        if chaise:
            xo = cs * (Wt / 2 - rec)
            d.add(
                "plinth",
                Box(((xin + xo) / 2, ph / 2, zf + ext / 2 - rec), (abs(xo - xin) / 2, ph / 2, ext / 2)),
            )
        lh = ph

    # base and back frame
    bevel = [Bevel(_u(rng, 0.05, 0.2), 3)]
    seat_base = H - ct
    d.add(
        "base",
        Box(
            (0, (lh + seat_base) / 2, (zb + bt + zf) / 2),
            (inner / 2, (seat_base - lh) / 2, (zf - zb - bt) / 2),
        ),
        ops=bevel,
    )
    if chaise:
        xo = cs * inner / 2
        c = ((xin + xo) / 2, (lh + seat_base) / 2, zf + ext / 2 - 0.005)
        d.add("base", Box(c, (abs(xo - xin) / 2, (seat_base - lh) / 2, ext / 2 + 0.005)), ops=bevel)
    back_w = inner / 2 if arm != "none" and ah < Hb else Wt / 2
    d.add(
        "backrest",
        Box((0, (lh + Hb) / 2, zb + bt / 2), (back_w, (Hb - lh) / 2, bt / 2)),
        ops=[Bevel(_u(rng, 0.1, 0.3), 3)],
    )

    # arms
    if arm != "none":
        for sx in (-1, 1):
            xc = sx * (inner / 2 + aw / 2)
            rec = _u(rng, 0.0, 0.03)
            z0, z1 = zb, front(xc) - rec
            if arm == "rolled":
                rr = aw / 2 * _u(rng, 1.05, 1.25)
                body = Box(
                    (xc, (lh + ah - rr) / 2, (z0 + z1) / 2), (aw / 2, (ah - rr - lh) / 2, (z1 - z0) / 2)
                )
                roll = _pillow(
                    (xc, ah - rr * 0.8, (z0 + z1) / 2), (rr, rr * 0.8, (z1 - z0) / 2 + 0.003), ends=0.92
                )
                d.add("arm", body, roll)
            elif arm == "slope":
                top = aw * _u(rng, 0.5, 0.8)
                d.add(
                    "arm",
                    Trap(
                        (xc, lh, (z0 + z1) / 2),
                        (xc + sx * (aw - top) / 2, ah, (z0 + z1) / 2),
                        (top, z1 - z0),
                        (aw, z1 - z0),
                    ),
                    ops=[Bevel(0.05, 2)],
                )
            else:
                c = (xc, (lh + ah) / 2, (z0 + z1) / 2)
                ops = [Bevel(_u(rng, 0.2, 0.5) if arm == "box" else 0.4, 3)]
                if arm == "box" and rng.random() < 0.5:
                    ops.append(Subsurf(1))
                d.add("arm", Box(c, (aw / 2, (ah - lh) / 2, (z1 - z0) / 2)), ops=ops)
    if wing:
        for sx in (-1, 1):
            x = sx * (inner / 2 - 0.01)
            wd = _u(rng, 0.2, 0.32)
            pts = [
                (x, ah - 0.03, zb + bt + wd),
                (x, Hb - _u(rng, 0.05, 0.12), zb + bt + wd * _u(rng, 0.8, 1.1)),
                (x, Hb, zb + bt * 0.5),
                (x, ah - 0.03, zb + bt * 0.5),
            ]
            codes = [1, 1, 0, 0, 1, 1, 1, 1]  # the front top corner sweeps round
            arr = np.array(pts, float)
            if np.sum(np.cross(arr, np.roll(arr, -1, axis=0)), axis=0) @ _v(-sx, 0, 0) < 0:
                pts, codes = pts[::-1], codes[::-1]  # face inwards, so it thickens outwards
            d.add("wing", Panel(pts, _u(rng, 0.06, 0.12), codes))

    # cushions
    back_cushions = rng.random() < (0.8 if sofa else 0.6)
    bct = _u(rng, 0.12, 0.2) if back_cushions else 0.0
    z_seat0 = zb + bt + bct * 0.6
    nseat = n if (n == 1 or rng.random() < 0.8) else 1
    cw = inner / nseat
    depth = zf + _u(rng, 0.0, 0.02) - z_seat0
    for i in range(nseat):
        xc = -inner / 2 + (i + 0.5) * cw
        dz = ext if nseat > 1 and i == (nseat - 1 if cs > 0 else 0) else 0.0
        c = (xc, H - ct / 2, z_seat0 + (depth + dz) / 2)
        shape, ops = _cushion(rng, style, c, (cw / 2 - 0.005, ct / 2, (depth + dz) / 2))
        d.add("seat cushion", shape, ops=ops)
    if chaise and nseat == 1:
        c = ((xin + cs * inner / 2) / 2, H - ct / 2, zf + ext / 2)
        shape, ops = _cushion(rng, style, c, (sw / 2 - 0.005, ct / 2, ext / 2))
        d.add("seat cushion", shape, ops=ops)
    if back_cushions:
        tilt = math.radians(_u(rng, 8, 18))
        R = _tilt_x(-tilt)
        top = min(Hb + _u(rng, -0.08, 0.06), Hb + 0.06)
        h = (top - H) / math.cos(tilt)
        nb = n if rng.random() < 0.85 else max(1, n - 1)
        bw = inner / nb
        for i in range(nb):
            xc = -inner / 2 + (i + 0.5) * bw
            c = _v(xc, H, zb + bt + bct / 2) + R @ _v(0, h / 2, 0)
            if style == "pillow":
                shape, ops = _cushion(
                    rng, style, c, (bw / 2 - 0.005, bct / 2, h / 2), R @ _rot(X_AXIS, -math.pi / 2)
                )
            else:
                shape, ops = _cushion(rng, style, c, (bw / 2 - 0.005, h / 2, bct / 2), R)
            d.add("back cushion", shape, ops=ops)
    if sofa and rng.random() < 0.5:
        for sx in (-1, 1)[: int(rng.integers(1, 3))]:
            ps = _u(rng, 0.38, 0.48)
            R = _rot(Y_AXIS, sx * _u(rng, 0.1, 0.35)) @ _tilt_x(-math.radians(_u(rng, 15, 30)))
            c = _v(sx * (inner / 2 - ps / 2 - 0.02), H + ps / 2 - 0.02, zb + bt + bct + 0.1)
            d.add("pillow", Box(c, (ps / 2, ps / 2, 0.06)), ops=[Bevel(0.6, 2), Subsurf(1)])
            d.parts[-1].shapes[0].R = R


@register("Sofa")
def sofa(rng: np.random.Generator) -> ProgramBuilder:
    """Two- to four-seat sofas: rolled, box, track, sloped or no arms; legs (four or six) or a plinth;
    one bench or several seat cushions, back cushions and throw pillows."""
    d = Design("sofa")
    _upholstered(d, rng, int(rng.choice([2, 3, 3, 4], p=[0.4, 0.25, 0.2, 0.15])), sofa=True)
    return d.build()


def _lounge_chair(d: Design, rng) -> None:
    """A wooden-framed lounge armchair: four legs rising to the armrests, seat rails, a raked back
    frame, loose seat and back cushions."""
    W = _u(rng, 0.62, 0.8)
    D = _u(rng, 0.7, 0.86)
    H = _u(rng, 0.38, 0.44)
    ah = _u(rng, 0.55, 0.64)
    Hb = _u(rng, 0.78, 0.98)
    t = _u(rng, 0.035, 0.05)
    style = _pick(rng, LEG_STYLES)
    aw = _u(rng, 0.05, 0.1)
    xl = W / 2 - aw / 2
    zf, zb = D / 2 - _u(rng, 0.03, 0.08), -D / 2 + _u(rng, 0.08, 0.14)
    splay = _u(rng, 0.0, 0.04)
    rail_y = H - _u(rng, 0.1, 0.15)
    for z in (zb, zf):
        for sx in (-1, 1):
            top = _v(sx * xl, ah - 0.02, z)
            d.add("leg", _leg(style, top + _v(0, -(ah - 0.02), math.copysign(splay, z)), top, t))
    rh, rt = _u(rng, 0.04, 0.07), 0.025
    for sx in (-1, 1):
        d.add("seat rail", _beam((sx * xl, rail_y, zb), (sx * xl, rail_y, zf), rt, rh))
    for z in (zb, zf):
        d.add("seat rail", _beam((-xl, rail_y, z), (xl, rail_y, z), rt, rh))
    # armrests: straight boards or gently curved sweeps
    curved = rng.random() < 0.5
    for sx in (-1, 1):
        x = sx * xl
        if curved:
            pts = [(x, ah - 0.03, -D / 2), (x, ah + 0.01, (zb + zf) / 2), (x, ah - 0.02, D / 2)]
            d.add("armrest", Sweep(pts, ("rect", aw, 0.025), [1, 1, 0, 0, 1, 1]))
        else:
            d.add("armrest", Box((x, ah, 0), (aw / 2, 0.0125, D / 2)), ops=[Bevel(0.3, 3)])
    # back frame: two raked posts and a top rail
    tilt = math.radians(_u(rng, 12, 24))
    R = _tilt_x(-tilt)
    base = _v(0, rail_y, zb)
    L = (Hb - rail_y) / math.cos(tilt)
    xi = xl - t
    for sx in (-1, 1):
        a = base + _v(sx * xi, 0, 0)
        d.add(
            "back post",
            _rail("round" if style in ROUND_STYLES else "square", a, a + R @ _v(0, L, 0), t * 0.8),
        )
    top = base + R @ _v(0, L - 0.04, 0)
    d.add("top rail", Box(top, (xi, 0.03, 0.012), R))
    # cushions
    cstyle = _pick(rng, ["pillow", "box"])
    ct = _u(rng, 0.08, 0.14)
    y0 = rail_y + rh / 2
    shape, ops = _cushion(
        rng, cstyle, (0, y0 + ct / 2, (zb + zf) / 2 + 0.03), (xi - 0.01, ct / 2, (zf - zb) / 2 + 0.02)
    )
    d.add("seat cushion", shape, ops=ops)
    bct = _u(rng, 0.08, 0.13)
    h = L * _u(rng, 0.65, 0.85)
    c = base + R @ _v(0, ct + h / 2, bct / 2 + 0.02)
    if cstyle == "pillow":
        shape, ops = _cushion(rng, cstyle, c, (xi - 0.01, bct / 2, h / 2), R @ _rot(X_AXIS, -math.pi / 2))
    else:
        shape, ops = _cushion(rng, cstyle, c, (xi - 0.01, h / 2, bct / 2), R)
    d.add("back cushion", shape, ops=ops)


@register("ArmChair")
def armchair(rng: np.random.Generator) -> ProgramBuilder:
    """Upholstered armchairs (club, track-arm, wingback, tuxedo; legs or plinth) and wooden-framed
    lounge chairs with loose cushions."""
    d = Design("armchair")
    if rng.random() < 0.68:
        _upholstered(d, rng, 1, sofa=False)
    else:
        _lounge_chair(d, rng)
    return d.build()


# ------------------------------------------------------------------------------------- bar chairs


def _round_seat(rng, top: float, r: float, t: float) -> Lathe:
    """A padded round seat as a lathe: flat bottom, rounded rim, slightly domed top."""
    e = min(0.02, t * 0.4)
    prof = [(0, 0), (r - e, 0), (r, e), (r, t - e), (r - e * 1.5, t), (0, t + _u(rng, 0.0, 0.01))]
    return Lathe((0, top - t, 0), prof, [1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1])


@register("BarChair")
def bar_chair(rng: np.random.Generator) -> ProgramBuilder:
    """Bar and counter stools: a pedestal with a foot ring, three or four splayed legs with a ring or
    rails, or a tube frame; round, square or bent seats; no back, a low bent back or a full back."""
    d = Design("bar chair")
    H = _u(rng, 0.6, 0.82)
    base = _pick(rng, ["pedestal", "four legs", "three legs", "frame"], [1, 1.3, 0.6, 0.5])
    seat = _pick(rng, ["round", "square", "bent"], [1.2, 1, 0.6] if base != "frame" else [0, 1, 1])
    back = _pick(rng, ["none", "low", "full", "shell"], [0.45, 0.25, 0.3, 0.25 if base != "frame" else 0.0])
    st = _u(rng, 0.03, 0.08) if back != "shell" else _u(rng, 0.012, 0.025)
    r = _u(rng, 0.17, 0.22)
    half = _u(rng, 0.17, 0.22)
    if back == "shell":
        seat = "square"
    under = H - st if back != "shell" else H - st / 2 - 0.005
    foot_y = _u(rng, 0.22, 0.34)

    if base == "pedestal":
        rb = _u(rng, 0.19, 0.25)
        rc = _u(rng, 0.018, 0.03)
        dome = _u(rng, 0.01, 0.04)
        d.add(
            "base",
            Lathe(
                (0, 0, 0),
                [(0, 0), (rb, 0), (rb, 0.012), (rc * 2.5, 0.012 + dome), (0, 0.015 + dome)],
                [1, 1, 1, 1, 1, 0, 0, 1, 1, 1],
            ),
        )
        sleeve = rng.random() < 0.5
        d.add("column", Cyl((0, 0.01, 0), (0, under - 0.03, 0), rc))
        if sleeve:
            d.add("column cover", Cyl((0, 0.015 + dome, 0), (0, foot_y + 0.08, 0), rc * 1.5))
        fr = _u(rng, 0.15, 0.2)
        tube = _u(rng, 0.009, 0.013)
        d.add("footrest", Ring((0, foot_y, 0), fr, tube))
        spokes = int(rng.choice([3, 4]))
        d.add(
            "footrest support",
            Cyl((0, foot_y, rc), (0, foot_y, fr), tube * 0.8),
            radial=(spokes, (0, foot_y, 0)),
        )
        d.add("seat plate", Cyl((0, under - 0.03, 0), (0, under, 0), rc * 3))
    elif base in ("four legs", "three legs"):
        n = 4 if base == "four legs" else 3
        t = _u(rng, 0.022, 0.035)
        rt = (half if seat != "round" else r) * _u(rng, 0.6, 0.8)
        splay = _u(rng, 0.03, 0.09)
        style = _pick(rng, ["round", "tapered round", "square"])
        angles = (
            [math.pi / 4 + k * math.pi / 2 for k in range(4)]
            if n == 4
            else [k * 2 * math.pi / 3 for k in range(3)]
        )
        dirs = [_v(math.sin(a), 0, math.cos(a)) for a in angles]
        for u in dirs:
            d.add("leg", _leg(style, u * (rt + splay), u * rt + _v(0, under, 0), t))
        s = 1 - foot_y / under
        rf = rt + splay * (1 - s)  # the legs' distance from the axis at the footrest
        if n == 3 or rng.random() < 0.5:
            d.add("footrest", Ring((0, foot_y, 0), rf + t * 0.3, _u(rng, 0.008, 0.012)))
        else:
            for k in range(n):
                a, b = dirs[k] * rf + _v(0, foot_y, 0), dirs[(k + 1) % n] * rf + _v(0, foot_y, 0)
                d.add("stretcher", Cyl(a, b, t * 0.35))
    else:  # a tube frame each side and a front footrest bar
        rtube = _u(rng, 0.01, 0.014)
        x = half - 0.03
        for sx in (-1, 1):
            pts = [
                (sx * x, under - rtube, half - 0.03),
                (sx * x, rtube, half + 0.04),
                (sx * x, rtube, -half - 0.04),
                (sx * x, under - rtube, -half + 0.03),
            ]
            d.add("frame", Sweep(pts, ("circle", rtube), fillet=0.05))
        zf = half + 0.04 - (half + 0.04 - half + 0.03) * foot_y / under
        d.add("footrest", Cyl((-x, foot_y, zf), (x, foot_y, zf), rtube))

    if back == "shell":  # one moulded seat-and-back, laid along the side profile
        tilt = math.radians(_u(rng, 6, 14))
        hb = _u(rng, 0.25, 0.4)
        zb = -half + 0.02
        top = _v(0, H + hb * math.cos(tilt), zb - hb * math.sin(tilt))
        path = [
            (0, H - 0.02, half),
            (0, H, half - 0.08),
            (0, H + 0.01, zb + 0.05),
            (0, H + 0.1, zb - 0.01),
            top,
        ]
        d.add("shell", CurvedPanel(path, 2 * half, st, codes=[1, 1, 0, 0, 0, 0, 0, 0, 1, 1]))
        return d.build()
    if seat == "round":
        d.add("seat", _round_seat(rng, H, r, st))
        edge = r
    else:
        res = [12, 1, 1] if seat == "bent" else None
        ops = [Bevel(_u(rng, 0.2, 0.45), 3)]
        if seat == "bent":
            ops = [Bend(_u(rng, 0.12, 0.3), (0, H, 0), (0.0, 1.0, 0.0, 0.0)), *ops]
        d.add("seat", Box((0, H - st / 2, 0), (half, st / 2, half * _u(rng, 0.9, 1.0)), res=res, ops=ops))
        edge = half
    if back == "none":
        return d.build()
    tilt = math.radians(_u(rng, 5, 15))
    R = _tilt_x(-tilt)
    zb = -edge + 0.02
    bh = _u(rng, 0.08, 0.16) if back == "low" else _u(rng, 0.2, 0.3)
    u_top = _u(rng, 0.2, 0.3) if back == "low" else _u(rng, 0.32, 0.45)
    bw = edge * 2 * _u(rng, 0.85, 1.05)
    centre = _v(0, H, zb) + R @ _v(0, u_top - bh / 2, -0.02)
    for sx in (-1, 1):
        x = sx * bw * 0.3
        a = _v(x, H - st, zb + 0.02)
        b = centre + R @ _v(x, 0, -0.03)
        d.add("back support", _beam(a, b, 0.03, 0.012, up=Z_AXIS))
    frame = _r(_quat(R @ _rot(X_AXIS, math.pi / 2)))
    ops = [Bend(_u(rng, 0.2, 0.45), centre, frame), Bevel(0.2, 2)]
    d.add("backrest", Box(centre, (bw / 2, bh / 2, 0.012), R, res=[16, 1, 1], ops=ops))
    return d.build()


# ---------------------------------------------------------------------------------- office chairs


@register("OfficeChair")
def office_chair(rng: np.random.Generator) -> ProgramBuilder:
    """Swivel office chairs: a five-star base with casters, gas lift, mechanism, padded or board
    seat, bent, framed or padded backrest on a support bar, optional headrest and armrests."""
    d = Design("office chair")
    H = _u(rng, 0.45, 0.54)
    Rb = _u(rng, 0.28, 0.34)
    cr = _u(rng, 0.025, 0.035)
    arm_y = 2 * cr + _u(rng, 0.01, 0.04)
    th = _u(rng, 0.03, 0.045)
    hub_r = _u(rng, 0.035, 0.05)
    d.add(
        "caster",
        Cyl((-0.012, cr, Rb - 0.02), (0.012, cr, Rb - 0.02), cr),
        Cyl((0, cr, Rb - 0.02), (0, arm_y, Rb - 0.02), 0.01),
        radial=(5, (0, 0, 0)),
    )
    if rng.random() < 0.6:
        leg = Trap(
            (0, arm_y + th / 2, hub_r * 0.5),
            (0, arm_y + th * 0.3, Rb),
            (th * 0.8, th * 0.6),
            (th * 1.4, th),
            hint=(1, 0, 0),
        )
    else:
        leg = _beam((0, arm_y + th / 2, hub_r * 0.5), (0, arm_y + th / 2, Rb), th, th)
    d.add("star base", leg, radial=(5, (0, 0, 0)))
    d.add("hub", Cyl((0, arm_y, 0), (0, arm_y + th * 1.6, 0), hub_r))
    seat_t = _u(rng, 0.06, 0.11)
    mech_h = _u(rng, 0.04, 0.07)
    seat_bottom = H - seat_t
    mech_y = seat_bottom - mech_h
    lift_r = _u(rng, 0.014, 0.02)
    d.add("gas lift", Cyl((0, arm_y + th, 0), (0, mech_y + 0.01, 0), lift_r))
    if rng.random() < 0.5:
        d.add(
            "lift cover",
            Cyl((0, arm_y + th * 1.5, 0), (0, arm_y + th + (mech_y - arm_y) * 0.55, 0), lift_r * 1.6),
        )
    W = _u(rng, 0.44, 0.54)
    D = _u(rng, 0.42, 0.5)
    d.add(
        "mechanism",
        Box((0, mech_y + mech_h / 2, 0), (_u(rng, 0.08, 0.13), mech_h / 2, _u(rng, 0.1, 0.15))),
        ops=[Bevel(0.2, 2)],
    )
    if rng.random() < 0.6:  # a padded puck of stacked ellipses
        up = _rot(X_AXIS, -math.pi / 2)
        secs = []
        for y, k in ((0.0, 0.86), (0.25, 1.0), (0.75, 1.0), (1.0, _u(rng, 0.8, 0.92))):
            secs.append(((0, seat_bottom + y * seat_t, 0), (W / 2 * k, D / 2 * k), up))
        d.add("seat", Loft(secs, cuts=3), ops=[Smooth()])
    else:
        d.add(
            "seat",
            Box((0, seat_bottom + seat_t / 2, 0), (W / 2, seat_t / 2, D / 2)),
            ops=[Bevel(_u(rng, 0.3, 0.6), 3), Subsurf(1)],
        )

    # back: support bar, backrest (bent board, framed mesh or padded), headrest
    tilt = math.radians(_u(rng, 5, 15))
    R = _tilt_x(-tilt)
    zb = -D / 2 - _u(rng, 0.0, 0.04)
    b0 = H + _u(rng, 0.05, 0.15)
    bh = _u(rng, 0.38, 0.62)
    bw = W * _u(rng, 0.85, 1.0)
    bt = _u(rng, 0.03, 0.06)
    base = _v(0, b0, zb)
    centre = base + R @ _v(0, bh / 2, 0)
    support = [
        (0, mech_y + mech_h / 2, -0.06),
        (0, mech_y + mech_h / 2, zb - bt),
        base + R @ _v(0, bh * 0.4, -bt),
    ]
    d.add("back support", Sweep(support, ("rect", _u(rng, 0.05, 0.08), 0.015), fillet=0.06))
    kind = _pick(rng, ["bent", "mesh", "padded"])
    if kind == "bent":
        frame = _r(_quat(R @ _rot(X_AXIS, math.pi / 2)))
        ops = [Bend(_u(rng, 0.2, 0.4), centre, frame), Bevel(0.3, 3)]
        d.add("backrest", Box(centre, (bw / 2, bh / 2, bt / 2), R, res=[16, 1, 1], ops=ops))
    elif kind == "mesh":
        rim = _u(rng, 0.015, 0.025)
        corners = [
            centre + R @ _v(sx * bw / 2, sy * bh / 2, 0) for sx, sy in ((1, 1), (-1, 1), (-1, -1), (1, -1))
        ]
        d.add("back frame", Sweep(corners, ("rect", rim * 1.5, rim), closed=True, fillet=_u(rng, 0.04, 0.1)))
        inner = [
            centre + R @ _v(sx * (bw / 2 - rim * 0.7), sy * (bh / 2 - rim * 0.7), 0.003)
            for sx, sy in ((1, 1), (-1, 1), (-1, -1), (1, -1))
        ]
        d.add("back mesh", Panel(_facing(inner, R @ Z_AXIS), 0.006, fillet=0.05))
    else:
        secs = []
        for s_, k in ((-1, 0.85), (-0.7, 1.0), (0.7, 1.0), (1, 0.8)):
            secs.append(
                (
                    centre + R @ _v(0, s_ * bh / 2, 0),
                    (bw / 2 * k, bt / 2 * 1.2 * k),
                    R @ _rot(X_AXIS, -math.pi / 2),
                )
            )
        d.add("backrest", Loft(secs, cuts=4), ops=[Smooth()])
    if bh > 0.5 and rng.random() < 0.5:
        hw, hh = _u(rng, 0.2, 0.3), _u(rng, 0.1, 0.15)
        hc = base + R @ _v(0, bh + 0.05 + hh / 2, 0)
        d.add(
            "headrest stem",
            _beam(
                base + R @ _v(0, bh - 0.05, -bt / 2 - 0.01),
                hc + R @ _v(0, 0, -bt / 2 - 0.01),
                0.04,
                0.012,
                up=Z_AXIS,
            ),
        )
        d.add("headrest", Box(hc, (hw / 2, hh / 2, bt / 2), R), ops=[Bevel(0.4, 3)])

    # armrests
    if rng.random() < 0.65:
        ay = H + _u(rng, 0.18, 0.26)
        ax = W / 2 + _u(rng, 0.01, 0.04)
        loop = rng.random() < 0.4
        for sx in (-1, 1):
            x = sx * ax
            if loop:
                pts = [
                    (sx * W * 0.3, seat_bottom - 0.01, -D * 0.3),
                    (x, seat_bottom - 0.01, -D * 0.3),
                    (x, ay - 0.02, -D * 0.3),
                    (x, ay - 0.02, D * 0.25),
                    (x, seat_bottom + 0.02, D * 0.3),
                ]
                post = Sweep(pts, ("rect", 0.03, 0.02), fillet=0.05)
            else:
                pts = [
                    (sx * W * 0.3, seat_bottom - 0.01, -0.02),
                    (x, seat_bottom - 0.01, -0.02),
                    (x, ay - 0.02, -0.02),
                ]
                post = Sweep(pts, ("rect", 0.05, 0.02), fillet=0.04)
            pad = Box((x, ay, -0.01), (_u(rng, 0.03, 0.045), 0.015, _u(rng, 0.11, 0.15)))
            pad.ops = [Bevel(0.4, 3)]
            d.add("armrest", post, pad)
    return d.build()


# ----------------------------------------------------------------------------------- table pieces


def _handle(d: Design, rng, style: str, c, w: float, vertical: bool = False, array=None) -> None:
    """A handle on a front face at ``c`` (the face's plane), sticking out towards +Z."""
    c = np.asarray(c, float)
    along = Y_AXIS if vertical else X_AXIS
    if style == "knob":
        r = _u(rng, 0.01, 0.018)
        d.add("handle", Sphere(c + _v(0, 0, r * 0.9), (r, r, r * 0.8)), array=array)
    elif style == "bar":
        p, r = _u(rng, 0.02, 0.035), _u(rng, 0.004, 0.007)
        pts = [
            c - along * w / 2,
            c - along * w / 2 + _v(0, 0, p),
            c + along * w / 2 + _v(0, 0, p),
            c + along * w / 2,
        ]
        d.add("handle", Sweep(pts, ("circle", r), fillet=min(0.012, p * 0.6)), array=array)
    else:  # a flat pull
        h = _u(rng, 0.012, 0.025)
        half = (h / 2, w / 2, 0.008) if vertical else (w / 2, h / 2, 0.008)
        d.add("handle", Box(c + _v(0, 0, 0.008), half), array=array)


def _drawers(
    d: Design, rng, x0: float, x1: float, y0: float, y1: float, z: float, n: int, handle: str
) -> None:
    """``n`` equal drawer fronts stacked in the opening [x0, x1] x [y0, y1] of a front at depth z."""
    gap = 0.004
    h = (y1 - y0 - gap * (n + 1)) / n
    t = 0.018
    first = _v((x0 + x1) / 2, y0 + gap + h / 2, z + t / 2)
    step = (0.0, h + gap, 0.0)
    front = Box(first, ((x1 - x0) / 2 - gap, h / 2, t / 2))
    if n == 1 and rng.random() < 0.4:  # (an arrayed front is applied first: a bevel would be in world units)
        front.ops = [Bevel(_u(rng, 0.03, 0.1), 2)]
    w = min(_u(rng, 0.08, 0.16), (x1 - x0) * 0.5)
    if handle == "cutout":  # a finger slot cut into the top edge of every front
        slot = Box(first + _v(0, h / 2, 0), (w / 2, min(0.015, h * 0.25), t))
        front.ops = [*front.ops, Cut(slot)]
        d.add("drawer", front, array=(n, step) if n > 1 else None)
        return
    d.add("drawer", front, array=(n, step) if n > 1 else None)
    hy = first[1] + (h * _u(rng, 0.1, 0.3) if n == 1 else 0.0)
    _handle(d, rng, handle, (first[0], hy, z + t), w, array=(n, step) if n > 1 else None)


def _cabinet(d: Design, rng, x0, x1, y0, y1, z0, z1, t: float, handle: str, kinds: Sequence[str]) -> None:
    """An open-fronted box (sides, bottom, top, back) split into len(kinds) bays: 'open', 'shelf',
    'door' or 'drawers'."""
    zf = z1
    d.add("top", Box(((x0 + x1) / 2, y1 - t / 2, (z0 + z1) / 2), ((x1 - x0) / 2, t / 2, (z1 - z0) / 2)))
    d.add(
        "bottom", Box(((x0 + x1) / 2, y0 + t / 2, (z0 + z1) / 2), ((x1 - x0) / 2 - t, t / 2, (z1 - z0) / 2))
    )
    for x in (x0 + t / 2, x1 - t / 2):
        d.add("side panel", Box((x, (y0 + y1) / 2, (z0 + z1) / 2), (t / 2, (y1 - y0) / 2 - t, (z1 - z0) / 2)))
    back = Box(((x0 + x1) / 2, (y0 + y1) / 2, z0 + 0.005), ((x1 - x0) / 2 - t, (y1 - y0) / 2 - t, 0.005))
    if rng.random() < 0.3:  # a cable hole
        hx, hy = _u(rng, x0 + 0.1, x1 - 0.1), _u(rng, y0 + 0.08, y1 - 0.08)
        back.ops = [Cut(Cyl((hx, hy, z0 - 0.02), (hx, hy, z0 + 0.03), _u(rng, 0.025, 0.04)))]
    d.add("back panel", back)
    n = len(kinds)
    bay = (x1 - x0 - t) / n
    if n > 1:
        div = Box(
            (x0 + t / 2 + bay, (y0 + y1) / 2, (z0 + z1) / 2), (t / 2, (y1 - y0) / 2 - t, (z1 - z0) / 2 - 0.01)
        )
        d.add("divider", div, array=(n - 1, (bay, 0.0, 0.0)) if n > 2 else None)
    iy0, iy1 = y0 + t, y1 - t
    for i, kind in enumerate(kinds):
        bx0, bx1 = x0 + t + i * bay, x0 + (i + 1) * bay
        if kind == "shelf":
            d.add(
                "shelf",
                Box(
                    ((bx0 + bx1) / 2, (iy0 + iy1) / 2, (z0 + z1) / 2),
                    ((bx1 - bx0) / 2, t / 2 * 0.8, (z1 - z0) / 2 - 0.02),
                ),
            )
        elif kind == "door":
            gap = 0.004
            door = Box(
                ((bx0 + bx1) / 2, (iy0 + iy1) / 2, zf + 0.009),
                ((bx1 - bx0) / 2 - gap, (iy1 - iy0) / 2 - gap, 0.009),
            )
            if rng.random() < 0.3:
                door.ops = [Bevel(_u(rng, 0.02, 0.06), 2)]
            hx = bx1 - 0.04 if i % 2 == 0 else bx0 + 0.04
            hw = min(0.12, (iy1 - iy0) * 0.4)
            if handle == "cutout":  # a vertical finger slot near the opening edge
                door.ops = [*door.ops, Cut(Box((hx, (iy0 + iy1) / 2, zf + 0.009), (0.012, hw / 2, 0.02)))]
                d.add("door", door)
                continue
            d.add("door", door)
            _handle(d, rng, handle, (hx, (iy0 + iy1) / 2, zf + 0.018), hw, vertical=True)
        elif kind == "drawers":
            _drawers(d, rng, bx0, bx1, iy0, iy1, zf, int(rng.integers(1, 4)), handle)


TOP_SHAPES = ("rect", "rounded", "round", "oval")


def _top(d: Design, rng, shape: str, y: float, L: float, W: float, t: float, holes=()) -> None:
    """A table top whose upper face is at height ``y``: L along X, W along Z; ``holes`` are
    (x, z, radius) cable grommets cut through it."""
    cuts = [Cut(Cyl((x, y - t - 0.01, z), (x, y + 0.01, z), r)) for x, z, r in holes]
    if shape == "rect":
        bevel = Bevel(_u(rng, 0.01, 0.12), int(rng.integers(2, 5)))  # local: a fraction of L/2 and W/2
        d.add("table top", Box((0, y - t / 2, 0), (L / 2, t / 2, W / 2)), ops=[bevel, *cuts])
    elif shape == "rounded":
        outline = _rounded_rect(0, y, 0, L, L, W)
        d.add("table top", Panel(outline, t, fillet=_u(rng, 0.04, min(L, W) * 0.3)), ops=cuts)
    else:
        top = Cyl((0, y - t, 0), (0, y, 0), L / 2, W / 2 if shape == "oval" else None)
        if rng.random() < 0.5:
            top.ops = [Bevel(_u(rng, 0.1, 0.4), 2)]
        d.add("table top", top, ops=cuts)


def _leg_table(d: Design, rng, L: float, W: float, ytop: float, round_top: bool, opts: dict) -> None:
    """Four (or six) legs under a top, optional apron, stretchers and a lower shelf."""
    style = _pick(rng, [*LEG_STYLES, "splayed"], [1, 1, 1, 0.8, 0.6, 0.8])
    t = _u(rng, *opts.get("leg", (0.035, 0.07)))
    if round_top:
        inset = _u(rng, 0.02, 0.06)
        hx, hz = L / 2 * 0.7071 - inset - t / 2, W / 2 * 0.7071 - inset - t / 2
    else:
        inset = _u(rng, 0.02, min(0.12, W * 0.12))
        hx, hz = L / 2 - inset - t / 2, W / 2 - inset - t / 2
    splay = _u(rng, 0.03, 0.08) * (ytop / 0.75) ** 0.5 if style == "splayed" else 0.0
    leg_style = _pick(rng, ["round", "tapered round", "square"]) if style == "splayed" else style
    xs = [-hx, hx]
    if opts.get("six") and L > 1.8 and not round_top:
        xs.insert(1, 0.0)
    feet = {}
    for x in xs:
        for z in (-hz, hz):
            foot = _v(x + math.copysign(splay, x) * (x != 0), 0, z + math.copysign(splay, z))
            feet[(x, z)] = foot
            d.add("leg", _leg(leg_style, foot, (x, ytop, z), t))

    def at(x, z, y):
        return _lerp(feet[(x, z)], (x, ytop, z), y / ytop)

    if round_top and not splay and rng.random() < opts.get("apron", 0.5):
        if L == W:  # a round apron through the legs (an oval top gets none)
            ah = _u(rng, 0.05, min(0.1, ytop * 0.2))
            d.add("apron", Ring((0, ytop - ah / 2, 0), math.hypot(hx, hz), rect=(0.02, ah)))
    elif not splay and rng.random() < opts.get("apron", 0.5):
        ah = _u(rng, 0.05, min(0.12, ytop * 0.2))
        y = ytop - ah / 2
        at_ = 0.02
        for z in (-hz, hz):
            d.add("apron", _beam((-hx, y, z), (hx, y, z), at_, ah))
        for x in (-hx, hx):
            d.add("apron", _beam((x, y, -hz), (x, y, hz), at_, ah))
    shelf = rng.random() < opts.get("shelf", 0.0)
    if shelf:
        sy = _u(rng, 0.08, min(0.25, ytop * 0.4))
        st = _u(rng, 0.015, 0.03)
        sx, sz = at(hx, hz, sy)[0], at(hx, hz, sy)[2]
        if rng.random() < 0.4 and not round_top:  # slatted shelf
            n = int(rng.integers(4, 9))
            step = 2 * sz / n
            slat = Box((0, sy, -sz + step / 2), (sx, st / 2, step * 0.35))
            d.add("shelf", slat, array=(n, (0.0, 0.0, step)))
        else:
            d.add("shelf", Box((0, sy, 0), (sx + t / 2, st / 2, sz + t / 2)))
    elif rng.random() < opts.get("stretcher", 0.3):
        y = _u(rng, 0.08, 0.2) * ytop / 0.75
        rs = "round" if leg_style in ROUND_STYLES else "square"
        rt = t * 0.5
        kind = _pick(rng, ["H", "box"])
        for x in (-hx, hx):
            d.add("stretcher", _rail(rs, at(x, -hz, y), at(x, hz, y), rt))
        if kind == "H":
            d.add(
                "stretcher",
                _rail(
                    rs,
                    _lerp(at(-hx, -hz, y), at(-hx, hz, y), 0.5),
                    _lerp(at(hx, -hz, y), at(hx, hz, y), 0.5),
                    rt,
                ),
            )
        else:
            for z in (-hz, hz):
                d.add("stretcher", _rail(rs, at(-hx, z, y), at(hx, z, y), rt))


def _pedestal(d: Design, rng, ytop: float, reach: float) -> None:
    """A central column on a round foot, or on three to five radial feet."""
    rc = _u(rng, 0.04, 0.09) * (ytop / 0.75) ** 0.5
    if rng.random() < 0.5:
        rb = reach * _u(rng, 0.55, 0.8)
        prof = [(0, 0), (rb, 0), (rb, 0.02), (rc * 1.6, 0.06), (rc, ytop * 0.35), (rc * 0.9, ytop)]
        d.add("pedestal", Lathe((0, 0, 0), prof, [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1]))
        return
    d.add("column", Cyl((0, 0.0, 0), (0, ytop, 0), rc))
    n = int(rng.choice([3, 4, 4, 5]))
    fl = reach * _u(rng, 0.6, 0.85)
    fh = _u(rng, 0.04, 0.08)
    foot = Trap((0, fh / 2, 0), (0, 0.02, fl), (0.05, 0.03), (0.07, fh), hint=(1, 0, 0))
    d.add("foot", foot, radial=(n, (0, 0, 0)))


def _trestles(d: Design, rng, L: float, W: float, ytop: float) -> None:
    """Two end trestles (post, foot, bearer) joined by a long stretcher."""
    x = L / 2 - _u(rng, 0.12, 0.25)
    pw = _u(rng, 0.05, 0.1)
    fz = W / 2 - _u(rng, 0.03, 0.1)
    fh = _u(rng, 0.04, 0.07)
    for sx in (-1, 1):
        d.add("foot", Box((sx * x, fh / 2, 0), (pw / 2 * 1.2, fh / 2, fz)), ops=[Bevel(0.2, 2)])
        d.add("post", Box((sx * x, ytop / 2, 0), (pw / 2, ytop / 2 - fh, _u(rng, 0.03, 0.08))))
        d.add("bearer", Box((sx * x, ytop - 0.025, 0), (pw / 2, 0.025, fz * 0.9)))
    y = _u(rng, 0.15, 0.45) * ytop
    d.add("stretcher", Box((0, y, 0), (x, 0.04, 0.015)))


def _panel_sides(d: Design, rng, L: float, W: float, ytop: float, back: bool) -> None:
    """Waterfall side panels, optionally a modesty panel between them."""
    t = _u(rng, 0.025, 0.05)
    x = L / 2 - t / 2 - _u(rng, 0.0, 0.04)
    dz = W / 2 - _u(rng, 0.0, 0.04)
    for sx in (-1, 1):
        d.add("side panel", Box((sx * x, ytop / 2, 0), (t / 2, ytop / 2, dz)))
    if back:
        h = _u(rng, 0.2, 0.45) * ytop
        d.add("modesty panel", Box((0, ytop - h / 2, -dz * 0.6), (x - t / 2, h / 2, 0.01)))


def _frames(d: Design, rng, L: float, W: float, ytop: float) -> None:
    """A closed tube frame at each end (sled legs)."""
    r = _u(rng, 0.012, 0.02)
    x = L / 2 - _u(rng, 0.04, 0.12)
    z = W / 2 - _u(rng, 0.03, 0.08)
    prof = ("rect", r * 2, r * 2) if rng.random() < 0.5 else ("circle", r)
    for sx in (-1, 1):
        pts = [(sx * x, ytop - r, z), (sx * x, r, z), (sx * x, r, -z), (sx * x, ytop - r, -z)]
        d.add("frame", Sweep(pts, prof, closed=True, fillet=_u(rng, 0.01, 0.06)))


def _hairpins(d: Design, rng, L: float, W: float, ytop: float) -> None:
    """Four hairpin legs of bent rod."""
    r = _u(rng, 0.005, 0.008)
    x, z = L / 2 - _u(rng, 0.05, 0.1), W / 2 - _u(rng, 0.05, 0.1)
    spread = _u(rng, 0.1, 0.16)
    for sx in (-1, 1):
        for sz in (-1, 1):
            foot = _v(sx * (x + 0.02), r, sz * (z - spread / 2 + 0.02))
            pts = [(sx * x, ytop, sz * z), foot + _v(0, 0, sz * 0.01), (sx * x, ytop, sz * (z - spread))]
            d.add("leg", Sweep(pts, ("circle", r), fillet=0.03))


# ------------------------------------------------------------------------------------------ tables


@register("TableDining")
def table_dining(rng: np.random.Generator) -> ProgramBuilder:
    """Dining tables: rectangular, rounded, round or oval tops on four or six legs (apron, stretchers),
    a pedestal, trestles, waterfall panels or tube frames."""
    d = Design("dining table")
    shape = _pick(rng, TOP_SHAPES, [1.6, 0.7, 0.8, 0.5])
    H = _u(rng, 0.72, 0.77)
    t = _u(rng, 0.025, 0.05)
    if shape == "round":
        L = W = _u(rng, 0.9, 1.3)
    else:
        L = _u(rng, 1.2, 2.2) if shape != "oval" else _u(rng, 1.4, 2.2)
        W = min(_u(rng, 0.75, 1.05), L * 0.75)
    round_top = shape in ("round", "oval")
    ytop = H - t
    if shape == "round":
        support = _pick(rng, ["legs", "pedestal"], [1, 1.2])
    elif shape == "oval":
        support = _pick(rng, ["legs", "trestle"], [1.5, 0.5])
    else:
        support = _pick(rng, ["legs", "trestle", "panels", "frames"], [3, 0.8, 0.6, 0.6])
    if support == "legs":
        _leg_table(
            d, rng, L, W, ytop, round_top, {"six": rng.random() < 0.6, "apron": 0.75, "stretcher": 0.35}
        )
    elif support == "pedestal":
        _pedestal(d, rng, ytop, L / 2)
    elif support == "trestle":
        _trestles(d, rng, L, W, ytop)
    elif support == "panels":
        _panel_sides(d, rng, L, W, ytop, back=False)
    else:
        _frames(d, rng, L, W, ytop)
    _top(d, rng, shape, H, L, W, t)
    return d.build()


@register("TableCocktail")
def table_cocktail(rng: np.random.Generator) -> ProgramBuilder:
    """Coffee tables: low rectangular, rounded, round or oval tops on legs (often with a solid or
    slatted lower shelf), a pedestal, waterfall panels, tube frames or hairpins; some with a drawer."""
    d = Design("coffee table")
    shape = _pick(rng, TOP_SHAPES, [1.5, 0.8, 0.9, 0.6])
    H = _u(rng, 0.35, 0.48)
    t = _u(rng, 0.02, 0.05)
    if shape == "round":
        L = W = _u(rng, 0.6, 1.0)
    else:
        L = _u(rng, 0.8, 1.35)
        W = min(_u(rng, 0.45, 0.75), L * 0.8)
    round_top = shape in ("round", "oval")
    ytop = H - t
    options = ["legs", "pedestal"] if shape == "round" else ["legs", "panels", "frames", "hairpin"]
    support = _pick(rng, options, [2, 1] if shape == "round" else [3, 0.8, 0.7, 0.6])
    if support == "legs":
        _leg_table(
            d,
            rng,
            L,
            W,
            ytop,
            round_top,
            {"leg": (0.03, 0.06), "apron": 0.35, "shelf": 0.45, "stretcher": 0.2},
        )
    elif support == "pedestal":
        _pedestal(d, rng, ytop, L / 2)
    elif support == "panels":
        _panel_sides(d, rng, L, W, ytop, back=False)
        if rng.random() < 0.6:
            sy = _u(rng, 0.06, 0.16)
            d.add("shelf", Box((0, sy, 0), (L / 2 - 0.04, 0.012, W / 2 - 0.05)))
    elif support == "frames":
        _frames(d, rng, L, W, ytop)
        if rng.random() < 0.5:
            d.add("shelf", Box((0, _u(rng, 0.06, 0.14), 0), (L / 2 - 0.1, 0.012, W / 2 - 0.08)))
    else:
        _hairpins(d, rng, L, W, ytop)
    if not round_top and support in ("legs", "panels") and rng.random() < 0.25:
        dh = _u(rng, 0.08, 0.12)
        box = Box((0, ytop - dh / 2, 0), (L * 0.3, dh / 2, W / 2 - 0.08))
        d.add("drawer box", box)
        _drawers(
            d, rng, -L * 0.3, L * 0.3, ytop - dh, ytop, W / 2 - 0.08, 1, _pick(rng, ["knob", "bar", "pull"])
        )
    _top(d, rng, shape, H, L, W, t)
    return d.build()


@register("SidetableDesk")
def sidetable_desk(rng: np.random.Generator) -> ProgramBuilder:
    """Side tables and nightstands: small square or round tops on legs (drawer box, lower shelf), a
    tripod or a pedestal, or a small cabinet with drawers, a door or open bays on legs or a plinth."""
    d = Design("side table")
    H = _u(rng, 0.45, 0.7)
    kind = _pick(rng, ["legs", "cabinet", "tripod", "pedestal"], [1.5, 1.3, 0.5, 0.5])
    t = _u(rng, 0.018, 0.04)
    handle = _pick(rng, ["knob", "bar", "pull", "cutout"], [1, 1, 1, 0.6])
    if kind in ("tripod", "pedestal"):
        R = _u(rng, 0.2, 0.3)
        ytop = H - t
        if kind == "pedestal":
            _pedestal(d, rng, ytop, R)
        else:
            lt = _u(rng, 0.025, 0.04)
            splay = _u(rng, 0.04, 0.1)
            for k in range(3):
                a = 2 * math.pi * k / 3
                u = _v(math.sin(a), 0, math.cos(a))
                d.add(
                    "leg",
                    _leg(
                        _pick(rng, ["round", "tapered round"]),
                        u * (R * 0.55 + splay),
                        u * R * 0.55 + _v(0, ytop, 0),
                        lt,
                    ),
                )
            if rng.random() < 0.5:
                sy = _u(rng, 0.15, 0.3)
                d.add("shelf", Cyl((0, sy - 0.01, 0), (0, sy + 0.01, 0), R * 0.55 + splay * (1 - sy / ytop)))
        _top(d, rng, "round", H, 2 * R, 2 * R, t)
        return d.build()
    L = _u(rng, 0.4, 0.6)
    W = _u(rng, 0.35, 0.5)
    if kind == "legs":
        ytop = H - t
        _leg_table(
            d, rng, L, W, ytop, False, {"leg": (0.025, 0.045), "apron": 0.4, "shelf": 0.5, "stretcher": 0.2}
        )
        if rng.random() < 0.5:
            dh = _u(rng, 0.08, 0.14)
            d.add("drawer box", Box((0, ytop - dh / 2, 0), (L / 2 - 0.05, dh / 2, W / 2 - 0.05)))
            _drawers(d, rng, -L / 2 + 0.06, L / 2 - 0.06, ytop - dh, ytop, W / 2 - 0.05, 1, handle)
        _top(d, rng, _pick(rng, ["rect", "rounded"]), H, L, W, t)
        return d.build()
    # a small cabinet on legs or a plinth
    lift = _pick(rng, ["legs", "plinth"])
    y0 = _u(rng, 0.08, 0.2) if lift == "legs" else _u(rng, 0.03, 0.08)
    ct = _u(rng, 0.015, 0.022)
    if lift == "legs":
        lt = _u(rng, 0.025, 0.04)
        style = _pick(rng, LEG_STYLES)
        for sx in (-1, 1):
            for sz in (-1, 1):
                top = _v(sx * (L / 2 - lt / 2 - 0.01), y0, sz * (W / 2 - lt / 2 - 0.01))
                d.add("leg", _leg(style, top * [1, 0, 1] + _v(sx * 0.01, 0, sz * 0.01), top, lt))
    else:
        d.add("plinth", Box((0, y0 / 2, 0.0), (L / 2 - 0.02, y0 / 2, W / 2 - 0.02)))
    bay = _pick(rng, ["drawers", "door", "open", "shelf"], [2, 1, 0.5, 0.7])
    _cabinet(d, rng, -L / 2, L / 2, y0, H, -W / 2, W / 2, ct, handle, [bay])
    return d.build()


@register("SimpleDesk")
def simple_desk(rng: np.random.Generator) -> ProgramBuilder:
    """Desks: a top on legs, waterfall panels, trestles, tube frames or hairpins; optionally a drawer
    pedestal, a centre drawer, a modesty panel or a lower shelf."""
    d = Design("desk")
    L = _u(rng, 1.0, 1.6)
    W = _u(rng, 0.5, 0.75)
    H = _u(rng, 0.72, 0.77)
    t = _u(rng, 0.02, 0.04)
    ytop = H - t
    handle = _pick(rng, ["knob", "bar", "pull", "cutout"], [1, 1, 1, 0.6])
    pedestal = rng.random() < 0.4
    if pedestal:  # a drawer cabinet carries one end
        cw = _u(rng, 0.35, 0.45)
        side = int(rng.choice([-1, 1]))
        x0, x1 = (L / 2 - cw, L / 2) if side > 0 else (-L / 2, -L / 2 + cw)
        _cabinet(d, rng, x0, x1, 0.0, ytop, -W / 2 + 0.02, W / 2 - 0.02, 0.018, handle, ["drawers"])
        xo = -side * (L / 2 - 0.04)
        style = _pick(rng, ["panel", "legs"])
        if style == "panel":
            d.add("side panel", Box((xo, ytop / 2, 0), (0.02, ytop / 2, W / 2 - 0.02)))
        else:
            lt = _u(rng, 0.04, 0.06)
            ls = _pick(rng, LEG_STYLES)
            for z in (-W / 2 + 0.05, W / 2 - 0.05):
                d.add("leg", _leg(ls, (xo, 0, z), (xo, ytop, z), lt))
        if rng.random() < 0.5:
            d.add(
                "modesty panel",
                Box(
                    ((xo + (x0 if side > 0 else x1)) / 2, ytop - 0.15, -W / 2 + 0.05),
                    (abs(xo - (x0 if side > 0 else x1)) / 2, 0.15, 0.01),
                ),
            )
    else:
        support = _pick(rng, ["legs", "panels", "trestle", "frames", "hairpin"], [2, 1, 0.6, 0.8, 0.6])
        if support == "legs":
            _leg_table(
                d,
                rng,
                L,
                W,
                ytop,
                False,
                {"leg": (0.03, 0.06), "apron": 0.5, "shelf": 0.15, "stretcher": 0.3},
            )
        elif support == "panels":
            _panel_sides(d, rng, L, W, ytop, back=rng.random() < 0.6)
        elif support == "trestle":
            _trestles(d, rng, L, W, ytop)
        elif support == "frames":
            _frames(d, rng, L, W, ytop)
        else:
            _hairpins(d, rng, L, W, ytop)
        if rng.random() < 0.35:
            dh = _u(rng, 0.07, 0.1)
            dw = _u(rng, 0.35, 0.6)
            d.add("drawer box", Box((0, ytop - dh / 2, 0), (dw / 2, dh / 2, W / 2 - 0.06)))
            _drawers(d, rng, -dw / 2, dw / 2, ytop - dh, ytop, W / 2 - 0.06, 1, handle)
    holes = []
    if rng.random() < 0.35:  # cable grommets near the back edge
        r = _u(rng, 0.025, 0.04)
        xs = [_u(rng, 0.15, 0.3) * L] if rng.random() < 0.5 else [-0.35 * L, 0.35 * L]
        holes = [(x, -W / 2 + _u(rng, 0.06, 0.1), r) for x in xs]
    _top(d, rng, _pick(rng, ["rect", "rounded"], [3, 1]), H, L, W, t, holes)
    return d.build()


@register("TVStand")
def tv_stand(rng: np.random.Generator) -> ProgramBuilder:
    """Low media cabinets: two to four bays of doors, drawers, shelves or open space, on legs, a
    plinth or hairpins, with an overhanging or flush top."""
    d = Design("tv stand")
    L = _u(rng, 1.1, 2.0)
    W = _u(rng, 0.35, 0.5)
    H = _u(rng, 0.4, 0.62)
    t = _u(rng, 0.016, 0.025)
    handle = _pick(rng, ["knob", "bar", "pull", "cutout"], [1, 1, 1, 0.6])
    lift = _pick(rng, ["legs", "plinth", "hairpin", "none"], [2, 1, 0.5, 0.5])
    y0 = 0.0
    if lift == "legs":
        y0 = _u(rng, 0.06, 0.2)
        lt = _u(rng, 0.03, 0.05)
        style = _pick(rng, LEG_STYLES)
        splay = _u(rng, 0.0, 0.03) if style != "square" else 0.0
        xs = [-L / 2 + 0.05, L / 2 - 0.05]
        if L > 1.6 and rng.random() < 0.5:
            xs.insert(1, 0.0)
        for x in xs:
            for z in (-W / 2 + 0.05, W / 2 - 0.05):
                foot = _v(x + (math.copysign(splay, x) if x else 0.0), 0, z + math.copysign(splay, z))
                d.add("leg", _leg(style, foot, (x, y0, z), lt))
    elif lift == "plinth":
        y0 = _u(rng, 0.04, 0.1)
        d.add("plinth", Box((0, y0 / 2, 0), (L / 2 - 0.03, y0 / 2, W / 2 - 0.03)))
    elif lift == "hairpin":
        y0 = _u(rng, 0.12, 0.22)
        _hairpins(d, rng, L, W, y0)
    n = int(rng.choice([2, 3, 3, 4])) if L > 1.3 else int(rng.choice([2, 3]))
    bays = [_pick(rng, ["door", "drawers", "open", "shelf"], [1.2, 1, 0.8, 0.8]) for _ in range(n)]
    if rng.random() < 0.4:  # symmetric layouts are common
        bays = [bays[0], *bays[1:-1], bays[0]] if n > 2 else [bays[0], bays[0]]
    _cabinet(d, rng, -L / 2, L / 2, y0, H, -W / 2, W / 2, t, handle, bays)
    if rng.random() < 0.35:  # an overhanging top board
        over = _u(rng, 0.01, 0.04)
        d.parts = [p for p in d.parts if p.label != "top"]
        d.add(
            "top",
            Box((0, H + 0.01, 0), (L / 2 + over, 0.015, W / 2 + over * 0.5)),
            ops=[Bevel(_u(rng, 0.05, 0.2), 2)],
        )
    return d.build()
