"""What the data gives tokenizers: program token counts for statistics and filters (the paper drops
programs over 5,000 tokens), and the programs the program tokenizer's word list is collected from.

The data layer counts with whatever function it is given: a :data:`TokenCounter`. Tokenizers are the
models' business, so the one that knows Llama-3.2's (the paper's) is
:func:`meshcoder.models.text_tokenizer.token_counter`; configs name it (``tokens: llama32`` in
``conf/datagen.yaml``, ``make_token_counter`` in ``conf/data/default.yaml``) and the commands pass it in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

#: Program texts -> their token counts.
TokenCounter = Callable[[Sequence[str]], Sequence[int]]


def vocabulary_programs(seeds: int) -> Iterator[str]:
    """The programs the program tokenizer's word list is collected from
    (:func:`meshcoder.models.program_tokenizer.collect_vocab`): every generator (object categories and
    part types) over seeds ``0..seeds-1``, then the shipped examples."""
    from meshcoder.data.categories import generate_program, generators
    from meshcoder.examples import example_paths

    for name in generators():
        for seed in range(seeds):
            yield generate_program(name, seed)
    for path in example_paths():
        yield path.read_text()
