"""``meshcoder predict INPUT... -o OUT``: the best program for each mesh or point cloud.

INPUT is a mesh or cloud file (.glb .gltf .obj .ply .stl .off .npz .xyz .txt), a folder (every such file
under it), a glob ('scans/*.ply') or a dataset split (data/heldout:test). For each input NAME it writes
OUT/NAME.py (the program, in the canonical frame: Y up, centred, longest side 1), OUT/NAME.glb (one node
per part), OUT/NAME.png (the input cloud beside the prediction) and OUT/NAME.json (the scores of
`meshcoder score --json` against the input cloud, the candidates, what repair, fallback and refinement
did, and timings); over all inputs, OUT/summary.csv and OUT/report.html.

With -n N the greedy program and N-1 sampled ones are run, repaired and compared with the input; the
nearest (Chamfer distance) wins: no ground truth is used. A run resumes: inputs with an OUT/NAME.json are
skipped. An input that cannot be used gets a one-line error and the run goes on.

examples:
  meshcoder predict chair.glb -o out/
  meshcoder predict scans/ --up z -n 8 --refine 30 -o out/
  meshcoder predict data/heldout:test -n 8 -o runs/predict/heldout
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from meshcoder.cli import CLIError
from meshcoder.cli.arguments import (
    check_writable_folder,
    non_negative_float,
    non_negative_int,
    positive_float,
    positive_int,
    unit_interval,
)
from meshcoder.shapes.executor import DEFAULT_NUM_WORKERS, DEFAULT_TIMEOUT


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "predict",
        help="turn meshes or point clouds into programs (best-of-N, repair, refinement, report)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, glob or DATASET:SPLIT")
    p.add_argument("-o", "--output", type=Path, required=True, help="folder for the results")
    p.add_argument(
        "--model",
        type=Path,
        default=None,
        help="model folder (default: $MESHCODER_MODEL, else ./pretrained/meshcoder-cpu)",
    )
    p.add_argument(
        "--up", choices=("y", "z"), default="y", help="the inputs' up axis; z is turned to Y up (default: y)"
    )
    p.add_argument(
        "-n",
        type=positive_int,
        default=1,
        metavar="N",
        help="programs per input: greedy + N-1 samples (default: 1, greedy)",
    )
    p.add_argument(
        "--temperature",
        type=positive_float,
        default=0.8,
        help="sampling temperature when N > 1 (default: 0.8)",
    )
    p.add_argument(
        "--top-p", type=unit_interval, default=0.95, help="nucleus sampling when N > 1 (default: 0.95)"
    )
    p.add_argument(
        "--refine",
        type=non_negative_float,
        default=0.0,
        metavar="SECONDS",
        help="refinement budget per input (default: 0, off)",
    )
    p.add_argument("--no-repair", action="store_true", help="run programs as generated: no part is dropped")
    p.add_argument(
        "--batch-size", type=positive_int, default=4, help="inputs generated together (default: 4)"
    )
    p.add_argument(
        "--max-new-tokens",
        type=positive_int,
        default=None,
        help="tokens per program at most (default: 2048)",
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        default=DEFAULT_NUM_WORKERS,
        help="Blender workers (default: one per core)",
    )
    p.add_argument(
        "--timeout",
        type=positive_float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds a program may run (default: {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument(
        "--no-retrieval", action="store_true", help="no retrieval fallback (a box is the last resort)"
    )
    p.add_argument(
        "--retrieved",
        type=non_negative_int,
        default=0,
        metavar="K",
        help="also consider the K nearest programs of the retrieval index (default: 0)",
    )
    p.add_argument(
        "--seed", type=non_negative_int, default=0, help="seed of sampling and point subsampling (default: 0)"
    )
    p.add_argument("--device", default="cpu", help="torch device for the model (default: cpu)")
    p.add_argument("--no-pictures", action="store_true", help="skip NAME.png (faster)")
    p.add_argument("--limit", type=positive_int, default=None, help="only the first N inputs")
    return p


def run(args) -> int:
    import json
    import time

    from tqdm import tqdm

    from meshcoder.inference.inputs import InputSpecError, expand_inputs
    from meshcoder.inference.predict import DEFAULT_MAX_NEW_TOKENS, DEFAULT_MODEL, PredictionError, Predictor
    from meshcoder.inference.report import ERRORS_FILE, load_errors, load_results
    from meshcoder.shapes.executor import WorkerError

    try:
        inputs = expand_inputs(args.inputs)
    except InputSpecError as err:
        raise CLIError(str(err)) from None
    if args.limit:
        inputs = inputs[: args.limit]
    out: Path = args.output
    check_writable_folder(out, "-o")

    done = {r["name"] for r in load_results(out)}
    todo = [item for item in inputs if item.name not in done]
    skipped = len(inputs) - len(todo)
    if skipped:
        print(f"resuming: {skipped} of {len(inputs)} inputs already done in {out}", file=sys.stderr)
    errors = {e["name"]: e for e in load_errors(out) if e.get("name") not in done}

    model_dir = args.model or DEFAULT_MODEL
    settings = dict(
        n=args.n,
        temperature=args.temperature,
        top_p=args.top_p,
        refine=args.refine,
        repair=not args.no_repair,
        seed=args.seed,
        retrieved=args.retrieved,
    )
    if args.retrieved and args.no_retrieval:
        raise CLIError("--retrieved needs the retrieval index that --no-retrieval turns off")
    t_start = time.perf_counter()
    if todo:
        try:
            predictor = Predictor.load(
                model_dir,
                device=args.device,
                num_workers=args.workers,
                timeout=args.timeout,
                retrieval=not args.no_retrieval,
                max_new_tokens=args.max_new_tokens or DEFAULT_MAX_NEW_TOKENS,
            )
        except (PredictionError, FileNotFoundError) as err:
            raise CLIError(str(err)) from None
        if args.retrieved and predictor.retrieval is None:
            predictor.close()
            raise CLIError(f"--retrieved {args.retrieved}: {model_dir} has no retrieval index (retrieval/)")
        try:
            with predictor, tqdm(total=len(todo), desc="predicting", unit="shape") as bar:
                for start in range(0, len(todo), args.batch_size):
                    chunk = todo[start : start + args.batch_size]
                    prepared = []
                    for item in chunk:
                        try:
                            geometry = _read(item)
                            prepared.append(
                                predictor.prepare(geometry, args.up, item.name, args.seed, label=item.source)
                            )
                        except PredictionError as err:
                            message = str(err)
                            if not message.startswith(item.source):
                                message = f"{item.source}: {message}"
                            errors[item.name] = {"name": item.name, "input": item.source, "error": message}
                            tqdm.write(f"error: {message}", file=sys.stderr)
                            bar.update(1)
                    if not prepared:
                        continue
                    for prediction in predictor.predict_prepared(prepared, **settings):
                        prediction.save(out, pool=None if args.no_pictures else predictor.pool)
                        errors.pop(prediction.name, None)
                        cd = prediction.metrics.cd
                        bar.set_postfix_str(
                            f"{prediction.name}: {prediction.status}"
                            + (f", CD {cd * 100:.3f}e-2" if cd is not None else "")
                        )
                        bar.update(1)
                    (out / ERRORS_FILE).write_text(json.dumps(list(errors.values()), indent=1) + "\n")
        except WorkerError as err:
            raise CLIError(f"the Blender workers cannot run ({err})") from None
        except KeyboardInterrupt:
            print(
                f"\ninterrupted: finished inputs are kept in {out}; run the same command to resume",
                file=sys.stderr,
            )
            _write_reports(out, model_dir, list(errors.values()), settings)
            return 130
    (out / ERRORS_FILE).write_text(json.dumps(list(errors.values()), indent=1) + "\n")
    results = _write_reports(out, model_dir, list(errors.values()), settings)
    ok = sum(1 for r in results if r.get("success"))
    print(
        f"{len(results)} predicted ({ok} run, {sum(1 for r in results if r.get('fallback'))} fallbacks), "
        f"{len(errors)} unusable inputs, {time.perf_counter() - t_start:.1f} s -> {out / 'report.html'}"
    )
    return 1 if errors and not results else 0


def _read(item):
    """The geometry of a ShapeInput; reading errors become PredictionError via Predictor.prepare."""
    from meshcoder.geometry.readers import GeometryReadError
    from meshcoder.inference.predict import PredictionError

    try:
        return item.read()
    except GeometryReadError as err:
        raise PredictionError(str(err)) from None
    except (OSError, ValueError) as err:
        raise PredictionError(f"{item.source}: cannot read it ({err})") from None


def _write_reports(out: Path, model_dir: Path, error_list: list[dict], settings: dict) -> list[dict]:
    """``summary.csv`` and ``report.html`` over every result in ``out`` (this run's and earlier ones)."""
    from meshcoder.inference.report import load_results, summary_rows, write_report_html, write_summary_csv

    results = load_results(out)
    write_summary_csv(out / "summary.csv", summary_rows(results, error_list))
    notes = [
        f"model: {model_dir}",
        f"N = {settings['n']} per input (greedy + {settings['n'] - 1} sampled), the best chosen by Chamfer "
        "distance "
        "to the input cloud (no ground truth); "
        + (
            f"with the {settings['retrieved']} nearest indexed programs as candidates too; "
            if settings["retrieved"]
            else ""
        )
        + (f"refinement {settings['refine']:g} s per input" if settings["refine"] else "no refinement"),
        "scores: the spec's metrics against the input cloud (fast protocol, 16,384 points); CD in the "
        "input's metric frame",
        "pictures: the input cloud (left) beside the predicted parts (right)",
    ]
    write_report_html(out / "report.html", results, error_list, f"MeshCoder predictions: {out}", notes)
    return results
