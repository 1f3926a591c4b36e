"""Training: the LightningModule (:mod:`~meshcoder.training.module`), the validation and speed callbacks
(:mod:`~meshcoder.training.callbacks`) and the ``meshcoder-train`` entry point
(:mod:`~meshcoder.training.train`, configs in ``conf/train.yaml``).

The module and callbacks run without Hydra; Hydra lives only in :mod:`meshcoder.cli.train`.
"""
