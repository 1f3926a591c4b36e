"""The CPU recipe's pieces: generated program texts (the text stage), staged runs through ``train(cfg)``,
the checkpoint key while nothing runs yet, the wall-clock learning-rate schedule, and half-size model
folders."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import torch
from hydra import compose, initialize_config_dir

from meshcoder.conf import CONFIG_DIR
from meshcoder.data.pipeline import split_of
from meshcoder.data.text_stream import GeneratedProgramDataModule, GeneratedPrograms, resolve_generator_names
from meshcoder.training.module import SELECT_FALLBACK, warmup_cosine
from meshcoder.training.train import stage_config, train


@pytest.fixture(autouse=True)
def one_thread(single_torch_thread):
    yield


def compose_train(overrides: list[str]):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("train", overrides=overrides)


# ------------------------------------------------------------------------------------ text stream
def test_generated_programs_follow_the_train_split_and_cover_every_generator():
    names = resolve_generator_names(["Bowl", "Chair"], ["Primitive"])
    stream = GeneratedPrograms(names, "train", length=30, seed=3)
    items = list(stream)
    assert len(items) == 30
    assert {it["category"] for it in items} == {"Bowl", "Chair", "Primitive"}
    for it in items:
        seed = it["id"] % 10_000_000
        assert split_of(it["category"], seed) == "train"
        assert it["program"].startswith("import bpy")
    # The next pass continues the stream: no program repeats between epochs.
    again = list(stream)
    assert not {it["id"] for it in items} & {it["id"] for it in again}


def test_fixed_stream_repeats_and_val_seeds_differ_from_train():
    names = resolve_generator_names(["Plate"], None)
    val = GeneratedPrograms(names, "val", length=6, seed=1, fixed=True)
    first, second = [it["id"] for it in val], [it["id"] for it in val]
    assert first == second
    train_ids = {it["id"] for it in GeneratedPrograms(names, "train", length=60, seed=1)}
    assert not set(first) & train_ids


def test_generator_selection_errors_are_clear():
    with pytest.raises(ValueError, match="no generators selected"):
        resolve_generator_names([], None)
    with pytest.raises(Exception, match="Nope"):
        resolve_generator_names(["Nope"], None)
    with pytest.raises(ValueError, match="held-out"):
        GeneratedPrograms(["Bowl"], seed_limit=10**9)


def test_text_datamodule_batches_have_programs_and_no_points():
    dm = GeneratedProgramDataModule(categories=["Bowl"], part_types=None, programs_per_epoch=6, batch_size=4)
    batches = list(dm.train_dataloader())
    assert [len(b["programs"]) for b in batches] == [4, 2]
    assert "points" not in batches[0]
    assert len(dm.training_texts(count=3)) == 3


# ----------------------------------------------------------------------------------- stage configs
def test_stage_config_replaces_a_section_whose_target_changes(tmp_path):
    cfg = compose_train(["experiment=tiny_cpu", f"paths.output_dir={tmp_path}"])
    assert list(cfg.stages) == ["text", "part", "object"]
    text = stage_config(cfg, "text", cfg.stages.text, tmp_path / "1_text")
    assert text.data._target_.endswith("GeneratedProgramDataModule")
    assert "root" not in text.data  # replaced, not merged with the dataset module's arguments
    assert text.callbacks.validation is None and text.callbacks.model_checkpoint.monitor == "val/loss"
    assert text.paths.output_dir == str(tmp_path / "1_text") and "stages" not in text
    part = stage_config(cfg, "part", cfg.stages.part, tmp_path / "2_part")
    assert part.data.root.endswith("tiny_cpu_parts") and part.data.batch_size == cfg.data.batch_size
    assert part.callbacks.validation.output_dir == str(tmp_path / "2_part")
    assert part.generate_data.part_types == "all" and part.generate_data.workers is None


def test_shipped_recipe_composes_with_time_budgets(tmp_path):
    cfg = compose_train(["experiment=cpu_shipped", f"paths.output_dir={tmp_path}"])
    for name in ("text", "part", "object"):
        stage = stage_config(cfg, name, cfg.stages[name], tmp_path / name)
        assert stage.trainer.max_time and stage.model.scheduler.total_seconds > 0
    assert cfg.model.config.llm.tokenizer == "program"


@pytest.mark.slow
def test_staged_run_text_then_objects(tmp_path, make_dataset):
    data = make_dataset(tmp_path / "boxes")
    cfg = compose_train(
        [
            "experiment=tiny_cpu",
            f"paths.output_dir={tmp_path / 'run'}",
            f"data.root={data}",
            "generate_data=null",
            "data.num_points=512",
            "data.batch_size=4",
            "logger=csv",
            "debug=fdr",
            "callbacks=none",
            "stages.part=null",
            "stages.text.data.categories=[Bowl]",
            "stages.text.data.part_types=null",
            "stages.text.data.batch_size=2",
        ]
    )
    metrics = train(cfg)
    run = tmp_path / "run"
    assert (run / "1_text" / "model" / "meshcoder.json").is_file()
    assert (run / "2_object" / "model" / "meshcoder.json").is_file()
    assert (run / "model" / "meshcoder.json").is_file()
    assert metrics["time/fit_s"] > 0 and torch.isfinite(torch.tensor(metrics["train/loss_epoch"]))


# ------------------------------------------------------------------------------ checkpoint key
class _Scored:
    def __init__(self, epoch: int, metrics: dict):
        self.ran_epoch, self.last_metrics = epoch, metrics


class _Trainer:
    sanity_checking = False

    def __init__(self, callbacks):
        self.callbacks = callbacks


def _select(metrics: dict, loss: float, monkeypatch) -> float | None:
    from meshcoder.models import MeshCoderConfig
    from meshcoder.training.module import MeshCoderModule

    module = MeshCoderModule(MeshCoderConfig.tiny(), training_texts=["create_primitive(name='a_1')"])
    logged = {}
    monkeypatch.setattr(type(module), "trainer", _Trainer([_Scored(0, metrics)]), raising=False)
    monkeypatch.setattr(type(module), "current_epoch", 0, raising=False)
    monkeypatch.setattr(module, "log", lambda name, value, **kw: logged.__setitem__(name, value))
    module._val_loss = [loss * 10, 10]
    module.on_validation_epoch_end()
    return logged.get("val/select")


def test_select_falls_back_to_the_loss_while_nothing_runs(monkeypatch):
    assert _select({"success": 0.0, "cd_per_success": 1e9}, 2.5, monkeypatch) == pytest.approx(
        SELECT_FALLBACK + 2.5
    )
    assert _select({"success": 0.5, "cd_per_success": 0.04}, 2.5, monkeypatch) == pytest.approx(0.04)
    # Any checkpoint whose programs run ranks above every one whose programs do not.
    assert _select({"success": 0.06, "cd_per_success": 90.0}, 0.1, monkeypatch) < SELECT_FALLBACK


# ------------------------------------------------------------------------------ the schedule
def test_warmup_cosine_by_wall_clock(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    sched = warmup_cosine(opt, total_steps=10_000, warmup_steps=0, min_lr_ratio=0.1, total_seconds=60)
    assert opt.param_groups[0]["lr"] == pytest.approx(1.0)
    now[0] += 30  # half the time budget: half-way down the cosine, although few steps were taken
    opt.step()
    sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.55)
    now[0] += 100
    opt.step()
    sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="total_seconds"):
        warmup_cosine(opt, total_steps=10, total_seconds=0)


# ------------------------------------------------------------------------------ model folders
def test_model_folder_stored_in_bfloat16_loads_back_close(tmp_path: Path):
    from meshcoder.models import MeshCoderConfig, build_meshcoder, load_pretrained, save_pretrained

    model = build_meshcoder(
        MeshCoderConfig.tiny(finetune="full"), training_texts=["create_primitive(name='a_1')"]
    )
    full = save_pretrained(model, tmp_path / "full")
    half = save_pretrained(model, tmp_path / "half", storage_dtype="bfloat16")
    size = lambda folder: sum(f.stat().st_size for f in folder.rglob("*.safetensors"))  # noqa: E731
    assert size(half) < 0.6 * size(full)
    loaded = load_pretrained(half)
    assert next(loaded.llm.parameters()).dtype == torch.float32
    for (name, a), (_, b) in zip(model.state_dict().items(), loaded.state_dict().items()):
        assert torch.allclose(a.float(), b.float(), rtol=1e-2, atol=1e-2), name
    with pytest.raises(ValueError, match="storage_dtype"):
        save_pretrained(model, tmp_path / "bad", storage_dtype="int3")


def test_pack_command_writes_a_smaller_loadable_folder(tmp_path: Path, capsys):
    from meshcoder.cli import main
    from meshcoder.models import MeshCoderConfig, build_meshcoder, load_pretrained, save_pretrained

    model = build_meshcoder(
        MeshCoderConfig.tiny(finetune="full"), training_texts=["create_primitive(name='a_1')"]
    )
    source = save_pretrained(model, tmp_path / "model")
    (source / "train_config.yaml").write_text("data:\n  num_points: 2048\n")
    assert main(["pack", str(source), "-o", str(tmp_path / "packed")]) == 0
    assert "bfloat16" in capsys.readouterr().out
    packed = tmp_path / "packed"
    assert (packed / "train_config.yaml").is_file()  # the trained point count travels with the weights
    assert load_pretrained(packed).config == load_pretrained(source).config
    assert main(["pack", str(tmp_path), "-o", str(tmp_path / "x")]) == 2  # not a model folder
