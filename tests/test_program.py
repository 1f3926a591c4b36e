"""Validation, structure and formatting of shape programs (no Blender)."""

from __future__ import annotations

import pytest

from meshcoder.shapes.catalogue import catalogue
from meshcoder.shapes.program import (
    HEADER,
    Limits,
    ProgramError,
    format_call,
    format_number,
    parse,
)

GOOD = (
    HEADER
    + """
# object name: side table
# part_1: leg
create_primitive(name='leg_1', primitive_type='cylinder', location=[0.2, -0.25, 0.2], scale=[0.03, 0.03, 0.25], rotation=[0.71, 0.71, 0.0, 0.0])
# part_2: table top
create_primitive(name='table top_2', primitive_type='cube', location=[0.0, 0.02, 0.0], scale=[0.3, 0.3, 0.02])
bevel(name='table top_2', width=0.1, segments=4)
"""
)


def test_good_program_parses_into_parts():
    program = parse(GOOD)
    assert program.object_name == "side table"
    assert [p.index for p in program.parts] == [1, 2]
    assert [p.label for p in program.parts] == ["leg", "table top"]
    assert program.parts[1].object_name == "table top_2"
    assert [c.function for c in program.parts[1].calls] == ["create_primitive", "bevel"]
    assert program.parts[1].lines == (10, 12)
    assert program.calls[0].function == "delete_all"
    assert program.structure_problems() == []
    assert program.estimated_vertices > 0


def test_round_trip_to_text_keeps_the_program():
    program = parse(GOOD)
    again = parse(program.to_text())
    assert [(c.function, c.arguments) for c in again.calls] == [
        (c.function, c.arguments) for c in program.calls
    ]
    assert again.object_name == program.object_name


def test_positional_arguments_and_arithmetic_are_resolved():
    program = parse(
        HEADER
        + "create_primitive('box_1', 'cube', [0, 1 - 0.5, 2 * 0.25], None, [radians(90) / pi, -1, 0, 0])\n"
    )
    args = program.calls[-1].arguments
    assert args["name"] == "box_1" and args["primitive_type"] == "cube"
    assert args["location"] == [0, 0.5, 0.5]
    assert args["rotation"][0] == pytest.approx(0.5)


def test_list_repetition_and_joining_as_published_programs_use_them():
    program = parse(
        HEADER + "create_curve(name='c', control_points=[[0, 0, 0]] * 2 + [[1, 0, 0]], handle_type=[1] * 6)\n"
    )
    args = program.calls[-1].arguments
    assert args["handle_type"] == [1, 1, 1, 1, 1, 1]
    assert args["control_points"] == [[0, 0, 0], [0, 0, 0], [1, 0, 0]]
    args["control_points"][0][0] = 5  # repeated items are copies, not aliases
    assert args["control_points"][1][0] == 0


def test_meshcoder_header_and_names_with_spaces_are_accepted():
    program = parse(HEADER + "# part_1: wheel cap\ncreate_primitive(name='wheel cap_1')\n")
    assert program.parts[0].object_name == "wheel cap_1"


def test_structure_problems_are_reported():
    src = HEADER + "# part_2: leg\ncreate_primitive(name='foot_2')\n"
    problems = parse(src).structure_problems()
    assert any("object name" in p for p in problems)
    assert any("part_1 was expected" in p for p in problems)
    assert any("'leg_2'" in p for p in problems)


BAD = [
    ("create_primitive(name='a'", "syntax error"),
    ("import os", "import of 'os'"),
    ("from os import system", "import from 'os'"),
    ("from math import sqrt", "'from math import sqrt'"),
    ("import bpy as b", "import of 'bpy'"),
    ("x = 1", "assignments"),
    ("for i in [1, 2]:\n    delete_all()", "loops"),
    ("while True:\n    delete_all()", "loops"),
    ("if True:\n    delete_all()", "conditionals"),
    ("def f():\n    pass", "function definitions"),
    ("class A:\n    pass", "class definitions"),
    ("bpy.ops.mesh.primitive_cube_add()", "attribute access"),
    ("__import__('os').system('true')", "attribute access"),
    ("exec('print(1)')", "'exec' is not a library function"),
    ("eval('1')", "'eval' is not a library function"),
    ("open('/etc/passwd')", "'open' is not a library function"),
    ("print('hi')", "'print' is not a library function"),
    ("create_primitive(name=__name__)", "name '__name__' is not allowed"),
    ("create_primitive(name='__class__')", "dunder"),
    ("create_primitive(name=x)", "name 'x' is not allowed"),
    ("create_primitive(name='a', location=[i for i in range(3)])", "comprehension"),
    ("create_primitive(name='a', location=(lambda: [0, 0, 0])())", "a call is not allowed"),
    ("create_primitive(name='a', scale=[1, 1, 1][0])", "subscripting"),
    ("create_primitive(name='a', primitive_type=f'cu{1}be')", "f-string"),
    ("create_primitive(name='a', bogus=1)", "has no argument 'bogus'"),
    ("create_primitive(name='a', locaton=[0, 0, 0])", "did you mean 'location'"),
    ("create_primitive(name='a', name='b')", "twice"),
    ("create_primitive(**{'name': 'a'})", "unpacking"),
    ("create_primtive(name='a')", "did you mean 'create_primitive'"),
    ("bevel(width=0.1)", "missing required argument"),
    ("create_primitive(name='a', scale=[1e300 * 1e300, 1, 1])", "out of range"),
    ("create_primitive(name='a', scale=[1 / 0, 1, 1])", "arithmetic error"),
    ("create_primitive(name='a', scale=[10 ** 100, 1, 1])", "exponent"),
    ("create_primitive(name='a' * 10)", "arithmetic is only allowed on numbers"),
    ("create_primitive(name='a', location=[0] * 100000)", "list repetition longer"),
    ("create_primitive(name='a', location=[0] * 1.5)", "whole number of times"),
    ("create_primitive(name='a', location=[0] + 1)", "only be added to a list"),
    ("create_primitive(name='a', location={'x': 1})", "dict literal"),
    ("create_primitive(name=b'a')", "bytes literals"),
    ("create_primitive(name='a', apply=1 if True else 0)", "conditional expression"),
    (
        "create_primitive(name='a', primitive_type='cylinder', use_minimum_face=False, resolution=[100000, 2])",
        "out of bounds",
    ),
    (
        "create_primitive(name='a')\narray_1d(name='a', count=100000, constant_offset=[1, 0, 0])",
        "out of bounds",
    ),
    ("create_primitive(name='a')\nsubsurf(name='a', levels=9)", "subdivision levels"),
    ("create_primitive(name='a')\nbevel(name='a', width=0.1, segments=500)", "bevel segments"),
    (
        "create_primitive(name='a', primitive_type='uv_sphere', use_minimum_face=False, resolution=[500, 250])\n"
        "subsurf(name='a', levels=4)",
        "vertices",
    ),
    ("del x", "del statements"),
    ("lambda: 0", "lambda"),
    ("[delete_all() for _ in range(3)]", "comprehension"),
]


@pytest.mark.parametrize(("body", "message"), BAD, ids=[b[1] for b in BAD])
def test_bad_programs_are_refused_with_line_and_reason(body, message):
    source = HEADER + "\n# object name: x\n" + body + "\n"
    with pytest.raises(ProgramError) as info:
        parse(source)
    assert message in info.value.reason
    assert info.value.line is not None and info.value.line >= 7
    assert str(info.value).startswith(f"line {info.value.line}: ")


def test_array_2d_total_copies_are_bounded():
    body = (
        "create_primitive(name='a')\n"
        "array_2d(name='a', count_1=100, count_2=100, constant_offset_1=[1, 0, 0], constant_offset_2=[0, 1, 0])"
    )
    with pytest.raises(ProgramError, match="copies in all"):
        parse(HEADER + body)


def test_limits_are_configurable():
    with pytest.raises(ProgramError, match="more than 2 calls"):
        parse(HEADER + "delete_all()\ndelete_all()\n", Limits(max_calls=2))


def test_non_text_and_oversized_programs_are_refused():
    with pytest.raises(ProgramError, match="program is text"):
        parse(b"delete_all()")
    with pytest.raises(ProgramError, match="longer than"):
        parse("#" * 300_000)


def test_number_formatting_follows_the_spec():
    assert format_number(0.123456) == "0.12"
    assert format_number(-0.0001) == "0.0"
    assert format_number(3) == "3"
    assert format_number(0.12345, 4) == "0.1235"
    text = format_call("create_primitive", {"name": "leg_1", "location": [0.2004, -0.251, 1], "apply": True})
    assert text == "create_primitive(name='leg_1', location=[0.2, -0.25, 1], apply=True)"
    assert (
        format_call("solidify", {"name": "a", "thickness": 0.01234}) == "solidify(name='a', thickness=0.0123)"
    )


def test_catalogue_covers_the_spec():
    names = set(catalogue())
    spec = {
        "delete_all",
        "get_faces",
        "change_origin",
        "recalculate_normals",
        "make_caps",
        "weld",
        "delete_obj",
        "join_obj",
        "create_primitive",
        "create_trapezoid_body",
        "create_circle",
        "create_polygon",
        "create_rectangle",
        "create_square",
        "create_oval",
        "create_star",
        "create_arc_points",
        "create_quad",
        "create_wave",
        "create_curve",
        "create_arc_by_3Dpoints",
        "create_spiral",
        "bezier_rotation",
        "star_curve_rotation",
        "bridge_edge_loops",
        "boolean_operation",
        "array_1d",
        "array_2d",
        "array_3d",
        "array_rotate",
        "solidify",
        "bevel",
        "subsurf",
        "corrective_smooth",
        "fill_grid",
        "curve2meshgrid",
        "add_simple_deform_modifier",
        "add_curve_modifier_to_object",
        "zoom_upper_face",
        "create_fork",
        "create_spoon",
    }
    assert spec <= names, f"missing from the library: {sorted(spec - names)}"


def test_catalogue_signatures_follow_the_spec():
    c = catalogue()
    prim = c["create_primitive"]
    assert prim.parameter_names[:5] == ("name", "primitive_type", "location", "scale", "rotation")
    defaults = {p.name: p.default for p in prim.parameters}
    assert defaults["primitive_type"] == "cube" and defaults["rotation_mode"] == "QUATERNION"
    assert defaults["use_minimum_face"] is True and defaults["apply"] is False
    curve = {p.name: p.default for p in c["create_curve"].parameters}
    # Spec 3b item 1: no resolution given means 12 per span for a bare curve and 24 with a profile.
    assert curve["resolution"] is None and curve["bevel_segments"] == 8 and curve["volumn_origin"] is True
    bridge = {p.name: p.default for p in c["bridge_edge_loops"].parameters}
    assert (
        bridge["interpolation"] == "PATH"
        and bridge["profile_shape"] == "SMOOTH"
        and bridge["fill_caps"] == "none"
    )
    assert {p.name: p.default for p in c["solidify"].parameters}["thickness"] == 0.01
    assert {p.name: p.default for p in c["bevel"].parameters}["segments"] == 8
    assert {p.name: p.default for p in c["weld"].parameters}["merge_threshold"] == 1e-3
