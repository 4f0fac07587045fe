"""Named groups in drawings: ``name_scope`` blocks as nested clusters, or collapsed to one box.

An operation recorded inside ``with autograd.name_scope("dense"):`` carries the scope names in
``node.record.scope`` (outermost first); its output value is drawn in the same group. Leaves
(inputs, parameters, constants) belong to no group: they are drawn outside, feeding it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Union

Collapse = Union[bool, str, Iterable[str]]


class Groups:
    """Where each drawn value goes: the cluster it is drawn in, or the box that replaces it.

    Args:
        scopes: The scope of each drawn value, in drawing order.
        collapse: False (nothing), True (every outermost group), a group name, or several. A
            name matches a group by its own name (``"dense"``) or by its path (``"model/dense"``).
    """

    def __init__(self, scopes: Iterable[tuple[str, ...]], collapse: Collapse) -> None:
        wanted = _wanted(collapse)
        # the cluster path where each value (or its box) is drawn
        self.place: list[tuple[str, ...]] = []
        self.box: list[int | None] = []  # the collapsed group holding each value, if any
        # the collapsed groups' scopes, in order of appearance
        self.boxes: list[tuple[str, ...]] = []
        number: dict[tuple[str, ...], int] = {}
        for scope in scopes:
            prefix = _collapsed_prefix(scope, wanted)
            if prefix is None:
                self.place.append(scope)
                self.box.append(None)
                continue
            if prefix not in number:
                number[prefix] = len(self.boxes)
                self.boxes.append(prefix)
            self.place.append(prefix[:-1])
            self.box.append(number[prefix])


def _wanted(collapse: Collapse) -> bool | set[str]:
    if isinstance(collapse, bool):
        return collapse
    if isinstance(collapse, str):
        return {collapse}
    return {str(name) for name in collapse}


def _collapsed_prefix(scope: tuple[str, ...], wanted: bool | set[str]) -> tuple[str, ...] | None:
    """The outermost part of ``scope`` that is collapsed, or None."""
    if wanted is False or not scope:
        return None
    if wanted is True:
        return scope[:1]
    for end in range(1, len(scope) + 1):
        prefix = scope[:end]
        if prefix[-1] in wanted or "/".join(prefix) in wanted:
            return prefix
    return None


def nest(lines_by_place: dict[tuple[str, ...], list[str]],
         cluster_header: Callable[[tuple[str, ...]], list[str]]) -> list[str]:
    """DOT lines with each group's lines wrapped in (nested) ``subgraph cluster_N`` blocks.

    Args:
        lines_by_place: Lines per cluster path, in order of first appearance; ``()`` is the
            top level.
        cluster_header: The attribute lines (label, style) of the cluster with a given path.
    """
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = {(): []}
    place: tuple[str, ...] | None  # (None: the end of a cluster, below)
    for place in lines_by_place:
        for end in range(1, len(place) + 1):
            prefix = place[:end]
            if prefix not in children:
                children[prefix] = []
                children[prefix[:-1]].append(prefix)
    out: list[str] = []
    count = 0
    # Iterative depth-first walk; a None on the stack closes the cluster opened before it.
    stack: list[tuple[str, ...] | None] = [()]
    while stack:
        place = stack.pop()
        if place is None:
            out.append("}")
            continue
        if place:
            out.append(f"subgraph cluster_{count} {{")
            out.extend(cluster_header(place))
            count += 1
            stack.append(None)
        out.extend(lines_by_place.get(place, ()))
        stack.extend(reversed(children[place]))
    return out
