"""The Inspector results module against stubbed Inspector and EC2: every call path the pipeline meets."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from hardened_eks.config import load_config
from hardened_eks.inspector import CIS_NOT_SUPPORTED_REASON
from hardened_eks.inspector import results as r
from hardened_eks.inspector.errors import InspectorError
from hardened_eks.inspector.policy import parse_vulnerability_policy
from hardened_eks.results import write_result
from hardened_eks.schemas import SCHEMA_DIR, validate
from tests.conftest import make_raw_config

from .conftest import (
    ACCOUNT,
    AMI_AL2023_L1,
    AMI_BOTTLEROCKET_L1,
    CONFIG_ARN,
    SCAN_ARN,
    check,
    describe_instances_request,
    finding,
    findings_request,
    instance,
    list_cis_scans_request,
    scan,
    target_aggregation,
)

AL_1, AL_2, BR_1 = "i-0a11111111111111a", "i-0a22222222222222a", "i-0b33333333333333b"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
REPORT_URL = ("https://inspector2-cis-reports-us-west-2.s3.us-west-2.amazonaws.com/123456789012/report.csv"
              "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE&X-Amz-Security-Token=FQoGZXIvYXdzE")
CSV = b"account_id,resource_id,check_id,title,status\n123456789012,i-0a11111111111111a,1.1.1.1,cramfs,PASSED\n"


class FakeClock:
    def __init__(self):
        self.now, self.sleeps = 0.0, []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def timing(clock: FakeClock, timeout: float = 600) -> r.Timing:
    return r.Timing(timeout_seconds=timeout, poll_seconds=60, clock=clock.clock, sleep=clock.sleep)


def config(patterns=None, **overrides):
    patterns = patterns or [{"pattern": "eks-optimized-al2023", "levels": [1]}, {"pattern": "bottlerocket", "levels": [1]}]
    return load_config(make_raw_config({"patterns": patterns, **overrides}), "test")


# --- nodes ---------------------------------------------------------------------------------------


def test_nodes_are_read_across_pages_and_mapped_to_pattern_and_level(ec2):
    client, stub = ec2
    untagged = {**instance("i-0c44444444444444c", "x", 1, AMI_AL2023_L1), "Tags": [{"Key": "Name", "Value": "other"}]}
    stub.add_response("describe_instances", {"Reservations": [{"ReservationId": "r-01", "OwnerId": ACCOUNT, "Instances": [
        instance(AL_2, "eks-optimized-al2023", 1, AMI_AL2023_L1), untagged]}], "NextToken": "page-2"},
        describe_instances_request())
    stub.add_response("describe_instances", {"Reservations": [{"ReservationId": "r-02", "OwnerId": ACCOUNT, "Instances": [
        instance(BR_1, "bottlerocket", 1, AMI_BOTTLEROCKET_L1)]}]},
        {**describe_instances_request(), "NextToken": "page-2"})
    assert r.find_nodes(client, "test") == [r.Node(AL_2, "eks-optimized-al2023", 1, AMI_AL2023_L1),
                                            r.Node(BR_1, "bottlerocket", 1, AMI_BOTTLEROCKET_L1)]


def test_no_matching_instances_is_a_clear_error(ec2):
    client, stub = ec2
    stub.add_response("describe_instances", {"Reservations": []}, describe_instances_request())
    with pytest.raises(InspectorError, match=r"no running EC2 instances tagged hardened-eks:stack=test .* in us-west-2"):
        r.find_nodes(client, "test")


def test_ec2_permission_missing_is_named(ec2):
    client, stub = ec2
    stub.add_client_error("describe_instances", "UnauthorizedOperation",
                          "You are not authorized to perform this operation.", 403)
    with pytest.raises(InspectorError, match=r"missing permission ec2:DescribeInstances in us-west-2"):
        r.find_nodes(client, "test")


# --- waiting for the scan ------------------------------------------------------------------------


def test_scan_is_awaited_until_it_completes(inspector):
    client, stub = inspector
    clock, logs = FakeClock(), []
    stub.add_response("list_cis_scans", {"scans": []}, list_cis_scans_request())
    stub.add_response("list_cis_scans", {"scans": [scan("IN_PROGRESS")]}, list_cis_scans_request())
    stub.add_response("list_cis_scans", {"scans": [scan("COMPLETED")]}, list_cis_scans_request())
    finished = r.wait_for_scan(client, CONFIG_ARN, timing(clock), logs.append)
    assert finished["status"] == "COMPLETED" and finished["scanArn"] == SCAN_ARN
    assert clock.sleeps == [60, 60]
    assert "not started yet" in logs[0] and "in progress since" in logs[1]


def test_newest_scan_of_the_configuration_is_the_one_awaited(inspector):
    client, stub = inspector
    older = {**scan("FAILED", datetime(2026, 10, 1, tzinfo=UTC)),
             "scanArn": SCAN_ARN.replace("624b746d", "11111111")}
    stub.add_response("list_cis_scans", {"scans": [older, scan("COMPLETED")]}, list_cis_scans_request())
    assert r.wait_for_scan(client, CONFIG_ARN, timing(FakeClock()), print)["scanArn"] == SCAN_ARN


def test_scan_still_running_at_the_timeout_is_timed_out(inspector):
    client, stub = inspector
    clock = FakeClock()
    for _ in range(3):
        stub.add_response("list_cis_scans", {"scans": [scan("IN_PROGRESS")]}, list_cis_scans_request())
    assert r.wait_for_scan(client, CONFIG_ARN, timing(clock, timeout=120), lambda _: None)["status"] == "TIMED_OUT"
    assert clock.now == 120


def test_scan_that_never_starts_is_a_clear_error(inspector):
    client, stub = inspector
    for _ in range(2):
        stub.add_response("list_cis_scans", {"scans": []}, list_cis_scans_request())
    with pytest.raises(InspectorError, match=r"no CIS scan of .* started within 1 minutes.*Systems Manager"):
        r.wait_for_scan(client, CONFIG_ARN, timing(FakeClock(), timeout=60), lambda _: None)


def test_inspector_not_enabled_is_a_clear_error(inspector):
    client, stub = inspector
    stub.add_client_error("list_cis_scans", "AccessDeniedException", "Invoking account is not enabled", 403)
    with pytest.raises(InspectorError, match=r"Amazon Inspector is not enabled in us-west-2"):
        r.wait_for_scan(client, CONFIG_ARN, timing(FakeClock()), lambda _: None)


def test_paginated_status_polling_reads_every_page(inspector):
    client, stub = inspector
    stub.add_response("list_cis_scans", {"scans": [], "nextToken": "t2"}, list_cis_scans_request())
    stub.add_response("list_cis_scans", {"scans": [scan("COMPLETED")]}, {**list_cis_scans_request(), "nextToken": "t2"})
    assert r.wait_for_scan(client, CONFIG_ARN, timing(FakeClock()), print)["status"] == "COMPLETED"


# --- per-node results ----------------------------------------------------------------------------


def stub_scan_results(stub):
    """AL_1 completed (details over two pages), AL_2 not managed by SSM."""
    stub.add_response("list_cis_scan_results_aggregated_by_target_resource", {
        "targetResourceAggregations": [target_aggregation(AL_1, 150, 2, 28)], "nextToken": "agg-2"},
        {"scanArn": SCAN_ARN})
    stub.add_response("list_cis_scan_results_aggregated_by_target_resource", {
        "targetResourceAggregations": [
            target_aggregation(AL_2, 0, 0, 0, status="CANCELLED", reason="SSM_UNMANAGED"),
            target_aggregation("i-0dddddddddddddddd", 100, 1, 0)]},
        {"scanArn": SCAN_ARN, "nextToken": "agg-2"})
    details = {"scanArn": SCAN_ARN, "targetResourceId": AL_1, "accountId": ACCOUNT}
    stub.add_response("get_cis_scan_result_details", {"scanResultDetails": [
        check(AL_1, "xccdf_org.cisecurity.benchmarks_rule_1.1.1.1_Ensure_cramfs_kernel_module_is_not_available",
              "Ensure cramfs kernel module is not available", "PASSED"),
        check(AL_1, "xccdf_org.cisecurity.benchmarks_rule_1.6.1.5_Ensure_the_SELinux_mode_is_enforcing",
              "Ensure the SELinux mode is enforcing", "FAILED")], "nextToken": "d2"}, details)
    stub.add_response("get_cis_scan_result_details", {"scanResultDetails": [
        check(AL_1, "xccdf_org.cisecurity.benchmarks_rule_3.3.1_Ensure_ip_source_routing_is_disabled",
              "Ensure source routed packets are not accepted", "FAILED"),
        check(AL_1, "xccdf_org.cisecurity.benchmarks_rule_1.2.1_Ensure_GPG_keys_are_configured",
              "Ensure GPG keys are configured", "SKIPPED")]}, {**details, "nextToken": "d2"})


def test_scan_results_are_read_per_node_across_pages(inspector):
    client, stub = inspector
    stub_scan_results(stub)
    outcome = r.read_scan(client, scan("COMPLETED"), {AL_1, AL_2, "i-0e55555555555555e"})
    assert outcome.node_status == {AL_1: "COMPLETED", AL_2: "SSM_UNMANAGED", "i-0e55555555555555e": "NOT_IN_SCAN"}
    assert {k: v[0] for k, v in outcome.checks[AL_1].items()} == {
        "1.1.1.1": "PASSED", "1.6.1.5": "FAILED", "3.3.1": "FAILED", "1.2.1": "SKIPPED"}


def test_counts_failed_checks_and_unscanned_nodes_of_a_node_group(inspector):
    client, stub = inspector
    stub_scan_results(stub)
    outcome = r.read_scan(client, scan("COMPLETED"), {AL_1, AL_2})
    nodes = [r.Node(AL_1, "eks-optimized-al2023", 1, AMI_AL2023_L1), r.Node(AL_2, "eks-optimized-al2023", 1, AMI_AL2023_L1)]
    section = r.cis_section(outcome, nodes, None)
    assert (section["passed"], section["failed"], section["skipped"]) == (1, 2, 1)
    assert section["nodes"] == [AL_1]
    assert section["notScanned"] == [{"instanceId": AL_2, "reason": "SSM_UNMANAGED"}]
    assert [c["id"] for c in section["failedChecks"]] == ["1.6.1.5", "3.3.1"]
    assert section["failedChecks"][0]["nodes"] == [AL_1] and section["auditCompared"] is False


def test_a_completed_scan_that_assessed_none_of_the_nodes_is_not_reported_as_zero(inspector):
    client, stub = inspector
    stub.add_response("list_cis_scan_results_aggregated_by_target_resource", {"targetResourceAggregations": [
        target_aggregation(AL_1, 0, 0, 0, status="CANCELLED", reason="SSM_UNMANAGED")]}, {"scanArn": SCAN_ARN})
    outcome = r.read_scan(client, scan("COMPLETED"), {AL_1})
    section = r.cis_section(outcome, [r.Node(AL_1, "eks-optimized-al2023", 1, AMI_AL2023_L1)], None)
    assert section["status"] == "FAILED"
    assert "assessed none of this node group's nodes: i-0a11111111111111a SSM_UNMANAGED" in section["statusReason"]


def test_disagreements_are_pass_versus_fail_only():
    verdicts = {"1.1.1.1": ("FAILED", "cramfs", "x"), "1.6.1.5": ("FAILED", "SELinux", "y"),
                "3.3.1": ("PASSED", "source route", "z"), "4.1": ("FAILED", "unknown to us", "w")}
    audit = {"controls": [{"id": "1.1.1.1", "title": "Ensure cramfs kernel module is not available", "status": "pass"},
                          {"id": "1.6.1.5", "title": "Ensure the SELinux mode is enforcing", "status": "excepted"},
                          {"id": "3.3.1", "title": "Ensure ip source routing is disabled", "status": "fail"}]}
    assert r.disagreements(verdicts, audit) == [
        {"id": "1.1.1.1", "title": "Ensure cramfs kernel module is not available", "inspector": "FAILED", "audit": "pass"},
        {"id": "3.3.1", "title": "Ensure ip source routing is disabled", "inspector": "PASSED", "audit": "fail"}]


def test_benchmark_id_comes_from_the_check_id_or_the_title():
    assert r.benchmark_id("xccdf_org.cisecurity.benchmarks_rule_5.2.10_Ensure_SSH_root_login_is_disabled", "") == "5.2.10"
    assert r.benchmark_id("1.1.2.3", "Ensure noexec option set on /tmp partition") == "1.1.2.3"
    assert r.benchmark_id("CIS-AL2023-x", "4.2.1 Ensure sshd Banner is configured") == "4.2.1"
    assert r.benchmark_id("opaque", "Ensure something") == "opaque"


def test_csv_report_is_polled_downloaded_and_its_signature_never_kept(inspector):
    client, stub = inspector
    clock, fetched = FakeClock(), []
    request = {"scanArn": SCAN_ARN, "reportFormat": "CSV"}
    stub.add_response("get_cis_scan_report", {"status": "IN_PROGRESS"}, request)
    stub.add_response("get_cis_scan_report", {"status": "SUCCEEDED", "url": REPORT_URL}, request)
    location, body = r.fetch_report(client, SCAN_ARN, timing(clock), lambda url: fetched.append(url) or CSV, print)
    assert fetched == [REPORT_URL] and body == CSV
    assert location == REPORT_URL.split("?")[0] and "Security-Token" not in location


def test_failed_csv_report_leaves_the_results_without_it(inspector):
    client, stub = inspector
    stub.add_response("get_cis_scan_report", {"status": "FAILED"}, {"scanArn": SCAN_ARN, "reportFormat": "CSV"})
    logs = []
    assert r.fetch_report(client, SCAN_ARN, timing(FakeClock()), lambda url: b"", logs.append) == (None, None)
    assert "is FAILED" in logs[0]


# --- vulnerabilities -----------------------------------------------------------------------------


def test_due_date_counts_from_publication_not_from_when_a_rebuilt_node_first_saw_it():
    policy = parse_vulnerability_policy(None)
    published = datetime(2026, 9, 1, tzinfo=UTC)
    found = [finding(AL_1, "CVE-2026-1001", "CRITICAL", published=published,
                     first_observed=datetime(2026, 11, 19, tzinfo=UTC)),
             finding(AL_2, "CVE-2026-1001", "CRITICAL", published=published),
             finding(AL_1, "CVE-2026-2002", "HIGH", published=datetime(2026, 11, 1, tzinfo=UTC), fix="NO", score=None),
             finding(BR_1, "CVE-2026-3003", "LOW", published=published)]
    section = r.vulnerabilities_section(found, {AL_1, AL_2}, policy, NOW.date())
    critical, high = section["findings"]
    assert critical["dueDate"] == "2026-10-01" and critical["overdue"] is True
    assert critical["instances"] == [AL_1, AL_2] and critical["cvss"] == 7.5 and critical["packages"] == ["kernel"]
    assert critical["publishedAt"] == "2026-09-01T00:00:00Z"
    assert high["dueDate"] is None and high["dueDateBasis"] == "no fix available yet" and high["cvss"] == 7.8
    assert section["counts"] == {"CRITICAL": 1, "HIGH": 1, "MEDIUM": 0, "LOW": 0, "INFORMATIONAL": 0, "UNTRIAGED": 0}
    assert section["overdue"] == 1


def test_findings_are_filtered_ten_instances_at_a_time_and_paginated(inspector):
    client, stub = inspector
    ids = [f"i-0{n:016x}" for n in range(12)]
    stub.add_response("list_findings", {"findings": [finding(ids[0], "CVE-2026-1", "HIGH", published=None)],
                                        "nextToken": "f2"}, findings_request(ids[:10]))
    stub.add_response("list_findings", {"findings": [finding(ids[9], "CVE-2026-2", "LOW", published=None)]},
                      {**findings_request(ids[:10]), "nextToken": "f2"})
    stub.add_response("list_findings", {"findings": []}, findings_request(ids[10:]))
    assert [f["packageVulnerabilityDetails"]["vulnerabilityId"] for f in r.active_findings(client, ids)] == [
        "CVE-2026-1", "CVE-2026-2"]


# --- the whole collector -------------------------------------------------------------------------


def stub_nodes(ec2_stub):
    ec2_stub.add_response("describe_instances", {"Reservations": [{"ReservationId": "r-01", "OwnerId": ACCOUNT, "Instances": [
        instance(AL_1, "eks-optimized-al2023", 1, AMI_AL2023_L1), instance(AL_2, "eks-optimized-al2023", 1, AMI_AL2023_L1),
        instance(BR_1, "bottlerocket", 1, AMI_BOTTLEROCKET_L1)]}]}, describe_instances_request())


OUTPUTS = {"inspectorCisScans": {"level-1": CONFIG_ARN},
           "nodeGroups": {"eks-optimized-al2023/level-1": {"amiId": AMI_AL2023_L1},
                          "bottlerocket/level-1": {"amiId": AMI_BOTTLEROCKET_L1}}}


def write_audit(root):
    controls = [{"id": "1.1.1.1", "title": "Ensure cramfs kernel module is not available", "level": 1,
                 "assessment": "automated", "status": "pass", "detail": "not loadable"},
                {"id": "3.3.1", "title": "Ensure ip source routing is disabled", "level": 1,
                 "assessment": "automated", "status": "pass", "detail": "net.ipv4.conf.all.accept_source_route=0"}]
    write_result(root, "test", "eks-optimized-al2023", 1, "audit", {
        "schemaVersion": 1, "kind": "audit", "benchmark": "al2023", "benchmarkVersion": "v1.0.0", "level": 1,
        "ipFamily": "ipv4", "excluded": [], "root": "/", "controls": controls,
        "summary": {"pass": 2, "fail": 0, "manual": 0, "excepted": 0, "excluded": 0, "not-applicable": 0,
                    "deferred": 0}})


@pytest.mark.skipif(not (SCHEMA_DIR / "audit.schema.json").exists(), reason="the audit schema is not in this checkout")
def test_collector_writes_schema_valid_results_for_every_node_group(inspector, ec2, tmp_path):
    client, stub = inspector
    ec2_client, ec2_stub = ec2
    stub_nodes(ec2_stub)
    write_audit(tmp_path)
    stub.add_response("list_cis_scans", {"scans": [scan("IN_PROGRESS")]}, list_cis_scans_request())
    stub.add_response("list_cis_scans", {"scans": [scan("COMPLETED")]}, list_cis_scans_request())
    stub_scan_results(stub)
    stub.add_response("get_cis_scan_report", {"status": "SUCCEEDED", "url": REPORT_URL},
                      {"scanArn": SCAN_ARN, "reportFormat": "CSV"})
    stub.add_response("list_findings", {"findings": [
        finding(AL_1, "CVE-2026-1001", "CRITICAL", published=datetime(2026, 9, 1, tzinfo=UTC)),
        finding(BR_1, "CVE-2026-4004", "MEDIUM", published=datetime(2026, 11, 1, tzinfo=UTC), ami=AMI_BOTTLEROCKET_L1)]},
        findings_request([AL_1, AL_2, BR_1]))
    clock, logs = FakeClock(), []

    written = r.collect_results(inspector=client, ec2=ec2_client, config=config(), outputs=OUTPUTS, results_root=tmp_path,
                                policy=parse_vulnerability_policy(None), timing=timing(clock), now=NOW,
                                log=logs.append, fetch=lambda url: CSV)

    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "test/bottlerocket/level-1/inspector.json", "test/eks-optimized-al2023/level-1/inspector.json"]
    al2023 = validate("inspector", json.loads(written[0].read_text()))
    assert al2023["amiId"] == AMI_AL2023_L1 and al2023["cis"]["status"] == "COMPLETED"
    assert (al2023["cis"]["passed"], al2023["cis"]["failed"], al2023["cis"]["skipped"]) == (1, 2, 1)
    assert al2023["cis"]["disagreements"] == [{"id": "3.3.1", "title": "Ensure ip source routing is disabled",
                                               "inspector": "FAILED", "audit": "pass"}]
    assert al2023["cis"]["reportCsv"] == r.REPORT_FILE and "?" not in al2023["cis"]["reportUrl"]
    assert (written[0].parent / r.REPORT_FILE).read_bytes() == CSV
    assert [f["id"] for f in al2023["vulnerabilities"]["findings"]] == ["CVE-2026-1001"]
    assert al2023["vulnerabilities"]["overdue"] == 1
    bottlerocket = validate("inspector", json.loads(written[1].read_text()))
    assert bottlerocket["cis"] == {"supported": False, "reason": CIS_NOT_SUPPORTED_REASON}
    assert bottlerocket["vulnerabilities"]["counts"]["MEDIUM"] == 1
    assert bottlerocket["vulnerabilities"]["findings"][0]["dueDate"] == "2027-01-30"


def test_failed_scan_is_written_as_failed_and_reported(inspector, ec2, tmp_path):
    client, stub = inspector
    ec2_client, ec2_stub = ec2
    stub_nodes(ec2_stub)
    stub.add_response("list_cis_scans", {"scans": [scan("FAILED")]}, list_cis_scans_request())
    stub.add_response("list_findings", {"findings": []}, findings_request([AL_1, AL_2, BR_1]))
    with pytest.raises(InspectorError, match=r"level 1: CIS scan .*cis-scan/624b746d.* ended FAILED"):
        r.collect_results(inspector=client, ec2=ec2_client, config=config(), outputs=OUTPUTS, results_root=tmp_path,
                          policy=parse_vulnerability_policy(None), timing=timing(FakeClock()), now=NOW,
                          log=lambda _: None)
    document = json.loads((tmp_path / "test/eks-optimized-al2023/level-1/inspector.json").read_text())
    assert document["cis"]["status"] == "FAILED" and document["cis"]["scanArn"] == SCAN_ARN
    assert (tmp_path / "test/bottlerocket/level-1/inspector.json").exists()


def test_missing_permission_on_findings_stops_with_the_permission_named(inspector, ec2, tmp_path):
    client, stub = inspector
    ec2_client, ec2_stub = ec2
    stub_nodes(ec2_stub)
    stub.add_client_error("list_findings", "AccessDeniedException",
                          "User is not authorized to perform: inspector2:ListFindings", 403)
    with pytest.raises(InspectorError, match=r"missing permission inspector2:ListFindings in us-west-2"):
        r.collect_results(inspector=client, ec2=ec2_client, config=config(inspectorScans=False), outputs=OUTPUTS,
                          results_root=tmp_path, policy=parse_vulnerability_policy(None), timing=timing(FakeClock()),
                          now=NOW, log=lambda _: None)
    assert not list(tmp_path.rglob("inspector.json"))


def test_scans_switched_off_say_so_instead_of_counting(inspector, ec2, tmp_path):
    client, stub = inspector
    ec2_client, ec2_stub = ec2
    stub_nodes(ec2_stub)
    stub.add_response("list_findings", {"findings": []}, findings_request([AL_1, AL_2, BR_1]))
    written = r.collect_results(inspector=client, ec2=ec2_client, config=config(inspectorScans=False), outputs={},
                                results_root=tmp_path, policy=parse_vulnerability_policy(None),
                                timing=timing(FakeClock()), now=NOW, log=lambda _: None)
    al2023 = json.loads(written[0].read_text())
    assert al2023["cis"] == {"supported": False, "reason": r.SCANS_OFF_REASON}


def test_node_group_without_nodes_is_reported_after_the_others_are_written(inspector, ec2, tmp_path):
    client, stub = inspector
    ec2_client, ec2_stub = ec2
    ec2_stub.add_response("describe_instances", {"Reservations": [{"ReservationId": "r-01", "OwnerId": ACCOUNT, "Instances": [
        instance(BR_1, "bottlerocket", 1, AMI_BOTTLEROCKET_L1)]}]}, describe_instances_request())
    stub.add_response("list_findings", {"findings": []}, findings_request([BR_1]))
    with pytest.raises(InspectorError, match=r"eks-optimized-al2023/level-1: no running nodes"):
        r.collect_results(inspector=client, ec2=ec2_client, config=config(), outputs=OUTPUTS, results_root=tmp_path,
                          policy=parse_vulnerability_policy(None), timing=timing(FakeClock()), now=NOW,
                          log=lambda _: None)
    assert (tmp_path / "test/bottlerocket/level-1/inspector.json").exists()


def test_nodes_on_an_older_ami_are_left_out(inspector, ec2, tmp_path):
    client, stub = inspector
    ec2_client, ec2_stub = ec2
    old = "ami-0000000000000dead"
    ec2_stub.add_response("describe_instances", {"Reservations": [{"ReservationId": "r-01", "OwnerId": ACCOUNT, "Instances": [
        instance(BR_1, "bottlerocket", 1, AMI_BOTTLEROCKET_L1), instance("i-0f66666666666666f", "bottlerocket", 1, old)]}]},
        describe_instances_request())
    stub.add_response("list_findings", {"findings": []}, findings_request([BR_1]))
    logs = []
    written = r.collect_results(inspector=client, ec2=ec2_client, config=config([{"pattern": "bottlerocket", "levels": [1]}]),
                                outputs=OUTPUTS, results_root=tmp_path, policy=parse_vulnerability_policy(None),
                                timing=timing(FakeClock()), now=NOW, log=logs.append)
    assert json.loads(written[0].read_text())["amiId"] == AMI_BOTTLEROCKET_L1
    assert any("ignoring 1 node(s) still on an older AMI" in line for line in logs)
