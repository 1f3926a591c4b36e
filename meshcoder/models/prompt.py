"""The prompt, the labels and batch collation.

One sequence is::

    BOS  instruction  [Q shape placeholders]  code_header  program  EOS
    \\------------------ prompt ------------------------/ \\-- labelled --/

The placeholders are PAD ids whose embeddings the model replaces by the shape tokenizer's output
(their positions are ``shape_token_mask``). Labels are the token ids on program tokens and the EOS,
``-100`` everywhere else (prompt, shape positions, padding). Generation starts from the prompt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import torch
from transformers import PreTrainedTokenizerBase

from meshcoder.geometry.inputs import pad_clouds
from meshcoder.models.config import SerializableConfig

IGNORE_INDEX = -100
PointsLike = torch.Tensor | np.ndarray


@dataclass
class PromptConfig(SerializableConfig):
    """The two strings around the shape tokens (the paper's prompt), and the longest program
    :func:`collate` accepts (None: no limit; the paper drops programs over 5,000 Llama-3.2 tokens)."""

    instruction: str = "Write Blender Python script according to the following instructions:\n"
    code_header: str = "\n---\nCode:\n"
    max_program_tokens: int | None = None


@dataclass
class MeshCoderBatch:
    """Model inputs for one batch (see the module docstring). ``labels`` is None for generation."""

    points: torch.Tensor | None  # B x N x 3 (None: a text-only batch, zeros in the shape positions)
    normals: torch.Tensor | None  # B x N x 3 (zeros where a cloud had none)
    points_mask: torch.Tensor | None  # B x N bool, False on padded points
    input_ids: torch.Tensor  # B x L
    attention_mask: torch.Tensor  # B x L, 0 on padding
    shape_token_mask: torch.Tensor  # B x L bool, exactly Q True per row
    labels: torch.Tensor | None = None  # B x L, IGNORE_INDEX off the program

    def to(self, device: torch.device | str) -> MeshCoderBatch:
        """The batch on ``device``."""
        return MeshCoderBatch(**{k: None if v is None else v.to(device) for k, v in self.as_dict().items()})

    def as_dict(self) -> dict[str, torch.Tensor | None]:
        """Field name -> tensor (no copies), for ``model(**batch.as_dict())``."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __len__(self) -> int:
        return self.input_ids.shape[0]


class PromptTemplate:
    """The paper's prompt, tokenized once for one tokenizer and ``num_shape_tokens`` shape tokens."""

    def __init__(
        self, tokenizer: PreTrainedTokenizerBase, num_shape_tokens: int, config: PromptConfig | None = None
    ) -> None:
        self.tokenizer = tokenizer
        self.config = config or PromptConfig()
        self.num_shape_tokens = num_shape_tokens
        self.bos_id = _required(tokenizer, "bos_token_id")
        self.eos_id = _required(tokenizer, "eos_token_id")
        self.pad_id = _required(tokenizer, "pad_token_id")
        self.prefix_ids = [self.bos_id, *self.encode(self.config.instruction)]
        self.suffix_ids = self.encode(self.config.code_header)
        self.prompt_ids = self.prefix_ids + [self.pad_id] * num_shape_tokens + self.suffix_ids

    @property
    def prompt_length(self) -> int:
        """Tokens up to and including ``Code:\\n``."""
        return len(self.prompt_ids)

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text`` without any special token added."""
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def encode_program(self, program: str) -> list[int]:
        """The labelled part of a sequence: program tokens then EOS."""
        return [*self.encode(program), self.eos_id]

    def decode_program(self, ids: Sequence[int]) -> str:
        """Program text of generated ids (special tokens, EOS and padding dropped)."""
        return self.tokenizer.decode(list(ids), skip_special_tokens=True)

    def shape_positions(self) -> slice:
        """Where the shape tokens sit in an unpadded sequence."""
        start = len(self.prefix_ids)
        return slice(start, start + self.num_shape_tokens)

    def token_batch(
        self,
        programs: Sequence[str] | None,
        batch_size: int,
        padding_side: str = "right",
        max_program_tokens: int | None = None,
    ) -> dict[str, torch.Tensor]:
        """``input_ids``, ``attention_mask``, ``shape_token_mask`` (and ``labels`` when ``programs``).

        With ``programs=None`` the rows are the bare prompt (all the same length, so no padding).
        Programs longer than ``max_program_tokens`` (default: the config's; EOS not counted) are
        refused, never cut: a cut program teaches the model to stop mid-object.
        """
        if padding_side not in ("right", "left"):
            raise ValueError(f"padding_side {padding_side!r}: use 'right' (training) or 'left'")
        if programs is None:
            program_ids: list[list[int]] = [[] for _ in range(batch_size)]
        elif len(programs) != batch_size:
            raise ValueError(f"{len(programs)} programs for a batch of {batch_size} point clouds")
        else:
            program_ids = [self.encode_program(p) for p in programs]
        limit = self.config.max_program_tokens if max_program_tokens is None else max_program_tokens
        too_long = [i for i, ids in enumerate(program_ids) if limit is not None and len(ids) - 1 > limit]
        if too_long:
            raise ValueError(
                f"programs {too_long} of the batch have more than {limit} tokens; drop them in the data "
                "pipeline (the paper drops programs over 5,000 tokens) or raise max_program_tokens"
            )
        p = self.prompt_length
        length = p + max(len(ids) for ids in program_ids)
        input_ids = torch.full((batch_size, length), self.pad_id, dtype=torch.long)
        attention = torch.zeros(batch_size, length, dtype=torch.long)
        shape_mask = torch.zeros(batch_size, length, dtype=torch.bool)
        labels = torch.full((batch_size, length), IGNORE_INDEX, dtype=torch.long)
        shape = self.shape_positions()
        for i, ids in enumerate(program_ids):
            n = p + len(ids)
            start = 0 if padding_side == "right" else length - n
            row = torch.tensor(self.prompt_ids + ids, dtype=torch.long)
            input_ids[i, start : start + n] = row
            attention[i, start : start + n] = 1
            shape_mask[i, start + shape.start : start + shape.stop] = True
            labels[i, start + p : start + n] = row[p:]
        out = {"input_ids": input_ids, "attention_mask": attention, "shape_token_mask": shape_mask}
        if programs is not None:
            out["labels"] = labels
        return out


def collate(
    template: PromptTemplate,
    points: Sequence[PointsLike] | torch.Tensor,
    programs: Sequence[str] | None = None,
    normals: Sequence[PointsLike | None] | torch.Tensor | None = None,
    points_mask: torch.Tensor | None = None,
    padding_side: str = "right",
    max_program_tokens: int | None = None,
) -> MeshCoderBatch:
    """A :class:`MeshCoderBatch` from point clouds and (for training) their program texts.

    Right padding (the default) is for training; without programs the batch holds only the prompt and
    is what :meth:`MeshCoder.generate` starts from.
    """
    pts, nrm, mask = pad_clouds(points, normals, points_mask)
    tokens: dict[str, Any] = template.token_batch(programs, pts.shape[0], padding_side, max_program_tokens)
    return MeshCoderBatch(points=pts, normals=nrm, points_mask=mask, **tokens)


def _required(tokenizer: PreTrainedTokenizerBase, name: str) -> int:
    value = getattr(tokenizer, name)
    if value is None:
        raise ValueError(
            f"the tokenizer has no {name}; pass it through meshcoder.models.ensure_special_tokens first"
        )
    return int(value)
