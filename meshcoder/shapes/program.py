"""Shape programs as data: parsing, validation against the grammar, resource bounds, part structure.

A program is untrusted text (the model writes it), so :func:`validate` proves it keeps to the grammar of
the shape-language spec before anything runs it: the fixed header, comments, and calls of catalogue
functions whose arguments are literals or arithmetic on literals. The result is a :class:`Program` that
knows its object name and its parts and can be written back as text.
"""

from __future__ import annotations

import ast
import copy
import difflib
import math
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from meshcoder.shapes.calls import (  # noqa: F401  (part of this module's interface)
    ARGUMENT_DECIMALS,
    Call,
    Part,
    format_call,
    format_number,
    format_value,
)
from meshcoder.shapes.catalogue import FunctionSpec, catalogue

HEADER = "import bpy\nfrom math import radians, pi\nfrom bpy_lib import *\n\ndelete_all()\n"

# Import lines a program may carry (the header); the library also answers to its package name.
_ALLOWED_IMPORTS = {
    "bpy": None,
    "math": {"radians", "pi"},
    "bpy_lib": {"*"},
    "meshcoder.shapes.bpy_lib": {"*"},
}
# Line breaks Python's tokenizer does not see but ``str.splitlines`` does: a comment holding one would
# read as code to anything that splits lines the other way, so programs may not hold them at all.
_FOREIGN_LINE_BREAKS = {
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\x1c": "file separator",
    "\x1d": "group separator",
    "\x1e": "record separator",
    "\x85": "next line",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
}
_FOREIGN_LINE_BREAK = re.compile("[" + "".join(_FOREIGN_LINE_BREAKS) + "]")
# Control characters a program never holds (tab, line feed and carriage return are Python's own).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
# Object names are Blender names: at most this many UTF-8 bytes (Blender cuts longer ones, which
# would make two different names in the text one object in the scene).
MAX_NAME_BYTES = 63
# Parameters whose strings are object names (created or referred to).
_NAME_PARAMETERS = re.compile(
    r"^(name|name1|name2|sub_name|profile_name|curve_name|seq_name|fit_curve|start_cap|end_cap|offset_object)"
    r"(_[123])?$"
)
_OBJECT_NAME = re.compile(r"^#\s*object name:\s*(?P<name>.*?)\s*$")
_PART = re.compile(r"^#\s*part_(?P<index>\d+):\s*(?P<label>.*?)\s*$")

_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARYOPS = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_NAMES = {"pi": math.pi}
_FUNCS = {"radians": math.radians}

_STATEMENT_NAMES = {
    ast.Assign: "assignments",
    ast.AugAssign: "assignments",
    ast.AnnAssign: "assignments",
    ast.For: "loops",
    ast.AsyncFor: "loops",
    ast.While: "loops",
    ast.If: "conditionals",
    ast.FunctionDef: "function definitions",
    ast.AsyncFunctionDef: "function definitions",
    ast.ClassDef: "class definitions",
    ast.With: "with blocks",
    ast.Try: "try blocks",
    ast.Delete: "del statements",
    ast.Global: "global statements",
    ast.Return: "return statements",
    ast.Raise: "raise statements",
}


class ProgramError(ValueError):
    """A program that may not run: ``line`` (1-based, or None) and ``reason`` say where and why."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


@dataclass(frozen=True)
class Limits:
    """Resource bounds checked before a program runs; each refusal names the bound."""

    max_source_chars: int = 200_000
    max_calls: int = 2_000
    max_string_chars: int = 256
    max_list_items: int = 4_096
    max_abs_number: float = 1e6
    max_array_count: int = 512
    max_array_total: int = 4_096
    max_resolution: int = 512
    max_curve_resolution: int = 128
    max_bevel_segments: int = 64
    max_subsurf_levels: int = 4
    max_cuts: int = 256
    max_turns: float = 200
    max_wave_segments: int = 10_000
    max_vertices: int = 2_000_000
    # Points of a profile turned by a lathe or of an outline filled by Grid Fill (their cost grows
    # with the square of it).
    max_profile_points: int = 1_024
    # How deeply an argument expression may nest (lists in lists, operators on operators) and how
    # many values (numbers, strings, lists) one argument and the whole program may hold: checked
    # before a value is built, so that text of a few characters cannot cost gigabytes.
    max_expression_depth: int = 32
    max_argument_values: int = 65_536
    max_program_values: int = 1_000_000


DEFAULT_LIMITS = Limits()


@dataclass
class Program:
    """A validated program: object name, parts, and every call in order."""

    source: str
    object_name: str | None
    parts: list[Part]
    calls: list[Call]
    estimated_vertices: int = 0

    @classmethod
    def from_text(cls, source: str, limits: Limits | None = None) -> Program:
        """The validated program of ``source`` (:func:`parse`; raises :class:`ProgramError`)."""
        return parse(source, DEFAULT_LIMITS if limits is None else limits)

    def part(self, index: int) -> Part:
        for p in self.parts:
            if p.index == index:
                return p
        raise KeyError(f"program has no part {index} (parts: {[p.index for p in self.parts]})")

    # Structured editing; meshcoder.shapes.editing has the details. ``part`` is an index (# part_<i>)
    # or a Part of this program. Edits never change this program: each returns a new, validated one.

    def labels(self) -> list[str]:
        """The distinct part labels, in order of first appearance."""
        from meshcoder.shapes import editing

        return editing.labels(self)

    def parts_labelled(self, label: str | re.Pattern) -> list[Part]:
        """The parts labelled exactly ``label``, or whose label fully matches a compiled regex."""
        from meshcoder.shapes import editing

        return editing.parts_labelled(self, label)

    def get(self, part: int | Part, keyword: str, call: int | str | Call | None = None) -> object:
        """A keyword's value in a call of ``part`` (see :func:`meshcoder.shapes.editing.get`)."""
        from meshcoder.shapes import editing

        return editing.get(self, part, keyword, call)

    def set(
        self, part: int | Part, keyword: str, value: object, call: int | str | Call | None = None
    ) -> Program:
        """A new program with a keyword of a call of ``part`` set to ``value``."""
        from meshcoder.shapes import editing

        return editing.set_value(self, part, keyword, value, call)

    def translate(self, parts: int | Part | Iterable[int | Part], offset: Sequence[float]) -> Program:
        """A new program with ``parts`` (one or several) moved by ``offset``."""
        from meshcoder.shapes import editing

        return editing.translate(self, parts, offset)

    def scale(
        self,
        parts: int | Part | Iterable[int | Part],
        factor: float | Sequence[float],
        about: Sequence[float] | None = None,
        lengths: float | None = None,
    ) -> Program:
        """A new program with ``parts`` scaled by ``factor`` (number or per axis) about ``about``."""
        from meshcoder.shapes import editing

        return editing.scale(self, parts, factor, about, lengths)

    def duplicate(
        self, part: int | Part, offset: Sequence[float] | None = None, label: str | None = None
    ) -> Program:
        """A new program with a copy of ``part`` appended as the next part."""
        from meshcoder.shapes import editing

        return editing.duplicate(self, part, offset, label)

    def delete(self, parts: int | Part | Iterable[int | Part]) -> Program:
        """A new program without ``parts``, the later parts renumbered and their objects renamed."""
        from meshcoder.shapes import editing

        return editing.delete(self, parts)

    def rename(self, part: int | Part, label: str) -> Program:
        """A new program where ``part`` and its object carry ``label``."""
        from meshcoder.shapes import editing

        return editing.rename(self, part, label)

    def to_text(self) -> str:
        """The program as text: header, object name, then each part with its calls."""
        out = [HEADER]
        if self.object_name is not None:
            out.append(f"# object name: {self.object_name}")
        loose = [
            c for c in self.calls if c.function != "delete_all" and not any(c in p.calls for p in self.parts)
        ]
        out.extend(c.text for c in loose)
        out.extend(p.to_text() + "\n" for p in self.parts)
        return "\n".join(out).rstrip() + "\n"

    def structure_problems(self) -> list[str]:
        """Departures from the spec's part conventions (numbering 1..n in order, final object names).

        Generated data must have none; model output may, and still runs.
        """
        problems = []
        if self.object_name is None:
            problems.append("no '# object name:' comment")
        for expected, part in enumerate(self.parts, start=1):
            if part.index != expected:
                problems.append(f"line {part.line}: part_{part.index} where part_{expected} was expected")
            if not part.label:
                problems.append(f"line {part.line}: part_{part.index} has no label")
            if not part.calls:
                problems.append(f"line {part.line}: part_{part.index} has no calls")
            elif not any(_names(c.target) & {part.object_name} for c in part.calls):
                problems.append(f"line {part.line}: no call creates the part's object {part.object_name!r}")
        return problems


def _names(target) -> set[str]:
    if isinstance(target, str):
        return {target}
    if isinstance(target, list):
        return {t for t in target if isinstance(t, str)}
    return set()


# ------------------------------------------------------------------------------------- formatting

# ------------------------------------------------------------------------------------- validation


class _Budget:
    """The values evaluation may still build: per argument and for the whole program.

    Every list, number and string an argument holds costs one; a repetition is charged for all the
    copies it would make before it makes them.
    """

    def __init__(self, limits: Limits):
        self.limits = limits
        self.program_used = 0
        self.argument_used = 0

    def start_argument(self) -> None:
        self.argument_used = 0

    def charge(self, n: int, node: ast.AST) -> None:
        self.argument_used += n
        self.program_used += n
        if self.argument_used > self.limits.max_argument_values:
            raise ProgramError(
                f"argument holds more than {self.limits.max_argument_values:,} values", node.lineno
            )
        if self.program_used > self.limits.max_program_values:
            raise ProgramError(
                f"arguments hold more than {self.limits.max_program_values:,} values in all", node.lineno
            )


def _size(value: object) -> int:
    """Values in a (nested) argument value: one per number, string and list."""
    if isinstance(value, list):
        return 1 + sum(_size(v) for v in value)
    return 1


def _check_depth(node: ast.AST, limits: Limits) -> None:
    """Refuse an expression nested more than ``limits.max_expression_depth`` deep, without recursion
    (so a deep one cannot exhaust the stack of the code that checks it)."""
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > limits.max_expression_depth:
            raise ProgramError(
                f"expression nests more than {limits.max_expression_depth} levels deep",
                getattr(current, "lineno", None) or getattr(node, "lineno", None),
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(current))


def _check_string(value: str, node: ast.AST, limits: Limits) -> None:
    if len(value) > limits.max_string_chars:
        raise ProgramError(f"string longer than {limits.max_string_chars} characters", node.lineno)
    if value.startswith("__"):
        raise ProgramError(f"string {value[:40]!r} is not allowed (dunder)", node.lineno)
    if not value.isprintable():
        bad = next(c for c in value if not c.isprintable())
        raise ProgramError(
            f"string {value[:40]!r} holds the unprintable character U+{ord(bad):04X}", node.lineno
        )


def _evaluate(node: ast.expr, limits: Limits, budget: _Budget | None = None) -> object:
    """Evaluate a literal argument expression, refusing anything outside the grammar.

    ``node`` must have passed :func:`_check_depth`; ``budget`` bounds the values built (a fresh one
    when not given).
    """
    return _evaluate_node(node, limits, budget if budget is not None else _Budget(limits))


def _evaluate_node(node: ast.expr, limits: Limits, budget: _Budget) -> object:
    if isinstance(node, ast.Constant):
        budget.charge(1, node)
        v = node.value
        if isinstance(v, bool) or v is None:
            return v
        if isinstance(v, int | float):
            if not math.isfinite(v) or abs(v) > limits.max_abs_number:
                raise ProgramError(
                    f"number {v!r} is out of range (|x| <= {limits.max_abs_number:g})", node.lineno
                )
            return v
        if isinstance(v, str):
            _check_string(v, node, limits)
            return v
        raise ProgramError(f"{type(v).__name__} literals are not allowed", node.lineno)
    if isinstance(node, ast.List | ast.Tuple):
        if len(node.elts) > limits.max_list_items:
            raise ProgramError(f"list longer than {limits.max_list_items} items", node.lineno)
        budget.charge(1, node)
        return [_evaluate_node(e, limits, budget) for e in node.elts]
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARYOPS:
        return _number(_UNARYOPS[type(node.op)](_numeric(node.operand, limits, budget)), node, limits)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Add):
        # Published programs repeat and join lists (``handle_type=[1] * 8``); keep that, bounded.
        left, right = _evaluate_node(node.left, limits, budget), _evaluate_node(node.right, limits, budget)
        if isinstance(left, list) or isinstance(right, list):
            return _list_arithmetic(node, left, right, limits, budget)
        return _arithmetic(node, left, right, limits)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = _numeric(node.left, limits, budget), _numeric(node.right, limits, budget)
        return _arithmetic(node, left, right, limits)
    if isinstance(node, ast.Name):
        if node.id in _NAMES:
            return _NAMES[node.id]
        raise ProgramError(
            f"name {node.id!r} is not allowed in arguments (only literals, pi, radians())", node.lineno
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS:
        if len(node.args) != 1 or node.keywords:
            raise ProgramError(f"{node.func.id}() takes exactly one argument", node.lineno)
        return _number(_FUNCS[node.func.id](_numeric(node.args[0], limits, budget)), node, limits)
    raise ProgramError(f"{_describe(node)} is not allowed in arguments", node.lineno)


def _arithmetic(node: ast.BinOp, left, right, limits: Limits):
    for value in (left, right):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProgramError("arithmetic is only allowed on numbers", node.lineno)
    if isinstance(node.op, ast.Pow) and abs(right) > 64:
        raise ProgramError("exponent larger than 64", node.lineno)
    try:
        return _number(_BINOPS[type(node.op)](left, right), node, limits)
    except (ZeroDivisionError, OverflowError) as err:
        raise ProgramError(f"arithmetic error: {err}", node.lineno) from None


def _list_arithmetic(node: ast.BinOp, left, right, limits: Limits, budget: _Budget) -> list:
    if isinstance(node.op, ast.Add):
        if not (isinstance(left, list) and isinstance(right, list)):
            raise ProgramError("a list can only be added to a list", node.lineno)
        if len(left) + len(right) > limits.max_list_items:
            raise ProgramError(f"list longer than {limits.max_list_items} items", node.lineno)
        budget.charge(1, node)
        return left + right
    items, times = (left, right) if isinstance(left, list) else (right, left)
    if isinstance(times, bool) or not isinstance(times, int) or isinstance(items, str):
        raise ProgramError("a list can only be repeated a whole number of times", node.lineno)
    if times < 0 or len(items) * times > limits.max_list_items:
        raise ProgramError(f"list repetition longer than {limits.max_list_items} items", node.lineno)
    # The copies are charged before they are made: ``[[[0] * 4096] * 4096] * 4096`` is refused in
    # microseconds instead of building billions of values.
    budget.charge(1 + (_size(items) - 1) * max(0, times - 1), node)
    return [copy.deepcopy(v) for _ in range(times) for v in items]


def _numeric(node: ast.expr, limits: Limits, budget: _Budget) -> float:
    value = _evaluate_node(node, limits, budget)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProgramError("arithmetic is only allowed on numbers", node.lineno)
    return value


def _number(value, node: ast.expr, limits: Limits):
    if isinstance(value, complex) or not math.isfinite(value) or abs(value) > limits.max_abs_number:
        raise ProgramError("arithmetic result is out of range", node.lineno)
    return value


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access",
        ast.Subscript: "subscripting",
        ast.Lambda: "lambda",
        ast.ListComp: "a comprehension",
        ast.DictComp: "a comprehension",
        ast.SetComp: "a comprehension",
        ast.GeneratorExp: "a comprehension",
        ast.Dict: "a dict literal",
        ast.Set: "a set literal",
        ast.Call: "a call",
        ast.JoinedStr: "an f-string",
        ast.Starred: "unpacking",
        ast.NamedExpr: "an assignment expression",
        ast.IfExp: "a conditional expression",
        ast.Compare: "a comparison",
        ast.BoolOp: "a boolean operation",
        ast.Await: "await",
    }
    for kind, text in kinds.items():
        if isinstance(node, kind):
            return text
    return type(node).__name__


def _check_import(node: ast.Import | ast.ImportFrom) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name not in _ALLOWED_IMPORTS or _ALLOWED_IMPORTS[alias.name] is not None or alias.asname:
                raise ProgramError(
                    f"import of {alias.name!r} is not allowed (header imports only)", node.lineno
                )
        return
    allowed = _ALLOWED_IMPORTS.get(node.module or "")
    if node.level or allowed is None:
        raise ProgramError(f"import from {node.module!r} is not allowed (header imports only)", node.lineno)
    for alias in node.names:
        if alias.name not in allowed or alias.asname:
            raise ProgramError(f"'from {node.module} import {alias.name}' is not allowed", node.lineno)


def _argument(value: ast.expr, parameter: str, limits: Limits, budget: _Budget) -> object:
    """One argument's value: depth checked first, values charged to ``budget``, names checked."""
    _check_depth(value, limits)
    budget.start_argument()
    result = _evaluate_node(value, limits, budget)
    if _NAME_PARAMETERS.match(parameter):
        for name in _all_strings(result):
            if not name.strip():
                raise ProgramError(f"{parameter}: an object name cannot be blank", value.lineno)
            if len(name.encode()) > MAX_NAME_BYTES:
                raise ProgramError(
                    f"{parameter}: object name {name[:40]!r} is longer than {MAX_NAME_BYTES} bytes",
                    value.lineno,
                )
    return result


def _all_strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _all_strings(v)


def _bind_arguments(node: ast.Call, spec: FunctionSpec, limits: Limits, budget: _Budget) -> dict[str, object]:
    names = spec.parameter_names
    if len(node.args) > len(names):
        raise ProgramError(
            f"{spec.name}() takes at most {len(names)} arguments, got {len(node.args)}", node.lineno
        )
    bound: dict[str, object] = {}
    for param, arg in zip(names, node.args):
        if isinstance(arg, ast.Starred):
            raise ProgramError("unpacking (*args) is not allowed", node.lineno)
        bound[param] = _argument(arg, param, limits, budget)
    for kw in node.keywords:
        if kw.arg is None:
            raise ProgramError("unpacking (**kwargs) is not allowed", node.lineno)
        if kw.arg not in names:
            close = difflib.get_close_matches(kw.arg, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(names)}"
            raise ProgramError(f"{spec.name}() has no argument {kw.arg!r}{hint}", kw.value.lineno)
        if kw.arg in bound:
            raise ProgramError(f"{spec.name}() got argument {kw.arg!r} twice", kw.value.lineno)
        bound[kw.arg] = _argument(kw.value, kw.arg, limits, budget)
    missing = [p.name for p in spec.parameters if p.required and p.name not in bound]
    if missing:
        raise ProgramError(
            f"{spec.name}() is missing required argument(s): {', '.join(missing)}", node.lineno
        )
    return bound


def parse(source: str, limits: Limits = DEFAULT_LIMITS) -> Program:
    """Parse and validate ``source``; raise :class:`ProgramError` naming the line and the reason."""
    if not isinstance(source, str):
        raise ProgramError(f"a program is text, got {type(source).__name__}")
    if len(source) > limits.max_source_chars:
        raise ProgramError(f"program longer than {limits.max_source_chars} characters")
    _check_characters(source)
    try:
        tree = ast.parse(source, mode="exec")
    except SyntaxError as err:
        raise ProgramError(f"syntax error: {err.msg}", err.lineno) from None
    except ValueError as err:  # e.g. null bytes
        raise ProgramError(f"unreadable program: {err}") from None
    except (RecursionError, MemoryError):
        # CPython's parser gives up on very deep nesting (``-----...1``) this way.
        raise ProgramError("expression nests too deeply to parse") from None
    except SystemError as err:  # CPython 3.11's AST builder on some deep inputs ("recursion depth mismatch")
        raise ProgramError(f"could not parse the program: {err}") from None

    functions = catalogue()
    lines = source.splitlines(keepends=True)
    calls: list[Call] = []
    budget = _Budget(limits)
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            _check_import(stmt)
            continue
        if (
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            continue  # a docstring-like string statement is inert
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
            kind = _STATEMENT_NAMES.get(type(stmt)) or _describe(getattr(stmt, "value", stmt))
            raise ProgramError(f"{kind} not allowed: a program is a sequence of library calls", stmt.lineno)
        call = stmt.value
        if not isinstance(call.func, ast.Name):
            raise ProgramError(
                f"{_describe(call.func)} is not allowed: call library functions by name", stmt.lineno
            )
        fname = call.func.id
        if fname not in functions:
            close = difflib.get_close_matches(fname, list(functions), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ProgramError(f"{fname!r} is not a library function{hint}", stmt.lineno)
        if len(calls) >= limits.max_calls:
            raise ProgramError(f"more than {limits.max_calls} calls", stmt.lineno)
        arguments = _bind_arguments(call, functions[fname], limits, budget)
        text = _segment(lines, stmt) or format_call(fname, arguments)
        calls.append(Call(fname, arguments, stmt.lineno, stmt.end_lineno or stmt.lineno, text))

    object_name, parts = _read_structure(source, calls)
    program = Program(source, object_name, parts, calls)
    program.estimated_vertices = check_resources(program, limits)
    return program


def _check_characters(source: str) -> None:
    """Refuse line breaks Python does not use and control characters, naming the line (counted as
    Python counts lines)."""
    for pattern, describe in (
        (_FOREIGN_LINE_BREAK, lambda c: f"the line break U+{ord(c):04X} ({_FOREIGN_LINE_BREAKS[c]})"),
        (_CONTROL, lambda c: f"the control character U+{ord(c):04X}"),
    ):
        found = pattern.search(source)
        if found:
            line = source.count("\n", 0, found.start()) + 1
            raise ProgramError(
                f"program holds {describe(found.group())}; only \\n, \\r\\n and \\r end lines", line
            )


def _segment(lines: list[str], node: ast.stmt) -> str:
    """The source text of ``node`` (``ast.get_source_segment`` re-splits the whole source per call)."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    if first == last:
        return lines[first].encode()[node.col_offset : node.end_col_offset].decode()
    head = lines[first].encode()[node.col_offset :].decode()
    tail = lines[last].encode()[: node.end_col_offset].decode()
    return head + "".join(lines[first + 1 : last]) + tail


def validate(source: str, limits: Limits = DEFAULT_LIMITS) -> Program:
    """Alias of :func:`parse`: the validated :class:`Program`, or :class:`ProgramError`."""
    return parse(source, limits)


def _read_structure(source: str, calls: list[Call]) -> tuple[str | None, list[Part]]:
    object_name = None
    parts: list[Part] = []
    for lineno, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if object_name is None and (m := _OBJECT_NAME.match(stripped)):
            object_name = m["name"]
        elif m := _PART.match(stripped):
            parts.append(Part(int(m["index"]), m["label"], lineno))
    for c in calls:
        owner = None
        for p in parts:
            if p.line < c.line:
                owner = p
        if owner is not None:
            owner.calls.append(c)
    return object_name, parts


# --------------------------------------------------------------------------------- resource bounds


def _ints(value) -> list[float]:
    """All numbers inside a (possibly nested) argument value."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, int | float):
        return [value]
    out: list[float] = []
    for v in value:
        out.extend(_ints(v))
    return out


def _bound(call: Call, key: str, limit: float, what: str) -> None:
    for v in _ints(call.arguments.get(key)):
        if v > limit or v < 0:
            raise ProgramError(
                f"{call.function}(): {key}={v!r} is out of bounds ({what} 0..{limit})", call.line
            )


_PRIMITIVE_VERTS = {"cube": 8, "cylinder": 64, "cone": 33, "uv_sphere": 482, "torus": 576, "grid": 4}
# Lengths ``average_edge_length`` divides to give a primitive's resolution, per direction, in the
# primitive's unscaled units (bpy_lib.primitives uses the same table).
PRIMITIVE_EDGE_LENGTHS = {
    "cube": (2.0, 2.0, 2.0),
    "cylinder": (2 * math.pi, 2.0),
    "cone": (2 * math.pi, 2.0),
    "uv_sphere": (2 * math.pi, math.pi),
    "torus": (2 * math.pi * 1.0, 2 * math.pi * 0.25),  # major radius 1, minor 0.25
}
# Vertices of a profile whose size the program text does not show (a generous ring).
_UNKNOWN_RING = 64
# Segments per Bezier span when a call gives none (spec 3b item 1; the arc and spiral defaults).
_BARE_CURVE_RESOLUTION = 12
_SWEPT_CURVE_RESOLUTION = 24
_MAX_LIBRARY_CURVE_RESOLUTION = 256
# Section functions whose bare curve is a ring and which sweep a profile along it when given one.
_SECTIONS = ("create_circle", "create_polygon", "create_rectangle", "create_square")


def _first(value, default: float) -> float:
    numbers = _ints(value)
    return max(numbers) if numbers else default


def _primitive_estimate(call: Call, limits: Limits) -> int:
    a = call.arguments
    kind = str(a.get("primitive_type", "cube"))
    if kind == "grid":
        xs = int(_first(a.get("x_subdivisions"), 2))
        ys = int(_first(a.get("y_subdivisions"), 2))
        return (xs + 1) * (ys + 1)
    if a.get("use_minimum_face", True) is not False:
        return _PRIMITIVE_VERTS.get(kind, 1000)
    step = a.get("average_edge_length")
    if isinstance(step, int | float) and not isinstance(step, bool) and kind in PRIMITIVE_EDGE_LENGTHS:
        if step <= 0:
            raise ProgramError(
                f"create_primitive(): average_edge_length must be positive, got {step!r}", call.line
            )
        res = [max(1, round(length / step)) for length in PRIMITIVE_EDGE_LENGTHS[kind]]
        if max(res) > limits.max_resolution:
            raise ProgramError(
                f"create_primitive(): average_edge_length={step!r} gives a {kind} of {max(res)} segments "
                f"(at most {limits.max_resolution}; use a longer edge)",
                call.line,
            )
    else:
        res = [max(1, int(v)) for v in _ints(a.get("resolution"))]
        if not res:
            return _PRIMITIVE_VERTS.get(kind, 1000)
    if kind == "cube":
        return 6 * (res[0] + 1) * (res[-1] + 1)
    n = math.prod(v + 1 for v in res)
    return 2 * n if kind in ("cylinder", "cone") else n


def _loop_count(call: Call) -> int:
    name = call.arguments.get("name")
    return max(1, len(name)) if isinstance(name, list) else 1


def _curve_points(call: Call) -> int:
    """Vertices of the bare curve(s) a call makes, once converted (generous)."""
    a = call.arguments
    f = call.function
    swept = bool(a.get("profile_name"))
    if f == "create_curve":
        res = _first(a.get("resolution"), 0)
        if not res:
            aimed = a.get("use_minimum_face", True) is False and a.get("average_edge_length")
            if aimed:
                res = _MAX_LIBRARY_CURVE_RESOLUTION
            else:
                res = _SWEPT_CURVE_RESOLUTION if swept else _BARE_CURVE_RESOLUTION
        points = a.get("control_points") or []
        total = 0
        for pts in points if isinstance(a.get("name"), list) else [points]:
            spans = max(1, (len(pts) if isinstance(pts, list) else 2))
            total += int(spans * res + 1)
        return total
    if f == "create_arc_by_3Dpoints":
        return 4 * _SWEPT_CURVE_RESOLUTION + 1  # at most 4 spans of 90 degrees
    if f == "create_spiral":
        turns = _first(a.get("turns"), 5)
        return int((12 * turns + 2) * _first(a.get("resolution"), 8) + 1)
    loops = _loop_count(call)
    if f == "create_circle":
        resolution = _first(a.get("resolution"), 32)
        if swept:  # a path ring: at least 24 segments per quarter
            return 4 * int(max(24, math.ceil(resolution / 4))) + 1
        return loops * int(resolution + 4)
    if f == "create_polygon":
        return loops * int(_first(a.get("sides"), 3) * _first(a.get("resolution"), 12))
    if f in ("create_rectangle", "create_square"):
        return 4 * int(_first(a.get("bevel_segments"), 8) + 2)
    if f == "create_quad":
        points = a.get("control_points") or []
        count = sum(len(p) for p in points) if _is_point_lists(points) else len(points)
        return max(4, count) * int(_first(a.get("resolution"), 12))
    if f == "create_star":
        return 2 * int(_first(a.get("num_points"), 5)) * _BARE_CURVE_RESOLUTION
    if f == "create_wave":
        return int(_first(a.get("segs"), 200)) + 1
    return _UNKNOWN_RING


def _is_point_lists(value) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and isinstance(value[0], list)
        and bool(value[0])
        and (isinstance(value[0][0], list))
    )


def _creation_estimate(call: Call, estimates: dict[str, int], limits: Limits) -> int:
    """A generous vertex count for what a call creates; profiles and sections it consumes are looked
    up in (and removed from) ``estimates``, the per-object counts so far."""
    a = call.arguments
    f = call.function
    if f == "create_primitive":
        return _primitive_estimate(call, limits)
    if f in ("create_fork", "create_spoon"):
        return 20_000
    if f in ("bezier_rotation", "star_curve_rotation"):
        profile = estimates.pop(str(a.get("profile_name")), _UNKNOWN_RING)
        if profile > limits.max_profile_points:
            raise ProgramError(
                f"{f}(): the profile has about {profile:,} points (at most {limits.max_profile_points:,})",
                call.line,
            )
        if f == "bezier_rotation":
            around = 4 * int(_first(a.get("resolution"), 12))
        else:
            around = 4 * int(_first(a.get("num_points"), 16))  # a star ring of 2 per point, doubled
        return 2 * profile * around  # always solidified (spec 3b item 4)
    if f == "bridge_edge_loops":
        sections = a.get("profile_name") or []
        surfaces = sections if _is_nested(sections) else [sections]
        cuts = int(_first(a.get("number_cuts"), 32))
        total = 0
        for names in surfaces:
            names = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
            ring = max([estimates.pop(n, _UNKNOWN_RING) for n in names] or [_UNKNOWN_RING])
            total += ring * (len(names) + max(0, len(names) - 1) * cuts)
        return total
    path = _curve_points(call)
    if f == "create_curve" and isinstance(a.get("name"), list):
        return path
    profile_name = a.get("profile_name")
    if not profile_name or not isinstance(profile_name, str):
        return path
    profile = estimates.pop(profile_name, _UNKNOWN_RING)
    layers = 2  # sections always solidify; a curve may (spec 3b items 2 and 3)
    return layers * (path * profile + 2 * profile)


def _is_nested(value) -> bool:
    return isinstance(value, list) and any(isinstance(v, list) for v in value)


def check_resources(program: Program, limits: Limits = DEFAULT_LIMITS) -> int:
    """Check every call against ``limits``; return the estimated total vertex count."""
    estimates: dict[str, int] = {}
    for call in program.calls:
        f = call.function
        a = call.arguments
        for key in ("count", "count_1", "count_2", "count_3"):
            _bound(call, key, limits.max_array_count, "array count")
        if f.startswith("array_"):
            counts = [int(v) for k in ("count", "count_1", "count_2", "count_3") for v in _ints(a.get(k))]
            total = math.prod(counts) if counts else 1
            if total > limits.max_array_total:
                raise ProgramError(
                    f"{f}(): {total} copies in all is more than {limits.max_array_total}", call.line
                )
        if f == "create_primitive":
            _bound(call, "resolution", limits.max_resolution, "resolution")
            _bound(call, "x_subdivisions", limits.max_resolution, "subdivisions")
            _bound(call, "y_subdivisions", limits.max_resolution, "subdivisions")
        elif "resolution" in a:
            _bound(call, "resolution", limits.max_curve_resolution, "curve resolution")
        _bound(call, "segments", limits.max_bevel_segments, "bevel segments")
        _bound(call, "bevel_segments", limits.max_bevel_segments, "bevel segments")
        _bound(call, "levels", limits.max_subsurf_levels, "subdivision levels")
        _bound(call, "number_cuts", limits.max_cuts, "cuts")
        _bound(call, "n_cuts", limits.max_cuts, "cuts")
        _bound(call, "turns", limits.max_turns, "turns")
        if f == "create_spiral" and any(12 * t <= 1 for t in _ints(a.get("turns", 5))):
            raise ProgramError(
                f"create_spiral(): turns={a.get('turns')!r} plans fewer than 2 points (12 per turn)",
                call.line,
            )
        _bound(call, "segs", limits.max_wave_segments, "wave segments")
        _bound(call, "num_points", limits.max_resolution, "star points")
        _bound(call, "sides", limits.max_resolution, "polygon sides")
        _bound(call, "repeat", 100, "smoothing repeats")

        targets = sorted(_names(call.target))
        if f in ("delete_all",):
            estimates.clear()
        elif f.startswith("create_") or f in ("bezier_rotation", "star_curve_rotation", "bridge_edge_loops"):
            n = _creation_estimate(call, estimates, limits)
            for t in targets or ["?"]:
                estimates[t] = n
        elif f.startswith("array_"):
            counts = [
                int(v) for k in ("count", "count_1", "count_2", "count_3") for v in _ints(a.get(k))
            ] or [1]
            for t in targets:
                estimates[t] = estimates.get(t, 1000) * math.prod(counts)
        elif f == "subsurf":
            levels = int(max(_ints(a.get("levels")) or [1]))
            for t in targets:
                estimates[t] = estimates.get(t, 1000) * 4**levels
        elif f == "bevel":
            seg = int(max(_ints(a.get("segments")) or [8]))
            for t in targets:
                estimates[t] = estimates.get(t, 1000) * (seg + 1)
        elif f == "solidify":
            for t in targets:
                estimates[t] = estimates.get(t, 1000) * 2
        elif f == "fill_grid":
            for t in targets:
                outline = estimates.get(t, _UNKNOWN_RING)
                if outline > limits.max_profile_points:
                    raise ProgramError(
                        f"fill_grid(): the outline {t!r} has about {outline:,} points "
                        f"(at most {limits.max_profile_points:,})",
                        call.line,
                    )
                # Grid Fill's largest grid is a square of a quarter of the outline per side.
                estimates[t] = 2 * (outline // 4 + 1) ** 2
        elif f == "curve2meshgrid":
            cells = int(_first(a.get("resolution"), 32))
            for t in targets:
                estimates[t] = 2 * ((cells + 2) ** 2 + estimates.get(t, _UNKNOWN_RING))
        elif f == "join_obj":
            members = _names(a.get("seq_name"))
            total = sum(estimates.pop(m, 0) for m in members)
            estimates[str(a.get("name"))] = total
        elif f == "boolean_operation":
            other = estimates.pop(str(a.get("name2")), 0)
            estimates[str(a.get("name1"))] = estimates.get(str(a.get("name1")), 0) + other
        total = sum(estimates.values())
        if total > limits.max_vertices:
            raise ProgramError(
                f"{f}(): the program would build about {total:,} vertices (limit {limits.max_vertices:,})",
                call.line,
            )
    return sum(estimates.values())
