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
# # 1. Your first model: Celsius to Fahrenheit
#
# A thermometer in Celsius and one in Fahrenheit are related by a straight line,
# `F = 1.8 C + 32`. In this notebook a network with a single neuron finds that line on its own,
# from seven measured pairs and nothing else. It is the same program the course starts with,
# written with this project's Keras face: `import nn as keras` gives the names the course uses.
#
# Everything below is computed when the notebook runs; nothing is drawn by hand.

# %%
# %config InlineBackend.figure_format = 'png'
import matplotlib.pyplot as plt
import numpy as np

import nn
import nn as keras

plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 3.5)})

# %% [markdown]
# ## The data
#
# Seven temperatures in Celsius (the *features*) and the same temperatures in Fahrenheit (the
# *labels*). Each pair is one *example*.

# %%
celsius_q, fahrenheit_a = nn.datasets.celsius_fahrenheit()
for c, f in zip(celsius_q, fahrenheit_a):
    print(f"{c:6.1f} degrees Celsius = {f:6.1f} degrees Fahrenheit")

# %% [markdown]
# ## The model
#
# One `Dense` layer with one unit and one input computes `output = weight * input + bias`. The
# weight and the bias are the model's *internal variables*: they start at random values (the
# seed makes them the same every run) and training tunes them.
#
# `compile` picks how the model is judged and how it improves:
# - the **loss** `mean_squared_error` averages the squared differences between prediction and
#   label, so a few large misses cost more than many small ones;
# - the **optimizer** `Adam(0.1)` is the gradient descent rule, with 0.1 as its *learning rate*:
#   roughly how far a variable may move in one step.

# %%
nn.set_random_seed(0)
l0 = nn.Dense(units=1, input_shape=[1])
model = nn.Sequential([l0])
model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
model.summary()
print("weight before training:", l0.kernel.numpy().ravel(), " bias:", l0.bias.numpy())

# %% [markdown]
# ## Training
#
# `fit` repeats the training loop. One *epoch* is one pass over the seven examples; they fit in
# one batch here, so each epoch is one step of the loop:
#
# 1. **forward pass**: predict the seven Fahrenheit values with the current weight and bias;
# 2. **loss**: measure how far the predictions are from the labels;
# 3. **backward pass**: compute the gradient of the loss with respect to the weight and the bias;
# 4. **optimization**: the optimizer moves both a little against their gradients;
# 5. **iteration**: do it again, 500 times.

# %%
history = model.fit(celsius_q, fahrenheit_a, epochs=500, verbose=False)
print("finished training; loss after the last epoch:", round(history.history["loss"][-1], 3))

# %% [markdown]
# ## The loss curve
#
# `fit` returns a `History` with the loss of every epoch. A log scale keeps the slow end of
# training visible: the loss falls fast at first, then creeps.

# %%
ax = history.plot(logy=True)
ax.set_title("mean squared error per epoch")
plt.show()

# %% [markdown]
# ## What did it learn?
#
# The layer's weight and bias should be close to the formula's 1.8 and 32.

# %%
print("l0.get_weights():", l0.get_weights())
kernel, bias_vector = l0.get_weights()
weight, bias = float(kernel[0, 0]), float(bias_vector[0])
print(f"learned: F = {weight:.4f} * C + {bias:.4f}")
print("true:    F = 1.8000 * C + 32.0000")

# %% [markdown]
# `get_weights()` hands back copies of the layer's variables as numpy arrays, kernel first
# (shape `(inputs, units)`, here `(1, 1)`), then the bias (one per unit).

# %% [markdown]
# The weight is almost right, but the bias is still short of 32. Two things slow it down:
#
# - **Adam takes steps of about the learning rate.** Its step for each variable is close to
#   `0.1` early on whatever the gradient's size, so the bias, starting near 0, needs several
#   hundred steps just to travel the distance to 32.
# - **The loss is far more sensitive to the weight than to the bias.** The inputs go up to
#   40 degrees, so a change of the weight moves every prediction by up to 40 times as much as the
#   same change of the bias. Once the weight is nearly right, the remaining error is a small,
#   even offset, and its gradient for the bias is small. The loss surface is a long, narrow valley
#   (notebook 3 draws it) and the last part of the trip runs along its flat floor.
#
# So after 500 epochs the model is good, not exact; training longer closes the gap, as the
# end of this notebook shows.

# %% [markdown]
# ## Predictions
#
# `predict` runs the forward pass alone, without recording a graph. 100 degrees Celsius is
# 212 degrees Fahrenheit.

# %%
prediction_100 = float(model.predict([100.0])[0, 0])
print(f"100 C -> {prediction_100:.2f} F (true: 212)")

grid = np.linspace(-50, 110, 5)
for c, f in zip(grid, model.predict(grid)[:, 0]):
    print(f"{c:6.1f} C -> predicted {f:7.2f} F, true {1.8 * c + 32:7.2f} F")

# %%
plt.scatter(celsius_q, fahrenheit_a, color="C1", zorder=3, label="training examples")
line = np.linspace(-50, 110, 50)
plt.plot(line, model.predict(line)[:, 0], label="model after 500 epochs")
plt.xlabel("Celsius")
plt.ylabel("Fahrenheit")
plt.legend()
plt.show()

# %% [markdown]
# ## Training longer
#
# `fit` called again continues from where the model stopped, optimizer state included. A
# callback records the bias after every epoch of 3000 more.

# %%
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

# %% [markdown]
# The bias settles at about 31.95, not 32, and the weight at about 1.798. That is not a flaw of
# the training: three of the seven Fahrenheit labels were rounded to whole degrees (8 C is really
# 46.4 F, 22 C is 71.6 F, 38 C is 100.4 F), and the line with the lowest mean squared error
# through the rounded pairs is slightly off the true formula. numpy's least-squares line fit
# (a closed-form answer, no gradient descent) agrees with what training found:

# %%
best_weight, best_bias = np.polyfit(celsius_q.astype(np.float64), fahrenheit_a, 1)
print(f"least squares: F = {best_weight:.4f} * C + {best_bias:.4f}")
print(f"training:      F = {weight_long:.4f} * C + {bias_long:.4f}")

# %% [markdown]
# ## More neurons: three layers
#
# The next step of the course stacks three `Dense` layers: four units, four units, then one.
# Only the first needs `input_shape`; each later layer learns its input size from the layer
# before it. The data, the loss, the optimizer and the 500 epochs are the same.

# %%
nn.set_random_seed(0)
l0 = nn.Dense(units=4, input_shape=[1])
l1 = nn.Dense(units=4)
l2 = nn.Dense(units=1)
deeper = nn.Sequential([l0, l1, l2])
deeper.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
deeper_history = deeper.fit(celsius_q, fahrenheit_a, epochs=500, verbose=False)
deeper_100 = float(deeper.predict([100.0])[0, 0])
print(f"100 C -> {deeper_100:.2f} F (true: 212)")
for name, layer in (("l0", l0), ("l1", l1), ("l2", l2)):
    print(f"{name}.get_weights():", layer.get_weights())

# %% [markdown]
# This model predicts 100 C just as well, yet none of its 33 variables is anywhere near 1.8 or
# 32. Every layer is linear (no activation), so the three together still compute one straight
# line, `F = a C + b`; `a` and `b` are spread over products and sums of all the variables. Chaining
# the layers by hand recovers them: `a` is the product of the three kernels, `b` what the model
# outputs at 0 C.

# %%
k0, b0 = l0.get_weights()
k1, b1 = l1.get_weights()
k2, b2 = l2.get_weights()
slope = float((k0 @ k1 @ k2)[0, 0])
intercept = float(((b0 @ k1 + b1) @ k2 + b2)[0])
print(f"the three layers together: F = {slope:.4f} * C + {intercept:.4f}")

# %% [markdown]
# ## What this notebook checks
#
# These assertions are the facts taught above; if a change to the library breaks one of them,
# the notebook test fails.

# %%
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
