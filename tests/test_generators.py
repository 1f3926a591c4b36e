"""Every object generator: 50 seeds validate, >= 98% execute, canonical frame, labelled, ordered parts."""

from __future__ import annotations

import numpy as np
import pytest

from meshcoder.data.categories import CATEGORIES, generate_program, generators
from meshcoder.data.ordering import order_parts
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.shapes.program import parse

SEEDS = range(50)


def test_every_category_has_a_generator():
    missing = [c for c in CATEGORIES if c not in generators()]
    assert not missing, f"categories without a generator: {missing}"


@pytest.mark.parametrize("category", CATEGORIES[:3])
def test_same_seed_same_program(category):
    assert generate_program(category, 7) == generate_program(category, 7)
    assert generate_program(category, 7) != generate_program(category, 8)


@pytest.mark.blender
@pytest.mark.slow
@pytest.mark.parametrize("category", CATEGORIES)
def test_generator_contract(category, pool):
    sources = [generate_program(category, s) for s in SEEDS]
    programs = [parse(s) for s in sources]  # every program validates
    assert len(set(sources)) >= len(sources) * 0.9, "seeds should give different programs"
    results = pool.map(sources)
    ok = [i for i, r in enumerate(results) if r.ok]
    failures = [(i, results[i].reason) for i in range(len(results)) if not results[i].ok]
    assert len(ok) >= 0.98 * len(sources), f"{category}: failures {failures[:3]}"
    for i in ok:
        program, result = programs[i], results[i]
        assert program.structure_problems() == [], (category, i, program.structure_problems())
        for part in program.parts:
            assert part.object_name in result.parts, (category, i, part.object_name, list(result.parts))
        mesh = TriangleMesh.concatenate([result.parts[p.object_name] for p in program.parts])
        lo, hi = mesh.bounds
        assert abs((hi - lo).max() - 1.0) <= 0.02, (category, i, (hi - lo).tolist())
        assert np.abs((lo + hi) / 2).max() <= 0.02, (category, i, ((lo + hi) / 2).tolist())
        ordered, _ = order_parts(program, result.parts)
        again = parse(ordered)
        assert [p.label for p in again.parts] and again.structure_problems() == []


def test_generators_together_use_every_catalogue_function():
    from meshcoder.shapes.catalogue import catalogue

    used = set()
    for category in CATEGORIES:
        for seed in range(20):
            used.update(c.function for c in parse(generate_program(category, seed)).calls)
    assert set(catalogue()) - used == set(), f"never used by a generator: {sorted(set(catalogue()) - used)}"
