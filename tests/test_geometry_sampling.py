"""Area-weighted surface sampling: numpy (seeded, exact on the surface) and torch (differentiable)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.sampling import sample_surface, sample_surface_torch


def box(extents=(1.0, 1.0, 1.0)) -> TriangleMesh:
    m = trimesh.creation.box(extents=extents)
    return TriangleMesh(m.vertices, m.faces)


def two_triangles() -> TriangleMesh:
    # Triangle 0 has area 0.5, triangle 1 area 1.5 (three times as large), side by side in z = 0.
    vertices = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [2, 0, 0], [5, 0, 0], [2, 1, 0]]
    return TriangleMesh(vertices, [[0, 1, 2], [3, 4, 5]])


def test_same_seed_same_points_other_seed_other_points():
    mesh = box()
    a, b, c = (sample_surface(mesh, 500, seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(a.points, b.points)
    assert not np.allclose(a.points, c.points)


def test_points_lie_on_the_surface_with_face_normals():
    cloud = sample_surface(box((2.0, 1.0, 0.5)), 5000, seed=0)
    half = np.array([1.0, 0.5, 0.25])
    # On a box surface every point touches at least one face plane, and its normal is that face's axis.
    on_face = np.isclose(np.abs(cloud.points), half, atol=1e-9)
    assert on_face.any(axis=1).all()
    np.testing.assert_allclose(np.linalg.norm(cloud.normals, axis=1), 1.0)
    axis = np.argmax(np.abs(cloud.normals), axis=1)
    assert on_face[np.arange(len(axis)), axis].all()
    assert np.all(np.abs(cloud.points) <= half + 1e-12)


def test_triangles_are_chosen_in_proportion_to_area():
    cloud = sample_surface(two_triangles(), 40_000, seed=1)
    share_large = np.mean(cloud.points[:, 0] >= 2.0)
    assert share_large == pytest.approx(0.75, abs=0.01)


def test_points_are_uniform_within_a_triangle():
    cloud = sample_surface(TriangleMesh([[0, 0, 0], [1, 0, 0], [0, 1, 0]], [[0, 1, 2]]), 40_000, seed=2)
    # Uniform on the triangle x, y >= 0, x + y <= 1: E[x] = E[y] = 1/3, and the half x + y <= 1/sqrt(2)
    # holds half the area.
    assert cloud.points[:, :2].mean(axis=0) == pytest.approx([1 / 3, 1 / 3], abs=0.005)
    assert np.mean(cloud.points[:, :2].sum(axis=1) <= 2**-0.5) == pytest.approx(0.5, abs=0.01)
    assert np.all(cloud.points[:, :2].sum(axis=1) <= 1.0 + 1e-12)


def test_zero_area_triangles_are_never_sampled():
    vertices = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [5, 5, 5], [6, 6, 6], [7, 7, 7]]
    mesh = TriangleMesh(vertices, [[3, 4, 5], [0, 1, 2], [3, 4, 5]])  # collinear triangles around one real
    cloud = sample_surface(mesh, 2000, seed=0)
    assert np.all(cloud.points[:, 2] == 0.0)
    assert np.all(cloud.points[:, :2] <= 1.0)


@pytest.mark.parametrize(
    "mesh",
    [TriangleMesh(), TriangleMesh([[0, 0, 0], [1, 1, 1], [2, 2, 2]], [[0, 1, 2]])],
    ids=["empty", "collinear"],
)
def test_meshes_without_area_are_refused(mesh):
    with pytest.raises(ValueError, match="empty or degenerate"):
        sample_surface(mesh, 10)


def test_torch_sampling_matches_the_surface_and_gives_unit_normals():
    mesh = box((2.0, 1.0, 0.5))
    points, normals = sample_surface_torch(
        torch.tensor(mesh.vertices), torch.tensor(mesh.faces), 3000, torch.Generator().manual_seed(0)
    )
    assert points.shape == normals.shape == (3000, 3)
    assert torch.all(points.abs() <= torch.tensor([1.0, 0.5, 0.25]) + 1e-9)
    torch.testing.assert_close(normals.norm(dim=-1), torch.ones(3000, dtype=torch.float64))


def test_torch_sampling_is_seeded():
    mesh = box()
    v, f = torch.tensor(mesh.vertices), torch.tensor(mesh.faces)
    a, _ = sample_surface_torch(v, f, 100, torch.Generator().manual_seed(7))
    b, _ = sample_surface_torch(v, f, 100, torch.Generator().manual_seed(7))
    torch.testing.assert_close(a, b)


def test_torch_sampling_gradient_flows_to_vertices():
    mesh = box()
    vertices = torch.tensor(mesh.vertices, requires_grad=True)
    points, normals = sample_surface_torch(vertices, torch.tensor(mesh.faces), 2000)
    # Moving the whole box moves every sample: d(sum of x)/d(vertex x) sums to the number of points.
    points[:, 0].sum().backward(retain_graph=True)
    assert vertices.grad is not None
    assert vertices.grad[:, 0].sum().item() == pytest.approx(2000.0)
    assert torch.all(vertices.grad[:, 1:] == 0)
    # Normals are differentiable too (through the cross product).
    vertices.grad = None
    (normals * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
    assert torch.isfinite(vertices.grad).all()


def test_torch_sampling_in_a_batch():
    mesh = box()
    v = torch.tensor(mesh.vertices)
    batch = torch.stack([v, 2.0 * v])
    points, _ = sample_surface_torch(batch, torch.tensor(mesh.faces), 500)
    assert points.shape == (2, 500, 3)
    assert points[0].abs().max() <= 0.5 + 1e-9
    assert points[1].abs().max() > 0.5


def test_torch_sampling_refuses_a_flat_mesh():
    v = torch.tensor([[0.0, 0, 0], [1, 1, 1], [2, 2, 2]])
    with pytest.raises(ValueError, match="zero area"):
        sample_surface_torch(v, torch.tensor([[0, 1, 2]]), 10)
