# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 4. From scalars to tensors
#
# A `Scalar` network makes every multiplication a node of the graph: good for seeing, slow for
# computing. A `Dense` layer computes the same thing as a matrix product on whole arrays
# (`Tensor`s): one node for a whole layer. This notebook builds one small network both ways,
# shows that they give the same outputs and gradients, draws the tensor graph, and then trains
# it on mini-batches.

# %%
# %config InlineBackend.figure_format = 'png'
import matplotlib.pyplot as plt
import numpy as np

import autograd as ag
import nn
import optim

plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 3.5)})

# %% [markdown]
# ## The network from Scalar neurons
#
# `nn.scalar_nets.MLP(2, [3, 1])` has two inputs, a hidden layer of three ReLU neurons, and one
# linear output neuron: 3 * (2 + 1) + (3 + 1) = 13 parameters, each its own `Scalar`.

# %%
scalar_net = nn.scalar_nets.MLP(2, [3, 1], rng=0)
print(scalar_net)
print(len(scalar_net.parameters()), "parameters")
x_batch = np.array([[1.0, -2.0], [0.5, 0.3], [-1.0, 0.8], [2.0, 1.0]])
y_batch = np.array([1.0, -0.5, 0.2, 0.7])

# %% [markdown]
# The mean squared error over a batch of four examples, one Scalar at a time. Drawing the graph
# of a single example already shows a few dozen nodes:

# %%
scalar_loss = sum((scalar_net(list(x)) - t) ** 2 for x, t in zip(x_batch, y_batch)) / 4
scalar_net.zero_grad()
scalar_loss.backward()
print("loss:", scalar_loss.data)
one_example = (scalar_net(list(x_batch[0])) - y_batch[0]) ** 2
ag.draw_graph(one_example, hide_constants=True)

# %% [markdown]
# ## The same network from Dense layers
#
# A `Dense` layer keeps its weights as a kernel of shape `(inputs, units)`: column `j` holds the
# weights of neuron `j`. Copying the Scalar weights into those places gives the same network.

# %%
hidden, output = scalar_net.layers
state = {
    "0.kernel": np.array([[w.data for w in neuron.w] for neuron in hidden.neurons]).T,
    "0.bias": np.array([neuron.b.data for neuron in hidden.neurons]),
    "1.kernel": np.array([[w.data for w in neuron.w] for neuron in output.neurons]).T,
    "1.bias": np.array([neuron.b.data for neuron in output.neurons]),
}
model = nn.Sequential([nn.Dense(3, activation="relu", input_shape=[2], dtype=np.float64),
                       nn.Dense(1, dtype=np.float64)])
model.load_state_dict(state)
model.summary()

# %%
x = ag.tensor(x_batch, name="x")
prediction = model(x)
tensor_loss = nn.functional.mse_loss(prediction, ag.tensor(y_batch.reshape(-1, 1)))
tensor_loss.name = "loss"
model.zero_grad()
tensor_loss.backward()
print("loss from Scalars:", scalar_loss.data)
print("loss from Tensors:", tensor_loss.item())

# %% [markdown]
# Same loss. And the same gradients: the kernel's gradient, read column by column, is the list
# of the neurons' weight gradients.

# %%
kernel_grad_from_scalars = np.array([[w.grad for w in neuron.w] for neuron in hidden.neurons]).T
print("from Scalars:\n", kernel_grad_from_scalars)
print("from Dense:\n", model.layers[0].kernel.grad.numpy())
scalar_grads = np.array([p.grad for p in scalar_net.parameters()])

# %% [markdown]
# ## The tensor graph
#
# The tensor graph has one node per array operation. Each box shows a tensor's name, shape and
# values (or their minimum, mean and maximum when there are many), and each layer's operations
# are framed in a cluster named after the layer.

# %%
ag.draw_graph(tensor_loss, params=model.named_parameters())

# %% [markdown]
# Collapsing the model draws each layer as one box with the shapes going in and out:

# %%
ag.draw_graph(tensor_loss, params=model.named_parameters(), collapse=True)

# %% [markdown]
# ## Mini-batches and epochs
#
# With more data, the gradient is usually computed on a *mini-batch*, a few examples at a time:
# one optimizer step per batch, and one **epoch** when every example was used once. With `N`
# examples and batch size `B` an epoch takes `ceil(N / B)` steps. Smaller batches mean more, but
# noisier, steps per epoch.

# %%
x_data, y_data = nn.datasets.make_regression(96, n_features=2, noise=0.1, rng=0)
y_data = np.abs(y_data)  # a bend that the ReLU layer has to model

def fit_with(batch_size, epochs=30):
    nn.set_random_seed(1)
    net = nn.Sequential([nn.Dense(8, activation="relu", input_shape=[2]), nn.Dense(1)])
    net.compile(loss="mean_squared_error", optimizer=optim.SGD(0.02))
    steps = []
    count = nn.LambdaCallback(on_train_batch_end=lambda batch, logs: steps.append(batch))
    history = net.fit(x_data, y_data, batch_size=batch_size, epochs=epochs, verbose=False,
                      callbacks=[count])
    return len(steps), history.history["loss"]

batch_runs = {size: fit_with(size) for size in (96, 32, 8)}
lines = []
for size, (steps, losses) in batch_runs.items():
    lines.append(f"batch size {size:3d}: {steps:4d} optimizer steps in 30 epochs, "
                 f"final loss {losses[-1]:.3f}")
    plt.plot(np.arange(1, 31), losses, label=f"batch size {size}")
plt.yscale("log")
plt.xlabel("epoch")
plt.ylabel("training loss")
plt.legend()
print("\n".join(lines) + "\n", end="")  # one write: one block of output
plt.show()

# %% [markdown]
# In 30 epochs the full batch takes only 30 steps and is still far from done; batches of 8 take
# 12 steps per epoch and get much further in the same number of passes over the data.
#
# ## Recording the training step once
#
# Each step above builds its graph anew: one Python object per operation, a walk over the graph
# for backward, checks at every operation. For small layers that bookkeeping costs more than
# the arithmetic. `autograd.compile` (PyTorch's `torch.compile`) runs a training step normally
# on its first two calls while *recording* what it does, forward, backward and update, then
# *replays* that record on later calls: the same numpy calls on the new batch, with no graph.
# The optimizer's update is called again at each replay, so its learning rate and state stay
# live. The numbers are the eager step's, bit for bit.

# %%
import time


def make_step():
    nn.set_random_seed(2)
    net = nn.Sequential([nn.Dense(8, activation="relu", input_shape=[2]), nn.Dense(1)])
    opt = optim.SGD(net.parameters(), lr=0.02)
    mse = nn.losses.MeanSquaredError()

    def train_step(x, y):
        opt.zero_grad()
        loss = mse(y, net(x))
        loss.backward()
        opt.step()
        return loss
    return train_step

batch_x, batch_y = ag.tensor(x_data[:32]), ag.tensor(y_data[:32, None])
runs = {"eager": make_step(), "captured": ag.compile(make_step())}
step_losses, step_times = {}, {}
for name, train_step in runs.items():
    losses, start = [], time.perf_counter()
    for _ in range(300):
        losses.append(train_step(batch_x, batch_y).item())
    step_times[name] = (time.perf_counter() - start) / 300 * 1e6
    step_losses[name] = losses
print(f"eager: {step_times['eager']:.0f} us per step, captured: {step_times['captured']:.0f} "
      f"us per step ({step_times['eager'] / step_times['captured']:.1f}x faster); "
      f"same 300 losses: {step_losses['eager'] == step_losses['captured']}")

# %% [markdown]
# What the replay runs is a flat program: the forward operations with the shape of each buffer
# they write, the backward as one vjp rule per gradient (`+=` where two reach the same buffer),
# and the optimizer's calls, run anew. A step that reads a value into Python (`loss.item()`
# inside it) or makes a tensor from numpy data could not be replayed faithfully: recording it
# raises an error that names the line.

# %%
ag.draw_captured(runs["captured"])

# %% [markdown]
# ## What this notebook checks

# %%
dense_grads = np.concatenate([
    model.layers[0].kernel.grad.numpy().T.ravel(),  # neuron by neuron: its weights ...
    model.layers[0].bias.grad.numpy(),
    model.layers[1].kernel.grad.numpy().T.ravel(),
    model.layers[1].bias.grad.numpy(),
])
# MLP lists each neuron's weights then its bias: reorder the Dense gradients the same way
order = [0, 1, 6, 2, 3, 7, 4, 5, 8, 9, 10, 11, 12]
assert np.isclose(scalar_loss.data, tensor_loss.item(), rtol=1e-12)
assert np.allclose(scalar_grads, dense_grads[order], rtol=1e-10, atol=1e-12)
assert np.allclose(kernel_grad_from_scalars, model.layers[0].kernel.grad.numpy())
for size, (steps, _) in batch_runs.items():
    assert steps == 30 * -(-96 // size)                     # ceil(N / B) steps per epoch
assert batch_runs[8][1][-1] < batch_runs[96][1][-1]         # more steps, lower loss
assert step_losses["eager"] == step_losses["captured"]      # the replay's bits are eager's
print("all checks passed")
