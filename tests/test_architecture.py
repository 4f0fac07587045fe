"""The import contract of docs' layer diagram, read from the source with ``ast``.

- ``autograd`` imports neither ``nn`` nor ``optim``; ``optim`` does not import ``nn``.
- The core of ``autograd`` never imports its drawing modules (``autograd/viz/``, and any
  ``autograd/draw*.py`` or ``autograd/steps*.py``); only ``autograd/__init__.py`` re-exports them.
- Across packages only public faces are used: an import names the package, or a subpackage
  that the package exports in its ``__all__`` (``optim.distributed``), never a module inside it
  (``autograd.ops``, ``autograd.convolution``); names taken from the package must be in its
  ``__all__``, and no imported name or module starts with an underscore.
- ``nn`` and ``optim`` touch no private attribute of another package's objects: ``x._name`` on
  anything but ``self``/``cls`` is allowed only when the package itself defines ``_name`` (a
  method, a class attribute, ``self._name = ...``, a slot, a module or a module-level name) and
  autograd's classes do not (their insides, such as ``_data``, stay theirs even where a name
  collides). Nothing needs an allowlist.
- A package's ``__init__.py`` defines nothing: a docstring, imports and ``__all__`` only, and
  for names it re-exports on first use, their list ``_LAZY`` with ``__getattr__`` and ``__dir__``.

Imports inside functions count as much as those at the top of a file.
"""

from __future__ import annotations

import ast
import importlib
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("autograd", "nn", "optim")
MAY_IMPORT = {"autograd": set(), "optim": {"autograd"}, "nn": {"autograd", "optim"}}


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """``(line, module, names)`` for every import of the file; relative ones made absolute."""
    found = []
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([module] if module else []))
            found.append((node.lineno, module, [alias.name for alias in node.names]))
    return found


def _is_drawing(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "autograd" and len(parts) > 1 and (
        parts[1] == "viz" or parts[1].startswith(("draw", "steps")))


def _is_package(module: str) -> bool:
    return (ROOT / Path(*module.split(".")) / "__init__.py").is_file()


def _exported(package: str) -> list[str]:
    return importlib.import_module(package).__all__


def _is_public_face(module: str) -> bool:
    """The package itself, or a subpackage that it exports (``optim.distributed``)."""
    top, *rest = module.split(".")
    return not rest or (len(rest) == 1 and rest[0] in _exported(top) and _is_package(module))


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_layers_import_only_downwards():
    problems = []
    for package in PACKAGES:
        for path in _files(package):
            for line, module, _ in _imports(path):
                top = module.split(".")[0]
                if top in PACKAGES and top != package and top not in MAY_IMPORT[package]:
                    problems.append(f"{_where(path, line)}: {package} imports {module}")
    assert not problems, "\n".join(problems)


def test_the_core_of_autograd_never_imports_its_drawings():
    problems = []
    for path in _files("autograd"):
        name = _module_name(path)
        if name == "autograd" or _is_drawing(name):
            continue
        for line, module, names in _imports(path):
            drawn = [module] if _is_drawing(module) else [
                f"{module}.{n}" for n in names if _is_drawing(f"{module}.{n}")]
            problems += [f"{_where(path, line)}: imports the drawing module {d}" for d in drawn]
    assert not problems, "\n".join(problems)


def test_packages_use_each_others_public_faces_only():
    problems = []
    for package in PACKAGES:
        for path in _files(package):
            for line, module, names in _imports(path):
                top = module.split(".")[0]
                if top not in PACKAGES or top == package:
                    continue
                where = _where(path, line)
                if any(part.startswith("_") for part in module.split(".")):
                    problems.append(f"{where}: imports the private module {module}")
                elif not _is_public_face(module):
                    problems.append(f"{where}: imports {module}, which {top} does not export; "
                                    f"import from the package {top} instead")
                for name in names:
                    public = not name.startswith("_") and (
                        module != top or name in _exported(top)
                        or _is_public_face(f"{module}.{name}"))
                    if not public:
                        problems.append(f"{where}: imports {name!r}, not public in {module}")
    assert not problems, "\n".join(problems)


def _private_names_defined(package: str, attributes_only: bool = False) -> set[str]:
    """Underscored names a package defines: attributes of its objects (methods, class
    attributes, ``self._x = ...``, ``__slots__`` entries) and, unless ``attributes_only``, its
    modules and module-level names too."""
    names = set()
    for path in _files(package):
        tree = _tree(path)
        if not attributes_only:
            names.add(path.stem)
            names |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            names |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
                      if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        names.add(item.name)
                    elif isinstance(item, ast.Assign):
                        names |= {t.id for t in item.targets if isinstance(t, ast.Name)}
                        if any(isinstance(t, ast.Name) and t.id == "__slots__"
                               for t in item.targets):
                            names |= {c.value for c in ast.walk(item.value)
                                      if isinstance(c, ast.Constant)
                                      and isinstance(c.value, str)}
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        names.add(item.target.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif (isinstance(node, ast.Call) and len(node.args) >= 2
                  and isinstance(node.func, (ast.Name, ast.Attribute))
                  and (getattr(node.func, "id", None) == "setattr"
                       or getattr(node.func, "attr", None) == "__setattr__")
                  and isinstance(node.args[1], ast.Constant)):
                names.add(node.args[1].value)  # object.__setattr__(self, "_modules", {})
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


# the standard library's documented names that start with an underscore
_STDLIB_PUBLIC = {("os", "_exit")}


@pytest.mark.parametrize("package", ["nn", "optim"])
def test_no_private_attribute_of_another_package_is_touched(package):
    own = _private_names_defined(package)
    theirs = _private_names_defined("autograd", attributes_only=True)  # the engine's insides
    problems = []
    for path in _files(package):
        for node in ast.walk(_tree(path)):
            if not (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                continue
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            if isinstance(node.value, ast.Name) and (node.value.id, node.attr) in _STDLIB_PUBLIC:
                continue
            if node.attr in own and node.attr not in theirs:
                continue
            owner = "another package's" if node.attr in theirs else "an unknown"
            problems.append(f"{_where(path, node.lineno)}: {ast.unparse(node)} reaches into "
                            f"{owner} private attribute")
    assert not problems, "\n".join(problems)


def _defines_nothing(statement: ast.stmt) -> bool:
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return isinstance(statement.value.value, str)  # the docstring
    if isinstance(statement, (ast.Assign, ast.AnnAssign)):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        return all(isinstance(t, ast.Name) and t.id in ("__all__", "_LAZY") for t in targets)
    # the lazy re-exports' imports for type checkers only (``if TYPE_CHECKING:``, imports only)
    if isinstance(statement, ast.If) and isinstance(statement.test, ast.Name):
        return (statement.test.id == "TYPE_CHECKING" and not statement.orelse
                and all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in statement.body))
    # lazy re-exports (PEP 562): imported on first use, for the memory of programs that never
    # use them
    return isinstance(statement, ast.FunctionDef) and statement.name in ("__getattr__", "__dir__")


def test_package_init_files_define_nothing():
    problems = []
    for package in PACKAGES:
        for path in _files(package):
            if path.name == "__init__.py":
                problems += [f"{_where(path, s.lineno)}: {type(s).__name__} defines something"
                             for s in _tree(path).body if not _defines_nothing(s)]
    assert not problems, "\n".join(problems)


def test_the_contract_sees_the_imports_it_checks():
    # a guard against a checker that passes because it reads nothing
    found = {module for path in _files("nn") for _, module, _ in _imports(path)}
    assert {"autograd", "nn.layers.layer", "optim"} <= found
    assert _is_drawing("autograd.viz") and _is_drawing("autograd.draw_frames")
    assert _is_drawing("autograd.steps_forward") and not _is_drawing("autograd.graph")


def test_drawing_and_mpi_code_load_on_first_use():
    import subprocess
    import sys

    script = (
        "import sys, autograd as ag, nn, optim\n"
        "x = nn.Sequential([nn.Dense(1, input_shape=[1])])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('autograd.viz', "
        "'optim.distributed')))\n"
        "assert not loaded, loaded\n"
        "assert ag.draw_graph.__module__ == 'autograd.viz.graph_drawing'\n"
        "assert optim.distributed.DistributedSampler and 'draw_graph' in dir(ag)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
