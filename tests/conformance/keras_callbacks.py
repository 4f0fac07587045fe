"""The Keras callbacks this library borrows (``nn.callbacks``), one ``Entry`` each."""

from tests.conformance.borrowed import Entry

_AUTO = ("mode='auto' reads the direction from the monitored name (losses and errors down, "
         "accuracies, precision, recall, AUC up; Keras asks its metric objects) and, as Keras, "
         "refuses a name it cannot decide; a mode other than 'auto', 'min' or 'max' is a "
         "ValueError (Keras warns and falls back to 'auto')")

ENTRIES = [
    Entry("nn.callbacks.Callback", "keras.callbacks.Callback",
          "fit calls the training hooks (on_train_*, on_epoch_*, on_train_batch_*); "
          "evaluate and predict take no callbacks, so on_test_* and on_predict_* are not "
          "called"),
    Entry("nn.callbacks.History", "keras.callbacks.History",
          "also has plot() (matplotlib) for the course"),
    Entry("nn.callbacks.EarlyStopping", "keras.callbacks.EarlyStopping", _AUTO),
    Entry("nn.callbacks.ModelCheckpoint", "keras.callbacks.ModelCheckpoint",
          _AUTO + "; files are this library's .npz (Keras requires .keras or .weights.h5); "
          "save_freq only 'epoch'"),
    Entry("nn.callbacks.ReduceLROnPlateau", "keras.callbacks.ReduceLROnPlateau",
          _AUTO + "; an unknown keyword is a TypeError (Keras ignores it)"),
    Entry("nn.callbacks.LearningRateScheduler", "keras.callbacks.LearningRateScheduler",
          "a negative or non-finite rate is a ValueError naming the epoch"),
    Entry("nn.callbacks.TerminateOnNaN", "keras.callbacks.TerminateOnNaN"),
    Entry("nn.callbacks.CSVLogger", "keras.callbacks.CSVLogger",
          "numbers are written with Python's repr of the float"),
    Entry("nn.callbacks.LambdaCallback", "keras.callbacks.LambdaCallback",
          "a hook fit does not call here (on_test_*, on_predict_*) given as a keyword is a "
          "ValueError instead of an attribute that nothing calls"),
]
