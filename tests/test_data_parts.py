"""Part samplers: registered, deterministic, valid; the paper's primitive rule; executed parts stay in
[-1, 1]^3 (50 seeds each, >= 98% run)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import meshcoder.data.generators
from meshcoder.data.categories import generate_program, generators, rng_for
from meshcoder.data.generators.parts import PART_TYPES, generate_part
from meshcoder.data.generators.parts.placement import LONGEST_SIDE, MIN_WRITTEN_SCALE, random_quaternion
from meshcoder.data.generators.parts.primitive import PRIMITIVE_TYPES, primitive_template, sample_primitive
from meshcoder.shapes.program import parse

SEEDS = range(50)


def test_every_part_type_is_registered_without_clashing_with_categories():
    table = generators()
    assert all(name in table for name in PART_TYPES)
    # Spoon and Fork stay the object categories' names.
    assert "Spoon" not in PART_TYPES and "Fork" not in PART_TYPES
    with pytest.raises(KeyError, match="unknown part type"):
        generate_part("Spoon", 0)


def test_generate_part_writes_what_the_registry_writes():
    assert [generate_part(t, 5) for t in PART_TYPES] == [generate_program(t, 5) for t in PART_TYPES]


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update([node.module, *(f"{node.module}.{alias.name}" for alias in node.names)])
    return names


def test_generators_do_not_import_the_category_loader():
    # The loader imports every generator; a generator importing it back is the cycle this layout removes.
    root = Path(meshcoder.data.generators.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if "meshcoder.data.categories" in _imported_modules(path)
    ]
    assert offenders == []
    code = "import sys, meshcoder.data.generators.parts; print('meshcoder.data.categories' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"


@pytest.mark.parametrize("part_type", PART_TYPES)
def test_programs_are_valid_deterministic_and_varied(part_type):
    sources = [generate_part(part_type, s) for s in SEEDS]
    assert generate_part(part_type, 3) == sources[3]
    assert len(set(sources)) >= 0.9 * len(sources)
    for source in sources:
        program = parse(source)
        assert len(program.parts) == 1
        assert program.structure_problems() == []


def test_primitive_rule_exponents_scales_and_box():
    for seed in range(300):
        s = sample_primitive(rng_for("Primitive", seed))
        assert s.kind in PRIMITIVE_TYPES
        x = np.array(s.exponents)
        assert np.all((x >= -2) & (x <= 2))
        assert LONGEST_SIDE[0] <= s.longest_side <= LONGEST_SIDE[1]
        scale = np.array(s.scale)
        assert np.all(scale >= MIN_WRITTEN_SCALE)
        # Axes not raised to the smallest writable scale keep the ratios 10^(x_i - x_j) (up to rounding).
        free = scale > 0.05
        if free.sum() >= 2:
            i, j = np.flatnonzero(free)[:2]
            assert scale[i] / scale[j] == pytest.approx(10 ** (x[i] - x[j]), rel=0.25)
        box = s.world_bounds()
        side = (box[1] - box[0]).max()
        assert LONGEST_SIDE[0] - 0.03 <= side <= LONGEST_SIDE[1]
        assert box[0].min() >= -1.0 and box[1].max() <= 1.0
        assert np.linalg.norm(s.rotation) == pytest.approx(1.0, abs=0.02)


def test_primitive_orientation_is_uniform():
    # For unit quaternions uniform on the sphere, E|w| = 4 / (3 pi) and each of |x|, |y|, |z| alike;
    # uniform Euler angles or axis-aligned turns would miss this.
    rng = np.random.default_rng(0)
    q = np.array([random_quaternion(rng) for _ in range(4000)])
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0)
    np.testing.assert_allclose(np.abs(q).mean(axis=0), 4 / (3 * np.pi), atol=0.02)
    assert abs(np.mean(q[:, 1] * q[:, 2])) < 0.02
    # The sampler writes such quaternions (rounded): the same statistics, more loosely.
    written = np.array([sample_primitive(rng_for("Primitive", s)).rotation for s in range(400)])
    np.testing.assert_allclose(np.abs(written).mean(axis=0), 4 / (3 * np.pi), atol=0.05)


def test_primitive_templates_match_blender_default_sizes():
    extents = {k: np.ptp(primitive_template(k), axis=0) for k in PRIMITIVE_TYPES}
    np.testing.assert_allclose(extents["cube"], [2, 2, 2])
    np.testing.assert_allclose(extents["cylinder"], [2, 2, 2], atol=0.01)
    np.testing.assert_allclose(extents["torus"], [2.5, 2.5, 0.5], atol=0.01)


@pytest.mark.blender
def test_each_part_type_runs(pool):
    sources = [generate_part(t, s) for t in PART_TYPES for s in (0, 1)]
    results = pool.map(sources)
    assert all(r.ok for r in results), [r.reason for r in results if not r.ok]


@pytest.mark.blender
@pytest.mark.slow
@pytest.mark.parametrize("part_type", PART_TYPES)
def test_part_type_contract(part_type, pool):
    sources = [generate_part(part_type, s) for s in SEEDS]
    results = pool.map(sources)
    failures = [(i, r.reason) for i, r in enumerate(results) if not r.ok]
    assert len(failures) <= 0.02 * len(sources), failures[:3]
    for i, result in enumerate(results):
        if not result.ok:
            continue
        lo, hi = result.mesh.bounds
        assert lo.min() >= -1.0 - 1e-5 and hi.max() <= 1.0 + 1e-5, (part_type, i, lo, hi)
        assert result.mesh.area > 0
        if part_type == "Primitive":
            # The paper's rule on the executed mesh: longest side of the box in [1, 2].
            assert LONGEST_SIDE[0] - 0.03 <= (hi - lo).max() <= LONGEST_SIDE[1] + 1e-5
            kind = re.search(r"primitive_type='(\w+)'", sources[i])[1]
            assert kind in PRIMITIVE_TYPES
