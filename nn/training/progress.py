"""Progress display for ``fit``: a tqdm bar per epoch (``verbose=1``) or a line (``verbose=2``).

tqdm is imported only when a bar is shown; ``tqdm.auto`` gives notebooks a widget and terminals a
text bar.
"""

from __future__ import annotations

from typing import Any

from nn.training.callbacks import LOGS, Callback


def format_logs(logs: LOGS) -> str:
    """``loss: 0.1234 - accuracy: 0.9500``: the numbers of one epoch, Keras' layout."""
    return " - ".join(f"{key}: {value:.4g}" for key, value in logs.items())


class ProgressBar(Callback):
    """Shows one tqdm bar per epoch, its postfix the running loss and metrics."""

    def __init__(self) -> None:
        super().__init__()
        self._bar: Any = None

    def on_epoch_begin(self, epoch: int, logs: LOGS | None = None) -> None:
        from tqdm.auto import tqdm

        self._bar = tqdm(total=self.params.get("steps"), unit="batch", leave=True,
                         desc=f"Epoch {epoch + 1}/{self.params.get('epochs')}")

    def on_train_batch_end(self, batch: int, logs: LOGS | None = None) -> None:
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix_str(format_logs(logs or {}), refresh=False)

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(format_logs(logs or {}))
            self._bar.close()
            self._bar = None


class EpochLine(Callback):
    """Prints one line per epoch: ``Epoch 3/50 - loss: 0.1234 - val_loss: 0.2345``."""

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        print(f"Epoch {epoch + 1}/{self.params.get('epochs')} - {format_logs(logs or {})}")
