"""``Module.get_submodule``, ``get_parameter`` and ``get_buffer`` against torch 2.13's: the same
nets built on both sides, the same targets, the same objects found and the same AttributeErrors
(type and text) for missing names, non-modules, non-parameters and non-buffers."""

import numpy as np
import pytest

import nn
from tests.conformance.borrowed import torch


def _net(lib):
    net = lib.Module()
    net.block = lib.ModuleList([lib.Linear(2, 3), lib.BatchNorm1d(3)])
    net.heads = lib.ModuleDict({"out": lib.Linear(3, 1, bias=False)})
    net.scale = 2.0
    return net


TARGETS = ["", "block", "block.0", "block.1", "heads.out", "block.0.weight", "block.0.bias",
           "block.1.running_mean", "block.1.num_batches_tracked", "heads.out.bias", "scale",
           "missing", "block.7", "block.0.missing", "scale.x", "block.0.weight.data",
           "heads.out.weight", "block.1.weight", "block.1.running_var", "heads", "heads.missing"]


def _outcome(call):
    try:
        found = call()
    except Exception as error:  # noqa: BLE001 (the outcome compared is the error itself)
        return type(error).__name__, str(error)
    return "found", found


def _path(net, found):
    for name, module in net.named_modules():
        if module is found:
            return "module", name
    for name, value in [*net.named_parameters(), *net.named_buffers()]:
        if value is found:
            return "tensor", name
    return "other", repr(found)


@pytest.mark.parametrize("method", ["get_submodule", "get_parameter", "get_buffer"])
@pytest.mark.parametrize("target", TARGETS)
def test_lookup_matches_torch(method, target):
    t = torch()
    ours, theirs = _net(nn), _net(t.nn)
    our_kind, our_value = _outcome(lambda: getattr(ours, method)(target))
    their_kind, their_value = _outcome(lambda: getattr(theirs, method)(target))
    assert our_kind == their_kind
    if our_kind == "found":
        assert _path(ours, our_value) == _path(theirs, their_value)
    else:
        assert our_value == their_value


def test_the_parameter_found_is_the_modules_own():
    net = _net(nn)
    weight = net.get_parameter("block.0.weight")
    assert weight is net.block[0].weight
    assert net.get_buffer("block.1.running_var") is net.block[1].running_var
    np.testing.assert_array_equal(net.get_submodule("heads.out").weight.numpy(),
                                  net.get_parameter("heads.out.weight").numpy())
