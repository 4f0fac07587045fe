"""Half a run on two processes, saved; tests/test_distributed.py finishes it on one process.

Usage: mpiexec -n 2 python tests/distributed/resume.py CHECKPOINT [shuffle]
"""

from __future__ import annotations

import sys

import nn
import optim
from tests.distributed.common import data, mlp, report, world

comm = world()
x, y, _ = data(96, dtype="float64")
model = mlp(seed=7 + comm.rank, dtype="float64")  # ranks start apart; rank 0's weights win
model.compile(optimizer=optim.Adam(0.01), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
with nn.distribution.DataParallel().scope():
    model.fit(x, y, batch_size=16, epochs=5, shuffle=sys.argv[2:] == ["shuffle"], verbose=0)
    model.save(sys.argv[1])  # rank 0 writes, atomically
report(comm, saved=True)
