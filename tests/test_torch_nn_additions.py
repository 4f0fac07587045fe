"""Names added to the PyTorch face (``F.silu``/``nn.SiLU``, ``F.relu6``/``nn.ReLU6``,
``F.hardtanh``/``nn.Hardtanh``, ``F.prelu``/``nn.PReLU``, ...): the errors, warnings, reprs and
edge values of torch 2.13 itself, beside the conformance tables' outputs and gradients."""

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from tests.conformance.borrowed import torch


def _raises_like_torch(ours, theirs):
    with pytest.raises(Exception) as theirs_error:
        theirs()
    with pytest.raises(type(theirs_error.value), match=None) as ours_error:
        ours()
    assert str(ours_error.value) == str(theirs_error.value)


@pytest.mark.parametrize("args, kwargs", [((), {}), ((-2.0, 3.5), {}), ((), {"max_val": 0.5})])
def test_hardtanh_repr_and_attributes_are_torchs(args, kwargs):
    t = torch()
    ours, theirs = nn.Hardtanh(*args, **kwargs), t.nn.Hardtanh(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert (ours.min_val, ours.max_val, ours.inplace) == (theirs.min_val, theirs.max_val, False)


def test_relu6_is_a_hardtanh_from_0_to_6_as_in_torch():
    t = torch()
    ours, theirs = nn.ReLU6(), t.nn.ReLU6()
    assert isinstance(ours, nn.Hardtanh) and isinstance(theirs, t.nn.Hardtanh)
    assert (repr(ours), ours.min_val, ours.max_val) == (repr(theirs), 0.0, 6.0)
    assert repr(nn.SiLU()) == repr(t.nn.SiLU())


def test_hardtanh_deprecated_spellings_warn_and_win_as_in_torch():
    t = torch()
    with pytest.warns(FutureWarning, match="deprecated and renamed"):
        ours = nn.Hardtanh(min_value=-3.0, max_value=2.0)
    with pytest.warns(FutureWarning, match="deprecated and renamed"):
        theirs = t.nn.Hardtanh(min_value=-3.0, max_value=2.0)
    assert (ours.min_val, ours.max_val) == (theirs.min_val, theirs.max_val) == (-3.0, 2.0)
    assert repr(ours) == repr(theirs)


def test_hardtanh_and_prelu_refuse_what_torch_refuses():
    t = torch()
    _raises_like_torch(lambda: nn.Hardtanh(1.0, 1.0), lambda: t.nn.Hardtanh(1.0, 1.0))
    _raises_like_torch(lambda: F.hardtanh(ag.ones(2), 2.0, 1.0),
                       lambda: t.nn.functional.hardtanh(t.ones(2), 2.0, 1.0))
    for x, w in [((2, 4), (3,)), ((3,), (3,)), ((2, 4), (2, 2))]:
        _raises_like_torch(lambda: F.prelu(ag.ones(x), ag.ones(w)),
                           lambda: t.nn.functional.prelu(t.ones(x), t.ones(w)))


@pytest.mark.parametrize("make", [lambda: F.silu(ag.ones(2), inplace=True),
                                  lambda: F.relu6(ag.ones(2), inplace=True),
                                  lambda: F.hardtanh(ag.ones(2), inplace=True),
                                  lambda: nn.SiLU(inplace=True), lambda: nn.ReLU6(True),
                                  lambda: nn.Hardtanh(inplace=True)])
def test_inplace_is_refused(make):
    with pytest.raises(ValueError, match="inplace"):
        make()


def test_prelu_module_is_torchs():
    t = torch()
    for args, kwargs in [((), {}), ((3, 0.1), {}), ((), {"init": -0.5})]:
        ours, theirs = nn.PReLU(*args, **kwargs), t.nn.PReLU(*args, **kwargs)
        assert repr(ours) == repr(theirs)
        assert (ours.num_parameters, ours.init) == (theirs.num_parameters, theirs.init)
        np.testing.assert_array_equal(ours.weight.numpy(), theirs.weight.detach().numpy())
        assert ours.weight.dtype == np.float32
    assert nn.PReLU(2, dtype=np.float64).weight.dtype == np.float64
    module = nn.PReLU(2)
    with ag.no_grad():
        module.weight.copy_(np.array([1.0, 2.0], np.float32))
    module.reset_parameters()
    np.testing.assert_array_equal(module.weight.numpy(), [0.25, 0.25])


def test_configs_rebuild_the_modules():
    for module in (nn.Hardtanh(-2.0, 0.5), nn.ReLU6(), nn.SiLU(), nn.PReLU(3, 0.1)):
        again = type(module).from_config(module.get_config())
        assert repr(again) == repr(module)


def test_normalize_and_cosine_similarity_refuse_what_torch_refuses():
    t = torch()
    tf = t.nn.functional
    for x1, x2 in [((2, 3), (4, 3)), ((2, 3, 4), (5, 4))]:
        _raises_like_torch(lambda: F.cosine_similarity(ag.ones(x1), ag.ones(x2)),
                           lambda: tf.cosine_similarity(t.ones(x1), t.ones(x2)))
    ints = np.arange(3)
    _raises_like_torch(lambda: F.cosine_similarity(ag.tensor(ints), ag.tensor(ints), dim=0),
                       lambda: tf.cosine_similarity(t.tensor(ints), t.tensor(ints), dim=0))
    for call in (lambda: F.cosine_similarity(ag.ones(3), ag.ones(3)),
                 lambda: F.normalize(ag.ones((2, 3)), dim=2)):
        with pytest.raises(IndexError, match="Dimension out of range"):
            call()
    with pytest.raises(ValueError, match="out="):
        F.normalize(ag.ones((2, 3)), out=ag.ones((2, 3)))


def test_cosine_similarity_promotes_the_dtypes_as_torch():
    t = torch()
    a, b = np.ones((2, 3), np.float32), np.full((2, 3), 2.0)
    ours = F.cosine_similarity(ag.tensor(a), ag.tensor(b))
    theirs = t.nn.functional.cosine_similarity(t.tensor(a), t.tensor(b))
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "") == "float64"
    assert F.normalize(ag.tensor(a)).dtype == np.float32
