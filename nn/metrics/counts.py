"""Keras 3's ``TruePositives``, ``TrueNegatives``, ``FalsePositives`` and ``FalseNegatives``:
the (weighted) number of values in one cell of the confusion matrix, at one or more thresholds.

A value is predicted positive where ``y_pred > threshold`` (0.5 by default) and a label is
positive where ``y_true`` is nonzero, as in ``Precision`` and ``Recall`` (which count the same
cells: ``nn.metrics.confusion``). With a list of thresholds, ``result()`` gives one count per
threshold.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.metrics.confusion import _ConfusionCounts


class _ConditionCount(_ConfusionCounts):
    """One cell of the confusion matrix, named by the attribute that holds its counts."""

    _cell = ""

    def __init__(self, thresholds: Any = None, name: str | None = None,
                 dtype: Any = None) -> None:
        super().__init__(thresholds, None, None, name, dtype)

    def result(self) -> Any:
        """The count (a float), or one per threshold (an array) when several were given."""
        counts: np.ndarray = getattr(self, self._cell)
        return float(counts[0]) if len(self.thresholds) == 1 else counts.copy()

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (name, dtype, thresholds), as Keras'."""
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds}


class TruePositives(_ConditionCount):
    """The (weighted) number of positive labels predicted positive.

    Args:
        thresholds: A float in [0, 1] or a list of them (0.5 when None): a prediction above
            one counts as positive; one count per threshold.
        name: The name reported in logs (``'true_positives'``).
        dtype: The dtype of the result.

    Examples:
        >>> import nn
        >>> m = nn.metrics.TruePositives()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> m.result()
        2.0
    """

    _cell = "true_positives"


class TrueNegatives(_ConditionCount):
    """The (weighted) number of negative labels predicted negative (see ``TruePositives``).

    Examples:
        >>> import nn
        >>> m = nn.metrics.TrueNegatives()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
        >>> m.result()
        2.0
    """

    _cell = "true_negatives"


class FalsePositives(_ConditionCount):
    """The (weighted) number of negative labels predicted positive (see ``TruePositives``).

    Examples:
        >>> import nn
        >>> m = nn.metrics.FalsePositives()
        >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1], sample_weight=[0, 0, 1, 0])
        >>> m.result()
        1.0
    """

    _cell = "false_positives"


class FalseNegatives(_ConditionCount):
    """The (weighted) number of positive labels predicted negative (see ``TruePositives``).

    Examples:
        >>> import nn
        >>> m = nn.metrics.FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> m.result()
        2.0
    """

    _cell = "false_negatives"
