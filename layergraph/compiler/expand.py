"""Block expansion: turn a spec's items (layers, block uses, repeats) into flat layers.

Naming follows Keras's conventions: a block instance ``block1`` prefixes its layers
(``block1_conv1``), a repeated item gets 1-based suffixes (``conv1``, ``conv2``),
and an unnamed layer gets Keras's snake-case name (``conv2d``, ``conv2d_1``).
Referring to a block instance (or a repeated item's base name) means its output.
An item with ``shares`` calls an earlier layer again (a node with ``shares`` set to the
layer holding the weights); sharing a block use replays each of its layers that way.
The expansion counts layers as it goes and stops at the layer limit, so a small
file can never expand into a huge graph.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..diagnostics import Code, Diagnostic, did_you_mean, pointer_join
from ..jsonpointer import escape
from ..limits import Limits
from ..spec import (OUTPUT_SEPARATOR, REQUIRED, BlockDef, BlockUse, GraphSpec, LayerSpec,
                    SharedCall, split_reference)
from .analysis import LayerResult
from .budget import planned_layers
from .validation import pydantic_diagnostics, templated


@dataclass
class BlockInstance:
    """One use of a block, for diagrams and summaries."""

    name: str
    block: str
    args: dict[str, Any]
    layers: list[str] = field(default_factory=list)
    parent: str | None = None
    output: str | None = None
    description: str | None = None
    inputs: list[str] = field(default_factory=list)  # the tensors the use was given
    shares: str | None = None  # another call of this block use (same weights)


@dataclass
class Expansion:
    # One result per expanded layer, its type, parameters and shapes not checked yet: the
    # checking passes fill in the same objects (one object per layer, not a node and a copy).
    layers: list[LayerResult] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    blocks: list[BlockInstance] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    aborted: bool = False  # the layer limit was hit: the layers are incomplete

    def resolve(self, name: str) -> str:
        """Follow aliases (block instance → its output layer) to a layer name."""
        for _ in range(64):
            if name not in self.aliases:
                return name
            name = self.aliases[name]
        return name


@dataclass
class _Scope:
    prefix: str = ""
    args: dict[str, Any] | None = None
    local: dict[str, str] = field(default_factory=dict)  # local name → full name
    stack: tuple[str, ...] = ()
    instance: BlockInstance | None = None


class _Stop(Exception):
    """Expansion hit a hard limit; nothing more is expanded."""


@functools.lru_cache(maxsize=512)
def to_snake_case(name: str) -> str:
    """Keras's layer-name default for a class name (Conv2D → conv2d)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


class Expander:
    """Expands a :class:`GraphSpec` into an :class:`Expansion`."""

    def __init__(self, spec: GraphSpec, limits: Limits):
        self.spec = spec
        self.limits = limits
        self.out = Expansion()
        self._auto_counts: dict[str, int] = {}
        self._nodes: dict[str, LayerResult] = {}  # first node of each name, for `shares`
        self._instances: dict[str, BlockInstance] = {}
        # Where each item of the spec holds templates, by id: a block's items are the
        # spec's own objects (alive for the whole run), each met once per use of the block.
        self._templates: dict[int, str | None] = {}

    def run(self) -> Expansion:
        planned, culprit = planned_layers(self.spec, self.limits)
        if planned > self.limits.max_layers:
            self._too_many(culprit, f"{planned:,} layers")
            self.out.aborted = True
            return self.out
        previous = [self._add_inputs()] if self.spec.inputs else []
        previous = [p for p in previous if p]
        try:
            self._expand_items(self.spec.layers, "/layers", _Scope(), previous)
        except _Stop:
            self.out.aborted = True
        return self.out

    def _add_inputs(self) -> str | None:
        last = None
        for i, spec_input in enumerate(self.spec.inputs):
            self.out.layers.append(LayerResult(
                name=spec_input.name, type="InputLayer",
                raw_params={"shape": spec_input.shape, "dtype": spec_input.dtype},
                inputs=[], explicit_inputs=True, pointer=pointer_join("inputs", i),
                description=spec_input.description, named="name" in spec_input.model_fields_set))
            last = spec_input.name
        return last

    def _report(self, code: Code, message: str, pointer: str, hint: str | None = None,
                layer: str | None = None) -> None:
        diagnostic = Diagnostic(code, message, layer=layer, pointer=pointer, hint=hint)
        if diagnostic not in self.out.diagnostics:  # a block used many times: report once
            self.out.diagnostics.append(diagnostic)

    # -- items ---------------------------------------------------------------

    def _expand_items(self, items, base: str, scope: _Scope, previous: list[str]) -> list[str]:
        # Pointers to list items are "{base}/{i}": an index never needs escaping.
        if scope.args is not None or self.spec.params:
            items = [self._instantiate(item, f"{base}/{i}", scope) for i, item in enumerate(items)]
        scope.local.update(self._local_names(items, scope))
        for i, item in enumerate(items):
            if item is None:
                continue
            pointer = f"{base}/{i}"
            if isinstance(item, LayerSpec):  # the most common kind first
                previous = self._expand_layer(item, pointer, scope, previous)
            elif isinstance(item, BlockUse):
                previous = self._expand_block_use(item, pointer, scope, previous)
            else:
                previous = self._expand_share(item, pointer, scope, previous)
        return previous

    def _instantiate(self, item, pointer: str, scope: _Scope):
        """Substitute block arguments (or, at the top level, spec parameters) into an item."""
        args = self.spec.params if scope.args is None else scope.args
        if not args and scope.args is None:
            return item  # a spec without params: nothing to substitute, no copy made
        where = self._templates_in(item)
        if where is None:
            return item  # substitution would change nothing: no dump, no second validation
        try:
            if where == "params":  # the common case: `"filters": "$filters"`
                return item.model_copy(update=substitute(item.model_extra, args))
            data = substitute(item.model_dump(exclude_unset=True), args)
        except KeyError as exc:
            self._unknown_template(exc.args[0], pointer, scope, args)
            return None
        try:
            return type(item).model_validate(data)
        except ValidationError as exc:
            self.out.diagnostics.extend(pydantic_diagnostics(exc, pointer, data=data))
            return None

    def _templates_in(self, item) -> str | None:
        """:func:`_templates_in`, found once per item of the spec however often it is used."""
        key = id(item)
        if key not in self._templates:
            self._templates[key] = _templates_in(item)
        return self._templates[key]

    def _unknown_template(self, name: str, pointer: str, scope: _Scope, args: dict) -> None:
        if scope.args is None:
            self._report(Code.BAD_SPEC_PARAMETER,
                         f"Unknown spec parameter `${name}`: expected one of the spec's `params` "
                         f"({', '.join(sorted(args)) or 'none declared'}). Received: ${name}.",
                         pointer, did_you_mean(name, args) or f'declare it: "params": {{"{name}": ...}}')
            return
        self._report(Code.BAD_BLOCK_ARGUMENT,
                     f"Unknown block parameter `${name}` in block '{scope.stack[-1]}': "
                     f"expected one of its declared params. Received: ${name}.",
                     pointer, did_you_mean(name, args))

    def _local_names(self, items, scope: _Scope) -> dict[str, str]:
        """Names declared by a list of items, so references inside a block can be prefixed."""
        if scope.args is None:
            return {}
        local = {}
        for item in items:
            if item is None or item.name is None:
                continue
            local[item.name] = scope.prefix + item.name
            if "repeat" in item.model_fields_set and isinstance(item.repeat, int):
                for k in range(1, min(item.repeat, self.limits.max_repeat) + 1):
                    local[f"{item.name}{k}"] = f"{scope.prefix}{item.name}{k}"
        return local

    def _repeat_count(self, item, pointer: str) -> int | None:
        count = item.repeat
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            self._report(Code.INVALID_PARAMETER,
                         f"Invalid `repeat`: expected a positive integer. Received: repeat={count!r}.",
                         pointer + "/repeat")
            return None
        if count > self.limits.max_repeat:
            self._report(Code.LIMIT_EXCEEDED,
                         f"`repeat` is too large: at most {self.limits.max_repeat:,} is accepted. "
                         f"Received: repeat={count:,}.", pointer + "/repeat",
                         "raise LAYERGRAPH_MAX_REPEAT if this is intended")
            return None
        return count

    def _names(self, base: str, item, count: int) -> list[str]:
        if "repeat" in item.model_fields_set:
            return [f"{base}{k}" for k in range(1, count + 1)]
        return [base]

    def _inputs_for(self, item, scope: _Scope, previous: list[str]) -> tuple[list[str], bool]:
        if item.inputs is None:
            return list(previous), False
        return [_localize(ref, scope) for ref in item.inputs], True

    def _call_for(self, item: LayerSpec, scope: _Scope) -> dict[str, str | list[str]]:
        """The keyword tensors of a layer's call as written (references prefixed in blocks)."""
        if not item.call:
            return {}
        return {argument: _localize(refs, scope) if isinstance(refs, str)
                else [_localize(ref, scope) for ref in refs]
                for argument, refs in item.call.items()}

    def _expand_layer(self, item: LayerSpec, pointer: str, scope: _Scope, previous):
        count = self._repeat_count(item, pointer)
        if count is None:
            return previous
        self._check_budget(count, pointer)
        base = item.name if item.name else self._auto_name(item.type)
        names = self._names(scope.prefix + base, item, count)
        inputs, explicit = self._inputs_for(item, scope, previous)
        call, instance = self._call_for(item, scope), scope.instance
        block = instance.name if instance else None
        for name in names:
            # Positional, in field order (name, type, inputs, raw_params, pointer, description,
            # block, explicit_inputs, named, layer_type, params, output_shape, output_shapes,
            # refs, call, trainable): keywords take twice as long.
            self._add_node(LayerResult(name, item.type, inputs, item.params, pointer,
                                       item.description, block, explicit, bool(item.name), None,
                                       None, None, None, [], call, item.trainable), instance)
            inputs, explicit = [name], False
        if len(names) > 1:
            self.out.aliases[scope.prefix + base] = names[-1]
        return [names[-1]]

    def _add_node(self, node: LayerResult, instance: BlockInstance | None) -> None:
        self.out.layers.append(node)
        self._nodes.setdefault(node.name, node)
        if instance:
            instance.layers.append(node.name)

    def _auto_name(self, type_name: str) -> str:
        base = to_snake_case(type_name)
        n = self._auto_counts.get(base, 0)
        self._auto_counts[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def _check_budget(self, count: int, pointer: str) -> None:
        if len(self.out.layers) + count > self.limits.max_layers:
            self._too_many(pointer, "more than that")
            raise _Stop

    def _too_many(self, pointer: str, received: str) -> None:
        self._report(Code.LIMIT_EXCEEDED,
                     f"The graph is too large: at most {self.limits.max_layers:,} layers are "
                     f"expanded. Received: {received} after expanding blocks and repeats.",
                     pointer, "raise LAYERGRAPH_MAX_LAYERS if this is intended")

    # -- blocks --------------------------------------------------------------

    def _expand_block_use(self, use: BlockUse, pointer: str, scope: _Scope, previous):
        block = self._lookup_block(use, pointer, scope)
        count = self._repeat_count(use, pointer) if block else None
        args = self._block_args(use, block, pointer) if count else None
        if args is None:
            return previous
        inputs, _ = self._inputs_for(use, scope, previous if block.inputs else [])
        if not self._block_arity_ok(use, block, inputs, pointer):
            return previous
        names = self._names(scope.prefix + use.name, use, count)
        for name in names:
            inputs = [self._expand_instance(name, use, block, args, inputs, pointer, scope)]
        if len(names) > 1:
            self.out.aliases[scope.prefix + use.name] = names[-1]
        return inputs

    def _lookup_block(self, use: BlockUse, pointer: str, scope: _Scope) -> BlockDef | None:
        block = self.spec.blocks.get(use.block)
        if block is None:
            self._report(Code.UNKNOWN_BLOCK,
                         f"Unknown block '{use.block}': expected one defined under `blocks`. "
                         f"Received: block={use.block!r}.", pointer + "/block",
                         did_you_mean(use.block, self.spec.blocks))
        elif use.block in scope.stack:
            chain = " → ".join(scope.stack + (use.block,))
            self._report(Code.RECURSIVE_BLOCK,
                         f"Block '{use.block}' uses itself: blocks may not recurse. Received: {chain}.",
                         pointer + "/block")
            return None
        elif len(scope.stack) >= self.limits.max_block_depth:
            self._report(Code.LIMIT_EXCEEDED,
                         f"Blocks are nested too deeply: at most {self.limits.max_block_depth} levels.",
                         pointer)
            return None
        return block

    def _block_args(self, use: BlockUse, block: BlockDef, pointer: str) -> dict | None:
        declared = block.defaults()
        ok = True
        for name in use.args:
            if name not in declared:
                self._report(Code.BAD_BLOCK_ARGUMENT,
                             f"Unknown argument `{name}` for block '{use.block}': expected one of "
                             f"{sorted(declared) or 'no arguments'}. Received: {name}={use.args[name]!r}.",
                             pointer_join_raw(pointer + "/args", name), did_you_mean(name, declared))
                ok = False
        args = {**declared, **use.args}
        missing = [name for name, value in args.items() if value is REQUIRED]
        for name in missing:
            self._report(Code.BAD_BLOCK_ARGUMENT,
                         f"Missing argument `{name}` for block '{use.block}': it has no default. "
                         "Received: no value.", pointer + "/args")
        return args if ok and not missing else None

    def _block_arity_ok(self, use: BlockUse, block: BlockDef, inputs: list[str], pointer: str) -> bool:
        if len(inputs) == len(block.inputs):
            return True
        self._report(Code.WRONG_ARITY,
                     f"Wrong number of inputs for block '{use.block}' (used as '{use.name}'): "
                     f"expected {len(block.inputs)} ({', '.join(block.inputs) or 'none'}). "
                     f"Received: {len(inputs)} ({', '.join(inputs) or 'none'}).",
                     pointer + ("/inputs" if use.inputs is not None else ""),
                     "list one layer per block input in `inputs`")
        return False

    def _block_output(self, use: BlockUse, block: BlockDef, inner: _Scope, last, name) -> str:
        """The layer a block instance stands for: its `output`, or its last layer."""
        if not block.output:
            return last[0] if last else name
        if block.output not in inner.local:
            self._report(Code.UNKNOWN_OUTPUT,
                         f"Output '{block.output}' of block '{use.block}' is not one of its layers "
                         f"or inputs. Received: output={block.output!r}.",
                         f"/blocks/{_escape(use.block)}/output",
                         did_you_mean(block.output, inner.local))
            return last[0] if last else name
        return inner.local[block.output]

    def _expand_instance(self, name, use, block: BlockDef, args, inputs, pointer, scope) -> str:
        instance = BlockInstance(name=name, block=use.block, args=args,
                                 parent=scope.instance.name if scope.instance else None,
                                 description=use.description or block.description,
                                 inputs=list(inputs))
        self.out.blocks.append(instance)
        self._instances.setdefault(name, instance)
        inner = _Scope(prefix=name + "_", args={**self.spec.params, **args},  # own params shadow
                       stack=scope.stack + (use.block,),
                       instance=instance)
        inner.local = {port: ref for port, ref in zip(block.inputs, inputs)}
        last = self._expand_items(block.layers, f"/blocks/{_escape(use.block)}/layers", inner, inputs)
        output = self._block_output(use, block, inner, last, name)
        if scope.instance:
            scope.instance.layers.extend(instance.layers)
        instance.output = output
        self.out.aliases[name] = output
        return name

    # -- shared calls --------------------------------------------------------

    def _expand_share(self, item: SharedCall, pointer: str, scope: _Scope, previous):
        """Another call of an earlier layer or block use: same weights, other inputs."""
        target = _localize(item.shares, scope)
        inputs, explicit = self._inputs_for(item, scope, previous)
        name = scope.prefix + item.name
        if target in self._instances:
            instance = self._share_instance(name, item, self._instances[target], inputs, pointer,
                                            scope)
            return [name] if instance else previous
        original = self._nodes.get(self.out.resolve(target))
        if original is None or original.type == "InputLayer":
            known = [n for n, node in self._nodes.items() if node.type != "InputLayer"]
            self._report(Code.BAD_SHARE,
                         f"'{item.name}' shares '{item.shares}', which is not an earlier layer or "
                         f"block use: `shares` names the first call, defined above it. "
                         f"Received: shares={item.shares!r}.", pointer + "/shares",
                         did_you_mean(item.shares, known + list(self._instances)), layer=name)
            return previous
        if item.type is not None and item.type != original.type:
            self._report(Code.BAD_SHARE,
                         f"'{item.name}' shares the weights of {original.type} layer "
                         f"'{original.name}', so it is a {original.type} layer too. "
                         f"Received: type={item.type!r}.", pointer + "/type",
                         f'leave `type` out or write "type": "{original.type}"', layer=name)
            return previous
        self._check_budget(1, pointer)
        self._add_node(_shared_node(original, name, inputs, explicit, pointer, self._call_for(
            item, scope), item.description, scope.instance), scope.instance)
        return [name]

    def _share_instance(self, name: str, item: SharedCall, original: BlockInstance, inputs,
                        pointer: str, scope: _Scope) -> BlockInstance | None:
        """Replay each layer of block use ``original`` as a shared call, renamed under ``name``."""
        if len(inputs) != len(original.inputs):
            self._report(Code.WRONG_ARITY,
                         f"Wrong number of inputs for '{item.name}', another call of block use "
                         f"'{original.name}': expected {len(original.inputs)}. Received: "
                         f"{len(inputs)} ({', '.join(inputs) or 'none'}).", pointer,
                         "list one layer per block input in `inputs`", layer=name)
            return None
        self._check_budget(len(original.layers), pointer)
        instance = BlockInstance(name=name, block=original.block, args=original.args,
                                 parent=scope.instance.name if scope.instance else None,
                                 description=item.description or original.description,
                                 inputs=list(inputs), shares=original.shares or original.name)
        self.out.blocks.append(instance)
        self._instances.setdefault(name, instance)
        renamed = dict(zip(original.inputs, inputs))
        renamed.update({layer: name + layer[len(original.name):] for layer in original.layers})
        rename = functools.partial(self._rename, renamed=renamed)
        for layer in original.layers:
            node = self._nodes[layer]
            call = {arg: rename(refs) if isinstance(refs, str) else [rename(r) for r in refs]
                    for arg, refs in node.call.items()}
            self._add_node(_shared_node(node, renamed[layer], [rename(r) for r in node.inputs],
                                        node.explicit_inputs, pointer, call, node.description,
                                        instance), instance)
        instance.output = rename(original.output or name)
        self.out.aliases[name] = instance.output
        if scope.instance:
            scope.instance.layers.extend(instance.layers)
        return instance

    def _rename(self, ref: str, renamed: dict[str, str]) -> str:
        """A reference inside a shared block use, moved to the new call's layers and inputs."""
        if ref in renamed:
            return renamed[ref]
        resolved = self.out.resolve(ref)
        if resolved in renamed:
            return renamed[resolved]
        base, port = split_reference(ref)
        if port is not None and self.out.resolve(base) in renamed:
            return renamed[self.out.resolve(base)] + OUTPUT_SEPARATOR + port
        return ref


def _templates_in(item) -> str | None:
    """Where a spec item holds templates: ``"fields"`` when one of its declared fields does
    (its parameters may too), ``"params"`` when only a layer's parameters do, else None.

    Unset fields hold their defaults, which never do. A layer's parameters are its extra
    keys, which the spec model keeps as given without validating them: when only they
    change, a copy of the item with the new values is the item that dumping, substituting
    and validating again would give (tests/test_expand_templates.py checks that).
    """
    if templated(list(item.__dict__.values())):
        return "fields"
    return "params" if templated(item.model_extra or {}) else None


def _shared_node(original: LayerResult, name: str, inputs: list[str], explicit: bool, pointer: str,
                 call: dict, description: str | None, instance: BlockInstance | None) -> LayerResult:
    """A node calling ``original``'s layer again: its type, parameters and trainability."""
    return LayerResult(name=name, type=original.type, raw_params=original.raw_params,
                       inputs=inputs, explicit_inputs=explicit, pointer=pointer,
                       description=description or original.description,
                       block=instance.name if instance else None, call=call,
                       trainable=original.trainable, shares=original.shares or original.name)


def _localize(ref: str, scope: _Scope) -> str:
    """A reference as written in a block, made global (``conv`` → ``b1_conv``, ``enc:1`` too)."""
    if ref in scope.local:
        return scope.local[ref]
    base, port = split_reference(ref)
    if port is not None and base in scope.local:
        return scope.local[base] + OUTPUT_SEPARATOR + port
    return ref


_escape = escape


def pointer_join_raw(base: str, part: object) -> str:
    return f"{base}/{_escape(str(part))}"


_WHOLE = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")
_INLINE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def substitute(value: Any, args: dict[str, Any], keep_unknown: bool = False) -> Any:
    """Replace ``"$name"`` (whole value) and ``"${name}"`` (inside text) with block arguments.

    Raises KeyError naming an argument that is not declared, unless ``keep_unknown``: then
    it stays as written (the editor inlines a block but keeps the spec's own parameters).
    """
    if isinstance(value, str):
        if "$" not in value:
            return value  # most strings (names, types, references): no template to look for
        whole = _WHOLE.match(value)
        if whole:
            name = whole.group(1)
            return value if keep_unknown and name not in args else args[name]
        return _INLINE.sub(lambda m: m.group(0) if keep_unknown and m.group(1) not in args
                           else str(args[m.group(1)]), value)
    if isinstance(value, list):
        return [substitute(v, args, keep_unknown) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, args, keep_unknown) for k, v in value.items()}
    return value


def expand(spec: GraphSpec, limits: Limits) -> Expansion:
    """Expand blocks and repeats of a spec into flat layers (see module docs)."""
    return Expander(spec, limits).run()
