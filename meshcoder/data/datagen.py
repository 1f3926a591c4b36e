"""A ``conf/datagen.yaml``-shaped config to the dataset pipeline: :func:`datagen` checks its settings and
runs (or merges) what it describes; the work itself is :mod:`meshcoder.data.pipeline`.

The command line is ``meshcoder-datagen`` (:mod:`meshcoder.cli.datagen`); :func:`datagen` takes a plain
config and is what tests and notebooks call.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from omegaconf import DictConfig, ListConfig, OmegaConf

from meshcoder.data.pipeline import (
    DatagenConfig,
    DatagenError,
    merge,
    parse_seed,
    resolve_generators,
    run_datagen,
)
from meshcoder.data.tokens import TokenCounter


def _selection(value) -> list[str] | str | None:
    if isinstance(value, ListConfig | list | tuple):
        return [str(v) for v in value]
    if value is None or str(value).lower() in ("none", "null"):
        return []
    return str(value)


def config_from(cfg: Mapping | DictConfig) -> DatagenConfig:
    """The pipeline settings described by a ``conf/datagen.yaml``-shaped config. A value of the wrong
    kind or range (``n_per_category=abc``, ``timeout=-1``, ``workers=0``) is a :class:`DatagenError`
    naming the key."""
    cfg = cfg if isinstance(cfg, DictConfig) else OmegaConf.create(dict(cfg))
    names = resolve_generators(_selection(cfg.categories), _selection(cfg.part_types))
    workers = None if cfg.workers is None else _number(cfg, "workers", int)
    timeout, memory = _number(cfg, "timeout", float), _number(cfg, "memory_limit_gb", float)
    if workers is not None and workers < 1:
        raise DatagenError(f"workers={workers}: use at least 1 Blender worker (or null: one per core)")
    for key, value in (("timeout", timeout), ("memory_limit_gb", memory)):
        if not (math.isfinite(value) and value > 0):
            raise DatagenError(f"{key}={cfg[key]!r}: expected a number greater than 0")
    return DatagenConfig(
        out_dir=Path(str(cfg.out_dir)),
        generators=names,
        n_per_category=_number(cfg, "n_per_category", int),
        seed=parse_seed(cfg.seed),
        split=None if cfg.get("split") in (None, "null", "none") else str(cfg.split),
        shard=_number(cfg, "shard", int),
        num_shards=_number(cfg, "num_shards", int),
        points=_number(cfg, "points", int),
        clouds_per_record=_number(cfg, "clouds_per_record", int),
        reference_points=_number(cfg, "reference_points", int),
        keep_test_meshes=bool(cfg.keep_test_meshes),
        workers=workers,
        timeout=timeout,
        memory_limit_gb=memory,
        progress=bool(cfg.progress),
    )


def _number(cfg: DictConfig, key: str, kind: type) -> int | float:
    """``cfg[key]`` as an int or float; a :class:`DatagenError` naming the key when it is not one
    (``True`` and ``2.5`` are not whole numbers)."""
    value = cfg[key]
    try:
        if isinstance(value, bool):
            raise ValueError
        return float(value) if kind is float else int(str(value))
    except (TypeError, ValueError):
        words = "a whole number" if kind is int else "a number"
        raise DatagenError(f"{key}={value!r}: expected {words}") from None


def _token_counter(cfg: DictConfig) -> TokenCounter | None:
    """What counts the records' program tokens: the config's ``token_counter`` node (a ``_target_``, by
    default the models' Llama-3.2 counter named by ``tokens``), or None without one."""
    node = cfg.get("token_counter")
    if node is None:
        return None
    from hydra.utils import instantiate

    return instantiate(node)


def datagen(cfg: Mapping | DictConfig) -> dict:
    """Run (or, with ``merge=true``, only merge) what ``cfg`` describes; returns a small report:
    ``done``, ``ok``, ``objects_per_second`` of this shard and, when merged, ``splits``/``complete``."""
    cfg = cfg if isinstance(cfg, DictConfig) else OmegaConf.create(dict(cfg))
    if cfg.get("merge"):
        out_dir = Path(str(cfg.out_dir))
        if not out_dir.is_dir():
            raise DatagenError(f"out_dir={out_dir}: no such folder to merge")
        merged = merge(out_dir)
        return {"splits": merged.splits, "complete": merged.complete, "ok": merged.ok}
    config = config_from(cfg)
    shard, merged = run_datagen(config, _token_counter(cfg))
    report = {
        "shard": shard.shard,
        "num_shards": shard.num_shards,
        "done": shard.done,
        "ok": shard.ok,
        "skipped": shard.skipped,
        "objects_per_second": shard.objects_per_second,
    }
    if merged is not None:
        report.update(splits=merged.splits, complete=merged.complete)
    return report
