"""PyTorch-style building blocks: Linear, LayerNorm, ModuleDict, TensorDataset and DataLoader,
checked against numpy, gradcheck and (where installed) torch itself."""

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from nn import functional as F


def test_linear_layout_forward_and_repr():
    layer = nn.Linear(2, 3)
    assert layer.weight.shape == (3, 2) and layer.bias.shape == (3,)
    assert layer.weight.dtype == np.float32
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    assert repr(layer) == "Linear(in_features=2, out_features=3, bias=True)"
    x = np.random.default_rng(0).normal(size=(4, 5, 2)).astype(np.float32)
    want = x @ layer.weight.numpy().T + layer.bias.numpy()
    np.testing.assert_allclose(layer(x).numpy(), want, rtol=1e-6)
    bare = nn.Linear(2, 3, bias=False)
    assert bare.bias is None and [n for n, _ in bare.named_parameters()] == ["weight"]
    assert repr(bare).endswith("bias=False)")
    np.testing.assert_allclose(bare(x).numpy(), x @ bare.weight.numpy().T, rtol=1e-6)


def test_linear_init_bounds_and_global_seed():
    layer = nn.Linear(16, 400)
    bound = 1 / np.sqrt(16)
    for p in (layer.weight.numpy(), layer.bias.numpy()):
        assert np.abs(p).max() <= bound and np.abs(p).max() > 0.9 * bound
    assert abs(layer.weight.numpy().std() - bound / np.sqrt(3)) < 0.01
    nn.set_random_seed(3)
    a = nn.Linear(4, 2).state_dict()
    nn.set_random_seed(3)
    b = nn.Linear(4, 2).state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_linear_gradcheck_in_float64():
    layer = nn.Linear(3, 2, dtype=np.float64)
    x = ag.tensor(np.random.default_rng(1).normal(size=(4, 3)), requires_grad=True)
    assert ag.gradcheck(lambda x, w, b: layer(x), (x, layer.weight, layer.bias))
    vector = ag.tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    assert layer(vector).shape == (2,)
    assert ag.gradcheck(lambda x, w, b: layer(x), (vector, layer.weight, layer.bias))
    bare = nn.Linear(3, 2, bias=False, dtype=np.float64)
    x3 = ag.tensor(np.random.default_rng(2).normal(size=(2, 4, 3)), requires_grad=True)
    assert ag.gradcheck(lambda x, w: bare(x), (x3, bare.weight))


@pytest.mark.parametrize("make, error, fragment", [
    (lambda: nn.Linear(0, 3), ValueError, "in_features=0"),
    (lambda: nn.Linear(2, 2.5), TypeError, "out_features=2.5"),
    (lambda: nn.Linear(2, 3, bias="yes"), TypeError, "bias='yes'"),
    (lambda: nn.Linear(2, 3, dtype=np.int32), TypeError, "int32"),
    (lambda: nn.Linear(2, 3)(np.ones((4, 5), np.float32)), ValueError, r"\(4, 5\).*\(3, 2\)"),
    (lambda: nn.LayerNorm(0), ValueError, "normalized_shape=0"),
    (lambda: nn.LayerNorm(4)(np.ones((2, 3), np.float32)), ValueError, r"\(4,\).*\(2, 3\)"),
    (lambda: nn.Dense(2, 16), TypeError, r"second argument is the activation.*nn\.Linear"),
    (lambda: nn.Dense(2, 3.5), ValueError, "Could not interpret activation"),
])
def test_mistakes_are_explained(make, error, fragment):
    with pytest.raises(error, match=fragment):
        make()


def test_linear_matches_torch_forward_and_gradients():
    torch = pytest.importorskip("torch")
    ours = nn.Linear(5, 3, dtype=np.float64)
    theirs = torch.nn.Linear(5, 3, dtype=torch.float64)
    theirs.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(2).normal(size=(2, 4, 5))
    xa, xt = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(xa), theirs(xt)
    np.testing.assert_allclose(ya.numpy(), yt.detach().numpy(), rtol=1e-12)
    (ya * ya).sum().backward()
    (yt * yt).sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.bias.grad.numpy(), theirs.bias.grad.numpy(), rtol=1e-10)


@pytest.mark.parametrize("shape, affine, bias", [
    (6, True, True), ((6,), False, True), ((4, 6), True, True), ((4, 6), True, False),
    ((3, 4, 6), True, True)])
def test_layer_norm_matches_torch(shape, affine, bias):
    torch = pytest.importorskip("torch")
    ours = nn.LayerNorm(shape, elementwise_affine=affine, bias=bias, dtype=np.float64)
    theirs = torch.nn.LayerNorm(shape, elementwise_affine=affine, bias=bias, dtype=torch.float64)
    rng = np.random.default_rng(3)
    state = {k: rng.normal(size=v.shape) for k, v in ours.state_dict().items()}
    ours.load_state_dict(state)
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})
    assert repr(ours) == repr(theirs)
    x = rng.normal(size=(2, 3, 4, 6)) * 3 + 1
    xa, xt = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(xa), theirs(xt)
    np.testing.assert_allclose(ya.numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    upstream = rng.normal(size=x.shape)
    (ya * ag.tensor(upstream)).sum().backward()
    (yt * torch.from_numpy(upstream)).sum().backward()
    np.testing.assert_allclose(xa.grad.numpy(), xt.grad.numpy(), rtol=1e-9, atol=1e-12)
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-9, err_msg=name)


def test_layer_norm_defaults_and_gradcheck():
    norm = nn.LayerNorm((2, 3), dtype=np.float64)
    assert [n for n, _ in norm.named_parameters()] == ["weight", "bias"]
    assert np.array_equal(norm.weight.numpy(), np.ones((2, 3)))
    assert np.array_equal(norm.bias.numpy(), np.zeros((2, 3)))
    y = norm(np.arange(24.0).reshape(4, 2, 3)).numpy()
    np.testing.assert_allclose(y.mean(axis=(1, 2)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(1, 2)), 1, rtol=1e-4)
    x = ag.tensor(np.random.default_rng(4).normal(size=(3, 2, 3)), requires_grad=True)
    assert ag.gradcheck(lambda x, w, b: norm(x), (x, norm.weight, norm.bias))


def test_linear_and_layer_norm_in_a_saved_sequential(tmp_path):
    # float64 throughout: a float32 layer's output into a float64 Linear is refused, as in torch
    model = nn.Sequential([nn.Linear(2, 4, dtype=np.float64),
                           nn.LayerNorm(4, bias=False, dtype=np.float64), nn.GELU(),
                           nn.Linear(4, 1, bias=False, dtype=np.float64)])
    x = np.random.default_rng(5).normal(size=(3, 2))
    model.save(tmp_path / "model.npz")
    loaded = nn.load_model(tmp_path / "model.npz")
    assert repr(loaded) == repr(model)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


# --- ModuleDict ---


def test_module_dict_behaves_like_a_dict_and_registers_its_modules():
    heads = nn.ModuleDict({"b": nn.Linear(3, 2), "a": nn.Linear(2, 1)})
    heads["c"] = nn.LayerNorm(2)
    assert list(heads) == ["b", "a", "c"] == list(heads.keys())
    assert len(heads) == 3 and "a" in heads and "z" not in heads
    assert list(heads.state_dict()) == ["b.weight", "b.bias", "a.weight", "a.bias", "c.weight",
                                        "c.bias"]
    assert [k for k, _ in heads.items()] == ["b", "a", "c"]
    assert all(isinstance(m, nn.Module) for m in heads.values())
    removed = heads.pop("a")
    assert isinstance(removed, nn.Linear) and list(heads) == ["b", "c"]
    del heads["c"]
    heads.update([("d", nn.Linear(1, 1))])
    heads.update(nn.ModuleDict({"e": nn.Linear(1, 1)}))
    assert list(heads) == ["b", "d", "e"]
    assert [n for n, _ in heads.named_parameters()][:2] == ["b.weight", "b.bias"]
    assert "(d): Linear(in_features=1, out_features=1, bias=True)" in repr(heads)
    heads.clear()
    assert len(heads) == 0 and list(heads.parameters()) == []


def test_module_dict_inside_a_model_and_its_errors():
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleDict({"hidden": nn.Linear(2, 4), "out": nn.Linear(4, 1)})

        def forward(self, x):
            return self.layers["out"](self.layers["hidden"](x).relu())

    model = Model()
    assert list(model.state_dict())[0] == "layers.hidden.weight"
    assert model(np.ones((3, 2), np.float32)).shape == (3, 1)
    heads = nn.ModuleDict()
    for key, error in ((1, TypeError), ("a.b", KeyError), ("", KeyError), ("training", KeyError),
                       ("keys", KeyError)):
        with pytest.raises(error):
            heads[key] = nn.Linear(1, 1)
    with pytest.raises(TypeError, match="Module"):
        heads["x"] = "not a module"
    with pytest.raises(KeyError):
        heads["missing"]
    with pytest.raises(TypeError, match="mapping or an iterable"):
        heads.update(3)
    with pytest.raises(TypeError, match="not callable"):
        heads(1)


# --- TensorDataset and DataLoader ---


def test_tensor_dataset_items_and_size_errors():
    data = nn.TensorDataset(ag.tensor(np.arange(6.0).reshape(3, 2)), np.array([4, 5, 6]))
    x, y = data[1]
    assert len(data) == 3 and x.numpy().tolist() == [2.0, 3.0] and y.item() == 5
    assert data.tensors[1].dtype == np.int64
    with pytest.raises(ValueError, match=r"\[3, 2\]"):
        nn.TensorDataset(np.zeros((3, 1)), np.zeros(2))


@pytest.mark.parametrize("drop_last, sizes", [(False, [4, 4, 2]), (True, [4, 4])])
def test_loader_covers_every_sample_once_per_epoch(drop_last, sizes):
    x = np.arange(20.0).reshape(10, 2).astype(np.float32)
    y = np.arange(10)
    loader = nn.DataLoader(nn.TensorDataset(x, y), batch_size=4, shuffle=True, drop_last=drop_last,
                           generator=0)
    assert len(loader) == len(sizes)
    for _ in range(2):
        batches = list(loader)
        assert [len(yb) for _, yb in batches] == sizes
        seen = np.concatenate([yb.numpy() for _, yb in batches])
        assert len(set(seen.tolist())) == len(seen) == sum(sizes)
        for xb, yb in batches:
            assert xb.dtype == np.float32 and yb.dtype == np.int64
            assert np.array_equal(xb.numpy(), x[yb.numpy()])


def test_shuffle_is_reproducible_and_new_every_epoch():
    data = nn.TensorDataset(np.arange(50))

    def epochs(loader):
        return [np.concatenate([b.numpy() for (b,) in loader]).tolist() for _ in range(2)]

    first = epochs(nn.DataLoader(data, batch_size=7, shuffle=True, generator=5))
    assert first == epochs(nn.DataLoader(data, batch_size=7, shuffle=True, generator=5))
    assert first[0] != first[1] and first[0] != list(range(50))
    nn.set_random_seed(11)
    seeded = epochs(nn.DataLoader(data, batch_size=7, shuffle=True))
    nn.set_random_seed(11)
    assert seeded == epochs(nn.DataLoader(data, batch_size=7, shuffle=True))
    assert epochs(nn.DataLoader(data, batch_size=7))[0] == list(range(50))


def test_loader_collates_any_dataset_by_stacking():
    class Squares:
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.array([i, i * i], dtype=np.float64), i % 2

    xb, yb = next(iter(nn.DataLoader(Squares(), batch_size=3)))
    assert xb.shape == (3, 2) and xb.dtype == np.float64 and yb.dtype == np.int64
    assert yb.numpy().tolist() == [0, 1, 0]
    single = list(nn.DataLoader([1.5, 2.5, 3.5], batch_size=2))
    assert [b.numpy().tolist() for b in single] == [[1.5, 2.5], [3.5]]
    assert single[0].dtype == np.float32
    with pytest.raises(TypeError, match="__getitem__ and __len__"):
        nn.DataLoader(5)
    with pytest.raises(ValueError, match="batch_size"):
        nn.DataLoader([1.0], batch_size=0)
    with pytest.raises(TypeError, match="generator"):
        nn.DataLoader([1.0], shuffle=True, generator="seed")


def test_pytorch_style_training_loop_learns_a_linear_map():
    nn.set_random_seed(0)
    rng = np.random.default_rng(0)
    true_w, true_b = np.array([[2.0, -3.0, 0.5]]), np.array([1.0])
    x = rng.normal(size=(256, 3)).astype(np.float32)
    y = (x @ true_w.T + true_b + 0.01 * rng.normal(size=(256, 1))).astype(np.float32)
    loader = nn.DataLoader(nn.TensorDataset(x, y), batch_size=32, shuffle=True)
    model = nn.Linear(3, 1)
    opt = optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(20):
        for xb, yb in loader:
            opt.zero_grad()
            loss = F.mse_loss(model(xb), yb)
            loss.backward()
            opt.step()
            losses.append(loss.item())
    assert losses[-1] < 1e-3 < losses[0]
    np.testing.assert_allclose(model.weight.numpy(), true_w, atol=0.01)
    np.testing.assert_allclose(model.bias.numpy(), true_b, atol=0.01)


# --- device and dtype ---


def test_module_to_cpu_double_and_float_as_torch():
    model = nn.ModuleList([nn.Linear(2, 3), nn.BatchNorm1d(3)])
    model[0](ag.ones((4, 2))).sum().backward()
    assert model.double() is model and model.cpu() is model
    dtypes = {k: str(v.dtype) for k, v in model.state_dict().items()}
    assert dtypes == {"0.weight": "float64", "0.bias": "float64", "1.weight": "float64",
                      "1.bias": "float64", "1.running_mean": "float64",
                      "1.running_var": "float64", "1.num_batches_tracked": "int64"}
    assert model[0].weight.grad.dtype == np.float64
    assert model.float()[0].weight.dtype == np.float32
    assert model.to("cpu", np.float64)[1].running_var.dtype == np.float64
    assert model.to(dtype=np.float32, device="cpu")[0].bias.dtype == np.float32
    assert model.to(ag.tensor(np.zeros(1)))[0].weight.dtype == np.float64


@pytest.mark.parametrize("call, error", [
    (lambda m: m.to("cuda"), RuntimeError), (lambda m: m.cuda(), RuntimeError),
    (lambda m: m.to(np.int64), TypeError), (lambda m: m.to(non_blocking=True), TypeError)])
def test_module_to_refuses_what_it_cannot_do(call, error):
    with pytest.raises(error):
        call(nn.Linear(2, 3))


# --- a PyTorch program, written the PyTorch way, against torch itself ---


def _net(torch_nn):
    """The same small CNN in either library (``torch_nn`` is ``nn`` or ``torch.nn``)."""

    class Net(torch_nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = torch_nn.Conv2d(1, 4, 3)
            self.bn = torch_nn.BatchNorm2d(4)
            self.pool = torch_nn.MaxPool2d(2)
            self.conv2 = torch_nn.Conv2d(4, 6, 3, padding=1)
            self.head = torch_nn.Sequential(torch_nn.Flatten(), torch_nn.Linear(6, 5),
                                            torch_nn.LeakyReLU(), torch_nn.Linear(5, 3))

        def forward(self, x):
            x = self.pool(self.bn(self.conv1(x)).relu())
            return self.head(self.pool(self.conv2(x)))

    return Net()


def test_a_torch_cnn_loads_its_state_dict_here_and_trains_the_same():
    torch = pytest.importorskip("torch")
    theirs = _net(torch.nn).double()
    ours = _net(nn).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict(theirs.state_dict())  # torch's tensors, as they are
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 1, 9, 9)), rng.integers(0, 3, size=8)
    opt_ours = optim.SGD(ours.parameters(), lr=0.1, momentum=0.9)
    opt_theirs = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9)
    for _ in range(3):
        opt_ours.zero_grad()
        opt_theirs.zero_grad()
        loss_ours = F.cross_entropy(ours(ag.tensor(x)), ag.tensor(y))
        loss_theirs = torch.nn.functional.cross_entropy(theirs(torch.tensor(x)),
                                                        torch.tensor(y))
        loss_ours.backward()
        loss_theirs.backward()
        opt_ours.step()
        opt_theirs.step()
        np.testing.assert_allclose(loss_ours.item(), loss_theirs.item(), rtol=1e-10)
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), rtol=1e-9,
                                   atol=1e-12, err_msg=key)
    ours.eval()
    theirs.eval()
    np.testing.assert_allclose(ours(ag.tensor(x)).numpy(),
                               theirs(torch.tensor(x)).detach().numpy(), rtol=1e-9)


def test_torch_modules_save_and_load_inside_a_sequential(tmp_path):
    model = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3, momentum=None),
                          nn.MaxPool2d(2, ceil_mode=True), nn.AdaptiveAvgPool2d((2, None)),
                          nn.Identity(), nn.AvgPool2d(1), nn.Tanh(), nn.Unflatten(1, (3, 1)),
                          nn.LogSoftmax(dim=1))
    x = ag.randn(2, 1, 6, 5)
    model.train()
    model(x)  # moves the running statistics
    model.eval()
    model.save(tmp_path / "model.npz")
    loaded = nn.load_model(tmp_path / "model.npz").eval()
    assert repr(loaded) == repr(model)
    assert list(loaded.state_dict()) == list(model.state_dict())
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(loaded.state_dict()[key], value, err_msg=key)
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())


def test_data_loader_takes_pytorchs_loading_settings():
    # the line nearly every PyTorch tutorial writes; the batches are the same
    data = nn.TensorDataset(np.arange(10.0).reshape(5, 2), np.arange(5))
    plain = [yb.tolist() for _, yb in nn.DataLoader(data, batch_size=2)]
    tutorial = nn.DataLoader(data, batch_size=2, shuffle=None, num_workers=0, pin_memory=True,
                             timeout=0, worker_init_fn=print)
    assert [yb.tolist() for _, yb in tutorial] == plain == [[0, 1], [2, 3], [4]]
    with pytest.warns(UserWarning, match="num_workers=2 is accepted, but batches are made in "
                                         "this process"):
        workers = nn.DataLoader(data, batch_size=2, num_workers=2, persistent_workers=True,
                                prefetch_factor=2)
    assert [yb.tolist() for _, yb in workers] == plain
    for settings, message in (({"num_workers": -1}, "num_workers to be an int >= 0"),
                              ({"prefetch_factor": 2}, "need num_workers > 0"),
                              ({"persistent_workers": True}, "need num_workers > 0"),
                              ({"timeout": -1}, "timeout to be a number >= 0")):
        with pytest.raises(ValueError, match=message):
            nn.DataLoader(data, **settings)
    with pytest.raises(ValueError, match="no worker would call it"):
        nn.DataLoader(data, num_workers=1, worker_init_fn=print)


def test_linear_refuses_a_bias_of_another_dtype_as_torch_does():
    with pytest.raises(RuntimeError, match=r"linear: expected the bias to have the dtype of the "
                                           r"input and weight \(float32\), but got float64"):
        nn.functional.linear(ag.ones(2, 3), ag.ones(4, 3), ag.ones(4, dtype=ag.float64))
