"""The build gate: compare the audit before and after our changes, on the machine running Packer.

It runs as a Packer shell-local step before the image is created, so a failed gate leaves no AMI.
A build fails when a control that passed before no longer passes, or when any control ends in
`fail` or `deferred` (excepted and excluded controls carry their own status and never fail it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hardened_eks.schemas import ResultInvalid, validate

BLOCKING = ("fail", "deferred")


@dataclass(frozen=True)
class GateResult:
    regressions: list[str]  # "id title: pass -> fail"
    blocking: list[str]  # "id title: fail (detail)"
    problems: list[str]  # report-level mismatches

    @property
    def passed(self) -> bool:
        return not (self.regressions or self.blocking or self.problems)

    def summary(self) -> str:
        if self.passed:
            return "gate: passed"
        lines = [f"gate: FAILED ({len(self.regressions)} regression(s), {len(self.blocking)} failing or deferred "
                 f"control(s), {len(self.problems)} report problem(s))"]
        lines += [f"  report: {p}" for p in self.problems]
        lines += [f"  regressed: {r}" for r in self.regressions]
        lines += [f"  blocking: {b}" for b in self.blocking]
        return "\n".join(lines)


def evaluate(before: dict, after: dict, benchmark: str, level: int, excluded: tuple[str, ...]) -> GateResult:
    problems = []
    for name, doc in (("before", before), ("after", after)):
        if doc["benchmark"] != benchmark or doc["level"] != level:
            problems.append(f"audit {name} is for {doc['benchmark']} level {doc['level']}, "
                            f"expected {benchmark} level {level}")
        if sorted(doc["excluded"]) != sorted(excluded):
            problems.append(f"audit {name} excluded {sorted(doc['excluded'])}, expected {sorted(excluded)}")
    passed_before = {c["id"] for c in before["controls"] if c["status"] == "pass"}
    regressions, blocking = [], []
    for control in after["controls"]:
        label = f"{control['id']} {control['title']}"
        if control["id"] in passed_before and control["status"] != "pass":
            regressions.append(f"{label}: pass -> {control['status']} ({control['detail']})")
        elif control["status"] in BLOCKING:
            blocking.append(f"{label}: {control['status']} ({control['detail']})")
    return GateResult(regressions, blocking, problems)


def load_audit(path: Path) -> dict:
    try:
        return validate("audit", json.loads(path.read_text()), str(path))
    except FileNotFoundError:
        raise ResultInvalid(f"audit report {path} is missing; the audit step did not download it") from None
    except json.JSONDecodeError as error:
        raise ResultInvalid(f"audit report {path} is not JSON: {error}") from None
