"""``model.summary()``: Keras' table of layers, output shapes and weight counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from nn.training.model import Model


def _count(tensor: Any) -> int:
    return int(np.prod(tensor.shape))


def _weight_count(module: Any) -> int:
    return sum(map(_count, module.parameters())) + sum(map(_count, module.buffers()))


def _row(cells: tuple[Any, ...], widths: list[int]) -> str:
    return "".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()


class Summary:
    """The ``summary`` method of ``Model``, as a mixin; a model may override ``_output_shapes``
    (one shape, or None where unknown, per entry of ``layers``)."""

    def _output_shapes(self: Model) -> list[Any]:
        return [None] * len(self.layers)

    def summary(self: Model, line_length: int | None = None, positions: Any = None,
                print_fn: Callable[[str], Any] | None = None, expand_nested: bool = False,
                show_trainable: bool = False, layer_range: Any = None) -> None:
        """Print each layer's name and type, output shape and weight count, then the totals.

        Args:
            line_length: Only None (the columns fit their contents).
            positions: Only None.
            print_fn: Called with the whole table; ``print`` when None.
            expand_nested: Only False.
            show_trainable: Only False.
            layer_range: Only None (all layers).

        Examples:
            >>> import nn
            >>> model = nn.Sequential([nn.Input(shape=(3,)), nn.layers.Dense(2)])
            >>> model.summary(print_fn=lambda text: print(text.splitlines()[-3]))
            Trainable params: 8
        """
        for arg, value, default in (("line_length", line_length, None),
                                    ("positions", positions, None),
                                    ("expand_nested", expand_nested, False),
                                    ("show_trainable", show_trainable, False),
                                    ("layer_range", layer_range, None)):
            if value is not default and value != default:
                raise ValueError(f"summary: {arg}={value!r} is not supported here; leave it at "
                                 f"its default ({default!r})")
        rows = [("Layer (type)", "Output Shape", "Param #")]
        for layer, shape in zip(self.layers, self._output_shapes()):
            rows.append((f"{layer.name} ({type(layer).__name__})",
                         "?" if shape is None else str(shape), f"{_weight_count(layer):,}"))
        widths = [max(len(row[i]) for row in rows) + 2 for i in range(3)]
        rule = "=" * sum(widths)
        lines = [f'Model: "{self.name}"', rule, _row(rows[0], widths), rule]
        lines += [_row(row, widths) for row in rows[1:]]
        # As in Keras, buffers (batch normalization's moving statistics) count as
        # non-trainable weights.
        trainable = sum(_count(p) for p in self.parameters() if p.requires_grad)
        total = _weight_count(self)
        lines += [rule, f"Total params: {total:,}", f"Trainable params: {trainable:,}",
                  f"Non-trainable params: {total - trainable:,}", rule]
        (print if print_fn is None else print_fn)("\n".join(lines))
