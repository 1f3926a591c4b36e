"""The shipped Hydra configs: ``train.yaml``, ``datagen.yaml``, ``eval.yaml`` and their groups.

In a source checkout they are the top-level ``conf/`` folder; ``pyproject.toml`` installs that folder as
the package ``meshcoder.conf`` (editable installs map it back here), so the commands in
:mod:`meshcoder.cli` find their configs through Hydra's search path wherever meshcoder is installed.
"""

from pathlib import Path

#: The configs as a Hydra search-path entry (``@hydra.main(config_path=SEARCH_PATH, ...)``).
SEARCH_PATH = "pkg://meshcoder.conf"
#: The same configs as a folder, for ``initialize_config_dir`` and for reading one file directly.
CONFIG_DIR = Path(__file__).resolve().parent
