"""array_1d/2d/3d and array_rotate, checked by copy counts, extents and copy positions."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytestmark = pytest.mark.blender

UNIT = "create_primitive(name='slat_1', primitive_type='cube', scale=[0.1, 0.1, 0.1], apply=True)\n"


def _part(result, name="slat_1"):
    assert result.ok, result.reason
    return result.parts[name]


def _copy_centres(mesh, per_copy):
    """Centres of consecutive blocks of ``per_copy`` vertices (the array's copies, in order)."""
    return mesh.vertices.reshape(-1, per_copy, 3).mean(axis=1)


def test_array_1d_constant_offset(run):
    mesh = _part(run(UNIT + "array_1d(name='slat_1', count=5, constant_offset=[0.3, 0, 0])"))
    assert len(mesh.vertices) == 5 * 8
    np.testing.assert_allclose(mesh.extents, [4 * 0.3 + 0.2, 0.2, 0.2], atol=1e-6)
    assert mesh.volume == pytest.approx(5 * 0.008)
    np.testing.assert_allclose(_copy_centres(mesh, 8)[:, 0], [0, 0.3, 0.6, 0.9, 1.2], atol=1e-6)


def test_array_1d_relative_offset_and_merge(run):
    relative = _part(run(UNIT + "array_1d(name='slat_1', count=3, relative_offset=[1, 0, 0])"))
    assert len(relative.vertices) == 24
    np.testing.assert_allclose(relative.extents, [0.6, 0.2, 0.2], atol=1e-6)
    merged = _part(
        run(UNIT + "array_1d(name='slat_1', count=3, relative_offset=[1, 0, 0], merge_threshold=0.001)")
    )
    assert len(merged.vertices) == 16  # touching faces share their vertices


def test_array_1d_has_no_relative_offset_unless_given(run):
    mesh = _part(run(UNIT + "array_1d(name='slat_1', count=3, constant_offset=[0, 0, 0.5])"))
    np.testing.assert_allclose(mesh.extents, [0.2, 0.2, 1.2], atol=1e-6)


def test_array_1d_fit_length(run):
    mesh = _part(
        run(
            UNIT
            + "array_1d(name='slat_1', fit_type='FIT_LENGTH', fit_length=1.0, constant_offset=[0.25, 0, 0])"
        )
    )
    assert len(mesh.vertices) == 5 * 8  # 1.0 / 0.25 steps after the first copy, as Blender counts
    assert mesh.extents[0] == pytest.approx(1.2)


def test_array_1d_without_apply_stays_live_but_counts(run):
    mesh = _part(run(UNIT + "array_1d(name='slat_1', count=4, constant_offset=[0.3, 0, 0], apply=False)"))
    assert len(mesh.vertices) == 32


def test_array_1d_offset_object(run):
    # Each copy is moved by the offset object's transform relative to the arrayed one.
    result = run(
        UNIT + "create_primitive(name='step', primitive_type='cube', location=[0, 0.5, 0])\n"
        "array_1d(name='slat_1', count=3, offset_object='step')\n"
        "delete_obj(sub_name='step')"
    )
    mesh = _part(result)
    assert set(result.parts) == {"slat_1"}
    np.testing.assert_allclose(_copy_centres(mesh, 8)[:, 1], [0, 0.5, 1.0], atol=1e-6)


def test_array_2d_grid(run):
    mesh = _part(
        run(
            UNIT + "array_2d(name='slat_1', count_1=5, constant_offset_1=[0.3, 0, 0], "
            "count_2=3, constant_offset_2=[0, 0.3, 0])"
        )
    )
    assert len(mesh.vertices) == 5 * 3 * 8
    np.testing.assert_allclose(mesh.extents, [1.4, 0.8, 0.2], atol=1e-6)


def test_array_3d_block(run):
    mesh = _part(
        run(
            UNIT + "array_3d(name='slat_1', count_1=5, constant_offset_1=[0.3, 0, 0], count_2=3, "
            "constant_offset_2=[0, 0.3, 0], count_3=2, relative_offset_3=[0, 0, 2])"
        )
    )
    assert len(mesh.vertices) == 5 * 3 * 2 * 8
    np.testing.assert_allclose(mesh.extents, [1.4, 0.8, 0.6], atol=1e-6)
    assert mesh.volume == pytest.approx(30 * 0.008)


def test_array_needs_a_count(run):
    result = run(UNIT + "array_1d(name='slat_1', constant_offset=[1, 0, 0])")
    assert result.status == "runtime_error"
    assert "count" in result.error


def test_array_rotate_about_z(run):
    mesh = _part(
        run(
            "create_primitive(name='spoke_1', primitive_type='cube', scale=[0.1, 0.1, 0.1], location=[1, 0, 0])\n"
            "array_rotate(name='spoke_1', count=4, rotation_angle=0.5)"
        ),
        "spoke_1",
    )
    assert len(mesh.vertices) == 32
    np.testing.assert_allclose(
        _copy_centres(mesh, 8), [[1, 0, 0], [0, 1, 0], [-1, 0, 0], [0, -1, 0]], atol=1e-6
    )


def test_array_rotate_about_an_offset_origin(run):
    mesh = _part(
        run(
            "create_primitive(name='spoke_1', primitive_type='cube', scale=[0.1, 0.1, 0.1], location=[2, 1, 0.5])\n"
            "array_rotate(name='spoke_1', count=6, rotation_angle=1/3, rotation_origin=[1, 1, 0])"
        ),
        "spoke_1",
    )
    angles = np.arange(6) * math.pi / 3
    expected = np.stack([1 + np.cos(angles), 1 + np.sin(angles), np.full(6, 0.5)], axis=1)
    np.testing.assert_allclose(_copy_centres(mesh, 8), expected, atol=1e-6)


def test_array_rotate_with_axis_quaternion_and_rise(run):
    # [0.71, 0.71, 0, 0] turns local Z onto -Y: copies circle the Y axis and climb along -Y.
    mesh = _part(
        run(
            "create_primitive(name='step_1', primitive_type='cube', scale=[0.1, 0.1, 0.1], location=[1, 0, 0])\n"
            "array_rotate(name='step_1', count=4, rotation_angle=0.5, z_offset=0.2, rotation_axis=[0.71, 0.71, 0, 0])"
        ),
        "step_1",
    )
    np.testing.assert_allclose(
        _copy_centres(mesh, 8), [[1, 0, 0], [0, -0.2, 1], [-1, -0.4, 0], [0, -0.6, -1]], atol=1e-6
    )


def test_array_rotate_uses_the_objects_own_axis_by_default(run):
    # A cylinder turned 90 degrees about X has its local Z along -Y: the array circles the Y axis.
    mesh = _part(
        run(
            "create_primitive(name='ring_1', primitive_type='cube', scale=[0.1, 0.1, 0.1], location=[1, 0, 0], "
            "rotation=[0.71, 0.71, 0, 0])\n"
            "array_rotate(name='ring_1', count=2, rotation_angle=0.5)"
        ),
        "ring_1",
    )
    np.testing.assert_allclose(_copy_centres(mesh, 8), [[1, 0, 0], [0, 0, 1]], atol=1e-6)


def test_array_rotate_euler_axis(run):
    mesh = _part(
        run(
            "create_primitive(name='s_1', primitive_type='cube', scale=[0.1, 0.1, 0.1], location=[0, 0, 1])\n"
            "array_rotate(name='s_1', count=2, rotation_angle=0.5, rotation_axis=[0, 0.5, 0])"
        ),
        "s_1",
    )
    # Euler [0, 0.5, 0] (units of pi) turns Z onto +X: a quarter turn about +X takes +Z to -Y.
    np.testing.assert_allclose(_copy_centres(mesh, 8), [[0, 0, 1], [0, -1, 0]], atol=1e-6)


def test_array_rotate_scale_per_copy(run):
    mesh = _part(
        run(
            "create_primitive(name='s_1', primitive_type='cube', scale=[0.1, 0.1, 0.1], location=[1, 0, 0])\n"
            "array_rotate(name='s_1', count=3, rotation_angle=0, scale=[0.5, 0.5, 0.5])"
        ),
        "s_1",
    )
    sizes = np.ptp(mesh.vertices.reshape(3, 8, 3), axis=1)[:, 0]
    np.testing.assert_allclose(sizes, [0.2, 0.1, 0.05], atol=1e-6)
    np.testing.assert_allclose(_copy_centres(mesh, 8)[:, 0], [1, 0.5, 0.25], atol=1e-6)
