"""``Translation`` parts: a section (rectangle, circle, arc, polygon or closed Bezier) swept along a path
(line, polyline, circle, arc, rectangle or Bezier)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.generators.geometry import quat_matrix, quat_to
from meshcoder.data.generators.library_model import arc_control_points
from meshcoder.data.generators.parts.placement import (
    Placement,
    bounds,
    orthonormal_basis,
    random_direction,
    ring_box,
    written,
)
from meshcoder.data.generators.registry import register

SECTION_TYPES: tuple[str, ...] = ("rectangle", "circle", "arc", "polygon", "bezier")
PATH_TYPES: tuple[str, ...] = ("line", "polyline", "circle", "arc", "rectangle", "bezier")


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


def _random_walk(rng: np.random.Generator, count: int, axis_aligned: bool) -> np.ndarray:
    points = [np.zeros(3)]
    direction = random_direction(rng, axis_aligned)
    for _ in range(count - 1):
        if axis_aligned:
            direction = random_direction(rng, True) if rng.random() < 0.7 else direction
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
        normal = random_direction(rng, axis_aligned)
        radius = rng.uniform(0.3, 0.6)
        box = ring_box(np.zeros(3), normal, radius, 0.0)
        rotation = written(quat_to(normal))

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
        normal = random_direction(rng, axis_aligned)
        u, v = orthonormal_basis(normal)
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
        normal = random_direction(rng, axis_aligned)
        rotation = written(quat_to(normal))
        width, length = rng.uniform(0.4, 1.0, size=2)
        corners = np.array([[-1, 1, 0], [1, 1, 0], [1, -1, 0], [-1, -1, 0]]) * [width / 2, length / 2, 0]
        box = bounds(corners @ quat_matrix(rotation).T)
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
