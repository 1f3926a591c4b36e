"""``meshcoder convert``: every format in, the model input out, and every refusal with its reason."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from meshcoder.cli import main
from meshcoder.geometry.inputs import MIN_POINTS, InputError, prepare_model_input
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud

RNG = np.random.default_rng(0)


def tall_box(tmp_path, suffix: str):
    """A 1 x 2 x 4 box, off-centre, tall along Z, written as ``suffix``."""
    mesh = trimesh.creation.box(extents=(1.0, 2.0, 4.0))
    mesh.apply_translation([3.0, -1.0, 2.0])
    path = tmp_path / f"box{suffix}"
    mesh.export(path)
    return path


def box_cloud(n: int, normals: bool = True) -> tuple[np.ndarray, np.ndarray]:
    mesh = trimesh.creation.box(extents=(1.0, 2.0, 4.0))
    points, face = trimesh.sample.sample_surface(mesh, n, seed=1)
    return points + np.array([3.0, -1.0, 2.0]), mesh.face_normals[face]


def convert(*args: str) -> int:
    return main(["convert", *map(str, args)])


def load(path):
    with np.load(path) as data:
        return data["points"], data["normals"]


def check_model_input(points, normals, n=16_384):
    assert points.shape == normals.shape == (n, 3)
    assert points.dtype == normals.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(normals, axis=1), 1.0, atol=1e-5)
    extents = points.max(axis=0) - points.min(axis=0)
    assert extents.max() == pytest.approx(1.0, abs=1e-3)
    np.testing.assert_allclose((points.max(axis=0) + points.min(axis=0)) / 2, 0.0, atol=1e-3)
    return extents


@pytest.mark.parametrize("suffix", [".ply", ".obj", ".glb", ".stl"])
def test_mesh_formats_become_model_inputs(tmp_path, suffix, capsys):
    out = tmp_path / "input.npz"
    assert convert(tall_box(tmp_path, suffix), "-o", out, "--up", "z") == 0
    extents = check_model_input(*load(out))
    assert np.argmax(extents) == 1  # Z up turned to Y up
    report = capsys.readouterr().out
    for word in ("axis: Z up turned to Y up", "scale: x0.25", "centre:", "normals: from the mesh", "16,384"):
        assert word in report


@pytest.mark.parametrize("suffix", [".npz", ".xyz", ".ply"])
def test_point_cloud_formats_with_normals(tmp_path, suffix, capsys):
    points, normals = box_cloud(20_000)
    path = tmp_path / f"cloud{suffix}"
    if suffix == ".npz":
        np.savez(path, points=points, normals=normals)
    elif suffix == ".xyz":
        np.savetxt(path, np.hstack([points, normals]))
    else:
        trimesh.PointCloud(points).export(path)  # a PLY cloud without normals
    out = tmp_path / "input.npz"
    assert convert(path, "-o", out) == 0
    got_points, got_normals = load(out)
    extents = check_model_input(got_points, got_normals)
    assert np.argmax(extents) == 2  # --up y (default): nothing turned
    report = capsys.readouterr().out
    if suffix == ".ply":
        assert "normals: estimated (none in the input)" in report
    else:
        assert "normals: from the input" in report


def test_estimated_normals_point_outward_on_a_box(tmp_path):
    points, _ = box_cloud(20_000)
    np.savez(tmp_path / "c.npz", points=points)
    assert convert(tmp_path / "c.npz", "-o", tmp_path / "o.npz") == 0
    got_points, got_normals = load(tmp_path / "o.npz")
    # Outward on a centred box: the normal agrees with the position's dominant axis.
    axis = np.argmax(np.abs(got_points) / [0.125, 0.25, 0.5], axis=1)
    sign = np.sign(got_points[np.arange(len(axis)), axis])
    assert np.mean(np.sign(got_normals[np.arange(len(axis)), axis]) == sign) > 0.99


def test_small_clouds_are_kept_whole_with_a_warning(tmp_path, capsys):
    points, normals = box_cloud(5000)
    np.savez(tmp_path / "c.npz", points=points, normals=2.0 * normals)
    assert convert(tmp_path / "c.npz", "-o", tmp_path / "o.npz") == 0
    got_points, _ = load(tmp_path / "o.npz")
    assert len(got_points) == 5000
    captured = capsys.readouterr()
    assert "fewer than the 16,384" in captured.err
    assert "rescaled to unit length" in captured.out


def test_points_option(tmp_path):
    assert convert(tall_box(tmp_path, ".ply"), "-o", tmp_path / "o.npz", "--points", "4096") == 0
    check_model_input(*load(tmp_path / "o.npz"), n=4096)


def test_non_uniform_sampling_warns(tmp_path, capsys):
    points, normals = box_cloud(40_000)
    keep = (points[:, 2] > 2.0) | (RNG.random(len(points)) < 0.05)  # one half twenty times as dense
    np.savez(tmp_path / "c.npz", points=points[keep], normals=normals[keep])
    assert convert(tmp_path / "c.npz", "-o", tmp_path / "o.npz") == 0
    assert "strongly non-uniform" in capsys.readouterr().err


def test_uniform_sampling_does_not_warn(tmp_path, capsys):
    points, normals = box_cloud(20_000)
    np.savez(tmp_path / "c.npz", points=points, normals=normals)
    assert convert(tmp_path / "c.npz", "-o", tmp_path / "o.npz") == 0
    assert "warning" not in capsys.readouterr().err


def refusal(tmp_path, capsys, path, *extra) -> str:
    out = tmp_path / "refused.npz"
    assert convert(path, "-o", out, *extra) == 2
    assert not out.exists()
    return capsys.readouterr().err


def test_refuses_nan_points(tmp_path, capsys):
    points, normals = box_cloud(5000)
    points[10, 1] = np.nan
    np.savez(tmp_path / "c.npz", points=points, normals=normals)
    assert "NaN or infinite" in refusal(tmp_path, capsys, tmp_path / "c.npz")


def test_refuses_infinite_normals(tmp_path, capsys):
    points, normals = box_cloud(5000)
    normals[3] = np.inf
    np.savez(tmp_path / "c.npz", points=points, normals=normals)
    assert "normals hold NaN or infinite" in refusal(tmp_path, capsys, tmp_path / "c.npz")


def test_refuses_a_mesh_with_infinite_vertices(tmp_path, capsys):
    vertices = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [np.inf, 0, 0]])
    np.savez(tmp_path / "m.npz", vertices=vertices, faces=[[0, 1, 2]])
    assert "NaN or infinite" in refusal(tmp_path, capsys, tmp_path / "m.npz")


def test_refuses_too_few_points(tmp_path, capsys):
    points, normals = box_cloud(MIN_POINTS - 1)
    np.savez(tmp_path / "c.npz", points=points, normals=normals)
    assert "at least 1,000" in refusal(tmp_path, capsys, tmp_path / "c.npz")


def test_refuses_an_empty_mesh(tmp_path, capsys):
    np.savez(tmp_path / "m.npz", vertices=np.zeros((0, 3)), faces=np.zeros((0, 3), int))
    assert "empty" in refusal(tmp_path, capsys, tmp_path / "m.npz")


def test_refuses_a_degenerate_mesh(tmp_path, capsys):
    np.savez(tmp_path / "m.npz", vertices=[[0, 0, 0], [1, 1, 1], [2, 2, 2]], faces=[[0, 1, 2], [2, 1, 0]])
    assert "degenerate" in refusal(tmp_path, capsys, tmp_path / "m.npz")


def test_refuses_unreadable_files(tmp_path, capsys):
    (tmp_path / "bad.obj").write_text("not a mesh at all\n")
    assert "no geometry" in refusal(tmp_path, capsys, tmp_path / "bad.obj")
    (tmp_path / "bad.glb").write_bytes(b"\x00\x01garbage")
    assert "could not read" in refusal(tmp_path, capsys, tmp_path / "bad.glb")
    assert "no such file" in refusal(tmp_path, capsys, tmp_path / "missing.ply")


def test_refuses_a_non_npz_output(tmp_path, capsys):
    assert convert(tall_box(tmp_path, ".ply"), "-o", tmp_path / "o.ply") == 2
    assert ".npz" in capsys.readouterr().err


def test_refuses_a_cloud_collapsed_to_one_point():
    with pytest.raises(InputError, match="one point"):
        prepare_model_input(PointCloud(np.ones((2000, 3))))


def test_library_report_lines_and_frame():
    mesh = trimesh.creation.box(extents=(2.0, 1.0, 1.0))
    cloud, report = prepare_model_input(TriangleMesh(mesh.vertices + 5.0, mesh.faces), points=2000)
    assert report.scale == pytest.approx(0.5)
    np.testing.assert_allclose(report.centre, [5.0, 5.0, 5.0])
    assert len(cloud) == report.points == 2000
    assert report.lines()[0].startswith("input: mesh, 8 vertices, 12 triangles")
