"""Random tensors with PyTorch's signatures: ``rand``, ``randn``, ``randint``, ``randperm``,
``rand_like``, ``randn_like``.

The numbers come from numpy, so they cannot equal PyTorch's; the distributions, shapes and
dtypes do. Without a ``generator`` each draw takes the next generator of the root that
``manual_seed`` restarts (see ``autograd.random``); ``generator`` (PyTorch's name) takes a
``Generator`` (torch's, defined here) or any ``numpy.random.Generator``, and ``rng`` (this
library's name) those or an int seed. Nothing here touches numpy's global random state.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.capture.state import disable
from autograd.devices import check_device, device
from autograd.dtypes import get_default_dtype
from autograd.factories import checked_options, checked_shape, make
from autograd.random import as_generator
from autograd.tensor import Tensor


class Generator(np.random.Generator):
    """A random generator as ``torch.Generator``: ``Generator().manual_seed(0)``, passed as
    ``generator=`` to the random factories (and anywhere a ``numpy.random.Generator`` goes,
    since it is one).

    As in PyTorch, a new generator starts from the same fixed seed (67280421310721), so two
    unseeded generators give the same draws; ``manual_seed`` restarts it, ``seed`` picks a
    seed from the operating system. The draws are numpy's, not torch's.

    Examples:
        >>> import autograd as torch
        >>> g = torch.Generator().manual_seed(42)
        >>> a = torch.rand(3, generator=g)
        >>> bool((torch.rand(3, generator=g.manual_seed(42)) == a).all())
        True
    """

    DEFAULT_SEED = 67280421310721

    def __init__(self, device: Any = "cpu") -> None:
        check_device(device, "Generator")
        super().__init__(np.random.PCG64(self.DEFAULT_SEED))
        self._initial_seed = self.DEFAULT_SEED

    def manual_seed(self, seed: int) -> Generator:
        """Restart from ``seed`` (a non-negative int); returns the generator itself."""
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise RuntimeError(f"manual_seed expects a non-negative int. Received: {seed!r}")
        self.bit_generator.state = np.random.PCG64(int(seed)).state
        self._initial_seed = int(seed)
        return self

    def seed(self) -> int:
        """Restart from a seed chosen by the operating system, and return that seed."""
        # (a SeedSequence made without entropy draws an int)
        chosen = int(np.random.SeedSequence().entropy) % 2**63  # type: ignore[arg-type]
        self.manual_seed(chosen)
        return chosen

    def initial_seed(self) -> int:
        """The seed the generator last started from."""
        return self._initial_seed

    @property
    def device(self) -> device:
        """``device('cpu')``, the one device there is."""
        return device("cpu")


def _generator(generator: Any, rng: Any, who: str) -> np.random.Generator:
    if generator is not None:
        if rng is not None:
            raise TypeError(f"{who}: got both generator= and rng=, which mean the same thing; "
                            f"give one")
        if not isinstance(generator, np.random.Generator):
            raise TypeError(f"{who}: generator must be an autograd.Generator or a "
                            f"numpy.random.Generator. Received: {type(generator).__name__}")
        return generator
    return as_generator(rng)


def _float_dtype(who: str, dtype: object, **options: Any) -> np.dtype:
    dtype = checked_options(who, dtype, **options) or get_default_dtype()
    if dtype.kind != "f":
        raise RuntimeError(f"{who}: draws floating-point values; dtype {dtype} is not a "
                           f"floating-point dtype")
    return dtype


@disable  # a captured step draws anew at each replay
def rand(*size: Any, generator: Any = None, out: Any = None, dtype: Any = None,
         layout: Any = None, device: Any = None, requires_grad: bool = False,
         pin_memory: bool = False, rng: Any = None) -> Tensor:
    """Samples from the uniform distribution on ``[0, 1)``, as ``torch.rand``.

    Examples:
        >>> import autograd as torch
        >>> torch.rand(2, 3).shape
        (2, 3)
    """
    dtype = _float_dtype("rand", dtype, device=device, out=out, layout=layout,
                         pin_memory=pin_memory)
    shape = checked_shape(size, "rand")
    data = _generator(generator, rng, "rand").random(shape).astype(dtype)
    return make(data, requires_grad)


@disable  # a captured step draws anew at each replay
def randn(*size: Any, generator: Any = None, out: Any = None, dtype: Any = None,
          layout: Any = None, device: Any = None, requires_grad: bool = False,
          pin_memory: bool = False, rng: Any = None) -> Tensor:
    """Samples from the standard normal distribution, as ``torch.randn``.

    Examples:
        >>> import autograd as torch
        >>> torch.randn(2, 3, rng=0).shape
        (2, 3)
    """
    dtype = _float_dtype("randn", dtype, device=device, out=out, layout=layout,
                         pin_memory=pin_memory)
    shape = checked_shape(size, "randn")
    data = _generator(generator, rng, "randn").standard_normal(shape).astype(dtype)
    return make(data, requires_grad)


@disable  # a captured step draws anew at each replay
def randint(*args: Any, low: Any = None, high: Any = None, size: Any = None,
            generator: Any = None, out: Any = None, dtype: Any = None, layout: Any = None,
            device: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers drawn uniformly from ``[low, high)``: ``randint(high, size)`` or
    ``randint(low, high, size)``, as ``torch.randint`` (int64 unless ``dtype`` says otherwise);
    each may be given by keyword, as torch allows (``randint(high=10, size=(3,))``).

    Examples:
        >>> import autograd as torch
        >>> x = torch.randint(3, 10, (2, 2))
        >>> x.dtype, bool(((x.numpy() >= 3) & (x.numpy() < 10)).all())
        (dtype('int64'), True)
    """
    dtype = checked_options("randint", dtype, device, out, layout) or np.dtype(np.int64)
    given = list(args)
    if size is None and given:
        size = given.pop()
    if high is None and given:
        if low is not None:  # positional arguments fill low first, as torch's overloads do
            raise TypeError("randint: low was given twice (by position and as low=); write "
                            "randint(low, high, size)")
        high = given.pop()
    if low is None and given:
        low = given.pop()
    if size is None or high is None or given:
        raise TypeError("randint: expected randint(high, size) or randint(low, high, size), "
                        "size a tuple of ints")
    if isinstance(size, (int, np.integer)):
        raise TypeError(f"randint(): argument 'size' must be tuple of ints, not int ({size})")
    low = 0 if low is None else low
    for name, bound in (("low", low), ("high", high)):
        if isinstance(bound, bool) or not isinstance(bound, (int, np.integer)):
            raise TypeError(f"randint: {name} must be an int. Received: {bound!r}")
    if low >= high:
        raise RuntimeError(f"randint: random_ expects 'from' to be less than 'to', but got "
                           f"from={low} >= to={high}")
    shape = checked_shape((size,), "randint")
    data = _generator(generator, None, "randint").integers(low, high, shape, dtype=np.int64)
    return make(data.astype(dtype), requires_grad)


@disable  # a captured step draws anew at each replay
def randperm(n: int, *, generator: Any = None, out: Any = None, dtype: Any = np.int64,
             layout: Any = None, device: Any = None, requires_grad: bool = False,
             pin_memory: bool = False) -> Tensor:
    """A random permutation of ``0 .. n-1``, as ``torch.randperm``.

    Examples:
        >>> import autograd as torch
        >>> sorted(torch.randperm(4).tolist())
        [0, 1, 2, 3]
    """
    dtype = checked_options("randperm", dtype, device, out, layout, pin_memory)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise RuntimeError(f"randperm: n must be a non-negative int. Received: n={n!r}")
    data = _generator(generator, None, "randperm").permutation(int(n))
    return make(data.astype(dtype), requires_grad)


def _random_like(who: str, input: Any, dtype: Any,
                 options: dict[str, Any]) -> tuple[tuple[Any, ...], np.dtype]:
    if not isinstance(input, Tensor):
        raise TypeError(f"{who}: argument 'input' must be Tensor, not {type(input).__name__}")
    return input.shape, _float_dtype(who, input.dtype if dtype is None else dtype, **options)


@disable  # a captured step draws anew at each replay
def rand_like(input: Any, *, generator: Any = None, dtype: Any = None, layout: Any = None,
              device: Any = None, requires_grad: bool = False,
              memory_format: Any = None) -> Tensor:
    """``rand`` in the shape, and unless given the dtype, of ``input`` (a float tensor).

    Examples:
        >>> import autograd as torch
        >>> torch.rand_like(torch.zeros(2, 2)).shape
        (2, 2)
    """
    options = dict(device=device, layout=layout, memory_format=memory_format)
    shape, dtype = _random_like("rand_like", input, dtype, options)
    data = _generator(generator, None, "rand_like").random(shape).astype(dtype)
    return make(data, requires_grad)


@disable  # a captured step draws anew at each replay
def randn_like(input: Any, *, generator: Any = None, dtype: Any = None, layout: Any = None,
               device: Any = None, requires_grad: bool = False,
               memory_format: Any = None) -> Tensor:
    """``randn`` in the shape, and unless given the dtype, of ``input`` (a float tensor)."""
    options = dict(device=device, layout=layout, memory_format=memory_format)
    shape, dtype = _random_like("randn_like", input, dtype, options)
    data = _generator(generator, None, "randn_like").standard_normal(shape).astype(dtype)
    return make(data, requires_grad)
