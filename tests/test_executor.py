"""The Blender executor pool: results, failures, timeouts, crashes, parallelism, reuse, sandbox."""

from __future__ import annotations

import os
import pickle
import signal
import threading
import time

import pytest

from meshcoder.shapes.executor import ExecutorPool, Status

pytestmark = pytest.mark.blender

BOX = "create_primitive(name='box_1', primitive_type='cube', scale=[0.5, 0.25, 0.1], location=[1, 0, 0])"
CYL = "create_primitive(name='cyl_1', primitive_type='cylinder')"
# Exact booleans of dense spheres: seconds of work, well inside every resource bound.
SLOW = """
create_primitive(name='a_1', primitive_type='uv_sphere', use_minimum_face=False, resolution=[200, 100])
create_primitive(name='b_1', primitive_type='uv_sphere', location=[0.3, 0.1, 0.0], use_minimum_face=False, resolution=[200, 100])
boolean_operation(name1='a_1', name2='b_1', operation='DIFFERENCE', solver_mode='EXACT')
create_primitive(name='c_1', primitive_type='uv_sphere', location=[0.0, 0.3, 0.1], use_minimum_face=False, resolution=[200, 100])
boolean_operation(name1='a_1', name2='c_1', operation='UNION', solver_mode='EXACT')
"""


def test_result_holds_world_space_parts(run):
    r = run(BOX + "\n" + CYL)
    assert r.ok, r.reason
    assert set(r.parts) == {"box_1", "cyl_1"}
    box = r.parts["box_1"]
    assert box.bounds.ravel().tolist() == pytest.approx([0.5, -0.25, -0.1, 1.5, 0.25, 0.1])
    assert len(box.faces) == 12  # triangulated
    assert len(r.mesh.vertices) == len(box.vertices) + len(r.parts["cyl_1"].vertices)
    assert {"validate", "execute", "extract", "total"} <= set(r.timings)


def test_invalid_program_never_reaches_a_worker(pool, with_header):
    r = pool.run(with_header("import os"))
    assert r.status is Status.INVALID and r.line == 7 and r.worker_pid is None


def test_runtime_error_names_the_line(run):
    r = run(BOX + "\nbevel(name='no such object', width=0.1)")
    assert r.status is Status.RUNTIME_ERROR
    assert r.line == 8
    assert "no such object" in r.error


def test_empty_result_is_a_failure(run):
    r = run("delete_all()")
    assert r.status is Status.EMPTY and not r.ok


def test_fresh_scene_per_program_on_a_reused_worker(pool, with_header):
    first = pool.run(with_header(BOX))
    second = pool.run(with_header(CYL))
    assert first.worker_pid == second.worker_pid  # one worker in the test pool: it was reused
    assert set(second.parts) == {"cyl_1"}


def test_timeout_kills_and_replaces_the_worker(with_header):
    with ExecutorPool(num_workers=1, timeout=0.3) as pool:
        before = pool.worker_pids
        r = pool.run(with_header(SLOW))
        assert r.status is Status.TIMEOUT, r.reason
        assert pool.worker_pids != before and pool.restarts == 1
        after = pool.run(with_header(BOX))
        assert after.ok


def test_crashed_worker_is_reported_and_replaced(with_header):
    with ExecutorPool(num_workers=1, timeout=30) as pool:
        victim = pool.worker_pids[0]
        threading.Timer(0.3, os.kill, (victim, signal.SIGKILL)).start()
        r = pool.run(with_header(SLOW))
        assert r.status is Status.CRASH
        assert "signal 9" in r.error
        assert pool.run(with_header(BOX)).ok
        assert victim not in pool.worker_pids


def test_parallel_map_keeps_order_and_uses_every_worker(with_header):
    sources = [with_header(f"create_primitive(name='box_1', scale=[{i + 1}, 1, 1])") for i in range(8)]
    with ExecutorPool(num_workers=2) as pool:
        t0 = time.perf_counter()
        results = pool.map(sources)
        assert time.perf_counter() - t0 < 30
    assert [r.parts["box_1"].extents[0] for r in results] == pytest.approx([2.0 * (i + 1) for i in range(8)])
    assert len({r.worker_pid for r in results}) == 2


def test_unordered_imap_yields_every_index_once(pool, with_header):
    sources = [with_header(BOX), with_header("import os"), with_header(CYL)]
    seen = dict(pool.imap(sources, ordered=False))
    assert sorted(seen) == [0, 1, 2]
    assert seen[1].status is Status.INVALID


def test_worker_is_recycled_after_max_programs(with_header):
    with ExecutorPool(num_workers=1, max_programs_per_worker=2) as pool:
        pids = [pool.run(with_header(BOX)).worker_pid for _ in range(3)]
    assert pids[0] == pids[1] != pids[2]


def test_escape_attempts_fail_even_without_validation(with_header):
    # Validation refuses these; a pool with validation off shows that the worker's scope holds too.
    with ExecutorPool(num_workers=1, validate=False) as pool:
        attempts = {
            "__import__('os').system('touch /tmp/meshcoder-escaped')": "ImportError",
            "open('/etc/passwd')": "NameError",
            "exec('1')": "NameError",
            "import subprocess": "ImportError",
            "getattr(delete_all, '__globals__')": "NameError",
        }
        for body, error in attempts.items():
            r = pool.run(with_header(body))
            assert r.status is Status.RUNTIME_ERROR and error in r.error, (body, r.reason)
    assert not os.path.exists("/tmp/meshcoder-escaped")


def test_sandbox_reports_memory_cap_and_network():
    with ExecutorPool(num_workers=1, memory_limit_gb=3) as pool:
        info = pool.sandbox
    assert info["memory_limit_bytes"] == 3 * 2**30
    if os.geteuid() == 0:
        assert info["network"].startswith("isolated")


def test_pool_pickles_without_its_workers(pool):
    copy = pickle.loads(pickle.dumps(pool))
    assert copy.timeout == pool.timeout and copy.worker_pids == []
    copy.close()


def test_bad_pool_arguments():
    with pytest.raises(ValueError, match="num_workers"):
        ExecutorPool(num_workers=0)
    with pytest.raises(ValueError, match="timeout"):
        ExecutorPool(timeout=0)


def test_closed_pool_refuses_work(with_header):
    pool = ExecutorPool(num_workers=1)
    pool.close()
    with pytest.raises(RuntimeError, match="closed"):
        pool.run(with_header(BOX))
