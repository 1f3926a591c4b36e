"""The validator against hostile and broken text: it refuses with ProgramError only, in bounded memory,
and what it passes is what runs (no line Python sees as a comment can be read as code elsewhere)."""

from __future__ import annotations

import random
import tracemalloc

import numpy as np
import pytest

from meshcoder.shapes.export import save_parts
from meshcoder.shapes.program import HEADER, MAX_NAME_BYTES, ProgramError, validate

GOOD = (
    HEADER
    + "# object name: stool\n# part_1: seat\n"
    + "create_primitive(name='seat_1', primitive_type='cylinder', location=[0, 0, 0.45], "
    + "scale=[0.2, 0.2, 0.02])\n"
    + "# part_2: leg\n"
    + "create_curve(name='leg_2', control_points=[[0, 0, 0], [0.1, 0, 0.44]], handle_type=[1] * 4)\n"
)


def _refused(source: str, budget_mb: float = 64.0) -> ProgramError:
    """Validate ``source``; it must raise ProgramError (nothing else) within ``budget_mb`` of memory."""
    tracemalloc.start()
    try:
        with pytest.raises(ProgramError) as info:
            validate(source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < budget_mb * 1e6, f"validation used {peak / 1e6:.0f} MB"
    return info.value


def _call(body: str) -> str:
    return HEADER + body + "\n"


# ------------------------------------------------------------------------------- nesting and size

DEEP = {
    "5000 unary minus": "create_primitive(name='a', location=[" + "-" * 5000 + "1, 0, 0])",
    "2000-term sum": "create_primitive(name='a', scale=" + "+".join(["0"] * 2000) + ")",
    "100 nested lists": "create_primitive(name='a', scale=" + "[" * 100 + "1" + "]" * 100 + ")",
    "300 parentheses": "create_primitive(name='a', scale=" + "(" * 300 + "1" + ")" * 300 + ")",
    "radians of radians": "create_primitive(name='a', scale=" + "radians(" * 60 + "1" + ")" * 60 + ")",
    "50k-term product": "create_primitive(name='a', scale=" + "*".join(["1"] * 50_000) + ")",
}


@pytest.mark.parametrize("body", DEEP.values(), ids=DEEP.keys())
def test_deep_expressions_are_refused_not_a_recursion_error(body):
    error = _refused(_call(body))
    assert "nest" in error.reason


BOMBS = {
    "2d repetition": "create_curve(name='a', control_points=[[0] * 4096] * 4096)",
    "3d repetition (57 characters)": "create_curve(name='a', control_points=[[[0]*4096]*4096]*4096)",
    "many small repetitions": "create_curve(name='a', control_points=["
    + ", ".join(["[0] * 4000"] * 40)
    + "])",
    "joined repetitions": "create_curve(name='a', control_points=[[0] * 4096] * 15 + [[0] * 4096] * 15)",
    "repeated empty lists": "create_curve(name='a', control_points=[[[]] * 4096] * 4096)",
}


@pytest.mark.parametrize("body", BOMBS.values(), ids=BOMBS.keys())
def test_repetition_bombs_are_refused_before_they_are_built(body):
    error = _refused(_call(body), budget_mb=16)
    assert "values" in error.reason or "longer than" in error.reason


def test_the_whole_program_has_a_value_budget_too():
    # Each call is within its own budget; together they are not.
    body = "\n".join(f"create_curve(name='c{i}', control_points=[[0, 0, 0]] * 4096)" for i in range(120))
    error = _refused(_call(body))
    assert "in all" in error.reason


def test_published_style_repetition_still_works():
    program = validate(
        _call(
            "create_curve(name='a', control_points=[[0, 0, 0], [1, 0, 0]], handle_type=[1] * 4)\n"
            "create_curve(name='b', control_points=[[0, 0, 0]] * 2 + [[1, 1, 1]], handle_type=2 * [0, 1] + [1, 1])"
        )
    )
    assert program.calls[-2].arguments["handle_type"] == [1, 1, 1, 1]
    assert program.calls[-1].arguments["control_points"] == [[0, 0, 0], [0, 0, 0], [1, 1, 1]]
    assert program.calls[-1].arguments["handle_type"] == [0, 1, 0, 1, 1, 1]


# --------------------------------------------------------------------- line breaks and characters

FOREIGN_BREAKS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


@pytest.mark.parametrize("brk", FOREIGN_BREAKS, ids=[f"U+{ord(c):04X}" for c in FOREIGN_BREAKS])
def test_line_breaks_python_does_not_use_are_refused(brk):
    source = GOOD + f"# harmless{brk}__import__('os').system('touch /tmp/pwned')\n"
    error = _refused(source)
    assert f"U+{ord(brk):04X}" in error.reason
    assert error.line == GOOD.count("\n") + 1


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x9b"])
def test_control_characters_are_refused(char):
    _refused(GOOD + f"# a comment {char} here\n")


@pytest.mark.parametrize(
    "source",
    [
        GOOD.replace("\n", "\r\n"),
        GOOD.replace("\n", "\r"),
        GOOD + "# a comment with 'quotes', \"more\", a \\ backslash and émigré ✓\n",
        GOOD + "\t# tabs\t are whitespace\n",
        GOOD.replace("# part_2: leg", "# part_2: leg  \t "),
    ],
    ids=["crlf", "cr", "unicode comment", "tabs", "trailing blanks"],
)
def test_what_to_text_writes_validates_to_the_same_calls(source):
    program = validate(source)
    again = validate(program.to_text())
    assert [(c.function, c.arguments) for c in again.calls] == [
        (c.function, c.arguments) for c in program.calls
    ]
    assert [(p.index, p.label) for p in again.parts] == [(p.index, p.label) for p in program.parts]
    # Every line of the text is a header line, a comment, blank, or one of the validated calls.
    texts = {c.text for c in program.calls}
    for line in program.to_text().split("\n"):
        stripped = line.strip()
        assert not stripped or stripped.startswith(("#", "import ", "from ")) or stripped in texts, line


# -------------------------------------------------------------------------------------- names

BAD_NAMES = {
    "newline": "a\\nv 1 2 3",
    "carriage return": "a\\rb",
    "tab": "a\\tb",
    "line separator": "a\\u2028b",
    "blank": "   ",
    "too long": "x" * (MAX_NAME_BYTES + 1),
    "too long in bytes": "é" * 32,
    "right-to-left override": "a\\u202eb",
}


@pytest.mark.parametrize("name", BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_object_names_that_could_break_a_file_are_refused(name):
    _refused(_call(f"create_primitive(name='{name}')"))


def test_names_in_lists_and_references_are_checked_too():
    _refused(_call("create_circle(name=['ok', 'bad\\nname'])"))
    _refused(_call("create_primitive(name='a')\njoin_obj(name='b', seq_name=['a', 'x\\ny'])"))


@pytest.mark.parametrize(
    "name", ["leg_1", "seat cushion 2", "Stuhl-Bein (vorne)", "脚_3", "x" * MAX_NAME_BYTES]
)
def test_ordinary_names_pass(name):
    assert validate(_call(f"create_primitive(name='{name}')")).calls[-1].target == name


def test_obj_export_keeps_a_name_on_one_line(tmp_path):
    from meshcoder.geometry.mesh import TriangleMesh

    mesh = TriangleMesh(np.eye(3, dtype=np.float32), np.array([[0, 1, 2]]))
    path = save_parts({"a\nv 9 9 9\nf 1 1 1": mesh, "b\u2028c": mesh}, tmp_path / "x.obj")
    lines = path.read_text().splitlines()
    assert sum(line.startswith("v ") for line in lines) == 6
    assert sum(line.startswith("f ") for line in lines) == 2
    assert [line for line in lines if line.startswith("o ")] == ["o a_v 9 9 9_f 1 1 1", "o b_c"]


# ------------------------------------------------------------------------- knobs and estimates

KNOBS = {
    "edge length 1 mm": "create_primitive(name='a', primitive_type='cylinder', use_minimum_face=False, "
    "average_edge_length=0.001)",
    "edge length zero": "create_primitive(name='a', primitive_type='uv_sphere', use_minimum_face=False, "
    "average_edge_length=0)",
    "spiral of 200 turns at 128 with a 128-point profile": "create_circle(name='p', radius=0.01, resolution=128)\n"
    "create_spiral(name='s', profile_name='p', turns=200, resolution=128)",
    "grid fill of a 4000-point outline": "create_circle(name='o', resolution=4000)\nfill_grid(name='o')",
    "lathe of a 4000-point profile": "create_wave(name='w', segs=4000)\nbezier_rotation(name='b', profile_name='w')",
    "bridge of 256-cut 4000-point rings": "create_circle(name=['a', 'b'], location=[[0, 0, 0], [0, 0, 1]], "
    "resolution=4000)\nbridge_edge_loops(name='t', profile_name=['a', 'b'], number_cuts=256)\nsolidify(name='t')",
}


@pytest.mark.parametrize("body", KNOBS.values(), ids=KNOBS.keys())
def test_every_vertex_count_knob_is_bounded(body):
    _refused(_call(body))


def test_estimates_follow_profiles_into_sweeps():
    small = validate(
        _call(
            "create_circle(name='p', radius=0.01, resolution=8)\n"
            "create_spiral(name='s', profile_name='p', turns=2, resolution=8)"
        )
    )
    big = validate(
        _call(
            "create_circle(name='p', radius=0.01, resolution=64)\n"
            "create_spiral(name='s', profile_name='p', turns=2, resolution=8)"
        )
    )
    assert big.estimated_vertices > 4 * small.estimated_vertices


# ------------------------------------------------------------------------------------- fuzzing

TOKENS = [
    "(",
    ")",
    "[",
    "]",
    ",",
    "=",
    "*",
    "+",
    "-",
    "**",
    "'",
    '"',
    "\\",
    "#",
    "\n",
    "1e308",
    "9" * 400,
    "__import__",
    "lambda",
    "pi",
    "radians(",
    "[0]*4096",
    "\u2028",
    "\x00",
    "\t",
    "name=",
    " ",
]


def test_random_damage_to_a_good_program_only_ever_raises_program_error():
    rng = random.Random(0)
    outcomes = {"valid": 0, "refused": 0}
    escaped = []
    for _ in range(600):
        text = list(GOOD)
        for _ in range(rng.randint(1, 6)):
            where = rng.randrange(len(text))
            if rng.random() < 0.3:
                del text[where : where + rng.randint(1, 20)]
            else:
                text.insert(where, rng.choice(TOKENS))
        source = "".join(text)
        try:
            validate(source)
            outcomes["valid"] += 1
        except ProgramError:
            outcomes["refused"] += 1
        except Exception as err:
            escaped.append((type(err).__name__, source))
    assert not escaped, escaped[:3]
    assert outcomes["refused"] > 300 and outcomes["valid"] > 10, outcomes


# ------------------------------------------------------------------------ fitted arrays (Blender)


@pytest.mark.blender
@pytest.mark.parametrize("fit", ["fit_length=100000", "fit_length=1000000"])
def test_fitted_array_past_the_copy_bound_is_a_runtime_error(run, fit):
    result = run(
        "create_primitive(name='a', primitive_type='cube', scale=[0.01, 0.01, 0.01], apply=True)\n"
        f"array_1d(name='a', fit_type='FIT_LENGTH', {fit}, relative_offset=[1, 0, 0])"
    )
    assert result.status == "runtime_error", result.reason
    assert "copies" in result.error


@pytest.mark.blender
def test_fitted_array_within_the_bound_still_fits(run):
    # A 0.02-wide cube stepped by its own width fits floor(1 / 0.02) + 1 = 51 copies in a length of 1.
    result = run(
        "create_primitive(name='a', primitive_type='cube', scale=[0.01, 0.01, 0.01], apply=True)\n"
        "array_1d(name='a', fit_type='FIT_LENGTH', fit_length=1, relative_offset=[1, 0, 0])"
    )
    assert result.ok, result.reason
    mesh = result.parts["a"]
    assert len(mesh.vertices) == 51 * 8
    assert mesh.extents[0] == pytest.approx(51 * 0.02, abs=1e-5)
