"""Keras' view of a module's weights: ``trainable``, ``weights``, ``get_weights``/``set_weights``.

PyTorch speaks of parameters (learned, ``requires_grad``) and buffers (kept, not learned); Keras
speaks of weights, trainable or not. Both describe the same tensors, so ``Module`` offers both
views: ``trainable_weights`` are the parameters that require grad, ``non_trainable_weights`` the
frozen parameters and the buffers (batch normalization's moving statistics).

Freezing takes effect at once: ``layer.trainable = False`` turns off ``requires_grad`` on the
layer's parameters, so backward gives them no gradient and every optimizer skips them. There is
no need to compile again (Keras asks for that; here a later ``compile`` changes nothing either).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

import autograd as ag
from autograd import Tensor

if TYPE_CHECKING:
    from nn.module import Module


class KerasWeights:
    """The Keras weight API that ``Module`` (and so every layer and model) inherits."""

    @property
    def trainable(self: Module) -> bool:
        """Whether this module's weights are trained (Keras' flag; True by default).

        Setting it applies to every sub-module: ``False`` freezes all their parameters
        (``requires_grad`` off, gradients cleared), so ``fit`` and any optimizer leave them
        exactly as they are, ``summary()`` counts them as non-trainable, and a frozen
        ``BatchNormalization`` normalizes with its moving statistics (as in Keras 3). ``True``
        unfreezes them all again.

        Examples:
            >>> import nn
            >>> layer = nn.Dense(2, input_shape=[3])
            >>> layer.trainable = False
            >>> len(layer.trainable_weights), len(layer.non_trainable_weights)
            (0, 2)
        """
        trainable: bool = self.__dict__.get("_trainable", True)
        return trainable

    @trainable.setter
    def trainable(self: Module, value: bool) -> None:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{type(self).__name__}.trainable must be True or False. "
                            f"Received: {value!r}")
        for module in self.modules():
            object.__setattr__(module, "_trainable", bool(value))
            for param in module._parameters.values():
                if param is None:
                    continue
                param.requires_grad = bool(value)
                if not value:
                    param.grad = None  # a stale gradient must not move a frozen weight

    @property
    def weights(self: Module) -> list[Tensor]:
        """Every weight, as Keras orders them: each module's parameters, then its buffers,
        module by module in registration order (``kernel``, ``bias`` for ``Dense``)."""
        seen: set[int] = set()
        result = []
        for module in self.modules():
            for table in (module._parameters, module._buffers):
                for value in table.values():
                    if value is not None and id(value) not in seen:
                        seen.add(id(value))
                        result.append(value)
        return result

    @property
    def trainable_weights(self: Module) -> list[Tensor]:
        """The weights that training changes: parameters that require grad."""
        return [p for p in self.parameters() if p.requires_grad]

    @property
    def non_trainable_weights(self: Module) -> list[Tensor]:
        """Frozen parameters and buffers (such as moving statistics): kept, not trained."""
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    def get_weights(self: Module) -> list[np.ndarray]:
        """Copies of every weight as numpy arrays, in the order of ``weights``.

        Examples:
            >>> import nn
            >>> layer = nn.Dense(1, input_shape=[1], kernel_initializer="ones")
            >>> layer.get_weights()
            [array([[1.]], dtype=float32), array([0.], dtype=float32)]
        """
        return [np.array(w.data, copy=True) for w in self.weights]

    def set_weights(self: Module, weights: Sequence[Any]) -> None:
        """Set every weight from arrays in the order of ``get_weights()``; values are copied.

        All arrays are checked first: a wrong count or any wrong shape raises one
        ``ValueError`` that lists every mismatch, and nothing changes. Values are converted to
        each weight's dtype.

        Examples:
            >>> import nn
            >>> layer = nn.Dense(1, input_shape=[1])
            >>> layer.set_weights([[[1.8]], [32.0]])
            >>> layer([[100.0]]).numpy()
            array([[212.]], dtype=float32)
        """
        who = f"{type(self).__name__} '{self.name}'.set_weights"
        targets = self.weights
        if isinstance(weights, (str, bytes, np.ndarray, Tensor)) or not isinstance(
                weights, Sequence):
            raise TypeError(f"{who} expects a list of arrays, one per weight ({len(targets)} "
                            f"here, as get_weights() returns). Received: "
                            f"{type(weights).__name__}")
        if len(weights) != len(targets):
            raise ValueError(f"{who}: expected {len(targets)} arrays (one per weight: "
                             f"{_names(targets)}), received {len(weights)}")
        arrays, problems = [], []
        for i, (target, value) in enumerate(zip(targets, weights)):
            array = np.asarray(value.data if isinstance(value, Tensor) else value)
            label = f"weight {i} ({target.name})" if target.name else f"weight {i}"
            if array.dtype.kind not in "biuf":
                problems.append(f"{label}: expected numbers, received dtype {array.dtype}")
            elif array.shape != target.shape:
                problems.append(f"{label}: expected shape {target.shape}, received "
                                f"{array.shape}")
            arrays.append(array)
        if problems:
            raise ValueError(f"{who}: nothing was changed, because " + "; ".join(problems))
        with ag.no_grad():
            for target, array in zip(targets, arrays):
                target.copy_(array.astype(target.dtype))


def _names(weights: list[Tensor]) -> str:
    return ", ".join(str(w.name) for w in weights)
