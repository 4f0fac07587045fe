"""Keras' gradient accumulation (``gradient_accumulation_steps`` of the optimizer, where Keras 3
has it) under DataParallel trains like one process: each accumulated gradient is the global
batch's, so the update every 3rd step is one process's. 151 samples in batches of 16 make 10
steps per epoch (the last one 7 samples: 4 + 3), so updates fall across epoch boundaries.
Also fit's reduction in buckets overlapped with backward (``DataParallel(bucket_cap_mb=)``).
"""

from __future__ import annotations

import common
import numpy as np

import nn
from optim import distributed as dist
from optim.distributed.buckets import GradientBuckets

COUNT, GLOBAL_BATCH, EPOCHS = 151, 16, 3


def train(model: nn.Sequential, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> nn.History:
    optimizer = nn.optimizers.Adam(learning_rate=0.01, gradient_accumulation_steps=3)
    common.compile_classifier(model, optimizer)
    return model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=EPOCHS, sample_weight=w, verbose=0)


def case(comm: dist.Communicator, dtype: str) -> dict:
    x, y, w = common.data(COUNT, dtype=dtype)
    model = common.mlp(seed=30 + comm.rank, dtype=dtype)
    before = common.weights(common.mlp(seed=30, dtype=dtype))
    with nn.distribution.DataParallel(comm).scope():
        history = train(model, x, y, w)
    trained = common.weights(model)
    result = {"ranks_equal": len(set(comm.allgather_object(common.fingerprint(trained)))) == 1,
              "iterations": int(model.optimizer.iterations)}
    reference = common.mlp(seed=30, dtype=dtype)
    expected = train(reference, x, y, w)
    result["relative"] = common.relative_difference(trained, common.weights(reference))
    result["moved"] = common.relative_difference(trained, before)
    result["history"] = max(abs(a - b) for a, b in zip(history.history["loss"],
                                                       expected.history["loss"]))
    return result


def buckets(comm: dist.Communicator, dtype: str) -> dict:
    """fit with DataParallel(bucket_cap_mb=...): the reductions leave during backward, in
    buckets, and the training is the blocking one's bit for bit."""
    x, y, w = common.data(COUNT, dtype=dtype)
    trained, left = [], []
    finish = GradientBuckets.finish

    def counted(self: GradientBuckets, write: bool = True) -> None:
        left.append(self._next)  # how many buckets left during backward, before step
        finish(self, write)

    GradientBuckets.finish = counted
    for cap in (None, 0.0001, 25):  # blocking, a bucket per parameter, one bucket
        model = common.mlp(seed=40, dtype=dtype)
        common.compile_classifier(model, nn.optimizers.Adam(learning_rate=0.01))
        with nn.distribution.DataParallel(comm, bucket_cap_mb=cap).scope():
            history = model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=2, sample_weight=w,
                                verbose=0)
        trained.append((common.fingerprint(common.weights(model)), history.history["loss"]))
    GradientBuckets.finish = finish
    return {"buckets_bitwise": all(t == trained[0] for t in trained),
            "left_in_backward": left}


def main() -> None:
    comm = common.world()
    report = {dtype: case(comm, dtype) for dtype in ("float32", "float64")}
    report.update({f"buckets_{dtype}": buckets(comm, dtype) for dtype in ("float32", "float64")})
    common.report(comm, **report)


if __name__ == "__main__":
    main()
