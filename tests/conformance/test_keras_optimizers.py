"""``nn.optimizers`` against Keras 3 itself: signatures, and 100 steps on the same gradients."""

import zlib

import numpy as np
import pytest

import autograd as ag
import nn
from tests.conformance.borrowed import keras, signature_differences
from tests.conformance.keras_optimizers import CASES, ENTRIES, SCHEDULES

SHAPES = [(), (3,), (4, 3)]
STEPS = 100


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_keras(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


def _gradients(seed, steps=STEPS):
    """The same seeded sequence of float32 gradients for both sides, of varied magnitude."""
    rng = np.random.default_rng(seed)
    return [[(rng.normal(size=s) * rng.choice([0.1, 1.0, 3.0])).astype(np.float32)
             for s in SHAPES] for _ in range(steps)]


def _initial(seed):
    rng = np.random.default_rng(seed + 1000)
    return [rng.normal(size=s).astype(np.float32) for s in SHAPES]


def _run_ours(name, options, initial, gradients, lr_changes=None):
    params = [ag.tensor(w.copy(), requires_grad=True) for w in initial]
    opt = getattr(nn.optimizers, name)(**options).bind(params)
    for step, grads in enumerate(gradients):
        if lr_changes and step in lr_changes:
            opt.learning_rate = lr_changes[step]
        for p, g in zip(params, grads):
            p.grad = ag.tensor(g)
        opt.step()
    return [p.numpy() for p in params], opt


def _run_keras(name, options, initial, gradients, lr_changes=None):
    k = keras()
    variables = [k.Variable(w.copy()) for w in initial]
    opt = getattr(k.optimizers, name)(**options)
    for step, grads in enumerate(gradients):
        if lr_changes and step in lr_changes:
            opt.learning_rate = lr_changes[step]
        opt.apply_gradients(zip([k.ops.convert_to_tensor(g) for g in grads], variables))
    return [np.asarray(v.value) for v in variables], opt


_CASE_IDS = [(name, options) for name, cases in CASES.items() for options in cases]


@pytest.mark.parametrize("name,options", _CASE_IDS,
                         ids=[f"{n}-{'-'.join(f'{k}={v}' for k, v in o.items()) or 'defaults'}"
                              for n, o in _CASE_IDS])
def test_hundred_steps_match_keras(name, options):
    keras()
    seed = zlib.crc32(repr((name, sorted(options.items()))).encode())
    # Keras re-traces its accumulation branches at every eager step: fewer steps there.
    steps = 36 if options.get("gradient_accumulation_steps") else STEPS
    initial, gradients = _initial(seed), _gradients(seed, steps)
    ours, opt = _run_ours(name, options, initial, gradients)
    theirs, their_opt = _run_keras(name, options, initial, gradients)
    for shape, a, b in zip(SHAPES, ours, theirs):
        assert a.shape == shape and a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, err_msg=f"{name} {options}")
    # Keras counts updates: calls divided by gradient_accumulation_steps when it is set.
    their_iterations = int(keras().ops.convert_to_numpy(their_opt.iterations))
    assert opt.iterations == their_iterations
    assert opt.applied == steps and their_iterations == steps // (
        options.get("gradient_accumulation_steps") or 1)


@pytest.mark.parametrize("name", list(CASES))
def test_learning_rate_set_during_training_as_in_keras(name):
    keras()
    initial, gradients = _initial(7), _gradients(7)
    changes = {30: 0.05, 60: 0.002}
    ours, opt = _run_ours(name, {}, initial, gradients, changes)
    theirs, their_opt = _run_keras(name, {}, initial, gradients, changes)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert opt.learning_rate == pytest.approx(float(np.asarray(their_opt.learning_rate)))


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # Keras' own
@pytest.mark.parametrize("name", list(CASES))
def test_defaults_and_config_are_keras(name):
    k = keras()
    ours, theirs = getattr(nn.optimizers, name)(), getattr(k.optimizers, name)()
    mine, their_config = ours.get_config(), theirs.get_config()
    assert list(mine) == list(their_config)
    for key, value in their_config.items():
        if key == "name":
            continue
        if isinstance(value, float):
            assert mine[key] == pytest.approx(value, rel=1e-7), key
        else:
            assert mine[key] == value, key


@pytest.mark.parametrize("identifier", ["sgd", "adam", "adamw", "rmsprop", "adagrad",
                                        "adadelta", "adamax", "nadam", "Adam", "RMSprop",
                                        "ADAM", "SGD"])
def test_get_resolves_names_as_keras(identifier):
    k = keras()
    ours, theirs = nn.optimizers.get(identifier), k.optimizers.get(identifier)
    assert type(ours).__name__ == type(theirs).__name__
    assert ours.learning_rate == pytest.approx(float(np.asarray(theirs.learning_rate)), rel=1e-7)


def test_get_refuses_what_keras_refuses():
    k = keras()
    for identifier in ("nope", 3):
        with pytest.raises(ValueError):
            k.optimizers.get(identifier)
        with pytest.raises(ValueError, match="optimizer"):
            nn.optimizers.get(identifier)


@pytest.mark.parametrize("name", ["SGD", "Adam", "Nadam"])
def test_missing_gradients_and_callable_rates_as_in_keras(name):
    """A None gradient skips its variable for that step (the step still counts); a callable
    learning rate is called with no arguments at each step."""
    k = keras()
    initial, gradients = _initial(11), _gradients(11)
    rates = {"ours": iter(np.linspace(0.01, 0.05, STEPS)),
             "theirs": iter(np.linspace(0.01, 0.05, STEPS))}
    params = [ag.tensor(w.copy(), requires_grad=True) for w in initial]
    variables = [k.Variable(w.copy()) for w in initial]
    ours = getattr(nn.optimizers, name)(lambda: float(next(rates["ours"])))
    theirs = getattr(k.optimizers, name)(lambda: float(next(rates["theirs"])))
    for step, grads in enumerate(gradients):
        grads = [None if (step + i) % 3 == 0 else g for i, g in enumerate(grads)]
        ours.apply_gradients(zip(grads, params))
        with pytest.warns(UserWarning, match="Gradients do not exist"):
            theirs.apply_gradients(zip([None if g is None else k.ops.convert_to_tensor(g)
                                        for g in grads], variables))
    for p, v in zip(params, variables):
        np.testing.assert_allclose(p.numpy(), np.asarray(v.value), rtol=1e-5, atol=1e-6)
    assert ours.iterations == int(np.asarray(theirs.iterations.value)) == STEPS


def test_the_course_model_ends_where_keras_ends():
    """The Celsius model, Adam(0.1), 500 epochs of one batch each, from the same weights."""
    k = keras()
    celsius = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
    fahrenheit = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)
    nn.set_random_seed(0)
    ours = nn.Sequential([nn.layers.Dense(1, input_shape=[1])])
    ours.compile(loss="mean_squared_error", optimizer=nn.optimizers.Adam(0.1))
    theirs = k.Sequential([k.Input(shape=(1,)), k.layers.Dense(1)])
    theirs.compile(loss="mean_squared_error", optimizer=k.optimizers.Adam(0.1))
    theirs.set_weights(ours.get_weights())
    ours.fit(celsius, fahrenheit, epochs=500, batch_size=32, shuffle=False, verbose=0)
    theirs.fit(celsius, fahrenheit, epochs=500, batch_size=32, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-6)
    assert ours.optimizer.iterations == 500


@pytest.mark.parametrize("name,options", SCHEDULES,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(SCHEDULES)])
def test_schedules_give_keras_rates_and_drive_the_optimizer_as_keras(name, options):
    k = keras()
    ours = getattr(nn.optimizers.schedules, name)(**options)
    theirs = getattr(k.optimizers.schedules, name)(**options)
    for step in [0, 1, 5, 7, 10, 11, 29, 30, 31, 40, 41, 75]:
        mine, their = ours(step), k.ops.convert_to_numpy(theirs(step))
        assert np.asarray(mine).dtype == their.dtype, step
        np.testing.assert_allclose(mine, their, rtol=1e-6, err_msg=f"step {step}")
    assert ours.get_config() == theirs.get_config()
    initial, gradients = _initial(3), _gradients(3, 60)
    params = [ag.tensor(w.copy(), requires_grad=True) for w in initial]
    variables = [k.Variable(w.copy()) for w in initial]
    opt = nn.optimizers.SGD(ours, momentum=0.5).bind(params)
    their_opt = k.optimizers.SGD(theirs, momentum=0.5)
    for grads in gradients:
        for p, g in zip(params, grads):
            p.grad = ag.tensor(g)
        opt.step()
        their_opt.apply_gradients(zip([k.ops.convert_to_tensor(g) for g in grads], variables))
    for p, v in zip(params, variables):
        np.testing.assert_allclose(p.numpy(), np.asarray(v.value), rtol=1e-5, atol=1e-6)
    assert opt.learning_rate == pytest.approx(float(k.ops.convert_to_numpy(
        their_opt.learning_rate)), rel=1e-6)
