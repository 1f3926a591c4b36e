"""Constrained decoding: the grammar mask over every tokenizer we ship, the part checks, generation
with tiny random models (constrained programs always validate), and agreement with unconstrained
greedy decoding where that already writes a program."""

from __future__ import annotations

import time

import pytest
import torch

from meshcoder.data.categories import generate_program
from meshcoder.models import LLMConfig, MeshCoderConfig, build_meshcoder, collate, train_bpe_tokenizer
from meshcoder.models.constraints import ProgramConstraint, compile_program_grammar, program_constraint
from meshcoder.models.generation import GreedyRows
from meshcoder.models.llm import SMOLLM2_CACHE_NAME, default_cache_dir
from meshcoder.models.program_tokenizer import build_program_tokenizer
from meshcoder.models.text_tokenizer import load_llama32_tokenizer
from meshcoder.shapes.grammar import check_program
from meshcoder.shapes.program import ProgramError

pytestmark = pytest.mark.usefixtures("single_torch_thread")

TRAINING = [
    generate_program(c, s) for c in ("Chair", "Lamp", "Bowl", "Primitive", "Boolean") for s in range(3)
]
SMOLLM2_FOLDER = default_cache_dir() / SMOLLM2_CACHE_NAME


def bpe():
    return train_bpe_tokenizer(TRAINING, vocab_size=512)


def program_tokenizer():
    from meshcoder.models.program_tokenizer import build_program_tokenizer

    return build_program_tokenizer()


def smollm2_tokenizer():
    # The converted folder when one is cached; else the tokenizer read straight from the packaged GGUF
    # (about 15 s, without converting the weights).
    from transformers import AutoTokenizer

    from meshcoder.models.llm import smollm2_gguf_path

    if (SMOLLM2_FOLDER / "tokenizer.json").is_file():
        return AutoTokenizer.from_pretrained(SMOLLM2_FOLDER)
    try:
        gguf = smollm2_gguf_path()
    except FileNotFoundError as err:
        pytest.skip(str(err))
    return AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)


TOKENIZERS = {
    "bpe": bpe,
    "llama3.2": load_llama32_tokenizer,
    "program": program_tokenizer,
    "smollm2": smollm2_tokenizer,
}


def walk(constraint, tokenizer, ids: list[int], vocab_size: int) -> list[torch.Tensor]:
    """Feed ``ids`` through the constraint as ``generate`` would, with logits whose argmax is always
    the next id and where padded vocabulary rows score highest of all; returns each step's masked
    logits (the last one is the step after ``ids``)."""
    steps = []
    for n in range(len(ids) + 1):
        scores = torch.randn(1, vocab_size)
        scores[0, len(tokenizer) :] = 1e4  # rows without a token must be masked whatever they score
        if n < len(ids):
            scores[0, ids[n]] = 100.0
        steps.append(constraint(torch.tensor([ids[:n]], dtype=torch.long), scores))
    return steps


@pytest.mark.parametrize("name", list(TOKENIZERS))
def test_mask_keeps_every_token_of_a_program_and_ends_only_where_it_may(name):
    tokenizer = TOKENIZERS[name]()
    vocab_size = len(tokenizer) + 7  # the model pads its vocabulary
    eos = tokenizer.eos_token_id
    start = time.perf_counter()
    grammar = compile_program_grammar(tokenizer, vocab_size)
    assert compile_program_grammar(tokenizer, vocab_size) is grammar  # compiled once per vocabulary
    assert time.perf_counter() - start < 30
    for source in (generate_program("Chair", 1), generate_program("Translation", 2)):
        ids = tokenizer(source, add_special_tokens=False)["input_ids"]
        assert tokenizer.decode(ids) == source
        steps = walk(program_constraint(tokenizer, vocab_size), tokenizer, ids, vocab_size)
        for n, scores in enumerate(steps[:-1]):
            assert int(scores.argmax()) == ids[n], f"step {n}: the mask removed a token of the program"
        assert torch.isinf(steps[0]).sum() > vocab_size // 2  # the mask does mask
        assert torch.isinf(steps[0][0, eos]) and torch.isinf(steps[5][0, eos])  # no EOS mid-program
        assert not torch.isinf(steps[-1][0, eos])  # after the last line it may end


def test_a_part_that_breaks_a_context_rule_ends_the_row():
    tokenizer = bpe()
    source = generate_program("Chair", 1)
    head = source[: source.index("# part_3")].rstrip("\n")
    broken = head + "\nbevel(name='leg_x', width=0.1)\n\n# part_3"  # part 2 acts on no object
    with pytest.raises(ProgramError, match="leg_x"):
        check_program(broken[: broken.index("# part_3")])
    ids = tokenizer(broken, add_special_tokens=False)["input_ids"]
    constraint = program_constraint(tokenizer, len(tokenizer))
    steps = walk(constraint, tokenizer, ids, len(tokenizer))
    assert "leg_x" in constraint.stopped[0]
    allowed = ~torch.isinf(steps[-1][0])
    assert allowed.nonzero().flatten().tolist() == [tokenizer.eos_token_id]  # only EOS is left


def test_a_call_never_repeats_a_keyword_with_the_program_tokenizer():
    tokenizer = build_program_tokenizer()
    grammar = compile_program_grammar(tokenizer, len(tokenizer))
    y_anchors = set(grammar.keyword_tokens["y_anchors"])
    assert tokenizer.convert_tokens_to_ids("y_anchors=[") in y_anchors
    source = generate_program("Fork", 3)
    line = next(i for i, text in enumerate(source.splitlines()) if "y_anchors=[" in text)
    cut = source.index("y_anchors=[")
    before = source[: source.index("]", cut) + 1] + ", "  # ... y_anchors=[...], : y_anchors is written
    ids = tokenizer(before, add_special_tokens=False)["input_ids"]
    scores = walk(program_constraint(tokenizer, len(tokenizer)), tokenizer, ids, len(tokenizer))[-1][0]
    assert all(torch.isinf(scores[t]) for t in y_anchors), f"line {line}: y_anchors may be written twice"
    assert not torch.isinf(scores[tokenizer.convert_tokens_to_ids("z_anchors=[")])
    # The BPE spells keywords over several tokens: no table, the part check stays the guard.
    assert not compile_program_grammar(bpe(), len(bpe())).keyword_tokens


def test_cached_masks_are_xgrammars_masks():
    """The mask cache keys texts by what decides their continuations; a wrong key would hand a row
    another state's mask. Every step of many programs must get exactly xgrammar's own mask."""
    sources = [
        generate_program(c, s) for c in ("Chair", "Lamp", "Fork", "TV", "Boolean", "Array") for s in range(2)
    ]
    for tokenizer in (program_tokenizer(), bpe()):
        grammar = compile_program_grammar(tokenizer, len(tokenizer))
        grammar.masks.clear()
        steps = 0
        for source in sources:
            ids = tokenizer(source, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
            torch.manual_seed(0)
            cached = walk(program_constraint(tokenizer, len(tokenizer)), tokenizer, ids, len(tokenizer))
            torch.manual_seed(0)
            fresh = walk(program_constraint(tokenizer, len(tokenizer), cache_masks=False), tokenizer, ids,
                         len(tokenizer))  # fmt: skip
            for n, (a, b) in enumerate(zip(cached, fresh, strict=True)):
                assert torch.equal(a, b), f"step {n} of {source[:40]!r}: the cached mask differs"
            steps += len(ids)
        assert len(grammar.masks) < steps / 3  # most steps reuse a mask


def test_cached_masks_give_the_same_samples():
    model = random_model()
    pts = clouds(2, seed=3)
    settings = {"max_new_tokens": 200, "do_sample": True, "num_return_sequences": 3, "generator": 5}
    model.program_constraint().grammar.masks.clear()
    runs = [
        model.generate_tokens(pts, logits_processors=[model.program_constraint()], **settings),
        model.generate_tokens(pts, logits_processors=[model.program_constraint()], **settings),  # warm
        model.generate_tokens(pts, logits_processors=[constraint_without_cache(model)], **settings),
    ]
    assert torch.equal(runs[0].ids, runs[2].ids) and torch.equal(runs[1].ids, runs[2].ids)


def constraint_without_cache(model):
    return program_constraint(model.tokenizer, model.vocab_size, model.eos_token_ids, cache_masks=False)


def test_a_runaway_line_ends_the_row():
    tokenizer = bpe()
    source = generate_program("Chair", 1)
    ids = tokenizer(source, add_special_tokens=False)["input_ids"]
    constraint = ProgramConstraint(compile_program_grammar(tokenizer, len(tokenizer)), max_line_bytes=40)
    steps = walk(constraint, tokenizer, ids, len(tokenizer))
    assert "longer than 40 bytes" in constraint.stopped[0]
    allowed = ~torch.isinf(steps[-1][0])
    assert allowed.nonzero().flatten().tolist() == [tokenizer.eos_token_id]


def test_constraint_refuses_misuse():
    tokenizer = bpe()
    constraint = program_constraint(tokenizer, len(tokenizer))
    with pytest.raises(ValueError, match="vocab_size"):
        constraint(torch.zeros(1, 0, dtype=torch.long), torch.zeros(1, len(tokenizer) + 1))
    constraint(torch.zeros(2, 0, dtype=torch.long), torch.zeros(2, len(tokenizer)))
    with pytest.raises(RuntimeError, match="one generate call"):
        constraint(torch.zeros(2, 0, dtype=torch.long), torch.zeros(2, len(tokenizer)))


# ------------------------------------------------------------------------------ generation


def random_model(tokenizer=None, **tiny: int):
    """A tiny random MeshCoder whose LLM writes varied junk (weights widened from the 0.02 default)."""
    torch.manual_seed(0)
    config = MeshCoderConfig.tiny("full")
    if tiny:
        config = config.replace(llm=LLMConfig.tiny_random("full", **tiny))
    model = build_meshcoder(config, tokenizer=tokenizer, training_texts=None if tokenizer else TRAINING)
    with torch.no_grad():
        for p in model.llm.parameters():
            if p.dim() == 2:
                p.normal_(0, 0.1)
    return model.eval()


def clouds(n: int, seed: int = 0) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [torch.rand(150, 3, generator=g) - 0.5 for _ in range(n)]


def valid(text: str) -> bool:
    try:
        check_program(text)
        return True
    except ProgramError:
        return False


def check_sampled_programs(model, max_new_tokens: int = 300, seeds: int = 3) -> None:
    pts = clouds(2)
    settings = {"max_new_tokens": max_new_tokens, "do_sample": True, "num_return_sequences": 2}
    constrained, unconstrained = [], []
    for seed in range(seeds):
        constrained += model.generate_programs(pts, generator=seed, **settings)
        unconstrained += model.generate_programs(pts, generator=seed, constrained=False, **settings)
    assert len(constrained) == 4 * seeds
    assert all(valid(p.text) for p in constrained)  # repaired texts always validate
    assert all(p.text == p.raw[: len(p.text)] for p in constrained)  # repair only cuts
    assert sum(valid(p.raw) for p in unconstrained) <= seeds  # unconstrained junk mostly does not
    assert [p.raw for p in constrained] != [p.raw for p in unconstrained]
    # every constrained text keeps to the grammar as far as it got: it starts like a program
    assert all(p.raw.startswith("import bpy\n") for p in constrained)


def test_constrained_sampling_always_gives_valid_programs():
    check_sampled_programs(random_model())


def test_constrained_sampling_over_the_llama32_vocabulary():
    check_sampled_programs(random_model(load_llama32_tokenizer(), hidden_size=16, num_heads=2,
                                        num_kv_heads=1, intermediate_size=32), max_new_tokens=100, seeds=2)  # fmt: skip


def test_constrained_generation_defaults_and_batching():
    model = random_model()
    pts = clouds(3, seed=1)
    texts = model.generate(pts, max_new_tokens=200)  # constrained by default
    assert all(valid(t) for t in texts)
    batched = model.generate_tokens(pts, max_new_tokens=60, logits_processors=[model.program_constraint()])
    for i, p in enumerate(pts):
        single = model.generate_tokens([p], max_new_tokens=60, logits_processors=[model.program_constraint()])
        assert torch.equal(single.ids[0, : single.lengths[0]], batched.ids[i, : batched.lengths[i]])


def test_greedy_rows_in_a_sampling_batch_decode_greedily():
    """Best-of-N in one loop: the first row of each prompt is the greedy program, the others sample."""
    model = random_model()
    pts = clouds(2, seed=2)
    greedy = model.generate_tokens(pts, max_new_tokens=80, logits_processors=[model.program_constraint()])
    mixed = model.generate_tokens(
        pts, max_new_tokens=80, do_sample=True, num_return_sequences=3, generator=0,
        logits_processors=[model.program_constraint(), GreedyRows(3)],
    )  # fmt: skip
    for i in range(2):
        n = int(greedy.lengths[i])
        assert torch.equal(mixed.ids[3 * i, :n], greedy.ids[i, :n])
        assert int(mixed.lengths[3 * i]) == n
    assert not torch.equal(mixed.ids[1], mixed.ids[0])  # the other rows sample
    with pytest.raises(ValueError, match="at least 1"):
        GreedyRows(0)


def test_constrained_greedy_decoding_equals_unconstrained_on_a_conforming_model():
    """A model overfit on one program writes it greedily; the constraint must not change a token."""
    program = generate_program("Primitive", 3)
    torch.manual_seed(0)
    model = build_meshcoder(MeshCoderConfig.tiny("full"), training_texts=TRAINING)
    pts = clouds(1)
    batch = collate(model.template, pts, [program])
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(80):
        loss = model(**batch.as_dict()).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    free = model.generate_tokens(pts, max_new_tokens=150)
    assert model.template.decode_program(free.ids[0, : free.lengths[0]].tolist()) == program
    held = model.generate_tokens(pts, max_new_tokens=150, logits_processors=[model.program_constraint()])
    assert torch.equal(free.ids, held.ids)
    assert model.generate(pts, max_new_tokens=150) == [program]


def test_paper_path_llama32_tokenizer_and_lora_keep_the_constraints(tmp_path):
    """The paper's path at toy size: the Llama-3.2 tokenizer, a LoRA-wrapped LLM (r 16 on q/v, as
    ``experiment=paper_object``), saved and loaded back as a model folder, then constrained decoding."""
    from meshcoder.models import FinetuneConfig, load_pretrained, save_pretrained

    torch.manual_seed(0)
    llm = LLMConfig(
        source="tiny",
        tokenizer="llama3.2",
        tiny=LLMConfig.tiny_random().tiny.replace(
            hidden_size=16, num_heads=2, num_kv_heads=1, intermediate_size=32
        ),
        finetune=FinetuneConfig(mode="lora", lora_rank=16, lora_alpha=32.0, lora_dropout=0.05),
    )
    model = build_meshcoder(MeshCoderConfig.tiny().replace(llm=llm))
    assert type(model.llm).__name__.startswith("Peft")
    with torch.no_grad():  # LoRA starts as the identity: widen the base so sampling wanders
        for name, p in model.llm.named_parameters():
            if p.dim() == 2 and "lora_" not in name:
                p.normal_(0, 0.1)
    folder = save_pretrained(model, tmp_path / "paper_toy", save_llm=True)
    loaded = load_pretrained(folder)
    assert type(loaded.llm).__name__.startswith("Peft") and len(loaded.tokenizer) > 128_000
    programs = loaded.generate_programs(clouds(2), generator=1, max_new_tokens=80, do_sample=True,
                                        num_return_sequences=2)  # fmt: skip
    assert len(programs) == 4
    assert all(valid(p.text) and p.raw.startswith("import bpy\n") for p in programs)
