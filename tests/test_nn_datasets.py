"""Toy data sets: the course's pairs, shapes, labels, seeding, and the relations they encode."""

import numpy as np
import pytest

from nn import datasets


def test_celsius_fahrenheit_pairs_of_the_course():
    celsius, fahrenheit = datasets.celsius_fahrenheit()
    assert celsius.tolist() == [-40, -10, 0, 8, 15, 22, 38]
    assert fahrenheit.tolist() == [-40, 14, 32, 46, 59, 72, 100]
    assert celsius.dtype == np.float32
    more_c, more_f = datasets.celsius_fahrenheit(n_extra=20, rng=0)
    assert more_c.shape == more_f.shape == (27,)
    np.testing.assert_allclose(more_f[7:], 1.8 * more_c[7:] + 32, rtol=1e-5)
    noisy_c, noisy_f = datasets.celsius_fahrenheit(n_extra=20, noise=2.0, rng=0)
    np.testing.assert_array_equal(noisy_c, more_c)
    assert not np.allclose(noisy_f[7:], more_f[7:])
    with pytest.raises(ValueError, match="n_extra >= 0"):
        datasets.celsius_fahrenheit(n_extra=-1)


GENERATORS = [
    (datasets.make_moons, {}, 2),
    (datasets.make_circles, {"factor": 0.5}, 2),
    (datasets.make_spirals, {"n_classes": 3}, 3),
    (datasets.make_xor, {}, 2),
]


@pytest.mark.parametrize("make, options, classes", GENERATORS)
def test_classification_sets_have_balanced_labels_and_follow_the_seed(make, options, classes):
    x, y = make(n_samples=120, noise=0.1, rng=0, **options)
    assert x.shape == (120, 2) and y.shape == (120,)
    assert x.dtype == np.float32 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [120 // classes] * classes
    again_x, again_y = make(n_samples=120, noise=0.1, rng=0, **options)
    np.testing.assert_array_equal(x, again_x)
    np.testing.assert_array_equal(y, again_y)
    assert not np.array_equal(x, make(n_samples=120, noise=0.1, rng=1, **options)[0])
    with pytest.raises(ValueError, match="n_samples > 0"):
        make(n_samples=0)
    with pytest.raises(ValueError, match="expects noise >= 0"):
        make(noise=-1.0)


def test_shapes_without_noise():
    x, y = datasets.make_circles(100, factor=0.5, rng=0)
    np.testing.assert_allclose(np.hypot(x[:, 0], x[:, 1]), np.where(y == 0, 1.0, 0.5), rtol=1e-6)
    x, y = datasets.make_moons(100, rng=0)
    upper = x[y == 0]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, rtol=1e-6)
    x, y = datasets.make_xor(8, shuffle=False)
    assert y.tolist() == [0, 1, 1, 0, 0, 1, 1, 0]
    np.testing.assert_array_equal(y, np.logical_xor(x[:, 0], x[:, 1]))
    x, y = datasets.make_spirals(50, n_classes=2, rng=0, shuffle=False)
    assert np.hypot(x[:, 0], x[:, 1]).max() <= 1.0 + 1e-6
    with pytest.raises(ValueError, match="factor in \\(0, 1\\)"):
        datasets.make_circles(factor=1.5)


def test_make_regression_is_linear_with_noise():
    x, y, w = datasets.make_regression(500, n_features=3, noise=0.1, bias=2.0, coef=True, rng=0)
    assert x.shape == (500, 3) and y.shape == (500,) and w.shape == (3,)
    residual = y - (x @ w + 2.0)
    assert abs(residual.std() - 0.1) < 0.02
    x, y = datasets.make_regression(10, weights=[2.0], rng=0)
    np.testing.assert_allclose(y, 2.0 * x[:, 0], rtol=1e-6)
    with pytest.raises(ValueError, match="expects 2 weights"):
        datasets.make_regression(10, n_features=2, weights=[1.0])
