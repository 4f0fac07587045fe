"""Two processes train like one: both APIs, float32 and float64, 20 updates each.

Each rank builds its model from a different seed; the broadcast must make them start from rank
0's weights. Rank 0 then trains a reference on one process with the global batch and reports
the largest relative difference of the weights.
"""

from __future__ import annotations

import common

import nn
import optim
from optim import distributed as dist

COUNT, GLOBAL_BATCH, EPOCHS = 151, 16, 2  # 10 updates per epoch; the last batch is 7: 4 + 3


def keras_api(comm: dist.Communicator, dtype: str) -> dict:
    x, y, w = common.data(COUNT, dtype=dtype)
    x_val, y_val, _ = common.data(23, dtype=dtype, seed=1)

    def train(model: nn.Sequential) -> nn.History:
        common.compile_classifier(model, optim.Adam(0.01))
        return model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=EPOCHS, sample_weight=w,
                         validation_data=(x_val, y_val), verbose=0)

    model = common.mlp(seed=10 + comm.rank, dtype=dtype)  # different weights on each rank
    with nn.distribution.DataParallel(comm).scope():
        history = train(model)
    trained = common.weights(model)
    result = {"ranks_equal": len(set(comm.allgather_object(common.fingerprint(trained)))) == 1,
              "histories_equal": len({str(h) for h in comm.allgather_object(
                  history.history)}) == 1}
    if comm.rank == 0:
        reference = common.mlp(seed=10, dtype=dtype)
        expected = train(reference)
        result["relative"] = common.relative_difference(trained, common.weights(reference))
        result["history"] = max(abs(a - b) for key in expected.history
                                for a, b in zip(history.history[key], expected.history[key]))
    return result


def torch_api(comm: dist.Communicator, dtype: str) -> dict:
    x, y, _ = common.data(COUNT, dtype=dtype)
    per_rank = GLOBAL_BATCH // comm.size

    def train(model: nn.Sequential, optimizer: optim.Optimizer, sampler, batch: int) -> int:
        steps = 0
        for epoch in range(EPOCHS):
            sampler.set_epoch(epoch)
            for index in sampler.batches(batch):
                optimizer.zero_grad()
                if len(index):
                    logits = model(x[index])
                    nn.losses.sparse_categorical_crossentropy(y[index], logits,
                                                              from_logits=True).mean().backward()
                if isinstance(optimizer, dist.DistributedOptimizer):
                    optimizer.step(samples=len(index))
                else:
                    optimizer.step()
                steps += 1
        return steps

    model = common.mlp(seed=20 + comm.rank, dtype=dtype)
    optimizer = dist.DistributedOptimizer(optim.Adam(model.parameters(), lr=0.01), comm)
    dist.broadcast_parameters(model.parameters(), comm=comm)
    steps = train(model, optimizer, dist.DistributedSampler(COUNT, seed=3), per_rank)
    trained = common.weights(model)
    result = {"steps": steps,
              "ranks_equal": len(set(comm.allgather_object(common.fingerprint(trained)))) == 1}
    if comm.rank == 0:
        reference = common.mlp(seed=20, dtype=dtype)
        train(reference, optim.Adam(reference.parameters(), lr=0.01),
              dist.DistributedSampler(COUNT, num_replicas=1, rank=0, seed=3), GLOBAL_BATCH)
        result["relative"] = common.relative_difference(trained, common.weights(reference))
    return result


def main() -> None:
    comm = common.world()
    results = {}
    with dist.abort_on_error(comm):
        for dtype in ("float32", "float64"):
            results[f"keras_{dtype}"] = keras_api(comm, dtype)
            results[f"torch_{dtype}"] = torch_api(comm, dtype)
    common.report(comm, **results)


if __name__ == "__main__":
    main()
