"""create_fork and create_spoon, checked by extents, tine counts and bowl depth."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.blender

ANCHORS = (
    "x_anchors=[-0.5, 0.0, 0.2, 0.5], y_anchors=[0.03, 0.02, 0.05, 0.05], z_anchors=[0.0, 0.0, 0.0, 0.0]"
)


def _part(result, name):
    assert result.ok, result.reason
    return result.parts[name]


def _pieces_beyond(mesh, x_from):
    """How many separate pieces the mesh falls into where x > ``x_from`` (connected triangles)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    keep = mesh.faces[np.all(mesh.vertices[mesh.faces][:, :, 0] > x_from, axis=1)]
    used, tri = np.unique(keep, return_inverse=True)
    tri = tri.reshape(-1, 3)
    rows = np.concatenate([tri[:, 0], tri[:, 1]])
    cols = np.concatenate([tri[:, 1], tri[:, 2]])
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(used), len(used)))
    return connected_components(graph, directed=False)[0]


@pytest.mark.parametrize("n_cuts", [1, 3, 4])
def test_fork_has_n_cuts_plus_one_tines(run, n_cuts):
    body = f"create_fork(name='fork', x_tip=0.25, thickness=0.01, n_cuts={n_cuts}, {ANCHORS})"
    fork = _part(run(body), "fork")
    assert _pieces_beyond(fork, 0.3) == n_cuts + 1
    assert _pieces_beyond(fork, -1.0) == 1  # one piece: the tines join the head at x_tip


def test_fork_extents_follow_the_anchors(run):
    body = f"create_fork(name='fork', x_tip=0.25, thickness=0.01, n_cuts=3, {ANCHORS})"
    fork = _part(run(body), "fork")
    ext = fork.extents
    # Subdivision smoothing rounds the ends a little: within a few percent of the anchor box.
    assert ext[0] == pytest.approx(1.0, rel=0.02)
    assert ext[1] == pytest.approx(0.1, rel=0.05)
    assert ext[2] == pytest.approx(0.01, rel=0.25)
    np.testing.assert_allclose(fork.bounds.mean(axis=0)[:2], [0.0, 0.0], atol=0.01)


def test_default_fork_and_spoon_are_cutlery_sized(run):
    result = run("create_fork(name='fork')\ncreate_spoon(name='spoon')")
    assert result.ok, result.reason
    fork, spoon = result.parts["fork"], result.parts["spoon"]
    assert fork.extents[0] == pytest.approx(1.0, rel=0.02)
    assert spoon.extents[0] == pytest.approx(1.0, rel=0.02)
    assert 0.05 < fork.extents[1] < 0.15 and 0.05 < spoon.extents[1] < 0.2
    assert _pieces_beyond(fork, 0.4) == 4
    assert _pieces_beyond(spoon, 0.3) == 1


def test_spoon_bowl_is_z_depth_deep(run):
    body = (
        "create_spoon(name='s', z_depth={}, thickness=0.01, x_anchors=[-0.5, 0.0, 0.1, 0.3, 0.5], "
        "y_anchors=[0.03, 0.015, 0.06, 0.08, 0.04], z_anchors=[0.0, 0.0, 0.0, 0.0, 0.0])"
    )
    flat = _part(run(body.format(0.0)), "s")
    deep = _part(run(body.format(0.05)), "s")
    assert flat.extents[2] == pytest.approx(0.01, rel=0.25)
    # The bowl sinks by z_depth at its centre (less a little from the smoothing); the handle stays.
    assert deep.bounds[0, 2] == pytest.approx(flat.bounds[0, 2] - 0.05, abs=0.008)
    handle = deep.vertices[deep.vertices[:, 0] < -0.1]
    assert np.all(np.abs(handle[:, 2]) < 0.01)
    np.testing.assert_allclose(deep.extents[:2], flat.extents[:2], rtol=0.02)


def test_cutlery_is_placed_by_location_rotation_scale(run):
    body = (
        f"create_fork(name='fork', x_tip=0.25, thickness=0.01, n_cuts=3, {ANCHORS}, location=[1.0, 2.0, 3.0], "
        "rotation=[0.71, 0.0, 0.0, 0.71], scale=[0.5, 0.5, 0.5])"
    )
    fork = _part(run(body), "fork")
    # Turned 90 degrees about Z: the length runs along world Y, halved.
    assert fork.extents[1] == pytest.approx(0.5, rel=0.02)
    assert fork.extents[0] == pytest.approx(0.05, rel=0.05)
    np.testing.assert_allclose(fork.bounds.mean(axis=0)[:2], [1.0, 2.0], atol=0.01)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (f"create_fork(name='f', x_tip=0.9, thickness=0.01, n_cuts=3, {ANCHORS})", "x_tip"),
        ("create_spoon(name='s', x_anchors=[0, 1], y_anchors=[0.1], z_anchors=[0, 0])", "same length"),
        ("create_spoon(name='s', x_anchors=[1, 0], y_anchors=[0.1, 0.1], z_anchors=[0, 0])", "increase"),
    ],
)
def test_bad_anchors_are_runtime_errors(run, call, message):
    result = run(call)
    assert not result.ok
    assert message in result.error
