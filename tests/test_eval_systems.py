"""``meshcoder-eval`` with systems that write programs (a model folder, the retrieval baseline) and the
side-by-side comparison."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from omegaconf import OmegaConf

from meshcoder.conf import CONFIG_DIR
from meshcoder.evaluation.aggregate import summarise
from meshcoder.evaluation.report import comparison_markdown
from meshcoder.evaluation.run import EvaluationError, System, evaluate, systems_of
from meshcoder.evaluation.systems import generate_programs
from meshcoder.geometry.pointcloud import PointCloud


class FakeModel:
    """Records every ``generate`` call and answers with the number of points of each cloud."""

    def __init__(self):
        self.calls = []

    def generate(self, points, normals=None, **settings):
        self.calls.append((len(points), normals, settings))
        return [f"# {len(p)} points" for p in points]


def test_generate_programs_batches_and_passes_settings_through():
    clouds = (PointCloud(np.zeros((n, 3)), np.ones((n, 3)) if n % 2 else None) for n in range(1, 6))
    model = FakeModel()
    texts = generate_programs(model, clouds, batch_size=2, max_new_tokens=7, do_sample=False, grammar="g")
    assert texts == [f"# {n} points" for n in range(1, 6)]
    assert [c[0] for c in model.calls] == [2, 2, 1]
    assert all(c[2] == {"max_new_tokens": 7, "do_sample": False, "grammar": "g"} for c in model.calls)
    first_normals = model.calls[0][1]
    assert first_normals[0].dtype == np.float32 and first_normals[1] is None
    generate_programs(model, [PointCloud(np.zeros((3, 3)))], batch_size=1, max_new_tokens=None)
    assert model.calls[-1][2] == {}  # None: the model's own default
    with pytest.raises(ValueError, match="batch_size"):
        generate_programs(model, [], batch_size=0, max_new_tokens=None)


def test_systems_are_named_uniquely_and_checked():
    cfg = OmegaConf.create(
        {"predictions": "runs/a/programs", "model_dir": "pretrained/retrieval", "baselines": ["retrieval"]}
    )
    assert systems_of(cfg) == [
        System("predictions", "predictions", "runs/a/programs"),
        System("retrieval", "model", "pretrained/retrieval"),
        System("retrieval-2", "retrieval"),
    ]
    assert systems_of(OmegaConf.create({"baselines": "retrieval"})) == [System("retrieval", "retrieval")]
    with pytest.raises(EvaluationError, match="unknown 'nearest'"):
        systems_of(OmegaConf.create({"baselines": ["nearest"]}))


def test_the_command_line_names_compose_with_hydra():
    from hydra import compose, initialize_config_dir

    overrides = ["dataset=d", "model_dir=pretrained/m", "baselines=[retrieval]", "+generation.grammar=g"]
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("eval", overrides=overrides)
    assert [s.name for s in systems_of(cfg)] == ["m", "retrieval"]
    assert cfg.generation.grammar == "g" and cfg.generation.do_sample is False


def test_comparison_puts_systems_side_by_side():
    rows_a = [
        {"category": "Bowl", "success": True, "cd": 0.01, "iou": 0.5, "fscore_1": 0.2},
        {"category": "Chair", "success": False},
    ]
    rows_b = [
        {"category": "Bowl", "success": True, "cd": 0.0, "iou": 1.0, "fscore_1": 1.0},
        {"category": "Chair", "success": True, "cd": 0.0, "iou": 1.0, "fscore_1": 1.0},
    ]
    metrics = ("cd", "iou", "fscore_1")
    table = comparison_markdown(
        {"model": summarise(rows_a, metrics), "retrieval": summarise(rows_b, metrics)}, "T", ["protocol: p"]
    )
    assert "| category | shapes | success % model | success % retrieval | CD x10^-2 model |" in table
    assert "| Bowl | 1 | 100.0 | 100.0 | 1.000 | 0.000 | 50.00 | 100.00 | 20.00 | 100.00 |" in table
    assert "| Chair | 1 | 0.0 | 100.0 | - | 0.000 |" in table
    assert "| **all shapes (sample-weighted)** | 2 | 50.0 | 100.0 |" in table
    assert "| **category mean** | 2 | 50.0 | 100.0 |" in table
    assert "* protocol: p" in table


# ------------------------------------------------------------------------------------- Blender
@pytest.fixture(scope="module")
def tiny_dataset(pool, tmp_path_factory):
    """Bowl and Chair, three seeds each (seeds 0..2 of both fall in the hash split's train)."""
    from meshcoder.data.pipeline import DatagenConfig, merge, run_shard

    out = tmp_path_factory.mktemp("tiny")
    config = DatagenConfig(out_dir=out, generators=["Bowl", "Chair"], n_per_category=3, progress=False)
    run_shard(config, pool=pool)
    merge(out, echo=False)
    return out


@pytest.fixture(scope="module")
def random_model(tiny_dataset, tmp_path_factory, single_torch_thread):
    from meshcoder.models import MeshCoderConfig, build_meshcoder, save_pretrained

    scripts = [r["script"] for r in json.loads((tiny_dataset / "train.json").read_text())]
    model = build_meshcoder(MeshCoderConfig.tiny(), training_texts=scripts)
    return save_pretrained(model, tmp_path_factory.mktemp("models") / "model")


def _config(dataset, out, **overrides):
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("eval")  # with its defaults list (executor, protocol)
    cfg.dataset = str(dataset)
    cfg.split = "train"
    cfg.output_dir = str(out)
    cfg.progress = False
    cfg.metrics.points = 2048
    cfg.selection.points = 2048
    cfg.executor.num_workers = 1
    cfg.device = "cpu"
    cfg.generation.max_new_tokens = 12
    cfg.retrieval.points = 512
    for key, value in overrides.items():
        OmegaConf.update(cfg, key, value, force_add=True)
    return cfg


@pytest.mark.blender
def test_a_model_and_retrieval_side_by_side(tiny_dataset, random_model, tmp_path):
    records = json.loads((tiny_dataset / "train.json").read_text())
    assert {r["category"] for r in records} == {"Bowl", "Chair"}
    cfg = _config(tiny_dataset, tmp_path / "out", model_dir=str(random_model), baselines=["retrieval"])
    cfg.train_dataset = str(tiny_dataset)
    result = evaluate(cfg)

    out = tmp_path / "out"
    model, retrieval = result["systems"]["model"], result["systems"]["retrieval"]
    ids = sorted(f"{r['id']}.py" for r in records)
    for name in ("model", "retrieval"):
        assert sorted(p.name for p in (out / name / "programs").iterdir()) == ids
        assert (out / name / "metrics.md").is_file() and (out / name / "shapes.csv").is_file()
    # A random model writes no program that runs; the dataset retrieves itself.
    assert model["shapes"] == len(records) and model["all_shapes"]["success_rate"] == 0.0
    assert retrieval["all_shapes"]["success_rate"] == 1.0
    assert retrieval["all_shapes"]["mean"]["cd"] < 1e-4
    assert retrieval["all_shapes"]["mean"]["iou"] > 0.99
    with (out / "retrieval" / "matches.csv").open() as handle:
        matches = list(csv.DictReader(handle))
    assert all(m["match_id"] == m["id"] and float(m["distance"]) == 0.0 for m in matches)

    table = (out / "comparison.md").read_text()
    assert "| category | shapes | success % model | success % retrieval |" in table
    assert "| Bowl | 3 | 0.0 | 100.0 |" in table and "| Chair | 3 | 0.0 | 100.0 |" in table
    assert "2,048 points per surface (NOT the report setting (fast))" in table
    assert "model: " in table and "max_new_tokens 12" in table and "retrieval: the nearest of 6" in table
    assert result["comparison"] == str(out / "comparison.md")


@pytest.mark.blender
def test_a_model_alone_writes_its_programs_in_the_output_folder(tiny_dataset, random_model, tmp_path):
    cfg = _config(tiny_dataset, tmp_path / "out", model_dir=str(random_model), limit=2)
    result = evaluate(cfg)
    assert result["shapes"] == 2 and result["all_shapes"]["success_rate"] == 0.0
    assert len(list((tmp_path / "out" / "programs").glob("*.py"))) == 2
    assert not (tmp_path / "out" / "comparison.md").exists()
    with pytest.raises(EvaluationError, match="not a MeshCoder checkpoint"):
        evaluate(_config(tiny_dataset, tmp_path / "bad", model_dir=str(tmp_path)))
    with pytest.raises(EvaluationError, match="needs train_dataset"):
        evaluate(_config(tiny_dataset, tmp_path / "bad", baselines=["retrieval"]))


@pytest.mark.blender
def test_a_model_with_several_samples_writes_each(tiny_dataset, random_model, tmp_path):
    cfg = _config(
        tiny_dataset, tmp_path / "out", model_dir=str(random_model), limit=2,
        **{"generation.do_sample": True, "generation.num_return_sequences": 3},
    )  # fmt: skip
    result = evaluate(cfg)
    names = sorted(p.name for p in (tmp_path / "out" / "programs").glob("*.py"))
    assert len(names) == 6 and all("+" in n for n in names)
    assert result["best_of_n"] == 3
