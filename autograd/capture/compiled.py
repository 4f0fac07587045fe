"""``compile``: a step recorded on its first calls and replayed on the next ones.

The life of a compiled function, per set of guards (the shapes and dtypes of its tensor
arguments, the values of its other arguments, grad mode, and the ``training`` flag of every
module the step called):

1. The first call runs the function eagerly and records it (``Recording``).
2. The second call does the same, and the two recordings are compared instruction by
   instruction. They differ when the step's work depends on something the recording cannot see
   (a Python number that changes between calls, a branch on a counter): the function is then
   recorded again on the next call, and after ``RECORDINGS`` tries runs eagerly for good, with
   one warning that says what differed and where.
3. From the third call on, the recording is replayed (``Program``): the same numpy calls in the
   same order, with no graph, so the results have the same bits as the eager step's.

A call whose guards match no recording starts at 1 for those guards; past
``CACHE_SIZE_LIMIT`` sets of guards (PyTorch's ``cache_size_limit``), calls run eagerly, with
one warning.
"""

from __future__ import annotations

import functools
import warnings
import weakref
from typing import Any

import numpy as np

from autograd.capture.hooks import recording_hooks
from autograd.capture.recording import COMPUTED, CONSTANT, EXTERNAL, Recording
from autograd.capture.replay import Program
from autograd.capture.state import CaptureError
from autograd.grad_mode import state as grad_state
from autograd.node import Node
from autograd.scalar import Scalar
from autograd.tensor import Tensor

RECORDINGS = 4
"""Recordings tried per set of guards before a step whose recordings keep differing runs
eagerly."""

CACHE_SIZE_LIMIT = 8
"""Sets of guards recorded per compiled function before further ones run eagerly (PyTorch's
``recompile_limit``)."""

# every compiled function, for compiler.reset()
_ALL: weakref.WeakSet[CompiledFunction] = weakref.WeakSet()


def reset_all() -> None:
    """Forget the recordings of every compiled function (``torch.compiler.reset``)."""
    for compiled in list(_ALL):
        compiled.reset()


class _Entry:
    """What is known of one set of guards: the last recording, the program once ready."""

    def __init__(self) -> None:
        self.last: Recording | None = None
        self.outputs: Any = None
        self.program: Program | None = None
        self.tries = 0
        self.eager_reason: str | None = None


class CompiledFunction:
    """A function that records itself and then replays (``autograd.compile``'s result).

    Attributes:
        fn: The function as written.
        fullgraph: Raise instead of falling back to eager calls (PyTorch's ``fullgraph``).
    """

    def __init__(self, fn: Any, fullgraph: bool = False, name: str | None = None,
                 recompile_limit: int | None = None) -> None:
        self.fn = fn
        self.fullgraph = fullgraph
        self.name = name or getattr(fn, "__qualname__", repr(fn))
        self.recompile_limit = CACHE_SIZE_LIMIT if recompile_limit is None else recompile_limit
        self._entries: dict[Any, list[_Entry]] = {}
        self._warned = False
        functools.update_wrapper(self, fn)
        _ALL.add(self)

    @property
    def programs(self) -> list[Program]:
        """The replayable programs made so far, one per set of guards, in the order made
        (``draw_captured`` draws one; ``Program.source`` is its generated code)."""
        return [entry.program for entries in self._entries.values() for entry in entries
                if entry.program is not None]

    def reset(self) -> None:
        """Forget every recording: the next calls record again."""
        self._entries.clear()
        self._warned = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        tensors, key = _guard_key(args, kwargs)
        entry = self._entry(key)
        if entry is not None and entry.eager_reason is not None:
            if self.fullgraph:  # refused before the step runs, as for new guards
                raise CaptureError(f"autograd.compile: {self.name} cannot be replayed: "
                                   f"{entry.eager_reason}")
            return self.fn(*args, **kwargs)
        if entry is None:
            return self.fn(*args, **kwargs)
        if entry.program is not None:
            return self._replay(entry, tensors)
        return self._record(entry, tensors, args, kwargs)

    # --- guards ---

    def _entry(self, key: Any) -> _Entry | None:
        entries = self._entries.setdefault(key, [])
        for entry in entries:
            if entry.last is None or _modes_hold(entry.last):
                return entry
        if sum(len(e) for e in self._entries.values()) >= self.recompile_limit:
            self._fall_back(f"more than {self.recompile_limit} different sets of guards (argument "
                            f"shapes, dtypes and values, grad mode, train/eval modes) were "
                            f"recorded; the last: {key}")
            return None
        entry = _Entry()
        entries.append(entry)
        return entry

    # --- recording ---

    def _record(self, entry: _Entry, tensors: list[Any], args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> Any:
        earlier = frozenset() if entry.last is None else entry.last.computed_arrays()
        recording = Recording(tensors, earlier)
        try:
            with recording_hooks(recording):
                result = self.fn(*args, **kwargs)
            outputs = _output_spec(recording, result)
            recording.read_guards()
        except CaptureError:
            entry.last = None
            raise
        previous, entry.last, entry.outputs = entry.last, recording, outputs
        entry.tries += 1
        if previous is not None:
            difference = _difference(previous, recording)
            if difference is None:
                entry.program = Program(recording, outputs)
            elif entry.tries >= RECORDINGS:  # this call ran eagerly: later ones do too
                entry.eager_reason = f"its recordings kept differing: {difference}"
                if not self.fullgraph:
                    self._fall_back(entry.eager_reason)
        return result

    def _fall_back(self, reason: str) -> None:
        message = f"autograd.compile: {self.name} runs eagerly from now on: {reason}"
        if self.fullgraph:
            raise CaptureError(message)
        if not self._warned:
            self._warned = True
            warnings.warn(message, RuntimeWarning, stacklevel=4)

    # --- replay ---

    def _replay(self, entry: _Entry, tensors: list[Any]) -> Any:
        program = entry.program
        assert program is not None  # _entry hands out entries with a program to replay only
        return program.run(tensors)


def _guard_key(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[list[Any], Any]:
    """The step's tensor arguments, and a hashable key of everything the recording assumed:
    each tensor's shape, dtype and ``requires_grad``, each other argument's type and value,
    the keywords' names, and grad mode."""
    tensors: list[Any] = []
    parts: list[Any] = []
    values = (*args, *[kwargs[name] for name in sorted(kwargs)]) if kwargs else args
    for value in values:
        if isinstance(value, Tensor):
            tensors.append(value)
            data = value._data
            parts.append((data.shape, data.dtype, value.requires_grad))
        else:
            parts.append((type(value), _hashable(value)))
    return tensors, (tuple(sorted(kwargs)) if kwargs else (), tuple(parts),
                     grad_state.grad_enabled)


def _hashable(value: Any) -> Any:
    """A non-tensor argument as part of the guards: its value, which must not hold tensors or
    arrays (they would be read when recorded, not at each call) and must be hashable."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.ndarray):
        raise TypeError(f"autograd.compile: pass tensors to a compiled step, not numpy arrays "
                        f"(received an array of shape {value.shape}); autograd.as_tensor(x) "
                        f"wraps one without a copy")
    if isinstance(value, (tuple, list, dict)):
        items = value.values() if isinstance(value, dict) else value
        if any(isinstance(item, (Node, np.ndarray)) for item in items):
            raise TypeError(f"autograd.compile: a {type(value).__name__} holding tensors was "
                            f"passed to a compiled step; pass each tensor as an argument of "
                            f"its own, so that each call's tensors are the ones replayed")
    try:
        hash(value)
    except TypeError:
        raise TypeError(f"autograd.compile: the argument {value!r:.60} cannot be compared from "
                        f"call to call (unhashable); pass tensors, numbers, strings or tuples "
                        f"of them") from None
    return value


def _modes_hold(recording: Recording) -> bool:
    for read, value in recording.modes.values():
        if read() != value:
            return False
    return True


# --- the step's result ---

def _output_spec(recording: Recording, result: Any) -> Any:
    """How to rebuild ``result`` from a replay's slots: tensors become ``("slot", n)``."""
    if isinstance(result, Tensor):
        return ("slot", recording.slot_of(result, "the step's result"))
    if isinstance(result, Scalar):
        if recording.scalar_step is not None and result is recording.scalar_step.root:
            return ("scalar",)
        raise CaptureError(recording._message(
            "the step's result", "a captured Scalar step may return its loss (the Scalar it "
                                 "ran backward from) and nothing else computed"))
    if isinstance(result, (tuple, list)):
        return (type(result), [_output_spec(recording, r) for r in result])
    if isinstance(result, dict):
        return (dict, {k: _output_spec(recording, v) for k, v in result.items()})
    if result is None or isinstance(result, (bool, int, float, str)):
        return ("value", result)
    raise CaptureError(recording._message(
        "the step's result", f"a {type(result).__name__} is not something a replay can "
                             f"rebuild; return tensors (or tuples, lists, dicts of them)"))


# --- comparing two recordings ---

def _difference(a: Recording, b: Recording) -> str | None:
    """Where two recordings of the same step differ, in words; None when they do not."""
    if len(a.instructions) != len(b.instructions):
        where = next((i for i, (x, y) in enumerate(zip(a.instructions, b.instructions))
                      if x.kind != y.kind or x.parts[:1] != y.parts[:1]),
                     min(len(a.instructions), len(b.instructions)))
        line = (b.instructions[where].line if where < len(b.instructions) else
                a.instructions[where].line)
        return (f"the step did {len(a.instructions)} recorded things on one call and "
                f"{len(b.instructions)} on the next, first differing at {line} (a branch or "
                f"loop on a Python value)")
    if a.sources != b.sources:
        return "the step's tensors came from different places on two calls"
    for slot, source in enumerate(a.sources):
        if source == CONSTANT and not _same_array(a.values[slot], b.values[slot]):
            line = _user_of(b, slot)
            return (f"the constant used at {line} was {_short(a.values[slot])} on one call and "
                    f"{_short(b.values[slot])} on the next: a Python number (or a tensor made "
                    f"from Python data) that changes between calls would be frozen by a "
                    f"replay; pass it to the step as a tensor, or use an optimizer's schedule")
        if source == EXTERNAL and a.objects[slot] is not b.objects[slot]:
            line = _user_of(b, slot)
            return (f"the tensor used at {line} was a different object on two calls (e.g. a "
                    f"variable outside the step that was reassigned); pass it as an argument")
    for x, y in zip(a.instructions, b.instructions):
        if x.kind == "scalar" and y.kind == "scalar":
            # A Scalar graph's leaves made in the step are in its program, not in the slots.
            scalar = x.parts[0].difference(y.parts[0])
            if scalar is not None:
                return (f"the Scalar step that runs backward at {y.line} differed: {scalar}; "
                        f"a Scalar step is replayed only while its data stays the same: run a "
                        f"step on changing data (a minibatch) eagerly, by calling the function "
                        f"itself")
            continue
        if not _same_parts(_settings(x), _settings(y)):
            return (f"{_name(y)} at {y.line} was called with different settings on two "
                    f"calls: {_short(x.parts)} then {_short(y.parts)}")
    return None


def _settings(instruction: Any) -> tuple[Any, ...]:
    """The parts of an instruction that must match between two recordings: an op's live
    parameters (arrays of the step, read anew at each replay) are compared by slot only."""
    if instruction.kind == "live":  # its tensor arguments are compared by slot
        fn, args, kwargs, tensors, results = instruction.parts
        positions, names = {i for i, _ in tensors[0]}, {k for k, _ in tensors[1]}
        return (fn, tuple(None if i in positions else v for i, v in enumerate(args)),
                {k: None if k in names else v for k, v in kwargs.items()}, tensors, results)
    if instruction.kind != "op":
        return tuple(instruction.parts)
    op, slots, params, live, out = instruction.parts
    fixed = {name: value for name, value in params.items()
             if name not in {name for name, _ in live}}
    return (op, slots, fixed, live, out)


def _same_parts(x: tuple[Any, ...], y: tuple[Any, ...]) -> bool:
    if len(x) != len(y):
        return False
    for p, q in zip(x, y):
        if isinstance(p, np.ndarray) or isinstance(q, np.ndarray):
            if not _same_array(p, q):
                return False
        elif isinstance(p, dict) and isinstance(q, dict):
            if p.keys() != q.keys() or not _same_parts(tuple(p.values()), tuple(q.values())):
                return False
        elif isinstance(p, (tuple, list)) and isinstance(q, (tuple, list)):
            if not _same_parts(tuple(p), tuple(q)):
                return False
        elif _is_program(p) or _is_program(q):
            if type(p) is not type(q):
                return False
        elif p is not q and not _equal(p, q):
            return False
    return True


def _is_program(value: Any) -> bool:
    from autograd.capture.backward_program import BackwardProgram
    from autograd.capture.scalar_step import ScalarStep

    return isinstance(value, (BackwardProgram, ScalarStep))


def _equal(p: Any, q: Any) -> bool:
    if isinstance(p, Node) or isinstance(q, Node):
        return p is q
    try:
        return bool(p == q) and type(p) is type(q)
    except Exception:
        return False


def _same_array(p: Any, q: Any) -> bool:
    if not (isinstance(p, np.ndarray) and isinstance(q, np.ndarray)):
        return _equal(p, q)
    return p.dtype == q.dtype and p.shape == q.shape and bool(
        np.array_equal(p, q, equal_nan=p.dtype.kind in "fc"))


def _user_of(recording: Recording, slot: int) -> str:
    for instruction in recording.instructions:
        if instruction.kind == "op" and slot in instruction.parts[1]:
            return instruction.line
    return "<the step>"


def _name(instruction: Any) -> str:
    first = instruction.parts[0]
    return str(getattr(first, "name", getattr(first, "__name__", instruction.kind)))


def _short(value: Any) -> str:
    text = repr(value.tolist() if isinstance(value, np.ndarray) and value.size < 8 else value)
    return text if len(text) <= 80 else text[:77] + "..."


__all__ = ["CACHE_SIZE_LIMIT", "COMPUTED", "CompiledFunction", "RECORDINGS"]
