"""Geometry without Blender: meshes, sampling, normalisation, readers and the metric protocol.

Names are loaded on first use, so that ``from meshcoder.geometry.mesh import TriangleMesh`` (which the
Blender workers do) stays as light as numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# public name -> module under meshcoder.geometry
_EXPORTS = {
    "TriangleMesh": "mesh",
    "PointCloud": "pointcloud",
    "Similarity": "frames",
    "canonical_frame": "frames",
    "metric_frame": "frames",
    "to_canonical": "frames",
    "to_metric": "frames",
    "sample_surface": "sampling",
    "sample_surface_torch": "sampling",
    "estimate_normals": "normals",
    "GeometryReadError": "readers",
    "read_geometry": "readers",
    "read_mesh": "readers",
    "read_point_cloud": "readers",
    "chamfer_distance": "metrics",
    "chamfer_distance_torch": "metrics",
    "nearest_neighbors": "metrics",
    "voxel_iou": "voxels",
    "voxel_ious": "voxels",
    "MetricProtocol": "protocol",
    "ShapeMetrics": "protocol",
    "is_success": "protocol",
    "ConversionReport": "inputs",
    "InputError": "inputs",
    "prepare_model_input": "inputs",
    "write_model_input": "inputs",
}

__all__ = [
    "ConversionReport",
    "GeometryReadError",
    "InputError",
    "MetricProtocol",
    "PointCloud",
    "ShapeMetrics",
    "Similarity",
    "TriangleMesh",
    "canonical_frame",
    "chamfer_distance",
    "chamfer_distance_torch",
    "estimate_normals",
    "is_success",
    "metric_frame",
    "nearest_neighbors",
    "prepare_model_input",
    "read_geometry",
    "read_mesh",
    "read_point_cloud",
    "sample_surface",
    "sample_surface_torch",
    "to_canonical",
    "to_metric",
    "voxel_iou",
    "voxel_ious",
    "write_model_input",
]

if TYPE_CHECKING:
    from meshcoder.geometry.frames import Similarity, canonical_frame, metric_frame, to_canonical, to_metric
    from meshcoder.geometry.inputs import ConversionReport, InputError, prepare_model_input, write_model_input
    from meshcoder.geometry.mesh import TriangleMesh
    from meshcoder.geometry.metrics import chamfer_distance, chamfer_distance_torch, nearest_neighbors
    from meshcoder.geometry.normals import estimate_normals
    from meshcoder.geometry.pointcloud import PointCloud
    from meshcoder.geometry.protocol import MetricProtocol, ShapeMetrics, is_success
    from meshcoder.geometry.readers import GeometryReadError, read_geometry, read_mesh, read_point_cloud
    from meshcoder.geometry.sampling import sample_surface, sample_surface_torch
    from meshcoder.geometry.voxels import voxel_iou, voxel_ious


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'meshcoder.geometry' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"meshcoder.geometry.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
