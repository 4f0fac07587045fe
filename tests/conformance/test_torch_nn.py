"""``nn.X`` against ``torch.nn.X``: signatures, state-dict names, ``repr``, and, with the same
weights, the same outputs and gradients (inputs and weights) in float64, in training and in
evaluation mode; BatchNorm's running statistics; the initial weights' distributions."""

import inspect

import numpy as np
import pytest

import autograd as ag
import nn
from tests.conformance.borrowed import signature_differences, torch
from tests.conformance.torch_nn import ENTRIES, IGNORE, LOSS_MODULES


def _kinds(function, ignore):
    return [(name, p.kind) for name, p in inspect.signature(function).parameters.items()
            if name not in ("self", "cls") and name not in ignore]


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_torch(entry):
    ours, theirs = entry.our_object(), entry.their_object()
    ignore = IGNORE.get(entry.ours, ())
    theirs_init = theirs.__new__ if entry.ours == "nn.Parameter" else theirs.__init__
    their_parameters = list(inspect.signature(theirs_init).parameters.values())[1:]

    def theirs_signature():
        """Stands for torch's constructor (its __new__ for Parameter)."""

    theirs_signature.__signature__ = inspect.Signature(their_parameters)
    assert signature_differences(ours.__init__, theirs_signature, ignore) == []
    # Keyword-only markers too: BatchNorm1d(4, 1e-5, 0.1, True, True, None, None, bias=...)
    assert _kinds(ours.__init__, ignore) == _kinds(theirs_signature, ignore)


# name, constructor arguments, constructor keywords, inputs (a shape: float64 normal values;
# ("int", shape, high): integer indices)
CASES = [
    ("Identity", (), {}, [(3, 4)]),
    ("Linear", (5, 3), {}, [(2, 4, 5)]),
    ("Linear", (5, 3), {"bias": False}, [(4, 5)]),
    ("Linear", (3, 3), {}, [(3,)]),
    ("Bilinear", (3, 4, 2), {}, [(5, 3), (5, 4)]),
    ("Bilinear", (3, 4, 2), {"bias": False}, [(2, 5, 3), (2, 5, 4)]),
    ("Conv2d", (4, 6, 3), {"stride": 2, "padding": 1}, [(2, 4, 7, 6)]),
    ("Conv2d", (4, 6, (3, 2)), {"padding": "same", "dilation": 2}, [(2, 4, 7, 6)]),
    ("Conv2d", (4, 6, 3), {"padding": "valid", "bias": False}, [(4, 7, 6)]),
    ("Conv2d", (4, 6, 3), {"groups": 2, "stride": (2, 1), "padding": (2, 0)}, [(2, 4, 7, 6)]),
    ("Conv2d", (4, 2, 3), {"padding": 1, "padding_mode": "reflect"}, [(2, 4, 5, 6)]),
    ("Conv2d", (4, 2, 3), {"padding": (1, 2), "padding_mode": "replicate"}, [(2, 4, 5, 6)]),
    ("Conv2d", (4, 2, 3), {"padding": "same", "padding_mode": "circular"}, [(2, 4, 5, 6)]),
    ("MaxPool2d", (3,), {}, [(2, 3, 7, 6)]),
    ("MaxPool2d", (3, 2, 1), {"ceil_mode": True}, [(2, 3, 7, 6)]),
    ("MaxPool2d", ((2, 3),), {"stride": (1, 2)}, [(3, 7, 6)]),
    ("MaxPool2d", (3,), {"stride": 1, "padding": 1, "dilation": (2, 1)}, [(2, 3, 7, 6)]),
    ("AvgPool2d", (2,), {}, [(2, 3, 7, 6)]),
    ("AvgPool2d", (3, 2, 1), {"ceil_mode": True, "count_include_pad": False}, [(2, 3, 7, 6)]),
    ("AvgPool2d", (3, 2, 1), {"ceil_mode": True}, [(2, 3, 8, 6)]),
    ("AvgPool2d", ((3, 2),), {"divisor_override": 5}, [(3, 7, 6)]),
    ("AdaptiveAvgPool2d", ((3, None),), {}, [(2, 3, 7, 6)]),
    ("AdaptiveAvgPool2d", (4,), {}, [(2, 3, 7, 6)]),
    ("BatchNorm1d", (4,), {}, [(6, 4)]),
    ("BatchNorm1d", (4,), {"momentum": None}, [(6, 4, 5)]),
    ("BatchNorm1d", (4,), {"affine": False, "eps": 1e-3}, [(6, 4)]),
    ("BatchNorm1d", (4,), {"track_running_stats": False}, [(6, 4)]),
    ("BatchNorm1d", (4,), {"bias": False}, [(6, 4)]),
    ("BatchNorm2d", (3,), {"momentum": 0.3}, [(4, 3, 5, 5)]),
    ("SyncBatchNorm", (4,), {}, [(6, 4)]),
    ("SyncBatchNorm", (3,), {"momentum": None, "bias": False}, [(4, 3, 5, 2)]),
    ("SyncBatchNorm", (3,), {"affine": False, "eps": 1e-3}, [(2, 3, 2, 3, 2)]),
    ("SyncBatchNorm", (4,), {"track_running_stats": False}, [(6, 4, 3)]),
    ("LayerNorm", ((4, 5),), {}, [(3, 2, 4, 5)]),
    ("LayerNorm", (5,), {"elementwise_affine": False}, [(3, 5)]),
    ("LayerNorm", (5,), {"bias": False, "eps": 0.1}, [(3, 5)]),
    ("Dropout", (), {}, [(3, 4)]),
    ("Flatten", (), {}, [(2, 3, 4, 5)]),
    ("Flatten", (0, 1), {}, [(2, 3, 4, 5)]),
    ("Flatten", (1, -2), {}, [(2, 3, 4, 5)]),
    ("Unflatten", (1, (2, -1)), {}, [(3, 6, 2)]),
    ("Softmax", (), {"dim": 1}, [(3, 4, 2)]),
    ("Softmax", (), {}, [(3, 4, 2)]),
    ("LogSoftmax", (), {"dim": -1}, [(3, 4)]),
    ("LogSoftmax", (), {}, [(2, 3, 4, 5)]),
    ("LeakyReLU", (), {}, [(3, 4)]),
    ("LeakyReLU", (0.2,), {}, [(3, 4)]),
    ("ReLU", (), {}, [(3, 4)]),
    ("GELU", (), {}, [(3, 4)]),
    ("GELU", (), {"approximate": "tanh"}, [(3, 4)]),
    ("ELU", (), {}, [(3, 4)]),
    ("ELU", (0.5,), {}, [(3, 4)]),
    ("Softplus", (), {}, [(3, 4)]),
    ("Softplus", (2.0, 3.0), {}, [(3, 4)]),
    ("Tanh", (), {}, [(3, 4)]),
    ("SiLU", (), {}, [(3, 4)]),
    ("Hardtanh", (), {}, [(3, 4)]),
    ("Hardtanh", (-2.0, 0.5), {}, [(3, 4)]),
    ("ReLU6", (), {}, [(3, 4)]),
    ("PReLU", (), {}, [(3, 4)]),
    ("PReLU", (4, 0.1), {}, [(3, 4, 5)]),
    ("PReLU", (3,), {}, [(2, 3, 4, 5)]),
    ("Sigmoid", (), {}, [(3, 4)]),
    ("Embedding", (10, 3), {}, [("int", (4, 5), 10)]),
    ("Embedding", (10, 3), {"padding_idx": 2}, [("int", (4, 5), 10)]),
    ("Embedding", (10, 3), {"padding_idx": -1, "max_norm": 1.5}, [("int", (4, 5), 10)]),
    ("Embedding", (10, 3), {"max_norm": 1.0, "norm_type": 1.0}, [("int", (6,), 10)]),
]
# Modules that are tested on their own below (random masks, containers).
SEPARATE = {"nn.Dropout", "nn.ModuleList", "nn.ModuleDict", "nn.ParameterList", "nn.Module",
            "nn.Parameter", *(f"nn.{name}" for name in LOSS_MODULES)}


def test_every_entry_has_a_case():
    named = {f"nn.{name}" for name, *_ in CASES} | SEPARATE
    assert [e.ours for e in ENTRIES if e.ours not in named] == []


def _makes(name, args, kwargs, dtype=np.float64):
    t = torch()
    cls, theirs_cls = getattr(nn, name), getattr(t.nn, name)
    extra_ours, extra_theirs = {}, {}
    if "dtype" in inspect.signature(cls.__init__).parameters:
        extra_ours = {"dtype": dtype}
        extra_theirs = {"dtype": getattr(t, np.dtype(dtype).name)}
    return cls(*args, **kwargs, **extra_ours), theirs_cls(*args, **kwargs, **extra_theirs)


def _inputs(specs, rng, dtype=np.float64):
    arrays = []
    for spec in specs:
        if spec[0] == "int":
            arrays.append(rng.integers(0, spec[2], size=spec[1]))
        else:
            arrays.append((rng.normal(size=spec) * 2.0).astype(dtype))
    return arrays


def _state(theirs, rng):
    """Random weights for every float entry of torch's state dict (variances positive)."""
    t = torch()
    state = {}
    for key, value in theirs.state_dict().items():
        if value.dtype.is_floating_point:
            values = rng.normal(size=tuple(value.shape))
            values = np.abs(values) + 0.5 if "var" in key else values
            state[key] = t.from_numpy(values.astype(str(value.dtype).replace("torch.", "")))
        else:
            state[key] = value.clone() + 3
    return state


def _compare(a, b, what, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol, err_msg=what)


@pytest.mark.filterwarnings("ignore:Implicit dimension choice")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}{c[1]}{c[2]}")
def test_module_matches_torch(case, dtype):
    """float64 to rtol 1e-10; float32 (the default dtype) to about 1e-5, in float32 throughout."""
    t = torch()
    name, args, kwargs, specs = case
    tolerance = {} if dtype == np.float64 else {"rtol": 2e-5, "atol": 2e-5}
    ours, theirs = _makes(name, args, kwargs, dtype)
    assert repr(ours) == repr(theirs)
    # The same state-dict names, in the same order, with the same shapes and dtypes.
    theirs_state = theirs.state_dict()
    assert list(ours.state_dict()) == list(theirs_state)
    for key, value in ours.state_dict().items():
        assert value.shape == tuple(theirs_state[key].shape), key
        assert str(value.dtype) == str(theirs_state[key].dtype).replace("torch.", ""), key
    rng = np.random.default_rng(7)
    theirs.load_state_dict(_state(theirs, rng))
    ours.load_state_dict(theirs.state_dict())  # torch's tensors load as they are
    modes = ("eval",) if name == "Dropout" else ("train", "eval", "train")
    for mode in modes:
        ours.train(mode == "train")
        theirs.train(mode == "train")
        arrays = _inputs(specs, rng, dtype)
        ours_in = [ag.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
        theirs_in = [t.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
        y_ours, y_theirs = ours(*ours_in), theirs(*theirs_in)
        assert str(y_ours.dtype) == str(y_theirs.dtype).replace("torch.", "")
        _compare(y_ours.numpy(), y_theirs.detach().numpy(), f"{mode} output", **tolerance)
        upstream = rng.normal(size=tuple(y_theirs.shape)).astype(dtype)
        (y_ours * ag.tensor(upstream)).sum().backward()
        (y_theirs * t.from_numpy(upstream)).sum().backward()
        for i, (a, b) in enumerate(zip(ours_in, theirs_in)):
            if b.requires_grad:
                _compare(a.grad.numpy(), b.grad.numpy(), f"{mode} gradient of input {i}",
                         **tolerance)
        for (key, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
            _compare(p.grad.numpy(), q.grad.numpy(), f"{mode} gradient of {key}", **tolerance)
            p.grad, q.grad = None, None
        for key, value in theirs.state_dict().items():
            _compare(ours.state_dict()[key], value.numpy(), f"{mode}: {key} after the step",
                     **tolerance)


def test_batch_norm_running_statistics_over_training_steps():
    t = torch()
    for momentum in (0.1, None, 0.5):
        ours, theirs = _makes("BatchNorm2d", (3,), {"momentum": momentum})
        rng = np.random.default_rng(1)
        for _ in range(4):
            x = rng.normal(size=(5, 3, 4, 2)) * 3 + 1
            ours(ag.tensor(x))
            theirs(t.from_numpy(x))
        for key, value in theirs.state_dict().items():
            _compare(ours.state_dict()[key], value.numpy(), f"momentum={momentum}: {key}")
        assert int(ours.num_batches_tracked.numpy()) == 4
        x = rng.normal(size=(2, 3, 4, 2))
        _compare(ours.eval()(ag.tensor(x)).numpy(),
                 theirs.eval()(t.from_numpy(x)).detach().numpy(), "eval output")


def test_a_single_example_per_channel_is_refused_in_training_as_in_torch():
    ours = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        ours(ag.ones((1, 3)))
    assert ours.eval()(ag.ones((1, 3))).shape == (1, 3)


def test_dropout_zeroes_with_probability_p_and_scales_the_rest():
    x = ag.tensor(np.random.default_rng(0).normal(size=(200, 100)) + 5.0, requires_grad=True)
    drop = nn.Dropout(p=0.3)
    assert drop.training
    y = drop(x)
    kept = y.numpy() != 0
    assert abs(kept.mean() - 0.7) < 0.01
    _compare(y.numpy()[kept], x.numpy()[kept] / 0.7, "kept values")
    y.sum().backward()
    _compare(x.grad.numpy(), kept / 0.7, "gradient")
    assert drop.eval()(x) is x
    assert np.array_equal(nn.Dropout(p=1.0)(x).numpy(), np.zeros(x.shape))
    assert nn.Dropout(p=0.0)(x) is x


@pytest.mark.parametrize("make", [
    lambda: nn.Dropout(p=1.5), lambda: nn.Dropout(inplace=True), lambda: nn.ReLU(inplace=True),
    lambda: nn.MaxPool2d(2, dilation=0),
    lambda: nn.Embedding(3, 2, sparse=True), lambda: nn.Linear(2, 3, device="cuda"),
    lambda: nn.Conv2d(2, 3, 3, padding_mode="mirror"),
    lambda: nn.Conv2d(2, 3, 3, stride=2, padding="same")])
def test_unsupported_settings_are_refused(make):
    with pytest.raises(ValueError):
        make()


@pytest.mark.parametrize("name, args, fan_in", [
    ("Linear", (400, 300), 400), ("Conv2d", (16, 300, 5), 400), ("Bilinear", (400, 3, 300), 400)])
def test_initial_weights_have_torchs_distribution(name, args, fan_in):
    t = torch()
    ours, theirs = getattr(nn, name)(*args), getattr(t.nn, name)(*args)
    bound = 1 / np.sqrt(fan_in)
    for (key, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        a, b = p.numpy().ravel(), q.detach().numpy().ravel()
        assert p.dtype == np.float32 and a.shape == b.shape, key
        assert np.abs(a).max() <= bound and np.abs(b).max() <= bound, key
        if a.size > 10000:
            assert abs(a.std() - b.std()) < 0.02 * bound and abs(a.mean()) < 0.02 * bound, key


def test_embedding_starts_standard_normal_with_a_zero_padding_row():
    t = torch()
    ours, theirs = nn.Embedding(5000, 20, padding_idx=3), t.nn.Embedding(5000, 20, padding_idx=3)
    a, b = ours.weight.numpy(), theirs.weight.detach().numpy()
    assert abs(a.std() - b.std()) < 0.02 and abs(a.mean()) < 0.02
    assert not a[3].any() and not b[3].any()
    ours(ag.tensor(np.array([3, 3, 1]))).sum().backward()
    assert not ours.weight.grad.numpy()[3].any() and ours.weight.grad.numpy()[1].all()


def test_module_list_and_dict_behave_and_name_their_state_as_torch():
    t = torch()
    ours = nn.ModuleList([nn.Linear(2, 3), nn.BatchNorm1d(3)])
    theirs = t.nn.ModuleList([t.nn.Linear(2, 3), t.nn.BatchNorm1d(3)])
    ours.append(nn.ReLU()).extend([nn.Linear(3, 1)])
    theirs.append(t.nn.ReLU()).extend([t.nn.Linear(3, 1)])
    ours.insert(1, nn.Tanh())
    theirs.insert(1, t.nn.Tanh())
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert len(ours) == len(theirs) == 5
    assert [type(m).__name__ for m in ours] == [type(m).__name__ for m in theirs]
    assert isinstance(ours[1:3], nn.ModuleList) and len(ours[1:3]) == 2
    assert isinstance(ours[-1], nn.Linear)
    del ours[1]
    del theirs[1]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    heads_ours = nn.ModuleDict({"a": nn.Linear(2, 1), "b": nn.BatchNorm1d(1)})
    heads_theirs = t.nn.ModuleDict({"a": t.nn.Linear(2, 1), "b": t.nn.BatchNorm1d(1)})
    assert list(heads_ours.state_dict()) == list(heads_theirs.state_dict())
    assert repr(nn.ModuleList()) == repr(t.nn.ModuleList()) == "ModuleList()"


def test_embedding_from_pretrained_as_torch():
    t = torch()
    assert signature_differences(nn.Embedding.from_pretrained,
                                 t.nn.Embedding.from_pretrained) == []
    table = np.random.default_rng(3).normal(size=(6, 4))
    for kwargs in ({}, {"freeze": False, "padding_idx": 1}, {"max_norm": 1.0}):
        ours = nn.Embedding.from_pretrained(ag.tensor(table), **kwargs)
        theirs = t.nn.Embedding.from_pretrained(t.tensor(table), **kwargs)
        assert repr(ours) == repr(theirs)
        assert ours.weight.requires_grad == theirs.weight.requires_grad
        ids = np.array([[1, 2], [5, 1]])
        _compare(ours(ag.tensor(ids)).numpy(), theirs(t.tensor(ids)).detach().numpy(), "rows")
        _compare(ours.weight.numpy(), theirs.weight.detach().numpy(), "table")


def test_flatten_of_a_0d_tensor_as_torch():
    t = torch()
    with pytest.raises(IndexError, match="Dimension out of range"):
        nn.Flatten()(ag.tensor(1.0))
    with pytest.raises(IndexError):
        t.nn.Flatten()(t.tensor(1.0))
    assert nn.Flatten(0)(ag.tensor(2.0)).shape == tuple(t.nn.Flatten(0)(t.tensor(2.0)).shape)


def _parameter_lists(lib, rng):
    """The same ParameterList on both sides: a Parameter, a plain tensor, a non-tensor and a
    module, then appended, extended and assigned."""
    a, b, c = (rng.normal(size=shape) for shape in ((2, 3), (3,), (4,)))
    made = lib.ParameterList([lib.Parameter(lib_tensor(lib, a)), lib_tensor(lib, b), "x",
                              lib.Linear(2, 1)])
    made.append(lib_tensor(lib, c)).extend([7, lib_tensor(lib, a[0])])
    made[2] = lib_tensor(lib, c[:2])
    return made


def lib_tensor(lib, array):
    return (ag if lib is nn else torch()).tensor(array)


def test_parameter_list_behaves_and_names_its_state_as_torch():
    t = torch()
    ours = _parameter_lists(nn, np.random.default_rng(8))
    theirs = _parameter_lists(t.nn, np.random.default_rng(8))
    assert len(ours) == len(theirs) == 7
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (key, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert isinstance(p, nn.Parameter) and p.requires_grad == q.requires_grad, key
        if key.isdigit():  # the Linear's own weights are drawn on each side
            _compare(p.numpy(), q.detach().numpy(), key)
    assert [type(v).__name__ for v in ours] == [type(v).__name__ for v in theirs]
    assert [v for v in ours if isinstance(v, int)] == [v for v in theirs if isinstance(v, int)]
    assert repr(ours) == repr(theirs).replace("torch.", "")
    for index in (slice(1, None, 2), slice(None, -2)):
        part, their_part = ours[index], theirs[index]
        assert isinstance(part, nn.ParameterList) and len(part) == len(their_part)
        assert repr(part) == repr(their_part).replace("torch.", "")
    assert ours[-1] is ours[6] and ours[0] is ours.get_parameter("0")
    assert [k for k in dir(ours) if k.isdigit()] == []
    single = (nn.ParameterList([ag.ones(2)]), t.nn.ParameterList([t.ones(2)]))
    assert repr(single[0]) == repr(single[1]).replace("torch.", "")
    assert repr(nn.ParameterList()) == repr(t.nn.ParameterList()) == "ParameterList()"


@pytest.mark.parametrize("mistake", [
    lambda lib, ones: lib.ParameterList([ones(2)])[3],
    lambda lib, ones: lib.ParameterList([ones(2)])[-2],
    lambda lib, ones: lib.ParameterList([ones(2)])[1.0],
    lambda lib, ones: lib.ParameterList().extend(ones(2)),
    lambda lib, ones: lib.ParameterList().extend(3),
    lambda lib, ones: lib.ParameterList([ones(2)]).__setitem__(1, ones(1)),
    lambda lib, ones: lib.ParameterList([ones(2)])(ones(2)),
])
def test_parameter_list_refuses_what_torch_refuses(mistake):
    t = torch()
    with pytest.raises(Exception) as theirs:
        mistake(t.nn, t.ones)
    with pytest.raises(type(theirs.value)) as ours:
        mistake(nn, ag.ones)
    assert str(ours.value) == str(theirs.value)


def test_a_parameter_list_trains_inside_a_module():
    net = nn.Module()
    net.scales = nn.ParameterList([ag.ones(3), ag.full((3,), 2.0)])
    (net.scales[0] * net.scales[1]).sum().backward()
    assert [name for name, _ in net.named_parameters()] == ["scales.0", "scales.1"]
    _compare(net.scales[0].grad.numpy(), [2.0, 2.0, 2.0], "gradient of scales.0")
