"""Save and load a MeshCoder as one self-describing folder::

    meshcoder.json               format version, the MeshCoderConfig, what the folder holds
    shape_tokenizer.safetensors  shape tokenizer weights
    tokenizer/                   the text tokenizer (Hugging Face format)
    adapter/                     LoRA adapter (peft format), when the LLM trains with LoRA
    llm/                         full LLM weights (Hugging Face format), when they cannot be rebuilt

LLM weights are written when the LLM was fully fine-tuned or is random (``tiny``), or when asked
(``save_llm=True``). Otherwise (LoRA or frozen over a ``local``/``smollm2`` base) only the adapter is
saved and :func:`load_pretrained` rebuilds the base from the config (``llm_path`` overrides a local
folder that moved).
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM, AutoTokenizer

from meshcoder.models.llm import DTYPES, is_lora, load_base_llm, load_lora_adapter
from meshcoder.models.meshcoder import MeshCoder, MeshCoderConfig
from meshcoder.models.shape_tokenizer import ShapeTokenizer
from meshcoder.models.text_tokenizer import ensure_special_tokens

FORMAT = "meshcoder"
FORMAT_VERSION = 1
CONFIG_FILE = "meshcoder.json"
SHAPE_TOKENIZER_FILE = "shape_tokenizer.safetensors"


def save_pretrained(
    model: MeshCoder,
    folder: str | Path,
    save_llm: bool | None = None,
    storage_dtype: str | None = None,
    max_shard_size: str | int = "5GB",
) -> Path:
    """Write ``model`` to ``folder`` (created; existing files of the same names are replaced).

    Args:
        model: the model to save.
        folder: destination folder.
        save_llm: write the LLM's (base) weights; default: only when they cannot be rebuilt from the
            config (random ``tiny`` LLM, or full fine-tuning).
        storage_dtype: store floating-point weights in this dtype (``bfloat16`` halves a float32 model,
            e.g. for a model committed to a repository); loading casts them back to the config's dtype.
        max_shard_size: the LLM weights are split into files of at most this size (``"4MB"`` keeps every
            file of a committed model small); loading reads the shards back transparently.
    Returns:
        The folder.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    config = model.config
    lora = is_lora(model.llm)
    if save_llm is None:
        save_llm = config.llm.source == "tiny" or config.llm.finetune.mode == "full"
    if storage_dtype is not None and storage_dtype not in DTYPES:
        raise ValueError(f"storage_dtype {storage_dtype!r}: use one of {', '.join(DTYPES)}")
    cast = DTYPES[storage_dtype] if storage_dtype else None

    def stored(tensor: torch.Tensor) -> torch.Tensor:
        tensor = tensor.detach().cpu()
        return (tensor.to(cast) if cast is not None and tensor.is_floating_point() else tensor).contiguous()

    state = {k: stored(v) for k, v in model.shape_tokenizer.state_dict().items()}
    save_file(state, folder / SHAPE_TOKENIZER_FILE, metadata={"format": "pt"})
    model.tokenizer.save_pretrained(folder / "tokenizer")
    if lora:
        model.llm.save_pretrained(folder / "adapter")
    if save_llm:
        base = model.llm.get_base_model() if lora else model.llm
        # Under peft the base's state dict names wrapped layers ``*.base_layer.*`` and holds the LoRA
        # tensors; store plain base weights so the folder loads without peft.
        state = base.state_dict()
        if lora:
            state = {k.replace(".base_layer.", "."): v for k, v in state.items() if "lora_" not in k}
        state = {k: stored(v) for k, v in state.items()}
        base.save_pretrained(folder / "llm", state_dict=state, max_shard_size=max_shard_size)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "config": config.to_dict(),
        "adapter": lora,
        "llm_weights": save_llm,
        "storage_dtype": storage_dtype or "as trained",
    }
    (folder / CONFIG_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    return folder


def read_config(folder: str | Path) -> MeshCoderConfig:
    """The :class:`MeshCoderConfig` stored in a checkpoint folder."""
    return MeshCoderConfig.from_dict(_manifest(Path(folder))["config"])


def load_pretrained(
    folder: str | Path,
    device: str | torch.device = "cpu",
    llm_path: str | None = None,
    dtype: str | None = None,
    trainable: bool = False,
) -> MeshCoder:
    """Rebuild a MeshCoder saved by :func:`save_pretrained`.

    Args:
        folder: the checkpoint folder.
        device: where to put the model.
        llm_path: a local LLM folder to use as the base instead of the one in the config (a checkpoint
            saved on another machine); ignored when the folder holds the LLM's weights.
        dtype: LLM dtype override (``float32``, ``bfloat16``, ``float16``).
        trainable: keep the LoRA adapter trainable (resume training); default eval mode for inference.
    """
    folder = Path(folder)
    manifest = _manifest(folder)
    config = MeshCoderConfig.from_dict(manifest["config"])
    llm_config = config.llm
    if llm_path is not None:
        llm_config = llm_config.replace(source="local", path=str(llm_path))
    if dtype is not None:
        llm_config = llm_config.replace(dtype=dtype)
    config = config.replace(llm=llm_config)

    tokenizer = ensure_special_tokens(AutoTokenizer.from_pretrained(folder / "tokenizer"))
    if manifest["llm_weights"]:
        llm = AutoModelForCausalLM.from_pretrained(folder / "llm", dtype=DTYPES[llm_config.dtype])
    else:
        llm = load_base_llm(llm_config, tokenizer)
    if manifest["adapter"]:
        llm = load_lora_adapter(llm, folder / "adapter", trainable)
    else:
        llm.requires_grad_(llm_config.finetune.mode == "full")

    shape_tokenizer = ShapeTokenizer(config.shape_tokenizer)
    missing, unexpected = shape_tokenizer.load_state_dict(
        load_file(folder / SHAPE_TOKENIZER_FILE), strict=False
    )
    if missing or unexpected:
        raise ValueError(
            f"{folder / SHAPE_TOKENIZER_FILE} does not match the shape tokenizer config (missing: "
            f"{missing[:5]}, unexpected: {unexpected[:5]}); the checkpoint is damaged or from another version"
        )
    model = MeshCoder(config, shape_tokenizer, llm, tokenizer).to(device)
    if not trainable:
        model.requires_grad_(False)
    return model.train() if trainable else model.eval()


def _manifest(folder: Path) -> dict:
    path = folder / CONFIG_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"{folder} is not a MeshCoder checkpoint (no {CONFIG_FILE}); save one with "
            "meshcoder.models.save_pretrained"
        )
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT or manifest.get("version", 0) > FORMAT_VERSION:
        raise ValueError(
            f"{path} is format {manifest.get('format')!r} version {manifest.get('version')}; this code reads "
            f"{FORMAT!r} up to version {FORMAT_VERSION}: upgrade meshcoder"
        )
    return manifest
