"""The table of gradient-check cases: every differentiable operation, on many shapes.

Each ``Case`` names the operation it checks (an ``Op`` name from ``autograd.ops``, or a composite
from ``COMPOSITES``), a function of the inputs, one shape per input, and whether it also runs on
``Scalar`` inputs. Inputs are drawn from the op's own ``domain`` unless a case gives others.

Most cases need no writing: an op of the table whose rules take no parameters and that has no
case written below is checked from its entry alone (``from_domain``): the op itself on every
shape of ``SHAPES`` (and ``BROADCAST_PAIRS`` for two inputs), on ``Scalar`` inputs too for an
elementwise op. The cases written below are for ops with parameters, with shapes of their own
(matmul, convolution) or with a point to make, and for composites. ``test_op_table.py`` turns
every case into a float64 ``gradcheck`` and ``gradgradcheck``; a coverage test fails when an op
has no case.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import autograd as ag
from autograd.op import Op, op_table
from autograd.ops import conv as conv_ops
from autograd.ops import linalg, loss, reduce
from autograd.ops import shape as shape_ops

SHAPES = [(), (1,), (3,), (2, 3), (2, 1, 3), (0, 3), (2, 0)]
BROADCAST_PAIRS = [((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 1, 3), (4, 1)), ((), (2, 3)),
                   ((4,), (3, 4))]

# Composite operations: written with primitives, checked here like primitives.
COMPOSITES = ["var", "std", "squeeze", "unsqueeze", "flatten", "swapaxes", "T", "mT",
              "stack", "split", "sub_scalar", "rsub", "rtruediv", "rpow",
              # PyTorch's Tensor methods made of primitives
              "max_dim", "min_dim", "sort", "topk", "repeat", "repeat_interleave", "expand",
              "masked_fill", "chunk", "t", "transpose_dims", "in_place", "index_select",
              "masked_select", "dot", "outer", "tril", "triu", "scatter_add_dim"]


DOMAINS = ("real", "positive", "nonzero", "unit")

# The op table, as the tests read it: every op by name, and the family (module) of each.
OPS: dict[str, Op] = {op.name: op for ops in op_table().values() for op in ops}
FAMILY: dict[str, str] = {op.name: family for family, ops in op_table().items() for op in ops}


def inputs_of(op: Op) -> int | None:
    """How many inputs the op takes: one vjp rule each; None for any number (one rule for all)."""
    return len(op.rules) if isinstance(op.rules, tuple) else None


def parameters_of(op: Op) -> list[str]:
    """The keyword parameters its rules take beyond ``g``, the output and the inputs."""
    n = inputs_of(op)
    rules = op.rules if n is not None else (op.rules,)
    skip = 2 + (n if n is not None else 1)  # (g, y, *inputs), or (index, g, y, *inputs)
    found: list[str] = []
    for rule in rules:
        for i, p in enumerate(inspect.signature(rule).parameters.values()):
            if p.kind is p.VAR_KEYWORD:
                name = f"**{p.name}"
            elif p.kind is p.VAR_POSITIONAL or i < skip:
                continue
            elif op.reuses_gradient and p.name == "into":  # the engine's, not a parameter
                continue
            else:
                name = p.name
            if name not in found:
                found.append(name)
    return found


def domains_of(op_name: str, count: int) -> tuple:
    """One domain per input for ``count`` inputs: the op's own, or "real" for a composite."""
    op = OPS.get(op_name)
    domain = "real" if op is None else op.domain
    if isinstance(domain, str):
        return (domain,) * count
    if len(domain) != count:
        raise ValueError(f"{op_name} has {len(domain)} input domains {domain}; a case with "
                         f"{count} inputs must give its own")
    return tuple(domain)


@dataclass(frozen=True)
class Case:
    """One gradient check: ``fn(*inputs)`` for inputs of ``shapes`` drawn from ``domains``.

    ``domains`` defaults to the op's own (``Op.domain``), or "real" for a composite; a case gives
    its own only where its inputs are not the op's (``x ** 0.5`` checks ``pow`` on one positive
    input).
    """

    op: str
    fn: Callable[..., Any]
    shapes: tuple
    domains: tuple | None = None
    scalar: bool = False
    second_order: bool = True
    options: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.domains is None:  # frozen: set once, here
            object.__setattr__(self, "domains", domains_of(self.op, len(self.shapes)))

    @property
    def label(self) -> str:
        shapes = "&".join(str(s).replace(" ", "") for s in self.shapes)
        return f"{self.op}-{shapes}" + ("-scalar" if self.scalar else "")


def sample(shape: tuple, domain: str, rng: np.random.Generator) -> np.ndarray:
    """Values inside ``domain`` and away from kinks and poles (|x| >= 0.2 where it matters)."""
    if domain not in DOMAINS:
        raise ValueError(f"unknown domain {domain!r}; the domains are {DOMAINS}")
    magnitude = rng.uniform(0.2, 2.0, size=shape)
    if domain == "positive":
        return magnitude
    if domain == "unit":
        return rng.uniform(-0.9, 0.9, size=shape)
    sign = rng.choice([-1.0, 1.0], size=shape)
    return sign * magnitude  # "real" and "nonzero" alike: no value near 0


def _unary(op: str, fn: Callable, domain: str | None = None, scalar: bool = True) -> list[Case]:
    domains = None if domain is None else (domain,)
    cases = [Case(op, fn, (s,), domains) for s in SHAPES]
    if scalar:
        cases.append(Case(op, fn, ((),), domains, scalar=True))
    return cases


def _binary(op: str, fn: Callable, domains: tuple | None = None,
            scalar: bool = True) -> list[Case]:
    cases = [Case(op, fn, (s, s), domains) for s in SHAPES]
    cases += [Case(op, fn, pair, domains) for pair in BROADCAST_PAIRS]
    if scalar:
        cases.append(Case(op, fn, ((), ()), domains, scalar=True))
    return cases


def from_domain(op: Op, family: str | None = None) -> list[Case]:
    """The cases an entry of the table gives by itself: the op on every shape, inputs drawn from
    its domain; empty when its rules take parameters (a case must then say which).

    ``family`` is the op's module in ``autograd.ops`` (looked up for an op of the table):
    elementwise forwards take a Python float too, so those ops are also checked on Scalars.
    """
    n = inputs_of(op)
    if n is None or parameters_of(op):
        return []
    domains = (op.domain,) * n if isinstance(op.domain, str) else op.domain
    cases = [Case(op.name, op, (s,) * n, domains) for s in SHAPES]
    if n == 2:
        cases += [Case(op.name, op, pair, domains) for pair in BROADCAST_PAIRS]
    if (family or FAMILY.get(op.name)) == "elementwise":
        cases.append(Case(op.name, op, ((),) * n, domains, scalar=True))
    return cases


REDUCTION_SHAPES_AXES = [
    ((), None), ((3,), None), ((3,), 0), ((2, 3), None), ((2, 3), 0), ((2, 3), -1),
    ((2, 3), (0, 1)), ((2, 1, 3), (0, 2)), ((2, 1, 3), 1), ((0, 3), 1), ((2, 3, 2), (-1, 0)),
]


def _reduction(op: str, method: str, nonempty_only: bool = False, min_count: int = 0,
               **extra: Any) -> list[Case]:
    cases = []
    for shape, axis in REDUCTION_SHAPES_AXES:
        if nonempty_only and 0 in shape:
            continue
        axes = range(len(shape)) if axis is None else np.atleast_1d(axis)
        if int(np.prod([shape[a] for a in axes])) < min_count:
            continue  # std of one element: sqrt at 0 has no derivative
        for keepdims in (False, True):
            def fn(x, axis=axis, keepdims=keepdims):
                if method in ("amax", "amin"):  # PyTorch's: no axis= alias, () for all
                    return getattr(x, method)(() if axis is None else axis, keepdims)
                return getattr(x, method)(axis=axis, keepdims=keepdims, **extra)
            cases.append(Case(op, fn, (shape,)))
    return cases


def _softmax_family(op: str, method: str) -> list[Case]:
    cases = []
    for shape, axis in [((3,), 0), ((2, 3), -1), ((2, 3), 0), ((2, 1, 3), 1), ((2, 2, 3), -1),
                        ((0, 3), -1)]:
        cases.append(Case(op, lambda x, axis=axis: getattr(x, method)(axis=axis), (shape,)))
    return cases


def _cross_entropies() -> list[Case]:
    cases = []
    for shape, axis in [((3,), 0), ((2, 3), -1), ((2, 3), 0), ((2, 1, 3), 1), ((0, 3), -1),
                        ((2, 0), 0)]:
        cases.append(Case("softmax_cross_entropy",
                          lambda z, t, axis=axis: loss.softmax_cross_entropy(
                              z, t, axis=axis), (shape, shape)))
    for shape, classes in [((3,), 2), ((2, 3), [0, 2]), ((2, 1, 3), [[1], [0]]),
                           ((4, 3), [2, 2, 0, 1]), ((0, 3), [])]:
        cases.append(Case("sparse_softmax_cross_entropy",
                          lambda z, classes=np.array(classes, np.intp):
                          loss.sparse_softmax_cross_entropy(z, classes=classes), (shape,)))
    for shape in [(), (3,), (2, 3), (0, 3)]:
        cases.append(Case("sigmoid_cross_entropy", loss.sigmoid_cross_entropy,
                          (shape, shape)))
    for shapes in [((), ()), ((3,), (3,)), ((7, 1), (7, 1)), ((2, 3), (3,)), ((3,), (2, 3))]:
        cases.append(Case("mean_squared_error", loss.mean_squared_error, shapes))
    return cases


_CONV = dict(strides=(2, 1), dilation=(1, 2), padding=((1, 1), (0, 2)))


def _with_constant(g, index):
    return shape_ops.scatter_add(g, index=index, shape=(4, 3))


def _added_in_place(x):
    """A recorded in-place change, as PyTorch records one: ``y`` takes the new record."""
    y = x * 2
    y += x * x
    y.mul_(x)
    y[0, 1] = x[1, 2] * 3
    return y


INDICES = [0, -1, slice(1, 3), (slice(None), 1), (..., None), ([0, 2, 2], slice(None)),
           (np.array([1, 1, 3]), np.array([0, 2, 0])), np.array([True, False, True, True]),
           (slice(None, None, -1), np.array([2, 0]))]

WRITTEN: list[Case] = [
    # elementwise primitives with parameters or a point to make (the others: from_domain)
    *_unary("leaky_relu", lambda x: x.leaky_relu(0.1)),
    *_unary("clip", lambda x: x.clip(-0.5, 0.5)),
    *_unary("clip", lambda x: x.clip(min=0.5)),
    *_binary("pow", lambda a, b: a ** b),  # first: autograd.pow(a, b) is checked on it
    *_unary("pow", lambda x: x ** 3, "real"),
    *_unary("pow", lambda x: x ** 0.5, "positive"),
    *_binary("where", lambda a, b: ag.where(np.asarray(a.data) > 0, a, b), scalar=False),
    *_unary("sub_scalar", lambda x: x - 2.0),
    *_unary("rsub", lambda x: 2.0 - x),
    *_unary("rtruediv", lambda x: 2.0 / x, "nonzero"),
    *_unary("rpow", lambda x: 2.0 ** x),
    *_unary("round", lambda x: x.round(decimals=1)),
    *_unary("round", lambda x: ag.round(x)),
    # reductions and the softmax family
    *_reduction("sum", "sum"),
    *_reduction("mean", "mean", nonempty_only=True),
    *_reduction("max", "amax", nonempty_only=True),
    *_reduction("min", "amin", nonempty_only=True),
    *_reduction("logsumexp", "logsumexp"),
    *_reduction("var", "var", nonempty_only=True, min_count=2),  # n - 1 > 0
    *_reduction("var", "var", nonempty_only=True, correction=0),
    *_reduction("std", "std", nonempty_only=True, min_count=2),
    Case("var", lambda x: x.var(1, False), ((2, 3),)),
    Case("std", lambda x: x.std(correction=2), ((2, 3),)),
    Case("max", lambda x: x.amax(1), ((0, 3),)),
    # cumulative sums, products (exact where an element is 0), norms (p = 2 is sqrt-free at 0)
    Case("cumsum", lambda x: x.cumsum(1), ((2, 3),)),
    Case("cumsum", lambda x: x.cumsum(0), ((3,),)),
    Case("cumsum", lambda x: x.cumsum(-1), ((2, 1, 3),)),
    Case("cumsum", lambda x: x.cumsum(0), ((),)),
    Case("cumsum", lambda x: ag.cumsum(x, 1), ((0, 3),)),
    Case("cumsum", lambda x: x.cumsum(0, dtype=ag.float64), ((3, 2),)),
    Case("prod", lambda x: x.prod(), ((2, 3),)),
    Case("prod", lambda x: x.prod(1), ((2, 3),)),
    Case("prod", lambda x: x.prod(0, keepdim=True), ((2, 1, 3),)),
    Case("prod", lambda x: ag.prod(x), ((),)),
    Case("prod", lambda x: x.prod(1), ((0, 3),)),
    Case("prod", lambda x: (x * ag.tensor(np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]))).prod(1),
         ((2, 3),)),  # one zero, two zeros
    Case("prod", lambda x: (x * ag.tensor(np.array([1.0, 0.0, 1.0, 1.0]))).prod(), ((4,),)),
    Case("prod_others", lambda x: reduce.prod_others(x, axis=1), ((2, 3),)),
    Case("prod_others", lambda x: reduce.prod_others(x, axis=0), ((3, 1, 2),)),
    Case("norm", lambda x: x.norm(), ((2, 3),)),
    Case("norm", lambda x: x.norm(2, dim=1), ((2, 3),)),
    Case("norm", lambda x: x.norm(1, dim=(0, 2), keepdim=True), ((2, 1, 3),)),
    Case("norm", lambda x: x.norm(3, dim=-1), ((2, 3),)),
    Case("norm", lambda x: x.norm(0.5), ((3,),)),
    Case("norm", lambda x: x.norm(-1.5, dim=0), ((3, 2),)),
    Case("norm", lambda x: ag.norm(x, "fro"), ((),)),
    Case("max", lambda x: x.max(), ((2, 3),)),
    # PyTorch's max(dim)/min(dim): the gradient goes to the element picked (a gather)
    Case("max_dim", lambda x: x.max(1).values, ((2, 3),)),
    Case("max_dim", lambda x: x.max(0, keepdim=True)[0], ((2, 1, 3),)),
    Case("max_dim", lambda x: x.max(0)[0], ((),)),
    Case("min_dim", lambda x: x.min(-1).values, ((2, 3),)),
    Case("gather", lambda x: x.gather(1, np.array([[0, 0, 2], [1, 0, 1]])), ((2, 3),)),
    Case("gather", lambda x: x.gather(0, np.array([[1, 0]])), ((2, 3),)),
    Case("gather", lambda x: ag.gather(x, 0, np.array([2, 2, 0, 1])), ((3,),)),
    Case("scatter_along", lambda g: shape_ops.scatter_along(
        g, index=np.array([[0, 0], [2, 1]]), axis=1, shape=(2, 3)), ((2, 2),)),
    Case("sort", lambda x: x.sort(1).values, ((2, 3),)),
    Case("sort", lambda x: x.sort(0, descending=True)[0], ((3, 2),)),
    Case("topk", lambda x: x.topk(2).values, ((2, 3),)),
    Case("topk", lambda x: x.topk(1, dim=0, largest=False)[0], ((3, 2),)),
    Case("clone", lambda x: x.clone() * x, ((2, 3),)),
    *_softmax_family("softmax", "softmax"),
    *_softmax_family("log_softmax", "log_softmax"),
    *_cross_entropies(),
    # linear algebra: numpy's matmul rules
    *[Case("matmul", lambda a, b: a @ b, pair) for pair in [
        ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 2, 3), (3, 4)),
        ((2, 3), (5, 3, 4)), ((1, 2, 3), (4, 3, 2)), ((3,), (2, 3, 4)), ((2, 2, 3), (3,)),
        ((0, 3), (3, 2)), ((2, 0), (0, 3)), ((1, 1), (1, 1))]],
    *[Case("linear", linalg.linear, shapes) for shapes in [
        ((4, 3), (3, 2), (2,)), ((3,), (3, 2), (2,)), ((2, 4, 3), (3, 2), (2,)),
        ((0, 3), (3, 2), (2,)), ((4, 3), (3, 2), (1,)), ((4, 3), (3, 2), ()),
        ((4, 3), (3, 2), (4, 2))]],
    Case("einsum", lambda a, b: ag.einsum("ij,jk->ik", a, b), ((2, 3), (3, 4))),
    Case("einsum", lambda a, b: ag.einsum("bij,bj", [a, b]), ((2, 3, 2), (2, 2))),
    Case("einsum", lambda a: ag.einsum("ii->i", a), ((3, 3),)),
    Case("einsum", lambda a: ag.einsum("iij->", a), ((2, 2, 3),)),
    Case("einsum", lambda a, b, c: ag.einsum("i,ij,j->j", a, b, c), ((2,), (2, 3), (3,))),
    Case("einsum", lambda a, b: ag.einsum("...ij,...j->...i", a, b), ((2, 1, 3, 2), (4, 2))),
    # shapes and indexing
    Case("reshape", lambda x: x.reshape(3, 2), ((2, 3),)),
    Case("reshape", lambda x: x.reshape(-1), ((2, 1, 3),)),
    Case("reshape", lambda x: x.reshape(()), ((1,),)),
    Case("reshape", lambda x: x.reshape(0, 2), ((2, 0),)),
    Case("transpose", lambda x: x.permute(1, 0), ((2, 3),)),
    Case("transpose", lambda x: x.permute(1, 2, 0), ((2, 1, 3),)),
    Case("transpose_dims", lambda x: x.transpose(-1, 0), ((2, 0),)),
    Case("transpose_dims", lambda x: x.transpose(0, 2), ((2, 1, 3),)),
    Case("t", lambda x: x.t(), ((2, 3),)),
    Case("t", lambda x: x.t(), ((3,),)),
    Case("repeat", lambda x: x.repeat(2, 1, 3), ((2, 3),)),
    Case("repeat", lambda x: x.repeat(2), ((),)),
    Case("repeat_interleave", lambda x: x.repeat_interleave(2, dim=1), ((2, 3),)),
    Case("repeat_interleave", lambda x: x.repeat_interleave(np.array([1, 0, 3])), ((3,),)),
    Case("expand", lambda x: x.expand(4, -1, 3), ((2, 1),)),
    Case("masked_fill", lambda x: x.masked_fill(ag.tensor([True, False, True]), 0.5),
         ((2, 3),)),
    Case("chunk", lambda x: x.chunk(2, 1)[1] * x.chunk(3)[0].sum(), ((2, 3),)),
    Case("in_place", lambda x: _added_in_place(x), ((2, 3),)),
    Case("index_select", lambda x: x.index_select(1, ag.tensor([2, 0, 2])), ((2, 3),)),
    Case("index_select", lambda x: ag.index_select(x, 0, ag.tensor([1])), ((2, 1, 3),)),
    Case("masked_select", lambda x: x.masked_select(ag.tensor([True, False, True])), ((2, 3),)),
    Case("dot", lambda a, b: a.dot(b), ((3,), (3,))),
    Case("outer", lambda a, b: ag.outer(a, b), ((3,), (2,))),
    Case("tril", lambda x: x.tril(), ((3, 3),)),
    Case("tril", lambda x: ag.tril(x, -1), ((2, 2, 3),)),
    Case("triu", lambda x: x.triu(1), ((2, 3),)),
    Case("scatter", lambda x, s: x.scatter(0, ag.tensor([[0, 1, 0], [2, 0, 1]]), s),
         ((3, 3), (2, 3))),
    Case("scatter", lambda x, s: ag.scatter(x, 1, ag.tensor([[1], [0]]), s), ((2, 3), (2, 2))),
    Case("scatter", lambda x: x.scatter(1, ag.tensor([[2, 0]]), 0.5), ((2, 3),)),
    Case("scatter", lambda x, s: x.scatter(0, ag.tensor(0), s), ((), ())),
    Case("scatter_add_dim", lambda x, s: x.scatter_add(1, ag.tensor([[0, 0], [2, 1]]), s),
         ((2, 3), (2, 2))),
    Case("scatter_add_dim", lambda x, s: ag.scatter_add(x, 0, ag.tensor([1, 1, 0]), s),
         ((2,), (4,))),
    Case("T", lambda x: x.T, ((2, 3),)),
    Case("mT", lambda x: x.mT, ((2, 2, 3),)),
    Case("swapaxes", lambda x: x.swapaxes(0, -1), ((2, 1, 3),)),
    Case("broadcast_to", lambda x: x.broadcast_to(2, 3), ((3,),)),
    Case("broadcast_to", lambda x: x.broadcast_to((4, 2, 3)), ((2, 1),)),
    Case("broadcast_to", lambda x: x.broadcast_to((2, 3)), ((),)),
    Case("broadcast_to", lambda x: x.broadcast_to((0, 3)), ((1, 3),)),
    Case("squeeze", lambda x: x.squeeze(), ((2, 1, 3),)),
    Case("squeeze", lambda x: x.squeeze(1), ((2, 1, 3),)),
    Case("squeeze", lambda x: x.squeeze((0, 1)), ((2, 1, 3),)),  # PyTorch: 0 is not 1, kept
    Case("unsqueeze", lambda x: x.unsqueeze(0), ((3,),)),
    Case("unsqueeze", lambda x: x.unsqueeze((0, -1)), ((2, 3),)),
    Case("flatten", lambda x: x.flatten(), ((2, 1, 3),)),
    Case("flatten", lambda x: x.flatten(), ((),)),
    Case("flatten", lambda x: x.flatten(1), ((2, 1, 3, 2),)),
    Case("flatten", lambda x: x.flatten(0, -2), ((2, 1, 3),)),
    *[Case("getitem", lambda x, i=i: x[i], ((4, 3),)) for i in INDICES],
    Case("getitem", lambda x: x[()], ((),)),
    Case("getitem", lambda x: x[1:1], ((3,),)),
    Case("scatter_add", lambda g: _with_constant(g, (np.array([1, 1, 3]),)), ((3, 3),)),
    Case("scatter_add", lambda g: _with_constant(g, (slice(0, 2),)), ((2, 3),)),
    Case("concatenate", lambda a, b: ag.concatenate([a, b]), ((2, 3), (1, 3))),
    Case("concatenate", lambda a, b: ag.concatenate([a, b, a], axis=-1), ((2, 1), (2, 3))),
    Case("concatenate", lambda a, b: ag.concatenate([a, b], axis=None), ((2, 2), (3,))),
    Case("concatenate", lambda a, b: ag.concatenate([a, b]), ((0, 3), (2, 3))),
    Case("stack", lambda a, b: ag.stack([a, b], axis=1), ((2, 3), (2, 3))),
    Case("stack", lambda a, b: ag.stack([a, b]), ((), ())),
    Case("split", lambda x: ag.split(x, 1, dim=1)[1] * ag.split(x, [1, 1], dim=1)[0],
         ((3, 2),)),
    Case("split", lambda x: ag.concatenate(ag.split(x, [1, 2, 1])[::-1]), ((4,),)),
    Case("split", lambda x: ag.concatenate(x.split(2)[::-1]), ((5,),)),
    Case("pad", lambda x: ag.pad(x, 1), ((2, 3),)),
    Case("pad", lambda x: ag.pad(x, ((0, 2), (1, 0)), constant_values=3.0), ((2, 3),)),
    Case("pad", lambda x: ag.pad(x, (2, 1)), ((0,),)),
    Case("astype", lambda x: x.astype(np.float32).astype(np.float64) * 3, ((2, 3),),
         second_order=False, options={"eps": 1e-2, "atol": 1e-3, "rtol": 1e-2}),
    # convolution and pooling (channels last)
    Case("conv2d", lambda x, k: ag.conv2d_nhwc(x, k, strides=2, padding="same"),
         ((2, 5, 4, 2), (3, 2, 2, 3))),
    Case("conv2d", lambda x, k: ag.conv2d_nhwc(x, k, dilation_rate=(1, 2)),
         ((1, 4, 5, 1), (2, 2, 1, 2))),
    Case("conv2d_input_grad",
         lambda g, k: conv_ops.conv2d_input_grad(g, k, input_shape=(1, 5, 4, 2), **_CONV),
         ((1, 3, 4, 3), (2, 2, 2, 3))),
    Case("conv2d_kernel_grad",
         lambda x, g: conv_ops.conv2d_kernel_grad(x, g, kernel_shape=(2, 2, 2, 3), **_CONV),
         ((1, 5, 4, 2), (1, 3, 4, 3))),
    Case("max_pool2d", lambda x: ag.max_pool2d_nhwc(x, 3, strides=2, padding="same"),
         ((2, 5, 4, 2),)),
    Case("avg_pool2d", lambda x: ag.avg_pool2d_nhwc(x, (2, 3), strides=1, padding="same"),
         ((1, 4, 5, 2),)),
    Case("avg_pool2d_grad",
         lambda g: conv_ops.avg_pool2d_grad(g, input_shape=(1, 5, 4, 2), pool_size=(2, 2),
                                            strides=(2, 2), padding=((0, 1), (0, 0))),
         ((1, 3, 2, 2),)),
]

# Every op of the table without a written case is checked from its entry alone.
_WRITTEN_OPS = {case.op for case in WRITTEN}
DERIVED: list[Case] = [case for op in OPS.values() if op.name not in _WRITTEN_OPS
                       for case in from_domain(op)]
CASES: list[Case] = WRITTEN + DERIVED
