"""Pieces several tableware categories share: the radius of a turned profile, knobs, domed and screw
lids, screw caps, and the body and separate handle of cutlery."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from meshcoder.data.builder import PartWriter
from meshcoder.data.frame import Frame
from meshcoder.data.generators.design import PROFILE_RESOLUTION, Design, Written, arc_sweep, lathe, primitive
from meshcoder.data.generators.geometry import ALONG_X, UP, bezier_polyline, handle_codes, pick, radius_at
from meshcoder.data.generators.library_model import LATHE_OUTSIDE, shell_offset


def profile_radius_at(
    profile: Sequence[tuple[float, float]], kinds: str, height: float, wall: float = 0.0
) -> float:
    """The radius of a lathe profile (handle letters ``kinds``) at ``height`` (first crossing from the
    bottom); with a ``wall``, of the outer surface of the shell that thickness grows outside it."""
    line = bezier_polyline(profile, handle_codes(kinds), PROFILE_RESOLUTION)
    if wall > 0:
        line = shell_offset(line, wall, LATHE_OUTSIDE)
    return radius_at(line, height)


def knob(d: Design, rng: np.random.Generator, y: float, size: float, kind: str | None = None) -> None:
    """A knob standing on height ``y``: a ball, a turned mushroom, a star-shaped grip or a loop."""
    kind = kind or pick(rng, {"ball": 2, "mushroom": 2, "star": 1, "loop": 1})
    if kind == "ball":
        r = size / 2
        primitive(d, "knob", "uv_sphere", (0, y + 0.75 * r, 0), (r, 0.85 * r, r))
    elif kind == "mushroom":
        r, h = size / 2, size * rng.uniform(0.6, 0.9)
        prof = [(0, 0), (0.4 * r, 0), (0.35 * r, 0.45 * h), (r, 0.7 * h), (0.85 * r, h), (0, h)]
        lathe(d, "knob", prof, "ssaaas", base=(0, y - 0.001, 0))
    elif kind == "star":
        r, h = size / 2, size * rng.uniform(0.4, 0.7)
        points = int(rng.choice([5, 6, 8]))
        inner = rng.uniform(0.55, 0.75)

        def write(p: PartWriter, f: Frame) -> None:
            star = p.helper("star")
            p.call(
                "create_star", name=star, outer_radius=f.l(r), inner_radius=f.l(r * inner), num_points=points
            )
            p.call(
                "create_curve",
                name=p.obj,
                profile_name=star,
                control_points=f.ps([(0, y - 0.001, 0), (0, y + h, 0)]),
                handle_type=[1, 1, 1, 1],
                fill_caps="both",
            )

        d.add("knob", [[-r, y - 0.001, -r], [r, y + h, r]], write)
    else:
        half = size * rng.uniform(0.7, 1.0)
        rise = size * rng.uniform(0.5, 0.8)
        t = size * rng.uniform(0.12, 0.2)
        arc_sweep(
            d, "handle", (-half, y - 0.3 * t, 0), (0, y + rise, 0), (half, y - 0.3 * t, 0), ("oval", t / 2, t)
        )


def dome_lid(
    d: Design, rng: np.random.Generator, radius: float, y: float, dome: float, t: float, lip: float
) -> None:
    """A domed lid resting on height ``y``: dome, rim and a short flange down into the opening."""
    prof = [
        (0, dome),
        (0.6 * radius, 0.85 * dome),
        (0.95 * radius, 0.2 * dome),
        (radius, 0.0),
        (0.92 * radius, -lip),
    ]
    lathe(d, "lid", prof, "saaas", base=(0, y, 0), thickness=t, resolution=16)


def cap_lid(d: Design, rng: np.random.Generator, radius: float, y: float, height: float, t: float) -> None:
    """A screw-on lid seen as a shell: a flat top and a skirt, plain or knurled."""
    prof = [(0, height), (0.94 * radius, height), (radius, height - min(0.004, 0.3 * height)), (radius, 0.0)]
    flutes = (int(rng.choice([24, 32, 40, 48])), 0.01) if rng.random() < 0.4 else None
    lathe(d, "lid", prof, "sass", base=(0, y, 0), thickness=t, flutes=flutes, smooth=False, resolution=16)


def screw_cap(
    d: Design, rng: np.random.Generator, radius: float, y: float, height: float, label: str = "cap"
) -> None:
    """A closed cap over a neck: a turned top and skirt, knurled (fluted) or plain."""
    prof = [
        (0, y + height),
        (radius * 0.92, y + height),
        (radius, y + height - 0.08 * height),
        (radius, y),
        (0, y),
    ]
    flutes = (int(rng.choice([24, 32, 40])), 0.01) if rng.random() < 0.4 else None
    lathe(d, label, prof, "sasss", flutes=flutes, smooth=False, resolution=12)


def cutlery(
    d: Design,
    label: str,
    function: str,
    xs: Sequence[float],
    half_widths: Sequence[float],
    heights: Sequence[float],
    thickness: float,
    **extra,
) -> None:
    """A fork or spoon lying along +X (handle to the left), its local Z turned up: ``xs`` positions
    along it, ``half_widths`` and ``heights`` there, in metres. ``extra`` holds create_fork's
    ``x_tip`` (a position) and ``n_cuts`` or create_spoon's ``z_depth`` (a depth)."""
    depth = extra.get("z_depth", 0.0)

    def bounds(wr: Written) -> np.ndarray:
        x = [wr.l(v) for v in xs]
        w = max(wr.l(v) for v in half_widths)
        z = [wr.l(v) for v in heights]
        return np.array(
            [[x[0], min(z) - wr.l(depth) - thickness / 2, -w], [x[-1], max(z) + thickness / 2, w]]
        )

    def write(p: PartWriter, f: Frame) -> None:
        args = {k: (f.l(v) if k in ("x_tip", "z_depth") else v) for k, v in extra.items()}
        # Anchors are written with 2 decimals and must still increase.
        x_written = [round(f.l(v), 2) for v in xs]
        for i in range(1, len(x_written)):
            x_written[i] = max(x_written[i], round(x_written[i - 1] + 0.01, 2))
        p.call(
            function,
            name=p.obj,
            thickness=f.l(thickness),
            **args,
            x_anchors=x_written,
            y_anchors=f.l(list(half_widths)),
            z_anchors=f.l(list(heights)),
            location=f.p((0, 0, 0)),
            rotation=UP,
        )

    d.add(label, bounds, write)


def wooden_handle(
    d: Design, rng: np.random.Generator, x0: float, x1: float, half_w: float, y: float, t: float
) -> None:
    """A separate handle from ``x0`` to ``x1`` round a metal tang at height ``y``: a bevelled slab
    (riveted) or a turned-looking cylinder, sometimes with a bolster at the front."""
    length = x1 - x0
    if rng.random() < 0.6:
        primitive(
            d,
            "handle",
            "cube",
            ((x0 + x1) / 2, y, 0),
            (length / 2, t, half_w),
            bevel=(rng.uniform(0.3, 0.6), 3),
        )
        for k in range(int(rng.integers(2, 4))):
            x = x0 + length * (0.25 + 0.5 * k / 2)
            r = min(half_w * 0.3, 0.0035)
            primitive(d, "rivet", "cylinder", (x, y, 0), (r, r, t * 1.08), UP)
    else:
        r = max(half_w, t)
        primitive(
            d,
            "handle",
            "cylinder",
            ((x0 + x1) / 2, y, 0),
            (r * 0.8, r * 0.8, length / 2),
            (0.71, 0.0, -0.71, 0.0),
            taper=float(rng.uniform(1.1, 1.3)),
        )
    if rng.random() < 0.5:
        r = max(half_w, t) * 0.9
        primitive(d, "bolster", "cylinder", (x1 + 0.006, y, 0), (r, r, 0.008), ALONG_X)


def rounded_rectangle_sweep(
    profile: Sequence[tuple[float, float]], half_w: float, half_l: float, corner: float, thickness: float
) -> Callable[[PartWriter, Frame], None]:
    """The writer of a rectangle ``2 half_w`` by ``2 half_l`` (corners rounded by ``corner`` of the shorter
    half side) swept with a four-point ``profile`` curve: a rectangular plate's rim, a lid's skirt."""

    def write(p: PartWriter, f: Frame) -> None:
        curve = p.helper("curve")
        p.call(
            "create_curve",
            name=curve,
            control_points=[[f.l(x), f.l(y), 0.0] for x, y in profile],
            handle_type=[1, 1, 1, 1],
        )
        p.call(
            "create_rectangle",
            name=p.obj,
            profile_name=curve,
            width=f.l(2 * half_w),
            length=f.l(2 * half_l),
            location=f.p((0, 0, 0)),
            rotation=UP,
            bevel_width=f.l(corner * min(half_w, half_l)),
            thickness=f.l(thickness),
        )

    return write
