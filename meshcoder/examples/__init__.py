"""Example shape programs shipped with the package (``programs/<name>.py``), written by this project."""

from __future__ import annotations

from pathlib import Path

PROGRAM_DIR = Path(__file__).parent / "programs"


def example_paths() -> list[Path]:
    """Every shipped example program, sorted by name."""
    return sorted(PROGRAM_DIR.glob("*.py"))


def example_names() -> list[str]:
    return [p.stem for p in example_paths()]


def load_example(name: str) -> str:
    """The text of example ``name`` (see :func:`example_names`)."""
    path = PROGRAM_DIR / f"{name}.py"
    if not path.is_file():
        raise KeyError(f"no example {name!r}; examples: {', '.join(example_names())}")
    return path.read_text()
