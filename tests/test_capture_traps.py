"""The traps of a captured step, each either captured correctly or refused with a clear error.

A replay runs what was recorded, not the Python code of the step. Everything that would make
the two differ is listed here (after tinygrad's test_jit_footguns.py), with what the capture
does about it. Captured correctly (test_capture.py has the exactness tests): an input changed in
place, a parameter given new data, random draws, new shapes, eval mode, iterators passed to an
optimizer's helpers. Refused, naming the user's line: values read into Python, tensors made
from numpy data inside the step, tensors kept from an earlier call, in-place changes recorded
for backward, higher-order gradients. Seen as a difference between the first two recordings,
then run eagerly with a warning (or refused with ``fullgraph=True``): a Python number or a
branch that changes from call to call. Not seen (documented): Python side effects with no tensor
work, which run only while the step is recorded.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from autograd import CaptureError, Scalar

HERE = "test_capture_traps.py"


def _refused(step, *args, match: str) -> CaptureError:
    with pytest.raises(CaptureError, match=match) as info:
        for _ in range(3):
            step(*args)
    assert HERE in str(info.value)  # the message names the user's line
    return info.value


w = ag.tensor([1.0, 2.0], requires_grad=True)


def test_item_inside_the_step_is_refused():
    _refused(ag.compile(lambda x: (w * x).sum().item()), ag.ones(2), match=r"item\(\)")


def test_float_of_a_tensor_is_refused():
    _refused(ag.compile(lambda x: float((w * x).sum())), ag.ones(2), match="__float__")


def test_a_python_if_on_a_tensor_is_refused():
    def step(x):
        y = (w * x).sum()
        return y * 2 if y > 0 else y

    error = _refused(ag.compile(step), ag.ones(2), match="__bool__")
    assert "read it after the call" in str(error)


def test_numpy_of_a_computed_tensor_is_refused():
    _refused(ag.compile(lambda x: (w * x).numpy()), ag.ones(2), match=r"numpy\(\)")


def test_a_tensor_made_from_numpy_data_inside_the_step_is_refused():
    data = np.ones(2, np.float32)
    _refused(ag.compile(lambda: (w * ag.tensor(data)).sum()),
             match="made from numpy data inside the step")


def test_a_tensor_kept_from_an_earlier_call_is_refused():
    kept = {}

    def step(x):
        y = w * x if "last" not in kept else w * kept["last"]
        kept["last"] = y.detach()
        return y

    _refused(ag.compile(step), ag.ones(2), match="earlier call")


def test_an_in_place_change_recorded_for_backward_is_refused():
    def step(x):
        y = w * x
        y.add_(1.0)
        return y.sum()

    _refused(ag.compile(step), ag.ones(2), match="in place while recording")


def test_higher_order_gradients_are_refused():
    def step(x):
        (g,) = ag.grad((w * w * x).sum(), [w], create_graph=True)
        return g.sum()

    _refused(ag.compile(step), ag.ones(2), match="only backward")


def test_numpy_arguments_are_refused_with_the_fix():
    with pytest.raises(TypeError, match="as_tensor"):
        ag.compile(lambda x: x)(np.ones(2))


def test_a_python_number_that_changes_runs_eagerly_with_a_warning():
    calls = [0]

    def step(x):
        calls[0] += 1
        return (w * x * (0.5 ** calls[0])).sum()  # a new constant at every call

    compiled = ag.compile(step)
    with pytest.warns(RuntimeWarning, match="changes between calls"):
        results = [compiled(ag.ones(2)).item() for _ in range(6)]
    assert results == [3.0 * 0.5 ** k for k in range(1, 7)]  # eager: every call right


def test_fullgraph_refuses_what_would_run_eagerly():
    calls = [0]

    def step(x):
        calls[0] += 1
        return (w * x).sum() if calls[0] % 2 else (w * x).mean()

    compiled = ag.compile(step, fullgraph=True)
    with pytest.raises(CaptureError, match="cannot be replayed: its recordings kept differing"):
        for _ in range(6):
            compiled(ag.ones(2))


def test_too_many_shapes_run_eagerly_with_one_warning():
    compiled = ag.compile(lambda x: (x * 2).sum())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = [compiled(ag.ones(n)).item() for n in range(1, 12)]
    assert results == [2.0 * n for n in range(1, 12)]
    assert sum("different sets of guards" in str(w.message) for w in caught) == 1


def test_python_side_effects_run_only_while_recording():
    # Documented, not refused: nothing a tensor holds changes with them.
    printed = []
    compiled = ag.compile(lambda x: printed.append(1) or (w * x).sum())
    for _ in range(5):
        compiled(ag.ones(2))
    assert len(printed) == 2


def test_an_iterator_given_to_clipping_is_used_at_every_replay():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2))
    opt = optim.SGD(model.parameters(), lr=1.0)

    def step(x):
        opt.zero_grad()
        (model(x) * 100).sum().backward()
        norm = optim.clip_grad_norm_(model.parameters(), 1e-3)
        opt.step()
        return norm

    compiled = ag.compile(step)
    for _ in range(4):
        before = [p.numpy().copy() for p in model.parameters()]
        compiled(ag.ones((1, 3)))
        moved = sum(float(((p.numpy() - b) ** 2).sum()) for p, b in
                    zip(model.parameters(), before)) ** 0.5
        assert moved <= 1e-3 * (1 + 1e-5)  # clipped on the replays too


def test_a_scalar_step_that_reads_or_updates_values_is_refused():
    a = Scalar(2.0)

    def reads():
        loss = a * a
        loss.backward()
        return loss.data

    _refused(ag.compile(reads), match="reading .data")

    def updates():
        loss = a * a
        a.grad = 0.0
        loss.backward()
        a.data -= 0.1 * a.grad
        return loss

    _refused(ag.compile(updates), match="assigning .data")


def test_tensors_inside_a_container_argument_are_refused():
    step = ag.compile(lambda pair: pair[0] + pair[1])
    with pytest.raises(TypeError, match="each tensor as an argument"):
        step((ag.ones(2), ag.ones(2)))
    with pytest.raises(TypeError, match="unhashable"):
        ag.compile(lambda options, x: x)({"scale": [1]}, ag.ones(2))


def test_a_scalar_step_on_changing_data_is_refused_with_fullgraph():
    w, data = Scalar(2.0), iter([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])

    def step():
        x = Scalar(next(data))  # each call's data, made inside the step
        loss = w * x
        w.grad = 0.0
        loss.backward()
        return loss

    compiled = ag.compile(step, fullgraph=True)
    with pytest.raises(CaptureError, match="run a step on changing data"):
        for _ in range(6):
            compiled()
