"""One seed for every draw: ``autograd.manual_seed`` (and ``nn.set_random_seed``, the same root)
makes each kind of random draw the library makes repeat bit for bit, and a different seed
changes it. Explicit ``rng=`` and ``seed=`` arguments keep their own streams."""

import random

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from nn import datasets
from nn.scalar_nets import MLP


def _arrays(value):
    """Any draw's result as a list of numpy arrays, to compare bit for bit."""
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _arrays(v)]
    if isinstance(value, ag.Tensor):
        return [value.numpy().copy()]
    return [np.asarray(value).copy()]


def _fit_weights():
    x, y = datasets.make_regression(32, n_features=2, noise=0.5, rng=0)
    model = nn.Sequential([nn.Dense(1, input_shape=[2], seed=0)])  # weights fixed by their seed
    model.compile(optimizer=optim.SGD(0.05), loss="mse")
    model.fit(x, y, epochs=3, batch_size=4, shuffle=True, verbose=False)
    return [p.numpy().copy() for p in model.parameters()]


def _dropout_masks():
    layer = nn.Dropout(0.5)
    x = ag.ones((4, 16))
    return [layer(x).numpy().copy() for _ in range(3)]  # torch's Dropout: training mode


DRAWS = {
    "randn": lambda: ag.randn(3, 4),
    "rand": lambda: ag.rand(5, dtype=np.float64),
    "next_generator": lambda: ag.next_generator().random(4),
    "as_generator(None)": lambda: ag.as_generator(None).random(4),
    "nn.random.generator": lambda: nn.random.generator().random(4),
    "celsius_fahrenheit": lambda: datasets.celsius_fahrenheit(n_extra=6, noise=1.0),
    "make_moons": lambda: datasets.make_moons(20, noise=0.1),
    "make_circles": lambda: datasets.make_circles(20, noise=0.1),
    "make_spirals": lambda: datasets.make_spirals(21, n_classes=3, noise=0.1),
    "make_xor": lambda: datasets.make_xor(20, noise=0.1),
    "make_regression": lambda: datasets.make_regression(20, n_features=3, noise=0.1, coef=True),
    "scalar MLP": lambda: [p.data for p in MLP(3, [4, 1]).parameters()],
    "Dense": lambda: nn.Dense(3, input_shape=[4]).kernel,
    "initializer": lambda: nn.initializers.get("glorot_uniform")((3, 4)),
    "Dropout masks": _dropout_masks,
    "functional dropout": lambda: nn.functional.dropout(ag.ones(32), 0.5),
    "fit shuffling": _fit_weights,
}


def _seeded(seed, draw):
    ag.manual_seed(seed)
    return _arrays(draw())


def _equal(a, b):
    return len(a) == len(b) and all(
        x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()
        for x, y in zip(a, b))


@pytest.mark.parametrize("name", list(DRAWS))
def test_the_same_seed_repeats_every_draw_bit_for_bit(name):
    draw = DRAWS[name]
    first = _seeded(123, draw)
    assert _equal(first, _seeded(123, draw))
    assert not _equal(first, _seeded(124, draw))


@pytest.mark.parametrize("name", ["randn", "make_moons", "Dense", "Dropout masks",
                                  "fit shuffling"])
def test_nn_set_random_seed_is_the_same_root(name):
    draw = DRAWS[name]
    nn.set_random_seed(7)
    assert _equal(_arrays(draw()), _seeded(7, draw))


def test_successive_draws_differ_and_follow_from_the_seed():
    ag.manual_seed(0)
    a, b = ag.randn(4).numpy(), ag.randn(4).numpy()
    assert not np.array_equal(a, b)
    ag.manual_seed(0)
    assert np.array_equal(ag.randn(4).numpy(), a) and np.array_equal(ag.randn(4).numpy(), b)


def test_explicit_seeds_and_generators_keep_their_own_streams():
    ag.manual_seed(0)
    with_int = ag.randn(3, rng=5).numpy()
    ag.manual_seed(1)
    assert np.array_equal(ag.randn(3, rng=5).numpy(), with_int)
    assert np.array_equal(ag.randn(3, rng=np.random.default_rng(5)).numpy(), with_int)
    generator = np.random.default_rng(9)
    assert ag.as_generator(generator) is generator
    x_a, _ = datasets.make_moons(10, noise=0.1, rng=3)
    ag.manual_seed(2)
    x_b, _ = datasets.make_moons(10, noise=0.1, rng=3)
    assert np.array_equal(x_a, x_b)


def test_the_library_never_touches_global_random_state():
    np_state, py_state = np.random.get_state(), random.getstate()
    ag.manual_seed(0)
    for draw in DRAWS.values():
        draw()
    after = np.random.get_state()
    assert np_state[0] == after[0] and np.array_equal(np_state[1], after[1])
    assert np_state[2:] == after[2:]
    assert random.getstate() == py_state


@pytest.mark.parametrize("seed", [-1, 1.5, "0", None, True])
def test_manual_seed_refuses_anything_but_a_non_negative_int(seed):
    with pytest.raises(ValueError, match=rf"manual_seed expects a non-negative int\. "
                                         rf"Received: seed={seed!r}"):
        ag.manual_seed(seed)


def test_set_random_seed_names_itself_and_accepts_numpy_ints():
    with pytest.raises(ValueError, match=r"set_random_seed .* Received: seed=-1"):
        nn.set_random_seed(-1)
    nn.set_random_seed(np.int64(4))
    a = ag.randn(2).numpy()
    ag.manual_seed(4)
    assert np.array_equal(ag.randn(2).numpy(), a)
