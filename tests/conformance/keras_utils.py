"""The Keras utilities this library borrows (``nn.utils``), one ``Entry`` each."""

from tests.conformance.borrowed import Entry

ENTRIES = [
    Entry("nn.utils.to_categorical", "keras.utils.to_categorical",
          "a Tensor gives a Tensor of the default float dtype computed by the numpy rule "
          "(Keras gives a backend tensor through one_hot); an empty input without num_classes "
          "is a ValueError naming the remedy (numpy's max of nothing in Keras)"),
]

# (labels, num_classes) compared with Keras' output, values, shape and dtype.
CASES = [
    ([0, 2, 1, 3], None),
    ([0, 2, 1], 5),
    ([[1], [0], [2]], None),
    ([[0, 1], [2, 0]], 3),
    ([[[1]], [[0]]], None),
    (5, 7),
    ([1.0, 2.0, 0.0], None),
    ([0, -1, 2], 4),
    ([3, 1], 0),
]
