"""Constrained decoding: programs held to the shape language while they are generated.

:class:`ProgramConstraint` is a Hugging Face logits processor (pass it to ``generate``, or to
:meth:`meshcoder.models.MeshCoder.generate_tokens` in ``logits_processors``). At every step it masks
the tokens that would leave the language's grammar (:func:`meshcoder.shapes.grammar.program_grammar`,
matched by xgrammar over the tokenizer's vocabulary), so EOS comes only where a program may end. When
a row is about to open a new part it checks the program so far with the rules a grammar cannot hold
(:func:`meshcoder.shapes.grammar.check_program`: names refer to earlier objects, list counts match); a
part that breaks one ends the row there (EOS forced). :func:`finish_program` then cuts the text back to
its last valid part, which also repairs rows stopped by ``max_new_tokens``::

    constraint = program_constraint(tokenizer, vocab_size=model.config.vocab_size)
    ids = model.generate(..., logits_processor=LogitsProcessorList([constraint]))
    text, cut = finish_program(tokenizer.decode(ids[0], skip_special_tokens=True), finished=...)

The grammar is compiled once per tokenizer vocabulary (about 0.1 s for the BPE and the program
tokenizer, 0.5 to 1.5 s for Llama-3.2's 128k tokens; ``experiments/README.md``) and cached.

Masks are cached too. xgrammar's mask costs most where a value starts (after ``=``, ``[`` or ``, ``:
hundreds of number tokens to try), and those states recur with every list element. Two texts that allow
the same continuations get the same mask, so each row is keyed by what decides its continuations
(:class:`_LineKey`): the previous line's kind and its current line with finished strings, numbers and
lists replaced by placeholders. Whole texts are the key until the first part's header is written. A
key is computed in a few microseconds per token; most steps then cost a dictionary lookup instead of a
grammar walk (``experiments/bench_constraints.py``; ``tests/test_constraints.py`` checks the cached
masks against xgrammar's over many programs).
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

import torch
import xgrammar as xgr
from transformers import LogitsProcessor, PreTrainedTokenizerBase

from meshcoder.shapes.grammar import Cut, check_program, finish_program, program_grammar, value_kind
from meshcoder.shapes.program import ProgramError

__all__ = ["Cut", "ProgramConstraint", "ProgramGrammar", "compile_program_grammar", "finish_program",
           "program_constraint"]  # fmt: skip

#: Where a part opens: the row is checked when its text gains this.
PART_MARK = b"\n# part_"
#: A line longer than this ends its row (nothing then but a runaway list would fill ``max_new_tokens``):
#: 2.7 times the longest line of the training sets (753 bytes in ``data/objects150``).
MAX_LINE_BYTES = 2048
#: Memory for cached masks, per compiled grammar (a mask is about ``vocab_size * 9 / 8`` bytes: 6 KB for
#: the program tokenizer, 144 KB for Llama-3.2's); the cache is emptied when it would hold more.
MASK_CACHE_BYTES = 64 * 2**20


@dataclass(frozen=True)
class ProgramGrammar:
    """The program grammar compiled for one vocabulary: the xgrammar object, each token's bytes, the
    stop (EOS) ids and the model's vocabulary size (the logits' width, padded rows included)."""

    compiled: xgr.CompiledGrammar
    token_bytes: list[bytes] = field(repr=False)
    stop_token_ids: tuple[int, ...]
    vocab_size: int
    keyword_tokens: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    #: Masks by key (:class:`_LineKey`, with the keywords a call already has), shared by every generation:
    #: ``(masked tokens as a boolean row, allowed tokens as the bits of an int)``.
    masks: dict = field(default_factory=dict, repr=False, compare=False)


#: A token that opens a keyword argument: optional ", " then ``name=``.
_KEYWORD_TOKEN = re.compile(rb"^(?:, ?)?([A-Za-z_][A-Za-z_0-9]*)=")
#: Keyword arguments already written in a call line (after its "(" or a ", ").
_KEYWORD_USED = re.compile(rb"(?:\(|, )([A-Za-z_][A-Za-z_0-9]*)=")


def _keyword_tokens(token_bytes: Sequence[bytes]) -> dict[str, tuple[int, ...]]:
    """For each catalogue keyword, the tokens that open it (``name=``, ``, name='``...). Only a
    vocabulary that holds keywords as whole tokens (the program tokenizer) has any: with it a call
    never repeats a keyword, which the grammar (any order, each function's own names) cannot forbid."""
    from meshcoder.shapes.catalogue import catalogue

    names = {p for spec in catalogue().values() for p in spec.parameter_names}
    table: dict[str, list[int]] = {}
    for token, text in enumerate(token_bytes):
        match = _KEYWORD_TOKEN.match(text)
        if match and match.group(1).decode() in names:
            table.setdefault(match.group(1).decode(), []).append(token)
    return {name: tuple(ids) for name, ids in table.items()}


_CACHE: dict[tuple, ProgramGrammar] = {}
_FINGERPRINTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _fingerprint(tokenizer: PreTrainedTokenizerBase) -> str:
    """A hash of the vocabulary (tokens and ids), remembered per tokenizer object and size."""
    known = _FINGERPRINTS.get(tokenizer)
    if known is not None and known[0] == len(tokenizer):
        return known[1]
    vocab = sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])
    digest = hashlib.sha1("\x00".join(f"{t}\x01{i}" for t, i in vocab).encode()).hexdigest()
    _FINGERPRINTS[tokenizer] = (len(tokenizer), digest)
    return digest


def compile_program_grammar(
    tokenizer: PreTrainedTokenizerBase,
    vocab_size: int | None = None,
    stop_token_ids: Sequence[int] | None = None,
) -> ProgramGrammar:
    """The program grammar compiled for ``tokenizer`` (cached by vocabulary, size and stop ids).

    Args:
        tokenizer: any Hugging Face tokenizer (byte-level BPE, Llama-3.2's, SentencePiece-style with
            byte fallback).
        vocab_size: the model's vocabulary size (rows of its output layer) when it differs from the
            tokenizer's: ids without a token (padding rows) are never allowed.
        stop_token_ids: the ids that end a program (default: the tokenizer's EOS).
    """
    if stop_token_ids is None:
        if tokenizer.eos_token_id is None:
            raise ValueError("the tokenizer has no EOS token: pass stop_token_ids")
        stop_token_ids = [tokenizer.eos_token_id]
    stops = tuple(int(i) for i in stop_token_ids)
    key = (_fingerprint(tokenizer), vocab_size, stops)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        info = xgr.TokenizerInfo.from_huggingface(
            tokenizer, vocab_size=vocab_size, stop_token_ids=list(stops)
        )
        compiled = xgr.GrammarCompiler(info, cache_enabled=False).compile_grammar(program_grammar())
        tokens = info.decoded_vocab
        grammar = ProgramGrammar(compiled, tokens, stops, info.vocab_size, _keyword_tokens(tokens))
        _CACHE[key] = grammar
        return grammar


def _bitmask_of(ids: Sequence[int], vocab_size: int) -> torch.Tensor:
    """A one-row xgrammar bitmask (int32 words, bit j of word k = token 32k + j) allowing only ``ids``."""
    allowed = torch.zeros(xgr.get_bitmask_shape(1, vocab_size)[1] * 32, dtype=torch.int64)
    allowed[list(ids)] = 1
    words = (allowed.view(-1, 32) << torch.arange(32)).sum(dim=1)
    return torch.where(words >= 2**31, words - 2**32, words).to(torch.int32)[None]


#: Placeholders in a line key: a finished string, number or list, and any finished value followed by ", ".
_STRING, _NUMBER, _LIST, _VALUE = 1, 2, 3, 4
_DIGITS = frozenset(b"0123456789")
_NUMBER_BYTES = frozenset(b"0123456789.e")
_NAME_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.")
_PLAIN, _COMMENT, _IN_STRING, _IN_NUMBER = 0, 1, 2, 3
_DIGIT = re.compile(rb"[0-9]")
_CALL = re.compile(rb"^([A-Za-z_][A-Za-z_0-9]*)\(")
_LAST_KEYWORD = re.compile(rb"(?:\(|, )([A-Za-z_][A-Za-z_0-9]*)=[^=]*$")


def _call_and_keyword(line: bytes) -> tuple[bytes, bytes]:
    """The function a call line calls and the keyword whose value is being written (b"" if none)."""
    call, keyword = _CALL.match(line), _LAST_KEYWORD.search(line)
    return (call.group(1) if call else b""), (keyword.group(1) if keyword else b"")


def _open_character(text: bytes) -> bytes:
    """The bytes of the last character when it is not complete yet (a UTF-8 sequence a token cut)."""
    for back in range(1, min(4, len(text)) + 1):
        byte = text[-back]
        if byte < 0x80:
            return b""
        if byte >= 0xC0:  # the lead byte says how long the sequence is
            length = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return bytes(text[-back:]) if back < length else b""
    return b""


@functools.cache
def _free_value(function: bytes, keyword: bytes) -> bool:
    """Whether ``function(keyword=...)`` takes any number or string (not an enumeration's values)."""
    try:
        return value_kind(function.decode(), keyword.decode()) in ("numbers", "strings", "names", "any")
    except (KeyError, StopIteration):  # not a catalogue call or keyword: keep the value as written
        return False


class _LineKey:
    """A key for a row's mask, fed the row's bytes as they come: texts with equal keys allow the same
    continuations (the grammar's residual language is the same), so they share a mask.

    The fixed header is keyed whole. After it, what may follow depends only on the kind of the previous
    line (object, part header, call, blank) and on the current line; and in a line, not on which string,
    number or list a finished value was, nor on how many elements a list already has, nor on the words
    of a comment. So finished strings, numbers and lists become placeholder bytes, a finished value
    before ``", "`` one kind of placeholder, ``"V, V, "`` becomes ``"V, "``, and a comment's text one
    letter. A value being written stays as written, except where the argument takes any number or
    string (:func:`~meshcoder.shapes.grammar.value_kind`, not an enumeration): there only a number's
    digit counts, or whether a string is empty or ``_``, matter (and, in text, an unfinished UTF-8
    character). This knows the shape of
    :func:`~meshcoder.shapes.grammar.program_grammar` (lines, lists, values);
    ``tests/test_constraints.py`` compares cached masks with xgrammar's over many texts.
    """

    __slots__ = ("exact", "frames", "kind", "length", "lexeme", "mode", "prev")

    def __init__(self) -> None:
        self.exact = True
        self.kind = b""
        self.frames = [bytearray()]  # the line, one frame per open "[" (innermost last)
        self.lexeme = bytearray()  # an open string or number, as written
        self.mode = _PLAIN
        self.prev = 0  # the line's previous byte (0 at its start)
        self.length = 0  # bytes in the current line

    def key(self, text: bytearray) -> bytes:
        if self.exact:
            return b"^" + text
        mode = self.mode
        if mode == _COMMENT:
            line = self.frames[0]
            colon = line.find(b": ")
            # "# part_12" keys as "# part_11" (only the index's length matters), the text as "x".
            head = _DIGIT.sub(b"1", line if colon < 0 else line[:colon])
            if colon < 0:
                return self.kind + head
            return self.kind + head + (b": x" + _open_character(line) if len(line) > colon + 2 else b": ")
        line = b"".join(self.frames)
        lexeme = self.lexeme
        if lexeme and _free_value(*_call_and_keyword(self.frames[0])):
            if mode == _IN_NUMBER:  # a leading 0 and the digit counts matter, not the digits
                lexeme = (b"0" if lexeme[0] == 48 else b"1") + _DIGIT.sub(b"1", lexeme[1:])
            else:  # the quote, and whether the string is empty, "_" or more
                if len(lexeme) > 1 and lexeme != lexeme[:1] + b"_":
                    lexeme = lexeme[:1] + b"x" + _open_character(lexeme)
        return self.kind + line + bytes((0, mode)) + lexeme

    def feed(self, data: bytes) -> None:
        for c in data:
            if c == 10:  # "\n": a line ends
                line = self.frames[0]
                if line.startswith(b"#"):
                    self.kind = b"p" if line.startswith(b"# part_") else b"o"
                else:
                    self.kind = b"c" if line or self.mode != _PLAIN or len(self.frames) > 1 else b"b"
                self.frames, self.mode, self.prev, self.length = [bytearray()], _PLAIN, 0, 0
                self.lexeme.clear()
                continue
            self.length += 1
            mode = self.mode
            if mode == _COMMENT:
                self.frames[0].append(c)
                continue
            if mode == _IN_STRING:
                self.lexeme.append(c)
                if c == self.lexeme[0]:
                    self._finished(_STRING)
                self.prev = c
                continue
            if mode == _IN_NUMBER:
                if c in _NUMBER_BYTES or (c == 45 and self.lexeme[-1] == 101):  # "-" of "e-05"
                    self.lexeme.append(c)
                    self.prev = c
                    continue
                self._finished(_NUMBER)
            if c == 39 or c == 34:  # a quote opens a string
                self.mode = _IN_STRING
                self.lexeme.append(c)
            elif c in _DIGITS and self.prev not in _NAME_BYTES:
                self.mode = _IN_NUMBER
                self.lexeme.append(c)
            elif c == 91:  # "["
                self.frames.append(bytearray(b"["))
            elif c == 93 and len(self.frames) > 1:  # "]"
                self.frames.pop()
                self.frames[-1].append(_LIST)
            elif c == 35 and self.length == 1:  # "#" opens a comment line (the first one ends the header)
                self.mode = _COMMENT
                self.frames[0].append(c)
                if self.exact:
                    self.exact, self.kind = False, b"h"
            else:
                frame = self.frames[-1]
                frame.append(c)
                if c == 32 and len(frame) >= 3 and frame[-2] == 44 and 0 < frame[-3] <= _VALUE:  # "V, "
                    frame[-3] = _VALUE
                    if frame.endswith(b"\x04, \x04, "):
                        del frame[-3:]
            self.prev = c

    def _finished(self, placeholder: int) -> None:
        self.frames[-1].append(placeholder)
        self.lexeme.clear()
        self.mode = _PLAIN


def _masked(bitmask: torch.Tensor, vocab_size: int) -> torch.Tensor:
    """A one-row xgrammar bitmask as a boolean row over the vocabulary, True where a token is masked
    (for ``masked_fill_``: one vectorised op for the batch)."""
    bits = (bitmask[:, None] >> torch.arange(32, dtype=torch.int32)) & 1
    return bits.flatten()[:vocab_size] == 0


@dataclass
class _Row:
    matcher: xgr.GrammarMatcher
    text: bytearray = field(default_factory=bytearray)
    line: _LineKey = field(default_factory=_LineKey)
    used: frozenset = frozenset()  # keywords the current call line already has
    done: bool = False  # ended (EOS): generate pads it from now on
    stop: str | None = None  # why the row must end now (EOS forced)
    allowed: int = -1  # the last mask applied, as bits of an int (-1: every token)
    synced: int = 0  # bytes of ``text`` the matcher has read (it catches up when a mask is computed)


class ProgramConstraint(LogitsProcessor):
    """Masks every token that would leave the program grammar, and ends a row whose newest part breaks
    a context rule or whose line runs past ``max_line_bytes`` (see the module docstring). One instance
    serves one ``generate`` call (rows are created on the first step; ``num_return_sequences`` rows
    included).

    Args:
        grammar: the compiled grammar (:func:`compile_program_grammar`).
        check_parts: check each part with :func:`meshcoder.shapes.grammar.check_program` when the next
            one opens (off: grammar only).
        cache_masks: reuse masks across rows, steps and calls (see the module docstring; off: xgrammar
            computes every mask, the reference the tests compare with).
        max_line_bytes: a longer line ends its row (a runaway list); ``finish_program`` cuts it off.
    """

    def __init__(
        self,
        grammar: ProgramGrammar,
        check_parts: bool = True,
        cache_masks: bool = True,
        max_line_bytes: int = MAX_LINE_BYTES,
    ) -> None:
        self.grammar = grammar
        self.check_parts = check_parts
        self.cache_masks = cache_masks
        self.max_line_bytes = max_line_bytes
        self.rows: list[_Row] = []
        self._seen = -1
        self._scratch: torch.Tensor | None = None
        self._stop_only = _masked(
            _bitmask_of(grammar.stop_token_ids, grammar.vocab_size)[0], grammar.vocab_size
        )
        self._batch = xgr.BatchGrammarMatcher()
        self._banned = {}  # keyword -> bitmask row of its tokens (built on first use)
        self._max_masks = max(1, MASK_CACHE_BYTES // (grammar.vocab_size * 9 // 8 + 200))

    @property
    def stopped(self) -> list[str | None]:
        """For each row, why the constraint ended it early (a context rule, a runaway line), or None."""
        return [row.stop for row in self.rows]

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        vocab_size = self.grammar.vocab_size
        if scores.shape[-1] != vocab_size:
            raise ValueError(
                f"the model's logits have {scores.shape[-1]} entries but the grammar was compiled for "
                f"{vocab_size}: pass vocab_size=<rows of the output layer> to compile_program_grammar"
            )
        if not self.rows:
            self.rows = [_Row(xgr.GrammarMatcher(self.grammar.compiled)) for _ in range(input_ids.shape[0])]
            self._scratch = xgr.allocate_token_bitmask(len(self.rows), vocab_size)
        elif input_ids.shape[1] > self._seen:
            for row, token in zip(self.rows, input_ids[:, -1].tolist()):
                self._advance(row, token)
        else:
            raise RuntimeError("a ProgramConstraint serves one generate call; make a new one for each")
        self._seen = input_ids.shape[1]

        # Ended rows keep only EOS (generate replaces their token by PAD): never every logit masked, which
        # would turn the sampling probabilities into NaN, and top-p sorts a row of one value fast. The
        # draw takes as many random numbers whatever the scores, so other rows sample as before.
        if not all(row.done for row in self.rows):
            scores.masked_fill_(torch.stack(self._masks()).to(scores.device), float("-inf"))
        return scores

    def _masks(self) -> list[torch.Tensor]:
        """For each row, the tokens to mask (True; all but EOS for a row that ended or must end). A cached
        mask needs no grammar work; for the others the matchers first read the text they have not seen
        (one call each, instead of one per token), then xgrammar fills their masks in one batched call."""
        cache = self.grammar.masks if self.cache_masks else {}
        masks: list = [self._stop_only] * len(self.rows)
        keys: list = [None] * len(self.rows)
        missing = []
        for i, row in enumerate(self.rows):
            if row.done or row.stop is not None:
                continue
            keys[i] = (row.line.key(row.text), row.used)
            cached = cache.get(keys[i])
            if cached is None:
                pending = bytes(row.text[row.synced :])
                row.synced = len(row.text)
                if pending and not row.matcher.accept_string(pending):
                    row.stop = "the text does not continue a program"  # cannot happen: masks allowed it
                    continue
                missing.append(i)
            else:
                masks[i], row.allowed = cached
        if missing:
            scratch = self._scratch
            self._batch.batch_fill_next_token_bitmask(
                [self.rows[i].matcher for i in missing], scratch, missing
            )
            if len(cache) + len(missing) > self._max_masks:
                cache.clear()
            for i in missing:
                row = self.rows[i]
                mask = self._without_repeats(scratch[i].clone(), row.used)
                allowed = int.from_bytes(mask.numpy().tobytes(), "little")
                masks[i], row.allowed = cache[keys[i]] = (_masked(mask, self.grammar.vocab_size), allowed)
        return masks

    def _without_repeats(self, mask: torch.Tensor, used: frozenset) -> torch.Tensor:
        """``mask`` less the tokens that would open a keyword the call already has (a repeated keyword is
        an error of the program; the grammar lets keywords come in any order, so it cannot see it), unless
        that leaves no token (the grammar wins then)."""
        if not used:
            return mask
        banned = torch.zeros_like(mask)
        for name in used:
            if name not in self._banned:
                self._banned[name] = _bitmask_of(self.grammar.keyword_tokens[name], self.grammar.vocab_size)
            banned |= self._banned[name][0]
        kept = mask & ~banned
        return kept if bool(kept.any()) else mask

    def _advance(self, row: _Row, token: int) -> None:
        if row.done:
            return
        if token in self.grammar.stop_token_ids:
            row.done = True
            return
        if row.stop is not None:
            return
        if not (row.allowed >> token) & 1:
            # Only when something after this processor changed the choice: end the row cleanly.
            row.stop = f"token {token} does not continue a program"
            return
        start = len(row.text)
        data = self.grammar.token_bytes[token]
        row.text += data
        row.line.feed(data)
        if self.grammar.keyword_tokens and (b"=" in data or b"\n" in data or b"(" in data):
            row.used = self._used_keywords(row.text)
        if row.line.length > self.max_line_bytes:
            row.stop = f"a line longer than {self.max_line_bytes} bytes"
            return
        if self.check_parts:
            mark = row.text.find(PART_MARK, max(0, start - len(PART_MARK) + 1))
            if mark >= 0:
                try:
                    check_program(row.text[: mark + 1].decode("utf-8", errors="replace"))
                except ProgramError as err:
                    row.stop = str(err)

    def _used_keywords(self, text: bytearray) -> frozenset:
        """The catalogue keywords the current call line has (a line without "(" is no call)."""
        line = text[text.rfind(b"\n") + 1 :]
        if b"(" not in line:
            return frozenset()
        known = self.grammar.keyword_tokens
        return frozenset(name for name in map(bytes.decode, _KEYWORD_USED.findall(line)) if name in known)


def program_constraint(
    tokenizer: PreTrainedTokenizerBase,
    vocab_size: int | None = None,
    eos_token_ids: Sequence[int] | None = None,
    check_parts: bool = True,
    cache_masks: bool = True,
) -> ProgramConstraint:
    """A fresh :class:`ProgramConstraint` for one ``generate`` call, over ``tokenizer``'s vocabulary
    (compiled once and cached; see :func:`compile_program_grammar` and :class:`ProgramConstraint` for
    the arguments)."""
    grammar = compile_program_grammar(tokenizer, vocab_size, eos_token_ids)
    return ProgramConstraint(grammar, check_parts, cache_masks)
