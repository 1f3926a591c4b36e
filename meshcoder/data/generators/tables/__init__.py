"""Tables: dining and coffee tables, side tables, desks and TV stands, drawn with the seating package's
shape toolkit.

Importing the package registers its categories.
"""

from meshcoder.data.generators.tables import cocktail, desk, dining, side_table, tv_stand

__all__ = ["cocktail", "desk", "dining", "side_table", "tv_stand"]
