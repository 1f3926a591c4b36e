"""Programs in the original API's style build the meshes spec section 3b describes.

Every program under ``tests/data/original_style`` runs and its parts keep the key numbers recorded
beside it (``python -m tests.original_style record`` writes them; see that module).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from meshcoder.shapes.program import validate
from tests.original_style import PROGRAMS, key_numbers, programs

pytestmark = pytest.mark.blender

CASES = programs()


def test_there_is_a_program_for_every_item_of_section_3b():
    items = {int(p.name[:2]) for p in CASES if p.name[:2].isdigit()}
    assert set(range(1, 10)) <= items, f"no program for items {sorted(set(range(1, 10)) - items)}"
    # Bridges and grid fills take several.
    assert sum(p.name.startswith("07_") for p in CASES) >= 3
    assert sum(p.name.startswith("08_") for p in CASES) >= 3


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_program_is_valid_and_has_recorded_numbers(path):
    program = validate(path.read_text(encoding="utf-8"))
    assert program.object_name, "an original-style program names its object"
    assert program.parts, "an original-style program has part comments"
    assert path.with_suffix(".json").is_file(), f"record it: python -m tests.original_style record {path}"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_program_builds_its_recorded_mesh(run, path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    result = run(path.read_text(encoding="utf-8"))
    assert result.ok, result.reason
    assert sorted(result.parts) == sorted(expected)
    for name, want in expected.items():
        got = key_numbers(result.parts[name])
        assert got["vertices"] == want["vertices"], name
        assert got["triangles"] == want["triangles"], name
        np.testing.assert_allclose(got["bounds"], want["bounds"], atol=2e-5, err_msg=name)
        scale = max(1.0, abs(want["area"]))
        assert got["area"] == pytest.approx(want["area"], abs=1e-4 * scale), name
        # The sign pins the winding; the size pins which side a shell grew on.
        assert got["signed_volume"] == pytest.approx(
            want["signed_volume"], abs=1e-5 + 1e-4 * abs(want["signed_volume"])
        )


def test_recorded_numbers_have_no_stale_files():
    stale = [p.name for p in PROGRAMS.glob("*.json") if not p.with_suffix(".py").is_file()]
    assert not stale, f"numbers without a program: {stale}"
