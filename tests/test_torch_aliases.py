"""PyTorch's names beside numpy's: each alias gives the values and gradients of its numpy-named
counterpart, and naming one argument twice (``axis`` and ``dim``) is refused."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

DATA = np.arange(1.0, 25.0).reshape(2, 3, 4) / 7.0


def _leaf():
    return ag.tensor(DATA, requires_grad=True)


def assert_same(numpy_named, torch_named, data=DATA):
    """Both functions of a leaf give the same value and the same gradient."""
    results = []
    for f in (numpy_named, torch_named):
        x = ag.tensor(data, requires_grad=True)
        out = f(x)
        if out.requires_grad:
            (out * ag.tensor(np.cos(np.arange(out.numel())).reshape(out.shape))).sum().backward()
        results.append((out.numpy(), None if x.grad is None else x.grad.numpy()))
    (v1, g1), (v2, g2) = results
    assert v1.shape == v2.shape and v1.dtype == v2.dtype
    np.testing.assert_array_equal(v1, v2)
    if g1 is None:
        assert g2 is None
    else:
        np.testing.assert_array_equal(g1, g2)


# --- dim= and keepdim= -------------------------------------------------------------------------

REDUCTIONS = ["sum", "mean", "var", "std", "logsumexp"]


@pytest.mark.parametrize("name", REDUCTIONS + ["argmax", "argmin"])
@pytest.mark.parametrize("axis", [0, -1, (0, 2)])
@pytest.mark.parametrize("keep", [False, True])
def test_reductions_take_dim_and_keepdim(name, axis, keep):
    if name in ("argmax", "argmin") and isinstance(axis, tuple):
        axis = 1  # numpy's argmax takes one axis
    method = lambda kw: (lambda x: getattr(x, name)(**kw))
    function = lambda kw: (lambda x: getattr(ag, name)(x, **kw))
    reference = method({"axis": axis, "keepdims": keep})
    assert_same(reference, method({"dim": axis, "keepdim": keep}))
    assert_same(reference, function({"dim": axis, "keepdim": keep}))
    assert_same(reference, method({"dim": axis, "keepdims": keep}))
    assert_same(reference, method({"axis": axis, "keepdim": keep}))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_family_takes_dim(name, axis):
    reference = lambda x: getattr(x, name)(axis=axis)
    assert_same(reference, lambda x: getattr(x, name)(dim=axis))
    assert_same(reference, lambda x: getattr(ag, name)(x, dim=axis))


def test_joining_squeezing_and_cat_take_dim():
    other = ag.tensor(DATA[:, :, :2])
    assert ag.cat is ag.concatenate
    assert_same(lambda x: ag.concatenate([x, other], axis=2), lambda x: ag.cat([x, other], dim=2))
    assert_same(lambda x: ag.concatenate([x, x], axis=0), lambda x: ag.cat([x, x], 0))
    assert_same(lambda x: ag.stack([x, x * 2], axis=1), lambda x: ag.stack([x, x * 2], dim=1))
    assert_same(lambda x: x.unsqueeze(1), lambda x: x.unsqueeze(dim=1))
    assert_same(lambda x: ag.unsqueeze(x, -1), lambda x: ag.unsqueeze(x, dim=-1))
    col = DATA[:, :1, :]
    assert_same(lambda x: x.squeeze(1), lambda x: x.squeeze(dim=1), data=col)
    assert_same(lambda x: ag.squeeze(x, axis=1), lambda x: ag.squeeze(x, dim=1), data=col)


def test_reduction_without_dim_is_unchanged():
    x = _leaf()
    assert x.sum(dim=None).shape == () and x.mean(keepdim=None).shape == ()
    assert x.sum(1, True).shape == (2, 1, 4)  # positional arguments are numpy's


def test_max_with_dim_gives_values_and_indices_as_torch_does():
    x = ag.tensor(DATA)
    values, indices = x.max(dim=1)
    assert isinstance(values, Tensor) and values.shape == (2, 4)
    assert x.max(1).values is not None and x.max(axis=1).indices.dtype == np.int64
    np.testing.assert_array_equal(indices.numpy(), DATA.argmax(axis=1))
    np.testing.assert_array_equal(x.argmax(dim=1).numpy(), DATA.argmax(axis=1))
    for name in ("max", "min"):
        assert_same(lambda x: getattr(x, name)(1)[0], lambda x: getattr(x, name)(axis=1)[0])
        assert_same(lambda x: getattr(x, name)(1, True)[0],
                    lambda x: getattr(ag, name)(x, dim=1, keepdims=True)[0])


@pytest.mark.parametrize("call", [
    lambda x: x.sum(axis=0, dim=1),
    lambda x: x.mean(axis=1, dim=1),
    lambda x: x.var(0, axis=0),
    lambda x: x.std(axis=0, dim=1),
    lambda x: x.max(axis=0, dim=0),
    lambda x: x.min(axis=(0, 1), dim=0),
    lambda x: x.logsumexp(axis=2, dim=2),
    lambda x: x.argmax(axis=0, dim=0),
    lambda x: x.argmin(axis=0, dim=1),
    lambda x: x.softmax(axis=0, dim=1),
    lambda x: x.log_softmax(axis=1, dim=1),
    lambda x: x.unsqueeze(0, axis=0),
    lambda x: x.sum(axis=0).squeeze(axis=0, dim=0),
    lambda x: ag.sum(x, axis=0, dim=0),
    lambda x: ag.softmax(x, axis=0, dim=0),
    lambda x: ag.concatenate([x, x], axis=1, dim=1),
    lambda x: ag.cat([x, x], axis=2, dim=1),
    lambda x: ag.stack([x, x], axis=1, dim=1),
])
def test_axis_and_dim_together_are_refused(call):
    with pytest.raises(TypeError, match="both axis=.* and dim=.*give one"):
        call(_leaf())


@pytest.mark.parametrize("name", REDUCTIONS + ["argmax", "argmin"])
def test_keepdims_and_keepdim_together_are_refused(name):
    with pytest.raises(TypeError, match=f"{name}: got both keepdims=True and keepdim=True"):
        getattr(_leaf(), name)(axis=0, keepdims=True, keepdim=True)
    with pytest.raises(TypeError, match="give one"):
        getattr(ag, name)(_leaf(), keepdims=True, keepdim=True)


def test_unsqueeze_needs_a_position():
    with pytest.raises(TypeError, match=r"unsqueeze: give the position .* shape \(2, 3, 4\)"):
        _leaf().unsqueeze()


# --- methods under PyTorch's names -------------------------------------------------------------

def test_permute_is_transpose():
    assert_same(lambda x: x.transpose(0, 2), lambda x: x.permute(2, 1, 0))
    assert_same(lambda x: x.transpose(-1, 1), lambda x: x.permute((0, 2, 1)))
    assert_same(lambda x: x.swapaxes(0, 1), lambda x: x.permute([1, 0, -1]))
    assert_same(lambda x: ag.transpose(x, 0, 2), lambda x: ag.permute(x, (2, 1, 0)))


@pytest.mark.parametrize("dims, message", [
    ((), r"permute: dims \(\) must list each of the 3 axes .*\(2, 3, 4\)"),
    ((0, 1), r"permute: dims \(0, 1\) must list each of the 3 axes"),
    ((0, 1, 1), "permute: .*repeated axis"),
    ((0, 1, 5), r"permute: .*out of bounds.*shape \(2, 3, 4\)"),
])
def test_permute_errors_name_the_dims_and_shape(dims, message):
    with pytest.raises(ValueError, match=message):
        _leaf().permute(*dims)


def test_view_is_reshape():
    assert_same(lambda x: x.reshape(6, 4), lambda x: x.view(6, 4))
    assert_same(lambda x: x.reshape((4, -1)), lambda x: x.view((4, -1)))
    assert_same(lambda x: x.reshape(-1), lambda x: x.view(-1))


def test_dim_is_ndim():
    assert ag.tensor(1.0).dim() == 0
    assert _leaf().dim() == 3 == _leaf().ndim


def test_clamp_is_clip():
    assert_same(lambda x: x.clip(0.5, 2.0), lambda x: x.clamp(0.5, 2.0))
    assert_same(lambda x: x.clip(min=1.0), lambda x: x.clamp(min=1.0))
    assert_same(lambda x: x.clip(max=1.0), lambda x: x.clamp(max=1.0))
    assert_same(lambda x: ag.clip(x, 0.5, 2.0), lambda x: ag.clamp(x, min=0.5, max=2.0))
    a = ag.Scalar(3.0)
    assert ag.clamp(a, max=1.0).data == 1.0  # the function also takes Scalars, as clip does


def test_clamp_without_bounds_is_refused():
    with pytest.raises(ValueError, match="clamp: both min and max are None"):
        _leaf().clamp()
    with pytest.raises(ValueError, match="clamp: both min and max are None"):
        ag.clamp(_leaf(), None, None)


@pytest.mark.parametrize("target, dtype", [
    (np.float64, np.float64), ("float64", np.float64), (np.dtype("float32"), np.float32),
    (float, np.float64), (int, np.int64), ("int32", np.int32), (bool, np.bool_),
])
def test_to_is_astype(target, dtype):
    assert_same(lambda x: x.astype(dtype), lambda x: x.to(target))
    assert _leaf().to(target).dtype == dtype


def test_float_and_double():
    assert_same(lambda x: x.astype(np.float32), lambda x: x.float())
    assert_same(lambda x: x.astype(np.float64), lambda x: x.double())
    x = ag.tensor(DATA, dtype=np.float32)
    assert x.float() is x  # like PyTorch: no copy when the dtype is already right
    assert ag.arange(3).float().dtype == np.float32 and ag.arange(3).double().dtype == np.float64


@pytest.mark.parametrize("target", ["complex64", object])  # to(None), to("cpu"): the tensor
def test_to_refuses_what_is_not_a_tensor_dtype(target):
    with pytest.raises(TypeError, match="to: "):
        _leaf().to(target)


# --- float(t), int(t), bool(t) ---------------------------------------------------------------

@pytest.mark.parametrize("shape", [(), (1,), (1, 1)])
def test_python_numbers_from_one_element_tensors(shape):
    t = ag.tensor(np.full(shape, 2.75))
    assert float(t) == 2.75 and type(float(t)) is float
    assert int(t) == 2 and type(int(t)) is int
    assert bool(t) is True and bool(ag.tensor(np.zeros(shape))) is False
    assert int(ag.tensor(np.full(shape, 7))) == 7
    assert float(ag.tensor(np.full(shape, -3.5), requires_grad=True) * 2) == -7.0


@pytest.mark.parametrize("convert", [float, int])
def test_number_conversion_of_several_elements_names_the_shape(convert):
    with pytest.raises(ValueError, match=rf"{convert.__name__}\(\): .*shape \(2,\) \(2 elements\)"):
        convert(ag.tensor([1.0, 2.0]))


def test_truth_value_of_several_elements_is_ambiguous():
    with pytest.raises(ValueError, match=r"bool\(\): .*2 elements \(shape \(2,\)\) is ambiguous"):
        bool(ag.tensor([1.0, 2.0]))


def test_T_warns_as_torch_does_beyond_2d_and_on_0d():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ag.zeros(2, 3).T.shape == (3, 2)  # no warning on a matrix
    with pytest.warns(UserWarning, match="x.T` on tensors of dimension other than 2"):
        assert ag.zeros(2, 3, 4).T.shape == (4, 3, 2)
    with pytest.warns(UserWarning, match="deprecated on 0-D tensors"):
        assert ag.tensor(1.0).T.shape == ()
