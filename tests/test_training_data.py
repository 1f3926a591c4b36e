"""The synthetic dataset the training tests share (the ``make_dataset`` fixture in ``conftest.py``) reads
back through the data module."""

from __future__ import annotations

import json

SIZES = {"train": 12, "val": 4, "test": 2}


def test_synthetic_dataset_loads(tmp_path, make_dataset):
    from meshcoder.data.datamodule import ShapeProgramDataModule

    root = make_dataset(tmp_path / "boxes", sizes=SIZES)
    assert {split: len(json.loads((root / f"{split}.json").read_text())) for split in SIZES} == SIZES
    dm = ShapeProgramDataModule(root, batch_size=4, num_points=1024)
    dm.setup("fit")
    batch = next(iter(dm.train_dataloader()))
    assert batch["points"].shape == (4, 1024, 3)
    assert len(dm.dataset("val")) == SIZES["val"]
    assert all("create_primitive" in p for p in batch["programs"])


def test_data_module_prepares_its_dataset(tmp_path, make_dataset, monkeypatch):
    """prepare_data makes a missing dataset through the pipeline, uses one that exists as it is, says
    what to give when there is none, and hands the training texts to the tokenizer."""
    import pytest

    from meshcoder.data import pipeline
    from meshcoder.data.datamodule import MissingDatasetError, ShapeProgramDataModule

    made = []

    def fake_make(root, make_token_counter=None, **settings):
        made.append((root, settings, make_token_counter))
        make_dataset(root, sizes=SIZES)
        return root

    monkeypatch.setattr(pipeline, "ensure_default_dataset", fake_make)
    counter = object()
    generate = {"n_per_category": 2, "categories": ["Chair"], "part_types": None}
    dm = ShapeProgramDataModule(tmp_path / "made", generate=generate, make_token_counter=counter)
    dm.prepare_data()
    assert made == [(tmp_path / "made", generate, counter)]
    assert len(dm.training_texts()) == SIZES["train"]

    elsewhere = make_dataset(tmp_path / "elsewhere", sizes=SIZES)  # no datagen.json: not ours to resume
    ShapeProgramDataModule(elsewhere, generate=generate).prepare_data()
    assert len(made) == 1
    with pytest.raises(MissingDatasetError, match=r"has no train\.json"):
        ShapeProgramDataModule(tmp_path / "nothing").prepare_data()
    with pytest.raises(MissingDatasetError, match="within"):
        ShapeProgramDataModule(tmp_path / "nothing").wait_for_data(0.0, poll_s=0.0)


def test_debug_runs_get_a_small_dataset_of_their_own(tmp_path, make_dataset):
    from meshcoder.data.datamodule import ShapeProgramDataModule
    from meshcoder.data.pipeline import split_of

    dm = ShapeProgramDataModule(tmp_path / "full", generate={"n_per_category": 24, "workers": 1})
    root, generate = dm.debug_dataset(8, 2)
    assert root.parent == tmp_path and root.name.startswith("full-debug-")
    names = generate["categories"] + (generate["part_types"] or [])
    splits = [split_of(n, s) for n in names for s in range(generate["n_per_category"])]
    assert splits.count("train") >= 8 and splits.count("val") >= 2 and generate["workers"] == 1
    assert ShapeProgramDataModule(tmp_path / "given").debug_dataset(8, 2) is None  # never generated
    make_dataset(tmp_path / "full", sizes=SIZES)
    assert dm.debug_dataset(8, 2) is None  # an existing dataset is used as it is
