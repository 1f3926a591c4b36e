"""Score systems against a dataset split, one or several side by side (the ``meshcoder-eval`` command,
:mod:`meshcoder.cli.evaluate`).

    meshcoder-eval predictions=runs/demo/programs dataset=data/objects split=test
    meshcoder-eval predictions=... dataset=... metrics.fast=true limit=50
    meshcoder-eval dataset=data/heldout model_dir=pretrained/meshcoder-cpu
    meshcoder-eval dataset=data/heldout model_dir=pretrained/meshcoder-cpu baselines=[retrieval] \\
        train_dataset=data/objects40

A system is a folder of predictions (``predictions=DIR``), a model folder (``model_dir=FOLDER``: loaded with
``load_pretrained``, greedy programs generated for every record's input cloud) or a baseline
(``baselines=[retrieval]``: the nearest ``train_dataset`` training program by Chamfer distance to the
input cloud). Generated and retrieved programs are written as ``programs/<id>.py`` and then scored like
any predictions folder.

Predictions are ``<id>.py`` (one sample per input) and ``<id>+<k>.py`` (several); meshes (``<id>.ply``,
``.obj``, ``.glb``, ...) are accepted too, to score other systems' outputs. The reference of a record is
the mesh file named by its ``mesh_path`` field when present, else the mesh of running its ``script``.
With several samples, the one closest (Chamfer) to the record's *input* cloud, its first ``pcd_path``,
is kept: best-of-N without ground truth. Writes ``shapes.csv`` (one row per shape), ``metrics.md`` (per
category mean and median, and the overall rows) and ``summary.json`` to ``output_dir``; with several
systems, those go to ``output_dir/<system>/`` and ``comparison.md`` puts the systems side by side.

:func:`evaluate` takes a plain ``conf/eval.yaml``-shaped config and is what the command and the tests call.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from omegaconf import DictConfig, OmegaConf
from tqdm import tqdm

from meshcoder.evaluation.aggregate import Summary, summarise
from meshcoder.evaluation.loading import (
    SHAPE_SUFFIXES,
    LoadedShape,
    ProgramReadError,
    from_execution,
    geometry_problem,
    is_program,
    load_shape,
    read_program,
)
from meshcoder.evaluation.report import comparison_markdown, markdown_summary, write_shapes_csv
from meshcoder.evaluation.retrieval import RECORDS_FILE, RetrievalBaseline, RetrievalError
from meshcoder.evaluation.systems import generate_programs, retrieve_programs, write_matches, write_programs
from meshcoder.geometry.metrics import BACKENDS
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.protocol import METRICS, MetricProtocol
from meshcoder.geometry.readers import GeometryReadError, read_mesh

log = logging.getLogger(__name__)

#: Columns of the oracle choice (best sample by the ground truth) in ``shapes.csv``.
ORACLE_PREFIX = "oracle_"
ORACLE_COLUMNS = ("oracle_chosen", *(ORACLE_PREFIX + m for m in METRICS))
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
    *ORACLE_COLUMNS,
)
#: Baselines that ``baselines=[...]`` can name.
BASELINES = ("retrieval",)
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


@dataclass(frozen=True)
class System:
    """One thing to score: ``kind`` is ``predictions`` (``source``: a folder of files), ``model``
    (``source``: a model folder) or ``retrieval``; ``name`` heads its column and folder."""

    name: str
    kind: str
    source: str | None = None


def systems_of(cfg: DictConfig) -> list[System]:
    """The systems ``cfg`` asks for, in the order predictions, model, baselines; names are unique."""
    found: list[System] = []
    if _given(cfg.get("predictions")):
        found.append(System("predictions", "predictions", str(cfg.predictions)))
    if _given(cfg.get("model_dir")):
        folder = str(cfg.model_dir)
        found.append(System(Path(folder).name or "model", "model", folder))
    baselines = cfg.get("baselines") or []
    for baseline in [baselines] if isinstance(baselines, str) else list(baselines):
        if str(baseline) not in BASELINES:
            raise EvaluationError(f"baselines: unknown {baseline!r}; known: {', '.join(BASELINES)}")
        found.append(System(str(baseline), str(baseline)))
    taken: set[str] = set()
    unique = []
    for system in found:
        name, k = system.name, 2
        while name in taken:
            name, k = f"{system.name}-{k}", k + 1
        taken.add(name)
        unique.append(System(name, system.kind, system.source))
    return unique


def check_settings(cfg: DictConfig) -> dict:
    """The numeric settings of ``cfg``, checked: whole numbers where counts are meant, positive where
    zero makes no sense, ``metrics.backend`` a known one. Returns them by dotted key; raises
    :class:`EvaluationError` naming the key, the value and what is expected."""
    values = {
        "limit": _setting(cfg, "limit", int, minimum=1, optional=True),
        "metrics.points": _setting(cfg, "metrics.points", int, minimum=1, optional=True),
        "metrics.seed": _setting(cfg, "metrics.seed", int, minimum=0),
        "selection.points": _setting(cfg, "selection.points", int, minimum=1),
        "executor.num_workers": _setting(cfg, "executor.num_workers", int, minimum=1, optional=True),
        "executor.timeout": _setting(cfg, "executor.timeout", float, minimum=0.0, strict=True),
        "executor.memory_limit_gb": _setting(
            cfg, "executor.memory_limit_gb", float, minimum=0.0, optional=True
        ),
        "input_points": _setting(cfg, "input_points", int, minimum=1, optional=True),
    }
    if _given(cfg.get("model_dir")):
        values["generation.batch_size"] = _setting(cfg, "generation.batch_size", int, minimum=1)
    backend = OmegaConf.select(cfg, "metrics.backend")
    if backend not in BACKENDS:
        raise EvaluationError(f"metrics.backend={backend!r}: unknown; use one of {', '.join(BACKENDS)}")
    return values


def _setting(
    cfg: DictConfig, key: str, kind: type, minimum: float, strict: bool = False, optional: bool = False
) -> int | float | None:
    value = OmegaConf.select(cfg, key)
    if value is None and optional:
        return None
    words = "a whole number" if kind is int else "a number"
    bound = f"{'>' if strict else '>='} {minimum:g}"
    expected = f"expected {words} {bound}" + (" (or null)" if optional else "")
    try:
        if isinstance(value, bool):
            raise ValueError
        number = kind(value) if kind is float else int(str(value))
    except (TypeError, ValueError):
        raise EvaluationError(f"{key}={value!r}: {expected}") from None
    if (
        number != number
        or number in (float("inf"), float("-inf"))
        or number < minimum
        or (strict and number == minimum)
    ):
        raise EvaluationError(f"{key}={value!r}: {expected}")
    return number


def _check_writable(folder: Path) -> None:
    """Create ``folder`` and check that files can be written there, before any work is done."""
    if folder.exists() and not folder.is_dir():
        raise EvaluationError(f"output_dir={folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        raise EvaluationError(f"output_dir={folder}: cannot write there ({err.strerror or err})") from None


def evaluate(cfg: Mapping | DictConfig) -> dict:
    """Run the evaluation described by ``cfg`` (see ``conf/eval.yaml``) and write its files.

    Returns, for one system, its summary (also written as ``summary.json``): protocol settings, counts,
    and the aggregates per category and overall, with ``cd_per_success``. For several systems:
    ``{"systems": {name: summary}, "comparison": path of comparison.md}``.
    """
    cfg = cfg if isinstance(cfg, DictConfig) else OmegaConf.create(dict(cfg))
    for key in ("dataset", "output_dir"):
        if not _given(OmegaConf.select(cfg, key)):
            raise EvaluationError(f"set {key}=... (see conf/eval.yaml)")
    systems = systems_of(cfg)
    if not systems:
        raise EvaluationError(
            "nothing to evaluate: set predictions=DIR, model_dir=FOLDER and/or baselines=[retrieval] "
            "(see conf/eval.yaml)"
        )
    if cfg.missing not in ("fail", "skip"):
        raise EvaluationError(f"missing={cfg.missing!r}: use 'fail' (count as unsuccessful) or 'skip'")
    settings = check_settings(cfg)
    dataset = Path(cfg.dataset)
    output_dir = Path(cfg.output_dir)
    _check_writable(output_dir)
    records = load_split(dataset, cfg.split)
    if settings["limit"] is not None:
        records = records[: settings["limit"]]
    if not records:
        raise EvaluationError(f"nothing to evaluate: no records in {cfg.split} (after limit)")
    several = len(systems) > 1
    folders = {s.name: output_dir / s.name if several else output_dir for s in systems}

    # Programs first (predictions folders are checked before any model runs); models and indexes are
    # released before the Blender workers start.
    sources, notes, candidates = {}, {}, {}
    for system in sorted(systems, key=lambda s: s.kind != "predictions"):
        if system.kind == "predictions":
            sources[system.name], notes[system.name] = Path(system.source), system.source
        elif system.kind == "model":
            sources[system.name], notes[system.name] = _run_model(cfg, system, records, folders[system.name])
        else:
            sources[system.name], notes[system.name] = _run_retrieval(cfg, records, folders[system.name])
        candidates[system.name] = find_predictions(sources[system.name])

    m = cfg.metrics
    protocol = MetricProtocol(
        fast=bool(m.fast), points=settings["metrics.points"], seed=settings["metrics.seed"], backend=m.backend
    )
    selector = MetricProtocol(
        points=settings["selection.points"], seed=settings["metrics.seed"], backend=m.backend
    )
    progress = bool(cfg.progress)
    for name, found in candidates.items():
        unknown = sorted(set(found) - {str(r["id"]) for r in records})
        if unknown:
            log.warning("%s: %d prediction ids are not in %s (ignored): %s", name, len(unknown), cfg.split,
                        unknown[:5])  # fmt: skip
    chosen = {name: records for name in candidates}
    if cfg.missing == "skip":
        chosen = {name: [r for r in records if str(r["id"]) in found] for name, found in candidates.items()}
    for name, items in chosen.items():
        if not items:
            raise EvaluationError(
                f"{name}: nothing to evaluate (no prediction for any record of {cfg.split})"
            )
    wanted = {str(r["id"]) for items in chosen.values() for r in items}
    needed = [r for r in records if str(r["id"]) in wanted]
    # Programs that cannot be read are invalid without running, so they need no Blender worker.
    needs_executor = any("mesh_path" not in r for r in needed) or any(
        is_program(p) and _readable(p)
        for found in candidates.values()
        for paths in found.values()
        for p in paths
    )
    results: dict[str, dict] = {}
    summaries: dict[str, Summary] = {}
    oracles: dict[str, Summary | None] = {}
    with ExitStack() as stack:
        pool = None
        if needs_executor:
            from meshcoder.shapes.executor import DEFAULT_MEMORY_LIMIT_GB, ExecutorConfig

            memory = settings["executor.memory_limit_gb"]
            executor = ExecutorConfig(
                num_workers=settings["executor.num_workers"],
                timeout=settings["executor.timeout"],
                memory_limit_gb=DEFAULT_MEMORY_LIMIT_GB if memory is None else memory,
            )
            pool = stack.enter_context(executor.pool())
        references = _references(needed, dataset, pool, progress)
        for system in systems:
            items = chosen[system.name]
            predictions = _predictions(items, candidates[system.name], pool, progress)
            summaries[system.name], results[system.name], oracles[system.name] = _score_system(
                cfg, items, dataset, references, predictions, protocol, selector, folders[system.name],
                f"{system.kind}: {notes[system.name]}", str(sources[system.name]),
            )  # fmt: skip
    with_oracle = {f"{name} (oracle)": o for name, o in oracles.items() if o is not None}
    if not several and not with_oracle:
        return results[systems[0].name]
    notes_all = [
        f"protocol: {protocol.describe()}",
        f"split: {cfg.split} of {dataset}; missing predictions: {cfg.missing}",
        *(
            f"{s.name} ({s.kind}): {notes[s.name]}" if s.name != s.kind else f"{s.name}: {notes[s.name]}"
            for s in systems
        ),
    ]
    if several:
        notes_all.append("each system's shapes.csv, metrics.md and summary.json are in its folder")
    if with_oracle:
        notes_all.append(
            "'(oracle)' columns keep, of each input's samples, the one nearest to the ground truth: an upper "
            "bound shown for the gap, never a result; the plain columns choose by CD to the input cloud"
        )
    summaries = {**summaries, **with_oracle}
    path = output_dir / "comparison.md"
    path.write_text(comparison_markdown(summaries, f"Comparison: {cfg.split} of {dataset}", notes_all))
    log.info("wrote %s", path)
    if not several:
        return {**results[systems[0].name], "comparison": str(path)}
    return {"systems": results, "comparison": str(path)}


def _score_system(
    cfg: DictConfig,
    records: list[dict],
    dataset: Path,
    references: dict[str, LoadedShape],
    predictions: dict[str, list[tuple[Path, LoadedShape]]],
    protocol: MetricProtocol,
    selector: MetricProtocol,
    output_dir: Path,
    note: str,
    source: str,
) -> tuple[Summary, dict]:
    """Score one system's loaded predictions and write its ``shapes.csv``, ``metrics.md`` and
    ``summary.json``; returns the summary and the JSON-ready result."""
    rows, excluded = [], []
    for record in tqdm(records, desc="scoring", disable=not cfg.progress, unit="shape"):
        key = str(record["id"])
        row = {"id": record["id"], "category": record.get("category", "unknown")}
        reference = references[key]
        if not reference.ok:
            excluded.append({**row, "status": "reference_failed", "error": reference.error})
            continue
        try:
            row.update(_score(record, dataset, reference, predictions.get(key, []), protocol, selector))
        except Exception as err:  # one record's problem (a broken input cloud...) never stops the rest
            log.warning("record %s: %s: %s", key, type(err).__name__, err)
            row.update(success=False, status="error", error=f"{type(err).__name__}: {err}")
        rows.append(row)

    summary = summarise(rows)
    oracle = oracle_summary(rows)
    n_max = max((len(predictions.get(str(r["id"]), [])) for r in records), default=0)
    notes = [
        f"protocol: {protocol.describe()}",
        f"split: {cfg.split} of {dataset} ({len(rows)} shapes scored, {len(excluded)} excluded because "
        "their reference failed)",
        f"{note}; "
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
    if oracle is not None:
        oracle_notes = [
            *notes[:2],
            "ORACLE: of each input's samples, the one nearest to the ground truth; an upper bound of "
            "best-of-N, not a result a user gets (metrics.md is the honest choice)",
        ]
        (output_dir / "metrics_oracle.md").write_text(
            markdown_summary(oracle, f"Oracle (not comparable): {cfg.split}", oracle_notes)
        )
    result = {
        "protocol": protocol.settings(),
        "split": cfg.split,
        "dataset": str(dataset),
        "predictions": source,
        "system": note,
        "best_of_n": n_max,
        "shapes": len(rows),
        "excluded": [{"id": e["id"], "error": e["error"]} for e in excluded],
        "cd_per_success": _plain(summary.all_shapes.cd_per_success),
        **summary.to_dict(),
    }
    if oracle is not None:
        result["oracle"] = {
            "note": "best sample by ground truth: an upper bound, not comparable",
            **oracle.to_dict(),
        }
    (output_dir / "summary.json").write_text(json.dumps(result, indent=2))
    log.info("wrote %s", output_dir)
    return summary, result, oracle


def oracle_summary(rows: list[dict]) -> Summary | None:
    """The aggregates had each shape kept its sample nearest to the ground truth (None when no shape
    had several samples)."""
    if not any("oracle_chosen" in r for r in rows):
        return None
    swapped = [
        {**r, **{m: r[ORACLE_PREFIX + m] for m in METRICS if ORACLE_PREFIX + m in r}}
        if "oracle_chosen" in r
        else r
        for r in rows
    ]
    return summarise(swapped)


# ------------------------------------------------------------------------------ systems that write
def _model_clouds(dataset: Path, records: list[dict], points: int | None, seed: int) -> Iterator[PointCloud]:
    for record in records:
        cloud = input_cloud(dataset, record)
        yield cloud if points is None else cloud.subsample(int(points), seed)


def trained_points(model_dir: Path) -> int | None:
    """The point count a model folder was trained on (``data.num_points`` of the ``train_config.yaml``
    that training writes beside the weights), or None when the folder does not say."""
    path = model_dir / "train_config.yaml"
    if not path.is_file():
        return None
    value = OmegaConf.select(OmegaConf.load(path), "data.num_points")
    return int(value) if value is not None else None


def _run_model(cfg: DictConfig, system: System, records: list[dict], folder: Path) -> tuple[Path, str]:
    """Generate a program per record with the model folder; returns the programs folder and a note."""
    import torch

    from meshcoder.models import load_pretrained

    settings = OmegaConf.to_container(cfg.generation, resolve=True)
    batch_size = int(settings.pop("batch_size"))
    max_new_tokens = settings.pop("max_new_tokens", None)
    device = cfg.get("device") or ("cuda" if torch.cuda.is_available() else "cpu")
    log.info("loading %s on %s", system.source, device)
    try:
        model = load_pretrained(system.source, device=device)
    except FileNotFoundError as err:
        raise EvaluationError(f"model_dir={system.source}: {err}") from None
    points = cfg.get("input_points") or trained_points(Path(system.source))
    if points is not None:
        log.info("the model reads %d points per input cloud", int(points))
    texts = generate_programs(
        model,
        _model_clouds(Path(cfg.dataset), records, points, int(cfg.metrics.seed)),
        batch_size,
        max_new_tokens,
        progress=bool(cfg.progress),
        total=len(records),
        **settings,
    )
    del model
    samples = int(settings.get("num_return_sequences") or 1)
    ids = (
        [r["id"] for r in records]
        if samples == 1
        else [f"{r['id']}+{k}" for r in records for k in range(samples)]
    )
    programs = write_programs(folder / "programs", ids, texts)
    shown = ", ".join(f"{k}={v}" for k, v in settings.items())
    note = (
        f"{system.source} on {device}, max_new_tokens {max_new_tokens or 'model default'}"
        + (f", {shown}" if shown else "")
        + f", input: {'all points' if points is None else f'{int(points):,} points'} of the first cloud"
    )
    return programs, note


def _run_retrieval(cfg: DictConfig, records: list[dict], folder: Path) -> tuple[Path, str]:
    """Retrieve a training program per record; returns the programs folder and a note."""
    settings = cfg.retrieval
    options = {k: int(settings[k]) for k in ("points", "shortlist") if settings.get(k) is not None}
    index = Path(settings.index) if _given(settings.get("index")) else None
    train = str(cfg.train_dataset) if _given(cfg.get("train_dataset")) else None
    try:
        if index is not None and (index / RECORDS_FILE).is_file():
            baseline = RetrievalBaseline.load(index, shortlist=options.get("shortlist"))
            if train is not None and not str(baseline.source).startswith(train):
                log.warning("retrieval index %s was built from %s, not train_dataset=%s", index,
                            baseline.source, train)  # fmt: skip
        elif train is None:
            raise EvaluationError("baselines=[retrieval] needs train_dataset=DIR (or retrieval.index=FOLDER)")
        else:
            baseline = RetrievalBaseline.from_dataset(
                train, split=settings.split, progress=bool(cfg.progress), **options
            )
            if index is not None:
                baseline.save(index)
        clouds = (input_cloud(Path(cfg.dataset), r) for r in records)
        matches = retrieve_programs(baseline, clouds, progress=bool(cfg.progress), total=len(records))
    except RetrievalError as err:
        raise EvaluationError(f"retrieval: {err}") from None
    programs = write_programs(folder / "programs", [r["id"] for r in records], [m.script for m in matches])
    write_matches(folder / "matches.csv", records, matches)
    shortlist = f"shortlist {baseline.shortlist}" if baseline.shortlist else "exhaustive"
    note = (
        f"the nearest of {len(baseline):,} programs of {baseline.source} by Chamfer distance "
        f"to the input cloud ({baseline.points:,} points each, normalised to the canonical box, {shortlist})"
    )
    return programs, note


def _readable(program: Path) -> bool:
    try:
        read_program(program)
    except ProgramReadError:
        return False
    return True


def _given(value: object) -> bool:
    return value is not None and str(value) not in ("", "???")


def _references(records: list[dict], dataset: Path, pool, progress: bool) -> dict[str, LoadedShape]:
    references: dict[str, LoadedShape] = {}
    to_run = []
    for record in records:
        key = str(record["id"])
        if "mesh_path" in record:
            path = dataset / record["mesh_path"]
            try:
                mesh = read_mesh(path)
            except GeometryReadError as err:
                references[key] = LoadedShape(None, "unreadable", str(err))
                continue
            problem = geometry_problem(mesh)
            references[key] = (
                LoadedShape(mesh, "ok")
                if problem is None
                else LoadedShape(None, problem.status, f"{path}: {problem.error}")
            )
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
    programs, sources = [], []
    for key, path in wanted:
        if not is_program(path):
            continue
        try:
            sources.append(read_program(path))
            programs.append((key, path))
        except ProgramReadError as err:  # not run: a file that is not text is an invalid program
            loaded.setdefault(key, []).append((path, LoadedShape(None, "invalid", str(err))))
    if programs:
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
    if len(usable) > 1:
        # The oracle: the sample nearest to the ground truth. Reported beside the honest choice (never
        # mixed with it) so the gap between them is visible.
        scored = [
            (p, metrics if p == path else protocol.score(s.geometry, reference.geometry)) for p, s in usable
        ]
        oracle_path, oracle = min(scored, key=lambda item: item[1].cd)
        chosen_row["oracle_chosen"] = oracle_path.name
        chosen_row.update({f"{ORACLE_PREFIX}{k}": v for k, v in oracle.to_dict().items() if k != "success"})
    return {**row, **chosen_row, **metrics.to_dict()}


def _plain(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)
