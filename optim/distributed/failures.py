"""Ending every process when one fails: a job whose processes wait for each other in collective
operations would otherwise hang when one of them stops.

- ``abort_on_error``: a ``with`` block (or decorator) that turns an exception on one process
  into ``MPI_Abort`` of the job, with mpi4py's exit statuses (``exit_status``);
- ``abort_on_uncaught_exception``: the same for an exception that nothing catches, in the main
  thread (``sys.excepthook``) or in another thread (``threading.excepthook``), as
  ``python -m mpi4py`` does.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

from optim.distributed.comm import Communicator, as_communicator

_uncaught: Communicator | None = None  # the one abort_on_uncaught_exception aborts
_previous_hook = sys.excepthook  # called when there is nothing to abort
_previous_thread_hook = threading.excepthook


@contextlib.contextmanager
def abort_on_error(comm: Any = None) -> Iterator[None]:
    """End every process when the code inside raises on any one of them.

    Without it an exception on one process leaves the others waiting forever in their next
    collective. With more than one process, the error is printed as ``rank R: <traceback>`` and
    ``MPI_Abort`` ends the job with the exit status ``python -m mpi4py`` gives: 1, or
    ``sys.exit``'s own code, or 130 for ``KeyboardInterrupt``. ``sys.exit(0)`` (or
    ``sys.exit()``) is a normal end, not a failure: it goes through, and the process exits 0
    once every process has ended. With one process the exception propagates unchanged.
    Usable as a ``with`` block or as a decorator.

    Examples:
        >>> from optim import distributed as dist
        >>> with dist.abort_on_error():  # doctest: +SKIP
        ...     train()
    """
    try:
        yield
    except BaseException as error:  # KeyboardInterrupt and SystemExit would hang the others too
        communicator = as_communicator(comm)
        status = exit_status(error)
        if communicator.size == 1 or status == 0:
            raise
        communicator.abort(error, status)


def exit_status(error: BaseException) -> int:
    """The exit status a process ending with ``error`` should have, by mpi4py's rules.

    Examples:
        >>> from optim.distributed.failures import exit_status
        >>> [exit_status(e) for e in (SystemExit(0), SystemExit("bad input"), KeyError())]
        [0, 1, 1]
    """
    if isinstance(error, SystemExit):
        code = error.code
        if code is None:
            return 0
        return int(code) if isinstance(code, int) else 1  # Python prints a text code, exits 1
    if isinstance(error, KeyboardInterrupt):
        return 128 + int(signal.SIGINT)  # a shell's status for a process ended by Ctrl-C
    return 1


def abort_on_uncaught_exception(comm: Any = None) -> None:
    """Make an exception that nothing catches end every process, as ``python -m mpi4py`` does.

    An exception that escapes the program on one process ends that process only; the others
    wait forever in their next collective (the job hangs until killed). This installs a
    ``sys.excepthook`` that prints ``rank R: <traceback>`` and calls ``MPI_Abort`` with exit
    status 1 (130 for ``KeyboardInterrupt``), ending the job; a ``threading.excepthook`` does
    the same for an exception that ends a thread (its work would never come).
    ``nn.distribution.DataParallel`` installs both when created or set. Nothing happens with
    one process. Calling it again only changes the communicator aborted. It does not see
    ``sys.exit(code)`` outside ``abort_on_error`` (Python hands no ``SystemExit`` to the hook).

    Args:
        comm: A ``Communicator`` or mpi4py communicator; ``world()`` when None.

    Examples:
        >>> from optim import distributed as dist
        >>> dist.abort_on_uncaught_exception()  # doctest: +SKIP
    """
    global _uncaught, _previous_hook, _previous_thread_hook
    communicator = as_communicator(comm)
    if communicator.size == 1:
        return
    _uncaught = communicator
    if sys.excepthook is not _abort_uncaught:
        _previous_hook, sys.excepthook = sys.excepthook, _abort_uncaught
    if threading.excepthook is not _abort_uncaught_in_thread:
        _previous_thread_hook = threading.excepthook
        threading.excepthook = _abort_uncaught_in_thread


def _abort_uncaught_in_thread(args: Any) -> None:
    """The ``threading.excepthook`` of ``abort_on_uncaught_exception``: a thread that dies of
    an exception would leave the main thread (and so every process) waiting for its work."""
    if _uncaught is None or args.exc_type is SystemExit:  # threads end quietly on SystemExit
        _previous_thread_hook(args)
        return
    error = args.exc_value if args.exc_value is not None else args.exc_type()
    _uncaught.abort(error.with_traceback(args.exc_traceback), exit_status(error) or 1)


def _abort_uncaught(kind: type[BaseException], error: BaseException, trace: Any) -> None:
    """The ``sys.excepthook`` of ``abort_on_uncaught_exception``."""
    if _uncaught is None:
        _previous_hook(kind, error, trace)
        return
    _uncaught.abort(error.with_traceback(trace), exit_status(error) or 1)
