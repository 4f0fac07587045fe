"""Keras 3's ``Lambda`` layer: a function of the inputs, as a layer without weights.

Saving stores no code (a model file here never holds any): a named function is recorded by
its name and found again in ``load_model(custom_objects=...)``, as Keras finds it; a Python
lambda is recorded as one, and loading it is refused with Keras' safe-mode error.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn.layers.layer import KerasShape, Layer
from nn.saving import config as config_module

LAMBDA_REFUSED = (
    "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. "
    "This carries a potential risk of arbitrary code execution and thus it is disallowed by "
    "default. Here a lambda's code is never stored in a model file, so it cannot be loaded "
    "whatever safe_mode says: give the function a name (def) and pass it to load_model as "
    "custom_objects, or rebuild the model in code and use load_weights")


def _is_lambda(function: Any) -> bool:
    return getattr(function, "__name__", "<lambda>") == "<lambda>"


class Lambda(Layer):
    """``function(inputs, **arguments)`` as a layer (``training`` passed on when the function
    takes it), as ``keras.layers.Lambda``.

    Args:
        function: The function of the input tensor.
        output_shape: The output shape without the batch axis (a tuple), a function of the
            input shape, or None to find it by running the function on zeros.
        mask: Only None (masks are not supported here).
        arguments: Keyword arguments passed to ``function`` (plain data, to be saved).
        **kwargs: Keras' layer keywords (``name``, ``dtype``, ...).

    Examples:
        >>> import numpy as np, nn
        >>> double = nn.layers.Lambda(lambda x, factor: x * factor, arguments={"factor": 2.0})
        >>> double(np.ones((1, 2), np.float32)).numpy()
        array([[2., 2.]], dtype=float32)
    """

    def __init__(self, function: Any, output_shape: Any = None, mask: Any = None,
                 arguments: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda expects a function. Received: function={function!r:.60}")
        if mask is not None:
            raise ValueError(f"Lambda: mask={mask!r:.60} is not supported here (no masks); "
                             f"leave it at None")
        self.function = function
        self._output_shape = output_shape
        self.arguments = dict(arguments or {})
        try:
            parameters = inspect.signature(function).parameters
        except (TypeError, ValueError):  # builtins without a signature
            parameters = {}  # type: ignore[assignment]
        self._passes_training = "training" in parameters

    def call(self, inputs: Tensor, training: bool | None = None) -> Any:
        """``function(inputs, **arguments)`` (with ``training=`` when it takes it)."""
        extra = dict(self.arguments)
        if self._passes_training:
            extra["training"] = training
        return self.function(inputs, **extra)

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """From ``output_shape`` (the batch axis is the input's), else by running the function
        on one example of zeros, as Keras traces it."""
        if callable(self._output_shape):
            return tuple(self._output_shape(input_shape))
        if self._output_shape is not None:
            return (input_shape[0], *tuple(self._output_shape))
        if any(size is None for size in input_shape[1:]):
            raise ValueError(f"Lambda '{self.name}': the output shape cannot be found for an "
                             f"input of unknown sizes {tuple(input_shape)}; give output_shape")
        zeros = ag.tensor(np.zeros((1, *input_shape[1:]), dtype=self.weight_dtype()))
        with ag.no_grad():
            output = self.call(zeros)
        return (input_shape[0], *output.shape[1:])

    def get_config(self) -> dict[str, Any]:
        """The function by name (a lambda marked as one: no code is stored), the output shape
        and the arguments, as data."""
        function: dict[str, Any] = ({"lambda": True} if _is_lambda(self.function)
                                    else {"function": self.function.__name__})
        if callable(self._output_shape):
            raise TypeError(f"Lambda '{self.name}': an output_shape function cannot be saved "
                            f"as data; give a tuple, or use save_weights")
        return {"dtype": config_module.serialize(self.dtype, f"{self.name}.dtype"),
                "function": function,
                "output_shape": config_module.serialize(self._output_shape,
                                                        f"{self.name}.output_shape"),
                "arguments": {key: config_module.serialize(value, f"{self.name}.arguments")
                              for key, value in self.arguments.items()}}

    @classmethod
    def from_config(cls, config: dict[str, Any],
                    custom_objects: dict[str, Any] | None = None) -> Lambda:
        """A Lambda layer from ``get_config()`` data; its function from ``custom_objects`` by
        name. A lambda is refused (``ValueError``), as Keras refuses it in safe mode."""
        from nn.training.compile_utils import MissingObjectError

        record = config["function"]
        if record.get("lambda"):
            raise ValueError(LAMBDA_REFUSED)
        function = (custom_objects or {}).get(record["function"])
        if function is None:
            raise MissingObjectError(
                f"Could not locate function {record['function']!r} of Lambda layer "
                f"'{config.get('name')}': pass it to load_model as custom_objects="
                f"{{{record['function']!r}: {record['function']}}}")
        output_shape = config.get("output_shape")
        return cls(function, output_shape=None if output_shape is None else tuple(output_shape),
                   arguments=config.get("arguments"),
                   **{key: config[key] for key in ("name", "dtype") if key in config})
