"""Borrowed names: ``nn.metrics`` is ``keras.metrics`` (Keras 3),
``update_state(y_true, y_pred, sample_weight=None)``.

``CASES`` says, for each metric class, the data it is checked on and the constructor options.
"""

from tests.conformance.borrowed import Entry

STATE = (
    "the state is kept in float64 numpy values (Keras keeps float32 variables): results agree to "
    "float32's precision, and result() gives a Python float (an array for several thresholds) "
    "instead of a backend tensor")
UNBUILT = ("result() before any update_state gives 0.0 (Keras' variables are made at the "
           "first batch, and its result() fails before)")
DTYPE = "dtype takes a dtype name or numpy dtype; a DTypePolicy object is refused"

# class -> list of (kind of data, constructor options)
CASES = {
    "Accuracy": [("integers", {})],
    "BinaryAccuracy": [("binary", {}), ("binary", {"threshold": 0.7})],
    "CategoricalAccuracy": [("one_hot", {})],
    "SparseCategoricalAccuracy": [("sparse", {}), ("sparse_column", {})],
    "MeanSquaredError": [("real", {})],
    "MeanAbsoluteError": [("real", {})],
    "MeanAbsolutePercentageError": [("real", {})],
    "MeanSquaredLogarithmicError": [("positive", {})],
    "LogCoshError": [("real", {})],
    "CosineSimilarity": [("real", {})],
    "RootMeanSquaredError": [("real", {})],
    "BinaryCrossentropy": [("binary", {}), ("binary", {"from_logits": True,
                                                     "label_smoothing": 0.1})],
    "CategoricalCrossentropy": [("one_hot_probabilities", {}),
                                ("one_hot", {"from_logits": True, "label_smoothing": 0.2})],
    "SparseCategoricalCrossentropy": [("sparse", {"from_logits": True}),
                                      ("sparse", {"from_logits": True, "ignore_class": 1})],
    "Hinge": [("signs", {})],
    "SquaredHinge": [("signs", {})],
    "CategoricalHinge": [("one_hot", {})],
    "KLDivergence": [("distributions", {})],
    "Poisson": [("positive", {})],
    "TopKCategoricalAccuracy": [("one_hot", {}), ("one_hot", {"k": 2})],
    "SparseTopKCategoricalAccuracy": [("sparse", {"k": 2}), ("sparse_column", {"k": 1}),
                                      ("sparse_ties", {"k": 2}),
                                      ("sorted_ids", {"k": 2, "from_sorted_ids": True})],
    "AUC": [("binary", {}), ("binary", {"num_thresholds": 50, "curve": "PR"}),
            ("multi_label", {"summation_method": "minoring"}),
            ("multi_label", {"summation_method": "majoring", "curve": "PR"}),
            ("multi_label", {"multi_label": True, "label_weights": [1.0, 2.0, 0.5, 1.0]}),
            ("multi_label", {"multi_label": True, "curve": "PR", "num_labels": 4}),
            ("multi_label", {"label_weights": [1.0, 2.0, 0.5, 1.0], "curve": "PRGAIN"}),
            ("binary_logits", {"from_logits": True, "thresholds": [0.2, 0.4, 0.5, 0.9]})],
    "Precision": [("multi_label", {}), ("multi_label", {"thresholds": [0.3, 0.5, 0.8]}),
                  ("multi_label", {"top_k": 2}), ("multi_label", {"class_id": 1}),
                  ("binary", {"thresholds": 0.6})],
    "Recall": [("multi_label", {}), ("multi_label", {"thresholds": [0.3, 0.5, 0.8]}),
               ("multi_label", {"top_k": 2}), ("multi_label", {"class_id": 1}),
               ("binary", {"thresholds": 0.6})],
    "TruePositives": [("binary", {}), ("multi_label", {"thresholds": [0.3, 0.5, 0.8]})],
    "TrueNegatives": [("binary", {}), ("multi_label", {"thresholds": [0.3, 0.5, 0.8]})],
    "FalsePositives": [("binary", {}), ("multi_label", {"thresholds": 0.7})],
    "FalseNegatives": [("binary", {}), ("multi_label", {"thresholds": [0.0, 0.4, 1.0]})],
    "F1Score": [("multi_label", {}), ("multi_label", {"threshold": 0.5}),
                ("one_hot", {"average": "macro"}),
                ("multi_label", {"average": "micro", "threshold": 0.4}),
                ("multi_label", {"average": "weighted"})],
    "FBetaScore": [("multi_label", {"beta": 2.0}),
                   ("multi_label", {"beta": 0.5, "average": "macro", "threshold": 0.6}),
                   ("multi_label", {"average": "micro"}),
                   ("one_hot", {"beta": 3.0, "average": "weighted"})],
    "R2Score": [("real", {}), ("real", {"class_aggregation": "variance_weighted_average"}),
                ("real", {"class_aggregation": None}), ("real", {"num_regressors": 4}),
                ("binary", {})],
}
FUNCTIONS = {"binary_accuracy": "binary", "categorical_accuracy": "one_hot",
             "sparse_categorical_accuracy": "sparse", "top_k_categorical_accuracy": "one_hot",
             "sparse_top_k_categorical_accuracy": "sparse"}

ENTRIES = [
    Entry("nn.metrics.Metric", "keras.metrics.Metric",
          "subclasses keep their state in attributes (no add_variable); an object made "
          "without a name is named after its class in snake case, without Keras' numbering of "
          f"the later ones (precision_1, ...); {STATE}; {DTYPE}"),
    Entry("nn.metrics.Mean", "keras.metrics.Mean", f"{STATE}; {DTYPE}"),
    Entry("nn.metrics.MeanMetricWrapper", "keras.metrics.MeanMetricWrapper",
          f"fn receives Tensors (of this library) as Keras' receives backend tensors; {STATE}; "
          f"{DTYPE}"),
    Entry("nn.metrics.get", "keras.metrics.get",
          "dicts (Keras' serialized configs) are not read; only the metrics this library has are "
          "known by name"),
    *[Entry(f"nn.metrics.{name}", f"keras.metrics.{name}", f"{STATE}; {DTYPE}"
            + (f"; {UNBUILT}" if name in ("F1Score", "FBetaScore", "R2Score") else ""))
      for name in CASES],
    *[Entry(f"nn.metrics.{name}", f"keras.metrics.{name}",
            "returns a numpy array of float32 (Keras: a backend tensor)")
      for name in FUNCTIONS],
]
