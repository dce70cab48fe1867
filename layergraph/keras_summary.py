"""What Keras's ``model.summary()`` prints for the compiled model, without Keras.

Mirrors keras/src/utils/summary_utils.py (``print_summary``): the same columns
(``Connected to`` only for models that are not a plain chain), widths, shapes
with ``None`` for the batch, ``name[0][0]`` connections and the totals with
Keras's memory units (1 KB = 1024 B).
"""

from __future__ import annotations

import shutil

from .compiler.analysis import Analysis, LayerResult
from .costs import dtype_bytes


def sequential_like(analysis: Analysis) -> bool:
    """Keras's test: no layer merges inputs and no layer's output feeds two layers."""
    return len(analysis.inputs) <= 1 and all(
        len(r.inputs) <= 1 and len(analysis.consumers(name)) <= 1
        for name, r in analysis.layers.items())


def keras_order(analysis: Analysis) -> list[str]:
    """The layers in the order of Keras's ``model.layers`` (``map_graph``): by depth from
    the outputs, deepest first, ties by first visit of a depth-first walk from the outputs."""
    index: dict[str, int] = {}
    post: list[str] = []
    for output in analysis.outputs:
        if output in index:
            continue
        index[output] = len(index)
        stack = [(output, iter(_known_inputs(analysis, output)))]
        while stack:  # iterative, so a deep chain needs no deep recursion
            name, pending = stack[-1]
            parent = next((p for p in pending if p not in index), None)
            if parent is None:
                stack.pop()
                post.append(name)
                continue
            index[parent] = len(index)
            stack.append((parent, iter(_known_inputs(analysis, parent))))
    depth: dict[str, int] = {}
    for name in reversed(post):
        here = depth.setdefault(name, 0)
        for parent in _known_inputs(analysis, name):
            depth[parent] = max(here + 1, depth.get(parent, 0))
    return sorted(post, key=lambda n: (-depth[n], index[n]))


def _known_inputs(analysis: Analysis, name: str) -> list[str]:
    """Inputs that are layers (a spec with errors may name missing ones)."""
    return [i for i in analysis.layers[name].inputs if i in analysis.layers]


def readable_memory_size(size: float) -> str:
    """Keras's ``readable_memory_size``: ``237.95 MB`` with 1024-byte steps."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _shape(result: LayerResult) -> str:
    if result.output_shape is None:
        return "?"
    shapes = result.output_shapes or [result.output_shape]
    text = ["(" + ", ".join(str(d) for d in (None, *shape)) + ")" for shape in shapes]
    # A layer with several outputs (an LSTM with return_state): Keras prints the list.
    return text[0] if len(text) == 1 else "[" + ", ".join(text) + "]"


def _connections(result: LayerResult) -> str:
    return ", ".join(f"{name}[0][0]" for name in result.inputs) or "-"


def keras_summary(analysis: Analysis, line_length: int | None = None, dtype: str = "float32") -> str:
    """The text of ``model.summary()`` for the spec's compiled model."""
    import rich.console
    import rich.markup
    import rich.table

    chain = sequential_like(analysis)
    if chain:
        default, positions = 88, [0.45, 0.80, 1.0]
        header, alignment = ["Layer (type)", "Output Shape", "Param #"], ["left", "left", "right"]
    else:
        default, positions = 108, [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
    line_length = line_length or min(default, shutil.get_terminal_size().columns - 4)
    widths, current = [], 0
    for position in positions:
        widths.append(int(position * line_length) - current)
        current += widths[-1]
    columns = [rich.table.Column(name, justify=align, width=width)
               for name, align, width in zip(header, alignment, widths)]
    table = rich.table.Table(*columns, width=line_length, show_lines=True)
    for result in (analysis.layers[n] for n in keras_order(analysis)):
        name = f"{rich.markup.escape(result.name)} ({rich.markup.escape(result.type)})"
        params = "?" if result.param_count is None else f"{result.param_count:,}"
        row = [name, _shape(result), params] + ([] if chain else [_connections(result)])
        table.add_row(*row)
    width = dtype_bytes(dtype)
    console = rich.console.Console(highlight=False, force_terminal=False, color_system=None)
    console.begin_capture()
    console.print(f'Model: "{rich.markup.escape(analysis.name)}"')
    console.print(table)
    for label, count in ((" Total params: ", analysis.total_params),
                         (" Trainable params: ", analysis.trainable_params),
                         (" Non-trainable params: ", analysis.non_trainable_params)):
        console.print(f"{label}{count:,} ({readable_memory_size(count * width)})")
    return console.end_capture()
