"""Training callbacks: the validation callback that generates, executes and scores programs, and a small
speed monitor.

:class:`ValidationGenerations`, every ``every_n_epochs`` epochs: greedy programs for the first
``num_shapes`` validation shapes, run in a Blender :class:`~meshcoder.shapes.executor.ExecutorPool`
(started on first use, closed at teardown), scored with the evaluation protocol
(:class:`~meshcoder.geometry.protocol.MetricProtocol`, ``fast`` point counts by default, and the spec's
aggregates from :func:`meshcoder.evaluation.aggregate.summarise`), and written under the run folder::

    validation/epoch_XXX/shapes.csv      one row per shape (raw values)
    validation/epoch_XXX/metrics.md      per-category table (the evaluation command's format)
    validation/epoch_XXX/programs/<id>.py
    images/epoch_XXX/<id>.png            the reference point cloud beside the predicted mesh
    validation/history.csv, history.md   one row per validated epoch

``val/success``, ``val/cd``, ``val/iou``, ``val/iou_64``, ``val/fscore_1``, ``val/fscore_2``,
``val/cd_per_success``, and what the programs look like before they run (``val/parse_rate``: the raw
output validates before any repair; ``val/eos_rate``: they ended before the token limit;
``val/gen_tokens``: mean length) are logged to every logger; images go to TensorBoard (``add_image``)
when it is one of them. The module turns these into the checkpoint key ``val/select`` (see
:class:`~meshcoder.training.module.MeshCoderModule`).

Under DDP the work runs on global rank zero while the other ranks wait; the numbers are then broadcast
and every rank logs the same values, so checkpoint callbacks on all ranks agree. Under FSDP the
parameters are sharded, so every rank first enters :func:`full_parameters` (a collective gather,
nothing written back); rank zero generates on the full parameters while the others go on to wait,
then it leaves too and executes and scores as under DDP. Generation runs in the trainer's precision
context (``bf16-mixed``: bfloat16 autocast), as the training steps do.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import math
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from lightning import Callback, LightningModule, Trainer
from lightning.pytorch.loggers import TensorBoardLogger

from meshcoder.evaluation.aggregate import summarise
from meshcoder.evaluation.loading import LoadedShape, from_execution
from meshcoder.evaluation.report import markdown_summary, write_shapes_csv
from meshcoder.geometry.protocol import METRICS, MetricProtocol
from meshcoder.shapes.executor import ExecutorConfig

log = logging.getLogger(__name__)

SHAPE_COLUMNS = ("id", "category", "success", "status", "error", "tokens", *METRICS, "image")
HISTORY_COLUMNS = (
    "epoch", "step", "shapes", "success", "parse_rate", "eos_rate", "gen_tokens", *METRICS, "cd_per_success",
    "seconds",
)  # fmt: skip


class ValidationGenerations(Callback):
    """Generate, execute, score and render validation shapes every few epochs (see the module docstring).

    Args:
        output_dir: the run folder; files go to ``validation/`` and ``images/`` under it.
        every_n_epochs: run after the validation of every N-th epoch (and always under ``fast_dev_run``).
        num_shapes: validation shapes to generate for (evenly spaced through the split).
        batch_size: shapes per generation batch.
        max_new_tokens: generation length limit (the paper's inference uses 5,000).
        constrained: decode within the program grammar and cut each program back to its last valid part
            (:meth:`meshcoder.models.MeshCoder.generate_programs`); off: the raw greedy output runs.
        fast: 16,384 points per surface for the metrics instead of the reported 100,000 (says so in files).
        metric_points: an explicit point count for the metrics (overrides ``fast``).
        executor: the Blender pool's settings (an :class:`~meshcoder.shapes.executor.ExecutorConfig` or
            a mapping of its fields; None: one worker with the default timeout).
        render: write the PNG images.
        resolution, samples: image size and Cycles samples.
        log_images: at most this many images per epoch go to the logger.
        render_points: points of the reference cloud drawn in the image.
    """

    def __init__(
        self,
        output_dir: str | Path,
        every_n_epochs: int = 1,
        num_shapes: int = 8,
        batch_size: int = 8,
        max_new_tokens: int = 2000,
        constrained: bool = True,
        fast: bool = True,
        metric_points: int | None = None,
        executor: ExecutorConfig | dict | None = None,
        render: bool = True,
        resolution: int = 256,
        samples: int = 8,
        log_images: int = 8,
        render_points: int = 4096,
    ) -> None:
        super().__init__()
        if every_n_epochs < 1 or num_shapes < 1 or batch_size < 1:
            raise ValueError("every_n_epochs, num_shapes and batch_size must be at least 1")
        self.output_dir = Path(output_dir)
        self.every_n_epochs = int(every_n_epochs)
        self.num_shapes = int(num_shapes)
        self.batch_size = int(batch_size)
        self.max_new_tokens = int(max_new_tokens)
        self.constrained = bool(constrained)
        self.protocol = MetricProtocol(fast=fast, points=metric_points)
        if executor is None:
            executor = ExecutorConfig(num_workers=1)
        elif not isinstance(executor, ExecutorConfig):
            executor = ExecutorConfig(**{k: v for k, v in dict(executor).items() if k != "_target_"})
        self.executor = executor
        self.render = render
        self.resolution = int(resolution)
        self.samples = int(samples)
        self.log_images = int(log_images)
        self.render_points = int(render_points)
        self._pool = None
        self._references: dict[int, LoadedShape] = {}
        self.last_metrics: dict[str, float] = {}
        self.ran_epoch: int | None = None  # the epoch of the last generation round

    # ------------------------------------------------------------------------------ lifecycle
    @property
    def pool(self):
        """The Blender executor pool, started on first use."""
        if self._pool is None:
            self._pool = self.executor.pool()
        return self._pool

    def teardown(self, trainer: Trainer, pl_module: LightningModule, stage: str) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def should_run(self, trainer: Trainer) -> bool:
        """Whether this validation is one the callback acts on."""
        if trainer.sanity_checking:
            return False
        if trainer.fast_dev_run:
            return True
        return (trainer.current_epoch + 1) % self.every_n_epochs == 0

    # -------------------------------------------------------------------------------- the work
    def on_validation_epoch_end(self, trainer: Trainer, pl_module: LightningModule) -> None:
        if not self.should_run(trainer):
            return
        items = self.validation_items(trainer) if trainer.is_global_zero else []
        generated = self.generate_on_rank_zero(trainer, pl_module, items)
        metrics: dict[str, float] | None = None
        if trainer.is_global_zero:
            metrics = self.run(trainer, pl_module, items, generated)
        metrics = trainer.strategy.broadcast(metrics, src=0)
        self.last_metrics = dict(metrics)
        self.ran_epoch = trainer.current_epoch
        for name, value in metrics.items():
            # Identical on every rank (broadcast), so the mean over ranks changes nothing; inf is logged as
            # a large number so that "no success yet" still ranks below any real result.
            value = value if math.isfinite(value) else 1e9
            pl_module.log(f"val/{name}", value, on_step=False, on_epoch=True, sync_dist=True)

    def validation_items(self, trainer: Trainer) -> list[dict]:
        """``num_shapes`` items spread evenly over the validation split (fixed clouds: it is seeded)."""
        datamodule = trainer.datamodule
        if datamodule is not None and hasattr(datamodule, "dataset"):
            dataset = datamodule.dataset("val")
        else:
            loaders = trainer.val_dataloaders
            loader = loaders[0] if isinstance(loaders, Sequence) else loaders
            dataset = loader.dataset
        if len(dataset) == 0:
            raise ValueError("the validation split is empty: the validation callback has no shapes to score")
        # Evenly spaced through the split (records are grouped by category), so the shapes cover the
        # categories instead of being the first category's.
        count = min(self.num_shapes, len(dataset))
        return [dataset[int(i)] for i in np.linspace(0, len(dataset) - 1, count).round()]

    def generate_on_rank_zero(
        self, trainer: Trainer, pl_module: LightningModule, items: list[dict]
    ) -> tuple[list[str], list[int], list[bool], list[str]] | None:
        """Every rank calls this together: :meth:`generate` on global rank zero, in the trainer's
        precision context and on the full parameters (gathered under FSDP); None on the other ranks."""
        with full_parameters(trainer.strategy.model), trainer.precision_plugin.forward_context():
            # Only rank zero generates: under FSDP nothing inside may need the other ranks.
            return self.generate(pl_module, items) if trainer.is_global_zero else None

    def run(
        self,
        trainer: Trainer,
        pl_module: LightningModule,
        items: list[dict] | None = None,
        generated: tuple[list[str], list[int], list[bool], list[str]] | None = None,
    ) -> dict[str, float]:
        """Generate (unless ``generated`` holds :meth:`generate`'s output for ``items``), execute, score,
        render and write one epoch's validation; returns the aggregates. Rank zero only."""
        start = time.perf_counter()
        epoch = trainer.current_epoch
        if items is None:
            items = self.validation_items(trainer)
        if generated is None:
            with trainer.precision_plugin.forward_context():
                generated = self.generate(pl_module, items)
        texts, lengths, finished, raws = generated
        self._ensure_references(items)
        results = self.pool.map(texts, desc="validation programs")
        epoch_dir = self.output_dir / "validation" / f"epoch_{epoch:03d}"
        image_dir = self.output_dir / "images" / f"epoch_{epoch:03d}"
        (epoch_dir / "programs").mkdir(parents=True, exist_ok=True)
        rows, images = [], []
        for item, text, n_tokens, result in zip(items, texts, lengths, results):
            key = int(item["id"])
            (epoch_dir / "programs" / f"{key}.py").write_text(text)
            prediction = from_execution(result)
            reference = self._references[key]
            row: dict[str, Any] = {"id": key, "category": item["category"], "tokens": n_tokens}
            row.update(status=prediction.status, error=_first_line(prediction.error))
            if not reference.ok:
                log.warning("validation shape %s: its reference program failed (%s); skipped", key,
                            reference.error)  # fmt: skip
                continue
            row.update(self.protocol.score(prediction.geometry, reference.geometry).to_dict())
            if self.render:
                png = self._render(result, item, image_dir / f"{key}.png")
                row["image"] = str(png.relative_to(self.output_dir)) if png is not None else ""
                if png is not None:
                    images.append((key, png))
            rows.append(row)
        if not rows:
            raise RuntimeError("no validation shape could be scored (every reference program failed)")
        summary = summarise(rows)
        overall = summary.all_shapes
        metrics = {"success": overall.success_rate, "cd_per_success": overall.cd_per_success}
        metrics.update({m: overall.mean[m] for m in METRICS if not math.isnan(overall.mean[m])})
        # What the programs look like before they run: do they validate, do they end, how long are they.
        # Measured on the raw output: repair (constrained decoding) makes every repaired text validate.
        metrics["parse_rate"] = float(np.mean([_validates(t) for t in raws]))
        metrics["eos_rate"] = float(np.mean(finished))
        metrics["gen_tokens"] = float(np.mean(lengths))
        seconds = time.perf_counter() - start
        notes = [
            f"epoch {epoch}, step {trainer.global_step}: greedy generation"
            f"{' (grammar-constrained)' if self.constrained else ''}, max {self.max_new_tokens} new "
            f"tokens, {len(rows)} validation shapes spread over the split",
            f"protocol: {self.protocol.describe()}",
            f"cd_per_success: {_fmt(overall.cd_per_success * 100)} x10^-2 (checkpoint key, lower is better)",
        ]
        write_shapes_csv(rows, epoch_dir / "shapes.csv", SHAPE_COLUMNS)
        (epoch_dir / "metrics.md").write_text(markdown_summary(summary, f"Validation, epoch {epoch}", notes))
        self._append_history(epoch, trainer.global_step, len(rows), metrics, seconds)
        self._log_images(trainer, images)
        log.info("validation epoch %d: success %.2f, parse %.2f, eos %.2f, %.0f tokens, cd_per_success %s "
                 "(%.0f s)", epoch, metrics["success"], metrics["parse_rate"], metrics["eos_rate"],
                 metrics["gen_tokens"], _fmt(metrics["cd_per_success"]), seconds)  # fmt: skip
        return metrics

    @torch.no_grad()
    def generate(
        self, pl_module: LightningModule, items: list[dict]
    ) -> tuple[list[str], list[int], list[bool], list[str]]:
        """Greedy program texts for the items (repaired when constrained), their token counts, whether
        each reached EOS, and the raw decoded texts (before repair)."""
        model = pl_module.model
        texts, lengths, finished, raws = [], [], [], []
        for i in range(0, len(items), self.batch_size):
            chunk = items[i : i + self.batch_size]
            points = [it["points"] for it in chunk]
            normals = [it["normals"] for it in chunk]
            programs = model.generate_programs(
                points, normals=normals, max_new_tokens=self.max_new_tokens, constrained=self.constrained
            )
            for program in programs:
                texts.append(program.text)
                lengths.append(program.tokens)
                finished.append(program.finished)
                raws.append(program.raw)
        return texts, lengths, finished, raws

    def _ensure_references(self, items: list[dict]) -> None:
        todo = [it for it in items if int(it["id"]) not in self._references]
        if todo:
            results = self.pool.map([it["program"] for it in todo], desc="validation references")
            for item, result in zip(todo, results):
                self._references[int(item["id"])] = from_execution(result)

    def _render(self, result, item: dict, path: Path) -> Path | None:
        points = item["points"].numpy()
        if len(points) > self.render_points:
            points = points[np.linspace(0, len(points) - 1, self.render_points).astype(int)]
        # A failed program has no mesh: its image shows the reference cloud alone.
        parts = result.parts if result.ok else {}
        try:
            return self.pool.render(parts, path, points=points, resolution=self.resolution,
                                    samples=self.samples)  # fmt: skip
        except Exception as err:  # a picture is not worth stopping training for
            log.warning("could not render validation shape %s: %s", item["id"], err)
            return None

    def _append_history(
        self, epoch: int, step: int, shapes: int, metrics: dict[str, float], seconds: float
    ) -> None:
        folder = self.output_dir / "validation"
        path = folder / "history.csv"
        rows = []
        if path.is_file():
            with path.open() as handle:
                rows = [r for r in csv.DictReader(handle) if int(r["epoch"]) != epoch]
        rows.append({"epoch": epoch, "step": step, "shapes": shapes, **metrics, "seconds": round(seconds, 1)})
        write_shapes_csv(rows, path, HISTORY_COLUMNS)
        lines = [
            "# Validation history",
            "",
            f"Protocol: {self.protocol.describe()}. CD x10^-2, IoU and F-score in %.",
            "",
            "| epoch | step | shapes | success % | parse % | EOS % | tokens | CD x10^-2 | IoU 32^3 % "
            "| F@1% % | F@2% % | cd/success x10^-2 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rows:
            lines.append(
                f"| {r['epoch']} | {r['step']} | {r['shapes']} | {_pct(r.get('success'))} | "
                f"{_pct(r.get('parse_rate'))} | {_pct(r.get('eos_rate'))} | "
                f"{_fmt(r.get('gen_tokens'), digits=0)} | "
                f"{_fmt(r.get('cd'), 100)} | {_pct(r.get('iou'))} | {_pct(r.get('fscore_1'))} | "
                f"{_pct(r.get('fscore_2'))} | {_fmt(r.get('cd_per_success'), 100)} |"
            )
        (folder / "history.md").write_text("\n".join(lines) + "\n")

    def _log_images(self, trainer: Trainer, images: list[tuple[int, Path]]) -> None:
        loggers = [lg for lg in trainer.loggers if isinstance(lg, TensorBoardLogger)]
        if not loggers or not images:
            return
        from PIL import Image

        for key, png in images[: self.log_images]:
            array = np.asarray(Image.open(png).convert("RGB"))
            for logger in loggers:
                logger.experiment.add_image(
                    f"val_shapes/{key}", array, trainer.global_step, dataformats="HWC"
                )


class SpeedMonitor(Callback):
    """Logs training speed every ``log_every_n_steps`` steps: ``speed/tokens_per_s`` (program tokens,
    this process), ``speed/samples_per_s`` and ``speed/step_time_s`` (wall time per optimiser step,
    data loading included); ``speed/epoch_tokens_per_s`` at each epoch end. ``summary()`` gives the
    run's totals (excluding the first ``warmup_steps`` steps)."""

    def __init__(self, log_every_n_steps: int = 10, warmup_steps: int = 2) -> None:
        super().__init__()
        self.log_every_n_steps = max(1, int(log_every_n_steps))
        self.warmup_steps = int(warmup_steps)
        self._last: float | None = None
        self._window = [0.0, 0, 0, 0]  # seconds, tokens, samples, batches
        self._epoch = [0.0, 0]
        self._total = [0.0, 0, 0, 0]
        self._batches_seen = 0

    def on_train_epoch_start(self, trainer: Trainer, pl_module: LightningModule) -> None:
        self._last = time.perf_counter()
        self._epoch = [0.0, 0]

    def on_train_batch_end(
        self, trainer: Trainer, pl_module: LightningModule, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        now = time.perf_counter()
        seconds = now - (self._last if self._last is not None else now)
        self._last = now
        tokens = int(outputs.get("num_tokens", 0)) if isinstance(outputs, dict) else 0
        samples = int(outputs.get("batch_size", 0)) if isinstance(outputs, dict) else 0
        self._batches_seen += 1
        for acc in (self._window, self._total if self._batches_seen > self.warmup_steps else None):
            if acc is not None:
                acc[0] += seconds
                acc[1] += tokens
                acc[2] += samples
                acc[3] += 1
        self._epoch[0] += seconds
        self._epoch[1] += tokens
        if self._window[3] >= self.log_every_n_steps * trainer.accumulate_grad_batches:
            secs, toks, samps, batches = self._window
            if secs > 0:
                steps = batches / trainer.accumulate_grad_batches
                pl_module.log_dict(
                    {
                        "speed/tokens_per_s": toks / secs,
                        "speed/samples_per_s": samps / secs,
                        "speed/step_time_s": secs / steps,
                    },
                    on_step=True,
                    on_epoch=False,
                )
            self._window = [0.0, 0, 0, 0]

    def on_train_epoch_end(self, trainer: Trainer, pl_module: LightningModule) -> None:
        if self._epoch[0] > 0:
            # Mean over processes (multiply by the world size for the whole job's rate).
            pl_module.log("speed/epoch_tokens_per_s", self._epoch[1] / self._epoch[0], on_epoch=True,
                          sync_dist=True)  # fmt: skip

    def summary(self) -> dict[str, float]:
        """Totals over the run after the warm-up steps: tokens/s, samples/s, seconds per batch."""
        secs, toks, samps, batches = self._total
        if secs <= 0 or batches == 0:
            return {}
        return {
            "tokens_per_s": toks / secs,
            "samples_per_s": samps / secs,
            "seconds_per_batch": secs / batches,
        }


@contextlib.contextmanager
def full_parameters(root: torch.nn.Module | None) -> Iterator[None]:
    """Within this context the model under ``root`` (the strategy's wrapped model) holds its full
    parameters, so one rank alone can run forwards (generation) on it.

    Without FSDP units under ``root`` this does nothing. Under FSDP every rank must enter together
    (gathering is collective): the units' full-precision parameters are gathered
    (``summon_full_params``, ``writeback=False``: what happens inside changes no weights), and until the
    context ends the model is an ordinary local one: each unit is swapped for the module it wraps (FSDP's
    own forward may not run inside ``summon_full_params``: it would gather again, which one rank alone
    cannot) and FSDP's marks on the submodules are cleared (with them Hugging Face's ``generate`` syncs
    every decoding step with the other ranks). Leaving is local: the other ranks may leave at once and
    wait elsewhere (the callback's broadcast) while rank zero generates. Nothing may train inside.
    """
    from torch.distributed.fsdp import FullyShardedDataParallel

    if root is None:
        yield
        return
    units = [
        (parent, name, child)
        for parent in root.modules()
        for name, child in parent.named_children()
        if isinstance(child, FullyShardedDataParallel)
    ]
    if not units and not isinstance(root, FullyShardedDataParallel):
        yield
        return
    marked = [m for m in root.modules() if getattr(m, "_is_fsdp_managed_module", False)]
    with FullyShardedDataParallel.summon_full_params(root, writeback=False):
        for parent, name, unit in units:
            setattr(parent, name, unit.module)
        for module in marked:
            module._is_fsdp_managed_module = False
        try:
            yield
        finally:
            for module in marked:
                module._is_fsdp_managed_module = True
            for parent, name, unit in units:
                setattr(parent, name, unit)


def _validates(text: str) -> bool:
    from meshcoder.shapes.program import ProgramError, validate

    try:
        validate(text)
    except (ProgramError, SyntaxError, ValueError, RecursionError):
        return False
    return True


def _first_line(text: str | None) -> str:
    return "" if not text else text.strip().splitlines()[-1][:200]


def _fmt(value: float | str | None, scale: float = 1.0, digits: int = 3) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "-"
    if math.isnan(value):
        return "-"
    return "inf" if math.isinf(value) or value >= 1e9 else f"{value * scale:.{digits}f}"


def _pct(value: float | str | None) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "-"
    return "-" if math.isnan(value) else f"{100 * value:.1f}"
