"""Training within a memory bound: token-budget batches, the chunked loss, gradient checkpointing, and
debug runs that make only the data their batches read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hydra import compose, initialize_config_dir
from torch.utils.data import RandomSampler, SequentialSampler

from meshcoder.conf import CONFIG_DIR
from meshcoder.data.batching import TokenBudgetBatchSampler, pack
from meshcoder.data.datamodule import ShapeProgramDataModule, plan_debug_dataset
from meshcoder.data.pipeline import split_of
from meshcoder.models.llm import LLMConfig, build_llm, chunked_cross_entropy
from meshcoder.models.prompt import IGNORE_INDEX
from meshcoder.training.train import _debug_dataset, debug_items, train


@pytest.fixture(autouse=True)
def one_thread(single_torch_thread):
    yield


def compose_train(overrides: list[str]):
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("train", overrides=overrides)


LENGTHS = [int(n) for n in np.random.default_rng(0).integers(20, 1200, size=203)] + [5000]


def check_budget(batches: list[list[int]], lengths: list[int], budget: int, max_records: int) -> None:
    for batch in batches:
        assert 1 <= len(batch) <= max_records
        if len(batch) > 1:
            assert len(batch) * max(lengths[i] for i in batch) <= budget


def test_pack_keeps_order_and_budget():
    batches = pack(range(len(LENGTHS)), LENGTHS, 2000, 8)
    assert [i for b in batches for i in b] == list(range(len(LENGTHS)))
    check_budget(batches, LENGTHS, 2000, 8)
    assert [len(LENGTHS) - 1] in batches  # over the budget: alone


def test_token_budget_sampler_bounds_batches_and_covers_the_data():
    ordered = TokenBudgetBatchSampler(SequentialSampler(LENGTHS), 8, lengths=LENGTHS, max_tokens=2000)
    batches = list(ordered)
    check_budget(batches, LENGTHS, 2000, 8)
    assert sorted(i for b in batches for i in b) == list(range(len(LENGTHS)))
    assert len(batches) == len(ordered)
    # Sorting within pools packs far more records per batch than the budget allows in random order.
    assert len(batches) < len(pack(range(len(LENGTHS)), LENGTHS, 2000, 8))

    shuffled = TokenBudgetBatchSampler(
        RandomSampler(LENGTHS), 8, lengths=LENGTHS, max_tokens=2000, shuffle=True
    )
    torch.manual_seed(0)
    epochs = [list(shuffled) for _ in range(3)]
    for epoch in epochs:
        check_budget(epoch, LENGTHS, 2000, 8)
        assert len(epoch) == len(shuffled)  # the same count every epoch (processes stay in step)
        seen = [i for b in epoch for i in b]
        assert len(seen) == len(set(seen)) and len(seen) >= 0.95 * len(LENGTHS)
    assert epochs[0] != epochs[1]


def test_shuffled_epochs_are_reproducible_from_torch_seed():
    sampler = TokenBudgetBatchSampler(
        RandomSampler(LENGTHS), 4, lengths=LENGTHS, max_tokens=3000, shuffle=True
    )
    torch.manual_seed(3)
    first = list(sampler)
    torch.manual_seed(3)
    assert list(sampler) == first


def test_datamodule_token_budget_and_default_batches(tmp_path, make_dataset):
    root = make_dataset(tmp_path / "boxes", sizes={"train": 10, "val": 3, "test": 1})
    plain = ShapeProgramDataModule(root, batch_size=4, num_points=64)
    assert [len(b["programs"]) for b in plain.train_dataloader()] == [4, 4, 2]
    # Box programs are about 380 characters, 190 tokens by the character estimate: two fit in 400.
    budgeted = ShapeProgramDataModule(root, batch_size=4, num_points=64, max_tokens_per_batch=400)
    sizes = [len(b["programs"]) for b in budgeted.train_dataloader()]
    assert max(sizes) == 2 and len(sizes) == len(budgeted.train_dataloader())
    assert sum(len(b["programs"]) for b in budgeted.val_dataloader()) == 3


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_chunked_loss_equals_the_plain_loss(reduction):
    torch.manual_seed(0)
    head = torch.nn.Linear(16, 50, bias=False)
    hidden = torch.randn(37, 16, requires_grad=True)
    targets = torch.randint(0, 50, (37,))
    targets[[3, 20]] = IGNORE_INDEX
    plain = F.cross_entropy(head(hidden).float(), targets, ignore_index=IGNORE_INDEX, reduction=reduction)
    plain_grads = torch.autograd.grad(plain, [hidden, head.weight])
    loss, predicted = chunked_cross_entropy(hidden, head, targets, chunk_size=8, reduction=reduction)
    grads = torch.autograd.grad(loss, [hidden, head.weight])
    torch.testing.assert_close(loss, plain)
    for got, want in zip(grads, plain_grads):
        torch.testing.assert_close(got, want)
    assert torch.equal(predicted, head(hidden).argmax(-1))
    with torch.no_grad():
        torch.testing.assert_close(chunked_cross_entropy(hidden, head, targets, 5, reduction)[0], plain)


def test_lora_gradient_checkpointing_gives_the_same_gradients():
    grads = []
    ids = torch.randint(5, 100, (2, 12), generator=torch.Generator().manual_seed(0))
    for checkpointing in (False, True):
        config = LLMConfig.tiny_random(tokenizer="program", hidden_size=32, intermediate_size=64)
        config.gradient_checkpointing = checkpointing
        torch.manual_seed(1)  # the LoRA adapter's initialisation
        llm, _ = build_llm(config)
        llm.train()
        loss = llm(input_ids=ids, labels=ids, use_cache=False).loss
        loss.backward()
        trained = [p.grad for p in llm.parameters() if p.requires_grad]
        assert trained and all(g is not None for g in trained)
        grads.append(trained)
    for a, b in zip(*grads):
        torch.testing.assert_close(a, b)


def test_fast_dev_run_with_token_budget(tmp_path, make_dataset):
    data = make_dataset(tmp_path / "boxes")
    cfg = compose_train([
        "experiment=tiny_cpu", "stages=null", "generate_data=null", f"data.root={data}",
        f"paths.output_dir={tmp_path / 'run'}", "data.num_points=256", "data.max_tokens_per_batch=300",
        "debug=fdr", "callbacks=none", "logger=csv",
    ])  # fmt: skip
    metrics = train(cfg)
    assert np.isfinite(metrics["train/loss_epoch"])


def test_fdr_plans_only_the_records_one_batch_reads(tmp_path, monkeypatch):
    cfg = compose_train(["experiment=smollm2_lora", "debug=fdr", "trainer=cpu"])
    assert debug_items(cfg) == (8, 2)  # one batch of 8; the validation callback generates 2
    names = [f"Gen{k}" for k in range(40)]
    chosen, seeds = plan_debug_dataset(names, 8, 2)
    splits = [split_of(n, s) for n in chosen for s in range(seeds)]
    assert splits.count("train") >= 8 and splits.count("val") >= 2
    fewer = [split_of(n, s) for n in chosen[:-1] for s in range(seeds)]
    assert fewer.count("train") < 8 or fewer.count("val") < 2  # no smaller prefix would do
    assert len(chosen) * seeds < 30

    monkeypatch.setenv("MESHCODER_DEFAULT_DATA", str(tmp_path / "default"))
    missing = ShapeProgramDataModule()  # the default dataset, not made yet
    overrides = _debug_dataset(missing, cfg)
    small = Path(overrides["data"]["root"])
    assert small.parent == tmp_path and small.name.startswith("default-debug-")
    made = overrides["generate_data"]
    assert made["n_per_category"] * len(made["categories"]) < 30  # not the 984-object default dataset

    (tmp_path / "default").mkdir()
    (tmp_path / "default" / "train.json").write_text("[]")
    assert _debug_dataset(missing, cfg) is None  # an existing dataset is used as it is
    assert debug_items(compose_train(["experiment=smollm2_lora", "trainer=cpu"])) is None
    assert debug_items(compose_train(["experiment=smollm2_lora", "debug=limit"]))[0] == 32


def test_loaded_llm_is_built_in_train_mode(tmp_path):
    # from_pretrained returns eval mode; training must not keep it (LoRA dropout, checkpointing).
    config = LLMConfig.tiny_random(tokenizer="program", hidden_size=32, intermediate_size=64)
    llm, tokenizer = build_llm(config.replace(finetune=config.finetune.replace(mode="full")))
    llm.save_pretrained(tmp_path / "llm")
    tokenizer.save_pretrained(tmp_path / "llm")
    local = LLMConfig(source="local", path=str(tmp_path / "llm"), gradient_checkpointing=True)
    loaded, _ = build_llm(local)
    assert all(m.training for m in loaded.modules())


def test_token_budget_batches_keep_ranks_in_step_under_a_distributed_sampler():
    """Two ranks (DistributedSampler shards): training yields the same number of batches on each, every
    epoch, so DDP's gradient all-reduces pair up; validation covers every record once over both."""
    from torch.utils.data import DistributedSampler

    class Items(torch.utils.data.Dataset):
        def __len__(self) -> int:
            return len(LENGTHS)

        def __getitem__(self, i: int) -> int:
            return i

    for epoch in range(3):
        counts = []
        for rank in range(2):
            shard = DistributedSampler(Items(), num_replicas=2, rank=rank, shuffle=True, seed=0)
            shard.set_epoch(epoch)
            sampler = TokenBudgetBatchSampler(shard, 8, lengths=LENGTHS, max_tokens=4096, shuffle=True)
            batches = list(sampler)
            check_budget(batches, LENGTHS, 4096, 8)
            counts.append((len(batches), len(sampler)))
        assert counts[0] == counts[1] and counts[0][0] == counts[0][1], counts
    seen = []
    for rank in range(2):
        shard = DistributedSampler(Items(), num_replicas=2, rank=rank, shuffle=False)
        seen += [i for b in TokenBudgetBatchSampler(shard, 8, lengths=LENGTHS, max_tokens=4096) for i in b]
    assert set(seen) == set(range(len(LENGTHS)))
