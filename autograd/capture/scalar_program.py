"""``ScalarProgram``: a recorded graph of ``Scalar``s replayed as a few numpy calls per level.

A Scalar graph has one node per number, and walking it node by node in Python, forward and
backward, costs far more than the arithmetic. Most of those nodes
do the same thing as many others at the same depth: micrograd's MLP multiplies thousands of
weights by inputs before any sum can start. ``ScalarProgram`` sorts the nodes by level and, in
each level, by kind of operation, so that one numpy call computes every node of a kind at once;
backward runs the op's own vjp rules on the same arrays, level by level in reverse.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, NamedTuple

import numpy as np

from autograd.engine import topological_order
from autograd.grad_mode import no_grad
from autograd.node import Node
from autograd.op import Op
from autograd.scalar import Scalar
from autograd.tensor import Tensor

# How many nodes of each group from_graph replays both ways (floats, arrays) to check that the
# op is elementwise; at least 2, since a forward written for one float (``x if x > 0 else 0``)
# still passes on an array of one element.
_SAMPLE = 4


class _Group(NamedTuple):
    """The nodes of one level made by one kind of op, in consecutive slots ``start:stop``.

    ``out`` indexes those slots, ``inputs`` holds, per input of the op, the slots it reads, one
    per node (each an int, a slice or an array: see ``_as_index``). ``backward`` holds,
    per input whose gradient leads to a live leaf, ``(rule, targets, inverse)``: ``rule(g, y,
    *inputs, **params)`` computes the input's gradients as an array; they are added to the
    gradient slots ``targets``, directly when ``inverse`` is None (no slot twice), else summed
    per slot first with ``np.bincount(inverse, ...)``.
    """

    level: int
    op: Op
    params: dict[Any, Any]
    start: int
    stop: int
    out: int | slice | np.ndarray
    inputs: tuple[int | slice | np.ndarray, ...]
    backward: tuple[tuple[Callable[..., Any], int | slice | np.ndarray, np.ndarray | None], ...]


class ScalarProgram:
    """A graph of ``Scalar``s recorded once, replayed by levels of vectorized numpy calls.

    The graph's nodes get consecutive slots in one float64 array: first the live leaves (the
    parameters, read anew by each ``run``), then the constants (every other leaf, baked in with
    the value it had), then the recorded nodes by level, where a node's level is one more than
    its inputs' highest (leaves are at 0). Within a level, the nodes made by the same op with
    the same parameters form a group of consecutive slots: its forward is one call of the op's
    own forward on the gathered input values, which works because the elementwise forwards are
    numpy functions or operators. Backward visits the groups in reverse, when every consumer
    of a group has added its share to the group's gradients, and adds each input's gradient
    to the input's slots: ``np.bincount`` sums the shares that go to one slot (a weight used
    by every sample), in one call.

    Only what leads to a live leaf is differentiated: the data points of a network, baked as
    constants, get no gradient computed. ``from_graph`` replays a few nodes of each group both
    ways, on floats as recorded and on arrays, and refuses an op whose forward or rules give
    other numbers on arrays, so that ``run`` never computes something the eager step would not.

    Examples:
        >>> import numpy as np
        >>> from autograd import Scalar
        >>> from autograd.capture.scalar_program import ScalarProgram
        >>> a, b = Scalar(2.0), Scalar(-3.0)
        >>> program = ScalarProgram.from_graph(a * b + a, [a, b])
        >>> program.run(np.array([2.0, -3.0]))
        (-4.0, array([-2.,  2.]))
        >>> program.run(np.array([1.0, 5.0]))  # new values, the same graph
        (6.0, array([6., 1.]))
        >>> program.describe()
        [(1, 'mul', 1), (2, 'add', 1)]
    """

    def __init__(self, n_live: int, constants: np.ndarray, groups: list[_Group], root: int,
                 trainable: np.ndarray) -> None:
        """What ``from_graph`` found; build a program with ``from_graph``."""
        self._n_live = n_live
        self._constants = constants  # slots n_live:n_live + len(constants)
        self._groups = groups
        self._size = groups[-1].stop if groups else n_live + len(constants)
        self._root = root
        # Live leaves that do not require grad: backward gives them nothing.
        self._frozen = np.flatnonzero(~trainable)

    @classmethod
    def from_graph(cls, root: Scalar, live_leaves: Sequence[Scalar]) -> ScalarProgram:
        """Build from a graph recorded by an eager forward pass on Scalars.

        Args:
            root: The Scalar to differentiate (the loss).
            live_leaves: Leaf Scalars whose values are read anew at every run (the
                parameters), in the order ``run`` takes them. Every other leaf reached from
                ``root`` is a constant baked into the program with its current value. A live
                leaf that does not require grad is read anew too, and gets a gradient of 0.0 as
                from backward; an operation none of whose inputs required grad was not recorded,
                so its result is a constant, whatever the leaves it came from.

        Raises:
            TypeError: ``root`` or a live leaf is not a Scalar.
            ValueError: A live leaf is not a leaf or is given twice, or an op cannot be
                vectorized (its forward or its rules fail, or give other numbers, on float64
                arrays; its parameters cannot be told apart); the message names the op.
        """
        live = list(live_leaves)
        for x in [root, *live]:
            if not isinstance(x, Scalar):
                raise TypeError(f"ScalarProgram: expected Scalars, got {type(x).__name__} "
                                f"({x!r:.60})")
        slot: dict[Node, int] = {}
        for i, x in enumerate(live):
            if x._op is not None:
                raise ValueError(f"ScalarProgram: live leaf {i} ({x._describe()}) is not a leaf: "
                                 f"it was made by {x._op.name!r}")
            if x in slot:
                raise ValueError(f"ScalarProgram: live leaf {i} ({x._describe()}) is also live "
                                 f"leaf {slot[x]}")
            slot[x] = i
        levels, constants = _levels(root, slot)
        slot.update(zip(constants, range(len(live), len(live) + len(constants))))
        size = len(slot) + sum(len(nodes) for kinds in levels for nodes in kinds.values())
        # Whether a gradient in a slot can end on a live leaf that requires grad.
        reaches = np.zeros(size, dtype=bool)
        trainable = np.array([x.requires_grad for x in live], dtype=bool)
        reaches[:len(live)] = trainable
        groups = []
        for level, kinds in enumerate(levels[1:], start=1):
            for nodes in kinds.values():
                groups.append(_group(level, nodes, len(slot), slot, reaches))
        return cls(len(live), np.array([x._data for x in constants], dtype=np.float64), groups,
                   slot[root], trainable)

    def run(self, leaf_values: np.ndarray) -> tuple[float, np.ndarray]:
        """Replay the graph with new values of the live leaves.

        Args:
            leaf_values: float64 array, one value per live leaf, in ``from_graph``'s order.

        Returns:
            ``(value, gradient)``: the root's value, and the gradient of the root with respect
            to each live leaf as a float64 array, what ``root.backward()`` would accumulate in
            their ``.grad`` (0.0 for a live leaf the root does not depend on).
        """
        leaf_values = np.asarray(leaf_values, dtype=np.float64)
        if leaf_values.shape != (self._n_live,):
            raise ValueError(f"ScalarProgram.run: expected {self._n_live} leaf values, got an "
                             f"array of shape {leaf_values.shape}")
        values = np.empty(self._size)
        n = self._n_live
        values[:n] = leaf_values
        values[n:n + len(self._constants)] = self._constants
        saved = []  # each group's gathered inputs, read again by backward
        for group in self._groups:
            inputs = [values[index] for index in group.inputs]
            values[group.out] = group.op.forward(*inputs, **group.params)
            saved.append(inputs)
        grads = np.zeros(self._size)
        grads[self._root] = 1.0
        # A rule runs on every node of its group, also on those whose input leads to no live
        # leaf, which the eager backward never differentiates (pow's exponent rule takes the
        # log of a negative base in a ** 2 when it shares a group with 2 ** b): numpy's
        # warnings about those numbers, which go nowhere, are not the step's.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for group, inputs in zip(reversed(self._groups), reversed(saved)):
                g = grads[group.out]  # complete: every consumer is at a later level
                y = values[group.out]
                for rule, targets, inverse in group.backward:
                    grad = rule(g, y, *inputs, **group.params)
                    if inverse is None:
                        grads[targets] += grad
                    else:
                        grads[targets] += np.bincount(inverse, grad, len(targets))
        gradient = grads[:n].copy()  # not a view that would keep every slot alive
        gradient[self._frozen] = 0.0
        return float(values[self._root]), gradient

    def difference(self, other: ScalarProgram) -> str | None:
        """Where ``other``, made from another recording of the same step, differs; None if not.

        The graphs must match group by group (op, parameters, slots read and written), and the
        constants must hold the same numbers: a constant is a leaf made inside the step
        (``Scalar(x)`` on a minibatch's data, a Python number an operation lifted), which a run
        reads from the program, never from the step, so a value that changed between the two
        recordings would be frozen by every run. The answer says which, in words.
        """
        if (self._n_live, self._size, self._root, len(self._constants), len(self._groups)) != (
                other._n_live, other._size, other._root, len(other._constants),
                len(other._groups)) or not all(
                _same_group(a, b) for a, b in zip(self._groups, other._groups)):
            return ("its graph of Scalars had another shape on two calls (a branch or loop on "
                    "a Python value, or Python numbers that changed between calls)")
        a, b = self._constants, other._constants
        changed = np.flatnonzero((a != b) & ~(np.isnan(a) & np.isnan(b)))
        if len(changed) == 0:
            return None
        k = int(changed[0])
        return (f"{len(changed)} of its {len(a)} constant Scalars changed between calls (one "
                f"was {float(a[k])!r} on one call and {float(b[k])!r} on the next): a Scalar "
                f"made inside the step from a Python number (Scalar(x) or Value(x) on each "
                f"call's data) would be frozen by a replay")

    def describe(self) -> list[tuple[int, str, int]]:
        """The program's groups in the order they run: ``(level, op name, number of nodes)``.

        Each group costs a run a few numpy calls whatever its size, so the list's length is what
        a run spends in Python, and the counts how much work each call does.
        """
        return [(g.level, g.op.name, g.stop - g.start) for g in self._groups]

    def __repr__(self) -> str:
        levels = self._groups[-1].level if self._groups else 0
        return (f"ScalarProgram({self._n_live} live leaves, {len(self._constants)} constants, "
                f"{self._size - self._n_live - len(self._constants)} operations in {levels} "
                f"levels, {len(self._groups)} groups)")


def _levels(root: Scalar, live: dict[Any, int]) -> tuple[list[dict[Any, list[Any]]], list[Any]]:
    """The recorded nodes reachable from ``root`` by level, and the constant leaves.

    Level ``k`` is a dict from the kind of op (see ``_kind``) to that level's nodes of that
    kind. The engine's order lists every recorded node after its consumers; the leaves that
    do not require grad, left out of it, are constants too, met as inputs.
    """
    level: dict[Any, int] = dict.fromkeys(live, 0)  # graph values: Scalars
    levels: list[dict[Any, list[Any]]] = [{}]
    constants: list[Any] = []
    for node in reversed(topological_order([root])):  # inputs first
        if node._op is None:
            if node not in level:
                level[node] = 0
                constants.append(node)
            continue
        k = 0
        inputs = node._inputs()
        for x in inputs:
            kx = level.get(x)
            if kx is None:  # a leaf that does not require grad
                level[x] = kx = 0
                constants.append(x)
            elif kx > k:
                k = kx
        level[node] = k = k + 1
        if k == len(levels):
            levels.append({})
        levels[k].setdefault(_kind(node, len(inputs)), []).append(node)
    return levels, constants


def _kind(node: Any, arity: int) -> tuple[Any, ...]:
    """What nodes share to be computed by one call: the op, its arity and its parameters."""
    op, params = node._op, node._params
    assert op is not None  # only recorded nodes are grouped
    if not params:
        return op, arity, ()
    key = (op, arity, tuple(sorted((name, _hashable(value)) for name, value in params.items())))
    try:
        hash(key)
    except TypeError:
        raise ValueError(f"ScalarProgram: cannot vectorize {op.name!r}: its parameters "
                         f"({', '.join(params)}) cannot be compared across nodes") from None
    return key


def _hashable(value: Any) -> Any:
    """A parameter as a group's key holds it: a 0-d array (the condition ``autograd.where``
    gives a Scalar's ``where``) by its value, since arrays do not hash."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value


def _group(level: int, nodes: list[Any], start: int, slot: dict[Any, int],
           reaches: np.ndarray) -> _Group:
    """The group of ``nodes`` (one level, one kind) at slots from ``start``, checked on a sample.

    Gives its nodes their slots, and marks in ``reaches`` those whose gradient can end on a
    live leaf.
    """
    op, params = nodes[0]._op, nodes[0]._params
    assert op is not None  # only recorded nodes are grouped
    columns = np.array([[slot[x] for x in node._inputs()] for node in nodes], dtype=np.intp)
    # The nodes in the order of their inputs' slots: a group that reads every node of an earlier
    # group, as the next add of many sums does, then reads consecutive slots, a view.
    order = np.lexsort(columns.T[::-1])
    nodes, columns = [nodes[k] for k in order.tolist()], columns[order]
    rules = [_array_rule(op, i) for i in range(columns.shape[1])]
    _check(op, params, rules, nodes)
    stop = start + len(nodes)
    slot.update(zip(nodes, range(start, stop)))
    backward = []
    targets: Any
    inverse: Any
    for i, index in enumerate(columns.T):
        if not reaches[index].any():
            continue  # no gradient through this input ends on a live leaf
        reaches[start:stop] |= reaches[index]
        targets, inverse = np.unique(index, return_inverse=True)
        if len(targets) == len(index):
            targets, inverse = _as_index(index), None
        backward.append((rules[i], targets, inverse))
    inputs = tuple(_as_index(index) for index in columns.T)
    out = _as_index(np.arange(start, stop))
    return _Group(level, op, params, start, stop, out, inputs, tuple(backward))


def _same_group(a: _Group, b: _Group) -> bool:
    """Whether two groups compute the same thing from the same slots into the same slots."""
    return (a.level, a.op, a.start, a.stop, len(a.inputs), len(a.backward)) == (
        b.level, b.op, b.start, b.stop, len(b.inputs), len(b.backward)) and _same_params(
        a.params, b.params) and all(_same_index(x, y) for x, y in zip(
        (a.out, *a.inputs, *[t for _, t, _ in a.backward]),
        (b.out, *b.inputs, *[t for _, t, _ in b.backward])))


def _same_params(a: dict[Any, Any], b: dict[Any, Any]) -> bool:
    if a.keys() != b.keys():
        return False
    try:
        return all(bool(np.array_equal(a[k], b[k])) if isinstance(a[k], np.ndarray)
                   else type(a[k]) is type(b[k]) and bool(a[k] == b[k]) for k in a)
    except Exception:  # a parameter that cannot be compared is not known to be the same
        return False


def _same_index(a: int | slice | np.ndarray, b: int | slice | np.ndarray) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
                and bool(np.array_equal(a, b)))
    return a == b


def _as_index(index: np.ndarray) -> int | slice | np.ndarray:
    """The cheapest index that reads the slots ``index``: an int for one slot (a group of one
    node then computes on numpy floats, without an array's overhead: most groups in a long
    sum's chain of adds), a slice when they count up by one (a view, not a copy)."""
    first = int(index[0])
    if len(index) == 1:
        return first
    if np.array_equal(index, np.arange(first, first + len(index))):
        return slice(first, first + len(index))
    return index


def _array_rule(op: Op, index: int) -> Callable[..., Any]:
    """The vjp rule of ``op`` for input ``index`` as ``rule(g, y, *inputs, **params)`` on arrays.

    Rules marked ``raw_rules`` are written for raw data and take the arrays as they are. The
    others are written with graph operations: they get the arrays wrapped as Tensors, which
    record nothing (none requires grad) and compute with the same numpy calls.
    """
    rules = op.rules
    if op.raw_rules:
        return rules[index] if isinstance(rules, tuple) else partial(rules, index)
    return partial(_rule_on_tensors, op, index)


def _rule_on_tensors(op: Op, index: int, g: np.ndarray, y: np.ndarray, *inputs: np.ndarray,
                     **params: Any) -> np.ndarray:
    """Rule ``index`` of ``op`` (written with graph operations) run on arrays wrapped as Tensors."""
    wrap = Tensor._wrap
    result: np.ndarray = op.vjp(index, wrap(g), wrap(y), tuple(wrap(x) for x in inputs),
                                params)._data
    return result


def _check(op: Op, params: dict[Any, Any], rules: list[Callable[..., Any]],
           nodes: list[Node]) -> None:
    """Refuse ``op`` unless its forward and rules on arrays give what they give on floats.

    Replays a few of ``nodes`` as the eager step did, one float at a time, and as the program
    will, on arrays; a forward or rule that is not elementwise (or not written for arrays)
    fails or disagrees. Numbers are those recorded, so NaN or infinities the eager step met
    are met again: numpy's warnings about them were given then.
    """
    sample = (nodes * 2)[:max(2, min(len(nodes), _SAMPLE))]
    xs = [np.array([node._inputs()[i]._data for node in sample]) for i in range(len(rules))]
    y = np.array([node._data for node in sample])
    g = np.linspace(0.5, 1.5, len(sample))
    with no_grad(), np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _agree(op.forward(*xs, **params),
                   [op.forward(*[x._data for x in node._inputs()], **params)
                    for node in sample], "forward")
        except Exception as err:
            raise _refusal(op, "its forward", err) from None
        for i, rule in enumerate(rules):
            try:
                _agree(rule(g, y, *xs, **params),
                       [op.raw_vjp(i, float(gk), node, node._inputs(), node._params)
                        for gk, node in zip(g, sample)], f"rule for input {i}")
            except Exception as err:
                raise _refusal(op, f"its vjp rule for input {i}", err) from None


def _agree(on_arrays: Any, on_floats: list[Any], what: str) -> None:
    """Raise unless ``on_arrays`` is a float64 array equal to ``on_floats`` to 1e-12."""
    expected = np.array(on_floats, dtype=np.float64)
    if not (isinstance(on_arrays, np.ndarray) and on_arrays.dtype == np.float64
            and on_arrays.shape == expected.shape):
        raise ValueError(f"on float64 arrays of shape {expected.shape} the {what} returned "
                         f"{type(on_arrays).__name__} {np.shape(on_arrays)}, not one float64 "
                         f"per element")
    if not np.allclose(on_arrays, expected, rtol=1e-12, atol=0.0, equal_nan=True):
        raise ValueError(f"on float64 arrays the {what} gives other numbers than on floats: "
                         f"it is not elementwise")


def _refusal(op: Op, what: str, err: Exception) -> ValueError:
    """The error that refuses ``op``, naming it and what failed."""
    return ValueError(f"ScalarProgram: cannot vectorize {op.name!r}: {what} does not work "
                      f"elementwise on float64 arrays ({type(err).__name__}: {err})")
