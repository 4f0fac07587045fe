"""The documentation site builds with no warning, documents every public name, and has no
broken internal link (offline: the built HTML files are read, nothing is fetched)."""

from __future__ import annotations

import functools
import html.parser
import importlib.util
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("mkdocs", "mkdocstrings", "mkdocs_jupyter")),
    reason="the docs tools are not installed: pip install -e '.[docs]' (the test extra has them)")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site, built once into a temporary folder with ``mkdocs build --strict``."""
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                          str(out)], cwd=ROOT, capture_output=True, text=True,
                         env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-6000:]
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    return out


class _Anchors(html.parser.HTMLParser):
    """The ids and the links of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for key in ("href", "src"):
            if attributes.get(key) and tag in ("a", "img", "link", "script"):
                self.links.append(attributes[key])


@functools.cache
def _parse(page: Path) -> _Anchors:
    """The ids and links of a page, read once however many links point into it."""
    parser = _Anchors()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _reference_names() -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import docs_hooks
    finally:
        sys.path.pop(0)
    return [(module, name) for module in docs_hooks.reference_modules()
            for name in docs_hooks.public_names(module)]


def test_every_public_name_has_a_reference_entry(site):
    missing = []
    pages: dict[str, set[str]] = {}
    for module, name in _reference_names():
        if module not in pages:
            pages[module] = _parse(site / "reference" / module / "index.html").ids
        if f"{module}.{name}" not in pages[module]:
            missing.append(f"{module}.{name}")
    assert not missing, f"public names without a reference entry: {missing}"
    for package in ("autograd", "nn", "optim"):
        assert package in pages


def test_internal_links_resolve(site):
    broken = []
    for page in site.rglob("*.html"):
        for link in _parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
                continue
            if parts.path.startswith("/"):  # from the site's root (the 404 page's links)
                target = site / unquote(parts.path).lstrip("/")
            else:
                target = (page.parent / unquote(parts.path)) if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif parts.fragment and target.suffix == ".html" \
                    and unquote(parts.fragment) not in _parse(target).ids:
                broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert not broken, "\n".join(broken[:50])


def test_notebooks_and_guides_are_pages(site):
    for guide in ("compatibility", "drawing", "distributed"):
        assert (site / guide / "index.html").exists()
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    assert len(notebooks) == 6
    for name in notebooks:
        page = (site / "notebooks" / name / "index.html").read_text(encoding="utf-8")
        assert "<img" in page or "data:image" in page, f"{name}: no rendered output image"
