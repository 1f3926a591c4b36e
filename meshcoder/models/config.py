"""Base for the model configs: plain dataclasses that round-trip through JSON-able dicts, so a saved
checkpoint describes how to rebuild itself and Hydra/OmegaConf can build them from YAML later."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Self


class SerializableConfig:
    """Mixin for config dataclasses: :meth:`to_dict` and :meth:`from_dict` (nested configs included)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of lists, numbers, strings and nested dicts."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, SerializableConfig):
                value = value.to_dict()
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Build from :meth:`to_dict`'s output; unknown keys are an error naming the valid ones."""
        fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = sorted(set(data) - set(fields))
        if unknown:
            raise ValueError(
                f"{cls.__name__} has no field(s) {', '.join(unknown)}; valid fields: {', '.join(fields)}"
            )
        hints = typing.get_type_hints(cls)
        kwargs = {}
        for name, value in data.items():
            kind = hints.get(name)
            if isinstance(kind, type) and issubclass(kind, SerializableConfig) and isinstance(value, dict):
                value = kind.from_dict(value)
            kwargs[name] = value
        return cls(**kwargs)

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]
