"""``meshcoder-eval``: score systems against a dataset split, one or several side by side.

    meshcoder-eval predictions=runs/demo/programs dataset=data/objects split=test
    meshcoder-eval dataset=data/heldout model_dir=pretrained/meshcoder-cpu baselines=[retrieval] \\
        train_dataset=data/objects40

Hydra lives only here: it parses ``key=value`` overrides against ``conf/eval.yaml``; the evaluation is
:func:`meshcoder.evaluation.run.evaluate` (what the systems are and what files it writes are described
there). The metrics table is printed when it is done. Errors are one line on stderr (exit status 2 for a
bad setting, 1 for anything else); ``MESHCODER_DEBUG=1`` shows the traceback instead.
"""

from __future__ import annotations

from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from meshcoder.cli import exit_on_error
from meshcoder.conf import SEARCH_PATH
from meshcoder.evaluation.run import EvaluationError, evaluate

PROG = "meshcoder-eval"


@hydra.main(version_base="1.3", config_path=SEARCH_PATH, config_name="eval")
def _main(cfg: DictConfig) -> None:
    if cfg.output_dir is None:
        cfg.output_dir = HydraConfig.get().runtime.output_dir
    try:
        result = evaluate(cfg)
    except Exception as err:
        exit_on_error(PROG, err, (EvaluationError,))
    if "systems" in result:
        print(Path(result["comparison"]).read_text())
        for name, summary in result["systems"].items():
            print(f"{name} cd_per_success: {summary['cd_per_success']}")
    else:
        print((Path(cfg.output_dir) / "metrics.md").read_text())
        print(f"cd_per_success: {result['cd_per_success']}")


def main() -> None:
    """Console entry point (``meshcoder-eval``)."""
    _main()


if __name__ == "__main__":
    main()
