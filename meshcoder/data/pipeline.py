"""The dataset pipeline: generate programs, execute them, order their parts, sample point clouds, write
the released-dataset layout. Resumable, shardable, and summarised per generator.

>>> config = DatagenConfig(out_dir="data/demo", generators=["Primitive", "Boolean"], n_per_category=20)
>>> run_shard(config)                                         # doctest: +SKIP
>>> merge("data/demo")                                        # doctest: +SKIP

Layout of ``out_dir`` (MeshCoder's released layout plus our extras)::

    train.json val.json test.json   JSON lists of records (written by the merge)
    point_cloud/<generator>/<id>_<k>.npz   clouds: ``points``, ``normals`` (float32, N x 3)
    mesh/<generator>/<id>.ply              executed mesh of every test record (``mesh_path``)
    manifests/shard-<i>-of-<n>.jsonl       one line per finished job (ok or failed), fsynced
    datagen.json                           the settings that define the data (checked on resume)
    summary.md                             per generator: success rate, parts, vertices, chars, tokens
    COMPLETE.json                          written by a merge that found every planned job done

A job is (generator, seed); its id is ``generator_code * ID_STRIDE + seed`` and its split is a hash
of (generator, seed), so both are stable across runs, shard counts and ``n_per_category``. Seeds from
``HELDOUT_SEED`` on are reserved for the fixed held-out test set: a run there must put every record in
the test split (``split="test"``; ``meshcoder-datagen preset=heldout``), and training runs are refused
there, so the held-out set shares no seed with any training data. Files are
written to a temporary name and moved into place with ``os.replace``; a job's manifest line is appended
(flushed and fsynced) only after its files exist. A killed run therefore leaves at most orphan temporary
files, which the next run of that shard clears, and restarting skips every id any manifest holds.

Each job is generated and parsed here, run by a Blender worker, then made into its record (part order,
clouds, Chamfer check, files) by a process of :class:`~meshcoder.data.postprocess.PostprocessPool`,
so Blender and the post-processing overlap on every core.

Point clouds are saved in the frame the program builds (objects: the canonical frame; parts:
[-1, 1]^3); ``cd_loss`` is the spec's Chamfer distance from each cloud to an independent, denser sample
of the same executed mesh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import shutil
import time
import warnings
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from meshcoder.data.categories import CATEGORIES, generate_program, generators
from meshcoder.data.generators.parts import PART_TYPES
from meshcoder.data.postprocess import PostprocessPool, RecordSettings, RecordTask
from meshcoder.data.tokens import TokenCounter
from meshcoder.geometry.inputs import MODEL_INPUT_POINTS
from meshcoder.shapes.executor import DEFAULT_MEMORY_LIMIT_GB, DEFAULT_TIMEOUT, ExecutionResult, ExecutorPool
from meshcoder.shapes.program import Program, ProgramError, parse

log = logging.getLogger(__name__)

SPLITS: tuple[str, ...] = ("train", "val", "test")
SPLIT_FRACTIONS: tuple[float, ...] = (0.70, 0.15, 0.15)
#: Ids are ``generator_code * ID_STRIDE + seed``: seeds stay below it.
ID_STRIDE = 10_000_000
#: Seeds from here up to ``ID_STRIDE`` are reserved for the fixed held-out test set (``preset=heldout``):
#: only a run that puts every record in the test split may use them, so no training run ever sees them.
HELDOUT_SEED = 9_000_000
#: The name a config may give instead of a number for the first seed of the reserved range.
HELDOUT_SEED_NAME = "heldout"
#: Programs longer than this many tokens are dropped from training in the paper.
LONG_PROGRAM_TOKENS = 5_000
#: Settings that define the data; a resumed run must match them.
_DATA_KEYS = (
    "generators",
    "n_per_category",
    "seed",
    "split",
    "points",
    "clouds_per_record",
    "reference_points",
    "keep_test_meshes",
)
#: Names that ``datagen.json`` files written before the settings took their command-line names use.
_OLD_SETTING_NAMES = {"n_per_generator": "n_per_category", "num_points": "points"}


class DatagenError(RuntimeError):
    """A setting or an output folder that stops the pipeline; the message says what to change."""


class SimulatedCrash(RuntimeError):
    """Raised by :func:`run_shard` when ``crash_after`` records are done (tests of resumability)."""


@dataclass
class DatagenConfig:
    """What to generate and how (see ``conf/datagen.yaml`` for the command-line names).

    Args:
        out_dir: the dataset folder (created; shared by all shards).
        generators: generator names (object categories and/or part types), in order.
        n_per_category: objects per generator, a category or a part type (seeds ``seed .. seed + n - 1``).
        seed: the first seed. Seeds from ``HELDOUT_SEED`` on are reserved for held-out runs.
        split: None: each record's split is a hash of (generator, seed) (:func:`split_of`); a split name
            puts every record of the run there. A run whose seeds reach the reserved range must set
            ``split="test"`` (a held-out set); any other run there is refused.
        shard, num_shards: this process does every ``num_shards``-th job starting at ``shard``.
        points: points per cloud (at least ``MODEL_INPUT_POINTS``, the model's input: the data format's
            minimum).
        clouds_per_record: independent clouds per program (``pcd_path`` and ``cd_loss`` lists).
        reference_points: points of the dense sample that ``cd_loss`` is measured against.
        keep_test_meshes: write the executed mesh of test records (``mesh_path``; evaluation reads it).
        workers: Blender workers, and as many post-processing processes (None: one per core).
        timeout: seconds per program before its worker is replaced.
        memory_limit_gb: address-space cap per worker.
        progress: show a progress bar.
    """

    out_dir: str | Path
    generators: Sequence[str]
    n_per_category: int = 10
    seed: int = 0
    split: str | None = None
    shard: int = 0
    num_shards: int = 1
    points: int = MODEL_INPUT_POINTS
    clouds_per_record: int = 1
    reference_points: int = 32_768
    keep_test_meshes: bool = True
    workers: int | None = None
    timeout: float = DEFAULT_TIMEOUT
    memory_limit_gb: float = DEFAULT_MEMORY_LIMIT_GB
    progress: bool = True

    def __post_init__(self) -> None:
        self.out_dir = Path(self.out_dir)
        self.generators = list(self.generators)
        problems = []
        if not self.generators:
            problems.append("no generators selected: set categories=[...] and/or part_types=[...]")
        if len(set(self.generators)) != len(self.generators):
            problems.append(f"generators listed twice: {sorted(_duplicates(self.generators))}")
        if self.n_per_category < 1:
            problems.append(f"n_per_category must be >= 1, got {self.n_per_category}")
        if self.seed < 0 or self.seed + self.n_per_category > ID_STRIDE:
            problems.append(
                f"seeds must lie in [0, {ID_STRIDE}); got seed={self.seed}, n={self.n_per_category}"
            )
        if self.split is not None and self.split not in SPLITS:
            problems.append(f"split={self.split!r}: use null (hash split) or one of {', '.join(SPLITS)}")
        elif self.seed + self.n_per_category > HELDOUT_SEED and self.split != "test":
            problems.append(
                f"seeds {self.seed}..{self.seed + self.n_per_category - 1} reach the range reserved for the "
                f"held-out test set ({HELDOUT_SEED} and up), and this run would train or validate on them. "
                f"Keep seed + n_per_category <= {HELDOUT_SEED} for training data; a held-out run sets "
                "split=test (meshcoder-datagen preset=heldout, or make heldout)"
            )
        if self.num_shards < 1 or not 0 <= self.shard < self.num_shards:
            problems.append(
                f"need 0 <= shard < num_shards, got shard={self.shard}, num_shards={self.num_shards}"
            )
        if self.points < MODEL_INPUT_POINTS:
            problems.append(f"points must be at least {MODEL_INPUT_POINTS} (the data format's minimum)")
        if self.clouds_per_record < 1:
            problems.append("clouds_per_record must be >= 1")
        if self.reference_points < self.points:
            problems.append("reference_points must be at least points (it is the dense sample)")
        if problems:
            raise DatagenError("; ".join(problems))

    def data_settings(self) -> dict:
        """The settings that define the data (stored in ``datagen.json``)."""
        values = asdict(self)
        return {k: (list(values[k]) if k == "generators" else values[k]) for k in _DATA_KEYS}


def _duplicates(items: Iterable[str]) -> set[str]:
    return {k for k, v in Counter(items).items() if v > 1}


# ------------------------------------------------------------------------------------ selection
def resolve_generators(
    categories: Sequence[str] | str | None = "all", part_types: Sequence[str] | str | None = None
) -> list[str]:
    """Generator names from a category selection and a part-type selection.

    ``"all"`` (or None for ``categories``) means every paper category that has a generator (the rest
    are skipped with a warning) or every part type. Explicit names must have a generator.
    """
    table = generators()
    names: list[str] = []
    if categories is None or categories == "all":
        missing = [c for c in CATEGORIES if c not in table]
        if missing:
            warnings.warn(
                f"{len(missing)} of {len(CATEGORIES)} categories have no generator yet and are skipped: "
                f"{', '.join(missing)}",
                stacklevel=2,
            )
        names += [c for c in CATEGORIES if c in table]
    else:
        names += _explicit(categories, table, "categories")
    if part_types == "all":
        names += list(PART_TYPES)
    elif part_types:
        names += _explicit(part_types, table, "part_types")
    return list(dict.fromkeys(names))


def _explicit(selection: Sequence[str] | str, table: dict, key: str) -> list[str]:
    chosen = [selection] if isinstance(selection, str) else list(selection)
    unknown = [c for c in chosen if c not in table]
    if unknown:
        raise DatagenError(
            f"{key}: no generator for {unknown}; registered: {', '.join(table)} (use {key}=all for every one)"
        )
    return chosen


def generator_code(name: str) -> int:
    """A stable integer per generator: 1.. for the paper's categories then part types, 1000.. for
    others (hashed)."""
    known = (*CATEGORIES, *PART_TYPES)
    if name in known:
        return known.index(name) + 1
    return 1000 + zlib.crc32(name.encode()) % 9000


def record_id(generator: str, seed: int) -> int:
    """The record id of (generator, seed)."""
    return generator_code(generator) * ID_STRIDE + int(seed)


def split_of(generator: str, seed: int, fractions: Sequence[float] = SPLIT_FRACTIONS) -> str:
    """The split of (generator, seed): a hash, so it never depends on what else is generated."""
    digest = hashlib.blake2b(f"{generator}/{seed}".encode(), digest_size=8).digest()
    u = int.from_bytes(digest, "little") / 2**64
    edges = np.cumsum(fractions)
    for name, edge in zip(SPLITS, edges):
        if u < edge:
            return name
    return SPLITS[-1]


@dataclass(frozen=True)
class Job:
    """One program to make: its generator, seed, id and split."""

    generator: str
    seed: int
    id: int
    split: str


def parse_seed(value: int | str) -> int:
    """A first seed from a config: a number, or ``"heldout"`` for :data:`HELDOUT_SEED`."""
    if isinstance(value, str) and value.strip().lower() == HELDOUT_SEED_NAME:
        return HELDOUT_SEED
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DatagenError(
            f"seed={value!r}: give a number, or {HELDOUT_SEED_NAME} for the reserved held-out range"
        ) from None


def plan_jobs(config: DatagenConfig, shard: int | None = None) -> list[Job]:
    """Every job of the run (``shard=None``) or of one shard. Jobs interleave the generators, so a
    partial run or a shard covers all of them evenly."""
    jobs = []
    index = 0
    for k in range(config.n_per_category):
        seed = config.seed + k
        for name in config.generators:
            if shard is None or index % config.num_shards == shard:
                split = config.split or split_of(name, seed)
                jobs.append(Job(name, seed, record_id(name, seed), split))
            index += 1
    return jobs


# ------------------------------------------------------------------------------------- the folder
def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def manifest_path(out_dir: Path, shard: int, num_shards: int) -> Path:
    """The manifest file of a shard."""
    return Path(out_dir) / "manifests" / f"shard-{shard:05d}-of-{num_shards:05d}.jsonl"


def read_manifests(out_dir: str | Path) -> dict[int, dict]:
    """Every finished job of every manifest in ``out_dir``, by id (the first entry of an id wins).

    A line cut short by a kill is skipped (its job is simply redone).
    """
    entries: dict[int, dict] = {}
    broken = 0
    for path in sorted((Path(out_dir) / "manifests").glob("*.jsonl")):
        with open(path) as fh:
            for line in fh:
                if not line.endswith("\n"):
                    broken += 1
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    broken += 1
                    continue
                entries.setdefault(int(entry["id"]), entry)
    if broken:
        log.warning("%s: skipped %d incomplete manifest line(s) (their jobs are redone)", out_dir, broken)
    return entries


def finished_ids(out_dir: str | Path) -> set[int]:
    """Ids of every finished job in ``out_dir``'s manifests, read without parsing whole records (fast
    enough for millions of lines). A line cut short by a kill does not count."""
    ids: set[int] = set()
    for path in (Path(out_dir) / "manifests").glob("*.jsonl"):
        with open(path) as fh:
            for line in fh:
                # Entries are written as '{"id":<int>,...}' on one line; a line is complete when it
                # has its newline (json.dumps never writes one inside).
                if line.endswith("\n") and line.startswith('{"id":'):
                    ids.add(int(line[6 : line.index(",")]))
    return ids


class _Manifest:
    """Append-only JSON lines, each flushed and fsynced before the next job counts as done."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            _drop_partial_last_line(path)
        self._fh = open(path, "a")  # noqa: SIM115 (closed by close())

    def append(self, entry: dict) -> None:
        self._fh.write(json.dumps(entry, separators=(",", ":")) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()


def _drop_partial_last_line(path: Path) -> None:
    """Cut a last line without its newline (a kill mid-append), so the next append starts clean."""
    with open(path, "rb+") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size == 0:
            return
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return
        fh.seek(0)
        data = fh.read()
        fh.truncate(data.rfind(b"\n") + 1)


def _check_settings(config: DatagenConfig) -> None:
    """Store the data settings in ``datagen.json``, or check that the folder's match them."""
    path = config.out_dir / "datagen.json"
    wanted = config.data_settings()
    if path.exists():
        stored = _read_settings(path)
        diff = {k: (stored.get(k), v) for k, v in wanted.items() if stored.get(k) != v}
        if diff:
            shown = "; ".join(f"{k}: folder has {a!r}, this run {b!r}" for k, (a, b) in diff.items())
            raise DatagenError(
                f"{config.out_dir} holds data made with other settings ({shown}). Resume with the same "
                "settings, or choose a new out_dir."
            )
        return
    _atomic_write_text(path, json.dumps(wanted, indent=2) + "\n")


def load_settings(out_dir: str | Path) -> DatagenConfig:
    """The :class:`DatagenConfig` (data settings only) stored in a dataset folder."""
    path = Path(out_dir) / "datagen.json"
    if not path.exists():
        raise DatagenError(
            f"{out_dir} has no datagen.json: it was not made by meshcoder-datagen (or is empty)"
        )
    return DatagenConfig(out_dir=out_dir, **_read_settings(path))


def _read_settings(path: Path) -> dict:
    """The settings stored in ``datagen.json``, under today's names (older folders resume too)."""
    stored = json.loads(path.read_text())
    return {_OLD_SETTING_NAMES.get(key, key): value for key, value in stored.items()}


# ---------------------------------------------------------------------------------- one record
@dataclass
class _Outcome:
    job: Job
    source: str | None
    program: Program | None
    result: ExecutionResult | None
    error: str | None = None
    status: str = "generator_error"
    seconds: float = 0.0


def _do_job(pool: ExecutorPool, post: PostprocessPool, job: Job, settings: RecordSettings) -> dict:
    """Generate, execute and post-process one job; its manifest entry (never raises for a bad job)."""
    t0 = time.perf_counter()
    try:
        source = generate_program(job.generator, job.seed)
    except Exception as err:  # a generator bug: recorded, never fatal to the run
        outcome = _Outcome(job, None, None, None, f"generator failed: {type(err).__name__}: {err}")
    else:
        try:
            program = parse(source)  # validated here once; the pool is told not to parse again
        except ProgramError as err:
            outcome = _Outcome(job, source, None, None, f"invalid program: {err}", status="invalid")
        else:
            outcome = _Outcome(job, source, program, pool.run(source))
    outcome.seconds = time.perf_counter() - t0
    return _finish(outcome, post, settings)


def _windowed(
    pool: ExecutorPool, post: PostprocessPool, jobs: Sequence[Job], settings: RecordSettings
) -> Iterator[dict]:
    """Manifest entries of ``jobs`` as they finish. Each thread carries a whole job, through a Blender
    worker and then a post-processing process; there are twice as many threads as processes of both
    kinds, so while some jobs are post-processed others run in Blender and no process waits."""
    todo = iter(jobs)
    threads = 2 * (pool.num_workers + post.processes)
    with ThreadPoolExecutor(max_workers=threads) as executor:
        running: set[Future] = set()
        try:
            for job in todo:
                running.add(executor.submit(_do_job, pool, post, job, settings))
                if len(running) >= threads:
                    break
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
                    nxt = next(todo, None)
                    if nxt is not None:
                        running.add(executor.submit(_do_job, pool, post, nxt, settings))
        finally:
            for fut in running:
                fut.cancel()


# ------------------------------------------------------------------------------------ the runs
@dataclass
class ShardReport:
    """What one shard run did."""

    shard: int
    num_shards: int
    planned: int
    skipped: int
    done: int = 0
    ok: int = 0
    seconds: float = 0.0
    failures: Counter = field(default_factory=Counter)

    @property
    def objects_per_second(self) -> float:
        """Finished jobs (ok or not) per second of this run."""
        return self.done / self.seconds if self.seconds > 0 else 0.0


def run_shard(
    config: DatagenConfig,
    token_counter: TokenCounter | None = None,
    pool: ExecutorPool | None = None,
    crash_after: int | None = None,
) -> ShardReport:
    """Do this shard's jobs that no manifest in ``out_dir`` holds yet; return what happened.

    Args:
        config: the run's settings.
        token_counter: texts -> token counts for ``num_tokens`` (None leaves it null).
        pool: an executor pool to use (default: a new one with ``config.workers``).
        crash_after: raise :class:`SimulatedCrash` after this many finished jobs (tests).
    """
    out = Path(config.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _check_settings(config)
    jobs = plan_jobs(config, config.shard)
    finished = finished_ids(out)
    todo = [j for j in jobs if j.id not in finished]
    report = ShardReport(config.shard, config.num_shards, len(jobs), len(jobs) - len(todo))
    log.info(
        "shard %d/%d: %d jobs, %d already done, %d to do (%s)",
        config.shard, config.num_shards, len(jobs), report.skipped, len(todo), out,
    )  # fmt: skip
    tmp_dir = out / "tmp" / f"shard-{config.shard:05d}-of-{config.num_shards:05d}"
    shutil.rmtree(tmp_dir, ignore_errors=True)  # orphans of a killed run
    if not todo:
        return report
    tmp_dir.mkdir(parents=True)

    own_pool = pool is None
    if own_pool:
        pool = ExecutorPool(
            num_workers=config.workers,
            timeout=config.timeout,
            memory_limit_gb=config.memory_limit_gb,
            validate=False,  # each job parses its program before running it
        )
    # As many post-processing processes as Blender workers: a record costs more CPU after Blender than
    # in it, and the two pools share the cores. Forked first, before any thread or file of this run.
    post = PostprocessPool(pool.num_workers).start()
    manifest = _Manifest(manifest_path(out, config.shard, config.num_shards))
    settings = RecordSettings(
        out_dir=out,
        tmp_dir=tmp_dir,
        num_points=config.points,
        clouds_per_record=config.clouds_per_record,
        reference_points=config.reference_points,
        keep_test_meshes=config.keep_test_meshes,
    )
    bar = _progress_bar(len(todo), f"shard {config.shard}/{config.num_shards}", config.progress)
    t0 = time.perf_counter()
    try:
        for entry in _windowed(pool, post, todo, settings):
            if entry["status"] == "ok" and token_counter is not None:
                # Counted here, in one thread: fast tokenizers are not safe to share between threads.
                entry["record"]["num_tokens"] = int(token_counter([entry["record"]["script"]])[0])
            manifest.append(entry)
            report.done += 1
            if entry["status"] == "ok":
                report.ok += 1
            else:
                report.failures[entry["status"]] += 1
            if bar is not None:
                bar.update(1)
                bar.set_postfix_str(f"ok {report.ok}, failed {report.done - report.ok}")
            if crash_after is not None and report.done >= crash_after:
                raise SimulatedCrash(f"stopped on purpose after {report.done} jobs")
    finally:
        report.seconds = time.perf_counter() - t0
        if bar is not None:
            bar.close()
        manifest.close()
        post.close()
        if own_pool:
            pool.close()
    shutil.rmtree(tmp_dir, ignore_errors=True)
    with contextlib.suppress(OSError):  # other shards may still use it
        tmp_dir.parent.rmdir()
    return report


def _finish(outcome: _Outcome, post: PostprocessPool, settings: RecordSettings) -> dict:
    """The manifest entry of a finished job: the record when everything worked, else the reason."""
    job = outcome.job
    entry: dict = {"id": job.id, "generator": job.generator, "seed": job.seed, "split": job.split}
    result = outcome.result
    stats = {"seconds": round(outcome.seconds, 4)}
    if outcome.error is not None:
        return {**entry, "status": outcome.status, "reason": outcome.error, "stats": stats}
    if not result.ok:
        return {**entry, "status": result.status.value, "reason": result.reason, "stats": stats}
    stats["blender"] = round(sum(v for k, v in result.timings.items() if k != "total"), 4)
    stats["vertices"] = int(sum(len(m.vertices) for m in result.parts.values()))
    stats["faces"] = int(sum(len(m.faces) for m in result.parts.values()))
    task = RecordTask(job.id, job.generator, job.seed, job.split, outcome.program, result.parts)
    try:
        record, stats["postprocess"] = post.record(task, settings)
    except Exception as err:  # ordering, sampling or writing failed for this program only
        return {
            **entry,
            "status": "postprocess_error",
            "reason": f"{type(err).__name__}: {err}",
            "stats": stats,
        }
    stats["postprocess"] = round(stats["postprocess"], 4)
    return {**entry, "status": "ok", "stats": stats, "record": record}


def _progress_bar(total: int, desc: str, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="obj", dynamic_ncols=True)


# ------------------------------------------------------------------------------------ the merge
@dataclass
class MergeReport:
    """What a merge found and wrote."""

    out_dir: Path
    planned: int
    finished: int
    ok: int
    splits: dict[str, int]
    summary: str

    @property
    def complete(self) -> bool:
        """Every planned job has a manifest entry."""
        return self.finished >= self.planned


def merge(out_dir: str | Path, echo: bool = True) -> MergeReport:
    """Write ``train.json``/``val.json``/``test.json`` and ``summary.md`` from every manifest.

    Safe to run at any time (it reads only finished jobs) and more than once; writes ``COMPLETE.json``
    when every planned job is done. Records are sorted by id.
    """
    out = Path(out_dir)
    config = load_settings(out)
    planned = {job.id: job for job in plan_jobs(config)}
    entries = {i: e for i, e in read_manifests(out).items() if i in planned}
    by_split: dict[str, list[dict]] = {s: [] for s in SPLITS}
    for i in sorted(entries):
        if entries[i]["status"] == "ok":
            by_split[entries[i]["split"]].append(entries[i]["record"])
    for split, records in by_split.items():
        body = ",\n".join(json.dumps(r, separators=(", ", ": ")) for r in records)
        _atomic_write_text(out / f"{split}.json", f"[\n{body}\n]\n" if records else "[]\n")
    summary = summary_table(
        config.generators, entries.values(), planned=Counter(j.generator for j in planned.values())
    )
    missing = len(planned) - len(entries)
    header = f"# Dataset summary: {out}\n\n"
    status = (
        "All planned jobs are done.\n"
        if not missing
        else f"{missing} of {len(planned)} planned jobs are not done: run the missing shards, then merge.\n"
    )
    counts = ", ".join(f"{s} {len(r)}" for s, r in by_split.items())
    text = f"{header}{status}\nRecords: {counts}.\n\n{summary}"
    _atomic_write_text(out / "summary.md", text)
    ok = sum(len(r) for r in by_split.values())
    report = MergeReport(out, len(planned), len(entries), ok, {s: len(r) for s, r in by_split.items()}, text)
    if report.complete:
        _atomic_write_text(
            out / "COMPLETE.json",
            json.dumps({"planned": len(planned), "ok": ok, "splits": report.splits}, indent=2) + "\n",
        )
    if echo:
        print(text)
    return report


def summary_table(names: Sequence[str], entries: Iterable[dict], planned: Counter | None = None) -> str:
    """A markdown table per generator: jobs finished (of planned, when not all are), successes, success
    rate, mean parts, vertices, characters and tokens of the programs, the share over 5,000 tokens,
    and the commonest failure."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        groups[e["generator"]].append(e)
    header = ["generator", "jobs", "ok", "success", "parts", "vertices", "chars", "tokens", "> 5k tokens"]
    lines = [
        "| " + " | ".join([*header, "commonest failure"]) + " |",
        "|---|" + "---:|" * (len(header) - 1) + "---|",
    ]
    for name in names:
        expected = planned[name] if planned else None
        lines.append(_summary_row(name, groups.get(name, []), expected))
    everything = [e for name in names for e in groups.get(name, [])]
    lines.append(_summary_row("**all**", everything, None))
    return "\n".join(lines) + "\n"


def _summary_row(name: str, group: list[dict], expected: int | None) -> str:
    ok = [e for e in group if e["status"] == "ok"]
    jobs = f"{len(group)}" if expected in (None, len(group)) else f"{len(group)}/{expected}"
    tokens = [e["record"]["num_tokens"] for e in ok if e["record"].get("num_tokens") is not None]
    failure = Counter(_short_reason(e) for e in group if e["status"] != "ok").most_common(1)
    cells = [
        name,
        jobs,
        str(len(ok)),
        f"{100 * len(ok) / len(group):.1f}%" if group else "-",
        _mean([e["record"]["num_parts"] for e in ok], 1),
        _mean([e["stats"]["vertices"] for e in ok], 0),
        _mean([e["record"]["num_chars"] for e in ok], 0),
        _mean(tokens, 0),
        f"{100 * np.mean(np.asarray(tokens) > LONG_PROGRAM_TOKENS):.1f}%" if tokens else "-",
        f"{failure[0][0]} ({failure[0][1]})" if failure else "",
    ]
    return "| " + " | ".join(cells) + " |"


def _mean(values: Sequence[float], decimals: int) -> str:
    if not values:
        return "-"
    value = float(np.mean(values))
    return f"{value:,.{decimals}f}" if math.isfinite(value) else "-"


def _short_reason(entry: dict) -> str:
    reason = str(entry.get("reason", entry["status"])).replace("|", "/")
    return reason if len(reason) <= 60 else reason[:57] + "..."


def all_jobs_done(out_dir: str | Path) -> bool:
    """Whether every planned job of the folder has a manifest entry."""
    config = load_settings(out_dir)
    finished = finished_ids(out_dir)
    return all(job.id in finished for job in plan_jobs(config))


def run_datagen(
    config: DatagenConfig, token_counter: TokenCounter | None = None, echo: bool = True
) -> tuple[ShardReport, MergeReport | None]:
    """Run one shard, then merge when every planned job of the folder is done (always the case for a
    finished single-shard run; for sharded runs, whichever shard finishes last merges)."""
    report = run_shard(config, token_counter)
    merged = merge(config.out_dir, echo=echo) if all_jobs_done(config.out_dir) else None
    if merged is None:
        log.info("shard %d/%d done; other shards still have jobs to do", config.shard, config.num_shards)
    return report, merged


# ---------------------------------------------------------------------------- the default dataset
#: Objects per category of the embedded default dataset.
#: 24 x 41 = 984 objects: about 8 minutes on an idle 2-core machine, so `make train` stays near 15 minutes.
DEFAULT_PER_CATEGORY = 24
DEFAULT_DATA_ENV = "MESHCODER_DEFAULT_DATA"


def default_dataset_dir() -> Path:
    """Where the default dataset lives: ``$MESHCODER_DEFAULT_DATA``, else ``data/default`` in a source
    checkout (a writable folder holding ``pyproject.toml`` above the package), else
    ``~/.cache/meshcoder/default``."""
    if os.environ.get(DEFAULT_DATA_ENV):
        return Path(os.environ[DEFAULT_DATA_ENV]).expanduser()
    repo = Path(__file__).resolve().parents[2]
    if (repo / "pyproject.toml").is_file() and os.access(repo, os.W_OK):
        return repo / "data" / "default"
    return Path.home() / ".cache" / "meshcoder" / "default"


def ensure_default_dataset(
    root: str | Path | None = None,
    n_per_category: int = DEFAULT_PER_CATEGORY,
    workers: int | None = None,
    make_token_counter: Callable[[], TokenCounter | None] | None = None,
    progress: bool = True,
    categories: Sequence[str] | str | None = "all",
    part_types: Sequence[str] | str | None = None,
) -> Path:
    """The folder of the small default dataset, generated on first use and reused afterwards.

    Every paper category that has a generator gets ``n_per_category`` objects (categories without one
    are skipped with a warning), or the ``categories`` and ``part_types`` chosen (as
    :func:`resolve_generators` reads them; ``categories=[]`` with ``part_types="all"`` makes part data).
    An interrupted generation resumes on the next call. ``COMPLETE.json`` marks a finished dataset;
    delete the folder to make it again (for example once more generators exist).

    ``make_token_counter`` is called once, when generation starts, for the function that fills the records'
    ``num_tokens`` (:func:`meshcoder.models.text_tokenizer.token_counter` gives Llama-3.2's); when it
    cannot be made (the tokenizer is not installed) the tokens are not counted, with a warning.
    """
    root = Path(root) if root is not None else default_dataset_dir()
    if (root / "COMPLETE.json").is_file():
        return root
    names = resolve_generators(categories, part_types)
    if not names:
        raise DatagenError(
            "no object category has a generator yet, so there is no default dataset to make; "
            "add generators under meshcoder/data/generators or point the command at a dataset folder"
        )
    if (root / "datagen.json").is_file():
        # Resume what an earlier call started, with its settings (the generator list may have grown).
        config = load_settings(root)
        config.workers, config.progress = workers, progress
    else:
        config = DatagenConfig(
            out_dir=root, generators=names, n_per_category=n_per_category, workers=workers, progress=progress
        )
    log.info("making the default dataset in %s (%d generators x %d)", root, len(names), n_per_category)
    try:
        counter = make_token_counter() if make_token_counter is not None else None
    except (ImportError, FileNotFoundError) as err:
        warnings.warn(f"program tokens are not counted ({err})", stacklevel=2)
        counter = None
    run_shard(config, counter)
    report = merge(root, echo=False)
    if not report.complete:
        raise DatagenError(f"the default dataset in {root} is incomplete; call again to resume")
    return root
