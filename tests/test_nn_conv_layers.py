"""Conv2D, MaxPool2D and AvgPool2D layers against direct loop references on small images."""

import math

import numpy as np
import pytest

import autograd as ag
from nn import layers

F64 = np.float64


def _padding(size, window, stride, padding):
    """(before, after, output size) along one axis, with TensorFlow's 'same' rule."""
    if padding == "valid":
        return 0, 0, (size - window) // stride + 1
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + window - size, 0)
    return total // 2, total - total // 2, out


def conv_reference(x, kernel, bias, strides, padding, dilation):
    n, h, w, _ = x.shape
    kh, kw, _, filters = kernel.shape
    eh, ew = (kh - 1) * dilation[0] + 1, (kw - 1) * dilation[1] + 1
    top, bottom, out_h = _padding(h, eh, strides[0], padding)
    left, right, out_w = _padding(w, ew, strides[1], padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    y = np.zeros((n, out_h, out_w, filters))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * strides[0], j * strides[1]
            window = xp[:, r:r + eh:dilation[0], c:c + ew:dilation[1], :]
            y[:, i, j, :] = np.tensordot(window, kernel, axes=([1, 2, 3], [0, 1, 2])) + bias
    return y


def pool_reference(x, pool, strides, padding, reduce):
    n, h, w, ch = x.shape
    top, bottom, out_h = _padding(h, pool[0], strides[0], padding)
    left, right, out_w = _padding(w, pool[1], strides[1], padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=np.nan)
    y = np.zeros((n, out_h, out_w, ch))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * strides[0], j * strides[1]
            y[:, i, j, :] = reduce(xp[:, r:r + pool[0], c:c + pool[1], :], axis=(1, 2))
    return y


CONV_CASES = [((1, 1), "valid", (1, 1)), ((1, 1), "same", (1, 1)), ((2, 2), "valid", (1, 1)),
              ((2, 1), "same", (1, 1)), ((1, 1), "valid", (2, 2)), ((2, 2), "same", (2, 1))]


@pytest.mark.parametrize("strides, padding, dilation", CONV_CASES)
def test_conv2d_matches_the_loop_reference(strides, padding, dilation):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 7, 6, 2))
    layer = layers.Conv2D(3, (3, 2), strides=strides, padding=padding, dilation_rate=dilation,
                      bias_initializer="random_normal", seed=0, dtype=F64)
    y = layer(x)
    expected = conv_reference(x, layer.kernel.numpy(), layer.bias.numpy(), strides, padding,
                              dilation)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-10, atol=1e-12)
    assert layer.compute_output_shape((None, 7, 6, 2)) == (None, *y.shape[1:])
    assert layer.kernel.shape == (3, 2, 2, 3) and layer.input_shape == (None, 7, 6, 2)


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_gradcheck_on_inputs_and_parameters(padding):
    rng = np.random.default_rng(1)
    layer = layers.Conv2D(2, 3, strides=2, padding=padding, activation="tanh",
                      bias_initializer="random_normal", seed=1, dtype=F64)
    x = ag.tensor(rng.normal(size=(1, 5, 5, 2)), requires_grad=True)
    layer(x)
    for mode in (True, False):
        layer.train(mode)
        assert ag.gradcheck(lambda x, k, b: layer(x), (x, layer.kernel, layer.bias))


def test_conv2d_with_input_shape_activation_and_channels_first():
    layer = layers.Conv2D(4, 3, padding="same", activation="relu", input_shape=(6, 6, 2), seed=0,
                      dtype=F64)
    assert layer.built and layer.kernel.shape == (3, 3, 2, 4)
    x = np.random.default_rng(2).normal(size=(2, 6, 6, 2))
    expected = np.maximum(conv_reference(x, layer.kernel.numpy(), layer.bias.numpy(), (1, 1),
                                         "same", (1, 1)), 0)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-10, atol=1e-12)
    first = layers.Conv2D(4, 3, padding="same", data_format="channels_first", use_bias=False,
                      seed=0, dtype=F64)
    y = first(x.transpose(0, 3, 1, 2))
    assert first.compute_output_shape((None, 2, 6, 6)) == (None, 4, 6, 6) == (None, *y.shape[1:])
    reference = conv_reference(x, first.kernel.numpy(), 0.0, (1, 1), "same", (1, 1))
    np.testing.assert_allclose(y.numpy(), reference.transpose(0, 3, 1, 2), rtol=1e-10, atol=1e-12)


def test_conv2d_errors_name_the_layer_and_the_shapes():
    layer = layers.Conv2D(2, 3, input_shape=(5, 5, 1), name="conv")
    with pytest.raises(ValueError, match="'conv' is incompatible.*value 1 \\(channels\\).*"
                                         "\\(1, 5, 5, 3\\)"):
        layer(np.ones((1, 5, 5, 3)))
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layer(np.ones((5, 5, 1)))
    with pytest.raises(ValueError, match="Conv2D expects filters > 0"):
        layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="kernel_size to be an int > 0 or a pair"):
        layers.Conv2D(2, (3, 0))
    with pytest.raises(ValueError, match="padding to be one of 'valid', 'same'"):
        layers.Conv2D(2, 3, padding="full")
    with pytest.raises(ValueError, match="does not fit"):
        layers.Conv2D(2, 7).compute_output_shape((None, 5, 5, 1))


POOL_CASES = [((2, 2), None, "valid"), ((2, 2), None, "same"), ((3, 3), (2, 2), "valid"),
              ((3, 2), (1, 2), "same"), ((2, 2), (1, 1), "valid")]


@pytest.mark.parametrize("pool, strides, padding", POOL_CASES)
@pytest.mark.parametrize("layer_class, reduce", [(layers.MaxPool2D, np.nanmax),
                                                 (layers.AvgPool2D, np.nanmean)])
def test_pooling_matches_the_loop_reference(layer_class, reduce, pool, strides, padding):
    x = np.random.default_rng(3).normal(size=(2, 7, 5, 3))
    layer = layer_class(pool, strides, padding, dtype=np.float64)
    y = layer(x)
    expected = pool_reference(x, pool, strides or pool, padding, reduce)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-12)
    assert layer.compute_output_shape((None, 7, 5, 3)) == (None, *y.shape[1:])
    assert list(layer.parameters()) == []


@pytest.mark.parametrize("layer_class", [layers.MaxPool2D, layers.AvgPool2D])
def test_pooling_gradcheck_and_channels_first(layer_class):
    rng = np.random.default_rng(4)
    x = ag.tensor(rng.permutation(50).reshape(1, 5, 5, 2) / 10.0, requires_grad=True)
    layer = layer_class(pool_size=2, padding="same", dtype=np.float64)
    assert ag.gradcheck(lambda x: layer(x), (x,))
    assert ag.gradcheck(lambda x: layer(x, training=True), (x,))
    first = layer_class(pool_size=2, padding="same", data_format="channels_first",
                        dtype=np.float64)
    np.testing.assert_array_equal(first(x.numpy().transpose(0, 3, 1, 2)).numpy(),
                                  layer(x).numpy().transpose(0, 3, 1, 2))


def test_pooling_defaults_and_keras_aliases():
    layer = layers.MaxPooling2D()
    assert isinstance(layer, layers.MaxPool2D) and layers.AveragePooling2D is layers.AvgPool2D
    assert (layer.pool_size, layer.strides, layer.padding) == ((2, 2), (2, 2), "valid")
    assert repr(layer) == "MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding='valid')"
    with pytest.raises(TypeError, match="pool_size"):
        layers.AveragePooling2D()  # no default pool size in Keras
