"""The pieces a shape program is written in: a catalogue :class:`Call`, a :class:`Part` (its comment and
calls), and the number format programs use (:func:`format_value`, :data:`ARGUMENT_DECIMALS`).

:mod:`meshcoder.shapes.program` parses and validates whole programs from these; the editing modules
(:mod:`meshcoder.shapes.editing`, :mod:`meshcoder.shapes.edit_rules`) build new calls and parts from them
without importing the parser, so the program module can offer editing methods without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Call:
    """One catalogue call: function, resolved keyword arguments, and where it stands in the source."""

    function: str
    arguments: dict[str, object]
    line: int
    end_line: int
    text: str

    @property
    def target(self) -> str | list | None:
        """The object(s) the call creates or acts on (its ``name`` argument)."""
        return self.arguments.get("name", self.arguments.get("name1"))


@dataclass
class Part:
    """A part: the ``# part_<i>: <label>`` comment and the calls up to the next part."""

    index: int
    label: str
    line: int
    calls: list[Call] = field(default_factory=list)

    @property
    def object_name(self) -> str:
        """The name of the part's final object, ``'<label>_<index>'``."""
        return f"{self.label}_{self.index}"

    @property
    def lines(self) -> tuple[int, int]:
        """First and last source line of the part (comment included)."""
        last = max([c.end_line for c in self.calls], default=self.line)
        return self.line, last

    def to_text(self) -> str:
        return "\n".join([f"# part_{self.index}: {self.label}"] + [c.text for c in self.calls])


#: Decimals used when writing each argument: the spec's 2 by default, 3 for dense points (control
#: points, cutlery anchors), 4 for thicknesses.
ARGUMENT_DECIMALS = {
    "thickness": 4,
    "control_points": 3,
    "x_anchors": 3,
    "y_anchors": 3,
    "z_anchors": 3,
    "merge_threshold": 5,
    "weld_threshold": 5,
}


def format_number(value: float, decimals: int = 2) -> str:
    """A number as programs write it: ints stay ints, floats rounded to ``decimals``, no ``-0.0``."""
    if isinstance(value, bool | int):
        return repr(value)
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0
    return repr(rounded)


def format_value(value: object, decimals: int = 2) -> str:
    """A literal argument value as program text (numbers formatted, nested lists kept)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return repr(value)
    if isinstance(value, int | float):
        return format_number(value, decimals)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_value(v, decimals) for v in value) + "]"
    raise TypeError(f"cannot write a {type(value).__name__} as a program literal")


def format_call(function: str, arguments: dict[str, object]) -> str:
    """``function(key=value, ...)`` with the spec's number formatting."""
    args = ", ".join(f"{k}={format_value(v, ARGUMENT_DECIMALS.get(k, 2))}" for k, v in arguments.items())
    return f"{function}({args})"
