"""Evaluation: aggregates and tables of the spec, and the ``meshcoder-eval`` command.

Per-shape metrics are :class:`meshcoder.geometry.protocol.MetricProtocol`'s; this package turns many of
them into the spec's aggregates and into files a person can open (CSV per shape, Markdown per category).
Hydra is only in :mod:`meshcoder.cli.evaluate`; :mod:`meshcoder.evaluation.run` runs the Blender executor.
"""
