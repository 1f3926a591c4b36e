"""The command line end to end: DDP on two CPU processes (one torch thread each), and a multirun sweep
through hydra-submitit-launcher's local executor. Both start fresh Python processes, so they are slow."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run_cli(args: list[str], timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "meshcoder.cli.train", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def common(data: Path) -> list[str]:
    return [
        "experiment=tiny_cpu",
        "stages=null",  # one stage on the synthetic dataset (stages have their own tests)
        f"data.root={data}",
        "generate_data=null",
        "data.num_points=1024",
        "data.batch_size=2",
        "logger=csv",
    ]


@pytest.mark.slow
@pytest.mark.blender
def test_ddp_on_two_cpu_processes(tmp_path, make_dataset):
    data = make_dataset(tmp_path / "boxes")
    out = tmp_path / "run"
    result = run_cli(
        [*common(data), "debug=limit", "trainer=ddp", "trainer.accelerator=cpu", "trainer.devices=2",
         "threads=1", "callbacks.validation.num_shapes=2", "callbacks.validation.max_new_tokens=32",
         f"paths.output_dir={out}"]
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    # Rank 1 ran in its own process and logged there; rank 0 alone wrote the shared files.
    assert (out / "train_ddp_process_1.log").is_file()
    assert (out / "checkpoints" / "last.ckpt").is_file()
    assert (out / "model" / "meshcoder.json").is_file()
    history = list(csv.DictReader((out / "validation" / "history.csv").open()))
    assert [int(r["epoch"]) for r in history] == [0, 1]
    rows = list(csv.DictReader((out / "csv" / "metrics.csv").open()))
    assert any(r.get("val/cd_per_success") for r in rows)
    # limit_train_batches=4 per process: 4 optimiser steps per epoch, each over 2 x 2 samples.
    steps = {int(r["step"]) for r in rows if r.get("train/loss_step")}
    assert max(steps) <= 8


@pytest.mark.slow
def test_multirun_sweep_through_submitit_local(tmp_path, make_dataset):
    data = make_dataset(tmp_path / "boxes")
    sweep = tmp_path / "sweep"
    result = run_cli(
        ["-m", "hydra/launcher=train_local", *common(data), "debug=fdr", "callbacks=none",
         "model.lr_llm=1e-3,2e-3", f"hydra.sweep.dir={sweep}"]
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    jobs = sorted(p for p in sweep.iterdir() if p.is_dir() and p.name.isdigit())
    assert [p.name for p in jobs] == ["0", "1"]
    for job, lr in zip(jobs, ("0.001", "0.002")):
        assert (job / "model" / "meshcoder.json").is_file(), f"job {job.name} left no model folder"
        assert f"lr_llm: {lr}" in (job / "model" / "train_config.yaml").read_text()
    assert list((sweep / ".submitit").glob("*/*_log.out"))
