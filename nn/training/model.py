"""``Model``: a ``Module`` that trains itself the Keras way (compile, fit, evaluate, predict).

One training step is the five steps of the course: forward pass, loss, backward pass, optimizer
step, and (around it) iteration over batches and epochs. ``Sequential`` is a ``Model``; so is any
subclass that writes ``forward``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import autograd as ag
from nn import distribution
from nn import metrics as metrics_module
from nn import random as nn_random
from nn.losses import keras_losses as losses
from nn.module import Module
from nn.training import data
from nn.training.callbacks import Callback, CallbackList, History
from nn.training.progress import EpochLine, ProgressBar

# Keras' names and default learning rates for ``compile(optimizer='adam')``.
_OPTIMIZERS = {"sgd": ("SGD", 0.01), "adam": ("Adam", 0.001), "adamw": ("AdamW", 0.001),
               "rmsprop": ("RMSprop", 0.001), "adagrad": ("Adagrad", 0.001)}


def get_optimizer(identifier: Any) -> Any:
    """An optimizer from a Keras name (``'adam'``) or an optimizer object (kept as is)."""
    import optim

    if isinstance(identifier, str):
        key = identifier.lower()
        if key not in _OPTIMIZERS:
            raise ValueError(f"Unknown optimizer: {identifier!r}. Use an optimizer object or one "
                             f"of {sorted(_OPTIMIZERS)}.")
        class_name, lr = _OPTIMIZERS[key]
        return getattr(optim, class_name)(lr)
    if not isinstance(identifier, optim.Optimizer):
        raise TypeError(f"compile expects an optimizer name or an optim.Optimizer. Received: "
                        f"{type(identifier).__name__}")
    return identifier


def _epoch_count(value: Any, name: str) -> int:
    """``epochs`` and ``initial_epoch`` are whole numbers >= 0 (``epochs=2.5`` is a mistake)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"fit: {name} must be a whole number >= 0. Received: {name}={value!r}")
    return int(value)


def _validation(validation_data: Any) -> tuple[Any, Any, Any]:
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        raise ValueError(f"fit: validation_data must be (x_val, y_val) or (x_val, y_val, "
                         f"sample_weight_val). Received: {type(validation_data).__name__}")
    return (*validation_data, None)[:3]


def _batch_size(batch_size: int | None, who: str) -> int:
    """Keras' default of 32 when none is given; anything but a positive int is an error."""
    if batch_size is None:
        return 32
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size <= 0:
        raise ValueError(f"{who}: batch_size must be a positive int. Received: "
                         f"batch_size={batch_size!r}")
    return int(batch_size)


class Model(Module):
    """A trainable network: subclass it and write ``forward``, or use ``Sequential``.

    Attributes:
        optimizer: Set by ``compile``.
        loss: The loss function set by ``compile``.
        stop_training: Set to True (by a callback) to stop ``fit`` after the current epoch.
        history: The ``History`` of the last ``fit``.

    Args:
        seed: An int or Generator for shuffling in ``fit``; by default drawn from
            ``nn.set_random_seed``'s sequence.
        name: The model's name.
    """

    def __init__(self, seed: Any = None, name: str | None = None) -> None:
        super().__init__(name=name)
        self.optimizer: Any = None
        self.loss: Any = None
        self.metrics: list = []
        self.stop_training = False
        self.history: History | None = None
        self._compile_config: dict = {}
        self._shuffle_rng = nn_random.generator(seed)
        self._regularized = False

    # --- layers ---

    @property
    def layers(self) -> list[Module]:
        """The model's layers (its direct sub-modules), in order."""
        return list(self.children())

    def get_layer(self, name: str | None = None, index: int | None = None) -> Module:
        """A layer by its name or by its position in ``layers``, as in Keras.

        Example:
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

    def compile(self, optimizer: Any = "rmsprop", loss: Any = None,
                metrics: list | None = None) -> None:
        """Choose the optimizer, the loss and the metrics to report.

        Args:
            optimizer: A name (``'adam'``, ``'sgd'``, ...) or an ``optim`` optimizer, e.g.
                ``optim.Adam(0.1)``; its parameters are bound to this model's.
            loss: A Keras loss name (``'mean_squared_error'``), a loss object or a function
                ``loss(prediction, target)``.
            metrics: A list of names (``'accuracy'``, ``'mae'``) or ``Metric`` objects; one name
                or metric alone is taken as a list of one.
        """
        if loss is None:
            raise ValueError("compile needs a loss, e.g. loss='mean_squared_error'")
        if isinstance(metrics, str) or callable(metrics):
            metrics = [metrics]  # metrics='accuracy' would otherwise be read letter by letter
        # Resolve everything before changing anything: a bad name leaves the model as it was.
        new_optimizer, new_loss = get_optimizer(optimizer), losses.get(loss)
        new_metrics = [metrics_module.get(m) for m in (metrics or [])]
        self.optimizer, self.metrics = new_optimizer, new_metrics
        # Stored past Module's registration: a loss module (nn.MSELoss()) is not a layer, and
        # Sequential would otherwise call it as one.
        object.__setattr__(self, "loss", new_loss)
        self._compile_config = {"loss": loss if isinstance(loss, str) else None,
                                "metrics": [m for m in (metrics or []) if isinstance(m, str)]}
        if self._is_built():
            self._bind_optimizer()

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
        """Create lazily-built weights by running one example through in eval mode."""
        mode = self.training
        self.eval()
        with ag.no_grad():
            self(x)
        self.train(mode)

    # --- one batch ---

    def _losses(self, x: np.ndarray, y: np.ndarray, w: np.ndarray | None
                ) -> tuple[Any, Any, Any]:
        prediction = self(ag.as_tensor(x))  # the batch's rows are fit's own copy: no new one
        target = data.align_target(prediction, y)
        data_loss = (self.loss(prediction, target) if w is None
                     else losses.weighted(self.loss, prediction, target, w))
        total = data_loss + self.regularization_loss() if self._regularized else data_loss
        return prediction, data_loss, total

    def _batch_logs(self, prediction: Any, target: np.ndarray, data_loss: Any,
                    total: Any) -> dict[str, float]:
        logs = {"loss": float(total.item())}
        if self._regularized:
            logs["data_loss"] = float(data_loss.item())
            logs["regularization_loss"] = logs["loss"] - logs["data_loss"]
        if self.metrics:  # the prediction's values are read only for the metrics
            values = prediction.numpy()
            target = data.align_target(prediction, target)
            for metric in self.metrics:
                metric.update_state(values, target)
        return logs

    def train_on_batch(self, x: Any, y: Any, sample_weight: Any = None,
                       return_dict: bool = False) -> Any:
        """One optimizer step on one batch; returns the loss (and metrics) for that batch."""
        x, y, w = data.training_data(x, y, sample_weight, "train_on_batch")
        self._prepare(x, "train_on_batch")
        for metric in self.metrics:
            metric.reset_state()
        self._training_mode()
        return self._result(self._train_step(x, y, w), return_dict)

    def _training_mode(self) -> None:
        """Put every layer in training mode (a callback or the user may have left one in eval)."""
        if not all(module.training for module in self._walk):
            self.train()

    def _train_step(self, x: np.ndarray, y: np.ndarray, w: np.ndarray | None
                    ) -> dict[str, float]:
        """One optimizer step on a batch, the model already in training mode."""
        # A batch that fails (e.g. a target of the wrong shape) must not leave the moving
        # statistics that its forward pass already updated.
        saved = [(buffer, buffer.numpy().copy()) for buffer in self._buffer_list] \
            if self._buffer_list else ()
        try:
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
                                data_loss, total)

    def test_on_batch(self, x: Any, y: Any, sample_weight: Any = None,
                      return_dict: bool = False) -> Any:
        """The loss (and metrics) on one batch, without training."""
        return self.evaluate(x, y, batch_size=len(data.as_inputs(x, "test_on_batch")),
                             verbose=0, sample_weight=sample_weight, return_dict=return_dict)

    def _result(self, logs: dict[str, float], return_dict: bool) -> Any:
        for metric in self.metrics:
            logs[metric.name] = metric.result()
        if return_dict:
            return logs
        if not self.metrics:
            return logs["loss"]
        return [logs["loss"], *[logs[m.name] for m in self.metrics]]

    # --- whole data sets ---

    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1,
            verbose: Any = "auto", callbacks: list[Callback] | None = None,
            validation_split: float = 0.0, validation_data: tuple | None = None,
            shuffle: bool = True, sample_weight: Any = None, initial_epoch: int = 0
            ) -> History:
        """Train for ``epochs`` passes over ``(x, y)`` in batches; returns the ``History``.

        Args:
            x, y: Inputs and targets (arrays, lists or tensors); a 1-D ``x`` is one feature per
                example.
            batch_size: Examples per optimizer step (32 by default, as in Keras); under
                ``nn.distribution.DataParallel``, the global batch that the processes share.
            epochs: Index of the last epoch (``initial_epoch`` counts the ones already done).
            verbose: 0 silent, 1 (or ``'auto'``) a progress bar per epoch, 2 one line per epoch.
            callbacks: ``Callback`` objects (``EarlyStopping``, ``ModelCheckpoint``, ...).
            validation_split: Fraction of the data, taken from the end, used only to validate.
            validation_data: ``(x_val, y_val)`` or ``(x_val, y_val, sample_weight_val)`` to
                validate on instead.
            shuffle: Shuffle the training examples before each epoch.
            sample_weight: One weight per example: each example's loss counts that many
                times (Keras' meaning: the weighted sum is divided by the batch size). Metrics
                are not weighted, as with Keras' ``metrics=``.
            initial_epoch: The epoch to start from (to resume training).
        """
        parallel = distribution.distribution()
        if parallel is not None:  # data-parallel over MPI processes: nn/distribution.py
            return parallel.fit(self, x, y, batch_size, epochs, verbose, callbacks,
                                validation_split, validation_data, shuffle, sample_weight,
                                initial_epoch)
        x, y, w, validation, batch_size, epochs, initial_epoch = self._fit_data(
            x, y, batch_size, epochs, validation_split, validation_data, sample_weight,
            initial_epoch)
        self._prepare(x, "fit")
        hooks = self._callbacks(callbacks, verbose, epochs, data.steps(len(x), batch_size))
        self.stop_training = False
        hooks.call("on_train_begin", {})
        epoch_begin = hooks.listens("on_epoch_begin")
        for epoch in range(initial_epoch, epochs):
            if epoch_begin:
                hooks.call("on_epoch_begin", epoch, {})
            sums, seen = self._run_epoch(x, y, w, batch_size, shuffle, hooks, self._train_step)
            logs = self._running_logs(sums, seen)
            if validation is not None:
                x_val, y_val, w_val = validation
                val = self.evaluate(x_val, y_val, batch_size=batch_size, verbose=0,
                                    sample_weight=w_val, return_dict=True)
                logs.update({f"val_{key}": value for key, value in val.items()})
            hooks.call("on_epoch_end", epoch, logs)
            if self.stop_training:
                break
        hooks.call("on_train_end", {})
        return self.history

    # --- fit's parts (nn/training/parallel_fit.py runs the same ones on several processes) ---

    def _fit_data(self, x: Any, y: Any, batch_size: Any, epochs: Any, validation_split: float,
                  validation_data: Any, sample_weight: Any, initial_epoch: Any) -> tuple:
        """fit's arguments checked and converted: ``(x, y, w, validation, batch_size, epochs,
        initial_epoch)``, ``validation`` an ``(x, y, w)`` triple or None."""
        epochs = _epoch_count(epochs, "epochs")
        initial_epoch = _epoch_count(initial_epoch, "initial_epoch")
        x, y, w = data.training_data(x, y, sample_weight, "fit")
        if validation_data is not None:
            validation = data.training_data(*_validation(validation_data),
                                            "fit (validation_data)")
        elif validation_split:
            (x, y, w), validation = data.validation_split(x, y, w, validation_split)
        else:
            validation = None
        return x, y, w, validation, _batch_size(batch_size, "fit"), epochs, initial_epoch

    def _callbacks(self, callbacks: list[Callback] | None, verbose: Any, epochs: int,
                   steps: int) -> CallbackList:
        """The user's callbacks, the progress display ``verbose`` asks for, and a new
        ``History`` (last, so it records what the others added to the logs)."""
        self.history = History()
        verbose = 1 if verbose == "auto" else int(verbose)
        shown = [ProgressBar()] if verbose == 1 else [EpochLine()] if verbose == 2 else []
        return CallbackList([*(callbacks or []), *shown, self.history], self,
                            {"epochs": epochs, "steps": steps, "verbose": verbose})

    def _run_epoch(self, x: np.ndarray, y: np.ndarray, w: np.ndarray | None, batch_size: int,
                   shuffle: bool, hooks: CallbackList, step: Callable[..., Any],
                   share: Callable[[np.ndarray], np.ndarray] | None = None
                   ) -> tuple[dict[str, float], int]:
        """One pass over the batches: ``step(x, y, w)`` trains on each (on the part ``share``
        keeps of it, under data parallelism) and returns its logs. Returns the logs summed
        over the samples seen, and their count."""
        for metric in self.metrics:
            metric.reset_state()
        self._training_mode()
        sums: dict[str, float] = {}
        seen = 0
        batch_begin = hooks.listens("on_train_batch_begin")
        batch_end = hooks.listens("on_train_batch_end")
        for number, index in enumerate(data.batches(len(x), batch_size, shuffle,
                                                    self._shuffle_rng)):
            if batch_begin:
                hooks.call("on_train_batch_begin", number, {})
                self._training_mode()
            if share is not None:
                index = share(index)
            with ag.gc_paused():  # one step's graph holds no cycles: see autograd.gc_paused
                batch_logs = step(data.rows(x, index), data.rows(y, index),
                                  None if w is None else data.rows(w, index))
            size = len(index)
            seen += size
            if batch_logs:
                for key, value in batch_logs.items():  # weighted by batch size, as Keras
                    sums[key] = sums.get(key, 0.0) + value * size
            if batch_end:
                hooks.call("on_train_batch_end", number, self._running_logs(sums, seen))
                self._training_mode()  # the callback may have evaluated or predicted
            # Under data parallelism the processes agree to stop at the epoch's end instead.
            if self.stop_training and share is None:
                break
        return sums, seen

    def _running_logs(self, sums: dict[str, float], seen: int) -> dict[str, float]:
        """The means of the summed logs, and each metric's result so far."""
        logs = {key: total / seen for key, total in sums.items()} if seen else {}
        for metric in self.metrics:
            logs[metric.name] = metric.result()
        return logs

    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None,
                 verbose: Any = "auto", sample_weight: Any = None,
                 return_dict: bool = False) -> Any:
        """The loss (and metrics) over ``(x, y)``: a float without metrics, else a list."""
        x, y, w = data.training_data(x, y, sample_weight, "evaluate")
        batch_size = _batch_size(batch_size, "evaluate")
        self._prepare(x, "evaluate")
        for metric in self.metrics:
            metric.reset_state()
        mode = self.training
        self.eval()
        sums: dict[str, float] = {}
        with ag.no_grad():
            for index in data.batches(len(x), batch_size, False, None):
                prediction, data_loss, total = self._losses(x[index], y[index],
                                                            data.take(w, index))
                for key, value in self._batch_logs(prediction, y[index], data_loss,
                                                   total).items():
                    sums[key] = sums.get(key, 0.0) + value * len(index)
        self.train(mode)
        return self._result({key: total / len(x) for key, total in sums.items()}, return_dict)

    def predict(self, x: Any, batch_size: int | None = None, verbose: Any = 0) -> np.ndarray:
        """The model's outputs for ``x`` as a numpy array, computed in batches without a graph.

        Example: after training the course's model, ``model.predict([100.0])`` is about 211.
        """
        x = data.as_inputs(x, "predict")
        batch_size = _batch_size(batch_size, "predict")
        mode = self.training
        self.eval()
        with ag.no_grad():
            outputs = [np.asarray(self(x[index]).numpy())
                       for index in data.batches(len(x), batch_size, False, None)]
        self.train(mode)
        return np.concatenate(outputs) if outputs else np.zeros((0,))

    # --- saving ---

    def save(self, path: Any) -> None:
        """Save architecture, weights, optimizer state and history to one ``.npz`` file.

        Under ``nn.distribution.DataParallel`` only rank 0 writes; elsewhere this does nothing.
        """
        from nn.saving import model_files as saving

        if not distribution.is_chief():
            return
        saving.save_model(self, path)

    def save_weights(self, path: Any) -> None:
        """Save the weights (and buffers) alone to one ``.npz`` file (rank 0 only under
        ``nn.distribution.DataParallel``)."""
        from nn.saving import model_files as saving

        if not distribution.is_chief():
            return
        saving.save_weights(self, path)

    def load_weights(self, path: Any) -> None:
        """Load weights saved by ``save_weights`` (or ``save``); nothing changes on error."""
        from nn.saving import model_files as saving

        saving.load_weights(self, path)
