"""PyTorch's losses (``nn.functional.*_loss`` and the ``nn.*Loss`` modules) against torch's: the
same values and input gradients in float64 for each reduction and option, and torch's legacy
``size_average``/``reduce`` arguments."""

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from tests.conformance.borrowed import torch
from tests.conformance.torch_functional import LOSSES
from tests.conformance.torch_nn import LOSS_MODULES


def _data(kind, rng):
    """(input, target, extra) arrays for a kind of loss; extra are weights passed by name."""
    x = rng.normal(size=(5, 4))
    if kind == "regression":
        return x, rng.normal(size=(5, 4)), {"weight": rng.uniform(0.5, 2.0, size=(5, 4))}
    if kind == "probability":
        return (1 / (1 + np.exp(-x)), rng.uniform(size=(5, 4)),
                {"weight": rng.uniform(0.5, 2.0, size=(5, 4))})
    if kind == "logits":
        return x, rng.uniform(size=(5, 4)), {"weight": rng.uniform(0.5, 2.0, size=(5, 4)),
                                             "pos_weight": rng.uniform(0.5, 2.0, size=4)}
    if kind == "classes":
        return x, rng.integers(0, 4, size=5), {"weight": rng.uniform(0.5, 2.0, size=4)}
    if kind == "log_probabilities":
        target = rng.uniform(size=(5, 4))
        log_p = x - np.log(np.exp(x).sum(1, keepdims=True))
        return log_p, target / target.sum(1, keepdims=True), {}
    raise ValueError(kind)


KIND = {"l1_loss": "regression", "mse_loss": "regression", "huber_loss": "regression",
        "smooth_l1_loss": "regression", "cross_entropy": "classes", "nll_loss": "classes",
        "binary_cross_entropy": "probability", "binary_cross_entropy_with_logits": "logits",
        "kl_div": "log_probabilities"}
OPTIONS = {"huber_loss": [{"delta": 0.7}], "smooth_l1_loss": [{"beta": 0.5}, {"beta": 0.0}],
           "cross_entropy": [{"label_smoothing": 0.2}, {"ignore_index": 1}],
           "nll_loss": [{"ignore_index": 2}], "kl_div": [{"log_target": True}]}
WEIGHTED = {"l1_loss", "mse_loss", "huber_loss", "cross_entropy", "nll_loss",
            "binary_cross_entropy", "binary_cross_entropy_with_logits"}
CASES = [(name, reduction, options, weighted)
         for name in LOSSES
         for reduction in (["mean", "sum", "none"] + (["batchmean"] if name == "kl_div" else []))
         for options in [{}, *OPTIONS.get(name, [])]
         for weighted in ([False, True] if name in WEIGHTED else [False])]


def test_every_loss_has_cases():
    assert sorted(KIND) == sorted(LOSSES) and {c[0] for c in CASES} == set(LOSSES)


def _compare(a, b, what):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-10, atol=1e-12,
                               err_msg=what)


def _run(t, ours_call, theirs_call, x, target):
    xa, xt = ag.tensor(x, requires_grad=True), t.tensor(x, requires_grad=True)
    ya, yt = ours_call(xa, ag.tensor(target)), theirs_call(xt, t.tensor(target))
    _compare(ya.numpy(), yt.detach().numpy(), "value")
    upstream = np.random.default_rng(9).normal(size=tuple(yt.shape))
    (ya * ag.tensor(upstream)).sum().backward()
    (yt * t.tensor(upstream)).sum().backward()
    _compare(xa.grad.numpy(), xt.grad.numpy(), "gradient")


KL_MEAN = "ignore:reduction. 'mean' divides the total loss"  # torch's warning for kl_div


@pytest.mark.filterwarnings(KL_MEAN)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}-w{c[3]:d}")
def test_loss_function_matches_torch(case):
    t = torch()
    name, reduction, options, weighted = case
    x, target, extra = _data(KIND[name], np.random.default_rng(2))
    extra = extra if weighted else {}
    ours_kw = {"reduction": reduction, **options, **{k: ag.tensor(v) for k, v in extra.items()}}
    theirs_kw = {"reduction": reduction, **options, **{k: t.tensor(v) for k, v in extra.items()}}
    _run(t, lambda a, b: getattr(F, name)(a, b, **ours_kw),
         lambda a, b: getattr(t.nn.functional, name)(a, b, **theirs_kw), x, target)


MODULE_OF = dict(zip(["l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss", "cross_entropy",
                      "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
                      "kl_div"], LOSS_MODULES))
MODULE_WEIGHTS = {"CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss"}


@pytest.mark.filterwarnings(KL_MEAN)
@pytest.mark.parametrize("case", [c for c in CASES if not c[3]],
                         ids=lambda c: f"{MODULE_OF[c[0]]}-{c[1]}-{c[2]}")
def test_loss_module_matches_torch(case):
    t = torch()
    name, reduction, options, _ = case
    module = MODULE_OF[name]
    x, target, extra = _data(KIND[name], np.random.default_rng(4))
    extra = extra if module in MODULE_WEIGHTS else {}
    ours = getattr(nn, module)(reduction=reduction, **options,
                               **{k: ag.tensor(v) for k, v in extra.items()})
    theirs = getattr(t.nn, module)(reduction=reduction, **options,
                                   **{k: t.tensor(v) for k, v in extra.items()})
    _run(t, ours, theirs, x, target)


@pytest.mark.parametrize("size_average, reduce", [(None, False), (False, None), (True, True),
                                                  (False, True), (True, False)])
def test_legacy_size_average_and_reduce_decide_the_reduction_as_in_torch(size_average, reduce):
    t = torch()
    x, target, _ = _data("regression", np.random.default_rng(5))
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        ours = F.mse_loss(ag.tensor(x), ag.tensor(target), size_average, reduce)
    with pytest.warns(UserWarning):
        theirs = t.nn.functional.mse_loss(t.tensor(x), t.tensor(target), size_average, reduce)
    _compare(ours.numpy(), theirs.numpy(), "legacy reduction")
    with pytest.warns(UserWarning):
        module = nn.CrossEntropyLoss(None, size_average, -100, reduce)
    with pytest.warns(UserWarning):
        expected = t.nn.CrossEntropyLoss(None, size_average, -100, reduce).reduction
    assert module.reduction == expected
