"""``data_fingerprint``: a short text that differs when two processes hold different data.

Data-parallel training expects the whole data set, in the same order, on every process: each
takes its own share of every batch. A process that was handed its share already (``x[rank::N]``)
or shuffled the data with its own seed has the same shapes as the others, so comparing shapes
misses it, and training would silently use the wrong samples. Comparing the bytes themselves
across processes would cost a message as large as the data; a fingerprint costs one pass over
the data on each process and a few bytes of message.
"""

from __future__ import annotations

import hashlib

import numpy as np

_SAMPLED_ROWS = 128  # rows hashed byte for byte, spread evenly from the first to the last


def data_fingerprint(array: np.ndarray) -> str:
    """A 32-character fingerprint of ``array``'s dtype, shape, values and order of rows.

    Two parts, both exact (no floating-point sum, so every machine computes the same text):

    - a hash (BLAKE2b) of the bytes of up to 128 rows spread evenly over the array, the first
      and last included;
    - a checksum of every row: the integer sum, modulo 2**64, of the row's bytes read as
      unsigned integers (8 bytes at a time when the row's size allows), weighted by the odd
      number ``2 i + 1`` for row ``i``. An odd weight is invertible modulo 2**64, so a change
      confined to one row always changes it, and exchanging two rows of different sums does.

    What it catches: any change of one value; data split per process (``x[rank::N]``), or
    shuffled, sorted, normalized or augmented differently per process; another dtype.
    What it cannot: a reordering of rows whose byte sums are equal (identical rows: harmless)
    or that avoids the sampled rows while keeping the weighted sum, and changes made on
    purpose to cancel out in the checksum. It costs one pass over the data (about the time of
    ``array.sum()``), plus a copy when the array is not C-contiguous.

    Examples:
        >>> import numpy as np
        >>> from optim.distributed import data_fingerprint
        >>> x = np.arange(12.0).reshape(6, 2)
        >>> data_fingerprint(x) == data_fingerprint(x.copy())
        True
        >>> data_fingerprint(x) == data_fingerprint(x[::-1])
        False
    """
    array = np.ascontiguousarray(array)
    count = len(array) if array.ndim else 1
    rows = array.reshape(-1).view(np.uint8).reshape(count, -1) if array.size \
        else np.zeros((count, 0), np.uint8)
    sampled = np.unique(np.linspace(0, len(rows) - 1, min(len(rows), _SAMPLED_ROWS)).astype(int))
    digest = hashlib.blake2b(f"{array.dtype.str}{array.shape}".encode(), digest_size=8)
    digest.update(rows[sampled].tobytes())
    return f"{digest.hexdigest()}{_row_checksum(rows):016x}"


def _row_checksum(rows: np.ndarray) -> int:
    """``sum_i (2 i + 1) * sum(row i's words)`` modulo 2**64, ``rows`` a 2-D array of bytes."""
    width = next(w for w in (8, 4, 2, 1) if rows.shape[1] % w == 0)
    words = rows.view(f"<u{width}")  # one byte order everywhere: the text must not depend on it
    # Integer sums wrap modulo 2**64 whatever their order: exact on every machine.
    sums = words.sum(axis=1, dtype=np.uint64)
    weights = np.arange(1, 2 * len(rows), 2, dtype=np.uint64)
    return int((sums * weights).sum(dtype=np.uint64))
