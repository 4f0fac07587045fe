"""What a workload is: its sides, its target, and how its time is reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Side = Callable[[], float]  # one timed unit; returns the loss (or the value) it computed


@dataclass
class Workload:
    """One row of the table.

    Attributes:
        id: The id in bench/README.md (``W1a``).
        what: A short description.
        sides: ``{"engine": f, "numpy": f, ...}``; ``numpy`` is the lower bound.
        target: The figure to reach, in words (``ratio <= 1.05``).
        meets: Tells from the measured medians (seconds, by side) whether the target is met.
        per: The timed unit is divided by this for display (W2 reports µs per op).
        unit: The display unit: ``"ms"`` or ``"us/op"``.
        warmup: Untimed runs before the repeats (the first one gives the first losses).
        repeats: Timed runs of each side, interleaved.
        figure: The figure the target is stated in, when it is not the ratio (``7.2 us/op``).
        against: ``(side, limit)``: a further row compares the engine with that side of the
            same run (W4's ``fit`` against a loop written by hand on the engine), with the
            target ``engine / side <= limit``.
    """

    id: str
    what: str
    sides: dict[str, Side]
    target: str
    meets: Callable[[dict[str, float]], bool | None]
    per: int = 1
    unit: str = "ms"
    warmup: int = 2
    repeats: int = 15
    figure: Callable[[dict[str, float]], str] | None = None
    against: tuple[str, float] | None = None


def ratio_at_most(limit: float) -> Callable[[dict[str, float]], bool]:
    """The usual target: the engine's median over the numpy lower bound's, at most ``limit``."""
    return lambda medians: medians["engine"] / medians["numpy"] <= limit
