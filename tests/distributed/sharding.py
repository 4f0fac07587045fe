"""Every sample exactly once per epoch across the ranks: fit's shares and the sampler's."""

from __future__ import annotations

import common
import numpy as np

import nn
import optim
from optim import distributed as dist

COUNT, BATCH, EPOCHS = 37, 8, 3  # the last batch of 5 splits 3 + 2


class Recorder(nn.Model):
    """A linear model that notes the sample ids (column 0) of the batches it trains on."""

    def __init__(self) -> None:
        super().__init__(seed=4)
        self.dense = nn.Dense(1, input_shape=[2])
        self.seen: list[list[int]] = [[]]

    def forward(self, x):
        if self.training:
            ids = x.numpy() if hasattr(x, "numpy") else np.asarray(x)
            self.seen[-1].extend(int(i) for i in ids[:, 0])
        return self.dense(x)


class NewEpoch(nn.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.model.seen.append([])


def epochs_covered(comm: dist.Communicator, per_epoch: list[list[int]]) -> tuple[bool, bool]:
    """(each epoch's ids across ranks are 0..COUNT-1 exactly once, ranks never share an id)."""
    everyone = comm.allgather_object(per_epoch)
    once = all(sorted(i for rank in everyone for i in rank[e]) == list(range(COUNT))
               for e in range(EPOCHS))
    disjoint = all(not set(everyone[0][e]) & set(everyone[1][e]) for e in range(EPOCHS))
    return once, disjoint


def main() -> None:
    comm = common.world()
    with dist.abort_on_error(comm):
        x = np.stack([np.arange(COUNT), np.linspace(-1, 1, COUNT)], axis=1).astype(np.float32)
        y = 2 * x[:, 1]
        model = Recorder()
        model.compile(optimizer=optim.SGD(1e-4), loss="mse")
        with nn.distribution.DataParallel(comm).scope():
            model.fit(x, y, batch_size=BATCH, epochs=EPOCHS, verbose=0, callbacks=[NewEpoch()])
        fit_once, fit_disjoint = epochs_covered(comm, model.seen[:EPOCHS])
        orders = [tuple(epoch) for epoch in model.seen[:EPOCHS]]

        sampler = dist.DistributedSampler(COUNT, seed=7)
        shares = []
        for epoch in range(EPOCHS):
            sampler.set_epoch(epoch)
            shares.append([int(i) for index in sampler.batches(4) for i in index])
        sampler_once, sampler_disjoint = epochs_covered(comm, shares)
        batch_counts = comm.allgather_object(len(list(sampler.batches(4))))
    common.report(comm, fit_once=fit_once, fit_disjoint=fit_disjoint,
                  reshuffled=len(set(orders)) == EPOCHS, sampler_once=sampler_once,
                  sampler_disjoint=sampler_disjoint,
                  same_batch_count=len(set(batch_counts)) == 1)


if __name__ == "__main__":
    main()
