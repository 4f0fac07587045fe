"""Synchronized batch normalization (``nn.SyncBatchNorm``, ``BatchNormalization(synchronized=
True)``): on one process it is batch normalization, checked against torch; on two threads that
stand in for MPI processes, and under ``mpiexec -n 2`` with the scripts
``tests/distributed/sync_batchnorm_*.py``, it computes one process's numbers on the whole batch."""

import os

import numpy as np
import pytest

import autograd as ag
import nn
from nn.training import parallel_setup
from tests.test_distributed import SCRIPTS, launch, needs_mpi, on_threads, reports

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def restore_globals():
    dtype = ag.get_default_dtype()
    yield
    ag.set_default_dtype(dtype)
    nn.distribution.set_distribution(None)


def _relative(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))) / np.max(np.abs(b)))


# --- one process: batch normalization, as torch's SyncBatchNorm is without distributed ---

@pytest.mark.parametrize("shape, momentum", [((6, 3), 0.1), ((5, 3, 4), None),
                                             ((4, 3, 2, 5), 0.3), ((3, 3, 2, 2, 2), 0.1)])
def test_one_process_computes_torch_batch_norm(shape, momentum):
    rng = np.random.default_rng(0)
    ours = nn.SyncBatchNorm(3, momentum=momentum, dtype=np.float64)
    theirs = [torch.nn.SyncBatchNorm(3, momentum=momentum, dtype=torch.float64),
              torch.nn.BatchNorm1d(3, momentum=momentum, dtype=torch.float64)]
    # torch's BatchNorm1d takes 2-D and 3-D inputs only; its numbers are BatchNorm's anyway
    theirs = theirs if len(shape) <= 3 else theirs[:1]
    for step in range(4):
        training = step != 2
        x = rng.normal(size=shape) * 2 + step
        upstream = rng.normal(size=shape)
        ours.train(training)
        x_ours = ag.tensor(x, requires_grad=True)
        y_ours = ours(x_ours)
        (y_ours * ag.tensor(upstream)).sum().backward()
        for module in theirs:
            module.train(training)
            x_theirs = torch.tensor(x, requires_grad=True)
            y_theirs = module(x_theirs)
            (y_theirs * torch.from_numpy(upstream)).sum().backward()
            assert _relative(y_ours.numpy(), y_theirs.detach().numpy()) < 1e-12
            assert _relative(x_ours.grad.numpy(), x_theirs.grad.numpy()) < 1e-12
            assert _relative(ours.weight.grad.numpy(), module.weight.grad.numpy()) < 1e-12
            assert _relative(ours.bias.grad.numpy(), module.bias.grad.numpy()) < 1e-12
            for key in ("running_mean", "running_var"):
                assert _relative(getattr(ours, key).numpy(),
                                 getattr(module, key).detach().numpy()) < 1e-12, key
            module.zero_grad()
        ours.weight.grad = ours.bias.grad = None
    assert int(ours.num_batches_tracked.numpy()) == 3


def test_signature_and_repr_are_torch():
    ours = nn.SyncBatchNorm(4, 1e-3, None, True, False, None, None, np.float64, bias=False)
    theirs = torch.nn.SyncBatchNorm(4, 1e-3, None, True, False, None, None, torch.float64,
                                    bias=False)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    assert ours.process_group is None


def _nested(lib):
    return lib.ModuleList([
        lib.Linear(3, 4), lib.BatchNorm1d(4, momentum=0.2),
        lib.ModuleList([lib.Conv2d(1, 2, 1), lib.BatchNorm2d(2, affine=False)]),
        lib.BatchNorm1d(4, track_running_stats=False, bias=False)])


def test_convert_sync_batchnorm_replaces_as_torch_does():
    ours, theirs = _nested(nn), _nested(torch.nn)
    ours[1].running_mean.fill_(0.5)
    ours[2].eval()
    theirs[1].running_mean.fill_(0.5)
    theirs[2].eval()
    kept = (ours[1].weight, ours[1].bias, ours[1].running_mean, ours[3].weight)
    group = object()  # any process group is kept as it is, without a collective
    converted = nn.SyncBatchNorm.convert_sync_batchnorm(ours, process_group=group)
    expected = torch.nn.SyncBatchNorm.convert_sync_batchnorm(theirs)
    assert converted is ours
    assert ([type(m).__name__ for m in converted.modules()]
            == [type(m).__name__ for m in expected.modules()])
    assert repr(converted) == repr(expected)
    assert [m.training for m in converted.modules()] == [m.training for m in expected.modules()]
    assert list(converted.state_dict()) == list(expected.state_dict())
    # The same Parameter and buffer objects, as torch's conversion keeps them.
    assert (converted[1].weight, converted[1].bias, converted[1].running_mean,
            converted[3].weight) == kept
    assert converted[1].running_mean.numpy().tolist() == [0.5] * 4
    assert converted[3].bias is None and converted[3].running_mean is None
    assert converted[1].process_group is group and converted[2][1].process_group is group
    assert converted[1].momentum == 0.2 and not converted[2][1].affine


def test_convert_sync_batchnorm_returns_a_new_module_for_a_batch_norm():
    bn = nn.BatchNorm2d(3)
    synced = nn.SyncBatchNorm.convert_sync_batchnorm(bn)
    assert type(synced) is nn.SyncBatchNorm and synced is not bn
    assert synced.weight is bn.weight and synced.num_batches_tracked is bn.num_batches_tracked
    linear = nn.Linear(2, 2)
    assert nn.SyncBatchNorm.convert_sync_batchnorm(linear) is linear


@pytest.mark.parametrize("value, words", [
    (np.zeros(3), "SyncBatchNorm expected at least 2D input (N, C, ...). Received: (3,)"),
    (np.zeros((2, 4)), "SyncBatchNorm(3) expects 3 channels on axis 1. Received: input shape "
                       "(2, 4)"),
    (np.zeros((1, 3)), "Expected more than 1 value per channel when training"),
])
def test_bad_inputs_are_refused_naming_the_layer_and_the_shape(value, words):
    with pytest.raises(ValueError) as error:
        nn.SyncBatchNorm(3)(value)
    assert words in str(error.value)


def test_keras_synchronized_without_a_distribution_is_the_plain_layer():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(6, 4, 3))
    ag.set_default_dtype("float64")
    synced, plain = (nn.layers.BatchNormalization(synchronized=s, momentum=0.5)
                     for s in (True, False))
    for layer in (synced, plain):
        layer(ag.tensor(x), training=True)
    for a, b in zip(synced.weights, plain.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    restored = nn.layers.BatchNormalization.from_config(synced.get_config())
    assert restored.synchronized and "synchronized" not in plain.get_config()
    with pytest.raises(TypeError, match="synchronized to be True or False"):
        nn.layers.BatchNormalization(synchronized="yes")


# --- fit's checks: one-sample shares are fine when synchronized; one-sample batches are not ---

def _keras(synchronized):
    return nn.Sequential([nn.Dense(3, input_shape=[2]),
                          nn.layers.BatchNormalization(synchronized=synchronized)])


@pytest.mark.parametrize("model", [lambda: _keras(True),
                                   lambda: nn.Sequential([nn.Linear(2, 3),
                                                          nn.SyncBatchNorm(3)])])
def test_fit_lets_synchronized_layers_train_on_one_sample_shares(model):
    # 35 samples, batch 8, 2 processes: the last batch (3) splits 2 + 1
    parallel_setup.refuse_single_sample_shares(model(), 35, 8, 2)
    with pytest.raises(ValueError, match="cannot train on a share of one sample"):
        parallel_setup.refuse_single_sample_shares(_keras(False), 35, 8, 2)


def test_fit_refuses_a_global_batch_of_one_sample_or_an_empty_share_when_synchronized():
    with pytest.raises(ValueError, match=r"the last batch of each epoch \(1 samples\) is 1 "
                                         r"sample"):
        parallel_setup.refuse_single_sample_shares(_keras(True), 33, 8, 2)
    with pytest.raises(ValueError, match="leaves rank 2 an empty share"):
        parallel_setup.refuse_single_sample_shares(_keras(True), 34, 8, 3)


# --- two threads standing in for two processes ---

def test_two_threads_compute_one_batch_norm_with_unequal_and_empty_shares():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(7, 3, 2, 2)) * 3 + 1
    upstream = rng.normal(size=x.shape)
    weight, bias = rng.normal(size=3), rng.normal(size=3)

    def make(cls, **kwargs):
        module = cls(3, dtype=np.float64, **kwargs)
        with ag.no_grad():
            module.weight.copy_(ag.tensor(weight))
            module.bias.copy_(ag.tensor(bias))
        return module

    reference = make(nn.BatchNorm2d)
    x_ref = ag.tensor(x, requires_grad=True)
    ((reference(x_ref) * ag.tensor(upstream)).sum() / 7).backward()
    y_ref = reference.eval()(ag.tensor(x)).numpy()
    for shares in ([np.arange(0, 7, 2), np.arange(1, 7, 2)], [np.arange(7), np.arange(0)]):
        def rank(comm, shares=shares):
            index = shares[comm.rank]
            module = make(nn.SyncBatchNorm, process_group=comm)
            x_share = ag.tensor(x[index], requires_grad=True)
            ((module(x_share) * ag.tensor(upstream[index])).sum() / max(len(index), 1)
             ).backward()
            share = len(index) / 7  # the weight DistributedOptimizer gives this rank
            return (index, x_share.grad.numpy() * share, module.weight.grad.numpy() * share,
                    module.bias.grad.numpy() * share, module.eval()(ag.tensor(x)).numpy())

        results, errors = on_threads(rank)
        assert errors == [None, None]
        grad = np.zeros_like(x)
        for index, g, *_ in results:
            grad[index] = g
        assert _relative(grad, x_ref.grad.numpy()) < 1e-12
        assert _relative(results[0][2] + results[1][2], reference.weight.grad.numpy()) < 1e-12
        assert _relative(results[0][3] + results[1][3], reference.bias.grad.numpy()) < 1e-12
        # the running statistics normalize in evaluation: the same everywhere, as one process's
        np.testing.assert_array_equal(results[0][4], results[1][4])
        assert _relative(results[0][4], y_ref) < 1e-12


# --- under mpiexec -n 2 ---

@needs_mpi
def test_sync_batch_norm_on_two_processes_is_one_process_batch_norm():
    done, _ = launch(os.path.join(SCRIPTS, "sync_batchnorm_module.py"), timeout=120)
    by_rank = reports(done)
    results = by_rank[0]["results"]
    for key, result in results.items():
        if key.startswith("float"):
            tolerance = 1e-12 if key.startswith("float64") else 2e-6
            assert by_rank[1]["results"][key]["ranks_equal"] and result["ranks_equal"], key
            assert result["tracked"] == 2, key
            for quantity, value in result.items():
                if quantity not in ("ranks_equal", "tracked"):
                    assert value < tolerance, (key, quantity, value)
    convert = results["convert"]
    assert convert["kinds"].count("SyncBatchNorm") == 2 and convert["ranks_equal"]
    assert convert["relative"] < 1e-12
    for rank in (0, 1):
        assert "Expected more than 1 value per channel when training" in \
            by_rank[rank]["results"]["one sample"]


@needs_mpi
def test_keras_fit_with_synchronized_batch_normalization_trains_like_one_process():
    done, _ = launch(os.path.join(SCRIPTS, "sync_batchnorm_fit.py"), timeout=180)
    by_rank = reports(done)
    for dtype, tolerance in (("float64", 1e-12), ("float32", 1e-6)):
        result = by_rank[0]["results"][dtype]
        assert result["ranks_equal"] and by_rank[1]["results"][dtype]["ranks_equal"]
        assert result["relative"] < tolerance, (dtype, result)
        assert result["history"] < tolerance * 10, (dtype, result)
        assert result["unsynchronized"] > 1e-3  # what synchronizing changes
    for rank in (0, 1):
        assert "is 1 sample" in by_rank[rank]["results"]["one sample"]
