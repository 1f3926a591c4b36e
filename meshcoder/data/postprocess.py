"""From an executed program to a dataset record: parts put in the spec's order, point clouds drawn, each
cloud's Chamfer check against a denser sample, the files written.

This is most of a record's CPU time (ordering, sampling and above all the two nearest-neighbour passes
of the Chamfer check cost more than running the program in Blender), so the pipeline does it in a
:class:`PostprocessPool` of processes working beside the Blender workers: in the pipeline's own process
the GIL let one job at a time do it, and the workers waited.

A record depends only on its job and the executed meshes (put in a fixed vertex and face order first),
so which process makes it, and when, never changes it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from meshcoder.data.ordering import order_parts
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.metrics import chamfer_distance, set_query_workers
from meshcoder.geometry.sampling import sample_surface
from meshcoder.shapes.program import Program


@dataclass(frozen=True)
class RecordSettings:
    """What a record's files hold and where they go (from the run's ``DatagenConfig``)."""

    out_dir: Path
    tmp_dir: Path
    num_points: int
    clouds_per_record: int
    reference_points: int
    keep_test_meshes: bool


@dataclass(frozen=True)
class RecordTask:
    """One program that ran: its job (``id``, ``generator``, ``seed``, ``split``), the parsed program and
    its executed meshes by object name."""

    id: int
    generator: str
    seed: int
    split: str
    program: Program
    parts: dict[str, TriangleMesh]


def make_record(task: RecordTask, settings: RecordSettings) -> dict:
    """Order the parts, sample and write the clouds (and, for a test record, the mesh); the record
    (``num_tokens`` still None: the caller counts them). Raises on problems."""
    program = task.program
    text, renaming = order_parts(program, task.parts)
    new_index = {p.index: int(renaming[p.object_name].rsplit("_", 1)[1]) for p in program.parts}
    labels = [p.label for p in sorted(program.parts, key=lambda p: new_index[p.index])]
    parts = {renaming.get(name, name): mesh for name, mesh in task.parts.items()}
    mesh = _canonical_order(TriangleMesh.concatenate(list(task.parts.values())))
    if mesh.is_empty or not mesh.area > 0:
        raise ValueError("the executed mesh is empty or has no area")
    # One draw, split: the clouds and the dense reference are independent samples of the surface.
    n, clouds = settings.num_points, settings.clouds_per_record
    sample = sample_surface(mesh, n * clouds + settings.reference_points, seed=_sample_seed(task.id))
    reference = sample.points[n * clouds :]
    pcd_paths, cd_losses = [], []
    for k in range(clouds):
        points, normals = sample.points[k * n : (k + 1) * n], sample.normals[k * n : (k + 1) * n]
        relative = f"point_cloud/{task.generator}/{task.id}_{k}.npz"
        _save_npz(settings.out_dir / relative, settings.tmp_dir, points, normals)
        pcd_paths.append(relative)
        cd_losses.append(chamfer_distance(points, reference))
    record = {
        "id": task.id,
        "script": text,
        "pcd_path": pcd_paths,
        "cd_loss": cd_losses,
        "category": task.generator,
        "seed": task.seed,
        "generator": task.generator,
        "num_parts": len(program.parts),
        "labels": labels,
        "num_chars": len(text),
        "num_tokens": None,
    }
    if task.split == "test" and settings.keep_test_meshes:
        relative = f"mesh/{task.generator}/{task.id}.ply"
        _save_mesh(settings.out_dir / relative, settings.tmp_dir, parts)
        record["mesh_path"] = relative
    return record


def _sample_seed(record: int) -> int:
    """The sampling seed of a record: fixed by its id, so a redone job draws the same points."""
    return int.from_bytes(hashlib.blake2b(f"{record}/points".encode(), digest_size=8).digest(), "little")


def _canonical_order(mesh: TriangleMesh) -> TriangleMesh:
    """The same triangles with vertices and faces in a fixed order. Blender's exact boolean numbers its
    output differently from run to run; sampling a mesh depends on that order, and resumed runs must
    give the clouds an uninterrupted run gives."""
    vertex_order = np.lexsort(np.round(mesh.vertices, 9).T[::-1])
    rank = np.empty_like(vertex_order)
    rank[vertex_order] = np.arange(len(vertex_order))
    faces = rank[mesh.faces]
    # Turn each triangle so its smallest index comes first (winding kept), then sort the triangles.
    faces = np.take_along_axis(faces, (np.argmin(faces, axis=1)[:, None] + np.arange(3)) % 3, axis=1)
    faces = faces[np.lexsort(faces.T[::-1])]
    return TriangleMesh(mesh.vertices[vertex_order], faces)


def _save_npz(path: Path, tmp_dir: Path, points: np.ndarray, normals: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f"{path.stem}.npz"
    with open(tmp, "wb") as fh:
        np.savez(fh, points=points.astype(np.float32), normals=normals.astype(np.float32))
    os.replace(tmp, path)


def _save_mesh(path: Path, tmp_dir: Path, parts: dict) -> None:
    from meshcoder.shapes.export import save_parts

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / path.name
    save_parts(parts, tmp)
    os.replace(tmp, path)


def _timed_record(task: RecordTask, settings: RecordSettings) -> tuple[dict, float]:
    t0 = time.perf_counter()
    return make_record(task, settings), time.perf_counter() - t0


def _ready() -> int:
    return os.getpid()


def _one_thread_queries() -> None:
    """Each post-processing process queries its k-d trees on one thread: the processes already fill the
    cores, and scipy's per-query threads would only add overhead (same values)."""
    set_query_workers(1)


class PostprocessPool:
    """Processes that make records (:func:`make_record`) while the Blender workers run the next programs.

    :meth:`record` blocks only its calling thread, so a pipeline thread per job in flight keeps both
    pools busy. The processes are forked, all at :meth:`start` (before the pipeline starts its threads):
    they begin with every module already imported, and, unlike spawned ones, need no
    ``if __name__ == "__main__"`` guard in the calling script. A process that dies (killed for memory,
    say) fails the records it was making, and the pool starts afresh for the next ones.
    """

    def __init__(self, processes: int):
        if processes < 1:
            raise ValueError(f"processes must be at least 1, got {processes}")
        self.processes = int(processes)
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> PostprocessPool:
        """Fork the processes now instead of on first use."""
        self._current()
        return self

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("this PostprocessPool is closed")
            if self._executor is None:
                context = multiprocessing.get_context("fork")
                self._executor = ProcessPoolExecutor(
                    self.processes, mp_context=context, initializer=_one_thread_queries
                )
                self._executor.submit(_ready)  # forks every process now
            return self._executor

    def record(self, task: RecordTask, settings: RecordSettings) -> tuple[dict, float]:
        """:func:`make_record` in one of the processes: the record and the seconds it took there. Its
        exceptions are raised here; a process that died is a RuntimeError."""
        executor = self._current()
        try:
            return executor.submit(_timed_record, task, settings).result()
        except BrokenProcessPool:
            with self._lock:
                if self._executor is executor:
                    self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)
            raise RuntimeError(
                "a post-processing process died (killed for memory?); it is replaced for the next jobs"
            ) from None

    def close(self) -> None:
        """Stop the processes (work already submitted finishes first)."""
        with self._lock:
            executor, self._executor, self._closed = self._executor, None, True
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> PostprocessPool:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
