"""``Module``: the base of every layer and model. It finds its own parameters.

Assigning a ``Parameter`` or a ``Module`` to an attribute registers it, in the order of
assignment; that registry is what ``parameters()``, ``state_dict()``, ``train()`` and the nested
``repr`` walk. Buffers are tensors a module keeps and saves but does not learn (the moving
statistics of batch normalization).
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _checks
from nn.module_hooks import ModuleHooks
from nn.module_placement import Placement
from nn.parameter import Parameter
from nn.saving.state_dict import IncompatibleKeys, checked_state
from nn.weights import KerasWeights

_is_compiling = ag.compiler.is_compiling  # looked up once: every module call asks


class Parameters:
    """The iterator ``Module.parameters()`` returns: the parameters, plus which layers of the
    module have not created theirs yet (an optimizer refuses to start without them)."""

    def __init__(self, module: Module, recurse: bool) -> None:
        self._module = module
        self._params = (param for _, param in module.named_parameters(recurse=recurse))

    def __iter__(self) -> Iterator[Parameter]:
        return self

    def __next__(self) -> Parameter:
        return next(self._params)

    @property
    def unbuilt_layers(self) -> list[str]:
        """The names of the layers whose weights do not exist yet (built at the first call)."""
        return [m.name for m in self._module.modules() if getattr(m, "awaiting_weights", False)]


class Module(KerasWeights, Placement, ModuleHooks):
    """Base class for layers and models: subclasses set attributes in ``__init__`` and write
    ``forward``.

    Args:
        name: Used for drawings (each call runs inside ``autograd.name_scope(name)``) and error
            messages. Defaults to the class name in snake case, numbered when repeated
            (``dense``, ``dense_1``...), as in Keras.

    Examples:
        >>> import numpy as np, autograd as ag, nn
        >>> class Line(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.w = nn.Parameter([2.0])
        ...         self.b = nn.Parameter([1.0])
        ...     def forward(self, x):
        ...         return x * self.w + self.b
        >>> line = Line()
        >>> [name for name, _ in line.named_parameters()]
        ['w', 'b']
        >>> line(ag.tensor([3.0])).numpy()
        array([7.], dtype=float32)
    """

    # The tables that __setattr__ files values in (created in __init__ with object.__setattr__)
    _parameters: dict[str, Parameter]
    _buffers: dict[str, Tensor]
    _modules: dict[str, Module]
    _regularizers: dict[str, Any]

    def __init__(self, name: str | None = None) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{type(self).__name__} expects name to be a str or None. "
                            f"Received: name={name!r}")
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_regularizers", {})
        self.name = name or _checks.unique_name(_checks.snake_case(type(self).__name__))
        self.training = True

    # --- registration ---

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot assign attribute '{name}' before Module.__init__() has run: call "
                f"super().__init__() first in {type(self).__name__}.__init__")
        if isinstance(value, (list, tuple)) and value and all(
                isinstance(v, Module) for v in value):
            # A plain list would hide its modules' parameters. (Imported here: ModuleList is
            # itself a Module, defined after this class.)
            from nn.torch_modules.containers import ModuleList

            value = ModuleList(value)
        self._check_kind_kept(name, value)
        table: dict[str, Any] | None
        if isinstance(value, Parameter):
            table = self._parameters
        elif isinstance(value, Module):
            table = self._modules
        elif name in self._buffers:
            table = self._buffers
        else:
            table = None
        for other in (self._parameters, self._buffers, self._modules):
            if other is not table:
                other.pop(name, None)
        if table is None:
            object.__setattr__(self, name, value)  # a plain attribute (properties still work)
            return
        self.__dict__.pop(name, None)
        # Assigning to an existing key keeps its place: a replaced weight keeps its position.
        table[name] = value

    def _check_kind_kept(self, name: str, value: Any) -> None:
        # Replacing a registered parameter or buffer by a value of another kind would silently
        # drop it from parameters() and state_dict(): refuse, as PyTorch does.
        if name in self._parameters and not isinstance(value, Parameter) and value is not None:
            raise TypeError(f"{type(self).__name__}.{name} is a Parameter; assign a Parameter "
                            f"or None to it. Received: {type(value).__name__}")
        if name in self._buffers and (not isinstance(value, Tensor)
                                      or isinstance(value, Parameter)):
            raise TypeError(f"{type(self).__name__}.{name} is a buffer; assign a Tensor "
                            f"(not a Parameter) to it. Received: {type(value).__name__}")

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup fails: registered values live in the tables.
        for table in ("_parameters", "_buffers", "_modules"):
            values = self.__dict__.get(table, {})
            if name in values:
                return values[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for table in (self._parameters, self._buffers, self._modules):
            if name in table:
                del table[name]
                return
        object.__delattr__(self, name)

    def register_buffer(self, name: str, tensor: Any) -> None:
        """Keep ``tensor`` as a buffer: saved in ``state_dict`` and loaded back, never learned.

        Examples:
            >>> import autograd as ag, nn
            >>> m = nn.Module()
            >>> m.register_buffer("count", ag.zeros(1))
            >>> list(m.state_dict())
            ['count']
        """
        if isinstance(tensor, Parameter) or not isinstance(tensor, Tensor):
            raise TypeError(f"register_buffer expects a Tensor (buffers are not learned, so not "
                            f"a Parameter). Received: {type(tensor).__name__}")
        for table in (self._parameters, self._modules):
            table.pop(name, None)
        self.__dict__.pop(name, None)
        self._buffers[name] = tensor

    def add_module(self, name: str, module: Module) -> None:
        """Register ``module`` as a child called ``name`` (any string, such as ``"0"``)."""
        if not isinstance(module, Module):
            raise TypeError(f"add_module expects a Module. Received: {type(module).__name__}")
        for table in (self._parameters, self._buffers, self.__dict__):
            table.pop(name, None)
        self._modules[name] = module

    def register_parameter(self, name: str, param: Parameter) -> None:
        """Register ``param`` under ``name``; the same as assigning it to an attribute."""
        if not isinstance(param, Parameter):
            raise TypeError(f"register_parameter expects a Parameter. "
                            f"Received: {type(param).__name__}")
        setattr(self, name, param)

    # --- walking the tree ---

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules with their attribute names, in registration order."""
        yield from self._modules.items()

    def children(self) -> Iterator[Module]:
        """The direct sub-modules, in registration order."""
        for _, module in self.named_children():
            yield module

    def named_modules(self, memo: set[Module] | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """This module (named ``prefix``) and every module below it, depth first, as
        ``torch.nn.Module.named_modules``: a module reached twice is given once unless
        ``remove_duplicate=False``; ``memo`` is a set of modules to leave out (it is filled).

        Examples:
            >>> import nn
            >>> shared = nn.Linear(1, 1)
            >>> pair = nn.ModuleDict({"a": shared, "b": shared})
            >>> [name for name, _ in pair.named_modules()]
            ['', 'a']
            >>> [name for name, _ in pair.named_modules(remove_duplicate=False)]
            ['', 'a', 'b']
        """
        # Module's __eq__ and __hash__ are object identity, so a set of modules is a memo.
        seen: set[Module] = set() if memo is None else memo
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if module in seen:  # torch consults a given memo even without remove_duplicate
                continue
            if remove_duplicate:
                seen.add(module)
            yield name, module
            children = [(f"{name}.{key}" if name else key, child)
                        for key, child in module._modules.items()]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        """This module and every module below it."""
        for _, module in self.named_modules():
            yield module

    def get_submodule(self, target: str) -> Module:
        """The module at the dotted path ``target`` (``''``: this module), as
        ``torch.nn.Module.get_submodule``: an AttributeError names the first step that is
        missing or not a module.

        Examples:
            >>> import nn
            >>> net = nn.ModuleDict({"block": nn.ModuleList([nn.Linear(2, 2)])})
            >>> net.get_submodule("block.0")
            Linear(in_features=2, out_features=2, bias=True)
        """
        module = self
        for item in target.split(".") if target else []:
            if not hasattr(module, item):
                raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path ``target`` (``'block.0.weight'``), as
        ``torch.nn.Module.get_parameter``, with its AttributeErrors."""
        _, name, value = self._get_member(target)
        if not isinstance(value, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return value

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path ``target`` (``'norm.running_mean'``), as
        ``torch.nn.Module.get_buffer``, with its AttributeErrors."""
        module, name, value = self._get_member(target)
        if name not in module._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        buffer: Tensor = value
        return buffer

    def _get_member(self, target: str) -> tuple[Module, str, Any]:
        path, _, name = target.rpartition(".")
        module = self.get_submodule(path)
        if not hasattr(module, name):
            raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
        return module, name, getattr(module, name)

    def _named_members(self, table: str, prefix: str, recurse: bool,
                       remove_duplicate: bool) -> Iterator[tuple[str, Any]]:
        # torch's rule: with remove_duplicate, a module reached twice is walked once and a
        # value held under two names is given under the first; without it, every name.
        seen: set[int] = set()
        walk = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
                if recurse else [(prefix, self)])
        for module_prefix, module in walk:
            for key, value in getattr(module, table).items():
                if remove_duplicate:
                    if id(value) in seen:
                        continue
                    seen.add(id(value))
                yield (f"{module_prefix}.{key}" if module_prefix else key), value

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """``(dotted name, parameter)`` pairs such as ``("0.kernel", ...)``, as in torch: each
        name starts with ``prefix``; a parameter shared by two modules (tied weights) is given
        once, under its first name, unless ``remove_duplicate=False``.

        Examples:
            >>> import nn
            >>> [name for name, _ in nn.Linear(2, 1).named_parameters(prefix="fc")]
            ['fc.weight', 'fc.bias']
        """
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Parameters:
        """Every parameter of this module and (with ``recurse``) of its sub-modules, in order.

        Frozen parameters are included (an optimizer skips them). The iterator also knows which
        layers are not built yet, so that an optimizer given it can refuse to start without
        their weights instead of never training them.

        Examples:
            >>> import nn
            >>> layer = nn.Dense(3, input_shape=[2], seed=0)
            >>> [tuple(p.shape) for p in layer.parameters()]
            [(2, 3), (3,)]
        """
        return Parameters(self, recurse)

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """``(dotted name, buffer)`` pairs, with ``named_parameters``' arguments and rules."""
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer of this module and its sub-modules."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def count_params(self) -> int:
        """The number of scalars in all parameters (trainable or frozen)."""
        return sum(p.numel() for p in self.parameters())

    # --- modes, gradients, penalties ---

    def train(self, mode: bool = True) -> Module:
        """Set training mode on this module and every sub-module; returns ``self``."""
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode (dropout off, batch normalization uses its moving statistics)."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set ``requires_grad`` on every parameter (PyTorch's way to freeze); returns ``self``.

        Examples:
            >>> import nn
            >>> layer = nn.Dense(2, input_shape=[2]).requires_grad_(False)
            >>> [p.requires_grad for p in layer.parameters()]
            [False, False]
        """
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(f"{type(self).__name__}.requires_grad_ expects True or False. "
                            f"Received: {requires_grad!r}")
        for param in self.parameters():
            param.requires_grad = bool(requires_grad)
        return self

    def apply(self, fn: Any) -> Module:
        """Call ``fn(module)`` on every sub-module, children before parents, then on ``self``
        (as PyTorch does, e.g. to initialize weights); returns ``self``.

        Examples:
            >>> import nn
            >>> model = nn.Sequential([nn.Dense(2, input_shape=[1]), nn.Dense(1)])
            >>> names = []
            >>> _ = model.apply(lambda m: names.append(type(m).__name__))
            >>> names
            ['Dense', 'Dense', 'Sequential']
        """
        if not callable(fn):
            raise TypeError(f"{type(self).__name__}.apply expects a function of one module. "
                            f"Received: {type(fn).__name__}")
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def zero_grad(self) -> None:
        """Forget the gradients: set ``.grad`` of every parameter to None."""
        for param in self.parameters():
            param.grad = None

    def regularization_loss(self) -> Tensor:
        """The sum of the weight penalties of every layer (a Tensor in the graph, 0 if none).

        It is kept apart from the data loss so both can be reported; add them to train.

        Examples:
            >>> import nn
            >>> layer = nn.Dense(2, input_shape=[2], kernel_initializer="ones",
            ...                  kernel_regularizer=nn.regularizers.L2(0.5))
            >>> float(layer.regularization_loss().item())
            2.0
        """
        total = None
        for module in self.modules():
            for attribute, regularizer in module._regularizers.items():
                penalty = regularizer(getattr(module, attribute))
                total = penalty if total is None else total + penalty
        return ag.tensor(0.0) if total is None else total

    # --- saving and loading ---

    def state_dict(self, *args: Any, destination: dict[str, Any] | None = None,
                   prefix: str = "", keep_vars: bool = False) -> dict[str, Any]:
        """Every parameter and buffer by dotted name, in an ``OrderedDict``, as
        ``torch.nn.Module.state_dict`` gives them.

        The values are detached tensors that share memory with the parameters and buffers
        (``requires_grad`` False): an in-place change to one, ``sd["bias"][0] = 7.0`` or
        ``sd["weight"].copy_(w)``, changes the module. To keep the values as they are now, copy
        them (``{k: v.clone() for k, v in sd.items()}`` or ``copy.deepcopy(sd)``); ``save``
        writes a copy. A parameter shared by two modules (tied weights) appears under each
        name, as in torch.

        Args:
            destination: A mapping to fill and return instead of a new ``OrderedDict``.
            prefix: Put before every name (``"model."`` gives ``"model.weight"``).
            keep_vars: Give the ``Parameter`` and buffer objects themselves, not detached
                tensors.

        Positional arguments are torch's deprecated form ``(destination, prefix,
        keep_vars)``, accepted with its ``FutureWarning``.

        Examples:
            >>> import nn
            >>> layer = nn.Linear(2, 1)
            >>> sd = layer.state_dict()
            >>> [(name, tuple(value.size())) for name, value in sd.items()]
            [('weight', (1, 2)), ('bias', (1,))]
            >>> _ = sd["bias"].fill_(7.0)
            >>> layer.bias.tolist()
            [7.0]
            >>> layer.state_dict(keep_vars=True)["weight"] is layer.weight
            True
        """
        if args:
            if len(args) > 3:
                raise TypeError(f"state_dict takes at most 3 positional arguments "
                                f"(destination, prefix, keep_vars). Received: {len(args)}")
            warnings.warn("Positional args are being deprecated, use kwargs instead. Refer to "
                          "https://pytorch.org/docs/main/generated/torch.nn.Module.html"
                          "#torch.nn.Module.state_dict for details.", FutureWarning,
                          stacklevel=2)
            # torch's reading: a positional value counts where the keyword was left unset
            if destination is None:
                destination = args[0]
            if len(args) > 1 and prefix == "":
                prefix = args[1]
            if len(args) > 2 and keep_vars is False:
                keep_vars = args[2]
        if destination is None:
            destination = OrderedDict()
        self._save_to_state_dict_tree(destination, prefix, keep_vars)
        return destination

    def _save_to_state_dict_tree(self, destination: dict[str, Any], prefix: str,
                                 keep_vars: bool) -> None:
        # torch's walk: this module's parameters, then its buffers, then each child in turn,
        # with no memo, so a module or tensor reached by two paths is listed under both names
        # (a state dict must name every place that loading fills).
        for key, value in (*self._parameters.items(), *self._buffers.items()):
            destination[prefix + key] = value if keep_vars else value.detach()
        for key, child in self._modules.items():
            child._save_to_state_dict_tree(destination, f"{prefix}{key}.", keep_vars)

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True
                        ) -> IncompatibleKeys:
        """Copy the values of ``state_dict`` into the parameters and buffers of the same names.

        Every entry is checked before anything changes: a shape or dtype that does not fit
        always raises; a missing or unexpected name raises when ``strict``. The one
        ``ValueError`` lists every problem, and the module is left untouched.

        Returns:
            ``IncompatibleKeys(missing_keys, unexpected_keys)``: empty lists when ``strict``.

        Examples:
            >>> import nn
            >>> a = nn.Dense(2, input_shape=[3], seed=0)
            >>> b = nn.Dense(2, input_shape=[3], seed=1)
            >>> b.load_state_dict(a.state_dict())
            IncompatibleKeys(missing_keys=[], unexpected_keys=[])
        """
        # Every name the module saves, tied parameters under each of theirs, in torch's order:
        # where two entries fill one parameter, the later one is what it holds, as in torch.
        targets: dict[str, Tensor] = self.state_dict(keep_vars=True)
        arrays, missing, unexpected = checked_state(targets, state_dict, strict,
                                                    type(self).__name__)
        with ag.no_grad():
            for name, array in arrays.items():
                targets[name].copy_(array)
        return IncompatibleKeys(missing, unexpected)

    # --- calling and printing ---

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """The computation; every subclass defines it. Call the module, not ``forward``."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward(); a Module "
                                  f"subclass must, to say what calling it computes")

    def __call__(self, *inputs: Any, **kwargs: Any) -> Any:
        if _is_compiling():  # a captured step replays only in the same mode
            ag.capture.guard(("training", id(self)), lambda: self.training)
        if self._hooks_on:  # torch's forward and backward hooks (nn.module_hooks)
            return self._call_with_hooks(inputs, kwargs)
        with ag.name_scope(self.name):
            return self.forward(*inputs, **kwargs)

    def extra_repr(self) -> str:
        """The module's own settings for its ``repr`` (``units=3``); subclasses override."""
        return ""

    def __repr__(self) -> str:
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not self._modules:
            return head + ")"
        lines = [f"  ({key}): " + repr(child).replace("\n", "\n  ")
                 for key, child in self._modules.items()]
        return head + "\n" + "\n".join(lines) + "\n)"
