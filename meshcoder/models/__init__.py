"""Models: the shape tokenizer, the causal LLM, and MeshCoder that joins them (prompt, loss,
generation, checkpoints). No file I/O beyond :func:`save_pretrained` / :func:`load_pretrained`, no
knowledge of datasets, no training loop.

Names load on first use, so ``import meshcoder.models.shape_tokenizer`` does not import transformers.

    from meshcoder.models import MeshCoderConfig, build_meshcoder, collate, save_pretrained

    model = build_meshcoder(MeshCoderConfig.tiny(), training_texts=programs)
    batch = collate(model.template, point_clouds, programs, normals=normals)
    model(**batch.as_dict()).loss.backward()
    texts = model.generate(point_clouds, normals=normals, max_new_tokens=300)
    save_pretrained(model, "runs/tiny/checkpoint")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# public name -> module under meshcoder.models
_EXPORTS = {
    "ShapeTokenizer": "shape_tokenizer",
    "ShapeTokenizerConfig": "shape_tokenizer",
    "count_parameters": "shape_tokenizer",
    "LLMConfig": "llm",
    "TinyLLMConfig": "llm",
    "FinetuneConfig": "llm",
    "build_llm": "llm",
    "load_base_llm": "llm",
    "load_tokenizer": "llm",
    "apply_finetune": "llm",
    "smollm2_folder": "llm",
    "smollm2_gguf_path": "llm",
    "default_cache_dir": "llm",
    "build_program_tokenizer": "program_tokenizer",
    "train_bpe_tokenizer": "text_tokenizer",
    "load_llama32_tokenizer": "text_tokenizer",
    "llama32_tokenizer_folder": "text_tokenizer",
    "count_tokens": "text_tokenizer",
    "token_counter": "text_tokenizer",
    "ensure_special_tokens": "text_tokenizer",
    "PromptConfig": "prompt",
    "PromptTemplate": "prompt",
    "MeshCoderBatch": "prompt",
    "collate": "prompt",
    "IGNORE_INDEX": "prompt",
    "GenerationConfig": "generation",
    "GeneratedTokens": "generation",
    "generate_from_embeddings": "generation",
    "MeshCoder": "meshcoder",
    "MeshCoderConfig": "meshcoder",
    "MeshCoderOutput": "meshcoder",
    "build_meshcoder": "meshcoder",
    "save_pretrained": "checkpoint",
    "load_pretrained": "checkpoint",
    "read_config": "checkpoint",
}

__all__ = [
    "IGNORE_INDEX",
    "FinetuneConfig",
    "GeneratedTokens",
    "GenerationConfig",
    "LLMConfig",
    "MeshCoder",
    "MeshCoderBatch",
    "MeshCoderConfig",
    "MeshCoderOutput",
    "PromptConfig",
    "PromptTemplate",
    "ShapeTokenizer",
    "ShapeTokenizerConfig",
    "TinyLLMConfig",
    "apply_finetune",
    "build_llm",
    "build_meshcoder",
    "build_program_tokenizer",
    "collate",
    "count_parameters",
    "count_tokens",
    "default_cache_dir",
    "ensure_special_tokens",
    "generate_from_embeddings",
    "llama32_tokenizer_folder",
    "load_base_llm",
    "load_llama32_tokenizer",
    "load_pretrained",
    "load_tokenizer",
    "read_config",
    "save_pretrained",
    "smollm2_folder",
    "smollm2_gguf_path",
    "token_counter",
    "train_bpe_tokenizer",
]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'meshcoder.models' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"meshcoder.models.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from meshcoder.models.checkpoint import load_pretrained, read_config, save_pretrained
    from meshcoder.models.generation import GeneratedTokens, GenerationConfig, generate_from_embeddings
    from meshcoder.models.llm import (
        FinetuneConfig,
        LLMConfig,
        TinyLLMConfig,
        apply_finetune,
        build_llm,
        default_cache_dir,
        load_base_llm,
        load_tokenizer,
        smollm2_folder,
        smollm2_gguf_path,
    )
    from meshcoder.models.meshcoder import MeshCoder, MeshCoderConfig, MeshCoderOutput, build_meshcoder
    from meshcoder.models.program_tokenizer import build_program_tokenizer
    from meshcoder.models.prompt import (
        IGNORE_INDEX,
        MeshCoderBatch,
        PromptConfig,
        PromptTemplate,
        collate,
    )
    from meshcoder.models.shape_tokenizer import ShapeTokenizer, ShapeTokenizerConfig, count_parameters
    from meshcoder.models.text_tokenizer import (
        count_tokens,
        ensure_special_tokens,
        llama32_tokenizer_folder,
        load_llama32_tokenizer,
        token_counter,
        train_bpe_tokenizer,
    )
