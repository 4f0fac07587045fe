"""The course's first model: learn to turn degrees Celsius into Fahrenheit from seven examples.

One Dense layer with one unit computes ``fahrenheit = weight * celsius + bias``. Trained with mean
squared error and Adam(0.1) for 500 epochs, it gets close to the true formula
``F = 1.8 C + 32``. The program prints what it learned, then writes the loss curve and a drawing
of the trained model's graph (values and gradients on every node) to ``out/``.

Run: python examples/celsius.py [--epochs 500] [--out out]
Data-parallel (docs/distributed.md): mpiexec -n 2 python examples/celsius.py --distributed
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import time

import autograd as ag
import nn
import optim


def train(epochs: int, seed: int) -> tuple[nn.Sequential, nn.History, float]:
    """The course's program, line for line, with this library's names."""
    celsius_q, fahrenheit_a = nn.datasets.celsius_fahrenheit()
    nn.set_random_seed(seed)
    l0 = nn.Dense(units=1, input_shape=[1])
    model = nn.Sequential([l0])
    model.compile(loss="mean_squared_error", optimizer=nn.optimizers.Adam(0.1))
    start = time.perf_counter()
    history = model.fit(celsius_q, fahrenheit_a, epochs=epochs, verbose=False)
    return model, history, time.perf_counter() - start


def save_loss_plot(history: nn.History, path: str) -> None:
    """The loss against the epoch, on a log scale so the slow end of training stays visible."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = history.plot(logy=True)
    ax.set_title("Celsius to Fahrenheit: mean squared error per epoch")
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)


def save_graph(model: nn.Sequential, path: str) -> str:
    """Draw one forward and backward pass of the trained model on the training data."""
    celsius_q, fahrenheit_a = nn.datasets.celsius_fahrenheit()
    prediction = model(celsius_q.reshape(-1, 1))
    loss = nn.losses.MeanSquaredError()(fahrenheit_a.reshape(-1, 1), prediction)
    loss.name = "loss"
    model.zero_grad()
    loss.backward()
    graph = ag.draw_graph(loss, params=model.named_parameters(), show_rule=True)
    if shutil.which("dot") is None:
        dot_path = os.path.splitext(path)[0] + ".dot"
        with open(dot_path, "w", encoding="utf-8") as file:
            file.write(graph.source)
        return (f"{dot_path} (DOT source: install graphviz, e.g. tools/install_graphviz.sh, "
                f"to get a picture)")
    graph.render(outfile=path, cleanup=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="out")
    parser.add_argument("--distributed", action="store_true",
                        help="train data-parallel on the processes mpiexec started")
    args = parser.parse_args()

    guard = contextlib.nullcontext()
    if args.distributed:  # each process takes its share of the seven examples
        nn.distribution.set_distribution(nn.distribution.DataParallel())
        guard = optim.distributed.abort_on_error()  # an error on one process ends them all
    with guard:
        model, history, seconds = train(args.epochs, args.seed)
        # Every process predicts: under a distribution, predict is shared among them.
        prediction = float(model.predict([100.0])[0, 0])
    if not nn.distribution.is_chief():  # rank 0 alone reports and writes the files
        return
    kernel, bias_vector = model.get_layer(index=0).get_weights()
    weight, bias = float(kernel[0, 0]), float(bias_vector[0])
    print(f"Trained for {args.epochs} epochs in {seconds:.2f} s")
    print(f"Learned: fahrenheit = {weight:.4f} * celsius + {bias:.4f}   (true: 1.8 and 32)")
    print(f"Prediction for 100 C: {prediction:.2f} F   (true: 212 F)")
    print(f"Final loss (mean squared error): {history.history['loss'][-1]:.4f}")

    os.makedirs(args.out, exist_ok=True)
    plot_path = os.path.join(args.out, "celsius_loss.png")
    # The picture and the drawing need the 'plot' and 'draw' extras (the Quickstart installs
    # them); with the 'distributed' extra alone, the program says what it skipped and why.
    try:
        save_loss_plot(history, plot_path)
        print(f"Wrote the loss curve to {plot_path}")
    except ImportError as error:
        print(f"Skipped the loss curve: {error.name} is not installed "
              f"(pip install -e '.[plot]')")
    try:
        graph_path = save_graph(model, os.path.join(args.out, "celsius_graph.svg"))
        print(f"Wrote the graph of the trained model to {graph_path}")
    except ImportError as error:
        print(f"Skipped the graph drawing: {error.name} is not installed "
              f"(pip install -e '.[draw]')")


if __name__ == "__main__":
    main()
