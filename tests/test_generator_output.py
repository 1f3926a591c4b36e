"""The generators write what they wrote when ``tests/data/generator_output.json`` was recorded: the same
program text for pinned seeds, and the same statistics per category (variety included). A deliberate
change re-records it (``python -m tests.generator_output record``) and says why in its commit."""

from __future__ import annotations

import json

import pytest

from meshcoder.data.categories import CATEGORIES, generators
from tests.generator_output import RECORD, current


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads(RECORD.read_text())


@pytest.fixture(scope="module")
def now() -> dict:
    return current()


def test_every_generator_is_recorded(recorded):
    assert set(recorded["hashes"]) == set(generators())
    assert set(CATEGORIES) <= set(recorded["statistics"])


@pytest.mark.parametrize("name", sorted(generators()))
def test_pinned_seeds_write_the_recorded_programs(recorded, now, name):
    assert now["hashes"][name] == recorded["hashes"][name], f"{name}: programs changed for pinned seeds"


@pytest.mark.parametrize("name", sorted(generators()))
def test_program_statistics_per_generator_hold(recorded, now, name):
    before, after = recorded["statistics"][name], now["statistics"][name]
    assert after["distinct"] >= before["distinct"], f"{name} lost variety"
    assert after == before
