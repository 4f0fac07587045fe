"""Keras' gradient accumulation (``gradient_accumulation_steps`` of the optimizer, where Keras 3
has it) under DataParallel trains like one process: each accumulated gradient is the global
batch's, so the update every 3rd step is one process's. 151 samples in batches of 16 make 10
steps per epoch (the last one 7 samples: 4 + 3), so updates fall across epoch boundaries.
"""

from __future__ import annotations

import common
import numpy as np

import nn
from optim import distributed as dist

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


def main() -> None:
    comm = common.world()
    common.report(comm, **{dtype: case(comm, dtype) for dtype in ("float32", "float64")})


if __name__ == "__main__":
    main()
