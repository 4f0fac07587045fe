"""``optim`` against ``torch.optim``: signatures, and trajectories over the same gradients.

Each optimizer runs 60 steps in float64 on two parameters, from the same start and on the same
sequence of gradients as torch's, with each of its main options; every iterate and every state
entry must agree to rtol 1e-10. Each schedule's learning rates over 30 epochs must agree too.
"""

import inspect
import zlib

import numpy as np
import pytest

import autograd as ag
import optim
from tests.conformance.borrowed import signature_differences, torch
from tests.conformance.torch_optim import ENTRIES, IGNORE


def _kinds(obj, ignore):
    target = obj.__init__ if inspect.isclass(obj) else obj
    return [(name, p.kind) for name, p in inspect.signature(target).parameters.items()
            if name != "self" and name not in ignore]


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_torch(entry):
    ours, theirs = entry.our_object(), entry.their_object()
    if not entry.signature:  # a module: its names are checked one by one
        assert inspect.ismodule(ours) and inspect.ismodule(theirs)
        return
    ignore = IGNORE.get(entry.ours, ())
    assert signature_differences(ours, theirs, ignore=ignore) == []
    # Keyword-only markers matter: SGD(p, 0.1, 0.9) must mean what it means in torch.
    assert _kinds(ours, ignore) == _kinds(theirs, ignore)
    if "params" in ignore:
        assert list(inspect.signature(ours.__init__).parameters)[1] == "params"


@pytest.fixture
def torch64():
    """torch with float64 as its default dtype (NAdam's and ASGD's scalar state follow it)."""
    t = torch()
    before = t.get_default_dtype()
    t.set_default_dtype(t.float64)
    yield t
    t.set_default_dtype(before)


# The optimizers whose step takes an optional closure (LBFGS needs one: tested on its own).
STEPPED = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam",
           "ASGD", "Rprop", "Adafactor"]

CASES = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.5, maximize=True)),
    ("SGD", dict(lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.1, maximize=True)),
    ("Adam", dict()),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, amsgrad=True)),
    ("Adam", dict(lr=0.01, maximize=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.2, amsgrad=True, maximize=True)),
    ("RMSprop", dict()),
    ("RMSprop", dict(alpha=0.9, eps=1e-6, weight_decay=0.05)),
    ("RMSprop", dict(centered=True)),
    ("RMSprop", dict(momentum=0.8)),
    ("RMSprop", dict(centered=True, momentum=0.8, maximize=True)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1)),
    ("Adagrad", dict(initial_accumulator_value=0.5, eps=1e-6, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.7, eps=1e-4, weight_decay=0.1)),
    ("Adadelta", dict(maximize=True)),
    ("Adamax", dict()),
    ("Adamax", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.1)),
    ("Adamax", dict(maximize=True)),
    ("NAdam", dict()),
    ("NAdam", dict(lr=0.01, momentum_decay=0.01, weight_decay=0.1)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("RAdam", dict()),
    ("RAdam", dict(lr=0.01, betas=(0.5, 0.9), weight_decay=0.1)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("ASGD", dict()),
    ("ASGD", dict(lr=0.05, lambd=0.01, alpha=0.5, t0=10, weight_decay=0.1)),
    ("ASGD", dict(lr=0.05, t0=0, maximize=True)),
    ("Rprop", dict()),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2))),
    ("Rprop", dict(maximize=True)),
    ("Adafactor", dict()),
    ("Adafactor", dict(lr=0.1, beta2_decay=-0.5, eps=(1e-20, 1e-2), d=1.5, weight_decay=0.1)),
    ("Adafactor", dict(maximize=True)),
]
STEPS = 60


def _case_id(case):
    name, options = case
    return name + "".join(f"-{k}={v}" for k, v in options.items())


def _gradients(rng, shapes):
    """A fixed sequence of gradients: smooth drift plus noise, with exact zeros sometimes."""
    grads = []
    for t in range(STEPS):
        step = []
        for shape in shapes:
            drift = np.sin(0.3 * t + np.arange(np.prod(shape)).reshape(shape))
            g = drift + 0.5 * rng.standard_normal(shape)
            if t % 7 == 3:
                g[..., 0] = 0.0
            step.append(g)
        grads.append(step)
    return grads


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_trajectory_matches_torch(case, torch64):
    name, options = case
    rng = np.random.default_rng(zlib.crc32(_case_id(case).encode()))
    starts = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    ours = [ag.tensor(v.copy(), requires_grad=True) for v in starts]
    theirs = [torch64.tensor(v.copy(), requires_grad=True) for v in starts]
    opt = getattr(optim, name)(ours, **options)
    ref = getattr(torch64.optim, name)(theirs, **options)
    for t, grads in enumerate(_gradients(rng, [v.shape for v in starts]), start=1):
        for p, q, g in zip(ours, theirs, grads):
            p.grad = ag.tensor(g.copy())
            q.grad = torch64.tensor(g.copy())
        opt.step()
        ref.step()
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(p.numpy(), q.detach().numpy(), rtol=1e-10, atol=1e-13,
                                       err_msg=f"{name} step {t}")
    for p, q in zip(ours, theirs):
        mine, torch_state = opt.state[p], ref.state[q]
        # Our base class counts steps for every optimizer; torch's SGD keeps no count.
        assert set(mine) - {"step"} == set(torch_state) - {"step"}, (sorted(mine),
                                                                      sorted(torch_state))
        for key, value in torch_state.items():
            np.testing.assert_allclose(np.asarray(mine[key], dtype=np.float64),
                                       np.asarray(value, dtype=np.float64), rtol=1e-10,
                                       atol=1e-13, err_msg=f"{name} state {key}")


def test_groups_and_their_own_options_match_torch(torch64):
    starts = [np.linspace(-1, 1, 6), np.linspace(2, 3, 4)]
    ours = [ag.tensor(v.copy(), requires_grad=True) for v in starts]
    theirs = [torch64.tensor(v.copy(), requires_grad=True) for v in starts]
    opt = optim.Adam([{"params": [ours[0]]}, {"params": [ours[1]], "lr": 0.1, "amsgrad": True}],
                     lr=0.01)
    ref = torch64.optim.Adam([{"params": [theirs[0]]},
                              {"params": [theirs[1]], "lr": 0.1, "amsgrad": True}], lr=0.01)
    for t in range(30):
        for p, q in zip(ours, theirs):
            g = np.cos(t * p.numpy())
            p.grad, q.grad = ag.tensor(g), torch64.tensor(g.copy())
        opt.step()
        ref.step()
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.numpy(), q.detach().numpy(), rtol=1e-10)


IMPLEMENTATION_OPTIONS = [
    (name, option, value)
    for name in STEPPED
    for option, value in (("foreach", True), ("fused", True), ("capturable", True),
                          ("differentiable", True))
    if option in inspect.signature(getattr(optim, name)).parameters
]


@pytest.mark.parametrize("name, option, value", IMPLEMENTATION_OPTIONS,
                         ids=[f"{n}-{o}" for n, o, _ in IMPLEMENTATION_OPTIONS])
def test_implementation_options_at_default_only(name, option, value):
    w = ag.tensor([1.0], requires_grad=True)
    cls = getattr(optim, name)
    default = inspect.signature(cls).parameters[option].default
    cls([w], **{option: default})  # torch's default is accepted
    with pytest.raises(ValueError, match=rf"{name}: {option}=True is not supported"):
        cls([w], **{option: value})


def test_new_optimizers_take_the_keras_form_too():
    for name in STEPPED[5:]:
        w = ag.tensor([1.0, 2.0], requires_grad=True)
        opt = getattr(optim, name)(0.5)
        assert opt.param_groups == [] and opt.learning_rate == 0.5
        opt.bind([w])
        assert getattr(optim, name)(learning_rate=0.25).defaults["lr"] == 0.25
        w.grad = ag.tensor([1.0, 1.0])
        opt.step()
        assert np.all(w.numpy() < [1.0, 2.0])


METHODS = [
    ("Optimizer", "zero_grad"), ("Optimizer", "step"), ("Optimizer", "add_param_group"),
    ("Optimizer", "state_dict"), ("Optimizer", "load_state_dict"),
    *[("Optimizer", f"register_{kind}_hook") for kind in (
        "step_pre", "step_post", "state_dict_pre", "state_dict_post", "load_state_dict_pre",
        "load_state_dict_post")],
    *[(name, "step") for name in [*STEPPED, "LBFGS"]],
    ("lr_scheduler.LRScheduler", "step"), ("lr_scheduler.LRScheduler", "get_last_lr"),
    ("lr_scheduler.LRScheduler", "state_dict"), ("lr_scheduler.LRScheduler", "load_state_dict"),
    ("lr_scheduler.ReduceLROnPlateau", "step"),
]


@pytest.mark.parametrize("owner, method", METHODS, ids=[f"{o}.{m}" for o, m in METHODS])
def test_method_signatures_are_torchs(owner, method):
    t = torch()
    ours = getattr(optim, owner.split(".")[-1])
    theirs = t.optim
    for part in owner.split("."):
        theirs = getattr(theirs, part)
    assert signature_differences(getattr(ours, method), getattr(theirs, method)) == []


def test_named_parameters_as_torch():
    t = torch()
    import nn

    ours = nn.Linear(3, 2)
    theirs = t.nn.Linear(3, 2)
    opt = optim.Adam(ours.named_parameters(), lr=0.1)
    ref = t.optim.Adam(theirs.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ref.param_groups[0]["param_names"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["weight", "bias"]
    with pytest.raises(ValueError, match="named"):
        optim.SGD([("w", ours.weight), ours.bias], lr=0.1)


def test_scheduler_step_epoch_argument():
    w = ag.tensor([1.0], requires_grad=True)
    sched = optim.StepLR(optim.SGD([w], lr=1.0), 2)
    with pytest.raises(ValueError, match="deprecated"):
        sched.step(3)
    plateau = optim.ReduceLROnPlateau(optim.SGD([w], lr=1.0))
    plateau.step(metrics=0.5, epoch=7)
    assert plateau.last_epoch == 7


@pytest.mark.parametrize("name", [*STEPPED, "LBFGS"])
def test_param_groups_hold_torchs_options(name):
    t = torch()
    ours = getattr(optim, name)([ag.tensor([1.0], requires_grad=True)])
    theirs = getattr(t.optim, name)([t.tensor([1.0], requires_grad=True)])
    mine, want = ours.param_groups[0], theirs.param_groups[0]
    assert set(mine) == set(want)
    for key, value in want.items():
        if key != "params":
            assert mine[key] == value, key
    if name == "LBFGS":  # one group only, in torch too
        return
    with pytest.raises(ValueError, match="foreach=True is not supported"):
        ours.add_param_group({"params": [ag.tensor([2.0], requires_grad=True)], "foreach": True})


def _rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


def _bowl_and_grad(x):
    """A convex, well-conditioned objective with curvature that changes along the way."""
    weights, centre = np.array([1.0, 2.0, 3.0, 1.5, 0.5]), np.array([0.3, -0.2, 0.1, 0.4, -0.5])
    return (float((weights * (x - centre) ** 2).sum() + 0.1 * (x**4).sum()),
            2 * weights * (x - centre) + 0.4 * x**3)


LBFGS_CASES = [
    dict(lr=0.1),
    dict(line_search_fn="strong_wolfe"),
    dict(line_search_fn="strong_wolfe", history_size=3, max_iter=7),
    dict(lr=0.5, max_iter=5, max_eval=4, tolerance_change=1e-5),
]


@pytest.mark.parametrize("options", LBFGS_CASES, ids=[str(sorted(o.items())) for o in LBFGS_CASES])
def test_lbfgs_matches_torch(options, torch64):
    start = np.array([-1.2, 1.0, 0.5, -0.3, 0.8])
    ours = ag.tensor(start[:3].copy(), requires_grad=True)
    ours2 = ag.tensor(start[3:].copy(), requires_grad=True)
    theirs = torch64.tensor(start[:3].copy(), requires_grad=True)
    theirs2 = torch64.tensor(start[3:].copy(), requires_grad=True)
    opt, ref = optim.LBFGS([ours, ours2], **options), torch64.optim.LBFGS([theirs, theirs2],
                                                                          **options)
    # Both closures take the loss and gradient from the same numpy function, on a convex bowl:
    # on an ill-conditioned valley (Rosenbrock's) a hundred quasi-Newton iterations turn
    # one-ulp differences (a dot product summed in another order) into visible ones, which
    # would hide what is compared here, the algorithm.

    def mine():
        loss, grad = _bowl_and_grad(np.concatenate([ours.numpy(), ours2.numpy()]))
        ours.grad, ours2.grad = ag.tensor(grad[:3]), ag.tensor(grad[3:])
        return ag.tensor(np.array(loss))

    def torchs():
        x = np.concatenate([theirs.detach().numpy(), theirs2.detach().numpy()])
        loss, grad = _bowl_and_grad(x)
        theirs.grad, theirs2.grad = torch64.tensor(grad[:3]), torch64.tensor(grad[3:])
        return torch64.tensor(loss)

    for _ in range(5):
        got, want = opt.step(mine), ref.step(torchs)
        assert got.item() == pytest.approx(want.item(), rel=1e-10)
        for p, q in zip([ours, ours2], [theirs, theirs2]):
            np.testing.assert_allclose(p.numpy(), q.detach().numpy(), rtol=1e-10, atol=1e-13)
        mine_state, torch_state = opt.state[ours], ref.state[theirs]
        assert set(mine_state) == set(torch_state)
        for key in ("func_evals", "n_iter"):
            assert mine_state[key] == torch_state[key]
        np.testing.assert_allclose(mine_state["d"], torch_state["d"].numpy(), rtol=1e-8,
                                   atol=1e-12)


def test_lbfgs_saves_loads_and_refuses_as_torch():
    t = torch()
    w = ag.tensor(np.array([-1.2, 1.0, 0.5]), requires_grad=True)
    opt = optim.LBFGS([w], history_size=4, line_search_fn="strong_wolfe")

    def closure(param=w, optimizer=None):
        (optimizer or opt).zero_grad()
        loss = _rosenbrock(param)
        loss.backward()
        return loss

    opt.step(closure)
    saved = opt.state_dict()
    twin = ag.tensor(w.numpy().copy(), requires_grad=True)
    fresh = optim.LBFGS([twin])
    fresh.load_state_dict(saved)
    assert fresh.param_groups[0]["history_size"] == 4
    opt.step(closure)
    fresh.step(lambda: closure(twin, fresh))
    np.testing.assert_array_equal(w.numpy(), twin.numpy())
    with pytest.raises(ValueError, match="elements"):
        optim.LBFGS([ag.tensor([1.0, 2.0], requires_grad=True)]).load_state_dict(saved)
    a, b = ag.tensor([1.0], requires_grad=True), ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="parameter groups"):
        t.optim.LBFGS([{"params": [t.zeros(1, requires_grad=True)]},
                       {"params": [t.zeros(1, requires_grad=True)]}])
    with pytest.raises(ValueError, match="parameter groups"):
        optim.LBFGS([{"params": [a]}, {"params": [b]}])
    with pytest.raises(RuntimeError, match="strong_wolfe"):
        optim.LBFGS([a], line_search_fn="armijo")
    with pytest.raises(TypeError):
        optim.LBFGS([a]).step()


def test_adafactor_factors_the_last_two_axes_as_torch(torch64):
    rng = np.random.default_rng(11)
    start = rng.standard_normal((2, 3, 4))
    ours = ag.tensor(start.copy(), requires_grad=True)
    theirs = torch64.tensor(start.copy(), requires_grad=True)
    opt, ref = optim.Adafactor([ours], lr=0.05), torch64.optim.Adafactor([theirs], lr=0.05)
    for _ in range(20):
        g = rng.standard_normal(start.shape)
        ours.grad, theirs.grad = ag.tensor(g.copy()), torch64.tensor(g.copy())
        opt.step()
        ref.step()
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-10)
    for key in ("row_var", "col_var"):
        np.testing.assert_allclose(opt.state[ours][key], ref.state[theirs][key].numpy(),
                                   rtol=1e-10)


FLOAT32 = [("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)), ("Adam", dict(lr=0.01)),
           ("AdamW", dict(lr=0.01, amsgrad=True)), ("RMSprop", dict(centered=True)),
           ("Adagrad", dict(lr=0.1)), ("Adadelta", dict()), ("Adamax", dict()),
           ("NAdam", dict()), ("RAdam", dict()), ("ASGD", dict(t0=5)), ("Rprop", dict()),
           ("Adafactor", dict())]


@pytest.mark.parametrize("name, options", FLOAT32, ids=[n for n, _ in FLOAT32])
def test_float32_parameters_stay_float32_and_match_torch(name, options):
    t = torch()
    rng = np.random.default_rng(7)
    starts = [rng.standard_normal((3, 4)).astype(np.float32),
              rng.standard_normal(5).astype(np.float32)]
    ours = [ag.tensor(v.copy(), requires_grad=True) for v in starts]
    theirs = [t.tensor(v.copy(), requires_grad=True) for v in starts]
    opt, ref = getattr(optim, name)(ours, **options), getattr(t.optim, name)(theirs, **options)
    for _ in range(20):
        for p, q in zip(ours, theirs):
            g = rng.standard_normal(p.shape).astype(np.float32)
            p.grad, q.grad = ag.tensor(g.copy()), t.tensor(g.copy())
        opt.step()
        ref.step()
    for p, q in zip(ours, theirs):
        assert p.dtype == np.float32
        np.testing.assert_allclose(p.numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", STEPPED)
def test_a_schedule_changing_lr_mid_run_matches_torch(name, torch64):
    """Each optimizer reads the group's lr at every step (ASGD's eta and Rprop's step sizes
    only start from it), as torch's do."""
    rng = np.random.default_rng(13)
    start = rng.standard_normal((4, 3))
    ours = ag.tensor(start.copy(), requires_grad=True)
    theirs = torch64.tensor(start.copy(), requires_grad=True)
    options = {"weight_decay": 0.05} if name not in ("Rprop",) else {}
    opt = getattr(optim, name)([ours], lr=0.05, **options)
    ref = getattr(torch64.optim, name)([theirs], lr=0.05, **options)
    ours_sched = optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
    their_sched = torch64.optim.lr_scheduler.StepLR(ref, step_size=4, gamma=0.5)
    for _ in range(24):
        g = rng.standard_normal(start.shape)
        ours.grad, theirs.grad = ag.tensor(g.copy()), torch64.tensor(g.copy())
        opt.step()
        ref.step()
        ours_sched.step()
        their_sched.step()
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("name", STEPPED)
def test_a_torch_optimizer_state_dict_loads_here_and_continues_the_same(name, torch64):
    rng = np.random.default_rng(17)
    start = rng.standard_normal((3, 2))
    theirs = torch64.tensor(start.copy(), requires_grad=True)
    ref = getattr(torch64.optim, name)([theirs], lr=0.02)
    grads = [rng.standard_normal(start.shape) for _ in range(10)]
    for g in grads[:5]:
        theirs.grad = torch64.tensor(g.copy())
        ref.step()
    ours = ag.tensor(theirs.detach().numpy().copy(), requires_grad=True)
    opt = getattr(optim, name)([ours])  # default options: the saved ones replace them
    opt.load_state_dict(ref.state_dict())
    assert opt.param_groups[0]["lr"] == 0.02
    for g in grads[5:]:
        theirs.grad, ours.grad = torch64.tensor(g.copy()), ag.tensor(g.copy())
        ref.step()
        opt.step()
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-10, atol=1e-13)



def _hook_log(lib, params, log):
    """One optimizer of ``lib`` with every kind of hook, each writing what it saw into log."""
    opt = lib.optim.SGD(params, lr=0.1)
    opt.register_step_pre_hook(lambda o, args, kwargs: log.append(("pre", len(args), kwargs)))
    opt.register_step_post_hook(lambda o, args, kwargs: log.append(("post", len(args))))
    opt.register_state_dict_pre_hook(lambda o: log.append("sd-pre"))
    opt.register_state_dict_post_hook(lambda o, sd: log.append("sd-post-2"))
    opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1}, prepend=True)
    opt.register_load_state_dict_pre_hook(lambda o, sd: log.append("load-pre"))
    opt.register_load_state_dict_post_hook(lambda o: log.append("load-post"))
    return opt


def test_hooks_run_as_torchs():
    t = torch()
    mine, theirs = [], []
    w, v = ag.tensor([1.0], requires_grad=True), t.tensor([1.0], requires_grad=True)
    opt, ref = _hook_log(ag_module(), [w], mine), _hook_log(t, [v], theirs)
    w.grad, v.grad = ag.tensor([1.0]), t.tensor([1.0])
    opt.step()
    ref.step()
    opt.step(closure=None)
    ref.step(closure=None)
    saved, saved_t = opt.state_dict(), ref.state_dict()
    assert saved["extra"] == saved_t["extra"] == 1
    opt.load_state_dict({k: v for k, v in saved.items() if k != "extra"})
    ref.load_state_dict({k: v for k, v in saved_t.items() if k != "extra"})
    assert mine == theirs
    # a pre-hook may replace the arguments; a removed hook is gone
    handle = opt.register_step_pre_hook(lambda o, args, kwargs: (args, {"closure": lambda: 7}))
    assert opt.step() == 7
    handle.remove()
    assert opt.step() is None
    with pytest.raises(RuntimeError, match="must return None or a tuple"):
        with opt.register_step_pre_hook(lambda o, args, kwargs: "bad"):
            opt.step()
    assert opt.step() is None  # the with block removed it


def ag_module():
    """autograd in the role of torch, with optim beside it, for _hook_log."""
    import types

    return types.SimpleNamespace(optim=optim)


def test_lbfgs_steps_run_the_hooks_once():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.LBFGS([w], max_iter=3)
    seen = []
    opt.register_step_pre_hook(lambda o, args, kwargs: seen.append("pre"))
    opt.register_step_post_hook(lambda o, args, kwargs: seen.append("post"))

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    assert seen == ["pre", "post"]
