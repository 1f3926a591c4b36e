"""Frames: canonical (Y up, centred, longest side 1), metric (the reference's box to [-1, 1]), up axes."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from meshcoder.geometry.frames import (
    Z_UP_TO_Y_UP,
    canonical_frame,
    metric_frame,
    to_canonical,
    to_metric,
    up_rotation,
)
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud


def box(extents, centre=(0.0, 0.0, 0.0)) -> TriangleMesh:
    m = trimesh.creation.box(extents=extents)
    return TriangleMesh(m.vertices + np.asarray(centre), m.faces)


def test_canonical_frame_centres_the_box_and_scales_the_longest_side_to_one():
    mesh = to_canonical(box((4.0, 2.0, 1.0), centre=(10.0, -3.0, 5.0)))
    np.testing.assert_allclose(mesh.bounds.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(mesh.extents, [1.0, 0.5, 0.25])


def test_canonical_frame_uses_the_bounding_box_centre_not_the_centroid():
    # Many points near one end pull the centroid, not the box centre.
    points = np.r_[np.zeros((100, 3)), [[4.0, 1.0, 1.0]]]
    cloud = to_canonical(PointCloud(points))
    np.testing.assert_allclose(cloud.bounds, [[-0.5, -0.125, -0.125], [0.5, 0.125, 0.125]])


def test_z_up_input_becomes_y_up():
    tall_in_z = box((1.0, 2.0, 4.0))
    mesh = to_canonical(tall_in_z, up="z")
    assert np.argmax(mesh.extents) == 1  # the tall axis is now Y
    np.testing.assert_allclose(mesh.extents, [0.25, 1.0, 0.5])
    # A proper rotation: keeps handedness, so outward-wound faces stay outward (positive volume).
    assert np.linalg.det(Z_UP_TO_Y_UP) == pytest.approx(1.0)
    assert tall_in_z.volume > 0 and mesh.volume > 0


def test_z_up_conversion_maps_axes_as_blender_gltf_export_does():
    np.testing.assert_allclose(Z_UP_TO_Y_UP @ [0, 0, 1], [0, 1, 0])  # up stays up
    np.testing.assert_allclose(Z_UP_TO_Y_UP @ [0, 1, 0], [0, 0, -1])  # +Y (Blender back) -> -Z
    np.testing.assert_allclose(up_rotation("y"), np.eye(3))
    with pytest.raises(ValueError, match="unknown up axis"):
        up_rotation("x")


def test_normals_rotate_with_the_points_and_stay_unit():
    cloud = PointCloud([[0, 0, 0], [1, 0, 2], [0, 3, 1]], [[0, 0, 1], [0, 1, 0], [1, 0, 0]])
    out = to_canonical(cloud, up="z")
    np.testing.assert_allclose(out.normals, [[0, 1, 0], [0, 0, -1], [1, 0, 0]], atol=1e-12)


def test_metric_frame_uses_the_reference_box():
    reference = box((2.0, 1.0, 1.0), centre=(5.0, 0.0, 0.0))
    prediction = box((4.0, 1.0, 1.0), centre=(5.0, 0.0, 0.0))
    frame = metric_frame(reference)
    assert frame.scale == pytest.approx(1.0)  # reference longest side 2 -> 2
    np.testing.assert_allclose(frame.centre, [5.0, 0.0, 0.0])
    np.testing.assert_allclose(frame.apply(reference).bounds[:, 0], [-1.0, 1.0])
    # The prediction is mapped with the reference's box, not its own: it sticks out to +-2.
    np.testing.assert_allclose(to_metric(prediction, reference).bounds[:, 0], [-2.0, 2.0])


def test_metric_frame_of_a_cloud_reference():
    ref = PointCloud([[0, 0, 0], [10, 1, 1]])
    np.testing.assert_allclose(metric_frame(ref).apply(ref).bounds, [[-1, -0.1, -0.1], [1, 0.1, 0.1]])


@pytest.mark.parametrize("shape", [TriangleMesh(), PointCloud(np.ones((5, 3)))], ids=["empty", "one point"])
def test_frames_refuse_shapes_without_size(shape):
    with pytest.raises(ValueError):
        canonical_frame(shape)
    with pytest.raises(ValueError):
        metric_frame(shape)


def test_face_normals_follow_the_winding_and_are_zero_for_degenerate_faces():
    mesh = TriangleMesh([[0, 0, 0], [1, 0, 0], [0, 1, 0], [2, 2, 2]], [[0, 1, 2], [0, 2, 1], [0, 3, 3]])
    np.testing.assert_allclose(mesh.face_normals, [[0, 0, 1], [0, 0, -1], [0, 0, 0]])
