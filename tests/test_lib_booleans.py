"""boolean_operation, checked by the volume each operation leaves."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.blender

# A 2x2x2 cube and a 1x1x1 cube sharing the corner region [0.5, 1]^3 (1/8 of the small cube).
OPERANDS = (
    "create_primitive(name='box_1', primitive_type='cube')\n"
    "create_primitive(name='cutter', primitive_type='cube', scale=[0.5, 0.5, 0.5], location=[1, 1, 1])\n"
)


@pytest.mark.parametrize("solver", ["EXACT", "FAST"])
@pytest.mark.parametrize(
    ("operation", "volume", "upper"),
    [("DIFFERENCE", 8 - 0.125, 1.0), ("UNION", 8 + 1 - 0.125, 1.5), ("INTERSECT", 0.125, 1.0)],
)
def test_boolean_volumes(run, operation, volume, upper, solver):
    result = run(
        OPERANDS
        + f"boolean_operation(name1='box_1', name2='cutter', operation='{operation}', solver_mode='{solver}')"
    )
    assert result.ok, result.reason
    assert set(result.parts) == {"box_1"}  # the second operand is removed
    mesh = result.parts["box_1"]
    assert mesh.volume == pytest.approx(volume, rel=1e-5)
    assert mesh.bounds[1] == pytest.approx([upper] * 3)


def test_default_operation_is_union(run):
    result = run(OPERANDS + "boolean_operation(name1='box_1', name2='cutter')")
    assert result.parts["box_1"].volume == pytest.approx(8.875, rel=1e-5)


def test_difference_of_a_through_hole(run):
    # A cylinder of radius 0.5 drilled through a 2x2x2 cube, both operands rotated and scaled.
    result = run(
        "create_primitive(name='block_1', primitive_type='cube', scale=[1, 1, 1], rotation=[0.71, 0.71, 0, 0])\n"
        "create_primitive(name='hole', primitive_type='cylinder', scale=[0.5, 0.5, 2])\n"
        "boolean_operation(name1='block_1', name2='hole', operation='DIFFERENCE')"
    )
    assert result.ok, result.reason
    hole = 2 * 0.25 * 32 * np.sin(2 * np.pi / 32) / 2  # 32-gon of radius 0.5 through depth 2
    assert result.parts["block_1"].volume == pytest.approx(8 - hole, rel=1e-5)


def test_flip_normals_turns_the_result_inside_out(run):
    result = run(
        OPERANDS
        + "boolean_operation(name1='box_1', name2='cutter', operation='DIFFERENCE', flip_normals=True)"
    )
    assert result.parts["box_1"].volume == pytest.approx(-7.875, rel=1e-5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("boolean_operation(name1='box_1', name2='cutter', solver_mode='SLOW')", "solver_mode"),
        ("boolean_operation(name1='box_1', name2='cutter', operation='XOR')", "operation"),
        ("boolean_operation(name1='box_1', name2='missing')", "missing"),
    ],
)
def test_bad_arguments_are_runtime_errors(run, call, message):
    result = run(OPERANDS + call)
    assert result.status == "runtime_error"
    assert message in result.error
