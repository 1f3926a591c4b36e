"""Constrained against unconstrained generation on this machine's CPU. Prints a markdown table of:

1. the program grammar's compile time for each tokenizer we ship (cold: xgrammar's cache off, ours
   bypassed);
2. the grammar constraint's time per decoding step at batch 8, walked over 8 whole real programs (the
   generators'), so every state a program passes through is timed, part checks included (rows that
   have ended cost little, as in ``generate``);
3. generation tokens per second of a tiny random MeshCoder, batch 8, 300 new tokens, with and without
   the constraint, over the program tokenizer (the BPE when it is missing) and over Llama-3.2's
   128k vocabulary.

    .venv/bin/python experiments/bench_generation.py [--threads 1] [--tokens 300] [--batch 8]

Times are medians of wall-clock and of this process's CPU time (see ``bench_training.py``: on a shared
machine the CPU-time figures are what an idle core would do). A random model writes junk, so in (3)
the constraint mostly sees the free text of comments; (2) is the figure for real programs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import torch
import xgrammar as xgr
from transformers import PreTrainedTokenizerBase

sys.path.insert(0, str(Path(__file__).parent))
from bench_training import Timing, timed

from meshcoder.data.categories import generate_program
from meshcoder.models import LLMConfig, MeshCoderConfig, build_meshcoder, load_llama32_tokenizer
from meshcoder.models.constraints import ProgramConstraint, ProgramGrammar, compile_program_grammar
from meshcoder.models.llm import SMOLLM2_CACHE_NAME, default_cache_dir
from meshcoder.shapes.grammar import program_grammar

CATEGORIES = ("Chair", "Lamp", "Bowl", "TableDining", "Sofa", "Window", "Translation", "BridgeLoop")


def tokenizers() -> dict[str, PreTrainedTokenizerBase]:
    """Every tokenizer available here: the tiny BPE, the program tokenizer, Llama-3.2's, SmolLM2's."""
    from meshcoder.models import train_bpe_tokenizer

    out = {"BPE (tiny LLM)": train_bpe_tokenizer(programs(40), vocab_size=512)}
    try:
        from meshcoder.models.program_tokenizer import build_program_tokenizer

        out["program tokenizer"] = build_program_tokenizer()
    except ImportError:
        pass
    out["Llama-3.2"] = load_llama32_tokenizer()
    smollm2 = default_cache_dir() / SMOLLM2_CACHE_NAME
    if (smollm2 / "tokenizer.json").is_file():
        from transformers import AutoTokenizer

        out["SmolLM2"] = AutoTokenizer.from_pretrained(smollm2)
    return out


def programs(n: int) -> list[str]:
    return [generate_program(CATEGORIES[i % len(CATEGORIES)], i) for i in range(n)]


def cold_compile(tokenizer: PreTrainedTokenizerBase) -> float:
    """Seconds to build the tokenizer info and compile the grammar, no cache anywhere."""
    start = time.perf_counter()
    info = xgr.TokenizerInfo.from_huggingface(tokenizer)
    xgr.GrammarCompiler(info, cache_enabled=False).compile_grammar(program_grammar())
    return time.perf_counter() - start


def mask_step_time(tokenizer: PreTrainedTokenizerBase, batch: int) -> tuple[Timing, Timing, int]:
    """Median and mean time of one constraint step at ``batch`` rows, each row a whole real program
    then EOS and padding as ``generate`` leaves it (the mean holds the part checks), and the steps."""
    grammar: ProgramGrammar = compile_program_grammar(tokenizer)
    rows = [
        tokenizer(p, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
        for p in programs(batch)
    ]
    steps = max(len(r) for r in rows)
    ids = torch.tensor([r + [tokenizer.pad_token_id] * (steps - len(r)) for r in rows])
    constraint = ProgramConstraint(grammar)
    scores = torch.zeros(batch, grammar.vocab_size)
    walls, cpus = [], []
    for n in range(steps):
        w0, c0 = time.perf_counter(), time.process_time()
        constraint(ids[:, :n], scores.clone())
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    median = Timing(sorted(walls)[steps // 2], sorted(cpus)[steps // 2])
    return median, Timing(sum(walls) / steps, sum(cpus) / steps), steps


def generation_speed(model, batch: int, tokens: int, constrained: bool) -> Timing:
    """Seconds to generate ``tokens`` steps for ``batch`` random clouds (sampling, so rows differ)."""
    g = torch.Generator().manual_seed(0)
    pts = [torch.rand(2048, 3, generator=g) - 0.5 for _ in range(batch)]

    steps = []

    def run() -> None:
        processors = [model.program_constraint()] if constrained else []
        out = model.generate_tokens(
            pts, max_new_tokens=tokens, do_sample=True, generator=0, logits_processors=processors
        )
        steps.append(out.ids.shape[1])

    timing = timed(run, repeats=1)
    # A row that ends early still costs its steps (generate pads it), so tokens = steps x rows.
    scale = steps[-1] / tokens
    return Timing(timing.wall / scale, timing.cpu / scale)


def tiny_model(tokenizer: PreTrainedTokenizerBase, hidden: int = 64):
    torch.manual_seed(0)
    config = MeshCoderConfig.tiny("frozen").replace(llm=LLMConfig.tiny_random("frozen", hidden_size=hidden))
    model = build_meshcoder(config, tokenizer=tokenizer).eval()
    with torch.no_grad():
        for p in model.llm.parameters():
            if p.dim() == 2:
                p.normal_(0, 0.1)  # a fresh model's 0.02 weights write one token over and over
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=300)
    parser.add_argument("--batch", type=int, default=8)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    toks = tokenizers()
    lines = [
        f"One torch thread per process unless --threads; load average {os.getloadavg()[0]:.1f}.",
        "",
        "| measurement | wall | CPU time |",
        "|---|---:|---:|",
    ]
    for name, tok in toks.items():
        seconds = cold_compile(tok)
        lines.append(f"| grammar compile, {name} ({len(tok):,} tokens) | {seconds:.2f} s | |")
    for name, tok in toks.items():
        median, mean, steps = mask_step_time(tok, args.batch)
        lines.append(
            f"| constraint step, batch {args.batch}, real programs, {name}: median / mean of {steps} | "
            f"{median.wall * 1e3:.2f} / {mean.wall * 1e3:.2f} ms | {median.cpu * 1e3:.2f} / "
            f"{mean.cpu * 1e3:.2f} ms |"
        )
    program_tok = toks.get("program tokenizer") or toks["BPE (tiny LLM)"]
    program_name = "program tokenizer" if "program tokenizer" in toks else "BPE"
    for name, tok in ((program_name, program_tok), ("Llama-3.2 vocabulary", toks["Llama-3.2"])):
        model = tiny_model(tok)
        free = generation_speed(model, args.batch, args.tokens, constrained=False)
        held = generation_speed(model, args.batch, args.tokens, constrained=True)
        rate = args.batch * args.tokens
        lines.append(
            f"| tiny generation, {name}, batch {args.batch}, {args.tokens} tokens: unconstrained / "
            f"constrained | {rate / free.wall:,.0f} / {rate / held.wall:,.0f} tok/s | "
            f"{rate / free.cpu:,.0f} / {rate / held.cpu:,.0f} tok/s |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
