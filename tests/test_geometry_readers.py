"""Readers for every supported format, written here with numpy/trimesh (no binary fixtures)."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.readers import GeometryReadError, read_geometry, read_mesh, read_point_cloud

RNG = np.random.default_rng(0)
POINTS = RNG.normal(size=(50, 3))
NORMALS = POINTS / np.linalg.norm(POINTS, axis=1, keepdims=True)


@pytest.mark.parametrize("suffix", [".ply", ".obj", ".glb", ".stl", ".off"])
def test_mesh_formats_round_trip(tmp_path, suffix):
    box = trimesh.creation.box(extents=(2.0, 1.0, 0.5))
    path = tmp_path / f"box{suffix}"
    box.export(path)
    mesh = read_geometry(path)
    assert isinstance(mesh, TriangleMesh)
    assert len(mesh.faces) == 12
    np.testing.assert_allclose(mesh.bounds, [[-1, -0.5, -0.25], [1, 0.5, 0.25]], atol=1e-6)
    assert mesh.area == pytest.approx(box.area)


def test_glb_scene_transforms_are_applied(tmp_path):
    scene = trimesh.Scene()
    scene.add_geometry(
        trimesh.creation.box(), transform=trimesh.transformations.translation_matrix([3, 0, 0])
    )
    scene.add_geometry(trimesh.creation.box())
    path = tmp_path / "scene.glb"
    scene.export(path)
    mesh = read_mesh(path)
    assert len(mesh.faces) == 24
    np.testing.assert_allclose(mesh.bounds, [[-0.5, -0.5, -0.5], [3.5, 0.5, 0.5]], atol=1e-6)


def test_npz_cloud_with_and_without_normals(tmp_path):
    np.savez(tmp_path / "a.npz", points=POINTS.astype(np.float32), normals=NORMALS.astype(np.float32))
    np.savez(tmp_path / "b.npz", points=POINTS)
    a, b = read_geometry(tmp_path / "a.npz"), read_geometry(tmp_path / "b.npz")
    assert isinstance(a, PointCloud) and isinstance(b, PointCloud)
    np.testing.assert_allclose(a.points, POINTS, rtol=1e-6)
    np.testing.assert_allclose(a.normals, NORMALS, rtol=1e-6)
    assert b.normals is None


def test_npz_mesh(tmp_path):
    np.savez(tmp_path / "m.npz", vertices=[[0, 0, 0], [1, 0, 0], [0, 1, 0]], faces=[[0, 1, 2]])
    mesh = read_mesh(tmp_path / "m.npz")
    assert mesh.area == pytest.approx(0.5)


def test_ply_point_cloud_keeps_its_normals(tmp_path):
    header = (
        "ply\nformat ascii 1.0\nelement vertex 50\n"
        + "".join(f"property float {k}\n" for k in ("x", "y", "z", "nx", "ny", "nz"))
        + "end_header\n"
    )
    body = "\n".join(" ".join(f"{v:.7f}" for v in row) for row in np.hstack([POINTS, NORMALS]))
    (tmp_path / "c.ply").write_text(header + body + "\n")
    cloud = read_geometry(tmp_path / "c.ply")
    assert isinstance(cloud, PointCloud)
    np.testing.assert_allclose(cloud.points, POINTS, atol=1e-6)
    np.testing.assert_allclose(cloud.normals, NORMALS, atol=1e-6)


def test_binary_ply_point_cloud_without_normals(tmp_path):
    trimesh.PointCloud(POINTS).export(tmp_path / "d.ply")
    cloud = read_geometry(tmp_path / "d.ply")
    assert isinstance(cloud, PointCloud) and cloud.normals is None
    np.testing.assert_allclose(cloud.points, POINTS, atol=1e-6)


@pytest.mark.parametrize("separator", [" ", ", "])
def test_xyz_with_three_or_six_columns(tmp_path, separator):
    np.savetxt(tmp_path / "p.xyz", POINTS, delimiter=separator)
    np.savetxt(
        tmp_path / "pn.xyz", np.hstack([POINTS, NORMALS]), delimiter=separator, header="x y z nx ny nz"
    )
    plain, with_normals = read_geometry(tmp_path / "p.xyz"), read_geometry(tmp_path / "pn.xyz")
    np.testing.assert_allclose(plain.points, POINTS)
    assert plain.normals is None
    np.testing.assert_allclose(with_normals.normals, NORMALS)


def test_mesh_file_read_as_point_cloud_gives_vertices(tmp_path):
    trimesh.creation.box().export(tmp_path / "box.obj")
    cloud = read_point_cloud(tmp_path / "box.obj")
    assert len(cloud) == 8


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.ply", None, "no such file"),
        ("shape.abc", "1 2 3", "unsupported file type"),
        ("garbage.obj", "this is not an obj file\n", "no geometry"),
        ("ragged.xyz", "1 2 3\n4 5\n", "3 numbers"),
        ("words.xyz", "1 2 x\n", "not a row of numbers"),
        ("broken.ply", "ply\nformat nonsense\n", "could not read"),
    ],
)
def test_unreadable_files_say_why(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(GeometryReadError, match=message):
        read_geometry(path)


def test_npz_without_points_says_what_it_needs(tmp_path):
    np.savez(tmp_path / "x.npz", xyz=POINTS)
    with pytest.raises(GeometryReadError, match="'points'"):
        read_geometry(tmp_path / "x.npz")


def test_read_mesh_refuses_a_cloud(tmp_path):
    np.savez(tmp_path / "c.npz", points=POINTS)
    with pytest.raises(GeometryReadError, match="not a mesh"):
        read_mesh(tmp_path / "c.npz")
