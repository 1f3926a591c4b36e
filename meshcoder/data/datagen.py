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
    """The pipeline settings described by a ``conf/datagen.yaml``-shaped config."""
    cfg = cfg if isinstance(cfg, DictConfig) else OmegaConf.create(dict(cfg))
    names = resolve_generators(_selection(cfg.categories), _selection(cfg.part_types))
    return DatagenConfig(
        out_dir=Path(str(cfg.out_dir)),
        generators=names,
        n_per_generator=int(cfg.n_per_category),
        seed=parse_seed(cfg.seed),
        split=None if cfg.get("split") in (None, "null", "none") else str(cfg.split),
        shard=int(cfg.shard),
        num_shards=int(cfg.num_shards),
        num_points=int(cfg.points),
        clouds_per_record=int(cfg.clouds_per_record),
        reference_points=int(cfg.reference_points),
        keep_test_meshes=bool(cfg.keep_test_meshes),
        workers=None if cfg.workers is None else int(cfg.workers),
        timeout=float(cfg.timeout),
        memory_limit_gb=float(cfg.memory_limit_gb),
        progress=bool(cfg.progress),
    )


def datagen(cfg: Mapping | DictConfig) -> dict:
    """Run (or, with ``merge=true``, only merge) what ``cfg`` describes; returns a small report:
    ``done``, ``ok``, ``objects_per_second`` of this shard and, when merged, ``splits``/``complete``."""
    cfg = cfg if isinstance(cfg, DictConfig) else OmegaConf.create(dict(cfg))
    if cfg.get("merge"):
        merged = merge(Path(str(cfg.out_dir)))
        return {"splits": merged.splits, "complete": merged.complete, "ok": merged.ok}
    config = config_from(cfg)
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
    """Console entry point (``meshcoder-datagen``)."""
    import hydra
    from hydra.utils import to_absolute_path

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="datagen")
    def _main(cfg: DictConfig) -> dict:
        # Launchers (submitit) may start jobs elsewhere: pin the folder to where the command ran.
        cfg.out_dir = to_absolute_path(str(cfg.out_dir))
        try:
            report = datagen(cfg)
        except DatagenError as err:
            log.error("%s", err)
            raise SystemExit(2) from None
        log.info("datagen: %s", report)
        return report

    _main()


if __name__ == "__main__":
    main()
