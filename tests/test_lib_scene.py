"""Scene functions: delete_all, get_faces, change_origin, normals, caps, weld, delete_obj, join_obj."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.blender

# An open octagonal tube of height 2 and apothem 1: one upright quad arrayed round Z, then welded.
HALF_SIDE = math.tan(math.pi / 8)
TUBE = (
    f"create_primitive(name='tube', primitive_type='grid', x_subdivisions=1, y_subdivisions=1, "
    f"location=[0, -1, 0], scale=[{HALF_SIDE:.10f}, 1, 1], rotation=[0.5, 0, 0], rotation_mode='XYZ', "
    f"apply=True)\n"
    "array_rotate(name='tube', count=8, rotation_angle=0.25)\n"
    "weld(name='tube')\n"
)
OCTAGON_PRISM_VOLUME = 2 * 8 * HALF_SIDE  # height 2 times the octagon's area 8 a^2 tan(pi/8)


def _ok(result):
    assert result.ok, result.reason
    return result


def test_delete_all_clears_earlier_objects(run):
    result = _ok(
        run(
            "create_primitive(name='old', primitive_type='cube')\n"
            "delete_all()\n"
            "create_primitive(name='new', primitive_type='cone')"
        )
    )
    assert set(result.parts) == {"new"}


def test_get_faces_joins_every_mesh_in_world_space():
    script = (
        "import json, bpy\n"
        "from meshcoder.shapes.bpy_lib import *\n"
        "delete_all()\n"
        "create_primitive('a', 'cube', location=[1, 0, 0], scale=[1, 2, 3])\n"
        "create_primitive('b', 'uv_sphere', location=[0, 0, 5])\n"
        "create_primitive('c', 'cube', apply=False)\n"
        "array_1d('c', count=3, constant_offset=[0, 0, -3], apply=False)\n"
        "v, f = get_faces()\n"
        "print('RESULT' + json.dumps({'shape': [list(v.shape), list(f.shape)], 'dtype': [str(v.dtype), "
        "str(f.dtype)], 'min': v.min(0).tolist(), 'max': v.max(0).tolist(), 'fmax': int(f.max())}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("RESULT"))[6:])
    n_vertices = 8 + 482 + 3 * 8  # the live array modifier counts
    n_triangles = 12 + (32 * 14 * 2 + 2 * 32) + 3 * 12
    assert report["shape"] == [[n_vertices, 3], [n_triangles, 3]]
    assert report["dtype"] == ["float64", "int64"]
    assert report["fmax"] == n_vertices - 1
    np.testing.assert_allclose(report["min"], [-1, -2, -7], atol=1e-6)
    np.testing.assert_allclose(report["max"], [2, 2, 6], atol=1e-6)


def test_change_origin_keeps_geometry_and_moves_the_pivot(run):
    # array_rotate scales each copy about the axis point nearest the origin, which reveals the origin.
    body = "create_primitive(name='a', primitive_type='cube', scale=[0.1, 0.1, 0.1], location=[1, 0, 0])\n"
    moved = _ok(run(body + "change_origin(name='a', location=[1, 0, 2])"))
    np.testing.assert_allclose(moved.mesh.bounds, [[0.9, -0.1, -0.1], [1.1, 0.1, 0.1]], atol=1e-6)
    arrayed = "array_rotate(name='a', count=2, rotation_angle=0, scale=[0.5, 0.5, 0.5])"
    plain = _ok(run(body + arrayed)).mesh
    pivoted = _ok(run(body + "change_origin(name='a', location=[1, 0, 2])\n" + arrayed)).mesh
    assert plain.bounds[0, 2] == pytest.approx(-0.1)
    assert pivoted.bounds[1, 2] == pytest.approx(2 + 0.5 * (0.1 - 2))  # copy scaled about z = 2


def test_recalculate_normals_outward_and_inward(run):
    body = "create_primitive(name='c', primitive_type='cube')\n"
    assert _ok(run(body + "recalculate_normals(name='c', inside=True)")).mesh.volume == pytest.approx(-8.0)
    flipped_back = body + "recalculate_normals(name='c', inside=True)\nrecalculate_normals(name='c')"
    assert _ok(run(flipped_back)).mesh.volume == pytest.approx(8.0)


def test_make_caps_closes_a_tube_one_end_at_a_time(run):
    open_tube = _ok(run(TUBE)).parts["tube"]
    assert len(open_tube.vertices) == 16  # welded: 8 on each rim
    one = _ok(run(TUBE + "make_caps(name='tube', type='start')")).parts["tube"]
    both = _ok(run(TUBE + "make_caps(name='tube', type='start')\nmake_caps(name='tube', type='end')")).parts[
        "tube"
    ]
    at_once = _ok(run(TUBE + "make_caps(name='tube', type='both')")).parts["tube"]
    # A cap adds an octagon's area (4 a^2 tan(pi/8) * 2 = 8 tan(pi/8)) and no vertices.
    octagon = 8 * HALF_SIDE
    assert one.area == pytest.approx(open_tube.area + octagon, rel=1e-5)
    assert both.area == pytest.approx(open_tube.area + 2 * octagon, rel=1e-5)
    assert len(both.vertices) == 16
    for closed in (both, at_once):
        assert closed.volume == pytest.approx(OCTAGON_PRISM_VOLUME, rel=1e-5)
        edges = np.sort(closed.faces[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2), axis=1)
        _, uses = np.unique(edges, axis=0, return_counts=True)
        assert (uses == 2).all()  # watertight


def test_make_caps_rejects_an_unknown_type(run):
    result = run(TUBE + "make_caps(name='tube', type='middle')")
    assert result.status == "runtime_error"
    assert "make_caps" in result.error


def test_weld_merges_coincident_vertices(run):
    body = (
        "create_primitive(name='a', primitive_type='cylinder')\n"
        "create_primitive(name='b', primitive_type='cylinder', location=[0, 0, 2])\n"
        "join_obj(name='c', seq_name=['a', 'b'])\n"
    )
    assert len(_ok(run(body)).parts["c"].vertices) == 128
    assert len(_ok(run(body + "weld(name='c')")).parts["c"].vertices) == 96
    # Rings 1e-2 apart survive the default threshold of 1e-3 but not a larger one.
    gap = body.replace("location=[0, 0, 2]", "location=[0, 0, 2.01]")
    assert len(_ok(run(gap + "weld(name='c')")).parts["c"].vertices) == 128
    assert len(_ok(run(gap + "weld(name='c', merge_threshold=0.02)")).parts["c"].vertices) == 96


def test_delete_obj_removes_objects_whose_name_contains_the_text(run):
    result = _ok(
        run(
            "create_primitive(name='circle_1', primitive_type='cube')\n"
            "create_primitive(name='circle_2', primitive_type='cube')\n"
            "create_primitive(name='seat_3', primitive_type='cube')\n"
            "delete_obj(sub_name='circle')"
        )
    )
    assert set(result.parts) == {"seat_3"}


def test_join_obj_makes_one_object_with_all_geometry_in_place(run):
    result = _ok(
        run(
            "create_primitive(name='a', primitive_type='cube', scale=[0.5, 0.5, 0.5], location=[-2, 0, 0])\n"
            "create_primitive(name='b', primitive_type='uv_sphere', location=[2, 0, 0], "
            "rotation=[0.71, 0.71, 0, 0])\n"
            "create_primitive(name='c', primitive_type='cylinder', scale=[1, 1, 3], location=[0, 0, 1])\n"
            "join_obj(name='body_1', seq_name=['a', 'b', 'c'])"
        )
    )
    assert set(result.parts) == {"body_1"}
    mesh = result.parts["body_1"]
    assert len(mesh.vertices) == 8 + 482 + 64
    np.testing.assert_allclose(mesh.bounds, [[-2.5, -1, -2], [3, 1, 4]], atol=1e-6)
    sphere_volume = 24.73163 / 6  # the 32x16 UV sphere (its volume when scaled 1x2x3, over 6)
    cylinder_volume = 3 * 32 * math.sin(2 * math.pi / 32)
    assert mesh.volume == pytest.approx(1.0 + sphere_volume + cylinder_volume, rel=1e-4)


def test_join_obj_keeps_the_last_objects_transform(run):
    # The joined object takes the last object's scale, so a later local-space array offset is scaled.
    result = _ok(
        run(
            "create_primitive(name='a', primitive_type='cube', scale=[0.1, 0.1, 0.1])\n"
            "create_primitive(name='b', primitive_type='cube', scale=[0.1, 0.1, 0.1], location=[0, 0, 1])\n"
            "join_obj(name='j', seq_name=['a', 'b'])\n"
            "array_1d(name='j', count=2, constant_offset=[10, 0, 0])"
        )
    )
    assert result.parts["j"].extents[0] == pytest.approx(1.2)


def test_join_obj_with_weld_threshold(run):
    result = _ok(
        run(
            "create_primitive(name='a', primitive_type='cube')\n"
            "create_primitive(name='b', primitive_type='cube', location=[2, 0, 0])\n"
            "join_obj(name='j', seq_name=['a', 'b'], weld_threshold=0.001)"
        )
    )
    assert len(result.parts["j"].vertices) == 12


def test_unknown_object_is_a_runtime_error(run):
    result = run("weld(name='nothing')")
    assert result.status == "runtime_error"
    assert "nothing" in result.error
