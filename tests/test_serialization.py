"""``save``/``load`` as ``torch.save``/``torch.load``: what round-trips, file objects, torch's
arguments, atomic writes, and damaged or hostile files refused with a ``ValueError`` naming the
path, without running anything."""

import io
import json
import os
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import autograd as torch
from autograd import SerializationError


def _state():
    weight = torch.randn(3, 2, rng=0, requires_grad=True)
    model = OrderedDict(weight=weight, bias=torch.zeros(3), steps=torch.tensor(7))
    optimizer = {"state": {0: {"step": torch.tensor(3.0), "exp_avg": torch.ones(3, 2)}},
                 "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "params": [0, 1],
                                   "nesterov": False, "foreach": None,
                                   "eps": float("inf"), "name": "main"}]}
    return {"model": model, "optimizer": optimizer, "epoch": 3, "loss": float("nan"),
            "array": np.arange(4, dtype=np.int32), "scalar": np.float32(2.5),
            "flags": np.array([True, False]), (1, "a"): None}


def _same(a, b):
    assert type(a) is type(b), (a, b)
    if isinstance(a, torch.Tensor):
        assert a.dtype == b.dtype and a.shape == b.shape and a.requires_grad == b.requires_grad
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    elif isinstance(a, (np.ndarray, np.generic)):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            _same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b)
    else:
        assert a == b


def test_state_dicts_round_trip_through_a_path(tmp_path):
    state = _state()
    torch.save(state, tmp_path / "checkpoint.pt")
    assert os.listdir(tmp_path) == ["checkpoint.pt"]  # no suffix added, no temporary left
    _same(state, torch.load(tmp_path / "checkpoint.pt"))
    _same(state, torch.load(str(tmp_path / "checkpoint.pt"), map_location="cpu",
                            weights_only=True))


def test_a_single_tensor_and_file_objects():
    buffer = io.BytesIO()
    x = torch.tensor([[1.5, -2.0]], dtype=torch.float64)
    torch.save(x, buffer)
    buffer.seek(0)
    back = torch.load(buffer, map_location=torch.device("cpu"))
    _same(x, back)
    assert back is not x and not np.shares_memory(back.numpy(), x.numpy())


def test_the_same_tensor_twice_loads_as_one_object(tmp_path):
    t = torch.ones(2)
    torch.save({"a": t, "b": [t]}, tmp_path / "f")
    back = torch.load(tmp_path / "f")
    assert back["a"] is back["b"][0]


def test_torch_arguments_at_other_values_are_refused(tmp_path):
    path = tmp_path / "x.pt"
    torch.save(torch.ones(1), path)
    with pytest.raises(RuntimeError, match="cuda.*numpy on the CPU"):
        torch.load(path, map_location="cuda")
    with pytest.raises(RuntimeError, match="numpy on the CPU"):
        torch.load(path, map_location={"cuda:0": "cuda:1"})
    assert torch.load(path, map_location={"cuda:0": "cpu"}).tolist() == [1.0]
    with pytest.raises(ValueError, match="callable map_location"):
        torch.load(path, map_location=lambda storage, location: storage)
    with pytest.raises(ValueError, match="mmap"):
        torch.load(path, mmap=True)
    with pytest.raises(ValueError, match="pickle_protocol"):
        torch.save(torch.ones(1), path, pickle_protocol=4)
    assert torch.load(path, weights_only=False).tolist() == [1.0]  # data only either way


def test_unsupported_objects_are_refused_with_where_they_are(tmp_path):
    with pytest.raises(TypeError, match=r"obj\['bad'\]\[1\] is a set"):
        torch.save({"bad": [1, {2}]}, tmp_path / "x.pt")
    with pytest.raises(TypeError, match="key of type"):
        torch.save({object(): 1}, tmp_path / "x.pt")
    import nn

    with pytest.raises(TypeError, match=r"obj is a Linear.*save its state_dict\(\)"):
        torch.save(nn.Linear(2, 1), tmp_path / "x.pt")
    assert not os.path.exists(tmp_path / "x.pt")


def test_a_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "x.pt"
    torch.save({"v": torch.ones(1)}, path)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError, match="disk full"):
        torch.save({"v": torch.zeros(1)}, path)
    monkeypatch.undo()
    assert torch.load(path)["v"].tolist() == [1.0] and os.listdir(tmp_path) == ["x.pt"]


def _rewrite(path, change):
    """Rewrite the archive at ``path``, each member's bytes passed through ``change``."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members = change(members)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _structure_member(document):
    buffer = io.BytesIO()
    np.save(buffer, np.array(json.dumps(document)))
    return buffer.getvalue()


@pytest.mark.parametrize("damage, message", [
    (lambda path: path.write_bytes(b"not an archive"), "not a readable archive"),
    (lambda path: path.write_bytes(path.read_bytes()[:-40]), "archive"),
    (lambda path: _rewrite(path, lambda m: {**m, "evil.pkl": pickle.dumps(len)}),
     "unexpected member 'evil.pkl'"),
    (lambda path: _rewrite(path, lambda m: {k: (v[:-8] if k == "a0.npy" else v)
                                             for k, v in m.items()}), "claims shape"),
    (lambda path: _rewrite(path, lambda m: {**m, "a0.npy": _object_array()}),
     "not a plain numeric or text type"),
    (lambda path: _rewrite(path, lambda m: {k: v for k, v in m.items()
                                             if k != "__structure__.npy"}),
     "not a file written by autograd.save"),
    (lambda path: _rewrite(path, lambda m: {**m, "__structure__.npy": _structure_member(
        {"format": "autograd-save", "version": 1, "object": {"$": "exec", "v": "rm"}})}),
     "unknown tag 'exec'"),
    (lambda path: _rewrite(path, lambda m: {**m, "__structure__.npy": _structure_member(
        {"format": "autograd-save", "version": 2, "object": None})}), "version 2"),
    (lambda path: _rewrite(path, lambda m: {**m, "__structure__.npy": _structure_member(
        {"format": "autograd-save", "version": 1, "object": None})}),
     r"arrays \['a0'\] are not part"),
], ids=["garbage", "truncated", "pickle member", "short member", "object dtype",
        "no structure", "unknown tag", "version", "unused array"])
def test_damaged_or_hostile_files_raise_a_named_value_error(tmp_path, damage, message):
    path = tmp_path / "x.pt"
    torch.save({"w": torch.ones(3)}, path)
    damage(path)
    with pytest.raises(SerializationError, match=message) as info:
        torch.load(path)
    assert isinstance(info.value, ValueError) and str(path) in str(info.value)


def _object_array():
    buffer = io.BytesIO()
    np.save(buffer, np.array([len], dtype=object), allow_pickle=True)
    return buffer.getvalue()


def test_a_missing_file_names_its_path(tmp_path):
    with pytest.raises(SerializationError, match="nowhere.pt: no such file"):
        torch.load(tmp_path / "nowhere.pt")


def test_torch_users_idiom_with_nn_state_dicts(tmp_path):
    import nn
    import optim

    model = nn.Linear(3, 2)
    opt = optim.Adam(model.parameters(), lr=0.01)
    model(torch.randn(4, 3, rng=1)).sum().backward()
    opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "c.pt")
    checkpoint = torch.load(tmp_path / "c.pt", weights_only=True)
    restored = nn.Linear(3, 2)
    restored.load_state_dict(checkpoint["model"])
    for a, b in zip(model.parameters(), restored.parameters()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    opt2 = optim.Adam(restored.parameters(), lr=0.01)
    opt2.load_state_dict(checkpoint["optimizer"])
    _same(opt.state_dict()["param_groups"], opt2.state_dict()["param_groups"])


def test_a_file_written_by_torch_save_is_refused_with_the_way_out(tmp_path):
    from tests.conformance.borrowed import torch as torch_oracle

    real = torch_oracle()
    path = tmp_path / "torch.pt"
    real.save({"w": real.ones(2)}, path)
    with pytest.raises(SerializationError, match="written by torch.save .pickle.*autograd.save"):
        torch.load(path)
