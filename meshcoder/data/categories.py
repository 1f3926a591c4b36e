"""The object categories of the MeshCoder paper and the registry of their program generators.

A generator is a function ``(rng: numpy.random.Generator) -> ProgramBuilder`` registered with
:func:`register`. :func:`generate_program` seeds it deterministically per (category, seed), so the same
seed always gives the same program.
"""

from __future__ import annotations

import importlib
import pkgutil
import zlib
from collections.abc import Callable

import numpy as np

from meshcoder.data.builder import ProgramBuilder

#: The paper's 41 object categories (names as in its released data).
CATEGORIES: tuple[str, ...] = (
    "ArmChair", "BarChair", "Bathtub", "BeverageFridge", "Bottle", "Bowl", "CeilingClassicLamp",
    "CeilingLight", "CellShelf", "Chair", "Chopsticks", "Cup", "DeskLamp", "Dishwasher", "FloorLamp", "Fork",
    "Hardware", "Jar", "Lamp", "LargeShelf", "Lid", "LiteDoor", "LouverDoor", "Microwave", "OfficeChair",
    "PanelDoor", "Plate", "SidetableDesk", "SimpleBookcase", "SimpleDesk", "Sofa", "Spoon", "TableCocktail",
    "TableDining", "Toilet", "TriangleShelf", "TV", "TVStand", "Vase", "Window", "Wineglass",
)  # fmt: skip

Generator = Callable[[np.random.Generator], ProgramBuilder]
_REGISTRY: dict[str, Generator] = {}


def register(name: str) -> Callable[[Generator], Generator]:
    """Decorator: make ``fn`` the generator of category (or part type) ``name``."""

    def decorate(fn: Generator) -> Generator:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise ValueError(f"generator {name!r} registered twice")
        _REGISTRY[name] = fn
        return fn

    return decorate


def _load_all() -> None:
    from meshcoder.data import generators

    for module in pkgutil.iter_modules(generators.__path__):
        importlib.import_module(f"{generators.__name__}.{module.name}")
    importlib.import_module("meshcoder.data.parts")  # the part-type samplers register there


def generators() -> dict[str, Generator]:
    """Every registered generator by name (object categories first, in the paper's order)."""
    _load_all()
    ordered = {c: _REGISTRY[c] for c in CATEGORIES if c in _REGISTRY}
    ordered.update({k: v for k, v in sorted(_REGISTRY.items()) if k not in ordered})
    return ordered


def rng_for(name: str, seed: int) -> np.random.Generator:
    """The random generator for (name, seed): independent across names, stable across runs."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode())])


def generate_program(name: str, seed: int) -> str:
    """The program text that generator ``name`` writes for ``seed``."""
    table = generators()
    if name not in table:
        raise KeyError(f"no generator {name!r}; known: {', '.join(table)}")
    return table[name](rng_for(name, seed)).to_text()
