"""Geometry without Blender: meshes, sampling, normalisation, readers and the metric protocol."""

from meshcoder.geometry.mesh import TriangleMesh

__all__ = ["TriangleMesh"]
