"""``meshcoder-datagen``: the command line of the dataset pipeline (``conf/datagen.yaml``).

    meshcoder-datagen out_dir=data/objects n_per_category=100
    meshcoder-datagen -m hydra/launcher=submitit_local shard=0,1 num_shards=2 out_dir=data/objects
    meshcoder-datagen merge=true out_dir=data/objects
    meshcoder-datagen preset=heldout                    # the fixed held-out test set (data/heldout)

Hydra lives only here: it parses ``key=value`` overrides against ``conf/datagen.yaml``;
:func:`meshcoder.data.datagen.datagen` takes the composed config and runs the pipeline
(:mod:`meshcoder.data.pipeline`). Errors are one line on stderr (exit status 2 for a bad setting, 1 for
anything else); ``MESHCODER_DEBUG=1`` shows the traceback instead.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import hydra
from hydra.utils import to_absolute_path
from omegaconf import DictConfig

from meshcoder.cli import CLIError, exit_on_error
from meshcoder.cli.arguments import check_writable_folder
from meshcoder.conf import SEARCH_PATH
from meshcoder.data.datagen import datagen
from meshcoder.data.pipeline import DatagenError

log = logging.getLogger(__name__)
PROG = "meshcoder-datagen"


@hydra.main(version_base="1.3", config_path=SEARCH_PATH, config_name="datagen")
def _main(cfg: DictConfig) -> dict:
    # Launchers (submitit) may start jobs elsewhere: pin the folder to where the command ran.
    cfg.out_dir = to_absolute_path(str(cfg.out_dir))
    try:
        if not cfg.get("merge"):  # a merge only reads the folder; datagen says when it is missing
            check_writable_folder(Path(cfg.out_dir), "out_dir=")
        report = datagen(cfg)
    except Exception as err:
        exit_on_error(PROG, err, (DatagenError, CLIError))
    log.info("datagen: %s", report)
    return report


def main() -> None:
    """Console entry point (``meshcoder-datagen``)."""
    _precheck_out_dir(sys.argv[1:])
    _main()


def _precheck_out_dir(overrides: list[str]) -> None:
    """Refuse an ``out_dir=`` override that cannot be created, in one line: Hydra makes its log folder
    inside it before any of this module's code runs, and would fail there with a traceback."""
    for override in overrides:
        key, _, value = override.partition("=")
        if key.lstrip("+~") != "out_dir" or not value or "," in value or "$" in value:
            continue
        existing = Path(value).absolute()
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
            why = "is a file" if existing.exists() and not existing.is_dir() else "is not writable"
            print(f"{PROG}: error: out_dir={value}: cannot create it ({existing} {why})", file=sys.stderr)
            raise SystemExit(2)


if __name__ == "__main__":
    main()
