"""Fixtures for the pipeline tests: the stack config the fixture trees were made for, and copies of the trees."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import hardened_eks.schemas as schemas
from hardened_eks.config import StackConfig, load_config
from pipeline.gate import ComplianceGate
from pipeline.report import ReportInputs, build_report
from tests.conftest import make_raw_config

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PREVIOUS_AT = datetime(2025, 6, 1, 5, 0, tzinfo=UTC)
CURRENT_AT = datetime(2025, 7, 1, 5, 0, tzinfo=UTC)
DEV_OVERRIDES: dict[str, Any] = {
    "patterns": [
        {"pattern": "eks-optimized-al2023", "levels": [1, 2]},
        {"pattern": "cis-al2023", "levels": [1]},
        {"pattern": "bottlerocket", "levels": [1, 2]},
    ],
    "exclusions": {"al2023": ["1.1.2.1"]},
    # The fixture trees predate live node audits (no node-audit.json); tests/test_node_audit_report.py covers them.
    "nodeAudit": False,
}


@pytest.fixture(autouse=True)
def audit_schema_while_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Until schemas/audit.schema.json lands, accept audit fixtures unvalidated; every other kind stays strict."""
    if (schemas.SCHEMA_DIR / "audit.schema.json").exists():
        return
    strict = schemas._validator

    def validator(kind: str) -> Any:
        return jsonschema.Draft202012Validator({"type": "object"}) if kind == "audit" else strict(kind)

    monkeypatch.setattr(schemas, "_validator", validator)


def dev_config(**overrides: Any) -> StackConfig:
    return load_config(make_raw_config({**DEV_OVERRIDES, **overrides}), "dev")


@pytest.fixture
def trees(tmp_path: Path) -> dict[str, Path]:
    """Writable copies of the previous and current fixture runs."""
    copies = {}
    for run in ("previous", "current"):
        copies[run] = tmp_path / run
        shutil.copytree(FIXTURES / run, copies[run])
    return copies


def outputs(tree: Path) -> dict[str, Any]:
    return json.loads((tree / "stack-outputs.json").read_text())


@pytest.fixture
def make_report() -> Callable[..., dict[str, Any]]:
    def make(tree: Path, *, config: StackConfig | None = None, gate: ComplianceGate | None = None,
             previous: dict[str, Any] | None = None, at: datetime = CURRENT_AT, as_of: date | None = None,
             stack_outputs: dict[str, Any] | None = None) -> dict[str, Any]:
        return build_report(ReportInputs(
            config=config or dev_config(), results_root=tree / "result-files", gate=gate or ComplianceGate(),
            generated_at=at, as_of=as_of or at.date(),
            outputs=outputs(tree) if stack_outputs is None else stack_outputs, previous=previous))

    return make


def edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change one result file in place (the change is re-validated when the report reads it)."""
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def result(tree: Path, pattern: str, level: int, kind: str) -> Path:
    return tree / "result-files" / "dev" / pattern / f"level-{level}" / f"{kind}.json"
