"""The shape language as a grammar, built from the catalogue, and the rules a grammar cannot hold.

:func:`program_grammar` writes the language of generated programs as EBNF (the GBNF dialect that
xgrammar and llama.cpp read): the fixed header, ``# object name:``, parts opened by ``# part_<i>:``, and
one catalogue call per line in keyword form, each function with only its own keywords and each keyword
with a value of its kind. It is stricter than :func:`meshcoder.shapes.program.validate` where the data is
uniform (keyword form, ``", "`` separators, required arguments first, the spec's number format) so that
a decoder held to it writes programs like the training data; every program the generators and the
examples write is in it (``tests/test_grammar.py``).

A context-free grammar cannot see that a name refers to an object made earlier, or that a curve has as
many handle codes as points. :func:`check_context` checks those on a validated program; decoding runs
it at part boundaries (:mod:`meshcoder.models.constraints`), and :func:`finish_program` cuts a generated
text back to its last complete part that passes both, so what a model writes always validates.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from meshcoder.shapes.catalogue import (
    LIBRARY_DIR,
    PROGRAM_CONSTANTS,
    PROGRAM_HELPERS,
    FunctionSpec,
    catalogue,
)
from meshcoder.shapes.program import ARGUMENT_DECIMALS, HEADER, Call, Program, ProgramError, validate

#: Catalogue functions a program body never calls: the header clears the scene once.
NOT_IN_BODY = ("delete_all",)

#: Parameters whose value is one of a library constant's values: parameter -> (module, constant).
#: ``(function, parameter)`` keys override a parameter's meaning in one function.
ENUMERATIONS: dict[str | tuple[str, str], tuple[str, str]] = {
    "primitive_type": ("primitives", "PRIMITIVE_TYPES"),
    "rotation_mode": ("primitives", "ROTATION_MODES"),
    "center": ("sections", "CENTERS"),
    "fill_caps": ("sweeps", "FILL_CAPS"),
    "interpolation": ("bridge", "INTERPOLATIONS"),
    "profile_shape": ("bridge", "PROFILE_SHAPES"),
    "operation": ("booleans", "OPERATIONS"),
    "solver_mode": ("booleans", "SOLVERS"),
    "fit_type": ("arrays", "FIT_TYPES"),
    "boundary_mode": ("modifiers", "BOUNDARY_MODES"),
    ("add_simple_deform_modifier", "mode"): ("deformers", "DEFORM_MODES"),
    ("add_curve_modifier_to_object", "axis"): ("deformers", "CURVE_AXES"),
}

#: Functions whose ``name`` is the object they make (the others act on an existing ``name``).
MAKERS_PREFIX = "create_"
MAKERS = ("bezier_rotation", "star_curve_rotation", "bridge_edge_loops", "join_obj")

#: Parameters naming objects that must already exist (``_1``/``_2``/``_3`` suffixes included).
REFERENCES = (
    "name1",
    "name2",
    "profile_name",
    "curve_name",
    "seq_name",
    "fit_curve",
    "start_cap",
    "end_cap",
    "offset_object",
)

#: Characters a string or a comment never holds: line breaks and other control characters (Python
#: refuses a null byte anywhere in a program).
_CONTROL = "\\x00-\\x1f\\x7f"

_SUFFIX = re.compile(r"_[123]$")


def _base_name(parameter: str) -> str:
    """``count_2`` -> ``count``: the per-axis arguments of ``array_2d``/``array_3d`` mean what the
    unsuffixed one means."""
    return _SUFFIX.sub("", parameter)


def is_reference(parameter: str) -> bool:
    """Whether ``parameter`` names objects that must exist before the call."""
    return _base_name(parameter) in REFERENCES


def makes_object(function: str) -> bool:
    """Whether ``function``'s ``name`` argument is an object it creates (rather than one it changes)."""
    return function.startswith(MAKERS_PREFIX) or function in MAKERS


# ------------------------------------------------------------------------------------------ grammar


@functools.cache
def library_constant(module: str, constant: str) -> tuple[str, ...]:
    """The values of a module-level tuple (or a dict's keys) in ``bpy_lib/<module>.py``, read without
    importing Blender."""
    tree = ast.parse((LIBRARY_DIR / f"{module}.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == constant for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            return tuple(value.keys() if isinstance(value, dict) else value)
    raise RuntimeError(f"bpy_lib/{module}.py has no constant {constant}; update ENUMERATIONS in {__name__}")


def _enumeration(function: str, parameter: str) -> tuple[str, str] | None:
    """The ``(module, constant)`` holding the values of ``function(parameter=...)``, if it has one."""
    return ENUMERATIONS.get((function, parameter)) or ENUMERATIONS.get(_base_name(parameter))


@functools.cache
def _defaults_by_parameter() -> dict[str, object]:
    """For each parameter name, a non-None default some catalogue function gives it: a parameter means
    the same across functions (``location``, ``thickness``), so one function's default tells another's
    value kind where that one has none."""
    out: dict[str, object] = {}
    for spec in catalogue().values():
        for p in spec.parameters:
            if not p.required and p.default is not None:
                out.setdefault(_base_name(p.name), p.default)
    return out


def value_kind(function: str, parameter: str) -> str:
    """The kind of value ``function(parameter=...)`` takes in the grammar: ``names`` (object names),
    ``enum`` (a library constant's values), ``bools``, ``strings``, ``numbers`` (numbers, arithmetic,
    nested lists of them) or ``any``. Each kind admits nested lists of its values (several objects in
    one call); optional arguments also take ``None`` (enumerations only where their default is None)."""
    if parameter == "name" or is_reference(parameter) or parameter == "sub_name":
        return "names"
    if _enumeration(function, parameter):
        return "enum"
    spec = catalogue()[function]
    own = next(p for p in spec.parameters if p.name == parameter)
    default = own.default if own.default is not None else _defaults_by_parameter().get(_base_name(parameter))
    if isinstance(default, bool):
        return "bools"
    if isinstance(default, str):
        return "strings"
    if isinstance(default, int | float | list | tuple):
        return "numbers"
    return "any"


def _quote(text: str) -> str:
    """An EBNF string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _rule_name(*parts: str) -> str:
    return "_".join(re.sub(r"[^A-Za-z0-9]", "_", p) for p in parts)


def _value_rule(function: str, parameter: str, rules: dict[str, str]) -> str:
    """The rule name for the value of ``function(parameter=...)``, adding enumeration rules to ``rules``."""
    kind = value_kind(function, parameter)
    spec = catalogue()[function]
    own = next(p for p in spec.parameters if p.name == parameter)
    # Generators write None for "the default" in optional arguments; an enumeration takes None only where
    # the library's default is None.
    nullable = not own.required and (kind != "enum" or own.default is None)
    key = _enumeration(function, parameter)
    if key:
        name = _rule_name("enum", *key)
        if name not in rules:
            rules[name] = " | ".join(_quote(repr(v)) for v in library_constant(*key))
            rules[name + "_list"] = f'{name} | "[" ({name}_list (", " {name}_list)*)? "]"'
        kind = name + "_list"
    if nullable and kind != "any":
        return f'({kind} | "None")'
    return kind


def _call_rule(spec: FunctionSpec, rules: dict[str, str]) -> str:
    """``f(required=..., ..., optional=...)``: required arguments first in the catalogue's order (as the
    generators write them), then any of the optional ones."""

    def keyword(p) -> str:
        return f"{_quote(p.name + '=')} {_value_rule(spec.name, p.name, rules)}"

    required = [keyword(p) for p in spec.parameters if p.required]
    optional = [keyword(p) for p in spec.parameters if not p.required]
    name = _rule_name("call", spec.name)
    opt = _rule_name("opt", spec.name)
    if optional:
        rules[opt] = " | ".join(optional)
    if required:
        body = ' ", " '.join(required) + (f' (", " {opt})*' if optional else "")
    else:
        body = f'({opt} (", " {opt})*)?' if optional else ""
    rules[name] = f"{_quote(spec.name + '(')} {body} {_quote(')')}".replace("  ", " ")
    return name


def _string_rule(quote: str) -> str:
    """A string literal in ``quote`` quotes: none of its characters the quote, a backslash or a control
    character, and not starting with two underscores. Its length is the validator's to bound: a bounded
    repetition here makes xgrammar's compilation for a 128k vocabulary 40 times slower."""
    char = f"[^{quote}\\\\{_CONTROL}]"
    first = f"[^{quote}\\\\{_CONTROL}_]"
    q = _quote(quote)
    return f'{q} ({first} {char}* | "_" ({first} {char}*)?)? {q}'


@functools.cache
def program_grammar() -> str:
    """The grammar of generated programs as an EBNF string (root rule ``root``) for xgrammar."""
    decimals = max(ARGUMENT_DECIMALS.values(), default=2)
    rules: dict[str, str] = {}
    calls = [_call_rule(spec, rules) for spec in catalogue().values() if spec.name not in NOT_IN_BODY]
    constants = " | ".join(_quote(c) for c in PROGRAM_CONSTANTS)
    helpers = " | ".join(_quote(h + "(") for h in PROGRAM_HELPERS)
    lines = [
        f"root ::= {_quote(HEADER + chr(10))} object_line part+",
        'object_line ::= "# object name: " text "\\n"',
        'part ::= "# part_" index ": " text "\\n" call_line+ "\\n"?',
        "index ::= [1-9] [0-9]{0,3}",
        f"text ::= [^{_CONTROL}]+",
        f'call_line ::= ({" | ".join(calls)}) "\\n"',
        # Numbers as the spec writes them (no leading zeros: Python refuses them in integers; at most six
        # integer digits: the validator's bound is 1e6), and the arithmetic the validator evaluates.
        f'number ::= ("0" | [1-9] [0-9]{{0,5}}) ("." [0-9]{{1,{decimals}}})? ("e-" [0-9]{{2}})?',
        f'atom ::= number | {constants} | ({helpers}) arith ")" | "(" arith ")"',
        'term ::= "-"? atom',
        'arith ::= term (" "? [-+*/] " "? term)*',
        'numbers ::= arith | "[" (numbers (", " numbers)*)? "]"',
        # Strings are single-quoted (repr's choice) or, holding a single quote, double-quoted; never a
        # backslash, a newline, or a leading "__" (the validator refuses dunder strings).
        f"string ::= {_string_rule(chr(39))} | {_string_rule(chr(34))}",
        'names ::= string | "[" (names (", " names)*)? "]"',
        "strings ::= names",
        'bools ::= ("True" | "False") | "[" (bools (", " bools)*)? "]"',
        'any ::= arith | string | "True" | "False" | "None" | "[" (any (", " any)*)? "]"',
    ]
    lines += [f"{name} ::= {body}" for name, body in rules.items()]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ context rules


def _names(value) -> Iterator[str]:
    """Object names in a (possibly nested) argument value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _names(v)


def _is_nested(value) -> bool:
    # The library's test for the several-objects form (a list whose first item is a list).
    return isinstance(value, list) and bool(value) and isinstance(value[0], list)


def _curves(call: Call) -> Iterator[tuple[object, object, object, object]]:
    """``(name, control_points, handle_type, points_radius)`` for each curve a ``create_curve`` makes."""
    a = call.arguments
    name = a.get("name")
    points, codes, radii = (
        a.get("control_points") or [],
        a.get("handle_type") or [],
        a.get("points_radius") or [],
    )
    if not isinstance(name, list):
        yield name, points, codes, radii
        return
    if not (_is_nested(points) and _is_nested(points[0])) or len(points) != len(name):
        raise ProgramError(f"create_curve: {len(name)} names need {len(name)} control point lists", call.line)
    for i, n in enumerate(name):
        yield (
            n,
            points[i],
            codes[i] if _is_nested(codes) and i < len(codes) else codes,
            radii[i] if _is_nested(radii) and i < len(radii) else radii,
        )


def _check_points(call: Call, points, what: str) -> None:
    if not isinstance(points, list) or not all(
        isinstance(p, list) and len(p) == 3 and all(isinstance(v, int | float) for v in p) for p in points
    ):
        raise ProgramError(f"{call.function}(): {what} must be a list of [x, y, z] points", call.line)


def _check_curve(call: Call) -> None:
    """The library's rule (spec 3b item 1): two handle codes (0..3) per Bezier point, a FREE code (3)
    taking its own control point, one radius per Bezier point. Codes past twice the point count are
    ignored, though each 3 among them still takes a control point; too few codes is an error."""
    for name, points, codes, radii in _curves(call):
        _check_points(call, points, "control_points")
        if not isinstance(codes, list) or any(isinstance(c, bool) or c not in (0, 1, 2, 3) for c in codes):
            raise ProgramError(f"create_curve {name!r}: handle_type codes must be 0, 1, 2 or 3", call.line)
        count = len(points) - codes.count(3)
        if count < 1 or (codes and len(codes) < 2 * count):
            raise ProgramError(
                f"create_curve {name!r}: {len(points)} control points with {codes.count(3)} FREE handles "
                f"make {count} Bezier points, which need {2 * count} handle_type codes, got {len(codes)}",
                call.line,
            )
        if radii and (not isinstance(radii, list) or len(radii) != count):
            raise ProgramError(
                f"create_curve {name!r}: {count} Bezier points need {count} points_radius values", call.line
            )


def check_context(program: Program) -> None:
    """Check the rules a grammar cannot hold, in program order; raise :class:`ProgramError` naming the
    line of the first call that breaks one.

    * Every object a call refers to (``name`` of a call that changes an object, ``profile_name``,
      ``name1``/``name2``, ``seq_name``, ``curve_name``, array caps and curves) was created by an earlier
      call. Objects are not forgotten when a call consumes them, so this is a light check.
    * List counts the library insists on: a curve's handle codes and radii against its points, three
      points for ``create_arc_by_3Dpoints``, two or more sections for ``bridge_edge_loops``, at least
      one object for ``join_obj``.
    """
    known: set[str] = set()
    for call in program.calls:
        f, a = call.function, call.arguments
        for parameter, value in a.items():
            if (parameter == "name" and not makes_object(f)) or is_reference(parameter):
                for name in _names(value):
                    if name not in known:
                        raise ProgramError(
                            f"{f}(): {parameter}={name!r} names no object made before this line", call.line
                        )
        if f == "create_curve":
            _check_curve(call)
        elif f == "create_arc_by_3Dpoints":
            _check_points(call, a.get("control_points"), "control_points")
            if len(a.get("control_points") or []) != 3:
                raise ProgramError("create_arc_by_3Dpoints() needs exactly 3 control points", call.line)
        elif f == "bridge_edge_loops":
            sections = a.get("profile_name")
            groups = sections if _is_nested(sections) else [sections]
            if any(not isinstance(g, list) or len(g) < 2 for g in groups):
                raise ProgramError("bridge_edge_loops(): profile_name needs two or more sections", call.line)
        elif f == "join_obj" and not list(_names(a.get("seq_name"))):
            raise ProgramError("join_obj(): seq_name lists no object", call.line)
        if makes_object(f):
            known.update(_names(a.get("name")))


# ------------------------------------------------------------------------------------ repair


_PART_LINE = re.compile(r"^#\s*part_\d+:")


@dataclass(frozen=True)
class Cut:
    """What :func:`finish_program` removed: ``parts`` dropped from the end (a part cut short counts),
    the removed ``text``, and why (None when nothing was removed)."""

    parts: int = 0
    text: str = ""
    reason: str | None = None


def check_program(source: str) -> Program:
    """:func:`meshcoder.shapes.program.validate` and then :func:`check_context`: the program, or the
    :class:`ProgramError` of the first rule it breaks."""
    program = validate(source)
    check_context(program)
    return program


def finish_program(text: str, finished: bool = True) -> tuple[str, Cut]:
    """Cut generated ``text`` back to its last complete, valid part, so that it validates.

    Removed, from the end: an unfinished last line; the last part when generation stopped at the token
    limit (``finished=False``: the part may lack its last calls); then, while the program breaks a rule
    (:func:`check_program`), the part holding the offending line and everything after it; finally parts
    left without calls. Text that keeps nothing valid (e.g. a broken header) becomes the bare header.

    Returns:
        the repaired text and a :class:`Cut` saying what was removed and why.
    """
    lines = text.splitlines(keepends=True)
    reasons: list[str] = []
    if lines and not lines[-1].endswith("\n"):
        lines.pop()
        reasons.append("an unfinished last line")
    starts = [i for i, line in enumerate(lines) if _PART_LINE.match(line)]
    if not finished and starts:
        del lines[starts.pop() :]
        reasons.append("generation stopped at the token limit inside the last part")
    while True:
        source = "".join(lines)
        try:
            check_program(source)
            break
        except ProgramError as err:
            # The part holding the offending line goes, with everything after it; an error before the
            # first part (or without a line) leaves nothing to keep but the header.
            line = (err.line or 1) - 1
            owner = [s for s in starts if s <= min(line, len(lines) - 1)]
            reasons.append(str(err))
            if not owner:
                lines, starts = HEADER.splitlines(keepends=True), []
                break
            del lines[owner[-1] :]
            starts = owner[:-1]
    while starts and all(not line.strip() for line in lines[starts[-1] + 1 :]):
        del lines[starts.pop() :]  # a part comment with no call after it
    kept = "".join(lines)
    removed = text[len(kept) :] if text.startswith(kept) else text
    parts = len([ln for ln in removed.splitlines() if _PART_LINE.match(ln)])
    if not removed:
        return kept, Cut()
    return kept, Cut(parts=parts, text=removed, reason="; ".join(reasons) or "a part without calls")
