"""Nothing trains silently wrong: frozen layers stay frozen, frozen parameters are accepted and
skipped, and an optimizer never misses the weights of a layer built after it."""

import numpy as np
import pytest

import autograd as ag
import nn
import optim

CELSIUS = [-40, -10, 0, 8, 15, 22, 38]
FAHRENHEIT = [-40, 14, 32, 46, 59, 72, 100]


def two_layer_model(seed=0):
    nn.set_random_seed(seed)
    first = nn.Dense(3, input_shape=[1], name="first")
    second = nn.Dense(1, name="second")
    return nn.Sequential([first, second]), first, second


def test_a_frozen_layer_keeps_its_weights_bitwise_through_fit():
    model, first, second = two_layer_model()
    first.trainable = False
    model.compile(loss="mean_squared_error", optimizer=optim.Adam(0.1))
    before_first = first.get_weights()
    before_second = second.get_weights()
    model.fit(CELSIUS, FAHRENHEIT, epochs=20, verbose=0)
    for old, new in zip(before_first, first.get_weights()):
        assert np.array_equal(old, new)
    assert not np.array_equal(before_second[0], second.get_weights()[0])


def test_freezing_after_compile_takes_effect_at_once():
    model, first, _ = two_layer_model()
    model.compile(loss="mse", optimizer=optim.Adam(0.1))
    model.fit(CELSIUS, FAHRENHEIT, epochs=2, verbose=0)
    first.trainable = False
    frozen = first.get_weights()
    model.fit(CELSIUS, FAHRENHEIT, epochs=5, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(frozen, first.get_weights()))
    first.trainable = True
    model.fit(CELSIUS, FAHRENHEIT, epochs=2, verbose=0)
    assert not np.array_equal(frozen[0], first.get_weights()[0])


def test_a_frozen_model_trains_nothing_and_still_reports_its_loss():
    model, first, second = two_layer_model()
    model.trainable = False
    assert not first.trainable and not second.trainable
    model.compile(loss="mse", optimizer="adam")
    before = model.get_weights()
    history = model.fit(CELSIUS, FAHRENHEIT, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_summary_counts_frozen_weights_as_non_trainable():
    model, first, _ = two_layer_model()
    first.trainable = False
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Total params: 10" in text  # 1*3 + 3, then 3*1 + 1
    assert "Trainable params: 4" in text
    assert "Non-trainable params: 6" in text
    assert [w.name for w in model.trainable_weights] == ["second.kernel", "second.bias"]


def test_a_layer_frozen_before_it_is_built_creates_frozen_weights():
    layer = nn.Dense(2)
    layer.trainable = False
    layer(ag.ones((1, 3)))
    assert [p.requires_grad for p in layer.parameters()] == [False, False]


def test_a_frozen_layer_survives_save_and_load(tmp_path):
    model, first, _ = two_layer_model()
    first.trainable = False
    model.compile(loss="mse", optimizer=optim.Adam(0.1))
    model.save(tmp_path / "frozen.npz")
    loaded = nn.load_model(tmp_path / "frozen.npz")
    assert loaded.get_layer(index=0).trainable is False
    assert loaded.get_layer(index=1).trainable is True


def test_a_frozen_batch_normalization_uses_and_keeps_its_moving_statistics():
    nn.set_random_seed(0)
    norm = nn.BatchNormalization(input_shape=[2])
    model = nn.Sequential([norm, nn.Dense(1)])
    norm.trainable = False
    model.compile(loss="mse", optimizer=optim.SGD(0.01))
    x = np.random.default_rng(0).normal(5.0, 3.0, (16, 2)).astype(np.float32)
    model.fit(x, x[:, :1], epochs=2, batch_size=4, verbose=0)
    assert np.array_equal(norm.moving_mean.numpy(), np.zeros(2, np.float32))
    assert np.array_equal(norm.moving_variance.numpy(), np.ones(2, np.float32))
    norm.train()
    out = norm(ag.tensor(x)).numpy()  # inference mode even in training: moving statistics
    np.testing.assert_allclose(out, x / np.sqrt(1 + 1e-3), rtol=1e-6)


def test_trainable_must_be_a_bool():
    with pytest.raises(TypeError, match="trainable must be True or False. Received: 'no'"):
        nn.Dense(1).trainable = "no"


# --- PyTorch's way: requires_grad=False ---

@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
    lambda ps: optim.Adam(ps, lr=0.1, weight_decay=0.1),
    lambda ps: optim.AdamW(ps, lr=0.1),
    lambda ps: optim.RMSprop(ps, lr=0.1),
    lambda ps: optim.Adagrad(ps, lr=0.1),
])
def test_optimizers_accept_frozen_parameters_and_leave_them_bitwise_unchanged(make):
    nn.set_random_seed(1)
    layer = nn.Dense(2, input_shape=[3])
    layer.kernel.requires_grad = False
    frozen = layer.kernel.numpy().copy()
    opt = make(layer.parameters())
    x = ag.tensor(np.ones((4, 3), np.float32))
    for _ in range(3):
        opt.zero_grad()
        (layer(x) ** 2).sum().backward()
        opt.step()
    assert layer.kernel.grad is None
    assert np.array_equal(layer.kernel.numpy(), frozen)
    assert not np.array_equal(layer.bias.numpy(), np.zeros(2, np.float32))


def test_requires_grad_underscore_freezes_a_whole_module_and_compile_accepts_it():
    model, first, second = two_layer_model()
    assert first.requires_grad_(False) is first
    model.compile(loss="mse", optimizer=optim.Adam(0.1))
    before = first.get_weights()
    model.fit(CELSIUS, FAHRENHEIT, epochs=3, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, first.get_weights()))


def test_apply_visits_children_before_parents():
    model, first, second = two_layer_model()
    seen = []
    assert model.apply(seen.append) is model
    assert seen == [first, second, model]
    with pytest.raises(TypeError, match="apply expects a function"):
        model.apply(3)


# --- an optimizer made before a lazy layer exists ---

class LazyTail(nn.Module):
    """A PyTorch-style model whose second layer learns its input size at the first call."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Dense(4, input_shape=[1], name="hidden")
        self.out = nn.Dense(1, name="lazy_out")

    def forward(self, x):
        return self.out(self.hidden(x))


def test_an_optimizer_refuses_a_model_with_an_unbuilt_layer():
    model = LazyTail()
    with pytest.raises(RuntimeError, match=r"Adam: layer 'lazy_out' has no weights yet.*"
                                           r"Call the model once"):
        optim.Adam(model.parameters(), lr=0.1)
    with pytest.raises(RuntimeError, match="parameter group 0: layer 'lazy_out'"):
        optim.SGD([{"params": model.parameters()}], lr=0.1)


def test_after_one_call_every_layer_trains():
    model = LazyTail()
    x = ag.tensor(np.linspace(-1, 1, 8, dtype=np.float32)[:, None])
    model(x)
    opt = optim.Adam(model.parameters(), lr=0.05)
    before = model.out.kernel.numpy().copy()
    for _ in range(5):
        opt.zero_grad()
        nn.losses.MeanSquaredError()(3 * x, model(x)).backward()
        opt.step()
    assert not np.array_equal(before, model.out.kernel.numpy())


def test_compile_builds_lazy_layers_before_binding_the_optimizer():
    nn.set_random_seed(0)
    model = nn.Sequential([nn.Dense(4), nn.Dense(1)])
    model.compile(loss="mse", optimizer=optim.Adam(0.1))
    model.fit(CELSIUS, FAHRENHEIT, epochs=2, verbose=0)
    assert len(model.optimizer.param_groups[0]["params"]) == 4
    assert all(model.optimizer.state.get(p) for p in model.parameters())


def test_layers_without_weights_do_not_hold_up_an_optimizer():
    nn.set_random_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Dropout(0.1), nn.Linear(4, 1))
    assert model.parameters().unbuilt_layers == []
    opt = optim.SGD(model.parameters(), lr=0.1)
    assert len(opt.param_groups[0]["params"]) == 4
