"""Every built-in layer type's shape rule and parameter count equal Keras's own.

Keras is the truth: each case builds the Keras layer from the same raw
parameters, calls it on ``keras.Input`` and reads ``output.shape`` and
``count_params()``. layergraph analyses the same case as a one-layer JSON spec.
Where Keras raises, layergraph must report an error for the layer.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field

import pytest

from layergraph.diagnostics import Severity

import layergraph as lg

pytestmark = pytest.mark.keras
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@dataclass(frozen=True)
class Case:
    id: str
    type: str
    params: dict
    shapes: tuple  # input shapes, batch axis excluded
    ok: bool = True  # does Keras (and so layergraph) accept it?
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.id


def C(id, type, shapes, ok=True, **params):  # noqa: N802 - table shorthand
    return Case(id, type, params, tuple(shapes), ok)


IMG = (32, 32, 3)
CASES = [
    # Conv2D: kernel forms, strides, padding, dilation, groups, use_bias, shapes.
    C("conv-k3-valid", "Conv2D", [IMG], filters=8, kernel_size=3),
    C("conv-k3-same", "Conv2D", [IMG], filters=8, kernel_size=3, padding="same"),
    C("conv-SAME-uppercase", "Conv2D", [IMG], filters=8, kernel_size=3, padding="SAME"),
    C("conv-pair-kernel-nonsquare", "Conv2D", [(28, 20, 3)], filters=4, kernel_size=(3, 5)),
    C("conv-pair-strides", "Conv2D", [(28, 20, 3)], filters=4, kernel_size=3, strides=(2, 1)),
    C("conv-stride2-valid-odd", "Conv2D", [(31, 31, 3)], filters=4, kernel_size=3, strides=2),
    C("conv-stride2-same-odd", "Conv2D", [(31, 31, 3)], filters=4, kernel_size=3, strides=2,
      padding="same"),
    C("conv-stride3-same", "Conv2D", [(10, 11, 2)], filters=4, kernel_size=4, strides=3,
      padding="same"),
    C("conv-alexnet-conv1", "Conv2D", [(227, 227, 3)], filters=96, kernel_size=11, strides=4),
    C("conv-dilation2-valid", "Conv2D", [(20, 20, 3)], filters=4, kernel_size=3, dilation_rate=2),
    C("conv-dilation-pair-valid", "Conv2D", [(20, 20, 3)], filters=4, kernel_size=3,
      dilation_rate=(2, 1)),
    C("conv-dilation-same", "Conv2D", [(20, 20, 3)], filters=4, kernel_size=3, dilation_rate=3,
      padding="same"),
    C("conv-dilation-exact-fit", "Conv2D", [(9, 9, 3)], filters=4, kernel_size=3, dilation_rate=4),
    C("conv-groups2", "Conv2D", [(9, 9, 4)], filters=6, kernel_size=3, groups=2),
    C("conv-groups-depthwise", "Conv2D", [(9, 9, 8)], filters=8, kernel_size=3, groups=8,
      use_bias=False),
    C("conv-no-bias", "Conv2D", [IMG], filters=16, kernel_size=(1, 1), use_bias=False),
    C("conv-kernel-equals-input", "Conv2D", [(5, 7, 3)], filters=2, kernel_size=(5, 7)),
    C("conv-unknown-spatial", "Conv2D", [(None, None, 3)], filters=4, kernel_size=3, strides=2),
    C("conv-activation", "Conv2D", [IMG], filters=4, kernel_size=3, activation="relu"),
    C("conv-kernel-too-large", "Conv2D", [(3, 3, 3)], ok=False, filters=4, kernel_size=5),
    C("conv-dilation-too-large", "Conv2D", [(9, 9, 3)], ok=False, filters=4, kernel_size=3,
      dilation_rate=5),
    C("conv-strides-with-dilation", "Conv2D", [(9, 9, 3)], ok=False, filters=4, kernel_size=3,
      strides=2, dilation_rate=2),
    C("conv-groups-not-dividing-channels", "Conv2D", [(9, 9, 4)], ok=False, filters=6,
      kernel_size=3, groups=3),
    C("conv-groups-not-dividing-filters", "Conv2D", [(9, 9, 4)], ok=False, filters=5,
      kernel_size=3, groups=2),
    C("conv-zero-filters", "Conv2D", [IMG], ok=False, filters=0, kernel_size=3),
    C("conv-zero-kernel", "Conv2D", [IMG], ok=False, filters=4, kernel_size=0),
    C("conv-rank2-input", "Conv2D", [(32, 3)], ok=False, filters=4, kernel_size=3),
    C("conv-unknown-channels", "Conv2D", [(9, 9, None)], ok=False, filters=4, kernel_size=3),
    C("conv-bad-padding", "Conv2D", [IMG], ok=False, filters=4, kernel_size=3, padding="full"),
    # Conv2D with channels_first: the channel axis comes first.
    C("conv-channels-first", "Conv2D", [(3, 32, 30)], filters=8, kernel_size=3, strides=2,
      data_format="channels_first"),
    C("conv-channels-first-same", "Conv2D", [(4, 9, 9)], filters=6, kernel_size=3, groups=2,
      padding="same", data_format="channels_first"),
    C("conv-channels-first-unknown-channels", "Conv2D", [(None, 9, 9)], ok=False, filters=4,
      kernel_size=3, data_format="channels_first"),
    # Conv1D: causal padding, dilation, groups, channels_first.
    C("conv1d-valid", "Conv1D", [(100, 16)], filters=32, kernel_size=5),
    C("conv1d-same-stride", "Conv1D", [(99, 16)], filters=8, kernel_size=4, strides=3, padding="same"),
    C("conv1d-causal", "Conv1D", [(50, 4)], filters=8, kernel_size=3, padding="causal"),
    C("conv1d-causal-dilated", "Conv1D", [(50, 4)], filters=8, kernel_size=3, padding="causal",
      dilation_rate=4),
    C("conv1d-dilated-valid", "Conv1D", [(50, 4)], filters=8, kernel_size=3, dilation_rate=8),
    C("conv1d-groups", "Conv1D", [(20, 8)], filters=4, kernel_size=3, groups=4),
    C("conv1d-tuple-kernel", "Conv1D", [(20, 8)], filters=4, kernel_size=(3,), strides=(2,)),
    C("conv1d-unknown-steps", "Conv1D", [(None, 8)], filters=4, kernel_size=3),
    C("conv1d-channels-first", "Conv1D", [(8, 20)], filters=4, kernel_size=3,
      data_format="channels_first"),
    C("conv1d-too-long-kernel", "Conv1D", [(4, 8)], ok=False, filters=4, kernel_size=5),
    C("conv1d-rank3-input", "Conv1D", [(4, 4, 8)], ok=False, filters=4, kernel_size=3),
    C("conv1d-pair-kernel", "Conv1D", [(20, 8)], ok=False, filters=4, kernel_size=(3, 3)),
    C("conv2d-causal-refused", "Conv2D", [IMG], ok=False, filters=4, kernel_size=3,
      padding="causal"),
    # Conv3D.
    C("conv3d-valid", "Conv3D", [(16, 16, 16, 1)], filters=8, kernel_size=3),
    C("conv3d-mixed", "Conv3D", [(9, 16, 20, 2)], filters=4, kernel_size=(1, 3, 5),
      strides=(1, 2, 3), padding="same"),
    C("conv3d-dilated", "Conv3D", [(12, 12, 12, 2)], filters=2, kernel_size=3, dilation_rate=(1, 2, 3)),
    C("conv3d-groups", "Conv3D", [(6, 6, 6, 4)], filters=4, kernel_size=2, groups=2, use_bias=False),
    C("conv3d-channels-first", "Conv3D", [(2, 6, 7, 8)], filters=3, kernel_size=3,
      data_format="channels_first"),
    C("conv3d-unknown-depth", "Conv3D", [(None, 8, 8, 3)], filters=3, kernel_size=3),
    C("conv3d-rank3-input", "Conv3D", [(8, 8, 3)], ok=False, filters=3, kernel_size=3),
    C("conv3d-strides-with-dilation", "Conv3D", [(8, 8, 8, 3)], ok=False, filters=3, kernel_size=3,
      strides=2, dilation_rate=2),
    # Transposed convolutions: padding, strides, output_padding, dilation.
    C("convT2d-valid", "Conv2DTranspose", [(7, 7, 16)], filters=8, kernel_size=3),
    C("convT2d-valid-stride2", "Conv2DTranspose", [(7, 7, 16)], filters=8, kernel_size=3, strides=2),
    C("convT2d-valid-stride-larger-than-kernel", "Conv2DTranspose", [(7, 5, 4)], filters=2,
      kernel_size=2, strides=3),
    C("convT2d-same-stride2", "Conv2DTranspose", [(8, 8, 16)], filters=8, kernel_size=4, strides=2,
      padding="same"),
    C("convT2d-same-output-padding", "Conv2DTranspose", [(8, 8, 16)], filters=8, kernel_size=3,
      strides=2, padding="same", output_padding=1),
    C("convT2d-valid-output-padding-pair", "Conv2DTranspose", [(5, 6, 3)], filters=2, kernel_size=3,
      strides=(2, 3), output_padding=(1, 2)),
    C("convT2d-same-output-padding-even-kernel", "Conv2DTranspose", [(5, 5, 3)], filters=2,
      kernel_size=4, strides=2, padding="same", output_padding=0),
    C("convT2d-dilated", "Conv2DTranspose", [(5, 5, 3)], filters=2, kernel_size=3, dilation_rate=2),
    C("convT2d-unknown", "Conv2DTranspose", [(None, 5, 3)], filters=2, kernel_size=3, strides=2),
    C("convT2d-no-bias", "Conv2DTranspose", [(5, 5, 3)], filters=2, kernel_size=3, use_bias=False),
    C("convT2d-channels-first", "Conv2DTranspose", [(3, 5, 6)], filters=2, kernel_size=3, strides=2,
      data_format="channels_first"),
    C("convT2d-output-padding-not-below-stride", "Conv2DTranspose", [(5, 5, 3)], ok=False, filters=2,
      kernel_size=3, strides=2, output_padding=2),
    C("convT2d-causal-refused", "Conv2DTranspose", [(5, 5, 3)], ok=False, filters=2, kernel_size=3,
      padding="causal"),
    C("convT2d-rank1", "Conv2DTranspose", [(5, 3)], ok=False, filters=2, kernel_size=3),
    C("convT1d-stride2", "Conv1DTranspose", [(10, 4)], filters=3, kernel_size=5, strides=2),
    C("convT1d-same", "Conv1DTranspose", [(10, 4)], filters=3, kernel_size=5, strides=4, padding="same"),
    C("convT1d-output-padding", "Conv1DTranspose", [(10, 4)], filters=3, kernel_size=3, strides=3,
      output_padding=2),
    C("convT3d-stride2-same", "Conv3DTranspose", [(4, 4, 4, 8)], filters=4, kernel_size=3, strides=2,
      padding="same"),
    C("convT3d-mixed", "Conv3DTranspose", [(3, 4, 5, 2)], filters=2, kernel_size=(1, 2, 3),
      strides=(1, 2, 3), output_padding=(0, 1, 2)),
    # Depthwise and separable in 1-D and 2-D.
    C("dw1d", "DepthwiseConv1D", [(20, 6)], kernel_size=3),
    C("dw1d-multiplier-same", "DepthwiseConv1D", [(20, 6)], kernel_size=5, depth_multiplier=3,
      strides=2, padding="same"),
    C("dw1d-dilated", "DepthwiseConv1D", [(20, 6)], kernel_size=3, dilation_rate=3, use_bias=False),
    C("dw1d-channels-first", "DepthwiseConv1D", [(6, 20)], kernel_size=3,
      data_format="channels_first"),
    C("dw2d-multiplier", "DepthwiseConv2D", [(9, 9, 4)], kernel_size=3, depth_multiplier=2),
    C("dw2d-channels-first", "DepthwiseConv2D", [(4, 9, 7)], kernel_size=3, strides=2,
      data_format="channels_first"),
    C("dw2d-too-large", "DepthwiseConv2D", [(2, 2, 4)], ok=False, kernel_size=3),
    C("sep1d", "SeparableConv1D", [(30, 8)], filters=16, kernel_size=3),
    C("sep1d-multiplier-same", "SeparableConv1D", [(30, 8)], filters=4, kernel_size=5, strides=2,
      padding="same", depth_multiplier=2),
    C("sep1d-channels-first", "SeparableConv1D", [(8, 30)], filters=4, kernel_size=3,
      data_format="channels_first"),
    C("sep1d-rank2-kernel", "SeparableConv1D", [(30, 8)], ok=False, filters=4, kernel_size=(3, 3)),
    C("sep2d", "SeparableConv2D", [(9, 9, 4)], filters=8, kernel_size=3, dilation_rate=2),
    C("sep2d-channels-first", "SeparableConv2D", [(4, 9, 9)], filters=8, kernel_size=3,
      data_format="channels_first", use_bias=False),
    # Pooling in 1-D and 3-D, channels_first.
    C("maxpool1d-default", "MaxPooling1D", [(11, 4)]),
    C("maxpool1d-same-stride", "MaxPooling1D", [(11, 4)], pool_size=3, strides=2, padding="same"),
    C("maxpool1d-channels-first", "MaxPooling1D", [(4, 11)], pool_size=3, data_format="channels_first"),
    C("maxpool1d-too-large", "MaxPooling1D", [(2, 4)], ok=False, pool_size=3),
    C("maxpool1d-rank3", "MaxPooling1D", [(4, 4, 4)], ok=False),
    C("avgpool1d", "AveragePooling1D", [(None, 4)], pool_size=4),
    C("avgpool1d-no-pool-size", "AveragePooling1D", [(8, 4)], ok=False),
    C("maxpool3d-default", "MaxPooling3D", [(8, 9, 10, 2)]),
    C("maxpool3d-mixed", "MaxPooling3D", [(8, 9, 10, 2)], pool_size=(1, 2, 3), strides=(1, 1, 2),
      padding="same"),
    C("avgpool3d", "AveragePooling3D", [(8, 9, 10, 2)], pool_size=3, strides=2),
    C("avgpool3d-channels-first", "AveragePooling3D", [(2, 8, 9, 10)], pool_size=2,
      data_format="channels_first"),
    C("maxpool2d-channels-first", "MaxPooling2D", [(3, 9, 8)], pool_size=2, data_format="channels_first"),
    C("gap1d", "GlobalAveragePooling1D", [(None, 16)]),
    C("gap1d-keepdims", "GlobalAveragePooling1D", [(10, 16)], keepdims=True),
    C("gap1d-channels-first-keepdims", "GlobalAveragePooling1D", [(16, 10)], keepdims=True,
      data_format="channels_first"),
    C("gmp1d", "GlobalMaxPooling1D", [(10, 16)]),
    C("gmp1d-rank3", "GlobalMaxPooling1D", [(10, 10, 16)], ok=False),
    C("gap3d-keepdims", "GlobalAveragePooling3D", [(4, 4, 4, 8)], keepdims=True),
    C("gmp3d", "GlobalMaxPooling3D", [(4, 4, 4, 8)]),
    C("gmp3d-channels-first", "GlobalMaxPooling3D", [(8, 4, 4, 4)], data_format="channels_first"),
    C("gap2d-channels-first", "GlobalAveragePooling2D", [(8, 4, 5)], data_format="channels_first",
      keepdims=True),
    # Padding, cropping and upsampling in 1-D, 2-D and 3-D.
    C("zeropad1d-default", "ZeroPadding1D", [(10, 3)]),
    C("zeropad1d-pair", "ZeroPadding1D", [(10, 3)], padding=(2, 5)),
    C("zeropad1d-unknown", "ZeroPadding1D", [(None, 3)], padding=2),
    C("zeropad1d-rank3", "ZeroPadding1D", [(10, 3, 3)], ok=False),
    C("zeropad2d-channels-first", "ZeroPadding2D", [(3, 5, 7)], padding=((1, 2), (3, 4)),
      data_format="channels_first"),
    C("zeropad3d-default", "ZeroPadding3D", [(4, 5, 6, 2)]),
    C("zeropad3d-ints", "ZeroPadding3D", [(4, 5, 6, 2)], padding=(1, 2, 3)),
    C("zeropad3d-pairs", "ZeroPadding3D", [(4, 5, 6, 2)], padding=((0, 1), (2, 3), (4, 5))),
    C("zeropad3d-channels-first", "ZeroPadding3D", [(2, 4, 5, 6)], padding=1,
      data_format="channels_first"),
    C("crop1d-default", "Cropping1D", [(10, 3)]),
    C("crop1d-pair", "Cropping1D", [(10, 3)], cropping=(2, 5)),
    C("crop1d-too-much", "Cropping1D", [(4, 3)], ok=False, cropping=(2, 2)),
    C("crop2d-pairs", "Cropping2D", [(8, 9, 3)], cropping=((1, 2), (3, 4))),
    C("crop2d-channels-first", "Cropping2D", [(3, 8, 9)], cropping=(1, 2), data_format="channels_first"),
    C("crop2d-too-much", "Cropping2D", [(4, 9, 3)], ok=False, cropping=((2, 2), (0, 0))),
    C("crop3d-default", "Cropping3D", [(4, 5, 6, 2)]),
    C("crop3d-ints", "Cropping3D", [(8, 8, 8, 2)], cropping=(1, 2, 3)),
    C("crop3d-too-much", "Cropping3D", [(2, 8, 8, 2)], ok=False, cropping=1),
    C("upsample1d", "UpSampling1D", [(10, 3)], size=3),
    C("upsample1d-unknown", "UpSampling1D", [(None, 3)]),
    C("upsample2d-default", "UpSampling2D", [(5, 6, 3)]),
    C("upsample2d-pair-bilinear", "UpSampling2D", [(5, 6, 3)], size=(2, 3), interpolation="bilinear"),
    C("upsample2d-channels-first", "UpSampling2D", [(3, 5, 6)], size=2, data_format="channels_first"),
    C("upsample2d-rank2", "UpSampling2D", [(5, 6)], ok=False),
    C("upsample3d", "UpSampling3D", [(2, 3, 4, 5)], size=(1, 2, 3)),
    C("upsample3d-channels-first", "UpSampling3D", [(5, 2, 3, 4)], data_format="channels_first"),
    # Reshaping and merging.
    C("flatten-rank3-channels-first", "Flatten", [(3, 4, 5)], data_format="channels_first"),
    C("flatten-scalar", "Flatten", [()]),
    C("reshape-scalar", "Reshape", [()], target_shape=(1,)),
    C("dense-scalar", "Dense", [()], ok=False, units=3),
    C("permute", "Permute", [(3, 4, 5)], dims=(2, 1, 3)),
    C("permute-reverse", "Permute", [(3, None, 5)], dims=(3, 2, 1)),
    C("permute-not-a-permutation", "Permute", [(3, 4)], ok=False, dims=(1, 3)),
    C("permute-wrong-rank", "Permute", [(3, 4, 5)], ok=False, dims=(2, 1)),
    C("repeat-vector", "RepeatVector", [(8,)], n=4),
    C("repeat-vector-rank2", "RepeatVector", [(4, 8)], ok=False, n=4),
    C("identity", "Identity", [(4, 5)]),
    C("masking", "Masking", [(None, 5)], mask_value=-1.0),
    C("dot-axes1", "Dot", [(8,), (8,)], axes=1),
    C("dot-normalize", "Dot", [(8,), (8,)], axes=-1, normalize=True),
    C("dot-batched-matrices", "Dot", [(4, 8), (5, 8)], axes=(2, 2)),
    C("dot-attention-scores", "Dot", [(4, 8), (8, 6)], axes=(2, 1)),
    C("dot-mismatch", "Dot", [(4, 8), (5, 7)], ok=False, axes=2),
    C("dot-three-inputs", "Dot", [(8,), (8,), (8,)], ok=False, axes=1),
    # Normalization and activations.
    C("groupnorm", "GroupNormalization", [(8, 8, 64)]),
    C("groupnorm-groups4", "GroupNormalization", [(8, 8, 12)], groups=4, center=False),
    C("groupnorm-instance", "GroupNormalization", [(8, 8, 6)], groups=-1),
    C("groupnorm-axis1", "GroupNormalization", [(6, 8, 5)], groups=3, axis=1),
    C("groupnorm-not-dividing", "GroupNormalization", [(8, 8, 10)], ok=False, groups=4),
    C("groupnorm-more-groups-than-channels", "GroupNormalization", [(8, 8, 16)], ok=False),
    C("groupnorm-unknown-channels", "GroupNormalization", [(8, None)], ok=False, groups=2),
    C("unitnorm", "UnitNormalization", [(4, 5)]),
    C("unitnorm-axes", "UnitNormalization", [(4, 5, 6)], axis=[1, 2]),
    C("unitnorm-axis-out-of-range", "UnitNormalization", [(4, 5)], ok=False, axis=3),
    C("leaky-relu", "LeakyReLU", [(4, 5)], negative_slope=0.2),
    C("leaky-relu-negative", "LeakyReLU", [(4, 5)], ok=False, negative_slope=-0.2),
    C("prelu", "PReLU", [(4, 5, 3)]),
    C("prelu-shared", "PReLU", [(4, 5, 3)], shared_axes=[1, 2]),
    C("prelu-shared-unknown", "PReLU", [(None, None, 3)], shared_axes=[1, 2]),
    C("prelu-unknown-not-shared", "PReLU", [(None, 3)], ok=False),
    C("elu", "ELU", [(4, 5)], alpha=0.5),
    C("softmax", "Softmax", [(4, 5)]),
    C("softmax-axis1", "Softmax", [(4, 5)], axis=1),
    # Regularization.
    C("spatial-dropout1d", "SpatialDropout1D", [(10, 4)], rate=0.2),
    C("spatial-dropout1d-rank3", "SpatialDropout1D", [(10, 4, 3)], ok=False, rate=0.2),
    C("spatial-dropout2d", "SpatialDropout2D", [(8, 8, 4)], rate=0.2, data_format="channels_first"),
    C("spatial-dropout3d", "SpatialDropout3D", [(4, 8, 8, 4)], rate=0.5),
    C("spatial-dropout3d-rank3", "SpatialDropout3D", [(8, 8, 4)], ok=False, rate=0.5),
    C("gaussian-noise", "GaussianNoise", [(10,)], stddev=0.1),
    C("gaussian-dropout", "GaussianDropout", [(10,)], rate=0.3),
    C("gaussian-dropout-rate-too-large", "GaussianDropout", [(10,)], ok=False, rate=1.5),
    C("alpha-dropout", "AlphaDropout", [(4, 10)], rate=0.1),
    C("activity-regularization", "ActivityRegularization", [(4, 10)], l1=0.01, l2=0.001),
    # Preprocessing and augmentation (shapes only).
    C("resizing", "Resizing", [(32, 40, 3)], height=16, width=20),
    C("resizing-unknown-input", "Resizing", [(None, None, 3)], height=16, width=20,
      interpolation="nearest", crop_to_aspect_ratio=True),
    C("resizing-channels-first", "Resizing", [(3, 32, 40)], height=8, width=9,
      data_format="channels_first"),
    C("center-crop", "CenterCrop", [(32, 40, 3)], height=24, width=24),
    C("random-crop", "RandomCrop", [(32, 40, 3)], height=24, width=30, seed=1),
    C("random-flip", "RandomFlip", [(32, 32, 3)], mode="horizontal"),
    C("random-rotation", "RandomRotation", [(32, 32, 3)], factor=0.1, fill_mode="constant"),
    C("random-rotation-pair", "RandomRotation", [(32, 32, 3)], factor=(-0.2, 0.3)),
    C("random-zoom", "RandomZoom", [(32, 32, 3)], height_factor=0.2, width_factor=(-0.1, 0.3)),
    C("random-translation", "RandomTranslation", [(32, 32, 3)], height_factor=0.1, width_factor=0.2),
    C("random-contrast", "RandomContrast", [(32, 32, 3)], factor=0.2),
    C("random-brightness", "RandomBrightness", [(32, 32, 3)], factor=0.2, value_range=(0, 1)),
    # Dense acts on the last axis of any rank.
    C("dense-rank1", "Dense", [(10,)], units=5),
    C("dense-rank2", "Dense", [(4, 10)], units=5),
    C("dense-rank3", "Dense", [(2, 3, 10)], units=7),
    C("dense-no-bias", "Dense", [(2, 3, 10)], units=7, use_bias=False),
    C("dense-unknown-leading-axis", "Dense", [(None, 10)], units=3, activation="softmax"),
    C("dense-unknown-last-axis", "Dense", [(4, None)], ok=False, units=3),
    C("dense-zero-units", "Dense", [(10,)], ok=False, units=0),
    C("dense-keras-object-configs", "Dense", [(10,)], units=3,
      kernel_initializer={"class_name": "GlorotNormal", "config": {"seed": 1}},
      kernel_regularizer={"class_name": "L2", "config": {"l2": 0.01}, "module": "keras.regularizers"}),
    # BatchNormalization: axis (counting the batch axis, as Keras), center, scale.
    C("bn-default", "BatchNormalization", [(8, 8, 16)]),
    C("bn-axis1", "BatchNormalization", [(4, 5, 3)], axis=1),
    C("bn-axis2", "BatchNormalization", [(4, 5, 3)], axis=2),
    C("bn-axis3", "BatchNormalization", [(4, 5, 3)], axis=3),
    C("bn-axis-minus2", "BatchNormalization", [(4, 5, 3)], axis=-2),
    C("bn-no-center", "BatchNormalization", [(4, 4, 3)], center=False),
    C("bn-no-scale", "BatchNormalization", [(4, 4, 3)], scale=False),
    C("bn-no-center-no-scale", "BatchNormalization", [(4, 4, 3)], center=False, scale=False),
    C("bn-rank1", "BatchNormalization", [(10,)]),
    C("bn-batch-axis", "BatchNormalization", [(4, 5, 3)], ok=False, axis=0),
    C("bn-batch-axis-negative", "BatchNormalization", [(4, 5, 3)], ok=False, axis=-4),
    C("bn-axis-out-of-range", "BatchNormalization", [(4, 5, 3)], ok=False, axis=4),
    # Concatenate along different axes.
    C("concat-last", "Concatenate", [(4, 4, 3), (4, 4, 5)]),
    C("concat-axis1", "Concatenate", [(4, 6, 3), (2, 6, 3)], axis=1),
    C("concat-axis2", "Concatenate", [(4, 6, 3), (4, 1, 3)], axis=2),
    C("concat-axis-minus2", "Concatenate", [(4, 6, 3), (4, 1, 3)], axis=-2),
    C("concat-three", "Concatenate", [(4, 4, 3), (4, 4, 3), (4, 4, 5)]),
    C("concat-unknown-size", "Concatenate", [(None, 4, 3), (4, 4, 3)], axis=1),
    C("concat-rank1", "Concatenate", [(3,), (5,)]),
    C("concat-mismatch", "Concatenate", [(4, 4, 3), (4, 5, 3)], ok=False),
    C("concat-mismatch-on-other-axis", "Concatenate", [(4, 4, 3), (4, 4, 5)], ok=False, axis=2),
    C("concat-rank-mismatch", "Concatenate", [(4, 4, 3), (4, 3)], ok=False),
    C("concat-axis-out-of-range", "Concatenate", [(4, 4, 3), (4, 4, 3)], ok=False, axis=4),
    # Element-wise merges, with broadcasting of size-1 axes.
    C("add-equal", "Add", [(4, 4, 3), (4, 4, 3)]),
    C("add-broadcast-ones", "Add", [(4, 4, 3), (1, 1, 3)]),
    C("add-broadcast-channel", "Add", [(4, 4, 1), (4, 4, 3)]),
    C("add-three", "Add", [(4, 4, 3), (4, 1, 3), (1, 4, 3)]),
    C("add-unknown", "Add", [(None, 4, 3), (4, 4, 3)]),
    C("add-lower-rank", "Add", [(4, 4, 3), (3,)]),
    C("add-lower-rank-first", "Add", [(4, 3), (5, 4, 3)]),
    C("add-mismatch", "Add", [(4, 4, 3), (4, 4, 5)], ok=False),
    C("add-lower-rank-mismatch", "Add", [(4, 4, 3), (4,)], ok=False),
    C("multiply", "Multiply", [(8,), (8,)]),
    C("subtract", "Subtract", [(2, 8), (1, 8)]),
    C("subtract-three-inputs", "Subtract", [(8,), (8,), (8,)], ok=False),
    C("average", "Average", [(None, 3), (5, 3)]),
    C("maximum", "Maximum", [(2, 3), (2, 1)]),
    C("minimum-mismatch", "Minimum", [(2, 3), (3, 2)], ok=False),
    # Reshaping.
    C("flatten", "Flatten", [(4, 4, 3)]),
    C("flatten-rank1", "Flatten", [(10,)]),
    C("flatten-unknown", "Flatten", [(None, 4)]),
    C("reshape", "Reshape", [(4, 4, 3)], target_shape=(48,)),
    C("reshape-minus1", "Reshape", [(4, 4, 3)], target_shape=(-1,)),
    C("reshape-minus1-middle", "Reshape", [(4, 4, 3)], target_shape=(2, -1, 3)),
    C("reshape-unknown-input", "Reshape", [(None, 4)], target_shape=(2, -1)),
    C("reshape-size-mismatch", "Reshape", [(4, 4, 3)], ok=False, target_shape=(7, 7)),
    C("reshape-minus1-not-dividing", "Reshape", [(4, 4, 3)], ok=False, target_shape=(5, -1)),
    C("reshape-two-minus1", "Reshape", [(4, 4, 3)], ok=False, target_shape=(-1, -1)),
    C("zeropad-default", "ZeroPadding2D", [(5, 7, 3)]),
    C("zeropad-int", "ZeroPadding2D", [(5, 7, 3)], padding=2),
    C("zeropad-pair", "ZeroPadding2D", [(5, 7, 3)], padding=(1, 2)),
    C("zeropad-pairs", "ZeroPadding2D", [(5, 7, 3)], padding=((1, 2), (3, 4))),
    C("zeropad-zero", "ZeroPadding2D", [(5, 7, 3)], padding=0),
    C("zeropad-unknown", "ZeroPadding2D", [(None, 7, 3)], padding=1),
    C("zeropad-rank2", "ZeroPadding2D", [(5, 7)], ok=False),
    # Pooling.
    C("maxpool-default", "MaxPooling2D", [IMG]),
    C("maxpool-alexnet", "MaxPooling2D", [(55, 55, 96)], pool_size=3, strides=2),
    C("maxpool-pair", "MaxPooling2D", [(9, 10, 3)], pool_size=(2, 3), strides=(1, 2)),
    C("maxpool-same-odd", "MaxPooling2D", [(9, 9, 3)], pool_size=2, padding="same"),
    C("maxpool-same-larger-than-input", "MaxPooling2D", [(3, 3, 3)], pool_size=5, padding="same"),
    C("maxpool-strides-larger-than-pool", "MaxPooling2D", [(8, 8, 3)], pool_size=2, strides=3),
    C("maxpool-unknown", "MaxPooling2D", [(None, 8, 3)]),
    C("maxpool-too-large", "MaxPooling2D", [(3, 3, 3)], ok=False, pool_size=5),
    C("maxpool-zero", "MaxPooling2D", [IMG], ok=False, pool_size=0),
    C("avgpool-2", "AveragePooling2D", [(7, 7, 3)], pool_size=2),
    C("avgpool-no-pool-size", "AveragePooling2D", [(7, 7, 3)], ok=False),
    C("avgpool-stride1-same", "AveragePooling2D", [(7, 7, 3)], pool_size=3, strides=1,
      padding="same"),
    C("avgpool-pair", "AveragePooling2D", [(7, 9, 3)], pool_size=(3, 2), strides=(2, 3)),
    C("avgpool-rank2", "AveragePooling2D", [(7, 3)], ok=False),
    C("gap", "GlobalAveragePooling2D", [(7, 7, 64)]),
    C("gap-keepdims", "GlobalAveragePooling2D", [(7, 7, 64)], keepdims=True),
    C("gmp", "GlobalMaxPooling2D", [(5, 3, 8)]),
    C("gmp-keepdims", "GlobalMaxPooling2D", [(5, 3, 8)], keepdims=True),
    C("gap-rank2", "GlobalAveragePooling2D", [(3, 3)], ok=False),
    # Layers that keep the shape.
    C("dropout", "Dropout", [(10,)], rate=0.5),
    C("dropout-rate1", "Dropout", [(4, 10)], rate=1.0),
    C("dropout-rate-too-large", "Dropout", [(10,)], ok=False, rate=1.5),
    C("activation", "Activation", [(4, 4, 3)], activation="softmax"),
    C("relu", "ReLU", [(4, 3)]),
    C("relu6", "ReLU", [(4, 3)], max_value=6.0),
    C("relu-leaky", "ReLU", [(4, 3)], negative_slope=0.1, threshold=0.5),
    C("relu-negative-max", "ReLU", [(4, 3)], ok=False, max_value=-1.0),
]


# layergraph is deliberately stricter than Keras here; the test shows Keras accepts.
STRICTER = [
    # Keras concatenates along the batch axis symbolically; the model then returns a
    # different batch size than it was given, which no training loop accepts.
    C("concat-batch-axis", "Concatenate", [(4, 4, 3), (4, 4, 3)], axis=0),
    # Keras's image layers take a rank-3 tensor for one unbatched image; in a model the
    # batch axis is always there, so (batch, 32) is no image.
    C("random-flip-rank1", "RandomFlip", [(32,)]),
]


def as_json(value):
    """What the value looks like after a trip through a JSON file (tuples become lists)."""
    return json.loads(json.dumps(value))


def spec_for(case: Case) -> dict:
    inputs = [{"name": f"in{i}", "shape": list(s)} for i, s in enumerate(case.shapes)]
    layer = {"name": "layer", "type": case.type, "inputs": [i["name"] for i in inputs],
             **case.params}
    return as_json({"format": "layergraph/1", "inputs": inputs, "layers": [layer]})


def analyse(case: Case):
    analysis = lg.analyze(spec_for(case))
    return analysis, analysis.layers.get("layer")


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def keras_build(keras, case: Case, layer=None):
    """(output shape without batch, total params, trainable params, layer), or the exception."""
    try:
        if layer is None:
            layer = getattr(keras.layers, case.type)(**case.params)
        tensors = [keras.Input(shape=s) for s in case.shapes]
        out = layer(tensors if len(tensors) > 1 else tensors[0])
    except Exception as exc:  # Keras raises ValueError, TypeError or IndexError
        return exc
    trainable = sum(math.prod(w.shape) for w in layer.trainable_weights)
    return tuple(out.shape[1:]), layer.count_params(), trainable, layer


def layer_errors(analysis, result):
    return [d for d in analysis.errors if d.layer == "layer"]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_shape_and_param_rules_agree_with_keras(keras, case):
    truth = keras_build(keras, case)
    analysis, result = analyse(case)
    if not case.ok:
        assert isinstance(truth, Exception), f"Keras accepted the case: {truth[:3]}"
        assert layer_errors(analysis, result), "layergraph accepted what Keras refuses"
        assert result.output_shape is None
        return
    assert not isinstance(truth, Exception), f"Keras refused the case: {truth}"
    shape, params, trainable, _ = truth
    problems = [d for d in analysis.diagnostics if d.severity is not Severity.INFO]  # notes are advice
    assert problems == [], [d.format() for d in problems]
    assert result.output_shape == shape
    assert result.param_count == params
    assert result.trainable_params == trainable
    assert result.non_trainable_params == params - trainable


@pytest.mark.parametrize("case", [c for c in CASES if c.ok], ids=str)
def test_to_keras_builds_the_same_layer(keras, case):
    _, result = analyse(case)
    built = result.layer_type.to_keras(result.params, "layer")
    truth = keras_build(keras, case)
    mine = keras_build(keras, case, layer=built)
    assert not isinstance(mine, Exception), mine
    assert mine[:3] == truth[:3]


@pytest.mark.parametrize("case", [c for c in CASES if c.ok and c.type in ("Conv1D", "Conv2D", "Conv3D",
                                                                  "Dense")
                                  and "data_format" not in c.params], ids=str)
def test_macs_equal_output_positions_times_kernel_volume(keras, case):
    # Independent of layergraph's rules: Keras's own output shape and kernel shape.
    # A conv kernel is (kh, kw, in/groups, filters); a dense kernel is (in, units).
    shape, _, _, layer = keras_build(keras, case)
    _, result = analyse(case)
    if None in shape[:-1]:
        assert result.macs is None, "a MAC count that depends on an unknown size is unknown"
        return
    positions = math.prod(shape[:-1])  # every output position but the channel/units axis
    kernel = math.prod(layer.kernel.shape)
    assert result.macs == positions * kernel


@pytest.mark.parametrize("case", STRICTER, ids=str)
def test_layergraph_is_stricter_than_keras_where_keras_allows_nonsense(keras, case):
    truth = keras_build(keras, case)
    assert not isinstance(truth, Exception)
    analysis, result = analyse(case)
    assert layer_errors(analysis, result)


def test_uppercase_pooling_padding_is_normalised_so_the_keras_layer_builds(keras):
    # keras.layers.MaxPooling2D(padding="SAME") fails when called; layergraph lowercases it
    # (as Keras's Conv2D does), so the compiled layer works.
    case = C("maxpool-SAME", "MaxPooling2D", [(9, 9, 3)], pool_size=3, padding="SAME")
    assert isinstance(keras_build(keras, case), Exception)
    analysis, result = analyse(case)
    assert analysis.ok
    built = keras_build(keras, case, layer=result.layer_type.to_keras(result.params, "layer"))
    assert built[0] == result.output_shape == (3, 3, 3)


def test_input_layer_declares_the_shape_keras_input_gets(keras):
    analysis = lg.analyze({"layers": [{"type": "InputLayer", "name": "image", "shape": [28, None, 1]}]})
    result = analysis.layers["image"]
    tensor = result.layer_type.to_keras(result.params, "image")
    assert tuple(tensor.shape[1:]) == result.output_shape == (28, None, 1)
    assert result.param_count == 0


def test_the_table_covers_every_built_in_layer_type():
    from layergraph.registry import builtin_types

    from test_layer_types_keras import CASES as KERAS_APPLICATIONS_CASES
    from test_rules_sequences_vs_keras import CASES as SEQUENCE_CASES
    from test_ops_vs_keras import CASES as OPS_CASES
    from test_conv_lstm_vs_keras import CASES as CONV_LSTM_CASES

    covered = ({c.type for c in CASES} | {c[0] for c in KERAS_APPLICATIONS_CASES} | {"InputLayer"}
               | {c.type for c in SEQUENCE_CASES} | {c.type for c in OPS_CASES}
               | {c.type for c in CONV_LSTM_CASES})
    assert covered >= {t.type_name for t in builtin_types()}


def _normalise_default(value):
    """Keras writes (2, 2) or (2, 2, 2) where layergraph writes 2; both mean the same."""
    if isinstance(value, (tuple, list)) and len(set(value)) == 1 and value and isinstance(value[0], int):
        return value[0]
    if isinstance(value, str):
        return value.lower()  # Keras's PReLU defaults to "Zeros", layergraph writes "zeros"
    return list(value) if isinstance(value, tuple) else value


def _builtin_types_but_input():
    from layergraph.registry import builtin_types

    return [t for t in builtin_types() if t.type_name != "InputLayer"]


@pytest.mark.parametrize("layer_type", _builtin_types_but_input(), ids=lambda t: t.type_name)
def test_parameters_and_defaults_are_the_keras_constructors(keras, layer_type):
    # A parameter layergraph defaults but Keras requires would be left out of the Keras
    # call (keras_kwargs drops defaults), so the compiled model would fail to build.
    import importlib
    import inspect

    from pydantic_core import PydanticUndefined

    if layer_type.op:
        pytest.skip(f"{layer_type.type_name} is a keras.ops operation, not a layer class")
    module = importlib.import_module(layer_type.keras_module or "keras.layers")
    signature = inspect.signature(getattr(module, layer_type.type_name).__init__)
    for name, info in layer_type.Params.model_fields.items():
        if name in layer_type.call_options:
            continue  # passed to the layer's call, not its constructor
        assert name in signature.parameters, f"Keras's {layer_type.type_name} has no `{name}`"
        keras_default = signature.parameters[name].default
        if keras_default is inspect.Parameter.empty:
            assert info.default is PydanticUndefined, f"`{name}` is required in Keras"
        else:
            assert _normalise_default(info.default) == _normalise_default(keras_default), name
