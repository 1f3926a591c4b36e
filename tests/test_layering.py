"""The import graph of ``meshcoder``: dependencies point one way through the layers, and no modules import
each other.

Every module is parsed (never imported), and every import it names counts for the layers: top-level ones,
those deferred into functions, those under ``if TYPE_CHECKING:`` (a type is a dependency too) and
``importlib.import_module`` calls with a literal name. An f-string name (``f"meshcoder.cli.{name}"``)
cannot be resolved to one module; its literal prefix names the package, whose layer is checked.

For cycles, every import that runs counts. A deferred import does not make a cycle harmless: it only moves
the failure from import time to call time, and a reader still has to hold both modules at once. An import
under ``if TYPE_CHECKING:`` never runs; it is how an annotation names a collaborator's class, so it makes
no cycle.

``from package import name`` counts as importing ``package.name`` when that is a module, else the package
itself. The parent packages Python runs on the way (``meshcoder/data/__init__.py`` before
``meshcoder/data/tokens.py``) are not counted: each ``__init__`` is checked for what it imports itself.
"""

from __future__ import annotations

import ast
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

import meshcoder

PACKAGE_DIR = Path(meshcoder.__file__).parent
REPO = PACKAGE_DIR.parent

#: The layers, lowest first. A module may import modules of its own layer and of any layer of a lower
#: rank; two layers of the same rank know nothing of each other.
RANKS = {
    "root": 0,
    "geometry": 1,
    "shapes": 2,
    "data": 3,
    "models": 3,
    "evaluation": 4,
    "training": 5,
    "inference": 5,
    "cli": 6,
}

#: The layer of every subpackage of ``meshcoder`` (by its first name after ``meshcoder.``).
#: * ``examples`` holds shipped programs in the shape language and imports nothing: it is the shapes
#:   layer's content, which the tokenizer (models) and the commands read.
#: * ``inference`` (the predictor, refinement, repair, prediction reports) applies a trained model to new
#:   inputs with the evaluation layer's metrics and retrieval. It is the sibling of ``training``: both sit
#:   on models, data and evaluation, neither needs the other (a training callback that wants predictions
#:   uses the models' generation), and only the commands use it.
#: * ``conf`` (the shipped Hydra configs, ``conf/`` in a checkout) belongs to the commands: Hydra lives only
#:   at the entry points, and the library below takes config objects, never the config folder.
SUBPACKAGE_LAYERS = {
    "geometry": "geometry",
    "shapes": "shapes",
    "examples": "shapes",
    "data": "data",
    "models": "models",
    "evaluation": "evaluation",
    "training": "training",
    "inference": "inference",
    "cli": "cli",
    "conf": "cli",
}
#: ``meshcoder/__init__.py`` is run by every import of every module, so it stays at the bottom: the version
#: and nothing that would pull a layer in with it.
ROOT_LAYER = "root"


@dataclass(frozen=True)
class Import:
    """One import statement (or ``import_module`` call) of ``importer``, resolved to ``target``."""

    importer: str
    target: str
    path: str
    line: int
    text: str
    exact: bool = True  # False: a computed name, ``target`` is the package its literal prefix names
    type_only: bool = False  # under ``if TYPE_CHECKING:``

    def where(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def mapped_packages(pyproject: Path) -> dict[str, Path]:
    """The packages of ``meshcoder`` that live outside ``meshcoder/``: ``[tool.setuptools.package-dir]``
    (the shipped configs, ``conf/`` installed as ``meshcoder.conf``)."""
    mapping = (
        tomllib.loads(pyproject.read_text()).get("tool", {}).get("setuptools", {}).get("package-dir", {})
    )
    return {
        name: pyproject.parent / folder for name, folder in mapping.items() if name.startswith("meshcoder.")
    }


def module_names(package_dir: Path, name: str | None = None) -> dict[str, Path]:
    """Every module under ``package_dir`` by dotted name (a package by its own name, for its ``__init__``);
    the package is called ``name``, by default its folder's name.

    Folders without ``__init__.py`` (the example programs, which are shape programs and not modules) are
    skipped with everything under them.
    """
    root = name or package_dir.name
    found: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir).with_suffix("").parts
        if not all((package_dir.joinpath(*parts[:i]) / "__init__.py").is_file() for i in range(len(parts))):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((root, *parts))] = path
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of ``name`` that is a known module, or None when ``name`` is not ours."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def _is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def _absolute(node: ast.ImportFrom, importer: str, modules: dict[str, Path]) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".") if _is_package(importer, modules) else importer.split(".")[:-1]
    if node.level - 1 > len(base) - 1:
        raise ValueError(f"{modules[importer]}:{node.lineno}: relative import beyond the top-level package")
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _literal_prefix(node: ast.expr) -> tuple[str, bool] | None:
    """The name an ``import_module`` argument gives: (text, whole) for a literal, (prefix, False) for an
    f-string starting with literal text, None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, True
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value).rstrip("."), False
    return None


def _is_import_module(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        return (
            func.attr == "import_module" and isinstance(func.value, ast.Name) and func.value.id == "importlib"
        )
    return isinstance(func, ast.Name) and func.id == "import_module"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(importer: str, modules: dict[str, Path], root: Path) -> list[Import]:
    """Every import of one of ``modules`` that module ``importer`` makes (paths shown relative to ``root``)."""
    path = modules[importer]
    source = path.read_text()
    lines = source.splitlines()
    shown = path.relative_to(root).as_posix()
    found: dict[tuple[int, str], Import] = {}

    def add(node: ast.AST, name: str, exact: bool, type_only: bool) -> None:
        target = _resolve(name, modules)
        if target is not None and target != importer:
            text = lines[node.lineno - 1].strip()
            found.setdefault(
                (node.lineno, target), Import(importer, target, shown, node.lineno, text, exact, type_only)
            )

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(node, alias.name, True, type_only)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, importer, modules)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                add(node, submodule if submodule in modules else base, True, type_only)
        elif isinstance(node, ast.Call) and _is_import_module(node) and node.args:
            literal = _literal_prefix(node.args[0])
            if literal is not None:
                add(node, literal[0], literal[1], type_only)
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_only)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, type_only)

    visit(ast.parse(source, filename=str(path)), False)
    return sorted(found.values(), key=lambda imp: (imp.line, imp.target))


def layer_of(module: str) -> str:
    """The layer of a dotted module name under ``meshcoder``."""
    parts = module.split(".")
    if len(parts) == 1:
        return ROOT_LAYER
    if parts[1] not in SUBPACKAGE_LAYERS:
        raise KeyError(
            f"{module}: meshcoder.{parts[1]} has no layer; add it to SUBPACKAGE_LAYERS in tests/test_layering.py"
        )
    return SUBPACKAGE_LAYERS[parts[1]]


def upward_imports(imports: list[Import]) -> list[str]:
    """One message per import that reaches a higher layer or a different layer of the same rank."""
    problems = []
    for imp in imports:
        low, high = layer_of(imp.importer), layer_of(imp.target)
        if low == high or RANKS[high] < RANKS[low]:
            continue
        why = "a higher layer" if RANKS[high] > RANKS[low] else "a layer of the same rank"
        problems.append(f"{imp.where()}  ({imp.importer} [{low}] imports {imp.target} [{high}], {why})")
    return problems


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components with more than one module, each sorted; iterative, so depth is no limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def _cycle_through(first: str, members: set[str], graph: dict[str, dict[str, Import]]) -> list[Import]:
    """A shortest cycle from ``first`` back to itself inside one component, as its imports."""
    came_by: dict[str, Import] = {}
    frontier = [first]
    while frontier:
        following = []
        for node in frontier:
            for target, imp in sorted(graph[node].items()):
                if target == first:
                    path = [imp]
                    while path[0].importer != first:
                        path.insert(0, came_by[path[0].importer])
                    return path
                if target in members and target not in came_by:
                    came_by[target] = imp
                    following.append(target)
        frontier = following
    raise AssertionError(f"{first} is in a component but on no cycle")


def import_cycles(imports: list[Import]) -> list[str]:
    """One message per group of modules that import each other, with the imports of one cycle."""
    graph: dict[str, dict[str, Import]] = {}
    for imp in imports:
        graph.setdefault(imp.target, {})
        if imp.exact and not imp.type_only:
            graph.setdefault(imp.importer, {}).setdefault(imp.target, imp)
    messages = []
    for component in _strongly_connected({name: set(targets) for name, targets in graph.items()}):
        cycle = _cycle_through(component[0], set(component), graph)
        lines = "\n".join(f"    {imp.where()}" for imp in cycle)
        messages.append(f"cycle between {', '.join(component)}:\n{lines}")
    return messages


def problems_in(package_dir: Path, mapped: dict[str, Path] | None = None) -> list[str]:
    """Every upward import and cycle among the modules under ``package_dir`` and the ``mapped`` packages
    (name: folder) that belong to it."""
    modules = module_names(package_dir)
    for name, folder in (mapped or {}).items():
        modules |= module_names(folder, name)
    imports = [imp for name in sorted(modules) for imp in imports_of(name, modules, package_dir.parent)]
    return upward_imports(imports) + import_cycles(imports)


# ------------------------------------------------------------------------------------------- the tree


def test_every_subpackage_has_a_layer():
    names = {p.name for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").is_file()}
    names |= {name.split(".")[1] for name in mapped_packages(REPO / "pyproject.toml")}
    assert names == set(SUBPACKAGE_LAYERS), "give each subpackage of meshcoder one layer in SUBPACKAGE_LAYERS"
    assert set(SUBPACKAGE_LAYERS.values()) | {ROOT_LAYER} == set(RANKS)


def test_imports_point_down_the_layers_and_never_in_a_circle():
    problems = problems_in(PACKAGE_DIR, mapped_packages(REPO / "pyproject.toml"))
    assert not problems, "imports against the layering:\n" + "\n".join(problems)


# ------------------------------------------------------------------------- the checker on small trees


def write_package(root: Path, files: dict[str, str]) -> Path:
    """A package ``meshcoder`` under ``root`` from {relative path: source}; every folder gets an __init__."""
    package = root / "meshcoder"
    for rel, source in {"__init__.py": "", **files}.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in path.relative_to(root).parents[:-1]:
            (root / folder / "__init__.py").touch()  # keeps an __init__ already written
        path.write_text(textwrap.dedent(source))
    return package


def test_a_clean_tree_has_no_problems(tmp_path):
    package = write_package(
        tmp_path,
        {
            "geometry/mesh.py": "import numpy as np\n",
            "shapes/program.py": "from meshcoder.geometry.mesh import np\nfrom . import executor\n",
            "shapes/executor.py": "from ..geometry import mesh\n",
            "models/net.py": "from meshcoder.shapes.program import executor\n",
            "data/dataset.py": "import meshcoder.shapes.program\n",
            "cli/train.py": "def main():\n    from meshcoder.training import loop\n    from meshcoder.data import dataset\n",
            "training/loop.py": "from meshcoder.models import net\nfrom meshcoder.evaluation import metrics\n",
            "evaluation/metrics.py": "import importlib\nimportlib.import_module('meshcoder.data.dataset')\n",
        },
    )
    assert problems_in(package) == []


def test_an_upward_import_is_named_with_its_line(tmp_path):
    package = write_package(
        tmp_path,
        {
            "geometry/mesh.py": "",
            "shapes/program.py": "from meshcoder.geometry import mesh\n",
            "data/tokens.py": '"""Tokens."""\n\n\ndef load():\n    from ..models.tokenizer import load\n',
            "models/tokenizer.py": "from meshcoder.shapes import program\n",
        },
    )
    problems = problems_in(package)
    assert problems == [
        "meshcoder/data/tokens.py:5: from ..models.tokenizer import load  (meshcoder.data.tokens [data] imports "
        "meshcoder.models.tokenizer [models], a layer of the same rank)"
    ]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("import meshcoder.cli.run\n", "meshcoder.cli.run"),
        ("from meshcoder.training import train\n", "meshcoder.training.train"),
        ("from meshcoder import evaluation\n", "meshcoder.evaluation"),
        ("if TYPE_CHECKING:\n    from meshcoder.models.net import Net\n", "meshcoder.models.net"),
        ("import importlib\nimportlib.import_module('meshcoder.data.frame')\n", "meshcoder.data.frame"),
        ("from importlib import import_module\nimport_module(f'meshcoder.cli.{name}')\n", "meshcoder.cli"),
    ],
)
def test_every_kind_of_import_from_below_is_caught(tmp_path, source, target):
    files = {
        "shapes/program.py": source,
        "cli/run.py": "",
        "training/train.py": "",
        "evaluation/__init__.py": "",
    }
    files |= {"models/net.py": "", "data/frame.py": ""}
    problems = problems_in(write_package(tmp_path, files))
    assert len(problems) == 1 and problems[0].startswith("meshcoder/shapes/program.py:"), problems
    assert f"imports {target} [" in problems[0]


def test_a_cycle_is_named_with_every_import_on_it(tmp_path):
    package = write_package(
        tmp_path,
        {
            "data/categories.py": "import importlib\n\nimportlib.import_module('meshcoder.data.parts')\n",
            "data/parts.py": "from meshcoder.data.registry import register\n",
            "data/registry.py": "def register():\n    from . import categories\n",
            "data/frame.py": "from meshcoder.data import parts\n",
        },
    )
    assert problems_in(package) == [
        "cycle between meshcoder.data.categories, meshcoder.data.parts, meshcoder.data.registry:\n"
        "    meshcoder/data/categories.py:3: importlib.import_module('meshcoder.data.parts')\n"
        "    meshcoder/data/parts.py:1: from meshcoder.data.registry import register\n"
        "    meshcoder/data/registry.py:2: from . import categories"
    ]


def test_a_package_init_importing_its_modules_makes_no_cycle(tmp_path):
    package = write_package(
        tmp_path,
        {
            "shapes/__init__.py": "from .program import parse\n",
            "shapes/program.py": "from . import grammar\n",
            "shapes/grammar.py": "from meshcoder.shapes.program import parse\n",
        },
    )
    assert problems_in(package) == [
        "cycle between meshcoder.shapes.grammar, meshcoder.shapes.program:\n"
        "    meshcoder/shapes/grammar.py:1: from meshcoder.shapes.program import parse\n"
        "    meshcoder/shapes/program.py:1: from . import grammar"
    ]


def test_a_type_only_import_back_makes_no_cycle_but_counts_for_the_layers(tmp_path):
    package = write_package(
        tmp_path,
        {
            "data/shapes.py": "from meshcoder.data.ops import Bevel\n",
            "data/ops.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .shapes import Shape\n",
            "shapes/program.py": "import typing\n\nif typing.TYPE_CHECKING:\n    from meshcoder.data.ops import Bevel\n",
        },
    )
    assert problems_in(package) == [
        "meshcoder/shapes/program.py:4: from meshcoder.data.ops import Bevel  (meshcoder.shapes.program [shapes] "
        "imports meshcoder.data.ops [data], a higher layer)"
    ]


def test_a_package_mapped_from_another_folder_is_checked_too(tmp_path):
    package = write_package(
        tmp_path,
        {
            "training/loop.py": "from meshcoder.conf import CONFIG_DIR\n",
            "cli/train.py": "from meshcoder.conf import SEARCH_PATH\n",
        },
    )
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf/__init__.py").write_text("from pathlib import Path\n")
    (tmp_path / "pyproject.toml").write_text('[tool.setuptools.package-dir]\n"meshcoder.conf" = "conf"\n')
    assert problems_in(package, mapped_packages(tmp_path / "pyproject.toml")) == [
        "meshcoder/training/loop.py:1: from meshcoder.conf import CONFIG_DIR  (meshcoder.training.loop [training] "
        "imports meshcoder.conf [cli], a higher layer)"
    ]


def test_a_subpackage_without_a_layer_is_an_error(tmp_path):
    package = write_package(
        tmp_path, {"plugins/extra.py": "from meshcoder.geometry import mesh\n", "geometry/mesh.py": ""}
    )
    with pytest.raises(KeyError, match=r"meshcoder\.plugins has no layer"):
        problems_in(package)
