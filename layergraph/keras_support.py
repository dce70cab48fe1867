"""What the Keras-facing parts share: the lazy import and their error types.

Nothing here imports Keras at module import; :func:`require_keras` does it when a
Keras feature is actually used, and turns a missing install into one clear message.
"""

from __future__ import annotations

from .errors import LayergraphError

INSTALL_COMMAND = "pip install 'layergraph[keras]'"


class KerasError(LayergraphError):
    """Base of the Keras-side errors; the message is meant to be shown as it is."""


class KerasUnavailableError(KerasError, ImportError):
    """TensorFlow/Keras is not installed (or not importable)."""


class KerasBuildError(KerasError, ValueError):
    """Keras refused to build a layer that layergraph's checks accepted."""


class ModelImportError(KerasError, ValueError):
    """A Keras model (file or object) cannot be turned into a spec."""


def require_keras(purpose: str = "build Keras models"):
    """Import and return the ``keras`` module, or raise :class:`KerasUnavailableError`."""
    try:
        import keras
    except Exception as exc:  # ImportError, or a broken TensorFlow raising something else
        raise KerasUnavailableError(
            f"TensorFlow and Keras 3 are needed to {purpose}, but `import keras` failed "
            f"({type(exc).__name__}: {exc}). Install them with: {INSTALL_COMMAND}") from None
    version = getattr(keras, "__version__", "0")
    if not version.split(".")[0].isdigit() or int(version.split(".")[0]) < 3:
        raise KerasUnavailableError(
            f"layergraph needs Keras 3 to {purpose}; found Keras {version}. "
            f"Install it with: {INSTALL_COMMAND}")
    return keras
