"""The fixed held-out test set: reserved seeds, a forced split, the preset, and a small real run."""

from __future__ import annotations

import json

import pytest
from hydra import compose, initialize_config_dir

from meshcoder.conf import CONFIG_DIR
from meshcoder.data.categories import CATEGORIES
from meshcoder.data.datagen import config_from
from meshcoder.data.pipeline import (
    HELDOUT_SEED,
    ID_STRIDE,
    SPLITS,
    DatagenConfig,
    DatagenError,
    merge,
    parse_seed,
    plan_jobs,
    run_shard,
    split_of,
)


def _config(out, **changes) -> DatagenConfig:
    settings = {"out_dir": out, "generators": ["Bowl", "Chair"], "n_per_category": 2, "progress": False}
    settings.update(changes)
    return DatagenConfig(**settings)


def test_training_runs_may_not_reach_the_reserved_seeds(tmp_path):
    with pytest.raises(DatagenError, match="reserved for the held-out test set"):
        _config(tmp_path, seed=HELDOUT_SEED - 1)  # its second seed is the first reserved one
    for split in ("train", "val"):
        with pytest.raises(DatagenError, match="split=test"):
            _config(tmp_path, seed=HELDOUT_SEED, split=split)
    with pytest.raises(DatagenError, match="split='holdout'"):
        _config(tmp_path, split="holdout")
    _config(tmp_path, seed=HELDOUT_SEED - 2)  # right below the range: allowed
    _config(tmp_path, seed=ID_STRIDE - 2, split="test")


def test_a_forced_split_puts_every_job_there(tmp_path):
    held_out = plan_jobs(_config(tmp_path, seed=HELDOUT_SEED, split="test", n_per_category=20))
    assert {j.split for j in held_out} == {"test"}
    assert min(j.seed for j in held_out) == HELDOUT_SEED
    hashed = plan_jobs(_config(tmp_path, n_per_category=20))
    assert [j.split for j in hashed] == [split_of(j.generator, j.seed) for j in hashed]
    assert len({j.split for j in hashed}) > 1


def test_the_heldout_preset_covers_every_category_from_the_reserved_seed():
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("datagen", overrides=["preset=heldout"])
        default = config_from(compose("datagen", overrides=["out_dir=x"]))
    config = config_from(cfg)
    assert (config.seed, config.split, config.out_dir.name) == (HELDOUT_SEED, "test", "heldout")
    assert config.n_per_category >= 5 and config.generators == list(CATEGORIES)
    assert (default.seed, default.split) == (0, None)
    assert parse_seed("heldout") == HELDOUT_SEED and parse_seed("12") == 12
    with pytest.raises(DatagenError, match="give a number"):
        parse_seed("later")


@pytest.mark.blender
def test_a_heldout_run_writes_a_test_split_only(pool, tmp_path):
    config = _config(tmp_path, seed=HELDOUT_SEED, split="test", workers=1)
    report = run_shard(config, pool=pool)
    assert report.done == 4
    merged = merge(tmp_path, echo=False)
    assert merged.complete
    splits = {s: json.loads((tmp_path / f"{s}.json").read_text()) for s in SPLITS}
    assert splits["train"] == [] and splits["val"] == []
    records = splits["test"]
    assert len(records) >= 3  # a generator may fail now and then; both categories show up
    assert {r["category"] for r in records} == {"Bowl", "Chair"}
    assert all(r["seed"] >= HELDOUT_SEED for r in records)
    assert all((tmp_path / r["mesh_path"]).is_file() for r in records)
    assert json.loads((tmp_path / "datagen.json").read_text())["split"] == "test"
    # Resuming with the hash split instead is a different dataset: refused.
    with pytest.raises(DatagenError, match="other settings"):
        run_shard(_config(tmp_path, seed=HELDOUT_SEED - 2, workers=1), pool=pool)
