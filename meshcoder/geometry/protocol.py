"""The evaluation protocol in code: every per-shape metric of the spec from one call.

>>> protocol = MetricProtocol()            # 100,000 points per surface, as reported tables use
>>> protocol = MetricProtocol(fast=True)   # 16,384 points: validation during training; says so
>>> metrics = protocol.score(prediction_mesh_or_None, reference_mesh_or_cloud)

Steps: the prediction succeeds if it is a non-empty mesh with positive area (or a non-empty cloud).
Both shapes go to the metric frame of the *reference's* bounding box; each surface is sampled (area
weighted, seeded: identical shapes give identical samples, so exactly 0 and 1) or, for a cloud,
subsampled; nearest neighbours in both directions give Chamfer distance, F-scores (thresholds a fraction
of the reference's longest side, i.e. ``2 * fraction`` in the metric frame) and normal consistency; the
voxel IoUs come from dense surface samples (see :mod:`meshcoder.geometry.voxels`).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass

import numpy as np

from meshcoder.geometry.frames import metric_frame
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.metrics import (
    BACKENDS,
    distinct_points,
    fscore,
    nearest_neighbors,
    normal_consistency,
)
from meshcoder.geometry.normals import estimate_normals
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.sampling import sample_surface
from meshcoder.geometry.voxels import voxel_ious

REPORT_POINTS = 100_000
FAST_POINTS = 16_384
# Names of the per-shape metrics, in table order (`success` aside).
METRICS = ("cd", "iou", "iou_64", "fscore_1", "fscore_2", "normal_consistency")
# Scale of Chamfer distance in tables: values are reported x 10^-2.
CD_TABLE_SCALE = 100.0


@dataclass
class ShapeMetrics:
    """Per-shape metrics; all but ``success`` are ``None`` for a failed prediction.

    ``cd`` is the raw squared-distance Chamfer in the metric frame (multiply by ``CD_TABLE_SCALE`` for the
    x 10^-2 figure of tables); ``iou``/``iou_64``, ``fscore_*`` and ``normal_consistency`` are in [0, 1].
    """

    success: bool
    cd: float | None = None
    iou: float | None = None
    iou_64: float | None = None
    fscore_1: float | None = None
    fscore_2: float | None = None
    normal_consistency: float | None = None

    def to_dict(self) -> dict[str, bool | float | None]:
        """The seven fields as a plain dict (JSON-ready)."""
        return asdict(self)


@dataclass(frozen=True)
class MetricProtocol:
    """The spec's per-shape metric protocol; its settings are few on purpose, and :meth:`describe`
    names them so that every report states them.

    Attributes:
        fast: sample 16,384 points per surface instead of 100,000 (validation; reports must say so).
        points: an explicit count, overriding ``fast`` (tests, benchmarks); recorded like ``fast``.
        seed: seed of the surface sampling.
        backend: nearest-neighbour backend (``"kdtree"``, ``"torch"``, ``"pytorch3d"``).
        fscore_thresholds: F-score thresholds as fractions of the reference's longest side.
        iou_resolutions: voxel IoU resolutions; the first is reported as ``iou``, the second ``iou_64``.
    """

    fast: bool = False
    points: int | None = None
    seed: int = 0
    backend: str = "kdtree"
    fscore_thresholds: tuple[float, float] = (0.01, 0.02)
    iou_resolutions: tuple[int, int] = (32, 64)

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"unknown backend {self.backend!r}: use one of {', '.join(BACKENDS)}")
        if self.points is not None and self.points < 1:
            raise ValueError(f"points must be positive, got {self.points}")

    @property
    def n_points(self) -> int:
        """Points sampled per surface."""
        if self.points is not None:
            return self.points
        return FAST_POINTS if self.fast else REPORT_POINTS

    @property
    def is_reporting(self) -> bool:
        """Whether the numbers are the spec's reported-table setting (100,000 points)."""
        return self.n_points == REPORT_POINTS

    def describe(self) -> str:
        """One line naming the settings, for the head of every report."""
        setting = "report setting" if self.is_reporting else "NOT the report setting (fast)"
        return (
            f"{self.n_points:,} points per surface ({setting}), metric frame of the reference's box, "
            f"CD squared L2 summed both ways, F-score at {self.fscore_thresholds[0]:.0%}/"
            f"{self.fscore_thresholds[1]:.0%} of the reference's longest side, voxel IoU at "
            f"{self.iou_resolutions[0]}^3/{self.iou_resolutions[1]}^3 filled, seed {self.seed}"
        )

    def settings(self) -> dict[str, object]:
        """The settings as a dict (written beside results)."""
        return {
            "points": self.n_points,
            "fast": not self.is_reporting,
            "seed": self.seed,
            "backend": self.backend,
            "fscore_thresholds": list(self.fscore_thresholds),
            "iou_resolutions": list(self.iou_resolutions),
        }

    def score(
        self,
        prediction: TriangleMesh | PointCloud | None,
        reference: TriangleMesh | PointCloud,
    ) -> ShapeMetrics:
        """All per-shape metrics of ``prediction`` (``None`` for a program that failed) against
        ``reference``. Raises ``ValueError`` when the reference itself is unusable (empty, flat to a
        point, NaN): that is a data problem, not a failed prediction. Nothing about the prediction
        raises: what cannot be scored is a failure."""
        _check_reference(reference)
        if not is_success(prediction):
            return ShapeMetrics(success=False)
        frame = metric_frame(reference)
        prediction, reference = frame.apply(prediction), frame.apply(reference)
        if not is_success(prediction):
            # In the reference's frame the prediction lost its area (it is some 10^16 times smaller
            # than the reference, so its vertices round together) or its coordinates overflowed.
            warnings.warn(
                "the prediction has no finite area left in the reference's metric frame (negligibly "
                "small, or far too large, next to the reference); scored as a failed prediction",
                stacklevel=2,
            )
            return ShapeMetrics(success=False)
        pred = self.sample(prediction, "prediction")
        ref = self.sample(reference, "reference")
        d_pr, i_pr = nearest_neighbors(pred.points, ref.points, self.backend)
        d_rp, i_rp = nearest_neighbors(ref.points, pred.points, self.backend)
        ious = voxel_ious(prediction, reference, self.iou_resolutions)
        # The reference's longest side is 2 in the metric frame.
        f1, f2 = (fscore(d_pr, d_rp, 2.0 * t) for t in self.fscore_thresholds)
        return ShapeMetrics(
            success=True,
            cd=float(d_pr.mean() + d_rp.mean()),
            iou=ious[self.iou_resolutions[0]],
            iou_64=ious[self.iou_resolutions[1]],
            fscore_1=f1,
            fscore_2=f2,
            normal_consistency=normal_consistency(pred.normals, ref.normals, i_pr, i_rp),
        )

    def sample(self, geometry: TriangleMesh | PointCloud, role: str = "shape") -> PointCloud:
        """``n_points`` points with normals: area-weighted samples of a mesh, or a seeded subset of a
        cloud (all of it when smaller, with a warning; normals estimated when missing, with a warning)."""
        if isinstance(geometry, TriangleMesh):
            return sample_surface(geometry, self.n_points, self.seed)
        cloud = geometry.subsample(self.n_points, self.seed)
        if len(cloud) < self.n_points:
            warnings.warn(
                f"the {role} cloud has {len(cloud):,} points, fewer than the protocol's {self.n_points:,}; "
                "using all of them (give a mesh or a denser cloud for comparable numbers)",
                stacklevel=3,
            )
        if cloud.normals is None:
            # Copies of a point share its normal: estimating once per distinct point keeps a cloud of
            # repeated points (a collapsed prediction) from costing minutes in the neighbour search.
            distinct, _, inverse = distinct_points(cloud.points)
            if len(distinct) < 3:
                warnings.warn(
                    f"the {role} cloud has {len(distinct)} distinct points and no normals: too few to "
                    "estimate them, so its normal consistency counts as 0",
                    stacklevel=3,
                )
                return PointCloud(cloud.points, np.zeros_like(cloud.points))
            warnings.warn(
                f"the {role} cloud has no normals; estimating them from neighbours for normal consistency",
                stacklevel=3,
            )
            normals = estimate_normals(distinct)
            cloud = PointCloud(cloud.points, normals if inverse is None else normals[inverse])
        return cloud

    def chamfer_to_cloud(self, prediction: TriangleMesh, cloud: PointCloud) -> float:
        """Chamfer distance of ``prediction`` to a point cloud in the cloud's metric frame: the best-of-N
        selection score (it looks only at the model's input, never at ground truth)."""
        if not is_success(prediction):
            return math.inf
        frame = metric_frame(cloud)
        pred = sample_surface(frame.apply(prediction), self.n_points, self.seed).points
        target = frame.apply(cloud).subsample(self.n_points, self.seed).points
        d_pt, _ = nearest_neighbors(pred, target, self.backend)
        d_tp, _ = nearest_neighbors(target, pred, self.backend)
        return float(d_pt.mean() + d_tp.mean())


def is_success(prediction: TriangleMesh | PointCloud | None) -> bool:
    """The spec's ``success``: a non-empty mesh with positive, finite area (or a non-empty finite cloud)."""
    if prediction is None:
        return False
    if isinstance(prediction, PointCloud):
        return len(prediction) > 0 and bool(np.all(np.isfinite(prediction.points)))
    if prediction.is_empty or not np.all(np.isfinite(prediction.vertices)):
        return False
    area = prediction.area
    return bool(np.isfinite(area) and area > 0)


def _check_reference(reference: TriangleMesh | PointCloud) -> None:
    if isinstance(reference, TriangleMesh):
        if not is_success(reference):
            raise ValueError(
                f"the reference mesh is empty or degenerate ({len(reference.faces)} faces, area "
                f"{reference.area:g}, or non-finite vertices): check the reference file or program"
            )
    elif isinstance(reference, PointCloud):
        if not is_success(reference):
            raise ValueError("the reference cloud is empty or holds NaN/inf: check the reference file")
    else:
        raise TypeError(f"the reference must be a TriangleMesh or PointCloud, got {type(reference).__name__}")
