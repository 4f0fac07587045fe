"""Only rank 0 prints progress and writes files; every rank holds the same History.

Usage: outputs.py FOLDER. Counts the atomic renames (every saved file ends with one) per rank.
"""

from __future__ import annotations

import os
import sys

import common

import nn
import optim
from optim import distributed as dist

renames = 0
_replace = os.replace


def counting_replace(source, target):
    global renames
    renames += 1
    _replace(source, target)


def main() -> None:
    folder = sys.argv[1]
    comm = common.world()
    os.replace = counting_replace
    with dist.abort_on_error(comm):
        x, y, _ = common.data(45)
        model = common.mlp(seed=comm.rank)
        common.compile_classifier(model, optim.Adam(0.01))
        callbacks = [nn.ModelCheckpoint(os.path.join(folder, "ckpt-{epoch}.npz"),
                                        monitor="loss", verbose=1),
                     nn.CSVLogger(os.path.join(folder, "log.csv"))]
        with nn.distribution.DataParallel(comm).scope():
            history = model.fit(x, y, batch_size=10, epochs=3, verbose=2,
                                validation_split=0.2, callbacks=callbacks)
            model.save(os.path.join(folder, "final.npz"))
            model.save_weights(os.path.join(folder, "final.weights.npz"))
        same = len({str(h) for h in comm.allgather_object(history.history)}) == 1
    common.report(comm, renames=renames, histories_equal=same,
                  keys=sorted(history.history))


if __name__ == "__main__":
    main()
