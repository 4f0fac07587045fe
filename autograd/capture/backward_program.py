"""``BackwardProgram``: a recorded backward, ready to run again on new arrays.

At capture the graph of the loss is walked once, in the engine's own order
(``engine.topological_order``); each step of the engine's loop becomes an entry: the slot of the
node's output, its op and inputs, and, per input that needs a gradient, where that gradient goes
(another node's slot, or a leaf's). ``autograd.capture.replay`` turns the entries into lines of
the replayed program: the same vjp rules on the same kinds of arrays, gradients added in the same
order, so the result has the same bits as the engine's; only the walking, checking and
bookkeeping of the graph is gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.tensor import Tensor

if TYPE_CHECKING:
    from autograd.capture.recording import Recording


class BackwardProgram:
    """The entries of one recorded backward (see the module docstring)."""

    def __init__(self) -> None:
        self.root = 0
        self.seed: tuple[tuple[int, ...], np.dtype[Any]] | int = ((), np.dtype(np.float32))
        self.steps: list[tuple[Any, ...]] = []
        self.leaves: list[int] = []  # leaf slots, in the order the engine stores their .grad
        self.assign: dict[int, bool] = {}  # leaf slot -> its .grad was None at backward
        self.grad_slots: dict[int, int] = {}  # leaf slot -> slot of its new .grad array
        self.leaf_objects: dict[int, Any] = {}

    @classmethod
    def build(cls, recording: Recording, roots: Any, seeds: Any) -> BackwardProgram:
        """The program of ``engine.run_backward(roots, seeds)``, read off the graph."""
        from autograd import engine
        from autograd.capture.recording import ARG, EXTERNAL
        from autograd.capture.state import CaptureError

        if len(roots) != 1:
            raise CaptureError(recording._message("backward", "a backward from several roots "
                                                              "at once is not captured"))
        program = cls()
        (root,), (seed,) = roots, seeds
        program.root = _recorded_slot(recording, root)
        if root._data.size == 1 and np.all(seed._data == 1):
            program.seed = (root._data.shape, root._data.dtype)
        else:
            program.seed = recording.slot_of(seed, "backward")
        for node in engine.topological_order(list(roots)):
            if node._op is None:
                slot = recording.slot_of(node, "backward")
                if recording.sources[slot] not in (ARG, EXTERNAL):
                    raise CaptureError(recording._message(
                        "backward", f"it would store a gradient in {node._describe()}, a leaf "
                                    f"made inside the step; a replay would lose it. Make the "
                                    f"tensors that require grad outside the step, or pass them "
                                    f"as arguments"))
                program.leaves.append(slot)
                program.leaf_objects[slot] = node
                program.assign[slot] = node.grad is None
                continue
            if node._retains_grad:
                raise CaptureError(recording._message(
                    "backward", "retain_grad() is not captured; return the value you need from "
                                "the step instead"))
            op, inputs = node._op, node._inputs()
            targets = []
            for i, x in enumerate(inputs):
                if x.requires_grad:
                    key = _recorded_slot(recording, x) if x._op is not None else \
                        recording.slot_of(x, "backward")
                    like = Tensor._wrap(np.broadcast_to(np.empty((), x._data.dtype),
                                                        x._data.shape))
                    targets.append((i, key, like))
            in_slots = tuple(recording.slot_of(x, "backward") for x in inputs)
            params, live = _live_params(recording, node._params)
            program.steps.append((_recorded_slot(recording, node), op, params, live, in_slots,
                                  tuple(targets)))
        return program

    def note_gradients(self, recording: Recording) -> None:
        """After the eager backward: give each leaf's new ``.grad`` array a slot."""
        for slot in self.leaves:
            grad = self.leaf_objects[slot].grad
            if grad is not None:
                self.grad_slots[slot] = recording.output(grad._data)
        self.leaf_objects = {}


def _vjp(op: Any, i: int, g: Any, out: Any, inputs: list[Any], params: dict[str, Any],
         like: Tensor) -> Any:
    """What ``Op.raw_vjp`` computes, on arrays rather than graph values."""
    rules = op.rules
    if op.raw_rules:
        if isinstance(rules, tuple):
            return rules[i](g, out, *inputs, **params)
        return rules(i, g, out, *inputs, **params)
    values = tuple(Tensor._wrap(x) for x in inputs)
    grad = op.vjp(i, Tensor._wrap(g), Tensor._wrap(out), values, params)
    return like._fit_gradient(grad, op, i)._data


def _recorded_slot(recording: Recording, node: Any) -> int:
    from autograd.capture.recording import COMPUTED
    from autograd.capture.state import CaptureError

    slot = recording.slot_by_array.get(id(node._data))
    if slot is None or recording.sources[slot] != COMPUTED:
        raise CaptureError(recording._message(
            "backward", f"the graph of {node._describe()} was recorded outside the step; "
                        f"compute the loss inside the captured function"))
    return slot


def _live_params(recording: Recording, params: dict[str, Any]
                 ) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """An op's parameters, and the ``(name, slot)`` of those that are arrays of the step (an
    index tensor's array), or ``(name, slots)`` for a tuple holding some (an index with several
    arrays, a slot or None per item): a replay reads those anew."""
    live: list[tuple[str, Any]] = []
    for name, value in params.items():
        if isinstance(value, np.ndarray) and id(value) in recording.slot_by_array:
            live.append((name, recording.slot_by_array[id(value)]))
        elif isinstance(value, tuple):
            slots = tuple(recording.slot_by_array.get(id(v)) if isinstance(v, np.ndarray)
                          else None for v in value)
            if any(s is not None for s in slots):
                live.append((name, slots))
    return params, tuple(live)


def live_values(params: dict[str, Any], live: tuple[Any, ...], env: list[Any]
                ) -> dict[str, Any]:
    """``params`` with the arrays of this replay in place of the live ones."""
    fresh = dict(params)
    for name, slot in live:
        if isinstance(slot, tuple):
            fresh[name] = tuple(v if s is None else env[s] for v, s in zip(params[name], slot))
        else:
            fresh[name] = env[slot]
    return fresh
