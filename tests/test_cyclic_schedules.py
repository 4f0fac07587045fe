"""LambdaLR and OneCycleLR: the learning-rate and momentum sequences against PyTorch's, resuming,
saving, and the errors."""

import math

import numpy as np
import pytest

import autograd as ag
import optim
from optim import LambdaLR, OneCycleLR


def make(kind="sgd", lrs=(0.1, 0.03), **options):
    groups = [{"params": [ag.tensor([1.0], requires_grad=True)], "lr": lr} for lr in lrs]
    return {"sgd": optim.SGD, "adam": optim.Adam, "rmsprop": optim.RMSprop,
            "adagrad": optim.Adagrad}[kind](groups, **options)


def make_torch(torch, kind="sgd", lrs=(0.1, 0.03), **options):
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    return {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[kind](groups, **options)


def momentum_of(group):
    return group["betas"][0] if "betas" in group else group.get("momentum")


def run(optimizer, scheduler, steps):
    """Each group's (lr, momentum) after creation and after each of ``steps`` steps."""
    record = [[(g["lr"], momentum_of(g)) for g in optimizer.param_groups]]
    for _ in range(steps):
        optimizer.step()  # torch warns when a schedule steps before its optimizer
        scheduler.step()
        record.append([(g["lr"], momentum_of(g)) for g in optimizer.param_groups])
    return record


def assert_same(ours, theirs):
    assert len(ours) == len(theirs)
    for step, (a, b) in enumerate(zip(ours, theirs)):
        for (lr_a, m_a), (lr_b, m_b) in zip(a, b):
            assert lr_a == pytest.approx(lr_b, rel=1e-12, abs=1e-18), f"lr at step {step}"
            assert m_a == pytest.approx(m_b, rel=1e-12), f"momentum at step {step}"


ONE_CYCLE_SETTINGS = [
    ("defaults", "sgd", dict(max_lr=1.0, total_steps=50)),
    ("linear", "sgd", dict(max_lr=0.5, total_steps=37, anneal_strategy="linear")),
    ("three_phase", "sgd", dict(max_lr=0.8, total_steps=40, three_phase=True)),
    ("three_phase linear", "sgd", dict(max_lr=0.8, total_steps=33, three_phase=True,
                                       anneal_strategy="linear", pct_start=0.25)),
    ("epochs x steps", "sgd", dict(max_lr=[0.4, 0.2], epochs=4, steps_per_epoch=7,
                                   pct_start=0.4, div_factor=10.0, final_div_factor=100.0)),
    ("per-group momenta", "sgd", dict(max_lr=1.0, total_steps=20, base_momentum=[0.8, 0.7],
                                      max_momentum=(0.9, 0.99))),
    ("adam betas", "adam", dict(max_lr=0.01, total_steps=30)),
    ("adam three_phase", "adam", dict(max_lr=0.01, total_steps=30, three_phase=True,
                                      base_momentum=0.8, max_momentum=0.9)),
    ("no momentum cycling", "sgd", dict(max_lr=0.3, total_steps=25, cycle_momentum=False)),
    ("one step", "sgd", dict(max_lr=0.3, total_steps=1)),
]


@pytest.mark.parametrize("kind, options", [s[1:] for s in ONE_CYCLE_SETTINGS],
                         ids=[s[0] for s in ONE_CYCLE_SETTINGS])
def test_one_cycle_matches_torch_at_every_step(kind, options):
    torch = pytest.importorskip("torch")
    opt = make(kind, momentum=0.5) if kind == "sgd" else make(kind)
    topt = make_torch(torch, kind, momentum=0.5) if kind == "sgd" else make_torch(torch, kind)
    sched, tsched = OneCycleLR(opt, **options), torch.optim.lr_scheduler.OneCycleLR(topt, **options)
    total = tsched.total_steps
    assert_same(run(opt, sched, total - 1), run(topt, tsched, total - 1))
    for key in ("initial_lr", "max_lr", "min_lr"):
        assert [g[key] for g in opt.param_groups] == pytest.approx(
            [g[key] for g in topt.param_groups], rel=1e-15)
    assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12)


def test_one_cycle_refuses_to_step_past_the_cycle_like_torch():
    torch = pytest.importorskip("torch")
    opt, topt = make(momentum=0.9), make_torch(torch, momentum=0.9)
    sched = OneCycleLR(opt, max_lr=1.0, total_steps=5)
    tsched = torch.optim.lr_scheduler.OneCycleLR(topt, max_lr=1.0, total_steps=5)
    assert_same(run(opt, sched, 5), run(topt, tsched, 5))  # step total_steps itself is allowed
    with pytest.raises(ValueError, match="step 6 times"):
        tsched.step()
    with pytest.raises(ValueError, match="stepped 6 times.*total_steps=5"):
        sched.step()


def test_one_cycle_shape_without_torch():
    opt = make(lrs=(1.0,), momentum=0.9)
    sched = OneCycleLR(opt, max_lr=2.0, total_steps=10, pct_start=0.3)
    lrs = [lr for ((lr, _),) in run(opt, sched, 9)]
    assert lrs[0] == pytest.approx(2.0 / 25)
    assert lrs[2] == pytest.approx(2.0) and max(lrs) == lrs[2]
    assert lrs[-1] == pytest.approx(2.0 / 25 / 1e4)
    assert opt.param_groups[0]["momentum"] == pytest.approx(0.95)
    rms = make("rmsprop")
    OneCycleLR(rms, max_lr=0.1, total_steps=4)
    assert rms.param_groups[0]["momentum"] == 0.95


@pytest.mark.parametrize("factory, fragment", [
    (lambda o: OneCycleLR(o, max_lr=1.0), "total_steps, or both epochs"),
    (lambda o: OneCycleLR(o, max_lr=1.0, total_steps=0), "total_steps, but got 0"),
    (lambda o: OneCycleLR(o, max_lr=1.0, epochs=2, steps_per_epoch=1.5), "steps_per_epoch"),
    (lambda o: OneCycleLR(o, max_lr=1.0, total_steps=9, pct_start=1.5), "pct_start"),
    (lambda o: OneCycleLR(o, max_lr=1.0, total_steps=9, pct_start=0), "pct_start"),
    (lambda o: OneCycleLR(o, max_lr=1.0, total_steps=9, anneal_strategy="exp"), "'exp'"),
    (lambda o: OneCycleLR(o, max_lr=[1.0], total_steps=9), "expected 2, received 1"),
    (lambda o: OneCycleLR(make("adagrad"), max_lr=1.0, total_steps=9), "cycle_momentum=False"),
    (lambda o: OneCycleLR(o, max_lr=1.0, total_steps=9, div_factor=0), "div_factor"),
    (lambda o: LambdaLR(o, [lambda e: 1.0]), "one lr_lambda per parameter group: 2"),
    (lambda o: LambdaLR(o, 0.5), "function of the epoch"),
    (lambda o: LambdaLR(o, lambda e: 1.0, last_epoch=-2), "last_epoch"),
])
def test_invalid_arguments_are_refused(factory, fragment):
    with pytest.raises((ValueError, TypeError), match=fragment):
        factory(make())


def test_one_cycle_works_with_adagrad_without_momentum_cycling():
    opt = make("adagrad")
    OneCycleLR(opt, max_lr=1.0, total_steps=9, cycle_momentum=False)
    assert "momentum" not in opt.param_groups[0]


# --- LambdaLR ---


LAMBDA_SETTINGS = [
    ("one function", lambda: lambda epoch: 0.95**epoch),
    ("one per group", lambda: [lambda epoch: 1 / (epoch + 1), lambda epoch: min(1.0, epoch / 5)]),
    ("warm-up then cosine", lambda: lambda e: (e + 1) / 5 if e < 4
     else 0.5 * (1 + math.cos(math.pi * (e - 4) / 16))),
]


@pytest.mark.parametrize("lr_lambda", [s[1] for s in LAMBDA_SETTINGS],
                         ids=[s[0] for s in LAMBDA_SETTINGS])
def test_lambda_matches_torch(lr_lambda):
    torch = pytest.importorskip("torch")
    opt, topt = make(), make_torch(torch)
    sched = LambdaLR(opt, lr_lambda())
    tsched = torch.optim.lr_scheduler.LambdaLR(topt, lr_lambda())
    assert_same(run(opt, sched, 25), run(topt, tsched, 25))
    assert sched.base_lrs == [0.1, 0.03]


def test_lambda_closed_form_without_torch():
    opt = make()
    sched = LambdaLR(opt, lambda epoch: 0.5**epoch)
    lrs = [lr for lr, _ in (pair[0] for pair in run(opt, sched, 6))]
    assert lrs == pytest.approx([0.1 * 0.5**e for e in range(7)], rel=1e-15)


def test_lambda_resumes_with_last_epoch_and_needs_initial_lr():
    opt = make()
    LambdaLR(opt, lambda e: 0.9**e)
    resumed = LambdaLR(opt, lambda e: 0.9**e, last_epoch=4)
    assert resumed.last_epoch == 5
    assert [g["lr"] for g in opt.param_groups] == pytest.approx([0.1 * 0.9**5, 0.03 * 0.9**5])
    with pytest.raises(KeyError, match="initial_lr"):
        LambdaLR(make(), lambda e: 1.0, last_epoch=3)


def test_one_cycle_resumes_with_last_epoch():
    opt = make(momentum=0.9)
    sched = OneCycleLR(opt, max_lr=1.0, total_steps=20)
    want = run(opt, sched, 12)[-1]
    twin = make(momentum=0.9)
    twin.load_state_dict(opt.state_dict())
    resumed = OneCycleLR(twin, max_lr=1.0, total_steps=20, last_epoch=11)
    assert resumed.last_epoch == 12
    # pytest.approx compares flat sequences of numbers, not nested tuples (pytest 9 refuses those)
    got = [x for g in twin.param_groups for x in (g["lr"], momentum_of(g))]
    assert got == pytest.approx([x for pair in want for x in pair])


class Decay:
    """A callable object: its attributes are saved by LambdaLR.state_dict."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate**epoch


def test_lambda_state_dict_saves_callable_objects_not_functions():
    opt = make()
    sched = LambdaLR(opt, [Decay(0.5), lambda e: 1.0])
    run(opt, sched, 3)
    saved = sched.state_dict()
    assert saved["lr_lambdas"] == [{"rate": 0.5}, None] and saved["last_epoch"] == 3
    twin_decay = Decay(0.1)
    twin = LambdaLR(make(), [twin_decay, lambda e: 1.0])
    twin.load_state_dict(saved)
    assert twin_decay.rate == 0.5 and twin.last_epoch == 3
    assert callable(twin.lr_lambdas[1])
    twin.step()
    assert twin.get_last_lr() == pytest.approx([0.1 * 0.5**4, 0.03])


def test_one_cycle_state_dict_round_trip():
    opt = make(momentum=0.9)
    sched = OneCycleLR(opt, max_lr=1.0, total_steps=30, three_phase=True)
    run(opt, sched, 7)
    twin_opt = make(momentum=0.9)
    twin = OneCycleLR(twin_opt, max_lr=1.0, total_steps=30, three_phase=True)
    twin_opt.load_state_dict(opt.state_dict())
    twin.load_state_dict(sched.state_dict())
    assert run(twin_opt, twin, 10) == run(opt, sched, 10)
    assert np.isfinite(twin.get_last_lr()).all()
