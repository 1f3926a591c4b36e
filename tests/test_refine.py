"""Test-time refinement: knobs read from and written back to programs, the search (on a pure-Python
stand-in for the executor), never returning worse, the time budget, and real programs in Blender."""

from __future__ import annotations

import math
import time
import zlib

import numpy as np
import pytest

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.sampling import sample_surface
from meshcoder.inference.refine import (
    Objective,
    ProgramWriter,
    Refinement,
    find_knobs,
    perturb_program,
    refine_program,
)
from meshcoder.shapes.executor import ExecutionResult, Status
from meshcoder.shapes.program import HEADER, format_call, parse

MIXED = """
# object name: test
# part_1: leg
create_primitive(name='leg_1', primitive_type='cylinder', location=[0.1, -0.2, 0.3], scale=[0.02, 0.02, 0.25], rotation=[0.71, 0.71, 0.0, 0.0], use_minimum_face=False, resolution=[16, 1])
bevel(name='leg_1', width=0.1, segments=4)
# part_2: rail
create_circle(name='circle_2', radius=0.01)
create_curve(name='rail_2', profile_name='circle_2', control_points=[[0.0, 0.1, 0.0], [0.2, 0.15, 0.0], [0.3, 0.1, 0.05]], points_radius=[1.0, 0.8, 1.0], handle_type=[1, 1, 0, 0, 1, 1], thickness=0.0, fill_caps='both')
# part_3: cap
create_primitive(name='cap_3', primitive_type='uv_sphere', rotation=[0.25, 0.5, 0.0], rotation_mode='XYZ', apply=True)
change_origin(name='cap_3', location=[0.0, 0.5, 0.0])
"""


@pytest.fixture
def mixed(with_header) -> str:
    """Three parts with every kind of argument the knobs tell apart."""
    return with_header(MIXED)


# ------------------------------------------------------------------------------ knobs and writing


def test_knobs_are_the_continuous_values_only(mixed):
    program = parse(mixed)
    knobs = find_knobs(program, {1: 0.5})
    found = {(program.calls[k.call].function, k.keyword): k for k in knobs}
    assert set(found) == {
        ("create_primitive", "location"),
        ("create_primitive", "scale"),
        ("create_primitive", "rotation"),
        ("bevel", "width"),
        ("create_circle", "radius"),
        ("create_curve", "control_points"),
        ("create_curve", "points_radius"),
    }  # not: resolution, segments, handle_type, names, flags, a zero thickness, change_origin's location
    leg_location = next(k for k in knobs if k.keyword == "location")
    assert leg_location.part == 1 and leg_location.kind == "position"
    assert leg_location.step.tolist() == pytest.approx([0.05] * 3)  # a tenth of the part's size
    curve = next(k for k in knobs if k.keyword == "control_points")
    assert curve.part == 2 and len(curve.start) == 9 and curve.decimals == 3
    assert curve.step.tolist() == pytest.approx([0.1] * 9)  # no size known: the object's (1)
    # the Euler rotation of part 3 is a rotation knob too, in units of pi
    cap = [k for k in knobs if k.part == 3]
    assert [(k.keyword, k.kind, len(k.start)) for k in cap] == [("rotation", "rotation", 3)]


def test_a_profile_keeps_its_plane(with_header):
    lathe = with_header("""
# object name: vase
# part_1: body
create_curve(name='curve_1', control_points=[[0.0, -0.5, 0.0], [0.2, -0.3, 0.0], [0.1, 0.4, 0.0]], handle_type=[1, 1, 0, 0, 1, 1])
bezier_rotation(name='body_1', profile_name='curve_1', rotation=[0.71, -0.71, 0.0, 0.0], thickness=0.01)
""")
    program = parse(lathe)
    points = next(k for k in find_knobs(program, {1: 1.0}) if k.keyword == "control_points")
    assert points.step.reshape(-1, 3)[:, 2].tolist() == [0.0, 0.0, 0.0]  # the profile's plane, z = 0
    assert np.all(points.step.reshape(-1, 3)[:, :2] > 0)


def test_sizes_keep_their_sign_and_the_number_format(mixed):
    knob = next(k for k in find_knobs(parse(mixed)) if k.keyword == "scale")
    assert knob.kind == "size"
    clamped = knob.clamp(np.array([-0.5, 0.0123, 0.31789]))
    assert clamped.tolist() == [0.01, 0.01, 0.32]  # positive stays positive, rounded to 2 decimals


def test_writer_rewrites_only_changed_calls_in_the_spec_format(mixed):
    program = parse(mixed)
    knobs = find_knobs(program)
    writer = ProgramWriter(program, knobs)
    assert writer.text({}) == mixed.rstrip("\n") + "\n"
    location = next(k for k in knobs if k.keyword == "location")
    points = next(k for k in knobs if k.keyword == "control_points")
    values = {location.key: np.array([0.15, -0.2, 0.3]), points.key: points.clamp(points.start + 0.01234)}
    text = writer.text(values)
    again = parse(text)  # validates
    changed = [(a.text, b.text) for a, b in zip(program.calls, again.calls) if a.text != b.text]
    assert len(changed) == 2
    leg = again.calls[location.call]
    assert leg.arguments["location"] == [0.15, -0.2, 0.3]
    assert leg.text == format_call("create_primitive", leg.arguments)
    assert leg.arguments["resolution"] == [16, 1] and leg.arguments["use_minimum_face"] is False
    assert again.calls[points.call].arguments["control_points"][0] == [0.012, 0.112, 0.012]
    assert [p.label for p in again.parts] == ["leg", "rail", "cap"]
    # a part alone: header, its comment and its calls
    alone = parse(writer.part_text(1, values))
    assert [p.index for p in alone.parts] == [1] and len(alone.calls) == 3  # delete_all + 2
    assert alone.calls[1].arguments["location"] == [0.15, -0.2, 0.3]
    assert writer.changes(values) == [
        "part_1 (leg): location [0.1, -0.2, 0.3] -> [0.15, -0.2, 0.3]",
        "part_2 (rail): control_points [[0.0, 0.1, 0.0], [0.2, 0.15, 0.0], [0.3, 0.1, 0.05]] -> "
        "[[0.012, 0.112, 0.012], [0.212, 0.162, 0.012], [0.312, 0.112, 0.062]]",
    ]


# ------------------------------------------------------------------------- the search, without Blender


def box(location, scale) -> TriangleMesh:
    """A cube primitive as Blender builds it (half extents = scale), rotation ignored."""
    corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=float)
    faces = [
        [0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
        [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3],
    ]  # fmt: skip
    return TriangleMesh(corners * np.asarray(scale) + np.asarray(location), np.array(faces))


class BoxPool:
    """The executor's interface over a Python stand-in for Blender: every ``create_primitive`` is an
    axis-aligned box. ``fail`` decides which programs fail; ``delay`` is seconds per program."""

    num_workers = 2

    def __init__(self, fail=lambda text: False, delay: float = 0.0):
        self.fail = fail
        self.delay = delay
        self.runs = 0

    def run(self, text: str) -> ExecutionResult:
        self.runs += 1
        time.sleep(self.delay)
        if self.fail(text):
            return ExecutionResult(Status.RUNTIME_ERROR, "refused by the test")
        parts = {
            c.arguments["name"]: box(
                c.arguments.get("location") or [0, 0, 0], c.arguments.get("scale") or [1] * 3
            )
            for c in parse(text).calls
            if c.function == "create_primitive"
        }
        return ExecutionResult(Status.OK, parts=parts) if parts else ExecutionResult(Status.EMPTY, "nothing")

    def map(self, texts, progress: bool = False, desc: str = ""):
        return [self.run(t) for t in texts]

    def imap(self, texts, ordered: bool = True, progress: bool = False, desc: str = ""):
        for i, t in enumerate(texts):
            yield (self.run(t) if ordered else (i, self.run(t)))


def boxes_program(boxes: list[tuple[list[float], list[float]]]) -> str:
    lines = ["# object name: boxes"]
    for i, (location, scale) in enumerate(boxes, start=1):
        lines += [
            f"# part_{i}: block",
            format_call("create_primitive", {"name": f"block_{i}", "location": location, "scale": scale}),
        ]
    return HEADER + "\n" + "\n".join(lines) + "\n"


TRUTH = [
    ([-0.3, 0.0, 0.0], [0.1, 0.3, 0.1]),
    ([0.3, 0.0, 0.0], [0.1, 0.3, 0.1]),
    ([0.0, 0.35, 0.0], [0.4, 0.05, 0.2]),
]
BOXES = boxes_program(TRUTH)


def target_of(boxes) -> np.ndarray:
    return sample_surface(TriangleMesh.concatenate([box(*b) for b in boxes]), 8192, 3).points


def test_objective_depends_on_the_surface_not_its_numbering():
    mesh = TriangleMesh.concatenate([box([0.0, 0.0, 0.0], [0.3, 0.2, 0.1]), box([0.2, 0.3, 0.0], [0.1] * 3)])
    rng = np.random.default_rng(0)
    faces = np.roll(mesh.faces[rng.permutation(len(mesh.faces))], 1, axis=1)  # same triangles, same winding
    objective = Objective(target_of(TRUTH), 512)
    assert objective({"a": mesh}) == objective({"a": TriangleMesh(mesh.vertices, faces)})


def test_perturbation_moves_one_part_and_resizes_another():
    text = BOXES
    perturbed, done = perturb_program(text, np.random.default_rng(0), shift=0.1, scale=1.5)
    a, b = parse(text), parse(perturbed)
    differing = {p.index for p, q in zip(a.parts, b.parts) if p.to_text() != q.to_text()}
    assert len(done) == 2 and len(differing) == 2


def test_refinement_pulls_misplaced_boxes_back():
    wrong = boxes_program(
        [([-0.22, 0.05, 0.0], [0.1, 0.3, 0.1]), TRUTH[1], ([0.0, 0.35, 0.0], [0.3, 0.05, 0.2])]
    )
    # An evaluation cap, not the clock, ends it: the same answer on a quiet or a loaded machine.
    result = refine_program(wrong, target_of(TRUTH), BoxPool(), budget=300.0, max_evaluations=400)
    assert isinstance(result, Refinement)
    # Two samplings of one surface are not 0 apart: most of the excess over that floor must go.
    floor = Objective(target_of(TRUTH))(BoxPool().run(BOXES).parts)
    assert result.cd_after - floor < 0.2 * (result.cd_before - floor), (result.cd_after, floor)
    calls = parse(result.text).calls
    assert calls[1].arguments["location"][0] == pytest.approx(-0.3, abs=0.02)
    assert calls[3].arguments["scale"][0] == pytest.approx(0.4, abs=0.06)  # from 0.3
    assert parse(result.text).calls and result.text != wrong
    assert result.changes and all(c.startswith(("part_1 (block)", "part_3 (block)")) for c in result.changes)
    assert result.history[0] == result.cd_before and min(result.history) == pytest.approx(result.cd_after)
    assert all(b <= a for a, b in zip(result.history, result.history[1:]))  # best so far only falls
    # the objective of the returned text is the one reported
    assert Objective(target_of(TRUTH))(BoxPool().run(result.text).parts) == pytest.approx(result.cd_after)


def test_never_worse_when_every_candidate_fails():
    wrong = boxes_program([([-0.2, 0.0, 0.0], [0.1, 0.3, 0.1])])
    pool = BoxPool(fail=lambda text: text != wrong)
    result = refine_program(wrong, target_of(TRUTH), pool, budget=1.0, points=512)
    assert result.text == wrong and result.cd_after == result.cd_before and result.changes == []
    assert math.isfinite(result.cd_before) and result.evaluations > 5


def test_failing_candidates_are_survived():
    wrong = boxes_program([([-0.2, 0.0, 0.0], [0.1, 0.3, 0.1]), TRUTH[1], TRUTH[2]])
    pool = BoxPool(fail=lambda text: zlib.crc32(text.encode()) % 3 == 0 and "-0.2, 0.0, 0.0" not in text)
    result = refine_program(wrong, target_of(TRUTH), pool, budget=8.0, points=1024)
    floor = Objective(target_of(TRUTH), 1024)(BoxPool().run(BOXES).parts)
    assert result.cd_after - floor < 0.3 * (result.cd_before - floor), (result.cd_after, floor)


def test_budget_is_kept_with_many_parts():
    rng = np.random.default_rng(0)
    many = [([float(v) for v in rng.uniform(-0.4, 0.4, 3).round(2)], [0.05, 0.05, 0.05]) for _ in range(40)]
    pool = BoxPool(delay=0.005)
    t0 = time.monotonic()
    result = refine_program(boxes_program(many), target_of(TRUTH), pool, budget=1.5, points=256)
    elapsed = time.monotonic() - t0
    assert elapsed < 1.5 + 0.5, elapsed  # a generation here is well under 0.5 s
    assert result.cd_after <= result.cd_before and result.evaluations == pool.runs


def test_nothing_to_tune_and_start_that_fails(with_header):
    bare = with_header("# object name: x\n# part_1: ball\ncreate_primitive(name='ball_1')\n")
    result = refine_program(bare, target_of(TRUTH), BoxPool(), budget=5.0, points=256)
    assert result.text == bare and result.evaluations == 1 and result.seconds < 2
    broken = refine_program(BOXES, target_of(TRUTH), BoxPool(fail=lambda t: True), budget=5.0, points=256)
    assert broken.text == BOXES and math.isinf(broken.cd_before) and math.isinf(broken.cd_after)


def test_bad_target_is_refused_clearly():
    with pytest.raises(ValueError, match="target cloud"):
        refine_program(BOXES, np.zeros((0, 3)), BoxPool(), budget=1.0)


# ----------------------------------------------------------------------------------- real programs


@pytest.mark.blender
def test_refines_a_perturbed_generated_program(pool):
    from meshcoder.data.categories import generate_program, rng_for

    text = generate_program("TableDining", 0)
    truth = pool.run(text)
    assert truth.ok, truth.reason
    cloud = sample_surface(truth.mesh, 16_384, 1).points
    perturbed, _ = perturb_program(text, rng_for("TableDining", 0))
    result = refine_program(perturbed, cloud, pool, budget=10.0)
    assert result.cd_after < 0.6 * result.cd_before, result
    assert result.seconds < 10.0 + 3.0
    rerun = pool.run(result.text)  # validates and runs; its objective is the one reported
    assert rerun.ok, rerun.reason
    assert Objective(cloud)(rerun.parts) == pytest.approx(result.cd_after, rel=1e-9)
    assert result.changes


@pytest.mark.blender
def test_parts_run_alone_only_when_independent(pool, with_header):
    from meshcoder.inference.refine import _Evaluator

    text = with_header("""
# object name: pair
# part_1: post
create_primitive(name='post_1', primitive_type='cylinder', location=[0.0, 0.0, 0.0], scale=[0.05, 0.05, 0.4])
# part_2: arm
create_primitive(name='arm_2', primitive_type='cube', location=[0.2, 0.3, 0.0], scale=[0.2, 0.02, 0.02])
create_primitive(name='peg_2', primitive_type='cube', location=[0.0, 0.3, 0.0], scale=[0.02, 0.02, 0.02])
join_obj(name='arm_2', seq_name=['arm_2', 'peg_2'])
# part_3: lamp
create_primitive(name='lamp_3', primitive_type='uv_sphere', location=[0.4, 0.25, 0.0], scale=[0.05, 0.05, 0.05])
boolean_operation(name1='lamp_3', name2='post_1', operation='UNION')
""")
    program = parse(text)
    cloud = sample_surface(pool.run(text).mesh, 4096, 0).points
    evaluator = _Evaluator(pool, Objective(cloud))
    evaluator.start(text)
    evaluator.writer = ProgramWriter(program, find_knobs(program))
    evaluator.find_standalone(program)
    assert set(evaluator.standalone) == {2}  # part 3 consumes part 1's post: neither runs alone
    assert evaluator.standalone[2] == {"arm_2"}
