"""The public API's annotations hold: mypy, configured in pyproject.toml (strict), reports no
error in ``autograd``, ``nn`` and ``optim``, nor in a short program that uses them as a user
would, whose expressions must have the types an editor shows (a Tensor from tensor arithmetic,
a Scalar from Scalars); and the functions ``autograd.functions`` makes from methods at import,
which mypy cannot see being made, are declared for it one by one.

The check runs in a subprocess, ``python -m mypy`` from the repository's root, with its cache in
the temporary directory (kept between runs: a second run takes seconds).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import inspect
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed: pip install -e '.[test]' (the test extra has it)")

# What a user writes. assert_type fails the check unless the type is exactly the one named.
USER_PROGRAM = '''
from __future__ import annotations

import numpy as np
from typing_extensions import assert_type

import autograd as ag
import nn
import optim
from autograd.tensor_torch import ValuesIndices

x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
loss = (x * x).sum()
assert_type(loss, ag.Tensor)
loss.backward()
assert_type(x.grad, ag.Tensor | None)
if x.grad is not None:
    assert_type(x.grad.numpy(), np.ndarray)
assert_type(ag.exp(x).mean() + ag.maximum(x, 0.0).sum(), ag.Tensor)
assert_type(ag.relu(x) @ x, ag.Tensor)
assert_type(2.0 * x - x / 3, ag.Tensor)
assert_type(ag.zeros(2, 3).reshape(3, 2).T, ag.Tensor)
assert_type(ag.sum(x, dim=0), ag.Tensor)
assert_type(x.sort(), ValuesIndices)
assert_type(x.detach().numpy(), np.ndarray)
assert_type(nn.Parameter([1.0]) * 2, ag.Tensor)

a, b = ag.Scalar(2.0, label="a"), ag.Scalar(-3.0)
c = a * b + a
assert_type(c, ag.Scalar)
assert_type(ag.tanh(c), ag.Scalar)
c.backward()

model = nn.Sequential([nn.Dense(4, activation="relu", input_shape=[3]), nn.Dense(1)])
model.compile(optimizer="adam", loss="mse")
assert_type(model.fit(np.zeros((8, 3)), np.zeros((8, 1)), epochs=1, verbose=0),
            nn.callbacks.History)
optimizer = optim.SGD(model.parameters(), lr=0.1)
schedule = optim.lr_scheduler.StepLR(optimizer, step_size=1)
optimizer.zero_grad()
schedule.step()
sampler = optim.distributed.DistributedSampler(8, num_replicas=1, rank=0)
picture = ag.draw_graph(loss)
'''


def _mypy(*targets: str) -> subprocess.CompletedProcess[str]:
    """``python -m mypy`` from the repository's root (its config is pyproject.toml's)."""
    checkout = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"autograd-numpy-engine-mypy-{checkout}"
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-color-output",
         "--no-error-summary", *targets],
        cwd=ROOT, capture_output=True, text=True, timeout=900)


def test_the_packages_and_a_user_program_pass_mypy_strict(tmp_path):
    program = tmp_path / "user_program.py"
    program.write_text(USER_PROGRAM, encoding="utf-8")
    # the packages as pyproject.toml's [tool.mypy] names them, and the program beside them
    run = _mypy("autograd", "nn", "optim", str(program))
    report = (run.stdout + run.stderr).strip()
    assert run.returncode == 0 and not report, report[-8000:]


def _declared_functions() -> tuple[dict[str, list[str]], list[str]]:
    """``autograd/functions.py``'s ``if TYPE_CHECKING:`` block: each declared function's
    parameter names (the overloads' implementation for an overloaded one), and the names it
    adds to ``__all__``."""
    tree = ast.parse((ROOT / "autograd" / "functions.py").read_text(encoding="utf-8"))
    declared: dict[str, list[str]] = {}
    exported: list[str] = []
    for node in tree.body:
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
                and node.test.id == "TYPE_CHECKING" and any(
                    isinstance(s, ast.FunctionDef) for s in node.body)):
            continue
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef):
                arguments = statement.args
                declared[statement.name] = [a.arg for a in (
                    *arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)] + (
                    [arguments.vararg.arg] if arguments.vararg else [])
            elif isinstance(statement, ast.AugAssign):
                exported += [ast.literal_eval(e) for e in statement.value.elts]
    return declared, exported


def test_functions_made_from_methods_are_declared_for_type_checkers():
    from autograd import functions

    tree = ast.parse((ROOT / "autograd" / "functions.py").read_text(encoding="utf-8"))
    written = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                   and any(getattr(t, "id", None) == "__all__" for t in n.targets))
    made = [name for name in functions.__all__ if name not in written]
    declared, exported = _declared_functions()
    assert made and exported == made, "the TYPE_CHECKING block's __all__ += [...] is stale"
    assert sorted(declared) == sorted(made), "declare each made function for type checkers"
    for name in made:
        parameters = inspect.signature(getattr(functions, name)).parameters.values()
        expected = [p.name for p in parameters if p.kind is not p.VAR_POSITIONAL] + [
            p.name for p in parameters if p.kind is p.VAR_POSITIONAL]
        assert declared[name] == expected, f"{name}: declared {declared[name]}, made {expected}"
