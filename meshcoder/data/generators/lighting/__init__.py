"""Lamps and lights: one module per category (each registers it on import) and the pieces they share
(:mod:`.parts`: shades, bulbs, bases, canopies, arms, springs, cords and chains)."""

from meshcoder.data.generators.lighting import (
    ceiling_classic_lamp,
    ceiling_light,
    desk_lamp,
    floor_lamp,
    lamp,
)

__all__ = ["ceiling_classic_lamp", "ceiling_light", "desk_lamp", "floor_lamp", "lamp"]
