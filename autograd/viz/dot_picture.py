"""The DOT statements of a drawing: records, ovals, boxes, clusters, edges and highlights.

``draw_graph`` decides what to draw; ``Picture`` turns each value and operation into DOT lines,
node ids included: ``v3`` is the value numbered 3, ``o3`` the operation that made it, ``g1`` the
box of collapsed group 1, ``cut`` the note about values left out by ``max_nodes``.
"""

from __future__ import annotations

from typing import Any

from autograd.node import Node
from autograd.scalar import Scalar
from autograd.viz import labels
from autograd.viz.layer_groups import Groups, nest
from autograd.viz.steps_backward import BackwardStep
from autograd.viz.steps_forward import ForwardStep

_LEAF_FILL = "#e3eefa"  # inputs and parameters: the values backward is run for
_CURRENT_FILL = "#ffd966"
_NONFINITE = ' color="#c00000" fillcolor="#ffb3b3" penwidth=2'
_STEP_EDGE = ' color="#d62728" penwidth=2.5 fontcolor="#d62728"'
_PENDING = ' color="gray60" fontcolor="gray50"'
_BOX_FILL = "#eeeeee"


def is_constant(node: Node) -> bool:
    """A leaf that needs no gradient: a number written in the code, or input data."""
    return node.is_leaf and not node.requires_grad


class Picture:
    """The DOT lines of one drawing, collected per cluster, then nested and joined.

    Args:
        values: The values to draw, numbered by their position (``v0`` is the root).
        index: Each drawn value's number.
        inputs: Each drawn value's inputs, as drawn (a shared number has one copy per use).
        layout: Where each value goes (its cluster, or a collapsed box).
        step: A backward or forward step to highlight, or None.
        rankdir: The graph's direction, which decides how records are laid out.
    """

    def __init__(self, values: list[Node], index: dict[Node, int], inputs: list[tuple[Node, ...]],
                 layout: Groups, step: Any, rankdir: str) -> None:
        self.values, self.index, self.layout, self.rankdir = values, index, layout, rankdir
        self.inputs = inputs
        self.by_place: dict[tuple[str, ...], list[str]] = {}
        self.edges: dict[tuple[str, str, int], str] = {}
        self.nonfinite_boxes: set[int] = set()
        self.stepping = step is not None
        self.current = None if step is None else index.get(step.node)
        self.pending = None
        self.edge_notes: dict[int, str] = {}
        self.widths: dict[str, float] = {}  # about how wide each drawn node is, in points
        self.step_edge = _STEP_EDGE
        if isinstance(step, ForwardStep):
            computed = step.computed()
            self.pending = {v for v in values if not v.is_leaf and v not in computed}
        elif isinstance(step, BackwardStep):
            # Arrowheads turned around: the gradient flows from the output to the inputs.
            self.step_edge += " dir=back"
            if isinstance(step.root, Scalar):
                self.edge_notes = {i: labels.number(p) for i, p in enumerate(step.passed)
                                   if p is not None}

    def value_id(self, k: int) -> str:
        """The DOT id that stands for value ``k``: its record, or the box that holds it."""
        box = self.layout.box[k]
        return f"v{k}" if box is None else f"g{box}"

    def op_id(self, k: int) -> str:
        """The DOT id that stands for the operation that made value ``k``."""
        box = self.layout.box[k]
        return f"o{k}" if box is None else f"g{box}"

    def add_value(self, k: int, name: str | None, grads: dict[Node, Any] | None,
                  full_values: int) -> None:
        """The record of value ``k``; ``grads`` maps values to raw gradients (None: no grads)."""
        v = self.values[k]
        pending = self.pending is not None and v in self.pending
        grad = None if grads is None or not v.requires_grad else grads.get(v)
        bad = not pending and (labels.nonfinite(labels.raw(v)) or labels.nonfinite(grad))
        if self.layout.box[k] is not None:
            if bad:
                self.nonfinite_boxes.add(self.layout.box[k])  # type: ignore[arg-type]  # (not None)
            return
        grad_text = None
        if grads is not None and v.requires_grad:
            grad_text = "?" if grad is None and self.stepping else (
                "None" if grad is None else labels.value_text(grad, full_values))
        if isinstance(v, Scalar):
            data = "?" if pending else labels.number(labels.raw(v))
            fields, horizontal = labels.scalar_fields(name, data, grad_text), True
        else:
            data = "?" if pending else labels.array_text(labels.raw(v), full_values)
            fields = labels.tensor_fields(name, labels.raw(v), data, grad_text)
            horizontal = False
        self.widths[f"v{k}"] = _record_width(fields, horizontal)
        attrs = f' shape=record label="{labels.record(fields, horizontal, self.rankdir)}"'
        attrs += self._style(k, constant=is_constant(v), pending=pending, bad=bad,
                             fill=_LEAF_FILL if v.is_leaf and v.requires_grad else None)
        if k == 0 and not bad:
            attrs += " penwidth=2"
        self._put(k, f"v{k} [{attrs.strip()}]")

    def add_operation(self, k: int, show_rule: bool) -> None:
        """The oval of the operation that made value ``k``, and the edges in and out of it."""
        v = self.values[k]
        if v.is_leaf:
            return
        drawn = [(i, self.index[x]) for i, x in enumerate(self.inputs[k]) if x in self.index]
        highlight = k == self.current
        for i, j in drawn:
            attrs = ""
            if highlight:
                note = self.edge_notes.get(i)
                attrs = self.step_edge
                if note is not None:
                    attrs += f' label="{note}"'
            self._edge(self.value_id(j), self.op_id(k), attrs)
        if self.layout.box[k] is not None:
            return
        pending = self.pending is not None and v in self.pending
        text = labels.op_text(v.record, show_rule)
        self.widths[f"o{k}"] = _text_width(text) + _OVAL_PADDING
        label = labels.escape(text)
        attrs = f'label="{label}"' + self._style(k, pending=pending)
        self._put(k, f"o{k} [{attrs}]")
        self._edge(f"o{k}", f"v{k}", self.step_edge if highlight else "")

    def add_boxes(self) -> None:
        """One box per collapsed group, labelled with its name, inputs and outputs."""
        boxes = self.layout.boxes
        ins: list[dict[Node, None]] = [{} for _ in boxes]  # (ordered sets)
        outs: list[dict[Node, None]] = [{} for _ in boxes]
        # Deepest values first: roughly evaluation order, so inputs read as they were used.
        for k in range(len(self.values) - 1, -1, -1):
            own = self.layout.box[k]
            for x in self.inputs[k]:
                other = self.layout.box[self.index[x]] if x in self.index else own
                if own is not None and other != own:
                    ins[own][x] = None
                if other is not None and other != own:
                    outs[other][x] = None
        if self.layout.box[0] is not None:
            outs[self.layout.box[0]][self.values[0]] = None
        for b, scope in enumerate(boxes):
            text = "\n".join([scope[-1], _ends("in", ins[b]), _ends("out", outs[b])])
            current = self.current is not None and self.layout.box[self.current] == b
            attrs = f'shape=box style="rounded,filled" label="{labels.escape(text)}"'
            if b in self.nonfinite_boxes:
                attrs += _NONFINITE
            else:
                attrs += f' fillcolor="{_CURRENT_FILL if current else _BOX_FILL}"'
            self.by_place.setdefault(scope[:-1], []).append(f"g{b} [{attrs}]")

    def add_cut_note(self, text: str, cut_into: list[int]) -> None:
        """The note about values left out, with a dashed edge to each operation missing inputs."""
        self.by_place.setdefault((), []).append(
            f'cut [shape=note style=filled fillcolor="#fff4cc" label="{labels.escape(text)}"]')
        for k in cut_into:
            self._edge("cut", self.op_id(k), ' style=dashed color="gray50"')

    def width_left_to_right(self) -> float:
        """About how wide, in points, ``dot`` would lay this graph out from left to right.

        The root is the last column; each operation sits one column before the value it makes,
        and each value one column before the first operation that uses it. The width is the sum
        of each column's widest node and the gaps between columns.
        """
        consumers = [0] * len(self.values)
        for inputs in self.inputs:
            for x in inputs:
                if x in self.index:
                    consumers[self.index[x]] += 1
        value_column = [0] * len(self.values)
        widest: dict[int, float] = {}
        ready = [0]
        while ready:
            k = ready.pop()
            column = value_column[k]
            widest[column] = max(widest.get(column, 0.0), self.widths.get(f"v{k}", 0.0))
            widest[column + 1] = max(widest.get(column + 1, 0.0), self.widths.get(f"o{k}", 0.0))
            for x in self.inputs[k]:
                j = self.index.get(x)
                if j is None:
                    continue
                value_column[j] = max(value_column[j], column + 2)
                consumers[j] -= 1
                if consumers[j] == 0:
                    ready.append(j)
        return sum(widest.values()) + _COLUMN_GAP * (len(widest) - 1)

    def lines(self, caption: list[str]) -> list[str]:
        """Every DOT statement: caption, nodes inside their clusters, then edges."""
        head = []
        if caption:
            text = labels.escape("\n".join(caption), left=True)
            head = [f'label="{text}"', "labelloc=t", "labeljust=l"]
        edges = [f"{src} -> {dst}{' [' + attrs.strip() + ']' if attrs else ''}"
                 for (src, dst, _), attrs in self.edges.items()]
        body = head + nest(self.by_place, _cluster_header) + edges
        return ["\t" + line + "\n" for line in body]

    def _style(self, k: int, constant: bool = False, pending: bool = False, bad: bool = False,
               fill: str | None = None) -> str:
        if k == self.current:
            fill = _CURRENT_FILL
        styles = ["filled"] if fill or bad else []
        if constant or pending:
            styles.append("dashed")
        attrs = f' style="{",".join(styles)}"' if styles else ""
        if bad:
            attrs += _NONFINITE
            if k == self.current:
                attrs += f' fillcolor="{_CURRENT_FILL}"'
        elif fill:
            attrs += f' fillcolor="{fill}"'
        if pending:
            attrs += _PENDING
        return attrs

    def _put(self, k: int, line: str) -> None:
        self.by_place.setdefault(self.layout.place[k], []).append(line)

    def _edge(self, src: str, dst: str, attrs: str) -> None:
        if src == dst:
            return
        # Edges touching a collapsed box or the cut note are merged; other edges are all kept,
        # so an input used twice by one operation shows two arrows.
        merged = src.startswith(("g", "cut")) or dst.startswith("g")
        key = (src, dst, 0 if merged else len(self.edges))
        if key not in self.edges or attrs:
            self.edges[key] = attrs


# graphviz's defaults, roughly: 14 pt Times, half an inch between columns, margins in fields.
_CHAR_WIDTH = 7.0
_FIELD_PADDING = 16.0
_OVAL_PADDING = 36.0
_COLUMN_GAP = 36.0


def _text_width(text: str) -> float:
    return _CHAR_WIDTH * max(len(line) for line in text.split("\n"))


def _record_width(fields: list[str], horizontal: bool) -> float:
    widths = [_text_width(f) + _FIELD_PADDING for f in fields]
    return sum(widths) if horizontal else max(widths)


def _ends(title: str, nodes: dict[Any, None]) -> str:  # values of one kind
    """``in (4, 3) (3, 2)`` for tensors, ``in 3 values`` for scalars."""
    if not nodes:
        return f"{title} none"
    if isinstance(next(iter(nodes)), Scalar):  # one graph holds one kind of value
        return f"{title} {len(nodes)} value{'s' if len(nodes) > 1 else ''}"
    return f"{title} " + " ".join(labels.shape_text(x.shape) for x in nodes)


def _cluster_header(place: tuple[str, ...]) -> list[str]:
    return [f'label="{labels.escape(place[-1])}"', 'style="rounded"', 'color="gray55"',
            'fontcolor="gray30"']
