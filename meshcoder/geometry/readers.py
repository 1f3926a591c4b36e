"""Read meshes and point clouds from files: ``.npz``, ``.ply``, ``.obj``, ``.glb``/``.gltf``, ``.stl``,
``.off``, ``.xyz``.

:func:`read_geometry` returns a :class:`TriangleMesh` when the file has faces and a :class:`PointCloud`
otherwise; it does not change coordinates (frames are :mod:`meshcoder.geometry.frames`' business) and
does not judge the geometry (the converter refuses NaN, too few points and the like). Files that
cannot be read raise :class:`GeometryReadError` saying why: missing, a folder, zero bytes, not the format
its suffix says, arrays of the wrong shape, face indices that are not whole numbers or point past the
vertices, or more than :data:`MAX_POINTS` points (checked from the header before loading where the
format has one, so that a small compressed file cannot take gigabytes).
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud

MESH_SUFFIXES = (".ply", ".obj", ".glb", ".gltf", ".stl", ".off")
CLOUD_SUFFIXES = (".npz", ".xyz", ".txt")
SUFFIXES = tuple(sorted(set(MESH_SUFFIXES + CLOUD_SUFFIXES)))
#: Points, vertices or faces a file may hold: 100 times the report protocol's 100,000 points. A larger
#: file is refused (subsample it first) rather than loaded: 50 million points take gigabytes and minutes.
MAX_POINTS = 10_000_000
# How far into a .ply file its header may go.
_PLY_HEADER_BYTES = 65_536


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
    if path.is_dir():
        raise GeometryReadError(f"{path}: is a folder, not a mesh or point cloud file")
    if not path.is_file():
        raise GeometryReadError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise GeometryReadError(
            f"{path}: unsupported file type {suffix or '(none)'!r}; use one of {', '.join(SUFFIXES)}"
        )
    if path.stat().st_size == 0:
        raise GeometryReadError(f"{path}: the file is empty (0 bytes)")
    try:
        if suffix == ".npz":
            return _read_npz(path)
        if suffix in (".xyz", ".txt"):
            return _read_xyz(path)
        if suffix == ".ply":
            _check_ply_header(path)
        return _read_trimesh(path)
    except GeometryReadError:
        raise
    except UnicodeDecodeError:
        raise GeometryReadError(f"{path}: not UTF-8 text, so not a valid {suffix[1:]} file") from None
    except OSError as err:
        raise GeometryReadError(f"{path}: cannot read it ({err.strerror or err})") from None
    except MemoryError:
        raise GeometryReadError(f"{path}: too large to load in memory") from None
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
    _check_npz_sizes(path)
    with np.load(path, allow_pickle=False) as data:
        keys = set(data.files)
        if {"vertices", "faces"} <= keys:
            vertices = _xyz(data["vertices"], path, "vertices")
            return TriangleMesh(vertices, _faces(data["faces"], len(vertices), path))
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


def _check_npz_sizes(path: Path) -> None:
    """Refuse an .npz whose arrays hold more than MAX_POINTS rows, from the headers alone: a compressed
    array of 50 million identical points is a 1 MB file."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise GeometryReadError(f"{path}: not an .npz file (not a zip archive of arrays)") from None
    with archive:
        for name in archive.namelist():
            if not name.endswith(".npy"):
                continue
            with archive.open(name) as member:
                version = np.lib.format.read_magic(member)
                if version == (1, 0):
                    shape = np.lib.format.read_array_header_1_0(member)[0]
                elif version == (2, 0):
                    shape = np.lib.format.read_array_header_2_0(member)[0]
                else:
                    continue  # np.load reads (or refuses) other versions itself
            rows = shape[0] if shape else 1
            if rows > MAX_POINTS or int(np.prod(shape, dtype=np.float64)) > 3 * MAX_POINTS:
                raise GeometryReadError(
                    f"{path}: '{name[:-4]}' holds {rows:,} rows (shape {tuple(shape)}), more than the "
                    f"{MAX_POINTS:,} points a file may hold: subsample it first"
                )


def _check_ply_header(path: Path) -> None:
    """Refuse a .ply whose header declares more than MAX_POINTS vertices or faces, before loading it."""
    with path.open("rb") as stream:
        head = stream.read(_PLY_HEADER_BYTES)
    if not head.startswith(b"ply"):
        raise GeometryReadError(f"{path}: not a .ply file (it does not start with 'ply')")
    end = head.find(b"end_header")
    for line in head[: end if end >= 0 else len(head)].splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == b"element" and words[2].isdigit():
            count = int(words[2])
            if count > MAX_POINTS:
                raise GeometryReadError(
                    f"{path}: declares {count:,} {words[1].decode(errors='replace')} elements, more than "
                    f"the {MAX_POINTS:,} a file may hold: decimate or subsample it first"
                )


def _read_xyz(path: Path) -> PointCloud:
    chunks, rows, widths = [], [], Counter()
    first_line: dict[int, int] = {}
    count = 0
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            line = line.split("#", 1)[0].replace(",", " ").strip()
            if not line:
                continue
            try:
                row = [float(v) for v in line.split()]
            except ValueError:
                raise GeometryReadError(f"{path}:{number}: not a row of numbers: {line[:60]!r}") from None
            widths[len(row)] += 1
            first_line.setdefault(len(row), number)
            rows.append(row)
            count += 1
            if count > MAX_POINTS:
                raise GeometryReadError(
                    f"{path}: more than {MAX_POINTS:,} points, the most a file may hold: subsample it first"
                )
            if len(widths) == 1 and len(rows) == 100_000:  # as arrays: a list of lists costs 10x more
                chunks.append(np.asarray(rows, dtype=np.float64))
                rows = []
    if not widths:
        return PointCloud(np.zeros((0, 3)))
    if len(widths) != 1 or next(iter(widths)) not in (3, 6):
        if len(widths) == 1:
            found = f"{next(iter(widths))} numbers on every line"
        else:
            found = ", ".join(
                f"{w} numbers on {n:,} lines (first: line {first_line[w]})" for w, n in sorted(widths.items())
            )
        raise GeometryReadError(
            f"{path}: every line must hold 3 numbers (x y z) or 6 (x y z nx ny nz); found {found}"
        )
    table = np.concatenate([*chunks, np.asarray(rows, dtype=np.float64).reshape(-1, next(iter(widths)))])
    return PointCloud(table[:, :3], table[:, 3:] if table.shape[1] == 6 else None)


def _xyz(array: np.ndarray, path: Path, name: str) -> np.ndarray:
    array = np.asarray(array)
    numeric = np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
    if array.ndim != 2 or array.shape[1] != 3 or not numeric:
        raise GeometryReadError(
            f"{path}: '{name}' must be an N x 3 array of real numbers, got shape {array.shape} "
            f"of {array.dtype}"
        )
    return array.astype(np.float64)


def _faces(array: np.ndarray, vertices: int, path: Path) -> np.ndarray:
    """Triangle indices as int64, refusing what a cast would silently change: fractions, non-numbers,
    other shapes, indices outside the vertices."""
    array = np.asarray(array)
    if array.ndim != 2 or array.shape[1] != 3:
        raise GeometryReadError(
            f"{path}: 'faces' must be an M x 3 array of vertex indices (triangles), got shape {array.shape}"
        )
    if np.issubdtype(array.dtype, np.floating):
        whole = np.isfinite(array) & (array == np.round(array))
        if not whole.all():
            bad = array[~whole].ravel()[0]
            raise GeometryReadError(
                f"{path}: 'faces' holds {np.count_nonzero(~whole):,} values that are not whole numbers "
                f"(e.g. {bad!r}); face indices must be integers"
            )
    elif not np.issubdtype(array.dtype, np.integer):
        raise GeometryReadError(f"{path}: 'faces' must hold integer vertex indices, got {array.dtype}")
    if array.size:
        low, high = array.min(), array.max()
        if low < 0 or high >= vertices:
            raise GeometryReadError(
                f"{path}: face indices must lie in 0..{vertices - 1} (there are {vertices:,} vertices); "
                f"found {low:.0f}..{high:.0f}"
            )
    return array.astype(np.int64)


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
