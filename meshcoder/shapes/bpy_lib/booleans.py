"""Boolean operations between two mesh objects (Blender's Boolean modifier, applied). Runs inside
Blender only."""

from __future__ import annotations

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError
from meshcoder.shapes.bpy_lib.scene import recalculate_normals

__all__ = ["boolean_operation"]

OPERATIONS = ("UNION", "INTERSECT", "DIFFERENCE")
# The published API names the solvers EXACT and FAST; Blender 4.5+ calls FAST 'FLOAT'.
SOLVERS = {"EXACT": "EXACT", "FAST": "FLOAT", "FLOAT": "FLOAT", "MANIFOLD": "MANIFOLD"}


def boolean_operation(
    name1: str,
    name2: str,
    operation: str = "UNION",
    flip_normals: bool = False,
    solver_mode: str = "EXACT",
) -> None:
    """Combine mesh ``name1`` with mesh ``name2`` and delete ``name2``.

    Args:
        name1: the object that keeps the result.
        name2: the other operand (a cutter for 'DIFFERENCE'); removed afterwards.
        operation: 'UNION', 'INTERSECT' or 'DIFFERENCE'.
        flip_normals: recalculate the result's normals to point inward instead of outward.
        solver_mode: 'EXACT' (robust) or 'FAST' (Blender's float solver).
    """
    op = str(operation).upper()
    if op not in OPERATIONS:
        raise ProgramRuntimeError(f"unknown boolean operation {operation!r}; use one of {OPERATIONS}")
    solver = SOLVERS.get(str(solver_mode).upper())
    if solver is None:
        raise ProgramRuntimeError(f"unknown solver_mode {solver_mode!r}; use 'EXACT' or 'FAST'")
    if name1 == name2:
        raise ProgramRuntimeError(f"boolean_operation needs two different objects, got {name1!r} twice")
    target = objects.get_mesh_object(name1)
    cutter = objects.get_mesh_object(name2)
    # Bake pending modifiers of both first so the boolean sees their final shapes.
    objects.apply_modifiers(cutter)
    objects.apply_modifiers(target)
    modifier = target.modifiers.new("Boolean", "BOOLEAN")
    modifier.object = cutter
    modifier.operation = op
    modifier.solver = solver
    objects.apply_modifiers(target)
    objects.remove_object(cutter)
    recalculate_normals(name1, inside=bool(flip_normals))
