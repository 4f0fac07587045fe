"""Whether a Keras layer runs in training or inference mode, decided as Keras decides it.

A Keras layer's call takes ``training=``. When the caller gives it, that value holds; when not,
the layer inherits the value of the call it runs inside (a model called with ``training=True``
passes it to every layer it calls, and ``fit`` runs its steps inside ``training_scope(True)``);
outside any such call the layer runs in inference mode. PyTorch modules (``nn.Dropout``,
``nn.BatchNorm1d``) do not look here: they follow their own ``train()``/``eval()`` flag.

Examples:
    >>> from nn.training_mode import resolve_training, training_scope
    >>> resolve_training(None)
    False
    >>> with training_scope(True):
    ...     resolve_training(None), resolve_training(False)
    (True, False)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_state = threading.local()


def current_training() -> bool | None:
    """The ``training`` value of the innermost enclosing call, or None outside every call."""
    return getattr(_state, "training", None)


def resolve_training(training: bool | None) -> bool:
    """The mode a Keras layer runs in: ``training`` if given, else the enclosing call's, else
    False (inference), as in Keras."""
    if training is not None:
        return bool(training)
    return bool(getattr(_state, "training", None))


@contextmanager
def training_scope(training: bool | None) -> Iterator[None]:
    """Run the block with ``training`` as the mode layers inherit; None keeps the outer one."""
    outer = getattr(_state, "training", None)
    if training is not None:
        _state.training = bool(training)
    try:
        yield
    finally:
        _state.training = outer
