"""Sweeps behave as the original API's published programs need (spec section 3b, items 1, 2, 3, 5, 6).

Each test pins, by numbers, one thing the original library did that a plain reading of section 3 gets
wrong: the default path resolution, the handle codes, the order in which a sweep is finished, the
winding and shell of the section sweeps, where a three-point arc starts and which arc it takes, and
how many points a spiral has.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.blender

RING = 32  # vertices of the default circle profile
STRAIGHT = "control_points=[[0, 0, 0], [1.5, 0, 0]], handle_type=[1, 1, 1, 1]"


def _ok(result):
    assert result.ok, result.reason
    return result


def _part(run, body: str, name: str):
    result = _ok(run(body))
    assert name in result.parts, sorted(result.parts)
    return result.parts[name]


def _boundary_edges(mesh) -> np.ndarray:
    edges = np.sort(
        np.concatenate([mesh.faces[:, [0, 1]], mesh.faces[:, [1, 2]], mesh.faces[:, [2, 0]]]), axis=1
    )
    unique, counts = np.unique(edges, axis=0, return_counts=True)
    return unique[counts == 1]


def _face_normals(mesh) -> tuple[np.ndarray, np.ndarray]:
    """Unit normals and centres of the triangles."""
    tri = mesh.vertices[mesh.faces]
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    return normals / np.linalg.norm(normals, axis=1, keepdims=True), tri.mean(axis=1)


def _blender_report(body: str, expression: str) -> object:
    """Run ``body`` with the library in a Blender subprocess and return ``expression`` (JSON-able)."""
    script = (
        "import json, bpy\n"
        "from meshcoder.shapes.bpy_lib import *\n"
        "delete_all()\n"
        f"{body}\n"
        f"print('RESULT' + json.dumps({expression}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(next(line for line in out.stdout.splitlines() if line.startswith("RESULT"))[6:])


# ------------------------------------------------------------- 1. create_curve resolution and codes


def test_bare_curve_defaults_to_12_segments_per_span_and_a_swept_one_to_24(run):
    # The bare loop (4 AUTO spans) is the profile: its ring has 4 * 12 points, not 4 * 24.
    mesh = _part(
        run,
        "create_curve(name='loop', control_points=[[0.1, 0, 0], [0, 0.1, 0], [-0.1, 0, 0], [0, -0.1, 0]], "
        "handle_type=[0, 0, 0, 0, 0, 0, 0, 0], closed=True)\n"
        "create_curve(name='rod', profile_name='loop', control_points=[[0, 0, 0], [1, 1, 0], [2, 0, 0]], "
        "handle_type=[0, 0, 0, 0, 0, 0])",
        "rod",
    )
    assert len(mesh.vertices) == (2 * 24 + 1) * (4 * 12)


def test_handle_codes_beyond_two_per_point_are_ignored(run):
    # Three points need six codes; two more are ignored.
    mesh = _part(
        run,
        "create_circle(name='profile', radius=0.05)\n"
        "create_curve(name='tube', profile_name='profile', control_points=[[0, 0, 0], [1, 0, 0], [1, 1, 0]], "
        "handle_type=[1, 1, 1, 1, 1, 1, 1, 1])",
        "tube",
    )
    assert len(mesh.vertices) == 3 * RING  # three sharp corners, one ring each
    np.testing.assert_allclose(mesh.bounds[:, :2], [[0.0, -0.05], [1.05, 1.0]], atol=1e-3)


def test_free_codes_beyond_the_points_still_take_control_points(run):
    # Five entries with two 3s make three points; the 3s come after the six codes those points use,
    # so the two last entries are left over, not handles: the path ends at [1, 1, 0].
    mesh = _part(
        run,
        "create_circle(name='profile', radius=0.05)\n"
        "create_curve(name='tube', profile_name='profile', control_points=[[0, 0, 0], [1, 0, 0], [1, 1, 0], "
        "[9, 9, 9], [8, 8, 8]], handle_type=[1, 1, 1, 1, 1, 1, 3, 3])",
        "tube",
    )
    assert len(mesh.vertices) == 3 * RING
    assert mesh.bounds[1].max() < 1.1


def test_too_few_handle_codes_is_a_clear_error(run):
    result = run(
        "create_curve(name='c', control_points=[[0, 0, 0], [1, 0, 0], [2, 0, 0]], handle_type=[1, 1, 1, 1])"
    )
    assert not result.ok and result.status.value == "runtime_error"
    assert "handle_type" in result.error and "need 6" in result.error and result.line is not None


# --------------------------------------------------------------------- 2. how a create_curve is finished


def _raw_frustum_centre(x0: float, length: float, r0: float, r1: float) -> float:
    """Blender's centre of volume (signed tetrahedra from the vertex median) of the raw sweep of a
    circle along a straight path: sides wound inward as the curve bevel makes them, both caps outward
    with vertices of their own (so the median is the middle of the path)."""
    pivot = x0 + length / 2
    area = np.pi * np.polynomial.Polynomial([r0, (r1 - r0) / length]) ** 2  # of u = x - x0
    volume = area.integ()(length)
    moment = (np.polynomial.Polynomial([x0, 1.0]) * area).integ()(length)
    a0, a1 = np.pi * r0**2, np.pi * r1**2
    # Each cap's cone from the pivot: volume A h / 3, centroid 3/4 of the way to the cap.
    cones = a0 * (length / 2) / 3, a1 * (length / 2) / 3
    cone_moments = cones[0] * (pivot - 0.75 * length / 2), cones[1] * (pivot + 0.75 * length / 2)
    # Closed outward = sides + caps; raw = -sides + caps = -closed + 2 caps.
    return (-moment + 2 * sum(cone_moments)) / (-volume + 2 * sum(cones))


def test_centre_of_volume_is_measured_on_the_raw_sweep():
    where = _blender_report(
        "create_circle(name='p', radius=0.1)\n"
        "create_curve(name='taper', profile_name='p', control_points=[[1, 0, 0], [3, 0, 0]], "
        "handle_type=[1, 1, 1, 1], points_radius=[1.0, 0.5], fill_caps='both')",
        "list(bpy.data.objects['taper'].location)",
    )
    expected = _raw_frustum_centre(1.0, 2.0, 0.1, 0.05)
    assert expected == pytest.approx(2.375, abs=1e-6)  # the solid's own centroid is at x = 1.786
    np.testing.assert_allclose(where, [expected, 0.0, 0.0], atol=1e-4)


def test_solidify_comes_before_the_weld_so_blender_caps_are_shells_of_their_own(run):
    mesh = _part(
        run,
        f"create_circle(name='profile', radius=0.1)\n"
        f"create_curve(name='tube', profile_name='profile', {STRAIGHT}, fill_caps='both', thickness=0.02)",
        "tube",
    )
    # Welded at the outer surface only: the tube's inner layer and each cap's inner layer stay apart.
    assert len(mesh.vertices) == 3 * 2 * RING
    inner = mesh.vertices[np.linalg.norm(mesh.vertices[:, 1:], axis=1) < 0.09]
    np.testing.assert_allclose(np.linalg.norm(inner[:, 1:], axis=1), 0.08, rtol=1e-3)
    capped = mesh.vertices[np.isclose(mesh.vertices[:, 0], 0.02) | np.isclose(mesh.vertices[:, 0], 1.48)]
    assert len(capped) == 2 * RING


def test_caps_come_before_the_normals_which_point_outward_or_inward(run):
    body = f"create_circle(name='profile', radius=0.1)\ncreate_curve(name='tube', profile_name='profile', {STRAIGHT}"
    out = _part(run, body + ", fill_caps='start')", "tube")
    inward = _part(run, body + ", fill_caps='start', flip_normals=True)", "tube")
    normals, centres = _face_normals(out)
    cap = np.isclose(centres[:, 0], 0.0)
    np.testing.assert_allclose(normals[cap], [[-1, 0, 0]] * int(cap.sum()), atol=1e-6)
    side = ~cap
    radial = centres[side, 1:] / np.linalg.norm(centres[side, 1:], axis=1, keepdims=True)
    assert np.all(np.einsum("ij,ij->i", normals[side, 1:], radial) > 0.9)
    np.testing.assert_allclose(_face_normals(inward)[0], -normals, atol=1e-6)


# ----------------------------------------------------------------------------- 3. section sweeps


def test_section_sweeps_keep_the_curve_bevel_winding_and_always_solidify(run):
    ring = _part(
        run,
        "create_circle(name='tube_profile', radius=0.1)\n"
        "create_circle(name='ring', profile_name='tube_profile', radius=1.0)",
        "ring",
    )
    # 96 segments around x 32: two coincident layers, wound against each other.
    assert len(ring.vertices) == 2 * 96 * RING
    assert abs(ring.volume) < 1e-9
    np.testing.assert_allclose(ring.extents, [2.2, 2.2, 0.2], atol=2e-3)
    assert len(_boundary_edges(ring)) == 0


@pytest.mark.parametrize(
    ("section", "grown"),
    [
        # A counter-clockwise circle profile: the bevel faces inward, so the shell grows outward.
        ("create_circle(name='ring', profile_name='wire', radius=1.0, thickness=0.02)", 0.02),
        ("create_polygon(name='ring', profile_name='wire', sides=3, radius=1.0, thickness=0.02)", 0.02),
        # A clockwise rectangle profile: the bevel faces outward, so the shell grows inward.
        ("create_rectangle(name='ring', profile_name='bar', width=2.0, length=1.0, thickness=0.02)", 0.0),
    ],
)
def test_which_side_a_section_shell_grows_on(run, section, grown):
    body = (
        "create_circle(name='wire', radius=0.1)\ncreate_rectangle(name='bar', width=0.2, length=0.2)\n"
        + section
    )
    mesh = _part(run, body, "ring")
    assert mesh.extents[2] == pytest.approx(0.2 + 2 * grown, abs=1e-4)
    assert mesh.volume > 0  # the shell's outer layer faces outward either way


def test_lamp_shade_band_shell_grows_outward(run):
    # A slanted open line swept around a ring stood upright: a band 0.3 across at the top and 0.4 at
    # the bottom. The bevel faces it inward, so the 1 cm shell grows outward, along the band's normal.
    mesh = _part(
        run,
        "create_curve(name='shade_profile', control_points=[[0.0, -0.1, 0], [0.1, 0.1, 0]], "
        "handle_type=[1, 1, 1, 1])\n"
        "create_circle(name='lamp shade_1', profile_name='shade_profile', radius=0.3, "
        "rotation=[0.71, 0.71, 0, 0], thickness=0.01)",
        "lamp shade_1",
    )
    assert len(mesh.vertices) == 2 * 2 * 96
    radial = 0.01 * 2 / math.sqrt(5)  # the band's normal is (2, 1) / sqrt(5) in (radius, height)
    np.testing.assert_allclose(mesh.extents[[0, 2]], 2 * (0.4 + radial), atol=1e-3)
    top = mesh.vertices[mesh.vertices[:, 1] > 0.099]
    assert np.linalg.norm(top[:, [0, 2]], axis=1).min() == pytest.approx(0.3, abs=1e-3)


def test_three_point_arc_keeps_bevel_winding_no_weld_and_a_zero_thickness_adds_nothing(run):
    arc = _part(
        run,
        "create_circle(name='profile', radius=0.01)\n"
        "create_arc_by_3Dpoints(name='arc', profile_name='profile', control_points=[[1, 0, 0], [0, 1, 0], "
        "[-1, 0, 0]], fill_caps='both', thickness=0.0)",
        "arc",
    )
    # 2 spans of 12 segments: 25 rings, and Blender's two caps with vertices of their own.
    assert len(arc.vertices) == 25 * RING + 2 * RING
    assert len(_boundary_edges(arc)) == 4 * RING
    normals, centres = _face_normals(arc)
    cap = (np.abs(normals[:, 1]) > 0.999) & (np.abs(centres[:, 1]) < 1e-9)
    assert cap.sum() > 0
    on_path = np.zeros_like(centres)
    on_path[:, :2] = centres[:, :2] / np.linalg.norm(centres[:, :2], axis=1, keepdims=True)
    away = np.einsum("ij,ij->i", normals, centres - on_path)
    assert np.all(away[~cap] < 0)  # the side faces point at the path
    # the caps point out of the tube's ends (-y), as the bevel made them
    np.testing.assert_allclose(normals[cap, 1], -1.0, atol=1e-6)


# ------------------------------------------------------------------------------ 5. three-point arcs


def _arc(run, points, **extra) -> object:
    more = "".join(f", {k}={v!r}" for k, v in extra.items())
    return _part(
        run,
        "create_circle(name='profile', radius=0.01)\n"
        f"create_arc_by_3Dpoints(name='arc', profile_name='profile', control_points={points}{more})",
        "arc",
    )


def test_arc_through_three_points_starts_at_p3(run):
    # p1 -> p2 -> p3 runs counter-clockwise about +z, i.e. clockwise about the frame's Z = -z: the arc
    # runs from p3 back to p1. The start is where fill_caps='start' closes and points_radius[0] applies.
    mesh = _arc(run, [[1, 0, 0], [0, 1, 0], [-1, 0, 0]], points_radius=[1.0, 3.0], fill_caps="start")
    v = mesh.vertices
    near_p3 = np.linalg.norm(v - [-1, 0, 0], axis=1)
    near_p1 = np.linalg.norm(v - [1, 0, 0], axis=1)
    assert near_p3[near_p3 < 0.02].max() == pytest.approx(0.01, rel=1e-3)  # radius 1 at the start
    assert near_p1[near_p1 < 0.05].max() == pytest.approx(0.03, rel=1e-3)  # radius 3 at the end
    # the start cap closes the p3 end; the open boundary is the ring at p1
    open_ring = np.unique(_boundary_edges(mesh))
    assert len(open_ring) == RING
    np.testing.assert_allclose(near_p1[open_ring], 0.03, rtol=1e-3)


def test_arc_may_be_the_other_arc_which_misses_p2(run):
    # p1 at 0 degrees, p2 at 10, p3 at 300 on the unit circle: the frame's angles put p1 at 275 and
    # p3 at 335, so the arc is the 60 degrees from p1 down to p3, one span, and p2 is not on it.
    p2 = [math.cos(math.radians(10)), math.sin(math.radians(10)), 0.0]
    p3 = [0.5, -math.sqrt(3) / 2, 0.0]
    mesh = _arc(run, [[1.0, 0.0, 0.0], p2, p3])
    assert len(mesh.vertices) == (12 + 1) * RING
    angles = np.degrees(np.arctan2(mesh.vertices[:, 1], mesh.vertices[:, 0]))
    assert angles.min() == pytest.approx(-60.0, abs=0.7)
    assert angles.max() == pytest.approx(0.0, abs=0.7)
    assert np.linalg.norm(mesh.vertices - p2, axis=1).min() > 0.1


def test_arc_over_90_degrees_has_ceil_sweep_over_90_spans(run):
    # 200 degrees: 3 equal spans of 12 segments.
    p3 = [math.cos(math.radians(200)), math.sin(math.radians(200)), 0.0]
    mesh = _arc(run, [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], p3])
    assert len(mesh.vertices) == (3 * 12 + 1) * RING
    np.testing.assert_allclose(np.linalg.norm(mesh.vertices[:, :2], axis=1).max(), 1.01, atol=1e-3)


def test_closed_arc_closes_through_handles_at_the_origin(run):
    # The semicircle about (1, 1, 0) from (0, 1) to (2, 1) closes with the span whose two inner
    # handles sit at the origin: its midpoint is (start + end) / 8 = (0.25, 0.25, 0).
    mesh = _arc(run, [[2, 1, 0], [1, 2, 0], [0, 1, 0]], closed=True)
    assert len(mesh.vertices) == 3 * 12 * RING
    ring = mesh.vertices[np.linalg.norm(mesh.vertices - [0.25, 0.25, 0.0], axis=1) < 0.0101]
    assert len(ring) == RING
    np.testing.assert_allclose(ring.mean(axis=0), [0.25, 0.25, 0.0], atol=1e-4)


# ---------------------------------------------------------------------------------------- 6. spirals


def _spiral(run, **args) -> object:
    more = ", ".join(f"{k}={v!r}" for k, v in args.items())
    return _part(
        run,
        f"create_circle(name='wire', radius=0.01)\ncreate_spiral(name='spring', profile_name='wire', {more})",
        "spring",
    )


def test_five_turn_spiral_has_62_points_and_rises_61_59_of_its_height(run):
    mesh = _spiral(run, dif_z=0.2, radius=0.5, turns=5)
    assert len(mesh.vertices) == (61 * 8 + 1) * RING  # 62 points, 8 segments per span
    assert mesh.extents[2] == pytest.approx(0.2 * 5 * 61 / 59 + 2 * 0.01, abs=1e-3)


def test_quarter_turn_spiral_overshoots_by_one_step(run):
    # S = 3 planned points: angles 0, 30, 60, 90 pass the check, so 5 points reach 120 degrees,
    # each rising 0.4 * 0.25 / 2.
    mesh = _spiral(run, dif_z=0.4, radius=0.5, turns=0.25)
    assert len(mesh.vertices) == (4 * 8 + 1) * RING
    assert mesh.extents[2] == pytest.approx(4 * 0.05 + 2 * 0.01, abs=1e-3)
    # x runs from r to r cos(120 deg) = -0.25, plus at most the wire on each side
    assert 0.75 < mesh.extents[0] < 0.75 + 0.02


def test_spiral_flip_normals_has_no_effect(run):
    plain = _spiral(run, dif_z=0.2, radius=0.5, turns=2, fill_caps="start")
    flipped = _spiral(run, dif_z=0.2, radius=0.5, turns=2, fill_caps="start", flip_normals=True)
    np.testing.assert_array_equal(flipped.faces, plain.faces)
    np.testing.assert_allclose(flipped.vertices, plain.vertices, atol=1e-9)
    normals, centres = _face_normals(plain)
    # Outward: on the wire's outer half its faces point away from the helix axis. The origin is the
    # centre of volume, so the axis is found by fitting a circle to the vertices.
    xy = plain.vertices[:, :2]
    fit = np.linalg.lstsq(np.c_[2 * xy, np.ones(len(xy))], (xy**2).sum(axis=1), rcond=None)[0]
    from_axis = centres[:, :2] - fit[:2]
    outer = np.linalg.norm(from_axis, axis=1) > 0.505
    assert outer.sum() > len(centres) // 4
    assert np.all(np.einsum("ij,ij->i", normals[outer, :2], from_axis[outer]) > 0)
