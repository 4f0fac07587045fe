"""The Keras-style training API: the course's program, fit's options, evaluate, predict."""

import numpy as np
import pytest

import autograd as ag
import nn
import optim

CELSIUS = [-40, -10, 0, 8, 15, 22, 38]
FAHRENHEIT = [-40, 14, 32, 46, 59, 72, 100]


def course_model(seed=0):
    nn.set_random_seed(seed)
    l0 = nn.Dense(units=1, input_shape=[1])
    model = nn.Sequential([l0])
    model.compile(loss="mean_squared_error", optimizer=optim.Adam(0.1))
    return model, l0


def adam_reference(w, b, steps, lr=0.1, betas=(0.9, 0.999), eps=1e-8):
    """The course's 500 full-batch steps, written out in numpy (PyTorch's Adam algorithm)."""
    x = np.array(CELSIUS, np.float64)
    y = np.array(FAHRENHEIT, np.float64)
    params = np.array([w, b], np.float64)
    m = np.zeros(2)
    v = np.zeros(2)
    for t in range(1, steps + 1):
        error = params[0] * x + params[1] - y
        g = np.array([np.mean(2 * error * x), np.mean(2 * error)])
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        m_hat = m / (1 - betas[0] ** t)
        v_hat = v / (1 - betas[1] ** t)
        params -= lr * m_hat / (np.sqrt(v_hat) + eps)
    return params


def test_the_course_program_as_written():
    model, l0 = course_model()
    w0, b0 = float(l0.kernel.numpy()[0, 0]), float(l0.bias.numpy()[0])
    history = model.fit(CELSIUS, FAHRENHEIT, epochs=500, verbose=False)
    assert len(history.history["loss"]) == 500
    w, b = float(l0.kernel.numpy()[0, 0]), float(l0.bias.numpy()[0])
    np.testing.assert_allclose([w, b], adam_reference(w0, b0, 500), atol=1e-4, rtol=1e-5)
    prediction = model.predict([100.0])
    assert prediction.shape == (1, 1)
    assert abs(prediction[0, 0] - 212) < 1.5


def test_longer_training_reaches_the_formula():
    model, l0 = course_model(seed=1)
    model.fit(np.array(CELSIUS, float), np.array(FAHRENHEIT, float), epochs=5000, verbose=0)
    assert abs(l0.kernel.numpy()[0, 0] - 1.8) < 0.01
    assert abs(l0.bias.numpy()[0] - 32) < 0.5


def test_same_seed_same_run_bitwise_with_dropout():
    def run():
        nn.set_random_seed(7)
        model = nn.Sequential([nn.Dense(8, activation="relu", input_shape=[3]),
                               nn.Dropout(0.5), nn.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        x = np.random.default_rng(0).normal(size=(40, 3)).astype(np.float32)
        history = model.fit(x, x.sum(axis=1), epochs=5, batch_size=8, verbose=0)
        return history.history["loss"], model.state_dict()

    (loss_a, weights_a), (loss_b, weights_b) = run(), run()
    assert loss_a == loss_b
    for name in weights_a:
        np.testing.assert_array_equal(weights_a[name], weights_b[name])


def test_validation_split_takes_the_last_examples():
    model, _ = course_model()
    seen = []
    model.fit(CELSIUS, FAHRENHEIT, epochs=1, validation_split=2 / 7, verbose=0,
              callbacks=[nn.LambdaCallback(
                  on_train_batch_begin=lambda batch, logs: seen.append(batch))])
    x_val = np.array([[22.0], [38.0]], np.float32)
    y_val = np.array([[72.0], [100.0]], np.float32)
    expected = float(np.mean((model.predict(x_val) - y_val) ** 2))
    assert model.history.history["val_loss"][0] == pytest.approx(expected, rel=1e-5)
    assert seen == [0]


def test_batch_size_larger_than_the_data_and_mismatched_lengths():
    model, _ = course_model()
    model.fit(CELSIUS, FAHRENHEIT, epochs=2, batch_size=1000, verbose=0)
    with pytest.raises(ValueError, match=r"len\(x\)=7, len\(y\)=6"):
        model.fit(CELSIUS, FAHRENHEIT[:-1], verbose=0)
    with pytest.raises(ValueError, match="empty"):
        model.fit([], [], verbose=0)


def test_fit_before_compile_raises():
    model = nn.Sequential([nn.Dense(1, input_shape=[1])])
    with pytest.raises(RuntimeError, match="compiled first"):
        model.fit(CELSIUS, FAHRENHEIT, verbose=0)


def test_evaluate_returns_the_loss_alone_or_with_metrics():
    model, _ = course_model()
    loss = model.evaluate(CELSIUS, FAHRENHEIT, verbose=0)
    assert isinstance(loss, float)
    model.compile(loss="mse", optimizer=optim.Adam(0.1), metrics=["mae"])
    loss_and_mae = model.evaluate(CELSIUS, FAHRENHEIT, verbose=0)
    assert isinstance(loss_and_mae, list) and len(loss_and_mae) == 2
    prediction = model.predict(CELSIUS)
    target = np.array(FAHRENHEIT, np.float32)[:, None]
    assert loss_and_mae[1] == pytest.approx(float(np.mean(np.abs(prediction - target))),
                                            rel=1e-5)


def test_train_and_test_on_batch():
    model, _ = course_model()
    before = model.test_on_batch(CELSIUS, FAHRENHEIT)
    model.train_on_batch(CELSIUS, FAHRENHEIT)
    assert model.test_on_batch(CELSIUS, FAHRENHEIT) < before


def test_a_subclassed_model_trains_with_fit():
    class Line(nn.Model):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter([[0.0]])
            self.b = nn.Parameter([0.0])

        def forward(self, x):
            return x @ self.w + self.b

    model = Line()
    model.compile(optimizer=optim.Adam(0.5), loss="mean_squared_error")
    model.fit(CELSIUS, FAHRENHEIT, epochs=2000, verbose=0)
    assert abs(model.w.numpy()[0, 0] - 1.8) < 0.05


def test_sequential_is_a_module_usable_in_a_pytorch_loop():
    nn.set_random_seed(0)
    model = nn.Sequential([nn.Dense(4, activation="tanh", input_shape=[2]), nn.Dense(1)])
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x = ag.tensor(np.random.default_rng(0).normal(size=(16, 2)))
    y = x.sum(axis=1, keepdims=True)
    losses = []
    for _ in range(50):
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] / 5
    assert [name for name, _ in model.named_parameters()] == [
        "0.kernel", "0.bias", "1.kernel", "1.bias"]


def test_summary_lists_layers_shapes_and_counts(capsys):
    model = nn.Sequential([nn.Dense(16, activation="relu", input_shape=[4]), nn.Dropout(0.2),
                           nn.Dense(3, activation="softmax")])
    model.summary()
    text = capsys.readouterr().out
    assert "(None, 16)" in text and "(None, 3)" in text
    assert "Total params: 131" in text  # 4*16 + 16 + 16*3 + 3


def test_verbose_modes(capsys):
    model, _ = course_model()
    model.fit(CELSIUS, FAHRENHEIT, epochs=2, verbose=2)
    assert capsys.readouterr().out.count("Epoch ") == 2
    model.fit(CELSIUS, FAHRENHEIT, epochs=1, verbose=1)
    assert "Epoch 1/1" in capsys.readouterr().err


def test_history_plot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    model, _ = course_model()
    model.compile(loss="mse", optimizer=optim.Adam(0.1), metrics=["mae"])
    history = model.fit(CELSIUS, FAHRENHEIT, epochs=3, validation_split=0.3, verbose=0)
    ax = history.plot()
    labels = [line.get_label() for axis in ax.figure.axes for line in axis.get_lines()]
    assert labels == ["loss", "val_loss", "mae", "val_mae"]
    assert [line.get_label() for line in ax.get_lines()] == ["loss", "val_loss"]
    plt.close("all")


def test_regularization_is_part_of_the_loss_and_not_reported_apart():
    # As in Keras: the logs have 'loss' (the penalty included) and no keys of their own.
    nn.set_random_seed(0)
    penalty = nn.regularizers.L2(0.1)
    model = nn.Sequential([nn.Dense(1, input_shape=[1], kernel_regularizer=penalty)])
    model.compile(loss="mse", optimizer=optim.SGD(model.parameters(), lr=0.0))
    logs = model.fit(CELSIUS, FAHRENHEIT, epochs=1, batch_size=len(CELSIUS), verbose=0).history
    assert sorted(logs) == ["loss"]
    data_loss = nn.losses.MeanSquaredError()(np.asarray(FAHRENHEIT, np.float32)[:, None],
                                             model.predict(CELSIUS, verbose=0))
    assert logs["loss"][0] == pytest.approx(float(data_loss.item())
                                            + float(model.regularization_loss().item()))


def test_the_course_program_matches_pytorch_adam_when_installed():
    torch = pytest.importorskip("torch")
    model, l0 = course_model()
    w = torch.tensor([[float(l0.kernel.numpy()[0, 0])]], requires_grad=True)
    b = torch.tensor([float(l0.bias.numpy()[0])], requires_grad=True)
    opt = torch.optim.Adam([w, b], lr=0.1)
    x = torch.tensor(CELSIUS, dtype=torch.float32)[:, None]
    y = torch.tensor(FAHRENHEIT, dtype=torch.float32)[:, None]
    for _ in range(500):
        opt.zero_grad()
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        opt.step()
    model.fit(CELSIUS, FAHRENHEIT, epochs=500, verbose=False, shuffle=False)
    np.testing.assert_allclose(l0.kernel.numpy(), w.detach().numpy(), atol=1e-4)
    np.testing.assert_allclose(l0.bias.numpy(), b.detach().numpy(), atol=1e-4)


def test_fit_pauses_the_collector_per_step_and_restores_the_users_setting():
    import gc

    seen = []
    model = nn.Sequential([nn.Dense(1, input_shape=[1])])
    model.compile(loss=lambda t, p: (seen.append(gc.isenabled()), ((p - t) ** 2).mean())[1],
                  optimizer="sgd")
    model.fit(CELSIUS, FAHRENHEIT, epochs=2, verbose=0)
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        model.fit(CELSIUS, FAHRENHEIT, epochs=1, verbose=0)
        assert not gc.isenabled()  # a program that keeps it off keeps it off
    finally:
        gc.enable()
    model.compile(loss=lambda t, p: 1 / 0, optimizer="sgd")
    with pytest.raises(ZeroDivisionError):
        model.fit(CELSIUS, FAHRENHEIT, epochs=1, verbose=0)
    assert gc.isenabled()
