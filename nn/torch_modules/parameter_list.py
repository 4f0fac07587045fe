"""PyTorch's ``ParameterList``: a module that holds parameters in a list, each registered under
its position (``"0"``, ``"1"``...), so that ``parameters()`` and ``state_dict()`` see them."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from typing import Any

from autograd import Tensor
from nn.module import Module
from nn.parameter import Parameter


class ParameterList(Module):
    """A list whose tensors are registered parameters, as ``torch.nn.ParameterList``.

    The constructor, ``append``, ``extend`` and item assignment turn a plain ``Tensor`` into a
    ``Parameter``; other objects are kept as they are (and are not parameters). A slice is a
    new ``ParameterList`` of the same objects. The list cannot be called.

    Args:
        values: An iterable of the elements to start with.

    Examples:
        >>> import autograd as torch, nn
        >>> params = nn.ParameterList([torch.ones((2, 3)), torch.zeros(3)])
        >>> [name for name, _ in params.named_parameters()], params[1].requires_grad
        (['0', '1'], True)
        >>> params
        ParameterList(
            (0): Parameter containing: [float32 of size 2x3]
            (1): Parameter containing: [float32 of size 3]
        )
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self += values

    def _get_abs_string_index(self, idx: Any) -> str:
        idx = operator.index(idx)
        if not -len(self) <= idx < len(self):
            raise IndexError(f"index {idx} is out of range")
        return str(idx + len(self) if idx < 0 else idx)

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            out = type(self)()
            for i in range(*idx.indices(len(self))):
                out.append(self[i])
            return out
        return getattr(self, self._get_abs_string_index(idx))

    def __setitem__(self, idx: int, param: Any) -> None:
        key = self._get_abs_string_index(idx)
        if isinstance(param, Tensor) and not isinstance(param, Parameter):
            param = Parameter(param)
        setattr(self, key, param)

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return iter([self[i] for i in range(len(self))])

    def __iadd__(self, parameters: Iterable[Any]) -> ParameterList:
        return self.extend(parameters)

    def __dir__(self) -> list[str]:
        return [key for key in super().__dir__() if not key.isdigit()]

    def append(self, value: Any) -> ParameterList:
        """Add ``value`` at the end (a Tensor becomes a Parameter); returns ``self``."""
        index = len(self)
        self._size += 1
        self[index] = value
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Append each of ``values``; returns ``self``."""
        if not isinstance(values, Iterable) or isinstance(values, Tensor):
            raise TypeError(f"ParameterList.extend should be called with an iterable, but got "
                            f"{type(values).__name__}")
        for value in values:
            self.append(value)
        return self

    def extra_repr(self) -> str:
        lines = []
        for k, p in enumerate(self):
            if isinstance(p, Tensor):
                kind = "Parameter" if isinstance(p, Parameter) else "Tensor"
                size = "x".join(str(n) for n in p.shape)
                lines.append(f"  ({k}): {kind} containing: [{p.dtype} of size {size}]")
            else:
                lines.append(f"  ({k}): Object of type: {type(p).__name__}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        # torch.nn.Module.__repr__'s layout, which indents a multi-line extra_repr
        extra = self.extra_repr().split("\n") if len(self) else []
        children = [f"({key}): " + repr(child).replace("\n", "\n  ")
                    for key, child in self._modules.items()]
        if len(extra) == 1 and not children:
            return f"ParameterList({extra[0]})"
        lines = extra + children
        return "ParameterList(" + ("\n  " + "\n  ".join(lines) + "\n" if lines else "") + ")"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterList should not be called.")
