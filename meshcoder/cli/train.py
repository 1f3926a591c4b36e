"""``meshcoder-train``: train MeshCoder from a composed config (``conf/train.yaml``).

    meshcoder-train experiment=tiny_cpu                                 # the CPU recipe (make train)
    meshcoder-train experiment=tiny_cpu debug=fdr paths.output_dir=runs/check
    meshcoder-train experiment=tiny_cpu ckpt_path=runs/x/checkpoints/last.ckpt paths.output_dir=runs/x
    meshcoder-train experiment=paper_object model.config.llm.path=/models/Llama-3.2-1B data.root=/data/objects
    meshcoder-train -m hydra/launcher=train_slurm experiment=paper_part ...

Hydra lives only here: it composes the config and gives each job its own folder; the training itself
is :func:`meshcoder.training.train.train`, which takes the composed config (and is what tests call).
"""

from __future__ import annotations

import logging

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from meshcoder.conf import SEARCH_PATH
from meshcoder.training.train import TrainingError, train

log = logging.getLogger(__name__)


@hydra.main(version_base="1.3", config_path=SEARCH_PATH, config_name="train")
def _main(cfg: DictConfig) -> float | None:
    # One folder per job: Hydra's (the run dir, or the sweep's job dir), also when timestamps differ.
    cfg.paths.output_dir = HydraConfig.get().runtime.output_dir
    try:
        metrics = train(cfg)
    except TrainingError as err:
        log.error("%s", err)
        raise SystemExit(2) from None
    # A sweep's optimiser reads the returned value.
    value = metrics.get(str(cfg.get("optimized_metric") or ""))
    return float(value) if value is not None else None


def main() -> None:
    """Console entry point: Hydra composes ``conf/train.yaml`` with the command line's overrides."""
    _main()


if __name__ == "__main__":
    main()
