"""Run shape programs in a pool of sandboxed Blender worker processes. The caller never imports bpy.

>>> with ExecutorPool() as pool:                              # doctest: +SKIP
...     result = pool.run(source)
...     results = pool.map(sources, progress=True)

Each worker imports Blender once and then runs one program at a time in a fresh scene, under a
wall-clock timeout and an address-space cap, without network where the kernel allows. A worker that
crashes, hangs or has run ``max_programs_per_worker`` programs is replaced. A pool may be pickled (for
DataLoader workers): the copy starts its own workers on first use.
"""

from __future__ import annotations

import enum
import json
import os
import queue
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.shapes import protocol
from meshcoder.shapes.program import DEFAULT_LIMITS, Limits, ProgramError, parse

#: bpy reserves about 2 GiB of address space at import; leave room for real programs above that.
DEFAULT_MEMORY_LIMIT_GB = 6.0


class Status(enum.StrEnum):
    """How a program ended."""

    OK = "ok"
    INVALID = "invalid"
    RUNTIME_ERROR = "runtime_error"
    TIMEOUT = "timeout"
    CRASH = "crash"
    EMPTY = "empty"


@dataclass
class ExecutionResult:
    """What running one program gave: status, reason, meshes and timings (seconds)."""

    status: Status
    error: str | None = None
    line: int | None = None
    parts: dict[str, TriangleMesh] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    worker_pid: int | None = None

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    @property
    def mesh(self) -> TriangleMesh:
        """All mesh objects joined (world space)."""
        return TriangleMesh.concatenate(list(self.parts.values()))

    @property
    def reason(self) -> str:
        """One line for people: the status and, on failure, why and where."""
        if self.ok:
            return "ok"
        where = f" (line {self.line})" if self.line else ""
        return f"{self.status.value}{where}: {self.error}"

    def __repr__(self) -> str:
        v = sum(len(p.vertices) for p in self.parts.values())
        f = sum(len(p.faces) for p in self.parts.values())
        return f"ExecutionResult({self.reason!r}, parts={len(self.parts)}, vertices={v}, faces={f})"


class WorkerError(RuntimeError):
    """A worker could not be started or answered something it should not have."""


class _Worker:
    """One Blender process and the pipes to it."""

    def __init__(self, config: dict):
        self.config = config
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the worker)
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "meshcoder.shapes.worker", json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
            start_new_session=True,  # signals to the caller's terminal do not reach workers
        )
        self.runs = 0
        self.info: dict = {}

    def wait_ready(self, timeout: float) -> dict:
        header, _ = self.receive(timeout)
        if not header.get("ready"):
            raise WorkerError(f"worker did not start: {header}")
        self.info = header
        return header

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, header: dict, arrays: list[np.ndarray] | None = None) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(protocol.encode(header, arrays))
        self.proc.stdin.flush()

    def receive(self, timeout: float | None) -> tuple[dict, list[np.ndarray]]:
        """One frame, or TimeoutError / EOFError (the worker died)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        fd = self.proc.stdout.fileno()

        def read_exact(n: int) -> bytes:
            chunks, got = [], 0
            while got < n:
                if deadline is not None:
                    left = deadline - time.monotonic()
                    if left <= 0 or not select.select([fd], [], [], left)[0]:
                        raise TimeoutError
                chunk = os.read(fd, min(n - got, 1 << 20))
                if not chunk:
                    raise EOFError
                chunks.append(chunk)
                got += len(chunk)
            return b"".join(chunks)

        return protocol.decode(read_exact)

    def stderr_tail(self, chars: int = 2000) -> str:
        try:
            self.stderr.seek(0, os.SEEK_END)
            size = self.stderr.tell()
            self.stderr.seek(max(0, size - chars))
            return self.stderr.read().decode(errors="replace").strip()
        except (OSError, ValueError):
            return ""

    def kill(self) -> None:
        if self.alive():
            try:
                os.killpg(self.proc.pid, 9)
            except (ProcessLookupError, PermissionError):
                self.proc.kill()
        self.proc.wait()
        self._close_pipes()

    def stop(self, grace: float = 2.0) -> None:
        if self.alive():
            try:
                self.send({"op": "exit"})
                self.proc.wait(timeout=grace)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                pass
        self.kill()

    def _close_pipes(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout, self.stderr):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass


class ExecutorPool:
    """A pool of Blender workers running shape programs.

    Args:
        num_workers: worker processes (default: one per core available to this process).
        timeout: wall-clock seconds per program before its worker is killed and replaced.
        memory_limit_gb: address-space cap of each worker (bpy alone needs about 2 GiB); 0 disables.
        max_programs_per_worker: replace a worker after this many programs (bounds leaks).
        isolate_network: run workers in a new network namespace where the kernel allows.
        validate: validate programs here before sending them (workers validate again).
        limits: resource bounds for validation.
        startup_timeout: seconds a new worker may take to import Blender.
    """

    def __init__(
        self,
        num_workers: int | None = None,
        timeout: float = 10.0,
        memory_limit_gb: float = DEFAULT_MEMORY_LIMIT_GB,
        max_programs_per_worker: int = 500,
        isolate_network: bool = True,
        validate: bool = True,
        limits: Limits = DEFAULT_LIMITS,
        startup_timeout: float = 60.0,
    ):
        if num_workers is None:
            num_workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        if num_workers < 1:
            raise ValueError(f"num_workers must be at least 1, got {num_workers}")
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self.num_workers = int(num_workers)
        self.timeout = float(timeout)
        self.memory_limit_gb = float(memory_limit_gb)
        self.max_programs_per_worker = int(max_programs_per_worker)
        self.isolate_network = isolate_network
        self.validate = validate
        self.limits = limits
        self.startup_timeout = startup_timeout
        self._init_runtime_state()

    # -- state that never travels with a pickled pool
    def _init_runtime_state(self) -> None:
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self.restarts = 0

    def __getstate__(self) -> dict:
        keep = (
            "num_workers",
            "timeout",
            "memory_limit_gb",
            "max_programs_per_worker",
            "isolate_network",
            "validate",
            "limits",
            "startup_timeout",
        )
        return {k: self.__dict__[k] for k in keep}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._init_runtime_state()

    # ----------------------------------------------------------------------------- lifecycle
    @property
    def _config(self) -> dict:
        return {
            "memory_limit_bytes": int(self.memory_limit_gb * 2**30),
            "isolate_network": self.isolate_network,
        }

    def start(self) -> ExecutorPool:
        """Start all workers now (in parallel) instead of on first use."""
        with self._lock:
            if self._closed:
                raise RuntimeError("this ExecutorPool is closed")
            if self._started:
                return self
            workers = [_Worker(self._config) for _ in range(self.num_workers)]
            try:
                for w in workers:
                    w.wait_ready(self.startup_timeout)
            except (TimeoutError, EOFError, WorkerError) as err:
                tail = workers[0].stderr_tail() if workers else ""
                for w in workers:
                    w.kill()
                raise WorkerError(
                    f"a Blender worker failed to start ({type(err).__name__}): {tail}"
                ) from None
            for w in workers:
                self._workers.append(w)
                self._idle.put(w)
            self._started = True
        return self

    def close(self) -> None:
        """Stop every worker. The pool cannot be used afterwards."""
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for _ in range(max(1, len(workers))):
            self._idle.put(None)  # wakes any caller waiting for a worker
        for w in workers:
            w.stop()

    def __enter__(self) -> ExecutorPool:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if getattr(self, "_workers", None):
                self.close()
        except Exception:
            pass

    @property
    def worker_pids(self) -> list[int]:
        return [w.pid for w in self._workers]

    @property
    def sandbox(self) -> dict:
        """What the first worker reported about its sandbox (memory cap, network)."""
        self.start()
        return dict(self._workers[0].info) if self._workers else {}

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(self._config)
        try:
            fresh.wait_ready(self.startup_timeout)
        except (TimeoutError, EOFError, WorkerError) as err:
            fresh.kill()
            raise WorkerError(f"could not restart a Blender worker: {err}: {fresh.stderr_tail()}") from None
        with self._lock:
            self._workers = [fresh if w is worker else w for w in self._workers]
            self.restarts += 1
        return fresh

    def _acquire(self) -> _Worker:
        self.start()
        worker = self._idle.get()
        if worker is None:
            raise RuntimeError("this ExecutorPool is closed")
        return worker

    def _release(self, worker: _Worker) -> None:
        self._idle.put(worker)

    # ------------------------------------------------------------------------------- running
    def run(self, source: str, timeout: float | None = None) -> ExecutionResult:
        """Validate and run one program; never raises for a bad program (see ``result.status``)."""
        t0 = time.perf_counter()
        if self.validate:
            try:
                parse(source, self.limits)
            except ProgramError as err:
                return ExecutionResult(
                    Status.INVALID, err.reason, err.line, timings={"total": time.perf_counter() - t0}
                )
        timeout = self.timeout if timeout is None else timeout
        worker = self._acquire()
        try:
            result, worker = self._run_on(worker, source, timeout)
        finally:
            self._release(worker)
        result.timings["total"] = time.perf_counter() - t0
        return result

    def _run_on(self, worker: _Worker, source: str, timeout: float) -> tuple[ExecutionResult, _Worker]:
        if not worker.alive():
            worker = self._replace(worker)
        try:
            # Validation happened here (or was switched off on purpose); the worker's restricted scope
            # is the second line of defence either way, so it does not parse the program again.
            worker.send({"op": "run", "source": source, "validate": False})
            header, arrays = worker.receive(timeout)
        except TimeoutError:
            worker = self._replace(worker)
            return ExecutionResult(
                Status.TIMEOUT, f"no result within {timeout:g} s; worker restarted"
            ), worker
        except (EOFError, BrokenPipeError, OSError):
            code = worker.proc.wait()
            detail = worker.stderr_tail(600).splitlines()[-3:]
            why = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            msg = f"the Blender worker died ({why})" + (f": {' | '.join(detail)}" if detail else "")
            worker = self._replace(worker)
            return ExecutionResult(Status.CRASH, msg), worker
        worker.runs += 1
        if header.get("status") == "error":
            raise WorkerError(header.get("error"))
        names = header.get("parts", [])
        parts = {n: TriangleMesh(arrays[2 * i], arrays[2 * i + 1]) for i, n in enumerate(names)}
        result = ExecutionResult(
            Status(header["status"]),
            header.get("error"),
            header.get("line"),
            parts,
            dict(header.get("timings", {})),
            header.get("worker_pid"),
        )
        if worker.runs >= self.max_programs_per_worker:
            worker = self._replace(worker)
        return result, worker

    def imap(
        self, sources: Iterable[str], ordered: bool = True, progress: bool = False, desc: str = "programs"
    ) -> Iterator[ExecutionResult]:
        """Run programs in parallel, yielding results as they come (in input order if ``ordered``).

        With ``ordered=False`` it yields ``(index, result)`` pairs as each finishes.
        """
        sources = list(sources)
        bar = _progress(len(sources), desc) if progress else None
        self.start()
        with ThreadPoolExecutor(max_workers=self.num_workers) as threads:
            futures = [threads.submit(self.run, s) for s in sources]
            try:
                if ordered:
                    for fut in futures:
                        res = fut.result()
                        if bar is not None:
                            bar.update(1)
                            bar.set_postfix_str(_summary(res))
                        yield res
                else:
                    from concurrent.futures import as_completed

                    index = {f: i for i, f in enumerate(futures)}
                    for fut in as_completed(futures):
                        if bar is not None:
                            bar.update(1)
                        yield index[fut], fut.result()
            finally:
                for fut in futures:
                    fut.cancel()
                if bar is not None:
                    bar.close()

    def map(
        self, sources: Iterable[str], progress: bool = False, desc: str = "programs"
    ) -> list[ExecutionResult]:
        """Run programs in parallel; results in input order."""
        return list(self.imap(sources, ordered=True, progress=progress, desc=desc))

    # ------------------------------------------------------------------------------- render
    def render(
        self,
        parts: dict[str, TriangleMesh] | TriangleMesh,
        path: str | os.PathLike,
        points: np.ndarray | None = None,
        timeout: float = 120.0,
        **options,
    ) -> Path:
        """Render meshes (and optionally a point cloud beside them) to a PNG with Blender (Cycles, CPU).

        ``options`` go to :func:`meshcoder.shapes.render_blender.render` (``resolution``, ``samples``).
        """
        if isinstance(parts, TriangleMesh):
            parts = {"mesh": parts}
        path = Path(path).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        names = list(parts)
        arrays: list[np.ndarray] = []
        for n in names:
            arrays += [parts[n].vertices.astype(np.float32), parts[n].faces.astype(np.int32)]
        if points is not None:
            arrays.append(np.asarray(points, dtype=np.float32).reshape(-1, 3))
        request = {
            "op": "render",
            "names": names,
            "n_parts": len(names),
            "has_points": points is not None,
            "path": str(path),
            "options": options,
        }
        worker = self._acquire()
        try:
            if not worker.alive():
                worker = self._replace(worker)
            try:
                worker.send(request, arrays)
                header, _ = worker.receive(timeout)
            except (TimeoutError, EOFError, BrokenPipeError) as err:
                worker = self._replace(worker)
                raise WorkerError(f"rendering failed ({type(err).__name__})") from None
        finally:
            self._release(worker)
        if header.get("status") != "ok":
            raise WorkerError(f"rendering failed: {header.get('error')}")
        return path


def _progress(total: int, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="prog", dynamic_ncols=True)


def _summary(result: ExecutionResult) -> str:
    return result.status.value


def run_program(source: str, **pool_options) -> ExecutionResult:
    """Run one program in a short-lived pool of one worker (convenient, not fast)."""
    with ExecutorPool(num_workers=1, **pool_options) as pool:
        return pool.run(source)
