"""Program texts straight from the generators, for the text stage of training (no Blender, no clouds).

A generator writes a program in milliseconds, so the language model can see far more programs than the
executed dataset holds. Seeds follow the dataset's rules: a (generator, seed) pair belongs to the split
that :func:`meshcoder.data.pipeline.split_of` gives it, so text-stage training never sees a program
whose executed twin is a validation or test record, and seeds at or above
:data:`meshcoder.data.pipeline.HELDOUT_SEED` (the fixed held-out set) are never drawn.

>>> dm = GeneratedProgramDataModule(programs_per_epoch=2048, batch_size=8)
>>> batch = next(iter(dm.train_dataloader()))        # {"programs": [...], "categories": [...], "ids": ...}
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator, Sequence

import numpy as np
import torch
from lightning import LightningDataModule
from torch.utils.data import DataLoader, IterableDataset, get_worker_info

from meshcoder.data.categories import generate_program
from meshcoder.data.pipeline import HELDOUT_SEED, record_id, split_of

log = logging.getLogger(__name__)

#: Training seeds are drawn below this bound (the held-out set's seeds start above it).
TRAIN_SEED_LIMIT = 1_000_000


def resolve_generator_names(
    categories: Sequence[str] | str | None = "all", part_types: Sequence[str] | str | None = None
) -> list[str]:
    """Generator names of a selection: ``categories`` ``"all"`` or a list (empty: none), ``part_types``
    ``"all"``, a list or None (see :func:`meshcoder.data.pipeline.resolve_generators`)."""
    from meshcoder.data.pipeline import resolve_generators

    names = resolve_generators(list(categories or []) if categories != "all" else "all", part_types)
    if not names:
        raise ValueError("no generators selected: set categories (e.g. all) and/or part_types")
    return names


class GeneratedPrograms(IterableDataset):
    """An endless-looking stream of ``length`` generated programs per pass.

    Each pass draws (generator, seed) pairs: generators in turn (so every category is equally
    represented), seeds at random from ``[0, seed_limit)`` restricted to ``split``. With ``fixed=True``
    every pass yields the same programs (validation); otherwise each pass continues from where the last
    one stopped, so no program repeats until the seed space is used up.

    Args:
        names: generator names.
        split: ``train``, ``val`` or ``test``: only seeds whose hash split is this one are used.
        length: programs per pass (an epoch).
        seed: the stream's random seed.
        fixed: the same programs every pass.
        seed_limit: seeds are drawn below it (kept below the held-out set's seeds).
    """

    def __init__(
        self,
        names: Sequence[str],
        split: str = "train",
        length: int = 4096,
        seed: int = 0,
        fixed: bool = False,
        seed_limit: int = TRAIN_SEED_LIMIT,
    ) -> None:
        super().__init__()
        if length < 1:
            raise ValueError(f"length must be at least 1, got {length}")
        if seed_limit > HELDOUT_SEED:
            raise ValueError(f"seed_limit {seed_limit} reaches the held-out seeds (>= {HELDOUT_SEED})")
        self.names = list(names)
        self.split = split
        self.length = int(length)
        self.seed = int(seed)
        self.fixed = fixed
        self.seed_limit = int(seed_limit)
        self._passes = 0

    def __len__(self) -> int:
        return self.length

    def _pairs(self, start: int) -> Iterator[tuple[str, int]]:
        """Pairs number ``start``, ``start + 1``, ... of the stream (deterministic in ``self.seed``)."""
        for index in itertools.count(start):
            name = self.names[index % len(self.names)]
            # One random draw per pair, keyed by (stream seed, index): any worker can compute any pair.
            rng = np.random.default_rng([self.seed, index])
            while True:
                candidate = int(rng.integers(0, self.seed_limit))
                if split_of(name, candidate) == self.split:
                    break
            yield name, candidate

    def __iter__(self) -> Iterator[dict]:
        worker = get_worker_info()
        rank, world = _distributed_rank()
        workers = worker.num_workers if worker is not None else 1
        worker_id = worker.id if worker is not None else 0
        shard, shards = rank * workers + worker_id, world * workers
        start = 0 if self.fixed else self._passes * self.length * world
        self._passes += 1
        per_shard = self.length  # every rank yields `length` items, so DDP ranks stay in step
        pairs = itertools.islice(self._pairs(start + shard), 0, None, shards)
        emitted = 0
        for name, seed in pairs:
            if emitted >= per_shard // workers + (worker_id < per_shard % workers):
                return
            try:
                text = generate_program(name, seed)
            except Exception as err:  # a generator bug must not stop training; it is logged
                log.warning("generator %s seed %d failed: %s", name, seed, err)
                continue
            emitted += 1
            yield {"program": text, "category": name, "id": record_id(name, seed)}


def _distributed_rank() -> tuple[int, int]:
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        return torch.distributed.get_rank(), torch.distributed.get_world_size()
    return 0, 1


def collate_programs(items: list[dict]) -> dict:
    """A text-only batch: ``programs``, ``categories``, ``ids`` (no ``points``: the model fills the shape
    positions with zeros)."""
    return {
        "programs": [it["program"] for it in items],
        "categories": [it["category"] for it in items],
        "ids": torch.tensor([it["id"] for it in items], dtype=torch.long),
    }


class GeneratedProgramDataModule(LightningDataModule):
    """Train/val loaders of generated program texts (the text stage).

    Args:
        categories: object categories (``all`` or a list; empty for parts only).
        part_types: part types (``all``, a list, or empty).
        programs_per_epoch: training programs per epoch (per process).
        val_programs: validation programs (fixed; from the ``val`` seeds).
        batch_size: programs per batch.
        num_workers: DataLoader workers (generation is cheap; 0 is usually fine).
        seed: the training stream's seed.
    """

    def __init__(
        self,
        categories: Sequence[str] | str | None = "all",
        part_types: Sequence[str] | str | None = None,
        programs_per_epoch: int = 4096,
        val_programs: int = 128,
        batch_size: int = 8,
        num_workers: int = 0,
        seed: int = 0,
    ) -> None:
        super().__init__()
        self.names = resolve_generator_names(categories, part_types)
        self.batch_size = int(batch_size)
        self.num_workers = int(num_workers)
        self.train_set = GeneratedPrograms(self.names, "train", programs_per_epoch, seed=seed)
        self.val_set = GeneratedPrograms(self.names, "val", val_programs, seed=seed + 1, fixed=True)
        self.root = None  # no dataset folder: nothing to prepare

    def training_texts(self, count: int = 2000) -> list[str]:
        """Sample training programs (for a tokenizer trained on program texts)."""
        stream = GeneratedPrograms(self.names, "train", count, seed=10_000 + self.train_set.seed)
        return [item["program"] for item in stream]

    def _loader(self, dataset: GeneratedPrograms) -> DataLoader:
        return DataLoader(
            dataset,
            batch_size=self.batch_size,
            num_workers=self.num_workers,
            collate_fn=collate_programs,
            persistent_workers=self.num_workers > 0,
        )

    def train_dataloader(self) -> DataLoader:
        return self._loader(self.train_set)

    def val_dataloader(self) -> DataLoader:
        return self._loader(self.val_set)


__all__ = [
    "GeneratedProgramDataModule",
    "GeneratedPrograms",
    "collate_programs",
    "resolve_generator_names",
]
