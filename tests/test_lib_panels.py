"""fill_grid and curve2meshgrid, checked by areas, volumes, extents and face counts."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytestmark = pytest.mark.blender

# The seat of a published chair program: an open curve whose ends meet, four sharp corners.
SEAT = (
    "create_curve(name='seat_8', control_points=[[-0.0, -0.05, -0.23], [-0.24, -0.05, -0.23], "
    "[-0.24, -0.05, 0.09], [-0.24, -0.05, 0.19], [-0.0, -0.05, 0.24], [0.24, -0.05, 0.19], [0.24, -0.05, 0.09], "
    "[0.24, -0.05, -0.23], [-0.0, -0.05, -0.23]], handle_type=[0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, "
    "1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0])\n"
)
# An L-shaped (concave) outline of area 0.75 with sharp corners.
L_SHAPE = (
    "create_curve(name='l', control_points=[[0, 0, 0], [1, 0, 0], [1, 0.5, 0], [0.5, 0.5, 0], [0.5, 1, 0], "
    "[0, 1, 0]], handle_type=[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], closed=True)\n"
)


def _part(result, name):
    assert result.ok, result.reason
    return result.parts[name]


def _polygon_area(r, n=32):
    return 0.5 * n * r * r * math.sin(2 * math.pi / n)


def test_fill_grid_fills_a_circle_with_a_quad_grid(run):
    result = run("create_circle(name='disc', radius=0.5)\nfill_grid(name='disc')")
    disc = _part(result, "disc")
    assert disc.area == pytest.approx(_polygon_area(0.5), rel=3e-4)
    assert len(disc.faces) == 2 * 8 * 8  # a grid of 8 x 8 quads, two triangles each
    np.testing.assert_allclose(disc.extents, [1.0, 1.0, 0.0], atol=1e-4)
    # Grid Fill winds the faces against the outline: counter-clockwise from +Z, they face -Z.
    tri = disc.vertices[disc.faces]
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    assert np.all(normals[:, 2] < 0)


def test_fill_grid_with_thickness_is_a_solid_slab(run):
    slab = _part(
        run("create_rectangle(name='board', width=1.0, length=0.5)\nfill_grid(name='board', thickness=0.1)"),
        "board",
    )
    np.testing.assert_allclose(slab.extents, [1.0, 0.5, 0.1], atol=1e-5)
    assert abs(slab.volume) == pytest.approx(0.05, rel=1e-5)
    # The rectangle runs clockwise seen from +Z, so Grid Fill's faces face +Z and the slab grows to -Z.
    np.testing.assert_allclose(slab.bounds[:, 2], [-0.1, 0.0], atol=1e-6)


def test_fill_grid_on_the_published_seat(run):
    seat = _part(run(SEAT + "fill_grid(name='seat_8', thickness=0.0669)"), "seat_8")
    np.testing.assert_allclose(seat.extents, [0.48, 0.0669, 0.47], atol=1e-3)
    assert seat.bounds[0, 1] == pytest.approx(-0.05, abs=1e-4)  # the slab grows up from the outline
    # 96 outline vertices (8 spans of 12, welded where the ends meet): a 24 x 24 grid.
    flat = _part(run(SEAT + "fill_grid(name='seat_8')"), "seat_8")
    assert len(flat.vertices) == 25 * 25
    assert abs(seat.volume) == pytest.approx(flat.area * 0.0669, rel=1e-3)


def test_fill_grid_leaves_outlines_it_cannot_grid_unfilled(run):
    # Grid Fill needs one closed loop of an even number of vertices; otherwise the outline stays a
    # wire loop, without an error (a cube keeps the program's mesh non-empty).
    odd = "create_curve(name='t', control_points=[[0, 0, 0], [1, 0, 0], [0, 1, 0]], closed=True, resolution=5)\n"
    ends_apart = (
        "create_curve(name='t', control_points=[[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], "
        "handle_type=[1, 1, 1, 1, 1, 1, 1, 1, 1, 1])\n"
    )
    cube = "create_primitive(name='box', scale=[0.1, 0.1, 0.1])\n"
    for outline, count in ((odd, 15), (ends_apart, 4)):
        result = run(cube + outline + "fill_grid(name='t')")
        assert result.ok, result.reason
        assert len(result.parts["t"].vertices) == count
        assert len(result.parts["t"].faces) == 0
    # Ends closer than the weld distance (1e-4) meet: the loop is closed and filled (the spare
    # handle codes above serve the fifth point here).
    almost = ends_apart.replace("[0, 1, 0]]", "[0, 1, 0], [0, 0.00005, 0]]")
    assert _part(run(almost + "fill_grid(name='t')"), "t").area == pytest.approx(1.0, rel=1e-3)


def test_curve2meshgrid_fills_a_concave_outline(run):
    grid = _part(run(L_SHAPE + "curve2meshgrid(name='l', resolution=10)"), "l")
    assert grid.area == pytest.approx(0.75, rel=1e-6)
    # Square cells of side 0.1 (10 across the longer side): the vertices are the 11 x 11 lattice
    # points less the 5 x 5 of the missing quarter.
    lattice = {tuple(p) for p in np.round(grid.vertices[:, :2] * 10).astype(int)}
    np.testing.assert_allclose(grid.vertices[:, :2] * 10, np.round(grid.vertices[:, :2] * 10), atol=1e-4)
    assert len(grid.vertices) == len(lattice) == 11 * 11 - 5 * 5
    assert len(grid.faces) == 2 * 75  # 75 quads where the cut lines run along the outline
    edges = np.linalg.norm(grid.vertices[grid.faces] - np.roll(grid.vertices[grid.faces], 1, axis=1), axis=2)
    assert edges.max() <= math.sqrt(2) * 0.1 + 1e-6


def test_curve2meshgrid_with_thickness(run):
    slab = _part(run(L_SHAPE + "curve2meshgrid(name='l', resolution=4, thickness=0.05)"), "l")
    assert abs(slab.volume) == pytest.approx(0.75 * 0.05, rel=1e-5)
    np.testing.assert_allclose(slab.extents, [1.0, 1.0, 0.05], atol=1e-5)


def test_fill_grid_needs_an_outline(run):
    result = run("fill_grid(name='missing')")
    assert not result.ok
    assert "missing" in result.error
