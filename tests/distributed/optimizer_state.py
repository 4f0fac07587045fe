"""Rank 0 alone holds an optimizer state (a checkpoint loaded on rank 0 only, Horovod's habit):
after the broadcast every rank holds it, bit for bit, and trains as one process would.

Reports per rank: whether fit's replicas end bitwise equal, how far rank 0's weights are from
one process continuing rank 0's run, and whether ``broadcast_optimizer_state`` left every
rank's state (torch-style and Keras-style optimizers) bitwise equal to root's.
"""

from __future__ import annotations

import hashlib

import common
import numpy as np

import nn
import optim
from optim import distributed as dist


def state_fingerprint(optimizer: optim.Optimizer) -> str:
    """A hash of everything ``state_dict`` holds: arrays by dtype, shape and bytes."""
    digest = hashlib.sha256()

    def add(value: object) -> None:
        if isinstance(value, np.ndarray):
            digest.update(f"{value.dtype}{value.shape}".encode())
            digest.update(np.ascontiguousarray(value).tobytes())
        elif isinstance(value, dict):
            for key in sorted(value, key=str):
                digest.update(repr(key).encode())
                add(value[key])
        elif isinstance(value, (list, tuple)):
            for item in value:
                add(item)
        else:
            digest.update(repr(value).encode())

    add(optimizer.state_dict())
    return digest.hexdigest()


def same_everywhere(comm: dist.Communicator, value: str) -> bool:
    return len(set(comm.allgather_object(value))) == 1


def fit_case(comm: dist.Communicator) -> dict:
    """Rank 0 trains two epochs alone (its Adam moments and steps: the 'checkpoint'); then both
    ranks train two epochs together. One process doing the same four epochs is the reference."""
    x, y, _ = common.data(64, dtype="float64")

    def build() -> nn.Sequential:
        model = common.mlp(seed=3, dtype="float64")
        common.compile_classifier(model, optim.Adam(0.01))
        return model

    model = build()
    if comm.rank == 0:
        model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    with nn.distribution.DataParallel(comm).scope():
        model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    trained = common.weights(model)
    result = {"fit_ranks_equal": same_everywhere(comm, common.fingerprint(trained)),
              "fit_states_equal": same_everywhere(comm, state_fingerprint(model.optimizer))}
    if comm.rank == 0:
        reference = build()
        reference.fit(x, y, batch_size=16, epochs=2, verbose=0)
        reference.fit(x, y, batch_size=16, epochs=2, verbose=0)
        result["fit_relative"] = common.relative_difference(trained, common.weights(reference))
    return result


def loop_case(comm: dist.Communicator, optimizer: optim.Optimizer, root: int) -> bool:
    """Each rank steps a different number of times, then takes ``root``'s state."""
    model = common.mlp(seed=5)
    optimizer.bind(list(model.parameters()))
    x, y, _ = common.data(8)
    for _ in range(1 + 2 * comm.rank):
        optimizer.zero_grad()
        nn.losses.sparse_categorical_crossentropy(y, model(x), from_logits=True).mean().backward()
        optimizer.step()
    root_state = comm.broadcast_object(state_fingerprint(optimizer), root)
    dist.broadcast_optimizer_state(optimizer, root_rank=root, comm=comm)
    return state_fingerprint(optimizer) == root_state and same_everywhere(
        comm, state_fingerprint(optimizer))


def main() -> None:
    comm = common.world()
    with dist.abort_on_error(comm):
        result = fit_case(comm)
        result["torch_state_equal"] = loop_case(comm, optim.Adam(lr=0.01, amsgrad=True), 0)
        result["keras_state_equal"] = loop_case(
            comm, nn.optimizers.Adam(0.01, gradient_accumulation_steps=2), 1)
    common.report(comm, **result)


if __name__ == "__main__":
    main()
