"""Which built-in module defines each layer type: the registry imports only what a spec uses.

A spec uses a few of the ~110 built-in types, and importing every layer module was a large
part of a command's start-up (a module now creates a type's parameter model only when the
type is first used: registry.deferred_params). The order of the modules is
the registry's order. ``python -m layergraph.layers.index`` prints this table from the
modules' ``__all__``; a test fails when it is out of date. A type missing here still loads
(the registry then imports every module), only slower. A new module is added here by hand.
"""

from __future__ import annotations

PACKAGE = "layergraph.layers"

# module (in PACKAGE) → the type names it defines, in its ``__all__`` order
MODULE_TYPES: dict[str, tuple[str, ...]] = {
    "core": (
        "InputLayer", "Dense", "Activation", "ReLU", "Dropout", "Identity", "Masking",
    ),
    "convolutional": (
        "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
        "Conv3DTranspose", "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D",
        "SeparableConv2D",
    ),
    "pooling": (
        "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
        "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
        "GlobalMaxPooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
        "GlobalAveragePooling3D",
    ),
    "reshaping": (
        "Flatten", "Reshape", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
        "Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D",
        "UpSampling3D", "Permute", "RepeatVector",
    ),
    "normalization": (
        "BatchNormalization", "LayerNormalization", "GroupNormalization",
        "UnitNormalization",
    ),
    "merging": (
        "Add", "Multiply", "Subtract", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
    ),
    "preprocessing": (
        "Rescaling", "Normalization", "Resizing", "CenterCrop", "RandomFlip",
        "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast", "RandomCrop",
        "RandomBrightness",
    ),
    "activations": (
        "LeakyReLU", "PReLU", "ELU", "Softmax",
    ),
    "regularization": (
        "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
        "GaussianDropout", "AlphaDropout", "ActivityRegularization",
    ),
    "embedding": (
        "Embedding",
    ),
    "recurrent": (
        "SimpleRNN", "LSTM", "GRU", "Bidirectional", "TimeDistributed",
    ),
    "conv_recurrent": (
        "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
    ),
    "attention": (
        "MultiHeadAttention", "Attention", "AdditiveAttention",
    ),
    "ops": (
        "ops.add", "ops.subtract", "ops.multiply", "ops.divide", "ops.relu", "ops.mean",
        "ops.expand_dims", "ops.not_equal",
    ),
    "applications": (
        "LayerScale", "CustomScaleLayer",
    ),
}


def module_of(type_name: str) -> str | None:
    """The built-in module defining ``type_name`` (full dotted name), None if not listed."""
    return _BY_TYPE.get(type_name)


_BY_TYPE = {name: f"{PACKAGE}.{module}" for module, names in MODULE_TYPES.items() for name in names}


def generated_table() -> str:
    """MODULE_TYPES as read from the modules themselves (what this file should say)."""
    import importlib
    import textwrap

    out = []
    for module in MODULE_TYPES:
        names = [getattr(importlib.import_module(f"{PACKAGE}.{module}"), n).type_name
                 for n in importlib.import_module(f"{PACKAGE}.{module}").__all__]
        body = textwrap.wrap(", ".join(f'"{n}"' for n in names), 92,
                             initial_indent=" " * 8, subsequent_indent=" " * 8)
        out.append(f'    "{module}": (\n' + "\n".join(body) + ",\n    ),")
    return "\n".join(out)


if __name__ == "__main__":
    print(generated_table())
