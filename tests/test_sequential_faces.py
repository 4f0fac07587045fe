"""``nn.Sequential`` as PyTorch users write it (an OrderedDict of named modules, append, insert,
extend, pop, del and item assignment), checked against torch, and as Keras users do (pop())."""

from collections import OrderedDict

import pytest

import nn


def _edit(sequential, L):
    """The same edits, written once for either library's ``nn``."""
    sequential.append(L.Tanh())
    sequential.insert(1, L.Identity())
    del sequential[0]
    popped = sequential.pop(0)
    sequential[0] = L.Sigmoid()
    sequential.extend([L.ReLU()])
    return sequential, popped


def _describe(sequential):
    return [type(m).__name__ for m in sequential], list(sequential.state_dict())


def test_torch_idioms_match_torch():
    torch = pytest.importorskip("torch", reason="the PyTorch oracle is not installed")
    named = lambda L: L.Sequential(OrderedDict([("fc1", L.Linear(3, 4)), ("act", L.ReLU()),
                                                ("fc2", L.Linear(4, 2))]))
    assert _describe(named(nn)) == _describe(named(torch.nn))
    ours, popped_ours = _edit(nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)), nn)
    theirs, popped_theirs = _edit(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(),
                                                      torch.nn.Linear(2, 1)), torch.nn)
    assert _describe(ours) == _describe(theirs)
    assert type(popped_ours).__name__ == type(popped_theirs).__name__ == "Identity"


def test_keras_pop_removes_the_last_layer():
    model = nn.Sequential([nn.layers.Dense(2, input_shape=[3]), nn.layers.Dense(1)])
    last = model.pop()
    assert isinstance(last, nn.layers.Dense) and len(model) == 1
    assert model.predict([[1.0, 2.0, 3.0]]).shape == (1, 2)


def test_bad_edits_are_refused_with_what_was_received():
    model = nn.Sequential(nn.Linear(2, 2))
    with pytest.raises(TypeError, match="expects a layer"):
        model.append("relu")
    with pytest.raises(IndexError, match="out of range"):
        del model[3]
    with pytest.raises(IndexError, match="out of range"):
        model.insert(5, nn.ReLU())
    model.pop()
    with pytest.raises(IndexError, match="no layer"):
        model.pop()
