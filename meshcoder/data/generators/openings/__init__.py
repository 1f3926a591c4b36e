"""Doors and windows, the openings of a wall: one module per category (each registers it on import), the
grids of openings and their infills (:mod:`.grid`) and the door frame, hinges and handles
(:mod:`.door_parts`)."""

from meshcoder.data.generators.openings import lite_door, louver_door, panel_door, window

__all__ = ["lite_door", "louver_door", "panel_door", "window"]
