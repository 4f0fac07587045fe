"""``fit`` on several MPI processes at once, for ``nn.distribution.DataParallel``.

The loop of ``Model.fit``, with what data parallelism changes: each process trains on its
share of every global batch; the optimizer averages gradients weighted by the shares' sizes;
losses and metrics are summed per process and reduced once per epoch; batch normalization's
moving statistics are averaged at each epoch's end; a request to stop is agreed on at the end
of the epoch (a mid-epoch stop on one process would leave the others waiting); only rank 0
prints and writes files.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.training import data, parallel_eval, parallel_setup
from nn.training.callbacks import Callback, CSVLogger, History
from nn.training.monitoring import ModelCheckpoint
from nn.training_mode import training_scope
from optim import distributed as dist

_WRITERS = (ModelCheckpoint, CSVLogger)  # callbacks kept to rank 0: they write files
_OPTIMIZER_DIFFERS = ("Every rank must compile the same optimizer with the same settings (a "
                      "setting computed from the rank would update each replica its own way)")
_DATA_DIFFERS = ("The data differs between ranks: DataParallel expects the whole data set, the "
                 "same arrays in the same order, on every rank (fit takes each rank's share of "
                 "every batch itself). Load the data the same way on every rank, without "
                 "splitting it per rank (x[rank::size]) or shuffling it with a per-rank seed")


def fit(model: Any, comm: dist.Communicator, x: Any = None, y: Any = None,
        batch_size: int | None = None, epochs: int = 1, verbose: Any = "auto",
        callbacks: list[Callback] | None = None, validation_split: float = 0.0,
        validation_data: tuple[Any, ...] | None = None, shuffle: bool = True,
        sample_weight: Any = None,
        initial_epoch: int = 0, *, bucket_cap_mb: float | None = None) -> History:
    """``Model.fit``'s arguments and result; see ``nn.distribution.DataParallel``."""
    prepared, error = None, None
    try:
        prepared = _prepare(model, comm, x, y, batch_size, epochs, validation_split,
                            validation_data, sample_weight, initial_epoch)
    except Exception as err:  # shared below, so that every process stops, not only this one
        error = err
    entries = [] if prepared is None else _description(model, prepared, bool(shuffle))
    dist.meet(comm, "fit")
    comm.check_same(entries, "fit", error, _advice(entries))
    # From here on, an error on one process ends them all; each draws masks of its own.
    with dist.abort_on_error(comm), parallel_setup.rank_streams(model, comm.rank):
        # (prepared: check_same raised if any process failed to prepare)
        return _train(model, comm, prepared, verbose, callbacks,  # type: ignore[arg-type]
                      shuffle, bucket_cap_mb)


def _train(model: Any, comm: dist.Communicator, prepared: tuple[Any, ...], verbose: Any,
           callbacks: list[Callback] | None, shuffle: bool,
           bucket_cap_mb: float | None) -> History:
    x, y, w, validation, batch_size, epochs, initial_epoch = prepared
    optimizer = model.optimizer
    if not isinstance(optimizer, dist.DistributedOptimizer):
        optimizer = dist.DistributedOptimizer(optimizer, comm, bucket_cap_mb=bucket_cap_mb)
    dist.broadcast_parameters([*model.parameters(), *model.buffers()], 0, comm, check=False)
    # A checkpoint loaded on rank 0 only (Horovod's habit) brings moments the others lack.
    dist.broadcast_optimizer_state(optimizer, 0, comm)
    _share_shuffling(model, comm)

    chief = comm.rank == 0
    kept = [c for c in callbacks or [] if chief or not isinstance(c, _WRITERS)]
    hooks = model._callbacks(kept, verbose if chief else 0, epochs,
                             data.steps(len(x), batch_size))
    model.stop_training = False
    hooks.call("on_train_begin", {})
    last: dict[str, float] = {}  # on_train_end gets the last epoch's logs, as in Keras
    for epoch in range(initial_epoch, epochs):
        hooks.call("on_epoch_begin", epoch, {})
        sums, seen = model._run_epoch(x, y, w, batch_size, shuffle, hooks,
                                      lambda *batch: _step(model, optimizer, *batch),
                                      lambda index: index[comm.rank::comm.size])
        logs = parallel_eval.reduce_logs(comm, sums, seen, model.metrics)
        dist.average_parameters(model.buffers(), comm)
        if validation is not None:
            x_val, y_val, w_val = validation
            logs.update({f"val_{key}": value for key, value in parallel_eval.sharded_logs(
                model, comm, x_val, y_val, w_val, batch_size).items()})
        hooks.call("on_epoch_end", epoch, logs)
        last = logs
        stop = comm.allreduce_scalars([float(bool(model.stop_training))], "max")[0]
        model.stop_training = bool(stop)
        if model.stop_training:
            break
    hooks.call("on_train_end", last)
    history: History = model.history
    return history


def _prepare(model: Any, comm: dist.Communicator, x: Any, y: Any, batch_size: Any,
             epochs: Any, validation_split: float, validation_data: Any, sample_weight: Any,
             initial_epoch: Any) -> tuple[Any, ...]:
    """Model.fit's checks and conversions, plus those that data parallelism adds."""
    x, y, w, validation, batch_size, epochs, initial_epoch = model._fit_data(
        x, y, batch_size, epochs, validation_split, validation_data, sample_weight,
        initial_epoch)
    if len(x) < comm.size:
        raise ValueError(f"fit: the training data holds {len(x)} samples, fewer than the "
                         f"{comm.size} processes; each needs at least one. Use fewer processes")
    if batch_size < comm.size:
        raise ValueError(f"fit: batch_size is the global batch, shared among the {comm.size} "
                         f"processes, so it must be at least {comm.size}. Received: "
                         f"batch_size={batch_size}")
    model._prepare(x, "fit")
    parallel_setup.refuse_summed_loss(model)
    parallel_setup.refuse_single_sample_shares(model, len(x), batch_size, comm.size)
    return x, y, w, validation, batch_size, epochs, initial_epoch


def _description(model: Any, prepared: tuple[Any, ...],
                 shuffle: bool) -> list[tuple[str, Any]]:
    """What every process must agree on before training: data shapes and contents, settings,
    the optimizer (class and settings: a learning rate that differs would make the ranks drift
    apart), the model."""
    x, y, w, validation, batch_size, epochs, initial_epoch = prepared
    settings = [("training data", f"x {x.shape} {x.dtype}, y {y.shape} {y.dtype}, "
                                  f"sample_weight {w is not None}"),
                ("validation samples", 0 if validation is None else len(validation[0])),
                ("fit settings", f"batch_size={batch_size}, epochs={epochs}, "
                                 f"initial_epoch={initial_epoch}, shuffle={shuffle}"),
                *_contents("", x, y, w),
                *([] if validation is None else _contents("validation ", *validation)),
                *dist.describe_optimizer(model.optimizer)]
    named = list(model.named_parameters())
    buffers = list(model.named_buffers())
    return [*settings,
            *dist.describe_parameters([p for _, p in named], [n for n, _ in named]),
            *dist.describe_parameters([b for _, b in buffers], [n for n, _ in buffers],
                                      "buffer")]


def _advice(entries: list[tuple[str, Any]]) -> dict[str, str]:
    """What the error says to do, for the entries where the generic advice would mislead."""
    advice = {}
    for label, _ in entries:
        if label.startswith("content of "):
            advice[label] = _DATA_DIFFERS
        elif label.startswith("optimizer"):
            advice[label] = _OPTIMIZER_DIFFERS
    return advice


def _contents(prefix: str, x: np.ndarray, y: np.ndarray,
              w: np.ndarray | None) -> list[tuple[str, str]]:
    """Fingerprints of the data: equal shapes do not mean equal data (a share per rank, a
    shuffle per rank), and each rank must take its share of the same batches."""
    arrays = {"x": x, "y": y, "sample_weight": w}
    return [(f"content of {prefix}{name}", f"fingerprint {dist.data_fingerprint(array)}")
            for name, array in arrays.items() if array is not None]


def _share_shuffling(model: Any, comm: dist.Communicator) -> None:
    """Every process shuffles with rank 0's generator state: the same batches everywhere, and
    the same as one process with rank 0's seed."""
    state = comm.broadcast_object(model._shuffle_rng.bit_generator.state)
    if comm.rank != 0:
        generator = getattr(np.random, state["bit_generator"])()
        generator.state = state
        model._shuffle_rng = np.random.Generator(generator)


def _step(model: Any, optimizer: dist.DistributedOptimizer, x: np.ndarray, y: np.ndarray,
          w: np.ndarray | None) -> dict[str, float] | None:
    """This process's part of one update; every process calls it, with a share or without."""
    if not all(module.training for module in model._walk):
        model.train()
    optimizer.zero_grad(samples=len(x))  # the weight, known before buckets leave in backward
    if len(x) == 0:
        optimizer.step()
        return None
    with training_scope(True):  # Keras layers train, as in Model._train_step
        prediction, _, total = model._losses(x, y, w)
    if total.requires_grad:
        total.backward()
    optimizer.step()
    logs: dict[str, float] | None = model._batch_logs(prediction.detach(), y, total, w)
    return logs
