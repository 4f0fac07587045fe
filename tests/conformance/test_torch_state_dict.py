"""``Module.state_dict`` and its neighbours against ``torch.nn.Module``: the same module written
once for both libraries gives the same keys, the same sharing of memory, the same answers to
``keep_vars``, ``destination`` and ``prefix``, the same handling of tied parameters, and state
dicts that load across the two libraries."""

import warnings
from collections import OrderedDict

import numpy as np
import pytest

import autograd
import nn
from tests.conformance.borrowed import signature_differences, torch


def _libraries():
    """``(tensor library, nn)`` for this library and for torch."""
    t = torch()
    return [(autograd, nn), (t, t.nn)]


def _tied(lib, lib_nn):
    """An encoder and decoder sharing a weight, a module registered twice, a shared buffer;
    weights from fixed numbers so both libraries hold the same values."""

    class Tied(lib_nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = lib_nn.Linear(2, 2)
            self.dec = lib_nn.Linear(2, 2)
            self.dec.weight = self.enc.weight
            self.head = lib_nn.Linear(2, 1)
            self.again = self.head
            counts = lib.zeros(2)
            self.register_buffer("count", counts)
            self.register_buffer("count_too", counts)

    model = Tied()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rng = np.random.default_rng(0)
        with lib.no_grad():
            for p in model.parameters():
                p.copy_(lib.tensor(rng.normal(size=tuple(p.shape)).astype(np.float32)))
    return model


def _names(pairs):
    return [name for name, _ in pairs]


def test_signatures_are_torch():
    t = torch()
    for method in ("state_dict", "named_parameters", "named_buffers", "named_modules"):
        ours, theirs = getattr(nn.Module, method), getattr(t.nn.Module, method)
        assert signature_differences(ours, theirs) == [], method


def test_state_dict_values_are_detached_tensors_sharing_memory():
    results = []
    for lib, lib_nn in _libraries():
        model = lib_nn.Linear(2, 3)
        with lib.no_grad():
            model.weight.copy_(lib.tensor(np.arange(6.0).reshape(3, 2)).float())
            model.bias.copy_(lib.tensor([1.0, 2.0, 3.0]).float())
        sd = model.state_dict()
        facts = [type(sd) is OrderedDict, isinstance(sd["weight"], lib.Tensor),
                 sd["weight"].requires_grad, [tuple(sd[k].size()) for k in sd],
                 bool(lib.equal(sd["weight"], model.weight)), sd["bias"].clone().tolist()]
        sd["bias"][0] = 7.0  # in place: it reaches the module
        sd["weight"].copy_(lib.ones(3, 2))
        facts += [model.bias.tolist(), model.weight.tolist()]
        kept = model.state_dict(keep_vars=True)
        facts += [kept["weight"] is model.weight, kept["bias"] is model.bias]
        results.append(facts)
    ours, theirs = results
    assert ours == theirs


def test_destination_and_prefix_as_torch():
    results = []
    for _, lib_nn in _libraries():
        model = lib_nn.Linear(2, 1)
        given = OrderedDict(other=1)
        out = model.state_dict(destination=given, prefix="fc.")
        with pytest.warns(FutureWarning):
            positional = model.state_dict(None, "p.", True)
        results.append([out is given, list(given), list(positional),
                        positional["p.weight"] is model.weight])
    assert results[0] == results[1]


def test_tied_parameters_buffers_and_modules_are_named_as_torch():
    results = []
    for lib, lib_nn in _libraries():
        model = _tied(lib, lib_nn)
        sd = model.state_dict()
        results.append({
            "keys": list(sd),
            "named_parameters": _names(model.named_parameters()),
            "all_parameters": _names(model.named_parameters(remove_duplicate=False)),
            "count": len(list(model.parameters())),
            "buffers": _names(model.named_buffers()),
            "all_buffers": _names(model.named_buffers(remove_duplicate=False)),
            "modules": _names(model.named_modules()),
            "all_modules": _names(model.named_modules(remove_duplicate=False)),
            "prefixed": _names(model.head.named_parameters(prefix="h")),
            "flat": _names(model.named_parameters(recurse=False)),
            "tied_share_memory": np.shares_memory(np.asarray(sd["enc.weight"]),
                                                  np.asarray(sd["dec.weight"])),
        })
    assert results[0] == results[1]


def test_state_dicts_load_across_the_two_libraries():
    t = torch()
    ours, theirs = _tied(autograd, nn), _tied(t, t.nn)
    # torch's tensors load into ours as they are
    with t.no_grad():
        for p in theirs.parameters():
            p.mul_(2.0)
    assert ours.load_state_dict(theirs.state_dict()) == nn.IncompatibleKeys([], [])
    for key, value in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[key].numpy(), value.numpy(),
                                      err_msg=key)
    # ours into torch's (torch takes tensors only: each value goes over as one)
    with autograd.no_grad():
        for p in ours.parameters():
            p.add_(1.0)
    missing = theirs.load_state_dict({k: t.from_numpy(v.numpy().copy())
                                      for k, v in ours.state_dict().items()})
    assert (missing.missing_keys, missing.unexpected_keys) == ([], [])
    for key, value in ours.state_dict().items():
        np.testing.assert_array_equal(theirs.state_dict()[key].numpy(), value.numpy(),
                                      err_msg=key)


def test_differing_tied_entries_load_as_torch():
    results = []
    for lib, lib_nn in _libraries():
        model = _tied(lib, lib_nn)
        state = {k: v.clone() for k, v in model.state_dict().items()}
        state["enc.weight"].fill_(1.0)
        state["dec.weight"].fill_(2.0)
        model.load_state_dict(state)
        full = model.enc.weight.tolist()
        del state["dec.weight"]
        partial = model.load_state_dict(state, strict=False)
        results.append([full, list(partial.missing_keys), list(partial.unexpected_keys),
                        model.dec.weight.tolist(), model.dec.weight is model.enc.weight])
    assert results[0] == results[1]
