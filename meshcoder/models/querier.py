"""Querier: learnable queries that read the ViT tokens (self-attention, cross-attention, GEGLU
feed-forward, all pre-norm), then a linear map to the LLM's width plus a linear skip from the queries."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint

from meshcoder.models.attention import AttentionBackend, MultiHeadAttention


class GEGLU(nn.Module):
    """Feed-forward with a GELU-gated linear unit: ``W2 (a * gelu(g))`` where ``[a, g] = W1 x``."""

    def __init__(self, dim: int, mult: float, dropout: float = 0.0) -> None:
        super().__init__()
        inner = int(dim * mult)
        self.proj_in = nn.Linear(dim, 2 * inner)
        self.dropout = nn.Dropout(dropout)
        self.proj_out = nn.Linear(inner, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, gate = self.proj_in(x).chunk(2, dim=-1)
        return self.proj_out(self.dropout(a * F.gelu(gate)))


class QuerierBlock(nn.Module):
    """Pre-norm self-attention over the queries, cross-attention to the context, GEGLU feed-forward."""

    def __init__(
        self,
        dim: int,
        context_dim: int,
        heads: int,
        ff_mult: float,
        dropout: float,
        backend: AttentionBackend,
    ) -> None:
        super().__init__()
        self.norm_self = nn.LayerNorm(dim)
        self.self_attn = MultiHeadAttention(dim, heads, dropout=dropout, backend=backend)
        self.norm_cross = nn.LayerNorm(dim)
        self.norm_context = nn.LayerNorm(context_dim)
        self.cross_attn = MultiHeadAttention(dim, heads, context_dim, dropout=dropout, backend=backend)
        self.norm_ff = nn.LayerNorm(dim)
        self.ff = GEGLU(dim, ff_mult, dropout)

    def forward(self, x: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        x = x + self.self_attn(self.norm_self(x))
        x = x + self.cross_attn(self.norm_cross(x), self.norm_context(context))
        return x + self.ff(self.norm_ff(x))


class Querier(nn.Module):
    """``B x S x context_dim`` tokens -> ``B x num_queries x out_dim`` embeddings."""

    def __init__(
        self,
        num_queries: int,
        dim: int,
        context_dim: int,
        depth: int,
        heads: int,
        out_dim: int,
        ff_mult: float = 4.0,
        dropout: float = 0.0,
        backend: AttentionBackend = "auto",
        gradient_checkpointing: bool = False,
    ) -> None:
        super().__init__()
        self.queries = nn.Parameter(torch.zeros(num_queries, dim))
        self.blocks = nn.ModuleList(
            QuerierBlock(dim, context_dim, heads, ff_mult, dropout, backend) for _ in range(depth)
        )
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, out_dim)
        self.skip = nn.Linear(dim, out_dim, bias=False)
        self.gradient_checkpointing = gradient_checkpointing

    def forward(self, context: torch.Tensor) -> torch.Tensor:
        queries = self.queries.unsqueeze(0).expand(context.shape[0], -1, -1)
        x = queries
        for block in self.blocks:
            if self.gradient_checkpointing and self.training:
                x = checkpoint(block, x, context, use_reentrant=False)
            else:
                x = block(x, context)
        return self.proj(self.norm(x)) + self.skip(queries)
