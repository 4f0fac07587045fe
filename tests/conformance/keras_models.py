"""Keras' models, ``Input`` and the training methods this library borrows, one ``Entry`` each."""

from tests.conformance.borrowed import Entry

_SEED = ("seed= (ours: the generator of fit's shuffling; Keras draws from its global seed) is "
         "accepted as a keyword")
_QUIET = ("verbose is accepted but shows nothing here (Keras prints a progress bar); steps "
          "only at None; callbacks are refused under nn.distribution.DataParallel")

_LOAD = ("reads the one .npz file that save writes (Keras reads .keras archives); "
         "safe_mode has no effect, since nothing stored is code (no pickle, no lambdas): a "
         "lambda given to compile cannot be saved, and loading such a model with "
         "compile=True raises a TypeError that says so")

ENTRIES = [
    Entry("nn.Input", "keras.Input",
          "sparse, ragged and optional are accepted only at their defaults and tensor= only "
          "as None (no sparse, ragged or optional inputs, nor wrapping a tensor here); a "
          "functional model replays layers of one input each (no merge layers)"),
    Entry("nn.Model", "keras.Model",
          "keywords are name=, trainable= (False only for functional and Sequential models, "
          "whose layers exist when it is given) and " + _SEED + "; a subclass may write "
          "PyTorch's forward instead of call; a subclass cannot pass inputs and outputs to "
          "Model.__init__ (Keras' functional subclassing): a TypeError says so"),
    Entry("nn.Sequential", "keras.Sequential",
          "also torch.nn.Sequential: layers may be given as separate arguments (PyTorch's "
          "form); " + _SEED),
    Entry("nn.Model.compile", "keras.Model.compile",
          "loss_weights, steps_per_execution and auto_scale_loss only at "
          "their defaults (one loss, one step per call); run_eagerly either way and "
          "jit_compile 'auto' or False, since steps always run eagerly here"),
    Entry("nn.Model.fit", "keras.Model.fit",
          "steps_per_epoch and validation_steps only at None (an epoch covers the data); "
          "verbose=1 shows a tqdm bar; under nn.distribution.DataParallel the batch is the "
          "global one"),
    Entry("nn.Model.evaluate", "keras.Model.evaluate", _QUIET),
    Entry("nn.Model.predict", "keras.Model.predict", _QUIET),
    Entry("nn.Model.train_on_batch", "keras.Model.train_on_batch"),
    Entry("nn.Model.test_on_batch", "keras.Model.test_on_batch"),
    Entry("nn.Model.predict_on_batch", "keras.Model.predict_on_batch"),
    Entry("nn.Model.summary", "keras.Model.summary",
          "line_length, positions, expand_nested, show_trainable and layer_range only at "
          "their defaults; the table is plain text; a subclassed model's output shapes show "
          "as '?' (Keras shows those of its last call)"),
    Entry("nn.Model.get_layer", "keras.Model.get_layer"),
    Entry("nn.Model.save", "keras.Model.save",
          "one .npz file (Keras writes .keras); overwrite=False on an existing file is a "
          "FileExistsError (Keras asks on the terminal); zipped=False is refused"),
    Entry("nn.Model.save_weights", "keras.Model.save_weights",
          "one .npz file; max_shard_size only None"),
    Entry("nn.load_model", "keras.saving.load_model", _LOAD),
    Entry("nn.Model.load_weights", "keras.Model.load_weights",
          "skip_mismatch only False: every weight must fit, or nothing changes"),
    Entry("nn.Model.metrics_names", "keras.Model.metrics_names",
          "a property, as Keras'; the loss is not kept in a tracker here (fit and evaluate "
          "sum it themselves), but the names are Keras'", signature=False),
    Entry("nn.Model.reset_metrics", "keras.Model.reset_metrics",
          "resets the compiled metrics; there is no loss tracker to reset here (see "
          "metrics_names)"),
    # keras.models: the same objects as Keras' top-level names, as in Keras
    Entry("nn.models.Model", "keras.models.Model", "the same object as nn.Model"),
    Entry("nn.models.Sequential", "keras.models.Sequential",
          "the same object as nn.Sequential (see there)"),
    Entry("nn.models.load_model", "keras.models.load_model", _LOAD),
    Entry("nn.models.clone_model", "keras.models.clone_model",
          "input_tensors, clone_function and call_function only None, recursive only False "
          "(each layer is rebuilt from its config, Keras' default); anything but a Sequential "
          "or functional model is a TypeError (Keras returns a non-model as it is, and "
          "refuses a subclassed model too)"),
]
