"""``python -m meshcoder.cli.vocab``: regenerate the program tokenizer's word list
(``meshcoder/models/program_vocab.txt``) from every generator and the shipped examples, or print the
vocabulary size.

    python -m meshcoder.cli.vocab --write-vocab
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from meshcoder.data.tokens import vocabulary_programs
from meshcoder.models.program_tokenizer import (
    VOCAB_FILE,
    VOCAB_SEEDS,
    build_program_tokenizer,
    collect_vocab,
    write_vocab,
)


def main(argv: Sequence[str] | None = None) -> None:
    """``--write-vocab``: regenerate ``program_vocab.txt``; otherwise print the vocabulary size."""
    parser = argparse.ArgumentParser(prog="python -m meshcoder.cli.vocab", description=__doc__)
    parser.add_argument("--write-vocab", action="store_true", help="regenerate the word list")
    parser.add_argument("--seeds", type=int, default=VOCAB_SEEDS, help="seeds per generator")
    parser.add_argument("--out", type=Path, default=VOCAB_FILE, help="where the list goes")
    args = parser.parse_args(argv)
    if args.write_vocab:
        vocab = collect_vocab(vocabulary_programs(args.seeds))
        path = write_vocab(vocab, args.out)
        print(
            f"wrote {path}: {len(vocab.functions)} functions, {len(vocab.keywords)} keywords, "
            f"{len(vocab.words)} words"
        )
    print(f"vocabulary: {len(build_program_tokenizer(args.out))} tokens")


if __name__ == "__main__":
    main()
