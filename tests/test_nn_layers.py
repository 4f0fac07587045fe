"""Keras layers (``nn.layers``) against numpy references, and gradient checks on inputs and
parameters (float64)."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
from nn import _activation_primitives, layers

F64 = np.float64


def away_from_zero(shape, seed=0):
    """float64 values with |x| in [0.2, 2]: no input sits on a kink."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=F64), requires_grad=True)


def check_gradients(layer, x):
    """gradcheck of layer(x) with respect to x and every parameter, in both Keras modes."""
    params = tuple(layer.parameters())
    for mode in (True, False):
        assert ag.gradcheck(lambda x, *_: layer(x, training=mode), (x, *params))


# --- Dense ---


def test_dense_matches_numpy_and_is_built_at_once_with_input_shape():
    layer = layers.Dense(4, activation="tanh", input_shape=[3], seed=0, dtype=F64)
    assert layer.built and layer.input_shape == (None, 3)
    assert layer.kernel.shape == (3, 4) and layer.bias.shape == (4,)
    x = away_from_zero((5, 3))
    with ag.no_grad():
        layer.bias.copy_(np.arange(4.0))
    expected = np.tanh(x @ layer.kernel.numpy() + np.arange(4.0))
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-12)
    check_gradients(layer, leaf(x))


def test_dense_is_built_lazily_from_the_first_input():
    layer = layers.Dense(2, seed=0)
    assert not layer.built and list(layer.parameters()) == []
    y = layer(np.ones((4, 7), dtype=np.float32))
    assert layer.built and layer.input_shape == (None, 7) and layer.kernel.shape == (7, 2)
    assert y.shape == (4, 2) and y.dtype == np.float32


def test_dense_applies_to_the_last_axis_of_a_3d_input():
    layer = layers.Dense(2, activation="relu", seed=0, dtype=F64)
    x = away_from_zero((2, 3, 4))
    y = layer(x)
    expected = np.maximum(x @ layer.kernel.numpy() + layer.bias.numpy(), 0)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-12)
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 2)
    check_gradients(layer, leaf(x))


def test_dense_without_bias_and_with_a_callable_activation():
    layer = layers.Dense(3, activation=lambda t: t * 2, use_bias=False, input_shape=[2], seed=0,
                     dtype=F64)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["kernel"]
    x = away_from_zero((2, 2))
    np.testing.assert_allclose(layer(x).numpy(), 2 * x @ layer.kernel.numpy())


def test_dense_names_the_layer_the_expected_and_the_received_shape():
    layer = layers.Dense(3, input_shape=[4], name="hidden")
    with pytest.raises(ValueError) as info:
        layer(np.ones((2, 5)))
    message = str(info.value)
    assert "'hidden'" in message
    assert "expected axis -1 of input shape to have value 4" in message
    assert "received input with shape (2, 5)" in message


def test_dense_argument_and_rank_errors():
    with pytest.raises(ValueError, match="Dense expects units > 0. Received: units=0"):
        layers.Dense(0)
    with pytest.raises(TypeError, match="units=2.5"):
        layers.Dense(2.5)
    with pytest.raises(ValueError, match="Could not interpret activation function identifier: "
                                         "'relu7'"):
        layers.Dense(2, activation="relu7")
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        layers.Dense(2)([1.0, 2.0])


def test_dense_converts_lists_and_integers():
    layer = layers.Dense(units=1, input_shape=[1], seed=0)
    assert layer([[100.0]]).shape == (1, 1)
    assert layer(np.array([[3]])).dtype == np.float32


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "softmax", "linear", "gelu", "elu",
                                  "leaky_relu", "softplus", None])
def test_dense_takes_every_activation_name(name):
    layer = layers.Dense(3, activation=name, input_shape=[2], seed=0, dtype=F64)
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
    (lambda: layers.ReLU(dtype=F64), lambda x: np.maximum(x, 0.0)),
    (lambda: layers.LeakyReLU(dtype=F64), lambda x: np.where(x > 0, x, 0.3 * x)),
    (lambda: layers.LeakyReLU(negative_slope=0.1, dtype=F64),
     lambda x: np.where(x > 0, x, 0.1 * x)),
    (lambda: layers.ReLU(max_value=1.0, dtype=F64), lambda x: np.clip(x, 0.0, 1.0)),
    (lambda: layers.ReLU(negative_slope=0.1, threshold=0.5, dtype=F64),
     lambda x: np.where(x > 0.5, x, 0.1 * (x - 0.5))),
    (lambda: layers.Activation("tanh", dtype=F64), np.tanh),
    (lambda: layers.Softmax(dtype=F64), lambda x: _softmax(x, -1)),
    (lambda: layers.Softmax(axis=0, dtype=F64), lambda x: _softmax(x, 0)),
    (lambda: layers.Activation("gelu", dtype=F64), _gelu_exact),
    (lambda: layers.Activation(lambda x: nn.activations.gelu(x, approximate=True), dtype=F64),
     lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))),
    (lambda: layers.ELU(dtype=F64), lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0)))),
    (lambda: layers.ELU(alpha=0.5, dtype=F64),
     lambda x: np.where(x > 0, x, 0.5 * np.expm1(np.minimum(x, 0)))),
    (lambda: layers.Activation("softplus", dtype=F64), lambda x: np.logaddexp(0.0, x)),
    (lambda: layers.Activation("sigmoid", dtype=F64), lambda x: 1.0 / (1.0 + np.exp(-x))),
]


@pytest.mark.parametrize("make, reference", ACTIVATION_LAYERS)
def test_activation_layers_match_numpy_and_gradcheck(make, reference):
    layer = make()
    x = away_from_zero((3, 4))
    np.testing.assert_allclose(layer(x).numpy(), reference(x), rtol=1e-12, atol=1e-15)
    assert layer.compute_output_shape((None, 4)) == (None, 4)
    check_gradients(layer, leaf(x))


def test_activation_layer_reprs():
    assert repr(layers.ReLU()) == "ReLU(max_value=None, negative_slope=0.0, threshold=0.0)"
    assert repr(layers.LeakyReLU()) == "LeakyReLU(negative_slope=0.3)"
    assert repr(layers.Activation("tanh")) == "Activation(tanh)"


def test_gelu_is_exact_to_float64_rounding():
    mpmath = pytest.importorskip("mpmath")
    x = np.concatenate([np.linspace(-37.0, 30.0, 671), -np.geomspace(1e-300, 1.0, 30)])
    y = layers.Activation("gelu", dtype=F64)(x).numpy()
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
    layer = layers.Flatten(dtype=F64)
    x = away_from_zero((2, 3, 2, 2))
    np.testing.assert_array_equal(layer(x).numpy(), x.reshape(2, 12))
    assert layer.compute_output_shape((None, 3, 2, 2)) == (None, 12)
    assert layer.compute_output_shape((None, None, 2)) == (None, None)
    check_gradients(layer, leaf(x))


def test_embedding_looks_up_rows_and_accumulates_gradients():
    layer = layers.Embedding(5, 3, seed=0, dtype=F64, input_shape=[3])
    ids = np.array([[1, 1, 4], [0, 2, 1]])
    out = layer(ids)
    np.testing.assert_array_equal(out.numpy(), layer.embeddings.numpy()[ids])
    assert layer.compute_output_shape((None, 3)) == (None, 3, 3) == (None, *out.shape[1:])
    out.sum().backward()
    np.testing.assert_array_equal(layer.embeddings.grad.numpy()[:, 0], [1, 3, 1, 0, 1])
    assert np.all(np.abs(layer.embeddings.numpy()) <= 0.05)
    for mode in (True, False):
        assert ag.gradcheck(lambda t: layer(ids, training=mode) * 2.0, (layer.embeddings,))


def test_embedding_rejects_bad_ids():
    layer = layers.Embedding(5, 2, name="words")
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
    assert low == _activation_primitives._SQRT_HALF_LOW


# --- Keras' constructor keywords, training= and subclassing ---


def test_nn_layers_exports_only_keras_names():
    assert "Linear" not in layers.__all__ and not hasattr(layers, "Linear")
    for name in ["LayerNorm", "ModuleList", "ModuleDict", "GELU", "Sigmoid", "Tanh"]:
        assert not hasattr(layers, name), name
    assert layers.MaxPool2D is layers.MaxPooling2D and layers.AvgPool2D is layers.AveragePooling2D


def test_keras_keyword_arguments_are_accepted_and_unknown_ones_refused():
    layer = layers.Dense(2, input_dim=3, name="d", dtype="float64", trainable=False)
    assert layer.built and layer.input_shape == (None, 3) and layer.name == "d"
    assert layer.kernel.dtype == np.float64 and not layer.trainable
    assert not layer.kernel.requires_grad
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Dense: "
                                         "{'unit': 3}"):
        layers.Dense(2, unit=3)
    with pytest.raises(ValueError, match="Expected `trainable` to be a boolean"):
        layers.Dense(2, trainable="no")


@pytest.mark.parametrize("make, argument", [
    (lambda: layers.Dense(2, kernel_constraint="non_neg"), "kernel_constraint='non_neg'"),
    (lambda: layers.Dense(2, activity_regularizer="l2"), "activity_regularizer='l2'"),
    (lambda: layers.Dense(2, lora_rank=4), "lora_rank=4"),
    (lambda: layers.Conv2D(2, 3, groups=2), "groups=2"),
    (lambda: layers.BatchNormalization(renorm=True), "renorm=True"),
    (lambda: layers.Embedding(3, 2, mask_zero=True), "mask_zero=True"),
    (lambda: layers.LayerNormalization(gamma_constraint="non_neg"), "gamma_constraint"),
    (lambda: layers.Dense(2, autocast=False), "autocast=False"),
])
def test_unsupported_keras_arguments_are_refused_not_ignored(make, argument):
    with pytest.raises(ValueError, match=f"{argument}.*not supported.*Keras default"):
        make()


def test_masks_are_refused():
    with pytest.raises(ValueError, match="masks are not supported"):
        layers.Softmax()(np.ones((1, 2)), mask=np.ones((1, 2), bool))


def test_training_comes_from_the_call_then_the_enclosing_scope_then_inference():
    from nn.training_mode import training_scope

    drop = layers.Dropout(0.5, seed=0)
    x = np.ones((1, 64), np.float32)
    assert np.array_equal(drop(x).numpy(), x)  # alone: inference
    drop.train()  # PyTorch's flag means nothing to a Keras layer
    assert np.array_equal(drop(x).numpy(), x)
    with training_scope(True):
        assert (drop(x).numpy() == 0).any()
        assert np.array_equal(drop(x, training=False).numpy(), x)
    assert (drop(x, training=True).numpy() == 0).any()


def test_training_passes_to_layers_inside_a_layer():
    class Block(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.drop = layers.Dropout(0.5, seed=0)

        def call(self, inputs):
            return self.drop(inputs)

    block = Block()
    x = np.ones((1, 64), np.float32)
    assert np.array_equal(block(x).numpy(), x)
    assert (block(x, training=True).numpy() == 0).any()


def test_a_keras_style_subclass_with_build_call_and_add_weight():
    class Linear(layers.Layer):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                     initializer="ones", regularizer="l2", name="w")
            self.total = self.add_weight(shape=(), initializer="zeros", trainable=False)

        def call(self, inputs, training=None):
            return inputs @ self.w + (1.0 if training else 0.0)

    layer = Linear(dtype="float64")
    x = np.ones((1, 3))
    np.testing.assert_array_equal(layer(x).numpy(), [[3.0, 3.0]])
    np.testing.assert_array_equal(layer(x, training=True).numpy(), [[4.0, 4.0]])
    assert layer.built and [n for n, _ in layer.named_parameters()] == ["w"]
    assert [n for n, _ in layer.named_buffers()] == ["total"]
    assert float(layer.regularization_loss().item()) == pytest.approx(0.01 * 6)
    with pytest.raises(ValueError, match="constraint='non_neg' is not supported"):
        layer.add_weight(shape=(1,), constraint="non_neg")


def test_flatten_channels_first_moves_the_channels_last():
    x = away_from_zero((2, 3, 4, 5))
    y = layers.Flatten(data_format="channels_first", dtype=F64)(x).numpy()
    np.testing.assert_array_equal(y, x.transpose(0, 2, 3, 1).reshape(2, -1))


def test_layer_normalization_matches_numpy_and_gradcheck():
    layer = layers.LayerNormalization(axis=[1, 2], epsilon=1e-3, dtype=F64)
    x = away_from_zero((3, 4, 2))
    layer.build((None, 4, 2))
    with ag.no_grad():
        layer.gamma.copy_(away_from_zero((4, 2), seed=1))
        layer.beta.copy_(away_from_zero((4, 2), seed=2))
    mean = x.mean(axis=(1, 2), keepdims=True)
    var = x.var(axis=(1, 2), keepdims=True)
    expected = (x - mean) / np.sqrt(var + 1e-3) * layer.gamma.numpy() + layer.beta.numpy()
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-12)
    check_gradients(layer, leaf(x))
    with pytest.raises(ValueError, match="built for inputs of shape"):
        layer(np.ones((3, 5, 2)))


def test_layers_save_and_load_their_keras_arguments():
    layer = layers.Dense(3, activation="relu", input_shape=[2], seed=4, dtype="float64")
    config = layer.get_config()
    assert config["input_shape"] == [2] and config["dtype"] == "float64" and config["seed"] == 4
    clone = layers.Dense.from_config(config)
    np.testing.assert_array_equal(clone.kernel.numpy(), layer.kernel.numpy())
    pool = layers.AveragePooling2D.from_config(layers.AveragePooling2D(3).get_config())
    assert pool.pool_size == (3, 3)


def test_inputs_are_cast_to_the_layer_dtype_as_keras_autocast_does():
    x = np.ones((2, 3))  # float64
    assert layers.Dropout(0.5)(x).dtype == np.float32
    assert layers.Flatten()(x).dtype == np.float32
    assert layers.ReLU(dtype="float64")(x).dtype == np.float64
    assert layers.Dense(2, dtype="float64")(x.astype(np.float32)).dtype == np.float64


def test_embedding_starts_from_given_weights_as_in_keras():
    table = np.arange(6.0).reshape(3, 2)
    layer = layers.Embedding(3, 2, weights=[table], dtype=F64)
    assert layer.built
    np.testing.assert_array_equal(layer([[2, 0]]).numpy(), [[[4.0, 5.0], [0.0, 1.0]]])
    with pytest.raises(ValueError, match="weights of shape"):
        layers.Embedding(3, 2, weights=np.zeros((2, 2)))


def test_keras_idioms_run_as_written():
    model = nn.Sequential([
        layers.Dense(8, activation="relu", input_dim=4),
        layers.Dropout(0.5),
        layers.BatchNormalization(),
        layers.Dense(3, activation="softmax"),
    ])
    x = np.random.default_rng(0).normal(size=(16, 4)).astype(np.float32)
    first, again = model(x).numpy(), model(x).numpy()
    np.testing.assert_array_equal(first, again)  # inference outside fit: no dropout
    np.testing.assert_allclose(first.sum(axis=1), 1.0, rtol=1e-6)
    assert not np.allclose(model(x, training=True).numpy(), first)


def test_reshaping_layers_check_their_arguments_and_shapes():
    with pytest.raises(ValueError, match="dims must be consecutive|must be consecutive"):
        layers.Permute((1, 3))
    with pytest.raises(ValueError, match="at most one -1"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="interpolation='bilinear' is not supported"):
        layers.UpSampling2D(interpolation="bilinear")
    assert layers.Reshape((-1, 2)).compute_output_shape((None, 3, 4)) == (None, 6, 2)
    assert layers.ZeroPadding2D(((1, 0), (2, 3))).compute_output_shape((None, 3, 3, 2)) \
        == (None, 4, 8, 2)
    assert layers.GlobalMaxPooling2D(keepdims=True).compute_output_shape((None, 4, 5, 3)) \
        == (None, 1, 1, 3)
    x = away_from_zero((2, 3, 4, 2))
    y = layers.UpSampling2D(dtype=F64)(x).numpy()
    np.testing.assert_array_equal(y, x.repeat(2, axis=1).repeat(2, axis=2))
    check_gradients(layers.GlobalMaxPooling2D(dtype=F64), leaf(x))


def test_training_given_by_position_is_refused_as_in_keras():
    with pytest.raises(ValueError, match="Only input tensors may be passed as positional "
                                         "arguments.*True"):
        layers.Dropout(0.5)(np.ones((1, 4)), True)
