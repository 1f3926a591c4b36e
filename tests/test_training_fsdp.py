"""FSDP on the CPU with raw torch FSDP over gloo (Lightning refuses FSDP without GPUs): the module's dtype
rule, the tiny LoRA model wrapped with the units of ``conf/trainer/fsdp.yaml`` taking a training step, and
the validation callback's generation on gathered parameters giving the unwrapped model's greedy tokens.
The last test runs two processes with sharded parameters, where rank zero generates alone."""

from __future__ import annotations

import json
import math
import os
import socket
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
import torch.distributed as dist
from omegaconf import OmegaConf

from meshcoder.conf import CONFIG_DIR
from meshcoder.models import collate
from meshcoder.training.callbacks import ValidationGenerations, full_parameters
from meshcoder.training.module import module_classes, uniform_parameter_dtype

PROGRAM = "import bpy\nfrom bpy_lib import *\n\ndelete_all()\n"
pytestmark = [
    pytest.mark.filterwarnings("ignore:.*has both parameters with requires_grad=True and False:UserWarning"),
    pytest.mark.filterwarnings("ignore:FSDP is switching to use `NO_SHARD`:UserWarning"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tiny_lora_module(llm_dtype: str = "bfloat16"):
    """conf/model/tiny.yaml with LoRA, the LLM built in ``llm_dtype`` (bfloat16 as llama32_1b.yaml)."""
    from hydra.utils import instantiate

    cfg = OmegaConf.load(CONFIG_DIR / "model" / "tiny.yaml")
    OmegaConf.update(cfg, "config.llm.finetune.mode", "lora")
    OmegaConf.update(cfg, "config.llm.dtype", llm_dtype)
    torch.manual_seed(0)
    return instantiate(cfg)


def fsdp_units() -> set[type]:
    names = OmegaConf.load(CONFIG_DIR / "trainer" / "fsdp.yaml").strategy.auto_wrap_policy.names
    return module_classes(list(names))


class Root(torch.nn.Module):
    """Stands for the LightningModule that Lightning makes the FSDP root: holds ``model``."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, **batch: torch.Tensor) -> torch.Tensor:
        return self.model(**batch).loss


def wrap(root: torch.nn.Module, precision: str):
    """As Lightning's FSDPStrategy wraps with conf/trainer/fsdp.yaml (its MixedPrecision for ``precision``)."""
    from lightning.pytorch.plugins.precision import FSDPPrecision
    from torch.distributed.fsdp import FullyShardedDataParallel, ShardingStrategy
    from torch.distributed.fsdp.wrap import ModuleWrapPolicy

    return FullyShardedDataParallel(
        root,
        auto_wrap_policy=ModuleWrapPolicy(fsdp_units()),
        sharding_strategy=ShardingStrategy.FULL_SHARD,
        mixed_precision=FSDPPrecision(precision).mixed_precision_config,
        use_orig_params=True,
        limit_all_gathers=True,
        device_id=torch.device("cpu"),
    )


def precision_plugin(precision: str):
    """The trainer's precision on the CPU (FSDPPrecision's autocast is CUDA's)."""
    from lightning.pytorch.plugins.precision import MixedPrecision, Precision

    return MixedPrecision(precision, "cpu") if "mixed" in precision else Precision()


def clouds(count: int, seed: int) -> list[dict]:
    g = torch.Generator().manual_seed(seed)
    items = []
    for _ in range(count):
        normals = torch.nn.functional.normalize(torch.randn(512, 3, generator=g), dim=-1)
        items.append({"points": 0.4 * normals + 0.02 * torch.randn(512, 3, generator=g), "normals": normals})
    return items


def train_step(wrapped, model, items: list[dict], precision: str) -> float:
    batch = collate(model.template, [it["points"] for it in items], [PROGRAM] * len(items),
                    normals=[it["normals"] for it in items])  # fmt: skip
    optimizer = torch.optim.AdamW([p for p in wrapped.parameters() if p.requires_grad], lr=1e-2)
    with precision_plugin(precision).forward_context():
        loss = wrapped(**batch.as_dict())
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return float(loss.detach())


def stub_trainer(wrapped, precision: str, rank: int = 0):
    """What :meth:`ValidationGenerations.generate_on_rank_zero` reads of the trainer."""
    return SimpleNamespace(
        strategy=SimpleNamespace(model=wrapped), precision_plugin=precision_plugin(precision),
        is_global_zero=rank == 0,
    )  # fmt: skip


def callback(tmp_path: Path) -> ValidationGenerations:
    return ValidationGenerations(tmp_path, num_shapes=2, batch_size=2, max_new_tokens=12, constrained=False)


@pytest.fixture
def process_group():
    """A gloo process group of one (this process), on a free port."""
    if dist.is_initialized():
        pytest.skip("a process group is already initialised in this process")
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(free_port()))
    dist.init_process_group("gloo", rank=0, world_size=1)
    yield
    dist.destroy_process_group()


def test_setup_makes_one_dtype_under_fsdp_only():
    from lightning.pytorch.strategies import DDPStrategy, FSDPStrategy

    module = tiny_lora_module("bfloat16")
    dtypes = {p.dtype for p in module.model.parameters()}
    assert dtypes == {torch.bfloat16, torch.float32}  # frozen bf16 base; fp32 LoRA and shape tokenizer
    module.trainer = SimpleNamespace(strategy=DDPStrategy())
    module.setup("fit")
    assert {p.dtype for p in module.model.parameters()} == dtypes  # DDP keeps llm.dtype
    module.trainer = SimpleNamespace(strategy=FSDPStrategy())
    module.setup("fit")
    assert {p.dtype for p in module.model.parameters()} == {torch.float32}
    assert all(p.requires_grad == ("lora_" in n) for n, p in module.model.llm.named_parameters())
    assert uniform_parameter_dtype(module.model, torch.bfloat16) == 0  # already one dtype: left alone


def test_lora_model_wraps_and_trains_under_fsdp(process_group, single_torch_thread):
    from torch.distributed.fsdp import FullyShardedDataParallel

    module = tiny_lora_module("bfloat16")
    uniform_parameter_dtype(module.model)  # what MeshCoderModule.setup does under FSDPStrategy
    lora = {n: p.detach().clone() for n, p in module.model.named_parameters() if "lora_B" in n}
    wrapped = wrap(Root(module.model), "bf16-mixed")
    units = {type(m.module) for m in wrapped.modules() if isinstance(m, FullyShardedDataParallel)}
    assert {"LlamaDecoderLayer", "ViTBlock", "QuerierBlock"} <= {u.__name__ for u in units}
    loss = train_step(wrapped, module.model, clouds(2, seed=0), "bf16-mixed")
    assert math.isfinite(loss) and loss > 0
    with full_parameters(wrapped):
        after = dict(module.model.named_parameters())
        assert all(p.dtype == torch.float32 for p in after.values())
        assert any(not torch.equal(after[n], before) for n, before in lora.items())  # the adapter learnt


def same_weights_unwrapped(wrapped, model) -> torch.nn.Module:
    """A fresh tiny model holding ``model``'s current weights and buffers (all ranks: gathers)."""
    reference = tiny_lora_module("float32")
    with full_parameters(wrapped):
        reference.model.load_state_dict(model.state_dict())
        # FSDP's mixed precision casts buffers (the rotary frequencies) to bf16 for good: so does this.
        buffers = dict(model.named_buffers())
        for name, buffer in reference.model.named_buffers():
            buffer.data = buffers[name].detach().clone()
    return Root(reference.model)


@pytest.mark.parametrize("precision", ["32-true", "bf16-mixed"])
def test_validation_generation_under_fsdp_matches_unwrapped(process_group, single_torch_thread, tmp_path,
                                                            precision):  # fmt: skip
    from torch.distributed.fsdp import FullyShardedDataParallel

    module = tiny_lora_module("float32")
    wrapped = wrap(Root(module.model), precision)
    train_step(wrapped, module.model, clouds(2, seed=0), precision)
    units = sum(isinstance(m, FullyShardedDataParallel) for m in wrapped.modules())
    items = clouds(2, seed=1)
    cb = callback(tmp_path)
    got = cb.generate_on_rank_zero(stub_trainer(wrapped, precision), wrapped.module, items)
    # Generation on the gathered parameters left FSDP as it was: units in place, training goes on.
    assert sum(isinstance(m, FullyShardedDataParallel) for m in wrapped.modules()) == units > 3
    assert not any(getattr(m, "_is_fsdp_managed_module", True) is False for m in wrapped.modules())
    reference = same_weights_unwrapped(wrapped, module.model)
    with precision_plugin(precision).forward_context():
        expected = cb.generate(reference, items)
    texts, lengths, _, _ = got
    assert sum(lengths) > 0 and len(texts) == len(items)
    assert got == expected
    assert math.isfinite(train_step(wrapped, module.model, clouds(2, seed=0), precision))


def _two_ranks(rank: int, port: int, out: str) -> None:
    """One rank of the two-process check: train a step on sharded parameters, then validate as the
    callback does (rank zero generates alone, the numbers are broadcast), then train on."""
    import warnings

    warnings.filterwarnings("ignore", category=UserWarning)
    torch.set_num_threads(1)
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=2)
    try:
        module = tiny_lora_module("bfloat16")
        uniform_parameter_dtype(module.model)  # MeshCoderModule.setup under FSDPStrategy
        full_numel = sum(p.numel() for p in module.model.parameters())
        wrapped = wrap(Root(module.model), "bf16-mixed")
        local_numel = sum(p.numel() for p in wrapped.parameters())
        train_step(wrapped, module.model, clouds(2, seed=rank), "bf16-mixed")
        items = clouds(2, seed=5)
        cb = ValidationGenerations(out, num_shapes=2, batch_size=2, max_new_tokens=12, constrained=False)
        got = cb.generate_on_rank_zero(stub_trainer(wrapped, "bf16-mixed", rank), wrapped.module, items)
        box = [got]
        dist.broadcast_object_list(box, src=0)  # rank one waits here while rank zero generates
        reference = same_weights_unwrapped(wrapped, module.model)
        expected = None
        if rank == 0:
            with precision_plugin("bf16-mixed").forward_context():
                expected = cb.generate(reference, items)
        loss = train_step(wrapped, module.model, clouds(2, seed=rank), "bf16-mixed")
        result = {"full": full_numel, "local": local_numel, "got": box[0], "expected": expected, "loss": loss}
        Path(out, f"rank{rank}.json").write_text(json.dumps(result))
    finally:
        dist.destroy_process_group()


@pytest.mark.slow
def test_rank_zero_generates_alone_on_sharded_parameters(tmp_path):
    import torch.multiprocessing as mp

    context = mp.spawn(_two_ranks, args=(free_port(), str(tmp_path)), nprocs=2, join=False)
    deadline = time.monotonic() + 400
    try:
        while not context.join(timeout=5):
            assert time.monotonic() < deadline, "the two ranks did not finish: a collective is out of step"
    finally:
        for process in context.processes:
            if process.is_alive():
                process.kill()
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1)]
    assert all(r["local"] < r["full"] for r in ranks)  # the parameters were sharded
    assert ranks[0]["got"] == ranks[0]["expected"] and sum(ranks[0]["got"][1]) > 0
    assert ranks[1]["got"] == ranks[0]["got"]  # broadcast
    assert all(math.isfinite(r["loss"]) for r in ranks)
