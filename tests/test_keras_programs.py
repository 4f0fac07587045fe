"""Programs written as Keras users write them (examples/keras/) give Keras' numbers here.

Each program is run twice: as written, on Keras 3 (JAX backend), and on this library with only
its import lines changed (``IMPORTS``), both from the same initial weights (Keras', copied with
``get_weights``/``set_weights``).
"""

from __future__ import annotations

import os
import re
import types
import warnings
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras", reason="the Keras oracle is not installed: "
                            "pip install keras 'jax[cpu]' (the test extra has them)")

PROGRAMS = Path(__file__).resolve().parent.parent / "examples" / "keras"

# The only lines that change between Keras and this library: each import, ours beside theirs.
IMPORTS = {
    "import keras": "import nn as keras",
    "from keras import layers": "from nn import layers",
}


def load(name: str, ours: bool) -> types.ModuleType:
    """The program as a module: Keras' as written, or ours with the import lines swapped."""
    source = (PROGRAMS / f"{name}.py").read_text(encoding="utf-8")
    if ours:
        lines = source.splitlines()
        for i, line in enumerate(lines):
            if re.match(r"(import|from) keras\b", line):
                assert line in IMPORTS, f"{name}.py: no counterpart for the import {line!r}"
                lines[i] = IMPORTS[line]
        source = "\n".join(lines) + "\n"
    module = types.ModuleType(f"{'ours' if ours else 'keras'}_{name}")
    exec(compile(source, f"{name}.py ({'ours' if ours else 'keras'})", "exec"), module.__dict__)
    return module


def test_the_course_program_gives_keras_numbers_epoch_by_epoch():
    theirs, ours = load("celsius_course", ours=False), load("celsius_course", ours=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras 3 advises Input(shape) over input_shape=[1]
        model_theirs, _ = theirs.build()
    model_ours, layer_ours = ours.build()
    model_ours.set_weights(model_theirs.get_weights())
    history_theirs = theirs.train(model_theirs)
    history_ours = ours.train(model_ours)
    losses_theirs = np.array(history_theirs.history["loss"])
    losses_ours = np.array(history_ours.history["loss"])
    assert losses_ours.shape == losses_theirs.shape == (500,)
    np.testing.assert_allclose(losses_ours, losses_theirs, rtol=1e-4)
    for ours_w, theirs_w in zip(model_ours.get_weights(), model_theirs.get_weights()):
        np.testing.assert_allclose(ours_w, theirs_w, rtol=1e-4)
    kernel, bias = layer_ours.get_weights()
    assert abs(kernel.item() - 1.8) < 0.05 and abs(bias.item() - 32) < 4
