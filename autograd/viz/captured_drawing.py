"""``draw_captured``: what a captured step replays, drawn as a graph of buffers and operations.

An eager step builds a new graph of values at every call; a captured step (``autograd.compile``)
replays a fixed list of operations on fixed-shape buffers. This drawing shows that list: the
buffers (the step's arguments, the parameters, the constants and every intermediate array, each
with its shape and dtype) and the operations between them, in three clusters: the forward pass,
the backward pass (one operation per gradient the vjp rules compute, summed where several reach
one buffer) and the updates (optimizer steps and other calls run anew at each replay).
"""

from __future__ import annotations

from typing import Any

from autograd.viz.rendering import Drawing

_SOURCES = {"arg": ("argument", "#dbeafe"), "external": ("outside the step", "#dcfce7"),
            "constant": ("constant", "#f3f4f6"), "computed": ("", "white")}


def draw_captured(step: Any, *, rankdir: str = "LR", which: int = 0) -> Drawing:
    """Draw what the captured step ``step`` replays (see the module docstring).

    Args:
        step: A function returned by ``autograd.compile``, called at least twice (its second
            call makes the replayable program).
        rankdir: ``"LR"`` (left to right) or ``"TB"`` (top to bottom).
        which: The program to draw when the step was recorded for several sets of guards
            (shapes, modes), in the order they were made.

    Returns:
        A ``graphviz.Digraph`` (Jupyter shows it inline).

    Raises:
        ValueError: The step has no program yet.

    Examples:
        >>> import autograd as ag
        >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> step = ag.compile(lambda x: (w * x).sum())
        >>> _ = [step(ag.ones(2)) for _ in range(2)]
        >>> ag.draw_captured(step)
        <autograd drawing: 4 nodes>
    """
    programs = getattr(step, "programs", None)
    if programs is None:
        raise TypeError(f"draw_captured expects a function returned by autograd.compile. "
                        f"Received: {step!r:.80}")
    if not programs:
        raise ValueError("draw_captured: the step has no replayable program yet; call it twice "
                         "(the first two calls record it), with the same shapes")
    if not 0 <= which < len(programs):
        raise ValueError(f"draw_captured: which={which} but the step has {len(programs)} "
                         f"program(s)")
    recording = programs[which].recording
    columns: dict[str, list[str]] = {"forward": [], "backward": [], "update": []}
    phase = "forward"
    for kind, parts, _ in recording.instructions:
        if kind == "backward":
            columns["backward"] += _backward_lines(recording, parts[0])
            phase = "update"
        else:
            columns[phase].append(_line(recording, kind, parts))
    dot = Drawing(graph_attr={"rankdir": "TB", "fontname": "Helvetica", "nodesep": "0.4"},
                  node_attr={"fontname": "Courier", "fontsize": "10", "shape": "box",
                             "style": "rounded,filled"})
    dot.node("inputs", _inputs_label(recording), fillcolor="#dcfce7", fontname="Helvetica")
    for title, lines in columns.items():
        if not lines:
            continue
        with dot.subgraph(name=f"cluster_{title}") as sub:
            sub.attr(label=f"{title} ({len(lines)})", style="dashed", color="gray60",
                     fontname="Helvetica")
            previous = "inputs"
            for number, line in enumerate(lines):
                name = f"{title}{number}"
                sub.node(name, line, fillcolor=_COLORS[title])
                dot.edge(previous, name, style="invis" if previous == "inputs" else "solid",
                         arrowsize="0.5")
                previous = name
    return dot


_COLORS = {"forward": "white", "backward": "#fee2e2", "update": "#ede9fe"}


def _describe(array: Any) -> str:
    shape = getattr(array, "shape", ())
    dtype = getattr(array, "dtype", type(array).__name__)
    return f"{tuple(shape)} {dtype}"


def _inputs_label(recording: Any) -> str:
    """The buffers a replay starts from: arguments, tensors from outside, constants."""
    rows = []
    for slot, source in enumerate(recording.sources):
        what = {"arg": "argument", "external": "from outside the step",
                "constant": "constant"}.get(source)
        if what is not None:
            rows.append(f"v{slot}: {_describe(recording.values[slot])}, {what}")
    return "buffers read at each replay\\l" + "\\l".join(rows) + "\\l"


def _line(recording: Any, kind: str, parts: tuple[Any, ...]) -> str:
    """One instruction as a line of the program, with the shape of what it writes."""
    def shape(slot: int) -> str:
        return _describe(recording.values[slot])

    if kind in ("op", "call"):
        fn, slots, out = parts[0], parts[1], parts[-1]
        name = getattr(fn, "name", getattr(fn, "__name__", "call"))
        args = ", ".join(f"v{s}" for s in slots)
        if kind == "op" and parts[3]:
            args += ", " + ", ".join(f"{k}=v{s}" for k, s in parts[3] if isinstance(s, int))
        return f"v{out} = {name}({args})\\l    {shape(out)}\\l"
    if kind == "ufunc":
        value = f"v{parts[2][1]}" if parts[2][0] == "slot" else repr(parts[2][1])
        return f"v{parts[1]} {parts[3]} {value}   (in place)\\l"
    if kind == "copy":
        return f"v{parts[0]}[...] = v{parts[1]}   ({parts[2]})\\l"
    if kind == "set_data":
        return f"v{parts[0]}.data = v{parts[1]}\\l"
    if kind == "live":
        fn = parts[0]
        name = getattr(fn, "__qualname__", getattr(fn, "__name__", "call"))
        return f"{name}()   (run anew)\\l"
    groups = parts[0].program.describe()
    return f"Scalar graph: {len(groups)} vector operations\\l    forward, then backward\\l"


def _backward_lines(recording: Any, program: Any) -> list[str]:
    """The backward as lines: one per gradient a vjp rule computes (``+=`` where added)."""
    lines = [f"g{program.root} = 1\\l"]
    present = {program.root}
    for out, op, _, _, in_slots, targets in program.steps:
        if out not in present:
            continue
        present.discard(out)
        args = ", ".join(f"v{s}" for s in in_slots)
        for i, key, _ in targets:
            sign = "+=" if key in present else "="
            lines.append(f"g{key} {sign} d{op.name}/d{i}(g{out}, {args})\\l"
                         f"    {_describe(recording.values[key])}\\l")
            present.add(key)
    stored = [f"v{slot}.grad" for slot in program.leaves if slot in present]
    if stored:
        lines.append("stored: " + ", ".join(stored) + "\\l")
    return lines
