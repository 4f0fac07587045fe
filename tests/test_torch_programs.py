"""Programs written as PyTorch users write them (examples/pytorch/) give PyTorch's numbers here.

Each program is run twice: as written, on PyTorch, and on this library with only its import
lines changed (``IMPORTS``). One accepted difference: ``torch.nn`` and ``torch.optim`` are
reached by importing them, not as attributes of ``torch``, since the core package
(``autograd``) never imports the libraries built on it. Both runs start from the same initial
weights (PyTorch's, copied through ``state_dict``) and, where a program uses dropout, draw the
same masks (the two frameworks' random generators differ, so the test supplies one sequence of
masks to both). The losses of the first 20 steps and the final weights must agree to 1e-5
relative (float32; 1e-10 in float64).
"""

from __future__ import annotations

import re
import types
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the PyTorch oracle is not installed: "
                            "pip install torch==2.13.0 (.ci/run does, from the local wheel)")

PROGRAMS = Path(__file__).resolve().parent.parent / "examples" / "pytorch"

# The only lines that change between PyTorch and this library: each import, ours beside theirs.
IMPORTS = {
    "import torch": "import autograd as torch",
    "from torch import nn": "import nn",
    "from torch import nn, optim": "import nn, optim",
    "import torch.nn as nn": "import nn",
    "import torch.nn.functional as F": "import nn.functional as F",
    "import torch.optim as optim": "import optim",
    "from torch import optim": "import optim",
    "from torch.optim.lr_scheduler import StepLR": "from optim.lr_scheduler import StepLR",
    "from torch.utils.data import DataLoader, TensorDataset":
        "from nn import DataLoader, TensorDataset",
}


def load(name: str, ours: bool) -> types.ModuleType:
    """The program as a module: PyTorch's as written, or ours with the import lines swapped."""
    source = (PROGRAMS / f"{name}.py").read_text(encoding="utf-8")
    if ours:
        lines = source.splitlines()
        for i, line in enumerate(lines):
            if re.match(r"(import|from) torch\b", line):
                assert line in IMPORTS, f"{name}.py: no counterpart for the import {line!r}"
                lines[i] = IMPORTS[line]
        source = "\n".join(lines) + "\n"
    module = types.ModuleType(f"{'ours' if ours else 'torch'}_{name}")
    exec(compile(source, f"{name}.py ({'ours' if ours else 'torch'})", "exec"), module.__dict__)
    return module


def state_of(model) -> dict[str, np.ndarray]:
    """A model's state_dict as numpy arrays, from either framework."""
    return {key: np.array(value.detach().numpy() if hasattr(value, "detach") else value)
            for key, value in model.state_dict().items()}


def same_masks(monkeypatch, ours_functional, seed: int = 0) -> None:
    """Both frameworks' dropout draws its masks from one numpy sequence (one copy per side)."""
    import autograd

    def masks():
        rng = np.random.default_rng(seed)
        return lambda shape, p: (rng.random(shape) >= p) / (1.0 - p)

    theirs_mask, ours_mask = masks(), masks()

    def theirs(input, p=0.5, training=True, inplace=False):
        if not training or p == 0:
            return input
        return input * torch.from_numpy(theirs_mask(tuple(input.shape), p).astype(np.float32))

    def ours(input, p=0.5, training=True, inplace=False):
        if not training or p == 0:
            return input
        return input * autograd.tensor(ours_mask(tuple(input.shape), p).astype(np.float32))

    monkeypatch.setattr(torch.nn.functional, "dropout", theirs)
    monkeypatch.setattr(ours_functional, "dropout", ours)


def assert_close(ours, theirs, rtol, what):
    """Equal to ``rtol`` relative, elements near zero measured against the largest one (a weight
    that crosses zero differs by rounding, not by meaning)."""
    ours, theirs = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    scale = float(np.max(np.abs(theirs))) if theirs.size else 0.0
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol * scale, err_msg=what)


def test_polynomial_fit_with_a_custom_function():
    theirs, ours = load("polynomial_fit", ours=False), load("polynomial_fit", ours=True)
    p_theirs, p_ours = theirs.make_parameters(), ours.make_parameters()
    l_theirs, l_ours = theirs.train(p_theirs), ours.train(p_ours)
    assert len(l_ours) == 2000 and l_ours[-1] < l_ours[0] / 40
    assert_close(l_ours, l_theirs, 1e-10, "losses")
    assert_close([p.item() for p in p_ours], [p.item() for p in p_theirs], 1e-10, "coefficients")


def test_classifier_with_data_loader_schedule_and_state_dict(monkeypatch):
    import nn

    theirs, ours = load("classifier", ours=False), load("classifier", ours=True)
    same_masks(monkeypatch, nn.functional)
    torch.manual_seed(0)
    model_theirs, model_ours = theirs.SpiralNet(), ours.SpiralNet()
    model_ours.load_state_dict(state_of(model_theirs))
    l_theirs, s_theirs = theirs.run(model_theirs, shuffle=False, max_steps=20)
    l_ours, s_ours = ours.run(model_ours, shuffle=False, max_steps=20)
    assert len(l_ours) == len(l_theirs) >= 20
    assert_close(l_ours, l_theirs, 1e-5, "training losses")
    assert_close(s_ours, s_theirs, 1e-5, "test loss and accuracy")
    for key, value in state_of(model_theirs).items():
        assert_close(state_of(model_ours)[key], value, 1e-5, key)
    reloaded = ours.save_and_reload(model_ours)
    for key, value in state_of(model_ours).items():
        np.testing.assert_array_equal(state_of(reloaded)[key], value)


def test_classifier_trains_with_shuffling():
    ours = load("classifier", ours=True)
    losses, scores = ours.run(ours.SpiralNet(), epochs=6)
    assert np.mean(losses[-10:]) < 0.7 * np.mean(losses[:10])
    assert scores[-1][1] > 0.6


def test_cnn_on_digits_with_adadelta(monkeypatch):
    pytest.importorskip("sklearn", reason="the digits data ships with scikit-learn")
    import nn

    theirs, ours = load("cnn_digits", ours=False), load("cnn_digits", ours=True)
    same_masks(monkeypatch, nn.functional)
    torch.manual_seed(1)
    model_theirs, model_ours = theirs.Net(), ours.Net()
    model_ours.load_state_dict(state_of(model_theirs))
    l_theirs, s_theirs = theirs.run(model_theirs, max_steps=20)
    l_ours, s_ours = ours.run(model_ours, max_steps=20)
    assert len(l_ours) == len(l_theirs) == 20
    assert_close(l_ours, l_theirs, 1e-5, "training losses")
    assert_close(s_ours, s_theirs, 1e-5, "test loss and accuracy")
    for key, value in state_of(model_theirs).items():
        assert_close(state_of(model_ours)[key], value, 1e-5, key)
