"""Peer process for the start-up benchmark: build VGG16 in Keras, print its shapes and parameters.

What a user would run to learn what `layergraph summary specs/vgg16.json` tells.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
from keras import layers  # noqa: E402

model = keras.Sequential([layers.Input(shape=(224, 224, 3))])
for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
    for _ in range(convs):
        model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
    model.add(layers.MaxPooling2D(2, strides=2))
model.add(layers.Flatten())
model.add(layers.Dense(4096, activation="relu"))
model.add(layers.Dense(4096, activation="relu"))
model.add(layers.Dense(1000, activation="softmax"))
for layer in model.layers:
    print(layer.name, layer.output.shape, layer.count_params())
print("total", model.count_params())
