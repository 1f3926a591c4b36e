"""Parts drawn block by block on a :class:`~meshcoder.data.generators.design.Design`: the lamps, doors,
windows and bathroom fixtures put several objects in one part (a neck and its socket, a knob's stem
and ball, a leaf and its cutters), so a part is a :class:`Blocks` that each block widens by the
points it covers (metres) and extends by the calls it writes once the frame is known.

The points are the design's own numbers, not the written ones: the box does not move with rounding,
so the design layer's fit keeps the first frame. Sizes are written through the design layer's size
rule (:func:`~meshcoder.data.generators.design.size`); a thin round profile is written through
:func:`written_radius` instead, and an array pitch through :func:`snap`.

The blocks differ from the design layer's drawing calls in what they write (``apply``, lathes about
any axis with their location, thin tubes as larger circles scaled down, several objects per part),
so they are kept here rather than there.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.design import Design, Part, Write, call, size
from meshcoder.data.generators.geometry import (
    AUTO,
    SHARP,
    UP,
    bezier_polyline,
    circle_points,
    lathe_rings,
    quat_to,
    rotate,
    unit,
)
from meshcoder.data.generators.library_model import lathe_section

#: Smallest circle radius written for a round profile (canonical units); a thinner one is scaled down.
THIN_RADIUS = 0.02


class Blocks:
    """One part as it is drawn: the points its blocks cover (metres) and the writers of their calls.
    Its objects are named as the part's :class:`~meshcoder.data.builder.PartWriter` will name them."""

    def __init__(self, index: int, label: str):
        self.index = index
        self.label = label
        self.points: list[np.ndarray] = []
        self.writers: list[Write] = []
        self.used: dict[str, int] = {}
        self._names = PartWriter(index, label)

    @property
    def obj(self) -> str:
        """The name of the part's object: '<label>_<index>'."""
        return self._names.obj

    def helper(self, kind: str, *numbers: int) -> str:
        """A helper object's name in this part: '<kind>[_<n>...]_<index>'."""
        return self._names.helper(kind, *numbers)

    def fresh(self, kind: str) -> str:
        """A helper name not used before in this part: 'circle_<i>', then 'circle_2_<i>', ..."""
        self.used[kind] = self.used.get(kind, 0) + 1
        n = self.used[kind]
        return self.helper(kind) if n == 1 else self.helper(kind, n)

    def cover(self, points, pad=0.0) -> None:
        """The part covers ``points`` (N x 3 metres), each padded by ``pad`` (scalar or per axis)."""
        pts = np.asarray(points, dtype=float).reshape(-1, 3)
        pad = np.broadcast_to(np.asarray(pad, dtype=float), (3,))
        if np.any(pad):
            pts = np.concatenate([pts] + [pts + sign * pad * e for e in np.eye(3) for sign in (-1, 1)])
        self.points.append(pts)

    def cover_radial(self, centre, count: int) -> None:
        """The part also covers ``count - 1`` copies of what it covers so far, evenly turned about the
        vertical through ``centre`` (what ``array_rotate`` about +Y makes)."""
        step = 2 * math.pi / count
        pts = np.concatenate(self.points) - np.asarray(centre, dtype=float)
        for k in range(1, count):
            c, s = math.cos(k * step), math.sin(k * step)
            # a turn about +Y by the angle: x' = c x + s z, z' = -s x + c z
            turned = np.stack(
                [c * pts[:, 0] + s * pts[:, 2], pts[:, 1], -s * pts[:, 0] + c * pts[:, 2]], axis=1
            )
            self.cover(turned + np.asarray(centre, dtype=float))

    def write(self, writer: Write) -> None:
        """Add calls, written by ``writer(wr, f)`` once the frame ``f`` is known."""
        self.writers.append(writer)

    def call(self, function: str, **arguments) -> None:
        """Add a call whose arguments do not depend on the frame (None ones left out)."""
        self.write(lambda wr, _f: call(wr, function, **arguments))

    def bounds(self) -> np.ndarray:
        """Every point the part covers."""
        return np.concatenate(self.points) if self.points else np.zeros((0, 3))

    def write_all(self, wr: PartWriter, f: Frame) -> None:
        """The part's calls in the order they were drawn."""
        for writer in self.writers:
            writer(wr, f)


@contextmanager
def part(d: Design, label: str) -> Iterator[Blocks]:
    """A new part of ``d``, added (its points and calls) when the ``with`` block ends."""
    blocks = Blocks(len(d.parts) + 1, label)
    yield blocks
    if len(d.parts) + 1 != blocks.index:
        raise RuntimeError(f"part {label!r} was drawn while another part was open; draw parts one by one")
    d.add(label, blocks.bounds(), blocks.write_all)


def build(d: Design, final_query: bool = False) -> ProgramBuilder:
    """The program of ``d``; ``final_query`` closes its last part with a ``get_faces`` query."""
    if final_query:
        last = d.parts[-1]

        def then_query(wr: PartWriter, f: Frame, write=last.write) -> None:
            write(wr, f)
            wr.call("get_faces")

        d.parts[-1] = Part(last.label, last.bounds, then_query)
    return d.builder()


# ------------------------------------------------------------------------------------ frame values


def written_radius(r: float, f: Frame) -> float:
    """The radius a round profile of radius ``r`` (metres) is written with in frame ``f``: two decimals,
    never under :data:`THIN_RADIUS` (a thinner profile is scaled down by its sweep instead)."""
    return max(round(r * f.scale, 2), THIN_RADIUS)


def snap(length: float, f: Frame) -> float:
    """A pitch as the program writes it (two decimals, canonical units), never zero."""
    return max(round(length * f.scale, 2), 0.01)


def sizes(f: Frame, lengths) -> list[float]:
    """Half sizes or radii as written (:func:`~meshcoder.data.generators.design.size`)."""
    return [size(f, v) for v in lengths]


def ellipse_points(centre, a, b, q=UP, n=48) -> np.ndarray:
    """``n`` points of the ellipse of half axes ``a`` (local X) and ``b`` (local Y) about ``centre``, turned
    by ``q`` (lying flat, X and Z, by default)."""
    return np.asarray(centre, dtype=float) + rotate(q, circle_points(n) * [a, b, 0.0])


# ------------------------------------------------------------------------------------------ blocks


def box(p: Blocks, name: str, centre, half, q=None, bevel=None, apply=False) -> None:
    """A cube of half extents ``half`` at ``centre``, optionally turned by ``q`` and bevelled."""
    half = np.asarray(half, dtype=float)
    corners = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]) * half
    if q is not None:
        corners = rotate(q, corners)
    p.cover(np.asarray(centre) + corners)
    rotation = None if q is None else unit(q).tolist()

    def write(wr: PartWriter, f: Frame) -> None:
        call(
            wr,
            "create_primitive",
            name=name,
            primitive_type="cube",
            location=f.p(centre),
            scale=sizes(f, half),
            rotation=rotation,
            apply=apply,
        )
        if bevel:
            wr.call("bevel", name=name, width=bevel, segments=3)

    p.write(write)


def cylinder(p: Blocks, name: str, a, b, r, rz=None, apply=False) -> None:
    """A cylinder from point ``a`` to point ``b`` of radius ``r`` (``rz``: a second radius across, for
    elliptic sections)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    axis = b - a
    h = float(np.linalg.norm(axis))
    q = quat_to(axis, via_cos=True)
    rz = r if rz is None else rz
    ring = np.array([[math.cos(t) * r, math.sin(t) * rz, 0.0] for t in np.linspace(0, 2 * math.pi, 33)])
    ring = rotate(q, ring)
    p.cover(np.concatenate([a + ring, b + ring]))
    rotation = None if np.allclose(q, [1, 0, 0, 0]) else unit(q).tolist()

    def write(wr: PartWriter, f: Frame) -> None:
        call(
            wr,
            "create_primitive",
            name=name,
            primitive_type="cylinder",
            location=f.p((a + b) / 2),
            scale=sizes(f, [r, rz, h / 2]),
            rotation=rotation,
            apply=apply,
        )

    p.write(write)


def sphere(p: Blocks, name: str, centre, radii, apply=False) -> None:
    """A UV sphere (or ellipsoid, ``radii`` per axis) at ``centre``."""
    radii = np.broadcast_to(np.asarray(radii, dtype=float), (3,))
    p.cover(np.asarray(centre), radii)

    def write(wr: PartWriter, f: Frame) -> None:
        call(
            wr,
            "create_primitive",
            name=name,
            primitive_type="uv_sphere",
            location=f.p(centre),
            scale=sizes(f, radii),
            apply=apply,
        )

    p.write(write)


def lathe(
    p: Blocks,
    name: str,
    profile: Sequence[tuple[float, float]],
    base,
    codes: Sequence[int] | None = None,
    axis=(0.0, 1.0, 0.0),
    thickness: float = 0.0,
    resolution: int = 12,
    smooth: bool = False,
) -> None:
    """A solid of revolution: ``profile`` is a list of (radius, height) in metres measured from ``base``
    along ``axis``; ``codes`` are create_curve handle codes (two per point, sharp by default)."""
    prof = np.asarray(profile, dtype=float)
    along = unit(axis)
    q = np.asarray(UP, dtype=float) if np.allclose(along, [0, 1, 0]) else quat_to(along, via_cos=True)
    codes = list(codes) if codes is not None else [SHARP] * (2 * len(prof))
    # The evaluated profile and, with a thickness, the shell on the side the lathe grows it.
    p.cover(lathe_rings(lathe_section(bezier_polyline(prof, codes, 8), abs(thickness)), base, axis, q))
    curve = p.fresh("curve")
    points = [[r, h, 0.0] for r, h in prof]
    rotation = unit(q).tolist()

    def write(wr: PartWriter, f: Frame) -> None:
        wr.call("create_curve", name=curve, control_points=f.l(points), handle_type=codes, resolution=8)
        call(
            wr,
            "bezier_rotation",
            name=name,
            profile_name=curve,
            location=f.p(base),
            rotation=rotation,
            thickness=f.l(thickness) if thickness else None,
            use_smooth=smooth or None,
            resolution=resolution,
        )

    p.write(write)


def profile_circle(p: Blocks, name: str, r: float, resolution: int | None = None) -> None:
    """A round sweep profile of radius ``r`` (metres); a thin one is a larger circle scaled down, since
    the circle's radius is written with two decimals and a sweep applies its profile's scale."""

    def write(wr: PartWriter, f: Frame) -> None:
        k = round(r * f.scale / written_radius(r, f), 2)
        scale = None if abs(k - 1) < 0.005 else [k, k, 1.0]
        call(wr, "create_circle", name=name, radius=written_radius(r, f), scale=scale, resolution=resolution)

    p.write(write)


def tube(p: Blocks, name: str, points, r: float, codes=None, caps="both", resolution=12) -> None:
    """A round tube of radius ``r`` swept along the Bezier path through ``points``.

    A thin tube is written as a larger circle scaled down by the point radii, which keep two
    significant digits where the circle's own radius would round to zero."""
    pts = np.asarray(points, dtype=float)
    p.cover(pts, r)
    circle = p.fresh("circle")
    codes = codes if codes is not None else [AUTO] * (2 * len(pts))

    def write(wr: PartWriter, f: Frame) -> None:
        k = r * f.scale / written_radius(r, f)
        radii = None if abs(k - 1) < 0.01 else [round(k, 2)] * len(pts)
        wr.call("create_circle", name=circle, radius=written_radius(r, f))
        call(
            wr,
            "create_curve",
            name=name,
            profile_name=circle,
            control_points=f.ps(pts),
            points_radius=radii,
            handle_type=codes,
            fill_caps=caps,
            resolution=resolution,
        )

    p.write(write)


def repeat(p: Blocks, name: str, count: int, offset) -> None:
    """``count`` copies of ``name`` in a row, each ``offset`` (metres) from the last (``array_1d``); what
    the copies cover is the caller's to say."""
    p.write(lambda wr, f: wr.call("array_1d", name=name, count=count, constant_offset=f.l(list(offset))))
