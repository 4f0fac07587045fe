"""Learning-rate schedules: 30 epochs against PyTorch's closed forms, chaining, plateaus, saving."""

import math
from bisect import bisect_right

import numpy as np
import pytest

import autograd as ag
import optim
from optim import (
    CosineAnnealingLR,
    ExponentialLR,
    LinearLR,
    MultiStepLR,
    ReduceLROnPlateau,
    StepLR,
)

BASE_LRS = [0.1, 0.03]


def make_optimizer(lrs=BASE_LRS):
    groups = [{"params": [ag.tensor([1.0], requires_grad=True)], "lr": lr} for lr in lrs]
    return optim.SGD(groups, lr=1.0)


def sequence(optimizer, schedulers, epochs=30):
    """Each group's learning rate at epochs 0 .. epochs - 1 (one step per epoch)."""
    lrs = [[g["lr"] for g in optimizer.param_groups]]
    for _ in range(epochs - 1):
        optimizer.step()
        for s in schedulers:
            s.step()
        lrs.append([g["lr"] for g in optimizer.param_groups])
    assert schedulers[-1].get_last_lr() == lrs[-1]
    return lrs


def linear_factor(e, start, end, total):
    return start + (end - start) * min(e, total) / total


CLOSED_FORMS = [
    ("StepLR", lambda o: StepLR(o, step_size=4, gamma=0.5),
     lambda base, e: base * 0.5 ** (e // 4)),
    ("MultiStepLR", lambda o: MultiStepLR(o, milestones=[20, 3, 10, 10], gamma=0.3),
     lambda base, e: base * 0.3 ** bisect_right([3, 10, 10, 20], e)),
    ("ExponentialLR", lambda o: ExponentialLR(o, gamma=0.9),
     lambda base, e: base * 0.9**e),
    ("CosineAnnealingLR", lambda o: CosineAnnealingLR(o, T_max=10, eta_min=0.001),
     lambda base, e: 0.001 + (base - 0.001) * (1 + math.cos(math.pi * e / 10)) / 2),
    ("LinearLR", lambda o: LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=8),
     lambda base, e: base * linear_factor(e, 0.1, 0.9, 8)),
    ("LinearLR-defaults", lambda o: LinearLR(o),
     lambda base, e: base * linear_factor(e, 1 / 3, 1.0, 5)),
    ("chained StepLR+ExponentialLR",
     lambda o: [StepLR(o, step_size=5, gamma=0.5), ExponentialLR(o, gamma=0.95)],
     lambda base, e: base * 0.5 ** (e // 5) * 0.95**e),
    ("chained LinearLR warm-up+ExponentialLR",
     lambda o: [LinearLR(o, start_factor=0.2, total_iters=4), ExponentialLR(o, gamma=0.9)],
     lambda base, e: base * linear_factor(e, 0.2, 1.0, 4) * 0.9**e),
]


@pytest.mark.parametrize("make, closed_form", [c[1:] for c in CLOSED_FORMS],
                         ids=[c[0] for c in CLOSED_FORMS])
def test_thirty_epochs_match_the_closed_form(make, closed_form):
    opt = make_optimizer()
    made = make(opt)
    schedulers = made if isinstance(made, list) else [made]
    got = sequence(opt, schedulers)
    for e, lrs in enumerate(got):
        want = [closed_form(base, e) for base in BASE_LRS]
        assert lrs == pytest.approx(want, rel=1e-12, abs=1e-15), f"epoch {e}"
    assert schedulers[0].base_lrs == BASE_LRS
    assert [g["initial_lr"] for g in opt.param_groups] == BASE_LRS


def test_get_last_lr_is_a_copy():
    opt = make_optimizer()
    sched = ExponentialLR(opt, gamma=0.5)
    last = sched.get_last_lr()
    last[0] = 123.0
    assert sched.get_last_lr() == BASE_LRS


def test_state_dict_round_trip_continues_the_same_sequence():
    opt = make_optimizer()
    sched = CosineAnnealingLR(opt, T_max=7, eta_min=0.01)
    sequence(opt, [sched], epochs=9)
    saved_opt, saved_sched = opt.state_dict(), sched.state_dict()
    assert all(isinstance(v, (int, float, list)) for v in saved_sched.values())
    twin = make_optimizer([9.0, 9.0])
    twin_sched = CosineAnnealingLR(twin, T_max=7, eta_min=0.01)
    twin.load_state_dict(saved_opt)
    twin_sched.load_state_dict(saved_sched)
    assert sequence(twin, [twin_sched], epochs=20) == sequence(opt, [sched], epochs=20)
    with pytest.raises(ValueError, match="unexpected entries"):
        StepLR(make_optimizer(), step_size=2).load_state_dict(saved_sched)


# --- ReduceLROnPlateau ---


def plateau_lrs(metrics, **options):
    opt = make_optimizer([1.0])
    sched = ReduceLROnPlateau(opt, **options)
    lrs = []
    for m in metrics:
        sched.step(m)
        lrs.append(sched.get_last_lr()[0])
    return lrs


def test_plateau_waits_patience_epochs_then_reduces():
    metrics = [1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8]
    assert plateau_lrs(metrics, patience=2, factor=0.5) == [
        1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25]


def test_plateau_cooldown_ignores_bad_epochs_after_a_reduction():
    lrs = plateau_lrs([1.0] * 9, patience=0, cooldown=2, factor=0.5)
    assert lrs == [1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125]


@pytest.mark.parametrize("mode, threshold_mode, threshold, second, reduced", [
    ("min", "rel", 0.1, 0.95, True),    # 0.95 is not below 1.0 * (1 - 0.1)
    ("min", "rel", 0.01, 0.95, False),
    ("min", "abs", 0.01, 0.95, False),  # 0.95 is below 1.0 - 0.01
    ("min", "abs", 0.1, 0.95, True),
    ("max", "rel", 0.1, 1.05, True),    # 1.05 is not above 1.0 * (1 + 0.1)
    ("max", "abs", 0.01, 1.05, False),
])
def test_plateau_threshold(mode, threshold_mode, threshold, second, reduced):
    lrs = plateau_lrs([1.0, second], mode=mode, threshold_mode=threshold_mode,
                      threshold=threshold, patience=0, factor=0.5)
    assert lrs[-1] == (0.5 if reduced else 1.0)


def test_plateau_floor_eps_and_metric_kinds():
    lrs = plateau_lrs([1.0, 2.0, 3.0, 4.0], patience=0, factor=0.1, min_lr=0.05)
    assert lrs == [1.0, 0.1, 0.05, 0.05]
    assert plateau_lrs([1.0, 1.0], patience=0, factor=0.5, eps=0.6) == [1.0, 1.0]
    opt = make_optimizer()
    sched = ReduceLROnPlateau(opt, patience=0, min_lr=[0.0, 0.02])
    for metric in (ag.tensor(1.0), ag.Scalar(2.0), np.float32(3.0)):
        sched.step(metric)
    assert sched.get_last_lr() == pytest.approx([0.001, 0.02])
    saved = sched.state_dict()
    assert saved["best"] == 1.0 and saved["last_epoch"] == 3


# --- errors ---


@pytest.mark.parametrize("make, error, fragment", [
    (lambda o: StepLR(o, step_size=0), ValueError, "step_size: 0"),
    (lambda o: MultiStepLR(o, milestones=[2, 0]), ValueError, "milestones: 0"),
    (lambda o: CosineAnnealingLR(o, T_max=0), ValueError, "T_max: 0"),
    (lambda o: LinearLR(o, start_factor=0), ValueError, "start_factor: 0"),
    (lambda o: LinearLR(o, end_factor=1.5), ValueError, "end_factor: 1.5"),
    (lambda o: LinearLR(o, total_iters=2.5), ValueError, "total_iters: 2.5"),
    (lambda o: ReduceLROnPlateau(o, mode="avg"), ValueError, "mode: 'avg'"),
    (lambda o: ReduceLROnPlateau(o, factor=1.0), ValueError, "factor: 1.0"),
    (lambda o: ReduceLROnPlateau(o, patience=-1), ValueError, "patience: -1"),
    (lambda o: ReduceLROnPlateau(o, threshold_mode="pct"), ValueError, "threshold_mode"),
    (lambda o: ReduceLROnPlateau(o, threshold=-0.1), ValueError, "threshold value: -0.1"),
    (lambda o: ReduceLROnPlateau(o, min_lr=[0.1]), ValueError, "1 values for 2"),
    (lambda o: StepLR("sgd", step_size=2), TypeError, "expected an optimizer"),
    (lambda o: ExponentialLR(optim.Adam(0.1), gamma=0.9), RuntimeError, "no parameters yet"),
    (lambda o: ReduceLROnPlateau(optim.Adam(0.1)), RuntimeError, "no parameters yet"),
])
def test_invalid_schedules_are_refused(make, error, fragment):
    with pytest.raises(error, match=fragment):
        make(make_optimizer())
