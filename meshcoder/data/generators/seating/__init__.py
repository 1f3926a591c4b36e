"""Seating: chairs, sofas, armchairs, bar chairs and office chairs, drawn on the design layer
(:mod:`meshcoder.data.generators.design`) with the shapes of this package (``shapes``, ``ops``,
``curves``, ``rotations``, ``pieces``) that the tables share.

Importing the package registers its categories.
"""

from meshcoder.data.generators.seating import armchair, bar_chair, chair, office_chair, sofa

__all__ = ["armchair", "bar_chair", "chair", "office_chair", "sofa"]
