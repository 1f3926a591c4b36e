"""The rules behind structured editing (:mod:`meshcoder.shapes.editing`): what each catalogue
function's keywords mean to an edit, and the engine that moves and resizes a part's calls.

What lives here:

* Object names: which keywords name objects (``NAME_KEYWORDS``), which functions make the object
  they name (``CREATING_FUNCTIONS``), and :func:`name_uses`, which resolves every name a program writes
  to the call that made its object. Renaming, renumbering and the checks built on them are edits and
  live in :mod:`~meshcoder.shapes.editing`.
* The mapping engine (``_Affine``, ``_Frame``, ``_Mapper``, ``_mapped``): it maps the keyword values of
  one part's calls, call by call, under one affine map ``p -> factor * p + offset``, tracking each
  object's local frame and which objects are profiles (which a sweep or a lathe reads in their own
  plane).
* The per-function rules (``_RULES``, one per catalogue function; a test checks none is missing): what
  ``translate`` and ``scale`` change in each function's keywords, following what ``bpy_lib`` does with
  them. A call that cannot be mapped raises ``_Unmovable`` with the reason; the edit that asked turns it
  into an :class:`~meshcoder.shapes.editing.EditError` naming the part.

Nothing here imports :mod:`~meshcoder.shapes.editing`; it imports this module.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy.spatial.transform import Rotation

from meshcoder.shapes.calls import ARGUMENT_DECIMALS, Call, format_value
from meshcoder.shapes.catalogue import catalogue

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

if TYPE_CHECKING:  # the parser imports this module; at run time a program brings its own class
    from meshcoder.shapes.program import Program
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


# ------------------------------------------------------------------------------ catalogue facts


def _defaults(function: str) -> dict[str, object]:
    return {p.name: p.default for p in catalogue()[function].parameters}


def _decimals(keyword: str) -> int:
    return ARGUMENT_DECIMALS.get(keyword, 2)


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


def _mapped(
    program: Program, positions: list[int], affine: _Affine
) -> tuple[dict[int, dict], list[np.ndarray]]:
    """New arguments (by call id) of one part's calls (their ``positions`` in the program) under
    ``affine``, and the world points they wrote; :class:`_Unmovable` (naming the call) if a call
    cannot be mapped."""
    mapper = _Mapper(affine)
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
    # The lathe is always solidified with its rotation applied first (spec 3b item 4), so the
    # object's local axes are the world's.
    m.frames[a["name"]] = _WORLD


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
