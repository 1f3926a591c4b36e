"""Windows: casement, fixed, double-hung, sliding and transom."""

from __future__ import annotations

import math

import numpy as np

from meshcoder.data.builder import PartWriter, ProgramBuilder
from meshcoder.data.frame import Frame
from meshcoder.data.generators.blocks import box, build, cylinder, part, repeat, sizes, sphere
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import SHARP, pick
from meshcoder.data.generators.openings.grid import Grid, array_grid, glazing_bars, louvres, panes
from meshcoder.data.generators.registry import register


def _swept_frame(wr: PartWriter, f: Frame, width: float, length: float, bar: float, depth: float, location):
    """A frame of ``bar`` x ``depth`` section swept round the ``width`` x ``length`` rectangle (its
    centre line) at ``location`` (as written)."""
    prof = wr.helper("rectangle")
    # a closed path keeps 1/sqrt(2) of the profile's width along it, so the profile is widened
    wr.call("create_rectangle", name=prof, width=f.l(bar * math.sqrt(2)), length=f.l(depth))
    wr.call(
        "create_rectangle",
        name=wr.obj,
        profile_name=prof,
        width=f.l(width),
        length=f.l(length),
        location=location,
    )


def _sash(
    d: Design,
    rng: np.random.Generator,
    g: Grid,
    z: float,
    bar_cols: int,
    bar_rows: int,
    frame_w: float,
    depth: float,
):
    """Sashes over the grid's cells: a square-section frame, its glass, and glazing bars."""
    with part(d, "sash") as p:
        for cx, cy in g.centres():
            p.cover(
                [[cx - g.w / 2, cy - g.h / 2, z - depth / 2], [cx + g.w / 2, cy + g.h / 2, z + depth / 2]]
            )

        def write(wr: PartWriter, f: Frame) -> None:
            _swept_frame(wr, f, g.w - frame_w, g.h - frame_w, frame_w, depth, g.first(f, z))
            array_grid(wr, f, wr.obj, g)

        p.write(write)
    inner = Grid(g.x0, g.y0, g.w - 2 * frame_w + 0.004, g.h - 2 * frame_w + 0.004, g.nx, g.dx, g.ny, g.dy)
    panes(d, rng, "glass", inner, 0.006, z=z)
    if (bar_cols > 1 or bar_rows > 1) and g.nx * g.ny == 1:
        glazing_bars(
            d, "glazing bars", inner, bar_cols, bar_rows, rng.uniform(0.015, 0.025), depth * 0.6, z=z
        )


def _curtain(
    d: Design, rng: np.random.Generator, x0: float, x1: float, y_top: float, y_bottom: float, z: float
):
    """A gathered curtain between x0 and x1: a sine wave swept down a vertical line."""
    width = x1 - x0
    amp = rng.uniform(0.015, 0.04)
    folds = int(rng.integers(4, 9))
    t = 0.003
    xc = (x0 + x1) / 2
    with part(d, "curtain") as p:
        p.cover([[x0, y_bottom, z - amp - t], [x1, y_top, z + amp + t]])

        def write(wr: PartWriter, f: Frame) -> None:
            wave = wr.helper("wave")
            wr.call(
                "create_wave",
                name=wave,
                frequency=round(folds / (1 + width * f.scale), 2),
                altitude=f.l(amp),
                segs=int(folds * 12),
                length=f.l(width),
            )
            wr.call(
                "create_curve",
                name=wr.obj,
                profile_name=wave,
                control_points=f.ps([[xc, y_top, z], [xc, y_bottom, z]]),
                handle_type=[SHARP] * 4,
                resolution=1,
                thickness=f.l(t),
            )

        p.write(write)


@register("Window")
def window(rng: np.random.Generator) -> ProgramBuilder:
    """Casement (one to three sashes with mullions), fixed, double-hung, sliding and transom windows:
    swept frame and sashes, glass, optional glazing bars, sill, and either curtains on a rod (swept
    waves) or louvred shutters."""
    kind = pick(rng, ["casement", "double hung", "transom", "sliding", "fixed"], [0.3, 0.2, 0.2, 0.15, 0.15])
    d = Design(pick(rng, ["window", "window", f"{kind} window"]))
    w = rng.uniform(0.6, 1.8)
    h = rng.uniform(0.6, 1.6)
    if kind == "double hung":
        h = max(h, w * rng.uniform(1.1, 1.6))
    fw = rng.uniform(0.04, 0.08)
    fd = rng.uniform(0.08, 0.15)
    with part(d, "frame") as p:
        p.cover([[-w / 2, 0.0, -fd / 2], [w / 2, h, fd / 2]])
        p.write(lambda wr, f: _swept_frame(wr, f, w - fw, h - fw, fw, fd, f.p([0.0, h / 2, 0.0])))
    inner = (-w / 2 + fw, w / 2 - fw, fw, h - fw)  # the opening inside the frame: x0, x1, y0, y1
    sw = rng.uniform(0.03, 0.05)
    sd = fd * rng.uniform(0.35, 0.5)
    bars = (int(rng.integers(1, 4)), int(rng.integers(1, 5))) if rng.random() < 0.45 else (1, 1)
    if kind in ("casement", "fixed"):
        _casements(d, rng, kind, w, fd, inner, sw, sd, bars)
    elif kind in ("double hung", "sliding"):
        _hung_or_sliding(d, rng, kind, inner, sw, sd, bars)
    else:  # transom
        _transom(d, rng, w, fd, inner, sw, sd, bars)
    dressing = pick(rng, ["none", "curtains", "shutters"], [0.55, 0.3, 0.15])
    if dressing == "shutters":
        _shutters(d, rng, w, h, fd)
    if rng.random() < 0.6:
        with part(d, "sill") as p:
            sd_out = rng.uniform(0.03, 0.08)
            st = rng.uniform(0.02, 0.04)
            box(
                p,
                p.obj,
                [0.0, -st / 2 + 0.005, sd_out / 2],
                [w / 2 + rng.uniform(0.0, 0.05), st / 2, fd / 2 + sd_out / 2],
            )
    if dressing == "curtains":
        _curtains(d, rng, w, h, fd)
    return build(d, final_query=rng.random() < 0.25)


def _casements(
    d: Design,
    rng: np.random.Generator,
    kind: str,
    w: float,
    fd: float,
    inner: tuple[float, float, float, float],
    sw: float,
    sd: float,
    bars: tuple[int, int],
) -> None:
    """One sash (fixed) or one to three side by side between mullions (casement, with a handle)."""
    ix0, ix1, iy0, iy1 = inner
    iw, ih = ix1 - ix0, iy1 - iy0
    n = int(rng.integers(1, 4)) if kind == "casement" else 1
    if w / n < 0.35:
        n = max(1, int(w / 0.35))
    mull = rng.uniform(0.03, 0.06)
    cw = (iw - mull * (n - 1)) / n
    if n > 1:
        mg = Grid(ix0 + cw + mull / 2, (iy0 + iy1) / 2, mull, ih, nx=n - 1, dx=cw + mull)
        with part(d, "mullion") as p:
            p.cover([[ix0, iy0, -fd * 0.4], [ix1, iy1, fd * 0.4]])

            def write(wr: PartWriter, f: Frame) -> None:
                wr.call(
                    "create_primitive",
                    name=wr.obj,
                    primitive_type="cube",
                    location=mg.first(f, 0.0),
                    scale=sizes(f, [mull / 2, ih / 2, fd * 0.4]),
                    apply=True,
                )
                array_grid(wr, f, wr.obj, mg)

            p.write(write)
    g = Grid(ix0 + cw / 2, (iy0 + iy1) / 2, cw, ih, nx=n, dx=cw + mull)
    if kind == "fixed":
        bars = (int(rng.integers(2, 5)), int(rng.integers(2, 5))) if rng.random() < 0.7 else (1, 1)
        _sash(d, rng, g, 0.0, bars[0], bars[1], sw, sd)
    else:
        _sash(d, rng, g, 0.0, bars[0], bars[1], sw, sd)
        with part(d, "handle") as p:
            hx = ix0 + cw - sw * 0.5 if n > 1 else ix1 - sw * 0.5
            hy = (iy0 + iy1) / 2
            box(p, p.obj, [hx, hy, sd / 2 + 0.01], [0.008, 0.05, 0.008], bevel=0.3)


def _hung_or_sliding(
    d: Design,
    rng: np.random.Generator,
    kind: str,
    inner: tuple[float, float, float, float],
    sw: float,
    sd: float,
    bars: tuple[int, int],
) -> None:
    """Two sashes in two planes, one above the other (double hung, with a lift) or side by side (sliding)."""
    ix0, ix1, iy0, iy1 = inner
    iw, ih = ix1 - ix0, iy1 - iy0
    if kind == "double hung":
        sh = (ih + sw) / 2
        lower = Grid(0.0, iy0 + sh / 2, iw, sh)
        upper = Grid(0.0, iy1 - sh / 2, iw, sh)
        _sash(d, rng, lower, sd * 0.55, bars[0], bars[1], sw, sd)
        _sash(d, rng, upper, -sd * 0.55, bars[0], max(bars[1], 1), sw, sd)
        with part(d, "sash lift") as p:
            box(p, p.obj, [0.0, iy0 + sw * 0.5, sd * 1.05 + 0.012], [0.04, 0.008, 0.01], bevel=0.3)
    else:
        cw = (iw + sw) / 2
        left = Grid(ix0 + cw / 2, (iy0 + iy1) / 2, cw, ih)
        right = Grid(ix1 - cw / 2, (iy0 + iy1) / 2, cw, ih)
        _sash(d, rng, left, -sd * 0.55, bars[0], bars[1], sw, sd)
        _sash(d, rng, right, sd * 0.55, bars[0], bars[1], sw, sd)


def _transom(
    d: Design,
    rng: np.random.Generator,
    w: float,
    fd: float,
    inner: tuple[float, float, float, float],
    sw: float,
    sd: float,
    bars: tuple[int, int],
) -> None:
    """A picture pane under a transom light (one to three sashes) across a rail."""
    ix0, ix1, iy0, iy1 = inner
    iw, ih = ix1 - ix0, iy1 - iy0
    rail = rng.uniform(0.04, 0.07)
    th = ih * rng.uniform(0.2, 0.32)
    ty = iy1 - th
    with part(d, "transom") as p:
        p.cover([[ix0, ty - rail, -fd * 0.4], [ix1, ty, fd * 0.4]])
        box(p, p.obj, [0.0, ty - rail / 2, 0.0], [iw / 2, rail / 2, fd * 0.4])
    n = pick(rng, [1, 2, 3]) if w > 0.9 else 1
    _sash(d, rng, Grid(ix0 + iw / (2 * n), ty + th / 2, iw / n, th, nx=n, dx=iw / n), 0.0, 1, 1, sw, sd)
    _sash(d, rng, Grid(0.0, (iy0 + ty - rail) / 2, iw, ty - rail - iy0), 0.0, bars[0], bars[1], sw, sd)


def _shutters(d: Design, rng: np.random.Generator, w: float, h: float, fd: float) -> None:
    """Louvred shutters on both sides: a swept frame and tilted slats each."""
    sw_ = w * rng.uniform(0.4, 0.5)
    st = rng.uniform(0.025, 0.035)
    sf = rng.uniform(0.04, 0.06)
    zs = fd / 2 - st / 2
    angle, slat_t = rng.uniform(0.6, 0.8), rng.uniform(0.006, 0.01)
    for side, label in ((-1.0, "left shutter"), (1.0, "right shutter")):
        xc = side * (w / 2 + sw_ / 2 + 0.01)
        with part(d, label) as p:
            p.cover([[xc - sw_ / 2, 0.0, zs - st / 2], [xc + sw_ / 2, h, zs + st / 2]])
            location = [xc, h / 2, zs]
            p.write(
                lambda wr, f, location=location: _swept_frame(wr, f, sw_ - sf, h - sf, sf, st, f.p(location))
            )
        louvres(d, "louvres", xc, sw_ - 2 * sf, sf, h - sf, st, angle, slat_t, z=zs)


def _curtains(d: Design, rng: np.random.Generator, w: float, h: float, fd: float) -> None:
    """A rod with finials above the window and one or two gathered curtains hanging from it."""
    ext = rng.uniform(0.08, 0.25)
    y_rod = h + rng.uniform(0.05, 0.15)
    z_rod = fd / 2 + rng.uniform(0.08, 0.14)
    rr = rng.uniform(0.008, 0.015)
    with part(d, "curtain rod") as p:
        cylinder(p, p.obj, [-w / 2 - ext, y_rod, z_rod], [w / 2 + ext, y_rod, z_rod], rr)
    with part(d, "finials") as p:
        sphere(p, p.obj, [-w / 2 - ext - rr, y_rod, z_rod], rr * 2.0, apply=True)
        p.cover([[w / 2 + ext + rr, y_rod, z_rod]], rr * 2.0)
        repeat(p, p.obj, 2, [w + 2 * ext + 2 * rr, 0.0, 0.0])
    bottom = -rng.uniform(0.0, 0.3)
    cw = (w / 2 + ext) * rng.uniform(0.35, 0.6)
    sides = [-1, 1] if rng.random() < 0.75 else [pick(rng, [-1, 1])]
    for sgn in sides:
        outer = sgn * (w / 2 + ext - 0.01)
        inner = outer - sgn * cw
        _curtain(d, rng, min(outer, inner), max(outer, inner), y_rod - rr, bottom, z_rod - 0.04)
