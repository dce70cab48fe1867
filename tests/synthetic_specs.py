"""Generators of large specs for diagram tests and benchmarks (no TensorFlow needed).

``resnet50()`` and ``densenet(201)`` follow keras.applications layer by layer
(same layer names, types and hyper-parameters; the parameter totals are checked
against Keras's published numbers in the tests). ``efficientnet_like()`` has
EfficientNetB7's stage layout and block structure (expansion, depthwise
convolution, squeeze-and-excitation, projection, residual add) with Keras's
layer names; the depthwise convolution is written as a grouped Conv2D because
the core has no DepthwiseConv2D, so its parameter count differs slightly.
``chain(n)`` is an n-layer chain without repeats or name structure: nothing
can be collapsed, so it can only be wrapped.
"""

from __future__ import annotations

import math


def _spec(name: str, shape, layers: list[dict]) -> dict:
    return {"format": "layergraph/1", "name": name,
            "inputs": [{"name": "input_layer", "shape": list(shape)}], "layers": layers}


def chain(n: int, name: str = "Chain") -> dict:
    """``n`` Dense layers of changing widths, named l0001…, after a 64-wide input."""
    layers = [{"name": f"l{i:04d}", "type": "Dense", "units": 16 + (i * 7) % 48,
               "activation": "relu"} for i in range(1, n)]
    return _spec(name, [64], layers)


# -- ResNet50 ------------------------------------------------------------------------------

def _bn(name: str, source: str | None = None) -> dict:
    layer = {"name": name, "type": "BatchNormalization", "epsilon": 1.001e-5}
    if source:
        layer["inputs"] = [source]
    return layer


def _resnet_block(layers: list[dict], x: str, filters: int, stride: int, shortcut: bool,
                  name: str) -> str:
    if shortcut:
        layers += [{"name": f"{name}_0_conv", "type": "Conv2D", "inputs": [x],
                    "filters": 4 * filters, "kernel_size": 1, "strides": stride},
                   _bn(f"{name}_0_bn")]
        short = f"{name}_0_bn"
    else:
        short = x
    layers += [
        {"name": f"{name}_1_conv", "type": "Conv2D", "inputs": [x], "filters": filters,
         "kernel_size": 1, "strides": stride},
        _bn(f"{name}_1_bn"), {"name": f"{name}_1_relu", "type": "Activation", "activation": "relu"},
        {"name": f"{name}_2_conv", "type": "Conv2D", "filters": filters, "kernel_size": 3,
         "padding": "same"},
        _bn(f"{name}_2_bn"), {"name": f"{name}_2_relu", "type": "Activation", "activation": "relu"},
        {"name": f"{name}_3_conv", "type": "Conv2D", "filters": 4 * filters, "kernel_size": 1},
        _bn(f"{name}_3_bn"),
        {"name": f"{name}_add", "type": "Add", "inputs": [short, f"{name}_3_bn"]},
        {"name": f"{name}_out", "type": "Activation", "activation": "relu"},
    ]
    return f"{name}_out"


def resnet50() -> dict:
    """keras.applications.ResNet50 (include_top=True): 177 layers, 25,636,712 parameters."""
    layers: list[dict] = [
        {"name": "conv1_pad", "type": "ZeroPadding2D", "padding": [[3, 3], [3, 3]]},
        {"name": "conv1_conv", "type": "Conv2D", "filters": 64, "kernel_size": 7, "strides": 2},
        _bn("conv1_bn"), {"name": "conv1_relu", "type": "Activation", "activation": "relu"},
        {"name": "pool1_pad", "type": "ZeroPadding2D", "padding": [[1, 1], [1, 1]]},
        {"name": "pool1_pool", "type": "MaxPooling2D", "pool_size": 3, "strides": 2},
    ]
    x = "pool1_pool"
    for stage, (filters, blocks, stride) in enumerate(
            [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)], start=2):
        for b in range(1, blocks + 1):
            x = _resnet_block(layers, x, filters, stride if b == 1 else 1, b == 1,
                              f"conv{stage}_block{b}")
    layers += [{"name": "avg_pool", "type": "GlobalAveragePooling2D"},
               {"name": "predictions", "type": "Dense", "units": 1000, "activation": "softmax"}]
    return _spec("resnet50", [224, 224, 3], layers)


# -- DenseNet ------------------------------------------------------------------------------

DENSENET_BLOCKS = {121: [6, 12, 24, 16], 169: [6, 12, 32, 32], 201: [6, 12, 48, 32]}


def densenet(depth: int = 201) -> dict:
    """keras.applications.DenseNet121/169/201 (include_top=True), layer for layer."""
    layers: list[dict] = [
        {"name": "zero_padding2d", "type": "ZeroPadding2D", "padding": [[3, 3], [3, 3]]},
        {"name": "conv1_conv", "type": "Conv2D", "filters": 64, "kernel_size": 7, "strides": 2,
         "use_bias": False},
        _bn("conv1_bn"), {"name": "conv1_relu", "type": "Activation", "activation": "relu"},
        {"name": "zero_padding2d_1", "type": "ZeroPadding2D", "padding": [[1, 1], [1, 1]]},
        {"name": "pool1", "type": "MaxPooling2D", "pool_size": 3, "strides": 2},
    ]
    x, channels = "pool1", 64
    blocks = DENSENET_BLOCKS[depth]
    for stage, count in enumerate(blocks, start=2):
        for b in range(1, count + 1):
            name = f"conv{stage}_block{b}"
            layers += [
                _bn(f"{name}_0_bn", x),
                {"name": f"{name}_0_relu", "type": "Activation", "activation": "relu"},
                {"name": f"{name}_1_conv", "type": "Conv2D", "filters": 128, "kernel_size": 1,
                 "use_bias": False},
                _bn(f"{name}_1_bn"),
                {"name": f"{name}_1_relu", "type": "Activation", "activation": "relu"},
                {"name": f"{name}_2_conv", "type": "Conv2D", "filters": 32, "kernel_size": 3,
                 "padding": "same", "use_bias": False},
                {"name": f"{name}_concat", "type": "Concatenate", "axis": 3,
                 "inputs": [x, f"{name}_2_conv"]},
            ]
            x, channels = f"{name}_concat", channels + 32
        if stage < 2 + len(blocks) - 1:
            pool = f"pool{stage}"
            channels //= 2
            layers += [
                _bn(f"{pool}_bn"),
                {"name": f"{pool}_relu", "type": "Activation", "activation": "relu"},
                {"name": f"{pool}_conv", "type": "Conv2D", "filters": channels, "kernel_size": 1,
                 "use_bias": False},
                {"name": f"{pool}_pool", "type": "AveragePooling2D", "pool_size": 2, "strides": 2},
            ]
            x = f"{pool}_pool"
    layers += [_bn("bn"), {"name": "relu", "type": "Activation", "activation": "relu"},
               {"name": "avg_pool", "type": "GlobalAveragePooling2D"},
               {"name": "predictions", "type": "Dense", "units": 1000, "activation": "softmax"}]
    return _spec(f"densenet{depth}", [224, 224, 3], layers)


# -- EfficientNet --------------------------------------------------------------------------

# (kernel, repeats, filters_in, filters_out, expand_ratio, stride) of EfficientNetB0.
_EFFICIENT_BLOCKS = [(3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2),
                     (3, 3, 40, 80, 6, 2), (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2),
                     (3, 1, 192, 320, 6, 1)]


def _round_filters(filters: int, width: float, divisor: int = 8) -> int:
    filters *= width
    new = max(divisor, int(filters + divisor / 2) // divisor * divisor)
    if new < 0.9 * filters:
        new += divisor
    return int(new)


def _efficient_block(layers: list[dict], x: str, c_in: int, c_out: int, kernel: int,
                     stride: int, expand: int, name: str, drop: float) -> str:
    filters = c_in * expand
    source = x
    if expand != 1:
        layers += [{"name": f"{name}expand_conv", "type": "Conv2D", "inputs": [x],
                    "filters": filters, "kernel_size": 1, "padding": "same", "use_bias": False},
                   _bn(f"{name}expand_bn"),
                   {"name": f"{name}expand_activation", "type": "Activation",
                    "activation": "swish"}]
        source = f"{name}expand_activation"
    if stride == 2:
        layers.append({"name": f"{name}dwconv_pad", "type": "ZeroPadding2D", "inputs": [source],
                       "padding": [[kernel // 2 - 1, kernel // 2], [kernel // 2 - 1, kernel // 2]]})
        source = f"{name}dwconv_pad"
    squeeze = max(1, int(c_in * 0.25))
    layers += [
        {"name": f"{name}dwconv", "type": "Conv2D", "inputs": [source], "filters": filters,
         "groups": filters, "kernel_size": kernel, "strides": stride,
         "padding": "valid" if stride == 2 else "same", "use_bias": False},
        _bn(f"{name}bn"), {"name": f"{name}activation", "type": "Activation", "activation": "swish"},
        {"name": f"{name}se_squeeze", "type": "GlobalAveragePooling2D"},
        {"name": f"{name}se_reshape", "type": "Reshape", "target_shape": [1, 1, filters]},
        {"name": f"{name}se_reduce", "type": "Conv2D", "filters": squeeze, "kernel_size": 1,
         "padding": "same", "activation": "swish"},
        {"name": f"{name}se_expand", "type": "Conv2D", "filters": filters, "kernel_size": 1,
         "padding": "same", "activation": "sigmoid"},
        {"name": f"{name}se_excite", "type": "Multiply",
         "inputs": [f"{name}activation", f"{name}se_expand"]},
        {"name": f"{name}project_conv", "type": "Conv2D", "filters": c_out, "kernel_size": 1,
         "padding": "same", "use_bias": False},
        _bn(f"{name}project_bn"),
    ]
    if stride == 1 and c_in == c_out:
        layers += [{"name": f"{name}drop", "type": "Dropout", "rate": drop},
                   {"name": f"{name}add", "type": "Add", "inputs": [f"{name}drop", x]}]
        return f"{name}add"
    return f"{name}project_bn"


def efficientnet_like(width: float = 2.0, depth: float = 3.1, size: int = 600,
                      name: str = "efficientnet_b7_like") -> dict:
    """EfficientNetB7's structure (55 blocks, about 800 layers) with Keras's layer names."""
    stem = _round_filters(32, width)
    layers: list[dict] = [
        {"name": "stem_conv_pad", "type": "ZeroPadding2D", "padding": [[0, 1], [0, 1]]},
        {"name": "stem_conv", "type": "Conv2D", "filters": stem, "kernel_size": 3, "strides": 2,
         "padding": "valid", "use_bias": False},
        _bn("stem_bn"), {"name": "stem_activation", "type": "Activation", "activation": "swish"},
    ]
    x = "stem_activation"
    total = sum(int(math.ceil(depth * r)) for _, r, *_ in _EFFICIENT_BLOCKS)
    done = 0
    for i, (kernel, repeats, c_in, c_out, expand, stride) in enumerate(_EFFICIENT_BLOCKS):
        c_in, c_out = _round_filters(c_in, width), _round_filters(c_out, width)
        for j in range(int(math.ceil(depth * repeats))):
            # Keras raises the drop rate block by block (drop_connect_rate * b / blocks).
            x = _efficient_block(layers, x, c_in if j == 0 else c_out, c_out, kernel,
                                 stride if j == 0 else 1, expand, f"block{i + 1}{chr(97 + j)}_",
                                 round(0.2 * done / total, 6))
            done += 1
    layers += [
        {"name": "top_conv", "type": "Conv2D", "inputs": [x], "filters": _round_filters(1280, width),
         "kernel_size": 1, "padding": "same", "use_bias": False},
        _bn("top_bn"), {"name": "top_activation", "type": "Activation", "activation": "swish"},
        {"name": "avg_pool", "type": "GlobalAveragePooling2D"},
        {"name": "top_dropout", "type": "Dropout", "rate": 0.5},
        {"name": "predictions", "type": "Dense", "units": 1000, "activation": "softmax"},
    ]
    return _spec(name, [size, size, 3], layers)


# -- rank-generic encoder-decoder (1-D, 2-D and 3-D) ------------------------------------

_CONV = {1: "Conv1D", 2: "Conv2D", 3: "Conv3D"}


def unet(rank: int = 2, levels: int = 3, base: int = 8, size: int = 32, channels: int = 1) -> dict:
    """A U-Net with ``levels`` poolings over ``rank`` spatial axes: double convolutions,
    max pooling, transposed-convolution (odd levels) or UpSampling (even levels) decoders
    and Concatenate skips; ``size`` must be divisible by 2**levels."""
    conv, d = _CONV[rank], f"{rank}D"
    layers: list[dict] = []
    x, skips = "input_layer", []

    def double(x: str, filters: int, name: str) -> str:
        layers.extend([
            {"name": f"{name}_a", "type": conv, "inputs": [x], "filters": filters, "kernel_size": 3,
             "padding": "same", "activation": "relu"},
            {"name": f"{name}_b", "type": conv, "filters": filters, "kernel_size": 3, "padding": "same",
             "activation": "relu"}])
        return f"{name}_b"

    for level in range(levels):
        skips.append(double(x, base * 2 ** level, f"enc{level}"))
        layers.append({"name": f"pool{level}", "type": f"MaxPooling{d}", "pool_size": 2})
        x = f"pool{level}"
    x = double(x, base * 2 ** levels, "bottleneck")
    for level in reversed(range(levels)):
        filters = base * 2 ** level
        if level % 2:
            layers.append({"name": f"up{level}", "type": f"{conv}Transpose", "inputs": [x],
                           "filters": filters, "kernel_size": 2, "strides": 2, "padding": "same"})
        else:
            layers.append({"name": f"up{level}", "type": f"UpSampling{d}", "inputs": [x], "size": 2})
        layers.append({"name": f"cat{level}", "type": "Concatenate", "inputs": [f"up{level}", skips[level]]})
        x = double(f"cat{level}", filters, f"dec{level}")
    layers.append({"name": "head", "type": conv, "filters": channels, "kernel_size": 1,
                   "activation": "sigmoid"})
    return _spec(f"UNet{d}", [size] * rank + [channels], layers)
