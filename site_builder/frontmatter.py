"""Read a content file: text, YAML front matter and body, with precise error places."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from site_builder.errors import ContentError, quoted

try:  # libyaml's C parser is ~10x faster; the pure-Python one is the fallback.
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


ALIASES_REFUSED = ("YAML anchors and aliases (&name / *name) are not allowed in content files; "
                   "write the value out")
_TOP_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:")
# A day, with a time of day after it that says nothing more about the day (Hugo writes one)
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?")


class _StrictLoader(_BaseLoader):
    """Safe YAML that also refuses the same key twice in one mapping, and any alias: an alias
    makes one value appear in many places, and a few lines of them make a value of billions of
    items (a "billion laughs") that would take minutes and gigabytes to check or to print. It
    says where a date that no calendar has (2024-02-30) is, instead of failing without a place."""

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(None, None, ALIASES_REFUSED, node.start_mark)
        return super().construct_object(node, deep=deep)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)  # '<<' merge keys
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "a key cannot be a list or a mapping", key_node.start_mark
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key {quoted(key)} appears twice; keep one",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode):
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"'{node.value}' is not a real date ({exc}); write it as YYYY-MM-DD", node.start_mark
        ) from None


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass(frozen=True)
class SourceFile:
    """A content file split into its front matter and its Markdown body."""

    path: Path
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line where the body starts
    key_lines: dict[str, int] = field(default_factory=dict)  # top-level front-matter key -> its line

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key)


def read_text(path: Path) -> str:
    """The file's text as UTF-8 (a byte-order mark is accepted and dropped)."""
    try:
        data = path.read_bytes()
    except PermissionError:
        raise ContentError(path, "cannot read the file (permission denied); check its permissions")
    except OSError as exc:
        raise ContentError(path, f"cannot read the file ({exc.strerror or exc})")
    return decode_text(path, data)


def decode_text(path: Path, data: bytes) -> str:
    """A file's bytes as UTF-8 text (a byte-order mark is accepted and dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(
            path, "the file is not UTF-8 text; save it with UTF-8 encoding", line
        ) from None


def load_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """Parse YAML safely; errors name the file and the line in that file."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else None
        raise ContentError(path, _describe_yaml_error(exc, text, mark), line) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, f"invalid YAML: {exc}") from None


def _describe_yaml_error(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    problem = exc.problem or exc.context or "invalid YAML"
    if "could not determine a constructor" in problem:
        tag = re.search(r"'([^']+)'", problem)
        name = tag.group(1).replace("tag:yaml.org,2002:", "!!") if tag else "here"
        return f"the YAML tag {name} is not allowed (content files hold plain values only); remove it"
    if "appears twice" in problem or problem == ALIASES_REFUSED or "not a real date" in problem:
        return problem
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines):
        line = lines[mark.line]
        if "\t" in line[: max(mark.column, 1) + 1]:
            return "a tab is used for indentation; YAML needs spaces"
        if "mapping values are not allowed" in problem and (fix := _colon_in_value(line)):
            return fix
    if "found character '\\t'" in problem:
        return "a tab is used for indentation; YAML needs spaces"
    return f"invalid YAML: {problem}; check the quoting and indentation"


# `key: value` where the value itself holds ': ' (title: Foo: a bar), which YAML reads as a mapping.
_KEY_AND_VALUE = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+(.*\S)\s*$")


def _colon_in_value(line: str) -> str | None:
    """The fix for an unquoted ': ' inside a value, or None when the line is not that case."""
    found = _KEY_AND_VALUE.match(line)
    if not found or found.group(2).startswith(("'", '"')):
        return None
    key, value = found.groups()
    return (f"the {key} contains ': ', which YAML cannot read unquoted; put the {key} in quotes: "
            f"{key}: {json.dumps(value, ensure_ascii=False)}")


def split_front_matter(path: Path, text: str) -> SourceFile:
    """Split `---`-delimited YAML front matter from the Markdown body."""
    if not text.strip():
        raise ContentError(path, "the file is empty; it needs front matter between '---' lines")
    lines = text.splitlines(keepends=True)
    if lines[0].rstrip() != "---":
        raise ContentError(path, "the file must start with a '---' line opening the front matter", 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        raise ContentError(
            path, "the front matter is never closed; add a '---' line after it", 1
        )
    meta = load_yaml("".join(lines[1:index]), path, first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(path, "the front matter must be 'key: value' lines", 2)
    body = "".join(lines[index + 1 :])
    key_lines = {match.group(1): number for number, line in enumerate(lines[1:index], 2)
                 for match in [_TOP_KEY.match(line)] if match}
    return SourceFile(path=path, meta=meta, body=body, body_line=index + 2, key_lines=key_lines)


def read_source(path: Path) -> SourceFile:
    return split_front_matter(path, read_text(path))


def as_date(value: Any) -> dt.date | None:
    """A YAML date or datetime, or text as Jekyll and Hugo write it (2019-06-04, 2019-6-4,
    2019-08-23T10:00:00+02:00), as the day it names; None when it is none of these or no real day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _DAY.fullmatch(value.strip())
        try:
            return dt.date(*map(int, match.groups())) if match else None
        except ValueError:  # 2024-02-30
            return None
    return None
