"""The retrieval baseline on tiny synthetic clouds (no Blender): exact hits, invariances, the shortlist,
files, and errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from meshcoder.evaluation.retrieval import (
    Match,
    RetrievalBaseline,
    RetrievalError,
    prepare_cloud,
)
from meshcoder.geometry.metrics import chamfer_distance

POINTS = 256


def box_cloud(extents, n: int = 1000, seed: int = 0) -> np.ndarray:
    """Points on the surface of an axis-aligned box centred at the origin."""
    rng = np.random.default_rng(seed)
    half = np.asarray(extents, dtype=np.float64) / 2
    points = rng.uniform(-half, half, size=(n, 3))
    axis = rng.integers(0, 3, size=n)
    side = rng.choice([-1.0, 1.0], size=n)
    points[np.arange(n), axis] = side * half[axis]
    return points


def sphere_cloud(n: int = 1000, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, 3))
    return 0.5 * v / np.linalg.norm(v, axis=1, keepdims=True)


SHAPES = {
    "cube": box_cloud((1, 1, 1), seed=1),
    "slab": box_cloud((1, 0.1, 1), seed=2),
    "pole": box_cloud((0.1, 1, 0.1), seed=3),
    "plank": box_cloud((1, 0.2, 0.4), seed=4),
    "ball": sphere_cloud(seed=5),
}


@pytest.fixture
def dataset(tmp_path):
    """A dataset folder whose train split holds one record per shape (clouds as .npz)."""
    records = []
    for i, (name, points) in enumerate(SHAPES.items()):
        path = tmp_path / "point_cloud" / "Shape" / f"{i}_0.npz"
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, points=points.astype(np.float32), normals=np.zeros_like(points, dtype=np.float32))
        records.append(
            {
                "id": i,
                "script": f"# {name}\n",
                "pcd_path": [str(path.relative_to(tmp_path))],
                "category": name,
            }
        )
    records.append({"id": 99, "category": "no cloud", "script": "# nothing\n"})  # skipped
    (tmp_path / "train.json").write_text(json.dumps(records))
    return tmp_path


@pytest.fixture
def baseline(dataset) -> RetrievalBaseline:
    return RetrievalBaseline.from_dataset(dataset, points=POINTS, shortlist=2, progress=False)


def test_a_training_cloud_finds_itself_at_distance_zero(baseline):
    assert len(baseline) == len(SHAPES)  # the record without a cloud is not indexed
    for i, (name, points) in enumerate(SHAPES.items()):
        match = baseline.query(points.astype(np.float32))
        assert match == Match(i, name, f"# {name}\n", 0.0)


def test_order_position_and_size_of_the_query_do_not_matter(baseline):
    points = SHAPES["plank"]
    shuffled = points[np.random.default_rng(0).permutation(len(points))]
    assert baseline.query(shuffled) == baseline.query(points)
    moved = 3.0 * points + np.array([5.0, -2.0, 1.0])
    match = baseline.query(moved)
    assert match.category == "plank" and match.distance == pytest.approx(0.0, abs=1e-10)


def test_a_new_sample_of_a_shape_finds_that_shape(baseline):
    for seed, (name, points) in enumerate(SHAPES.items(), start=10):
        other = sphere_cloud(seed=seed) if name == "ball" else None
        if other is None:
            extents = np.ptp(points, axis=0)
            other = box_cloud(extents, n=3000, seed=seed)
        match, runner_up = baseline.nearest(other, k=2)
        assert match.category == name
        assert 0 < match.distance < 0.5 * runner_up.distance  # sampling noise, far below a wrong shape


def test_distance_is_the_spec_chamfer_of_prepared_clouds(baseline):
    query = SHAPES["cube"] * np.array([1.0, 0.8, 1.0])
    first, second = baseline.nearest(query, k=2)
    prepared = prepare_cloud(query, POINTS)
    index = [r["id"] for r in baseline.records].index(first.id)
    assert first.distance == pytest.approx(chamfer_distance(prepared, baseline.clouds[index]))
    assert first.distance <= second.distance


def test_shortlist_agrees_with_the_exhaustive_search(dataset, baseline):
    exhaustive = RetrievalBaseline.from_dataset(dataset, points=POINTS, shortlist=0, progress=False)
    rng = np.random.default_rng(7)
    for points in SHAPES.values():
        noisy = points + rng.normal(scale=0.02, size=points.shape)
        assert baseline.query(noisy) == exhaustive.query(noisy)
    everything = exhaustive.nearest(SHAPES["slab"], k=len(SHAPES))
    assert everything[0].category == "slab"
    assert [m.distance for m in everything] == sorted(m.distance for m in everything)
    assert len(baseline.nearest(SHAPES["slab"], k=4)) == 4  # k beyond the shortlist widens it


def test_save_and_load_give_the_same_answers(tmp_path, baseline):
    folder = baseline.save(tmp_path / "index")
    loaded = RetrievalBaseline.load(folder)
    assert (loaded.points, loaded.seed, loaded.shortlist) == (POINTS, 0, 2)
    assert "train" in loaded.source
    for points in SHAPES.values():
        assert loaded.query(points) == baseline.query(points)
    assert RetrievalBaseline.load(folder, shortlist=0).shortlist == 0


def test_errors_say_what_is_wrong(tmp_path, baseline):
    with pytest.raises(RetrievalError, match="holds no retrieval index"):
        RetrievalBaseline.load(tmp_path / "nowhere")
    with pytest.raises(RetrievalError, match="N x 3"):
        baseline.query(np.zeros((10, 2)))
    with pytest.raises(RetrievalError, match="NaN"):
        baseline.query(np.full((10, 3), np.nan))
    with pytest.raises(RetrievalError, match="normalise"):
        baseline.query(np.zeros((10, 3)))
    with pytest.raises(RetrievalError, match=r"val\.json does not exist"):
        RetrievalBaseline.from_dataset(tmp_path, split="val", progress=False)
    (tmp_path / "train.json").write_text("[]")
    with pytest.raises(RetrievalError, match="no record"):
        RetrievalBaseline.from_dataset(tmp_path, progress=False)


def test_small_clouds_are_drawn_with_replacement():
    prepared = prepare_cloud(box_cloud((1, 1, 1), n=50), 128)
    assert prepared.shape == (128, 3) and prepared.dtype == np.float32
    assert np.ptp(prepared, axis=0).max() <= 1.0 + 1e-6
