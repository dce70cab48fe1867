"""Export a spec as a readable Keras functional-API Python script.

The script reads like the seed lecture notes: imports, one line per layer,
comments from the descriptions, blocks as Python functions with parameters, and
repeats as loops. Every layer is given its spec name explicitly, so the script
builds a model with exactly the names, shapes and parameters of ``to_keras``.
Specs whose blocks cannot be written as functions (unnamed layers inside a block,
references into a block from outside) are written flat, one line per expanded
layer, with comments marking the block instances. Needs no TensorFlow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..compiler.analysis import Analysis, LayerResult
from ..jsonpointer import escape
from ..spec import BlockUse, GraphSpec, LayerSpec
from .keras import analysed
from .pycode import (comment, docstring, has_template, identifier, is_whole_template, literal,
                     statement, suffixed_fstring, template_fstring)

RESERVED = {"keras", "layers", "model", "build_model", "range", "i"}
CHAIN_NAMES = ("x", "net", "h", "y", "t")


class _Flat(Exception):
    """The blocks cannot be written as functions; write the expanded layers instead."""


def export_python(spec: Any, *, source_name: str | None = None) -> str:
    """Python source that builds the spec's model with the Keras functional API.

    ``spec`` is anything :func:`layergraph.analyze` accepts (or an Analysis).
    Raises :class:`layergraph.SpecError` if the spec has errors.
    """
    analysis = analysed(spec)
    if source_name is None and analysis.source is not None and analysis.source.path:
        source_name = Path(analysis.source.path).name
    return _Writer(analysis, source_name).render()


class _Scope:
    """Variables of one Python function being written."""

    def __init__(self, indent: str, taken: set[str], args: dict[str, str] | None = None,
                 chain: str | None = None):
        self.indent = indent
        self.taken = taken
        self.args = args  # block parameter → Python name (None at top level)
        self.vars: dict[str, str] = {}  # spec reference → Python expression
        self.chain = chain or next(n for n in CHAIN_NAMES if n not in taken)
        taken.add(self.chain)
        self.previous: list[str] = []
        self.layer_vars: dict[str, str] = {}  # shared layer → the variable holding it (flat)


class _Signature:
    """Python names of a block function's inputs, name prefix and parameters."""

    def __init__(self, block, taken: set[str]):
        explicit = {ref for item in block.layers for ref in (item.inputs or [])}
        implicit_only = len(block.inputs) == 1 and block.inputs[0] not in explicit
        if implicit_only:
            self.ports = [identifier("x", taken)]  # only used implicitly: it starts the chain
        else:
            self.ports = [identifier(p, taken) for p in block.inputs]
        self.chain = self.ports[0] if implicit_only else None
        self.name_var = identifier("name", taken)
        self.args = {p: identifier(p, taken) for p in block.defaults()}
        self.taken = taken


class _Writer:
    def __init__(self, analysis: Analysis, source_name: str | None):
        self.analysis = analysis
        self.spec: GraphSpec = analysis.spec
        self.source_name = source_name
        self.by_pointer: dict[str, list[LayerResult]] = {}
        for result in analysis.layers.values():
            self.by_pointer.setdefault(result.pointer, []).append(result)
        self.functions = {name: identifier(name, set(RESERVED)) for name in self.spec.blocks}
        self.signatures = {name: _Signature(block, set(RESERVED) | set(self.functions.values()))
                           for name, block in self.spec.blocks.items()}

    # -- the file ----------------------------------------------------------------

    def render(self) -> str:
        try:
            if self.spec.params:
                raise _Flat  # spec parameters are resolved: write their values out
            if _uses_tensor_features(self.analysis):
                raise _Flat  # several outputs / keyword tensors: one line per layer
            functions, body = self._structured()
        except _Flat:
            functions, body = [], self._flat_body()
        lines = self._header() + ["import keras", "from keras import layers", "", ""]
        for function in functions:
            lines += function + ["", ""]
        lines += ["def build_model():"] + docstring("    ", f"Build {self.analysis.name} "
                                                         "with the Keras functional API.")
        lines += body + ["", "", "model = build_model()", "", 'if __name__ == "__main__":',
                         "    model.summary()"]
        return "\n".join(lines) + "\n"

    def _header(self) -> list[str]:
        origin = f" from {self.source_name}" if self.source_name else ""
        summary = f"{self.analysis.name}: a Keras model generated by layergraph{origin}."
        description = _sentence(self.analysis.description) if self.analysis.description else ""
        body = f"{description} Run this file to print the model summary.".strip()
        return docstring("", summary, body) + [""]

    def _model_return(self, indent: str, var_of_layer: dict[str, str]) -> list[str]:
        try:
            inputs = [var_of_layer[name] for name in self.analysis.inputs]
            outputs = [self._tensor(ref, var_of_layer) for ref in self.analysis.output_refs]
        except KeyError:
            raise _Flat from None
        inputs_text = inputs[0] if len(inputs) == 1 else "[" + ", ".join(inputs) + "]"
        outputs_text = outputs[0] if len(outputs) == 1 else "[" + ", ".join(outputs) + "]"
        return statement(indent, "return keras.Model", [
            f"inputs={inputs_text}", f"outputs={outputs_text}",
            f"name={literal(self.analysis.name)}"])

    # -- one layer ---------------------------------------------------------------

    def _layer_call(self, layer_type, type_name: str, raw: dict, extra: dict, name_expr: str,
                    args: dict[str, str] | None) -> tuple[str, list[str]]:
        """(callee, argument list) for ``layers.Type(...)`` or ``keras.Input(...)``."""
        params = {**raw, **{k: v for k, v in extra.items() if k not in raw}}
        for option in layer_type.call_options:  # these go to the call, not the constructor
            params.pop(option, None)
        if layer_type.max_inputs == 0:
            pieces = [f"shape={literal(params.get('shape'), args)}"]
            if params.get("dtype", "float32") != "float32":
                pieces.append(f"dtype={literal(params['dtype'], args)}")
            return "keras.Input", pieces + [f"name={name_expr}"]
        pieces = []
        for key in layer_type.export_positional:  # written as the Keras docs write them
            if key not in params:
                break
            pieces.append(self._value(params.pop(key), args, name_expr))
        pieces += [f"{key}={self._value(value, args, name_expr)}" for key, value in params.items()]
        module = layer_type.keras_module or "layers"  # keras.src.applications.convnext
        return f"{module}.{type_name}", pieces + [f"name={name_expr}"]

    def _value(self, value: Any, args: dict[str, str] | None, outer: str) -> str:
        """A parameter as Python: a wrapped layer (``{"type": "LSTM", ...}``) as its constructor,
        named as ``to_keras`` names it (``<wrapper>_<type>`` unless written)."""
        if not (isinstance(value, dict) and isinstance(value.get("type"), str)):
            return literal(value, args)
        from ..compiler.expand import to_snake_case
        from ..registry import get_registry

        layer_type = get_registry().get(value["type"])
        raw = {k: v for k, v in value.items() if k not in ("type", "name")}
        # `outer` is a string literal or f-string: the suffix goes before its closing quote.
        name = literal(value["name"], args) if "name" in value else \
            f'{outer[:-1]}_{to_snake_case(value["type"])}{outer[-1]}'
        callee, pieces = self._layer_call(layer_type, value["type"], raw, {}, name, args)
        return f"{callee}({', '.join(pieces)})"

    @staticmethod
    def _assign(indent: str, var: str, callee: str, pieces: list[str],
                inputs: list[str] | None, many: bool, keywords: list[str] = ()) -> list[str]:
        if inputs is None:  # an input layer
            return statement(indent, f"{var} = {callee}", pieces)
        arg = ("[" + ", ".join(inputs) + "]") if many else ", ".join(inputs)
        return statement(indent, f"{var} = {callee}", pieces, f"({', '.join([arg, *keywords])})")

    def _extra_kwargs(self, pointer: str, layer_type) -> dict:
        """Arguments Keras needs that the spec leaves at layergraph's defaults."""
        results = self.by_pointer.get(pointer)
        if not results or results[0].params is None:
            return {}
        return layer_type.keras_kwargs(results[0].params)

    # -- flat: one line per expanded layer ---------------------------------------

    def _flat_body(self) -> list[str]:
        taken = set(RESERVED)
        var_of = {name: identifier(name, taken) for name in self.analysis.inputs}
        scope = _Scope("    ", taken)
        # A layer called more than once is a variable of its own, called at each use.
        scope.layer_vars = {r.shares: "" for r in self.analysis.layers.values() if r.shares}
        order = list(self.analysis.layers)
        lines: list[str] = []
        current_block = None
        for position, (name, result) in enumerate(self.analysis.layers.items()):
            if result.block != current_block and result.block:
                instance = next(b for b in self.analysis.blocks if b.name == result.block)
                again = f", another call of {instance.shares} (same weights)" if instance.shares else ""
                lines += comment("    ", f"block {instance.name} ({instance.block}{again})"
                                 + (f": {instance.description}" if instance.description else ""))
            current_block = result.block
            next_name = order[position + 1] if position + 1 < len(order) else None
            consumers = self.analysis.consumers(name)
            chained = (len(consumers) <= 1 and (not consumers or consumers == [next_name])
                       and (name not in self.analysis.outputs or next_name is None)
                       and name not in self.analysis.inputs)
            var = var_of.get(name) or (scope.chain if chained else identifier(name, scope.taken))
            lines += comment("    ", result.description)
            lines += self._flat_layer(scope, result, var, var_of)
            var_of[name] = var
        return lines + self._model_return("    ", var_of)

    def _tensor(self, ref, var_of: dict[str, str]) -> str:
        """The Python expression of one tensor: ``enc[1]`` for an output of a multi-output layer."""
        var = var_of[ref.layer]
        return f"{var}[{ref.index}]" if len(self.analysis.layers[ref.layer].output_shapes or ()) > 1 \
            else var

    def _flat_layer(self, scope: _Scope, result: LayerResult, var: str, var_of: dict[str, str]):
        from .keras import call_arguments

        layer_type = result.layer_type
        if layer_type.op:  # x + 3.0 and friends: the keras.ops function (named by Keras)
            args = [self._tensor(ref, var_of) for ref in result.positional]
            return [f"{scope.indent}{var} = {layer_type.source(result.params, args)}"]
        if result.shares:
            args, kwargs = call_arguments(result, lambda ref: self._tensor(ref, var_of))
            return statement(scope.indent, f"{var} = {scope.layer_vars[result.shares]}",
                             [_code(a) for a in args] + [f"{k}={_code(v)}" for k, v in kwargs.items()])
        callee, pieces = self._layer_call(layer_type, result.type, dict(result.raw_params),
                                          layer_type.keras_kwargs(result.params),
                                          literal(result.name), None)
        if not result.trainable:
            pieces.insert(len(pieces) - 1, "trainable=False")
        if layer_type.max_inputs == 0:
            return self._assign(scope.indent, var, callee, pieces, None, False)
        args, kwargs = call_arguments(result, lambda ref: self._tensor(ref, var_of))
        keywords = [f"{k}={_code(v)}" for k, v in kwargs.items()]
        if result.name in scope.layer_vars:  # called again later: keep the layer itself
            layer_var = scope.layer_vars[result.name] = identifier(result.name + "_layer", scope.taken)
            return statement(scope.indent, f"{layer_var} = {callee}", pieces) + statement(
                scope.indent, f"{var} = {layer_var}", [_code(a) for a in args] + keywords)
        return self._assign(scope.indent, var, callee, pieces, [_code(a) for a in args], False,
                            keywords)

    # -- structured: blocks as functions, repeats as loops -----------------------

    def _structured(self) -> tuple[list[list[str]], list[str]]:
        used = {b.block for b in self.analysis.blocks}
        functions = [self._function(name) for name in self.spec.blocks if name in used]
        taken = set(RESERVED) | set(self.functions.values())
        input_vars = [identifier(spec_input.name, taken) for spec_input in self.spec.inputs]
        scope = _Scope("    ", taken)
        lines: list[str] = []
        var_of_layer: dict[str, str] = {}
        for spec_input, var in zip(self.spec.inputs, input_vars):
            lines += comment("    ", spec_input.description)
            lines += self._input_line(scope, spec_input, var)
            scope.vars[spec_input.name] = var_of_layer[spec_input.name] = var
            scope.previous = [var]
        items = self.spec.layers
        lines += self._items(scope, items, "/layers", self._top_name, var_of_layer)
        return functions, lines + self._model_return("    ", var_of_layer)

    def _input_line(self, scope: _Scope, spec_input, var: str) -> list[str]:
        pieces = [f"shape={literal(list(spec_input.shape))}"]
        if spec_input.dtype != "float32":
            pieces.append(f"dtype={literal(spec_input.dtype)}")
        return statement(scope.indent, f"{var} = keras.Input", pieces + [
            f"name={literal(spec_input.name)}"])

    def _top_name(self, local: str, suffix: str | None, scope: _Scope) -> str:
        return literal(local) if suffix is None else suffixed_fstring(local, suffix)

    def _function(self, block_name: str) -> list[str]:
        block = self.spec.blocks[block_name]
        sig = self.signatures[block_name]
        ports, name_var, args = sig.ports, sig.name_var, sig.args
        declared = block.defaults()
        required = [args[p] for p, v in declared.items() if _is_required(v)]
        optional = [f"{args[p]}={literal(v)}" for p, v in declared.items() if not _is_required(v)]
        scope = _Scope("    ", set(sig.taken), args, sig.chain)
        scope.vars.update(dict(zip(block.inputs, ports)))
        scope.previous = list(ports)

        def full_name(local: str, suffix: str | None, scope: _Scope) -> str:
            local = "${" + local[1:] + "}" if is_whole_template(local) else local
            text = "${__prefix__}_" + local + ("${__i__}" if suffix else "")
            return template_fstring(text, {**args, "__prefix__": name_var, "__i__": suffix or ""})

        pointer = f"/blocks/{_escape(block_name)}/layers"
        body = self._items(scope, block.layers, pointer, full_name, None, block.output)
        head = statement("", f"def {self.functions[block_name]}",
                         ports + [name_var] + required + optional, ":")
        doc = docstring("    ", _sentence(block.description)) if block.description else []
        return head + doc + body

    def _items(self, scope: _Scope, items, base: str, name_of, var_of_layer, output=None):
        """Lines for a list of items; fills ``scope.vars``; returns with ``return`` in blocks."""
        referenced = self._referenced(items, output, scope)
        lines: list[str] = []
        for i, item in enumerate(items):
            pointer = f"{base}/{i}"
            inputs = self._resolve(scope, item.inputs) if item.inputs is not None else scope.previous
            lines += comment(scope.indent, item.description)
            if isinstance(item, BlockUse):
                lines += self._block_call(scope, item, inputs, name_of, referenced, var_of_layer)
            else:
                lines += self._layer_item(scope, item, pointer, inputs, name_of, referenced,
                                          var_of_layer)
        if scope.args is not None:
            result = self._resolve(scope, [output])[0] if output else scope.previous[0]
            lines.append(f"{scope.indent}return {result}")
        return lines

    def _referenced(self, items, output, scope: _Scope) -> set[str]:
        """References that need their own variable (used other than by the next item)."""
        refs = {ref for item in items for ref in (item.inputs or [])}
        if scope.args is None:
            refs |= set(self.spec.outputs or [])
            last = items[-1]
            refs -= {last.name} if last.name else set()
        elif output is not None and output != items[-1].name:
            refs.add(output)
        return refs

    def _resolve(self, scope: _Scope, refs) -> list[str]:
        if any(ref not in scope.vars for ref in refs):
            raise _Flat  # a reference into a block, or outside a block function
        return [scope.vars[ref] for ref in refs]

    def _layer_item(self, scope, item: LayerSpec, pointer, inputs, name_of, referenced,
                    var_of_layer):
        results = self.by_pointer.get(pointer, [])
        if scope.args is not None and (item.name is None or has_template(item.inputs)
                                       or has_template(item.type)):
            raise _Flat
        repeated = "repeat" in item.model_fields_set
        local = item.name if item.name is not None else (results[0].name if results else None)
        if local is None or (repeated and item.name is None):
            raise _Flat  # auto-named repetitions: write the layers out
        layer_type = _layer_type(results, item.type)
        extra = self._extra_kwargs(pointer, layer_type)
        own = local in referenced or (repeated and _suffixed_refs(local, referenced))
        if repeated and _suffixed_refs(local, referenced):
            raise _Flat  # a single repetition is referenced: write the layers out
        var = identifier(local, scope.taken) if own else scope.chain
        many = layer_type.max_inputs != 1
        call_inputs = None if layer_type.max_inputs == 0 else inputs
        lines: list[str] = []
        if not repeated:
            callee, pieces = self._layer_call(layer_type, item.type, item.params, extra,
                                              name_of(local, None, scope), scope.args)
            lines += self._assign(scope.indent, var, callee, pieces, call_inputs, many)
        else:
            lines += self._loop(scope, item, layer_type, extra, var, call_inputs, many,
                                name_of, local)
        scope.vars[local] = var
        scope.previous = [var]
        if var_of_layer is not None and results:
            var_of_layer[results[-1].name] = var
        return lines

    def _loop(self, scope, item, layer_type, extra, var, inputs, many, name_of, local):
        if many or inputs is None:
            raise _Flat
        lines = [] if inputs == [var] else [f"{scope.indent}{var} = {inputs[0]}"]
        lines.append(f"{scope.indent}for i in {_range(item.repeat, scope.args)}:")
        callee, pieces = self._layer_call(layer_type, item.type, item.params, extra,
                                          name_of(local, "i", scope), scope.args)
        return lines + self._assign(scope.indent + "    ", var, callee, pieces, [var], False)

    def _block_call(self, scope, use: BlockUse, inputs, name_of, referenced, var_of_layer):
        if has_template(use.inputs) or has_template(use.block):
            raise _Flat
        function = self.functions[use.block]
        repeated = "repeat" in use.model_fields_set
        if repeated and _suffixed_refs(use.name, referenced):
            raise _Flat
        var = identifier(use.name, scope.taken) if use.name in referenced else scope.chain
        names = self.signatures[use.block].args
        kwargs = [f"{names[k]}={literal(v, scope.args)}" for k, v in use.args.items()]
        if not repeated:
            lines = statement(scope.indent, f"{var} = {function}",
                              inputs + [name_of(use.name, None, scope)] + kwargs)
        else:
            if len(inputs) != 1:
                raise _Flat
            lines = [] if inputs == [var] else [f"{scope.indent}{var} = {inputs[0]}"]
            lines.append(f"{scope.indent}for i in {_range(use.repeat, scope.args)}:")
            lines += statement(scope.indent + "    ", f"{var} = {function}",
                               [var, name_of(use.name, "i", scope)] + kwargs)
        scope.vars[use.name] = var
        scope.previous = [var]
        if var_of_layer is not None:
            instances = [b for b in self.analysis.blocks if b.parent is None
                         and (b.name == use.name or _is_suffixed(b.name, use.name))]
            if instances:
                var_of_layer[instances[-1].output] = var
        return lines


def _uses_tensor_features(analysis: Analysis) -> bool:
    """Several outputs, keyword tensors, separate call arguments, keras.ops or shared layers:
    written flat."""
    return any(len(r.output_shapes or ()) > 1 or r.call or r.layer_type.positional_call
               or r.layer_type.op or not r.trainable or r.shares
               or r.layer_type.call_options and r.layer_type.call_kwargs(r.params)
               for r in analysis.layers.values())


def _code(value: Any) -> str:
    """Expressions (already Python text) and lists of them, as Python source."""
    if isinstance(value, list):
        return "[" + ", ".join(_code(v) for v in value) + "]"
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return repr(value)
    return str(value)


def _range(count: Any, args: dict[str, str] | None) -> str:
    """``range(1, 4)`` for a literal count, ``range(1, convs + 1)`` for a block argument."""
    if isinstance(count, int):
        return f"range(1, {count + 1})"
    return f"range(1, {literal(count, args)} + 1)"


def _is_required(value: Any) -> bool:
    from ..spec import REQUIRED

    return value is REQUIRED


def _layer_type(results: list[LayerResult], type_name: str):
    if results and results[0].layer_type is not None:
        return results[0].layer_type
    from ..registry import get_registry

    layer_type = get_registry().get(type_name)
    if layer_type is None:
        raise _Flat
    return layer_type


def _suffixed_refs(base: str, referenced: set[str]) -> bool:
    return any(_is_suffixed(ref, base) for ref in referenced)


def _is_suffixed(name: str, base: str) -> bool:
    return name.startswith(base) and name[len(base):].isdigit()


_escape = escape


def _sentence(text: str) -> str:
    """A description as a docstring sentence: capitalised, with a full stop."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
