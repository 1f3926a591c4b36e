"""Bathroom fixtures: one module per category (each registers it on import) and the bridged shells they
share (:mod:`.bridge`)."""

from meshcoder.data.generators.bathroom import bathtub, toilet

__all__ = ["bathtub", "toilet"]
