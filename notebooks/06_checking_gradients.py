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
# # 6. Checking gradients
#
# Backpropagation gives *analytic* gradients: exact formulas, applied by the chain rule. A
# gradient can also be *measured*: nudge an input, see how much the output moves. Measuring is
# slow (two evaluations per input) but independent of any derivative rule, which makes it the
# standard way to test those rules. This notebook compares the two, looks at how `ag.gradcheck`
# uses them, lets it catch a wrong rule, and finishes with second derivatives.

# %%
# %config InlineBackend.figure_format = 'png'
import matplotlib.pyplot as plt
import numpy as np

import autograd as ag
import nn

plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 3.5)})

# %% [markdown]
# ## Numerical and analytic gradients
#
# For `f(x) = x * sin(x)` the derivative is `sin(x) + x cos(x)`. The engine finds it by
# backpropagation; the *central difference* `(f(x + h) - f(x - h)) / 2h` estimates it from two
# evaluations.

# %%
f = lambda x: x * ag.sin(x)
x = ag.tensor(np.array(1.3), requires_grad=True)
f(x).backward()
analytic = x.grad.item()
h = 1e-5
with ag.no_grad():
    plus, minus = ag.tensor(np.array(1.3 + h)), ag.tensor(np.array(1.3 - h))
    numeric = ((f(plus) - f(minus)) / (2 * h)).item()
print(f"analytic {analytic:.10f}\nnumeric  {numeric:.10f}\nformula  "
      f"{np.sin(1.3) + 1.3 * np.cos(1.3):.10f}")

# %% [markdown]
# ### How small should the step be?
#
# The estimate has two kinds of error. A large `h` misses the curve's bending (truncation error:
# proportional to `h` for the one-sided difference `(f(x + h) - f(x)) / h`, to `h²` for the
# central one). A tiny `h` subtracts two nearly equal numbers and loses digits to rounding (in
# float64 about `1e-16 / h`). In between lies a sweet spot; this is why gradcheck wants float64
# and uses `h = 1e-6`.

# %%
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

# %% [markdown]
# ## What gradcheck does
#
# `ag.gradcheck(func, inputs)` builds the whole Jacobian (every output element with respect to
# every input element) twice: once with backward passes, once with central differences, one
# input element at a time. It then asks that every entry agree within
# `atol + rtol * |numeric|`. It returns True, or raises `GradcheckError` naming the entry that
# disagrees (or returns False with `raise_exception=False`).

# %%
rng = np.random.default_rng(0)
a = ag.tensor(rng.standard_normal((3, 4)), requires_grad=True)
w = ag.tensor(rng.standard_normal((4, 2)), requires_grad=True)
layer = lambda a, w: (a @ w).tanh().sum(axis=0)
print("a tanh layer:", ag.gradcheck(layer, (a, w)))

# %% [markdown]
# ## A wrong backward, caught
#
# A new primitive is defined as an `ag.Op`: a forward on raw numpy data and one gradient rule per
# input. Here is a `sin` whose rule is wrong: it says the derivative of `sin` is `sin` (it is
# `cos`). Training with it would run without any error, just badly; nothing would crash.

# %%
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

# %% [markdown]
# The message names the output and input elements whose gradients disagree and gives both
# numbers: the analytic one is `sin(0.3)`, the measured one is `cos(0.3)`. Inside a bigger
# computation the check still catches it, because the wrong rule poisons every gradient that
# flows through it:

# %%
inside = lambda z: (wrong_sin(z * 2.0) * z).sum()
inside_passes = ag.gradcheck(inside, z, raise_exception=False)
print("a computation that uses wrong_sin passes:", inside_passes)

# %% [markdown]
# ## Second derivatives: the Hessian
#
# Gradient rules are written with graph operations, so a gradient is itself a graph and can be
# differentiated again. The *Hessian* is the matrix of second derivatives; `ag.hessian` builds
# it.
#
# For `g(u, v) = u² v + sin(v)` by hand: `[[2v, 2u], [2u, -sin(v)]]`.

# %%
g = lambda p: p[0] ** 2 * p[1] + ag.sin(p[1])
p = ag.tensor(np.array([1.5, -0.7]))
H = ag.hessian(g, p).numpy()
u, v = 1.5, -0.7
H_by_hand = np.array([[2 * v, 2 * u], [2 * u, -np.sin(v)]])
print("ag.hessian:\n", H, "\nby hand:\n", H_by_hand)
second_order_ok = ag.gradgradcheck(lambda q: g(q), ag.tensor(p.numpy(), requires_grad=True))
print("gradgradcheck (second derivatives against finite differences):", second_order_ok)

# %% [markdown]
# ### The Hessian of the Celsius loss
#
# The Hessian describes the curvature of the loss surface of notebook 3. For the Celsius model,
# with `c` the seven inputs, the mean squared error's Hessian with respect to (weight, bias) is
# `2 [[mean(c²), mean(c)], [mean(c), 1]]`, the same everywhere because the loss is a quadratic.
# Its eigenvalues are the curvatures of the valley's steepest and flattest directions, and plain
# gradient descent diverges when the learning rate exceeds `2 / largest eigenvalue`.

# %%
celsius_q, fahrenheit_a = nn.datasets.celsius_fahrenheit(dtype=np.float64)
c, t = ag.tensor(celsius_q), ag.tensor(fahrenheit_a)
celsius_loss = lambda wb: ((wb[0] * c + wb[1] - t) ** 2).mean()
H_celsius = ag.hessian(celsius_loss, ag.tensor(np.array([1.0, 10.0]))).numpy()
expected = 2 * np.array([[np.mean(celsius_q ** 2), np.mean(celsius_q)],
                         [np.mean(celsius_q), 1.0]])
curvatures = np.linalg.eigvalsh(H_celsius)
print("Hessian:\n", H_celsius.round(3))
print("curvatures:", curvatures.round(3), " ratio:", round(curvatures[1] / curvatures[0]))
print("largest stable SGD learning rate: 2 / largest =", round(2 / curvatures[1], 5))

# %% [markdown]
# The steep direction is almost 600 times as curved as the flat one: that ratio is why SGD crawls
# along the valley, and `2 / 1120 ≈ 0.0018` is the learning rate limit notebook 3 crossed.
#
# ## What this notebook checks

# %%
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
