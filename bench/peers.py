"""Optional peers: PyTorch and micrograd are measured only where they are importable."""

from __future__ import annotations

import importlib
from types import ModuleType


def optional(name: str) -> ModuleType | None:
    """The module, or None when it is not installed (CI never installs the peers)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None
