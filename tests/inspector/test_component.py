"""The Inspector component in the program, under Pulumi mocks (the dynamic provider itself does not run)."""

from __future__ import annotations

import pulumi
import pytest

from hardened_eks import tags
from hardened_eks.config import ConfigError, load_config
from hardened_eks.mocks import ACCOUNT_ID
from tests.conftest import make_raw_config

SCAN_TYPE = "pulumi-python:dynamic/inspector:CisScanConfiguration"
ENABLER_TYPE = "aws:inspector2/enabler:Enabler"
NODE_GROUP_TYPE = "hardened-eks:node_group:NodeGroup"

ALL_PATTERNS = [{"pattern": "eks-optimized-al2023", "levels": [1, 2]}, {"pattern": "cis-al2023", "levels": [2]},
                {"pattern": "bottlerocket", "levels": [1, 2]}]


class OptionsSeen:
    """A stack transformation recording the resource options of the scan configurations."""

    def __init__(self):
        self.options: dict[str, pulumi.ResourceOptions] = {}

    def __call__(self, args: pulumi.ResourceTransformationArgs):
        if args.type_ == SCAN_TYPE:
            self.options[args.name] = args.opts
        return None


def test_one_scan_configuration_per_level_targets_the_scan_tag_of_that_level(run_program):
    mocks = run_program({"patterns": ALL_PATTERNS})
    scans = {r.name: r for r in mocks.of_type(SCAN_TYPE)}
    assert sorted(scans) == ["inspector-cis-level1", "inspector-cis-level2"]
    level2 = scans["inspector-cis-level2"].inputs
    assert level2["securityLevel"] == "LEVEL_2" and level2["region"] == "us-west-2"
    assert level2["scanName"] == "hardened-eks-test-level2"
    assert level2["targets"] == {"accountIds": [ACCOUNT_ID], "targetResourceTags": {tags.SCAN: ["test-level2"]}}
    assert all(r.parent == "inspector" for r in scans.values())
    assert mocks.exports["inspectorCisScans"].keys() == {"level-1", "level-2"}


def test_scan_ami_ids_are_the_sorted_amis_of_that_levels_amazon_linux_node_groups(run_program):
    mocks = run_program({"patterns": ALL_PATTERNS})
    groups = mocks.exports["nodeGroups"]
    level2 = mocks.named("inspector-cis-level2").inputs["amiIds"]
    assert level2 == sorted({groups["eks-optimized-al2023/level-2"]["amiId"], groups["cis-al2023/level-2"]["amiId"]})
    assert groups["bottlerocket/level-2"]["amiId"] not in level2
    assert mocks.named("inspector-cis-level1").inputs["amiIds"] == [groups["eks-optimized-al2023/level-1"]["amiId"]]


def test_scans_wait_for_the_node_groups_and_new_ami_ids_replace_them(run_program):
    seen = OptionsSeen()
    from hardened_eks import program
    from hardened_eks.mocks import run_with_mocks

    mocks = run_with_mocks(program.main, make_raw_config({"patterns": ALL_PATTERNS}), extra_transformations=[seen])
    assert seen.options.keys() == {"inspector-cis-level1", "inspector-cis-level2"}
    assert all("amiIds" in opts.replace_on_changes for opts in seen.options.values())
    node_groups = {r.name for r in mocks.resources if r.type == NODE_GROUP_TYPE}
    assert len(node_groups) == 5
    for opts in seen.options.values():
        assert node_groups <= {r._name for r in opts.depends_on}


def test_no_scan_for_bottlerocket_only_or_when_scans_are_off(run_program):
    assert run_program({"patterns": [{"pattern": "bottlerocket", "levels": [1, 2]}]}).of_type(SCAN_TYPE) == []
    mocks = run_program({"patterns": ALL_PATTERNS, "inspectorScans": False})
    assert mocks.of_type(SCAN_TYPE) == [] and mocks.exports["inspectorCisScans"] == {}


def test_inspector_is_enabled_only_when_asked_and_kept_on_destroy(run_program):
    assert run_program().of_type(ENABLER_TYPE) == []
    seen: dict[str, pulumi.ResourceOptions] = {}

    def record(args: pulumi.ResourceTransformationArgs):
        if args.type_ == ENABLER_TYPE:
            seen[args.name] = args.opts
        return None

    from hardened_eks import program
    from hardened_eks.mocks import run_with_mocks

    mocks = run_with_mocks(program.main, make_raw_config({"enableInspector": True}), extra_transformations=[record])
    (enabler,) = mocks.of_type(ENABLER_TYPE)
    assert enabler.inputs["accountIds"] == [ACCOUNT_ID] and enabler.inputs["resourceTypes"] == ["EC2"]
    assert seen["inspector-ec2"].retain_on_delete is True


def test_scan_timeout_is_validated_with_key_value_and_range():
    with pytest.raises(ConfigError, match=r"hardened-eks:inspectorScanTimeoutMinutes: '5' is not valid; "
                                          r"allowed: a whole number from 10 to 1440"):
        load_config(make_raw_config({"inspectorScanTimeoutMinutes": 5}), "test")
    assert load_config(make_raw_config({"inspectorScanTimeoutMinutes": 30}), "test").inspector_scan_timeout_minutes == 30
