"""The design layer of the generators: an object drawn in metres, written in its canonical frame.

A generator draws its object in metres (Y up, X to the right, front towards +Z) as a :class:`Design` of
parts. Each part says which points bound it and how it writes its calls once the frame is known. The
canonical frame (centred, longest side 1) must hold the program *as written*: numbers are rounded (two
decimals; :data:`~meshcoder.shapes.program.ARGUMENT_DECIMALS` for the exceptions), and where a rounded
number sets the object's extent, the box moves with it. So a part's bounds are a function of a
:class:`Written` view, which gives lengths and positions as the program will read them back in a given
frame, and :meth:`Design.frame` fits the frame to the box of the written program:

* one rounding rule: numbers are rounded in canonical units as the program text rounds them
  (:func:`written`; :meth:`Written.l`, :meth:`Written.p`, :meth:`Written.round`), and sizes never go
  below :data:`~.geometry.MIN_SIZE` (:func:`size`, :meth:`Written.sizes`);
* one way to predict the box: the bounding points of every part, from the same numbers it writes
  (:mod:`.library_model` predicts what a library call builds from its arguments; the seating shapes
  predict theirs in canonical units and hand back metres with :meth:`Written.metres`);
* one error measure, :func:`frame_error` (the longest side's distance from 1 and each axis's faces'
  distance from +-0.5), and one tolerance, :data:`TOLERANCE` (a fifth of the rounding step);
* one fit, :meth:`Design.frame`. Fixed-point passes first: the first frame from the unrounded design,
  each next one from the written box the previous one gives (at most :data:`FIT_PASSES`, fewer when
  the boxes come round again); designs whose rounded numbers do not set the box end at the first.
  When none is within the tolerance, :data:`SEARCH_FRAMES` frames near the best pass are tried
  (:func:`nearby`: the scale in steps of :data:`SEARCH_STEP`, 1, -1, 2, -2... and the centre along the
  diagonal in steps of the same fraction of the size), since every nudge rounds the numbers afresh;
  the nearest frame is kept. Rounding to two decimals leaves the written box up to about 0.01 off at
  worst (an extent of an odd number of hundredths cannot be centred); the generator check allows 0.02.

The drawing calls every family can use (primitives, lathes, rings, sweeps) are here too; a category
module says what its object is made of through them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.geometry import (
    MIN_SIZE,
    NO_TURN,
    UP,
    arc_through,
    bezier_polyline,
    handle_codes,
)
from meshcoder.data.generators.library_model import (
    LATHE_OUTSIDE,
    arc_control_points,
    primitive_points,
    ring_points,
    shell_offset,
)

#: Decimals a program writes a number with (the arguments in ARGUMENT_DECIMALS excepted).
DECIMALS = 2
#: How near the written program's box must come to the canonical box for the fit to stop
#: (:func:`frame_error`): a fifth of the two-decimal rounding step. Tighter costs time for nothing a
#: program can show: at 1e-6 the fit nearly always ran every pass and search frame (generation 2.2x
#: slower over the 41 categories, 23.5 against 13.4 ms a program) for a mean error of 0.0010 against
#: 0.0012 (``experiments/README.md``, "Generators").
TOLERANCE = 0.002
#: Fixed-point passes of the fit at most.
FIT_PASSES = 8
#: Frames searched near the best pass when the passes miss :data:`TOLERANCE`.
SEARCH_FRAMES = 16
#: The relative step of the search (scale, and centre as a fraction of the size).
SEARCH_STEP = 0.001
#: Profile segments per Bezier span written for lathes (and used to predict their extent).
PROFILE_RESOLUTION = 8


class Written:
    """Design lengths and positions as a program written in ``frame`` reads them back: rounded to
    :data:`DECIMALS` in canonical units, then mapped back to metres. Without a frame (the first pass
    of a fit) nothing is rounded.

    Parts that predict their extent in canonical units (the seating shapes) use :attr:`canonical`,
    :meth:`round` and :meth:`sizes`, then :meth:`metres` for the box."""

    def __init__(self, frame: Frame | None = None):
        self.frame = frame

    @property
    def canonical(self) -> Frame:
        """The frame numbers are written in: the fitted one, or before the first frame the identity
        (canonical units are metres)."""
        return self.frame if self.frame is not None else IDENTITY

    def round(self, x, decimals: int = DECIMALS) -> np.ndarray:
        """Canonical numbers as written (:func:`written`); unchanged before the first frame."""
        if self.frame is None:
            return np.asarray(x, dtype=float) + 0.0
        return written(x, decimals)

    def sizes(self, length) -> np.ndarray:
        """Design sizes (half extents, radii) in canonical units as written: never below
        :data:`~.geometry.MIN_SIZE`, rounded."""
        return self.round(np.maximum(np.asarray(self.canonical.l(length), dtype=float), MIN_SIZE))

    def metres(self, points) -> np.ndarray:
        """Canonical points back in metres."""
        f = self.canonical
        return np.asarray(points, dtype=float) / f.scale + f.centre

    def l(self, length: float, decimals: int = DECIMALS) -> float:  # noqa: E743 (mirrors Frame.l)
        """A design length as written."""
        if self.frame is None:
            return float(length)
        return round(float(length) * self.frame.scale, decimals) / self.frame.scale

    def p(self, xyz: Sequence[float]) -> np.ndarray:
        """A design position as written."""
        xyz = np.asarray(xyz, dtype=float)
        if self.frame is None:
            return xyz
        f = self.frame
        return written((xyz - f.centre) * f.scale) / f.scale + f.centre

    def size(self, length: float) -> float:
        """A design size (half extent, radius) as :func:`size` writes it."""
        if self.frame is None:
            return float(length)
        return size(self.frame, length) / self.frame.scale

    def canon(self, value: float) -> float:
        """The design length of a length given in canonical units (0 before the first frame)."""
        return 0.0 if self.frame is None else float(value) / self.frame.scale


#: The frame of an object drawn in canonical units already (centre at the origin, scale 1).
IDENTITY = Frame([-0.5] * 3, [0.5] * 3)


def written(x, decimals: int = DECIMALS) -> np.ndarray:
    """Canonical numbers (a number or an array) rounded as a program writes them: Python's ``round``,
    as :func:`~meshcoder.shapes.program.format_number` does (``np.round`` differs near halves)."""
    a = np.asarray(x, dtype=float)
    return np.array([round(v, decimals) for v in a.ravel().tolist()]).reshape(a.shape) + 0.0


def size(f: Frame, length: float) -> float:
    """A design size written in frame ``f``: canonical, never below :data:`MIN_SIZE`, rounded."""
    return round(max(f.l(length), MIN_SIZE), DECIMALS)


def nearby(frame: Frame, k: int) -> Frame:
    """The ``k``-th frame (k >= 1) the fit searches around ``frame``: its scale nudged by
    ``1 + SEARCH_STEP * m`` and its centre moved along the diagonal by ``SEARCH_STEP * n`` of the
    object's size, with m = 1, -1, 2, -2, ... and n cycling 1, -1, 2, -2, 0 (scaled about a fixed
    centre, the numbers near it would round the same every time, so the centre moves too)."""
    m = (k + 1) // 2 * (1 if k % 2 else -1)
    n = (1, -1, 2, -2, 0)[(k - 1) % 5]
    size = 1.0 / frame.scale
    centre = frame.centre + SEARCH_STEP * n * size
    half = 0.5 * size * (1 + SEARCH_STEP * m)
    return Frame(centre - half, centre + half)


def frame_error(frame: Frame, lo: Sequence[float], hi: Sequence[float]) -> float:
    """How far the box ``[lo, hi]`` (metres) is, in ``frame``, from the canonical box: its longest side
    from 1, and on each axis its two faces from +-0.5 (``|lo + hi|``, twice the centre's offset)."""
    c_lo, c_hi = np.asarray(frame.p(lo)), np.asarray(frame.p(hi))
    return max(abs(float((c_hi - c_lo).max()) - 1.0), float(np.abs(c_lo + c_hi).max()))


Bounds = Callable[[Written], np.ndarray]
Write = Callable[[PartWriter, Frame], None]


@dataclass
class Part:
    """One part of a design: its label, its bounding points (metres) as a function of how numbers are
    written, and the function that writes its calls in the frame."""

    label: str
    bounds: Bounds
    write: Write


class Design:
    """An object's parts, each bounded by points in metres and written once the frame is known."""

    def __init__(self, name: str):
        self.name = name
        self.parts: list[Part] = []

    def add(self, label: str, bounds: Bounds | np.ndarray | list, write: Write) -> None:
        """A part: its bounding points (fixed, or a function of :class:`Written` giving them) and its
        writer."""
        if not callable(bounds):
            fixed = np.asarray(bounds, dtype=float)
            bounds = lambda _w, fixed=fixed: fixed  # noqa: E731
        self.parts.append(Part(label, bounds, write))

    def box(self, written: Written) -> tuple[np.ndarray, np.ndarray]:
        """The box ``(lo, hi)`` in metres of the program as written (unrounded without a frame)."""
        pts = np.concatenate(
            [np.asarray(part.bounds(written), dtype=float).reshape(-1, 3) for part in self.parts]
        )
        return pts.min(0), pts.max(0)

    def frame(self) -> Frame:
        """The canonical frame of the object (the fit; see the module's docstring).

        Fixed-point passes first: the first frame from the unrounded design, each next one from the
        written box the previous one gives, at most :data:`FIT_PASSES`. When none writes the canonical
        box to :data:`TOLERANCE`, :data:`SEARCH_FRAMES` frames near the best one (:func:`nearby`) are
        tried. The first within :data:`TOLERANCE` ends the fit; otherwise the nearest is kept."""
        frame, best, best_error, seen = None, None, math.inf, []
        for _ in range(FIT_PASSES):
            lo, hi = self.box(Written(frame))
            if frame is not None:
                error = frame_error(frame, lo, hi)
                if error < best_error:
                    best, best_error = frame, error
                if error < TOLERANCE:
                    return best
            seen.append((lo.tolist(), hi.tolist()))
            if seen[-1] in seen[:-1]:  # the passes go round in a cycle: nothing new to try
                break
            frame = Frame(lo, hi)
        around = best
        for k in range(1, SEARCH_FRAMES + 1):
            frame = nearby(around, k)
            error = frame_error(frame, *self.box(Written(frame)))
            if error < best_error:
                best, best_error = frame, error
                if error < TOLERANCE:
                    break
        return best

    def builder(self) -> ProgramBuilder:
        """The program: the parts written in order in the fitted frame."""
        frame = self.frame()
        b = ProgramBuilder(self.name)
        for part in self.parts:
            with b.part(part.label) as p:
                part.write(p, frame)
        return b


# ------------------------------------------------------------------------------------ drawing calls


def call(p: PartWriter, function: str, **arguments) -> None:
    """``p.call`` without the arguments left as None (their defaults say the same) or ``apply=False``."""
    if arguments.get("apply") is False:
        arguments["apply"] = None
    p.call(function, **{k: v for k, v in arguments.items() if v is not None})


def primitive(
    d: Design,
    label: str,
    kind: str,
    location: Sequence[float],
    scale: Sequence[float],
    rotation: Sequence[float] | None = None,
    *,
    bevel: tuple[float, int] | None = None,
    taper: float | None = None,
    resolution: Sequence[int] | None = None,
) -> None:
    """A ``create_primitive`` part (cube, cylinder, cone, uv_sphere, torus): ``scale`` in metres (half
    sizes), turned by quaternion ``rotation``; optionally tapered towards local +Z (``zoom_upper_face``
    factor ``taper``), then bevelled (local width, segments). ``resolution`` (vertices, rings) turns a
    cylinder into a prism."""
    rot = rotation if rotation is not None else NO_TURN

    def write(p: PartWriter, f: Frame) -> None:
        extra = {"use_minimum_face": False, "resolution": list(resolution)} if resolution else {}
        p.call(
            "create_primitive",
            name=p.obj,
            primitive_type=kind,
            location=f.p(location),
            scale=f.l(list(scale)),
            rotation=list(rotation) if rotation is not None else None,
            **extra,
        )
        if taper is not None:
            p.call("zoom_upper_face", name=p.obj, factor=taper)
        if bevel is not None:
            p.call("bevel", name=p.obj, width=bevel[0], segments=bevel[1])

    d.add(label, lambda w: primitive_points(kind, w.p(location), [w.l(v) for v in scale], rot, taper), write)


def lathe(
    d: Design,
    label: str,
    profile: Sequence[tuple[float, float]],
    kinds: str,
    *,
    base: Sequence[float] = (0.0, 0.0, 0.0),
    thickness: float = 0.0,
    flutes: tuple[int, float] | None = None,
    smooth: bool = True,
    resolution: int = 12,
) -> None:
    """A part turned about a vertical axis through ``base``: ``profile`` is (radius, height) in metres
    from ``base``, ``kinds`` one handle letter per point (:func:`~.geometry.handle_codes`).
    ``thickness`` makes a shell, grown to the right of the profile's direction of travel
    (:data:`~.library_model.LATHE_OUTSIDE`); ``flutes`` = (count, depth) turns it with
    ``star_curve_rotation`` instead, the depth in canonical units (0.01 steps), as it is written."""
    codes = handle_codes(kinds)
    if len(codes) != 2 * len(profile):
        raise ValueError(f"{label}: {len(profile)} profile points but handle letters {kinds!r}")
    line = bezier_polyline(profile, codes, PROFILE_RESOLUTION)
    bx, by, bz = base

    def bounds(w: Written) -> np.ndarray:
        flute = w.canon(flutes[1]) if flutes else 0.0
        lines = [line]
        if thickness > 0:
            lines.append(shell_offset(line, w.l(thickness), LATHE_OUTSIDE))
        r = max(float(np.abs(ln[:, 0]).max()) for ln in lines) + flute
        ys = np.concatenate([ln[:, 1] for ln in lines])
        return np.array([[bx - r, by + ys.min(), bz - r], [bx + r, by + ys.max(), bz + r]])

    def write(p: PartWriter, f: Frame) -> None:
        curve = p.helper("curve")
        y0 = f.p(base)[1]
        pts = [[f.l(rr), y0 + f.l(h), 0.0] for rr, h in profile]
        p.call(
            "create_curve", name=curve, control_points=pts, handle_type=codes, resolution=PROFILE_RESOLUTION
        )
        smooth_arg = {"use_smooth": True} if smooth else {}
        centre = f.p(base)
        # Lathes on the axis leave their location out (the profile carries the height).
        loc = None if abs(centre[0]) < 5e-3 and abs(centre[2]) < 5e-3 else [centre[0], 0.0, centre[2]]
        place = {"location": loc} if loc is not None else {}
        if flutes:
            p.call(
                "star_curve_rotation",
                name=p.obj,
                profile_name=curve,
                num_points=int(flutes[0]),
                r_diff=flutes[1],
                **place,
                rotation=UP,
                thickness=f.l(thickness) if thickness > 0 else 0.0,
                **smooth_arg,
            )
        else:
            args = {"thickness": f.l(thickness)} if thickness > 0 else {}
            p.call(
                "bezier_rotation",
                name=p.obj,
                profile_name=curve,
                **place,
                rotation=UP,
                **args,
                **smooth_arg,
                resolution=resolution,
            )

    d.add(label, bounds, write)


def arc_lathe(
    d: Design,
    label: str,
    radius: float,
    start: float,
    end: float,
    centre: Sequence[float],
    thickness: float = 0.0,
) -> None:
    """A spherical zone turned about a vertical axis: the circular arc of ``radius`` from ``start`` to
    ``end`` degrees (``create_arc_points``; -90 is the bottom pole, 90 the top) about ``centre``.
    The faces face the sphere's centre when the arc runs counter-clockwise (``start`` < ``end``) and
    away from it otherwise, and a ``thickness`` shell grows against them
    (:data:`~.library_model.LATHE_OUTSIDE`): outwards for a rising arc, inwards for a falling one."""
    a = np.radians(np.linspace(start, end, 33))
    outer = np.stack([np.cos(a), np.sin(a)], axis=1) * radius
    grown = radius + (thickness if start < end else -thickness)
    pts = np.concatenate([outer, outer * grown / radius]) if thickness > 0 else outer
    r = float(np.abs(pts[:, 0]).max())
    cx, cy, cz = centre
    bounds = [[cx - r, cy + pts[:, 1].min(), cz - r], [cx + r, cy + pts[:, 1].max(), cz + r]]

    def write(p: PartWriter, f: Frame) -> None:
        curve = p.helper("curve")
        p.call("create_arc_points", name=curve, radius=f.l(radius), start_angle=start, end_angle=end)
        args = {"thickness": f.l(thickness)} if thickness > 0 else {}
        p.call(
            "bezier_rotation",
            name=p.obj,
            profile_name=curve,
            location=f.p(centre),
            rotation=UP,
            **args,
            use_smooth=True,
            resolution=16,
        )

    d.add(label, bounds, write)


def swept_ring(d: Design, label: str, centre: Sequence[float], radius: float, tube: float) -> None:
    """A horizontal ring (a round tube bent into a circle of ``radius`` about the vertical through
    ``centre``): rims, beads, threads."""

    def write(p: PartWriter, f: Frame) -> None:
        section_name = p.helper("circle")
        p.call("create_circle", name=section_name, radius=f.l(tube))
        p.call(
            "create_circle",
            name=p.obj,
            location=f.p(centre),
            profile_name=section_name,
            rotation=UP,
            radius=f.l(radius),
        )

    d.add(label, lambda w: ring_points(w.p(centre), w.l(radius), w.l(tube)), write)


def section(p: PartWriter, f: Frame, shape: tuple) -> str:
    """Write a sweep section and return its name: ('circle', r), ('oval', a, b) with ``a`` across the
    path in its plane and ``b`` out of it, or ('rect', across, out) half sizes. Sizes in metres."""
    kind = shape[0]
    if kind == "circle":
        name = p.helper("circle")
        p.call("create_circle", name=name, radius=f.l(shape[1]))
    elif kind == "oval":
        name = p.helper("oval")
        p.call("create_oval", name=name, a=f.l(shape[1]), b=f.l(shape[2]))
    elif kind == "rect":
        name = p.helper("rectangle")
        p.call("create_rectangle", name=name, width=f.l(2 * shape[1]), length=f.l(2 * shape[2]))
    else:
        raise ValueError(f"a section is ('circle', r), ('oval', a, b) or ('rect', a, b); got {shape!r}")
    return name


def section_half(shape: tuple) -> tuple[float, float]:
    """Half sizes (in the path's plane, out of it) of a :func:`section` tuple."""
    return (shape[1], shape[1]) if shape[0] == "circle" else (shape[1], shape[2])


def sweep(
    d: Design,
    label: str,
    path: Sequence[Sequence[float]],
    kinds: str,
    shape: tuple,
    *,
    caps: str = "both",
    radii: Sequence[float] | None = None,
) -> None:
    """A :func:`section` swept along a Bezier path (handle letters ``kinds``) lying in a plane of
    constant Z: handles, hooks; ``radii`` scale the section at each point."""
    codes = handle_codes(kinds)
    line = bezier_polyline(path, codes, 12)
    across, out = section_half(shape)
    grow = across * (max(radii) if radii else 1.0)
    pad = np.array([grow, grow, out])
    lo, hi = line.min(0) - pad, line.max(0) + pad

    def write(p: PartWriter, f: Frame) -> None:
        name = section(p, f, shape)
        p.call(
            "create_curve",
            name=p.obj,
            profile_name=name,
            control_points=f.ps(path),
            **({"points_radius": list(radii)} if radii else {}),
            handle_type=codes,
            fill_caps=caps,
        )

    d.add(label, [lo, hi], write)


def arc_sweep(d: Design, label: str, a, b, c, shape: tuple) -> None:
    """A :func:`section` swept along the circular arc from ``a`` through ``b`` to ``c`` (in a plane of
    constant Z), written with control points ``create_arc_by_3Dpoints`` draws that arc from."""
    line = arc_through(a, b, c)
    across, out = section_half(shape)
    pad = np.array([across, across, out])
    lo, hi = line.min(0) - pad, line.max(0) + pad

    def write(p: PartWriter, f: Frame) -> None:
        name = section(p, f, shape)
        p.call(
            "create_arc_by_3Dpoints",
            name=p.obj,
            profile_name=name,
            control_points=arc_control_points(a, b, c, f.ps)[0],
            fill_caps="both",
        )

    d.add(label, [lo, hi], write)
