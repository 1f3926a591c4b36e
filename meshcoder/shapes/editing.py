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
sizes, function by function, following what ``bpy_lib`` does with them (see ``_RULES``): world points
(locations, control points, deform origins) move; object scales, section sizes and world-space lengths
(thicknesses, radii, bevel widths of unscaled objects) grow; profiles, which a sweep or a lathe reads in
their own plane, keep their place and only change size. A part whose calls cannot be mapped that way
(an oval, which has no location, used as a bridge section; a bend under a non-uniform factor) raises an
:class:`EditError` naming the call and the reason, and nothing is changed.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial.transform import Rotation

from meshcoder.shapes.catalogue import catalogue
from meshcoder.shapes.program import ARGUMENT_DECIMALS, Call, Part, Program, format_value, parse

PartRef = int | Part
"""A part of the program being edited: its index (``# part_<i>``) or the :class:`Part` itself."""

#: Keywords whose values name objects (a string, or nested lists of strings).
NAME_KEYWORDS = frozenset(
    {"name", "name1", "name2", "profile_name", "seq_name", "curve_name", "sub_name", "start_cap", "end_cap"}
    | {f"{key}{suffix}" for key in ("fit_curve", "offset_object") for suffix in ("", "_1", "_2", "_3")}
)
#: Functions whose ``name`` is an object they make (the others act on an existing object).
CREATING_FUNCTIONS = frozenset(
    {f for f in catalogue() if f.startswith("create_")}
    | {"bezier_rotation", "star_curve_rotation", "bridge_edge_loops", "join_obj"}
)
# Sweeps read their profile in its own XY plane and carry it along a path; lathes turn it about an axis.
_SWEEPS = frozenset(
    {"create_curve", "create_arc_by_3Dpoints", "create_spiral", "create_circle", "create_polygon"}
    | {"create_rectangle", "create_square"}
)
_LATHES = frozenset({"bezier_rotation", "star_curve_rotation"})
# Written numbers keep 2 decimals (quaternions too), so a rotation meant to be axis-aligned may be off
# by a degree or so; a direction that a factor maps within this relative distance of itself counts as
# an axis of that factor.
_ALIGNED_TOLERANCE = 0.02
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


def _defaults(function: str) -> dict[str, object]:
    return {p.name: p.default for p in catalogue()[function].parameters}


def _plain(value: object) -> object:
    """Python literals from numpy arrays and scalars (nested lists kept)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# ---------------------------------------------------------------------------------- object names


@dataclass(frozen=True)
class NameUse:
    """One object name written in a call: where (call position in the program, keyword, path into a
    nested list value), whether the call makes the object, and which call made the object it means
    (``source``: the latest call before it that made that name; None when no call did)."""

    call: int
    keyword: str
    path: tuple[int, ...]
    name: str
    creates: bool
    source: int | None


def name_uses(calls: Sequence[Call]) -> list[NameUse]:
    """Every object name the calls write, each resolved to the call that made the object."""
    latest: dict[str, int] = {}
    uses: list[NameUse] = []
    for i, call in enumerate(calls):
        made = []
        for keyword, value in call.arguments.items():
            if keyword not in NAME_KEYWORDS:
                continue
            creates = keyword == "name" and call.function in CREATING_FUNCTIONS
            for path, name in _strings(value):
                uses.append(NameUse(i, keyword, path, name, creates, i if creates else latest.get(name)))
                if creates:
                    made.append(name)
        latest.update(dict.fromkeys(made, i))
    return uses


def _strings(value: object, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


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
            changed.update(_mapped(program, part, affine_of(part))[0])
        except _Unmovable as err:
            raise EditError(f"cannot {verb} {_where(part)}: {err}") from None
    return _rebuild(program, changed)


def _centre(program: Program, part: Part) -> np.ndarray:
    """The middle of the bounding box of the world points the part writes."""
    _, seen = _mapped(program, part, _Affine(np.ones(3), np.zeros(3), 1.0))
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


# ----------------------------------------------------------------------------- the mapping engine


class _Unmovable(Exception):
    """Raised inside a rule: this call cannot be mapped (the message says why)."""


@dataclass(frozen=True)
class _Affine:
    """p -> factor * p + offset; ``lengths`` multiplies directionless lengths (None: refuse them)."""

    factor: np.ndarray
    offset: np.ndarray
    lengths: float | None


@dataclass(frozen=True)
class _Frame:
    """An object's local axes (``rotation``, local to world) and whether its object scale carries its
    size (``scaled``: lengths in its local space then follow the object; else they are world units)."""

    rotation: np.ndarray
    scaled: bool


_IDENTITY = np.eye(3)
_WORLD = _Frame(_IDENTITY, False)


@dataclass
class _Mapper:
    """Maps the keyword values of one part's calls, call by call, under one affine map."""

    affine: _Affine
    profiles: dict[tuple[int, str], tuple[float, float, float]] = field(default_factory=dict)
    frames: dict[str, _Frame] = field(default_factory=dict)  # objects made so far, by name
    seen: list[np.ndarray] = field(default_factory=list)  # world points read (for the default centre)
    call: int = 0  # position in the program of the call being mapped
    function: str = ""

    @property
    def uniform(self) -> bool:
        return bool(np.allclose(self.affine.factor, self.affine.factor[0]))

    def point(self, p: object) -> list[float]:
        xyz = _xyz(p)
        self.seen.append(xyz)
        return [float(v) for v in self.affine.factor * xyz + self.affine.offset]

    def length(self, value: object, what: str) -> object:
        """A directionless world length (or a list of them); None stays None."""
        if value is None:
            return None
        if self.affine.lengths is None:
            raise _Unmovable(
                f"{what} is a length with no single direction and the factor {self.affine.factor.tolist()} "
                "differs by axis; pass lengths= (the factor for such lengths), or scale by one number"
            )
        return _times(value, self.affine.lengths)

    def stretch(self, rotation: np.ndarray) -> np.ndarray:
        """How much the factor stretches each local axis of a frame turned by ``rotation``."""
        return np.linalg.norm(self.affine.factor[:, None] * rotation, axis=0)

    def plane(self, u: np.ndarray, v: np.ndarray, what: str) -> float:
        """The factor within the plane of orthonormal ``u``, ``v``; refused unless the same there."""
        su, sv = self.affine.factor * u, self.affine.factor * v
        ku, kv = np.linalg.norm(su), np.linalg.norm(sv)
        if abs(ku - kv) > _ALIGNED_TOLERANCE * max(ku, kv) or abs(su @ sv) > _ALIGNED_TOLERANCE * ku * kv:
            raise _Unmovable(
                f"{what} lies in a plane that the factor {self.affine.factor.tolist()} stretches unevenly "
                "(its circles would become ellipses); scale by a factor that is the same across that plane"
            )
        return float((ku + kv) / 2)

    def along(self, axis: np.ndarray, what: str) -> float:
        """The factor along ``axis``; refused unless the factor keeps that direction."""
        mapped = self.affine.factor * axis
        k = float(np.linalg.norm(mapped))
        if np.linalg.norm(mapped / k - axis) > _ALIGNED_TOLERANCE:
            raise _Unmovable(
                f"{what} runs along {np.round(axis, 2).tolist()}, which the factor "
                f"{self.affine.factor.tolist()} turns; scale by one number"
            )
        return k

    def need_uniform(self, what: str) -> None:
        if not self.uniform:
            raise _Unmovable(
                f"{what} under the non-uniform factor {self.affine.factor.tolist()} is not modelled"
            )

    def frame(self, name: object) -> _Frame:
        return self.frames.get(name, _WORLD) if isinstance(name, str) else _WORLD

    def profile(self, name: str) -> tuple[float, float, float] | None:
        """The factors along its own X, Y, Z of the profile ``name`` made by this call, if it is one."""
        return self.profiles.get((self.call, name))


def _mapped(program: Program, part: Part, affine: _Affine) -> tuple[dict[int, dict], list[np.ndarray]]:
    """New arguments (by call id) of the part's calls under ``affine``, and the world points they
    wrote; :class:`_Unmovable` (naming the call) if a call cannot be mapped."""
    mapper = _Mapper(affine)
    positions = _positions(program, part)
    mapper.profiles = _profile_factors(program, positions, mapper)
    changed = {}
    for position in positions:
        call = program.calls[position]
        mapper.call, mapper.function = position, call.function
        arguments = copy.deepcopy(call.arguments)
        try:
            _RULES[call.function](mapper, arguments, _defaults(call.function))
        except _Unmovable as err:
            raise _Unmovable(f"{call.function}() on line {call.line}: {err}") from None
        if arguments != call.arguments:
            changed[id(call)] = arguments
    return changed, mapper.seen


def _profile_factors(
    program: Program, positions: list[int], mapper: _Mapper
) -> dict[tuple[int, str], tuple[float, float, float]]:
    """For each profile the part makes, the factors along its own X, Y, Z that its consumer needs: a
    sweep scales its cross-section by one number, a lathe its radius (X) and its height (Y) apart."""
    inside = set(positions)
    out = {}
    for use in name_uses(program.calls):
        if use.call not in inside or use.keyword != "profile_name" or use.source is None:
            continue
        consumer = program.calls[use.call]
        if consumer.function in _SWEEPS:
            k = mapper.length(1.0, f"the profile {use.name!r} swept by {consumer.function}()")
            out[(use.source, use.name)] = (k, k, k)
        elif consumer.function in _LATHES:
            turn = _rotation(_value(consumer.arguments, _defaults(consumer.function), "rotation"))
            what = f"the lathe {consumer.function}() on line {consumer.line}"
            radial = mapper.plane(turn[:, 0], turn[:, 1], what)
            out[(use.source, use.name)] = (radial, mapper.along(turn[:, 2], what), 1.0)
    return out


# --------------------------------------------------------------------------------- per-function rules
# Each rule maps the arguments ``a`` of one call in place (``d``: the function's defaults), following
# what bpy_lib does with them; every catalogue function has one (tests check it).

_Rule = Callable[[_Mapper, dict, dict], None]
_RULES: dict[str, _Rule] = {}


def _rule(*functions: str) -> Callable[[_Rule], _Rule]:
    def register(rule: _Rule) -> _Rule:
        _RULES.update(dict.fromkeys(functions, rule))
        return rule

    return register


@_rule("delete_all", "get_faces", "delete_obj", "make_caps", "recalculate_normals", "weld")
@_rule("boolean_operation", "subsurf", "corrective_smooth", "zoom_upper_face")
def _follows(m: _Mapper, a: dict, d: dict) -> None:
    """Nothing positional: the result follows the objects acted on (zoom and smoothing are relative)."""


@_rule("create_primitive", "create_fork", "create_spoon")
def _scaled_object(m: _Mapper, a: dict, d: dict) -> None:
    """Placed by location, rotation and scale; everything else is in the object's scaled space."""
    _not_a_profile(m, a)
    turn = _rotation(_value(a, d, "rotation"), _value(a, d, "rotation_mode") or "QUATERNION")
    _map_point(m, a, d, "location")
    size = _value(a, d, "scale") or [1, 1, 1]
    _put(a, "scale", [float(v) for v in m.stretch(turn) * _xyz(size)], size)
    m.frames[a["name"]] = _WORLD if a.get("apply") else _Frame(turn, True)


@_rule("create_trapezoid_body")
def _trapezoid(m: _Mapper, a: dict, d: dict) -> None:
    """``size`` is [top_length (Y), top_width (Z), bottom_length (Y), bottom_width (Z), height (X)]."""
    _not_a_profile(m, a)
    turn = _rotation(_value(a, d, "rotation"), _value(a, d, "rotation_mode") or "QUATERNION")
    _map_point(m, a, d, "location")
    size = [float(v) for v in _value(a, d, "size")]
    if len(size) != 5:
        raise _Unmovable(f"size needs 5 numbers, got {size!r}")
    kx, ky, kz = m.stretch(turn)
    _put(a, "size", [size[0] * ky, size[1] * kz, size[2] * ky, size[3] * kz, size[4] * kx], size)
    m.frames[a["name"]] = _WORLD if a.get("apply") else _Frame(turn, False)


@_rule("create_circle", "create_polygon")
def _round_section(m: _Mapper, a: dict, d: dict) -> None:
    """A profile (radius), a ring path (placed; radius in world units) or loops placed by location,
    rotation and scale (one call may make several: per-loop lists, or one value for all)."""
    names = a["name"] if isinstance(a["name"], list) else [a["name"]]
    profiles = {m.profile(n) for n in names}
    if len(profiles) > 1:
        raise _Unmovable("some of its loops are profiles and some are not; give them separate calls")
    (profile,) = profiles
    if profile is not None:
        _resize(a, d, "radius", _same_in_plane(profile, "a round profile"))
        return
    if a.get("profile_name") is not None:
        turn = _rotation(_value(a, d, "rotation"))
        _map_point(m, a, d, "location")
        _resize(a, d, "radius", m.plane(turn[:, 0], turn[:, 1], "the ring"))
        _map_length(m, a, d, "thickness")
        m.frames[names[0]] = _Frame(turn, False)
        return
    if str(_value(a, d, "center")).upper() == "POINT":
        raise _Unmovable("center='POINT' puts the section at the world origin whatever its location")
    if _nonzero(_value(a, d, "bend_angle")):
        m.need_uniform("a bent section")
    n = len(names)
    turns = [_rotation(r) for r in _per_loop(_value(a, d, "rotation"), n, None)]
    locations = [m.point(p) for p in _per_loop(_value(a, d, "location"), n, [0, 0, 0])]
    sizes = [
        [float(v) for v in m.stretch(t) * _xyz(s)]
        for t, s in zip(turns, _per_loop(_value(a, d, "scale"), n, [1, 1, 1]))
    ]
    _put(a, "location", _collapse(locations, a.get("location")), _value(a, d, "location"))
    _put(a, "scale", _collapse(sizes, a.get("scale")), _value(a, d, "scale"))
    m.frames.update({name: _Frame(t, True) for name, t in zip(names, turns)})


@_rule("create_rectangle", "create_square")
def _rectangle(m: _Mapper, a: dict, d: dict) -> None:
    """Width along its own X and length along Y (turned by ``rotation_rad`` and placed by location and
    rotation); as a path, a frame swept by a profile."""
    square = "width" not in d
    spin = float(_value(a, d, "rotation_rad") or 0)
    profile = m.profile(a["name"])
    if profile is not None:
        kx, ky = _planar_profile(profile, spin, square)
    else:
        turn = _rotation(_value(a, d, "rotation"))
        axes = turn @ _spin(spin)
        _map_point(m, a, d, "location")
        kx, ky, _ = m.stretch(axes)
        if square:
            kx = m.plane(axes[:, 0], axes[:, 1], "the square")
        if a.get("profile_name") is not None:
            _map_length(m, a, d, "thickness")
            _map_length(m, a, d, "bevel_width")
        m.frames[a["name"]] = _Frame(turn, False)
    if not square:
        _resize(a, d, "width", kx)
    _resize(a, d, "length", kx if square else ky)


@_rule("create_oval", "create_star", "create_wave")
def _section_at_origin(m: _Mapper, a: dict, d: dict) -> None:
    """Sections without a location: they can only be resized, as profiles."""
    profile = m.profile(a["name"])
    if profile is None:
        raise _Unmovable("it has no location, so it can be moved only as a profile of a sweep or a lathe")
    if m.function == "create_star":
        k = _same_in_plane(profile, "a star profile")
        for key in ("outer_radius", "inner_radius"):
            _resize(a, d, key, k)
        return
    kx, ky = _planar_profile(profile, float(_value(a, d, "rotation_rad") or 0))
    x_key, y_key = ("a", "b") if m.function == "create_oval" else ("length", "altitude")
    _resize(a, d, x_key, kx)
    _resize(a, d, y_key, ky)


@_rule("create_arc_points")
def _arc_points(m: _Mapper, a: dict, d: dict) -> None:
    """An arc in the XY plane about ``location``."""
    profile = m.profile(a["name"])
    if profile is not None:
        _resize(a, d, "radius", _same_in_plane(profile, "an arc profile"))
        return
    _map_point(m, a, d, "location")
    _resize(a, d, "radius", m.plane(_IDENTITY[:, 0], _IDENTITY[:, 1], "the arc"))
    m.frames[a["name"]] = _WORLD


@_rule("create_curve", "create_quad", "create_arc_by_3Dpoints")
def _path(m: _Mapper, a: dict, d: dict) -> None:
    """Paths through control points (world points, or a profile's own coordinates when it is one);
    one call may make several (a list of names with a list of point lists)."""
    if a.get("control_points") is None:
        raise _Unmovable("it has no control_points")
    several = isinstance(a["name"], list)
    names = a["name"] if several else [a["name"]]
    point_lists = a["control_points"] if several else [a["control_points"]]
    if len(point_lists) != len(names):
        raise _Unmovable(f"{len(names)} names but {len(point_lists)} control point lists")
    mapped = []
    for name, points in zip(names, point_lists):
        profile = m.profile(name)
        if profile is not None:
            if m.function == "create_arc_by_3Dpoints":  # three points on a circle
                k = _same_in_plane(profile, "an arc profile")
                profile = (k, k, profile[2])
            mapped.append([[float(v) for v in _xyz(p) * profile] for p in points])
            continue
        if m.function == "create_arc_by_3Dpoints" and not m.uniform:
            _arc_plane(m, points)
        mapped.append([m.point(p) for p in points])
        m.frames[name] = _WORLD
    a["control_points"] = mapped if several else mapped[0]
    if a.get("profile_name") is not None:
        _map_length(m, a, d, "thickness")
        _map_length(m, a, d, "bevel_width")
        if not a.get("resolution") and a.get("use_minimum_face") is False:
            _map_length(m, a, d, "average_edge_length")


@_rule("create_spiral")
def _spiral(m: _Mapper, a: dict, d: dict) -> None:
    """A helix about its local Z, placed by location and rotation."""
    _not_a_profile(m, a)
    turn = _rotation(_value(a, d, "rotation"))
    _map_point(m, a, d, "location")
    _resize(a, d, "radius", m.plane(turn[:, 0], turn[:, 1], "the helix"))
    _resize(a, d, "dif_z", m.along(turn[:, 2], "the helix axis"))
    _map_length(m, a, d, "thickness")
    m.frames[a["name"]] = _WORLD


@_rule("bezier_rotation", "star_curve_rotation")
def _lathe(m: _Mapper, a: dict, d: dict) -> None:
    """Placed by location and rotation; the profile (mapped where it is made) gives the size."""
    turn = _rotation(_value(a, d, "rotation"))
    _map_point(m, a, d, "location")
    if "r_diff" in d:
        _resize(a, d, "r_diff", m.plane(turn[:, 0], turn[:, 1], "the lathe"))
    _map_length(m, a, d, "thickness")
    m.frames[a["name"]] = _Frame(turn, False)


@_rule("bridge_edge_loops")
def _bridge(m: _Mapper, a: dict, d: dict) -> None:
    """The sections carry the geometry; the surface is made in world coordinates."""
    m.frames.update({name: _WORLD for _, name in _strings(a["name"])})


@_rule("join_obj")
def _join(m: _Mapper, a: dict, d: dict) -> None:
    """The joined object keeps the transform of the last object listed."""
    members = [n for _, n in _strings(a.get("seq_name"))]
    m.frames[a["name"]] = m.frame(members[-1] if members else None)


@_rule("array_1d", "array_2d", "array_3d")
def _array(m: _Mapper, a: dict, d: dict) -> None:
    """Offsets and fit lengths are in the object's local space."""
    frame = m.frame(a["name"])
    for suffix in ("", "_1", "_2", "_3"):
        if a.get(f"offset_object{suffix}") is not None:
            raise _Unmovable(f"offset_object{suffix} places copies by another object; that is not modelled")
        if a.get(f"fit_curve{suffix}") is not None:
            m.need_uniform(f"fit_curve{suffix}")
        if frame.scaled:
            continue
        if a.get(f"constant_offset{suffix}") is not None:
            offset = a[f"constant_offset{suffix}"]
            a[f"constant_offset{suffix}"] = [float(v) for v in m.stretch(frame.rotation) * _xyz(offset)]
        _map_length(m, a, d, f"fit_length{suffix}")


@_rule("array_rotate")
def _array_rotate(m: _Mapper, a: dict, d: dict) -> None:
    """Copies turned about an axis through ``rotation_origin`` (the object's own Z when no
    ``rotation_axis``), rising ``z_offset`` per copy."""
    axis = a.get("rotation_axis")
    if axis is None:
        turn = m.frame(a["name"]).rotation
    elif isinstance(axis, list) and len(axis) == 3:
        turn = _rotation(axis, _value(a, d, "rotation_mode") or "XYZ")
    else:
        turn = _rotation(axis)
    _map_point(m, a, d, "rotation_origin")
    m.plane(turn[:, 0], turn[:, 1], "the radial array")
    rise = m.along(turn[:, 2], "the radial array's axis")
    _resize(a, d, "z_offset", rise)
    m.frames[a["name"]] = _WORLD


@_rule("bevel")
def _bevel(m: _Mapper, a: dict, d: dict) -> None:
    """The width is in the object's local space."""
    if not m.frame(a["name"]).scaled:
        _map_length(m, a, d, "width")


@_rule("solidify", "fill_grid", "curve2meshgrid")
def _thickened(m: _Mapper, a: dict, d: dict) -> None:
    """The thickness is in world units: rotation and scale are baked into the object first (by
    solidify always, by the panels when they thicken)."""
    _map_length(m, a, d, "thickness")
    if m.function == "solidify" or _nonzero(_value(a, d, "thickness")):
        m.frames.update({name: _WORLD for _, name in _strings(a["name"])})


@_rule("change_origin")
def _change_origin(m: _Mapper, a: dict, d: dict) -> None:
    _map_point(m, a, d, "location")


@_rule("add_simple_deform_modifier", "add_curve_modifier_to_object")
def _deform(m: _Mapper, a: dict, d: dict) -> None:
    """The deform frame is world-space; the deformation commutes with one factor only."""
    m.need_uniform("a deformation")
    _map_point(m, a, d, "origin")


# ------------------------------------------------------------------------------------ rule helpers


def _value(arguments: dict, defaults: dict, key: str) -> object:
    """The value a call uses for ``key``: as written, or the default."""
    return copy.deepcopy(arguments[key] if key in arguments else defaults.get(key))


def _put(arguments: dict, key: str, value: object, before: object) -> None:
    """Write ``value`` unless the keyword is absent and the value writes as ``before`` (its default)."""
    if key in arguments or _written(value, key) != _written(before, key):
        arguments[key] = value


def _written(value: object, key: str) -> str:
    """How ``value`` is written for ``key``, with integers as floats (so 0 and 0.0 compare equal)."""

    def floats(v: object) -> object:
        if isinstance(v, list | tuple):
            return [floats(x) for x in v]
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v

    return format_value(floats(value), _decimals(key))


def _map_point(m: _Mapper, a: dict, d: dict, key: str) -> None:
    before = _value(a, d, key)
    before = [0, 0, 0] if before is None else before  # None places at the origin
    _put(a, key, m.point(before), before)


def _resize(a: dict, d: dict, key: str, k: float) -> None:
    """Multiply a size (a number, or a list of them) by ``k``."""
    before = _value(a, d, key)
    _put(a, key, _times(before, k), before)


def _map_length(m: _Mapper, a: dict, d: dict, key: str) -> None:
    before = _value(a, d, key)
    if before is not None:
        _put(a, key, m.length(before, key), before)


def _not_a_profile(m: _Mapper, a: dict) -> None:
    if m.profile(a["name"]) is not None:
        raise _Unmovable("it is used as a profile, which only curves can be")


def _planar_profile(
    profile: tuple[float, float, float], spin: float, square: bool = False
) -> tuple[float, float]:
    """Factors along a profile section's own width and length when it is turned by ``spin`` (units of
    pi) in its plane: swapped by a quarter turn, refused for other turns unless they are equal."""
    kx, ky, _ = profile
    if math.isclose(kx, ky, rel_tol=1e-9):
        return kx, ky
    quarters = 2 * spin
    if square or abs(quarters - round(quarters)) > 1e-6:
        raise _Unmovable(
            f"its profile would need factors {kx:g} and {ky:g} along directions it is turned from"
        )
    return (kx, ky) if round(quarters) % 2 == 0 else (ky, kx)


def _same_in_plane(profile: tuple[float, float, float], what: str) -> float:
    kx, ky, _ = profile
    if not math.isclose(kx, ky, rel_tol=_ALIGNED_TOLERANCE):
        raise _Unmovable(f"{what} would need factors {kx:g} along its X and {ky:g} along its Y")
    return (kx + ky) / 2


def _arc_plane(m: _Mapper, points: list) -> None:
    """Refuse a factor that is not the same across the plane of an arc's three points."""
    p1, p2, p3 = (_xyz(p) for p in points)
    u, normal = p1 - p2, np.cross(p1 - p2, p1 - p3)
    if np.linalg.norm(normal) < 1e-12:
        return  # collinear: the program fails anyway
    u = u / np.linalg.norm(u)
    v = np.cross(normal, u)
    m.plane(u, v / np.linalg.norm(v), "the arc")


def _rotation(rotation: object, mode: str = "QUATERNION") -> np.ndarray:
    """Local-to-world 3x3 matrix of a written rotation, read as ``bpy_lib.objects`` reads it."""
    if rotation is None:
        return _IDENTITY
    try:
        values = np.asarray(rotation, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise _Unmovable(f"cannot read the rotation {rotation!r}") from None
    if str(mode).upper() == "QUATERNION":
        if values.shape != (4,):
            raise _Unmovable(f"a quaternion has 4 numbers, got {rotation!r}")
        if np.linalg.norm(values) < 1e-12:  # Blender makes the zero quaternion a half turn about X
            values = np.array([0.0, 1.0, 0.0, 0.0])
        return Rotation.from_quat(np.roll(values, -1)).as_matrix()  # scipy wants [x, y, z, w]
    if values.shape != (3,):
        raise _Unmovable(f"Euler angles are 3 numbers, got {rotation!r}")
    # A Blender Euler order names the axes in the order they turn, about fixed axes (scipy's lower
    # case), while its angles stay written (x, y, z); programs write them in units of pi.
    order = str(mode).lower()
    if sorted(order) != ["x", "y", "z"]:
        raise _Unmovable(f"unknown rotation_mode {mode!r}")
    return Rotation.from_euler(order, [values["xyz".index(axis)] * math.pi for axis in order]).as_matrix()


def _spin(turns: float) -> np.ndarray:
    """A turn about Z by ``turns`` (units of pi)."""
    return Rotation.from_euler("z", turns * math.pi).as_matrix()


def _xyz(p: object) -> np.ndarray:
    if not isinstance(p, list | tuple) or len(p) not in (2, 3):
        raise _Unmovable(f"expected a point [x, y, z], got {p!r}")
    return np.array([float(v) for v in p] + [0.0] * (3 - len(p)))


def _nested(value: object) -> bool:
    return isinstance(value, list | tuple) and bool(value) and isinstance(value[0], list | tuple)


def _times(value: object, k: float) -> object:
    if isinstance(value, list | tuple):
        return [_times(v, k) for v in value]
    return float(value) * k


def _nonzero(value: object) -> bool:
    return bool(np.any(np.asarray(value if value is not None else 0, dtype=float) != 0))


def _per_loop(value: object, n: int, default: object) -> list:
    """One value per loop of a list-form section call (one value serves all, as bpy_lib reads it)."""
    if value is None:
        return [default] * n
    if not _nested(value):
        return [value] * n
    if len(value) != n:
        raise _Unmovable(f"{n} loops but {len(value)} values")
    return list(value)


def _collapse(values: list, written: object) -> object:
    """Per-loop values in the form they were written in (one value when it was one)."""
    return values if _nested(written) or any(v != values[0] for v in values) else values[0]


def _decimals(keyword: str) -> int:
    return ARGUMENT_DECIMALS.get(keyword, 2)


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
    text = Program(
        program.source, program.object_name, parts, loose + [c for p in parts for c in p.calls]
    ).to_text()
    return parse(text)
