"""``autograd.Tensor`` against ``torch.Tensor``: one entry per name the two share.

Most of ``torch.Tensor``'s methods are C functions without a Python signature: their entries
say ``signature=False``, and the calls in ``CALLS`` check them instead, each run the same way on
both libraries (``m`` is ``autograd`` or ``torch``; ``x`` a float64 leaf of shape (3, 4) with
distinct values, ``y`` a positive one). ``test_torch_tensor.py`` compares the results and the
gradients that reach ``x`` and ``y``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conformance.borrowed import Entry

NO_SIGNATURE = "torch exposes no Python signature (a C method): checked by its calls"

# name -> the accepted differences (with their reasons); every other shared name has none.
DIFFERENCES = {
    "data": "a change through it is counted: a graph that saved the old values refuses to "
            "run backward (torch's is silent and the gradient may be wrong)",
    "dtype": "a numpy dtype (np.float32) rather than torch.float32: the library's dtype names "
             "are numpy dtypes",
    "shape": "a tuple rather than torch.Size (a tuple subclass)",
    "device": "always the CPU: tensors are numpy arrays",
    "numpy": "also on a tensor that requires grad (torch asks for .detach().numpy() there): "
             "the values are the same, the array is read-only while a graph holds it",
    "sort": "always stable (torch promises it only with stable=True); ties keep their order",
    "argsort": "always stable, as sort",
    "softmax": "dim defaults to -1 (torch requires it)",
    "log_softmax": "dim defaults to -1 (torch requires it)",
    "logsumexp": "dim defaults to all dimensions (torch requires it)",
    "to": "takes a dtype (or 'cpu'): there are no other devices",
    "type": "type() names torch's CPU tensor types; type(dtype) converts",
    "grad_fn": "a GradFn naming the op as torch does (MulBackward0) and holding its record, "
               "not a C++ autograd node",
    "normal_": "draws from numpy's generator (manual_seed governs it): the same distribution, "
               "not torch's numbers",
    "uniform_": "draws from numpy's generator: the same distribution, not torch's numbers; "
                "the bounds are positional (torch calls the first one `from`, a Python keyword)",
    "view": "a reshape: numpy decides whether the result shares memory (torch refuses a view "
            "that cannot)",
    "__array__": "also takes numpy 2's copy= (numpy passes it)",
    "__repr__": "no tensor_contents= (torch's internal)",
    "contiguous": "returns the tensor itself: numpy arrays need no contiguous copy here",
    "scatter": "a src larger than the index is sliced to it, so its gradient works (torch "
               "refuses that gradient); reduce= (deprecated in torch) is refused",
    "scatter_add": "a src larger than the index is sliced to it, so its gradient works (torch "
                   "refuses that gradient)",
    "unique": "the result does not require grad (torch's does, but its backward is not "
              "implemented); sorted=False sorts too, as torch does on the CPU",
    "half": "float16 computed by numpy: rounding of intermediate results may differ from torch's",
    "register_post_accumulate_grad_hook": "a hook that is not callable is refused when "
                                          "registered, not when run",
    "register_hook": "a hook that is not callable is refused when registered (TypeError), not "
                     "when backward runs; hooks on independent branches of one backward may run "
                     "in another order than torch's (each still runs after the hooks of every "
                     "value computed from its tensor)",
    "max": "ties in max(dim) pick the first index (torch does not promise which)",
    "min": "ties in min(dim) pick the first index (torch does not promise which)",
}

# Shared names whose signature torch exposes in Python: compared by signature_differences.
SIGNATURES = {"backward", "register_post_accumulate_grad_hook", "register_hook", "split", "norm",
              "unique",
              "__len__",
              "__iter__", "__rsub__", "__rtruediv__", "__rpow__", "__rmatmul__", "__array__"}
SIGNATURE_IGNORE = {"__array__": ("copy",)}

# The operator dunders the table covers (with the public names); the other dunders are Python's
# object protocol (__init__, __hash__, __repr__ ...), not operations.
OPERATORS = {"__abs__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
             "__truediv__", "__rtruediv__", "__pow__", "__rpow__", "__matmul__", "__rmatmul__",
             "__neg__", "__pos__", "__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__",
             "__getitem__", "__setitem__", "__iadd__", "__isub__", "__imul__", "__itruediv__",
             "__len__", "__iter__", "__bool__", "__float__", "__int__", "__index__",
             "__array__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__"}


def _grad(m: Any, x: Any) -> Any:
    (x * x * x).sum().backward()
    return x.grad


def _retained(m: Any, x: Any) -> Any:
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward()
    return y.grad


def _backward_inputs(m: Any, x: Any, y: Any) -> Any:
    (x * y).sum().backward(inputs=[y])
    return x.grad, y.grad


def _post_accumulate_hook(m: Any, x: Any, y: Any) -> Any:
    """What the hook sees: the accumulated ``.grad`` (two backward calls add up), in no-grad
    mode, with the tensor itself; nothing once removed."""
    seen: list[Any] = []

    def hook(p: Any) -> None:
        seen.append((p is x, p.grad.clone(), m.is_grad_enabled()))

    handle = x.register_post_accumulate_grad_hook(hook)
    (x * y).sum().backward()
    ((x * x).tanh() * y).sum().backward()
    (x * y).sum().backward(inputs=[x])  # a leaf among inputs= runs its hooks too
    handle.remove()
    (x * 3).sum().backward()
    return tuple(seen)


def _gradient_hook(m: Any, x: Any, y: Any) -> Any:
    """A non-leaf's hook doubles the gradient going on; a leaf's sees the total of its two uses
    and adds 1 to what is accumulated; nothing once removed."""
    seen: list[Any] = []
    h = x * y
    h.register_hook(lambda g: g * 2)
    handle = x.register_hook(lambda g: seen.append(g.clone()) or g + 1)
    (h.tanh() * x).sum().backward()
    handle.remove()
    (x * 3).sum().backward()
    return tuple(seen)


def _data_idioms(m: Any, x: Any) -> Any:
    """The hand-written update loop through ``.data``, as old PyTorch tutorials write it."""
    p = x.detach().clone().requires_grad_()
    (p * p * p).sum().backward()
    p.data -= 0.1 * p.grad
    p.grad.data.zero_()
    p.data.mul_(2.0)
    p.data[0] = p.data[1] * 3
    return p.detach(), p.grad, p.is_leaf, p.requires_grad, p.data.requires_grad


def _in_place(change: Callable) -> Callable:
    """``change`` applied to a non-leaf result: recorded, as torch records it."""
    def call(m: Any, x: Any, y: Any) -> Any:
        z = x * y
        change(z, x)
        return z
    return call


def _no_grad(change: Callable) -> Callable:
    """``change`` applied under no_grad to a copy that does not require grad."""
    def call(m: Any, x: Any) -> Any:
        z = x.detach().clone()
        with m.no_grad():
            change(z)
        return z
    return call


def _setitem(z: Any, x: Any) -> None:
    z[1] = x[0] * 3


def _augmented(z: Any, x: Any) -> None:
    z += x
    z -= 0.5
    z *= x
    z /= 2.0


def _special(x: Any) -> Any:
    """``x`` with inf, -inf and NaN in some places."""
    return (x.masked_fill(x > 1.0, float("inf")).masked_fill(x < -1.0, -float("inf"))
            .masked_fill(x.abs() < 0.2, float("nan")))


def _iterate(m: Any, x: Any) -> Any:
    return [row * 2 for row in x]


# name -> calls ``f(m, x)`` or ``f(m, x, y)`` whose results and gradients must agree.
CALLS: dict[str, list[Callable]] = {
    "T": [lambda m, x: x.T],
    "mT": [lambda m, x: x.reshape(2, 3, 2).mT],
    "abs": [lambda m, x: x.abs()],
    "add_": [_in_place(lambda z, x: z.add_(x, alpha=2)), _no_grad(lambda z: z.add_(1.5))],
    "amax": [lambda m, x: x.amax(1), lambda m, x: x.amax(), lambda m, x: x.amax((0, 1), True)],
    "amin": [lambda m, x: x.amin(0, keepdim=True), lambda m, x: x.amin()],
    "argmax": [lambda m, x: x.argmax(), lambda m, x: x.argmax(1), lambda m, x: x.argmax(0, True)],
    "argmin": [lambda m, x: x.argmin(), lambda m, x: x.argmin(dim=1, keepdim=True)],
    "argsort": [lambda m, x: x.argsort(), lambda m, x: x.argsort(0, descending=True)],
    "backward": [lambda m, x: (x * x).sum().backward(),
                 lambda m, x: (x * 2).backward(m.ones(3, 4, dtype=m.float64)),
                 _backward_inputs],
    "broadcast_to": [lambda m, x: x[0].broadcast_to((2, 4))],
    "chunk": [lambda m, x: x.chunk(2, 1), lambda m, x: x.chunk(2)],
    "clamp": [lambda m, x: x.clamp(-0.5, 0.5), lambda m, x: x.clamp(min=0.1),
              lambda m, x, y: x.clamp(min=y - 2.0, max=y), lambda m, x, y: x.clamp(max=y[0]),
              lambda m, x: m.tensor([1, 2, 3]).clamp(min=1.5)],
    "clamp_": [_in_place(lambda z, x: z.clamp_(0.5, 2.0)), _no_grad(lambda z: z.clamp_(max=0.0))],
    "clip": [lambda m, x: x.clip(-0.5, 0.5)],
    "clone": [lambda m, x: x.clone() * x],
    "copy_": [_in_place(lambda z, x: z.copy_(x * 2)), _no_grad(lambda z: z.copy_(z * 3))],
    "cos": [lambda m, x: x.cos()],
    "cpu": [lambda m, x: x.cpu() * 2],
    "data": [lambda m, x: x.data * 2, _data_idioms],
    "detach": [lambda m, x: x.detach() * x],
    "device": [lambda m, x: str(x.device)],
    "dim": [lambda m, x: x.dim()],
    "div_": [_in_place(lambda z, x: z.div_(x)), _no_grad(lambda z: z.div_(4.0))],
    "double": [lambda m, x: x.float().double() * x],
    "dtype": [lambda m, x: str(x.dtype).replace("torch.", "")],
    "eq": [lambda m, x: x.eq(x * 1), lambda m, x: x.eq(0.0)],
    "exp": [lambda m, x: x.exp(), lambda m, x: m.tensor([0, 0]).exp()],  # exact in float32
    "expand": [lambda m, x: x[:, :1].expand(3, 5), lambda m, x: x[0].expand(2, -1)],
    "expand_as": [lambda m, x: x[:1].expand_as(x)],
    "fill_": [_in_place(lambda z, x: z.fill_(2.0)), _no_grad(lambda z: z.fill_(-1.0))],
    "flatten": [lambda m, x: x.flatten(), lambda m, x: x.reshape(3, 2, 2).flatten(1),
                lambda m, x: x.reshape(3, 2, 2).flatten(0, 1)],
    "float": [lambda m, x: x.float()],
    "gather": [lambda m, x: x.gather(1, m.tensor([[0, 0], [3, 1], [2, 2]])),
               lambda m, x: x.gather(0, m.tensor([[2, 1, 0, 0]]))],
    "ge": [lambda m, x: x.ge(0.1)],
    "grad": [_grad],
    "grad_fn": [lambda m, x: x.grad_fn is None and (x * 2).grad_fn is not None],
    "gt": [lambda m, x: x.gt(x * 0.5)],
    "is_leaf": [lambda m, x: (x.is_leaf, (x * 2).is_leaf)],
    "isnan": [lambda m, x: x.masked_fill(x > 0, float("nan")).isnan()],
    "all": [lambda m, x: x.all(), lambda m, x: (x > -1.6).all(1),
            lambda m, x: x.gt(0).all(0, True)],
    "any": [lambda m, x: (x > 1.6).any(), lambda m, x: (x > 1.0).any(dim=0)],
    "item": [lambda m, x: x.sum().item()],
    "le": [lambda m, x: x.le(0.0)],
    "log": [lambda m, x, y: y.log()],
    "log_softmax": [lambda m, x: x.log_softmax(1), lambda m, x: x.log_softmax(dim=0)],
    "logsumexp": [lambda m, x: x.logsumexp(1), lambda m, x: x.logsumexp(0, keepdim=True)],
    "lt": [lambda m, x: x.lt(0.2)],
    "masked_fill": [lambda m, x: x.masked_fill(x > 0, 0.5),
                    lambda m, x: x.masked_fill(m.tensor([True, False, True, False]), -1.0)],
    "matmul": [lambda m, x, y: x.matmul(y.T), lambda m, x: x.matmul(x[0])],
    "max": [lambda m, x: x.max(), lambda m, x: x.max(1), lambda m, x: x.max(0, keepdim=True),
            lambda m, x: x.max(dim=1).values, lambda m, x: x.max(1).indices,
            lambda m, x, y: x.max(y)],
    "maximum": [lambda m, x, y: x.maximum(y)],
    "mean": [lambda m, x: x.mean(), lambda m, x: x.mean(1), lambda m, x: x.mean((0, 1), True),
             lambda m, x: x.mean(dim=0, keepdim=True), lambda m, x: x.mean([0, 1]),
             lambda m, x: x.mean(dim=[1], keepdim=True)],
    "min": [lambda m, x: x.min(), lambda m, x: x.min(0), lambda m, x: x.min(1, True).values],
    "minimum": [lambda m, x, y: x.minimum(y)],
    "mul_": [_in_place(lambda z, x: z.mul_(x)), _no_grad(lambda z: z.mul_(3.0))],
    "name": [lambda m, x: x.name],
    "ndim": [lambda m, x: x.ndim],
    "ne": [lambda m, x: x.ne(x * 1)],
    "nelement": [lambda m, x: x.nelement()],
    "normal_": [lambda m, x: m.zeros(500, 40, dtype=m.float64).normal_(2.0, 0.5).mean().item()
                > 1.95],
    "numel": [lambda m, x: x.numel(), lambda m, x: x[0:0].numel()],
    "numpy": [lambda m, x: x.detach().numpy()],
    "permute": [lambda m, x: x.reshape(3, 2, 2).permute(2, 0, 1)],
    "pow": [lambda m, x, y: y.pow(1.5), lambda m, x, y: y.pow(x)],
    "pow_": [_in_place(lambda z, x: z.pow_(2)), _no_grad(lambda z: z.pow_(3))],
    "relu": [lambda m, x: x.relu()],
    "repeat": [lambda m, x: x.repeat(2, 1), lambda m, x: x.repeat(2, 1, 3),
               lambda m, x: x[0].repeat(3)],
    "repeat_interleave": [lambda m, x: x.repeat_interleave(2), lambda m, x: x.repeat_interleave(
        2, dim=1), lambda m, x: x.repeat_interleave(m.tensor([1, 0, 2]), dim=0)],
    "register_post_accumulate_grad_hook": [_post_accumulate_hook],
    "register_hook": [_gradient_hook],
    "requires_grad": [lambda m, x: (x.requires_grad, x.detach().requires_grad)],
    "requires_grad_": [lambda m, x: x.detach().clone().requires_grad_().requires_grad],
    "reshape": [lambda m, x: x.reshape(4, 3), lambda m, x: x.reshape(-1, 2)],
    "reshape_as": [lambda m, x: x.reshape_as(x.reshape(2, 6))],
    "retain_grad": [_retained],
    "shape": [lambda m, x: tuple(x.shape)],
    "sigmoid": [lambda m, x: x.sigmoid()],
    "sin": [lambda m, x: x.sin()],
    "size": [lambda m, x: tuple(x.size()), lambda m, x: x.size(0), lambda m, x: x.size(-1)],
    "softmax": [lambda m, x: x.softmax(1), lambda m, x: x.softmax(dim=0)],
    "sort": [lambda m, x: x.sort(), lambda m, x: x.sort(0, descending=True),
             lambda m, x: x.sort(dim=1).values],
    "split": [lambda m, x: x.split(2, 1), lambda m, x: x.split([1, 2]),
              lambda m, x: x.split(2)],
    "sqrt": [lambda m, x, y: y.sqrt(), lambda m, x: m.tensor([4, 9]).sqrt()],
    "squeeze": [lambda m, x: x.reshape(3, 1, 4).squeeze(), lambda m, x: x.squeeze(0),
                lambda m, x: x.reshape(3, 1, 4).squeeze(1)],
    "std": [lambda m, x: x.std(), lambda m, x: x.std(1), lambda m, x: x.std(0, unbiased=False),
            lambda m, x: x.std(dim=1, correction=0, keepdim=True)],
    "sub_": [_in_place(lambda z, x: z.sub_(x, alpha=0.5)), _no_grad(lambda z: z.sub_(1.0))],
    "sum": [lambda m, x: x.sum(), lambda m, x: x.sum(0), lambda m, x: x.sum((0, 1), True),
            lambda m, x: x.sum(dim=1, keepdim=True), lambda m, x: x.sum(1, dtype=m.float32),
            lambda m, x: x.sum([0, 1])],
    "swapaxes": [lambda m, x: x.swapaxes(0, 1)],
    "swapdims": [lambda m, x: x.swapdims(1, 0)],
    "t": [lambda m, x: x.t(), lambda m, x: x[0].t()],
    "tanh": [lambda m, x: x.tanh()],
    "to": [lambda m, x: x.to(m.float32)],
    "tolist": [lambda m, x: x.tolist()],
    "topk": [lambda m, x: x.topk(2), lambda m, x: x.topk(1, dim=0, largest=False)],
    "transpose": [lambda m, x: x.transpose(0, 1), lambda m, x: x.reshape(3, 2, 2).transpose(0, 2)],
    "type": [lambda m, x: x.type(), lambda m, x: x.float().type()],
    "uniform_": [lambda m, x: bool((m.zeros(100, dtype=m.float64).uniform_(2.0, 3.0) >= 2.0)
                                   .all())],
    "unsqueeze": [lambda m, x: x.unsqueeze(0), lambda m, x: x.unsqueeze(-1)],
    "var": [lambda m, x: x.var(), lambda m, x: x.var(1), lambda m, x: x.var(0, False),
            lambda m, x: x.var(dim=(0, 1), correction=2)],
    "view": [lambda m, x: x.view(2, 6), lambda m, x: x.view(-1)],
    "view_as": [lambda m, x: x.view_as(x.reshape(6, 2))],
    "exp_": [_in_place(lambda z, x: z.exp_()), _no_grad(lambda z: z.exp_())],
    "log_": [lambda m, x, y: _in_place(lambda z, x: z.log_())(m, y, y),
             _no_grad(lambda z: z.abs_().log_())],
    "sqrt_": [lambda m, x, y: _in_place(lambda z, x: z.sqrt_())(m, y, y)],
    "abs_": [_in_place(lambda z, x: z.abs_()), _no_grad(lambda z: z.abs_())],
    "neg_": [_in_place(lambda z, x: z.neg_())],
    "relu_": [_in_place(lambda z, x: z.relu_()), _no_grad(lambda z: z.relu_())],
    "sigmoid_": [_in_place(lambda z, x: z.sigmoid_())],
    "tanh_": [_in_place(lambda z, x: z.tanh_())],
    "masked_fill_": [_in_place(lambda z, x: z.masked_fill_(x > 0, 0.25)),
                     _no_grad(lambda z: z.masked_fill_(z < 0, 1.0))],
    "zero_": [_in_place(lambda z, x: z.zero_()), _no_grad(lambda z: z.zero_())],
    "add": [lambda m, x, y: x.add(y), lambda m, x, y: x.add(y, alpha=2.5)],
    "sub": [lambda m, x, y: x.sub(y, alpha=0.5)],
    "mul": [lambda m, x, y: x.mul(y), lambda m, x: x.mul(3.0)],
    "div": [lambda m, x, y: x.div(y), lambda m, x, y: x.div(y, rounding_mode="floor"),
            lambda m, x, y: x.div(y, rounding_mode="trunc"),
            lambda m, x: (x * 10).long().div(3, rounding_mode="trunc"),
            lambda m, x: (x * 10).long().div(-3, rounding_mode="floor")],
    # rounding: slope 0 (torch defines no derivative for floor_divide, so it is detached there)
    "floor": [lambda m, x: (x * 3).floor(), lambda m, x: (x * 10).long().floor()],
    "ceil": [lambda m, x: (x * 3).ceil()],
    "trunc": [lambda m, x: (x * 3).trunc()],
    "round": [lambda m, x: (x * 3).round(), lambda m, x: (x * 3).round(decimals=1),
              lambda m, x: m.tensor([0.5, 1.5, 2.5, -0.5, -1.5], dtype=m.float64).round()],
    "sign": [lambda m, x: x.sign() * x, lambda m, x: (x * 10).long().sign()],
    "floor_divide": [lambda m, x, y: x.detach().floor_divide(y.detach()),
                     lambda m, x: (x * 10).long().floor_divide(-3)],
    "__floordiv__": [lambda m, x, y: x.detach() // y.detach(),
                     lambda m, x: (x * 10).long() // 3],
    "__rfloordiv__": [lambda m, x: 7 // (x * 10).long().clamp(min=1)],
    "remainder": [lambda m, x, y: x.remainder(y), lambda m, x: (x * 10).long().remainder(-3)],
    "__mod__": [lambda m, x, y: x % y, lambda m, x: x % 0.7, lambda m, x: (x * 10).long() % 3],
    "__rmod__": [lambda m, x, y: 2.5 % y.detach()],  # torch has no derivative there
    "fmod": [lambda m, x, y: x.fmod(y), lambda m, x: (x * 10).long().fmod(3)],
    "neg": [lambda m, x: x.neg()],
    "log1p": [lambda m, x, y: y.log1p(), lambda m, x: (x * 1e-9).log1p(),
              lambda m, x: m.tensor([0, 3]).log1p()],
    "expm1": [lambda m, x: x.expm1(), lambda m, x: (x * 1e-9).expm1(),
              lambda m, x: m.tensor([0, 1]).expm1()],
    "isinf": [lambda m, x: _special(x).isinf(), lambda m, x: m.tensor([1, 2]).isinf()],
    "isfinite": [lambda m, x: _special(x).isfinite(), lambda m, x: m.tensor([1, 2]).isfinite()],
    "index_select": [lambda m, x: x.index_select(1, m.tensor([3, 0, 3])),
                     lambda m, x: x.index_select(0, m.tensor(2)),
                     lambda m, x: x.index_select(-1, m.tensor([1, 1], dtype=m.int32)),
                     lambda m, x: x[0, 0].index_select(0, m.tensor([0])),
                     lambda m, x: x.index_select(0, m.tensor([], dtype=m.int64))],
    "masked_select": [lambda m, x: x.masked_select(x > 0),
                      lambda m, x: x.masked_select(m.tensor([True, False, False, True])),
                      lambda m, x: x[0].masked_select(m.tensor([[True], [False]]))],
    "nonzero": [lambda m, x: x.clamp(min=0).nonzero(), lambda m, x: (x > 0).nonzero(as_tuple=True),
                lambda m, x: x[0, 0].nonzero(), lambda m, x: (x[0, 0] * 0).nonzero(),
                lambda m, x: x[0, 0].nonzero(as_tuple=True)],
    "type_as": [lambda m, x: (x * 3).type_as(m.tensor([1])),
                lambda m, x, y: y.float().type_as(x) * x],
    "new_zeros": [lambda m, x: x.new_zeros(2, 3), lambda m, x: x.new_zeros((2,)),
                  lambda m, x: x.int().new_zeros([3]), lambda m, x: x.new_zeros(2, dtype=m.int64),
                  lambda m, x: x.new_zeros(size=(1, 2)),
                  lambda m, x: x.new_zeros(2, requires_grad=True).requires_grad],
    "new_ones": [lambda m, x: x.new_ones(2, 3), lambda m, x: x.float().new_ones((2,))],
    "new_full": [lambda m, x: x.new_full((2,), 3), lambda m, x: x.long().new_full((2,), 2.7),
                 lambda m, x: x.new_full([1, 2], 1.5, dtype=m.float32)],
    "new_tensor": [lambda m, x: x.new_tensor([1, 2]), lambda m, x: x.float().new_tensor([True]),
                   lambda m, x: x.new_tensor([1.5], dtype=m.int64),
                   lambda m, x: x.new_tensor([2.0], requires_grad=True).requires_grad],
    # src of the index's shape: torch refuses the gradient of a larger src
    "scatter": [lambda m, x, y: x.scatter(0, m.tensor([[0, 2, 1, 0], [2, 0, 1, 1]]), y[:2]),
                lambda m, x, y: x.scatter(1, m.tensor([[3], [0], [1]]), y[:, :1]),
                lambda m, x: x.scatter(1, m.tensor([[3, 1], [0, 2], [1, 1]]), 0.5),
                lambda m, x: x.scatter(1, m.tensor([[0], [2], [1]]), value=-2.0),
                lambda m, x: (x * 3).long().scatter(0, m.tensor([[1, 0, 2, 1]]), 7.9),
                lambda m, x: x[0, 0].scatter(0, m.tensor(0), x[1, 1])],
    "scatter_add": [lambda m, x, y: x.scatter_add(0, m.tensor([[0, 2, 1, 0], [0, 2, 1, 1]]),
                                                  y[:2]),
                    lambda m, x, y: x.scatter_add(1, m.tensor([[3, 3], [0, 1], [1, 1]]),
                                                  y[:, :2]),
                    lambda m, x: (x * 3).long().scatter_add(
                        1, m.tensor([[1, 1, 1]]), m.tensor([[1, 2, 3]]))],
    "scatter_": [_in_place(lambda z, x: z.scatter_(1, z.new_tensor([[1], [0], [3]]).long(),
                                                   x[:, 2:3])),
                 _no_grad(lambda z: z.scatter_(0, z.new_tensor([[2, 0]]).long(), 9.0))],
    "scatter_add_": [_in_place(lambda z, x: z.scatter_add_(0, z.new_tensor([[2, 2, 0, 1]])
                                                           .long(), x[:1])),
                     _no_grad(lambda z: z.scatter_add_(1, z.new_tensor([[0], [0], [1]]).long(),
                                                       z[:, :1]))],
    "unique": [lambda m, x: (x * 2).round().detach().unique(),
               lambda m, x: (x * 2).long().unique(return_inverse=True, return_counts=True),
               lambda m, x: (x > 0).unique(sorted=False, return_counts=True),
               lambda m, x: m.tensor([[1, 2], [1, 2], [0, 5]]).unique(dim=0, return_inverse=True),
               lambda m, x: m.tensor([[1, 2, 1], [3, 4, 3]]).unique(dim=1, return_counts=True),
               lambda m, x: m.tensor([float("nan"), 1.0, float("nan")]).unique(),
               lambda m, x: m.tensor(3).unique(return_inverse=True)],
    "dot": [lambda m, x, y: x[0].dot(y[1]), lambda m, x: m.tensor([1, 2]).dot(m.tensor([3, 4]))],
    "outer": [lambda m, x, y: x[0].outer(y[1]), lambda m, x: m.tensor([1, 2]).outer(x[0])],
    "tril": [lambda m, x: x.tril(), lambda m, x: x.tril(1), lambda m, x: x.tril(-1),
             lambda m, x: x.reshape(2, 3, 2).tril(), lambda m, x: (x > 0).tril(diagonal=-2),
             lambda m, x: _special(x).tril()],  # inf and NaN above it become 0
    "triu": [lambda m, x: x.triu(), lambda m, x: x.triu(2), lambda m, x: x.triu(diagonal=-1),
             lambda m, x: x.reshape(3, 2, 2).triu(), lambda m, x: (x * 3).long().triu(1)],
    "cumsum": [lambda m, x: x.cumsum(1), lambda m, x: x.cumsum(dim=0),
               lambda m, x: x[0, 0].cumsum(0),
               lambda m, x: (x * 3).int().cumsum(-1, dtype=m.float64),
               lambda m, x: x.float().cumsum(-1, dtype=m.float64), lambda m, x: x.float().cumsum(0),
               lambda m, x: (x > 0).cumsum(1), lambda m, x: (x * 3).int().cumsum(0)],
    # zeros in the input: the gradient is the product of the others, as torch computes it
    "prod": [lambda m, x: x.prod(), lambda m, x: x.prod(1), lambda m, x: x.prod(0, True),
             lambda m, x: x.clamp(min=0).prod(1), lambda m, x: x.clamp(min=0).prod(),
             lambda m, x: (x * 0).prod(0), lambda m, x: (x * 3).int().prod(1),
             lambda m, x: (x > -1).prod(), lambda m, x: (x * 3).int().prod(1, dtype=m.float64)],
    "norm": [lambda m, x: x.norm(), lambda m, x: x.norm(2, 1), lambda m, x: x.norm(p=1, dim=0),
             lambda m, x: x.norm("fro", (0, 1), True), lambda m, x: x.norm(float("inf"), 1),
             lambda m, x: x.norm(-float("inf")), lambda m, x: x.norm(3, dim=1, keepdim=True),
             lambda m, x: x.norm(0.5), lambda m, x: x.clamp(min=0).norm(0, dim=1).detach(),
             lambda m, x: x.norm(-1.5, 1), lambda m, x: x.clamp(min=0).norm(-1),
             lambda m, x: (x * 0).norm(), lambda m, x: (x * 0).norm(1, 1),
             lambda m, x: (x * 0).norm(3), lambda m, x: x[0, 0].norm(),
             lambda m, x: x.float().norm(dtype=m.float64).detach()],
    "square": [lambda m, x: x.square()],
    "mm": [lambda m, x, y: x.mm(y.t())],
    "bmm": [lambda m, x, y: x.reshape(2, 3, 2).bmm(y.reshape(2, 2, 3))],
    "flip": [lambda m, x: x.flip(0), lambda m, x: x.flip((0, 1)), lambda m, x: x.flip(-1)],
    "unbind": [lambda m, x: x.unbind(), lambda m, x: x.unbind(1)],
    "contiguous": [lambda m, x: x.contiguous() * 2],
    "long": [lambda m, x: (x * 3).long()],
    "int": [lambda m, x: (x * 3).int()],
    "bool": [lambda m, x: (x > 0).float().bool()],
    "half": [lambda m, x: x.half().float()],
    # operators
    "__abs__": [lambda m, x: abs(x)],
    "__add__": [lambda m, x, y: x + y, lambda m, x: x + 2.0,
                # torch's promotion: a 0-d tensor yields to a dimensioned one of its category
                lambda m, x, y: x + y[0, 0].float(),
                lambda m, x: m.tensor([1, 2], dtype=m.int32) + m.tensor(1),
                lambda m, x: m.tensor([1, 2]) + m.tensor([0.5, 1.5])],
    "__radd__": [lambda m, x: 2.0 + x],
    "__sub__": [lambda m, x, y: x - y],
    "__rsub__": [lambda m, x: 2.0 - x],
    "__mul__": [lambda m, x, y: x * y, lambda m, x: m.tensor([1, 2]) * 1.5],
    "__rmul__": [lambda m, x: 3.0 * x],
    "__truediv__": [lambda m, x, y: x / y, lambda m, x: m.tensor([7, 3]) / 2],
    "__rtruediv__": [lambda m, x, y: 2.0 / y],
    "__pow__": [lambda m, x, y: y ** 2.5, lambda m, x, y: y ** x,
                lambda m, x: m.tensor([4, 9]) ** 0.5],
    "__rpow__": [lambda m, x: 2.0 ** x],
    "__matmul__": [lambda m, x, y: x @ y.T],
    "__rmatmul__": [lambda m, x, y: y.T.__rmatmul__(x)],
    "__neg__": [lambda m, x: -x],
    "__pos__": [lambda m, x: +x],
    "__lt__": [lambda m, x: x < 0.1],
    "__le__": [lambda m, x: x <= 0.1],
    "__gt__": [lambda m, x: x > 0.1],
    "__ge__": [lambda m, x: x >= 0.1],
    "__eq__": [lambda m, x: x == x * 1],
    "__ne__": [lambda m, x: x != 0.1],
    "__getitem__": [lambda m, x: x[1], lambda m, x: x[:, 1:3], lambda m, x: x[m.tensor([0, 2])],
                    lambda m, x: x[x > 0]],
    "__setitem__": [_in_place(_setitem)],
    "__iadd__": [_in_place(_augmented)],
    "__isub__": [_in_place(_augmented)],
    "__imul__": [_in_place(_augmented)],
    "__itruediv__": [_in_place(_augmented)],
    "__len__": [lambda m, x: len(x)],
    "__iter__": [_iterate],
    "__bool__": [lambda m, x: bool(x.sum() > 0)],
    "__float__": [lambda m, x: float(x[0, 0])],
    "__int__": [lambda m, x: int(x[0, 0] * 10)],
    "__index__": [lambda m, x: [1, 2, 3][m.tensor(2)]],
    "__array__": [lambda m, x: __import__("numpy").asarray(x.detach())],
}

ENTRIES = [
    Entry(f"autograd.Tensor.{name}", f"torch.Tensor.{name}",
          differences=DIFFERENCES.get(name, "") or ("" if name in SIGNATURES else NO_SIGNATURE),
          signature=name in SIGNATURES)
    for name in sorted(CALLS)
]
