"""Read a `Pulumi.<stack>.yaml` file into the config values the program sees, or one clear error.

`make plan`, the pipeline (`python -m pipeline ...`) and the `make up/preview/destroy` preflight all read
stack files through this module, so a hostile or broken file ends the same way everywhere: a message
naming the file and the problem, never a traceback or a hang.

- the file must be a regular UTF-8 file of bounded size (a FIFO must not block, a huge file not be read);
- duplicate mapping keys are refused, as the Pulumi CLI refuses them (its YAML reader does);
- anchors and aliases are allowed, but their expansion is bounded (an alias bomb would otherwise expand
  exponentially when objects are stored as JSON) and a recursive alias is refused;
- the top level and `config:` must be mappings, config keys strings;
- `null` means "unset": the key is left out (otherwise `remoteLogHost: null` would become the text `None`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from hardened_eks.jsonfile import JsonFileError, read_text

# A stack file is a few KB; one far larger is not a stack file.
MAX_BYTES = 1024 * 1024
# Scalars and collections after aliases are expanded: far above any real config (the sample stacks have ~30).
MAX_EXPANDED_NODES = 100_000


class StackFileError(ValueError):
    """The stack file cannot give a config; the message names the file and the problem."""


def stack_path(stack: str, project_dir: Path) -> Path:
    """Where `Pulumi.<stack>.yaml` is; StackFileError (naming the stacks that exist) when it is not there."""
    path = project_dir / f"Pulumi.{stack}.yaml"
    if not os.path.lexists(path):
        stacks = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in project_dir.glob("Pulumi.*.yaml"))
        raise StackFileError(f"no stack file {path.name}; stacks here: {', '.join(stacks) or 'none'}")
    return path


def read_stack_config(path: Path) -> dict[str, str]:
    """The `config:` of a stack file as Pulumi stores it: scalars as text, objects and lists as JSON."""
    return config_values(read_stack_document(path).get("config"), path.name)


def read_stack_document(path: Path) -> dict[str, Any]:
    """The whole stack file as a mapping (StackFileError for anything else)."""
    name = path.name
    real = path.resolve()
    try:
        text = read_text(real, MAX_BYTES)
    except FileNotFoundError:
        raise StackFileError(f"{name}: no such file") from None
    except JsonFileError as error:
        raise StackFileError(str(error).replace(str(real), name)) from None
    try:
        document = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        raise StackFileError(f"{name} is not valid YAML: {_yaml_problem(error)}") from None
    except RecursionError:
        raise StackFileError(f"{name}: YAML nested too deeply to read") from None
    if document is None:
        return {}
    _check_expansion(document, name)
    if not isinstance(document, dict):
        raise StackFileError(f"{name}: the file must be a mapping with a `config:` key, not a {_kind(document)}")
    return document


def config_values(config: Any, name: str = "stack file") -> dict[str, str]:
    """Turn a parsed `config:` mapping into Pulumi's stored form; null values mean "unset" and are left out."""
    if config is None:
        return {}
    if not isinstance(config, Mapping):
        raise StackFileError(f"{name}: `config:` must be a mapping of `namespace:key: value`, not a {_kind(config)}")
    values: dict[str, str] = {}
    for key, value in config.items():
        if not isinstance(key, str):
            raise StackFileError(f"{name}: config key {key!r} must be text such as hardened-eks:patterns")
        if value is None:
            continue
        if isinstance(value, dict | list):
            # Dates and other YAML-only scalars nested in objects become text, as the Pulumi CLI keeps them.
            values[key] = json.dumps(value, default=str)
        elif isinstance(value, bool):
            values[key] = "true" if value else "false"
        else:
            values[key] = str(value)
    return values


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (the Pulumi CLI's YAML reader does too)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a scalar", key_node.start_mark) from None
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice (first at line {seen[key].start_mark.line + 1}); "
                    "the Pulumi CLI refuses duplicate keys: keep one", key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def _check_expansion(document: Any, name: str) -> None:
    """Refuse a document whose aliases expand beyond MAX_EXPANDED_NODES nodes, or refer to themselves."""
    budget = MAX_EXPANDED_NODES
    stack: list[tuple[Any, bool]] = [(document, False)]
    path: list[int] = []  # ids of the collections being walked, to find an alias that contains itself
    while stack:
        item, leaving = stack.pop()
        if leaving:
            path.pop()
            continue
        budget -= 1
        if budget < 0:
            raise StackFileError(f"{name}: YAML aliases expand to more than {MAX_EXPANDED_NODES} values; "
                                 "a stack config is far smaller (an alias bomb?)")
        if isinstance(item, dict | list):
            if id(item) in path:
                raise StackFileError(f"{name}: a YAML alias refers to the collection that contains it")
            path.append(id(item))
            stack.append((item, True))
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, False) for child in children)


def _yaml_problem(error: yaml.YAMLError) -> str:
    """The problem and where it is, on one line, without the parser's echo of the source."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        context = f" ({error.context})" if error.context and "mapping starting" not in error.context else ""
        return f"line {mark.line + 1}, column {mark.column + 1}: {error.problem}{context}"
    return " ".join(str(error).split())


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "text value"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__
