"""Validate result documents against the JSON Schemas in `schemas/`.

Producers call `validate` before they write; the report reads only through `load_result`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


class ResultInvalid(ValueError):
    """A result document does not match its schema."""


@cache
def _validator(kind: str) -> jsonschema.protocols.Validator:
    path = SCHEMA_DIR / f"{kind}.schema.json"
    if not path.exists():
        known = ", ".join(sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json")))
        raise KeyError(f"no schema for result kind {kind!r}; known kinds: {known}")
    schema = json.loads(path.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate(kind: str, document: Any, source: str = "") -> Any:
    """Return the document unchanged, or raise ResultInvalid listing every violation."""
    errors = sorted(_validator(kind).iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        where = f" in {source}" if source else ""
        lines = "\n".join(f"  - {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:20])
        raise ResultInvalid(f"{kind} result{where} does not match schemas/{kind}.schema.json:\n{lines}")
    return document


def schema_kinds() -> list[str]:
    return sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json"))
