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
# # 3. Gradient descent on a loss surface
#
# The Celsius model of notebook 1 has two internal variables, a weight and a bias. For every
# pair of values there is one loss, so the loss is a surface over the (weight, bias) plane, and
# training is a walk downhill on it. With two variables the surface can be drawn, and each
# epoch's position can be marked on it. Real networks have millions of variables, but the walk
# works the same way.

# %%
# %config InlineBackend.figure_format = 'png'
import matplotlib.pyplot as plt
import numpy as np

import autograd as ag
import nn
import optim

plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 3.5)})

# %% [markdown]
# ## The surface
#
# The loss at many (weight, bias) pairs at once, computed with the library's tensor operations:
# the predictions `w * c + b` for a whole grid of pairs, then the mean squared error of each.

# %%
celsius_q, fahrenheit_a = nn.datasets.celsius_fahrenheit(dtype=np.float64)
ws = np.linspace(-1.0, 4.5, 121)
bs = np.linspace(-20.0, 60.0, 121)
W, B = np.meshgrid(ws, bs)
with ag.no_grad():
    pred = ag.tensor(W[..., None]) * ag.tensor(celsius_q) + ag.tensor(B[..., None])
    surface = ((pred - ag.tensor(fahrenheit_a)) ** 2).mean(axis=-1).numpy()
print("grid:", surface.shape, " lowest loss on the grid:", surface.min().round(3))

# %%
fig = plt.figure(figsize=(6, 4.5))
ax = fig.add_subplot(projection="3d")
ax.plot_surface(W, B, np.log10(surface), cmap="viridis", linewidth=0, alpha=0.9)
ax.set_xlabel("weight")
ax.set_ylabel("bias")
ax.set_zlabel("log10 loss")
ax.view_init(elev=35, azim=-125)
plt.show()

# %% [markdown]
# The surface is a long, narrow valley. Across the valley (mostly the weight direction) it is
# steep: the inputs reach 40 degrees, so the weight multiplies large numbers. Along it (mostly
# the bias direction) it is almost flat. The bottom is next to (1.8, 32): at (1.798, 31.95),
# the best fit to the rounded labels (notebook 1).
#
# ## One optimizer's path
#
# To draw the path, a callback records the weight and bias after every epoch. Every run starts
# from the same point, (weight, bias) = (-0.5, 0), so the paths can be compared.

# %%
start = {"0.kernel": np.array([[-0.5]]), "0.bias": np.array([0.0])}

def train(optimizer, epochs):
    """Train the Celsius model from `start`; return the path and the loss history."""
    layer = nn.Dense(units=1, input_shape=[1], dtype=np.float64)
    model = nn.Sequential([layer])
    model.load_state_dict(start)
    model.compile(loss="mean_squared_error", optimizer=optimizer)
    path = [(-0.5, 0.0)]
    where = lambda epoch, logs: path.append((layer.kernel.numpy()[0, 0], layer.bias.numpy()[0]))
    history = model.fit(celsius_q, fahrenheit_a, epochs=epochs, verbose=False,
                        callbacks=[nn.LambdaCallback(on_epoch_end=where)])
    return np.array(path), history.history["loss"]

contour = lambda ax, w=W, b=B, loss=surface: ax.contour(w, b, np.log10(loss), levels=20,
                                                       cmap="viridis", linewidths=0.7)

# %%
nn.set_random_seed(0)
path, losses = train(optim.Adam(0.1), 500)
fig = plt.figure(figsize=(10, 4))
ax3d = fig.add_subplot(1, 2, 1, projection="3d")
ax3d.plot_surface(W, B, np.log10(surface), cmap="viridis", linewidth=0, alpha=0.6)
with ag.no_grad():
    at = ag.tensor(path[:, :1]) * ag.tensor(celsius_q) + ag.tensor(path[:, 1:])
    path_loss = ((at - ag.tensor(fahrenheit_a)) ** 2).mean(axis=-1).numpy()
ax3d.plot(path[:, 0], path[:, 1], np.log10(path_loss), "o", ms=1.5, color="C3")
ax3d.set_xlabel("weight")
ax3d.set_ylabel("bias")
ax3d.view_init(elev=35, azim=-125)
ax = fig.add_subplot(1, 2, 2)
contour(ax)
ax.plot(path[:, 0], path[:, 1], ".-", ms=3, lw=0.8, color="C3", label="Adam(0.1), 500 epochs")
ax.plot(1.8, 32, "k*", ms=10, label="F = 1.8 C + 32")
ax.set_xlabel("weight")
ax.set_ylabel("bias")
ax.legend(loc="lower right")
plt.show()

# %% [markdown]
# Each dot is one epoch. Adam first drops into the valley (the weight settles within a few
# dozen epochs), then walks along the floor toward the minimum, still short of it after 500
# epochs, which is what notebook 1 found.
#
# ## Five optimizers side by side
#
# All five are gradient descent: they differ in how they turn the gradient into a step.
# - **SGD** steps by `learning rate * gradient`. In a narrow valley the learning rate must be
#   small enough for the steep direction, which makes it crawl along the flat one.
# - **SGD with momentum** keeps a running velocity, so consistent small gradients along the
#   valley add up to speed.
# - **AdaGrad** divides each variable's step by the root of the sum of all its past squared
#   gradients: steep directions get smaller steps, and all steps shrink over time.
# - **RMSprop** divides by a moving average of squared gradients instead, so steps do not
#   vanish.
# - **Adam** combines momentum with RMSprop's scaling.

# %%
runs = {
    "SGD(0.001)": optim.SGD(0.001),
    "SGD(0.001, momentum=0.9)": optim.SGD(0.001, momentum=0.9),
    "Adagrad(5.0)": optim.Adagrad(5.0),
    "RMSprop(0.1)": optim.RMSprop(0.1),
    "Adam(0.1)": optim.Adam(0.1),
}
results = {name: train(opt, 300) for name, opt in runs.items()}
fig, axes = plt.subplots(1, 5, figsize=(15, 3.2), sharey=True)
for ax, (name, (path, losses)) in zip(axes, results.items()):
    contour(ax)
    ax.plot(path[:, 0], path[:, 1], ".-", ms=2, lw=0.7, color="C3")
    ax.plot(1.8, 32, "k*", ms=8)
    ax.set_title(f"{name}\nfinal loss {losses[-1]:.2f}", fontsize=9)
    ax.set_xlabel("weight")
axes[0].set_ylabel("bias")
plt.tight_layout()
plt.show()

# %%
for name, (_, losses) in results.items():
    plt.plot(np.arange(1, 301), losses, label=name)
plt.yscale("log")
plt.xlabel("epoch")
plt.ylabel("loss")
plt.legend(fontsize=8)
plt.title("the same 300 epochs, five optimizers")
plt.show()

# %% [markdown]
# Plain SGD finds the valley but barely moves along it. Momentum gets much further in the same
# number of epochs, zigzagging across the valley as its velocity overshoots. The adaptive methods
# scale each variable's step separately, so the flat direction gets steps as large as the steep
# one: RMSprop and Adam move each variable by roughly the learning rate per epoch, so with 0.1
# they need about 300 epochs just to carry the bias 32 units; AdaGrad, given a larger rate, jumps
# across the valley at first and then settles quickly because its steps shrink.
#
# ## The learning rate: too small, about right, too large
#
# With plain SGD the learning rate is the step size. Too small and training crawls; about right
# and the loss falls steadily; too large and each step overshoots the valley's floor by more than
# it started from, so the loss **grows** from epoch to epoch: training diverges. For this loss
# the limit is about 0.0018 (notebook 6 computes it from the Hessian).

# %%
rates = {"too small: 0.0001": 0.0001, "about right: 0.0015": 0.0015, "too large: 0.0021": 0.0021}
lr_runs = {name: train(optim.SGD(lr), 40) for name, lr in rates.items()}
# a wider grid for the run that leaves the valley
W_wide, B_wide = np.meshgrid(np.linspace(-25, 30, 111), bs)
with ag.no_grad():
    pred = ag.tensor(W_wide[..., None]) * ag.tensor(celsius_q) + ag.tensor(B_wide[..., None])
    surface_wide = ((pred - ag.tensor(fahrenheit_a)) ** 2).mean(axis=-1).numpy()
fig, axes = plt.subplots(1, 4, figsize=(15, 3.4))
for ax, (name, (path, losses)) in zip(axes, lr_runs.items()):
    if name.startswith("too large"):
        contour(ax, W_wide, B_wide, surface_wide)
        path = path[:9]  # the first 8 epochs; later ones fly off the page
        for k, (pw, pb) in enumerate(path):
            ax.annotate(str(k), (pw, pb), textcoords="offset points", fontsize=7,
                        xytext=(0, 5 if k % 2 else -11), ha="center")
    else:
        contour(ax)
    ax.plot(path[:, 0], path[:, 1], ".-", ms=3, lw=0.7, color="C3")
    ax.set_title(name, fontsize=9)
    ax.set_xlabel("weight")
    axes[3].plot(np.arange(1, 41), losses, label=name)
axes[0].set_ylabel("bias")
axes[3].set_yscale("log")
axes[3].set_xlabel("epoch")
axes[3].legend(fontsize=7)
axes[3].set_title("loss per epoch", fontsize=9)
plt.tight_layout()
plt.show()

# %%
path_big, losses_big = lr_runs["too large: 0.0021"]
print("too large: weight per epoch", np.round(path_big[:8, 0], 2), "...")
print("           loss per epoch  ", np.round(losses_big[:5], 1), "...",
      f"{losses_big[-1]:.3g}")

# %% [markdown]
# With the large rate the weight jumps from one side of the valley to the other (the numbers
# are epochs), each time a little further out, and the loss climbs without end. Nothing in the
# library hides this: the loss history simply grows.
#
# ## What this notebook checks

# %%
final = {name: losses[-1] for name, (path, losses) in results.items()}
# the bottom of the surface is where the formula says
i, j = np.unravel_index(surface.argmin(), surface.shape)
assert abs(ws[j] - 1.8) < 0.05 and abs(bs[i] - 32) < 1
# momentum beats plain SGD at the same learning rate; Adam and RMSprop beat both
assert final["SGD(0.001, momentum=0.9)"] < final["SGD(0.001)"] / 2
assert final["Adam(0.1)"] < final["SGD(0.001)"] and final["RMSprop(0.1)"] < final["SGD(0.001)"]
# every path starts at the same point
assert all(np.allclose(path[0], (-0.5, 0.0)) for path, _ in results.values())
small, right, large = (lr_runs[name][1] for name in rates)
assert right[-1] < small[-1]                               # too small: slower
assert all(np.diff(right) < 0)                             # about right: falls every epoch
assert large[-1] > 100 * large[0] and np.all(np.diff(large[5:]) > 0)  # too large: it grows
print("all checks passed")
