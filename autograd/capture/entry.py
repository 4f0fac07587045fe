"""``compile`` and ``guard``: the public entry points of ``autograd.capture`` (see its
docstring for how a captured step works)."""

from __future__ import annotations

from typing import Any

from autograd.capture import state

# The modules that record and replay import the engine: ``compile`` imports them when first
# called, so that the engine's own modules can import ``autograd.capture.state``.
_MODES = (None, "default", "reduce-overhead", "max-autotune", "max-autotune-no-cudagraphs")


def compile(model: Any = None, *, fullgraph: bool = False, dynamic: bool | None = None,
            backend: Any = None, mode: str | None = None, options: dict[Any, Any] | None = None,
            name: str | None = None, disable: bool = False, recompile_limit: int | None = None,
            isolate_recompiles: bool = False, shapes_spec: Any = None) -> Any:
    """Capture a training step once and replay it on later calls (``torch.compile``).

    The first two calls run ``model`` eagerly while recording what it does: every operation,
    the backward, the in-place updates, and the calls of functions marked
    ``autograd.compiler.disable`` (an optimizer's ``step`` and ``zero_grad``, a scheduler's
    ``step``, random draws such as dropout masks). When the two recordings agree, later calls
    replay the record: the same numpy calls on the new arguments, without building a graph,
    giving the same bits as the eager step. The result holds new tensors (not recorded).

    What stays live at each replay: the step's tensor arguments, the parameters and other
    tensors that existed before the step (read anew), optimizer state and settings (the
    learning rate a schedule sets), random draws. What a replay guards and records again on a
    change: argument shapes and dtypes, the values of non-tensor arguments, grad mode, the
    train/eval mode of the modules the step called. What is refused while recording, with an
    error naming the line: reading a tensor's value into Python (``.item()``, ``float()``,
    ``if t:``), a tensor made from numpy data inside the step, an in-place change recorded
    for backward. Python code of the step that makes no tensor work (prints, counters) runs
    only while recording; a Python number that changes between calls is seen as a difference
    between the two recordings, and the step then runs eagerly with a warning.

    Args:
        model: The function to capture (or use ``@autograd.compile`` as a decorator). A
            ``Module`` is refused: capture the whole training step instead.
        fullgraph: Raise instead of warning and running eagerly when the step cannot be
            replayed (PyTorch's meaning: no fallback).
        dynamic: Only None and False (each new shape is recorded anew).
        backend: ``"eager"`` and ``"aot_eager"`` run the function as written (PyTorch's
            debugging backends); anything else (None: PyTorch's default) captures.
        mode: Accepted for PyTorch's names; every mode captures the same way
            (``"reduce-overhead"``, CUDA graphs in PyTorch, is the closest relative).
        options: Only None or an empty dict.
        name: A name for warnings and errors (default: the function's).
        disable: Return ``model`` itself, as PyTorch does.
        recompile_limit: How many sets of guards are recorded before further ones run
            eagerly (default ``CACHE_SIZE_LIMIT``, 8, PyTorch's).
        isolate_recompiles, shapes_spec: PyTorch's; only their defaults.

    Returns:
        A ``CompiledFunction`` (called like ``model``), or a decorator when ``model`` is None.

    Raises:
        CaptureError: While recording, for what a replay could not repeat (see above).

    Examples:
        >>> import autograd as torch, optim
        >>> w = torch.tensor([3.0], requires_grad=True)
        >>> opt = optim.SGD([w], lr=0.1)
        >>> @torch.compile
        ... def step(x):
        ...     opt.zero_grad()
        ...     loss = ((w * x) ** 2).sum()
        ...     loss.backward()
        ...     opt.step()
        ...     return loss
        >>> losses = [step(torch.tensor([1.0])).item() for _ in range(3)]
        >>> [round(v, 4) for v in losses]
        [9.0, 5.76, 3.6864]
    """
    if dynamic:
        raise NotImplementedError("autograd.compile: dynamic=True is not supported; each new "
                                  "set of shapes is recorded anew (dynamic=None or False)")
    if options:
        raise NotImplementedError(f"autograd.compile: options are not supported "
                                  f"(received {options!r})")
    if isolate_recompiles or shapes_spec is not None:
        raise NotImplementedError("autograd.compile: isolate_recompiles and shapes_spec are "
                                  "not supported; leave them at their defaults")
    if mode not in _MODES:
        raise RuntimeError(f"Unrecognized mode={mode!r}, should be one of: "
                           f"{', '.join(str(m) for m in _MODES[1:])}")
    if model is None:
        return lambda fn: compile(fn, fullgraph=fullgraph, dynamic=dynamic, backend=backend,
                                  mode=mode, options=options, name=name, disable=disable,
                                  recompile_limit=recompile_limit)
    if disable or backend in ("eager", "aot_eager"):
        return model
    if hasattr(model, "parameters") and hasattr(model, "forward"):
        raise NotImplementedError(
            "autograd.compile(module): capturing a module's forward alone is not supported; "
            "compile the whole training step (forward, loss, backward, optimizer.step()) as "
            "one function, which is where the replay saves the most")
    if not callable(model):
        raise TypeError(f"autograd.compile expects a function. Received: {model!r:.80}")
    from autograd.capture.compiled import CompiledFunction

    return CompiledFunction(model, fullgraph=fullgraph, name=name,
                            recompile_limit=recompile_limit)


def guard(key: Any, read: Any) -> None:
    """While a step is being recorded, make its replays depend on ``read()`` (a function of no
    argument) giving the value it gives now; outside a recording, do nothing.

    Library code calls it for state that decides what a step computes but that no tensor
    holds: ``nn`` guards each module's ``training`` flag and Keras' training scope, so a model
    switched to ``eval()`` is recorded anew instead of replaying its training step. ``key``
    names the guard (one per key and recording).

    Examples:
        >>> import autograd as ag
        >>> flags = {"train": True}
        >>> ag.capture.guard("train flag", lambda: flags["train"])  # nothing is recorded now
    """
    recording = state.recording
    if recording is not None and not recording.depth:
        recording.guard(key, read)

