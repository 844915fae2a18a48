"""Parsing and validation of `hardened-eks:complianceGate`."""

from __future__ import annotations

import pytest

from pipeline.gate import ComplianceGate, GateConfigError, parse_gate
from tests.pipeline.conftest import dev_config


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
