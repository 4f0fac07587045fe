"""Optional peers: PyTorch and micrograd are measured only where they are importable."""

from __future__ import annotations

import importlib
import os
from types import ModuleType


def optional(name: str) -> ModuleType | None:
    """The module, or None when it is not installed or ``BENCH_PEERS=0`` leaves peers out."""
    if os.environ.get("BENCH_PEERS") == "0":
        return None
    try:
        return importlib.import_module(name)
    except ImportError:
        return None
