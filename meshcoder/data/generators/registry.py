"""The registry of program generators: the paper's object categories, the :func:`register` decorator the
generator modules use, and the seeding rule. A leaf module: it imports no generator, so every generator
module can import it without a cycle (:func:`meshcoder.data.categories.generators` loads them all).

A generator is a function ``(rng: numpy.random.Generator) -> ProgramBuilder`` registered with
:func:`register`; :func:`rng_for` seeds it per (name, seed), so the same seed always gives the same program.
"""

from __future__ import annotations

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
#: Every registered generator by name (object categories and part types), filled as modules load.
REGISTRY: dict[str, Generator] = {}


def register(name: str) -> Callable[[Generator], Generator]:
    """Decorator: make ``fn`` the generator of category (or part type) ``name``."""

    def decorate(fn: Generator) -> Generator:
        if name in REGISTRY and REGISTRY[name] is not fn:
            raise ValueError(f"generator {name!r} registered twice")
        REGISTRY[name] = fn
        return fn

    return decorate


def rng_for(name: str, seed: int) -> np.random.Generator:
    """The random generator for (name, seed): independent across names, stable across runs."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode())])
