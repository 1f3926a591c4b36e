"""A LightningDataModule over :class:`~meshcoder.data.dataset.ShapeProgramDataset`, with a padding
collate and a tokenizer hook. It owns the dataset's preparation: :meth:`ShapeProgramDataModule.prepare_data`
makes a missing dataset (the embedded default one, one described by ``generate``, or a debug run's small
stand-in, see :meth:`ShapeProgramDataModule.debug_dataset`).

>>> dm = ShapeProgramDataModule("data/objects", batch_size=4)            # doctest: +SKIP
>>> batch = next(iter(dm.train_dataloader()))                           # after dm.setup("fit")

A batch holds ``points``/``normals`` ``(B, N_max, 3)`` padded with zeros, ``points_mask`` ``(B, N_max)``
(True for real points), ``num_points`` ``(B,)``, ``programs`` (list of texts), ``categories``, ``ids``
``(B,)`` and ``cd_loss`` ``(B,)``; with a tokenizer hook also ``input_ids`` ``(B, L_max)`` padded with
``pad_id``, ``attention_mask`` ``(B, L_max)`` and ``lengths`` ``(B,)``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import torch
from lightning import LightningDataModule
from torch.utils.data import DataLoader

from meshcoder.data.dataset import Augmentation, ShapeProgramDataset, load_records
from meshcoder.data.tokens import TokenCounter
from meshcoder.geometry.inputs import MODEL_INPUT_POINTS, pad_clouds

log = logging.getLogger(__name__)

#: Turns program texts into token id lists (e.g. a tokenizer's ``input_ids``); None keeps raw text.
TokenizerHook = Callable[[list[str]], Sequence[Sequence[int]]]
#: Settings of a dataset made on first use: ``n_per_category`` and optionally ``categories``,
#: ``part_types``, ``workers``, ``progress`` (the arguments of
#: :func:`~meshcoder.data.pipeline.ensure_default_dataset`).
GenerateSettings = Mapping[str, Any]


class MissingDatasetError(FileNotFoundError):
    """The dataset folder holds no dataset and none can be made; the message says what to give."""


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
        points, normals, mask = pad_clouds([it["points"] for it in items], [it["normals"] for it in items])
        batch = {
            "points": points,
            "normals": normals,
            "points_mask": mask,
            "num_points": mask.sum(dim=1),
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
        generate: make the dataset at ``root`` with these settings when it is missing
            (:data:`GenerateSettings`; the training config's ``generate_data``). None: only the default
            dataset (``root`` None) is made.
        make_token_counter: called once when a dataset is made, it gives the function that counts each
            program's tokens for the records' ``num_tokens`` (the training config names Llama-3.2's:
            ``meshcoder.models.text_tokenizer.token_counter``); None leaves ``num_tokens`` empty.
    """

    def __init__(
        self,
        root: str | Path | None = None,
        batch_size: int = 8,
        num_workers: int = 0,
        num_points: int = MODEL_INPUT_POINTS,
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
        generate: GenerateSettings | None = None,
        make_token_counter: Callable[[], TokenCounter | None] | None = None,
    ):
        super().__init__()
        from meshcoder.data.pipeline import default_dataset_dir

        self.generate = _plain_settings(generate)
        self.make_token_counter = make_token_counter
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
        """Make the dataset when it is missing (once, on one process): the default dataset when no root
        was given, or the one ``generate`` describes; an existing dataset is used as it is. Raises
        :class:`MissingDatasetError` when ``root`` ends up without a ``train.json``."""
        from meshcoder.data.pipeline import ensure_default_dataset

        made_elsewhere = (self.root / "train.json").is_file() and not (self.root / "datagen.json").is_file()
        if self.generate and made_elsewhere:
            log.info("%s holds a dataset that datagen did not make; using it as it is", self.root)
        elif self.generate:
            ensure_default_dataset(self.root, make_token_counter=self.make_token_counter, **self.generate)
        elif self.use_default:
            ensure_default_dataset(self.root, make_token_counter=self.make_token_counter)
        if not (self.root / "train.json").is_file():
            raise MissingDatasetError(
                f"{self.root} has no train.json: point data.root at a dataset folder (train/val/test.json "
                "and point clouds), or leave data.root null for the embedded default dataset"
            )

    def wait_for_data(self, timeout_s: float, poll_s: float = 5.0) -> None:
        """Wait until another process (rank zero) has made the dataset: up to ``timeout_s`` seconds."""
        deadline = time.monotonic() + float(timeout_s)
        while not (self.root / "train.json").is_file():
            if time.monotonic() > deadline:
                raise MissingDatasetError(f"no dataset appeared in {self.root} within {timeout_s:g} s")
            time.sleep(poll_s)

    def debug_dataset(self, train: int, val: int) -> tuple[Path, dict] | None:
        """For a debug run that reads ``train`` training and ``val`` validation records: when this
        module's dataset would be generated and is not there yet, the root and ``generate`` settings of a
        small dataset of its own beside it (``<root>-debug-<K>x<N>``, made once, then reused) that holds
        just those records. None when the dataset exists (it is used as it is) or is not generated."""
        from meshcoder.data.categories import CATEGORIES
        from meshcoder.data.pipeline import resolve_generators

        if (self.generate is None and not self.use_default) or (self.root / "train.json").is_file():
            return None
        generate = self.generate or {}
        names = resolve_generators(generate.get("categories", "all"), generate.get("part_types"))
        chosen, seeds = plan_debug_dataset(names, train, val)
        small = self.root.parent / f"{self.root.name}-debug-{len(chosen)}x{seeds}"
        log.info(
            "debug run: %d training and %d validation records are read, so %s (%d generators x %d) stands "
            "in for the full dataset at %s", train, val, small, len(chosen), seeds, self.root,
        )  # fmt: skip
        categories = [n for n in chosen if n in CATEGORIES]
        return small, {
            "n_per_category": seeds,
            "categories": categories,
            "part_types": [n for n in chosen if n not in categories] or None,
            "workers": generate.get("workers"),
            "progress": generate.get("progress", True),
        }

    def training_texts(self) -> list[str]:
        """The program texts of every training record (what a tokenizer is trained on)."""
        records = load_records(self.root, "train")
        return [str(r["script"]) for r in records if isinstance(r, dict) and "script" in r]

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


class DebugDatasetError(ValueError):
    """No small dataset gives the records a debug run reads; the message says what to change."""


def plan_debug_dataset(names: list[str], train: int, val: int) -> tuple[list[str], int]:
    """The fewest generators (a prefix of ``names``) and seeds per generator whose objects give at
    least ``train`` training and ``val`` validation records (splits are a hash of generator and seed:
    :func:`meshcoder.data.pipeline.split_of`)."""
    from meshcoder.data.pipeline import split_of

    if not names:
        raise DebugDatasetError("no generator to make a debug dataset with: set generate_data.categories")
    for seeds in range(1, 10_000):
        counts = {"train": 0, "val": 0}
        for k, name in enumerate(names, start=1):
            for seed in range(seeds):
                split = split_of(name, seed)
                counts[split] = counts.get(split, 0) + 1
            if counts["train"] >= train and counts["val"] >= val:
                return names[:k], seeds
    raise DebugDatasetError(f"no debug dataset of fewer than 10,000 seeds gives {train} + {val} records")


def _plain_settings(settings: GenerateSettings | None) -> dict | None:
    """``generate`` as plain Python: config lists become lists; strings and None stay as they are."""
    if settings is None:
        return None
    plain = {}
    for key, value in dict(settings).items():
        is_list = isinstance(value, Sequence) and not isinstance(value, str | bytes)
        plain[str(key)] = [str(v) for v in value] if is_list else value
    return plain
