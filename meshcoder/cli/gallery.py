"""A picture gallery of the generators (``make gallery``): one PNG per generator with several seeds side
by side, and an ``index.md`` that shows them all, so a person sees at a glance that a chair looks like a
chair.

    python -m meshcoder.cli.gallery                          # every generator, 4 seeds
    python -m meshcoder.cli.gallery --names Chair Vase Boolean --seeds 6 --out experiments/gallery

Programs are executed and rendered in Blender workers (Cycles on the CPU); a seed whose program fails
gets a grey tile with the reason. The work is :func:`meshcoder.data.gallery.make_gallery`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from meshcoder.data.gallery import make_gallery


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m meshcoder.cli.gallery``: see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m meshcoder.cli.gallery",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", default="experiments/gallery", help="output folder")
    parser.add_argument("--seeds", type=int, default=4, help="seeds per generator")
    parser.add_argument("--names", nargs="*", default=None, help="generators (default: all)")
    parser.add_argument("--resolution", type=int, default=256, help="tile size in pixels")
    parser.add_argument("--workers", type=int, default=None, help="Blender workers (default: one per core)")
    args = parser.parse_args(argv)
    out = make_gallery(args.out, args.seeds, args.names, args.resolution, args.workers)
    print(f"gallery written to {out / 'index.md'}")


if __name__ == "__main__":
    main()
