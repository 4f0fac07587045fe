"""The course's own lines run as written, and a learner's first mistakes get clear errors."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import autograd as ag
import nn
import optim

ROOT = Path(__file__).resolve().parents[1]
CELSIUS = [-40, -10, 0, 8, 15, 22, 38]
FAHRENHEIT = [-40, 14, 32, 46, 59, 72, 100]


def test_the_course_program_with_keras_keywords_and_get_weights():
    nn.set_random_seed(0)
    l0 = nn.Dense(units=1, input_shape=[1])
    model = nn.Sequential([l0])
    model.compile(loss="mean_squared_error", optimizer=optim.Adam(learning_rate=0.1))
    model.fit(CELSIUS, FAHRENHEIT, epochs=500, verbose=False)
    kernel, bias = l0.get_weights()
    assert kernel.shape == (1, 1) and bias.shape == (1,)
    assert 1.7 < kernel[0, 0] < 1.9 and 25 < bias[0] < 33
    assert model.predict([100.0])[0, 0] == pytest.approx(100 * kernel[0, 0] + bias[0],
                                                         rel=1e-6)


def test_the_three_layer_lesson_predicts_212_within_a_few_degrees():
    nn.set_random_seed(0)
    l0 = nn.Dense(units=4, input_shape=[1])
    l1 = nn.Dense(units=4)
    l2 = nn.Dense(units=1)
    model = nn.Sequential([l0, l1, l2])
    model.compile(loss="mean_squared_error", optimizer=optim.Adam(0.1))
    model.fit(CELSIUS, FAHRENHEIT, epochs=500, verbose=False)
    assert model.predict([100.0])[0, 0] == pytest.approx(212, abs=4)
    shapes = [[w.shape for w in layer.get_weights()] for layer in (l0, l1, l2)]
    assert shapes == [[(1, 4), (4,)], [(4, 4), (4,)], [(4, 1), (1,)]]


def test_weights_lists_and_set_weights():
    nn.set_random_seed(0)
    model = nn.Sequential([nn.Dense(2, input_shape=[3], name="a"),
                           nn.BatchNormalization(name="bn"), nn.Dense(1, name="b")])
    names = [w.name for w in model.weights]
    assert names == ["a.kernel", "a.bias", "bn.gamma", "bn.beta", "bn.moving_mean",
                     "bn.moving_variance", "b.kernel", "b.bias"]
    assert [w.name for w in model.non_trainable_weights] == ["bn.moving_mean",
                                                             "bn.moving_variance"]
    assert len(model.trainable_weights) == 6
    values = [np.full(w.shape, i, dtype=np.float64) for i, w in enumerate(model.weights)]
    model.set_weights(values)
    for value, got in zip(values, model.get_weights()):
        assert got.dtype == np.float32 and np.array_equal(got, value)
    copies = model.get_weights()
    copies[0][...] = 99  # copies: changing them changes nothing in the model
    assert model.get_weights()[0][0, 0] == 0


def test_set_weights_lists_every_mismatch_and_changes_nothing():
    layer = nn.Dense(2, input_shape=[3], name="d")
    before = layer.get_weights()
    with pytest.raises(ValueError) as err:
        layer.set_weights([np.zeros((2, 3)), np.zeros(3)])
    message = str(err.value)
    assert "weight 0 (d.kernel): expected shape (3, 2), received (2, 3)" in message
    assert "weight 1 (d.bias): expected shape (2,), received (3,)" in message
    assert all(np.array_equal(a, b) for a, b in zip(before, layer.get_weights()))
    with pytest.raises(ValueError, match="expected 2 arrays .*received 1"):
        layer.set_weights([np.zeros((3, 2))])
    with pytest.raises(TypeError, match="expects a list of arrays"):
        layer.set_weights(np.zeros((3, 2)))


def test_get_layer_by_name_and_index():
    model = nn.Sequential([nn.Dense(4, input_shape=[1], name="hidden"), nn.Dense(1, name="out")])
    assert model.get_layer("hidden") is model.layers[0]
    assert model.get_layer(index=-1) is model.layers[1]
    with pytest.raises(ValueError, match=r"no layer named 'nope'. The layers are: \['hidden'"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="out of range; the model has 2 layers"):
        model.get_layer(index=2)
    with pytest.raises(ValueError, match="not both"):
        model.get_layer("hidden", 0)


@pytest.mark.parametrize("cls", [optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop,
                                 optim.Adagrad])
def test_every_optimizer_takes_keras_learning_rate(cls):
    w = ag.tensor([1.0], requires_grad=True)
    assert cls(learning_rate=0.25).learning_rate == 0.25
    opt = cls([w], learning_rate=0.5)
    assert opt.param_groups[0]["lr"] == 0.5
    opt.learning_rate = 0.125
    assert opt.param_groups[0]["lr"] == 0.125 and opt.learning_rate == 0.125
    with pytest.raises(ValueError, match="given twice, as learning_rate .* and lr"):
        cls([w], lr=0.1, learning_rate=0.2)
    with pytest.raises(ValueError, match="given twice, as the first argument"):
        cls(0.1, learning_rate=0.2)
    with pytest.raises(ValueError, match="learning rate"):
        opt.learning_rate = -1.0


def test_metrics_may_be_one_name():
    model = nn.Sequential([nn.Dense(1, input_shape=[1])])
    model.compile(loss="mse", optimizer="adam", metrics="mae")
    assert [m.name for m in model.metrics] == ["mae"]
    loss, mae = model.evaluate(CELSIUS, FAHRENHEIT, verbose=0)
    assert mae > 0


@pytest.mark.parametrize("epochs", [2.5, -1, "3", True])
def test_fit_refuses_epochs_that_are_not_whole_numbers(epochs):
    model = nn.Sequential([nn.Dense(1, input_shape=[1])])
    model.compile(loss="mse", optimizer="adam")
    with pytest.raises(ValueError, match=f"epochs must be a whole number >= 0. "
                                         f"Received: epochs={epochs!r}"):
        model.fit(CELSIUS, FAHRENHEIT, epochs=epochs, verbose=0)


def test_sequential_takes_a_keras_list_or_pytorch_arguments():
    nn.set_random_seed(0)
    one = nn.Sequential(nn.Dense(1, input_shape=[1]))  # used to fail: 'Dense' not iterable
    assert len(one.layers) == 1 and one.layers[0].built
    torch_style = nn.Sequential(nn.Linear(1, 4), nn.ReLU(), nn.Linear(4, 1))
    assert [type(m).__name__ for m in torch_style.layers] == ["Linear", "ReLU", "Linear"]
    assert torch_style(ag.ones((2, 1))).shape == (2, 1)
    with pytest.raises(TypeError, match="not both"):
        nn.Sequential([nn.Dense(1)], nn.Dense(1))
    with pytest.raises(TypeError, match="Sequential expects a list of layers"):
        nn.Sequential(3)


def test_load_weights_names_the_unbuilt_layer(tmp_path):
    nn.set_random_seed(0)
    trained = nn.Sequential([nn.Dense(2, input_shape=[1]), nn.Dense(1)])
    trained.save_weights(tmp_path / "w.npz")

    class Lazy(nn.Model):
        def __init__(self):
            super().__init__()
            self.a = nn.Dense(2, input_shape=[1])
            self.b = nn.Dense(1, name="lazy_b")

        def forward(self, x):
            return self.b(self.a(x))

    with pytest.raises(ValueError, match=r"layer\(s\) 'lazy_b' .* no weights yet"):
        Lazy().load_weights(tmp_path / "w.npz")


# --- non-finite training data ---

def compiled():
    model = nn.Sequential([nn.Dense(1, input_shape=[1])])
    model.compile(loss="mse", optimizer=optim.Adam(0.1))
    return model


@pytest.mark.parametrize("call", ["fit", "evaluate", "train_on_batch", "validation"])
@pytest.mark.parametrize("where, bad, expected", [
    ("x", np.nan, "x holds 1 non-finite value(s) (NaN or infinity) out of 7; the first is "
                  "x[2, 0] = nan"),
    ("y", np.inf, "y holds 1 non-finite value(s) (NaN or infinity) out of 7; the first is "
                  "y[2] = inf"),
    ("sample_weight", np.nan, "sample_weight holds 1 non-finite value(s) (NaN or infinity) "
                              "out of 7; the first is sample_weight[2] = nan"),
])
def test_non_finite_data_is_refused_before_any_weight_changes(call, where, bad, expected):
    model = compiled()
    x, y = np.array(CELSIUS, np.float32), np.array(FAHRENHEIT, np.float32)
    w = np.ones(7)
    {"x": x, "y": y, "sample_weight": w}[where][2] = bad
    before = model.get_weights()
    with pytest.raises(ValueError) as err:
        if call == "validation":
            model.fit(CELSIUS, FAHRENHEIT, validation_data=(x, y, w), verbose=0)
        else:
            getattr(model, call)(x, y, sample_weight=w,
                                 **({"verbose": 0} if call != "train_on_batch" else {}))
    assert expected in str(err.value)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert model.optimizer.state == {}


def test_a_float64_batch_into_a_float32_model_computes_in_float32():
    model = nn.Sequential([nn.layers.Flatten(input_shape=[1]), nn.Dense(2), nn.Dense(1)])
    x = np.linspace(0, 1, 6)[:, None]  # float64, as numpy makes it
    assert model(x).dtype == np.float32
    assert model.predict(x).dtype == np.float32
    assert nn.ReLU()(ag.tensor(x)).dtype == np.float64  # no weights: the dtype passes through
    double = nn.Dense(1, input_shape=[1], dtype="float64")
    assert double(np.ones((1, 1), np.float32)).dtype == np.float64


def test_history_plot_returns_one_axes_with_or_without_metrics():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for metrics in (None, ["mae"]):
        model = nn.Sequential([nn.Dense(1, input_shape=[1])])
        model.compile(loss="mse", optimizer="adam", metrics=metrics)
        ax = model.fit(CELSIUS, FAHRENHEIT, epochs=2, verbose=0).plot()
        assert isinstance(ax, matplotlib.axes.Axes)
        assert len(ax.figure.axes) == (1 if metrics is None else 2)
        plt.close("all")


def test_tqdm_is_a_core_dependency():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [dep.split(">")[0].split("=")[0].strip() for dep in project["dependencies"]]
    assert "tqdm" in names


PLAIN_INSTALL = """
import importlib.abc, sys
core = {"numpy", "tqdm", "autograd", "nn", "optim"}
class OnlyCoreDependencies(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top not in core and top not in sys.stdlib_module_names and not top.startswith("_"):
            raise ModuleNotFoundError(f"No module named {name!r} (a plain install)", name=name)
sys.meta_path.insert(0, OnlyCoreDependencies())
import nn, optim
model = nn.Sequential([nn.Dense(units=1, input_shape=[1])])
model.compile(loss="mean_squared_error", optimizer=optim.Adam(0.1))
model.fit([-40, -10, 0, 8, 15, 22, 38], [-40, 14, 32, 46, 59, 72, 100], epochs=3)
print("trained", model.predict([100.0]).shape)
"""


def test_fit_with_its_default_verbose_needs_only_the_core_dependencies():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PLAIN_INSTALL], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "trained (1, 1)" in done.stdout
    assert "Epoch 3/3" in done.stderr  # tqdm's bar


def test_sequential_indexes_like_pytorch():
    model = nn.Sequential(nn.Linear(1, 4), nn.ReLU(), nn.Linear(4, 1))
    assert len(model) == 3 and model[0] is model.layers[0] and model[-1].out_features == 1
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]
    head = model[:2]
    assert isinstance(head, nn.Sequential) and head[0] is model[0]


# --- sample weights, as Keras applies them ---

def test_sample_weight_scales_each_example_loss_as_keras_does():
    model = nn.Sequential([nn.Dense(1, input_shape=[1], kernel_initializer="zeros")])
    model.compile(loss="mse", optimizer=optim.SGD(0.0))
    x, y = [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]  # prediction 0: squared errors 1, 4, 9, 16
    weights = np.array([1.0, 0.0, 2.0, 0.5])
    expected = (1 * 1 + 0 * 4 + 2 * 9 + 0.5 * 16) / 4  # Keras: divided by the batch size
    assert model.evaluate(x, y, sample_weight=weights, verbose=0) == pytest.approx(expected)
    assert model.test_on_batch(x, y, sample_weight=weights) == pytest.approx(expected)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(30 / 4)
    logs = model.fit(x, y, sample_weight=weights, batch_size=4, epochs=1, verbose=0).history
    assert logs["loss"][0] == pytest.approx(expected)


def test_a_zero_sample_weight_removes_an_example_from_training():
    nn.set_random_seed(0)
    x, y = np.array([1.0, 2.0, 3.0, 100.0]), np.array([2.0, 4.0, 6.0, -500.0])
    model = nn.Sequential([nn.Dense(1, input_shape=[1])])
    model.compile(loss="mse", optimizer=optim.Adam(0.1))
    model.fit(x, y, sample_weight=[1, 1, 1, 0], epochs=300, verbose=0)
    kernel, bias = model.get_weights()
    assert kernel[0, 0] == pytest.approx(2.0, abs=0.1)  # the outlier had no say


def test_sample_weight_in_train_on_batch_and_validation_data():
    model = compiled()
    x = np.array(CELSIUS, np.float32)
    y = np.array(FAHRENHEIT, np.float32)
    w = np.ones(7)
    model.train_on_batch(x, y, sample_weight=w)
    history = model.fit(x, y, validation_data=(x, y, 2 * w), epochs=1, verbose=0)
    plain = model.evaluate(x, y, verbose=0)
    assert history.history["val_loss"][0] > 0
    assert model.evaluate(x, y, sample_weight=2 * w, verbose=0) == pytest.approx(2 * plain,
                                                                               rel=1e-5)


def test_sample_weight_of_the_wrong_shape_is_refused_and_a_scalar_loss_weighted_as_keras():
    model = compiled()
    with pytest.raises(ValueError, match=r"sample_weight must hold one number per example, "
                                         r"shape \(7,\). Received: shape \(3,\)"):
        model.fit(CELSIUS, FAHRENHEIT, sample_weight=[1, 2, 3], verbose=0)
    # As in Keras, a custom loss giving one value for the batch is scaled by the mean weight.
    model.compile(loss=lambda y_true, y_pred: ((y_pred - y_true) ** 2).mean(), optimizer="sgd")
    plain = model.evaluate(CELSIUS, FAHRENHEIT, verbose=0)
    weighted = model.evaluate(CELSIUS, FAHRENHEIT, sample_weight=np.full(7, 0.5), verbose=0)
    assert weighted == pytest.approx(plain * 0.5)
