"""Autoregressive decoding from prompt embeddings, for any Hugging Face causal LM.

The loop is written here over the model's plain ``forward`` (so it works for any causal LM and for
prompts given as embeddings, which ``generate`` of older transformers did not support for every model):
one forward over the prompt fills the KV cache, then one token per step. Rows may be left-padded
(``attention_mask`` 0 on the left); positions are counted from each row's first real token.
``use_cache=False`` re-runs the whole sequence every step (slow; a reference for tests and benchmarks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from meshcoder.models.config import SerializableConfig
from meshcoder.models.llm import base_model, forward_accepts


@dataclass
class GenerationConfig(SerializableConfig):
    """Decoding settings. Defaults are the paper's inference: greedy, up to 5,000 new tokens."""

    max_new_tokens: int = 5000
    do_sample: bool = False
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0  # 0: no top-k filter
    use_cache: bool = True

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


@dataclass
class GeneratedTokens:
    """New token ids (``B x T``, EOS included, PAD after it), tokens per row up to and including EOS,
    and whether each row reached EOS (False: stopped at ``max_new_tokens``)."""

    ids: torch.Tensor
    lengths: torch.Tensor
    finished: torch.Tensor


def _call_llm(llm: nn.Module, cache: object | None, logits_to_keep: int | None, **inputs: torch.Tensor):
    """One forward; the cache argument is ``cache`` in transformers >= 5.2, ``past_key_values`` before."""
    cache_name = "cache" if forward_accepts(llm, "cache") else "past_key_values"
    kwargs = {**inputs, cache_name: cache}
    if logits_to_keep is not None and forward_accepts(llm, "logits_to_keep"):
        kwargs["logits_to_keep"] = logits_to_keep
    out = llm(**kwargs)
    return out.logits[:, -1].float(), out.get(cache_name)


def select_next_tokens(
    logits: torch.Tensor, config: GenerationConfig, generator: torch.Generator | None = None
) -> torch.Tensor:
    """Pick one token per row from ``B x V`` logits: argmax, or a sample after temperature, top-k and
    nucleus (top-p) filtering."""
    if not config.do_sample:
        return logits.argmax(dim=-1)
    logits = logits / config.temperature
    if config.top_k > 0:
        kth = logits.topk(min(config.top_k, logits.shape[-1]), dim=-1).values[:, -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    if config.top_p < 1.0:
        sorted_logits, order = logits.sort(dim=-1, descending=True)
        cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        # Drop a token when the tokens before it already hold top_p of the mass (the first always stays).
        drop_sorted = (cumulative - sorted_logits.softmax(dim=-1)) >= config.top_p
        drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
        logits = logits.masked_fill(drop, float("-inf"))
    probs = logits.softmax(dim=-1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(-1)


@torch.no_grad()
def generate_from_embeddings(
    llm: nn.Module,
    inputs_embeds: torch.Tensor,
    attention_mask: torch.Tensor,
    eos_token_ids: Sequence[int],
    pad_token_id: int,
    config: GenerationConfig | None = None,
    generator: torch.Generator | None = None,
    progress: bool = False,
) -> GeneratedTokens:
    """Decode new tokens after prompts given as embeddings.

    Args:
        llm: a Hugging Face causal LM (peft-wrapped or not).
        inputs_embeds: ``B x P x H`` prompt embeddings (left-padded rows allowed).
        attention_mask: ``B x P``, 1 on real prompt tokens.
        eos_token_ids: ids that end a row (the EOS is kept in the output).
        pad_token_id: fills rows that have ended.
        config: decoding settings (greedy, 5,000 tokens, KV cache by default).
        generator: random generator for sampling (reproducible samples).
        progress: show a progress bar over decoding steps.
    """
    config = config or GenerationConfig()
    b = inputs_embeds.shape[0]
    device = inputs_embeds.device
    mask = attention_mask.to(device=device, dtype=torch.long)
    positions = (mask.cumsum(-1) - 1).clamp_(min=0)
    eos = torch.tensor(list(eos_token_ids), device=device)
    embed = base_model(llm).get_input_embeddings()
    finished = torch.zeros(b, dtype=torch.bool, device=device)
    lengths = torch.zeros(b, dtype=torch.long, device=device)
    new_ids: list[torch.Tensor] = []

    use_cache = config.use_cache
    logits, cache = _call_llm(
        llm,
        None,
        1,
        inputs_embeds=inputs_embeds,
        attention_mask=mask,
        position_ids=positions,
        use_cache=use_cache,
    )
    steps = range(config.max_new_tokens)
    if progress:
        from tqdm.auto import tqdm

        steps = tqdm(steps, desc="generating", unit="tok")
    for step in steps:
        token = select_next_tokens(logits, config, generator)
        token = torch.where(finished, torch.full_like(token, pad_token_id), token)
        new_ids.append(token)
        lengths += (~finished).long()
        finished |= torch.isin(token, eos)
        if bool(finished.all()) or step == config.max_new_tokens - 1:
            break
        mask = torch.cat([mask, mask.new_ones(b, 1)], dim=1)
        next_position = positions[:, -1:] + 1
        if use_cache:
            positions = next_position
            logits, cache = _call_llm(
                llm,
                cache,
                1,
                input_ids=token[:, None],
                attention_mask=mask,
                position_ids=positions,
                use_cache=True,
            )
        else:
            positions = torch.cat([positions, next_position], dim=1)
            inputs_embeds = torch.cat([inputs_embeds, embed(token[:, None]).to(inputs_embeds.dtype)], dim=1)
            logits, _ = _call_llm(
                llm,
                None,
                1,
                inputs_embeds=inputs_embeds,
                attention_mask=mask,
                position_ids=positions,
                use_cache=False,
            )
    return GeneratedTokens(ids=torch.stack(new_ids, dim=1), lengths=lengths, finished=finished)
