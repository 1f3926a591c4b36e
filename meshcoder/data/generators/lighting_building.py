"""Lamps and lights, doors and windows, bathtubs and toilets.

Every generator designs its object in metres (Y up, front towards +Z, X to the right), records the
extent of each part as it goes, and only then writes the program through a :class:`Frame` of the
whole box, so the program is canonical whatever was drawn. Positions and lengths are wrapped
(:class:`_Pos`, :class:`_Len`) until that frame exists; values that depend on how the frame rounds
(array pitches and counts, thin profiles) are computed then (:class:`_Fn`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.library_model import (
    arc_control_points,
    arc_through,
    bezier_polyline,
    bridge_order,
    lathe_section,
    spiral_turns,
)
from meshcoder.data.generators.registry import register

# Quaternions [w, x, y, z] that turn local +Z onto a world axis (lathes, cylinders, spirals).
Q_UP = [0.71, -0.71, 0.0, 0.0]  # local Z -> +Y (local Y -> -Z)
Q_DOWN = [0.71, 0.71, 0.0, 0.0]  # local Z -> -Y
Q_X = [0.71, 0.0, 0.71, 0.0]  # local Z -> +X
Q_NONE = [1.0, 0.0, 0.0, 0.0]

# Smallest scale written for a primitive (canonical units): two decimals would round less to zero.
MIN_SCALE = 0.006

# Smallest circle radius written for a tube profile; thinner tubes scale it by their point radii.
THIN_RADIUS = 0.02

# Handle codes of create_curve.
AUTO, SHARP = 0, 1


# ---------------------------------------------------------------------------------- deferred values


class _Pos:
    """A position (or a list of positions) in metres, written once the frame is known."""

    def __init__(self, value):
        self.value = np.asarray(value, dtype=float)


class _Len:
    """A length (or a nested list of lengths) in metres, written once the frame is known.

    ``floor`` keeps every written value at least that large (canonical units), so a thin part's scale
    does not round to zero at two decimals."""

    def __init__(self, value, floor: float = 0.0):
        self.value = value
        self.floor = floor


class _Fn:
    """Any value computed from the frame once it is known (``fn(frame)``)."""

    def __init__(self, fn):
        self.fn = fn


def _resolve(value, frame: Frame):
    if isinstance(value, _Fn):
        return value.fn(frame)
    if isinstance(value, _Pos):
        v = value.value
        return frame.p(v) if v.ndim == 1 else frame.ps(v)
    if isinstance(value, _Len):
        out = np.asarray(value.value, dtype=float) * frame.scale
        if value.floor:
            out = np.where(np.abs(out) < value.floor, np.copysign(value.floor, out), out)
        return out.tolist()
    if isinstance(value, list | tuple):
        return [_resolve(v, frame) for v in value]
    return value


class _Part:
    """Calls of one part, kept in metres until :meth:`Design.build`."""

    def __init__(self, index: int, label: str):
        self.index = index
        self.label = label
        self.calls: list[tuple[str, dict]] = []
        self.used: dict[str, int] = {}

    @property
    def obj(self) -> str:
        return f"{self.label}_{self.index}"

    def helper(self, kind: str, *numbers: int) -> str:
        middle = "".join(f"_{n}" for n in numbers)
        return f"{kind}{middle}_{self.index}"

    def fresh(self, kind: str) -> str:
        """A helper name not used before in this part: 'circle_<i>', then 'circle_2_<i>', ..."""
        self.used[kind] = self.used.get(kind, 0) + 1
        n = self.used[kind]
        return self.helper(kind) if n == 1 else self.helper(kind, n)

    def call(self, function: str | _Fn, **arguments) -> None:
        """Record a call; ``function`` may be an :class:`_Fn` giving, once the frame is known, the
        list of ``(function, arguments)`` calls to write in its place."""
        self.calls.append((function, arguments))


class Design:
    """An object drawn in metres: its parts' calls and the box that holds them."""

    def __init__(self, object_name: str):
        self.object_name = object_name
        self.parts: list[_Part] = []
        self.lo = np.full(3, np.inf)
        self.hi = np.full(3, -np.inf)
        self.clouds: list[np.ndarray] = []  # what was grown, so radial copies can be measured

    @contextmanager
    def part(self, label: str) -> Iterator[_Part]:
        part = _Part(len(self.parts) + 1, label)
        yield part
        self.parts.append(part)

    def grow(self, points, pad=0.0) -> None:
        """Widen the box to hold ``points`` (N x 3 metres), each padded by ``pad`` (scalar or per axis)."""
        pts = np.asarray(points, dtype=float).reshape(-1, 3)
        pad = np.broadcast_to(np.asarray(pad, dtype=float), (3,))
        if np.any(pad):
            pts = np.concatenate([pts] + [pts + sign * pad * e for e in np.eye(3) for sign in (-1, 1)])
        self.clouds.append(pts)
        self.lo = np.minimum(self.lo, pts.min(axis=0))
        self.hi = np.maximum(self.hi, pts.max(axis=0))

    def mark(self) -> int:
        """A bookmark: what is grown after it can be copied round an axis by :meth:`grow_radial`."""
        return len(self.clouds)

    def grow_radial(self, mark: int, centre, count: int, step: float) -> None:
        """Copies of everything grown since ``mark`` turned ``step`` radians apart about the vertical
        axis through ``centre`` (what ``array_rotate`` about +Y makes)."""
        pts = np.concatenate(self.clouds[mark:]) - np.asarray(centre, dtype=float)
        for k in range(1, count):
            c, s = math.cos(k * step), math.sin(k * step)
            # a turn about +Y by the angle: x' = c x + s z, z' = -s x + c z
            turned = np.stack(
                [c * pts[:, 0] + s * pts[:, 2], pts[:, 1], -s * pts[:, 0] + c * pts[:, 2]], axis=1
            )
            self.grow(turned + np.asarray(centre, dtype=float))

    def build(self, final_query: bool = False) -> ProgramBuilder:
        frame = Frame(self.lo, self.hi)
        builder = ProgramBuilder(self.object_name)
        for n, part in enumerate(self.parts):
            with builder.part(part.label) as writer:
                for function, arguments in part.calls:
                    calls = function.fn(frame) if isinstance(function, _Fn) else [(function, arguments)]
                    for name, args in calls:
                        values = {k: _resolve(v, frame) for k, v in args.items() if v is not None}
                        writer.call(name, **{k: v for k, v in values.items() if v is not None})
                if final_query and n == len(self.parts) - 1:
                    writer.call("get_faces")
        return builder


# ------------------------------------------------------------------------------------ rotations


def _quat_mul(a, b) -> np.ndarray:
    w1, x1, y1, z1 = a
    w2, x2, y2, z2 = b
    return np.array(
        [
            w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2,
            w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
            w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
            w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2,
        ]
    )


def _quat_axis_angle(axis, angle: float) -> np.ndarray:
    axis = np.asarray(axis, dtype=float)
    axis = axis / np.linalg.norm(axis)
    return np.concatenate([[math.cos(angle / 2)], math.sin(angle / 2) * axis])


def _q_to(direction) -> np.ndarray:
    """The quaternion turning +Z onto ``direction`` by the shortest arc."""
    d = np.asarray(direction, dtype=float)
    d = d / np.linalg.norm(d)
    z = np.array([0.0, 0.0, 1.0])
    c = float(np.dot(z, d))
    if c > 1 - 1e-9:
        return np.array([1.0, 0.0, 0.0, 0.0])
    if c < -1 + 1e-9:
        return np.array([0.0, 1.0, 0.0, 0.0])
    return _quat_axis_angle(np.cross(z, d), math.acos(c))


def _rotate(q, v) -> np.ndarray:
    """Rotate points ``v`` (N x 3) by the unit quaternion ``q``."""
    q = np.asarray(q, dtype=float)
    q = q / np.linalg.norm(q)
    w, x, y, z = q
    m = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )
    return np.asarray(v, dtype=float).reshape(-1, 3) @ m.T


def _qlist(q) -> list[float]:
    q = np.asarray(q, dtype=float)
    return (q / np.linalg.norm(q)).tolist()


# ------------------------------------------------------------------------------- building blocks


def _box(
    d: Design, p: _Part, name: str, centre, half, q=None, bevel=None, segments=3, apply=False, grow=True
):
    """A cube of half extents ``half`` at ``centre``, optionally turned by ``q`` and bevelled
    (``grow=False`` for cutters, which are not part of the object)."""
    half = np.asarray(half, dtype=float)
    corners = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]) * half
    if q is not None:
        corners = _rotate(q, corners)
    if grow:
        d.grow(np.asarray(centre) + corners)
    p.call(
        "create_primitive",
        name=name,
        primitive_type="cube",
        location=_Pos(centre),
        scale=_Len(half, MIN_SCALE),
        rotation=None if q is None else _qlist(q),
        apply=apply or None,
    )
    if bevel:
        p.call("bevel", name=name, width=bevel, segments=segments)


def _cyl(d: Design, p: _Part, name: str, a, b, r, kind="cylinder", rz=None, apply=False, res=None):
    """A cylinder (or cone, base at ``a``) from point ``a`` to point ``b`` of radius ``r``
    (``rz``: a second radius across, for elliptic sections)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    axis = b - a
    h = float(np.linalg.norm(axis))
    q = _q_to(axis)
    rz = r if rz is None else rz
    ring = np.array([[math.cos(t) * r, math.sin(t) * rz, 0.0] for t in np.linspace(0, 2 * math.pi, 33)])
    ring = _rotate(q, ring)
    d.grow(
        np.concatenate([a + ring, b + ring]) if kind == "cylinder" else np.concatenate([a + ring, b[None]])
    )
    rot = None if np.allclose(q, [1, 0, 0, 0]) else _qlist(q)
    extra = {}
    if res is not None:
        extra = {"use_minimum_face": False, "resolution": res}
    p.call(
        "create_primitive",
        name=name,
        primitive_type=kind,
        location=_Pos((a + b) / 2),
        scale=_Len([r, rz, h / 2], MIN_SCALE),
        rotation=rot,
        apply=apply or None,
        **extra,
    )


def _sphere(d: Design, p: _Part, name: str, centre, radii, apply=False):
    radii = np.broadcast_to(np.asarray(radii, dtype=float), (3,))
    d.grow(np.asarray(centre), radii)
    p.call(
        "create_primitive",
        name=name,
        primitive_type="uv_sphere",
        location=_Pos(centre),
        scale=_Len(radii, MIN_SCALE),
        apply=apply or None,
    )


def _lathe(
    d: Design,
    p: _Part,
    name: str,
    profile,
    base,
    codes=None,
    axis=(0.0, 1.0, 0.0),
    thickness=0.0,
    resolution=12,
    smooth=False,
    curve_resolution=8,
):
    """A solid of revolution: ``profile`` is a list of (radius, height) in metres measured from
    ``base`` along ``axis``; ``codes`` are create_curve handle codes (two per point)."""
    prof = np.asarray(profile, dtype=float)
    base = np.asarray(base, dtype=float)
    axis = np.asarray(axis, dtype=float) / np.linalg.norm(axis)
    q = np.asarray(Q_UP, dtype=float) if np.allclose(axis, [0, 1, 0]) else _q_to(axis)
    codes = codes if codes is not None else [SHARP] * (2 * len(prof))
    # The evaluated profile and, with a thickness, the shell on the side the lathe grows it.
    section = lathe_section(bezier_polyline(prof, codes, curve_resolution), abs(thickness))
    around = np.linspace(0, 2 * math.pi, 25)
    rings = [
        base + h * axis + _rotate(q, np.stack([np.cos(around) * r, np.sin(around) * r, 0 * around], axis=1))
        for r, h in section
    ]
    d.grow(np.concatenate(rings))
    curve = p.fresh("curve")
    pts = [[r, h, 0.0] for r, h in prof]
    p.call(
        "create_curve",
        name=curve,
        control_points=_Len(pts),
        handle_type=codes,
        resolution=curve_resolution,
    )
    p.call(
        "bezier_rotation",
        name=name,
        profile_name=curve,
        location=_Pos(base),
        rotation=_qlist(q),
        thickness=_Len(thickness) if thickness else None,
        use_smooth=smooth or None,
        resolution=resolution,
    )


def _tube(d: Design, p: _Part, name: str, points, r, codes=None, caps="both", resolution=12, radii=None):
    """A round tube of radius ``r`` swept along the Bezier path through ``points``.

    A thin tube is written as a larger circle scaled down by the point radii, which keep two
    significant digits where the circle's own radius would round to zero."""
    pts = np.asarray(points, dtype=float)
    radii = list(radii) if radii else [1.0] * len(pts)
    d.grow(pts, r * max(radii))
    circle = p.fresh("circle")

    def radius(f: Frame) -> float:
        return max(round(r * f.scale, 2), THIN_RADIUS)

    def point_radii(f: Frame):
        k = r * f.scale / radius(f)
        return (
            None if abs(k - 1) < 0.01 and all(v == 1.0 for v in radii) else [round(k * v, 2) for v in radii]
        )

    p.call("create_circle", name=circle, radius=_Fn(radius))
    p.call(
        "create_curve",
        name=name,
        profile_name=circle,
        control_points=_Pos(pts),
        points_radius=_Fn(point_radii),
        handle_type=codes if codes is not None else [AUTO] * (2 * len(pts)),
        fill_caps=caps,
        resolution=resolution,
    )


def _profile_circle(p: _Part, name: str, r: float, resolution: int | None = None) -> None:
    """A round sweep profile of radius ``r`` (metres); a thin one is a larger circle scaled down, since
    the circle's radius is written with two decimals and a sweep applies its profile's scale."""

    def radius(f: Frame) -> float:
        return max(round(r * f.scale, 2), THIN_RADIUS)

    def scale(f: Frame):
        k = round(r * f.scale / radius(f), 2)
        return None if abs(k - 1) < 0.005 else [k, k, 1.0]

    p.call("create_circle", name=name, radius=_Fn(radius), scale=_Fn(scale), resolution=resolution)


def _arc_tube(d: Design, p: _Part, name: str, p1, p2, p3, r, r_end=None, caps="both"):
    """A round tube along the circular arc from ``p1`` through ``p2`` to ``p3`` (lamp arms), tapering
    from ``r`` to ``r_end``. The library picks the arc's direction (and may take the other arc) from
    the written points, so they are chosen to draw this arc, and the taper follows its direction."""
    r_end = r if r_end is None else r_end
    d.grow(arc_through(p1, p2, p3), max(r, r_end))
    circle = p.fresh("circle")

    def radius(f: Frame) -> float:
        return max(round(r * f.scale, 2), THIN_RADIUS)

    def point_radii(f: Frame):
        k = r * f.scale / radius(f)
        if abs(k - 1) < 0.01 and r_end == r:
            return None
        ends = [round(k, 2), round(k * r_end / r, 2)]
        return ends[::-1] if arc_control_points(p1, p2, p3, f.ps)[1] else ends

    p.call("create_circle", name=circle, radius=_Fn(radius))
    p.call(
        "create_arc_by_3Dpoints",
        name=name,
        profile_name=circle,
        control_points=_Fn(lambda f: arc_control_points(p1, p2, p3, f.ps)[0]),
        points_radius=_Fn(point_radii),
        fill_caps=caps,
    )


def _ellipse_points(centre, a, b, q=Q_UP, n=48) -> np.ndarray:
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    local = np.stack([a * np.cos(t), b * np.sin(t), np.zeros_like(t)], axis=1)
    return np.asarray(centre, dtype=float) + _rotate(q, local)


def _loops(d: Design, p: _Part, names, rings, resolution=32, q=Q_UP):
    """Elliptic sections for a bridge: ``rings`` is a list of (centre, a, b[, quaternion]) in metres,
    ``a`` along X and ``b`` along Z when lying flat; one create_circle call makes them all."""
    centres, radii, scales, rots = [], [], [], []
    for ring in rings:
        centre, a, b = ring[:3]
        rq = ring[3] if len(ring) > 3 else q
        d.grow(_ellipse_points(centre, a, b, rq))
        centres.append(centre)
        radii.append(a)
        scales.append([1.0, round(b / a, 2), 1.0])
        rots.append(_qlist(rq))
    same_rot = all(np.allclose(r, rots[0]) for r in rots)
    p.call(
        "create_circle",
        name=list(names),
        location=_Pos(centres),
        rotation=rots[0] if same_rot else rots,
        radius=_Len(radii),
        scale=scales,
        resolution=resolution,
    )


def _uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _chance(rng: np.random.Generator, p: float) -> bool:
    return bool(rng.random() < p)


def _pick(rng: np.random.Generator, options: Sequence, weights: Sequence[float] | None = None):
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        return options[int(rng.choice(len(options), p=w / w.sum()))]
    return options[int(rng.integers(len(options)))]


def _bridge(d: Design, p: _Part, name: str, rings, cuts=4, caps="both", resolution=32, **options):
    """A surface bridged through elliptic sections (see :func:`_loops`) in the order listed.

    Blender bridges three or more sections in its own order (:func:`bridge_order`), which for a wall
    that folds back on itself (up the outside of a tub, over the rim, down the inside) zigzags
    between the two sides. So the sections are cut into runs that Blender bridges as listed (judged
    from the numbers as written), neighbouring runs sharing a section; one call bridges them all and
    the pieces are joined, welded along those shared sections. Caps go on the first and last
    sections as ``caps`` says."""
    names = [p.helper("circle", i + 1) for i in range(len(rings))]
    _loops(d, p, names, rings, resolution=resolution)

    def calls(f: Frame) -> list:
        written = [(np.round(f.p(ring[0]), 2), _ring_frame(ring)) for ring in rings]
        runs = _bridge_runs(written)
        run_caps = [
            _run_caps(
                written,
                run,
                k == 0 and caps in ("start", "both"),
                k == len(runs) - 1 and caps in ("end", "both"),
            )
            for k, run in enumerate(runs)
        ]
        if len(runs) == 1:
            args = dict(name=name, profile_name=names, number_cuts=cuts, fill_caps=run_caps[0], **options)
            return [("bridge_edge_loops", args)]
        pieces = [name] + [p.helper("wall", k) for k in range(2, len(runs) + 1)]
        sections = [[names[i] for i in run] for run in runs]
        args = dict(name=pieces, profile_name=sections, number_cuts=cuts, fill_caps=run_caps, **options)
        return [
            ("bridge_edge_loops", args),
            ("join_obj", dict(name=name, seq_name=pieces, weld_threshold=1e-4)),
        ]

    p.call(_Fn(calls))


def _ring_frame(ring) -> np.ndarray:
    """Local axes (as columns) of a bridge section's object as written: its rotation (two decimals)
    and its ellipse scale."""
    a, b = ring[1], ring[2]
    q = np.round(_qlist(ring[3] if len(ring) > 3 else Q_UP), 2)
    return _rotate(q, np.diag([1.0, round(b / a, 2), 1.0])).T


def _local_centres(written, run: list[int]) -> np.ndarray:
    """The centres of a run's sections in the local space of its first section's object."""
    centres = np.array([written[i][0] for i in run])
    return np.linalg.solve(written[run[0]][1], (centres - centres[0]).T).T


def _bridge_runs(written) -> list[list[int]]:
    """Consecutive runs of sections (neighbouring runs share one) that ``bridge_edge_loops`` joins in
    the listed order, each as long as it can be; ``written`` holds each section's (centre, axes)."""
    runs = [[0, 1]]
    for i in range(2, len(written)):
        longer = runs[-1] + [i]
        # a near tie in Blender's choice would leave the order to float noise: end the run there
        if bridge_order(_local_centres(written, longer), margin=1e-6) in (
            list(range(len(longer))),
            list(range(len(longer)))[::-1],
        ):
            runs[-1] = longer
        else:
            runs.append([runs[-1][-1], i])
    return runs


def _run_caps(written, run: list[int], cap_first: bool, cap_last: bool) -> str:
    """The ``fill_caps`` that close a run's first and/or last section: Blender caps the ends of its
    own order, which may run from the last section listed."""
    forward = bridge_order(_local_centres(written, run))[0] == 0
    ends = {"start" if forward else "end": cap_first, "end" if forward else "start": cap_last}
    wanted = [end for end, on in ends.items() if on]
    return "both" if len(wanted) == 2 else (wanted[0] if wanted else "none")


# -------------------------------------------------------------------------------------- bathroom


def _faucet_spout(d: Design, p: _Part, name: str, foot, height, reach, r, direction=(1.0, 0.0, 0.0)):
    """A gooseneck spout rising from ``foot`` and bending over towards ``direction``."""
    foot = np.asarray(foot, dtype=float)
    u = np.asarray(direction, dtype=float)
    up = np.array([0.0, 1.0, 0.0])
    pts = [
        foot,
        foot + up * height * 0.7,
        foot + up * height + u * reach * 0.4,
        foot + up * height * 0.9 + u * reach,
    ]
    _tube(d, p, name, pts, r, codes=[SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP])


@register("Bathtub")
def bathtub(rng: np.random.Generator) -> ProgramBuilder:
    """Freestanding (optionally slipper-tilted, on a plinth), clawfoot (four turned feet) or built-in
    tubs (a block with a rounded-box or oval cavity cut out); floor, deck or no faucet, handles, drain,
    grab bar. The shell is bridged through elliptic sections, outside up, over the rim and down inside."""
    style = _pick(rng, ["freestanding", "clawfoot", "built-in"], [0.35, 0.25, 0.4])
    d = Design(_pick(rng, ["bathtub", "bath tub", "bath"]) if style == "built-in" else f"{style} bathtub")
    length = _uniform(rng, 1.45, 1.8)
    width = _uniform(rng, 0.7, 0.86)
    height = _uniform(rng, 0.5, 0.66)
    a, b = length / 2, width / 2

    if style in ("freestanding", "clawfoot"):
        y0 = _uniform(rng, 0.12, 0.18) if style == "clawfoot" else 0.0
        plinth = style == "freestanding" and _chance(rng, 0.5)
        if plinth:
            y0 = _uniform(rng, 0.03, 0.06)
        k0 = _uniform(rng, 0.72, 0.88)
        rim = _uniform(rng, 0.035, 0.06)
        floor = _uniform(rng, 0.04, 0.07)
        tilt = _uniform(rng, 0.0, 0.1) if _chance(rng, 0.5) else 0.0
        q_rim = _quat_mul(_quat_axis_angle([0, 0, 1], tilt), Q_UP)
        top = height + a * math.sin(tilt) * 0.5
        ai, bi = a - rim, b - rim
        rings = [
            ([0, y0, 0], a * k0, b * k0),
            ([0, y0 + (top - y0) * 0.45, 0], a * _uniform(rng, 0.93, 0.98), b * 0.96),
            ([0, top - 0.025, 0], a, b, q_rim),
            ([0, top, 0], a - rim * 0.35, b - rim * 0.35, q_rim),
            ([0, top - 0.012, 0], ai, bi, q_rim),
            ([0, top - 0.07, 0], ai * 0.99, bi * 0.98, q_rim),
            ([0, y0 + floor + (top - y0) * 0.3, 0], ai * 0.9, bi * 0.84),
            ([0, y0 + floor, 0], ai * _uniform(rng, 0.62, 0.75), bi * _uniform(rng, 0.5, 0.62)),
        ]
        with d.part("tub") as p:
            # Blender's PATH interpolation overshoots between close or tilted sections
            _bridge(d, p, p.obj, rings, cuts=int(rng.integers(3, 6)), interpolation="SURFACE")
            p.call("recalculate_normals", name=p.obj)
        with d.part("drain") as p:
            dx = _uniform(rng, -0.3, 0.3) * ai
            _cyl(
                d,
                p,
                p.obj,
                [dx, y0 + floor - 0.003, 0],
                [dx, y0 + floor + 0.006, 0],
                _uniform(rng, 0.025, 0.04),
            )
        if plinth:
            with d.part("plinth") as p:
                _cyl(d, p, p.obj, [0, 0, 0], [0, y0 + 0.01, 0], a * k0 * 0.9, rz=b * k0 * 0.9)
        if style == "clawfoot":
            foot_h = y0 + 0.04
            fx, fz = a * k0 * _uniform(rng, 0.7, 0.82), b * k0 * _uniform(rng, 0.45, 0.6)
            rf = _uniform(rng, 0.03, 0.045)
            profile = [
                (0.0, 0.0),
                (rf, 0.0),
                (rf * 1.1, foot_h * 0.15),
                (rf * 0.65, foot_h * 0.35),
                (rf * 0.55, foot_h * 0.7),
                (rf * 1.2, foot_h),
                (0.0, foot_h),
            ]
            codes = [SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP]
            for sx in (-1, 1):
                for sz in (1, -1):
                    with d.part("foot") as p:
                        _lathe(d, p, p.obj, profile, [sx * fx, 0, sz * fz], codes=codes, resolution=6)
        faucet = _pick(rng, ["floor", "deck", "none"], [0.4, 0.4, 0.2])
        end = -1 if _chance(rng, 0.5) else 1
        if faucet == "floor":
            xf = end * (a + _uniform(rng, 0.1, 0.2))
            with d.part("faucet") as p:
                _faucet_spout(
                    d,
                    p,
                    p.obj,
                    [xf, 0, 0],
                    top + _uniform(rng, 0.15, 0.3),
                    abs(xf) - a + 0.15,
                    0.018,
                    (-end, 0, 0),
                )
            with d.part("handle") as p:
                hy = top - _uniform(rng, 0.0, 0.1)
                _cyl(d, p, p.obj, [xf, hy, 0.0], [xf, hy, 0.07], 0.012)
        elif faucet == "deck":
            xf = end * (a - rim * 0.5)
            with d.part("faucet") as p:
                _faucet_spout(
                    d, p, p.obj, [xf, top - 0.01, 0], _uniform(rng, 0.12, 0.25), 0.12, 0.014, (-end, 0, 0)
                )
            with d.part("handles") as p:
                for i, sz in enumerate((-1, 1)):
                    nm = p.obj if i == 0 else p.helper("knob")
                    _cyl(d, p, nm, [xf, top - 0.01, sz * 0.09], [xf, top + 0.06, sz * 0.09], 0.018)
                p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("knob")])
    else:
        end_deck = _uniform(rng, 0.1, 0.22)
        side_deck = _uniform(rng, 0.05, 0.1)
        floor = _uniform(rng, 0.08, 0.15)
        with d.part("tub") as p:
            _box(d, p, p.obj, [0, height / 2, 0], [a, height / 2, b], bevel=_uniform(rng, 0.01, 0.03))
            cut = p.helper("cavity")
            x0, x1 = -a + end_deck, a - side_deck * _uniform(rng, 1.0, 1.6)
            z0, z1 = -b + side_deck, b - side_deck
            cx, ca, cb = (x0 + x1) / 2, (x1 - x0) / 2, (z1 - z0) / 2
            if _chance(rng, 0.5):
                depth = height - floor
                cube_half = [ca, depth / 2 + 0.05, cb]
                centre = [cx, height - depth / 2 + 0.05, 0]
                p.call(
                    "create_primitive",
                    name=cut,
                    primitive_type="cube",
                    location=_Pos(centre),
                    scale=_Len(cube_half),
                    apply=None,
                )
                p.call("bevel", name=cut, width=round(_uniform(rng, 0.25, 0.5), 2), segments=4)
            else:
                rings = [
                    ([cx, height + 0.05, 0], ca, cb),
                    ([cx, height - 0.05, 0], ca * 0.99, cb * 0.98),
                    ([cx, floor + (height - floor) * 0.35, 0], ca * 0.9, cb * 0.85),
                    ([cx, floor, 0], ca * 0.7, cb * 0.55),
                ]
                names = [p.helper("circle", i + 1) for i in range(len(rings))]
                lo, hi = d.lo.copy(), d.hi.copy()
                _loops(d, p, names, rings)
                d.lo, d.hi = lo, hi  # the cutter reaches above the rim; it is not geometry
                p.call(
                    "bridge_edge_loops",
                    name=cut,
                    profile_name=names,
                    number_cuts=3,
                    interpolation="SURFACE",
                    fill_caps="both",
                )
            p.call("boolean_operation", name1=p.obj, name2=cut, operation="DIFFERENCE")
        with d.part("drain") as p:
            _cyl(d, p, p.obj, [x0 + 0.12, floor - 0.004, 0], [x0 + 0.12, floor + 0.004, 0], 0.035)
        if _chance(rng, 0.75):
            xf = -a + end_deck / 2
            with d.part("faucet") as p:
                _faucet_spout(
                    d, p, p.obj, [xf, height, 0], _uniform(rng, 0.1, 0.22), _uniform(rng, 0.1, 0.16), 0.014
                )
            if _chance(rng, 0.7):
                with d.part("handles") as p:
                    off = _uniform(rng, 0.1, 0.16)
                    for i, sz in enumerate((-1, 1)):
                        nm = p.obj if i == 0 else p.helper("knob")
                        _cyl(d, p, nm, [xf, height, sz * off], [xf, height + 0.05, sz * off], 0.02)
                    p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("knob")])
        if _chance(rng, 0.35):
            with d.part("grab bar") as p:
                gx = _uniform(rng, -0.2, 0.2)
                pts = [
                    [gx - 0.15, height, -b + side_deck / 2],
                    [gx - 0.15, height + 0.08, -b + side_deck / 2],
                    [gx + 0.15, height + 0.08, -b + side_deck / 2],
                    [gx + 0.15, height, -b + side_deck / 2],
                ]
                _tube(d, p, p.obj, pts, 0.012, codes=[SHARP] * 8)
    return d.build(final_query=_chance(rng, 0.25))


@register("Toilet")
def toilet(rng: np.random.Generator) -> ProgramBuilder:
    """Close-coupled (tank, tank lid, button or lever), wall-hung (back block) or back-to-wall pans
    (optional flush plate); waisted or skirted pedestal, round or elongated bowl bridged through
    ellipses, torus or flat (boolean) seat, closed, open or no lid, hinges, bolt caps."""
    kind = _pick(rng, ["close-coupled", "wall-hung", "back-to-wall"], [0.55, 0.25, 0.2])
    d = Design(_pick(rng, ["toilet", "toilet", "wall hung toilet"]) if kind == "wall-hung" else "toilet")
    rim = _uniform(rng, 0.37, 0.43)
    a = _uniform(rng, 0.165, 0.195)
    b = _uniform(rng, 0.2, 0.25) if _chance(rng, 0.7) else a * _uniform(rng, 1.05, 1.15)
    tank_w = _uniform(rng, 0.36, 0.5)
    tank_d = _uniform(rng, 0.14, 0.22)
    tank_h = _uniform(rng, 0.3, 0.42)
    back = tank_d if kind == "close-coupled" else _uniform(rng, 0.12, 0.2)
    zc = back + b - _uniform(rng, 0.0, 0.03)
    drop = _uniform(rng, 0.26, 0.32)  # rim to the bowl's foot

    if kind != "wall-hung":
        waist = _uniform(rng, 0.6, 0.85) if _chance(rng, 0.6) else 1.0
        af, bf = a * _uniform(rng, 0.6, 0.8), b * _uniform(rng, 0.75, 0.95)
        zf = zc - b * _uniform(rng, 0.1, 0.3)
        y1 = rim - drop
        rings = [
            ([0, 0.0, zf], af, bf),
            ([0, y1 * 0.45, zf + (zc - b * 0.15 - zf) * 0.3], af * waist, bf * waist),
            ([0, y1 + 0.02, zc - b * 0.15], a * 0.5, b * 0.5),
        ]
        if kind == "back-to-wall":  # a smooth block from the floor to under the rim, back to the wall
            af, bf = a * _uniform(rng, 0.85, 0.95), (zc + b * _uniform(rng, 0.6, 0.9)) / 2
            rings = [
                ([0, 0.0, bf], af, bf),
                ([0, rim * 0.5, bf], af * 1.02, bf),
                ([0, rim - 0.035, bf], a * 0.97, bf * 0.98),
            ]
            zf = bf
        with d.part("pedestal") as p:
            # SURFACE: the sections are not coaxial, where PATH interpolation can fold
            _bridge(d, p, p.obj, rings, cuts=3, interpolation="SURFACE")
    foot = ([0, rim - drop, zc - b * 0.15], a * 0.45, b * 0.45)
    if kind == "wall-hung":
        foot = ([0, rim - drop, zc - b * 0.1], a * 0.6, b * 0.6)
    rings = [
        foot,
        ([0, rim - drop * 0.6, zc - b * 0.05], a * 0.82, b * 0.82),
        ([0, rim - drop * 0.25, zc], a * 0.97, b * 0.97),
        ([0, rim - 0.015, zc], a, b),
        ([0, rim, zc], a - 0.012, b - 0.012),
        ([0, rim - 0.012, zc], a - 0.03, b - 0.03),
        ([0, rim - drop * 0.35, zc + 0.01], (a - 0.03) * 0.72, (b - 0.03) * 0.72),
        ([0, rim - drop * 0.7, zc - b * 0.1], a * 0.22, b * 0.28),
    ]
    with d.part("bowl") as p:
        _bridge(d, p, p.obj, rings, cuts=int(rng.integers(2, 5)), interpolation="SURFACE")
        p.call("recalculate_normals", name=p.obj)
    if kind == "wall-hung":
        with d.part("back") as p:
            zb = zc - b * 0.4
            _box(d, p, p.obj, [0, rim - drop * 0.5 - 0.01, zb / 2], [a * 0.7, drop * 0.5, zb / 2], bevel=0.2)

    seat_t = _uniform(rng, 0.02, 0.035)
    sa, sb, sz = a + 0.004, b + 0.008, zc + 0.006
    with d.part("seat") as p:
        if _chance(rng, 0.5):
            d.grow(_ellipse_points([0, rim, sz], sa, sb))
            d.grow(_ellipse_points([0, rim + seat_t, sz], sa, sb))
            p.call(
                "create_primitive",
                name=p.obj,
                primitive_type="torus",
                location=_Pos([0, rim + seat_t / 2, sz]),
                scale=_Len([sa / 1.25, sb / 1.25, seat_t / 0.5]),
                rotation=Q_UP,
            )
        else:
            _cyl(d, p, p.obj, [0, rim, sz], [0, rim + seat_t, sz], sa, rz=sb)
            hole = p.helper("hole")
            k = _uniform(rng, 0.55, 0.68)
            _cyl(
                d,
                p,
                hole,
                [0, rim - 0.01, sz + 0.015],
                [0, rim + seat_t + 0.01, sz + 0.015],
                sa * k,
                rz=sb * k,
            )
            p.call("boolean_operation", name1=p.obj, name2=hole, operation="DIFFERENCE")
    lid = _pick(rng, ["closed", "open", "none"], [0.45, 0.4, 0.15])
    lid_t = _uniform(rng, 0.015, 0.03)
    hinge_z = zc - b + 0.01
    if lid == "closed":
        with d.part("lid") as p:
            _cyl(d, p, p.obj, [0, rim + seat_t, sz], [0, rim + seat_t + lid_t, sz], sa * 0.99, rz=sb * 0.99)
            p.call("bevel", name=p.obj, width=0.3, segments=3)
    elif lid == "open":  # standing up, against the tank or leaning back a little
        lz = max(hinge_z, tank_d + 0.004) if kind == "close-coupled" else hinge_z - lid_t
        lean = 0.0 if kind == "close-coupled" else _uniform(rng, 0.05, 0.2)
        up = np.array([0.0, math.cos(lean), -math.sin(lean)])
        normal = np.array([0.0, math.sin(lean), math.cos(lean)])
        c = np.array([0, rim + seat_t, lz]) + up * sb
        with d.part("lid") as p:
            _cyl(d, p, p.obj, c, c + normal * lid_t, sa * 0.99, rz=sb * 0.99)
    with d.part("hinge") as p:
        hx = _uniform(rng, 0.05, 0.09)
        _cyl(
            d,
            p,
            p.obj,
            [-hx - 0.02, rim + 0.012, hinge_z],
            [-hx + 0.02, rim + 0.012, hinge_z],
            0.011,
            apply=True,
        )
        p.call("array_1d", name=p.obj, count=2, constant_offset=_Len([2 * hx, 0.0, 0.0]))
    if kind == "close-coupled":
        y0 = rim - _uniform(rng, 0.03, 0.08)
        rounded = _uniform(rng, 0.05, 0.35)
        with d.part("tank") as p:
            _box(
                d,
                p,
                p.obj,
                [0, y0 + tank_h / 2, tank_d / 2],
                [tank_w / 2, tank_h / 2, tank_d / 2],
                bevel=rounded,
            )
        top = y0 + tank_h
        with d.part("tank lid") as p:
            _box(
                d,
                p,
                p.obj,
                [0, top + 0.012, tank_d / 2],
                [tank_w / 2 + 0.01, 0.012, tank_d / 2 + 0.01],
                bevel=0.3,
            )
        if _chance(rng, 0.6):
            with d.part("flush button") as p:
                _cyl(
                    d,
                    p,
                    p.obj,
                    [0, top + 0.024, tank_d / 2],
                    [0, top + 0.034, tank_d / 2],
                    _uniform(rng, 0.018, 0.03),
                )
        else:
            with d.part("flush lever") as p:
                lx, ly = -tank_w / 2 + 0.05, top - 0.05
                _cyl(d, p, p.obj, [lx, ly, tank_d], [lx, ly, tank_d + 0.012], 0.015)
                arm = p.helper("arm")
                _box(d, p, arm, [lx + 0.04, ly, tank_d + 0.016], [0.04, 0.007, 0.005], bevel=0.4)
                p.call("join_obj", name=p.obj, seq_name=[p.obj, arm])
    if kind != "wall-hung" and _chance(rng, 0.4):
        with d.part("bolt caps") as p:
            bx = a * _uniform(rng, 0.55, 0.75)
            _sphere(d, p, p.obj, [-bx, 0.0, zf], [0.016, 0.02, 0.016], apply=True)
            p.call("array_1d", name=p.obj, count=2, constant_offset=_Len([2 * bx, 0.0, 0.0]))
    return d.build(final_query=_chance(rng, 0.25))


# -------------------------------------------------------------------------------------- lighting


def _shade_profile(rng: np.random.Generator, style: str, rb: float, h: float):
    """A lamp shade's outline as (radius, height) from its lower rim up, with handle codes."""
    if style == "drum":
        rt = rb * _uniform(rng, 0.92, 1.0)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    if style == "empire":
        rt = rb * _uniform(rng, 0.5, 0.75)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    if style == "coolie":
        rt = rb * _uniform(rng, 0.2, 0.35)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    if style == "bell":
        rt = rb * _uniform(rng, 0.45, 0.6)
        pts = [(rb, 0.0), (rb * 0.88, h * 0.2), (rt * 1.12, h * 0.75), (rt, h)]
        return pts, [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
    if style == "dome":
        rt = rb * _uniform(rng, 0.1, 0.2)
        pts = [(rb, 0.0), (rb * 0.93, h * 0.45), (rb * 0.62, h * 0.88), (rt, h)]
        return pts, [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
    if style == "cone":
        rt = rb * _uniform(rng, 0.08, 0.2)
        return [(rb, 0.0), (rt, h)], [SHARP] * 4
    raise ValueError(f"unknown shade style {style!r}")


BULB_PROFILE = [(0.0, 0.0), (0.3, 0.0), (0.32, 0.25), (0.5, 0.55), (0.48, 0.85), (0.0, 1.0)]
BULB_CODES = [SHARP, SHARP, SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]


def _bulb(d: Design, p: _Part, name: str, base, size: float, axis=(0.0, 1.0, 0.0)):
    """A pear-shaped light bulb of length ``size`` from its cap at ``base`` along ``axis``."""
    prof = [(r * size, h * size) for r, h in BULB_PROFILE]
    _lathe(d, p, name, prof, base, codes=BULB_CODES, axis=axis, resolution=6, smooth=True)


def _canopy(d: Design, p: _Part, name: str, top_y: float, r: float, h: float, x=0.0, z=0.0):
    """A ceiling canopy: a shallow dome hanging from the ceiling at ``top_y``."""
    prof = [(0.0, 0.0), (r * 0.45, 0.0), (r * 0.85, h * 0.35), (r, h), (0.0, h)]
    codes = [SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP, SHARP]
    _lathe(d, p, name, prof, [x, top_y - h, z], codes=codes, resolution=8)


def _ring(d: Design, p: _Part, name: str, centre, r: float, wire: float, axis=(0.0, 1.0, 0.0)):
    """A wire ring of radius ``r`` about ``axis`` (a round profile swept around a circle)."""
    q = np.asarray(Q_UP) if np.allclose(axis, [0, 1, 0]) else _q_to(axis)
    d.grow(np.asarray(centre) + _rotate(q, _ellipse_points([0, 0, 0], r, r, Q_NONE)), wire)
    profile = p.fresh("wire")
    _profile_circle(p, profile, wire)
    p.call(
        "create_circle",
        name=name,
        profile_name=profile,
        location=_Pos(centre),
        rotation=_qlist(q),
        radius=_Len(r),
    )


def _shade_part(d: Design, rng: np.random.Generator, style: str, base, rb: float, h: float, axis=(0, 1, 0)):
    with d.part("shade") as p:
        prof, codes = _shade_profile(rng, style, rb, h)
        t = _uniform(rng, 0.002, 0.005)
        _lathe(
            d, p, p.obj, prof, base, codes=codes, axis=axis, thickness=t, resolution=int(rng.integers(8, 13))
        )
    return prof


@register("Lamp")
def lamp(rng: np.random.Generator) -> ProgramBuilder:
    """Table lamps: vase, column, candlestick, ball, gourd or tripod body (optional plinth), neck and
    socket, bulb, a drum, empire, bell or coolie shade (lathe), optional wire rims, harp and finial."""
    body = _pick(rng, ["vase", "column", "candlestick", "ball", "tripod", "gourd"])
    d = Design(_pick(rng, ["table lamp", "lamp", "bedside lamp"]))
    y = 0.0
    foot_r = _uniform(rng, 0.06, 0.1)
    if body in ("column", "candlestick", "ball", "gourd") and _chance(rng, 0.7):
        with d.part("base") as p:
            bh = _uniform(rng, 0.015, 0.035)
            if _chance(rng, 0.5):
                _cyl(d, p, p.obj, [0, 0, 0], [0, bh, 0], foot_r * _uniform(rng, 1.0, 1.3))
            else:
                s = foot_r * _uniform(rng, 0.9, 1.2)
                _box(d, p, p.obj, [0, bh / 2, 0], [s, bh / 2, s], bevel=0.1)
            y = bh
    with d.part("body") as p:
        hb = _uniform(rng, 0.18, 0.38)
        if body == "vase":
            rmax = _uniform(rng, 0.07, 0.14)
            rn = _uniform(rng, 0.015, 0.035)
            prof = [
                (0.0, 0.0),
                (rmax * _uniform(rng, 0.45, 0.75), 0.0),
                (rmax, hb * _uniform(rng, 0.3, 0.6)),
                (rn * _uniform(rng, 1.0, 1.6), hb * 0.88),
                (rn, hb),
                (0.0, hb),
            ]
            codes = [SHARP, SHARP, SHARP, AUTO] + [AUTO] * 4 + [AUTO, SHARP, SHARP, SHARP]
            _lathe(d, p, p.obj, prof, [0, y, 0], codes=codes, resolution=12, smooth=True)
        elif body == "column":
            r = _uniform(rng, 0.02, 0.045)
            if _chance(rng, 0.6):
                _cyl(d, p, p.obj, [0, y, 0], [0, y + hb, 0], r)
            else:
                _box(d, p, p.obj, [0, y + hb / 2, 0], [r, hb / 2, r], bevel=0.15)
        elif body == "candlestick":
            r = _uniform(rng, 0.015, 0.025)
            beads = int(rng.integers(2, 5))
            prof = [(0.0, 0.0), (r * 2.2, 0.0), (r * 1.2, hb * 0.08)]
            for i in range(beads):
                t = 0.15 + 0.75 * (i + 0.5) / beads
                prof += [(r * _uniform(rng, 1.5, 2.2), hb * t), (r, hb * (t + 0.35 / beads))]
            prof += [(r * 1.3, hb), (0.0, hb)]
            codes = [SHARP, SHARP] + [AUTO] * (2 * (len(prof) - 3)) + [SHARP, SHARP, SHARP, SHARP]
            codes[2:4] = [SHARP, AUTO]
            _lathe(d, p, p.obj, prof, [0, y, 0], codes=codes, resolution=10, smooth=True)
        elif body == "ball":
            r = _uniform(rng, 0.07, 0.12)
            hb = 2 * r
            _sphere(d, p, p.obj, [0, y + r * 0.97, 0], r)
            hb = r * 1.94
        elif body == "gourd":
            r1, r2 = _uniform(rng, 0.07, 0.11), _uniform(rng, 0.04, 0.07)
            prof = [
                (0.0, 0.0),
                (r1 * 0.6, 0.0),
                (r1, r1 * 0.9),
                (r2 * 0.6, 2 * r1),
                (r2, 2 * r1 + r2),
                (0.015, 2 * r1 + 2 * r2),
                (0.0, 2 * r1 + 2 * r2),
            ]
            codes = [SHARP, SHARP, SHARP, AUTO] + [AUTO] * 6 + [AUTO, SHARP, SHARP, SHARP]
            hb = 2 * r1 + 2 * r2
            _lathe(d, p, p.obj, prof, [0, y, 0], codes=codes, resolution=12, smooth=True)
        else:  # tripod: three splayed legs meeting under the shade
            spread = _uniform(rng, 0.08, 0.14)
            hb = _uniform(rng, 0.3, 0.45)
            lr = _uniform(rng, 0.008, 0.013)
            for i in range(3):
                ang = 2 * math.pi * i / 3 + math.pi / 2
                foot = [spread * math.cos(ang), 0.0, spread * math.sin(ang)]
                nm = p.obj if i == 0 else p.helper("leg", i)
                _cyl(d, p, nm, foot, [0, hb, 0], lr)
            p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("leg", 1), p.helper("leg", 2)])
    y += hb
    with d.part("neck") as p:
        nh = _uniform(rng, 0.02, 0.08)
        _cyl(d, p, p.obj, [0, y, 0], [0, y + nh, 0], _uniform(rng, 0.008, 0.014))
        sock = p.helper("socket")
        _cyl(d, p, sock, [0, y + nh, 0], [0, y + nh + 0.035, 0], 0.016)
        p.call("join_obj", name=p.obj, seq_name=[p.obj, sock])
    y += nh + 0.035
    bulb = _uniform(rng, 0.08, 0.12)
    with d.part("bulb") as p:
        _bulb(d, p, p.obj, [0, y, 0], bulb)
    style = _pick(rng, ["drum", "empire", "bell", "coolie"], [0.35, 0.35, 0.2, 0.1])
    rb = float(np.clip(_uniform(rng, 0.4, 0.62) * y, 0.09, 0.25))
    sh = rb * (_uniform(rng, 0.8, 1.3) if style != "coolie" else _uniform(rng, 0.5, 0.7))
    if style == "coolie":
        rb *= 1.25
    y_shade = y - sh * _uniform(rng, 0.1, 0.35)
    prof = _shade_part(d, rng, style, [0, y_shade, 0], rb, sh)
    if _chance(rng, 0.4):
        with d.part("rims") as p:
            _ring(d, p, p.obj, [0, y_shade + prof[0][1], 0], prof[0][0], 0.004)
            _ring(d, p, p.helper("rim"), [0, y_shade + prof[-1][1], 0], prof[-1][0], 0.004)
            p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("rim")])
    top = y_shade + sh
    if _chance(rng, 0.55):
        hw = prof[-1][0] * 0.5 if style != "coolie" else 0.04
        with d.part("harp") as p:
            y0 = y - 0.01
            pts = [[-hw, y0, 0], [-hw, top - 0.02, 0], [0, top + 0.01, 0], [hw, top - 0.02, 0], [hw, y0, 0]]
            _tube(
                d,
                p,
                p.obj,
                pts,
                0.003,
                codes=[SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP],
            )
        with d.part("finial") as p:
            _sphere(d, p, p.obj, [0, top + 0.025, 0], _uniform(rng, 0.012, 0.02))
    return d.build(final_query=_chance(rng, 0.25))


def _radial(d: Design, p: _Part, name: str, mark: int, centre, count: int) -> None:
    """``count`` copies of ``name`` evenly round the vertical axis through ``centre``."""
    d.grow_radial(mark, centre, count, 2 * math.pi / count)
    p.call(
        "array_rotate",
        name=name,
        count=count,
        rotation_angle=2 / count,
        rotation_origin=_Pos(centre),
        rotation_axis=Q_UP,
        rotation_mode="QUATERNION",
    )


def _lamp_base(d: Design, rng: np.random.Generator, r: float, h: float, shape: str | None = None) -> None:
    shape = shape or _pick(rng, ["disc", "dome", "square"], [0.45, 0.3, 0.25])
    with d.part("base") as p:
        if shape == "disc":
            _cyl(d, p, p.obj, [0, 0, 0], [0, h, 0], r)
            p.call("bevel", name=p.obj, width=0.3, segments=3)
        elif shape == "dome":
            prof = [(0.0, 0.0), (r, 0.0), (r * 0.97, h * 0.5), (r * 0.55, h), (0.0, h)]
            codes = [SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP]
            _lathe(d, p, p.obj, prof, [0, 0, 0], codes=codes, resolution=10)
        else:
            _box(d, p, p.obj, [0, h / 2, 0], [r * 0.9, h / 2, r * 0.9], bevel=0.15)


def _coiled_cord(d: Design, rng: np.random.Generator, start, direction, length: float) -> None:
    """A coiled lamp cord leaving ``start`` along ``direction`` (a helix with a round wire)."""
    u = np.asarray(direction, dtype=float)
    u = u / np.linalg.norm(u)
    coil_r = _uniform(rng, 0.006, 0.01)
    pitch = _uniform(rng, 0.01, 0.016)
    turns = max(3, round(length / pitch))
    wire = coil_r * _uniform(rng, 0.3, 0.4)
    centre = np.asarray(start, dtype=float) + u * (turns * pitch / 2)
    axis_pts = np.asarray(start) + np.outer(np.linspace(0, turns * pitch, 8), u)
    d.grow(axis_pts, coil_r + wire)
    with d.part("cord") as p:
        profile = p.helper("circle")
        _profile_circle(p, profile, wire, resolution=8)
        p.call(
            "create_spiral",
            name=p.obj,
            profile_name=profile,
            dif_z=_Fn(lambda f: _snap(pitch, f)),
            radius=_Len(coil_r),
            turns=_Fn(lambda f: spiral_turns(turns * pitch * f.scale, _snap(pitch, f))),
            resolution=3,
            location=_Pos(centre),
            rotation=_qlist(_q_to(u)),
        )


def _spring(d: Design, p: _Part, name: str, a, b, coil_r: float, pitch: float) -> None:
    """A helical spring from point ``a`` to point ``b`` (desk lamp arm springs)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    u = b - a
    length = float(np.linalg.norm(u))
    turns = max(3, round(length / pitch))
    wire = coil_r * 0.25
    d.grow(np.stack([a, b]), coil_r + wire)
    profile = p.fresh("circle")
    _profile_circle(p, profile, wire, resolution=8)
    p.call(
        "create_spiral",
        name=name,
        profile_name=profile,
        dif_z=_Fn(lambda f: _snap(length / turns, f)),
        radius=_Len(coil_r),
        turns=_Fn(lambda f: spiral_turns(length * f.scale, _snap(length / turns, f))),
        resolution=3,
        location=_Pos((a + b) / 2),
        rotation=_qlist(_q_to(u)),
    )


def _head(d: Design, rng: np.random.Generator, tip, light, rb: float, h: float, style: str) -> None:
    """A lamp head: a shade whose top sits at ``tip`` and whose opening faces ``light``."""
    light = np.asarray(light, dtype=float) / np.linalg.norm(light)
    rim = np.asarray(tip, dtype=float) + light * h
    _shade_part(d, rng, style, rim, rb, h, axis=-light)


@register("DeskLamp")
def desk_lamp(rng: np.random.Generator) -> ProgramBuilder:
    """Architect (two straight or arched arms, single or twin rods, spring, elbow joint), gooseneck,
    arc (one arched arm) or swing-arm lamps on a disc, dome or square base, with a cone, dome, bell or
    coolie head pointing at the desk; optional coiled cord or switch."""
    style = _pick(rng, ["architect", "gooseneck", "arc", "swing arm"], [0.4, 0.2, 0.2, 0.2])
    d = Design(_pick(rng, ["desk lamp", "task lamp", "reading lamp"]))
    sx = 1.0 if _chance(rng, 0.5) else -1.0
    base_r = _uniform(rng, 0.06, 0.1)
    base_h = _uniform(rng, 0.015, 0.035)
    _lamp_base(d, rng, base_r, base_h)
    head_style = _pick(rng, ["cone", "dome", "bell", "coolie"], [0.35, 0.35, 0.15, 0.15])
    rb = _uniform(rng, 0.05, 0.085)
    hh = rb * _uniform(rng, 1.1, 1.6) if head_style != "coolie" else rb * 0.7
    arm_r = _uniform(rng, 0.005, 0.009)

    if style == "architect":
        with d.part("pivot") as p:
            _cyl(d, p, p.obj, [0, base_h, 0], [0, base_h + 0.04, 0], _uniform(rng, 0.012, 0.02))
        shoulder = np.array([0.0, base_h + 0.05, 0.0])
        l1, l2 = _uniform(rng, 0.25, 0.4), _uniform(rng, 0.2, 0.32)
        t1 = _uniform(rng, 0.05, 0.45)
        phi = _uniform(rng, -0.7, 0.25)
        rb *= 1.2
        hh *= 1.2
        elbow = shoulder + l1 * np.array([sx * math.sin(t1), math.cos(t1), 0.0])
        wrist = elbow + l2 * np.array([sx * math.cos(phi), math.sin(phi), 0.0])
        twin = _chance(rng, 0.5)
        curved = _chance(rng, 0.4)
        for label, a, b in (("lower arm", shoulder, elbow), ("upper arm", elbow, wrist)):
            with d.part(label) as p:
                u = (b - a) / np.linalg.norm(b - a)
                side = np.array([-u[1], u[0], 0.0]) * sx
                offsets = [np.array([0, 0, -0.012]), np.array([0, 0, 0.012])] if twin else [np.zeros(3)]
                names = [p.obj, p.helper("rod")][: len(offsets)]
                for nm, off in zip(names, offsets):
                    if curved:
                        mid = (a + b) / 2 + side * np.linalg.norm(b - a) * 0.08
                        _arc_tube(d, p, nm, a + off, mid + off, b + off, arm_r)
                    else:
                        _tube(d, p, nm, [a + off, b + off], arm_r, codes=[SHARP] * 4, resolution=1)
                if twin:
                    p.call("join_obj", name=p.obj, seq_name=names)
        with d.part("spring") as p:
            u = (elbow - shoulder) / l1
            side = np.array([u[1], -u[0], 0.0]) * sx
            coil = _uniform(rng, 0.006, 0.009)
            a = shoulder + u * l1 * 0.1 + side * (arm_r + coil + 0.004)
            _spring(d, p, p.obj, a, a + u * l1 * _uniform(rng, 0.35, 0.55), coil, 0.006)
        with d.part("joint") as p:
            _cyl(d, p, p.obj, elbow - np.array([0, 0, 0.02]), elbow + np.array([0, 0, 0.02]), arm_r * 2.2)
        tip = wrist
        light = np.array([sx * _uniform(rng, 0.0, 0.6), -1.0, _uniform(rng, -0.1, 0.3)])
    elif style == "gooseneck":
        stem_h = _uniform(rng, 0.03, 0.15)
        with d.part("stem") as p:
            _cyl(d, p, p.obj, [0, base_h, 0], [0, base_h + stem_h, 0], arm_r * 1.8)
        y0 = base_h + stem_h
        rise, reach = _uniform(rng, 0.2, 0.4), _uniform(rng, 0.1, 0.25)
        pts = [
            [0, y0, 0],
            [0, y0 + rise * 0.45, 0],
            [sx * reach * 0.35, y0 + rise * 0.95, 0],
            [sx * reach, y0 + rise, _uniform(rng, -0.03, 0.05)],
        ]
        with d.part("gooseneck") as p:
            _tube(d, p, p.obj, pts, arm_r, codes=[SHARP, AUTO] + [AUTO] * 4 + [AUTO, SHARP], resolution=10)
        tip = np.asarray(pts[-1])
        light = np.array([sx * _uniform(rng, 0.2, 0.8), -1.0, 0.0])
    elif style == "arc":
        h = _uniform(rng, 0.3, 0.45)
        reach = _uniform(rng, 0.18, 0.35)
        p1 = np.array([0.0, base_h, 0.0])
        p3 = np.array([sx * reach, base_h + h * _uniform(rng, 0.75, 0.95), 0.0])
        p2 = np.array([sx * reach * 0.3, base_h + h * 0.95, 0.0])
        if _chance(rng, 0.5):
            p2 = np.array([sx * reach * 0.1, base_h + h * 0.75, 0.0])
            p3[1] = base_h + h
        with d.part("arm") as p:
            _arc_tube(d, p, p.obj, p1, p2, p3, arm_r * 1.3, r_end=arm_r)
        tip = p3
        light = np.array([sx * _uniform(rng, 0.0, 0.4), -1.0, 0.0])
    else:  # swing arm: an upright stem, a level arm, the head hanging from its end
        stem_h = _uniform(rng, 0.25, 0.45)
        with d.part("stem") as p:
            _cyl(d, p, p.obj, [0, base_h, 0], [0, base_h + stem_h, 0], arm_r * 1.5)
        y1 = base_h + stem_h
        reach = _uniform(rng, 0.15, 0.3)
        with d.part("arm") as p:
            pts = [[0, y1 - 0.03, 0], [0, y1, 0], [sx * reach, y1 + _uniform(rng, -0.03, 0.05), 0]]
            _tube(d, p, p.obj, pts, arm_r, codes=[SHARP] * 6, resolution=1)
        with d.part("joint") as p:
            _sphere(d, p, p.obj, [0, y1, 0], arm_r * 2.2)
        tip = np.asarray(pts[-1])
        light = np.array([sx * _uniform(rng, 0.0, 0.3), -1.0, _uniform(rng, 0.0, 0.3)])

    light = light / np.linalg.norm(light)
    _head(d, rng, tip + light * 0.01, light, rb, hh, head_style)
    with d.part("knuckle") as p:
        _sphere(d, p, p.obj, tip, max(arm_r * 2.2, 0.012))
    if _chance(rng, 0.35):
        _coiled_cord(d, rng, [0, base_h * 0.5, -base_r * 0.9], [0, 0, -1], _uniform(rng, 0.06, 0.14))
    elif _chance(rng, 0.3):
        with d.part("switch") as p:
            _box(
                d,
                p,
                p.obj,
                [sx * base_r * 0.55, base_h + 0.006, base_r * 0.3],
                [0.012, 0.006, 0.02],
                bevel=0.3,
            )
    return d.build(final_query=_chance(rng, 0.25))


@register("FloorLamp")
def floor_lamp(rng: np.random.Generator) -> ProgramBuilder:
    """Standard (pole, socket, bulb, shade, optional coupling, twist, harp and finial), arc (swept arch
    over a marble or disc base, hanging dome), tripod (drum shade or spotlight on a yoke) and torchiere
    (uplighter bowl, optional reading arm) floor lamps."""
    style = _pick(rng, ["standard", "arc", "tripod", "torchiere"], [0.35, 0.25, 0.2, 0.2])
    d = Design(_pick(rng, ["floor lamp", "standing lamp"]) if style != "arc" else "arc floor lamp")
    height = _uniform(rng, 1.35, 1.85)
    pole_r = _uniform(rng, 0.012, 0.02)
    if style == "standard":
        base_r, base_h = _uniform(rng, 0.13, 0.2), _uniform(rng, 0.02, 0.05)
        _lamp_base(d, rng, base_r, base_h)
        style_shade = _pick(rng, ["drum", "empire", "bell"], [0.45, 0.4, 0.15])
        rb = _uniform(rng, 0.17, 0.27)
        sh = rb * _uniform(rng, 0.9, 1.4)
        shade_y = height - sh
        socket_y = shade_y + sh * _uniform(rng, 0.2, 0.4)
        with d.part("pole") as p:
            _cyl(d, p, p.obj, [0, base_h, 0], [0, socket_y, 0], pole_r)
        if _chance(rng, 0.4):
            with d.part("coupling") as p:
                ky = _uniform(rng, 0.35, 0.6) * socket_y
                _sphere(d, p, p.obj, [0, ky, 0], [pole_r * 1.8, pole_r * 2.5, pole_r * 1.8])
        if _chance(rng, 0.15):
            with d.part("twist") as p:  # a wrought-iron twist wound round the pole
                y0, y1 = base_h + 0.1, socket_y * _uniform(rng, 0.5, 0.9)
                _spring(d, p, p.obj, [0, y0, 0], [0, y1, 0], pole_r * 1.7, _uniform(rng, 0.06, 0.12))
        with d.part("socket") as p:
            _cyl(d, p, p.obj, [0, socket_y, 0], [0, socket_y + 0.06, 0], 0.018)
        with d.part("bulb") as p:
            _bulb(d, p, p.obj, [0, socket_y + 0.06, 0], 0.11)
        prof = _shade_part(d, rng, style_shade, [0, shade_y, 0], rb, sh)
        if _chance(rng, 0.4):
            with d.part("finial") as p:
                _sphere(d, p, p.obj, [0, height + 0.02, 0], 0.018)
            with d.part("harp") as p:
                hw = prof[-1][0] * 0.45
                pts = [
                    [-hw, socket_y, 0],
                    [-hw, height - 0.02, 0],
                    [0, height + 0.005, 0],
                    [hw, height - 0.02, 0],
                    [hw, socket_y, 0],
                ]
                _tube(
                    d,
                    p,
                    p.obj,
                    pts,
                    0.004,
                    codes=[SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP],
                )
    elif style == "arc":
        reach = _uniform(rng, 1.0, 1.7)
        height = max(height, 1.6)
        marble = _chance(rng, 0.5)
        base_h = _uniform(rng, 0.05, 0.1) if marble else _uniform(rng, 0.03, 0.05)
        base_r = _uniform(rng, 0.16, 0.24)
        _lamp_base(d, rng, base_r, base_h, "square" if marble else "disc")
        tip_y = height * _uniform(rng, 0.8, 0.93)
        lean = _uniform(rng, 0.0, 0.12)
        pts = [
            [0.0, base_h, 0.0],
            [reach * lean * 0.3, height * 0.45, 0.0],
            [reach * (0.1 + lean), height * 0.85, 0.0],
            [reach * 0.5, height, 0.0],
            [reach * 0.85, height * 0.5 + tip_y * 0.5, 0.0],
            [reach, tip_y, 0.0],
        ]
        with d.part("arc") as p:
            _tube(d, p, p.obj, pts, pole_r * 1.1, codes=[SHARP] + [AUTO] * 10 + [SHARP], resolution=10)
        p3 = np.asarray(pts[-1])
        drop = _uniform(rng, 0.05, 0.2)
        with d.part("drop rod") as p:
            _cyl(d, p, p.obj, p3 + np.array([0, 0.01, 0]), p3 - np.array([0, drop, 0]), pole_r * 0.7)
        rb = _uniform(rng, 0.17, 0.26)
        _head(
            d,
            rng,
            p3 - [0, drop, 0],
            [0, -1, 0],
            rb,
            rb * _uniform(rng, 0.6, 0.9),
            _pick(rng, ["dome", "cone", "bell"]),
        )
    elif style == "tripod":
        spread = _uniform(rng, 0.28, 0.42)
        hub_y = height * _uniform(rng, 0.68, 0.82)
        leg_r = _uniform(rng, 0.01, 0.02)
        turn = _uniform(rng, 0.0, 2 * math.pi / 3)
        for i in range(3):
            ang = turn + 2 * math.pi * i / 3
            with d.part("leg") as p:
                _cyl(
                    d,
                    p,
                    p.obj,
                    [spread * math.cos(ang), 0, spread * math.sin(ang)],
                    [0, hub_y + 0.02, 0],
                    leg_r,
                )
        with d.part("hub") as p:
            _cyl(d, p, p.obj, [0, hub_y - 0.05, 0], [0, hub_y + 0.04, 0], leg_r * 2.4)
        if _chance(rng, 0.55):
            rb = _uniform(rng, 0.2, 0.3)
            sh = rb * _uniform(rng, 0.8, 1.2)
            with d.part("stem") as p:
                _cyl(d, p, p.obj, [0, hub_y + 0.04, 0], [0, hub_y + 0.04 + sh * 0.4, 0], 0.015)
            with d.part("bulb") as p:
                _bulb(d, p, p.obj, [0, hub_y + 0.04 + sh * 0.4, 0], 0.1)
            _shade_part(d, rng, _pick(rng, ["drum", "empire"]), [0, hub_y + 0.04, 0], rb, sh)
        else:  # a spotlight head on a yoke, tilted forward
            tilt = _uniform(rng, 0.2, 0.8)
            axis = np.array([0.0, math.cos(tilt), math.sin(tilt)])
            centre = np.array([0, hub_y + 0.16, 0])
            r = _uniform(rng, 0.1, 0.16)
            with d.part("yoke") as p:
                pts = [
                    [-r - 0.02, hub_y + 0.16, 0],
                    [-r - 0.02, hub_y + 0.04, 0],
                    [r + 0.02, hub_y + 0.04, 0],
                    [r + 0.02, hub_y + 0.16, 0],
                ]
                _tube(d, p, p.obj, pts, 0.008, codes=[SHARP] * 8, resolution=1)
            with d.part("spotlight") as p:
                length = r * _uniform(rng, 1.4, 2.2)
                _cyl(d, p, p.obj, centre - axis * length * 0.45, centre + axis * length * 0.55, r)
            with d.part("lens") as p:
                tip = centre + axis * length * 0.55
                _cyl(d, p, p.obj, tip, tip + axis * 0.01, r * 0.85)
    else:  # torchiere: an uplighter bowl on a pole, sometimes with a reading arm
        base_r, base_h = _uniform(rng, 0.13, 0.2), _uniform(rng, 0.02, 0.05)
        _lamp_base(d, rng, base_r, base_h)
        bh = _uniform(rng, 0.12, 0.22)
        br = _uniform(rng, 0.17, 0.28)
        y_bowl = height - bh
        with d.part("pole") as p:
            _cyl(d, p, p.obj, [0, base_h, 0], [0, y_bowl + 0.02, 0], pole_r)
        with d.part("bowl") as p:
            prof = [(0.03, 0.0), (br * 0.45, bh * 0.35), (br * 0.85, bh * 0.8), (br, bh)]
            codes = [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
            if _chance(rng, 0.4):
                prof, codes = [(0.03, 0.0), (br, bh)], [SHARP] * 4
            _lathe(d, p, p.obj, prof, [0, y_bowl, 0], codes=codes, thickness=0.004, resolution=12)
        if _chance(rng, 0.4):
            y0 = height * _uniform(rng, 0.55, 0.7)
            sx = 1.0 if _chance(rng, 0.5) else -1.0
            reach = _uniform(rng, 0.2, 0.35)
            pts = [[0, y0, 0], [sx * 0.08, y0 + 0.12, 0], [sx * reach, y0 + 0.2, 0]]
            with d.part("reading arm") as p:
                if _chance(rng, 0.5):
                    _arc_tube(d, p, p.obj, *pts, 0.007)
                else:
                    _tube(
                        d, p, p.obj, pts, 0.007, codes=[SHARP, AUTO, AUTO, AUTO, AUTO, SHARP], resolution=10
                    )
            light = np.array([sx * 0.4, -1.0, 0.0])
            _head(
                d,
                rng,
                np.asarray(pts[-1]),
                light,
                _uniform(rng, 0.05, 0.075),
                _uniform(rng, 0.07, 0.1),
                "cone",
            )
    return d.build(final_query=_chance(rng, 0.25))


def _chain(d: Design, p: _Part, top, length: float, link: float) -> None:
    """A chain hanging from ``top``: links in two planes, each set one torus repeated by array_1d."""
    top = np.asarray(top, dtype=float)
    pitch = link * 2.2
    q_side = _quat_axis_angle([0, 1, 0], math.pi / 2)
    d.grow(np.stack([top, top - [0, length, 0]]), link * 1.25)

    def count(f: Frame) -> int:
        return max(1, int((length - link * 1.6) * f.scale / (2 * _snap(pitch, f))))

    for i, (name, q) in enumerate(((p.obj, Q_NONE), (p.helper("links"), q_side))):
        p.call(
            "create_primitive",
            name=name,
            primitive_type="torus",
            location=_Fn(
                lambda f, i=i: (
                    np.asarray(f.p(top - [0, link * 1.6, 0])) - [0, i * _snap(pitch, f), 0]
                ).tolist()
            ),
            scale=_Len([link, link * 1.5, link], MIN_SCALE),
            rotation=None if i == 0 else _qlist(q),
            apply=True,
        )
        p.call(
            "array_1d",
            name=name,
            count=_Fn(count),
            constant_offset=_Fn(lambda f: [0.0, -2 * _snap(pitch, f), 0.0]),
        )
    p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("links")])


def _suspension(d: Design, rng: np.random.Generator, top, length: float, kind: str) -> None:
    """What a pendant hangs by, from ``top`` down ``length``: a cord, a rod, a chain or a coiled cord."""
    top = np.asarray(top, dtype=float)
    bottom = top - [0, length, 0]
    if kind == "cord":
        with d.part("cord") as p:
            _tube(d, p, p.obj, [top, bottom], _uniform(rng, 0.003, 0.005), codes=[SHARP] * 4, resolution=1)
    elif kind == "rod":
        with d.part("rod") as p:
            _cyl(d, p, p.obj, top, bottom, _uniform(rng, 0.006, 0.012))
    elif kind == "chain":
        with d.part("chain") as p:
            _chain(d, p, top, length, _uniform(rng, 0.007, 0.011))
    else:
        with d.part("coiled cord") as p:
            pitch = max(length / 30, _uniform(rng, 0.012, 0.02))
            _spring(d, p, p.obj, top, bottom, _uniform(rng, 0.008, 0.012), pitch)


@register("CeilingClassicLamp")
def ceiling_classic_lamp(rng: np.random.Generator) -> ProgramBuilder:
    """Pendants (cord, rod, chain or coiled cord; dome, cone, bell, empire, globe or classic drum shade
    with rims and spokes), chandeliers (turned column, 3-8 swept arms, cups, candles, flame bulbs,
    optional shades and ring, all radial arrays) and clusters of pendants on a round or linear canopy."""
    style = _pick(rng, ["pendant", "chandelier", "cluster"], [0.5, 0.35, 0.15])
    d = Design(
        {"pendant": "pendant lamp", "chandelier": "chandelier", "cluster": "pendant cluster lamp"}[style]
    )
    if style == "pendant":
        cr, ch = _uniform(rng, 0.045, 0.08), _uniform(rng, 0.02, 0.045)
        with d.part("canopy") as p:
            _canopy(d, p, p.obj, 0.0, cr, ch)
        drop = _uniform(rng, 0.25, 0.9)
        hang = _pick(rng, ["cord", "rod", "chain", "coiled"], [0.5, 0.25, 0.15, 0.1])
        _suspension(d, rng, [0, -ch, 0], drop, hang)
        y = -ch - drop
        sock_h = _uniform(rng, 0.04, 0.08)
        with d.part("socket") as p:
            _cyl(d, p, p.obj, [0, y, 0], [0, y - sock_h, 0], _uniform(rng, 0.016, 0.024))
        y -= sock_h
        shade = _pick(
            rng, ["dome", "cone", "bell", "drum", "globe", "empire"], [0.22, 0.18, 0.15, 0.2, 0.12, 0.13]
        )
        rb = _uniform(rng, 0.12, 0.25)
        if shade == "globe":
            r = _uniform(rng, 0.1, 0.17)
            with d.part("globe") as p:
                prof = [(0.0, 0.0), (r * 0.7, r * 0.05), (r, r), (r * 0.55, r * 1.93), (0.03, r * 1.97)]
                codes = [SHARP, AUTO] + [AUTO] * 6 + [AUTO, SHARP]
                _lathe(
                    d,
                    p,
                    p.obj,
                    prof,
                    [0, y + 0.03 - r * 1.97, 0],
                    codes=codes,
                    thickness=0.004,
                    resolution=12,
                    smooth=True,
                )
            with d.part("bulb") as p:
                _bulb(d, p, p.obj, [0, y, 0], _uniform(rng, 0.08, 0.11), axis=(0, -1, 0))
        elif shade == "drum":
            sh = rb * _uniform(rng, 0.6, 1.0)
            top = y + sh * _uniform(rng, 0.3, 0.6)
            prof = _shade_part(d, rng, "drum", [0, top - sh, 0], rb, sh)
            with d.part("rims") as p:
                _ring(d, p, p.obj, [0, top - sh, 0], prof[0][0], 0.004)
                _ring(d, p, p.helper("rim"), [0, top, 0], prof[-1][0], 0.004)
                p.call("join_obj", name=p.obj, seq_name=[p.obj, p.helper("rim")])
            with d.part("spokes") as p:
                mark = d.mark()
                _tube(
                    d,
                    p,
                    p.obj,
                    [[0.02, y + 0.02, 0], [prof[-1][0], top, 0]],
                    0.003,
                    codes=[SHARP] * 4,
                    resolution=1,
                )
                _radial(d, p, p.obj, mark, [0, top, 0], _pick(rng, [3, 4]))
            with d.part("bulb") as p:
                _bulb(d, p, p.obj, [0, y, 0], _uniform(rng, 0.08, 0.11), axis=(0, -1, 0))
            if _chance(rng, 0.4):
                with d.part("diffuser") as p:
                    _cyl(d, p, p.obj, [0, top - sh + 0.004, 0], [0, top - sh + 0.01, 0], prof[0][0] * 0.98)
        else:
            sh = rb * (_uniform(rng, 0.5, 0.9) if shade != "empire" else _uniform(rng, 0.8, 1.1))
            _shade_part(d, rng, shade, [0, y + 0.02 - sh, 0], rb, sh)
            with d.part("bulb") as p:
                _bulb(d, p, p.obj, [0, y, 0], _uniform(rng, 0.08, 0.11), axis=(0, -1, 0))
    elif style == "chandelier":
        cr, ch = _uniform(rng, 0.05, 0.09), _uniform(rng, 0.025, 0.05)
        with d.part("canopy") as p:
            _canopy(d, p, p.obj, 0.0, cr, ch)
        drop = _uniform(rng, 0.1, 0.5)
        _suspension(d, rng, [0, -ch, 0], drop, _pick(rng, ["rod", "chain"], [0.6, 0.4]))
        y = -ch - drop
        hc, rc = _uniform(rng, 0.16, 0.35), _uniform(rng, 0.03, 0.055)
        with d.part("column") as p:
            beads = int(rng.integers(1, 4))
            prof = [(0.0, 0.0), (rc * 0.6, 0.0)]
            for i in range(beads):
                t = (i + 0.5) / beads
                prof += [(rc * _uniform(rng, 0.8, 1.0), hc * (t - 0.3 / beads)), (rc * 0.45, hc * t)]
            prof += [(rc * 0.35, hc), (0.0, hc)]
            codes = [SHARP, SHARP, SHARP, AUTO] + [AUTO] * (2 * (len(prof) - 4)) + [AUTO, SHARP, SHARP, SHARP]
            _lathe(d, p, p.obj, prof, [0, y - hc, 0], codes=codes, resolution=10, smooth=True)
        n = _pick(rng, [3, 4, 5, 6, 8], [0.15, 0.2, 0.25, 0.25, 0.15])
        reach = _uniform(rng, 0.2, 0.38)
        y_arm = y - hc * _uniform(rng, 0.55, 0.8)
        y_cup = y_arm + _uniform(rng, -0.02, 0.1)
        centre = [0, y_arm, 0]
        with d.part("arms") as p:
            mark = d.mark()
            pts = [
                [rc * 0.6, y_arm, 0],
                [reach * 0.4, y_arm - _uniform(rng, 0.04, 0.1), 0],
                [reach * 0.85, y_cup - 0.06, 0],
                [reach, y_cup, 0],
            ]
            _tube(
                d,
                p,
                p.obj,
                pts,
                _uniform(rng, 0.005, 0.009),
                codes=[SHARP] + [AUTO] * 6 + [SHARP],
                resolution=8,
            )
            _radial(d, p, p.obj, mark, centre, n)
        cup_r = _uniform(rng, 0.025, 0.04)
        with d.part("cups") as p:
            mark = d.mark()
            prof = [
                (0.0, 0.0),
                (cup_r * 0.3, 0.0),
                (cup_r, cup_r * 0.5),
                (cup_r * 0.9, cup_r * 0.6),
                (0.0, cup_r * 0.35),
            ]
            _lathe(
                d,
                p,
                p.obj,
                prof,
                [reach, y_cup, 0],
                codes=[SHARP, SHARP, SHARP, AUTO, AUTO, SHARP, SHARP, SHARP, SHARP, SHARP],
                resolution=6,
            )
            _radial(d, p, p.obj, mark, centre, n)
        y_top = y_cup + cup_r * 0.35
        if _chance(rng, 0.7):
            ch_h = _uniform(rng, 0.05, 0.11)
            with d.part("candles") as p:
                mark = d.mark()
                _cyl(d, p, p.obj, [reach, y_top, 0], [reach, y_top + ch_h, 0], _uniform(rng, 0.009, 0.014))
                _radial(d, p, p.obj, mark, centre, n)
            y_top += ch_h
        with d.part("bulbs") as p:
            mark = d.mark()
            size = _uniform(rng, 0.04, 0.07)
            flame = [(0.0, 0.0), (size * 0.2, 0.0), (size * 0.3, size * 0.35), (0.0, size)]
            _lathe(
                d,
                p,
                p.obj,
                flame,
                [reach, y_top, 0],
                codes=[SHARP, SHARP, SHARP, AUTO, AUTO, AUTO, SHARP, SHARP],
                resolution=5,
            )
            _radial(d, p, p.obj, mark, centre, n)
        if _chance(rng, 0.45):
            with d.part("shades") as p:
                mark = d.mark()
                srb = _uniform(rng, 0.04, 0.07)
                ssh = srb * _uniform(rng, 1.0, 1.4)
                prof, codes = _shade_profile(rng, _pick(rng, ["empire", "bell", "drum"]), srb, ssh)
                _lathe(
                    d,
                    p,
                    p.obj,
                    prof,
                    [reach, y_top - ssh * 0.3, 0],
                    codes=codes,
                    thickness=0.003,
                    resolution=8,
                )
                _radial(d, p, p.obj, mark, centre, n)
        if _chance(rng, 0.35):
            with d.part("ring") as p:
                _ring(d, p, p.obj, [0, y_arm - 0.05, 0], reach * _uniform(rng, 0.45, 0.7), 0.005)
        with d.part("finial") as p:
            fh = _uniform(rng, 0.04, 0.1)
            prof = [(0.0, 0.0), (rc * 0.5, fh * 0.6), (rc * 0.3, fh), (0.0, fh)]
            _lathe(
                d,
                p,
                p.obj,
                prof,
                [0, y - hc - fh, 0],
                codes=[SHARP, SHARP, AUTO, AUTO, AUTO, SHARP, SHARP, SHARP],
                resolution=8,
            )
    else:  # a cluster of pendants on one canopy
        n = int(rng.integers(3, 6))
        linear = _chance(rng, 0.4)
        if linear:
            length = _uniform(rng, 0.5, 1.0)
            xs = np.linspace(-length / 2 + 0.06, length / 2 - 0.06, n)
            spots = [(float(x), 0.0) for x in xs]
            with d.part("canopy") as p:
                _box(d, p, p.obj, [0, -0.015, 0], [length / 2, 0.015, _uniform(rng, 0.03, 0.06)], bevel=0.2)
        else:
            cr = _uniform(rng, 0.12, 0.22)
            spots = [
                (cr * 0.65 * math.cos(2 * math.pi * i / n), cr * 0.65 * math.sin(2 * math.pi * i / n))
                for i in range(n)
            ]
            with d.part("canopy") as p:
                _cyl(d, p, p.obj, [0, 0, 0], [0, -0.03, 0], cr)
        shade = _pick(rng, ["globe", "cone", "dome", "bell"])
        for x, z in spots:
            drop = _uniform(rng, 0.25, 0.75)
            with d.part("cord") as p:
                _tube(d, p, p.obj, [[x, -0.02, z], [x, -drop, z]], 0.003, codes=[SHARP] * 4, resolution=1)
            r = _uniform(rng, 0.05, 0.09)
            with d.part("shade") as p:
                if shade == "globe":
                    _sphere(d, p, p.obj, [x, -drop - r * 0.95, z], r)
                else:
                    prof, codes = _shade_profile(rng, shade, r, r * _uniform(rng, 0.8, 1.3))
                    h = prof[-1][1]
                    _lathe(d, p, p.obj, prof, [x, -drop - h, z], codes=codes, thickness=0.003, resolution=8)
    return d.build(final_query=_chance(rng, 0.25))


@register("CeilingLight")
def ceiling_light(rng: np.random.Generator) -> ProgramBuilder:
    """Flush and semi-flush lights: dome or drum diffusers on a base plate, square or oblong LED panels
    (swept frame, gridded diffuser), hanging rings, bowls on a stem or rods, and spotlights on a bar or
    plate."""
    style = _pick(
        rng, ["dome", "drum", "panel", "ring", "bowl", "spots"], [0.25, 0.18, 0.17, 0.13, 0.15, 0.12]
    )
    names = {"panel": "led panel ceiling light", "ring": "ring ceiling light", "spots": "ceiling spotlight"}
    d = Design(names.get(style, _pick(rng, ["ceiling light", "flush mount ceiling light"])))
    if style in ("dome", "drum"):
        r = _uniform(rng, 0.14, 0.25)
        plate_h = _uniform(rng, 0.012, 0.03)
        with d.part("base plate") as p:
            _cyl(d, p, p.obj, [0, 0, 0], [0, -plate_h, 0], r)
            if _chance(rng, 0.5):
                p.call("bevel", name=p.obj, width=0.3, segments=2)
        y = -plate_h
        if style == "dome":
            h = r * _uniform(rng, 0.3, 0.6)
            rd = r * _uniform(rng, 0.88, 0.98)
            with d.part("diffuser") as p:
                prof = [(0.0, -h), (rd * 0.55, -h * 0.93), (rd * 0.92, -h * 0.45), (rd, 0.0)]
                if _chance(rng, 0.35):  # flat-bottomed
                    prof = [(0.0, -h), (rd * 0.8, -h), (rd * 0.97, -h * 0.6), (rd, 0.0)]
                codes = [SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP]
                _lathe(d, p, p.obj, prof, [0, y, 0], codes=codes, thickness=0.003, resolution=12, smooth=True)
            if _chance(rng, 0.5):
                with d.part("trim ring") as p:
                    _ring(d, p, p.obj, [0, y, 0], rd, _uniform(rng, 0.005, 0.01))
            if _chance(rng, 0.45):
                with d.part("finial") as p:
                    _sphere(d, p, p.obj, [0, y - h - 0.012, 0], [0.018, 0.014, 0.018])
        else:
            h = r * _uniform(rng, 0.25, 0.5)
            with d.part("drum") as p:
                _lathe(
                    d, p, p.obj, [(r * 0.97, 0.0), (r * 0.97, -h)], [0, y, 0], thickness=0.004, resolution=12
                )
            with d.part("diffuser") as p:
                _cyl(d, p, p.obj, [0, y - h + 0.012, 0], [0, y - h + 0.004, 0], r * 0.95)
            if _chance(rng, 0.5):
                with d.part("trim ring") as p:
                    _ring(d, p, p.obj, [0, y - h, 0], r * 0.97, 0.006)
    elif style == "panel":
        w, l = _uniform(rng, 0.3, 0.62), _uniform(rng, 0.3, 0.62)
        if _chance(rng, 0.5):
            l = w
        h = _uniform(rng, 0.02, 0.06)
        rim = _uniform(rng, 0.012, 0.025)
        with d.part("housing") as p:
            _box(d, p, p.obj, [0, -h / 2, 0], [w / 2 - rim * 0.5, h / 2, l / 2 - rim * 0.5], bevel=0.05)
        with d.part("frame") as p:
            square = p.helper("square")
            d.grow(
                [
                    [w / 2 + rim / 2, -h - rim / 2, l / 2 + rim / 2],
                    [-w / 2 - rim / 2, -h + rim / 2, -l / 2 - rim / 2],
                ]
            )
            p.call("create_square", name=square, length=_Len(rim))
            p.call(
                "create_rectangle",
                name=p.obj,
                profile_name=square,
                width=_Len(w),
                length=_Len(l),
                location=_Pos([0, -h, 0]),
                rotation=Q_UP,
            )
        with d.part("diffuser") as p:
            p.call(
                "create_rectangle",
                name=p.obj,
                width=_Len(w - rim),
                length=_Len(l - rim),
                location=_Pos([0, -h, 0]),
                rotation=Q_DOWN,
            )
            p.call("curve2meshgrid", name=p.obj, resolution=int(rng.integers(4, 12)), thickness=_Len(0.004))
    elif style == "ring":
        cr = _uniform(rng, 0.05, 0.09)
        with d.part("canopy") as p:
            _cyl(d, p, p.obj, [0, 0, 0], [0, -0.025, 0], cr)
        drop = _uniform(rng, 0.05, 0.35)
        rings = int(rng.integers(1, 4))
        big = _uniform(rng, 0.2, 0.35)
        wire = _uniform(rng, 0.008, 0.02)
        with d.part("wires") as p:
            mark = d.mark()
            _tube(
                d,
                p,
                p.obj,
                [[cr * 0.6, -0.025, 0], [big, -0.025 - drop, 0]],
                0.0015,
                codes=[SHARP] * 4,
                resolution=1,
            )
            _radial(d, p, p.obj, mark, [0, 0, 0], 3)
        for i in range(rings):
            with d.part("ring") as p:
                _ring(
                    d,
                    p,
                    p.obj,
                    [0, -0.025 - drop - i * _uniform(rng, 0.0, 0.06), 0],
                    big * (1 - 0.28 * i),
                    wire,
                )
    elif style == "bowl":
        cr = _uniform(rng, 0.05, 0.08)
        with d.part("canopy") as p:
            _canopy(d, p, p.obj, 0.0, cr, _uniform(rng, 0.02, 0.04))
        drop = _uniform(rng, 0.08, 0.25)
        br, bh = _uniform(rng, 0.15, 0.25), _uniform(rng, 0.07, 0.14)
        y_rim = -drop
        if _chance(rng, 0.5):
            with d.part("stem") as p:
                _cyl(d, p, p.obj, [0, -0.02, 0], [0, y_rim - bh * 0.6, 0], 0.008)
        else:
            with d.part("rods") as p:
                mark = d.mark()
                _tube(
                    d,
                    p,
                    p.obj,
                    [[cr * 0.5, -0.02, 0], [br * 0.96, y_rim, 0]],
                    0.003,
                    codes=[SHARP] * 4,
                    resolution=1,
                )
                _radial(d, p, p.obj, mark, [0, 0, 0], 3)
        with d.part("bowl") as p:
            prof = [(0.0, -bh), (br * 0.55, -bh * 0.9), (br * 0.93, -bh * 0.4), (br, 0.0)]
            _lathe(
                d,
                p,
                p.obj,
                prof,
                [0, y_rim, 0],
                codes=[SHARP, SHARP, AUTO, AUTO, AUTO, AUTO, SHARP, SHARP],
                thickness=0.004,
                resolution=12,
                smooth=True,
            )
        if _chance(rng, 0.5):
            with d.part("finial") as p:
                _sphere(d, p, p.obj, [0, y_rim - bh - 0.015, 0], 0.018)
    else:  # spotlights on a bar or a round plate
        n = int(rng.integers(1, 5))
        bar = n > 1 and _chance(rng, 0.6)
        if bar:
            length = _uniform(rng, 0.2, 0.2 * n + 0.15)
            with d.part("base") as p:
                _box(d, p, p.obj, [0, -0.015, 0], [length / 2, 0.015, 0.035], bevel=0.2)
            xs = np.linspace(-length / 2 + 0.07, length / 2 - 0.07, n)
            spots = [(float(x), 0.0) for x in xs]
        else:
            r = _uniform(rng, 0.06, 0.1) if n == 1 else _uniform(rng, 0.12, 0.18)
            with d.part("base") as p:
                _cyl(d, p, p.obj, [0, 0, 0], [0, -0.025, 0], r)
            spots = (
                [(0.0, 0.0)]
                if n == 1
                else [
                    (
                        r * 0.6 * math.cos(2 * math.pi * i / n + 0.3),
                        r * 0.6 * math.sin(2 * math.pi * i / n + 0.3),
                    )
                    for i in range(n)
                ]
            )
        sr = _uniform(rng, 0.03, 0.045)
        sl = sr * _uniform(rng, 1.8, 3.0)
        for x, z in spots:
            tilt = _uniform(rng, 0.0, 0.7)
            yaw = _uniform(rng, 0, 2 * math.pi)
            axis = np.array([math.sin(tilt) * math.cos(yaw), -math.cos(tilt), math.sin(tilt) * math.sin(yaw)])
            joint = np.array([x, -0.05, z])
            with d.part("joint") as p:
                _cyl(d, p, p.obj, [x, -0.02, z], joint, 0.008)
            with d.part("spotlight") as p:
                _cyl(d, p, p.obj, joint + axis * 0.005, joint + axis * sl, sr)
                if _chance(rng, 0.5):
                    p.call("bevel", name=p.obj, width=0.15, segments=2)
    return d.build(final_query=_chance(rng, 0.25))


# ---------------------------------------------------------------------------------- doors, windows


def _snap(length: float, frame: Frame) -> float:
    """A pitch as the program will write it (two decimals, canonical units), never zero."""
    return max(round(length * frame.scale, 2), 0.01)


class _Grid:
    """Equal openings in rows and columns: the first one's centre, its size, counts and pitches.

    Array offsets are written with two decimals, so the written pitch is snapped and the cells are
    laid out about the grid's centre: every array over the same grid (cutters, panes, mouldings)
    lands on the same cells."""

    def __init__(self, x0, y0, w, h, nx=1, dx=0.0, ny=1, dy=0.0):
        self.x0, self.y0, self.w, self.h = x0, y0, w, h
        self.nx, self.dx, self.ny, self.dy = nx, dx, ny, dy

    def centres(self) -> list[tuple[float, float]]:
        return [
            (self.x0 + i * self.dx, self.y0 + j * self.dy) for i in range(self.nx) for j in range(self.ny)
        ]

    def first(self, z: float) -> _Fn:
        """The written location of the first cell's centre at depth ``z``."""
        cx = self.x0 + (self.nx - 1) * self.dx / 2
        cy = self.y0 + (self.ny - 1) * self.dy / 2

        def at(f: Frame) -> list[float]:
            x, y, zz = f.p([cx, cy, z])
            return [x - (self.nx - 1) * _snap(self.dx, f) / 2, y - (self.ny - 1) * _snap(self.dy, f) / 2, zz]

        return _Fn(at)


def _array_grid(p: _Part, name: str, g: _Grid) -> None:
    """Repeat ``name`` over the grid's cells (nothing to do for one cell)."""
    dx = _Fn(lambda f: [_snap(g.dx, f), 0.0, 0.0])
    dy = _Fn(lambda f: [0.0, _snap(g.dy, f), 0.0])
    if g.nx > 1 and g.ny > 1:
        p.call("array_2d", name=name, count_1=g.nx, constant_offset_1=dx, count_2=g.ny, constant_offset_2=dy)
    elif g.nx > 1:
        p.call("array_1d", name=name, count=g.nx, constant_offset=dx)
    elif g.ny > 1:
        p.call("array_1d", name=name, count=g.ny, constant_offset=dy)


def _slab(
    d: Design, label: str, xc: float, w: float, h: float, t: float, grids: list[_Grid], y0: float = 0.0
):
    """A door leaf (or sash) with openings cut through it for the grids."""
    with d.part(label) as p:
        _box(d, p, p.obj, [xc, y0 + h / 2, 0], [w / 2, h / 2, t / 2])
        for k, g in enumerate(grids):
            cut = p.helper("cutter", k + 1)
            p.call(
                "create_primitive",
                name=cut,
                primitive_type="cube",
                location=g.first(0.0),
                scale=_Len([g.w / 2, g.h / 2, t / 2 + 0.01]),
                apply=True,
            )
            _array_grid(p, cut, g)
            p.call("boolean_operation", name1=p.obj, name2=cut, operation="DIFFERENCE")


def _panes(
    d: Design, rng: np.random.Generator, label: str, g: _Grid, thickness: float, z: float = 0.0, fill="mesh"
):
    """Flat infills of a grid's openings: glass (a fine mesh grid) or panels (grid fill)."""
    with d.part(label) as p:
        for cx, cy in g.centres():
            d.grow(
                [
                    [cx - g.w / 2, cy - g.h / 2, z - thickness / 2],
                    [cx + g.w / 2, cy + g.h / 2, z + thickness / 2],
                ]
            )
        p.call(
            "create_rectangle",
            name=p.obj,
            width=_Len(g.w),
            length=_Len(g.h),
            location=g.first(z - thickness / 2),
        )
        if fill == "mesh":
            p.call(
                "curve2meshgrid", name=p.obj, resolution=int(rng.integers(4, 10)), thickness=_Len(thickness)
            )
        else:
            p.call("fill_grid", name=p.obj, thickness=_Len(thickness))
        _array_grid(p, p.obj, g)


def _bars(d: Design, label: str, g: _Grid, cols: int, rows: int, bar: float, depth: float, z: float = 0.0):
    """Glazing bars dividing one opening into cols x rows lights (array_1d of one bar each way)."""
    if cols <= 1 and rows <= 1:
        return
    d.grow([[g.x0 - g.w / 2, g.y0 - g.h / 2, z - depth / 2], [g.x0 + g.w / 2, g.y0 + g.h / 2, z + depth / 2]])
    with d.part(label) as p:
        names = []
        for count, along in ((cols, 0), (rows, 1)):
            if count <= 1:
                continue
            nm = p.helper("bar") if names else p.obj
            grid = (
                _Grid(g.x0, g.y0, 0, 0, nx=count - 1, dx=g.w / count)
                if along == 0
                else _Grid(g.x0, g.y0, 0, 0, ny=count - 1, dy=g.h / count)
            )
            grid.x0 -= (grid.nx - 1) * grid.dx / 2
            grid.y0 -= (grid.ny - 1) * grid.dy / 2
            half = [bar / 2, g.h / 2, depth / 2] if along == 0 else [g.w / 2, bar / 2, depth / 2]
            p.call(
                "create_primitive",
                name=nm,
                primitive_type="cube",
                location=grid.first(z),
                scale=_Len(half, MIN_SCALE),
                apply=True,
            )
            _array_grid(p, nm, grid)
            names.append(nm)
        if len(names) > 1:
            p.call("join_obj", name=p.obj, seq_name=names)


def _door_frame(d: Design, rng: np.random.Generator, width: float, height: float, t: float) -> None:
    """Jambs and head round the door opening: a profile swept along an open rectangle."""
    fw = _uniform(rng, 0.04, 0.09)
    fd = max(t + 0.02, _uniform(rng, 0.09, 0.15))
    gap = 0.004
    path_w = width + 2 * gap + fw
    path_h = height + gap + fw / 2
    d.grow([[-path_w / 2 - fw / 2, 0.0, -fd / 2], [path_w / 2 + fw / 2, path_h + fw / 2, fd / 2]])
    with d.part("door frame") as p:
        prof = p.helper("rectangle")
        if _chance(rng, 0.35):
            fd = fw
            prof = p.helper("square")
            p.call("create_square", name=prof, length=_Len(fw))
        else:
            p.call("create_rectangle", name=prof, width=_Len(fw), length=_Len(fd))
        # rounding the path's corners keeps the profile's full width there
        p.call(
            "create_rectangle",
            name=p.obj,
            profile_name=prof,
            width=_Len(path_h),
            length=_Len(path_w),
            rotation_rad=0.5,
            location=_Pos([0.0, path_h / 2, 0.0]),
            closed=False,
            bevel_width=_Len(fw / 2),
            bevel_segments=6,
            fill_caps="both",
        )


def _hinges(d: Design, rng: np.random.Generator, x: float, height: float, t: float) -> None:
    n = int(rng.integers(2, 4))
    hh = _uniform(rng, 0.07, 0.1)
    y0 = _uniform(rng, 0.18, 0.25)
    pitch = (height - 2 * y0) / (n - 1)
    with d.part("hinges") as p:
        r = _uniform(rng, 0.006, 0.009)
        _cyl(d, p, p.obj, [x, y0 - hh / 2, t / 2], [x, y0 + hh / 2, t / 2], r, apply=True)
        for i in range(1, n):
            d.grow([[x, y0 + i * pitch + hh / 2, t / 2]], r)
        p.call("array_1d", name=p.obj, count=n, constant_offset=_Len([0.0, pitch, 0.0]))


def _door_handles(
    d: Design, rng: np.random.Generator, x: float, y: float, t: float, inward: float, kind: str
) -> None:
    """Handles on both faces at (x, y); ``inward`` (+1/-1) is the direction of the leaf's centre."""
    rr = _uniform(rng, 0.022, 0.032)
    for side, label in ((1.0, "front"), (-1.0, "back")):
        z0 = side * t / 2
        if kind == "pull":
            with d.part(f"{label} pull") as p:
                length = _uniform(rng, 0.25, 0.6)
                off = side * _uniform(rng, 0.04, 0.06)
                pts = [
                    [x, y - length / 2, z0],
                    [x, y - length / 2, z0 + off],
                    [x, y + length / 2, z0 + off],
                    [x, y + length / 2, z0],
                ]
                _tube(d, p, p.obj, pts, 0.012, codes=[SHARP] * 8, resolution=1)
            continue
        with d.part(f"{label} rosette") as p:
            _cyl(d, p, p.obj, [x, y, z0], [x, y, z0 + side * 0.01], rr)
        if kind == "lever":
            with d.part(f"{label} lever") as p:
                reach = _uniform(rng, 0.1, 0.14)
                zf = z0 + side * _uniform(rng, 0.045, 0.065)
                pts = [[x, y, z0], [x, y, zf], [x + inward * reach, y - 0.005, zf]]
                _tube(
                    d,
                    p,
                    p.obj,
                    pts,
                    _uniform(rng, 0.007, 0.01),
                    codes=[SHARP, SHARP, AUTO, AUTO, SHARP, SHARP],
                    resolution=6,
                )
        else:
            with d.part(f"{label} knob") as p:
                kr = _uniform(rng, 0.022, 0.03)
                _cyl(d, p, p.obj, [x, y, z0], [x, y, z0 + side * 0.035], 0.009)
                knob = p.helper("ball")
                _sphere(d, p, knob, [x, y, z0 + side * (0.035 + kr * 0.7)], [kr, kr, kr * 0.8])
                p.call("join_obj", name=p.obj, seq_name=[p.obj, knob])


def _door_common(
    d: Design,
    rng: np.random.Generator,
    leaves: list[tuple[float, float]],
    height: float,
    t: float,
    handle: str,
):
    """Frame, hinges and handles shared by every door: ``leaves`` as (centre x, width)."""
    total = sum(w for _, w in leaves) + 0.004 * (len(leaves) - 1)
    if _chance(rng, 0.8):
        _door_frame(d, rng, total, height, t)
    _hinges(d, rng, -total / 2, height, t)
    if len(leaves) > 1:
        _hinges(d, rng, total / 2, height, t)
    hy = _uniform(rng, 0.9, 1.05)
    if len(leaves) == 1:
        xc, w = leaves[0]
        _door_handles(d, rng, xc + w / 2 - _uniform(rng, 0.055, 0.08), hy, t, -1.0, handle)
    else:
        (x1, w1), (x2, w2) = leaves
        _door_handles(d, rng, x1 + w1 / 2 - 0.06, hy, t, -1.0, handle)
        if handle == "pull":
            _door_handles(d, rng, x2 - w2 / 2 + 0.06, hy, t, 1.0, handle)


def _leaf_layout(rng: np.random.Generator, w: float, h: float, kind: str):
    """Stile and rail widths of a leaf of width ``w`` and height ``h``."""
    stile = _uniform(rng, 0.09, 0.15) if kind != "slim" else _uniform(rng, 0.05, 0.08)
    top = _uniform(rng, 0.09, 0.15) if kind != "slim" else stile
    bottom = _uniform(rng, 0.18, 0.28) if kind != "slim" else stile * _uniform(rng, 1.0, 2.0)
    return stile, top, bottom


@register("LiteDoor")
def lite_door(rng: np.random.Generator) -> ProgramBuilder:
    """Glazed doors, single or French pair: full, half (panels below), stacked, two-column grid or side
    lights cut through the leaf, glass panes, glazing bars, frame, hinges, lever, knob or pull handles."""
    layout = _pick(rng, ["full", "half", "stacked", "grid", "side"], [0.35, 0.2, 0.15, 0.15, 0.15])
    double = layout in ("full", "grid") and _chance(rng, 0.25)
    d = Design("french door" if double else _pick(rng, ["glass door", "lite door", "door"]))
    height = _uniform(rng, 1.95, 2.15)
    t = _uniform(rng, 0.035, 0.05)
    w = _uniform(rng, 0.7, 0.92) if not double else _uniform(rng, 0.55, 0.8)
    leaves = [(0.0, w)] if not double else [(-(w + 0.004) / 2, w), ((w + 0.004) / 2, w)]
    stile, top, bottom = _leaf_layout(rng, w, height, _pick(rng, ["classic", "slim"], [0.7, 0.3]))
    cols, rows = int(rng.integers(1, 4)), int(rng.integers(1, 6))
    if _chance(rng, 0.3):
        cols, rows = 1, 1
    bar = _uniform(rng, 0.02, 0.035)
    mid_y = _uniform(rng, 0.9, 1.1)
    for xc, lw in leaves:
        inner_w = lw - 2 * stile
        y_lo, y_hi = bottom, height - top
        glass, panels = [], []
        if layout == "full":
            glass = [_Grid(xc, (y_lo + y_hi) / 2, inner_w, y_hi - y_lo)]
        elif layout == "half":
            glass = [_Grid(xc, (mid_y + y_hi) / 2, inner_w, y_hi - mid_y)]
            rail = _uniform(rng, 0.1, 0.18)
            ph = mid_y - rail - y_lo
            if _chance(rng, 0.5):
                gap = _uniform(rng, 0.08, 0.12)
                pw = (inner_w - gap) / 2
                panels = [_Grid(xc - (pw + gap) / 2, y_lo + ph / 2, pw, ph, nx=2, dx=pw + gap)]
            else:
                panels = [_Grid(xc, y_lo + ph / 2, inner_w, ph)]
        elif layout == "stacked":
            n = int(rng.integers(3, 6))
            rail = _uniform(rng, 0.05, 0.1)
            gh = (y_hi - y_lo - (n - 1) * rail) / n
            glass = [_Grid(xc, y_lo + gh / 2, inner_w, gh, ny=n, dy=gh + rail)]
        elif layout == "grid":
            n = int(rng.integers(2, 5))
            rail = _uniform(rng, 0.05, 0.09)
            gw = (inner_w - rail) / 2
            gh = (y_hi - y_lo - (n - 1) * rail) / n
            glass = [
                _Grid(xc - (gw + rail) / 2, y_lo + gh / 2, gw, gh, nx=2, dx=gw + rail, ny=n, dy=gh + rail)
            ]
        else:  # one narrow light beside the latch or the hinges
            gw = _uniform(rng, 0.1, 0.2)
            side = 1.0 if _chance(rng, 0.6) else -1.0
            x = xc + side * (lw / 2 - stile - gw / 2) if _chance(rng, 0.7) else xc
            glass = [_Grid(x, (y_lo + y_hi) / 2, gw, y_hi - y_lo)]
        _slab(d, "door leaf", xc, lw, height, t, glass + panels)
        for g in glass:
            _panes(d, rng, "glass", g, 0.006)
        for g in panels:
            _panes(d, rng, "panel", g, t * _uniform(rng, 0.4, 0.6), fill="grid")
        if layout in ("full", "half") and (cols > 1 or rows > 1):
            _bars(
                d,
                "glazing bars",
                glass[0],
                cols,
                rows if layout == "full" else max(1, rows // 2),
                bar,
                t * 0.6,
            )
    handle = _pick(rng, ["lever", "knob", "pull"], [0.5, 0.2, 0.3])
    _door_common(d, rng, leaves, height, t, handle)
    return d.build(final_query=_chance(rng, 0.25))


PANEL_LAYOUTS = {
    # rows from the bottom: (relative height, columns)
    "one": [(1.0, 1)],
    "two": [(0.6, 1), (0.4, 1)],
    "three": [(1.0, 1), (1.0, 1), (1.0, 1)],
    "five": [(1.0, 1)] * 5,
    "four": [(0.55, 2), (0.45, 2)],
    "six": [(0.35, 2), (0.45, 2), (0.2, 2)],
    "cross": [(0.4, 2), (0.6, 2)],
    "two tall": [(1.0, 2)],
    "eight": [(1.0, 2)] * 4,
}


def _panel_grids(rng, layout: str, xc: float, inner_w: float, y_lo: float, y_hi: float) -> list[_Grid]:
    rows = PANEL_LAYOUTS[layout]
    rail = _uniform(rng, 0.08, 0.16)
    mull = _uniform(rng, 0.08, 0.14)
    total = sum(r for r, _ in rows)
    avail = y_hi - y_lo - rail * (len(rows) - 1)
    grids: list[_Grid] = []
    y = y_lo
    for rel, cols in rows:
        h = avail * rel / total
        pw = (inner_w - mull * (cols - 1)) / cols
        g = _Grid(xc - (inner_w - pw) / 2, y + h / 2, pw, h, nx=cols, dx=pw + mull)
        last = grids[-1] if grids else None
        if last is not None and last.nx == cols and abs(last.h - h) < 1e-6 and abs(last.w - pw) < 1e-6:
            if last.ny == 1:
                last.dy = g.y0 - last.y0
            last.ny += 1
        else:
            grids.append(g)
        y += h + rail
    return grids


@register("PanelDoor")
def panel_door(rng: np.random.Generator) -> ProgramBuilder:
    """Panel doors (one to eight panels in rows of one or two, single or double leaf): openings cut
    through the leaf, raised panels, optional mouldings, frame, hinges, lever or knob handles."""
    layout = _pick(rng, list(PANEL_LAYOUTS))
    double = _chance(rng, 0.15)
    d = Design(_pick(rng, ["panel door", "door", "wooden door"]) if not double else "double panel door")
    height = _uniform(rng, 1.95, 2.15)
    t = _uniform(rng, 0.035, 0.05)
    w = _uniform(rng, 0.7, 0.92) if not double else _uniform(rng, 0.6, 0.8)
    leaves = [(0.0, w)] if not double else [(-(w + 0.004) / 2, w), ((w + 0.004) / 2, w)]
    stile, top, bottom = _leaf_layout(rng, w, height, "classic")
    fill = _pick(rng, ["grid", "mesh"])
    moulded = _chance(rng, 0.35)
    panel_t = t * _uniform(rng, 0.4, 0.65)
    for xc, lw in leaves:
        grids = _panel_grids(rng, layout, xc, lw - 2 * stile, bottom, height - top)
        _slab(d, "door leaf", xc, lw, height, t, grids)
        for g in grids:
            _panes(d, rng, "raised panel", g, panel_t, fill=fill)
        if moulded:
            m = _uniform(rng, 0.012, 0.02)
            for g in grids:
                with d.part("moulding") as p:
                    prof = p.helper("square")
                    for cx, cy in g.centres():
                        d.grow(
                            [
                                [cx - g.w / 2 - m / 2, cy - g.h / 2 - m / 2, t / 2],
                                [cx + g.w / 2 + m / 2, cy + g.h / 2 + m / 2, t / 2 + m],
                            ]
                        )
                    # a closed frame: sharp corners keep 1/sqrt(2) of the profile, so it is widened
                    p.call("create_square", name=prof, length=_Len(m * math.sqrt(2)))
                    p.call(
                        "create_rectangle",
                        name=p.obj,
                        profile_name=prof,
                        width=_Len(g.w),
                        length=_Len(g.h),
                        location=g.first(t / 2 + m / 2),
                    )
                    _array_grid(p, p.obj, g)
    handle = _pick(rng, ["lever", "knob"], [0.6, 0.4])
    _door_common(d, rng, leaves, height, t, handle)
    return d.build(final_query=_chance(rng, 0.25))


def _louvres(
    d: Design,
    label: str,
    xc: float,
    w: float,
    y0: float,
    y1: float,
    t: float,
    angle: float,
    slat_t: float,
    z: float = 0.0,
):
    """Tilted slats filling the height y0..y1 of an opening of width ``w``: one slat and array_1d
    (the count follows the pitch as written, so the slats stay inside the opening)."""
    width = t * 0.92 / math.cos(angle)
    rise = width * math.sin(angle) + slat_t * math.cos(angle)
    pitch = rise * 0.85
    q = _quat_axis_angle([1, 0, 0], -angle)  # the front edge of each slat lower than its back edge
    with d.part(label) as p:
        _box(d, p, p.obj, [xc, y0 + rise / 2, z], [w / 2 + 0.005, slat_t / 2, width / 2], q=q, apply=True)
        d.grow([[xc - w / 2, y1, z]])
        count = _Fn(lambda f: max(2, int((y1 - y0 - rise) * f.scale / _snap(pitch, f)) + 1))
        p.call(
            "array_1d", name=p.obj, count=count, constant_offset=_Fn(lambda f: [0.0, _snap(pitch, f), 0.0])
        )


@register("LouverDoor")
def louver_door(rng: np.random.Generator) -> ProgramBuilder:
    """Louvred doors of one, two (bifold) or four leaves built from stiles and rails: full, two-section,
    louvre-over-panel or panel-over-vent layouts, tilted slats as arrays, optional frame, knobs."""
    layout = _pick(rng, ["full", "two", "half", "vent"], [0.35, 0.25, 0.25, 0.15])
    n_leaves = _pick(rng, [1, 2, 4], [0.6, 0.3, 0.1])
    d = Design(
        "louvered door" if n_leaves == 1 else _pick(rng, ["bifold louvered door", "louvered closet doors"])
    )
    height = _uniform(rng, 1.9, 2.1) if n_leaves < 4 else _uniform(rng, 1.8, 2.05)
    t = _uniform(rng, 0.03, 0.042)
    total = _uniform(rng, 0.7, 0.9) if n_leaves == 1 else _uniform(rng, 0.4, 0.48) * n_leaves
    gap = 0.004
    w = (total - gap * (n_leaves - 1)) / n_leaves
    stile = _uniform(rng, 0.05, 0.09) if n_leaves > 1 else _uniform(rng, 0.07, 0.12)
    top = _uniform(rng, 0.07, 0.12)
    bottom = _uniform(rng, 0.12, 0.22)
    rail = _uniform(rng, 0.08, 0.14)
    angle = _uniform(rng, 0.6, 0.85)
    slat_t = _uniform(rng, 0.007, 0.011)
    split = _uniform(rng, 0.85, 1.1)
    leaves = []
    for i in range(n_leaves):
        xc = -total / 2 + w / 2 + i * (w + gap)
        leaves.append((xc, w))
        inner = w - 2 * stile
        with d.part("stile") as p:
            _box(d, p, p.obj, [xc - w / 2 + stile / 2, height / 2, 0], [stile / 2, height / 2, t / 2])
        with d.part("stile") as p:
            _box(d, p, p.obj, [xc + w / 2 - stile / 2, height / 2, 0], [stile / 2, height / 2, t / 2])
        with d.part("top rail") as p:
            _box(d, p, p.obj, [xc, height - top / 2, 0], [inner / 2, top / 2, t / 2])
        with d.part("bottom rail") as p:
            _box(d, p, p.obj, [xc, bottom / 2, 0], [inner / 2, bottom / 2, t / 2])
        y_lo, y_hi = bottom, height - top
        if layout == "full":
            _louvres(d, "louvres", xc, inner, y_lo, y_hi, t, angle, slat_t)
            continue
        if layout == "vent":
            mid = y_lo + _uniform(rng, 0.25, 0.45)
        else:
            mid = split
        with d.part("lock rail") as p:
            _box(d, p, p.obj, [xc, mid, 0], [inner / 2, rail / 2, t / 2])
        if layout == "two":
            _louvres(d, "louvres", xc, inner, y_lo, mid - rail / 2, t, angle, slat_t)
            _louvres(d, "louvres", xc, inner, mid + rail / 2, y_hi, t, angle, slat_t)
        else:
            louvre_lo, louvre_hi = (mid + rail / 2, y_hi) if layout == "half" else (y_lo, mid - rail / 2)
            panel_lo, panel_hi = (y_lo, mid - rail / 2) if layout == "half" else (mid + rail / 2, y_hi)
            _louvres(d, "louvres", xc, inner, louvre_lo, louvre_hi, t, angle, slat_t)
            g = _Grid(xc, (panel_lo + panel_hi) / 2, inner + 0.01, panel_hi - panel_lo + 0.01)
            _panes(d, rng, "panel", g, t * _uniform(rng, 0.4, 0.6), fill=_pick(rng, ["grid", "mesh"]))
    if _chance(rng, 0.5):
        _door_frame(d, rng, total, height, t)
    if n_leaves != 2 or _chance(rng, 0.5):
        _hinges(d, rng, -total / 2, height, t)
    kind = _pick(rng, ["knob", "lever"], [0.7, 0.3])
    hy = _uniform(rng, 0.9, 1.05)
    if n_leaves == 1:
        _door_handles(d, rng, total / 2 - stile / 2, hy, t, -1.0, kind)
    else:
        for xc, lw in leaves[1::2]:
            with d.part("knob") as p:
                x = xc + lw / 2 - stile / 2
                _cyl(d, p, p.obj, [x, hy, t / 2], [x, hy, t / 2 + 0.025], 0.007)
                ball = p.helper("ball")
                _sphere(d, p, ball, [x, hy, t / 2 + 0.035], 0.016)
                p.call("join_obj", name=p.obj, seq_name=[p.obj, ball])
    return d.build(final_query=_chance(rng, 0.25))


def _sash(
    d: Design,
    rng: np.random.Generator,
    g: _Grid,
    z: float,
    bar_cols: int,
    bar_rows: int,
    frame_w: float,
    depth: float,
):
    """Sashes over the grid's cells: a square-section frame, its glass, and glazing bars."""
    with d.part("sash") as p:
        prof = p.helper("rectangle")
        for cx, cy in g.centres():
            d.grow([[cx - g.w / 2, cy - g.h / 2, z - depth / 2], [cx + g.w / 2, cy + g.h / 2, z + depth / 2]])
        # a closed path keeps 1/sqrt(2) of the profile's width along it, so the profile is widened
        p.call("create_rectangle", name=prof, width=_Len(frame_w * math.sqrt(2)), length=_Len(depth))
        p.call(
            "create_rectangle",
            name=p.obj,
            profile_name=prof,
            width=_Len(g.w - frame_w),
            length=_Len(g.h - frame_w),
            location=g.first(z),
        )
        _array_grid(p, p.obj, g)
    inner = _Grid(g.x0, g.y0, g.w - 2 * frame_w + 0.004, g.h - 2 * frame_w + 0.004, g.nx, g.dx, g.ny, g.dy)
    _panes(d, rng, "glass", inner, 0.006, z=z)
    if (bar_cols > 1 or bar_rows > 1) and g.nx * g.ny == 1:
        _bars(d, "glazing bars", inner, bar_cols, bar_rows, _uniform(rng, 0.015, 0.025), depth * 0.6, z=z)


def _curtain(
    d: Design, rng: np.random.Generator, x0: float, x1: float, y_top: float, y_bottom: float, z: float
):
    """A gathered curtain between x0 and x1: a sine wave swept down a vertical line."""
    width = x1 - x0
    amp = _uniform(rng, 0.015, 0.04)
    folds = int(rng.integers(4, 9))
    t = 0.003
    d.grow([[x0, y_bottom, z - amp - t], [x1, y_top, z + amp + t]])
    with d.part("curtain") as p:
        wave = p.helper("wave")
        p.call(
            "create_wave",
            name=wave,
            frequency=_Fn(lambda f: round(folds / (1 + width * f.scale), 2)),
            altitude=_Len(amp),
            segs=int(folds * 12),
            length=_Len(width),
        )
        xc = (x0 + x1) / 2
        p.call(
            "create_curve",
            name=p.obj,
            profile_name=wave,
            control_points=_Pos([[xc, y_top, z], [xc, y_bottom, z]]),
            handle_type=[SHARP] * 4,
            resolution=1,
            thickness=_Len(t),
        )


@register("Window")
def window(rng: np.random.Generator) -> ProgramBuilder:
    """Casement (one to three sashes with mullions), fixed, double-hung, sliding and transom windows:
    swept frame and sashes, glass, optional glazing bars, sill, and either curtains on a rod (swept
    waves) or louvred shutters."""
    kind = _pick(rng, ["casement", "double hung", "transom", "sliding", "fixed"], [0.3, 0.2, 0.2, 0.15, 0.15])
    d = Design(_pick(rng, ["window", "window", f"{kind} window"]))
    w = _uniform(rng, 0.6, 1.8)
    h = _uniform(rng, 0.6, 1.6)
    if kind == "double hung":
        h = max(h, w * _uniform(rng, 1.1, 1.6))
    fw = _uniform(rng, 0.04, 0.08)
    fd = _uniform(rng, 0.08, 0.15)
    d.grow([[-w / 2, 0.0, -fd / 2], [w / 2, h, fd / 2]])
    with d.part("frame") as p:
        prof = p.helper("rectangle")
        p.call("create_rectangle", name=prof, width=_Len(fw * math.sqrt(2)), length=_Len(fd))
        p.call(
            "create_rectangle",
            name=p.obj,
            profile_name=prof,
            width=_Len(w - fw),
            length=_Len(h - fw),
            location=_Pos([0.0, h / 2, 0.0]),
        )
    ix0, ix1, iy0, iy1 = -w / 2 + fw, w / 2 - fw, fw, h - fw
    iw, ih = ix1 - ix0, iy1 - iy0
    sw = _uniform(rng, 0.03, 0.05)
    sd = fd * _uniform(rng, 0.35, 0.5)
    bars = (int(rng.integers(1, 4)), int(rng.integers(1, 5))) if _chance(rng, 0.45) else (1, 1)
    if kind in ("casement", "fixed"):
        n = int(rng.integers(1, 4)) if kind == "casement" else 1
        if w / n < 0.35:
            n = max(1, int(w / 0.35))
        mull = _uniform(rng, 0.03, 0.06)
        cw = (iw - mull * (n - 1)) / n
        if n > 1:
            mg = _Grid(ix0 + cw + mull / 2, (iy0 + iy1) / 2, mull, ih, nx=n - 1, dx=cw + mull)
            d.grow([[ix0, iy0, -fd * 0.4], [ix1, iy1, fd * 0.4]])
            with d.part("mullion") as p:
                p.call(
                    "create_primitive",
                    name=p.obj,
                    primitive_type="cube",
                    location=mg.first(0.0),
                    scale=_Len([mull / 2, ih / 2, fd * 0.4], MIN_SCALE),
                    apply=True,
                )
                _array_grid(p, p.obj, mg)
        g = _Grid(ix0 + cw / 2, (iy0 + iy1) / 2, cw, ih, nx=n, dx=cw + mull)
        if kind == "fixed":
            bars = (int(rng.integers(2, 5)), int(rng.integers(2, 5))) if _chance(rng, 0.7) else (1, 1)
            _sash(d, rng, g, 0.0, bars[0], bars[1], sw, sd)
        else:
            _sash(d, rng, g, 0.0, bars[0], bars[1], sw, sd)
            with d.part("handle") as p:
                hx = ix0 + cw - sw * 0.5 if n > 1 else ix1 - sw * 0.5
                hy = (iy0 + iy1) / 2
                _box(d, p, p.obj, [hx, hy, sd / 2 + 0.01], [0.008, 0.05, 0.008], bevel=0.3)
    elif kind in ("double hung", "sliding"):
        if kind == "double hung":
            sh = (ih + sw) / 2
            lower = _Grid(0.0, iy0 + sh / 2, iw, sh)
            upper = _Grid(0.0, iy1 - sh / 2, iw, sh)
            _sash(d, rng, lower, sd * 0.55, bars[0], bars[1], sw, sd)
            _sash(d, rng, upper, -sd * 0.55, bars[0], max(bars[1], 1), sw, sd)
            with d.part("sash lift") as p:
                _box(d, p, p.obj, [0.0, iy0 + sw * 0.5, sd * 1.05 + 0.012], [0.04, 0.008, 0.01], bevel=0.3)
        else:
            cw = (iw + sw) / 2
            left = _Grid(ix0 + cw / 2, (iy0 + iy1) / 2, cw, ih)
            right = _Grid(ix1 - cw / 2, (iy0 + iy1) / 2, cw, ih)
            _sash(d, rng, left, -sd * 0.55, bars[0], bars[1], sw, sd)
            _sash(d, rng, right, sd * 0.55, bars[0], bars[1], sw, sd)
    else:  # a picture pane under a transom light
        rail = _uniform(rng, 0.04, 0.07)
        th = ih * _uniform(rng, 0.2, 0.32)
        ty = iy1 - th
        d.grow([[ix0, ty - rail, -fd * 0.4], [ix1, ty, fd * 0.4]])
        with d.part("transom") as p:
            _box(d, p, p.obj, [0.0, ty - rail / 2, 0.0], [iw / 2, rail / 2, fd * 0.4])
        n = _pick(rng, [1, 2, 3]) if w > 0.9 else 1
        _sash(d, rng, _Grid(ix0 + iw / (2 * n), ty + th / 2, iw / n, th, nx=n, dx=iw / n), 0.0, 1, 1, sw, sd)
        _sash(d, rng, _Grid(0.0, (iy0 + ty - rail) / 2, iw, ty - rail - iy0), 0.0, bars[0], bars[1], sw, sd)
    dressing = _pick(rng, ["none", "curtains", "shutters"], [0.55, 0.3, 0.15])
    if dressing == "shutters":  # louvred shutters on both sides
        sw_ = w * _uniform(rng, 0.4, 0.5)
        st = _uniform(rng, 0.025, 0.035)
        sf = _uniform(rng, 0.04, 0.06)
        zs = fd / 2 - st / 2
        angle, slat_t = _uniform(rng, 0.6, 0.8), _uniform(rng, 0.006, 0.01)
        for side, label in ((-1.0, "left shutter"), (1.0, "right shutter")):
            xc = side * (w / 2 + sw_ / 2 + 0.01)
            d.grow([[xc - sw_ / 2, 0.0, zs - st / 2], [xc + sw_ / 2, h, zs + st / 2]])
            with d.part(label) as p:
                prof = p.helper("rectangle")
                p.call("create_rectangle", name=prof, width=_Len(sf * math.sqrt(2)), length=_Len(st))
                p.call(
                    "create_rectangle",
                    name=p.obj,
                    profile_name=prof,
                    width=_Len(sw_ - sf),
                    length=_Len(h - sf),
                    location=_Pos([xc, h / 2, zs]),
                )
            _louvres(d, "louvres", xc, sw_ - 2 * sf, sf, h - sf, st, angle, slat_t, z=zs)
    if _chance(rng, 0.6):
        with d.part("sill") as p:
            sd_out = _uniform(rng, 0.03, 0.08)
            st = _uniform(rng, 0.02, 0.04)
            _box(
                d,
                p,
                p.obj,
                [0.0, -st / 2 + 0.005, sd_out / 2],
                [w / 2 + _uniform(rng, 0.0, 0.05), st / 2, fd / 2 + sd_out / 2],
            )
    if dressing == "curtains":
        ext = _uniform(rng, 0.08, 0.25)
        y_rod = h + _uniform(rng, 0.05, 0.15)
        z_rod = fd / 2 + _uniform(rng, 0.08, 0.14)
        rr = _uniform(rng, 0.008, 0.015)
        with d.part("curtain rod") as p:
            _cyl(d, p, p.obj, [-w / 2 - ext, y_rod, z_rod], [w / 2 + ext, y_rod, z_rod], rr)
        with d.part("finials") as p:
            _sphere(d, p, p.obj, [-w / 2 - ext - rr, y_rod, z_rod], rr * 2.0, apply=True)
            d.grow([[w / 2 + ext + rr, y_rod, z_rod]], rr * 2.0)
            p.call("array_1d", name=p.obj, count=2, constant_offset=_Len([w + 2 * ext + 2 * rr, 0.0, 0.0]))
        bottom = -_uniform(rng, 0.0, 0.3)
        cw = (w / 2 + ext) * _uniform(rng, 0.35, 0.6)
        sides = [-1, 1] if _chance(rng, 0.75) else [_pick(rng, [-1, 1])]
        for sgn in sides:
            outer = sgn * (w / 2 + ext - 0.01)
            inner = outer - sgn * cw
            _curtain(d, rng, min(outer, inner), max(outer, inner), y_rod - rr, bottom, z_rod - 0.04)
    return d.build(final_query=_chance(rng, 0.25))
