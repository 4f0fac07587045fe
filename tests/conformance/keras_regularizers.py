"""The Keras regularizers this library borrows (``nn.regularizers``), one ``Entry`` each."""

from tests.conformance.borrowed import Entry

_FACTORS = ("the factors are Python floats (Keras keeps L1's as a float32 tensor: the same "
            "penalty for float32 weights)")

ENTRIES = [
    Entry("nn.regularizers.L1", "keras.regularizers.L1", _FACTORS),
    Entry("nn.regularizers.L2", "keras.regularizers.L2"),
    Entry("nn.regularizers.L1L2", "keras.regularizers.L1L2"),
    Entry("nn.regularizers.l1", "keras.regularizers.l1", "the class L1, as in Keras"),
    Entry("nn.regularizers.l2", "keras.regularizers.l2", "the class L2, as in Keras"),
    Entry("nn.regularizers.l1_l2", "keras.regularizers.l1_l2", "the class L1L2, as in Keras"),
    Entry("nn.regularizers.Regularizer", "keras.regularizers.Regularizer"),
    Entry("nn.regularizers.get", "keras.regularizers.get",
          "knows L1, L2 and L1L2 by name or record (Keras' OrthogonalRegularizer is not "
          "provided); an identifier it cannot read is a ValueError, as in Keras"),
]

# (constructor name, arguments) whose penalty is compared with Keras' on the same weights.
CASES = [("L1", {}), ("L1", {"l1": 0.3}), ("L2", {}), ("L2", {"l2": 0.25}), ("L1L2", {}),
         ("L1L2", {"l1": 0.1, "l2": 0.2}), ("L1L2", {"l2": 0.5}), ("l1", {"l1": 0.05}),
         ("l2", {"l2": 1e-3}), ("l1_l2", {"l1": 0.01, "l2": 0.02})]
