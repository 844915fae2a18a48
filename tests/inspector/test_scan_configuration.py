"""The CIS scan configuration dynamic provider: CRUD against a stubbed Inspector, diff, check, pickling."""

from __future__ import annotations

import base64

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from hardened_eks import tags
from hardened_eks.inspector import scan_configuration as sc
from hardened_eks.inspector.errors import InspectorError

from .conftest import ACCOUNT, CONFIG_ARN, REGION

PROPS = {
    "region": REGION,
    "scanName": "hardened-eks-test-level1",
    "securityLevel": "LEVEL_1",
    "targets": {"accountIds": [ACCOUNT], "targetResourceTags": {tags.SCAN: ["test-level1"]}},
    "amiIds": ["ami-0a1b2c3d4e5f60718", "ami-0b2c3d4e5f6071829"],
    "tags": {"managed-by": "hardened-eks", tags.STACK: "test"},
}


def test_create_asks_for_a_one_time_scan_of_the_tagged_nodes(inspector):
    client, stub = inspector
    stub.add_response("create_cis_scan_configuration", {"scanConfigurationArn": CONFIG_ARN}, {
        "scanName": "hardened-eks-test-level1", "securityLevel": "LEVEL_1", "schedule": {"oneTime": {}},
        "targets": {"accountIds": [ACCOUNT], "targetResourceTags": {tags.SCAN: ["test-level1"]}},
        "tags": {"managed-by": "hardened-eks", tags.STACK: "test"}})
    assert sc.create_scan_configuration(client, PROPS) == CONFIG_ARN


def test_update_changes_the_configuration_in_place(inspector):
    client, stub = inspector
    news = {**PROPS, "securityLevel": "LEVEL_2", "scanName": "hardened-eks-test-level2"}
    stub.add_response("update_cis_scan_configuration", {"scanConfigurationArn": CONFIG_ARN}, {
        "scanConfigurationArn": CONFIG_ARN, "scanName": "hardened-eks-test-level2", "securityLevel": "LEVEL_2",
        "schedule": {"oneTime": {}}, "targets": PROPS["targets"]})
    assert sc.update_scan_configuration(client, CONFIG_ARN, news) == CONFIG_ARN


def test_delete_removes_the_configuration(inspector):
    client, stub = inspector
    stub.add_response("delete_cis_scan_configuration", {"scanConfigurationArn": CONFIG_ARN},
                      {"scanConfigurationArn": CONFIG_ARN})
    sc.delete_scan_configuration(client, CONFIG_ARN)


def test_delete_of_a_configuration_already_gone_succeeds(inspector):
    client, stub = inspector
    stub.add_client_error("delete_cis_scan_configuration", "ResourceNotFoundException",
                          "Scan configuration not found", 404, expected_params={"scanConfigurationArn": CONFIG_ARN})
    sc.delete_scan_configuration(client, CONFIG_ARN)


def test_delete_reports_missing_permission(inspector):
    client, stub = inspector
    stub.add_client_error("delete_cis_scan_configuration", "AccessDeniedException",
                          "User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: "
                          "inspector2:DeleteCisScanConfiguration", 403)
    with pytest.raises(InspectorError, match=r"missing permission inspector2:DeleteCisScanConfiguration in us-west-2"):
        sc.delete_scan_configuration(client, CONFIG_ARN)


def test_create_when_inspector_is_not_enabled_says_how_to_enable_it(inspector):
    client, stub = inspector
    stub.add_client_error("create_cis_scan_configuration", "AccessDeniedException",
                          "Invoking account is not enabled", 403)
    with pytest.raises(InspectorError, match=r"Amazon Inspector is not enabled in us-west-2.*enableInspector: true"):
        sc.create_scan_configuration(client, PROPS)


def test_create_rejected_by_validation_names_the_call(inspector):
    client, stub = inspector
    stub.add_client_error("create_cis_scan_configuration", "ValidationException", "Invalid targetResourceTags", 400)
    with pytest.raises(InspectorError, match="inspector2:CreateCisScanConfiguration in us-west-2 failed: "
                                             "ValidationException: Invalid targetResourceTags"):
        sc.create_scan_configuration(client, PROPS)


def test_read_finds_the_configuration_or_reports_it_gone(inspector, monkeypatch):
    client, stub = inspector
    monkeypatch.setattr(sc, "inspector_client", lambda region: client)
    request = {"filterCriteria": {"scanConfigurationArnFilters": [{"comparison": "EQUALS", "value": CONFIG_ARN}]}}
    stub.add_response("list_cis_scan_configurations", {"scanConfigurations": [{
        "scanConfigurationArn": CONFIG_ARN, "ownerId": ACCOUNT, "scanName": "renamed-in-console",
        "securityLevel": "LEVEL_1", "schedule": {"oneTime": {}}, "targets": PROPS["targets"]}]}, request)
    stub.add_response("list_cis_scan_configurations", {"scanConfigurations": []}, request)
    provider = sc.CisScanConfigurationProvider()
    found = provider.read(CONFIG_ARN, PROPS)
    assert found.id == CONFIG_ARN and found.outs["scanName"] == "renamed-in-console"
    assert provider.read(CONFIG_ARN, PROPS).id == ""


def test_provider_create_update_delete_use_the_region_of_the_inputs(inspector, monkeypatch):
    client, stub = inspector
    regions = []
    monkeypatch.setattr(sc, "inspector_client", lambda region: regions.append(region) or client)
    # the wait for SSM-managed targets (tests/inspector/test_ssm.py) uses the inputs' region too
    monkeypatch.setattr(sc, "node_clients", lambda region: regions.append(region) or ("ec2", "ssm"))
    monkeypatch.setattr(sc, "await_managed_targets", lambda ec2, ssm, props: [])
    stub.add_response("create_cis_scan_configuration", {"scanConfigurationArn": CONFIG_ARN})
    stub.add_response("update_cis_scan_configuration", {"scanConfigurationArn": CONFIG_ARN})
    stub.add_response("delete_cis_scan_configuration", {"scanConfigurationArn": CONFIG_ARN})
    provider = sc.CisScanConfigurationProvider()
    created = provider.create(PROPS)
    assert created.id == CONFIG_ARN
    assert created.outs == {**PROPS, "scanConfigurationArn": CONFIG_ARN}
    assert provider.update(CONFIG_ARN, PROPS, {**PROPS, "scanName": "x"}).outs["scanName"] == "x"
    provider.delete(CONFIG_ARN, created.outs)
    assert regions == [REGION] * 4


def test_new_ami_ids_replace_the_configuration_so_the_rebuild_is_scanned():
    provider = sc.CisScanConfigurationProvider()
    result = provider.diff(CONFIG_ARN, PROPS, {**PROPS, "amiIds": ["ami-0ffffffffffffffff"]})
    assert result.changes is True and result.replaces == ["amiIds"]


def test_a_new_level_or_target_updates_in_place_and_no_change_is_no_diff():
    provider = sc.CisScanConfigurationProvider()
    result = provider.diff(CONFIG_ARN, PROPS, {**PROPS, "securityLevel": "LEVEL_2"})
    assert result.changes is True and result.replaces == []
    assert provider.diff(CONFIG_ARN, PROPS, dict(PROPS)).changes is False


def test_check_rejects_bad_inputs_with_key_value_and_allowed():
    provider = sc.CisScanConfigurationProvider()
    result = provider.check({}, {**PROPS, "securityLevel": "LEVEL_3", "targets": {"accountIds": [],
                                                                                  "targetResourceTags": {}}})
    messages = [f.reason for f in result.failures]
    assert "securityLevel: 'LEVEL_3' is not valid; allowed: LEVEL_1, LEVEL_2" in messages
    assert any(m.startswith("targets.accountIds: []") for m in messages)
    assert any(m.startswith("targets.targetResourceTags: {}") for m in messages)
    assert provider.check({}, PROPS).failures == []


def test_provider_pickles_without_clients_or_credentials():
    """Pulumi stores the pickled provider in state: it must pickle, and hold nothing secret."""
    text = serialize_provider(sc.CisScanConfigurationProvider())
    raw = base64.b64decode(text)
    assert b"AKIA" not in raw and b"aws_secret_access_key" not in raw.lower()
    assert isinstance(dill.loads(raw), sc.CisScanConfigurationProvider)
