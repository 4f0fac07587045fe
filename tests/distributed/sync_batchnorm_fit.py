"""``fit`` under ``DataParallel`` with ``BatchNormalization(synchronized=True)`` on 2 processes
trains like one process on the global batch; the last batch of each epoch splits 2 + 1, so a
rank trains on a share of one sample (refused without ``synchronized``); a global batch of one
sample is refused on both ranks before training.
"""

from __future__ import annotations

import common

import nn
import optim
from optim import distributed as dist

COUNT, GLOBAL_BATCH, EPOCHS = 35, 8, 3  # 5 updates per epoch; the last batch is 3: 2 + 1


def build(seed: int, dtype: str, synchronized: bool = True) -> nn.Sequential:
    common.mlp(seed, dtype=dtype)  # sets the dtype and the seed
    nn.set_random_seed(seed)
    model = nn.Sequential([
        # No bias before a normalization: its gradient is rounding noise, which Adam would
        # turn into steps of full size.
        nn.Dense(6, input_shape=[5], use_bias=False,
                 kernel_regularizer=nn.regularizers.L2(1e-3)),
        nn.layers.BatchNormalization(momentum=0.8, synchronized=synchronized),
        nn.layers.Activation("tanh"),
        nn.layers.Reshape((2, 3)),
        nn.layers.BatchNormalization(axis=1, synchronized=synchronized),  # channels first
        nn.layers.Flatten(),
        nn.Dense(3),
    ])
    common.compile_classifier(model, optim.Adam(0.02))
    return model


def train(comm: dist.Communicator, dtype: str) -> dict:
    x, y, w = common.data(COUNT, dtype=dtype)
    model = build(10 + comm.rank, dtype)  # different weights on each rank: rank 0's win

    with nn.distribution.DataParallel(comm).scope():
        history = model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=EPOCHS, sample_weight=w,
                            verbose=0)
    trained = [v.numpy().copy() for v in model.weights]
    result = {"ranks_equal": len(set(comm.allgather_object(common.fingerprint(trained)))) == 1}
    if comm.rank == 0:
        reference = build(10, dtype)
        expected = reference.fit(x, y, batch_size=GLOBAL_BATCH, epochs=EPOCHS,
                                 sample_weight=w, verbose=0)
        result["relative"] = common.relative_difference(
            trained, [v.numpy() for v in reference.weights])
        result["history"] = max(abs(a - b) for key in expected.history
                                for a, b in zip(history.history[key], expected.history[key]))
        # Each share's own statistics (the layer unsynchronized, shares of 2 samples only)
        # would train otherwise: the difference that synchronization removes.
        local = build(10, dtype, synchronized=False)
        with nn.distribution.DataParallel(comm).scope():
            local.fit(x[:32], y[:32], batch_size=GLOBAL_BATCH, epochs=EPOCHS,
                      sample_weight=w[:32], verbose=0)
        synced = build(10, dtype)
        with nn.distribution.DataParallel(comm).scope():
            synced.fit(x[:32], y[:32], batch_size=GLOBAL_BATCH, epochs=EPOCHS,
                       sample_weight=w[:32], verbose=0)
        result["unsynchronized"] = common.relative_difference(
            [v.numpy() for v in local.weights], [v.numpy() for v in synced.weights])
    else:
        for synchronized in (False, True):
            model = build(10, dtype, synchronized=synchronized)
            with nn.distribution.DataParallel(comm).scope():
                model.fit(x[:32], y[:32], batch_size=GLOBAL_BATCH, epochs=EPOCHS,
                          sample_weight=w[:32], verbose=0)
    return result


def one_sample_batch(comm: dist.Communicator) -> str:
    """33 samples in batches of 8: the last global batch is 1 sample, refused everywhere."""
    x, y, _ = common.data(33, dtype="float64")
    model = build(0, "float64")
    try:
        with nn.distribution.DataParallel(comm).scope():
            model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=1, verbose=0)
        return "no error"
    except ValueError as error:
        return str(error)


def main() -> None:
    comm = common.world()
    results = {dtype: train(comm, dtype) for dtype in ("float64", "float32")}
    results["one sample"] = one_sample_batch(comm)
    common.report(comm, results=results)


if __name__ == "__main__":
    main()
