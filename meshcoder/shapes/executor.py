"""Run shape programs in a pool of sandboxed Blender worker processes. The caller never imports bpy.

>>> with ExecutorPool() as pool:                              # doctest: +SKIP
...     result = pool.run(source)
...     results = pool.map(sources, progress=True)
>>> pool = ExecutorConfig(num_workers=2).pool()               # doctest: +SKIP

:class:`ExecutorConfig` holds the settings commands and configs choose (``conf/executor/default.yaml``
builds one with ``_target_``); its defaults are this module's ``DEFAULT_*`` constants, the one home of
each value.

Each worker imports Blender once and then runs one program at a time in a fresh scene, under a
wall-clock timeout, an address-space cap and the sandbox of :mod:`meshcoder.shapes.sandbox` (its own
user, PID, mount and network namespaces; Landlock; seccomp). A worker that crashes, hangs or has run
``max_programs_per_worker`` programs is replaced, and so is every worker that has run a program the
validator refused (``validate=False``): such a program may have changed anything inside its worker.

Every request carries an id that its answer must echo, and every answer is read within bounds derived
from ``Limits.max_vertices``; a worker whose answer is late, malformed, oversized or for another
request is killed and that program reported as ``crash``. ``run``, ``map`` and ``imap`` give exactly
one result per program, whatever the program does. A pool may be pickled (for DataLoader workers): the
copy starts its own workers on first use.
"""

from __future__ import annotations

import enum
import itertools
import json
import os
import queue
import secrets
import select
import shutil
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

#: Wall-clock seconds a program may run before its worker is killed and replaced.
DEFAULT_TIMEOUT = 10.0
#: bpy reserves about 2 GiB of address space at import; leave room for real programs above that.
DEFAULT_MEMORY_LIMIT_GB = 6.0
#: Blender workers when none is asked for: None means one per core available to the process.
DEFAULT_NUM_WORKERS: int | None = None


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
    """One Blender process (the reaper outside its namespaces), the pipes to it, its scratch folder."""

    _ids = itertools.count()

    def __init__(self, config: dict, bounds: protocol.FrameBounds):
        self.bounds = bounds
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the worker)
        # The pool owns the scratch folder, so it is removed however the worker ends.
        self.workdir = tempfile.mkdtemp(prefix="meshcoder-worker-")
        self.config = {**config, "workdir": self.workdir}
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")
        env["TMPDIR"] = self.workdir  # Blender's own temporary files stay in the sandbox
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "meshcoder.shapes.worker", json.dumps(self.config)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.stderr,
                env=env,
                start_new_session=True,  # its own process group: killed as one, out of the caller's
            )
        except BaseException:
            self._remove_workdir()
            self.stderr.close()
            raise
        self.runs = 0
        self.ready = False
        self.info: dict = {}

    def wait_ready(self, timeout: float) -> dict:
        if self.ready:
            return self.info
        header, _ = self.receive(timeout, protocol.FrameBounds())
        if not header.get("ready"):
            raise WorkerError(f"worker did not start: {header}")
        self.info, self.ready = header, True
        return header

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def request(self, header: dict, arrays: list[np.ndarray] | None = None) -> str:
        """Send a request under a fresh, unguessable id; returns the id its answer must carry."""
        request_id = f"{next(self._ids)}-{secrets.token_hex(8)}"
        assert self.proc.stdin is not None
        self.proc.stdin.write(protocol.encode({**header, "id": request_id}, arrays))
        self.proc.stdin.flush()
        return request_id

    def answer(self, request_id: str, timeout: float | None) -> tuple[dict, list[np.ndarray]]:
        """The answer to ``request_id``; FrameError if the next frame is anything else."""
        header, arrays = self.receive(timeout, self.bounds)
        if header.get("id") != request_id:
            raise protocol.FrameError(f"an answer to another request ({str(header.get('id'))[:40]!r})")
        return header, arrays

    def pending(self) -> bool:
        """Bytes waiting in the pipe after an answer: the worker wrote something it should not have."""
        try:
            return bool(select.select([self.proc.stdout.fileno()], [], [], 0)[0])
        except (OSError, ValueError):
            return True

    def receive(self, timeout: float | None, bounds: protocol.FrameBounds) -> tuple[dict, list[np.ndarray]]:
        """One frame within ``bounds``, or TimeoutError / EOFError (the worker died) / FrameError."""
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

        return protocol.decode(read_exact, bounds)

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
        self._remove_workdir()

    def stop(self, grace: float = 2.0) -> None:
        if self.alive():
            try:
                self.proc.stdin.write(protocol.encode({"op": "exit"}))
                self.proc.stdin.flush()
                self.proc.wait(timeout=grace)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                pass
        self.kill()

    def _remove_workdir(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

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
        validate: refuse programs the validator refuses (status ``invalid``). With ``False`` they run
            anyway, each in a worker that is thrown away afterwards; programs the validator accepts
            still share warm workers (the check costs about 2 ms a program).
        limits: resource bounds for validation; ``limits.max_vertices`` also bounds what a worker may
            send back, and a worker stops a program as soon as its scene holds more vertices.
        startup_timeout: seconds a new worker may take to import Blender.
    """

    def __init__(
        self,
        num_workers: int | None = DEFAULT_NUM_WORKERS,
        timeout: float = DEFAULT_TIMEOUT,
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
            "max_vertices": int(self.limits.max_vertices),
        }

    def _new_worker(self) -> _Worker:
        return _Worker(self._config, protocol.FrameBounds.for_results(self.limits.max_vertices))

    def start(self) -> ExecutorPool:
        """Start all workers now (in parallel) instead of on first use."""
        with self._lock:
            if self._closed:
                raise RuntimeError("this ExecutorPool is closed")
            if self._started:
                return self
            workers = [self._new_worker() for _ in range(self.num_workers)]
            try:
                for w in workers:
                    w.wait_ready(self.startup_timeout)
            except (TimeoutError, EOFError, WorkerError, protocol.FrameError) as err:
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
        """Stop every worker and remove its scratch folder. The pool cannot be used afterwards."""
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
        """What the first worker reported about its sandbox (memory cap, namespaces, Landlock...)."""
        self.start()
        if not self._workers:
            return {}
        worker = self._workers[0]
        if not worker.ready:
            worker.wait_ready(self.startup_timeout)
        return dict(worker.info)

    def _replace(self, worker: _Worker) -> _Worker:
        """Kill ``worker`` and start another in its place; it imports Blender while the caller goes
        on, and is waited for when next used."""
        worker.kill()
        fresh = self._new_worker()
        with self._lock:
            if self._closed:
                fresh.kill()
                return worker
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
        if self._closed:
            worker.stop()
            return
        self._idle.put(worker)

    # ------------------------------------------------------------------------------- running
    def _check(self, source: str) -> ProgramError | None:
        """None when the validator accepts ``source``, else why not. Never raises: whatever the
        validator does with hostile text (RecursionError, MemoryError...) is that program's answer."""
        try:
            parse(source, self.limits)
        except ProgramError as err:
            return err
        except Exception as err:
            return ProgramError(
                f"the validator could not read this program ({type(err).__name__}: {err})"[:300]
            )
        return None

    def run(self, source: str, timeout: float | None = None) -> ExecutionResult:
        """Validate and run one program; never raises for a bad program (see ``result.status``)."""
        t0 = time.perf_counter()
        refused = self._check(source)
        if refused is not None and self.validate:
            return ExecutionResult(
                Status.INVALID, refused.reason, refused.line, timings={"total": time.perf_counter() - t0}
            )
        timeout = self.timeout if timeout is None else timeout
        worker = self._acquire()
        try:
            result, worker = self._run_on(worker, source, timeout, trusted=refused is None)
        except Exception as err:  # our side failed (a worker that cannot start): still one result
            result = ExecutionResult(Status.CRASH, f"the executor failed: {type(err).__name__}: {err}")
            worker = self._replace(worker)
        finally:
            self._release(worker)
        result.timings["total"] = time.perf_counter() - t0
        return result

    def _ready(self, worker: _Worker) -> _Worker:
        """``worker``, alive and started (replaced once if it died while idle)."""
        if not worker.alive():
            worker = self._replace(worker)
        try:
            worker.wait_ready(self.startup_timeout)
        except (TimeoutError, EOFError, WorkerError, protocol.FrameError) as err:
            tail = worker.stderr_tail(600)
            worker.kill()
            raise WorkerError(f"could not start a Blender worker ({type(err).__name__}): {tail}") from None
        return worker

    def _run_on(
        self, worker: _Worker, source: str, timeout: float, trusted: bool
    ) -> tuple[ExecutionResult, _Worker]:
        worker = self._ready(worker)
        try:
            # The pool has validated it (a refused program gets here only with validate=False, and
            # its worker is then used once), so the worker does not parse it again.
            request_id = worker.request({"op": "run", "source": source, "validate": False})
            header, arrays = worker.answer(request_id, timeout)
            result = self._result(header, arrays)
        except TimeoutError:
            return ExecutionResult(
                Status.TIMEOUT, f"no result within {timeout:g} s; worker restarted"
            ), self._replace(worker)
        except (EOFError, BrokenPipeError, OSError):
            try:
                worker.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # the pipe broke but the process lingers
                worker.kill()
            return ExecutionResult(Status.CRASH, _death_notice(worker)), self._replace(worker)
        except protocol.FrameError as err:
            msg = f"the Blender worker sent a bad frame ({err}); worker restarted"
            return ExecutionResult(Status.CRASH, msg), self._replace(worker)
        result.worker_pid = worker.pid
        worker.runs += 1
        if not trusted or worker.runs >= self.max_programs_per_worker or worker.pending():
            # A program the validator refused may have changed anything in its worker (handlers,
            # patched functions, frames queued in the pipe): it never runs another program.
            worker = self._replace(worker)
        return result, worker

    def _result(self, header: dict, arrays: list[np.ndarray]) -> ExecutionResult:
        """An ExecutionResult from a worker's answer, checked field by field (FrameError if not)."""
        if header.get("status") == "error":
            raise protocol.FrameError(f"the worker failed: {str(header.get('error'))[:300]}")
        try:
            status = Status(header.get("status"))
        except ValueError:
            raise protocol.FrameError(f"unknown status {str(header.get('status'))[:40]!r}") from None
        names = header.get("parts", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise protocol.FrameError("parts is not a list of names")
        if len(arrays) != 2 * len(names) or len(set(names)) != len(names):
            raise protocol.FrameError(f"{len(names)} part names for {len(arrays)} arrays")
        parts, vertices = {}, 0
        for i, name in enumerate(names):
            v, f = arrays[2 * i], arrays[2 * i + 1]
            if v.ndim != 2 or v.shape[1] != 3 or v.dtype.kind != "f":
                raise protocol.FrameError(f"vertices of {name!r} have shape {v.shape} and dtype {v.dtype}")
            if f.ndim != 2 or f.shape[1] != 3 or f.dtype.kind not in "iu":
                raise protocol.FrameError(f"faces of {name!r} have shape {f.shape} and dtype {f.dtype}")
            vertices += len(v)
            try:
                parts[name] = TriangleMesh(v, f)
            except ValueError as err:
                raise protocol.FrameError(f"part {name!r}: {err}") from None
        if vertices > self.limits.max_vertices:
            raise protocol.FrameError(
                f"{vertices:,} vertices, over the limit of {self.limits.max_vertices:,}"
            )
        line, error, timings = header.get("line"), header.get("error"), header.get("timings", {})
        return ExecutionResult(
            status,
            None if error is None else str(error),
            line if isinstance(line, int) and not isinstance(line, bool) else None,
            parts,
            {str(k): float(v) for k, v in timings.items() if isinstance(v, int | float)}
            if isinstance(timings, dict)
            else {},
        )

    def imap(
        self, sources: Iterable[str], ordered: bool = True, progress: bool = False, desc: str = "programs"
    ) -> Iterator[ExecutionResult]:
        """Run programs in parallel, yielding results as they come (in input order if ``ordered``).

        With ``ordered=False`` it yields ``(index, result)`` pairs as each finishes. Exactly one result
        per program, whatever the programs do.
        """
        sources = list(sources)
        bar = _progress(len(sources), desc) if progress else None
        self.start()
        with ThreadPoolExecutor(max_workers=self.num_workers) as threads:
            futures = [threads.submit(self.run, s) for s in sources]
            try:
                if ordered:
                    for fut in futures:
                        res = _outcome(fut)
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
                        yield index[fut], _outcome(fut)
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
            "options": options,
        }
        worker = self._acquire()
        try:
            worker = self._ready(worker)
            try:
                request_id = worker.request(request, arrays)
                header, answer = worker.answer(request_id, timeout)
            except (TimeoutError, EOFError, OSError, protocol.FrameError) as err:
                worker = self._replace(worker)
                raise WorkerError(f"rendering failed ({type(err).__name__}: {err})") from None
        finally:
            self._release(worker)
        if header.get("status") != "ok" or len(answer) != 1 or answer[0].dtype != np.uint8:
            raise WorkerError(f"rendering failed: {header.get('error')}")
        path.write_bytes(answer[0].tobytes())
        return path


@dataclass(frozen=True)
class ExecutorConfig:
    """The settings of an :class:`ExecutorPool` that commands and configs choose.

    ``conf/executor/default.yaml`` builds one (``_target_``) for datagen, evaluation and the validation
    callback; ``meshcoder-predict`` takes its option defaults from here.

    Args:
        num_workers: Blender worker processes (None: one per core).
        timeout: wall-clock seconds per program.
        memory_limit_gb: address-space cap of each worker; 0 disables.
    """

    num_workers: int | None = DEFAULT_NUM_WORKERS
    timeout: float = DEFAULT_TIMEOUT
    memory_limit_gb: float = DEFAULT_MEMORY_LIMIT_GB

    def __post_init__(self) -> None:
        if self.num_workers is not None and (isinstance(self.num_workers, bool) or self.num_workers < 1):
            raise ValueError(f"num_workers={self.num_workers!r}: use at least 1 (or None: one per core)")
        if not self.timeout > 0:
            raise ValueError(f"timeout={self.timeout!r}: expected seconds greater than 0")
        if not self.memory_limit_gb >= 0:
            raise ValueError(f"memory_limit_gb={self.memory_limit_gb!r}: expected 0 (no cap) or more")

    def pool(self, **options) -> ExecutorPool:
        """A new pool with these settings; ``options`` go to :class:`ExecutorPool` (``validate``...)."""
        return ExecutorPool(
            num_workers=self.num_workers,
            timeout=self.timeout,
            memory_limit_gb=self.memory_limit_gb,
            **options,
        )


def _death_notice(worker: _Worker) -> str:
    code = worker.proc.returncode
    detail = worker.stderr_tail(600).splitlines()[-3:]
    why = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
    return f"the Blender worker died ({why})" + (f": {' | '.join(detail)}" if detail else "")


def _outcome(future) -> ExecutionResult:
    """A future's result; an exception there (a closed pool...) becomes that program's crash result."""
    try:
        return future.result()
    except Exception as err:
        return ExecutionResult(Status.CRASH, f"the executor failed: {type(err).__name__}: {err}")


def _progress(total: int, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="prog", dynamic_ncols=True)


def _summary(result: ExecutionResult) -> str:
    return result.status.value


def run_program(source: str, **pool_options) -> ExecutionResult:
    """Run one program in a short-lived pool of one worker (convenient, not fast)."""
    with ExecutorPool(num_workers=1, **pool_options) as pool:
        return pool.run(source)
