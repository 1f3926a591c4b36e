"""``meshcoder-datagen``: the command line of the dataset pipeline (Hydra lives only here).

Hydra parses ``key=value`` overrides against ``conf/datagen.yaml``; :func:`datagen` takes a plain
config and is what tests call. The work itself is :mod:`meshcoder.data.pipeline`.

    meshcoder-datagen out_dir=data/objects n_per_category=100
    meshcoder-datagen -m hydra/launcher=submitit_local shard=0,1 num_shards=2 out_dir=data/objects
    meshcoder-datagen merge=true out_dir=data/objects
    meshcoder-datagen preset=heldout                    # the fixed held-out test set (data/heldout)
"""

from __future__ import annotations

import logging
import math
import os
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
from meshcoder.data.tokens import token_counter

log = logging.getLogger(__name__)

CONFIG_DIR = Path(__file__).resolve().parents[2] / "conf"


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
        n_per_generator=_number(cfg, "n_per_category", int),
        seed=parse_seed(cfg.seed),
        split=None if cfg.get("split") in (None, "null", "none") else str(cfg.split),
        shard=_number(cfg, "shard", int),
        num_shards=_number(cfg, "num_shards", int),
        num_points=_number(cfg, "points", int),
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


def check_out_dir(out_dir: Path) -> None:
    """Create ``out_dir`` and check that files can be written there, before any program runs."""
    if out_dir.exists() and not out_dir.is_dir():
        raise DatagenError(f"out_dir={out_dir}: exists and is not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / f".write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        raise DatagenError(f"out_dir={out_dir}: cannot write there ({err.strerror or err})") from None


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
    check_out_dir(config.out_dir)
    shard, merged = run_datagen(config, token_counter(cfg.get("tokens", "llama32")))
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


def main() -> None:
    """Console entry point (``meshcoder-datagen``). Errors are one line on stderr (exit status 2 for a
    bad setting, 1 for anything else); ``MESHCODER_DEBUG=1`` shows the traceback instead."""
    import sys

    import hydra
    from hydra.utils import to_absolute_path

    from meshcoder.cli import debug_requested, one_line

    _precheck_out_dir(sys.argv[1:])

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="datagen")
    def _main(cfg: DictConfig) -> dict:
        # Launchers (submitit) may start jobs elsewhere: pin the folder to where the command ran.
        cfg.out_dir = to_absolute_path(str(cfg.out_dir))
        try:
            report = datagen(cfg)
        except DatagenError as err:
            print(f"meshcoder-datagen: error: {one_line(err)}", file=sys.stderr)
            raise SystemExit(2) from None
        except Exception as err:
            if debug_requested():
                raise
            print(
                f"meshcoder-datagen: error: {type(err).__name__}: {one_line(err)} "
                "(set MESHCODER_DEBUG=1 for the traceback)",
                file=sys.stderr,
            )
            raise SystemExit(1) from None
        log.info("datagen: %s", report)
        return report

    _main()


def _precheck_out_dir(overrides: list[str]) -> None:
    """Refuse an ``out_dir=`` override that cannot be created, in one line: Hydra makes its log folder
    inside it before any of this module's code runs, and would fail there with a traceback."""
    import sys

    for override in overrides:
        key, _, value = override.partition("=")
        if key.lstrip("+~") != "out_dir" or not value or "," in value or "$" in value:
            continue
        existing = Path(value).absolute()
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            why = "is a file" if existing.exists() and not existing.is_dir() else "is not writable"
            print(
                f"meshcoder-datagen: error: out_dir={value}: cannot create it ({existing} {why})",
                file=sys.stderr,
            )
            raise SystemExit(2)


if __name__ == "__main__":
    main()
