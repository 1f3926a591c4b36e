"""Shared fixtures: one Blender executor pool per test session (per xdist worker)."""

from __future__ import annotations

import os

import pytest

from meshcoder.shapes.program import HEADER


def with_header(body: str) -> str:
    """A program from a body of calls: the fixed header is added when the body lacks it."""
    return body if "from bpy_lib import" in body else HEADER + "\n" + body.strip() + "\n"


@pytest.fixture(scope="session")
def pool():
    """A warm pool of Blender workers shared by every test in the session."""
    from meshcoder.shapes.executor import ExecutorPool

    workers = int(os.environ.get("MESHCODER_TEST_WORKERS", "1"))
    with ExecutorPool(num_workers=workers, timeout=60.0) as p:
        yield p


@pytest.fixture
def run(pool):
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
