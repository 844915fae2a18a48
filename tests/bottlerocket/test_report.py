"""On-node reports: bloodhound's JSON parsed into the bottlerocket schema, and collected through SSM."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from botocore.stub import ANY, Stubber

from hardened_eks.schemas import ResultInvalid, validate
from hardening.bottlerocket import report

FIXTURES = Path(__file__).with_name("fixtures")
AMI = "ami-0123456789abcdef0"
COMMAND_IDS = {"cis": "0f6f5b8e-1111-4c2b-9a57-3c1f0e7d2a01", "cis-k8s": "0f6f5b8e-2222-4c2b-9a57-3c1f0e7d2a02"}


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def test_level1_report_passes_with_manual_checks() -> None:
    entry = report.parse_report(fixture("cis-level1-pass.json"), "cis")
    assert entry["framework"] == "cis" and entry["level"] == 1 and entry["benchmarkVersion"] == "v1.0.0"
    assert entry["summary"] == {"pass": 11, "fail": 0, "skip": 0, "manual": 4}
    manual = {c["id"] for c in entry["checks"] if c["status"] == "manual"}
    assert manual == {"1.2.1", "1.6", "3.4.1.3", "3.4.2.3"}
    assert [c["id"] for c in entry["checks"]][:3] == ["1.2.1", "1.3.1", "1.4.1"]  # benchmark order


def test_level2_forward_failure_is_annotated_as_known() -> None:
    entry = report.parse_report(fixture("cis-level2-forward-fail.json"), "cis")
    assert entry["summary"] == {"pass": 23, "fail": 1, "skip": 0, "manual": 4}
    (failed,) = [c for c in entry["checks"] if c["status"] == "fail"]
    assert failed["id"] == "3.4.1.1" and failed["checkId"] == "br03040101"
    assert failed["reason"] == "FORWARD chain policy is ACCEPT, expected DROP"
    assert failed["knownIssue"].startswith("bottlerocket-os/bottlerocket-core-kit#540")


def test_stock_node_at_level2_fails_every_configured_control() -> None:
    entry = report.parse_report(fixture("cis-level2-stock-fail.json").encode(), "cis")
    failed = {c["id"] for c in entry["checks"] if c["status"] == "fail"}
    assert failed == {"1.1.1.1", "1.5.2", "3.1.1", "3.2.2", "3.2.3", "3.2.4", "3.3.1", "3.4.1.1", "3.4.1.2",
                      "3.4.2.1", "3.4.2.2"}
    assert all("knownIssue" not in c for c in entry["checks"] if c["id"] != "3.4.1.1")


def test_k8s_report() -> None:
    entry = report.parse_report(fixture("cis-k8s.json"), "cis-k8s")
    assert entry["benchmarkName"] == "CIS Kubernetes Benchmark (Worker Node)"
    assert entry["summary"] == {"pass": 3, "fail": 0, "skip": 0, "manual": 2}


@pytest.mark.parametrize(("raw", "message"), [
    ("Error: Failed to get report: connection refused", "not JSON"),
    ("", "not JSON"),
    ('{"level": 1, "total": 0}', "no `results` object"),
    ("[]", "no `results` object"),
    ('{"level":1,"total":1,"passed":1,"skipped":0,"failed":0,"results":{"br01030100":{"id":"1.3.1"}}}',
     "needs `id` and `title`"),
    ('{"level":1,"total":1,"passed":0,"skipped":0,"failed":0,"results":{"br01030100":{"id":"1.3.1",'
     '"title":"t","mode":"Automatic","status":"MAYBE"}}}', "unknown status 'MAYBE'"),
    ('{"level":1,"total":1,"passed":1,"skipped":0,"failed":0,"results":{"br01030100":{"id":"1.4.1",'
     '"title":"t","mode":"Automatic","status":"PASS"}}}', "catalogue maps br01030100 to 1.3.1"),
])
def test_malformed_reports_are_rejected(raw: str, message: str) -> None:
    with pytest.raises(report.ReportError, match=message):
        report.parse_report(raw, "cis")


def test_totals_must_match_results() -> None:
    doc = json.loads(fixture("cis-level1-pass.json"))
    doc["passed"] += 1  # a truncated or tampered report
    with pytest.raises(report.ReportError, match="do not match"):
        report.parse_report(json.dumps(doc), "cis")


def test_document_validates_and_rejects_bad_ami() -> None:
    entries = [report.parse_report(fixture("cis-level2-forward-fail.json"), "cis"),
               report.parse_report(fixture("cis-k8s.json"), "cis-k8s")]
    node = report.node_entry("ip-10-20-1-5.us-west-2.compute.internal", "i-0abc", AMI, "2025-06-03T10:21:10+00:00",
                             entries)
    doc = report.document("dev", 2, AMI, [node])
    assert doc["nodes"][0]["reports"][0]["framework"] == "cis"
    with pytest.raises(ResultInvalid):
        validate("bottlerocket", {**doc, "amiId": "not-an-ami"})


def _clients() -> tuple[object, object]:
    session = boto3.Session(region_name="us-west-2", aws_access_key_id="x", aws_secret_access_key="x")
    return session.client("ec2"), session.client("ssm")


def _instances(*ids: str) -> dict[str, object]:
    return {"Reservations": [{"Instances": [{"InstanceId": i, "ImageId": AMI,
                                             "PrivateDnsName": f"ip-10-20-0-{n}.us-west-2.compute.internal"}
                                            for n, i in enumerate(ids)]}]}


def test_collect_runs_both_reports_through_ssm() -> None:
    ec2, ssm = _clients()
    ids = ["i-0aaaaaaaaaaaaaaa1", "i-0aaaaaaaaaaaaaaa2"]
    with Stubber(ec2) as ec2_stub, Stubber(ssm) as ssm_stub:
        ec2_stub.add_response("describe_instances", _instances(*ids), {"Filters": [
            {"Name": "tag:hardened-eks:stack", "Values": ["dev"]},
            {"Name": "tag:hardened-eks:pattern", "Values": ["bottlerocket"]},
            {"Name": "tag:hardened-eks:level", "Values": ["2"]},
            {"Name": "instance-state-name", "Values": ["running"]}]})
        for framework, command, output in (
            ("cis", "apiclient report cis -l 2 -f json", fixture("cis-level2-forward-fail.json")),
            ("cis-k8s", "apiclient report cis-k8s -f json", fixture("cis-k8s.json")),
        ):
            ssm_stub.add_response("send_command", {"Command": {"CommandId": COMMAND_IDS[framework]}}, {
                "InstanceIds": ids, "DocumentName": "AWS-RunShellScript", "Parameters": {"commands": [command]},
                "Comment": ANY, "TimeoutSeconds": ANY})
            # The first instance is still running on the first poll.
            ssm_stub.add_response("get_command_invocation", {"Status": "InProgress"},
                                  {"CommandId": COMMAND_IDS[framework], "InstanceId": ids[0]})
            ssm_stub.add_client_error("get_command_invocation", "InvocationDoesNotExist",
                                      expected_params={"CommandId": COMMAND_IDS[framework], "InstanceId": ids[1]})
            for instance_id in ids:
                ssm_stub.add_response("get_command_invocation",
                                      {"Status": "Success", "StandardOutputContent": output},
                                      {"CommandId": COMMAND_IDS[framework], "InstanceId": instance_id})
        sleeps: list[float] = []
        doc = report.collect(ec2, ssm, "dev", 2, now=lambda: "2025-06-03T10:21:10+00:00", sleep=sleeps.append)
        ssm_stub.assert_no_pending_responses()
    assert doc is not None and sleeps == [5.0, 5.0]
    assert [n["instanceId"] for n in doc["nodes"]] == ids
    assert [r["framework"] for r in doc["nodes"][0]["reports"]] == ["cis", "cis-k8s"]
    assert doc["amiId"] == AMI and doc["level"] == 2


def test_collect_reports_a_failed_command() -> None:
    ec2, ssm = _clients()
    with Stubber(ec2) as ec2_stub, Stubber(ssm) as ssm_stub:
        ec2_stub.add_response("describe_instances", _instances("i-0aaaaaaaaaaaaaaa1"), None)
        ssm_stub.add_response("send_command", {"Command": {"CommandId": COMMAND_IDS["cis"]}}, None)
        ssm_stub.add_response("get_command_invocation", {"Status": "Failed", "StandardErrorContent":
                                                         "apiclient: unrecognized subcommand 'report'"}, None)
        with pytest.raises(report.ReportError, match="ended Failed: apiclient: unrecognized subcommand"):
            report.collect(ec2, ssm, "dev", 1, now=lambda: "2025-06-03T10:21:10+00:00", sleep=lambda _: None)


def test_collect_times_out() -> None:
    _, ssm = _clients()
    with Stubber(ssm) as stub:
        stub.add_response("send_command", {"Command": {"CommandId": COMMAND_IDS["cis"]}}, None)
        for _ in range(4):
            stub.add_response("get_command_invocation", {"Status": "InProgress"}, None)
        with pytest.raises(report.ReportError, match="still running after 30s"):
            report.run_on_nodes(ssm, ["i-0aaaaaaaaaaaaaaa1"], "apiclient report cis -f json", timeout_seconds=30,
                                poll_seconds=10, sleep=lambda _: None)


def test_collect_without_nodes_returns_none() -> None:
    ec2, ssm = _clients()
    with Stubber(ec2) as stub:
        stub.add_response("describe_instances", {"Reservations": []}, None)
        assert report.collect(ec2, ssm, "dev", 1, now=lambda: "x") is None
