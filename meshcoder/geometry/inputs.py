"""Model inputs: any mesh or point cloud to the spec's input, 16,384 points with unit normals in the
canonical frame (Y up, centred on the bounding-box centre, longest side 1).

:func:`prepare_model_input` normalises what it can and says so in a :class:`ConversionReport`; what it
cannot use (NaN or infinite values, fewer than ``MIN_POINTS`` points, empty or degenerate meshes) it
refuses with an :class:`InputError` that says what was wrong and what to do. Nothing is used silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy.spatial import cKDTree

from meshcoder.geometry.frames import canonical_frame
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.normals import estimate_normals
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.sampling import sample_surface

if TYPE_CHECKING:  # torch is imported where clouds are padded: the numpy paths do not pay for it
    import torch

MODEL_INPUT_POINTS = 16_384
MIN_POINTS = 1_000
NORMAL_NEIGHBOURS = 16
# Spread of local density over the surface (see sampling_nonuniformity). Uniform area sampling gives
# about 2.3 on any surface; a cloud twice as dense on one half, 3.8; four times, 7.5; twenty times, 38.
# Above this the model sees a distribution it was not trained on.
NONUNIFORM_RATIO = 10.0


class InputError(ValueError):
    """Geometry that cannot become a model input; the message says why and what to do."""


@dataclass
class ConversionReport:
    """What :func:`prepare_model_input` did, in words a person can check."""

    source: str
    up: str
    centre: np.ndarray
    scale: float
    normals: str
    points: int
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as short lines (warnings last, prefixed ``warning:``)."""
        rotation = "none (already Y up)" if self.up == "y" else f"{self.up.upper()} up turned to Y up"
        c = ", ".join(f"{v:.6g}" for v in self.centre)
        lines = [
            f"input: {self.source}",
            f"axis: {rotation}",
            f"centre: bounding-box centre ({c}) moved to the origin",
            f"scale: x{self.scale:.6g} (longest side to 1)",
            f"normals: {self.normals}",
            f"output: {self.points:,} points with unit normals, canonical frame",
        ]
        return lines + [f"warning: {w}" for w in self.warnings]


def prepare_model_input(
    geometry: TriangleMesh | PointCloud,
    up: str = "y",
    points: int = MODEL_INPUT_POINTS,
    seed: int = 0,
) -> tuple[PointCloud, ConversionReport]:
    """``geometry`` as a model input: ``points`` points with unit normals in the canonical frame.

    A mesh is normalised, then sampled by area (normals from its faces). A cloud is normalised, then
    subsampled to ``points`` (kept whole, with a warning, when smaller); its normals are used when valid
    (made unit if needed) and estimated from neighbours otherwise. Raises :class:`InputError` for input it
    cannot use.
    """
    if points < MIN_POINTS:
        raise InputError(f"asked for {points} points; a model input needs at least {MIN_POINTS:,}")
    warnings: list[str] = []
    if isinstance(geometry, TriangleMesh):
        _check_mesh(geometry)
        source = f"mesh, {len(geometry.vertices):,} vertices, {len(geometry.faces):,} triangles"
    elif isinstance(geometry, PointCloud):
        _check_cloud(geometry)
        normals_note = "with normals" if geometry.normals is not None else "without normals"
        source = f"point cloud, {len(geometry):,} points {normals_note}"
    else:
        raise TypeError(f"expected a TriangleMesh or PointCloud, got {type(geometry).__name__}")

    frame = canonical_frame(geometry, up)
    centre = frame.centre @ frame.rotation  # back in the input's own coordinates
    normalised = frame.apply(geometry)
    if isinstance(normalised, TriangleMesh):
        cloud = sample_surface(normalised, points, seed)
        normals = "from the mesh's triangles (as wound)"
    else:
        cloud = normalised.subsample(points, seed)
        if len(cloud) < points:
            warnings.append(
                f"the cloud has {len(cloud):,} points, fewer than the {points:,} asked for; kept all of "
                "them (the model masks padding, but a denser cloud or the mesh is better)"
            )
        cloud, normals = _normals(cloud, warnings)
        ratio = sampling_nonuniformity(cloud.points)
        if ratio > NONUNIFORM_RATIO:
            warnings.append(
                f"the points are strongly non-uniform (local density varies {ratio:.0f}x, uniform "
                f"sampling gives about 2-3x); results may suffer: sample the surface uniformly by area, "
                "or convert the mesh instead of its vertices"
            )
    report = ConversionReport(
        source=source,
        up=up.lower(),
        centre=centre,
        scale=frame.scale,
        normals=normals,
        points=len(cloud),
        warnings=warnings,
    )
    return cloud, report


def sampling_nonuniformity(points: np.ndarray, k: int = 16, probes: int = 20_000, seed: int = 0) -> float:
    """Spread of local point density over the surface: 95th over 5th percentile of the squared distance
    to the ``k``-th nearest neighbour (inverse density), weighted by that same squared distance (the
    area a point stands for), so that a sparse region counts by its area, not by its few points.
    About 2.3 for uniform area sampling of any surface."""
    points = np.asarray(points, dtype=np.float64)
    if len(points) <= k:
        return 1.0
    tree = cKDTree(points)
    rng = np.random.default_rng(seed)
    probe = points if len(points) <= probes else points[rng.choice(len(points), probes, replace=False)]
    distances, _ = tree.query(probe, k=k + 1, workers=-1)
    r2 = np.sort(distances[:, -1] ** 2)
    share = np.cumsum(r2)
    if share[-1] <= 0:
        return 1.0
    share /= share[-1]
    low, high = r2[np.searchsorted(share, [0.05, 0.95])]
    return float(high / max(low, 1e-30))


def write_model_input(path: str | Path, cloud: PointCloud) -> Path:
    """Write a model input as the dataset's ``.npz`` (``points`` and ``normals``, float32 N x 3)."""
    if cloud.normals is None:
        raise ValueError("a model input needs normals: pass the cloud from prepare_model_input")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, points=cloud.points.astype(np.float32), normals=cloud.normals.astype(np.float32))
    return path


def _check_mesh(mesh: TriangleMesh) -> None:
    if len(mesh.vertices) == 0 or len(mesh.faces) == 0:
        raise InputError(
            f"the mesh is empty ({len(mesh.vertices)} vertices, {len(mesh.faces)} triangles): "
            "export the object with its faces"
        )
    bad = int(np.count_nonzero(~np.isfinite(mesh.vertices).all(axis=1)))
    if bad:
        raise InputError(
            f"{bad:,} mesh vertices hold NaN or infinite coordinates: repair or re-export the mesh"
        )
    if not mesh.area > 0:
        raise InputError(
            f"the mesh is degenerate: its {len(mesh.faces):,} triangles have zero total area "
            "(all collinear or collapsed); export the real surface"
        )
    if not np.max(mesh.extents) > 0:
        raise InputError("the mesh is degenerate: all its vertices are one point")


def _check_cloud(cloud: PointCloud) -> None:
    bad = int(np.count_nonzero(~np.isfinite(cloud.points).all(axis=1)))
    if bad:
        raise InputError(
            f"{bad:,} of {len(cloud):,} points hold NaN or infinite coordinates: remove them and "
            "convert again"
        )
    if cloud.normals is not None:
        bad = int(np.count_nonzero(~np.isfinite(cloud.normals).all(axis=1)))
        if bad:
            raise InputError(
                f"{bad:,} normals hold NaN or infinite values: fix them, or drop the normals to have them "
                "estimated"
            )
    if len(cloud) < MIN_POINTS:
        raise InputError(
            f"the cloud has {len(cloud):,} points; at least {MIN_POINTS:,} are needed (the model is trained "
            f"on {MODEL_INPUT_POINTS:,}): give a denser cloud or the mesh"
        )
    if not np.max(cloud.extents) > 0:
        raise InputError("the cloud is degenerate: all its points are one point")


def _normals(cloud: PointCloud, warnings: list[str]) -> tuple[PointCloud, str]:
    estimated = (
        f"estimated (none in the input): PCA of {NORMAL_NEIGHBOURS} nearest neighbours, oriented "
        "consistently by propagation from the outermost point"
    )
    if cloud.normals is None:
        return PointCloud(cloud.points, estimate_normals(cloud.points, NORMAL_NEIGHBOURS)), estimated
    length = np.linalg.norm(cloud.normals, axis=1)
    zero = int(np.count_nonzero(length < 1e-6))
    if zero:
        warnings.append(f"{zero:,} normals have zero length; estimated all normals from neighbours instead")
        return PointCloud(cloud.points, estimate_normals(cloud.points, NORMAL_NEIGHBOURS)), estimated.replace(
            "none in the input", "the input's were unusable"
        )
    rescaled = np.max(np.abs(length - 1.0)) > 1e-3
    note = "from the input, rescaled to unit length" if rescaled else "from the input"
    return PointCloud(cloud.points, cloud.normals / length[:, None]), note


def pad_clouds(
    points: Sequence[torch.Tensor | np.ndarray] | torch.Tensor,
    normals: Sequence[torch.Tensor | np.ndarray | None] | torch.Tensor | None = None,
    points_mask: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Point clouds of possibly different sizes as one zero-padded float32 batch: ``points`` and
    ``normals`` ``(B, N_max, 3)`` and ``points_mask`` ``(B, N_max)``, True for real points.

    The one place clouds are padded: training batches (:class:`meshcoder.data.datamodule.PadCollate`)
    and the model's own batches (:func:`meshcoder.models.prompt.collate`) both come through here.

    Args:
        points: a ``B x N x 3`` tensor (passed through), or a list of ``N_i x 3`` arrays/tensors.
        normals: same layout as ``points``; None (or None entries) means no normals: zeros are used.
        points_mask: for a stacked ``points`` tensor that already carries padding.
    """
    import torch

    def as_tensor(x: torch.Tensor | np.ndarray) -> torch.Tensor:
        return (
            x.float() if isinstance(x, torch.Tensor) else torch.as_tensor(np.asarray(x), dtype=torch.float32)
        )

    if isinstance(points, torch.Tensor) and points.dim() == 3:
        pts = points.float()
        if normals is None:
            nrm = torch.zeros_like(pts)
        elif isinstance(normals, torch.Tensor):
            nrm = normals.float()
        else:
            nrm = torch.stack([torch.zeros(pts.shape[1:]) if n is None else as_tensor(n) for n in normals])
        mask = torch.ones(pts.shape[:2], dtype=torch.bool) if points_mask is None else points_mask.bool()
    else:
        clouds = [as_tensor(p) for p in points]
        if not clouds:
            raise ValueError("no point clouds to pad")
        if normals is None:
            normals = [None] * len(clouds)
        if len(normals) != len(clouds):
            raise ValueError(f"{len(normals)} normal sets for {len(clouds)} point clouds")
        n_max = max(c.shape[0] for c in clouds)
        pts = torch.zeros(len(clouds), n_max, 3)
        nrm = torch.zeros(len(clouds), n_max, 3)
        mask = torch.zeros(len(clouds), n_max, dtype=torch.bool)
        for i, (c, n) in enumerate(zip(clouds, normals, strict=True)):
            if c.dim() != 2 or c.shape[1] != 3:
                raise ValueError(f"point cloud {i} has shape {tuple(c.shape)}; expected N x 3")
            pts[i, : len(c)] = c
            mask[i, : len(c)] = True
            if n is not None:
                n = as_tensor(n)
                if n.shape != c.shape:
                    raise ValueError(f"normals {i} have shape {tuple(n.shape)}, points {tuple(c.shape)}")
                nrm[i, : len(c)] = n
    if nrm.shape != pts.shape:
        raise ValueError(f"normals {tuple(nrm.shape)} do not match points {tuple(pts.shape)}")
    return pts, nrm, mask
