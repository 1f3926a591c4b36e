"""Placing a part in the cube [-1, 1]^3: the size rule, the margin kept from the faces, rotations and
bounding boxes, and :class:`Placement`, which maps a part's design box into the cube.

Every sampler but ``Primitive`` designs its part in free units, bounds it conservatively (a box that
contains the executed mesh) and maps that box by a uniform scale and a shift into the cube, with the
box's longest side drawn from :data:`LONGEST_SIDE` like the primitives'. Quantities that live in an
object's unscaled local space (bevel widths, bend angles) are left alone by that map, as the
shape-language spec says. Written numbers are rounded (2 decimals, 3 for control points), so boxes keep a
margin of :data:`MARGIN` from the cube's faces.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.spatial.transform import Rotation

from meshcoder.data.frame import Frame
from meshcoder.data.generators.geometry import quat_matrix, quat_to

#: Range of the longest side of a part's bounding box (the paper's [1, 2]).
LONGEST_SIDE: tuple[float, float] = (1.0, 2.0)
#: Distance kept from the faces of [-1, 1]^3, so that rounding written numbers never pushes a part out.
MARGIN = 0.01
#: Smallest scale a program can write with 2 decimals; smaller draws are raised to it (not 0).
MIN_WRITTEN_SCALE = 0.01
#: Corner signs of a quad loop in its (u, v) plane, in drawing order.
QUAD_SIGNS = ((-1, -1), (1, -1), (1, 1), (-1, 1))


def random_quaternion(rng: np.random.Generator) -> np.ndarray:
    """A uniform random unit quaternion ``[w, x, y, z]`` (Blender order) with ``w >= 0``."""
    x, y, z, w = Rotation.random(random_state=rng).as_quat()
    q = np.array([w, x, y, z])
    return q if w >= 0 else -q


def written(values, decimals: int = 2) -> np.ndarray:
    """``values`` as a program reads them back after writing (rounded)."""
    return np.round(np.asarray(values, dtype=float), decimals)


def bounds(points: np.ndarray) -> np.ndarray:
    """``[[xmin, ymin, zmin], [xmax, ymax, zmax]]`` of a point set."""
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    return np.stack([points.min(axis=0), points.max(axis=0)])


def box_corners(box: np.ndarray) -> np.ndarray:
    """The eight corners of ``box``."""
    lo, hi = box
    return np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])


def ring_box(centre: np.ndarray, normal: np.ndarray, radius: float, tube: float) -> np.ndarray:
    """Bounding box of a circle of ``radius`` about ``centre`` in the plane orthogonal to ``normal``,
    thickened by ``tube``."""
    n = normal / np.linalg.norm(normal)
    half = radius * np.sqrt(np.clip(1.0 - n**2, 0.0, 1.0)) + tube
    return np.stack([centre - half, centre + half])


def random_direction(rng: np.random.Generator, axis_aligned: bool) -> np.ndarray:
    """A unit vector: one of the six axis directions, or uniform on the sphere."""
    if axis_aligned:
        d = np.zeros(3)
        d[rng.integers(3)] = rng.choice([-1.0, 1.0])
        return d
    d = rng.normal(size=3)
    return d / np.linalg.norm(d)


def orthonormal_basis(normal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors spanning the plane orthogonal to ``normal``: the images of local X and Y under
    :func:`~meshcoder.data.generators.geometry.quat_to`, so loops made in local XY and turned by it lie
    on this basis."""
    m = quat_matrix(quat_to(normal))
    return m[:, 0], m[:, 1]


def uniform_rotation_or_axis_aligned(rng: np.random.Generator, p_random: float = 0.5) -> np.ndarray:
    """A uniform random rotation with probability ``p_random``, else one turning +Z onto an axis."""
    if rng.random() < p_random:
        return random_quaternion(rng)
    return np.array(quat_to(random_direction(rng, axis_aligned=True)))


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


def fit_transform(
    local_points: np.ndarray, rotation: np.ndarray, rng: np.random.Generator
) -> tuple[float, list[float]]:
    """For an object transform (uniform scale ``s``, ``rotation``, location): the scale that makes the
    turned points' box longest side lie in [1, 2], and a random location keeping the box in the cube.
    ``rotation`` is used as written (rounded)."""
    turned = local_points @ quat_matrix(rotation, written=True).T
    box = bounds(turned)
    target = rng.uniform(LONGEST_SIDE[0], LONGEST_SIDE[1] - 2 * MARGIN)
    s = target / float((box[1] - box[0]).max())
    return s, random_location(box * s, rng)


def random_location(box: np.ndarray, rng: np.random.Generator) -> list[float]:
    """A location (2 decimals) that keeps ``box`` (relative to the object's origin) inside the cube."""
    lo = np.ceil((-1.0 + MARGIN - box[0]) * 100) / 100
    hi = np.floor((1.0 - MARGIN - box[1]) * 100) / 100
    hi = np.maximum(hi, lo)  # only when the box is wider than the cube, which callers prevent
    return np.round(rng.uniform(lo, hi), 2).tolist()
