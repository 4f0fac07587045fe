"""MkDocs hooks: the pages the documentation site makes from the repository at build time.

- ``index.md``, the getting-started page, is the README with its links pointed into the site.
- ``notebooks/*.ipynb`` are the six executed notebooks, rendered with their outputs by
  mkdocs-jupyter.
- ``reference/<module>.md`` is one page per public namespace of ``autograd``, ``nn`` and
  ``optim`` (``REFERENCE``): one mkdocstrings entry per name in the module's ``__all__``, so a new
  public name is in the reference the day it is exported.

Nothing generated is written into the repository.
"""

from __future__ import annotations

import importlib
import inspect
import re
import types
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent

# The namespaces users import, in the order of the reference's navigation. Each is documented
# name by name from its ``__all__``.
REFERENCE = [
    "autograd",
    "autograd.compiler",
    "autograd.capture",
    "nn",
    "nn.layers",
    "nn.losses",
    "nn.metrics",
    "nn.optimizers",
    "nn.callbacks",
    "nn.regularizers",
    "nn.initializers",
    "nn.activations",
    "nn.utils",
    "nn.functional",
    "nn.init",
    "nn.datasets",
    "nn.scalar_nets",
    "nn.distribution",
    "optim",
    "optim.lr_scheduler",
    "optim.distributed",
]


def reference_modules() -> list[str]:
    """The namespaces of ``REFERENCE`` that exist in this version of the packages."""
    found = []
    for name in REFERENCE:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if getattr(module, "__file__", None):  # not a folder without an __init__.py
            found.append(name)
    return found


def public_names(module_name: str) -> list[str]:
    """The names a namespace exports: its ``__all__``, else its names without a leading _."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items() if not n.startswith("_")
                 and getattr(v, "__module__", None) == module_name]
    return sorted(set(names), key=lambda n: (n.lower(), n))


def reference_page(module_name: str, documented: set[str]) -> str:
    """The Markdown of one namespace's page: its docstring, then each public name."""
    module = importlib.import_module(module_name)
    lines = [f"# `{module_name}`", "", f"::: {module_name}",
             "    options:", "      members: false", "      show_root_heading: false", ""]
    for name in public_names(module_name):
        value = getattr(module, name)
        if isinstance(value, types.ModuleType):
            target = value.__name__
            if target in documented:
                lines += [f"## `{module_name}.{name}` {{ #{module_name}.{name} }}", "",
                          f"The module [`{target}`]({target}.md).", ""]
                continue
        if _has_home(value):
            lines += [f"::: {module_name}.{name}", "    options:", "      heading_level: 2",
                      "      show_root_full_path: true", ""]
        else:
            lines += _value_entry(module_name, name, value)
    return "\n".join(lines)


def _has_home(value: object) -> bool:
    """Whether mkdocstrings can find ``value`` where it was defined: a class or function whose
    ``__module__`` and ``__qualname__`` lead back to it."""
    if not (inspect.isclass(value) or inspect.isfunction(value)):
        return False
    try:
        home = importlib.import_module(value.__module__)
        for part in value.__qualname__.split("."):
            home = getattr(home, part)
    except (ImportError, AttributeError):
        return False
    return home is value


def _value_entry(module_name: str, name: str, value: object) -> list[str]:
    """A reference entry for a public value that is not a class or function of its own module
    (an operation object, a dtype, a constant, a function made at import time)."""
    doc = inspect.getdoc(value) or ""
    if inspect.getdoc(type(value)) == doc and not callable(value):
        doc = ""
    kind = type(value).__name__
    lines = [f"## `{module_name}.{name}` {{ #{module_name}.{name} }}", "",
             f"*{kind}*" + (f": `{value!r}`" if not callable(value) else ""), ""]
    if callable(value):
        try:
            lines += ["```python", f"{name}{inspect.signature(value)}", "```", ""]
        except (TypeError, ValueError):
            pass
    if doc:
        lines += [doc, ""]
    return lines


# README links that leave the site: shown as code, since the site has no page for them.
_README_LINK = re.compile(r"\[([^\]]+)\]\(((?:docs/)?[^)#\s]+)(#[^)]*)?\)")


def getting_started() -> str:
    """The README, its links rewritten for a page at the site's root."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")

    def relink(match: re.Match) -> str:
        label, target, anchor = match.group(1), match.group(2), match.group(3) or ""
        if target.startswith(("http://", "https://", "mailto:")):
            return match.group(0)
        if target.startswith("docs/"):
            return f"[{label}]({target[len('docs/'):]}{anchor})"
        if target.startswith("notebooks/") and target.endswith(".ipynb"):
            return f"[{label}]({target}{anchor})"
        return f"{label} (`{target}` in the repository)"

    return _README_LINK.sub(relink, text)


@event_priority(100)  # before mkdocs-jupyter's on_files, which makes notebooks pages
def on_files(files: Files, config) -> Files:
    """Add the README page, the notebooks and the reference pages to the site's files."""
    files.append(File.generated(config, "index.md", content=getting_started()))
    for notebook in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        # a File read from the repository's root, so its URI is notebooks/NAME.ipynb
        files.append(File(f"notebooks/{notebook.name}", src_dir=str(ROOT),
                          dest_dir=config["site_dir"],
                          use_directory_urls=config["use_directory_urls"]))
    modules = reference_modules()
    documented = set(modules)
    for name in modules:
        files.append(File.generated(config, f"reference/{name}.md",
                                    content=reference_page(name, documented)))
    return files


def on_config(config):
    """The navigation, with the notebooks and reference pages found at build time."""
    notebooks = [{path.stem.replace("_", " ").lstrip("0123456789 ").capitalize():
                  f"notebooks/{path.name}"}
                 for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))]
    reference = [{name: f"reference/{name}.md"} for name in reference_modules()]
    config["nav"] = [
        {"Getting started": "index.md"},
        {"Guides": [{"Keras and PyTorch names": "compatibility.md"},
                    {"Drawing graphs": "drawing.md"},
                    {"Captured training steps": "captured_steps.md"},
                    {"Distributed training": "distributed.md"}]},
        {"Notebooks": notebooks},
        {"API reference": reference},
    ]
    return config
