"""How a Keras model is called: which method runs, and in which mode (training or inference).

Keras decides a call's ``training`` value in this order: the value the caller passed, else the
value of the call it runs inside (``fit``'s steps run inside ``training=True``), else the default
that the model's ``call`` declares for ``training``, else None (every layer then runs in
inference mode). The layers called inside inherit it through ``nn.training_mode``.

PyTorch modules do not read that value: they follow their own ``train()``/``eval()`` flag. So
that both users get what they expect, ``fit`` and ``train_on_batch`` switch every sub-module to
``train()`` for their steps and ``evaluate``/``predict`` to ``eval()``, and each puts back the
flags it found (``ModeRestorer``).
"""

from __future__ import annotations

import inspect
from typing import Any

from nn.training_mode import current_training

# Per class: (the method that computes, whether it takes ``training``, its declared default).
_PROTOCOL: dict[type, tuple[str, bool, Any]] = {}


def _protocol(model_class: type) -> tuple[str, bool, Any]:
    known = _PROTOCOL.get(model_class)
    if known is not None:
        return known
    # A Keras subclass writes ``call``; a PyTorch-style one writes ``forward``. Whichever the
    # class (or a base below Model) defines computes; ``call`` wins when both are written.
    name = "forward"
    for klass in model_class.__mro__:
        if klass.__module__.startswith("nn.") and klass.__name__ in ("Model", "Module"):
            break
        if "call" in vars(klass):
            name = "call"
            break
        if "forward" in vars(klass):
            break
    parameters = inspect.signature(getattr(model_class, name)).parameters
    takes = "training" in parameters
    default = parameters["training"].default if takes else None
    if default is inspect.Parameter.empty:
        default = None
    _PROTOCOL[model_class] = known = (name, takes, default)
    return known


def method_name(model: Any) -> str:
    """``'call'`` (Keras' subclassing) or ``'forward'`` (PyTorch's, and the built-in models)."""
    return _protocol(type(model))[0]


def resolve(model: Any, training: Any) -> tuple[bool | None, dict[str, Any]]:
    """The ``training`` value of a call of ``model``, and the keyword arguments to add to it.

    Returns:
        ``(value, extra)``: ``value`` is the explicit ``training``, else the enclosing call's,
        else the default of ``call``'s ``training`` parameter (None when there is none);
        ``extra`` is ``{'training': value}`` when the method takes ``training`` and the value
        is not None, as Keras passes it, else empty.
    """
    _, takes, default = _protocol(type(model))
    if training is None:
        training = current_training()
    if training is None:
        training = default
    if training is not None and not isinstance(training, bool):
        training = bool(training)
    return training, ({"training": training} if takes and training is not None else {})


class ModeRestorer:
    """Remembers every sub-module's ``training`` flag, sets a mode, and puts the flags back.

    Examples:
        >>> import nn
        >>> from nn.training.calling import ModeRestorer
        >>> model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
        >>> _ = model[1].eval()
        >>> with ModeRestorer(model, True):
        ...     [m.training for m in model.modules()]
        [True, True, True]
        >>> [m.training for m in model.modules()]
        [True, True, False]
    """

    def __init__(self, model: Any, training: bool) -> None:
        self._model = model
        self._training = training
        self._saved: list[tuple[Any, bool]] = []

    def __enter__(self) -> ModeRestorer:
        self._saved = [(module, module.training) for module in self._model.modules()]
        if any(flag != self._training for _, flag in self._saved):
            self._model.train(self._training)
        return self

    def __exit__(self, *exc: Any) -> None:
        for module, flag in self._saved:
            module.training = flag
