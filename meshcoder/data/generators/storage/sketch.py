"""Drawing in metres for the storage and appliance families, and fitting the canonical frame.

Every generator first draws all its random choices (sizes in metres, counts, styles) into a frozen
dataclass, whose ``draw`` method then describes the object with a :class:`Sketch` in design space
(metres, Y up, front towards +Z, X to the right). The description runs once to measure the object's
box, then again in the canonical :class:`Frame` of that box, where the sketch records what writing
does to the numbers (positions and sizes rounded to two decimals, boards thinner than the smallest
writable size thickened or written as solidified sheets, array steps rounded and the copies centred
on the design), until the written program fills its frame (:func:`compose`).

Two rules keep that converging: the object's outer size never depends on a rounded array step
(arrays sit inside parts written one by one), and every sweep records its exact extent.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.geometry import (
    MIN_WRITTEN,
    SHARP,
    quat_from_matrix,
    quat_matrix,
    turn_about,
)

# A profile swept along a sharp-cornered closed path is placed at the corners along the bisector
# without mitre scaling, so its in-plane width shows shrunk by cos(45 degrees) on the straight sides.
MITRE = math.sqrt(0.5)
IDENTITY = np.eye(3)


# ---------------------------------------------------------------------------------------- rotations


# Rotations that turn a primitive's local +Z (cylinder and lathe axis) onto a world axis.
AXIS = {
    "x": turn_about("y", 90),
    "y": turn_about("x", -90),
    "z": IDENTITY,
    "-y": turn_about("x", 90),
}


def box_corners(half: Sequence[float]) -> np.ndarray:
    h = np.asarray(half, dtype=float)
    return np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]) * h


# ------------------------------------------------------------------------------------------ sketch


class Sketch:
    """One pass of a generator: writes calls in the canonical frame and records the design box.

    ``frame=None`` is the measuring pass (identity frame, numbers not rounded). Otherwise the box
    records the geometry as written (positions and sizes rounded to 2 decimals, thin sizes raised to
    the writable minimum). Inside :meth:`posed`, positions and orientations given to the writers are
    in a moving local frame (a door turned open about its hinge).
    """

    def __init__(self, name: str, frame: Frame | None):
        self.probe = frame is None
        self.f = frame if frame is not None else Frame([-0.5] * 3, [0.5] * 3)
        self.b = ProgramBuilder(name)
        self.lo = np.full(3, np.inf)
        self.hi = np.full(3, -np.inf)
        self.R = IDENTITY
        self.t = np.zeros(3)

    # -- frame and pose
    @contextmanager
    def part(self, label: str) -> Iterator[PartWriter]:
        with self.b.part(label) as p:
            yield p

    @contextmanager
    def posed(self, R: np.ndarray, t: Sequence[float]) -> Iterator[None]:
        """Place what is written inside at world = R @ local + t (composed with the current pose)."""
        saved = self.R, self.t
        self.R, self.t = saved[0] @ R, saved[0] @ np.asarray(t, float) + saved[1]
        try:
            yield
        finally:
            self.R, self.t = saved

    def w(self, xyz) -> np.ndarray:
        """A local design point (or N points) in world design space."""
        return np.asarray(xyz, dtype=float) @ self.R.T + self.t

    def P(self, xyz) -> list:
        """A local design point (or a list of points) in canonical coordinates."""
        a = self.w(xyz)
        return self.f.ps(a) if a.ndim == 2 else self.f.p(a)

    def L(self, x):
        """A design length (or several) in canonical units."""
        return self.f.l(x)

    def written(self, x: float) -> float:
        """A design length as it comes back after writing it with 2 decimals (at least 0.01)."""
        if self.probe:
            return x
        return max(round(x * self.f.scale, 2), 0.01) / self.f.scale

    def Lw(self, x: float) -> float:
        """A design length in canonical units as written: 2 decimals, at least 0.01."""
        return round(self.L(self.written(x)), 2)

    def thinnest(self) -> float:
        """The smallest full size (design units) a primitive can be written with (0.02 canonical)."""
        return 4 * MIN_WRITTEN / self.f.scale if not self.probe else 0.01

    def V(self, v) -> list[float]:
        """A local design offset vector in canonical units (turned by the pose)."""
        return self.f.l(self.R @ np.asarray(v, dtype=float))

    def q(self, x):
        """A design length whose canonical value is already rounded to 2 decimals (array steps)."""
        if self.probe:
            return x
        return np.round(np.asarray(x, dtype=float) * self.f.scale, 2) / self.f.scale

    def quat(self, R: np.ndarray = IDENTITY) -> list[float]:
        """The quaternion of local rotation ``R`` turned by the pose."""
        return quat_from_matrix(self.R @ R, normalise=True)

    def fit(self, length: float, step: float) -> tuple[int, float]:
        """How many copies at about ``step`` fit in ``length``, and the written step (at least 0.01
        canonical, rounded) that keeps them inside."""
        if self.probe:
            n = max(1, int(length / step + 1e-9) + 1)
            return n, step
        q = max(0.01, round(step * self.f.scale, 2)) / self.f.scale
        return max(1, int(length / q + 1e-9) + 1), q

    def rounded(self, canonical) -> np.ndarray:
        a = np.asarray(canonical, dtype=float)
        return a if self.probe else np.round(a, 2)

    def half_written(self, half) -> np.ndarray:
        """Canonical half sizes as they will be written (at least 0.01)."""
        h = np.abs(np.asarray(half, dtype=float)) * self.f.scale
        return h if self.probe else np.maximum(np.round(h, 2), 2 * MIN_WRITTEN)

    def grow(self, points, pad=0.0) -> None:
        """Widen the design box to hold local ``points`` padded by ``pad``."""
        pts = self.w(np.asarray(points, dtype=float).reshape(-1, 3))
        self.grow_world(pts - pad, pts + pad)

    def grow_world(self, lo, hi) -> None:
        self.lo = np.minimum(self.lo, np.min(lo, axis=0))
        self.hi = np.maximum(self.hi, np.max(hi, axis=0))

    def _written(self, p: PartWriter, name: str, kind: str, c, half, rot, apply, extra=None) -> np.ndarray:
        """Write one primitive and record it; returns its corners in world design space."""
        loc = self.rounded(self.P(c))
        h = self.half_written(half)
        quat = None if np.allclose(rot, IDENTITY) else quat_from_matrix(rot, normalise=True)
        if quat is not None and not self.probe:
            rot = quat_matrix(quat, written=True)  # the turn as written
        args = {
            "name": name,
            "primitive_type": kind,
            "location": loc,
            "scale": h,
            "rotation": quat,
        }
        if apply:
            args["apply"] = True
        args.update(extra or {})
        p.call("create_primitive", **args)
        if kind == "cube" or kind == "grid":
            corners = loc + box_corners(h) @ rot.T
        else:  # round solids: their extent along each world axis, whatever the turn
            if kind == "uv_sphere":
                pad = np.sqrt(((rot * h) ** 2).sum(axis=1))
            else:  # cylinder or cone: axis local Z, elliptic section
                pad = np.abs(rot[:, 2]) * h[2] + np.sqrt((rot[:, 0] * h[0]) ** 2 + (rot[:, 1] * h[1]) ** 2)
            corners = loc + box_corners(pad)
        return corners / self.f.scale + self.f.centre

    # -- writers (each records its box and returns its corners in world design space)
    def cube(
        self,
        p: PartWriter,
        name: str,
        c,
        half,
        R: np.ndarray = IDENTITY,
        apply: bool = False,
        bevel: float | None = None,
        segments: int = 3,
        grow: bool = True,
    ) -> np.ndarray:
        """A box of half sizes ``half`` centred at ``c``; ``bevel`` is a local width (unit cube) or,
        with ``apply``, a design length.

        A board too thin to write as a cube (its thin half under 0.0075 would be rounded to 0.01) is
        written as a grid solidified to its thickness (4 decimals) instead; both have their rotation
        and scale applied when ``apply``, so arrays see the same local space.
        """
        hc = np.abs(np.asarray(half, dtype=float)) * self.f.scale
        thin = int(np.argmin(hc))
        if not self.probe and not bevel and hc[thin] < 0.0075 and np.sort(hc)[1] >= 0.015:
            pts = self._sheet(p, name, c, half, thin, self.R @ R)
            if grow:
                self.grow_world(pts, pts)
            return pts
        pts = self._written(p, name, "cube", c, half, self.R @ R, apply)
        if bevel:
            width = max(round(self.L(bevel), 2), 0.01) if apply else bevel
            p.call("bevel", name=name, width=width, segments=segments)
        if grow:
            self.grow_world(pts, pts)
        return pts

    def _sheet(self, p: PartWriter, name: str, c, half, thin: int, rot: np.ndarray) -> np.ndarray:
        """A thin box as a one-cell grid turned so its normal is the thin axis, solidified both ways."""
        turn = {0: AXIS["x"], 1: AXIS["y"], 2: IDENTITY}[thin]
        # The grid's local X and Y are the box's other two axes in turned order.
        axes = np.abs(turn.T @ np.abs(np.asarray(half, float)))
        h = np.abs(np.asarray(half, dtype=float)) * self.f.scale
        sizes = np.maximum(np.round(axes[:2] * self.f.scale, 2), 2 * MIN_WRITTEN)
        loc = self.rounded(self.P(c))
        full = rot @ turn
        p.call(
            "create_primitive",
            name=name,
            primitive_type="grid",
            location=loc,
            scale=[sizes[0], sizes[1], 1.0],
            rotation=None if np.allclose(full, IDENTITY) else quat_from_matrix(full, normalise=True),
            x_subdivisions=1,
            y_subdivisions=1,
        )
        p.call("solidify", name=name, thickness=round(2 * h[thin], 4), offset=0)
        local = np.array([sizes[0], sizes[1], h[thin]])
        return (loc + box_corners(local) @ full.T) / self.f.scale + self.f.centre

    def rod(self, p: PartWriter, name: str, a, b, radius: float, number: int | None = None) -> np.ndarray:
        """A thin round bar from ``a`` to ``b``: a circle swept along a straight path, ends capped."""
        prof = circle_profile(self, p, radius, number)
        pts = np.array([a, b], dtype=float)
        p.call(
            "create_curve",
            name=name,
            profile_name=prof,
            control_points=self.P(pts),
            handle_type=[SHARP] * 4,
            fill_caps="both",
        )
        world = self.w(pts)
        d = (world[1] - world[0]) / max(np.linalg.norm(world[1] - world[0]), 1e-12)
        pad = radius * np.sqrt(np.clip(1.0 - d**2, 0.0, 1.0))
        self.grow_world(world - pad, world + pad)
        return np.concatenate([world - pad, world + pad])

    def box(self, p: PartWriter, name: str, lo, hi, **kw) -> np.ndarray:
        """A box between corners ``lo`` and ``hi`` (local design space)."""
        lo, hi = np.asarray(lo, float), np.asarray(hi, float)
        return self.cube(p, name, (lo + hi) / 2, (hi - lo) / 2, **kw)

    def cylinder(
        self,
        p: PartWriter,
        name: str,
        c,
        radius,
        half_length: float,
        axis: str = "z",
        kind: str = "cylinder",
        apply: bool = False,
        vertices: int | None = None,
        R: np.ndarray = IDENTITY,
        grow: bool = True,
    ) -> np.ndarray:
        """A cylinder (or cone) of ``radius`` (one value or (rx, ry)) along ``axis`` of the local
        frame turned by ``R``."""
        rx, ry = (radius, radius) if np.isscalar(radius) else radius
        extra = {"use_minimum_face": False, "resolution": [vertices, 1]} if vertices else None
        rot = self.R @ R @ AXIS[axis]
        pts = self._written(p, name, kind, c, [rx, ry, half_length], rot, apply, extra)
        if grow:
            self.grow_world(pts, pts)
        return pts

    def sphere(self, p: PartWriter, name: str, c, radii, apply: bool = False) -> np.ndarray:
        radii = [radii] * 3 if np.isscalar(radii) else radii
        pts = self._written(p, name, "uv_sphere", c, radii, self.R, apply)
        self.grow_world(pts, pts)
        return pts

    def array(
        self,
        p: PartWriter,
        name: str,
        unit: np.ndarray,
        steps: Sequence[tuple[int, Sequence]],
        turned: np.ndarray | None = None,
    ):
        """Repeat ``name`` ``count`` times by each local step; steps should come from :meth:`q` so the
        copies land where the design put them. An array works in the object's own axes: ``turned`` is
        the world rotation the object still carries (None when its rotation is applied). Grows the
        box by the last copies of ``unit`` (world design corner points, as the writers return them)."""
        steps = [(int(n), np.asarray(v, float)) for n, v in steps if int(n) > 1]
        if not steps:
            return
        into = IDENTITY if turned is None else np.asarray(turned).T

        def offset(v):
            return self.f.l(into @ self.R @ v)

        args: dict = {"name": name}
        if len(steps) == 1:
            args.update(count=steps[0][0], constant_offset=offset(steps[0][1]))
            function = "array_1d"
        else:
            function = f"array_{len(steps)}d"
            for k, (n, v) in enumerate(steps, start=1):
                args[f"count_{k}"] = n
                args[f"constant_offset_{k}"] = offset(v)
        p.call(function, **args)
        for corner in np.ndindex(*([2] * len(steps))):
            shift = sum((n - 1) * (self.R @ v) * c for (n, v), c in zip(steps, corner, strict=True))
            self.grow_world(unit + shift, unit + shift)


def compose(name: str, draw: Callable[[Sketch], None]) -> ProgramBuilder:
    """Measure ``draw``, then redraw it in canonical frames until the written program (numbers
    rounded) fills its frame: longest side 1 and centred, both within 0.006 (the contract allows 0.02).

    Rounding makes the written box jump as the frame moves, so after a few fixed-point steps (frame
    of the last written box) nearby frames are tried too, slightly scaled and shifted; the best
    program found is kept.
    """
    sketch = Sketch(name, None)
    draw(sketch)
    lo, hi = sketch.lo, sketch.hi
    best = None

    def attempt(frame: Frame):
        nonlocal best
        trial = Sketch(name, frame)
        draw(trial)
        clo, chi = np.asarray(frame.p(trial.lo)), np.asarray(frame.p(trial.hi))
        error = max(abs((chi - clo).max() - 1.0), np.abs((clo + chi) / 2).max())
        if best is None or error < best[0]:
            best = (error, trial.b, frame)
        return trial

    for _ in range(3):
        trial = attempt(Frame(lo, hi))
        if best[0] < 0.006:
            return best[1]
        lo, hi = trial.lo, trial.hi
    base = best[2]
    size = 1.0 / base.scale
    for k in range(1, 13):
        m = 1.0 + 0.002 * (k // 2) * (1 if k % 2 else -1)
        shift = np.array([(k * 7919 % 5) - 2, (k * 104729 % 5) - 2, (k * 1299709 % 5) - 2]) * 0.0015 * size
        centre = base.centre + shift
        attempt(Frame(centre - size * m / 2, centre + size * m / 2))
        if best[0] < 0.006:
            break
    return best[1]


# ----------------------------------------------------------------------------- shared small parts


def circle_profile(s: Sketch, p: PartWriter, radius: float, number: int | None = None) -> str:
    """A circle section of design ``radius`` for a sweep. Thin ones are written ten times larger and
    scaled by 0.1 (a sweep applies its profile's scale), so two decimals still hold their size."""
    name = p.helper("circle", *([number] if number else []))
    r = s.L(radius)
    if r < 0.05:
        p.call("create_circle", name=name, radius=r * 10, scale=[0.1, 0.1, 1.0])
    else:
        p.call("create_circle", name=name, radius=r)
    return name


def grow_tube(
    s: Sketch, path, binormal, half_in: float, half_out: float | None = None, dense: int = 8
) -> None:
    """Grow the box by a tube swept along the planar polyline ``path`` (local design points): its
    cross-section spans ``half_in`` along the in-plane normal and ``half_out`` along ``binormal``
    (the plane's normal); the end caps lie across the path as a sweep leaves them."""
    path = np.asarray(path, float)
    half_out = half_in if half_out is None else half_out
    samples = [path[0]]
    for a, b in itertools.pairwise(path):
        samples += [a + (b - a) * k / dense for k in range(1, dense + 1)]
    samples = np.array(samples)
    tangents = np.gradient(samples, axis=0)
    tangents /= np.maximum(np.linalg.norm(tangents, axis=1, keepdims=True), 1e-12)
    bn = np.asarray(binormal, float) / np.linalg.norm(binormal)
    normals = np.cross(bn, tangents)
    normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    pad = np.sqrt((half_in * normals) ** 2 + (half_out * bn) ** 2)
    world = s.w(samples)
    pad = np.abs(pad @ s.R.T) if not np.allclose(s.R, IDENTITY) else pad
    s.grow_world(world - pad, world + pad)
