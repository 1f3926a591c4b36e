"""``meshcoder predict`` and the Python API: inputs, repair, fallback, best-of-N, files, resume, and
meshes made by other tools than our generators."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.pointcloud import PointCloud
from meshcoder.inference.inputs import InputSpecError, expand_inputs, safe_name
from meshcoder.inference.predict import DEFAULT_MODEL, Candidate, PredictionError, Predictor
from meshcoder.inference.repair import box_program, part_blocks, run_repaired, without
from meshcoder.inference.report import load_results, summary_rows, write_report_html, write_summary_csv
from meshcoder.shapes.executor import ExecutionResult, Status
from meshcoder.shapes.program import HEADER, validate

trimesh = pytest.importorskip("trimesh")
needs_model = pytest.mark.skipif(not (DEFAULT_MODEL / "meshcoder.json").is_file(), reason="no shipped model")


# ------------------------------------------------------------------ meshes made by another tool
def trimesh_table() -> trimesh.Trimesh:
    """A table from trimesh primitives: a slab on four cylinders, Z up, in millimetres."""
    top = trimesh.creation.box(extents=[1200, 700, 40])
    top.apply_translation([0, 0, 720])
    legs = []
    for x in (-550, 550):
        for y in (-300, 300):
            leg = trimesh.creation.cylinder(radius=25, height=700, sections=24)
            leg.apply_translation([x, y, 350])
            legs.append(leg)
    return trimesh.util.concatenate([top, *legs])


def trimesh_mug() -> trimesh.Trimesh:
    """A mug: an open-topped annulus (a wall with no lid) and a torus handle; Z up, odd offset."""
    wall = trimesh.creation.annulus(r_min=0.035, r_max=0.04, height=0.1, sections=48)
    handle = trimesh.creation.torus(major_radius=0.025, minor_radius=0.006)
    handle.apply_transform(trimesh.transformations.rotation_matrix(math.pi / 2, [1, 0, 0]))
    handle.apply_translation([0.045, 0, 0.0])
    mug = trimesh.util.concatenate([wall, handle])
    mug.apply_translation([12.0, -3.0, 40.0])
    return mug


def hand_written_ply(path) -> None:
    """An open surface (a bent sheet of two quads) written by hand as ASCII PLY."""
    path.write_text(
        "ply\nformat ascii 1.0\nelement vertex 6\nproperty float x\nproperty float y\nproperty float z\n"
        "element face 4\nproperty list uchar int vertex_indices\nend_header\n"
        "0 0 0\n1 0 0\n1 1 0\n0 1 0\n0 2 1\n1 2 1\n"
        "3 0 1 2\n3 0 2 3\n3 3 2 5\n3 3 5 4\n"
    )


@pytest.fixture(scope="module")
def foreign_inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("foreign")
    trimesh_table().export(folder / "table.glb")
    trimesh_mug().export(folder / "mug.obj")
    hand_written_ply(folder / "sheet.ply")
    (folder / "broken.stl").write_bytes(b"solid nothing\nthis is not an stl\n")
    return folder


# ------------------------------------------------------------------------------------ inputs
def test_safe_name():
    assert safe_name("my chair (v2).final") == "my_chair_v2_.final"
    assert safe_name("///") == "shape"


def test_expand_inputs_files_folders_globs(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for sub in ("a", "b"):
        (tmp_path / sub / "chair.ply").write_text("ply\n")
    (tmp_path / "a" / "notes.md").write_text("not a shape")
    (tmp_path / "lamp.obj").write_text("v 0 0 0\n")
    names = [i.name for i in expand_inputs([tmp_path])]
    assert sorted(names) == ["a_chair", "b_chair", "lamp"]
    assert [i.name for i in expand_inputs([str(tmp_path / "*.obj")])] == ["lamp"]
    assert len(expand_inputs([str(tmp_path / "**" / "*.ply")])) == 2
    with pytest.raises(InputSpecError, match="no such file"):
        expand_inputs([tmp_path / "missing.ply"])
    with pytest.raises(InputSpecError, match="matches no file"):
        expand_inputs([str(tmp_path / "*.stl")])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputSpecError, match="holds no mesh"):
        expand_inputs([empty])


def test_expand_inputs_dataset_split(tmp_path):
    (tmp_path / "point_cloud" / "Vase").mkdir(parents=True)
    rng = np.random.default_rng(0)
    records = []
    for i in range(3):
        np.savez(
            tmp_path / "point_cloud" / "Vase" / f"{i}.npz", points=rng.normal(size=(2000, 3)).astype("f4")
        )
        records.append({"id": i, "category": "Vase", "pcd_path": [f"point_cloud/Vase/{i}.npz"], "script": ""})
    (tmp_path / "test.json").write_text(json.dumps(records))
    inputs = expand_inputs([f"{tmp_path}:test"])
    assert [i.name for i in inputs] == ["Vase_0", "Vase_1", "Vase_2"]
    assert inputs[0].category == "Vase"
    cloud = inputs[1].read()
    assert isinstance(cloud, PointCloud) and len(cloud) == 2000
    assert [i.name for i in expand_inputs([tmp_path])] == ["Vase_0", "Vase_1", "Vase_2"]  # test split
    with pytest.raises(InputSpecError, match="val"):
        expand_inputs([f"{tmp_path}:val"])


def test_prepare_refuses_bad_input_in_one_line(tmp_path):
    predictor = Predictor(model=None)
    with pytest.raises(PredictionError, match=r"NaN|inf"):
        predictor.prepare(np.full((5000, 3), np.nan))
    with pytest.raises(PredictionError, match="N x 3"):
        predictor.prepare(np.zeros((10, 2)))
    bad = tmp_path / "bad.ply"
    bad.write_text("garbage")
    with pytest.raises(PredictionError) as info:
        predictor.prepare(bad)
    assert str(bad) in str(info.value) and "\n" not in str(info.value)


def test_prepare_handles_foreign_meshes(foreign_inputs):
    """Odd scales, Z up, open surfaces and a million faces all become the canonical model input."""
    predictor = Predictor(model=None)
    table = predictor.prepare(foreign_inputs / "table.glb", up="z")
    extents = table.cloud.extents
    assert max(extents) == pytest.approx(1.0, abs=1e-6)
    assert extents[1] == pytest.approx(740 / 1200, abs=0.01)  # the table's height is Y after Z-up
    mug = predictor.prepare(foreign_inputs / "mug.obj", up="z")
    assert np.abs(mug.cloud.points).max() <= 0.5 + 1e-6
    sheet = predictor.prepare(foreign_inputs / "sheet.ply")
    assert len(sheet.cloud) == 16_384 and sheet.cloud.normals is not None
    dense = trimesh.creation.icosphere(subdivisions=8, radius=250.0)  # 1.3 M faces
    assert len(dense.faces) > 1_000_000
    sphere = predictor.prepare(TriangleMesh(dense.vertices, dense.faces))
    assert np.linalg.norm(sphere.cloud.points, axis=1).mean() == pytest.approx(0.5, abs=0.01)


# ------------------------------------------------------------------------------------ repair
class _FakePool:
    """Runs nothing: a program 'fails' when it holds a marked call; timeouts name no line."""

    def __init__(self, marker: str, status: Status = Status.RUNTIME_ERROR):
        self.marker, self.status, self.runs = marker, status, 0

    def run(self, text: str) -> ExecutionResult:
        self.runs += 1
        lines = text.splitlines()
        bad = [i + 1 for i, line in enumerate(lines) if self.marker in line]
        if not any("create_" in line for line in lines):
            return ExecutionResult(Status.EMPTY, "no mesh")
        if bad:
            line = bad[0] if self.status is Status.RUNTIME_ERROR else None
            return ExecutionResult(self.status, "it broke", line)
        mesh = TriangleMesh(np.eye(3), np.array([[0, 1, 2]]))
        return ExecutionResult(Status.OK, parts={"p": mesh})


def _program(n_parts: int, bad: set[int]) -> str:
    body = ["# object name: thing"]
    for i in range(1, n_parts + 1):
        body.append(f"# part_{i}: p")
        call = f"create_primitive(name='p_{i}', primitive_type='cube', location=[0.0, 0.{i}, 0.0])"
        body.append(call + ("  # BAD" if i in bad else ""))
    return HEADER + "\n" + "\n".join(body) + "\n"


def test_part_blocks_and_without():
    text = _program(3, set())
    lines, blocks = part_blocks(text)
    assert [b.index for b in blocks] == [1, 2, 3]
    kept = without(lines, blocks, {1})
    assert "part_2" not in kept and "part_1" in kept and "part_3" in kept
    validate(kept)


def test_repair_drops_the_part_that_fails_at_run_time():
    pool = _FakePool("BAD")
    outcome = run_repaired(_program(4, {2, 4}), pool)
    assert outcome.result.ok
    assert [d.split(":")[0] for d in outcome.dropped] == ["part_2 (p)", "part_4 (p)"]
    assert "part_1" in outcome.text and "part_3" in outcome.text and "BAD" not in outcome.text
    assert outcome.runs == 3


def test_repair_without_a_line_keeps_the_longest_runnable_prefix():
    pool = _FakePool("BAD", Status.TIMEOUT)
    outcome = run_repaired(_program(8, {6}), pool)
    assert outcome.result.ok
    assert [b.index for b in part_blocks(outcome.text)[1]] == [1, 2, 3, 4, 5]
    assert len(outcome.dropped) == 3 and outcome.runs <= 5


def test_no_repair_runs_as_is():
    outcome = run_repaired(_program(3, {2}), _FakePool("BAD"), repair=False)
    assert not outcome.result.ok and outcome.dropped == []


def test_box_program_spans_the_bounds():
    text = box_program(np.array([[-0.5, -0.2, -0.1], [0.5, 0.2, 0.1]]))
    program = validate(text)
    (call,) = program.calls[1:] if program.calls[0].function == "delete_all" else program.calls
    assert call.arguments["scale"] == [0.5, 0.2, 0.1]


class _MapPool(_FakePool):
    """The fake pool with ``map`` and two workers, remembering what it was asked to run."""

    num_workers = 2

    def map(self, texts):
        self.mapped = list(texts)
        return [self.run(t) for t in self.mapped]


def test_identical_candidates_run_and_score_once():
    pool = _MapPool("BAD")
    predictor = Predictor(None, pool)
    good, bad = _program(2, set()), _program(4, {3})
    candidates = [Candidate(i, "sample", text) for i, text in enumerate([good, good, bad, bad])]
    predictor._run(candidates, repair=True)
    assert pool.mapped == [good, bad]  # each distinct program runs once
    assert all(c.ok for c in candidates) and candidates[2].dropped == candidates[3].dropped != []
    scored = []

    class Counting:
        def chamfer_to_cloud(self, mesh, cloud, selector=predictor.selector):
            scored.append(1)
            return selector.chamfer_to_cloud(mesh, cloud)

    predictor.selector = Counting()
    cloud = PointCloud(np.random.default_rng(0).random((2000, 3)))
    assert predictor._select(candidates, cloud) == 0
    assert len(scored) == 2  # the repaired bad program differs from the good one: two scores, not four
    assert candidates[0].selection_cd == candidates[1].selection_cd


@needs_model
def test_best_of_n_is_one_decoding_loop_with_the_greedy_program_first(single_torch_thread, monkeypatch):
    from meshcoder.models import load_pretrained

    model = load_pretrained(DEFAULT_MODEL)
    predictor = Predictor(model, _MapPool("BAD"), max_new_tokens=60)
    table = trimesh_table()
    prepared = predictor.prepare(TriangleMesh(table.vertices, table.faces), up="z")
    calls = []
    generate = model.generate_tokens
    monkeypatch.setattr(model, "generate_tokens", lambda *a, **k: calls.append(k) or generate(*a, **k))
    (alone,) = predictor._generate([prepared], 1, 0.8, 0.95, seed=0)
    (best_of,) = predictor._generate([prepared], 4, 0.8, 0.95, seed=0)
    assert len(calls) == 2 and calls[1]["num_return_sequences"] == 4  # greedy + 3 samples in one loop
    assert [c.origin for c in best_of] == ["greedy", "sample", "sample", "sample"]
    assert best_of[0].raw == alone[0].raw  # the batched greedy row is the greedy program


# ------------------------------------------------------------------------------------ report
def test_report_files(tmp_path):
    record = {
        "format_version": 1, "name": "chair<1>", "input": "chair.ply", "status": "ok", "success": True,
        "cd": 0.0123, "iou": 0.5, "fscore_1": 0.2, "chosen": 1, "chosen_origin": "sample",
        "candidates": [{"status": "ok"}, {"status": "runtime_error"}], "repair": {"dropped": ["part_2 (x): y"]},
        "refinement": {"cd_before": 0.02, "cd_after": 0.0123, "evaluations": 40}, "parts": [{"index": 1, "label": "leg"}],
        "files": {"program": "chair<1>.py", "picture": "chair<1>.png"}, "timings": {"total": 3.2},
    }  # fmt: skip
    (tmp_path / "chair.json").write_text(json.dumps(record))
    (tmp_path / "other.json").write_text(json.dumps({"unrelated": True}))
    results = load_results(tmp_path)
    assert [r["name"] for r in results] == ["chair<1>"]
    errors = [{"name": "bad", "input": "bad.ply", "error": "bad.ply: not a ply"}]
    rows = summary_rows(results, errors)
    write_summary_csv(tmp_path / "summary.csv", rows)
    with open(tmp_path / "summary.csv") as fh:
        table = list(csv.DictReader(fh))
    assert (
        table[0]["candidates_ok"] == "1"
        and table[0]["dropped_parts"] == "1"
        and table[1]["status"] == "error"
    )
    page = write_report_html(tmp_path / "report.html", results, errors, "t", ["a note"]).read_text()
    assert (
        "chair&lt;1&gt;" in page and "<img src='chair&lt;1&gt;.png'" in page and "bad.ply: not a ply" in page
    )
    assert "1.230" in page  # CD x 10^-2


# ------------------------------------------------------------------------------ with Blender


@pytest.fixture(scope="module")
def predictor(pool, single_torch_thread):
    from meshcoder.evaluation.retrieval import RetrievalBaseline
    from meshcoder.models import load_pretrained

    index = (
        RetrievalBaseline.load(DEFAULT_MODEL / "retrieval")
        if (DEFAULT_MODEL / "retrieval").is_dir()
        else None
    )
    return Predictor(load_pretrained(DEFAULT_MODEL), pool, retrieval=index, max_new_tokens=600)


@pytest.mark.blender
@needs_model
def test_predict_api_best_of_n(predictor, foreign_inputs):
    prediction = predictor.predict(foreign_inputs / "table.glb", up="z", n=3, seed=1)
    assert prediction.metrics.success and prediction.status in ("ok", "fallback")
    assert len(prediction.candidates) >= 3
    assert [c.origin for c in prediction.candidates[:3]] == ["greedy", "sample", "sample"]
    ran = [c for c in prediction.candidates if c.ok]
    # The winner is the nearest to the input cloud among those that ran: no ground truth involved.
    assert prediction.candidate.selection_cd == min(c.selection_cd for c in ran)
    assert prediction.program.parts and validate(prediction.text)
    assert set(prediction.parts) and prediction.mesh.area > 0
    back = prediction.parts_in_input_frame()
    assert set(back) == set(prediction.parts)
    record = prediction.to_dict()
    for key in ("success", "cd", "iou", "iou_64", "fscore_1", "fscore_2", "normal_consistency"):
        assert key in record
    assert record["chosen"] == prediction.chosen and "generate" in record["timings"]


@pytest.mark.blender
@needs_model
def test_predict_api_retrieved_candidates(predictor, foreign_inputs):
    if predictor.retrieval is None:
        pytest.skip("the shipped model has no retrieval index")
    prediction = predictor.predict(foreign_inputs / "mug.obj", up="z", n=1, retrieved=2)
    assert [c.origin for c in prediction.candidates] == ["greedy", "retrieval", "retrieval"]
    assert prediction.candidate.selection_cd == min(c.selection_cd for c in prediction.candidates if c.ok)


@pytest.mark.blender
@needs_model
def test_fallback_when_nothing_runs(predictor, foreign_inputs, monkeypatch):
    """Every sample fails: the retrieval index answers (or a box when there is none)."""

    def broken(self, batch, n, temperature, top_p, seed):
        text = HEADER + "\n# object name: x\n# part_1: a\nbevel(name='nothing_1', width=0.1, segments=2)\n"
        return [[Candidate(k, "greedy", text) for k in range(n)] for _ in batch]

    monkeypatch.setattr(Predictor, "_generate", broken)
    prediction = predictor.predict(foreign_inputs / "sheet.ply", n=2)
    assert prediction.metrics.success and prediction.status == "fallback"
    assert (
        prediction.candidate.origin in ("retrieval", "box")
        and "no generated program ran" in prediction.fallback
    )
    assert all(not c.ok for c in prediction.candidates[:2])
    saved_retrieval, predictor.retrieval = predictor.retrieval, None
    try:
        boxed = predictor.predict(foreign_inputs / "sheet.ply", n=1)
    finally:
        predictor.retrieval = saved_retrieval
    assert boxed.candidate.origin == "box" and boxed.metrics.success


@pytest.mark.blender
def test_repair_in_blender(pool):
    text = (
        HEADER + "\n# object name: t\n# part_1: top\n"
        "create_primitive(name='top_1', primitive_type='cube', location=[0.0, 0.3, 0.0], scale=[0.5, 0.05, 0.3])\n"
        "# part_2: leg\nbevel(name='missing_object', width=0.1, segments=2)\n"
        "# part_3: leg\ncreate_primitive(name='leg_3', primitive_type='cylinder', location=[0.0, 0.0, 0.0], scale=[0.05, 0.3, 0.05])\n"
    )  # fmt: skip
    outcome = run_repaired(text, pool)
    assert outcome.result.ok and set(outcome.result.parts) == {"top_1", "leg_3"}
    assert outcome.dropped and outcome.dropped[0].startswith("part_2 (leg)")


@pytest.mark.blender
@needs_model
def test_cli_predict_writes_files_and_resumes(foreign_inputs, tmp_path, capsys):
    from meshcoder.cli import main

    out = tmp_path / "out"
    args = [str(foreign_inputs), "-o", str(out), "-n", "2", "--up", "z", "--max-new-tokens", "600",
            "--workers", "1", "--batch-size", "2"]  # fmt: skip
    assert main(["predict", *args]) == 0
    captured = capsys.readouterr()
    assert "broken.stl" in captured.err and "Traceback" not in captured.err
    for name in ("table", "mug", "sheet"):
        for suffix in (".py", ".glb", ".png", ".json"):
            assert (out / f"{name}{suffix}").is_file(), f"{name}{suffix}"
        record = json.loads((out / f"{name}.json").read_text())
        assert record["success"] and record["chosen"] is not None and len(record["candidates"]) >= 2
        validate((out / f"{name}.py").read_text())
        glb = trimesh.load(out / f"{name}.glb")
        assert len(glb.geometry) == len(record["parts"]) or record["status"] == "fallback"
    with open(out / "summary.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["name"] for r in rows} == {"table", "mug", "sheet", "broken"}
    assert [r["status"] for r in rows if r["name"] == "broken"] == ["error"]
    page = (out / "report.html").read_text()
    assert "table.png" in page and "mug.py" in page and "broken" in page

    # Resume: a finished input is not predicted again; a missing result is.
    stamp = (out / "table.json").stat().st_mtime_ns
    (out / "mug.json").unlink()
    assert main(["predict", *args]) == 0
    captured = capsys.readouterr()
    assert "2 of 4 inputs already done" in captured.err
    assert (out / "table.json").stat().st_mtime_ns == stamp and (out / "mug.json").is_file()


def test_cli_predict_bad_options(tmp_path, capsys):
    from meshcoder.cli import main

    shape = tmp_path / "s.xyz"
    shape.write_text("0 0 0\n")
    for bad in (["-n", "0"], ["--top-p", "1.5"], ["--refine", "-1"], ["--temperature", "nan"]):
        with pytest.raises(SystemExit):
            main(["predict", str(shape), "-o", str(tmp_path / "o"), *bad])
    assert main(["predict", str(tmp_path / "none.ply"), "-o", str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["predict", str(shape), "-o", str(blocker)]) == 2


@pytest.mark.blender
@needs_model
def test_predict_api_refines_within_budget(predictor, foreign_inputs):
    prediction = predictor.predict(foreign_inputs / "table.glb", up="z", n=1, refine=4.0)
    refinement = prediction.refinement
    assert refinement is not None and refinement.cd_after <= refinement.cd_before
    assert prediction.timings["refine"] < 4.0 + 15.0  # the budget plus one generation of runs, loaded machine
    assert validate(prediction.text).parts  # still an editable program in the spec's format
    record = prediction.to_dict()["refinement"]
    assert record["evaluations"] == refinement.evaluations and isinstance(record["changes"], list)
    if refinement.cd_after < refinement.cd_before:
        assert prediction.text != prediction.candidate.text
