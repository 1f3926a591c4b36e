"""The designed program tokenizer: exact round trips, one token per number / name / keyword, the same
split of a number wherever it stands, save/load, xgrammar's view of the vocabulary, the LLM wiring."""

from __future__ import annotations

import re

import pytest
from transformers import AutoTokenizer

from meshcoder.data.categories import CATEGORIES, generate_program
from meshcoder.data.generators.parts import PART_TYPES
from meshcoder.examples import example_paths
from meshcoder.models.program_tokenizer import (
    SPECIAL_TOKENS,
    build_program_tokenizer,
    collect_vocab,
    read_vocab,
    vocabulary_pieces,
    write_vocab,
)
from meshcoder.models.prompt import PromptConfig
from meshcoder.shapes.catalogue import catalogue
from meshcoder.shapes.program import HEADER

# A decimal number literal with its integer digits (not part of a name such as 'leg_12' or 'array_1d').
NUMBER = re.compile(r"(?<![\w.])-?\d+\.\d+")


@pytest.fixture(scope="module")
def tok():
    return build_program_tokenizer()


def encode(tok, text: str) -> list[int]:
    return tok(text, add_special_tokens=False)["input_ids"]


def pieces(tok, text: str) -> list[str]:
    return [tok.decode([i], skip_special_tokens=False) for i in encode(tok, text)]


def assert_round_trips(tok, texts: list[str]) -> None:
    for text, ids in zip(texts, tok(texts, add_special_tokens=False)["input_ids"]):
        assert tok.decode(ids, skip_special_tokens=False) == text


def expected_number_split(number: str) -> list[str]:
    """The 2-decimal prefix (with the sign when under 10), then the remaining digits as one piece; at 10
    and over the sign and the leading integer digits come first, each one piece."""
    whole, decimals = number.split(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    head = [sign, digits[:-1]] if len(digits) > 1 else []
    prefix = ("" if head else sign) + f"{digits[-1]}.{decimals[:2]}"
    return [p for p in [*head, prefix, decimals[2:]] if p]


def assert_numbers_split_by_rule(tok, text: str) -> None:
    """Every decimal number in ``text`` is tokenized as :func:`expected_number_split` says, with token
    boundaries at its two ends (never merged with a neighbour)."""
    enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
    starts = {s: i for i, (s, _) in enumerate(enc["offset_mapping"])}
    for m in NUMBER.finditer(text):
        assert m.start() in starts, f"{m[0]!r} at {m.start()} does not start a token"
        got, i, end = [], starts[m.start()], m.start()
        while end < m.end():
            s, end = enc["offset_mapping"][i]
            got.append(text[s:end])
            i += 1
        assert end == m.end(), f"{m[0]!r} does not end on a token boundary"
        assert got == expected_number_split(m[0]), m[0]


def test_special_tokens_and_ids(tok):
    assert (tok.pad_token_id, tok.bos_token_id, tok.eos_token_id, tok.unk_token_id) == (0, 1, 2, 3)
    assert [tok.pad_token, tok.bos_token, tok.eos_token, tok.unk_token] == list(SPECIAL_TOKENS.values())
    # The prompt adds BOS and EOS itself: the tokenizer never does.
    text = generate_program("Chair", 0)
    assert tok(text)["input_ids"] == encode(tok, text)
    assert 4000 < len(tok) < 8000


def test_every_piece_alone_is_one_token(tok):
    ordinary = vocabulary_pieces()
    ids = tok(ordinary, add_special_tokens=False)["input_ids"]
    assert [len(i) for i in ids] == [1] * len(ordinary)
    assert tok.convert_ids_to_tokens([i[0] for i in ids]) == ordinary


def test_builds_are_fresh_objects_with_equal_vocabularies(tok):
    other = build_program_tokenizer()
    assert other is not tok and other.backend_tokenizer is not tok.backend_tokenizer
    other.padding_side = "left"
    assert tok.padding_side == "right"
    assert other.get_vocab() == tok.get_vocab()


@pytest.mark.parametrize("name", [*CATEGORIES, *PART_TYPES])
def test_generator_programs_round_trip(tok, name):
    texts = [generate_program(name, seed) for seed in range(5)]
    assert_round_trips(tok, texts)
    for text in texts:
        assert_numbers_split_by_rule(tok, text)


@pytest.mark.slow
@pytest.mark.parametrize("name", CATEGORIES)
def test_category_programs_round_trip_200_seeds(tok, name):
    texts = [generate_program(name, seed) for seed in range(200)]
    assert_round_trips(tok, texts)
    for text in texts[:20]:
        assert_numbers_split_by_rule(tok, text)


@pytest.mark.slow
@pytest.mark.parametrize("part_type", PART_TYPES)
def test_part_programs_round_trip_200_seeds(tok, part_type):
    assert_round_trips(tok, [generate_program(part_type, seed) for seed in range(200)])


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_shipped_examples_round_trip(tok, path):
    text = path.read_text()
    assert_round_trips(tok, [text])
    assert_numbers_split_by_rule(tok, text)


def test_programs_are_short(tok):
    text = generate_program("Chair", 3)
    ids = encode(tok, text)
    # The header and "# object name:" are one token; a 2,000-character chair takes few hundred tokens.
    assert tok.convert_ids_to_tokens(ids[0]) == HEADER + "\n# object name:"
    assert len(text) / len(ids) > 4.0


@pytest.mark.parametrize(
    "text",
    [
        "",
        "é → ∑ 中文 🙂 naïve\u0301",
        "a\r\nb\x0c\x0b\x00\x7f end",
        "literal <0x41> and <0xFF> and ▁ must stay text",
        "# part_1: 🙂 lamp\ncreate_primitive(name='ランプ_1')\n",
        "\t\t  trailing spaces   \n\n\n",
    ],
)
def test_any_text_round_trips(tok, text):
    ids = encode(tok, text)
    assert tok.decode(ids, skip_special_tokens=False) == text
    assert tok.unk_token_id not in ids  # byte fallback, never <unk>


def test_literal_byte_piece_text_is_spelt_with_characters(tok):
    assert pieces(tok, "<0x41>") != ["A"]
    assert tok.decode(encode(tok, "<0x41>")) == "<0x41>"


def test_two_decimal_numbers_and_integers_are_one_token(tok):
    numbers = [repr(round(k / 100, 2)) for k in range(-999, 1000)] + ["-0.0"]
    integers = [str(i) for i in range(1025)]
    for text, ids in zip(numbers + integers, tok(numbers + integers, add_special_tokens=False)["input_ids"]):
        assert len(ids) == 1, text


@pytest.mark.parametrize(
    "number,split",
    [
        ("0.195", ["0.19", "5"]),
        ("-0.195", ["-0.19", "5"]),
        ("0.0187", ["0.01", "87"]),
        ("0.105", ["0.10", "5"]),
        ("0.0105", ["0.01", "05"]),
        ("0.005", ["0.00", "5"]),
        ("36.33", ["3", "6.33"]),
        ("-90.0", ["-", "9", "0.0"]),
        ("-24.735", ["-", "2", "4.73", "5"]),
        ("123.45", ["12", "3.45"]),
    ],
)
def test_longer_numbers_split_the_same_way_everywhere(tok, number, split):
    assert expected_number_split(number) == split
    contexts = [
        "{}",
        "[{}, {}, {}]",
        "location=[{}, -{}, 0.0], scale=[{}]",
        "bevel(name='top_2', width={})\n",
        "[[{}, 0.1], [0.2, {}]]",
    ]
    for context in contexts:
        text = context.format(*[number] * context.count("{}"))
        assert_numbers_split_by_rule(tok, text)
        assert tok.decode(encode(tok, text)) == text


def test_catalogue_names_and_keywords_are_single_tokens(tok):
    vocab = read_vocab()
    specs = catalogue()
    missing = set(specs) - set(vocab.functions)
    assert not missing, f"regenerate program_vocab.txt (--write-vocab): {sorted(missing)} are missing"
    for name, spec in specs.items():
        assert pieces(tok, name + "(") == [name + "("]
        for p in spec.parameters:
            assert pieces(tok, p.name + "=") == [p.name + "="]
    call = "create_primitive(name='table top_9', primitive_type='cube', location=[0.1, 0.2, 0.0])\n"
    assert pieces(tok, call) == [
        "create_primitive(", "name='", "table", " top", "_9", "', ", "primitive_type='", "cube", "', ",
        "location=[", "0.1", ", ", "0.2", ", ", "0.0", "])\n",
    ]  # fmt: skip


def test_prompt_strings_and_part_headers(tok):
    prompt = PromptConfig()
    assert len(encode(tok, prompt.instruction)) == 1
    assert len(encode(tok, prompt.code_header)) == 1
    assert pieces(tok, ")\n\n# part_12: seat cushion\n") == [
        ")\n", "\n# part_", "12", ":", " seat", " cushion", "\n"
    ]  # fmt: skip


def test_vocab_file_round_trips_and_collects_words(tmp_path):
    program = (
        HEADER + "\n# object name: coffee table\n# part_1: table top\n"
        "create_circle(name='circle_1_1', radius=0.02)\n"
        "boolean_operation(name1='table top_1', name2='cutter_2_1', operation='DIFFERENCE')\n"
    )
    vocab = collect_vocab([program])
    assert {"coffee", "table", "top", "circle", "cutter", "DIFFERENCE", "QUATERNION"} <= set(vocab.words)
    assert not any(w.isdigit() or "_1" in w for w in vocab.words)
    assert set(catalogue()) <= set(vocab.functions)
    path = write_vocab(vocab, tmp_path / "vocab.txt")
    assert read_vocab(path) == vocab
    small = build_program_tokenizer(path)
    assert small.get_vocab() != build_program_tokenizer().get_vocab()
    assert_round_trips(small, [program, generate_program("Sofa", 0)])


def test_vocab_file_errors_say_how_to_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="--write-vocab"):
        read_vocab(tmp_path / "none.txt")
    (tmp_path / "bad.txt").write_text("[functions]\nbevel\n")
    with pytest.raises(ValueError, match=r"\[keywords\]"):
        read_vocab(tmp_path / "bad.txt")


def test_save_and_load_give_identical_encodings(tok, tmp_path):
    tok.save_pretrained(tmp_path)
    again = AutoTokenizer.from_pretrained(tmp_path)
    assert again.get_vocab() == tok.get_vocab()
    assert (again.pad_token_id, again.bos_token_id, again.eos_token_id) == (0, 1, 2)
    texts = [generate_program(name, 7) for name in CATEGORIES[:8]] + ["é <0x41> 🙂"]
    assert (
        again(texts, add_special_tokens=False)["input_ids"]
        == tok(texts, add_special_tokens=False)["input_ids"]
    )
    assert_round_trips(again, texts)


def test_xgrammar_sees_the_real_text_of_every_token(tok):
    xgrammar = pytest.importorskip("xgrammar")
    info = xgrammar.TokenizerInfo.from_huggingface(tok)
    assert info.vocab_type == xgrammar.VocabType.BYTE_FALLBACK
    assert not info.add_prefix_space
    assert info.vocab_size == len(tok)
    assert info.stop_token_ids == [tok.eos_token_id]
    decoded = info.decoded_vocab
    specials = set(tok.all_special_ids)
    byte_piece = re.compile(r"<0x([0-9A-F]{2})>")
    for token, i in tok.get_vocab().items():
        if i in specials:
            continue
        m = byte_piece.fullmatch(token)
        assert decoded[i] == (bytes([int(m[1], 16)]) if m else token.encode()), token
    assert decoded[tok.convert_tokens_to_ids("', ")] == b"', "
    assert decoded[tok.convert_tokens_to_ids("])\n")] == b"])\n"


def test_llm_config_program_tokenizer_sizes_the_tiny_llm():
    from meshcoder.models.llm import LLMConfig, build_llm, load_tokenizer
    from meshcoder.models.text_tokenizer import ensure_special_tokens

    config = LLMConfig.tiny_random(finetune="frozen", tokenizer="program", hidden_size=16)
    loaded = load_tokenizer(config)  # no training texts needed
    assert loaded.get_vocab() == build_program_tokenizer().get_vocab()
    assert ensure_special_tokens(loaded).pad_token == "<pad>"
    model, tok = build_llm(config)
    assert model.get_input_embeddings().num_embeddings == len(tok)
    assert model.config.pad_token_id == 0 and model.config.eos_token_id == 2
