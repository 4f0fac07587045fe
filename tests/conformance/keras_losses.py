"""Borrowed names: ``nn.losses`` is ``keras.losses`` (Keras 3), ``fn(y_true, y_pred)``.

``PAIRS`` ties each loss class to its function (and the options the class forwards), so the
tests can run every class under every reduction with the data its function needs. ``DATA``
says which inputs each function is checked on, inside its domain and away from its kinks.
"""

from tests.conformance.borrowed import Entry

SHAPES_CHECKED = (
    "where Keras broadcasts y_true against y_pred of another shape (a (N, 1) target against "
    "(N, 2) outputs; (N,) against (N, 1) for the functions that do not align, an (N, N) loss), "
    "the function raises a ValueError instead (a trailing axis of size 1 is aligned first where "
    "Keras aligns it, and by every class, as in Keras)")
LABELS_CHECKED = (
    "y_true outside [0, 1] (such as -1/+1 labels) raises a ValueError naming the loss and the "
    "range received; Keras returns a meaningless number")
INDICES_CHECKED = (
    "class indices outside [0, classes - 1] or not whole raise a ValueError (Keras' one-hot "
    "turns them into a loss of 0, or truncates them); only the last axis can be the class axis "
    "(Keras' backends require it too, less clearly)")
DELTA_CHECKED = "delta <= 0 raises a ValueError (Keras computes a meaningless loss)"
DTYPE = (
    "dtype takes a float dtype name or numpy dtype (a DTypePolicy object is refused); with "
    "dtype=None the loss computes in y_pred's float dtype, so a float64 model keeps float64 "
    "losses and gradients (Keras casts to its floatx, float32: the same for float32 models)")

# class -> (function, the function's options the class takes)
PAIRS = {
    "MeanSquaredError": ("mean_squared_error", ()),
    "MeanAbsoluteError": ("mean_absolute_error", ()),
    "MeanAbsolutePercentageError": ("mean_absolute_percentage_error", ()),
    "MeanSquaredLogarithmicError": ("mean_squared_logarithmic_error", ()),
    "CosineSimilarity": ("cosine_similarity", ("axis",)),
    "Huber": ("huber", ("delta",)),
    "LogCosh": ("log_cosh", ()),
    "Hinge": ("hinge", ()),
    "SquaredHinge": ("squared_hinge", ()),
    "CategoricalHinge": ("categorical_hinge", ()),
    "KLDivergence": ("kl_divergence", ()),
    "Poisson": ("poisson", ()),
    "BinaryCrossentropy": ("binary_crossentropy",
                           ("from_logits", "label_smoothing", "axis")),
    "BinaryFocalCrossentropy": ("binary_focal_crossentropy",
                                ("apply_class_balancing", "alpha", "gamma", "from_logits",
                                 "label_smoothing", "axis")),
    "CategoricalCrossentropy": ("categorical_crossentropy",
                                ("from_logits", "label_smoothing", "axis")),
    "CategoricalFocalCrossentropy": ("categorical_focal_crossentropy",
                                     ("alpha", "gamma", "from_logits", "label_smoothing",
                                      "axis")),
    "SparseCategoricalCrossentropy": ("sparse_categorical_crossentropy",
                                      ("from_logits", "ignore_class", "axis")),
}

# function -> (kind of data, the keyword options to check it with)
DATA = {
    "mean_squared_error": ("real", [{}]),
    "mean_absolute_error": ("real", [{}]),
    "mean_absolute_percentage_error": ("real", [{}]),
    "mean_squared_logarithmic_error": ("positive", [{}]),
    "cosine_similarity": ("real", [{}, {"axis": 0}]),
    "huber": ("real", [{}, {"delta": 0.5}, {"delta": 2.0}]),
    "log_cosh": ("real", [{}]),
    "hinge": ("signs", [{}]),
    "squared_hinge": ("signs", [{}]),
    "categorical_hinge": ("one_hot", [{}]),
    "kl_divergence": ("distributions", [{}]),
    "poisson": ("positive", [{}]),
    "binary_crossentropy": ("binary", [{}, {"from_logits": True},
                                       {"label_smoothing": 0.2},
                                       {"from_logits": True, "label_smoothing": 0.1}]),
    "binary_focal_crossentropy": ("binary", [{}, {"gamma": 3.0, "apply_class_balancing": True},
                                             {"from_logits": True, "alpha": 0.4},
                                             {"label_smoothing": 0.1}]),
    "categorical_crossentropy": ("one_hot", [{}, {"from_logits": True},
                                             {"label_smoothing": 0.1},
                                             {"from_logits": True, "label_smoothing": 0.2}]),
    "categorical_focal_crossentropy": ("one_hot", [{}, {"from_logits": True, "gamma": 3.0},
                                                   {"alpha": 0.5, "label_smoothing": 0.1}]),
    "sparse_categorical_crossentropy": ("sparse", [{}, {"from_logits": True},
                                                   {"from_logits": True, "ignore_class": 2},
                                                   {"ignore_class": 0}]),
}

_FUNCTION_NOTES = {
    "binary_crossentropy": f"{LABELS_CHECKED}; {SHAPES_CHECKED}",
    "binary_focal_crossentropy": f"{LABELS_CHECKED}; {SHAPES_CHECKED}",
    "sparse_categorical_crossentropy": INDICES_CHECKED,
    "huber": f"{DELTA_CHECKED}; {SHAPES_CHECKED}",
}


def _note(function: str) -> str:
    return _FUNCTION_NOTES.get(function, SHAPES_CHECKED)


def _class_note(function: str) -> str:
    return f"{_note(function)}; {DTYPE}"


ENTRIES = [
    Entry("nn.losses.Loss", "keras.losses.Loss",
          "subclasses write call(y_true, y_pred) and may write mask(y_true, y_pred) (what "
          "Keras' mask on the values does); an object made without a name is named after its "
          "class in snake case, without Keras' numbering of the later ones (squares_1, ...); "
          f"{DTYPE}"),
    Entry("nn.losses.get", "keras.losses.get",
          "dicts (Keras' serialized configs) are not read: nn saves a compiled loss by name"),
    *[Entry(f"nn.losses.{cls}", f"keras.losses.{cls}", _class_note(function))
      for cls, (function, _) in PAIRS.items()],
    *[Entry(f"nn.losses.{function}", f"keras.losses.{function}", _note(function))
      for function in DATA],
]
