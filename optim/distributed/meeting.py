"""``meet``: every process says which shared call it is making before making it.

A call shared among the processes (``evaluate`` and ``predict`` under ``DataParallel``) made by
some of them only (``if rank == 0: model.predict(x)``) would wait forever for the others. So
such a call first meets the others on a side channel (a duplicate of the communicator, whose
messages can never be mistaken for those of training) and exchanges one number naming it:

- every process names the same call: it goes on;
- another process names another call: every process raises, naming both;
- another process has reached the end of its program (``meet_at_exit``, installed by
  ``DataParallel``, names "the end of the program" there): the waiting process raises, saying
  that the call must be made by every process or outside the distribution.

A process that still waits after a while (the others busy, or stuck in a collective operation
that this one will never join) says so on its stderr, once.
"""

from __future__ import annotations

import atexit
import sys
import time
import zlib
from typing import Any

import numpy as np

from optim.distributed.comm import Communicator

_POLL_S = 0.001  # between two looks at an exchange that is not complete yet
_WARN_AFTER_S = 10.0  # before a process that still waits says so
_END = "the end of the program"
# The calls' numbers, by which the messages name them.
_names: dict[int, str] = {zlib.crc32(_END.encode()): _END}
_sides: dict[int, Any] = {}  # id(mpi4py communicator) -> its duplicate for meetings
_at_exit: set[int] = set()  # the communicators whose end of program is already a meeting
_ended: set[int] = set()  # the communicators on which some process has met its end already


def meet(comm: Communicator, who: str) -> None:
    """Wait until every process of ``comm`` makes the shared call ``who`` (e.g. "predict").

    Raises on every process that meets another one making a different call; raises on this
    one when another has ended its program. Nothing happens with one process, nor with a
    stand-in communicator that has no MPI communicator to duplicate.

    Raises:
        RuntimeError: Another process reached the end of its program instead.
        ValueError: Another process makes another shared call.
    """
    if comm.size == 1 or not hasattr(comm.comm, "Dup"):
        return
    calls = _exchange(comm, who)
    if _END in calls:  # no meeting can follow, not even this process's own end
        _ended.add(id(comm.comm))
    for rank, name in enumerate(calls):
        if name == _END:
            raise RuntimeError(
                f"{who}: rank {rank} has reached the end of its program, so it will never call "
                f"{who}. Under nn.distribution.DataParallel {who} is shared among the "
                f"processes: call it on every process, or, to run it on this one only, call it "
                f"outside the distribution (nn.distribution.set_distribution(None) before it, "
                f"or train inside DataParallel().scope())")
        if name != who:
            raise ValueError(f"{who}: rank {rank} calls {name} while rank {comm.rank} calls "
                             f"{who}: every process must make the same shared calls in the "
                             f"same order")


def meet_at_exit(comm: Communicator) -> None:
    """Make the end of the program a meeting of ``comm``'s processes (once per communicator).

    A process that reaches its end while another waits in ``meet`` makes that one raise
    instead of waiting forever. Made by ``DataParallel`` when it is created, on every process:
    it duplicates the communicator, a collective operation. Nothing happens with one process
    or a stand-in communicator that cannot be duplicated.
    """
    key = id(comm.comm)
    if comm.size == 1 or key in _at_exit or not hasattr(comm.comm, "Dup"):
        return
    _side(comm)
    _at_exit.add(key)
    atexit.register(_meet_at_end, comm)


def _meet_at_end(comm: Communicator) -> None:
    """At the end of the program: meet the others (who may be waiting in ``meet``)."""
    if id(comm.comm) in _ended:
        return
    try:
        _exchange(comm, _END)
    except Exception:  # noqa: BLE001 - MPI may be gone already; the end must not fail
        return


def _side(comm: Communicator) -> Any:
    """The duplicate of ``comm`` used for meetings, made on first use (a collective)."""
    key = id(comm.comm)
    if key not in _sides:
        _sides[key] = comm.comm.Dup()
    return _sides[key]


def _exchange(comm: Communicator, who: str) -> list[str]:
    """Every process's call name, in rank order (one ``Iallgather`` of a number each)."""
    number = zlib.crc32(who.encode())
    _names[number] = who
    mine = np.array([number], dtype=np.int64)
    everyone = np.zeros(comm.size, dtype=np.int64)
    request = _side(comm).Iallgather(mine, everyone)
    start, warned = time.monotonic(), False
    while not request.Test():
        if not warned and time.monotonic() - start > _WARN_AFTER_S:
            warned = True
            sys.stderr.write(
                f"rank {comm.rank}: {who} has waited {_WARN_AFTER_S:g} s for the other "
                f"processes. Shared calls must be made by every process (under "
                f"nn.distribution.DataParallel: fit, evaluate, predict); if another process "
                f"waits for this one in a collective operation, the job hangs: end it "
                f"(Ctrl-C) and make the same calls on every process\n")
            sys.stderr.flush()
        time.sleep(_POLL_S)
    return [_names.get(int(n), f"an unknown call ({int(n)})") for n in everyone]
