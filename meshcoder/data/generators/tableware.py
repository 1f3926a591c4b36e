"""Program generators for tableware: vessels turned on a lathe, cutlery and chopsticks.

Bottle, Bowl, Cup, Jar, Lid, Plate, Vase and Wineglass are mostly solids of revolution
(``bezier_rotation`` of a ``create_curve`` or ``create_arc_points`` profile, ``star_curve_rotation``
when fluted) with thin walls from ``thickness``, plus swept rings, handles (``create_curve`` and
``create_arc_by_3Dpoints`` sweeps of circle, oval or rectangle sections) and knobs. Fork and Spoon
use the catalogue's ``create_fork`` / ``create_spoon``; Chopsticks are tapered primitives
(``zoom_upper_face``).

Every object is designed in metres (Y up, X right, front towards +Z) and mapped to the canonical frame
with :class:`~meshcoder.data.frame.Frame`. The frame needs the object's bounding box before any call is
written, so each part is first described by the points that bound it and a function that writes its
calls (:class:`_Design`). Bounding points of lathes come from evaluating their Bezier profile the way
Blender does (AUTO handles included) and from the shell that ``thickness`` adds: a lathe keeps the
curve bevel's winding and grows its shell to the right of the profile's direction of travel in
(radius, height) (spec 3b, item 4; :data:`LATHE_OUTSIDE`). A vessel's profile runs from the axis
outwards and up, so its wall grows outside the profile: rims, beads, threads, handles and lids are set
against that outer surface, corks and liquids against the profile itself.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.library_model import (
    AUTO,
    LATHE_OUTSIDE,
    SHARP,
    arc_control_points,
    arc_through,
    bezier_polyline,
    shell_offset,
)
from meshcoder.data.generators.registry import register

# Quaternions [w, x, y, z]: local Z turned to +Y (lathe axes, upright cylinders), to +X, and identity.
UP = (0.71, -0.71, 0.0, 0.0)
ALONG_X = (0.71, 0.0, 0.71, 0.0)
NO_TURN = (1.0, 0.0, 0.0, 0.0)

# Profile segments per Bezier span written for lathes (and used to predict their extent).
PROFILE_RESOLUTION = 8

# ----------------------------------------------------------------------------------------- geometry


def outside_side(line: np.ndarray, centre_y: float, around: int = 48) -> int:
    """Which side of a profile (r, h) of a surface of revolution Blender takes for the outside when it
    makes the normals consistent, as ``bridge_edge_loops`` does (spec 3b, item 7; lathes keep their
    winding instead: :data:`LATHE_OUTSIDE`): +1 right of the direction of travel, -1 left.

    Blender's recalc_face_normals orients a surface at its vertex farthest from a centre so that the
    face there points away from it. That centre is the area-weighted face centre divided by the
    face count (as Blender computes it), so in practice the mesh's own origin: the point
    (0, ``centre_y``) of the profile's plane. Among the faces at that vertex it takes the one
    whose edges point farthest out, then the one most facing the centre's direction. ``around`` is
    the number of segments round the axis."""
    radius = np.where(line[:, 0] > 1e-9, line[:, 0], 0.0)
    dist = radius**2 + (line[:, 1] - centre_y) ** 2
    i = int(np.argmax(dist))
    away = np.array([radius[i], line[i, 1] - centre_y])
    away /= max(float(np.linalg.norm(away)), 1e-12)
    ring_dot = -away[0] * math.sin(math.pi / around) if radius[i] > 0 else -1.0
    best = None
    for j, k in ((i - 1, i - 1), (i + 1, i)):  # neighbouring profile point, segment index
        if not 0 <= j < len(line):
            continue
        edge = line[j] - line[i]
        length = float(np.linalg.norm(edge))
        if length < 1e-12:
            continue
        seg = line[k + 1] - line[k]
        right = np.array([seg[1], -seg[0]]) / float(np.linalg.norm(seg))
        test = (
            max(float(edge @ away) / length, ring_dot),
            abs(float(right @ away)),
            1 if right @ away >= 0 else -1,
        )
        if best is None or test[:2] > best[:2]:
            best = test
    return 1 if best is None else best[2]


def quat_to(direction: Sequence[float]) -> tuple[float, float, float, float]:
    """The shortest-arc quaternion turning local +Z to ``direction``."""
    d = np.asarray(direction, dtype=float)
    d = d / np.linalg.norm(d)
    z = np.array([0.0, 0.0, 1.0])
    axis = np.cross(z, d)
    s = np.linalg.norm(axis)
    if s < 1e-9:
        return NO_TURN if d[2] > 0 else (0.0, 1.0, 0.0, 0.0)
    angle = math.atan2(s, float(d @ z))
    axis = axis / s * math.sin(angle / 2)
    return (math.cos(angle / 2), float(axis[0]), float(axis[1]), float(axis[2]))


def rotate(q: Sequence[float], v: np.ndarray) -> np.ndarray:
    """Points ``v`` (..., 3) turned by quaternion ``q`` as a program reads it (written with 2 decimals,
    then normalised)."""
    q = np.round(np.asarray(q, dtype=float), 2)
    w, x, y, z = q / np.linalg.norm(q)
    m = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )
    return np.asarray(v, dtype=float) @ m.T


def _unit_points(kind: str) -> np.ndarray:
    """Points that bound a unit primitive (before scale) of ``kind``."""
    if kind == "cube":
        return np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=float)
    a = np.linspace(0, 2 * math.pi, 32, endpoint=False)
    ring = np.stack([np.cos(a), np.sin(a), np.zeros_like(a)], axis=1)
    if kind == "cylinder":
        up = np.array([0.0, 0.0, 1.0])
        return np.concatenate([ring + up, ring - up])
    if kind == "cone":
        return np.concatenate([ring - [0, 0, 1], [[0, 0, 1]]])
    if kind == "uv_sphere":
        return np.concatenate([ring, [[0, 0, 1], [0, 0, -1]], ring[::8, [0, 2, 1]], ring[::8, [2, 0, 1]]])
    if kind == "torus":
        return np.concatenate([ring * 1.25, [[0, 0, 0.25], [0, 0, -0.25]]])
    raise ValueError(kind)


def primitive_points(kind, location, scale, rotation=NO_TURN, top_factor: float | None = None) -> np.ndarray:
    """Bounding points of ``create_primitive`` (optionally with its top scaled by zoom_upper_face)."""
    unit = _unit_points(kind)
    if top_factor is not None:
        unit = unit.copy()
        top = unit[:, 2] > 0
        unit[top, :2] *= top_factor
    return rotate(rotation, unit * np.asarray(scale, dtype=float)) + np.asarray(location, dtype=float)


def ring_points(centre, radius: float, tube: float = 0.0, axis=(0.0, 1.0, 0.0)) -> np.ndarray:
    """Bounding points of a circle (or a ring of round ``tube``) about ``axis`` through ``centre``."""
    a = np.linspace(0, 2 * math.pi, 16, endpoint=False)
    ring = np.stack([np.cos(a), np.sin(a), np.zeros_like(a)], axis=1) * (radius + tube)
    lift = np.array([0.0, 0.0, tube])
    pts = np.concatenate([ring + lift, ring - lift])
    return rotate(quat_to(axis), pts) + np.asarray(centre, dtype=float)


# -------------------------------------------------------------------------------------- the design


class _Rounding:
    """Design lengths and positions as the program will read them back: written numbers are rounded
    (2 decimals) in the canonical frame, and where such a number sets the object's extent the
    bounding box must use the rounded value. Without a frame (first pass) nothing is rounded."""

    def __init__(self, frame: Frame | None = None):
        self.frame = frame

    def l(self, length: float, decimals: int = 2) -> float:  # noqa: E743 (mirrors Frame.l)
        if self.frame is None:
            return float(length)
        return round(float(length) * self.frame.scale, decimals) / self.frame.scale

    def canon(self, value: float) -> float:
        """The design length of a length given in canonical units (0 before the first frame)."""
        return 0.0 if self.frame is None else float(value) / self.frame.scale

    def p(self, xyz: Sequence[float]) -> np.ndarray:
        xyz = np.asarray(xyz, dtype=float)
        if self.frame is None:
            return xyz
        f = self.frame
        return np.round((xyz - f.centre) * f.scale, 2) / f.scale + f.centre


Bounds = Callable[[_Rounding], np.ndarray]


@dataclass
class _Piece:
    label: str
    bounds: Bounds
    write: Callable[[PartWriter, Frame], None]


class _Design:
    """An object's parts, each bounded by points in metres and written once the frame is known."""

    def __init__(self, name: str):
        self.name = name
        self.pieces: list[_Piece] = []

    def add(
        self, label: str, bounds: Bounds | np.ndarray | list, write: Callable[[PartWriter, Frame], None]
    ) -> None:
        """A part: its bounding points (or a function of the rounding giving them) and its writer."""
        if not callable(bounds):
            fixed = np.asarray(bounds, dtype=float)
            bounds = lambda _q, fixed=fixed: fixed  # noqa: E731
        self.pieces.append(_Piece(label, bounds, write))

    def frame(self) -> Frame:
        """The canonical frame of the object.

        Rounded numbers move the box a little with the frame, and the frame follows the box, so a
        few frames are tried in turn (each from the box the previous one gives) and the one whose
        program comes out nearest to the canonical box is kept."""
        frame, best, best_error = None, None, math.inf
        for _ in range(8):
            q = _Rounding(frame)
            pts = np.concatenate([np.asarray(pc.bounds(q), dtype=float).reshape(-1, 3) for pc in self.pieces])
            lo, hi = pts.min(0), pts.max(0)
            if frame is not None:
                c_lo, c_hi = np.asarray(frame.p(lo)), np.asarray(frame.p(hi))
                error = max(abs(float((c_hi - c_lo).max()) - 1.0), float(np.abs(c_lo + c_hi).max()))
                if error < best_error:
                    best, best_error = frame, error
                if error < 1e-6:
                    break
            frame = Frame(lo, hi)
        return best

    def builder(self) -> ProgramBuilder:
        frame = self.frame()
        b = ProgramBuilder(self.name)
        for piece in self.pieces:
            with b.part(piece.label) as p:
                piece.write(p, frame)
        return b


def _codes(kinds: str) -> list[int]:
    """Handle codes from one letter per Bezier point: 'a' smooth (AUTO both sides), 's' sharp
    (VECTOR both), 'l' sharp coming in / smooth going out, 'r' smooth in / sharp out."""
    table = {"a": (AUTO, AUTO), "s": (SHARP, SHARP), "l": (SHARP, AUTO), "r": (AUTO, SHARP)}
    return [c for k in kinds for c in table[k]]


def lathe(
    d: _Design,
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
    """A part turned about a vertical axis through ``base``: ``profile`` is (radius, height) in
    metres from ``base``, ``kinds`` one handle letter per point (see :func:`_codes`). ``thickness``
    makes a shell, grown to the right of the profile's direction of travel (:data:`LATHE_OUTSIDE`);
    ``flutes`` = (count, depth) turns it with star_curve_rotation instead; the depth is given in
    canonical units (0.01 steps), as it is written."""
    codes = _codes(kinds)
    if len(codes) != 2 * len(profile):
        raise ValueError(f"{label}: {len(profile)} profile points but handle letters {kinds!r}")
    line = bezier_polyline(profile, codes, PROFILE_RESOLUTION)
    bx, by, bz = base

    def bounds(q: _Rounding) -> np.ndarray:
        flute = q.canon(flutes[1]) if flutes else 0.0
        lines = [line]
        if thickness > 0:
            lines.append(shell_offset(line, q.l(thickness), LATHE_OUTSIDE))
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
    d: _Design,
    label: str,
    radius: float,
    start: float,
    end: float,
    centre: Sequence[float],
    thickness: float = 0.0,
) -> None:
    """A spherical zone turned about a vertical axis: the circular arc of ``radius`` from ``start`` to
    ``end`` degrees (create_arc_points; -90 is the bottom pole, 90 the top) about ``centre``.
    Hemispherical bowls and domed lids. The faces face the sphere's centre when the arc runs
    counter-clockwise (``start`` < ``end``) and away from it otherwise, and a ``thickness`` shell grows
    against them (:data:`LATHE_OUTSIDE`): outwards for a rising arc, towards the centre for a falling
    one."""
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


def swept_ring(d: _Design, label: str, centre: Sequence[float], radius: float, tube: float) -> None:
    """A horizontal ring (a round tube bent into a circle): rims, beads, threads."""

    def write(p: PartWriter, f: Frame) -> None:
        section = p.helper("circle")
        p.call("create_circle", name=section, radius=f.l(tube))
        p.call(
            "create_circle",
            name=p.obj,
            location=f.p(centre),
            profile_name=section,
            rotation=UP,
            radius=f.l(radius),
        )

    d.add(label, lambda q: ring_points(q.p(centre), q.l(radius), q.l(tube)), write)


def primitive(
    d: _Design,
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
    """A primitive part; ``scale`` in metres (half sizes), optionally bevelled (local width,
    segments) or tapered towards local +Z (zoom_upper_face factor)."""
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

    d.add(label, lambda q: primitive_points(kind, q.p(location), [q.l(v) for v in scale], rot, taper), write)


def section(p: PartWriter, f: Frame, shape: tuple) -> str:
    """Write a sweep section and return its name: ('circle', r), ('oval', a, b) with ``a`` across
    the path in its plane and ``b`` out of it, or ('rect', across, out). Sizes in metres."""
    kind = shape[0]
    if kind == "circle":
        name = p.helper("circle")
        p.call("create_circle", name=name, radius=f.l(shape[1]))
    elif kind == "oval":
        name = p.helper("oval")
        p.call("create_oval", name=name, a=f.l(shape[1]), b=f.l(shape[2]))
    else:
        name = p.helper("rectangle")
        p.call("create_rectangle", name=name, width=f.l(2 * shape[1]), length=f.l(2 * shape[2]))
    return name


def _section_half(shape: tuple) -> tuple[float, float]:
    """Half sizes (in the path's plane, out of it) of a section tuple."""
    return (shape[1], shape[1]) if shape[0] == "circle" else (shape[1], shape[2])


def sweep(
    d: _Design,
    label: str,
    path: Sequence[Sequence[float]],
    kinds: str,
    shape: tuple,
    *,
    caps: str = "both",
    radii: Sequence[float] | None = None,
) -> None:
    """A section swept along a Bezier path lying in a plane of constant Z (handles, hooks)."""
    codes = _codes(kinds)
    line = bezier_polyline(path, codes, 12)
    across, out = _section_half(shape)
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


def arc_sweep(d: _Design, label: str, a, b, c, shape: tuple) -> None:
    """A section swept along the circular arc from ``a`` through ``b`` to ``c`` (in a plane of
    constant Z)."""
    line = arc_through(a, b, c)
    across, out = _section_half(shape)
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


def _pick(rng: np.random.Generator, options: dict[str, float]) -> str:
    """One key of ``options`` drawn with the given weights."""
    keys = list(options)
    w = np.asarray([options[k] for k in keys], dtype=float)
    return str(rng.choice(keys, p=w / w.sum()))


# ------------------------------------------------------------------------------------------- Bowl


@register("Bowl")
def bowl(rng: np.random.Generator) -> ProgramBuilder:
    """Bowls: round, conical, shallow serving or straight-walled; flat, ring or pedestal foot;
    optional rolled rim, fluted wall and tab handles."""
    style = _pick(rng, {"round": 3, "hemisphere": 2, "conical": 2, "shallow": 2, "straight": 2})
    radius = rng.uniform(0.05, 0.15)
    ratio = {
        "round": (0.4, 0.55),
        "hemisphere": (0.3, 0.5),
        "conical": (0.45, 0.65),
        "shallow": (0.25, 0.38),
        "straight": (0.5, 0.75),
    }
    height = 2 * radius * rng.uniform(*ratio[style])
    if style == "hemisphere":  # a zone of a sphere from its bottom pole up to the rim at ``end``
        end = float(rng.uniform(-35.0, 5.0))
        sphere = radius / math.cos(math.radians(end))
        height = sphere * (1 + math.sin(math.radians(end)))
    wall = radius * rng.uniform(0.03, 0.06)
    foot = _pick(rng, {"flat": 3, "ring": 4, "pedestal": 1})
    d = _Design(f"{style} bowl")

    y0 = 0.0
    r_base = (
        radius
        * {"round": 0.38, "hemisphere": 0.4, "conical": 0.32, "shallow": 0.5, "straight": 0.6}[style]
        * rng.uniform(0.8, 1.15)
    )
    if foot == "ring":
        h = rng.uniform(0.06, 0.12) * height
        r_out = r_base * rng.uniform(0.95, 1.1)
        ring_wall = min(r_out * 0.15, 0.005 + wall)
        lathe(
            d,
            "foot",
            [(r_out - ring_wall, 0.0), (r_out, 0.0), (r_out - 0.3 * ring_wall, h), (r_out - ring_wall, h)],
            "ssss",
        )
        y0 = 0.8 * h
    elif foot == "pedestal":
        r_foot = r_base * rng.uniform(1.0, 1.3)
        h_stem = rng.uniform(0.25, 0.6) * height
        h_disc = rng.uniform(0.04, 0.08) * height
        lathe(d, "base", [(0.0, 0.0), (r_foot, 0.0), (r_foot * 0.9, h_disc), (0.0, h_disc * 1.6)], "ssaa")
        r_stem = r_foot * rng.uniform(0.18, 0.3)
        y0 = h_disc + h_stem
        top = y0
        primitive(
            d,
            "stem",
            "cylinder",
            (0, (h_disc + top) / 2, 0),
            (r_stem, r_stem, (top - h_disc) / 2 + 0.4 * h_disc),
            UP,
        )

    if style == "round":
        prof = [
            (0, 0),
            (r_base, 0),
            (radius * 0.78, height * 0.3),
            (radius * 0.96, height * 0.75),
            (radius, height),
        ]
        kinds = "slaas"
    elif style == "conical":
        prof = [
            (0, 0),
            (r_base, 0),
            (r_base + 0.1 * radius, 0.06 * height),
            (radius * 0.8, 0.6 * height),
            (radius, height),
        ]
        kinds = "slaaa"
    elif style == "shallow":
        prof = [(0, 0), (r_base, 0), (radius * 0.85, height * 0.45), (radius, height)]
        kinds = "slaa"
    elif style == "straight":
        prof = [
            (0, 0),
            (r_base, 0),
            (radius * 0.92, height * 0.2),
            (radius * 0.98, height * 0.7),
            (radius, height),
        ]
        kinds = "slaaa"
    flutes = (
        (int(rng.choice([12, 16, 20, 24])), float(rng.choice([0.01, 0.02, 0.03])))
        if rng.random() < 0.2 and style != "hemisphere"
        else None
    )
    if style == "hemisphere":
        arc_lathe(d, "body", sphere, -90.0, end, (0, y0 + sphere, 0), thickness=wall)
    else:
        lathe(d, "body", prof, kinds, base=(0, y0, 0), thickness=wall, flutes=flutes)

    if flutes is None and rng.random() < 0.3:
        tube = wall * rng.uniform(0.6, 1.0)
        swept_ring(d, "rim", (0, y0 + height, 0), radius + 0.7 * wall, tube)  # in the wall, near its outside
    if rng.random() < 0.2:
        reach = radius * rng.uniform(0.12, 0.22)
        width = radius * rng.uniform(0.35, 0.6)
        t = max(wall, 0.004)
        for side in (-1, 1):
            primitive(
                d,
                "handle",
                "cylinder",
                (side * (radius + reach * 0.3), y0 + height - t, 0),
                (reach, width / 2, t),
                UP,
            )
    return d.builder()


# ------------------------------------------------------------------------------------------ Plate


def foot_ring(d: _Design, radius: float, height: float, width: float, y: float = 0.0) -> None:
    """A low ring under a vessel (the part it stands on)."""
    lathe(
        d,
        "foot",
        [(radius - width, y), (radius, y), (radius - 0.3 * width, y + height), (radius - width, y + height)],
        "ssss",
        smooth=False,
    )


@register("Plate")
def plate(rng: np.random.Generator) -> ProgramBuilder:
    """Plates: dinner/charger plates with a flange, deep soup plates, coupe plates (all turned, with
    or without a foot ring), oval platters (bridged ellipses) and square plates (slab and swept rim)."""
    style = _pick(rng, {"dinner": 4, "soup": 2, "coupe": 2, "oval": 2, "square": 1.5})
    t = rng.uniform(0.003, 0.006)
    d = _Design(f"{style} plate")
    if style == "oval":
        return _oval_platter(d, rng, t)
    if style == "square":
        return _square_plate(d, rng, t)

    radius = rng.uniform(0.08, 0.16) if style != "soup" else rng.uniform(0.1, 0.13)
    y0 = 0.0
    if rng.random() < 0.55:
        h = rng.uniform(0.004, 0.008)
        foot_ring(d, radius * rng.uniform(0.35, 0.5), h, rng.uniform(0.004, 0.008))
        y0 = 0.8 * h
    if style == "dinner":
        height = rng.uniform(0.015, 0.028)
        well = radius * rng.uniform(0.55, 0.75)
        prof = [
            (0, 0),
            (well, 0),
            (well + 0.07 * radius, 0.55 * height),
            (well + 0.14 * radius, 0.8 * height),
            (radius, height),
        ]
        kinds = "slaaa"
    elif style == "soup":
        height = rng.uniform(0.035, 0.05)
        well = radius * rng.uniform(0.5, 0.65)
        prof = [
            (0, 0),
            (0.75 * well, 0),
            (well, 0.55 * height),
            (well + 0.1 * radius, 0.85 * height),
            (radius, height),
        ]
        kinds = "slaaa"
    else:
        height = rng.uniform(0.015, 0.03)
        prof = [(0, 0), (radius * rng.uniform(0.5, 0.65), 0), (radius * 0.88, 0.4 * height), (radius, height)]
        kinds = "slaa"
    lathe(d, "plate", prof, kinds, base=(0, y0, 0), thickness=t, resolution=16)
    if style != "coupe" and rng.random() < 0.2:
        swept_ring(d, "rim", (0, y0 + height, 0), radius - 0.3 * t, 0.6 * t)
    return d.builder()


def _oval_platter(d: _Design, rng: np.random.Generator, t: float) -> ProgramBuilder:
    a = rng.uniform(0.13, 0.24)
    b = a * rng.uniform(0.55, 0.8)
    height = rng.uniform(0.02, 0.04)
    well = rng.uniform(0.6, 0.78)
    rise = rng.uniform(0.45, 0.7)
    loops = [(well, 0.0), (well + (1 - well) * 0.25, rise * height), (1.0, height)]
    # The shell grows up from the bridged surface, as from a lathe profile travelling outwards.
    sections = [np.array([(k * a, h) for k, h in loops]), np.array([(k * b, h) for k, h in loops])]

    def bounds(q: _Rounding) -> np.ndarray:
        centre = q.frame.centre[1] if q.frame is not None else height / 2
        side = outside_side(sections[0], centre)
        top = max(float(np.max(shell_offset(sec, t, side)[:, 1])) for sec in sections)
        return np.array([[-a, 0.0, -b], [a, max(top, height), b]])

    def write(p: PartWriter, f: Frame) -> None:
        names = [p.helper("circle", i + 1) for i in range(len(loops))]
        p.call(
            "create_circle",
            name=names,
            location=[f.p((0, h, 0)) for _, h in loops],
            rotation=UP,
            scale=[[f.l(k * a), f.l(k * b), 1.0] for k, _ in loops],
        )
        p.call(
            "bridge_edge_loops",
            name=p.obj,
            profile_name=names,
            number_cuts=int(rng.integers(3, 7)),
            interpolation="LINEAR",
            fill_caps="start",
        )
        p.call("solidify", name=p.obj, thickness=f.l(t))

    d.add("plate", bounds, write)
    return d.builder()


def _square_plate(d: _Design, rng: np.random.Generator, t: float) -> ProgramBuilder:
    half_w = rng.uniform(0.1, 0.15)
    half_l = half_w * (1.0 if rng.random() < 0.6 else rng.uniform(0.6, 0.85))
    slab = rng.uniform(0.004, 0.008)
    lean = rng.uniform(0.01, 0.03)
    rise = rng.uniform(0.01, 0.025)
    corner = rng.uniform(0.1, 0.3)
    primitive(d, "base", "cube", (0, slab / 2, 0), (half_w, slab / 2, half_l), bevel=(corner, 4))
    # The rim: a leaning strip swept round the slab's edge (profile x points inwards on this path).
    rim = [(0.0, slab * 0.5), (-lean, slab * 0.5 + rise)]

    # (distance outwards, height); the shell grows inwards.
    line = np.array([(-x, y) for x, y in rim])
    shell = np.concatenate([line, shell_offset(line, t, 1)])
    out, top = float(shell[:, 0].max()), float(shell[:, 1].max())

    def bounds(q: _Rounding) -> np.ndarray:
        w, ln, y = q.l(2 * half_w) / 2, q.l(2 * half_l) / 2, float(q.p((0, 0, 0))[1])
        return np.array([[-w - out, y, -ln - out], [w + out, y + top, ln + out]])

    def write(p: PartWriter, f: Frame) -> None:
        curve = p.helper("curve")
        p.call(
            "create_curve",
            name=curve,
            control_points=[[f.l(x), f.l(y), 0.0] for x, y in rim],
            handle_type=[1, 1, 1, 1],
        )
        p.call(
            "create_rectangle",
            name=p.obj,
            profile_name=curve,
            width=f.l(2 * half_w),
            length=f.l(2 * half_l),
            location=f.p((0, 0, 0)),
            rotation=UP,
            bevel_width=f.l(corner * min(half_w, half_l)),
            thickness=f.l(t),
        )

    d.add("rim", bounds, write)
    return d.builder()


# -------------------------------------------------------------------------------------------- Cup


def radius_at(profile: Sequence[tuple[float, float]], kinds: str, height: float, wall: float = 0.0) -> float:
    """The radius of a lathe profile at ``height`` (first crossing from the bottom); with a ``wall``,
    of the outer surface of the shell that thickness grows outside the profile."""
    line = bezier_polyline(profile, _codes(kinds), PROFILE_RESOLUTION)
    if wall > 0:
        line = shell_offset(line, wall, LATHE_OUTSIDE)
    for (r0, h0), (r1, h1) in itertools.pairwise(line):
        if min(h0, h1) <= height <= max(h0, h1) and h1 != h0:
            return float(r0 + (r1 - r0) * (height - h0) / (h1 - h0))
    return float(line[:, 0].max())


def cup_handle(
    d: _Design,
    rng: np.random.Generator,
    profile: Sequence[tuple[float, float]],
    kinds: str,
    y0: float,
    height: float,
    style: str,
    wall: float,
) -> None:
    """A handle on the +X side of a turned body whose shell is ``wall`` thick: a C arc, a D loop or a
    teacup's ear, with a round, oval (flat strap) or rectangular section; its ends sink into the wall."""
    top = height * rng.uniform(0.72, 0.88)
    bottom = height * rng.uniform(0.12, 0.3)
    if style == "ear":
        bottom = height * rng.uniform(0.3, 0.45)
    r_top, r_bottom = radius_at(profile, kinds, top, wall), radius_at(profile, kinds, bottom, wall)
    r_max = max(r_top, r_bottom)
    span = top - bottom
    reach = span * (rng.uniform(0.45, 0.7) if style != "ear" else rng.uniform(0.5, 0.7))
    reach = min(reach, 0.045)
    width = rng.uniform(0.006, 0.014)
    depth = rng.uniform(0.004, 0.008)
    shape = _pick(rng, {"oval": 3, "circle": 2, "rect": 1})
    section_shape = {
        "oval": ("oval", depth / 2, width / 2),
        "circle": ("circle", depth / 2),
        "rect": ("rect", depth / 2, width / 2),
    }[shape]
    sink = depth * 0.4
    a = (r_top - sink, y0 + top, 0.0)
    c = (r_bottom - sink, y0 + bottom, 0.0)
    if style == "C":
        b = (r_max + reach, y0 + (top + bottom) / 2, 0.0)
        arc_sweep(d, "handle", a, b, c, section_shape)
    elif style == "D":
        path = [
            a,
            (r_top + reach * 0.85, y0 + top - 0.05 * span, 0),
            (r_bottom + reach * 0.85, y0 + bottom + 0.1 * span, 0),
            c,
        ]
        sweep(d, "handle", path, "saas", section_shape)
    else:
        path = [
            a,
            (r_top + reach * 0.7, y0 + top + 0.12 * span, 0),
            (r_max + reach, y0 + top - 0.45 * span, 0),
            c,
        ]
        sweep(d, "handle", path, "saas", section_shape)


def saucer(d: _Design, rng: np.random.Generator, cup_base: float) -> float:
    """A saucer under a cup whose base has radius ``cup_base``; returns the height of its top in the
    well (its profile: the shell grows below it)."""
    radius = cup_base * rng.uniform(2.2, 3.0)
    height = radius * rng.uniform(0.12, 0.2)
    t = rng.uniform(0.003, 0.005)
    well = cup_base * rng.uniform(1.05, 1.25)
    lathe(
        d,
        "saucer",
        [(0, 0), (well, 0), (well * 1.25, 0.5 * height), (radius, height)],
        "slaa",
        thickness=t,
        resolution=16,
    )
    return 0.0


@register("Cup")
def cup(rng: np.random.Generator) -> ProgramBuilder:
    """Cups: mugs, teacups and espresso cups (with a C, D or ear handle; teacups and espresso cups
    often on a saucer), tumblers (plain, fluted or ribbed), paper cups (rolled rim, optional lid)
    and beer mugs."""
    style = _pick(rng, {"mug": 4, "teacup": 2, "espresso": 1.5, "tumbler": 2, "paper": 1.5, "beer mug": 1})
    d = _Design(style if style != "paper" else "paper cup")
    y0 = 0.0
    if style in ("mug", "beer mug"):
        radius = rng.uniform(0.036, 0.048) * (1.2 if style == "beer mug" else 1.0)
        height = radius * rng.uniform(2.0, 2.7) * (1.3 if style == "beer mug" else 1.0)
        wall = rng.uniform(0.003, 0.006)
        shape = _pick(rng, {"straight": 3, "barrel": 1, "tapered": 1.5, "flared": 1})
        r_base = radius * {"straight": 0.97, "barrel": 0.85, "tapered": 0.8, "flared": 0.85}[shape]
        r_mid = radius * {"straight": 1.0, "barrel": 1.1, "tapered": 0.9, "flared": 0.88}[shape]
        prof = [(0, 0), (r_base - 0.004, 0), (r_base, 0.006), (r_mid, 0.5 * height), (radius, height)]
        kinds = "ssaaa"
        handle = _pick(rng, {"C": 2, "D": 3})
    elif style in ("teacup", "espresso"):
        radius = rng.uniform(0.042, 0.052) if style == "teacup" else rng.uniform(0.027, 0.033)
        height = radius * (rng.uniform(1.1, 1.5) if style == "teacup" else rng.uniform(1.6, 2.0))
        wall = rng.uniform(0.002, 0.004) if style == "teacup" else rng.uniform(0.004, 0.006)
        r_base = radius * rng.uniform(0.45, 0.6)
        if rng.random() < 0.65:
            y0 = saucer(d, rng, r_base) + wall  # the cup's base grows its shell downwards
        prof = [
            (0, 0),
            (r_base, 0),
            (radius * 0.8, 0.25 * height),
            (radius * 0.97, 0.7 * height),
            (radius, height),
        ]
        kinds = "slaaa"
        handle = "ear" if style == "teacup" else _pick(rng, {"ear": 1, "C": 1})
    else:
        radius = rng.uniform(0.034, 0.045)
        height = radius * rng.uniform(2.0, 3.4)
        wall = rng.uniform(0.002, 0.004)
        r_base = radius * (rng.uniform(0.7, 0.8) if style == "paper" else rng.uniform(0.75, 0.95))
        prof = [(0, 0), (r_base, 0), (radius, height)]
        kinds = "sss"
        handle = None

    if style == "tumbler" and rng.random() < 0.35:
        _ribbed_tumbler(d, rng, r_base, radius, height, wall)
    else:
        flutes = None
        if style in ("tumbler", "beer mug") and rng.random() < 0.4:
            flutes = (int(rng.choice([8, 12, 16, 20])), 0.01)
        lathe(d, "body", prof, kinds, base=(0, y0, 0), thickness=wall, flutes=flutes, resolution=16)
    if style == "paper":  # the rolled rim sits on the wall's outside, the lid over it
        swept_ring(d, "rim", (0, y0 + height, 0), radius + wall, rng.uniform(0.0015, 0.0025))
        if rng.random() < 0.5:
            _cup_lid(d, rng, radius + wall, y0 + height)
    if handle is not None:
        cup_handle(d, rng, prof, kinds, y0, height, handle, wall)
    return d.builder()


def _ribbed_tumbler(
    d: _Design, rng: np.random.Generator, r_base: float, radius: float, height: float, wall: float
) -> None:
    """A ribbed glass: a star section swept up a straight path, widening towards the rim."""
    points = int(rng.choice([10, 12, 16, 20]))
    inner = rng.uniform(0.85, 0.94)
    edge = _pick(rng, {"smooth": 3, "sharp": 1})

    def write(p: PartWriter, f: Frame) -> None:
        star = p.helper("star")
        p.call(
            "create_star",
            name=star,
            outer_radius=f.l(radius),
            inner_radius=f.l(radius * inner),
            num_points=points,
            edge=edge,
        )
        p.call(
            "create_curve",
            name=p.obj,
            profile_name=star,
            control_points=f.ps([(0, 0, 0), (0, height, 0)]),
            points_radius=[round(r_base / radius, 2), 1.0],
            handle_type=[1, 1, 1, 1],
            fill_caps="start",
            thickness=f.l(wall),
        )

    d.add("body", [[-radius, 0, -radius], [radius, height, radius]], write)


def _cup_lid(d: _Design, rng: np.random.Generator, radius: float, y: float) -> None:
    """A takeaway lid pressed over the rim: a skirt, a raised ring and a flat top."""
    h = rng.uniform(0.008, 0.016)
    r = radius + 0.003
    prof = [
        (r, y - 0.004),
        (r, y + 0.4 * h),
        (r * 0.93, y + h),
        (r * 0.86, y + 0.75 * h),
        (0.0, y + 0.75 * h),
    ]
    lathe(d, "lid", prof, "ssaas", thickness=rng.uniform(0.001, 0.002), resolution=16)


# -------------------------------------------------------------------------------------- Wineglass


def _inner_fill(profile, kinds, level: float, wall: float) -> list[tuple[float, float]]:
    """A liquid's profile inside a turned bowl (base at height 0): the bowl's curve kept below
    ``level`` and moved ``wall`` inwards, closed on the axis at the surface."""
    line = bezier_polyline(profile, _codes(kinds), PROFILE_RESOLUTION)
    line = line[line[:, 1] < level]
    keep = line[np.linspace(0, len(line) - 1, min(5, len(line))).round().astype(int)]
    r_top = radius_at(profile, kinds, level)
    pts = [(0.0, wall)] + [(max(r - wall, 0.0), max(h, wall)) for r, h in keep[1:]]
    pts.append((max(r_top - wall, 0.0), level))
    pts.append((0.0, level))
    return pts


@register("Wineglass")
def wineglass(rng: np.random.Generator) -> ProgramBuilder:
    """Stemmed glasses: red and white wine, flute, coupe, martini, snifter and goblet, plus stemless
    tumblers; plain, knopped or turned stems; optionally with wine in the bowl."""
    style = _pick(
        rng,
        {
            "red wine": 3,
            "white wine": 2,
            "flute": 2,
            "coupe": 1.5,
            "martini": 1.5,
            "snifter": 1,
            "goblet": 1,
            "stemless": 1,
        },
    )
    d = _Design(f"{style} glass")
    table = {  # bowl radius, bowl height / radius, rim / radius, stem length, foot radius / bowl radius
        "red wine": (0.045, 0.056, 2.0, 2.6, 0.7, 0.85, 0.06, 0.1, 0.8, 0.95),
        "white wine": (0.035, 0.042, 2.2, 2.8, 0.78, 0.9, 0.06, 0.085, 0.85, 1.0),
        "flute": (0.024, 0.03, 4.0, 5.5, 0.85, 0.95, 0.06, 0.09, 1.1, 1.35),
        "coupe": (0.048, 0.06, 0.7, 1.0, 1.0, 1.0, 0.08, 0.1, 0.65, 0.8),
        "martini": (0.052, 0.065, 1.0, 1.3, 1.0, 1.0, 0.07, 0.1, 0.6, 0.75),
        "snifter": (0.048, 0.058, 1.7, 2.0, 0.55, 0.68, 0.015, 0.035, 0.75, 0.85),
        "goblet": (0.04, 0.05, 1.5, 1.9, 0.9, 1.0, 0.04, 0.07, 0.8, 0.95),
        "stemless": (0.04, 0.05, 2.0, 2.5, 0.75, 0.88, 0.0, 0.0, 0.0, 0.0),
    }[style]
    radius = rng.uniform(table[0], table[1])
    bowl_h = radius * rng.uniform(table[2], table[3])
    rim = radius * rng.uniform(table[4], table[5])
    stem = rng.uniform(table[6], table[7])
    wall = rng.uniform(0.0015, 0.003)

    y_bowl = 0.0
    if style != "stemless":
        foot_r = radius * rng.uniform(table[8], table[9])
        foot_r = max(foot_r, 0.03)
        foot_h = rng.uniform(0.003, 0.006)
        r_stem = rng.uniform(0.0035, 0.005) * (1.6 if style == "goblet" else 1.0)
        lathe(
            d,
            "foot",
            [
                (0, 0),
                (foot_r, 0),
                (foot_r * 0.97, foot_h),
                (foot_r * 0.35, foot_h * 1.4),
                (r_stem * 1.3, foot_h * 2.2),
                (0, foot_h * 2.2),
            ],
            "ssaaas",
            resolution=16,
        )
        y_stem = foot_h * 2
        y_bowl = y_stem + stem
        kind = _pick(rng, {"plain": 3, "knop": 2, "turned": 1})
        if kind == "plain":
            primitive(
                d,
                "stem",
                "cylinder",
                (0, (y_stem + y_bowl) / 2, 0),
                (r_stem, r_stem, (y_bowl - y_stem) / 2 + 0.001),
                UP,
            )
        else:
            at = rng.uniform(0.3, 0.7) * stem
            r_knop = r_stem * rng.uniform(1.8, 2.6)
            k = rng.uniform(0.05, 0.1) * stem
            if kind == "knop":
                prof = [
                    (0, 0),
                    (r_stem * 1.1, 0),
                    (r_stem, 0.1 * stem),
                    (r_stem, at - 1.5 * k),
                    (r_knop, at),
                    (r_stem, at + 1.5 * k),
                    (r_stem, stem),
                    (0, stem + 0.001),
                ]
                kinds = "slaaaaas"
            else:
                prof = [
                    (0, 0),
                    (r_stem * 1.2, 0),
                    (r_stem * 0.8, at),
                    (r_knop, at + k),
                    (r_stem * 1.1, stem),
                    (0, stem + 0.001),
                ]
                kinds = "slaaas"
            lathe(d, "stem", prof, kinds, base=(0, y_stem, 0), resolution=12)

    if style == "martini":
        prof, kinds = [(0, 0), (0.08 * radius, 0.02 * bowl_h), (rim, bowl_h)], "sas"
    elif style == "coupe":
        prof, kinds = (
            [(0, 0), (0.45 * radius, 0.12 * bowl_h), (0.88 * radius, 0.55 * bowl_h), (rim, bowl_h)],
            "saaa",
        )
    elif style == "stemless":
        base_r = radius * rng.uniform(0.45, 0.6)
        prof, kinds = [(0, 0), (base_r, 0), (radius, 0.4 * bowl_h), (rim, bowl_h)], "slaa"
    else:
        belly = rng.uniform(0.3, 0.5)
        prof = [
            (0, 0),
            (0.55 * radius, 0.06 * bowl_h),
            (radius, belly * bowl_h),
            ((radius + rim) / 2 * 1.02, (belly + 1) / 2 * bowl_h),
            (rim, bowl_h),
        ]
        kinds = "saaaa"
    bowl_wall = wall if style != "stemless" else wall * 1.5
    lathe(d, "bowl", prof, kinds, base=(0, y_bowl, 0), thickness=bowl_wall, resolution=16)

    if rng.random() < 0.3 and style != "martini":
        level = bowl_h * rng.uniform(0.25, 0.5 if style != "flute" else 0.8)
        fill = _inner_fill(prof, kinds, level, bowl_wall * 0.5)  # the glass grows outside the profile
        lathe(d, "wine", fill, "s" + "a" * (len(fill) - 3) + "ss", base=(0, y_bowl, 0))
    return d.builder()


# ------------------------------------------------------------------------------------------- Vase

# Vase outlines as (radius, height) fractions of the height, bottom to mouth, with handle letters.
_VASE_SHAPES = {
    "amphora": ([(0.12, 0.0), (0.24, 0.35), (0.1, 0.78), (0.09, 0.92), (0.13, 1.0)], "laaaa"),
    "bottle": ([(0.15, 0.0), (0.25, 0.28), (0.17, 0.5), (0.055, 0.72), (0.06, 0.93), (0.08, 1.0)], "laaaaa"),
    "cylinder": ([(0.16, 0.0), (0.17, 0.1), (0.18, 0.9), (0.18, 1.0)], "laaa"),
    "trumpet": ([(0.14, 0.0), (0.07, 0.25), (0.1, 0.65), (0.26, 1.0)], "laaa"),
    "ovoid": ([(0.16, 0.0), (0.33, 0.4), (0.25, 0.8), (0.14, 0.94), (0.16, 1.0)], "laaaa"),
    "bud": ([(0.1, 0.0), (0.14, 0.2), (0.05, 0.7), (0.07, 1.0)], "laaa"),
    "urn": ([(0.1, 0.0), (0.28, 0.45), (0.2, 0.82), (0.24, 1.0)], "laaa"),
}


@register("Vase")
def vase(rng: np.random.Generator) -> ProgramBuilder:
    """Vases: amphora, bottle, cylinder, trumpet, ovoid, bud and urn outlines, sometimes fluted;
    optional pedestal foot, lip bead and a pair of handles."""
    style = _pick(
        rng, {"amphora": 2, "bottle": 2, "cylinder": 2, "trumpet": 1.5, "ovoid": 2, "bud": 1, "urn": 1.5}
    )
    height = rng.uniform(0.15, 0.45)
    width = rng.uniform(0.8, 1.25)
    shape, kinds = _VASE_SHAPES[style]
    jitter = rng.uniform(0.9, 1.1, size=len(shape))
    body = [(r * width * j * height, h * height) for (r, h), j in zip(shape, jitter)]
    # The bottom: a flat disc closing the wall on the axis.
    prof = [(0.0, 0.0), *body]
    kinds = "s" + kinds
    wall = rng.uniform(0.003, 0.008)
    d = _Design(f"{style} vase")

    y0 = 0.0
    if style in ("amphora", "urn", "trumpet") and rng.random() < 0.5:
        r_foot = body[0][0] * rng.uniform(1.0, 1.4)
        h_foot = height * rng.uniform(0.05, 0.1)
        lathe(
            d,
            "foot",
            [(0, 0), (r_foot, 0), (r_foot * 0.95, 0.3 * h_foot), (body[0][0] * 0.7, h_foot), (0, h_foot)],
            "ssaas",
        )
        y0 = h_foot
    flutes = None
    if rng.random() < 0.25:
        flutes = (int(rng.choice([12, 16, 20, 24, 32])), float(rng.choice([0.01, 0.02])))
    lathe(d, "body", prof, kinds, base=(0, y0, 0), thickness=wall, flutes=flutes, resolution=16)

    mouth_r, mouth_h = body[-1]
    if flutes is None and rng.random() < 0.25:
        swept_ring(d, "lip", (0, y0 + mouth_h, 0), mouth_r + wall, rng.uniform(0.003, 0.006))
    if (style in ("amphora", "urn") and rng.random() < 0.7) or rng.random() < 0.1:
        top_h = mouth_h * rng.uniform(0.78, 0.9)
        low_h = mouth_h * rng.uniform(0.45, 0.6)
        r_top, r_low = radius_at(prof, kinds, top_h, wall), radius_at(prof, kinds, low_h, wall)
        reach = height * rng.uniform(0.06, 0.12)
        t = height * rng.uniform(0.012, 0.02)
        shape_h = ("oval", t / 2, t * rng.uniform(0.8, 1.6)) if rng.random() < 0.6 else ("circle", t / 2)
        sink = t * 0.3
        for side in (-1, 1):
            path = [
                (side * (r_top - sink), y0 + top_h, 0),
                (side * (max(r_top, r_low) + reach), y0 + top_h + 0.02 * height, 0),
                (side * (r_low + 0.3 * reach), y0 + low_h + 0.05 * height, 0),
                (side * (r_low - sink), y0 + low_h, 0),
            ]
            sweep(d, "handle", path, "saas", shape_h)
    return d.builder()


# ----------------------------------------------------------------------------------------- Bottle


def screw_cap(
    d: _Design, rng: np.random.Generator, radius: float, y: float, height: float, label: str = "cap"
) -> None:
    """A closed cap over a neck: a turned top and skirt, knurled (fluted) or plain."""
    prof = [
        (0, y + height),
        (radius * 0.92, y + height),
        (radius, y + height - 0.08 * height),
        (radius, y),
        (0, y),
    ]
    flutes = (int(rng.choice([24, 32, 40])), 0.01) if rng.random() < 0.4 else None
    lathe(d, label, prof, "sasss", flutes=flutes, smooth=False, resolution=12)


@register("Bottle")
def bottle(rng: np.random.Generator) -> ProgramBuilder:
    """Bottles: wine, beer, water, milk, sauce and round flasks turned as thin shells, and square
    spirit bottles (bevelled box with a turned shoulder); closed by a cork, screw cap or crown cap,
    or left open; optional lip bead."""
    style = _pick(rng, {"wine": 3, "beer": 2, "water": 2, "milk": 1, "sauce": 1, "flask": 1, "square": 1.5})
    d = _Design(f"{style} bottle")
    table = {  # height, body radius, neck radius, shoulder start, shoulder length (fractions of height)
        "wine": ((0.28, 0.34), (0.036, 0.042), (0.0145, 0.0165), (0.55, 0.65), (0.1, 0.16)),
        "beer": ((0.2, 0.25), (0.029, 0.033), (0.012, 0.014), (0.45, 0.55), (0.2, 0.28)),
        "water": ((0.19, 0.27), (0.03, 0.04), (0.013, 0.015), (0.65, 0.75), (0.1, 0.15)),
        "milk": ((0.18, 0.26), (0.04, 0.05), (0.018, 0.024), (0.6, 0.7), (0.12, 0.18)),
        "sauce": ((0.16, 0.22), (0.025, 0.032), (0.01, 0.013), (0.55, 0.7), (0.08, 0.14)),
        "flask": ((0.18, 0.28), (0.05, 0.08), (0.012, 0.018), (0.3, 0.4), (0.2, 0.3)),
        "square": ((0.2, 0.3), (0.035, 0.05), (0.013, 0.016), (0.65, 0.78), (0.06, 0.1)),
    }[style]
    height = rng.uniform(*table[0])
    radius = rng.uniform(*table[1])
    neck = rng.uniform(*table[2])
    shoulder = height * rng.uniform(*table[3])
    taper = height * rng.uniform(*table[4])
    wall = rng.uniform(0.0015, 0.003)
    top = height

    if style == "square":
        depth = radius * rng.uniform(0.6, 1.0)
        primitive(
            d,
            "body",
            "cube",
            (0, shoulder / 2, 0),
            (radius, shoulder / 2, depth),
            bevel=(rng.uniform(0.05, 0.2), 3),
        )
        r_sh = min(radius, depth) * 0.95
        prof = [
            (0, shoulder * 0.98),
            (r_sh, shoulder * 0.98),
            (r_sh * 0.8, shoulder + 0.5 * taper),
            (neck, shoulder + taper),
            (neck, top),
        ]
        lathe(d, "neck", prof, "ssaas", thickness=wall, resolution=12)
    else:
        punt = height * rng.uniform(0.02, 0.06) if style == "wine" else 0.0
        if style == "flask":
            prof = [
                (0, 0),
                (radius * 0.55, 0),
                (radius, shoulder * 0.55),
                (neck * 1.4, shoulder + taper * 0.8),
                (neck, shoulder + taper),
                (neck, top),
            ]
            kinds = "slaaas"
        else:
            foot = radius * rng.uniform(0.88, 0.95)
            prof = [
                (0, punt),
                (foot, 0),
                (radius, 0.03 * height),
                (radius, shoulder),
                (neck * 1.05, shoulder + taper),
                (neck, top),
            ]
            kinds = "ssrlas"
            if style == "water" and rng.random() < 0.5:  # a waist to hold it by
                waist = shoulder * rng.uniform(0.45, 0.6)
                prof.insert(3, (radius * rng.uniform(0.8, 0.9), waist))
                kinds = "ssaaaas"
        flutes = (int(rng.choice([12, 16, 20])), 0.01) if style == "water" and rng.random() < 0.4 else None
        lathe(d, "body", prof, kinds, thickness=wall, flutes=flutes, resolution=16)

    lip = style in ("wine", "beer", "sauce", "milk") and rng.random() < 0.7
    if lip:
        tube = neck * rng.uniform(0.12, 0.2)
        swept_ring(d, "lip", (0, top - 1.3 * tube, 0), neck + wall, tube)
    closure = _pick(
        rng,
        {
            "cork": 1 if style in ("wine", "flask", "square") else 0.1,
            "screw": 1.2,
            "crown": 1 if style == "beer" else 0.1,
            "open": 0.8,
        },
    )
    if closure == "cork":
        out = rng.uniform(0.008, 0.02)
        r_cork = neck * 0.85 + wall
        cork_h = out + 0.015
        primitive(
            d,
            "cork",
            "cylinder",
            (0, top + out - cork_h / 2, 0),
            (r_cork, r_cork, cork_h / 2),
            UP,
            taper=float(rng.uniform(1.0, 1.12)),
        )
    elif closure == "screw":
        cap_h = rng.uniform(0.012, 0.03)
        screw_cap(d, rng, (neck + wall) * rng.uniform(1.15, 1.4), top - 0.75 * cap_h, cap_h)
    elif closure == "crown":
        cap_h = 0.006
        r_cap = (neck + wall) * 1.25
        primitive(
            d,
            "cap",
            "cylinder",
            (0, top - cap_h / 2 + 0.002, 0),
            (r_cap, r_cap, cap_h / 2),
            UP,
            bevel=(0.3, 2),
        )
    return d.builder()


# ------------------------------------------------------------------------------------ Jar and Lid


def knob(d: _Design, rng: np.random.Generator, y: float, size: float, kind: str | None = None) -> None:
    """A knob standing on height ``y``: a ball, a turned mushroom, a star-shaped grip or a loop."""
    kind = kind or _pick(rng, {"ball": 2, "mushroom": 2, "star": 1, "loop": 1})
    if kind == "ball":
        r = size / 2
        primitive(d, "knob", "uv_sphere", (0, y + 0.75 * r, 0), (r, 0.85 * r, r))
    elif kind == "mushroom":
        r, h = size / 2, size * rng.uniform(0.6, 0.9)
        prof = [(0, 0), (0.4 * r, 0), (0.35 * r, 0.45 * h), (r, 0.7 * h), (0.85 * r, h), (0, h)]
        lathe(d, "knob", prof, "ssaaas", base=(0, y - 0.001, 0))
    elif kind == "star":
        r, h = size / 2, size * rng.uniform(0.4, 0.7)
        points = int(rng.choice([5, 6, 8]))
        inner = rng.uniform(0.55, 0.75)

        def write(p: PartWriter, f: Frame) -> None:
            star = p.helper("star")
            p.call(
                "create_star", name=star, outer_radius=f.l(r), inner_radius=f.l(r * inner), num_points=points
            )
            p.call(
                "create_curve",
                name=p.obj,
                profile_name=star,
                control_points=f.ps([(0, y - 0.001, 0), (0, y + h, 0)]),
                handle_type=[1, 1, 1, 1],
                fill_caps="both",
            )

        d.add("knob", [[-r, y - 0.001, -r], [r, y + h, r]], write)
    else:
        half = size * rng.uniform(0.7, 1.0)
        rise = size * rng.uniform(0.5, 0.8)
        t = size * rng.uniform(0.12, 0.2)
        arc_sweep(
            d, "handle", (-half, y - 0.3 * t, 0), (0, y + rise, 0), (half, y - 0.3 * t, 0), ("oval", t / 2, t)
        )


def dome_lid(
    d: _Design, rng: np.random.Generator, radius: float, y: float, dome: float, t: float, lip: float
) -> None:
    """A domed lid resting on height ``y``: dome, rim and a short flange down into the opening."""
    prof = [
        (0, dome),
        (0.6 * radius, 0.85 * dome),
        (0.95 * radius, 0.2 * dome),
        (radius, 0.0),
        (0.92 * radius, -lip),
    ]
    lathe(d, "lid", prof, "saaas", base=(0, y, 0), thickness=t, resolution=16)


def cap_lid(d: _Design, rng: np.random.Generator, radius: float, y: float, height: float, t: float) -> None:
    """A screw-on lid seen as a shell: a flat top and a skirt, plain or knurled."""
    prof = [(0, height), (0.94 * radius, height), (radius, height - min(0.004, 0.3 * height)), (radius, 0.0)]
    flutes = (int(rng.choice([24, 32, 40, 48])), 0.01) if rng.random() < 0.4 else None
    lathe(d, "lid", prof, "sass", base=(0, y, 0), thickness=t, flutes=flutes, smooth=False, resolution=16)


@register("Jar")
def jar(rng: np.random.Generator) -> ProgramBuilder:
    """Jars: mason, apothecary, honey pot, ginger jar, canister (round or square) and ribbed jars,
    closed by a screw lid, a domed or flat lid with a knob, or a cork; mason jars left open show
    their threads."""
    style = _pick(
        rng,
        {"mason": 2, "apothecary": 1.5, "honey": 1.5, "ginger": 1.5, "canister": 2, "ribbed": 1, "square": 1},
    )
    d = _Design(f"{style} jar")
    radius = rng.uniform(0.035, 0.08)
    height = (
        radius * rng.uniform(1.6, 3.2) if style not in ("honey", "ginger") else radius * rng.uniform(1.5, 2.1)
    )
    wall = rng.uniform(0.002, 0.005)
    neck = radius * rng.uniform(0.65, 0.85)

    if style == "square":
        depth = radius * rng.uniform(0.7, 1.0)
        body_h = height * 0.9
        primitive(
            d,
            "body",
            "cube",
            (0, body_h / 2, 0),
            (radius, body_h / 2, depth),
            bevel=(rng.uniform(0.08, 0.25), 3),
        )
        primitive(
            d,
            "neck",
            "cylinder",
            (0, body_h + 0.05 * height - 0.002, 0),
            (neck, neck, 0.05 * height + 0.002),
            UP,
        )
    else:
        if style in ("mason", "apothecary", "ribbed"):
            sh = rng.uniform(0.72, 0.82)
            prof = [
                (0, 0),
                (0.95 * radius, 0),
                (radius, 0.03 * height),
                (radius, sh * height),
                (neck * 1.06, 0.9 * height),
                (neck, 0.93 * height),
                (neck, height),
            ]
            kinds = "ssrlars"
        elif style == "canister":
            prof, kinds = [(0, 0), (radius, 0), (radius, height)], "sss"
            neck = radius
        elif style == "honey":
            prof = [
                (0, 0),
                (0.6 * radius, 0),
                (radius, 0.45 * height),
                (0.85 * radius, 0.85 * height),
                (neck, height),
            ]
            kinds = "slaaa"
        else:  # ginger
            neck = radius * rng.uniform(0.45, 0.6)
            prof = [
                (0, 0),
                (0.55 * radius, 0),
                (radius, 0.5 * height),
                (neck * 1.2, 0.9 * height),
                (neck, height),
            ]
            kinds = "slaaa"
        flutes = (
            (int(rng.choice([16, 20, 24, 32])), float(rng.choice([0.01, 0.02])))
            if style == "ribbed"
            else None
        )
        lathe(d, "body", prof, kinds, thickness=wall, flutes=flutes, resolution=16)

    closure = {
        "mason": {"screw": 3, "open": 1},
        "apothecary": {"dome": 3, "cork": 1},
        "honey": {"dome": 3, "flat": 1},
        "ginger": {"dome": 1},
        "canister": {"flat": 3, "screw": 1},
        "ribbed": {"screw": 2, "flat": 2},
        "square": {"screw": 2, "cork": 1},
    }[style]
    closure = _pick(rng, closure)
    t = rng.uniform(0.0015, 0.003)
    # A turned jar's wall grows outside its profile: threads and lids go round that outer surface,
    # a cork fills the opening the profile leaves. The square jar's neck is a solid cylinder.
    outside = neck + (wall if style != "square" else 0.0)
    if closure == "open" and style == "mason":
        pitch = rng.uniform(0.004, 0.006)
        tube = pitch * 0.25
        count = int(rng.integers(2, 4))
        y = height - 0.004 - (count - 1) * pitch

        def threads(p: PartWriter, f: Frame) -> None:
            section_name = p.helper("circle")
            p.call("create_circle", name=section_name, radius=f.l(tube))
            p.call(
                "create_circle",
                name=p.obj,
                location=f.p((0, y, 0)),
                profile_name=section_name,
                rotation=UP,
                radius=f.l(outside),
            )
            # The swept ring is solidified with its turn applied (spec 3b, item 3): it is in world
            # axes, so the copies step up world Y.
            p.call("array_1d", name=p.obj, count=count, constant_offset=[0.0, f.l(pitch), 0.0])

        d.add(
            "thread",
            np.concatenate(
                [
                    ring_points((0, y, 0), outside, tube),
                    ring_points((0, y + (count - 1) * pitch, 0), outside, tube),
                ]
            ),
            threads,
        )
    elif closure == "screw":
        lid_h = rng.uniform(0.012, 0.025)
        cap_lid(d, rng, outside + 0.003, height - 0.8 * lid_h, lid_h, t)
    elif closure == "dome":
        lid_r = neck * rng.uniform(1.05, 1.2)
        dome = lid_r * rng.uniform(0.25, 0.6)
        dome_lid(d, rng, lid_r, height, dome, t, min(0.01, 0.3 * dome))
        knob(
            d,
            rng,
            height + dome - t * 0.5,
            lid_r * rng.uniform(0.35, 0.6),
            _pick(rng, {"ball": 2, "mushroom": 2, "star": 1}),
        )
    elif closure == "flat":
        lid_r = outside + 0.004
        lid_h = rng.uniform(0.008, 0.018)
        cap_lid(d, rng, lid_r, height - 0.6 * lid_h, lid_h, t)
        if rng.random() < 0.7:
            knob(
                d,
                rng,
                height + 0.4 * lid_h - 0.0005,
                lid_r * rng.uniform(0.3, 0.5),
                _pick(rng, {"ball": 2, "mushroom": 2, "star": 1}),
            )
    else:  # cork
        out = rng.uniform(0.01, 0.025)
        cork_h = out + 0.015
        r_cork = neck * 0.92 + (outside - neck)
        primitive(
            d,
            "cork",
            "cylinder",
            (0, height + out - cork_h / 2, 0),
            (r_cork, r_cork, cork_h / 2),
            UP,
            taper=float(rng.uniform(1.03, 1.12)),
        )
    return d.builder()


@register("Lid")
def lid(rng: np.random.Generator) -> ProgramBuilder:
    """Lids on their own: domed pot lids (optional steel rim; ball, mushroom, star, loop or bar
    grip), tall cloches, screw jar lids (plain or knurled) and rectangular box lids."""
    style = _pick(rng, {"pot": 4, "cloche": 1.5, "jar": 2, "box": 1.5})
    d = _Design(f"{style} lid")
    if style == "jar":
        radius = rng.uniform(0.03, 0.06)
        cap_lid(d, rng, radius, 0.0, radius * rng.uniform(0.25, 0.6), rng.uniform(0.0015, 0.003))
        return d.builder()
    if style == "box":
        return _box_lid(d, rng)
    radius = rng.uniform(0.08, 0.15)
    dome = radius * (rng.uniform(0.12, 0.35) if style == "pot" else rng.uniform(0.6, 0.95))
    t = rng.uniform(0.002, 0.004)
    if rng.random() < 0.4:  # a spherical cap
        sphere = (radius**2 + dome**2) / (2 * dome)
        start = math.degrees(math.asin((sphere - dome) / sphere))
        arc_lathe(d, "lid", sphere, start, 90.0, (0, dome - sphere, 0), thickness=t)
    else:
        dome_lid(d, rng, radius, 0.0, dome, t, rng.uniform(0.004, 0.01))
    if style == "pot" and rng.random() < 0.5:
        swept_ring(d, "rim", (0, 0, 0), radius, rng.uniform(0.002, 0.004))
    grip = _pick(rng, {"ball": 2, "mushroom": 2, "star": 1, "loop": 2, "bar": 1})
    size = radius * rng.uniform(0.25, 0.4)
    if grip == "bar":
        post_h = size * rng.uniform(0.35, 0.6)
        half = size * rng.uniform(0.8, 1.1)
        thick = size * 0.15
        y = dome - 0.002
        # The dome falls away from the top: the posts reach down to it (about a parabola's sag).
        sag = dome * min(1.0, 1.3 * (0.7 * half / radius) ** 2) + 0.002
        for side in (-1, 1):
            primitive(
                d,
                "post",
                "cylinder",
                (side * half * 0.7, y + (post_h - sag) / 2, 0),
                (thick, thick, (post_h + sag) / 2),
                UP,
            )
        primitive(
            d,
            "handle",
            "cube",
            (0, y + post_h + thick * 0.6, 0),
            (half, thick * 0.6, thick * 1.2),
            bevel=(0.4, 3),
        )
    else:
        knob(d, rng, dome - t * 0.5, size, grip)
    return d.builder()


def _box_lid(d: _Design, rng: np.random.Generator) -> ProgramBuilder:
    """A storage box lid: a bevelled slab with a skirt swept round its edge, often a bar grip."""
    half_w = rng.uniform(0.06, 0.15)
    half_l = half_w * rng.uniform(0.55, 1.0)
    slab = rng.uniform(0.004, 0.008)
    skirt = rng.uniform(0.008, 0.02)
    t = rng.uniform(0.0015, 0.003)
    corner = rng.uniform(0.1, 0.3)
    primitive(d, "top", "cube", (0, skirt + slab / 2, 0), (half_w, slab / 2, half_l), bevel=(corner, 4))
    # Drawn upwards, so that the swept strip's faces point out and its shell grows inwards (a
    # section sweep keeps the curve bevel's winding: spec 3b, item 3).
    strip = [(0.0, 0.0), (0.0, skirt + 0.3 * slab)]

    def bounds(q: _Rounding) -> np.ndarray:
        # The strip rises from the swept path's (rounded) location.
        w, ln, y = q.l(2 * half_w) / 2, q.l(2 * half_l) / 2, float(q.p((0, 0, 0))[1])
        return np.array([[-w, y, -ln], [w, y + strip[1][1], ln]])

    def write(p: PartWriter, f: Frame) -> None:
        curve = p.helper("curve")
        p.call(
            "create_curve",
            name=curve,
            control_points=[[f.l(x), f.l(y), 0.0] for x, y in strip],
            handle_type=[1, 1, 1, 1],
        )
        p.call(
            "create_rectangle",
            name=p.obj,
            profile_name=curve,
            width=f.l(2 * half_w),
            length=f.l(2 * half_l),
            location=f.p((0, 0, 0)),
            rotation=UP,
            bevel_width=f.l(corner * min(half_w, half_l)),
            thickness=f.l(t),
        )

    d.add("skirt", bounds, write)
    if rng.random() < 0.6:
        size = min(half_w, half_l) * rng.uniform(0.3, 0.5)
        primitive(
            d,
            "handle",
            "cube",
            (0, skirt + slab + size * 0.15, 0),
            (size, size * 0.18, size * 0.3),
            bevel=(0.4, 3),
        )
    return d.builder()


# ---------------------------------------------------------------------------------------- Cutlery


def cutlery(
    d: _Design,
    label: str,
    function: str,
    xs: Sequence[float],
    half_widths: Sequence[float],
    heights: Sequence[float],
    thickness: float,
    **extra,
) -> None:
    """A fork or spoon lying along +X (handle to the left), its local Z turned up: ``xs`` positions
    along it, ``half_widths`` and ``heights`` there, in metres. ``extra`` holds create_fork's
    ``x_tip`` (a position) and ``n_cuts`` or create_spoon's ``z_depth`` (a depth)."""
    depth = extra.get("z_depth", 0.0)

    def bounds(q: _Rounding) -> np.ndarray:
        x = [q.l(v) for v in xs]
        w = max(q.l(v) for v in half_widths)
        z = [q.l(v) for v in heights]
        return np.array([[x[0], min(z) - q.l(depth) - thickness / 2, -w], [x[-1], max(z) + thickness / 2, w]])

    def write(p: PartWriter, f: Frame) -> None:
        args = {k: (f.l(v) if k in ("x_tip", "z_depth") else v) for k, v in extra.items()}
        # Anchors are written with 2 decimals and must still increase.
        x_written = [round(f.l(v), 2) for v in xs]
        for i in range(1, len(x_written)):
            x_written[i] = max(x_written[i], round(x_written[i - 1] + 0.01, 2))
        p.call(
            function,
            name=p.obj,
            thickness=f.l(thickness),
            **args,
            x_anchors=x_written,
            y_anchors=f.l(list(half_widths)),
            z_anchors=f.l(list(heights)),
            location=f.p((0, 0, 0)),
            rotation=UP,
        )

    d.add(label, bounds, write)


def wooden_handle(
    d: _Design, rng: np.random.Generator, x0: float, x1: float, half_w: float, y: float, t: float
) -> None:
    """A separate handle from ``x0`` to ``x1`` round a metal tang at height ``y``: a bevelled slab
    (riveted) or a turned-looking cylinder, sometimes with a bolster at the front."""
    length = x1 - x0
    if rng.random() < 0.6:
        primitive(
            d,
            "handle",
            "cube",
            ((x0 + x1) / 2, y, 0),
            (length / 2, t, half_w),
            bevel=(rng.uniform(0.3, 0.6), 3),
        )
        for k in range(int(rng.integers(2, 4))):
            x = x0 + length * (0.25 + 0.5 * k / 2)
            r = min(half_w * 0.3, 0.0035)
            primitive(d, "rivet", "cylinder", (x, y, 0), (r, r, t * 1.08), UP)
    else:
        r = max(half_w, t)
        primitive(
            d,
            "handle",
            "cylinder",
            ((x0 + x1) / 2, y, 0),
            (r * 0.8, r * 0.8, length / 2),
            (0.71, 0.0, -0.71, 0.0),
            taper=float(rng.uniform(1.1, 1.3)),
        )
    if rng.random() < 0.5:
        r = max(half_w, t) * 0.9
        primitive(d, "bolster", "cylinder", (x1 + 0.006, y, 0), (r, r, 0.008), ALONG_X)


@register("Fork")
def fork(rng: np.random.Generator) -> ProgramBuilder:
    """Forks: dinner, salad, dessert, cocktail, serving and carving forks with two to five tines;
    most in one piece, some (all carving forks) with a separate riveted or round handle."""
    kind = _pick(rng, {"dinner": 4, "salad": 2, "dessert": 2, "cocktail": 1, "serving": 1.5, "carving": 1.5})
    length, tines, head_w = {
        "dinner": ((0.18, 0.21), (4, 4, 4, 3), (0.011, 0.014)),
        "salad": ((0.16, 0.18), (4, 4, 3), (0.012, 0.015)),
        "dessert": ((0.14, 0.17), (3, 3, 4), (0.01, 0.012)),
        "cocktail": ((0.11, 0.14), (3, 2), (0.006, 0.008)),
        "serving": ((0.21, 0.26), (4, 5, 3), (0.014, 0.019)),
        "carving": ((0.25, 0.32), (2, 2, 3), (0.01, 0.014)),
    }[kind]
    L = rng.uniform(*length)
    n_tines = int(rng.choice(tines))
    hw = rng.uniform(*head_w)
    t = rng.uniform(0.0015, 0.0028) * (1.3 if kind == "carving" else 1.0)
    separate = kind == "carving" or rng.random() < 0.15
    d = _Design(f"{kind} fork")

    tine_len = L * rng.uniform(0.17, 0.24) * (1.5 if kind == "carving" else 1.0)
    head_len = tine_len + L * rng.uniform(0.08, 0.12)
    neck_w = hw * rng.uniform(0.3, 0.45)
    end_w = hw * rng.uniform(0.75, 1.1)
    lift = L * rng.uniform(0.015, 0.04)
    x0 = -L / 2
    x_head = L / 2 - head_len
    if separate:
        # A short tang carries the head; the handle covers it.
        handle_len = L * rng.uniform(0.42, 0.52)
        xs = [
            x0 + handle_len * 0.7,
            x0 + handle_len * 0.95,
            x_head,
            x_head + 0.5 * (head_len - tine_len),
            L / 2 - tine_len,
            L / 2,
        ]
        ws = [neck_w * 0.9, neck_w * 0.9, neck_w, hw * 0.9, hw, hw * rng.uniform(0.95, 1.05)]
        zs = [0.0, 0.0, 0.0, -0.002, 0.0, lift * 0.5]
    else:
        xs = [x0, x0 + 0.3 * L, x_head, x_head + 0.5 * (head_len - tine_len), L / 2 - tine_len, L / 2]
        ws = [end_w, end_w * 0.7, neck_w, hw * 0.85, hw, hw * rng.uniform(0.95, 1.05)]
        zs = [lift, lift * 0.6, 0.0, -lift * 0.2, 0.0, lift * rng.uniform(0.2, 0.6)]
    x_tip = L / 2 - tine_len
    cutlery(d, "fork", "create_fork", xs, ws, zs, t, x_tip=x_tip, n_cuts=n_tines - 1)
    if separate:
        wooden_handle(d, rng, x0, x0 + handle_len, hw * rng.uniform(0.8, 1.1), 0.0, max(0.006, hw * 0.5))
    return d.builder()


@register("Spoon")
def spoon(rng: np.random.Generator) -> ProgramBuilder:
    """Spoons: table, tea, dessert, round soup and serving spoons (some serving spoons with a
    separate handle), Chinese soup spoons, and ladles (a turned bowl with a swept, hooked handle)."""
    kind = _pick(
        rng, {"table": 3, "tea": 2, "dessert": 1.5, "soup": 1.5, "serving": 1.5, "chinese": 1, "ladle": 1.5}
    )
    d = _Design("ladle" if kind == "ladle" else f"{kind} spoon")
    if kind == "ladle":
        return _ladle(d, rng)
    length, bowl_w, bowl_frac = {
        "table": ((0.18, 0.21), (0.02, 0.024), (0.3, 0.36)),
        "tea": ((0.12, 0.15), (0.013, 0.017), (0.3, 0.36)),
        "dessert": ((0.16, 0.18), (0.017, 0.02), (0.3, 0.35)),
        "soup": ((0.17, 0.2), (0.022, 0.026), (0.26, 0.32)),
        "serving": ((0.22, 0.28), (0.025, 0.032), (0.3, 0.36)),
        "chinese": ((0.12, 0.15), (0.022, 0.028), (0.45, 0.55)),
    }[kind]
    L = rng.uniform(*length)
    bw = rng.uniform(*bowl_w)
    bowl_len = L * rng.uniform(*bowl_frac)
    t = rng.uniform(0.0015, 0.0028) * (1.8 if kind == "chinese" else 1.0)
    depth = bw * rng.uniform(0.25, 0.45) * (1.4 if kind == "chinese" else 1.0)
    x0, x1 = -L / 2, L / 2
    xb = x1 - bowl_len
    lift = L * rng.uniform(0.02, 0.05) * (2.5 if kind == "chinese" else 1.0)
    end_w = bw * rng.uniform(0.45, 0.6) if kind != "chinese" else bw * rng.uniform(0.3, 0.4)
    neck_w = bw * rng.uniform(0.22, 0.32)
    round_bowl = kind == "soup"
    widest = xb + bowl_len * (0.5 if round_bowl else rng.uniform(0.3, 0.42))
    separate = kind == "serving" and rng.random() < 0.35
    # The bowl: from the neck it widens, is widest at ``widest`` and closes round at the tip.
    bowl_xs = [xb, xb + 0.15 * bowl_len, widest, x1 - 0.15 * bowl_len, x1 - 0.04 * bowl_len, x1]
    bowl_ws = [
        neck_w,
        0.65 * bw,
        bw,
        bw * (0.9 if round_bowl else 0.75),
        bw * (0.55 if round_bowl else 0.4),
        0.0,
    ]
    handle_len = L * rng.uniform(0.4, 0.5)
    if separate:
        xs = [x0 + handle_len * 0.7, xb - 0.15 * bowl_len, *bowl_xs]
        ws = [neck_w, neck_w, *bowl_ws]
        zs = [0.0] * (len(xs) - 1) + [0.001]
    else:
        xs = [x0, x0 + 0.35 * L, *bowl_xs]
        ws = [end_w, end_w * 0.6, *bowl_ws]
        zs = [lift, lift * 0.55] + [0.0] * (len(bowl_xs) - 1) + [0.001]
    cutlery(d, "spoon", "create_spoon", xs, ws, zs, t, z_depth=depth)
    if separate:
        wooden_handle(d, rng, x0, x0 + handle_len, bw * rng.uniform(0.45, 0.6), 0.0, max(0.006, bw * 0.3))
    return d.builder()


def _ladle(d: _Design, rng: np.random.Generator) -> ProgramBuilder:
    """A ladle: a deep turned bowl and a long handle swept up from its rim, ending in a hook."""
    r = rng.uniform(0.035, 0.055)
    depth = r * rng.uniform(0.7, 1.0)
    wall = rng.uniform(0.0015, 0.003)
    lathe(
        d,
        "bowl",
        [(0, 0), (0.6 * r, 0.05 * depth), (0.95 * r, 0.5 * depth), (r, depth)],
        "saaa",
        thickness=wall,
        resolution=16,
    )
    length = rng.uniform(0.22, 0.32)
    angle = math.radians(rng.uniform(35, 60))
    start = np.array([-r + 0.002, depth, 0.0])
    direction = np.array([-math.cos(angle), math.sin(angle), 0.0])
    mid = start + direction * length * 0.5 + np.array([0.0, 0.015, 0.0])
    end = start + direction * length
    path = [start, start + direction * 0.02 + np.array([0, 0.01, 0]), mid, end]
    kinds = "saaa"
    if rng.random() < 0.6:  # a hook to hang it by
        hook = rng.uniform(0.012, 0.02)
        path.append(end + np.array([-hook, hook * 0.3, 0]))
        path.append(end + np.array([-hook * 1.3, -hook * 0.8, 0]))
        kinds = "saaaaa"
    strap = rng.uniform(0.005, 0.009)
    shape = ("oval", 0.0015, strap) if rng.random() < 0.6 else ("rect", 0.0015, strap)
    sweep(d, "handle", [tuple(p) for p in path], kinds, shape)
    return d.builder()


# ------------------------------------------------------------------------------------- Chopsticks


@register("Chopsticks")
def chopsticks(rng: np.random.Generator) -> ProgramBuilder:
    """A pair of chopsticks, round, square, octagonal or flat, tapered to the tips (zoom_upper_face):
    side by side, crossed or held in a V; optional decorative bands and a chopstick rest."""
    style = _pick(rng, {"round": 3, "square": 2, "octagonal": 1.5, "flat": 1})
    layout = _pick(rng, {"parallel": 3, "crossed": 1.5, "held": 1.5, "rest": 2})
    L = rng.uniform(0.2, 0.27)
    r = rng.uniform(0.0035, 0.0055)
    taper = float(rng.uniform(0.3, 0.6))
    d = _Design("chopsticks")
    gap = rng.uniform(0.006, 0.02)

    # Each stick: its top-end centre and direction to the tip, in metres.
    if layout == "parallel":
        sticks = [((-L / 2, r, z), (1.0, 0.0, 0.0)) for z in (-gap / 2 - r, gap / 2 + r)]
    elif layout == "crossed":
        a = math.radians(rng.uniform(8, 25))
        sticks = [
            ((-L / 2 * math.cos(a), r, s * L / 2 * math.sin(a)), (math.cos(a), 0.0, -s * math.sin(a)))
            for s in (-1, 1)
        ]
        sticks[1] = ((sticks[1][0][0], 3 * r, sticks[1][0][2]), sticks[1][1])
    elif layout == "held":
        a = math.radians(rng.uniform(4, 12))
        sticks = [
            ((-L / 2, r, s * (L * math.sin(a) / 2 + r)), (math.cos(a), 0.0, -s * math.sin(a)))
            for s in (-1, 1)
        ]
    else:
        sticks = []
    rest_h = 0.0
    if layout == "rest":
        rest_h = rng.uniform(0.008, 0.015)
        rest_x = -L / 2 + L * rng.uniform(0.55, 0.7)
        rest_len = 2 * (gap + 2 * r) + rng.uniform(0.015, 0.03)
        kind = _pick(rng, {"bar": 1, "boat": 1, "block": 1})
        if kind == "bar":
            rr = rest_h / 2
            primitive(d, "rest", "cylinder", (rest_x, rr, 0), (rr, rr, rest_len / 2))
        elif kind == "block":
            primitive(
                d,
                "rest",
                "cube",
                (rest_x, rest_h / 2, 0),
                (rest_h * 0.8, rest_h / 2, rest_len / 2),
                bevel=(0.3, 3),
            )
        else:
            sag = rest_h * 0.4
            arc_sweep(
                d,
                "rest",
                (rest_x, rest_h, -rest_len / 2),
                (rest_x, rest_h - sag, 0),
                (rest_x, rest_h, rest_len / 2),
                ("oval", rest_h * 0.6, rest_h * 0.35),
            )
            rest_h = rest_h - sag + rest_h * 0.35
        # The sticks lie on the rest and on the table at their tips.
        tip_x = L / 2 - 0.01
        slope = math.atan2(rest_h, tip_x - rest_x)
        direction = (math.cos(slope), -math.sin(slope), 0.0)
        for z in (-gap / 2 - r, gap / 2 + r):
            top = np.array([rest_x, rest_h + r, z]) - np.array(direction) * (L * 0.62)
            sticks.append((tuple(top), direction))

    shape = {
        "round": ("cylinder", None),
        "square": ("cube", None),
        "octagonal": ("cylinder", [8, 1]),
        "flat": ("cube", None),
    }[style]
    band = rng.random() < 0.25
    band_at, band_len = rng.uniform(0.15, 0.3), rng.uniform(0.01, 0.025)
    for top, direction in sticks:
        u = np.asarray(direction) / np.linalg.norm(direction)
        centre = np.asarray(top) + u * L / 2
        scale = (r, r * (0.45 if style == "flat" else 1.0), L / 2)
        primitive(
            d, "chopstick", shape[0], tuple(centre), scale, quat_to(u), taper=taper, resolution=shape[1]
        )
        if band:
            c = np.asarray(top) + u * L * band_at
            s = 1.0 - (1.0 - taper) * band_at
            primitive(
                d,
                "band",
                shape[0],
                tuple(c),
                (r * s * 1.12, r * s * 1.12 * (0.45 if style == "flat" else 1.0), band_len / 2),
                quat_to(u),
                resolution=shape[1],
            )
    return d.builder()
