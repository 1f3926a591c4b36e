"""Shells bridged through elliptic sections (tubs, bowls, pedestals), cut into runs that Blender bridges in
the order listed."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import PartWriter
from meshcoder.data.frame import Frame
from meshcoder.data.generators.blocks import Blocks, ellipse_points
from meshcoder.data.generators.design import call
from meshcoder.data.generators.geometry import UP, rotate, unit
from meshcoder.data.generators.library_model import bridge_order


def loops(p: Blocks, names, rings, resolution=32, q=UP, cover=True):
    """Elliptic sections for a bridge: ``rings`` is a list of (centre, a, b[, quaternion]) in metres,
    ``a`` along X and ``b`` along Z when lying flat; one create_circle call makes them all. A cutter's
    sections (``cover`` False) are not part of the object's box."""
    centres, radii, scales, rots = [], [], [], []
    for ring in rings:
        centre, a, b = ring[:3]
        rq = ring[3] if len(ring) > 3 else q
        if cover:
            p.cover(ellipse_points(centre, a, b, rq))
        centres.append(centre)
        radii.append(a)
        scales.append([1.0, round(b / a, 2), 1.0])
        rots.append(unit(rq).tolist())
    rotation = rots[0] if all(np.allclose(r, rots[0]) for r in rots) else rots
    names = list(names)

    def write(wr: PartWriter, f: Frame) -> None:
        wr.call(
            "create_circle",
            name=names,
            location=f.ps(centres),
            rotation=rotation,
            radius=f.l(radii),
            scale=scales,
            resolution=resolution,
        )

    p.write(write)


def bridge(p: Blocks, name: str, rings, cuts=4, caps="both", resolution=32, **options):
    """A surface bridged through elliptic sections (see :func:`loops`) in the order listed.

    Blender bridges three or more sections in its own order (:func:`bridge_order`), which for a wall
    that folds back on itself (up the outside of a tub, over the rim, down the inside) zigzags
    between the two sides. So the sections are cut into runs that Blender bridges as listed (judged
    from the numbers as written), neighbouring runs sharing a section; one call bridges them all and
    the pieces are joined, welded along those shared sections. Caps go on the first and last
    sections as ``caps`` says."""
    names = [p.helper("circle", i + 1) for i in range(len(rings))]
    loops(p, names, rings, resolution=resolution)

    def write(wr: PartWriter, f: Frame) -> None:
        written = [(np.round(f.p(ring[0]), 2), _ring_frame(ring)) for ring in rings]
        runs = _bridge_runs(written)
        run_caps = [
            _run_caps(
                written,
                run,
                k == 0 and caps in ("start", "both"),
                k == len(runs) - 1 and caps in ("end", "both"),
            )
            for k, run in enumerate(runs)
        ]
        if len(runs) == 1:
            call(
                wr,
                "bridge_edge_loops",
                name=name,
                profile_name=names,
                number_cuts=cuts,
                fill_caps=run_caps[0],
                **options,
            )
            return
        pieces = [name] + [wr.helper("wall", k) for k in range(2, len(runs) + 1)]
        sections = [[names[i] for i in run] for run in runs]
        call(
            wr,
            "bridge_edge_loops",
            name=pieces,
            profile_name=sections,
            number_cuts=cuts,
            fill_caps=run_caps,
            **options,
        )
        wr.call("join_obj", name=name, seq_name=pieces, weld_threshold=1e-4)

    p.write(write)


def _ring_frame(ring) -> np.ndarray:
    """Local axes (as columns) of a bridge section's object as written: its rotation (two decimals)
    and its ellipse scale."""
    a, b = ring[1], ring[2]
    q = np.round(unit(ring[3] if len(ring) > 3 else UP).tolist(), 2)
    return rotate(q, np.diag([1.0, round(b / a, 2), 1.0])).T


def _local_centres(written, run: list[int]) -> np.ndarray:
    """The centres of a run's sections in the local space of its first section's object."""
    centres = np.array([written[i][0] for i in run])
    return np.linalg.solve(written[run[0]][1], (centres - centres[0]).T).T


def _bridge_runs(written) -> list[list[int]]:
    """Consecutive runs of sections (neighbouring runs share one) that ``bridge_edge_loops`` joins in
    the listed order, each as long as it can be; ``written`` holds each section's (centre, axes)."""
    runs = [[0, 1]]
    for i in range(2, len(written)):
        longer = runs[-1] + [i]
        # a near tie in Blender's choice would leave the order to float noise: end the run there
        if bridge_order(_local_centres(written, longer), margin=1e-6) in (
            list(range(len(longer))),
            list(range(len(longer)))[::-1],
        ):
            runs[-1] = longer
        else:
            runs.append([runs[-1][-1], i])
    return runs


def _run_caps(written, run: list[int], cap_first: bool, cap_last: bool) -> str:
    """The ``fill_caps`` that close a run's first and/or last section: Blender caps the ends of its
    own order, which may run from the last section listed."""
    forward = bridge_order(_local_centres(written, run))[0] == 0
    ends = {"start" if forward else "end": cap_first, "end" if forward else "start": cap_last}
    wanted = [end for end, on in ends.items() if on]
    return "both" if len(wanted) == 2 else (wanted[0] if wanted else "none")
