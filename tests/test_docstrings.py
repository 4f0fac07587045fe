"""Every ``>>>`` example in the docstrings of autograd, nn and optim runs and prints what it shows.

doctest's finder collects the examples of every module of the three packages; each docstring
with examples is one test case, run as a reader would paste it: with no names given in advance,
in a temporary folder, with the suite's warnings-as-errors. Runs of spaces and line breaks
compare equal and ``...`` matches anything, so numpy's reprs may differ in spacing between
versions. An example that renders a drawing needs graphviz's ``dot`` program and is skipped
where it is missing.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import shutil

import pytest

import autograd as ag
import nn
import optim

PACKAGES = (ag, nn, optim)
OURS = {package.__name__ for package in PACKAGES}
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _modules() -> list:
    """Every module of the packages, or ``(name, reason)`` for one an optional dependency stops."""
    modules = []
    for package in PACKAGES:
        modules.append(package)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            try:
                modules.append(importlib.import_module(info.name))
            except ModuleNotFoundError as error:
                if (error.name or "").split(".")[0] in OURS:
                    raise
                modules.append((info.name, f"{info.name} needs {error.name}, not installed"))
    return modules


def _cases() -> list:
    """One pytest case per docstring with examples, named like the object it documents."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    cases = []
    for module in _modules():
        if isinstance(module, tuple):
            name, reason = module
            cases.append(pytest.param(None, id=name, marks=pytest.mark.skip(reason=reason)))
            continue
        for test in finder.find(module, globs={}):  # no names but those the example imports
            if not test.examples:
                continue
            cases.append(pytest.param(test, id=test.name))
    return sorted(cases, key=lambda case: case.id)


CASES = _cases()


class _Runner(doctest.DocTestRunner):
    """A runner that notes when an example failed for want of an optional program or package."""

    missing: str | None = None

    def report_unexpected_exception(self, out, test, example, exc_info) -> None:
        error = exc_info[1]
        if type(error).__name__ == "DotNotFoundError" and shutil.which("dot") is None:
            self.missing = "renders a drawing, which needs graphviz's dot program"
        while error is not None:  # the library re-raises a missing import with a remedy
            if isinstance(error, ModuleNotFoundError) and error.name.split(".")[0] not in OURS:
                self.missing = f"needs {error.name}, not installed"
            error = error.__cause__ or error.__context__
        super().report_unexpected_exception(out, test, example, exc_info)


@pytest.fixture
def untouched_globals(tmp_path, monkeypatch):
    """Run in an empty folder and put back what an example may change: seed, dtype, grad mode."""
    monkeypatch.chdir(tmp_path)
    # manual_seed replaces the root sequence; restoring the object restores the seeding as it was
    monkeypatch.setattr(ag.random, "_root", ag.random._root)
    dtype, grad_enabled = ag.get_default_dtype(), ag.is_grad_enabled()
    yield
    ag.set_default_dtype(dtype)
    ag.set_grad_enabled(grad_enabled)


def test_examples_are_found():
    examples = sum(len(case.values[0].examples) for case in CASES if case.values[0] is not None)
    assert examples >= 400, examples  # a broken finder would pass every case below


@pytest.mark.parametrize("test", CASES)
def test_docstring_examples(test, untouched_globals):
    runner = _Runner(optionflags=FLAGS)
    report: list[str] = []
    result = runner.run(test, out=report.append)
    if runner.missing:
        pytest.skip(runner.missing)
    if result.failed:
        pytest.fail(f"{result.failed} of {result.attempted} examples of {test.name} failed:\n"
                    + "".join(report), pytrace=False)
