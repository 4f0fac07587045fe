"""``nn.init`` against ``torch.nn.init``: signatures, exact values where deterministic, bounds
and moments where random (the two libraries' generators differ)."""

import math

import numpy as np
import pytest

import autograd as ag
import nn.init as init
from tests.conformance.borrowed import signature_differences, torch
from tests.conformance.torch_init import ENTRIES


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_torch(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


GAINS = [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None),
         ("conv_transpose1d", None), ("conv_transpose2d", None), ("conv_transpose3d", None),
         ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
         ("leaky_relu", 0.2), ("leaky_relu", 3), ("leaky_relu", math.sqrt(5)), ("selu", None)]


@pytest.mark.parametrize("name, param", GAINS)
def test_calculate_gain_is_exact(name, param):
    t = torch()
    ours, theirs = init.calculate_gain(name, param), t.nn.init.calculate_gain(name, param)
    assert ours == theirs and type(ours) is type(theirs)


@pytest.mark.parametrize("name, param", [("softmax", None), ("leaky_relu", "0.1"),
                                         ("leaky_relu", True)])
def test_calculate_gain_refuses_as_torch_does(name, param):
    t = torch()
    with pytest.raises(ValueError):
        t.nn.init.calculate_gain(name, param)
    with pytest.raises(ValueError, match="calculate_gain|nonlinearity"):
        init.calculate_gain(name, param)


DETERMINISTIC = [
    ("constant_", (3, 4), dict(val=0.25)),
    ("ones_", (2, 3, 4), {}),
    ("zeros_", (5,), {}),
    ("eye_", (3, 5), {}),
    ("eye_", (4, 2), {}),
    ("dirac_", (4, 4, 3), {}),
    ("dirac_", (6, 3, 3, 3), dict(groups=2)),
    ("dirac_", (2, 5, 3, 3, 3), {}),
]


@pytest.mark.parametrize("name, shape, options", DETERMINISTIC,
                         ids=[f"{n}-{s}" for n, s, _ in DETERMINISTIC])
def test_deterministic_fills_equal_torch(name, shape, options):
    t = torch()
    ours = ag.tensor(np.full(shape, 7.0), requires_grad=True)
    theirs = t.full(shape, 7.0, dtype=t.float64, requires_grad=True)
    assert getattr(init, name)(ours, **options) is ours
    getattr(t.nn.init, name)(theirs, **options)
    np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())
    assert ours.requires_grad and ours.is_leaf


def _torch_sample(t, name, shape, options):
    theirs = t.empty(shape, dtype=t.float64)
    getattr(t.nn.init, name)(theirs, **options)
    return theirs.numpy()


RANDOM = [
    ("uniform_", (300, 400), dict(a=-0.5, b=2.0)),
    ("normal_", (300, 400), dict(mean=1.5, std=0.3)),
    ("xavier_uniform_", (300, 400), dict(gain=2.0)),
    ("xavier_normal_", (64, 32, 3, 3), {}),
    ("kaiming_uniform_", (300, 400), {}),
    ("kaiming_uniform_", (300, 400), dict(a=math.sqrt(5))),
    ("kaiming_uniform_", (64, 32, 3, 3), dict(mode="fan_out", nonlinearity="relu")),
    ("kaiming_normal_", (300, 400), dict(nonlinearity="tanh")),
    ("kaiming_normal_", (64, 32, 3, 3), dict(a=0.1, mode="fan_out")),
    ("trunc_normal_", (300, 400), {}),
    ("trunc_normal_", (300, 400), dict(mean=0.5, std=2.0, a=-1.0, b=3.0)),
]


@pytest.mark.parametrize("name, shape, options", RANDOM,
                         ids=[f"{n}-{s}-{sorted(o.items())}" for n, s, o in RANDOM])
def test_random_fills_have_torchs_bounds_and_moments(name, shape, options):
    t = torch()
    t.manual_seed(0)
    ag.manual_seed(0)
    ours = ag.empty(*shape, dtype=ag.float64)
    assert getattr(init, name)(ours, **options) is ours
    mine, theirs = ours.numpy(), _torch_sample(t, name, shape, options)
    # the moments: standard errors are about 0.3% at this size
    assert abs(mine.mean() - theirs.mean()) < 0.02 * theirs.std()
    assert mine.std() == pytest.approx(theirs.std(), rel=0.02)
    if "uniform" in name or "trunc" in name:
        # a bounded support: the extremes of 10^5 draws sit within 1% of its ends
        spread = theirs.max() - theirs.min()
        assert abs(mine.min() - theirs.min()) < 0.01 * spread
        assert abs(mine.max() - theirs.max()) < 0.01 * spread


def test_uniform_bounds_are_exact_as_documented():
    t = torch()
    w = ag.empty(300, 400, dtype=ag.float64)
    bound = math.sqrt(6 / (400 + 300))  # xavier: gain * sqrt(6 / (fan_in + fan_out))
    init.xavier_uniform_(w)
    assert np.abs(w.numpy()).max() <= bound and np.abs(w.numpy()).max() > 0.999 * bound
    conv = ag.empty(8, 4, 3, 3, dtype=ag.float64)  # fan_in = 4 * 9
    init.kaiming_uniform_(conv, a=math.sqrt(5))
    assert np.abs(conv.numpy()).max() <= 1 / math.sqrt(36)
    theirs = t.empty(8, 4, 3, 3)
    t.nn.init.kaiming_uniform_(theirs, a=math.sqrt(5))
    assert theirs.abs().max().item() <= 1 / math.sqrt(36)


@pytest.mark.parametrize("shape, gain", [((30, 50), 1.0), ((50, 30), 2.0), ((8, 4, 3, 3), 0.5)])
def test_orthogonal_is_orthogonal_as_torchs(shape, gain):
    t = torch()
    ours = init.orthogonal_(ag.empty(*shape, dtype=ag.float64), gain=gain).numpy()
    theirs = _torch_sample(t, "orthogonal_", shape, dict(gain=gain))
    for w in (ours, theirs):
        flat = w.reshape(shape[0], -1)
        small = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
        np.testing.assert_allclose(small, gain**2 * np.eye(len(small)), atol=1e-12)


def test_sparse_zeros_as_many_per_column_as_torch():
    t = torch()
    ours = init.sparse_(ag.empty(20, 30, dtype=ag.float64), sparsity=0.3, std=0.5).numpy()
    theirs = _torch_sample(t, "sparse_", (20, 30), dict(sparsity=0.3, std=0.5))
    assert ((ours == 0).sum(axis=0) == (theirs == 0).sum(axis=0)).all()
    assert ours[ours != 0].std() == pytest.approx(0.5, rel=0.15)


def test_errors_name_what_torch_names():
    t = torch()
    for fn, args, fragment in [
        ("xavier_uniform_", ((5,),), "fewer than 2 dimensions"),
        ("eye_", ((2, 2, 2),), "2 dimensions"),
        ("kaiming_normal_", ((3, 3), 0, "fan_avg"), "Mode fan_avg not supported"),
        ("orthogonal_", ((4,),), "2 or more dimensions"),
    ]:
        shape, *rest = args
        with pytest.raises(ValueError, match=fragment):
            getattr(t.nn.init, fn)(t.empty(shape), *rest)
        with pytest.raises(ValueError, match=fragment):
            getattr(init, fn)(ag.empty(*shape), *rest)


def test_seeded_generator_repeats_and_float32_keeps_its_dtype():
    a = init.normal_(ag.empty(3, 4), generator=np.random.default_rng(5))
    b = init.normal_(ag.empty(3, 4), generator=np.random.default_rng(5))
    assert a.dtype == np.float32 and np.array_equal(a.numpy(), b.numpy())
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        init.normal_(ag.empty(2, 2), generator=5)
    with pytest.raises(TypeError, match="expects a Tensor"):
        init.zeros_(np.zeros(3))


def test_a_pytorch_user_initializes_a_model():
    import autograd as torch_like
    import nn

    model = nn.Linear(20, 10)
    nn.init.kaiming_normal_(model.weight, mode="fan_out", nonlinearity="relu")
    nn.init.zeros_(model.bias)
    assert model.weight.requires_grad and model.weight.is_leaf
    assert np.all(model.bias.numpy() == 0)
    out = model(torch_like.randn(4, 20)).sum()
    out.backward()
    assert model.weight.grad.shape == (10, 20)
