"""Per-point encoder: Fourier features of xyz plus normals through a small MLP, then ResNet-style point
blocks with local plane pooling between them (each point sees the max over its xy, yz and zx cells)."""

from __future__ import annotations

import math

import torch
from torch import nn

from meshcoder.models.scatter import ScatterBackend
from meshcoder.models.triplane import gather_planes, plane_cells, pool_planes


class FourierFeatures(nn.Module):
    """``sin`` and ``cos`` of ``2^k pi x`` for ``k`` in ``[0, octaves)``, per coordinate."""

    def __init__(self, octaves: int) -> None:
        super().__init__()
        self.register_buffer("frequencies", math.pi * 2.0 ** torch.arange(octaves), persistent=False)

    @property
    def out_dim(self) -> int:
        return 3 * 2 * len(self.frequencies)

    def forward(self, xyz: torch.Tensor) -> torch.Tensor:
        angles = (xyz.unsqueeze(-1) * self.frequencies).flatten(-2)  # B x N x 3K
        return torch.cat([angles.sin(), angles.cos()], dim=-1)


class PointResBlock(nn.Module):
    """Two linear layers with a residual path (a linear shortcut when the widths differ)."""

    def __init__(self, in_dim: int, out_dim: int, hidden_dim: int | None = None) -> None:
        super().__init__()
        hidden_dim = hidden_dim or out_dim
        self.fc0 = nn.Linear(in_dim, hidden_dim)
        self.fc1 = nn.Linear(hidden_dim, out_dim)
        self.act = nn.GELU()
        self.shortcut = nn.Linear(in_dim, out_dim, bias=False) if in_dim != out_dim else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.shortcut(x) + self.fc1(self.act(self.fc0(self.act(x))))


class PointEncoder(nn.Module):
    """Points (and normals) to per-point features with local plane context.

    Block ``i > 0`` reads its predecessor's features concatenated with their local pooling (max over the
    three plane cells at ``local_resolution``, summed over planes), as in convolutional occupancy
    networks' local-pool PointNet.
    """

    def __init__(
        self,
        hidden_dim: int,
        out_dim: int,
        octaves: int,
        num_blocks: int,
        local_resolution: int,
        bound: float,
        scatter_backend: ScatterBackend = "auto",
    ) -> None:
        super().__init__()
        self.fourier = FourierFeatures(octaves)
        self.embed = nn.Sequential(
            nn.Linear(6 + self.fourier.out_dim, hidden_dim), nn.GELU(), nn.Linear(hidden_dim, hidden_dim)
        )
        self.blocks = nn.ModuleList(
            PointResBlock(hidden_dim if i == 0 else 2 * hidden_dim, hidden_dim) for i in range(num_blocks)
        )
        self.out = nn.Linear(hidden_dim, out_dim)
        self.local_resolution = local_resolution
        self.bound = bound
        self.scatter_backend: ScatterBackend = scatter_backend

    def forward(self, xyz: torch.Tensor, normals: torch.Tensor, points_mask: torch.Tensor) -> torch.Tensor:
        """``B x N x 3`` points and normals, ``B x N`` mask -> ``B x N x out_dim`` features."""
        x = self.embed(torch.cat([xyz, normals, self.fourier(xyz)], dim=-1))
        cells = plane_cells(xyz, self.local_resolution, self.bound, points_mask)
        for i, block in enumerate(self.blocks):
            if i > 0:
                pooled = pool_planes(x, cells, self.local_resolution, self.scatter_backend)
                x = torch.cat([x, gather_planes(pooled, cells)], dim=-1)
            x = block(x)
        return self.out(x)
