"""Writes the interop fixture: a Keras Dense(1) fitted on Fahrenheit/Celsius pairs, as a SavedModel.

Like the model the TensorFlow Serving deployment served. Its signature keeps Keras's own names
(the Input layer's name for the input, output_0 for the output) and shapes [-1, 1], so the server
must read them from the signature rather than assume fahrenheit/celsius.

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    .venv/bin/python make_keras_model.py ../resources/models/keras_fahrenheit/1
"""
import json
import sys

import numpy as np
import tensorflow as tf

FAHRENHEIT = np.array([-40, 14, 32, 46.4, 59, 71.6, 100.4], dtype=np.float32)
CELSIUS = (FAHRENHEIT - 32) * 5 / 9


def main(export_dir: str) -> None:
    tf.keras.utils.set_random_seed(7)
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(1,), name="temperature_f"),
        tf.keras.layers.Dense(1, name="dense"),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.1), loss="mean_squared_error")
    model.fit(FAHRENHEIT.reshape(-1, 1), CELSIUS.reshape(-1, 1), epochs=1500, verbose=0)
    weight, bias = (float(v.numpy().ravel()[0]) for v in model.layers[0].weights)
    model.export(export_dir, format="tf_saved_model")
    # The fitted parameters, so the Java test can compare the served answers with them exactly.
    with open(f"{export_dir}/../fitted.json", "w") as out:
        json.dump({"weight": weight, "bias": bias, "tensorflow": tf.__version__}, out, indent=1)
    print(f"exported to {export_dir}: celsius = fahrenheit * {weight} + {bias}")


if __name__ == "__main__":
    main(sys.argv[1])
