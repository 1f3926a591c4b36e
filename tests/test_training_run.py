"""End-to-end training through ``train(cfg)`` on a synthetic dataset: fast_dev_run, the validation
callback's files and logged numbers, the portable model folder's round trip, and the speed monitor."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import torch
from hydra import compose, initialize_config_dir

from meshcoder.conf import CONFIG_DIR
from meshcoder.training.callbacks import ValidationGenerations
from meshcoder.training.train import train


@pytest.fixture(scope="module")
def boxes(tmp_path_factory, make_dataset) -> Path:
    return make_dataset(tmp_path_factory.mktemp("data") / "boxes")


@pytest.fixture(autouse=True)
def one_thread(single_torch_thread):
    yield


def compose_train(overrides: list[str]):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("train", overrides=overrides)


def base_overrides(out: Path, data: Path) -> list[str]:
    return [
        "experiment=tiny_cpu",
        "stages=null",  # one stage on the synthetic dataset (stages have their own tests)
        f"paths.output_dir={out}",
        f"data.root={data}",
        "generate_data=null",
        "data.num_points=1024",
        "data.batch_size=4",
        "logger=csv",
    ]


def test_fast_dev_run_without_blender(tmp_path, boxes):
    cfg = compose_train([*base_overrides(tmp_path, boxes), "debug=fdr", "callbacks=none"])
    metrics = train(cfg)
    assert torch.isfinite(torch.tensor(metrics["train/loss_epoch"]))
    assert 0 <= metrics["train/token_accuracy_epoch"] <= 1
    assert metrics["val/perplexity"] > 1
    folder = tmp_path / "model"
    assert (folder / "meshcoder.json").is_file() and (folder / "shape_tokenizer.safetensors").is_file()
    assert (folder / "train_config.yaml").read_text().count("tiny_cpu") >= 1


@pytest.mark.blender
def test_fast_dev_run_with_validation_callback(tmp_path, boxes):
    cfg = compose_train([*base_overrides(tmp_path, boxes), "debug=fdr"])
    metrics = train(cfg)
    assert "val/cd_per_success" in metrics and "val/success" in metrics
    epoch = tmp_path / "validation" / "epoch_000"
    assert (epoch / "metrics.md").is_file() and (epoch / "shapes.csv").is_file()
    assert len(list((epoch / "programs").glob("*.py"))) == 2
    assert len(list((tmp_path / "images" / "epoch_000").glob("*.png"))) == 2
    assert (tmp_path / "model" / "meshcoder.json").is_file()


class PerfectPredictions(ValidationGenerations):
    """Generates each shape's own program: every metric must then be (close to) perfect."""

    def generate(self, pl_module, items):
        programs = [it["program"] for it in items]
        return programs, [len(p) for p in programs], [True] * len(items), programs


@pytest.mark.blender
def test_validation_callback_scores_logs_and_renders(tmp_path, boxes):
    target = f"{PerfectPredictions.__module__}.{PerfectPredictions.__qualname__}"
    cfg = compose_train(
        [*base_overrides(tmp_path, boxes), "debug=limit", "trainer.max_epochs=1",
         f"callbacks.validation._target_={target}", "callbacks.validation.num_shapes=3",
         "logger=many"]
    )  # fmt: skip
    metrics = train(cfg)
    assert metrics["val/success"] == 1.0
    assert metrics["val/cd"] < 1e-3 and metrics["val/iou"] > 0.9 and metrics["val/fscore_2"] > 0.9
    assert metrics["val/cd_per_success"] == pytest.approx(metrics["val/cd"])
    # Programs run, so the checkpoint key is cd_per_success itself (not the loss fallback).
    assert metrics["val/select"] == pytest.approx(metrics["val/cd"])
    assert metrics["best/select"] == pytest.approx(metrics["val/cd"])
    assert (
        metrics["val/parse_rate"] == 1.0 and metrics["val/eos_rate"] == 1.0 and metrics["val/gen_tokens"] > 0
    )
    images = sorted((tmp_path / "images" / "epoch_000").glob("*.png"))
    assert len(images) == 3
    table = (tmp_path / "validation" / "epoch_000" / "metrics.md").read_text()
    assert "all shapes" in table and "16,384 points" in table
    history = (tmp_path / "validation" / "history.md").read_text()
    assert "| 0 |" in history
    with (tmp_path / "csv" / "metrics.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert any(r.get("val/cd_per_success") for r in rows), "cd_per_success did not reach the CSV logger"
    assert any(r.get("speed/tokens_per_s") for r in rows), "the speed monitor logged nothing"
    assert list((tmp_path / "tensorboard").glob("events.out.tfevents.*"))
    assert list((tmp_path / "checkpoints").glob("epoch_000.ckpt"))
    assert "epoch_000.ckpt" in (tmp_path / "model" / "SOURCE.txt").read_text()


def test_model_folder_round_trip_gives_identical_generations(tmp_path, boxes):
    """Train a LoRA tiny model briefly, export it, load it back: the same greedy programs."""
    from hydra.utils import instantiate
    from lightning import Trainer

    from meshcoder.models import load_pretrained
    from meshcoder.training.train import export_model

    cfg = compose_train([*base_overrides(tmp_path, boxes), "model.config.llm.finetune.mode=lora"])
    datamodule = instantiate(cfg.data)
    module = instantiate(cfg.model, training_texts=datamodule.training_texts())
    trainer = Trainer(max_steps=3, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                      limit_val_batches=0, accelerator="cpu", enable_model_summary=False)  # fmt: skip
    trainer.fit(module, datamodule=datamodule)
    folder = export_model(module, trainer, tmp_path / "model", cfg)
    assert (folder / "adapter").is_dir(), "a LoRA model keeps its adapter in the folder"
    loaded = load_pretrained(folder)
    item = datamodule.dataset("val")[0]
    points, normals = [item["points"]] * 2, [item["normals"]] * 2
    module.model.eval()
    expected = module.model.generate_tokens(points, normals=normals, max_new_tokens=40)
    got = loaded.generate_tokens(points, normals=normals, max_new_tokens=40)
    assert torch.equal(expected.ids, got.ids)
    lora = {k: v for k, v in module.model.llm.state_dict().items() if "lora_B" in k}
    assert lora and any(v.abs().sum() > 0 for v in lora.values()), (
        "LoRA did not train: the test proves nothing"
    )
