"""Normals from neighbours: PCA directions, oriented consistently (outward where it is clear)."""

from __future__ import annotations

import numpy as np
import pytest

from meshcoder.geometry.normals import estimate_normals

RNG = np.random.default_rng(0)


def sphere(n: int) -> np.ndarray:
    p = RNG.normal(size=(n, 3))
    return p / np.linalg.norm(p, axis=1, keepdims=True)


def open_cup(n: int = 12_000) -> tuple[np.ndarray, np.ndarray]:
    """A thick-walled cup (outer radius 1, inner 0.8, rim at the top), and each point's outward radial
    direction times +1 (outer wall) or -1 (inner wall: outward from the material points to the axis)."""
    t = RNG.uniform(0, 2 * np.pi, n)
    y = RNG.uniform(0, 1, n)
    outer = np.c_[np.cos(t), y, np.sin(t)]
    inner = np.c_[0.8 * np.cos(t), 0.2 + 0.8 * y, 0.8 * np.sin(t)]
    r = np.sqrt(RNG.uniform(0.64, 1.0, n // 3))
    a = RNG.uniform(0, 2 * np.pi, n // 3)
    rim = np.c_[r * np.cos(a), np.ones(n // 3), r * np.sin(a)]
    points = np.r_[outer, inner, rim]
    expected = np.r_[
        np.c_[np.cos(t), 0 * y, np.sin(t)], -np.c_[np.cos(t), 0 * y, np.sin(t)], [[0, 1, 0]] * (n // 3)
    ]
    return points, expected


def test_sphere_normals_point_outward():
    points = sphere(5000)
    normals = estimate_normals(points)
    np.testing.assert_allclose(np.linalg.norm(normals, axis=1), 1.0)
    assert np.mean(np.einsum("ij,ij->i", normals, points) > 0.95) > 0.99


def test_propagation_orients_the_inside_of_a_cup():
    points, expected = open_cup()
    normals = estimate_normals(points, orient="propagate")
    agreement = np.einsum("ij,ij->i", normals, expected)
    assert np.mean(agreement > 0) > 0.99


def test_centroid_orientation_gets_the_inside_wall_wrong_where_propagation_does_not():
    points, expected = open_cup()
    normals = estimate_normals(points, orient="centroid")
    inner = slice(12_000, 24_000)
    assert np.mean(np.einsum("ij,ij->i", normals[inner], expected[inner]) > 0) < 0.5


def test_plane_normals_are_perpendicular():
    points = np.c_[RNG.uniform(-1, 1, (2000, 2)), np.zeros(2000)]
    normals = estimate_normals(points)
    np.testing.assert_allclose(np.abs(normals[:, 2]), 1.0, atol=1e-9)
    assert np.all(np.sign(normals[:, 2]) == np.sign(normals[0, 2]))  # one consistent side


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="at least 3 points"):
        estimate_normals(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="unknown orientation"):
        estimate_normals(sphere(10), orient="up")
