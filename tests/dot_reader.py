"""A small reader of the DOT language for the diagram tests, with pydot's interface.

pydot's pyparsing grammar takes ~25 s for ResNet50's 90 KB of DOT (HTML labels are
its slow case); this reader takes milliseconds. It knows nothing of layergraph's DOT writer:
it reads the DOT grammar (graphviz.org/doc/info/lang.html) and returns what pydot returns —
values exactly as written (quoted strings keep their quotes, HTML labels their ``<…>``),
statements kept per (sub)graph. ``test_dot_reader.py`` checks that it agrees with pydot.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/|^\#[^\n]*)
  | (?P<edgeop>->|--)
  | (?P<punct>[{}\[\];,=:])
  | (?P<quoted>"(?:[^"\\]|\\.)*")
  | (?P<html><)
  | (?P<id>-?(?:\.\d+|\d+(?:\.\d*)?)|[A-Za-z_\x80-\U0010ffff][\w\x80-\U0010ffff]*)
""", re.VERBOSE | re.DOTALL | re.MULTILINE)


def tokens(source: str) -> list[str]:
    """The DOT source as tokens; an HTML string ``<…>`` (nested ``<>`` included) is one token."""
    result, at = [], 0
    while at < len(source):
        match = _TOKEN.match(source, at)
        if match is None:
            raise ValueError(f"DOT: unexpected {source[at:at + 20]!r} at {at}")
        if match.lastgroup == "html":
            end = _html_end(source, at)
            result.append(source[at:end])
            at = end
            continue
        if match.lastgroup != "space":
            result.append(match.group())
        at = match.end()
    return result


def _html_end(source: str, start: int) -> int:
    depth = 0
    for index in range(start, len(source)):
        if source[index] == "<":
            depth += 1
        elif source[index] == ">":
            depth -= 1
            if depth == 0:
                return index + 1
    raise ValueError(f"DOT: an HTML string opened at {start} is never closed")


class Node:
    def __init__(self, name: str, attributes: dict[str, str]):
        self._name, self._attributes = name, attributes

    def get_name(self) -> str:
        return self._name

    def get(self, key: str) -> str | None:
        return self._attributes.get(key)

    def get_attributes(self) -> dict[str, str]:
        return dict(self._attributes)


class Edge(Node):
    def __init__(self, source: str, destination: str, attributes: dict[str, str]):
        super().__init__(f"{source} -> {destination}", attributes)
        self._source, self._destination = source, destination

    def get_source(self) -> str:
        return self._source

    def get_destination(self) -> str:
        return self._destination


class Graph(Node):
    """A graph or subgraph: its attributes, and the statements written directly in it."""

    def __init__(self, name: str):
        super().__init__(name, {})
        self._nodes: list[Node] = []
        self._edges: list[Edge] = []
        self._subgraphs: list[Graph] = []
        self._graph_defaults: list[dict[str, str]] = []

    def get_nodes(self) -> list[Node]:
        return list(self._nodes)

    def get_edges(self) -> list[Edge]:
        return list(self._edges)

    def get_subgraphs(self) -> list["Graph"]:
        return list(self._subgraphs)

    def get_subgraph(self, name: str) -> list["Graph"]:
        return [sub for sub in self._subgraphs if sub.get_name() == name]

    def get_graph_defaults(self) -> list[dict[str, str]]:
        return list(self._graph_defaults)


class _Parser:
    def __init__(self, source: str):
        self.tokens, self.at = tokens(source), 0

    def peek(self, offset: int = 0) -> str | None:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"DOT: expected {expected or 'more'}, found {token!r} at token {self.at}")
        self.at += 1
        return token

    def graph(self) -> Graph:
        if self.peek() == "strict":
            self.take()
        kind = self.take()
        if kind not in ("graph", "digraph"):
            raise ValueError(f"DOT: a graph starts with graph or digraph, not {kind!r}")
        graph = Graph(self.take() if self.peek() != "{" else "")
        self.body(graph)
        if self.peek() is not None:
            raise ValueError(f"DOT: {self.peek()!r} after the graph's closing brace")
        return graph

    def body(self, graph: Graph) -> None:
        self.take("{")
        while self.peek() != "}":
            self.statement(graph)
            if self.peek() == ";":
                self.take()
        self.take("}")

    def statement(self, graph: Graph) -> None:
        token = self.peek()
        if token in ("graph", "node", "edge") and self.peek(1) == "[":
            self.take()
            attributes = self.attributes()
            if token == "graph":
                graph._graph_defaults.append(attributes)
            graph._nodes.append(Node(token, attributes))  # pydot lists defaults as nodes too
            return
        if self.peek(1) == "=" and token not in ("subgraph", "{"):
            key = self.take()
            self.take("=")
            graph._attributes[key] = self.take()
            return
        first = self.endpoint(graph)
        if self.peek() in ("->", "--"):
            self.edges(graph, first)
        elif isinstance(first, str):
            graph._nodes.append(Node(first, self.attributes() if self.peek() == "[" else {}))

    def endpoint(self, graph: Graph):
        """A node id (with its port) or a subgraph."""
        if self.peek() in ("subgraph", "{"):
            sub = Graph("")
            if self.take() == "subgraph":
                if self.peek() != "{":
                    sub._name = self.take()
                self.body(sub)
            else:
                self.at -= 1
                self.body(sub)
            graph._subgraphs.append(sub)
            return sub
        name = self.take()
        while self.peek() == ":":
            name += self.take() + self.take()
        return name

    def edges(self, graph: Graph, first) -> None:
        chain = [first]
        while self.peek() in ("->", "--"):
            self.take()
            chain.append(self.endpoint(graph))
        attributes = self.attributes() if self.peek() == "[" else {}
        for source, destination in zip(chain, chain[1:]):
            graph._edges.append(Edge(str(source), str(destination), dict(attributes)))

    def attributes(self) -> dict[str, str]:
        result: dict[str, str] = {}
        while self.peek() == "[":
            self.take()
            while self.peek() != "]":
                key = self.take()
                self.take("=")
                result[key] = self.take()
                if self.peek() in (",", ";"):
                    self.take()
            self.take("]")
        return result


def read_dot(source: str) -> Graph:
    """The one graph in ``source``; ValueError if it is not valid DOT."""
    return _Parser(source).graph()
