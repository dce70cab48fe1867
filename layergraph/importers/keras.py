"""Import Keras models as specs: from a ``keras.Model``, a ``.keras`` file, or
``keras.applications:NAME``.

A ``.keras`` file is a zip archive; only its ``config.json`` is read, as plain
JSON, so importing a file never runs code from it and does not even need
TensorFlow (Keras's own loader, even in safe mode, is not used). The result is
checked: the spec must analyse without errors, and every tensor shape recorded
in the model's config must equal the shape layergraph computes.
"""

from __future__ import annotations

import json
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..compiler.analysis import Analysis
from ..compiler.passes import analyze
from ..diagnostics import did_you_mean
from ..keras_support import ModelImportError, require_keras
from ..layers.common import fmt_shape
from ..limits import Limits
from ..registry import Registry
from ..spec import GraphSpec, split_reference
from .keras_config import Conversion, convert_config, unsupported_message

APPLICATIONS_PREFIX = "keras.applications:"


@dataclass
class ImportResult:
    """An imported spec with its analysis and the details that were not kept."""

    spec: GraphSpec
    analysis: Analysis
    source: str
    data: dict = field(default_factory=dict)  # the spec as written to a file, keys in order
    warnings: list[str] = field(default_factory=list)


def from_keras(source: Any, **options) -> GraphSpec:
    """The spec of a Keras model; ``source`` as for :func:`import_model`.

    Details that a spec does not keep (frozen layers, dtype policies) are reported
    as ``UserWarning``s. Raises :class:`ModelImportError` with a clear message.
    """
    result = import_model(source, **options)
    for message in result.warnings:
        warnings.warn(message, UserWarning, stacklevel=2)
    return result.spec


def import_model(source: Any, *, name: str | None = None, description: str | None = None,
                 limits: Limits | None = None, registry: Registry | None = None) -> ImportResult:
    """Import ``source``: a ``keras.Model``, a serialized model dict, a path to a ``.keras``
    file, or ``"keras.applications:NAME"`` (built with ``weights=None``).

    ``registry`` (default: the installed layer types) decides which Keras classes a
    spec can hold; third-party plugins add custom layers there.
    """
    limits = limits or Limits.from_env()
    serialized, label = _serialized(source, limits)
    try:
        conversion = convert_config(serialized, registry=registry)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        if isinstance(exc, ModelImportError):
            raise
        raise ModelImportError(f"malformed model config in {label}: {type(exc).__name__}: "
                               f"{exc}") from None
    model_name = conversion.data["name"]
    if conversion.problems:
        error = ModelImportError(unsupported_message(model_name, conversion.problems))
        error.problems = conversion.problems
        raise error
    data = _spec_data(conversion, name, description or f"Imported from {label} by layergraph.")
    analysis = analyze(data, limits=limits, registry=registry)
    if not analysis.ok:
        details = " | ".join(d.message for d in analysis.errors[:3])
        raise ModelImportError(f"the spec imported from {label} does not check: {details}")
    _verify_wiring(analysis, conversion, label)
    _verify_shapes(analysis, conversion, label)
    return ImportResult(analysis.spec, analysis, label, data, conversion.warnings)


def _spec_data(conversion: Conversion, name: str | None, description: str) -> dict:
    data = conversion.data
    ordered = {"format": data["format"], "name": name or data["name"], "description": description}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return ordered


def _verify_wiring(analysis: Analysis, conversion: Conversion, label: str) -> None:
    """Every layer must read the tensors the model feeds it (not only give the right shape)."""
    outputs = {block.name: block.output for block in analysis.blocks}  # a nested model's use

    def layer_of(name: str) -> str:
        for _ in range(64):  # nested models nest blocks; their depth is bounded by the limits
            if name not in outputs:
                break
            name = outputs[name]
        return name
    for layer, recorded in conversion.recorded_inputs.items():
        recorded = [layer_of(name) for name in recorded]
        result = analysis.layers.get(layer)
        if result is not None and list(result.inputs) != recorded:
            raise ModelImportError(
                f"the spec imported from {label} wires layer '{layer}' ({result.type}) to "
                f"{', '.join(result.inputs) or 'nothing'}, but the model feeds it "
                f"{', '.join(recorded) or 'nothing'} (please report it)")


def _verify_shapes(analysis: Analysis, conversion: Conversion, label: str) -> None:
    """Every tensor shape the model recorded must be the one layergraph computes."""
    for reference, recorded in conversion.recorded_shapes.items():
        layer, index = reference, 0
        if reference not in analysis.layers:  # "enc:1": output 1 of a multi-output layer
            layer, port = split_reference(reference)
            index = int(port) if port and port.isdigit() else 0
        result = analysis.layers.get(layer)
        if result is None or result.output_shapes is None or index >= len(result.output_shapes):
            continue
        computed = result.output_shapes[index]
        if len(recorded) != len(computed) or any(
                r is not None and r != c for r, c in zip(recorded, computed)):
            raise ModelImportError(
                f"layergraph computes the output shape {fmt_shape(computed)} for layer "
                f"'{layer}' ({result.type}) of {label}, but the model records "
                f"{fmt_shape(recorded)}; the {result.type} shape rule differs from Keras here "
                "(please report it)")


# -- sources ------------------------------------------------------------------


def _serialized(source: Any, limits: Limits) -> tuple[dict, str]:
    """The serialized model ({"class_name", "config"}) and a label for messages."""
    if isinstance(source, dict):
        return source, "a model config"
    if isinstance(source, str) and source.startswith(APPLICATIONS_PREFIX):
        model = build_application(source[len(APPLICATIONS_PREFIX):])
        return _serialize_model(model), f"keras.applications.{source[len(APPLICATIONS_PREFIX):]}"
    if isinstance(source, (str, Path)):
        return read_keras_file(source, limits), str(source)
    if hasattr(source, "get_config") and hasattr(source, "layers"):
        return _serialize_model(source), f"Keras model '{getattr(source, 'name', '?')}'"
    raise ModelImportError(
        f"cannot import {type(source).__name__}: expected a keras.Model, a .keras file or "
        f"'{APPLICATIONS_PREFIX}NAME'")


def _serialize_model(model) -> dict:
    keras = require_keras("import a Keras model")
    try:
        return keras.saving.serialize_keras_object(model)
    except Exception as exc:
        raise ModelImportError(f"cannot read the structure of model '{model.name}': only "
                               f"functional and Sequential models can be imported ({exc})") from None


def build_application(name: str):
    """Build ``keras.applications.NAME(weights=None)`` (no download)."""
    keras = require_keras(f"build keras.applications.{name}")
    apps = {n: getattr(keras.applications, n) for n in dir(keras.applications)
            if n[:1].isupper() and callable(getattr(keras.applications, n))}
    if name not in apps:
        hint = did_you_mean(name, apps) or f"one of {', '.join(sorted(apps)[:6])}, …"
        raise ModelImportError(f"unknown model keras.applications.{name}: {hint}")
    try:
        return apps[name](weights=None)
    except Exception as exc:
        raise ModelImportError(f"keras.applications.{name}(weights=None) failed: {exc}") from None


def read_keras_file(path: str | Path, limits: Limits | None = None) -> dict:
    """The serialized model in a ``.keras`` archive's ``config.json``, read as plain JSON."""
    limits = limits or Limits.from_env()
    path = Path(path)
    if path.suffix.lower() in (".h5", ".hdf5"):
        raise ModelImportError(f"{path}: legacy HDF5 model files are not supported; load the model "
                               "in Keras and save it as .keras")
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("config.json")
            if info.file_size > limits.max_file_bytes:
                raise ModelImportError(
                    f"{path}: config.json is too large ({info.file_size:,} bytes; at most "
                    f"{limits.max_file_bytes:,}); raise LAYERGRAPH_MAX_FILE_BYTES if it is genuine")
            with archive.open(info) as fh:
                raw = fh.read(limits.max_file_bytes + 1)
    except ModelImportError:
        raise
    except KeyError:
        raise ModelImportError(f"{path} is not a Keras model file: the archive has no config.json")
    except zipfile.BadZipFile:
        raise ModelImportError(f"{path} is not a Keras model file: expected a .keras archive "
                               "(a zip file holding config.json)") from None
    except OSError as exc:
        raise ModelImportError(f"cannot read {path}: {exc.strerror or exc}") from None
    return _parse_config(raw, path)


def _parse_config(raw: bytes, path: Path) -> dict:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ModelImportError(f"{path}: config.json is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ModelImportError(f"{path}: config.json does not describe a model")
    return data
