"""The Keras utilities this library borrows (``nn.utils``), one ``Entry`` each."""

from tests.conformance.borrowed import Entry

ENTRIES = [
    Entry("nn.utils.to_categorical", "keras.utils.to_categorical",
          "a Tensor gives a Tensor of the default float dtype computed by the numpy rule "
          "(Keras gives a backend tensor through one_hot); an empty input without num_classes "
          "is a ValueError naming the remedy (numpy's max of nothing in Keras)"),
    Entry("nn.utils.set_random_seed", "keras.utils.set_random_seed",
          "the same object as nn.set_random_seed: it restarts autograd's seed sequence, from "
          "which every layer, dropout and shuffle draws; numpy's global state and Python's "
          "random module are not seeded (Keras seeds both, and its backend), since nothing "
          "here draws from them"),
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
