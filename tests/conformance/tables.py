"""The two tables of borrowed names, gathered from the per-area tables beside this file.

Each ``keras_<area>.py`` and ``torch_<area>.py`` here holds a list ``ENTRIES`` of ``Entry``;
``KERAS`` and ``TORCH`` are their concatenations, in file order. The coverage tests
(``test_coverage.py``) and ``docs/compatibility.md`` are made from these two lists.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from tests.conformance.borrowed import Entry

HERE = Path(__file__).resolve().parent


def _gather(framework: str) -> list[Entry]:
    entries: list[Entry] = []
    for path in sorted(HERE.glob(f"{framework}_*.py")):
        module = importlib.import_module(f"tests.conformance.{path.stem}")
        entries.extend(module.ENTRIES)
    return entries


KERAS: list[Entry] = _gather("keras")
TORCH: list[Entry] = _gather("torch")
