"""nn.saving: model files (one ``.npz`` archive written atomically), layer configurations and
``state_dict`` checks."""

from nn.saving.archive import CheckpointError
from nn.saving.model_files import load_model, load_weights, save_model, save_weights
from nn.saving.state_dict import IncompatibleKeys

__all__ = ["CheckpointError", "IncompatibleKeys", "load_model", "load_weights", "save_model",
           "save_weights"]
