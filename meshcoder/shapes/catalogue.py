"""The function catalogue, read from the library's source without importing Blender.

``meshcoder.shapes.bpy_lib`` is the one place where catalogue functions are defined. The validator
needs their names, parameters and defaults in processes that never import ``bpy``, so this module
parses those files with :mod:`ast` (each module's ``__all__`` names its public functions).
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

LIBRARY_DIR = Path(__file__).parent / "bpy_lib"

#: Names a program may use besides the catalogue functions.
PROGRAM_CONSTANTS = ("pi",)
PROGRAM_HELPERS = ("radians",)


@dataclass(frozen=True)
class Parameter:
    name: str
    default: object = None
    required: bool = False


@dataclass(frozen=True)
class FunctionSpec:
    """A catalogue function as programs see it."""

    name: str
    module: str
    parameters: tuple[Parameter, ...]
    doc: str

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def signature(self) -> str:
        parts = []
        for p in self.parameters:
            parts.append(p.name if p.required else f"{p.name}={p.default!r}")
        return f"{self.name}({', '.join(parts)})"


def _module_names() -> tuple[str, ...]:
    init = ast.parse((LIBRARY_DIR / "__init__.py").read_text())
    for node in init.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "CATALOGUE_MODULES" for t in node.targets
        ):
            return tuple(ast.literal_eval(node.value))
    raise RuntimeError("bpy_lib/__init__.py does not define CATALOGUE_MODULES")


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def _read_module(module: str) -> list[FunctionSpec]:
    tree = ast.parse((LIBRARY_DIR / f"{module}.py").read_text())
    exported: list[str] = []
    defs: dict[str, ast.FunctionDef] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value:
                exported = list(ast.literal_eval(node.value))
        elif isinstance(node, ast.FunctionDef):
            defs[node.name] = node
    specs = []
    for name in exported:
        if name not in defs:
            raise RuntimeError(f"bpy_lib/{module}.py exports {name!r} but does not define it")
        fn = defs[name]
        args = fn.args
        positional = args.posonlyargs + args.args
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        params = [
            Parameter(a.arg, _literal(d) if d is not None else None, d is None)
            for a, d in zip(positional, defaults)
        ]
        params += [
            Parameter(a.arg, _literal(d) if d is not None else None, d is None)
            for a, d in zip(args.kwonlyargs, args.kw_defaults)
        ]
        specs.append(FunctionSpec(name, module, tuple(params), ast.get_docstring(fn) or ""))
    return specs


@functools.cache
def catalogue() -> dict[str, FunctionSpec]:
    """Every catalogue function by name, in the library's module order."""
    out: dict[str, FunctionSpec] = {}
    for module in _module_names():
        for spec in _read_module(module):
            if spec.name in out:
                raise RuntimeError(f"catalogue function {spec.name!r} defined twice")
            out[spec.name] = spec
    return out
