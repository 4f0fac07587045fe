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
# # 5. Classification
#
# So far the models predicted a number. A *classifier* predicts a class. This notebook trains
# two: one that separates two interleaved half moons in the plane, where the decision boundary
# can be watched as it forms, and one that reads handwritten digits.

# %%
# %config InlineBackend.figure_format = 'png'
import matplotlib.pyplot as plt
import numpy as np

import autograd as ag
import nn

plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 3.5)})

# %% [markdown]
# ## Two moons
#
# Two classes of points that no straight line can separate. The network ends in one sigmoid
# unit: its output is the probability of class 1, and the loss is the *binary cross-entropy*,
# which punishes confident wrong answers hard.

# %%
x_moons, y_moons = nn.datasets.make_moons(200, noise=0.15, rng=0)
nn.set_random_seed(0)
moons_model = nn.Sequential([
    nn.Dense(16, activation="relu", input_shape=[2]),
    nn.Dense(16, activation="relu"),
    nn.Dense(1, activation="sigmoid"),
])
moons_model.compile(loss="binary_crossentropy", optimizer=nn.optimizers.Adam(0.02),
                    metrics=["accuracy"])

# %% [markdown]
# The *decision boundary* is where the predicted probability crosses 0.5. It is drawn at four
# moments of training by evaluating the model on a grid of points; `fit` is called again to
# continue from where it stopped.

# %%
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

# %% [markdown]
# Before training the boundary is wherever the random weights put it. After a few epochs it is
# nearly a straight line, the best a barely trained network does; as training goes on the ReLU
# units bend it around the tips of the moons.
#
# ## Handwritten digits
#
# scikit-learn ships a small data set of 1797 handwritten digits, each an 8x8 image of grey
# levels 0 to 16. The 64 pixels are the features; the digit is the class, one of ten.

# %%
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

# %% [markdown]
# ### Softmax and cross-entropy
#
# The last layer has ten units, one per digit, and a *softmax*: it turns ten scores into ten
# probabilities that add up to 1. The loss is the *cross-entropy*: minus the log of the
# probability given to the right digit (`sparse_` means the labels are digit numbers, not
# one-hot vectors).
#
# ### Three ways to fight overfitting
#
# With 1437 training images and thousands of weights, a network can memorize the training set
# instead of learning digits. Three common remedies, each a layer or an option:
# - **L2 regularization** (`kernel_regularizer`) adds `l2 * sum(kernel²)` to the loss, keeping
#   weights small;
# - **dropout** (`Dropout(0.2)`) zeroes a random 20% of the hidden values at each training step
#   (and scales up the rest), so no unit can rely on one particular other; it does nothing at
#   prediction time;
# - **batch normalization** (`BatchNormalization`) rescales each hidden value to mean 0 and
#   variance 1 over the batch, which keeps training stable at larger learning rates.

# %%
nn.set_random_seed(0)
digits_model = nn.Sequential([
    nn.Dense(64, input_shape=[64], kernel_regularizer=nn.regularizers.L2(1e-4)),
    nn.BatchNormalization(),
    nn.layers.ReLU(),
    nn.layers.Dropout(0.2),
    nn.Dense(10, activation="softmax", kernel_regularizer=nn.regularizers.L2(1e-4)),
])
digits_model.compile(loss="sparse_categorical_crossentropy", optimizer=nn.optimizers.Adam(0.01),
                     metrics=["accuracy"])
digits_model.summary()
digits_history = digits_model.fit(x_train, y_train, batch_size=64, epochs=20, verbose=False,
                                  validation_data=(x_test, y_test))

# %% [markdown]
# ### Training curves
#
# The loss that training minimizes includes the L2 penalty: as in Keras, `loss` and `val_loss`
# are the cross-entropy plus the penalty. The validation curves come from the test images, which
# training never sees.

# %%
digits_history.plot(keys=["loss", "val_loss", "accuracy", "val_accuracy"])
plt.show()
test_loss, test_accuracy = digits_model.evaluate(x_test, y_test, verbose=0)
last = {key: round(values[-1], 4) for key, values in digits_history.history.items()}
print("last epoch:", last)
print(f"test accuracy: {test_accuracy:.3f}")

# %% [markdown]
# ### Dropout is on during training only
#
# As in Keras, a model runs in training mode only when asked: `fit` trains with
# `training=True`, and a call `model(x, training=True)` does too; `model(x)`, `predict` and
# `evaluate` run in inference mode. In training mode two calls on the same images give
# different outputs (different units are dropped); in inference mode the output is the same
# every time. A call in training mode also moves BatchNormalization's moving statistics towards
# the batch it sees, so the cell keeps the model's state first and puts it back afterwards: the
# trained model stays the one `evaluate` measured.

# %%
sample = ag.tensor(x_test[:5])
kept = digits_model.get_weights()  # copies, moving statistics included
with ag.no_grad():
    differs_in_training = not np.allclose(digits_model(sample, training=True).numpy(),
                                          digits_model(sample, training=True).numpy())
    same_in_inference = np.allclose(digits_model(sample).numpy(), digits_model(sample).numpy())
digits_model.set_weights(kept)
print("training mode, two calls differ:", differs_in_training)
print("inference mode, two calls agree:", same_in_inference)

# %% [markdown]
# ### Confusion matrix
#
# Row `i`, column `j` counts the test images of digit `i` that the model called `j`. A perfect
# model has numbers only on the diagonal; the rest shows which digits it mixes up.

# %%
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

# %% [markdown]
# ## What this notebook checks

# %%
assert moons_accuracy >= 0.95, moons_accuracy                 # the boundary bent around
assert moons_loss[-1] < moons_loss[0] / 5
assert test_accuracy >= 0.9, test_accuracy                    # digits: at least 90% right
assert np.trace(matrix) == (predicted == y_test).sum() and matrix.sum() == len(y_test)
assert np.isclose(np.trace(matrix) / len(y_test), test_accuracy)
assert sorted(digits_history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
assert differs_in_training and same_in_inference              # dropout only while training
probabilities = digits_model.predict(x_test[:10])
assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)   # softmax: probabilities
print("all checks passed")
