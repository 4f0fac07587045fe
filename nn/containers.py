"""Containers: modules that hold other modules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from nn.module import Module


class ModuleList(Module):
    """A list of modules whose parameters are registered (named ``"0"``, ``"1"``...).

    Assigning a plain list of modules to a module attribute makes one of these automatically.

    Example:
        >>> import nn
        >>> blocks = nn.ModuleList([nn.Dense(4, input_shape=[2]), nn.Dense(1, input_shape=[4])])
        >>> [name for name, _ in blocks.named_parameters()]
        ['0.kernel', '0.bias', '1.kernel', '1.bias']
    """

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__()
        for module in modules:
            self.append(module)

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns ``self``."""
        self.add_module(str(len(self._modules)), module)
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    def __getitem__(self, index: int) -> Module:
        return list(self._modules.values())[index]

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """A ModuleList only holds modules: call each of them yourself."""
        raise TypeError("a ModuleList holds modules but is not callable itself: iterate over "
                        "it and call each module")
