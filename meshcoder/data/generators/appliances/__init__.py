"""Appliances: BeverageFridge, Dishwasher, Microwave and TV, drawn with
:mod:`~meshcoder.data.generators.storage.sketch`."""

from meshcoder.data.generators.appliances import dishwasher, fridge, microwave, tv

__all__ = ["dishwasher", "fridge", "microwave", "tv"]
