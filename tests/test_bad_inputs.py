"""Bad files and options: every command answers with one line on stderr and a non-zero status (no
traceback), batches go on past a bad record, and oversized or far-apart inputs stay cheap."""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pytest
import trimesh
from omegaconf import OmegaConf
from scipy.spatial import cKDTree

from meshcoder.cli import main
from meshcoder.geometry import readers
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.metrics import chamfer_distance, distinct_points, nearest_neighbors
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.protocol import MetricProtocol
from meshcoder.geometry.sampling import sample_surface
from meshcoder.geometry.voxels import cloud_gap, voxel_ious

BOX_PROGRAM = (
    "import bpy\nfrom math import radians, pi\nfrom bpy_lib import *\n\ndelete_all()\n\n"
    "# object name: box\n# part_1: box\n"
    "create_primitive(name='box_1', primitive_type='cube', scale=[0.5, 0.5, 0.5])\n"
)


def refused(capsys, args: list[str], *words: str, status: int | None = None) -> str:
    """Run ``meshcoder ARGS``; assert a non-zero status and one stderr line without a traceback that
    holds every one of ``words``; return that line."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:  # argparse refusals
        code = exit_.code
    err = capsys.readouterr().err
    assert code != 0 if status is None else code == status, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def box(tmp_path):
    path = tmp_path / "box.ply"
    trimesh.creation.box().export(path)
    return path


@pytest.fixture
def blocker(tmp_path):
    """A plain file where a folder would have to be."""
    path = tmp_path / "blocker"
    path.write_text("")
    return path


# ------------------------------------------------------------------------------------- score: files
def _write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    if isinstance(content, dict):
        np.savez(path, **content)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


VERTS = trimesh.creation.box().vertices
BAD_FILES = {
    "zero-byte ply": ("e.ply", "", "0 bytes"),
    "zero-byte npz": ("e.npz", "", "0 bytes"),
    "zero-byte xyz": ("e.xyz", "", "0 bytes"),
    "zero-byte obj": ("e.obj", "", "0 bytes"),
    "unknown suffix": ("m.foo", "x", "unsupported file type"),
    "garbage ply": ("g.ply", b"\x00\x01garbage" * 20, "not a .ply file"),
    "garbage glb": ("g.glb", b"\x00\x01garbage" * 20, "could not read it as glb"),
    "garbage npz": ("g.npz", b"PK\x00garbage" * 20, "not an .npz file"),
    "4-column xyz": ("four.xyz", "0 0 0 1\n1 0 0 1\n0 1 0 1\n", "found 4 numbers on every line"),
    "2-column xyz": ("two.xyz", "0 0\n1 0\n0 1\n", "found 2 numbers"),
    "mixed xyz": ("mix.xyz", "0 0 0\n1 0 0 5\n", "(first: line 2)"),
    "words in xyz": ("w.xyz", "0 0 0\nx y z\n", "w.xyz:2: not a row of numbers"),
    "latin-1 xyz": ("l.xyz", b"0 0 0\n# caf\xe9\n", "not UTF-8"),
    "float face indices": ("ff.npz", {"vertices": VERTS, "faces": np.array([[0, 1, 2.5]])}, "whole numbers"),
    "huge face index": ("hi.npz", {"vertices": VERTS, "faces": np.array([[0, 1, 10**12]])}, "0..7"),
    "negative face index": ("ni.npz", {"vertices": VERTS, "faces": np.array([[0, 1, -1]])}, "found -1..1"),
    "quad faces": ("q.npz", {"vertices": VERTS, "faces": np.array([[0, 1, 2, 3]])}, "M x 3"),
    "2-column points": ("p2.npz", {"points": np.zeros((10, 2))}, "N x 3"),
    "text points": ("ps.npz", {"points": np.array(["a", "b", "c"])}, "N x 3"),
    "no points array": ("np.npz", {"xyz": np.zeros((10, 3))}, "needs a 'points' array"),
    "normals count": ("nc.npz", {"points": np.zeros((10, 3)), "normals": np.zeros((9, 3))}, "9 normals"),
    "NaN points": ("nan.npz", {"points": np.r_[np.random.rand(99, 3), [[np.nan, 0, 0]]]}, "1 of 100 points"),
    "inf vertices": (
        "inf.npz",
        {"vertices": np.r_[VERTS[:-1], [[np.inf, 0, 0]]], "faces": [[0, 1, 7]]},
        "NaN or inf",
    ),
    "non-UTF-8 program": ("p.py", b"# caf\xe9\n", "not UTF-8"),
    "missing file": ("missing.ply", None, "no such file"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_score_refuses_a_bad_prediction_file_in_one_line(case, tmp_path, box, capsys):
    name, content, why = BAD_FILES[case]
    path = tmp_path / name if content is None else _write(tmp_path, name, content)
    refused(capsys, ["score", path, box, "--fast"], name, why, status=2)


@pytest.mark.parametrize("case", ["zero-byte ply", "4-column xyz", "float face indices", "NaN points"])
def test_score_names_the_reference_when_it_is_the_bad_file(case, tmp_path, box, capsys):
    name, content, why = BAD_FILES[case]
    path = _write(tmp_path, name, content)
    line = refused(capsys, ["score", box, path, "--fast"], name, why, status=2)
    assert "box.ply" not in line


def test_score_refuses_folders(tmp_path, box, capsys):
    (tmp_path / "dir.ply").mkdir()
    refused(capsys, ["score", tmp_path / "dir.ply", box], "dir.ply", "is a folder", status=2)


@pytest.mark.parametrize("args", [["--seed", "-1"], ["--timeout", "0"], ["--timeout", "nan"]])
def test_score_refuses_bad_options(args, box, capsys):
    refused(capsys, ["score", box, box, *args], args[0], status=2)


def test_files_with_too_many_points_are_refused_before_loading(tmp_path, box, capsys, monkeypatch):
    # The same path that refuses a 1.2 MB npz of 50 million points, at a size a test can write.
    monkeypatch.setattr(readers, "MAX_POINTS", 1_000)
    np.savez_compressed(tmp_path / "many.npz", points=np.zeros((5_000, 3), np.float32))
    refused(capsys, ["score", tmp_path / "many.npz", box], "many.npz", "5,000 rows", "1,000", status=2)
    (tmp_path / "many.xyz").write_text("0 0 0\n" * 1_500)
    refused(capsys, ["score", tmp_path / "many.xyz", box], "many.xyz", "more than 1,000", status=2)
    header = "ply\nformat ascii 1.0\nelement vertex 2000\nproperty float x\nend_header\n"
    (tmp_path / "many.ply").write_text(header)
    refused(capsys, ["score", tmp_path / "many.ply", box], "many.ply", "2,000 vertex", status=2)


def test_a_cloud_of_one_repeated_point_is_scored_quickly(tmp_path, box, capsys):
    # 200,000 copies of one point: each neighbour search near them used to visit every copy.
    np.savez(tmp_path / "same.npz", points=np.zeros((200_000, 3)))
    start = time.process_time()
    assert main(["score", str(tmp_path / "same.npz"), str(box), "--json"]) == 0
    assert time.process_time() - start < 30
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["success"] is True and result["normal_consistency"] == 0.0
    assert "1 distinct points and no normals" in captured.err and "Traceback" not in captured.err


def test_a_prediction_of_huge_coordinates_is_scored(tmp_path, box, capsys):
    v = np.array([[0, 0, 0], [1e37, 0, 0], [0, 1e37, 0], [0, 0, 1e37]], float)
    trimesh.Trimesh(v, [[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]], process=False).export(tmp_path / "h.ply")
    assert (
        main(["score", str(tmp_path / "h.ply"), str(box), "--json", "--fast"]) == 0
    )  # was ZeroDivisionError
    result = json.loads(capsys.readouterr().out)
    assert result["success"] is True and result["cd"] > 1e70 and 0 <= result["iou"] < 0.1


def test_a_prediction_lost_in_the_references_frame_fails_naming_the_prediction(tmp_path, box, capsys):
    v = np.array([[0, 0, 0], [1e37, 0, 0], [0, 1e37, 0], [0, 0, 1e37]], float)
    trimesh.Trimesh(v, [[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]], process=False).export(tmp_path / "h.ply")
    assert main(["score", str(box), str(tmp_path / "h.ply"), "--json", "--fast"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["success"] is False
    assert captured.err.count("\n") == 1 and "the prediction has no finite area" in captured.err


# ---------------------------------------------------------------------------------- other commands
def test_validate_goes_on_past_unreadable_files(tmp_path, capsys):
    (tmp_path / "latin.py").write_bytes(b"# caf\xe9\n" + BOX_PROGRAM.encode())
    (tmp_path / "good.py").write_text(BOX_PROGRAM)
    (tmp_path / "folder.py").mkdir()
    paths = [tmp_path / "latin.py", tmp_path / "missing.py", tmp_path / "folder.py", tmp_path / "good.py"]
    assert main(["validate", *map(str, paths)]) == 2
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert len(errors) == 3 and "Traceback" not in captured.err
    assert "latin.py: not UTF-8" in errors[0] and "no such file" in errors[1] and "is a folder" in errors[2]
    assert "good.py: ok" in captured.out


def test_run_refuses_bad_files_and_options_before_starting_blender(tmp_path, blocker, capsys):
    (tmp_path / "latin.py").write_bytes(b"# caf\xe9\n")
    (tmp_path / "ok.py").write_text(BOX_PROGRAM)
    refused(capsys, ["run", tmp_path / "latin.py"], "latin.py", "not UTF-8", status=2)
    refused(capsys, ["run", tmp_path / "nope.py"], "nope.py", "no such file", status=2)
    refused(capsys, ["run", tmp_path / "ok.py", "-o", blocker / "x.glb"], "x.glb", "not a folder", status=2)
    refused(capsys, ["run", tmp_path / "ok.py", "-o", tmp_path / "x.txt"], "x.txt", ".glb", status=2)
    refused(capsys, ["run", tmp_path / "ok.py", "--timeout", "-1"], "--timeout", "greater than 0", status=2)


def test_convert_refuses_bad_options(tmp_path, box, blocker, capsys):
    refused(capsys, ["convert", box, "-o", blocker / "x.npz"], "x.npz", "not a folder", status=2)
    refused(capsys, ["convert", box, "-o", tmp_path / "x.npz", "--points", "-5"], "--points", status=2)
    refused(capsys, ["convert", box, "-o", tmp_path / "x.npz", "--seed", "-1"], "--seed", status=2)
    refused(capsys, ["convert", box, "-o", tmp_path / "x.npz", "--points", "10"], "at least 1,000", status=2)
    (tmp_path / "four.xyz").write_text("0 0 0 1\n" * 10)
    refused(capsys, ["convert", tmp_path / "four.xyz", "-o", tmp_path / "x.npz"], "4 numbers", status=2)


def test_render_refuses_bad_options_before_starting_blender(tmp_path, box, blocker, capsys):
    out = tmp_path / "x.png"
    refused(capsys, ["render", box, "-o", out, "--resolution", "0"], "--resolution", status=2)
    refused(capsys, ["render", box, "-o", out, "--samples", "-1"], "--samples", status=2)
    refused(capsys, ["render", box, "-o", tmp_path / "x.jpg"], "x.jpg", ".png", status=2)
    refused(capsys, ["render", box, "-o", blocker / "x.png"], "x.png", "not a folder", status=2)
    refused(capsys, ["render", box, "-o", out, "--points", box], "--points", ".npz", status=2)
    (tmp_path / "e.npz").write_bytes(b"")
    refused(capsys, ["render", box, "-o", out, "--points", tmp_path / "e.npz"], "e.npz", "0 bytes", status=2)


def test_examples_pack_and_predict_refuse_bad_options(tmp_path, box, blocker, capsys):
    refused(capsys, ["examples", "--workers", "0"], "--workers", status=2)
    refused(capsys, ["examples", "-o", blocker], "blocker", "not a folder", status=2)
    refused(capsys, ["pack", tmp_path / "nope", "-o", tmp_path / "o"], "nope", "not a model folder", status=2)
    refused(capsys, ["pack", tmp_path, "-o", tmp_path / "o", "--retrieval-points", "0"], "--retrieval-points")
    for limit in ("0", "-1", "two"):
        refused(capsys, ["predict", box, "-o", tmp_path / "o", "--limit", limit], "--limit", status=2)
    refused(capsys, ["predict", box, "-o", blocker], "blocker", "not a folder", status=2)


def test_unexpected_errors_are_one_line_unless_debugging(box, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(MetricProtocol, "score", broken)
    line = refused(capsys, ["score", box, box], "RuntimeError: something unexpected", "--debug", status=1)
    assert line.startswith("meshcoder score: error:")
    with pytest.raises(RuntimeError):
        main(["--debug", "score", str(box), str(box)])
    with pytest.raises(RuntimeError):
        main(["score", "--debug", str(box), str(box)])
    monkeypatch.setenv("MESHCODER_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["score", str(box), str(box)])


# ------------------------------------------------------------------------------------ meshcoder-eval
@pytest.fixture
def eval_data(tmp_path):
    """Four records with reference meshes and input clouds; predictions: 0 good, 1 a non-UTF-8 program,
    2 NaN points, 3 a broken mesh; record 3 also has a second, good sample and no input cloud, so
    choosing among its samples fails (a per-record error)."""
    data, predictions = tmp_path / "data", tmp_path / "pred"
    data.mkdir()
    predictions.mkdir()
    cube = trimesh.creation.box()
    records = []
    for i in range(4):
        cube.export(data / f"{i}.ply")
        points, face = trimesh.sample.sample_surface(cube, 2048, seed=i)
        np.savez(data / f"{i}.npz", points=points, normals=cube.face_normals[face])
        pcd = [f"{i}.npz"] if i < 3 else ["gone.npz"]
        records.append(
            {"id": i, "script": "unused", "pcd_path": pcd, "category": "Box", "mesh_path": f"{i}.ply"}
        )
    (data / "test.json").write_text(json.dumps(records))
    cube.export(predictions / "0.ply")
    (predictions / "1.py").write_bytes(b"# caf\xe9\n")
    np.savez(predictions / "2.npz", points=np.r_[np.random.rand(99, 3), [[np.nan, 0, 0]]])
    (predictions / "3+0.ply").write_text("ply\ngarbage\n")
    cube.export(predictions / "3+1.ply")
    cube.export(predictions / "3+2.obj")
    return tmp_path


def eval_config(root, **overrides):
    from hydra import compose, initialize_config_dir

    from meshcoder.conf import CONFIG_DIR

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("eval")  # with its defaults list (executor, protocol)
    cfg.predictions, cfg.dataset, cfg.output_dir = str(root / "pred"), str(root / "data"), str(root / "out")
    cfg.progress = False
    cfg.metrics.points = cfg.selection.points = 1024
    for key, value in overrides.items():
        OmegaConf.update(cfg, key, value)
    return cfg


def test_eval_scores_past_bad_records(eval_data):
    import csv

    from meshcoder.evaluation.run import evaluate

    result = evaluate(eval_config(eval_data))
    rows = {r["id"]: r for r in csv.DictReader((eval_data / "out" / "shapes.csv").open())}
    assert result["shapes"] == 4
    assert rows["0"]["success"] == "True" and float(rows["0"]["iou"]) == 1.0
    assert rows["1"]["status"] == "invalid" and "not UTF-8" in rows["1"]["error"]  # was 'empty'
    assert rows["2"]["status"] == "invalid" and "NaN or infinite" in rows["2"]["error"]
    assert rows["3"]["status"] == "error" and "gone.npz" in rows["3"]["error"]


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ("metrics.backend=nope", ["metrics.backend='nope'", "kdtree"]),
        ("limit=-1", ["limit=-1", ">= 1"]),
        ("limit=0", ["limit=0"]),
        ("limit=abc", ["limit='abc'", "whole number"]),
        ("metrics.points=-5", ["metrics.points=-5"]),
        ("executor.timeout=-1", ["executor.timeout=-1", "> 0"]),
        ("executor.num_workers=0", ["executor.num_workers=0"]),
        ("output_dir={blocker}/sub", ["output_dir=", "cannot write"]),
    ],
)
def test_eval_refuses_bad_settings_in_one_line(override, words, eval_data, blocker, capfd, monkeypatch):
    from meshcoder.cli.evaluate import main as eval_main

    argv = [
        "meshcoder-eval",
        f"predictions={eval_data / 'pred'}",
        f"dataset={eval_data / 'data'}",
        f"output_dir={eval_data / 'out'}",
        f"hydra.run.dir={eval_data / 'hydra'}",
        override.format(blocker=blocker),
    ]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_:
        eval_main()
    assert exit_.value.code == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("meshcoder-eval: error:"), err
    assert all(word in err[0] for word in words), err[0]
    assert not (eval_data / "out" / "shapes.csv").exists()


# --------------------------------------------------------------------------------- meshcoder-datagen
@pytest.mark.parametrize(
    ("override", "words"),
    [
        ("n_per_category=abc", ["n_per_category='abc'", "whole number"]),
        ("timeout=-1", ["timeout=-1", "greater than 0"]),
        ("workers=0", ["workers=0"]),
        ("memory_limit_gb=0", ["memory_limit_gb=0"]),
        ("points=many", ["points='many'"]),
        ("out_dir={blocker}/sub", ["out_dir=", "blocker is a file"]),
    ],
)
def test_datagen_refuses_bad_settings_in_one_line(override, words, tmp_path, blocker, capfd, monkeypatch):
    from meshcoder.cli.datagen import main as datagen_main

    argv = [
        "meshcoder-datagen",
        f"out_dir={tmp_path / 'data'}",
        "progress=false",
        override.format(blocker=blocker),
    ]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_:
        datagen_main()
    assert exit_.value.code == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("meshcoder-datagen: error:"), err
    assert all(word in err[0] for word in words), err[0]
    assert not (tmp_path / "data" / "manifests").exists()  # nothing ran


# ---------------------------------------------------------------------- metrics on awkward geometry
def _surface(kind: str, count: int, seed: int) -> np.ndarray:
    m = trimesh.creation.icosphere(3) if kind == "sphere" else trimesh.creation.box(extents=(2, 1, 0.5))
    return sample_surface(TriangleMesh(m.vertices, m.faces), count, seed).points


def _plain_chamfer(x: np.ndarray, y: np.ndarray) -> float:
    d_xy = cKDTree(y).query(x)[0]
    d_yx = cKDTree(x).query(y)[0]
    return float((d_xy**2).mean() + (d_yx**2).mean())


@pytest.mark.parametrize("kind", ["sphere", "box"])
@pytest.mark.parametrize("offset", [0.0, 0.5, 3.0, 100.0, 1e4])
def test_chamfer_is_unchanged_near_and_far(kind, offset):
    a = _surface(kind, 20_000, 1)
    b = _surface(kind, 20_000, 2) + np.array([1.0, 0.3, 0.1]) * offset
    assert chamfer_distance(a, b) == pytest.approx(_plain_chamfer(a, b), rel=1e-12)
    distances, indices = nearest_neighbors(b, a)
    assert np.allclose(np.sum((b - a[indices]) ** 2, axis=1), distances, rtol=1e-12, atol=0)


@pytest.mark.slow
def test_chamfer_of_a_far_pair_costs_about_a_near_pair():
    # 100,000 points per side; a sphere 100 diameters away cost 10x a near pair before.
    a, b = _surface("sphere", 100_000, 1), _surface("sphere", 100_000, 2)

    def cost(offset: float) -> float:
        start = time.process_time()
        chamfer_distance(a, b + np.array([1.0, 0.3, 0.1]) * offset)
        return time.process_time() - start

    near = min(cost(0.0) for _ in range(2))
    far = min(cost(100.0) for _ in range(2))
    assert far < 3 * near + 0.5, (near, far)


def test_repeated_points_are_merged_without_changing_neighbours():
    rng = np.random.default_rng(0)
    target = np.repeat(rng.random((500, 3)), 40, axis=0)  # 20,000 points, 500 distinct
    query = rng.random((3_000, 3))
    distinct, first, inverse = distinct_points(target)
    assert len(distinct) == 500 and np.array_equal(distinct[inverse], target)
    assert np.array_equal(target[first], distinct)
    distances, indices = nearest_neighbors(query, target)
    assert np.array_equal(distances, cKDTree(target).query(query)[0] ** 2)
    assert np.allclose(np.sum((query - target[indices]) ** 2, axis=1), distances, rtol=1e-12, atol=0)


def test_cloud_gap_counts_copies_like_a_tree_of_all_points():
    rng = np.random.default_rng(1)
    points = np.concatenate([rng.random((2_000, 3)), np.repeat(rng.random((300, 3)), 3, axis=0)])
    plain = float(np.percentile(cKDTree(points).query(points, k=5)[0][:, -1], 99))
    assert cloud_gap(points) == pytest.approx(plain, rel=1e-12)
    assert cloud_gap(np.zeros((10_000, 3))) == 0.0


def test_voxels_of_runaway_triangles_stay_bounded():
    huge = TriangleMesh(np.array([[0, 0, 0], [1e37, 0, 0], [0, 1e37, 0]], float), [[0, 1, 2]])
    cube = trimesh.creation.box(extents=(2, 2, 2))
    ious = voxel_ious(huge, TriangleMesh(cube.vertices, cube.faces))
    assert all(0.0 <= v < 0.5 for v in ious.values())


def test_a_huge_cloud_is_voxelised_from_a_subset_with_a_warning(monkeypatch):
    from meshcoder.geometry import voxels

    monkeypatch.setattr(voxels, "MAX_CLOUD_POINTS", 5_000)
    cube = trimesh.creation.box(extents=(2, 2, 2))
    mesh = TriangleMesh(cube.vertices, cube.faces)
    cloud = PointCloud(sample_surface(mesh, 20_000, 0).points)
    with pytest.warns(UserWarning, match="20,000 points; its voxels are found from a seeded subset of 5,000"):
        ious = voxel_ious(cloud, mesh)
    assert ious[32] > 0.9
