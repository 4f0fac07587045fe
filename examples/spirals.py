"""A classifier for three interleaved spirals, on one process or data-parallel on several.

The data is generated (``nn.datasets.make_spirals``), so the program needs nothing beyond the
package itself: with the ``distributed`` extra installed, it is the first thing to run on
several processes. A network of Dense layers with batch normalization and dropout learns which
arm each point of the plane belongs to; a fifth of the points is held out to measure accuracy.

Run: python examples/spirals.py [--epochs 60]
Data-parallel (docs/distributed.md): mpiexec -n 2 python examples/spirals.py --distributed
"""

from __future__ import annotations

import argparse
import contextlib
import time

import numpy as np

import nn
import optim


def load(samples: int = 3000, seed: int = 0) -> tuple[np.ndarray, ...]:
    """``(x_train, y_train, x_test, y_test)``: points of the plane and their arm (0, 1 or 2).
    Every process generates the same points from the same seed."""
    x, y = nn.datasets.make_spirals(samples, n_classes=3, noise=0.05, rng=seed)
    split = int(0.8 * samples)
    return x[:split], y[:split], x[split:], y[split:]


def build(seed: int = 0) -> nn.Sequential:
    """Two hidden layers of 64 with batch normalization and dropout; three logits out."""
    nn.set_random_seed(seed)
    model = nn.Sequential([
        nn.Dense(64, input_shape=[2]),
        nn.BatchNormalization(),
        nn.layers.ReLU(),
        nn.Dense(64, activation="relu"),
        nn.layers.Dropout(0.1),
        nn.Dense(3),
    ])
    model.compile(optimizer=nn.optimizers.Adam(0.01),
                  loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--distributed", action="store_true",
                        help="train data-parallel on the processes mpiexec started")
    args = parser.parse_args()
    guard = contextlib.nullcontext()
    if args.distributed:  # each process takes its share of every batch of 64
        nn.distribution.set_distribution(nn.distribution.DataParallel())
        guard = optim.distributed.abort_on_error()  # an error on one process ends them all
    x_train, y_train, x_test, y_test = load(seed=args.seed)
    with guard:
        model = build(args.seed)
        start = time.perf_counter()
        history = model.fit(x_train, y_train, epochs=args.epochs, batch_size=64,
                            validation_split=0.1, verbose=0)
        seconds = time.perf_counter() - start
        # Shared among the processes too: every process calls them and gets the whole result.
        loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
        predicted = model.predict(x_test, verbose=0).argmax(axis=1)
    if not nn.distribution.is_chief():  # rank 0 alone reports
        return
    processes = nn.distribution.distribution().size if args.distributed else 1
    print(f"Trained for {args.epochs} epochs in {seconds:.1f} s on {processes} process(es)")
    print(f"Training accuracy {history.history['accuracy'][-1]:.3f}, "
          f"validation accuracy {history.history['val_accuracy'][-1]:.3f}")
    print(f"Test loss {loss:.4f}, test accuracy {accuracy:.3f} "
          f"({int(np.sum(predicted == y_test))} of {len(y_test)} points)")


if __name__ == "__main__":
    main()
