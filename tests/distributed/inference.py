"""evaluate and predict under DataParallel: shared among the ranks, whole results everywhere.

Each case compares the shared result with the same call on one process (outside the
distribution, on the same weights), and counts the rows each rank predicted. Rank 0 prints
every rank's report as one JSON line.
"""

from __future__ import annotations

import sys
import time

import common
import numpy as np

import nn
from optim import distributed as dist
from optim.distributed import meeting


def counted(model: nn.Model) -> list[int]:
    """The number of rows of each call of ``model._predicted`` on this rank, from now on."""
    rows: list[int] = []
    original = model._predicted

    def predicted(x, batch_size):
        rows.append(len(x))
        return original(x, batch_size)

    model._predicted = predicted
    return rows


def classifier(dtype: str) -> nn.Sequential:
    model = common.mlp(0, dtype=dtype)  # the same seed on every rank: the same weights
    model.compile(optimizer="sgd",
                  loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy", nn.metrics.SparseTopKCategoricalAccuracy(k=2)],
                  weighted_metrics=["accuracy"])
    return model


def shared_and_alone(comm: dist.Communicator, dtype: str) -> dict:
    x, y, w = common.data(45, dtype=dtype)
    model = classifier(dtype)
    rows = counted(model)
    with nn.distribution.DataParallel(comm).scope():
        shared = model.evaluate(x, y, batch_size=8, sample_weight=w, verbose=0,
                                return_dict=True)
        shared_list = model.evaluate(x, y, batch_size=8, verbose=0)
        predicted = model.predict(x, batch_size=8, verbose=0)
    rows_shared = list(rows)
    alone = model.evaluate(x, y, batch_size=8, sample_weight=w, verbose=0, return_dict=True)
    alone_list = model.evaluate(x, y, batch_size=8, verbose=0)
    expected = model.predict(x, batch_size=8, verbose=0)
    keys_equal = sorted(shared) == sorted(alone)
    evaluate_error = max(abs(shared[k] - alone[k]) / max(1.0, abs(alone[k])) for k in alone)
    list_error = max(abs(a - b) for a, b in zip(shared_list, alone_list))
    return {"keys_equal": keys_equal, "evaluate_error": evaluate_error,
            "list_error": float(list_error), "list_length": len(shared_list),
            "predict_bitwise": bool(np.array_equal(predicted, expected)),
            "predict_error": float(np.max(np.abs(predicted - expected))),
            "predict_shape": list(predicted.shape), "predict_dtype": str(predicted.dtype),
            "rows_predicted": sum(rows_shared), "evaluate_hash": common.fingerprint(
                [np.array([shared[key] for key in sorted(shared)])]),
            "predict_hash": common.fingerprint([predicted])}


def fewer_rows_than_ranks(comm: dist.Communicator) -> dict:
    """One sample for two ranks: rank 1 has no rows, and still gets the result."""
    x, y, _ = common.data(1)
    model = classifier("float32")
    with nn.distribution.DataParallel(comm).scope():
        shared = model.evaluate(x, y, verbose=0, return_dict=True)
        predicted = model.predict(x, verbose=0)
    alone = model.evaluate(x, y, verbose=0, return_dict=True)
    return {"one_row_loss_error": abs(shared["loss"] - alone["loss"]),
            "one_row_predict": bool(np.array_equal(predicted, model.predict(x, verbose=0)))}


def several_outputs(comm: dist.Communicator) -> dict:
    """A functional model with two outputs: one gathered array per output."""
    nn.set_random_seed(3)
    inputs = nn.Input(shape=(5,))
    hidden = nn.layers.Dense(4, activation="relu")(inputs)
    model = nn.Model(inputs, [nn.layers.Dense(2)(hidden), nn.layers.Dense(1)(hidden)])
    x, _, _ = common.data(11)
    with nn.distribution.DataParallel(comm).scope():
        shared = model.predict(x, batch_size=4, verbose=0)
    alone = model.predict(x, batch_size=4, verbose=0)
    # (Not bitwise: a matrix product's rows can round differently in batches of other sizes.)
    return {"outputs": len(shared), "output_shapes": [list(a.shape) for a in shared],
            "outputs_error": max(float(np.max(np.abs(a - b))) for a, b in zip(shared, alone)),
            "outputs_hash": common.fingerprint(shared)}


def different_data(comm: dist.Communicator) -> dict:
    """Each rank passes its own rows (Horovod's habit): refused on every rank, not mixed."""
    x, y, _ = common.data(20)
    model = classifier("float32")
    errors = {}
    with nn.distribution.DataParallel(comm).scope():
        for name, call in (("evaluate", lambda: model.evaluate(x[comm.rank::2], y[comm.rank::2],
                                                                verbose=0)),
                           ("predict", lambda: model.predict(x[comm.rank::2], verbose=0))):
            try:
                call()
                errors[name] = "no error"
            except ValueError as error:
                errors[name] = str(error)
    return errors


def one_rank_alone(comm: dist.Communicator) -> dict:
    """Rank 0 calls evaluate while rank 1 is busy elsewhere: rank 0 says why it waits."""
    meeting._WARN_AFTER_S = 0.5  # say it after 0.5 s instead of 10 s
    x, y, _ = common.data(10)
    model = classifier("float32")
    with nn.distribution.DataParallel(comm).scope():
        if comm.rank == 1:
            time.sleep(2.0)
        model.evaluate(x, y, verbose=0)
    return {}


def main() -> None:
    comm = common.world()
    report = {f"{dtype}": shared_and_alone(comm, dtype) for dtype in ("float32", "float64")}
    report.update(fewer_rows_than_ranks(comm))
    report.update(several_outputs(comm))
    report["refusals"] = different_data(comm)
    one_rank_alone(comm)
    sys.stderr.flush()
    common.report(comm, **report)
    ended_meanwhile(comm)


def ended_meanwhile(comm: dist.Communicator) -> None:
    """Rank 0 predicts alone while rank 1 ends its program: rank 0 raises, and says why."""
    model = classifier("float32")
    with nn.distribution.DataParallel(comm).scope():
        if comm.rank == 0:
            try:
                model.predict(common.data(4)[0], verbose=0)
            except RuntimeError as error:
                print(f"alone: {error}", flush=True)


if __name__ == "__main__":
    main()
