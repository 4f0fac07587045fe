"""PyTorch's hooks against PyTorch: ``Tensor.register_hook`` and ``nn.Module``'s forward
(pre-)hooks and full backward (pre-)hooks.

Each story runs on a module of names, ``autograd`` + ``nn`` or ``torch`` + ``torch.nn``, and
returns what the hooks saw, in the order they saw it, with the gradients that came out; the test
asserts that both stories are the same. Without torch installed, the torch side is skipped and
the stories' own assertions still run on ours.
"""

import warnings

import numpy as np
import pytest

import autograd as ag
import nn


def _torch():
    return pytest.importorskip("torch", reason="the PyTorch oracle is not installed")


def _faces():
    """``[(our names, our nn), (torch, torch.nn)]``, the second only when torch is installed."""
    faces = [(ag, nn)]
    try:
        import torch
    except ImportError:
        return faces
    return faces + [(torch, torch.nn)]


def _v(t):
    """A tensor as plain data (with whether it requires grad), None as None."""
    if t is None:
        return None
    if isinstance(t, tuple):
        return tuple(_v(x) for x in t)
    if not hasattr(t, "detach"):
        return t
    return (np.asarray(t.detach().numpy(), dtype=np.float64).round(6).tolist(), t.requires_grad)


def _same_everywhere(story):
    results = [story(m, mnn) for m, mnn in _faces()]
    for other in results[1:]:
        assert results[0] == other
    return results[0]


# --- Tensor.register_hook ---

def _reused_values(m, mnn):
    log = []

    def hook(name, change=None):
        def run(g):
            log.append((name, _v(g)))
            return None if change is None else change(g)
        return run

    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()  # before the hooks: it still stores what they return, as in torch 2
    y.register_hook(hook("y1", lambda g: g * 10))
    y.register_hook(hook("y2"))
    x.register_hook(hook("x"))
    x.register_post_accumulate_grad_hook(lambda p: log.append(("post", _v(p.grad))))
    z = (y * y + y).sum()  # y used three times, x reached twice: each hook runs once
    z.register_hook(hook("z"))
    z.backward()
    return log, _v(y.grad), _v(x.grad)


def test_hooks_see_the_total_gradient_once_and_replace_it():
    log, y_grad, x_grad = _same_everywhere(_reused_values)
    assert [name for name, _ in log] == ["z", "y1", "y2", "x", "post"]
    assert y_grad == ([50.0, 90.0], False)
    assert x_grad == ([100.0, 180.0], False)


def _leaf_and_root(m, mnn):
    log = []
    x = m.tensor(2.0, requires_grad=True)
    x.register_hook(lambda g: log.append(_v(g)) or g * 5)  # a leaf that is the root
    x.backward()
    a = m.tensor([1.0, 2.0], requires_grad=True)
    b = m.tensor([3.0, 4.0], requires_grad=True)
    a.register_hook(lambda g: g + 1)
    unused = a * 7
    unused.register_hook(lambda g: log.append("never"))
    (a * b).sum().backward()
    (a * b).sum().backward()  # accumulates the hooked gradient again
    return log, _v(x.grad), _v(a.grad), _v(b.grad)


def test_leaf_hooks_change_what_is_accumulated():
    _same_everywhere(_leaf_and_root)


def _grad_and_inputs(m, mnn):
    log = []
    x = m.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: log.append(("x", _v(g))) or g + 100)
    w = x * 3
    w.register_hook(lambda g: log.append(("w", _v(g))))  # upstream of y: grad(.., y) skips it
    y = w * 2
    y.register_hook(lambda g: log.append(("y", _v(g))) or g + 1000)
    out = (y * 3).sum()
    (gx,) = m.autograd.grad(out, x, retain_graph=True)
    (gy,) = m.autograd.grad(out, y, retain_graph=True)
    out.backward(inputs=[y], retain_graph=True)
    grads = (_v(gx), _v(gy), _v(y.grad), _v(x.grad))
    out.backward(inputs=[x])
    return log, grads, _v(x.grad)


def test_grad_and_backward_inputs_run_the_hooks_on_their_way_only():
    log, *_ = _same_everywhere(_grad_and_inputs)
    # grad(out, y) and backward(inputs=[y]) stop at y: w's and x's hooks do not run
    assert [name for name, _ in log] == ["y", "w", "x", "y", "y", "y", "w", "x"]


def _create_graph(m, mnn):
    log = []
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x ** 2
    y.register_hook(lambda g: log.append(("y", _v(g))) or g * x)  # recorded under create_graph
    x.register_hook(lambda g: log.append(("x", _v(g))))
    (gx,) = m.autograd.grad(y.sum(), x, create_graph=True)
    (ggx,) = m.autograd.grad(gx.sum(), x)  # d/dx sum(2x * x) = 4x
    return log, _v(gx), _v(ggx)


def test_hooks_under_create_graph_are_differentiated_too():
    log, gx, ggx = _same_everywhere(_create_graph)
    assert gx == ([2.0, 8.0], True)
    assert ggx == ([4.0, 8.0], False)


def _removal(m, mnn):
    log = []
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    handles = []
    handles.append(y.register_hook(lambda g: handles[0].remove() or log.append("once")))
    kept = y.register_hook(lambda g: log.append("kept"))
    with x.register_hook(lambda g: log.append("scoped")):
        pass
    y.sum().backward(retain_graph=True)
    y.sum().backward(retain_graph=True)
    kept.remove()
    kept.remove()
    y.sum().backward()
    return log, _v(x.grad)


def test_handles_remove_hooks_even_from_inside_one():
    log, _ = _same_everywhere(_removal)
    assert log == ["once", "kept", "kept"]


def _in_place_and_detached(m, mnn):
    w = m.tensor([3.0, 3.0], requires_grad=True)
    x = m.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * w)  # not recorded without create_graph
    y = x * 2
    y.register_hook(lambda g: g.mul_(2))  # in place, returning the same tensor
    (y * 1).sum().backward()
    return _v(x.grad), w.grad


def test_a_hook_may_change_the_gradient_in_place_and_its_result_is_detached():
    assert _same_everywhere(_in_place_and_detached)[0] == ([12.0, 12.0], False)


def _changed_in_place(m, mnn):
    log = []
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    y.register_hook(lambda g: log.append(("before", _v(g))))
    gone = y.register_hook(lambda g: log.append("removed"))
    y.mul_(3)  # the hooks so far stay with the value before the change, as in torch
    y.register_hook(lambda g: log.append(("after", _v(g))))
    gone.remove()
    (y * 5).sum().backward()
    return log, _v(x.grad)


def test_hooks_registered_before_an_in_place_change_watch_the_old_value():
    log, _ = _same_everywhere(_changed_in_place)
    assert log == [("after", ([5.0, 5.0], False)), ("before", ([15.0, 15.0], False))]


def _kept_gradients_stay_intact(m, mnn):
    # Large enough that relu would write its own gradient into the memory it was handed.
    x = m.tensor(np.linspace(-1, 1, 10_000), requires_grad=True)
    h = (x * 3).relu()
    seen = []
    h.register_hook(lambda g: seen.append(g))
    (h * 2).sum().backward()
    return float(seen[0].sum()), float(x.grad.sum())


def test_a_gradient_a_hook_kept_is_not_reused_by_the_engine():
    assert _same_everywhere(_kept_gradients_stay_intact)[0] == 20_000.0


def test_register_hook_refusals_as_in_torch():
    for m, _ in _faces():
        with pytest.raises(RuntimeError, match="doesn't require gradient"):
            m.tensor([1.0]).register_hook(lambda g: None)
        for bad, error, text in ((lambda g: g.sum(), RuntimeError, "changed the size"),
                                 (lambda g: g.double(), RuntimeError, "changed the type"),
                                 (lambda g: 3, TypeError, "int")):
            x = m.tensor([1.0, 2.0], requires_grad=True)
            x.register_hook(bad)
            with pytest.raises(error, match=text):
                (x * 2).sum().backward()
    with pytest.raises(TypeError, match="callable"):  # torch waits for backward to fail
        ag.tensor([1.0], requires_grad=True).register_hook(3)


def test_anomaly_mode_takes_the_same_hooks():
    plain = _reused_values(ag, nn)
    with ag.autograd.detect_anomaly():
        assert _reused_values(ag, nn) == plain


def _clipping_a_layer(m, mnn):
    layer = mnn.Linear(3, 2)
    with m.no_grad():
        layer.weight.copy_(m.tensor([[1.0, -2.0, 3.0], [0.5, 0.5, -1.0]]))
        layer.bias.copy_(m.tensor([0.1, -0.1]))
    for p in layer.parameters():
        p.register_hook(lambda g: g.clamp(-1.0, 1.0))
    x = m.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 4.0]])
    (layer(x) ** 2).sum().backward()
    return _v(layer.weight.grad), _v(layer.bias.grad)


def test_hooks_on_parameters_of_a_torch_module():
    _same_everywhere(_clipping_a_layer)


# --- Module forward hooks ---

class _Scale:
    """A module class made for each face: forward(x, k=2) = x * k."""

    @staticmethod
    def make(mnn):
        class Scale(mnn.Module):
            def forward(self, x, k=2.0):
                return x * k
        return Scale()


def _forward_hooks(m, mnn):
    log = []
    s = _Scale.make(mnn)
    x = m.tensor([1.0, 2.0])
    s.register_forward_pre_hook(lambda mod, args: log.append(("pre", _v(args))))
    s.register_forward_pre_hook(lambda mod, args: args[0] + 1)  # not a tuple: wrapped
    s.register_forward_pre_hook(lambda mod, args: log.append(("first", _v(args))), prepend=True)
    s.register_forward_pre_hook(
        lambda mod, args, kwargs: log.append(("kw", sorted(kwargs))) or (args, {"k": 10.0}),
        with_kwargs=True)
    s.register_forward_hook(lambda mod, args, out: log.append(("post", _v(args), _v(out))))
    h = s.register_forward_hook(lambda mod, args, out: out * 100)
    s.register_forward_hook(
        lambda mod, args, kwargs, out: log.append(("postkw", kwargs, _v(out))), with_kwargs=True)
    first = _v(s(x, k=3.0))
    h.remove()
    second = _v(s(x))
    return log, first, second


def test_forward_hooks_replace_inputs_and_outputs_in_torch_order():
    log, first, second = _same_everywhere(_forward_hooks)
    assert log[0][0] == "first"
    assert first == ([2000.0, 3000.0], False)


def _always_call(m, mnn):
    log = []

    class Boom(mnn.Module):
        def forward(self, x):
            raise ValueError("boom")

    b = Boom()
    b.register_forward_hook(lambda mod, args, out: log.append(("always", out)), always_call=True)
    b.register_forward_hook(lambda mod, args, out: log.append("normal"))
    b.register_forward_hook(lambda mod, args, out: 1 / 0, always_call=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="boom"):
            b(m.tensor([1.0]))
    return log, [str(w.message)[:40] for w in caught]


def test_always_call_hooks_run_when_forward_raises():
    log, caught = _same_everywhere(_always_call)
    assert log == [("always", None)] and len(caught) == 1


def _pre_hook_refusal(m, mnn):
    s = _Scale.make(mnn)
    s.register_forward_pre_hook(lambda mod, args, kwargs: args, with_kwargs=True)
    with pytest.raises(RuntimeError, match="forward pre-hook must return None or a tuple"):
        s(m.tensor([1.0]))
    return True


def test_a_with_kwargs_pre_hook_must_return_args_and_kwargs():
    _same_everywhere(_pre_hook_refusal)


def _sequential(m, mnn):
    log = []
    model = mnn.Sequential(mnn.Linear(2, 3), mnn.ReLU(), mnn.Linear(3, 1))
    with m.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(m.tensor(np.linspace(-1, 1, p.numel()).reshape(tuple(p.shape)) * (i + 1)))
    for i, layer in enumerate(model):
        layer.register_forward_hook(lambda mod, args, out, i=i: log.append((i, _v(out))))
    model.register_forward_pre_hook(lambda mod, args: log.append(("model", _v(args))))
    out = model(m.tensor([[1.0, -2.0]]))
    return log, _v(out)


def test_hooks_on_a_sequential_and_its_layers():
    log, _ = _same_everywhere(_sequential)
    assert [entry[0] for entry in log] == ["model", 0, 1, 2]


def test_the_keras_sequential_with_and_without_hooks():
    import nn as keras

    model = keras.Sequential([keras.layers.Dense(units=1, input_shape=[1])])
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
    seen = []
    handle = model.layers[0].register_forward_hook(lambda mod, args, out: seen.append(out.shape))
    model.fit([-40, -10, 0, 8, 15, 22, 38], [-40, 14, 32, 46, 59, 72, 100], epochs=2,
              verbose=False)
    assert seen and all(shape[1:] == (1,) for shape in seen)
    handle.remove()
    count = len(seen)
    model.predict([100.0], verbose=0)
    assert len(seen) == count


# --- Module full backward hooks ---

def _linear(m, mnn, weight):
    layer = mnn.Linear(len(weight[0]), len(weight))
    with m.no_grad():
        layer.weight.copy_(m.tensor(weight))
        layer.bias.zero_()
    return layer


def _backward_hooks(m, mnn):
    log = []
    lin = _linear(m, mnn, [[1.0, 2.0], [3.0, 4.0]])
    lin.register_full_backward_pre_hook(lambda mod, go: log.append(("pre", _v(go))))
    lin.register_full_backward_hook(lambda mod, gi, go: log.append(("bw", _v(gi), _v(go))))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lin(m.tensor([[1.0, 1.0]])).sum().backward()  # no input requires grad
    log.append(("warned", len(caught)))
    x = m.tensor([[1.0, 1.0]], requires_grad=True)
    y = lin(x)
    (y * y).sum().backward()
    twice = _linear(m, mnn, [[2.0]])
    twice.register_full_backward_hook(lambda mod, gi, go: log.append(("twice", _v(gi), _v(go))))
    x1 = m.tensor([[1.0]], requires_grad=True)
    twice(twice(x1)).sum().backward()
    return log, _v(x.grad), _v(lin.weight.grad), _v(x1.grad)


def test_full_backward_hooks_see_grad_input_and_grad_output():
    log, *_ = _same_everywhere(_backward_hooks)
    assert ("warned", 1) in log


def _replacing_gradients(m, mnn):
    log = []

    class Two(mnn.Module):
        def forward(self, a, b, k=3):
            return a * 2, b * 3, "text"

    two = Two()
    two.register_full_backward_pre_hook(lambda mod, go: log.append(("pre", _v(go))))
    two.register_full_backward_hook(
        lambda mod, gi, go: log.append(("bw", _v(gi), _v(go))) or (gi[0] * 100, gi[1]))
    a = m.tensor([1.0], requires_grad=True)
    b = m.tensor([1.0], requires_grad=True)
    o1, o2, text = two(a, b)
    o1.sum().backward()  # o2 unused: its grad_output is None
    pre = _linear(m, mnn, [[2.0]])
    pre.register_full_backward_pre_hook(lambda mod, go: (go[0] * 10,))
    x = m.tensor([[1.0]], requires_grad=True)
    pre(x).sum().backward()
    kw = _Scale.make(mnn)  # a tensor passed by keyword is not among grad_input, as in torch
    kw.register_full_backward_hook(lambda mod, gi, go: log.append(("kw", _v(gi), _v(go))))
    k = m.tensor([2.0, 2.0], requires_grad=True)
    kw(m.tensor([1.0, 3.0], requires_grad=True), k=k).sum().backward()
    return log, text, _v(a.grad), _v(b.grad), _v(x.grad), _v(pre.weight.grad), _v(k.grad)


def test_backward_hooks_replace_gradients_and_skip_non_tensors():
    _same_everywhere(_replacing_gradients)


def _backward_hook_refusals(m, mnn):
    bad = _linear(m, mnn, [[1.0]])
    bad.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="invalid number of grad_input, got 2, but expected 1"):
        bad(m.ones(1, 1, requires_grad=True)).sum().backward()
    bad_pre = _linear(m, mnn, [[1.0]])
    bad_pre.register_full_backward_pre_hook(lambda mod, go: (go[0], go[0]))
    with pytest.raises(RuntimeError, match="invalid number of grad_output, got 2, but expect"):
        bad_pre(m.ones(1, 1, requires_grad=True)).sum().backward()
    loose = _linear(m, mnn, [[1.0]])
    loose.register_full_backward_hook(lambda mod, gi, go: (m.ones(1, 1),))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match="no input requires gradient should always"):
            loose(m.ones(1, 1)).sum().backward()
    with m.no_grad():  # no backward, so no hook: the output is left alone
        assert not loose(m.ones(1, 1, requires_grad=True)).requires_grad
    return True


def test_backward_hook_refusals_as_in_torch():
    _same_everywhere(_backward_hook_refusals)


def test_a_module_without_hooks_keeps_no_table():
    layer = nn.Linear(2, 2)
    assert "_forward_hooks" not in layer.__dict__ and not layer._hooks_on
    handle = layer.register_forward_hook(lambda mod, args, out: None)
    handle.remove()
    assert not layer.__dict__["_forward_hooks"]
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]


def test_signatures_are_torch():
    torch = _torch()
    from tests.conformance.borrowed import signature_differences

    for name in ("register_forward_pre_hook", "register_forward_hook",
                 "register_full_backward_pre_hook", "register_full_backward_hook"):
        assert signature_differences(getattr(nn.Module, name),
                                     getattr(torch.nn.Module, name)) == [], name
    assert signature_differences(ag.Tensor.register_hook, torch.Tensor.register_hook) == []


def test_no_gradient_from_a_backward_hook_flows_on_as_zeros():
    # The one known difference: where torch passes no gradient on (a backward hook returning
    # None for an input), the identity the hooks ride on (an autograd.Function) passes zeros, so
    # a leaf reached only that way gets a zero .grad where torch leaves None.
    two = _Scale.make(nn)
    two.register_full_backward_hook(lambda mod, gi, go: (None,))
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    two(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_a_captured_step_refuses_hooks_it_would_not_replay():
    layer = nn.Linear(2, 1)
    x = ag.ones(3, 2)
    handle = layer.register_forward_hook(lambda mod, args, out: None)
    with pytest.raises(ag.capture.CaptureError, match="forward or backward hooks"):
        ag.compile(lambda x: layer(x).sum())(x)
    handle.remove()
    w = ag.ones(2, requires_grad=True)
    w.register_hook(lambda g: g * 2)

    def step(x):
        loss = (x @ w).sum()
        loss.backward()
        return loss

    with pytest.raises(ag.capture.CaptureError, match="register_hook"):
        ag.compile(step)(x)
