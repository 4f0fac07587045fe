"""The Tensor API: numpy's semantics for values, dtypes and factories; clear errors."""

import numpy as np
import pytest

import autograd as ag
from autograd import Scalar, Tensor

# --- dtype policy and conversions --------------------------------------------------------------

def test_tensor_infers_torch_dtypes_and_numpy_keeps_its_dtype():
    assert ag.tensor(1).dtype == np.int64 and ag.tensor(1.0).dtype == np.float32  # torch.tensor
    assert ag.tensor([[1, 2], [3, 4]]).dtype == np.int64
    assert ag.Tensor([[1, 2], [3, 4]]).dtype == np.float32  # torch.Tensor(data): float32
    assert ag.tensor([True, False]).dtype == np.bool_
    assert ag.tensor(np.arange(3)).dtype == np.int64
    assert ag.tensor(np.zeros(2, np.float64)).dtype == np.float64
    assert ag.tensor(np.float64(2.0)).dtype == np.float64


def test_set_default_dtype():
    ag.set_default_dtype(np.float64)
    try:
        assert ag.tensor([1.0]).dtype == np.float64
        assert ag.zeros(2).dtype == np.float64
    finally:
        ag.set_default_dtype(np.float32)
    with pytest.raises(TypeError, match="floating-point"):
        ag.set_default_dtype(np.int32)


def test_python_numbers_take_the_tensor_dtype():
    x = ag.tensor([1.0, 2.0])
    assert (x * 0.5).dtype == np.float32
    assert (2 ** x).dtype == np.float32
    assert (ag.tensor(np.arange(3)) * 2).dtype == np.int64


def test_data_is_copied_and_numpy_interop():
    a = np.array([1.0, 2.0])
    t = ag.tensor(a)
    a[0] = 5.0
    assert t.numpy()[0] == 1.0
    assert np.asarray(t) is t.numpy()
    assert ag.tensor([[3.0]]).item() == 3.0
    assert ag.tensor([1, 2]).tolist() == [1.0, 2.0]
    # numpy defers to Tensor, so the operation is recorded
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0]) * x
    assert isinstance(y, Tensor) and y.requires_grad


def test_integer_and_boolean_tensors_cannot_require_grad():
    with pytest.raises(TypeError, match="floating-point.*int64"):
        ag.tensor(np.arange(3), requires_grad=True)
    with pytest.raises(TypeError, match="floating-point"):
        ag.tensor([True], requires_grad=True)


def test_operations_on_integers_are_not_recorded():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    assert not x.astype(np.int64).requires_grad
    assert not (x > 1).requires_grad


def test_factories():
    assert ag.zeros(2, 3).shape == (2, 3) and ag.zeros((2, 3)).shape == (2, 3)
    np.testing.assert_array_equal(ag.ones(2).numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(ag.full((2,), 7.0).numpy(), [7.0, 7.0])
    assert ag.arange(3).dtype == np.int64 and ag.arange(0.0, 1.0, 0.5).dtype == np.float32
    np.testing.assert_array_equal(ag.randn(3, rng=4).numpy(), ag.randn(3, rng=4).numpy())
    gen = np.random.default_rng(1)
    r = ag.rand(1000, rng=gen).numpy()
    assert 0 <= r.min() and r.max() < 1
    assert ag.zeros_like(ag.tensor(np.zeros((2, 2), np.float64))).dtype == np.float64
    assert ag.ones_like(ag.tensor(np.zeros(3))).shape == (3,)
    assert ag.randn(2, requires_grad=True).requires_grad
    with pytest.raises(RuntimeError, match="non-negative"):  # torch.zeros(-1): RuntimeError
        ag.zeros(-1)


def test_repr_and_bool():
    assert repr(ag.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert "requires_grad=True" in repr(ag.tensor([1.0], requires_grad=True))
    assert bool(ag.tensor([1.0]))
    with pytest.raises(ValueError, match="ambiguous"):
        bool(ag.tensor([1.0, 2.0]))


# --- values follow numpy -----------------------------------------------------------------------

def test_values_match_numpy_where_torch_agrees_and_torch_where_it_does_not():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(2, 3, 4))
    x = ag.tensor(a)
    np.testing.assert_allclose(x.sum(axis=(0, 2)).numpy(), a.sum(axis=(0, 2)))
    np.testing.assert_allclose(x.mean(axis=-1, keepdims=True).numpy(), a.mean(-1, keepdims=True))
    np.testing.assert_allclose(x.var(axis=1).numpy(), a.var(axis=1, ddof=1))  # unbiased
    np.testing.assert_allclose(x.std(correction=0).numpy(), a.std())
    np.testing.assert_allclose(x.permute(2, 0, 1).numpy(), a.transpose(2, 0, 1))
    np.testing.assert_allclose(x.transpose(0, 2).numpy(), np.swapaxes(a, 0, 2))
    with pytest.warns(UserWarning, match="x.T"):  # torch deprecates .T beyond 2-D
        np.testing.assert_allclose(x.T.numpy(), a.T)
    np.testing.assert_allclose(x.mT.numpy(), np.swapaxes(a, -1, -2))
    np.testing.assert_allclose((x @ ag.tensor(a[0].T)).numpy(), a @ a[0].T)
    np.testing.assert_allclose(x.logsumexp(axis=1).numpy(), np.log(np.exp(a).sum(axis=1)))
    soft = np.exp(a) / np.exp(a).sum(-1, keepdims=True)
    np.testing.assert_allclose(x.softmax().numpy(), soft)
    np.testing.assert_allclose(x.log_softmax(axis=-1).numpy(), np.log(soft))
    np.testing.assert_array_equal(x.argmax(axis=1).numpy(), a.argmax(axis=1))
    np.testing.assert_array_equal(ag.argmin(x).numpy(), a.argmin())
    np.testing.assert_allclose(ag.pad(x, 1).numpy(), np.pad(a, 1))
    np.testing.assert_allclose(ag.stack([x, x], axis=-1).numpy(), np.stack([a, a], axis=-1))
    for got, want in zip(ag.split(x, [1, 2, 1], dim=2), np.split(a, [1, 3], axis=2)):
        np.testing.assert_allclose(got.numpy(), want)
    np.testing.assert_allclose(x.squeeze().numpy(), a)
    assert x.unsqueeze(1).shape == (2, 1, 3, 4) and x.flatten().shape == (24,)
    assert x.flatten(1).shape == (2, 12) and x.size() == (2, 3, 4) and x.size(-1) == 4
    np.testing.assert_array_equal((x > 0).numpy(), a > 0)
    np.testing.assert_allclose(x.clip(-0.5, 0.5).numpy(), np.clip(a, -0.5, 0.5))


def test_repeated_indices_accumulate_and_boolean_masks_work():
    x = ag.tensor(np.arange(4.0), requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 0.0, 1.0, 0.0])
    x.grad = None
    mask = ag.tensor([True, False, True, False])
    (x[mask] * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 0.0, 2.0, 0.0])


def test_iteration_and_len():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = list(x)
    assert len(x) == 2 and rows[1].tolist() == [3.0, 4.0]
    sum(rows).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((2, 2)))


def test_scalar_api():
    a = Scalar(3)
    assert isinstance(a.data, float) and a.requires_grad
    assert a > 2 and a <= Scalar(3.0) and float(a) == 3.0
    b = a.relu() + a.sigmoid() - a.softplus() * a.maximum(1.0)
    assert isinstance(b, Scalar)
    assert "Scalar(data=3" in repr(a)


def test_scalar_takes_micrograds_label():
    a = Scalar(2.0, label="a")  # micrograd: Value(2.0, label='a')
    b = Scalar(-3.0, name="b")
    e = a * b
    e.label = "e"  # micrograd sets labels after the fact
    assert (a.name, a.label, b.label, e.name) == ("a", "a", "b", "e")
    assert Scalar(1.0, name="x", label="x").label == "x"
    with pytest.raises(TypeError, match="name='x' and label='y'.*give one"):
        Scalar(1.0, name="x", label="y")


# --- stability ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_stable_ops_at_plus_minus_1000(dtype):
    values = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0], dtype=dtype)
    for name, fn in [("sigmoid", lambda x: x.sigmoid()), ("softplus", lambda x: x.softplus()),
                     ("logsumexp", lambda x: x.logsumexp()), ("softmax", lambda x: x.softmax()),
                     ("log_softmax", lambda x: x.log_softmax()), ("tanh", lambda x: x.tanh())]:
        x = ag.tensor(values, requires_grad=True)
        out = fn(x)
        assert np.isfinite(out.numpy()).all(), name
        out.backward(gradient=np.ones(out.shape, dtype))
        assert np.isfinite(x.grad.numpy()).all(), name
    s = ag.tensor(values, requires_grad=True)
    s.sigmoid().sum().backward()
    assert s.grad.numpy()[0] == 0.0 and s.grad.numpy()[-1] == 0.0
    np.testing.assert_allclose(ag.tensor(values).sigmoid().numpy()[[0, -1]], [0.0, 1.0])


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("make, error, pattern", [
    (lambda: ag.tensor(np.ones(3)) + ag.tensor(np.ones(4)), ValueError,
     r"add: .*broadcast.*float64 \(3,\).*float64 \(4,\)"),
    (lambda: ag.tensor(np.ones((2, 3))) @ ag.tensor(np.ones((4, 5))), ValueError,
     r"matmul: .*\(2, 3\).*\(4, 5\)"),
    (lambda: ag.tensor(np.ones((2, 3))).reshape(4), ValueError, r"reshape: .*size 6.*\(4,\)"),
    (lambda: ag.tensor(np.ones((2, 3))).sum(axis=2), ValueError, r"sum: .*axis 2"),
    (lambda: ag.tensor(np.ones((2, 3))).sum(axis=(0, 0)), ValueError, r"sum: .*duplicate"),
    (lambda: ag.tensor(np.ones((2, 3))).permute(0, 0), ValueError, r"permute: .*repeat"),
    (lambda: ag.tensor(np.ones((2, 3))).transpose(0, 2), IndexError, r"transpose: .*range"),
    (lambda: ag.tensor(np.ones(3))[5], IndexError, r"getitem: .*out of bounds"),
    (lambda: ag.tensor([[1.0, 2.0], [3.0]]), ValueError, r"tensor|Tensor.*rectangular"),
    (lambda: ag.tensor(["a", "b"]), TypeError, r"numbers.*<U1"),
    (lambda: ag.tensor(None), TypeError, r"numbers.*object"),
    (lambda: ag.tensor(np.array([1, None], dtype=object)), TypeError, r"object"),
    (lambda: ag.tensor([1 + 2j]), TypeError, r"complex"),
    (lambda: Scalar(1.0) + ag.tensor([1.0]), TypeError, r"Scalar.*Tensor"),
    (lambda: ag.tensor([1.0]) * Scalar(1.0), TypeError, r"Tensor.*Scalar"),
    (lambda: Scalar("x"), TypeError, r"Scalar: expected a real number"),
    (lambda: ag.tensor([1.0]) + "a", TypeError, r"cannot combine a Tensor"),
    (lambda: ag.tensor(np.ones(2)).squeeze(3), IndexError, r"squeeze: .*range"),
    (lambda: ag.split(ag.tensor(np.ones(5)), [2, 2]), RuntimeError, r"split: .*5.*\[2, 2\]"),
    (lambda: ag.stack([ag.tensor(np.ones(2)), ag.tensor(np.ones(3))]), ValueError,
     r"stack: .*same shape"),
    (lambda: ag.concatenate([ag.tensor(np.ones((2, 2))), ag.tensor(np.ones((2, 3)))]),
     ValueError, r"concatenate: "),
    (lambda: ag.pad(ag.tensor(np.ones(2)), -1), ValueError, r"pad: .*negative"),
    (lambda: ag.where(ag.tensor([1.0]), 1.0, 2.0), TypeError, r"where: .*boolean"),
    (lambda: ag.tensor([1.0]).clip(), ValueError, r"clip: "),
    (lambda: ag.tensor([1.0, 2.0]).item(), ValueError, r"item: .*2 elements"),
])
def test_bad_input_raises_a_named_error(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()


def test_backward_on_something_without_a_graph():
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.tensor([1.0]).sum().backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.tensor(np.arange(3)).sum().backward()


def test_an_error_changes_nothing():
    x = ag.tensor(np.ones(3), requires_grad=True)
    before = x.numpy().copy()
    with pytest.raises(ValueError):
        x + ag.tensor(np.ones(4))
    np.testing.assert_array_equal(x.numpy(), before)
    assert x.grad is None and x._version == 0


def test_as_tensor_shares_a_numpy_array_and_copies_anything_else():
    rows = np.arange(6, dtype=np.float32).reshape(2, 3)
    shared = ag.as_tensor(rows)
    rows[0, 0] = 9.0
    assert shared.numpy()[0, 0] == 9.0  # PyTorch's as_tensor: no copy where possible
    t = ag.tensor([1.0])
    assert ag.as_tensor(t) is t
    assert ag.as_tensor(rows, dtype="float64").dtype == np.float64
    copied = ag.as_tensor([[1, 2]])
    assert copied.dtype == np.int64  # Python data as ag.tensor makes it (torch's inference)


# --- torch.Tensor's meanings (checked against torch itself in tests/conformance) --------------

def test_the_reported_torch_idioms_work_as_in_torch():
    outputs = ag.tensor(np.array([[0.1, 0.9], [0.8, 0.2]]), requires_grad=True)
    assert outputs.size(0) == 2 and outputs.size() == (2, 2) and outputs.numel() == 4
    _, predicted = ag.max(outputs, 1)  # a 2-row batch: (values, indices), not the two maxima
    assert predicted.tolist() == [1, 0] and predicted.dtype == np.int64
    values, indices = outputs.max(dim=0)
    assert values.tolist() == [0.8, 0.9] and indices.tolist() == [1, 0]
    values.sum().backward()  # the gradient goes to the picked elements
    assert outputs.grad.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    a = np.array([1.0, 2.0, 4.0, 7.0])
    x = ag.tensor(a)
    assert x.var().item() == pytest.approx(a.var(ddof=1))  # unbiased, as torch
    assert x.std(unbiased=False).item() == pytest.approx(a.std())
    assert x.var(correction=2).item() == pytest.approx(((a - a.mean()) ** 2).sum() / 2)
    assert ag.tensor([1.0, 2.0]).repeat(2).tolist() == [1.0, 2.0, 1.0, 2.0]  # tiles
    assert ag.tensor([1.0, 2.0]).repeat_interleave(2).tolist() == [1.0, 1.0, 2.0, 2.0]
    assert ag.zeros(2, 3, 4).transpose(0, 2).shape == (4, 3, 2)
    assert ag.zeros(2, 3, 4).flatten(1).shape == (2, 12)
    assert ag.zeros(2, 1).squeeze(0).shape == (2, 1)  # torch: a size other than 1 stays
    assert np.var(x.numpy()) == pytest.approx(a.var())  # numpy's meaning, through numpy


def test_optimizer_style_updates_write_into_the_same_array():
    p = ag.tensor(np.array([1.0, 2.0]), requires_grad=True)
    array = p.numpy()
    with ag.no_grad():
        p -= 0.5
        p.mul_(2.0).add_(ag.tensor(np.array([1.0, 1.0])), alpha=2)
    assert p.numpy() is array and array.tolist() == [3.0, 5.0]
