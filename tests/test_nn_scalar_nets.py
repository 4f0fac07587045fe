"""The micrograd-style Scalar network computes what the same Dense network computes."""

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Scalar
from nn.scalar_nets import MLP, Layer, Neuron


def dense_twin(mlp):
    """Dense layers holding the MLP's weights: kernel[i, j] is weight i of neuron j."""
    layers = []
    for layer in mlp.layers:
        neurons = layer.neurons
        kernel = np.array([[n.w[i].data for n in neurons] for i in range(len(neurons[0].w))])
        dense = nn.Dense(len(neurons), activation="relu" if neurons[0].nonlin else None,
                         input_shape=[kernel.shape[0]], dtype=np.float64)
        dense.load_state_dict({"kernel": kernel, "bias": np.array([n.b.data for n in neurons])})
        layers.append(dense)
    return layers


def test_mlp_matches_dense_layers_in_outputs_and_gradients():
    mlp = MLP(3, [4, 4, 1], rng=0)
    neurons = [n for layer in mlp.layers for n in layer.neurons]
    for i, neuron in enumerate(neurons):  # biases start at 0: give them other values too
        neuron.b.data = 0.1 * i - 0.3
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    targets = [1.0, -1.0, -1.0, 1.0]

    loss = sum((mlp(x) - t) ** 2 for x, t in zip(xs, targets))
    loss.backward()

    layers = dense_twin(mlp)
    out = ag.tensor(np.array(xs))
    for layer in layers:
        out = layer(out)
    dense_loss = ((out.reshape(-1) - np.array(targets)) ** 2).sum()
    dense_loss.backward()

    np.testing.assert_allclose([mlp(x).data for x in xs], out.numpy().reshape(-1), rtol=1e-12)
    assert loss.data == pytest.approx(dense_loss.item(), rel=1e-12)
    for layer, dense in zip(mlp.layers, layers):
        kernel_grad = np.array([[n.w[i].grad for n in layer.neurons]
                                for i in range(len(layer.neurons[0].w))])
        np.testing.assert_allclose(kernel_grad, dense.kernel.grad.numpy(), rtol=1e-10)
        np.testing.assert_allclose([n.b.grad for n in layer.neurons], dense.bias.grad.numpy(),
                                   rtol=1e-10)


def test_seeded_networks_are_reproducible():
    a, b = MLP(2, [3, 1], rng=5), MLP(2, [3, 1], rng=5)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in MLP(2, [3, 1], rng=6).parameters()]
    assert all(-1 <= p.data < 1 for p in a.parameters())


def test_parameters_zero_grad_and_repr():
    model = MLP(2, [3, 1], rng=0)
    assert len(model.parameters()) == (2 + 1) * 3 + (3 + 1) * 1
    assert all(isinstance(p, Scalar) for p in model.parameters())
    model([1.0, -1.0]).backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())  # micrograd's zero, not None
    for p in model.parameters():
        p.data -= 0.1 * p.grad  # micrograd's update, on a freshly zeroed model
    assert repr(model) == ("MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], "
                           "Layer of [LinearNeuron(3)]]")


def test_neuron_and_layer():
    neuron = Neuron(2, nonlin=False, rng=0)
    x = [Scalar(1.5), 2.0]
    assert neuron(x).data == pytest.approx(neuron.w[0].data * 1.5 + neuron.w[1].data * 2.0)
    assert Neuron(1, rng=0)(Scalar(-5.0)).data >= 0.0
    with pytest.raises(ValueError, match="Neuron expects 2 inputs. Received: 3"):
        neuron([1.0, 2.0, 3.0])
    layer = Layer(2, 3, rng=0)
    assert len(layer([1.0, 2.0])) == 3 and len(layer.parameters()) == 9
    layer.zero_grad()
    neuron.zero_grad()
    assert MLP(1, [1, 1], rng=0)(2.0).data == pytest.approx(MLP(1, [1, 1], rng=0)([2.0]).data)
