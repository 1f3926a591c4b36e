"""Kill and resume: a run stopped after epoch 1 and resumed from its last checkpoint ends with exactly
the weights (and optimiser state) of an uninterrupted run. Random data order and point draws included:
the checkpoint carries the random generators' state."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from hydra import compose, initialize_config_dir
from lightning import Callback

from meshcoder.conf import CONFIG_DIR
from meshcoder.training.train import train


class SimulatedKill(RuntimeError):
    pass


class KillAtEpoch(Callback):
    """Dies at the start of epoch ``epoch``, as a killed job would (no cleanup, no checkpoint)."""

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def on_train_epoch_start(self, trainer, pl_module) -> None:
        if trainer.current_epoch == self.epoch:
            raise SimulatedKill(f"killed at the start of epoch {self.epoch}")


@pytest.fixture(autouse=True)
def one_thread(single_torch_thread):
    yield


def run_config(out: Path, data: Path, extra: list[str] = ()):
    overrides = [
        "experiment=tiny_cpu",
        "stages=null",  # one stage on the synthetic dataset (stages have their own tests)
        f"paths.output_dir={out}",
        f"data.root={data}",
        "generate_data=null",
        "data.num_points=512",
        "data.batch_size=4",
        "logger=csv",
        "trainer.max_epochs=3",
        "trainer.limit_val_batches=1",
        "trainer.log_every_n_steps=1",
        "~callbacks.validation",
        "callbacks.model_checkpoint.monitor=null",
        "callbacks.model_checkpoint.every_n_epochs=1",
        "callbacks.model_checkpoint.save_top_k=-1",
        "model.scheduler.warmup_steps=2",
        *extra,
    ]
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("train", overrides=overrides)


def final_state(out: Path) -> dict:
    return torch.load(out / "checkpoints" / "last.ckpt", map_location="cpu", weights_only=False)


@pytest.mark.slow
def test_kill_and_resume_matches_uninterrupted_run(tmp_path, make_dataset):
    data = make_dataset(tmp_path / "boxes")
    full = tmp_path / "full"
    train(run_config(full, data))

    killed = tmp_path / "killed"
    target = f"{KillAtEpoch.__module__}.{KillAtEpoch.__qualname__}"
    with pytest.raises(SimulatedKill):
        train(run_config(killed, data, [f"+callbacks.kill._target_={target}", "+callbacks.kill.epoch=2"]))
    stopped = final_state(killed)
    assert stopped["epoch"] == 1, "the killed run should have left its epoch-1 checkpoint"
    train(run_config(killed, data, [f"ckpt_path={killed / 'checkpoints' / 'last.ckpt'}"]))

    a, b = final_state(full), final_state(killed)
    assert a["global_step"] == b["global_step"] > 0
    assert a["state_dict"].keys() == b["state_dict"].keys()
    different = [k for k in a["state_dict"] if not torch.equal(a["state_dict"][k], b["state_dict"][k])]
    assert not different, f"weights differ after resume: {different[:5]}"
    opt_a, opt_b = a["optimizer_states"][0]["state"], b["optimizer_states"][0]["state"]
    assert all(torch.equal(opt_a[i]["exp_avg"], opt_b[i]["exp_avg"]) for i in opt_a)
    # And the weights did move (a test of nothing would pass too).
    assert not all(torch.equal(stopped["state_dict"][k], a["state_dict"][k]) for k in a["state_dict"])
