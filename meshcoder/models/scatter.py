"""Scatter-max: the pooling primitive of the shape tokenizer's planes.

The ``torch`` backend is always available: the batch is flattened to rows (``B*M`` rows of ``C``
values into ``B*cells`` rows) and reduced by ``index_reduce(..., "amax", include_self=False)``, which on
a CPU moves whole rows and runs about three times faster, forward and backward, than the same max by
``scatter_reduce`` along the point axis (identical values and gradients: ties share the gradient
equally in both). `torch-scatter <https://github.com/rusty1s/pytorch_scatter>`_ is used when importable
and asked for (``backend="auto"`` or ``"torch_scatter"``). Both leave cells that receive no point at zero.
"""

from __future__ import annotations

import functools
import warnings
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
    if resolve_scatter_backend(backend) == "torch_scatter":
        import torch_scatter

        expanded = index.unsqueeze(-1).expand_as(src)
        return torch_scatter.scatter_max(src, expanded, dim=1, dim_size=num_cells)[0]
    b, _, c = src.shape
    rows = flat_rows(index, num_cells)
    out = src.new_zeros(b * num_cells, c)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="index_reduce\\(\\) is in beta")
        out = out.index_reduce(0, rows, src.reshape(-1, c), "amax", include_self=False)
    return out.view(b, num_cells, c)


def flat_rows(index: torch.Tensor, num_cells: int) -> torch.Tensor:
    """``B x M`` per-cloud cells as rows of the flattened ``(B * num_cells)``-row batch: ``B*M`` ids."""
    offsets = torch.arange(index.shape[0], device=index.device) * num_cells
    return (index + offsets.unsqueeze(1)).flatten()
