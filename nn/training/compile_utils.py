"""What ``compile(loss=..., metrics=[...])`` makes of its arguments, as Keras' compile does.

The loss becomes a ``Loss`` object called as ``loss(y_true, y_pred, sample_weight)``: a name
(``'mse'``) or a plain function ``fn(y_true, y_pred)`` is wrapped in ``LossFunctionWrapper``
(per-sample values, weighted, divided by the batch size); a PyTorch loss module keeps its
``(input, target)`` order. Each metric becomes a ``Metric``: a
name gives Keras' metric reported under that name, a function ``fn(y_true, y_pred)`` is averaged
over samples under the function's name, and ``'accuracy'``/``'acc'`` picks binary,
categorical or sparse accuracy from the shapes of the first batch, as Keras does.
"""

from __future__ import annotations

from typing import Any

from nn import losses as losses_module
from nn import metrics as metrics_module
from nn.losses.keras_loss_base import LossFunctionWrapper, reduce_weighted_values
from nn.metrics.accuracy import (
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
)
from nn.metrics.base import as_array
from nn.module import Module


class TorchLoss(losses_module.Loss):
    """A PyTorch loss module (``nn.MSELoss()``, ...) in ``compile``: it keeps its own meaning,
    ``module(input, target)``, so it is called with the prediction first. Its value (one
    number, reduced by the module) is then weighted as Keras weighs a loss of one value: by
    the mean sample weight.

    Args:
        module: The loss module.
    """

    def __init__(self, module: Module) -> None:
        super().__init__(name=type(module).__name__)
        self.module = module

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        """``module(y_pred, y_true)`` (PyTorch's order), then weighted. ``y_true`` goes in as
        given: class indices stay integers for ``nn.CrossEntropyLoss``."""
        return reduce_weighted_values(self.call(y_true, y_pred), sample_weight,
                                      reduction=self.reduction)

    def call(self, y_true: Any, y_pred: Any) -> Any:
        """``module(y_pred, y_true)``: PyTorch's (input, target)."""
        return self.module(y_pred, y_true)


def one_loss(identifier: Any) -> Any:
    """``compile``'s ``loss`` for one output: a list or tuple of one loss is that loss (Keras
    accepts it for a model of one output); several losses, or a dict of them by output name
    (Keras' multi-output form), are refused with the reason, since training here has one
    output and one loss."""
    if isinstance(identifier, (list, tuple)) and len(identifier) == 1:
        return identifier[0]
    if isinstance(identifier, (list, tuple, dict)):
        kind = "a dict of" if isinstance(identifier, dict) else f"a list of {len(identifier)}"
        raise ValueError(f"compile: loss={identifier!r:.120} is {kind} losses, Keras' form for "
                         f"a model with several outputs; training here takes one output and "
                         f"one loss, e.g. loss='mean_squared_error'. Multi-output losses "
                         f"(and loss_weights) are not supported")
    return identifier


def get_loss(identifier: Any) -> losses_module.Loss:
    """The ``Loss`` object for ``compile``'s ``loss`` argument."""
    identifier = one_loss(identifier)
    if identifier is None:
        raise ValueError("compile needs a loss, e.g. loss='mean_squared_error'")
    if isinstance(identifier, Module):  # nn.MSELoss() and the other PyTorch loss modules
        return TorchLoss(identifier)
    loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    return LossFunctionWrapper(loss, name=getattr(loss, "__name__", None))


class CompiledAccuracy(metrics_module.MeanMetricWrapper):
    """Keras' ``'accuracy'`` in ``compile``: binary accuracy for one output column, sparse
    for integer labels (a rank lower, or one column against several), else categorical;
    chosen at the first batch."""

    def __init__(self, name: str = "accuracy") -> None:
        super().__init__(binary_accuracy, name=name)
        self._chosen = False

    # (Keras' signature: y_true and y_pred, where Mean takes the values)
    def update_state(  # type: ignore[override]
            self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """The first batch picks the kind of accuracy; every batch adds to it."""
        if not self._chosen:
            t, p = as_array(y_true), as_array(y_pred)
            if p.ndim < 2 or p.shape[-1] == 1:
                self._fn = binary_accuracy
            elif t.ndim < p.ndim or t.shape[-1] == 1:
                self._fn = sparse_categorical_accuracy
            else:
                self._fn = categorical_accuracy
            self._chosen = True
        super().update_state(y_true, y_pred, sample_weight)


def get_metric(identifier: Any) -> metrics_module.Metric:
    """The ``Metric`` for one entry of ``compile``'s ``metrics``, named as Keras names it."""
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        return CompiledAccuracy(name=identifier)
    try:
        metric = metrics_module.get(identifier)
    except ValueError:
        raise ValueError(f"Unknown metric: {identifier!r}. Use a Metric object, a function "
                         f"fn(y_true, y_pred) or a Keras metric name such as 'accuracy', "
                         f"'mae', 'mse', 'precision', 'recall'") from None
    if isinstance(identifier, str):
        name = identifier
    elif isinstance(metric, metrics_module.Metric):
        name = metric.name
    else:
        name = getattr(metric, "__name__", type(metric).__name__)
    if not isinstance(metric, metrics_module.Metric):
        metric = metrics_module.MeanMetricWrapper(metric)
    metric.name = name
    result: metrics_module.Metric = metric
    return result


def listed(metrics: Any) -> list[Any]:
    """``compile``'s ``metrics`` as a list (one name, object or function alone: a list of one)."""
    if metrics is None:
        return []
    if isinstance(metrics, str) or callable(metrics) or isinstance(metrics,
                                                                   metrics_module.Metric):
        return [metrics]  # metrics='accuracy' would otherwise be read letter by letter
    return list(metrics)


def get_metrics(metrics: Any, weighted_metrics: Any = None
                ) -> tuple[list[metrics_module.Metric], tuple[metrics_module.Metric, ...]]:
    """``compile``'s ``metrics`` and ``weighted_metrics`` (each a list, or one name, object or
    function alone): every metric in reporting order, and the weighted ones among them. A
    weighted metric whose name is taken is reported as ``weighted_<name>``, as in Keras."""
    plain = [get_metric(m) for m in listed(metrics)]
    weighted = [get_metric(m) for m in listed(weighted_metrics)]
    taken = {m.name for m in plain}
    for metric in weighted:
        if metric.name in taken:
            metric.name = f"weighted_{metric.name}"
        taken.add(metric.name)
    return plain + weighted, tuple(weighted)


# --- compile's arguments as data, for save and load_model ---
#
# A loss or metric is stored as what the user gave compile: a name as the name; an object as
# its class name and get_config() (rebuilt with from_config, or the constructor); a function as
# its name. Classes and functions of nn.losses / nn.metrics are found by name when loading;
# any other (a custom Loss or Metric class, a plain function) must be given to load_model as
# custom_objects, as Keras requires. Nothing is pickled and no code is stored.

_CUSTOM = "custom"


class MissingObjectError(TypeError):
    """A saved loss, metric or layer names a class or function that ``load_model`` cannot
    find (Keras' ``TypeError: Could not locate ...``): give it as ``custom_objects``."""


def _namespace(value: Any) -> tuple[str, Any]:
    """(module name, module) where ``value`` is public under its own name, else
    ``('custom', None)``."""
    name = getattr(value, "__name__", None) or type(value).__name__
    for label, module in (("nn.losses", losses_module), ("nn.metrics", metrics_module)):
        if getattr(module, name, None) is value:
            return label, module
    import nn

    if getattr(nn, name, None) is value:  # PyTorch's loss modules (nn.MSELoss, ...)
        return "nn", nn
    return _CUSTOM, None


def _function_record(fn: Any) -> dict[str, Any]:
    module, _ = _namespace(fn)
    return {"function": getattr(fn, "__name__", repr(fn)), "module": module}


def _object_config(value: Any) -> dict[str, Any]:
    """An object's constructor arguments: ``get_config()`` (Keras' losses and metrics), else
    the attributes named like the constructor's arguments (PyTorch's loss modules)."""
    from nn.saving import config as config_module

    if hasattr(value, "get_config"):
        found: dict[str, Any] = value.get_config()
        return found
    return {name: getattr(value, name)
            for name in config_module.constructor_arguments(type(value))
            if hasattr(value, name)}


def serialize_compile_argument(value: Any, where: str) -> Any:
    """One loss or metric of ``compile`` as JSON-able data (see above). What cannot be stored
    as data (a lambda, a tensor in a config) is recorded as unsaved with the reason, which
    ``load_model`` reports: saving never fails because of the compile settings."""
    from nn.saving import config as config_module

    if value is None or isinstance(value, str):
        return value
    try:
        if isinstance(value, (LossFunctionWrapper, metrics_module.MeanMetricWrapper)) \
                and type(value) in (LossFunctionWrapper, metrics_module.MeanMetricWrapper):
            fn = value.fn if isinstance(value, LossFunctionWrapper) else value._fn
            return {"class_name": type(value).__name__, "module": _namespace(type(value))[0],
                    "fn": _function_record(fn),
                    "config": {key: config_module.serialize(item, f"{where}.{key}")
                               for key, item in value.get_config().items()}}
        if isinstance(value, (losses_module.Loss, metrics_module.Metric, Module)):
            module, _ = _namespace(type(value))
            config = {key: config_module.serialize(item, f"{where}.{key}")
                      for key, item in _object_config(value).items()}
            return {"class_name": type(value).__name__, "module": module, "config": config}
        if callable(value) and getattr(value, "__name__", "<lambda>") != "<lambda>":
            return _function_record(value)
    except TypeError as err:
        return {"unsaved": f"{where} = {value!r:.80} cannot be saved as data ({err})"}
    return {"unsaved": f"{where} = {value!r:.80} has no name to be found by when loading "
                       f"(a lambda or an object without get_config)"}


def _locate(kind: str, name: str, module: str, custom_objects: dict[str, Any] | None) -> Any:
    """The class or function a record names: from ``custom_objects`` first, then from the
    public module it was saved from."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module != _CUSTOM:
        import nn

        modules = {"nn.losses": losses_module, "nn.metrics": metrics_module, "nn": nn}
        found = getattr(modules.get(module), name, None)
        if found is not None:
            return found
    raise MissingObjectError(
        f"Could not locate {kind} {name!r}: it is not one of nn's. Pass it to load_model as "
        f"custom_objects={{{name!r}: {name}}}, or load with compile=False and compile again")


def deserialize_compile_argument(record: Any, custom_objects: dict[str, Any] | None
                                 ) -> Any:
    """What ``serialize_compile_argument`` recorded, rebuilt for ``compile``."""
    if record is None or isinstance(record, str):
        return record
    if "unsaved" in record:
        raise MissingObjectError(f"The model was compiled with something that could not be "
                                 f"saved: {record['unsaved']}. Load with compile=False and "
                                 f"compile again")
    if "function" in record:
        return _locate("function", record["function"], record["module"], custom_objects)
    cls = _locate("class", record["class_name"], record["module"], custom_objects)
    config = dict(record["config"])
    if "fn" in record:
        fn = deserialize_compile_argument(record["fn"], custom_objects)
        return cls(fn, **config)
    if hasattr(cls, "from_config"):
        return cls.from_config(config)
    return cls(**config)
