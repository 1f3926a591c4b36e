"""The dataset reader on a fixture in MeshCoder's released layout, its augmentations, and the DataModule's
padding collate and tokenizer hook. No Blender."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from meshcoder.data.datamodule import PadCollate, ShapeProgramDataModule
from meshcoder.data.dataset import (
    Augmentation,
    DatasetError,
    ShapeProgramDataset,
    load_cloud,
    resolve_cloud_path,
)

N = 16_384
SCRIPT = (
    "import bpy\nfrom math import radians, pi\nfrom bpy_lib import *\n\ndelete_all()\n\n# object name: box\n"
)


def _sphere(n: int, centre, rng) -> tuple[np.ndarray, np.ndarray]:
    normals = rng.normal(size=(n, 3))
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    return (0.3 * normals + np.asarray(centre)).astype(np.float32), normals.astype(np.float32)


def _write(path: Path, points, normals=None, batch_axis: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {"points": points[None] if batch_axis else points}
    if normals is not None:
        arrays["normals"] = normals[None] if batch_axis else normals
    np.savez(path, **arrays)


@pytest.fixture
def released(tmp_path) -> Path:
    """A folder laid out like MeshCoder's released data: object clouds under point_cloud/ named with that
    prefix, part clouds named relative to point_cloud/, a string pcd_path, scalar and missing cd_loss,
    a cloud saved with a batch axis, and the fields we do not need (prompt, num_start, num_end)."""
    rng = np.random.default_rng(0)
    _write(tmp_path / "point_cloud/Chair/1_0.npz", *_sphere(N, [0.5, 0, 0], rng))
    _write(tmp_path / "point_cloud/Chair/1_1.npz", *_sphere(N, [-0.5, 0, 0], rng))
    _write(tmp_path / "point_cloud/Chair/1_2.npz", *_sphere(N, [0, 0.5, 0], rng))  # cd_loss too high
    _write(tmp_path / "point_cloud/part_000002.npz", *_sphere(N + 100, [0, 0, 0], rng), batch_axis=True)
    _write(tmp_path / "point_cloud/Vase/3_0.npz", *_sphere(N, [0, 0, 0.2], rng))
    _write(tmp_path / "point_cloud/Vase/4_0.npz", *_sphere(N, [0, 0, 0.2], rng))  # every cloud too far
    common = {"prompt": "unused", "num_start": [1], "num_end": [2]}
    train = [
        {"id": 1, "script": SCRIPT + "# 1", "category": "Chair", "cd_loss": [0.001, 0.002, 0.01], **common,
         "pcd_path": ["point_cloud/Chair/1_0.npz", "point_cloud/Chair/1_1.npz", "point_cloud/Chair/1_2.npz"]},
        {"id": 2, "script": SCRIPT + "# 2", "category": "Primitive", "cd_loss": 0.0001, **common,
         "pcd_path": "part_000002.npz"},
        {"id": 3, "script": SCRIPT + "# 3", "category": "Vase", **common, "pcd_path": ["point_cloud/Vase/3_0.npz"]},
        {"id": 4, "script": SCRIPT + "# 4", "category": "Vase", "cd_loss": [0.02], **common,
         "pcd_path": ["point_cloud/Vase/4_0.npz"]},
    ]  # fmt: skip
    (tmp_path / "train.json").write_text(json.dumps(train))
    (tmp_path / "val.json").write_text(json.dumps(train))
    (tmp_path / "test.json").write_text(json.dumps(train[:1]))
    return tmp_path


def test_released_layout_reads_with_its_path_rules(released):
    ds = ShapeProgramDataset(released, "train", seed=0)
    # Record 4 has only a cloud over max_cd_loss and is dropped, as is cloud 1_2 of record 1.
    assert [ds[i]["id"] for i in range(len(ds))] == [1, 2, 3]
    assert ds.dropped_clouds == 2 and ds.dropped_records == 1
    for i in range(len(ds)):
        item = ds[i]
        assert item["points"].shape == (N, 3) and item["points"].dtype == torch.float32
        assert item["normals"].shape == (N, 3)
        assert item["program"].startswith("import bpy") and item["category"] in ("Chair", "Primitive", "Vase")
    part = ds[1]
    assert part["pcd_path"].endswith("point_cloud/part_000002.npz") and part["cd_loss"] == 0.0001
    assert math.isnan(ds[2]["cd_loss"])  # no cd_loss in the record: kept, unknown


def test_the_cd_filter_applies_to_training_only_unless_asked(released):
    assert len(ShapeProgramDataset(released, "val")) == 4
    assert len(ShapeProgramDataset(released, "val", max_cd_loss=0.005)) == 3
    assert len(ShapeProgramDataset(released, "train", max_cd_loss=None)) == 4
    assert len(ShapeProgramDataset(released, "train", categories=["Vase"])) == 1


def test_max_tokens_uses_the_field_or_counts(released):
    records = json.loads((released / "train.json").read_text())
    records[0]["num_tokens"] = 9_000  # our records carry the count
    (released / "val.json").write_text(json.dumps(records))
    with pytest.warns(UserWarning, match="no num_tokens"):
        kept = ShapeProgramDataset(released, "val", max_tokens=5_000)
    assert [kept[i]["id"] for i in range(len(kept))] == [2, 3, 4]
    long_two = ShapeProgramDataset(
        released,
        "val",
        max_tokens=5_000,
        count_tokens=lambda texts: [9_000 if t.endswith("# 2") else 10 for t in texts],
    )
    assert [long_two[i]["id"] for i in range(len(long_two))] == [3, 4]


def test_one_cloud_is_picked_per_access(released):
    ds = ShapeProgramDataset(released, "train")
    sides = {float(np.sign(ds[0]["points"][:, 0].mean())) for _ in range(40)}
    assert sides == {-1.0, 1.0}  # both kept clouds of record 1, never the filtered one (centred at y 0.5)
    assert all(abs(float(ds[0]["points"][:, 1].mean())) < 0.1 for _ in range(10))


def test_a_seed_makes_items_repeatable(released):
    ds = ShapeProgramDataset(released, "train", seed=3)
    torch.testing.assert_close(ds[0]["points"], ds[0]["points"])
    fresh = ShapeProgramDataset(released, "train")
    assert not torch.equal(fresh[0]["points"], fresh[0]["points"])


def test_path_rules_and_errors(released, tmp_path_factory):
    assert resolve_cloud_path(released, "part_000002.npz") == released / "point_cloud/part_000002.npz"
    assert resolve_cloud_path(released, "point_cloud/Vase/3_0.npz") == released / "point_cloud/Vase/3_0.npz"
    absolute = released / "point_cloud/Vase/3_0.npz"
    assert resolve_cloud_path("/nowhere", str(absolute)) == absolute
    with pytest.raises(FileNotFoundError, match="tried"):
        resolve_cloud_path(released, "missing.npz")
    points, normals = load_cloud(released / "point_cloud/part_000002.npz")
    assert points.shape == (N + 100, 3) and normals.shape == (N + 100, 3)
    bad = tmp_path_factory.mktemp("bad")
    (bad / "train.json").write_text(
        json.dumps([{"id": 1, "script": "x", "pcd_path": ["a", "b"], "cd_loss": [0]}])
    )
    with pytest.raises(DatasetError, match="pair up"):
        ShapeProgramDataset(bad, "train")
    with pytest.raises(DatasetError, match="does not exist"):
        ShapeProgramDataset(bad, "val")


def test_small_clouds_and_missing_normals_warn(tmp_path):
    _write(tmp_path / "point_cloud/a.npz", np.zeros((100, 3), np.float32))
    (tmp_path / "train.json").write_text(json.dumps([{"id": 1, "script": "s", "pcd_path": ["a.npz"]}]))
    ds = ShapeProgramDataset(tmp_path, "train")
    with pytest.warns(UserWarning) as caught:
        item = ds[0]
    messages = " ".join(str(w.message) for w in caught)
    assert "no normals" in messages and "fewer than" in messages
    assert item["points"].shape == (N, 3) and torch.all(item["normals"] == 0)


# -------------------------------------------------------------------------------- augmentation
def _pair(released, augmentation):
    plain = ShapeProgramDataset(released, "train", seed=5, max_cd_loss=None)[2]
    changed = ShapeProgramDataset(released, "train", seed=5, max_cd_loss=None, augmentation=augmentation)[2]
    return plain, changed


def test_augmentation_is_off_by_default(released):
    assert not Augmentation().enabled
    ds = ShapeProgramDataset(released, "train", seed=1)
    assert not ds.augmentation.enabled
    item = ds[2]
    points, _ = load_cloud(released / "point_cloud/Vase/3_0.npz")
    rows = {tuple(p) for p in points.tolist()}
    assert all(tuple(p) in rows for p in item["points"].tolist()[:500])  # exact rows of the file


def test_up_rotation_keeps_norms_heights_and_normal_alignment(released):
    plain, turned = _pair(released, Augmentation(rotate_up=180))
    p, q = plain["points"].double(), turned["points"].double()
    torch.testing.assert_close(q.norm(dim=1), p.norm(dim=1), atol=1e-5, rtol=0)
    torch.testing.assert_close(q[:, 1], p[:, 1], atol=1e-6, rtol=0)  # a turn about Y keeps heights
    assert (q - p).abs().max() > 0.05
    dots_p = (p * plain["normals"].double()).sum(1)
    dots_q = (q * turned["normals"].double()).sum(1)
    torch.testing.assert_close(dots_q, dots_p, atol=1e-5, rtol=0)  # normals turn with the points


def test_tilt_stays_within_its_angle(released):
    aug = Augmentation(tilt=10)
    rng = np.random.default_rng(0)
    for _ in range(50):
        up = aug.rotation(rng) @ np.array([0.0, 1.0, 0.0])
        assert math.degrees(math.acos(np.clip(up[1], -1, 1))) <= 10 * math.sqrt(2) + 1e-6
    plain, tilted = _pair(released, aug)
    torch.testing.assert_close(tilted["points"].norm(dim=1), plain["points"].norm(dim=1), atol=1e-5, rtol=0)


def test_scale_noise_and_point_count(released):
    plain, scaled = _pair(released, Augmentation(scale=(0.5, 0.6)))
    ratio = scaled["points"].norm(dim=1) / plain["points"].norm(dim=1)
    assert 0.5 <= float(ratio.mean()) <= 0.6 and float(ratio.std()) < 1e-5
    torch.testing.assert_close(scaled["normals"], plain["normals"])
    plain, noisy = _pair(released, Augmentation(noise_std=0.01))
    assert float((noisy["points"] - plain["points"]).std()) == pytest.approx(0.01, rel=0.05)
    ds = ShapeProgramDataset(released, "train", augmentation={"num_points": [4096, 8192]})
    counts = {len(ds[0]["points"]) for _ in range(10)}
    assert all(4096 <= c <= 8192 for c in counts) and len(counts) > 1
    with pytest.raises(ValueError, match="unknown augmentation"):
        Augmentation.from_config({"rotate": 3})


# ---------------------------------------------------------------------------------- DataModule
def test_collate_pads_points_and_tokens():
    items = [
        {"points": torch.ones(n, 3), "normals": torch.ones(n, 3), "program": "ab" * n, "category": "c",
         "id": n, "cd_loss": 0.0}
        for n in (3, 5)
    ]  # fmt: skip
    batch = PadCollate()(items)
    assert batch["points"].shape == (2, 5, 3) and batch["normals"].shape == (2, 5, 3)
    assert batch["points_mask"].tolist() == [[True] * 3 + [False] * 2, [True] * 5]
    assert batch["points"][0, 3:].abs().sum() == 0 and batch["num_points"].tolist() == [3, 5]
    assert batch["programs"] == ["ababab", "ab" * 5] and batch["ids"].tolist() == [3, 5]
    assert "input_ids" not in batch
    tokens = PadCollate(lambda texts: [[ord(c) for c in t] for t in texts], pad_id=-1)(items)
    assert tokens["input_ids"].shape == (2, 10) and tokens["lengths"].tolist() == [6, 10]
    assert tokens["input_ids"][0, 6:].tolist() == [-1] * 4 and tokens["attention_mask"][0].sum() == 6
    assert tokens["input_ids"][1, :2].tolist() == [ord("a"), ord("b")]


def test_datamodule_batches(released):
    import lightning

    dm = ShapeProgramDataModule(
        released, batch_size=2, augmentation={"num_points": (1000, 2000)},
        tokenizer=lambda texts: [[len(t)] * 3 for t in texts], max_cd_loss=None,
    )  # fmt: skip
    assert isinstance(dm, lightning.LightningDataModule)
    dm.prepare_data()
    dm.setup("fit")
    batch = next(iter(dm.train_dataloader()))
    assert batch["points"].shape[0] == 2 and 1000 <= batch["points"].shape[1] <= 2000
    assert batch["points_mask"].sum(1).tolist() == batch["num_points"].tolist()
    assert batch["input_ids"].shape == (2, 3)
    val = next(iter(dm.val_dataloader()))
    assert val["points"].shape == (2, N, 3) and bool(val["points_mask"].all())  # no augmentation
    dm.setup("test")
    assert len(dm.test_dataloader().dataset) == 1
