"""The layer classes of Keras 3.15.1 (``keras.layers``), known without importing Keras.

A spec or a model naming one of these that layergraph has no type for gets "not
supported yet; see Plugins" instead of a did-you-mean to a similar built-in name,
and a Keras alias (``MaxPool2D``) is pointed at the class name Keras serializes.
tests/test_layer_catalogue.py checks the lists against the installed Keras.
"""

from __future__ import annotations

KERAS_LAYER_CLASSES = frozenset({
    "Activation", "ActivityRegularization", "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "Add", "AdditiveAttention", "AlphaDropout",
    "Attention", "AugMix", "AutoContrast", "Average", "AveragePooling1D", "AveragePooling2D",
    "AveragePooling3D", "BatchNormalization", "Bidirectional", "CategoryEncoding", "CenterCrop",
    "Concatenate", "ContrastLimitedAdaptiveHistogramEqualization", "Conv1D", "Conv1DTranspose",
    "Conv2D", "Conv2DTranspose", "Conv3D", "Conv3DTranspose", "ConvLSTM1D", "ConvLSTM2D",
    "ConvLSTM3D", "Cropping1D", "Cropping2D", "Cropping3D", "CutMix", "Dense",
    "DepthwiseConv1D", "DepthwiseConv2D", "Discretization", "Dot", "Dropout", "ELU",
    "EinsumDense", "Embedding", "Equalization", "Flatten", "FlaxLayer", "GRU", "GRUCell",
    "GaussianDropout", "GaussianNoise", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
    "GlobalAveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
    "GroupNormalization", "HashedCrossing", "Hashing", "Identity", "InputLayer",
    "IntegerLookup", "JaxLayer", "LSTM", "LSTMCell", "Lambda", "LayerNormalization",
    "LeakyReLU", "Masking", "MaxNumBoundingBoxes", "MaxPooling1D", "MaxPooling2D",
    "MaxPooling3D", "Maximum", "MelSpectrogram", "Minimum", "MixUp", "MultiHeadAttention",
    "Multiply", "Normalization", "PReLU", "Permute", "Pipeline", "RMSNormalization", "RNN",
    "RandAugment", "RandomBrightness", "RandomColorDegeneration", "RandomColorJitter",
    "RandomContrast", "RandomCrop", "RandomElasticTransform", "RandomErasing", "RandomFlip",
    "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert", "RandomPerspective",
    "RandomPosterization", "RandomRotation", "RandomSaturation", "RandomSharpness",
    "RandomShear", "RandomTranslation", "RandomZoom", "ReLU", "RepeatVector", "Rescaling",
    "Reshape", "Resizing", "ReversibleEmbedding", "STFTSpectrogram", "SeparableConv1D",
    "SeparableConv2D", "SimpleRNN", "SimpleRNNCell", "Softmax", "Solarization",
    "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "SpectralNormalization",
    "StackedRNNCells", "StringLookup", "Subtract", "TFSMLayer", "TextVectorization",
    "TimeDistributed", "TorchModuleWrapper", "UnitNormalization", "UpSampling1D",
    "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"
})

# Short names keras.layers exports for the classes above.
KERAS_ALIASES = {
    "AvgPool1D": "AveragePooling1D", "AvgPool2D": "AveragePooling2D", "AvgPool3D":
    "AveragePooling3D", "Convolution1D": "Conv1D", "Convolution1DTranspose": "Conv1DTranspose",
    "Convolution2D": "Conv2D", "Convolution2DTranspose": "Conv2DTranspose", "Convolution3D":
    "Conv3D", "Convolution3DTranspose": "Conv3DTranspose", "GlobalAvgPool1D":
    "GlobalAveragePooling1D", "GlobalAvgPool2D": "GlobalAveragePooling2D", "GlobalAvgPool3D":
    "GlobalAveragePooling3D", "GlobalMaxPool1D": "GlobalMaxPooling1D", "GlobalMaxPool2D":
    "GlobalMaxPooling2D", "GlobalMaxPool3D": "GlobalMaxPooling3D", "GroupQueryAttention":
    "GroupedQueryAttention", "MaxPool1D": "MaxPooling1D", "MaxPool2D": "MaxPooling2D",
    "MaxPool3D": "MaxPooling3D", "SeparableConvolution1D": "SeparableConv1D",
    "SeparableConvolution2D": "SeparableConv2D"
}

PLUGINS_POINTER = "see Plugins in the README for adding a layer type"


def keras_type_hint(type_name: str, known: set[str] | frozenset[str]) -> str | None:
    """A hint for a type name layergraph does not know, if it is a real Keras layer."""
    alias_of = KERAS_ALIASES.get(type_name)
    if alias_of is not None and alias_of in known:
        return f"write {alias_of!r}: Keras's name for the class that {type_name} refers to"
    if type_name in KERAS_LAYER_CLASSES or alias_of is not None:
        return f"keras.layers.{alias_of or type_name} is not supported yet; {PLUGINS_POINTER}"
    return None
