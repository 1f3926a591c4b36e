"""Shape tokenizer: a point cloud (with normals) to ``Q`` embeddings in the LLM's hidden space.

Pipeline (``../shared/spec/model-and-data.md``): per-point Fourier features + MLP, ResNet point blocks
with local plane pooling (:mod:`meshcoder.models.point_encoder`); scatter-max into three ``R x R x C``
planes laid out as one ``C x R x 3R`` image (:mod:`meshcoder.models.triplane`); a ViT over the image
(:mod:`meshcoder.models.vit`); a querier of ``Q`` learnable queries (:mod:`meshcoder.models.querier`).

    >>> cfg = ShapeTokenizerConfig.tiny(output_dim=64)
    >>> tokens = ShapeTokenizer(cfg)(torch.rand(2, 500, 3) - 0.5)   # B x Q x 64
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from meshcoder.models.attention import ATTENTION_BACKENDS, AttentionBackend
from meshcoder.models.config import SerializableConfig
from meshcoder.models.point_encoder import PointEncoder
from meshcoder.models.querier import Querier
from meshcoder.models.scatter import SCATTER_BACKENDS, ScatterBackend
from meshcoder.models.triplane import plane_cells, planes_to_image, pool_planes
from meshcoder.models.vit import ViT


@dataclass
class ShapeTokenizerConfig(SerializableConfig):
    """Every size of the shape tokenizer. Defaults are the paper's (about 0.33B parameters with
    ``output_dim`` 2048, Llama-3.2-1B's width); :meth:`tiny` is a CPU/test setting."""

    # per-point encoder
    fourier_octaves: int = 10
    point_hidden_dim: int = 128
    point_blocks: int = 3
    local_resolution: int = 128  # cells per side of the planes pooled between point blocks
    # triplane
    plane_resolution: int = 128  # R
    plane_channels: int = 32  # C
    bound: float = 0.6  # planes cover [-bound, bound]^3; the canonical frame is about [-0.5, 0.5]^3
    # ViT over the C x R x 3R image
    patch_size: int = 16
    vit_width: int = 768
    vit_depth: int = 12
    vit_heads: int = 12
    vit_mlp_ratio: float = 4.0
    # querier
    num_queries: int = 128  # Q: shape tokens handed to the LLM
    querier_width: int = 1024
    querier_depth: int = 12
    querier_heads: int = 16
    querier_ff_mult: float = 4.0
    # output
    output_dim: int = 2048  # the LLM's hidden size; MeshCoder sets it from the LLM
    dropout: float = 0.0
    gradient_checkpointing: bool = False
    scatter_backend: str = "auto"  # auto | torch | torch_scatter
    attention_backend: str = "auto"  # auto | sdpa | xformers

    def __post_init__(self) -> None:
        if self.scatter_backend not in SCATTER_BACKENDS:
            raise ValueError(f"scatter_backend {self.scatter_backend!r}: use one of {SCATTER_BACKENDS}")
        if self.attention_backend not in ATTENTION_BACKENDS:
            raise ValueError(f"attention_backend {self.attention_backend!r}: use one of {ATTENTION_BACKENDS}")
        if self.plane_resolution % self.patch_size:
            raise ValueError(
                f"plane_resolution {self.plane_resolution} must be a multiple of patch_size {self.patch_size}"
            )
        if self.point_blocks < 1:
            raise ValueError("point_blocks must be at least 1")

    @property
    def num_image_tokens(self) -> int:
        """ViT tokens: ``(R / patch) * (3R / patch)`` (192 at paper size)."""
        side = self.plane_resolution // self.patch_size
        return side * 3 * side

    @classmethod
    def paper(cls, output_dim: int = 2048) -> ShapeTokenizerConfig:
        """The paper's sizes (R 128, C 32, patch 16, ViT 768 x 12, querier 128 queries 1024 x 12)."""
        return cls(output_dim=output_dim)

    @classmethod
    def tiny(cls, output_dim: int = 64) -> ShapeTokenizerConfig:
        """A few-thousand-parameter setting for tests and CPU smoke runs (48 image tokens, 8 queries)."""
        return cls(
            fourier_octaves=4,
            point_hidden_dim=16,
            local_resolution=8,
            plane_resolution=16,
            plane_channels=8,
            patch_size=4,
            vit_width=32,
            vit_depth=1,
            vit_heads=2,
            num_queries=8,
            querier_width=32,
            querier_depth=1,
            querier_heads=2,
            output_dim=output_dim,
        )


class ShapeTokenizer(nn.Module):
    """Point cloud -> ``B x Q x output_dim`` shape embeddings. See the module docstring."""

    def __init__(self, config: ShapeTokenizerConfig) -> None:
        super().__init__()
        self.config = config
        scatter: ScatterBackend = config.scatter_backend  # type: ignore[assignment]
        attn: AttentionBackend = config.attention_backend  # type: ignore[assignment]
        self.point_encoder = PointEncoder(
            hidden_dim=config.point_hidden_dim,
            out_dim=config.plane_channels,
            octaves=config.fourier_octaves,
            num_blocks=config.point_blocks,
            local_resolution=config.local_resolution,
            bound=config.bound,
            scatter_backend=scatter,
        )
        r = config.plane_resolution
        self.vit = ViT(
            in_channels=config.plane_channels,
            image_size=(r, 3 * r),
            patch_size=config.patch_size,
            width=config.vit_width,
            depth=config.vit_depth,
            heads=config.vit_heads,
            mlp_ratio=config.vit_mlp_ratio,
            dropout=config.dropout,
            backend=attn,
            gradient_checkpointing=config.gradient_checkpointing,
        )
        self.querier = Querier(
            num_queries=config.num_queries,
            dim=config.querier_width,
            context_dim=config.vit_width,
            depth=config.querier_depth,
            heads=config.querier_heads,
            out_dim=config.output_dim,
            ff_mult=config.querier_ff_mult,
            dropout=config.dropout,
            backend=attn,
            gradient_checkpointing=config.gradient_checkpointing,
        )
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Transformer linears, positions and queries: truncated normal (std 0.02), zero biases (the
        usual ViT init). The point encoder and the patch embedding keep PyTorch's fan-in scaled init:
        at std 0.02 the point features would be too small to tell shapes apart at the start."""
        for m in [*self.vit.blocks.modules(), *self.querier.modules()]:
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
        nn.init.trunc_normal_(self.vit.position, std=0.02)
        nn.init.trunc_normal_(self.querier.queries, std=0.02)

    def forward(
        self,
        points: torch.Tensor,
        normals: torch.Tensor | None = None,
        points_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Shape embeddings of a batch of point clouds.

        Args:
            points: ``B x N x 3`` coordinates in the canonical frame.
            normals: ``B x N x 3`` unit normals, or None (zeros are used, as the spec says).
            points_mask: ``B x N`` bool, True for real points, False for padding; None means all real.

        Returns:
            ``B x num_queries x output_dim``.
        """
        if points.dim() != 3 or points.shape[-1] != 3:
            raise ValueError(f"points must be B x N x 3, got {tuple(points.shape)}")
        if normals is None:
            normals = torch.zeros_like(points)
        elif normals.shape != points.shape:
            raise ValueError(f"normals {tuple(normals.shape)} must match points {tuple(points.shape)}")
        if points_mask is None:
            points_mask = torch.ones(points.shape[:2], dtype=torch.bool, device=points.device)
        elif points_mask.shape != points.shape[:2]:
            raise ValueError(
                f"points_mask {tuple(points_mask.shape)} must be B x N = {tuple(points.shape[:2])}"
            )
        points_mask = points_mask.bool()
        if not bool(points_mask.any(dim=1).all()):
            raise ValueError("a point cloud in the batch has no real point (points_mask all False)")
        # Padded points may hold anything (NaN included); zero them so no NaN reaches a gradient.
        keep = points_mask.unsqueeze(-1)
        points = points.masked_fill(~keep, 0.0)
        normals = normals.masked_fill(~keep, 0.0)

        features = self.point_encoder(points, normals, points_mask)
        r = self.config.plane_resolution
        cells = plane_cells(points, r, self.config.bound, points_mask)
        image = planes_to_image(pool_planes(features, cells, r, self.point_encoder.scatter_backend), r)
        return self.querier(self.vit(image))


def count_parameters(module: nn.Module, trainable_only: bool = False) -> int:
    """Number of parameters of ``module`` (works on the meta device, where nothing is allocated)."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)
