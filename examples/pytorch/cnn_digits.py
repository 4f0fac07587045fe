"""A small convolutional network on scikit-learn's 8x8 handwritten digits, in the style of
PyTorch's MNIST example: two convolutions, max pooling, dropout, a flatten and two linear layers,
log-softmax with the negative log-likelihood loss, Adadelta and a step schedule.

Written as a PyTorch user writes it: with torch installed, ``python cnn_digits.py`` runs it on
PyTorch. ``tests/test_torch_programs.py`` runs the same file on this library with only its import
lines changed, and checks that both give the same numbers from the same initial weights.
"""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, 1)
        self.conv2 = nn.Conv2d(8, 16, 3, 1, padding=1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(16 * 3 * 3, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.dropout2(x)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)


def load_digits(test_fraction=0.2):
    """The 1,797 images as (N, 1, 8, 8) float32 in [0, 1] and int64 labels, split in two."""
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None]
    y = digits.target.astype(np.int64)
    split = int(len(x) * (1 - test_fraction))
    return (torch.from_numpy(x[:split]), torch.from_numpy(y[:split]),
            torch.from_numpy(x[split:]), torch.from_numpy(y[split:]))


def train(model, x, y, optimizer, batch_size, losses, max_steps=None):
    model.train()
    for start in range(0, len(x), batch_size):
        data, target = x[start:start + batch_size], y[start:start + batch_size]
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if max_steps is not None and len(losses) >= max_steps:
            return


def test(model, x, y):
    model.eval()
    with torch.no_grad():
        output = model(x)
        loss = F.nll_loss(output, y, reduction="sum").item() / len(x)
        pred = output.argmax(dim=1, keepdim=True)
        correct = pred.eq(y.view_as(pred)).sum().item()
    return loss, correct / len(x)


def run(model, epochs=4, batch_size=64, max_steps=None):
    """Train ``model``; the loss of every step and the test loss and accuracy after each epoch."""
    x_train, y_train, x_test, y_test = load_digits()
    optimizer = optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
    losses, scores = [], []
    for _ in range(epochs):
        train(model, x_train, y_train, optimizer, batch_size, losses, max_steps)
        scheduler.step()
        scores.append(test(model, x_test, y_test))
        if max_steps is not None and len(losses) >= max_steps:
            break
    return losses, scores


if __name__ == "__main__":
    torch.manual_seed(1)
    losses, scores = run(Net())
    print(f"loss {losses[0]:.3f} -> {losses[-1]:.3f}; test loss {scores[-1][0]:.3f}, "
          f"accuracy {scores[-1][1]:.3f}")
