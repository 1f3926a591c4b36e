"""The program grammar: built from the catalogue, it accepts every program the generators, the part
samplers and the examples write, and refuses clearly bad ones; the context rules; cutting generated text
back to its last valid part."""

from __future__ import annotations

import functools

import pytest
import xgrammar as xgr

from meshcoder.data.categories import generate_program, generators
from meshcoder.data.generators.parts import PART_TYPES
from meshcoder.examples import example_names, load_example
from meshcoder.shapes.catalogue import catalogue
from meshcoder.shapes.grammar import (
    NOT_IN_BODY,
    check_context,
    check_program,
    finish_program,
    library_constant,
    program_grammar,
    value_kind,
)
from meshcoder.shapes.program import HEADER, ProgramError, validate

GENERATORS = sorted(generators())
PROGRAM = HEADER + (
    "\n# object name: table\n"
    "# part_1: leg\n"
    "create_primitive(name='leg_1', primitive_type='cylinder', location=[0.2, -0.25, 0.2], scale=[0.03, 0.03, 0.25])\n"
    "\n"
    "# part_2: top\n"
    "create_primitive(name='top_2', primitive_type='cube', location=[0.0, 0.02, 0.0], scale=[0.3, 0.3, 0.02])\n"
    "bevel(name='top_2', width=0.1, segments=4)\n"
)


@functools.cache
def compiled() -> xgr.CompiledGrammar:
    compiler = xgr.GrammarCompiler(xgr.TokenizerInfo([]), cache_enabled=False)
    return compiler.compile_grammar(program_grammar())


def accepts(text: str) -> bool:
    """Whether the grammar accepts the whole of ``text`` as a program."""
    matcher = xgr.GrammarMatcher(compiled(), terminate_without_stop_token=True)
    return matcher.accept_string(text) and matcher.is_terminated()


def first_refused_line(text: str) -> str | None:
    matcher = xgr.GrammarMatcher(compiled(), terminate_without_stop_token=True)
    for line in text.splitlines(keepends=True):
        if not matcher.accept_string(line):
            return line
    return None if matcher.is_terminated() else "<end>"


def check_generators(seeds: range) -> None:
    for name in GENERATORS:
        for seed in seeds:
            source = generate_program(name, seed)
            assert accepts(source), f"{name} seed {seed}: refused at {first_refused_line(source)!r}"
            check_context(validate(source))


def test_every_generator_and_part_type_is_covered():
    assert len(GENERATORS) == 41 + len(PART_TYPES)


def test_grammar_accepts_generated_programs():
    check_generators(range(5))


@pytest.mark.slow
def test_grammar_accepts_200_seeds_of_every_generator():
    check_generators(range(200))


@pytest.mark.parametrize("name", example_names())
def test_grammar_accepts_every_shipped_example(name):
    source = load_example(name)
    assert accepts(source), f"refused at {first_refused_line(source)!r}"
    check_context(validate(source))


def test_grammar_names_every_body_function_with_only_its_own_keywords():
    grammar = program_grammar()
    for spec in catalogue().values():
        rule = next((line for line in grammar.splitlines() if line.startswith(f"opt_{spec.name} ::=")), "")
        assert (f'"{spec.name}("' in grammar) == (spec.name not in NOT_IN_BODY)
        for p in spec.parameters:
            assert p.required or f'"{p.name}="' in rule
    # bevel takes width and segments, not the radius of create_circle
    twice = PROGRAM.replace("segments=4", "segments=4, segments=5")
    assert accepts(twice)  # a repeated keyword is the validator's to refuse
    with pytest.raises(ProgramError, match="twice"):
        validate(twice)
    assert not accepts(PROGRAM.replace("segments=4", "radius=4"))


@pytest.mark.parametrize(
    "bad",
    [
        PROGRAM.replace("bevel(", "bevvel("),  # unknown function
        PROGRAM.replace("segments=4", "segmnets=4"),  # unknown keyword
        PROGRAM.replace("bevel(name='top_2', width=0.1, segments=4)", "x = 0.1"),  # assignment
        PROGRAM + "import os\n",  # an import in the body
        PROGRAM.replace("width=0.1", "width=01"),  # leading zero (Python refuses it)
        PROGRAM.replace("width=0.1", "width=0.1.2"),
        PROGRAM.replace("width=0.1", "width=.1"),
        PROGRAM.replace("width=0.1", "width=1."),
        PROGRAM.replace("width=0.1", "width=0.123456"),  # more decimals than any argument has
        PROGRAM.replace("width=0.1", "width=1234567"),  # beyond the validator's number bound
        PROGRAM.replace("width=0.1", "width=os.sep"),  # attribute access
        PROGRAM.replace("'cube'", "'sphere'"),  # not a primitive type
        PROGRAM.replace("name='top_2', width", "'top_2', width"),  # positional argument
        PROGRAM.replace("name='top_2', width", "width=0.3, name='top_2', width"),  # required not first
        PROGRAM.replace("'top_2', width", "'__class__', width"),  # dunder string
        PROGRAM.replace("# object name: table\n", ""),  # no object name
        PROGRAM.replace("import bpy\n", ""),  # header changed
        PROGRAM[:-1],  # last line unfinished
        HEADER + "\n# object name: table\n",  # no part
    ],
)
def test_grammar_refuses_bad_programs(bad):
    assert not accepts(bad)


def test_grammar_takes_the_arithmetic_the_validator_evaluates():
    for value in ("pi", "-pi / 2", "radians(90)", "0.5*pi", "2 * (0.1 + 0.2)", "-0.25", "1e-05"):
        source = PROGRAM.replace("width=0.1", f"width={value}")
        assert accepts(source), value
        validate(source)


def test_value_kinds_come_from_defaults_and_library_constants():
    assert value_kind("create_primitive", "primitive_type") == "enum"
    assert "grid" in library_constant("primitives", "PRIMITIVE_TYPES")
    assert value_kind("create_primitive", "apply") == "bools"
    assert value_kind("create_primitive", "location") == "numbers"  # default None; other functions' [0, 0, 0]
    assert value_kind("bevel", "segments") == "numbers"
    assert value_kind("boolean_operation", "name2") == "names"
    assert value_kind("array_2d", "fit_type_2") == "enum"
    assert value_kind("create_spiral", "handle_type") == "strings"
    assert value_kind("create_curve", "handle_type") == "numbers"
    assert set(library_constant("booleans", "SOLVERS")) >= {"EXACT", "FAST"}


# ------------------------------------------------------------------------------------ context rules


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("bevel(name='top_2'", "bevel(name='top_3'"), "names no object"),
        (("create_primitive(name='top_2'", "create_primitive(name='top_x'"), "names no object"),
        (
            (
                "bevel(name='top_2', width=0.1, segments=4)",
                "create_curve(name='c_2', control_points=[[0.0, 0.0, 0.0], [0.1, 0.0, 0.0]], handle_type=[1, 1, 1])",
            ),
            "handle_type codes",
        ),
        (
            (
                "bevel(name='top_2', width=0.1, segments=4)",
                "create_curve(name='c_2', control_points=[[0.0, 0.0, 0.0], [0.1, 0.0]])",
            ),
            "[x, y, z]",
        ),
        (
            (
                "bevel(name='top_2', width=0.1, segments=4)",
                "create_arc_by_3Dpoints(name='a_2', control_points=[[0.0, 0.0, 0.0], [0.1, 0.0, 0.0]])",
            ),
            "exactly 3",
        ),
        (
            (
                "bevel(name='top_2', width=0.1, segments=4)",
                "bridge_edge_loops(name='b_2', profile_name=['top_2'])",
            ),
            "two or more",
        ),
        (
            ("bevel(name='top_2', width=0.1, segments=4)", "join_obj(name='top_2', seq_name=['top_2', 'x'])"),
            "names no object",
        ),
    ],
)
def test_context_rules_refuse_what_the_grammar_cannot_see(change, message):
    source = PROGRAM.replace(*change)
    assert accepts(source) and validate(source)
    with pytest.raises(ProgramError, match=message) as err:
        check_program(source)
    assert err.value.line == 13  # the offending call (bevel, or what replaced it)


def test_curve_handles_count_free_handles_as_points():
    points = "[[0.0, 0.0, 0.0], [0.05, 0.1, 0.0], [0.1, 0.0, 0.0]]"
    for codes, ok in (("[1, 3, 1, 1]", True), ("[1, 1, 1, 1, 1, 1]", True), ("[1, 1, 1, 1]", False)):
        source = PROGRAM + f"create_curve(name='c_2', control_points={points}, handle_type={codes})\n"
        if ok:
            check_program(source)
        else:
            with pytest.raises(ProgramError, match="Bezier points"):
                check_program(source)


# ------------------------------------------------------------------------------------ finish_program


def test_finish_program_keeps_a_valid_program_whole():
    assert finish_program(PROGRAM) == (PROGRAM, finish_program(PROGRAM)[1])
    assert finish_program(PROGRAM)[1].reason is None


def test_finish_program_cuts_unfinished_lines_and_parts():
    first_part = PROGRAM[: PROGRAM.index("# part_2")]
    text, cut = finish_program(PROGRAM + "# part_3: dra")
    assert text == PROGRAM and cut.text == "# part_3: dra" and "unfinished" in cut.reason
    text, cut = finish_program(PROGRAM + "# part_3: drawer\n")
    assert text == PROGRAM and cut.parts == 1  # a part without calls
    # stopped at the token limit: the last part may lack calls, so it goes
    text, cut = finish_program(PROGRAM, finished=False)
    assert text == first_part and cut.parts == 1 and "token limit" in cut.reason
    check_program(text)


def test_finish_program_drops_the_first_broken_part_and_all_after_it():
    broken = PROGRAM.replace("bevel(name='top_2'", "bevel(name='top_9'") + (
        "# part_3: drawer\ncreate_primitive(name='drawer_3', location=[0.0, 0.0, 0.0])\n"
    )
    text, cut = finish_program(broken)
    assert text == PROGRAM[: PROGRAM.index("# part_2")]
    assert cut.parts == 2 and "top_9" in cut.reason
    check_program(text)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "print('hi')\n",
        HEADER + "x = 1\n",
        "import os\n" + PROGRAM,
        PROGRAM.replace("import bpy", "imp0rt bpy"),
    ],
)
def test_finish_program_always_returns_a_valid_program(garbage):
    text, cut = finish_program(garbage)
    check_program(text)
    assert cut.reason is not None or text == garbage
