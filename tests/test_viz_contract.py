"""autograd.viz works on the core's public API (that the core never imports it:
test_architecture.py)."""

import ast
from pathlib import Path

import autograd as ag

VIZ = Path(ag.__file__).parent / "viz"


def test_the_drawing_package_uses_only_public_names_of_the_core():
    for path in VIZ.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module.startswith("autograd"):
                if not node.module.startswith("autograd.viz"):
                    assert not node.module.split(".")[-1].startswith("_"), (path, node.module)
                    assert not [a.name for a in node.names if a.name.startswith("_")], path
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                    and not node.attr.startswith("__"):
                owner = node.value
                assert isinstance(owner, ast.Name) and owner.id == "self", (
                    f"{path.name}:{node.lineno} reads .{node.attr} of another object")


def test_the_public_drawing_names_are_reexported_by_autograd():
    import autograd.viz as viz

    for name in ("draw_graph", "draw_step", "backward_steps", "forward_steps", "BackwardStep",
                 "ForwardStep", "render_frames", "steps_to_gif", "steps_to_html"):
        assert getattr(ag, name) is getattr(viz, name)
