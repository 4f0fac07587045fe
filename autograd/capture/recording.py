"""``Recording``: one eager run of a step, written down as a flat list of instructions.

While the step's function runs, the engine's entry points are routed through the recording
(``hooks`` installs and removes them): every operation applied, every backward, every in-place
update under ``no_grad``, every assignment to ``.data`` and every call of a function marked
``compiler.disable`` (optimizer updates, schedules, random draws) runs as usual and is also
written down. Each array involved gets a *slot*: the step's tensor arguments, the tensors that
existed before the step (parameters, constants held by the program), the constants the step
made, and the result of every instruction. The replay (``autograd.capture.replay``) runs the
instructions again on new arrays, slot by slot, without building a graph.

Whatever the recording cannot write down faithfully is refused with a ``CaptureError`` that
names the user's line and says how to restructure: reading a value into Python, a tensor made
from numpy data inside the step, a graph recorded outside the step, an in-place change that
would itself be recorded.
"""

from __future__ import annotations

from threading import get_ident
from typing import Any, NamedTuple

import numpy as np

from autograd import anomaly
from autograd.capture.state import CaptureError
from autograd.constants import is_shared_number
from autograd.grad_mode import state as grad_state
from autograd.op import Op
from autograd.scalar import Scalar
from autograd.tensor import Tensor


class Instruction(NamedTuple):
    """One recorded step of work: ``kind`` says which, ``line`` where the user wrote it.

    ``kind`` and ``parts``:
    - ``"op"``: ``(op, input slots, params, live params, output slot)``: ``op.forward`` on
      the inputs; ``live params`` are ``(name, slot)`` of parameters that are arrays of the
      step (an index tensor's array), read anew at each replay.
    - ``"ufunc"``: ``(ufunc, target slot, ("slot", n) or ("number", v), name)``: an in-place
      update.
    - ``"call"``: ``(function, input slots, output slot)``: a function on arrays outside the
      op table (a comparison's ufunc).
    - ``"copy"``: ``(target slot, source slot, name)``: ``np.copyto`` (``copy_``, ``zero_``).
    - ``"set_data"``: ``(target slot, source slot)``: ``tensor.data = new``.
    - ``"backward"``: ``(BackwardProgram,)``.
    - ``"live"``: ``(fn, args, kwargs, tensor arguments, results)``: a function marked
      ``compiler.disable``, called again with the tensors of the replay in place of its tensor
      arguments (``(position, slot)`` pairs); ``results`` says where its results go (see
      ``Recording._result_spec``); a Python value among them must come back the same.
    - ``"scalar"``: ``(ScalarStep,)``: the forward and backward of a graph of Scalars.
    """

    kind: str
    parts: tuple[Any, ...]
    line: str


# Where each slot's array comes from at the start of a replay.
ARG, EXTERNAL, CONSTANT, COMPUTED = "arg", "external", "constant", "computed"


class Recording:
    """The instructions and slots of one eager run of a step (see the module docstring).

    Args:
        args: The step's tensor arguments, in order: each gets a slot read at every replay.
        earlier: Ids of the arrays that the previous recording of the same step computed (kept
            alive by it): a step that uses one of them (a result of the previous call kept in a
            variable outside the step) is refused.
    """

    def __init__(self, args: list[Tensor], earlier: frozenset[int] = frozenset()) -> None:
        self.instructions: list[Instruction] = []
        self.sources: list[str] = []  # per slot: ARG, EXTERNAL, CONSTANT or COMPUTED
        self.values: list[Any] = []  # per slot: the array of this run (constants keep it)
        self.objects: dict[int, Any] = {}  # slot -> the external tensor it reads
        self.kept: list[Any] = []  # arrays whose ids name slots but whose values are copied
        self.slot_by_array: dict[int, int] = {}  # id(array) -> slot; the arrays stay alive
        self.arg_slots = [self._new_slot(t._data, ARG) for t in args]
        self.created: dict[int, Tensor] = {}  # tensors made during the run, kept alive
        self.constants: set[int] = set()  # of those, the ones safe to keep as they are
        self.constant_arrays: set[int] = set()  # and their arrays
        self.earlier = earlier
        self.depth = 0  # > 0 inside a live call or a backward: nothing nested is recorded
        self.thread = get_ident()  # the step's thread: other threads' work is not the step's
        self.modes: dict[Any, tuple[Any, Any]] = {}  # guards: key -> (read, value read)
        self.scalar_step: Any = None  # the ScalarStep of a step on Scalars

    # --- slots ---

    def _new_slot(self, array: Any, source: str) -> int:
        slot = len(self.values)
        if source == CONSTANT:
            # The program keeps a copy as it is now: the tensor made in this call is the
            # caller's to change afterwards (a result), and must not change the program.
            self.kept.append(array)  # its id stays this array's while the recording lives
            self.values.append(np.array(array, copy=True))
        else:
            self.values.append(array)
        self.sources.append(source)
        self.slot_by_array[id(array)] = slot
        return slot

    def output(self, array: Any) -> int:
        """A new slot for an array an instruction computed."""
        return self._new_slot(array, COMPUTED)

    def slot_of(self, t: Any, who: str) -> int:
        """The slot of tensor ``t`` read by instruction ``who``, made on first sight."""
        slot = self.slot_by_array.get(id(t._data))
        if slot is not None:
            return slot
        if not isinstance(t, Tensor):
            raise CaptureError(self._message(
                who, f"it uses {t._describe()}; a captured step works on tensors only (Scalars "
                     f"are captured by a step whose values are all Scalars)"))
        made_here = id(t) in self.created
        if made_here and t._base is not None and t._data is t._base._data:
            return self.slot_of(t._base, who)  # `p.data`: the tensor it shares its array with
        if is_shared_number(t) or id(t) in self.constants:
            return self._new_slot(t._data, CONSTANT)
        if made_here:
            raise CaptureError(self._message(
                who, f"it uses {t._describe()}, made from numpy data inside the step; a replay "
                     f"would keep this call's values. Pass it to the step as an argument, make "
                     f"it from other tensors with operations, or make it in a function marked "
                     f"@autograd.compiler.disable (run anew at every step)"))
        if id(t._data) in self.earlier:
            raise CaptureError(self._message(
                who, f"it uses {t._describe()}, a tensor that an earlier call of the step made "
                     f"(kept in a variable outside it); a replay would keep reading that old "
                     f"tensor. Pass it to the step as an argument instead"))
        slot = self._new_slot(t._data, EXTERNAL)
        self.objects[slot] = t
        # Freezing a parameter (requires_grad False) changes what backward computes.
        self.guard(("requires_grad", slot), lambda: t.requires_grad)
        return slot

    def release_arrays(self) -> None:
        """Once a program is made from this recording, keep only what it still reads: the
        constants, and the shape and dtype of every other slot (for drawings), not the
        arrays of the recorded call (activations, gradients), which would otherwise stay in
        memory as long as the program."""
        self.values = [value if source == CONSTANT or not isinstance(value, np.ndarray)
                       else np.broadcast_to(np.empty((), value.dtype), value.shape)
                       for value, source in zip(self.values, self.sources)]
        self.created, self.slot_by_array, self.kept = {}, {}, []

    def computed_arrays(self) -> frozenset[int]:
        """Ids of the arrays the instructions computed (see ``earlier``)."""
        return frozenset(id(value) for value, source in zip(self.values, self.sources)
                         if source == COMPUTED)

    def mark_constant(self, t: Any) -> None:
        """Note that ``t``, made during the run, depends on nothing that changes (``zeros``)."""
        if isinstance(t, Tensor):
            self.constants.add(id(t))
            self.constant_arrays.add(id(t._data))

    def created_tensor(self, t: Any) -> None:
        self.created[id(t)] = t

    # --- the instructions ---

    def add(self, kind: str, *parts: Any) -> None:
        self.instructions.append(Instruction(kind, parts, anomaly.user_source_line()))

    def apply(self, original: Any, op: Op, inputs: tuple[Any, ...], params: dict[str, Any]
              ) -> Any:
        """``op`` applied to ``inputs``: run it, and record it unless nested in a live call."""
        if self.depth or get_ident() != self.thread:  # nested, or another thread's
            return original(op, *inputs, **params)
        if isinstance(inputs[0], Scalar):  # a Scalar graph is its own record (ScalarStep)
            out = original(op, *inputs, **params)
            self.created[id(out)] = out
            return out
        from autograd.capture.backward_program import _live_params

        slots = tuple(self.slot_of(x, op.name) for x in inputs)
        for value in params.values():
            if isinstance(value, Tensor):
                raise CaptureError(self._message(
                    op.name, "it takes a tensor as a parameter; a replay would keep this "
                             "call's values"))
        out = original(op, *inputs, **params)
        params, live = _live_params(self, params)
        self.add("op", op, slots, params, live, self.output(out._data))
        return out

    def compare(self, original: Any, t: Tensor, ufunc: Any, other: Any) -> Any:
        """``t < other`` and the other comparisons: a ufunc on two arrays, no graph."""
        if self.depth or get_ident() != self.thread:  # nested, or another thread's
            return original(t, ufunc, other)
        # Nested comparisons (a weak set's lookup compares tensors) are not the step's.
        self.depth += 1
        try:
            a = self.slot_of(t, ufunc.__name__)
            b = self.slot_of(t._lift(other), ufunc.__name__)
            out = original(t, ufunc, other)
        finally:
            self.depth -= 1
        self.add("call", ufunc, (a, b), self.output(out._data))
        return out

    def in_place(self, original: Any, tensor: Tensor, name: str, other: Any, compute: Any,
                 ufunc: Any) -> Any:
        """An in-place update (``sub_``, ``-=``, ``zero_``): see ``autograd.tensor_inplace``."""
        if self.depth or get_ident() != self.thread:  # nested, or another thread's
            return original(tensor, name, other, compute, ufunc)
        recorded = grad_state.grad_enabled and (
            tensor.requires_grad or bool(getattr(other, "requires_grad", False)))
        if recorded:
            raise CaptureError(self._message(
                name, f"it changes {tensor._describe()} in place while recording its gradient; "
                      f"write it out of place (y = x + ..., or x = x + ...)"))
        if ufunc is None:  # computed by operations (recorded), then copied in by _write
            return original(tensor, name, other, compute, ufunc)
        target = self.slot_of(tensor, name)
        value = ("slot", self.slot_of(other, name)) if isinstance(other, Tensor) else \
            ("number", other)
        if isinstance(other, np.ndarray):
            raise CaptureError(self._message(
                name, "its operand is a numpy array; a replay would keep this call's values. "
                      "Pass a tensor (an argument of the step)"))
        result = original(tensor, name, other, compute, ufunc)
        self.add("ufunc", ufunc, target, value, name)
        return result

    def write(self, original: Any, tensor: Tensor, name: str, values: Any) -> None:
        """The copy at the end of an in-place update computed by operations."""
        if self.depth or get_ident() != self.thread:  # nested, or another thread's
            original(tensor, name, values)
            return None
        target = self.slot_of(tensor, name)
        source = self._known_base(values)
        if source is None:
            raise CaptureError(self._message(
                name, f"it writes values computed in numpy into {tensor._describe()}; a replay "
                      f"would keep this call's values. Use operations (torch.where, "
                      f"masked_fill) or make the values in a function marked "
                      f"@autograd.compiler.disable"))
        original(tensor, name, values)
        self.add("copy", target, source, name)
        return None

    def _known_base(self, array: Any) -> int | None:
        """The slot of ``array`` or of the array it is a view of (a broadcast of a constant);
        a constant's array gets a slot here (``zero_()`` copies in a number's constant)."""
        while isinstance(array, np.ndarray):
            slot = self.slot_by_array.get(id(array))
            if slot is not None:
                return slot
            if id(array) in self.constant_arrays or (array.ndim == 0
                                                     and not array.flags.writeable):
                return self._new_slot(array, CONSTANT)  # a number written in the code
            array = array.base
        return None

    def set_data(self, original: Any, tensor: Tensor, value: Any) -> None:
        """``tensor.data = value``: the tensor's array is replaced."""
        if self.depth or get_ident() != self.thread:  # nested, or another thread's
            original(tensor, value)
            return None
        target = self.slot_of(tensor, "data assignment")
        if not isinstance(value, Tensor):
            raise CaptureError(self._message(
                "data assignment", "the new value is not a tensor; a replay would keep this "
                                   "call's values. Assign a tensor computed in the step"))
        source = self.slot_of(value, "data assignment")
        original(tensor, value)
        if self.sources[target] != EXTERNAL:
            raise CaptureError(self._message(
                "data assignment", "only a tensor that exists outside the step (a parameter) "
                                   "can have its data replaced in a captured step"))
        self.slot_by_array[id(tensor._data)] = target
        self.add("set_data", target, source)
        return None

    def live_call(self, fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """A ``compiler.disable`` function: run it, nothing inside recorded; replayed as a call."""
        if self.depth or get_ident() != self.thread:  # nested, or another thread's
            return fn(*args, **kwargs)
        # An iterator (model.parameters()) would be spent after this call: the replay gets a
        # list of what it yields now.
        args = tuple(list(v) if _is_iterator(v) else v for v in args)
        kwargs = {k: list(v) if _is_iterator(v) else v for k, v in kwargs.items()}
        # The tensors it is given, by slot: a replay gives it the tensors of that call.
        tensor_args = tuple((i, self.slot_of(v, fn.__name__)) for i, v in enumerate(args)
                            if isinstance(v, Tensor))
        tensor_kwargs = tuple((k, self.slot_of(v, fn.__name__)) for k, v in kwargs.items()
                              if isinstance(v, Tensor))
        self.depth += 1
        try:
            result = fn(*args, **kwargs)
        finally:
            self.depth -= 1
        self.add("live", fn, args, kwargs, (tensor_args, tensor_kwargs),
                 self._result_spec(fn, result))
        return result

    def _result_spec(self, fn: Any, result: Any) -> tuple[Any, ...]:
        """How a replay finds a live call's results: ``("slot", n)`` for a tensor or an array
        (an index an operation takes as parameter), ``("value", v)`` for a Python value,
        ``("tuple", specs)``."""
        if isinstance(result, Tensor):
            return ("slot", self.output(result._data))
        if isinstance(result, np.ndarray):
            return ("slot", self.output(result))
        if isinstance(result, tuple):
            return ("tuple", tuple(self._result_spec(fn, r) for r in result))
        if result is None or isinstance(result, (bool, int, float, str)):
            return ("value", result)
        raise CaptureError(self._message(
            fn.__name__, f"it returned a {type(result).__name__}; a function marked "
                         f"compiler.disable returns tensors, arrays, Python values or tuples "
                         f"of them"))

    def backward(self, original: Any, roots: Any, seeds: Any, **options: Any) -> Any:
        """A backward: the program that repeats it is built from the graph, then it runs."""
        from autograd.capture.backward_program import BackwardProgram

        if self.depth or get_ident() != self.thread:  # nested, or another thread's
            return original(roots, seeds, **options)
        unsupported = [name for name in ("capture", "on_gradient") if options.get(name)]
        if options.get("create_graph"):
            unsupported.append("create_graph")
        if unsupported or grad_state.anomaly_enabled:
            named = ", ".join(unsupported) or "detect_anomaly"
            raise CaptureError(self._message(
                "backward", f"only backward() into .grad is captured, not {named} "
                            f"(autograd.grad, create_graph, backward(inputs=)); run that step "
                            f"eagerly"))
        if isinstance(roots[0], Scalar):
            return self._scalar_backward(original, roots, seeds, options)
        program = BackwardProgram.build(self, roots, seeds)
        self.depth += 1
        try:
            result = original(roots, seeds, **options)
        finally:
            self.depth -= 1
        program.note_gradients(self)
        self.add("backward", program)
        return result

    def _scalar_backward(self, original: Any, roots: Any, seeds: Any,
                         options: dict[str, Any]) -> Any:
        from autograd.capture.scalar_step import ScalarStep

        if self.scalar_step is not None or len(roots) != 1 or seeds[0]._data != 1.0:
            raise CaptureError(self._message(
                "backward", "a captured Scalar step runs one backward, from its loss"))
        # Building the program checks each op's vjp rules on arrays, some of them written with
        # graph operations on Tensors: that work is the capture's own, not the step's, and must
        # not be recorded (nor refused as tensors made from numpy data inside the step).
        self.depth += 1
        try:
            self.scalar_step = step = ScalarStep.build(roots[0], self.created)
            result = original(roots, seeds, **options)
        finally:
            self.depth -= 1
        self.guard(("scalar requires_grad",), step.requires_grad)
        self.add("scalar", self.scalar_step)
        return result

    def refuse_scalar(self, scalar: Any, what: str) -> None:
        """``.data`` of a Scalar read or assigned during the capture of a step."""
        if self.depth or get_ident() != self.thread or (
                what == "reading .data" and scalar._op is None):
            return
        raise CaptureError(self._message(
            what, f"{scalar._describe()}: a captured Scalar step replays its forward and "
                  f"backward only, so values read or written in Python would stay this call's. "
                  f"Return the loss from the step and update the parameters after the call "
                  f"(for p in params: p.data -= lr * p.grad)"))

    def refuse_read(self, t: Any, who: str) -> None:
        """A value read into Python: refused when it would differ at the next step."""
        if self.depth or get_ident() != self.thread:  # nested, or another thread's
            return
        slot = self.slot_by_array.get(id(t._data))
        if slot is None and id(t) in self.created and t._base is not None:
            slot = self.slot_by_array.get(id(t._base._data))
        if slot is None:  # made in the step outside the record (from data), or from outside
            if id(t) not in self.created or id(t) in self.constants or is_shared_number(t):
                return
        elif self.sources[slot] == CONSTANT:
            return
        raise CaptureError(self._message(
            who, f"it reads the value of {t._describe()} into Python while the step is "
                 f"captured; a replay does not run Python code, so that value (and any "
                 f"decision made from it) would stay this call's. Return the tensor from the "
                 f"step and read it after the call"))

    def guard(self, key: Any, read: Any) -> None:
        """Replay only while ``read()`` gives what it gives when the step has returned (a
        module's ``training``): read then, as a replay's guards are read before its call,
        outside whatever the step itself sets up (a training scope it enters)."""
        if key not in self.modes:
            self.modes[key] = (read, None)

    def read_guards(self) -> None:
        """Read every guard's value: called once the step has returned."""
        self.modes = {key: (read, read()) for key, (read, _) in self.modes.items()}

    def _message(self, who: str, what: str) -> str:
        return (f"autograd.compile: {who} at {anomaly.user_source_line()}: {what}. (Or run "
                f"this step eagerly: call the function itself, not the compiled one.)")




def _is_iterator(value: Any) -> bool:
    return not isinstance(value, (Tensor, np.ndarray)) and hasattr(value, "__next__") and \
        iter(value) is value
