"""create_primitive and create_trapezoid_body, checked by numbers: counts, extents, volumes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from meshcoder.shapes.program import HEADER

pytestmark = pytest.mark.blender

# Blender's default resolutions: vertex count and (unscaled) extents.
DEFAULTS = {
    "cube": (8, [2, 2, 2]),
    "cylinder": (64, [2, 2, 2]),
    "uv_sphere": (482, [2, 2, 2]),
    "cone": (33, [2, 2, 2]),
    "torus": (576, [2.5, 2.5, 0.5]),
    "grid": (121, [2, 2, 0]),
}


def _one_part(result):
    assert result.ok, result.reason
    assert len(result.parts) == 1
    return next(iter(result.parts.values()))


@pytest.mark.parametrize("kind", list(DEFAULTS))
def test_default_resolution_and_scaled_extents(run, kind):
    n_vertices, size = DEFAULTS[kind]
    mesh = _one_part(run(f"create_primitive(name='p', primitive_type='{kind}', scale=[0.5, 2.0, 3.0])"))
    assert len(mesh.vertices) == n_vertices
    np.testing.assert_allclose(mesh.extents, np.array(size) * [0.5, 2.0, 3.0], atol=1e-5)
    np.testing.assert_allclose(mesh.bounds.mean(axis=0), 0.0, atol=1e-5)


@pytest.mark.parametrize(
    ("kind", "volume"),
    [
        ("cube", 8.0),
        ("cylinder", 32 * math.sin(2 * math.pi / 32)),  # 32-gon prism of depth 2
        ("cone", 32 * math.sin(2 * math.pi / 32) / 3),
        ("torus", None),
    ],
)
def test_closed_primitives_face_outward(run, kind, volume):
    mesh = _one_part(run(f"create_primitive(name='p', primitive_type='{kind}')"))
    assert mesh.volume > 0
    if volume is not None:
        assert mesh.volume == pytest.approx(volume, rel=1e-5)


def test_location_and_quaternion_rotation_are_set_and_normalised(run):
    # [0.71, 0.71, 0, 0] is 90 degrees about X once normalised: local Z (the axis) goes to -Y.
    mesh = _one_part(
        run(
            "create_primitive(name='leg', primitive_type='cylinder', location=[0.2, -0.25, 0.2], "
            "scale=[0.03, 0.03, 0.25], rotation=[0.71, 0.71, 0.0, 0.0])"
        )
    )
    np.testing.assert_allclose(mesh.extents, [0.06, 0.5, 0.06], atol=1e-5)
    np.testing.assert_allclose(mesh.bounds.mean(axis=0), [0.2, -0.25, 0.2], atol=1e-5)


def test_euler_rotation_is_in_units_of_pi(run):
    mesh = _one_part(
        run(
            "create_primitive(name='p', primitive_type='cube', scale=[1.0, 2.0, 3.0], "
            "rotation=[0.0, 0.0, 0.5], rotation_mode='XYZ')"
        )
    )
    np.testing.assert_allclose(mesh.extents, [4.0, 2.0, 6.0], atol=1e-5)


@pytest.mark.parametrize(
    ("kind", "resolution", "n_vertices"),
    [
        ("cylinder", [6, 1], 12),
        ("cylinder", [6, 3], 24),  # 3 segments along Z: 4 rings
        ("cone", [6, 3], 19),  # 3 rings of 6 and the apex
        ("uv_sphere", [8, 4], 26),  # 3 inner rings of 8 and two poles
        ("torus", [8, 4], 32),
        ("cube", [2, 3, 4], 3 * 4 * 5 - 1 * 2 * 3),  # lattice points on the surface
    ],
)
def test_resolution_sets_topology(run, kind, resolution, n_vertices):
    mesh = _one_part(
        run(
            f"create_primitive(name='p', primitive_type='{kind}', use_minimum_face=False, "
            f"resolution={resolution})"
        )
    )
    assert len(mesh.vertices) == n_vertices
    if kind != "torus":
        assert mesh.extents.max() == pytest.approx(2.0, abs=1e-6)


def test_resolution_is_ignored_with_minimum_faces(run):
    mesh = _one_part(run("create_primitive(name='p', primitive_type='cylinder', resolution=[6, 3])"))
    assert len(mesh.vertices) == 64


def test_cylinder_vertices_start_on_plus_y_like_blender(run):
    mesh = _one_part(
        run(
            "create_primitive(name='p', primitive_type='cylinder', use_minimum_face=False, resolution=[6, 1])"
        )
    )
    # A hexagon with a vertex on +Y: 2 wide along Y, sqrt(3) along X.
    np.testing.assert_allclose(mesh.extents, [math.sqrt(3), 2.0, 2.0], atol=1e-6)


def test_average_edge_length_subdivides_to_that_length(run):
    mesh = _one_part(
        run(
            "create_primitive(name='p', primitive_type='cube', use_minimum_face=False, average_edge_length=0.5)"
        )
    )
    assert len(mesh.vertices) == 5**3 - 3**3  # 4 cells of 0.5 per side of length 2
    edge = np.linalg.norm(mesh.vertices[mesh.faces[:, 0]] - mesh.vertices[mesh.faces[:, 1]], axis=1)
    assert edge.min() == pytest.approx(0.5, abs=1e-6)
    sphere = _one_part(
        run(
            "create_primitive(name='s', primitive_type='uv_sphere', use_minimum_face=False, average_edge_length=0.5)"
        )
    )
    segments, rings = round(2 * math.pi / 0.5), round(math.pi / 0.5)
    assert len(sphere.vertices) == segments * (rings - 1) + 2


def test_grid_subdivisions(run):
    mesh = _one_part(
        run(
            "create_primitive(name='g', primitive_type='grid', x_subdivisions=2, y_subdivisions=3, scale=[2, 1, 1])"
        )
    )
    assert len(mesh.vertices) == 3 * 4
    assert len(mesh.faces) == 2 * 3 * 2
    np.testing.assert_allclose(mesh.extents, [4.0, 2.0, 0.0], atol=1e-6)
    assert mesh.area == pytest.approx(8.0)


def test_apply_bakes_the_transform_into_local_space(run):
    # An array's constant offset is in local units: scaled by the object unless the scale was applied.
    kept = _one_part(
        run(
            "create_primitive(name='c', primitive_type='cube', scale=[0.1, 0.1, 0.1])\n"
            "array_1d(name='c', count=2, constant_offset=[3.0, 0.0, 0.0])"
        )
    )
    applied = _one_part(
        run(
            "create_primitive(name='c', primitive_type='cube', scale=[0.1, 0.1, 0.1], apply=True)\n"
            "array_1d(name='c', count=2, constant_offset=[3.0, 0.0, 0.0])"
        )
    )
    assert kept.extents[0] == pytest.approx(0.5)
    assert applied.extents[0] == pytest.approx(3.2)


def test_same_name_replaces_the_old_object(run):
    result = run(
        "create_primitive(name='p', primitive_type='cube')\n"
        "create_primitive(name='p', primitive_type='uv_sphere', scale=[0.5, 0.5, 0.5])"
    )
    mesh = _one_part(result)
    assert set(result.parts) == {"p"}
    assert len(mesh.vertices) == 482


def test_trapezoid_body_extents_and_volume(run):
    # size = [top_length, top_width, bottom_length, bottom_width, height]; height along local X.
    result = run("create_trapezoid_body(name='t', size=[1.0, 0.8, 0.5, 0.4, 2.0], location=[0.5, 0.0, 0.0])")
    mesh = _one_part(result)
    assert len(mesh.vertices) == 8
    np.testing.assert_allclose(mesh.extents, [2.0, 1.0, 0.8], atol=1e-6)
    np.testing.assert_allclose(mesh.bounds[:, 0], [-0.5, 1.5], atol=1e-6)
    # Prismatoid: h/6 (A_top + A_bottom + 4 A_mid).
    assert mesh.volume == pytest.approx(2.0 / 6 * (0.8 + 0.2 + 4 * 0.75 * 0.6), rel=1e-6)
    top = mesh.vertices[mesh.vertices[:, 0] > 1.0]
    np.testing.assert_allclose(np.ptp(top, axis=0)[1:], [1.0, 0.8], atol=1e-6)


def test_trapezoid_body_rotation(run):
    mesh = _one_part(
        run(
            "create_trapezoid_body(name='t', size=[1, 1, 1, 1, 2], rotation=[0, 0, 0.5], rotation_mode='XYZ')"
        )
    )
    np.testing.assert_allclose(mesh.extents, [1.0, 2.0, 1.0], atol=1e-6)


def test_bad_primitive_type_is_a_runtime_error_with_line(run):
    source = (
        HEADER
        + "create_primitive(name='p', primitive_type='cube')\ncreate_primitive(name='q', primitive_type='sphere')\n"
    )
    result = run(source)
    assert result.status == "runtime_error"
    assert "uv_sphere" in result.error
    assert result.line == source.splitlines().index("create_primitive(name='q', primitive_type='sphere')") + 1
