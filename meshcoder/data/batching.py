"""Batches bounded by tokens rather than records.

A batch of programs is right-padded to its longest, so what it costs a causal LLM (activations, and the
output layer's logits over a large vocabulary) grows with ``records x longest program``. A fixed number of
records per batch therefore costs a few times more for long programs than for short ones, and the longest
batch of an epoch sets the memory a run needs. :class:`TokenBudgetBatchSampler` packs records into
batches whose padded size stays within a budget instead: many short programs or a few long ones.

>>> lengths = program_lengths(dataset)                                   # doctest: +SKIP
>>> sampler = TokenBudgetBatchSampler(RandomSampler(dataset), 8, lengths=lengths, max_tokens=4096)
>>> loader = DataLoader(dataset, batch_sampler=sampler, collate_fn=...)  # doctest: +SKIP

``ShapeProgramDataModule(max_tokens_per_batch=...)`` (``data.max_tokens_per_batch``) builds it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np
import torch
from torch.utils.data import BatchSampler, Sampler

log = logging.getLogger(__name__)

#: Program characters per token, for records that carry no token count and no tokenizer to count them:
#: the datasets' mean is about 2.3 (Llama-3.2's tokenizer); a lower figure errs towards smaller batches.
CHARS_PER_TOKEN = 2.0
#: Records sorted by length together: this many batches' worth (see :class:`TokenBudgetBatchSampler`).
POOL_BATCHES = 16


def program_lengths(dataset, count_tokens: Callable[[list[str]], Sequence[int]] | None = None) -> list[int]:
    """Program tokens of each item of a :class:`~meshcoder.data.dataset.ShapeProgramDataset`: the record's
    ``num_tokens`` (datagen counts them with Llama-3.2's tokenizer), else ``count_tokens`` of its script,
    else its length in characters over :data:`CHARS_PER_TOKEN`."""
    scripts = [str(dataset.records[pair.record].get("script", "")) for pair in dataset.pairs]
    lengths: list[int | None] = [dataset.records[pair.record].get("num_tokens") for pair in dataset.pairs]
    missing = [i for i, n in enumerate(lengths) if n is None]
    if missing and count_tokens is not None:
        counts = count_tokens([scripts[i] for i in missing])
        for i, n in zip(missing, counts):
            lengths[i] = int(n)
    return [max(1, int(n if n is not None else len(s) / CHARS_PER_TOKEN)) for n, s in zip(lengths, scripts)]


def pack(
    indices: Iterable[int], lengths: Sequence[int], max_tokens: int, max_records: int
) -> list[list[int]]:
    """Split ``indices`` (in their order) into consecutive batches of at most ``max_records`` whose
    ``len(batch) x longest`` stays within ``max_tokens``; a record longer than the budget is a batch of
    its own."""
    batches: list[list[int]] = []
    batch: list[int] = []
    longest = 0
    for i in indices:
        grown = max(longest, lengths[i])
        if batch and (len(batch) >= max_records or (len(batch) + 1) * grown > max_tokens):
            batches.append(batch)
            batch, grown = [], lengths[i]
        batch.append(i)
        longest = grown
    if batch:
        batches.append(batch)
    return batches


class TokenBudgetBatchSampler(BatchSampler):
    """Batches of at most ``batch_size`` records whose padded program size (records x the longest
    program's tokens) stays within ``max_tokens``.

    The indices come from ``sampler`` (random or sequential; Lightning may put its own in, e.g. a
    distributed one). They are taken :data:`POOL_BATCHES` batches' worth at a time, sorted by length
    within that pool (so a batch holds programs of similar length and little padding) and packed
    greedily; with ``shuffle`` the batches of the epoch then come in a random order (torch's generator,
    so ``seed_everything`` makes it reproducible). A record over the budget alone makes a batch of one.

    With ``shuffle`` every epoch yields the same number of batches, ``len(self)`` (estimated once from
    the lengths; an epoch that packs into fewer splits its largest batches, one that packs into more
    leaves out its last, random, batches), so processes that each read a shard stay in step. Without
    ``shuffle`` (validation, test) every index is yielded, in exactly ``len(self)`` batches.

    Args:
        sampler: the order of the dataset indices.
        batch_size: the most records in a batch.
        drop_last: part of the ``BatchSampler`` interface (Lightning passes it); no records are dropped
            for size.
        lengths: program tokens of every dataset item (:func:`program_lengths`).
        max_tokens: the budget of ``records x longest program`` per batch.
        shuffle: yield the batches in a random order (training).
    """

    def __init__(
        self,
        sampler: Sampler[int] | Iterable[int],
        batch_size: int,
        drop_last: bool = False,
        lengths: Sequence[int] = (),
        max_tokens: int = 4096,
        shuffle: bool = False,
    ) -> None:
        super().__init__(sampler, batch_size, drop_last)
        if max_tokens < 1:
            raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
        self.lengths = [int(n) for n in lengths]
        self.max_tokens = int(max_tokens)
        self.shuffle = bool(shuffle)
        self._len: int | None = None
        over = sum(n > self.max_tokens for n in self.lengths)
        if over:
            log.warning(
                "%d of %d programs are longer than max_tokens_per_batch=%d tokens: each makes a batch of "
                "its own (raise the budget, or drop them with data.max_tokens)",
                over, len(self.lengths), self.max_tokens,
            )  # fmt: skip

    def _plan(self, order: list[int]) -> list[list[int]]:
        pool = POOL_BATCHES * self.batch_size
        batches: list[list[int]] = []
        for start in range(0, len(order), pool):
            chunk = sorted(order[start : start + pool], key=self.lengths.__getitem__)
            batches += pack(chunk, self.lengths, self.max_tokens, self.batch_size)
        return batches

    def __len__(self) -> int:
        if self._len is None:
            if self.shuffle:
                # A fixed-seed shuffle of all items (the sampler's own order would draw from torch's
                # generator), scaled to the sampler's share of them.
                order = np.random.default_rng(0).permutation(len(self.lengths)).tolist()
                share = len(self.sampler) / max(len(self.lengths), 1)  # type: ignore[arg-type]
                self._len = max(1, round(len(self._plan(order)) * share)) if len(self.sampler) else 0
            else:
                self._len = len(self._plan(list(self.sampler)))
        return self._len

    def __iter__(self) -> Iterator[list[int]]:
        batches = self._plan(list(self.sampler))
        if not self.shuffle:
            yield from batches
            return
        target = len(self)
        while len(batches) < target:  # split the batch with the most records
            k = max(range(len(batches)), key=lambda j: len(batches[j]))
            if len(batches[k]) < 2:
                break
            half = len(batches[k]) // 2
            batches[k : k + 1] = [batches[k][:half], batches[k][half:]]
        order = torch.randperm(len(batches)).tolist()
        yield from (batches[k] for k in order[:target])
