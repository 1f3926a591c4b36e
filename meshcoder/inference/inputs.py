"""What ``meshcoder predict INPUT...`` reads: files, folders, globs and dataset splits, as named shapes.

* a file the readers take (:data:`meshcoder.geometry.readers.SUFFIXES`): one shape named by its stem;
* a folder: every such file under it, recursively, in sorted order;
* a glob (``'scans/*.ply'``, ``'**/*.obj'``; quoted, or expanded by the shell);
* a dataset split, ``DATASET:SPLIT`` (``data/heldout:test``): each record's first input cloud, named
  ``<category>_<id>``; a dataset folder given without ``:SPLIT`` (it holds ``test.json``) means its
  test split.

Names are unique within a run (a clash gets the parent folder's name, then a number) and safe as file
names, so ``OUT/<name>.py`` and friends never overwrite each other.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.readers import SUFFIXES, read_geometry

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")
_GLOB = re.compile(r"[*?\[]")


class InputSpecError(ValueError):
    """An INPUT argument that names nothing usable; the message says which and why."""


@dataclass
class ShapeInput:
    """One shape to predict: its run-unique ``name``, where it comes from (``source``, for people), and
    how to read it (``read`` returns a mesh or a cloud; it may raise for a bad file)."""

    name: str
    source: str
    read: Callable[[], TriangleMesh | PointCloud] = field(repr=False)
    category: str | None = None


def safe_name(text: str) -> str:
    """``text`` as a file-name stem: runs of other characters become ``_`` (never empty)."""
    name = _UNSAFE.sub("_", text).strip("._")
    return name or "shape"


def expand_inputs(specs: Iterable[str | Path]) -> list[ShapeInput]:
    """The shapes named by command-line ``specs``, in order, with unique names.

    Raises :class:`InputSpecError` for a spec that names nothing (no such file, an empty folder or glob,
    an unknown split).
    """
    found: list[ShapeInput] = []
    for spec in specs:
        found.extend(_expand(str(spec)))
    return _unique(found)


def _expand(spec: str) -> list[ShapeInput]:
    path = Path(spec)
    dataset, split = _dataset_split(spec)
    if dataset is not None:
        return _split_inputs(dataset, split)
    if path.is_file():
        return [_file_input(path)]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputSpecError(
                f"{spec}: the folder holds no mesh or point-cloud file ({', '.join(SUFFIXES)})"
            )
        return [_file_input(p) for p in files]
    if _GLOB.search(spec):
        files = sorted(Path(p) for p in glob.glob(spec, recursive=True) if Path(p).is_file())
        if not files:
            raise InputSpecError(f"{spec}: the pattern matches no file")
        return [_file_input(p) for p in files]
    raise InputSpecError(f"{spec}: no such file or folder")


def _file_input(path: Path) -> ShapeInput:
    # A file the readers do not take still becomes an input: reading it gives the one-line error.
    return ShapeInput(safe_name(path.stem), str(path), lambda p=path: read_geometry(p))


def _dataset_split(spec: str) -> tuple[Path | None, str]:
    """``(dataset, split)`` for ``DATASET:SPLIT`` or a dataset folder, else ``(None, '')``."""
    if ":" in spec and not Path(spec).exists():
        root, _, split = spec.rpartition(":")
        if root and split and Path(root).is_dir() and re.fullmatch(r"[A-Za-z0-9_-]+", split):
            return Path(root), split
    path = Path(spec)
    if path.is_dir() and (path / "test.json").is_file() and (path / "point_cloud").is_dir():
        return path, "test"
    return None, ""


def _split_inputs(dataset: Path, split: str) -> list[ShapeInput]:
    from meshcoder.data.dataset import DatasetError, load_cloud, load_records, resolve_cloud_path

    try:
        records = load_records(dataset, split)
    except DatasetError as err:
        raise InputSpecError(f"{dataset}:{split}: {err}") from None
    inputs = []
    for record in records:
        paths = record.get("pcd_path") if isinstance(record, dict) else None
        first = paths if isinstance(paths, str) else (paths or [None])[0]
        if first is None:
            continue
        category = str(record.get("category", "shape"))
        cloud_path = resolve_cloud_path(dataset, first)

        def read(p=cloud_path) -> PointCloud:
            points, normals = load_cloud(p)
            return PointCloud(points, normals)

        name = safe_name(f"{category}_{record.get('id', len(inputs))}")
        inputs.append(ShapeInput(name, f"{dataset}:{split}#{record.get('id')}", read, category))
    if not inputs:
        raise InputSpecError(f"{dataset}:{split}: no record names an input cloud (pcd_path)")
    return inputs


def _unique(inputs: list[ShapeInput]) -> list[ShapeInput]:
    counts: dict[str, int] = {}
    for item in inputs:
        counts[item.name] = counts.get(item.name, 0) + 1
    taken: set[str] = set()
    for item in inputs:
        name = item.name
        if counts[name] > 1 and item.category is None:  # files of one stem in several folders
            parent = Path(item.source).parent.name
            if parent:
                name = safe_name(f"{parent}_{name}")
        candidate, k = name, 2
        while candidate in taken:
            candidate, k = f"{name}-{k}", k + 1
        item.name = candidate
        taken.add(candidate)
    return inputs
