"""``Program``: a recording turned into one Python function that runs it again.

The recording becomes straight-line Python source, one line (or a few) per instruction, where
each slot is a local variable (``v12``), each gradient too (``g12``), and each function, op
parameter or constant a global of the generated function: ``v7 = F3(v5, v6)`` applies an op's
forward, ``g5 = R9(g7, v7, v5, v6)`` one of its vjp rules. Running it is a sequence of numpy
calls with a local-variable load between them: no graph is built, no node made, nothing checked
per operation (the guards that make this safe were checked once, before the call: see
``compiled``). ``Program.source`` is the generated text, for whoever wants to read it.

Where the engine's backward would sum a gradient to an input's shape or convert its dtype, the
generated code calls the same function; where the backward of the recorded step showed that
nothing needs fitting, it does not. Gradients are added in the engine's order, so the bits are
the engine's.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import numpy as np

from autograd.capture.backward_program import BackwardProgram, _vjp, live_values
from autograd.capture.recording import CONSTANT, EXTERNAL, Recording
from autograd.capture.state import CaptureError
from autograd.grad_mode import no_grad
from autograd.scalar import Scalar
from autograd.tensor import Tensor


class Program:
    """The replayable form of a ``Recording`` (see the module docstring).

    Args:
        recording: What was recorded.
        result: How the step's result is rebuilt from the slots (``compiled._output_spec``):
            ``run`` returns it, new tensors around the replay's arrays.

    Attributes:
        source: The generated function's source text.
    """

    def __init__(self, recording: Recording, result: Any) -> None:
        self.recording = recording
        self.result = result
        self.sources = recording.sources
        self.arg_index = {slot: k for k, slot in enumerate(recording.arg_slots)}
        self.externals = [slot for slot, source in enumerate(recording.sources)
                          if source == EXTERNAL]
        self.namespace: dict[str, Any] = {"copyto": np.copyto, "Tensor": Tensor,
                                          "Scalar": Scalar}
        self.lines: list[str] = []
        for slot in self.externals:
            self.namespace[f"o{slot}"] = recording.objects[slot]
        for slot, source in enumerate(recording.sources):
            if source == CONSTANT:
                self.namespace[f"c{slot}"] = recording.values[slot]
        self._generate()
        self.source = "\n".join(self.lines)
        exec(compile(self.source, f"<captured step {id(self):x}>", "exec"), self.namespace)
        self._replay = self.namespace["replay"]
        recording.release_arrays()

    def run(self, args: list[Any]) -> Any:
        """Replay on the tensors ``args``; returns the step's result, rebuilt."""
        return self._replay(args)

    # --- generating the source ---

    def _global(self, prefix: str, value: Any) -> str:
        name = f"{prefix}{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def _ref(self, slot: int) -> str:
        return f"c{slot}" if self.sources[slot] == CONSTANT else f"v{slot}"

    def _object(self, slot: int) -> str | None:
        if slot in self.arg_index:
            return f"args[{self.arg_index[slot]}]"
        if self.sources[slot] == EXTERNAL:
            return f"o{slot}"
        return None

    def _emit(self, line: str) -> None:
        self.lines.append("    " + line)

    def _refresh_externals(self) -> None:
        for slot in self.externals:
            self._emit(f"v{slot} = o{slot}._data")

    def _generate(self) -> None:
        self.lines.append("def replay(args):")
        for slot, k in self.arg_index.items():
            self._emit(f"v{slot} = args[{k}]._data")
        self._refresh_externals()
        for kind, parts, _ in self.recording.instructions:
            getattr(self, f"_gen_{kind}")(*parts)
        self._emit(f"return {self._result(self.result)}")
        self._drop_unread_refreshes()

    def _drop_unread_refreshes(self) -> None:
        """Remove the reads of a tensor's array (``v2 = o2._data`` after each live call,
        ``v15 = o9.grad._data`` after a backward) that no later line uses before the next
        read into the same name."""
        read = r" {4}(v\d+) = (?:o\d+|args\[\d+\])\.(?:grad\.)?_data"
        kept: list[str] = []
        for number, line in enumerate(self.lines):
            match = re.fullmatch(read, line)
            if match is not None:
                name = match.group(1)
                used = re.compile(rf"\b{name}\b")
                later = next((rest for rest in self.lines[number + 1:] if used.search(rest)),
                             None)
                read_again = later is not None and later.startswith(f"    {name} = ") and \
                    re.fullmatch(read, later) is not None
                if later is None or read_again:
                    continue
            kept.append(line)
        self.lines = kept

    def _result(self, spec: Any) -> str:
        """The expression that rebuilds a result: a tensor around a slot's array, an argument
        or a tensor from outside the step as itself, containers of them, plain values."""
        kind = spec[0]
        if kind == "slot":
            if self.sources[spec[1]] == CONSTANT:  # a copy: the program's own must not change
                return f"Tensor._wrap({self._ref(spec[1])}.copy())"
            return self._object(spec[1]) or f"Tensor._wrap({self._ref(spec[1])})"
        if kind == "scalar":
            return f"Scalar._wrap({self._global('S', self.recording.scalar_step)}.value)"
        if kind == "value":
            return self._global("N", spec[1])
        if kind is dict:
            items = ", ".join(f"{self._global('K', key)}: {self._result(value)}"
                              for key, value in spec[1].items())
            return f"{{{items}}}"
        parts = [self._result(s) for s in spec[1]]
        if kind is tuple:
            return f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"
        if kind is list:
            return f"[{', '.join(parts)}]"
        if hasattr(kind, "_fields"):  # a named tuple takes its items as arguments
            return f"{self._global('TYPE', kind)}({', '.join(parts)})"
        return f"{self._global('TYPE', kind)}([{', '.join(parts)}])"

    def _call(self, function: str, args: list[str], params: dict[str, Any],
              live: tuple[Any, ...]) -> str:
        """``function(args..., name=value...)``, the live parameters read from their slots."""
        keywords = []
        for name, slot in live:
            if not name.isidentifier():  # only names, numbers and globals enter the source
                raise CaptureError(f"autograd.compile: an op parameter named {name!r}")
            if isinstance(slot, tuple):  # a tuple index holding arrays of the step
                fixed = self._global("T", params[name])
                items = [f"{fixed}[{i}]" if s is None else self._ref(s)
                         for i, s in enumerate(slot)]
                keywords.append(f"{name}=({', '.join(items)},)")
            else:
                keywords.append(f"{name}={self._ref(slot)}")
        return f"{function}({', '.join(args + keywords)})"

    def _function(self, prefix: str, function: Any, params: dict[str, Any],
                  live: tuple[Any, ...]) -> str:
        """A global for ``function`` with its fixed parameters bound."""
        names = {name for name, _ in live}
        fixed = {k: v for k, v in params.items() if k not in names}
        return self._global(prefix, partial(function, **fixed) if fixed else function)

    def _gen_op(self, op: Any, slots: tuple[int, ...], params: dict[str, Any],
                live: tuple[Any, ...], out: int) -> None:
        forward = self._function("F", op.forward, params, live)
        self._emit(f"v{out} = " + self._call(forward, [self._ref(s) for s in slots], params,
                                              live))

    def _gen_call(self, fn: Any, slots: tuple[Any, ...], out: int) -> None:
        name = self._global("U", fn)
        self._emit(f"v{out} = {name}({', '.join(self._ref(s) for s in slots)})")

    def _mark(self, target: int) -> None:
        obj = self._object(target)
        if obj is not None:
            self._emit(f"{obj}._mark_changed()")

    def _gen_ufunc(self, ufunc: Any, target: int, operand: tuple[Any, ...], name: str) -> None:
        value = self._ref(operand[1]) if operand[0] == "slot" else self._global("N", operand[1])
        t = self._ref(target)
        self._emit(f"{self._global('U', ufunc)}({t}, {value}, out={t}, casting='same_kind')")
        self._mark(target)

    def _gen_copy(self, target: int, source: int, name: str) -> None:
        self._emit(f"copyto({self._ref(target)}, {self._ref(source)}, casting='same_kind')")
        self._mark(target)

    def _gen_set_data(self, target: int, source: int) -> None:
        obj = self._object(target)
        self._emit(f"{obj}._data = v{target} = {self._ref(source)}")
        self._emit(f"{obj}._mark_changed()")

    def _gen_scalar(self, scalar_step: Any) -> None:
        self._emit(f"{self._global('S', scalar_step)}.run()")

    def _gen_live(self, fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
                  tensors: tuple[Any, ...], results: tuple[Any, ...]) -> None:
        tensor_args, tensor_kwargs = tensors
        slots = [slot for _, slot in (*tensor_args, *tensor_kwargs)]
        if not slots and results == ("value", None):  # optimizer.step(): a plain call
            call = self._global("L", partial(fn, *args, **kwargs))
            self._emit(f"if {call}() is not None:")
            self._emit(f"    {self._global('RETURNED', partial(_returned, fn))}()")
            self._refresh_externals()
            return
        call = self._global("L", partial(_live_call, fn, args, kwargs, tensors, results))
        given = ", ".join(self._object(s) or f"Tensor._wrap({self._ref(s)})" for s in slots)
        outs = _result_slots(results)
        target = ", ".join(f"v{s}" for s in outs)
        line = f"{call}(({given}{',' if len(slots) == 1 else ''}))"
        self._emit(f"{target}{',' if len(outs) == 1 else ''} = {line}" if outs else line)
        self._refresh_externals()

    def _gen_backward(self, program: BackwardProgram) -> None:
        fits, reused, passed, copies = _trace_backward(program, self.recording)
        seed = program.seed
        if isinstance(seed, tuple):
            ones = self._global("ONES", partial(np.ones, seed[0], seed[1]))
            self._emit(f"g{program.root} = {ones}()")
        else:
            self._emit(f"g{program.root} = {self._ref(seed)}")
        present = {program.root}
        for out, op, params, live, in_slots, targets in program.steps:
            if out not in present:  # no gradient reaches it: the engine skips it too
                continue
            present.discard(out)
            inputs = [self._ref(s) for s in in_slots]
            for i, key, like in targets:
                if out in reused:  # relu's rule writes into the gradient it is given
                    rule = self._global("R", op.rules[0])
                    grad = f"{rule}(g{out}, {self._ref(out)}, {inputs[0]}, into=g{out})"
                elif (out, i) in passed:  # the rule hands the gradient on as it is (add)
                    grad = f"g{out}"
                else:
                    grad = self._rule(op, i, params, live, f"g{out}", self._ref(out), inputs,
                                      like)
                fit = fits.get((out, i))
                if fit is not None:
                    grad = f"{self._global('FIT', fit)}({grad})"
                if key in present:
                    self._emit(f"g{key} = g{key} + {grad}")
                else:
                    self._emit(f"g{key} = {grad}")
                    present.add(key)
        for slot in program.leaves:
            if slot not in present:
                continue
            obj = self._object(slot)
            grad = f"Tensor._wrap(g{slot}.copy())" if copies[slot] else f"Tensor._wrap(g{slot})"
            if program.assign[slot]:  # the step cleared .grad itself when it was recorded
                self._emit(f"{obj}.grad = {grad}")
            else:
                self._emit(f"{obj}._accumulate_grad({grad})")
            if slot in program.grad_slots:
                self._emit(f"v{program.grad_slots[slot]} = {obj}.grad._data")

    def _rule(self, op: Any, i: int, params: dict[str, Any], live: tuple[Any, ...], g: str,
              out: str,
              inputs: list[str], like: Tensor) -> str:
        rules = op.rules
        if op.raw_rules:
            if isinstance(rules, tuple):
                rule = self._function("R", rules[i], params, live)
                return self._call(rule, [g, out, *inputs], params, live)
            rule = self._function("R", partial(rules, i), params, live)
            return self._call(rule, [g, out, *inputs], params, live)
        rule = self._global("VJP", partial(_array_vjp, op, i, like))
        keywords = self._global("P", params)
        live_part = "".join(f"({name!r}, {self._ref(s)}), " for name, s in live)
        if any(isinstance(s, tuple) for _, s in live):
            raise CaptureError(f"autograd.compile: {op.name}: an index of several arrays in "
                               f"an op without raw rules is not captured")
        return f"{rule}({g}, {out}, [{', '.join(inputs)}], {keywords}, ({live_part}))"


def _array_vjp(op: Any, i: int, like: Tensor, g: Any, out: Any, inputs: list[Any],
               params: dict[str, Any],
               live: tuple[Any, ...]) -> Any:
    """The gradient of an op whose rules work on graph values, computed from arrays."""
    if live:
        params = {**params, **dict(live)}
    with no_grad():
        return _vjp(op, i, g, out, inputs, params, like)


def _trace_backward(program: BackwardProgram, recording: Recording
                    ) -> tuple[dict[Any, Any], set[int], set[tuple[int, int]], dict[int, bool]]:
    """Run the recorded backward once on the recorded arrays, as the engine runs it, to learn
    what the generated code must do: ``{(node slot, input): fit}`` for the gradients that the
    engine's ``_fit_raw_gradient`` changes (sums to a broadcast input's shape, casts, turns a
    numpy scalar into an array), the slots of the nodes whose rule may write into the
    gradient it is given (``reuses_gradient``, when nothing else refers to that array: see
    ``engine._unshared``), and the ``(node slot, input)`` whose rule returns the gradient it
    is given, unchanged (add's): the generated code passes it on without a call. Shapes,
    dtypes and which array is which follow from the guarded shapes and dtypes, so the answers
    hold for every replay."""
    env = list(recording.values)
    ops = {step[0]: step[1] for step in program.steps}
    fits: dict[Any, Any] = {}
    reused: set[int] = set()
    passed: set[tuple[int, int]] = set()
    unshared: dict[int, bool] = {}
    grads: dict[int, Any] = {program.root: np.ones(program.seed[0], program.seed[1])
                             if isinstance(program.seed, tuple) else env[program.seed]}
    with no_grad(), np.errstate(all="ignore"):
        for out, op, params, live, in_slots, targets in program.steps:
            g = grads.pop(out, None)
            if g is None:
                continue
            if live:
                params = live_values(params, live, env)
            inputs = [env[s] for s in in_slots]
            reuse = unshared.pop(out, False) and op.reuses_gradient
            if reuse:
                reused.add(out)
            for i, key, like in targets:
                raw = (op.rules[0](g, env[out], inputs[0], into=g) if reuse else
                       _vjp(op, i, g, env[out], inputs, params, like))
                if raw is g and not reuse and _is_identity(op, i, len(inputs), params):
                    passed.add((out, i))
                fitted = like._fit_raw_gradient(raw, op, i)
                if fitted is not raw:
                    fits[(out, i)] = _fit_for(raw, like, op, i)
                previous = grads.get(key)
                grads[key] = fitted if previous is None else previous + fitted
                consumer = ops.get(key)
                if consumer is not None and consumer.reuses_gradient:
                    unshared[key] = _unshared(like, grads[key], previous is not None, g, env[out],
                                              inputs, params, op)
    # The engine's store (_owned_copy): a leaf's gradient is copied when it is a view or an
    # array another leaf got first.
    copies: dict[int, bool] = {}
    owned: set[int] = set()
    for slot in program.leaves:
        if slot in grads:
            data = grads[slot] if type(grads[slot]) is np.ndarray else np.asarray(grads[slot])
            copies[slot] = data.base is not None or id(data) in owned
            owned.add(id(data))
    return fits, reused, passed, copies


class _Probe:
    """A stand-in gradient: only a rule that returns its gradient untouched gives it back."""


def _is_identity(op: Any, i: int, count: int, params: dict[Any, Any]) -> bool:
    """Whether input ``i``'s rule is ``lambda g, ...: g`` whatever the values: called with a
    probe for the gradient and None for everything else, it returns the probe (a rule that
    looks at the values, or computes, fails or returns something else)."""
    if not op.raw_rules or not isinstance(op.rules, tuple):
        return False
    probe = _Probe()
    try:
        return op.rules[i](probe, None, *[None] * count, **params) is probe
    except Exception:
        return False


def _unshared(like: Tensor, grad: Any, summed: bool, g: Any, out: Any, inputs: list[Any],
              params: dict[Any, Any], op: Any) -> bool:
    """``engine._unshared`` on arrays: whether ``grad`` is memory nothing else refers to."""
    if not like._writable_raw(grad):
        return False
    if summed:
        return True
    if not op.raw_rules or grad is g or grad is out:
        return False
    return all(grad is not x for x in inputs) and all(grad is not v for v in params.values())


def _fit_for(raw: Any, like: Tensor, op: Any, index: int) -> Any:
    """``like._fit_raw_gradient`` for gradients shaped like ``raw``, its axes worked out once:
    the same numpy calls in the same order (a sum over the broadcast axes, then a cast)."""
    from autograd.tensor import _broadcast_axes

    shape, dtype = like._data.shape, like._data.dtype
    if type(raw) is not np.ndarray or raw.shape == shape:
        return partial(_fit, like, op, index)  # a numpy scalar, or a cast alone: as it is
    leading, kept = _broadcast_axes(raw.shape, shape, op, index)
    cast = dtype if np.add.reduce(raw, axis=leading + kept).dtype != dtype else None
    if kept:
        return partial(_sum_kept, leading + kept, shape, cast)
    return partial(_sum_leading, leading, cast)


def _fit(like: Tensor, op: Any, index: int, g: Any) -> Any:
    return like._fit_raw_gradient(g, op, index)


def _sum_leading(axes: tuple[Any, ...], cast: Any, g: Any) -> Any:
    g = np.add.reduce(g, axis=axes)
    return g if cast is None else g.astype(cast)


def _sum_kept(axes: tuple[Any, ...], shape: tuple[Any, ...], cast: Any, g: Any) -> Any:
    g = np.add.reduce(g, axis=axes, keepdims=True).reshape(shape)
    return g if cast is None else g.astype(cast)


def _result_slots(spec: tuple[Any, ...]) -> list[int]:
    """The slots a live call's results go to, in order (``Recording._result_spec``)."""
    kind, where = spec
    if kind == "slot":
        return [where]
    if kind == "tuple":
        return [s for part in where for s in _result_slots(part)]
    return []


def _live_call(fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any], tensors: tuple[Any, ...],
               results: tuple[Any, ...],
               given: tuple[Any, ...]) -> Any:
    """Call a ``compiler.disable`` function with this replay's tensors in place of the
    recorded ones; return the arrays of its results (one per result slot)."""
    tensor_args, tensor_kwargs = tensors
    values = iter(given)
    call_args: list[Any] = list(args)
    call_kwargs = kwargs
    if tensor_args:
        for i, _ in tensor_args:
            call_args[i] = next(values)
    if tensor_kwargs:
        call_kwargs = {**kwargs, **{k: next(values) for k, _ in tensor_kwargs}}
    found: list[Any] = []
    _collect(fn, results, fn(*call_args, **call_kwargs), found)
    return tuple(found)


def _returned(fn: Any) -> None:
    raise CaptureError(
        f"autograd.compile: {fn.__qualname__} returned a value where the recorded step got "
        f"None: this replay would take another path than the recorded one. Run this step "
        f"eagerly, or keep its results the same from call to call")


def _collect(fn: Any, spec: tuple[Any, ...], result: Any, found: list[Any]) -> None:
    kind, where = spec
    if kind == "slot":
        found.append(result if isinstance(result, np.ndarray) else result._data)
    elif kind == "tuple":
        for part, r in zip(where, result):
            _collect(fn, part, r, found)
    elif result != where or type(result) is not type(where):
        raise CaptureError(
            f"autograd.compile: {fn.__qualname__} returned {result!r:.40} where the recorded "
            f"step got {where!r:.40}: this replay would take another path than the recorded "
            f"one. Run this step eagerly, or keep the value the same from call to call")

