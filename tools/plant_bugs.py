"""Plant classic bugs one at a time and check that the test suite fails for every one.

Each bug is a text substitution in one source file. For each, the repository is copied to a
temporary folder (this checkout is never touched), the substitution is applied there, and
pytest runs in the copy: the relevant tests in ``--quick`` mode (bugs in parallel, what CI
runs), the whole suite otherwise. A bug is caught when pytest fails. The unpatched copy must
pass first, or the result would mean nothing.

Usage:
    python tools/plant_bugs.py [--quick] [--only NAME ...] [--jobs N]

Exit status 0 when every planted bug was caught, 1 otherwise (or when an anchor text is no
longer in its file: update the table).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".pytest_cache",
                                ".hypothesis", ".ruff_cache")
R = "tests/reliability/"


@dataclass(frozen=True)
class Bug:
    """One planted bug: replace ``old`` (which must occur once) by ``new`` in ``file``."""

    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]  # the relevant tests, run in --quick mode


BUGS = [
    Bug("drop the broadcast reduction", "autograd/tensor.py",
        "        if g.shape != data.shape:\n",
        "        if False:\n",
        (R + "test_random_graphs.py", R + "test_backward_invariants.py")),
    Bug("overwrite instead of accumulate", "autograd/engine.py",
        "grads[x] = grad_x if previous is None else previous + grad_x",
        "grads[x] = grad_x",
        (R + "test_random_graphs.py",)),
    Bug("relu writes into a gradient another input holds", "autograd/engine.py",
        "if not op.raw_rules or grad is g or grad is node._data:",
        "if not op.raw_rules or grad is node._data:",
        ("tests/test_engine.py",)),
    Bug("recursive topological sort", "autograd/engine.py",
        "def topological_order(roots: Sequence[Value]) -> list[Value]:\n",
        "def topological_order(roots):\n"
        "    post_order, seen = [], set()\n\n"
        "    def visit(node):\n"
        "        if id(node) in seen:\n"
        "            return\n"
        "        seen.add(id(node))\n"
        "        if node._ctx is not None:\n"
        "            for x in node._ctx.inputs:\n"
        "                if x.requires_grad:\n"
        "                    visit(x)\n"
        "        post_order.append(node)\n"
        "    for root in roots:\n"
        "        visit(root)\n"
        "    return post_order[::-1]\n\n\n"
        "def _iterative_order(roots: Sequence[Value]) -> list[Value]:\n",
        ("tests/test_engine.py",)),
    Bug("naive sigmoid", "autograd/ops/elementwise.py",
        "    e = np.exp(-np.abs(x))\n    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))",
        "    return 1 / (1 + np.exp(-x))",
        (R + "test_special_values.py",)),
    Bug("log of softmax", "autograd/ops/reduce.py",
        'log_softmax = Op("log_softmax", _log_softmax,',
        'log_softmax = Op("log_softmax", lambda x, axis: np.log(_softmax(x, axis)),',
        (R + "test_special_values.py",)),
    Bug("logsumexp without the max shift", "autograd/ops/reduce.py",
        "    shifted, top = _shifted(x, axis)\n    with",
        "    shifted, top = x, 0\n    with",
        (R + "test_special_values.py",)),
    Bug("relu'(0) = 1", "autograd/ops/elementwise.py",
        "_mask(g, raw_data(x) > 0, into)", "_mask(g, raw_data(x) >= 0, into)",
        (R + "test_special_values.py",)),
    Bug("max ties all take the whole gradient", "autograd/ops/reduce.py",
        "share = winners / np.sum(winners, axis=axis, keepdims=True)",
        "share = winners * 1.0",
        (R + "test_special_values.py",)),
    Bug("cross-entropy counts 0 * log 0 as NaN", "autograd/ops/loss.py",
        "    return np.where(t == 0, product.dtype.type(0), product)",
        "    return product",
        (R + "test_special_values.py",)),
    Bug("numpy may write into data a graph saved", "autograd/node.py",
        "return self._read_only() if self._is_held() else self._data",
        "return self._data",
        (R + "test_mutation_safety.py",)),
    Bug(".data assignment does not bump the version", "autograd/tensor.py",
        "isinstance(value, Node) else value)\n        self._mark_changed()\n",
        "isinstance(value, Node) else value)\n",
        (R + "test_mutation_safety.py",)),
    Bug("Adam without bias correction", "optim/adam.py",
        "        denom = np.sqrt(v / (1 - beta2**t))\n",
        "        denom = np.sqrt(v)\n",
        ("tests/test_optim.py",)),
    Bug("dropout without rescaling", "nn/_random_draws.py",
        "    return Tensor(keep / (1.0 - rate), dtype=dtype)",
        "    return Tensor(keep * 1.0, dtype=dtype)",
        ("tests/test_nn_dropout_batchnorm.py",)),
    Bug("a replay adds to the gradient its step cleared", "autograd/capture/replay.py",
        "            if program.assign[slot]:",
        "            if False:",
        ("tests/test_capture.py",)),
    Bug("dropout masks drawn once, at capture", "nn/_random_draws.py",
        "@ag.compiler.disable\ndef dropout_scale(",
        "def dropout_scale(",
        ("tests/test_capture.py",)),
    Bug("BatchNormalization uses batch statistics in eval", "nn/layers/normalization.py",
        "        if training and self.trainable:\n",
        "        if True:\n",
        ("tests/test_nn_dropout_batchnorm.py",)),
    Bug("checkpoint written in place, not atomically", "nn/saving/archive.py",
        "    atomic_write(path, lambda file: np.savez(file, **members))",
        "    np.savez(path, **members)",
        (R + "test_checkpoints.py",)),
    Bug("duplicate archive members accepted", "nn/saving/archive.py",
        "duplicated = sorted({n for n in names if names.count(n) > 1})",
        "duplicated = []",
        (R + "test_checkpoints.py",)),
    Bug("a failed training step keeps its moving statistics", "nn/training/model.py",
        "            for buffer, value in saved:\n                buffer.data = value\n",
        "            pass\n",
        (R + "test_error_contract.py",)),
    # The two faces: each mistake here once computed another framework's numbers silently.
    Bug("F.linear without the transpose (Keras' layout under PyTorch's name)",
        "nn/functional/core.py",
        "    out = x @ (w.T if w.ndim == 2 else w)",
        "    out = x @ w",
        ("tests/conformance/test_torch_functional.py",)),
    Bug("var divides by n (numpy's meaning under torch's name)", "autograd/tensor_torch.py",
        "            correction = 0 if unbiased is False else 1",
        "            correction = 0",
        ("tests/conformance/test_torch_tensor.py",)),
    Bug("a leaf that requires grad is changed in place while recording",
        "autograd/tensor_inplace.py",
        "        if self._op is None and self.requires_grad:\n            raise RuntimeError(",
        "        if False:\n            raise RuntimeError(",
        ("tests/test_engine.py",)),
    Bug("a Keras loss given to compile receives (y_pred, y_true)",
        "nn/losses/keras_loss_base.py",
        "        value: Tensor = self.fn(y_true, y_pred, **self._fn_kwargs)",
        "        value: Tensor = self.fn(y_pred, y_true, **self._fn_kwargs)",
        ("tests/test_metrics.py", "tests/test_training.py", "tests/test_losses.py")),
]


def _copy(destination: Path) -> Path:
    target = destination / "repo"
    shutil.copytree(ROOT, target, ignore=IGNORE)
    return target


def _pytest(repo: Path, tests: tuple[str, ...], timeout: float) -> tuple[int, str, float]:
    env = {**os.environ, "PYTHONPATH": str(repo), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, "timed out", time.perf_counter() - start
    lines = (done.stdout + done.stderr).strip().splitlines()
    return done.returncode, lines[-1] if lines else "", time.perf_counter() - start


def _check_imports_from_copy(repo: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    out = subprocess.run([sys.executable, "-c", "import autograd, nn; print(autograd.__file__)"],
                         cwd=repo, env=env, capture_output=True, text=True, check=True).stdout
    if not out.strip().startswith(str(repo)):
        raise SystemExit(f"the copy imports autograd from {out.strip()}, not from {repo}")


def plant(bug: Bug, quick: bool, timeout: float) -> tuple[Bug, str, str, float]:
    """``(bug, outcome, detail, seconds)``; outcome is 'caught', 'MISSED' or 'ANCHOR MISSING'."""
    with tempfile.TemporaryDirectory(prefix="plant-") as folder:
        repo = _copy(Path(folder))
        source = repo / bug.file
        text = source.read_text()
        if text.count(bug.old) != 1:
            return bug, "ANCHOR MISSING", f"{bug.file} holds the anchor {text.count(bug.old)}x", 0
        source.write_text(text.replace(bug.old, bug.new))
        code, last, seconds = _pytest(repo, bug.tests if quick else ("tests",), timeout)
    if code == 0:
        return bug, "MISSED", last, seconds
    return bug, "caught", "timed out" if code == -1 else last, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="run only each bug's tests")
    parser.add_argument("--only", nargs="*", help="plant only the bugs with these names")
    parser.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1))
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    bugs = [b for b in BUGS if not args.only or b.name in args.only]

    with tempfile.TemporaryDirectory(prefix="plant-baseline-") as folder:
        repo = _copy(Path(folder))
        _check_imports_from_copy(repo)
        tests = tuple(sorted({t for b in bugs for t in b.tests})) if args.quick else ("tests",)
        code, last, seconds = _pytest(repo, tests, args.timeout)
    print(f"baseline (no bug planted): {'passes' if code == 0 else 'FAILS'} in {seconds:.1f} s"
          f" ({last})")
    if code != 0:
        return 1

    jobs = args.jobs if args.quick else 1
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda b: plant(b, args.quick, args.timeout), bugs))
    for bug, outcome, detail, seconds in results:
        print(f"{outcome:>14}  {bug.name:<52} {seconds:5.1f} s  {detail}")
    caught = sum(outcome == "caught" for _, outcome, _, _ in results)
    print(f"planted bugs caught: {caught} of {len(results)}")
    return 0 if caught == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
