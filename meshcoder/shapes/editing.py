"""Structured editing of shape programs: find parts, read and set keyword values, move, resize, copy,
delete and rename parts, without touching text.

Every edit returns a new :class:`~meshcoder.shapes.program.Program`, parsed and validated from the
text it writes; the program edited is never changed. Calls that an edit does not change keep their
source text; a changed call is written again with its keywords in their order, edited values in the
spec's number format (``ARGUMENT_DECIMALS``) and the others as they were.

A part is named by its index (``# part_<i>``) or by a :class:`~meshcoder.shapes.program.Part` of the
program being edited. A ``Part`` taken from an earlier version of the program is refused when that
version's part differs (it was edited, or renumbered by a deletion) rather than silently matched to
whatever part now has its index.

Moving and resizing (:func:`translate`, :func:`scale`) map the keyword values that carry positions and
sizes, function by function, following what ``bpy_lib`` does with them (see ``edit_rules._RULES``):
world points (locations, control points, deform origins) move; object scales, section sizes and
world-space lengths (thicknesses, radii, bevel widths of unscaled objects) grow; profiles, which a
sweep or a lathe reads in their own plane, keep their place and only change size. A part whose calls
cannot be mapped that way (an oval, which has no location, used as a bridge section; a bend under a
non-uniform factor) raises an :class:`EditError` naming the call and the reason, and nothing is
changed.

This module holds the edits themselves: finding parts, reading and setting values, and the structure
and geometry edits, with the renaming they need. What each catalogue function's keywords mean to an edit
(which name objects, which carry positions and sizes) and the engine that maps them under
:func:`translate` and :func:`scale` live in :mod:`meshcoder.shapes.edit_rules`; its names that belong
to the interface (``NAME_KEYWORDS``, ``CREATING_FUNCTIONS``, :class:`NameUse`, :func:`name_uses`) are
importable from here too.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from meshcoder.shapes.calls import Call, Part, format_value
from meshcoder.shapes.edit_rules import (
    CREATING_FUNCTIONS,
    NAME_KEYWORDS,
    NameUse,
    _Affine,
    _decimals,
    _defaults,
    _mapped,
    _strings,
    _Unmovable,
    name_uses,
)

if TYPE_CHECKING:  # the parser imports this module; at run time a program brings its own class
    from meshcoder.shapes.program import Program

__all__ = [
    "CREATING_FUNCTIONS",
    "NAME_KEYWORDS",
    "EditError",
    "NameUse",
    "PartRef",
    "delete",
    "duplicate",
    "get",
    "labels",
    "name_uses",
    "parts_labelled",
    "rename",
    "resolve_part",
    "scale",
    "set_value",
    "translate",
]

PartRef = int | Part
"""A part of the program being edited: its index (``# part_<i>``) or the :class:`Part` itself."""

# Values an edit leaves alone are written back with as many decimals as they need (not rounded).
_KEPT_DECIMALS = 12


class EditError(ValueError):
    """An edit that cannot be made as asked; the message says which part, which call and why."""


# ------------------------------------------------------------------------------------------ parts


def labels(program: Program) -> list[str]:
    """The distinct part labels, in the order they first appear."""
    return list(dict.fromkeys(p.label for p in program.parts))


def parts_labelled(program: Program, label: str | re.Pattern) -> list[Part]:
    """The parts whose label is ``label`` (a string, compared exactly) or matches the whole of a
    compiled regular expression (``re.compile('arm.*')``)."""
    if isinstance(label, re.Pattern):
        return [p for p in program.parts if label.fullmatch(p.label)]
    return [p for p in program.parts if p.label == label]


def resolve_part(program: Program, part: PartRef) -> Part:
    """The part of ``program`` that ``part`` names, or an :class:`EditError` saying why none is."""
    if isinstance(part, Part):
        for candidate in program.parts:
            if candidate.index == part.index and _same_part(candidate, part):
                return candidate
        raise EditError(
            f"part_{part.index} ({part.label!r}) is not in this program: it was edited or renumbered "
            "since it was taken. Take parts from the program being edited, or pass several parts to "
            "one call (program.delete([a, b]))"
        )
    if isinstance(part, bool) or not isinstance(part, int | np.integer):
        raise EditError(f"a part is an index (# part_<i>) or a Part, got {type(part).__name__}")
    matches = [p for p in program.parts if p.index == part]
    if len(matches) != 1:
        known = ", ".join(str(p.index) for p in program.parts)
        raise EditError(f"program has {len(matches) or 'no'} part_{part} (parts: {known})")
    return matches[0]


def _resolve_parts(program: Program, parts: PartRef | Iterable[PartRef]) -> list[Part]:
    refs = [parts] if isinstance(parts, int | np.integer | Part) else list(parts)
    if not refs:
        raise EditError("no parts given")
    resolved = [resolve_part(program, ref) for ref in refs]
    if len({id(p) for p in resolved}) != len(resolved):
        raise EditError(f"a part is given twice: {[p.index for p in resolved]}")
    return resolved


def _same_part(a: Part, b: Part) -> bool:
    return a.label == b.label and [(c.function, c.arguments) for c in a.calls] == [
        (c.function, c.arguments) for c in b.calls
    ]


def _where(part: Part) -> str:
    return f"part_{part.index} ({part.object_name!r})"


# ------------------------------------------------------------------------------- keyword values


def get(program: Program, part: PartRef, keyword: str, call: int | str | Call | None = None) -> object:
    """The value of ``keyword`` in a call of ``part`` (a copy): as written, or the function's default.

    ``call`` picks the call: its position in the part (0 is the first), its function name (when that
    function appears once in the part) or the :class:`Call`. By default it is the only call that writes
    ``keyword``, else the only one whose function takes it, preferring in either case the call that
    makes the part's object; where that still leaves several, the error lists them.
    """
    target = resolve_part(program, part)
    chosen = target.calls[_select_call(target, keyword, call)]
    if keyword in chosen.arguments:
        return copy.deepcopy(chosen.arguments[keyword])
    return copy.deepcopy(_defaults(chosen.function)[keyword])


def set_value(
    program: Program, part: PartRef, keyword: str, value: object, call: int | str | Call | None = None
) -> Program:
    """A copy of ``program`` with ``keyword`` of one call of ``part`` set to ``value`` (a literal:
    number, string, bool, None or nested lists; numpy arrays are accepted). ``call`` is chosen as in
    :func:`get`. Object names are not set this way: use :func:`rename`."""
    if keyword in ("name", "name1"):
        raise EditError(
            f"{keyword!r} names the object a call acts on; change the part's object with rename(), "
            "which renames it in every call that uses it"
        )
    target = resolve_part(program, part)
    position = _select_call(target, keyword, call)
    plain = _plain(value)
    try:
        format_value(plain)
    except TypeError as err:
        raise EditError(f"cannot write {keyword}={value!r} into a program: {err}") from None
    arguments = dict(target.calls[position].arguments)
    arguments[keyword] = plain
    return _rebuild(program, {id(target.calls[position]): arguments})


def _select_call(part: Part, keyword: str, call: int | str | Call | None) -> int:
    """Position in ``part.calls`` of the call that :func:`get` and :func:`set_value` work on."""
    calls = part.calls
    if call is not None:
        if isinstance(call, Call):
            found = [
                i
                for i, c in enumerate(calls)
                if c is call or (c.function, c.arguments) == (call.function, call.arguments)
            ]
        elif isinstance(call, str):
            found = [i for i, c in enumerate(calls) if c.function == call]
        elif isinstance(call, int) and not isinstance(call, bool) and -len(calls) <= call < len(calls):
            found = [call % len(calls)]
        else:
            found = []
        if len(found) != 1:
            raise EditError(
                f"{_where(part)}: call={call!r} picks {len(found)} of its calls; "
                f"its calls are {_list_calls(part, range(len(calls)))}"
            )
        position = found[0]
        if keyword not in _defaults(calls[position].function):
            raise EditError(
                f"{calls[position].function}() has no argument {keyword!r} "
                f"(it takes: {', '.join(_defaults(calls[position].function))})"
            )
        return position
    writing = [i for i, c in enumerate(calls) if keyword in c.arguments]
    taking = [i for i, c in enumerate(calls) if keyword in _defaults(c.function)]
    for candidates in (writing, taking):
        if len(candidates) == 1:
            return candidates[0]
        making = [i for i in candidates if _makes(calls[i], part.object_name)]
        if len(making) == 1:
            return making[0]
        if candidates:
            raise EditError(
                f"{_where(part)}: {len(candidates)} calls have {keyword!r}: "
                f"{_list_calls(part, candidates)}; pass call= (a position or a function name)"
            )
    raise EditError(
        f"{_where(part)}: no call takes {keyword!r}; its calls are {_list_calls(part, range(len(calls)))}"
    )


def _list_calls(part: Part, positions: Iterable[int]) -> str:
    return ", ".join(f"[{i}] {part.calls[i].function}() on line {part.calls[i].line}" for i in positions)


def _makes(call: Call, name: str) -> bool:
    return call.function in CREATING_FUNCTIONS and name in {
        n for _, n in _strings(call.arguments.get("name"))
    }


def _plain(value: object) -> object:
    """Python literals from numpy arrays and scalars (nested lists kept)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# ------------------------------------------------------------------------ object names in edits


def _with_names(arguments: dict, renames: dict[tuple[str, tuple[int, ...]], str]) -> dict:
    """A copy of ``arguments`` with the names at (keyword, path) replaced."""
    out = copy.deepcopy(arguments)
    for (keyword, path), name in renames.items():
        if not path:
            out[keyword] = name
            continue
        holder = out[keyword]
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = name
    return out


def _renamed_calls(
    program: Program, mapping: dict[tuple[int, str], str], only: set[int] | None = None
) -> dict[int, dict]:
    """New arguments for the calls (by id) whose names ``mapping`` changes.

    ``mapping`` takes (position of the call that made an object, its name) to the new name, so a name
    made twice is renamed only where it means the object made there. ``only`` limits the calls
    rewritten (positions); ``delete_obj(sub_name=...)`` that would match a renamed object by part of
    its name is refused, since the rename would change what it deletes.
    """
    calls = program.calls
    changes: dict[int, dict[tuple[str, tuple[int, ...]], str]] = {}
    for use in name_uses(calls):
        if only is not None and use.call not in only:
            continue
        new = mapping.get((use.source, use.name)) if use.source is not None else None
        if use.keyword == "sub_name" and new is None:
            partial = sorted(old for (_, old) in mapping if use.name in old and use.name != old)
            if partial:
                raise EditError(
                    f"line {calls[use.call].line}: delete_obj(sub_name={use.name!r}) deletes objects by part "
                    f"of their name and would match renamed objects {partial}; edit it first"
                )
        if new is not None:
            changes.setdefault(use.call, {})[(use.keyword, use.path)] = new
    return {id(calls[i]): _with_names(calls[i].arguments, renames) for i, renames in changes.items()}


def _positions(program: Program, part: Part) -> list[int]:
    ids = {id(c) for c in part.calls}
    return [i for i, c in enumerate(program.calls) if id(c) in ids]


def _made_names(program: Program, part: Part) -> dict[tuple[int, str], None]:
    """(call position, name) of every object the part's calls make, in order."""
    positions = set(_positions(program, part))
    return {(u.call, u.name): None for u in name_uses(program.calls) if u.creates and u.call in positions}


def _outside_references(program: Program, part: Part) -> list[str]:
    """The names the part's calls use that it does not make itself, described."""
    positions = set(_positions(program, part))
    owners = {i: p for p in program.parts for i in _positions(program, p)}
    found = []
    for use in name_uses(program.calls):
        if use.call in positions and not use.creates and use.keyword != "sub_name":
            if use.source is None:
                found.append(f"{use.name!r} (made by no call)")
            elif use.source not in positions:
                owner = owners.get(use.source)
                found.append(
                    f"{use.name!r} (made by {_where(owner) if owner else 'a call outside the parts'})"
                )
    return list(dict.fromkeys(found))


def _check_self_contained(program: Program, part: Part, verb: str) -> None:
    outside = _outside_references(program, part)
    if outside:
        raise EditError(
            f"cannot {verb} {_where(part)}: its calls act on objects it does not make: {', '.join(outside)}"
        )


def _check_label(label: str) -> None:
    if not isinstance(label, str) or not label or label != label.strip() or any(c in label for c in "\r\n"):
        raise EditError(f"a label is one line of text without surrounding spaces, got {label!r}")


def _check_unique(
    program: Program,
    mapping: dict[tuple[int, str], str],
    extra: Iterable[str] = (),
    gone: set[int] = frozenset(),
) -> None:
    """Refuse new names that an object kept (not renamed, not in the calls ``gone``) already has."""
    kept = {
        u.name
        for u in name_uses(program.calls)
        if u.creates and (u.call, u.name) not in mapping and u.call not in gone
    }
    taken = sorted((set(mapping.values()) | set(extra)) & kept)
    if taken:
        raise EditError(f"the new object name(s) {taken} are already used in the program")


# ---------------------------------------------------------------------------------- structure edits


def delete(program: Program, parts: PartRef | Iterable[PartRef]) -> Program:
    """A copy of ``program`` without ``parts``; the parts after them are renumbered 1..n and their
    objects renamed to match (``'leg_5'`` becomes ``'leg_4'``, helpers ``'curve_5'`` likewise),
    everywhere those names are used. A part that uses an object of a deleted part is an error."""
    doomed = _resolve_parts(program, parts)
    doomed_positions = {i for p in doomed for i in _positions(program, p)}
    owners = {i: p for p in program.parts for i in _positions(program, p)}
    for use in name_uses(program.calls):
        if use.source in doomed_positions and use.call not in doomed_positions:
            user = owners.get(use.call)
            raise EditError(
                f"cannot delete {_where(owners[use.source])}: {_where(user) if user else 'a call'} uses "
                f"its object {use.name!r} (line {program.calls[use.call].line}); delete or edit that part too"
            )
    kept = [p for p in program.parts if all(p is not d for d in doomed)]
    mapping: dict[tuple[int, str], str] = {}
    for new_index, part in enumerate(kept, start=1):
        for position, name in _made_names(program, part):
            if (new_name := _renumbered(name, part.index, new_index)) != name:
                mapping[(position, name)] = new_name
    _check_unique(program, mapping, gone=doomed_positions)
    changed = _renamed_calls(program, mapping)
    drafts = [(i, p.label, p) for i, p in enumerate(kept, start=1)]
    return _rebuild(program, changed, drafts)


def rename(program: Program, part: PartRef, label: str) -> Program:
    """A copy of ``program`` where ``part`` has the label ``label``: its comment and its object
    (``'<label>_<i>'``), in every call that uses that object."""
    target = resolve_part(program, part)
    _check_label(label)
    old, new = target.object_name, f"{label}_{target.index}"
    mapping = {key: new for key in _made_names(program, target) if key[1] == old}
    if old != new:
        _check_unique(program, mapping)
    drafts = [(p.index, label if p is target else p.label, p) for p in program.parts]
    return _rebuild(program, _renamed_calls(program, mapping), drafts)


def duplicate(
    program: Program, part: PartRef, offset: Sequence[float] | None = None, label: str | None = None
) -> Program:
    """A copy of ``program`` with a copy of ``part`` appended as the next part, optionally moved by
    ``offset`` and labelled ``label`` (default: the same label).

    The copy's objects get the new index (``'leg_2'`` and ``'curve_2'`` of part 2 become ``'leg_9'``
    and ``'curve_9'`` as part 9; a helper name without the index gets ``'_9'`` appended), in every
    call of the copy that uses them. The copy replays the part's own calls only, so a part that acts
    on objects of other parts is refused.
    """
    target = resolve_part(program, part)
    _check_self_contained(program, target, "duplicate")
    new_label = target.label if label is None else label
    _check_label(new_label)
    new_index = max(p.index for p in program.parts) + 1
    mapping = {}
    for position, name in _made_names(program, target):
        if name == target.object_name:
            mapping[(position, name)] = f"{new_label}_{new_index}"
        elif name.endswith(f"_{target.index}"):
            mapping[(position, name)] = _renumbered(name, target.index, new_index)
        else:
            mapping[(position, name)] = f"{name}_{new_index}"
    _check_unique(program, {}, mapping.values())
    positions = _positions(program, target)
    changed = _renamed_calls(program, mapping, only=set(positions))
    copied = Part(
        new_index, new_label, 0, [_with_arguments(c, changed.get(id(c), c.arguments)) for c in target.calls]
    )
    drafts = [(p.index, p.label, p) for p in program.parts] + [(new_index, new_label, copied)]
    result = _rebuild(program, {}, drafts)
    return result if offset is None else translate(result, new_index, offset)


def _renumbered(name: str, old: int, new: int) -> str:
    suffix = f"_{old}"
    return name[: -len(suffix)] + f"_{new}" if name.endswith(suffix) else name


def _with_arguments(call: Call, arguments: dict) -> Call:
    return Call(call.function, arguments, call.line, call.end_line, _call_text(call, arguments))


# -------------------------------------------------------------------------------- geometry edits


def translate(program: Program, parts: PartRef | Iterable[PartRef], offset: Sequence[float]) -> Program:
    """A copy of ``program`` with ``parts`` moved by ``offset`` ([dx, dy, dz], world units)."""
    move = _vector(offset, "offset")
    return _move(program, parts, lambda _: _Affine(np.ones(3), move, 1.0), "translate")


def scale(
    program: Program,
    parts: PartRef | Iterable[PartRef],
    factor: float | Sequence[float],
    about: Sequence[float] | None = None,
    lengths: float | None = None,
) -> Program:
    """A copy of ``program`` with ``parts`` scaled by ``factor`` (a number, or one per world axis)
    about the point ``about``.

    ``about`` defaults to each part's own centre: the middle of the bounding box of the world points
    its calls write (locations, path points, deform origins; not the mesh, which only Blender knows).

    Sizes along an object's own axes (a primitive's ``scale``, a rectangle's width and length, a
    trapezoid's ``size``) are stretched by as much as ``factor`` stretches each of those axes, so a
    rotated object keeps its rotation; that is exact when its axes are world axes (a non-uniform world
    scale of a tilted box would shear it, which no primitive describes). Round things (a ring's radius,
    a helix, a lathe, an arc) take a non-uniform factor only where it is the same across their circles.
    Lengths with no single direction, in world units (thicknesses, profile sizes, bevel widths on
    unscaled objects), are multiplied by ``lengths``, which defaults to ``factor`` when that is one
    number; with a non-uniform factor and no ``lengths``, a part having such lengths is refused.
    Details in an object's own scaled space (a bevel on a primitive) follow that object's scale.
    """
    factors = _vector([factor] * 3 if np.ndim(factor) == 0 else factor, "factor")
    if (factors <= 0).any():
        raise EditError(f"scale factors must be positive (a mirror is not a rotation), got {factor!r}")
    if lengths is not None and not float(lengths) > 0:
        raise EditError(f"lengths must be a positive factor, got {lengths!r}")
    uniform = bool(np.allclose(factors, factors[0]))
    length_factor = lengths if lengths is not None else (float(factors[0]) if uniform else None)
    centre = None if about is None else _vector(about, "about")

    def affine(part: Part) -> _Affine:
        pivot = centre if centre is not None else _centre(program, part)
        return _Affine(factors, pivot - factors * pivot, length_factor)

    return _move(program, parts, affine, "scale")


def _move(
    program: Program, parts: PartRef | Iterable[PartRef], affine_of: Callable[[Part], _Affine], verb: str
) -> Program:
    changed: dict[int, dict] = {}
    for part in _resolve_parts(program, parts):
        _check_self_contained(program, part, verb)
        try:
            changed.update(_mapped(program, _positions(program, part), affine_of(part))[0])
        except _Unmovable as err:
            raise EditError(f"cannot {verb} {_where(part)}: {err}") from None
    return _rebuild(program, changed)


def _centre(program: Program, part: Part) -> np.ndarray:
    """The middle of the bounding box of the world points the part writes."""
    _, seen = _mapped(program, _positions(program, part), _Affine(np.ones(3), np.zeros(3), 1.0))
    if not seen:
        raise _Unmovable("it writes no world points to find its centre from; pass about=")
    points = np.asarray(seen)
    return (points.min(axis=0) + points.max(axis=0)) / 2


def _vector(value: object, what: str) -> np.ndarray:
    try:
        out = np.asarray(_plain(value), dtype=float).reshape(-1)
    except (TypeError, ValueError):
        out = np.empty(0)
    if out.shape != (3,) or not np.isfinite(out).all():
        raise EditError(f"{what} must be three numbers [x, y, z], got {value!r}")
    return out


# ------------------------------------------------------------------------------------- rebuilding


def _call_text(call: Call, arguments: dict) -> str:
    """The call as text: unchanged, or rewritten with edited values in the spec's number format."""
    if arguments == call.arguments:
        return call.text
    written = []
    for key, value in arguments.items():
        edited = key not in call.arguments or call.arguments[key] != value
        written.append(f"{key}={format_value(value, _decimals(key) if edited else _KEPT_DECIMALS)}")
    return f"{call.function}({', '.join(written)})"


def _rebuild(
    program: Program,
    changed: dict[int, dict],
    drafts: list[tuple[int, str, Part]] | None = None,
) -> Program:
    """Parse the program written from ``drafts`` ((index, label, part) in order; default: the
    program's parts) with the calls in ``changed`` (by id) given new arguments."""
    if drafts is None:
        drafts = [(p.index, p.label, p) for p in program.parts]
    in_parts = {id(c) for p in program.parts for c in p.calls}
    loose = [c for c in program.calls if id(c) not in in_parts]
    parts = [
        Part(index, label, 0, [_with_arguments(c, changed.get(id(c), c.arguments)) for c in part.calls])
        for index, label, part in drafts
    ]
    # The program's own class writes and re-parses it (this module does not import the parser).
    rebuilt = type(program)(
        program.source, program.object_name, parts, loose + [c for p in parts for c in p.calls]
    )
    return type(program).from_text(rebuilt.to_text())
