"""``meshcoder convert INPUT -o OUT.npz``: a mesh or point cloud to a model input.

The output is the dataset's point-cloud file: ``points`` and ``normals`` (float32, N x 3), 16,384 points
by default, in the canonical frame (Y up, centred on the bounding-box centre, longest side 1). Meshes
are sampled uniformly by area; clouds are subsampled, and their normals estimated when they have none.
What was done (axis, centre, scale, normals) is printed; input that cannot be used is refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from meshcoder.cli import CLIError
from meshcoder.cli.arguments import check_writable_file, non_negative_int, positive_int
from meshcoder.geometry.inputs import MODEL_INPUT_POINTS


def add_parser(sub) -> argparse.ArgumentParser:
    from meshcoder.geometry.readers import SUFFIXES

    p = sub.add_parser(
        "convert",
        help="turn a mesh or point cloud into a model input (.npz, canonical frame)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", type=Path, help=f"mesh or point cloud ({', '.join(SUFFIXES)})")
    p.add_argument("-o", "--output", type=Path, required=True, help="model input to write (.npz)")
    p.add_argument(
        "--up", choices=("y", "z"), default="y", help="the input's up axis; z is turned to Y up (default: y)"
    )
    p.add_argument(
        "--points",
        type=positive_int,
        default=MODEL_INPUT_POINTS,
        help=f"points in the output (default: {MODEL_INPUT_POINTS})",
    )
    p.add_argument("--seed", type=non_negative_int, default=0, help="seed of the sampling (default: 0)")
    return p


def run(args) -> int:
    from meshcoder.geometry.inputs import InputError, prepare_model_input, write_model_input
    from meshcoder.geometry.readers import GeometryReadError, read_geometry

    if args.output.suffix.lower() != ".npz":
        raise CLIError(f"{args.output}: the output must be an .npz file")
    check_writable_file(args.output, "-o")
    try:
        geometry = read_geometry(args.input)
        cloud, report = prepare_model_input(geometry, up=args.up, points=args.points, seed=args.seed)
    except (GeometryReadError, InputError) as err:
        raise CLIError(
            f"{args.input}: {err}" if not str(err).startswith(str(args.input)) else str(err)
        ) from None
    path = write_model_input(args.output, cloud)
    for line in report.lines():
        print(line, file=sys.stderr if line.startswith("warning:") else sys.stdout)
    print(f"wrote {path}")
    return 0
