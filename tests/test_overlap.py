"""Gradient reduction overlapped with backward (#25, DDP's buckets).

``Tensor.register_post_accumulate_grad_hook`` against torch, in one process; the bucket
assignment; then ``DistributedOptimizer(..., bucket_cap_mb=...)`` under ``mpiexec -n 2``
(``tests/distributed/overlap.py``), bit for bit against the blocking path.
"""

import gc
import os

import numpy as np
import pytest

import autograd as ag
from autograd import grad_hooks
from optim import distributed as dist
from optim.distributed.buckets import assign_buckets
from tests.test_distributed import SCRIPTS, launch, needs_mpi, reports


def _torch():
    return pytest.importorskip("torch")


# --- the hook, against torch ---

def _hook_story(m):
    """Two leaves in a chain of two layers, two backward calls: what each hook saw."""
    rng = np.random.default_rng(0)
    w1 = m.tensor(rng.normal(size=(3, 4)), requires_grad=True)
    w2 = m.tensor(rng.normal(size=(4, 2)), requires_grad=True)
    x = m.tensor(rng.normal(size=(5, 3)))
    seen = {"w1": [], "w2": []}
    handles = [w.register_post_accumulate_grad_hook(
        lambda p, name=name: seen[name].append(p.grad.detach().numpy().copy()))
        for name, w in (("w1", w1), ("w2", w2))]
    for _ in range(2):
        ((x @ w1).tanh() @ w2).sum().backward()
    handles[0].remove()
    ((x @ w1) @ w2).sum().backward()
    return seen, w1.grad.detach().numpy(), w2.grad.detach().numpy()


def test_the_hook_sees_the_accumulated_grad_as_in_torch():
    torch = _torch()
    ours, theirs = _hook_story(ag), _hook_story(torch)
    for name in ("w1", "w2"):
        assert len(ours[0][name]) == len(theirs[0][name]), name
        for a, b in zip(ours[0][name], theirs[0][name]):
            np.testing.assert_allclose(a, b, rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-12)


def test_a_hook_runs_before_the_earlier_layers_are_differentiated():
    w1 = ag.ones(3, requires_grad=True)
    w2 = ag.ones(3, requires_grad=True)
    seen = []
    w2.register_post_accumulate_grad_hook(lambda p: seen.append(w1.grad))
    ((ag.ones(3) * w1).tanh() * w2).sum().backward()
    assert seen == [None] and w1.grad is not None


@pytest.mark.parametrize("m_name", ["autograd", "torch"])
def test_refusals_match_torch(m_name):
    m = ag if m_name == "autograd" else _torch()
    w = m.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="post accumulate grad hooks cannot be registered on "
                                           "non-leaf tensors"):
        (w * 2).register_post_accumulate_grad_hook(lambda p: None)
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't "
                                           "require gradient"):
        m.ones(2).register_post_accumulate_grad_hook(lambda p: None)
    w.register_post_accumulate_grad_hook(lambda p: 5)
    with pytest.raises(TypeError):
        (w * 2).sum().backward()


def test_grad_and_the_hook_may_replace_the_gradient():
    torch = _torch()
    for m in (ag, torch):
        x = m.ones(2, requires_grad=True)
        x.register_post_accumulate_grad_hook(lambda p: setattr(p, "grad", None))
        (x * 2).sum().backward()
        assert x.grad is None
        seen = []
        y = m.ones(2, requires_grad=True)
        y.register_post_accumulate_grad_hook(seen.append)
        m.autograd.grad((y * 2).sum(), [y])  # returns gradients, stores none: no hook
        assert seen == []


def test_a_hook_changing_grad_in_place_leaves_other_gradients_alone():
    # add passes one gradient array to both inputs: the leaf's copy is its own.
    x = ag.ones(3, requires_grad=True)
    z = ag.ones(3, requires_grad=True)

    def scale(p):
        p.grad.mul_(10.0)

    x.register_post_accumulate_grad_hook(scale)
    h = z * 2
    (x + h).sum().backward()
    assert x.grad.tolist() == [10.0] * 3 and z.grad.tolist() == [2.0] * 3


def test_the_hook_table_forgets_dead_leaves():
    gc.collect()
    before = len(grad_hooks._hooks)
    w = ag.ones(2, requires_grad=True)
    handle = w.register_post_accumulate_grad_hook(lambda p: None)
    assert grad_hooks.has_hooks(w)
    del w
    gc.collect()
    assert len(grad_hooks._hooks) == before
    handle.remove()  # after its leaf is gone: nothing to do


# --- buckets ---

def test_buckets_are_filled_last_parameter_first_up_to_the_cap():
    assert assign_buckets([400, 40, 400, 40], ["float32"] * 4, 450) == [[3, 2], [1, 0]]
    assert assign_buckets([400, 40, 400, 40], ["float32"] * 4, 1e9) == [[3, 2, 1, 0]]
    assert assign_buckets([4000, 40], ["float32"] * 2, 100) == [[1], [0]]  # larger: alone
    # one open bucket per dtype
    assert assign_buckets([8, 4, 8, 4], ["float64", "float32"] * 2, 100) == [[3, 1], [2, 0]]


def test_bucket_cap_mb_is_checked():
    with pytest.raises(ValueError, match="bucket_cap_mb must be a number > 0"):
        dist.DistributedOptimizer(__import__("optim").SGD(0.1), comm=object(), bucket_cap_mb=0)


# --- under mpiexec -n 2 ---

@needs_mpi
def test_overlapped_reduction_equals_the_blocking_one_bit_for_bit():
    done, _ = launch(os.path.join(SCRIPTS, "overlap.py"), timeout=120)
    by_rank = reports(done)
    for rank in (0, 1):
        report = by_rank[rank]
        for dtype in ("float32", "float64"):
            for case in ("small", "one", "two_dtypes", "accumulate"):
                result = report[f"{dtype}_{case}"]
                where = (rank, dtype, case, result)
                assert result["grads_equal"] and result["params_equal"], where
                # the unused parameter stays None; the one used on rank 0 only in odd steps
                # gets rank 0's weighted gradient then, None in even steps
                assert all(pattern[0] for pattern in result["none_pattern"]), where
                assert [pattern[1] for pattern in result["none_pattern"]] == \
                    [True, False] * 3, where
            assert report[f"{dtype}_one"]["buckets"] == 1
            assert report[f"{dtype}_small"]["buckets"] == 8
            assert report[f"{dtype}_two_dtypes"]["buckets"] >= 3
            # The six buckets of the used parameters leave during backward, in order; the
            # seventh too where rank 0 used params[1]; the unused one's waits for step.
            counts = [share[rank] for share in ((5, 3), (4, 4), (6, 0), (2, 7), (3, 3), (8, 1))]
            expected = [0 if count == 0 else 6 + (rank == 0 and step % 2 == 1)
                        for step, count in enumerate(counts)]
            assert report[f"{dtype}_small"]["started_in_backward"] == expected
        assert "second backward before step" in report["twice"]
