"""Decoding from prompt embeddings with Hugging Face ``generate``, for any causal LM (peft-wrapped or not).

The prompt is given as embeddings (the shape tokens have no token ids), rows left-padded
(``attention_mask`` 0 on the left). ``generate`` does the KV cache, the position ids of padded rows,
sampling and stopping; what is ours is the config (one home for the decoding defaults), seeding, and the
result's shape. Constraints (the program grammar, see :mod:`meshcoder.models.constraints`) come in as
logits processors, which ``generate`` applies before temperature, top-k and top-p.

With a prompt given as embeddings, ``generate`` always keeps a KV cache (it needs one to tell the first
step from the others), so there is no cache switch: a full recomputation is a test's reference, not a mode.
A small LLM decodes on one torch thread (:func:`decoding_threads`), and :class:`GreedyRows` lets one
sampling call carry greedy rows too (best-of-N with the greedy program in one loop).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import torch
import transformers
from torch import nn
from transformers import LogitsProcessor, LogitsProcessorList, StoppingCriteria, StoppingCriteriaList
from transformers.generation.streamers import BaseStreamer

from meshcoder.models.config import SerializableConfig


@dataclass
class GenerationConfig(SerializableConfig):
    """Decoding settings. Defaults are the paper's inference: greedy, up to 5,000 new tokens, one program
    per shape (``num_return_sequences`` > 1 samples several: best-of-N at test time)."""

    max_new_tokens: int = 5000
    do_sample: bool = False
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0  # 0: no top-k filter
    num_return_sequences: int = 1

    def __post_init__(self) -> None:
        if self.max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be at least 1, got {self.max_new_tokens}")
        if self.do_sample and self.temperature <= 0:
            raise ValueError(
                f"temperature must be > 0 when sampling, got {self.temperature}; for greedy "
                "decoding set do_sample=False"
            )
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        if self.top_k < 0:
            raise ValueError(f"top_k must be >= 0 (0: no filter), got {self.top_k}")
        if self.num_return_sequences < 1:
            raise ValueError(f"num_return_sequences must be at least 1, got {self.num_return_sequences}")
        if self.num_return_sequences > 1 and not self.do_sample:
            raise ValueError(
                f"num_return_sequences={self.num_return_sequences} with greedy decoding gives copies of "
                "one program; set do_sample=True"
            )

    def to_hf(self, eos_token_ids: Sequence[int], pad_token_id: int) -> transformers.GenerationConfig:
        """The same settings as a ``transformers.GenerationConfig``. Every field is set, so the model's own
        ``generation_config`` (a checkpoint's sampling defaults) never leaks in."""
        sampling = (
            {"temperature": self.temperature, "top_p": self.top_p, "top_k": self.top_k}
            if self.do_sample
            else {"temperature": None, "top_p": None, "top_k": None}
        )
        return transformers.GenerationConfig(
            max_new_tokens=self.max_new_tokens,
            do_sample=self.do_sample,
            num_beams=1,
            num_return_sequences=self.num_return_sequences,
            eos_token_id=list(eos_token_ids),
            pad_token_id=pad_token_id,
            use_cache=True,
            **sampling,
        )


@dataclass
class GeneratedTokens:
    """New token ids (``B*n x T`` for ``n`` return sequences per prompt, the ``n`` of a prompt adjacent;
    EOS included, PAD after it), tokens per row up to and including EOS, and whether each row reached EOS
    (False: stopped at ``max_new_tokens``)."""

    ids: torch.Tensor
    lengths: torch.Tensor
    finished: torch.Tensor


class GreedyRows(LogitsProcessor):
    """Makes every ``every``-th row (0, ``every``, ...) decode greedily inside a sampling ``generate``:
    only its largest score is kept, so temperature, top-p and the draw can only pick it. With
    ``every=num_return_sequences`` the first program of each prompt is the greedy one, and best-of-N
    (greedy plus ``N - 1`` samples) takes one decoding loop instead of two. Put it after any constraint
    (it keeps the best *allowed* token); ties go to the lowest id, as in greedy ``generate``."""

    def __init__(self, every: int) -> None:
        if every < 1:
            raise ValueError(f"every must be at least 1, got {every}")
        self.every = every

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        rows = scores[:: self.every]
        best = rows.argmax(dim=-1, keepdim=True)
        kept = torch.full_like(rows, float("-inf")).scatter_(1, best, rows.gather(1, best))
        scores[:: self.every] = kept
        return scores


class _ProgressBar(BaseStreamer):
    """A tqdm bar over decoding steps (``generate`` hands each step's tokens to its streamer, and calls
    ``end`` when it stops)."""

    def __init__(self, total: int) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(total=total, desc="generating", unit="tok")
        self.prompt_seen = False

    def put(self, value: torch.Tensor) -> None:
        if not self.prompt_seen:  # the first call hands over the prompt's (here empty) ids
            self.prompt_seen = True
            return
        self.bar.update(1)

    def end(self) -> None:
        self.bar.close()


#: An LLM with fewer parameters decodes on one torch thread: a decoding step's matrix products are too small
#: to share, and OpenMP's hand-offs cost more than they save, many times more while other jobs hold the
#: cores (the shipped 6.4 M-parameter model: 60 steps in 4.8 s on one thread, 24.6 s on two, at load 6;
#: ``experiments/README.md``, "Predict").
ONE_THREAD_BELOW_PARAMETERS = 50_000_000


@contextlib.contextmanager
def decoding_threads(llm: nn.Module, device: torch.device) -> Iterator[None]:
    """Run the block on one torch thread when ``llm`` is small and on the CPU (see
    ``ONE_THREAD_BELOW_PARAMETERS``); torch's thread count is restored afterwards."""
    before = torch.get_num_threads()
    small = sum(p.numel() for p in llm.parameters()) < ONE_THREAD_BELOW_PARAMETERS
    if device.type != "cpu" or not small or before == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextlib.contextmanager
def seeded(generator: torch.Generator | int | None, device: torch.device) -> Iterator[None]:
    """Run the block with torch's global RNG seeded from ``generator`` (a generator or a seed) and
    restored afterwards; without one, the block uses the global RNG as it is.

    ``generate`` samples from the global RNG. A generator gives one seed per call (drawn from it), so
    generators seeded alike give the same samples and a generator used twice gives fresh ones.
    """
    if generator is None:
        yield
        return
    if isinstance(generator, torch.Generator):
        seed = int(torch.randint(0, 2**62, (1,), generator=generator, device=generator.device))
    else:
        seed = int(generator)
    with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
        torch.manual_seed(seed)
        yield


@torch.no_grad()
def generate_from_embeddings(
    llm: nn.Module,
    inputs_embeds: torch.Tensor,
    attention_mask: torch.Tensor,
    eos_token_ids: Sequence[int],
    pad_token_id: int,
    config: GenerationConfig | None = None,
    generator: torch.Generator | int | None = None,
    progress: bool = False,
    logits_processors: Sequence[LogitsProcessor] = (),
    stopping_criteria: Sequence[StoppingCriteria] = (),
) -> GeneratedTokens:
    """Decode new tokens after prompts given as embeddings, with the LLM's ``generate``.

    Args:
        llm: a Hugging Face causal LM (peft-wrapped or not).
        inputs_embeds: ``B x P x H`` prompt embeddings (left-padded rows allowed).
        attention_mask: ``B x P``, 1 on real prompt tokens.
        eos_token_ids: ids that end a row (the EOS is kept in the output).
        pad_token_id: fills rows that have ended.
        config: decoding settings (greedy, 5,000 tokens by default).
        generator: a random generator or a seed, for reproducible sampling.
        progress: show a progress bar over decoding steps.
        logits_processors: applied in order to each step's logits, before temperature, top-k and top-p
            (e.g. :class:`meshcoder.models.constraints.ProgramConstraint`).
        stopping_criteria: extra criteria that stop generation early.
    """
    config = config or GenerationConfig()
    device = inputs_embeds.device
    mask = attention_mask.to(device=device, dtype=torch.long)
    streamer = _ProgressBar(config.max_new_tokens) if progress else None
    with decoding_threads(llm, device), seeded(generator, device):
        ids = llm.generate(
            inputs_embeds=inputs_embeds,
            attention_mask=mask,
            generation_config=config.to_hf(eos_token_ids, pad_token_id),
            logits_processor=LogitsProcessorList(logits_processors),
            stopping_criteria=StoppingCriteriaList(stopping_criteria),
            streamer=streamer,
        )
    # With embeddings only, decoder-only ``generate`` returns just the new tokens.
    is_eos = torch.isin(ids, torch.tensor(list(eos_token_ids), device=ids.device))
    finished = is_eos.any(dim=1)
    first_eos = is_eos.int().argmax(dim=1)
    lengths = torch.where(finished, first_eos + 1, torch.full_like(first_eos, ids.shape[1]))
    return GeneratedTokens(ids=ids, lengths=lengths, finished=finished)
