"""The dataset pipeline: outputs in the released layout, resumability after a crash or a kill, sharding
and merging, the Hydra command (also as a submitit_local multirun), and the default dataset."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from meshcoder.data import pipeline
from meshcoder.data.categories import CATEGORIES, generators
from meshcoder.data.dataset import ShapeProgramDataset
from meshcoder.data.pipeline import (
    ID_STRIDE,
    SPLITS,
    DatagenConfig,
    DatagenError,
    SimulatedCrash,
    finished_ids,
    merge,
    plan_jobs,
    read_manifests,
    resolve_generators,
    run_shard,
    split_of,
)
from meshcoder.geometry.inputs import MODEL_INPUT_POINTS
from meshcoder.shapes.program import parse

REPO = Path(__file__).resolve().parents[1]
PARTS = ["Primitive", "Boolean", "PartFork"]
OBJECTS = ["Chair"]
NAMES = PARTS + OBJECTS


def _config(out: Path, **changes) -> DatagenConfig:
    settings = {"out_dir": out, "generators": NAMES, "n_per_category": 4, "progress": False, "workers": 1}
    settings.update(changes)
    return DatagenConfig(**settings)


def _splits(out: Path) -> dict[str, list[dict]]:
    return {s: json.loads((out / f"{s}.json").read_text()) for s in SPLITS}


# ---------------------------------------------------------------------------------- no Blender
def test_splits_are_stable_hashes_near_70_15_15():
    counts = Counter(split_of("Chair", s) for s in range(20_000))
    assert counts["train"] / 20_000 == pytest.approx(0.70, abs=0.015)
    assert counts["val"] / 20_000 == pytest.approx(0.15, abs=0.015)
    assert split_of("Chair", 17) == split_of("Chair", 17)
    assert [split_of("Vase", s) for s in range(50)] != [split_of("Chair", s) for s in range(50)]


def test_shards_partition_the_jobs(tmp_path):
    config = _config(tmp_path, n_per_category=7, num_shards=3)
    every = plan_jobs(config)
    shards = [plan_jobs(config, shard=i) for i in range(3)]
    ids = [j.id for shard in shards for j in shard]
    assert sorted(ids) == sorted(j.id for j in every) and len(set(ids)) == len(ids)
    assert max(len(s) for s in shards) - min(len(s) for s in shards) <= 1
    # Ids do not depend on n or on sharding.
    assert {j.id for j in plan_jobs(_config(tmp_path, n_per_category=3))} <= {j.id for j in every}
    assert all(j.id == pipeline.record_id(j.generator, j.seed) for j in every)
    assert len({j.id // ID_STRIDE for j in every}) == len(NAMES)


def test_settings_are_checked(tmp_path):
    with pytest.raises(DatagenError, match="at least 16384"):
        _config(tmp_path, points=1000)
    with pytest.raises(DatagenError, match="shard"):
        _config(tmp_path, shard=2, num_shards=2)
    with pytest.raises(DatagenError, match="no generator for"):
        resolve_generators(["NoSuchThing"])


def test_folders_written_under_the_old_setting_names_still_resume(tmp_path):
    """datagen.json files from before the settings took their command-line names (n_per_generator,
    num_points) read back as the same settings."""
    config = _config(tmp_path)
    renamed = {"n_per_category": "n_per_generator", "points": "num_points"}
    old = {renamed.get(k, k): v for k, v in config.data_settings().items()}
    (tmp_path / "datagen.json").write_text(json.dumps(old))
    assert pipeline.load_settings(tmp_path).data_settings() == config.data_settings()
    pipeline._check_settings(config)  # the same data: no DatagenError
    with pytest.raises(DatagenError, match="n_per_category"):
        pipeline._check_settings(_config(tmp_path, n_per_category=5))


def test_missing_generators_are_skipped_with_a_warning(monkeypatch):
    table = generators()
    fewer = {k: v for k, v in table.items() if k not in ("Chair", "Sofa")}
    monkeypatch.setattr(pipeline, "generators", lambda: fewer)
    with pytest.warns(UserWarning, match="Chair"):
        names = resolve_generators("all")
    assert "Chair" not in names and set(names) <= set(CATEGORIES)
    assert resolve_generators([], "all") == list(pipeline.PART_TYPES)


def test_manifest_reading_survives_a_cut_line(tmp_path):
    path = pipeline.manifest_path(tmp_path, 0, 1)
    path.parent.mkdir(parents=True)
    good = {"id": 5, "status": "ok", "generator": "Primitive", "split": "train"}
    path.write_text(json.dumps(good, separators=(",", ":")) + "\n" + '{"id":6,"status":"o')
    assert finished_ids(tmp_path) == {5}
    assert set(read_manifests(tmp_path)) == {5}
    manifest = pipeline._Manifest(path)  # reopening cuts the broken tail before appending
    manifest.append({"id": 7, "status": "ok"})
    manifest.close()
    assert finished_ids(tmp_path) == {5, 7}
    assert len(path.read_text().splitlines()) == 2


def test_default_dataset_is_reused_when_complete(tmp_path, monkeypatch):
    (tmp_path / "COMPLETE.json").write_text("{}")
    monkeypatch.setattr(pipeline, "run_shard", lambda *a, **k: pytest.fail("must not generate again"))
    assert pipeline.ensure_default_dataset(tmp_path) == tmp_path


def test_default_dataset_folder_can_be_chosen_by_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(pipeline.DEFAULT_DATA_ENV, str(tmp_path / "here"))
    assert pipeline.default_dataset_dir() == tmp_path / "here"


# ------------------------------------------------------------------------------------- Blender
@pytest.fixture(scope="module")
def reference(pool, tmp_path_factory) -> Path:
    """An uninterrupted single-shard run, with token counts."""
    from meshcoder.models.text_tokenizer import token_counter

    out = tmp_path_factory.mktemp("reference")
    report = run_shard(_config(out), token_counter("llama32"), pool=pool)
    assert report.done == len(NAMES) * 4
    merge(out, echo=False)
    return out


@pytest.mark.blender
def test_outputs_follow_the_released_layout(reference):
    splits = _splits(reference)
    records = [r for s in SPLITS for r in splits[s]]
    assert len(records) >= 0.9 * len(NAMES) * 4
    assert len({r["id"] for r in records}) == len(records)
    assert splits["test"], "the fixture's seeds put records in the test split"
    for split, items in splits.items():
        assert [r["id"] for r in items] == sorted(r["id"] for r in items)
        for r in items:
            assert split_of(r["generator"], r["seed"]) == split
            for key in ("id", "script", "pcd_path", "cd_loss", "category", "seed", "generator"):
                assert key in r, key
            assert isinstance(r["id"], int) and r["category"] == r["generator"]
            assert len(r["pcd_path"]) == len(r["cd_loss"]) == 1
            assert all(0 <= cd < 1e-3 for cd in r["cd_loss"]), r["cd_loss"]
            program = parse(r["script"])
            assert program.structure_problems() == []
            assert r["num_parts"] == len(program.parts) and r["labels"] == [p.label for p in program.parts]
            assert r["num_chars"] == len(r["script"]) and 0 < r["num_tokens"] < r["num_chars"]
            with np.load(reference / r["pcd_path"][0]) as cloud:
                assert cloud["points"].dtype == np.float32 and cloud["normals"].dtype == np.float32
                assert cloud["points"].shape == cloud["normals"].shape
                assert cloud["points"].shape[0] >= MODEL_INPUT_POINTS and cloud["points"].shape[1] == 3
                np.testing.assert_allclose(np.linalg.norm(cloud["normals"], axis=1), 1.0, atol=1e-4)
                if r["generator"] in PARTS:
                    assert np.abs(cloud["points"]).max() <= 1.0 + 1e-5
                else:  # objects: the canonical frame
                    assert np.ptp(cloud["points"], axis=0).max() == pytest.approx(1.0, abs=0.03)
            if split == "test":
                assert (reference / r["mesh_path"]).is_file()
            else:
                assert "mesh_path" not in r
    assert (reference / "COMPLETE.json").is_file()
    assert not (reference / "tmp").exists()
    summary = (reference / "summary.md").read_text()
    assert all(f"| {name} |" in summary for name in NAMES)
    # Our folder reads back through the dataset class.
    item = ShapeProgramDataset(reference, "test")[0]
    assert item["points"].shape == (MODEL_INPUT_POINTS, 3)


@pytest.mark.blender
def test_crash_midway_then_resume_gives_the_same_records(pool, reference, tmp_path):
    config = _config(tmp_path)
    with pytest.raises(SimulatedCrash):
        run_shard(config, pool=pool, crash_after=5)
    assert len(finished_ids(tmp_path)) == 5
    # Leftovers of a crash: a temporary file and a cut manifest line. Neither may break the resume.
    (tmp_path / "tmp" / "shard-00000-of-00001").mkdir(parents=True, exist_ok=True)
    (tmp_path / "tmp" / "shard-00000-of-00001" / "junk.npz").write_bytes(b"partial")
    with open(pipeline.manifest_path(tmp_path, 0, 1), "a") as fh:
        fh.write('{"id":123,"sta')
    report = run_shard(config, pool=pool)
    assert report.skipped == 5 and report.done == len(NAMES) * 4 - 5
    merge(tmp_path, echo=False)
    _assert_same_records(tmp_path, reference)


def _assert_same_records(out: Path, reference: Path) -> None:
    got, want = _splits(out), _splits(reference)
    for split in SPLITS:
        strip = lambda rs: [{k: v for k, v in r.items() if k != "num_tokens"} for r in rs]  # noqa: E731
        assert strip(got[split]) == strip(want[split]), split
    ids = [json.loads(line)["id"] for p in (out / "manifests").glob("*.jsonl") for line in p.open()]
    assert len(ids) == len(set(ids)), "a job was recorded twice"
    first = want["train"][0]["pcd_path"][0]
    with np.load(out / first) as a, np.load(reference / first) as b:
        np.testing.assert_array_equal(a["points"], b["points"])


@pytest.mark.blender
def test_two_shards_and_a_merge_equal_one_shard(pool, reference, tmp_path):
    first = run_shard(_config(tmp_path, shard=0, num_shards=2), pool=pool)
    assert not pipeline.all_jobs_done(tmp_path)
    partial = merge(tmp_path, echo=False)
    assert not partial.complete and "not done" in partial.summary
    second = run_shard(_config(tmp_path, shard=1, num_shards=2), pool=pool)
    assert first.done + second.done == len(NAMES) * 4
    assert merge(tmp_path, echo=False).complete
    _assert_same_records(tmp_path, reference)


@pytest.mark.blender
def test_resuming_with_other_settings_is_refused(pool, reference, tmp_path):
    run_shard(_config(tmp_path, n_per_category=1), pool=pool)
    with pytest.raises(DatagenError, match="other settings"):
        run_shard(_config(tmp_path, n_per_category=2), pool=pool)


def _command(out: Path, *extra: str, multirun: bool = False) -> list[str]:
    parts = ",".join(PARTS)
    return [
        sys.executable, "-m", "meshcoder.cli.datagen", *(["--multirun"] if multirun else []), f"out_dir={out}",
        "categories=[]", f"part_types=[{parts}]", "n_per_category=4", "tokens=none", "workers=1",
        "progress=false", *extra,
    ]  # fmt: skip


@pytest.mark.blender
@pytest.mark.slow
def test_killed_command_resumes_to_the_same_records(pool, tmp_path):
    reference = tmp_path / "reference"
    run_shard(_config(reference, generators=PARTS), pool=pool)
    merge(reference, echo=False)

    out = tmp_path / "killed"
    manifest = pipeline.manifest_path(out, 0, 1)
    proc = subprocess.Popen(_command(out), cwd=REPO, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and len(manifest.read_text().splitlines()) >= 3:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the command and nothing else: workers sit in their own sessions
    proc.wait()
    done_at_kill = len(finished_ids(out))
    assert 3 <= done_at_kill < len(PARTS) * 4, "the run should have been killed midway"
    assert not (out / "train.json").exists()

    subprocess.run(_command(out), cwd=REPO, check=True, capture_output=True)
    _assert_same_records(out, reference)


@pytest.mark.blender
@pytest.mark.slow
def test_submitit_local_multirun_of_two_shards(pool, tmp_path):
    reference = tmp_path / "reference"
    run_shard(_config(reference, generators=PARTS), pool=pool)
    merge(reference, echo=False)

    out = tmp_path / "sharded"
    run = subprocess.run(
        _command(out, "hydra/launcher=submitit_local", "shard=0,1", "num_shards=2", multirun=True),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert sorted(p.name for p in (out / "manifests").iterdir()) == [
        "shard-00000-of-00002.jsonl",
        "shard-00001-of-00002.jsonl",
    ]
    assert (out / "COMPLETE.json").is_file(), "the last shard to finish merges"
    _assert_same_records(out, reference)


@pytest.mark.blender
@pytest.mark.slow
def test_merge_command(pool, reference, tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "meshcoder.cli.datagen", "merge=true", f"out_dir={reference}"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "| **all** |" in run.stdout


@pytest.mark.blender
@pytest.mark.slow
def test_default_dataset_is_made_once(tmp_path, monkeypatch):
    root = pipeline.ensure_default_dataset(tmp_path / "default", n_per_category=1, workers=1, progress=False)
    assert (root / "COMPLETE.json").is_file()
    records = [r for s in SPLITS for r in _splits(root)[s]]
    assert {r["category"] for r in records} <= set(CATEGORIES)
    assert len(records) >= 0.9 * len(CATEGORIES)
    monkeypatch.setattr(pipeline, "run_shard", lambda *a, **k: pytest.fail("must not generate again"))
    assert pipeline.ensure_default_dataset(root) == root
