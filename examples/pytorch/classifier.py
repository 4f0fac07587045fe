"""A classifier of three interleaved spirals: an MLP trained with mini-batches from a DataLoader,
cross-entropy, SGD with momentum and a step schedule; evaluated under no_grad in eval mode; its
state_dict saved to a file and loaded into a fresh model.

Written as a PyTorch user writes it: with torch installed, ``python classifier.py`` runs it on
PyTorch. ``tests/test_torch_programs.py`` runs the same file on this library with only its import
lines changed, and checks that both give the same numbers from the same initial weights.
"""

import os
import tempfile

import numpy as np
import torch
from torch import nn, optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset


def make_spirals(n_per_class=200, classes=3, seed=0):
    """Points on ``classes`` noisy spiral arms, as float32 coordinates and int64 labels."""
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.05, 1.0, n_per_class), classes)
    label = np.repeat(np.arange(classes), n_per_class)
    angle = label * 2 * np.pi / classes + radius * 4 + rng.normal(0, 0.15, radius.shape)
    points = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)
    return points.astype(np.float32), label.astype(np.int64)


class SpiralNet(nn.Module):
    def __init__(self, hidden=32, classes=3):
        super().__init__()
        self.flatten = nn.Flatten()
        self.layers = nn.Sequential(
            nn.Linear(2, hidden),
            nn.ReLU(),
            nn.Dropout(p=0.1),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, classes),
        )

    def forward(self, x):
        return self.layers(self.flatten(x))


def loaders(batch_size=32, shuffle=True):
    x, y = make_spirals()
    order = np.random.default_rng(1).permutation(len(x))
    x, y = x[order], y[order]
    split = int(0.8 * len(x))
    train = TensorDataset(torch.from_numpy(x[:split]), torch.from_numpy(y[:split]))
    test = TensorDataset(torch.from_numpy(x[split:]), torch.from_numpy(y[split:]))
    return (DataLoader(train, batch_size=batch_size, shuffle=shuffle),
            DataLoader(test, batch_size=batch_size))


def train_epoch(model, loader, loss_fn, optimizer, losses):
    model.train()
    for X, y in loader:
        pred = model(X)
        loss = loss_fn(pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())


def evaluate(model, loader, loss_fn):
    model.eval()
    total, correct, batches = 0.0, 0, 0
    with torch.no_grad():
        for X, y in loader:
            pred = model(X)
            total += loss_fn(pred, y).item()
            _, predicted = torch.max(pred, 1)
            correct += (predicted == y).type(torch.float).sum().item()
            batches += 1
    return total / batches, correct / len(loader.dataset)


def run(model, epochs=10, shuffle=True, max_steps=None):
    """Train ``model``; the loss of every step, and the test loss and accuracy after each epoch."""
    train_loader, test_loader = loaders(shuffle=shuffle)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = StepLR(optimizer, step_size=4, gamma=0.5)
    losses, scores = [], []
    for _ in range(epochs):
        train_epoch(model, train_loader, loss_fn, optimizer, losses)
        scheduler.step()
        scores.append(evaluate(model, test_loader, loss_fn))
        if max_steps is not None and len(losses) >= max_steps:
            break
    return losses, scores


def save_and_reload(model):
    """The model's weights through a file, into a new model: the predictions must not change."""
    path = os.path.join(tempfile.mkdtemp(), "spirals.pt")
    torch.save(model.state_dict(), path)
    fresh = SpiralNet()
    fresh.load_state_dict(torch.load(path))
    fresh.eval()
    return fresh


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SpiralNet()
    losses, scores = run(model)
    reloaded = save_and_reload(model)
    x = torch.from_numpy(make_spirals()[0][:5])
    model.eval()
    with torch.no_grad():
        same = torch.equal(model(x), reloaded(x))
    print(f"loss {losses[0]:.3f} -> {losses[-1]:.3f}; test loss {scores[-1][0]:.3f}, "
          f"accuracy {scores[-1][1]:.3f}; reloaded model predicts the same: {same}")
