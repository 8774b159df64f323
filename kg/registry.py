"""Lazy name -> "module:attr" registries for transcript formats and NER backends.

Built-ins register through the same call a user would make, and nothing is
imported until a name is used, so an optional backend (transformers) costs
nothing unless it is asked for.  An unknown name lists the known ones.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, Generic, TypeVar

from .errors import UnknownNameError

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str, option: str) -> None:
        self.kind = kind
        self.option = option
        self._paths: dict[str, str] = {}
        self._loaded: dict[str, T] = {}

    def register(self, name: str, target: str | T) -> None:
        """Register ``target`` (an object, or a lazy ``"module:attr"`` path) under ``name``."""
        if isinstance(target, str):
            self._paths[name] = target
            self._loaded.pop(name, None)
        else:
            self._paths[name] = ""
            self._loaded[name] = target

    def names(self) -> list[str]:
        return list(self._paths)

    def __contains__(self, name: object) -> bool:
        return name in self._paths

    def get(self, name: str) -> T:
        if name not in self._paths:
            raise UnknownNameError(
                f"unknown {self.kind} {name!r}; choose {self.option} from: {', '.join(self.names())}"
            )
        if name not in self._loaded:
            module, _, attr = self._paths[name].partition(":")
            obj: Any = import_module(module)
            for part in attr.split("."):
                obj = getattr(obj, part)
            self._loaded[name] = obj
        return self._loaded[name]

    def items(self) -> list[tuple[str, T]]:
        return [(n, self.get(n)) for n in self.names()]

