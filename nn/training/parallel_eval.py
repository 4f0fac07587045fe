"""``evaluate`` and ``predict`` shared among MPI processes, for ``nn.distribution.DataParallel``.

As Keras 3's ``DataParallel`` does, each process takes its share of every global batch (rows
``r, r + N, ...`` of each, as ``fit`` does) and the results are put together on every process:

- ``evaluate``: each process sums its shares' losses and updates the metrics on them; one
  reduction of the sums and of the metrics' states (true positives, totals and counts, ...)
  makes the whole data set's result, the same on every process;
- ``predict``: each process predicts its rows; the rows are gathered (as bytes) and put back in
  the order of ``x`` on every process.

Both are collective: every process calls them with the same data, checked first (shapes,
settings and a fingerprint of the values), and a process that waits for the others says so
after a while instead of hanging without a word. ``test_on_batch`` and ``predict_on_batch`` run
on the calling process alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.training import data
from nn.training.trainer import batch_size_or_default
from optim import distributed as dist

_COUNTS = ("true_positives", "false_positives", "false_negatives")  # precision, recall
_AUC_COUNTS = ("true_positives", "false_positives", "true_negatives", "false_negatives")
_DATA_DIFFERS = ("Every process must pass the same data: under nn.distribution.DataParallel, "
                 "evaluate and predict take each process's share of the data themselves")


def evaluate(model: Any, comm: dist.Communicator, x: Any, y: Any, batch_size: int | None,
             sample_weight: Any, return_dict: bool) -> Any:
    """``Model.evaluate`` on every process together; see the module's docstring."""
    prepared: tuple[np.ndarray, np.ndarray, np.ndarray | None, int] | None = None
    error = None
    try:
        x, y, w = data.training_data(x, y, sample_weight, "evaluate")
        size = batch_size_or_default(batch_size, "evaluate")
        model._prepare(x, "evaluate")
        prepared = x, y, w, size
    except Exception as err:  # shared below: every process raises, none is left waiting
        error = err
    entries = [] if prepared is None else [
        ("evaluate data", f"x {x.shape} {x.dtype}, y {y.shape} {y.dtype}, "
                          f"sample_weight {w is not None}"),
        ("evaluate settings", f"batch_size={size}"),
        *_contents(x=x, y=y, sample_weight=w)]
    _agree(comm, "evaluate", entries, error)
    assert prepared is not None  # (_agree raised on every process if one failed)
    x, y, w, size = prepared
    logs = sharded_logs(model, comm, x, y, w, size)
    return model._formatted(logs, return_dict)


def sharded_logs(model: Any, comm: dist.Communicator, x: np.ndarray, y: np.ndarray,
                 w: np.ndarray | None, batch_size: int) -> dict[str, Any]:
    """The loss logs and metric results over ``(x, y, w)``, each process computing its share
    of every batch of ``batch_size``; the same on every process (one reduction)."""
    share = dist.shard_rows(len(x), batch_size, comm.rank, comm.size)
    local_batch = -(-batch_size // comm.size)
    sums = model._evaluation_sums(x[share], y[share], data.take(w, share), local_batch)
    names = {metric.name for metric in model.metrics}
    # A process without rows has no logs: the keys come from one that has.
    keys: list[str] = next((k for k in comm.allgather_object(list(sums)) if k), [])
    sums = {key: sums.get(key, 0.0) for key in keys if key not in names}
    return reduce_logs(comm, sums, len(share), model.metrics)


def predict(model: Any, comm: dist.Communicator, x: Any, batch_size: int | None) -> Any:
    """``Model.predict`` on every process together; see the module's docstring."""
    prepared: tuple[np.ndarray, int] | None = None
    error = None
    try:
        x = data.as_inputs(x, "predict")
        prepared = x, batch_size_or_default(batch_size, "predict")
    except Exception as err:  # shared below: every process raises, none is left waiting
        error = err
    entries = [] if prepared is None else [
        ("predict data", f"x {x.shape} {x.dtype}"),
        ("predict settings", f"batch_size={prepared[1]}"), *_contents(x=x)]
    _agree(comm, "predict", entries, error)
    assert prepared is not None  # (_agree raised on every process if one failed)
    x, size = prepared
    if len(x) == 0:  # nothing to share: every process has the same empty result
        return model._predicted(x, size)
    share = dist.shard_rows(len(x), size, comm.rank, comm.size)
    outputs = model._predicted(x[share], -(-size // comm.size)) if len(share) else None
    mine: list[Any] = [] if outputs is None else outputs if isinstance(outputs, list) \
        else [outputs]
    # A process without rows learns from one that has whether there are several outputs,
    # and their shapes and dtypes.
    several, kinds = next(report for report in comm.allgather_object(
        None if outputs is None else (isinstance(outputs, list),
                                      [(o.shape[1:], o.dtype.str) for o in mine])) if report)
    if outputs is None:
        mine = [np.empty((0, *shape), dtype=dtype) for shape, dtype in kinds]
    order = np.concatenate([dist.shard_rows(len(x), size, rank, comm.size)
                            for rank in range(comm.size)])
    results = []
    for rows in mine:
        gathered = dist.allgather_rows(rows, comm)
        result = np.empty_like(gathered)
        result[order] = gathered  # back in the order of x
        results.append(result)
    return results if several else results[0]


def _agree(comm: dist.Communicator, who: str, entries: list[tuple[str, Any]],
           error: BaseException | None) -> None:
    """Wait for every process (saying so if one does not come), then compare ``entries``."""
    dist.meet(comm, who)
    advice = {label: _DATA_DIFFERS for label, _ in entries}
    comm.check_same([("call", who), *entries], who, error, advice)


def _contents(**arrays: np.ndarray | None) -> list[tuple[str, str]]:
    return [(f"content of {name}", f"fingerprint {dist.data_fingerprint(array)}")
            for name, array in arrays.items() if array is not None]


def reduce_logs(comm: dist.Communicator, sums: dict[str, float], seen: int,
                metrics: list[Any]) -> dict[str, float]:
    """Global means from every process's sums (and metric states): one Allreduce."""
    parts = [_metric_state(m, seen) for m in metrics]
    local = [float(seen), *sums.values(), *[v for _, values in parts for v in values]]
    total = comm.allreduce_scalars(local)
    count, cursor = total[0], 1 + len(sums)
    logs = {key: float(total[1 + i] / count) for i, key in enumerate(sums)}
    for metric, (names, values) in zip(metrics, parts):
        reduced = total[cursor:cursor + len(values)]
        cursor += len(values)
        if names:
            start = 0
            for name in names:
                old = getattr(metric, name)
                size = np.size(old)
                part = np.asarray(reduced[start:start + size], dtype=np.float64)
                start += size
                setattr(metric, name, float(part[0]) if np.ndim(old) == 0
                        else part.reshape(np.shape(old)))
            result = metric.result()
            logs[metric.name] = float(result) if np.ndim(result) == 0 else result
        else:
            logs[metric.name] = float(reduced[0] / count)
    return logs


def _metric_state(metric: Any, seen: int) -> tuple[tuple[str, ...], list[float]]:
    """The numbers a metric sums over samples, which add up across processes exactly; for an
    unknown kind of metric, its result weighted by the samples seen."""
    for names in (_AUC_COUNTS, _COUNTS, ("total", "count")):
        if all(hasattr(metric, name) for name in names):
            return names, [float(v) for name in names
                           for v in np.ravel(np.asarray(getattr(metric, name), dtype=float))]
    return (), [float(metric.result()) * seen if seen else 0.0]
