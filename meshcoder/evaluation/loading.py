"""Shapes to score, from files: shape programs (run in the Blender executor) or meshes and clouds.

The executor is imported only when a program has to run, so scoring meshes needs no Blender.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.protocol import is_success
from meshcoder.geometry.readers import SUFFIXES, read_geometry
from meshcoder.shapes.executor import DEFAULT_TIMEOUT

PROGRAM_SUFFIX = ".py"
SHAPE_SUFFIXES = (PROGRAM_SUFFIX, *SUFFIXES)


class ProgramReadError(FileNotFoundError):
    """A program file that cannot be read as text (missing, a folder, not UTF-8); says which and why.
    A ``FileNotFoundError`` for callers that caught that before."""


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


def geometry_problem(geometry: TriangleMesh | PointCloud) -> LoadedShape | None:
    """Why a shape read from a file cannot be scored, as a failed :class:`LoadedShape` (``'invalid'``
    for NaN or infinite coordinates, ``'empty'`` for no points or no area), or None when it can."""
    coordinates = geometry.vertices if isinstance(geometry, TriangleMesh) else geometry.points
    bad = int(np.count_nonzero(~np.isfinite(coordinates).all(axis=1)))
    if bad:
        kind = "vertices" if isinstance(geometry, TriangleMesh) else "points"
        return LoadedShape(
            None, "invalid", f"{bad:,} of {len(coordinates):,} {kind} hold NaN or infinite coordinates"
        )
    if isinstance(geometry, PointCloud) and geometry.is_empty:
        return LoadedShape(None, "empty", "the file holds no points")
    if isinstance(geometry, TriangleMesh) and not is_success(geometry):
        return LoadedShape(
            None, "empty", f"the mesh has no area ({len(geometry.faces):,} faces, all collapsed or none)"
        )
    return None


def read_program(path: str | Path) -> str:
    """The text of a shape program; raises :class:`ProgramReadError` when it is not readable UTF-8."""
    path = Path(path)
    if path.is_dir():
        raise ProgramReadError(f"{path}: is a folder, not a program")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProgramReadError(f"{path}: no such file") from None
    except UnicodeDecodeError as err:
        raise ProgramReadError(
            f"{path}: not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset {err.start}); "
            "save the program as UTF-8"
        ) from None
    except OSError as err:
        raise ProgramReadError(f"{path}: cannot read it ({err.strerror or err})") from None


def load_shape(path: str | Path, pool=None, timeout: float = DEFAULT_TIMEOUT) -> LoadedShape:
    """The shape at ``path``: a program is run (in ``pool``, an ``ExecutorPool``, or a one-off pool of one
    worker); a mesh or cloud file is read. Unreadable files raise ``GeometryReadError`` (meshes and
    clouds) or :class:`ProgramReadError` (programs); a file that reads but holds nothing to score gives a
    failed shape (see :func:`geometry_problem`)."""
    path = Path(path)
    if not is_program(path):
        geometry = read_geometry(path)
        problem = geometry_problem(geometry)
        if problem is not None:
            return LoadedShape(None, problem.status, f"{path}: {problem.error}")
        return LoadedShape(geometry, "ok")
    source = read_program(path)
    if pool is not None:
        return from_execution(pool.run(source))
    from meshcoder.shapes.executor import ExecutorPool

    with ExecutorPool(num_workers=1, timeout=timeout) as one_off:
        return from_execution(one_off.run(source))
