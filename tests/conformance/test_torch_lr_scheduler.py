"""``optim.lr_scheduler`` against ``torch.optim.lr_scheduler``: 30 epochs of learning rates.

The same schedule, on an optimizer with two groups (different learning rates), stepped the same
way; every group's rate (and, for OneCycleLR, momentum) must agree at every epoch.
"""

import math
import warnings

import numpy as np
import pytest

import autograd as ag
import optim
from tests.conformance.borrowed import torch

EPOCHS = 30
LRS = [0.1, 0.03]


def _pair(t, optimizer="SGD", **options):
    groups = [{"params": [ag.tensor([1.0], requires_grad=True)], "lr": lr} for lr in LRS]
    theirs = [{"params": [t.tensor([1.0], requires_grad=True)], "lr": lr} for lr in LRS]
    return (getattr(optim, optimizer)(groups, lr=1.0, **options),
            getattr(t.optim, optimizer)(theirs, lr=1.0, **options))


def _state(opt, key):
    return [g[key] if key != "betas" else g["betas"][0] for g in opt.param_groups]


# name, factory(lr_scheduler module, optimizer) -> list of schedules, optimizer and options
SCHEDULES = [
    ("StepLR", lambda s, o: [s.StepLR(o, step_size=4, gamma=0.5)], "SGD", {}),
    ("StepLR-default-gamma", lambda s, o: [s.StepLR(o, 3)], "SGD", {}),
    ("MultiStepLR", lambda s, o: [s.MultiStepLR(o, milestones=[20, 3, 10, 10], gamma=0.3)],
     "SGD", {}),
    ("ExponentialLR", lambda s, o: [s.ExponentialLR(o, gamma=0.9)], "SGD", {}),
    ("CosineAnnealingLR", lambda s, o: [s.CosineAnnealingLR(o, T_max=7, eta_min=0.001)],
     "SGD", {}),
    ("CosineAnnealingLR-default", lambda s, o: [s.CosineAnnealingLR(o, 10)], "SGD", {}),
    ("LinearLR", lambda s, o: [s.LinearLR(o, start_factor=0.1, end_factor=0.9,
                                          total_iters=8)], "SGD", {}),
    ("LinearLR-default", lambda s, o: [s.LinearLR(o)], "SGD", {}),
    ("LambdaLR", lambda s, o: [s.LambdaLR(o, lr_lambda=lambda e: 1 / (1 + 0.3 * e))],
     "SGD", {}),
    ("LambdaLR-per-group", lambda s, o: [s.LambdaLR(o, [lambda e: 0.9**e,
                                                        lambda e: 1 + e % 3])], "SGD", {}),
    ("chain StepLR+ExponentialLR", lambda s, o: [s.StepLR(o, 5, 0.5), s.ExponentialLR(o, 0.95)],
     "SGD", {}),
    ("chain LinearLR+CosineAnnealingLR",
     lambda s, o: [s.LinearLR(o, 0.2, total_iters=4), s.CosineAnnealingLR(o, T_max=12)],
     "SGD", {}),
    ("MultiplicativeLR", lambda s, o: [s.MultiplicativeLR(o, lambda e: 0.95 if e % 2 else 1.1)],
     "SGD", {}),
    ("ConstantLR", lambda s, o: [s.ConstantLR(o)], "SGD", {}),
    ("ConstantLR-custom", lambda s, o: [s.ConstantLR(o, factor=0.25, total_iters=7)], "SGD", {}),
    ("PolynomialLR", lambda s, o: [s.PolynomialLR(o)], "SGD", {}),
    ("PolynomialLR-power", lambda s, o: [s.PolynomialLR(o, total_iters=20, power=2.5)],
     "SGD", {}),
    ("CosineAnnealingWarmRestarts", lambda s, o: [s.CosineAnnealingWarmRestarts(o, T_0=4)],
     "SGD", {}),
    ("CosineAnnealingWarmRestarts-mult",
     lambda s, o: [s.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001)], "SGD", {}),
    ("ChainedScheduler",
     lambda s, o: [s.ChainedScheduler([s.ConstantLR(o, 0.5, 4), s.ExponentialLR(o, 0.9),
                                       s.PolynomialLR(o, 25, 0.5)])], "SGD", {}),
    ("SequentialLR-warmup-cosine",
     lambda s, o: [s.SequentialLR(o, [s.LinearLR(o, 0.1, total_iters=5),
                                      s.CosineAnnealingLR(o, T_max=20, eta_min=0.001)], [5])],
     "SGD", {}),
    ("SequentialLR-three",
     lambda s, o: [s.SequentialLR(o, [s.ConstantLR(o, 0.5, 3), s.StepLR(o, 4, 0.5),
                                      s.MultiStepLR(o, [3, 6]), s.PolynomialLR(o, 8, 2.0)],
                                  [4, 12, 20])], "SGD", {}),
    ("SequentialLR-lambda-exp-restarts",
     lambda s, o: [s.SequentialLR(o, [s.ExponentialLR(o, 0.8), s.MultiplicativeLR(o, lambda e: 0.9),
                                      s.CosineAnnealingWarmRestarts(o, 3)], [6, 14])],
     "SGD", {}),
    ("CyclicLR", lambda s, o: [s.CyclicLR(o, 0.01, 0.1, step_size_up=4)],
     "SGD", {"momentum": 0.9}),
    ("CyclicLR-triangular2-uneven",
     lambda s, o: [s.CyclicLR(o, [0.01, 0.02], [0.1, 0.3], step_size_up=3, step_size_down=5,
                              mode="triangular2", base_momentum=[0.7, 0.8], max_momentum=0.95)],
     "SGD", {"momentum": 0.9}),
    ("CyclicLR-exp_range-Adam",
     lambda s, o: [s.CyclicLR(o, 0.001, 0.01, step_size_up=5, mode="exp_range", gamma=0.97)],
     "Adam", {}),
    ("CyclicLR-scale_fn-iterations",
     lambda s, o: [s.CyclicLR(o, 0.001, 0.01, step_size_up=2, scale_fn=lambda x: 1 / (1 + x),
                              scale_mode="iterations", cycle_momentum=False)], "SGD", {}),
    ("OneCycleLR-SGD", lambda s, o: [s.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=EPOCHS)],
     "SGD", {"momentum": 0.9}),
    ("OneCycleLR-linear-three-phase",
     lambda s, o: [s.OneCycleLR(o, max_lr=0.8, epochs=3, steps_per_epoch=10,
                                anneal_strategy="linear", three_phase=True, pct_start=0.25,
                                div_factor=10.0, final_div_factor=100.0)],
     "SGD", {"momentum": 0.9}),
    ("OneCycleLR-Adam", lambda s, o: [s.OneCycleLR(o, max_lr=0.01, total_steps=EPOCHS,
                                                   base_momentum=0.8, max_momentum=0.9)],
     "Adam", {}),
]


@pytest.mark.parametrize("name, make, optimizer, options", SCHEDULES,
                         ids=[s[0] for s in SCHEDULES])
def test_learning_rates_match_torch(name, make, optimizer, options):
    t = torch()
    ours_opt, their_opt = _pair(t, optimizer, **options)
    ours, theirs = make(optim.lr_scheduler, ours_opt), make(t.optim.lr_scheduler, their_opt)
    momentum = "betas" if optimizer == "Adam" else "momentum" if options else None
    for epoch in range(EPOCHS):
        np.testing.assert_allclose(_state(ours_opt, "lr"), _state(their_opt, "lr"),
                                   rtol=1e-12, err_msg=f"{name} epoch {epoch}")
        assert ours[-1].get_last_lr() == pytest.approx(theirs[-1].get_last_lr(), rel=1e-12)
        if momentum:
            np.testing.assert_allclose(_state(ours_opt, momentum), _state(their_opt, momentum),
                                       rtol=1e-12, err_msg=f"{name} momentum {epoch}")
        if epoch == EPOCHS - 1:
            break
        ours_opt.step()
        their_opt.step()
        with warnings.catch_warnings():  # torch warns about the empty step; not our concern
            warnings.simplefilter("ignore")
            for ours_s, their_s in zip(ours, theirs):
                ours_s.step()
                their_s.step()


PLATEAU = [
    dict(),
    dict(mode="max", factor=0.5, patience=2, threshold=0.01, threshold_mode="abs", cooldown=2),
    dict(factor=0.5, patience=1, min_lr=[0.02, 0.001], eps=1e-3),
]


@pytest.mark.parametrize("options", PLATEAU, ids=[str(sorted(o)) for o in PLATEAU])
def test_reduce_on_plateau_matches_torch(options):
    t = torch()
    ours_opt, their_opt = _pair(t)
    ours = optim.lr_scheduler.ReduceLROnPlateau(ours_opt, **options)
    theirs = t.optim.lr_scheduler.ReduceLROnPlateau(their_opt, **options)
    metrics = [1.0 / (1 + e) if e < 8 else 0.11 + 0.001 * math.sin(e) for e in range(EPOCHS)]
    for metric in metrics:
        ours.step(metric)
        theirs.step(metric)
        np.testing.assert_allclose(_state(ours_opt, "lr"), _state(their_opt, "lr"), rtol=1e-12)
        assert ours.num_bad_epochs == theirs.num_bad_epochs
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12)


RESUMABLE = [
    ("StepLR", lambda s, o, last: s.StepLR(o, 3, 0.5, last_epoch=last)),
    ("MultiStepLR", lambda s, o, last: s.MultiStepLR(o, [4, 9], last_epoch=last)),
    ("ExponentialLR", lambda s, o, last: s.ExponentialLR(o, 0.8, last_epoch=last)),
    ("CosineAnnealingLR", lambda s, o, last: s.CosineAnnealingLR(o, 6, 0.01, last_epoch=last)),
    ("LinearLR", lambda s, o, last: s.LinearLR(o, 0.5, 1.0, 4, last_epoch=last)),
    ("LambdaLR", lambda s, o, last: s.LambdaLR(o, lambda e: 0.9**e, last_epoch=last)),
    ("MultiplicativeLR", lambda s, o, last: s.MultiplicativeLR(o, lambda e: 0.9, last)),
    ("ConstantLR", lambda s, o, last: s.ConstantLR(o, 0.5, 8, last_epoch=last)),
    ("PolynomialLR", lambda s, o, last: s.PolynomialLR(o, 9, 2.0, last_epoch=last)),
    ("CosineAnnealingWarmRestarts",
     lambda s, o, last: s.CosineAnnealingWarmRestarts(o, 4, 2, 0.01, last_epoch=last)),
]


@pytest.mark.parametrize("name, make", RESUMABLE, ids=[r[0] for r in RESUMABLE])
def test_resuming_with_last_epoch_matches_torch(name, make):
    t = torch()
    ours_opt, their_opt = _pair(t)
    for group in [*ours_opt.param_groups, *their_opt.param_groups]:
        group["initial_lr"] = group["lr"] * 2  # as a schedule that ran before left them
    ours = make(optim.lr_scheduler, ours_opt, 5)
    theirs = make(t.optim.lr_scheduler, their_opt, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(10):
            np.testing.assert_allclose(_state(ours_opt, "lr"), _state(their_opt, "lr"),
                                       rtol=1e-12)
            assert ours.last_epoch == theirs.last_epoch
            ours.step()
            theirs.step()


def test_resuming_without_initial_lr_is_a_key_error_as_in_torch():
    t = torch()
    ours_opt, their_opt = _pair(t)
    with pytest.raises(KeyError):
        t.optim.lr_scheduler.StepLR(their_opt, 3, last_epoch=2)
    with pytest.raises(KeyError, match="initial_lr"):
        optim.lr_scheduler.StepLR(ours_opt, 3, last_epoch=2)


@pytest.mark.parametrize("T_mult", [1, 2])
def test_warm_restarts_with_fractional_epochs_as_torch(T_mult):
    t = torch()
    ours_opt, their_opt = _pair(t)
    ours = optim.lr_scheduler.CosineAnnealingWarmRestarts(ours_opt, T_0=3, T_mult=T_mult)
    theirs = t.optim.lr_scheduler.CosineAnnealingWarmRestarts(their_opt, T_0=3, T_mult=T_mult)
    iters = 4
    for epoch in range(12):
        for i in range(iters):
            ours.step(epoch + i / iters)
            theirs.step(epoch + i / iters)
            np.testing.assert_allclose(_state(ours_opt, "lr"), _state(their_opt, "lr"),
                                       rtol=1e-12)
            assert ours.last_epoch == theirs.last_epoch
    with pytest.raises(ValueError, match="non-negative"):
        ours.step(-1)


def test_chained_scheduler_refuses_what_torch_refuses():
    t = torch()
    ours_opt, _ = _pair(t)
    other, _ = _pair(t)
    s = optim.lr_scheduler
    with pytest.raises(ValueError, match="at least one"):
        s.ChainedScheduler([])
    with pytest.raises(ValueError, match="ReduceLROnPlateau"):
        s.ChainedScheduler([s.ReduceLROnPlateau(ours_opt)])
    with pytest.raises(ValueError, match="same optimizer"):
        s.ChainedScheduler([s.StepLR(ours_opt, 2), s.StepLR(other, 2)])
    chained = s.ChainedScheduler([s.StepLR(ours_opt, 2), s.ExponentialLR(ours_opt, 0.5)])
    chained.step()
    saved = chained.state_dict()
    chained.step()
    chained.load_state_dict(saved)
    assert [sub.last_epoch for sub in chained._schedulers] == [1, 1]
