"""``meshcoder score``: meshes, clouds and programs against a reference, as a table or JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest
import trimesh

from meshcoder.cli import main

KEYS = {"success", "cd", "iou", "iou_64", "fscore_1", "fscore_2", "normal_consistency"}
BOX_PROGRAM = (
    "import bpy\nfrom math import radians, pi\nfrom bpy_lib import *\n\ndelete_all()\n\n"
    "# object name: box\n# part_1: box\n"
    "create_primitive(name='box_1', primitive_type='cube', scale=[0.5, 0.5, 0.5])\n"
)


def write_box(path, extents=(1.0, 1.0, 1.0), offset=(0.0, 0.0, 0.0)):
    mesh = trimesh.creation.box(extents=extents)
    mesh.apply_translation(offset)
    mesh.export(path)
    return path


def score_json(capsys, *args) -> dict:
    assert main(["score", *map(str, args), "--json", "--fast"]) == 0
    return json.loads(capsys.readouterr().out)


def test_identical_meshes_as_json(tmp_path, capsys):
    box = write_box(tmp_path / "box.ply")
    result = score_json(capsys, box, box)
    assert set(result) == KEYS
    assert result["success"] is True
    assert result["cd"] == 0.0
    assert result["iou"] == result["iou_64"] == result["fscore_1"] == result["fscore_2"] == 1.0


def test_offset_cube_iou_one_third_across_formats(tmp_path, capsys):
    reference = write_box(tmp_path / "ref.obj")
    prediction = write_box(tmp_path / "pred.glb", offset=(0.5, 0.0, 0.0))
    result = score_json(capsys, prediction, reference)
    assert result["iou"] == pytest.approx(1 / 3)
    assert result["iou_64"] == pytest.approx(1 / 3)
    assert result["cd"] > 0.1


def test_cloud_prediction_against_a_mesh(tmp_path, capsys):
    mesh = trimesh.creation.box()
    points, face = trimesh.sample.sample_surface(mesh, 20_000, seed=3)
    np.savez(tmp_path / "cloud.npz", points=points, normals=mesh.face_normals[face])
    result = score_json(capsys, tmp_path / "cloud.npz", write_box(tmp_path / "box.stl"))
    assert result["success"] is True
    assert result["cd"] < 1e-3
    assert result["iou"] > 0.99


def test_table_output_names_the_protocol(tmp_path, capsys):
    box = write_box(tmp_path / "box.ply")
    assert main(["score", str(box), str(box), "--fast"]) == 0
    out = capsys.readouterr().out
    assert "CD x10^-2" in out and "IoU 32^3 %" in out and "success" in out
    assert "16,384 points per surface" in out and "NOT the report setting" in out


def test_missing_and_unusable_inputs_are_errors(tmp_path, capsys):
    box = write_box(tmp_path / "box.ply")
    assert main(["score", str(tmp_path / "nope.ply"), str(box)]) == 2
    assert "no such file" in capsys.readouterr().err
    np.savez(tmp_path / "empty.npz", vertices=np.zeros((0, 3)), faces=np.zeros((0, 3), int))
    assert main(["score", str(box), str(tmp_path / "empty.npz")]) == 2
    assert "reference is unusable" in capsys.readouterr().err


def test_an_empty_prediction_is_a_failed_result_not_an_error(tmp_path, capsys):
    np.savez(tmp_path / "empty.npz", vertices=np.zeros((0, 3)), faces=np.zeros((0, 3), int))
    result = score_json(capsys, tmp_path / "empty.npz", write_box(tmp_path / "box.ply"))
    assert result == dict.fromkeys(KEYS) | {"success": False}


@pytest.mark.blender
def test_a_program_against_its_mesh(tmp_path, capsys):
    (tmp_path / "box.py").write_text(BOX_PROGRAM)
    result = score_json(capsys, tmp_path / "box.py", write_box(tmp_path / "box.ply"))
    assert result["success"] is True
    assert result["iou"] == 1.0 and result["iou_64"] == 1.0
    assert result["cd"] < 2e-3  # same cube, other triangulation: only sampling differs


@pytest.mark.blender
def test_an_invalid_program_fails_with_its_reason(tmp_path, capsys):
    (tmp_path / "bad.py").write_text(BOX_PROGRAM + "x = 1\n")
    reference = write_box(tmp_path / "box.ply")
    assert main(["score", str(tmp_path / "bad.py"), str(reference), "--json", "--fast"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["success"] is False
    assert "prediction failed (invalid" in captured.err
