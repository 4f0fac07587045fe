"""What a recorded graph leaves for Python's cyclic collector, and how the engine handles it.

Each recorded operation keeps one object that the collector tracks, the output node: the record
of the operation lives on it (no context, no inputs tuple), and a Python number in an expression
becomes a constant shared by every use (W6 records ``y * 1.0001`` again and again). The counts
below keep that from eroding. Backward pauses the collector and gives the user's setting back on
every way out.
"""

import gc
import subprocess
import sys

import numpy as np
import pytest

import autograd as ag
from autograd import Scalar
from autograd.constants import is_shared_number

OPS = 1000
SLACK = 3  # objects that the interpreter may make once, whatever the length of the chain

STEPS = {
    "times a number": lambda y: y * 1.0001,
    "plus a number on the left": lambda y: 0.5 + y,
    "times itself": lambda y: y * y,
    "tanh": lambda y: y.tanh(),
}
KINDS = {
    "0-d tensor": lambda: ag.tensor(1.0, requires_grad=True),
    "Scalar": lambda: Scalar(1.0),
}


def tracked_objects_per_op(make, step, ops=OPS):
    """Objects the cyclic collector tracks after recording ``ops`` steps, less those before
    (less ``SLACK``), per step; the collector is off meanwhile."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        y = make()
        step(y)  # a first step makes what is made once (a shared constant)
        before = len(gc.get_objects())
        with np.errstate(over="ignore"):
            for _ in range(ops):
                y = step(y)
        after = len(gc.get_objects())
    finally:
        if was_enabled:
            gc.enable()
    return (after - before - SLACK) / ops


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("step", STEPS)
def test_one_tracked_object_per_recorded_operation(kind, step):
    per_op = tracked_objects_per_op(KINDS[kind], STEPS[step])
    assert per_op <= 1.0, (
        f"{kind}, {step}: {per_op:.2f} objects tracked by the cyclic collector per recorded "
        f"operation; the output node should be the only one")


def test_the_record_is_on_the_node_itself():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2.0
    assert y._op.name == "mul" and y._in0 is x and y._more is None
    assert y._inputs() == (x, y._in1) and float(y._in1.item()) == 2.0
    context = y._ctx  # the record gathered in one object, for code that reads a graph
    assert context.op is y._op and context.inputs == (x, y._in1) and not context.released
    y.sum().backward()
    assert y._released and y._ctx.released


def test_an_op_of_three_inputs_keeps_them_in_order():
    joined = ag.concatenate([ag.tensor([1.0], requires_grad=True), ag.tensor([2.0]),
                             ag.tensor([3.0], requires_grad=True)])
    assert [float(x.item()) for x in joined._inputs()] == [1.0, 2.0, 3.0]
    joined.sum().backward()
    assert joined._inputs()[0].grad.tolist() == [1.0]


# --- numbers written in expressions are shared constants ---------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_a_number_is_one_shared_constant_per_value(kind):
    x = KINDS[kind]()
    a, b = x * 1.5, x * 1.5
    assert a._in1 is b._in1 and is_shared_number(a._in1)
    c, d = x * 0.0, x * 0.0  # 0.0 and -0.0 compare equal: zeros are never shared
    assert c._in1 is not d._in1 and not is_shared_number(c._in1)


def test_shared_tensor_constants_follow_the_dtype():
    x32 = ag.tensor([1.0], requires_grad=True)
    x64 = ag.tensor(np.array([1.0]), requires_grad=True)
    c32, c64 = (x32 * 3.0)._in1, (x64 * 3.0)._in1
    assert c32 is not c64 and c32.dtype == np.float32 and c64.dtype == np.float64


@pytest.mark.parametrize("kind", KINDS)
def test_a_shared_constant_refuses_to_change(kind):
    constant = (KINDS[kind]() * 2.0)._in1
    with pytest.raises(RuntimeError, match="shared by every expression"):
        constant.data = 3.0
    with pytest.raises(RuntimeError, match="shared by every expression"):
        constant.requires_grad_()
    assert float(constant.item()) == 2.0 and not constant.requires_grad


def test_a_drawing_shows_a_shared_number_once_per_use():
    pytest.importorskip("graphviz", reason="the graphviz Python package is not installed")
    a, b = Scalar(5.0, name="a"), Scalar(7.0, name="b")
    source = ag.draw_graph(a * 2 + b * 2).source
    assert source.count("data 2.0000") == 2
    assert source.count("->") == 9  # 2 inputs per *, 2 per +, 1 per operation's output


def test_gradients_through_shared_constants():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    ((x * 3.0) + (x * 3.0) * 3.0).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [12.0, 12.0])


# --- the guarantees the record keeps -------------------------------------------------------------

def test_a_dropped_graph_stops_holding_its_inputs():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).exp()
    assert not x.numpy().flags.writeable
    del y
    assert x.numpy().flags.writeable


def test_an_in_place_change_after_another_one_elsewhere_is_still_caught():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    other = ag.tensor([0.0])
    y = (w * w).sum()
    other.add_(1.0)  # a change to a value outside the graph: no reason to refuse
    y.backward(retain_graph=True)
    with ag.no_grad():
        w.mul_(2.0)
    with pytest.raises(RuntimeError, match=r"mul saved input 0 .*modified in place"):
        y.backward()


def test_retain_grad_and_higher_order_on_the_new_record():
    x = ag.tensor(2.0, requires_grad=True)
    h = (x * x).retain_grad()
    y = h * 3.0
    (dx,) = ag.grad(y, [x], create_graph=True)
    assert float(dx.item()) == 12.0
    y.backward()
    assert float(h.grad.item()) == 3.0 and float(x.grad.item()) == 12.0


# --- the collector, paused by backward and given back ---------------------------------------------

def _op_whose_backward_raises(seen: list):
    def rule(g, y, x):
        seen.append(gc.isenabled())
        raise ZeroDivisionError("a rule that fails")
    return ag.Op("fails_in_backward", forward=lambda x: x * 1.0, vjp=(rule,))


@pytest.mark.parametrize("enabled", [True, False])
def test_backward_gives_the_collector_back_when_a_rule_raises(enabled):
    seen = []
    y = _op_whose_backward_raises(seen)(ag.tensor([1.0], requires_grad=True)).sum()
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(ZeroDivisionError):
            y.backward()
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert seen == [False], "the collector was on during backward"


def test_backward_gives_the_collector_back_when_it_refuses_the_graph():
    x = ag.tensor([1.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
    assert gc.isenabled()


def test_gc_paused_nests_and_restores_on_an_exception():
    assert gc.isenabled()
    with pytest.raises(KeyError):
        with ag.gc_paused():
            with ag.gc_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the outer pause is still on
            raise KeyError("inside")
    assert gc.isenabled()


def test_gc_paused_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with ag.gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_importing_the_library_leaves_the_collector_as_it_was():
    probe = ("import gc; before = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()); "
             "import autograd, nn, optim; "
             "print(before == (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "True"



STEPS_SCRIPT = """
import gc, sys
import numpy as np
import autograd as ag, nn, optim

rng = np.random.default_rng(0)
x = ag.tensor(rng.standard_normal((16, 8)).astype(np.float32))
y = rng.integers(0, 3, 16)
model = nn.Sequential([nn.Dense(12, "relu", input_shape=[8]), nn.Dense(3)])
opt = optim.SGD(model.parameters(), lr=0.01)

def step():
    loss = nn.losses.sparse_categorical_crossentropy(y, model(x), from_logits=True).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()

gc.collect()
gc.disable()  # a full collection would empty the free lists
for _ in range(200):  # the interpreter's caches fill up in the first steps
    step()
before = sys.getallocatedblocks()
for _ in range(400):
    step()
print(sys.getallocatedblocks() - before)
"""


def test_training_steps_leave_no_memory_behind():
    """Once warm, 400 steps of a classifier (dense layers, ReLU, sparse cross-entropy, SGD)
    leave the interpreter's allocated blocks flat: nothing piles up step after step, not even
    on CPython's free lists, which a tuple built from a generator once grew by one per step
    (fresh memory each step for thousands of steps). A fresh interpreter, because a
    long-running one may have filled those lists already."""
    done = subprocess.run([sys.executable, "-c", STEPS_SCRIPT], capture_output=True, text=True,
                          check=True)
    grown = int(done.stdout.split()[-1])
    assert grown < 100, f"{grown} more blocks allocated after 400 steps"
