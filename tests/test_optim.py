"""Optimizers: each option against a numpy transcription of PyTorch's documented algorithm.

The references below are written from the pseudo-code in PyTorch's documentation, one parameter
at a time, in float64. The optimizer and its reference take their gradients from the same
function, each at its own iterate: near a minimum, adaptive methods amplify one-ulp differences
between two ways of computing a gradient, which would hide what is compared here, the update
rules. The MLP's autograd gradients are checked against hand-derived ones separately.
"""

import io
import json

import numpy as np
import pytest

import autograd as ag
from autograd import Scalar
from optim import (
    ASGD,
    SGD,
    Adadelta,
    Adafactor,
    Adagrad,
    Adam,
    Adamax,
    AdamW,
    NAdam,
    RAdam,
    RMSprop,
    Rprop,
)

# --- references: one update of one parameter, state in a dict, t counts from 1 ---


def ref_sgd(theta, g, s, t, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False,
            maximize=False):
    if maximize:  # PyTorch's code negates the gradient first: the decay still shrinks theta
        g = -g
    if weight_decay != 0:
        g = g + weight_decay * theta
    if momentum != 0:
        s["b"] = momentum * s["b"] + (1 - dampening) * g if t > 1 else g
        g = g + momentum * s["b"] if nesterov else s["b"]
    return theta - lr * g


def ref_adam(theta, g, s, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
             amsgrad=False, maximize=False, decoupled=False):
    b1, b2 = betas
    if maximize:
        g = -g
    if decoupled:
        theta = theta - lr * weight_decay * theta
    elif weight_decay != 0:
        g = g + weight_decay * theta
    s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
    s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g**2
    m_hat = s["m"] / (1 - b1**t)
    if amsgrad:
        s["v_max"] = np.maximum(s.get("v_max", 0.0), s["v"])
        v_hat = s["v_max"] / (1 - b2**t)
    else:
        v_hat = s["v"] / (1 - b2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps)


def ref_adamw(theta, g, s, t, weight_decay=1e-2, **options):
    return ref_adam(theta, g, s, t, weight_decay=weight_decay, decoupled=True, **options)


def ref_rmsprop(theta, g, s, t, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                centered=False, maximize=False):
    if maximize:
        g = -g
    if weight_decay != 0:
        g = g + weight_decay * theta
    s["v"] = alpha * s.get("v", 0.0) + (1 - alpha) * g**2
    v_tilde = s["v"]
    if centered:
        s["g_ave"] = s.get("g_ave", 0.0) * alpha + (1 - alpha) * g
        v_tilde = v_tilde - s["g_ave"] ** 2
    if momentum > 0:
        s["b"] = momentum * s.get("b", 0.0) + g / (np.sqrt(v_tilde) + eps)
        return theta - lr * s["b"]
    return theta - lr * g / (np.sqrt(v_tilde) + eps)


def ref_adagrad(theta, g, s, t, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                eps=1e-10, maximize=False):
    if maximize:
        g = -g
    lr_t = lr / (1 + (t - 1) * lr_decay)
    if weight_decay != 0:
        g = g + weight_decay * theta
    s["sum"] = s.get("sum", initial_accumulator_value) + g**2
    return theta - lr_t * g / (np.sqrt(s["sum"]) + eps)


REFERENCES = {SGD: ref_sgd, Adam: ref_adam, AdamW: ref_adamw, RMSprop: ref_rmsprop,
              Adagrad: ref_adagrad}

CASES = [
    (SGD, dict(lr=0.05)),
    (SGD, dict(lr=0.05, momentum=0.9)),
    (SGD, dict(lr=0.05, momentum=0.9, dampening=0.3)),
    (SGD, dict(lr=0.05, momentum=0.9, nesterov=True)),
    (SGD, dict(lr=0.05, weight_decay=0.1)),
    (SGD, dict(lr=0.05, momentum=0.5, weight_decay=0.1, maximize=True)),
    (SGD, dict(lr=0.05, maximize=True)),
    (Adam, dict(lr=0.01)),
    (Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6)),
    (Adam, dict(lr=0.01, amsgrad=True)),
    (Adam, dict(lr=0.01, weight_decay=0.1)),
    (Adam, dict(lr=0.01, weight_decay=0.1, maximize=True)),
    (AdamW, dict(lr=0.01)),
    (AdamW, dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    (AdamW, dict(lr=0.01, weight_decay=0)),
    (AdamW, dict(lr=0.01, maximize=True)),
    (RMSprop, dict(lr=0.005)),
    (RMSprop, dict(lr=0.005, alpha=0.9, eps=1e-6)),
    (RMSprop, dict(lr=0.005, momentum=0.8)),
    (RMSprop, dict(lr=0.005, centered=True)),
    (RMSprop, dict(lr=0.002, centered=True, momentum=0.8, weight_decay=0.1)),
    (RMSprop, dict(lr=0.005, maximize=True)),
    (Adagrad, dict(lr=0.1)),
    (Adagrad, dict(lr=0.1, lr_decay=0.05)),
    (Adagrad, dict(lr=0.1, initial_accumulator_value=0.5, eps=1e-6)),
    (Adagrad, dict(lr=0.1, weight_decay=0.1)),
    (Adagrad, dict(lr=0.1, maximize=True)),
]


def case_id(case):
    cls, options = case
    return cls.__name__ + "-" + "-".join(f"{k}={v}" for k, v in options.items())


# --- problems: each sets the gradients of its loss on a list of parameters ---

_rng = np.random.default_rng(0)


class Quadratic:
    """0.5 x'Ax - b'x + 0.5 sum(D (Y - Y0)^2), over a vector and a matrix; gradient by hand."""

    A = (lambda m: m @ m.T + np.eye(4))(_rng.standard_normal((4, 4)))
    b, D, Y0 = _rng.standard_normal(4), np.array([[0.5, 2.0], [1.0, 3.0], [0.2, 1.5]]), \
        _rng.standard_normal((3, 2))
    init = [_rng.standard_normal(4), _rng.standard_normal((3, 2))]

    @classmethod
    def set_grads(cls, params, sign):
        x, y = (p.numpy() for p in params)
        params[0].grad = ag.tensor(sign * (cls.A @ x - cls.b))
        params[1].grad = ag.tensor(sign * (cls.D * (y - cls.Y0)))


class TinyMLP:
    """mean((tanh(X W1 + b1) W2 + b2 - T)^2), differentiated by the engine."""

    X, T = _rng.standard_normal((8, 3)), _rng.standard_normal((8, 2))
    init = [_rng.standard_normal((3, 5)) * 0.5, np.zeros(5), _rng.standard_normal((5, 2)) * 0.5,
            np.zeros(2)]

    @classmethod
    def loss(cls, w1, b1, w2, b2):
        h = (ag.tensor(cls.X, dtype=w1.dtype) @ w1 + b1).tanh()  # torch: matmul dtypes agree
        return ((h @ w2 + b2 - cls.T) ** 2).mean()

    @classmethod
    def set_grads(cls, params, sign):
        for p in params:
            p.grad = None
        (cls.loss(*params) * sign).backward()

    @classmethod
    def hand_grads(cls, w1, b1, w2, b2):
        h = np.tanh(cls.X @ w1 + b1)
        d_out = 2 * (h @ w2 + b2 - cls.T) / cls.T.size
        d_z = (d_out @ w2.T) * (1 - h**2)
        return [cls.X.T @ d_z, d_z.sum(0), h.T @ d_out, d_out.sum(0)]


def grads_at(problem, theta, sign):
    params = [ag.tensor(v.copy(), requires_grad=True) for v in theta]
    problem.set_grads(params, sign)
    return [p.grad.numpy() for p in params]


def run_side_by_side(cls, options, problem, steps):
    sign = -1.0 if options.get("maximize") else 1.0  # maximize climbs -f, which stays bounded
    params = [ag.tensor(v.copy(), requires_grad=True) for v in problem.init]
    opt = cls(params, **options)
    theta, states = [v.copy() for v in problem.init], [{} for _ in problem.init]
    for t in range(1, steps + 1):
        problem.set_grads(params, sign)
        # The same point has the same gradient: reusing it halves the time of these tests.
        same = all(np.array_equal(v, p.numpy()) for v, p in zip(theta, params))
        grads = [p.grad.numpy().copy() for p in params] if same else grads_at(problem, theta, sign)
        opt.step()
        theta = [REFERENCES[cls](v, g, s, t, **options) for v, g, s in zip(theta, grads, states)]
    return [p.numpy() for p in params], theta


def test_mlp_gradients_match_hand_derivation():
    rng = np.random.default_rng(5)
    for theta in (TinyMLP.init, [v + rng.standard_normal(v.shape) for v in TinyMLP.init]):
        for got, want in zip(grads_at(TinyMLP, theta, 1.0), TinyMLP.hand_grads(*theta)):
            assert np.abs(got - want).max() < 1e-12


@pytest.mark.parametrize("problem", [Quadratic, TinyMLP], ids=["quadratic", "mlp"])
@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_documented_algorithm(case, problem):
    cls, options = case
    got, want = run_side_by_side(cls, options, problem, steps=200)
    moved = max(np.abs(w - v).max() for w, v in zip(want, problem.init))
    assert moved > 1e-2, "the reference barely moved: the comparison would prove nothing"
    for g, w in zip(got, want):
        assert g.dtype == np.float64
        assert np.abs(g - w).max() < 1e-12, case_id(case)


# --- every optimizer descends, on contiguous and strided parameters ---

DESCENT = [(SGD, dict(lr=0.02)), (SGD, dict(lr=0.02, momentum=0.9, nesterov=True)),
           (Adam, dict(lr=0.05)), (AdamW, dict(lr=0.05)), (RMSprop, dict(lr=0.01)),
           (Adagrad, dict(lr=0.1))]


@pytest.mark.parametrize("strided", [False, True], ids=["contiguous", "strided"])
@pytest.mark.parametrize("case", DESCENT, ids=[case_id(c) for c in DESCENT])
def test_lowers_linear_residual(case, strided):
    cls, options = case
    rng = np.random.default_rng(1)
    storage = rng.standard_normal((4, 3))
    w = ag.tensor(np.zeros((3, 4)), requires_grad=True)
    w.data = storage.T if strided else storage.T.copy()  # W is (3, 4), stored transposed
    assert w.numpy().flags.c_contiguous is not strided
    b = ag.tensor(rng.standard_normal(3), requires_grad=True)
    x = ag.tensor(rng.standard_normal(4))
    array, version = w.numpy(), w._version
    opt = cls([w, b], **options)
    losses = []
    for _ in range(20):
        opt.zero_grad()
        loss = ((w @ x + b) ** 2).sum()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
    assert w.numpy() is array and w._version == version + 20  # in place, versions bumped
    if strided:
        assert np.shares_memory(w.numpy(), storage)


# --- saving and loading ---

SAVING = [(SGD, dict(lr=0.05, momentum=0.9, nesterov=True)), (Adam, dict(lr=0.01, amsgrad=True)),
          (AdamW, dict(lr=0.01, amsgrad=True)),
          (RMSprop, dict(lr=0.005, momentum=0.5, centered=True)),
          (Adagrad, dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)),
          # torch's other optimizers (their formulas are checked against torch in
          # tests/conformance/test_torch_optim.py); NAdam and ASGD keep numbers in their state
          (Adadelta, dict(rho=0.8)), (Adamax, dict(lr=0.01)), (NAdam, dict(lr=0.01)),
          (RAdam, dict(lr=0.01)), (ASGD, dict(lr=0.01, t0=2)), (Rprop, dict(lr=0.01)),
          (Adafactor, dict(lr=0.05))]  # a factored state: row_var and col_var


def through_files(state_dict):
    """What the training API does: arrays to an .npz without pickle, the rest to JSON."""
    arrays = {}

    def split(value):
        if isinstance(value, np.ndarray):
            arrays[f"a{len(arrays)}"] = value
            return {"__array__": f"a{len(arrays) - 1}"}
        if isinstance(value, dict):
            return {str(k): split(v) for k, v in value.items()}
        if isinstance(value, list):
            return [split(v) for v in value]
        assert isinstance(value, (bool, int, float, str)) or value is None, type(value)
        return value

    text = json.dumps(split(state_dict))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    buffer.seek(0)
    loaded = np.load(buffer, allow_pickle=False)

    def join(value):
        if isinstance(value, dict):
            if "__array__" in value:
                return loaded[value["__array__"]]
            return {k: join(v) for k, v in value.items()}
        if isinstance(value, list):
            return [join(v) for v in value]
        return value

    return join(json.loads(text))


@pytest.mark.parametrize("case", SAVING, ids=[case_id(c) for c in SAVING])
def test_state_dict_round_trip_continues_bitwise(case):
    cls, options = case
    params = [ag.tensor(v.astype(np.float32), requires_grad=True) for v in TinyMLP.init]
    opt = cls(params, **options)

    def train(opt, params, steps):
        for _ in range(steps):
            opt.zero_grad()
            TinyMLP.loss(*params).backward()
            opt.step()

    train(opt, params, 5)
    saved = through_files(opt.state_dict())
    twins = [ag.tensor(p.numpy().copy(), requires_grad=True) for p in params]
    fresh = cls(twins)  # default options: the saved ones must replace them
    fresh.load_state_dict(saved)
    assert fresh.param_groups[0].keys() == opt.param_groups[0].keys()
    for key, value in opt.param_groups[0].items():
        if key != "params":
            assert fresh.param_groups[0][key] == value
    for _ in range(10):
        train(opt, params, 1)
        train(fresh, twins, 1)
        for p, q in zip(params, twins):
            assert np.array_equal(p.numpy(), q.numpy())
    for p, q in zip(params, twins):
        for name, value in opt.state[p].items():
            assert np.array_equal(fresh.state[q][name], value)
            assert np.asarray(fresh.state[q][name]).dtype == np.asarray(value).dtype


def test_state_dict_is_a_snapshot_in_pytorch_layout():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0], requires_grad=True)
    opt = Adam([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad = ag.tensor([1.0, 1.0])
    opt.step()
    saved = opt.state_dict()
    assert [g["params"] for g in saved["param_groups"]] == [[0], [1]]
    assert saved["param_groups"][1]["lr"] == 0.5
    assert saved["param_groups"][0]["betas"] == [0.9, 0.999]
    assert list(saved["state"]) == [0] and saved["state"][0]["step"] == 1
    opt.step()
    assert saved["state"][0]["step"] == 1 and not np.array_equal(
        saved["state"][0]["exp_avg"], opt.state[a]["exp_avg"])


def test_load_state_dict_lists_every_mismatch_and_changes_nothing():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = SGD([a], lr=0.1, momentum=0.9)
    a.grad = ag.tensor([1.0, 1.0])
    opt.step()
    saved = opt.state_dict()
    other = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    target = SGD([other], lr=0.3)
    saved["param_groups"][0]["momentum"] = -1.0
    with pytest.raises(ValueError) as err:
        target.load_state_dict(saved)
    message = str(err.value)
    assert "shape (2,)" in message and "(3,)" in message and "momentum" in message
    assert target.state == {} and target.param_groups[0]["lr"] == 0.3
    with pytest.raises(ValueError, match="2 parameter groups"):
        target.load_state_dict({"state": {}, "param_groups": [{"params": [0]}] * 2})
    with pytest.raises(RuntimeError, match="bind"):
        SGD(0.1).load_state_dict(saved)


# --- hyper-parameter validation ---

INVALID = [
    (SGD, dict(lr=-0.1), "learning rate", "-0.1"),
    (SGD, dict(momentum=-0.5), "momentum", "-0.5"),
    (SGD, dict(dampening=-1.0), "dampening", "-1.0"),
    (SGD, dict(weight_decay=-1e-4), "weight_decay", "-0.0001"),
    (SGD, dict(nesterov=True), "nesterov", "momentum=0"),
    (SGD, dict(nesterov=True, momentum=0.9, dampening=0.1), "nesterov", "dampening=0.1"),
    (Adam, dict(lr=-1.0), "learning rate", "-1.0"),
    (Adam, dict(betas=(1.0, 0.999)), "beta", "1.0"),
    (Adam, dict(betas=(0.9, -0.1)), "beta", "-0.1"),
    (Adam, dict(betas=(0.9,)), "betas", "(0.9,)"),
    (Adam, dict(eps=-1e-8), "eps", "-1e-08"),
    (Adam, dict(weight_decay=-0.1), "weight_decay", "-0.1"),
    (AdamW, dict(betas=(0.9, 1.5)), "beta", "1.5"),
    (AdamW, dict(weight_decay=-0.01), "weight_decay", "-0.01"),
    (RMSprop, dict(lr=-0.01), "learning rate", "-0.01"),
    (RMSprop, dict(alpha=-0.1), "alpha", "-0.1"),
    (RMSprop, dict(eps=-1.0), "eps", "-1.0"),
    (RMSprop, dict(momentum=-0.9), "momentum", "-0.9"),
    (RMSprop, dict(weight_decay=-2.0), "weight_decay", "-2.0"),
    (Adagrad, dict(lr_decay=-0.1), "lr_decay", "-0.1"),
    (Adagrad, dict(initial_accumulator_value=-1.0), "initial_accumulator_value", "-1.0"),
    (Adagrad, dict(eps=-1e-10), "eps", "-1e-10"),
    (Adagrad, dict(weight_decay=-0.5), "weight_decay", "-0.5"),
    (Adadelta, dict(rho=1.5), "rho", "1.5"),
    (Adadelta, dict(eps=-1e-6), "eps", "-1e-06"),
    (Adamax, dict(betas=(0.9, 1.0)), "beta", "1.0"),
    (NAdam, dict(momentum_decay=-0.004), "momentum_decay", "-0.004"),
    (RAdam, dict(weight_decay=-0.1), "weight_decay", "-0.1"),
    (ASGD, dict(lr=-0.01), "learning rate", "-0.01"),
    (Rprop, dict(etas=(1.5, 1.2)), "eta", "1.5"),
    (Rprop, dict(step_sizes=(1e-6,)), "step_sizes", "1e-06"),
]


@pytest.mark.parametrize("cls, options, name, value", INVALID,
                         ids=[f"{c.__name__}-{n}-{v}" for c, _, n, v in INVALID])
@pytest.mark.parametrize("form", ["pytorch", "keras"])
def test_invalid_hyper_parameters_name_option_and_value(cls, options, name, value, form):
    w = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError) as err:
        cls([w], **options) if form == "pytorch" else cls(**options)
    assert name in str(err.value) and value in str(err.value)


def test_learning_rate_message_reads_like_pytorch():
    with pytest.raises(ValueError, match=r"^Invalid learning rate: -0\.1 \(lr must be >= 0\)$"):
        SGD([ag.tensor([1.0], requires_grad=True)], lr=-0.1)


def test_wrong_types_of_options_are_type_errors():
    w = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(TypeError, match="lr must be a real number"):
        Adam([w], lr="0.1")
    with pytest.raises(TypeError, match="nesterov must be True or False"):
        SGD([w], momentum=0.9, nesterov="yes")


def test_group_options_are_validated_too():
    a = ag.tensor([1.0], requires_grad=True)
    b = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="learning rate: -1"):
        SGD([{"params": [a]}, {"params": [b], "lr": -1}], lr=0.1)
    opt = Adam([a])
    with pytest.raises(ValueError, match="index 1: 2"):
        opt.add_param_group({"params": [b], "betas": (0.9, 2)})
    assert len(opt.param_groups) == 1


# --- parameters, groups and the two call forms ---


def test_pytorch_form_accepts_a_generator_and_groups_with_their_own_options():
    a = ag.tensor([1.0, 1.0], requires_grad=True)
    b = ag.tensor([1.0], requires_grad=True)
    opt = SGD((p for p in [a]), lr=0.1)
    opt.add_param_group({"params": b, "lr": 0.01})
    a.grad, b.grad = ag.tensor([1.0, 2.0]), ag.tensor([1.0])
    opt.step()
    np.testing.assert_allclose(a.numpy(), [0.9, 0.8], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [0.99], rtol=1e-6)
    assert opt.param_groups[1]["momentum"] == 0  # defaults fill the group's other options


def test_keras_form_binds_later():
    w = ag.tensor([1.0, -1.0], requires_grad=True)
    opt = Adam(0.1)
    assert opt.defaults["lr"] == 0.1 and opt.param_groups == []
    assert "no parameters bound" in repr(opt)
    w.grad = ag.tensor([1.0, 1.0])
    with pytest.raises(RuntimeError, match=r"bind\(params\)"):
        opt.step()
    assert opt.bind(p for p in [w]) is opt
    opt.step()
    np.testing.assert_allclose(w.numpy(), [0.9, -1.1], rtol=1e-5)
    assert opt.bind([w]) is opt and opt.state[w]["step"] == 1  # compile again: no change
    with pytest.raises(RuntimeError, match="already has parameters"):
        opt.bind([ag.tensor([0.0], requires_grad=True)])
    with pytest.raises(ValueError, match="given twice"):
        Adam(0.1, lr=0.2)
    assert SGD(0.5, momentum=0.9).defaults["lr"] == 0.5


@pytest.mark.parametrize("params, error, fragment", [
    ([], ValueError, "empty parameter list"),
    ((p for p in []), ValueError, "empty parameter list"),
    ("w", TypeError, "iterable of parameters"),
    ([1.0], TypeError, "item 0 of parameter group 0 is a float"),
    ([ag.tensor(np.array([1, 2]))], TypeError, "not floating point"),
    ([ag.tensor([1.0], requires_grad=True) * 2], ValueError, "not a leaf"),
    ([{"lr": 0.1}], ValueError, "no 'params' entry"),
    ([{"params": []}], ValueError, "empty parameter list"),
])
def test_bad_parameter_lists_are_refused(params, error, fragment):
    with pytest.raises(error, match=fragment):
        SGD(params, lr=0.1)


def test_a_parameter_given_twice_is_refused():
    w = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="given twice"):
        Adam([w, w])
    with pytest.raises(ValueError, match="parameter group 0 and item 0 of parameter group 1"):
        Adam([{"params": [w]}, {"params": [w]}])
    opt = Adam([w])
    with pytest.raises(ValueError, match="given twice"):
        opt.add_param_group({"params": [w]})
    with pytest.raises(TypeError, match="single Tensor"):
        Adam(w)


def test_zero_grad_step_skips_missing_gradients_and_closure():
    a = ag.tensor([1.0], requires_grad=True)
    b = ag.tensor([2.0], requires_grad=True)
    opt = Adam([a, b], lr=0.1)
    a.grad = ag.tensor([1.0])
    opt.step()
    assert b.numpy()[0] == 2.0 and b not in opt.state and opt.state[a]["step"] == 1
    opt.zero_grad(set_to_none=False)
    assert a.grad.numpy()[0] == 0.0 and b.grad is None
    opt.zero_grad()
    assert a.grad is None

    def closure():
        opt.zero_grad()
        loss = (a * a + b * b).sum()
        loss.backward()
        return loss

    with ag.no_grad():  # the closure records its graph all the same
        loss = opt.step(closure)
    assert loss.item() == pytest.approx(0.9**2 + 4.0, rel=1e-5)
    assert opt.state[b]["step"] == 1


def test_step_changes_data_in_place_and_graphs_notice():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    opt = SGD([w], lr=0.1)
    w.grad = ag.tensor([1.0, 1.0])
    opt.step()
    with pytest.raises(RuntimeError, match="modified in place"):
        y.backward()
    assert ag.is_grad_enabled() is not False  # step restored grad mode


# --- Scalar parameters ---

SCALAR_CASES = [(SGD, dict(lr=0.05, momentum=0.9, weight_decay=0.01)),
                (Adam, dict(lr=0.1, amsgrad=True)), (AdamW, dict(lr=0.1)),
                (RMSprop, dict(lr=0.05, centered=True, momentum=0.5)),
                (Adagrad, dict(lr=0.5, lr_decay=0.01))]


@pytest.mark.parametrize("case", SCALAR_CASES, ids=[case_id(c) for c in SCALAR_CASES])
def test_scalar_parameters_follow_the_same_rule(case):
    cls, options = case
    scalars = [Scalar(0.0), Scalar(0.5)]
    tensors = [ag.tensor(np.float64(v.data), requires_grad=True) for v in scalars]
    opt_s, opt_t = cls(scalars, **options), cls(tensors, **options)
    for _ in range(30):
        for opt, (a, b) in ((opt_s, scalars), (opt_t, tensors)):
            opt.zero_grad()
            ((a - 3.0) ** 2 + (b + 1.0) ** 2 + a * b).backward()
            opt.step()
    assert all(type(s.data) is float for s in scalars)
    assert [s.data for s in scalars] == [t.item() for t in tensors]
    assert scalars[0]._version == 30
    loss = (scalars[0] - 3.0) ** 2 + (scalars[1] + 1.0) ** 2 + scalars[0] * scalars[1]
    assert loss.data < 9.25  # the starting loss
    saved = through_files(opt_s.state_dict())
    twins = [Scalar(s.data) for s in scalars]
    fresh = cls(twins)
    fresh.load_state_dict(saved)
    for a, b in zip(scalars, twins):
        for name, value in opt_s.state[a].items():
            assert np.array_equal(fresh.state[b][name], value)
