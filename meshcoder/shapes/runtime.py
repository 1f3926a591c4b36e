"""Running a validated program inside Blender and reading back its meshes (worker side only).

This module imports ``bpy`` and must only be imported in a Blender worker process (or a benchmark that
measures plain in-process execution). The caller's side is :mod:`meshcoder.shapes.executor`.
"""

from __future__ import annotations

import functools
import math
import sys
import time
import traceback
import types

import bpy
import numpy as np

from meshcoder.shapes import bpy_lib
from meshcoder.shapes.bpy_lib.objects import world_triangles
from meshcoder.shapes.catalogue import catalogue
from meshcoder.shapes.program import DEFAULT_LIMITS, Limits, ProgramError, parse
from meshcoder.shapes.protocol import TRIANGLES_PER_VERTEX

PROGRAM_FILENAME = "<program>"


def install_library_alias() -> None:
    """Make ``from bpy_lib import *`` (MeshCoder's header) resolve to our library."""
    sys.modules.setdefault("bpy_lib", bpy_lib)


def _guarded_importer(library: types.ModuleType):
    """``__import__`` for programs: only bpy, math and the library (as ``library``, whose functions
    are the counted ones, so ``from bpy_lib import *`` brings in no unchecked function)."""
    importable = {"bpy": bpy, "math": math, "bpy_lib": library, "meshcoder.shapes.bpy_lib": library}

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level or name not in importable:
            raise ImportError(f"import of {name!r} is not allowed in a shape program")
        return importable[name]

    return guarded_import


class VertexLimitError(RuntimeError):
    """The scene holds more vertices than a program may make."""


def _program_globals(max_vertices: int) -> dict:
    """The only names a program can reach: catalogue functions (each followed by a count of the
    scene's vertices), pi, radians, and a guarded import."""
    functions = {name: _counted(getattr(bpy_lib, name), max_vertices) for name in catalogue()}
    library = types.ModuleType("bpy_lib")
    library.__dict__.update(functions, __all__=list(functions))
    safe_builtins = {"__import__": _guarded_importer(library), "True": True, "False": False, "None": None}
    scope = dict(functions)
    scope.update(pi=math.pi, radians=math.radians, __builtins__=safe_builtins, __name__="__program__")
    return scope


def _counted(function, max_vertices: int):
    """``function`` followed by a check of the real vertex count: the validator's estimate is an
    estimate, and a program must never get past the bound however it got there."""

    @functools.wraps(function)
    def call(*args, **kwargs):
        result = function(*args, **kwargs)
        count = scene_vertex_count()
        if count > max_vertices:
            raise VertexLimitError(
                f"{function.__name__} left {count:,} vertices in the scene, over the limit of "
                f"{max_vertices:,} (Limits.max_vertices)"
            )
        return result

    return call


def scene_vertex_count() -> int:
    """Vertices of every mesh object as it would be read back: the mesh itself, or its evaluated
    form where modifiers are still live (evaluated only then, so the usual check costs microseconds)."""
    total, depsgraph = 0, None
    for obj in bpy.context.scene.objects:
        if obj.type != "MESH":
            continue
        if any(m.show_viewport for m in obj.modifiers):
            depsgraph = depsgraph or bpy.context.evaluated_depsgraph_get()
            total += len(obj.evaluated_get(depsgraph).data.vertices)
        else:
            total += len(obj.data.vertices)
    return total


_STARTUP_HANDLERS: dict[str, list] = {}


def clear_handlers() -> None:
    """Put every ``bpy.app.handlers`` list back as Blender started it (the first call records that),
    so nothing a program registered outlives it."""
    for name in dir(bpy.app.handlers):
        handlers = getattr(bpy.app.handlers, name)
        if isinstance(handlers, list):
            baseline = _STARTUP_HANDLERS.setdefault(name, list(handlers))
            handlers[:] = baseline


def reset_scene() -> None:
    """A fresh, empty scene (the library's ``delete_all``) with no handlers left from before."""
    clear_handlers()
    bpy_lib.delete_all()


def extract_meshes() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every MESH object, modifiers evaluated, triangulated, in world space: name -> (vertices, faces)."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    meshes = [obj for obj in bpy.context.scene.objects if obj.type == "MESH"]
    return {obj.name: world_triangles(obj, depsgraph) for obj in meshes}


def _program_line(tb) -> int | None:
    line = None
    for frame in traceback.extract_tb(tb):
        if frame.filename == PROGRAM_FILENAME:
            line = frame.lineno
    return line


def execute(source: str, validate: bool = True, limits: Limits | None = None) -> dict:
    """Run ``source`` in a fresh scene; a JSON-able report plus ``parts`` (name -> (vertices, faces)).

    The report has ``status`` ('ok', 'invalid', 'runtime_error', 'empty'), ``error``, ``line`` and
    ``timings`` (seconds). Validation is repeated here by default: a worker does not trust its caller.
    Whether validated or not, the program stops with a ``runtime_error`` as soon as a library call
    leaves more than ``limits.max_vertices`` vertices in the scene.
    """
    max_vertices = (limits or DEFAULT_LIMITS).max_vertices
    t0 = time.perf_counter()
    report: dict = {"status": "ok", "error": None, "line": None, "timings": {}}
    parts: dict = {}
    if validate:
        try:
            parse(source, limits) if limits else parse(source)
        except ProgramError as err:
            report.update(status="invalid", error=err.reason, line=err.line)
            return {**report, "parts": parts}
    t1 = time.perf_counter()
    try:
        reset_scene()
        code = compile(source, PROGRAM_FILENAME, "exec", dont_inherit=True)
        exec(code, _program_globals(max_vertices))
    except MemoryError:
        report.update(status="runtime_error", error="MemoryError: the program ran out of memory")
    except Exception as err:
        report.update(
            status="runtime_error",
            error=f"{type(err).__name__}: {err}",
            line=_program_line(err.__traceback__),
        )
    t2 = time.perf_counter()
    if report["status"] == "ok":
        try:
            parts = extract_meshes()
        except Exception as err:  # a broken mesh left by the program
            report.update(status="runtime_error", error=f"reading meshes failed: {type(err).__name__}: {err}")
        else:
            problem = _over_limit(parts, max_vertices)
            if problem:
                report.update(status="runtime_error", error=problem)
                parts = {}
            elif not _has_area(parts):
                report.update(status="empty", error="the program made no mesh with positive area")
    clear_handlers()
    t3 = time.perf_counter()
    report["timings"] = {"validate": t1 - t0, "execute": t2 - t1, "extract": t3 - t2}
    return {**report, "parts": parts}


def _over_limit(parts: dict, max_vertices: int) -> str | None:
    vertices = sum(len(v) for v, _ in parts.values())
    triangles = sum(len(f) for _, f in parts.values())
    if vertices > max_vertices:
        return f"the meshes hold {vertices:,} vertices, over the limit of {max_vertices:,}"
    max_triangles = TRIANGLES_PER_VERTEX * max_vertices
    if triangles > max_triangles:
        return f"the meshes hold {triangles:,} triangles, over the limit of {max_triangles:,}"
    return None


def _has_area(parts: dict) -> bool:
    for vertices, faces in parts.values():
        if len(faces):
            tri = vertices[faces]
            if np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1).sum() > 1e-12:
                return True
    return False


install_library_alias()
