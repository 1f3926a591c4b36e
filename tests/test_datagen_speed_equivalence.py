"""The faster dataset pipeline makes exactly the data the slower one made.

``tests/data/datagen_equivalence`` holds eight programs (three part types, five objects of 4 to 18 parts,
most of them reordered by the spec's part order, three in the test split), the meshes Blender made
for them, and the records and clouds that the pipeline made from those meshes before ordering,
sampling and the Chamfer check moved from its own process to a pool of post-processing processes
(and were made cheaper). Replaying the same meshes through today's pipeline must give the same
records (script, labels, ``cd_loss`` ...) and bit-identical clouds and test meshes. Replaying meshes
rather than running Blender keeps Blender's own run-to-run differences (exact booleans, bevels) out of
the comparison, and the test fast.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from meshcoder.data import pipeline
from meshcoder.data.ordering import lowest_cell
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.geometry.sampling import sample_surface, sample_surface_points
from meshcoder.shapes.executor import ExecutionResult, Status

FIXTURE = Path(__file__).parent / "data" / "datagen_equivalence"


class _ReplayPool:
    """Stands in for the Blender pool: each program's recorded meshes."""

    def __init__(self, meshes: dict[str, dict[str, TriangleMesh]], workers: int):
        self.meshes, self.num_workers = meshes, workers

    def run(self, source: str) -> ExecutionResult:
        return ExecutionResult(Status.OK, parts=dict(self.meshes[source]), timings={"execute": 0.0})


@pytest.fixture(scope="module")
def recorded() -> tuple[list[dict], dict[str, dict[str, TriangleMesh]], dict]:
    programs = json.loads((FIXTURE / "programs.json").read_text())
    with np.load(FIXTURE / "meshes.npz") as arrays:
        meshes = {
            p["source"]: {
                name: TriangleMesh(arrays[f"p{i}_{j}_vertices"], arrays[f"p{i}_{j}_faces"])
                for j, name in enumerate(p["parts"])
            }
            for i, p in enumerate(programs)
        }
    return programs, meshes, json.loads((FIXTURE / "expected.json").read_text())


def _sha256(*arrays: np.ndarray) -> str:
    return hashlib.sha256(b"".join(a.tobytes() for a in arrays)).hexdigest()


@pytest.mark.parametrize(("clouds", "workers"), [(1, 2), (2, 1)])
def test_replayed_meshes_give_the_records_and_clouds_made_before(
    recorded, tmp_path, monkeypatch, clouds, workers
):
    programs, meshes, expected = recorded
    wanted = expected[f"clouds_per_record={clouds}"]
    chosen = [p for p in programs if any(r["generator"] == p["generator"] for r in wanted)]
    sources = {(p["generator"], p["seed"]): p["source"] for p in chosen}

    def generate(name: str, seed: int) -> str:
        if (name, seed) not in sources:
            raise LookupError("not in the fixture")  # recorded as a generator failure, nothing else
        return sources[(name, seed)]

    monkeypatch.setattr(pipeline, "generate_program", generate)
    config = pipeline.DatagenConfig(
        out_dir=tmp_path,
        generators=list(dict.fromkeys(p["generator"] for p in chosen)),
        n_per_category=1 + max(p["seed"] for p in chosen),
        clouds_per_record=clouds,
        progress=False,
    )
    report = pipeline.run_shard(config, None, pool=_ReplayPool(meshes, workers))
    assert report.ok == len(wanted) and set(report.failures) == {"generator_error"}

    made = {e["id"]: e["record"] for e in pipeline.read_manifests(tmp_path).values() if e["status"] == "ok"}
    assert sorted(made) == sorted(r["id"] for r in wanted)
    for old in wanted:
        new = made[old["id"]]
        for key, value in old.items():
            if key not in ("clouds_sha256", "mesh_sha256"):
                assert new[key] == value, (old["generator"], key)  # cd_loss too: the same floats
        assert set(new) == set(old) - {"clouds_sha256", "mesh_sha256"}
        for path, digest in zip(new["pcd_path"], old["clouds_sha256"], strict=True):
            with np.load(tmp_path / path) as cloud:
                assert _sha256(cloud["points"], cloud["normals"]) == digest, path
        if "mesh_sha256" in old:
            import trimesh

            mesh = trimesh.load(tmp_path / new["mesh_path"], process=False)
            vertices, faces = np.asarray(mesh.vertices, np.float64), np.asarray(mesh.faces, np.int64)
            assert _sha256(vertices, faces) == old["mesh_sha256"], new["mesh_path"]
    assert any(r["script"] != sources[(r["generator"], r["seed"])] for r in wanted), "no reordered program"


def test_points_only_sampling_draws_the_same_points():
    rng = np.random.default_rng(1)
    mesh = TriangleMesh(rng.normal(size=(60, 3)), rng.integers(0, 60, size=(100, 3)))
    np.testing.assert_array_equal(
        sample_surface_points(mesh, 5000, seed=3), sample_surface(mesh, 5000, 3).points
    )


def test_lowest_cell_is_the_smallest_key_of_every_point():
    """The key found with one minimum over packed integers is the lexicographic minimum of (iy, ix, -iz)
    over the vertices and the 4,096 sampled points, also where points fall outside the grid."""
    rng = np.random.default_rng(2)
    for _ in range(20):
        mesh = TriangleMesh(rng.uniform(-0.7, 0.7, size=(30, 3)), rng.integers(0, 30, size=(40, 3)))
        points = np.concatenate([mesh.vertices, sample_surface_points(mesh, 4096, seed=0)])
        cells = np.clip(np.floor((points + 0.5) * 32).astype(int), 0, 31)
        keys = sorted(zip(cells[:, 1].tolist(), cells[:, 0].tolist(), (-cells[:, 2]).tolist()))
        assert lowest_cell(mesh) == keys[0]
