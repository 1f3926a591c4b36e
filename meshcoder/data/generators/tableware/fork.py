"""Forks: one-piece forks of every kind and carving forks with a separate handle."""

from __future__ import annotations

import numpy as np

from meshcoder.data.builder import ProgramBuilder
from meshcoder.data.generators.design import Design
from meshcoder.data.generators.geometry import pick
from meshcoder.data.generators.registry import register
from meshcoder.data.generators.tableware.pieces import cutlery, wooden_handle


@register("Fork")
def fork(rng: np.random.Generator) -> ProgramBuilder:
    """Forks: dinner, salad, dessert, cocktail, serving and carving forks with two to five tines;
    most in one piece, some (all carving forks) with a separate riveted or round handle."""
    kind = pick(rng, {"dinner": 4, "salad": 2, "dessert": 2, "cocktail": 1, "serving": 1.5, "carving": 1.5})
    length, tines, head_w = {
        "dinner": ((0.18, 0.21), (4, 4, 4, 3), (0.011, 0.014)),
        "salad": ((0.16, 0.18), (4, 4, 3), (0.012, 0.015)),
        "dessert": ((0.14, 0.17), (3, 3, 4), (0.01, 0.012)),
        "cocktail": ((0.11, 0.14), (3, 2), (0.006, 0.008)),
        "serving": ((0.21, 0.26), (4, 5, 3), (0.014, 0.019)),
        "carving": ((0.25, 0.32), (2, 2, 3), (0.01, 0.014)),
    }[kind]
    L = rng.uniform(*length)
    n_tines = int(rng.choice(tines))
    hw = rng.uniform(*head_w)
    t = rng.uniform(0.0015, 0.0028) * (1.3 if kind == "carving" else 1.0)
    separate = kind == "carving" or rng.random() < 0.15
    d = Design(f"{kind} fork")

    tine_len = L * rng.uniform(0.17, 0.24) * (1.5 if kind == "carving" else 1.0)
    head_len = tine_len + L * rng.uniform(0.08, 0.12)
    neck_w = hw * rng.uniform(0.3, 0.45)
    end_w = hw * rng.uniform(0.75, 1.1)
    lift = L * rng.uniform(0.015, 0.04)
    x0 = -L / 2
    x_head = L / 2 - head_len
    if separate:
        # A short tang carries the head; the handle covers it.
        handle_len = L * rng.uniform(0.42, 0.52)
        xs = [
            x0 + handle_len * 0.7,
            x0 + handle_len * 0.95,
            x_head,
            x_head + 0.5 * (head_len - tine_len),
            L / 2 - tine_len,
            L / 2,
        ]
        ws = [neck_w * 0.9, neck_w * 0.9, neck_w, hw * 0.9, hw, hw * rng.uniform(0.95, 1.05)]
        zs = [0.0, 0.0, 0.0, -0.002, 0.0, lift * 0.5]
    else:
        xs = [x0, x0 + 0.3 * L, x_head, x_head + 0.5 * (head_len - tine_len), L / 2 - tine_len, L / 2]
        ws = [end_w, end_w * 0.7, neck_w, hw * 0.85, hw, hw * rng.uniform(0.95, 1.05)]
        zs = [lift, lift * 0.6, 0.0, -lift * 0.2, 0.0, lift * rng.uniform(0.2, 0.6)]
    x_tip = L / 2 - tine_len
    cutlery(d, "fork", "create_fork", xs, ws, zs, t, x_tip=x_tip, n_cuts=n_tines - 1)
    if separate:
        wooden_handle(d, rng, x0, x0 + handle_len, hw * rng.uniform(0.8, 1.1), 0.0, max(0.006, hw * 0.5))
    return d.builder()
