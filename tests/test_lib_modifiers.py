"""solidify, bevel, subsurf and corrective_smooth, checked by volumes, extents and vertex counts."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytestmark = pytest.mark.blender


def _part(result, name):
    assert result.ok, result.reason
    return result.parts[name]


# ------------------------------------------------------------------------------------------- bevel


def test_bevel_rounds_a_cube(run):
    sharp = _part(run("create_primitive(name='c', primitive_type='cube')"), "c")
    round_ = _part(
        run("create_primitive(name='c', primitive_type='cube')\nbevel(name='c', width=0.2, segments=4)"), "c"
    )
    assert len(round_.vertices) > len(sharp.vertices)
    np.testing.assert_allclose(round_.extents, [2, 2, 2], atol=1e-6)
    # Edges lose (1 - pi/4) w^2 per unit length, corners a bit more: between the two bounds below.
    edge_loss = 12 * 2 * (1 - math.pi / 4) * 0.2**2
    assert 8 - 1.2 * edge_loss < round_.volume < 8 - 0.8 * edge_loss


@pytest.mark.parametrize("scale", [[1, 1, 1], [0.2, 0.5, 3.0], [2.0, 0.1, 0.7]])
def test_bevel_works_in_local_space_whatever_the_scale(run, scale):
    unit = _part(
        run("create_primitive(name='c', primitive_type='cube')\nbevel(name='c', width=0.2, segments=4)"), "c"
    )
    scaled = _part(
        run(
            f"create_primitive(name='c', primitive_type='cube', scale={scale})\nbevel(name='c', width=0.2, segments=4)"
        ),
        "c",
    )
    assert len(scaled.vertices) == len(unit.vertices)
    assert scaled.volume == pytest.approx(unit.volume * np.prod(scale), rel=1e-6)
    np.testing.assert_allclose(scaled.extents, 2 * np.array(scale), atol=1e-6)


def test_bevel_segments_and_zero_width(run):
    few = _part(
        run("create_primitive(name='c', primitive_type='cube')\nbevel(name='c', width=0.2, segments=1)"), "c"
    )
    many = _part(run("create_primitive(name='c', primitive_type='cube')\nbevel(name='c', width=0.2)"), "c")
    none = _part(run("create_primitive(name='c', primitive_type='cube')\nbevel(name='c', width=0)"), "c")
    assert len(few.vertices) == 24  # a chamfer: each corner split into three
    assert len(many.vertices) > len(few.vertices)
    assert few.volume < many.volume < 8
    assert len(none.vertices) == 8


def test_bevel_on_a_curve_rounds_its_corners(run):
    # A sharp 2x2 square path; weld() turns the bevelled curve into a wire mesh we can read back.
    result = run(
        "create_quad(name='q', control_points=[[1, 1, 0], [-1, 1, 0], [-1, -1, 0], [1, -1, 0]])\n"
        "bevel(name='q', width=0.2, segments=4)\n"
        "weld(name='q', merge_threshold=0.00001)\n"
        "create_primitive(name='c', primitive_type='cube', scale=[0.1, 0.1, 0.1], location=[5, 0, 0])"
    )
    assert result.ok, result.reason
    points = result.parts["q"].vertices
    assert len(points) == 4 * (4 + 1)  # 4 corners, each an arc of 4 segments (5 points)
    np.testing.assert_allclose(points.min(axis=0)[:2], [-1, -1], atol=1e-5)
    np.testing.assert_allclose(points.max(axis=0)[:2], [1, 1], atol=1e-5)
    corner = (np.abs(points[:, 0]) > 0.8 + 1e-6) | (np.abs(points[:, 1]) > 0.8 + 1e-6)
    centres = np.sign(points[:, :2]) * 0.8
    radius = np.linalg.norm(points[:, :2] - centres, axis=1)
    np.testing.assert_allclose(radius[corner], 0.2, atol=1e-5)  # quarter circles of radius 0.2


# ----------------------------------------------------------------------------------------- solidify


def test_solidify_thickness_on_a_plane(run):
    below = _part(
        run("create_primitive(name='p', primitive_type='grid')\nsolidify(name='p', thickness=0.1)"), "p"
    )
    above = _part(
        run("create_primitive(name='p', primitive_type='grid')\nsolidify(name='p', thickness=0.1, offset=1)"),
        "p",
    )
    assert below.volume == pytest.approx(4 * 0.1, rel=1e-5)
    assert len(below.vertices) == 2 * 121
    np.testing.assert_allclose(below.bounds[:, 2], [-0.1, 0.0], atol=1e-6)
    np.testing.assert_allclose(above.bounds[:, 2], [0.0, 0.1], atol=1e-6)


def test_solidify_applies_rotation_and_scale_first(run):
    # Local Z scaled by 3 and turned onto -Y: unapplied, the shell would be 0.3 thick; applied, 0.1.
    mesh = _part(
        run(
            "create_primitive(name='p', primitive_type='grid', scale=[1, 1, 3], rotation=[0.71, 0.71, 0, 0])\n"
            "solidify(name='p', thickness=0.1)"
        ),
        "p",
    )
    np.testing.assert_allclose(mesh.extents, [2.0, 0.1, 2.0], atol=1e-6)
    assert abs(mesh.volume) == pytest.approx(0.4, rel=1e-5)


def test_solidify_zero_thickness_adds_nothing(run):
    mesh = _part(
        run("create_primitive(name='p', primitive_type='grid')\nsolidify(name='p', thickness=0)"), "p"
    )
    assert len(mesh.vertices) == 121


def test_solidify_boundary_mode(run):
    mesh = _part(
        run(
            "create_primitive(name='p', primitive_type='grid')\nsolidify(name='p', thickness=0.1, boundary_mode='FLAT')"
        ),
        "p",
    )
    assert mesh.volume == pytest.approx(0.4, rel=1e-3)


# -------------------------------------------------------------------------------- subsurf, smoothing


def test_subsurf_levels_and_shrinkage(run):
    one = _part(run("create_primitive(name='c', primitive_type='cube')\nsubsurf(name='c', levels=1)"), "c")
    two = _part(run("create_primitive(name='c', primitive_type='cube')\nsubsurf(name='c', levels=2)"), "c")
    simple = _part(
        run("create_primitive(name='c', primitive_type='cube')\nsubsurf(name='c', levels=2, simple=True)"),
        "c",
    )
    assert (len(one.vertices), len(two.vertices), len(simple.vertices)) == (26, 98, 98)
    assert two.extents.max() < 1.9  # Catmull-Clark pulls the corners in
    np.testing.assert_allclose(simple.extents, [2, 2, 2], atol=1e-6)
    assert simple.volume == pytest.approx(8.0)


def test_subsurf_several_objects_at_once(run):
    result = run(
        "create_primitive(name='a', primitive_type='cube')\n"
        "create_primitive(name='b', primitive_type='cube', location=[3, 0, 0])\n"
        "subsurf(name=['a', 'b'], levels=[1, 2])"
    )
    assert result.ok, result.reason
    assert (len(result.parts["a"].vertices), len(result.parts["b"].vertices)) == (26, 98)


def test_corrective_smooth_keeps_topology(run):
    body = "create_primitive(name='s', primitive_type='uv_sphere', scale=[1, 1, 0.5])\n"
    before = _part(run(body), "s")
    after = _part(run(body + "corrective_smooth(name='s', factor=0.8, repeat=10)"), "s")
    assert len(after.vertices) == len(before.vertices)
    assert len(after.faces) == len(before.faces)
    np.testing.assert_allclose(after.extents, before.extents, atol=0.05)
