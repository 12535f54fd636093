"""Reading YAML that someone else wrote, safely: the config file and theme files.

PyYAML's SafeLoader only, and values are built node by node from the composed tree so each
problem can name its line. Two guards keep a hostile or broken file cheap: files over a size
cap are refused before parsing, and aliases (``*name``) are refused while composing -- an alias
is what lets a tiny "billion laughs" file expand into billions of nodes, and a settings file has
no use for one. Nesting depth is capped so a file of ``[[[[...`` can't exhaust the recursive
composer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_NESTING = 32


class YamlProblem(Exception):
    """One problem in a YAML file: a 1-based line (or None) and a message without the file name."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message

    def render(self, label: str) -> str:
        where = f"{label} line {self.line}" if self.line else label
        return f"{where}: {self.message}"


class _StrictComposer(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing (see module docstring)."""

    # A plain 2026-01-01 is text here, not a timestamp: no setting is a date object, and a date
    # written where a weekday belongs must read as the wrong value, not as a tag nobody wrote.
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem(
                event.start_mark.line + 1,
                "aliases (*name) are not allowed here; write the value out in full",
            )
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                event = self.peek_event()
                raise YamlProblem(event.start_mark.line + 1, f"nested more than {MAX_NESTING} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def node_line(node: Node) -> int:
    return node.start_mark.line + 1


def shown(value: object, limit: int = 40) -> str:
    """User text quoted for a problem line: control characters escaped, long text cut short."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    escaped = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return '"' + escaped.replace('"', '\\"') + '"'


def read_capped(path: Path, limit: int) -> str:
    """The file's text, or YamlProblem(None, ...) if it is missing the point: too big, unreadable, not UTF-8."""
    try:
        if not path.is_file():
            raise YamlProblem(None, "not a regular file")
        size = path.stat().st_size
        if size > limit:
            raise YamlProblem(None, f"file is {_kib(size)}, over the {_kib(limit)} limit; refused")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise YamlProblem(None, f"cannot read it ({exc.strerror or exc})") from None
    if len(data) > limit:  # grew after stat()
        raise YamlProblem(None, f"file is over the {_kib(limit)} limit; refused")
    return decode_text(data)


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlProblem(line, "not UTF-8 text") from None


def _kib(size: int) -> str:
    return f"{size / 1024:.0f} KiB" if size >= 1024 else f"{size} bytes"


def compose_yaml(text: str) -> Node | None:
    """Compose one YAML document safely; None for an empty file. Raises YamlProblem."""
    loader = None
    try:
        loader = _StrictComposer(text)  # the reader checks for unprintable characters up front
        root = loader.get_single_node()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.context_mark and ("end of stream" in problem or "<stream end>" in problem):
            # An unclosed quote or bracket: the line to fix is where it opened, not the end of the file.
            mark = exc.context_mark
            opened = re.sub(r"^while (scanning|parsing) ", "", exc.context)
            opened = {"a flow mapping": "a {...} mapping", "a flow sequence": "a [...] list"}.get(opened, opened)
            opened = opened.replace("quoted scalar", "quoted value")
            problem = f"{opened} starting here is never closed"
        elif problem.startswith("expected <block end>"):
            problem = "the indentation here doesn't line up with the lines above"
        elif "another document" in problem:
            problem = "a second YAML document (---) starts here; keep only one"
        raise YamlProblem(mark.line + 1 if mark else None, f"YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        char = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
        raise YamlProblem(line, f"YAML cannot contain the control character U+{char:04X}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"YAML error: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if isinstance(root, ScalarNode) and root.tag == "tag:yaml.org,2002:null" and root.value in ("", "~", "null"):
        return None  # "---" alone, or an explicit null document: nothing set
    return root


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def check_tag(node: Node) -> None:
    """Only plain YAML types are allowed; anything tagged otherwise (!!python/..., !!binary, !custom) is refused."""
    if isinstance(node, ScalarNode):
        allowed = node.tag in _SCALAR_TAGS
    elif isinstance(node, MappingNode):
        allowed = node.tag == _MAP_TAG
    else:
        allowed = node.tag == _SEQ_TAG
    if not allowed:
        raise YamlProblem(node_line(node), f"tag {shown(_short_tag(node.tag), 60)} is not allowed")


def check_tags_deep(node: Node) -> None:
    check_tag(node)
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            check_tags_deep(key_node)
            check_tags_deep(value_node)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            check_tags_deep(item)


def scalar(node: Node) -> Any:
    """The Python value of a plain scalar node (SafeLoader's own construction), after check_tag."""
    check_tag(node)
    if not isinstance(node, ScalarNode):
        raise TypeError("not a scalar")
    try:
        return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except ValueError:  # a number of thousands of digits: Python refuses to read it
        raise YamlProblem(node_line(node), "a number far too long") from None


def mapping_entries(node: MappingNode) -> list[tuple[str, Node, Node]]:
    """(key text, key node, value node) for each entry; keys must be plain scalars."""
    check_tag(node)
    entries = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise YamlProblem(node_line(key_node), "a key must be a plain word, not a list or mapping")
        check_tag(key_node)
        entries.append((str(key_node.value), key_node, value_node))
    return entries


def kind_of(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    try:
        value = scalar(node)
    except YamlProblem:
        return "a tagged value"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"
