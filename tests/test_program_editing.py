"""Structured editing of programs (meshcoder.shapes.editing through Program's methods): parts by label,
keyword values, translate/scale, duplicate/delete/rename; the Blender tests run edited programs."""

from __future__ import annotations

import re

import numpy as np
import pytest

from meshcoder.data.categories import CATEGORIES, generate_program
from meshcoder.shapes import edit_rules, editing
from meshcoder.shapes.catalogue import catalogue
from meshcoder.shapes.editing import EditError
from meshcoder.shapes.program import HEADER, parse, validate

TABLE = (
    HEADER
    + """
# object name: test table
# part_1: leg
create_primitive(name='leg_1', primitive_type='cube', location=[0.2, -0.25, 0.2], scale=[0.03, 0.25, 0.03])
# part_2: leg
create_primitive(name='leg_2', primitive_type='cylinder', location=[-0.2, -0.25, 0.2], scale=[0.03, 0.03, 0.25], rotation=[0.71, 0.71, 0.0, 0.0])
# part_3: table top
create_primitive(name='table top_3', primitive_type='cube', location=[0.0, 0.02, 0.0], scale=[0.3, 0.02, 0.3])
bevel(name='table top_3', width=0.1, segments=4)
# part_4: handle
create_circle(name='circle_4', radius=0.01)
create_curve(name='handle_4', profile_name='circle_4', control_points=[[0.3, 0.1, 0.0], [0.35, 0.15, 0.0], [0.3, 0.2, 0.0]], thickness=0.002)
# part_5: shelf
create_primitive(name='board_a_5', primitive_type='cube', location=[0.0, -0.3, 0.0], scale=[0.2, 0.01, 0.1])
create_primitive(name='board_b_5', primitive_type='cube', location=[0.0, -0.4, 0.0], scale=[0.2, 0.01, 0.1])
join_obj(name='shelf_5', seq_name=['board_a_5', 'board_b_5'])
# part_6: box
create_primitive(name='box_6', primitive_type='cube', location=[0.0, 0.3, 0.0], scale=[0.1, 0.1, 0.1])
create_primitive(name='cutter', primitive_type='cylinder', location=[0.0, 0.3, 0.0], scale=[0.05, 0.05, 0.2])
boolean_operation(name1='box_6', name2='cutter', operation='DIFFERENCE')
"""
)

# Part 3 acts on part 2's object, so part 2 cannot be deleted, nor part 3 moved or copied alone.
LINKED = (
    HEADER
    + """
# object name: linked
# part_1: base
create_primitive(name='base_1', primitive_type='cube', scale=[0.3, 0.05, 0.3])
# part_2: pin
create_primitive(name='pin_2', primitive_type='cylinder', location=[0.0, 0.1, 0.0], scale=[0.02, 0.02, 0.1])
# part_3: cap
create_primitive(name='cap_3', primitive_type='uv_sphere', location=[0.0, 0.2, 0.0], scale=[0.04, 0.04, 0.04])
boolean_operation(name1='pin_2', name2='cap_3', operation='UNION')
# part_4: foot
create_primitive(name='foot_4', primitive_type='cube', location=[0.0, -0.1, 0.0], scale=[0.1, 0.01, 0.1])
"""
)


@pytest.fixture
def table():
    return parse(TABLE)


def call_text(program, index, position=0):
    return program.part(index).calls[position].text


# ------------------------------------------------------------------------------- parts and values


def test_labels_and_parts_by_label(table):
    assert table.labels() == ["leg", "table top", "handle", "shelf", "box"]
    assert [p.index for p in table.parts_labelled("leg")] == [1, 2]
    assert table.parts_labelled("le") == []
    assert [p.object_name for p in table.parts_labelled(re.compile(r"(leg|shelf)"))] == [
        "leg_1",
        "leg_2",
        "shelf_5",
    ]
    assert [p.index for p in table.parts_labelled(re.compile(r"table.*"))] == [3]


def test_get_reads_written_values_and_defaults(table):
    assert table.get(1, "location") == [0.2, -0.25, 0.2]
    assert table.get(table.part(2), "rotation") == [0.71, 0.71, 0.0, 0.0]
    assert table.get(1, "rotation") is None  # not written: the function's default
    assert table.get(3, "width") == 0.1
    assert table.get(4, "thickness") == 0.002  # only the sweep writes it, though the circle takes it too
    assert table.get(4, "radius") == 0.01
    assert table.get(3, "scale", call="create_primitive") == [0.3, 0.02, 0.3]
    assert table.get(5, "location", call=1) == [0.0, -0.4, 0.0]
    assert table.get(5, "location", call=-2) == [0.0, -0.4, 0.0]
    value = table.get(1, "location")
    value[0] = 9.0
    assert table.get(1, "location") == [0.2, -0.25, 0.2], "get returns a copy"


def test_get_prefers_the_call_that_makes_the_part_object(table):
    # Both calls of part 6 write 'location'; create_primitive(name='box_6') makes the part's object.
    assert table.get(6, "location") == [0.0, 0.3, 0.0]
    assert table.get(6, "scale") == [0.1, 0.1, 0.1]


def test_ambiguous_or_unknown_keywords_list_the_candidates(table):
    with pytest.raises(
        EditError, match=r"2 calls have 'location'.*\[0\] create_primitive.*\[1\] create_primitive"
    ):
        table.get(5, "location")
    with pytest.raises(EditError, match="call='create_primitive' picks 2"):
        table.get(5, "location", call="create_primitive")
    with pytest.raises(EditError, match="join_obj\\(\\) has no argument 'location'"):
        table.get(5, "location", call="join_obj")
    with pytest.raises(EditError, match="no call takes 'radius'"):
        table.get(1, "radius")
    with pytest.raises(EditError, match="no part_9"):
        table.get(9, "location")


def test_set_writes_the_value_in_spec_format_and_returns_a_new_program(table):
    edited = table.set(1, "location", np.array([0.123456, -0.3, 0.2]))
    assert call_text(edited, 1) == (
        "create_primitive(name='leg_1', primitive_type='cube', location=[0.12, -0.3, 0.2], scale=[0.03, 0.25, 0.03])"
    )
    assert table.get(1, "location") == [0.2, -0.25, 0.2], "the edited program is a copy"
    assert [c.text for c in edited.calls[2:]] == [c.text for c in table.calls[2:]], (
        "other calls keep their text"
    )
    added = table.set(1, "rotation", [1.0, 0.0, 0.0, 0.0])
    assert call_text(added, 1).endswith("scale=[0.03, 0.25, 0.03], rotation=[1.0, 0.0, 0.0, 0.0])")
    assert validate(added.to_text()).part(1).calls[0].arguments["rotation"] == [1.0, 0.0, 0.0, 0.0]
    thick = table.set(4, "thickness", 0.00123)
    assert "thickness=0.0012" in call_text(thick, 4, 1), "thickness keeps its 4 decimals"


def test_set_refuses_names_unknown_keywords_and_non_literals(table):
    with pytest.raises(EditError, match="rename"):
        table.set(1, "name", "foot_1")
    with pytest.raises(EditError, match="has no argument 'colour'"):
        table.set(1, "colour", [1, 0, 0], call=0)
    with pytest.raises(EditError, match="cannot write"):
        table.set(1, "location", {"x": 1})


def test_parts_from_an_earlier_version_are_refused(table):
    legs = table.parts_labelled("leg")
    moved = table.translate(legs[0], [0.1, 0, 0])
    assert moved.translate(legs[1], [0.1, 0, 0]).get(2, "location") == [-0.1, -0.25, 0.2]  # unchanged part
    with pytest.raises(EditError, match="edited or renumbered"):
        moved.translate(legs[0], [0.1, 0, 0])
    shorter = table.delete(legs[0])
    with pytest.raises(EditError, match="edited or renumbered"):
        shorter.delete(legs[1])
    assert [p.label for p in table.delete(legs).parts] == ["table top", "handle", "shelf", "box"]


# ---------------------------------------------------------------------------------- translate / scale


def test_translate_moves_world_points_only(table):
    moved = table.translate([1, 4], [0.1, -0.2, 0.05])
    assert moved.get(1, "location") == pytest.approx([0.3, -0.45, 0.25])
    assert moved.get(1, "scale") == [0.03, 0.25, 0.03]
    points = moved.get(4, "control_points")
    assert np.array(points) == pytest.approx(
        np.array([[0.4, -0.1, 0.05], [0.45, -0.05, 0.05], [0.4, 0.0, 0.05]])
    )
    # A sweep reads its profile in the profile's own plane: the circle stays where it is.
    assert call_text(moved, 4) == call_text(table, 4)
    assert moved.get(4, "thickness") == 0.002
    assert [c.text for c in moved.part(3).calls] == [c.text for c in table.part(3).calls]
    assert moved.structure_problems() == []


def test_translate_writes_a_location_the_call_left_out():
    program = parse(
        HEADER
        + "# object name: x\n# part_1: ball\ncreate_primitive(name='ball_1', primitive_type='uv_sphere')\n"
    )
    assert program.translate(1, [0, 0.5, 0]).get(1, "location") == [0.0, 0.5, 0.0]
    assert "location" not in program.scale(1, 2.0, about=[0, 0, 0]).part(1).calls[0].arguments


def test_uniform_scale_about_the_part_centre(table):
    bigger = table.scale(3, 2.0)
    assert bigger.get(3, "location") == [0.0, 0.02, 0.0]
    assert bigger.get(3, "scale") == pytest.approx([0.6, 0.04, 0.6])
    assert bigger.get(3, "width") == 0.1, "a bevel on a primitive is in its scaled local space"
    handle = table.scale(4, 2.0)  # about the middle of the path's points (0.325, 0.15, 0)
    assert np.array(handle.get(4, "control_points")) == pytest.approx(
        np.array([[0.275, 0.05, 0.0], [0.375, 0.15, 0.0], [0.275, 0.25, 0.0]])
    )
    assert handle.get(4, "radius") == pytest.approx(0.02), "the profile grows with the part"
    assert handle.get(4, "thickness") == pytest.approx(0.004)
    about = table.scale(1, 2.0, about=[0.0, 0.0, 0.0])
    assert about.get(1, "location") == pytest.approx([0.4, -0.5, 0.4])


def test_non_uniform_scale_stretches_objects_along_their_own_axes(table):
    taller = table.scale(table.parts_labelled("leg"), [1.0, 1.5, 1.0], about=[0.0, 0.0, 0.0])
    assert taller.get(1, "scale") == pytest.approx([0.03, 0.38, 0.03])  # 0.375 written with 2 decimals
    assert taller.get(1, "location") == pytest.approx([0.2, -0.38, 0.2])
    # leg 2 is turned a quarter about X: its local Z is world Y, so its Z scale grows.
    assert taller.get(2, "scale") == pytest.approx([0.03, 0.03, 0.38])
    assert taller.get(2, "rotation") == [0.71, 0.71, 0.0, 0.0]


def test_non_uniform_scale_needs_lengths_for_directionless_lengths(table):
    with pytest.raises(EditError, match=r"cannot scale part_4 .*profile 'circle_4'.*pass lengths="):
        table.scale(4, [1.0, 2.0, 1.0])
    kept = table.scale(4, [1.0, 2.0, 1.0], about=[0, 0, 0], lengths=1.0)
    assert kept.get(4, "control_points")[0] == pytest.approx([0.3, 0.2, 0.0])
    assert kept.get(4, "radius") == 0.01 and kept.get(4, "thickness") == 0.002


@pytest.mark.parametrize(
    ("body", "edit", "message"),
    [
        (  # an oval has no location: it can only be resized as a profile
            "create_oval(name='oval_1', a=0.1, b=0.2)\ncreate_circle(name='circle_1', location=[0, 0.2, 0], radius=0.1)\n"
            "bridge_edge_loops(name='tube_1', profile_name=['oval_1', 'circle_1'])",
            lambda p: p.translate(1, [0.1, 0, 0]),
            r"create_oval\(\) on line \d+: it has no location",
        ),
        (
            "create_circle(name='tube_1', radius=0.1, center='POINT')",
            lambda p: p.translate(1, [0.1, 0, 0]),
            "center='POINT'",
        ),
        (
            "create_primitive(name='tube_1', primitive_type='cylinder', scale=[0.1, 0.1, 0.4])\n"
            "add_simple_deform_modifier(name='tube_1', mode='BEND', angle=0.5)",
            lambda p: p.scale(1, [1, 2, 1]),
            "deformation under the non-uniform factor",
        ),
        (
            "create_circle(name='circle_1', radius=0.02)\n"
            "create_spiral(name='tube_1', profile_name='circle_1', radius=0.2, rotation=[1, 0, 0, 0])",
            lambda p: p.scale(1, [1, 2, 1], lengths=1.0),
            "the helix lies in a plane that the factor",
        ),
        ("create_primitive(name='tube_1')", lambda p: p.scale(1, 0), "must be positive"),
        ("create_primitive(name='tube_1')", lambda p: p.translate(1, [1, 2]), "three numbers"),
    ],
)
def test_parts_that_cannot_be_moved_raise_clearly(body, edit, message):
    program = parse(HEADER + f"# object name: x\n# part_1: tube\n{body}\n")
    with pytest.raises(EditError, match=message):
        edit(program)


def test_lathes_take_a_factor_that_keeps_their_circles_round():
    program = parse(
        HEADER
        + "# object name: vase\n# part_1: body\n"
        + "create_curve(name='curve_1', control_points=[[0.2, 0.0, 0.0], [0.3, 0.5, 0.0], [0.1, 1.0, 0.0]])\n"
        + "bezier_rotation(name='body_1', profile_name='curve_1', location=[0.0, -0.5, 0.0], "
        + "rotation=[0.71, -0.71, 0.0, 0.0], thickness=0.01)\n"
    )
    # The lathe's axis (local Z turned a quarter about -X) is world Y: taller means a taller profile.
    taller = program.scale(1, [1.0, 2.0, 1.0], about=[0.0, -0.5, 0.0], lengths=1.0)
    profile = np.array(taller.get(1, "control_points"))
    assert profile == pytest.approx(np.array([[0.2, 0.0, 0.0], [0.3, 1.0, 0.0], [0.1, 2.0, 0.0]]))
    assert taller.get(1, "location") == pytest.approx([0.0, -0.5, 0.0])
    with pytest.raises(EditError, match="the lathe bezier_rotation"):
        program.scale(1, [2.0, 1.0, 1.0], lengths=1.0)


def test_moving_a_part_that_acts_on_another_parts_object_is_refused():
    program = parse(LINKED)
    for edit in (lambda: program.translate(3, [0, 1, 0]), lambda: program.duplicate(3)):
        with pytest.raises(
            EditError, match=r"part_3 .* act on objects it does not make: 'pin_2' \(made by part_2"
        ):
            edit()


# ------------------------------------------------------------------------------ structure edits


def test_duplicate_appends_a_renamed_copy(table):
    copied = table.duplicate(4, offset=[0.0, 0.1, 0.0], label="grip")
    assert [(p.index, p.label) for p in copied.parts][-2:] == [(6, "box"), (7, "grip")]
    assert [c.text for c in copied.part(7).calls] == [
        "create_circle(name='circle_7', radius=0.01)",
        "create_curve(name='grip_7', profile_name='circle_7', control_points=[[0.3, 0.2, 0.0], "
        "[0.35, 0.25, 0.0], [0.3, 0.3, 0.0]], thickness=0.002)",
    ]
    assert copied.to_text().startswith(table.to_text().rstrip("\n")), "the parts before are untouched"
    assert copied.structure_problems() == []
    boxes = table.duplicate(6)
    # name1 follows the object, and a helper without the index gets one
    assert [c.arguments for c in boxes.part(7).calls][-1] == {
        "name1": "box_7",
        "name2": "cutter_7",
        "operation": "DIFFERENCE",
    }
    assert boxes.duplicate(7).part(8).calls[1].arguments["name"] == "cutter_8"


def test_delete_renumbers_later_parts_and_their_names(table):
    shorter = table.delete(1)
    assert [(p.index, p.label) for p in shorter.parts] == [
        (1, "leg"),
        (2, "table top"),
        (3, "handle"),
        (4, "shelf"),
        (5, "box"),
    ]
    assert [p.object_name for p in shorter.parts] == ["leg_1", "table top_2", "handle_3", "shelf_4", "box_5"]
    assert shorter.get(3, "profile_name") == "circle_3"
    assert shorter.get(4, "seq_name") == ["board_a_4", "board_b_4"]
    assert shorter.get(5, "name1", call="boolean_operation") == "box_5"
    assert shorter.get(5, "name2") == "cutter", "a name without the index stays"
    assert shorter.get(1, "rotation") == [0.71, 0.71, 0.0, 0.0], "the old part 2 is part 1 now"
    assert shorter.structure_problems() == []
    two = table.delete([2, 4])
    assert [p.object_name for p in two.parts] == ["leg_1", "table top_2", "shelf_3", "box_4"]


def test_delete_follows_references_and_refuses_to_orphan_them():
    program = parse(LINKED)
    renamed = program.delete(1)  # part 3 (now 2) acts on the pin (now part 1): the reference follows
    assert renamed.get(2, "name1", call="boolean_operation") == "pin_1"
    assert renamed.get(2, "name2", call="boolean_operation") == "cap_2"
    assert renamed.structure_problems() == []
    with pytest.raises(
        EditError, match=r"cannot delete part_2 \('pin_2'\): part_3 \('cap_3'\) uses its object 'pin_2'"
    ):
        program.delete(2)
    assert [p.object_name for p in program.delete([2, 3]).parts] == ["base_1", "foot_2"]


def test_rename_changes_the_label_and_every_use_of_the_object():
    program = parse(LINKED)
    renamed = program.rename(2, "peg")
    assert renamed.part(2).label == "peg" and renamed.part(2).object_name == "peg_2"
    assert renamed.get(2, "name") == "peg_2"
    assert renamed.get(3, "name1", call="boolean_operation") == "peg_2"
    assert renamed.structure_problems() == []
    with pytest.raises(EditError, match=r"\['board_a_5'\] are already used"):
        parse(TABLE).rename(5, "board_a")  # the shelf's object would take the name of its first board
    with pytest.raises(EditError, match="one line of text"):
        program.rename(1, " base")


def test_delete_obj_by_part_of_a_name_blocks_renaming_what_it_would_match():
    program = parse(
        HEADER
        + "# object name: x\n# part_1: a\ncreate_primitive(name='a_1')\n# part_2: b\n"
        + "create_primitive(name='b_2')\ncreate_primitive(name='cap_b_2')\ndelete_obj(sub_name='cap')\n"
    )
    with pytest.raises(EditError, match="delete_obj"):
        program.delete(1)
    exact = parse(program.to_text().replace("sub_name='cap'", "sub_name='cap_b_2'"))
    assert exact.delete(1).get(1, "sub_name") == "cap_b_1"


def test_rotations_are_read_as_blender_reads_them():
    def turn(axis: int, angle: float) -> np.ndarray:
        c, s = np.cos(angle), np.sin(angle)
        i, j = (axis + 1) % 3, (axis + 2) % 3
        m = np.eye(3)
        m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
        return m

    angles = [0.3, -0.2, 0.7]  # units of pi, written (x, y, z) whatever the order
    for order in ("XYZ", "ZYX", "YZX"):
        expected = np.eye(3)
        for axis in order:  # the first letter turns first, about the fixed axes
            expected = turn("XYZ".index(axis), angles["XYZ".index(axis)] * np.pi) @ expected
        assert edit_rules._rotation(angles, order) == pytest.approx(expected)
    half = np.sqrt(0.5)
    assert edit_rules._rotation([half, half, 0.0, 0.0]) == pytest.approx(turn(0, np.pi / 2))
    assert edit_rules._rotation([0, 0, 0, 0]) == pytest.approx(turn(0, np.pi)), "Blender's zero quaternion"


# ------------------------------------------------------------------------------ tables stay complete


def test_every_catalogue_function_has_a_mapping_rule():
    assert set(catalogue()) == set(edit_rules._RULES)


def test_name_keywords_cover_every_object_name_in_generated_programs():
    for category in CATEGORIES:
        calls = parse(generate_program(category, 0)).calls
        made = {u.name for u in editing.name_uses(calls) if u.creates}
        for call in calls:
            for key, value in call.arguments.items():
                names = {n for _, n in editing._strings(value)} & made
                assert not names or key in editing.NAME_KEYWORDS, (category, call.function, key, names)


def test_every_kind_of_generated_part_can_be_edited():
    """One part of each kind (the same functions with the same keywords) in every category's seed 0."""
    kinds = set()
    for category in CATEGORIES:
        program = parse(generate_program(category, 0))
        for part in program.parts:
            kind = tuple((c.function, tuple(c.arguments)) for c in part.calls)
            if kind in kinds:
                continue
            kinds.add(kind)
            edits = {
                "translate": program.translate(part, [0.1, -0.2, 0.05]),
                "scale": program.scale(part, 1.3),
                "duplicate": program.duplicate(part),
                "delete": program.delete(part),
                "rename": program.rename(part, "thing"),
            }
            for name, edited in edits.items():
                problems = validate(edited.to_text()).structure_problems()
                assert problems == [], (category, part.object_name, name, problems)
            for unchanged in (program.translate(part, [0, 0, 0]), program.scale(part, 1.0)):
                assert unchanged.to_text() == program.to_text(), (category, part.object_name)


# ------------------------------------------------------------------------------------------- Blender


def _armchair():
    """An armchair program with plain (unturned) primitive legs and arms."""
    for seed in range(30):
        program = parse(generate_program("ArmChair", seed))
        legs = program.parts_labelled("leg")
        plain = all(
            c.function == "create_primitive" and c.arguments.get("rotation") is None
            for p in legs
            for c in p.calls
        )
        if legs and plain and program.parts_labelled("arm"):
            return program
    pytest.fail("no ArmChair seed in 0..29 has plain legs and arms")


@pytest.mark.blender
def test_edited_armchair_runs_with_the_parts_expected(pool):
    program = _armchair()
    before = pool.run(program.to_text())
    assert before.ok, before.reason

    legs = program.parts_labelled("leg")
    top = max(program.get(p, "location")[1] + program.get(p, "scale")[1] for p in legs)
    edited = program.scale(legs, [1.0, 1.5, 1.0], about=[0.0, top, 0.0])  # longer legs, same seat height
    edited = edited.delete(edited.parts_labelled("arm"))
    edited = edited.duplicate(edited.parts[-1], offset=[0.0, 0.0, 0.2])
    edited = edited.rename(1, "foot")

    text = edited.to_text()
    assert validate(text).structure_problems() == []
    after = pool.run(text)
    assert after.ok, after.reason

    n_arms = len(program.parts_labelled("arm"))
    assert len(edited.parts) == len(program.parts) - n_arms + 1
    assert set(after.parts) == {p.object_name for p in edited.parts}
    assert not any(name.startswith("arm_") for name in after.parts)
    assert "foot_1" in after.parts and "leg_1" not in after.parts

    tolerance = 0.011  # values are written with 2 decimals
    survivors = [p for p in program.parts if p.label != "arm"]  # in order, as renumbered
    for old_part, new_part in zip(survivors, edited.parts):
        old = before.parts[old_part.object_name].bounds
        new = after.parts[new_part.object_name].bounds
        if old_part.label != "leg":
            assert new_part.label == old_part.label
            assert new == pytest.approx(old), "the other parts are the same meshes under their new names"
            continue
        assert new[1, 1] == pytest.approx(old[1, 1], abs=tolerance), "the top of the leg stays"
        assert new[1, 1] - new[0, 1] == pytest.approx(1.5 * (old[1, 1] - old[0, 1]), abs=tolerance)
        assert new[:, [0, 2]] == pytest.approx(old[:, [0, 2]], abs=tolerance)
    copied = after.parts[edited.parts[-1].object_name].bounds
    moved = before.parts[program.parts[-1].object_name].bounds + np.array([0.0, 0.0, 0.2])
    assert copied == pytest.approx(moved, abs=1e-4)


@pytest.mark.blender
@pytest.mark.slow
def test_translating_and_scaling_any_generated_part_moves_exactly_its_mesh(pool):
    """Every part of every category (seed 0): moved by an offset and doubled about a point (values
    stay exact in 2 and 3 decimals), its mesh moves exactly so and no other part changes."""
    offset, about = np.array([0.1, -0.2, 0.05]), np.array([0.1, -0.2, 0.3])
    jobs, originals = [], {}
    for category in CATEGORIES:
        program = parse(generate_program(category, 0))
        originals[category] = program.to_text()
        for part in program.parts:
            jobs.append((category, part.object_name, "translate", program.translate(part, offset).to_text()))
            jobs.append(
                (category, part.object_name, "scale", program.scale(part, 2.0, about=about).to_text())
            )
    base = dict(zip(originals, pool.map(list(originals.values()))))
    failures = []
    for (category, name, kind, _), result in zip(jobs, pool.map([j[3] for j in jobs])):
        reference = base[category]
        if not reference.ok:
            continue
        if not result.ok:
            failures.append((category, name, kind, result.reason))
            continue
        bounds = reference.parts[name].bounds
        expected = bounds + offset if kind == "translate" else 2.0 * bounds - about
        error = np.abs(result.parts[name].bounds - expected).max()
        others = [n for n in reference.parts if n != name]
        moved = [n for n in others if not np.allclose(result.parts[n].bounds, reference.parts[n].bounds)]
        if error > 2e-3 or moved:
            failures.append((category, name, kind, f"bounds off by {error:.4f}; moved {moved}"))
    assert not failures, failures[:10]
