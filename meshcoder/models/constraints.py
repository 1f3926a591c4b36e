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
"""

from __future__ import annotations

import hashlib
import re
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

import torch
import xgrammar as xgr
from transformers import LogitsProcessor, PreTrainedTokenizerBase

from meshcoder.shapes.grammar import Cut, check_program, finish_program, program_grammar
from meshcoder.shapes.program import ProgramError

__all__ = ["Cut", "ProgramConstraint", "ProgramGrammar", "compile_program_grammar", "finish_program",
           "program_constraint"]  # fmt: skip

#: Where a part opens: the row is checked when its text gains this.
PART_MARK = b"\n# part_"


@dataclass(frozen=True)
class ProgramGrammar:
    """The program grammar compiled for one vocabulary: the xgrammar object, each token's bytes, the
    stop (EOS) ids and the model's vocabulary size (the logits' width, padded rows included)."""

    compiled: xgr.CompiledGrammar
    token_bytes: list[bytes] = field(repr=False)
    stop_token_ids: tuple[int, ...]
    vocab_size: int
    keyword_tokens: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)


#: A token that opens a keyword argument: optional ", " then ``name=``.
_KEYWORD_TOKEN = re.compile(rb"^(?:, ?)?([A-Za-z_][A-Za-z_0-9]*)=")
#: Keyword arguments already written in a call line (after its "(" or a ", ").
_KEYWORD_USED = re.compile(r"(?:\(|, )([A-Za-z_][A-Za-z_0-9]*)=")


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


@dataclass
class _Row:
    matcher: xgr.GrammarMatcher
    text: bytearray = field(default_factory=bytearray)
    done: bool = False  # ended (EOS): generate pads it from now on
    stop: str | None = None  # why the row must end now (EOS forced)


class ProgramConstraint(LogitsProcessor):
    """Masks every token that would leave the program grammar, and ends a row whose newest part breaks
    a context rule (see the module docstring). One instance serves one ``generate`` call (rows are
    created on the first step; ``num_return_sequences`` rows included).

    Args:
        grammar: the compiled grammar (:func:`compile_program_grammar`).
        check_parts: check each part with :func:`meshcoder.shapes.grammar.check_program` when the next
            one opens (off: grammar only).
    """

    def __init__(self, grammar: ProgramGrammar, check_parts: bool = True) -> None:
        self.grammar = grammar
        self.check_parts = check_parts
        self.rows: list[_Row] = []
        self._seen = -1
        self._bitmask: torch.Tensor | None = None
        self._stop_only = _bitmask_of(grammar.stop_token_ids, grammar.vocab_size)
        self._batch = xgr.BatchGrammarMatcher()

    @property
    def stopped(self) -> list[str | None]:
        """For each row, why the constraint ended it early (a context rule), or None."""
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
            self._bitmask = xgr.allocate_token_bitmask(len(self.rows), vocab_size)
        elif input_ids.shape[1] > self._seen:
            for row, token in zip(self.rows, input_ids[:, -1].tolist()):
                self._advance(row, token)
        else:
            raise RuntimeError("a ProgramConstraint serves one generate call; make a new one for each")
        self._seen = input_ids.shape[1]

        bitmask = self._bitmask
        xgr.reset_token_bitmask(bitmask)
        live = [i for i, row in enumerate(self.rows) if not row.done and row.stop is None]
        if live:
            self._batch.batch_fill_next_token_bitmask([self.rows[i].matcher for i in live], bitmask, live)
        for i, row in enumerate(self.rows):
            if not row.done and row.stop is not None:
                bitmask[i] = self._stop_only
        # Ended rows keep their logits: generate replaces their token by PAD, and a row with every logit
        # masked would turn the sampling probabilities into NaN.
        active = [i for i, row in enumerate(self.rows) if not row.done]
        if active:
            xgr.apply_token_bitmask_inplace(scores, bitmask.to(scores.device), indices=active)
        if self.grammar.keyword_tokens:
            for i in live:
                self._ban_repeated_keywords(self.rows[i], scores[i])
        return scores

    def _ban_repeated_keywords(self, row: _Row, scores: torch.Tensor) -> None:
        """Mask the tokens that would open a keyword this call already has (a repeated keyword is an
        error of the program; the grammar lets keywords come in any order, so it cannot see it)."""
        line = row.text[row.text.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")
        if "(" not in line:
            return
        banned = [
            t for name in set(_KEYWORD_USED.findall(line)) for t in self.grammar.keyword_tokens.get(name, ())
        ]
        if not banned:
            return
        kept = scores.clone()
        kept[banned] = float("-inf")
        if torch.isfinite(kept).any():  # never leave a row without a token (the grammar wins then)
            scores.copy_(kept)

    def _advance(self, row: _Row, token: int) -> None:
        if row.done:
            return
        if token in self.grammar.stop_token_ids:
            row.done = True
            return
        if row.stop is not None:
            return
        if not row.matcher.accept_token(token):
            # Only when something after this processor changed the choice: end the row cleanly.
            row.stop = f"token {token} does not continue a program"
            return
        start = len(row.text)
        row.text += self.grammar.token_bytes[token]
        if self.check_parts:
            mark = row.text.find(PART_MARK, max(0, start - len(PART_MARK) + 1))
            if mark >= 0:
                try:
                    check_program(row.text[: mark + 1].decode("utf-8", errors="replace"))
                except ProgramError as err:
                    row.stop = str(err)


def program_constraint(
    tokenizer: PreTrainedTokenizerBase,
    vocab_size: int | None = None,
    eos_token_ids: Sequence[int] | None = None,
    check_parts: bool = True,
) -> ProgramConstraint:
    """A fresh :class:`ProgramConstraint` for one ``generate`` call, over ``tokenizer``'s vocabulary
    (compiled once and cached; see :func:`compile_program_grammar` for the arguments)."""
    return ProgramConstraint(compile_program_grammar(tokenizer, vocab_size, eos_token_ids), check_parts)
