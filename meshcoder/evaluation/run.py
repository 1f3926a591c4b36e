"""``meshcoder-eval``: score a folder of predicted programs against a dataset split.

    meshcoder-eval predictions=runs/demo/programs dataset=data/objects split=test
    meshcoder-eval predictions=... dataset=... metrics.fast=true limit=50

Predictions are ``<id>.py`` (one sample per input) and ``<id>+<k>.py`` (several); meshes (``<id>.ply``,
``.obj``, ``.glb``, ...) are accepted too, to score other systems' outputs. The reference of a record is
the mesh file named by its ``mesh_path`` field when present, else the mesh of running its ``script``.
With several samples, the one closest (Chamfer) to the record's *input* cloud, its first ``pcd_path``,
is kept: best-of-N without ground truth. Writes ``shapes.csv`` (one row per shape), ``metrics.md`` (per
category mean and median, and the overall rows) and ``summary.json`` to ``output_dir``.

Hydra lives only here; :func:`evaluate` takes a plain config and is what tests call.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path

from omegaconf import DictConfig, OmegaConf
from tqdm import tqdm

from meshcoder.evaluation.aggregate import summarise
from meshcoder.evaluation.loading import SHAPE_SUFFIXES, LoadedShape, from_execution, is_program, load_shape
from meshcoder.evaluation.report import markdown_summary, write_shapes_csv
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.protocol import METRICS, MetricProtocol
from meshcoder.geometry.readers import GeometryReadError, read_mesh

log = logging.getLogger(__name__)

CONFIG_DIR = Path(__file__).resolve().parents[2] / "conf"
SHAPE_COLUMNS = (
    "id",
    "category",
    "success",
    "status",
    "error",
    "candidates",
    "chosen",
    "selection_cd",
    *METRICS,
)
# "<id>" or "<id>+<k>" followed by a shape suffix.
_PREDICTION_NAME = re.compile(r"^(?P<id>.+?)(?:\+(?P<k>\d+))?$")


class EvaluationError(ValueError):
    """A configuration or dataset problem that stops the evaluation; the message says what to fix."""


def load_split(dataset: str | Path, split: str) -> list[dict]:
    """The records of ``split`` (``<dataset>/<split>.json``), each with an ``id``."""
    from meshcoder.data.dataset import DatasetError, load_records

    try:
        records = load_records(dataset, split)
    except DatasetError as err:
        raise EvaluationError(str(err)) from None
    missing = sum(1 for r in records if not isinstance(r, dict) or "id" not in r)
    if missing:
        raise EvaluationError(f"{Path(dataset) / (split + '.json')}: {missing} records have no 'id'")
    return records


def input_cloud(dataset: str | Path, record: dict) -> PointCloud:
    """The record's input cloud: its first ``pcd_path`` (found by the dataset's path rule)."""
    from meshcoder.data.dataset import load_cloud, resolve_cloud_path

    paths = record.get("pcd_path")
    first = paths if isinstance(paths, str) else (paths or [None])[0]
    if first is None:
        raise EvaluationError(f"record {record['id']} has no pcd_path: best-of-N needs its input cloud")
    points, normals = load_cloud(resolve_cloud_path(dataset, first))
    return PointCloud(points, normals)


def find_predictions(folder: str | Path) -> dict[str, list[Path]]:
    """Prediction files by record id: ``<id>.<ext>`` and ``<id>+<k>.<ext>``, ordered by ``k``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise EvaluationError(f"{folder}: no such predictions folder")
    found: dict[str, list[tuple[int, Path]]] = {}
    for path in folder.iterdir():
        if not path.is_file() or path.suffix.lower() not in SHAPE_SUFFIXES:
            continue
        match = _PREDICTION_NAME.match(path.stem)
        k = int(match["k"]) if match["k"] is not None else -1
        found.setdefault(match["id"], []).append((k, path))
    return {key: [p for _, p in sorted(items)] for key, items in found.items()}


def evaluate(cfg: Mapping | DictConfig) -> dict:
    """Run the evaluation described by ``cfg`` (see ``conf/eval.yaml``) and write its files.

    Returns the summary (also written as ``summary.json``): protocol settings, counts, and the aggregates
    per category and overall, with ``cd_per_success``.
    """
    cfg = cfg if isinstance(cfg, DictConfig) else OmegaConf.create(dict(cfg))
    for key in ("predictions", "dataset", "output_dir"):
        if OmegaConf.select(cfg, key) in (None, "???"):
            raise EvaluationError(f"set {key}=... (see conf/eval.yaml)")
    dataset = Path(cfg.dataset)
    output_dir = Path(cfg.output_dir)
    records = load_split(dataset, cfg.split)
    if cfg.get("limit"):
        records = records[: int(cfg.limit)]
    candidates = find_predictions(cfg.predictions)
    unknown = sorted(set(candidates) - {str(r["id"]) for r in records})
    if unknown:
        log.warning("%d prediction ids are not in %s (ignored): %s", len(unknown), cfg.split, unknown[:5])
    if cfg.missing not in ("fail", "skip"):
        raise EvaluationError(f"missing={cfg.missing!r}: use 'fail' (count as unsuccessful) or 'skip'")
    if cfg.missing == "skip":
        records = [r for r in records if str(r["id"]) in candidates]
    if not records:
        raise EvaluationError(f"nothing to evaluate: no records in {cfg.split} (after limit/missing)")

    m = cfg.metrics
    protocol = MetricProtocol(fast=bool(m.fast), points=m.get("points"), seed=int(m.seed), backend=m.backend)
    selector = MetricProtocol(points=int(cfg.selection.points), seed=int(m.seed), backend=m.backend)
    progress = bool(cfg.progress)

    needs_executor = any("mesh_path" not in r for r in records) or any(
        is_program(p) for r in records for p in candidates.get(str(r["id"]), [])
    )
    with ExitStack() as stack:
        pool = None
        if needs_executor:
            from meshcoder.shapes.executor import ExecutorPool

            pool = stack.enter_context(
                ExecutorPool(num_workers=cfg.executor.num_workers, timeout=float(cfg.executor.timeout))
            )
        references = _references(records, dataset, pool, progress)
        predictions = _predictions(records, candidates, pool, progress)

    rows, excluded = [], []
    for record in tqdm(records, desc="scoring", disable=not progress, unit="shape"):
        key = str(record["id"])
        row = {"id": record["id"], "category": record.get("category", "unknown")}
        reference = references[key]
        if not reference.ok:
            excluded.append({**row, "status": "reference_failed", "error": reference.error})
            continue
        row.update(_score(record, dataset, reference, predictions.get(key, []), protocol, selector))
        rows.append(row)

    summary = summarise(rows)
    n_max = max((len(predictions.get(str(r["id"]), [])) for r in records), default=0)
    notes = [
        f"protocol: {protocol.describe()}",
        f"split: {cfg.split} of {dataset} ({len(rows)} shapes scored, {len(excluded)} excluded because "
        "their reference failed)",
        f"predictions: {cfg.predictions}; "
        + (
            f"best-of-N with N up to {n_max}, chosen by CD to the input cloud (no ground truth)"
            if n_max > 1
            else "one sample per input"
        ),
        f"missing predictions: {cfg.missing}",
    ]
    output_dir.mkdir(parents=True, exist_ok=True)
    write_shapes_csv(rows + excluded, output_dir / "shapes.csv", SHAPE_COLUMNS)
    (output_dir / "metrics.md").write_text(markdown_summary(summary, f"Evaluation: {cfg.split}", notes))
    result = {
        "protocol": protocol.settings(),
        "split": cfg.split,
        "dataset": str(dataset),
        "predictions": str(cfg.predictions),
        "best_of_n": n_max,
        "shapes": len(rows),
        "excluded": [{"id": e["id"], "error": e["error"]} for e in excluded],
        "cd_per_success": _plain(summary.all_shapes.cd_per_success),
        **summary.to_dict(),
    }
    (output_dir / "summary.json").write_text(json.dumps(result, indent=2))
    log.info("wrote %s", output_dir)
    return result


def _references(records: list[dict], dataset: Path, pool, progress: bool) -> dict[str, LoadedShape]:
    references: dict[str, LoadedShape] = {}
    to_run = []
    for record in records:
        key = str(record["id"])
        if "mesh_path" in record:
            try:
                mesh = read_mesh(dataset / record["mesh_path"])
                references[key] = LoadedShape(mesh, "ok")
            except GeometryReadError as err:
                references[key] = LoadedShape(None, "unreadable", str(err))
        elif "script" in record:
            to_run.append(record)
        else:
            references[key] = LoadedShape(None, "invalid", "the record has neither mesh_path nor script")
    if to_run:
        results = pool.map([r["script"] for r in to_run], progress=progress, desc="references")
        for record, result in zip(to_run, results):
            references[str(record["id"])] = from_execution(result)
    return references


def _predictions(
    records: list[dict], candidates: dict[str, list[Path]], pool, progress: bool
) -> dict[str, list[tuple[Path, LoadedShape]]]:
    wanted = [(str(r["id"]), p) for r in records for p in candidates.get(str(r["id"]), [])]
    loaded: dict[str, list[tuple[Path, LoadedShape]]] = {}
    programs = [(key, p) for key, p in wanted if is_program(p)]
    if programs:
        sources = []
        for _, path in programs:
            try:
                sources.append(path.read_text())
            except (OSError, UnicodeDecodeError) as err:
                sources.append(f"# unreadable file: {err}\n")  # fails validation, reported as invalid
        results = pool.map(sources, progress=progress, desc="predictions")
        for (key, path), result in zip(programs, results):
            loaded.setdefault(key, []).append((path, from_execution(result)))
    for key, path in wanted:
        if not is_program(path):
            try:
                shape = load_shape(path)
            except GeometryReadError as err:
                shape = LoadedShape(None, "unreadable", str(err))
            loaded.setdefault(key, []).append((path, shape))
    return loaded


def _score(
    record: dict,
    dataset: Path,
    reference: LoadedShape,
    candidates: list[tuple[Path, LoadedShape]],
    protocol: MetricProtocol,
    selector: MetricProtocol,
) -> dict:
    row: dict = {"candidates": len(candidates)}
    if not candidates:
        return {**row, "success": False, "status": "missing", "error": "no prediction file"}
    usable = [(path, shape) for path, shape in candidates if shape.ok]
    if not usable:
        _, first = candidates[0]
        return {**row, "success": False, "status": first.status, "error": first.error}
    chosen, selection_cd = usable[0], None
    if len(usable) > 1:
        cloud = input_cloud(dataset, record)
        scores = [selector.chamfer_to_cloud(shape.geometry, cloud) for _, shape in usable]
        best = min(range(len(usable)), key=scores.__getitem__)
        chosen, selection_cd = usable[best], scores[best]
    path, shape = chosen
    metrics = protocol.score(shape.geometry, reference.geometry)
    chosen_row = {"status": shape.status, "chosen": path.name, "selection_cd": selection_cd}
    return {**row, **chosen_row, **metrics.to_dict()}


def _plain(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def main() -> None:
    """Console entry point: Hydra parses ``key=value`` overrides against ``conf/eval.yaml``."""
    import hydra
    from hydra.core.hydra_config import HydraConfig

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="eval")
    def _main(cfg: DictConfig) -> None:
        if cfg.output_dir is None:
            cfg.output_dir = HydraConfig.get().runtime.output_dir
        try:
            result = evaluate(cfg)
        except EvaluationError as err:
            log.error("%s", err)
            raise SystemExit(2) from None
        print((Path(cfg.output_dir) / "metrics.md").read_text())
        print(f"cd_per_success: {result['cd_per_success']}")

    _main()


if __name__ == "__main__":
    main()
