"""Drawing in metres for the lighting, openings and bathroom families: a generator draws its object in
metres (Y up, front towards +Z, X to the right), records the extent of each part as it goes, and only then
writes the program through a :class:`~meshcoder.data.frame.Frame` of the whole box, so the program is
canonical whatever was drawn.

:mod:`.design` holds the :class:`~.design.Design` and the values written once the frame is known,
:mod:`.blocks` the primitives drawn with it and :mod:`.sampling` the random numbers the generators draw
(rotations and weighted choices come from :mod:`meshcoder.data.generators.geometry`).
"""
