"""Steps as pictures: one drawing per step, gathered in an HTML page with a slider, or a GIF.

The HTML page needs only graphviz's ``dot`` (the frames are SVG, written into the page, so the
file opens anywhere without a server); the GIF also needs matplotlib. Every frame draws the whole
graph, so a viewer sees the highlight move from node to node.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from autograd.viz.graph_drawing import draw_step
from autograd.viz.steps_backward import BackwardStep
from autograd.viz.steps_forward import ForwardStep

Step = BackwardStep | ForwardStep

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  body {{ font-family: sans-serif; margin: 1em; }}
  .frame {{ display: none; overflow-x: auto; }}
  .frame.shown {{ display: block; }}
  .controls {{ display: flex; gap: 0.5em; align-items: center; margin-bottom: 0.5em; }}
  input[type=range] {{ flex: 1; max-width: 40em; }}
</style>
</head>
<body>
<h2>{title}</h2>
<div class="controls">
  <button id="back" title="left arrow">&#9664;</button>
  <input id="slider" type="range" min="0" max="{last}" value="0">
  <button id="next" title="right arrow">&#9654;</button>
  <span id="where"></span>
</div>
{frames}
<script>
  const frames = document.querySelectorAll(".frame");
  const slider = document.getElementById("slider");
  function show(i) {{
    i = Math.max(0, Math.min(frames.length - 1, i));
    frames.forEach((f, j) => f.classList.toggle("shown", j === i));
    slider.value = i;
    document.getElementById("where").textContent = `step ${{i + 1}} of ${{frames.length}}`;
  }}
  slider.addEventListener("input", () => show(Number(slider.value)));
  document.getElementById("back").onclick = () => show(Number(slider.value) - 1);
  document.getElementById("next").onclick = () => show(Number(slider.value) + 1);
  document.addEventListener("keydown", (e) => {{
    if (e.target === slider) return;  // a focused slider moves itself, then fires "input"
    if (e.key === "ArrowLeft") show(Number(slider.value) - 1);
    if (e.key === "ArrowRight") show(Number(slider.value) + 1);
  }});
  show(0);
</script>
</body>
</html>
"""


def render_frames(steps: Iterable[Step], format: str = "svg", **options: Any) -> list[bytes]:
    """Render each step with ``draw_step`` and return the images, in order.

    Args:
        steps: Records from ``backward_steps`` or ``forward_steps``.
        format: Any output format of ``dot`` (``"svg"``, ``"png"``, ``"pdf"``).
        **options: Keywords for ``draw_graph`` (``rankdir``, ``show_rule``, ...).

    Returns:
        One image per step, as bytes.
    """
    return [draw_step(step, **options).pipe(format=format) for step in steps]


def steps_to_html(steps: Iterable[Step], path: str | Path | None = None, *,
                  title: str | None = None, **options: Any) -> str:
    """A self-contained HTML page that shows the steps one at a time, with a slider.

    Args:
        steps: Records from ``backward_steps`` or ``forward_steps``.
        path: Where to write the page; None to only return it.
        title: The page's heading; by default it names the pass the steps come from.
        **options: Keywords for ``draw_graph``.

    Returns:
        The page's HTML text. In Jupyter, ``IPython.display.HTML(text)`` shows it in place.

    Examples:
        >>> import autograd as ag
        >>> a = ag.Scalar(3.0, name="a")
        >>> b = a + a
        >>> page = ag.steps_to_html(ag.backward_steps(b * b))  # runs graphviz's dot
        >>> page.count("<svg")
        2
    """
    steps = list(steps)
    if title is None:
        kind = "Forward pass" if steps and isinstance(steps[0], ForwardStep) else "Backpropagation"
        title = f"{kind}, step by step"
    frames = []
    for svg in render_frames(steps, "svg", **options):
        text = svg.decode("utf-8")
        # The XML prolog and doctype are for standalone files; inline SVG starts at <svg.
        frames.append(f'<div class="frame">{text[text.index("<svg"):]}</div>')
    if not frames:
        raise ValueError("steps_to_html: there are no steps to show (the root is a leaf)")
    import html  # here, not at the top: html.entities is large, and plain training never needs it

    page = _PAGE.format(title=html.escape(title), last=len(frames) - 1, frames="\n".join(frames))
    if path is not None:
        Path(path).write_text(page, encoding="utf-8")
    return page


def steps_to_gif(steps: Iterable[Step], path: str | Path, *, seconds_per_frame: float = 1.5,
                 **options: Any) -> Path:
    """Write the steps as an animated GIF, one frame per step, with matplotlib.

    Args:
        steps: Records from ``backward_steps`` or ``forward_steps``.
        path: The GIF file to write.
        seconds_per_frame: How long each step stays on screen.
        **options: Keywords for ``draw_graph``.

    Returns:
        The path written.
    """
    try:
        from matplotlib import animation, image
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as err:
        raise ImportError("steps_to_gif needs matplotlib: pip install matplotlib; "
                          "steps_to_html needs only graphviz") from err
    pictures = [image.imread(io.BytesIO(png), format="png")
                for png in render_frames(steps, "png", **options)]
    if not pictures:
        raise ValueError("steps_to_gif: there are no steps to show (the root is a leaf)")
    height = max(p.shape[0] for p in pictures)
    width = max(p.shape[1] for p in pictures)
    frames = [_on_white(p, height, width) for p in pictures]
    dpi = 100
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    shown = axes.imshow(frames[0], interpolation="nearest")

    def show(i: int) -> tuple[Any, ...]:
        shown.set_data(frames[i])
        return (shown,)

    movie = animation.FuncAnimation(figure, show, frames=len(frames),
                                    interval=1000 * seconds_per_frame)
    # (matplotlib's stub says an int; the writer takes any rate: 1000 / fps ms per frame)
    writer = animation.PillowWriter(fps=1 / seconds_per_frame)  # type: ignore[arg-type]
    movie.save(str(path), writer=writer, dpi=dpi)
    return Path(path)


def _on_white(picture: np.ndarray, height: int, width: int) -> np.ndarray:
    """An RGB frame of the common size: frames differ a little, and a GIF needs one size."""
    rgb = picture[..., :3]
    if picture.shape[-1] == 4:  # blend transparent pixels onto white
        alpha = picture[..., 3:]
        rgb = rgb * alpha + (1 - alpha)
    out = np.ones((height, width, 3), dtype=np.float32)
    out[: rgb.shape[0], : rgb.shape[1]] = rgb
    return out
