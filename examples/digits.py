"""A classifier for handwritten digits: softmax, cross-entropy, mini-batches, dropout, batch norm.

The data is scikit-learn's bundled set of 1,797 8x8 images of the digits 0-9 (installed with the
package, nothing downloaded). A small network of Dense layers learns to name the digit; the last
fifth of the images is held out to measure accuracy on images the model never trained on.

Run: python examples/digits.py [--epochs 30]
Data-parallel (docs/distributed.md): mpiexec -n 2 python examples/digits.py --distributed
"""

from __future__ import annotations

import argparse
import contextlib
import time

import numpy as np

import nn
import optim


def load(test_fraction: float = 0.2, seed: int = 0) -> tuple:
    """``(x_train, y_train, x_test, y_test)``: pixels scaled to [0, 1], integer labels."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    split = int(len(x) * (1 - test_fraction))
    return x[:split], y[:split], x[split:], y[split:]


def build(seed: int = 0) -> nn.Sequential:
    """Two hidden layers with batch normalization, dropout and an L2 penalty; ten logits out."""
    nn.set_random_seed(seed)
    l2 = nn.regularizers.L2(1e-4)
    model = nn.Sequential([
        nn.Dense(128, input_shape=[64], kernel_regularizer=l2),
        nn.BatchNormalization(),
        nn.layers.ReLU(),
        nn.layers.Dropout(0.2),
        nn.Dense(64, activation="relu", kernel_regularizer=l2),
        nn.layers.Dropout(0.2),
        nn.Dense(10),
    ])
    model.compile(optimizer=optim.Adam(1e-3),
                  loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def confusion_matrix(truth: np.ndarray, predicted: np.ndarray, classes: int = 10) -> np.ndarray:
    """Counts of (true class, predicted class) pairs."""
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (truth, predicted), 1)
    return matrix


def train(epochs: int = 30, seed: int = 0, verbose: int = 0) -> dict:
    """Train and evaluate; returns the model, its history, test accuracy and time."""
    x_train, y_train, x_test, y_test = load(seed=seed)
    model = build(seed)
    start = time.perf_counter()
    history = model.fit(x_train, y_train, epochs=epochs, batch_size=32, validation_split=0.1,
                        verbose=verbose)
    seconds = time.perf_counter() - start
    predicted = model.predict(x_test).argmax(axis=1)
    return {"model": model, "history": history, "seconds": seconds,
            "accuracy": float(np.mean(predicted == y_test)),
            "confusion": confusion_matrix(y_test, predicted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--distributed", action="store_true",
                        help="train data-parallel on the processes mpiexec started")
    args = parser.parse_args()
    guard = contextlib.nullcontext()
    if args.distributed:  # each process trains on its share of every batch of 32
        nn.distribution.set_distribution(nn.distribution.DataParallel())
        guard = optim.distributed.abort_on_error()  # an error on one process ends them all
    with guard:
        result = train(args.epochs, args.seed, verbose=2)
    if not nn.distribution.is_chief():  # rank 0 alone reports
        return
    result["model"].summary()
    print(f"Test accuracy: {result['accuracy']:.4f} after {args.epochs} epochs "
          f"({result['seconds']:.1f} s)")
    print("Confusion matrix (rows: true digit, columns: predicted digit):")
    print(result["confusion"])


if __name__ == "__main__":
    main()
