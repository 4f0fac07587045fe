"""The course's first model, line for line as Keras users write it: one Dense unit learns to turn
degrees Celsius into Fahrenheit from seven examples (mean squared error, Adam(0.1), 500 epochs).

With Keras 3 installed, ``python celsius_course.py`` runs it on Keras.
``tests/test_keras_programs.py`` runs the same file on this library with only its import lines
changed, from the same initial weights, and checks that every epoch's loss and the learned
weights equal Keras'.
"""

import keras
import numpy as np


def data():
    celsius_q = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
    fahrenheit_a = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)
    return celsius_q, fahrenheit_a


def build():
    l0 = keras.layers.Dense(units=1, input_shape=[1])
    model = keras.Sequential([l0])
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
    return model, l0


def train(model, epochs=500):
    celsius_q, fahrenheit_a = data()
    history = model.fit(celsius_q, fahrenheit_a, epochs=epochs, verbose=False)
    return history


if __name__ == "__main__":
    model, l0 = build()
    history = train(model)
    print("Finished training the model")
    print(model.predict(np.array([100.0]), verbose=0))
    print(f"These are the layer variables: {l0.get_weights()}")
    print("final loss", history.history["loss"][-1])
