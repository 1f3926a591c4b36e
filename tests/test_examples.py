"""The shipped example programs: well-formed, runnable, in the canonical frame, covering the catalogue.

All examples run once per module (one ``pool.map``); each check is a parametrised test per example so a
failure names the program.
"""

from __future__ import annotations

import numpy as np
import pytest

from meshcoder.examples import example_names, load_example
from meshcoder.shapes.catalogue import catalogue
from meshcoder.shapes.program import ARGUMENT_DECIMALS, HEADER, parse

pytestmark = pytest.mark.blender

NAMES = example_names()
MIN_EXAMPLES = 12
# Canonical frame (spec section 2): longest side 1, bounding box centred on the origin.
EXTENT_TOLERANCE = 0.03
CENTRE_TOLERANCE = 0.02


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return {name: load_example(name) for name in NAMES}


@pytest.fixture(scope="module")
def results(pool, sources):
    """Every example executed once, by name."""
    return dict(zip(NAMES, pool.map([sources[n] for n in NAMES])))


def _numbers(value) -> list[float]:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, int | float):
        return [value]
    return [x for item in value for x in _numbers(item)]


def test_there_are_enough_examples():
    assert len(NAMES) >= MIN_EXAMPLES, NAMES


def test_examples_together_call_every_catalogue_function(sources):
    called = {c.function for src in sources.values() for c in parse(src).calls}
    missing = set(catalogue()) - called
    assert not missing, f"no example calls {sorted(missing)}"


@pytest.mark.parametrize("name", NAMES)
def test_example_follows_the_program_format(name, sources):
    source = sources[name]
    assert source.startswith(HEADER), "the fixed header must open the program"
    program = parse(source)
    assert program.object_name, "missing '# object name:'"
    assert program.parts, "no parts"
    assert program.structure_problems() == []


@pytest.mark.parametrize("name", NAMES)
def test_example_writes_numbers_with_the_spec_decimals(name, sources):
    # 2 decimals by default, 3 for control points, 4 for thicknesses (spec section 1).
    for call in parse(sources[name]).calls:
        for key, value in call.arguments.items():
            decimals = ARGUMENT_DECIMALS.get(key, 2)
            loose = [x for x in _numbers(value) if abs(round(x, decimals) - x) > 1e-9]
            assert not loose, f"line {call.line}: {call.function}({key}=...) has {loose}"


@pytest.mark.parametrize("name", NAMES)
def test_example_runs_and_leaves_exactly_its_parts(name, sources, results):
    result = results[name]
    assert result.ok, result.reason
    expected = {part.object_name for part in parse(sources[name]).parts}
    missing = expected - set(result.parts)
    assert not missing, f"final part objects missing: {sorted(missing)}"
    # Helpers (sections, profiles, cutters) are consumed: no other mesh is left in the scene.
    assert set(result.parts) == expected
    for part_name, mesh in result.parts.items():
        assert not mesh.is_empty, f"part {part_name!r} has no faces"


@pytest.mark.parametrize("name", NAMES)
def test_example_fits_the_canonical_frame(name, results):
    result = results[name]
    assert result.ok, result.reason
    bounds = result.mesh.bounds
    extents = bounds[1] - bounds[0]
    centre = bounds.mean(axis=0)
    assert abs(extents.max() - 1.0) <= EXTENT_TOLERANCE, f"longest side {extents.max():.3f}"
    assert np.abs(centre).max() <= CENTRE_TOLERANCE, f"bounding box centre {np.round(centre, 3)}"
