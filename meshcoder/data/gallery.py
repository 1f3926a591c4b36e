"""A picture gallery of the generators: one PNG per generator with several seeds side by side, and an
``index.md`` that shows them all, so a person sees at a glance that a chair looks like a chair. The
command is ``python -m meshcoder.cli.gallery`` (``make gallery``).

Programs are executed and rendered in Blender workers (Cycles on the CPU); a seed whose program fails
gets a grey tile with the reason. Tiles are joined with Pillow.
"""

from __future__ import annotations

import tempfile
import textwrap
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from meshcoder.data.categories import generate_program, generators
from meshcoder.data.generators.parts import PART_TYPES
from meshcoder.data.ordering import order_parts
from meshcoder.shapes.executor import ExecutorPool
from meshcoder.shapes.program import parse


def _tile(path: Path | None, size: int, caption: str, failure: str | None = None):
    """A square tile: the rendered picture (or a grey failure card) with a caption strip."""
    from PIL import Image, ImageDraw

    if path is not None and path.is_file():
        image = Image.open(path).convert("RGB").resize((size, size))
    else:
        image = Image.new("RGB", (size, size), (200, 200, 200))
        lines = textwrap.wrap(f"failed: {failure or 'unknown'}", width=max(10, size // 7))[:8]
        ImageDraw.Draw(image).multiline_text((6, 24), "\n".join(lines), fill=(120, 0, 0))
    ImageDraw.Draw(image).text((6, 4), caption, fill=(30, 30, 30))
    return image


def _render_one(
    pool: ExecutorPool, name: str, seed: int, folder: Path, resolution: int
) -> tuple[Path | None, str]:
    """Run the program of (name, seed) and render its parts in the spec's order; (png or None, status)."""
    try:
        source = generate_program(name, seed)
    except Exception as err:  # a generator bug shows as a failure tile, not a crash of the gallery
        return None, f"generator error: {type(err).__name__}: {err}"
    result = pool.run(source)
    if not result.ok:
        return None, result.reason
    parts = result.parts
    try:
        _, renaming = order_parts(parse(source), parts)
        # Colours go by position: put part objects in their new order, anything else after them.
        position = {old: int(new.rsplit("_", 1)[1]) for old, new in renaming.items()}
        parts = {n: parts[n] for n in sorted(parts, key=lambda n: position.get(n, len(parts) + 1))}
    except ValueError:
        pass  # unordered colours are still a fine picture
    png = folder / f"{name}_{seed}.png"
    pool.render(parts, png, resolution=resolution)
    return png, "ok"


def make_gallery(
    out_dir: str | Path = "experiments/gallery",
    seeds: int = 4,
    names: Sequence[str] | None = None,
    resolution: int = 256,
    workers: int | None = None,
) -> Path:
    """Render ``seeds`` seeds of every generator in ``names`` (default: every registered one, part
    types last) into ``<out_dir>/<name>.png`` and write ``<out_dir>/index.md``. Returns ``out_dir``."""
    from PIL import Image

    table = generators()
    names = list(names) if names is not None else [n for n in table if n not in PART_TYPES] + list(PART_TYPES)
    unknown = [n for n in names if n not in table]
    if unknown:
        raise KeyError(f"no generator for {unknown}; registered: {', '.join(table)}")
    if seeds < 1:
        raise ValueError(f"seeds must be >= 1, got {seeds}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with ExecutorPool(num_workers=workers, timeout=60.0) as pool, tempfile.TemporaryDirectory() as tmp:
        from tqdm.auto import tqdm

        jobs = [(n, s) for n in names for s in range(seeds)]
        with ThreadPoolExecutor(max_workers=pool.num_workers) as threads:
            futures = {job: threads.submit(_render_one, pool, *job, Path(tmp), resolution) for job in jobs}
            done = {}
            for job, fut in tqdm(futures.items(), desc="gallery", unit="picture"):
                done[job] = fut.result()
        for name in names:
            tiles, failures = [], []
            for seed in range(seeds):
                png, status = done[(name, seed)]
                tiles.append(_tile(png, resolution, f"{name} seed {seed}", None if png else status))
                if png is None:
                    failures.append(f"seed {seed}: {status}")
            strip = Image.fromarray(np.concatenate([np.asarray(t) for t in tiles], axis=1))
            strip.save(out / f"{name}.png")
            rows.append((name, failures))
    lines = [
        "# Generator gallery",
        "",
        f"{seeds} seeds per generator (seed 0 on the left), rendered by `python -m meshcoder.cli.gallery`.",
        "Part colours follow the part order (bottom to top).",
        "",
    ]
    for name, failures in rows:
        lines += [f"## {name}", "", f"![{name}]({name}.png)", ""]
        lines += [f"* failed {f}" for f in failures] + ([""] if failures else [])
    (out / "index.md").write_text("\n".join(lines))
    return out
