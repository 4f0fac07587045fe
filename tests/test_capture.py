"""``autograd.compile``: a replayed step gives the eager step's bits, on both faces and Scalars.

Each test trains two copies of the same program from the same seed, one eagerly and one through
the capture, and compares everything the step changes, bit for bit: losses, parameters, buffers
(BatchNorm's statistics), optimizer state. The traps (what is refused, what is recorded anew)
are in test_capture_traps.py.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
import optim
from autograd import Scalar
from nn.scalar_nets import MLP

STEPS = 20


def _state(model: nn.Module, opt: optim.Optimizer) -> dict[str, np.ndarray]:
    """Every array the step may change: parameters, buffers, the optimizer's state."""
    arrays = {f"model.{k}": np.array(v) for k, v in model.state_dict().items()}
    for i, state in enumerate(opt.state.values()):
        for k, v in state.items():
            arrays[f"opt.{i}.{k}"] = np.array(v.numpy() if isinstance(v, ag.Tensor) else v)
    return arrays


def _assert_same_bits(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert a[key].dtype == b[key].dtype and np.array_equal(a[key], b[key]), key


def _torch_program(seed: int = 0):
    """A PyTorch user's step: BatchNorm, Dropout, AdamW's weight decay, gradient clipping and
    a learning-rate schedule."""
    ag.manual_seed(seed)
    model = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.3),
                          nn.Linear(16, 3))
    opt = optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.1)
    schedule = optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)

    def train_step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optim.clip_grad_norm_(model.parameters(), 0.5)
        opt.step()
        schedule.step()
        return loss

    return model, opt, train_step


def _batches(steps: int = STEPS, seed: int = 1):
    rng = np.random.default_rng(seed)
    return [(ag.tensor(rng.normal(size=(32, 8)).astype(np.float32)),
             ag.tensor(rng.integers(0, 3, 32))) for _ in range(steps)]


def test_a_replayed_torch_step_gives_the_eager_bits_for_twenty_steps():
    batches = _batches()
    model, opt, step = _torch_program()
    eager = [step(x, y).item() for x, y in batches]
    model_c, opt_c, step_c = _torch_program()
    compiled = ag.compile(step_c)
    captured = [compiled(x, y).item() for x, y in batches]
    assert eager == captured
    _assert_same_bits(_state(model, opt), _state(model_c, opt_c))
    (entry,) = [e for entries in compiled._entries.values() for e in entries]
    assert entry.program is not None  # steps 3 to 20 were replays


def test_dropout_draws_new_masks_at_every_replay():
    ag.manual_seed(3)
    drop = nn.Dropout(0.5)
    step = ag.compile(lambda x: drop(x) * 1.0)
    masks = [step(ag.ones(64)).numpy() for _ in range(5)]
    ag.manual_seed(3)
    drop_eager = nn.Dropout(0.5)
    eager = [(drop_eager(ag.ones(64)) * 1.0).numpy() for _ in range(5)]
    for a, b in zip(masks, eager):
        np.testing.assert_array_equal(a, b)
    assert len({m.tobytes() for m in masks}) == 5


def test_a_parameter_given_new_data_outside_the_step_is_read_anew():
    w = ag.tensor([2.0], requires_grad=True)
    step = ag.compile(lambda x: (w * x).sum())
    for _ in range(3):
        step(ag.tensor([1.0]))
    w.data = ag.tensor([5.0])
    assert step(ag.tensor([1.0])).item() == 5.0


def test_results_are_new_tensors_at_every_call():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    step = ag.compile(lambda x: w * x)
    outs = [step(ag.tensor([float(i), 1.0])) for i in range(5)]
    assert [o.numpy()[0] for o in outs] == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_an_input_changed_in_place_is_changed_at_every_replay():
    def step(x):
        with ag.no_grad():
            x.mul_(2.0)
        return x.sum()

    compiled = ag.compile(step)
    inputs = [ag.tensor([float(i)]) for i in range(5)]
    results = [compiled(x).item() for x in inputs]
    assert results == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert [x.item() for x in inputs] == results


def test_hand_written_updates_under_no_grad_are_replayed():
    w = ag.tensor([[1.0, -1.0]], requires_grad=True)
    w_eager = ag.tensor([[1.0, -1.0]], requires_grad=True)

    def make(p):
        def step(x, lr):
            p.grad = None
            loss = ((x @ p.T) ** 2).mean()
            loss.backward()
            with ag.no_grad():
                p.data -= lr * p.grad.data
            return loss
        return step

    compiled, eager = ag.compile(make(w)), make(w_eager)
    lr = ag.tensor(0.1)
    x = ag.tensor([[0.5, 2.0], [1.0, 1.0]])
    for _ in range(6):
        assert compiled(x, lr).item() == eager(x, lr).item()
    np.testing.assert_array_equal(w.numpy(), w_eager.numpy())


def test_recorded_anew_for_new_shapes_and_replayed_for_each():
    w = ag.tensor([0.5], requires_grad=True)
    step = ag.compile(lambda x: (x * w).sum())
    for n in (2, 3, 2, 3, 2, 3):
        assert step(ag.ones(n)).item() == 0.5 * n
    programs = [e.program for entries in step._entries.values() for e in entries]
    assert len(programs) == 2 and all(p is not None for p in programs)


def test_eval_mode_is_recorded_anew_not_replayed_as_training():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    step = ag.compile(lambda x: model(x))
    x = ag.ones((2, 4))
    for _ in range(3):
        step(x)
    model.eval()
    with ag.no_grad():
        expected = model(x).numpy()
    for _ in range(3):
        np.testing.assert_array_equal(step(x).numpy(), expected)


def test_keras_fit_with_jit_compile_gives_the_eager_bits():
    celsius = np.array([-40, -10, 0, 8, 15, 22, 38], np.float32)[:, None]
    fahrenheit = np.array([-40, 14, 32, 46, 59, 72, 100], np.float32)[:, None]

    def train(jit_compile):
        nn.set_random_seed(0)
        model = nn.Sequential([nn.layers.Dense(units=1, input_shape=[1])])
        model.compile(loss="mean_squared_error", optimizer=nn.optimizers.Adam(0.1),
                      jit_compile=jit_compile)
        history = model.fit(celsius, fahrenheit, epochs=30, verbose=False)
        return (model, history.history["loss"], model.predict(np.array([[100.0]]), verbose=0),
                model.evaluate(celsius, fahrenheit, verbose=0))

    eager, captured = train(False), train(True)
    assert eager[1] == captured[1]
    np.testing.assert_array_equal(eager[2], captured[2])
    assert eager[3] == captured[3]
    assert set(captured[0]._jit_steps) == {"train", "test", "predict"}


def test_keras_fit_with_dropout_batchnorm_and_metrics_gives_the_eager_bits():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 6)).astype(np.float32)
    y = rng.integers(0, 3, 50)

    def train(jit_compile):
        nn.set_random_seed(1)
        model = nn.Sequential([nn.layers.Dense(8, activation="relu", input_shape=[6]),
                               nn.layers.BatchNormalization(), nn.layers.Dropout(0.25),
                               nn.layers.Dense(3)])
        model.compile(optimizer="adam", jit_compile=jit_compile, metrics=["accuracy"],
                      loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True))
        history = model.fit(x, y, batch_size=16, epochs=4, verbose=False)
        return model, history.history

    (m1, h1), (m2, h2) = train(False), train(True)
    assert h1 == h2
    for a, b in zip(m1.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_keras_jit_compile_follows_keras_settings():
    model = nn.Sequential([nn.layers.Dense(1, input_shape=[1])])
    model.compile(loss="mse")
    assert model.jit_compile is True  # Keras' "auto"
    model.compile(loss="mse", jit_compile=True, run_eagerly=True)
    assert model.jit_compile is False
    with pytest.raises(ValueError, match="jit_compile"):
        model.compile(loss="mse", jit_compile="yes")


def _scalar_program():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 2))
    y = np.sign(rng.normal(size=12))
    model = MLP(2, [4, 4, 1], rng=0)
    params = model.parameters()
    rows = [[float(v) for v in row] for row in x]

    def step():
        scores = [model(row) for row in rows]
        losses = [(1 - float(yi) * si).relu() for yi, si in zip(y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in params)
        model.zero_grad()
        loss.backward()
        return loss

    return params, step


def test_a_captured_scalar_step_matches_the_eager_step_to_1e12():
    params, step = _scalar_program()
    params_c, step_c = _scalar_program()
    compiled = ag.compile(step_c)
    for k in range(6):
        loss, loss_c = step(), compiled()
        assert isinstance(loss_c, Scalar)
        np.testing.assert_allclose(loss_c.data, loss.data, rtol=1e-12)
        grads = np.array([p.grad for p in params])
        # relative to the gradient's scale: a component summed to nearly 0 has no digits left
        np.testing.assert_allclose([q.grad for q in params_c], grads, rtol=1e-12,
                                   atol=1e-12 * np.abs(grads).max())
        for p, q in zip(params, params_c):
            p.data -= 0.1 * p.grad
            q.data -= 0.1 * q.grad


def test_compile_follows_torch_compile_arguments():
    def f(x):
        return x * 2

    assert ag.compile(f, disable=True) is f
    assert ag.compile(f, backend="eager") is f
    assert ag.compile()(f)(ag.tensor(1.0)).item() == 2.0
    with pytest.raises(RuntimeError, match="Unrecognized mode"):
        ag.compile(f, mode="fastest")
    with pytest.raises(NotImplementedError, match="dynamic"):
        ag.compile(f, dynamic=True)
    assert not ag.compiler.is_compiling()
    seen = []
    step = ag.compile(lambda x: seen.append(ag.compiler.is_compiling()) or x * 2)
    step(ag.tensor(1.0))
    assert seen == [True]


# A line of the generated source: names, slot numbers, calls and keywords, nothing else (no
# literal data: values reach the program through its namespace).
_SAFE_LINE = re.compile(r"^( {4})?[A-Za-z0-9_\[\]\.,\(\)\{\}=+ '\-:]*$")


def test_generated_source_holds_no_data():
    model, opt, step = _torch_program()
    compiled = ag.compile(step)
    for x, y in _batches(3):
        compiled(x, y)
    w = ag.tensor([[1.0, -1.0]], requires_grad=True)

    def update(x, lr):
        loss = ((x @ w.T) ** 2).mean()
        loss.backward()
        with ag.no_grad():
            w.data -= lr * w.grad.data
            w.grad.zero_()
        return loss, x > 0

    other = ag.compile(update)
    for _ in range(3):
        other(ag.tensor([[0.5, 2.0]]), ag.tensor(0.1))
    sources = [p.source for p in (*compiled.programs, *other.programs)]
    assert len(sources) == 2
    for source in sources:
        for line in source.splitlines():
            assert _SAFE_LINE.match(line), line


class _ReadsValues(nn.layers.Layer):
    """A Keras layer whose call reads its input's values into Python: not capturable."""

    def call(self, x):
        scale = 2.0 if float(x.numpy().mean()) > 0 else 1.0
        return x * scale


def test_keras_auto_runs_a_model_that_cannot_be_captured_eagerly_with_the_eager_bits():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(40, 3)).astype(np.float32)
    y = rng.normal(size=(40, 1)).astype(np.float32)

    def train(jit_compile):
        nn.set_random_seed(3)
        model = nn.Sequential([nn.layers.Dense(4, input_shape=[3]),
                               nn.layers.BatchNormalization(), _ReadsValues(),
                               nn.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse", jit_compile=jit_compile)
        history = model.fit(x, y, batch_size=8, epochs=3, verbose=False)
        return model, history.history["loss"]

    (eager, eager_losses), (auto, auto_losses) = train(False), train("auto")
    assert eager_losses == auto_losses
    for a, b in zip(eager.get_weights(), auto.get_weights()):  # moving statistics included
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ag.CaptureError, match="numpy"):
        train(True)


def test_results_of_every_kind_come_back_new_at_each_replay():
    from collections import namedtuple

    Pair = namedtuple("Pair", "loss zeros")
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    step = ag.compile(lambda x: (Pair((w * x).sum(), ag.zeros(2)), {"w": w}, [x, 3]))
    for _ in range(4):
        pair, named, listed = step(ag.ones(2))
        pair.zeros.add_(1.0)  # a returned constant is the caller's: the program's stays 0
        assert pair.loss.item() == 3.0 and pair.zeros.tolist() == [1.0, 1.0]
        assert named["w"] is w and listed[1] == 3


def test_factories_inside_the_step_are_constants_or_drawn_anew():
    def step(x):
        return x * ag.arange(3) + ag.tensor([1.0, 1.0, 1.0]) + ag.randn(3)

    ag.manual_seed(4)
    compiled = ag.compile(step)
    got = [compiled(ag.ones(3)).tolist() for _ in range(5)]
    ag.manual_seed(4)
    expected = [step(ag.ones(3)).tolist() for _ in range(5)]
    assert got == expected and len({tuple(g) for g in got}) == 5


def _minibatch_program(seed: int):
    """micrograd's demo as its README trains it: each step makes Scalars of a random batch
    (``list(map(Value, xrow))``) inside the step; the update follows the call."""
    x, y = np.random.default_rng(1).normal(size=(40, 2)), np.sign(np.arange(40) % 2 - 0.5)
    model = MLP(2, [4, 4, 1], rng=0)
    params = model.parameters()
    rng = np.random.default_rng(seed)

    def step():
        batch = rng.permutation(len(x))[:8]
        inputs = [list(map(Scalar, row)) for row in x[batch]]
        scores = [model(row) for row in inputs]
        losses = [(1 + -yi * si).relu() for yi, si in zip(y[batch], scores)]
        loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in params)
        model.zero_grad()
        loss.backward()
        return loss

    return params, step


def test_a_scalar_step_on_a_new_minibatch_at_each_call_trains_as_eagerly():
    params, step = _minibatch_program(seed=3)
    params_c, step_c = _minibatch_program(seed=3)
    compiled = ag.compile(step_c)
    with pytest.warns(RuntimeWarning, match="replayed only while its data stays the same"):
        for _ in range(8):
            loss, loss_c = step(), compiled()
            assert loss_c.data == loss.data  # each call runs on its own batch, eagerly
            assert [q.grad for q in params_c] == [p.grad for p in params]
            for p, q in zip(params, params_c):
                p.data -= 0.05 * p.grad
                q.data -= 0.05 * q.grad
    assert compiled.programs == []  # never replayed: a replay would keep one batch


def test_scalars_made_in_the_step_from_numbers_are_seen_at_every_call():
    w, data, i = Scalar(2.0), [1.0, 2.0, 3.0, 4.0, 5.0], [0]

    def step():
        x = Scalar(data[i[0]])
        loss = (w * x) * (w * x)
        w.grad = 0
        loss.backward()
        return loss

    compiled = ag.compile(step)
    results = []
    with pytest.warns(RuntimeWarning, match="constant Scalars changed between calls"):
        for k in range(5):
            i[0] = k
            results.append((compiled().data, w.grad))
    assert results == [(4.0, 4.0), (16.0, 16.0), (36.0, 36.0), (64.0, 64.0), (100.0, 100.0)]
    i[0] = 0
    same = ag.compile(step)  # the same data at every call: replayed
    assert [same().data for _ in range(4)] == [4.0] * 4 and len(same.programs) == 1


def _readme_step(a: Scalar, b: Scalar):
    """micrograd's README expression: pow, division by and of a number, relu, in one step."""
    def step():
        c = a + b
        d = a * b + b**3
        c += c + 1
        c += 1 + c + (-a)
        d += d * 2 + (b + a).relu()
        d += 3 * d + (b - a).relu()
        e = c - d
        f = e**2
        g = f / 2.0
        g += 10.0 / f
        a.grad = 0.0
        b.grad = 0.0
        g.backward()
        return g

    return step


def test_micrograd_readme_expression_replays_with_pow_and_division():
    a, b = Scalar(-4.0), Scalar(2.0)
    compiled = ag.compile(_readme_step(a, b))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(5):
            g = compiled()
            assert (f"{g.data:.4f}", f"{a.grad:.4f}", f"{b.grad:.4f}") == (
                "24.7041", "138.8338", "645.5773")
    assert len(compiled.programs) == 1  # calls 3 to 5 were replays
    a_e, b_e = Scalar(-4.0), Scalar(2.0)
    g_e = _readme_step(a_e, b_e)()
    np.testing.assert_allclose([g.data, a.grad, b.grad], [g_e.data, a_e.grad, b_e.grad],
                               rtol=1e-12)


@pytest.mark.parametrize("expression", [
    lambda w, x: (w * x) ** 2,
    lambda w, x: 1 / (w * x),
    lambda w, x: (w * x).log(),
    lambda w, x: 2 ** (w * x),
    lambda w, x: (w * x) ** 0.5,
    lambda w, x: (w * x) ** 0 + w ** Scalar(0.0) + Scalar(0.0) ** w + (-w) ** 2,
])
def test_scalar_steps_with_pow_division_and_log_replay_as_eagerly(expression):
    def program():
        w, x = Scalar(1.5), Scalar(0.5, requires_grad=False)

        def step():
            loss = expression(w, x)
            w.grad = 0.0
            loss.backward()
            return loss

        return w, step

    w, step = program()
    w_c, step_c = program()
    compiled = ag.compile(step_c)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(5):
            loss, loss_c = step(), compiled()
            np.testing.assert_allclose([loss_c.data, w_c.grad], [loss.data, w.grad], rtol=1e-12)
            w.data += 0.25
            w_c.data += 0.25
    assert len(compiled.programs) == 1


def test_scalars_made_before_the_step_are_read_at_every_replay():
    w, v, x = Scalar(2.0), Scalar(1.0), Scalar(1.0, requires_grad=False)

    def step():
        loss = (w * x) * (w * x) + v * w
        w.grad = v.grad = 0.0
        loss.backward()
        return loss

    compiled = ag.compile(step)
    results = []
    for k in range(1, 6):
        x.data = float(k)  # data held by a Scalar made outside the step: read anew
        results.append((compiled().data, w.grad, v.grad, x.grad))
    assert len(compiled.programs) == 1
    assert results == [(4 * k * k + 2.0, 4.0 * k * k + 1.0, 2.0, None) for k in range(1, 6)]
    v.requires_grad = False  # another backward: recorded anew, not replayed as before
    loss = compiled()
    assert (loss.data, w.grad, v.grad) == (102.0, 101.0, 0.0)
    assert sum(len(entries) for entries in compiled._entries.values()) == 2
