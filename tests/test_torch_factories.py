"""``import autograd as torch``: factories, dtypes, devices and grad modes at module level,
compared with torch itself on the same calls (dtypes, shapes, values), and their errors."""

import numpy as np
import pytest

import autograd
from tests.conformance.borrowed import torch as torch_oracle


def _dtype_name(dtype) -> str:
    """``'float32'`` for ``torch.float32`` and for ``np.dtype('float32')``."""
    return str(dtype).replace("torch.", "")


def _same(ours, theirs, rtol=0.0):
    assert ours.shape == tuple(theirs.shape)
    assert _dtype_name(ours.dtype) == _dtype_name(theirs.dtype)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=rtol, atol=0)


# --- dtype names --------------------------------------------------------------------------

DTYPE_NAMES = ["float32", "float", "float64", "double", "float16", "half", "int64", "long",
               "int32", "int", "int16", "short", "int8", "uint8", "bool"]


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_dtype_names_are_torchs(name):
    torch = torch_oracle()
    ours = getattr(autograd, name)
    assert isinstance(ours, np.dtype) and ours.name == _dtype_name(getattr(torch, name))
    assert autograd.zeros(1, dtype=ours).dtype == ours


def test_dtype_names_compare_with_tensor_dtypes():
    assert autograd.float is autograd.float32 and autograd.float != np.float64  # not Python's
    assert autograd.tensor([1.0]).dtype == autograd.float32
    assert autograd.tensor([1]).dtype == autograd.long
    assert autograd.ones(2).to(autograd.double).dtype == autograd.float64
    assert autograd.ones(2).astype(autograd.int).dtype == autograd.int32


# --- dtype inference ----------------------------------------------------------------------

DATA = [1, 2.5, True, [1, 2], [1, 2.5], [True, False], [True, 2], [[1, 2], [3, 4]], [],
        np.float64(1.5), np.int32(3), np.array([1, 2], np.int16), np.array([1.0], np.float16),
        [np.float64(1.0), 2.0], [np.int32(1), 2], np.array(True)]


@pytest.mark.parametrize("data", DATA, ids=repr)
def test_tensor_infers_the_dtype_torch_does(data):
    torch = torch_oracle()
    _same(autograd.tensor(data), torch.tensor(data))
    _same(autograd.as_tensor(data), torch.as_tensor(data))


@pytest.mark.parametrize("default", ["float64", "float16"])
def test_the_default_dtype_governs_python_floats(default):
    torch = torch_oracle()
    try:
        autograd.set_default_dtype(getattr(autograd, default))
        torch.set_default_dtype(getattr(torch, default))
        assert autograd.get_default_dtype().name == _dtype_name(torch.get_default_dtype())
        for make in (lambda m: m.tensor([1.5, 2]), lambda m: m.zeros(2),
                     lambda m: m.arange(0, 1, 0.25), lambda m: m.full((2,), 0.5),
                     lambda m: m.linspace(0, 1, 3), lambda m: m.tensor([1, 2])):
            _same(make(autograd), make(torch))
    finally:
        autograd.set_default_dtype(autograd.float32)
        torch.set_default_dtype(torch.float32)


def test_set_default_dtype_refuses_what_torch_refuses():
    for bad in (autograd.int64, float, autograd.bool):
        with pytest.raises(TypeError, match="set_default_dtype"):
            autograd.set_default_dtype(bad)
    assert autograd.get_default_dtype() == autograd.float32


# --- deterministic factories: same call, same tensor ---------------------------------------

CALLS = {
    "zeros": lambda m: m.zeros(2, 3),
    "zeros tuple": lambda m: m.zeros((2, 3), dtype=m.int32),
    "zeros empty shape": lambda m: m.zeros(()),
    "ones list": lambda m: m.ones([3], dtype=m.float64),
    "empty shape": lambda m: m.zeros_like(m.empty(0, 3)),
    "full int": lambda m: m.full((2, 2), 7),
    "full float": lambda m: m.full((2,), -1.5, dtype=m.float64),
    "full bool": lambda m: m.full((3,), True),
    "full numpy float": lambda m: m.full((1,), np.float64(1.5)),  # read as a Python number
    "full numpy int": lambda m: m.full((1,), np.int32(2)),
    "zeros_like": lambda m: m.zeros_like(m.ones(2, 2, dtype=m.float64)),
    "ones_like dtype": lambda m: m.ones_like(m.ones(3), dtype=m.int64),
    "full_like truncates": lambda m: m.full_like(m.zeros(3, dtype=m.int64), -2.7),
    "full_like float": lambda m: m.full_like(m.zeros(3), 0.1),
    "arange end": lambda m: m.arange(5),
    "arange float": lambda m: m.arange(0, 1, 0.1),
    "arange negative step": lambda m: m.arange(5, -3.5, -1.5),
    "arange int dtype truncates": lambda m: m.arange(0.5, 5.7, 1.5, dtype=m.int64),
    "arange float64": lambda m: m.arange(1, 4, dtype=m.float64),
    "arange tensor bound": lambda m: m.arange(m.tensor(4)),
    "linspace": lambda m: m.linspace(0, 1, 7),
    "linspace float64": lambda m: m.linspace(-3, 11, 13, dtype=m.float64),
    "linspace int": lambda m: m.linspace(-1, 1, 5, dtype=m.int32),
    "linspace one": lambda m: m.linspace(2, 5, 1),
    "linspace none": lambda m: m.linspace(2, 5, 0),
    "logspace": lambda m: m.logspace(0, 3, 4),
    "logspace base": lambda m: m.logspace(-1, 2, 5, base=2.0, dtype=m.float64),
    "logspace int": lambda m: m.logspace(0, 3, 4, dtype=m.int64),
    "eye": lambda m: m.eye(3),
    "eye rectangle": lambda m: m.eye(2, 4, dtype=m.int64),
    "from_numpy": lambda m: m.from_numpy(np.arange(6, dtype=np.int16).reshape(2, 3)),
    "tensor device": lambda m: m.tensor([1.0, 2.0], device="cpu"),
    "zeros device object": lambda m: m.zeros(2, device=m.device("cpu")),
    "cat": lambda m: m.cat([m.ones(2, 1), m.zeros(2, 2)], dim=1),
    "concat": lambda m: m.concat([m.ones(1, 2), m.zeros(1, 2)]),
    "stack": lambda m: m.stack([m.ones(2), m.zeros(2)], dim=1),
    "mm": lambda m: m.mm(m.arange(6.0).reshape(2, 3), m.arange(12.0).reshape(3, 4)),
    "bmm": lambda m: m.bmm(m.arange(12.0).reshape(2, 2, 3), m.arange(24.0).reshape(2, 3, 4)),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_factories_give_torchs_tensor(name):
    torch = torch_oracle()
    ours, theirs = CALLS[name](autograd), CALLS[name](torch)
    # linspace and logspace: torch computes in the output's precision; one rounding apart
    rtol = 1e-6 if name.startswith(("linspace", "logspace")) else 0.0
    _same(ours, theirs, rtol=rtol)


def test_requires_grad_as_torch():
    for make in (lambda: autograd.tensor([1.0], requires_grad=True),
                 lambda: autograd.zeros(2, requires_grad=True),
                 lambda: autograd.full((1,), 2.0, requires_grad=True),
                 lambda: autograd.linspace(0, 1, 3, requires_grad=True),
                 lambda: autograd.randn(2, requires_grad=True)):
        t = make()
        assert t.requires_grad and t.grad is None and t.grad_fn is None
    with pytest.raises(TypeError, match="floating-point"):
        autograd.arange(3, requires_grad=True)  # int64, as torch's RuntimeError says


def test_from_numpy_shares_memory_and_keeps_the_dtype():
    array = np.arange(3, dtype=np.int32)
    t = autograd.from_numpy(array)
    array[0] = 9
    assert t.tolist() == [9, 1, 2] and t.dtype == autograd.int32
    with pytest.raises(TypeError, match="from_numpy: expected np.ndarray"):
        autograd.from_numpy([1, 2])


def test_module_functions():
    torch = torch_oracle()
    x = autograd.zeros(2, 3)
    assert autograd.numel(x) == torch.numel(torch.zeros(2, 3)) == 6
    assert autograd.is_tensor(x) and not autograd.is_tensor(np.zeros(2))
    with pytest.raises(RuntimeError, match="mm: mat1 and mat2 shapes"):
        autograd.mm(autograd.ones(2, 3), autograd.ones(2, 3))
    with pytest.raises(RuntimeError, match="mm: both arguments must be 2-D"):
        autograd.mm(autograd.ones(3), autograd.ones(3))
    with pytest.raises(RuntimeError, match="bmm: expected shapes"):
        autograd.bmm(autograd.ones(2, 2, 3), autograd.ones(3, 3, 4))


# --- errors where torch raises ---------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda m: m.zeros(-1), RuntimeError, "non-negative"),
    (lambda m: m.arange(0, 1, 0), RuntimeError, "step must be nonzero"),
    (lambda m: m.arange(0, 1, -1), RuntimeError, "inconsistent with step sign"),
    (lambda m: m.arange(0, 2.5, 0.5, dtype=m.int64), RuntimeError, "step must be nonzero"),
    (lambda m: m.linspace(0, 1, -1), RuntimeError, "non-negative"),
    (lambda m: m.randint(5, 5, (2,)), RuntimeError, "from.*to"),
    (lambda m: m.randint(10, 5), TypeError, "size"),
    (lambda m: m.randint(5, size=(3,), low=1), TypeError, "low was given twice"),
    (lambda m: m.full(2, 1.0), TypeError, "size"),
    (lambda m: m.zeros_like([1.0]), TypeError, "must be Tensor"),
    (lambda m: m.rand_like(m.zeros(2, dtype=m.int64)), RuntimeError, "floating-point"),
    (lambda m: m.tensor([1.0], m.float64), TypeError, "positional"),
], ids=["zeros(-1)", "arange step 0", "arange sign", "arange int step", "linspace steps",
        "randint bounds", "randint size", "randint low twice", "full size", "zeros_like list",
        "rand_like int", "tensor dtype positional"])
def test_refused_where_torch_refuses(call, error, message):
    torch = torch_oracle()
    with pytest.raises(error, match=message):
        call(autograd)
    with pytest.raises((RuntimeError, TypeError, ValueError)):  # torch's type varies by path
        call(torch)


@pytest.mark.parametrize("call", [
    lambda m: m.tensor([1.0], device="cuda"), lambda m: m.zeros(2, device="cuda:0"),
    lambda m: m.ones(2, device=m.device("cuda")), lambda m: m.arange(3, device="mps"),
    lambda m: m.randn(2, device="cuda"), lambda m: m.eye(2, device="cuda"),
    lambda m: m.zeros_like(m.ones(1), device="cuda"), lambda m: m.ones(2).to("cuda"),
    lambda m: m.ones(2).to("cuda", m.float64),
], ids=["tensor", "zeros", "ones", "arange", "randn", "eye", "zeros_like", "to", "to dtype"])
def test_other_devices_are_refused_with_the_reason(call):
    with pytest.raises(RuntimeError, match="numpy on the CPU"):
        call(autograd)


@pytest.mark.parametrize("option", [dict(out=autograd.zeros(2)), dict(pin_memory=True),
                                    dict(layout="sparse_coo")], ids=str)
def test_unsupported_options_are_refused_not_ignored(option):
    with pytest.raises(ValueError, match="empty: "):
        autograd.empty(2, **option)


def test_devices_and_to_as_torch():
    torch = torch_oracle()
    assert repr(autograd.device("cpu")) == repr(torch.device("cpu"))
    assert str(autograd.device("cpu:0")) == str(torch.device("cpu:0"))
    assert autograd.device("cpu") == autograd.device("cpu") != "cpu"
    assert autograd.cuda.is_available() is False and autograd.cuda.device_count() == 0
    autograd.cuda.manual_seed_all(0)  # seeding boilerplate runs, as torch's without a GPU
    assert torch.cuda.manual_seed_all(0) is autograd.cuda.manual_seed(0) is None
    chosen = autograd.device("cuda" if autograd.cuda.is_available() else "cpu")
    x = autograd.tensor([1.5, -2.0], device=chosen)
    assert x.device == chosen and x.cpu() is x and x.to(chosen) is x and x.to(None) is x
    other = autograd.ones(1, dtype=autograd.int8)
    for args, kwargs in [(("cpu", autograd.float64), {}), ((autograd.int32,), {}),
                         ((), {"dtype": autograd.float64}), ((other,), {}),
                         ((autograd.float32,), {"copy": True})]:
        ours = x.to(*args, **kwargs)
        theirs_args = [torch.ones(1, dtype=torch.int8) if isinstance(a, autograd.Tensor) else
                       (getattr(torch, a.name) if isinstance(a, np.dtype) else a) for a in args]
        theirs_kwargs = {k: getattr(torch, v.name) if isinstance(v, np.dtype) else v
                         for k, v in kwargs.items()}
        _same(ours, torch.tensor([1.5, -2.0]).to(*theirs_args, **theirs_kwargs))
    assert x.to(autograd.float32, copy=True) is not x


# --- random factories ---------------------------------------------------------------------

def test_random_factories_shapes_dtypes_ranges_and_moments():
    torch = torch_oracle()
    autograd.manual_seed(0)
    n = 200_000
    for name, call in [("rand", lambda m: m.rand(n)), ("randn", lambda m: m.randn(n)),
                       ("rand_like", lambda m: m.rand_like(m.zeros(n, dtype=m.float64))),
                       ("randn_like", lambda m: m.randn_like(m.zeros(n))),
                       ("randint", lambda m: m.randint(-3, 7, (n,))),
                       ("randint high", lambda m: m.randint(4, size=(n,), dtype=m.float32)),
                       ("randint keywords", lambda m: m.randint(low=-2, high=3, size=(n,))),
                       ("randint high keyword", lambda m: m.randint(1, high=3, size=(n,)))]:
        ours, theirs = call(autograd), call(torch)
        assert ours.shape == tuple(theirs.shape), name
        assert _dtype_name(ours.dtype) == _dtype_name(theirs.dtype), name
        a, b = ours.numpy().astype(np.float64), theirs.numpy().astype(np.float64)
        assert np.isclose(a.mean(), b.mean(), atol=0.02), name
        assert np.isclose(a.std(), b.std(), rtol=0.02), name
        if name.startswith("randint"):
            assert set(np.unique(a)) == set(np.unique(b)), name
        elif name.startswith("rand_") or name == "rand":
            assert 0 <= a.min() and a.max() < 1, name
    perm = autograd.randperm(50)
    assert perm.dtype == autograd.int64 and sorted(perm.tolist()) == list(range(50))
    assert autograd.randperm(0).shape == (0,) and autograd.rand(2, 0, 3).shape == (2, 0, 3)


def test_manual_seed_and_generators_repeat_draws():
    autograd.manual_seed(3)
    first = [autograd.rand(4), autograd.randint(0, 100, (4,)), autograd.randperm(6)]
    autograd.manual_seed(3)
    again = [autograd.rand(4), autograd.randint(0, 100, (4,)), autograd.randperm(6)]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    g1, g2 = np.random.default_rng(5), np.random.default_rng(5)
    np.testing.assert_array_equal(autograd.randn(3, generator=g1).numpy(),
                                  autograd.randn(3, generator=g2).numpy())
    with pytest.raises(TypeError, match="generator must be an autograd.Generator"):
        autograd.rand(2, generator=5)


def test_generator_as_torch():
    torch = torch_oracle()
    for lib in (autograd, torch):
        g = lib.Generator()
        assert g.initial_seed() == 67280421310721  # torch's fixed starting seed
        first = lib.rand(4, generator=g).numpy()
        assert np.array_equal(lib.rand(4, generator=lib.Generator()).numpy(), first)
        assert g.manual_seed(5) is g and g.initial_seed() == 5
        again = lib.randint(0, 10, (6,), generator=g).numpy()
        assert np.array_equal(lib.randint(0, 10, (6,), generator=g.manual_seed(5)).numpy(), again)
        chosen = g.seed()
        assert g.initial_seed() == chosen and str(g.device) == "cpu"
    with pytest.raises(RuntimeError, match="numpy on the CPU"):
        autograd.Generator("cuda")


# --- grad modes ----------------------------------------------------------------------------

def test_grad_modes_as_torch():
    torch = torch_oracle()
    for lib in (autograd, torch):
        states = []
        x = lib.ones(2, requires_grad=True)
        with lib.inference_mode():
            states.append(lib.is_grad_enabled())
            states.append((x * 2).requires_grad)
            with lib.inference_mode(False):
                states.append(lib.is_grad_enabled())
        with lib.no_grad():
            with lib.enable_grad():
                states.append((x * 2).requires_grad)
            with lib.inference_mode(mode=False):
                states.append(lib.is_grad_enabled())

        @lib.inference_mode
        def bare():
            return lib.is_grad_enabled()

        @lib.inference_mode()
        def called():
            return lib.is_grad_enabled()

        with lib.set_grad_enabled(False):
            states.append(lib.is_grad_enabled())
        states += [bare(), called(), lib.is_grad_enabled()]
        if lib is autograd:
            ours = states
    assert ours == states == [False, False, True, True, True, False, False, False, True]
