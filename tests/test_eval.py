"""``meshcoder-eval``: a predictions folder against a dataset split, best-of-N by the input cloud."""

from __future__ import annotations

import csv
import json
import sys

import numpy as np
import pytest
import trimesh
from omegaconf import OmegaConf

from meshcoder.cli.evaluate import main
from meshcoder.conf import CONFIG_DIR
from meshcoder.evaluation.run import EvaluationError, evaluate, find_predictions

BOX = (
    "import bpy\nfrom math import radians, pi\nfrom bpy_lib import *\n\ndelete_all()\n\n"
    "# object name: box\n# part_1: box\n"
    "create_primitive(name='box_1', primitive_type='cube', scale={scale})\n"
)


def box(extents=(1.0, 1.0, 1.0), offset=(0.0, 0.0, 0.0)) -> trimesh.Trimesh:
    mesh = trimesh.creation.box(extents=extents)
    mesh.apply_translation(offset)
    return mesh


def write_cloud(path, mesh: trimesh.Trimesh) -> str:
    points, face = trimesh.sample.sample_surface(mesh, 4096, seed=0)
    np.savez(path, points=points, normals=mesh.face_normals[face])
    return path.name


def config(tmp_path, **overrides):
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("eval")  # with its defaults list (executor, protocol)
    cfg.predictions = str(tmp_path / "predictions")
    cfg.dataset = str(tmp_path / "dataset")
    cfg.output_dir = str(tmp_path / "out")
    cfg.progress = False
    cfg.metrics.points = 2048
    cfg.selection.points = 2048
    cfg.executor.num_workers = 1
    for key, value in overrides.items():
        OmegaConf.update(cfg, key, value)
    return cfg


@pytest.fixture
def mesh_dataset(tmp_path):
    """Four records with reference meshes; predictions as meshes (no Blender needed).

    * 0 (Chair): predicted exactly.
    * 1 (Chair): three samples; the *input cloud* is a tall box matching sample 0, while the reference
      mesh is a cube matching sample 1, so best-of-N must pick sample 0 (it never sees the reference).
      Sample 2 is an unreadable file.
    * 2 (Cup): a cube offset by half a side: IoU 1/3.
    * 3 (Lamp): no prediction.
    """
    data, predictions = tmp_path / "dataset", tmp_path / "predictions"
    data.mkdir()
    predictions.mkdir()
    cube, tall = box(), box((0.5, 1.0, 0.5))
    records = []
    for i, category in enumerate(["Chair", "Chair", "Cup", "Lamp"]):
        cube.export(data / f"{i}.ply")
        cloud_mesh = tall if i == 1 else cube
        pcd = write_cloud(data / f"{i}.npz", cloud_mesh)
        records.append(
            {"id": i, "script": "unused", "pcd_path": [pcd], "category": category, "mesh_path": f"{i}.ply"}
        )
    (data / "test.json").write_text(json.dumps(records))
    cube.export(predictions / "0.ply")
    tall.export(predictions / "1+0.obj")
    cube.export(predictions / "1+1.obj")
    (predictions / "1+2.obj").write_text("not a mesh\n")
    box(offset=(0.5, 0.0, 0.0)).export(predictions / "2.glb")
    (predictions / "99.ply").write_text("an id outside the split: ignored\n")
    (predictions / "notes.txt").write_text(
        "not a shape"
    )  # .txt is a cloud suffix, but not an id in the split
    return tmp_path


def read_rows(path) -> dict[str, dict]:
    return {row["id"]: row for row in csv.DictReader(path.open())}


def test_evaluate_meshes_writes_tables_and_picks_by_the_input_cloud(mesh_dataset):
    result = evaluate(config(mesh_dataset))
    out = mesh_dataset / "out"
    rows = read_rows(out / "shapes.csv")
    assert set(rows) == {"0", "1", "2", "3"}
    assert rows["0"]["success"] == "True" and float(rows["0"]["cd"]) == 0.0
    assert rows["1"]["chosen"] == "1+0.obj"  # by the input cloud, although 1+1 matches the reference
    assert rows["1"]["candidates"] == "3"
    assert float(rows["1"]["iou"]) == pytest.approx(0.25)  # the tall box holds a quarter of the cube
    assert float(rows["2"]["iou"]) == pytest.approx(1 / 3)
    assert rows["3"]["success"] == "False" and rows["3"]["status"] == "missing"

    assert result["shapes"] == 4 and result["best_of_n"] == 3
    assert result["protocol"]["points"] == 2048 and result["protocol"]["fast"] is True
    chair, _, lamp = result["categories"]
    assert (chair["name"], chair["success_rate"]) == ("Chair", 1.0)
    assert chair["mean"]["iou"] == pytest.approx((1.0 + 0.25) / 2)
    assert lamp["success_rate"] == 0.0
    assert result["all_shapes"]["success_rate"] == pytest.approx(0.75)
    assert result["cd_per_success"] == pytest.approx(result["all_shapes"]["mean"]["cd"] / 0.75)
    assert json.loads((out / "summary.json").read_text())["shapes"] == 4

    table = (out / "metrics.md").read_text()
    assert "| Chair | 2 | 100.0 |" in table and "| Lamp | 1 | 0.0 |" in table
    assert "2,048 points per surface (NOT the report setting (fast))" in table
    assert "best-of-N with N up to 3" in table

    # The oracle (the sample nearest the ground truth) is reported beside the honest choice, never in it.
    assert rows["1"]["oracle_chosen"] == "1+1.obj" and float(rows["1"]["oracle_iou"]) == pytest.approx(1.0)
    assert rows["0"]["oracle_chosen"] == ""  # one sample: no oracle
    assert result["oracle"]["categories"][0]["mean"]["iou"] == pytest.approx(1.0)
    assert result["categories"][0]["mean"]["iou"] == pytest.approx(0.625)
    oracle_table = (out / "metrics_oracle.md").read_text()
    assert "Oracle (not comparable)" in oracle_table and "| Chair | 2 | 100.0 |" in oracle_table
    comparison = (out / "comparison.md").read_text()
    assert "(oracle)" in comparison and "never a result" in comparison
    assert result["comparison"].endswith("comparison.md")


def test_missing_predictions_can_be_skipped_and_limit_applies(mesh_dataset):
    result = evaluate(config(mesh_dataset, missing="skip", limit=3))
    assert result["shapes"] == 3
    assert result["all_shapes"]["success_rate"] == 1.0


def test_find_predictions_groups_samples_by_id(mesh_dataset):
    found = find_predictions(mesh_dataset / "predictions")
    assert [p.name for p in found["1"]] == ["1+0.obj", "1+1.obj", "1+2.obj"]
    assert [p.name for p in found["0"]] == ["0.ply"]


def test_configuration_errors_say_what_to_fix(tmp_path, mesh_dataset):
    with pytest.raises(EvaluationError, match="set predictions"):
        evaluate(config(mesh_dataset, predictions="???"))
    with pytest.raises(EvaluationError, match=r"val\.json does not exist"):
        evaluate(config(mesh_dataset, split="val"))
    with pytest.raises(EvaluationError, match="missing="):
        evaluate(config(mesh_dataset, missing="ignore"))


def test_the_shipped_config_composes_with_hydra():
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("eval", overrides=["predictions=p", "dataset=d"])
    assert cfg.split == "test" and cfg.metrics.fast is False and cfg.selection.points == 16384


def test_the_console_entry_point_runs_hydra(mesh_dataset, monkeypatch, capsys):
    out = mesh_dataset / "hydra_run"
    argv = [
        "meshcoder-eval",
        f"predictions={mesh_dataset / 'predictions'}",
        f"dataset={mesh_dataset / 'dataset'}",
        f"hydra.run.dir={out}",
        "metrics.points=2048",
        "selection.points=2048",
        "progress=false",
    ]
    monkeypatch.setattr(sys, "argv", argv)
    main()
    assert (out / "metrics.md").is_file() and (out / "shapes.csv").is_file()
    assert "cd_per_success" in capsys.readouterr().out


@pytest.mark.blender
def test_evaluate_programs_against_executed_scripts(tmp_path):
    data, predictions = tmp_path / "dataset", tmp_path / "predictions"
    data.mkdir()
    predictions.mkdir()
    records = []
    for i, scale in enumerate(["[0.5, 0.5, 0.5]", "[0.5, 0.25, 0.25]"]):
        script = BOX.format(scale=scale)
        extents = (1.0, 1.0, 1.0) if i == 0 else (1.0, 0.5, 0.5)
        pcd = write_cloud(data / f"{i}.npz", box(extents))
        records.append({"id": i, "script": script, "pcd_path": [pcd], "category": "Box"})
    (data / "test.json").write_text(json.dumps(records))
    (predictions / "0.py").write_text(BOX.format(scale="[0.5, 0.5, 0.5]"))
    (predictions / "1+0.py").write_text(BOX.format(scale="[0.5, 0.5, 0.5]"))  # valid, wrong shape
    (predictions / "1+1.py").write_text(BOX.format(scale="[0.5, 0.25, 0.25]"))  # right: picked by the cloud
    (predictions / "1+2.py").write_text(BOX.format(scale="[0.5, 0.25, 0.25]") + "x = 1\n")  # invalid
    result = evaluate(config(tmp_path))
    rows = read_rows(tmp_path / "out" / "shapes.csv")
    assert rows["0"]["success"] == "True" and float(rows["0"]["iou"]) == 1.0
    assert rows["1"]["chosen"] == "1+1.py" and float(rows["1"]["iou"]) == 1.0
    assert result["all_shapes"]["success_rate"] == 1.0
