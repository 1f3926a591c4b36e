"""A small synthetic dataset for the training tests (boxes whose programs Blender runs in milliseconds),
and a check that the data module reads it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from meshcoder.shapes.program import HEADER

SPLIT_SIZES = {"train": 12, "val": 4, "test": 2}
POINTS = 16_384


def box_program(scale: tuple[float, float, float], offset: float) -> str:
    """A two-part program: a box and a thin slab on top of it."""
    sx, sy, sz = scale
    top = sy + 0.02
    return (
        HEADER
        + "\n# object name: box\n# part_1: body\n"
        + f"create_primitive(name='body_1', primitive_type='cube', location=[0.0, 0.0, 0.0], "
        f"scale=[{sx:.2f}, {sy:.2f}, {sz:.2f}])\n"
        + "# part_2: lid\n"
        + f"create_primitive(name='lid_2', primitive_type='cube', location=[{offset:.2f}, {top:.2f}, 0.0], "
        f"scale=[{sx:.2f}, 0.02, {sz:.2f}])\n"
    )


def box_cloud(scale: tuple[float, float, float], rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Points and normals uniformly on the surface of an axis-aligned box of half-extents ``scale``."""
    half = np.asarray(scale, dtype=np.float64)
    areas = np.array([half[1] * half[2], half[0] * half[2], half[0] * half[1]]).repeat(2)
    face = rng.choice(6, size=POINTS, p=areas / areas.sum())
    points = rng.uniform(-1, 1, size=(POINTS, 3)) * half
    normals = np.zeros((POINTS, 3))
    axis, sign = face // 2, np.where(face % 2 == 0, -1.0, 1.0)
    points[np.arange(POINTS), axis] = sign * half[axis]
    normals[np.arange(POINTS), axis] = sign
    return points.astype(np.float32), normals.astype(np.float32)


def make_dataset(root: Path, sizes: dict[str, int] = SPLIT_SIZES, seed: int = 0) -> Path:
    """Write train/val/test.json and point clouds of box programs under ``root``."""
    rng = np.random.default_rng(seed)
    (root / "point_cloud" / "Box").mkdir(parents=True, exist_ok=True)
    next_id = 0
    for split, count in sizes.items():
        records = []
        for _ in range(count):
            scale = tuple(float(v) for v in np.round(rng.uniform(0.15, 0.45, size=3), 2))
            points, normals = box_cloud(scale, rng)
            rel = f"point_cloud/Box/{next_id}_0.npz"
            np.savez(root / rel, points=points, normals=normals)
            records.append(
                {
                    "id": next_id,
                    "script": box_program(scale, float(np.round(rng.uniform(-0.05, 0.05), 2))),
                    "pcd_path": [rel],
                    "cd_loss": [0.0],
                    "category": "Box" if next_id % 2 else "Crate",
                }
            )
            next_id += 1
        (root / f"{split}.json").write_text(json.dumps(records))
    return root


def test_synthetic_dataset_loads(tmp_path):
    from meshcoder.data.datamodule import ShapeProgramDataModule

    root = make_dataset(tmp_path / "boxes")
    dm = ShapeProgramDataModule(root, batch_size=4, num_points=1024)
    dm.setup("fit")
    batch = next(iter(dm.train_dataloader()))
    assert batch["points"].shape == (4, 1024, 3)
    assert len(dm.dataset("val")) == SPLIT_SIZES["val"]
    assert all("create_primitive" in p for p in batch["programs"])
