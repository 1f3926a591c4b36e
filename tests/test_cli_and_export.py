"""The ``meshcoder`` command line and mesh export."""

from __future__ import annotations

import json

import numpy as np
import pytest
import trimesh

from meshcoder.cli import main
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.shapes.export import load_parts, save_parts

TWO_PARTS = (  # a body of calls, made a program by the with_header fixture
    "# object name: stool\n# part_1: seat\n"
    "create_primitive(name='seat_1', primitive_type='cylinder', scale=[0.5, 0.5, 0.05], location=[0, 0, 0.5])\n"
    "# part_2: leg\ncreate_primitive(name='leg_2', primitive_type='cube', scale=[0.05, 0.05, 0.25])\n"
)


def _parts():
    box = trimesh.creation.box([1, 2, 3])
    return {"box": TriangleMesh(box.vertices, box.faces), "moved": TriangleMesh(box.vertices + 5, box.faces)}


@pytest.mark.parametrize("suffix", [".glb", ".obj"])
def test_export_keeps_named_parts(tmp_path, suffix):
    parts = _parts()
    path = save_parts(parts, tmp_path / f"m{suffix}")
    loaded = load_parts(path)
    if suffix == ".obj":  # trimesh merges obj groups into one mesh
        assert sum(len(m.faces) for m in loaded.values()) == 24
    else:
        assert set(loaded) == {"box", "moved"}
        assert np.allclose(loaded["moved"].bounds, parts["moved"].bounds)


def test_export_ply_joins_parts(tmp_path):
    path = save_parts(_parts(), tmp_path / "m.ply")
    mesh = trimesh.load(path, process=False)
    assert len(mesh.faces) == 24


def test_export_refuses_unknown_format_and_nothing(tmp_path):
    with pytest.raises(ValueError, match="use one of"):
        save_parts(_parts(), tmp_path / "m.fbx")
    with pytest.raises(ValueError, match="nothing to write"):
        save_parts({}, tmp_path / "m.glb")


def test_validate_command(tmp_path, capsys, with_header):
    good = tmp_path / "good.py"
    good.write_text(with_header(TWO_PARTS))
    bad = tmp_path / "bad.py"
    bad.write_text(with_header("import os"))
    assert main(["validate", str(good)]) == 0
    assert "ok (2 parts" in capsys.readouterr().out
    assert main(["validate", str(good), str(bad)]) == 1
    assert "bad.py:7: invalid: import of 'os'" in capsys.readouterr().out
    loose = tmp_path / "loose.py"
    loose.write_text(with_header("create_primitive(name='a')"))
    assert main(["validate", "--strict", str(loose)]) == 1
    assert main(["validate", str(tmp_path / "missing.py")]) == 2


@pytest.mark.blender
def test_run_command_writes_glb(tmp_path, capsys, with_header):
    program = tmp_path / "stool.py"
    program.write_text(with_header(TWO_PARTS))
    out = tmp_path / "stool.glb"
    assert main(["run", str(program), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "seat_1" in text and "2 parts" in text
    assert set(load_parts(out)) == {"seat_1", "leg_2"}
    assert main(["run", str(program), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["status"] == "ok" and info["faces"] > 0


@pytest.mark.blender
def test_run_command_fails_with_reason(tmp_path, capsys, with_header):
    program = tmp_path / "broken.py"
    program.write_text(with_header("bevel(name='nothing', width=0.1)"))
    assert main(["run", str(program)]) == 1
    assert "runtime_error (line 7)" in capsys.readouterr().out
    assert main(["run", str(program), "-o", str(tmp_path / "x.fbx")]) == 2


@pytest.mark.blender
def test_render_command_program_and_mesh(tmp_path, with_header):
    program = tmp_path / "stool.py"
    program.write_text(with_header(TWO_PARTS))
    image = tmp_path / "stool.png"
    assert (
        main(["render", str(program), "-o", str(image), "--resolution", "64", "--sample-points", "500"]) == 0
    )
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    mesh = tmp_path / "box.glb"
    save_parts(_parts(), mesh)
    image2 = tmp_path / "box.png"
    assert main(["render", str(mesh), "-o", str(image2), "--resolution", "64"]) == 0
    assert image2.stat().st_size > 1000
    assert main(["render", str(mesh), "-o", str(tmp_path / "x.jpg")]) == 2
