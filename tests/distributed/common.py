"""Shared by the scripts that tests/test_distributed.py runs under ``mpiexec -n 2``."""

from __future__ import annotations

import hashlib
import json
import sys

import numpy as np

import autograd as ag
import nn
import optim
from optim import distributed as dist


def world(expected: int = 2) -> dist.Communicator:
    """The world communicator; exits with a clear message when not started by mpiexec -n 2."""
    comm = dist.world()
    if comm.size != expected:
        sys.exit(f"expected {expected} processes, got {comm.size}: is mpiexec the one that "
                 f"belongs to mpi4py's MPI library (the mpich wheel's)?")
    return comm


def report(comm: dist.Communicator, **values: object) -> None:
    """Rank 0 prints every rank's ``values`` as one JSON line: a list in rank order. (mpiexec
    forwards the output of each process on its own, so lines printed by two processes at once
    can run into each other.)"""
    everyone = comm.allgather_object({"rank": comm.rank, **values})
    if comm.rank == 0:
        print(json.dumps(everyone), flush=True)


def data(count: int, features: int = 5, classes: int = 3, dtype: str = "float32",
         seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs, integer labels and positive sample weights."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(count, features)).astype(dtype)
    y = rng.integers(0, classes, count)
    w = rng.uniform(0.5, 1.5, count).astype(dtype)
    return x, y, w


def mlp(seed: int, features: int = 5, classes: int = 3, dtype: str = "float32") -> nn.Sequential:
    """A small classifier with an L2 penalty, its weights drawn from ``seed``."""
    ag.set_default_dtype(dtype)
    nn.set_random_seed(seed)
    return nn.Sequential([
        nn.Dense(8, activation="tanh", input_shape=[features],
                 kernel_regularizer=nn.regularizers.L2(1e-3)),
        nn.Dense(classes),
    ])


def weights(model: nn.Module) -> list[np.ndarray]:
    return [p.numpy().copy() for p in model.parameters()]


def relative_difference(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    """The largest |a - b| over the largest |b|, across all weights."""
    diff = max(float(np.max(np.abs(u.astype(np.float64) - v))) for u, v in zip(a, b))
    return diff / max(float(np.max(np.abs(v))) for v in b)


def fingerprint(arrays: list[np.ndarray]) -> str:
    return hashlib.sha256(b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)).hexdigest()


def compile_classifier(model: nn.Model, optimizer: optim.Optimizer) -> None:
    model.compile(optimizer=optimizer,
                  loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
