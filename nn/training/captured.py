"""Keras' ``jit_compile``: ``fit``, ``evaluate`` and ``predict`` run captured steps.

With ``model.compile(..., jit_compile=True)`` (or Keras' default ``"auto"``), each of the three
loops calls its step through ``autograd.compile``: the step is recorded on its first calls and
then replayed without building a graph, with the same results to the bit. The steps here take
the batch as tensors and do everything that depends on the batch's values with tensor
operations, so that a replay sees each new batch.

``jit_compile=True`` raises where a step cannot be captured (``autograd.CaptureError`` names
the line and says why); ``"auto"`` runs that model's steps eagerly instead, as Keras' ``"auto"``
uses XLA only where the model supports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import autograd as ag
from nn.training_mode import training_scope


def resolve(jit_compile: Any, run_eagerly: bool) -> Any:
    """The model's ``jit_compile`` as Keras sets it: ``"auto"`` and True capture, False and
    ``run_eagerly=True`` do not."""
    if jit_compile not in (True, False, "auto"):
        raise ValueError(f"compile: jit_compile must be True, False or 'auto'. Received: "
                         f"jit_compile={jit_compile!r}")
    if run_eagerly:
        return False
    return True if jit_compile == "auto" else jit_compile


def step(model: Any, kind: str) -> Any:
    """The model's compiled step of ``kind`` (``"train"``, ``"test"``, ``"predict"``), made on
    first use; None when the model runs eagerly."""
    if not model.jit_compile or kind in model.__dict__.get("_jit_refused", ()):
        return None
    steps = model.__dict__.setdefault("_jit_steps", {})
    if kind not in steps:
        steps_by_kind: dict[str, Callable[..., Any]] = {"train": _train, "test": _test,
                                                        "predict": _predict}
        function = steps_by_kind[kind]
        # "auto" takes any refusal (fullgraph) as the sign to run this model eagerly, quietly;
        # True warns where the step cannot be replayed, as torch.compile does.
        steps[kind] = ag.compile(lambda *args: function(model, *args),
                                 fullgraph=model._jit_setting is not True)
    return steps[kind]


def forget(model: Any) -> None:
    """Drop the model's recorded steps (a new ``compile`` changes what they do)."""
    model.__dict__.pop("_jit_steps", None)
    model.__dict__.pop("_jit_refused", None)


def run(model: Any, kind: str, compiled: Any, *arrays: Any) -> Any:
    """Call ``compiled`` on the batch ``arrays`` (numpy, or None), as tensors. Under
    ``"auto"``, a step that cannot be captured (or stops being replayable: too many shapes)
    runs eagerly for good, that kind of step only, and None is returned: the caller then runs
    its eager step."""
    tensors = [None if a is None else ag.as_tensor(a) for a in arrays]
    try:
        return compiled(*tensors)
    except ag.CaptureError:
        if model._jit_setting is True:
            raise
        model.__dict__.setdefault("_jit_refused", set()).add(kind)
        return None


def _train(model: Any, x: Any, y: Any, w: Any = None) -> tuple[Any, Any, Any]:
    """One optimizer step on a batch (``Model._train_step``'s eager path, on tensors)."""
    with training_scope(True):
        prediction, data_loss, total = model._losses(x, y, w)
    model.optimizer.zero_grad()
    if total.requires_grad:
        total.backward()
        model.optimizer.step()
    return prediction, data_loss, total


def _test(model: Any, x: Any, y: Any, w: Any = None) -> tuple[Any, Any, Any]:
    """The loss on a batch in inference mode (``evaluate``'s step)."""
    losses: tuple[Any, Any, Any] = model._losses(x, y, w)
    return losses


def _predict(model: Any, x: Any) -> Any:
    """The model's outputs for a batch (``predict``'s step)."""
    return model(x)

