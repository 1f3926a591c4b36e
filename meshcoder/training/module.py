"""The LightningModule: one shared step (program-token cross-entropy from the model), token accuracy and
perplexity for ``train/`` and ``val/``, and two parameter groups (shape tokenizer; LLM or its LoRA
adapter) with their own learning rates. The maths lives in :mod:`meshcoder.models`; this holds the loop.

>>> module = MeshCoderModule(MeshCoderConfig.tiny(), optimizer=partial(torch.optim.AdamW),
...                          training_texts=programs)                   # doctest: +SKIP
>>> trainer.fit(module, datamodule=ShapeProgramDataModule(...))         # doctest: +SKIP

Batches are the data module's dicts (``points``, ``normals``, ``points_mask``, ``programs``, ...); the
step tokenizes the programs with the model's own prompt template, so the data knows nothing of the
tokenizer.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import torch
from lightning import LightningModule

from meshcoder.models import MeshCoder, MeshCoderConfig, build_meshcoder, collate
from meshcoder.models.prompt import MeshCoderBatch

OptimizerFactory = Callable[..., torch.optim.Optimizer]
SchedulerFactory = Callable[..., torch.optim.lr_scheduler.LRScheduler]
RNG_KEY = "meshcoder_rng_states"
#: ``val/select`` while no validation program succeeds: this plus the validation loss. Far above any
#: ``cd_per_success`` (at most about 8 / 0.001 in the metric frame only when success is 0.1%).
SELECT_FALLBACK = 1e4


class MeshCoderModule(LightningModule):
    """Trains a :class:`~meshcoder.models.MeshCoder`.

    Args:
        config: the model to build (ignored when ``model`` is given).
        optimizer: a factory ``optimizer(params) -> Optimizer`` (a Hydra ``_partial_``); it receives two
            parameter groups carrying their own ``lr``.
        lr_shape_tokenizer: learning rate of the shape tokenizer.
        lr_llm: learning rate of the LLM's trainable parameters (the LoRA adapter under LoRA).
        scheduler: a factory ``scheduler(optimizer) -> LRScheduler`` or None (constant rate). When it
            takes a ``total_steps`` argument left unset, the trainer's estimated step count is given.
        scheduler_interval: ``step`` or ``epoch``: when the scheduler steps.
        training_texts: program texts for the tiny LLM's tokenizer (BPE trained on them).
        model: an already built model (e.g. ``load_pretrained(folder, trainable=True)``) to train instead.
    """

    def __init__(
        self,
        config: MeshCoderConfig | None = None,
        optimizer: OptimizerFactory | None = None,
        lr_shape_tokenizer: float = 1e-4,
        lr_llm: float = 1e-4,
        scheduler: SchedulerFactory | None = None,
        scheduler_interval: str = "step",
        training_texts: Iterable[str] | None = None,
        model: MeshCoder | None = None,
    ) -> None:
        super().__init__()
        if model is None and config is None:
            raise ValueError("give a MeshCoderConfig (config=...) or a built model (model=...)")
        if scheduler_interval not in ("step", "epoch"):
            raise ValueError(f"scheduler_interval {scheduler_interval!r}: use 'step' or 'epoch'")
        self.model = model if model is not None else build_meshcoder(config, training_texts=training_texts)
        self.optimizer_factory = optimizer or torch.optim.AdamW
        self.scheduler_factory = scheduler
        self.scheduler_interval = scheduler_interval
        self.lr_shape_tokenizer = float(lr_shape_tokenizer)
        self.lr_llm = float(lr_llm)
        self._val_loss = [0.0, 0]  # summed token loss and token count of this validation epoch
        # The model config (not the texts or factories) describes the run in the checkpoint.
        self.save_hyperparameters(
            {
                "config": self.model.config.to_dict(),
                "lr_shape_tokenizer": self.lr_shape_tokenizer,
                "lr_llm": self.lr_llm,
                "scheduler_interval": scheduler_interval,
            }
        )

    # ------------------------------------------------------------------------------------ the step
    def shared_step(self, batch: dict, stage: str) -> dict[str, torch.Tensor | int]:
        """Loss, token accuracy and perplexity of one batch, logged under ``stage/``.

        A batch without ``points`` (the text stage: generated program texts) trains the LLM on the
        programs alone, with zeros in the shape positions."""
        if batch.get("points") is None:
            tokens = self.model.template.token_batch(batch["programs"], len(batch["programs"]))
            inputs = MeshCoderBatch(points=None, normals=None, points_mask=None, **tokens).to(self.device)
        else:
            inputs = collate(
                self.model.template,
                batch["points"],
                batch["programs"],
                normals=batch.get("normals"),
                points_mask=batch.get("points_mask"),
            ).to(self.device)
        # Logits of the labelled positions only: the same loss without the output layer over padding.
        out = self.model(**inputs.as_dict(), logits="labelled")
        with torch.no_grad():
            correct = out.predictions == out.targets
            accuracy = correct.sum().float() / max(len(correct), 1)
        size = len(inputs)
        on_step = stage == "train"
        self.log(f"{stage}/loss", out.loss, on_step=on_step, on_epoch=True, prog_bar=True, batch_size=size,
                 sync_dist=True)  # fmt: skip
        self.log(f"{stage}/token_accuracy", accuracy, on_step=on_step, on_epoch=True, batch_size=size,
                 sync_dist=True)  # fmt: skip
        # exp of the mean loss; the epoch value is the exp of each batch's, averaged (a close bound).
        perplexity = torch.exp(out.loss.detach().clamp(max=50.0))
        self.log(f"{stage}/perplexity", perplexity, on_step=on_step, on_epoch=True, batch_size=size,
                 sync_dist=True)  # fmt: skip
        return {"loss": out.loss, "num_tokens": out.num_tokens, "batch_size": size}

    def training_step(self, batch: dict, batch_idx: int) -> dict[str, torch.Tensor | int]:
        return self.shared_step(batch, "train")

    def validation_step(self, batch: dict, batch_idx: int) -> dict[str, torch.Tensor | int]:
        out = self.shared_step(batch, "val")
        self._val_loss[0] += float(out["loss"]) * out["num_tokens"]
        self._val_loss[1] += out["num_tokens"]
        return out

    def on_validation_epoch_start(self) -> None:
        self._val_loss = [0.0, 0]

    def on_validation_epoch_end(self) -> None:
        """Log ``val/select``, the checkpoint key, on epochs where programs were generated and scored:
        ``cd_per_success`` once any program succeeds, else ``SELECT_FALLBACK`` plus the validation loss
        (so while nothing runs yet, the checkpoint that predicts programs best is kept, and any checkpoint
        whose programs run ranks above all of those)."""
        scored = [
            cb
            for cb in self.trainer.callbacks
            if getattr(cb, "ran_epoch", None) == self.current_epoch and getattr(cb, "last_metrics", None)
        ]
        if not scored or self.trainer.sanity_checking:
            return
        metrics = scored[0].last_metrics
        loss = self._val_loss[0] / max(self._val_loss[1], 1)
        if metrics.get("success", 0.0) > 0 and math.isfinite(metrics.get("cd_per_success", math.inf)):
            select = float(metrics["cd_per_success"])
        else:
            select = SELECT_FALLBACK + loss
        self.log("val/select", select, on_step=False, on_epoch=True, sync_dist=True)

    def test_step(self, batch: dict, batch_idx: int) -> dict[str, torch.Tensor | int]:
        return self.shared_step(batch, "test")

    # ----------------------------------------------------------------------------- optimisation
    def parameter_groups(self) -> list[dict[str, Any]]:
        """The two groups: shape tokenizer, and the LLM's trainable parameters (frozen ones left out)."""
        shape = [p for p in self.model.shape_tokenizer.parameters() if p.requires_grad]
        llm = [p for p in self.model.llm.parameters() if p.requires_grad]
        groups = [
            {"name": "shape_tokenizer", "params": shape, "lr": self.lr_shape_tokenizer},
            {"name": "llm", "params": llm, "lr": self.lr_llm},
        ]
        groups = [g for g in groups if g["params"]]
        if not groups:
            raise ValueError("the model has no trainable parameters: check llm.finetune.mode (lora/full)")
        return groups

    def configure_optimizers(self) -> Any:
        groups = self.parameter_groups()
        optimizer = self.optimizer_factory(groups, **_fused_on_cpu(self.optimizer_factory, groups))
        if self.scheduler_factory is None:
            return optimizer
        kwargs = {}
        if _wants_total_steps(self.scheduler_factory):
            kwargs["total_steps"] = int(self.trainer.estimated_stepping_batches)
        scheduler = self.scheduler_factory(optimizer, **kwargs)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": self.scheduler_interval, "frequency": 1},
        }

    # ------------------------------------------------------------------------------ FSDP dtypes
    def setup(self, stage: str) -> None:
        # Lightning calls this before the strategy wraps the model. FSDP flattens each unit's parameters
        # into one tensor of one dtype, but a bfloat16 LLM carries float32 LoRA adapters (peft keeps
        # trainable weights in float32) and shares the root unit with the float32 shape tokenizer. So
        # under FSDP every parameter is float32 (the flat parameters are then the optimiser's
        # full-precision weights; bf16-mixed computes in bfloat16 through FSDP's MixedPrecision).
        # Single-device and DDP runs keep the LLM in llm.dtype.
        from lightning.pytorch.strategies import FSDPStrategy
        from lightning.pytorch.utilities import rank_zero_info

        if isinstance(self.trainer.strategy, FSDPStrategy):
            cast = uniform_parameter_dtype(self.model, torch.float32)
            if cast:
                rank_zero_info(
                    f"FSDP: {cast} parameters cast to float32 (one dtype per flattened unit; "
                    f"llm.dtype={self.model.config.llm.dtype} applies without FSDP)"
                )

    # ----------------------------------------------------------------------------- checkpoints
    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        # Lightning restores weights, optimiser, scheduler and loop counters but not the random generators;
        # the data's shuffling and point draws come from them, so an exact resume needs them too.
        # Plain tensors and numbers only: Lightning loads checkpoints with torch.load(weights_only=True).
        kind, keys, pos, has_gauss, gauss = np.random.get_state()
        checkpoint[RNG_KEY] = {
            "torch": torch.get_rng_state(),
            "numpy": [
                str(kind),
                torch.from_numpy(keys.astype(np.int64)),
                int(pos),
                int(has_gauss),
                float(gauss),
            ],
            "python": random.getstate(),
        }
        checkpoint["meshcoder_tokenizer_vocab_size"] = len(self.model.tokenizer)

    def on_train_epoch_start(self) -> None:
        states = getattr(self, "_pending_rng_states", None)
        if states is not None:
            torch.set_rng_state(states["torch"])
            kind, keys, pos, has_gauss, gauss = states["numpy"]
            np.random.set_state((kind, keys.numpy().astype(np.uint32), pos, has_gauss, gauss))
            random.setstate(tuple(_as_tuple(v) for v in states["python"]))
            self._pending_rng_states = None

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        # Applied when the next training epoch starts: between here and there Lightning builds data
        # iterators that draw from the generators, which an uninterrupted run did after that point.
        self._pending_rng_states = checkpoint.get(RNG_KEY)
        saved = checkpoint.get("meshcoder_tokenizer_vocab_size")
        if saved is not None and saved != len(self.model.tokenizer):
            raise ValueError(
                f"the checkpoint's tokenizer has {saved} tokens, this model's {len(self.model.tokenizer)}: "
                "resume with the same data and model config (the tiny model trains its tokenizer on the "
                "training programs)"
            )


def _as_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _fused_on_cpu(factory: Callable, groups: list[dict[str, Any]]) -> dict[str, bool]:
    """``{"fused": True}`` for Adam or AdamW over CPU parameters when the config chose neither ``fused``
    nor ``foreach``: the fused kernel makes the same update (to float rounding) four to six times
    faster than the default loop over parameters on a CPU, and under a busy machine's thread contention
    the loop took up to a second a step for the shipped model. Elsewhere the library's default stays."""
    keywords = getattr(factory, "keywords", {}) or {}
    target = getattr(factory, "func", factory)
    on_cpu = all(p.device.type == "cpu" for g in groups for p in g["params"])
    chosen = {"fused", "foreach"} & set(keywords)
    if target in (torch.optim.Adam, torch.optim.AdamW) and on_cpu and not chosen:
        return {"fused": True}
    return {}


def _wants_total_steps(factory: Callable) -> bool:
    import inspect

    keywords = getattr(factory, "keywords", {}) or {}
    if keywords.get("total_steps") is not None:
        return False
    target = getattr(factory, "func", factory)
    try:
        return "total_steps" in inspect.signature(target).parameters
    except (TypeError, ValueError):
        return False


def warmup_cosine(
    optimizer: torch.optim.Optimizer,
    total_steps: int,
    warmup_steps: int = 0,
    min_lr_ratio: float = 0.1,
    total_seconds: float | None = None,
) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warm-up over ``warmup_steps``, then cosine decay to ``min_lr_ratio`` times each group's
    rate at ``total_steps`` (the trainer's estimate when built by :class:`MeshCoderModule`).

    With ``total_seconds`` the decay follows wall-clock time instead (progress = seconds since the first
    step after warm-up / ``total_seconds``, or the step fraction when that is further along): for
    recipes with a time budget (the trainer's ``max_time``) on machines whose speed is not known in
    advance. Such a schedule is not reproduced exactly by a resumed run.
    """
    if total_steps < 1:
        raise ValueError(f"total_steps must be at least 1, got {total_steps}")
    if not 0 <= min_lr_ratio <= 1:
        raise ValueError(f"min_lr_ratio must be in [0, 1], got {min_lr_ratio}")
    if total_seconds is not None and total_seconds <= 0:
        raise ValueError(f"total_seconds must be positive, got {total_seconds}")
    clock: list[float] = []

    def factor(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
        if total_seconds is not None:
            if not clock:
                clock.append(time.monotonic())
            progress = max(progress, min(1.0, (time.monotonic() - clock[0]) / total_seconds))
        return min_lr_ratio + (1 - min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def module_classes(names: Iterable[str]) -> set[type]:
    """The classes named by dotted paths (``transformers.models.llama.modeling_llama.LlamaDecoderLayer``,
    ...): the set that FSDP's auto-wrap and activation-checkpointing policies take."""
    import importlib

    classes = set()
    for name in names:
        module_name, _, attr = str(name).rpartition(".")
        try:
            value = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as err:
            raise ValueError(f"{name!r} names no class ({err}); give a dotted path module.Class") from None
        if not isinstance(value, type):
            raise ValueError(f"{name!r} is a {type(value).__name__}, not a class")
        classes.add(value)
    return classes


def uniform_parameter_dtype(model: torch.nn.Module, dtype: torch.dtype = torch.float32) -> int:
    """Cast ``model``'s floating-point parameters to ``dtype`` in place when they are not all of one dtype
    already (what FSDP needs to flatten them); returns how many were cast. Buffers are left alone."""
    floating = [p for p in model.parameters() if p.is_floating_point()]
    if len({p.dtype for p in floating}) <= 1:
        return 0
    cast = [p for p in floating if p.dtype != dtype]
    for p in cast:
        p.data = p.data.to(dtype)
    return len(cast)
