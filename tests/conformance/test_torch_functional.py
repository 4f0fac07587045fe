"""``nn.functional`` against ``torch.nn.functional``: signatures (from torch's docstring for its
C builtins) and, on the same float64 inputs, the same outputs and the same gradients."""

import inspect

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from tests.conformance.borrowed import signature_differences, torch
from tests.conformance.torch_functional import ENTRIES, LOSSES, SIGNATURE_FROM_DOCSTRING


def _documented(function):
    """The signature opening a builtin's docstring: ``conv2d(input, weight, ...) -> Tensor``."""
    first = function.__doc__.strip().splitlines()[0]
    parameters = first[first.index("(") + 1:first.rindex(")")]
    namespace = {}
    exec(f"def documented({parameters}): pass", namespace)  # noqa: S102 (torch's own text)
    return namespace["documented"]


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_torch(entry):
    ours, theirs = entry.our_object(), entry.their_object()
    if entry.ours.rsplit(".", 1)[1] in SIGNATURE_FROM_DOCSTRING:
        theirs = _documented(theirs)
    assert signature_differences(ours, theirs) == []


def _kinds(function):
    return [p.kind for p in inspect.signature(function).parameters.values()]


# rows of norm 0, below both eps (1e-12, 1e-8), between them, and ordinary ones
SMALL_ROWS = np.array([[0.0, 0.0, 0.0], [3e-13, -4e-13, 0.0], [2e-9, 1e-9, -2e-9],
                       [0.5, -1.0, 2.0]])

# name, inputs (a shape: float64 normal values that get a gradient; ("int", shape, high):
# integer indices; ("const", array): a fixed array), keyword arguments
CASES = [
    ("linear", [(4, 5), (3, 5), (3,)], {}),
    ("linear", [(2, 4, 5), (3, 5)], {}),
    ("linear", [(4, 3), (3, 3)], {}),
    ("linear", [(4, 5), (5,)], {}),
    ("bilinear", [(5, 3), (5, 4), (2, 3, 4), (2,)], {}),
    ("conv2d", [(2, 4, 7, 6), (6, 4, 3, 3), (6,)], {"stride": 2, "padding": 1}),
    ("conv2d", [(2, 4, 7, 6), (6, 4, 3, 2)], {"padding": "same", "dilation": (2, 1)}),
    ("conv2d", [(4, 7, 6), (6, 2, 3, 3)], {"groups": 2, "padding": (0, 2)}),
    ("conv2d", [(1, 6, 5, 5), (6, 1, 3, 3)], {"groups": 6, "padding": "valid"}),
    ("max_pool2d", [(2, 3, 7, 6)], {"kernel_size": 2}),
    ("max_pool2d", [(2, 3, 7, 6)], {"kernel_size": 3, "stride": 2, "padding": 1,
                                    "ceil_mode": True}),
    ("max_pool2d", [(3, 7, 6)], {"kernel_size": (3, 2), "stride": (1, 3)}),
    ("max_pool2d", [(2, 3, 9, 8)], {"kernel_size": 3, "stride": 2, "padding": 1,
                                    "dilation": (2, 3), "ceil_mode": True}),
    ("avg_pool2d", [(2, 3, 7, 6)], {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("avg_pool2d", [(2, 3, 7, 6)], {"kernel_size": 3, "stride": 2, "padding": 1,
                                    "ceil_mode": True, "count_include_pad": False}),
    ("avg_pool2d", [(2, 3, 8, 5)], {"kernel_size": (3, 2), "ceil_mode": True}),
    ("avg_pool2d", [(3, 7, 6)], {"kernel_size": 2, "divisor_override": 3}),
    ("adaptive_avg_pool2d", [(2, 3, 7, 6)], {"output_size": (3, 4)}),
    ("adaptive_avg_pool2d", [(3, 7, 6)], {"output_size": (None, 5)}),
    ("adaptive_avg_pool2d", [(2, 3, 5, 5)], {"output_size": 1}),
    ("layer_norm", [(3, 4, 5), (4, 5), (4, 5)], {"normalized_shape": (4, 5)}),
    ("layer_norm", [(3, 5)], {"normalized_shape": [5], "eps": 0.1}),
    ("leaky_relu", [(3, 4)], {}),
    ("leaky_relu", [(3, 4)], {"negative_slope": 0.3}),
    ("relu", [(3, 4)], {}),
    ("gelu", [(3, 4)], {}),
    ("gelu", [(3, 4)], {"approximate": "tanh"}),
    ("elu", [(3, 4)], {}),
    ("elu", [(3, 4)], {"alpha": 0.7}),
    ("softmax", [(3, 4, 2)], {"dim": 1}),
    ("softmax", [(3, 4)], {"dim": -1, "dtype": np.float32}),
    ("log_softmax", [(3, 4, 2)], {"dim": 0}),
    ("softplus", [(3, 4)], {}),
    ("softplus", [(3, 4)], {"beta": 2, "threshold": 3}),
    ("softplus", [(3, 4)], {"beta": 0.5, "threshold": 0.3}),
    ("sigmoid", [(3, 4)], {}),
    ("tanh", [(3, 4)], {}),
    ("silu", [(3, 4)], {}),
    ("hardtanh", [(3, 4)], {}),
    ("hardtanh", [(3, 4)], {"min_val": -0.5, "max_val": 2.0}),
    ("hardtanh", [("const", np.array([-1.0, -0.5, 0.0, 1.0, 2.0, 6.0, 7.0]))], {}),
    ("relu6", [(3, 4)], {}),
    ("relu6", [("const", np.array([-1.0, 0.0, 3.0, 6.0, 7.0]))], {}),
    ("prelu", [(3, 4), (1,)], {}),
    ("prelu", [(3, 4, 5), (4,)], {}),
    ("prelu", [(2, 3, 4, 5), (3,)], {}),
    ("prelu", [(5,), (1,)], {}),
    ("prelu", [(3, 4), ("const", np.array(0.3))], {}),
    ("normalize", [(3, 4)], {}),
    ("normalize", [(3, 4, 2)], {"p": 1, "dim": -1}),
    ("normalize", [(3, 4, 2)], {"p": float("inf"), "dim": (0, 2), "eps": 0.1}),
    ("normalize", [(6,)], {"dim": 0, "p": 3}),
    ("normalize", [("const", SMALL_ROWS)], {}),
    ("normalize", [("const", SMALL_ROWS)], {"p": 1.0, "eps": 1e-3}),
    ("cosine_similarity", [(3, 4), (3, 4)], {}),
    ("cosine_similarity", [(2, 3, 4), (3, 1)], {"dim": 1}),
    ("cosine_similarity", [(3, 4, 2), (4, 2)], {"dim": -1, "eps": 0.5}),
    ("cosine_similarity", [("const", SMALL_ROWS), ("const", SMALL_ROWS[::-1].copy())], {}),
    ("cosine_similarity", [("const", np.array(2.0)), ("const", np.array(-3.0))], {"dim": 0}),
    ("pad", [(2, 3, 4)], {"pad": (1, 2), "value": 3.5}),
    ("pad", [(2, 3, 4)], {"pad": (1, -1, 0, 2)}),
    ("pad", [(2, 3, 4)], {"pad": (2, 1, 1, 2), "mode": "reflect"}),
    ("pad", [(2, 3, 4)], {"pad": (2, 3, 1, 0), "mode": "replicate"}),
    ("pad", [(1, 2, 3, 4)], {"pad": (2, 1, 3, 1), "mode": "circular"}),
    ("embedding", [("int", (4, 5), 7), (7, 3)], {}),
    ("embedding", [("int", (6,), 7), (7, 3)], {"padding_idx": 2}),
    ("one_hot", [("int", (4, 5), 6)], {"num_classes": 7}),
    ("one_hot", [("const", np.array([[0, 3], [2, 1]]))], {}),
]
SEPARATE = {"nn.functional.batch_norm", "nn.functional.dropout",
            *(f"nn.functional.{name}" for name in LOSSES)}


def test_every_entry_has_a_case():
    named = {f"nn.functional.{name}" for name, *_ in CASES} | SEPARATE
    assert [e.ours for e in ENTRIES if e.ours not in named] == []


def _arrays(specs, rng):
    arrays = []
    for spec in specs:
        if spec[0] == "int":
            arrays.append(rng.integers(0, spec[2], size=spec[1]))
        elif spec[0] == "const":
            arrays.append(spec[1])
        else:
            arrays.append(rng.normal(size=spec) * 2.0)
    return arrays


def _torch_kwargs(kwargs):
    t = torch()
    return {k: getattr(t, np.dtype(v).name) if k == "dtype" else v for k, v in kwargs.items()}


def _compare(a, b, what, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol, err_msg=what)


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")  # torch's, on speed
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[2]}")
def test_function_matches_torch(case, dtype):
    """float64 to rtol 1e-10; float32 to about 1e-5, the output's dtype torch's."""
    t = torch()
    name, specs, kwargs = case
    arrays = [a.astype(dtype) if a.dtype.kind == "f" else a
              for a in _arrays(specs, np.random.default_rng(3))]
    ours_in = [ag.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    theirs_in = [t.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    if name == "layer_norm":  # normalized_shape comes between the input and the weights
        shape = kwargs["normalized_shape"]
        rest = {k: v for k, v in kwargs.items() if k != "normalized_shape"}
        y_ours = F.layer_norm(ours_in[0], shape, *ours_in[1:], **rest)
        y_theirs = t.nn.functional.layer_norm(theirs_in[0], shape, *theirs_in[1:], **rest)
    else:
        y_ours = getattr(F, name)(*ours_in, **kwargs)
        y_theirs = getattr(t.nn.functional, name)(*theirs_in, **_torch_kwargs(kwargs))
    assert str(y_ours.dtype) == str(y_theirs.dtype).replace("torch.", "")
    float32 = y_ours.dtype == np.float32
    rtol, atol = (2e-5, 2e-5) if float32 else (1e-10, 1e-12)
    _compare(y_ours.numpy(), y_theirs.detach().numpy(), "output", rtol, atol)
    if not y_theirs.requires_grad:
        return
    upstream = np.random.default_rng(4).normal(size=tuple(y_theirs.shape))
    (y_ours * ag.tensor(upstream.astype(y_ours.dtype))).sum().backward()
    (y_theirs * t.tensor(upstream, dtype=y_theirs.dtype)).sum().backward()
    for i, (a, b) in enumerate(zip(ours_in, theirs_in)):
        if b.requires_grad:
            _compare(a.grad.numpy(), b.grad.numpy(), f"gradient of input {i}", rtol, atol)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (4, 3, 2, 5)])
def test_batch_norm_matches_torch_with_its_running_statistics(training, shape):
    t = torch()
    rng = np.random.default_rng(5)
    x, w, b = rng.normal(size=shape) * 3 + 1, rng.normal(size=3), rng.normal(size=3)
    mean, var = rng.normal(size=3), rng.uniform(0.5, 2.0, size=3)
    ours = [ag.tensor(v, requires_grad=True) for v in (x, w, b)]
    theirs = [t.tensor(v, requires_grad=True) for v in (x, w, b)]
    running_ours = [ag.tensor(mean.copy()), ag.tensor(var.copy())]
    running_theirs = [t.tensor(mean.copy()), t.tensor(var.copy())]
    for momentum in (0.1, 0.4):
        y_ours = F.batch_norm(ours[0], *running_ours, ours[1], ours[2], training, momentum, 1e-3)
        y_theirs = t.nn.functional.batch_norm(theirs[0], *running_theirs, theirs[1], theirs[2],
                                              training, momentum, 1e-3)
        _compare(y_ours.numpy(), y_theirs.detach().numpy(), "output")
        for a, c in zip(running_ours, running_theirs):
            _compare(a.numpy(), c.numpy(), "running statistics")
    upstream = rng.normal(size=shape)
    (y_ours * ag.tensor(upstream)).sum().backward()
    (y_theirs * t.tensor(upstream)).sum().backward()
    for i, (a, c) in enumerate(zip(ours, theirs)):
        _compare(a.grad.numpy(), c.grad.numpy(), f"gradient of input {i}")


def test_batch_norm_defaults_are_torchs():
    x = ag.tensor([[1.0, 2.0], [3.0, 6.0]])
    mean, var = ag.zeros(2), ag.ones(2)
    F.batch_norm(x, mean, var, training=True)
    np.testing.assert_allclose(mean.numpy(), [0.2, 0.4], rtol=1e-6)
    np.testing.assert_allclose(var.numpy(), [0.9 + 0.1 * 2.0, 0.9 + 0.1 * 8.0], rtol=1e-6)
    y = F.batch_norm(x, mean, var)  # training=False: the running statistics
    np.testing.assert_allclose(y.numpy(), (x.numpy() - mean.numpy()) / np.sqrt(var.numpy()
                                                                                 + 1e-5),
                               rtol=1e-6)


def test_dropout_follows_p_and_training():
    x = ag.tensor(np.full((300, 100), 3.0), requires_grad=True)
    y = F.dropout(x, p=0.2)
    kept = y.numpy() != 0
    assert abs(kept.mean() - 0.8) < 0.01
    _compare(y.numpy()[kept], 3.0 / 0.8, "kept values")
    y.sum().backward()
    _compare(x.grad.numpy(), kept / 0.8, "gradient")
    assert F.dropout(x, training=False) is x
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.dropout(x, p=1.5)
    with pytest.raises(ValueError, match="inplace"):
        F.dropout(x, inplace=True)


def test_softmax_without_dim_warns_and_picks_torchs_axis():
    t = torch()
    x = np.random.default_rng(0).normal(size=(2, 3, 4))
    with pytest.warns(UserWarning, match="Implicit dimension choice"):
        ours = F.softmax(ag.tensor(x))
    with pytest.warns(UserWarning):
        theirs = t.nn.functional.softmax(t.tensor(x))
    _compare(ours.numpy(), theirs.numpy(), "softmax with dim=None")


def test_the_old_silent_mistakes_are_gone():
    """``F.linear`` with a square weight computes ``x @ W.T``; the defaults are torch's."""
    w = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    x = ag.tensor([[1.0, 0.0]])
    np.testing.assert_array_equal(F.linear(x, w).numpy(), [[1.0, 3.0]])
    np.testing.assert_allclose(F.leaky_relu(ag.tensor([-1.0])).numpy(), [-0.01])
    assert F.conv2d(ag.ones((1, 3, 5, 5)), ag.ones((2, 3, 3, 3))).shape == (1, 2, 3, 3)
    assert F.max_pool2d(ag.ones((1, 3, 4, 4)), 2).shape == (1, 3, 2, 2)


@pytest.mark.parametrize("call, error, fragment", [
    (lambda: F.linear(ag.ones((2, 3)), ag.ones((4, 2))), ValueError, r"\(2, 3\).*\(4, 2\)"),
    (lambda: F.conv2d(ag.ones((1, 3, 5, 5)), ag.ones((2, 2, 3, 3))), ValueError, "groups"),
    (lambda: F.conv2d(ag.ones((1, 3, 2, 2)), ag.ones((2, 3, 3, 3))), ValueError,
     "Kernel size can't be greater"),
    (lambda: F.conv2d(ag.ones((1, 3, 5, 5)), ag.ones((2, 3, 3, 3)), stride=2, padding="same"),
     ValueError, "strided"),
    (lambda: F.max_pool2d(ag.ones((1, 1, 4, 4)), 2, padding=2), ValueError, "at most half"),
    (lambda: F.embedding(ag.tensor(np.array([5])), ag.ones((3, 2))), IndexError, "out of range"),
    (lambda: F.embedding(ag.tensor([1.0]), ag.ones((3, 2))), TypeError, "integer"),
    (lambda: F.one_hot(ag.tensor(np.array([3])), 2), RuntimeError, "smaller than num_classes"),
    (lambda: F.pad(ag.ones((2, 3)), (1,)), ValueError, "even number"),
    (lambda: F.pad(ag.ones((2, 3)), (3, 0), mode="reflect"), ValueError, "smaller"),
    (lambda: F.pad(ag.ones((2, 3)), (1, 0), mode="reflect", value=1.0), ValueError,
     "doesn't take in value"),
    (lambda: F.batch_norm(ag.ones((1, 3)), None, None, training=True), ValueError,
     "more than 1 value per channel"),
    (lambda: F.batch_norm(ag.ones((2, 3)), None, None), ValueError, "running"),
    (lambda: F.gelu(ag.ones(2), approximate="fast"), ValueError, "approximate"),
])
def test_mistakes_are_explained(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()


@pytest.mark.parametrize("kwargs", [
    {"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
    {"kernel_size": (2, 3), "stride": 1, "dilation": (2, 1)}])
def test_max_pool2d_returns_torchs_indices_with_ties_infinities_and_nans(kwargs):
    t = torch()
    rng = np.random.default_rng(6)
    x = rng.integers(0, 3, size=(2, 3, 7, 6)).astype(np.float64)  # many ties
    x[0, 0, :3, :3] = -np.inf
    x[1, 2, 2, 2] = x[1, 2, 3, 3] = np.nan
    xa, xt = ag.tensor(x, requires_grad=True), t.tensor(x, requires_grad=True)
    (ya, ia), (yt, it) = (F.max_pool2d(xa, **kwargs, return_indices=True),
                          t.nn.functional.max_pool2d(xt, **kwargs, return_indices=True))
    np.testing.assert_array_equal(ia.numpy(), it.numpy())
    np.testing.assert_array_equal(ya.numpy(), yt.detach().numpy())
    upstream = rng.normal(size=tuple(yt.shape))
    (ya * ag.tensor(upstream)).sum().backward()
    (yt * t.tensor(upstream)).sum().backward()
    np.testing.assert_array_equal(xa.grad.numpy(), xt.grad.numpy())
    module = nn.MaxPool2d(**kwargs, return_indices=True)
    assert repr(module) == repr(t.nn.MaxPool2d(**kwargs, return_indices=True))
    np.testing.assert_array_equal(module(xa)[1].numpy(), it.numpy())
