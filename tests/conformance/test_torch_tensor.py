"""``autograd.Tensor`` is ``torch.Tensor``: every shared name has an entry, and its calls give
torch's values and gradients (float64, to 1e-10), enumerated from ``torch_tensor.ENTRIES``."""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np
import pytest

import autograd as ag
from tests.conformance.borrowed import signature_differences, torch
from tests.conformance.torch_tensor import CALLS, ENTRIES, OPERATORS, SIGNATURE_IGNORE

X = (np.random.default_rng(0).permutation(12).reshape(3, 4) - 5.5) * 0.31  # distinct, no 0
Y = np.random.default_rng(1).uniform(0.5, 2.0, (3, 4))


def _plain(value: Any, t: Any) -> Any:
    """A result as plain data: arrays for tensors, tuples for sequences, numbers as they are."""
    if isinstance(value, (ag.Tensor, t.Tensor)):
        data = value.detach().numpy() if isinstance(value, t.Tensor) else value.numpy()
        return np.array(data)
    if isinstance(value, (tuple, list)):
        return tuple(_plain(v, t) for v in value)
    if isinstance(value, np.ndarray):
        return np.array(value)
    return value


def _run(call: Any, m: Any) -> tuple:
    """The call's result and the gradients of x and y (None where none reached them)."""
    x = m.tensor(X, dtype=m.float64, requires_grad=True)
    y = m.tensor(Y, dtype=m.float64, requires_grad=True)
    args = (m, x, y)[:len(inspect.signature(call).parameters)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # x.T's deprecation, on both sides
        out = call(*args)
    floats = [o for o in (out if isinstance(out, (tuple, list)) else (out,))
              if hasattr(o, "requires_grad") and o.requires_grad]
    for i, o in enumerate(floats):  # one weighted sum, so each element's gradient shows
        weights = m.tensor(np.cos(np.arange(o.numel()) + i).reshape(tuple(o.shape)),
                           dtype=m.float64)
        (o * weights).sum().backward(retain_graph=True)
    return out, x.grad, y.grad


def _same(ours: Any, theirs: Any, where: str) -> None:
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs), f"{where}: {ours!r:.200}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _same(a, b, f"{where}[{i}]")
    elif isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray), f"{where}: {type(ours).__name__}, not an array"
        assert ours.shape == theirs.shape, f"{where}: shape {ours.shape} != {theirs.shape}"
        assert ours.dtype == theirs.dtype, f"{where}: {ours.dtype} != {theirs.dtype}"
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12, err_msg=where)
    elif isinstance(theirs, float):
        assert ours == pytest.approx(theirs, rel=1e-10, abs=1e-12), where
    else:
        assert ours == theirs, f"{where}: {ours!r:.200} != {theirs!r:.200}"


def test_every_name_torch_tensor_shares_has_an_entry():
    t = torch()
    shared = {n for n in set(dir(ag.Tensor)) & set(dir(t.Tensor))
              if not n.startswith("_") or n in OPERATORS}
    covered = {entry.ours.rsplit(".", 1)[1] for entry in ENTRIES}
    assert not sorted(shared - covered), "names of torch.Tensor without an entry"
    assert not sorted(covered - shared), "entries of names that are not shared"


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_matches_torch(entry):
    if not entry.signature:
        assert entry.differences, f"{entry}: say why its signature is not compared"
        pytest.skip(entry.differences)
    name = entry.ours.rsplit(".", 1)[1]
    problems = signature_differences(entry.our_object(), entry.their_object(),
                                     ignore=SIGNATURE_IGNORE.get(name, ()))
    assert not problems, f"{entry}: {problems}"


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_same_values_and_gradients_as_torch(entry):
    t = torch()
    entry.their_object()
    name = entry.ours.rsplit(".", 1)[1]
    for k, call in enumerate(CALLS[name]):
        theirs, gx_t, gy_t = _run(call, t)
        ours, gx, gy = _run(call, ag)
        _same(_plain(ours, t), _plain(theirs, t), f"{name} call {k}: value")
        for got, want, which in ((gx, gx_t, "x"), (gy, gy_t, "y")):
            assert (got is None) == (want is None), f"{name} call {k}: grad of {which}"
            if want is not None:
                _same(_plain(got, t), _plain(want, t), f"{name} call {k}: grad of {which}")


def test_in_place_on_a_leaf_that_requires_grad_raises_torchs_error():
    t = torch()
    for m in (t, ag):
        p = m.tensor(X, dtype=m.float64, requires_grad=True)
        for change in (lambda: p.add_(1.0), lambda: p.__isub__(0.1), lambda: p.zero_(),
                       lambda: p.__setitem__(0, 1.0)):
            with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being "
                                                   "used in an in-place operation"):
                change()
