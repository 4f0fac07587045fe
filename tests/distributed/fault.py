"""An exception on rank 1 in the middle of training must end both ranks within seconds.

Usage: fault.py FOLDER. Rank 0 writes a checkpoint every epoch meanwhile; every checkpoint
left behind must load.
"""

from __future__ import annotations

import os
import sys

import common

import nn
import optim


class FailOnRank1(nn.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if self.model.rank == 1 and self.model.epochs_done == 3 and batch == 1:
            raise RuntimeError("injected failure on purpose")

    def on_epoch_end(self, epoch, logs=None):
        self.model.epochs_done += 1


def main() -> None:
    folder = sys.argv[1]
    comm = common.world()
    x, y, _ = common.data(200)
    model = common.mlp(seed=0)
    model.rank, model.epochs_done = comm.rank, 0
    common.compile_classifier(model, optim.Adam(0.01))
    checkpoint = nn.ModelCheckpoint(os.path.join(folder, "ckpt-{epoch}.npz"), monitor="loss")
    nn.distribution.set_distribution(nn.distribution.DataParallel(comm))
    model.fit(x, y, batch_size=20, epochs=1000, verbose=0, callbacks=[checkpoint, FailOnRank1()])
    print("unreachable: training should have been stopped", flush=True)


if __name__ == "__main__":
    main()
