"""``Model``: a ``Module`` that trains itself the Keras way (compile, fit, evaluate, predict).

One training step is the five steps of the course: forward pass, loss, backward pass, optimizer
step, and (around it) iteration over batches and epochs. ``Sequential`` is a ``Model``; so is the
functional model that ``Model(inputs, outputs)`` returns, and any subclass that writes ``call``
(Keras) or ``forward`` (PyTorch).

Modes: a model call runs its layers inside ``training_scope`` (``nn.training_mode``), so Keras
layers follow ``training=`` as in Keras; ``fit``'s steps run in training mode, ``evaluate`` and
``predict`` in inference mode; PyTorch modules' ``train()``/``eval()`` flags are switched for
those calls and restored after (``nn.training.calling``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from nn import distribution
from nn import random as nn_random
from nn.module import Module
from nn.training import calling, captured, data
from nn.training.callbacks import CallbackList, History
from nn.training.compile_utils import (
    get_loss,
    get_metrics,
    listed,
    one_loss,
    serialize_compile_argument,
)
from nn.training.persistence import Persistence
from nn.training.summary import Summary
from nn.training.symbolic import KerasTensor
from nn.training.trainer import (
    Trainer,
    batch_size_or_default,
    hooks_for,
    no_steps_or_callbacks,
)
from nn.training_mode import current_training, training_scope


def get_optimizer(identifier: Any) -> Any:
    """An optimizer from Keras' name (``'adam'`` is ``nn.optimizers.Adam()``, Keras' defaults),
    a config dict, or an optimizer object (``nn.optimizers`` or ``optim``, kept as is)."""
    from nn import optimizers

    if identifier is None:
        raise ValueError("compile: optimizer=None; give an optimizer name such as 'adam' or an "
                         "optimizer object such as nn.optimizers.Adam(0.001)")
    return optimizers.get(identifier)


def _only_defaults(who: str, **settings: tuple[Any, Any]) -> None:
    """Refuse a Keras option set to anything but its default (which changes nothing here)."""
    for name, (value, default) in settings.items():
        if value is not default and not (type(value) is type(default) and value == default):
            raise ValueError(f"{who}: {name}={value!r} is not supported here; leave it at "
                             f"Keras' default ({default!r})")


def _functional_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether ``Model(...)`` was given inputs and outputs (Keras' test for a functional model)."""
    return (len(args) == 2 or (len(args) == 1 and "outputs" in kwargs)
            or ("inputs" in kwargs and "outputs" in kwargs))


class Model(Trainer, Summary, Persistence, Module):
    """A trainable network, in Keras' three ways.

    - Functional: ``Model(inputs, outputs)`` (or ``Model(inputs=..., outputs=...)``) over
      layers called on ``nn.Input``; returns a functional model (``nn.training.functional``).
    - Subclassing: a subclass creates its layers in ``__init__`` and writes
      ``call(self, inputs, training=False)`` (PyTorch's ``forward`` works too).
    - ``Sequential``, a ``Model`` of layers one after another.

    Calling the model, ``model(x, training=None)``, runs it in inference mode unless
    ``training=True`` or an enclosing call (``fit``'s steps) says training, as in Keras.

    Attributes:
        optimizer: Set by ``compile``.
        loss: The loss function set by ``compile``.
        stop_training: Set to True (by a callback) to stop ``fit`` after the current epoch.
        history: The ``History`` of the last ``fit``.

    Args:
        name: The model's name (keyword).
        trainable: True; Sequential and functional models also take False (freeze all).
        seed: Ours, not Keras': an int or Generator for shuffling in ``fit``; by default drawn
            from ``nn.set_random_seed``'s sequence (keyword).

    Examples:
        >>> import autograd as ag, nn
        >>> from nn import layers
        >>> class TwoLayers(nn.Model):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = layers.Dense(4, activation="relu")
        ...         self.dropout = layers.Dropout(0.5)
        ...         self.out = layers.Dense(1)
        ...     def call(self, inputs, training=False):
        ...         return self.out(self.dropout(self.hidden(inputs), training=training))
        >>> TwoLayers()(ag.ones((2, 3))).shape
        (2, 1)
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Model:
        if cls is Model and _functional_arguments(args, kwargs):
            from nn.training.functional import Functional

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        unknown = sorted(set(kwargs) - {"name", "trainable", "seed"})
        if args or unknown:
            functional = ("; a subclass cannot pass inputs and outputs to Model.__init__ here: "
                          "build nn.Model(inputs, outputs) itself" if type(self) is not Model
                          and _functional_arguments(args, kwargs) else "")
            raise TypeError(f"{type(self).__name__}: a model takes name=, trainable= and seed= "
                            f"as keywords, or nn.Model(inputs, outputs) for a functional "
                            f"model. Received: {len(args)} positional argument(s)"
                            f"{', keywords ' + str(unknown) if unknown else ''}{functional}")
        super().__init__(name=kwargs.get("name"))
        self.optimizer: Any = None
        self.loss: Any = None
        self.metrics: list[Any] = []
        self.stop_training = False
        self.history: History | None = None
        self._compile_config: dict[str, Any] = {}
        self._metrics_given = False  # compile's metrics or weighted_metrics were not None
        # Keras' defaults before compile (jit_compile="auto"): see nn.training.captured.
        self.jit_compile, self._jit_setting, self.run_eagerly = True, "auto", False
        self._shuffle_rng = nn_random.generator(kwargs.get("seed"))
        self._regularized = False
        if kwargs.get("trainable", True) is not True:
            # Freezing must reach layers a subclass creates after this call: the subclass sets
            # ``self.trainable = False`` once they exist (Sequential and functional models do).
            raise ValueError(f"{type(self).__name__}: trainable={kwargs['trainable']!r} is "
                             f"taken only by Sequential and functional models; set "
                             f"model.trainable = False after creating the layers")

    def __call__(self, *inputs: Any, training: bool | None = None, **kwargs: Any) -> Any:
        """Run the model; ``training`` (None, True or False) is decided as Keras decides it and
        inherited by every layer inside (see ``nn.training.calling``)."""
        if inputs and isinstance(inputs[0], KerasTensor):
            if training is not None:
                kwargs["training"] = training
            return inputs[0].apply_layer(self, inputs[1:], kwargs)
        if ag.compiler.is_compiling():  # the mode of the outermost call, before its scope
            ag.capture.guard("keras training scope", current_training)
        training, extra = calling.resolve(self, training)
        with training_scope(training):
            return super().__call__(*inputs, **extra, **kwargs)

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        """Runs ``call`` when the subclass writes Keras' ``call`` instead of ``forward``."""
        if calling.method_name(self) == "call":
            return self.call(*inputs, **kwargs)
        raise NotImplementedError(f"{type(self).__name__} must define call(self, inputs, "
                                  f"training=False) (Keras) or forward(self, x) (PyTorch) to "
                                  f"say what calling the model computes")

    # --- layers ---

    @property
    def layers(self) -> list[Module]:
        """The model's layers (its direct sub-modules), in order."""
        return list(self.children())

    def get_layer(self, name: str | None = None, index: int | None = None) -> Module:
        """A layer by its name or by its position in ``layers``, as in Keras.

        Examples:
            >>> import nn
            >>> model = nn.Sequential([nn.Dense(4, input_shape=[1], name="hidden"),
            ...                        nn.Dense(1, name="out")])
            >>> model.get_layer("out").units, model.get_layer(index=0).name
            (1, 'hidden')
        """
        layers = self.layers
        if (name is None) == (index is None):
            raise ValueError(f"get_layer expects either name= or index=, not "
                             f"{'both' if name is not None else 'neither'}")
        if index is not None:
            if isinstance(index, bool) or not isinstance(index, (int, np.integer)) \
                    or not -len(layers) <= index < len(layers):
                raise ValueError(f"get_layer: index={index!r} is out of range; the model has "
                                 f"{len(layers)} layers")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"get_layer: no layer named {name!r}. The layers are: "
                         f"{[layer.name for layer in layers]}")

    # --- configuration ---

    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, loss_weights: Any = None,
                metrics: list[Any] | None = None, weighted_metrics: Any = None,
                run_eagerly: bool = False, steps_per_execution: int = 1,
                jit_compile: Any = "auto", auto_scale_loss: bool = True) -> None:
        """Choose the optimizer, the loss and the metrics to report, and whether steps are
        captured (Keras' signature; ``loss_weights``, ``steps_per_execution`` and
        ``auto_scale_loss`` are accepted only at their defaults).

        Args:
            optimizer: A name (``'adam'``, ``'sgd'``, ...) or an ``optim`` optimizer, e.g.
                ``optim.Adam(0.1)``; its parameters are bound to this model's.
            loss: A Keras loss name (``'mean_squared_error'``), a loss object or a function
                ``loss(y_true, y_pred)`` (one value per sample, or one value), as in Keras.
            metrics: A list of names (``'accuracy'``, ``'mae'``), ``Metric`` objects or
                functions ``fn(y_true, y_pred)`` (averaged over samples, reported under the
                function's name); one alone is taken as a list of one. Not weighted by
                ``sample_weight``, as in Keras.
            weighted_metrics: Metrics as for ``metrics``, updated with the sample weights
                (a name already among ``metrics`` is reported as ``'weighted_<name>'``).
            run_eagerly: Run every step as written (no capture), as Keras.
            jit_compile: True: ``fit``, ``evaluate`` and ``predict`` run captured steps
                (``autograd.compile``: recorded on their first calls, then replayed without
                a graph, to the same bits), raising ``autograd.CaptureError`` where a step
                cannot be captured; ``"auto"`` (Keras' default): the same, but such a model
                runs eagerly instead; False: always eager. See ``nn.training.captured``.
        """
        _only_defaults("compile", loss_weights=(loss_weights, None),
                       steps_per_execution=(steps_per_execution, 1),
                       auto_scale_loss=(auto_scale_loss, True))
        resolved_jit = captured.resolve(jit_compile, bool(run_eagerly))
        # Resolve everything before changing anything: a bad name leaves the model as it was.
        new_optimizer, new_loss = get_optimizer(optimizer), get_loss(loss)
        new_metrics, weighted = get_metrics(metrics, weighted_metrics)
        self.optimizer, self.metrics = new_optimizer, new_metrics
        self._weighted_metrics = weighted  # the ones given sample_weight
        self._metrics_given = metrics is not None or weighted_metrics is not None
        self.jit_compile, self._jit_setting = resolved_jit, jit_compile
        self.run_eagerly = bool(run_eagerly)
        captured.forget(self)
        # Stored past Module's registration: Sequential would otherwise call it as a layer.
        object.__setattr__(self, "loss", new_loss)
        # What save stores and load_model compiles with again: every argument as given (names,
        # or objects and functions by their class or function name and config), as Keras' own
        # compile config; see compile_utils.serialize_compile_argument.
        self._compile_config = {
            "loss": serialize_compile_argument(one_loss(loss), "loss"),
            "metrics": [serialize_compile_argument(m, f"metrics[{i}]")
                        for i, m in enumerate(listed(metrics))],
            "weighted_metrics": [serialize_compile_argument(m, f"weighted_metrics[{i}]")
                                 for i, m in enumerate(listed(weighted_metrics))],
            "run_eagerly": bool(run_eagerly),
            "jit_compile": jit_compile if isinstance(jit_compile, (bool, str)) else "auto"}
        if self._is_built():
            self._bind_optimizer()

    @property
    def metrics_names(self) -> list[str]:
        """Keras 3's names of the model's metric trackers: ``[]`` before ``compile``,
        ``['loss']`` for a model compiled without metrics, and ``['loss', 'compile_metrics']``
        with ``metrics`` or ``weighted_metrics`` given, even empty (Keras 3 keeps them in one
        tracker of that name; the logs of ``fit`` and ``evaluate(return_dict=True)`` name each
        metric)."""
        if self.optimizer is None:
            return []
        return ["loss", "compile_metrics"] if self._metrics_given else ["loss"]

    def reset_metrics(self) -> None:
        """Reset the state of every compiled metric (``metrics`` and ``weighted_metrics``), as
        Keras' ``reset_metrics``; ``fit`` (at each epoch) and ``evaluate`` reset them too."""
        for metric in self.metrics:
            metric.reset_state()

    def _is_built(self) -> bool:
        return all(getattr(m, "built", True) for m in self.modules())

    def _bind_optimizer(self) -> None:
        if not self.optimizer.param_groups:
            self.optimizer.bind(list(self.parameters()))

    def _prepare(self, x: np.ndarray, who: str) -> None:
        if self.optimizer is None or self.loss is None:
            raise RuntimeError(f"{who}: the model must be compiled first, e.g. "
                               f"model.compile(optimizer='adam', loss='mean_squared_error')")
        if not self._is_built():
            self._build_with(x[:1])
        self._bind_optimizer()
        # Looked up once per fit/evaluate call, not on every batch (each a walk over all modules).
        # A plain attribute: assigned normally, a list of modules would become a sub-module.
        object.__setattr__(self, "_walk", tuple(self.modules()))
        self._buffer_list = list(self.buffers())
        self._regularized = any(m._regularizers for m in self._walk)

    def _build_with(self, x: np.ndarray) -> None:
        """Create lazily-built weights by running one example through in inference mode."""
        with calling.ModeRestorer(self, False), training_scope(False), ag.no_grad():
            self(x)

    # --- one batch ---

    def _losses(self, x: Any, y: Any, w: Any) -> tuple[Any, Any, Any]:
        """The prediction, the data loss and the total loss of a batch, given as arrays (the
        eager steps) or as tensors (the captured ones, ``nn.training.captured``)."""
        prediction = self(ag.as_tensor(x))  # the batch's rows are fit's own copy: no new one
        target = data.align_target(prediction, y)
        data_loss = self.loss(target, prediction, sample_weight=w)  # Keras' order
        total = data_loss + self.regularization_loss() if self._regularized else data_loss
        return prediction, data_loss, total

    def _batch_logs(self, prediction: Any, target: np.ndarray, total: Any,
                    w: np.ndarray | None = None) -> dict[str, float]:
        """The batch's logs: ``'loss'`` (regularization included, and not reported apart, as
        in Keras: ``model.regularization_loss()`` gives the penalty), the metrics updated."""
        logs = {"loss": float(total.item())}
        if self.metrics:  # the prediction's values are read only for the metrics
            values = prediction.numpy()
            target = data.align_target(prediction, target)
            for metric in self.metrics:  # metrics= unweighted, weighted_metrics= weighted
                metric.update_state(target, values, sample_weight=w if any(
                    metric is m for m in self._weighted_metrics) else None)
        return logs

    def _train_step(self, x: np.ndarray, y: np.ndarray, w: np.ndarray | None
                    ) -> dict[str, float]:
        """One optimizer step on a batch, the model already in training mode."""
        # A batch that fails (e.g. a target of the wrong shape) must not leave the moving
        # statistics that its forward pass already updated.
        saved = [(buffer, buffer.numpy().copy()) for buffer in self._buffer_list] \
            if self._buffer_list else ()
        compiled = captured.step(self, "train")
        try:
            result = None if compiled is None else captured.run(self, "train", compiled, x, y, w)
            if result is not None:  # the captured step: forward, backward and update
                prediction, data_loss, total = result
                return self._batch_logs(prediction, y, total, w)
            if compiled is not None:  # refused while recording ("auto"): its forward ran
                for buffer, value in saved:
                    buffer.data = value
            with training_scope(True):  # Keras layers train whatever the caller's scope
                prediction, data_loss, total = self._losses(x, y, w)
        except Exception:
            for buffer, value in saved:
                buffer.data = value
            raise
        self.optimizer.zero_grad()
        if total.requires_grad:  # False when every weight is frozen: nothing to train
            total.backward()
            self.optimizer.step()
        return self._batch_logs(prediction.detach() if self.metrics else prediction, y,
                                total, w)

    def _result(self, logs: dict[str, float], return_dict: bool) -> Any:
        for metric in self.metrics:
            logs[metric.name] = metric.result()
        return self._formatted(logs, return_dict)

    def _formatted(self, logs: dict[str, Any], return_dict: bool) -> Any:
        """``logs`` as Keras returns them: the dict, the loss alone, or loss then metrics."""
        if return_dict:
            return logs
        if not self.metrics:
            return logs["loss"]
        return [logs["loss"], *[logs[m.name] for m in self.metrics]]

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None,
                 verbose: Any = "auto", sample_weight: Any = None, steps: int | None = None,
                 callbacks: list[Any] | CallbackList | None = None,
                 return_dict: bool = False) -> Any:
        """The loss (and metrics) over ``(x, y)``: a float without metrics, else a list.

        Runs in inference mode (Keras layers through ``training_scope(False)``, PyTorch
        modules in ``eval()``, their flags restored after). ``verbose`` shows nothing here;
        ``steps`` is accepted only at None. ``callbacks`` get Keras' ``on_test_begin``,
        ``on_test_batch_begin``/``on_test_batch_end`` (running results) and ``on_test_end``
        (the results). Under ``nn.distribution.DataParallel`` the processes share the work,
        as in ``fit``, and every process gets the whole result: every process must call it
        (callbacks are refused there).
        """
        no_steps_or_callbacks("evaluate", steps, callbacks)
        parallel = distribution.distribution()
        if parallel is not None and parallel.size > 1:  # shared: nn/training/parallel_eval.py
            from nn.training import parallel_eval

            return parallel_eval.evaluate(self, parallel.communicator, x, y, batch_size,
                                          sample_weight, return_dict)
        return self._evaluated(x, y, batch_size, sample_weight, return_dict, "evaluate",
                               callbacks, verbose)

    def _evaluated(self, x: Any, y: Any, batch_size: int | None, sample_weight: Any,
                   return_dict: bool, who: str, callbacks: Any = None,
                   verbose: Any = 0) -> Any:
        """``evaluate`` on this process alone, whatever the distribution; ``callbacks`` get
        Keras' on_test_* hooks (``fit`` passes its own during validation)."""
        x, y, w = data.training_data(x, y, sample_weight, who)
        batch_size = batch_size_or_default(batch_size, who)
        self._prepare(x, who)
        hooks = hooks_for(self, callbacks, verbose, data.steps(len(x), batch_size))
        if hooks is not None:
            hooks.call("on_test_begin", {})
        sums = self._evaluation_sums(x, y, w, batch_size, hooks)
        logs = self._result({key: total / len(x) for key, total in sums.items()}, True)
        if hooks is not None:
            hooks.call("on_test_end", dict(logs))
        return self._formatted(logs, return_dict)

    def _evaluation_sums(self, x: np.ndarray, y: np.ndarray, w: np.ndarray | None,
                         batch_size: int, hooks: CallbackList | None = None
                         ) -> dict[str, float]:
        """Each loss log summed over the samples (a batch's mean times its size); the
        metrics reset, then updated with every batch (``hooks``: the on_test_batch_*
        callbacks, given the running results)."""
        for metric in self.metrics:
            metric.reset_state()
        sums: dict[str, float] = {}
        seen = 0
        compiled = captured.step(self, "test")
        with calling.ModeRestorer(self, False), training_scope(False), ag.no_grad():
            for number, index in enumerate(data.batches(len(x), batch_size, False, None)):
                if hooks is not None:
                    hooks.call("on_test_batch_begin", number, {})
                result = None if compiled is None else captured.run(
                    self, "test", compiled, x[index], y[index], data.take(w, index))
                prediction, _, total = result if result is not None else self._losses(
                    x[index], y[index], data.take(w, index))
                for key, value in self._batch_logs(prediction, y[index], total,
                                                   data.take(w, index)).items():
                    sums[key] = sums.get(key, 0.0) + value * len(index)
                seen += len(index)
                if hooks is not None and hooks.listens("on_test_batch_end"):
                    running = {key: total / seen for key, total in sums.items()}
                    hooks.call("on_test_batch_end", number,
                               {**running, **{m.name: m.result() for m in self.metrics}})
        return sums
