"""Text for drawings: numbers, array summaries, operation labels, and escaping for DOT.

Graphviz reads a label inside double quotes, where a backslash starts an escape (``\\n`` breaks
the line) and where, in a record shape, ``{ } | < >`` separate fields. Every piece of text that
comes from the user (names, values, parameters) goes through ``escape`` or ``escape_field``, so
a name such as ``a|b`` or ``"x"`` shows as written instead of breaking the drawing.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_RECORD_SPECIAL = re.compile(r"([{}|<>])")
# A record field drops leading spaces and merges runs of spaces unless they are escaped.
_SIGNIFICANT_SPACE = re.compile(r"^ |(?<= ) ")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# Most labels (numbers, shapes, plain names) need no escaping at all: a quick test skips it.
_PLAIN = re.compile(r"[\w.,+\-*/()=:?\[\]]+(?: [\w.,+\-*/()=:?\[\]]+)*")
_PARAM_WIDTH = 24


def raw(value: Any) -> Any:
    """A value's raw data: a Scalar's float, a Tensor's array (``numpy()``; its ``.data`` is a
    Tensor, as PyTorch's)."""
    return value.numpy() if hasattr(value, "numpy") else value.data


def _lines(text: Any) -> list[str]:
    return [_CONTROL.sub("\ufffd", line) for line in str(text).splitlines()] or [""]


def escape(text: object, left: bool = False) -> str:
    """Text for a plain DOT label in double quotes; lines are centred, or left-aligned."""
    text = str(text)
    if _PLAIN.fullmatch(text):
        return text
    lines = [line.replace("\\", "\\\\").replace('"', '\\"') for line in _lines(text)]
    return "\\l".join(lines) + "\\l" if left else "\\n".join(lines)


def escape_field(text: object) -> str:
    """Text for one field of a record label; several lines are left-aligned."""
    text = str(text)
    if _PLAIN.fullmatch(text):
        return text
    lines = [
        _SIGNIFICANT_SPACE.sub(r"\\ ", _RECORD_SPECIAL.sub(
            r"\\\1", line.replace("\\", "\\\\").replace('"', '\\"')))
        for line in _lines(text)
    ]
    if len(lines) == 1:
        return lines[0]
    return "\\l".join(lines) + "\\l"


def record(fields: list[str], horizontal: bool, rankdir: str) -> str:
    """A record label from raw field texts, laid out side by side or stacked.

    Graphviz flips records with the graph's direction; braces flip them back, so the same
    look is kept for ``LR`` and ``TB``.
    """
    body = " | ".join(escape_field(f) for f in fields)
    flipped = rankdir in ("LR", "RL")
    return "{ " + body + " }" if flipped == horizontal else body


def number(x: Any) -> str:
    """A float the way micrograd prints it (``2.0000``), switching to ``1.2e+06`` when needed."""
    x = float(x)
    if x == 0 or 1e-3 <= abs(x) < 1e5:
        return f"{x:.4f}"
    return f"{x:.4g}"


def _compact(x: Any) -> str:
    return f"{float(x):.4g}"


def nonfinite(raw: Any) -> bool:
    """True when a float or an array holds NaN or an infinity."""
    if raw is None:
        return False
    if isinstance(raw, float):
        return not math.isfinite(raw)
    raw = np.asarray(raw)
    return raw.dtype.kind in "fc" and not bool(np.isfinite(raw).all())


def shape_text(shape: tuple[int, ...]) -> str:
    """``(4, 3)``; ``()`` for a 0-d array."""
    return str(tuple(int(n) for n in shape))


def array_text(a: np.ndarray, full_values: int) -> str:
    """Every value of a small array, else min / mean / max and counts of NaN and Inf."""
    if a.size == 0:
        return "empty"
    if a.size <= full_values:
        return _nested(a)
    if a.dtype.kind == "b":
        return f"{int(a.sum())} True of {a.size}"
    finite = np.isfinite(a) if a.dtype.kind in "fc" else None
    values = a if finite is None or finite.all() else a[finite]
    parts = []
    if values.size:
        parts.append(f"min {_compact(values.min())} mean {_compact(values.mean(dtype=np.float64))}"
                     f" max {_compact(values.max())}")
    if values is not a:
        for name, count in (("NaN", np.isnan(a).sum()), ("Inf", np.isposinf(a).sum()),
                            ("-Inf", np.isneginf(a).sum())):
            if count:
                parts.append(f"{name} ×{int(count)}")
    return ", ".join(parts)


def _nested(a: np.ndarray) -> str:
    """Every element, numpy's brackets, one line per row; depth is the array's ndim, so small."""
    if a.ndim == 0:
        return _element(a[()])
    if a.ndim == 1:
        return "[" + ", ".join(_element(v) for v in a) + "]"
    return "[" + ",\n ".join(_nested(sub) for sub in a) + "]"


def _element(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return _compact(v)


def short(raw: Any) -> str:
    """One line for a value or gradient: the number, or the shape and a short summary."""
    if isinstance(raw, float):
        return number(raw)
    a = np.asarray(raw)
    if a.size <= 4 and a.ndim <= 1:
        return array_text(a, 4)
    return f"{shape_text(a.shape)} {array_text(a, 0)}"


def scalar_fields(name: str | None, data: str, grad: str | None) -> list[str]:
    """micrograd's three fields: the name (when there is one), ``data ...``, ``grad ...``."""
    fields = [name] if name else []
    fields.append(f"data {data}")
    if grad is not None:
        fields.append(f"grad {grad}")
    return fields


def tensor_fields(name: str | None, data: np.ndarray, data_text: str,
                  grad: str | None) -> list[str]:
    """Name, ``shape dtype``, the data and the gradient, one field each."""
    fields = [name] if name else []
    fields.append(f"{shape_text(data.shape)} {data.dtype}")
    fields.append(_titled("data", data_text))
    if grad is not None:
        fields.append(_titled("grad", grad))
    return fields


def _titled(title: str, text: str) -> str:
    # A matrix reads best when its rows start at the same place, so it gets lines of its own.
    return f"{title}\n{text}" if "\n" in text else f"{title} {text}"


def value_text(raw: Any, full_values: int) -> str:
    """A value or gradient for a node label: ``number`` for floats, ``array_text`` for arrays."""
    if isinstance(raw, float):
        return number(raw)
    return array_text(np.asarray(raw), full_values)


def op_text(ctx: Any, show_rule: bool) -> str:
    """An operation's label, its parameters when short, and its derivative rule if asked for."""
    lines = [ctx.op.label]
    params = [f"{k}={_param(v)}" for k, v in ctx.params.items() if v is not None and v is not False]
    if params:
        lines.append(", ".join(params))
    if show_rule and ctx.op.rule:
        lines.append(ctx.op.rule)
    return "\n".join(lines)


def _param(value: Any) -> str:
    if isinstance(value, np.ndarray):
        text = f"array{shape_text(value.shape)}"
    elif isinstance(value, (np.dtype, type)):
        text = np.dtype(value).name if isinstance(value, np.dtype) else value.__name__
    elif callable(value):
        text = getattr(value, "__name__", type(value).__name__)
    else:
        # A default repr holds a memory address, which would change the DOT text run to run.
        text = _ADDRESS.sub("", repr(value))
    return text if len(text) <= _PARAM_WIDTH else text[: _PARAM_WIDTH - 1] + "…"


def who(node: Any) -> str:
    """How step descriptions name a value: ``'a'`` when it has a name, else ``Scalar(-6)``."""
    return f"'{node.name}'" if node.name else node.describe()
