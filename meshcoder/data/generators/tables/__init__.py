"""Tables: dining and coffee tables, side tables, desks and TV stands, drawn on the design layer with the
seating package's shapes.

Importing the package registers its categories.
"""

from meshcoder.data.generators.tables import cocktail, desk, dining, side_table, tv_stand

__all__ = ["cocktail", "desk", "dining", "side_table", "tv_stand"]
