"""Upholstered seating (sofas and armchairs): feet or a plinth, a base, arms, a back and cushions."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import X_AXIS, Y_AXIS, pick, rotation_about
from meshcoder.data.generators.seating.cushions import cushion_shape, pillow
from meshcoder.data.generators.seating.ops import Bevel, Subsurf
from meshcoder.data.generators.seating.pieces import straight_leg, uniform, vec
from meshcoder.data.generators.seating.rotations import tilt_x
from meshcoder.data.generators.seating.shapes import Box, Panel, Shape, Sphere, Trap, add

FOOT_STYLES = ("round", "tapered round", "square", "tapered", "bun")


def _foot(style: str, x: float, z: float, h: float, t: float, splay=(0.0, 0.0)) -> Shape:
    """A short sofa leg of height ``h`` standing at (x, z), its foot pushed out by ``splay``."""
    top = vec(x, h, z)
    if style == "bun":
        return Sphere((x, h / 2, z), (t / 2, h / 2, t / 2))
    return straight_leg(style, top + vec(splay[0], -h, splay[1]), top, t)


#: Arm width range (metres) per arm style.
ARM_WIDTHS = {
    "rolled": (0.14, 0.24),
    "box": (0.12, 0.24),
    "track": (0.07, 0.13),
    "slope": (0.1, 0.2),
    "none": (0, 0),
}


@dataclass
class _Layout:
    """The sampled sizes of one sofa or armchair (metres): seat width ``sw`` per seat, arm style and width,
    inner (seats) and total width, total depth, leg height, seat height ``H``, cushion and back thickness,
    back and arm heights, cushion style, and an optional chaise (side ``cs``, extension ``ext``, starting
    at ``xin`` across)."""

    sofa: bool
    n: int
    sw: float
    arm: str
    aw: float
    inner: float
    Wt: float
    Dt: float
    base_kind: str
    lh: float
    H: float
    ct: float
    bt: float
    wing: bool
    Hb: float
    ah: float
    style: str
    chaise: bool
    cs: int
    ext: float
    xin: float

    @property
    def zb(self) -> float:
        return -self.Dt / 2

    @property
    def zf(self) -> float:
        return self.Dt / 2

    def front(self, x: float) -> float:
        """The front edge at ``x`` across: further forward over the chaise."""
        if self.chaise and x * self.cs > 0 and abs(x) >= abs(self.xin) - 1e-9:
            return self.zf + self.ext
        return self.zf


def _sample_layout(rng, n: int, sofa: bool) -> _Layout:
    sw = uniform(rng, 0.5, 0.68) if sofa else uniform(rng, 0.5, 0.62)
    arm = pick(rng, ["rolled", "box", "track", "slope", "none"], [1, 1.2, 1, 0.6, 0.4 if sofa else 0.0])
    aw = uniform(rng, *ARM_WIDTHS[arm])
    inner = n * sw
    Wt = inner + 2 * aw
    Dt = uniform(rng, 0.82, 1.0) if sofa else uniform(rng, 0.75, 0.92)
    base_kind = pick(rng, ["legs", "plinth"], [0.8, 0.2])
    lh = uniform(rng, 0.05, 0.18) if base_kind == "legs" else 0.0
    H = uniform(rng, 0.4, 0.47)
    ct = uniform(rng, 0.1, 0.17)
    bt = uniform(rng, 0.14, 0.24)
    wing = not sofa and arm != "none" and rng.random() < 0.3
    Hb = uniform(rng, 0.92, 1.1) if wing else uniform(rng, 0.72, 0.92)
    ah = min(uniform(rng, 0.55, 0.68), Hb - 0.05)
    if not wing and rng.random() < 0.12:  # tuxedo: arms as high as the back
        ah = Hb
    style = pick(rng, ["pillow", "box"])
    # a chaise: the seat at one end runs forward
    chaise = sofa and rng.random() < 0.25
    cs = int(rng.choice([-1, 1]))
    ext = uniform(rng, 0.45, 0.65) if chaise else 0.0
    xin = cs * (inner / 2 - sw)  # where the chaise starts across the sofa
    return _Layout(
        sofa,
        n,
        sw,
        arm,
        aw,
        inner,
        Wt,
        Dt,
        base_kind,
        lh,
        H,
        ct,
        bt,
        wing,
        Hb,
        ah,
        style,
        chaise,
        cs,
        ext,
        xin,
    )


def upholstered(d: Design, rng, n: int, sofa: bool) -> None:
    """Sofas and armchairs: legs or a plinth, a base, arms, a back, seat and back cushions."""
    s = _sample_layout(rng, n, sofa)
    if s.base_kind == "legs":
        _add_legs(d, rng, s)
    else:
        s.lh = _add_plinth(d, rng, s)
    _add_base_and_back(d, rng, s)
    if s.arm != "none":
        _add_arms(d, rng, s)
    if s.wing:
        _add_wings(d, rng, s)
    bct = _add_cushions(d, rng, s)
    if sofa and rng.random() < 0.5:
        _add_throw_pillows(d, rng, s, bct)


def _add_legs(d: Design, rng, s: _Layout) -> None:
    Wt, zb, zf, ext, lh = s.Wt, s.zb, s.zf, s.ext, s.lh
    fs = pick(rng, FOOT_STYLES)
    t = uniform(rng, 0.035, 0.06)
    ins = uniform(rng, 0.02, 0.06)
    sp = uniform(rng, 0.0, 0.03) if fs in ("round", "tapered round", "tapered") else 0.0
    xs = [-Wt / 2 + ins + t / 2, Wt / 2 - ins - t / 2]
    if s.sofa and Wt > 1.8 and rng.random() < 0.6:
        xs.insert(1, 0.0)
    for x in xs:
        for z in (zb + ins + t / 2, s.front(x) - ins - t / 2):
            sx = 0.0 if x == 0 else math.copysign(sp, x)
            add(d, "leg", _foot(fs, x, z, lh, t, (sx, math.copysign(sp, z))))
    if s.chaise:
        x = s.xin + s.cs * (ins + t / 2)
        add(d, "leg", _foot(fs, x, zf + ext - ins - t / 2, lh, t, (0.0, sp)))


def _add_plinth(d: Design, rng, s: _Layout) -> float:
    """A plinth under the base (and the chaise); returns its height."""
    Wt, Dt, xin, ext = s.Wt, s.Dt, s.xin, s.ext
    rec = uniform(rng, 0.02, 0.05)
    ph = uniform(rng, 0.03, 0.08)
    add(d, "plinth", Box((0, ph / 2, 0), (Wt / 2 - rec, ph / 2, Dt / 2 - rec)))
    if s.chaise:
        xo = s.cs * (Wt / 2 - rec)
        add(
            d,
            "plinth",
            Box(((xin + xo) / 2, ph / 2, s.zf + ext / 2 - rec), (abs(xo - xin) / 2, ph / 2, ext / 2)),
        )
    return ph


def _add_base_and_back(d: Design, rng, s: _Layout) -> None:
    lh, zb, zf, bt, inner, xin, ext, Hb = s.lh, s.zb, s.zf, s.bt, s.inner, s.xin, s.ext, s.Hb
    bevel = [Bevel(uniform(rng, 0.05, 0.2), 3)]
    seat_base = s.H - s.ct
    add(
        d,
        "base",
        Box(
            (0, (lh + seat_base) / 2, (zb + bt + zf) / 2),
            (inner / 2, (seat_base - lh) / 2, (zf - zb - bt) / 2),
        ),
        ops=bevel,
    )
    if s.chaise:
        xo = s.cs * inner / 2
        c = ((xin + xo) / 2, (lh + seat_base) / 2, zf + ext / 2 - 0.005)
        add(d, "base", Box(c, (abs(xo - xin) / 2, (seat_base - lh) / 2, ext / 2 + 0.005)), ops=bevel)
    back_w = inner / 2 if s.arm != "none" and s.ah < Hb else s.Wt / 2
    add(
        d,
        "backrest",
        Box((0, (lh + Hb) / 2, zb + bt / 2), (back_w, (Hb - lh) / 2, bt / 2)),
        ops=[Bevel(uniform(rng, 0.1, 0.3), 3)],
    )


def _add_arms(d: Design, rng, s: _Layout) -> None:
    """Rolled (a box under a pillow roll), sloped (a trapezoid), box or track arms."""
    arm, aw, ah, lh = s.arm, s.aw, s.ah, s.lh
    for sx in (-1, 1):
        xc = sx * (s.inner / 2 + aw / 2)
        rec = uniform(rng, 0.0, 0.03)
        z0, z1 = s.zb, s.front(xc) - rec
        if arm == "rolled":
            rr = aw / 2 * uniform(rng, 1.05, 1.25)
            body = Box((xc, (lh + ah - rr) / 2, (z0 + z1) / 2), (aw / 2, (ah - rr - lh) / 2, (z1 - z0) / 2))
            roll = pillow(
                (xc, ah - rr * 0.8, (z0 + z1) / 2), (rr, rr * 0.8, (z1 - z0) / 2 + 0.003), ends=0.92
            )
            add(d, "arm", body, roll)
        elif arm == "slope":
            top = aw * uniform(rng, 0.5, 0.8)
            add(
                d,
                "arm",
                Trap(
                    (xc, lh, (z0 + z1) / 2),
                    (xc + sx * (aw - top) / 2, ah, (z0 + z1) / 2),
                    (top, z1 - z0),
                    (aw, z1 - z0),
                ),
                ops=[Bevel(0.05, 2)],
            )
        else:
            c = (xc, (lh + ah) / 2, (z0 + z1) / 2)
            ops = [Bevel(uniform(rng, 0.2, 0.5) if arm == "box" else 0.4, 3)]
            if arm == "box" and rng.random() < 0.5:
                ops.append(Subsurf(1))
            add(d, "arm", Box(c, (aw / 2, (ah - lh) / 2, (z1 - z0) / 2)), ops=ops)


def _add_wings(d: Design, rng, s: _Layout) -> None:
    """Wingback panels standing on the arms either side of the back."""
    ah, Hb, zb, bt = s.ah, s.Hb, s.zb, s.bt
    for sx in (-1, 1):
        x = sx * (s.inner / 2 - 0.01)
        wd = uniform(rng, 0.2, 0.32)
        pts = [
            (x, ah - 0.03, zb + bt + wd),
            (x, Hb - uniform(rng, 0.05, 0.12), zb + bt + wd * uniform(rng, 0.8, 1.1)),
            (x, Hb, zb + bt * 0.5),
            (x, ah - 0.03, zb + bt * 0.5),
        ]
        codes = [1, 1, 0, 0, 1, 1, 1, 1]  # the front top corner sweeps round
        arr = np.array(pts, float)
        if np.sum(np.cross(arr, np.roll(arr, -1, axis=0)), axis=0) @ vec(-sx, 0, 0) < 0:
            pts, codes = pts[::-1], codes[::-1]  # face inwards, so it thickens outwards
        add(d, "wing", Panel(pts, uniform(rng, 0.06, 0.12), codes))


def _add_cushions(d: Design, rng, s: _Layout) -> float:
    """Seat cushions (one bench or one per seat, the chaise's included) and back cushions; returns the
    back cushions' thickness (0 without them)."""
    n, inner, H, ct, zb, bt, style = s.n, s.inner, s.H, s.ct, s.zb, s.bt, s.style
    back_cushions = rng.random() < (0.8 if s.sofa else 0.6)
    bct = uniform(rng, 0.12, 0.2) if back_cushions else 0.0
    z_seat0 = zb + bt + bct * 0.6
    nseat = n if (n == 1 or rng.random() < 0.8) else 1
    cw = inner / nseat
    depth = s.zf + uniform(rng, 0.0, 0.02) - z_seat0
    for i in range(nseat):
        xc = -inner / 2 + (i + 0.5) * cw
        dz = s.ext if nseat > 1 and i == (nseat - 1 if s.cs > 0 else 0) else 0.0
        c = (xc, H - ct / 2, z_seat0 + (depth + dz) / 2)
        shape, ops = cushion_shape(rng, style, c, (cw / 2 - 0.005, ct / 2, (depth + dz) / 2))
        add(d, "seat cushion", shape, ops=ops)
    if s.chaise and nseat == 1:
        c = ((s.xin + s.cs * inner / 2) / 2, H - ct / 2, s.zf + s.ext / 2)
        shape, ops = cushion_shape(rng, style, c, (s.sw / 2 - 0.005, ct / 2, s.ext / 2))
        add(d, "seat cushion", shape, ops=ops)
    if not back_cushions:
        return bct
    tilt = math.radians(uniform(rng, 8, 18))
    R = tilt_x(-tilt)
    top = min(s.Hb + uniform(rng, -0.08, 0.06), s.Hb + 0.06)
    h = (top - H) / math.cos(tilt)
    nb = n if rng.random() < 0.85 else max(1, n - 1)
    bw = inner / nb
    for i in range(nb):
        xc = -inner / 2 + (i + 0.5) * bw
        c = vec(xc, H, zb + bt + bct / 2) + R @ vec(0, h / 2, 0)
        if style == "pillow":
            shape, ops = cushion_shape(
                rng, style, c, (bw / 2 - 0.005, bct / 2, h / 2), R @ rotation_about(X_AXIS, -math.pi / 2)
            )
        else:
            shape, ops = cushion_shape(rng, style, c, (bw / 2 - 0.005, h / 2, bct / 2), R)
        add(d, "back cushion", shape, ops=ops)
    return bct


def _add_throw_pillows(d: Design, rng, s: _Layout, bct: float) -> None:
    """One or two throw pillows leaning in the corners of a sofa."""
    for sx in (-1, 1)[: int(rng.integers(1, 3))]:
        ps = uniform(rng, 0.38, 0.48)
        R = rotation_about(Y_AXIS, sx * uniform(rng, 0.1, 0.35)) @ tilt_x(-math.radians(uniform(rng, 15, 30)))
        c = vec(sx * (s.inner / 2 - ps / 2 - 0.02), s.H + ps / 2 - 0.02, s.zb + s.bt + bct + 0.1)
        add(d, "pillow", Box(c, (ps / 2, ps / 2, 0.06), R), ops=[Bevel(0.6, 2), Subsurf(1)])
