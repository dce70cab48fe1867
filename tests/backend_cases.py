"""The cases the backend-parity test runs on every Keras backend.

Three kinds: the bundled specs; small probe specs, one or more per registered layer
type, aimed at the places where backends are known to differ (``"same"`` padding with
strides, asymmetric pooling windows, dilation, groups, causal and transposed
convolutions, resizing); and a few models built directly in Keras (``channels_first``,
and each known gap measured without layergraph's refusal). Importing this module
imports no Keras; it reads the layer registry to probe only the registered types.
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


def _dot_probe() -> dict:
    """Dot over two Dense branches: a batched matmul (axes 2, 2) and a cosine (normalize)."""
    return _probe("dot", [5, 4],
                  {"type": "Dense", "name": "a", "units": 3, "inputs": ["x"]},
                  {"type": "Dense", "name": "b", "units": 3, "inputs": ["x"]},
                  {"type": "Dot", "name": "gram", "axes": [2, 2], "inputs": ["a", "b"]},
                  {"type": "Dot", "name": "cosine", "axes": 1, "normalize": True,
                   "inputs": ["a", "b"]},
                  {"type": "Flatten", "name": "flat_gram", "inputs": ["gram"]},
                  {"type": "Flatten", "name": "flat_cosine", "inputs": ["cosine"]},
                  {"type": "Concatenate", "name": "both", "inputs": ["flat_gram", "flat_cosine"]})


def _branches(name: str, shape: list[int], *layers: dict) -> dict:
    """Each layer on the input in its own branch, flattened and concatenated."""
    named = [{**layer, "name": f"l{i}", "inputs": ["x"]} for i, layer in enumerate(layers)]
    flat = [{"type": "Flatten", "name": f"flat{i}", "inputs": [f"l{i}"]} for i in range(len(layers))]
    return _probe(name, shape, *named, *flat,
                  {"type": "Concatenate", "name": "all", "inputs": [f["name"] for f in flat]})


# The catalogue's 1-D and 3-D layers, resizing and the inference-identity layers
# (noise, dropout and Random* augmentation pass inputs through with training=False,
# which is how the worker calls every model).
CATALOGUE_PROBE_SPECS: dict[str, dict] = {
    "conv1d_same_s2": _probe("conv1d_same_s2", [9, 3],
                             {"type": "Conv1D", "filters": 4, "kernel_size": 4, "strides": 2,
                              "padding": "same"}),
    "conv1d_causal_dilated": _probe("conv1d_causal_dilated", [10, 4],
                                    {"type": "Conv1D", "filters": 4, "kernel_size": 3,
                                     "dilation_rate": 2, "padding": "causal", "groups": 2}),
    "depthwise_separable_1d": _probe("depthwise_separable_1d", [9, 3],
                                     {"type": "DepthwiseConv1D", "kernel_size": 3, "strides": 2,
                                      "padding": "same", "depth_multiplier": 2},
                                     {"type": "SeparableConv1D", "filters": 4, "kernel_size": 2,
                                      "padding": "same", "dilation_rate": 2}),
    "conv3d_same_s2": _probe("conv3d_same_s2", [5, 6, 4, 2],
                             {"type": "Conv3D", "filters": 3, "kernel_size": 3, "strides": [2, 2, 1],
                              "padding": "same"},
                             {"type": "Conv3D", "filters": 2, "kernel_size": 2, "dilation_rate": 2,
                              "padding": "same"}),
    "conv1d_transpose_s2_output_padding": _probe(
        "conv1d_transpose_s2_output_padding", [5, 3],
        {"type": "Conv1DTranspose", "filters": 2, "kernel_size": 3, "strides": 2, "padding": "same",
         "output_padding": 1},
        {"type": "Conv1DTranspose", "filters": 2, "kernel_size": 4, "strides": 3, "padding": "valid"}),
    "conv2d_transpose_k4_s2_valid": _probe(
        "conv2d_transpose_k4_s2_valid", [3, 4, 2],
        {"type": "Conv2DTranspose", "filters": 2, "kernel_size": 4, "strides": 2, "padding": "valid",
         "output_padding": [1, 0]}),
    "conv3d_transpose_same_s2": _probe(
        "conv3d_transpose_same_s2", [3, 3, 2, 2],
        {"type": "Conv3DTranspose", "filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
        {"type": "Conv3DTranspose", "filters": 2, "kernel_size": 2, "strides": [1, 2, 1],
         "padding": "valid"}),
    "pool1d_same_s2": _probe("pool1d_same_s2", [9, 3],
                             {"type": "MaxPooling1D", "pool_size": 3, "strides": 2, "padding": "same"},
                             {"type": "AveragePooling1D", "pool_size": 2, "padding": "same"},
                             {"type": "AveragePooling1D", "pool_size": 2, "strides": 1}),
    "avgpool1d_same_uneven": _probe("avgpool1d_same_uneven", [8, 3],
                                    {"type": "AveragePooling1D", "pool_size": 3, "strides": 2,
                                     "padding": "same"}),
    "pool3d_same_s2": _probe("pool3d_same_s2", [5, 5, 4, 2],
                             {"type": "MaxPooling3D", "pool_size": 3, "strides": 2, "padding": "same"},
                             {"type": "AveragePooling3D", "pool_size": 2, "padding": "same"}),
    "avgpool3d_same_uneven": _probe("avgpool3d_same_uneven", [4, 5, 4, 2],
                                    {"type": "AveragePooling3D", "pool_size": 3, "strides": 2,
                                     "padding": "same"}),
    "global_pools_1d_3d": _probe(
        "global_pools_1d_3d", [3, 4, 5, 2],
        {"type": "GlobalMaxPooling3D", "name": "gmax3", "inputs": ["x"]},
        {"type": "GlobalAveragePooling3D", "name": "gavg3", "keepdims": True, "inputs": ["x"]},
        {"type": "Reshape", "name": "seq", "target_shape": [12, 10], "inputs": ["x"]},
        {"type": "GlobalMaxPooling1D", "name": "gmax1", "inputs": ["seq"]},
        {"type": "GlobalAveragePooling1D", "name": "gavg1", "inputs": ["seq"]},
        {"type": "Flatten", "name": "flat3", "inputs": ["gavg3"]},
        {"type": "Concatenate", "name": "all", "inputs": ["gmax3", "flat3", "gmax1", "gavg1"]}),
    "reshaping_1d": _probe("reshaping_1d", [5, 2],
                           {"type": "Masking", "mask_value": 0.0},
                           {"type": "ZeroPadding1D", "padding": [1, 2]},
                           {"type": "Cropping1D", "cropping": [2, 1]},
                           {"type": "UpSampling1D", "size": 2},
                           {"type": "SpatialDropout1D", "rate": 0.5},
                           {"type": "Permute", "dims": [2, 1]},
                           {"type": "Flatten"},
                           {"type": "RepeatVector", "n": 3}),
    "reshaping_3d": _probe("reshaping_3d", [3, 2, 3, 2],
                           {"type": "ZeroPadding3D", "padding": [[1, 0], [0, 2], [1, 1]]},
                           {"type": "Cropping3D", "cropping": [[0, 1], [1, 0], [2, 1]]},
                           {"type": "UpSampling3D", "size": [2, 1, 2]},
                           {"type": "SpatialDropout3D", "rate": 0.5},
                           {"type": "Permute", "dims": [3, 1, 2, 4]}),
    "activations_norms_1d": _probe("activations_norms_1d", [6, 4],
                                   {"type": "GroupNormalization", "groups": 2},
                                   {"type": "ELU", "alpha": 0.7},
                                   {"type": "PReLU", "shared_axes": [1]},
                                   {"type": "UnitNormalization"},
                                   {"type": "Softmax", "axis": 1}),
    "dot": _dot_probe(),
    "inference_identities": _probe("inference_identities", [6, 6, 3],
                                   {"type": "Identity"},
                                   {"type": "GaussianNoise", "stddev": 1.0, "seed": 1},
                                   {"type": "GaussianDropout", "rate": 0.5, "seed": 2},
                                   {"type": "AlphaDropout", "rate": 0.5, "seed": 3},
                                   {"type": "SpatialDropout2D", "rate": 0.5, "seed": 4},
                                   {"type": "ActivityRegularization", "l1": 0.1, "l2": 0.1},
                                   {"type": "RandomFlip", "seed": 5},
                                   {"type": "RandomRotation", "factor": 0.3, "seed": 6},
                                   {"type": "RandomTranslation", "height_factor": 0.3,
                                    "width_factor": 0.3, "seed": 7},
                                   {"type": "RandomZoom", "height_factor": 0.3, "seed": 8},
                                   {"type": "RandomContrast", "factor": 0.5, "seed": 9},
                                   {"type": "RandomBrightness", "factor": 0.5, "seed": 10}),
    # Keras 3.15's RandomCrop at inference returns its input unchanged (eagerly, on every
    # backend), although its symbolic output shape is the crop: it is last in its branch here.
    "resizing": _branches("resizing", [5, 7, 2],
                          {"type": "Resizing", "height": 8, "width": 4, "interpolation": "bilinear"},
                          {"type": "Resizing", "height": 3, "width": 11, "interpolation": "nearest"},
                          {"type": "Resizing", "height": 4, "width": 4, "interpolation": "bilinear",
                           "crop_to_aspect_ratio": True},
                          {"type": "CenterCrop", "height": 4, "width": 4},
                          {"type": "CenterCrop", "height": 8, "width": 6},
                          {"type": "RandomCrop", "height": 3, "width": 6, "seed": 11}),
}
PROBE_SPECS.update(CATALOGUE_PROBE_SPECS)

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
KERAS_CASES["avgpool1d_same_uneven"] = ([8, 3], "AveragePooling1D",
                                        {"pool_size": 3, "strides": 2, "padding": "same"})
KERAS_CASES["avgpool3d_same_uneven"] = ([4, 5, 4, 2], "AveragePooling3D",
                                        {"pool_size": 3, "strides": 2, "padding": "same"})
KERAS_CASES["mha_value_dim"] = ([5, 4], "MultiHeadAttention",
                                {"num_heads": 2, "key_dim": 2, "value_dim": 3})
GAP_CASES = {("AveragePooling2D", "torch"): "avgpool_same_uneven",
             ("AveragePooling1D", "torch"): "avgpool1d_same_uneven",
             ("AveragePooling3D", "torch"): "avgpool3d_same_uneven",
             ("MultiHeadAttention", "jax"): "mha_value_dim"}  # fails to run on jax
# Keras cases the reference backend cannot run on this machine's CPU: TensorFlow's CPU
# kernels compute a 2-D convolution only channels_last ("NHWC"; Keras routes only 3-D
# channels_first convolutions through XLA). Case -> a word of the error it must fail with;
# JAX and PyTorch are compared with each other instead.
REFERENCE_CANNOT_RUN = {"keras:conv_channels_first": "NHWC"}
# Probe specs that layergraph must refuse on a backend, before building.
REFUSED = {("probe:avgpool_same_s2", "torch"): "average_pooling2d",
           ("probe:avgpool1d_same_uneven", "torch"): "average_pooling1d",
           ("probe:avgpool3d_same_uneven", "torch"): "average_pooling3d"}


# The sequence, attention, embedding and keras.ops types (another branch adds them):
# probed only where they are registered, so the cases stay valid on a registry without them.
SEQUENCE_PROBE_SPECS: dict[str, dict] = {
    "recurrent_states": _probe(
        "recurrent_states", [6, 3],
        {"type": "SimpleRNN", "name": "simple", "units": 3, "return_sequences": True,
         "go_backwards": True, "inputs": ["x"]},
        {"type": "LSTM", "name": "lstm", "units": 4, "return_state": True, "inputs": ["simple"]},
        {"type": "GRU", "name": "gru", "units": 4, "return_sequences": True, "reset_after": False,
         "inputs": ["x"], "call": {"initial_state": ["lstm:state_h"]}},
        {"type": "GRU", "name": "gru_reset_after", "units": 4, "inputs": ["gru"]},
        {"type": "Add", "name": "sum", "inputs": ["gru_reset_after", "lstm:state_c"]}),
    "bidirectional_time_distributed": _probe(
        "bidirectional_time_distributed", [5, 3],
        {"type": "TimeDistributed", "name": "per_step", "layer": {"type": "Dense", "units": 4},
         "inputs": ["x"]},
        {"type": "Bidirectional", "name": "bi_concat", "merge_mode": "concat",
         "layer": {"type": "LSTM", "units": 2, "return_sequences": True}, "inputs": ["per_step"]},
        {"type": "Bidirectional", "name": "bi_pair", "merge_mode": None,
         "layer": {"type": "GRU", "units": 2}, "inputs": ["bi_concat"]},
        {"type": "Subtract", "name": "difference", "inputs": ["bi_pair:forward", "bi_pair:backward"]}),
    "embedding_mask": {
        "format": "layergraph/1", "name": "embedding_mask",
        "inputs": [{"name": "tokens", "shape": [6], "dtype": "int32"}],
        "layers": [
            {"type": "Embedding", "name": "embed", "input_dim": 4, "output_dim": 3,
             "mask_zero": True, "inputs": ["tokens"]},
            {"type": "ops.not_equal", "name": "mask", "value": 0, "inputs": ["tokens"]},
            {"type": "LSTM", "name": "lstm", "units": 3, "inputs": ["embed"],
             "call": {"mask": "mask"}}]},
    "attention": _probe(
        "attention", [5, 4],
        {"type": "Dense", "name": "query", "units": 4, "inputs": ["x"]},
        {"type": "Dense", "name": "value", "units": 4, "inputs": ["x"]},
        {"type": "MultiHeadAttention", "name": "mha", "num_heads": 2, "key_dim": 3,
         "inputs": ["query", "value"]},
        {"type": "MultiHeadAttention", "name": "mha_causal", "num_heads": 1, "key_dim": 3,
         "value_dim": 3, "use_causal_mask": True, "inputs": ["mha", "mha"]},
        {"type": "Attention", "name": "dot_attention", "use_scale": True,
         "inputs": ["query", "value"]},
        {"type": "Attention", "name": "concat_attention", "score_mode": "concat",
         "inputs": ["query", "value"]},
        {"type": "AdditiveAttention", "name": "additive", "inputs": ["query", "value"]},
        {"type": "Concatenate", "name": "all",
         "inputs": ["mha_causal", "dot_attention", "concat_attention", "additive"]}),
    "keras_ops": _probe(
        "keras_ops", [3, 4],
        {"type": "ops.add", "name": "plus", "right": 1.5, "inputs": ["x"]},
        {"type": "ops.subtract", "name": "minus", "left": 2.0, "inputs": ["plus"]},
        {"type": "ops.multiply", "name": "times", "inputs": ["minus", "x"]},
        {"type": "ops.divide", "name": "halved", "right": 2.0, "inputs": ["times"]},
        {"type": "ops.relu", "name": "relu", "inputs": ["halved"]},
        {"type": "ops.mean", "name": "mean", "axis": 1, "keepdims": True, "inputs": ["relu"]},
        {"type": "ops.expand_dims", "name": "expanded", "axis": 1, "inputs": ["mean"]},
        {"type": "Flatten", "name": "flat", "inputs": ["expanded"]}),
    "conv_lstm": _probe("conv_lstm", [3, 6, 6, 2],
                        {"type": "ConvLSTM2D", "name": "cl2", "filters": 3, "kernel_size": 3,
                         "padding": "same", "return_sequences": True, "inputs": ["x"]},
                        {"type": "Reshape", "name": "frames1d", "target_shape": [3, 36, 3]},
                        {"type": "ConvLSTM1D", "name": "cl1", "filters": 2, "kernel_size": 3,
                         "strides": 2, "go_backwards": True, "return_sequences": True},
                        {"type": "Reshape", "name": "frames3d", "target_shape": [3, 2, 17, 1, 1]},
                        {"type": "ConvLSTM3D", "name": "cl3", "filters": 2, "kernel_size": [1, 3, 1],
                         "return_state": True}),
    "scales": _probe("scales", [3, 4],
                     {"type": "LayerScale", "name": "layer_scale", "init_values": 0.1,
                      "projection_dim": 4, "inputs": ["x"]},
                     {"type": "CustomScaleLayer", "name": "residual", "scale": 0.5,
                      "inputs": ["x", "layer_scale"]}),
}


def _registered() -> set[str]:
    from layergraph import get_registry

    return set(get_registry().types)


# Refused on jax (a known gap): MultiHeadAttention with value_dim != key_dim.
SEQUENCE_PROBE_SPECS["mha_value_dim"] = _probe(
    "mha_value_dim", [5, 4],
    {"type": "MultiHeadAttention", "name": "mha", "num_heads": 2, "key_dim": 2, "value_dim": 3,
     "inputs": ["x", "x"]})

if "LSTM" in _registered():
    PROBE_SPECS.update(SEQUENCE_PROBE_SPECS)
    REFUSED[("probe:mha_value_dim", "jax")] = "mha"
