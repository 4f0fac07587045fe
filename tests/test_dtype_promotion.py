"""Type promotion is PyTorch's: each case runs on this library and on torch itself, and the
result dtypes (and values) must agree, as must the gradients that cross a cast."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag
from autograd.dtypes import result_dtype

torch = pytest.importorskip("torch")

# Each case is written once, for a module ``T`` that is either ``autograd`` or ``torch``.
CASES = {
    "int tensor / int": lambda T: T.tensor([7, 3]) / 2,
    "int tensor / int tensor": lambda T: T.tensor([7, 3]) / T.tensor([2, 4]),
    "int tensor * float": lambda T: T.tensor([1, 2]) * 1.5,
    "float * int tensor": lambda T: 1.5 * T.tensor([1, 2]),
    "int tensor + float32 tensor": lambda T: T.tensor([1, 2]) + T.tensor([1.0, 2.0]),
    "int tensor ** 0.5": lambda T: T.tensor([4, 9]) ** 0.5,
    "int tensor ** 2": lambda T: T.tensor([4, 9]) ** 2,
    "2 ** int tensor": lambda T: 2 ** T.tensor([4, 5]),
    "2.0 ** int tensor": lambda T: 2.0 ** T.tensor([4, 5]),
    "sqrt(int)": lambda T: T.tensor([4, 9]).sqrt(),
    "exp(int)": lambda T: T.exp(T.tensor([1, 2])),
    "log(int)": lambda T: T.tensor([1, 2]).log(),
    "sin(int)": lambda T: T.tensor([1, 2]).sin(),
    "tanh(int)": lambda T: T.tensor([1, 2]).tanh(),
    "sigmoid(int)": lambda T: T.tensor([1, 2]).sigmoid(),
    "exp(bool)": lambda T: T.tensor([True, False]).exp(),
    "abs(int) stays int": lambda T: T.tensor([-1, 2]).abs(),
    "-int stays int": lambda T: -T.tensor([1, 2]),
    "float32 + float64 0-d": lambda T: T.tensor([1.0, 2.0]) + T.tensor(1.0, dtype=T.float64),
    "float64 0-d - float32": lambda T: T.tensor(1.0, dtype=T.float64) - T.tensor([1.0, 2.0]),
    "float32 + float64": lambda T: T.tensor([1.0, 2.0]) + T.tensor([1.0, 2.0], dtype=T.float64),
    "int32 + int64 0-d": lambda T: T.tensor([1, 2], dtype=T.int32) + T.tensor(1),
    "int32 + int64": lambda T: T.tensor([1, 2], dtype=T.int32) + T.tensor([1, 2]),
    "int32 + int": lambda T: T.tensor([1, 2], dtype=T.int32) + 5,
    "int32 + float64 0-d": lambda T: (T.tensor([1, 2], dtype=T.int32)
                                      + T.tensor(1.5, dtype=T.float64)),
    "int64 0-d + float32 0-d": lambda T: T.tensor(1) + T.tensor(1.5),
    "int64 0-d + float": lambda T: T.tensor(1) + 1.5,
    "bool + int": lambda T: T.tensor([True]) + 1,
    "bool + float": lambda T: T.tensor([True]) + 1.5,
    "float16 + float32 0-d": lambda T: T.tensor([1.0], dtype=T.float16) + T.tensor(1.0),
    "float16 * float": lambda T: T.tensor([1.0], dtype=T.float16) * 2.5,
    "int8 + 300 wraps": lambda T: T.tensor([1, -100], dtype=T.int8) + 300,
    "uint8 - 3 wraps": lambda T: T.tensor([1], dtype=T.uint8) - 3,
    "uint8 + int8": lambda T: T.tensor([1], dtype=T.uint8) + T.tensor([1], dtype=T.int8),
    "int64 + float16": lambda T: T.tensor([1]) + T.tensor([1.0], dtype=T.float16),
    "float32 * numpy float64 scalar": lambda T: T.tensor([1.0]) * np.float64(2.0),
    "int32 + numpy int64 scalar": lambda T: T.tensor([1], dtype=T.int32) + np.int64(1),
    "float32 + numpy float64 array": lambda T: T.tensor([1.0, 2.0]) + np.ones(2),
    "float32 + numpy int64 array": lambda T: T.tensor([1.0, 2.0]) + np.ones(2, np.int64),
    "maximum(int, float32)": lambda T: T.maximum(T.tensor([1, 5]), T.tensor([2.0, 3.0])),
    "cat([int, float32])": lambda T: T.cat([T.tensor([1]), T.tensor([1.5])]),
    "stack([int, float32])": lambda T: T.stack([T.tensor([1]), T.tensor([1.5])]),
    "where(bool, int, 0.5)": lambda T: T.where(T.tensor([True, False]), T.tensor([1, 2]), 0.5),
    "where(bool, float32, float64)": lambda T: T.where(
        T.tensor([True, False]), T.tensor([1.0, 2.0]), T.tensor([3.0, 4.0], dtype=T.float64)),
    "int @ int": lambda T: T.ones(2, 2, dtype=T.int64) @ T.ones(2, 2, dtype=T.int64),
}


def _result(make, module):
    out = make(module)
    return str(out.dtype).replace("torch.", ""), np.asarray(out.tolist(), dtype=np.float64)


# torch runs ``tensor + ndarray`` as numpy's operation, through a deprecated numpy hook
@pytest.mark.filterwarnings("ignore:__array_wrap__:DeprecationWarning")
@pytest.mark.parametrize("name", list(CASES))
def test_result_dtype_and_values_are_torchs(name):
    ours_dtype, ours = _result(CASES[name], ag)
    theirs_dtype, theirs = _result(CASES[name], torch)
    assert ours_dtype == theirs_dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_the_default_dtype_is_what_integers_become():
    ag.set_default_dtype(ag.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for name in ("int tensor / int", "int tensor * float", "sqrt(int)", "bool + float"):
            assert _result(CASES[name], ag)[0] == _result(CASES[name], torch)[0] == "float64"
    finally:
        ag.set_default_dtype(ag.float32)
        torch.set_default_dtype(torch.float32)


def test_a_cast_operand_gets_its_gradient_in_its_own_dtype():
    values = ([1.0, 2.0, 3.0], 0.5)
    ours = ag.tensor(values[0], requires_grad=True), ag.tensor(values[1], dtype=ag.float64,
                                                                requires_grad=True)
    theirs = (torch.tensor(values[0], requires_grad=True),
              torch.tensor(values[1], dtype=torch.float64, requires_grad=True))
    for x, s in (ours, theirs):
        y = (x + s) * s
        assert str(y.dtype).endswith("float32")
        y.sum().backward()
    for a, b in zip(ours, theirs):
        assert str(a.grad.dtype) == str(b.grad.dtype).replace("torch.", "")
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6)


def test_an_integer_tensor_with_a_float_parameter_gives_the_parameters_gradient():
    w = ag.tensor([0.5, 1.5], requires_grad=True)
    wt = torch.tensor([0.5, 1.5], requires_grad=True)
    (ag.tensor([3, 4]) * w / 2).sum().backward()
    (torch.tensor([3, 4]) * wt / 2).sum().backward()
    assert w.grad.dtype == ag.float32
    np.testing.assert_allclose(w.grad.numpy(), wt.grad.numpy())


def test_result_dtype_ranks_dimensions_over_zero_dim():
    f32, f64, i32, i64 = (np.dtype(d) for d in ("float32", "float64", "int32", "int64"))
    assert result_dtype([np.zeros(2, f32), np.zeros((), f64)]) == f32
    assert result_dtype([np.zeros(2, i32), np.zeros((), i64)]) == i32
    assert result_dtype([np.zeros(2, i32), np.zeros((), f64)]) == f64
    assert result_dtype([np.zeros((), i64), np.zeros((), f32)]) == f32
    assert result_dtype([np.zeros(2, np.bool_), np.zeros((), i32)]) == i32


def _functional(module):
    import nn.functional

    return torch.nn.functional if module is torch else nn.functional


def _refusal(make, module):
    with pytest.raises(RuntimeError) as info:
        make(module)
    return str(info.value)


@pytest.mark.parametrize("make", [
    lambda T: T.tensor([1, 2]).mean(),
    lambda T: T.tensor([True, False]).mean(dim=0),
    lambda T: T.mean(T.tensor([1, 2])),
], ids=["int", "bool with dim", "function"])
def test_the_mean_of_an_integer_tensor_is_refused_as_torch_refuses_it(make):
    ours, theirs = _refusal(make, ag), _refusal(make, torch)
    assert ours.startswith(theirs)
    assert ag.tensor([1, 2]).mean(dtype=ag.float32).item() == 1.5


@pytest.mark.parametrize("make", [
    lambda T: T.ones(2, 2) @ T.ones(2, 2, dtype=T.float64),
    lambda T: T.ones(2) @ T.ones(2, dtype=T.float64),
    lambda T: T.ones(2, 2, 2) @ T.ones(2, 2, 2, dtype=T.float64),
    lambda T: T.ones(2, 2) @ T.ones(2, 2, dtype=T.int64),
    lambda T: T.mm(T.ones(2, 2), T.ones(2, 2, dtype=T.float64)),
    lambda T: T.bmm(T.ones(1, 2, 2), T.ones(1, 2, 2, dtype=T.float64)),
    lambda T: _functional(T).conv2d(T.ones(1, 1, 3, 3), T.ones(1, 1, 2, 2, dtype=T.float64)),
], ids=["matrices", "vectors", "batches", "float and int", "mm", "bmm", "conv2d"])
def test_matrix_products_of_different_dtypes_are_refused(make):
    _refusal(make, torch)
    assert "same dtype" in _refusal(make, ag)


def test_a_float32_linear_refuses_a_float64_input_as_torchs_does():
    import nn

    x = np.ones((1, 2))
    with pytest.raises(RuntimeError, match="same dtype"):
        torch.nn.Linear(2, 3)(torch.from_numpy(x))
    with pytest.raises(RuntimeError, match="same dtype.*Float and Double|Double and Float"):
        nn.Linear(2, 3)(ag.from_numpy(x))
    assert nn.Linear(2, 3)(ag.from_numpy(x).float()).dtype == ag.float32


def test_a_compiled_step_promotes_as_the_eager_one():
    def run(compiled):
        w = ag.tensor(0.5, dtype=ag.float64, requires_grad=True)

        def step(x):
            loss = ((x / 2 + w) * ag.tensor([1, 2])).sum()  # int / int, f32 + f64 0-d, int * f32
            loss.backward()
            return loss

        call = ag.compile(step) if compiled else step
        out = []
        for _ in range(3):
            w.grad = None
            loss = call(ag.tensor([3, 4]))
            out.append((loss.dtype, loss.item(), w.grad.dtype, w.grad.item()))
        return out

    eager = run(False)
    assert eager[0] == (ag.float32, 7.0, ag.float64, 3.0)
    assert run(True) == eager
