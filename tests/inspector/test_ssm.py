"""The CIS scan targets only SSM-managed nodes: create waits for Systems Manager to manage every tagged
node, and the collector re-scans targets that ended SSM_UNMANAGED. Requests and answers go through
botocore Stubbers, so every call is checked against the EC2, SSM and Inspector service models."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import pytest
from botocore.stub import Stubber

from hardened_eks import tags
from hardened_eks.inspector import results as r
from hardened_eks.inspector import scan_configuration as sc
from hardened_eks.inspector.ssm import SsmWait, unmanaged

from .conftest import ACCOUNT, CONFIG_ARN, SCAN_ARN, instance, make_client, scan
from .test_results import AL_1, AL_2, AMI_AL2023_L1, FakeClock, timing
from .test_scan_configuration import PROPS

RESCAN_ARN = CONFIG_ARN.replace("0d3c1f2a", "9e8d7c6b")
OLD_RESCAN_ARN = CONFIG_ARN.replace("0d3c1f2a", "11111111")


@pytest.fixture
def ssm():
    client = make_client("ssm")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def info(instance_id, ping="Online"):
    return {"InstanceId": instance_id, "PingStatus": ping, "ResourceType": "EC2Instance",
            "PlatformType": "Linux", "PlatformName": "Amazon Linux", "AgentVersion": "3.3.1142.0"}


def describe_info_request(ids):
    return {"Filters": [{"Key": "InstanceIds", "Values": list(ids)}]}


def describe_tagged_request():
    return {"Filters": [{"Name": f"tag:{tags.SCAN}", "Values": ["test-level1"]},
                        {"Name": "instance-state-name", "Values": ["running"]}]}


def test_create_waits_until_every_tagged_node_is_ssm_managed_then_starts_the_scan(ec2, ssm, inspector, monkeypatch):
    ec2_client, ec2_stub = ec2
    ssm_client, ssm_stub = ssm
    client, stub = inspector
    nodes = {"Reservations": [{"Instances": [instance(AL_1, "eks-optimized-al2023", 1, AMI_AL2023_L1),
                                             instance(AL_2, "eks-optimized-al2023", 1, AMI_AL2023_L1)]}]}
    # first look: the node group is ACTIVE, but one node's SSM agent has not registered yet
    ec2_stub.add_response("describe_instances", nodes, describe_tagged_request())
    ssm_stub.add_response("describe_instance_information", {"InstanceInformationList": [info(AL_1)]},
                          describe_info_request([AL_1, AL_2]))
    ec2_stub.add_response("describe_instances", nodes, describe_tagged_request())
    ssm_stub.add_response("describe_instance_information",
                          {"InstanceInformationList": [info(AL_1), info(AL_2)]}, describe_info_request([AL_1, AL_2]))
    stub.add_response("create_cis_scan_configuration", {"scanConfigurationArn": CONFIG_ARN})
    clock, lines = FakeClock(), []
    monkeypatch.setattr(sc, "node_clients", lambda region: (ec2_client, ssm_client))
    monkeypatch.setattr(sc, "inspector_client", lambda region: client)
    monkeypatch.setattr(sc, "SsmWait", partial(SsmWait, clock=clock.clock, sleep=clock.sleep))
    monkeypatch.setattr(sc.pulumi.log, "info", lines.append)
    assert sc.CisScanConfigurationProvider().create(PROPS).id == CONFIG_ARN
    assert clock.sleeps == [20.0] and "1 of 2 node(s) not yet managed" in lines[0]


def test_a_node_that_never_gets_managed_does_not_block_the_scan_forever(ec2, ssm):
    ec2_client, ec2_stub = ec2
    ssm_client, ssm_stub = ssm
    nodes = {"Reservations": [{"Instances": [instance(AL_1, "eks-optimized-al2023", 1, AMI_AL2023_L1)]}]}
    for _ in range(4):
        ec2_stub.add_response("describe_instances", nodes, describe_tagged_request())
        ssm_stub.add_response("describe_instance_information",
                              {"InstanceInformationList": [info(AL_1, "ConnectionLost")]}, describe_info_request([AL_1]))
    clock, lines = FakeClock(), []
    still = sc.await_managed_targets(ec2_client, ssm_client, PROPS,
                                     SsmWait(timeout_seconds=60, clock=clock.clock, sleep=clock.sleep), lines.append)
    assert still == [AL_1] and clock.now == 60 and "collector re-scans" in lines[-1]


def test_instance_ids_are_asked_fifty_at_a_time(ssm):
    client, stub = ssm
    ids = [f"i-0{n:016x}" for n in range(60)]
    stub.add_response("describe_instance_information", {"InstanceInformationList": [info(i) for i in ids[:50]]},
                      describe_info_request(ids[:50]))
    stub.add_response("describe_instance_information", {"InstanceInformationList": [info(ids[50])]},
                      describe_info_request(ids[50:]))
    assert unmanaged(client, ids) == ids[51:]


def test_an_instance_ssm_calls_invalid_is_not_managed_yet(ssm):
    """A node that has not registered can make DescribeInstanceInformation answer InvalidInstanceId."""
    client, stub = ssm
    ids = ["i-00000000000000001"]
    stub.add_client_error("describe_instance_information", "InvalidInstanceId", "not a managed node",
                          expected_params=describe_info_request(ids))
    assert unmanaged(client, ids) == ids


def configuration(arn, name):
    return {"scanConfigurationArn": arn, "ownerId": ACCOUNT, "scanName": name, "securityLevel": "LEVEL_1",
            "schedule": {"oneTime": {}}, "targets": PROPS["targets"], "tags": PROPS["tags"]}


def test_the_collector_rescans_targets_that_ended_ssm_unmanaged(inspector, ssm):
    client, stub = inspector
    ssm_client, ssm_stub = ssm
    ssm_stub.add_response("describe_instance_information", {"InstanceInformationList": [info(AL_2)]},
                          describe_info_request([AL_2]))
    stub.add_response("list_cis_scan_configurations", {"scanConfigurations": [
        configuration(CONFIG_ARN, "hardened-eks-test-level1")]},
        {"filterCriteria": {"scanConfigurationArnFilters": [{"comparison": "EQUALS", "value": CONFIG_ARN}]}})
    stub.add_response("list_cis_scan_configurations", {"scanConfigurations": [
        configuration(OLD_RESCAN_ARN, "hardened-eks-test-level1-rescan")]},
        {"filterCriteria": {"scanNameFilters": [{"comparison": "EQUALS", "value": "hardened-eks-test-level1-rescan"}]}})
    stub.add_response("delete_cis_scan_configuration", {"scanConfigurationArn": OLD_RESCAN_ARN},
                      {"scanConfigurationArn": OLD_RESCAN_ARN})
    stub.add_response("create_cis_scan_configuration", {"scanConfigurationArn": RESCAN_ARN}, {
        "scanName": "hardened-eks-test-level1-rescan", "securityLevel": "LEVEL_1", "schedule": {"oneTime": {}},
        "targets": PROPS["targets"], "tags": PROPS["tags"]})
    rescan = {**scan("COMPLETED", datetime(2026, 11, 3, 9, 0, tzinfo=UTC)), "scanConfigurationArn": RESCAN_ARN}
    stub.add_response("list_cis_scans", {"scans": [rescan]}, {
        "filterCriteria": {"scanConfigurationArnFilters": [{"comparison": "EQUALS", "value": RESCAN_ARN}]},
        "sortBy": "SCAN_START_DATE", "sortOrder": "DESC"})
    lines: list[str] = []
    found = r.rescan(client, ssm_client, CONFIG_ARN, [AL_2], timing(FakeClock()), lines.append)
    assert found["scanArn"] == SCAN_ARN and found["scanConfigurationArn"] == RESCAN_ARN
    assert any("unmanaged in, or missing from," in line and RESCAN_ARN in line for line in lines)


def test_no_rescan_while_the_node_is_still_unmanaged(inspector, ssm):
    client, _ = inspector
    ssm_client, ssm_stub = ssm
    for _ in range(3):
        ssm_stub.add_response("describe_instance_information", {"InstanceInformationList": []},
                              describe_info_request([AL_2]))
    clock, lines = FakeClock(), []
    assert r.rescan(client, ssm_client, CONFIG_ARN, [AL_2], timing(clock, timeout=120), lines.append) is None
    assert "still not managed" in lines[-1]


@pytest.mark.parametrize("al_2_in_first_scan", ["SSM_UNMANAGED", "absent"])
def test_collect_results_reports_the_rescan_instead_of_the_unmanaged_node(inspector, ec2, ssm, tmp_path,
                                                                          al_2_in_first_scan):
    """The first scan left AL_2 SSM_UNMANAGED, or never saw it (a node replaced after the scan's one run); the
    collector re-scans once it is managed and writes the re-scan's verdicts, so the node is assessed instead
    of listed as not scanned."""
    from hardened_eks.inspector.policy import parse_vulnerability_policy

    from .conftest import list_cis_scans_request, target_aggregation
    from .test_results import BR_1, NOW, OUTPUTS, check, config, findings_request, stub_nodes

    client, stub = inspector
    ec2_client, ec2_stub = ec2
    ssm_client, ssm_stub = ssm
    stub_nodes(ec2_stub)
    stub.add_response("list_cis_scans", {"scans": [scan("COMPLETED")]}, list_cis_scans_request())
    first = [target_aggregation(AL_1, 1, 0, 0)]
    if al_2_in_first_scan == "SSM_UNMANAGED":
        first.append(target_aggregation(AL_2, 0, 0, 0, status="CANCELLED", reason="SSM_UNMANAGED"))
    stub.add_response("list_cis_scan_results_aggregated_by_target_resource", {"targetResourceAggregations": first},
                      {"scanArn": SCAN_ARN})
    stub.add_response("get_cis_scan_result_details", {"scanResultDetails": [
        check(AL_1, "xccdf_org.cisecurity.benchmarks_rule_1.1.1.1_x", "cramfs", "PASSED")]},
        {"scanArn": SCAN_ARN, "targetResourceId": AL_1, "accountId": ACCOUNT})
    # the rescan, once AL_2 is managed
    ssm_stub.add_response("describe_instance_information", {"InstanceInformationList": [info(AL_2)]},
                          describe_info_request([AL_2]))
    stub.add_response("list_cis_scan_configurations", {"scanConfigurations": [
        configuration(CONFIG_ARN, "hardened-eks-test-level1")]})
    stub.add_response("list_cis_scan_configurations", {"scanConfigurations": []})
    stub.add_response("create_cis_scan_configuration", {"scanConfigurationArn": RESCAN_ARN})
    rescan_arn = SCAN_ARN.replace("624b746d", "735c857e")
    stub.add_response("list_cis_scans", {"scans": [{**scan("COMPLETED"), "scanArn": rescan_arn,
                                                    "scanConfigurationArn": RESCAN_ARN}]})
    stub.add_response("list_cis_scan_results_aggregated_by_target_resource", {"targetResourceAggregations": [
        {**target_aggregation(node, 1, 0, 0), "scanArn": rescan_arn} for node in (AL_1, AL_2)]},
        {"scanArn": rescan_arn})
    for node in (AL_1, AL_2):
        stub.add_response("get_cis_scan_result_details", {"scanResultDetails": [
            {**check(node, "xccdf_org.cisecurity.benchmarks_rule_1.1.1.1_x", "cramfs", "PASSED"), "scanArn": rescan_arn}]},
            {"scanArn": rescan_arn, "targetResourceId": node, "accountId": ACCOUNT})
    stub.add_response("get_cis_scan_report", {"status": "FAILED"}, {"scanArn": rescan_arn, "reportFormat": "CSV"})
    stub.add_response("list_findings", {"findings": []}, findings_request([AL_1, AL_2, BR_1]))
    r.collect_results(inspector=client, ec2=ec2_client, config=config(), outputs=OUTPUTS, results_root=tmp_path,
                      policy=parse_vulnerability_policy(None), timing=timing(FakeClock()), now=NOW,
                      log=lambda _: None, ssm=ssm_client)
    document = r.read_result(tmp_path, "test", "eks-optimized-al2023", 1, "inspector")
    assert document["cis"]["scanArn"] == rescan_arn
    assert document["cis"]["nodes"] == [AL_1, AL_2] and not document["cis"].get("notScanned")
