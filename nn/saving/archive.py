"""The file format of saved models: one ``.npz`` archive of plain arrays plus JSON metadata.

Writing is atomic: the archive goes to a temporary file in the target's folder, is flushed to
disk, then renamed over the target, so a crash leaves either the old file or the new one, never
half of one. Reading never executes code (no pickle: every member is parsed as a plain ``.npy``
array of booleans, integers, floats or text) and checks every header against the member's real
size before reading data, so damaged files fail fast with ``CheckpointError``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO, Any

import numpy as np

FORMAT = "autograd-numpy-engine"
VERSION = 1
META_KEY = "__meta__"


class CheckpointError(ValueError):
    """A saved file that cannot be loaded; the message names the path and the reason."""


def with_suffix(path: Any) -> str:
    """The path as a string, with ``.npz`` appended when it has no suffix (numpy's habit)."""
    path = os.fspath(path)
    result: str = path if os.path.splitext(path)[1] else path + ".npz"
    return result


def atomic_write(path: str, write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write(file)`` on a temporary file, then move it over ``path`` in one step."""
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


def write_archive(path: str, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Save ``arrays`` and the JSON-able ``meta`` to ``path`` atomically."""
    for name, array in arrays.items():
        if np.asarray(array).dtype.kind not in "biuf":
            raise TypeError(f"save: array {name!r} has dtype {np.asarray(array).dtype}; only "
                            f"numeric arrays can be saved")
    document = json.dumps({"format": FORMAT, "version": VERSION, **meta}, allow_nan=True)
    # (Any: np.savez's stub would also match an array to its allow_pickle keyword)
    members: dict[str, Any] = {**{name: np.asarray(a) for name, a in arrays.items()},
                               META_KEY: np.array(document)}
    atomic_write(path, lambda file: np.savez(file, **members))


def _fail(path: str, reason: str) -> CheckpointError:
    return CheckpointError(f"{path}: {reason}")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> np.ndarray:
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise _fail(path, f"member {info.filename} has unsupported .npy version {version}")
        if dtype.kind not in "biufU" or dtype.hasobject:
            raise _fail(path, f"member {info.filename} has dtype {dtype}, which is not a plain "
                              f"numeric or text type")
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        expected = count * dtype.itemsize
        remaining = info.file_size - member.tell()
        if expected != remaining:
            raise _fail(path, f"member {info.filename} claims shape {shape} ({expected} bytes) "
                              f"but holds {remaining} bytes")
        data = member.read(expected)
    array = np.frombuffer(data, dtype=dtype, count=count)
    result: np.ndarray = array.reshape(shape, order="F" if fortran else "C").copy()
    return result


def read_archive(path: Any) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Read an archive written by ``write_archive``: ``(arrays, meta)``, or ``CheckpointError``."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise _fail(path, "no such file")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            duplicated = sorted({n for n in names if names.count(n) > 1})
            if duplicated:
                raise _fail(path, f"the archive holds duplicate members {duplicated}")
            arrays = {}
            for info in infos:
                if not info.filename.endswith(".npy"):
                    raise _fail(path, f"unexpected member {info.filename!r} (not an .npy array)")
                arrays[info.filename[:-4]] = _read_member(archive, info, path)
    except CheckpointError:
        raise
    except zipfile.BadZipFile as err:
        raise _fail(path, f"not a readable .npz archive ({err}); was it written by "
                          f"save() and copied completely?") from None
    except Exception as err:  # any other way a damaged file can fail to parse
        raise _fail(path, f"damaged archive ({type(err).__name__}: {err})") from None
    return arrays, _meta(arrays, path)


def _meta(arrays: dict[str, np.ndarray], path: str) -> dict[str, Any]:
    text = arrays.pop(META_KEY, None)
    if text is None or text.dtype.kind != "U" or text.shape != ():
        raise _fail(path, f"not a file saved by this library (no {META_KEY} record)")
    try:
        meta = json.loads(str(text))
    except ValueError as err:
        raise _fail(path, f"its metadata is not valid JSON ({err})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _fail(path, f"not a file saved by this library (format tag "
                          f"{meta.get('format') if isinstance(meta, dict) else meta!r})")
    if meta.get("version") != VERSION:
        raise _fail(path, f"saved with format version {meta.get('version')}; this library "
                          f"reads version {VERSION}")
    for name, array in arrays.items():
        if array.dtype.kind not in "biuf":
            raise _fail(path, f"array {name!r} has dtype {array.dtype}, not a numeric type")
    return meta
