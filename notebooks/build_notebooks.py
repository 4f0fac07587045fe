"""Write the notebooks in this folder from the cells below, then run them and keep their outputs.

Run from the repository root: python notebooks/build_notebooks.py [--no-execute] [names...]
Each notebook is rebuilt from scratch, executed top to bottom with nbclient, and saved with its
outputs, so what is committed is what a learner sees. ``names`` picks notebooks by prefix
(``01``, ``03_gradient``).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent

def setup(*modules: str) -> str:
    """The first code cell: PNG figures of modest size, and the imports a notebook uses."""
    third = [line for name, line in (("numpy", "import numpy as np"),
                                     ("plt", "import matplotlib.pyplot as plt")) if name in modules]
    ours = [line for name, line in (("ag", "import autograd as ag"), ("nn", "import nn"),
                                    ("optim", "import optim")) if name in modules]
    return "\n".join([
        "%config InlineBackend.figure_format = 'png'",
        *sorted(third),
        "",
        *ours,
        "",
        'plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 3.5)})',
    ])


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text.strip("\n"))


# --------------------------------------------------------------------------------------------
# 01: your first model
# --------------------------------------------------------------------------------------------

FIRST_MODEL = [
    md("""
# 1. Your first model: Celsius to Fahrenheit

A thermometer in Celsius and one in Fahrenheit are related by a straight line,
`F = 1.8 C + 32`. In this notebook a network with a single neuron finds that line on its own,
from seven measured pairs and nothing else. It is the same program the course starts with,
written with this project's `nn` and `optim` packages.

Everything below is computed when the notebook runs; nothing is drawn by hand.
"""),
    code(setup("numpy", "plt", "nn", "optim")),
    md("""
## The data

Seven temperatures in Celsius (the *features*) and the same temperatures in Fahrenheit (the
*labels*). Each pair is one *example*.
"""),
    code("""
celsius_q, fahrenheit_a = nn.datasets.celsius_fahrenheit()
for c, f in zip(celsius_q, fahrenheit_a):
    print(f"{c:6.1f} degrees Celsius = {f:6.1f} degrees Fahrenheit")
"""),
    md("""
## The model

One `Dense` layer with one unit and one input computes `output = weight * input + bias`. The
weight and the bias are the model's *internal variables*: they start at random values (the
seed makes them the same every run) and training tunes them.

`compile` picks how the model is judged and how it improves:
- the **loss** `mean_squared_error` averages the squared differences between prediction and
  label, so a few large misses cost more than many small ones;
- the **optimizer** `Adam(0.1)` is the gradient descent rule, with 0.1 as its *learning rate*:
  roughly how far a variable may move in one step.
"""),
    code("""
nn.set_random_seed(0)
l0 = nn.Dense(units=1, input_shape=[1])
model = nn.Sequential([l0])
model.compile(loss="mean_squared_error", optimizer=optim.Adam(0.1))
model.summary()
print("weight before training:", l0.kernel.numpy().ravel(), " bias:", l0.bias.numpy())
"""),
    md("""
## Training

`fit` repeats the training loop. One *epoch* is one pass over the seven examples; they fit in
one batch here, so each epoch is one step of the loop:

1. **forward pass**: predict the seven Fahrenheit values with the current weight and bias;
2. **loss**: measure how far the predictions are from the labels;
3. **backward pass**: compute the gradient of the loss with respect to the weight and the bias;
4. **optimization**: the optimizer moves both a little against their gradients;
5. **iteration**: do it again, 500 times.
"""),
    code("""
history = model.fit(celsius_q, fahrenheit_a, epochs=500, verbose=False)
print("finished training; loss after the last epoch:", round(history.history["loss"][-1], 3))
"""),
    md("""
## The loss curve

`fit` returns a `History` with the loss of every epoch. A log scale keeps the slow end of
training visible: the loss falls fast at first, then creeps.
"""),
    code("""
ax = history.plot(logy=True)
ax.set_title("mean squared error per epoch")
plt.show()
"""),
    md("""
## What did it learn?

The layer's weight and bias should be close to the formula's 1.8 and 32.
"""),
    code("""
print("l0.get_weights():", l0.get_weights())
kernel, bias_vector = l0.get_weights()
weight, bias = float(kernel[0, 0]), float(bias_vector[0])
print(f"learned: F = {weight:.4f} * C + {bias:.4f}")
print("true:    F = 1.8000 * C + 32.0000")
"""),
    md("""
`get_weights()` hands back copies of the layer's variables as numpy arrays, kernel first
(shape `(inputs, units)`, here `(1, 1)`), then the bias (one per unit).
"""),
    md("""
The weight is almost right, but the bias is still short of 32. Two things slow it down:

- **Adam takes steps of about the learning rate.** Its step for each variable is close to
  `0.1` early on whatever the gradient's size, so the bias, starting near 0, needs several
  hundred steps just to travel the distance to 32.
- **The loss is far more sensitive to the weight than to the bias.** The inputs go up to
  40 degrees, so a change of the weight moves every prediction by up to 40 times as much as the
  same change of the bias. Once the weight is nearly right, the remaining error is a small,
  even offset, and its gradient for the bias is small. The loss surface is a long, narrow valley
  (notebook 3 draws it) and the last part of the trip runs along its flat floor.

So after 500 epochs the model is good, not exact; training longer closes the gap, as the
end of this notebook shows.
"""),
    md("""
## Predictions

`predict` runs the forward pass alone, without recording a graph. 100 degrees Celsius is
212 degrees Fahrenheit.
"""),
    code("""
prediction_100 = float(model.predict([100.0])[0, 0])
print(f"100 C -> {prediction_100:.2f} F (true: 212)")

grid = np.linspace(-50, 110, 5)
for c, f in zip(grid, model.predict(grid)[:, 0]):
    print(f"{c:6.1f} C -> predicted {f:7.2f} F, true {1.8 * c + 32:7.2f} F")
"""),
    code("""
plt.scatter(celsius_q, fahrenheit_a, color="C1", zorder=3, label="training examples")
line = np.linspace(-50, 110, 50)
plt.plot(line, model.predict(line)[:, 0], label="model after 500 epochs")
plt.xlabel("Celsius")
plt.ylabel("Fahrenheit")
plt.legend()
plt.show()
"""),
    md("""
## Training longer

`fit` called again continues from where the model stopped, optimizer state included. A
callback records the bias after every epoch of 3000 more.
"""),
    code("""
bias_per_epoch = []
record_bias = nn.LambdaCallback(
    on_epoch_end=lambda epoch, logs: bias_per_epoch.append(float(l0.bias.numpy()[0])))
more = model.fit(celsius_q, fahrenheit_a, epochs=3000, verbose=False, callbacks=[record_bias])
weight_long = float(l0.kernel.numpy()[0, 0])
bias_long = float(l0.bias.numpy()[0])
print(f"after 3500 epochs: F = {weight_long:.4f} * C + {bias_long:.4f}")
plt.plot(np.arange(501, 3501), bias_per_epoch, label="bias")
plt.axhline(32, color="gray", ls="--", label="32")
plt.xlabel("epoch")
plt.legend()
plt.title("the bias creeps up, then settles")
plt.show()
"""),
    md("""
The bias settles at about 31.95, not 32, and the weight at about 1.798. That is not a flaw of
the training: three of the seven Fahrenheit labels were rounded to whole degrees (8 C is really
46.4 F, 22 C is 71.6 F, 38 C is 100.4 F), and the line with the lowest mean squared error
through the rounded pairs is slightly off the true formula. numpy's least-squares line fit
(a closed-form answer, no gradient descent) agrees with what training found:
"""),
    code("""
best_weight, best_bias = np.polyfit(celsius_q.astype(np.float64), fahrenheit_a, 1)
print(f"least squares: F = {best_weight:.4f} * C + {best_bias:.4f}")
print(f"training:      F = {weight_long:.4f} * C + {bias_long:.4f}")
"""),
    md("""
## More neurons: three layers

The next step of the course stacks three `Dense` layers: four units, four units, then one.
Only the first needs `input_shape`; each later layer learns its input size from the layer
before it. The data, the loss, the optimizer and the 500 epochs are the same.
"""),
    code("""
nn.set_random_seed(0)
l0 = nn.Dense(units=4, input_shape=[1])
l1 = nn.Dense(units=4)
l2 = nn.Dense(units=1)
deeper = nn.Sequential([l0, l1, l2])
deeper.compile(loss="mean_squared_error", optimizer=optim.Adam(0.1))
deeper_history = deeper.fit(celsius_q, fahrenheit_a, epochs=500, verbose=False)
deeper_100 = float(deeper.predict([100.0])[0, 0])
print(f"100 C -> {deeper_100:.2f} F (true: 212)")
for name, layer in (("l0", l0), ("l1", l1), ("l2", l2)):
    print(f"{name}.get_weights():", layer.get_weights())
"""),
    md("""
This model predicts 100 C just as well, yet none of its 33 variables is anywhere near 1.8 or
32. Every layer is linear (no activation), so the three together still compute one straight
line, `F = a C + b`; `a` and `b` are spread over products and sums of all the variables. Chaining
the layers by hand recovers them: `a` is the product of the three kernels, `b` what the model
outputs at 0 C.
"""),
    code("""
k0, b0 = l0.get_weights()
k1, b1 = l1.get_weights()
k2, b2 = l2.get_weights()
slope = float((k0 @ k1 @ k2)[0, 0])
intercept = float(((b0 @ k1 + b1) @ k2 + b2)[0])
print(f"the three layers together: F = {slope:.4f} * C + {intercept:.4f}")
"""),
    md("""
## What this notebook checks

These assertions are the facts taught above; if a change to the library breaks one of them,
the notebook test fails.
"""),
    code("""
assert abs(prediction_100 - 212) < 2, prediction_100               # close to 212
assert abs(deeper_100 - 212) < 4, deeper_100                       # three layers: also close
assert abs(slope * 100 + intercept - deeper_100) < 0.05            # still one straight line
assert abs(weight - 1.8) < 0.05 and 27 < bias < 32, (weight, bias)  # near, but short of 32
assert abs(bias_long - 32) < abs(bias - 32) / 5                     # more epochs close the gap
assert abs(weight_long - best_weight) < 1e-3 and abs(bias_long - best_bias) < 0.02
losses = history.history["loss"]
assert len(losses) == 500 and losses[-1] < losses[0] / 100          # the loss fell
assert more.history["loss"][-1] < losses[-1] / 50                   # and kept falling
print("all checks passed")
"""),
]


# --------------------------------------------------------------------------------------------
# 02: backpropagation
# --------------------------------------------------------------------------------------------

BACKPROP = [
    md("""
# 2. Backpropagation by hand and by engine

Training needs the gradient of the loss with respect to every weight. *Backpropagation*
computes all of them in one sweep from the loss back to the inputs, applying the chain rule at
each operation. This notebook follows one neuron through the forward pass, the loss and the
backward pass, one operation at a time, and checks the engine's numbers against a hand
calculation and against finite differences.
"""),
    code(setup("plt", "ag")),
    md("""
## One neuron, one number per node

A `Scalar` holds one float. Every operation on Scalars is recorded as a node of a graph, so
the whole computation can be drawn. The neuron has two inputs `x1, x2`, two weights `w1, w2`,
a bias `b` and a tanh activation:

`y = tanh(x1 * w1 + x2 * w2 + b)`
"""),
    code("""
from autograd import Scalar

x1, x2 = Scalar(2.0, name="x1"), Scalar(0.0, name="x2")
w1, w2 = Scalar(-3.0, name="w1"), Scalar(1.0, name="w2")
b = Scalar(6.8813735870195432, name="b")
n = x1 * w1 + x2 * w2 + b
n.name = "n"
y = n.tanh()
y.name = "y"
print("y =", y.data)
"""),
    md("""
## The forward pass

The forward pass computes each value from values already known. `ag.forward_steps` lists the
operations in such an order; drawing one step shows the values computed so far and `?` for the
others, with the current operation in yellow.
"""),
    code("""
forward = list(ag.forward_steps(y))
for step in forward:
    print(step)
ag.draw_step(forward[2], show_grad=False)
"""),
    md("""
The whole forward pass, values only:
"""),
    code("""
ag.draw_graph(y, show_grad=False)
"""),
    md("""
## The loss

The neuron should output `target = 0.5`. The squared error measures the miss. It is written as
`err * err` on purpose: `err` is **used twice**, which matters in the backward pass.
"""),
    code("""
target = Scalar(0.5, name="target", requires_grad=False)
err = y - target
err.name = "err"
loss = err * err
loss.name = "loss"
print("err =", err.data, " loss =", loss.data)
"""),
    md("""
## The backward pass, one operation at a time

The backward pass starts at the loss with gradient 1 (d loss / d loss) and visits the operations
in reverse. Each operation receives the gradient of its output, multiplies it by its *local
derivative* for each input (the chain rule), and adds the result to that input's running total.

`ag.backward_steps` replays exactly what `loss.backward()` does, in the engine's order, and
records every step without touching `.grad`.
"""),
    code("""
steps = list(ag.backward_steps(loss))
for step in steps:
    print(step)
    print()
"""),
    md("""
### Why gradients add up when a value is used twice

Look at the first step: the operation is `err * err`. Its two inputs are the same value, and
each *use* of it receives its own share of the gradient: the local derivative with respect to
the first factor is the second factor (`err`), and the other way round. Both shares are added
to `err`'s total, so `err` ends with `err + err = 2 * err`, which is exactly the derivative
of `err²`. If the shares were not added, only one use would count and the gradient would be
half what it should be.

The drawing of that step shows the gradient flowing back along both edges (red arrows):
"""),
    code("""
first = steps[0]
print("local derivatives:", first.local)
print("passed to each use:", first.passed, " running totals:", first.totals)
ag.draw_step(first, show_rule=True)
"""),
    md("""
A later step, inside the neuron: the gradient reaching `tanh` is multiplied by its local
derivative `1 - y²`.
"""),
    code("""
tanh_step = next(s for s in steps if s.op.label == "tanh")
print(tanh_step)
ag.draw_step(tanh_step, show_rule=True)
"""),
    md("""
After the last step every value has its complete gradient. The drawing shows them all, the
intermediate ones included:
"""),
    code("""
ag.draw_graph(loss, show_rule=True)
"""),
    md("""
## The engine gives the same numbers

Now run the real backward pass. The totals of the step-through must equal the `.grad` that
`backward()` stores on the leaves.
"""),
    code("""
known = steps[-1].known_gradients()
loss.backward()
for leaf in (x1, x2, w1, w2, b):
    print(f"{leaf.name}: step-through total {known[leaf]: .6f}   .grad {leaf.grad: .6f}")
"""),
    md("""
## By hand: the chain rule

For `w1` the chain rule multiplies the local derivatives along the path from the loss down to
`w1`:

`d loss / d w1 = (d loss / d err) (d err / d y) (d y / d n) (d n / d w1)
= 2 err * 1 * (1 - y²) * x1`
"""),
    code("""
by_hand_w1 = 2 * err.data * 1 * (1 - y.data ** 2) * x1.data
by_hand_b = 2 * err.data * 1 * (1 - y.data ** 2) * 1
print("d loss / d w1 by hand:", by_hand_w1, " engine:", w1.grad)
print("d loss / d b  by hand:", by_hand_b, " engine:", b.grad)
"""),
    md("""
## Checked against finite differences

`ag.gradcheck` nudges each input a tiny bit up and down, measures how the loss changes, and
compares that slope with the engine's gradient (notebook 6 looks inside it).
"""),
    code("""
def neuron_loss(x1, x2, w1, w2, b):
    return ((x1 * w1 + x2 * w2 + b).tanh() - 0.5) ** 2

print(ag.gradcheck(neuron_loss, (x1, x2, w1, w2, b)))
"""),
    md("""
## What this notebook checks
"""),
    code("""
import math

# the step-through totals equal .grad, for every leaf
for leaf in (x1, x2, w1, w2, b):
    assert math.isclose(known[leaf], leaf.grad, rel_tol=1e-12, abs_tol=1e-15), leaf.name
# a value used twice gets one contribution per use, and they add up
assert first.inputs[0] is first.inputs[1] is err
assert math.isclose(first.totals[1], 2 * err.data) and math.isclose(known[err], 2 * err.data)
# the chain rule by hand agrees with the engine
assert math.isclose(by_hand_w1, w1.grad, rel_tol=1e-12)
assert math.isclose(by_hand_b, b.grad, rel_tol=1e-12)
# the steps come in the engine's order: the loss first, and one step per operation
assert steps[0].node is loss and len(steps) == len(forward) + 2
assert ag.gradcheck(neuron_loss, (x1, x2, w1, w2, b))
print("all checks passed")
"""),
]


# --------------------------------------------------------------------------------------------
# 03: gradient descent on a loss surface
# --------------------------------------------------------------------------------------------

SURFACE = [
    md("""
# 3. Gradient descent on a loss surface

The Celsius model of notebook 1 has two internal variables, a weight and a bias. For every
pair of values there is one loss, so the loss is a surface over the (weight, bias) plane, and
training is a walk downhill on it. With two variables the surface can be drawn, and each
epoch's position can be marked on it. Real networks have millions of variables, but the walk
works the same way.
"""),
    code(setup("numpy", "plt", "ag", "nn", "optim")),
    md("""
## The surface

The loss at many (weight, bias) pairs at once, computed with the library's tensor operations:
the predictions `w * c + b` for a whole grid of pairs, then the mean squared error of each.
"""),
    code("""
celsius_q, fahrenheit_a = nn.datasets.celsius_fahrenheit(dtype=np.float64)
ws = np.linspace(-1.0, 4.5, 121)
bs = np.linspace(-20.0, 60.0, 121)
W, B = np.meshgrid(ws, bs)
with ag.no_grad():
    pred = ag.tensor(W[..., None]) * ag.tensor(celsius_q) + ag.tensor(B[..., None])
    surface = ((pred - ag.tensor(fahrenheit_a)) ** 2).mean(axis=-1).numpy()
print("grid:", surface.shape, " lowest loss on the grid:", surface.min().round(3))
"""),
    code("""
fig = plt.figure(figsize=(6, 4.5))
ax = fig.add_subplot(projection="3d")
ax.plot_surface(W, B, np.log10(surface), cmap="viridis", linewidth=0, alpha=0.9)
ax.set_xlabel("weight")
ax.set_ylabel("bias")
ax.set_zlabel("log10 loss")
ax.view_init(elev=35, azim=-125)
plt.show()
"""),
    md("""
The surface is a long, narrow valley. Across the valley (mostly the weight direction) it is
steep: the inputs reach 40 degrees, so the weight multiplies large numbers. Along it (mostly
the bias direction) it is almost flat. The bottom is next to (1.8, 32): at (1.798, 31.95),
the best fit to the rounded labels (notebook 1).

## One optimizer's path

To draw the path, a callback records the weight and bias after every epoch. Every run starts
from the same point, (weight, bias) = (-0.5, 0), so the paths can be compared.
"""),
    code("""
start = {"0.kernel": np.array([[-0.5]]), "0.bias": np.array([0.0])}

def train(optimizer, epochs):
    \"\"\"Train the Celsius model from `start`; return the path and the loss history.\"\"\"
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
"""),
    code("""
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
"""),
    md("""
Each dot is one epoch. Adam first drops into the valley (the weight settles within a few
dozen epochs), then walks along the floor toward the minimum, still short of it after 500
epochs, which is what notebook 1 found.

## Five optimizers side by side

All five are gradient descent: they differ in how they turn the gradient into a step.
- **SGD** steps by `learning rate * gradient`. In a narrow valley the learning rate must be
  small enough for the steep direction, which makes it crawl along the flat one.
- **SGD with momentum** keeps a running velocity, so consistent small gradients along the
  valley add up to speed.
- **AdaGrad** divides each variable's step by the root of the sum of all its past squared
  gradients: steep directions get smaller steps, and all steps shrink over time.
- **RMSprop** divides by a moving average of squared gradients instead, so steps do not
  vanish.
- **Adam** combines momentum with RMSprop's scaling.
"""),
    code("""
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
    ax.set_title(f"{name}\\nfinal loss {losses[-1]:.2f}", fontsize=9)
    ax.set_xlabel("weight")
axes[0].set_ylabel("bias")
plt.tight_layout()
plt.show()
"""),
    code("""
for name, (_, losses) in results.items():
    plt.plot(np.arange(1, 301), losses, label=name)
plt.yscale("log")
plt.xlabel("epoch")
plt.ylabel("loss")
plt.legend(fontsize=8)
plt.title("the same 300 epochs, five optimizers")
plt.show()
"""),
    md("""
Plain SGD finds the valley but barely moves along it. Momentum gets much further in the same
number of epochs, zigzagging across the valley as its velocity overshoots. The adaptive methods
scale each variable's step separately, so the flat direction gets steps as large as the steep
one: RMSprop and Adam move each variable by roughly the learning rate per epoch, so with 0.1
they need about 300 epochs just to carry the bias 32 units; AdaGrad, given a larger rate, jumps
across the valley at first and then settles quickly because its steps shrink.

## The learning rate: too small, about right, too large

With plain SGD the learning rate is the step size. Too small and training crawls; about right
and the loss falls steadily; too large and each step overshoots the valley's floor by more than
it started from, so the loss **grows** from epoch to epoch: training diverges. For this loss
the limit is about 0.0018 (notebook 6 computes it from the Hessian).
"""),
    code("""
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
"""),
    code("""
path_big, losses_big = lr_runs["too large: 0.0021"]
print("too large: weight per epoch", np.round(path_big[:8, 0], 2), "...")
print("           loss per epoch  ", np.round(losses_big[:5], 1), "...",
      f"{losses_big[-1]:.3g}")
"""),
    md("""
With the large rate the weight jumps from one side of the valley to the other (the numbers
are epochs), each time a little further out, and the loss climbs without end. Nothing in the
library hides this: the loss history simply grows.

## What this notebook checks
"""),
    code("""
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
"""),
]


# --------------------------------------------------------------------------------------------
# 04: from scalars to tensors
# --------------------------------------------------------------------------------------------

TENSORS = [
    md("""
# 4. From scalars to tensors

A `Scalar` network makes every multiplication a node of the graph: good for seeing, slow for
computing. A `Dense` layer computes the same thing as a matrix product on whole arrays
(`Tensor`s): one node for a whole layer. This notebook builds one small network both ways,
shows that they give the same outputs and gradients, draws the tensor graph, and then trains
it on mini-batches.
"""),
    code(setup("numpy", "plt", "ag", "nn", "optim")),
    md("""
## The network from Scalar neurons

`nn.scalar_nets.MLP(2, [3, 1])` has two inputs, a hidden layer of three ReLU neurons, and one
linear output neuron: 3 * (2 + 1) + (3 + 1) = 13 parameters, each its own `Scalar`.
"""),
    code("""
scalar_net = nn.scalar_nets.MLP(2, [3, 1], rng=0)
print(scalar_net)
print(len(scalar_net.parameters()), "parameters")
x_batch = np.array([[1.0, -2.0], [0.5, 0.3], [-1.0, 0.8], [2.0, 1.0]])
y_batch = np.array([1.0, -0.5, 0.2, 0.7])
"""),
    md("""
The mean squared error over a batch of four examples, one Scalar at a time. Drawing the graph
of a single example already shows a few dozen nodes:
"""),
    code("""
scalar_loss = sum((scalar_net(list(x)) - t) ** 2 for x, t in zip(x_batch, y_batch)) / 4
scalar_net.zero_grad()
scalar_loss.backward()
print("loss:", scalar_loss.data)
one_example = (scalar_net(list(x_batch[0])) - y_batch[0]) ** 2
ag.draw_graph(one_example, hide_constants=True)
"""),
    md("""
## The same network from Dense layers

A `Dense` layer keeps its weights as a kernel of shape `(inputs, units)`: column `j` holds the
weights of neuron `j`. Copying the Scalar weights into those places gives the same network.
"""),
    code("""
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
"""),
    code("""
x = ag.tensor(x_batch, name="x")
prediction = model(x)
tensor_loss = nn.functional.mse_loss(prediction, ag.tensor(y_batch.reshape(-1, 1)))
tensor_loss.name = "loss"
model.zero_grad()
tensor_loss.backward()
print("loss from Scalars:", scalar_loss.data)
print("loss from Tensors:", tensor_loss.item())
"""),
    md("""
Same loss. And the same gradients: the kernel's gradient, read column by column, is the list
of the neurons' weight gradients.
"""),
    code("""
kernel_grad_from_scalars = np.array([[w.grad for w in neuron.w] for neuron in hidden.neurons]).T
print("from Scalars:\\n", kernel_grad_from_scalars)
print("from Dense:\\n", model.layers[0].kernel.grad.numpy())
scalar_grads = np.array([p.grad for p in scalar_net.parameters()])
"""),
    md("""
## The tensor graph

The tensor graph has one node per array operation. Each box shows a tensor's name, shape and
values (or their minimum, mean and maximum when there are many), and each layer's operations
are framed in a cluster named after the layer.
"""),
    code("""
ag.draw_graph(tensor_loss, params=model.named_parameters())
"""),
    md("""
Collapsing the model draws each layer as one box with the shapes going in and out:
"""),
    code("""
ag.draw_graph(tensor_loss, params=model.named_parameters(), collapse=True)
"""),
    md("""
## Mini-batches and epochs

With more data, the gradient is usually computed on a *mini-batch*, a few examples at a time:
one optimizer step per batch, and one **epoch** when every example was used once. With `N`
examples and batch size `B` an epoch takes `ceil(N / B)` steps. Smaller batches mean more, but
noisier, steps per epoch.
"""),
    code("""
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
print("\\n".join(lines) + "\\n", end="")  # one write: one block of output
plt.show()
"""),
    md("""
In 30 epochs the full batch takes only 30 steps and is still far from done; batches of 8 take
12 steps per epoch and get much further in the same number of passes over the data.

## What this notebook checks
"""),
    code("""
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
print("all checks passed")
"""),
]


# --------------------------------------------------------------------------------------------
# 05: classification
# --------------------------------------------------------------------------------------------

CLASSIFICATION = [
    md("""
# 5. Classification

So far the models predicted a number. A *classifier* predicts a class. This notebook trains
two: one that separates two interleaved half moons in the plane, where the decision boundary
can be watched as it forms, and one that reads handwritten digits.
"""),
    code(setup("numpy", "plt", "ag", "nn", "optim")),
    md("""
## Two moons

Two classes of points that no straight line can separate. The network ends in one sigmoid
unit: its output is the probability of class 1, and the loss is the *binary cross-entropy*,
which punishes confident wrong answers hard.
"""),
    code("""
x_moons, y_moons = nn.datasets.make_moons(200, noise=0.15, rng=0)
nn.set_random_seed(0)
moons_model = nn.Sequential([
    nn.Dense(16, activation="relu", input_shape=[2]),
    nn.Dense(16, activation="relu"),
    nn.Dense(1, activation="sigmoid"),
])
moons_model.compile(loss="binary_crossentropy", optimizer=optim.Adam(0.02),
                    metrics=["accuracy"])
"""),
    md("""
The *decision boundary* is where the predicted probability crosses 0.5. It is drawn at four
moments of training by evaluating the model on a grid of points; `fit` is called again to
continue from where it stopped.
"""),
    code("""
gx, gy = np.meshgrid(np.linspace(-1.6, 2.6, 120), np.linspace(-1.3, 1.6, 80))
grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)
checkpoints = [0, 5, 25, 150]
fig, axes = plt.subplots(1, 4, figsize=(14, 3), sharey=True)
moons_loss, done = [], 0
for ax, epochs in zip(axes, checkpoints):
    if epochs > done:
        history = moons_model.fit(x_moons, y_moons, epochs=epochs - done, verbose=False)
        moons_loss += history.history["loss"]
        done = epochs
    p = moons_model.predict(grid, batch_size=len(grid)).reshape(gx.shape)
    ax.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
    ax.contour(gx, gy, p, levels=[0.5], colors="k", linewidths=1)
    ax.scatter(*x_moons.T, c=y_moons, cmap="RdBu_r", s=8, edgecolors="k", linewidths=0.3)
    _, accuracy = moons_model.evaluate(x_moons, y_moons, verbose=0)
    ax.set_title(f"after {epochs} epochs: accuracy {accuracy:.2f}", fontsize=9)
plt.tight_layout()
plt.show()
moons_accuracy = accuracy
"""),
    md("""
Before training the boundary is wherever the random weights put it. After a few epochs it is
nearly a straight line, the best a barely trained network does; as training goes on the ReLU
units bend it around the tips of the moons.

## Handwritten digits

scikit-learn ships a small data set of 1797 handwritten digits, each an 8x8 image of grey
levels 0 to 16. The 64 pixels are the features; the digit is the class, one of ten.
"""),
    code("""
from sklearn.datasets import load_digits

digits = load_digits()
images = (digits.data / 16.0).astype(np.float32)
labels = digits.target.astype(np.int64)
fig, axes = plt.subplots(1, 10, figsize=(10, 1.3))
for ax, image, label in zip(axes, digits.images, labels):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(int(label))
    ax.axis("off")
plt.show()

order = np.random.default_rng(0).permutation(len(images))
test, train = order[:360], order[360:]
x_train, y_train, x_test, y_test = images[train], labels[train], images[test], labels[test]
print("training examples:", len(x_train), " test examples:", len(x_test))
"""),
    md("""
### Softmax and cross-entropy

The last layer has ten units, one per digit, and a *softmax*: it turns ten scores into ten
probabilities that add up to 1. The loss is the *cross-entropy*: minus the log of the
probability given to the right digit (`sparse_` means the labels are digit numbers, not
one-hot vectors).

### Three ways to fight overfitting

With 1437 training images and thousands of weights, a network can memorize the training set
instead of learning digits. Three common remedies, each a layer or an option:
- **L2 regularization** (`kernel_regularizer`) adds `l2 * sum(kernel²)` to the loss, keeping
  weights small;
- **dropout** (`Dropout(0.2)`) zeroes a random 20% of the hidden values at each training step
  (and scales up the rest), so no unit can rely on one particular other; it does nothing at
  prediction time;
- **batch normalization** (`BatchNormalization`) rescales each hidden value to mean 0 and
  variance 1 over the batch, which keeps training stable at larger learning rates.
"""),
    code("""
nn.set_random_seed(0)
digits_model = nn.Sequential([
    nn.Dense(64, input_shape=[64], kernel_regularizer=nn.regularizers.L2(1e-4)),
    nn.BatchNormalization(),
    nn.ReLU(),
    nn.Dropout(0.2),
    nn.Dense(10, activation="softmax", kernel_regularizer=nn.regularizers.L2(1e-4)),
])
digits_model.compile(loss="sparse_categorical_crossentropy", optimizer=optim.Adam(0.01),
                     metrics=["accuracy"])
digits_model.summary()
digits_history = digits_model.fit(x_train, y_train, batch_size=64, epochs=20, verbose=False,
                                  validation_data=(x_test, y_test))
"""),
    md("""
### Training curves

The loss that training minimizes includes the L2 penalty, reported apart as
`regularization_loss`. The validation curves come from the test images, which training never
sees.
"""),
    code("""
digits_history.plot(keys=["loss", "val_loss", "accuracy", "val_accuracy"])
plt.show()
test_loss, test_accuracy = digits_model.evaluate(x_test, y_test, verbose=0)
last = {key: round(values[-1], 4) for key, values in digits_history.history.items()}
print("last epoch:", last)
print(f"test accuracy: {test_accuracy:.3f}")
"""),
    md("""
### Dropout is on during training only

In training mode two calls on the same images give different outputs (different units are
dropped); in evaluation mode, which `predict` and `evaluate` use, the output is the same every
time. A call in training mode also moves BatchNormalization's running statistics towards the
batch it sees, so the cell keeps the model's state first and puts it back afterwards: the
trained model stays the one `evaluate` measured.
"""),
    code("""
sample = ag.tensor(x_test[:5])
kept = digits_model.state_dict()
digits_model.train()
with ag.no_grad():
    differs_in_training = not np.allclose(digits_model(sample).numpy(),
                                          digits_model(sample).numpy())
digits_model.eval()
with ag.no_grad():
    same_in_eval = np.allclose(digits_model(sample).numpy(), digits_model(sample).numpy())
digits_model.load_state_dict(kept)
print("training mode, two calls differ:", differs_in_training)
print("evaluation mode, two calls agree:", same_in_eval)
"""),
    md("""
### Confusion matrix

Row `i`, column `j` counts the test images of digit `i` that the model called `j`. A perfect
model has numbers only on the diagonal; the rest shows which digits it mixes up.
"""),
    code("""
from sklearn.metrics import confusion_matrix

predicted = digits_model.predict(x_test).argmax(axis=1)
matrix = confusion_matrix(y_test, predicted, labels=range(10))
fig, ax = plt.subplots(figsize=(4.5, 4))
ax.imshow(matrix, cmap="Blues")
for (i, j), count in np.ndenumerate(matrix):
    if count:
        ax.text(j, i, count, ha="center", va="center", fontsize=7,
                color="white" if count > matrix.max() / 2 else "black")
ax.set_xticks(range(10))
ax.set_yticks(range(10))
ax.set_xlabel("predicted digit")
ax.set_ylabel("true digit")
plt.show()
"""),
    md("""
## What this notebook checks
"""),
    code("""
assert moons_accuracy >= 0.95, moons_accuracy                 # the boundary bent around
assert moons_loss[-1] < moons_loss[0] / 5
assert test_accuracy >= 0.9, test_accuracy                    # digits: at least 90% right
assert np.trace(matrix) == (predicted == y_test).sum() and matrix.sum() == len(y_test)
assert np.isclose(np.trace(matrix) / len(y_test), test_accuracy)
assert "regularization_loss" in digits_history.history       # L2 is part of the loss
assert differs_in_training and same_in_eval                   # dropout only while training
probabilities = digits_model.predict(x_test[:10])
assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)   # softmax: probabilities
print("all checks passed")
"""),
]


# --------------------------------------------------------------------------------------------
# 06: checking gradients
# --------------------------------------------------------------------------------------------

CHECKING = [
    md("""
# 6. Checking gradients

Backpropagation gives *analytic* gradients: exact formulas, applied by the chain rule. A
gradient can also be *measured*: nudge an input, see how much the output moves. Measuring is
slow (two evaluations per input) but independent of any derivative rule, which makes it the
standard way to test those rules. This notebook compares the two, looks at how `ag.gradcheck`
uses them, lets it catch a wrong rule, and finishes with second derivatives.
"""),
    code(setup("numpy", "plt", "ag", "nn")),
    md("""
## Numerical and analytic gradients

For `f(x) = x * sin(x)` the derivative is `sin(x) + x cos(x)`. The engine finds it by
backpropagation; the *central difference* `(f(x + h) - f(x - h)) / 2h` estimates it from two
evaluations.
"""),
    code("""
f = lambda x: x * ag.sin(x)
x = ag.tensor(np.array(1.3), requires_grad=True)
f(x).backward()
analytic = x.grad.item()
h = 1e-5
with ag.no_grad():
    plus, minus = ag.tensor(np.array(1.3 + h)), ag.tensor(np.array(1.3 - h))
    numeric = ((f(plus) - f(minus)) / (2 * h)).item()
print(f"analytic {analytic:.10f}\\nnumeric  {numeric:.10f}\\nformula  "
      f"{np.sin(1.3) + 1.3 * np.cos(1.3):.10f}")
"""),
    md("""
### How small should the step be?

The estimate has two kinds of error. A large `h` misses the curve's bending (truncation error:
proportional to `h` for the one-sided difference `(f(x + h) - f(x)) / h`, to `h²` for the
central one). A tiny `h` subtracts two nearly equal numbers and loses digits to rounding (in
float64 about `1e-16 / h`). In between lies a sweet spot; this is why gradcheck wants float64
and uses `h = 1e-6`.
"""),
    code("""
steps = np.logspace(-13, -1, 25)
errors = {"one-sided": [], "central": []}
with ag.no_grad():
    at = lambda v: f(ag.tensor(np.array(v))).item()
    for step in steps:
        errors["one-sided"].append(abs((at(1.3 + step) - at(1.3)) / step - analytic))
        errors["central"].append(abs((at(1.3 + step) - at(1.3 - step)) / (2 * step) - analytic))
for name, values in errors.items():
    plt.loglog(steps, values, ".-", label=name)
plt.xlabel("step h")
plt.ylabel("error of the estimate")
plt.legend()
plt.show()
best_central = steps[int(np.argmin(errors["central"]))]
print("best central step:", best_central, " error there:", min(errors["central"]))
"""),
    md("""
## What `gradcheck` does

`ag.gradcheck(func, inputs)` builds the whole Jacobian (every output element with respect to
every input element) twice: once with backward passes, once with central differences, one
input element at a time. It then asks that every entry agree within
`atol + rtol * |numeric|`. It returns True, or raises `GradcheckError` naming the entry that
disagrees (or returns False with `raise_exception=False`).
"""),
    code("""
rng = np.random.default_rng(0)
a = ag.tensor(rng.standard_normal((3, 4)), requires_grad=True)
w = ag.tensor(rng.standard_normal((4, 2)), requires_grad=True)
layer = lambda a, w: (a @ w).tanh().sum(axis=0)
print("a tanh layer:", ag.gradcheck(layer, (a, w)))
"""),
    md("""
## A wrong backward, caught

A new primitive is defined as an `ag.Op`: a forward on raw numpy data and one gradient rule per
input. Here is a `sin` whose rule is wrong: it says the derivative of `sin` is `sin` (it is
`cos`). Training with it would run without any error, just badly; nothing would crash.
"""),
    code("""
wrong_sin = ag.Op("wrong_sin", forward=np.sin, vjp=(lambda g, y, x: g * ag.sin(x),),
                  rule="d sin(x) = sin(x)  (wrong)")
right_sin = ag.Op("right_sin", forward=np.sin, vjp=(lambda g, y, x: g * ag.cos(x),),
                  rule="d sin(x) = cos(x)")
z = ag.tensor(np.array([0.3, 1.2, -2.0]), requires_grad=True)
print("right_sin passes:", ag.gradcheck(lambda z: right_sin(z), z))
wrong_passes = ag.gradcheck(lambda z: wrong_sin(z), z, raise_exception=False)
print("wrong_sin passes:", wrong_passes)
try:
    ag.gradcheck(lambda z: wrong_sin(z), z)
except ag.GradcheckError as error:
    caught = str(error)
    print(caught)
"""),
    md("""
The message names the output and input elements whose gradients disagree and gives both
numbers: the analytic one is `sin(0.3)`, the measured one is `cos(0.3)`. Inside a bigger
computation the check still catches it, because the wrong rule poisons every gradient that
flows through it:
"""),
    code("""
inside = lambda z: (wrong_sin(z * 2.0) * z).sum()
inside_passes = ag.gradcheck(inside, z, raise_exception=False)
print("a computation that uses wrong_sin passes:", inside_passes)
"""),
    md("""
## Second derivatives: the Hessian

Gradient rules are written with graph operations, so a gradient is itself a graph and can be
differentiated again. The *Hessian* is the matrix of second derivatives; `ag.hessian` builds
it.

For `g(u, v) = u² v + sin(v)` by hand: `[[2v, 2u], [2u, -sin(v)]]`.
"""),
    code("""
g = lambda p: p[0] ** 2 * p[1] + ag.sin(p[1])
p = ag.tensor(np.array([1.5, -0.7]))
H = ag.hessian(g, p).numpy()
u, v = 1.5, -0.7
H_by_hand = np.array([[2 * v, 2 * u], [2 * u, -np.sin(v)]])
print("ag.hessian:\\n", H, "\\nby hand:\\n", H_by_hand)
second_order_ok = ag.gradgradcheck(lambda q: g(q), ag.tensor(p.numpy(), requires_grad=True))
print("gradgradcheck (second derivatives against finite differences):", second_order_ok)
"""),
    md("""
### The Hessian of the Celsius loss

The Hessian describes the curvature of the loss surface of notebook 3. For the Celsius model,
with `c` the seven inputs, the mean squared error's Hessian with respect to (weight, bias) is
`2 [[mean(c²), mean(c)], [mean(c), 1]]`, the same everywhere because the loss is a quadratic.
Its eigenvalues are the curvatures of the valley's steepest and flattest directions, and plain
gradient descent diverges when the learning rate exceeds `2 / largest eigenvalue`.
"""),
    code("""
celsius_q, fahrenheit_a = nn.datasets.celsius_fahrenheit(dtype=np.float64)
c, t = ag.tensor(celsius_q), ag.tensor(fahrenheit_a)
celsius_loss = lambda wb: ((wb[0] * c + wb[1] - t) ** 2).mean()
H_celsius = ag.hessian(celsius_loss, ag.tensor(np.array([1.0, 10.0]))).numpy()
expected = 2 * np.array([[np.mean(celsius_q ** 2), np.mean(celsius_q)],
                         [np.mean(celsius_q), 1.0]])
curvatures = np.linalg.eigvalsh(H_celsius)
print("Hessian:\\n", H_celsius.round(3))
print("curvatures:", curvatures.round(3), " ratio:", round(curvatures[1] / curvatures[0]))
print("largest stable SGD learning rate: 2 / largest =", round(2 / curvatures[1], 5))
"""),
    md("""
The steep direction is almost 600 times as curved as the flat one: that ratio is why SGD crawls
along the valley, and `2 / 1120 ≈ 0.0018` is the learning rate limit notebook 3 crossed.

## What this notebook checks
"""),
    code("""
assert abs(analytic - (np.sin(1.3) + 1.3 * np.cos(1.3))) < 1e-12
assert abs(numeric - analytic) < 1e-8
assert min(errors["central"]) < min(errors["one-sided"])       # central differences win
assert 1e-8 < best_central < 1e-2                               # a sweet spot, not the smallest
assert ag.gradcheck(layer, (a, w))
assert ag.gradcheck(lambda z: right_sin(z), z)
assert wrong_passes is False and inside_passes is False         # the wrong rule is caught
assert "disagrees" in caught
assert np.allclose(H, H_by_hand) and second_order_ok
assert np.allclose(H_celsius, expected)
assert 0.0017 < 2 / curvatures[1] < 0.0019
print("all checks passed")
"""),
]


NOTEBOOKS = {
    "01_first_model.ipynb": FIRST_MODEL,
    "02_backpropagation.ipynb": BACKPROP,
    "03_loss_surface.ipynb": SURFACE,
    "04_scalars_to_tensors.ipynb": TENSORS,
    "05_classification.ipynb": CLASSIFICATION,
    "06_checking_gradients.ipynb": CHECKING,
}


def build(cells: list) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def execute(notebook: nbformat.NotebookNode) -> float:
    """Run every cell in the repository root (so the packages import); returns the seconds."""
    start = time.perf_counter()
    NotebookClient(notebook, timeout=120, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(HERE.parent)}}).execute()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook name prefixes (default: all)")
    parser.add_argument("--no-execute", action="store_true", help="write the cells only")
    args = parser.parse_args()
    for name, cells in NOTEBOOKS.items():
        if args.names and not any(name.startswith(prefix) for prefix in args.names):
            continue
        notebook = build(cells)
        if not args.no_execute:
            seconds = execute(notebook)
            print(f"{name}: executed in {seconds:.1f} s", file=sys.stderr)
        for i, cell in enumerate(notebook.cells):  # stable ids keep diffs small
            cell["id"] = f"{name[:2]}-{i:02d}"
            for output in cell.get("outputs", []):  # so do reprs without memory addresses
                text = output.get("data", {}).get("text/plain")
                if text:
                    output["data"]["text/plain"] = re.sub(r" at 0x[0-9a-f]+>", ">", text)
        path = HERE / name
        nbformat.write(notebook, path)
        print(f"{name}: {path.stat().st_size / 1024:.0f} KiB", file=sys.stderr)


if __name__ == "__main__":
    main()
