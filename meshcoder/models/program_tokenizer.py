"""A designed tokenizer for shape programs: one token per number, name, keyword and label word.

A byte-level BPE trained on a few programs learns inconsistent merges (``0 . 3 6`` but ``0 . 26``) and
spells rare labels letter by letter. The shape language is small and regular enough to write its
vocabulary down instead:

* structure: the fixed header, ``# object name:``, ``# part_``, the two prompt strings, line ends;
* every catalogue function followed by ``(``; every keyword followed by ``=``, ``='``, ``=[``, ...;
* punctuation runs (``', ``, ``], [``, ``])\\n``, ...);
* numbers: every 2-decimal value in [-9.99, 9.99] as Python writes it (``0.2``, ``-0.24``) and with
  both decimals (``0.20``, the prefix of ``0.205``), integers 0..1024 and ``00``..``09``, so a 3- or
  4-decimal number is always "2-decimal prefix + remaining digits" (``0.195`` = ``0.19`` + ``5``,
  ``0.0187`` = ``0.01`` + ``87``);
* object-name suffixes ``_1``..``_256`` and the words of part labels, object names and quoted strings
  (with a leading-space variant), read from the committed list ``program_vocab.txt``;
* every printable ASCII character, and byte fallback ``<0x00>``..``<0xFF>`` for anything else, so any
  text round-trips.

The model is a ``tokenizers`` Unigram whose pieces all score about the same, with a small bonus growing
with the square of a piece's length: Viterbi then picks the fewest tokens and, among splits with as
few, the one with the longest pieces, so a string splits the same way wherever it stands. There is
no normalizer and no pre-tokenizer, so no character is ever changed or lost.

The vocabulary depends only on ``program_vocab.txt`` and this module (plus the prompt defaults and the
program header), never on the generators. Regenerate the list after the catalogue or the generators
gained names::

    python -m meshcoder.cli.vocab --write-vocab
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from transformers import PreTrainedTokenizerFast

from meshcoder.models.prompt import PromptConfig
from meshcoder.shapes.catalogue import PROGRAM_CONSTANTS, PROGRAM_HELPERS, catalogue
from meshcoder.shapes.program import HEADER

VOCAB_FILE = Path(__file__).with_name("program_vocab.txt")
#: Special tokens, in id order (``<pad>`` is id 0).
SPECIAL_TOKENS = {"pad_token": "<pad>", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}
#: Score of every ordinary piece, and the bonus per squared character. The bonus must stay far below
#: one token's cost for the longest pieces (the header and the prompt, about 90 characters), so that
#: Viterbi never trades an extra token for a longer piece.
BASE_SCORE = -1.0
LENGTH_BONUS = 1e-5
#: Score of special and byte pieces: far below any split into characters, so that the text "<0x41>"
#: or "<s>" inside a program is spelt with characters, never read as a byte or special piece.
RESERVED_SCORE = -1e4
MAX_INTEGER = 1024
MAX_NAME_SUFFIX = 256
#: Seeds each generator runs with when the word list is regenerated.
VOCAB_SEEDS = 200
#: Keyword continuations: ``name='``, ``location=[``, ``control_points=[[``, ``seq_name=['``.
KEYWORD_CONTINUATIONS = ("=", "='", "=[", "=[[", "=['")
PYTHON_LITERALS = ("True", "False", "None")
#: Comment lines end in ":" and the label's words carry their leading space (" seat", " cushion"), so
#: a label splits the same way wherever it stands.
STRUCTURE = ("# object name:", "# part_", "\n# part_", "\n", "\n\n")
PUNCTUATION = (
    *KEYWORD_CONTINUATIONS,
    ", ",
    "(",
    ")",
    ")\n",
    "()\n",
    "')\n",
    "])\n",
    "]])\n",
    "'])\n",
    "[",
    "[[",
    "[[[",
    "]",
    "]]",
    "]]]",
    "], ",
    "]], ",
    "], [",
    "]], [[",
    "'",
    "', ",
    "', '",
    "['",
    "'], ",
    "']",
    "*",
    "/",
    "-",
)
_VOCAB_SECTIONS = ("functions", "keywords", "words")
_NAME_SUFFIX = re.compile(r"(?:_\d+)+$")
_WORD = re.compile(r"\w+")
_OBJECT_LINE = re.compile(r"^# object name: (.*)$", re.M)
_PART_LINE = re.compile(r"^# part_\d+: (.*)$", re.M)
_QUOTED = re.compile(r"'([^'\n]*)'")


@dataclass(frozen=True)
class ProgramVocab:
    """The names the tokenizer knows beyond its fixed rules: catalogue functions (and ``radians``),
    keyword parameters, and words of labels, object names and quoted strings."""

    functions: tuple[str, ...]
    keywords: tuple[str, ...]
    words: tuple[str, ...]


def collect_vocab(programs: Iterable[str]) -> ProgramVocab:
    """The vocabulary of the catalogue plus the words found in ``programs``.

    Words are the space-separated parts of object names, part labels and quoted strings, with trailing
    ``_<index>`` suffixes removed (``'table top_9'`` gives ``table`` and ``top``, ``'circle_1_1'``
    gives ``circle``); string defaults of the catalogue (``'QUATERNION'``, ``'MEDIAN'``) are included.
    Pure numbers are left out: the number pieces cover them.
    """
    specs = catalogue()
    functions = sorted({*specs, *PROGRAM_HELPERS})
    keywords = sorted({p.name for spec in specs.values() for p in spec.parameters})
    words: set[str] = {*PROGRAM_CONSTANTS, *PYTHON_LITERALS}
    for spec in specs.values():
        words.update(_NAME_SUFFIX.sub("", p.default) for p in spec.parameters if isinstance(p.default, str))
    for text in programs:
        phrases = [*_OBJECT_LINE.findall(text), *_PART_LINE.findall(text)]
        phrases += [_NAME_SUFFIX.sub("", s) for s in _QUOTED.findall(text)]
        for phrase in phrases:
            words.update(w for w in phrase.split(" ") if _WORD.fullmatch(w) and not w.isdigit())
    words.discard("")
    return ProgramVocab(tuple(functions), tuple(keywords), tuple(sorted(words)))


def write_vocab(vocab: ProgramVocab, path: str | Path = VOCAB_FILE) -> Path:
    """Write ``vocab`` as a plain-text list: a ``[section]`` line, then one name per line."""
    lines = [
        "# Names known to the program tokenizer (meshcoder/models/program_tokenizer.py), one per line.",
        "# Regenerate with: python -m meshcoder.cli.vocab --write-vocab",
    ]
    for section in _VOCAB_SECTIONS:
        lines += [f"[{section}]", *getattr(vocab, section)]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n")
    return path


def read_vocab(path: str | Path = VOCAB_FILE) -> ProgramVocab:
    """Read a list written by :func:`write_vocab`."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"program tokenizer vocabulary {path} is missing; regenerate it with "
            "python -m meshcoder.cli.vocab --write-vocab"
        )
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is None:
            raise ValueError(f"{path}:{number}: {line!r} comes before any [section] line")
        else:
            current.append(line)
    missing = [s for s in _VOCAB_SECTIONS if s not in sections]
    if missing:
        raise ValueError(f"{path} has no [{'], ['.join(missing)}] section; regenerate it (--write-vocab)")
    return ProgramVocab(*(tuple(sections[s]) for s in _VOCAB_SECTIONS))


def number_pieces() -> list[str]:
    """Number pieces: 2-decimal values in [-9.99, 9.99] as ``repr`` writes them and with both
    decimals, ``-0.0``, integers 0..1024 and ``00``..``09`` (digits after a 2-decimal prefix, as in
    ``0.0105``). A number of 10 or more splits as its leading digits + ``d.dd`` (``36.33`` = ``3`` +
    ``6.33``), a minus sign before it being one more token (``-90.0`` = ``-`` + ``9`` + ``0.0``)."""
    pieces: list[str] = []
    for k in range(-999, 1000):
        pieces += [repr(round(k / 100, 2)), f"{k / 100:.2f}"]
    pieces += ["-0.0", "-0.00"]
    pieces += [str(i) for i in range(MAX_INTEGER + 1)]
    pieces += [f"0{d}" for d in range(10)]
    return pieces


def vocabulary_pieces(vocab: ProgramVocab | None = None) -> list[str]:
    """Every ordinary piece (no special or byte pieces), in id order, without repeats."""
    vocab = vocab or read_vocab()
    prompt = PromptConfig()
    # Carriage returns and form feeds do not occur in programs: byte fallback covers them.
    pieces = [c for c in string.printable if c not in "\r\x0b\x0c"]
    pieces += [HEADER, HEADER + "\n# object name:", prompt.instruction, prompt.code_header]
    pieces += [*STRUCTURE, *PUNCTUATION]
    pieces += [f + "(" for f in vocab.functions]
    pieces += [k + c for k in vocab.keywords for c in KEYWORD_CONTINUATIONS]
    pieces += number_pieces()
    pieces += [f"_{i}" for i in range(1, MAX_NAME_SUFFIX + 1)]
    pieces += [p for w in vocab.words for p in (w, " " + w)]
    return list(dict.fromkeys(pieces))


def byte_pieces() -> list[str]:
    """The 256 byte-fallback pieces ``<0x00>``..``<0xFF>``."""
    return [f"<0x{b:02X}>" for b in range(256)]


@functools.cache
def _tokenizer_json(vocab_file: Path) -> str:
    from tokenizers import AddedToken, Tokenizer, decoders, models

    specials = list(SPECIAL_TOKENS.values())
    scored = [(p, RESERVED_SCORE) for p in specials + byte_pieces()]
    pieces = [p for p in vocabulary_pieces(read_vocab(vocab_file)) if p not in specials]
    scored += [(p, BASE_SCORE + LENGTH_BONUS * len(p) ** 2) for p in pieces]
    tok = Tokenizer(models.Unigram(scored, unk_id=specials.index("<unk>"), byte_fallback=True))
    tok.decoder = decoders.Sequence([decoders.ByteFallback(), decoders.Fuse()])
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok.to_str()


def build_program_tokenizer(vocab_file: str | Path = VOCAB_FILE) -> PreTrainedTokenizerFast:
    """The program tokenizer as a ``transformers`` fast tokenizer: ``<pad>`` (id 0), ``<s>`` (BOS),
    ``</s>`` (EOS), ``<unk>``; no special token is added on encoding (the prompt adds BOS and EOS).

    The Unigram model is built once per vocabulary file and process (a file rewritten afterwards is not
    read again); every call returns a new tokenizer object, so changing one (e.g. its padding side)
    does not change the others.
    """
    from tokenizers import Tokenizer

    backend = Tokenizer.from_str(_tokenizer_json(Path(vocab_file).resolve()))
    return PreTrainedTokenizerFast(
        tokenizer_object=backend, clean_up_tokenization_spaces=False, **SPECIAL_TOKENS
    )
