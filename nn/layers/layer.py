"""``Layer``: a ``Module`` that follows Keras 3's layer protocol.

A layer creates its weights in ``build(input_shape)``, once the size of its input is known: at
construction when ``input_shape`` is given (``Dense(1, input_shape=[1])``), else at the first
call. Calling a layer converts array-like input to a ``Tensor``, checks its rank, builds if
needed, then runs ``forward`` (or a subclass's Keras-style ``call``).

Every call takes ``training=``, decided as Keras decides it (``nn.training_mode``): the value
given, else that of the enclosing call (a model called with ``training=True``, or ``fit``), else
inference. Keras layers never read PyTorch's ``self.training`` flag.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _checks, initializers, regularizers
from nn import random as nn_random
from nn.module import Module
from nn.parameter import Parameter
from nn.saving import config
from nn.training_mode import current_training, resolve_training, training_scope

# A shape as Keras gives it: None where a size is not known yet (the batch axis).
KerasShape = tuple[int | None, ...]

# Whether a class's computation takes ``training=``, found once per class.
_TAKES_TRAINING: dict[type, bool] = {}


def refuse_unsupported(who: str, **settings: tuple[Any, Any]) -> None:
    """Refuse Keras arguments this library does not implement, unless they hold Keras' default.

    Each keyword is ``name=(value received, Keras' default)``; a value other than the default
    raises a ValueError naming the layer, the argument and the value, so that no setting is
    silently ignored.
    """
    for name, (value, default) in settings.items():
        same = value is default or (type(value) is type(default) and value == default)
        if not same:
            raise ValueError(f"{who}: {name}={value!r} is not supported by this library; only "
                             f"the Keras default {name}={default!r} is. Remove the argument.")


class Layer(Module):
    """Base class of the Keras layers, with Keras 3's constructor arguments.

    Args:
        activity_regularizer: Only None (Keras' default) is supported.
        trainable: False freezes the layer's weights (``layer.trainable``).
        dtype: The floating-point dtype of the weights; defaults to autograd's default dtype
            (float32) when the layer is built.
        autocast: Only True (Keras' default) is supported.
        name: The layer's name (``dense``, ``dense_1``... by default).
        **kwargs: Keras' ``input_shape`` (the shape of one example, without the batch axis:
            ``[1]``, ``(28, 28, 1)``; the layer is built at once) or ``input_dim`` (the same for
            one axis), and this library's ``seed`` (an int or a ``numpy.random.Generator`` for
            the initializers without a seed of their own and for random layers).

    Attributes:
        built: Whether the weights exist.
        input_shape: The input shape the layer was built for, the batch axis as None.

    Examples:
        >>> import autograd as ag
        >>> from nn import layers
        >>> class Scale(layers.Layer):
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        ...     def call(self, inputs):
        ...         return inputs * self.w
        >>> Scale()(ag.tensor([[1.0, 2.0]])).numpy()
        array([[1., 2.]], dtype=float32)
    """

    #: The smallest number of input axes accepted (a batch axis included).
    min_ndim: int = 0
    #: The exact number of input axes accepted, when the layer needs one.
    ndim: int | None = None
    #: Whether inputs are converted to the layer's dtype, as Keras' autocast does (a float64
    #: batch into a default, float32 layer computes in float32).
    float_inputs: bool = True

    def __init__(self, *, activity_regularizer: Any = None, trainable: bool = True,
                 dtype: Any = None, autocast: bool = True, name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name)
        who = type(self).__name__
        input_dim = kwargs.pop("input_dim", None)
        input_shape = (input_dim,) if input_dim is not None else kwargs.pop("input_shape", None)
        seed = kwargs.pop("seed", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {who}: {kwargs}")
        refuse_unsupported(who, activity_regularizer=(activity_regularizer, None),
                           autocast=(autocast, True))
        if not isinstance(trainable, bool):
            raise ValueError(f"Expected `trainable` to be a boolean. Received: "
                             f"trainable={trainable!r} (of type {type(trainable)})")
        if dtype is not None and np.dtype(dtype).kind != "f":
            raise TypeError(f"{who} expects a floating-point dtype. Received: dtype={dtype!r}")
        self.dtype = None if dtype is None else np.dtype(dtype)
        self.seed = seed
        self._rng = nn_random.generator(seed)
        self.built = False
        self.input_shape: KerasShape | None = None
        self._declared_shape = (None if input_shape is None
                                else _checks.shape_tuple(input_shape, who, "input_shape"))
        if not trainable:
            self.trainable = False

    def _build_if_declared(self) -> None:
        """Build now if ``input_shape`` was given; subclasses call it last in ``__init__``."""
        if self._declared_shape is not None:
            self._build_once((None, *self._declared_shape))

    def _build_once(self, input_shape: KerasShape) -> None:
        self.build(input_shape)
        if not self.built:  # a user's build need not call super().build, as in Keras
            self._mark_built(input_shape)

    def build(self, input_shape: KerasShape) -> None:
        """Create the weights for inputs of ``input_shape`` (batch axis None); subclasses that
        have weights override it (calling ``super().build(input_shape)`` is optional)."""
        self._mark_built(input_shape)

    def _mark_built(self, input_shape: KerasShape) -> None:
        self.input_shape = tuple(input_shape)
        self.built = True
        if self.dtype is None and "_built_dtype" not in self.__dict__:
            # Fixed at build: a later set_default_dtype must not disagree with the weights.
            self._built_dtype = ag.get_default_dtype()

    @property
    def awaiting_weights(self) -> bool:
        """True until a layer that has weights (one whose class defines ``build``) is built."""
        return not self.built and type(self).build is not Layer.build

    def weight_dtype(self) -> np.dtype:
        """The dtype the layer's weights have (or will have when built)."""
        if self.dtype is not None:
            value: np.dtype = self.dtype
            return value
        built_dtype = self.__dict__.get("_built_dtype")
        return built_dtype if built_dtype is not None else ag.get_default_dtype()

    def add_weight(self, shape: Any = None, initializer: Any = None, dtype: Any = None,
                   trainable: bool = True, autocast: bool = True, regularizer: Any = None,
                   constraint: Any = None, aggregation: str = "none",
                   overwrite_with_gradient: bool = False, name: str | None = None) -> Tensor:
        """Create a weight and return it, with Keras 3's arguments.

        Assign the result to an attribute (``self.kernel = self.add_weight(...)``); a
        trainable weight is a ``Parameter``, a non-trainable one a buffer (saved, not learned).

        Args:
            shape: Its shape (``()`` when None, as in Keras).
            initializer: A name, an ``Initializer`` or a function ``(shape, dtype)``; None
                means ``"glorot_uniform"`` (Keras' default for floats).
            dtype: Its floating-point dtype; None means the layer's.
            trainable: True for a ``Parameter``, False for a buffer.
            regularizer: A name, a ``Regularizer`` or a function; its penalty is part of
                ``regularization_loss()`` once the weight is assigned to an attribute.
            name: The weight's name (shown in drawings).
            autocast, constraint, aggregation, overwrite_with_gradient: Only Keras' defaults.
        """
        who = f"{type(self).__name__}.add_weight"
        refuse_unsupported(who, autocast=(autocast, True), constraint=(constraint, None),
                           aggregation=(aggregation, "none"),
                           overwrite_with_gradient=(overwrite_with_gradient, False))
        shape = () if shape is None else _checks.shape_tuple(shape, who, "shape")
        init = initializers.get("glorot_uniform" if initializer is None else initializer)
        dtype = self.weight_dtype() if dtype is None else np.dtype(dtype)
        if isinstance(init, initializers.Initializer):
            values = init(shape, dtype=dtype, rng=self._rng)
        else:
            # (not None: an initializer was named)
            values = np.asarray(init(tuple(shape), dtype=dtype), dtype=dtype)  # type: ignore[misc]
        label = f"{self.name}.{name or 'weight'}"
        if trainable:
            # A layer frozen before it was built creates its weights frozen.
            weight: Tensor = Parameter(values, requires_grad=self.trainable, name=label)
        else:
            weight = Tensor(values, name=label)
            # registered as a buffer when assigned (__setattr__); a Tensor has a __dict__
            weight._layer_buffer = True  # type: ignore[attr-defined]
        penalty = regularizers.get(regularizer)
        if penalty is not None:
            weight._layer_regularizer = penalty  # type: ignore[attr-defined]  # (as above)
        return weight

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Tensor) and "_parameters" in self.__dict__:
            if value.__dict__.get("_layer_buffer") and name not in self._buffers:
                self.register_buffer(name, value)
                return
            penalty = value.__dict__.get("_layer_regularizer")
            if penalty is not None:
                self._regularizers[name] = penalty
        super().__setattr__(name, value)

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments as JSON-able data (``save`` stores it as the architecture).

        Each named argument is read from the attribute of the same name (a layer whose
        attributes do not follow that convention overrides this method), followed by the
        keyword arguments that were given: ``input_shape``, ``dtype``, ``seed``, ``trainable``.
        """
        result = {}
        for name in config.constructor_arguments(type(self)):
            if name in ("activity_regularizer", "autocast") or name in _ONLY_DEFAULT:
                continue  # only Keras' default is supported: nothing to store
            if not hasattr(self, name):
                raise TypeError(f"{type(self).__name__}.get_config: argument '{name}' is not "
                                f"stored as an attribute of the same name; override get_config")
            result[name] = config.serialize(getattr(self, name), f"{self.name}.{name}")
        if self._declared_shape is not None:
            result["input_shape"] = list(self._declared_shape)
        # The dtype the weights were built in, so that a model built under
        # set_default_dtype('float64') loads back in float64, not the loader's default.
        dtype = self.dtype if self.dtype is not None else self.__dict__.get("_built_dtype")
        if dtype is not None:
            result["dtype"] = config.serialize(dtype, f"{self.name}.dtype")
        if isinstance(self.seed, (int, np.integer)):
            result["seed"] = int(self.seed)
        if not self.trainable:
            result["trainable"] = False  # a frozen layer stays frozen when loaded
        return result

    @classmethod
    def from_config(cls, layer_config: dict[str, Any]) -> Layer:
        """A new layer from ``get_config()`` data."""
        arguments = {k: config.deserialize(v) for k, v in layer_config.items()}
        trainable = arguments.pop("trainable", True)
        layer = cls(**arguments)
        layer.trainable = trainable
        return layer

    def _check_rank(self, x: Tensor) -> None:
        if x.ndim >= self.min_ndim and (self.ndim is None or x.ndim == self.ndim):
            return
        expected = f"ndim={self.ndim}" if self.ndim is not None else f"min_ndim={self.min_ndim}"
        raise ValueError(
            f"Input 0 of layer '{self.name}' is incompatible with the layer: expected "
            f"{expected}, found ndim={x.ndim}. Full shape received: {tuple(x.shape)}. The first "
            f"axis is the batch: reshape a single example to (1, ...) and a column of single "
            f"values to (-1, 1)."
        )

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """The computation: a subclass defines ``forward`` or, as in Keras, ``call``."""
        call = getattr(self, "call", None)
        if call is None:
            return super().forward(*inputs, **kwargs)
        return call(*inputs, **kwargs)

    def _takes_training(self) -> bool:
        cls = type(self)
        if cls not in _TAKES_TRAINING:
            method = cls.forward if cls.forward is not Layer.forward else getattr(cls, "call",
                                                                                   None)
            _TAKES_TRAINING[cls] = method is not None and (
                "training" in inspect.signature(method).parameters)
        return _TAKES_TRAINING[cls]

    def __call__(self, inputs: Any, *args: Any, training: bool | None = None,
                 mask: Any = None, **kwargs: Any) -> Any:
        """Run the layer on ``inputs``; ``training`` as in Keras (None: inherited, else
        inference). Layers that behave alike in both modes accept it too."""
        if mask is not None:
            raise ValueError(f"Layer '{self.name}': masks are not supported by this library. "
                             f"Received: a mask of type {type(mask).__name__}; call the layer "
                             f"without mask=")
        if not isinstance(inputs, Tensor) and hasattr(inputs, "apply_layer"):
            # nn.Input's symbolic tensor: record the call (nn/training/symbolic.py).
            extra = {} if training is None else {"training": training}
            return inputs.apply_layer(self, args, {**kwargs, **extra})
        if ag.compiler.is_compiling():  # the mode of the outermost call, before its scope
            ag.capture.guard("keras training scope", current_training)
        for value in args:
            if not isinstance(value, (Tensor, np.ndarray)):
                # As Keras: layer(x, True) would silently be something else than training=True.
                raise ValueError(f"Only input tensors may be passed as positional arguments. "
                                 f"The following argument value should be passed as a keyword "
                                 f"argument: {value!r} (of type {type(value)})")
        x = inputs if isinstance(inputs, Tensor) else ag.tensor(inputs)
        self._check_rank(x)
        if not self.built:
            self._build_once((None, *x.shape[1:]) if x.ndim else ())
        if self.float_inputs:
            dtype = self.weight_dtype()
            # As Keras' autocast: inputs are computed in the layer's dtype, weights or not (a
            # float64 batch into a default layer gives float32, as in Keras).
            if x.dtype != dtype:
                x = x.astype(dtype)
        with training_scope(training):
            if self._takes_training():
                kwargs["training"] = resolve_training(training)
            return super().__call__(x, *args, **kwargs)


# Constructor arguments whose only supported value is Keras' default: not stored in configs.
_ONLY_DEFAULT = frozenset({"kernel_constraint", "bias_constraint", "lora_rank", "lora_alpha",
                           "quantization_config", "groups", "beta_constraint",
                           "gamma_constraint", "renorm", "renorm_clipping", "renorm_momentum",
                           "synchronized", "embeddings_constraint", "mask_zero", "weights",
                           "rms_scaling"})
