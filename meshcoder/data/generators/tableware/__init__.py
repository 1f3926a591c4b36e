"""Program generators for tableware: vessels turned on a lathe, cutlery and chopsticks.

Bottle, Bowl, Cup, Jar, Lid, Plate, Vase and Wineglass are mostly solids of revolution (``bezier_rotation``
of a ``create_curve`` or ``create_arc_points`` profile, ``star_curve_rotation`` when fluted) with thin walls
from ``thickness``, plus swept rings, handles (``create_curve`` and ``create_arc_by_3Dpoints`` sweeps of
circle, oval or rectangle sections) and knobs. Fork and Spoon use the catalogue's ``create_fork`` /
``create_spoon``; Chopsticks are tapered primitives (``zoom_upper_face``).

One module per category, drawn in metres through :mod:`meshcoder.data.generators.design` (which fits the
canonical frame to the program as written); :mod:`.pieces` holds what several categories share. A lathe
keeps the curve bevel's winding and grows its shell to the right of the profile's direction of travel in
(radius, height) (spec 3b, item 4; :data:`~meshcoder.data.generators.library_model.LATHE_OUTSIDE`). A
vessel's profile runs from the axis outwards and up, so its wall grows outside the profile: rims, beads,
threads, handles and lids are set against that outer surface, corks and liquids against the profile itself.
"""

# Importing the category modules registers their generators.
from meshcoder.data.generators.tableware import (  # noqa: F401
    bottle,
    bowl,
    chopsticks,
    cup,
    fork,
    jar,
    lid,
    plate,
    spoon,
    vase,
    wineglass,
)
