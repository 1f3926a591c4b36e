"""``meshcoder examples -o DIR``: run every shipped example program; write meshes (and pictures)."""

from __future__ import annotations

import argparse
from pathlib import Path

from meshcoder.cli.arguments import check_writable_folder, positive_int


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "examples", help="run the shipped example programs through the executor", description=__doc__
    )
    p.add_argument("-o", "--output", type=Path, default=Path("outputs/examples"), help="folder for results")
    p.add_argument("--format", default="glb", choices=["glb", "ply", "obj"], help="mesh format (glb)")
    p.add_argument("--no-render", action="store_true", help="skip the PNG pictures")
    p.add_argument(
        "--workers", type=positive_int, default=None, help="Blender workers (default: one per core)"
    )
    return p


def run(args) -> int:
    from meshcoder.examples import example_paths
    from meshcoder.shapes.executor import ExecutorPool
    from meshcoder.shapes.export import save_parts

    paths = example_paths()
    check_writable_folder(args.output, "-o")
    failures = 0
    rows = []
    with ExecutorPool(num_workers=args.workers) as pool:
        results = pool.map([p.read_text() for p in paths], progress=True, desc="examples")
        for path, result in zip(paths, results):
            if not result.ok:
                failures += 1
                rows.append((path.stem, result.reason, 0, 0, 0.0, ""))
                continue
            mesh_path = save_parts(result.parts, args.output / f"{path.stem}.{args.format}")
            if not args.no_render:
                pool.render(result.parts, args.output / f"{path.stem}.png")
            mesh = result.mesh
            rows.append(
                (
                    path.stem,
                    "ok",
                    len(result.parts),
                    len(mesh.vertices),
                    result.timings["total"],
                    str(mesh_path),
                )
            )
    table = ["| example | status | parts | vertices | seconds | mesh |", "|---|---|---|---|---|---|"]
    table += [f"| {n} | {s} | {p} | {v} | {t:.3f} | {m} |" for n, s, p, v, t, m in rows]
    (args.output / "examples.md").write_text("\n".join(table) + "\n")
    print("\n".join(table))
    print(f"{len(paths) - failures}/{len(paths)} examples ran; results in {args.output}/")
    return 1 if failures else 0
