"""The spec's per-shape metrics, checked against values computed by hand."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
import torch
import trimesh

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.metrics import (
    chamfer_distance,
    chamfer_distance_torch,
    fscore,
    nearest_neighbors,
    nearest_neighbors_torch,
    normal_consistency,
    pytorch3d_available,
)
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.protocol import FAST_POINTS, REPORT_POINTS, MetricProtocol, is_success
from meshcoder.geometry.voxels import voxel_iou, voxel_ious

RNG = np.random.default_rng(0)
SMALL = MetricProtocol(points=4096)
FAST_IOU = MetricProtocol(points=4096, iou_resolutions=(16, 32))  # coarse lattices: fewer dense samples


def box(extents=(1.0, 1.0, 1.0), centre=(0.0, 0.0, 0.0)) -> TriangleMesh:
    m = trimesh.creation.box(extents=extents)
    return TriangleMesh(m.vertices + np.asarray(centre), m.faces)


def sphere_points(n: int, radius: float = 1.0) -> np.ndarray:
    p = RNG.normal(size=(n, 3))
    return radius * p / np.linalg.norm(p, axis=1, keepdims=True)


# ----------------------------------------------------------------------------------------- Chamfer
def test_chamfer_of_two_points_is_twice_the_squared_distance():
    # One point each side: both directions give |p - q|^2, summed, no one-half.
    assert chamfer_distance([[0, 0, 0]], [[3, 4, 0]]) == pytest.approx(50.0)


def test_chamfer_of_concentric_spheres_by_hand():
    # Every point of either sphere is |r1 - r2| from the other sphere; with dense samples the nearest
    # sample is that far plus a tangential offset of the order of the spacing (here about 0.02).
    a, b = sphere_points(30_000, 1.0), sphere_points(30_000, 1.2)
    assert chamfer_distance(a, b) == pytest.approx(2 * 0.2**2, rel=0.01)


def test_chamfer_is_symmetric_and_permutation_invariant():
    a, b = RNG.normal(size=(3000, 3)), RNG.normal(size=(2000, 3)) + 0.3
    value = chamfer_distance(a, b)
    assert chamfer_distance(b, a) == pytest.approx(value, rel=1e-12)
    assert chamfer_distance(RNG.permutation(a), RNG.permutation(b)) == pytest.approx(value, rel=1e-12)


def test_kdtree_and_torch_agree_on_random_clouds():
    a, b = RNG.uniform(-1, 1, (4000, 3)), RNG.normal(size=(3000, 3))
    d_kd, i_kd = nearest_neighbors(a, b, "kdtree")
    d_t, i_t = nearest_neighbors(a, b, "torch")
    np.testing.assert_allclose(d_t, d_kd, rtol=1e-5, atol=1e-9)
    assert np.mean(i_kd == i_t) > 0.999  # only exact ties may differ
    assert chamfer_distance(a, b, "torch") == pytest.approx(chamfer_distance(a, b, "kdtree"), rel=1e-5)


def test_torch_chunking_does_not_change_the_answer():
    x = torch.tensor(RNG.normal(size=(2, 700, 3)))
    y = torch.tensor(RNG.normal(size=(2, 500, 3)))
    d_small, i_small = nearest_neighbors_torch(x, y, chunk_elements=30_000)  # 30 rows at a time
    d_big, i_big = nearest_neighbors_torch(x, y, chunk_elements=1 << 24)
    torch.testing.assert_close(d_small, d_big)
    assert torch.equal(i_small, i_big)


@pytest.mark.skipif(not pytorch3d_available(), reason="pytorch3d is not installed (optional backend)")
def test_pytorch3d_agrees_with_kdtree():
    a, b = RNG.uniform(-1, 1, (4000, 3)), RNG.normal(size=(3000, 3))
    d_kd, _ = nearest_neighbors(a, b, "kdtree")
    d_p3, _ = nearest_neighbors(a, b, "pytorch3d")
    np.testing.assert_allclose(d_p3, d_kd, rtol=1e-4, atol=1e-7)


def test_torch_chamfer_gradient_is_analytic():
    # Single points: cd = 2 |x - y|^2, so d cd / dx = 4 (x - y).
    x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    y = torch.tensor([[0.0, 0.0, 1.0]])
    cd = chamfer_distance_torch(x, y)
    cd.backward()
    assert cd.item() == pytest.approx(2 * (1 + 4 + 4))
    torch.testing.assert_close(x.grad, 4 * (x.detach() - y))


def test_torch_chamfer_with_padding_equals_the_unpadded_value():
    a, b = torch.tensor(RNG.normal(size=(300, 3))), torch.tensor(RNG.normal(size=(200, 3)))
    pad_a = torch.cat([a, torch.full((50, 3), 1e3, dtype=a.dtype)])[None]
    pad_b = torch.cat([b, torch.full((80, 3), -1e3, dtype=b.dtype)])[None]
    padded = chamfer_distance_torch(pad_a, pad_b, torch.tensor([300]), torch.tensor([200]))
    torch.testing.assert_close(padded[0], chamfer_distance_torch(a, b))
    assert padded[0].item() == pytest.approx(chamfer_distance(a.numpy(), b.numpy()), rel=1e-9)


def test_torch_chamfer_batch_of_one_equals_batch_of_many():
    x, y = torch.tensor(RNG.normal(size=(3, 100, 3))), torch.tensor(RNG.normal(size=(3, 120, 3)))
    batch = chamfer_distance_torch(x, y)
    singles = torch.stack([chamfer_distance_torch(x[i], y[i]) for i in range(3)])
    torch.testing.assert_close(batch, singles)


# ----------------------------------------------------------------------------------------- F-score
def test_fscore_edges_at_the_threshold():
    t = 0.02
    below, above = (t * (1 - 1e-9)) ** 2, (t * (1 + 1e-9)) ** 2
    assert fscore(np.array([below]), np.array([below]), t) == 1.0
    assert fscore(np.array([above]), np.array([above]), t) == 0.0
    # Half the predicted points within: precision 1/2, recall 1 -> F = 2/3.
    assert fscore(np.array([below, above]), np.array([below]), t) == pytest.approx(2 / 3)


def test_protocol_fscore_thresholds_are_fractions_of_the_reference_longest_side():
    # A 10^3 grid spanning [-1, 1] (longest side 2, the metric frame already): thresholds 0.02 and 0.04.
    g = np.linspace(-1, 1, 10)
    points = np.stack(np.meshgrid(g, g, g), axis=-1).reshape(-1, 3)
    normals = np.tile([0.0, 0.0, 1.0], (len(points), 1))
    reference = PointCloud(points, normals)
    protocol = MetricProtocol(points=len(points))
    for shift, f1, f2 in [(0.0199, 1.0, 1.0), (0.0201, 0.0, 1.0), (0.0401, 0.0, 0.0)]:
        prediction = PointCloud(points + np.array([shift, 0, 0]), normals)
        metrics = protocol.score(prediction, reference)
        assert (metrics.fscore_1, metrics.fscore_2) == (f1, f2), shift


# ------------------------------------------------------------------------------- normal consistency
def test_normal_consistency_ignores_orientation_and_sees_perpendicular_normals():
    up, flipped, sideways = (
        np.tile([0, 0, 1.0], (4, 1)),
        np.tile([0, 0, -1.0], (4, 1)),
        np.tile([1, 0, 0.0], (4, 1)),
    )
    index = np.arange(4)
    assert normal_consistency(up, flipped, index, index) == pytest.approx(1.0)
    assert normal_consistency(up, sideways, index, index) == pytest.approx(0.0)
    # Both directions averaged: a -> b all to b's first normal (parallel: 1), b -> a one to one (1/2).
    mixed = np.r_[up[:2], sideways[:2]]
    assert normal_consistency(up, mixed, np.zeros(4, int), index) == pytest.approx(0.5 * (1.0 + 0.5))


# ------------------------------------------------------------------------------------- voxel IoU
def test_identical_cubes_have_iou_one():
    cube = box((2.0, 2.0, 2.0))
    assert voxel_ious(cube, cube) == {32: 1.0, 64: 1.0}


def test_cubes_offset_by_half_a_side_have_iou_one_third():
    reference = box((2.0, 2.0, 2.0))
    prediction = box((2.0, 2.0, 2.0), centre=(1.0, 0.0, 0.0))
    ious = voxel_ious(prediction, reference)
    assert ious[32] == pytest.approx(1 / 3, abs=1e-12)
    assert ious[64] == pytest.approx(1 / 3, abs=1e-12)


def test_a_prediction_sticking_out_of_the_cube_is_penalised_not_clipped():
    reference = box((2.0, 2.0, 2.0))
    assert voxel_iou(box((4.0, 4.0, 4.0)), reference) == pytest.approx(1 / 8)
    assert voxel_iou(reference, box((4.0, 4.0, 4.0))) == pytest.approx(1 / 8)


def test_enclosed_voxels_are_filled_and_open_surfaces_are_not():
    reference = box((2.0, 2.0, 2.0))
    inner = box((1.0, 1.0, 1.0))  # a solid half-size cube: 1/8 of the volume once filled
    assert voxel_iou(inner, reference) == pytest.approx(1 / 8)
    open_box = TriangleMesh(reference.vertices, reference.faces[2:])  # one face removed: nothing enclosed
    assert voxel_iou(open_box, reference) < 0.25


def test_iou_of_a_dense_point_cloud_matches_its_mesh():
    mesh = box((2.0, 2.0, 2.0))
    cloud = SMALL.sample(mesh)  # 4096 points: gaps wider than a voxel at 64^3, closed before filling
    ious = voxel_ious(PointCloud(cloud.points, cloud.normals), mesh)
    assert ious[32] > 0.99 and ious[64] > 0.95


# ------------------------------------------------------------------------------------------ protocol
def test_identical_shapes_give_zero_and_one():
    mesh = box((1.0, 0.6, 0.3))
    m = SMALL.score(mesh, mesh)
    assert m.success
    assert m.cd == 0.0
    assert (m.iou, m.iou_64, m.fscore_1, m.fscore_2) == (1.0, 1.0, 1.0, 1.0)
    assert m.normal_consistency == pytest.approx(1.0)


def test_protocol_sphere_against_scaled_sphere_by_hand():
    s = trimesh.creation.icosphere(subdivisions=5)
    reference = TriangleMesh(s.vertices, s.faces)
    prediction = TriangleMesh(1.25 * s.vertices, s.faces)
    m = MetricProtocol(fast=True).score(prediction, reference)
    # Metric frame: scale 2 / longest side of the reference (about 2, so the scale is about 1).
    scale = 2.0 / np.max(reference.extents)
    assert m.cd == pytest.approx(2 * (0.25 * scale) ** 2, rel=0.02)
    assert m.fscore_1 == 0.0 and m.fscore_2 == 0.0
    assert m.normal_consistency > 0.99  # concentric spheres: parallel normals


def test_metric_frame_uses_the_reference_box():
    reference = box((1.0, 1.0, 1.0))
    twice = box((2.0, 2.0, 2.0))
    # In its own box the doubled cube would be identical to the reference; in the reference's box it is
    # twice as large: 1/8 IoU and a positive Chamfer distance.
    m = FAST_IOU.score(twice, reference)
    assert m.iou == pytest.approx(1 / 8) and m.cd > 0.1
    # Moving and scaling both shapes together changes nothing.
    moved = FAST_IOU.score(box((20.0, 20.0, 20.0), (5, 5, 5)), box((10.0, 10.0, 10.0), (5, 5, 5)))
    assert moved.cd == pytest.approx(m.cd, rel=1e-9)
    assert moved.iou == m.iou


def test_failed_predictions_have_only_success_false():
    reference = box()
    for prediction in (None, TriangleMesh(), TriangleMesh([[0, 0, 0], [1, 1, 1], [2, 2, 2]], [[0, 1, 2]])):
        assert not is_success(prediction)
        m = SMALL.score(prediction, reference)
        assert m.to_dict() == {
            "success": False,
            "cd": None,
            "iou": None,
            "iou_64": None,
            "fscore_1": None,
            "fscore_2": None,
            "normal_consistency": None,
        }


def test_an_unusable_reference_is_an_error_not_a_failure():
    with pytest.raises(ValueError, match="reference"):
        SMALL.score(box(), TriangleMesh())


def test_cloud_without_normals_warns_and_is_scored():
    mesh = box()
    cloud = SMALL.sample(mesh)
    with pytest.warns(UserWarning, match="no normals"):
        m = SMALL.score(PointCloud(cloud.points), mesh)
    assert m.normal_consistency > 0.95


def test_protocol_settings_are_recorded():
    assert MetricProtocol().n_points == REPORT_POINTS == 100_000
    assert MetricProtocol(fast=True).n_points == FAST_POINTS == 16_384
    assert "report setting" in MetricProtocol().describe()
    assert "fast" in MetricProtocol(fast=True).describe()
    assert MetricProtocol(fast=True).settings()["fast"] is True
    with pytest.raises(ValueError, match="backend"):
        MetricProtocol(backend="faiss")


def test_selection_chamfer_to_the_input_cloud():
    mesh = box()
    cloud = SMALL.sample(mesh)
    assert SMALL.chamfer_to_cloud(mesh, cloud) < 1e-3
    assert SMALL.chamfer_to_cloud(box(centre=(0.5, 0, 0)), cloud) > 0.1
    assert math.isinf(SMALL.chamfer_to_cloud(TriangleMesh(), cloud))


def test_one_thread_queries_give_the_same_values():
    from meshcoder.geometry import metrics

    rng = np.random.default_rng(3)
    near, far = rng.normal(size=(3000, 3)), rng.normal(size=(5000, 3)) + np.array([40.0, 0, 0])
    expected = [metrics.chamfer_distance(near, far), metrics.chamfer_distance(near, near[::-1] * 1.01)]
    try:
        metrics.set_query_workers(1)
        assert metrics.query_workers() == 1
        got = [metrics.chamfer_distance(near, far), metrics.chamfer_distance(near, near[::-1] * 1.01)]
    finally:
        metrics.set_query_workers(-1)
    assert got == expected
    with pytest.raises(ValueError, match="workers"):
        metrics.set_query_workers(0)


@pytest.mark.parametrize("case", ["near", "far", "repeated", "strided", "one_point"])
def test_kdtree_returns_what_scipy_ckdtree_returns(case):
    """The k-d tree (pykdtree) against scipy's cKDTree, the former implementation: the same squared
    distances (to the last bit for a plain near query) and nearest points at those distances."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(11)
    query, target = sphere_points(4000), sphere_points(6000, radius=1.1)
    if case == "far":
        target = target + np.array([300.0, 0.0, 0.0])
    elif case == "repeated":
        target = np.repeat(target[:300], 20, axis=0)
    elif case == "strided":
        query, target = np.asfortranarray(query)[::2], np.asfortranarray(target)[::3]
    elif case == "one_point":
        target = rng.normal(size=(1, 3))
    distances, indices = nearest_neighbors(query, target)
    expected = cKDTree(target).query(query, k=1)[0] ** 2
    if case == "far":  # the far path searches candidates in a new order: equal up to rounding
        np.testing.assert_allclose(distances, expected, rtol=1e-12)
    else:
        np.testing.assert_array_equal(distances, expected)
    np.testing.assert_allclose(((query - target[indices]) ** 2).sum(axis=1), distances, rtol=1e-12)


def test_query_workers_limit_the_kdtree_runtime():
    from threadpoolctl import ThreadpoolController

    from meshcoder.geometry import metrics

    def kdtree_threads():
        return [
            lib.num_threads
            for lib in ThreadpoolController().lib_controllers
            if lib.user_api == "openmp" and "pykdtree" in lib.filepath
        ]

    try:
        metrics.set_query_workers(1)
        assert kdtree_threads() == [1]
    finally:
        metrics.set_query_workers(-1)
    assert kdtree_threads() == [len(os.sched_getaffinity(0))]


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_kdtree_refuses_non_finite_points_by_name(bad):
    good = sphere_points(10)
    with pytest.raises(ValueError, match="query has NaN or inf"):
        nearest_neighbors(np.r_[good, [[bad, 0.0, 0.0]]], good)
    with pytest.raises(ValueError, match="target has NaN or inf"):
        chamfer_distance(good, np.r_[good, [[0.0, bad, 0.0]]])
