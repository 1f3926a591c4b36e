"""``meshcoder pack MODEL -o OUT``: rewrite a model folder compactly (weights in bfloat16 by default), e.g.
to commit a trained model to a repository or ship it in a package. Loading casts the weights back."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from meshcoder.cli import CLIError
from meshcoder.cli.arguments import check_writable_folder, positive_int


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("pack", help="rewrite a model folder with compact weights", description=__doc__)
    p.add_argument("model", type=Path, help="a model folder (save_pretrained / a training run's model/)")
    p.add_argument("-o", "--output", type=Path, required=True, help="the folder to write (replaced)")
    p.add_argument("--dtype", default="bfloat16", choices=("bfloat16", "float16", "float32"),
                   help="storage dtype of the weights (default: bfloat16)")  # fmt: skip
    p.add_argument("--note", type=Path, default=None, help="a text file copied into the folder as README.md")
    p.add_argument(
        "--retrieval",
        type=Path,
        default=None,
        metavar="INDEX_OR_DATASET",
        help="add a compact retrieval index (predict's fallback): a saved index folder or a dataset",
    )
    p.add_argument("--retrieval-per-category", type=positive_int, default=12, metavar="N",
                   help="records per category in that index (default: 12)")  # fmt: skip
    p.add_argument("--retrieval-points", type=positive_int, default=512, metavar="N",
                   help="points per indexed cloud (default: 512)")  # fmt: skip
    return p


def run(args) -> int:
    from meshcoder.models import load_pretrained, save_pretrained

    if not (args.model / "meshcoder.json").is_file():
        raise CLIError(f"{args.model} is not a model folder (no meshcoder.json)")
    if args.output.resolve() == args.model.resolve():
        raise CLIError("write the packed model to another folder (-o)")
    if args.note is not None and not args.note.is_file():
        raise CLIError(f"--note {args.note}: no such file")
    if args.retrieval is not None and not args.retrieval.is_dir():
        raise CLIError(f"--retrieval {args.retrieval}: no such folder (an index or a dataset)")
    check_writable_folder(args.output.parent, "-o", target=args.output)
    model = load_pretrained(args.model)
    tmp = args.output.with_name(args.output.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    # Shards of at most 4 MB: a model committed to git stays in small files.
    save_pretrained(model, tmp, storage_dtype=args.dtype, max_shard_size="4MB")
    for extra in ("train_config.yaml", "SOURCE.txt"):
        if (args.model / extra).is_file():
            shutil.copy2(args.model / extra, tmp / extra)
    if args.note is not None:
        shutil.copy2(args.note, tmp / "README.md")
    if args.retrieval is not None:
        _add_retrieval(args, tmp / "retrieval")
    shutil.rmtree(args.output, ignore_errors=True)
    tmp.rename(args.output)
    size = sum(f.stat().st_size for f in args.output.rglob("*") if f.is_file())
    print(f"{args.output}: {size / 2**20:.1f} MiB ({args.dtype} weights)")
    return 0


def _add_retrieval(args, folder: Path) -> None:
    """Write the compact retrieval index ``meshcoder predict`` falls back on."""
    from meshcoder.evaluation.retrieval import RECORDS_FILE, RetrievalBaseline, RetrievalError

    try:
        if (args.retrieval / RECORDS_FILE).is_file():
            index = RetrievalBaseline.load(args.retrieval)
        else:
            index = RetrievalBaseline.from_dataset(args.retrieval, split="train")
        index.subset(args.retrieval_per_category, args.retrieval_points).save(folder)
    except RetrievalError as err:
        raise CLIError(f"--retrieval {args.retrieval}: {err}") from None
