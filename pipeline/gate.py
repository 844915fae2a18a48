"""The compliance gate: what every (pattern, level) must meet for `report` to exit 0.

Configured per stack as `hardened-eks:complianceGate`; every limit applies to each node group on its
own, and a node group whose results are incomplete (`unknown`) always fails the gate.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

GATE_KEY = "hardened-eks:complianceGate"


class GateConfigError(ValueError):
    """The complianceGate config is malformed; the message names every bad key and value."""


@dataclass(frozen=True)
class ComplianceGate:
    # Automated CIS controls failing (or left deferred) outside EKS exceptions and user exclusions:
    # our build audit for Amazon Linux, Bottlerocket's own report for Bottlerocket.
    failing_controls: int = 0
    workload_tests_must_pass: bool = True
    # Vulnerability findings past their remediation due date (from the vulnerability policy).
    overdue_vulnerabilities: int = 0
    # kube-bench FAIL checks (CIS Amazon EKS Benchmark); None: reported, not gated.
    kube_bench_fail: int | None = None
    # Inspector CIS failed checks; None: reported, not gated (our audit is the primary CIS gate).
    inspector_cis_fail: int | None = None

    def as_config(self) -> dict[str, Any]:
        return {
            "failingControls": self.failing_controls,
            "workloadTestsMustPass": self.workload_tests_must_pass,
            "overdueVulnerabilities": self.overdue_vulnerabilities,
            "kubeBenchFail": self.kube_bench_fail,
            "inspectorCisFail": self.inspector_cis_fail,
        }


# config key -> (dataclass field, may be null)
_LIMITS = {
    "failingControls": ("failing_controls", False),
    "overdueVulnerabilities": ("overdue_vulnerabilities", False),
    "kubeBenchFail": ("kube_bench_fail", True),
    "inspectorCisFail": ("inspector_cis_fail", True),
}
_FLAGS = {"workloadTestsMustPass": "workload_tests_must_pass"}
ALLOWED_KEYS = (*_LIMITS, *_FLAGS)


def parse_gate(value: Any) -> ComplianceGate:
    """The gate from the parsed config value (None: defaults); raise GateConfigError listing every problem."""
    if value is None:
        return ComplianceGate()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise GateConfigError(f"{GATE_KEY}: {value!r} is not valid; expected a mapping such as "
                                  "{failingControls: 0, workloadTestsMustPass: true}") from None
    if not isinstance(value, Mapping):
        raise GateConfigError(f"{GATE_KEY}: {json.dumps(value)} is not valid; expected a mapping with keys "
                              f"{', '.join(ALLOWED_KEYS)}")
    problems: list[str] = []
    fields: dict[str, Any] = {}
    for key, item in value.items():
        where = f"{GATE_KEY}.{key}"
        if key in _LIMITS:
            name, nullable = _LIMITS[key]
            if item is None and nullable:
                fields[name] = None
            elif isinstance(item, int) and not isinstance(item, bool) and item >= 0:
                fields[name] = item
            else:
                allowed = "a whole number >= 0" + (", or null to report without gating" if nullable else "")
                problems.append(f"{where}: {json.dumps(item)} is not valid; allowed: {allowed}")
        elif key in _FLAGS:
            if isinstance(item, bool):
                fields[_FLAGS[key]] = item
            else:
                problems.append(f"{where}: {json.dumps(item)} is not valid; allowed: true or false")
        else:
            problems.append(f"{where}: unknown key; allowed: {', '.join(ALLOWED_KEYS)}")
    if problems:
        raise GateConfigError("\n".join(problems))
    return ComplianceGate(**fields)


# The row field that carries each expected result kind once it was judged complete (build: the AMI id).
_ROW_FIELD = {"build": "amiId", "audit": "audit", "bottlerocket": "bottlerocket", "kube-bench": "kubeBench",
              "workloads": "workloads", "inspector": "inspector", "node-audit": "nodeAudit"}


def evaluate_row(gate: ComplianceGate, row: Mapping[str, Any]) -> list[str]:
    """Why this report row fails the gate (empty: it passes). Unknown rows always fail, and so does a row that
    lacks the summary of a result it was expected to have, whether or not a reason was recorded for it."""
    failures = [f"unknown: {reason}" for reason in row["unknownReasons"]]
    if not failures:
        failures += [f"unknown: no usable {kind} result" for kind in row["expected"]
                     if row.get(_ROW_FIELD.get(kind, kind)) is None]
    failing = _failing_controls(row)
    if failing > gate.failing_controls:
        failures.append(f"{failing} failing automated control(s) outside exceptions and exclusions "
                        f"(allowed: {gate.failing_controls})")
    workloads = row["workloads"]
    if gate.workload_tests_must_pass and workloads:
        broken = workloads.get("fail", 0) + workloads.get("error", 0)
        if broken:
            failures.append(f"{broken} workload test(s) failed")
    inspector = row["inspector"]
    if inspector:
        if inspector["overdue"] > gate.overdue_vulnerabilities:
            # Named, not only counted: which CVE, in which packages, due when.
            overdue = [f"{v['id']} ({', '.join(v.get('packages') or []) or 'package not named'}, due {v['dueDate']})"
                       for v in row.get("vulnerabilities", []) if v.get("overdue")]
            failures.append(f"{inspector['overdue']} vulnerability finding(s) past their due date "
                            f"(allowed: {gate.overdue_vulnerabilities})" + (f": {', '.join(overdue)}" if overdue else ""))
        cis = inspector["cis"]
        if gate.inspector_cis_fail is not None and cis and cis.get("failed", 0) > gate.inspector_cis_fail:
            failures.append(f"{cis['failed']} Inspector CIS check(s) failed (allowed: {gate.inspector_cis_fail})")
    # An automated control that passed in the AMI's build audit and fails on a live node (excluded and excepted
    # controls never count: pipeline/drift.py): the node is no longer what was built and approved. The reverse
    # (failed at build, passes on the node) is reported, not gated: the build's failure is gated already
    # (failingControls), and a node audit reads files only (--root), so runtime-only failures look like passes.
    drift = [d for d in row.get("drift") or [] if d["direction"] == "regressed"]
    if drift:
        failures.append(f"{len(drift)} control(s) passed in the AMI's build audit and fail on live nodes: "
                        + ", ".join(f"{d['id']} on {len(d['nodes'])} node(s)" for d in drift[:8])
                        + (f", ... ({len(drift) - 8} more)" if len(drift) > 8 else ""))
    kube_bench = row["kubeBench"]
    if gate.kube_bench_fail is not None and kube_bench and kube_bench.get("fail", 0) > gate.kube_bench_fail:
        failures.append(f"{kube_bench['fail']} kube-bench check(s) failed (allowed: {gate.kube_bench_fail})")
    return failures


def _failing_controls(row: Mapping[str, Any]) -> int:
    audit = row["audit"] or {}
    bottlerocket = row["bottlerocket"] or {}
    # Our audit reports excepted/excluded/manual separately, so fail + deferred is exactly
    # "automated, not excused, not met".
    return audit.get("fail", 0) + audit.get("deferred", 0) + bottlerocket.get("fail", 0)
