"""Where result files live, and how they are written and read (always through their schema).

Layout: `<root>/<stack>/<pattern>/level-<n>/<kind>.json`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hardened_eks.schemas import validate

KINDS = ("build", "audit", "bottlerocket", "kube-bench", "workloads", "inspector", "node-audit")
DEFAULT_ROOT = Path("results")


def result_path(root: Path | str, stack: str, pattern: str, level: int, kind: str) -> Path:
    if kind not in KINDS:
        raise KeyError(f"unknown result kind {kind!r}; known: {', '.join(KINDS)}")
    return Path(root) / stack / pattern / f"level-{level}" / f"{kind}.json"


def write_result(root: Path | str, stack: str, pattern: str, level: int, kind: str, document: Any) -> Path:
    """Validate, then write atomically so a reader never sees half a file."""
    path = result_path(root, stack, pattern, level, kind)
    validate(kind, document, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
        json.dump(document, handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.replace(handle.name, path)
    return path


def read_result(root: Path | str, stack: str, pattern: str, level: int, kind: str) -> Any | None:
    """The validated document, or None when it does not exist."""
    path = result_path(root, stack, pattern, level, kind)
    if not path.exists():
        return None
    return validate(kind, json.loads(path.read_text()), str(path))
