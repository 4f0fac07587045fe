"""Dropout and noise layers draw their own stream on each rank, the same streams on a rerun.

Each rank fits a model with a Dropout and a GaussianNoise layer built from the same seed; a
callback records the masks that the Dropout layer draws during fit (its output on ones).
Rank 0 reports whether the ranks' masks differ and whether a second, identical run repeated
them.

Usage: mpiexec -n 2 python tests/distributed/dropout_streams.py
"""

from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import optim
from tests.distributed.common import data, fingerprint, report, world


class RecordMasks(nn.Callback):
    """After each batch, the mask that the Dropout layer (Keras) or ``nn.functional.dropout``
    (PyTorch's, from autograd's root sequence) draws next."""

    def __init__(self, layer: nn.layers.Dropout | None) -> None:
        super().__init__()
        self.layer, self.masks = layer, []

    def on_train_batch_end(self, batch: int, logs: object = None) -> None:
        ones = np.ones((4, 16), np.float32)
        mask = nn.functional.dropout(ag.tensor(ones), 0.5, True) if self.layer is None \
            else self.layer(ones, training=True)
        self.masks.append(mask.numpy())


def build(keras: bool) -> tuple[nn.Module, nn.layers.Dropout | None]:
    nn.set_random_seed(3)
    if not keras:
        return nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Dropout(0.5), nn.Linear(16, 3)), None
    dropout = nn.layers.Dropout(0.5)
    return nn.Sequential([nn.Dense(16, activation="tanh", input_shape=[5]), dropout,
                          nn.layers.GaussianNoise(0.1), nn.Dense(3)]), dropout


def run(comm: object, keras: bool) -> tuple[str, str]:
    """Fingerprints of the masks drawn during one fit and of the trained weights."""
    x, y, _ = data(64)
    model, dropout = build(keras)
    model.compile(optimizer=optim.SGD(0.1), loss="sparse_categorical_crossentropy")
    recorder = RecordMasks(dropout)
    with nn.distribution.DataParallel(comm).scope():
        model.fit(x, y, batch_size=16, epochs=2, verbose=0, callbacks=[recorder])
    return fingerprint(recorder.masks), fingerprint([p.numpy() for p in model.parameters()])


def main() -> None:
    comm = world()
    results = {}
    for api in ("keras", "torch"):
        first, second = run(comm, api == "keras"), run(comm, api == "keras")
        masks = comm.allgather_object(first[0])
        after = nn.random.generator().random()  # the root is the same everywhere after fit
        results[api] = {"masks_differ": masks[0] != masks[1], "rerun_repeats": first == second,
                        "weights": first[1], "after": after}
    report(comm, **results)


if __name__ == "__main__":
    main()
