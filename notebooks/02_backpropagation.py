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
# # 2. Backpropagation by hand and by engine
#
# Training needs the gradient of the loss with respect to every weight. *Backpropagation*
# computes all of them in one sweep from the loss back to the inputs, applying the chain rule at
# each operation. This notebook follows one neuron through the forward pass, the loss and the
# backward pass, one operation at a time, and checks the engine's numbers against a hand
# calculation and against finite differences.

# %%
# %config InlineBackend.figure_format = 'png'
import matplotlib.pyplot as plt

import autograd as ag

plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 3.5)})

# %% [markdown]
# ## One neuron, one number per node
#
# A `Scalar` holds one float. Every operation on Scalars is recorded as a node of a graph, so
# the whole computation can be drawn. The neuron has two inputs `x1, x2`, two weights `w1, w2`,
# a bias `b` and a tanh activation:
#
# `y = tanh(x1 * w1 + x2 * w2 + b)`

# %%
from autograd import Scalar

x1, x2 = Scalar(2.0, name="x1"), Scalar(0.0, name="x2")
w1, w2 = Scalar(-3.0, name="w1"), Scalar(1.0, name="w2")
b = Scalar(6.8813735870195432, name="b")
n = x1 * w1 + x2 * w2 + b
n.name = "n"
y = n.tanh()
y.name = "y"
print("y =", y.data)

# %% [markdown]
# ## The forward pass
#
# The forward pass computes each value from values already known. `ag.forward_steps` lists the
# operations in such an order; drawing one step shows the values computed so far and `?` for the
# others, with the current operation in yellow.

# %%
forward = list(ag.forward_steps(y))
for step in forward:
    print(step)
ag.draw_step(forward[2], show_grad=False)

# %% [markdown]
# The whole forward pass, values only:

# %%
ag.draw_graph(y, show_grad=False)

# %% [markdown]
# ## The loss
#
# The neuron should output `target = 0.5`. The squared error measures the miss. It is written as
# `err * err` on purpose: `err` is **used twice**, which matters in the backward pass.

# %%
target = Scalar(0.5, name="target", requires_grad=False)
err = y - target
err.name = "err"
loss = err * err
loss.name = "loss"
print("err =", err.data, " loss =", loss.data)

# %% [markdown]
# ## The backward pass, one operation at a time
#
# The backward pass starts at the loss with gradient 1 (d loss / d loss) and visits the operations
# in reverse. Each operation receives the gradient of its output, multiplies it by its *local
# derivative* for each input (the chain rule), and adds the result to that input's running total.
#
# `ag.backward_steps` replays exactly what `loss.backward()` does, in the engine's order, and
# records every step without touching `.grad`.

# %%
steps = list(ag.backward_steps(loss))
for step in steps:
    print(step)
    print()

# %% [markdown]
# ### Why gradients add up when a value is used twice
#
# Look at the first step: the operation is `err * err`. Its two inputs are the same value, and
# each *use* of it receives its own share of the gradient: the local derivative with respect to
# the first factor is the second factor (`err`), and the other way round. Both shares are added
# to `err`'s total, so `err` ends with `err + err = 2 * err`, which is exactly the derivative
# of `err²`. If the shares were not added, only one use would count and the gradient would be
# half what it should be.
#
# The drawing of that step shows the gradient flowing back along both edges (red arrows):

# %%
first = steps[0]
print("local derivatives:", first.local)
print("passed to each use:", first.passed, " running totals:", first.totals)
ag.draw_step(first, show_rule=True)

# %% [markdown]
# A later step, inside the neuron: the gradient reaching `tanh` is multiplied by its local
# derivative `1 - y²`.

# %%
tanh_step = next(s for s in steps if s.op.label == "tanh")
print(tanh_step)
ag.draw_step(tanh_step, show_rule=True)

# %% [markdown]
# After the last step every value has its complete gradient. The drawing shows them all, the
# intermediate ones included:

# %%
ag.draw_graph(loss, show_rule=True)

# %% [markdown]
# ## The engine gives the same numbers
#
# Now run the real backward pass. The totals of the step-through must equal the `.grad` that
# `backward()` stores on the leaves.

# %%
known = steps[-1].known_gradients()
loss.backward()
for leaf in (x1, x2, w1, w2, b):
    print(f"{leaf.name}: step-through total {known[leaf]: .6f}   .grad {leaf.grad: .6f}")

# %% [markdown]
# ## By hand: the chain rule
#
# For `w1` the chain rule multiplies the local derivatives along the path from the loss down to
# `w1`:
#
# `d loss / d w1 = (d loss / d err) (d err / d y) (d y / d n) (d n / d w1)
# = 2 err * 1 * (1 - y²) * x1`

# %%
by_hand_w1 = 2 * err.data * 1 * (1 - y.data ** 2) * x1.data
by_hand_b = 2 * err.data * 1 * (1 - y.data ** 2) * 1
print("d loss / d w1 by hand:", by_hand_w1, " engine:", w1.grad)
print("d loss / d b  by hand:", by_hand_b, " engine:", b.grad)


# %% [markdown]
# ## Checked against finite differences
#
# `ag.gradcheck` nudges each input a tiny bit up and down, measures how the loss changes, and
# compares that slope with the engine's gradient (notebook 6 looks inside it).

# %%
def neuron_loss(x1, x2, w1, w2, b):
    return ((x1 * w1 + x2 * w2 + b).tanh() - 0.5) ** 2

print(ag.gradcheck(neuron_loss, (x1, x2, w1, w2, b)))

# %% [markdown]
# ## What this notebook checks

# %%
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
