"""MeshCoder: point clouds of man-made objects to editable Blender Python programs."""

__version__ = "0.1.0"
