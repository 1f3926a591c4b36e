"""Program length in tokens: the designed program tokenizer against Llama-3.2 (the paper's tokenizer).

    .venv/bin/python experiments/bench_tokenizer.py [--seeds 50] [--repeats 3] [--out FILE.md]

For each of the 41 object categories, ``--seeds`` programs are generated (not executed) and encoded by
both tokenizers without special tokens; the table gives mean tokens per program, the ratio, and
characters per token. Encode speed is the best of ``--repeats`` batch encodes of all the programs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from transformers import PreTrainedTokenizerBase

from meshcoder.data.categories import CATEGORIES, generate_program
from meshcoder.models.program_tokenizer import build_program_tokenizer
from meshcoder.models.text_tokenizer import load_llama32_tokenizer


def token_counts(tokenizer: PreTrainedTokenizerBase, texts: Sequence[str]) -> np.ndarray:
    """Tokens per text, no special tokens."""
    return np.array([len(ids) for ids in tokenizer(list(texts), add_special_tokens=False)["input_ids"]])


def encode_speed(tokenizer: PreTrainedTokenizerBase, texts: Sequence[str], repeats: int) -> float:
    """Programs per second of a batch encode (best of ``repeats``)."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        tokenizer(list(texts), add_special_tokens=False)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark, print the markdown report and return it."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--seeds", type=int, default=50, help="programs per category")
    parser.add_argument("--repeats", type=int, default=3, help="timed encodes (best is kept)")
    parser.add_argument("--out", type=Path, default=None, help="also write the report to this file")
    args = parser.parse_args(argv)

    ours, llama = build_program_tokenizer(), load_llama32_tokenizer()
    texts: dict[str, list[str]] = {}
    for i, name in enumerate(CATEGORIES, start=1):
        print(f"[{i}/{len(CATEGORIES)}] generating {name}", file=sys.stderr, flush=True)
        texts[name] = [generate_program(name, seed) for seed in range(args.seeds)]

    rows = []
    for name, programs in texts.items():
        a, b = token_counts(ours, programs), token_counts(llama, programs)
        chars = np.mean([len(t) for t in programs])
        rows.append((name, chars, a.mean(), b.mean()))
    rows.sort(key=lambda r: -r[3])
    everything = [t for programs in texts.values() for t in programs]
    mean_chars = float(np.mean([len(t) for t in everything]))
    mean_ours = float(token_counts(ours, everything).mean())
    mean_llama = float(token_counts(llama, everything).mean())
    speed_ours = encode_speed(ours, everything, args.repeats)
    speed_llama = encode_speed(llama, everything, args.repeats)

    lines = [
        f"Program tokenizer ({len(ours)} tokens) against Llama-3.2 ({len(llama)} tokens), "
        f"{args.seeds} programs per category, {len(everything)} in all, no special tokens.",
        "",
        "| category | chars | ours | Llama-3.2 | ours / Llama | chars per token (ours) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, chars, a, b in rows:
        lines.append(f"| {name} | {chars:,.0f} | {a:,.1f} | {b:,.1f} | {a / b:.3f} | {chars / a:.2f} |")
    lines.append(
        f"| **all** | {mean_chars:,.0f} | **{mean_ours:,.1f}** | **{mean_llama:,.1f}** | "
        f"**{mean_ours / mean_llama:.3f}** | {mean_chars / mean_ours:.2f} |"
    )
    lines += [
        "",
        f"Encode speed (batch of {len(everything)}, best of {args.repeats}): ours "
        f"{speed_ours:,.0f} programs/s ({speed_ours * mean_ours:,.0f} tokens/s), Llama-3.2 "
        f"{speed_llama:,.0f} programs/s ({speed_llama * mean_llama:,.0f} tokens/s).",
    ]
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.write_text(report + "\n")
    return report


if __name__ == "__main__":
    main()
