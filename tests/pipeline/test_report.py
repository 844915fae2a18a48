"""The report builder on realistic result trees: headline rows, unknown results, gate outcomes, diff, controls."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from hardened_eks.jsonfile import MAX_BYTES, JsonFileError, read_json
from hardened_eks.schemas import SCHEMA_DIR, validate
from hardening.catalog import load_catalog
from pipeline.gate import ComplianceGate
from pipeline.report import expected_kinds
from tests.pipeline.conftest import FIXTURES, PREVIOUS_AT, dev_config, edit, outputs, result

LENIENT = ComplianceGate(overdue_vulnerabilities=5)
AUDIT_STATUSES = ("pass", "fail", "manual", "excepted", "excluded", "not-applicable", "deferred")


def rows_by_key(report: dict) -> dict[str, dict]:
    return {row["key"]: row for row in report["rows"]}


def recount_audit(document: dict) -> None:
    """The summary `cis-harden.sh audit --json` prints for these controls."""
    document["summary"] = {s: sum(c["status"] == s for c in document["controls"]) for s in AUDIT_STATUSES}


def recount_kube_bench(document: dict) -> None:
    for node in document["nodes"]:
        node["summary"] = {k: sum(c["status"] == k.upper() for c in node["checks"]) for k in ("pass", "fail", "warn", "info")}


def set_status(document: dict, kind: str, name: str, status: str) -> None:
    """One workload test's status (found by name, never by position)."""
    for test in document[kind]:
        if test["name"] == name:
            test["status"] = status


def complete(tree: Path) -> None:
    """Give the current run the Bottlerocket level-2 kube-bench result its collector lost."""
    source = json.loads(result(tree, "bottlerocket", 1, "kube-bench").read_text())
    source["level"] = 2
    result(tree, "bottlerocket", 2, "kube-bench").write_text(json.dumps(source))


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*/result-files/**/*.json")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_results_match_their_schemas(path: Path) -> None:
    kind = path.stem
    if kind == "audit" and not (SCHEMA_DIR / "audit.schema.json").exists():
        pytest.skip("schemas/audit.schema.json has not landed yet")
    validate(kind, json.loads(path.read_text()), str(path))


def test_expected_results_follow_the_pattern_registry() -> None:
    config = dev_config()
    kinds = {p.name: expected_kinds(p, ami_only=False) for p, _ in config.node_groups()}
    assert kinds["eks-optimized-al2023"] == ("build", "audit", "kube-bench", "workloads", "inspector")
    assert kinds["cis-al2023"] == ("build", "audit", "kube-bench", "workloads", "inspector")
    assert kinds["bottlerocket"] == ("bottlerocket", "kube-bench", "workloads", "inspector")
    assert expected_kinds(config.patterns[0].pattern, ami_only=True) == ("build", "audit")
    assert expected_kinds(config.patterns[2].pattern, ami_only=True) == ()


def test_headline_rows_of_the_current_run(trees, make_report) -> None:
    report = make_report(trees["current"])
    validate("report", report)
    rows = rows_by_key(report)
    assert list(rows) == ["eks-optimized-al2023/level-1", "eks-optimized-al2023/level-2", "cis-al2023/level-1",
                          "bottlerocket/level-1", "bottlerocket/level-2"]
    l2 = rows["eks-optimized-al2023/level-2"]
    assert (l2["amiId"], l2["sourceAmiId"]) == ("ami-0aaa00000000000b2", "ami-0a1b2c3d4e5f60002")
    assert l2["audit"]["fail"] == 0 and l2["audit"]["excepted"] == 5 and l2["audit"]["excluded"] == 2
    assert l2["audit"]["pass"] + sum(v for k, v in l2["audit"].items() if k != "pass") == len(
        [c for c in l2["controls"] if c.startswith("al2023:")])
    assert l2["inspector"]["cis"] == {"passed": 101, "failed": 1, "skipped": 4, "nodes": 2}
    assert l2["inspector"]["vulnerabilities"]["HIGH"] == 1 and l2["inspector"]["overdue"] == 2
    assert l2["kubeBench"] == {"pass": 12, "fail": 0, "warn": 1, "info": 0, "nodes": 2}
    assert l2["workloads"]["pass"] == l2["workloads"]["total"] == 23
    assert l2["status"] == "fail"
    # The failure names each overdue CVE with its packages and due date, not only the count.
    assert l2["gateFailures"] == ["2 vulnerability finding(s) past their due date (allowed: 0): CVE-2025-0395 (glibc, "
                                  "glibc-common, due 2025-06-18), CVE-2025-21756 (kernel, due 2025-03-29)"]
    assert [(v["id"], v["packages"]) for v in l2["vulnerabilities"]] == [
        ("CVE-2025-0395", ["glibc", "glibc-common"]), ("CVE-2025-21756", ["kernel"])]

    bottlerocket = rows["bottlerocket/level-1"]
    assert bottlerocket["status"] == "pass" and bottlerocket["audit"] is None
    assert bottlerocket["inspector"]["cisSupported"] is False and bottlerocket["inspector"]["cis"] is None
    assert bottlerocket["bottlerocket"]["fail"] == 0 and bottlerocket["bottlerocket"]["manual"] == 4
    assert "bottlerocket-k8s:4.2.1" in bottlerocket["controls"]

    lost = rows["bottlerocket/level-2"]
    assert lost["status"] == "unknown" and lost["kubeBench"] is None
    assert lost["unknownReasons"] == [
        f"kube-bench result missing ({result(trees['current'], 'bottlerocket', 2, 'kube-bench')})"]
    assert report["gate"]["passed"] is False


def test_every_node_group_passes_when_complete_and_within_the_gate(trees, make_report) -> None:
    complete(trees["current"])
    report = make_report(trees["current"], gate=LENIENT)
    assert {row["status"] for row in report["rows"]} == {"pass"}
    assert report["gate"] == {"passed": True, "rules": LENIENT.as_config(), "failures": []}


@pytest.mark.parametrize(("pattern", "level", "kind", "change", "reason"), [
    ("eks-optimized-al2023", 1, "workloads", lambda d: d.update(amiId="ami-0aaa00000000000a1"),
     "workloads result is for ami-0aaa00000000000a1, not the current AMI ami-0aaa00000000000b1"),
    ("eks-optimized-al2023", 1, "kube-bench", lambda d: d["nodes"][1].update(amiId="ami-0aaa00000000000a1"),
     "kube-bench result is for ami-0aaa00000000000a1, not the current AMI ami-0aaa00000000000b1"),
    ("eks-optimized-al2023", 2, "build", lambda d: d.update(amiId="ami-0aaa00000000000a2"),
     "build result is for ami-0aaa00000000000a2, not the current AMI ami-0aaa00000000000b2"),
    ("cis-al2023", 1, "inspector", lambda d: d["cis"].update(status="TIMED_OUT"), "Inspector CIS scan TIMED_OUT"),
    ("cis-al2023", 1, "workloads", lambda d: d["tests"][3].update(status="pending"), "1 workload test(s) still pending"),
    ("bottlerocket", 1, "bottlerocket", lambda d: d.update(nodes=[]), "bottlerocket result has no node reports"),
    ("bottlerocket", 1, "kube-bench", lambda d: d.update(level=2), "is for level 2, not 1"),
    ("bottlerocket", 1, "kube-bench", lambda d: d.update(errors=[{"detail": "1 of 2 nodes have no kube-bench pod yet"}]),
     "kube-bench: a node: 1 of 2 nodes have no kube-bench pod yet"),
    ("eks-optimized-al2023", 2, "audit", lambda d: d.update(level=1), "audit.json is for level 1, not 2"),
    ("eks-optimized-al2023", 2, "audit", lambda d: d.update(benchmark="al2"), "audit result is for al2 level 2"),
])
def test_results_not_about_the_current_ami_or_incomplete_make_the_row_unknown(trees, make_report, pattern, level, kind,
                                                                               change, reason) -> None:
    complete(trees["current"])
    edit(result(trees["current"], pattern, level, kind), change)
    row = rows_by_key(make_report(trees["current"], gate=LENIENT))[f"{pattern}/level-{level}"]
    assert row["status"] == "unknown"
    assert any(reason in r for r in row["unknownReasons"]), row["unknownReasons"]
    assert any(f.startswith("unknown: ") for f in row["gateFailures"])


def test_an_invalid_result_is_unknown_not_a_crash(trees, make_report) -> None:
    complete(trees["current"])
    edit(result(trees["current"], "eks-optimized-al2023", 1, "workloads"), lambda d: d["tests"][0].pop("status"))
    row = rows_by_key(make_report(trees["current"], gate=LENIENT))["eks-optimized-al2023/level-1"]
    assert row["status"] == "unknown" and row["workloads"] is None
    assert row["unknownReasons"] == ["workloads result is invalid: - tests/0: 'status' is a required property"]
    result(trees["current"], "eks-optimized-al2023", 1, "kube-bench").write_text("{not json")
    row = rows_by_key(make_report(trees["current"], gate=LENIENT))["eks-optimized-al2023/level-1"]
    assert any(r.startswith("kube-bench result cannot be read") for r in row["unknownReasons"])


# --- incomplete or inconsistent evidence: every tamper on the complete tree makes the row unknown ----


def _keep_controls(count: int):
    def change(document: dict) -> None:
        document["controls"] = document["controls"][:count]
        recount_audit(document)
    return change


def _relabel(control_id: str, **fields):
    def change(document: dict) -> None:
        for control in document["controls"]:
            if control["id"] == control_id:
                control.update(fields)
        recount_audit(document)
    return change


def _no_checks(document: dict) -> None:
    for node in document["nodes"]:
        node["checks"] = []
    recount_kube_bench(document)


def _one_test(document: dict) -> None:
    document["tests"] = document["tests"][:1]


def _drop_check(document: dict) -> None:
    del document["nodes"][1]["checks"][2]
    recount_kube_bench(document)


def _not_scanned(document: dict) -> None:
    document["cis"]["nodes"] = document["cis"]["nodes"][:1]
    document["cis"]["notScanned"] = [{"instanceId": "i-0fedcba9876543210", "reason": "SSM agent not running"}]


def _bottlerocket_lacks(document: dict) -> None:
    document["nodes"][1]["reports"][0]["checks"] = document["nodes"][1]["reports"][0]["checks"][:-2]


AL2023_L2 = ("eks-optimized-al2023", 2)


@pytest.mark.parametrize(("group", "kind", "change", "reason"), [
    (AL2023_L2, "audit", _keep_controls(0), "audit result lacks {l2} of the profile's {l2} controls: 1.1.1.1, "),
    (AL2023_L2, "audit", _keep_controls(1), "audit result lacks {l2_1} of the profile's {l2} controls: 1.1.1.2, "),
    (AL2023_L2, "audit", lambda d: d["summary"].update(fail=9),
     "audit result summary disagrees with its controls: fail=9 (controls: 0)"),
    (AL2023_L2, "audit", _relabel("1.6.1.5", status="excluded", reason="not wanted"),
     "audit result: 1.6.1.5 is excluded, but the profile renders it automated"),
    (AL2023_L2, "audit", _relabel("1.6.1.5", status="excepted", reason="EKS needs it", exception="eks-made-up",
                                  compensatingControl="none"),
     "audit result: 1.6.1.5 is excepted, but the profile renders it automated"),
    (AL2023_L2, "audit", _relabel("3.2.1", exception="eks-made-up"),
     "audit result: 3.2.1 is excepted under 'eks-made-up', but its EKS exception in hardening/exceptions.yaml is "
     "'eks-ip-forwarding'"),
    (AL2023_L2, "audit", lambda d: d.update(excluded=["1.1.2.1"]),
     "audit result excluded ['1.1.2.1'], expected ['1.1.2.1', '5.1.1.6']"),
    (AL2023_L2, "workloads", _one_test, "workloads result lacks 22 of the 23 tests the plan creates for this node group"),
    (AL2023_L2, "workloads", lambda d: d["tests"].append({**d["tests"][0], "name": "made-up"}),
     "workloads result has test(s) the plan does not create: made-up"),
    (AL2023_L2, "workloads", lambda d: d["tests"].append(d["tests"][0]),
     "workloads result lists test(s) more than once: dns-cluster"),
    (AL2023_L2, "workloads", lambda d: [t.update(expect="allow") for t in d["tests"] if t["name"] == "kubelet-exec-forbidden"],
     "workloads result expects the opposite of the plan for: kubelet-exec-forbidden"),
    (AL2023_L2, "kube-bench", _no_checks, "kube-bench result: node ip-10-0-12-17.us-west-2.compute.internal reported "
                                          "no checks"),
    (AL2023_L2, "kube-bench", lambda d: d.update(nodes=d["nodes"][:1]),
     "kube-bench result covers 1 node(s); the node group runs 2 (nodeGroupSize.desiredSize)"),
    (AL2023_L2, "kube-bench", _drop_check, "kube-bench result: node ip-10-0-12-142.us-west-2.compute.internal lacks 1 "
                                           "check(s) the other nodes report: 3.1.3"),
    (AL2023_L2, "kube-bench", lambda d: d["nodes"][0]["summary"].update(fail=3),
     "kube-bench result: node ip-10-0-12-17.us-west-2.compute.internal summary fail=3 info=0 pass=12 warn=1 "
     "disagrees with its checks (fail=0 info=0 pass=12 warn=1)"),
    (AL2023_L2, "kube-bench", lambda d: d.update(benchmark="eks-1.2.0"),
     "kube-bench result ran benchmark eks-1.2.0; Kubernetes 1.33 is judged by eks-1.8.0"),
    (AL2023_L2, "inspector", _not_scanned, "inspector result: node i-0fedcba9876543210 was not scanned: SSM agent not "
                                           "running"),
    (AL2023_L2, "inspector", _not_scanned, "inspector CIS result covers 1 node(s); the node group runs 2"),
    (AL2023_L2, "inspector", lambda d: d.update(cis={"supported": False, "reason": "not today"}),
     "inspector result says CIS scans are not supported (not today), but the stack scans eks-optimized-al2023 nodes"),
    (AL2023_L2, "inspector", lambda d: d["vulnerabilities"]["counts"].update(HIGH=0),
     "inspector result vulnerability counts CRITICAL=0 HIGH=0 INFORMATIONAL=0 LOW=0 MEDIUM=1 UNTRIAGED=0 disagree "
     "with its findings (CRITICAL=0 HIGH=1 INFORMATIONAL=0 LOW=0 MEDIUM=1 UNTRIAGED=0)"),
    (("bottlerocket", 2), "bottlerocket", _bottlerocket_lacks,
     "bottlerocket result: node ip-10-0-32-142.us-west-2.compute.internal lacks 2 of the "),
])
def test_incomplete_or_inconsistent_evidence_makes_the_row_unknown(trees, make_report, group, kind, change,
                                                                   reason) -> None:
    complete(trees["current"])
    assert {row["status"] for row in make_report(trees["current"], gate=LENIENT)["rows"]} == {"pass"}
    level_2 = [c for c in load_catalog("al2023") if c.level <= 2]
    reason = reason.format(l2=len(level_2), l2_1=len(level_2) - 1)
    edit(result(trees["current"], *group, kind), change)
    report = make_report(trees["current"], gate=LENIENT)
    row = rows_by_key(report)[f"{group[0]}/level-{group[1]}"]
    assert row["status"] == "unknown", row["unknownReasons"]
    assert any(r.startswith(reason) for r in row["unknownReasons"]), row["unknownReasons"]
    assert f"unknown: {next(r for r in row['unknownReasons'] if r.startswith(reason))}" in row["gateFailures"]
    assert report["gate"]["passed"] is False


def test_a_device_is_refused_before_it_is_read() -> None:
    with pytest.raises(JsonFileError, match=r"^/dev/zero is a device, not a regular file$"):
        read_json("/dev/zero")  # read whole, it would never end


def test_a_node_group_without_a_peer_is_not_asked_for_cross_node_group_tests(trees, make_report) -> None:
    config = dev_config(patterns=[{"pattern": "cis-al2023", "levels": [1]}])
    path = result(trees["current"], "cis-al2023", 1, "workloads")
    edit(path, lambda d: d.update(tests=[t for t in d["tests"] if not t["name"].startswith("cross-node-group")]))
    row = rows_by_key(make_report(trees["current"], gate=LENIENT, config=config))["cis-al2023/level-1"]
    assert row["status"] == "pass" and row["workloads"]["total"] == 21
    # The same file in a stack with peers lacks the two tests the plan creates there.
    row = rows_by_key(make_report(trees["current"], gate=LENIENT))["cis-al2023/level-1"]
    assert "workloads result lacks 2 of the 23 tests the plan creates for this node group: cross-node-group, " \
           "cross-node-group-denied" in row["unknownReasons"]


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _symlink(path: Path) -> None:
    path.rename(path.with_name("elsewhere.json"))
    path.symlink_to(path.with_name("elsewhere.json"))


def _huge(path: Path) -> None:
    with path.open("ab") as handle:  # sparse: the size is what counts, nothing is written
        handle.truncate(MAX_BYTES + 1)


@pytest.mark.parametrize(("spoil", "reason"), [
    (_fifo, "is a FIFO, not a regular file"),
    (_directory, "is a directory, not a regular file"),
    (_symlink, "is a symbolic link (to "),
    (_huge, f"is {MAX_BYTES + 1} bytes; the limit is {MAX_BYTES} bytes"),
    (lambda p: p.write_text("[" * 200_000 + "]" * 200_000), "JSON nested too deeply to read"),
    (lambda p: p.write_bytes(b'{"kind": "workloads\xff"}'), "is not UTF-8 text (byte 19: b'\\xff')"),
])
def test_a_result_file_that_is_not_a_plain_json_file_is_unknown_without_hanging(trees, make_report, spoil,
                                                                                 reason) -> None:
    complete(trees["current"])
    path = result(trees["current"], "cis-al2023", 1, "workloads")
    spoil(path)
    row = rows_by_key(make_report(trees["current"], gate=LENIENT))["cis-al2023/level-1"]
    assert row["status"] == "unknown"
    assert f"workloads result cannot be read: {path} {reason}" in row["unknownReasons"] or any(
        r.startswith(f"workloads result cannot be read: {path}") and reason in r for r in row["unknownReasons"]), \
        row["unknownReasons"]


def test_an_audit_without_its_build_cannot_be_trusted(trees, make_report) -> None:
    complete(trees["current"])
    result(trees["current"], "cis-al2023", 1, "build").unlink()
    row = rows_by_key(make_report(trees["current"], gate=LENIENT))["cis-al2023/level-1"]
    assert row["audit"] is None
    assert "audit result cannot be tied to the current AMI without its build result" in row["unknownReasons"]


def test_without_stack_outputs_the_build_and_agreeing_results_name_the_ami(trees, make_report) -> None:
    complete(trees["current"])
    report = make_report(trees["current"], gate=LENIENT, stack_outputs={})
    rows = rows_by_key(report)
    assert rows["eks-optimized-al2023/level-1"]["amiId"] == "ami-0aaa00000000000b1"
    assert rows["eks-optimized-al2023/level-1"]["sourceAmiId"] == "ami-0a1b2c3d4e5f60002"
    assert rows["bottlerocket/level-1"]["amiId"] == rows["bottlerocket/level-1"]["sourceAmiId"] == "ami-0b0b0b0b0b0b00002"
    assert report["gate"]["passed"]
    # Results that disagree, with nothing to say which is current: unknown.
    edit(result(trees["current"], "bottlerocket", 1, "workloads"), lambda d: d.update(amiId="ami-0b0b0b0b0b0b00001"))
    row = rows_by_key(make_report(trees["current"], gate=LENIENT, stack_outputs={}))["bottlerocket/level-1"]
    assert row["status"] == "unknown" and row["amiId"] is None


def test_ami_only_stacks_expect_only_build_and_audit(trees, make_report) -> None:
    config = dev_config(amiOnly="true", patterns=[{"pattern": "eks-optimized-al2023", "levels": [1, 2]}])
    for path in (trees["current"] / "result-files" / "dev" / "eks-optimized-al2023").glob("level-*/*.json"):
        if path.stem not in ("build", "audit"):
            path.unlink()
    report = make_report(trees["current"], config=config)
    assert [(r["key"], r["status"], r["expected"]) for r in report["rows"]] == [
        ("eks-optimized-al2023/level-1", "pass", ["build", "audit"]),
        ("eks-optimized-al2023/level-2", "pass", ["build", "audit"])]


# --- gate outcomes ----------------------------------------------------------------------------


def _fail_control(document: dict, control_id: str, status: str = "fail") -> None:
    for control in document["controls"]:
        if control["id"] == control_id:
            control["status"] = status
            control.pop("reason", None)
    recount_audit(document)


@pytest.mark.parametrize(("status", "gate", "expected"), [
    ("fail", ComplianceGate(overdue_vulnerabilities=5), ["1 failing automated control(s) outside exceptions and "
                                                          "exclusions (allowed: 0)"]),
    ("deferred", ComplianceGate(overdue_vulnerabilities=5), ["1 failing automated control(s) outside exceptions and "
                                                              "exclusions (allowed: 0)"]),
    ("fail", ComplianceGate(failing_controls=1, overdue_vulnerabilities=5), []),
])
def test_failing_controls_gate(trees, make_report, status, gate, expected) -> None:
    complete(trees["current"])
    edit(result(trees["current"], "eks-optimized-al2023", 2, "audit"), lambda d: _fail_control(d, "1.6.1.5", status))
    row = rows_by_key(make_report(trees["current"], gate=gate))["eks-optimized-al2023/level-2"]
    assert row["gateFailures"] == expected
    assert row["status"] == ("fail" if expected else "pass")


def test_a_failing_bottlerocket_check_fails_the_gate_unless_excluded(trees, make_report) -> None:
    complete(trees["current"])

    def fail_lockdown(document: dict) -> None:
        for check in document["nodes"][0]["reports"][0]["checks"]:
            if check["id"] == "1.5.2":
                check["status"] = "fail"
    edit(result(trees["current"], "bottlerocket", 2, "bottlerocket"), fail_lockdown)
    row = rows_by_key(make_report(trees["current"], gate=LENIENT))["bottlerocket/level-2"]
    assert row["controls"]["bottlerocket:1.5.2"]["status"] == "fail"  # worst status across nodes
    assert row["bottlerocket"]["fail"] == 1 and row["status"] == "fail"

    excluded = dev_config(exclusions={"al2023": ["1.1.2.1"], "bottlerocket": ["1.5.2"]})
    row = rows_by_key(make_report(trees["current"], gate=LENIENT, config=excluded))["bottlerocket/level-2"]
    assert row["controls"]["bottlerocket:1.5.2"]["status"] == "excluded"
    assert row["status"] == "pass"


@pytest.mark.parametrize("must_pass", [True, False])
def test_workload_test_gate(trees, make_report, must_pass) -> None:
    complete(trees["current"])
    edit(result(trees["current"], "bottlerocket", 1, "workloads"), lambda d: set_status(d, "tests", "kubelet-logs", "error"))
    gate = ComplianceGate(overdue_vulnerabilities=5, workload_tests_must_pass=must_pass)
    row = rows_by_key(make_report(trees["current"], gate=gate))["bottlerocket/level-1"]
    assert row["tests"]["kubelet-logs"] == "error"
    assert row["gateFailures"] == (["1 workload test(s) failed"] if must_pass else [])


def test_overdue_vulnerabilities_are_judged_on_the_report_day(trees, make_report) -> None:
    complete(trees["current"])
    gate = ComplianceGate(overdue_vulnerabilities=1)
    # On 2025-06-10 the MEDIUM glibc finding (due 2025-06-18) is not overdue yet, even though the file says so.
    edit(result(trees["current"], "eks-optimized-al2023", 2, "inspector"),
         lambda d: [f.update(overdue=False) for f in d["vulnerabilities"]["findings"]])
    early = rows_by_key(make_report(trees["current"], gate=gate, as_of=date(2025, 6, 10)))
    assert early["eks-optimized-al2023/level-2"]["inspector"]["overdue"] == 1
    assert early["eks-optimized-al2023/level-2"]["status"] == "pass"
    late = rows_by_key(make_report(trees["current"], gate=gate, as_of=date(2025, 7, 1)))
    assert late["eks-optimized-al2023/level-2"]["gateFailures"] == [
        "2 vulnerability finding(s) past their due date (allowed: 1): CVE-2025-0395 (glibc, glibc-common, due "
        "2025-06-18), CVE-2025-21756 (kernel, due 2025-03-29)"]


@pytest.mark.parametrize(("gate", "failures"), [
    (ComplianceGate(overdue_vulnerabilities=5, kube_bench_fail=0), ["1 kube-bench check(s) failed (allowed: 0)"]),
    (ComplianceGate(overdue_vulnerabilities=5, kube_bench_fail=1), []),
    (ComplianceGate(overdue_vulnerabilities=5, inspector_cis_fail=0), ["1 Inspector CIS check(s) failed (allowed: 0)"]),
    (ComplianceGate(overdue_vulnerabilities=5), []),
])
def test_optional_kube_bench_and_inspector_limits(trees, make_report, gate, failures) -> None:
    complete(trees["current"])
    def fail_one(document: dict) -> None:
        document["nodes"][0]["checks"][4].update(status="FAIL")
        recount_kube_bench(document)
    edit(result(trees["current"], "cis-al2023", 1, "kube-bench"), fail_one)
    row = rows_by_key(make_report(trees["current"], gate=gate))["cis-al2023/level-1"]
    assert row["kubeBench"]["fail"] == 1
    assert row["gateFailures"] == failures


# --- across node groups and across runs ---------------------------------------------------------


def test_control_table_lists_only_controls_that_differ(trees, make_report) -> None:
    report = make_report(trees["current"])
    table = {c["id"]: c["statuses"] for c in report["controls"]}
    assert table["al2023:1.6.1.7"] == {"eks-optimized-al2023/level-1": "pass", "eks-optimized-al2023/level-2": "pass",
                                       "cis-al2023/level-1": "not-applicable"}
    assert table["eks-1.8.0:3.2.7"]["bottlerocket/level-1"] == "pass"
    assert table["eks-1.8.0:3.2.7"]["eks-optimized-al2023/level-1"] == "warn"
    assert "al2023:3.2.1" not in table  # excepted everywhere: the same
    assert "eks-1.8.0:3.2.1" not in table


def test_diff_against_the_previous_build(trees, make_report) -> None:
    previous = make_report(trees["previous"], at=PREVIOUS_AT)
    report = make_report(trees["current"], previous=previous)
    diff = report["diff"]
    assert diff["previousGeneratedAt"] == "2025-06-01T05:00:00Z" and diff["removedRows"] == []
    changes = {entry["key"]: entry for entry in diff["rows"]}
    assert set(changes) == {"eks-optimized-al2023/level-1", "eks-optimized-al2023/level-2", "bottlerocket/level-1",
                            "bottlerocket/level-2"}  # cis-al2023 kept its AMI and its results
    l1, l2 = changes["eks-optimized-al2023/level-1"], changes["eks-optimized-al2023/level-2"]
    assert l1["sourceAmiId"] == {"from": "ami-0a1b2c3d4e5f60001", "to": "ami-0a1b2c3d4e5f60002"}
    assert l1["amiId"] == {"from": "ami-0aaa00000000000a1", "to": "ami-0aaa00000000000b1"}
    assert l1["vulnerabilities"] == {"new": [], "resolved": ["CVE-2024-6387"], "newlyOverdue": []}
    assert l1["tests"] == [{"name": "kubelet-exec", "from": "fail", "to": "pass"}]
    assert l1["controls"] == []
    assert l2["controls"] == [{"id": "al2023:1.6.1.5", "title": "Ensure the SELinux mode is enforcing",
                               "from": "fail", "to": "pass"}]
    assert l2["vulnerabilities"]["newlyOverdue"] == ["CVE-2025-0395"]
    lost = changes["bottlerocket/level-2"]
    assert lost["status"] == {"from": "pass", "to": "unknown"}
    assert lost["controls"] == []  # a lost result is reported as the row turning unknown, not as 13 vanished checks


def test_diff_reports_added_and_removed_node_groups(trees, make_report) -> None:
    previous = make_report(trees["previous"], at=PREVIOUS_AT)
    config = dev_config(patterns=[{"pattern": "eks-optimized-al2023", "levels": [1, 2]},
                                  {"pattern": "bottlerocket", "levels": [1, 2]}])
    report = make_report(trees["current"], config=config, previous=previous)
    assert report["diff"]["removedRows"] == ["cis-al2023/level-1"]
    trimmed = {**previous, "rows": [r for r in previous["rows"] if r["key"] != "bottlerocket/level-1"]}
    entry = {e["key"]: e for e in make_report(trees["current"], previous=trimmed)["diff"]["rows"]}["bottlerocket/level-1"]
    assert entry["added"] is True and entry["controls"] == [] and entry["status"] is None


def test_no_changes_against_an_identical_run(trees, make_report) -> None:
    first = make_report(trees["current"])
    again = make_report(trees["current"], previous=first)
    assert again["diff"]["rows"] == [] and again["diff"]["removedRows"] == []


def test_first_report_has_no_previous(make_report, tmp_path) -> None:
    shutil.copytree(FIXTURES / "current", tmp_path / "run")
    report = make_report(tmp_path / "run", stack_outputs=outputs(tmp_path / "run"))
    assert report["diff"] == {"previousGeneratedAt": None, "rows": [], "removedRows": []}
