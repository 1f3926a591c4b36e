"""Drawing storage furniture and appliances in metres, on the design layer (:mod:`~..design`).

Every generator of these families first draws all its random choices (sizes in metres, counts, styles)
into a frozen dataclass, whose ``draw`` method describes the object with a :class:`Sketch` in design
space (metres, Y up, front towards +Z, X to the right): parts (``with s.part(label) as p``) written by
the writers below, some inside a pose (a door turned open about its hinge).

The parts of these objects share much (poses, board arrays whose steps are written rounded, thin boards
written as solidified sheets), so a sketch draws the whole object for one :class:`~..design.Written`
view at a time: it writes the calls in that view's frame and records, part by part, the bounding points
of what the calls build from the numbers as written (the design layer's one rounding rule).
:func:`design` makes of it a :class:`~..design.Design` with one part per sketch part, whose frame the
design layer fits. A whole part one of the design layer's drawing calls writes (a leg, a knob, a
finial) is drawn by that call (:meth:`Sketch.add`).

Two rules keep the fit converging: the object's outer size never depends on a rounded array step
(arrays sit inside parts written one by one), and every sweep records its exact extent.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.generators.design import Design, Written, size
from meshcoder.data.generators.geometry import (
    SHARP,
    quat_from_matrix,
    quat_matrix,
    turn_about,
)
from meshcoder.shapes.program import ARGUMENT_DECIMALS

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
    """The whole object drawn for one :class:`~..design.Written` view: the calls written in the view's
    frame, and each part's bounding points (world design space, metres) from the numbers as written.

    Inside :meth:`posed`, positions and orientations given to the writers are in a moving local frame
    (a door turned open about its hinge).
    """

    def __init__(self, name: str, view: Written):
        self.view = view
        self.f = view.canonical
        self.b = ProgramBuilder(name)
        self.parts: list[tuple[PartWriter, list[np.ndarray]]] = []
        self._points: list[np.ndarray] | None = None
        self.R = IDENTITY
        self.t = np.zeros(3)

    # -- parts and pose
    @contextmanager
    def part(self, label: str) -> Iterator[PartWriter]:
        """A part of the object: what the writers inside write and record belongs to it."""
        points: list[np.ndarray] = []
        with self.b.part(label) as p:
            self._points = points
            try:
                yield p
            finally:
                self._points = None
        self.parts.append((p, points))

    def bounds(self, index: int) -> np.ndarray:
        """The bounding points (world design space) recorded for part ``index`` (0-based)."""
        points = self.parts[index][1]
        return np.concatenate(points).reshape(-1, 3) if points else np.zeros((0, 3))

    def write(self, index: int, p: PartWriter) -> None:
        """Write part ``index``'s calls, as this sketch wrote them, into the design's part ``p``."""
        done = self.parts[index][0]
        if (done.index, done.label) != (p.index, p.label):
            raise RuntimeError(
                f"{self.b.object_name}: part {p.index} ({p.label!r}) was drawn as {done.index} "
                f"({done.label!r}); a frame must not change which parts are drawn"
            )
        p.lines.extend(done.lines)

    @contextmanager
    def posed(self, R: np.ndarray, t: Sequence[float]) -> Iterator[None]:
        """Place what is written inside at world = R @ local + t (composed with the current pose)."""
        saved = self.R, self.t
        self.R, self.t = saved[0] @ R, saved[0] @ np.asarray(t, float) + saved[1]
        try:
            yield
        finally:
            self.R, self.t = saved

    # -- design space to the written program
    def w(self, xyz) -> np.ndarray:
        """A local design point (or N points) in world design space."""
        return np.asarray(xyz, dtype=float) @ self.R.T + self.t

    def P(self, xyz) -> list:
        """A local design point (or a list of points) in canonical coordinates."""
        a = self.w(xyz)
        return self.f.ps(a) if a.ndim == 2 else self.f.p(a)

    def at(self, xyz) -> list[float]:
        """A local design point as a written location (canonical)."""
        return self.f.p(self.view.p(self.w(xyz)))

    def L(self, x):
        """A design length (or several) in canonical units."""
        return self.f.l(x)

    def V(self, v) -> list[float]:
        """A local design offset vector as written (canonical, turned by the pose)."""
        return [self.f.l(self.view.l(c)) for c in self.R @ np.asarray(v, dtype=float)]

    def written(self, x: float) -> float:
        """A design size (half extent, radius) as it comes back after writing it."""
        return self.view.size(x)

    def Lw(self, x: float) -> float:
        """A design size as written, in canonical units."""
        return size(self.f, x)

    def half_written(self, half) -> list[float]:
        """Canonical half sizes as they are written."""
        return [size(self.f, abs(float(h))) for h in half]

    def thinnest(self) -> float:
        """The smallest full size (design units) a primitive can be written with (none unfitted)."""
        return 2 * self.view.size(0.0)

    def q(self, x: float) -> float:
        """A design length as written (array steps: the copies land where the written step puts them)."""
        return self.view.l(x)

    def quat(self, R: np.ndarray = IDENTITY) -> list[float]:
        """The quaternion of local rotation ``R`` turned by the pose."""
        return quat_from_matrix(self.R @ R, normalise=True)

    def fit(self, length: float, step: float) -> tuple[int, float]:
        """How many copies at about ``step`` fit in ``length``, and the step as written that keeps them
        inside."""
        q = self.view.size(step)
        return max(1, int(length / q + 1e-9) + 1), q

    def add(self, call: Callable[..., None], label: str, *args, **kwargs) -> np.ndarray:
        """A whole part drawn by one of the design layer's drawing calls (:func:`~..design.primitive`
        and the others) in world design space: written in this sketch's frame, bounded by the call's
        own points, which it returns. Not inside a pose: those calls know none."""
        if not np.array_equal(self.R, IDENTITY) or self.t.any():
            raise ValueError(f"{label}: the design layer's drawing calls take world positions, not a pose")
        single = Design(self.b.object_name)
        call(single, label, *args, **kwargs)
        (part,) = single.parts
        with self.part(part.label) as p:
            part.write(p, self.f)
            pts = np.asarray(part.bounds(self.view), dtype=float).reshape(-1, 3)
            self.grow_world(pts, pts)
        return pts

    # -- the bounding points of each part
    def grow(self, points, pad=0.0) -> None:
        """Bound the current part by local ``points`` padded by ``pad``."""
        pts = self.w(np.asarray(points, dtype=float).reshape(-1, 3))
        self.grow_world(pts - pad, pts + pad)

    def grow_world(self, lo, hi) -> None:
        """Bound the current part by world points ``lo`` and ``hi``."""
        if self._points is None:
            raise RuntimeError("a sketch records bounding points inside a part only")
        self._points += [np.asarray(lo, float).reshape(-1, 3), np.asarray(hi, float).reshape(-1, 3)]

    # -- writers (each records its points in the current part and returns them, world design space)
    def _written(self, p: PartWriter, name: str, kind: str, c, half, rot, apply, extra=None) -> np.ndarray:
        """Write one primitive; returns its corners as written, in world design space."""
        centre = self.view.p(self.w(c))
        half_m = np.array([self.view.size(abs(float(h))) for h in half])
        quat = None if np.allclose(rot, IDENTITY) else quat_from_matrix(rot, normalise=True)
        if quat is not None and self.view.frame is not None:
            rot = quat_matrix(quat, written=True)  # the turn as written
        args = {
            "name": name,
            "primitive_type": kind,
            "location": self.f.p(centre),
            "scale": self.half_written(half),
            "rotation": quat,
        }
        if apply:
            args["apply"] = True
        args.update(extra or {})
        p.call("create_primitive", **args)
        if kind == "cube" or kind == "grid":
            return centre + box_corners(half_m) @ rot.T
        if kind == "uv_sphere":  # round solids: their extent along each world axis, whatever the turn
            pad = np.sqrt(((rot * half_m) ** 2).sum(axis=1))
        else:  # cylinder or cone: axis local Z, elliptic section
            pad = np.abs(rot[:, 2]) * half_m[2] + np.sqrt(
                (rot[:, 0] * half_m[0]) ** 2 + (rot[:, 1] * half_m[1]) ** 2
            )
        return centre + box_corners(pad)

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
        fitted = self.view.frame is not None
        if fitted and not bevel and hc[thin] < 0.0075 and np.sort(hc)[1] >= 0.015:
            pts = self._sheet(p, name, c, half, thin, self.R @ R)
        else:
            pts = self._written(p, name, "cube", c, half, self.R @ R, apply)
            if bevel:
                width = size(self.f, bevel) if apply else bevel
                p.call("bevel", name=name, width=width, segments=segments)
        if grow:
            self.grow_world(pts, pts)
        return pts

    def _sheet(self, p: PartWriter, name: str, c, half, thin: int, rot: np.ndarray) -> np.ndarray:
        """A thin box as a one-cell grid turned so its normal is the thin axis, solidified both ways."""
        turn = {0: AXIS["x"], 1: AXIS["y"], 2: IDENTITY}[thin]
        half = np.abs(np.asarray(half, dtype=float))
        # The grid's local X and Y are the box's other two axes in turned order.
        axes = np.abs(turn.T @ half)
        thick = self.view.l(2 * half[thin], ARGUMENT_DECIMALS["thickness"])
        centre = self.view.p(self.w(c))
        full = rot @ turn
        p.call(
            "create_primitive",
            name=name,
            primitive_type="grid",
            location=self.f.p(centre),
            scale=[*self.half_written(axes[:2]), 1.0],
            rotation=None if np.allclose(full, IDENTITY) else quat_from_matrix(full, normalise=True),
            x_subdivisions=1,
            y_subdivisions=1,
        )
        p.call("solidify", name=name, thickness=self.f.l(thick), offset=0)
        local = np.array([self.view.size(axes[0]), self.view.size(axes[1]), thick / 2])
        return centre + box_corners(local) @ full.T

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

    def rectangle_sweep(
        self,
        p: PartWriter,
        centre,
        width: float,
        length: float,
        across: float,
        out: float,
        turn: np.ndarray = IDENTITY,
        mitred: bool = True,
        **extra,
    ) -> np.ndarray:
        """The part's object as a rectangle path (``width`` x ``length`` between the section's centre
        lines, in the local XY plane turned by ``turn``) swept with a rectangle section ``across`` wide
        in that plane and ``out`` deep out of it: frames, bezels. With sharp corners (``mitred``) the
        section is written ``1 / MITRE`` wider, as it shows that much narrower on the straight sides.
        ``extra`` arguments go to the path (corner bevels)."""
        view = self.view
        prof = p.helper("rectangle")
        section = across / MITRE if mitred else across
        p.call("create_rectangle", name=prof, width=self.Lw(section), length=self.Lw(out))
        rot = self.R @ turn
        p.call(
            "create_rectangle",
            name=p.obj,
            profile_name=prof,
            width=self.L(width),
            length=self.L(length),
            location=self.at(centre),
            rotation=None if np.allclose(rot, IDENTITY) else quat_from_matrix(rot, normalise=True),
            **extra,
        )
        shown = view.size(section) * (MITRE if mitred else 1.0)
        half = np.array([view.l(width) + shown, view.l(length) + shown, view.size(out)]) / 2
        pts = view.p(self.w(centre)) + box_corners(half) @ rot.T
        self.grow_world(pts, pts)
        return pts

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
        the world rotation the object still carries (None when its rotation is applied). Bounds the
        part by the last copies of ``unit`` (world design points, as the writers return them)."""
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


def design(name: str, draw: Callable[[Sketch], None]) -> Design:
    """The object ``draw`` describes, as a design: one part per sketch part, bounded by the points the
    sketch of the view asked for records and written as the sketch in the fitted frame writes it. Each
    view's sketch is drawn once."""
    sketches: dict[tuple, Sketch] = {}

    def drawn(view: Written) -> Sketch:
        f = view.frame
        key = () if f is None else (f.scale, *f.centre)
        if key not in sketches:
            sketches[key] = sketch = Sketch(name, view)
            draw(sketch)
        return sketches[key]

    d = Design(name)
    for i, (part, _) in enumerate(drawn(Written()).parts):
        d.add(
            part.label,
            lambda view, i=i: drawn(view).bounds(i),
            lambda p, f, i=i: drawn(Written(f)).write(i, p),
        )
    return d


def compose(name: str, draw: Callable[[Sketch], None]) -> ProgramBuilder:
    """The program of the object ``draw`` describes, in the frame the design layer fits to it."""
    return design(name, draw).builder()


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


def profile_radius(s: Sketch, radius: float) -> float:
    """The radius (metres) a :func:`circle_profile` of design ``radius`` is written with."""
    if s.L(radius) < 0.05:
        return s.view.l(radius * 10) / 10
    return s.view.l(radius)


def grow_tube(
    s: Sketch, path, binormal, half_in: float, half_out: float | None = None, dense: int = 8
) -> np.ndarray:
    """Bound the current part by a tube swept along the planar polyline ``path`` (local design points): its
    cross-section spans ``half_in`` along the in-plane normal and ``half_out`` along ``binormal``
    (the plane's normal); the end caps lie across the path as a sweep leaves them. Returns the points
    (world design space)."""
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
    return np.concatenate([world - pad, world + pad])
