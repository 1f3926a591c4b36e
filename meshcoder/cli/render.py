"""``meshcoder render PROGRAM_OR_MESH -o IMAGE.png``: a headless Cycles picture, one colour per part."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from meshcoder.cli import CLIError
from meshcoder.cli.arguments import check_writable_file, non_negative_int, positive_int
from meshcoder.cli.run import read_program


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("render", help="render a program or mesh file to a PNG", description=__doc__)
    p.add_argument("input", type=Path, help="shape program (.py) or mesh (.glb/.ply/.obj/.stl)")
    p.add_argument("-o", "--output", type=Path, required=True, help="PNG to write")
    p.add_argument("--points", type=Path, help="point cloud (.npz with 'points') drawn beside the mesh")
    p.add_argument(
        "--sample-points",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="draw N points sampled from the mesh itself beside it",
    )
    p.add_argument("--resolution", type=positive_int, default=256, help="image side in pixels (256)")
    p.add_argument("--samples", type=positive_int, default=8, help="Cycles samples per pixel (8)")
    return p


def _load_points(path: Path) -> np.ndarray:
    from meshcoder.geometry.pointcloud import PointCloud
    from meshcoder.geometry.readers import GeometryReadError, read_geometry

    if path.suffix.lower() != ".npz":
        raise CLIError(f"--points {path}: give the point cloud as .npz with a 'points' array")
    try:
        cloud = read_geometry(path)
    except GeometryReadError as err:
        raise CLIError(f"--points {err}") from None
    if not isinstance(cloud, PointCloud):
        raise CLIError(f"--points {path}: holds a mesh; give a point cloud ('points' array)")
    if not np.isfinite(cloud.points).all():
        raise CLIError(f"--points {path}: holds NaN or infinite coordinates")
    return cloud.points


def run(args) -> int:
    import time

    from meshcoder.geometry.mesh import TriangleMesh
    from meshcoder.shapes.executor import ExecutorPool
    from meshcoder.shapes.export import load_parts

    if args.output.suffix.lower() != ".png":
        raise CLIError(f"{args.output}: the picture is written as .png")
    if args.resolution < 16 or args.resolution > 4096:
        raise CLIError("--resolution must be between 16 and 4096")
    check_writable_file(args.output, "-o")
    points = _load_points(args.points) if args.points else None
    with ExecutorPool(num_workers=1) as pool:
        if args.input.suffix.lower() == ".py":
            result = pool.run(read_program(args.input))
            if not result.ok:
                print(f"{args.input}: {result.reason}")
                return 1
            parts = result.parts
        else:
            if not args.input.is_file():
                raise CLIError(f"{args.input}: no such file")
            try:
                parts = load_parts(args.input)
            except Exception as err:
                raise CLIError(f"{args.input}: cannot read a mesh from it ({err})") from None
        if args.sample_points > 0:
            from meshcoder.geometry.sampling import sample_surface

            points = sample_surface(TriangleMesh.concatenate(list(parts.values())), args.sample_points).points
        t0 = time.perf_counter()
        path = pool.render(
            parts, args.output, points=points, resolution=args.resolution, samples=args.samples
        )
    print(f"{path} ({args.resolution} px, {len(parts)} parts, {time.perf_counter() - t0:.2f} s)")
    return 0
