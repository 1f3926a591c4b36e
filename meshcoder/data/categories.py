"""The generators of the object categories and part types: :func:`generators` loads every generator module
and package under :mod:`meshcoder.data.generators` (the object families and the part types in
:mod:`meshcoder.data.generators.parts`; each registers its names in
:mod:`meshcoder.data.generators.registry`) and :func:`generate_program` writes the program of one
(name, seed).
"""

from __future__ import annotations

import importlib
import pkgutil

from meshcoder.data.generators.registry import CATEGORIES, REGISTRY, Generator, register, rng_for

__all__ = ["CATEGORIES", "Generator", "generate_program", "generators", "register", "rng_for"]


def _load_all() -> None:
    from meshcoder.data import generators

    for module in pkgutil.iter_modules(generators.__path__):
        importlib.import_module(f"{generators.__name__}.{module.name}")


def generators() -> dict[str, Generator]:
    """Every registered generator by name (object categories first, in the paper's order)."""
    _load_all()
    ordered = {c: REGISTRY[c] for c in CATEGORIES if c in REGISTRY}
    ordered.update({k: v for k, v in sorted(REGISTRY.items()) if k not in ordered})
    return ordered


def generate_program(name: str, seed: int) -> str:
    """The program text that generator ``name`` writes for ``seed``."""
    table = generators()
    if name not in table:
        raise KeyError(f"no generator {name!r}; known: {', '.join(table)}")
    return table[name](rng_for(name, seed)).to_text()
