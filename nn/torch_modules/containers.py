"""PyTorch's containers: ``ModuleList`` and ``ModuleDict``, modules that hold other modules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, KeysView, Mapping
from typing import Any

from nn.module import Module


class ModuleList(Module):
    """A list of modules whose parameters are registered (named ``"0"``, ``"1"``...), as
    PyTorch's ``nn.ModuleList``.

    Assigning a plain list of modules to a module attribute makes one of these automatically.

    Examples:
        >>> import nn
        >>> blocks = nn.ModuleList([nn.Linear(2, 4), nn.Linear(4, 1)])
        >>> [name for name, _ in blocks.named_parameters()]
        ['0.weight', '0.bias', '1.weight', '1.bias']
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _renumber(self, modules: list[Module]) -> None:
        self._modules.clear()
        for i, module in enumerate(modules):
            self.add_module(str(i), module)

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns ``self``."""
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Append each of ``modules``; returns ``self``."""
        if isinstance(modules, Module) and not isinstance(modules, ModuleList) \
                or not isinstance(modules, Iterable):
            raise TypeError(f"ModuleList.extend should be called with an iterable of modules. "
                            f"Received: {type(modules).__name__}")
        for module in list(modules):
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert ``module`` before position ``index``."""
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._renumber(modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    def __getitem__(self, index: int | slice) -> Module:
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return ModuleList(modules[index])
        return modules[index]

    def __setitem__(self, index: int, module: Module) -> None:
        modules = list(self._modules.values())
        modules[index] = module
        self._renumber(modules)

    def __delitem__(self, index: int | slice) -> None:
        modules = list(self._modules.values())
        del modules[index]
        self._renumber(modules)

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """A ModuleList only holds modules: call each of them yourself."""
        raise TypeError("a ModuleList holds modules but is not callable itself: iterate over "
                        "it and call each module")


class ModuleDict(Module):
    """A dict of modules whose parameters are registered under their keys (``"encoder.weight"``).

    Keys are strings and keep the order in which they were first set, which is also the order
    of ``parameters()`` and ``state_dict()``. It is built from a mapping or from
    ``(key, module)`` pairs, and supports the usual dict operations.

    Args:
        modules: A mapping of names to modules, or an iterable of ``(name, module)`` pairs.

    Examples:
        >>> import nn
        >>> heads = nn.ModuleDict({"mean": nn.Linear(4, 1), "scale": nn.Linear(4, 1)})
        >>> list(heads), "mean" in heads, len(heads)
        (['mean', 'scale'], True, 2)
        >>> list(heads.state_dict())
        ['mean.weight', 'mean.bias', 'scale.weight', 'scale.bias']
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None
                 ) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(key, str):
            raise TypeError(f"ModuleDict keys must be strings. Received: {type(key).__name__} "
                            f"{key!r}")
        if not key or "." in key:
            raise KeyError(f"ModuleDict keys must be non-empty and contain no '.' (dots "
                           f"separate the levels of parameter names). Received: {key!r}")
        if key not in self._modules and hasattr(self, key):
            # Such a key would be overwritten or shadowed by the attribute of the same name.
            raise KeyError(f"ModuleDict key {key!r} is the name of an existing attribute of "
                           f"ModuleDict; choose another key")
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> KeysView[str]:
        """The keys, in insertion order."""
        return self._modules.keys()

    def values(self) -> Iterable[Module]:
        """The modules, in insertion order."""
        return self._modules.values()

    def items(self) -> Iterable[tuple[str, Module]]:
        """``(key, module)`` pairs, in insertion order."""
        return self._modules.items()

    def pop(self, key: str) -> Module:
        """Remove the module stored under ``key`` and return it."""
        module = self[key]
        del self[key]
        return module

    def clear(self) -> None:
        """Remove every module."""
        self._modules.clear()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Set each key of a mapping, or each ``(key, module)`` pair, as ``self[key] = module``.

        Examples:
            >>> import nn
            >>> blocks = nn.ModuleDict()
            >>> blocks.update([("a", nn.Linear(2, 2)), ("b", nn.Linear(2, 1))])
            >>> list(blocks.keys())
            ['a', 'b']
        """
        if isinstance(modules, (Mapping, ModuleDict)):
            for key, module in list(modules.items()):
                self[key] = module
            return
        if isinstance(modules, (str, bytes)) or not isinstance(modules, Iterable):
            raise TypeError(f"ModuleDict.update expects a mapping or an iterable of "
                            f"(key, module) pairs. Received: {type(modules).__name__}")
        for i, pair in enumerate(modules):
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValueError(f"ModuleDict.update: element {i} should be a (key, module) "
                                 f"pair. Received: {pair!r:.80}")
            self[pair[0]] = pair[1]

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """A ModuleDict only holds modules: call them yourself."""
        raise TypeError("a ModuleDict holds modules but is not callable itself: look a module "
                        "up by its key and call it")
