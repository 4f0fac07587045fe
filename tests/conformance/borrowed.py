"""The table format for borrowed names, and the helpers that check one against its framework.

Every name this library borrows from Keras 3 or PyTorch is one ``Entry``: the name as our users
write it, the framework's name for the same thing, and the differences we accept (with their
reason). The tables live beside this file, one per area (``keras_optimizers.py``,
``torch_nn.py``, ...), each a list called ``ENTRIES``; ``tables.py`` gathers them, and the tests
are enumerated from them. The frameworks are oracles: where one is not installed, its tests skip
with a reason.
"""

from __future__ import annotations

import importlib
import inspect
import os
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass(frozen=True)
class Entry:
    """One borrowed name.

    Attributes:
        ours: Our dotted name, as users reach it (``"nn.optimizers.Adam"``).
        theirs: The framework's dotted name (``"keras.optimizers.Adam"``).
        differences: The differences we accept, each with its reason; empty when there are none.
        signature: Whether the parameter names and defaults must equal the framework's (False
            only where the framework exposes no Python signature, said in ``differences``).
    """

    ours: str
    theirs: str
    differences: str = ""
    signature: bool = True

    @property
    def framework(self) -> str:
        """``"keras"`` or ``"torch"``."""
        return self.theirs.split(".", 1)[0]

    def our_object(self) -> Any:
        """Our object, imported."""
        return resolve(self.ours)

    def their_object(self) -> Any:
        """The framework's object, imported; the test skips where the framework is missing."""
        (keras if self.framework == "keras" else torch)()
        return resolve(self.theirs)

    def __str__(self) -> str:
        return self.ours


def resolve(dotted: str) -> Any:
    """The object a dotted name reaches: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        if cut > 1:  # as users reach it: a package's attribute may hide a submodule's name
            obj = getattr(importlib.import_module(".".join(parts[:cut - 1])), parts[cut - 1], obj)
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(f"nothing importable in {dotted!r}")


def keras() -> Any:
    """Keras 3 on its JAX backend, or a skip saying how to install it."""
    os.environ.setdefault("KERAS_BACKEND", "jax")
    return pytest.importorskip("keras", reason="the Keras oracle is not installed: "
                               "pip install keras 'jax[cpu]' (the test extra has them)")


def torch() -> Any:
    """PyTorch, or a skip saying how to install it."""
    return pytest.importorskip("torch", reason="the PyTorch oracle is not installed: "
                               "pip install torch==2.13.0 (.ci/run does, from the local wheel)")


def _parameters(obj: Any) -> dict[str, Any]:
    target = obj.__init__ if inspect.isclass(obj) else obj
    params = inspect.signature(target).parameters
    return {name: p.default for name, p in params.items()
            if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def _same_default(a: Any, b: Any) -> bool:
    if a is inspect.Parameter.empty or b is inspect.Parameter.empty:
        return a is b
    try:
        return bool(type(a) is type(b) and a == b) or (
            isinstance(a, (int, float)) and isinstance(b, (int, float))
            and not isinstance(a, bool) and not isinstance(b, bool) and float(a) == float(b))
    except Exception:  # objects that do not compare (functions, sentinels)
        return False


def signature_differences(ours: Any, theirs: Any, ignore: tuple[str, ...] = ()) -> list[str]:
    """What differs between two signatures: parameter names, their order, and defaults.

    ``ignore`` names parameters whose difference is accepted (and said in the entry).
    """
    a, b = _parameters(ours), _parameters(theirs)
    problems = []
    names_a = [n for n in a if n not in ignore]
    names_b = [n for n in b if n not in ignore]
    if names_a != names_b:
        problems.append(f"parameters {names_a} against {names_b}")
    for name in names_a:
        if name in b and not _same_default(a[name], b[name]):
            problems.append(f"{name}: default {a[name]!r} against {b[name]!r}")
    return problems
