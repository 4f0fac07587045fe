"""Every borrowed public name has a table entry, and every entry names real objects.

The Keras face's modules are Keras through and through: each of their public names must have an
entry (or be one of ``OWN``, this library's additions, each with its reason). On the PyTorch face
and at ``nn``'s top level, where this library adds names of its own, every public name that the
framework's counterpart module also has must have an entry.
"""

from __future__ import annotations

import importlib
import types

import pytest

from tests.conformance import borrowed
from tests.conformance.tables import KERAS, TORCH

# Our modules that are Keras' modules: all their public names are borrowed.
KERAS_MODULES = ["nn.layers", "nn.losses", "nn.metrics", "nn.optimizers", "nn.callbacks",
                 "nn.regularizers", "nn.initializers", "nn.activations", "nn.models"]

# Our modules beside their counterparts: the names both have are borrowed.
SHARED_MODULES = [
    ("autograd", "torch"),
    ("nn", "torch.nn"),
    ("nn.functional", "torch.nn.functional"),
    ("nn.init", "torch.nn.init"),
    ("nn.utils", "torch.nn.utils"),
    ("optim", "torch.optim"),
    ("optim.lr_scheduler", "torch.optim.lr_scheduler"),
    ("nn", "keras"),
    ("nn.utils", "keras.utils"),
]

# Public names of the Keras-face modules that Keras does not have, and why they are there.
OWN: dict[str, str] = {}


def _public(module_name: str) -> dict[str, object]:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return {}
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    return {name: getattr(module, name) for name in names
            if not isinstance(getattr(module, name), types.ModuleType)}


def _covered() -> tuple[set[str], set[int]]:
    names, objects = set(), set()
    for entry in KERAS + TORCH:
        names.add(entry.ours)
        try:
            objects.add(id(entry.our_object()))
        except (ImportError, AttributeError):
            pass  # reported by test_every_entry_names_our_object
    return names, objects


def _missing(module_name: str, wanted: dict[str, object]) -> list[str]:
    names, objects = _covered()
    return sorted(f"{module_name}.{name}" for name, value in wanted.items()
                  if f"{module_name}.{name}" not in names and id(value) not in objects
                  and f"{module_name}.{name}" not in OWN)


@pytest.mark.parametrize("module_name", KERAS_MODULES)
def test_every_name_of_a_keras_module_has_an_entry(module_name):
    missing = _missing(module_name, _public(module_name))
    assert not missing, f"Keras names without a table entry: {missing}"


@pytest.mark.parametrize("ours, theirs", SHARED_MODULES, ids=lambda m: m)
def test_every_name_shared_with_the_framework_has_an_entry(ours, theirs):
    (borrowed.keras if theirs.startswith("keras") else borrowed.torch)()
    counterpart = importlib.import_module(theirs)
    shared = {name: value for name, value in _public(ours).items()
              if hasattr(counterpart, name)}
    missing = _missing(ours, shared)
    assert not missing, f"names shared with {theirs} without a table entry: {missing}"


@pytest.mark.parametrize("entry", KERAS + TORCH, ids=str)
def test_every_entry_names_our_object(entry):
    entry.our_object()


@pytest.mark.parametrize("entry", KERAS + TORCH, ids=str)
def test_every_entry_names_the_frameworks_object(entry):
    entry.their_object()


def test_each_name_has_one_entry():
    names = [entry.ours for entry in KERAS + TORCH]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def test_the_compatibility_page_lists_the_tables():
    """docs/compatibility.md's tables of borrowed names are the tables the tests read."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    try:
        import compatibility_doc
    finally:
        sys.path.pop(0)
    page = compatibility_doc.PAGE.read_text(encoding="utf-8")
    assert compatibility_doc.updated(page) == page, (
        "docs/compatibility.md is out of date: run python tools/compatibility_doc.py")
