"""Greedy, best-of-N, the oracle and refinement on the held-out set, per category, from one run.

    python experiments/bench_predict_heldout.py            # 41 inputs (one per category), N=8, 30 s
    python experiments/bench_predict_heldout.py --per-category 5 --refine 30 --retrieved 4 --out runs/ph

For each input the predictor runs once (greedy + N-1 samples, repair, best-of-N by Chamfer to the input
cloud, then ``--refine`` seconds of refinement), and every stage is scored against the *ground truth*
(the held-out mesh; fast protocol): candidate 0 (greedy), the honest best-of-N choice, the oracle (the
candidate nearest the ground truth: an upper bound, never a result) and the refined program. The
Chamfer distance to the input cloud before and after refinement (what refinement minimises) is kept
too. Results are appended to ``OUT/records.jsonl`` as they come (a killed run resumes) and the tables
are written to ``OUT/table.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time
from pathlib import Path

import torch

from meshcoder.data.dataset import load_cloud
from meshcoder.geometry.frames import canonical_frame
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.protocol import MetricProtocol
from meshcoder.geometry.readers import read_mesh
from meshcoder.inference import DEFAULT_MODEL, Predictor

STAGES = ("greedy", "best", "oracle", "refined")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--dataset", type=Path, default=Path("data/heldout"))
    parser.add_argument("--per-category", type=int, default=1)
    parser.add_argument("--n", type=int, default=8)
    parser.add_argument("--retrieved", type=int, default=0)
    parser.add_argument("--refine", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=Path("runs/predict_heldout"))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)

    records = json.loads((args.dataset / "test.json").read_text())
    chosen, count = [], {}
    for record in records:
        if count.get(record["category"], 0) < args.per_category:
            count[record["category"]] = count.get(record["category"], 0) + 1
            chosen.append(record)
    chosen = chosen[: args.limit]
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "records.jsonl"
    done = {json.loads(line)["id"] for line in log.read_text().splitlines()} if log.is_file() else set()
    protocol = MetricProtocol(fast=True)
    print(
        f"{len(chosen)} inputs ({len(done)} done), N={args.n}, retrieved={args.retrieved}, "
        f"refine {args.refine:g} s"
    )
    with Predictor.load(args.model) as predictor:
        for i, record in enumerate(chosen):
            if record["id"] in done:
                continue
            t0 = time.perf_counter()
            cloud_path = record["pcd_path"][0] if isinstance(record["pcd_path"], list) else record["pcd_path"]
            points, normals = load_cloud(args.dataset / cloud_path)
            prediction = predictor.predict(
                PointCloud(points, normals), n=args.n, refine=args.refine, retrieved=args.retrieved,
                name=str(record["id"]),
            )  # fmt: skip
            # The ground truth in the frame the predictor put the input cloud in (the program lives there).
            truth = canonical_frame(PointCloud(points)).apply(read_mesh(args.dataset / record["mesh_path"]))

            def score(parts, truth=truth):
                mesh = TriangleMesh.concatenate(list(parts.values())) if parts else None
                return protocol.score(mesh, truth).to_dict()

            ran = [cand for cand in prediction.candidates if cand.ok]
            scored = {cand.index: score(cand.parts) for cand in ran}
            greedy = scored.get(0, {"success": False})
            best = scored.get(prediction.chosen, {"success": False})
            oracle = min(scored.values(), key=lambda m: m["cd"]) if scored else {"success": False}
            refined = score(prediction.parts)
            refinement = prediction.refinement
            row = {
                "id": record["id"],
                "category": record["category"],
                "greedy": greedy,
                "best": best,
                "oracle": oracle,
                "refined": refined,
                "chosen_origin": prediction.candidate.origin,
                "fallback": prediction.fallback,
                "input_cd_before": None if refinement is None else refinement.cd_before,
                "input_cd_after": None if refinement is None else refinement.cd_after,
                "seconds": time.perf_counter() - t0,
            }
            with log.open("a") as fh:
                fh.write(json.dumps(row) + "\n")
            print(
                f"[{i + 1}/{len(chosen)}] {record['category']}: CD x1e-2 greedy {_f(greedy)} best {_f(best)} "
                f"oracle {_f(oracle)} refined {_f(refined)} ({row['seconds']:.0f} s)",
                flush=True,
            )
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    table = render(rows, args)
    (args.out / "table.md").write_text(table)
    print(table)


def _f(metrics: dict) -> str:
    return f"{metrics['cd'] * 100:.3f}" if metrics.get("success") else "fail"


def _mean(values) -> float:
    values = [v for v in values if v is not None and math.isfinite(v)]
    return statistics.fmean(values) if values else math.nan


def render(rows: list[dict], args) -> str:
    """Per category and overall: success, mean CD x10^-2 and IoU % against the ground truth per stage,
    and the CD to the input before and after refinement."""
    lines = [
        f"# Held-out: greedy, best-of-{args.n}, oracle, refined ({args.refine:g} s)",
        "",
        f"* {len(rows)} inputs of {args.dataset} (test), model {args.model}, N={args.n} "
        f"(greedy + {args.n - 1} sampled), retrieved candidates {args.retrieved}, refinement "
        f"{args.refine:g} s per input; fast protocol (16,384 points), metrics against the ground-truth mesh",
        "* best = chosen by Chamfer to the input cloud (honest); oracle = the candidate nearest the "
        "ground truth (an upper bound, not a result); refined = best after refinement",
        "",
        "| category | n | " + " | ".join(f"CD {s}" for s in STAGES) + " | "
        + " | ".join(f"IoU {s}" for s in STAGES) + " | input CD before → after |",
        "|---|---:|" + "---:|" * (2 * len(STAGES) + 1),
    ]  # fmt: skip
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["category"], []).append(row)

    def line(name: str, members: list[dict]) -> str:
        cds = [_mean(r[s]["cd"] * 100 for r in members if r[s].get("success")) for s in STAGES]
        ious = [_mean(r[s]["iou"] * 100 for r in members if r[s].get("success")) for s in STAGES]
        before = _mean(r["input_cd_before"] for r in members)
        after = _mean(r["input_cd_after"] for r in members)
        change = f"{before * 100:.3f} → {after * 100:.3f}" if math.isfinite(before) else "-"
        return (
            f"| {name} | {len(members)} | " + " | ".join(f"{v:.3f}" for v in cds) + " | "
            + " | ".join(f"{v:.1f}" for v in ious) + f" | {change} |"
        )  # fmt: skip

    for name in sorted(groups):
        lines.append(line(name, groups[name]))
    lines.append(line("**all**", rows))
    success = {s: sum(bool(r[s].get("success")) for r in rows) for s in STAGES}
    b, a = _mean(r["best"]["cd"] for r in rows), _mean(r["refined"]["cd"] for r in rows)
    bi, ai = _mean(r["input_cd_before"] for r in rows), _mean(r["input_cd_after"] for r in rows)
    lines += [
        "",
        "Success (programs that run): " + ", ".join(f"{s} {success[s]}/{len(rows)}" for s in STAGES),
        f"Refinement: mean CD to the ground truth {b * 100:.3f} → {a * 100:.3f} x10^-2 "
        f"({(1 - a / b) * 100:+.1f}% lower); "
        f"to the input cloud {bi * 100:.3f} → {ai * 100:.3f} ({(1 - ai / bi) * 100:+.1f}% lower). "
        f"Mean wall time per input {_mean(r['seconds'] for r in rows):.1f} s; "
        f"{sum(1 for r in rows if r['chosen_origin'] == 'retrieval')} inputs chose a retrieved program, "
        f"{sum(1 for r in rows if r['fallback'])} fell back.",
        "",
    ]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
