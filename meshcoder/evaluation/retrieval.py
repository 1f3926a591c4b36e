"""The retrieval baseline: answer a point cloud with the training program whose cloud is nearest to it.

    baseline = RetrievalBaseline.from_dataset("data/objects40", split="train")
    match = baseline.query(points)            # Match(id, category, script, distance)
    baseline.save("pretrained/meshcoder-cpu/retrieval")
    baseline = RetrievalBaseline.load("pretrained/meshcoder-cpu/retrieval")

Every cloud, indexed or queried, is prepared the same way: moved to the canonical frame (centred on its
bounding-box centre, longest side 1), so position and size do not matter; its points sorted, so their
order does not matter; then ``points`` of them drawn with a fixed seed. The distance is the spec's
Chamfer distance (squared, mean over each cloud, the two directions summed) between prepared clouds.

Exact Chamfer distances to every indexed cloud cost about a millisecond each, so a query first takes a
shortlist by a cheap descriptor, a coarse unsigned distance field (the distance from each point of a
``DESCRIPTOR_GRID``^3 lattice over the canonical cube to the nearest point of the cloud), whose
Euclidean distances follow Chamfer distances closely; only the shortlist is measured exactly.
``shortlist=0`` measures every indexed cloud.

No Blender and no Hydra here: the model library can carry an index (``save``/``load`` of a folder) and
fall back on it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree
from tqdm.auto import tqdm

from meshcoder.geometry.frames import canonical_frame
from meshcoder.geometry.metrics import chamfer_distance
from meshcoder.geometry.pointcloud import PointCloud

log = logging.getLogger(__name__)

#: Points per prepared cloud (indexed and queried).
DEFAULT_POINTS = 2048
#: Candidates measured exactly after the descriptor shortlist.
DEFAULT_SHORTLIST = 64
#: Lattice points per side of the distance-field descriptor.
DESCRIPTOR_GRID = 8
FORMAT = "meshcoder-retrieval"
FORMAT_VERSION = 1
CLOUDS_FILE = "retrieval.npz"
RECORDS_FILE = "retrieval.json"


class RetrievalError(ValueError):
    """An index that cannot be built, loaded or queried; the message says what to fix."""


@dataclass(frozen=True)
class Match:
    """One indexed record: its program (``script``), ``id``, ``category``, and the Chamfer ``distance``
    of its prepared cloud to the prepared query."""

    id: int | str
    category: str
    script: str
    distance: float


def prepare_cloud(points: np.ndarray, count: int = DEFAULT_POINTS, seed: int = 0) -> np.ndarray:
    """``count`` points of a cloud in the canonical frame, drawn independently of the points' order
    (float32 ``(count, 3)``; a smaller cloud is drawn with replacement)."""
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 3 or len(points) == 0:
        raise RetrievalError(f"a cloud must be a non-empty N x 3 array, got shape {points.shape}")
    if not np.isfinite(points).all():
        raise RetrievalError("the cloud holds NaN or inf values; clean it before querying")
    try:
        frame = canonical_frame(PointCloud(points))
    except ValueError as err:
        raise RetrievalError(f"cannot normalise the cloud: {err}") from None
    points = frame.apply_points(points)
    points = points[np.lexsort(points.T[::-1])]
    rng = np.random.default_rng(seed)
    index = np.sort(rng.choice(len(points), size=count, replace=len(points) < count))
    return points[index].astype(np.float32)


def distance_field(cloud: np.ndarray, grid: int = DESCRIPTOR_GRID) -> np.ndarray:
    """The distance from each point of a ``grid``^3 lattice over the canonical cube [-0.5, 0.5]^3 to
    the nearest point of a prepared ``cloud`` (float32, ``grid**3`` values)."""
    axis = (np.arange(grid) + 0.5) / grid - 0.5
    lattice = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1).reshape(-1, 3)
    distances, _ = cKDTree(cloud).query(lattice, k=1)
    return distances.astype(np.float32)


class RetrievalBaseline:
    """Nearest indexed program by Chamfer distance between prepared clouds.

    Args:
        clouds: prepared clouds (:func:`prepare_cloud`), ``(M, points, 3)``.
        records: per cloud, a mapping with ``id``, ``category`` and ``script``.
        points: points per prepared cloud (queries are prepared alike).
        seed: the subsampling seed of :func:`prepare_cloud`.
        shortlist: candidates measured exactly per query (0: all of them).
        source: where the index came from (kept in the saved folder, for people).
    """

    def __init__(
        self,
        clouds: np.ndarray,
        records: Sequence[dict],
        points: int = DEFAULT_POINTS,
        seed: int = 0,
        shortlist: int = DEFAULT_SHORTLIST,
        source: str | None = None,
    ):
        clouds = np.asarray(clouds, dtype=np.float32)
        if len(records) == 0:
            raise RetrievalError("the index is empty: it needs at least one record with a cloud")
        if clouds.shape != (len(records), points, 3):
            raise RetrievalError(
                f"clouds have shape {clouds.shape}; expected ({len(records)}, {points}, 3) for "
                f"{len(records)} records of {points} points"
            )
        if shortlist < 0:
            raise RetrievalError(f"shortlist must be at least 1 (or 0 for all), got {shortlist}")
        self.clouds = clouds
        self.records = [
            {"id": r["id"], "category": str(r.get("category", "unknown")), "script": str(r["script"])}
            for r in records
        ]
        self.points = int(points)
        self.seed = int(seed)
        self.shortlist = int(shortlist)
        self.source = source
        self.descriptors = np.stack([distance_field(c) for c in clouds])

    def __len__(self) -> int:
        return len(self.records)

    # ------------------------------------------------------------------------------------ building
    @classmethod
    def from_dataset(
        cls,
        root: str | Path,
        split: str = "train",
        points: int = DEFAULT_POINTS,
        seed: int = 0,
        shortlist: int = DEFAULT_SHORTLIST,
        progress: bool = True,
    ) -> RetrievalBaseline:
        """Index ``split`` of a dataset folder: each record's first cloud (``pcd_path``) and its
        ``script``. Records without either are skipped with a warning."""
        from meshcoder.data.dataset import DatasetError, load_cloud, load_records, resolve_cloud_path

        try:
            records = load_records(root, split)
        except DatasetError as err:
            raise RetrievalError(str(err)) from None
        kept, clouds, skipped = [], [], 0
        for record in tqdm(records, desc=f"indexing {split}", unit="cloud", disable=not progress):
            paths = record.get("pcd_path") if isinstance(record, dict) else None
            first = paths if isinstance(paths, str) else (paths or [None])[0]
            if first is None or "script" not in record:
                skipped += 1
                continue
            cloud, _ = load_cloud(resolve_cloud_path(root, first))
            clouds.append(prepare_cloud(cloud, points, seed))
            kept.append(record)
        if skipped:
            log.warning("%s/%s.json: %d records without pcd_path or script are not indexed", root, split,
                        skipped)  # fmt: skip
        if not kept:
            raise RetrievalError(f"{Path(root) / (split + '.json')} has no record with a cloud and a script")
        return cls(np.stack(clouds), kept, points, seed, shortlist, source=f"{root} ({split})")

    def subset(self, per_category: int, points: int | None = None, seed: int = 0) -> RetrievalBaseline:
        """A smaller index: at most ``per_category`` records of each category (drawn with ``seed``, kept
        in index order) and, when ``points`` is given, that many of each prepared cloud's points (a
        compact index to ship beside a model, e.g. its fallback)."""
        if per_category < 1:
            raise RetrievalError(f"per_category must be at least 1, got {per_category}")
        points = self.points if points is None else int(points)
        if not 0 < points <= self.points:
            raise RetrievalError(f"points must be in 1..{self.points} (the index's own), got {points}")
        rng = np.random.default_rng(seed)
        by_category: dict[str, list[int]] = {}
        for i, record in enumerate(self.records):
            by_category.setdefault(record["category"], []).append(i)
        keep = sorted(
            i
            for members in by_category.values()
            for i in (
                members if len(members) <= per_category else rng.choice(members, per_category, replace=False)
            )
        )
        clouds = self.clouds[keep]
        if points < self.points:
            clouds = np.stack([c[np.sort(rng.choice(self.points, points, replace=False))] for c in clouds])
        source = f"{self.source}, {per_category} per category, {points} points"
        return RetrievalBaseline(
            clouds, [self.records[i] for i in keep], points, self.seed, self.shortlist, source=source
        )

    # ------------------------------------------------------------------------------------- queries
    def nearest(self, points: np.ndarray, k: int = 1) -> list[Match]:
        """The ``k`` indexed records nearest to a cloud ``(N, 3)``, nearest first."""
        if k < 1:
            raise RetrievalError(f"k must be at least 1, got {k}")
        query = prepare_cloud(points, self.points, self.seed)
        candidates = np.arange(len(self))
        if self.shortlist and max(self.shortlist, k) < len(self):
            gaps = np.square(self.descriptors - distance_field(query)).sum(axis=1)
            candidates = np.argpartition(gaps, max(self.shortlist, k) - 1)[: max(self.shortlist, k)]
        distances = np.array([chamfer_distance(query, self.clouds[i]) for i in candidates])
        order = np.lexsort((candidates, distances))[:k]  # ties go to the earlier record
        return [self._match(int(candidates[i]), float(distances[i])) for i in order]

    def query(self, points: np.ndarray) -> Match:
        """The indexed record nearest to a cloud ``(N, 3)``."""
        return self.nearest(points, 1)[0]

    def _match(self, index: int, distance: float) -> Match:
        record = self.records[index]
        return Match(record["id"], record["category"], record["script"], distance)

    # --------------------------------------------------------------------------------------- files
    def save(self, folder: str | Path) -> Path:
        """Write the index to ``folder`` (created): ``retrieval.npz`` (prepared clouds) and
        ``retrieval.json`` (settings and records)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / CLOUDS_FILE, clouds=self.clouds)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "points": self.points,
            "seed": self.seed,
            "shortlist": self.shortlist,
            "source": self.source,
            "records": self.records,
        }
        (folder / RECORDS_FILE).write_text(json.dumps(manifest, indent=1) + "\n")
        return folder

    @classmethod
    def load(cls, folder: str | Path, shortlist: int | None = None) -> RetrievalBaseline:
        """An index written by :meth:`save`; ``shortlist`` overrides the saved one unless None."""
        folder = Path(folder)
        manifest_path, clouds_path = folder / RECORDS_FILE, folder / CLOUDS_FILE
        if not manifest_path.is_file() or not clouds_path.is_file():
            raise RetrievalError(
                f"{folder} holds no retrieval index ({RECORDS_FILE} and {CLOUDS_FILE}); build one with "
                "RetrievalBaseline.from_dataset(...).save(folder)"
            )
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
            raise RetrievalError(
                f"{manifest_path} is not a version-{FORMAT_VERSION} {FORMAT} index; build it again"
            )
        with np.load(clouds_path) as data:
            clouds = data["clouds"]
        return cls(
            clouds,
            manifest["records"],
            points=manifest["points"],
            seed=manifest["seed"],
            shortlist=manifest["shortlist"] if shortlist is None else shortlist,
            source=manifest.get("source"),
        )
