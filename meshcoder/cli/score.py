"""``meshcoder score PREDICTION REFERENCE``: the spec's metrics of one shape against another.

PREDICTION is a shape program (.py, run in a Blender worker), a mesh or a point cloud; REFERENCE is a
mesh or a point cloud (or a program). Both go to the metric frame of the reference's bounding box.
Prints a small table (CD x 10^-2, IoU and F-score in %), or with --json one object with the keys
success, cd (raw, not x 10^-2), iou (32^3), iou_64, fscore_1, fscore_2, normal_consistency (fractions;
null when the prediction failed). A failed prediction is a result (success false, exit status 0):
a program that does not run, or a file that holds nothing (no points, no area). A file that cannot be
read (missing, a folder, zero bytes, not its format, non-integer face indices, more than 10 million
points), a file with NaN or infinite coordinates, and an unusable reference are errors: one line on
stderr, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from meshcoder.cli import CLIError
from meshcoder.cli.arguments import non_negative_int, positive_float
from meshcoder.shapes.executor import DEFAULT_TIMEOUT


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
    p.add_argument(
        "--seed", type=non_negative_int, default=0, help="seed of the surface sampling (default: 0)"
    )
    p.add_argument(
        "--timeout",
        type=positive_float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds a program may run (default: {DEFAULT_TIMEOUT:g})",
    )
    return p


def run(args) -> int:
    from contextlib import ExitStack

    from meshcoder.evaluation.loading import (
        LoadedShape,
        ProgramReadError,
        is_program,
        load_shape,
        read_program,
    )
    from meshcoder.evaluation.report import shape_table
    from meshcoder.geometry.protocol import MetricProtocol
    from meshcoder.geometry.readers import GeometryReadError

    paths = (args.prediction, args.reference)
    for path in paths:
        if path.is_dir():
            raise CLIError(f"{path}: is a folder, not a file")
        if not path.is_file():
            raise CLIError(f"{path}: no such file")
        if is_program(path):
            try:
                read_program(path)  # before a Blender worker starts for it
            except ProgramReadError as err:
                raise CLIError(str(err)) from None
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
            except (GeometryReadError, ProgramReadError) as err:
                raise CLIError(str(err)) from None
    prediction, reference = shapes
    if not reference.ok:
        reason = _reason(reference, args.reference)
        raise CLIError(f"{args.reference}: the reference is unusable ({reason})")
    if not prediction.ok:
        if not is_program(args.prediction) and prediction.status == "invalid":
            raise CLIError(f"{args.prediction}: {_reason(prediction, args.prediction, status=False)}")
        print(
            f"{args.prediction}: prediction failed ({_reason(prediction, args.prediction)})", file=sys.stderr
        )

    protocol = MetricProtocol(fast=args.fast, seed=args.seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            metrics = protocol.score(prediction.geometry, reference.geometry)
        except ValueError as err:  # only the reference raises: a prediction that cannot be scored fails
            raise CLIError(f"{args.reference}: {err}") from None
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    if args.json:
        print(json.dumps(metrics.to_dict()))
    else:
        print(shape_table(metrics))
        print(f"protocol: {protocol.describe()}")
    return 0


def _reason(shape, path: Path, status: bool = True) -> str:
    """Why ``shape`` is unusable, without repeating the file name the message starts with."""
    error = str(shape.error or "")
    if error.startswith(f"{path}: "):
        error = error[len(f"{path}: ") :]
    return f"{shape.status}: {error}" if status else error
