"""Bridge loops: a surface through a series of sections (Blender's Bridge Edge Loops).

The published library joined the sections into one object and ran the edit-mode operator on it. The
surface is built here at the data level as that operator builds it: the sections are read in the
joined object's local space and put in the operator's order, ``bridge_loops`` joins each pair of
neighbours, then ``subdivide_edgering`` adds the cuts with the chosen interpolation and profile.
Runs inside Blender only.
"""

from __future__ import annotations

import itertools

import bmesh
import numpy as np
from mathutils import Matrix

from meshcoder.shapes.bpy_lib import objects
from meshcoder.shapes.bpy_lib.objects import ProgramRuntimeError

__all__ = ["bridge_edge_loops"]

INTERPOLATIONS = ("LINEAR", "PATH", "SURFACE")
PROFILE_SHAPES = ("SMOOTH", "SPHERE", "ROOT", "INVERSE_SQUARE", "SHARP", "LINEAR")
FILL_CAPS = ("none", "start", "end", "both")
DEFAULT_CUTS = 32


def bridge_edge_loops(
    name: str | list[str],
    profile_name: list[str] | list[list[str]],
    number_cuts: int | list | None = None,
    smoothness: float | list[float] = 0.0,
    profile_shape_factor: float | list[float] = 0.0,
    twist: int | list[int] = 0,
    interpolation: str | list[str] = "PATH",
    profile_shape: str | list[str] = "SMOOTH",
    flip_normals: bool | list[bool] = False,
    fill_caps: str | list[str] = "none",
):
    """A surface through the sections ``profile_name`` (two or more), named ``name``.

    Every section is a curve (or wire mesh); all are closed loops or all open chains, normally with
    the same number of vertices (where counts differ, Blender's bridge still joins them, with
    triangles where the longer loop has extra vertices; published programs rely on it). As in the
    published library, the sections are joined into the first section's object (the last one's when
    the first has a zero scale): the surface is built in that object's local space and the result
    keeps its location, rotation and scale, which later local-space edits (welds, bevels) see.

    Two sections are bridged in the order given. Three or more are bridged in Blender's order, not
    the list's: from the section whose centre lies farthest from the mean of all centres, on to the
    nearest remaining one each time. Neighbours are joined by ``number_cuts`` rows of faces (None
    means 32), placed by ``interpolation`` ('LINEAR', 'PATH', 'SURFACE') and bent by
    ``smoothness``, ``profile_shape`` ('SMOOTH', 'SPHERE', 'ROOT', 'INVERSE_SQUARE', 'SHARP',
    'LINEAR') and ``profile_shape_factor``; ``twist`` turns the pairing of loop vertices.
    ``fill_caps`` ('none', 'start', 'end', 'both') closes the first and/or last section of that
    order with an n-gon before bridging (closed loops only). The faces are then made consistent and
    outward, and all reversed with ``flip_normals``.

    With a list of names and a list of section lists, one call builds several surfaces, and every
    other argument may be a list with one value per surface (a single value serves all). Sections
    stay available to every surface of the call and are deleted when the call ends.
    """
    if isinstance(name, (list, tuple)):
        names = [str(n) for n in name]
        if not objects.is_nested(profile_name) or len(profile_name) != len(names):
            raise ProgramRuntimeError(
                f"bridge_edge_loops: {len(names)} names need as many section lists in profile_name, "
                f"got {profile_name!r}"
            )
        section_lists = [list(p) for p in profile_name]
    else:
        names = [str(name)]
        if isinstance(profile_name, str) or objects.is_nested(profile_name):
            raise ProgramRuntimeError(
                "bridge_edge_loops: profile_name must be a list of section names, e.g. "
                f"['circle_1', 'circle_2'], got {profile_name!r}"
            )
        section_lists = [list(profile_name)]
    n = len(names)
    per_surface = {
        key: _per_surface(key, value, n)
        for key, value in dict(
            number_cuts=number_cuts,
            smoothness=smoothness,
            profile_shape_factor=profile_shape_factor,
            twist=twist,
            interpolation=interpolation,
            profile_shape=profile_shape,
            flip_normals=flip_normals,
            fill_caps=fill_caps,
        ).items()
    }

    # Read every section first: a section may serve several surfaces of this call.
    loops: dict[str, tuple[np.ndarray, bool]] = {}
    matrices: dict[str, Matrix] = {}
    for section in itertools.chain.from_iterable(section_lists):
        if section not in loops:
            loops[section] = _read_section(section)
            matrices[section] = objects.get_object(section).matrix_world.copy()

    surfaces = []
    try:
        for i, (surface_name, sections) in enumerate(zip(names, section_lists)):
            options = {key: values[i] for key, values in per_surface.items()}
            first, host = _host([matrices[s] for s in sections])
            joined = [first] + [k for k in range(len(sections)) if k != first]
            local = [_to_local(loops[s], host) for s in sections]
            bm = _bridge(surface_name, local, joined, sections, **options)
            surfaces.append((surface_name, bm, host))
    except Exception:
        for _, bm, _ in surfaces:
            bm.free()
        raise

    for section in loops:
        obj = objects.get_object(section)
        objects.remove_object(obj)
    results = []
    for surface_name, bm, host in surfaces:
        obj = objects.new_mesh_object(surface_name, bm)
        obj.matrix_basis = host
        results.append(obj)
    objects.update()
    return results[0] if len(results) == 1 else results


# ------------------------------------------------------------------------------------- internals


def _per_surface(key: str, value, n: int) -> list:
    """One value per surface: a list of ``n`` values, or one value for all."""
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ProgramRuntimeError(
                f"bridge_edge_loops: {key} has {len(value)} values for {n} surfaces; give one value "
                "per surface or a single value"
            )
        return list(value)
    return [value] * n


def _read_section(section: str) -> tuple[np.ndarray, bool]:
    """The section's points in world space and whether it is a closed loop."""
    chains = objects.curve_polylines(objects.get_object(section), world=True)
    if len(chains) != 1:
        raise ProgramRuntimeError(
            f"bridge_edge_loops: section {section!r} must be one loop or chain of vertices, "
            f"found {len(chains)}"
        )
    points, cyclic = chains[0]
    if cyclic and len(points) < 3:
        raise ProgramRuntimeError(
            f"bridge_edge_loops: section {section!r} is a loop of only {len(points)} vertices"
        )
    return points, cyclic


def _host(matrices: list[Matrix]) -> tuple[int, Matrix]:
    """Which section's object the sections are joined into, and its transform: the first section,
    or the last when the first has a zero scale (world space when both have)."""
    for index in (0, len(matrices) - 1):
        if min(abs(s) for s in matrices[index].to_scale()) > 1e-12:
            return index, matrices[index].copy()
    return 0, Matrix.Identity(4)


def _to_local(loop: tuple[np.ndarray, bool], host: Matrix) -> tuple[np.ndarray, bool]:
    """A section's world points in the local space of the object with transform ``host``."""
    points, cyclic = loop
    inverse = np.array(host.inverted_safe(), dtype=np.float64)
    return points @ inverse[:3, :3].T + inverse[:3, 3], cyclic


def _loop_centre(points: np.ndarray) -> np.ndarray:
    """Blender's centre of an edge loop: each vertex weighted by the length of its two edges, the
    chain taken as cyclic (as Blender does for open chains too)."""
    lengths = np.linalg.norm(np.roll(points, -1, axis=0) - points, axis=1)  # edge i -> i + 1
    weights = lengths + np.roll(lengths, 1)
    total = weights.sum()
    return (weights @ points) / total if total > 0 else points.mean(axis=0)


def _blender_order(loops: list[tuple[np.ndarray, bool]], joined: list[int]) -> list[int]:
    """The order in which Blender bridges three or more loops: start at the loop whose centre is
    farthest from the mean centre, then take the nearest remaining loop each time.

    ``joined`` is the order of the loops in the joined mesh (the host section first); ties go to the
    earlier loop in it, as Blender keeps the first best one it meets.
    """
    if len(loops) < 3:
        return list(range(len(loops)))
    centres = {i: _loop_centre(loops[i][0]) for i in joined}
    mean = np.mean(list(centres.values()), axis=0)

    def distance(i: int, to: np.ndarray) -> float:
        # Rounded so that symmetric layouts tie exactly instead of by float noise.
        return round(float(np.sum((centres[i] - to) ** 2)), 12)

    remaining = list(joined)
    order = [max(remaining, key=lambda i: (distance(i, mean), -remaining.index(i)))]
    remaining.remove(order[0])
    while remaining:
        last = centres[order[-1]]
        order.append(min(remaining, key=lambda i: (distance(i, last), remaining.index(i))))
        remaining.remove(order[-1])
    return order


def _bridge(
    surface_name: str,
    loops: list[tuple[np.ndarray, bool]],
    joined: list[int],
    sections: list[str],
    number_cuts,
    smoothness,
    profile_shape_factor,
    twist,
    interpolation,
    profile_shape,
    flip_normals,
    fill_caps,
) -> bmesh.types.BMesh:
    where = f"bridge_edge_loops({surface_name!r})"
    if len(loops) < 2:
        raise ProgramRuntimeError(f"{where}: needs at least two sections, got {sections!r}")
    closed = {cyclic for _, cyclic in loops}
    if len(closed) != 1:
        kinds = ", ".join(f"{s!r}: {'closed' if c else 'open'}" for s, (_, c) in zip(sections, loops))
        raise ProgramRuntimeError(f"{where}: cannot bridge closed loops with open chains ({kinds})")
    is_closed = closed.pop()
    interpolation = str(interpolation).upper()
    profile_shape = str(profile_shape).upper()
    fill_caps = str(fill_caps).lower()
    if interpolation not in INTERPOLATIONS:
        raise ProgramRuntimeError(
            f"{where}: interpolation must be one of {INTERPOLATIONS}, got {interpolation!r}"
        )
    if profile_shape not in PROFILE_SHAPES:
        raise ProgramRuntimeError(
            f"{where}: profile_shape must be one of {PROFILE_SHAPES}, got {profile_shape!r}"
        )
    if fill_caps not in FILL_CAPS:
        raise ProgramRuntimeError(f"{where}: fill_caps must be one of {FILL_CAPS}, got {fill_caps!r}")
    cuts = DEFAULT_CUTS if number_cuts is None else int(number_cuts)
    if cuts < 0:
        raise ProgramRuntimeError(f"{where}: number_cuts must be >= 0, got {number_cuts}")

    order = _blender_order(loops, joined)
    bm = bmesh.new()
    rings = []  # (verts, edges) of each section, in bridging order
    for points, _ in (loops[k] for k in order):
        verts = [bm.verts.new(p) for p in points]
        pairs = list(zip(verts, verts[1:] + verts[:1])) if is_closed else list(itertools.pairwise(verts))
        rings.append((verts, [bm.edges.new(pair) for pair in pairs]))

    # The published library capped the joined sections before bridging them.
    if is_closed and fill_caps != "none":
        ends = {"start": [rings[0]], "end": [rings[-1]], "both": [rings[0], rings[-1]]}[fill_caps]
        for verts, _ in ends:
            bm.faces.new(verts)
    bm.normal_update()

    bridge_edges = []
    for (_, edges_a), (_, edges_b) in itertools.pairwise(rings):
        try:
            out = bmesh.ops.bridge_loops(bm, edges=edges_a + edges_b, twist_offset=int(twist))
        except RuntimeError as err:
            bm.free()
            raise ProgramRuntimeError(f"{where}: Blender could not bridge {sections!r}: {err}") from err
        bridge_edges.extend(out["edges"])
    bm.normal_update()
    if cuts > 0:
        bmesh.ops.subdivide_edgering(
            bm,
            edges=bridge_edges,
            interp_mode=interpolation,
            smooth=float(smoothness),
            cuts=cuts,
            profile_shape=profile_shape,
            profile_shape_factor=float(profile_shape_factor),
        )

    bmesh.ops.recalc_face_normals(bm, faces=bm.faces[:])
    if flip_normals:
        bmesh.ops.reverse_faces(bm, faces=bm.faces[:])
    bm.normal_update()
    return bm
