"""Resource limits that keep untrusted specs from exhausting time or memory.

Every limit is checked before the work it guards (reading, expanding, allocating),
so a tiny file cannot expand into a billion layers and a huge layer is reported,
never allocated. Override them per call (``Limits(max_layers=...)``) or with the
``LAYERGRAPH_MAX_*`` environment variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 16 * 1024 * 1024
    max_nesting_depth: int = 64
    max_layers: int = 200_000
    max_repeat: int = 10_000
    max_block_depth: int = 32
    max_dimension: int = 2**24
    max_total_params: int = 10**10
    max_tensor_elements: int = 2**34

    @classmethod
    def from_env(cls) -> "Limits":
        """Defaults, overridden by ``LAYERGRAPH_MAX_LAYERS=...`` style variables."""
        overrides = {}
        for name, variable in _VARIABLES:
            raw = os.environ.get(variable)
            if raw and raw.isdigit():
                overrides[name] = int(raw)
        return cls(**overrides)


# Each limit's environment variable, found once: every analysis reads them all.
_VARIABLES = tuple((f.name, "LAYERGRAPH_" + f.name.upper()) for f in fields(Limits))

DEFAULT_LIMITS = Limits()
