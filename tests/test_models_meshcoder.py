"""MeshCoder on a tiny config: prompt and labels, loss and gradients, generation (cache, batching,
padding, sampling) and the save/load round trip."""

from __future__ import annotations

import json

import pytest
import torch

from meshcoder.models import (
    IGNORE_INDEX,
    GenerationConfig,
    MeshCoderConfig,
    build_meshcoder,
    collate,
    generate_from_embeddings,
    load_pretrained,
    read_config,
    save_pretrained,
)

pytestmark = pytest.mark.usefixtures("single_torch_thread")

PROGRAMS = [
    "import bpy\nfrom math import radians, pi\nfrom bpy_lib import *\n\ndelete_all()\n"
    + "".join(
        f"create_primitive(name='part_{j}', primitive_type='cube', location=[{0.1 * i:.2f}, {-0.05 * j:.2f}, 0.3], "
        f"scale=[0.2, 0.1, {0.05 * (i + 1):.2f}])\n"
        for j in range(i % 3 + 1)
    )
    for i in range(6)
]


def clouds(sizes: list[int], seed: int = 0) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    g = torch.Generator().manual_seed(seed)
    pts = [torch.rand(n, 3, generator=g) - 0.5 for n in sizes]
    nrm = [torch.nn.functional.normalize(torch.randn(n, 3, generator=g), dim=-1) for n in sizes]
    return pts, nrm


def make_model(finetune: str = "lora"):
    torch.manual_seed(0)
    model = build_meshcoder(MeshCoderConfig.tiny(finetune), training_texts=PROGRAMS)
    with torch.no_grad():
        # A fresh model (std 0.02 weights) predicts the same token whatever the input; widen the LLM's
        # weights and make shapes and LoRA matter, so that equalities between paths are not trivial.
        model.shape_tokenizer.querier.proj.weight.normal_(0, 0.5)
        for name, p in model.llm.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.2)
            elif p.dim() == 2 and "lora_" not in name:
                p.normal_(0, 0.15)
    return model


@pytest.fixture(scope="module")
def model():
    return make_model().eval()


def test_labels_cover_only_the_program_and_eos(model):
    t = model.template
    pts, nrm = clouds([200, 300])
    batch = collate(t, pts, PROGRAMS[:2], normals=nrm)
    p, q = t.prompt_length, model.config.shape_tokenizer.num_queries
    assert batch.input_ids[:, 0].eq(t.bos_id).all()
    assert batch.shape_token_mask.sum(dim=1).tolist() == [q, q]
    assert batch.shape_token_mask[:, t.shape_positions()].all()
    assert (batch.labels[:, :p] == IGNORE_INDEX).all()  # prompt and shape positions
    for i, program in enumerate(PROGRAMS[:2]):
        ids = t.encode_program(program)
        n = p + len(ids)
        assert batch.labels[i, p:n].tolist() == ids  # program tokens then EOS
        assert ids[-1] == t.eos_id
        assert (batch.labels[i, n:] == IGNORE_INDEX).all()  # right padding
        assert batch.attention_mask[i].sum() == n
        assert t.decode_program(ids) == program
    # the decoded prompt is the paper's, shape placeholders aside
    prefix = model.tokenizer.decode(batch.input_ids[0, 1 : t.shape_positions().start])
    assert prefix == "Write Blender Python script according to the following instructions:\n"
    suffix = model.tokenizer.decode(batch.input_ids[0, t.shape_positions().stop : p])
    assert suffix == "\n---\nCode:\n"


def test_forward_backward_reaches_shape_tokenizer_and_lora_only():
    model = make_model().train()
    pts, nrm = clouds([150, 250, 200])
    batch = collate(model.template, pts, PROGRAMS[:3], normals=nrm)
    out = model(**batch.as_dict())
    assert out.loss.ndim == 0 and torch.isfinite(out.loss)
    assert out.num_tokens == int((batch.labels != IGNORE_INDEX).sum())
    out.loss.backward()
    for name, p in model.shape_tokenizer.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name
    lora = [(n, p) for n, p in model.llm.named_parameters() if "lora_" in n]
    assert lora and all(p.grad is not None for _, p in lora)
    assert any(p.grad.abs().sum() > 0 for n, p in lora if "lora_B" in n)
    frozen = [(n, p) for n, p in model.llm.named_parameters() if "lora_" not in n]
    assert frozen and all(not p.requires_grad and p.grad is None for _, p in frozen)


def test_loss_is_cross_entropy_over_program_tokens(model):
    pts, nrm = clouds([200])
    batch = collate(model.template, pts, PROGRAMS[:1], normals=nrm)
    full = model(**{**batch.as_dict(), "labels": None})  # all logits
    logits, labels = full.logits[0, :-1], batch.labels[0, 1:]
    keep = labels != IGNORE_INDEX
    expected = torch.nn.functional.cross_entropy(logits[keep], labels[keep])
    torch.testing.assert_close(model(**batch.as_dict()).loss, expected)


def test_batch_of_one_equals_batch_of_n_for_the_loss(model):
    pts, nrm = clouds([120, 300, 200, 260], seed=1)
    programs = PROGRAMS[:4]
    with torch.no_grad():
        batch = collate(model.template, pts, programs, normals=nrm)
        total = model(**batch.as_dict(), loss_reduction="sum").loss
        singles = [
            model(**collate(model.template, [p], [s], normals=[n]).as_dict(), loss_reduction="sum").loss
            for p, n, s in zip(pts, nrm, programs)
        ]
    torch.testing.assert_close(total, torch.stack(singles).sum(), rtol=1e-5, atol=1e-4)


def test_greedy_generation_equals_teacher_forced_argmax(model):
    pts, nrm = clouds([200, 300], seed=2)
    out = model.generate_tokens(pts, normals=nrm, max_new_tokens=12)
    t = model.template
    for i in range(2):
        generated = out.ids[i, : out.lengths[i]]
        batch = collate(t, [pts[i]], normals=[nrm[i]])
        ids = torch.cat([batch.input_ids[0], generated])[None]
        with torch.no_grad():
            logits = model(
                points=batch.points,
                normals=batch.normals,
                points_mask=batch.points_mask,
                input_ids=ids,
                attention_mask=torch.ones_like(ids),
                shape_token_mask=torch.nn.functional.pad(batch.shape_token_mask, (0, len(generated))),
            ).logits
        p = t.prompt_length
        assert logits[0, p - 1 : p - 1 + len(generated)].argmax(-1).tolist() == generated.tolist()


def recompute_greedy(llm, embeds: torch.Tensor, mask: torch.Tensor, steps: int) -> torch.Tensor:
    """Greedy decoding without a KV cache: the whole (left-padded) sequence is run again every step.
    The reference that cached decoding (``generate``) must match."""
    embed = llm.get_input_embeddings()
    mask = mask.long()
    tokens = []
    with torch.no_grad():
        for _ in range(steps):
            positions = (mask.cumsum(-1) - 1).clamp(min=0)
            logits = llm(
                inputs_embeds=embeds, attention_mask=mask, position_ids=positions, use_cache=False
            ).logits
            token = logits[:, -1].argmax(-1)
            tokens.append(token)
            embeds = torch.cat([embeds, embed(token[:, None]).to(embeds.dtype)], dim=1)
            mask = torch.cat([mask, mask.new_ones(len(mask), 1)], dim=1)
    return torch.stack(tokens, dim=1)


def test_kv_cache_and_no_cache_generate_the_same(model):
    pts, nrm = clouds([200, 300], seed=3)
    with_cache = model.generate_tokens(pts, normals=nrm, max_new_tokens=10)
    embeds, mask = model.prompt_embeddings(pts, nrm)
    without = recompute_greedy(model.llm, embeds, mask, with_cache.ids.shape[1])
    assert torch.equal(with_cache.ids, without)


def test_batch_of_one_equals_batch_of_n_for_generation(model):
    pts, nrm = clouds([150, 320, 240], seed=4)
    batched = model.generate(pts, normals=nrm, max_new_tokens=15, constrained=False)
    singles = [
        model.generate([p], normals=[n], max_new_tokens=15, constrained=False)[0] for p, n in zip(pts, nrm)
    ]
    assert batched == singles
    assert len(set(batched)) > 1  # the shapes lead to different programs, so the check means something


def test_generation_handles_left_padded_prompts(model):
    pts, nrm = clouds([200, 260], seed=5)
    embeds, mask = model.prompt_embeddings(pts, nrm)
    t = model.template
    config = GenerationConfig(max_new_tokens=8)
    # row 1 loses its first three prompt tokens, so the rows have different lengths
    short = embeds[1:, 3:]
    references = [
        generate_from_embeddings(model.llm, embeds[:1], mask[:1], [t.eos_id], t.pad_id, config).ids[0],
        generate_from_embeddings(model.llm, short, mask[1:, 3:], [t.eos_id], t.pad_id, config).ids[0],
    ]
    junk = torch.randn(1, 3, embeds.shape[-1])
    batch = torch.cat([embeds[:1], torch.cat([junk, short], dim=1)])
    batch_mask = mask.clone()
    batch_mask[1, :3] = 0
    cached = generate_from_embeddings(model.llm, batch, batch_mask, [t.eos_id], t.pad_id, config).ids
    for ids in (cached, recompute_greedy(model.llm, batch, batch_mask, config.max_new_tokens)):
        for row, reference in zip(ids, references):
            assert torch.equal(row[: len(reference)], reference)
    assert not torch.equal(references[0], references[1])


def test_generation_stops_at_eos_and_pads_after_it(model):
    pts, nrm = clouds([200, 260], seed=6)
    t = model.template
    first = model.generate_tokens(pts, normals=nrm, max_new_tokens=5)
    # make the row-0 first token an EOS: generation for that row ends at once, row 1 goes on
    embeds, mask = model.prompt_embeddings(pts, nrm)
    out = generate_from_embeddings(
        model.llm, embeds, mask, [int(first.ids[0, 0])], t.pad_id, GenerationConfig(max_new_tokens=5)
    )
    assert bool(out.finished[0]) and int(out.lengths[0]) == 1
    assert (out.ids[0, 1:] == t.pad_id).all()
    assert out.ids.shape[1] <= 5


def test_sampling_is_reproducible_and_top_k_1_is_greedy(model):
    pts, nrm = clouds([200, 260], seed=7)
    greedy = model.generate_tokens(pts, normals=nrm, max_new_tokens=10).ids
    sample = [
        model.generate_tokens(
            pts,
            normals=nrm,
            max_new_tokens=10,
            do_sample=True,
            temperature=1.5,
            top_p=0.95,
            generator=torch.Generator().manual_seed(s),
        ).ids
        for s in (0, 0, 1)
    ]
    assert torch.equal(sample[0], sample[1])
    assert not torch.equal(sample[0], sample[2])
    for settings in ({"top_k": 1}, {"top_p": 1e-6}):
        one = model.generate_tokens(
            pts,
            normals=nrm,
            max_new_tokens=10,
            do_sample=True,
            generator=torch.Generator().manual_seed(0),
            **settings,
        ).ids
        assert torch.equal(one, greedy)


def test_return_sequences_are_reproducible_samples_that_leave_the_global_rng_alone(model):
    pts, nrm = clouds([200, 260], seed=11)
    settings = {"normals": nrm, "max_new_tokens": 8, "do_sample": True, "temperature": 1.5}
    state = torch.get_rng_state()
    a = model.generate_tokens(pts, generator=5, num_return_sequences=3, **settings)
    assert torch.equal(torch.get_rng_state(), state)
    b = model.generate_tokens(pts, generator=5, num_return_sequences=3, **settings)
    assert a.ids.shape[0] == 6 and torch.equal(a.ids, b.ids)
    assert len({tuple(row.tolist()) for row in a.ids[:3]}) > 1  # three samples of one prompt
    with pytest.raises(ValueError, match="do_sample"):
        model.generate_tokens(pts, normals=nrm, max_new_tokens=4, num_return_sequences=2)


def test_padded_points_do_not_change_generation_or_loss(model):
    pts, nrm = clouds([180, 400], seed=8)
    # the same two clouds, given as one tensor padded with junk and a mask
    points = torch.full((2, 400, 3), 0.4)
    normals = torch.zeros(2, 400, 3)
    mask = torch.zeros(2, 400, dtype=torch.bool)
    for i, (p, n) in enumerate(zip(pts, nrm)):
        points[i, : len(p)], normals[i, : len(p)], mask[i, : len(p)] = p, n, True
    assert model.generate(points, normals, mask, max_new_tokens=10, constrained=False) == model.generate(
        pts, normals=nrm, max_new_tokens=10, constrained=False
    )
    with torch.no_grad():
        a = model(**collate(model.template, pts, PROGRAMS[:2], normals=nrm).as_dict()).loss
        b = model(**collate(model.template, points, PROGRAMS[:2], normals, mask).as_dict()).loss
    torch.testing.assert_close(a, b)


def test_collate_refuses_overlong_programs(model):
    pts, _ = clouds([100])
    with pytest.raises(ValueError, match="drop them"):
        collate(model.template, pts, PROGRAMS[:1], max_program_tokens=5)
    with pytest.raises(ValueError, match="programs for a batch"):
        collate(model.template, pts, PROGRAMS[:2])


@pytest.mark.parametrize("finetune", ["lora", "full", "frozen"])
def test_save_load_round_trip_gives_identical_generations(tmp_path, finetune):
    model = make_model(finetune).eval()
    if finetune == "full":
        with torch.no_grad():
            model.llm.model.layers[0].mlp.down_proj.weight.normal_(0, 0.2)
    pts, nrm = clouds([200, 300], seed=9)
    expected = model.generate_tokens(pts, normals=nrm, max_new_tokens=12)
    folder = save_pretrained(model, tmp_path / "ckpt")
    manifest = json.loads((folder / "meshcoder.json").read_text())
    assert manifest["adapter"] == (finetune == "lora")
    assert (folder / "adapter" / "adapter_model.safetensors").is_file() == (finetune == "lora")
    assert (folder / "llm" / "config.json").is_file()  # the tiny LLM is random: its weights are saved
    assert read_config(folder) == model.config

    loaded = load_pretrained(folder)
    assert not loaded.training
    got = loaded.generate_tokens(pts, normals=nrm, max_new_tokens=12)
    assert torch.equal(got.ids, expected.ids)
    batch = collate(model.template, pts, PROGRAMS[:2], normals=nrm)
    with torch.no_grad():
        torch.testing.assert_close(loaded(**batch.as_dict()).logits, model(**batch.as_dict()).logits)


def test_loading_for_training_keeps_lora_trainable(tmp_path):
    model = make_model("lora")
    folder = save_pretrained(model, tmp_path / "ckpt")
    loaded = load_pretrained(folder, trainable=True)
    trainable = {n for n, p in loaded.named_parameters() if p.requires_grad}
    assert trainable == {n for n, p in model.named_parameters() if p.requires_grad}


def test_load_errors_say_what_is_wrong(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a MeshCoder checkpoint"):
        load_pretrained(tmp_path)


def test_config_round_trips_through_json():
    config = MeshCoderConfig.tiny()
    assert MeshCoderConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    paper = MeshCoderConfig.paper("/models/Llama-3.2-1B")
    assert paper.llm.finetune.lora_rank == 16 and paper.llm.finetune.lora_target_modules == [
        "q_proj",
        "v_proj",
    ]
    assert paper.shape_tokenizer.num_queries == 128


def test_shape_width_mismatch_is_explained(model):
    from meshcoder.models import MeshCoder, ShapeTokenizer, ShapeTokenizerConfig

    with pytest.raises(ValueError, match="output_dim"):
        MeshCoder(
            model.config, ShapeTokenizer(ShapeTokenizerConfig.tiny(output_dim=7)), model.llm, model.tokenizer
        )


def test_bfloat16_llm_trains_and_generates():
    config = MeshCoderConfig.tiny()
    config = config.replace(llm=config.llm.replace(dtype="bfloat16"))
    model = build_meshcoder(config, training_texts=PROGRAMS)
    assert next(model.llm.parameters()).dtype == torch.bfloat16
    pts, nrm = clouds([100, 150], seed=10)
    out = model(**collate(model.template, pts, PROGRAMS[:2], normals=nrm).as_dict())
    assert out.loss.dtype == torch.float32 and torch.isfinite(out.loss)
    out.loss.backward()
    assert next(model.shape_tokenizer.parameters()).grad is not None
    assert len(model.generate(pts, normals=nrm, max_new_tokens=4)) == 2


def test_configs_work_as_omegaconf_structured_configs():
    from omegaconf import OmegaConf

    base = OmegaConf.structured(MeshCoderConfig.tiny())
    merged = OmegaConf.merge(base, OmegaConf.from_dotlist(["llm.finetune.lora_rank=8", "llm.dtype=bfloat16"]))
    config = OmegaConf.to_object(merged)
    assert isinstance(config, MeshCoderConfig)
    assert config.llm.finetune.lora_rank == 8 and config.llm.dtype == "bfloat16"
    assert config.shape_tokenizer == MeshCoderConfig.tiny().shape_tokenizer
