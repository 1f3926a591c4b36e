"""Point cloud -> program pairs from a dataset folder: ours (``meshcoder-datagen``) or MeshCoder's release.

A folder holds ``train.json``, ``val.json`` and ``test.json`` (JSON lists of records with ``id``,
``script``, ``pcd_path``, ``cd_loss``, ``category``) and the ``.npz`` clouds they name (``points`` and
``normals``, N x 3, N >= 16,384, canonical frame). One item is one record with one of its clouds, picked
per access, and ``num_points`` points drawn from it.

Where ``pcd_path`` entries point (MeshCoder's public loader,
``src/llama_recipes/datasets/shape_to_code_dataset.py`` of adaptco/MeshCoder, read for its rule only):

* an absolute path is used as it is;
* a relative path with a ``point_cloud`` component is relative to the dataset folder (their object
  data, and ours: we write ``point_cloud/<generator>/<id>_<k>.npz``);
* a relative path without one is relative to ``<folder>/point_cloud/`` (their part data); a file
  directly under the folder is accepted too, as our spec says paths are relative to the folder.

The same loader also accepts a single string for ``pcd_path`` and a scalar or missing ``cd_loss``, and
clouds stored with a leading batch axis of one (``1 x N x 3``); so does this one. It drops pairs whose
``cd_loss`` exceeds ``max_cd_loss`` in the training split only, and records left without a cloud.
"""

from __future__ import annotations

import json
import logging
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import torch
from scipy.spatial.transform import Rotation
from torch.utils.data import Dataset

from meshcoder.geometry.inputs import MODEL_INPUT_POINTS

log = logging.getLogger(__name__)

SPLITS = ("train", "val", "test")
#: Pairs whose cloud is further than this (Chamfer, ``cd_loss``) from its program's mesh are dropped
#: from training, as in the paper.
DEFAULT_MAX_CD_LOSS = 0.005


class DatasetError(ValueError):
    """A dataset folder or record that cannot be read; the message names it and says what to fix."""


# ------------------------------------------------------------------------------------ augmentation
@dataclass(frozen=True)
class Augmentation:
    """The paper's input augmentations; every one is off by default.

    Args:
        rotate_up: largest turn about the up axis (Y), degrees; 180 draws any heading.
        tilt: largest turn about X and about Z (each drawn in [-tilt, tilt]), degrees.
        scale: range of a uniform scale factor, e.g. ``(0.9, 1.1)``.
        num_points: range ``(lo, hi)`` of the number of points drawn per access (paper: 4096..16384).
        noise_std: standard deviation of Gaussian noise added to positions (canonical-frame units).
    """

    rotate_up: float = 0.0
    tilt: float = 0.0
    scale: tuple[float, float] | None = None
    num_points: tuple[int, int] | None = None
    noise_std: float = 0.0

    def __post_init__(self) -> None:
        if self.scale is not None and not 0 < self.scale[0] <= self.scale[1]:
            raise ValueError(f"scale range must satisfy 0 < lo <= hi, got {self.scale}")
        if self.num_points is not None and not 1 <= self.num_points[0] <= self.num_points[1]:
            raise ValueError(f"num_points range must satisfy 1 <= lo <= hi, got {self.num_points}")
        if self.noise_std < 0 or self.rotate_up < 0 or self.tilt < 0:
            raise ValueError("rotate_up, tilt and noise_std must be >= 0")

    @classmethod
    def from_config(cls, value: Augmentation | dict | None) -> Augmentation:
        """An augmentation from itself, a mapping of its fields (a config), or None (all off)."""
        if value is None:
            return cls()
        if isinstance(value, Augmentation):
            return value
        fields = dict(value)
        for key in ("scale", "num_points"):
            if fields.get(key) is not None:
                fields[key] = tuple(fields[key])
        unknown = set(fields) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(
                f"unknown augmentation settings {sorted(unknown)}; known: {list(cls.__dataclass_fields__)}"
            )
        return cls(**fields)

    @property
    def enabled(self) -> bool:
        """Whether any augmentation is on."""
        return bool(self.rotate_up or self.tilt or self.scale or self.num_points or self.noise_std)

    def point_count(self, rng: np.random.Generator, default: int) -> int:
        """How many points to draw for one access."""
        if self.num_points is None:
            return default
        return int(rng.integers(self.num_points[0], self.num_points[1] + 1))

    def rotation(self, rng: np.random.Generator) -> np.ndarray:
        """A random rotation matrix: tilts about X and Z, then a turn about Y."""
        ax, az = rng.uniform(-self.tilt, self.tilt, size=2) if self.tilt else (0.0, 0.0)
        ay = rng.uniform(-self.rotate_up, self.rotate_up) if self.rotate_up else 0.0
        # Extrinsic x, then z, then y: the matrix is Ry @ Rz @ Rx.
        return Rotation.from_euler("xzy", [ax, az, ay], degrees=True).as_matrix()

    def apply(
        self, points: np.ndarray, normals: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rotate (points and normals), scale (points; normals of a uniform scale do not change) and
        add noise (points) to one cloud. Returns new float32 arrays."""
        points = np.asarray(points, dtype=np.float64)
        normals = np.asarray(normals, dtype=np.float64)
        if self.rotate_up or self.tilt:
            turn = self.rotation(rng)
            points = points @ turn.T
            normals = normals @ turn.T
        if self.scale is not None:
            points = points * rng.uniform(*self.scale)
        if self.noise_std:
            points = points + rng.normal(scale=self.noise_std, size=points.shape)
        return points.astype(np.float32), normals.astype(np.float32)


# ---------------------------------------------------------------------------------------- reading
def load_records(root: str | Path, split: str) -> list[dict]:
    """The records of ``<root>/<split>.json``."""
    if split not in SPLITS:
        raise DatasetError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    path = Path(root) / f"{split}.json"
    if not path.is_file():
        raise DatasetError(
            f"{path} does not exist: a dataset folder holds {', '.join(s + '.json' for s in SPLITS)} "
            "(make one with meshcoder-datagen, or point root at MeshCoder's released data)"
        )
    try:
        records = json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise DatasetError(f"{path} is not valid JSON ({err}); regenerate or merge it again") from None
    if not isinstance(records, list):
        raise DatasetError(f"{path} must hold a JSON list of records, found {type(records).__name__}")
    return records


def resolve_cloud_path(root: str | Path, path: str) -> Path:
    """The file a ``pcd_path`` entry names (the rule is in the module docstring)."""
    root = Path(root)
    given = Path(path)
    if given.is_absolute():
        candidates = [given]
    elif "point_cloud" in given.parts:
        candidates = [root / given]
    else:
        candidates = [root / "point_cloud" / given, root / given]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"point cloud {path!r} not found (tried {tried}); is root the dataset folder?")


def load_cloud(path: str | Path) -> tuple[np.ndarray, np.ndarray | None]:
    """``(points, normals or None)`` of an ``.npz`` cloud, as float32 ``(N, 3)``."""
    with np.load(path) as data:
        if "points" not in data:
            raise DatasetError(f"{path} has no 'points' array (found {list(data.keys())})")
        points = np.asarray(data["points"], dtype=np.float32)
        normals = np.asarray(data["normals"], dtype=np.float32) if "normals" in data else None
    if points.ndim == 3 and points.shape[0] == 1:  # saved with a batch axis of one
        points = points[0]
        normals = normals[0] if normals is not None and normals.ndim == 3 else normals
    if points.ndim != 2 or points.shape[1] != 3:
        raise DatasetError(f"{path}: points must be N x 3, got shape {points.shape}")
    if normals is not None and normals.shape != points.shape:
        raise DatasetError(f"{path}: normals shape {normals.shape} differs from points {points.shape}")
    if not np.isfinite(points).all():
        raise DatasetError(f"{path}: points hold NaN or inf values; regenerate this cloud")
    return points, normals


@dataclass(frozen=True)
class _Pair:
    """A record and the clouds of it that are kept."""

    record: int
    clouds: tuple[str, ...]
    cd_loss: tuple[float, ...]


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


class ShapeProgramDataset(Dataset):
    """Point cloud -> program pairs of one split of a dataset folder.

    Args:
        root: the dataset folder (ours or MeshCoder's released layout).
        split: ``train``, ``val`` or ``test``.
        num_points: points drawn per access (without replacement; a smaller cloud is drawn with
            replacement, with a warning).
        max_cd_loss: drop clouds whose ``cd_loss`` exceeds it. ``"auto"``: 0.005 on the train split and
            no filter elsewhere (as MeshCoder does); None: no filter; a number: that filter on any split.
        categories: keep only these categories.
        max_tokens: drop records with more program tokens than this: their ``num_tokens`` field, else
            ``count_tokens`` of their script; records with neither are kept (with a warning).
        count_tokens: texts -> token counts, for records without ``num_tokens`` (MeshCoder's release).
        augmentation: input augmentation (off by default); see :class:`Augmentation`.
        seed: None draws fresh randomness every access (from torch's generator, so DataLoader workers
            differ); an integer makes each index give the same cloud and points every time.
        limit: keep only the first ``limit`` records (after filtering).
    """

    def __init__(
        self,
        root: str | Path,
        split: str = "train",
        num_points: int = MODEL_INPUT_POINTS,
        max_cd_loss: float | Literal["auto"] | None = "auto",
        categories: Sequence[str] | None = None,
        max_tokens: int | None = None,
        augmentation: Augmentation | dict | None = None,
        seed: int | None = None,
        limit: int | None = None,
        count_tokens: Callable[[list[str]], Sequence[int]] | None = None,
    ):
        if num_points < 1:
            raise ValueError(f"num_points must be >= 1, got {num_points}")
        self.root = Path(root)
        self.split = split
        self.num_points = int(num_points)
        if max_cd_loss == "auto":
            max_cd_loss = DEFAULT_MAX_CD_LOSS if split == "train" else None
        self.max_cd_loss = max_cd_loss
        self.augmentation = Augmentation.from_config(augmentation)
        self.seed = seed
        self.records = load_records(self.root, split)
        wanted = set(categories) if categories is not None else None
        self.pairs: list[_Pair] = []
        self.dropped_clouds = 0
        self.dropped_records = 0
        candidates = [
            self._pair(index, record)
            for index, record in enumerate(self.records)
            if wanted is None or not isinstance(record, dict) or record.get("category") in wanted
        ]
        lengths = self._program_lengths(candidates, count_tokens) if max_tokens is not None else {}
        for pair in candidates:
            too_long = lengths.get(pair.record) is not None and lengths[pair.record] > max_tokens
            if too_long or not pair.clouds:
                self.dropped_records += 1
                continue
            self.pairs.append(pair)
        if limit is not None:
            self.pairs = self.pairs[: int(limit)]
        if self.dropped_clouds or self.dropped_records:
            log.info(
                "%s/%s: dropped %d clouds over max_cd_loss=%s and %d records (no cloud left or too long)",
                self.root, split, self.dropped_clouds, self.max_cd_loss, self.dropped_records,
            )  # fmt: skip
        self._warned_small = False
        self._warned_normals = False

    def _program_lengths(self, pairs: list[_Pair], count_tokens) -> dict[int, int | None]:
        """Tokens per record: the ``num_tokens`` field, else counted (in chunks), else None."""
        lengths = {p.record: self.records[p.record].get("num_tokens") for p in pairs}
        missing = [i for i, n in lengths.items() if n is None]
        if missing and count_tokens is None:
            warnings.warn(
                f"{len(missing)} records of {self.root}/{self.split}.json have no num_tokens field, so "
                "max_tokens cannot drop them; give count_tokens (a tokenizer hook) to count them",
                stacklevel=3,
            )
        elif missing:
            for start in range(0, len(missing), 1024):
                chunk = missing[start : start + 1024]
                counts = count_tokens([str(self.records[i]["script"]) for i in chunk])
                lengths.update(zip(chunk, (int(c) for c in counts)))
        return lengths

    def _pair(self, index: int, record: dict) -> _Pair:
        if not isinstance(record, dict) or "script" not in record or "pcd_path" not in record:
            raise DatasetError(
                f"{self.root}/{self.split}.json record {index} lacks 'script' or 'pcd_path' "
                f"(keys: {sorted(record) if isinstance(record, dict) else type(record).__name__})"
            )
        clouds = [str(p) for p in _as_list(record["pcd_path"])]
        losses = _as_list(record.get("cd_loss"))
        if not losses:
            losses = [math.nan] * len(clouds)
        if len(losses) != len(clouds):
            raise DatasetError(
                f"{self.root}/{self.split}.json record {index} (id {record.get('id')}): "
                f"{len(clouds)} pcd_path entries but {len(losses)} cd_loss values; they must pair up"
            )
        losses = [math.nan if v is None else float(v) for v in losses]
        kept = [
            (c, v)
            for c, v in zip(clouds, losses)
            if self.max_cd_loss is None or math.isnan(v) or v <= self.max_cd_loss
        ]
        self.dropped_clouds += len(clouds) - len(kept)
        return _Pair(index, tuple(c for c, _ in kept), tuple(v for _, v in kept))

    def __len__(self) -> int:
        return len(self.pairs)

    @property
    def categories(self) -> list[str]:
        """The category of every item, in order."""
        return [str(self.records[p.record].get("category", "unknown")) for p in self.pairs]

    def _rng(self, index: int) -> np.random.Generator:
        if self.seed is not None:
            return np.random.default_rng([int(self.seed), int(index)])
        return np.random.default_rng(int(torch.randint(0, 2**62, ()).item()))

    def __getitem__(self, index: int) -> dict:
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} out of range for {len(self)} items")
        pair = self.pairs[index]
        record = self.records[pair.record]
        rng = self._rng(index % len(self))
        k = int(rng.integers(len(pair.clouds)))
        path = resolve_cloud_path(self.root, pair.clouds[k])
        points, normals = load_cloud(path)
        if normals is None:
            if not self._warned_normals:
                warnings.warn(f"{path} has no normals; using zeros (the model accepts them)", stacklevel=2)
                self._warned_normals = True
            normals = np.zeros_like(points)
        count = self.augmentation.point_count(rng, self.num_points)
        small = len(points) < count
        if small and not self._warned_small:
            warnings.warn(
                f"{path} has {len(points)} points, fewer than the {count} drawn; drawing with replacement "
                "(the data format asks for at least 16,384)",
                stacklevel=2,
            )
            self._warned_small = True
        chosen = rng.choice(len(points), size=count, replace=small)
        points, normals = points[chosen], normals[chosen]
        if self.augmentation.enabled:
            points, normals = self.augmentation.apply(points, normals, rng)
        return {
            "points": torch.from_numpy(np.ascontiguousarray(points, dtype=np.float32)),
            "normals": torch.from_numpy(np.ascontiguousarray(normals, dtype=np.float32)),
            "program": str(record["script"]),
            "category": str(record.get("category", "unknown")),
            "id": int(record.get("id", pair.record)),
            "cd_loss": float(pair.cd_loss[k]),
            "pcd_path": str(path),
        }
