"""``meshcoder score PREDICTION REFERENCE``: the spec's metrics of one shape against another.

PREDICTION is a shape program (.py, run in a Blender worker), a mesh or a point cloud; REFERENCE is a
mesh or a point cloud (or a program). Both go to the metric frame of the reference's bounding box.
Prints a small table (CD x 10^-2, IoU and F-score in %), or with --json one object with the keys
success, cd (raw, not x 10^-2), iou (32^3), iou_64, fscore_1, fscore_2, normal_consistency (fractions;
null when the prediction failed). A failed prediction is a result (success false, exit status 0);
an unusable reference is an error.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from meshcoder.cli import CLIError


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "score",
        help="metrics of a program, mesh or cloud against a reference mesh or cloud",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("prediction", type=Path, help="shape program (.py), mesh or point cloud")
    p.add_argument("reference", type=Path, help="mesh or point cloud (or a program)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument(
        "--fast", action="store_true", help="16,384 points per surface instead of the reported 100,000"
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the surface sampling (default: 0)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds a program may run (default: 10)")
    return p


def run(args) -> int:
    from contextlib import ExitStack

    from meshcoder.evaluation.loading import LoadedShape, is_program, load_shape
    from meshcoder.evaluation.report import shape_table
    from meshcoder.geometry.protocol import MetricProtocol
    from meshcoder.geometry.readers import GeometryReadError

    paths = (args.prediction, args.reference)
    for path in paths:
        if not path.is_file():
            raise CLIError(f"{path}: no such file")
    shapes: list[LoadedShape] = []
    with ExitStack() as stack:
        pool = None
        if any(is_program(p) for p in paths):
            from meshcoder.shapes.executor import ExecutorPool, WorkerError

            try:
                pool = stack.enter_context(ExecutorPool(num_workers=1, timeout=args.timeout))
            except WorkerError as err:
                raise CLIError(f"cannot start a Blender worker to run the program ({err})") from None
        for path in paths:
            try:
                shapes.append(load_shape(path, pool))
            except (GeometryReadError, FileNotFoundError) as err:
                raise CLIError(str(err)) from None
    prediction, reference = shapes
    if not reference.ok:
        raise CLIError(f"{args.reference}: the reference is unusable ({reference.status}: {reference.error})")
    if not prediction.ok:
        print(
            f"{args.prediction}: prediction failed ({prediction.status}: {prediction.error})", file=sys.stderr
        )

    protocol = MetricProtocol(fast=args.fast, seed=args.seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            metrics = protocol.score(prediction.geometry, reference.geometry)
        except ValueError as err:
            raise CLIError(f"{args.reference}: {err}") from None
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    if args.json:
        print(json.dumps(metrics.to_dict()))
    else:
        print(shape_table(metrics))
        print(f"protocol: {protocol.describe()}")
    return 0
