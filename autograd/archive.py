"""The ``.npz`` files of ``autograd.save``: written atomically, read without trusting them.

``atomic_write`` writes to a temporary file in the target's folder and renames it over the
target at the end, so a crash leaves the old file or the new one, never half of one.
``read_members`` parses every member's ``.npy`` header, accepts only numeric and text dtypes,
and checks each header against the member's real size before reading its data: no pickle is
ever loaded, and a damaged file fails fast with ``SerializationError`` naming it.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO

import numpy as np


class SerializationError(ValueError):
    """A file that ``load`` cannot read; the message names the path and the reason."""


def atomic_write(path: str, write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write(file)`` on a temporary file next to ``path``, then rename it over ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp",
                                         dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_members(data: bytes, name: str) -> dict[str, np.ndarray]:
    """The arrays of the archive ``data`` by member name (without ``.npy``); ``name`` is the
    file's name for error messages."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            if len(set(names)) != len(names):
                raise SerializationError(f"{name}: the archive holds duplicate members")
            arrays = {}
            if any(n.endswith("data.pkl") for n in names):
                raise SerializationError(f"{name}: written by torch.save (pickle), which this "
                                         f"library never unpickles; load it with torch, convert "
                                         f"the tensors with .numpy(), and save them with "
                                         f"autograd.save")
            for info in infos:
                if not info.filename.endswith(".npy"):
                    raise SerializationError(f"{name}: unexpected member {info.filename!r} "
                                             f"(not an .npy array)")
                arrays[info.filename[:-4]] = _read_member(archive, info, name)
    except SerializationError:
        raise
    except zipfile.BadZipFile as err:
        raise SerializationError(f"{name}: not a readable archive ({err}); was it written by "
                                 f"autograd.save and copied completely?") from None
    except Exception as err:  # any other way a damaged file can fail to parse
        raise SerializationError(f"{name}: damaged archive ({type(err).__name__}: {err})"
                                 ) from None
    return arrays


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> np.ndarray:
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version not in ((1, 0), (2, 0)):
            raise SerializationError(f"{name}: member {info.filename} has unsupported .npy "
                                     f"version {version}")
        read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                       else np.lib.format.read_array_header_2_0)
        shape: tuple[int, ...]
        fortran: bool
        dtype: np.dtype
        shape, fortran, dtype = read_header(member)
        if dtype.kind not in "biufU" or dtype.hasobject:
            raise SerializationError(f"{name}: member {info.filename} has dtype {dtype}, "
                                     f"which is not a plain numeric or text type")
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        expected = count * dtype.itemsize
        remaining = info.file_size - member.tell()
        if expected != remaining:
            raise SerializationError(f"{name}: member {info.filename} claims shape {shape} "
                                     f"({expected} bytes) but holds {remaining} bytes")
        raw = member.read(expected)
    array: np.ndarray = np.frombuffer(raw, dtype=dtype, count=count)
    copied: np.ndarray = array.reshape(shape, order="F" if fortran else "C").copy()
    return copied

