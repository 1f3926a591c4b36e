"""Vision transformer over the triplane image: patch embedding, learned positions, pre-norm blocks."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

from meshcoder.models.attention import AttentionBackend, MultiHeadAttention


class ViTBlock(nn.Module):
    """Pre-norm self-attention and GELU MLP, each with a residual."""

    def __init__(
        self, dim: int, heads: int, mlp_ratio: float, dropout: float, backend: AttentionBackend
    ) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = MultiHeadAttention(dim, heads, dropout=dropout, backend=backend)
        self.norm2 = nn.LayerNorm(dim)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(
            nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, dim)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):
    """``B x C x H x W`` image -> ``B x (H/p * W/p) x width`` tokens (final LayerNorm applied)."""

    def __init__(
        self,
        in_channels: int,
        image_size: tuple[int, int],
        patch_size: int,
        width: int,
        depth: int,
        heads: int,
        mlp_ratio: float = 4.0,
        dropout: float = 0.0,
        backend: AttentionBackend = "auto",
        gradient_checkpointing: bool = False,
    ) -> None:
        super().__init__()
        h, w = image_size
        if h % patch_size or w % patch_size:
            raise ValueError(
                f"triplane image {h} x {w} is not a whole number of {patch_size}-pixel patches; "
                "pick a plane resolution divisible by the patch size"
            )
        self.num_tokens = (h // patch_size) * (w // patch_size)
        self.patch = nn.Conv2d(in_channels, width, kernel_size=patch_size, stride=patch_size)
        self.position = nn.Parameter(torch.zeros(1, self.num_tokens, width))
        self.blocks = nn.ModuleList(ViTBlock(width, heads, mlp_ratio, dropout, backend) for _ in range(depth))
        self.norm = nn.LayerNorm(width)
        self.gradient_checkpointing = gradient_checkpointing

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = self.patch(image).flatten(2).transpose(1, 2) + self.position
        for block in self.blocks:
            if self.gradient_checkpointing and self.training:
                x = checkpoint(block, x, use_reentrant=False)
            else:
                x = block(x)
        return self.norm(x)
