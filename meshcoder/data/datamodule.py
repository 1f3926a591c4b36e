"""A LightningDataModule over :class:`~meshcoder.data.dataset.ShapeProgramDataset`, with a padding
collate and a tokenizer hook.

>>> dm = ShapeProgramDataModule("data/objects", batch_size=4)            # doctest: +SKIP
>>> batch = next(iter(dm.train_dataloader()))                           # after dm.setup("fit")

A batch holds ``points``/``normals`` ``(B, N_max, 3)`` padded with zeros, ``points_mask`` ``(B, N_max)``
(True for real points), ``num_points`` ``(B,)``, ``programs`` (list of texts), ``categories``, ``ids``
``(B,)`` and ``cd_loss`` ``(B,)``; with a tokenizer hook also ``input_ids`` ``(B, L_max)`` padded with
``pad_id``, ``attention_mask`` ``(B, L_max)`` and ``lengths`` ``(B,)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import torch
from lightning import LightningDataModule
from torch.utils.data import DataLoader

from meshcoder.data.dataset import DEFAULT_NUM_POINTS, Augmentation, ShapeProgramDataset

#: Turns program texts into token id lists (e.g. a tokenizer's ``input_ids``); None keeps raw text.
TokenizerHook = Callable[[list[str]], Sequence[Sequence[int]]]


class PadCollate:
    """Collate items of :class:`ShapeProgramDataset` into a padded batch (see the module docstring).

    Args:
        tokenizer: program texts -> token id lists; None leaves programs as text only.
        pad_id: the id that pads ``input_ids``.
    """

    def __init__(self, tokenizer: TokenizerHook | None = None, pad_id: int = 0):
        self.tokenizer = tokenizer
        self.pad_id = int(pad_id)

    def __call__(self, items: list[dict]) -> dict:
        if not items:
            raise ValueError("cannot collate an empty batch")
        counts = torch.tensor([len(it["points"]) for it in items], dtype=torch.long)
        size = int(counts.max())
        points = torch.zeros(len(items), size, 3, dtype=torch.float32)
        normals = torch.zeros_like(points)
        for i, it in enumerate(items):
            points[i, : counts[i]] = it["points"]
            normals[i, : counts[i]] = it["normals"]
        batch = {
            "points": points,
            "normals": normals,
            "points_mask": torch.arange(size)[None, :] < counts[:, None],
            "num_points": counts,
            "programs": [it["program"] for it in items],
            "categories": [it["category"] for it in items],
            "ids": torch.tensor([it["id"] for it in items], dtype=torch.long),
            "cd_loss": torch.tensor([it["cd_loss"] for it in items], dtype=torch.float64),
        }
        if self.tokenizer is not None:
            ids = [list(map(int, seq)) for seq in self.tokenizer(batch["programs"])]
            if len(ids) != len(items):
                raise ValueError(
                    f"the tokenizer hook returned {len(ids)} sequences for {len(items)} programs"
                )
            lengths = torch.tensor([len(seq) for seq in ids], dtype=torch.long)
            width = int(lengths.max()) if len(ids) else 0
            input_ids = torch.full((len(ids), width), self.pad_id, dtype=torch.long)
            for i, seq in enumerate(ids):
                input_ids[i, : len(seq)] = torch.tensor(seq, dtype=torch.long)
            batch["input_ids"] = input_ids
            batch["attention_mask"] = torch.arange(width)[None, :] < lengths[:, None]
            batch["lengths"] = lengths
        return batch


class ShapeProgramDataModule(LightningDataModule):
    """Train/val/test loaders over a dataset folder.

    Args:
        root: the dataset folder; None uses the embedded default dataset, generated on first use by
            :meth:`prepare_data` (see :func:`meshcoder.data.pipeline.ensure_default_dataset`).
        batch_size: items per batch (validation and test use the same).
        num_workers: DataLoader worker processes.
        num_points: points per item (when the augmentation does not draw a count).
        max_cd_loss: see :class:`ShapeProgramDataset` (``"auto"``: 0.005 for training only).
        augmentation: training-time augmentation (off by default); val and test never augment.
        tokenizer: hook turning program texts into token ids (None: raw text only).
        pad_id: padding id for ``input_ids``.
        categories: keep only these categories.
        max_tokens: drop records over this many program tokens from training (their ``num_tokens``
            field, else counted with the tokenizer hook).
        eval_seed: fixes the cloud and points of each val/test item (None: random every time).
        limit_train, limit_val, limit_test: keep only the first N items of a split.
        max_tokens_per_batch: bound batches by ``records x longest program`` tokens as well as by
            ``batch_size`` records (:class:`~meshcoder.data.batching.TokenBudgetBatchSampler`); None:
            ``batch_size`` records per batch.
    """

    def __init__(
        self,
        root: str | Path | None = None,
        batch_size: int = 8,
        num_workers: int = 0,
        num_points: int = DEFAULT_NUM_POINTS,
        max_cd_loss: float | Literal["auto"] | None = "auto",
        augmentation: Augmentation | dict | None = None,
        tokenizer: TokenizerHook | None = None,
        pad_id: int = 0,
        categories: Sequence[str] | None = None,
        max_tokens: int | None = None,
        eval_seed: int | None = 0,
        limit_train: int | None = None,
        limit_val: int | None = None,
        limit_test: int | None = None,
        max_tokens_per_batch: int | None = None,
    ):
        super().__init__()
        from meshcoder.data.pipeline import default_dataset_dir

        self.use_default = root is None
        self.root = Path(root) if root is not None else default_dataset_dir()
        self.batch_size = int(batch_size)
        self.num_workers = int(num_workers)
        self.num_points = int(num_points)
        self.max_cd_loss = max_cd_loss
        self.augmentation = Augmentation.from_config(augmentation)
        self.collate = PadCollate(tokenizer, pad_id)
        self.categories = categories
        self.max_tokens = max_tokens
        self.eval_seed = eval_seed
        self.limits = {"train": limit_train, "val": limit_val, "test": limit_test}
        self.max_tokens_per_batch = max_tokens_per_batch
        self.datasets: dict[str, ShapeProgramDataset] = {}

    def prepare_data(self) -> None:
        """Generate the default dataset when no root was given (once, on one process)."""
        if self.use_default:
            from meshcoder.data.pipeline import ensure_default_dataset

            ensure_default_dataset(self.root)

    def dataset(self, split: str) -> ShapeProgramDataset:
        """The dataset of ``split`` (built on first use)."""
        if split not in self.datasets:
            train = split == "train"
            self.datasets[split] = ShapeProgramDataset(
                self.root,
                split,
                num_points=self.num_points,
                max_cd_loss=self.max_cd_loss,
                categories=self.categories,
                max_tokens=self.max_tokens if train else None,
                count_tokens=self._count_tokens if self.collate.tokenizer is not None else None,
                augmentation=self.augmentation if train else None,
                seed=None if train else self.eval_seed,
                limit=self.limits[split],
            )
        return self.datasets[split]

    def _count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self.collate.tokenizer(texts)]

    def setup(self, stage: str | None = None) -> None:
        """Build the datasets the stage needs."""
        needed = {"fit": ("train", "val"), "validate": ("val",), "test": ("test",), "predict": ("test",)}
        for split in needed.get(stage, ("train", "val", "test")):
            self.dataset(split)

    def _loader(self, split: str, shuffle: bool) -> DataLoader:
        batching: dict = {"batch_size": self.batch_size, "shuffle": shuffle}
        if self.max_tokens_per_batch is not None:
            batching = {"batch_sampler": self._token_budget_sampler(split, shuffle)}
        return DataLoader(
            self.dataset(split),
            **batching,
            num_workers=self.num_workers,
            collate_fn=self.collate,
            persistent_workers=self.num_workers > 0,
        )

    def _token_budget_sampler(self, split: str, shuffle: bool):
        from torch.utils.data import RandomSampler, SequentialSampler

        from meshcoder.data.batching import TokenBudgetBatchSampler, program_lengths

        dataset = self.dataset(split)
        counter = self._count_tokens if self.collate.tokenizer is not None else None
        return TokenBudgetBatchSampler(
            RandomSampler(dataset) if shuffle else SequentialSampler(dataset),
            self.batch_size,
            lengths=program_lengths(dataset, counter),
            max_tokens=int(self.max_tokens_per_batch),
            shuffle=shuffle,
        )

    def train_dataloader(self) -> DataLoader:
        return self._loader("train", shuffle=True)

    def val_dataloader(self) -> DataLoader:
        return self._loader("val", shuffle=False)

    def test_dataloader(self) -> DataLoader:
        return self._loader("test", shuffle=False)
