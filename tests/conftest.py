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
