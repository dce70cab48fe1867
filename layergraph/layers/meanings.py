"""What a layer parameter means, in one line: its own ``Field(description=...)`` first, else
what Keras's standard argument name means in every layer that takes it.

Keras uses the same argument name for the same thing across its layers (``units``,
``return_sequences``, ``use_bias``, ``*_initializer``…), so those meanings are declared once
here instead of on each of the dozens of classes that take them. A name whose meaning depends
on the layer (``axis``, ``scale``, ``layer``…) is described on its class and is not here.
The command line's ``layers TYPE``, the JSON Schema's tooltips and the editor's forms all
read meanings through ``parameter_meaning``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["parameter_meaning", "STANDARD_MEANINGS"]

STANDARD_MEANINGS: dict[str, str] = {
    "units": "size of the output's last axis",
    "activation": "applied to the output (a Keras name; None: linear)",
    "recurrent_activation": "of the gates",
    "use_bias": "add a learned bias",
    "return_sequences": "output every timestep, not only the last",
    "return_state": "also output the final states",
    "go_backwards": "read the sequence in reverse",
    "stateful": "keep the states from one batch to the next (training)",
    "unroll": "unroll the loop (faster for short sequences, more memory)",
    "reset_after": "apply the reset gate after the matrix product (Keras's default; two biases)",
    "unit_forget_bias": "start the forget gate's bias at 1",
    "use_cudnn": "use the cuDNN kernel where available ('auto': when the arguments allow)",
    "dropout": "dropout rate (training only)",
    "recurrent_dropout": "dropout rate of the recurrent state (training only)",
    "rate": "fraction of the inputs set to zero (training only)",
    "noise_shape": "the shape of the dropout mask, to drop whole features (null axes follow the input)",
    "seed": "random seed (None: a new one each time)",
    "epsilon": "added to the variance before dividing, for stability",
    "num_heads": "number of attention heads",
    "key_dim": "size of each head's query and key projection",
    "value_dim": "size of each head's value projection (None: key_dim)",
    "output_shape": "size of the output's last axes (None: the query's last axis)",
    "attention_axes": "axes attended over (None: all but batch, heads and features)",
    "use_causal_mask": "each position attends only to earlier ones (decoders)",
    "use_scale": "learn a scale for the scores",
    "score_mode": "how query and key are compared: 'dot' product or 'concat' (tanh of the sum)",
    "merge_mode": "how the forward and backward outputs combine (None: both are outputs)",
    "target_shape": "the new shape, without the batch axis (one -1 is inferred)",
    "max_value": "upper bound of the output (None: none; 6.0 gives ReLU6)",
    "negative_slope": "slope below the threshold (0: plain ReLU)",
    "threshold": "inputs below it are cut (or scaled by negative_slope)",
    "input_dim": "vocabulary size: the largest token index + 1",
    "output_dim": "size of each token's vector",
    "mask_zero": "treat token 0 as padding and mask it for the layers that follow",
    "keepdims": "keep the reduced axes with size 1",
    "fill_mode": "how points outside the input are filled",
    "fill_value": "the value used when fill_mode is 'constant'",
    "interpolation": "how new pixels are computed",
    "antialias": "filter when downsampling, against aliasing",
    "init_values": "the scale each channel starts from",
    "projection_dim": "number of channels (one scale each)",
    "data_format": "where the channel axis is (None: channels_last)",
}

# Keras's naming convention says what the weight-related arguments are.
SUFFIX_MEANINGS: dict[str, str] = {
    "initializer": "how the weights start (a Keras name or config)",
    "regularizer": "penalty added to the loss (a Keras name or config)",
    "constraint": "projection applied after each update (a Keras config)",
}


def parameter_meaning(name: str, field_info: Any) -> str:
    """One line on what parameter ``name`` means: its field's description, else Keras's
    standard meaning of the name, else ''."""
    return (getattr(field_info, "description", None) or STANDARD_MEANINGS.get(name)
            or SUFFIX_MEANINGS.get(name.rsplit("_", 1)[-1], ""))
