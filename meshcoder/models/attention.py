"""Multi-head attention for the shape tokenizer, through ``scaled_dot_product_attention`` or, on CUDA
when importable, xformers' memory-efficient kernel."""

from __future__ import annotations

import functools
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

AttentionBackend = Literal["auto", "sdpa", "xformers"]
ATTENTION_BACKENDS = ("auto", "sdpa", "xformers")


@functools.cache
def xformers_available() -> bool:
    """Whether ``xformers.ops`` imports here (it is optional and CUDA-only for our purposes)."""
    try:
        import xformers.ops  # noqa: F401
    except Exception:  # broken builds raise more than ImportError
        return False
    return True


def attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    backend: AttentionBackend = "auto",
    dropout: float = 0.0,
) -> torch.Tensor:
    """Softmax attention over ``B x H x L x D`` tensors (no mask: every token of the shape tokenizer is
    real). ``auto`` uses xformers for CUDA tensors when it imports, SDPA otherwise."""
    if backend not in ATTENTION_BACKENDS:
        raise ValueError(f"unknown attention backend {backend!r}; use one of {', '.join(ATTENTION_BACKENDS)}")
    use_xformers = backend == "xformers" or (backend == "auto" and q.is_cuda and xformers_available())
    if use_xformers:
        if not (q.is_cuda and xformers_available()):
            raise RuntimeError(
                "attention backend 'xformers' needs CUDA tensors and an importable xformers; "
                "use attention_backend='sdpa' or 'auto' on this machine"
            )
        import xformers.ops as xops

        out = xops.memory_efficient_attention(
            q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), p=dropout
        )  # xformers wants B x L x H x D
        return out.transpose(1, 2)
    return F.scaled_dot_product_attention(q, k, v, dropout_p=dropout)


class MultiHeadAttention(nn.Module):
    """Self-attention (``context=None``) or cross-attention to a context of width ``context_dim``."""

    def __init__(
        self,
        dim: int,
        heads: int,
        context_dim: int | None = None,
        dropout: float = 0.0,
        backend: AttentionBackend = "auto",
    ) -> None:
        super().__init__()
        if dim % heads:
            raise ValueError(f"attention width {dim} is not divisible by {heads} heads; change one of them")
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(context_dim or dim, 2 * dim)
        self.out = nn.Linear(dim, dim)
        self.dropout = dropout
        self.backend: AttentionBackend = backend

    def forward(self, x: torch.Tensor, context: torch.Tensor | None = None) -> torch.Tensor:
        """``B x L x dim`` queries (and ``B x S x context_dim`` context) -> ``B x L x dim``."""
        b, n, d = x.shape
        context = x if context is None else context
        q = self.q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = self.kv(context).view(b, context.shape[1], 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = attention(q, k, v, self.backend, self.dropout if self.training else 0.0)
        return self.out(out.transpose(1, 2).reshape(b, n, d))
