"""draw_graph: DOT text checked without the dot program, and real renderings where dot exists."""

import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd as ag
from autograd import Scalar

graphviz = pytest.importorskip("graphviz", reason="the graphviz Python package is not installed")

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="graphviz's dot program is not installed (apt-get install graphviz); "
    "the DOT text tests still run",
)

VALUE = re.compile(r"^\tv\d+ \[", re.M)
OPERATION = re.compile(r"^\to\d+ \[", re.M)
BOX = re.compile(r"^\tg\d+ \[", re.M)
EDGE = re.compile(r"^\t\w+ -> \w+", re.M)


def counts(source):
    return (len(VALUE.findall(source)), len(OPERATION.findall(source)),
            len(EDGE.findall(source)))


def line_of(source, node_id):
    return re.search(rf"^\t{node_id} \[.*$", source, re.M).group(0)


def readme_expression():
    a, b = Scalar(2.0, name="a"), Scalar(-3.0, name="b")
    return a, b, (a * b + a.tanh()) ** 2


def tiny_network(rng=0):
    gen = np.random.default_rng(rng)
    x = ag.tensor(gen.standard_normal((4, 3)), name="x")
    w = ag.tensor(gen.standard_normal((3, 2)), requires_grad=True)
    b = ag.tensor(np.zeros(2), requires_grad=True)
    with ag.name_scope("model"):
        with ag.name_scope("dense"):
            h = (x @ w + b).relu()
        with ag.name_scope("head"):
            y = h.sum(axis=1)
    return x, w, b, (y * y).mean()


# --- Scalar graphs ---


def test_scalar_graph_has_one_record_per_value_and_one_oval_per_operation():
    a, b, c = readme_expression()
    source = ag.draw_graph(c).source
    # values: c, the sum, the constant 2, a*b, tanh(a), a, b; operations: **, +, *, tanh
    assert counts(source) == (7, 4, 7 + 4)
    assert source.count("shape=record") == 7
    for label in ('label="**"', 'label="+"', 'label="*"', 'label="tanh"'):
        assert label in source


def test_scalar_records_show_name_data_and_the_gradient_backward_gives():
    a, b, c = readme_expression()
    source = ag.draw_graph(c, rankdir="LR").source  # too wide for a cell: TB by default
    c.backward()
    assert f"{{ a | data 2.0000 | grad {a.grad:.4f} }}" in source
    assert f"{{ b | data -3.0000 | grad {b.grad:.4f} }}" in source
    assert "{ data 25.3610 | grad 1.0000 }" in source
    assert "{ data 2.0000 }" in source  # the constant 2 has no gradient


def test_drawing_changes_no_grad_and_keeps_the_graph_usable():
    a, b, c = readme_expression()
    ag.draw_graph(c)
    assert a.grad is None and b.grad is None
    assert not c._ctx.released
    c.backward()
    first = a.grad
    ag.draw_graph(c)  # after backward released the graph: still drawable
    assert a.grad == first


def test_stored_gradients_show_grad_as_backward_left_it():
    a, b, c = readme_expression()
    assert "grad None" in line_of(ag.draw_graph(c, grad_source="stored").source, "v5")
    c.backward()
    source = ag.draw_graph(c, grad_source="stored", rankdir="LR").source
    assert f"grad {a.grad:.4f}" in source
    assert "{ data -6.0000 | grad None }" in source  # intermediates keep no .grad


def test_hidden_gradients_and_the_rule_option():
    a, b, c = readme_expression()
    assert "| grad" not in ag.draw_graph(c, show_grad=False).source
    source = ag.draw_graph(c, show_rule=True).source
    assert 'label="tanh\\nd tanh(x) = 1 - y²"' in source


def test_rankdir_keeps_the_record_look_in_both_directions():
    a = Scalar(2.0, name="a")
    top_down = ag.draw_graph(a * a, rankdir="TB").source
    assert "rankdir=TB" in top_down
    assert 'label="a | data 2.0000 | grad 4.0000"' in top_down
    assert 'label="{ a | data 2.0000 | grad 4.0000 }"' in ag.draw_graph(a * a).source


def test_hide_constants_drops_leaves_that_need_no_gradient():
    a, b, c = readme_expression()
    source = ag.draw_graph(c, hide_constants=True).source
    assert counts(source) == (6, 4, 6 + 4)
    assert "{ data 2.0000 }" not in source


def test_a_reused_value_gets_one_arrow_per_use():
    a = Scalar(3.0, name="a")
    b = a + a
    source = ag.draw_graph(b * b).source
    assert counts(source) == (3, 2, 6)
    assert source.count("\tv2 -> o1\n") == 2  # a into +, twice
    assert source.count("\tv1 -> o0\n") == 2  # b into *, twice


def test_max_nodes_draws_the_nearest_values_and_says_what_was_cut():
    x = Scalar(0.5, name="x")
    y = x
    for _ in range(20):
        y = y.tanh()
    source = ag.draw_graph(y, max_nodes=5).source
    assert counts(source)[:2] == (5, 5)
    assert "16 more values and 15 more operations not drawn (max_nodes=5)" in source
    assert "\tcut -> o4 [style=dashed" in source
    assert "max_nodes" not in ag.draw_graph(y).source


# --- Tensor graphs ---


def test_tensor_records_show_shape_dtype_and_summaries():
    x, w, b, loss = tiny_network()
    source = ag.draw_graph(loss, full_values=6).source
    loss.backward()
    assert "(4, 3) float64" in source and "(3, 2) float64" in source
    data = x.numpy()
    assert f"data min {data.min():.4g} mean {data.mean():.4g} max {data.max():.4g}" in source
    bias = next(line for line in source.splitlines() if "(2,) float64 | data [0, 0]" in line)
    assert "(2,) float64 | data [0, 0] | grad [" in bias  # two elements: shown in full
    shown = re.search(r"grad \[([^]]*)\]", bias).group(1)
    assert np.allclose([float(n) for n in shown.split(",")], b.grad.numpy(), atol=1e-4)
    kernel = next(line for line in source.splitlines() if "(3, 2) float64" in line)
    assert "data\\l[[" in kernel  # a matrix: one left-aligned line per row


def test_parameter_names_from_params_pairs_and_names_mapping():
    x, w, b, loss = tiny_network()
    source = ag.draw_graph(loss, params=[("dense.kernel", w), ("dense.bias", b)]).source
    assert "dense.kernel | (3, 2) float64" in source
    assert "dense.bias | (2,) float64" in source
    assert "x | (4, 3) float64" in source  # .name where no other name is given
    renamed = ag.draw_graph(loss, params=[("dense.kernel", w)], names={w: "W", x: "input"}).source
    assert "W | (3, 2) float64" in renamed and "input | (4, 3)" in renamed


def test_operation_parameters_appear_when_short():
    x = ag.tensor(np.ones((2, 3)), requires_grad=True)
    assert 'label="sum\\naxis=1"' in ag.draw_graph(x.sum(axis=1).sum()).source


def test_non_scalar_root_computes_gradients_only_with_a_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    assert "pass gradient= to compute" in ag.draw_graph(y).source
    assert "data [1, 2] | grad [2, 4]" in ag.draw_graph(y, gradient=[1.0, 1.0]).source


def test_data_changed_in_place_falls_back_to_stored_gradients():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    with ag.no_grad():
        x.add_(1.0)
    source = ag.draw_graph(y).source
    assert "the stored .grad, since" in source and "modified in place" in source


# --- groups ---


def test_name_scopes_become_nested_clusters():
    x, w, b, loss = tiny_network()
    source = ag.draw_graph(loss).source
    assert source.count("subgraph cluster_") == 3
    # numbered as met walking back from the loss: head before dense, both inside model
    model = source.index('subgraph cluster_0 {\n\tlabel="model"')
    head = source.index('subgraph cluster_1 {\n\tlabel="head"')
    dense = source.index('subgraph cluster_2 {\n\tlabel="dense"')
    assert model < head < dense < source.index("\t}\n\t}\n")
    assert "subgraph" not in ag.draw_graph(loss, groups=False).source


def test_a_collapsed_group_is_one_box_with_its_input_and_output_shapes():
    x, w, b, loss = tiny_network()
    source = ag.draw_graph(loss, collapse="dense").source
    assert len(BOX.findall(source)) == 1
    assert 'label="dense\\nin (4, 3) (3, 2) (2,)\\nout (4, 2)"' in source
    assert 'label="@"' not in source and 'label="relu"' not in source
    assert 'label="head"' in source  # the other group stays open
    values, operations, edges = counts(source)
    assert (values, operations) == (6, 3)  # 9 values and 6 operations, less dense's 3 of each
    assert "\tg0 -> o" in source


def test_collapse_true_and_paths_choose_groups():
    x, w, b, loss = tiny_network()
    everything = ag.draw_graph(loss, collapse=True).source
    assert len(BOX.findall(everything)) == 1 and 'label="model\\n' in everything
    by_path = ag.draw_graph(loss, collapse=["model/head", "dense"]).source
    assert len(BOX.findall(by_path)) == 2


def test_collapsed_scalar_groups_count_their_values():
    a, b = Scalar(1.0, name="a"), Scalar(2.0, name="b")
    with ag.name_scope("neuron"):
        y = (a * b + 1.0).tanh()
    assert "neuron\\nin 3 values\\nout 1 value" in ag.draw_graph(y, collapse=True).source
    hidden = ag.draw_graph(y, collapse=True, hide_constants=True).source
    assert "neuron\\nin 2 values\\nout 1 value" in hidden


# --- NaN and Inf ---


def test_nan_values_and_infinite_gradients_are_highlighted():
    x = Scalar(-1.0, name="x")
    with np.errstate(invalid="ignore"):
        y = x.log() * 2
    source = ag.draw_graph(y).source
    assert "data nan" in source
    assert 'fillcolor="#ffb3b3"' in line_of(source, "v1")
    assert 'fillcolor="#ffb3b3"' not in line_of(source, "v2")  # the constant 2
    assert 'fillcolor="#ffb3b3"' not in line_of(source, "v3")  # x and its gradient are finite

    zero = Scalar(0.0, name="zero")
    source = ag.draw_graph(zero.sqrt()).source
    assert "grad inf" in line_of(source, "v1")
    assert 'fillcolor="#ffb3b3"' in line_of(source, "v1")


def test_tensor_summaries_count_nan_and_inf():
    x = ag.tensor([1.0, np.nan, np.inf, 3.0, 4.0, 5.0, 6.0, np.nan])
    source = ag.draw_graph(x, full_values=4).source
    assert "data min 1 mean 3.8 max 6, NaN ×2, Inf ×1" in source
    assert 'fillcolor="#ffb3b3"' in source


def test_a_collapsed_group_holding_nan_is_highlighted():
    x = ag.tensor([-1.0, 1.0], requires_grad=True)
    with ag.name_scope("bad"), np.errstate(invalid="ignore"):
        y = x.log()
    assert 'fillcolor="#ffb3b3"' in line_of(ag.draw_graph(y.sum(), collapse=True).source, "g0")


# --- escaping, determinism, size ---

AWKWARD = 'a"b\\c<d>{e}|f\ng ü ∂'


def test_record_labels_escape_quotes_backslashes_brackets_braces_pipes_newlines():
    a = Scalar(1.0, name=AWKWARD)
    source = ag.draw_graph(a * 2).source
    assert '{ a\\"b\\\\c\\<d\\>\\{e\\}\\|f\\lg ü ∂\\l | data 1.0000' in source


def test_plain_labels_escape_quotes_backslashes_and_newlines():
    op = ag.Op("odd", forward=lambda x: x, vjp=(lambda g, y, x: g,), label='say "hi"\\\nthere')
    x = ag.tensor([1.0], requires_grad=True)
    assert 'label="say \\"hi\\"\\\\\\nthere"' in ag.draw_graph(op(x)).source


def test_collapsed_and_cluster_names_are_escaped():
    x = ag.tensor([1.0], requires_grad=True)
    with ag.name_scope('a "quoted"\\name'):
        y = x * 2
    assert 'label="a \\"quoted\\"\\\\name"' in ag.draw_graph(y).source


def test_same_graph_same_text():
    first = ag.draw_graph(tiny_network(0)[-1], collapse="head").source
    again = ag.draw_graph(tiny_network(0)[-1], collapse="head").source
    assert first == again
    a, b, c = readme_expression()
    assert ag.draw_graph(c).source == ag.draw_graph(c).source


def test_same_text_in_another_process():
    code = ("import autograd as ag\n"
            "a, b = ag.Scalar(2.0, name='a'), ag.Scalar(-3.0, name='b')\n"
            "print(ag.draw_graph((a * b + a.tanh()) ** 2, show_rule=True).source)\n")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)]
    assert runs[0] == runs[1]
    a, b, c = readme_expression()
    assert runs[0].strip() == ag.draw_graph(c, show_rule=True).source.strip()


def test_a_100000_operation_chain_draws_quickly_without_recursion():
    x = Scalar(0.5, name="x")
    y = x
    for _ in range(100_000):
        y = y.tanh()
    start = time.perf_counter()
    source = ag.draw_graph(y).source
    elapsed = time.perf_counter() - start
    assert counts(source) == (100_001, 100_000, 200_000)
    assert elapsed < 20, f"drawing took {elapsed:.1f} s"


# --- options and imports ---


@pytest.mark.parametrize("options, message", [
    ({"rankdir": "XY"}, "rankdir"),
    ({"grad_source": "both"}, "grad_source"),
    ({"max_nodes": 0}, "max_nodes"),
    ({"full_values": -1}, "full_values"),
])
def test_bad_options_say_what_was_received(options, message):
    with pytest.raises(ValueError, match=message):
        ag.draw_graph(Scalar(1.0), **options)


def test_only_graph_values_can_be_drawn():
    with pytest.raises(TypeError, match="Scalar or a Tensor"):
        ag.draw_graph([1.0, 2.0])


def test_importing_autograd_imports_no_optional_package():
    code = ("import sys, autograd\n"
            "print([m for m in ('graphviz', 'matplotlib', 'tqdm') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_without_dot_the_source_exists_and_rendering_says_how_to_install(monkeypatch, tmp_path):
    a, b, c = readme_expression()
    dot = ag.draw_graph(c)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot to be found
    assert isinstance(dot, graphviz.Digraph) and dot.source.startswith("digraph")
    for render in (lambda: dot.pipe(), lambda: dot.render(tmp_path / "g"),
                   lambda: dot._repr_mimebundle_()):
        with pytest.raises(RuntimeError, match="conda install -c conda-forge graphviz"):
            render()


def test_without_the_graphviz_package_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # makes `import graphviz` fail
    monkeypatch.delitem(sys.modules, "autograd.viz.rendering", raising=False)
    with pytest.raises(ImportError, match="pip install graphviz"):
        ag.draw_graph(Scalar(1.0))


def test_the_drawing_is_a_digraph_that_copies_and_takes_more_statements():
    a, b, c = readme_expression()
    dot = ag.draw_graph(c)
    copy = dot.copy()
    copy.node("extra", "added by hand")
    assert type(copy) is type(dot) and "extra" in copy.source and "extra" not in dot.source


# --- rendering with dot ---


def svg_texts(svg):
    root = ET.fromstring(svg)
    return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text]


@needs_dot
def test_scalar_svg_parses_and_holds_the_labels():
    a, b, c = readme_expression()
    texts = svg_texts(ag.draw_graph(c).pipe(format="svg"))
    for label in ("a", "b", "data 2.0000", "data -3.0000", "tanh", "**", "grad 1.0000"):
        assert label in texts
    c.backward()
    assert f"grad {a.grad:.4f}" in texts


@needs_dot
def test_awkward_names_render_as_written():
    texts = svg_texts(ag.draw_graph(Scalar(1.0, name=AWKWARD) * 2).pipe(format="svg"))
    assert 'a"b\\c<d>{e}|f' in texts and "g ü ∂" in texts


@needs_dot
def test_tensor_svg_shows_clusters_and_collapsed_boxes():
    x, w, b, loss = tiny_network()
    texts = svg_texts(ag.draw_graph(loss, params=[("dense.kernel", w)]).pipe(format="svg"))
    for label in ("model", "dense", "head", "dense.kernel", "(3, 2) float64", "@", "relu"):
        assert label in texts
    texts = svg_texts(ag.draw_graph(loss, collapse="dense").pipe(format="svg"))
    assert "in (4, 3) (3, 2) (2,)" in texts and "relu" not in texts


@needs_dot
def test_render_writes_a_file(tmp_path):
    a, b, c = readme_expression()
    path = ag.draw_graph(c).render(tmp_path / "graph", format="svg")
    assert ET.parse(path).getroot().tag.endswith("svg")


@needs_dot
def test_steps_as_an_html_page_with_one_svg_frame_per_step(tmp_path):
    a = Scalar(3.0, name="a")
    b = a + a
    steps = list(ag.backward_steps(b * b))
    page = ag.steps_to_html(steps, tmp_path / "steps.html")
    assert page.count("<svg") == len(steps) == 2
    assert (tmp_path / "steps.html").read_text(encoding="utf-8") == page
    assert 'type="range"' in page and "backward step 2 of 2" in page
    assert "<h2>Backpropagation, step by step</h2>" in page
    assert "<h2>Forward pass, step by step</h2>" in ag.steps_to_html(ag.forward_steps(b * b))
    frames = ag.render_frames(steps)
    assert all(ET.fromstring(f).tag.endswith("svg") for f in frames)


@needs_dot
def test_steps_as_a_gif(tmp_path):
    pytest.importorskip("matplotlib", reason="matplotlib is not installed")
    a, b, c = readme_expression()
    path = ag.steps_to_gif(ag.forward_steps(c), tmp_path / "forward.gif", seconds_per_frame=0.5)
    image = pytest.importorskip("PIL.Image", reason="Pillow (matplotlib's) is not installed")
    with image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == 4



@needs_dot
@pytest.mark.parametrize("use_twice", [lambda a: a * a, lambda a: a + a])
def test_each_use_of_a_value_shows_its_gradient_apart_from_the_other(use_twice):
    a = Scalar(3.0, name="a")
    (step,) = ag.backward_steps(use_twice(a))
    svg = ET.fromstring(ag.draw_step(step).pipe(format="svg"))
    passed = f"{step.passed[0]:.4f}"
    texts = [t for t in svg.iter("{http://www.w3.org/2000/svg}text") if t.text == passed]
    assert len(texts) == 2
    (x0, y0), (x1, y1) = [(float(t.get("x")), float(t.get("y"))) for t in texts]
    size = float(texts[0].get("font-size"))
    assert max(abs(x0 - x1), abs(y0 - y1)) > size  # the two labels do not overlap
    ns = "{http://www.w3.org/2000/svg}"
    for node in svg.iter(f"{ns}g"):
        if node.get("class") != "node":
            continue
        for shape in node.iter(f"{ns}polygon"):  # the records: no label inside a box
            points = [tuple(map(float, p.split(","))) for p in shape.get("points").split()]
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            for x, y in ((x0, y0), (x1, y1)):
                assert not (min(xs) < x < max(xs) and min(ys) < y < max(ys))


def test_a_drawing_wider_than_a_notebook_cell_is_laid_out_top_to_bottom():
    a, b, c = readme_expression()
    assert "rankdir=LR" in ag.draw_graph(a * b).source  # small: left to right
    assert "rankdir=TB" in ag.draw_graph(c, show_rule=True).source
    assert "rankdir=LR" in ag.draw_graph(c, show_rule=True, rankdir="LR").source  # as asked


@needs_dot
def test_the_automatic_direction_keeps_a_drawing_with_rules_within_a_notebook_cell():
    a, b, c = readme_expression()
    for rankdir, narrow in ((None, True), ("LR", False)):
        svg = ET.fromstring(ag.draw_graph(c, show_rule=True, rankdir=rankdir).pipe(format="svg"))
        width = float(svg.get("width").removesuffix("pt"))
        assert (width <= 1000) == narrow, (rankdir, width)
