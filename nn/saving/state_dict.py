"""The checks ``Module.load_state_dict`` runs before it changes anything.

Loading stops at nothing half-done: every entry is examined first, every problem is collected,
and a single ``ValueError`` lists them all. Only when there is none are values copied.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(..., strict=False)`` skipped: keys it lacked and keys it ignored."""

    missing_keys: list[str]
    unexpected_keys: list[str]


def _as_array(value: Any) -> np.ndarray | None:
    """The entry as a numpy array, or None when it cannot be one."""
    try:
        return np.asarray(value.data if isinstance(value, Tensor) else value)
    except (TypeError, ValueError):
        return None


def _problem(name: str, target: Tensor, array: np.ndarray | None, value: Any) -> str | None:
    if array is None or array.dtype.kind not in "biufc":
        what = type(value).__name__ if array is None else f"an array of dtype {array.dtype}"
        return f"'{name}': expected a numeric array, received {what}"
    if array.shape != target.shape:
        return (f"'{name}': expected shape {tuple(target.shape)}, received shape "
                f"{tuple(array.shape)}")
    if not np.can_cast(array.dtype, target.dtype, casting="same_kind"):
        return f"'{name}': expected dtype {target.dtype}, received dtype {array.dtype}"
    return None


def checked_state(
    targets: Mapping[str, Tensor], state: Mapping[str, Any], strict: bool, owner: str
) -> tuple[dict[str, np.ndarray], list[str], list[str]]:
    """Match ``state`` against the module's ``targets`` (name -> parameter or buffer).

    Returns:
        ``(arrays, missing, unexpected)``: the arrays to copy, by name, and the names found on
        one side only.

    Raises:
        ValueError: listing every entry whose shape or dtype does not fit, and, when ``strict``,
            every missing or unexpected name. Nothing has been changed when it is raised.
    """
    if not isinstance(state, Mapping):
        raise TypeError(f"load_state_dict expects a mapping of names to arrays (what "
                        f"state_dict() returns). Received: {type(state).__name__}")
    missing = [name for name in targets if name not in state]
    unexpected = [name for name in state if name not in targets]
    problems: list[str] = []
    arrays: dict[str, np.ndarray] = {}
    for name, target in targets.items():
        if name not in state:
            continue
        array = _as_array(state[name])
        problem = _problem(name, target, array, state[name])
        if problem is None:
            arrays[name] = array  # type: ignore[assignment]  # (not None: no problem found)
        else:
            problems.append(problem)
    if strict:
        problems += [f"'{name}': missing from the state dict" for name in missing]
        problems += [f"'{name}': unexpected, the {owner} has no parameter or buffer of that name"
                     for name in unexpected]
    if problems:
        hint = ("\nPass strict=False to skip missing or unexpected names (mismatched shapes "
                "are never skipped). A layer that has not been built yet has no weights: call "
                "it once, or give it input_shape, before loading." if strict else "")
        count = f"{len(problems)} entr{'y does' if len(problems) == 1 else 'ies do'}"
        raise ValueError(f"load_state_dict: {count} not fit the {owner}, and nothing was "
                         f"changed:\n  - " + "\n  - ".join(problems) + hint)
    return arrays, missing, unexpected
