"""Seating: chairs, sofas, armchairs, bar chairs and office chairs, drawn with the shape toolkit of this
package (``written``, ``rotations``, ``curves``, ``ops``, ``shapes``, ``drawing``) that the tables share.

Importing the package registers its categories.
"""

from meshcoder.data.generators.seating import armchair, bar_chair, chair, office_chair, sofa

__all__ = ["armchair", "bar_chair", "chair", "office_chair", "sofa"]
