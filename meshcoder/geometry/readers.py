"""Read meshes and point clouds from files: ``.npz``, ``.ply``, ``.obj``, ``.glb``/``.gltf``, ``.stl``,
``.off``, ``.xyz``.

:func:`read_geometry` returns a :class:`TriangleMesh` when the file has faces and a :class:`PointCloud`
otherwise; it does not change coordinates (frames are :mod:`meshcoder.geometry.frames`' business) and
does not judge the content (the converter refuses NaN, too few points and the like). Files that cannot
be read raise :class:`GeometryReadError` saying why.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud

MESH_SUFFIXES = (".ply", ".obj", ".glb", ".gltf", ".stl", ".off")
CLOUD_SUFFIXES = (".npz", ".xyz", ".txt")
SUFFIXES = tuple(sorted(set(MESH_SUFFIXES + CLOUD_SUFFIXES)))


class GeometryReadError(ValueError):
    """A file that could not be read as a mesh or point cloud; the message says why."""


def read_geometry(path: str | Path) -> TriangleMesh | PointCloud:
    """The mesh or point cloud stored at ``path`` (format chosen by suffix, see the module docstring).

    ``.npz`` files hold ``points`` (and optionally ``normals``) for a cloud, or ``vertices`` and ``faces``
    for a mesh. ``.xyz``/``.txt`` hold one point per line: ``x y z`` or ``x y z nx ny nz`` (spaces or
    commas). Mesh formats without faces (a ``.ply`` of vertices only) give a point cloud, with the file's
    ``nx ny nz`` normals when it has them.
    """
    path = Path(path)
    if not path.is_file():
        raise GeometryReadError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise GeometryReadError(
            f"{path}: unsupported file type {suffix or '(none)'!r}; use one of {', '.join(SUFFIXES)}"
        )
    try:
        if suffix == ".npz":
            return _read_npz(path)
        if suffix in (".xyz", ".txt"):
            return _read_xyz(path)
        return _read_trimesh(path)
    except GeometryReadError:
        raise
    except Exception as err:  # a parser's own error: say which file and what it said
        raise GeometryReadError(
            f"{path}: could not read it as {suffix[1:]} ({type(err).__name__}: {err})"
        ) from err


def read_mesh(path: str | Path) -> TriangleMesh:
    """The triangle mesh at ``path``; a file without faces is an error (use :func:`read_geometry`)."""
    geometry = read_geometry(path)
    if not isinstance(geometry, TriangleMesh):
        raise GeometryReadError(
            f"{path}: holds a point cloud ({len(geometry)} points), not a mesh with faces"
        )
    return geometry


def read_point_cloud(path: str | Path) -> PointCloud:
    """The point cloud at ``path``: a cloud file as stored, or a mesh file's vertices (no sampling)."""
    geometry = read_geometry(path)
    if isinstance(geometry, TriangleMesh):
        return PointCloud(geometry.vertices)
    return geometry


def _read_npz(path: Path) -> TriangleMesh | PointCloud:
    with np.load(path, allow_pickle=False) as data:
        keys = set(data.files)
        if {"vertices", "faces"} <= keys:
            return TriangleMesh(_xyz(data["vertices"], path, "vertices"), np.asarray(data["faces"]))
        if "points" not in keys:
            raise GeometryReadError(
                f"{path}: an .npz needs a 'points' array (and optionally 'normals'), or 'vertices' and "
                f"'faces'; it has {sorted(keys) or 'no arrays'}"
            )
        points = _xyz(data["points"], path, "points")
        normals = _xyz(data["normals"], path, "normals") if "normals" in keys else None
    if normals is not None and len(normals) != len(points):
        raise GeometryReadError(f"{path}: {len(normals)} normals for {len(points)} points")
    return PointCloud(points, normals)


def _read_xyz(path: Path) -> PointCloud:
    rows = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.split("#", 1)[0].replace(",", " ").strip()
        if not line:
            continue
        try:
            rows.append([float(v) for v in line.split()])
        except ValueError:
            raise GeometryReadError(f"{path}:{number}: not a row of numbers: {line[:60]!r}") from None
    if not rows:
        return PointCloud(np.zeros((0, 3)))
    widths = {len(r) for r in rows}
    if len(widths) != 1 or widths.pop() not in (3, 6):
        raise GeometryReadError(
            f"{path}: every line must hold 3 numbers (x y z) or 6 (x y z nx ny nz); found {sorted(widths)}"
        )
    table = np.asarray(rows, dtype=np.float64)
    return PointCloud(table[:, :3], table[:, 3:] if table.shape[1] == 6 else None)


def _xyz(array: np.ndarray, path: Path, name: str) -> np.ndarray:
    array = np.asarray(array)
    if array.ndim != 2 or array.shape[1] != 3 or not np.issubdtype(array.dtype, np.number):
        raise GeometryReadError(f"{path}: '{name}' must be an N x 3 numeric array, got shape {array.shape}")
    return array.astype(np.float64)


def _read_trimesh(path: Path) -> TriangleMesh | PointCloud:
    import trimesh  # imported here: it is slow to import and only file reading needs it

    loaded = trimesh.load(str(path), process=False)
    if isinstance(loaded, trimesh.Scene):
        meshes, clouds = [], []
        # dump() applies each node's transform, so the parts land where the scene places them.
        for item in loaded.dump():
            if isinstance(item, trimesh.Trimesh) and len(item.faces):
                meshes.append(TriangleMesh(item.vertices, item.faces))
            elif isinstance(item, trimesh.PointCloud) and len(item.vertices):
                clouds.append(np.asarray(item.vertices))
        if meshes:
            return TriangleMesh.concatenate(meshes)
        if clouds:
            return PointCloud(np.concatenate(clouds))
        raise GeometryReadError(f"{path}: the file holds no geometry (no faces and no points)")
    if isinstance(loaded, trimesh.Trimesh):
        if len(loaded.faces):
            return TriangleMesh(np.asarray(loaded.vertices), np.asarray(loaded.faces))
        return PointCloud(np.asarray(loaded.vertices), _ply_normals(loaded, len(loaded.vertices)))
    if isinstance(loaded, trimesh.PointCloud):
        vertices = np.asarray(loaded.vertices)
        if vertices.size == 0:
            raise GeometryReadError(f"{path}: the file holds no geometry (no faces and no points)")
        return PointCloud(vertices.reshape(-1, 3), _ply_normals(loaded, len(vertices)))
    raise GeometryReadError(f"{path}: read as {type(loaded).__name__}, which is neither a mesh nor a cloud")


def _ply_normals(loaded, count: int) -> np.ndarray | None:
    # trimesh keeps a vertex-only PLY's extra properties in its raw metadata, not on the object.
    raw = getattr(loaded, "metadata", {}).get("_ply_raw", {}).get("vertex", {}).get("data")
    if isinstance(raw, dict) and {"nx", "ny", "nz"} <= set(raw):
        normals = np.stack([np.asarray(raw[k], dtype=np.float64).ravel() for k in ("nx", "ny", "nz")], axis=1)
        if len(normals) == count:
            return normals
    if raw is not None and getattr(raw, "dtype", None) is not None and raw.dtype.names:
        names = raw.dtype.names
        if {"nx", "ny", "nz"} <= set(names):
            return np.stack([raw[k].astype(np.float64).ravel() for k in ("nx", "ny", "nz")], axis=1)
    return None
