"""Damaged checkpoints: a corpus of broken files, byte-level fuzzing and interrupted writes.

Each file of the corpus must raise ``nn.CheckpointError`` (never another exception) from
``load_model`` and from ``load_weights`` into a trained model, which must stay bitwise unchanged.
Random byte mutations of a valid file must load identically or raise that error, quickly.
A write interrupted at ten points must leave the previous checkpoint intact and no temporary
file. The package itself must never use pickle, eval or exec.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

import nn
from nn.saving import archive
from tests.reliability.helpers import changed_entries, snapshot, trained_context

FUZZ_COUNT = 1000
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    """The bytes of a valid model file (weights, Adam state, history) and its contents."""
    c = trained_context()
    c.model.fit(np.ones((8, 3)), np.ones((8, 2)), epochs=2, batch_size=4, verbose=0)
    path = tmp_path_factory.mktemp("valid") / "model.npz"
    c.model.save(path)
    return path.read_bytes(), archive.read_archive(path)


def _npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we want
        with zipfile.ZipFile(buffer, "w") as z:
            for name, data in members:
                z.writestr(name, data)
    return buffer.getvalue()


def _rebuilt(valid, change=None, meta_change=None, extra=(), drop=(), raw_meta=None):
    """The valid archive rewritten: members changed, dropped, added, or the metadata edited."""
    arrays, meta = valid[1]
    arrays = {k: v for k, v in arrays.items() if k not in drop}
    for key, value in (change or {}).items():
        arrays[key] = value
    meta = dict(meta)
    if meta_change:
        meta_change(meta)
    text = raw_meta if raw_meta is not None else json.dumps(meta)
    members = [(k + ".npy", _npy(v)) for k, v in arrays.items()]
    members.append((archive.META_KEY + ".npy", _npy(np.array(text))))
    return _zip([*members, *extra])


def _header_claiming(shape: tuple) -> bytes:
    """A float64 .npy member whose header claims ``shape`` but that holds 4 values."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": shape})
    return header.getvalue() + np.zeros(4).tobytes()


def _set(key, value):
    return lambda meta: meta.__setitem__(key, value)


def _truncations(data: bytes) -> list[tuple[str, bytes]]:
    points = [1, 10, 30, 100, len(data) // 4, len(data) // 3, len(data) // 2,
              2 * len(data) // 3, len(data) - 100, len(data) - 22, len(data) - 1]
    return [(f"truncated at {n} of {len(data)} bytes", data[:n]) for n in points]


def corpus(valid) -> list[tuple[str, bytes]]:
    data = valid[0]
    kernel = valid[1][0]["weights/0.kernel"]
    return [
        *_truncations(data),
        ("zero bytes", b""),
        ("random bytes", np.random.default_rng(0).bytes(4096)),
        ("wrong zip header", b"XXXX" + data[4:]),
        ("a pickle renamed .npz", pickle.dumps({"weights/0.kernel": kernel})),
        ("a plain .npy renamed .npz", _npy(kernel)),
        ("text file", b'{"format": "autograd-numpy-engine"}'),
        ("duplicate keys", _zip([("weights/0.kernel.npy", _npy(kernel)),
                                 ("weights/0.kernel.npy", _npy(kernel * 2)),
                                 *zipfile_members(data)])),
        ("object dtype member", _rebuilt(valid, extra=[
            ("weights/9.npy", _npy(np.array([1, "a"], dtype=object), allow_pickle=True))])),
        ("complex dtype", _rebuilt(valid, change={"weights/0.kernel": kernel.astype(complex)})),
        ("datetime dtype", _rebuilt(valid, change={
            "weights/0.bias": np.zeros(4, dtype="datetime64[s]")})),
        ("text weights", _rebuilt(valid, change={"weights/0.bias": np.array(["a"] * 4)})),
        ("kernel of the wrong shape", _rebuilt(valid, change={"weights/0.kernel": kernel.T})),
        ("header claims more data", _rebuilt(valid, extra=[
            ("weights/1.moving_mean.npy", _header_claiming((4, 4)))],
            drop=("weights/1.moving_mean",))),
        ("header claims less data", _rebuilt(valid, extra=[
            ("weights/1.moving_mean.npy", _header_claiming((2,)))],
            drop=("weights/1.moving_mean",))),
        ("extra weight", _rebuilt(valid, change={"weights/zzz": np.ones(2)})),
        ("missing weight", _rebuilt(valid, drop=("weights/0.kernel",))),
        ("non-array member", _rebuilt(valid, extra=[("readme.txt", b"hello")])),
        ("no metadata", _zip([m for m in zipfile_members(data)
                              if not m[0].startswith(archive.META_KEY)])),
        ("metadata not JSON", _rebuilt(valid, raw_meta="{not json")),
        ("metadata a list", _rebuilt(valid, raw_meta="[1, 2]")),
        ("foreign format tag", _rebuilt(valid, meta_change=_set("format", "keras"))),
        ("future version", _rebuilt(valid, meta_change=_set("version", 99))),
        ("unknown kind", _rebuilt(valid, meta_change=_set("kind", "tokenizer"))),
    ]


# Damage that load_weights ignores by design (it reads weights only): load_model must fail.
MODEL_ONLY = [
    ("unknown model class", _set("model_class", "os")),
    ("unknown optimizer", lambda m: m["optimizer"].__setitem__("class_name", "Optimizer")),
    ("architecture not a dict", _set("architecture", 7)),
    ("history of the wrong type", _set("history", {"epoch": 3})),
]


def zipfile_members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info.filename, z.read(info)) for info in z.infolist()]


def test_corpus_size(valid):
    assert len(corpus(valid)) + len(MODEL_ONLY) >= 25


def test_every_damaged_file_raises_checkpoint_error(valid, tmp_path):
    failures = []
    for label, data in corpus(valid):
        path = tmp_path / "damaged.npz"
        path.write_bytes(data)
        c = trained_context()
        before = snapshot(c)
        for loader in (nn.load_model, c.model.load_weights):
            try:
                loader(path)
                failures.append(f"{label}: {loader.__name__} loaded it")
            except nn.CheckpointError as err:
                if str(path) not in str(err):
                    failures.append(f"{label}: the message {err} does not name the file")
            except Exception as err:  # noqa: BLE001 - the point is to report any other type
                failures.append(f"{label}: {loader.__name__} raised {type(err).__name__}: {err}")
        changed = changed_entries(before, snapshot(c))
        if changed:
            failures.append(f"{label}: load_weights changed {changed}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("label, edit", MODEL_ONLY, ids=[m[0] for m in MODEL_ONLY])
def test_damaged_model_description(valid, tmp_path, label, edit):
    path = tmp_path / "damaged.npz"
    path.write_bytes(_rebuilt(valid, meta_change=edit))
    with pytest.raises(nn.CheckpointError, match="damaged.npz"):
        nn.load_model(path)


def _loaded_state(model) -> list:
    out = [(k, v.dtype.str, v.shape, v.numpy().tobytes()) for k, v in model.state_dict().items()]
    opt = model.optimizer.state_dict() if model.optimizer is not None else None
    history = model.history.history if model.history is not None else None
    return [out, repr(opt), repr(history)]


def test_random_byte_mutations_load_identically_or_raise(valid, tmp_path):
    data = valid[0]
    path = tmp_path / "fuzzed.npz"
    path.write_bytes(data)
    reference = _loaded_state(nn.load_model(path))
    rng = np.random.default_rng(2024)
    outcomes = {"identical": 0, "CheckpointError": 0}
    slowest = 0.0
    for trial in range(FUZZ_COUNT):
        mutated = bytearray(data)
        for position in rng.integers(0, len(data), size=rng.integers(1, 5)):
            mutated[position] = int(rng.integers(0, 256))
        path.write_bytes(bytes(mutated))
        start = time.perf_counter()
        try:
            state = _loaded_state(nn.load_model(path))
        except nn.CheckpointError:
            outcomes["CheckpointError"] += 1
        except Exception as err:  # noqa: BLE001
            pytest.fail(f"mutation {trial} raised {type(err).__name__}: {err}")
        else:
            assert state == reference, f"mutation {trial} loaded a different model"
            outcomes["identical"] += 1
        slowest = max(slowest, time.perf_counter() - start)
    assert slowest < 2.0, f"a mutated file took {slowest:.2f} s to load (a near-hang)"
    assert sum(outcomes.values()) == FUZZ_COUNT


class _Interrupted(BaseException):
    """Stands for a crash (KeyboardInterrupt, a killed process) in the middle of a write."""


def _interrupting_fdopen(real_fdopen, after_bytes):
    def fdopen(fd, mode="r", *args, **kwargs):
        file = real_fdopen(fd, mode, *args, **kwargs)
        real_write = file.write
        written = [0]

        def write(chunk):
            if written[0] + len(chunk) > after_bytes:
                real_write(bytes(chunk)[:max(0, after_bytes - written[0])])
                raise _Interrupted
            written[0] += len(chunk)
            return real_write(chunk)

        file.write = write
        return file
    return fdopen


def test_interrupted_write_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    c = trained_context()
    path = tmp_path / "ckpt.npz"
    c.model.save(path)
    previous = path.read_bytes()
    size = len(previous)
    c.model.fit(np.ones((8, 3)), np.ones((8, 2)), epochs=1, verbose=0)  # new weights to save
    points = [f"after {n} bytes" for n in (0, 1, 64, size // 4, size // 2, 3 * size // 4,
                                           size - 1)]
    points += ["at fsync", "at rename", "in the metadata encoding"]
    for point in points:
        with monkeypatch.context() as patch:
            if point.startswith("after"):
                count = int(point.split()[1])
                patch.setattr(archive.os, "fdopen", _interrupting_fdopen(os.fdopen, count))
            else:
                target = {"at fsync": (archive.os, "fsync"),
                          "at rename": (archive.os, "replace"),
                          "in the metadata encoding": (archive.np, "savez")}[point]

                def crash(*args, **kwargs):
                    raise _Interrupted
                patch.setattr(*target, crash)
            with pytest.raises(_Interrupted):
                c.model.save(path)
        assert path.read_bytes() == previous, f"a write interrupted {point} changed the file"
        leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "ckpt.npz")
        assert not leftovers, f"a write interrupted {point} left {leftovers}"
    nn.load_model(path)


FORBIDDEN = [
    (r"^\s*(import|from)\s+(c?pickle|dill|marshal|shelve)\b", "imports a pickle-like module"),
    (r"\bpickle\.(loads?|dumps?|Unpickler|Pickler)\b", "calls pickle"),
    (r"allow_pickle\s*=\s*True", "loads with allow_pickle=True"),
    (r"(?<![.\w`])(?<!def )eval\(", "calls eval"),
    (r"(?<![.\w`])(?<!def )exec\(", "calls exec"),
]


# The one exec: a captured step's program runs as Python source that it generates from its
# recording. The source holds slot numbers and identifiers only (every value, array and
# function reaches it through the namespace), which tests/test_capture.py checks on every
# kind of instruction; nothing a user saved or passed becomes code.
GENERATED_CODE = {("autograd/capture/replay.py", "calls exec")}


def test_the_package_never_unpickles_or_evaluates_code():
    problems = []
    for package in ("autograd", "nn", "optim"):
        for file in sorted((ROOT / package).rglob("*.py")):
            for number, line in enumerate(file.read_text().splitlines(), 1):
                for pattern, what in FORBIDDEN:
                    if (str(file.relative_to(ROOT)), what) in GENERATED_CODE:
                        continue
                    if re.search(pattern, line, re.MULTILINE):
                        problems.append(f"{file.relative_to(ROOT)}:{number} {what}: {line}")
    assert not problems, "\n".join(problems)
