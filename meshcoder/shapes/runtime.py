"""Running a validated program inside Blender and reading back its meshes (worker side only).

This module imports ``bpy`` and must only be imported in a Blender worker process (or a benchmark that
measures plain in-process execution). The caller's side is :mod:`meshcoder.shapes.executor`.
"""

from __future__ import annotations

import math
import sys
import time
import traceback

import bpy
import numpy as np

from meshcoder.shapes import bpy_lib
from meshcoder.shapes.bpy_lib.objects import world_triangles
from meshcoder.shapes.catalogue import catalogue
from meshcoder.shapes.program import Limits, ProgramError, parse

PROGRAM_FILENAME = "<program>"
_IMPORTABLE = {"bpy": bpy, "math": math, "bpy_lib": bpy_lib, "meshcoder.shapes.bpy_lib": bpy_lib}


def install_library_alias() -> None:
    """Make ``from bpy_lib import *`` (MeshCoder's header) resolve to our library."""
    sys.modules.setdefault("bpy_lib", bpy_lib)


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level or name not in _IMPORTABLE:
        raise ImportError(f"import of {name!r} is not allowed in a shape program")
    return _IMPORTABLE[name]


def _program_globals() -> dict:
    """The only names a program can reach: catalogue functions, pi, radians, and a guarded import."""
    safe_builtins = {"__import__": _guarded_import, "True": True, "False": False, "None": None}
    scope = {name: getattr(bpy_lib, name) for name in catalogue()}
    scope.update(pi=math.pi, radians=math.radians, __builtins__=safe_builtins, __name__="__program__")
    return scope


def reset_scene() -> None:
    """A fresh, empty scene (the library's ``delete_all``)."""
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
    """
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
        exec(code, _program_globals())
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
            if not _has_area(parts):
                report.update(status="empty", error="the program made no mesh with positive area")
    t3 = time.perf_counter()
    report["timings"] = {"validate": t1 - t0, "execute": t2 - t1, "extract": t3 - t2}
    return {**report, "parts": parts}


def _has_area(parts: dict) -> bool:
    for vertices, faces in parts.values():
        if len(faces):
            tri = vertices[faces]
            if np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1).sum() > 1e-12:
                return True
    return False


install_library_alias()
