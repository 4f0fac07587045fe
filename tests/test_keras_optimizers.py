"""nn.optimizers as Keras users use them: compile's strings, fit, callbacks, saving, custom loops,
and the settings that are refused. (Number-for-number checks against Keras itself are in
tests/conformance/test_keras_optimizers.py.)"""

import numpy as np
import pytest

import autograd as ag
import nn
import nn as keras
import optim
from nn import layers

CELSIUS = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
FAHRENHEIT = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)
X = np.random.default_rng(0).normal(size=(64, 4)).astype(np.float32)
Y = (X[:, :1] * 2 - X[:, 1:2]).astype(np.float32)
NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam"]
KERAS_LR = {"SGD": 0.01}  # the others' default learning rate is 0.001


def small_model(optimizer, seed=0):
    nn.set_random_seed(seed)
    model = keras.Sequential([layers.Dense(8, activation="relu", input_shape=[4]),
                              layers.Dense(1)])
    model.compile(optimizer=optimizer, loss="mse")
    return model


@pytest.mark.parametrize("name", NAMES)
def test_compile_strings_are_keras_optimizers_with_keras_defaults(name):
    model = small_model(name.lower())
    assert type(model.optimizer) is getattr(keras.optimizers, name)
    assert model.optimizer.learning_rate == KERAS_LR.get(name, 0.001)
    assert len(model.optimizer.param_groups[0]["params"]) == 4  # bound by compile


def test_compile_rmsprop_trains_the_course_model():
    nn.set_random_seed(0)
    model = keras.Sequential([layers.Dense(units=1, input_shape=[1])])
    model.compile(optimizer="rmsprop", loss="mse")
    history = model.fit(CELSIUS, FAHRENHEIT, epochs=50, verbose=False)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.optimizer.iterations == 50  # one step per batch of 32 (the whole data)


def test_course_model_with_keras_adam():
    nn.set_random_seed(0)
    l0 = layers.Dense(units=1, input_shape=[1])
    model = keras.Sequential([l0])
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
    model.fit(CELSIUS, FAHRENHEIT, epochs=500, verbose=False)
    kernel, bias = l0.get_weights()
    assert abs(kernel.item() - 1.8) < 0.1 and abs(bias.item() - 32) < 5
    assert model.predict([100.0])[0, 0] == pytest.approx(211, abs=5)


@pytest.mark.parametrize("name", ["Adam", "Nadam", "RMSprop"])
def test_save_and_load_keeps_the_optimizer_exactly(tmp_path, name):
    model = small_model(getattr(keras.optimizers, name)(0.01, clipnorm=1.0))
    model.fit(X, Y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    model.save(tmp_path / "m.npz")
    loaded = nn.load_model(tmp_path / "m.npz")
    assert type(loaded.optimizer) is type(model.optimizer)
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.optimizer.iterations == model.optimizer.iterations == 8
    model.fit(X, Y, epochs=1, batch_size=16, verbose=0, shuffle=False)
    loaded.fit(X, Y, epochs=1, batch_size=16, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_callbacks_change_the_learning_rate():
    model = small_model(keras.optimizers.Adam(0.01))
    halve = nn.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    history = model.fit(X, Y, epochs=3, batch_size=64, verbose=0, callbacks=[halve])
    assert model.optimizer.learning_rate == pytest.approx(0.01 / 8)
    assert history.history["learning_rate"] == pytest.approx([0.005, 0.0025, 0.00125])
    model = small_model(keras.optimizers.SGD(0.5))
    plateau = nn.ReduceLROnPlateau(monitor="loss", factor=0.1, patience=0, min_delta=1e9)
    model.fit(X, Y, epochs=2, batch_size=64, verbose=0, callbacks=[plateau])
    assert model.optimizer.learning_rate < 0.5


def test_learning_rate_and_options_are_attributes_as_in_keras():
    opt = keras.optimizers.Adam(0.1)
    opt.learning_rate = 0.01
    opt.beta_1 = 0.5
    assert (opt.learning_rate, opt.beta_1) == (0.01, 0.5)
    assert opt.get_config()["beta_1"] == 0.5
    with pytest.raises(ValueError, match="learning_rate"):
        opt.learning_rate = "fast"
    with pytest.raises(ValueError, match="amsgrad"):
        opt.amsgrad = "yes"


def test_a_callable_learning_rate_is_called_each_step_as_in_keras():
    rates = iter([0.1, 0.2])
    w = ag.tensor([1.0], requires_grad=True)
    opt = keras.optimizers.SGD(lambda: next(rates)).bind([w])
    for _ in range(2):
        w.grad = ag.tensor([1.0])
        opt.step()
    assert w.item() == pytest.approx(1.0 - 0.1 - 0.2)


def test_apply_gradients_is_the_same_step_and_leaves_grad_alone():
    a = ag.tensor([[1.0, -2.0]], requires_grad=True)
    b = ag.tensor([[1.0, -2.0]], requires_grad=True)
    opt_a, opt_b = keras.optimizers.Adam(0.1), keras.optimizers.Adam(0.1).bind([b])
    for _ in range(3):
        (g,) = ag.grad((a * a * a).sum(), [a])
        opt_a.apply_gradients(zip([g], [a]))
        b.grad = None
        (b * b * b).sum().backward()
        opt_b.step()
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert a.grad is None and opt_a.iterations == 3
    other = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="unknown variable"):
        opt_a.apply_gradients([(ag.tensor([1.0]), other)])


def test_parameters_without_gradient_are_skipped_and_iterations_still_count():
    frozen = ag.tensor([5.0], requires_grad=True)
    trained = ag.tensor([5.0], requires_grad=True)
    opt = keras.optimizers.SGD(0.1).bind([frozen, trained])
    trained.grad = ag.tensor([1.0])
    opt.step()
    assert (frozen.item(), trained.item(), opt.iterations) == (5.0, pytest.approx(4.9), 1)
    trained.grad = None
    with pytest.raises(ValueError, match="no gradients"):
        opt.step()


def test_scalar_networks_train_with_keras_optimizers():
    nn.set_random_seed(0)
    net = nn.scalar_nets.MLP(2, [4, 1])
    opt = keras.optimizers.Adam(0.05).bind(net.parameters())
    data = [([1.0, 0.0], 1.0), ([0.0, 1.0], -1.0)]
    losses = []
    for _ in range(60):
        opt.zero_grad()
        loss = sum(((net(x) - y) ** 2 for x, y in data), ag.Scalar(0.0))
        loss.backward()
        opt.step()
        losses.append(loss.data)
    assert losses[-1] < 0.1 * losses[0]


def test_state_dict_round_trip_and_refusal():
    params = [ag.tensor(np.ones((2, 2), np.float32), requires_grad=True)]
    opt = keras.optimizers.Nadam(0.1).bind(params)
    params[0].grad = ag.tensor(np.ones((2, 2), np.float32))
    opt.step()
    saved = opt.state_dict()
    copy = [ag.tensor(np.ones((2, 2), np.float32), requires_grad=True)]
    other = keras.optimizers.Nadam(0.1).bind(copy)
    other.load_state_dict(saved)
    assert other.iterations == 1 and float(other.u_product) == float(opt.u_product)
    wrong = keras.optimizers.Nadam(0.1).bind([ag.tensor([1.0], requires_grad=True)])
    with pytest.raises(ValueError, match="shape"):
        wrong.load_state_dict(saved)
    assert wrong.iterations == 0
    with pytest.raises(ValueError, match="iterations"):
        other.load_state_dict(optim.Adam([copy[0]]).state_dict())


def test_get_passes_optimizers_through_and_reads_configs():
    torch_adam = optim.Adam(0.1)
    assert nn.optimizers.get(torch_adam) is torch_adam
    opt = nn.optimizers.get({"class_name": "Adam", "config": {"learning_rate": 0.5}})
    assert type(opt) is keras.optimizers.Adam and opt.learning_rate == 0.5
    assert nn.optimizers.get(None) is None
    with pytest.raises(ValueError, match="'lion'.*Keras has it"):
        nn.optimizers.get("lion")
    with pytest.raises(ValueError, match="optimizer"):
        small_model("nope")
    with pytest.raises(ValueError, match="optimizer=None"):
        small_model(None)


@pytest.mark.parametrize("make, fragments", [
    (lambda: keras.optimizers.Adam(use_ema=True), ["use_ema=True", "not supported"]),
    (lambda: keras.optimizers.Adam(loss_scale_factor=128.0), ["loss_scale_factor"]),
    (lambda: keras.optimizers.SGD(gradient_accumulation_steps=1),
     ["gradient_accumulation_steps", "integer >= 2"]),
    (lambda: keras.optimizers.Adam(clipnorm=1.0, clipvalue=1.0), ["only one of", "clipnorm"]),
    (lambda: keras.optimizers.Adam(clipnorm=-1.0), ["clipnorm", "-1.0"]),
    (lambda: keras.optimizers.Adam(lr=0.1), ["not recognized", "learning_rate"]),
    (lambda: keras.optimizers.Adam(1), ["learning_rate", "float"]),
    (lambda: keras.optimizers.Adam(-0.1), ["learning_rate", ">= 0"]),
    (lambda: keras.optimizers.SGD(momentum=1), ["momentum", "float"]),
    (lambda: keras.optimizers.SGD(momentum=1.5), ["momentum", "[0, 1]"]),
    (lambda: keras.optimizers.RMSprop(centered=1), ["centered", "True or False"]),
    (lambda: keras.optimizers.AdamW(weight_decay=None), ["weight_decay", "None"]),
    (lambda: keras.optimizers.Adam(weight_decay="a lot"), ["weight_decay"]),
])
def test_unsupported_or_invalid_settings_are_refused(make, fragments):
    with pytest.raises(ValueError) as caught:
        make()
    for fragment in fragments:
        assert fragment in str(caught.value), (fragment, str(caught.value))


def test_step_before_compile_says_how_to_bind():
    with pytest.raises(RuntimeError, match="bind"):
        keras.optimizers.Adam(0.1).step()


def test_gradient_accumulation_updates_every_nth_step_with_the_mean():
    w = ag.tensor([1.0], requires_grad=True)
    opt = keras.optimizers.SGD(0.1, gradient_accumulation_steps=2).bind([w])
    w.grad = ag.tensor([1.0])
    opt.step()
    assert (w.item(), opt.iterations, opt.applied) == (1.0, 0, 1)
    w.grad = ag.tensor([3.0])
    opt.step()
    assert (w.item(), opt.iterations, opt.applied) == (pytest.approx(1.0 - 0.1 * 2.0), 1, 2)
    assert "gradient_accumulation_steps=2" in repr(opt)


def test_a_schedule_is_saved_with_the_model_and_goes_on_from_the_step_reached(tmp_path):
    schedule = keras.optimizers.schedules.ExponentialDecay(0.05, decay_steps=3, decay_rate=0.5)
    model = small_model(keras.optimizers.Adam(learning_rate=schedule))
    model.fit(X, Y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    assert model.optimizer.learning_rate == pytest.approx(0.05 * 0.5 ** (8 / 3), rel=1e-6)
    model.save(tmp_path / "m.npz")
    loaded = nn.load_model(tmp_path / "m.npz")
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    model.fit(X, Y, epochs=1, batch_size=16, verbose=0, shuffle=False)
    loaded.fit(X, Y, epochs=1, batch_size=16, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match="not settable"):  # as in Keras
        model.fit(X, Y, epochs=1, verbose=0,
                  callbacks=[nn.LearningRateScheduler(lambda epoch: 0.01)])
    with pytest.raises(TypeError, match="not settable"):
        model.optimizer.learning_rate = 0.01
