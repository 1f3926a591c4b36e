"""Shapes to score, from files: shape programs (run in the Blender executor) or meshes and clouds.

The executor is imported only when a program has to run, so scoring meshes needs no Blender.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.protocol import is_success
from meshcoder.geometry.readers import SUFFIXES, read_geometry

PROGRAM_SUFFIX = ".py"
SHAPE_SUFFIXES = (PROGRAM_SUFFIX, *SUFFIXES)


@dataclass
class LoadedShape:
    """A shape, or why there is none: ``status`` is the executor's (``'ok'``, ``'invalid'``,
    ``'runtime_error'``, ``'timeout'``, ``'crash'``, ``'empty'``) or ``'ok'``/``'empty'`` for files."""

    geometry: TriangleMesh | PointCloud | None
    status: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.geometry is not None and is_success(self.geometry)


def is_program(path: str | Path) -> bool:
    """Whether ``path`` names a shape program (by suffix)."""
    return Path(path).suffix.lower() == PROGRAM_SUFFIX


def from_execution(result) -> LoadedShape:
    """A :class:`LoadedShape` from an executor ``ExecutionResult``; a run whose mesh has no area is
    ``'empty'`` (the spec's success needs positive area)."""
    status = str(getattr(result.status, "value", result.status))
    if not result.ok:
        return LoadedShape(None, status, result.error)
    mesh = result.mesh
    if not is_success(mesh):
        return LoadedShape(None, "empty", "the program ran but its mesh has no faces or no area")
    return LoadedShape(mesh, status)


def load_shape(path: str | Path, pool=None, timeout: float = 10.0) -> LoadedShape:
    """The shape at ``path``: a program is run (in ``pool``, an ``ExecutorPool``, or a one-off pool of one
    worker); a mesh or cloud file is read. Unreadable files raise ``GeometryReadError``."""
    path = Path(path)
    if not is_program(path):
        geometry = read_geometry(path)
        if not is_success(geometry):
            return LoadedShape(None, "empty", f"{path}: no faces with area (or no finite points)")
        return LoadedShape(geometry, "ok")
    try:
        source = path.read_text()
    except (OSError, UnicodeDecodeError) as err:
        raise FileNotFoundError(f"{path}: cannot read the program as text ({err})") from err
    if pool is not None:
        return from_execution(pool.run(source))
    from meshcoder.shapes.executor import ExecutorPool

    with ExecutorPool(num_workers=1, timeout=timeout) as one_off:
        return from_execution(one_off.run(source))
