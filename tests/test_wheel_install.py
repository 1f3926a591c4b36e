"""The package as a user installs it: a wheel built from the sources, installed into a fresh virtual
environment outside the checkout, finds its configs through Hydra's search path (``meshcoder.conf``), and
its commands write data and runs into the working directory, never into the installed package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: What the wheel is built from (copied, so the build leaves no build/ or egg-info in the checkout).
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "meshcoder", "conf")


def _listed_packages() -> set[str]:
    return set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])


def test_every_package_folder_is_listed_in_pyproject():
    # The package list is written out (meshcoder.conf is mapped from conf/), so a new sub-package or config
    # group must be added there or it is missing from the wheel.
    found = {"meshcoder.conf"}
    for folder in (REPO / "meshcoder").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py")):
            found.add(".".join(folder.relative_to(REPO).parts))
    for folder in (REPO / "conf").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.rglob("*.yaml")):
            found.add(".".join(("meshcoder", *folder.relative_to(REPO).parts)))
    found.add("meshcoder")
    assert found == _listed_packages(), (
        f"add {sorted(found - _listed_packages())} / remove {sorted(_listed_packages() - found)} in "
        "[tool.setuptools] packages of pyproject.toml"
    )


def _run(args: list, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900) -> str:
    """Run a command; its output, or a failure that shows it."""
    args = [str(a) for a in args]
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A fresh virtual environment holding the wheel of this checkout; its other dependencies are this
    environment's (a ``.pth`` file), so nothing is downloaded."""
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    src.mkdir()
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif path.is_file():
            shutil.copy2(path, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", root / "wheels", src], root)
    (wheel,) = (root / "wheels").glob("meshcoder-*.whl")

    venv = root / "venv"
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], root)
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], root).strip())
    (site / "reuse_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([*pip, "--python", python, "install", "--no-deps", "--no-index", wheel], root)

    work, home = root / "work", root / "home"
    work.mkdir()
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "MESHCODER_", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), PATH=f"{venv / 'bin'}:{env['PATH']}")
    where = _run([python, "-c", "import meshcoder; print(meshcoder.__file__)"], work, env)
    return {
        "bin": venv / "bin",
        "site": site,
        "package": Path(where.strip()).parent,
        "work": work,
        "env": env,
    }


@pytest.mark.slow
def test_installed_wheel_is_the_one_imported(installed):
    package = installed["package"]
    assert package.is_relative_to(installed["site"]), f"meshcoder imported from {package}, not the new venv"
    assert not package.is_relative_to(REPO)
    configs = package / "conf"
    assert (configs / "train.yaml").is_file() and (configs / "debug" / "fdr.yaml").is_file()
    assert (configs / "hydra" / "launcher" / "train_local.yaml").is_file()
    # Hydra finds eval.yaml in the installed package too.
    command = [installed["bin"] / "meshcoder-eval", "dataset=somewhere", "--cfg", "job"]
    out = _run(command, installed["work"], installed["env"], timeout=120)
    assert "dataset: somewhere" in out and "selection:" in out


@pytest.mark.slow
def test_installed_commands_write_only_into_the_working_directory(installed):
    bin_, work, env = installed["bin"], installed["work"], installed["env"]
    before = _snapshot(installed["package"])

    # The object stage only, in debug mode: it makes its own few objects in Blender, one batch each way.
    train = ["experiment=tiny_cpu", "debug=fdr", "stages.text=null", "stages.part=null"]
    quiet = ["generate_data.workers=1", "generate_data.progress=false"]
    _run([bin_ / "meshcoder-train", *train, *quiet], work, env)
    (run,) = (work / "runs" / "tiny_cpu").glob("20*")
    assert (run / "model" / "meshcoder.json").is_file() and (run / "train.log").is_file()
    assert (work / "runs" / "tiny_cpu" / "latest" / "model" / "meshcoder.json").is_file()
    (debug_data,) = (work / "data").glob("tiny_cpu-debug-*")
    assert (debug_data / "train.json").is_file()

    datagen = ["categories=[Chair,Vase]", "n_per_category=1", "workers=1", "progress=false"]
    _run([bin_ / "meshcoder-datagen", *datagen], work, env)
    generated = work / "data" / "generated"
    assert (generated / "COMPLETE.json").is_file() and (generated / "datagen.json").is_file()
    assert list((generated / "logs").glob("*/datagen.log"))

    after = _snapshot(installed["package"])
    changed = sorted(set(after.items()) - set(before.items()))
    assert after == before, f"written into the installed package: {changed}"
