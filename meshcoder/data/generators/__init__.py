"""Program generators, one module per family of categories; each registers its categories on import.

Every generator takes a ``numpy.random.Generator`` and returns a
:class:`~meshcoder.data.builder.ProgramBuilder` whose program is in the canonical frame (Y up, centred,
longest side 1), with labelled parts. Part order is settled after execution by
:func:`meshcoder.data.ordering.order_parts`.
"""
