"""Costs: FLOPs by the documented convention, memory in the chosen dtype, training memory,
and layers of unknown cost listed rather than counted as zero."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import layergraph as lg
from layergraph import costs, summary
from layergraph.cli import app
from layergraph.registry import LayerType, Registry, builtin_types


def small(layers, shape=(4, 4, 1)) -> dict:
    return {"inputs": [{"name": "x", "shape": list(shape)}], "layers": layers}


def by_name(data: dict) -> dict:
    return {layer["name"]: layer for layer in data["layers"]}


def test_vgg16_flops_match_the_published_figure_of_about_31_gflops(spec_path):
    data = summary.to_dict(lg.analyze(spec_path("vgg16")))
    assert data["total_macs"] == pytest.approx(15.5e9, rel=0.01)  # ~15.5 GMACs published
    assert data["total_flops"] == pytest.approx(30.9e9, rel=0.01)  # ~30.9 GFLOPs published
    assert data["unknown_cost_layers"] == []


def test_flops_are_two_per_mac_plus_bias_activation_pooling_and_merge_work():
    layers = [{"name": "a", "type": "Conv2D", "filters": 2, "kernel_size": 3, "activation": "relu",
               "inputs": ["x"]},                               # 2×2×2 out, 9 MACs each
              {"name": "b", "type": "Conv2D", "filters": 2, "kernel_size": 3, "use_bias": False,
               "inputs": ["x"]},
              {"name": "sum", "type": "Add", "inputs": ["a", "b"]},
              {"name": "pool", "type": "MaxPooling2D"},          # 1×1×2 out, 2×2 windows
              {"name": "flat", "type": "Flatten"},
              {"name": "drop", "type": "Dropout", "rate": 0.5}]
    layers_data = by_name(summary.to_dict(lg.analyze(small(layers))))
    assert layers_data["a"]["flops"] == 2 * 72 + 8 + 8      # MACs, bias, relu
    assert layers_data["b"]["flops"] == 2 * 72
    assert layers_data["sum"]["flops"] == 8
    assert layers_data["pool"]["flops"] == 2 * 4
    assert layers_data["flat"]["flops"] == layers_data["drop"]["flops"] == 0


def test_weight_and_activation_bytes_follow_the_dtype(spec_path):
    analysis = lg.analyze(spec_path("alexnet"))
    half = summary.to_dict(analysis, options=summary.SummaryOptions(batch_size=3, dtype="float16"))
    conv1 = by_name(half)["conv1"]
    assert conv1["weight_bytes"] == 34_944 * 2
    assert conv1["activation_bytes"] == 55 * 55 * 96 * 3 * 2
    assert half["memory_bytes"]["weights"] == analysis.total_params * 2
    line = summary.totals_lines(analysis, options=summary.SummaryOptions(dtype="float16"))[0]
    assert f"{analysis.total_params * 2 / 2**20:.2f} MiB float16" in line


def test_training_memory_counts_weights_gradients_optimizer_state_and_kept_activations():
    layers = [{"type": "Conv2D", "filters": 2, "kernel_size": 3},
              {"type": "BatchNormalization"}]  # 4 non-trainable statistics: no gradient
    analysis = lg.analyze(small(layers))
    trainable, total = analysis.trainable_params, analysis.total_params
    activations = (16 + 8 + 8) * 5 * 4  # input, conv, bn outputs × batch 5 × 4 bytes
    adam = costs.training_memory(analysis, 5, "float32", "adam")
    assert adam == {"weights": total * 4, "gradients": trainable * 4,
                    "optimizer_state": 2 * trainable * 4, "activations": activations,
                    "total": (total + 3 * trainable) * 4 + activations,
                    "optimizer": "adam", "batch_size": 5, "dtype": "float32"}
    assert costs.training_memory(analysis, 5, "float32", "sgd")["optimizer_state"] == 0
    assert costs.training_memory(analysis, 5, "float32", "momentum")["optimizer_state"] == trainable * 4


class Mystery2D(LayerType):
    """A plugin that counts no MACs: its cost is unknown, not zero."""

    type_name = "Mystery2D"


def test_a_layer_of_unknown_cost_is_listed_and_not_counted_as_zero():
    registry = Registry()
    for layer_type in [*builtin_types(), Mystery2D]:
        registry.register(layer_type, "test-plugin")
    layers = [{"type": "Conv2D", "filters": 2, "kernel_size": 3}, {"name": "m", "type": "Mystery2D"}]
    analysis = lg.analyze(small(layers), registry=registry)
    data = summary.to_dict(analysis)
    assert by_name(data)["m"]["macs"] is None and by_name(data)["m"]["flops"] is None
    assert data["unknown_cost_layers"] == ["m"]
    assert any("excludes" in line and "m" in line for line in summary.totals_lines(analysis))


def test_a_convolution_over_an_unknown_size_has_unknown_cost():
    spec = {"inputs": [{"shape": [None, None, 3]}],
            "layers": [{"name": "c", "type": "Conv2D", "filters": 4, "kernel_size": 3}]}
    data = summary.to_dict(lg.analyze(spec))
    assert data["unknown_cost_layers"] == ["c"] and by_name(data)["c"]["flops"] is None


def test_cli_refuses_an_unknown_dtype_with_a_clear_usage_error(spec_path):
    result = CliRunner().invoke(app, ["summary", str(spec_path("alexnet")), "--dtype", "float99"])
    assert result.exit_code == 2
    assert "float99" in result.output and "Traceback" not in result.output


def test_cli_summary_json_has_total_flops_and_training_memory(spec_path):
    result = CliRunner().invoke(app, ["summary", str(spec_path("alexnet")), "-f", "json",
                                      "--batch-size", "8", "--optimizer", "sgd"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total_flops"] > 2 * data["total_macs"]
    assert data["training_memory_bytes"]["optimizer"] == "sgd"
    assert data["training_memory_bytes"]["batch_size"] == 8
