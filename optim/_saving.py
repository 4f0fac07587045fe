"""An optimizer's state as plain data, and back: what ``state_dict`` and ``load_state_dict`` do.

The saved form holds only dicts, lists, numbers, booleans, strings and numpy arrays, so the
training API can write it as JSON plus ``.npz`` arrays without pickle. Parameters are replaced by
their position, counted across the groups in order, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Node, Tensor
from optim._checks import describe


def pack(param_groups: list[dict[str, Any]],
         state: dict[Node, dict[str, Any]]) -> dict[str, Any]:
    """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [index, ...]}]}``."""
    index: dict[Node, int] = {}
    groups = []
    for group in param_groups:
        packed = {k: _plain(v) for k, v in group.items() if k != "params"}
        packed["params"] = [index.setdefault(p, len(index)) for p in group["params"]]
        groups.append(packed)
    saved = {index[p]: {k: _plain(v) for k, v in s.items()} for p, s in state.items() if p in index}
    return {"state": saved, "param_groups": groups}


def unpack(
    state_dict: dict[str, Any],
    param_groups: list[dict[str, Any]],
    defaults: dict[str, Any],
    check_options: Callable[[dict[str, Any]], None],
) -> tuple[list[dict[str, Any]], dict[Node, dict[str, Any]]]:
    """Each group's saved options and the new per-parameter state, after checking everything.

    Raises:
        ValueError: Listing every way the saved state does not fit these groups.
    """
    if not isinstance(state_dict, dict) or not {"param_groups", "state"} <= set(state_dict):
        found = sorted(state_dict) if isinstance(state_dict, dict) else type(state_dict).__name__
        raise ValueError(f"load_state_dict: expected a dict with 'param_groups' and 'state' (as "
                         f"returned by state_dict()); received {found}")
    groups, saved_state = state_dict["param_groups"], state_dict["state"]
    if len(groups) != len(param_groups):
        raise ValueError(f"load_state_dict: the saved state has {len(groups)} parameter groups, "
                         f"this optimizer has {len(param_groups)}")
    problems: list[str] = []
    by_index: dict[int, Node] = {}
    options = []
    for i, (saved, group) in enumerate(zip(groups, param_groups)):
        if len(saved["params"]) != len(group["params"]):
            problems.append(f"group {i} holds {len(saved['params'])} parameters in the saved "
                            f"state and {len(group['params'])} here")
        by_index.update(zip((int(k) for k in saved["params"]), group["params"]))
        restored = {k: _restored(v, defaults.get(k)) for k, v in saved.items() if k != "params"}
        try:
            check_options({**group, **restored})
        except (TypeError, ValueError) as err:
            problems.append(f"group {i}: {err}")
        options.append(restored)
    state = {}
    for key, saved in saved_state.items():
        p = by_index.get(int(key))
        if p is None:
            problems.append(f"state entry {key} belongs to no parameter")
            continue
        state[p] = _restored_state(saved, p, key, problems)
    if problems:
        raise ValueError("load_state_dict: the saved state does not fit this optimizer:\n  - "
                         + "\n  - ".join(problems))
    return options, state


def _plain(value: Any) -> Any:
    """A copy made of dicts, lists, numbers and arrays only (no tuples, no numpy scalars)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _restored(value: Any, default: Any) -> Any:
    # Saved files turn tuples (Adam's betas) into lists: give them back their kind.
    if isinstance(default, tuple) and isinstance(value, list):
        return tuple(value)
    return value


# Per-parameter numbers that are not arrays shaped like their parameter (PyTorch keeps them as
# 0-d tensors): NAdam's running product of momenta, ASGD's step size and averaging weight.
SCALAR_STATE = frozenset({"mu_product", "eta", "mu"})
# Adafactor's factored second moment of a matrix: a column of row means, a row of column means.
FACTORED_STATE = {"row_var": lambda shape: shape[:-1] + (1,),
                  "col_var": lambda shape: shape[:-2] + (1,) + shape[-1:]}


def _restored_state(saved: dict[str, Any], p: Node, key: Any,
                    problems: list[str]) -> dict[str, Any]:
    # Arrays are copied in the parameter's dtype; a Scalar's state is 0-d float64 arrays.
    shape, dtype = (p.shape, p.dtype) if isinstance(p, Tensor) else ((), np.float64)
    entry: dict[str, Any] = {}
    for name, value in saved.items():
        if name == "step":
            entry[name] = int(value)
            continue
        if name in SCALAR_STATE:
            entry[name] = float(value)
            continue
        if not isinstance(value, (np.ndarray, list, tuple)) and hasattr(value, "numpy"):
            value = value.numpy()  # a tensor: a state dict saved by torch loads too
        entry[name] = array = np.array(value, dtype=dtype)
        if array.shape != FACTORED_STATE.get(name, lambda s: s)(shape):
            problems.append(f"state entry {key} ('{name}') has shape {array.shape}, but its "
                            f"parameter {describe(p)} has shape {shape}")
    return entry
