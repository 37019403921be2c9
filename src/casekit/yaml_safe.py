"""YAML that cannot blow up: every YAML file casekit reads (rubrics, labelled query sets) comes through here.

Why: YAML anchors and aliases let a 1 KB file stand for a billion nodes ("billion laughs": nine aliases of
nine aliases of …). PyYAML's composer shares an aliased node, so parsing stays small, but anything that
walks the data — the rubric loader records the line of every key path — expands every alias and grows
without bound (past 2 GB on a 1 KB file). Deep nesting (`[[[[…]]]]`) overflows the recursive composer with
a RecursionError instead of a clear message.

So the document is composed under limits, checked before anything walks it:

    size        bytes of the file (a rubric is a few KB)
    aliases     `*name` references (a hand-written rubric may reuse a level list a few times)
    nodes       the node count with every alias expanded, computed on the shared graph in linear time
    depth       nesting of mappings and sequences

A file over a limit raises `YAMLLimitError` (a `yaml.YAMLError`, so callers that already turn YAML errors
into their own error naming the file do so for these too). Only the safe tags are constructed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

#: Defaults sized far above the shipped files (the 2017 rubric: 8 KB, 503 nodes, no alias, depth 8).
MAX_BYTES = 1 << 20
MAX_ALIASES = 100
MAX_NODES = 100_000
MAX_DEPTH = 64


class YAMLLimitError(yaml.YAMLError):
    """A YAML document exceeds one of the limits above (the message says which, and by how much)."""


class LimitedLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` that counts aliases and nesting depth while it composes the node graph."""

    max_aliases = MAX_ALIASES
    max_depth = MAX_DEPTH

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):  # type: ignore[no-untyped-call]
            self._aliases += 1
            if self._aliases > self.max_aliases:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YAMLLimitError(
                    f"more than {self.max_aliases} aliases (line {mark.line + 1}): "
                    "refusing a file that may expand without bound"
                )
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YAMLLimitError(f"nested deeper than {self.max_depth} levels (line {mark.line + 1})")
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call]
        finally:
            self._depth -= 1


def expanded_nodes(root: yaml.Node, limit: int = MAX_NODES) -> int:
    """The number of nodes `root` stands for with every alias expanded; stops counting past `limit`.

    Aliases make the node graph a DAG whose expansion is exponential in its size; the count of each node is
    memoized by identity, so this takes time linear in the graph, not in the expansion.
    """
    counts: dict[int, int] = {}
    open_nodes: set[int] = set()  # on the current path: meeting one again is a cycle (`&a [*a]`)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in counts:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if not children_done:
            if id(node) in open_nodes:
                return limit + 1  # a recursive alias expands forever
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in counts)
            continue
        open_nodes.discard(id(node))
        counts[id(node)] = min(limit + 1, 1 + sum(counts[id(c)] for c in children))
    return counts[id(root)]


def compose_limited(text: str, *, max_nodes: int = MAX_NODES) -> tuple[yaml.Node | None, LimitedLoader]:
    """Compose one YAML document under the limits; returns (root node or None, the open loader).

    The caller constructs from the loader (`loader.construct_object`, `construct_document`) and must call
    `loader.dispose()`.
    """
    loader = LimitedLoader(text)
    try:
        node = loader.get_single_node()  # type: ignore[no-untyped-call]
        if node is not None:
            n = expanded_nodes(node, max_nodes)
            if n > max_nodes:
                raise YAMLLimitError(
                    f"aliases expand to more than {max_nodes:,} nodes: refusing a file that may expand "
                    "without bound (a YAML 'billion laughs')"
                )
    except BaseException:
        loader.dispose()  # type: ignore[no-untyped-call]
        raise
    return node, loader


def safe_load_text(text: str, *, max_nodes: int = MAX_NODES) -> Any:
    """`yaml.safe_load` under the limits."""
    node, loader = compose_limited(text, max_nodes=max_nodes)
    try:
        return None if node is None else loader.construct_document(node)  # type: ignore[no-untyped-call]
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]


def read_yaml_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """A YAML file's text, refusing a file over `max_bytes` before reading it (`YAMLLimitError`)."""
    file = Path(path)
    size = file.stat().st_size
    if size > max_bytes:
        raise YAMLLimitError(f"{size:,} bytes, over the {max_bytes:,}-byte limit for a YAML file")
    return file.read_bytes().decode("utf-8-sig")


def safe_load_file(path: str | Path, *, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES) -> Any:
    """Read and load a YAML file under every limit (size, aliases, expanded nodes, depth)."""
    return safe_load_text(read_yaml_text(path, max_bytes=max_bytes), max_nodes=max_nodes)
