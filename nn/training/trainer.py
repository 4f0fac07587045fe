"""``Trainer``: the whole-data-set half of ``Model`` (``fit``, ``predict``, one-batch calls).

``Model`` holds the per-batch parts (the loss of a batch, one optimizer step, the logs) and
``evaluate``; this mixin iterates them over epochs and batches, runs the callbacks, and sets the
mode of each call: training steps in training mode, predictions in inference mode (see
``nn.training.calling``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

import autograd as ag
from nn import distribution
from nn.training import calling, captured, data, weighting
from nn.training.callbacks import Callback, CallbackList, History
from nn.training.progress import EpochLine, ProgressBar
from nn.training_mode import training_scope

if TYPE_CHECKING:
    from nn.training.model import Model


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


def no_steps_or_callbacks(who: str, steps: Any, callbacks: Any) -> None:
    """Refuse Keras' ``steps`` of ``evaluate``/``predict`` unless None, and ``callbacks``
    under data parallelism (where the processes share the batches)."""
    if steps is not None:
        raise ValueError(f"{who}: steps={steps!r} is not supported here; leave it None (all of "
                         f"the data is used)")
    parallel = distribution.distribution()
    if callbacks and parallel is not None and parallel.size > 1:
        raise ValueError(f"{who}: callbacks are not supported under "
                         f"nn.distribution.DataParallel (only fit calls them there). "
                         f"Received: callbacks={callbacks!r}")


def hooks_for(model: Any, callbacks: Any, verbose: Any, steps: int) -> CallbackList | None:
    """``evaluate``'s and ``predict``'s callbacks as a ``CallbackList`` (``fit`` passes its
    own during validation, as Keras does); None when there are none."""
    if isinstance(callbacks, CallbackList):
        return callbacks
    if not callbacks:
        return None
    verbose = 0 if verbose == "auto" else verbose  # nothing is shown here
    return CallbackList(list(callbacks), model, {"verbose": verbose, "epochs": 1,
                                                 "steps": steps})


def _validation_freq(freq: Any) -> Callable[[int], bool]:
    """Keras' rule: validate after epoch ``e`` (from 0) when ``(e + 1) % freq == 0`` for an
    int, or when ``e + 1`` is listed."""
    if isinstance(freq, (int, np.integer)) and not isinstance(freq, bool) and freq > 0:
        return lambda epoch: (epoch + 1) % int(freq) == 0
    if isinstance(freq, (list, tuple, set)) and all(isinstance(e, int) for e in freq):
        listed = set(freq)
        return lambda epoch: epoch + 1 in listed
    raise ValueError(f"fit: validation_freq must be an int > 0 or a list of epochs (from 1). "
                     f"Received: validation_freq={freq!r}")


def batch_size_or_default(batch_size: int | None, who: str) -> int:
    """Keras' default of 32 when none is given; anything but a positive int is an error."""
    if batch_size is None:
        return 32
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size <= 0:
        raise ValueError(f"{who}: batch_size must be a positive int. Received: "
                         f"batch_size={batch_size!r}")
    return int(batch_size)


# Each process would step its own replica on its own batch: the replicas would drift apart.
_NOT_DISTRIBUTED = (
    "train_on_batch is not distributed: under nn.distribution.DataParallel each process would "
    "train alone on the batch it was given and the processes' weights would drift apart. For "
    "one distributed step on the global batch x, call model.fit(x, y, batch_size=len(x), "
    "epochs=1, shuffle=False); or train outside the distribution "
    "(nn.distribution.set_distribution(None)), or write the loop with "
    "optim.distributed.DistributedOptimizer")


class Trainer:
    """The training loop of ``Model``, as a mixin: it relies on the model's ``_prepare``,
    ``_train_step``, ``_result``, ``evaluate`` and ``metrics``."""

    history: History | None  # the last fit's (Model sets it to None)

    def train_on_batch(self: Model, x: Any, y: Any = None, sample_weight: Any = None,
                       class_weight: dict[int, float] | None = None,
                       return_dict: bool = False) -> Any:
        """One optimizer step on one batch; returns the loss (and metrics) for that batch.

        The step runs in training mode (PyTorch modules in ``train()``, their earlier flags
        restored after). ``sample_weight`` and ``class_weight`` are as in ``fit``. Refused
        under ``nn.distribution.DataParallel``: ``fit`` is the distributed way.
        """
        if distribution.distribution() is not None:
            raise RuntimeError(_NOT_DISTRIBUTED)
        sample_weight = weighting.sample_weights(y, sample_weight, class_weight,
                                                 "train_on_batch")
        x, y, w = data.training_data(x, y, sample_weight, "train_on_batch")
        self._prepare(x, "train_on_batch")
        for metric in self.metrics:
            metric.reset_state()
        with calling.ModeRestorer(self, True):
            return self._result(self._train_step(x, y, w), return_dict)

    def _training_mode(self: Model) -> None:
        """Put every layer in training mode (a callback or the user may have left one in eval)."""
        if not all(module.training for module in self._walk):
            self.train()

    def test_on_batch(self: Model, x: Any, y: Any = None, sample_weight: Any = None,
                      return_dict: bool = False) -> Any:
        """The loss (and metrics) on one batch, without training (inference mode); on this
        process alone under ``nn.distribution.DataParallel``."""
        return self._evaluated(x, y, len(data.as_inputs(x, "test_on_batch")), sample_weight,
                               return_dict, "test_on_batch")

    def predict_on_batch(self: Model, x: Any) -> Any:  # as predict
        """The model's outputs for one batch ``x``, in inference mode, as a numpy array; on
        this process alone under ``nn.distribution.DataParallel``."""
        x = data.as_inputs(x, "predict_on_batch")
        return self._predicted(x, len(x))

    # --- whole data sets ---

    def fit(self: Model, x: Any = None, y: Any = None, batch_size: int | None = None,
            epochs: int = 1, verbose: Any = "auto", callbacks: list[Callback] | None = None,
            validation_split: float = 0.0, validation_data: tuple[Any, ...] | None = None,
            shuffle: bool = True, class_weight: dict[int, float] | None = None,
            sample_weight: Any = None,
            initial_epoch: int = 0, steps_per_epoch: int | None = None,
            validation_steps: int | None = None, validation_batch_size: int | None = None,
            validation_freq: int | list[int] = 1) -> History:
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
            class_weight: ``{class index: weight}``: each example's loss counts the weight of
                its class (its integer label, or the argmax of a one-hot target; 1.0 for a
                class not listed), as in Keras. Not together with ``sample_weight``.
            sample_weight: One weight per example: each example's loss counts that many
                times (Keras' meaning: the weighted sum is divided by the batch size). Metrics
                are not weighted, as with Keras' ``metrics=``.
            initial_epoch: The epoch to start from (to resume training).
            steps_per_epoch: Only None (every batch of the data, each epoch).
            validation_steps: Only None (all of the validation data).
            validation_batch_size: The batch size for validation; ``batch_size`` when None.
            validation_freq: Validate every ``validation_freq`` epochs (an int), or after the
                epochs listed (counted from 1).

        Training steps run in training mode: Keras layers through ``training_scope(True)``,
        PyTorch modules switched to ``train()``; every module's ``train()``/``eval()`` flag is
        restored when ``fit`` returns, so ``model(x)`` afterwards is inference for Keras layers
        and whatever the user had set for PyTorch modules.

        Examples:
            >>> import numpy as np, nn
            >>> from nn import layers
            >>> model = nn.Sequential([nn.Input(shape=(1,)), layers.Dense(1)])
            >>> model.compile(optimizer="sgd", loss="mse")
            >>> x = np.array([[0.0], [1.0], [2.0], [3.0]]); y = 2 * x + 1
            >>> len(model.fit(x, y, epochs=3, verbose=0).history["loss"])
            3
        """
        for arg, value in (("steps_per_epoch", steps_per_epoch),
                           ("validation_steps", validation_steps)):
            if value is not None:
                raise ValueError(f"fit: {arg}={value!r} is not supported here; leave it None "
                                 f"(each epoch covers all of the data)")
        sample_weight = weighting.sample_weights(y, sample_weight, class_weight, "fit")
        if class_weight is not None and validation_split and validation_data is None:
            # Keras weighs only the training part by class: its validation_split examples
            # keep no weights.
            (x, y, sample_weight), (x_val, y_val, _) = data.validation_split(
                *data.training_data(x, y, sample_weight, "fit"), validation_split)
            validation_data, validation_split = (x_val, y_val), 0.0
        parallel = distribution.distribution()
        if parallel is not None:  # data-parallel over MPI processes: nn/distribution.py
            if validation_freq != 1 or validation_batch_size is not None:
                raise ValueError("fit under nn.distribution.DataParallel validates after every "
                                 "epoch with batch_size: leave validation_freq=1 and "
                                 "validation_batch_size=None")
            with calling.ModeRestorer(self, True):
                history: History = parallel.fit(
                    self, x, y, batch_size, epochs, verbose, callbacks, validation_split,
                    validation_data, shuffle, sample_weight, initial_epoch)
                return history
        x, y, w, validation, batch_size, epochs, initial_epoch = self._fit_data(
            x, y, batch_size, epochs, validation_split, validation_data, sample_weight,
            initial_epoch)
        validate_every = _validation_freq(validation_freq)
        validation_batch_size = (batch_size if validation_batch_size is None
                                 else batch_size_or_default(validation_batch_size, "fit"))
        self._prepare(x, "fit")
        hooks = self._callbacks(callbacks, verbose, epochs, data.steps(len(x), batch_size))
        self.stop_training = False
        with calling.ModeRestorer(self, True):
            hooks.call("on_train_begin", {})
            last: dict[str, float] = {}  # on_train_end gets the last epoch's logs, as Keras
            epoch_begin = hooks.listens("on_epoch_begin")
            for epoch in range(initial_epoch, epochs):
                if epoch_begin:
                    hooks.call("on_epoch_begin", epoch, {})
                sums, seen = self._run_epoch(x, y, w, batch_size, shuffle, hooks,
                                             self._train_step)
                logs = self._running_logs(sums, seen)
                if validation is not None and validate_every(epoch):
                    x_val, y_val, w_val = validation
                    # The callbacks see the validation as evaluate's (on_test_*), as in Keras.
                    val = self.evaluate(x_val, y_val, batch_size=validation_batch_size,
                                        verbose=0, sample_weight=w_val, return_dict=True,
                                        callbacks=hooks)
                    logs.update({f"val_{key}": value for key, value in val.items()})
                hooks.call("on_epoch_end", epoch, logs)
                last = logs
                if self.stop_training:
                    break
            hooks.call("on_train_end", last)
        return self.history  # type: ignore[return-value]  # (set by _callback_list)

    # --- fit's parts (nn/training/parallel_fit.py runs the same ones on several processes) ---

    def _fit_data(self: Model, x: Any, y: Any, batch_size: Any, epochs: Any,
                  validation_split: float, validation_data: Any, sample_weight: Any,
                  initial_epoch: Any) -> tuple[Any, ...]:
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
        return x, y, w, validation, batch_size_or_default(batch_size, "fit"), epochs, initial_epoch

    def _callbacks(self: Model, callbacks: list[Callback] | None, verbose: Any, epochs: int,
                   steps: int) -> CallbackList:
        """The user's callbacks, the progress display ``verbose`` asks for, and a new
        ``History`` (last, so it records what the others added to the logs)."""
        self.history = history = History()
        verbose = 1 if verbose == "auto" else int(verbose)
        shown = [ProgressBar()] if verbose == 1 else [EpochLine()] if verbose == 2 else []
        return CallbackList([*(callbacks or []), *shown, history], self,
                            {"epochs": epochs, "steps": steps, "verbose": verbose})

    def _run_epoch(self: Model, x: np.ndarray, y: np.ndarray, w: np.ndarray | None, batch_size: int,
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

    def _running_logs(self: Model, sums: dict[str, float], seen: int) -> dict[str, float]:
        """The means of the summed logs, and each metric's result so far."""
        logs = {key: total / seen for key, total in sums.items()} if seen else {}
        for metric in self.metrics:
            logs[metric.name] = metric.result()
        return logs

    def predict(self: Model, x: Any, batch_size: int | None = None, verbose: Any = "auto",
                steps: int | None = None, callbacks: list[Any] | None = None
                ) -> Any:  # an array, or a list of arrays (one per output of a functional model)
        """The model's outputs for ``x`` as a numpy array, computed in batches without a graph,
        in inference mode (as ``evaluate``). ``verbose`` shows nothing here; ``steps`` is
        accepted only at None. ``callbacks`` get Keras' ``on_predict_begin``,
        ``on_predict_batch_begin``/``on_predict_batch_end`` (``logs['outputs']``: the batch's
        outputs) and ``on_predict_end``; they are refused under data parallelism.

        For example, after training the course's model, ``model.predict([100.0])`` is about 211.
        Under ``nn.distribution.DataParallel`` the processes share the work, as in ``fit``, and
        every process gets every output: every process must call it.
        """
        no_steps_or_callbacks("predict", steps, callbacks)
        parallel = distribution.distribution()
        if parallel is not None and parallel.size > 1:  # shared: nn/training/parallel_eval.py
            from nn.training import parallel_eval

            return parallel_eval.predict(self, parallel.communicator, x, batch_size)
        x = data.as_inputs(x, "predict")
        batch_size = batch_size_or_default(batch_size, "predict")
        hooks = hooks_for(self, callbacks, verbose, data.steps(len(x), batch_size))
        if hooks is None:  # the two-argument call that parallel_eval makes too
            return self._predicted(x, batch_size)
        return self._predicted(x, batch_size, hooks)

    def _predicted(self: Model, x: np.ndarray, batch_size: int,
                   hooks: CallbackList | None = None) -> Any:
        """``predict`` of the inputs ``x`` on this process alone (``hooks``: the on_predict_*
        callbacks, Keras' order)."""
        compiled = captured.step(self, "predict")
        if hooks is not None:
            hooks.call("on_predict_begin", {})
        with calling.ModeRestorer(self, False), training_scope(False), ag.no_grad():
            outputs = []
            for number, index in enumerate(data.batches(len(x), batch_size, False, None)):
                if hooks is not None:
                    hooks.call("on_predict_batch_begin", number, {})
                output = None if compiled is None else captured.run(self, "predict", compiled,
                                                                   x[index])
                outputs.append(self(x[index]) if output is None else output)
                if hooks is not None and hooks.listens("on_predict_batch_end"):
                    batch = outputs[-1]
                    hooks.call("on_predict_batch_end", number, {"outputs": (
                        [np.asarray(o.numpy()) for o in batch]
                        if isinstance(batch, (list, tuple)) else np.asarray(batch.numpy()))})
        if hooks is not None:
            hooks.call("on_predict_end", {})
        if outputs and isinstance(outputs[0], (list, tuple)):
            # A functional model with several outputs: one array per output, as in Keras.
            return [np.concatenate([np.asarray(batch[i].numpy()) for batch in outputs])
                    for i in range(len(outputs[0]))]
        arrays = [np.asarray(output.numpy()) for output in outputs]
        return np.concatenate(arrays) if arrays else np.zeros((0,))
