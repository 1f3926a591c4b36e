"""Part samplers: one-part programs of the paper's part-to-code stage, in the cube [-1, 1]^3.

Eight part types, registered in the generator registry of :mod:`meshcoder.data.categories` (so
``generate_program("Boolean", seed)`` works once this module is imported; :func:`generate_part`
imports it for you):

* ``Primitive``: the paper's rule exactly. A random type (cube, cylinder, UV sphere, cone, torus),
  per-axis scale ``10^x`` with ``x ~ U[-2, 2]``, a uniform random orientation (uniform random unit
  quaternion), rescaled so the longest side of its bounding box is in [1, 2], and placed at a random
  position where it stays inside the cube.
* ``Translation``: a section (rectangle, circle, arc, polygon or closed Bezier) swept along a path
  (line, polyline, circle, arc, rectangle or Bezier).
* ``BridgeLoop``: two to five loops (circles, polygons or quads) bridged into one surface.
* ``Boolean``: two primitives combined by union, difference or intersection.
* ``Array``: a primitive repeated by a 1D, 2D or 3D array or a radial array.
* ``FillGrid``: a closed outline filled with a quad grid (a panel), optionally solidified.
* ``PartSpoon`` and ``PartFork``: the cutlery functions with random anchor profiles. They carry a
  ``Part`` prefix because ``Spoon`` and ``Fork`` already name object categories in the same registry.

Every sampler but ``Primitive`` designs its part in free units, bounds it conservatively (a box that
contains the executed mesh) and maps that box by a uniform scale and a shift into the cube, with the
box's longest side drawn from [1, 2] like the primitives'. Quantities that live in an object's unscaled
local space (bevel widths, bend angles) are left alone by that map, as the shape-language spec says.
Written numbers are rounded (2 decimals, 3 for control points), so boxes keep a margin of
:data:`MARGIN` from the cube's faces.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.categories import generate_program
from meshcoder.data.frame import Frame
from meshcoder.data.generators.library_model import arc_control_points
from meshcoder.data.generators.registry import register

#: Part types in the paper's order, as registered (``PartSpoon``/``PartFork`` avoid the category names).
PART_TYPES: tuple[str, ...] = (
    "Primitive",
    "Translation",
    "BridgeLoop",
    "Boolean",
    "Array",
    "FillGrid",
    "PartSpoon",
    "PartFork",
)
#: The primitive types a ``Primitive`` part draws from (the solids of ``create_primitive``; the flat
#: ``grid`` has no volume and is left out).
PRIMITIVE_TYPES: tuple[str, ...] = ("cube", "cylinder", "uv_sphere", "cone", "torus")
SECTION_TYPES: tuple[str, ...] = ("rectangle", "circle", "arc", "polygon", "bezier")
PATH_TYPES: tuple[str, ...] = ("line", "polyline", "circle", "arc", "rectangle", "bezier")
#: Range of the longest side of a part's bounding box (the paper's [1, 2]).
LONGEST_SIDE: tuple[float, float] = (1.0, 2.0)
#: Distance kept from the faces of [-1, 1]^3, so that rounding written numbers never pushes a part out.
MARGIN = 0.01
#: Smallest scale a program can write with 2 decimals; smaller draws are raised to it (not 0).
MIN_WRITTEN_SCALE = 0.01

_LABELS = {"uv_sphere": "sphere"}


def generate_part(part_type: str, seed: int) -> str:
    """The program text of part type ``part_type`` (one of :data:`PART_TYPES`) for ``seed``."""
    if part_type not in PART_TYPES:
        raise KeyError(f"unknown part type {part_type!r}; use one of {', '.join(PART_TYPES)}")
    return generate_program(part_type, seed)


# ------------------------------------------------------------------------------------ geometry helpers
def random_quaternion(rng: np.random.Generator) -> np.ndarray:
    """A uniform random unit quaternion ``[w, x, y, z]`` (Blender order) with ``w >= 0``."""
    x, y, z, w = Rotation.random(random_state=rng).as_quat()
    q = np.array([w, x, y, z])
    return q if w >= 0 else -q


def quaternion_matrix(q: Sequence[float]) -> np.ndarray:
    """The rotation matrix of ``q`` ``[w, x, y, z]``, normalised first as programs read it."""
    w, x, y, z = np.asarray(q, dtype=float)
    return Rotation.from_quat([x, y, z, w]).as_matrix()


def quaternion_to(direction: Sequence[float]) -> np.ndarray:
    """The shortest-arc quaternion ``[w, x, y, z]`` turning local +Z onto ``direction``."""
    d = np.asarray(direction, dtype=float)
    d = d / np.linalg.norm(d)
    if d[2] < -1 + 1e-9:
        return np.array([0.0, 1.0, 0.0, 0.0])
    rot, _ = Rotation.align_vectors([d], [[0.0, 0.0, 1.0]])
    x, y, z, w = rot.as_quat()
    return np.array([w, x, y, z]) * (1 if w >= 0 else -1)


def written(values, decimals: int = 2) -> np.ndarray:
    """``values`` as a program reads them back after writing (rounded)."""
    return np.round(np.asarray(values, dtype=float), decimals)


@functools.cache
def primitive_template(kind: str) -> np.ndarray:
    """The vertices of ``create_primitive``'s default mesh of ``kind`` (before scale and rotation),
    read-only. A mesh's bounding box is its vertices', so these bound the executed primitive exactly.
    """
    template = _template(kind)
    template.flags.writeable = False
    return template


def _template(kind: str) -> np.ndarray:
    ring32 = np.linspace(0, 2 * math.pi, 32, endpoint=False)
    circle = np.stack([np.cos(ring32), np.sin(ring32), np.zeros(32)], axis=1)
    if kind == "cube":
        return np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=float)
    if kind == "cylinder":
        return np.concatenate([circle + np.array([0.0, 0.0, 1.0]), circle - np.array([0.0, 0.0, 1.0])])
    if kind == "cone":
        return np.concatenate([circle - [0, 0, 1], [[0.0, 0.0, 1.0]]])
    if kind == "uv_sphere":
        polar = np.pi * np.arange(1, 16) / 16
        rings = [
            np.stack([np.sin(t) * np.cos(ring32), np.sin(t) * np.sin(ring32), np.full(32, np.cos(t))], 1)
            for t in polar
        ]
        return np.concatenate([*rings, [[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]]])
    if kind == "torus":
        major = np.linspace(0, 2 * math.pi, 48, endpoint=False)
        minor = np.linspace(0, 2 * math.pi, 12, endpoint=False)
        a, b = np.meshgrid(major, minor, indexing="ij")
        radius = 1.0 + 0.25 * np.cos(b)
        return np.stack([radius * np.cos(a), radius * np.sin(a), 0.25 * np.sin(b)], axis=-1).reshape(-1, 3)
    raise ValueError(f"no template for primitive type {kind!r}; use one of {', '.join(PRIMITIVE_TYPES)}")


def primitive_points(kind: str, location, scale, rotation) -> np.ndarray:
    """World vertices of a primitive as written: template, times ``scale``, turned, moved."""
    return (primitive_template(kind) * np.asarray(scale, float)) @ quaternion_matrix(rotation).T + np.asarray(
        location, float
    )


def bounds(points: np.ndarray) -> np.ndarray:
    """``[[xmin, ymin, zmin], [xmax, ymax, zmax]]`` of a point set."""
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    return np.stack([points.min(axis=0), points.max(axis=0)])


def _box_corners(box: np.ndarray) -> np.ndarray:
    lo, hi = box
    return np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])


def _random_direction(rng: np.random.Generator, axis_aligned: bool) -> np.ndarray:
    if axis_aligned:
        d = np.zeros(3)
        d[rng.integers(3)] = rng.choice([-1.0, 1.0])
        return d
    d = rng.normal(size=3)
    return d / np.linalg.norm(d)


def _orthonormal_basis(normal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors spanning the plane orthogonal to ``normal`` (the images of local X and Y under
    :func:`quaternion_to`, so loops made in local XY and turned by it lie on this basis)."""
    m = quaternion_matrix(quaternion_to(normal))
    return m[:, 0], m[:, 1]


def _uniform_rotation_or_axis_aligned(rng: np.random.Generator, p_random: float = 0.5) -> np.ndarray:
    if rng.random() < p_random:
        return random_quaternion(rng)
    return quaternion_to(_random_direction(rng, axis_aligned=True))


class Placement(Frame):
    """Maps a design box into [-1, 1]^3: uniform scale so its longest side is ``longest``, then a shift
    to a random position where the box keeps :data:`MARGIN` from the cube's faces."""

    def __init__(self, box: np.ndarray, rng: np.random.Generator, longest: float | None = None):
        super().__init__(box[0], box[1])
        if longest is None:
            longest = rng.uniform(LONGEST_SIDE[0], LONGEST_SIDE[1] - 2 * MARGIN)
        self.scale *= longest
        half = (np.asarray(box[1], float) - np.asarray(box[0], float)) / 2 * self.scale
        slack = np.maximum(1.0 - MARGIN - half, 0.0)
        self.offset = rng.uniform(-slack, slack)

    def p(self, xyz: Sequence[float]) -> list[float]:
        return (np.asarray(super().p(xyz)) + self.offset).tolist()


def _fit_transform(
    local_points: np.ndarray, rotation: np.ndarray, rng: np.random.Generator
) -> tuple[float, list[float]]:
    """For an object transform (uniform scale ``s``, ``rotation``, location): the scale that makes the
    turned points' box longest side lie in [1, 2], and a random location keeping the box in the cube.
    ``rotation`` is used as written (rounded)."""
    turned = local_points @ quaternion_matrix(written(rotation)).T
    box = bounds(turned)
    target = rng.uniform(LONGEST_SIDE[0], LONGEST_SIDE[1] - 2 * MARGIN)
    s = target / float((box[1] - box[0]).max())
    return s, _random_location(box * s, rng)


def _random_location(box: np.ndarray, rng: np.random.Generator) -> list[float]:
    """A location (2 decimals) that keeps ``box`` (relative to the object's origin) inside the cube."""
    lo = np.ceil((-1.0 + MARGIN - box[0]) * 100) / 100
    hi = np.floor((1.0 - MARGIN - box[1]) * 100) / 100
    hi = np.maximum(hi, lo)  # only when the box is wider than the cube, which callers prevent
    return np.round(rng.uniform(lo, hi), 2).tolist()


# ---------------------------------------------------------------------------------------- Primitive
@dataclass(frozen=True)
class PrimitiveSample:
    """One draw of the paper's primitive rule, as written into the program.

    ``exponents`` are the per-axis ``x ~ U[-2, 2]`` of the raw scale ``10^x``; ``longest_side`` is
    the drawn target for the bounding box's longest side; ``scale``, ``rotation`` and ``location``
    are the written arguments (scales below :data:`MIN_WRITTEN_SCALE` raised to it).
    """

    kind: str
    exponents: tuple[float, float, float]
    longest_side: float
    scale: tuple[float, float, float]
    rotation: tuple[float, float, float, float]
    location: tuple[float, float, float]

    def world_bounds(self) -> np.ndarray:
        """The bounding box of the executed primitive."""
        return bounds(primitive_points(self.kind, self.location, self.scale, self.rotation))


def sample_primitive(rng: np.random.Generator) -> PrimitiveSample:
    """Draw a primitive by the paper's rule (see the module docstring)."""
    kind = str(rng.choice(PRIMITIVE_TYPES))
    exponents = rng.uniform(-2.0, 2.0, size=3)
    rotation = written(random_quaternion(rng))
    longest = rng.uniform(LONGEST_SIDE[0], LONGEST_SIDE[1] - 2 * MARGIN)
    template = primitive_template(kind)
    turn = quaternion_matrix(rotation)
    raw = 10.0**exponents
    side = float(np.ptp((template * raw) @ turn.T, axis=0).max())
    scale = np.maximum(written(raw * longest / side), MIN_WRITTEN_SCALE)
    box = bounds((template * scale) @ turn.T)
    # Rounding can nudge the box past 2 - 2 * MARGIN by a hair; shrink until it fits.
    while np.ptp(box, axis=0).max() > 2.0 - 2 * MARGIN:
        scale = np.maximum(written(scale * 0.99), MIN_WRITTEN_SCALE)
        box = bounds((template * scale) @ turn.T)
    location = _random_location(box, rng)
    return PrimitiveSample(
        kind, tuple(exponents.tolist()), float(longest), tuple(scale.tolist()), tuple(rotation.tolist()),
        tuple(location),
    )  # fmt: skip


@register("Primitive")
def primitive_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``Primitive`` part (the paper's sampling rule)."""
    sample = sample_primitive(rng)
    b = ProgramBuilder("primitive")
    with b.part(_LABELS.get(sample.kind, sample.kind)) as p:
        p.call(
            "create_primitive",
            name=p.obj,
            primitive_type=sample.kind,
            location=list(sample.location),
            scale=list(sample.scale),
            rotation=list(sample.rotation),
        )
    return b


# -------------------------------------------------------------------------------------- Translation
@dataclass
class _Section:
    """A sweep profile: how to write it (given the design-to-world length factor) and its reach, the
    largest distance of its points from its origin (design units)."""

    write: Callable[[PartWriter, str, float], None]
    reach: float
    open: bool = False


def _sample_section(rng: np.random.Generator, kind: str, size: float) -> _Section:
    if kind == "rectangle":
        w, l = size * rng.uniform(0.3, 1.0, size=2)

        def write(p: PartWriter, name: str, s: float) -> None:
            p.call("create_rectangle", name=name, width=w * s, length=l * s)

        return _Section(write, 0.5 * math.hypot(w, l))
    if kind == "circle":
        r = size * rng.uniform(0.3, 0.6)

        def write(p: PartWriter, name: str, s: float) -> None:
            p.call("create_circle", name=name, radius=r * s)

        return _Section(write, r)
    if kind == "arc":
        r = size * rng.uniform(0.3, 0.6)
        start = float(rng.uniform(0, 360))
        span = float(rng.uniform(90, 300))
        closed = bool(rng.random() < 0.5)

        def write(p: PartWriter, name: str, s: float) -> None:
            p.call(
                "create_arc_points",
                name=name,
                radius=r * s,
                start_angle=round(start, 1),
                end_angle=round(start + span, 1),
                closed=closed,
            )

        return _Section(write, r, open=not closed)
    if kind == "polygon":
        r = size * rng.uniform(0.3, 0.6)
        sides = int(rng.integers(3, 9))

        def write(p: PartWriter, name: str, s: float) -> None:
            p.call("create_polygon", name=name, sides=sides, radius=r * s)

        return _Section(write, r)
    if kind == "bezier":
        r = size * rng.uniform(0.3, 0.6)
        count = int(rng.integers(4, 8))
        angles = 2 * np.pi * (np.arange(count) + rng.uniform(-0.25, 0.25, count)) / count
        radii = r * rng.uniform(0.5, 1.0, count)
        local = np.stack([radii * np.cos(angles), radii * np.sin(angles), np.zeros(count)], axis=1)

        def write(p: PartWriter, name: str, s: float) -> None:
            p.call("create_curve", name=name, control_points=(local * s).tolist(), closed=True)

        # AUTO handles of a closed star-shaped loop bulge past its points by well under a third.
        return _Section(write, 1.35 * r)
    raise ValueError(f"unknown section type {kind!r}; use one of {', '.join(SECTION_TYPES)}")


def _ring_box(centre: np.ndarray, normal: np.ndarray, radius: float, tube: float) -> np.ndarray:
    """Bounding box of a circle of ``radius`` about ``centre`` in the plane orthogonal to ``normal``,
    thickened by ``tube``."""
    n = normal / np.linalg.norm(normal)
    half = radius * np.sqrt(np.clip(1.0 - n**2, 0.0, 1.0)) + tube
    return np.stack([centre - half, centre + half])


def _random_walk(rng: np.random.Generator, count: int, axis_aligned: bool) -> np.ndarray:
    points = [np.zeros(3)]
    direction = _random_direction(rng, axis_aligned)
    for _ in range(count - 1):
        if axis_aligned:
            direction = _random_direction(rng, True) if rng.random() < 0.7 else direction
            if np.allclose(points[-1] + direction, points[-2] if len(points) > 1 else np.inf):
                direction = -direction
        else:
            direction = direction + rng.normal(scale=0.8, size=3)
            direction /= np.linalg.norm(direction)
        points.append(points[-1] + direction * rng.uniform(0.4, 1.0))
    return np.array(points)


@register("Translation")
def translation_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``Translation`` part: a random section swept along a random path."""
    section_kind = str(rng.choice(SECTION_TYPES))
    path_kind = str(rng.choice(PATH_TYPES))
    axis_aligned = bool(rng.random() < 0.5)
    size = rng.uniform(0.08, 0.3)  # section size relative to a path about 1 long
    section = _sample_section(rng, section_kind, size)
    taper = [1.0, 1.0]
    if path_kind in ("line", "arc") and rng.random() < 0.4:
        taper = np.round(rng.uniform(0.4, 1.0, 2), 2).tolist()
    tube = section.reach * max(taper) + (0.03 * size if section.open else 0.0)

    # The path in design units; ``emit`` writes it once the placement is known.
    if path_kind in ("line", "polyline", "bezier"):
        count = {"line": 2, "polyline": int(rng.integers(3, 6)), "bezier": int(rng.integers(3, 7))}[path_kind]
        points = _random_walk(rng, count, axis_aligned and path_kind != "bezier")
        box = bounds(points)
        if path_kind == "bezier":  # AUTO handles overshoot the points by part of a span
            span = float(np.linalg.norm(np.diff(points, axis=0), axis=1).max())
            box = box + np.array([[-1.0], [1.0]]) * 0.3 * span
        radii = None
        if path_kind == "bezier" and rng.random() < 0.4:
            radii = np.round(rng.uniform(0.5, 1.0, count), 2).tolist()
            taper = [1.0, 1.0]
        handles = [1] * (2 * count) if path_kind != "bezier" else None
        bevel = bool(path_kind == "polyline" and rng.random() < 0.4)

        def emit(p: PartWriter, place: Placement, sec: str) -> None:
            p.call(
                "create_curve",
                name=p.obj,
                profile_name=sec,
                control_points=place.ps(points),
                points_radius=radii if radii is not None else (taper if path_kind == "line" else None),
                handle_type=handles,
                bevel_width=place.l(0.15 * float(np.linalg.norm(np.diff(points, axis=0), axis=1).min()))
                if bevel
                else None,
                fill_caps="both",
            )

    elif path_kind == "circle":
        normal = _random_direction(rng, axis_aligned)
        radius = rng.uniform(0.3, 0.6)
        box = _ring_box(np.zeros(3), normal, radius, 0.0)
        rotation = written(quaternion_to(normal))

        def emit(p: PartWriter, place: Placement, sec: str) -> None:
            p.call(
                "create_circle",
                name=p.obj,
                profile_name=sec,
                location=place.p([0, 0, 0]),
                rotation=rotation.tolist(),
                radius=place.l(radius),
            )

    elif path_kind == "arc":
        normal = _random_direction(rng, axis_aligned)
        u, v = _orthonormal_basis(normal)
        radius = rng.uniform(0.3, 0.6)
        start = rng.uniform(0, 2 * np.pi)
        span = rng.uniform(0.4 * np.pi, 1.6 * np.pi)
        angles = start + span * np.array([0.0, rng.uniform(0.3, 0.7), 1.0])
        arc_points = radius * (np.cos(angles)[:, None] * u + np.sin(angles)[:, None] * v)
        dense = start + span * np.linspace(0, 1, 64)
        box = bounds(radius * (np.cos(dense)[:, None] * u + np.sin(dense)[:, None] * v))

        def emit(p: PartWriter, place: Placement, sec: str) -> None:
            # Points that make the library draw this arc (it may otherwise take the other one).
            points, backwards = arc_control_points(*arc_points, place.ps)
            p.call(
                "create_arc_by_3Dpoints",
                name=p.obj,
                profile_name=sec,
                control_points=points,
                points_radius=taper[::-1] if backwards else taper,
                fill_caps="both",
            )

    elif path_kind == "rectangle":
        normal = _random_direction(rng, axis_aligned)
        rotation = written(quaternion_to(normal))
        width, length = rng.uniform(0.4, 1.0, size=2)
        corners = np.array([[-1, 1, 0], [1, 1, 0], [1, -1, 0], [-1, -1, 0]]) * [width / 2, length / 2, 0]
        box = bounds(corners @ quaternion_matrix(rotation).T)
        bevel = float(rng.uniform(0.05, 0.2) * min(width, length)) if rng.random() < 0.4 else None

        def emit(p: PartWriter, place: Placement, sec: str) -> None:
            p.call(
                "create_rectangle",
                name=p.obj,
                profile_name=sec,
                width=place.l(width),
                length=place.l(length),
                location=place.p([0, 0, 0]),
                rotation=rotation.tolist(),
                bevel_width=place.l(bevel) if bevel else None,
            )

    else:  # pragma: no cover - PATH_TYPES is closed
        raise ValueError(path_kind)

    box = box + np.array([[-1.0], [1.0]]) * tube
    place = Placement(box, rng)
    b = ProgramBuilder(f"{section_kind} section swept along a {path_kind}")
    with b.part("sweep") as p:
        sec = p.helper(section_kind)
        section.write(p, sec, place.scale)
        emit(p, place, sec)
        if section.open:
            p.call("solidify", name=p.obj, thickness=place.l(0.03 * size))
    return b


# --------------------------------------------------------------------------------------- BridgeLoop
@register("BridgeLoop")
def bridge_loop_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``BridgeLoop`` part: 2 to 5 loops of one kind along a spine, bridged into a surface."""
    kind = str(rng.choice(["circle", "polygon", "quad"]))
    count = int(rng.integers(2, 6))
    axis_aligned = bool(rng.random() < 0.5)
    axis = _random_direction(rng, axis_aligned)
    rotation = written(quaternion_to(axis))
    u, v = _orthonormal_basis(axis)
    # Loops spread evenly along the spine (with jitter), on a gentle arc when bent, with radii that
    # drift from loop to loop: a loft, not a fold.
    spacing = np.linspace(0.0, 1.0, count)
    spacing[1:-1] += rng.uniform(-0.25, 0.25, count - 2) / (count - 1)
    length = rng.uniform(0.5, 1.0)
    heights = spacing * length
    lateral = 0.0 if rng.random() < 0.5 else rng.uniform(-0.3, 0.3) * length
    centres = heights[:, None] * axis + (4 * lateral * spacing * (1 - spacing))[:, None] * u
    radii = [rng.uniform(0.15, 0.5)]
    for _ in range(count - 1):
        radii.append(float(np.clip(radii[-1] * np.exp(rng.normal(scale=0.35)), 0.1, 0.55)))
    radii = np.array(radii)
    stretch = rng.uniform(0.5, 1.0, size=(count, 2)) if rng.random() < 0.5 else np.ones((count, 2))
    sides = int(rng.integers(3, 9))
    # Each loop lies within a disc of radius r * max stretch around its centre in the (u, v) plane.
    boxes = [_ring_box(c, axis, r * st.max(), 0.0) for c, r, st in zip(centres, radii, stretch)]
    box = np.stack([np.min([bx[0] for bx in boxes], axis=0), np.max([bx[1] for bx in boxes], axis=0)])
    smoothness = float(np.round(rng.uniform(0.0, 1.0), 2)) if rng.random() < 0.5 else 0.0
    # Blender's PATH interpolation bends the bridge along a path through the loop centres, which
    # swings far past the loops when they are offset sideways; keep it for loops on one axis.
    interpolation = str(rng.choice(["PATH", "LINEAR", "SURFACE"] if lateral == 0 else ["LINEAR", "SURFACE"]))
    # Smooth bridges bulge past the loops a little; pad the box for it.
    box = box + np.array([[-1.0], [1.0]]) * (0.2 * radii.max() * (1 + smoothness))
    place = Placement(box, rng)

    b = ProgramBuilder(f"bridged {kind} loops")
    with b.part("loft") as p:
        names = [p.helper(kind, i + 1) for i in range(count)]
        if kind == "circle":
            p.call(
                "create_circle",
                name=names,
                location=place.ps(centres),
                rotation=rotation.tolist(),
                radius=[place.l(r) for r in radii],
                scale=[[float(a), float(c), 1.0] for a, c in np.round(stretch, 2)],
            )
        elif kind == "polygon":
            p.call(
                "create_polygon",
                name=names,
                sides=sides,
                location=place.ps(centres),
                rotation=rotation.tolist(),
                radius=[place.l(r) for r in radii],
                scale=[[float(a), float(c), 1.0] for a, c in np.round(stretch, 2)],
            )
        else:
            quads = [
                place.ps([c + sgn_u * r * st[0] * u + sgn_v * r * st[1] * v for sgn_u, sgn_v in _QUAD_SIGNS])
                for c, r, st in zip(centres, radii / math.sqrt(2), stretch)
            ]
            p.call("create_quad", name=names, control_points=quads)
        p.call(
            "bridge_edge_loops",
            name=p.obj,
            profile_name=names,
            number_cuts=int(rng.integers(1, 13)),
            smoothness=smoothness,
            interpolation=interpolation,
            fill_caps="both",
        )
    return b


_QUAD_SIGNS = ((-1, -1), (1, -1), (1, 1), (-1, 1))


# ----------------------------------------------------------------------------------------- Boolean
def _moderate_primitive(rng: np.random.Generator, size: float) -> tuple[str, np.ndarray, np.ndarray]:
    """(kind, scale, rotation) of a primitive with moderate proportions, ``size`` across its longest
    local axis; the rotation is uniform random or axis aligned."""
    kind = str(rng.choice(PRIMITIVE_TYPES))
    scale = 10.0 ** rng.uniform(-0.6, 0.0, size=3)
    scale = scale / scale.max() * size / 2
    return kind, scale, written(_uniform_rotation_or_axis_aligned(rng))


@register("Boolean")
def boolean_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``Boolean`` part: a primitive cut by, joined with or intersected with another."""
    operation = str(rng.choice(["UNION", "DIFFERENCE", "INTERSECT"]))
    kind_a, scale_a, rot_a = _moderate_primitive(rng, 1.0)
    relative = rng.uniform(0.6, 1.0) if operation == "INTERSECT" else rng.uniform(0.3, 0.7)
    kind_b, scale_b, rot_b = _moderate_primitive(rng, relative)
    # The tool is centred on a surface point of the base, so the two always overlap in volume.
    surface = primitive_points(kind_a, np.zeros(3), scale_a, rot_a)
    loc_b = surface[rng.integers(len(surface))] * rng.uniform(0.7, 1.0)
    points = np.concatenate([surface, primitive_points(kind_b, loc_b, scale_b, rot_b)])
    place = Placement(bounds(points), rng)

    b = ProgramBuilder(f"{kind_a.replace('_', ' ')} {operation.lower()} {kind_b.replace('_', ' ')}")
    with b.part("solid") as p:
        tool = p.helper(kind_b)
        p.call(
            "create_primitive",
            name=p.obj,
            primitive_type=kind_a,
            location=place.p([0, 0, 0]),
            scale=place.l(scale_a),
            rotation=rot_a.tolist(),
        )
        p.call(
            "create_primitive",
            name=tool,
            primitive_type=kind_b,
            location=place.p(loc_b),
            scale=place.l(scale_b),
            rotation=rot_b.tolist(),
        )
        p.call("boolean_operation", name1=p.obj, name2=tool, operation=operation)
    return b


# ------------------------------------------------------------------------------------------- Array
def _radial_copies(points: np.ndarray, count: int, angle: float, origin, axis, rise: float) -> np.ndarray:
    """``points`` turned ``k * angle`` (units of pi) about the axis through ``origin`` and raised
    ``k * rise`` along it, for k < count, in both turning senses (the box then holds either)."""
    copies = []
    for k in range(count):
        for sign in (1, -1):
            turn = Rotation.from_rotvec(sign * k * angle * np.pi * axis).as_matrix()
            copies.append((points - origin) @ turn.T + origin + k * rise * axis)
    return np.concatenate(copies)


def _shift_into_cube(box: np.ndarray) -> np.ndarray:
    """The smallest shift (rounded up to 0.01) that moves ``box`` inside [-1 + MARGIN, 1 - MARGIN]^3."""
    low = np.maximum(-1.0 + MARGIN - box[0], 0.0)
    high = np.maximum(box[1] - (1.0 - MARGIN), 0.0)
    return np.ceil(low * 100) / 100 - np.ceil(high * 100) / 100


@register("Array")
def array_part(rng: np.random.Generator) -> ProgramBuilder:
    """An ``Array`` part: a primitive repeated along one, two or three offsets, or around an axis."""
    mode = str(rng.choice(["array_1d", "array_2d", "array_3d", "array_rotate"], p=[0.35, 0.25, 0.1, 0.3]))
    kind, scale, rot = _moderate_primitive(rng, rng.uniform(0.15, 0.4))
    unit = primitive_points(kind, np.zeros(3), scale, rot)
    unit_size = float(np.ptp(unit, axis=0).max())
    axis_aligned = bool(rng.random() < 0.7)
    if mode == "array_rotate":
        count = int(rng.integers(3, 13))
        angle = 2.0 / count if rng.random() < 0.7 else float(rng.uniform(0.05, 1.5 / count))
        angle = round(angle, 2)  # written with 2 decimals like every other number
        rotation_axis = written(quaternion_to(_random_direction(rng, axis_aligned)))
        axis = quaternion_matrix(rotation_axis)[:, 2]
        u = quaternion_matrix(rotation_axis)[:, 0]
        origin = -unit_size * rng.uniform(0.8, 2.5) * u  # the axis passes this far from the unit
        rise = float(rng.uniform(0.3, 1.0) * unit_size) if rng.random() < 0.2 else 0.0
        design_box = bounds(_radial_copies(unit, count, angle, origin, axis, rise))
    else:
        axes = {"array_1d": 1, "array_2d": 2, "array_3d": 3}[mode]
        if axis_aligned:
            directions = np.eye(3)[rng.permutation(3)[:axes]] * rng.choice([-1.0, 1.0], size=(axes, 1))
        else:
            directions = np.linalg.qr(rng.normal(size=(3, 3)))[0].T[:axes]
        counts = rng.integers(2, {1: 9, 2: 6, 3: 4}[axes], size=axes)
        steps = directions * unit_size * rng.uniform(0.7, 2.0, size=(axes, 1))
        grid = np.stack(np.meshgrid(*[np.arange(c) for c in counts], indexing="ij"), -1).reshape(-1, axes)
        design_box = bounds((unit[None] + (grid @ steps)[:, None]).reshape(-1, 3))

    # Written offsets are rounded and the rounding adds up over the copies: bound the part from the
    # written numbers, shift it back inside when it pokes out, and shrink when even that cannot help.
    longest = rng.uniform(LONGEST_SIDE[0], LONGEST_SIDE[1] - 2 * MARGIN)
    while True:
        place = Placement(design_box, rng, longest)
        location = written(place.p([0, 0, 0]))
        unit_scale = np.maximum(written(place.l(scale)), MIN_WRITTEN_SCALE)
        unit_world = primitive_points(kind, location, unit_scale, rot)
        if mode == "array_rotate":
            origin_world = written(place.p(origin))
            rise_world = float(written(place.l(rise)))
            box = bounds(_radial_copies(unit_world, count, angle, origin_world, axis, rise_world))
        else:
            steps_world = written(place.l(steps)).reshape(axes, 3)
            box = bounds((unit_world[None] + (grid @ steps_world)[:, None]).reshape(-1, 3))
        if np.ptp(box, axis=0).max() <= 2.0 - 2 * MARGIN:
            break
        longest *= 0.97
    shift = _shift_into_cube(box)

    b = ProgramBuilder(f"{kind.replace('_', ' ')} {mode.replace('_', ' ')}")
    with b.part(f"{_LABELS.get(kind, kind)} array") as p:
        p.call(
            "create_primitive",
            name=p.obj,
            primitive_type=kind,
            location=location + shift,
            scale=unit_scale,
            rotation=rot.tolist(),
            apply=True,
        )
        if mode == "array_rotate":
            p.call(
                "array_rotate",
                name=p.obj,
                count=count,
                rotation_angle=angle,
                rotation_origin=origin_world + shift,
                z_offset=rise_world,
                rotation_axis=rotation_axis.tolist(),
                rotation_mode="QUATERNION",
            )
        elif axes == 1:
            p.call("array_1d", name=p.obj, count=int(counts[0]), constant_offset=steps_world[0])
        else:
            extra = {}
            for i in range(axes):
                extra[f"count_{i + 1}"] = int(counts[i])
                extra[f"constant_offset_{i + 1}"] = steps_world[i]
            p.call(mode, name=p.obj, **extra)
    return b


# ---------------------------------------------------------------------------------------- FillGrid
@register("FillGrid")
def fill_grid_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``FillGrid`` part: a closed outline (rectangle, circle, polygon, Bezier loop or quad) filled
    with a grid of quads, solidified most of the time."""
    kind = str(rng.choice(["rectangle", "circle", "polygon", "bezier", "quad"]))
    normal = _random_direction(rng, bool(rng.random() < 0.6))
    rotation = written(quaternion_to(normal))
    u, v = _orthonormal_basis(normal)
    thickness = float(rng.uniform(0.01, 0.08)) if rng.random() < 0.8 else None
    a, c = rng.uniform(0.3, 0.5, size=2)
    if kind == "bezier":
        count = int(rng.integers(4, 8))
        angles = 2 * np.pi * (np.arange(count) + rng.uniform(-0.2, 0.2, count)) / count
        radii = rng.uniform(0.6, 1.0, count)
        loop = (radii * np.cos(angles) * a)[:, None] * u + (radii * np.sin(angles) * c)[:, None] * v
        box = bounds(loop)
        box = box + np.array([[-1.0], [1.0]]) * 0.3 * max(a, c)
    elif kind == "quad":
        loop = np.array([sx * a * u + sy * c * v for sx, sy in _QUAD_SIGNS])
        loop = loop + rng.uniform(-0.1, 0.1, size=(4, 2)) @ np.stack([u, v]) * min(a, c)
        box = bounds(loop)
    else:
        # Grid Fill leaves an outline with an odd number of points unfilled (spec 3b, item 8).
        sides = int(rng.choice([4, 6, 8]))
        box = _ring_box(np.zeros(3), normal, math.hypot(a, c), 0.0)
    box = box + np.array([[-1.0], [1.0]]) * (thickness or 0.0)
    place = Placement(box, rng)

    b = ProgramBuilder(f"{kind} panel")
    with b.part("panel") as p:
        if kind == "rectangle":
            p.call(
                "create_rectangle",
                name=p.obj,
                width=place.l(2 * a),
                length=place.l(2 * c),
                location=place.p([0, 0, 0]),
                rotation=rotation.tolist(),
            )
        elif kind == "circle":
            p.call(
                "create_circle",
                name=p.obj,
                location=place.p([0, 0, 0]),
                rotation=rotation.tolist(),
                radius=place.l(max(a, c)),
                scale=[round(a / max(a, c), 2), round(c / max(a, c), 2), 1.0],
            )
        elif kind == "polygon":
            p.call(
                "create_polygon",
                name=p.obj,
                sides=sides,
                location=place.p([0, 0, 0]),
                rotation=rotation.tolist(),
                radius=place.l(max(a, c)),
            )
        elif kind == "bezier":
            p.call("create_curve", name=p.obj, control_points=place.ps(loop), closed=True)
        else:
            p.call("create_quad", name=p.obj, control_points=place.ps(loop))
        p.call("fill_grid", name=p.obj, thickness=place.l(thickness) if thickness else None)
    return b


# --------------------------------------------------------------------------------------- cutlery
_SPOON_X = np.array([-0.5, -0.2, 0.06, 0.15, 0.3, 0.42, 0.47, 0.5])
_SPOON_Y = np.array([0.035, 0.026, 0.012, 0.05, 0.075, 0.06, 0.04, 0.0])
_SPOON_Z = np.array([0.0, 0.02, 0.0, -0.01, -0.01, -0.01, -0.005, 0.0])
_FORK_X = np.array([-0.5, -0.2, 0.08, 0.2, 0.32, 0.5])
_FORK_Y = np.array([0.035, 0.026, 0.014, 0.04, 0.05, 0.05])
_FORK_Z = np.array([0.0, 0.02, 0.0, -0.015, 0.0, 0.03])


def _jitter_anchors(rng: np.random.Generator, x: np.ndarray, y: np.ndarray, z: np.ndarray):
    """Anchor profiles near the library defaults: x stays increasing from -0.5 to 0.5."""
    inner = x[1:-1] + rng.uniform(-0.25, 0.25, len(x) - 2) * np.diff(x)[:-1] * 0.5
    xs = np.concatenate([[x[0]], np.sort(inner), [x[-1]]])
    ys = np.where(y > 0, y * rng.uniform(0.7, 1.4, len(y)), 0.0)
    zs = z * rng.uniform(0.0, 1.5, len(z))
    return np.round(xs, 3), np.round(ys, 3), np.round(zs, 3)


def _cutlery_part(rng: np.random.Generator, kind: str) -> ProgramBuilder:
    if kind == "spoon":
        xs, ys, zs = _jitter_anchors(rng, _SPOON_X, _SPOON_Y, _SPOON_Z)
        depth = float(np.round(rng.uniform(0.0, 0.07), 3))
        extra = {"z_depth": depth}
    else:
        xs, ys, zs = _jitter_anchors(rng, _FORK_X, _FORK_Y, _FORK_Z)
        depth = 0.0
        extra = {"x_tip": float(np.round(rng.uniform(0.15, 0.3), 3)), "n_cuts": int(rng.integers(1, 5))}
    thickness = float(np.round(rng.uniform(0.008, 0.02), 4))
    # A box holding the smoothed grid: the anchors' reach, the bowl, the thickness, a little slack.
    reach_y = float(ys.max()) * 1.05
    box = np.array(
        [
            [xs[0] - 0.01, -reach_y, zs.min() - depth - thickness - 0.01],
            [xs[-1] + 0.01, reach_y, zs.max() + thickness + 0.01],
        ]
    )
    rotation = written(_uniform_rotation_or_axis_aligned(rng))
    s, location = _fit_transform(_box_corners(box), rotation, rng)
    b = ProgramBuilder(kind)
    with b.part(kind) as p:
        p.call(
            f"create_{kind}",
            name=p.obj,
            thickness=thickness,
            x_anchors=xs.tolist(),
            y_anchors=ys.tolist(),
            z_anchors=zs.tolist(),
            location=location,
            rotation=rotation.tolist(),
            scale=[math.floor(s * 100) / 100] * 3,
            **extra,
        )
    return b


@register("PartSpoon")
def spoon_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``PartSpoon`` part: ``create_spoon`` with random anchors, depth, pose and size."""
    return _cutlery_part(rng, "spoon")


@register("PartFork")
def fork_part(rng: np.random.Generator) -> ProgramBuilder:
    """A ``PartFork`` part: ``create_fork`` with random anchors, tines, pose and size."""
    return _cutlery_part(rng, "fork")
