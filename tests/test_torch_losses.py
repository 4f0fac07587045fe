"""PyTorch-named losses against numpy versions of PyTorch's formulas, torch itself, gradcheck,
the module forms, and their errors."""

import warnings

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from nn import functional as F
from nn import losses

SHAPES = [(5,), (4, 3), (2, 3, 4)]
REDUCTIONS = ["mean", "sum", "none"]


# --- PyTorch's definitions, written directly in numpy (float64) ---

def _reduce(values, reduction, count=None):
    if reduction == "none":
        return values
    if reduction == "sum":
        return values.sum()
    if reduction == "batchmean":
        return values.sum() / values.shape[0]
    return values.sum() / (values.size if count is None else count)


def ref_elementwise(name, x, t, reduction, weight=None, delta=1.0, beta=1.0, pos_weight=None,
                    log_target=False):
    d = np.abs(x - t)
    count = None
    if name == "mse_loss":
        values, count = (x - t) ** 2, None if weight is None else weight.sum()
    elif name == "l1_loss":
        values, count = d, None if weight is None else weight.sum()
    elif name == "huber_loss":
        values = np.where(d < delta, 0.5 * d**2, delta * (d - 0.5 * delta))
    elif name == "smooth_l1_loss":
        values = d if beta == 0 else np.where(d < beta, 0.5 * d**2 / beta, d - 0.5 * beta)
    elif name == "binary_cross_entropy":
        values = -(t * np.maximum(np.log(x), -100) + (1 - t) * np.maximum(np.log(1 - x), -100))
    elif name == "binary_cross_entropy_with_logits":
        c = 1.0 if pos_weight is None else pos_weight  # -c t log s(x) - (1 - t) log(1 - s(x))
        values = c * t * np.logaddexp(0, -x) + (1 - t) * np.logaddexp(0, x)
    elif name == "kl_div":
        if log_target:
            values = np.exp(t) * (t - x)
        else:
            values = np.where(t > 0, t * np.log(np.where(t > 0, t, 1.0)), 0.0) - t * x
    else:
        raise AssertionError(name)
    if weight is not None:
        values = values * weight
    return _reduce(values, reduction, count)


def _log_softmax(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def ref_class(name, x, target, reduction, weight=None, ignore_index=-100, label_smoothing=0.0):
    """cross_entropy (logits) or nll_loss (log-probabilities), classes on axis 1 (0 if 1-D)."""
    axis = 1 if x.ndim > 1 else 0
    classes = x.shape[axis]
    w = np.ones(classes) if weight is None else weight
    log_p = _log_softmax(x, axis) if name == "cross_entropy" else x
    log_p = np.moveaxis(log_p, axis, -1)  # classes last
    if np.shape(target) == x.shape:  # class probabilities
        p = (1 - label_smoothing) * np.moveaxis(target, axis, -1) + label_smoothing / classes
        return _reduce(-(p * w * log_p).sum(-1), reduction)
    counted = target != ignore_index
    y = np.where(counted, target, 0)
    w_y = np.where(counted, w[y], 0.0)
    nll = -w_y * np.take_along_axis(log_p, y[..., None], -1)[..., 0]
    smooth = -(w * log_p).sum(-1) * counted
    values = (1 - label_smoothing) * nll + label_smoothing / classes * smooth
    return _reduce(values, reduction, w_y.sum())


# --- cases: data inside each loss's domain, away from kinks ---

ELEMENTWISE = [
    ("mse_loss", {}), ("mse_loss", {"weight": "full"}), ("l1_loss", {}),
    ("l1_loss", {"weight": "full"}), ("huber_loss", {}), ("huber_loss", {"delta": 0.5}),
    ("huber_loss", {"weight": "full"}), ("smooth_l1_loss", {}), ("smooth_l1_loss", {"beta": 0.5}),
    ("smooth_l1_loss", {"beta": 0.0}), ("binary_cross_entropy", {}),
    ("binary_cross_entropy", {"weight": "last"}), ("binary_cross_entropy_with_logits", {}),
    ("binary_cross_entropy_with_logits", {"pos_weight": "last", "weight": "full"}),
    ("kl_div", {}), ("kl_div", {"log_target": True}),
]
ELEMENTWISE_IDS = [name + "".join(f"-{k}" for k in options) + "".join(
    f"={v}" for v in options.values() if not isinstance(v, str)) for name, options in ELEMENTWISE]


def elementwise_data(name, options, shape, seed=0):
    rng = np.random.default_rng(seed)
    options = dict(options)
    for key, value in options.items():
        if value == "full":
            options[key] = rng.uniform(0.5, 2.0, size=shape)
        elif value == "last":
            options[key] = rng.uniform(0.5, 2.0, size=shape[-1:])
    if name == "binary_cross_entropy":
        return rng.uniform(0.05, 0.95, shape), rng.uniform(0, 1, shape), options
    if name == "binary_cross_entropy_with_logits":
        return rng.normal(0, 3, shape), rng.uniform(0, 1, shape), options
    if name == "kl_div":
        probs = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])
        x = np.log(rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]))
        if options.get("log_target"):
            return x, np.log(probs), options
        probs.flat[0] = 0.0  # 0 log 0 counts as 0
        return x, probs, options
    # |x - t| in [0.1, 0.4] or [1.6, 2.5]: away from 0 and from delta / beta (0.5 or 1)
    size = np.where(rng.random(shape) < 0.5, rng.uniform(0.1, 0.4, shape),
                    rng.uniform(1.6, 2.5, shape))
    t = rng.normal(size=shape)
    return t + rng.choice([-1.0, 1.0], size=shape) * size, t, options


CLASS_CASES = [
    ("cross_entropy", {}), ("cross_entropy", {"weight": True}),
    ("cross_entropy", {"ignore_index": 1}), ("cross_entropy", {"label_smoothing": 0.2}),
    ("cross_entropy", {"weight": True, "ignore_index": 2, "label_smoothing": 0.3}),
    ("cross_entropy", {"probabilities": True}),
    ("cross_entropy", {"probabilities": True, "weight": True, "label_smoothing": 0.1}),
    ("nll_loss", {}), ("nll_loss", {"weight": True, "ignore_index": 0}),
]
CLASS_IDS = [name + "".join(f"-{k}" for k in options) for name, options in CLASS_CASES]
CLASS_SHAPES = [(4,), (6, 4), (3, 4, 5), (2, 4, 2, 3)]


def class_data(name, options, shape, seed=0):
    """Input, target and keyword arguments; classes are on axis 1 (axis 0 for a 1-D input)."""
    rng = np.random.default_rng(seed)
    axis = 1 if len(shape) > 1 else 0
    classes = shape[axis]
    kwargs = {k: v for k, v in options.items() if k != "probabilities"}
    if options.get("weight"):
        kwargs["weight"] = rng.uniform(0.5, 2.0, classes)
    x = rng.normal(0, 2, shape)
    if name == "nll_loss":
        x = _log_softmax(x, axis)
    if options.get("probabilities"):
        target = np.moveaxis(rng.dirichlet(np.ones(classes), size=shape[:axis] + shape[axis + 1:]),
                             -1, axis)
    else:
        target = np.asarray(rng.integers(0, classes, size=shape[:axis] + shape[axis + 1:]))
        if "ignore_index" in options:  # some samples ignored, never all
            target.flat[0] = (options["ignore_index"] + 1) % classes
            target.flat[-1] = options["ignore_index"] if target.size > 1 else target.flat[0]
    return x, target, kwargs


def _reference(name, x, t, reduction, kwargs):
    if name in ("cross_entropy", "nll_loss"):
        return ref_class(name, x, t, reduction, **kwargs)
    return ref_elementwise(name, x, t, reduction, **kwargs)


# --- forward against the formulas, gradients against central differences ---

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name, options", ELEMENTWISE, ids=ELEMENTWISE_IDS)
def test_elementwise_losses_match_the_formula_and_gradcheck(name, options, shape, reduction):
    x, t, kwargs = elementwise_data(name, options, shape)
    fn = getattr(F, name)
    out = fn(ag.tensor(x), t, reduction=reduction, **kwargs)
    expected = _reference(name, x, t, reduction, kwargs)
    assert out.shape == np.shape(expected) and out.dtype == np.float64
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-14)
    a = ag.tensor(x, requires_grad=True)
    assert ag.gradcheck(lambda a: fn(a, t, reduction=reduction, **kwargs), (a,))


@pytest.mark.parametrize("reduction", ["batchmean", "mean"])
def test_kl_div_batchmean_divides_by_the_batch_size_only(reduction):
    x, t, _ = elementwise_data("kl_div", {}, (4, 3))
    out = F.kl_div(ag.tensor(x), t, reduction=reduction)
    np.testing.assert_allclose(out.item(), ref_elementwise("kl_div", x, t, reduction))
    a = ag.tensor(x, requires_grad=True)
    assert ag.gradcheck(lambda a: F.kl_div(a, t, reduction=reduction), (a,))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CLASS_SHAPES, ids=str)
@pytest.mark.parametrize("name, options", CLASS_CASES, ids=CLASS_IDS)
def test_class_losses_match_the_formula_and_gradcheck(name, options, shape, reduction):
    x, t, kwargs = class_data(name, options, shape)
    fn = getattr(F, name)
    out = fn(ag.tensor(x), t, reduction=reduction, **kwargs)
    expected = ref_class(name, x, t, reduction, **kwargs)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-14)
    a = ag.tensor(x, requires_grad=True)
    assert ag.gradcheck(lambda a: fn(a, t, reduction=reduction, **kwargs), (a,))


def test_nll_of_log_softmax_is_cross_entropy():
    x, t, _ = class_data("cross_entropy", {}, (3, 4, 5))
    a = ag.tensor(x)
    np.testing.assert_allclose(F.nll_loss(ag.log_softmax(a, axis=1), t).item(),
                               F.cross_entropy(a, t).item(), rtol=1e-13)


# --- against torch itself: forward and gradient ---

def _torch_case(torch, name, x, t, kwargs):
    """torch's function, its inputs and keyword arguments, from the same numpy data."""
    tf = torch.nn.functional
    xt = torch.tensor(x, requires_grad=True)
    if name in ("cross_entropy", "nll_loss"):
        tt = torch.tensor(t) if np.shape(t) == x.shape else torch.tensor(t, dtype=torch.int64)
    else:
        tt = torch.tensor(t)
    tk = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    return getattr(tf, name), xt, tt, tk


def _compare_with_torch(name, x, t, kwargs, reduction):
    torch = pytest.importorskip("torch")
    fn, xt, tt, tk = _torch_case(torch, name, x, t, kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's kl_div warns about what 'mean' means
        expected = fn(xt, tt, reduction=reduction, **tk)
    a = ag.tensor(x, requires_grad=True)
    out = getattr(F, name)(a, t, reduction=reduction, **kwargs)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-10, atol=1e-13)
    upstream = np.random.default_rng(1).normal(size=out.shape)
    out.backward(ag.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(a.grad.numpy(), xt.grad.numpy(), rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name, options", ELEMENTWISE, ids=ELEMENTWISE_IDS)
def test_elementwise_losses_match_torch(name, options, reduction):
    x, t, kwargs = elementwise_data(name, options, (3, 4, 2), seed=3)
    _compare_with_torch(name, x, t, kwargs, reduction)


def test_kl_div_batchmean_matches_torch():
    x, t, _ = elementwise_data("kl_div", {}, (3, 4, 2), seed=3)
    _compare_with_torch("kl_div", x, t, {}, "batchmean")


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CLASS_SHAPES, ids=str)
@pytest.mark.parametrize("name, options", CLASS_CASES, ids=CLASS_IDS)
def test_class_losses_match_torch(name, options, shape, reduction):
    x, t, kwargs = class_data(name, options, shape, seed=5)
    _compare_with_torch(name, x, t, kwargs, reduction)


# --- the bug this module fixes, and what stays as it was ---

def test_functional_mse_loss_is_elementwise_and_keras_mse_stays_per_sample():
    rng = np.random.default_rng(0)
    p, t = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    none = F.mse_loss(ag.tensor(p), t, reduction="none")
    assert none.shape == (4, 3)
    np.testing.assert_allclose(none.numpy(), (p - t) ** 2)
    np.testing.assert_allclose(F.mse_loss(ag.tensor(p), t, reduction="sum").item(),
                               ((p - t) ** 2).sum())
    assert losses.mean_squared_error(t, ag.tensor(p)).shape == (4,)
    assert not hasattr(F, "mean_squared_error")  # Keras' name, in nn.losses only
    assert not hasattr(losses, "mse_loss") and not hasattr(losses, "l1_loss")


def test_numbers_are_computed_in_the_input_dtype_and_targets_may_be_lists_or_arrays():
    x = ag.tensor([[0.2, 0.7]])  # float32
    for fn in (F.mse_loss, F.l1_loss, F.huber_loss, F.smooth_l1_loss, F.binary_cross_entropy,
               F.binary_cross_entropy_with_logits, F.kl_div):
        for target in ([[0.0, 1.0]], np.array([[0.0, 1.0]])):
            assert fn(x, target, reduction="none").dtype == np.float32
    # a float64 tensor target is torch's: promoted (see the test below), so not here
    assert F.cross_entropy(x, [1]).dtype == np.float32
    with pytest.raises(TypeError, match="int64"):  # as in PyTorch: class indices are long
        F.cross_entropy(x, ag.tensor([1.0]))


def test_gradients_reach_a_target_that_requires_grad():
    x, t, _ = elementwise_data("mse_loss", {}, (3, 2))
    for name in ("mse_loss", "l1_loss", "huber_loss", "binary_cross_entropy_with_logits"):
        pair = (ag.tensor(x, requires_grad=True), ag.tensor(t, requires_grad=True))
        assert ag.gradcheck(lambda a, b: getattr(F, name)(a, b, reduction="sum"), pair)
    p = np.random.default_rng(0).dirichlet(np.ones(2), size=3)
    pair = (ag.tensor(x, requires_grad=True), ag.tensor(p, requires_grad=True))
    assert ag.gradcheck(lambda a, b: F.cross_entropy(a, b, label_smoothing=0.1), pair)


def test_extreme_values_stay_finite_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bce = F.binary_cross_entropy(ag.tensor([0.0, 1.0, 0.0, 1.0], dtype=np.float64),
                                     [1.0, 0.0, 0.0, 1.0], reduction="none")
        np.testing.assert_array_equal(bce.numpy(), [100.0, 100.0, 0.0, 0.0])
        logits = F.binary_cross_entropy_with_logits(
            ag.tensor([1000.0, -1000.0]), [0.0, 1.0], reduction="none", pos_weight=[2.0])
        np.testing.assert_allclose(logits.numpy(), [1000.0, 2000.0])
        ce = F.cross_entropy(ag.tensor([[1000.0, -1000.0]]), [1])
        assert ce.item() == 2000.0
        kl = F.kl_div(ag.tensor([[-1.0, -2.0]]), [[0.0, 1.0]], reduction="none")
        np.testing.assert_array_equal(kl.numpy(), [[0.0, 2.0]])
        log_p = ag.tensor(np.array([[0.0, -np.inf], [-np.inf, 0.0]]), requires_grad=True)
        nll = F.nll_loss(log_p, [0, -100], reduction="sum")
        assert nll.item() == 0.0


def test_mean_over_no_counted_sample_is_nan_with_zero_gradient_as_in_torch():
    x = ag.tensor(np.zeros((2, 3)), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = F.cross_entropy(x, [-100, -100])
        loss.backward()
    assert np.isnan(loss.item())
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 3)))
    assert np.isnan(F.mse_loss(ag.zeros(0), np.zeros(0)).item())


# --- module forms ---

MODULES = [
    (nn.MSELoss, {}, "mse_loss"), (nn.L1Loss, {"reduction": "sum"}, "l1_loss"),
    (nn.HuberLoss, {"delta": 0.5}, "huber_loss"), (nn.SmoothL1Loss, {"beta": 0.5},
                                                   "smooth_l1_loss"),
    (nn.BCELoss, {"weight": [0.5, 1.0, 2.0]}, "binary_cross_entropy"),
    (nn.BCEWithLogitsLoss, {"pos_weight": [1.0, 2.0, 3.0], "reduction": "none"},
     "binary_cross_entropy_with_logits"),
    (nn.KLDivLoss, {"reduction": "batchmean"}, "kl_div"),
    (nn.CrossEntropyLoss, {"weight": [1.0, 2.0, 0.5], "ignore_index": 0,
                           "label_smoothing": 0.1}, "cross_entropy"),
    (nn.NLLLoss, {"reduction": "none"}, "nll_loss"),
]


@pytest.mark.parametrize("cls, options, name", MODULES, ids=[m[0].__name__ for m in MODULES])
def test_modules_give_the_functions_numbers(cls, options, name):
    rng = np.random.default_rng(0)
    if name in ("cross_entropy", "nll_loss"):
        x, t = rng.normal(size=(4, 3)), rng.integers(0, 3, size=4)
    else:
        x, t, _ = elementwise_data(name, {}, (4, 3))
    module = cls(**options)
    assert isinstance(module, nn.Module) and list(module.parameters()) == []
    expected = getattr(F, name)(ag.tensor(x), t, **options)
    np.testing.assert_array_equal(module(ag.tensor(x), t).numpy(), expected.numpy())
    shown = repr(module)
    assert shown.startswith(cls.__name__ + "(")
    for key, value in options.items():
        assert f"{key}={value!r}" in shown
    assert repr(cls()) == cls.__name__ + "()"


def test_class_weights_are_buffers_in_the_state_dict():
    loss = nn.CrossEntropyLoss(weight=[1.0, 2.0])
    assert list(loss.state_dict()) == ["weight"] and list(nn.MSELoss().state_dict()) == []


def test_a_loss_module_trains_a_model_without_becoming_one_of_its_layers():
    nn.set_random_seed(0)
    model = nn.Sequential([nn.Dense(1, input_shape=[1])])
    keys = list(model.state_dict())
    model.compile(optimizer=optim.Adam(0.1), loss=nn.MSELoss())
    x = np.linspace(-1.0, 1.0, 16).reshape(-1, 1)
    history = model.fit(x, 3.0 * x + 1.0, epochs=30, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 10
    assert list(model.state_dict()) == keys and len(model.layers) == 1
    assert isinstance(model.loss.module, nn.MSELoss)  # called as (input, target), its order


# --- errors name the function, what it received and what to do ---

ALL = ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "binary_cross_entropy",
       "binary_cross_entropy_with_logits", "kl_div", "cross_entropy", "nll_loss"]


@pytest.mark.parametrize("name", ALL)
def test_a_bad_reduction_is_refused(name):
    target = [0] if name in ("cross_entropy", "nll_loss") else [[0.5, 0.5]]
    with pytest.raises(ValueError, match=f"{name}: reduction must be one of .*'average'"):
        getattr(F, name)(ag.tensor([[0.2, 0.8]]), target, reduction="average")


@pytest.mark.parametrize("name", ALL[:7])
def test_different_shapes_are_refused_not_broadcast(name):
    with pytest.raises(ValueError, match=rf"{name}: the input has shape \(4, 1\) and the "
                                         rf"target has shape \(4,\).*Reshape"):
        getattr(F, name)(ag.tensor(np.full((4, 1), 0.5)), np.full(4, 0.5))


@pytest.mark.parametrize("call, error, message", [
    (lambda: F.huber_loss(ag.zeros(2), [0.0, 0.0], delta=0), ValueError,
     r"huber_loss: delta must be a number > 0; received delta=0"),
    (lambda: F.smooth_l1_loss(ag.zeros(2), [0.0, 0.0], beta=-1.0), ValueError,
     r"smooth_l1_loss: beta must be a number >= 0; received beta=-1.0"),
    (lambda: F.binary_cross_entropy(ag.tensor([0.5, 1.5]), [0.0, 1.0]), ValueError,
     r"binary_cross_entropy: the input must hold probabilities in \[0, 1\]; received 1.5.*"
     r"with_logits"),
    (lambda: F.binary_cross_entropy(ag.tensor([[0.5, 0.5]]), [[0.0, 1.0]], weight=[1, 2, 3]),
     ValueError, r"binary_cross_entropy: weight must have shape \(1, 2\) or one that "
                 r"broadcasts to it; received weight of shape \(3,\)"),
    (lambda: F.binary_cross_entropy_with_logits(ag.zeros(2), [0.0, 1.0], pos_weight=[-1.0]),
     ValueError, r"binary_cross_entropy_with_logits: pos_weight must hold numbers >= 0; "
                 r"received the value -1.0"),
    (lambda: F.mse_loss(ag.zeros(2), [0.0, 1.0], weight=[1.0]), ValueError,
     r"mse_loss: weight must have shape \(2,\); received weight of shape \(1,\)"),
    (lambda: F.kl_div(ag.zeros(2), [-0.5, 1.5]), ValueError,
     r"kl_div: the target must hold probabilities \(>= 0\); received -0.5.*log_target=True"),
    (lambda: F.mse_loss(ag.Scalar(1.0), [1.0]), TypeError,
     r"mse_loss: expected the prediction as a Tensor, received Scalar"),
    (lambda: F.l1_loss(ag.zeros(1), ["a"]), TypeError,
     r"l1_loss: expected a numeric target; received list of dtype <U1"),
    (lambda: F.cross_entropy(ag.zeros(3, 4), [0, 1]), ValueError,
     r"cross_entropy: for an input of shape \(3, 4\) the target must hold one class index "
     r"per sample, shape \(3,\) \(or class probabilities of shape \(3, 4\)\); received a "
     r"target of shape \(2,\)"),
    (lambda: F.cross_entropy(ag.zeros(2, 4), [0, 4]), ValueError,
     r"cross_entropy: class indices must be in \[0, 3\] for 4 classes, or equal "
     r"ignore_index=-100; received 4"),
    (lambda: F.nll_loss(ag.zeros(2, 4), [-1, 0]), ValueError,
     r"nll_loss: class indices must be in \[0, 3\] .*received -1"),
    (lambda: F.cross_entropy(ag.zeros(2, 4), [0.5, 1.0]), TypeError,
     r"cross_entropy: class-index targets must have dtype int64 \(long\) or uint8, as in "
     r"PyTorch; received dtype float64. Convert them with .long\(\)"),
    # as in PyTorch: a target outside [0, 1] or an integer one, where probabilities are read
    (lambda: F.binary_cross_entropy(ag.tensor([0.3]), ag.tensor([2.0])), ValueError,
     r"binary_cross_entropy: the target must hold probabilities in \[0, 1\]; received 2.0. "
     r"Labels such as -1/\+1 need mapping to 0/1 first"),
    (lambda: nn.BCELoss()(ag.tensor([0.3]), ag.tensor([float("nan")])), ValueError,
     r"binary_cross_entropy: the target must hold probabilities in \[0, 1\]; received nan"),
    (lambda: F.binary_cross_entropy(ag.tensor([0.3]), ag.tensor([1])), TypeError,
     r"binary_cross_entropy: the target must be floating point, as in PyTorch; received an "
     r"integer or boolean target. Convert it with .float\(\)"),
    (lambda: F.binary_cross_entropy_with_logits(ag.tensor([0.3]), ag.tensor([True])), TypeError,
     r"binary_cross_entropy_with_logits: the target must be floating point"),
    (lambda: F.kl_div(ag.tensor([-0.3]), [1]), TypeError, r"kl_div: the target must be floating"),
    # whole numbers in a float or int32 tensor: PyTorch refuses them too
    (lambda: F.cross_entropy(ag.zeros(2, 4), ag.tensor([0.0, 1.0])), TypeError,
     r"cross_entropy: .* received dtype float32"),
    (lambda: F.nll_loss(ag.zeros(2, 4), ag.tensor([0, 1], dtype=ag.int32)), TypeError,
     r"nll_loss: .* received dtype int32"),
    (lambda: F.cross_entropy(ag.zeros(2, 2), [[0, 1], [1, 0]]), TypeError,
     r"cross_entropy: a target of the input's shape \(2, 2\) holds class probabilities and "
     r"must be floating point"),
    (lambda: F.cross_entropy(ag.zeros(1, 2), [[0.5, 0.5]], ignore_index=0), ValueError,
     r"cross_entropy: ignore_index works with class-index targets only; received "
     r"ignore_index=0"),
    (lambda: F.cross_entropy(ag.zeros(2, 3), [0, 1], weight=[1.0, 2.0]), ValueError,
     r"cross_entropy: weight must have shape \(3,\); received weight of shape \(2,\)"),
    (lambda: F.nll_loss(ag.zeros(2, 2), [0, 1], weight=[1.0, -2.0]), ValueError,
     r"nll_loss: weight must hold numbers >= 0; received the value -2.0"),
    (lambda: F.cross_entropy(ag.zeros(2, 2), [0, 1], label_smoothing=1.5), ValueError,
     r"cross_entropy: label_smoothing must be a number in \[0, 1\]; received "
     r"label_smoothing=1.5"),
    (lambda: F.cross_entropy(ag.tensor(1.0), 0), ValueError,
     r"cross_entropy: the input needs a class axis.*received an input of shape \(\)"),
    (lambda: F.nll_loss(ag.zeros(2, 2), [0, 1], ignore_index=0.5), TypeError,
     r"nll_loss: ignore_index must be an int; received ignore_index=0.5"),
    (lambda: nn.MSELoss(reduction="avg"), ValueError,
     r"MSELoss: reduction must be one of 'mean', 'sum', 'none'; received reduction='avg'"),
    (lambda: nn.KLDivLoss(reduction="batch"), ValueError,
     r"KLDivLoss: reduction must be one of .*'batchmean'; received reduction='batch'"),
    (lambda: nn.HuberLoss(delta=-1), ValueError, r"HuberLoss: delta must be a number > 0"),
])
def test_bad_inputs_raise_errors_that_say_what_and_why(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_on_plain_indices_gives_the_bits_of_the_one_hot_one(reduction):
    # Plain class indices on the last axis go through the sparse primitive; the same targets
    # as one-hot probabilities go through the dense one: the same numbers, forward and backward.
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((6, 4)).astype(np.float32)
    logits[0, 1], logits[1, :] = np.inf, -np.inf
    classes = rng.integers(0, 4, 6)
    results = []
    for target in (classes, (classes[:, None] == np.arange(4)).astype(np.float32)):
        x = ag.tensor(logits, requires_grad=True)
        loss = F.cross_entropy(x, target, reduction=reduction)
        loss.sum().backward()
        results.append((loss.numpy(), x.grad.numpy()))
    (sparse_loss, sparse_grad), (dense_loss, dense_grad) = results
    np.testing.assert_array_equal(sparse_loss, dense_loss)
    np.testing.assert_array_equal(sparse_grad, dense_grad)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
                                  "binary_cross_entropy_with_logits", "kl_div"])
def test_a_float64_target_meets_a_float32_input_as_in_torch(name):
    # torch computes in the promoted dtype, except huber_loss, which keeps the input's
    x = ag.tensor([0.2, 0.7, 0.4], requires_grad=True)
    target = ag.tensor([0.1, 0.9, 0.5], dtype=ag.float64, requires_grad=True)
    loss = getattr(F, name)(x, target)
    loss.backward()
    assert loss.dtype == (np.float32 if name == "huber_loss" else np.float64)
    assert (x.grad.dtype, target.grad.dtype) == (np.float32, np.float64)


def test_binary_cross_entropy_refuses_a_target_of_another_float_dtype():
    with pytest.raises(RuntimeError, match="binary_cross_entropy: the target has dtype float64 "
                                           "and the input float32"):
        F.binary_cross_entropy(ag.tensor([0.5]), ag.tensor([1.0], dtype=ag.float64))
