"""The cases the backend-parity test runs on every Keras backend.

Three kinds: the bundled specs; small probe specs, one or more per registered layer
type, aimed at the places where backends are known to differ (``"same"`` padding with
strides, asymmetric pooling windows, dilation, groups); and a few models built
directly in Keras for what a spec cannot say yet (transposed convolutions,
``channels_first``). Importing this module imports no Keras.
"""

from __future__ import annotations


def _probe(name: str, shape: list[int], *layers: dict) -> dict:
    return {"format": "layergraph/1", "name": name,
            "inputs": [{"name": "x", "shape": shape}], "layers": list(layers)}


def _two_inputs(name: str, merge: dict) -> dict:
    """A merge layer over two branches of one input (so one input array drives it)."""
    return _probe(name, [6, 6, 4],
                  {"type": "Conv2D", "name": "a", "filters": 4, "kernel_size": 1, "inputs": ["x"]},
                  {"type": "Conv2D", "name": "b", "filters": 4, "kernel_size": 3, "padding": "same",
                   "inputs": ["x"]},
                  {**merge, "name": "merge", "inputs": ["a", "b"]})


# Probe specs: one backend-sensitive configuration each.
PROBE_SPECS: dict[str, dict] = {
    "conv_same_s2_even": _probe("conv_same_s2_even", [8, 8, 3],
                                {"type": "Conv2D", "filters": 4, "kernel_size": 3, "strides": 2,
                                 "padding": "same"}),
    "conv_same_s2_odd": _probe("conv_same_s2_odd", [9, 9, 3],
                               {"type": "Conv2D", "filters": 4, "kernel_size": 3, "strides": 2,
                                "padding": "same"}),
    "conv_same_k2_s2": _probe("conv_same_k2_s2", [9, 7, 3],
                              {"type": "Conv2D", "filters": 4, "kernel_size": 2, "strides": 2,
                               "padding": "same"}),
    "conv_same_k4_s3": _probe("conv_same_k4_s3", [10, 11, 3],
                              {"type": "Conv2D", "filters": 4, "kernel_size": [4, 2], "strides": [3, 2],
                               "padding": "same"}),
    "conv_dilated_same": _probe("conv_dilated_same", [9, 9, 3],
                                {"type": "Conv2D", "filters": 4, "kernel_size": 3, "dilation_rate": 2,
                                 "padding": "same"}),
    "conv_groups": _probe("conv_groups", [8, 8, 4],
                          {"type": "Conv2D", "filters": 6, "kernel_size": 3, "groups": 2}),
    "depthwise_same_s2": _probe("depthwise_same_s2", [8, 8, 3],
                                {"type": "DepthwiseConv2D", "kernel_size": 3, "strides": 2,
                                 "padding": "same", "depth_multiplier": 2}),
    "separable_same_s2": _probe("separable_same_s2", [9, 9, 3],
                                {"type": "SeparableConv2D", "filters": 5, "kernel_size": 3,
                                 "strides": 2, "padding": "same"}),
    "maxpool_same_s2": _probe("maxpool_same_s2", [8, 8, 3],
                              {"type": "MaxPooling2D", "pool_size": 3, "strides": 2, "padding": "same"}),
    "avgpool_same_s2": _probe("avgpool_same_s2", [8, 8, 3],
                              {"type": "AveragePooling2D", "pool_size": 3, "strides": 2,
                               "padding": "same"}),
    "avgpool_same_even": _probe("avgpool_same_even", [7, 7, 3],
                                {"type": "AveragePooling2D", "pool_size": 2, "padding": "same"}),
    "global_pools": _probe("global_pools", [5, 5, 3],
                           {"type": "GlobalMaxPooling2D", "name": "gmax", "inputs": ["x"]},
                           {"type": "GlobalAveragePooling2D", "name": "gavg", "inputs": ["x"]},
                           {"type": "Concatenate", "name": "both", "inputs": ["gmax", "gavg"]}),
    "reshaping": _probe("reshaping", [6, 6, 2],
                        {"type": "ZeroPadding2D", "padding": [[1, 2], [0, 3]]},
                        {"type": "Cropping2D", "cropping": [[2, 0], [1, 1]]},
                        {"type": "Reshape", "target_shape": [-1, 2]},
                        {"type": "Flatten"},
                        {"type": "Dense", "units": 3}),
    "activations": _probe("activations", [16],
                          {"type": "Dense", "units": 8, "activation": "gelu"},
                          {"type": "Activation", "activation": "selu"},
                          {"type": "Activation", "activation": "swish"},
                          {"type": "ReLU", "max_value": 0.5, "negative_slope": 0.1, "threshold": 0.1},
                          {"type": "Dropout", "rate": 0.5},
                          {"type": "Dense", "units": 4, "activation": "softmax"}),
    "normalizations": _probe("normalizations", [6, 6, 3],
                             {"type": "BatchNormalization"},
                             {"type": "LayerNormalization"},
                             {"type": "Rescaling", "scale": 0.5, "offset": 0.25},
                             {"type": "Normalization", "mean": [0.1, 0.2, 0.3],
                              "variance": [1.0, 2.0, 0.5]}),
    **{f"merge_{kind.lower()}": _two_inputs(f"merge_{kind.lower()}", {"type": kind})
       for kind in ("Add", "Multiply", "Subtract", "Average", "Maximum", "Minimum")},
    "merge_concatenate": _two_inputs("merge_concatenate", {"type": "Concatenate", "axis": -1}),
}

# Models built directly in Keras: name -> (input shape, layer class, layer kwargs).
KERAS_CASES: dict[str, tuple[list[int], str, dict]] = {
    "conv_transpose_same_s2": ([5, 5, 3], "Conv2DTranspose",
                               {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}),
    "conv_transpose_valid_s2": ([5, 6, 3], "Conv2DTranspose",
                                {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "valid"}),
    "conv_transpose_output_padding": ([5, 5, 3], "Conv2DTranspose",
                                      {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same",
                                       "output_padding": 1}),
    "conv_transpose_k4_same": ([4, 4, 3], "Conv2DTranspose",
                               {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same"}),
    "conv_channels_first": ([3, 9, 9], "Conv2D",
                            {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same",
                             "data_format": "channels_first"}),
    "maxpool_channels_first": ([3, 8, 8], "MaxPooling2D",
                               {"pool_size": 3, "strides": 2, "padding": "same",
                                "data_format": "channels_first"}),
    "avgpool_channels_first": ([3, 8, 8], "AveragePooling2D",
                               {"pool_size": 2, "data_format": "channels_first"}),
}

# Each entry of layergraph.backends.KNOWN_GAPS, as (layer type, backend) -> the Keras
# case above that shows it (built without layergraph's check, so the gap is measured).
KERAS_CASES["avgpool_same_uneven"] = ([8, 8, 3], "AveragePooling2D",
                                      {"pool_size": 3, "strides": 2, "padding": "same"})
GAP_CASES = {("AveragePooling2D", "torch"): "avgpool_same_uneven"}
# Probe specs that layergraph must refuse on a backend, before building.
REFUSED = {("probe:avgpool_same_s2", "torch"): "average_pooling2d"}
