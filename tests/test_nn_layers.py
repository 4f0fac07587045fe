"""Layers against numpy references, and gradient checks on inputs and parameters (float64)."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F

F64 = np.float64


def away_from_zero(shape, seed=0):
    """float64 values with |x| in [0.2, 2]: no input sits on a kink."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=F64), requires_grad=True)


def check_gradients(layer, x):
    """gradcheck of layer(x) with respect to x and every parameter, in both modes."""
    params = tuple(layer.parameters())
    for mode in (True, False):
        layer.train(mode)
        assert ag.gradcheck(lambda x, *_: layer(x), (x, *params))
    layer.train()


# --- Dense ---


def test_dense_matches_numpy_and_is_built_at_once_with_input_shape():
    layer = nn.Dense(4, activation="tanh", input_shape=[3], seed=0, dtype=F64)
    assert layer.built and layer.input_shape == (None, 3)
    assert layer.kernel.shape == (3, 4) and layer.bias.shape == (4,)
    x = away_from_zero((5, 3))
    with ag.no_grad():
        layer.bias.copy_(np.arange(4.0))
    expected = np.tanh(x @ layer.kernel.numpy() + np.arange(4.0))
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-12)
    check_gradients(layer, leaf(x))


def test_dense_is_built_lazily_from_the_first_input():
    layer = nn.Dense(2, seed=0)
    assert not layer.built and list(layer.parameters()) == []
    y = layer(np.ones((4, 7), dtype=np.float32))
    assert layer.built and layer.input_shape == (None, 7) and layer.kernel.shape == (7, 2)
    assert y.shape == (4, 2) and y.dtype == np.float32


def test_dense_applies_to_the_last_axis_of_a_3d_input():
    layer = nn.Dense(2, activation="relu", seed=0, dtype=F64)
    x = away_from_zero((2, 3, 4))
    y = layer(x)
    expected = np.maximum(x @ layer.kernel.numpy() + layer.bias.numpy(), 0)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-12)
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 2)
    check_gradients(layer, leaf(x))


def test_dense_without_bias_and_with_a_callable_activation():
    layer = nn.Dense(3, activation=lambda t: t * 2, use_bias=False, input_shape=[2], seed=0,
                     dtype=F64)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["kernel"]
    x = away_from_zero((2, 2))
    np.testing.assert_allclose(layer(x).numpy(), 2 * x @ layer.kernel.numpy())


def test_dense_names_the_layer_the_expected_and_the_received_shape():
    layer = nn.Dense(3, input_shape=[4], name="hidden")
    with pytest.raises(ValueError) as info:
        layer(np.ones((2, 5)))
    message = str(info.value)
    assert "'hidden'" in message
    assert "expected axis -1 of input shape to have value 4" in message
    assert "received input with shape (2, 5)" in message


def test_dense_argument_and_rank_errors():
    with pytest.raises(ValueError, match="Dense expects units > 0. Received: units=0"):
        nn.Dense(0)
    with pytest.raises(TypeError, match="units=2.5"):
        nn.Dense(2.5)
    with pytest.raises(ValueError, match="Unknown activation function: 'relu6'"):
        nn.Dense(2, activation="relu6")
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        nn.Dense(2)([1.0, 2.0])


def test_dense_converts_lists_and_integers():
    layer = nn.Dense(units=1, input_shape=[1], seed=0)
    assert layer([[100.0]]).shape == (1, 1)
    assert layer(np.array([[3]])).dtype == np.float32


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "softmax", "linear", "gelu", "elu",
                                  "leaky_relu", "softplus", None])
def test_dense_takes_every_activation_name(name):
    layer = nn.Dense(3, activation=name, input_shape=[2], seed=0, dtype=F64)
    x = away_from_zero((2, 2))
    reference = nn.activations.get(name)(ag.tensor(x @ layer.kernel.numpy()))
    np.testing.assert_allclose(layer(x).numpy(), reference.numpy(), rtol=1e-12)


# --- activation layers ---


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _gelu_exact(x):
    return np.vectorize(lambda v: v * 0.5 * math.erfc(-v / math.sqrt(2.0)))(x)


ACTIVATION_LAYERS = [
    (lambda: nn.ReLU(), lambda x: np.maximum(x, 0.0)),
    (lambda: nn.LeakyReLU(), lambda x: np.where(x > 0, x, 0.3 * x)),
    (lambda: nn.LeakyReLU(negative_slope=0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    (lambda: nn.Sigmoid(), lambda x: 1.0 / (1.0 + np.exp(-x))),
    (lambda: nn.Tanh(), np.tanh),
    (lambda: nn.Softmax(), lambda x: _softmax(x, -1)),
    (lambda: nn.Softmax(axis=0), lambda x: _softmax(x, 0)),
    (lambda: nn.GELU(), _gelu_exact),
    (lambda: nn.GELU(approximate=True),
     lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))),
    (lambda: nn.ELU(), lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0)))),
    (lambda: nn.ELU(alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(np.minimum(x, 0)))),
    (lambda: nn.Softplus(), lambda x: np.logaddexp(0.0, x)),
    (lambda: nn.Activation("sigmoid"), lambda x: 1.0 / (1.0 + np.exp(-x))),
]


@pytest.mark.parametrize("make, reference", ACTIVATION_LAYERS)
def test_activation_layers_match_numpy_and_gradcheck(make, reference):
    layer = make()
    x = away_from_zero((3, 4))
    np.testing.assert_allclose(layer(x).numpy(), reference(x), rtol=1e-12, atol=1e-15)
    assert layer.compute_output_shape((None, 4)) == (None, 4)
    check_gradients(layer, leaf(x))


def test_activation_layer_reprs():
    assert repr(nn.ReLU()) == "ReLU()"
    assert repr(nn.LeakyReLU()) == "LeakyReLU(negative_slope=0.3)"
    assert repr(nn.GELU(approximate=True)) == "GELU(approximate=True)"
    assert repr(nn.Activation("tanh")) == "Activation(tanh)"


def test_gelu_is_exact_to_float64_rounding():
    mpmath = pytest.importorskip("mpmath")
    x = np.concatenate([np.linspace(-37.0, 30.0, 671), -np.geomspace(1e-300, 1.0, 30)])
    y = nn.GELU()(x).numpy()
    with mpmath.workdps(40):
        reference = np.array([float(mpmath.mpf(v) * mpmath.ncdf(mpmath.mpf(v))) for v in x])
    ulps = np.abs(y - reference) / np.spacing(np.abs(reference))
    assert ulps.max() <= 4


def test_gelu_gradient_and_second_derivative():
    x = leaf(np.linspace(-6.0, 6.0, 13))
    assert ag.gradgradcheck(lambda x: nn.activations.gelu(x), x)
    (dx,) = ag.grad(nn.activations.gelu(x).sum(), [x])
    v = x.numpy()
    cdf = np.array([0.5 * math.erfc(-t / math.sqrt(2)) for t in v])
    np.testing.assert_allclose(dx.numpy(), cdf + v * np.exp(-v * v / 2) / math.sqrt(2 * math.pi),
                               rtol=1e-13, atol=1e-300)


def test_gelu_works_on_scalars_and_far_tails():
    s = ag.Scalar(-3.0)
    y = nn.activations.gelu(s)
    y.backward()
    assert isinstance(y, ag.Scalar) and isinstance(s.grad, float)
    tails = nn.activations.gelu(ag.tensor(np.array([-37.0, -1e308, 1e308]))).numpy()
    assert -1e-296 < tails[0] < 0 and tails[1] == 0 and tails[2] == 1e308


# --- Flatten and Embedding ---


def test_flatten():
    layer = nn.Flatten()
    x = away_from_zero((2, 3, 2, 2))
    np.testing.assert_array_equal(layer(x).numpy(), x.reshape(2, 12))
    assert layer.compute_output_shape((None, 3, 2, 2)) == (None, 12)
    assert layer.compute_output_shape((None, None, 2)) == (None, None)
    check_gradients(layer, leaf(x))


def test_embedding_looks_up_rows_and_accumulates_gradients():
    layer = nn.Embedding(5, 3, seed=0, dtype=F64, input_shape=[3])
    ids = np.array([[1, 1, 4], [0, 2, 1]])
    out = layer(ids)
    np.testing.assert_array_equal(out.numpy(), layer.embeddings.numpy()[ids])
    assert layer.compute_output_shape((None, 3)) == (None, 3, 3) == (None, *out.shape[1:])
    out.sum().backward()
    np.testing.assert_array_equal(layer.embeddings.grad.numpy()[:, 0], [1, 3, 1, 0, 1])
    assert np.all(np.abs(layer.embeddings.numpy()) <= 0.05)
    for mode in (True, False):
        assert ag.gradcheck(lambda t: layer.train(mode)(ids) * 2.0, (layer.embeddings,))


def test_functional_forms_match_the_layers():
    layer = nn.Dense(2, activation="relu", input_shape=[3], seed=0, dtype=F64)
    x = away_from_zero((4, 3))
    np.testing.assert_array_equal(F.relu(F.dense(x, layer.kernel, layer.bias)).numpy(),
                                  layer(x).numpy())
    with pytest.raises(ValueError, match="dense: the last axis"):
        F.dense(np.ones((2, 4)), layer.kernel)
    table = nn.Embedding(4, 2, input_shape=[2], seed=0)
    np.testing.assert_array_equal(F.embedding([[3, 0]], table.embeddings).numpy(),
                                  table([[3, 0]]).numpy())
    assert F.conv2d is ag.conv2d and F.max_pool2d is ag.max_pool2d
    for name in ["mean_squared_error", "mean_absolute_error", "huber",
                 "binary_crossentropy", "categorical_crossentropy",
                 "sparse_categorical_crossentropy", "hinge"]:
        assert getattr(F, name) is getattr(nn.losses, name)
    assert F.mse_loss is nn.losses.torch_losses.mse_loss  # PyTorch's names, PyTorch's semantics
    np.testing.assert_allclose(F.gelu(x).numpy(), nn.GELU()(x).numpy())


def test_embedding_rejects_bad_ids():
    layer = nn.Embedding(5, 2, name="words")
    with pytest.raises(ValueError, match="Embedding 'words' expects indices in \\[0, 5\\)"):
        layer([[0, 5]])
    with pytest.raises(ValueError, match="expects integer indices"):
        layer([[0.5, 1.0]])
    assert layer([[1.0, 2.0]]).shape == (1, 2, 2)


def test_the_rounding_error_of_sqrt_half_is_the_stored_literal():
    import decimal

    with decimal.localcontext() as context:
        context.prec = 40
        low = float(decimal.Decimal(0.5).sqrt() - decimal.Decimal(math.sqrt(0.5)))
    assert low == nn.activations._SQRT_HALF_LOW
