"""``save`` and ``load`` with PyTorch's signatures, in a format that holds data and never code.

A saved object is one ``.npz`` archive: every tensor and numpy array is a plain ``.npy``
member written with ``allow_pickle=False``, and the structure around them (dicts, lists,
tuples, numbers, strings, None) is a JSON document in one more member. Writing to a path goes
through a temporary file in the same folder, renamed over the target at the end, so a crash
leaves the old file or the new one, never half of one. Reading parses each member's header and
checks it against the member's real size before reading any data, accepts only numeric and
text dtypes, and rebuilds the structure from JSON: nothing in a file can run code, and a
damaged or foreign file raises ``SerializationError`` naming the path and the reason.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from typing import Any

import numpy as np

from autograd.archive import SerializationError as SerializationError  # re-exported
from autograd.archive import atomic_write, read_members
from autograd.devices import check_device
from autograd.tensor import Tensor

FORMAT = "autograd-save"
VERSION = 1
_STRUCTURE = "__structure__"


def save(obj: object, f: Any, pickle_module: Any = None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True,
         _disable_byteorder_record: bool = False) -> None:
    """Save tensors, numpy arrays, numbers, strings, None, and dicts, lists and tuples of
    them (state dicts, optimizer state dicts), as ``torch.save`` does but without pickle.

    Args:
        obj: What to save. A tensor (or array) object that appears twice is stored once and
            loads as one object again, as in PyTorch.
        f: A path (written atomically) or a binary file object open for writing.
        pickle_module: None, or Python's ``pickle`` module (PyTorch's default): no pickle is
            written, so no other value could be honoured. The default is None here because
            the library never imports pickle.
        pickle_protocol: Likewise, 2 only.
        _use_new_zipfile_serialization: Likewise, True only.
        _disable_byteorder_record: Likewise, False only.

    Examples:
        >>> import autograd as torch
        >>> torch.save({"w": torch.ones(2), "step": 3}, "state.pt")
        >>> torch.load("state.pt")
        {'w': tensor([1., 1.]), 'step': 3}
    """
    not_pickle = pickle_module is not None and getattr(pickle_module, "__name__", None) != "pickle"
    if not_pickle or pickle_protocol != 2 or not (
            _use_new_zipfile_serialization) or _disable_byteorder_record:
        raise ValueError("save: pickle_module, pickle_protocol and the zipfile options have "
                         "no meaning here (nothing is pickled); leave them at their defaults")
    arrays: dict[str, np.ndarray] = {}
    structure = _encode(obj, arrays, {}, "obj")
    document = json.dumps({"format": FORMAT, "version": VERSION, "object": structure})
    # (Any: np.savez's stub would also match an array to its allow_pickle keyword)
    members: dict[str, Any] = {**arrays, _STRUCTURE: np.array(document)}
    if isinstance(f, (str, os.PathLike)):
        atomic_write(os.fspath(f), lambda file: np.savez(file, **members))
    elif hasattr(f, "write"):
        np.savez(f, **members)
    else:
        raise TypeError(f"save: f must be a path or a binary file object open for writing. "
                        f"Received: {type(f).__name__}")


def load(f: Any, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: bool | None = None,
         **pickle_load_args: Any) -> Any:
    """Load what ``save`` wrote, as ``torch.load`` does; the file's code is never run (it has
    none: the format holds data only).

    Args:
        f: A path or a binary file object open for reading.
        map_location: None, ``'cpu'``, ``device('cpu')``, or a dict mapping locations to
            ``'cpu'``: tensors load into memory, the one device there is.
        pickle_module: PyTorch's, accepted at its default (None) only: nothing is unpickled.
        weights_only: True or None (PyTorch's default, which means True) or False: the
            result is the same, since a file can only hold data.
        mmap: PyTorch's, accepted at its default (None, or False) only.
        **pickle_load_args: PyTorch's, none accepted.

    Raises:
        SerializationError: The file is missing, damaged, or not written by ``save``.

    Examples:
        >>> import autograd as torch
        >>> torch.save([torch.tensor([1, 2]), "note"], "items.pt")
        >>> torch.load("items.pt", map_location="cpu", weights_only=True)
        [tensor([1, 2], dtype=int64), 'note']
    """
    if isinstance(map_location, dict):
        for where in map_location.values():
            check_device(where, "load")
    elif callable(map_location):
        raise ValueError("load: a callable map_location is not supported; tensors load on "
                         "the CPU, so leave map_location out or pass 'cpu'")
    else:
        check_device(map_location, "load")
    if pickle_module is not None or mmap or pickle_load_args:
        raise ValueError("load: pickle_module, mmap and pickle load arguments have no "
                         "meaning here (nothing is unpickled); leave them out")
    name = os.fspath(f) if isinstance(f, (str, os.PathLike)) else str(getattr(f, "name", f))
    if isinstance(f, (str, os.PathLike)):
        if not os.path.isfile(name):
            raise SerializationError(f"{name}: no such file")
        with open(name, "rb") as file:
            data = file.read()
    elif hasattr(f, "read"):
        data = f.read()
    else:
        raise TypeError(f"load: f must be a path or a binary file object open for reading. "
                        f"Received: {type(f).__name__}")
    arrays = read_members(data, name)
    document = arrays.pop(_STRUCTURE, None)
    if document is None or document.dtype.kind != "U" or document.shape != ():
        raise SerializationError(f"{name}: not a file written by autograd.save (no "
                                 f"{_STRUCTURE} record)")
    try:
        meta = json.loads(str(document))
    except (ValueError, RecursionError) as err:
        raise SerializationError(f"{name}: its structure is not valid JSON ({err})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or "object" not in meta:
        raise SerializationError(f"{name}: not a file written by autograd.save")
    if meta.get("version") != VERSION:
        raise SerializationError(f"{name}: written with format version {meta.get('version')}; "
                                 f"this library reads version {VERSION}")
    used: dict[str, Any] = {}
    try:
        result = _decode(meta["object"], arrays, used)
    except (KeyError, TypeError, ValueError, IndexError, RecursionError) as err:
        raise SerializationError(f"{name}: damaged structure ({type(err).__name__}: {err})"
                                 ) from None
    unused = sorted(set(arrays) - set(used))
    if unused:
        raise SerializationError(f"{name}: arrays {unused} are not part of the structure")
    return result


# --- the structure: JSON values, and tagged objects for everything JSON cannot say ----------

def _encode(obj: Any, arrays: dict[str, np.ndarray], seen: dict[int, str], where: str) -> Any:
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, float)) and not isinstance(obj, (np.generic,)):
        if isinstance(obj, float) and not np.isfinite(obj):
            return {"$": "float", "v": repr(obj)}  # JSON has no nan or inf
        return int(obj) if isinstance(obj, int) else float(obj)
    if isinstance(obj, (Tensor, np.ndarray, np.generic)):
        if id(obj) in seen:  # the same object again: one array, one object after loading
            return {"$": "ref", "a": seen[id(obj)]}
        key = f"a{len(arrays)}"
        data = obj._data if isinstance(obj, Tensor) else np.asarray(obj)
        if data.dtype.kind not in "biuf":
            raise TypeError(f"save: {where} has dtype {data.dtype}; only booleans, integers "
                            f"and floats can be saved")
        arrays[key], seen[id(obj)] = np.asarray(data, order="C"), key
        kind = "tensor" if isinstance(obj, Tensor) else (
            "ndarray" if isinstance(obj, np.ndarray) else "scalar")
        tag: dict[str, Any] = {"$": kind, "a": key}
        if isinstance(obj, Tensor) and obj.requires_grad:
            tag["requires_grad"] = True
        return tag
    if isinstance(obj, (list, tuple)):
        items = [_encode(v, arrays, seen, f"{where}[{i}]") for i, v in enumerate(obj)]
        if type(obj) not in (list, tuple):
            raise TypeError(f"save: {where} is a {type(obj).__name__}; save holds plain lists "
                            f"and tuples (convert it first)")
        return {"$": type(obj).__name__, "v": items}
    if isinstance(obj, dict):
        if type(obj) not in (dict, OrderedDict):
            raise TypeError(f"save: {where} is a {type(obj).__name__}; save holds dict and "
                            f"OrderedDict (convert it first)")
        keys = [_encode_key(k, where) for k in obj]
        values = [_encode(v, arrays, seen, f"{where}[{k!r}]") for k, v in obj.items()]
        return {"$": "odict" if type(obj) is OrderedDict else "dict", "k": keys, "v": values}
    hint = (" (save its state_dict() and load it into a new one: a whole module or optimizer "
            "is code, which this format never stores)" if hasattr(obj, "state_dict") else "")
    raise TypeError(f"save: {where} is a {type(obj).__name__}, which cannot be saved; save "
                    f"holds tensors, numpy arrays, numbers, strings, None, and dicts, lists "
                    f"and tuples of them{hint}")


def _encode_key(key: Any, where: str) -> Any:
    if key is None or isinstance(key, (bool, int, float, str)) and not isinstance(
            key, np.generic):
        return _encode(key, {}, {}, where)
    if isinstance(key, tuple):
        return {"$": "tuple", "v": [_encode_key(k, where) for k in key]}
    raise TypeError(f"save: {where} has a key of type {type(key).__name__}; keys must be "
                    f"strings, numbers, None or tuples of them")


def _decode(node: Any, arrays: dict[str, np.ndarray], used: dict[str, Any]) -> Any:
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if not isinstance(node, dict):
        raise ValueError(f"unexpected {type(node).__name__} in the structure")
    tag = node["$"]
    if tag in ("list", "tuple"):
        items = [_decode(v, arrays, used) for v in _list(node["v"])]
        return items if tag == "list" else tuple(items)
    if tag in ("dict", "odict"):
        keys, values = _list(node["k"]), _list(node["v"])
        if len(keys) != len(values):
            raise ValueError("a dict with different numbers of keys and values")
        pairs = [(_decode(k, {}, {}), _decode(v, arrays, used)) for k, v in zip(keys, values)]
        return dict(pairs) if tag == "dict" else OrderedDict(pairs)
    if tag == "float":
        if node["v"] not in ("nan", "inf", "-inf"):
            raise ValueError(f"a float written as {node['v']!r}")
        return float(node["v"])
    if tag == "ref":
        if node["a"] not in used:
            raise ValueError(f"a reference to array {node['a']!r} before the array")
        return used[node["a"]]
    if tag in ("tensor", "ndarray", "scalar"):
        key = node["a"]
        if key in used or key not in arrays:
            raise ValueError(f"array {key!r} is missing or used twice")
        data = arrays[key]
        if tag == "tensor":
            value: Any = Tensor._wrap(data)
            if node.get("requires_grad") is True:
                value.requires_grad_(True)
        else:
            value = data if tag == "ndarray" else data[()]
        used[key] = value
        return value
    raise ValueError(f"unknown tag {tag!r}")


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list, found {type(value).__name__}")
    return value
