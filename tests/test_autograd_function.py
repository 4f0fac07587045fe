"""``autograd.Function`` as ``torch.autograd.Function``: written the way PyTorch's tutorial writes
it, compared with torch on the same inputs (values and gradients, float64), and its errors."""

import numpy as np
import pytest

import autograd
from tests.conformance.borrowed import torch as torch_oracle


def _classes(lib):
    """The tutorial's two Functions, written once against either library's namespace."""

    class LegendrePolynomial3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    class MyReLU(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return lib.where(input < 0, lib.zeros_like(grad_output), grad_output)

    class Scale(lib.autograd.Function):  # a non-tensor argument, ctx attributes, two outputs
        @staticmethod
        def forward(ctx, input, factor):
            ctx.factor = factor
            ctx.save_for_backward(input)
            return input * factor, input * input

        @staticmethod
        def backward(ctx, grad_scaled, grad_square):
            (input,) = ctx.saved_tensors
            assert ctx.needs_input_grad == (True, False)
            return grad_scaled * ctx.factor + grad_square * 2 * input, None

    return {"legendre": LegendrePolynomial3, "relu": MyReLU, "scale": Scale}


CASES = ["legendre", "relu", "scale"]
X = np.array([-1.5, -0.25, 0.0, 0.5, 2.0])
WEIGHTS = np.array([1.0, -2.0, 0.5, 3.0, -1.0])


def _run(lib, case, as_tensor, values):
    x = as_tensor(values)
    fn = _classes(lib)[case]
    out = fn.apply(x, 2.5) if case == "scale" else fn.apply(x)
    outs = out if isinstance(out, tuple) else (out,)
    total = sum(((o * as_tensor(WEIGHTS * (k + 1))).sum() for k, o in enumerate(outs)))
    total.backward()
    return [o.detach().numpy() for o in outs], x.grad.numpy()


@pytest.mark.parametrize("case", CASES)
def test_values_and_gradients_equal_torch(case):
    torch = torch_oracle()
    ours = _run(autograd, case, lambda v: autograd.tensor(v, requires_grad=True), X)
    theirs = _run(torch, case, lambda v: torch.tensor(v, requires_grad=True), X)
    for a, b in zip(ours[0], theirs[0]):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)


@pytest.mark.parametrize("case", ["legendre", "scale"])
def test_gradcheck_and_gradgradcheck_pass(case):
    fn = _classes(autograd)[case]
    x = autograd.tensor(X, requires_grad=True)
    call = (lambda t: fn.apply(t, 2.5)) if case == "scale" else fn.apply
    assert autograd.gradcheck(call, (x,))
    assert autograd.gradgradcheck(call, (x,))


def test_second_derivative_through_backward_equals_torch():
    torch = torch_oracle()
    results = []
    for lib in (autograd, torch):
        x = lib.tensor(X, requires_grad=True)
        y = _classes(lib)["legendre"].apply(x).sum()
        (gx,) = lib.autograd.grad(y, x, create_graph=True)
        (ggx,) = lib.autograd.grad(gx.sum(), x)
        results.append((gx.detach().numpy(), ggx.numpy()))
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_apply_without_grad_records_nothing_and_forward_does_not_record():
    seen = {}

    class Probe(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            seen["grad_enabled"] = autograd.is_grad_enabled()
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = autograd.tensor([1.0], requires_grad=True)
    assert Probe.apply(x).requires_grad and seen["grad_enabled"] is False
    with autograd.no_grad():
        assert not Probe.apply(x).requires_grad


def test_setup_context_style_and_keyword_arguments():
    class Mul(autograd.Function):
        @staticmethod
        def forward(x, factor=3.0):
            return x * factor

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.factor = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g * ctx.factor, None

    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    Mul.apply(x, factor=4.0).sum().backward()
    assert x.grad.tolist() == [4.0, 4.0]
    x.grad = None
    Mul.apply(x).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_non_differentiable_outputs_and_unused_outputs_get_zero_gradients():
    got = {}

    class MaxWithIndex(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            index = autograd.argmax(x)
            ctx.mark_non_differentiable(index)
            ctx.save_for_backward(x, index)
            return x * 1.0, x * 3.0, index

        @staticmethod
        def backward(ctx, g_same, g_triple, g_index):
            got["grads"] = (g_same.numpy().copy(), g_triple.numpy().copy(), g_index.numpy())
            return g_same + 3 * g_triple

    x = autograd.tensor([1.0, 5.0, 2.0], requires_grad=True)
    same, triple, index = MaxWithIndex.apply(x)
    assert not index.requires_grad and index.item() == 1
    triple.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0, 3.0]
    assert got["grads"][0].tolist() == [0.0, 0.0, 0.0]  # the unused output: zeros
    assert got["grads"][1].tolist() == [1.0, 1.0, 1.0]


def test_wrong_gradients_are_refused_with_torch_messages():
    def make(backward_result):
        class Bad(autograd.Function):
            @staticmethod
            def forward(ctx, x, k):
                return x * k

            @staticmethod
            def backward(ctx, g):
                return backward_result(g)

        return Bad

    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="incorrect number of gradients .expected 2, got 1"):
        make(lambda g: g).apply(x, 2.0).sum().backward()
    with pytest.raises(RuntimeError, match="different than None at position 2"):
        make(lambda g: (g, g)).apply(x, 2.0).sum().backward()
    with pytest.raises(RuntimeError, match=r"invalid gradient at index 0 - got \[3\]"):
        make(lambda g: (autograd.ones(3), None)).apply(x, 2.0).sum().backward()
    with pytest.raises(TypeError, match="returned a ndarray"):
        make(lambda g: (np.ones(2), None)).apply(x, 2.0).sum().backward()
    make(lambda g: (g, None, None)).apply(x, 2.0).sum().backward()  # extra Nones: accepted
    assert x.grad.tolist() == [1.0, 1.0]


def test_errors_for_misuse():
    class Plain(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3)
            return x

    with pytest.raises(TypeError, match="save_for_backward can only save"):
        Plain.apply(autograd.tensor([1.0]))
    with pytest.raises(RuntimeError, match="static methods.*apply"):
        Plain()(autograd.tensor([1.0]))
    with pytest.raises(NotImplementedError, match="forward"):
        autograd.Function.apply(autograd.tensor([1.0]))


def _square(lib, seen):
    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @lib.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            seen.append(lib.is_grad_enabled())
            return 2 * x * g

    return Square


def test_once_differentiable_as_torch_and_refused_under_create_graph():
    torch = torch_oracle()
    results = []
    for lib in (autograd, torch):
        x = lib.tensor(X, requires_grad=True)
        _square(lib, results).apply(x).sum().backward()
        results.append(x.grad.numpy())
    assert results[0] is results[2] is False  # backward runs without recording
    np.testing.assert_array_equal(results[1], results[3])
    x = autograd.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match="once_differentiable.*create_graph"):
        autograd.grad(_square(autograd, []).apply(x).sum(), x, create_graph=True)


def _mixed(lib):
    """Two tensor inputs (the same tensor twice), a default argument, outputs of two dtypes
    and a non-tensor output."""

    class Mul(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a, b, scale=2.0):
            ctx.save_for_backward(a, b)
            ctx.scale = scale
            return a * b * scale, (a + b).to(lib.float32), "note"

        @staticmethod
        def backward(ctx, g, h, _):
            a, b = ctx.saved_tensors
            return (g * b * ctx.scale + h.to(a.dtype), g * a * ctx.scale + h.to(a.dtype), None)

    x = lib.tensor(X, requires_grad=True)
    p, q, note = Mul.apply(x, x, 3.0)
    (p.sum() * 2 + (q * q).sum()).backward()
    return [p.detach().numpy(), q.detach().numpy(), x.grad.numpy()], note


def test_outputs_of_several_dtypes_and_a_repeated_input_equal_torch():
    torch = torch_oracle()
    (ours, note), (theirs, their_note) = _mixed(autograd), _mixed(torch)
    assert note == their_note == "note"
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-6)
