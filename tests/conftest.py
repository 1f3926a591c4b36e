"""Shared fixtures: one Blender executor pool per test session (per xdist worker), programs from bodies
of calls, and a small synthetic dataset of box programs for the training tests."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from meshcoder.geometry.inputs import MODEL_INPUT_POINTS
from meshcoder.shapes.program import HEADER

#: The split sizes of the synthetic dataset unless a test asks for others.
BOX_SPLIT_SIZES = {"train": 12, "val": 4, "test": 2}


def _with_header(body: str) -> str:
    return body if "from bpy_lib import" in body else HEADER + "\n" + body.strip() + "\n"


@pytest.fixture(scope="session")
def with_header() -> Callable[[str], str]:
    """``with_header(body) -> str``: a program from a body of calls, the fixed header added when the
    body lacks it."""
    return _with_header


@pytest.fixture(scope="session")
def pool():
    """A warm pool of Blender workers shared by every test in the session."""
    from meshcoder.shapes.executor import ExecutorPool

    workers = int(os.environ.get("MESHCODER_TEST_WORKERS", "1"))
    with ExecutorPool(num_workers=workers, timeout=60.0) as p:
        yield p


@pytest.fixture
def run(pool, with_header):
    """``run(body) -> ExecutionResult``: execute a program body (header added if missing)."""

    def _run(body: str):
        return pool.run(with_header(body))

    return _run


def pytest_collection_modifyitems(config, items):
    try:
        import torch

        has_cuda = torch.cuda.is_available()
    except ImportError:
        has_cuda = False
    if not has_cuda:
        skip = pytest.mark.skip(reason="needs a CUDA device")
        for item in items:
            if "gpu" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="module")
def single_torch_thread():
    """Run a module's torch work on one thread. Tiny models gain nothing from OpenMP threads, and when
    the cores are busy (xdist workers, other jobs) OpenMP's spinning threads make them many times slower
    (measured: 115 s against 20 s for the model tests on a loaded 2-core machine)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _box_program(scale: tuple[float, float, float], offset: float) -> str:
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


def _box_cloud(scale: tuple[float, float, float], rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Points and normals uniformly on the surface of an axis-aligned box of half-extents ``scale``, as many
    as datagen writes per cloud."""
    n = MODEL_INPUT_POINTS
    half = np.asarray(scale, dtype=np.float64)
    areas = np.array([half[1] * half[2], half[0] * half[2], half[0] * half[1]]).repeat(2)
    face = rng.choice(6, size=n, p=areas / areas.sum())
    points = rng.uniform(-1, 1, size=(n, 3)) * half
    normals = np.zeros((n, 3))
    axis, sign = face // 2, np.where(face % 2 == 0, -1.0, 1.0)
    points[np.arange(n), axis] = sign * half[axis]
    normals[np.arange(n), axis] = sign
    return points.astype(np.float32), normals.astype(np.float32)


def _make_box_dataset(root: Path, sizes: dict[str, int] = BOX_SPLIT_SIZES, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    (root / "point_cloud" / "Box").mkdir(parents=True, exist_ok=True)
    next_id = 0
    for split, count in sizes.items():
        records = []
        for _ in range(count):
            scale = tuple(float(v) for v in np.round(rng.uniform(0.15, 0.45, size=3), 2))
            points, normals = _box_cloud(scale, rng)
            rel = f"point_cloud/Box/{next_id}_0.npz"
            np.savez(root / rel, points=points, normals=normals)
            records.append(
                {
                    "id": next_id,
                    "script": _box_program(scale, float(np.round(rng.uniform(-0.05, 0.05), 2))),
                    "pcd_path": [rel],
                    "cd_loss": [0.0],
                    "category": "Box" if next_id % 2 else "Crate",
                }
            )
            next_id += 1
        (root / f"{split}.json").write_text(json.dumps(records))
    return root


@pytest.fixture(scope="session")
def make_dataset() -> Callable[..., Path]:
    """``make_dataset(root, sizes=BOX_SPLIT_SIZES, seed=0) -> root``: write train/val/test.json and the
    point clouds of box programs (Blender runs each in milliseconds) under ``root``.

    Session-scoped so that module-scoped fixtures can build their dataset once."""
    return _make_box_dataset
