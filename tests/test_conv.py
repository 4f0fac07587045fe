"""conv2d, max_pool2d and avg_pool2d against direct loop references, and their gradients; the
NCHW functions of nn.functional built on them, checked by gradcheck (torch is their reference in
tests/conformance)."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd.ops import conv as conv_ops


def _tf_padding(mode, size, window, stride):
    """(before, after, out) along one axis, as TensorFlow documents 'valid' and 'same'."""
    if mode == "valid":
        return 0, 0, (size - window) // stride + 1
    out = math.ceil(size / stride)
    needed = max((out - 1) * stride + window - size, 0)
    return needed // 2, needed - needed // 2, out


def ref_conv2d(x, k, strides=(1, 1), padding="valid", dilation=(1, 1)):
    n, h, w, _ = x.shape
    kh, kw, _, f = k.shape
    (sh, sw), (dh, dw) = strides, dilation
    top, _, oh = _tf_padding(padding, h, (kh - 1) * dh + 1, sh)
    left, _, ow = _tf_padding(padding, w, (kw - 1) * dw + 1, sw)
    y = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    r, c = i * sh + a * dh - top, j * sw + b * dw - left
                    if 0 <= r < h and 0 <= c < w:
                        y[:, i, j, :] += x[:, r, c, :] @ k[a, b]
    return y


def ref_pool(x, pool, strides, padding, reduce):
    """Reduce each window over its real positions only (padding never takes part)."""
    n, h, w, c = x.shape
    top, _, oh = _tf_padding(padding, h, pool[0], strides[0])
    left, _, ow = _tf_padding(padding, w, pool[1], strides[1])
    y = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * strides[0] - top, j * strides[1] - left
            window = x[:, max(r0, 0):r0 + pool[0], max(c0, 0):c0 + pool[1], :]
            y[:, i, j, :] = reduce(window, axis=(1, 2))
    return y


def _random(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape)


CONV_CASES = [  # x shape, kernel shape, strides, padding, dilation
    ((2, 6, 7, 1), (3, 3, 1, 4), (1, 1), "valid", (1, 1)),
    ((2, 6, 7, 3), (3, 2, 3, 2), (1, 1), "same", (1, 1)),
    ((1, 7, 6, 6), (3, 3, 6, 2), (2, 2), "valid", (1, 1)),
    ((1, 7, 6, 6), (3, 3, 6, 2), (2, 3), "same", (1, 1)),
    ((2, 8, 8, 2), (3, 3, 2, 3), (1, 1), "valid", (2, 2)),
    ((2, 8, 7, 5), (2, 3, 5, 3), (1, 1), "same", (2, 3)),
    ((1, 9, 9, 1), (3, 3, 1, 2), (2, 2), "same", (2, 2)),
    ((1, 4, 5, 2), (4, 5, 2, 1), (1, 1), "valid", (1, 1)),
    ((1, 5, 5, 1), (1, 1, 1, 3), (3, 2), "same", (1, 1)),
    ((1, 3, 3, 1), (5, 5, 1, 1), (1, 1), "same", (1, 1)),
]


def _case_id(case):
    x, k, s, p, d = case
    return f"x{x}-k{k}-s{s}-{p}-d{d}".replace(" ", "")


@pytest.mark.parametrize("case", CONV_CASES, ids=[_case_id(c) for c in CONV_CASES])
def test_conv2d_matches_the_loop_reference(case):
    x_shape, k_shape, strides, padding, dilation = case
    x, k = _random(x_shape, 0), _random(k_shape, 1)
    y = ag.conv2d_nhwc(x, k, strides=strides, padding=padding, dilation_rate=dilation)
    np.testing.assert_allclose(y.numpy(), ref_conv2d(x, k, strides, padding, dilation),
                               rtol=1e-12, atol=1e-12)


def test_conv2d_adds_the_bias_per_filter_and_accepts_ints_for_pairs():
    x, k, bias = _random((2, 5, 5, 2), 0), _random((3, 3, 2, 3), 1), np.array([1.0, -2.0, 0.5])
    y = ag.conv2d_nhwc(x, k, bias, strides=2, padding="SAME", dilation_rate=1)
    np.testing.assert_allclose(y.numpy(), ref_conv2d(x, k, (2, 2), "same") + bias, atol=1e-12)


def test_same_padding_puts_the_odd_row_and_column_at_the_bottom_right():
    # 4x4 input, 3x3 kernel, stride 2: two outputs per axis and one row of padding, at the end.
    y = ag.conv2d_nhwc(np.ones((1, 4, 4, 1)), np.ones((3, 3, 1, 1)), strides=2, padding="same")
    np.testing.assert_array_equal(y.numpy()[0, :, :, 0], [[9.0, 6.0], [6.0, 4.0]])
    y = ag.conv2d_nhwc(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), strides=2, padding="same")
    np.testing.assert_array_equal(y.numpy()[0, :, :, 0], [[4, 6, 4], [6, 9, 6], [4, 6, 4]])


@pytest.mark.parametrize("channels", [1, 8])
def test_conv2d_and_pooling_keep_float32(channels):
    x = ag.randn(2, 6, 6, channels, rng=0, requires_grad=True)
    k = ag.randn(3, 3, channels, 4, rng=1, requires_grad=True)
    b = ag.zeros(4, requires_grad=True)
    out = ag.max_pool2d_nhwc(ag.conv2d_nhwc(x, k, b).relu())
    assert out.shape == (2, 2, 2, 4) and out.dtype == np.float32
    (ag.avg_pool2d_nhwc(out, 1) * 2).sum().backward()
    assert x.grad.dtype == k.grad.dtype == b.grad.dtype == np.float32
    expected = ref_conv2d(x.numpy().astype(np.float64), k.numpy().astype(np.float64))
    np.testing.assert_allclose(ag.conv2d_nhwc(x, k).numpy(), expected, rtol=1e-5, atol=1e-5)


GRAD_CASES = [CONV_CASES[i] for i in (0, 1, 3, 5, 6)]


@pytest.mark.parametrize("case", GRAD_CASES, ids=[_case_id(c) for c in GRAD_CASES])
def test_conv2d_gradcheck_on_x_kernel_and_bias(case):
    x_shape, k_shape, strides, padding, dilation = case
    x = ag.tensor(_random(x_shape, 0), requires_grad=True)
    k = ag.tensor(_random(k_shape, 1), requires_grad=True)
    b = ag.tensor(_random(k_shape[3:], 2), requires_grad=True)
    assert ag.gradcheck(lambda x, k, b: ag.conv2d_nhwc(x, k, b, strides, padding, dilation),
                        (x, k, b))


@pytest.mark.parametrize("strides, padding, dilation", [
    ((1, 1), "valid", (1, 1)), ((2, 1), "same", (1, 2)), ((2, 2), "same", (1, 1))])
def test_conv2d_gradgradcheck(strides, padding, dilation):
    x = ag.tensor(_random((1, 5, 4, 2), 0), requires_grad=True)
    k = ag.tensor(_random((2, 3, 2, 2), 1), requires_grad=True)
    assert ag.gradgradcheck(lambda x, k: ag.conv2d_nhwc(x, k, None, strides, padding, dilation),
                            (x, k))


def test_the_transposed_convolutions_are_differentiable_too():
    params = dict(strides=(2, 1), dilation=(1, 2), padding=((1, 1), (0, 2)))
    x_shape, k_shape = (1, 5, 4, 2), (2, 2, 2, 3)
    y_shape = conv_ops.conv2d(ag.zeros(*x_shape), ag.zeros(*k_shape), **params).shape
    g = ag.tensor(_random(y_shape, 0), requires_grad=True)
    k = ag.tensor(_random(k_shape, 1), requires_grad=True)
    x = ag.tensor(_random(x_shape, 2), requires_grad=True)
    to_input = lambda g, k: conv_ops.conv2d_input_grad(g, k, input_shape=x_shape, **params)
    to_kernel = lambda x, g: conv_ops.conv2d_kernel_grad(x, g, kernel_shape=k_shape, **params)
    assert ag.gradcheck(to_input, (g, k)) and ag.gradgradcheck(to_input, (g, k))
    assert ag.gradcheck(to_kernel, (x, g)) and ag.gradgradcheck(to_kernel, (x, g))


POOL_CASES = [  # x shape, pool size, strides, padding
    ((2, 6, 6, 3), (2, 2), None, "valid"),
    ((2, 7, 5, 2), (2, 2), None, "valid"),
    ((2, 7, 5, 2), (2, 2), None, "same"),
    ((1, 6, 7, 2), (3, 3), (1, 1), "same"),
    ((1, 6, 7, 1), (3, 2), (2, 1), "valid"),
    ((1, 5, 5, 2), (3, 3), (2, 2), "same"),
    ((1, 4, 6, 1), (2, 3), (3, 2), "same"),
    ((1, 3, 3, 1), (5, 5), (1, 1), "same"),
]


def _pool_id(case):
    return f"x{case[0]}-p{case[1]}-s{case[2]}-{case[3]}".replace(" ", "")


@pytest.mark.parametrize("case", POOL_CASES, ids=[_pool_id(c) for c in POOL_CASES])
def test_pooling_matches_the_loop_reference(case):
    x_shape, pool, strides, padding = case
    x = _random(x_shape, 0) - 3.0  # all negative: a padded 0 would win a max or sink a mean
    expected_strides = pool if strides is None else strides
    np.testing.assert_array_equal(ag.max_pool2d_nhwc(x, pool, strides, padding).numpy(),
                                  ref_pool(x, pool, expected_strides, padding, np.max))
    np.testing.assert_allclose(ag.avg_pool2d_nhwc(x, pool, strides, padding).numpy(),
                               ref_pool(x, pool, expected_strides, padding, np.mean),
                               rtol=1e-12)


@pytest.mark.parametrize("case", POOL_CASES[2:6], ids=[_pool_id(c) for c in POOL_CASES[2:6]])
def test_pooling_gradcheck(case):
    x_shape, pool, strides, padding = case
    # Distinct, well separated values: no ties, and no max changes within the step.
    values = np.random.default_rng(0).permutation(math.prod(x_shape)).reshape(x_shape) * 0.1
    x = ag.tensor(values, requires_grad=True)
    assert ag.gradcheck(lambda x: ag.max_pool2d_nhwc(x, pool, strides, padding), (x,))
    assert ag.gradcheck(lambda x: ag.avg_pool2d_nhwc(x, pool, strides, padding), (x,))
    assert ag.gradgradcheck(lambda x: ag.avg_pool2d_nhwc(x, pool, strides, padding), (x,))
    assert ag.gradgradcheck(lambda x: ag.max_pool2d_nhwc(x, pool, strides, padding) ** 2, (x,))


def test_max_pool_ties_send_the_gradient_to_the_first_maximum():
    x = ag.tensor(np.array([[1.0, 3.0, 3.0, 0.0], [3.0, 3.0, 2.0, 3.0]]).reshape(1, 2, 4, 1),
                  requires_grad=True)
    ag.max_pool2d_nhwc(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy()[0, :, :, 0], [[0, 1, 1, 0], [0, 0, 0, 0]])


def test_overlapping_windows_add_their_gradients_at_a_shared_winner():
    x = ag.tensor(np.array([0.0, 5.0, 1.0, 2.0]).reshape(1, 1, 4, 1), requires_grad=True)
    ag.max_pool2d_nhwc(x, (1, 2), strides=1).sum().backward()  # windows [0 5] [5 1] [1 2]
    np.testing.assert_array_equal(x.grad.numpy().ravel(), [0, 2, 0, 1])


def test_padding_never_wins_even_against_minus_infinity():
    x = ag.tensor(np.full((1, 3, 3, 1), -np.inf), requires_grad=True)
    # one row and column of padding each side
    y = ag.max_pool2d_nhwc(x, 3, strides=1, padding="same")
    y.sum().backward()
    assert y.shape == (1, 3, 3, 1) and np.all(y.numpy() == -np.inf)
    assert x.grad.numpy().sum() == 9  # one winner per window, all of them real positions


def test_integer_images_can_be_pooled():
    x = np.arange(16, dtype=np.uint8).reshape(1, 4, 4, 1)
    y = ag.max_pool2d_nhwc(x, 3, strides=1, padding="same")
    assert y.dtype == np.uint8
    np.testing.assert_array_equal(y.numpy(), ref_pool(x, (3, 3), (1, 1), "same", np.max))
    np.testing.assert_array_equal(ag.avg_pool2d_nhwc(x).numpy().ravel(), [2.5, 4.5, 10.5, 12.5])


@pytest.mark.parametrize("call, message", [
    (lambda: ag.conv2d_nhwc(np.ones((5, 5, 1)), np.ones((3, 3, 1, 2))), r"x.shape=\(5, 5, 1\)"),
    (lambda: ag.conv2d_nhwc(np.ones((1, 5, 5, 1)), np.ones((3, 3, 2))),
     r"kernel.shape=\(3, 3, 2\)"),
    (lambda: ag.conv2d_nhwc(np.ones((1, 5, 5, 3)), np.ones((3, 3, 2, 4))),
     r"expects 2 input channels but x has 3"),
    (lambda: ag.conv2d_nhwc(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 4)), np.ones(3)),
     r"bias of shape \(4,\).*bias.shape=\(3,\)"),
    (lambda: ag.conv2d_nhwc(np.ones((1, 5, 5, 1)), np.ones((6, 3, 1, 4))), r"height is 5"),
    (lambda: ag.conv2d_nhwc(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 4)), dilation_rate=3),
     r"dilated kernel \(7 along the height\)"),
    (lambda: ag.conv2d_nhwc(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 4)), strides=0),
     r"strides=0"),
    (lambda: ag.conv2d_nhwc(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 4)), strides=(1, -1)),
     r"strides=\(1, -1\)"),
    (lambda: ag.conv2d_nhwc(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 4)), strides=(1, 1, 1)),
     r"pair of positive ints"),
    (lambda: ag.conv2d_nhwc(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 4)), dilation_rate=True),
     r"dilation_rate=True"),
    (lambda: ag.conv2d_nhwc(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 4)), padding="full"),
     r"'valid' or 'same'; received padding='full'"),
    (lambda: ag.max_pool2d_nhwc(np.ones((1, 5, 5))), r"max_pool2d_nhwc: .*x.shape=\(1, 5, 5\)"),
    (lambda: ag.max_pool2d_nhwc(np.ones((1, 1, 5, 1))), r"pool window \(2 along the height\)"),
    (lambda: ag.avg_pool2d_nhwc(np.ones((1, 4, 4, 1)), strides=0), r"avg_pool2d_nhwc: strides"),
    (lambda: ag.avg_pool2d_nhwc(np.ones((1, 4, 4, 1)), pool_size=(2, 0)), r"pool_size=\(2, 0\)"),
])
def test_bad_arguments_raise_value_errors_that_name_them(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_scalars_and_boolean_images_are_refused():
    with pytest.raises(TypeError, match="Scalars cannot be convolved"):
        ag.conv2d_nhwc(ag.Scalar(1.0), np.ones((1, 1, 1, 1)))
    with pytest.raises(TypeError, match="max_pool2d_nhwc: expected a numeric tensor"):
        ag.max_pool2d_nhwc(np.ones((1, 2, 2, 1), dtype=bool))


# --- PyTorch's NCHW functions (nn.functional), built on the channels-last primitives ---

@pytest.mark.parametrize("kwargs, weight_shape", [
    ({"stride": 2, "padding": 1}, (3, 2, 3, 3)),
    ({"padding": "same", "dilation": (1, 2)}, (3, 2, 2, 3)),
    ({"groups": 2, "padding": (1, 0)}, (4, 1, 3, 2)),
])
def test_nchw_conv2d_gradcheck(kwargs, weight_shape):
    x = ag.tensor(_random((2, 2, 5, 6), 0), requires_grad=True)
    w = ag.tensor(_random(weight_shape, 1), requires_grad=True)
    b = ag.tensor(_random((weight_shape[0],), 2), requires_grad=True)
    assert ag.gradcheck(lambda x, w, b: F.conv2d(x, w, b, **kwargs), (x, w, b))
    assert ag.gradgradcheck(lambda x, w: F.conv2d(x, w, **kwargs), (x, w))


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_conv2d_padding_modes_gradcheck(mode):
    conv = nn.Conv2d(2, 3, 3, padding=1, padding_mode=mode, dtype=np.float64)
    x = ag.tensor(_random((1, 2, 4, 5), 3), requires_grad=True)
    assert ag.gradcheck(lambda x, w, b: conv(x), (x, conv.weight, conv.bias))


@pytest.mark.parametrize("pool", [
    lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True),
    lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
    lambda x: F.avg_pool2d(x, (2, 3), divisor_override=4),
    lambda x: F.adaptive_avg_pool2d(x, (3, 2)),
])
def test_nchw_pooling_gradcheck(pool):
    x = ag.tensor(_random((2, 2, 7, 6), 4), requires_grad=True)
    assert ag.gradcheck(pool, (x,))
