"""Train MeshCoder from a composed config (``conf/train.yaml``): :func:`train` is what the
``meshcoder-train`` command (:mod:`meshcoder.cli.train`, the only place Hydra parses a command line) and
the tests call.

The run folder (``paths.output_dir``) receives ``checkpoints/`` (Lightning checkpoints: resume exactly
with ``ckpt_path=``), ``model/`` (the portable folder of the best checkpoint by ``val/select``,
or of the final weights when none was kept: shape tokenizer, LoRA adapter, tokenizer, ``meshcoder.json``
and the resolved ``train_config.yaml``), ``validation/``, ``images/`` and the loggers' folders.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

import torch
from omegaconf import DictConfig, OmegaConf

log = logging.getLogger(__name__)

MODEL_FOLDER = "model"
CONFIG_FILE = "train_config.yaml"


class TrainingError(ValueError):
    """A configuration problem that stops training; the message says what to fix."""


def train(cfg: DictConfig) -> dict[str, float]:
    """Train as ``cfg`` (a composed ``conf/train.yaml``) says; returns the final metrics.

    With a ``stages`` section (an ordered mapping of stage name to config overrides), the stages run one
    after the other on the same model, each in ``<output_dir>/<k>_<name>/`` with its own data, trainer
    and callbacks (a section whose ``_target_`` changes is replaced, others are merged); the last
    stage's model folder is also written to ``<output_dir>/model``. The CPU recipes use this for text
    pretraining, then part-to-code, then objects with point clouds. ``ckpt_path`` (an exact resume)
    applies to single-stage runs; to continue a staged run, skip the finished stages and start from the
    last finished one: ``stages.text=null init_from=<output_dir>/1_text/model``.

    Returns:
        ``trainer.callback_metrics`` as floats (``train/loss``, ``val/loss``, ``val/cd_per_success``, ...),
        plus ``speed/*`` totals of the speed monitor and ``best/<monitor>`` when a checkpoint was kept;
        with stages, the last stage's, plus ``time/fit_s`` over all stages.
    """
    _check(cfg)
    if cfg.get("threads"):
        torch.set_num_threads(int(cfg.threads))
    output_dir = Path(cfg.paths.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    model = None
    if cfg.get("init_from"):
        from meshcoder.models import load_pretrained

        log.info("starting from the weights in %s", cfg.init_from)
        model = load_pretrained(cfg.init_from, trainable=True, llm_path=cfg.get("init_llm_path"))
    stages = cfg.get("stages")
    if not stages:
        metrics, _ = _fit(cfg, model)
        _link_latest(cfg, output_dir)
        return metrics
    plan = [(name, overrides) for name, overrides in stages.items() if overrides is not None]
    if not plan:
        raise TrainingError("every stage under 'stages' is null: nothing to train")
    total = 0.0
    folder = None
    for k, (name, overrides) in enumerate(plan, start=1):
        stage_cfg = stage_config(cfg, name, overrides, output_dir / f"{k}_{name}")
        log.info("stage %d/%d: %s -> %s", k, len(plan), name, stage_cfg.paths.output_dir)
        metrics, module = _fit(stage_cfg, model)
        model = module.model
        total += metrics["time/fit_s"]
        folder = Path(stage_cfg.paths.output_dir) / MODEL_FOLDER
    metrics["time/fit_s"] = total
    if folder is not None and folder.is_dir() and _global_rank() == 0:
        shutil.rmtree(output_dir / MODEL_FOLDER, ignore_errors=True)
        shutil.copytree(folder, output_dir / MODEL_FOLDER)
        log.info("final model folder: %s", output_dir / MODEL_FOLDER)
    _link_latest(cfg, output_dir)
    return metrics


def _link_latest(cfg: DictConfig, output_dir: Path) -> None:
    """Point ``<runs_dir>/<run_name>/latest`` at this run, when the run lives in that folder (the
    default), so ``make train``'s model is always at ``runs/tiny_cpu/latest/model``."""
    if _global_rank() != 0:
        return
    parent = Path(cfg.paths.runs_dir) / str(cfg.get("run_name", "train"))
    try:
        if output_dir.resolve().parent != parent.resolve():
            return
        link = parent / "latest"
        tmp = parent / ".latest.tmp"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(output_dir.name)
        tmp.replace(link)
    except OSError as err:  # a file system without links: the run is still where the log says
        log.warning("could not link %s/latest: %s", parent, err)


def stage_config(cfg: DictConfig, name: str, overrides: DictConfig | dict, output_dir: Path) -> DictConfig:
    """The config of one stage: ``cfg`` without ``stages``, with the stage's ``overrides`` applied and its
    own run folder. A section whose ``_target_`` differs from the base's is replaced, not merged (a
    text-stage data module takes other arguments than the dataset one)."""
    base = OmegaConf.to_container(cfg, resolve=False)
    base.pop("stages", None)
    base.pop("init_from", None)  # the first stage starts from it, the others from the stage before
    base.pop("ckpt_path", None)  # a Lightning checkpoint belongs to one stage: see the docstring
    extra = OmegaConf.to_container(OmegaConf.create(overrides), resolve=False) if overrides else {}
    for key, value in list(extra.items()):
        old = base.get(key)
        if (
            isinstance(value, dict)
            and isinstance(old, dict)
            and value.get("_target_")
            not in (
                None,
                old.get("_target_"),
            )
        ):
            base[key] = value
            del extra[key]
    merged = OmegaConf.merge(OmegaConf.create(base), OmegaConf.create(extra))
    merged.paths.output_dir = str(output_dir)
    merged.run_name = f"{cfg.get('run_name', 'train')}/{name}"
    return merged


def _fit(cfg: DictConfig, model=None) -> tuple[dict[str, float], Any]:
    """One Lightning fit as ``cfg`` says, starting from ``model`` when given; writes the model folder."""
    import lightning as L
    from hydra.utils import instantiate

    from meshcoder.training.callbacks import SpeedMonitor

    if cfg.get("seed") is not None:
        L.seed_everything(int(cfg.seed), workers=True)
    output_dir = Path(cfg.paths.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    datamodule = instantiate(cfg.data)
    small = _debug_dataset(datamodule, cfg)
    if small is not None:  # a debug run whose dataset is not made yet: the objects its batches read
        cfg = OmegaConf.merge(cfg, small)
        datamodule = instantiate(cfg.data)
    _prepare_data(datamodule, cfg)
    texts = datamodule.training_texts() if model is None and _needs_texts(cfg) else None
    module = instantiate(cfg.model, training_texts=texts, model=model)
    log.info("model parameters: %s", module.model.parameter_counts())

    callbacks = _instantiate_all(cfg.get("callbacks"))
    loggers = _instantiate_all(cfg.get("logger"))
    trainer: L.Trainer = instantiate(cfg.trainer, callbacks=callbacks, logger=loggers)
    for logger in trainer.loggers:
        logger.log_hyperparams(OmegaConf.to_container(cfg, resolve=True))

    start = time.perf_counter()
    trainer.fit(module, datamodule=datamodule, ckpt_path=cfg.get("ckpt_path"))
    seconds = time.perf_counter() - start

    metrics = {k: float(v) for k, v in trainer.callback_metrics.items() if _is_number(v)}
    metrics["time/fit_s"] = seconds
    for callback in trainer.callbacks:
        if isinstance(callback, SpeedMonitor):
            metrics.update({f"speed/{k}": v for k, v in callback.summary().items()})
    best = trainer.checkpoint_callback
    if best is not None and best.best_model_score is not None:
        metrics["best/" + str(best.monitor).split("/")[-1]] = float(best.best_model_score)
    if trainer.is_global_zero:
        folder = export_model(module, trainer, output_dir / MODEL_FOLDER, cfg)
        log.info("portable model folder: %s", folder)
        _print_summary(output_dir, metrics)
    return metrics, module


def export_model(module, trainer, folder: Path, cfg: DictConfig | None = None) -> Path:
    """Write the portable model folder: the best checkpoint's weights when one was kept, else the module's
    current weights; with the resolved config beside them."""
    from meshcoder.models import save_pretrained

    best_path = getattr(trainer.checkpoint_callback, "best_model_path", "") or ""
    source = "final weights"
    if best_path and Path(best_path).is_file():
        state = torch.load(best_path, map_location="cpu", weights_only=False)["state_dict"]
        current = {k: v.detach().clone() for k, v in module.state_dict().items()}
        module.load_state_dict(state)
        save_pretrained(module.model, folder)
        module.load_state_dict(current)
        source = best_path
    else:
        save_pretrained(module.model, folder)
    if cfg is not None:
        (folder / CONFIG_FILE).write_text(OmegaConf.to_yaml(cfg, resolve=True))
    (folder / "SOURCE.txt").write_text(f"weights from: {source}\n")
    return folder


def _check(cfg: DictConfig) -> None:
    missing = sorted(OmegaConf.missing_keys(cfg))
    if missing:
        raise TrainingError(
            f"these settings have no value: {', '.join(missing)}; give them on the command line, e.g. "
            f"{missing[0]}=..."
        )
    unset = [key for key in cfg.get("required") or () if OmegaConf.select(cfg, key) is None]
    if unset:
        raise TrainingError(f"this experiment needs {', '.join(unset)}: give them on the command line")
    for key in ("data", "model", "trainer", "paths"):
        if cfg.get(key) is None:
            raise TrainingError(f"the config has no '{key}' section; compose it from conf/train.yaml")


def _instantiate_all(section: DictConfig | None) -> list[Any]:
    """Every ``_target_`` entry of a group such as ``callbacks`` or ``logger`` (None entries skipped)."""
    from hydra.utils import instantiate

    if not section:
        return []
    return [instantiate(entry) for entry in section.values() if entry is not None and "_target_" in entry]


def _global_rank() -> int:
    for name in ("RANK", "SLURM_PROCID", "LOCAL_RANK"):
        if os.environ.get(name):
            return int(os.environ[name])
    return 0


def _prepare_data(datamodule, cfg: DictConfig) -> None:
    """Rank zero has the data module make its dataset when it is missing
    (:meth:`~meshcoder.data.datamodule.ShapeProgramDataModule.prepare_data`); other ranks wait for it."""
    from meshcoder.data.datamodule import MissingDatasetError

    if getattr(datamodule, "root", None) is None:  # generated texts: nothing on disk to prepare
        return
    try:
        if _global_rank() == 0:
            datamodule.prepare_data()
        else:
            datamodule.wait_for_data(float(cfg.get("data_wait_s", 3600)))
    except MissingDatasetError as err:
        raise TrainingError(f"rank {_global_rank()}: {err}" if _global_rank() else str(err)) from None


def debug_items(cfg: DictConfig) -> tuple[int, int] | None:
    """Training and validation records a debug run reads (``fast_dev_run``, ``overfit_batches`` or a
    whole number of ``limit_train_batches``), or None when it reads whole epochs. Validation needs as
    many as the validation callback generates from (at least one)."""
    trainer = cfg.get("trainer") or {}
    fast = trainer.get("fast_dev_run")
    overfit = trainer.get("overfit_batches")
    limit = trainer.get("limit_train_batches")
    if fast:
        batches = 1 if fast is True else int(fast)
    elif isinstance(overfit, int) and overfit > 0:
        batches = overfit
    elif isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        batches = limit
    else:
        return None
    shapes = OmegaConf.select(cfg, "callbacks.validation.num_shapes", default=None)
    return batches * int(cfg.data.get("batch_size", 1)), max(1, int(shapes or 1))


def _debug_dataset(datamodule, cfg: DictConfig) -> dict | None:
    """For a debug run (``debug_data``, set by the ``debug/`` presets) whose dataset would be generated
    and is not there yet: config overrides that point ``data.root`` at a small dataset of its own (made
    once, then reused) holding just the records its batches read
    (:meth:`~meshcoder.data.datamodule.ShapeProgramDataModule.debug_dataset`). None otherwise (an
    existing dataset is used as it is)."""
    from meshcoder.data.datamodule import DebugDatasetError

    if not cfg.get("debug_data") or not hasattr(datamodule, "debug_dataset"):
        return None
    needed = debug_items(cfg)
    if needed is None:
        return None
    try:
        small = datamodule.debug_dataset(*needed)
    except DebugDatasetError as err:
        raise TrainingError(str(err)) from None
    if small is None:
        return None
    root, generate = small
    return {"data": {"root": str(root)}, "generate_data": generate}


def _needs_texts(cfg: DictConfig) -> bool:
    """Whether the model's tokenizer is trained on the programs (the tiny LLM's BPE, ``tokenizer: auto``)."""
    llm = OmegaConf.select(cfg, "model.config.llm")
    return llm is None or (llm.get("source", "tiny") == "tiny" and llm.get("tokenizer", "auto") == "auto")


def _is_number(value: Any) -> bool:
    if isinstance(value, torch.Tensor):
        return value.numel() == 1
    return isinstance(value, int | float)


def _print_summary(output_dir: Path, metrics: dict[str, float]) -> None:
    history = output_dir / "validation" / "history.md"
    if history.is_file():
        log.info("\n%s", history.read_text())
    keys = ("val/success", "val/parse_rate", "val/eos_rate", "val/cd", "val/iou", "val/cd_per_success",
            "train/loss_epoch", "val/loss")  # fmt: skip
    shown = ", ".join(f"{k} {metrics[k]:.4g}" for k in keys if k in metrics)
    log.info("done in %s: %s", output_dir, shown)
