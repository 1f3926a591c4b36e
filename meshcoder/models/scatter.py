"""Scatter-max: the pooling primitive of the shape tokenizer's planes.

``torch.scatter_reduce(..., reduce="amax", include_self=False)`` is the reference backend and always
available; `torch-scatter <https://github.com/rusty1s/pytorch_scatter>`_ is used when importable and
asked for (``backend="auto"`` or ``"torch_scatter"``). Both leave cells that receive no point at zero.
"""

from __future__ import annotations

import functools
from typing import Literal

import torch

ScatterBackend = Literal["auto", "torch", "torch_scatter"]
SCATTER_BACKENDS = ("auto", "torch", "torch_scatter")


@functools.cache
def torch_scatter_available() -> bool:
    """Whether the optional ``torch_scatter`` extension imports in this environment."""
    try:
        import torch_scatter  # noqa: F401
    except Exception:  # a wheel built for another torch fails with OSError/RuntimeError, not ImportError
        return False
    return True


def resolve_scatter_backend(backend: ScatterBackend) -> Literal["torch", "torch_scatter"]:
    """The backend that ``backend`` means here: ``auto`` picks torch-scatter when it imports."""
    if backend not in SCATTER_BACKENDS:
        raise ValueError(f"unknown scatter backend {backend!r}; use one of {', '.join(SCATTER_BACKENDS)}")
    if backend == "torch_scatter" and not torch_scatter_available():
        raise RuntimeError(
            "scatter backend 'torch_scatter' was asked for but torch_scatter does not import; install a "
            "torch-scatter build matching this torch, or use scatter_backend='torch' (always available)"
        )
    if backend == "auto":
        return "torch_scatter" if torch_scatter_available() else "torch"
    return backend


def scatter_max(
    src: torch.Tensor, index: torch.Tensor, num_cells: int, backend: ScatterBackend = "auto"
) -> torch.Tensor:
    """Max of ``src`` rows per cell.

    Args:
        src: ``B x M x C`` values.
        index: ``B x M`` cell of each row, in ``[0, num_cells)``.
        num_cells: cells in the output.
        backend: ``torch``, ``torch_scatter`` or ``auto``.

    Returns:
        ``B x num_cells x C``; cells that no row reaches hold 0.
    """
    if src.dim() != 3 or index.shape != src.shape[:2]:
        raise ValueError(
            f"scatter_max wants src B x M x C and index B x M; got {tuple(src.shape)} and "
            f"{tuple(index.shape)}"
        )
    expanded = index.unsqueeze(-1).expand_as(src)
    if resolve_scatter_backend(backend) == "torch_scatter":
        import torch_scatter

        return torch_scatter.scatter_max(src, expanded, dim=1, dim_size=num_cells)[0]
    out = src.new_zeros(src.shape[0], num_cells, src.shape[2])
    return out.scatter_reduce(1, expanded, src, reduce="amax", include_self=False)
