"""Test-time refinement: tune a program's numbers so that its mesh meets the input point cloud.

>>> result = refine_program(text, cloud, pool, budget=30.0)    # doctest: +SKIP
>>> result.text, result.cd_before, result.cd_after, result.changes

The model gets the structure of a shape right more often than its numbers, so this keeps the structure
(functions, names, counts, resolutions, flags) and moves only continuous values: locations, scales,
rotations, control points, radii, sizes and thicknesses (:data:`KNOB_KINDS`). The objective is the
spec's Chamfer distance to the input cloud in the cloud's metric frame, with the Blender executor in the
loop, so the optimiser is derivative free: CMA-ES (the ``cma`` package) run block-wise, one part (or a
run of a large part's knobs) at a time, until the time budget is spent.

Choices, each measured with ``experiments/bench_refine.py``:

* Next comes the block whose part carries the most error beyond sampling noise (its share of the
  Chamfer distance against the input, less its share against a second sampling of the current mesh),
  that error halved for each visit in a row that found nothing. Each block keeps its CMA-ES search
  between visits (a converged search restarts from the best with half the step).
* Every candidate is rounded to the spec's number format (:data:`ARGUMENT_DECIMALS`) before it runs,
  so the text returned is exactly the text that was scored; rounded duplicates are scored once.
* A part that neither uses nor lends objects to other parts (checked statically, then by running it
  alone and comparing surfaces) is run alone and composed with the cached meshes of the other parts:
  a run of one part costs a fraction of a run of the whole program. Results are scored while the
  workers run the rest of a generation.
* Steps follow the part: positions move by a fraction of the part's size, sizes by a fraction of their
  own value, rotations by a few degrees; a profile's plane stays put.
* The score depends on the surface only (triangles put in a fixed order before sampling), and the
  returned program is never worse than the start (its objective is re-measured on a full run).
"""

from __future__ import annotations

import copy
import math
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from meshcoder.geometry.frames import metric_frame
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.metrics import nearest_neighbors
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.geometry.sampling import sample_surface
from meshcoder.shapes.executor import ExecutionResult, ExecutorPool
from meshcoder.shapes.program import ARGUMENT_DECIMALS, HEADER, Call, Program, format_call, parse

with warnings.catch_warnings():  # cma warns at import when matplotlib (its plotting) is missing
    warnings.simplefilter("ignore")
    import cma

#: Seconds of refinement per shape by default.
DEFAULT_BUDGET_S = 30.0
#: Points sampled from the candidate mesh and taken from the target cloud for the objective.
REFINE_POINTS = 4096
#: Seed of the surface sampling in the objective: fixed, so a mesh always gets the same score.
SAMPLE_SEED = 0

#: Which keywords are tuned, and how each moves. ``position``: a step that is a fraction of the part's
#: size; ``size``: a fraction of its own value, sign kept; ``rotation``: quaternion components or Euler
#: angles (units of pi). Everything else (counts, resolutions, segments, flags, names, handle codes,
#: thresholds, an array's angle between copies) is structure and stays as written.
KNOB_KINDS: dict[str, str] = {
    **dict.fromkeys(
        ["location", "control_points", "origin", "rotation_origin", "constant_offset", "constant_offset_1",
         "constant_offset_2", "constant_offset_3", "z_offset", "x_anchors"],
        "position",
    ),
    **dict.fromkeys(
        ["scale", "radius", "size", "thickness", "width", "length", "bevel_width", "points_radius", "a", "b",
         "outer_radius", "inner_radius", "dif_z", "z_depth", "x_tip", "r_diff", "altitude",
         "y_anchors", "z_anchors"],  # cutlery widths and dips: small, so relative steps
        "size",
    ),
    **dict.fromkeys(["rotation", "rotation_rad", "bend_angle", "angle"], "rotation"),
}  # fmt: skip
#: Keywords that look tunable by name but are not geometry in these functions.
FIXED_KEYWORDS: dict[str, set[str]] = {
    "change_origin": {"location"},  # moves the origin, not the geometry
    "corrective_smooth": {"scale"},
    "add_simple_deform_modifier": {"origin"},  # the bend's pivot: moving it bends elsewhere, rarely wanted
}
#: Step (CMA's initial standard deviation) per kind: positions as a fraction of the part's longest side
#: (never below ``MIN_POSITION_STEP``), sizes as a fraction of their value, rotations absolute (a
#: quaternion component of 0.05 is about 6 degrees; Euler angles are in units of pi).
POSITION_STEP = 0.1
MIN_POSITION_STEP = 0.01
SIZE_STEP = 0.15
ROTATION_STEP = 0.05
#: Blocks larger than this are split (CMA-ES needs many generations in high dimension).
MAX_BLOCK_DIM = 24
#: A visit to a block runs at most this many generations, and stops after ``PATIENCE`` without gain.
MAX_GENERATIONS = 30
PATIENCE = 6
#: Nor longer than this share of the budget (a block of a part that cannot run alone is slow).
VISIT_SHARE = 0.15
#: CMA-ES population (None: its default, 4 + 3 ln(dim), made even) and whether to adapt only a diagonal
#: covariance (it learns faster in the few generations a block gets; full was no better, measured).
POPSIZE: int | None = None
CMA_DIAGONAL = True
#: CMA-ES's first step, in units of the knobs' steps; a restart (after the search converged) halves it,
#: down to ``MIN_SIGMA``. Measured on retrieved programs: 0.5 beats 1.0 clearly and 0.3 slightly.
SIGMA0 = 0.5
MIN_SIGMA = 0.125
#: Names of arguments that refer to objects (to tell which parts depend on each other).
REFERENCE_KEYWORDS = (
    "name", "name1", "name2", "profile_name", "curve_name", "seq_name", "sub_name", "offset_object",
    "offset_object_1", "offset_object_2", "offset_object_3", "fit_curve", "fit_curve_1", "fit_curve_2",
    "fit_curve_3", "start_cap", "end_cap",
)  # fmt: skip


#: Numbers of a program by knob (call index, keyword), flattened.
Values = dict[tuple[int, str], np.ndarray]


@dataclass
class Refinement:
    """What :func:`refine_program` did.

    Attributes:
        text: the refined program (validates; numbers in the spec's format); the input when nothing helped.
        cd_before: objective of the start program (``inf`` when it does not run).
        cd_after: objective of ``text``; never above ``cd_before``.
        evaluations: programs executed (whole programs and single parts).
        seconds: wall-clock time spent.
        changes: one line per changed keyword, e.g. ``"part_3 (leg): location [0.1, 0.2, 0.3] -> [...]"``.
        history: best objective after each generation (for plots).
    """

    text: str
    cd_before: float
    cd_after: float
    evaluations: int
    seconds: float
    changes: list[str] = field(default_factory=list)
    history: list[float] = field(default_factory=list)

    @property
    def relative_drop(self) -> float:
        """``1 - cd_after / cd_before`` (0 when the start did not run or was already exact)."""
        if not math.isfinite(self.cd_before) or self.cd_before <= 0:
            return 0.0
        return 1.0 - self.cd_after / self.cd_before


# ------------------------------------------------------------------------------------------ knobs


@dataclass(frozen=True)
class Knob:
    """One tuned keyword of one call: its numbers flattened, and how far CMA-ES may move each."""

    call: int  # index into ``Program.calls``
    part: int | None  # index of the part (``Part.index``), None for a call outside parts
    keyword: str
    kind: str
    template: object  # the argument as written (nested lists), for writing numbers back
    start: np.ndarray  # the written numbers, flattened
    step: np.ndarray  # per number
    decimals: int

    @property
    def key(self) -> tuple[int, str]:
        return self.call, self.keyword

    def clamp(self, values: np.ndarray) -> np.ndarray:
        """Round to the spec's format; a size keeps its sign and never reaches zero."""
        values = np.round(values, self.decimals)
        if self.kind == "size":
            grid = 10.0**-self.decimals
            values = np.where(self.start > 0, np.maximum(values, grid), np.minimum(values, -grid))
        return values

    def value(self, flat: np.ndarray) -> object:
        """The argument value with ``flat`` written into the template."""
        numbers = iter(flat.tolist())
        return _fill(self.template, numbers)


def _leaves(value: object) -> list[float] | None:
    """The numbers of an argument value in order, or None when it holds anything but numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, list | tuple) and value:
        out: list[float] = []
        for v in value:
            inner = _leaves(v)
            if inner is None:
                return None
            out.extend(inner)
        return out
    return None


def _fill(template: object, numbers: Iterator[float]) -> object:
    if isinstance(template, list | tuple):
        return [_fill(v, numbers) for v in template]
    return next(numbers)


def _decimals(keyword: str) -> int:
    return ARGUMENT_DECIMALS.get(keyword, 2)


def find_knobs(program: Program, part_sizes: dict[int, float] | None = None) -> list[Knob]:
    """Every tuned keyword of ``program``'s calls, in call order.

    ``part_sizes`` (part index -> longest side of the part's mesh) sets position steps; parts without a
    size use 1 (the object's longest side in the canonical frame). Keywords whose numbers are all zero
    sizes are left alone (a zero thickness or scale is structure, not a value to grow).
    """
    owner = {id(c): p.index for p in program.parts for c in p.calls}
    profiles = _profile_names(program)
    knobs = []
    for index, call in enumerate(program.calls):
        part = owner.get(id(call))
        size = (part_sizes or {}).get(part, 1.0) if part is not None else 1.0
        for keyword, value in call.arguments.items():
            kind = KNOB_KINDS.get(keyword)
            if kind is None or keyword in FIXED_KEYWORDS.get(call.function, ()):
                continue
            numbers = _leaves(value)
            if numbers is None:
                continue
            start = np.array(numbers, dtype=np.float64)
            decimals = _decimals(keyword)
            if kind == "position":
                step = np.full_like(start, max(POSITION_STEP * size, MIN_POSITION_STEP))
                in_plane = isinstance(call.target, str) and call.target in profiles
                if keyword == "control_points" and in_plane and len(start) % 3 == 0:
                    # A profile is drawn in its local plane: a coordinate all its points share
                    # (z = 0, as a rule) is that plane, not a value to fit.
                    points = start.reshape(-1, 3)
                    step = np.where(np.ptp(points, axis=0) == 0, 0.0, step.reshape(-1, 3)).ravel()
            elif kind == "size":
                if not np.any(start):
                    continue
                step = np.maximum(SIZE_STEP * np.abs(start), 10.0**-decimals)
                step[start == 0] = 0.0
            else:
                step = np.full_like(start, ROTATION_STEP)
            knobs.append(Knob(index, part, keyword, kind, copy.deepcopy(value), start, step, decimals))
    return knobs


def _profile_names(program: Program) -> set[str]:
    """Names of the curves other calls sweep or turn (``profile_name``): sections in local frames."""
    names: set[str] = set()
    for call in program.calls:
        value = call.arguments.get("profile_name")
        names.update([value] if isinstance(value, str) else [v for v in value or [] if isinstance(v, str)])
    return names


# ------------------------------------------------------------------------------------------ writing


def _spliceable(program: Program) -> bool:
    """Whether every call sits alone on its own lines (so a rewritten call can replace them)."""
    lines = program.source.splitlines()
    previous_end = 0
    for call in program.calls:
        if call.line <= previous_end or not lines[call.line - 1].lstrip().startswith(call.function):
            return False
        last = lines[call.end_line - 1].rstrip()
        if not last.endswith(")") or last.count("#"):
            return False
        previous_end = call.end_line
    return True


class ProgramWriter:
    """Writes a program back with some keywords given new numbers, leaving every other line as it was."""

    def __init__(self, program: Program, knobs: list[Knob]):
        self.program = program
        self.knobs = {k.key: k for k in knobs}
        self._lines = program.source.splitlines()

    def call_text(self, index: int, values: Values) -> str:
        """The text of call ``index`` with the numbers of ``values`` (its own text when unchanged)."""
        call = self.program.calls[index]
        changed = {
            key[1]: self.knobs[key].value(v)
            for key, v in values.items()
            if key[0] == index and not np.array_equal(v, self.knobs[key].start)
        }
        if not changed:
            return call.text
        arguments = {k: changed.get(k, v) for k, v in call.arguments.items()}
        return format_call(call.function, arguments)

    def text(self, values: Values) -> str:
        """The whole program with ``values`` written in."""
        lines = list(self._lines)
        for index in sorted({key[0] for key in values}, reverse=True):
            call = self.program.calls[index]
            new = self.call_text(index, values)
            if new != call.text:
                lines[call.line - 1 : call.end_line] = [new]
        return "\n".join(lines) + "\n"

    def part_text(self, part_index: int, values: Values) -> str:
        """A program holding only part ``part_index`` (header, part comment, its calls)."""
        part = self.program.part(part_index)
        position = {id(c): i for i, c in enumerate(self.program.calls)}
        body = [self.call_text(position[id(c)], values) for c in part.calls]
        return HEADER + "\n" + "\n".join([f"# part_{part.index}: {part.label}", *body]) + "\n"

    def changes(self, values: Values) -> list[str]:
        """One line per keyword whose numbers differ from the start."""
        out = []
        labels = {p.index: p.label for p in self.program.parts}
        for key in sorted(values):
            knob = self.knobs[key]
            if np.array_equal(values[key], knob.start):
                continue
            call = self.program.calls[knob.call]
            where = f"part_{knob.part} ({labels[knob.part]})" if knob.part is not None else "outside parts"
            same = [c for c in self._part_calls(knob.part) if knob.keyword in c.arguments]
            name = f"{call.target}." if len(same) > 1 and isinstance(call.target, str) else ""
            old = format_call("f", {knob.keyword: knob.template})[len(knob.keyword) + 3 : -1]
            new = format_call("f", {knob.keyword: knob.value(values[key])})[len(knob.keyword) + 3 : -1]
            out.append(f"{where}: {name}{knob.keyword} {old} -> {new}")
        return out

    def _part_calls(self, part: int | None) -> list[Call]:
        if part is None:
            inside = {id(c) for p in self.program.parts for c in p.calls}
            return [c for c in self.program.calls if id(c) not in inside]
        return self.program.part(part).calls


# ---------------------------------------------------------------------------------------- objective


def canonical_meshes(parts: dict[str, TriangleMesh]) -> dict[str, TriangleMesh]:
    """The meshes with their triangles in a fixed order (by centroid), each starting at its lowest
    corner (winding kept), so that the seeded samples, and the score, depend on the surface only:
    Blender may number the triangles of one surface differently when a part runs alone."""
    out = {}
    for name, mesh in parts.items():
        corners = np.round(mesh.vertices[mesh.faces], 6)  # (faces, 3 corners, xyz)
        key = corners[..., 0] * 1e6 + corners[..., 1] * 1e3 + corners[..., 2]
        first = np.argmin(key, axis=1)
        faces = np.take_along_axis(mesh.faces, (first[:, None] + np.arange(3)) % 3, axis=1)
        order = np.lexsort(corners.mean(axis=1).T[::-1])
        out[name] = TriangleMesh(mesh.vertices, faces[order])
    return out


class Objective:
    """The spec's Chamfer distance (squared, mean per direction, summed) of a mesh to the target cloud,
    both in the cloud's metric frame, ``points`` per side, surface samples seeded (same mesh, same
    score). Meshes are joined in object-name order, so the score does not depend on the order Blender
    lists objects in (which lets a part's new mesh replace its old one in a cached result)."""

    def __init__(self, target: np.ndarray, points: int = REFINE_POINTS):
        cloud = PointCloud(np.asarray(target, dtype=np.float64))
        if len(cloud) < 2 or not np.all(np.isfinite(cloud.points)):
            raise ValueError(
                f"the target cloud needs at least 2 finite points, got {len(cloud)} "
                "(give the input cloud as an (N, 3) array in the canonical frame)"
            )
        self.frame = metric_frame(cloud)
        self.points = int(points)
        self.target = self.frame.apply(cloud).subsample(self.points, SAMPLE_SEED).points

    def __call__(self, parts: dict[str, TriangleMesh], canonical: bool = False) -> float:
        """The objective of an executed program's meshes (``ExecutionResult.parts``); ``canonical``
        says they have been through :func:`canonical_meshes` already."""
        parts = parts if canonical else canonical_meshes(parts)
        mesh = TriangleMesh.concatenate([parts[n] for n in sorted(parts)])
        if mesh.is_empty or not np.all(np.isfinite(mesh.vertices)):
            return math.inf
        try:  # sampling checks the area (an is_success first would compute it twice)
            pred = sample_surface(self.frame.apply(mesh), self.points, SAMPLE_SEED).points
        except ValueError:
            return math.inf
        d_pt, _ = nearest_neighbors(pred, self.target)
        d_tp, _ = nearest_neighbors(self.target, pred)
        return float(d_pt.mean() + d_tp.mean())

    def part_excess(self, parts: dict[str, TriangleMesh], owner: dict[str, int]) -> dict[int, float]:
        """How much of the Chamfer distance each part carries beyond sampling noise.

        A part's share is the distances of its own samples to the target plus those of the target points
        whose nearest sample is its own. Even a perfect part has a share (two samplings of one surface
        are not 0 apart), in proportion to its area; its share against a second sampling of the current
        mesh measures that floor, and the excess is the difference."""
        names = [n for n in sorted(parts) if n in owner and not parts[n].is_empty]
        areas = np.array([parts[n].area for n in names])
        if not names or not areas.sum() > 0:
            return {}
        counts = np.maximum(1, np.round(self.points * areas / areas.sum()).astype(int))
        samples, labels = [], []
        for name, count in zip(names, counts):
            if areas[names.index(name)] > 0:
                samples.append(sample_surface(self.frame.apply(parts[name]), int(count), SAMPLE_SEED).points)
                labels.append(np.full(int(count), owner[name]))
        pred, label = np.concatenate(samples), np.concatenate(labels)
        mesh = TriangleMesh.concatenate([parts[n] for n in names])
        itself = sample_surface(self.frame.apply(mesh), self.points, SAMPLE_SEED + 1).points
        excess: dict[int, float] = {}
        for sign, reference in ((1.0, self.target), (-1.0, itself)):
            d_pt, _ = nearest_neighbors(pred, reference)
            d_tp, nearest = nearest_neighbors(reference, pred)
            for part in set(label.tolist()):
                mine = d_pt[label == part].sum() / len(pred)
                theirs = d_tp[label[nearest] == part].sum() / len(reference)
                excess[part] = excess.get(part, 0.0) + sign * float(mine + theirs)
        return excess


# ---------------------------------------------------------------------------------------- evaluation


def _created_names(calls: list[Call]) -> set[str]:
    out: set[str] = set()
    for call in calls:
        for key in ("name", "name1"):
            value = call.arguments.get(key)
            out.update([value] if isinstance(value, str) else [v for v in value or [] if isinstance(v, str)])
    return out


def _referenced(calls: list[Call]) -> set[str]:
    out: set[str] = set()
    for call in calls:
        for key in REFERENCE_KEYWORDS:
            value = call.arguments.get(key)
            if isinstance(value, str):
                out.add(value)
            elif isinstance(value, list):
                out.update(v for v in value if isinstance(v, str))
    return out


def _same_surfaces(a: dict[str, TriangleMesh], b: dict[str, TriangleMesh]) -> bool:
    """Whether two sets of canonical meshes hold the same triangles (up to numbering)."""
    return set(a) == set(b) and all(
        len(a[n].faces) == len(b[n].faces)
        and np.allclose(a[n].vertices[a[n].faces], b[n].vertices[b[n].faces], atol=1e-5)
        for n in a
    )


class _Evaluator:
    """Runs candidates (whole programs, or single parts composed with cached meshes), scores them, keeps
    the best, and counts executions. Texts already scored are not run again."""

    def __init__(self, pool: ExecutorPool, objective: Objective):
        self.pool = pool
        self.objective = objective
        self.writer: ProgramWriter | None = None  # set once the knobs are known
        self.evaluations = 0
        self.limit = math.inf  # refine_program's max_evaluations
        self.cache: dict[str, float] = {}
        self.best_values: Values = {}
        self.best_parts: dict[str, TriangleMesh] = {}
        self.best_score = math.inf
        self.standalone: dict[int, set[str]] = {}  # part -> its objects, for parts evaluated alone

    def run(self, texts: list[str]) -> list[ExecutionResult]:
        self.evaluations += len(texts)
        return self.pool.map(texts)

    def start(self, text: str) -> float:
        """Score the start program; returns its objective (inf when it fails)."""
        (result,) = self.run([text])
        self.best_parts = canonical_meshes(result.parts) if result.ok else {}
        self.best_score = self.objective(self.best_parts, canonical=True) if result.ok else math.inf
        self.cache[text] = self.best_score
        return self.best_score

    def find_standalone(self, program: Program) -> None:
        """Parts that can be evaluated alone: they share no object names with other parts (statically)
        and, run alone, give exactly the meshes they give in the whole program."""
        inside = {id(c) for p in program.parts for c in p.calls}
        if any(id(c) not in inside and c.function != "delete_all" for c in program.calls):
            return  # calls outside parts (besides delete_all) may build state the parts rely on
        candidates = []
        for part in program.parts:
            own = _created_names(part.calls)
            others = set().union(*(_referenced(p.calls) for p in program.parts if p is not part))
            subs = [
                c.arguments.get("sub_name")
                for p in program.parts
                for c in p.calls
                if c.function == "delete_obj"
            ]
            if own & others or any(isinstance(s, str) and any(s in n for n in own) for s in subs):
                continue
            candidates.append(part.index)
        results = self.run([self.writer.part_text(i, {}) for i in candidates])
        for index, result in zip(candidates, results):
            same = result.ok and set(result.parts) <= set(self.best_parts)
            mine = {n: self.best_parts[n] for n in result.parts} if same else {}
            if same and _same_surfaces(canonical_meshes(result.parts), mine):
                self.standalone[index] = set(result.parts)

    def score(self, values_list: list[Values], part: int | None) -> list[float]:
        """Objectives of candidates that differ from the best only in ``part``'s knobs.

        Results are scored as they arrive, so this process computes Chamfer distances while the
        workers run the rest of the generation."""
        texts = [self.writer.text(v) for v in values_list]
        alone = part in self.standalone
        first = {}
        for i, text in enumerate(texts):
            if text not in self.cache:
                first.setdefault(text, i)
        todo = list(first.items())
        run_texts = [self.writer.part_text(part, values_list[i]) if alone else t for t, i in todo]
        self.evaluations += len(run_texts)
        meshes: dict[str, dict[str, TriangleMesh]] = {}
        for j, result in self.pool.imap(run_texts, ordered=False):
            text, i = todo[j]
            parts = canonical_meshes(result.parts) if result.ok else {}
            if alone and set(parts) != self.standalone[part]:
                parts = {}
            elif alone:
                parts = {
                    **{n: m for n, m in self.best_parts.items() if n not in self.standalone[part]},
                    **parts,
                }
            self.cache[text] = self.objective(parts, canonical=True) if parts else math.inf
            meshes[text] = parts
        for text, i in todo:  # in candidate order, whatever order they finished in: ties go the same way
            if self.cache[text] < self.best_score:
                self.best_score, self.best_parts, self.best_values = (
                    self.cache[text],
                    meshes[text],
                    values_list[i],
                )
        return [self.cache[t] for t in texts]


# ---------------------------------------------------------------------------------------- optimiser


@dataclass
class _Block:
    """The knobs CMA-ES moves together (one part, or a run of a large part's knobs), and its search,
    kept between visits so that the step size it learnt carries over to the next sweep."""

    part: int | None
    knobs: list[Knob]
    es: object = None
    origin: Values = field(default_factory=dict)
    restarts: int = 0

    @property
    def dim(self) -> int:
        return sum(len(k.start) for k in self.knobs)

    def decode(self, x: np.ndarray, best: Values) -> Values:
        """The best values with this block's knobs at ``origin + step * x`` (rounded, clamped)."""
        values = dict(best)
        offset = 0
        for knob in self.knobs:
            n = len(knob.start)
            values[knob.key] = knob.clamp(self.origin[knob.key] + knob.step * x[offset : offset + n])
            offset += n
        return values


def _blocks(knobs: list[Knob]) -> list[_Block]:
    """One block per part; a part with more than ``MAX_BLOCK_DIM`` numbers is cut into runs of knobs
    (a long knob on its own block)."""
    by_part: dict[int | None, list[Knob]] = {}
    for knob in knobs:
        if np.any(knob.step > 0):
            by_part.setdefault(knob.part, []).append(knob)
    blocks = []
    for part, part_knobs in by_part.items():
        current: list[Knob] = []
        for knob in part_knobs:
            if current and sum(len(k.start) for k in current) + len(knob.start) > MAX_BLOCK_DIM:
                blocks.append(_Block(part, current))
                current = []
            current.append(knob)
        blocks.append(_Block(part, current))
    return blocks


def _part_sizes(program: Program, parts: dict[str, TriangleMesh]) -> tuple[dict[int, float], dict[str, int]]:
    """Longest side of each part's mesh, and which part owns each object."""
    owner: dict[str, int] = {}
    for part in program.parts:
        for name in _created_names(part.calls):
            if name in parts:
                owner[name] = part.index
    sizes = {}
    for part in program.parts:
        meshes = [parts[n] for n, p in owner.items() if p == part.index and not parts[n].is_empty]
        if meshes:
            sizes[part.index] = float(TriangleMesh.concatenate(meshes).extents.max())
    return sizes, owner


def _run_block(
    block: _Block,
    evaluator: _Evaluator,
    deadline: float,
    visit_seconds: float,
    seed: int,
    history: list[float],
) -> bool:
    """Some generations of CMA-ES on one block; returns whether the best improved.

    The search continues where the last visit left it; one that has converged (or never started)
    starts again from the current best, each restart with half the step of the one before."""
    start_score = evaluator.best_score
    if block.es is None or block.es.stop():
        sigma = max(SIGMA0 * 0.5**block.restarts, MIN_SIGMA)
        block.origin = {k.key: evaluator.best_values.get(k.key, k.start) for k in block.knobs}
        options = {
            "seed": seed,
            "verbose": -9,
            "popsize": POPSIZE or 2 * math.ceil((4 + 3 * math.log(block.dim)) / 2),  # even: 2 workers
            "CMA_diagonal": CMA_DIAGONAL,
            "tolx": 1e-3,
            "tolfun": 0,
        }
        block.es = cma.CMAEvolutionStrategy(np.zeros(block.dim), sigma, options)
        block.restarts += 1
    es = block.es
    generations = stale = 0
    deadline = min(deadline, time.monotonic() + visit_seconds)
    while (
        generations < MAX_GENERATIONS
        and stale < PATIENCE
        and not es.stop()
        and time.monotonic() < deadline
        and evaluator.evaluations < evaluator.limit
    ):
        xs = es.ask()
        before = evaluator.best_score
        scores = evaluator.score([block.decode(x, evaluator.best_values) for x in xs], block.part)
        finite = [s for s in scores if math.isfinite(s)]
        worst = 2.0 * max([*finite, start_score]) if finite or math.isfinite(start_score) else 1e9
        es.tell(xs, [s if math.isfinite(s) else worst for s in scores])
        history.append(evaluator.best_score)
        generations += 1
        stale = 0 if evaluator.best_score < before else stale + 1
    return evaluator.best_score < start_score


def refine_program(
    text: str,
    target: np.ndarray,
    pool: ExecutorPool,
    budget: float = DEFAULT_BUDGET_S,
    *,
    seed: int = 0,
    points: int = REFINE_POINTS,
    progress: bool = False,
    max_evaluations: int | None = None,
) -> Refinement:
    """Tune the numbers of program ``text`` to lower its Chamfer distance to ``target``.

    Args:
        text: a program of the shape language (it must validate).
        target: the input cloud, ``(N, 3)`` in the canonical frame (longest side 1).
        pool: a started or startable executor pool; candidates run ``pool.num_workers`` at a time.
        budget: seconds to spend; the last generation may overrun it by its own length.
        seed: seed of the optimiser (the objective's sampling is fixed).
        points: points per side in the objective.
        progress: show a progress bar (seconds spent, best objective).
        max_evaluations: stop after about this many programs have been scored (whichever of this and
            ``budget`` comes first); with a generous ``budget`` the result no longer depends on the
            machine's speed.

    Returns a :class:`Refinement` whose ``text`` is the best program scored (never worse than ``text``).
    Raises :class:`~meshcoder.shapes.program.ProgramError` when ``text`` does not validate.
    """
    t0 = time.monotonic()
    deadline = t0 + budget
    program = parse(text)
    if not _spliceable(program):
        program = parse(program.to_text())
    evaluator = _Evaluator(pool, Objective(target, points))
    evaluator.limit = math.inf if max_evaluations is None else int(max_evaluations)
    cd_before = evaluator.start(text)
    if program.source != text:
        evaluator.start(program.source)  # the normalised text is where candidates start from
    history = [min(cd_before, evaluator.best_score)]
    sizes, owner = _part_sizes(program, evaluator.best_parts)
    knobs = find_knobs(program, sizes)
    evaluator.writer = ProgramWriter(program, knobs)
    blocks = _blocks(knobs)
    if not math.isfinite(evaluator.best_score) or not blocks or time.monotonic() >= deadline:
        return _finish(text, cd_before, evaluator, history, t0)

    evaluator.find_standalone(program)
    bar = _progress_bar(budget) if progress else None
    rng = np.random.default_rng(seed)
    failures = [0] * len(blocks)  # visits in a row without gain, per block
    try:
        while time.monotonic() < deadline and evaluator.evaluations < evaluator.limit:
            # Next: the block whose part carries the most excess error, halved for each fruitless visit.
            excess = evaluator.objective.part_excess(evaluator.best_parts, owner)
            priority = [max(excess.get(b.part, 0.0), 0.0) * 0.5 ** failures[i] for i, b in enumerate(blocks)]
            i = max(range(len(blocks)), key=lambda j: (priority[j], -failures[j], -j))
            visit = VISIT_SHARE * budget
            improved = _run_block(blocks[i], evaluator, deadline, visit, int(rng.integers(2**31)), history)
            failures[i] = 0 if improved else failures[i] + 1
            if bar is not None:
                bar.n = round(min(time.monotonic() - t0, budget), 1)
                bar.set_postfix_str(f"cd {evaluator.best_score:.5f}, {evaluator.evaluations} runs")
    finally:
        if bar is not None:
            bar.close()
    return _finish(text, cd_before, evaluator, history, t0)


def _finish(
    text: str, cd_before: float, evaluator: _Evaluator, history: list[float], t0: float
) -> Refinement:
    """The best program, re-measured on a full run when it was scored by parts; the start when not better."""
    best_text, cd_after, changes = text, cd_before, []
    if evaluator.best_values:
        candidate = evaluator.writer.text(evaluator.best_values)
        score = evaluator.best_score
        if evaluator.standalone:
            (result,) = evaluator.run([candidate])
            score = evaluator.objective(result.parts) if result.ok else math.inf
        if candidate != text and score < cd_before:
            best_text, cd_after, changes = candidate, score, evaluator.writer.changes(evaluator.best_values)
    return Refinement(
        text=best_text,
        cd_before=cd_before,
        cd_after=cd_after,
        evaluations=evaluator.evaluations,
        seconds=time.monotonic() - t0,
        changes=changes,
        history=history,
    )


def _progress_bar(budget: float):
    from tqdm.auto import tqdm

    return tqdm(
        total=round(budget, 1),
        desc="refine",
        unit="s",
        bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} s{postfix}",
    )


# --------------------------------------------------------------------------------------- benchmarks


def perturb_program(
    text: str, rng: np.random.Generator, shift: float = 0.08, scale: float = 1.3
) -> tuple[str, list[str]]:
    """A copy of ``text`` with one part moved by ``shift`` (a random direction) and another part's sizes
    multiplied by ``scale``: a controlled error for tests and benchmarks of refinement. Only calls that
    build a part's final object are touched. Returns the text and what was done, one line per part."""
    program = parse(text)
    knobs = find_knobs(program)
    final = {p.index: p.object_name for p in program.parts}

    def own(knob: Knob, keywords: set[str]) -> bool:
        return (
            knob.part is not None
            and knob.keyword in keywords
            and (program.calls[knob.call].target == final[knob.part])
        )

    movable = sorted({k.part for k in knobs if own(k, {"location", "control_points"})})
    sizable = sorted({k.part for k in knobs if own(k, {"scale", "radius", "size", "width", "length"})})
    values: Values = {}
    done = []
    if movable:
        part = int(rng.choice(movable))
        direction = rng.normal(size=3)
        delta = shift * direction / np.linalg.norm(direction)
        for k in knobs:
            if k.part == part and own(k, {"location", "control_points"}) and len(k.start) % 3 == 0:
                values[k.key] = k.clamp((k.start.reshape(-1, 3) + delta).ravel())
        done.append(f"part_{part}: moved by {np.round(delta, 3).tolist()}")
    sizable = [p for p in sizable if not done or p != part] or sizable
    if sizable:
        other = int(rng.choice(sizable))
        for k in knobs:
            if k.part == other and own(k, {"scale", "radius", "size", "width", "length"}):
                values[k.key] = k.clamp(k.start * scale)
        done.append(f"part_{other}: sizes x {scale:g}")
    writer = ProgramWriter(program, knobs)
    return writer.text(values), done
