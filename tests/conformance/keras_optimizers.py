"""The Keras optimizers this library borrows (``nn.optimizers``), one ``Entry`` each.

``CASES`` lists, for each optimizer, the options whose numbers the conformance test compares
with Keras' own (100 steps on the same gradients).
"""

from tests.conformance.borrowed import Entry

_COMMON = ("learning_rate and iterations read as Python numbers, not keras.Variable objects; "
           "learning_rate takes a float, a schedule of nn.optimizers.schedules or a callable "
           "with no arguments; use_ema "
           "and loss_scale_factor are accepted only at their defaults (fit neither averages "
           "the weights nor scales the loss), any other value is refused")

_SCHEDULE = ("values are numpy float32 scalars (Keras: backend tensors), computed in float32 "
             "as Keras computes them")

ENTRIES = [
    Entry("nn.optimizers.SGD", "keras.optimizers.SGD", _COMMON),
    Entry("nn.optimizers.Adam", "keras.optimizers.Adam", _COMMON),
    Entry("nn.optimizers.AdamW", "keras.optimizers.AdamW", _COMMON),
    Entry("nn.optimizers.RMSprop", "keras.optimizers.RMSprop", _COMMON),
    Entry("nn.optimizers.Adagrad", "keras.optimizers.Adagrad", _COMMON),
    Entry("nn.optimizers.Adadelta", "keras.optimizers.Adadelta", _COMMON),
    Entry("nn.optimizers.Adamax", "keras.optimizers.Adamax", _COMMON),
    Entry("nn.optimizers.Nadam", "keras.optimizers.Nadam", _COMMON),
    Entry("nn.optimizers.schedules.LearningRateSchedule",
          "keras.optimizers.schedules.LearningRateSchedule"),
    Entry("nn.optimizers.schedules.ExponentialDecay",
          "keras.optimizers.schedules.ExponentialDecay", _SCHEDULE),
    Entry("nn.optimizers.schedules.InverseTimeDecay",
          "keras.optimizers.schedules.InverseTimeDecay", _SCHEDULE),
    Entry("nn.optimizers.schedules.PolynomialDecay",
          "keras.optimizers.schedules.PolynomialDecay", _SCHEDULE),
    Entry("nn.optimizers.schedules.PiecewiseConstantDecay",
          "keras.optimizers.schedules.PiecewiseConstantDecay", _SCHEDULE),
    Entry("nn.optimizers.schedules.CosineDecay", "keras.optimizers.schedules.CosineDecay",
          _SCHEDULE),
    Entry("nn.optimizers.schedules.CosineDecayRestarts",
          "keras.optimizers.schedules.CosineDecayRestarts", _SCHEDULE),
    Entry("nn.optimizers.schedules.serialize", "keras.optimizers.schedules.serialize",
          "only this module's schedules; the record has Keras' keys"),
    Entry("nn.optimizers.schedules.deserialize", "keras.optimizers.schedules.deserialize",
          "custom_objects is accepted only as None"),
    Entry("nn.optimizers.get", "keras.optimizers.get",
          "names only the eight optimizers above (Keras' others, such as 'lion', are refused "
          "by name); optim's PyTorch optimizers pass through as Keras' own objects do"),
]

_CLIPS = [dict(clipnorm=0.5), dict(clipvalue=0.3), dict(global_clipnorm=1.0),
          dict(weight_decay=0.05)]
# Keras runs gradient accumulation through jax.lax.cond, traced again at every eager step:
# slow, so it is checked where its interplay differs (momentum and decay, bias correction on
# the divided count, Nadam's product that only update steps advance, global clipping).

CASES = {
    "SGD": [dict(), dict(learning_rate=0.1), dict(momentum=0.9),
            dict(momentum=0.9, nesterov=True), dict(momentum=0.5, weight_decay=0.01),
            dict(momentum=0.9, gradient_accumulation_steps=4, weight_decay=0.01), *_CLIPS],
    "Adam": [dict(), dict(learning_rate=0.05, beta_1=0.8, beta_2=0.99, epsilon=1e-5),
             dict(amsgrad=True), dict(amsgrad=True, learning_rate=0.02),
             dict(gradient_accumulation_steps=3), *_CLIPS],
    "AdamW": [dict(), dict(weight_decay=0.1, learning_rate=0.01), dict(amsgrad=True),
              dict(clipnorm=0.5), dict(gradient_accumulation_steps=2, global_clipnorm=1.0)],
    "RMSprop": [dict(), dict(rho=0.8, epsilon=1e-4), dict(momentum=0.9), dict(centered=True),
                dict(centered=True, momentum=0.5, learning_rate=0.01), *_CLIPS],
    "Adagrad": [dict(), dict(initial_accumulator_value=0.5, learning_rate=0.05),
                dict(epsilon=1e-3), *_CLIPS],
    "Adadelta": [dict(), dict(learning_rate=1.0, rho=0.9), dict(epsilon=1e-4), *_CLIPS],
    "Adamax": [dict(), dict(learning_rate=0.02, beta_1=0.8, beta_2=0.99), *_CLIPS],
    "Nadam": [dict(), dict(learning_rate=0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-5),
              dict(gradient_accumulation_steps=3), *_CLIPS],
}

SCHEDULES = [
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=7, decay_rate=0.5)),
    ("ExponentialDecay", dict(initial_learning_rate=0.1, decay_steps=7, decay_rate=0.5,
                              staircase=True)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=5, decay_rate=0.3)),
    ("InverseTimeDecay", dict(initial_learning_rate=0.1, decay_steps=5, decay_rate=0.3,
                              staircase=True)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=30)),
    ("PolynomialDecay", dict(initial_learning_rate=0.1, decay_steps=30, end_learning_rate=0.01,
                             power=2.0, cycle=True)),
    ("PiecewiseConstantDecay", dict(boundaries=[10, 40], values=[0.1, 0.05, 0.01])),
    ("CosineDecay", dict(initial_learning_rate=0.1, decay_steps=30, alpha=0.1)),
    ("CosineDecay", dict(initial_learning_rate=0.0, decay_steps=30, warmup_target=0.1,
                         warmup_steps=10)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=7)),
    ("CosineDecayRestarts", dict(initial_learning_rate=0.1, first_decay_steps=7, t_mul=1.0,
                                 m_mul=0.5, alpha=0.1)),
]
