"""Every training config composes, and its parts instantiate (heavy parts swapped for tiny ones), so no
shipped config rots. The FSDP strategy object is built but never run (Lightning refuses it on CPU)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate
from omegaconf import OmegaConf

from meshcoder.conf import CONFIG_DIR
from meshcoder.training.train import TrainingError, _check, _instantiate_all

GROUPS = ("data", "model", "trainer", "callbacks", "logger", "paths", "experiment", "debug")
TINY_TEXTS = ["create_primitive(name='a', primitive_type='cube', location=[0, 0, 0], scale=[1, 1, 1])"] * 4


def options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))


def compose_train(overrides: list[str], tmp_path: Path):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("train", overrides=[f"paths.output_dir={tmp_path}", *overrides])


def test_every_group_has_options():
    for group in GROUPS:
        assert options(group), f"conf/{group} is empty"
    assert {"tiny_cpu", "smollm2_lora", "paper_part", "paper_object"} <= set(options("experiment"))
    assert {"fdr", "overfit", "limit"} <= set(options("debug"))
    assert {"cpu", "gpu", "ddp", "fsdp"} <= set(options("trainer"))
    assert {"tiny", "smollm2_135m", "llama32_1b"} <= set(options("model"))


@pytest.mark.parametrize(
    "group,option",
    [(g, o) for g in ("data", "model", "trainer", "callbacks", "logger", "debug") for o in options(g)],
)
def test_group_option_composes(group, option, tmp_path):
    cfg = compose_train([f"{group}={option}"], tmp_path)
    assert cfg.get(group) is not None or group == "debug"
    # Everything resolves except values the user must give (???).
    OmegaConf.to_container(cfg, resolve=False)


@pytest.mark.parametrize("experiment", options("experiment"))
def test_experiment_composes_and_instantiates_with_tiny_parts(experiment, tmp_path):
    cfg = compose_train([f"experiment={experiment}"], tmp_path)
    assert cfg.run_name == experiment
    # The experiment's own model config builds its MeshCoderConfig (a dataclass; no weights loaded).
    model_cfg = OmegaConf.to_container(cfg.model.config, resolve=False)
    if OmegaConf.is_missing(cfg.model.config.llm, "path"):
        model_cfg["llm"]["path"] = "/nonexistent/llama"
    config = instantiate(OmegaConf.create(model_cfg), _convert_="all")
    assert type(config).__name__ == "MeshCoderConfig"
    assert config.llm.finetune.mode in ("lora", "full")

    # Heavy parts replaced: tiny model, one CPU device; the strategy (FSDP included) is built separately.
    tiny = compose_train(
        [f"experiment={experiment}", "model=tiny", "trainer.accelerator=cpu", "trainer.devices=1",
         "trainer.num_nodes=1", "trainer.precision=32-true", "data.root=/nonexistent", "init_from=null"],
        tmp_path,
    )  # fmt: skip
    module = instantiate(tiny.model, training_texts=TINY_TEXTS)
    groups = module.parameter_groups()
    assert [g["name"] for g in groups] == ["shape_tokenizer", "llm"]
    callbacks = _instantiate_all(tiny.callbacks)
    loggers = _instantiate_all(tiny.logger)
    assert any(type(c).__name__ == "ValidationGenerations" for c in callbacks)
    strategy = tiny.trainer.get("strategy")
    trainer_cfg = OmegaConf.to_container(tiny.trainer, resolve=True)
    trainer_cfg.pop("strategy", None)
    trainer = instantiate(OmegaConf.create(trainer_cfg), callbacks=callbacks, logger=loggers)
    assert trainer.max_epochs == cfg.trainer.max_epochs
    if strategy is not None:
        built = instantiate(strategy)
        assert type(built).__name__ in ("DDPStrategy", "FSDPStrategy")
    data = instantiate(tiny.data)
    assert data.batch_size == cfg.data.batch_size


def test_paper_recipe_values(tmp_path):
    for name, epochs, accumulation in (("paper_part", 20, 8), ("paper_object", 10, 4)):
        cfg = compose_train([f"experiment={name}"], tmp_path)
        t = cfg.trainer
        global_batch = cfg.data.batch_size * t.accumulate_grad_batches * t.devices * t.num_nodes
        assert (t.max_epochs, t.accumulate_grad_batches) == (epochs, accumulation)
        assert global_batch == (512 if name == "paper_part" else 256)
        assert t.precision == "bf16-mixed"
        assert t.strategy._target_.endswith("FSDPStrategy")
        ft = cfg.model.config.llm.finetune
        assert (ft.mode, ft.lora_rank, ft.lora_alpha, ft.lora_dropout) == ("lora", 16, 32.0, 0.05)
        assert list(ft.lora_target_modules) == ["q_proj", "v_proj"]
        assert cfg.model.lr_llm == cfg.model.lr_shape_tokenizer == 1e-4
        assert cfg.model.optimizer.weight_decay == 0.0 and cfg.model.scheduler is None
        assert OmegaConf.is_missing(cfg.model.config.llm, "path")
    with pytest.raises(TrainingError, match="init_from"):
        cfg = compose_train(["experiment=paper_object", "model.config.llm.path=/x", "data.root=/x"], tmp_path)
        _check(cfg)


def test_fsdp_strategy_builds_with_wrap_policy(tmp_path):
    cfg = compose_train(["trainer=fsdp"], tmp_path)
    strategy = instantiate(cfg.trainer.strategy)
    assert type(strategy).__name__ == "FSDPStrategy"
    assert strategy.kwargs.get("use_orig_params") is True
    policy = strategy.kwargs.get("auto_wrap_policy")
    assert policy is not None and "LlamaDecoderLayer" in repr(getattr(policy, "_module_classes", policy))


def test_missing_values_are_reported(tmp_path):
    cfg = compose_train(["data=released"], tmp_path)
    with pytest.raises(TrainingError, match=r"data\.root"):
        _check(cfg)


@pytest.mark.parametrize("launcher", ["train_slurm", "train_local"])
def test_launchers_compose(launcher, tmp_path):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(
            "train",
            overrides=[f"hydra/launcher={launcher}", f"paths.output_dir={tmp_path}"],
            return_hydra_config=True,
        )
    launcher_cfg = cfg.hydra.launcher
    assert "submitit" in launcher_cfg._target_
    for key in ("timeout_min", "tasks_per_node", "nodes", "mem_gb", "cpus_per_task", "gpus_per_node"):
        assert key in launcher_cfg
    if launcher == "train_slurm":
        assert "partition" in launcher_cfg
        assert launcher_cfg.tasks_per_node == cfg.trainer.devices


@pytest.mark.skipif(importlib.util.find_spec("wandb") is None, reason="wandb is not installed")
def test_wandb_logger_instantiates(tmp_path):
    cfg = compose_train(["logger=wandb"], tmp_path)
    assert _instantiate_all(cfg.logger)


def test_other_commands_configs_still_compose():
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        ev = compose("eval", overrides=["predictions=p", "dataset=d"])
        dg = compose("datagen")
    assert ev.split == "test" and dg.out_dir


def test_shared_values_have_one_home(tmp_path):
    """The executor's and the point count's YAML values are the Python defaults, and every command's
    config reads them from there."""
    from meshcoder.geometry.inputs import MODEL_INPUT_POINTS
    from meshcoder.shapes import executor

    pool = OmegaConf.load(CONFIG_DIR / "executor" / "default.yaml")
    assert instantiate(pool) == executor.ExecutorConfig()
    assert (pool.num_workers, pool.timeout, pool.memory_limit_gb) == (
        executor.DEFAULT_NUM_WORKERS,
        executor.DEFAULT_TIMEOUT,
        executor.DEFAULT_MEMORY_LIMIT_GB,
    )
    assert OmegaConf.load(CONFIG_DIR / "protocol.yaml").protocol.input_points == MODEL_INPUT_POINTS
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        ev = compose("eval", overrides=["predictions=p", "dataset=d", "executor.timeout=3"])
        dg = compose("datagen", overrides=["executor.timeout=4", "workers=2"])
        dg_default = compose("datagen")
    assert instantiate(ev.executor) == executor.ExecutorConfig(timeout=3.0)
    assert ev.selection.points == MODEL_INPUT_POINTS
    assert (dg.timeout, dg.workers, dg.points) == (4.0, 2, MODEL_INPUT_POINTS)
    assert (dg_default.timeout, dg_default.workers) == (executor.DEFAULT_TIMEOUT, None)
    cfg = compose_train(["callbacks.validation.executor.timeout=5"], tmp_path)
    assert cfg.data.num_points == MODEL_INPUT_POINTS
    callback = instantiate(cfg.callbacks.validation)
    assert callback.executor == executor.ExecutorConfig(num_workers=1, timeout=5.0)
    assert compose_train(["experiment=paper_part"], tmp_path).callbacks.validation.executor.num_workers == 16


def test_executor_config_refuses_bad_values():
    from meshcoder.shapes.executor import ExecutorConfig

    for bad in ({"num_workers": 0}, {"timeout": 0.0}, {"memory_limit_gb": -1.0}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            ExecutorConfig(**bad)


def test_tiny_model_config_is_the_python_preset():
    """``conf/model/tiny.yaml`` (what ``make train`` trains) and ``MeshCoderConfig.tiny`` describe one model:
    full fine-tuning over the program tokenizer (the shape tokenizer's output width is set at build)."""
    from dataclasses import replace

    from meshcoder.models import MeshCoderConfig

    built = instantiate(OmegaConf.load(CONFIG_DIR / "model" / "tiny.yaml").config, _convert_="all")
    preset = MeshCoderConfig.tiny(finetune="full", tokenizer="program")
    assert built.llm.finetune.mode == "full"
    width = preset.shape_tokenizer.output_dim
    assert replace(built, shape_tokenizer=replace(built.shape_tokenizer, output_dim=width)) == preset
