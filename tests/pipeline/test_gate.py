"""Parsing and validation of `hardened-eks:complianceGate`."""

from __future__ import annotations

import json

import pytest

from pipeline.gate import ComplianceGate, GateConfigError, evaluate_row, parse_gate
from tests.pipeline.conftest import dev_config, result


def test_defaults_when_absent() -> None:
    gate = parse_gate(None)
    assert gate == ComplianceGate()
    assert gate.as_config() == {"failingControls": 0, "workloadTestsMustPass": True, "overdueVulnerabilities": 0,
                                "kubeBenchFail": None, "inspectorCisFail": None}


def test_every_key_from_stack_config() -> None:
    config = dev_config(complianceGate={"failingControls": 2, "workloadTestsMustPass": False,
                                        "overdueVulnerabilities": 1, "kubeBenchFail": 0, "inspectorCisFail": None})
    assert parse_gate(config.extra["complianceGate"]) == ComplianceGate(
        failing_controls=2, workload_tests_must_pass=False, overdue_vulnerabilities=1, kube_bench_fail=0)


def test_json_text_is_accepted() -> None:
    assert parse_gate('{"kubeBenchFail": 3}').kube_bench_fail == 3


@pytest.mark.parametrize(("value", "message"), [
    ({"failingControls": -1}, "hardened-eks:complianceGate.failingControls: -1 is not valid; allowed: a whole number >= 0"),
    ({"failingControls": None}, "hardened-eks:complianceGate.failingControls: null is not valid"),
    ({"overdueVulnerabilities": True}, "overdueVulnerabilities: true is not valid; allowed: a whole number >= 0"),
    ({"kubeBenchFail": "2"}, 'kubeBenchFail: "2" is not valid; allowed: a whole number >= 0, or null'),
    ({"workloadTestsMustPass": "yes"}, 'workloadTestsMustPass: "yes" is not valid; allowed: true or false'),
    ({"failingControl": 0}, "hardened-eks:complianceGate.failingControl: unknown key; allowed: failingControls, "
                            "overdueVulnerabilities, kubeBenchFail, inspectorCisFail, workloadTestsMustPass"),
    ([1, 2], "hardened-eks:complianceGate: [1, 2] is not valid; expected a mapping"),
    ("strict", "hardened-eks:complianceGate: 'strict' is not valid; expected a mapping"),
])
def test_bad_values_are_named_with_what_is_allowed(value, message) -> None:
    with pytest.raises(GateConfigError) as error:
        parse_gate(value)
    assert message in str(error.value)


def test_all_problems_are_reported_together() -> None:
    with pytest.raises(GateConfigError) as error:
        parse_gate({"failingControls": -1, "kubeBenchFail": 1.5, "colour": "red"})
    assert len(str(error.value).splitlines()) == 3


# --- rows: a real report row of the complete fixture tree, then one piece of evidence taken away ---------


@pytest.fixture
def passing_row(trees, make_report) -> dict:
    source = json.loads(result(trees["current"], "bottlerocket", 1, "kube-bench").read_text())
    result(trees["current"], "bottlerocket", 2, "kube-bench").write_text(json.dumps({**source, "level": 2}))
    report = make_report(trees["current"], gate=ComplianceGate(overdue_vulnerabilities=5))
    row = next(r for r in report["rows"] if r["key"] == "eks-optimized-al2023/level-1")
    assert row["status"] == "pass" and evaluate_row(ComplianceGate(overdue_vulnerabilities=5), row) == []
    return row


@pytest.mark.parametrize(("field", "kind"), [("audit", "audit"), ("kubeBench", "kube-bench"),
                                              ("workloads", "workloads"), ("inspector", "inspector"),
                                              ("amiId", "build")])
def test_a_row_without_an_expected_result_fails_even_without_a_recorded_reason(passing_row, field, kind) -> None:
    passing_row[field] = None
    assert evaluate_row(ComplianceGate(overdue_vulnerabilities=5), passing_row) == [f"unknown: no usable {kind} result"]


def test_unknown_reasons_fail_the_row_whatever_the_limits(passing_row) -> None:
    passing_row["unknownReasons"] = ["workloads result lacks 22 of the 23 tests the plan creates for this node group"]
    lenient = ComplianceGate(failing_controls=99, workload_tests_must_pass=False, overdue_vulnerabilities=99)
    assert evaluate_row(lenient, passing_row) == [
        "unknown: workloads result lacks 22 of the 23 tests the plan creates for this node group"]
