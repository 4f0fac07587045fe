"""Data-parallel training: packing, the sampler and the optimizer in one process (threads stand
in for MPI processes), then the real thing under ``mpiexec -n 2`` with the scripts in
``tests/distributed/`` (skipped, with the reason, where mpi4py or mpiexec is missing)."""

import ast
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from optim import distributed as dist

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(ROOT, "tests", "distributed")


# --- two "processes" as two threads, for the tests that need no MPI ---

class ThreadComm(dist.Communicator):
    """A communicator over threads of this process: the same collectives, summed in rank order."""

    def __init__(self, shared, rank):
        self.comm, self.rank, self.size = None, rank, shared["size"]
        self.shared = shared

    def _exchange(self, value):
        self.shared["slots"][self.rank] = value
        self.shared["barrier"].wait()
        values = list(self.shared["slots"])
        self.shared["barrier"].wait()
        return values

    def allreduce_(self, buffer, op="sum"):
        values = self._exchange(buffer.copy())
        buffer[...] = {"sum": np.sum, "max": np.max, "min": np.min}[op](values, axis=0)
        return buffer

    def broadcast_(self, buffer, root=0):
        buffer[...] = self._exchange(buffer.copy())[root]
        return buffer

    def broadcast_object(self, value, root=0):
        return self._exchange(value)[root]

    def allgather_object(self, value):
        return self._exchange(value)

    def abort(self, error=None, code=1):
        raise RuntimeError(f"rank {self.rank} aborted") from error


def on_threads(function, size=2):
    """Run ``function(comm)`` on ``size`` threads; their results in rank order (or the error)."""
    shared = {"size": size, "slots": [None] * size, "barrier": threading.Barrier(size, timeout=20)}
    results, errors = [None] * size, [None] * size

    def run(rank):
        try:
            results[rank] = function(ThreadComm(shared, rank))
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            errors[rank] = error

    threads = [threading.Thread(target=run, args=(rank,)) for rank in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


def small_model(seed, dtype="float64", units=4):
    ag.set_default_dtype(dtype)
    nn.set_random_seed(seed)
    return nn.Sequential([nn.Dense(units, activation="tanh", input_shape=[3]), nn.Dense(2)])


@pytest.fixture(autouse=True)
def restore_globals():
    dtype, hook, thread_hook = ag.get_default_dtype(), sys.excepthook, threading.excepthook
    yield
    ag.set_default_dtype(dtype)
    nn.distribution.set_distribution(None)
    # DataParallel over two threads installs its abort on uncaught errors
    sys.excepthook, threading.excepthook = hook, thread_hook


# --- layering ---

def test_importing_the_packages_never_imports_mpi4py():
    code = ("import sys, autograd, nn, optim, optim.distributed, nn.distribution\n"
            "print('mpi4py' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": ROOT}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_optim_distributed_knows_parameters_not_modules():
    folder = os.path.join(ROOT, "optim", "distributed")
    for name in os.listdir(folder):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as file:
                tree = ast.parse(file.read())
            imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                        if isinstance(node, ast.Import) for alias in node.names}
            imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                         if isinstance(node, ast.ImportFrom)}
            assert "nn" not in imported, name


# --- packing ---

def test_flat_buffer_packs_arrays_end_to_end_and_reads_them_back():
    arrays = [np.arange(6.0).reshape(2, 3), np.array(7.0), np.arange(4.0)]
    buffer = dist.FlatBuffer([a.shape for a in arrays], np.float32, extra=2)
    packed = buffer.pack(arrays)
    assert packed.dtype == np.float32 and packed.flags.c_contiguous and packed.size == 13
    assert packed[:11].tolist() == [0, 1, 2, 3, 4, 5, 7, 0, 1, 2, 3]
    assert buffer.tail.size == 2 and np.shares_memory(buffer.tail, packed)
    for original, back in zip(arrays, buffer.unpack()):
        assert back.shape == original.shape and back.dtype == np.float32
        np.testing.assert_array_equal(back, original)
    assert not np.shares_memory(buffer.unpack()[0], packed)  # copies, safe from the next step


def test_flat_buffer_scales_and_fills_missing_arrays_with_zeros():
    buffer = dist.FlatBuffer([(2,), (3,)], np.float64)
    assert buffer.pack([np.array([1.0, -2.0]), None], scale=3.0).tolist() == [3, -6, 0, 0, 0]
    assert buffer.pack([np.array([np.nan, 1.0]), np.ones(3)], scale=0).tolist() == [0] * 5


def test_parameters_are_grouped_by_dtype_in_order_of_appearance():
    groups = dist.by_dtype([np.float32, np.float64, np.float32, np.int64])
    assert [(str(d), i) for d, i in groups] == [("float32", [0, 2]), ("float64", [1]),
                                                ("int64", [3])]


# --- the sampler ---

@pytest.mark.parametrize("count,replicas", [(10, 3), (37, 2), (8, 8), (100, 7)])
def test_sampler_shares_cover_every_sample_exactly_once(count, replicas):
    for epoch in range(3):
        shares = []
        for rank in range(replicas):
            sampler = dist.DistributedSampler(count, num_replicas=replicas, rank=rank, seed=5)
            sampler.set_epoch(epoch)
            shares.append(sampler.indices())
            assert len(sampler) == len(shares[-1]) == len(list(sampler))
        together = np.concatenate(shares)
        assert sorted(together.tolist()) == list(range(count))
        assert max(map(len, shares)) - min(map(len, shares)) <= 1


def test_sampler_reshuffles_by_epoch_the_same_way_everywhere():
    a = dist.DistributedSampler(50, num_replicas=2, rank=0, seed=1)
    b = dist.DistributedSampler(50, num_replicas=2, rank=0, seed=1)
    first = a.indices()
    np.testing.assert_array_equal(first, b.indices())
    a.set_epoch(1)
    assert not np.array_equal(first, a.indices())
    a.set_epoch(0)
    np.testing.assert_array_equal(first, a.indices())
    plain = dist.DistributedSampler(7, num_replicas=2, rank=1, shuffle=False)
    assert plain.indices().tolist() == [1, 3, 5]


def test_sampler_batches_are_the_global_batches_of_one_process():
    count, replicas, batch = 23, 3, 2
    alone = dist.DistributedSampler(count, num_replicas=1, rank=0, seed=9)
    global_batches = list(alone.batches(batch * replicas))
    per_rank = [list(dist.DistributedSampler(count, num_replicas=replicas, rank=r,
                                             seed=9).batches(batch)) for r in range(replicas)]
    assert {len(batches) for batches in per_rank} == {len(global_batches)}
    for k, expected in enumerate(global_batches):
        got = np.concatenate([batches[k] for batches in per_rank])
        assert sorted(got.tolist()) == sorted(expected.tolist())


def test_sampler_drop_last_evens_the_shares():
    shares = [dist.DistributedSampler(10, num_replicas=3, rank=r, drop_last=True).indices()
              for r in range(3)]
    assert [len(s) for s in shares] == [3, 3, 3]
    assert len(set(np.concatenate(shares).tolist())) == 9


@pytest.mark.parametrize("kwargs,words", [
    (dict(num_samples=1, num_replicas=2, rank=0), "fewer than the 2 processes"),
    (dict(num_samples=10, num_replicas=2, rank=2), "rank must be below num_replicas=2"),
    (dict(num_samples=10, num_replicas=0, rank=0), "num_replicas must be an int >= 1"),
    (dict(num_samples=2.5, num_replicas=1, rank=0), "num_samples=2.5"),
])
def test_sampler_refuses_bad_arguments(kwargs, words):
    with pytest.raises(ValueError, match=words):
        dist.DistributedSampler(**kwargs)


# --- the optimizer, on two threads ---

def _gradient_step(comm, x, y, model, samples=True):
    optimizer = dist.DistributedOptimizer(optim.SGD(model.parameters(), lr=0.5), comm)
    optimizer.zero_grad()
    if len(x):
        nn.functional.mse_loss(model(x), y).backward()
    optimizer.step(samples=len(x) if samples else None)
    return [p.numpy().copy() for p in model.parameters()]


def test_gradients_are_weighted_by_each_process_share():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    shares = [slice(0, 4), slice(4, 5)]  # 4 samples and 1: the mean of the means would be wrong
    models = [small_model(0), small_model(0)]  # built first: seeding is global, threads race
    results, errors = on_threads(
        lambda comm: _gradient_step(comm, x[shares[comm.rank]], y[shares[comm.rank]],
                                    models[comm.rank]))
    assert errors == [None, None]
    reference = small_model(0)
    opt = optim.SGD(reference.parameters(), lr=0.5)
    nn.functional.mse_loss(reference(x), y).backward()
    opt.step()
    for ours, theirs, expected in zip(*results, reference.parameters()):
        np.testing.assert_allclose(ours, expected.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_array_equal(ours, theirs)


def test_a_process_with_no_samples_still_steps_and_counts_nothing():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(3, 3)), rng.normal(size=(3, 2))
    models = [small_model(0), small_model(0), small_model(0)]
    results, errors = on_threads(
        lambda comm: _gradient_step(comm, x if comm.rank == 0 else x[:0],
                                    y if comm.rank == 0 else y[:0], models[comm.rank]))
    assert errors == [None, None]
    alone, _ = on_threads(lambda comm: _gradient_step(comm, x, y, models[2]), size=1)
    for ours, expected in zip(results[1], alone[0]):
        np.testing.assert_allclose(ours, expected, rtol=1e-12)


def test_without_samples_every_process_counts_once():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(3, 3)), rng.normal(size=(3, 2))
    shares = [slice(0, 1), slice(1, 3)]
    models = [small_model(0), small_model(0)]
    results, _ = on_threads(lambda comm: _gradient_step(
        comm, x[shares[comm.rank]], y[shares[comm.rank]], models[comm.rank], samples=False))
    reference = small_model(0)
    grads = []
    for share in shares:  # Horovod's average: the mean of each process's mean gradient
        reference.zero_grad()
        nn.functional.mse_loss(reference(x[share]), y[share]).backward()
        grads.append([p.grad.numpy().copy() for p in reference.parameters()])
    for ours, p, g0, g1 in zip(results[0], reference.parameters(), *grads):
        np.testing.assert_allclose(ours, p.numpy() - 0.5 * (g0 + g1) / 2, rtol=1e-12)


def test_a_parameter_without_gradient_anywhere_keeps_none():
    def run(comm):
        used = ag.tensor([1.0, 2.0], requires_grad=True)
        unused = ag.tensor([3.0], requires_grad=True)
        partly = ag.tensor([1.0], requires_grad=True)
        optimizer = dist.DistributedOptimizer(optim.Adam([used, unused, partly], lr=0.1), comm)
        loss = (used * used).sum() * (comm.rank + 1)
        if comm.rank == 1:
            loss = loss + (partly * 4.0).sum()
        loss.backward()
        optimizer.synchronize(samples=1)
        return used.grad.numpy(), unused.grad, partly.grad.numpy()

    results, errors = on_threads(run)
    assert errors == [None, None]
    for used, unused, partly in results:
        np.testing.assert_allclose(used, [3.0, 6.0])  # (2w + 4w) / 2
        assert unused is None
        np.testing.assert_allclose(partly, [2.0])  # (0 + 4) / 2


def test_the_wrapper_is_the_wrapped_optimizer_for_everyone_else():
    models = [small_model(0), small_model(0)]

    def run(comm):
        model = models[comm.rank]
        inner = optim.Adam(model.parameters(), lr=0.1)
        wrapped = dist.DistributedOptimizer(inner, comm)
        assert isinstance(wrapped, optim.Adam) and isinstance(wrapped, dist.DistributedOptimizer)
        assert type(wrapped).__name__ == "Adam"
        schedule = optim.StepLR(wrapped, step_size=1, gamma=0.5)
        nn.functional.mse_loss(model(np.ones((2, 3))), np.zeros((2, 2))).backward()
        wrapped.step(samples=2)
        schedule.step()
        return inner.param_groups[0]["lr"], len(inner.state), wrapped.state_dict()["state"] != {}

    results, errors = on_threads(run)
    assert errors == [None, None]
    assert results[0] == (0.05, 4, True)


def test_wrapping_refuses_what_is_not_an_optimizer_or_already_wrapped():
    with pytest.raises(TypeError, match="expects an optim.Optimizer"):
        dist.DistributedOptimizer("adam")
    results, errors = on_threads(
        lambda comm: dist.DistributedOptimizer(dist.DistributedOptimizer(optim.SGD(0.1), comm)),
        size=1)
    assert isinstance(errors[0], ValueError) and "already distributed" in str(errors[0])


def test_samples_must_be_a_count():
    def run(comm):
        w = ag.tensor([1.0], requires_grad=True)
        w.grad = ag.tensor([1.0])
        dist.DistributedOptimizer(optim.SGD([w], lr=0.1), comm).step(samples=-1)

    _, errors = on_threads(run, size=1)
    assert isinstance(errors[0], ValueError) and "samples=-1" in str(errors[0])


def test_models_that_differ_are_refused_naming_the_rank_and_the_difference():
    models = [small_model(0, units=4), small_model(0, units=5)]
    _, errors = on_threads(
        lambda comm: dist.broadcast_parameters(models[comm.rank].parameters(), comm=comm))
    for error in errors:
        assert isinstance(error, ValueError)
        assert "rank 1 differs from rank 0: parameter 0 is shape (3, 5), float64 on rank 1 " \
               "but shape (3, 4), float64 on rank 0" in str(error)


def test_broadcast_gives_every_process_rank_0_weights():
    models = [small_model(0), small_model(1)]

    def run(comm):
        dist.broadcast_parameters(models[comm.rank].parameters(), comm=comm)
        return [p.numpy().copy() for p in models[comm.rank].parameters()]

    results, _ = on_threads(run)
    reference = small_model(0)
    for ours, theirs, expected in zip(*results, reference.parameters()):
        np.testing.assert_array_equal(ours, expected.numpy())
        np.testing.assert_array_equal(theirs, expected.numpy())


def test_abort_on_error_lets_the_error_through_on_one_process():
    results, errors = on_threads(lambda comm: _raise_inside(comm), size=1)
    assert isinstance(errors[0], KeyError)


def _raise_inside(comm):
    with dist.abort_on_error(comm):
        raise KeyError("one process: nothing to abort")


# --- fit's loop on two threads ---

def test_evaluate_shared_between_two_threads_equals_one_process():
    from nn.training import parallel_eval

    rng = np.random.default_rng(4)
    x = rng.normal(size=(23, 3))
    y = (x[:, 0] > 0).astype(np.float64)
    w = rng.uniform(0.5, 1.5, 23)

    def build():
        ag.set_default_dtype("float64")
        nn.set_random_seed(5)
        model = nn.Sequential([nn.Dense(4, activation="tanh", input_shape=[3]),
                               nn.Dense(1, activation="sigmoid")])
        model.compile(optimizer="sgd", loss="binary_crossentropy",
                      metrics=["accuracy", nn.metrics.Precision(), nn.metrics.AUC()],
                      weighted_metrics=["mae"])
        return model

    models = [build(), build()]
    expected = build().evaluate(x, y, batch_size=4, sample_weight=w, verbose=0,
                                return_dict=True)
    results, errors = on_threads(lambda comm: parallel_eval.evaluate(
        models[comm.rank], comm, x, y, 4, w, True))
    assert errors == [None, None]
    assert results[0] == results[1] and sorted(results[0]) == sorted(expected)
    for key in expected:
        np.testing.assert_allclose(results[0][key], expected[key], rtol=1e-13, err_msg=key)


def test_fit_on_two_threads_matches_one_process():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(29, 3))
    y = (x[:, 0] > 0).astype(np.float64)

    def build():
        ag.set_default_dtype("float64")
        nn.set_random_seed(3)
        model = nn.Sequential([nn.Dense(4, activation="tanh", input_shape=[3]),
                               nn.Dense(1, activation="sigmoid")])
        model.compile(optimizer=optim.Adam(0.05), loss="binary_crossentropy",
                      metrics=["accuracy", nn.metrics.Precision(), nn.metrics.AUC(), "mae"])
        return model

    models = [build(), build()]
    reference = build()
    expected = reference.fit(x, y, batch_size=8, epochs=3, verbose=0,
                             validation_split=0.25).history

    def run(comm):
        history = nn.distribution.DataParallel(comm).fit(
            models[comm.rank], x, y, batch_size=8, epochs=3, verbose=0, validation_split=0.25)
        return history.history

    results, errors = on_threads(run)
    assert errors == [None, None]
    assert results[0] == results[1]
    assert sorted(results[0]) == sorted(expected)
    for key in expected:
        np.testing.assert_allclose(results[0][key], expected[key], rtol=1e-12, err_msg=key)
    for ours, theirs in zip(models[0].parameters(), reference.parameters()):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-15)


def test_batch_normalization_statistics_are_averaged_so_ranks_agree():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(40, 3)), rng.normal(size=(40, 1))

    def build():
        ag.set_default_dtype("float64")
        nn.set_random_seed(0)
        model = nn.Sequential([nn.Dense(4, input_shape=[3]), nn.BatchNormalization(),
                               nn.Dense(1)])
        model.compile(optimizer=optim.SGD(0.1), loss="mse")
        return model

    models = [build(), build()]

    def run(comm):
        nn.distribution.DataParallel(comm).fit(models[comm.rank], x, y, batch_size=10,
                                               epochs=2, verbose=0)
        return [b.numpy().copy() for b in models[comm.rank].buffers()]

    results, errors = on_threads(run)
    assert errors == [None, None]
    for ours, theirs in zip(*results):
        np.testing.assert_array_equal(ours, theirs)
    for ours, theirs in zip(*[m.parameters() for m in models]):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert not np.allclose(results[0][0], 0)  # the moving mean did move


def test_a_stop_on_one_rank_stops_every_rank_at_the_epoch_end():
    x, y = np.linspace(-1, 1, 60).reshape(20, 3), np.linspace(0, 1, 40).reshape(20, 2)

    class StopOnRank1(nn.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.model.name == "rank1":
                self.model.stop_training = True

    models = [small_model(0), small_model(0)]

    def run(comm):
        model = models[comm.rank]
        model.name = f"rank{comm.rank}"
        model.compile(optimizer=optim.SGD(0.1), loss="mse")
        history = nn.distribution.DataParallel(comm).fit(
            model, x, y, batch_size=4, epochs=5, verbose=0, callbacks=[StopOnRank1()])
        return history.epoch

    results, errors = on_threads(run)
    assert errors == [None, None]
    assert results == [[0], [0]]


def test_distribution_setting_is_checked_and_scoped():
    with pytest.raises(TypeError, match="DataParallel or None"):
        nn.distribution.set_distribution("data_parallel")
    assert nn.distribution.distribution() is None and nn.distribution.is_chief()


# --- under mpiexec -n 2 ---

def _mpiexec():
    """The launcher of the mpich wheel (next to this Python) first, else the one on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    return beside if os.access(beside, os.X_OK) else shutil.which("mpiexec")


MPIEXEC = _mpiexec()
needs_mpi = pytest.mark.skipif(
    not dist.is_available() or MPIEXEC is None,
    reason="needs mpi4py and mpiexec: pip install mpi4py mpich (part of the test extra)")


def _run(args, timeout):
    """``mpiexec -n 2 python ARGS``; on a timeout, every process it started is killed (a rank
    hung in a collective busy-waits: left behind, it would hold a core) before the error."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))}
    command = [MPIEXEC, "-n", "2", sys.executable, *args]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env, cwd=ROOT, start_new_session=True) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            raise subprocess.TimeoutExpired(command, timeout, out, err) from None
    return subprocess.CompletedProcess(command, process.returncode, out, err)


@functools.lru_cache(maxsize=1)
def _cannot_launch():
    """Why ``mpiexec -n 2`` cannot start two MPI processes here (a machine without networking
    for MPI, a launcher of another MPI library), or '' when it can. Library code plays no part."""
    code = ("from mpi4py import MPI; c = MPI.COMM_WORLD; sizes = c.allgather(c.Get_size()); "
            "c.Get_rank() == 0 and print('sizes', sizes)")
    try:
        done = _run(["-c", code], timeout=30)
    except subprocess.TimeoutExpired:
        return f"{MPIEXEC} -n 2 did not start two processes within 30 s"
    if "sizes [2, 2]" not in done.stdout:
        return (f"{MPIEXEC} -n 2 did not start two processes of one MPI job: "
                f"{(done.stdout + done.stderr)[-300:]}")
    return ""


def launch(*args, timeout=60):
    """``mpiexec -n 2 python ARGS`` from the repository root; (completed process, seconds).
    A run that outlives ``timeout`` (a hang) fails the test."""
    if _cannot_launch():
        pytest.skip(_cannot_launch())
    start = time.perf_counter()
    try:
        done = _run(args, timeout)
    except subprocess.TimeoutExpired as hung:
        output = (hung.stdout or "") + (hung.stderr or "")
        pytest.fail(f"mpiexec -n 2 python {' '.join(args)} still ran after {timeout} s (a hang): "
                    f"{output[-2000:]}")
    return done, time.perf_counter() - start


def reports(done):
    """Each rank's report (rank 0 prints them all on one JSON line), by rank."""
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("[{")]
    assert len(lines) == 1, done.stdout + done.stderr
    return {report["rank"]: report for report in json.loads(lines[0])}


@needs_mpi
def test_two_processes_train_like_one_with_both_apis():
    done, _ = launch(os.path.join(SCRIPTS, "equality.py"))
    by_rank = reports(done)
    for api in ("keras", "torch"):
        for dtype, tolerance in (("float32", 1e-6), ("float64", 1e-12)):
            for rank in (0, 1):
                assert by_rank[rank][f"{api}_{dtype}"]["ranks_equal"], (api, dtype)
            result = by_rank[0][f"{api}_{dtype}"]
            assert result["relative"] < tolerance, (api, dtype, result)
    for dtype, tolerance in (("float32", 1e-6), ("float64", 1e-12)):
        assert by_rank[0][f"keras_{dtype}"]["histories_equal"]
        assert by_rank[0][f"keras_{dtype}"]["history"] < tolerance * 10
        assert by_rank[0][f"torch_{dtype}"]["steps"] == 20


@needs_mpi
def test_every_sample_once_per_epoch_across_processes():
    done, _ = launch(os.path.join(SCRIPTS, "sharding.py"))
    for report in reports(done).values():
        assert all(report[key] for key in ("fit_once", "fit_disjoint", "reshuffled",
                                           "sampler_once", "sampler_disjoint",
                                           "same_batch_count")), report


@needs_mpi
def test_only_rank_0_prints_and_writes(tmp_path):
    done, _ = launch(os.path.join(SCRIPTS, "outputs.py"), str(tmp_path))
    by_rank = reports(done)
    assert by_rank[0]["renames"] == 5 and by_rank[1]["renames"] == 0  # 3 checkpoints, 2 saves
    assert by_rank[0]["histories_equal"] and "val_accuracy" in by_rank[0]["keys"]
    for epoch in (1, 2, 3):
        assert done.stdout.count(f"Epoch {epoch}/3 - loss:") == 1, done.stdout
        assert done.stdout.count(f"Epoch {epoch}: saving model to") == 1, done.stdout
        nn.load_model(str(tmp_path / f"ckpt-{epoch}.npz"))
    nn.load_model(str(tmp_path / "final.npz"))
    assert len((tmp_path / "log.csv").read_text().splitlines()) == 4
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


@needs_mpi
def test_an_error_on_one_process_ends_both_promptly(tmp_path):
    done, seconds = launch(os.path.join(SCRIPTS, "fault.py"), str(tmp_path), timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert seconds < 10, seconds
    assert "rank 1: RuntimeError: injected failure on purpose" in output, output
    assert "unreachable" not in output
    checkpoints = [name for name in os.listdir(tmp_path) if name.endswith(".npz")]
    assert checkpoints, output
    for name in checkpoints:  # never half-written
        nn.load_model(str(tmp_path / name))


@functools.lru_cache(maxsize=1)
def _refusals():
    """The output of ``refuse.py`` (one run, read by the tests of each kind of refusal)."""
    done, _ = launch(os.path.join(SCRIPTS, "refuse.py"))
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "done: every rank reached the end" in output
    return output


def assert_refused_everywhere(output, case, words):
    for rank in (0, 1):
        assert f"{case} rank {rank}: {words}" in output, (case, rank, output)


@needs_mpi
def test_sys_exit_0_inside_abort_on_error_is_a_normal_end():
    done, _ = launch(os.path.join(SCRIPTS, "exits.py"), "exit0", timeout=30)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Abort" not in output and "unreachable" not in output, output


@needs_mpi
def test_sys_exit_with_a_code_inside_abort_on_error_ends_the_job_with_that_code():
    done, seconds = launch(os.path.join(SCRIPTS, "exits.py"), "exit3", timeout=30)
    output = done.stdout + done.stderr
    assert done.returncode == 3, output
    assert "rank 1: SystemExit: 3" in output and "unreachable" not in output, output
    assert seconds < 10, seconds


@pytest.mark.parametrize("case,words", [
    # an exception that nothing catches, on rank 1 while rank 0 waits in a collective
    ("uncaught", "rank 1: RuntimeError: uncaught on purpose"),
    # an exception that ends a thread of rank 1 while both wait for its work
    ("thread", "rank 1: ValueError: a worker thread failed on purpose"),
    # rank 1 ends its program while rank 0 predicts alone: rank 0 raises instead of waiting
    ("alone", "rank 0: RuntimeError: predict: rank 1 has reached the end of its program, so "
              "it will never call predict"),
])
@needs_mpi
def test_a_failure_under_data_parallel_ends_every_rank_not_a_hang(case, words):
    done, seconds = launch(os.path.join(SCRIPTS, "exits.py"), case, timeout=30)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert words in output, output
    assert "unreachable" not in output, output
    assert seconds < 10, seconds


def test_data_parallel_installs_its_hook_once_and_one_process_none():
    original = sys.excepthook
    _, errors = on_threads(lambda comm: nn.distribution.DataParallel(comm), size=1)
    assert errors == [None] and sys.excepthook is original  # one process: nothing to abort
    on_threads(lambda comm: [nn.distribution.DataParallel(comm) for _ in range(2)])
    hook = sys.excepthook
    assert hook is not original
    nn.distribution.set_distribution(on_threads(nn.distribution.DataParallel)[0][0])
    assert sys.excepthook is hook  # not wrapped twice


@needs_mpi
def test_problems_before_training_raise_the_same_error_everywhere():
    output = _refusals()
    expected = {
        "models": "ValueError: fit: rank 1 differs from rank 0: parameter 0 (0.kernel) is "
                  "shape (5, 5), float32 on rank 1 but shape (5, 4), float32 on rank 0",
        "tiny": "ValueError: fit: the training data holds 1 samples, fewer than the 2",
        "batch": "ValueError: fit: batch_size is the global batch",
        "length": "ValueError: fit: rank 1 differs from rank 0: training data is x (21, 5)",
        "broadcast": "ValueError: check_parameters: rank 1 differs from rank 0: parameter 0",
        "step": "ValueError: check_parameters: rank 1 differs from rank 0: parameter 0",
        "sampler": "ValueError: DistributedSampler: the data set has 1 samples",
    }
    for case, words in expected.items():
        assert_refused_everywhere(output, case, words)
    assert "nan rank 1: ValueError: fit: x holds 1 non-finite value" in output
    assert "nan rank 0: RuntimeError: fit: rank 1 failed, so every rank stops: ValueError" \
        in output


@needs_mpi
def test_optimizers_that_differ_are_refused_naming_the_setting():
    output = _refusals()
    expected = {
        "optimizer lr": "ValueError: fit: rank 1 differs from rank 0: optimizer lr is 0.05 on "
                        "rank 1 but 0.01 on rank 0",
        "optimizer kind": "ValueError: fit: rank 1 differs from rank 0: optimizer is "
                          "optim.adam.Adam on rank 1 but optim.sgd.SGD on rank 0",
        "optimizer schedule": "ValueError: fit: rank 1 differs from rank 0: optimizer lr is "
                              "ExponentialDecay({'initial_learning_rate': 0.1, 'decay_steps': "
                              "10, 'decay_rate': 0.5,",
    }
    for case, words in expected.items():
        assert_refused_everywhere(output, case, words)
    assert "on rank 0. Every rank must compile the same optimizer with the same settings" \
        in output


@needs_mpi
def test_data_that_differs_between_ranks_is_refused_saying_so():
    output = _refusals()
    advice = ("The data differs between ranks: DataParallel expects the whole data set, the "
              "same arrays in the same order, on every rank")
    for case, what in (("split", "x"), ("shuffled", "x"), ("weights", "sample_weight")):
        assert_refused_everywhere(output, case, f"ValueError: fit: rank 1 differs from rank 0: "
                                                f"content of {what} is fingerprint ")
        for rank in (0, 1):
            line = next(line for line in output.splitlines()
                        if line.startswith(f"{case} rank {rank}: "))
            assert advice in line, line


def test_the_data_fingerprint_sees_values_and_order_but_not_copies():
    x = np.random.default_rng(0).normal(size=(200, 7)).astype(np.float32)
    touched = x.copy()
    touched[123, 4] = np.nextafter(touched[123, 4], np.inf)  # one bit of one value
    swapped = x.copy()
    swapped[[41, 44]] = swapped[[44, 41]]  # two rows that are not among the 128 hashed
    different = [touched, swapped, x[::-1], x[0::2], x.astype(np.float64), x[:, :6]]
    assert len({dist.data_fingerprint(a) for a in [x, *different]}) == 1 + len(different)
    assert dist.data_fingerprint(x) == dist.data_fingerprint(np.asfortranarray(x).copy())
    assert dist.data_fingerprint(np.zeros((0, 3))) != dist.data_fingerprint(np.zeros((0, 4)))


@needs_mpi
def test_samplers_made_with_different_settings_are_refused_on_every_rank():
    output = _refusals()
    advice = "Every process must create its DistributedSampler with the same num_samples"
    expected = {
        "sampler seed": "ValueError: DistributedSampler: rank 1 differs from rank 0: seed is 1 "
                        f"on rank 1 but 0 on rank 0. {advice}",
        "sampler length": "ValueError: DistributedSampler: rank 1 differs from rank 0: "
                          f"num_samples is 31 on rank 1 but 30 on rank 0. {advice}",
    }
    for case, words in expected.items():
        assert_refused_everywhere(output, case, words)
    assert "sampler one bad rank 1: ValueError: DistributedSampler: rank must be below " \
           "num_replicas=2. Received: rank=2" in output
    assert "sampler one bad rank 0: RuntimeError: DistributedSampler: rank 1 failed, so every " \
           "rank stops: ValueError: DistributedSampler: rank must be below" in output


def test_sampler_settings_are_compared_over_the_communicator_given():
    _, errors = on_threads(lambda comm: dist.DistributedSampler(100, seed=comm.rank, comm=comm))
    for error in errors:
        assert isinstance(error, ValueError)
        assert "seed is 1 on rank 1 but 0 on rank 0" in str(error), error
    samplers, errors = on_threads(lambda comm: dist.DistributedSampler(100, seed=3, comm=comm))
    assert errors == [None, None]
    assert [(s.rank, s.num_replicas) for s in samplers] == [(0, 2), (1, 2)]


@needs_mpi
def test_train_on_batch_is_refused_and_evaluate_predict_agree_under_a_distribution():
    output = _refusals()
    assert_refused_everywhere(output, "train_on_batch", "RuntimeError: train_on_batch is not "
                                                        "distributed")
    assert "model.fit(x, y, batch_size=len(x), epochs=1, shuffle=False)" in output
    assert "evaluate and predict agree on every rank: True" in output


@needs_mpi
def test_rank_0_optimizer_state_reaches_every_rank_bit_for_bit():
    done, _ = launch(os.path.join(SCRIPTS, "optimizer_state.py"))
    by_rank = reports(done)
    for report in by_rank.values():
        assert report["fit_ranks_equal"] and report["fit_states_equal"], report
        assert report["torch_state_equal"] and report["keras_state_equal"], report
    assert by_rank[0]["fit_relative"] < 1e-12, by_rank[0]


def test_broadcast_optimizer_state_refuses_optimizers_that_differ_on_every_rank():
    models = [small_model(0), small_model(0)]
    kinds = [optim.Adam, optim.SGD]
    _, errors = on_threads(lambda comm: dist.broadcast_optimizer_state(
        kinds[comm.rank](models[comm.rank].parameters(), lr=0.1), comm=comm))
    for error in errors:
        assert isinstance(error, ValueError)
        assert str(error).startswith("broadcast_optimizer_state: rank 1 differs from rank 0: "
                                     "optimizer is optim.sgd.SGD on rank 1 but "
                                     "optim.adam.Adam on rank 0"), error


@needs_mpi
def test_the_examples_train_data_parallel(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("graphviz")
    done, _ = launch("examples/celsius.py", "--distributed", "--epochs", "200", "--out",
                     str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("Trained for 200 epochs") == 1, done.stdout
    assert (tmp_path / "celsius_loss.png").stat().st_size > 1000
    pytest.importorskip("sklearn")
    done, _ = launch("examples/digits.py", "--distributed", "--epochs", "3")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("Test accuracy: 0.9") == 1, done.stdout


def _docs_commands():
    """The commands of the first bash block of docs/distributed.md, but the install."""
    with open(os.path.join(ROOT, "docs", "distributed.md"), encoding="utf-8") as file:
        text = file.read()
    block = text.split("```bash\n", 1)[1].split("```", 1)[0]
    lines = [line.split("#")[0].strip() for line in block.splitlines()]
    return [line.split() for line in lines if line and not line.startswith("pip ")]


@needs_mpi
def test_the_docs_commands_work_with_the_distributed_extra_alone(tmp_path):
    # What the distributed extra does not install (the plot and draw extras, scikit-learn)
    # cannot be imported here: each is a package whose import fails.
    for name in ("matplotlib", "graphviz", "sklearn"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(
            f"raise ImportError('not in the distributed extra', name={name!r})\n")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), ROOT])}
    commands = _docs_commands()
    assert [c[:2] for c in commands] == [["mpiexec", "-n"], ["mpiexec", "-n"],
                                         ["python", "examples/spirals.py"]], commands
    for command in commands:
        if command[0] == "mpiexec":
            command = [MPIEXEC, "-n", "2", *command[3:]]  # two processes on this machine
        command = [sys.executable if word == "python" else word for word in command]
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT,
                              timeout=120)
        output = done.stdout + done.stderr
        assert done.returncode == 0, (command, output)
        assert "Traceback" not in output, output
        if "examples/spirals.py" in command:
            processes = 2 if MPIEXEC in command else 1
            assert f"on {processes} process(es)" in output and "test accuracy 0.9" in output
        else:
            assert "Prediction for 100 C" in output
            assert "Skipped the loss curve: matplotlib is not installed" in output
            assert "Skipped the graph drawing: graphviz is not installed" in output


@pytest.mark.parametrize("shuffle", [False, True])
@needs_mpi
def test_a_run_saved_on_two_processes_continues_on_one_as_the_same_run(tmp_path, shuffle):
    checkpoint = tmp_path / "half.npz"
    done, _ = launch(os.path.join(SCRIPTS, "resume.py"), str(checkpoint),
                     *(["shuffle"] if shuffle else []))
    assert all(r["saved"] for r in reports(done).values())
    from tests.distributed.common import data, mlp, relative_difference, weights

    x, y, _ = data(96, dtype="float64")
    resumed = nn.load_model(checkpoint)
    resumed.fit(x, y, batch_size=16, epochs=10, initial_epoch=5, shuffle=shuffle, verbose=0)

    straight = mlp(seed=7, dtype="float64")  # rank 0's seed: the weights the run started from
    straight.compile(optimizer=optim.Adam(0.01), loss="sparse_categorical_crossentropy",
                     metrics=["accuracy"])
    straight.fit(x, y, batch_size=16, epochs=10, shuffle=shuffle, verbose=0)
    ag.set_default_dtype("float32")
    assert relative_difference(weights(resumed), weights(straight)) < 1e-12


@needs_mpi
def test_a_loss_summed_over_the_batch_is_refused_on_every_rank():
    output = _refusals()
    for case, name in (("sum keras", "SparseCategoricalCrossentropy"),
                       ("sum torch", "CrossEntropyLoss")):
        assert_refused_everywhere(output, case, f"ValueError: fit: the loss {name} sums over "
                                                f"the batch (reduction='sum')")
    assert "Compile the loss with reduction='sum_over_batch_size'" in output


@needs_mpi
def test_shares_of_one_sample_for_batch_normalization_are_refused_before_training():
    output = _refusals()
    assert_refused_everywhere(output, "batchnorm last", (
        "ValueError: fit: BatchNormalization cannot train on a share of one sample, and with 27 "
        "samples, batch_size=8 and 2 processes the share of rank 1 in the last batch of each "
        "epoch (3 samples) is 1 sample"))
    assert_refused_everywhere(output, "batchnorm full", (
        "ValueError: fit: BatchNorm1d cannot train on a share of one sample, and with 30 "
        "samples, batch_size=3 and 2 processes the share of rank 1 in every full batch is 1 "
        "sample"))
    assert "Use a batch_size of at least 4 (2 per process)" in output


@needs_mpi
def test_dropout_draws_its_own_masks_on_each_rank_and_repeats_them_with_the_seed():
    done, _ = launch(os.path.join(SCRIPTS, "dropout_streams.py"))
    by_rank = reports(done)
    for api in ("keras", "torch"):
        for rank in (0, 1):
            result = by_rank[rank][api]
            assert result["masks_differ"] and result["rerun_repeats"], (api, rank, result)
        for key in ("weights", "after"):  # the replicas agree; the root goes on alike
            assert by_rank[0][api][key] == by_rank[1][api][key], (api, key)


@needs_mpi
def test_float16_gradients_are_averaged_in_float32_without_overflow():
    done, _ = launch(os.path.join(SCRIPTS, "half_precision.py"))
    for report in reports(done).values():
        assert report["half_dtype"] == "float16", report
        assert report["half_exact"] and report["single_exact"], report  # not inf
        assert report["half"] == [16.671875] * 3, report


def test_a_shuffled_run_saved_and_loaded_goes_on_as_the_same_run_bit_for_bit(tmp_path):
    from tests.distributed.common import data, mlp, weights

    x, y, _ = data(90, dtype="float64")

    def build():
        model = mlp(seed=4, dtype="float64")
        model.compile(optimizer=optim.Adam(0.01), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        return model

    straight = build()
    straight.fit(x, y, batch_size=16, epochs=4, verbose=0)
    half = build()
    half.fit(x, y, batch_size=16, epochs=2, verbose=0)
    half.save(tmp_path / "half.npz")  # with the state of the generator fit shuffles with
    resumed = nn.load_model(tmp_path / "half.npz")
    resumed.fit(x, y, batch_size=16, epochs=4, initial_epoch=2, verbose=0)
    for ours, theirs in zip(weights(resumed), weights(straight)):
        np.testing.assert_array_equal(ours, theirs)


@needs_mpi
def test_local_rank_and_size_count_the_processes_of_this_machine():
    done, _ = launch(os.path.join(SCRIPTS, "local.py"), timeout=30)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    for rank in (0, 1):
        assert f"rank {rank} local {rank} of 2" in output, output


def test_local_rank_of_a_stand_in_communicator_is_its_rank():
    results, errors = on_threads(lambda comm: (comm.local_rank, comm.local_size))
    assert errors == [None, None] and results == [(0, 2), (1, 2)]


# --- evaluate and predict shared among the ranks ---

@needs_mpi
def test_evaluate_and_predict_are_shared_among_ranks_and_equal_one_process():
    done, _ = launch(os.path.join(SCRIPTS, "inference.py"))
    by_rank = reports(done)
    for dtype, tolerance in (("float32", 1e-6), ("float64", 1e-14)):
        mine, theirs = by_rank[0][dtype], by_rank[1][dtype]
        assert mine["keys_equal"] and mine["list_length"] == 4, mine
        assert mine["evaluate_error"] < tolerance and mine["list_error"] < tolerance, mine
        assert mine["predict_shape"] == [45, 3] and mine["predict_dtype"] == dtype
        assert mine["predict_error"] < tolerance, mine
        # Each rank predicted its share only (45 rows in batches of 8: 23 and 22), and both
        # ended with the same bits.
        assert (mine["rows_predicted"], theirs["rows_predicted"]) == (23, 22)
        for key in ("evaluate_hash", "predict_hash"):
            assert mine[key] == theirs[key], (dtype, key)
    for rank in (0, 1):
        report = by_rank[rank]
        assert report["one_row_loss_error"] == 0 and report["one_row_predict"], report
        assert report["outputs"] == 2 and report["output_shapes"] == [[11, 2], [11, 1]]
        assert report["outputs_error"] < 1e-6, report
        for call in ("evaluate", "predict"):
            message = report["refusals"][call]
            assert f"{call}: rank 1 differs from rank 0: content of x is fingerprint" in message
            assert "Every process must pass the same data" in message
    assert by_rank[0]["outputs_hash"] == by_rank[1]["outputs_hash"]
    # Rank 0 called evaluate 2 s before rank 1: it said why it waited, then went on.
    assert "rank 0: evaluate has waited 0.5 s for the other processes" in done.stderr
    assert "Shared calls must be made by every process" in done.stderr
    # Rank 0 predicted alone at the end, while rank 1 ended: rank 0 raised instead of waiting.
    assert ("alone: predict: rank 1 has reached the end of its program, so it will never call "
            "predict") in done.stdout
    assert "nn.distribution.set_distribution(None) before it" in done.stdout


@needs_mpi
def test_gradient_accumulation_under_a_distribution_trains_like_one_process():
    done, _ = launch(os.path.join(SCRIPTS, "accumulation.py"))
    by_rank = reports(done)
    for dtype, tolerance in (("float32", 1e-6), ("float64", 1e-14)):
        for rank in (0, 1):
            result = by_rank[rank][dtype]
            assert result["ranks_equal"], result
            assert result["iterations"] == 10, result  # 30 steps, one update every 3rd
            assert result["relative"] < tolerance and result["history"] < tolerance, result
            assert result["moved"] > 0.05, result  # it trained
        for rank in (0, 1):  # buckets overlapped with backward: the blocking run's bits
            report = by_rank[rank][f"buckets_{dtype}"]
            assert report["buckets_bitwise"], report
            # 20 steps with 4 buckets (one per parameter), then 20 with one: every bucket
            # left during backward, before step
            assert report["left_in_backward"] == [4] * 20 + [1] * 20, report


def test_shard_rows_cover_each_row_once_batch_by_batch():
    for count, batch, size in [(45, 8, 2), (7, 4, 2), (1, 32, 2), (10, 3, 4), (0, 5, 2)]:
        shares = [dist.shard_rows(count, batch, rank, size) for rank in range(size)]
        assert sorted(np.concatenate(shares).tolist()) == list(range(count))
        for start in range(0, count, batch):  # each global batch is split like fit's
            for rank, share in enumerate(shares):
                inside = share[(share >= start) & (share < start + batch)]
                assert inside.tolist() == list(range(start + rank, min(start + batch, count),
                                                     size))
