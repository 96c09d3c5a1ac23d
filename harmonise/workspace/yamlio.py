"""YAML loading for pharmacist-written files: safe, located and strict.

``load_yaml`` returns a ``YamlDoc``: the plain value (dicts, lists, scalars) and the line of every key
path, taken from the YAML node marks, so a validator can say ``rules/ch04.yaml:14: rules[2].then.status``.
Aliases (``*name``) are refused: they are the vector of the "billion laughs" bomb and pharmacists'
files have no need of them. Duplicate keys are refused, because YAML would silently keep the last one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harmonise.errors import InputError, Problem

KeyPath = tuple[str | int, ...]
INT_TAG, FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"

MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40  # a rule's conditions nest a handful of levels; hundreds is a mistake or an attack
MAX_DIGITS = 30  # a threshold or a row number; Python refuses to convert integers past 4,300 digits anyway
FAST_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, when PyYAML was built with it
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


def format_path(path: KeyPath) -> str:
    """``('rules', 2, 'then')`` -> ``rules[2].then``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class YamlDoc:
    """A loaded YAML file: its value and the line (1-based) of every key path."""

    file: str
    value: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, path: KeyPath) -> int:
        """Line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def where(self, path: KeyPath) -> str:
        return f"{self.file}:{self.line(path)}"


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[KeyPath, int] = {}
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> InputError:
        where = f"{self.file}:{node.start_mark.line + 1}"
        return InputError(f"{self.file}: invalid YAML", [Problem(where, message)])

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        if id(node) in self.seen:
            raise self.fail(node, "YAML aliases (*name) are not allowed; write the value out in full")
        self.seen.add(id(node))
        self.check_tag(node)
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return _scalar(node)
        except ValueError as exc:
            raise self.fail(node, str(exc).split(": ", 1)[-1]) from None

    def build_mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "YAML merge keys (<<) are not allowed")
            self.check_tag(key_node)
            try:
                key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            except ValueError as exc:
                raise self.fail(key_node, str(exc).split(": ", 1)[-1]) from None
            if key is None or isinstance(key, (list, dict)):
                raise self.fail(key_node, "keys must be plain words")
            key = str(key) if not isinstance(key, (str, int)) else key
            if key in out:
                raise self.fail(key_node, f"duplicate key {key!r} (YAML would silently keep only the last one)")
            out[key] = self.build(value_node, (*path, key))
            self.lines[(*path, key)] = key_node.start_mark.line + 1
        return out

    def check_tag(self, node: yaml.Node) -> None:
        """Refuse tags such as ``!!python/object``: pharmacists' files hold plain text, numbers and lists."""
        if node.tag not in PLAIN_TAGS:
            raise self.fail(
                node,
                f"the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed; "
                "write plain text, numbers, lists and mappings",
            )


def _scalar(node: yaml.Node) -> Any:
    if node.tag in (INT_TAG, FLOAT_TAG) and len(str(node.value)) > MAX_DIGITS:
        digits = len(str(node.value))
        raise ValueError(f"line {node.start_mark.line + 1}: a number with {digits:,} digits; at most {MAX_DIGITS} here")
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=False)
    finally:
        loader.dispose()


def parse_yaml(text: str, file: str) -> YamlDoc:
    """Parse YAML ``text`` (named ``file`` in messages) into a ``YamlDoc``.

    Read with libyaml when PyYAML has it (about 15 times faster: the shipped drug knowledge is read by every
    merge); a document it refuses is read again by PyYAML's own parser, whose messages are the ones people see."""
    try:
        check_depth(text, file, FAST_LOADER)
        root = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        root = compose(text, file)
    if root is None:
        return YamlDoc(file, None, {(): 1})
    builder = _Builder(file)
    value = builder.build(root, ())
    return YamlDoc(file, value, builder.lines)


def compose(text: str, file: str) -> yaml.Node | None:
    """The document's node tree by PyYAML's own parser; a YAML error becomes an ``InputError`` with its line."""
    try:
        check_depth(text, file)
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise InputError(f"{file}: invalid YAML", [Problem(f"{file}:{line}", reason)]) from None
    except yaml.YAMLError as exc:
        raise InputError(f"{file}: invalid YAML", [Problem(file, str(exc))]) from None


def check_depth(text: str, file: str, loader: type = yaml.SafeLoader) -> None:
    """Refuse mappings and lists nested deeper than ``MAX_DEPTH``, from the parser's event stream (which is
    not recursive), before anything recursive reads the document."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                where = f"{file}:{event.start_mark.line + 1 if event.start_mark else '?'}"
                message = f"mappings and lists nested more than {MAX_DEPTH} levels deep; write the conditions flatter"
                raise InputError(f"{file}: invalid YAML", [Problem(where, message)])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def load_yaml(path: Path, display: str | None = None) -> YamlDoc:
    """Read and parse a YAML file; ``display`` is the name used in messages (default: the path)."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise InputError(f"{name}: file is {size} bytes; YAML files over {MAX_YAML_BYTES} bytes are refused")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{name}: file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, expected a YAML file") from None
    return parse_yaml(text, name)
