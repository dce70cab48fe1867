"""Peer process for the render benchmark: keras.applications.ResNet50 drawn with plot_model to SVG."""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

model = keras.applications.ResNet50(weights=None)
keras.utils.plot_model(model, to_file=sys.argv[1], show_shapes=True)
