"""From a user's mesh or point cloud to the best program a model can write for it.

The steps, for each input (:meth:`Predictor.predict`, or :meth:`Predictor.predict_many` in batches):

1. **read and normalise**: any file the readers take, an array, a mesh or a cloud becomes the spec's
   model input (16,384 points with unit normals in the canonical frame; ``up='z'`` turns Z-up to Y-up).
   What was done is kept (:class:`~meshcoder.geometry.inputs.ConversionReport`), so the program can be
   placed back in the input's own coordinates (:meth:`Prediction.parts_in_input_frame`).
2. **sample N programs**: the greedy program, plus ``N - 1`` sampled ones when ``n > 1`` (so best-of-N
   never loses to greedy by the selection score), grammar-constrained and cut back to their last valid
   part. All N come from one batched decoding loop (the greedy one is a row of it,
   :class:`~meshcoder.models.generation.GreedyRows`).
3. **run and repair** each distinct program in the Blender pool, in parallel: a part that fails at run
   time is dropped and the rest run again (:mod:`meshcoder.inference.repair`).
4. **choose** the candidate whose mesh is nearest (Chamfer distance) to the *input* cloud: no ground truth
   is ever looked at.
5. **fall back** when no candidate runs: the nearest program of the model folder's retrieval index, else a
   box over the input's bounds, and the prediction says so. A user always gets a program.
6. **refine** (``refine`` seconds, 0 = off): the program's numbers are fitted to the input with the
   executor in the loop (:mod:`meshcoder.inference.refine`).
7. **score** the result against the input cloud with the spec's metrics (fast protocol, 16,384 points).
"""

from __future__ import annotations

import json
import math
import os
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from meshcoder.geometry.frames import up_rotation
from meshcoder.geometry.inputs import MODEL_INPUT_POINTS, ConversionReport, InputError, prepare_model_input
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.protocol import MetricProtocol, ShapeMetrics
from meshcoder.geometry.readers import GeometryReadError, read_geometry
from meshcoder.inference.repair import Repair, box_program, run_repaired
from meshcoder.shapes.executor import DEFAULT_NUM_WORKERS, DEFAULT_TIMEOUT, ExecutionResult, ExecutorPool
from meshcoder.shapes.program import Program, validate

#: Environment variable naming the default model folder (the Makefile sets it to the checkout's).
MODEL_ENV = "MESHCODER_MODEL"
#: The default model: ``$MESHCODER_MODEL``, else the shipped ``pretrained/meshcoder-cpu`` (``make ship-model``
#: writes it; committed to the repository) in the working directory. Never a folder inside the package.
DEFAULT_MODEL = Path(os.environ.get(MODEL_ENV) or "pretrained/meshcoder-cpu")
#: Folder of a model's retrieval index (the fallback), inside the model folder.
RETRIEVAL_FOLDER = "retrieval"
#: Points of the model's input cloud when the model folder does not say (its train_config.yaml).
DEFAULT_MODEL_POINTS = 2048
#: Tokens per program at most: above the longest training program (1,592 program tokens).
DEFAULT_MAX_NEW_TOKENS = 2048
#: Points compared when choosing among candidates (Chamfer to the input cloud).
SELECTION_POINTS = 8192
#: The format version of ``<name>.json``.
RESULT_VERSION = 1


class PredictionError(ValueError):
    """An input that cannot be predicted (unreadable file, unusable geometry); the message is one line."""


@dataclass
class Candidate:
    """One program considered for an input.

    ``origin`` is ``greedy``, ``sample``, ``retrieval`` or ``box``; ``text`` is what ran (after repair),
    ``raw`` what decoding wrote; ``cut`` says what decoding's repair removed at the end, ``dropped`` the
    parts run-time repair removed; ``selection_cd`` is the Chamfer distance to the input cloud (inf when
    the program did not run).
    """

    index: int
    origin: str
    text: str
    raw: str = ""
    tokens: int = 0
    finished: bool = True
    cut: str | None = None
    status: str = "not run"
    error: str | None = None
    dropped: list[str] = field(default_factory=list)
    selection_cd: float = math.inf
    parts: dict[str, TriangleMesh] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "origin": self.origin,
            "status": self.status,
            "error": self.error,
            "tokens": self.tokens,
            "finished": self.finished,
            "cut": self.cut,
            "dropped": self.dropped,
            "selection_cd": _finite(self.selection_cd),
        }


@dataclass
class Prediction:
    """The result for one input: the chosen ``program`` (a validated :class:`Program`; its text is
    ``text``), its ``parts`` (canonical frame), ``metrics`` against the input cloud, every ``candidate``,
    which one was ``chosen``, any ``fallback``, the ``refinement`` (or None), the model ``input`` cloud
    and how it was made (``conversion``), and ``timings`` in seconds."""

    name: str
    source: str
    text: str
    program: Program
    parts: dict[str, TriangleMesh]
    metrics: ShapeMetrics
    candidates: list[Candidate]
    chosen: int
    input: PointCloud
    conversion: ConversionReport
    frame_rotation: np.ndarray
    settings: dict
    fallback: str | None = None
    refinement: object | None = None
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    protocol: MetricProtocol = field(default_factory=lambda: MetricProtocol(fast=True))

    @property
    def mesh(self) -> TriangleMesh:
        """All parts joined (canonical frame)."""
        return TriangleMesh.concatenate(list(self.parts.values()))

    @property
    def candidate(self) -> Candidate:
        """The chosen candidate (before refinement)."""
        return self.candidates[self.chosen]

    @property
    def status(self) -> str:
        """``ok`` (a model program), ``fallback`` (retrieval or box), ``failed`` (nothing ran)."""
        if not self.metrics.success:
            return "failed"
        return "fallback" if self.fallback else "ok"

    def parts_in_input_frame(self) -> dict[str, TriangleMesh]:
        """The parts moved back to the input's own coordinates (its centre, size and up axis)."""
        c = self.conversion
        return {
            name: TriangleMesh(
                (mesh.vertices / c.scale + c.centre @ self.frame_rotation.T) @ self.frame_rotation,
                mesh.faces,
            )
            for name, mesh in self.parts.items()
        }

    def to_dict(self) -> dict:
        """Everything ``<name>.json`` holds: ``meshcoder score --json``'s keys first, then how the result
        was reached."""
        refinement = self.refinement
        return {
            **self.metrics.to_dict(),
            "name": self.name,
            "input": self.source,
            "status": self.status,
            "format_version": RESULT_VERSION,
            "protocol": self.protocol.describe() + ", against the input cloud",
            "chosen": self.chosen,
            "chosen_origin": self.candidate.origin,
            "selection": "Chamfer distance to the input cloud (no ground truth)",
            "fallback": self.fallback,
            "repair": {"cut": self.candidate.cut, "dropped": self.candidate.dropped},
            "refinement": None
            if refinement is None
            else {
                "cd_before": _finite(refinement.cd_before),
                "cd_after": _finite(refinement.cd_after),
                "evaluations": refinement.evaluations,
                "seconds": round(refinement.seconds, 3),
                "changes": list(refinement.changes),
            },
            "parts": [{"index": p.index, "label": p.label} for p in self.program.parts],
            "candidates": [c.to_dict() for c in self.candidates],
            "conversion": self.conversion.lines(),
            "frame": {
                "up": self.conversion.up,
                "centre": [float(v) for v in self.conversion.centre],
                "scale": float(self.conversion.scale),
                "note": "the program is in the canonical frame: input = rotation^T (canonical / scale + "
                "rotation centre); see Prediction.parts_in_input_frame",
            },
            "settings": self.settings,
            "warnings": self.warnings,
            "timings": {
                **{k: round(v, 3) for k, v in self.timings.items()},
                "total": round(sum(self.timings.values()), 3),
            },
        }

    def save(
        self, folder: str | Path, pool: ExecutorPool | None = None, picture: bool = True
    ) -> dict[str, Path]:
        """Write ``<name>.py``, ``<name>.glb`` (one node per part), ``<name>.png`` (input cloud beside the
        prediction; needs a ``pool``) and, last, ``<name>.json``, into ``folder``. A folder holding the
        JSON is a finished prediction (``meshcoder predict`` resumes on that)."""
        from meshcoder.shapes.export import save_parts

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        files = {"program": folder / f"{self.name}.py"}
        files["program"].write_text(self.text)
        if self.parts:
            files["mesh"] = save_parts(self.parts, folder / f"{self.name}.glb")
        if picture and pool is not None and self.parts:
            t0 = time.perf_counter()
            files["picture"] = pool.render(self.parts, folder / f"{self.name}.png", points=self.input.points)
            self.timings["render"] = time.perf_counter() - t0
        files["result"] = folder / f"{self.name}.json"
        record = self.to_dict()
        record["files"] = {k: p.name for k, p in files.items()}
        write_json(files["result"], record)
        return files


def write_json(path: Path, record: dict) -> None:
    """Write ``record`` atomically (a killed run never leaves half a file)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=1) + "\n")
    os.replace(tmp, path)


@dataclass
class _Prepared:
    name: str
    source: str
    cloud: PointCloud
    report: ConversionReport
    rotation: np.ndarray
    seconds: float


class Predictor:
    """A loaded model, a Blender pool and the settings of the steps; load once, predict many.

    Args:
        model: a :class:`meshcoder.models.MeshCoder` (``Predictor.load`` reads one from a folder).
        pool: the executor pool (started on first use; closed by :meth:`close` when the predictor made it).
        retrieval: a :class:`~meshcoder.evaluation.retrieval.RetrievalBaseline` for the fallback, or None.
        model_points: points of the cloud the model reads (what it was trained on).
        max_new_tokens: tokens per program at most.
        name: the model's name for the results (its folder).
    """

    def __init__(
        self,
        model,
        pool: ExecutorPool | None = None,
        retrieval=None,
        model_points: int = DEFAULT_MODEL_POINTS,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
        name: str = "model",
    ):
        self.model = model
        self._own_pool = pool is None
        self.pool = pool if pool is not None else ExecutorPool()
        self.retrieval = retrieval
        self.model_points = int(model_points)
        self.max_new_tokens = int(max_new_tokens)
        self.name = name
        self.protocol = MetricProtocol(fast=True)
        self.selector = MetricProtocol(points=SELECTION_POINTS)

    @classmethod
    def load(
        cls,
        model_dir: str | Path = DEFAULT_MODEL,
        device: str = "cpu",
        num_workers: int | None = DEFAULT_NUM_WORKERS,
        timeout: float = DEFAULT_TIMEOUT,
        retrieval: str | Path | bool | None = True,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
    ) -> Predictor:
        """A predictor for the model folder ``model_dir`` (default: the shipped model).

        ``retrieval``: True uses the folder's ``retrieval/`` index when it has one, a path names another
        index, False/None turns the retrieval fallback off (the box fallback stays).
        """
        from meshcoder.evaluation.retrieval import RetrievalBaseline, RetrievalError
        from meshcoder.evaluation.run import trained_points
        from meshcoder.models import load_pretrained

        model_dir = Path(model_dir)
        if not (model_dir / "meshcoder.json").is_file():
            hint = " (run `make ship-model`, or give --model FOLDER)" if model_dir == DEFAULT_MODEL else ""
            raise PredictionError(f"{model_dir}: not a model folder, no meshcoder.json{hint}")
        model = load_pretrained(model_dir, device=device)
        index = None
        if retrieval is True:
            folder = model_dir / RETRIEVAL_FOLDER
            index = RetrievalBaseline.load(folder) if folder.is_dir() else None
        elif retrieval:
            try:
                index = RetrievalBaseline.load(retrieval)
            except RetrievalError as err:
                raise PredictionError(str(err)) from None
        pool = ExecutorPool(num_workers=num_workers, timeout=timeout)
        points = trained_points(model_dir) or DEFAULT_MODEL_POINTS
        predictor = cls(model, pool, index, points, max_new_tokens, name=str(model_dir))
        predictor._own_pool = True
        return predictor

    def close(self) -> None:
        if self._own_pool:
            self.pool.close()

    def __enter__(self) -> Predictor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ----------------------------------------------------------------------------------- inputs
    def prepare(
        self, source, up: str = "y", name: str | None = None, seed: int = 0, label: str | None = None
    ) -> _Prepared:
        """Read (a path) and normalise ``source`` into the model input; ``label`` names it in messages
        (default: the path, or the type). Raises :class:`PredictionError`."""
        t0 = time.perf_counter()
        if label is None:
            label = str(source) if isinstance(source, str | Path) else type(source).__name__
        try:
            geometry = _geometry(source)
            cloud, report = prepare_model_input(geometry, up=up, points=MODEL_INPUT_POINTS, seed=seed)
            rotation = up_rotation(up)  # the canonical frame's rotation (prepare_model_input made the frame)
        except (GeometryReadError, InputError) as err:
            message = str(err)
            raise PredictionError(message if message.startswith(label) else f"{label}: {message}") from None
        except ValueError as err:
            raise PredictionError(f"{label}: {err}") from None
        if name is None:
            name = Path(source).stem if isinstance(source, str | Path) else "shape"
        return _Prepared(name, label, cloud, report, rotation, time.perf_counter() - t0)

    # ---------------------------------------------------------------------------------- predict
    def predict(self, source, *, up: str = "y", name: str | None = None, **settings) -> Prediction:
        """The best program for one input: a path, an ``(N, 3)`` array (or ``(N, 6)`` with normals), a
        :class:`TriangleMesh` or a :class:`PointCloud`; ``settings`` are :meth:`predict_prepared`'s
        (``n``, ``temperature``, ``top_p``, ``refine``, ``repair``, ``seed``, ``retrieved``). Raises
        :class:`PredictionError` for an input that cannot be used."""
        prepared = self.prepare(source, up=up, name=name, seed=settings.get("seed", 0))
        return self.predict_prepared([prepared], **settings)[0]

    def predict_prepared(
        self,
        batch: Sequence[_Prepared],
        n: int = 1,
        temperature: float = 0.8,
        top_p: float = 0.95,
        refine: float = 0.0,
        repair: bool = True,
        seed: int = 0,
        retrieved: int = 0,
    ) -> list[Prediction]:
        """Predictions for prepared inputs, generated in one batch (see the module docstring).

        ``retrieved`` > 0 adds that many nearest programs of the retrieval index to each input's
        candidates (chosen, like the rest, by Chamfer distance to the input).
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        if retrieved < 0:
            raise ValueError(f"retrieved must be 0 or more, got {retrieved}")
        if retrieved and self.retrieval is None:
            raise ValueError("retrieved > 0 needs a retrieval index (the model folder has none; give one)")
        if refine < 0:
            raise ValueError(f"refine is a time budget in seconds (0 = off), got {refine}")
        settings = {
            "model": self.name,
            "n": n,
            "temperature": temperature if n > 1 else None,
            "top_p": top_p if n > 1 else None,
            "refine": refine,
            "repair": repair,
            "seed": seed,
            "retrieved": retrieved,
            "max_new_tokens": self.max_new_tokens,
            "model_points": self.model_points,
        }
        t0 = time.perf_counter()
        candidates = self._generate(batch, n, temperature, top_p, seed)
        for item, group in zip(batch, candidates):
            for match in self.retrieval.nearest(item.cloud.points, retrieved) if retrieved else []:
                group.append(
                    Candidate(
                        len(group),
                        "retrieval",
                        match.script,
                        raw=f"# retrieved: {match.category} {match.id}\n",
                    )
                )
        generate_seconds = (time.perf_counter() - t0) / max(len(batch), 1)

        t0 = time.perf_counter()
        flat = [c for group in candidates for c in group]
        self._run(flat, repair)
        run_seconds = (time.perf_counter() - t0) / max(len(batch), 1)

        predictions = []
        for item, group in zip(batch, candidates):
            timings = {"prepare": item.seconds, "generate": generate_seconds, "execute": run_seconds}
            predictions.append(self._finish(item, group, settings, refine, repair, seed, timings))
        return predictions

    def predict_many(
        self, sources: Iterable, batch_size: int = 1, up: str = "y", **settings
    ) -> Iterator[Prediction | PredictionError]:
        """Predictions for many inputs (paths, arrays, meshes, or ``(name, source)`` pairs), generated
        ``batch_size`` at a time; an input that cannot be used yields its :class:`PredictionError`."""
        batch: list[_Prepared] = []
        for entry in sources:
            name, source = entry if isinstance(entry, tuple) else (None, entry)
            try:
                batch.append(self.prepare(source, up=up, name=name, seed=settings.get("seed", 0)))
            except PredictionError as err:
                yield err
            if len(batch) >= batch_size:
                yield from self.predict_prepared(batch, **settings)
                batch = []
        if batch:
            yield from self.predict_prepared(batch, **settings)

    # ------------------------------------------------------------------------------------ steps
    def _generate(
        self, batch: Sequence[_Prepared], n: int, temperature: float, top_p: float, seed: int
    ) -> list[list[Candidate]]:
        import torch

        from meshcoder.models.generation import GreedyRows

        rng = np.random.default_rng(seed)
        points, normals = [], []
        for item in batch:
            cloud = item.cloud
            if len(cloud) > self.model_points:
                keep = np.sort(rng.choice(len(cloud), self.model_points, replace=False))
                cloud = cloud.subset(keep)
            points.append(np.asarray(cloud.points, dtype=np.float32))
            normals.append(None if cloud.normals is None else np.asarray(cloud.normals, dtype=np.float32))
        with torch.inference_mode():
            if n == 1:
                outputs = self.model.generate_programs(
                    points, normals=normals, max_new_tokens=self.max_new_tokens
                )
            else:
                # One decoding loop for all N: the first row of each input decodes greedily.
                outputs = self.model.generate_programs(
                    points,
                    normals=normals,
                    generator=seed,
                    max_new_tokens=self.max_new_tokens,
                    do_sample=True,
                    temperature=temperature,
                    top_p=top_p,
                    num_return_sequences=n,
                    logits_processors=[GreedyRows(n)],
                )
        groups = []
        for i in range(len(batch)):
            groups.append(
                [
                    Candidate(
                        index=k,
                        origin="greedy" if k == 0 else "sample",
                        text=g.text,
                        raw=g.raw,
                        tokens=g.tokens,
                        finished=g.finished,
                        cut=None if g.cut.reason is None else f"{g.cut.parts} part(s): {g.cut.reason}",
                    )
                    for k, g in enumerate(outputs[i * n : (i + 1) * n])
                ]
            )
        return groups

    def _run(self, candidates: list[Candidate], repair: bool) -> None:
        """Run every distinct text (in parallel), then repair the failures (in parallel); candidates
        with the same text (samples often repeat the greedy program) share one run."""
        texts = list(dict.fromkeys(c.text for c in candidates))
        results = dict(zip(texts, self.pool.map(texts)))
        outcomes = {text: Repair(text, r) for text, r in results.items() if r.ok}
        failed = [(text, r) for text, r in results.items() if not r.ok]
        if failed:
            with ThreadPoolExecutor(max_workers=self.pool.num_workers) as threads:
                repaired = threads.map(lambda tr: run_repaired(tr[0], self.pool, repair, tr[1]), failed)
                outcomes.update(zip((text for text, _ in failed), repaired))
        for c in candidates:
            _record(c, outcomes[c.text])

    def _select(self, candidates: list[Candidate], cloud: PointCloud) -> int | None:
        """Index of the candidate nearest to the input cloud (ties: the earlier one), None if none ran.
        Candidates are scored in parallel (one thread per pool worker; the nearest-neighbour queries
        release the GIL), and a text met before is not scored again (the score is seeded)."""
        ran = [c for c in candidates if c.ok]
        texts = list(dict.fromkeys(c.text for c in ran))
        meshes = {c.text: c.parts for c in ran}

        def score(text: str) -> float:
            return self.selector.chamfer_to_cloud(
                TriangleMesh.concatenate(list(meshes[text].values())), cloud
            )

        if len(texts) > 1 and self.pool.num_workers > 1:
            with ThreadPoolExecutor(max_workers=min(self.pool.num_workers, len(texts))) as threads:
                scores = dict(zip(texts, threads.map(score, texts)))
        else:
            scores = {text: score(text) for text in texts}
        best, best_cd = None, math.inf
        for c in ran:
            c.selection_cd = scores[c.text]
            if c.selection_cd < best_cd:
                best, best_cd = c.index, c.selection_cd
        return best

    def _fallback(self, item: _Prepared, candidates: list[Candidate]) -> tuple[int, str]:
        """Add the retrieval (or box) candidate; returns its index and what the fallback was."""
        reasons = "; ".join(sorted({c.status for c in candidates})) or "no candidate"
        if self.retrieval is not None:
            match = self.retrieval.query(item.cloud.points)
            c = Candidate(len(candidates), "retrieval", match.script)
            _record(c, run_repaired(match.script, self.pool))
            candidates.append(c)
            if c.ok:
                why = (
                    f"no generated program ran ({reasons}): the nearest indexed program "
                    f"({match.category} {match.id})"
                )
                return c.index, why
        box = box_program(item.cloud.bounds)
        c = Candidate(len(candidates), "box", box)
        _record(c, run_repaired(box, self.pool))
        candidates.append(c)
        return c.index, f"no generated or retrieved program ran ({reasons}): a box over the input's bounds"

    def _finish(
        self,
        item: _Prepared,
        candidates: list[Candidate],
        settings: dict,
        refine: float,
        repair: bool,
        seed: int,
        timings: dict[str, float],
    ) -> Prediction:
        t0 = time.perf_counter()
        chosen = self._select(candidates, item.cloud)
        fallback = None
        if chosen is None:
            chosen, fallback = self._fallback(item, candidates)
            self._select(candidates[chosen:], item.cloud)
        timings["select"] = time.perf_counter() - t0
        best = candidates[chosen]
        text, parts = best.text, best.parts

        refinement = None
        if refine > 0 and best.ok:
            from meshcoder.inference.refine import refine_program

            t0 = time.perf_counter()
            refinement = refine_program(text, item.cloud.points, self.pool, budget=refine, seed=seed)
            if refinement.cd_after < refinement.cd_before and refinement.text != text:
                result = self.pool.run(refinement.text)
                if result.ok:
                    text, parts = refinement.text, result.parts
            timings["refine"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            mesh = TriangleMesh.concatenate(list(parts.values())) if parts else None
            metrics = self.protocol.score(mesh, item.cloud)
        timings["score"] = time.perf_counter() - t0
        return Prediction(
            name=item.name,
            source=item.source,
            text=text,
            program=validate(text),
            parts=dict(parts),
            metrics=metrics,
            candidates=candidates,
            chosen=chosen,
            input=item.cloud,
            conversion=item.report,
            frame_rotation=item.rotation,
            settings=settings,
            fallback=fallback,
            refinement=refinement,
            warnings=list(item.report.warnings) + [str(w.message) for w in caught],
            timings=timings,
            protocol=self.protocol,
        )


def _record(candidate: Candidate, outcome: Repair) -> None:
    result: ExecutionResult = outcome.result
    candidate.text = outcome.text
    candidate.status = result.status.value
    candidate.error = None if result.ok else result.reason
    candidate.dropped = list(outcome.dropped)
    candidate.parts = dict(result.parts) if result.ok else {}


def _geometry(source) -> TriangleMesh | PointCloud:
    if isinstance(source, TriangleMesh | PointCloud):
        return source
    if isinstance(source, str | Path):
        return read_geometry(source)
    array = np.asarray(source, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] not in (3, 6):
        raise InputError(
            f"an array input must be N x 3 points (or N x 6 with normals), got shape {array.shape}"
        )
    return PointCloud(array[:, :3], array[:, 3:] if array.shape[1] == 6 else None)


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)
